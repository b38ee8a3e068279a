"""Recorded cases: float32 normal draws (Box-Muller over the C library's logf, sinf and cosf, as TF's kernels) to
the bit, small draws and draws large enough for the compiled loop that calls the library (raygraph/ops/philox.py)."""
import numpy as np


def case_normal_and_truncated_normal_bits(tf):
    tf.set_random_seed(7)
    draws = {"normal_5": tf.random_normal([5], seed=1), "normal_3000": tf.random_normal([3000], seed=2),
             "truncated_3000": tf.truncated_normal([3000], seed=3),
             "scaled_400x9": tf.random_normal([400, 9], mean=1.5, stddev=0.25, seed=4)}
    with tf.Session() as s:
        values = s.run(draws)
    return {k: np.asarray(v, np.float32).view(np.uint32) for k, v in values.items()}
