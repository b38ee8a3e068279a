"""The activations' gradient ops TF builds (EluGrad, SeluGrad, Relu6Grad, LeakyReluGrad, SoftsignGrad, and ReluGrad):
graph, values at special points, dtypes, second derivatives, shape errors at build time and size errors at run time."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error_text, grads, kernel_error, run, sig  # noqa: E402

SPECIAL = np.array([-7.0, -1.5, -1e-8, -0.0, 0.0, 1e-8, 0.5, 5.999, 6.0, 6.5, np.inf, -np.inf, np.nan],
                   np.float32)


def _activations(tf):
    return [tf.nn.elu, tf.nn.selu, tf.nn.relu6, lambda x: tf.nn.leaky_relu(x, 0.3), tf.nn.softsign, tf.nn.relu]


def case_activation_gradient_graphs(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    out = []
    for f in _activations(tf):
        y = f(x)
        added, sigs, _ = grads(tf, y, [x], {x: np.ones((2, 3), np.float32)})
        out.append([added, sigs])
    return out


def case_activation_gradient_values(tf):
    rng = np.random.default_rng(3)
    out = []
    for dtype in (np.float32, np.float64, np.float16):
        x = tf.constant(SPECIAL.astype(dtype))
        g = tf.constant(rng.standard_normal(SPECIAL.shape).astype(dtype))
        g_nan = tf.constant(np.full(SPECIAL.shape, np.nan, dtype))
        for f in _activations(tf):
            y = f(x)
            out.append(tf.gradients(y, x, grad_ys=g)[0])
            out.append(tf.gradients(y, x, grad_ys=g_nan)[0])
    return run(tf, out)


def case_activation_second_derivatives(tf):
    rng = np.random.default_rng(4)
    x = tf.constant(rng.standard_normal((2, 5)).astype(np.float32) * 3)
    out, sigs = [], []
    for f in _activations(tf)[:4] + _activations(tf)[5:]:
        g = tf.constant(rng.standard_normal((2, 5)).astype(np.float32))
        dx = tf.gradients(f(x), x, grad_ys=g)[0]
        second = tf.gradients(dx, [x, g])
        sigs.append([None if t is None else sig(t) for t in second])
        out += [t for t in second if t is not None]
    no_grad = error_text(lambda: tf.gradients(tf.gradients(tf.nn.softsign(x), x)[0], x), 100)
    return [sigs, run(tf, out), no_grad]


def case_activation_grad_op_errors(tf):
    out = []
    for f in _activations(tf):
        a = tf.placeholder(tf.float32, [None])
        dx = tf.gradients(f(a), a, grad_ys=tf.placeholder(tf.float32, [None]))[0]
        g_in = dx.op.inputs[0]
        out.append(kernel_error(tf, dx, {a: np.ones(3, np.float32), g_in: np.ones(2, np.float32)}))
    x3 = tf.placeholder(tf.float32, [3])
    out.append(error_text(lambda: tf.gradients(tf.nn.elu(x3), x3, grad_ys=tf.zeros([4]))[0], 300))
    out.append(error_text(lambda: tf.gradients(tf.nn.leaky_relu(x3), x3, grad_ys=tf.zeros([1, 3]))[0], 300))
    return out


def case_elu_selu_forward_at_tiny_negatives(tf):
    """TF computes exp(x) - 1 (not expm1): a negative x smaller than half an ulp of 1 gives 0, and -0.0 stays."""
    x = tf.constant(np.array([-1e-9, -1e-8, -6e-8, -1e-7, -0.0, 1e-9], np.float32))
    ys = [tf.nn.elu(x), tf.nn.selu(x)]
    return run(tf, ys) + [repr(np.signbit(v).tolist()) for v in run_values(tf, ys)]


def run_values(tf, ts):
    with tf.Session() as s:
        return s.run(ts)
