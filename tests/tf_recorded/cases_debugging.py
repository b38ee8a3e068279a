"""Recorded cases: tf.debugging and the top-level tf.assert_* aliases (check_ops.py), CheckNumerics,
add_check_numerics_ops, assert_all_finite, is_non_decreasing / is_strictly_increasing."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, kernel_error, run, sig

A = np.array([[1.5, -2.0, 3.0], [0.25, 4.0, -0.5]], np.float32)


# ----- binary asserts --------------------------------------------------------------------------------------
def case_assert_equal_graph(tf):
    x = tf.placeholder(tf.float32, [None])
    a = tf.debugging.assert_equal(x, tf.constant([1.0, 2.0]), message="hi")
    b = tf.assert_equal(tf.placeholder(tf.int32, [2]), [1, 2], name="ints")
    return [describe(tf), a.name, a.type, b.name, b.type]


def case_assert_equal_runs(tf):
    x = tf.placeholder(tf.float32, [None])
    a = tf.assert_equal(x, tf.constant([1.0, 2.0]), message="hi")
    with tf.control_dependencies([a]):
        y = tf.identity(x)
    i = tf.placeholder(tf.int32, [3])
    b = tf.assert_equal(i, 2, summarize=2)
    with tf.Session() as s:
        ok = s.run(y, {x: [1.0, 2.0]})
    return [ok.tolist(), kernel_error(tf, y, {x: [1.0, 3.0]}), kernel_error(tf, b, {i: [2, 3, 4]})]


def case_binary_asserts_run(tf):
    x = tf.placeholder(tf.float32, [3])
    y = tf.placeholder(tf.float32, [3])
    ops = [tf.assert_less(x, y), tf.assert_less_equal(x, y), tf.assert_greater(x, y),
           tf.assert_greater_equal(x, y), tf.assert_none_equal(x, y), tf.debugging.assert_near(x, y)]
    feeds = [{x: [1, 2, 3], y: [2, 3, 4]}, {x: [1, 2, 3], y: [1, 2, 3]}, {x: [3, 2, 1], y: [1, 2, 3]}]
    return [[kernel_error(tf, o, f) for o in ops] for f in feeds]


def case_binary_asserts_static(tf):
    c = tf.constant
    return [error_text(lambda: tf.assert_equal(c([1, 2]), c([1, 3]), message="m")),
            error_text(lambda: tf.assert_less(c(2.0), c(1.0))),
            error_text(lambda: tf.assert_greater(c([1, 2]), 1)),
            error_text(lambda: tf.assert_none_equal(c([1, 2]), c([3, 2]))),
            error(lambda: tf.assert_equal(c([1, 2]), c([1, 2]))),
            error(lambda: tf.assert_equal(c([1, 2]) + 1, c([1, 2]))),
            error(lambda: tf.assert_equal(c([1, 2]), c([1.0, 2.0])))]


def case_assert_equal_same_tensor(tf):
    x = tf.placeholder(tf.float32)
    o = tf.assert_equal(x, x)
    return [o.name, o.type, describe(tf)]


def case_assert_near_graph(tf):
    x = tf.placeholder(tf.float64, [2])
    a = tf.assert_near(x, tf.constant([1.0, 2.0], tf.float64), rtol=0.1, atol=0.01, name="near")
    return [describe(tf), kernel_error(tf, a, {x: [1.05, 2.1]}), kernel_error(tf, a, {x: [1.2, 2.0]})]


# ----- sign asserts ----------------------------------------------------------------------------------------
def case_sign_asserts(tf):
    x = tf.placeholder(tf.int32, [3])
    ops = [tf.assert_negative(x), tf.assert_positive(x), tf.assert_non_negative(x, message="nn"),
           tf.assert_non_positive(x)]
    return [describe(tf), [[kernel_error(tf, o, {x: v}) for o in ops]
                           for v in ([-1, -2, -3], [1, 2, 3], [0, 0, 0], [0, 1, -1])]]


def case_sign_asserts_static(tf):
    return [error_text(lambda: tf.assert_negative(tf.constant([1.0, -1.0]))),
            error_text(lambda: tf.assert_positive(tf.constant([0, 1]), message="pos")),
            error(lambda: tf.assert_non_negative(tf.constant([0, 1])))]


# ----- ranks, types ----------------------------------------------------------------------------------------
def case_rank_asserts_static(tf):
    x = tf.constant(A)
    out = [tf.assert_rank(x, 2).name, tf.assert_rank_at_least(x, 1).name, tf.assert_rank_in(x, [1, 2]).name]
    errs = [error_text(lambda: tf.assert_rank(x, 1, message="r")),
            error_text(lambda: tf.assert_rank_at_least(x, 3)),
            error_text(lambda: tf.assert_rank_in(x, (0, 1))),
            error_text(lambda: tf.assert_rank(x, [2])),
            error(lambda: tf.assert_rank(x, 2.0))]
    return [out, errs, describe(tf)]


def case_rank_asserts_dynamic(tf):
    x = tf.placeholder(tf.float32)
    r = tf.placeholder(tf.int32)
    ops = [tf.assert_rank(x, 2), tf.assert_rank_at_least(x, 2), tf.assert_rank_in(x, [0, 2]),
           tf.assert_rank(tf.zeros([2]), r)]
    return [describe(tf), [kernel_error(tf, o, {x: A, r: 1}) for o in ops],
            [kernel_error(tf, o, {x: A[0], r: 2}) for o in ops]]


def case_type_asserts(tf):
    f, i = tf.constant(A), tf.constant([1, 2])
    out = [tf.assert_integer(i).name, tf.assert_type(f, tf.float32).name, sig(tf.assert_scalar(tf.constant(2.0)))]
    errs = [error_text(lambda: tf.assert_integer(f, message="int")), error_text(lambda: tf.assert_type(i, tf.float32)),
            error_text(lambda: tf.assert_scalar(f)), error_text(lambda: tf.assert_same_float_dtype([f, i])),
            error_text(lambda: tf.assert_same_float_dtype([i])),
            error(lambda: tf.assert_proper_iterable(f)), error_text(lambda: tf.assert_proper_iterable(3)),
            error(lambda: tf.assert_proper_iterable([f]))]
    dt = [tf.assert_same_float_dtype([f, f]).name, tf.assert_same_float_dtype().name,
          tf.assert_same_float_dtype(None, tf.float64).name]
    return [out, errs, dt, describe(tf)]


# ----- numerics --------------------------------------------------------------------------------------------
def case_check_numerics(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.debugging.check_numerics(x, "x is bad")
    z = tf.check_numerics(x * 2.0, "z", name="zz")
    with tf.Session() as s:
        ok = s.run([y, z], {x: A})
    bad = [kernel_error(tf, y, {x: [[np.nan, 1, 2]]}), kernel_error(tf, y, {x: [[np.inf, 1, 2]]}),
           kernel_error(tf, y, {x: [[np.inf, np.nan, 2]]})]
    return [describe(tf), sig(y), sig(z), ok, bad, error(lambda: tf.check_numerics(tf.constant([1, 2]), "i"))]


def case_check_numerics_gradient(tf):
    x = tf.constant(A)
    y = tf.check_numerics(x, "m") * 2.0
    g, = tf.gradients(y, [x])
    return [sig(g), g.op.type, g.op.name, g.op.get_attr("message"), run(tf, [g])]


def case_check_numerics_gradient_fails(tf):
    x = tf.placeholder(tf.float32, [2])
    y = tf.reduce_sum(tf.check_numerics(x, "fwd") * tf.constant([np.inf, 1.0]))
    g, = tf.gradients(y, [x])
    return [kernel_error(tf, g, {x: [1.0, 2.0]})]


def case_verify_tensor_all_finite(tf):
    x = tf.placeholder(tf.float64, [2])
    y = tf.verify_tensor_all_finite(x, "not finite")
    z = tf.debugging.assert_all_finite(x, "again", name="v")
    return [describe(tf), sig(y), sig(z), run(tf, [y, z], {x: [1.0, 2.0]}),
            kernel_error(tf, z, {x: [1.0, np.nan]})]


def case_add_check_numerics_ops(tf):
    x = tf.placeholder(tf.float32, [2])
    y = tf.log(x)
    tf.cast(y, tf.int32)
    check = tf.add_check_numerics_ops()
    with tf.Session() as s:
        s.run(check, {x: [1.0, 2.0]})
    return [describe(tf), check.name, kernel_error(tf, check, {x: [1.0, 0.0]})]


def case_add_check_numerics_ops_in_cond(tf):
    p = tf.placeholder(tf.bool)
    tf.cond(p, lambda: tf.constant(1.0), lambda: tf.constant(2.0))
    return error_text(tf.add_check_numerics_ops)


# ----- predicates ------------------------------------------------------------------------------------------
def case_monotonic(tf):
    x = tf.placeholder(tf.int32, [None])
    a, b = tf.is_non_decreasing(x), tf.debugging.is_strictly_increasing(x)
    graph = describe(tf)
    # (a constant input's slice shapes are left out: TF's shape inference folds constants through Switch)
    c = tf.math.is_non_decreasing(tf.constant([[1.0, 2.0], [2.0, 3.0]]))
    with tf.Session() as s:
        vals = [s.run([a, b], {x: v}) for v in ([1, 2, 2], [1, 2, 3], [3, 1], [5], [])]
        vals.append(s.run(c))
    return [graph, sig(a), sig(c), vals, error_text(lambda: tf.is_non_decreasing(tf.constant(["a"])))]


def case_numeric_and_aliases(tf):
    d = tf.debugging
    return [tf.is_numeric_tensor(tf.constant(1.0)), tf.is_numeric_tensor(tf.constant("s")),
            tf.is_numeric_tensor(tf.constant(1, tf.int64)), tf.is_numeric_tensor(np.ones(2)),
            tf.is_numeric_tensor(tf.constant(1.0, tf.float16)),
            sig(d.is_nan(tf.constant([1.0]))), sig(d.is_inf(tf.constant([1.0]))),
            sig(d.is_finite(tf.constant([1.0]))), d.Assert is tf.Assert, d.get_log_device_placement(),
            d.is_traceback_filtering_enabled()]


def case_assert_shapes_static(tf):
    x, y = tf.zeros([2, 3]), tf.zeros([3, 4])
    ok = tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("Q", 4)), (tf.constant(1.0), ())])
    ok2 = tf.debugging.assert_shapes({x: [".", 3], y: ("...", 4)})
    errs = [error_text(lambda: tf.debugging.assert_shapes([(x, ("N", 3)), (y, ("N", 4))])),
            error_text(lambda: tf.debugging.assert_shapes([(x, (2, 4))], message="m")),
            error_text(lambda: tf.debugging.assert_shapes([(x, 3)])),
            error_text(lambda: tf.debugging.assert_shapes([(x, (2, "...", 3))])),
            error_text(lambda: tf.debugging.assert_shapes([(x, (2, 3, 1))]))]
    return [ok.name, ok.type, ok2.name, errs, describe(tf)]


def case_assert_shapes_dynamic(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [None, None])
    check = tf.debugging.assert_shapes([(x, ("N", 3)), (y, ("N", "N"))])
    return [describe(tf), check.name,
            kernel_error(tf, check, {x: np.zeros((2, 3)), y: np.zeros((2, 2))}),
            kernel_error(tf, check, {x: np.zeros((2, 3)), y: np.zeros((2, 5))})]
