"""Recorded cases: TF1's mutable lookup tables (tf.lookup.experimental.MutableHashTable and DenseHashTable, the
contrib-era MutableHashTable / MutableDenseHashTable), their ops (insert, remove, find, size, export, import) and
their checkpoints through tf.train.Saver.

A MutableHashTable exports its entries in TF's hash-map order, so cases sort them; a DenseHashTable exports
its buckets, compared as they are (TF's layout).
"""
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, kernel_error, sig

DIR = "/tmp/raygraph_lookup_mutable_cases"  # fixed: checkpoint paths


def lookup_ops(tf):
    """The contrib-era classes: tf.contrib.lookup, else TF 2.21's lookup_ops module."""
    if hasattr(tf, "contrib"):
        return tf.contrib.lookup
    from tensorflow.python.ops import lookup_ops as ops
    return ops


def raw_op(tf, name, *args, **attrs):
    """A raw op: TF's generated wrapper, or raygraph's apply_op."""
    if hasattr(tf, "contrib"):
        from raygraph.ops.registry import apply_op
        return apply_op(name, list(args), attrs)
    from tensorflow.python.ops import gen_lookup_ops as g
    fn = {"LookupTableFindV2": g.lookup_table_find_v2, "LookupTableInsertV2": g.lookup_table_insert_v2,
          "LookupTableRemoveV2": g.lookup_table_remove_v2, "LookupTableImportV2": g.lookup_table_import_v2,
          "MutableHashTableV2": g.mutable_hash_table_v2,
          "MutableHashTableOfTensorsV2": g.mutable_hash_table_of_tensors_v2}[name]
    return fn(*args, **attrs)


def steps(tf, ops, fetches):
    """Runs each op of `ops` (or a list of them) in turn in one session, fetching `fetches` after each."""
    out = []
    with tf.Session() as s:
        for op in ops:
            s.run(op)
            out.append([np.asarray(v) for v in s.run(list(fetches))])
    return out


def sorted_entries(keys, values):
    order = np.argsort(keys, kind="stable")
    return [keys[order], values[order]]


def step_error(tf, sess, fetch, feed_dict=None):
    """The class and kernel message of running `fetch` in `sess` (TF's node traceback left out)."""
    def go():
        sess.run(fetch, feed_dict)
    out = error_text(go)
    if isinstance(out, list) and "Node: '" in out[1]:
        out[1] = out[1].split("Node: '", 1)[1].split("' ", 1)[1]
    return out


# ----- graphs ---------------------------------------------------------------------------------------------------
def case_mutable_graph(tf):
    t = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)
    v = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, [0.0, 1.0, 2.0], name="vec", checkpoint=False)
    x, xi = tf.placeholder(tf.string, [None, 3]), tf.placeholder(tf.int64, [None, 2])
    outs = [t.lookup(x), v.lookup(xi), t.size(), v.lookup(tf.placeholder(tf.int64)), v.lookup(xi, name="named")]
    ops = [t.insert(x, tf.zeros_like(x, tf.int64)), t.remove(x), v.insert([1, 2], [[1.0, 2, 3], [4, 5, 6]]),
           v.remove(xi)]
    keys, values = v.export()
    return [describe(tf), [sig(o) for o in outs + [keys, values]], [o.name for o in ops], t.name, v.name,
            len(tf.get_collection(tf.GraphKeys.SAVEABLE_OBJECTS)), t.key_dtype.name, v.value_dtype.name]


def case_dense_graph(tf):
    d = tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1)
    dv = tf.lookup.experimental.DenseHashTable(tf.int64, tf.float32, [0.0, 0.0], empty_key=[0, 0],
                                               deleted_key=[-1, -1], initial_num_buckets=16, name="dv")
    x = tf.placeholder(tf.int64, [None, 2])
    outs = [d.lookup(x), dv.lookup(x), dv.lookup(tf.placeholder(tf.int64, [3, 4, 2])), d.size()]
    ops = [d.insert(x, x), d.insert_or_assign([1], [2]), d.remove(tf.constant([1], tf.int64)), dv.erase(x)]
    return [describe(tf), [sig(o) for o in outs + list(dv.export())], [o.name for o in ops], d.name, dv.name]


def case_contrib_names(tf):
    lk = lookup_ops(tf)
    dense = lk.MutableDenseHashTable if hasattr(tf, "contrib") else lk.DenseHashTable
    t = lk.MutableHashTable(tf.int64, tf.string, "?", name="m")
    d = dense(tf.string, tf.int64, 0, empty_key="", deleted_key="<del>", initial_num_buckets=4, name="d")
    fetch = [t.lookup(tf.constant([3, 4], tf.int64)), d.lookup(tf.constant(["x", "y"])), t.size(), d.size()]
    return [describe(tf), steps(tf, [[t.insert(tf.constant([3], tf.int64), ["three"]),
                                      d.insert(["x"], tf.constant([7], tf.int64))]], fetch)]


# ----- values ---------------------------------------------------------------------------------------------------
def case_mutable_scalars(tf):
    rng = np.random.default_rng(1)
    t = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, -1.5)
    k, v = tf.placeholder(tf.int64), tf.placeholder(tf.float32)
    probe = tf.constant([[0, 1, 2], [3, 4, 99]], tf.int64)
    keys = rng.integers(0, 5, 6)
    ops = [t.insert(k, v), t.remove(tf.constant([1, 7], tf.int64)), t.insert(tf.constant([1], tf.int64), [10.0])]
    out = []
    with tf.Session() as s:
        s.run(ops[0], {k: keys, v: rng.normal(size=6).astype(np.float32)})   # duplicates: the last wins
        out.append(s.run([t.lookup(probe), t.size()]))
        s.run(ops[0], {k: [[2, 3]], v: [[0.25, 0.5]]})
        out.append(s.run([t.lookup(probe), t.size()]))
        s.run(ops[1])
        s.run(ops[2])
        out.append(s.run([t.lookup(probe), t.size()]))
        out.append(sorted_entries(*s.run(t.export())))
        s.run(ops[0], {k: np.zeros((0,), np.int64), v: np.zeros((0,), np.float32)})
        out.append(s.run([t.lookup(tf.constant(5, tf.int64)), t.size()]))
    return [keys, out]


def case_mutable_strings_and_dtypes(tf):
    outs = []
    for kd, vd, default, keys, values, probe in (
            (tf.string, tf.int64, -1, ["a", "b", "c"], [7, 8, 9], ["c", "a", "zz", ""]),
            (tf.int64, tf.string, "?", [5, -5], ["five", "minus"], [-5, 5, 0]),
            (tf.int32, tf.float64, 0.5, [1, 2], [1.25, 2.5], [2, 3]),
            (tf.string, tf.bool, False, ["t"], [True], ["t", "f"]),
            (tf.int64, tf.int32, 3, [10], [20], [10, 11])):
        t = tf.lookup.experimental.MutableHashTable(kd, vd, default, checkpoint=False)
        p = tf.constant(probe, kd)
        got = steps(tf, [t.insert(tf.constant(keys, kd), tf.constant(values, vd))], [t.lookup(p), t.size()])
        ek, ev = steps(tf, [t.insert(tf.constant(keys, kd), tf.constant(values, vd))], t.export())[0]
        outs.append([sig(t.lookup(p)), got, sorted_entries(ek, ev)])
    return outs


def case_mutable_vectors(tf):
    t = tf.lookup.experimental.MutableHashTable(tf.string, tf.float32, [-1.0, -2.0])
    d = tf.placeholder(tf.float32)
    keys = tf.constant(["a", "b", "c"])
    ins = t.insert(keys, [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    probe = tf.constant([["b", "q"], ["a", "c"]])
    found = [t.lookup(probe), t.lookup(probe, dynamic_default_values=d)]
    out = []
    with tf.Session() as s:
        s.run(ins)
        s.run(t.remove(tf.constant(["c"])))
        out.append(s.run(found[0]))
        out.append(s.run(found[1], {d: [[[9, 9], [8, 8]], [[7, 7], [6, 6]]]}))
        out.append(s.run(found[1], {d: [0.5, 0.25]}))
        out.append(sorted_entries(*s.run(t.export())))
        out.append(step_error(tf, s, found[1], {d: [[1, 2, 3]]}))
        out.append(step_error(tf, s, t.insert(keys, [[1.0], [2.0], [3.0]])))
        out.append(step_error(tf, s, t.insert(tf.constant([["a", "b"]]), [[1.0, 2.0], [3.0, 4.0]])))
    return [[sig(f) for f in found], out]


def case_mutable_per_key_defaults(tf):
    t = tf.lookup.experimental.MutableHashTable(tf.int64, tf.int64, 0)
    d = tf.placeholder(tf.int64)
    out = t.lookup(tf.constant([[1, 2], [3, 4]], tf.int64), dynamic_default_values=d)
    with tf.Session() as s:
        s.run(t.insert(tf.constant([2, 3], tf.int64), tf.constant([20, 30], tf.int64)))
        return [sig(out), s.run(out, {d: [[-1, -2], [-3, -4]]}), s.run(out, {d: 5}),
                step_error(tf, s, out, {d: [1, 2]}), step_error(tf, s, out, {d: [[1, 2, 3]]})]


def case_dense_layout(tf):
    d = tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1,
                                              initial_num_buckets=8)
    k = tf.placeholder(tf.int64, [None])
    fetch = list(d.export()) + [d.size(), d.lookup(tf.constant([3, 11, 19, 27, 8, 5], tf.int64))]
    ops = [d.insert(tf.constant([3, 11, 19], tf.int64), tf.constant([30, 110, 190], tf.int64)),
           d.insert(tf.constant([27, 11], tf.int64), tf.constant([270, 111], tf.int64)),
           d.remove(tf.constant([11, 12], tf.int64)),
           d.insert(tf.constant([27, 35, -9], tf.int64), tf.constant([1, 2, 3], tf.int64)),   # grows to 16 buckets
           d.remove(tf.constant([3, 19, 27, 35, -9], tf.int64))]
    out = steps(tf, ops, fetch)
    with tf.Session() as s:
        grow = d.insert(k, k * 10)
        s.run(grow, {k: np.arange(1, 8)})    # 7 > 8 * 0.8: 16 buckets
        grown = s.run(fetch)
        s.run(grow, {k: np.arange(100, 130)})
        many = s.run(list(d.export()) + [d.size()])
    return [out, grown, many]


def case_dense_strings_and_vectors(tf):
    ds = tf.lookup.experimental.DenseHashTable(tf.string, tf.float32, [0.0, -1.0], empty_key="",
                                               deleted_key="$", initial_num_buckets=4)
    dv = tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=[0, 0], deleted_key=[-1, -1],
                                               initial_num_buckets=4)
    ops = [[ds.insert(tf.constant(["apple", "pear", "fig"]), [[1.0, 2], [3, 4], [5, 6]]),
            dv.insert(tf.constant([[1, 2], [2, 1], [5, 5]], tf.int64), tf.constant([12, 21, 55], tf.int64))],
           [ds.remove(tf.constant(["pear"])), dv.remove(tf.constant([[2, 1]], tf.int64))],
           [ds.insert(tf.constant(["kiwi", "fig"]), [[7.0, 8], [9, 10]]),
            dv.insert(tf.constant([[3, 3]], tf.int64), tf.constant([33], tf.int64))]]
    fetch = (list(ds.export()) + list(dv.export()) + [ds.size(), dv.size()] +
             [ds.lookup(tf.constant(["fig", "pear", "kiwi"])), dv.lookup(tf.constant([[1, 2], [2, 1]], tf.int64)),
              dv.lookup(tf.constant([[[5, 5]], [[3, 3]]], tf.int64))])
    return [[sig(t) for t in fetch[-3:]], steps(tf, ops, fetch)]


def case_import_into_tables(tf):
    t = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, 0.0, checkpoint=False)
    d = tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1,
                                              initial_num_buckets=4, checkpoint=False)
    k, v = tf.placeholder(tf.int64), tf.placeholder(tf.float32)
    dk, dv = tf.placeholder(tf.int64), tf.placeholder(tf.int64)
    imp = raw_op(tf, "LookupTableImportV2", t.resource_handle, k, v)
    dimp = raw_op(tf, "LookupTableImportV2", d.resource_handle, dk, dv)
    probe = tf.constant([1, 2, 3, 4], tf.int64)
    with tf.Session() as s:
        s.run(t.insert(tf.constant([1, 2], tf.int64), [1.0, 2.0]))
        s.run(imp, {k: [3, 4], v: [3.0, 4.0]})   # import replaces the contents
        out = [s.run([t.lookup(probe), t.size()])]
        s.run(dimp, {dk: [[0], [3], [-1], [6]], dv: [[0], [30], [0], [60]]})
        out.append(s.run([d.lookup(tf.constant([3, 6, 7], tf.int64)), d.size()] + list(d.export())))
        out.append(step_error(tf, s, imp, {k: [1, 2], v: [1.0]}))
        out.append(step_error(tf, s, dimp, {dk: [1, 2], dv: [1, 2]}))
        out.append(step_error(tf, s, dimp, {dk: [[1], [2]], dv: [[1, 1], [2, 2]]}))
    return out


# ----- errors ---------------------------------------------------------------------------------------------------
def case_build_errors(tf):
    t = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1, checkpoint=False)
    d = tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1, checkpoint=False)
    return [error_text(lambda: t.remove(tf.constant([1]))),
            error_text(lambda: d.erase(tf.constant(["a"]))),
            error_text(lambda: d.remove(tf.constant([1], tf.int32))),
            error_text(lambda: t.lookup([1])),
            error_text(lambda: t.insert(["a"], [1.5])),
            error_text(lambda: t.lookup(tf.constant(["a"]), dynamic_default_values=tf.constant([1.5]))),
            error_text(lambda: t.remove(tf.constant("a"))),
            error_text(lambda: raw_op(tf, "LookupTableFindV2", t.resource_handle, tf.constant([1], tf.int64),
                                      tf.constant(1, tf.int64))),
            error_text(lambda: raw_op(tf, "LookupTableFindV2", t.resource_handle, tf.constant(["a"]),
                                      tf.constant(1.0))),
            error_text(lambda: tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=1.5,
                                                                      deleted_key=-1)),
            error_text(lambda: tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=[[0]],
                                                                      deleted_key=[[1]])),
            error_text(lambda: tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0,
                                                                      deleted_key=[[1]]))]


def case_run_errors(tf):
    lk = tf.lookup.experimental
    cases = [lk.DenseHashTable(tf.int64, tf.int64, -1, empty_key=5, deleted_key=5, checkpoint=False),
             lk.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1, initial_num_buckets=6,
                               checkpoint=False),
             lk.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1, initial_num_buckets=2,
                               checkpoint=False),
             lk.DenseHashTable(tf.int64, tf.int64, -1, empty_key=[0, 0], deleted_key=[-1], checkpoint=False),
             lk.DenseHashTable(tf.int64, tf.int64, [[1]], empty_key=0, deleted_key=1, checkpoint=False),
             lk.MutableHashTable(tf.int64, tf.int64, [[1, 2]], checkpoint=False)]
    return [kernel_error(tf, t.size()) for t in cases]


def case_dense_key_errors(tf):
    d = tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1,
                                              initial_num_buckets=4, checkpoint=False)
    k = tf.placeholder(tf.int64)
    ins, find, rem = d.insert(k, k), d.lookup(k), d.remove(k)
    out = []
    with tf.Session() as s:
        for op, feed in ((ins, [1, 0, 2]), (ins, [3, -1]), (find, [0]), (find, [-1]), (rem, [0]), (rem, [-1]),
                         (find, [[1, 2]]), (ins, [[1, 2]]), (rem, [[1, 2]]), (find, 1)):
            out.append(step_error(tf, s, op, {k: feed}))
        out.append(s.run([d.size(), d.lookup(tf.constant([1, 2, 3], tf.int64))] + list(d.export())))
    return [sig(find), out]


def case_signature_errors(tf):
    t = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, 0.0, checkpoint=False)
    h = raw_op(tf, "MutableHashTableV2", key_dtype=tf.string, value_dtype=tf.float32, shared_name="sig")
    ins = raw_op(tf, "LookupTableInsertV2", h, tf.constant([1], tf.int64), tf.constant([1.0]))
    rem = raw_op(tf, "LookupTableRemoveV2", h, tf.constant([1], tf.int64))
    find = error_text(lambda: raw_op(tf, "LookupTableFindV2", h, tf.constant([1], tf.int64), tf.constant(0.0)))
    bad_shape = raw_op(tf, "LookupTableInsertV2", t.resource_handle, tf.constant([1, 2], tf.int64),
                       tf.constant([1.0]))
    return [find, [kernel_error(tf, op) for op in (ins, rem, bad_shape)]]


# ----- checkpoints ----------------------------------------------------------------------------------------------
def case_saver_round_trip(tf):
    shutil.rmtree(DIR, ignore_errors=True)
    os.makedirs(DIR)
    t = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1, name="words")
    v = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, [0.0, 0.0], name="vecs")
    d = tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1,
                                              initial_num_buckets=4, name="dense")
    skip = tf.lookup.experimental.MutableHashTable(tf.int64, tf.int64, -1, name="skip", checkpoint=False)
    var = tf.Variable([1.0, 2.0], name="var")
    fill = [t.insert(tf.constant(["a", "b", "c"]), tf.constant([1, 2, 3], tf.int64)),
            v.insert(tf.constant([7], tf.int64), [[0.5, 1.5]]),
            d.insert(tf.constant([5, 9, 13, 2], tf.int64), tf.constant([50, 90, 130, 20], tf.int64)),
            d.remove(tf.constant([9], tf.int64)), skip.insert(tf.constant([1], tf.int64), tf.constant([1], tf.int64))]
    saver = tf.train.Saver()
    fetch = [t.lookup(tf.constant(["a", "c", "z"])), t.size(), v.lookup(tf.constant([7, 8], tf.int64)), v.size(),
             d.lookup(tf.constant([5, 9, 13, 2], tf.int64)), d.size(), skip.size(), var] + list(d.export())
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(fill[:3])
        s.run(fill[3:])
        path = saver.save(s, os.path.join(DIR, "model"))
        saved = s.run(fetch)
    with tf.Session() as s:
        fresh = s.run([t.size(), d.size()])
        s.run(t.insert(tf.constant(["zz"]), tf.constant([26], tf.int64)))   # restoring replaces the contents
        saver.restore(s, path)
        restored = s.run(fetch)
    names = [[n, shape] for n, shape in tf.train.list_variables(path)]
    reader = tf.train.load_checkpoint(path)
    words = sorted_entries(reader.get_tensor("words-keys"), reader.get_tensor("words-values"))
    return [names, words, reader.get_tensor("dense-keys"), saved, fresh, restored]


def case_unsupported(tf):
    """Key and value dtypes TF has no kernel for (compared up to the op's name), and a static table's insert
    and remove."""
    lk = tf.lookup.experimental
    tables = [lambda: lk.MutableHashTable(tf.string, tf.string, "", checkpoint=False),
              lambda: lk.MutableHashTable(tf.float32, tf.int64, 0, checkpoint=False),
              lambda: lk.MutableHashTable(tf.int32, tf.int64, [0, 0], checkpoint=False),
              lambda: lk.DenseHashTable(tf.int64, tf.string, "", empty_key=0, deleted_key=-1, checkpoint=False)]
    out = []
    for make in tables:
        with tf.Graph().as_default():   # (TF places a session's whole graph: one kernel-less op per graph)
            kind, text = kernel_error(tf, make().size())
        text = text[text.index("No OpKernel"):]
        out.append([kind, text[:text.index("'", text.index("Op '") + 4) + 1]])
    with tf.Graph().as_default():
        static = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a"], tf.constant([1], tf.int64)),
                                           -1)
        ins = raw_op(tf, "LookupTableInsertV2", static.resource_handle, tf.constant(["b"]),
                     tf.constant([2], tf.int64))
        rem = raw_op(tf, "LookupTableRemoveV2", static.resource_handle, tf.constant(["a"]))
        with tf.Session() as s:
            s.run(static.initializer)
            out += [step_error(tf, s, ins), step_error(tf, s, rem), s.run(static.lookup(tf.constant(["a", "b"])))]
    return out
