"""TF's CPU tanh and exp of float32 are Eigen's ptanh_float and pexp_float as TF builds them (no fused multiply-adds):
a tanh or exp of 8K elements or more runs as a compiled loop of those formulas (scheduler/jit.py,
raygraph/ops/scalar_math.py) and gives TF's bits, but for the denormal results TF's kernels flush to zero. Results
are bit patterns: only identical values pass (the formulas raygraph had before, Eigen's older tanh and its exp with
fused multiply-adds, gave a third of the tanhs and three quarters of the exps)."""
import hashlib

import numpy as np

SPECIAL = [0.0, -0.0, 1e-30, 1e-5, 3e-4, 4e-4, 4.1e-4, 0.5, 1.25, 3.9, 7.9, 7.907, 7.9074, 7.99, 8.02, 9.0, 20.0, 1e30,
           np.inf, -np.inf, np.nan]


def _inputs(n, seed):
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.uniform(-10, 10, n // 2), rng.standard_normal(n // 4) * 2,
                        rng.uniform(-1e-3, 1e-3, n // 4)])
    return np.concatenate([SPECIAL, -np.asarray(SPECIAL), x]).astype(np.float32)


def _bits(values):
    """A digest of all the bits and every 997th element's bits (where they differ, which)."""
    bits = np.asarray(values, np.float32).view(np.uint32)
    return {"sha1": hashlib.sha1(bits.tobytes()).hexdigest(), "every_997th": bits[::997], "n": bits.size}


def case_a_long_exp_gives_tfs_bits(tf):
    """exp, and elu built on it; inputs whose exp is denormal left out (TF flushes those to zero)."""
    rng = np.random.default_rng(5)
    v = np.concatenate([rng.uniform(-87, 88.7, 50000), rng.uniform(-2, 2, 40000), rng.standard_normal(10000) * 5,
                        [0.0, -0.0, 88.72, 88.723, 88.8, -87.3, -104.5, -200.0, np.inf, -np.inf, np.nan]])
    x = tf.placeholder(tf.float32, [None])
    with tf.Session() as s:
        return [_bits(s.run(y, {x: v.astype(np.float32)})) for y in (tf.exp(x), tf.nn.elu(x))]


def case_a_long_tanh_gives_tfs_bits(tf):
    x = tf.placeholder(tf.float32, [None])
    y = tf.tanh(x)
    with tf.Session() as s:
        return [_bits(s.run(y, {x: _inputs(n, n)})) for n in (8192, 100000)]


def case_a_tanh_between_two_products(tf):
    """The tanh of a hidden layer [128, 384] (its own compiled loop between the products), its inputs products of
    small integers and multiples of 1/64: exact, the same bits on both sides whatever order the product adds in."""
    rng = np.random.default_rng(7)
    x = tf.constant(rng.integers(-3, 4, (128, 256)).astype(np.float32))
    w = tf.constant((rng.integers(-2, 3, (256, 384)) / 64).astype(np.float32))
    h = tf.tanh(tf.matmul(x, w))
    out = tf.matmul(h, tf.constant(np.ones((384, 4), np.float32)))
    with tf.Session() as s:
        hv, ov = s.run([h, out])
    return [_bits(hv), np.round(ov.astype(np.float64), 3)]
