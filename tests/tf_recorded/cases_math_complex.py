"""Recorded cases: complex numbers (tf.complex, real, imag, conj, angle, abs), their gradients with TF's conj
conventions, complex tensors fed, fetched and crossing devices, issue 16."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, run, sig  # noqa: E402

RE = np.array([[1.5, -2.0, 0.0], [0.25, -4.0, 3.0]], np.float32)
IM = np.array([[0.5, 1.0, -2.0], [0.0, -1.0, 4.0]], np.float32)
Z = (RE + 1j * IM).astype(np.complex64)


def parts(results):
    """run()'s [dtype, value] pairs with complex values split into their real and imaginary parts."""
    return [[d, np.real(v), np.imag(v)] if d.startswith("complex") else [d, v] for d, v in results]


def case_complex_parts_graph(tf):
    c = tf.complex(tf.constant(RE), tf.constant(IM))
    outs = [c, tf.math.real(c), tf.math.imag(c), tf.math.conj(c), tf.math.angle(c), tf.abs(c), tf.real(c),
            tf.imag(c, name="im"), tf.conj(c), tf.angle(c)]
    return [describe(tf), [sig(t) for t in outs], parts(run(tf, outs))]


def case_complex128_and_dtypes_complex(tf):
    c = tf.dtypes.complex(tf.constant(RE.astype(np.float64)), tf.constant(IM.astype(np.float64)), name="c")
    outs = [c, tf.abs(c), tf.math.real(c), c * c, tf.exp(c), tf.math.conj(c) * c]
    return [describe(tf), [sig(t) for t in outs], parts(run(tf, outs))]


def case_real_inputs(tf):
    x = tf.constant(RE)
    outs = [tf.math.real(x), tf.math.imag(x), tf.math.conj(x), tf.math.angle(x), tf.conj(tf.constant([1, 2]))]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_complex_type_errors(tf):
    return [error_text(lambda: tf.complex(tf.constant([1.0]), tf.constant([1.0], tf.float64))),
            error(lambda: tf.complex(tf.constant([1]), tf.constant([1]))),
            error(lambda: tf.math.conj(tf.constant(["a"]))),
            error(lambda: tf.complex(tf.ones([2]), tf.ones([3])))]


def case_complex_gradients(tf):
    x = tf.constant(RE.astype(np.float64))
    y = tf.constant(IM.astype(np.float64))
    c = tf.complex(x, y)
    k = tf.complex(tf.constant(2.0, tf.float64), tf.constant(-1.0, tf.float64))
    loss = (tf.reduce_sum(tf.math.real(c * c * k)) + tf.reduce_sum(tf.math.imag(tf.math.conj(c) * k))
            + tf.reduce_sum(tf.abs(c + 1.0)) + tf.reduce_sum(tf.math.angle(c + 0.5)))
    g = tf.gradients(loss, [x, y])
    return [[sig(t) for t in g], run(tf, g)]


def case_complex_gradient_of_complex_loss(tf):
    x = tf.constant(RE.astype(np.float64))
    c = tf.complex(x, 2.0 * x)
    y = tf.exp(c) * tf.math.conj(c) / (c + 3.0)
    g = tf.gradients(y, [x, c], grad_ys=tf.ones_like(y))
    return [[sig(t) for t in g], parts(run(tf, g))]


def case_complex_feed_and_fetch(tf):
    p = tf.placeholder(tf.complex64, [None, 3])
    q = tf.placeholder(tf.complex128, [])
    outs = [p * 2.0, tf.reduce_sum(p, 1), tf.cast(p, tf.complex128) * q, tf.square(p), tf.identity(q)]
    return parts(run(tf, outs, {p: Z, q: np.complex128(1 - 2j)}))


def case_complex_across_devices(tf):
    with tf.device("/cpu:0"):
        c = tf.complex(tf.constant(RE), tf.constant(IM))
    with tf.device("/job:localhost/replica:0/task:0/device:CPU:0"):
        d = tf.math.conj(c) * c + tf.cast(tf.constant([1.0, 2.0, 3.0]), tf.complex64)
    return parts(run(tf, [c, d, tf.math.real(d)]))


def case_to_complex_casts(tf):
    x = tf.constant(RE)
    outs = [tf.to_complex64(x), tf.to_complex128(x), tf.cast(tf.constant(Z), tf.float32),
            tf.saturate_cast(tf.constant(Z), tf.float32), tf.to_double(x)]
    return [describe(tf), [sig(t) for t in outs], parts(run(tf, outs))]


def case_complex_gradients_of_elementwise_functions(tf):
    x = tf.constant([0.5, -1.0, 2.0], tf.float64)
    c = tf.complex(x, x * 0.5 + 0.25)
    fns = [tf.sqrt, tf.math.rsqrt, tf.exp, tf.math.expm1, tf.math.log, tf.math.log1p, tf.tanh, tf.sigmoid,
           tf.math.reciprocal, tf.sin, tf.cos, tf.square, tf.math.tan, tf.math.sinh, tf.math.cosh, tf.math.asinh,
           tf.math.atan, tf.math.conj, lambda z: z / (z + 1.0), lambda z: tf.cast(tf.abs(z), tf.complex128) * z]
    out = []
    for f in fns:
        y = tf.math.real(f(c) * tf.complex(tf.constant(1.0, tf.float64), tf.constant(-2.0, tf.float64)))
        out.append(run(tf, tf.gradients(tf.reduce_sum(y), [x])))
    return out
