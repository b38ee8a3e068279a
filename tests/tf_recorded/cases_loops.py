"""Recorded cases: tf.while_loop (TF1's frames: graph, names, static shapes, values, errors, nested loops, cond
inside loops and loops inside cond, stateful bodies, maximum_iterations, shape_invariants) and gradients
through loops (w.r.t. initial values, outside tensors and variables read in the body)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, run, sig  # noqa: E402


def case_graph_two_vars(tf):
    x = tf.constant(2.0)
    r = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), [tf.constant(0), tf.constant(1.0)])
    return [describe(tf), [sig(t) for t in r], type(r).__name__, run(tf, list(r))]


def case_graph_maximum_iterations(tf):
    r = tf.while_loop(lambda a: a < 100.0, lambda a: a * 2, [tf.constant(1.0)], maximum_iterations=3)
    return [describe(tf), sig(r), run(tf, [r])]


def case_single_var_and_structures(tf):
    a = tf.while_loop(lambda i: i < 7, lambda i: i + 2, [0])
    b = tf.while_loop(lambda i: i < 7, lambda i: [i + 2], [0])
    c = tf.while_loop(lambda d: d["a"] < 4, lambda d: ({"a": d["a"] + 1, "b": d["b"] * 2.0},),
                      [{"a": 0, "b": 1.0}])
    d = tf.while_loop(lambda i, p: i < 3, lambda i, p: (i + 1, (p[0] + 1.0, p[1] * 3)), (0, (0.5, 2)))
    e = tf.while_loop(lambda i: i < 7, lambda i: i + 2, [0], return_same_structure=True)
    return [sig(a), isinstance(b, (list, tuple)), sig(b[0]) if isinstance(b, (list, tuple)) else sig(b),
            sorted(c[0]), type(d).__name__, type(d[1]).__name__, type(e).__name__,
            run(tf, [a, c[0]["a"], c[0]["b"], d[0], d[1][0], d[1][1], e[0]])]


def case_shape_invariants(tf):
    r = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, tf.concat([x, x], 0)), [0, tf.constant([1.0, 2.0])],
                      shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.while_loop(lambda i, x: i < 2, lambda i, x: (i + 1, x * 2.0), [0, p])
    with tf.Session() as s:
        v = s.run([r[1], q[1]], {p: np.ones((2, 3), np.float32)})
    return [sig(r[1]), sig(q[1]), v]


def case_errors(tf):
    def grows():
        tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, tf.concat([x, x], 0)), [0, tf.constant([1.0])])

    def bad_invariant():
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant([1, 2])], shape_invariants=[tf.TensorShape([3])])

    def non_bool():
        tf.while_loop(lambda i: tf.cast(i, tf.float32), lambda i: i + 1, [0])

    def wrong_count():
        tf.while_loop(lambda i, j: i < 3, lambda i, j: i + 1, [0, 1])

    def not_callable():
        tf.while_loop(1, lambda i: i, [0])

    def no_vars():
        tf.while_loop(lambda: True, lambda: 1, [])
    return [error_text(grows), error_text(bad_invariant), error_text(non_bool, 60)[0], error_text(wrong_count)[0],
            error_text(not_callable), error_text(no_vars)]


def case_nested_loops(tf):
    def outer_body(i, acc):
        j, s = tf.while_loop(lambda j, s: j < i, lambda j, s: (j + 1, s + j), [0, 0])
        return i + 1, acc + s
    r = tf.while_loop(lambda i, acc: i < 5, outer_body, [0, 0])
    return [sig(r[1]), run(tf, list(r))]


def case_cond_in_loop_and_loop_in_cond(tf):
    r = tf.while_loop(lambda i, a: i < 6,
                      lambda i, a: (i + 1, tf.cond(tf.equal(i % 2, 0), lambda: a + i, lambda: a - 1)), [0, 0])
    p = tf.placeholder(tf.bool, [])
    q = tf.cond(p, lambda: tf.while_loop(lambda i: i < 10, lambda i: i + 3, [0]), lambda: tf.constant(-1))
    with tf.Session() as s:
        return [s.run(list(r)), s.run(q, {p: True}), s.run(q, {p: False})]


def case_stateful_body(tf):
    v = tf.Variable(0.0)

    def body(i):
        with tf.control_dependencies([tf.assign_add(v, 1.5)]):
            return i + 1
    r = tf.while_loop(lambda i: i < 4, body, [0])
    reads = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a + v), [0, 0.0])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [s.run(r), s.run(v), s.run(r), s.run(v), s.run(reads[1])]


def case_gradients(tf):
    x = tf.constant(2.0)
    w = tf.Variable(1.5)
    _, a = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x * w), [0, x])
    _, b = tf.while_loop(lambda i, b: i < 4, lambda i, b: (i + 1, tf.sin(b) * b), [0, x])
    m = tf.constant([[0.5, -0.2], [0.1, 0.3]])
    v0 = tf.constant([[1.0, 2.0]])
    _, h = tf.while_loop(lambda i, h: i < 5, lambda i, h: (i + 1, tf.tanh(tf.matmul(h, m))), [0, v0])
    ga = tf.gradients(a, [x, w])
    gb = tf.gradients(b, x)
    gh = tf.gradients(tf.reduce_sum(h * h), [v0, m])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run([a, ga, b, gb, h, gh])


def case_gradients_two_loop_vars(tf):
    x = tf.constant([1.0, -2.0])
    y = tf.constant(0.5)
    _, p, q = tf.while_loop(lambda i, p, q: i < 3, lambda i, p, q: (i + 1, p * q, q + tf.reduce_sum(p)), [0, x, y])
    g = tf.gradients(tf.reduce_sum(p) * q, [x, y])
    with tf.Session() as s:
        return s.run([p, q, g])


# ----- TensorArray ---------------------------------------------------------------------------------------------
def case_tensor_array_methods(tf):
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3))
    ta = tf.TensorArray(tf.float32, size=4).unstack(x)
    keep = tf.TensorArray(tf.float32, size=4, clear_after_read=False).unstack(x)
    r = tf.TensorArray(tf.float32, size=4).unstack(x).read(2)
    st = ta.stack()
    ga = keep.gather([3, 0])
    sz = ta.size()
    sp = tf.TensorArray(tf.float32, size=2, infer_shape=False).split(tf.constant([1.0, 2.0, 3.0, 4.0, 5.0]), [2, 3])
    cc = sp.concat()
    sc = tf.TensorArray(tf.int32, size=3, element_shape=[2]).scatter([2, 0, 1], tf.constant([[1, 2], [3, 4], [5, 6]]))
    w = tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(0, [1.0, 2.0]).write(2, [5.0, 6.0])
    info = [sig(r), sig(st), sig(ga), sig(sz), sig(cc), sig(sc.stack()), sig(ta.handle), sig(ta.flow),
            ta.element_shape.as_list(), sc.element_shape.as_list()]
    with tf.Session() as s:
        vals = s.run([r, st, ga, sz, cc, sc.stack(), w.size(), keep.read(1) + keep.read(1)])
    return [info, vals]


def case_tensor_array_errors(tf):
    ta = tf.TensorArray(tf.float32, size=2)
    unwritten = ta.read(1)
    over = ta.write(3, 1.0).flow
    twice = ta.write(0, 1.0).write(0, 2.0).flow
    written = tf.TensorArray(tf.float32, size=1).write(0, 3.0)
    read_twice = written.read(0) + written.read(0)

    def shape_mismatch():
        tf.TensorArray(tf.float32, size=2).write(0, [1.0]).write(1, [1.0, 2.0])

    def no_size():
        tf.TensorArray(tf.float32)
    out = [error_text(shape_mismatch)[0], error_text(no_size)]
    with tf.Session() as s:
        for t in (unwritten, over, twice, read_twice):
            try:
                s.run(t)
                out.append("no error")
            except tf.errors.OpError as e:
                out.append(type(e).__name__)
    return out


def case_tensor_array_in_loop_with_gradients(tf):
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3) / 10.0)
    w = tf.Variable(np.ones((3, 3), np.float32) * 0.3)
    inp = tf.TensorArray(tf.float32, size=4).unstack(x)
    out = tf.TensorArray(tf.float32, size=4)

    def body(t, h, o):
        h = tf.tanh(tf.matmul(tf.expand_dims(inp.read(t), 0), w) + h)
        return t + 1, h, o.write(t, tf.squeeze(h, 0))
    _, h, o = tf.while_loop(lambda t, h, o: t < 4, body, [0, tf.zeros([1, 3]), out])
    y = o.stack()
    g = tf.gradients(tf.reduce_sum(y * y) + tf.reduce_sum(h), [x, w])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [sig(y), s.run([y, h, g])]


# ----- dynamic_rnn ---------------------------------------------------------------------------------------------
X = (np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 10.0 - 1.0)


def _set_weights(tf, s):
    for i, v in enumerate(tf.global_variables()):
        shape = v.shape.as_list()
        n = int(np.prod(shape))
        s.run(v.assign(np.sin(np.arange(n, dtype=np.float32) * 0.7 + i).reshape(shape) * 0.5))


def _run_rnn(tf, fetches, feed):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        _set_weights(tf, s)
        return s.run(fetches, feed)


def case_dynamic_rnn_lstm(tf):
    x = tf.placeholder(tf.float32, [2, 3, 4], name="x")
    cell = tf.nn.rnn_cell.BasicLSTMCell(5)
    out, st = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    g = tf.gradients(tf.reduce_sum(out) + tf.reduce_sum(st.c), tf.trainable_variables() + [x])
    info = [sig(out), sig(st.c), sig(st.h), type(st).__name__, [v.name for v in tf.global_variables()]]
    return [info, _run_rnn(tf, [out, st, g], {x: X})]


def case_dynamic_rnn_sequence_length_time_major_gru(tf):
    x = tf.placeholder(tf.float32, [3, None, 4], name="x")
    lengths = tf.placeholder(tf.int32, [None])
    cell = tf.nn.rnn_cell.GRUCell(3)
    init = tf.constant(np.full((2, 3), 0.1, np.float32))
    out, st = tf.nn.dynamic_rnn(cell, x, sequence_length=lengths, initial_state=init, time_major=True)
    g = tf.gradients(tf.reduce_sum(out * out) + tf.reduce_sum(st), tf.trainable_variables() + [init])
    info = [sig(out), sig(st), [v.name for v in tf.global_variables()]]
    return [info, _run_rnn(tf, [out, st, g], {x: X.transpose(1, 0, 2), lengths: [3, 1]})]


def case_bidirectional_dynamic_rnn(tf):
    x = tf.placeholder(tf.float32, [2, 3, 4], name="x")
    fw, bw = tf.nn.rnn_cell.BasicRNNCell(3), tf.nn.rnn_cell.BasicLSTMCell(2)
    (of, ob), (sf, sb) = tf.nn.bidirectional_dynamic_rnn(fw, bw, x, sequence_length=[2, 3], dtype=tf.float32)
    g = tf.gradients(tf.reduce_sum(of) + tf.reduce_sum(ob) + tf.reduce_sum(sb.h), tf.trainable_variables())
    info = [sig(of), sig(ob), sig(sf), sig(sb.c), [v.name for v in tf.global_variables()]]
    return [info, _run_rnn(tf, [of, ob, sf, sb, g], {x: X})]


# ----- map_fn, scan, foldl, foldr, case --------------------------------------------------------------------------
def case_map_scan_fold(tf):
    x = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    m = tf.map_fn(lambda r: r * r, x)
    m2 = tf.map_fn(lambda r: (r[0], r[1] + 1), (x, x), dtype=(tf.float32, tf.float32))
    sc = tf.scan(lambda a, r: a + r, x)
    sc2 = tf.scan(lambda a, r: a * 2.0 + r, x, initializer=tf.zeros([2]), reverse=True)
    fl = tf.foldl(lambda a, r: a + r, x)
    fr = tf.foldr(lambda a, r: a * 2.0 + r, x, initializer=tf.zeros([2]))
    g = tf.gradients(tf.reduce_sum(m) + tf.reduce_sum(sc * sc2) + tf.reduce_sum(fr * fl), x)
    p = tf.placeholder(tf.float32, [None, 2])
    mp = tf.map_fn(lambda r: tf.reduce_sum(r), p)
    info = [sig(m), sig(m2[0]), sig(sc), sig(sc2), sig(fl), sig(fr), sig(mp)]
    with tf.Session() as s:
        return [info, s.run([m, m2, sc, sc2, fl, fr, g]), s.run(mp, {p: np.ones((4, 2), np.float32)})]


def case_case(tf):
    p = tf.placeholder(tf.int32, [])
    c = tf.case([(tf.equal(p, 0), lambda: tf.constant(10)), (tf.equal(p, 1), lambda: tf.constant(11))],
                default=lambda: tf.constant(-1))
    c2 = tf.case({tf.less(p, 5): lambda: tf.constant(1), tf.greater(p, 3): lambda: tf.constant(2)},
                 default=lambda: tf.constant(0), exclusive=True)
    c3 = tf.case([(tf.equal(p, 0), lambda: tf.constant(10)), (tf.equal(p, 1), lambda: tf.constant(11))])
    info = [sig(c), sig(c2), sig(c3)]
    out = []
    with tf.Session() as s:
        out.append([s.run([c, c3], {p: v}) for v in (0, 1)] + [s.run(c, {p: 5}), s.run(c2, {p: 1}), s.run(c2, {p: 9})])
        for f, v in ((c2, 4), (c3, 3)):
            try:
                s.run(f, {p: v})
                out.append("no error")
            except tf.errors.OpError as e:
                out.append(type(e).__name__)
    return [info, out]


def case_gradients_cond_in_loop_and_nested_loops(tf):
    x = tf.constant(1.5)
    _, a = tf.while_loop(lambda i, a: i < 5, lambda i, a: (
        i + 1, tf.cond(tf.equal(i % 2, 0), lambda: a * a * x, lambda: tf.sin(a))), [0, x])

    def outer_body(i, acc):
        _, s = tf.while_loop(lambda j, s: j < i + 1, lambda j, s: (j + 1, s * x + tf.cast(j, tf.float32)), [0, acc])
        return i + 1, s
    _, n = tf.while_loop(lambda i, acc: i < 3, outer_body, [0, x])
    p = tf.placeholder(tf.bool, [])
    c = tf.cond(p, lambda: tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x), [0, x])[1],
                lambda: x * 2.0)
    ga, gn, gc = tf.gradients(a, x), tf.gradients(n, x), tf.gradients(c, x)
    with tf.Session() as s:
        return [s.run([a, ga, n, gn]), s.run([c, gc], {p: True}), s.run([c, gc], {p: False})]


def case_bidirectional_dynamic_rnn_full_length(tf):
    x = tf.placeholder(tf.float32, [2, 3, 4], name="x")
    fw, bw = tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.GRUCell(2)
    (of, ob), (sf, sb) = tf.nn.bidirectional_dynamic_rnn(fw, bw, x, dtype=tf.float32, scope="bi")
    g = tf.gradients(tf.reduce_sum(of * ob) + tf.reduce_sum(sb), tf.trainable_variables())
    info = [sig(of), sig(ob), sig(sf), sig(sb), [v.name for v in tf.global_variables()]]
    return [info, _run_rnn(tf, [of, ob, sf, sb, g], {x: X})]
