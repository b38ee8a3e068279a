"""Recorded cases: tf.image.ssim_multiscale (MS-SSIM): float and uint8 images, sizes that need the SYMMETRIC
padding before a halving and sizes that do not, extra and broadcast batch dims, custom scales and filters, the
default five scales, gradients, unknown dims fed at run time, and the errors for incompatible or too small
images; the graph it builds."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, kernel_error, run, run_error, sig

THREE = (0.2, 0.3, 0.5)


def pair(shape, noise=0.1):
    """A random image batch in [0, 1] and a noisy copy of it, the same whichever cases run before (a generator
    seeded by the shape)."""
    rng = np.random.RandomState(sum(d * 31 ** i for i, d in enumerate(shape)) % 2 ** 31)
    a = rng.rand(*shape).astype(np.float32)
    b = np.clip(a + rng.normal(0, noise, shape), 0, 1).astype(np.float32)
    return a, b


def case_float_sizes(tf):
    outs = []
    # 48 x 52 halves evenly twice; 45 x 51 is padded at both halvings; 50 x 46 only at the second
    for shape in ([2, 48, 52, 3], [2, 45, 51, 3], [1, 50, 46, 2]):
        a, b = pair(shape)
        x, y = tf.constant(a), tf.constant(b)
        outs += [tf.image.ssim_multiscale(x, y, 1.0, power_factors=THREE), tf.image.ssim_multiscale(x, x, 1.0, THREE)]
    a, b = pair([2, 23, 25, 3])
    outs += [tf.image.ssim_multiscale(tf.constant(a), tf.constant(b), 1.0, power_factors=(0.4, 0.6)),
             tf.image.ssim_multiscale(tf.constant(a), tf.constant(b), 1.0, power_factors=[1.0]),
             tf.image.ssim_multiscale(tf.constant(a), tf.constant(b), 2.0, power_factors=(0.4, 0.6))]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_default_weights(tf):
    a, b = pair([1, 161, 170, 1], 0.05)
    x, y = tf.constant(a), tf.constant(b)
    outs = [tf.image.ssim_multiscale(x, y, 1.0), tf.image.ssim_multiscale(x, x, 1.0)]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_dtypes(tf):
    a, b = pair([2, 26, 24, 3])
    ua, ub = tf.constant((a * 255).astype(np.uint8)), tf.constant((b * 255).astype(np.uint8))
    outs = [tf.image.ssim_multiscale(ua, ub, 255, power_factors=(0.5, 0.5)),
            tf.image.ssim_multiscale(ua, ub, 255.0, power_factors=(0.5, 0.5)),
            tf.image.ssim_multiscale(tf.constant(a.astype(np.float64)), tf.constant(b.astype(np.float64)), 1.0,
                                     power_factors=(0.5, 0.5)),
            tf.image.ssim_multiscale(tf.constant(a), tf.constant(b), tf.constant(1.0), power_factors=(0.5, 0.5))]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_custom_filter(tf):
    a, b = pair([2, 30, 27, 2], 0.2)
    x, y = tf.constant(a), tf.constant(b)
    outs = [tf.image.ssim_multiscale(x, y, 1.0, power_factors=THREE, filter_size=7, filter_sigma=1.0),
            tf.image.ssim_multiscale(x, y, 1.0, power_factors=(0.5, 0.5), filter_size=5, filter_sigma=0.8,
                                     k1=0.02, k2=0.05),
            tf.image.ssim_multiscale(x, y, 1.0, power_factors=(0.25, 0.25, 0.25, 0.25), filter_size=3,
                                     filter_sigma=2.0)]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_batch_dims(tf):
    a, b = pair([3, 2, 24, 26, 2])
    c, d = pair([2, 1, 24, 26, 2])
    e, f = pair([24, 26, 2])
    outs = [tf.image.ssim_multiscale(tf.constant(a), tf.constant(b), 1.0, power_factors=(0.5, 0.5)),
            tf.image.ssim_multiscale(tf.constant(c), tf.constant(a[0]), 1.0, power_factors=(0.5, 0.5)),
            tf.image.ssim_multiscale(tf.constant(d), tf.constant(b[0, :1]), 1.0, power_factors=(0.5, 0.5)),
            tf.image.ssim_multiscale(tf.constant(e), tf.constant(f), 1.0, power_factors=(0.5, 0.5))]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_gradient(tf):
    a, b = pair([2, 25, 24, 2], 0.05)
    x, y = tf.constant(a), tf.constant(b)
    ms = tf.image.ssim_multiscale(x, y, 1.0, power_factors=(0.4, 0.6))
    gx, gy = tf.gradients(tf.reduce_sum(ms) * 1000.0, [x, y])
    ms2 = tf.image.ssim_multiscale(x, y, 1.0, power_factors=THREE, filter_size=5)
    g2 = tf.gradients(tf.reduce_sum(ms2) * 1000.0, x)[0]
    return [[sig(t) for t in (gx, gy, g2)], run(tf, [ms, gx, gy, ms2, g2])]


def case_unknown_dims(tf):
    a, b = pair([2, 45, 48, 3])
    p = tf.placeholder(tf.float32, [None, None, None, 3])
    q = tf.placeholder(tf.float32, [None, None, None, None])
    r = tf.placeholder(tf.float32)
    s = tf.placeholder(tf.float32, [2, None, 48, 3])
    u = tf.placeholder(tf.uint8, [None, None, None, 3])
    outs = [tf.image.ssim_multiscale(p, q, 1.0, power_factors=THREE),
            tf.image.ssim_multiscale(r, p, 1.0, power_factors=(0.5, 0.5)),
            tf.image.ssim_multiscale(s, tf.constant(b), 1.0, power_factors=THREE),
            tf.image.ssim_multiscale(r, r, 1.0, power_factors=(0.5, 0.5)),
            tf.image.ssim_multiscale(u, u, 255, power_factors=(0.5, 0.5))]
    feed = {p: a, q: b, r: b, s: a, u: (a * 255).astype(np.uint8)}
    return [[sig(t) for t in outs], run(tf, outs, feed)]


def case_build_errors(tf):
    def ms(shape1, shape2, **kw):
        return lambda: tf.image.ssim_multiscale(tf.zeros(shape1), tf.zeros(shape2), 1.0, **kw)
    return [error_text(ms([2, 24, 26, 3], [2, 24, 25, 3])),
            error_text(ms([2, 24, 26, 3], [2, 24, 26, 1])),
            error_text(ms([2, 24, 26, 3], [3, 24, 26, 3])),
            error_text(ms([2, 3, 24, 26, 3], [4, 24, 26, 3])),
            error_text(ms([24, 26], [24, 26])),
            error_text(ms([2, 24, 26, 3], [24, 26])),
            error_text(ms([1, 8, 8, 1], [1, 8, 8, 1])),
            error_text(lambda: tf.image.ssim_multiscale(tf.zeros([1, 24, 26, 1]), tf.zeros([1, 24, 26, 1]), 1.0,
                                                        power_factors=()))]


def too_small(tf, fetch, feed):
    """kernel_error without the failing node: both images fail their size check, and which check TF's executor
    runs first (the first image's Assert or the second's Assert_1) is up to its scheduling."""
    out = kernel_error(tf, fetch, feed)
    return [out[0], out[1].split(" [[")[0]] if isinstance(out, list) else out


def case_run_errors(tf):
    a, b = pair([2, 45, 48, 3])
    p = tf.placeholder(tf.float32, [None, None, None, 3])
    q = tf.placeholder(tf.float32, [None, None, None, 3])
    three = tf.image.ssim_multiscale(p, q, 1.0, power_factors=THREE)
    four = tf.image.ssim_multiscale(tf.constant(a), tf.constant(b), 1.0, power_factors=(0.2, 0.3, 0.5, 0.0))
    return [too_small(tf, three, {p: a[:, :10], q: b[:, :10]}),  # too small at the finest scale
            too_small(tf, three, {p: a[:, :30], q: b[:, :30]}),  # too small at the third: 30 -> 15 -> 8
            kernel_error(tf, three, {p: a, q: b[:, :44]}),  # the images' dims differ
            kernel_error(tf, three, {p: a, q: b[:1]}),  # batch dims broadcast: fine
            # 45 x 48 is 6 x 6 at the fourth scale: TF runs the second image's convolution (which waits on no
            # check) before the checks and fails there; raygraph fails the check first: the class only
            run_error(tf, four)]


def case_graph(tf):
    p = tf.placeholder(tf.float32, [2, 16, 13, 3])
    q = tf.placeholder(tf.float32, [2, 16, 13, 3])
    one = tf.image.ssim_multiscale(p, q, 1.0, power_factors=[1.0])
    full = describe(tf)
    tf.reset_default_graph()
    p = tf.placeholder(tf.float32, [2, 16, 13, 3])
    q = tf.placeholder(tf.uint8, [2, 16, 13, 3])
    three = tf.image.ssim_multiscale(p, tf.cast(q, tf.float32) / 255.0, 1.0, power_factors=THREE, filter_size=5)
    return [sig(one), full, sig(three), describe(tf)]
