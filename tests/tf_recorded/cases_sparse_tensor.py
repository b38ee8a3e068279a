"""tf.SparseTensor and the ops over it (tf.sparse, the TF1 top-level sparse_* names), fed and fetched through a
session; VarLenFeature parsing; embedding_lookup_sparse and the segment reductions it uses; gradients."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _run(tf, fetches, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return _plain(s.run(fetches, feed))


def _plain(x):
    """SparseTensorValues as lists, so that the recorded data does not depend on their class."""
    if hasattr(x, "dense_shape") and hasattr(x, "indices") and not hasattr(x, "op"):
        return {"indices": np.asarray(x.indices), "values": np.asarray(x.values), "shape": np.asarray(x.dense_shape)}
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def _shape(t):
    return t.shape.as_list() if t.shape.ndims is not None else None


def _st(sp):
    return {"indices": [sp.indices.name, _shape(sp.indices)], "values": [sp.values.name, sp.values.dtype.name],
            "dense_shape": [sp.dense_shape.name, _shape(sp.dense_shape)], "shape": _shape(sp)}


def _sp(tf, dtype=None):
    v = [1.0, -2.0, 3.0, 4.0]
    return tf.SparseTensor([[0, 1], [1, 0], [1, 2], [2, 3]], v if dtype is None else tf.constant(v, dtype), [3, 4])


def case_sparse_tensor_parts(tf):
    st = _sp(tf)
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()]
    return {"st": _st(st), "op": st.op.name, "dtype": st.dtype.name, "get_shape": st.get_shape().as_list(),
            "graph": st.graph is tf.get_default_graph(), "ops": ops, "run": _run(tf, st)}


def case_sparse_tensor_value_and_eval(tf):
    st = _sp(tf)
    with tf.Session() as s:
        v = s.run(st)
        e = st.eval(session=s)
    return {"class": type(v).__name__, "fields": list(type(v)._fields), "eval": type(e).__name__,
            "same": bool(np.array_equal(v.values, e.values)),
            "from_value": _st(tf.SparseTensor.from_value(tf.SparseTensorValue([[0]], [1], [2])))}


def case_sparse_tensor_bad_ranks(tf):
    return [raises(lambda: tf.SparseTensor([0, 1], [1.0], [2])),
            raises(lambda: tf.SparseTensor([[0, 1]], [1.0, 2.0], [2, 2])),
            raises(lambda: tf.SparseTensor([[0, 1]], [1.0], [2, 2, 2])),
            raises(lambda: tf.convert_to_tensor(_sp(tf))),
            raises(lambda: tf.add(_sp(tf), 1.0))]


def case_sparse_placeholders(tf):
    a = tf.sparse_placeholder(tf.float32)
    b = tf.sparse_placeholder(tf.float32, shape=[3, None], name="x")
    c = tf.sparse_placeholder(tf.int64, shape=[2, 5])
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()]
    feed = {a: ([[0, 0], [1, 1]], [5.0, 6.0], [2, 2]), b: tf.SparseTensorValue([[2, 1]], [7.0], [3, 4]),
            c: tf.SparseTensorValue([[1, 4]], [9], [2, 5])}
    dense = tf.sparse_tensor_to_dense(c)
    return {"st": [_st(a), _st(b), _st(c)], "ops": ops, "dense": dense.shape.as_list(),
            "run": _run(tf, [a, b, dense, tf.sparse.to_dense(a)], feed),
            "default_shape": _run(tf, c.dense_shape, {c.indices: [[0, 0]], c.values: [1]})}


def case_to_dense_and_from_dense(tf):
    st = _sp(tf)
    d = tf.sparse_tensor_to_dense(st, default_value=-1.0)
    x = tf.constant([[0, 2, 0], [3, 0, 0]], tf.int32)
    fd = tf.sparse.from_dense(x)
    unsorted = tf.SparseTensor([[1, 0], [0, 1]], [1.0, 2.0], [2, 2])
    with tf.Session() as s:
        err = raises(lambda: s.run(tf.sparse.to_dense(unsorted)))
    return {"d": [d.name, d.shape.as_list()], "fd": _st(fd), "run": _run(tf, [d, fd, tf.sparse.to_dense(
        unsorted, validate_indices=False)]), "unsorted": err,
            "ops": [o.name for o in tf.get_default_graph().get_operations() if "dense_to_sparse" in o.name]}


def case_sparse_add(tf):
    a = _sp(tf)
    b = tf.SparseTensor([[0, 1], [2, 0], [2, 3]], [1.5, 5.0, -4.0], [3, 4])
    s = tf.sparse_add(a, b)
    t = tf.sparse.add(a, b, threshold=0.5)
    d = tf.sparse_add(a, tf.ones([3, 4]))
    p = tf.sparse_placeholder(tf.float32)
    bad = tf.sparse_add(a, p)
    with tf.Session() as sess:
        err = raises(lambda: sess.run(bad, {p: ([[0, 0]], [1.0], [3, 5])}))
    return {"s": _st(s), "d": [d.name, d.op.type, d.shape.as_list()], "run": _run(tf, [s, t, d]), "err": err,
            "static": raises(lambda: tf.sparse_add(a, tf.SparseTensor([[0, 0]], [1.0], [3, 5]))), "p": _st(bad),
            "dense_dense": raises(lambda: tf.sparse_add(tf.ones([2]), tf.ones([2])))}


def case_sparse_add_gradients(tf):
    av = tf.constant([1.0, -2.0, 3.0, 4.0], tf.float64)
    bv = tf.constant([1.5, 5.0, -4.0], tf.float64)
    a = tf.SparseTensor([[0, 1], [1, 0], [1, 2], [2, 3]], av, [3, 4])
    b = tf.SparseTensor([[0, 1], [2, 0], [2, 3]], bv, [3, 4])
    s = tf.sparse_add(a, b)
    w = tf.constant(np.arange(12.0).reshape(3, 4))
    dense = tf.sparse_add(a, w)
    grads = tf.gradients(tf.reduce_sum(s.values * tf.range(1.0, 6.0, dtype=tf.float64)) + tf.reduce_sum(dense * w),
                         [av, bv, w])
    return _run(tf, grads)


def case_sparse_reorder_reshape(tf):
    v = tf.constant([1.0, 2.0, 3.0, 4.0], tf.float64)
    st = tf.SparseTensor([[2, 3], [0, 1], [1, 2], [1, 0]], v, [3, 4])
    r = tf.sparse_reorder(st)
    g = tf.gradients(tf.reduce_sum(r.values * tf.constant([1.0, 2.0, 3.0, 4.0], tf.float64)), v)[0]
    rs = tf.sparse_reshape(r, [2, -1])
    rs2 = tf.sparse.reshape(r, [4, 3, 1])
    p = tf.sparse_placeholder(tf.float32)
    rp = tf.sparse_reorder(p)
    return {"r": _st(r), "rs": _st(rs), "rs2": _st(rs2), "rp": _st(rp),
            "run": _run(tf, [r, g, rs, rs2]), "bad_static": raises(lambda: tf.sparse_reshape(r, [5, 2])),
            "two_unknown": raises(lambda: tf.sparse_reshape(r, [-1, -1]))}


def case_sparse_reshape_runtime_error(tf):
    p = tf.sparse_placeholder(tf.float32)
    rs = tf.sparse_reshape(p, [5, -1])
    with tf.Session() as s:
        return raises(lambda: s.run(rs, {p: ([[0, 0]], [1.0], [3, 4])}))


def case_sparse_retain_slice_split(tf):
    st = _sp(tf, tf.float64)
    kept = tf.sparse_retain(st, [True, False, True, True])
    sl = tf.sparse_slice(st, [1, 0], [2, 3])
    parts = tf.sparse_split(sp_input=st, num_split=3, axis=1)
    g = tf.gradients(tf.reduce_sum(sl.values * tf.constant([2.0, 3.0], tf.float64)), st.values)[0]
    return {"kept": _st(kept), "sl": _st(sl), "parts": [_st(p) for p in parts],
            "run": _run(tf, [kept, sl, parts, g]), "positional": raises(lambda: tf.sparse_split(st, 2, 1)),
            "bad_retain": raises(lambda: tf.sparse_retain(st, [True]))}


def case_sparse_concat(tf):
    a = tf.SparseTensor([[0, 2], [1, 0], [1, 1]], ["a", "b", "c"], [2, 3])
    b = tf.SparseTensor([[0, 1], [0, 2]], ["d", "e"], [2, 4])
    c = tf.SparseTensor([[0, 0], [2, 1]], ["f", "g"], [3, 2])
    one = tf.sparse_concat(1, [a, b])
    zero = tf.sparse_concat(0, [a, a])
    grown = tf.sparse_concat(1, [a, c], expand_nonconcat_dim=True)
    return {"one": _st(one), "zero": _st(zero), "grown": _st(grown), "run": _run(tf, [one, zero, grown]),
            "single": tf.sparse_concat(1, [a]) is a}


def case_sparse_fill_empty_rows(tf):
    v = tf.constant([1.0, -2.0, 3.0], tf.float64)
    d = tf.constant(7.0, tf.float64)
    st = tf.SparseTensor([[2, 1], [0, 3], [2, 0]], v, [4, 4])
    out, empty = tf.sparse_fill_empty_rows(st, d)
    g = tf.gradients(tf.reduce_sum(out.values * tf.range(1.0, 6.0, dtype=tf.float64)), [v, d])
    return {"out": _st(out), "empty": [empty.name, empty.shape.as_list()], "run": _run(tf, [out, empty, g]),
            "ops": [o.type for o in tf.get_default_graph().get_operations() if "SparseFillEmptyRows" in o.type]}


def case_sparse_reductions(tf):
    st = _sp(tf)
    outs = [tf.sparse_reduce_sum(st), tf.sparse_reduce_sum(st, 1), tf.sparse_reduce_sum(st, [0], keepdims=True),
            tf.sparse_reduce_max(st, 1), tf.sparse_reduce_max(st, -2, keep_dims=True), tf.sparse.reduce_max(st)]
    sparse = [tf.sparse_reduce_sum_sparse(st, 1), tf.sparse_reduce_max_sparse(st, 0, keepdims=True)]
    p = tf.sparse_placeholder(tf.float32)
    unknown = tf.sparse_reduce_sum(p, 1)
    return {"shapes": [[o.name, o.shape.as_list() if o.shape.ndims is not None else None] for o in outs + [unknown]],
            "sparse": [_st(s) for s in sparse], "run": _run(tf, outs + sparse)}


def case_sparse_reduce_sum_gradient(tf):
    v = tf.constant([1.0, -2.0, 3.0, 4.0], tf.float64)
    st = tf.SparseTensor([[0, 1], [1, 0], [1, 2], [2, 3]], v, [3, 4])
    r = tf.sparse_reduce_sum(st, 1)
    g = tf.gradients(tf.reduce_sum(r * tf.constant([1.0, 2.0, 3.0], tf.float64)), v)[0]
    g2 = tf.gradients(tf.sparse_reduce_sum(st), v)[0]
    return _run(tf, [g, g2])


def case_sparse_dense_matmul(tf):
    v = tf.constant([1.0, -2.0, 3.0, 4.0], tf.float64)
    st = tf.SparseTensor([[0, 1], [1, 0], [1, 2], [2, 3]], v, [3, 4])
    b = tf.constant(np.arange(8.0).reshape(4, 2) / 4)
    bt = tf.constant(np.arange(6.0).reshape(2, 3) / 3)
    out = {"plain": tf.sparse_tensor_dense_matmul(st, b),
           "adj_a": tf.sparse_tensor_dense_matmul(st, tf.transpose(bt), adjoint_a=True),
           "adj_b": tf.sparse.matmul(st, tf.transpose(b), adjoint_b=True),
           "both": tf.sparse.sparse_dense_matmul(st, bt, adjoint_a=True, adjoint_b=True)}
    grads = {k: tf.gradients(tf.reduce_sum(o * o), [v]) for k, o in out.items()}
    db = tf.gradients(tf.reduce_sum(out["plain"] * out["plain"]), b)[0]
    return {"shapes": {k: [o.name, o.shape.as_list()] for k, o in out.items()},
            "run": _run(tf, [out, grads, db]),
            "bad": raises(lambda: tf.sparse_tensor_dense_matmul(st, tf.ones([3, 2], tf.float64)))}


def case_sparse_softmax_and_gradient(tf):
    v = tf.constant([1.0, 2.0, 3.0, -1.0, 0.5], tf.float64)
    st = tf.SparseTensor([[0, 0], [0, 2], [1, 1], [2, 0], [2, 3]], v, [3, 4])
    sm = tf.sparse_softmax(st)
    g = tf.gradients(tf.reduce_sum(sm.values * tf.range(1.0, 6.0, dtype=tf.float64)), v)[0]
    return {"sm": _st(sm), "run": _run(tf, [sm, g])}


def case_sparse_maximum_minimum(tf):
    a = _sp(tf)
    b = tf.SparseTensor([[0, 0], [0, 1], [2, 3]], [5.0, -6.0, 1.0], [3, 4])
    mx, mn = tf.sparse_maximum(a, b), tf.sparse.minimum(a, b)
    return {"mx": _st(mx), "mn": _st(mn), "run": _run(tf, [mx, mn]),
            "grad": raises(lambda: tf.gradients(tf.reduce_sum(mx.values), a.values))}


def case_sparse_dense_cwise(tf):
    v = tf.constant([1.0, -2.0, 3.0, 4.0], tf.float64)
    st = tf.SparseTensor([[0, 1], [1, 0], [1, 2], [2, 3]], v, [3, 4])
    d = tf.constant([0.5, 2.0, -1.0, 4.0], tf.float64)
    m = st * d
    q = st / tf.constant(np.arange(1.0, 13.0).reshape(3, 4))
    qi = tf.SparseTensor([[0, 0], [1, 1]], [7, -7], [2, 2]) / 2
    grads = tf.gradients(tf.reduce_sum(m.values) + tf.reduce_sum(q.values * 2.0), [v, d])
    return {"m": _st(m), "q": _st(q), "qi": _st(qi), "run": _run(tf, [m, q, qi, grads]),
            "ops": [[o.name, o.type] for o in tf.get_default_graph().get_operations()
                    if o.type.startswith("SparseDense")]}


def case_sparse_transpose_eye_expand(tf):
    st = tf.SparseTensor([[0, 1, 0], [1, 0, 2], [1, 2, 1]], [1, 2, 3], [2, 3, 4])
    t = tf.sparse_transpose(st)
    t2 = tf.sparse.transpose(st, [0, 2, 1])
    e = tf.sparse.eye(3, 4, dtype=tf.int32)
    x = tf.sparse.expand_dims(st, 1)
    return {"t": _st(t), "t2": _st(t2), "e": _st(e), "x": _st(x), "run": _run(tf, [t, t2, e, x])}


def case_sparse_merge_and_indicator(tf):
    ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 0]], tf.constant([3, 1, 0, 3], tf.int64), [3, 2])
    wts = tf.SparseTensor(ids.indices, [0.5, 1.5, 2.0, -1.0], ids.dense_shape)
    m = tf.sparse_merge(ids, wts, 4)
    ind = tf.sparse_to_indicator(ids, 5)
    return {"m": _st(m), "ind": [ind.name, ind.dtype.name, ind.shape.as_list() if ind.shape.ndims is not None else None],
            "run": _run(tf, [m, ind])}


def case_sparse_reset_shape_and_mask(tf):
    st = tf.SparseTensor([[0, 1], [1, 0]], [1.0, 2.0], [5, 6])
    tight = tf.sparse_reset_shape(st)
    grown = tf.sparse.reset_shape(st, [6, 7])
    sl = tf.IndexedSlices(tf.constant([[1.0], [2.0], [3.0]]), tf.constant([0, 4, 7]), tf.constant([9, 1]))
    masked = tf.sparse_mask(sl, [4])
    return {"run": _run(tf, [tight, grown, masked.values, masked.indices]),
            "small": raises(lambda: tf.sparse_reset_shape(st, [2, 2]))}


def case_sparse_to_dense_gradient(tf):
    v = tf.constant([1.0, 2.0], tf.float64)
    dv = tf.constant(-1.0, tf.float64)
    d = tf.sparse_to_dense([[0, 1], [2, 0]], [3, 2], v, dv)
    g = tf.gradients(tf.reduce_sum(d * tf.constant(np.arange(6.0).reshape(3, 2))), [v, dv])
    return _run(tf, g)


def _example(tf, d):
    feats = {}
    for k, v in d.items():
        if isinstance(v[0], float):
            feats[k] = tf.train.Feature(float_list=tf.train.FloatList(value=v))
        elif isinstance(v[0], bytes):
            feats[k] = tf.train.Feature(bytes_list=tf.train.BytesList(value=v))
        else:
            feats[k] = tf.train.Feature(int64_list=tf.train.Int64List(value=v))
    return tf.train.Example(features=tf.train.Features(feature=feats)).SerializeToString()


def case_parse_var_len_features(tf):
    recs = [_example(tf, {"a": [1, 2, 3], "b": [0.5], "s": [b"x"]}), _example(tf, {"a": [7], "b": [1.5],
                                                                                 "s": [b"y", b"z"]}),
            _example(tf, {"b": [2.5]})]
    p = tf.placeholder(tf.string, [None])
    out = tf.parse_example(p, {"a": tf.VarLenFeature(tf.int64), "b": tf.FixedLenFeature([1], tf.float32),
                               "s": tf.VarLenFeature(tf.string)})
    one = tf.parse_single_example(recs[1], {"a": tf.VarLenFeature(tf.int64), "b": tf.FixedLenFeature([], tf.float32)})
    return {"out": {k: _st(v) for k, v in out.items() if k != "b"}, "one": _st(one["a"]),
            "ops": [[o.name, o.type] for o in tf.get_default_graph().get_operations()],
            "run": _run(tf, [out, one], {p: recs}), "empty": _run(tf, out, {p: []}),
            "dense": _run(tf, tf.sparse_tensor_to_dense(out["a"]), {p: recs})}


def case_parse_var_len_wrong_type(tf):
    p = tf.placeholder(tf.string, [None])
    out = tf.parse_example(p, {"a": tf.VarLenFeature(tf.float32)})
    with tf.Session() as s:
        return raises(lambda: s.run(out, {p: [_example(tf, {"a": [1, 2]})]}))


def _embedding_setup(tf):
    w = tf.Variable(np.arange(15.0).reshape(5, 3) / 10, name="w")
    ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 0], [2, 1], [2, 2]], tf.constant([1, 3, 0, 4, 4, 2], tf.int64),
                          [4, 3])
    wts = tf.SparseTensor(ids.indices, tf.constant([1.0, 2.0, 0.5, 1.0, -1.0, 3.0], tf.float64), ids.dense_shape)
    return w, ids, wts


def case_embedding_lookup_sparse(tf):
    w, ids, wts = _embedding_setup(tf)
    outs = {}
    for c in ("sum", "mean", "sqrtn"):
        outs[c] = tf.nn.embedding_lookup_sparse(w, ids, None, combiner=c)
        outs[c + "_w"] = tf.nn.embedding_lookup_sparse(w, ids, wts, combiner=c)
    types = sorted({o.type for o in tf.get_default_graph().get_operations()})
    return {"shapes": {k: [v.name, v.shape.as_list()] for k, v in outs.items()}, "types": types,
            "run": _run(tf, outs), "bad": raises(lambda: tf.nn.embedding_lookup_sparse(w, ids, None, combiner="max"))}


def case_embedding_lookup_sparse_gradients(tf):
    w, ids, wts = _embedding_setup(tf)
    mean = tf.nn.embedding_lookup_sparse(w, ids, None)
    weighted = tf.nn.embedding_lookup_sparse(w, ids, wts, combiner="sqrtn")
    g = tf.gradients(tf.reduce_sum(mean * mean), w)[0]
    g2 = tf.gradients(tf.reduce_sum(weighted), w)[0]
    return {"kinds": [type(g).__name__, type(g2).__name__],
            "run": _run(tf, [tf.convert_to_tensor(g), tf.convert_to_tensor(g2)])}


def case_embedding_lookup_sparse_trains_rows(tf):
    w, ids, _ = _embedding_setup(tf)
    loss = tf.reduce_sum(tf.nn.embedding_lookup_sparse(w, ids, None, combiner="sum"))
    step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(step)
        return s.run(w)


def case_safe_embedding_lookup_sparse(tf):
    w, ids, wts = _embedding_setup(tf)
    a = tf.nn.safe_embedding_lookup_sparse(w, ids)
    b = tf.nn.safe_embedding_lookup_sparse(w, ids, wts, default_id=1)
    ids3 = tf.SparseTensor([[0, 0, 0], [0, 1, 1], [1, 1, 0]], tf.constant([2, -1, 4], tf.int64), [2, 2, 2])
    c = tf.nn.safe_embedding_lookup_sparse(w, ids3, combiner="sum")
    return {"shapes": [[x.name, x.shape.as_list()] for x in (a, b, c)], "run": _run(tf, [a, b, c])}


def case_segment_reductions(tf):
    d = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], tf.float64)
    outs = [tf.segment_sum(d, [0, 0, 2]), tf.math.segment_sum(d, [0, 1, 1]),
            tf.sparse.segment_sum(d, [0, 2, 1], [0, 0, 1]), tf.sparse_segment_mean(d, [0, 2, 2], [0, 0, 1]),
            tf.sparse.segment_sqrt_n(d, [0, 2, 1], [0, 0, 2])]
    grads = [tf.gradients(tf.reduce_sum(o * o), d)[0] for o in outs]
    with tf.Session() as s:
        errs = [raises(lambda: s.run(tf.segment_sum(d, [1, 0, 2]))),
                raises(lambda: s.run(tf.sparse_segment_sum(d, [0, 5], [0, 0]))),
                raises(lambda: s.run(tf.sparse_segment_sum(d, [0, 1], [1, 0])))]
    return {"shapes": [[o.name, o.shape.as_list()] for o in outs], "run": _run(tf, [outs, grads]), "errs": errs}


def case_embedding_lookup_sparse_partitioned_and_max_norm(tf):
    parts = [tf.constant(np.arange(9.0).reshape(3, 3) / 4), tf.constant(np.arange(9.0, 15.0).reshape(2, 3) / 4)]
    ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 1]], tf.constant([1, 4, 0, 2], tf.int64), [3, 2])
    wts = tf.SparseTensor(ids.indices, [2.0, 1.0, 0.5, 1.0], ids.dense_shape)
    outs = [tf.nn.embedding_lookup_sparse(parts, ids, None, partition_strategy="div", combiner="sum"),
            tf.nn.embedding_lookup_sparse(parts, ids, tf.SparseTensor(wts.indices, tf.cast(wts.values, tf.float64),
                                                                      wts.dense_shape), combiner="mean",
                                          partition_strategy="div"),
            tf.nn.embedding_lookup_sparse(tf.concat(parts, 0), ids, None, max_norm=1.0)]
    return {"shapes": [[o.name, o.shape.as_list()] for o in outs], "run": _run(tf, outs)}


def case_sparse_feeds_and_callables(tf):
    p = tf.sparse_placeholder(tf.float32, shape=[None, 3])
    total = tf.sparse_reduce_sum(p, 1)
    with tf.Session() as s:
        value = tf.SparseTensorValue(np.array([[0, 0], [1, 2]]), np.array([1.5, 2.5], np.float32), np.array([2, 3]))
        by_value = s.run(total, {p: value})
        by_tuple = s.run(p, {p: ([[1, 1]], [4.0], [3, 3])})
        parts = s.run([p.indices, p.values], {p.indices: [[0, 1]], p.values: [9.0], p.dense_shape: [1, 3]})
        wrong_rank = raises(lambda: s.run(total, {p: ([[0, 0, 0]], [1.0], [2, 3, 4])}))
    return {"value": by_value, "tuple": _plain(by_tuple), "parts": parts, "wrong_rank": wrong_rank,
            "shape": _st(p)}
