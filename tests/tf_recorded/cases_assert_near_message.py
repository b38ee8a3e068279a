"""Recorded cases: tf.debugging.assert_near's failure message with a user message (TF's '<message>.  ' prefix)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import kernel_error  # noqa: E402


def case_assert_near_message(tf):
    p = tf.placeholder(tf.float32, [2])
    checks = [tf.debugging.assert_near(p, [1.0, 2.0], message="probs do not sum to 1"),
              tf.debugging.assert_near(p, [1.0, 2.0])]
    v = np.array([1.0, 3.0], np.float32)
    return [kernel_error(tf, c, {p: v}) for c in checks]
