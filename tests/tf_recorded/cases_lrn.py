"""Recorded cases: LRN and its gradient over inputs large enough for their compiled loops (kernel_loops.lrn)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import run  # noqa: E402

X = (np.maximum(np.sin(np.arange(4 * 4 * 32) * 0.37) * 4, 0)).reshape(1, 4, 4, 32).astype(np.float32)   # (512
W = np.cos(np.arange(4 * 4 * 32) * 0.11).reshape(1, 4, 4, 32).astype(np.float32)   # elements: compiled.COMPILED)


def case_lrn_compiled_betas_and_gradients(tf):
    x = tf.placeholder(tf.float32, [None, 4, 4, 32], name="x")
    outs = [tf.nn.local_response_normalization(x, depth_radius=5, bias=2.0, alpha=1e-4, beta=0.75),
            tf.nn.lrn(x), tf.nn.lrn(x, 2, 1.0, 0.5, 1.0), tf.nn.lrn(x, 40, 0.5, 0.3, 0.6)]
    grad = tf.gradients(tf.add_n([tf.reduce_sum(o * W * (k + 1)) for k, o in enumerate(outs)]), x)[0]
    return [run(tf, outs + [grad], {x: X})]
