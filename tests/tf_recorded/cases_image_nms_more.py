"""Recorded cases: tf.image.combined_non_max_suppression (CombinedNonMaxSuppression) and
tf.image.non_max_suppression_padded (TF 2.21: a tf.function of ordinary ops, tiles and while loops).

TF runs non_max_suppression_padded's work in one PartitionedCall op; raygraph builds those ops inline under
`.../non_max_suppression_padded_v2/` and names an IdentityN `PartitionedCall`. The graph cases compare every op
outside the function, and the PartitionedCall's name and outputs (not its type, inputs or attrs). Errors raised
inside TF's function name its inner nodes, so those compare the message without the node text.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, kernel_error, run, sig


def _boxes(rng, shape, flip=False, spread=0.9):
    """Random boxes [..., 4] as [y1, x1, y2, x2] (corners swapped with flip), some reaching outside [0, 1];
    a small spread crowds them, so that many overlap."""
    lo = rng.uniform(-0.1, spread, shape + (2,))
    hi = lo + rng.uniform(0.05, 0.6, shape + (2,))
    out = np.concatenate([hi, lo] if flip else [lo, hi], -1)
    return out.astype(np.float32)


def _outside_function(tf):
    """describe() without the ops of the padded NMS's function body; PartitionedCall by name and outputs."""
    out = []
    for d in describe(tf):
        if "/non_max_suppression_padded_v2/" in d[0]:
            continue
        out.append([d[0], d[4]] if d[0].endswith("/PartitionedCall") else d)
    return out


def _message(result):
    """An error's class and its message up to the node text ("in user code:" and TF's wrappers left out)."""
    if not isinstance(result, list):
        return result
    text = result[1].replace("in user code: ", "").replace("Graph execution error: ", "")
    text = text.split(" for '{{node")[0].split(" [[")[0]
    return [result[0], text.split(f"{result[0]}: ", 1)[-1]]


# ----- combined_non_max_suppression ------------------------------------------------------------------------------
def case_combined_graph(tf):
    b = tf.placeholder(tf.float32, [None, 6, 1, 4])
    s = tf.placeholder(tf.float32, [None, 6, 3])
    outs = [tf.image.combined_non_max_suppression(b, s, 2, 5),
            tf.image.combined_non_max_suppression(b, s, 2, 5, 0.3, 0.1, pad_per_class=True, name="per_class"),
            tf.image.combined_non_max_suppression(b, s, 4, 5, pad_per_class=True, clip_boxes=False),
            tf.image.combined_non_max_suppression(b, s, tf.placeholder(tf.int32), 7, pad_per_class=True),
            tf.image.combined_non_max_suppression(tf.placeholder(tf.float32), tf.placeholder(tf.float32, [2, None, 4]),
                                                  3, tf.placeholder(tf.int32, []))]
    return [describe(tf), [[sig(t) for t in r] for r in outs], [type(outs[0]).__name__, list(outs[0]._fields)]]


def case_combined_values(tf):
    rng = np.random.default_rng(3)
    boxes = _boxes(rng, (2, 7, 1))
    boxes_q = _boxes(rng, (2, 7, 3))
    scores = rng.uniform(0, 1, (2, 7, 3)).astype(np.float32)
    outs = [tf.image.combined_non_max_suppression(boxes, scores, 3, 6),
            tf.image.combined_non_max_suppression(boxes, scores, 3, 6, clip_boxes=False),
            tf.image.combined_non_max_suppression(boxes_q, scores, 2, 20, iou_threshold=0.2, score_threshold=0.3),
            tf.image.combined_non_max_suppression(boxes_q, scores, 2, 20, score_threshold=0.3, pad_per_class=True),
            tf.image.combined_non_max_suppression(boxes_q, scores, 10, 4, pad_per_class=True),
            tf.image.combined_non_max_suppression(boxes, scores, 1, 2, iou_threshold=0.0),
            tf.image.combined_non_max_suppression(boxes, scores, 7, 21, iou_threshold=1.0)]
    return run(tf, [t for r in outs for t in r])


def case_combined_ties_and_negative_scores(tf):
    rng = np.random.default_rng(4)
    n, classes = 10, 6
    apart = np.stack([np.arange(n) * 2, np.zeros(n), np.arange(n) * 2 + 1, np.ones(n)], -1).astype(np.float32)
    tied = np.full((1, n, classes), 0.5, np.float32)
    tied[0, ::3, 1] = 0.7
    few = rng.integers(0, 4, (2, 12, 5)).astype(np.float32) / 4  # scores 0, .25, .5, .75: many ties
    overlapping = np.array([[[[0, 0, 1, 1]], [[0, 0, 1, 1]], [[2, 2, 3, 3]]]], np.float32)
    negative = np.array([[[-2, 0.5], [-3, -0.5], [-1.5, -4]]], np.float32)  # kept boxes scoring below -1
    outs = [tf.image.combined_non_max_suppression(apart[None, :, None], tied, 10, 40, clip_boxes=False),
            tf.image.combined_non_max_suppression(_boxes(rng, (2, 12, 1)), few, 6, 25, 0.6),
            tf.image.combined_non_max_suppression(_boxes(rng, (2, 12, 5)), few, 8, 30, 0.4, 0.2, pad_per_class=True),
            tf.image.combined_non_max_suppression(overlapping, negative, 3, 6, clip_boxes=False),
            tf.image.combined_non_max_suppression(overlapping, negative, 3, 6, score_threshold=-2.5,
                                                  pad_per_class=True)]
    return run(tf, [t for r in outs for t in r])


def case_combined_fed(tf):
    rng = np.random.default_rng(5)
    b = tf.placeholder(tf.float32, [None, None, None, 4])
    s = tf.placeholder(tf.float32, [None, None, None])
    per_class = tf.placeholder(tf.int32, [])
    outs = list(tf.image.combined_non_max_suppression(b, s, per_class, 4, pad_per_class=True))
    feeds = [{b: _boxes(rng, (1, 5, 1)), s: rng.uniform(0, 1, (1, 5, 2)).astype(np.float32), per_class: 1},
             {b: _boxes(rng, (3, 4, 2)), s: rng.uniform(0, 1, (3, 4, 2)).astype(np.float32), per_class: 3},
             {b: _boxes(rng, (2, 0, 1)), s: np.zeros((2, 0, 3), np.float32), per_class: 2}]
    return [[sig(t) for t in outs]] + [run(tf, outs, f) for f in feeds]


def case_combined_build_errors(tf):
    b = tf.placeholder(tf.float32, [None, 6, 1, 4])
    s = tf.placeholder(tf.float32, [None, 6, 3])
    nms = tf.image.combined_non_max_suppression
    return [error_text(lambda: nms(b, s, 2, 2 ** 31)), error_text(lambda: nms(b, s, 2, 0)),
            error_text(lambda: nms(b, s, -1, 3)), error_text(lambda: nms(b, s, 0, 3, pad_per_class=True)),
            error_text(lambda: nms(b, s, 2, -3, pad_per_class=True)),
            error_text(lambda: nms(tf.zeros([1, 6, 2, 4]), s, 2, 3)),
            error_text(lambda: nms(tf.zeros([1, 6, 1, 3]), s, 2, 3)),
            error_text(lambda: nms(tf.zeros([1, 5, 1, 4]), s, 2, 3)),
            error_text(lambda: nms(tf.zeros([2, 6, 1, 4]), tf.zeros([3, 6, 3]), 2, 3)),
            error_text(lambda: nms(tf.zeros([1, 6, 4]), s, 2, 3)),
            error_text(lambda: nms(b, s, [2], 3)), error_text(lambda: nms(b, s, 2.5, 3)),
            error_text(lambda: nms(b, tf.cast(s, tf.float64), 2, 3)),
            error_text(lambda: nms(b, s, 2, 3, iou_threshold=[0.5]))]


def case_combined_kernel_errors(tf):
    b, s = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    per_class, total, iou = tf.placeholder(tf.int32), tf.placeholder(tf.int32), tf.placeholder(tf.float32)
    outs = list(tf.image.combined_non_max_suppression(b, s, per_class, total, iou, score_threshold=0.1))
    good = {b: np.zeros((1, 3, 1, 4), np.float32), s: np.zeros((1, 3, 2), np.float32), per_class: 2, total: 3,
            iou: 0.5}
    bad = [(b, np.zeros((1, 3, 4), np.float32)), (s, np.zeros((1, 3, 2, 1), np.float32)),
           (b, np.zeros((1, 3, 3, 4), np.float32)), (b, np.zeros((1, 3, 1, 3), np.float32)),
           (s, np.zeros((1, 4, 2), np.float32)), (s, np.zeros((2, 3, 2), np.float32)), (per_class, [2]),
           (per_class, 0), (total, [3]), (total, 0), (iou, [0.5]), (iou, 1.5), (iou, -0.1)]
    return [kernel_error(tf, outs, {**good, key: value}) for key, value in bad] + [run(tf, outs, good)]


# ----- non_max_suppression_padded ----------------------------------------------------------------------------------
def case_padded_graph(tf):
    p = tf.placeholder
    nms = tf.image.non_max_suppression_padded
    nms(p(tf.float32, [None, 4]), p(tf.float32, [None]), 5)
    nms(np.zeros((6, 4), np.float32), np.zeros(6, np.float32), 5, pad_to_max_output_size=True, name="from_numpy")
    nms(p(tf.float32, [None, 3, 6, 4]), p(tf.float32, [None, 3, 6]), p(tf.int32, []), 0.3,
        pad_to_max_output_size=True, tile_size=4)
    nms(p(tf.float32, [6, 4]), p(tf.float32, [6]), 2, score_threshold=0.2, sorted_input=True,
        canonicalized_coordinates=True, name="flags")
    return _outside_function(tf)


def case_padded_static_shapes(tf):
    p = tf.placeholder
    nms = tf.image.non_max_suppression_padded
    outs = [nms(p(tf.float32, [None, 4]), p(tf.float32, [None]), 5),
            nms(tf.constant(np.zeros((6, 4), np.float32)), np.zeros(6, np.float32), 5),
            nms(p(tf.float32, [2, 6, 4]), p(tf.float32, [2, 6]), 5, pad_to_max_output_size=True),
            nms(p(tf.float32, [None, None, 4]), p(tf.float32, [None, None]), p(tf.int32, []),
                pad_to_max_output_size=True),
            nms(p(tf.float32), p(tf.float32), 3),
            nms(p(tf.float32, [3, 2, 6, 4]), p(tf.float32, [3, 2, 6]), 4, pad_to_max_output_size=True),
            nms(p(tf.float32, [6, 4]), p(tf.float32, [6]), 5, pad_to_max_output_size=True),
            nms(p(tf.float32, [None, 6, 4]), p(tf.float32, [None, 6]), 5, pad_to_max_output_size=True,
                score_threshold=0.3, iou_threshold=p(tf.float32, [])),
            nms(p(tf.float32, [6, 4]), p(tf.float32), p(tf.int32), pad_to_max_output_size=True),
            nms(p(tf.float32), p(tf.float32), 4, pad_to_max_output_size=True)]
    g = tf.get_default_graph()
    calls = [g.get_operation_by_name(t.name.split("/")[0] + "/PartitionedCall") for t, _ in outs]
    return [[sig(t) for t in pair] for pair in outs], [[sig(t) for t in op.outputs] for op in calls]


def case_padded_values(tf):
    rng = np.random.default_rng(6)
    nms = tf.image.non_max_suppression_padded
    single, scores = _boxes(rng, (9,)), rng.uniform(0, 1, 9).astype(np.float32)
    order = np.argsort(-scores, kind="stable")
    batch, batch_scores = _boxes(rng, (2, 3, 8)), rng.uniform(0, 1, (2, 3, 8)).astype(np.float32)
    ties = (rng.integers(0, 3, 8) / 2).astype(np.float32)
    crowd, crowd_scores = _boxes(rng, (2, 11), spread=0.2), rng.uniform(0, 1, (2, 11)).astype(np.float32)
    outs = [nms(tf.constant(single), scores, 4),
            nms(tf.constant(single), scores, 12, iou_threshold=0.3, tile_size=2),
            nms(single, scores, 6, 0.4, 0.3, pad_to_max_output_size=True, tile_size=3),
            nms(tf.constant(_boxes(rng, (9,), flip=True)), scores, 9, 0.2, tile_size=1),
            nms(tf.constant(single[order]), scores[order], 5, 0.25, sorted_input=True, tile_size=2),
            nms(tf.constant(single), scores, 5, 0.25, canonicalized_coordinates=True),
            nms(batch, batch_scores, 5, 0.3, pad_to_max_output_size=True),
            nms(batch[0], batch_scores[0], 3, 0.5, 0.4, pad_to_max_output_size=True, tile_size=3),
            nms(tf.constant(single[:8]), ties, 8, 0.6, tile_size=4),
            nms(tf.constant(single[:1]), scores[:1], 3),
            nms(tf.constant(crowd[0]), crowd_scores[0], 6, tile_size=1),
            nms(tf.constant(crowd[1]), crowd_scores[1], 11, 0.3, tile_size=2),
            nms(crowd, crowd_scores, 4, 0.45, 0.2, pad_to_max_output_size=True, tile_size=3),
            nms(crowd, crowd_scores, 7, 0.6, pad_to_max_output_size=True)]
    return run(tf, [t for pair in outs for t in pair])


def case_padded_fed(tf):
    rng = np.random.default_rng(7)
    b = tf.placeholder(tf.float32, [None, None, 4])
    s = tf.placeholder(tf.float32, [None, None])
    n = tf.placeholder(tf.int32, [])
    outs = list(tf.image.non_max_suppression_padded(b, s, n, 0.4, pad_to_max_output_size=True, tile_size=3))
    feeds = [{b: _boxes(rng, (2, 7)), s: rng.uniform(0, 1, (2, 7)).astype(np.float32), n: 4},
             {b: _boxes(rng, (1, 3)), s: rng.uniform(0, 1, (1, 3)).astype(np.float32), n: 5},
             {b: _boxes(rng, (3, 5)), s: np.zeros((3, 5), np.float32), n: 2},
             {b: _boxes(rng, (2, 9), spread=0.2), s: rng.uniform(0, 1, (2, 9)).astype(np.float32), n: 9}]
    return [[sig(t) for t in outs]] + [run(tf, outs, f) for f in feeds]


def case_padded_errors(tf):
    p = tf.placeholder
    nms = tf.image.non_max_suppression_padded
    boxes = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1]], np.float32)
    scores = np.array([0.9, 0.8], np.float32)
    build = [error_text(lambda: nms(p(tf.float32, [2, 6, 4]), p(tf.float32, [2, 6]), 3)),
             error_text(lambda: nms(boxes, scores, 3)),
             _message(error_text(lambda: nms(tf.constant(boxes[:, :3]), scores, 3))),
             _message(error_text(lambda: nms(tf.constant(boxes), scores[:1], 3))),
             _message(error_text(lambda: nms(tf.constant(boxes), scores, 2.5))),
             error_text(lambda: nms(tf.constant(boxes), scores, -1, pad_to_max_output_size=True))[0]]
    b, s, unknown = p(tf.float32, [None, 4]), p(tf.float32, [None]), p(tf.float32)
    n = p(tf.int32, [])
    fed = [_message(kernel_error(tf, nms(b, s, 3), {b: boxes, s: scores[:1]})),
           _message(kernel_error(tf, nms(unknown, s, 3), {unknown: boxes[:, :3], s: scores})),
           kernel_error(tf, nms(b, s, n, pad_to_max_output_size=True), {b: boxes, s: scores, n: -1})[0]]
    empty = {b: np.zeros((0, 4), np.float32), s: np.zeros(0, np.float32)}
    fed += [_message(kernel_error(tf, nms(b, s, 3), empty)),
            _message(kernel_error(tf, nms(b, s, 3, canonicalized_coordinates=True, pad_to_max_output_size=True),
                                  empty))]
    return [build, fed]
