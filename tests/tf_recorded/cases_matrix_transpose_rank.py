"""Recorded cases: tf.linalg.matrix_transpose (and adjoint) of a tensor of unknown rank: TF computes the
permutation from the rank (Rank, Range, ConcatV2) instead of a constant list."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, kernel_error, run, sig  # noqa: E402


def case_matrix_transpose_unknown_rank(tf):
    p = tf.placeholder(tf.float32)
    c = tf.placeholder(tf.complex64)
    outs = [tf.matrix_transpose(p), tf.linalg.adjoint(c), tf.linalg.matrix_transpose(c, conjugate=True)]
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    z = (np.arange(6) + 1j * np.arange(6)[::-1]).astype(np.complex64).reshape(2, 3)
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {p: x, c: z}),
            run(tf, outs[:1], {p: x[0]}), kernel_error(tf, outs[0], {p: x[0, 0]})]
