"""Recorded cases: tf.fingerprint (farmhash64 of each row's bytes, or of its strings' fingerprints)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run, run_error, sig  # noqa: E402


def case_fingerprint_values(tf):
    outs = [tf.fingerprint(tf.constant([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]])), tf.fingerprint(tf.constant([1, 2, 3])),
            tf.fingerprint(tf.constant(np.arange(40, dtype=np.int64).reshape(2, 4, 5))),
            tf.fingerprint(tf.constant(np.arange(300, dtype=np.uint8).astype(np.uint8).reshape(3, 100))),
            tf.fingerprint(tf.constant(["hello", "", "a somewhat longer string, over sixty-four bytes long, to hash"])),
            tf.fingerprint(tf.constant([["a", "bc"], ["d", ""]])), tf.fingerprint(tf.constant([True, False])),
            tf.fingerprint(tf.constant(np.zeros((0, 3), np.float32))), tf.fingerprint(tf.constant([[1.5]], tf.float16))]
    return [describe(tf), run(tf, outs)]


def case_fingerprint_shapes_errors(tf):
    p = tf.placeholder(tf.int32, [None, 3])
    return [sig(tf.fingerprint(p)), sig(tf.fingerprint(tf.placeholder(tf.string))), error(lambda: tf.fingerprint(1)),
            error(lambda: tf.fingerprint([1], method=["farmhash64"])),
            error(lambda: tf.fingerprint([1], method="md5")),
            run_error(tf, tf.fingerprint([1], method=tf.placeholder_with_default("md5", [])))]
