"""Recorded cases: elementwise math, comparisons, logic, Python operators, Cast, MatMul, AddN, reductions."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, run, run_error, sig  # noqa: E402

A = np.array([[1.5, -2.0, 3.0], [0.25, 4.0, -0.5]], np.float32)
B = np.array([[2.0, 1.0, -4.0], [3.0, -2.0, 0.5]], np.float32)
IA = np.array([[7, -7, 5], [0, 9, -3]], np.int32)
IB = np.array([[2, 3, -2], [5, -4, 2]], np.int32)


# ----- named binary functions ------------------------------------------------------------------------
def case_binary_functions_graph(tf):
    a, b = tf.constant(A), tf.constant(B)
    outs = [tf.add(a, b), tf.subtract(a, b), tf.multiply(a, b), tf.truediv(a, b), tf.divide(a, b),
            tf.div(a, b), tf.floordiv(a, b), tf.floormod(a, b), tf.mod(a, b), tf.pow(tf.abs(a), b),
            tf.maximum(a, b), tf.minimum(a, b), tf.squared_difference(a, b)]
    return [describe(tf), run(tf, outs)]


def case_binary_functions_named(tf):
    a, b = tf.constant(A), tf.constant(B)
    outs = [tf.add(a, b, name="p"), tf.subtract(a, b, name="q"), tf.multiply(a, b, name="r"),
            tf.truediv(a, b, name="s"), tf.div(a, b, name="t"), tf.floordiv(a, b, name="u"),
            tf.pow(a, 2.0, name="v"), tf.maximum(a, 0.0, name="w")]
    return [[sig(t) for t in outs], describe(tf)]


def case_binary_python_values(tf):
    outs = [tf.add(1, 2), tf.add(1.0, 2.5), tf.multiply([1, 2], 3), tf.subtract(5, [1, 2]),
            tf.maximum([1.0, 5.0], 3), tf.pow(2, 10), tf.truediv(1, 4), tf.floordiv(7, 2)]
    return [describe(tf), run(tf, outs)]


def case_integer_arithmetic(tf):
    a, b = tf.constant(IA), tf.constant(IB)
    outs = [a + b, a - b, a * b, a // b, a % b, a / b, tf.div(a, b), tf.truncatediv(a, b), tf.abs(a), -a,
            tf.square(a), tf.maximum(a, b), tf.minimum(a, b), a ** tf.abs(b)]
    return [describe(tf), run(tf, outs)]


def case_int64_and_float64_arithmetic(tf):
    a = tf.constant(IA.astype(np.int64))
    b = tf.constant(A.astype(np.float64))
    outs = [a + 1, a * 2, a / 2, a // 3, a % 4, b + 1, b * 2.5, b / 3, b // 2, b % 1.5, b ** 2]
    return [describe(tf), run(tf, outs)]


def case_float_floor_mod_signs(tf):
    x = tf.constant([7.5, -7.5, 7.5, -7.5, 0.0])
    y = tf.constant([2.0, 2.0, -2.0, -2.0, 3.0])
    ix = tf.constant([7, -7, 7, -7, 0])
    iy = tf.constant([2, 2, -2, -2, 3])
    return run(tf, [x // y, x % y, ix // iy, ix % iy, tf.truncatediv(ix, iy)])


def case_division_by_zero_floats(tf):
    x = tf.constant([1.0, -1.0, 0.0])
    z = tf.constant([0.0, 0.0, 0.0])
    return run(tf, [x / z, x // z, tf.floormod(x, z)])


def case_integer_division_by_zero(tf):
    x = tf.constant([4, 5])
    z = tf.constant([2, 0])
    return [run_error(tf, x // z), run_error(tf, x / z), run_error(tf, tf.truncatediv(x, z))]


def case_integer_mod_by_zero(tf):
    x = tf.constant([4, 5])
    z = tf.constant([2, 0])
    return run_error(tf, x % z)


def case_integer_negative_power(tf):
    x = tf.constant([2, 3])
    return [run_error(tf, tf.pow(x, tf.constant([1, -1]))), run(tf, [tf.pow(x, tf.constant([0, 2]))])]


# ----- Python operators ---------------------------------------------------------------------------------
def case_operators_graph(tf):
    x = tf.constant(A)
    outs = [x + 1.0, x - 1.0, x * 2.0, x / 2.0, x // 2.0, x % 2.0, x ** 2.0, -x, abs(x)]
    return [describe(tf), run(tf, outs)]


def case_reflected_operators_graph(tf):
    x = tf.constant(A)
    outs = [1.0 + x, 2 - x, 3 * x, 1 / x, 7 // x, 5 % x, 2 ** x]
    return [describe(tf), run(tf, outs)]


def case_operators_between_tensors(tf):
    x, y = tf.constant(A), tf.constant(B)
    outs = [x + y, x - y, x * y, x / y, x // y, x % y, tf.abs(x) ** y, x @ tf.transpose(y)]
    return [describe(tf), run(tf, outs)]


def case_operators_numpy_operands(tf):
    x = tf.constant(A)
    outs = [x + np.float32(1), np.float32(2) * x, x - np.ones(3, np.float32), np.ones((2, 3), np.float32) - x]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_operators_int_tensor_python_float(tf):
    x = tf.constant([1, 2])
    return [error(lambda: x + 1.5), error(lambda: x * 0.5), error(lambda: 1.5 - x)]


def case_operators_dtype_mismatch(tf):
    x = tf.constant([1, 2])
    y = tf.constant([1.0, 2.0])
    return [error_text(lambda: x + y), error_text(lambda: tf.add(x, y)), error_text(lambda: x / y),
            error_text(lambda: tf.multiply(y, x))]


def case_operators_names_in_scopes(tf):
    x = tf.constant(1.0, name="x")
    with tf.name_scope("s"):
        a = x + 1
        b = x * x
        c = 2 * x
    with tf.name_scope("s"):
        d = x - 1
    return [sig(t) for t in (a, b, c, d)] + [[op.name for op in tf.get_default_graph().get_operations()]]


def case_comparisons_graph(tf):
    x, y = tf.constant(A), tf.constant(B)
    outs = [x < y, x <= y, x > y, x >= y, x < 0.0, 1.0 > x, tf.equal(x, y), tf.not_equal(x, y),
            tf.equal(x, 4.0), tf.less(x, y), tf.greater_equal(x, 0.5)]
    return [describe(tf), run(tf, outs)]


def case_comparisons_int_and_bool(tf):
    x, y = tf.constant(IA), tf.constant(IB)
    b = tf.constant([True, False])
    outs = [x < y, tf.equal(x, y), tf.equal(b, True), tf.not_equal(b, [True, True]), tf.equal("a", "a")]
    return [describe(tf), run(tf, outs)]


def case_logical_ops(tf):
    p = tf.constant([True, True, False, False])
    q = tf.constant([True, False, True, False])
    outs = [p & q, p | q, p ^ q, ~p, tf.logical_and(p, q), tf.logical_or(p, q), tf.logical_xor(p, q),
            tf.logical_not(q), p & True, False | q]
    return [describe(tf), run(tf, outs)]


def case_logical_ops_type_errors(tf):
    p = tf.constant([1.0, 2.0])
    return [error(lambda: tf.logical_and(p, p)), error(lambda: tf.logical_not(p)), error(lambda: ~p)]


def case_bitwise_operators_on_ints(tf):
    x, y = tf.constant([12, 10]), tf.constant([10, 6])
    outs = [x & y, x | y, x ^ y, ~x]
    return [describe(tf), run(tf, outs)]


# ----- unary -----------------------------------------------------------------------------------------------
def case_unary_float32(tf):
    x = tf.constant([0.25, 1.0, 4.0, 9.0])
    y = tf.constant([-2.0, -0.5, 0.0, 3.0])
    outs = [tf.negative(y), tf.abs(y), tf.square(y), tf.sqrt(x), tf.rsqrt(x), tf.exp(y), tf.log(x),
            tf.tanh(y), tf.sigmoid(y), tf.nn.relu(y), tf.sign(y), tf.reciprocal(x)]
    return [describe(tf), run(tf, outs)]


def case_unary_float64_and_half(tf):
    x = tf.constant([0.25, 1.0, 4.0], tf.float64)
    h = tf.constant([0.5, 1.5, -2.0], tf.float16)
    outs = [tf.sqrt(x), tf.exp(x), tf.log(x), tf.tanh(x), tf.sigmoid(x), tf.rsqrt(x), tf.square(h), -h,
            tf.abs(h), tf.exp(h), tf.sigmoid(h), tf.nn.relu(h)]
    return run(tf, outs)


def case_unary_special_values(tf):
    x = tf.constant([-1.0, 0.0, np.inf, -np.inf, np.nan])
    outs = [tf.sqrt(x), tf.rsqrt(x), tf.log(x), tf.exp(x), tf.tanh(x), tf.sigmoid(x), tf.abs(x), tf.square(x),
            tf.nn.relu(x)]
    return run(tf, outs)


def case_sigmoid_tanh_extremes(tf):
    x = tf.constant([-100.0, -20.0, 20.0, 100.0])
    return run(tf, [tf.sigmoid(x), tf.tanh(x), tf.exp(x)])


def case_unary_int_allowed(tf):
    x = tf.constant([-3, 4])
    return [error(lambda: tf.sqrt(x)), error(lambda: tf.exp(x)), error(lambda: tf.log(x)),
            error(lambda: tf.tanh(x)), error(lambda: tf.sigmoid(x)), error(lambda: tf.rsqrt(x)),
            run(tf, [tf.abs(x), tf.negative(x), tf.square(x), tf.nn.relu(x)])]


def case_unary_type_error_message(tf):
    x = tf.constant([-3, 4])
    return error_text(lambda: tf.sqrt(x))


def case_unary_python_inputs(tf):
    outs = [tf.sqrt(4.0), tf.abs(-3), tf.square(3), tf.exp([0.0, 1.0]), tf.negative(2), tf.abs([-1.5, 2.0])]
    return [describe(tf), run(tf, outs)]


def case_uint8_and_int8(tf):
    x = tf.constant([200, 100], tf.uint8)
    y = tf.constant([100, 200], tf.uint8)
    i = tf.constant([-100, 100], tf.int8)
    outs = [x + y, x - y, x * y, x // y, tf.maximum(x, y), i + i, -i, tf.abs(i), x / y, x < y]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_neg_unsigned_type_error(tf):
    x = tf.constant([1, 2], tf.uint8)
    return [error(lambda: -x), error(lambda: tf.abs(x))]


# ----- broadcasting and static shapes ---------------------------------------------------------------------
def case_broadcast_static_shapes(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.float32, [3])
    r = tf.placeholder(tf.float32, [2, 1])
    s = tf.placeholder(tf.float32, [1, 4])
    u = tf.placeholder(tf.float32)
    v = tf.placeholder(tf.float32, [None, 1])
    w = tf.placeholder(tf.float32, [5, None])
    outs = [p + q, r * s, p + u, v - q, w / v, v * v, p < q, tf.maximum(r, s), tf.pow(w, 2.0), q + 1.0,
            tf.placeholder(tf.float32, [None]) + tf.placeholder(tf.float32, [None]),
            tf.placeholder(tf.float32, [1]) + tf.placeholder(tf.float32, [None])]
    return [sig(t) for t in outs]


def case_broadcast_incompatible(tf):
    a = tf.placeholder(tf.float32, [2, 3])
    b = tf.placeholder(tf.float32, [4])
    c = tf.placeholder(tf.float32, [None, 3])
    return [error_text(lambda: a + b), error_text(lambda: tf.multiply(a, b, name="m")),
            error_text(lambda: c < b), error_text(lambda: tf.maximum(c, b)),
            error_text(lambda: tf.equal(a, b))]


def case_broadcast_runtime_values(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.float32, [None])
    outs = [p + q, p * q, tf.maximum(p, q)]
    return run(tf, outs, {p: A, q: [1.0, 2.0, 3.0]})


def case_broadcast_runtime_error(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.float32, [None])
    return run_error(tf, p + q, {p: A, q: [1.0, 2.0]})


# ----- Cast ------------------------------------------------------------------------------------------------
def case_cast_graph_and_values(tf):
    x = tf.constant([-1.7, -0.5, 0.0, 0.5, 1.7, 2.5])
    outs = [tf.cast(x, tf.int32), tf.cast(x, tf.int64), tf.cast(x, tf.bool), tf.cast(x, tf.float64),
            tf.cast(x, tf.float16), tf.cast(x, tf.uint8, name="to_u8"), tf.cast(tf.constant([1, 0, 3]), tf.float32),
            tf.cast(tf.constant([True, False]), tf.int32), tf.to_float(tf.constant([3])),
            tf.to_int32(x), tf.to_int64(x)]
    return [describe(tf), run(tf, outs)]


def case_cast_same_dtype_is_identity(tf):
    x = tf.constant([1.0])
    y = tf.cast(x, tf.float32)
    z = tf.cast(2, tf.float32)
    return [y is x, sig(y), sig(z), describe(tf)]


def case_cast_partial_shape(tf):
    p = tf.placeholder(tf.int32, [None, 2])
    return [sig(tf.cast(p, tf.float32)), sig(tf.cast(tf.placeholder(tf.int32), tf.float32))]


# ----- MatMul -----------------------------------------------------------------------------------------------
def case_matmul_transpose_flags(tf):
    a = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    b = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    outs = [tf.matmul(a, b), tf.matmul(tf.transpose(a), tf.transpose(b), transpose_a=True, transpose_b=True),
            tf.matmul(a, a, transpose_b=True), tf.matmul(a, a, transpose_a=True), a @ b]
    return [describe(tf), run(tf, outs)]


def case_matmul_static_shapes(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.float32, [3, None])
    u = tf.placeholder(tf.float32)
    outs = [tf.matmul(p, q), tf.matmul(q, p, transpose_a=True, transpose_b=True), tf.matmul(p, u),
            tf.matmul(u, u), tf.matmul(p, p, transpose_a=True)]
    return [sig(t) for t in outs]


def case_matmul_shape_errors(tf):
    a = tf.placeholder(tf.float32, [2, 3])
    b = tf.placeholder(tf.float32, [2, 3])
    v = tf.placeholder(tf.float32, [3])
    return [error_text(lambda: tf.matmul(a, b)), error_text(lambda: tf.matmul(a, v)),
            error_text(lambda: tf.matmul(a, b, transpose_b=True, name="ok")),
            error_text(lambda: tf.matmul(a, tf.constant([[1, 2, 3]])))]


def case_matmul_runtime_mismatch(tf):
    p = tf.placeholder(tf.float32)
    q = tf.placeholder(tf.float32)
    m = tf.matmul(p, q)
    return [sig(m), run_error(tf, m, {p: np.ones((2, 3)), q: np.ones((2, 3))})]


def case_matmul_int_and_float64(tf):
    a = tf.constant([[1, 2], [3, 4]])
    b = tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float64)
    return run(tf, [tf.matmul(a, a), tf.matmul(b, b, transpose_a=True)])


def case_matmul_python_lists(tf):
    m = tf.matmul([[1.0, 2.0]], [[3.0], [4.0]])
    return [describe(tf), run(tf, [m])]


def case_matmul_batch(tf):
    a = tf.constant(np.arange(12, dtype=np.float32).reshape(2, 2, 3))
    b = tf.constant(np.arange(12, dtype=np.float32).reshape(2, 3, 2))
    m = tf.matmul(a, b)
    return [describe(tf), run(tf, [m])]


# ----- AddN ---------------------------------------------------------------------------------------------------
def case_add_n_graph(tf):
    a, b = tf.constant(A), tf.constant(B)
    outs = [tf.add_n([a, b]), tf.add_n([a, b, a], name="total"), tf.add_n([a]), tf.add_n([1, 2, 3])]
    return [describe(tf), run(tf, outs)]


def case_add_n_shapes(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.float32, [2, None])
    u = tf.placeholder(tf.float32)
    return [sig(tf.add_n([p, q])), sig(tf.add_n([p, u])), sig(tf.add_n([u, u])),
            error_text(lambda: tf.add_n([p, tf.placeholder(tf.float32, [2, 4])])),
            error_text(lambda: tf.add_n([p, tf.placeholder(tf.float32, [3])])),
            error(lambda: tf.add_n([p, tf.placeholder(tf.int32, [2, 3])])), error(lambda: tf.add_n([]))]


# ----- reductions ---------------------------------------------------------------------------------------------
def case_reduce_graph(tf):
    x = tf.constant(A)
    outs = [tf.reduce_sum(x), tf.reduce_sum(x, 0), tf.reduce_sum(x, [0, 1]), tf.reduce_sum(x, -1, keepdims=True),
            tf.reduce_mean(x, 1), tf.reduce_max(x, axis=0), tf.reduce_min(x, keepdims=True), tf.reduce_prod(x, 1),
            tf.reduce_sum(x, reduction_indices=[1]), tf.reduce_mean(x, keep_dims=True),
            tf.reduce_sum(x, name="total")]
    return [describe(tf), run(tf, outs)]


def case_reduce_int_values(tf):
    x = tf.constant([[1, 2, 4], [-7, 5, 6]])
    outs = [tf.reduce_sum(x), tf.reduce_mean(x), tf.reduce_mean(x, 0), tf.reduce_mean(x, 1), tf.reduce_max(x, 1),
            tf.reduce_min(x), tf.reduce_prod(x, 0)]
    return run(tf, outs)


def case_reduce_static_shapes(tf):
    p = tf.placeholder(tf.float32, [None, 3, 4])
    u = tf.placeholder(tf.float32)
    ax = tf.placeholder(tf.int32)
    outs = [tf.reduce_sum(p, 1), tf.reduce_sum(p, [0, 2], keepdims=True), tf.reduce_sum(p, ax),
            tf.reduce_sum(p, ax, keepdims=True), tf.reduce_sum(u, 0), tf.reduce_sum(u), tf.reduce_mean(p),
            tf.reduce_max(p, -1), tf.reduce_sum(p, []), tf.reduce_sum(tf.constant(3.0))]
    return [sig(t) for t in outs] + [describe(tf)]


def case_reduce_axis_errors(tf):
    x = tf.constant(A)
    return [error_text(lambda: tf.reduce_sum(x, 2)), error_text(lambda: tf.reduce_mean(x, -3)),
            error(lambda: tf.reduce_sum(x, 0.5)), error(lambda: tf.reduce_max(tf.constant([True]), 0))]


def case_reduce_empty(tf):
    e = tf.zeros([0, 3])
    outs = [tf.reduce_sum(e, 0), tf.reduce_prod(e, 0), tf.reduce_max(e, 0), tf.reduce_min(e, 0), tf.reduce_mean(e, 0)]
    return run(tf, outs)


def case_reduce_duplicate_axes(tf):
    x = tf.constant(A)
    return [sig(tf.reduce_sum(x, [1, -1])), run_error(tf, tf.reduce_sum(x, [1, -1]))]


def case_reduce_runtime_axis(tf):
    x = tf.constant(A)
    ax = tf.placeholder(tf.int32)
    s = tf.reduce_sum(x, ax)
    with tf.Session() as sess:
        return [sess.run(s, {ax: 0}), sess.run(s, {ax: [0, 1]}), sess.run(s, {ax: -1}),
                error(lambda: sess.run(s, {ax: 3}))]


def case_reduce_bool_and_logsumexp(tf):
    b = tf.constant([[True, False], [True, True]])
    x = tf.constant(A)
    outs = [tf.reduce_all(b, 1), tf.reduce_any(b, 0), tf.reduce_logsumexp(x, 1), tf.count_nonzero(x)]
    return run(tf, outs)


# ----- ArgMax / ArgMin ------------------------------------------------------------------------------------------
def case_argmax_graph(tf):
    x = tf.constant(A)
    outs = [tf.argmax(x), tf.argmax(x, 1), tf.argmin(x, 0), tf.argmin(x, axis=-1),
            tf.argmax(x, 1, output_type=tf.int32), tf.argmax(x, dimension=1), tf.argmax(x, 0, name="best")]
    return [describe(tf), run(tf, outs)]


def case_argmax_shapes_and_errors(tf):
    p = tf.placeholder(tf.float32, [None, 4])
    u = tf.placeholder(tf.float32)
    return [sig(tf.argmax(p, 1)), sig(tf.argmax(p, 0)), sig(tf.argmin(u, 0)),
            sig(tf.argmax(p, tf.placeholder(tf.int32))), error_text(lambda: tf.argmax(p, 2)),
            error(lambda: tf.argmax(tf.constant([True]), 0)), error(lambda: tf.argmax(p, 1, output_type=tf.float32))]


def case_argmax_ties_and_ints(tf):
    x = tf.constant([[3, 3, 1], [2, 5, 5]])
    return run(tf, [tf.argmax(x, 1), tf.argmin(x, 1), tf.argmax(x, 0)])


def case_integer_div_and_mod_by_zero_of_empty_tensors(tf):
    """Integer FloorMod/FloorDiv by zero fail only when an output element is computed from a zero divisor."""
    empty = tf.constant([], tf.int32)
    zero = tf.constant(0)
    rows = tf.zeros([0, 2], tf.int32)
    out = []
    for fn in (tf.floormod, tf.floordiv, tf.truncatediv):
        out.append([fn(empty, zero).shape.as_list(), run_error(tf, fn(empty, zero)), run_error(tf, fn(zero, empty)),
                    run_error(tf, fn(rows, tf.constant([0, 1]))), run_error(tf, fn(tf.constant([3, 4]), zero))])
    with tf.Session() as s:
        out.append(s.run([tf.floormod(empty, zero), tf.floordiv(rows, tf.constant([0, 0]))]))
    return out


def case_reduce_sum_of_unknown_rank_fed_a_scalar_and_its_gradient(tf):
    x = tf.placeholder(tf.float32)
    y = tf.reduce_sum(x * 3.0)
    g, = tf.gradients(y, [x])
    return run(tf, [y, g], {x: 2.0}) + run(tf, [y, g], {x: [[1.0, 2.0]]})
