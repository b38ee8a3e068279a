"""Recorded cases: dataset functions that use tensors of the outer graph (TF's captures): constants, fed
placeholders (re-initialized with other values), variables, in map, parallel map, filter, flat_map and
interleave, nested functions; the captured tensors as the op's other_arguments; TF's errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error_text  # noqa: E402


def _values(s, nxt, n):
    return [np.asarray(s.run(nxt)).tolist() for _ in range(n)]


def case_capture_constant_and_variable(tf):
    c = tf.constant([1.0, 2.0])
    v = tf.Variable(3.0)
    R = tf.data.Dataset.range
    d = R(3).map(lambda x: tf.cast(x, tf.float32) * c + v)
    e = R(6).filter(lambda x: tf.cast(x, tf.float32) < c[1]).map(lambda x: x * 2, num_parallel_calls=2)
    it = tf.data.make_initializable_iterator(d)
    one = tf.data.make_one_shot_iterator(e).get_next()
    op = d._variant_tensor.op
    out = [op.type, [t.name for t in op.inputs], [str(t) for t in op.get_attr("Targuments")]]
    with tf.Session() as s:
        s.run(v.initializer)
        s.run(it.initializer)
        out.append(_values(s, it.get_next(), 3))
        out.append(_values(s, one, 2))
    return out


def case_capture_variable_initializable_and_one_shot(tf):
    v = tf.Variable(3.0)
    d = tf.data.Dataset.range(6).filter(lambda x: tf.cast(x, tf.float32) < v)
    it = tf.data.make_initializable_iterator(d)
    nxt = it.get_next()
    with tf.Session() as s:
        s.run(v.initializer)
        s.run(it.initializer)
        got = _values(s, nxt, 3)
        s.run(v.assign(1.0))
        s.run(it.initializer)
        again = _values(s, nxt, 1)
    return [got, again, error_text(lambda: tf.data.make_one_shot_iterator(d))]


def case_capture_placeholder_reinitialized(tf):
    p = tf.placeholder(tf.int64, [])
    q = tf.placeholder(tf.float32, [None])
    d = tf.data.Dataset.range(10).filter(lambda x: tf.equal(x % p, 0)).map(lambda x: tf.cast(x, tf.float32) + q)
    it = tf.data.make_initializable_iterator(d)
    nxt = it.get_next()
    out = []
    with tf.Session() as s:
        for k, base in ((3, [0.0, 0.5]), (4, [10.0, 20.0])):
            s.run(it.initializer, {p: k, q: base})
            out.append(_values(s, nxt, 3))
    return out


def case_capture_in_flat_map_and_interleave(tf):
    n = tf.constant(2, tf.int64)
    scale = tf.constant(10, tf.int64)
    R = tf.data.Dataset.range
    flat = R(3).flat_map(lambda x: R(n).map(lambda y: x * scale + y))
    inter = R(3).interleave(lambda x: R(n).map(lambda y: x + y * scale), cycle_length=2)
    with tf.Session() as s:
        return [_values(s, tf.data.make_one_shot_iterator(flat).get_next(), 6),
                _values(s, tf.data.make_one_shot_iterator(inter).get_next(), 6)]


def case_capture_placeholder_in_one_shot_iterator(tf):
    p = tf.placeholder(tf.float32, [])
    d = tf.data.Dataset.range(3).map(lambda x: tf.cast(x, tf.float32) * p)
    return error_text(lambda: tf.data.make_one_shot_iterator(d))
