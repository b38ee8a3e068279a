"""Recorded cases: the shapes in 'Assign requires shapes of both tensors to match' (TF writes [2,3], no spaces),
from a runtime tf.assign and from Saver.restore into a variable of another shape (CapsNet-Tensorflow, mask_with_y)."""
import os
import re
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error_text  # noqa: E402


def _shapes(out):
    """The class, and the 'lhs shape= .. rhs shape= ..' part of the message."""
    if not isinstance(out, list):
        return out
    m = re.search(r"lhs shape= \S+ rhs shape= \S+", out[1])
    return [out[0], m.group(0) if m else out[1]]


def case_assign_shape_message(tf):
    v = tf.Variable(tf.zeros([2, 3]), name="v")
    p = tf.placeholder(tf.float32, None)
    a = tf.assign(v, p)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return _shapes(error_text(lambda: s.run(a, {p: np.ones([3, 4], np.float32)})))


def case_restore_shape_message(tf):
    d = tempfile.mkdtemp()
    with tf.Graph().as_default():
        w = tf.get_variable("w", initializer=tf.zeros([160, 5]))
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            tf.train.Saver().save(s, os.path.join(d, "m"))
    with tf.Graph().as_default():
        w = tf.get_variable("w", initializer=tf.zeros([16, 5]))
        saver = tf.train.Saver()
        with tf.Session() as s:
            return _shapes(error_text(lambda: saver.restore(s, os.path.join(d, "m"))))
