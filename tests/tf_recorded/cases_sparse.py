"""Sparse gradients as TF1 builds them: IndexedSlices from gathers, their aggregation and densifying, the
scatter ops, Unique, and the optimizers' sparse updates (duplicate indices included) over a few steps."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _kind(tf, g):
    return "IndexedSlices" if isinstance(g, tf.IndexedSlices) else "Tensor"


def _slices(g):
    return {"type": type(g).__name__, "values": [g.values.name, g.values.shape.as_list()],
            "indices": [g.indices.name, g.indices.dtype.name], "dense_shape": g.dense_shape.name,
            "name": g.name, "dtype": g.dtype.name, "op": g.op.name, "graph": g.graph is g.values.graph,
            "shape": g.shape.as_list() if g.shape.ndims is not None else None}


def _table(tf):
    return tf.Variable(np.arange(12.0).reshape(4, 3).astype(np.float32) / 10, name="w")


def _run(tf, fetches):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run(fetches)


def case_gather_gradient_is_indexed_slices(tf):
    w = _table(tf)
    y = tf.gather(w, [[0, 2], [0, 3]])
    g = tf.gradients(tf.reduce_sum(y * y), w)[0]
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations() if "GatherV2_grad" in o.name]
    return {"g": _slices(g), "ops": ops, "run": _run(tf, [g.values, g.indices, g.dense_shape])}


def case_gather_gradient_placeholder_unknown_rows(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    i = tf.placeholder(tf.int64, [None])
    g = tf.gradients(tf.reduce_sum(tf.gather(p, i)), p)[0]
    with tf.Session() as s:
        out = s.run([g.values, g.indices, g.dense_shape], {p: np.ones((5, 3)), i: [4, 4, 1]})
    return {"g": _slices(g), "run": out}


def case_gather_axis1_gradient_is_dense(tf):
    w = _table(tf)
    g = tf.gradients(tf.reduce_sum(tf.gather(w, [2, 0, 2], axis=1)), w)[0]
    return [_kind(tf, g), g.shape.as_list(), _run(tf, g)]


def case_two_gathers_concatenate(tf):
    w = _table(tf)
    loss = tf.reduce_sum(tf.gather(w, [0, 2, 0])) + tf.reduce_sum(tf.gather(w, [3]) * 2.0)
    g = tf.gradients(loss, w)[0]
    return {"g": _slices(g), "run": _run(tf, [g.values, g.indices, g.dense_shape])}


def case_mixed_index_types_cast_to_int64(tf):
    w = _table(tf)
    loss = tf.reduce_sum(tf.gather(w, [0, 2])) + tf.reduce_sum(tf.gather(w, tf.constant([1], tf.int64)))
    g = tf.gradients(loss, w)[0]
    casts = [o.name for o in tf.get_default_graph().get_operations() if o.type == "Cast"]
    return {"g": _slices(g), "casts": casts, "run": _run(tf, [g.values, g.indices])}


def case_dense_and_sparse_densify(tf):
    w = _table(tf)
    loss = tf.reduce_sum(tf.gather(w, [1, 1])) + tf.reduce_sum(w * w)
    g = tf.gradients(loss, w)[0]
    ops = [[o.name, o.type, [t.name for t in o.inputs]] for o in tf.get_default_graph().get_operations()
           if o.name.startswith("gradients/AddN")]
    return {"type": _kind(tf, g), "name": g.name, "ops": ops, "run": _run(tf, g)}


def case_convert_to_tensor_densifies(tf):
    values = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    s = tf.IndexedSlices(values, tf.constant([2, 0, 2]), tf.constant([4, 2]))
    d = tf.convert_to_tensor(s)
    neg = -s
    with tf.Session() as sess:
        out = sess.run([d, neg.values])
    return {"d": [d.name, d.op.type, d.shape.as_list()], "neg": type(neg).__name__, "run": out,
            "same": tf.convert_to_tensor_or_indexed_slices(s) is s,
            "shape": s.shape.as_list(), "str": str(s)}


def case_convert_without_dense_shape(tf):
    s = tf.IndexedSlices(tf.constant([[1.0]]), tf.constant([0]))
    return [raises(lambda: tf.convert_to_tensor(s)), s.dense_shape is None, s.shape.ndims]


def case_convert_wrong_dtype(tf):
    s = tf.IndexedSlices(tf.constant([[1.0]]), tf.constant([0]), tf.constant([2, 1]))
    return [raises(lambda: tf.convert_to_tensor(s, dtype=tf.int32)),
            raises(lambda: tf.convert_to_tensor_or_indexed_slices(s, dtype=tf.int32))]


def case_scatter_ops(tf):
    out = {}
    for kind in ("update", "add", "sub", "mul", "div", "min", "max"):
        v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], name="v_" + kind)
        op = getattr(tf, "scatter_" + kind)(v, [2, 0], [[10.0, 20.0], [0.5, 4.0]])
        out[kind] = [op.name, op.op.type, op.shape.as_list(), op.op.get_attr("use_locking"), _run(tf, op)]
    return out


def case_scatter_duplicates_accumulate(tf):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="v")
    add = tf.scatter_add(v, [1, 1, 0, 1], [[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.0]])
    with tf.Session() as s:
        s.run(v.initializer)
        a = s.run(add)
        b = s.run(tf.scatter_sub(v, tf.constant([0, 0], tf.int64), [[0.5, 0.5], [0.25, 0.25]]))
    return [a, b]


def case_scatter_scalar_index_and_broadcast(tf):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="v")
    up = tf.scatter_update(v, 1, [7.0, 8.0])
    with tf.Session() as s:
        s.run(v.initializer)
        return s.run(up)


def case_scatter_errors(tf):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="v")
    build = raises(lambda: tf.scatter_add(v, [0, 1], [[1.0, 2.0, 3.0]]))
    bad = tf.scatter_add(v, [0, 5], [[1.0, 1.0], [2.0, 2.0]])
    p = tf.placeholder(tf.float32)
    shape = tf.scatter_add(v, [0], p)
    with tf.Session() as s:
        s.run(v.initializer)
        run = raises(lambda: s.run(bad))
        after = s.run(v)
        mismatch = raises(lambda: s.run(shape, {p: [[1.0, 2.0, 3.0]]}))
    return [build, run, after, mismatch]


def case_variable_scatter_methods(tf):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], name="v")
    d = tf.IndexedSlices(tf.constant([[1.0, 1.0]]), tf.constant([2]))
    ops = [v.scatter_add(d), v.scatter_sub(d), v.scatter_update(d)]
    with tf.Session() as s:
        s.run(v.initializer)
        out = [s.run(o) for o in ops]
    return {"names": [[o.name, o.op.type, o.op.get_attr("use_locking")] for o in ops], "run": out,
            "not_slices": raises(lambda: v.scatter_sub(tf.constant([1.0])))}


def case_unique(tf):
    y, idx = tf.unique(tf.constant([4, 1, 4, 7, 1, 9]))
    y64, idx64 = tf.unique(tf.constant([2.5, 2.5, -1.0]), out_idx=tf.int64)
    p = tf.placeholder(tf.int32, [None])
    yp, ip = tf.unique(p)
    with tf.Session() as s:
        out = s.run([y, idx, y64, idx64])
        bad = raises(lambda: s.run(tf.unique(tf.placeholder_with_default([[1, 2]], None)), None))
    return {"names": [y.name, idx.name, y.op.type, idx64.dtype.name], "shapes": [yp.shape.as_list(),
            ip.shape.as_list(), y.shape.as_list()], "run": out, "rank2": raises(lambda: tf.unique([[1, 2]])),
            "rank2_run": bad}


# ----- optimizers ------------------------------------------------------------------------------------------------
def _sparse_train(tf, make, steps=3):
    w = _table(tf)
    b = tf.Variable([0.5, -0.5, 0.25, 1.0], name="b")
    ids = tf.placeholder(tf.int32, [None])
    y = tf.gather(w, ids)
    loss = tf.reduce_sum(y * y) + tf.reduce_sum(tf.gather(b, ids) * 2.0) + tf.reduce_sum(tf.gather(w, [1]))
    n0 = len(tf.get_default_graph().get_operations())
    opt = make()
    train = opt.minimize(loss)
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()[n0:]
           if not any(p.startswith("gradients") for p in o.name.split("/")) and "update_w" in o.name]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for batch in ([0, 2, 0], [3, 3], [2])[:steps]:
            s.run(train, {ids: batch})
        slots = {n: s.run(opt.get_slot(w, n)) for n in opt.get_slot_names()}
        return {"w": s.run(w), "b": s.run(b), "slots": slots, "ops": ops}


def case_sgd_sparse(tf):
    return _sparse_train(tf, lambda: tf.train.GradientDescentOptimizer(0.5))


def case_momentum_sparse(tf):
    return _sparse_train(tf, lambda: tf.train.MomentumOptimizer(0.1, 0.9))


def case_momentum_nesterov_sparse(tf):
    return _sparse_train(tf, lambda: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True))


def case_adagrad_sparse(tf):
    return _sparse_train(tf, lambda: tf.train.AdagradOptimizer(0.3))


def case_adam_sparse(tf):
    return _sparse_train(tf, lambda: tf.train.AdamOptimizer(0.1))


def case_rmsprop_sparse(tf):
    return _sparse_train(tf, lambda: tf.train.RMSPropOptimizer(0.05, momentum=0.5))


def case_rmsprop_centered_sparse(tf):
    return _sparse_train(tf, lambda: tf.train.RMSPropOptimizer(0.05, centered=True))


def case_adadelta_sparse(tf):
    return _sparse_train(tf, lambda: tf.train.AdadeltaOptimizer(1.0))


def case_apply_gradients_with_slices(tf):
    w = _table(tf)
    g = tf.IndexedSlices(tf.constant([[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]), tf.constant([3, 3]), tf.constant([4, 3]))
    train = tf.train.GradientDescentOptimizer(0.1).apply_gradients([(g, w)])
    with tf.Session() as s:
        s.run(w.initializer)
        s.run(train)
        return [train.name, s.run(w)]


def case_compute_gradients_types(tf):
    w = _table(tf)
    v = tf.Variable([1.0, 2.0, 3.0], name="v")
    loss = tf.reduce_sum(tf.gather(w, [1, 2]) * v)
    gv = tf.train.GradientDescentOptimizer(0.1).compute_gradients(loss)
    return [[_kind(tf, g), g.name, var.name] for g, var in gv]


def case_gate_graph_with_slices(tf):
    w = _table(tf)
    v = tf.Variable([1.0, 2.0, 3.0], name="v")
    loss = tf.reduce_sum(tf.gather(w, [1, 2]) * v)
    opt = tf.train.MomentumOptimizer(0.1, 0.5)
    gv = opt.compute_gradients(loss, gate_gradients=tf.train.Optimizer.GATE_GRAPH)
    train = opt.apply_gradients(gv)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train)
        return [[_kind(tf, g), g.name] for g, _ in gv] + [s.run(w), s.run(v)]


def case_fetch_indexed_slices(tf):
    w = _table(tf)
    g = tf.gradients(tf.reduce_sum(tf.gather(w, [3, 1])), w)[0]
    s = tf.IndexedSlices(tf.constant([[1.0]]), tf.constant([0]))
    with tf.Session() as sess:
        sess.run(w.initializer)
        v = sess.run(g)
        nested = sess.run({"g": [g, s]})
    return {"type": type(v).__name__, "fields": list(v._fields), "v": list(v),
            "nested": [type(nested["g"][0]).__name__, list(nested["g"][1])]}


def case_clip_indexed_slices(tf):
    w = _table(tf)
    v = tf.Variable([1.0, 2.0, 3.0], name="v")
    loss = tf.reduce_sum(tf.gather(w, [1, 2, 1]) * v) * 3.0
    grads = tf.gradients(loss, [w, v])
    clipped, norm = tf.clip_by_global_norm(grads, 2.0)
    by_norm = tf.clip_by_norm(grads[0], 1.0)
    gn = tf.global_norm(grads)
    train = tf.train.GradientDescentOptimizer(0.1).apply_gradients(zip(clipped, [w, v]))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = s.run([clipped[0].values, clipped[0].indices, clipped[1], norm, by_norm.values, gn])
        s.run(train)
        return {"types": [_kind(tf, c) for c in clipped] + [_kind(tf, by_norm)],
                "names": [clipped[0].values.name, by_norm.values.name, gn.name], "run": out, "w": s.run(w)}


def case_fetched_value_not_changed_by_later_scatter(tf):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="v")
    read = tf.identity(v)
    add = tf.scatter_add(v, [1], [[10.0, 10.0]])
    with tf.Session() as s:
        s.run(v.initializer)
        before, snapshot = s.run(v), s.run(read)
        s.run(add)
        s.run(tf.scatter_sub(v, [0], [[1.0, 1.0]]))
        return [before, snapshot, s.run(v)]
