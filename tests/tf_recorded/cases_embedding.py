"""Embedding lookups, candidate samplers and sampled losses as TF1 builds and runs them: op names, shapes,
values (the samplers' draws bit for bit), gradients (IndexedSlices per partition) and training steps."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402

_TABLE = np.arange(30.0).reshape(10, 3).astype(np.float32) / 10


def _ops(tf, word):
    return [[o.name, o.type] for o in tf.get_default_graph().get_operations()
            if word in o.name and not o.name.startswith("gradients")]


def _kind(tf, g):
    return "IndexedSlices" if isinstance(g, tf.IndexedSlices) else "Tensor"


def _run(tf, fetches):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run(fetches)


def case_lookup_one_table(tf):
    w = tf.Variable(_TABLE, name="w")
    e = tf.nn.embedding_lookup(w, [[1, 9], [3, 3]])
    e2 = tf.nn.embedding_lookup(w, tf.constant([4]), name="emb")
    g = tf.gradients(tf.reduce_sum(e * e), w)[0]
    return {"ops": _ops(tf, "embedding_lookup") + _ops(tf, "emb"), "e": [e.name, e.shape.as_list(), e2.name],
            "g": [_kind(tf, g), g.values.name, g.indices.name], "run": _run(tf, [e, e2, g.values, g.indices])}


def case_lookup_numpy_params_and_placeholder_ids(tf):
    ids = tf.placeholder(tf.int64, [None, 2])
    e = tf.nn.embedding_lookup(_TABLE, ids)
    with tf.Session() as s:
        out = s.run(e, {ids: [[0, 1], [9, 9], [2, 5]]})
    return {"ops": _ops(tf, "embedding_lookup"), "shape": e.shape.as_list(), "run": out}


def case_lookup_max_norm(tf):
    w = tf.Variable(_TABLE, name="w")
    e = tf.nn.embedding_lookup(w, [[1, 9], [3, 0]], max_norm=2.0)
    g = tf.gradients(tf.reduce_sum(e), w)[0]
    return {"ops": _ops(tf, "embedding_lookup"), "run": _run(tf, [e, tf.convert_to_tensor(g)])}


def _parts(tf, sizes):
    out, start = [], 0
    for i, n in enumerate(sizes):
        out.append(tf.Variable(_TABLE[start:start + n], name=f"part{i}"))
        start += n
    return out


def case_lookup_partitioned_mod(tf):
    parts = [tf.Variable(_TABLE[i::3], name=f"part{i}") for i in range(3)]
    ids = tf.constant([[1, 9], [3, 3], [2, 7]])
    e = tf.nn.embedding_lookup(parts, ids)
    g = tf.gradients(tf.reduce_sum(e * e), parts)
    return {"ops": _ops(tf, "embedding_lookup"), "shape": e.shape.as_list(), "g": [_kind(tf, x) for x in g],
            "run": _run(tf, [e] + [tf.convert_to_tensor(x) for x in g])}


def case_lookup_partitioned_div(tf):
    parts = _parts(tf, [4, 3, 3])
    ids = tf.constant([0, 3, 4, 9, 6, 7])
    e = tf.nn.embedding_lookup(parts, ids, partition_strategy="div", max_norm=1.5)
    return {"ops": _ops(tf, "embedding_lookup"), "shape": e.shape.as_list(), "run": _run(tf, e)}


def case_lookup_partitioned_div_unknown_rows(tf):
    a = tf.placeholder(tf.float32, [None, 3])
    b = tf.placeholder(tf.float32, [None, 3])
    ids = tf.placeholder(tf.int32, [None])
    e = tf.nn.embedding_lookup([a, b], ids, partition_strategy="div")
    with tf.Session() as s:
        out = s.run(e, {a: _TABLE[:5], b: _TABLE[5:], ids: [9, 0, 4, 5]})
    return {"shape": e.shape.as_list(), "run": out, "ops": [t for _, t in _ops(tf, "embedding_lookup")]}


def case_lookup_errors(tf):
    w = tf.Variable(_TABLE, name="w")
    bad = tf.nn.embedding_lookup(w, [10])
    with tf.Session() as s:
        s.run(w.initializer)
        run = raises(lambda: s.run(bad))
    return [raises(lambda: tf.nn.embedding_lookup([], [0])), raises(lambda: tf.nn.embedding_lookup(None, [0])),
            raises(lambda: tf.nn.embedding_lookup([w, w], [0], partition_strategy="nope")), run]


def case_samplers_bit_identical(tf):
    tf.set_random_seed(3)
    tc = tf.constant([[1, 7], [0, 3], [4, 2]], tf.int64)
    outs = [tf.nn.log_uniform_candidate_sampler(tc, 2, 64, True, 50000),
            tf.nn.log_uniform_candidate_sampler(tc, 2, 10, False, 50000, seed=5),
            tf.nn.uniform_candidate_sampler(tc, 2, 8, True, 20),
            tf.nn.uniform_candidate_sampler(tc, 2, 8, False, 1000000, seed=1),
            tf.nn.log_uniform_candidate_sampler(tc, 2, 10, True, 12, seed=9),
            tf.nn.all_candidate_sampler(tc, 2, 8, True)]
    names = [[t.name, t.shape.as_list(), t.dtype.name] for o in outs for t in o]
    with tf.Session() as s:
        return {"names": names, "runs": [s.run(outs) for _ in range(2)]}


def case_sampler_errors(tf):
    tc = tf.constant([[1, 7]], tf.int64)
    with tf.Session() as s:
        return [raises(lambda: s.run(tf.nn.uniform_candidate_sampler(tc, 2, 3, True, 5))),
                raises(lambda: s.run(tf.nn.uniform_candidate_sampler(tc, 2, 9, True, 8))),
                raises(lambda: tf.nn.uniform_candidate_sampler(tf.constant([1], tf.int64), 1, 3, True, 5)),
                raises(lambda: s.run(tf.nn.uniform_candidate_sampler(tc, 3, 2, True, 9))),
                raises(lambda: tf.nn.uniform_candidate_sampler(tf.constant([[1]]), 1, 3, True, 5))]


def case_compute_accidental_hits(tf):
    true = tf.constant([[5, 3], [9, 7], [1, 1]], tf.int64)
    sampled = tf.constant([9, 1, 5, 0, 7, 1], tf.int64)
    hits = tf.nn.compute_accidental_hits(true, sampled, 2)
    return {"names": [[t.name, t.shape.as_list(), t.dtype.name] for t in hits], "run": _run(tf, list(hits))}


def _nce_model(tf, partitioned=False):
    rng = np.random.RandomState(0)
    table = rng.randn(50, 4).astype(np.float32) * 0.3
    nw = [tf.Variable(table[i::2], name=f"nw{i}") for i in range(2)] if partitioned else tf.Variable(table, name="nw")
    nb = tf.Variable(rng.randn(50).astype(np.float32) * 0.1, name="nb")
    emb = tf.Variable(rng.randn(20, 4).astype(np.float32), name="emb")
    inputs = tf.nn.embedding_lookup(emb, [3, 7, 3, 19])
    labels = tf.constant([[1], [7], [3], [49]], tf.int64)
    return nw, nb, emb, inputs, labels


def case_nce_loss(tf):
    tf.set_random_seed(1)
    nw, nb, emb, inputs, labels = _nce_model(tf)
    loss = tf.nn.nce_loss(nw, nb, labels, inputs, 6, 50)
    grads = tf.gradients(tf.reduce_sum(loss), [nw, nb, emb])
    return {"ops": _ops(tf, "nce_loss"), "loss": [loss.name, loss.shape.as_list()],
            "grads": [[_kind(tf, g), g.name] for g in grads],
            "run": _run(tf, [loss] + [tf.convert_to_tensor(g) for g in grads])}


def case_nce_loss_partitioned_num_true_2_hits_removed(tf):
    tf.set_random_seed(2)
    nw, nb, _emb, inputs, _ = _nce_model(tf, partitioned=True)
    labels = tf.constant([[1, 2], [7, 0], [3, 3], [49, 48]], tf.int64)
    loss = tf.nn.nce_loss(nw, nb, labels, inputs, 8, 50, num_true=2, remove_accidental_hits=True,
                          partition_strategy="div")
    return {"shape": loss.shape.as_list(), "run": _run(tf, loss)}


def case_sampled_softmax_loss(tf):
    tf.set_random_seed(4)
    nw, nb, _emb, inputs, labels = _nce_model(tf)
    loss = tf.nn.sampled_softmax_loss(nw, nb, labels, inputs, 10, 50, seed=7)
    grads = tf.gradients(tf.reduce_sum(loss), [nw, nb])
    return {"ops": [t for _, t in _ops(tf, "sampled_softmax_loss")], "loss": [loss.name, loss.shape.as_list()],
            "grads": [_kind(tf, g) for g in grads], "run": _run(tf, [loss] + [tf.convert_to_tensor(g) for g in grads])}


def case_sampled_softmax_given_sampled_values(tf):
    nw, nb, _emb, inputs, labels = _nce_model(tf)
    values = tf.nn.uniform_candidate_sampler(labels, 1, 5, True, 50, seed=3)
    loss = tf.nn.sampled_softmax_loss(nw, nb, labels, inputs, 5, 50, sampled_values=values,
                                      remove_accidental_hits=False)
    return _run(tf, loss)


def case_skipgram_training_steps(tf):
    tf.set_random_seed(0)
    nw, nb, emb, inputs, labels = _nce_model(tf)
    loss = tf.reduce_mean(tf.nn.nce_loss(nw, nb, labels, inputs, 6, 50))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        losses = [s.run([train, loss])[1] for _ in range(3)]
        return {"losses": losses, "emb": s.run(emb), "nb": s.run(nb),
                "update_ops": sorted(o.type for o in tf.get_default_graph().get_operations()
                                     if o.name.startswith("GradientDescent/update_"))}


def case_dynamic_partition(tf):
    d = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])
    parts = tf.dynamic_partition(d, [1, 0, 1, 2], 4)
    g = tf.gradients(tf.reduce_sum(parts[1] * 2.0) + tf.reduce_sum(parts[2]), d)[0]
    bad = tf.dynamic_partition(d, [0, 5, 1, 0], 2)
    with tf.Session() as s:
        out = s.run(parts + [g])
        err = raises(lambda: s.run(bad))
    return {"names": [[p.name, p.shape.as_list()] for p in parts], "run": out, "err": err,
            "build": raises(lambda: tf.dynamic_partition(d, [0, 1], 2))}


def case_sparse_to_dense(tf):
    a = tf.sparse_to_dense([[0, 1], [2, 0]], [3, 2], [5.0, 6.0], -1.0)
    b = tf.sparse_to_dense([1, 3], [5], 7)
    c = tf.sparse_to_dense(2, [4], 1.5)
    unordered = tf.sparse_to_dense([3, 1], [5], 7)
    with tf.Session() as s:
        out = s.run([a, b, c])
        err = raises(lambda: s.run(unordered))
        oob = raises(lambda: s.run(tf.sparse_to_dense([9], [5], 7)))
        ok = s.run(tf.sparse_to_dense([3, 1], [5], 7, validate_indices=False))
    return {"shapes": [t.shape.as_list() for t in (a, b, c)], "run": out, "err": [err, oob], "ok": ok}
