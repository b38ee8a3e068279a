"""Recorded cases: TF1's tensorflow.python.layers.utils (raygraph.python.layers.utils): smart_cond with a Python
bool, 0/1, a constant tensor, a placeholder and a Variable (a tf.cond only when the value is unknown while
building), constant_value, and their TypeErrors."""
import importlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error, run  # noqa: E402


def _utils(tf):
    return importlib.import_module(tf.__name__.split(".")[0] + ".python.layers.utils")


def case_smart_cond(tf):
    u = _utils(tf)
    p = tf.placeholder(tf.bool, [])
    v = tf.Variable(True)
    outs = [u.smart_cond(x, lambda: tf.constant(1), lambda: tf.constant(2)) for x in (True, 0, tf.constant(False), p, v)]
    with tf.Session() as s:
        s.run(v.initializer)
        values = s.run(outs, {p: True})
    return [[o.op.type for o in outs], [o.name for o in outs], values,
            [str(u.constant_value(x)) for x in (True, 1, tf.constant(True), p, v)],
            error(lambda: u.smart_cond("yes", lambda: 1, lambda: 2)), error(lambda: u.smart_cond(True, 1, lambda: 2)),
            error(lambda: u.smart_cond(True, lambda: 1, None)), error(lambda: u.constant_value("x"))]
