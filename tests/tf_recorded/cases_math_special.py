"""Recorded cases: tf.math's trigonometry, special functions and safe binary ops (values, graphs, gradients,
errors), issue 16."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, grads, run, run_error, sig  # noqa: E402

U = np.array([[-0.7, -0.2, 0.1], [0.3, 0.55, 0.85]], np.float32)
P = np.array([[0.4, 1.1, 2.5], [3.2, 0.75, 1.9]], np.float32)
P64 = P.astype(np.float64)


def case_trig_values_and_graph(tf):
    x = tf.constant(U)
    outs = [tf.tan(x), tf.asin(x), tf.acos(x), tf.atan(x), tf.sinh(x), tf.cosh(x), tf.asinh(x),
            tf.acosh(x + 2.0), tf.atanh(x), tf.math.tan(x, name="t")]
    return [describe(tf), run(tf, outs)]


def case_trig_gradients(tf):
    x = tf.constant(U.astype(np.float64))
    fns = [tf.tan, tf.asin, tf.acos, tf.atan, tf.sinh, tf.cosh, tf.asinh, tf.atanh]
    y = tf.add_n([f(x) for f in fns]) + tf.acosh(x + 2.0)
    return grads(tf, tf.reduce_sum(y * np.arange(6.0).reshape(2, 3)), [x])[1:]


def case_trig_float16_and_type_errors(tf):
    h = tf.constant(U.astype(np.float16))
    i = tf.constant([1, 2])
    return [run(tf, [tf.sinh(h), tf.atan(h)]), error(lambda: tf.tan(i)), error(lambda: tf.acos(i)),
            error_text(lambda: tf.asinh(tf.constant([1], tf.int64)))]


def case_gamma_family(tf):
    x = tf.constant(P)
    outs = [tf.lgamma(x), tf.digamma(x), tf.math.lgamma(-x), tf.math.digamma(tf.constant([0.0, -1.0, -1.5])),
            tf.lgamma(tf.constant([0.0, -1.0, -2.5]))]
    return [describe(tf), run(tf, outs)]


def case_gamma_gradients(tf):
    x = tf.constant(P64)
    y = tf.reduce_sum(tf.lgamma(x) * 2.0 + tf.digamma(x))
    added, sigs, values = grads(tf, y, [x])
    return [sorted({t for _, t in added if t in ("Digamma", "Polygamma")}), sigs, values]


def case_error_functions(tf):
    x = tf.constant(U)
    outs = [tf.erf(x), tf.erfc(x), tf.math.erfinv(x), tf.math.ndtri(x * 0.5 + 0.5), tf.math.erfcinv(x + 1.0)]
    return [describe(tf), run(tf, outs)]


def case_error_function_gradients(tf):
    x = tf.constant(U.astype(np.float64))
    y = tf.reduce_sum(tf.erf(x) + 2.0 * tf.erfc(x) + tf.math.erfinv(x) + tf.math.ndtri(x * 0.5 + 0.5))
    return grads(tf, y, [x])[1:]


def case_bessel(tf):
    x = tf.constant([[-2.5, -0.5, 0.0], [0.3, 1.0, 4.0]])
    outs = [tf.math.bessel_i0(x), tf.math.bessel_i1(x), tf.math.bessel_i0e(x), tf.math.bessel_i1e(x)]
    return [describe(tf), run(tf, outs)]


def case_bessel_gradients(tf):
    x = tf.constant([[-2.5, -0.5, 0.0], [0.3, 1.0, 4.0]], tf.float64)
    ys = [tf.math.bessel_i0(x), tf.math.bessel_i1(x), tf.math.bessel_i0e(x), tf.math.bessel_i1e(x)]
    return [grads(tf, tf.reduce_sum(y), [x])[1:] for y in ys]


def case_polygamma_zeta(tf):
    n = tf.constant([0.0, 1.0, 2.0, 1.5, -1.0])
    x = tf.constant([2.0, 2.0, 0.5, 2.0, 2.0])
    outs = [tf.math.polygamma(n, x), tf.math.zeta(tf.constant([2.0, 3.0, 1.0, 0.5, 4.0]), x),
            tf.polygamma(1.0, tf.constant(P)), tf.zeta(tf.constant(P) + 1.5, tf.constant([1.0, 2.0, 0.5]))]
    return [describe(tf), run(tf, outs)]


def case_polygamma_zeta_gradients(tf):
    n = tf.constant([1.0, 2.0, 0.0], tf.float64)
    x = tf.constant(P64)
    q = tf.constant([1.0, 2.0, 0.5], tf.float64)
    y = tf.reduce_sum(tf.math.polygamma(n, x)) + tf.reduce_sum(tf.math.zeta(x + 1.5, q))
    return grads(tf, y, [n, x, q])[1:]


def case_incomplete_gamma_and_beta(tf):
    a = tf.constant(P)
    x = tf.constant([[0.5, 1.0, 2.0], [3.0, 0.1, 5.0]])
    outs = [tf.math.igamma(a, x), tf.math.igammac(a, x), tf.igamma(a, 1.5), tf.math.betainc(a, a + 1.0, x / 6.0),
            tf.betainc(2.0, 3.0, tf.constant([0.0, 0.25, 1.0]))]
    return [describe(tf), run(tf, outs)]


def case_incomplete_gamma_and_beta_gradients(tf):
    a = tf.constant(P64)
    x = tf.constant([[0.5, 1.0, 2.0], [3.0, 0.1, 5.0]], tf.float64)
    b = tf.constant(P64[::-1].copy())
    y = tf.reduce_sum(tf.math.igamma(a, x) + 2.0 * tf.math.igammac(a, x * 0.5) + tf.math.betainc(a, b, x / 6.0))
    _, sigs, values = grads(tf, y, [a, x, b])
    return [sigs, values]


def case_betainc_shape_error(tf):
    return error(lambda: tf.math.betainc(tf.ones([2, 3]), tf.ones([3]), tf.ones([2, 3])))


def case_safe_binary_ops(tf):
    x = tf.constant([0.0, 0.0, 1.5, -2.0, 3.0])
    y = tf.constant([0.0, -1.0, 2.0, 0.5, 0.0])
    outs = [tf.math.xlogy(x, y), tf.math.xdivy(x, y), tf.math.xlog1py(x, y), tf.math.multiply_no_nan(x, y),
            tf.math.multiply_no_nan(tf.constant([np.inf, np.nan, 2.0]), tf.constant([0.0, 0.0, 3.0])),
            tf.math.divide_no_nan(x, y), tf.math.reciprocal_no_nan(y), tf.math.xlogy(x, 2.0)]
    return [describe(tf), run(tf, outs)]


def case_safe_binary_gradients(tf):
    x = tf.constant([[0.5, -1.5, 2.0], [1.0, 0.25, -0.5]], tf.float64)
    y = tf.constant([1.5, 0.5, 2.5], tf.float64)
    out = tf.reduce_sum(tf.math.xlogy(x, y) + tf.math.xdivy(x, y) + tf.math.xlog1py(x, y) +
                        tf.math.multiply_no_nan(x, y) + tf.math.reciprocal_no_nan(x))
    return grads(tf, out, [x, y])[1:]


def case_nextafter_truncatemod(tf):
    a = tf.constant([1.0, -1.0, 0.0], tf.float64)
    b = tf.constant([2.0, -2.0, -1.0], tf.float64)
    i = tf.constant([7, -7, 7, -7])
    j = tf.constant([3, 3, -3, -3])
    outs = [tf.math.nextafter(a, b) - a, tf.truncatemod(i, j), tf.truncatemod(tf.constant([7.5, -7.5]), 2.0),
            tf.math.nextafter(tf.constant([1.0]), tf.constant([2.0]))]
    graph = describe(tf)
    g = tf.gradients(tf.reduce_sum(tf.math.nextafter(a, b) * 3.0), [a, b])
    return [graph, run(tf, outs), run(tf, g), run_error(tf, tf.truncatemod(i, tf.constant([1, 0, 1, 1])))]


def case_named_and_top_level(tf):
    x = tf.constant(P)
    outs = [tf.math.sinh(x, name="s"), tf.lgamma(x, name="lg"), tf.math.erfinv(x * 0.1, name="ei"),
            tf.math.bessel_i0e(x, name="b"), tf.math.xlogy(x, x, name="xl"), tf.math.lbeta(x, name="lb"),
            tf.math.log_sigmoid(x, name="ls")]
    return [[sig(t) for t in outs], describe(tf)]


def case_lbeta_log_sigmoid(tf):
    x = tf.constant(P)
    outs = [tf.math.lbeta(x), tf.lbeta(tf.constant([[[1.0, 2.0]]])), tf.math.log_sigmoid(tf.constant(U) * 10.0),
            tf.log_sigmoid(tf.constant([-100.0, 0.0, 100.0]))]
    y = tf.reduce_sum(tf.math.lbeta(tf.constant(P64))) + tf.reduce_sum(tf.math.log_sigmoid(tf.constant(P64)))
    return [describe(tf), run(tf, outs), [sig(t) for t in outs], grads(tf, y, [])]


def case_special_type_errors(tf):
    i = tf.constant([1, 2])
    c = tf.constant([1 + 2j], tf.complex64)
    return [error(lambda: tf.lgamma(i)), error(lambda: tf.erf(c)), error(lambda: tf.math.zeta(i, i)),
            error(lambda: tf.math.polygamma(tf.constant([1.0], tf.float16), tf.constant([1.0], tf.float16))),
            error(lambda: tf.math.xlogy(i, i)), error(lambda: tf.math.nextafter(i, i)),
            error(lambda: tf.math.igamma(tf.constant([1.0]), tf.constant([1.0], tf.float64)))]
