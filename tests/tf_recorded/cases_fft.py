"""Recorded cases: fft, ifft, fft2d, ifft2d, fft3d, ifft3d (values, shapes, gradients, errors) and the N-D ops,
which TF builds but cannot run on a CPU."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run, run_error, sig  # noqa: E402

def crun(tf, fetches):
    """run(), with complex values as their real and imaginary parts (plain() would keep the real part only)."""
    return [[d, np.real(a), np.imag(a)] for d, a in run(tf, fetches)]


R = np.arange(24.0).reshape(2, 3, 4) % 7 - 3.0
C = R + 1j * (R[::-1] * 0.5)


def case_fft_values(tf):
    c64, c128 = tf.constant(C.astype(np.complex64)), tf.constant(C)
    outs = [tf.fft(c64), tf.ifft(c64), tf.fft2d(c128), tf.ifft2d(c64), tf.fft3d(c128), tf.ifft3d(c64),
            tf.fft(tf.constant([1 + 2j], tf.complex64)), tf.fft(tf.constant(np.zeros((2, 0), np.complex64)))]
    return [describe(tf), crun(tf, outs)]


def case_fft_shapes_errors(tf):
    p = tf.placeholder(tf.complex64, [None, 4])
    outs = [tf.fft(p), tf.ifft2d(p), tf.fft3d(tf.placeholder(tf.complex128, [2, None, 3, 5])),
            tf.fft(tf.placeholder(tf.complex64))]
    return [[sig(t) for t in outs], error(lambda: tf.fft(tf.constant([1.0, 2.0]))),
            error(lambda: tf.fft2d(tf.constant([1j], tf.complex64))),
            error(lambda: tf.fft(tf.constant(1j, tf.complex64))),
            error(lambda: tf.fft3d(tf.constant([[1j]], tf.complex64)))]


def case_fft_gradients(tf):
    x = tf.constant(C)
    w = tf.constant(np.cos(np.arange(24.0)).reshape(2, 3, 4) + 0.5j)
    out = []
    for fn in (tf.fft, tf.ifft, tf.fft2d, tf.ifft2d, tf.fft3d, tf.ifft3d):
        out.append(crun(tf, tf.gradients(fn(x), [x], grad_ys=w)))
    x32 = tf.constant(C.astype(np.complex64))
    y = tf.ifft2d(x32)
    out.append(crun(tf, tf.gradients(y, [x32], grad_ys=tf.ones_like(y) * (1 + 2j))))
    return out


def case_fftnd_graph_only(tf):
    c = tf.constant(C.astype(np.complex64))
    r = tf.constant(R.astype(np.float32))
    outs = [tf.fftnd(c, [3, 4], [1, 2]), tf.ifftnd(c, [4], [-1]), tf.rfftnd(r, [3, 4], [1, 2]),
            tf.irfftnd(c, [3, 6], [1, 2]), tf.rfftnd(tf.constant(R), [4], [-1], Tcomplex=tf.complex128)]
    return [describe(tf), [run_error(tf, t) for t in outs]]
