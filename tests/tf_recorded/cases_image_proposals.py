"""Recorded cases: tf.image.generate_bounding_box_proposals (op GenerateBoundingBoxProposals).

TensorFlow has a GPU kernel only: on a CPU it builds the op (names, attrs, static shapes, shape errors) and
running it fails with InvalidArgumentError (no kernel registered). The cases record exactly that; TF's CPU build
produces no proposal values to compare."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, kernel_error, sig


def _inputs(seed, n=1, h=2, w=2, a=3):
    rng = np.random.default_rng(seed)
    scores = rng.uniform(0, 1, (n, h, w, a)).astype(np.float32)
    deltas = rng.uniform(-0.2, 0.2, (n, h, w, 4 * a)).astype(np.float32)
    info = np.tile(np.array([[16, 16, 1, 0, 0]], np.float32), (n, 1))
    anchors = rng.uniform(0, 8, (h * w, a, 4)).astype(np.float32)
    return scores, deltas, info, anchors


def _no_kernel(tf, fetch, feed=None):
    """The run-time error, without TF's trailing node marker (`[[name]]`, a place the engine writes its own)."""
    out = kernel_error(tf, fetch, feed)
    return [out[0], out[1].split(" [[")[0]] if isinstance(out, list) else out


def case_proposals_graph(tf):
    scores, deltas, info, anchors = _inputs(1)
    out = tf.image.generate_bounding_box_proposals(scores, deltas, info, anchors)
    named = tf.image.generate_bounding_box_proposals(scores, deltas, info, anchors, nms_threshold=0.5, pre_nms_topn=4,
                                                     min_size=1.0, post_nms_topn=5, name="props")
    y = tf.constant(scores)
    rois, _ = tf.image.generate_bounding_box_proposals(y, deltas, info, anchors)
    return [describe(tf), type(out).__name__, list(out._fields), [sig(t) for t in list(out) + list(named)],
            tf.gradients(tf.reduce_sum(rois), [y])]


def case_proposals_static_shapes(tf):
    p = tf.placeholder(tf.float32)
    scores, deltas, info, anchors = _inputs(2, n=3)
    outs = [tf.image.generate_bounding_box_proposals(p, p, p, p),
            tf.image.generate_bounding_box_proposals(tf.placeholder(tf.float32, [None, 3, 3, 2]), p, p, p,
                                                     post_nms_topn=0),
            tf.image.generate_bounding_box_proposals(scores, deltas, info, anchors, post_nms_topn=-1),
            tf.image.generate_bounding_box_proposals(scores, deltas, info, anchors, post_nms_topn=2.5),
            tf.image.generate_bounding_box_proposals(scores, deltas, tf.placeholder(tf.float32, [None, None]),
                                                     anchors, nms_threshold=tf.placeholder(tf.float32),
                                                     pre_nms_topn=tf.placeholder(tf.int32),
                                                     min_size=tf.placeholder(tf.float32, []), post_nms_topn=7)]
    return [[sig(t) for t in pair] for pair in outs]


def case_proposals_build_errors(tf):
    scores, deltas, info, anchors = _inputs(3)
    g = tf.image.generate_bounding_box_proposals
    return [error_text(lambda: g(scores[0], deltas, info, anchors)),
            error_text(lambda: g(scores, deltas[0], info, anchors)),
            error_text(lambda: g(scores, deltas, info[0], anchors)),
            error_text(lambda: g(scores, deltas, info[:, :4], anchors)),
            error_text(lambda: g(scores, deltas, info, anchors[0])),
            error_text(lambda: g(scores, deltas, info, anchors, nms_threshold=[0.5])),
            error_text(lambda: g(scores, deltas, info, anchors, pre_nms_topn=[5])),
            error_text(lambda: g(scores, deltas, info, anchors, min_size=[1.0])),
            error_text(lambda: g(scores, deltas, info, anchors, pre_nms_topn=5.0)),
            error_text(lambda: g(scores.astype(np.int32), deltas, info, anchors)),
            error_text(lambda: g(scores, deltas, info, anchors, post_nms_topn="3")),
            error_text(lambda: g(scores, deltas, info, anchors, post_nms_topn=tf.constant(3))),
            error_text(lambda: g(scores[0], deltas, info[:, :4], anchors[0]))]


def case_proposals_run_on_cpu(tf):
    """Each in a graph of its own: TF places the whole graph when a session first runs it, so an op without a
    kernel fails every run of its graph (and names the first such op), which raygraph does not copy."""
    scores, deltas, info, anchors = _inputs(4, n=2)
    out = []
    for fetch in ("rois", "both", "roi_probabilities", "fed", "fed_other"):
        with tf.Graph().as_default():
            p = tf.placeholder(tf.float32, [None, None, None, None])
            if fetch.startswith("fed"):
                y = tf.image.generate_bounding_box_proposals(p, deltas, info, anchors, pre_nms_topn=2, post_nms_topn=0)
                feed = {p: scores if fetch == "fed" else scores[:, :1]}
                out.append(_no_kernel(tf, y.rois, feed))
                continue
            y = tf.image.generate_bounding_box_proposals(scores, deltas, info, anchors, post_nms_topn=5, name="small")
            out.append(_no_kernel(tf, list(y) if fetch == "both" else getattr(y, fetch)))
    return out
