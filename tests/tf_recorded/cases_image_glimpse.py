"""Recorded cases: tf.compat.v1.image.extract_glimpse (op ExtractGlimpse), and through an edited GraphDef the
noise modes its wrapper cannot set (noise="zero", "gaussian", "") and op ExtractGlimpseV2.

Noise is random: windows inside the image (or zero noise) are compared value for value; for a random fill only
its properties are recorded (in the image's range, the same draws in every batch entry and channel)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, kernel_error, run, sig

IMAGE = np.arange(2 * 4 * 5 * 3, dtype=np.float32).reshape(2, 4, 5, 3)
BOTH = ("ExtractGlimpse", "ExtractGlimpseV2")
SMALL = np.arange(1 * 4 * 5 * 2, dtype=np.float32).reshape(1, 4, 5, 2)


def _noisy_image():
    """Two entries: channel 0 alternates 0 and 10, channel 1 is channel 0 + 100; entry 1 is entry 0 + 1000."""
    x = np.zeros((2, 4, 4, 2), np.float32)
    x[:, :, :, 0] = np.where(np.arange(16).reshape(4, 4) % 2, 10, 0)
    x[:, :, :, 1] = x[:, :, :, 0] + 100
    x[1] += 1000
    return x


def _edited(tf, glimpse, op_type=None, **attrs):
    """The graph's GraphDef with the node of `glimpse` given another type or other attrs."""
    gd = tf.get_default_graph().as_graph_def()
    for node in gd.node:
        if node.name == glimpse.op.name:
            node.op = op_type or node.op
            for key, value in attrs.items():
                if isinstance(value, bool):
                    node.attr[key].b = value
                else:
                    node.attr[key].s = value.encode()
    return gd


def _imported(tf, glimpse, op_type=None, **attrs):
    """The value of `glimpse` with its node edited (see _edited), in a graph of its own."""
    gd = _edited(tf, glimpse, op_type, **attrs)
    with tf.Graph().as_default():
        y, = tf.import_graph_def(gd, return_elements=[glimpse.name])
        with tf.Session() as s:
            return s.run(y)


def case_glimpse_graph(tf):
    outs = [tf.image.extract_glimpse(IMAGE, [2, 3], np.zeros((2, 2), np.float32)),
            tf.image.extract_glimpse(IMAGE, [1, 1], [[0.1, 0.2], [0.3, 0.4]], centered=False, normalized=False,
                                     uniform_noise=False, name="g")]
    with tf.name_scope("outer"):
        outs.append(tf.image.extract_glimpse(IMAGE, np.array([2, 2], np.int64), np.zeros((2, 2), np.float64)))
    y = tf.constant(IMAGE)
    return [describe(tf), [sig(t) for t in outs],
            tf.gradients(tf.reduce_sum(tf.image.extract_glimpse(y, [2, 2], np.zeros((2, 2), np.float32))), [y])]


def case_glimpse_static_shapes(tf):
    p = tf.placeholder(tf.float32, [None, None, None, 3])
    size = tf.placeholder(tf.int32)
    off = tf.placeholder(tf.float32)
    outs = [tf.image.extract_glimpse(p, size, off), tf.image.extract_glimpse(p, [3, 1], off),
            tf.image.extract_glimpse(tf.placeholder(tf.float32), size, off),
            tf.image.extract_glimpse(p, size, tf.placeholder(tf.float32, [5, None])),
            tf.image.extract_glimpse(tf.placeholder(tf.float32, [None, 4, 4, 2]), tf.stack([size[0], 2]), off),
            tf.image.extract_glimpse(IMAGE, [-1, 2], np.zeros((2, 2), np.float32)),
            tf.image.extract_glimpse(IMAGE, tf.placeholder(tf.int32, [2]), np.zeros((2, 2), np.float32))]
    return [sig(t) for t in outs]


def case_glimpse_inside_values(tf):
    """Windows inside the image: every placement convention, V1's offsets naming the window's centre."""
    offsets = {(False, False): [[1, 1.5], [2.9, 3.2]], (False, True): [[0.25, 0.5], [0.6, 0.7]],
               (True, False): [[0, 0], [-1.2, 1.9]], (True, True): [[0, 0], [-0.5, 0.3]]}
    outs = [tf.image.extract_glimpse(IMAGE, [2, 3], np.array(o, np.float32), centered=c, normalized=n)
            for (c, n), o in offsets.items()]
    edge = tf.image.extract_glimpse(IMAGE, [2, 3], [[3, 3.5], [1, 1.5]], centered=False, normalized=False)
    whole = tf.image.extract_glimpse(IMAGE, [4, 5], np.zeros((2, 2), np.float32))
    empty = [tf.image.extract_glimpse(IMAGE, [0, 2], np.zeros((2, 2), np.float32)),
             tf.image.extract_glimpse(IMAGE[:0], [2, 2], np.zeros((0, 2), np.float32))]
    return run(tf, outs + [edge, whole] + empty)


def case_glimpse_fed(tf):
    p = tf.placeholder(tf.float32, [None, None, None, None])
    size = tf.placeholder(tf.int32, [2])
    off = tf.placeholder(tf.float32, [None, 2])
    y = tf.image.extract_glimpse(p, size, off, centered=False, normalized=False)
    with tf.Session() as s:
        return [sig(y), s.run(y, {p: IMAGE, size: [3, 3], off: [[1.5, 1.5], [2, 3]]}),
                s.run(y, {p: SMALL, size: [1, 2], off: [[3, 4]]}),
                s.run(y, {p: IMAGE, size: [2, 0], off: [[0, 0]] * 2})]


def case_glimpse_uniform_noise(tf):
    """Windows leaving the image: the part inside exact, the rest uniform over the entry's [min, max) (all its
    channels), the same draws in every entry; uniform_noise=False changes nothing (the noise attr says uniform)."""
    x = _noisy_image()
    out = []
    for uniform in (True, False):
        v = run(tf, [tf.image.extract_glimpse(x, [30, 30], [[50, 50], [-50, -50]], centered=False,
                                              normalized=False, uniform_noise=uniform)])[0][1]
        share = (v[0] - x[0].min()) / (x[0].max() - x[0].min())
        out.append([v.shape, bool((v[0] >= 0).all() and (v[0] < 110).all()), bool((v[1] >= 1000).all()),
                    bool(np.allclose(v[1] - 1000, v[0], atol=1e-3)), bool((v[0, :, :, 0] > 10).mean() > 0.5),
                    bool(abs(share.mean() - 0.5) < 0.1), len(np.unique(v[0])) > 100])
    part = run(tf, [tf.image.extract_glimpse(x, [3, 3], [[0, 0], [4, 4]], centered=False, normalized=False)])[0][1]
    inside = [part[0, 1:, 1:], part[1, :2, :2]]
    noise = np.concatenate([part[0, 0].ravel(), part[0, :, 0].ravel(), part[1, 2].ravel() - 1000,
                            part[1, :, 2].ravel() - 1000])
    return [out, inside, bool(((noise >= 0) & (noise < 110)).all())]


def case_glimpse_zero_noise(tf):
    """noise="zero" (uniform_noise=False) through a GraphDef, for both ops: every value exact."""
    offsets = [[0, 0], [0.5, 0.5], [-0.5, 0.2], [1.9, 2.9], [1, 1], [-3, 9]]
    out = []
    for centered in (False, True):
        tf.reset_default_graph()
        g = tf.image.extract_glimpse(np.repeat(SMALL, 6, 0), [2, 3], np.array(offsets, np.float32),
                                     centered=centered, normalized=False)
        out += [_imported(tf, g, op, noise="zero", uniform_noise=False) for op in BOTH]
    for centered in (False, True):
        tf.reset_default_graph()
        g = tf.image.extract_glimpse(np.repeat(SMALL, 4, 0), [2, 3], [[0.25, 0.5], [0, 0], [-0.5, 0.5], [0.5, -0.7]],
                                     centered=centered)
        out += [_imported(tf, g, op, noise="zero", uniform_noise=False) for op in BOTH]
    return out


def case_glimpse_gaussian_noise(tf):
    """noise="gaussian" (or "" with uniform_noise=False): each channel's mean and deviation, clipped to its range,
    the same draws in every entry and channel; noise="" with uniform_noise=True is uniform."""
    x = _noisy_image()
    g = tf.image.extract_glimpse(x, [30, 30], [[50, 50], [-50, -50]], centered=False, normalized=False)
    out = []
    for op_type, attrs in (("ExtractGlimpse", {"noise": "gaussian", "uniform_noise": False}),
                           ("ExtractGlimpse", {"noise": "", "uniform_noise": False}),
                           ("ExtractGlimpseV2", {"noise": "gaussian", "uniform_noise": False})):
        v = _imported(tf, g, op_type, **attrs)
        c0 = v[0, :, :, 0]
        out.append([v.shape, bool(c0.min() == 0 and c0.max() == 10),
                    bool(np.allclose(v[0, :, :, 1], c0 + 100, atol=1e-3)),
                    bool(np.allclose(v[1], v[0] + 1000, atol=1e-3)), bool(0.05 < (c0 == 10).mean() < 0.35),
                    bool(abs(c0.mean() - 5) < 1 and 2.5 < c0.std() < 4.5)])
    v = _imported(tf, g, noise="", uniform_noise=True)
    out.append([bool((v[0, :, :, 0] > 10).mean() > 0.5), bool(np.allclose(v[1] - 1000, v[0], atol=1e-3))])
    return out


def case_glimpse_build_errors(tf):
    x, off = IMAGE, np.zeros((2, 2), np.float32)
    e = tf.image.extract_glimpse
    errs = [error_text(lambda: e(x[0], [2, 2], off)), error_text(lambda: e(x, [2, 2, 2], off)),
            error_text(lambda: e(x, [[2, 2]], off)), error_text(lambda: e(x, [2, 2], off[0])),
            error_text(lambda: e(x, [2, 2], np.zeros((3, 2), np.float32))),
            error_text(lambda: e(x, [2, 2], np.zeros((2, 3), np.float32))),
            error_text(lambda: e(x[0], [2, 2, 2], off[0])), error_text(lambda: e(x, [2.0, 2.0], off)),
            error_text(lambda: e(x, [2, 2], off, centered=1)),
            error_text(lambda: e(x, [2, 2], off, uniform_noise=None)),
            error_text(lambda: e(x.astype(np.int32), [2, 2], off))]
    g = e(x, [2, 2], off, name="imported")
    errs.append(error_text(lambda: _imported(tf, g, noise="zero")))
    errs.append(error_text(lambda: _imported(tf, g, "ExtractGlimpseV2", noise="gaussian")))
    gd = _edited(tf, g, noise="bogus", uniform_noise=False)
    with tf.Graph().as_default():
        y, = tf.import_graph_def(gd, return_elements=[g.name])
        errs.append(kernel_error(tf, y))
    return errs


def case_glimpse_kernel_errors(tf):
    p = tf.placeholder(tf.float32)
    size = tf.placeholder(tf.int32)
    off = tf.placeholder(tf.float32)
    y = tf.image.extract_glimpse(p, size, off)
    x, o = IMAGE, np.zeros((2, 2), np.float32)
    feeds = [{p: x[0], size: [2, 2], off: o}, {p: x, size: [2, 2, 2], off: o}, {p: x, size: [[2, 2]], off: o},
             {p: x, size: [-1, 2], off: o}, {p: x, size: [2, -3], off: o}, {p: x, size: [2, 2], off: o[0]},
             {p: x, size: [2, 2], off: np.zeros((3, 2))}, {p: x, size: [2, 2], off: np.zeros((2, 3))},
             {p: x, size: [-1, 2], off: np.zeros((3, 2))}]
    return [kernel_error(tf, y, f) for f in feeds]
