"""Recorded cases: TF1's lookup tables (tf.lookup's StaticHashTable, StaticVocabularyTable, initializers from
tensors and text files) and the contrib-era helpers of lookup_ops (index_table_from_*, index_to_string_*).

A table's shared name is a fresh uuid: `graph` shows it as "<uuid>". Exported entries come in TF's hash-map
order, so cases sort them. Vocabulary files are written to a fixed path (their names are in TF's messages).
"""
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, kernel_error, run, sig

DIR = "/tmp/raygraph_lookup_cases"  # fixed (not $TMPDIR): the path is in shared names and messages


def vocab(name, text):
    """Writes a vocabulary file (bytes or str) and returns its path."""
    os.makedirs(DIR, exist_ok=True)
    path = os.path.join(DIR, name)
    with open(path, "wb") as f:
        f.write(text.encode() if isinstance(text, str) else text)
    return path


def lookup_ops(tf):
    """The contrib-era helpers: tf.contrib.lookup, else TF 2.21's lookup_ops module."""
    if hasattr(tf, "contrib"):
        return tf.contrib.lookup
    from tensorflow.python.ops import lookup_ops as ops
    return ops


def graph(tf):
    """describe(), with each table's random shared name shown as <uuid>."""
    out = describe(tf)
    for node in out:
        if "shared_name" in node[3]:
            node[3]["shared_name"] = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>", node[3]["shared_name"])
    return out


def init_run(tf, fetches, feed_dict=None):
    """Runs the table initializers, then `fetches`, in one session."""
    with tf.Session() as s:
        s.run(tf.tables_initializer())
        return [np.asarray(v) for v in s.run(list(fetches), feed_dict)]


def step_error(fn):
    """Like error_text, with TF's node traceback left out (as kernel_error does)."""
    out = error_text(fn)
    if isinstance(out, list) and "Node: '" in out[1]:
        out[1] = out[1].split("Node: '", 1)[1].split("' ", 1)[1]
    return out


def sorted_export(tf, table):
    keys, values = init_run(tf, table.export())
    order = np.argsort(keys, kind="stable")
    return [keys[order], values[order]]


# ----- StaticHashTable from tensors -----------------------------------------------------------------------
def case_static_hash_table_graph(tf):
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], [1, 2, 3]), -1)
    x = tf.placeholder(tf.string, [None, 2])
    out, size = table.lookup(x), table.size()
    keys, values = table.export()
    init = tf.tables_initializer()
    return [graph(tf), [sig(t) for t in (out, size, keys, values, table.resource_handle, table.default_value)],
            table.name, table.initializer.name, init.name, init.type, table.key_dtype.name, table.value_dtype.name,
            [op.name for op in tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS)]]


def case_static_hash_table_values(tf):
    rng = np.random.default_rng(0)
    words = np.array([b"w%d" % i for i in range(20)], object)
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(words, np.arange(20, dtype=np.int64) * 7),
                                      -5, name="words")
    x = tf.placeholder(tf.string)
    out = table.lookup(x, name="find")
    feeds = [words[rng.integers(0, 20, (3, 4))], np.array(b"w3"), np.array(b"nope"),
             np.array([b"", b"w19", b"W1"], object), np.zeros((2, 0, 3), object)]
    return [sig(out), [init_run(tf, [out, table.size()], {x: f}) for f in feeds]]


def case_static_hash_table_dtypes(tf):
    outs = []
    for keys, values, default, probe in (([1, 5, -3], [0.5, 1.5, 2.5], 9.0, [[5, 1], [7, -3]]),
                                         (np.array([4, 8], np.int64), ["four", "eight"], "?", [8, 4, 2]),
                                         (["x", "y"], np.array([1.25, -2], np.float64), -1.0, ["y", "z"]),
                                         (["t", "f"], [True, False], False, ["t", "f", "u"]),
                                         (np.array([7, 9], np.int64), np.array([70, 90], np.int32), 0, [9, 1])):
        init = tf.lookup.KeyValueTensorInitializer(keys, values)
        table = tf.lookup.StaticHashTable(init, default)
        probe = tf.constant(probe, dtype=init.key_dtype)
        out = table[probe]
        outs.append([sig(out), init.key_dtype.name, init.value_dtype.name, init_run(tf, [out])])
    return outs


def case_hash_table_v1_names(tf):
    lk = lookup_ops(tf)
    init = lk.KeyValueTensorInitializer(tf.constant([10, 20], tf.int64), tf.constant(["ten", "twenty"]),
                                        name="kv")
    table = lk.HashTable(init, "none", name="names")
    out = table.lookup(tf.constant([[20, 30]], tf.int64))
    return [graph(tf), table.init.name, sig(out), init_run(tf, [out, table.size()]), sorted_export(tf, table)]


def case_lookup_sparse_keys(tf):
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2]), 0)
    sp = tf.SparseTensor([[0, 0], [1, 2], [2, 1]], ["b", "q", "a"], [3, 4])
    out = table.lookup(sp)
    return [sig(out.values), sig(out.indices), init_run(tf, [out.indices, out.values, out.dense_shape])]


def case_lookup_per_element_default(tf):
    d = tf.placeholder(tf.int32)
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b"], [1, 2]), d)
    out = table.lookup(tf.constant([["a", "x"], ["y", "b"]]))
    good = init_run(tf, [out], {d: [[-1, -2], [-3, -4]]})
    scalar = init_run(tf, [out], {d: 7})

    def bad():
        with tf.Session() as s:
            s.run(tf.tables_initializer())
            s.run(out, {d: [1, 2, 3]})
    return [sig(out), good, scalar, step_error(bad)]


def case_table_not_initialized(tf):
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a"], [1]), -1)
    out = table.lookup(tf.constant(["a"]))
    return [kernel_error(tf, out), kernel_error(tf, table.export()), run(tf, [table.size()])]


def case_table_duplicates_and_reinit(tf):
    same = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "a", "b"], [1, 1, 2]), -1)
    clash = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b", "a"], [1, 2, 3]), -1)
    fclash = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer([1, 2, 1], [0.5, 1.0, 2.5],
                                                                           key_dtype=tf.int64), -1.0)
    k, v = tf.placeholder(tf.string, [None]), tf.placeholder(tf.int64, [None])
    fed = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(k, v), -1)
    out = fed.lookup(tf.constant(["a", "b", "c"]))
    steps = []
    with tf.Session() as s:
        s.run(same.initializer)
        steps.append(s.run([same.size(), same.lookup(tf.constant(["a", "b"]))]))
        steps.append(step_error(lambda: s.run(same.initializer)))   # 3 keys vs 2 entries: "different data"
        for feed in ({k: ["a", "b"], v: [1, 2]}, {k: ["a", "b"], v: [1, 2]}, {k: ["x", "y"], v: [5, 6]},
                     {k: ["a"], v: [1]}):
            steps.append(step_error(lambda feed=feed: s.run(fed.initializer, feed)))
        steps.append(s.run(out))
    return [steps, kernel_error(tf, clash.initializer), kernel_error(tf, fclash.initializer)]


def case_table_partial_insert_persists(tf):
    k, v = tf.placeholder(tf.string, [None]), tf.placeholder(tf.int64, [None])
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(k, v), -1)
    with tf.Session() as s:
        first = step_error(lambda: s.run(table.initializer, {k: ["a", "b", "a"], v: [1, 2, 3]}))
        second = step_error(lambda: s.run(table.initializer, {k: ["b"], v: [5]}))
        third = step_error(lambda: s.run(table.initializer, {k: ["c"], v: [3]}))
        return [first, second, third, s.run([table.size(), table.lookup(tf.constant(["a", "b", "c"]))])]


def case_shared_across_sessions_steps(tf):
    path = vocab("shared.txt", "red\ngreen\nblue\n")
    one = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(path, tf.string, -2, tf.int64, -1), -1)
    two = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(path, tf.string, -2, tf.int64, -1), -7)
    probe = tf.constant(["blue", "red", "pink"])
    with tf.Session() as s:
        s.run(one.initializer)
        shared = s.run([one.lookup(probe), two.lookup(probe), two.size()])
        s.run(two.initializer)      # already initialized from this file: a no-op
    with tf.Session() as s:
        fresh = step_error(lambda: s.run(two.lookup(probe)))
    return [graph(tf), shared, fresh]


# ----- build-time errors --------------------------------------------------------------------------------------
def case_build_errors(tf):
    kv = tf.lookup.KeyValueTensorInitializer(["a"], [1])
    table = tf.lookup.StaticHashTable(kv, -1)
    other = tf.lookup.KeyValueTensorInitializer([1], [1])
    return [error_text(lambda: table.lookup(tf.constant([1]))),
            error_text(lambda: tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a"], [1]), [1, 2])),
            error_text(lambda: other.initialize(table)),
            error_text(lambda: tf.lookup.KeyValueTensorInitializer(["a"], [1.5]).initialize(table)),
            error_text(lambda: tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b"], [1]), 0)),
            error_text(lambda: tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer([["a"]], [[1]]), 0)),
            error_text(lambda: tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a"], 1), 0)),
            error_text(lambda: tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer("a", [1]), 0))]


def case_text_file_initializer_errors(tf):
    ti = tf.lookup.TextFileInitializer
    return [error_text(lambda: ti("", tf.string, 0, tf.int64, 1)),
            error_text(lambda: ti("f", tf.string, -3, tf.int64, 1)),
            error_text(lambda: ti("f", tf.string, -1, tf.int64, 1)),
            error_text(lambda: ti("f", tf.float32, -2, tf.int64, 1)),
            error_text(lambda: ti("f", tf.string, 0, tf.int64, -4)),
            error_text(lambda: ti("f", tf.string, 0, tf.int32, -1)),
            error_text(lambda: ti("f", tf.string, 0, tf.float64, -2)),
            error_text(lambda: ti("f", tf.string, 0, tf.int64, 1, vocab_size=0)),
            error_text(lambda: tf.lookup.StaticHashTable(ti("f", tf.string, 0, tf.int64, 1), 0.5))]


# ----- text files ---------------------------------------------------------------------------------------------
def text_table(tf, text, name, key_dtype, key_index, value_dtype, value_index, default, **kw):
    path = vocab(name, text)
    return tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(path, key_dtype, key_index, value_dtype,
                                                                   value_index, **kw), default)


def case_text_file_graph(tf):
    table = text_table(tf, "a\t1\nb\t2\n", "graph.txt", tf.string, 0, tf.int64, 1, -1, vocab_size=2)
    out = table.lookup(tf.placeholder(tf.string, [3]))
    return [graph(tf), sig(out), [t.name for t in tf.get_collection(tf.GraphKeys.ASSET_FILEPATHS)]]


def case_text_file_values(tf):
    tables = [
        (text_table(tf, "apple\nbanana\ncherry\n", "lines.txt", tf.string, -2, tf.int64, -1, -1),
         tf.constant(["cherry", "apple", "kiwi"])),
        (text_table(tf, "apple\nbanana\ncherry", "nonl.txt", tf.int64, -1, tf.string, -2, "UNK"),
         tf.constant([2, 0, 5], tf.int64)),
        (text_table(tf, "x,10,0.5\ny,20,1.5\nz,-30,2e3\n", "csv.txt", tf.string, 0, tf.int32, 1, 0, delimiter=","),
         tf.constant(["z", "x", "q"])),
        (text_table(tf, "x,10,0.5\ny,20,1.5\nz,-30,2e3\n", "csv2.txt", tf.string, 0, tf.float32, 2, -1.0,
                    delimiter=","), tf.constant(["z", "y"])),
        (text_table(tf, "7 a\n8 b\n9 c\n", "ints.txt", tf.int64, 0, tf.string, 1, "-", delimiter=" "),
         tf.constant([[9, 7], [1, 8]], tf.int64)),
        (text_table(tf, "one\r\ntwo\r\n", "crlf.txt", tf.string, -2, tf.int64, -1, -1), tf.constant(["two", "one"])),
        (text_table(tf, "p\nq\nr\ns\n", "trunc.txt", tf.string, -2, tf.int64, -1, -1, vocab_size=2),
         tf.constant(["p", "q", "r"])),
        (text_table(tf, "p\nq\nr\n", "offset.txt", tf.string, -2, tf.int64, -1, -1, value_index_offset=5),
         tf.constant(["r", "p"])),
        (text_table(tf, "5\t1\n6\t2\n", "offset32.txt", tf.int32, 0, tf.int32, 1, 0, value_index_offset=100),
         tf.constant([105, 106, 5, 6])),
        (text_table(tf, "12\n-4\n", "wholeint.txt", tf.int64, -2, tf.int64, -1, -1), tf.constant([-4, 12], tf.int64)),
    ]
    return [[sig(t.lookup(k)), init_run(tf, [t.lookup(k), t.size()])] for t, k in tables]


def case_text_file_errors(tf):
    cases = [("a\t1\nb\t2\n\nc\t3\n", "empty_line.txt", tf.string, 0, tf.int64, 1, {}),
             ("a\t1\nb\nc\t3\n", "columns.txt", tf.string, 0, tf.int64, 1, {}),
             ("a\tx\nb\t2\n", "badint.txt", tf.string, 0, tf.int64, 1, {}),
             ("a\t1\nb\t2.5\n", "badint32.txt", tf.string, 0, tf.int32, 1, {}),
             ("a\t1\nb\tq\n", "badfloat.txt", tf.string, 0, tf.float32, 1, {}),
             ("a\t99999999999\n", "overflow.txt", tf.string, 0, tf.int32, 1, {}),
             ("x\ny\nz", "vocab.txt", tf.string, -2, tf.int64, -1, {"vocab_size": 5}),
             ("a\t1\na\t2\n", "dup.txt", tf.string, 0, tf.int64, 1, {}),
             ("a\t1\na\t1\n", "dupsame.txt", tf.string, 0, tf.int64, 1, {}),
             ("a;1\n", "delim.txt", tf.string, 0, tf.int64, 1, {"delimiter": ";;"}),
             ("\n", "blank.txt", tf.string, -2, tf.int64, -1, {})]
    out = []
    for text, name, kd, ki, vd, vi, kw in cases:
        table = text_table(tf, text, name, kd, ki, vd, vi, 0 if vd != tf.string else "", **kw)
        out.append([name, kernel_error(tf, table.initializer)])
    missing = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(os.path.join(DIR, "missing.txt"), tf.string,
                                                                      -2, tf.int64, -1), -1)
    fed = tf.placeholder(tf.string, [])
    feedable = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(fed, tf.string, -2, tf.int64, -1), -1)
    return [out, kernel_error(tf, missing.initializer), kernel_error(tf, feedable.initializer, {fed: ""}),
            kernel_error(tf, feedable.initializer, {fed: vocab("ok.txt", "k\n")})]


# ----- vocabulary tables with out-of-vocabulary buckets -----------------------------------------------------------
def case_static_vocabulary_table(tf):
    words = tf.constant(["emerson", "lake", "palmer"])
    table = tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(
        words, tf.constant([0, 1, 2], tf.int64)), num_oov_buckets=4)
    x = tf.placeholder(tf.string, [None])
    out, size = table.lookup(x), table.size()
    path = vocab("vocab_ids.txt", "10\n20\n30\n")
    ints = tf.lookup.StaticVocabularyTable(tf.lookup.TextFileInitializer(path, tf.int64, -2, tf.int64, -1), 3,
                                           name="ints")
    iout = ints.lookup(tf.constant([[30, 11], [10, -5]], tf.int64))
    feeds = [["lake", "king", "crimson", "palmer", ""], ["emerson"] * 2 + ["yes", "genesis"]]
    return [graph(tf), [sig(t) for t in (out, size, iout)], table.name, ints.name, table.initializer.name,
            [init_run(tf, [out, size], {x: f}) for f in feeds], init_run(tf, [iout, ints.size()])]


def case_static_vocabulary_table_errors(tf):
    kv = tf.lookup.KeyValueTensorInitializer
    svt = tf.lookup.StaticVocabularyTable
    table = svt(kv(["a"], tf.constant([0], tf.int64)), 2)
    return [error_text(lambda: svt(kv(["a"], tf.constant([0], tf.int64)), 0)),
            error_text(lambda: svt(kv(["a"], [0]), 2)),
            error_text(lambda: svt(kv([1.5], tf.constant([0], tf.int64)), 2)),
            error_text(lambda: svt(kv(["a"], tf.constant([0], tf.int64)), 2, lookup_key_dtype=tf.int64)),
            error_text(lambda: table.lookup(tf.constant([1], tf.int64)))]


def case_vocabulary_table_without_initializer(tf):
    table = tf.lookup.StaticVocabularyTable(None, 5)
    out = table.lookup(tf.constant(["a", "b", "c", "dd"]))
    return [graph(tf), table.name, table.initializer.name, sig(out), init_run(tf, [out, table.size()])]


# ----- the contrib-era helpers ------------------------------------------------------------------------------------
def case_index_table_from_tensor(tf):
    lk = lookup_ops(tf)
    table = lk.index_table_from_tensor(["emerson", "lake", "palmer"], num_oov_buckets=1)
    plain = lk.index_table_from_tensor(tf.constant([5, 10, 15], tf.int64), dtype=tf.int64, default_value=-9,
                                       name="ints")
    strong = lk.index_table_from_tensor(["a", "b"], num_oov_buckets=3, hasher_spec=lk.StrongHashSpec((1, 2)),
                                        name="strong")
    legacy = lk.index_table_from_tensor(["a", "b"], num_oov_buckets=3, hasher_spec=lk.HasherSpec("legacy", None),
                                        name="legacy")
    i32 = lk.index_table_from_tensor(tf.constant([4, 2]), num_oov_buckets=2, dtype=tf.int32, name="i32")
    words = tf.constant([["lake", "tarkus"], ["palmer", "emerson"]])
    outs = [table.lookup(words), plain.lookup(tf.constant([15, 6, 5], tf.int64)),
            strong.lookup(tf.constant(["b", "c", "d", "e"])), legacy.lookup(tf.constant(["a", "c", "d", "e"])),
            i32.lookup(tf.constant([2, 3, 4, 9]))]
    return [graph(tf), [sig(t) for t in outs], table.name, plain.name,
            init_run(tf, outs + [table.size(), plain.size(), i32.size()])]


def case_index_table_from_file(tf):
    lk = lookup_ops(tf)
    path = vocab("words.txt", "brain\nsalad\nsurgery\n")
    table = lk.index_table_from_file(path, num_oov_buckets=2)
    sized = lk.index_table_from_file(path, vocab_size=2, default_value=-3, name="sized")
    cols = lk.index_table_from_file(vocab("cols.txt", "7,x\n9,y\n"), key_dtype=tf.int64, key_column_index=0,
                                    value_column_index=-1, delimiter=",", name="cols")
    outs = [table.lookup(tf.constant(["salad", "tarkus", "brain"])), sized.lookup(tf.constant(["surgery", "salad"])),
            cols.lookup(tf.constant([9, 7, 8], tf.int64))]
    return [graph(tf), [sig(t) for t in outs], init_run(tf, outs + [table.size(), sized.size()])]


def case_index_to_string_tables(tf):
    lk = lookup_ops(tf)
    from_tensor = lk.index_to_string_table_from_tensor(["emerson", "lake", "palmer"])
    from_file = lk.index_to_string_table_from_file(vocab("names.txt", "brain\nsalad\n"), default_value="?",
                                                   name="names")
    ids = tf.constant([[1, 5], [0, -1]], tf.int64)
    outs = [from_tensor.lookup(ids), from_file.lookup(ids)]
    return [graph(tf), [sig(t) for t in outs], init_run(tf, outs + [from_tensor.size(), from_file.size()])]


def case_helper_errors(tf):
    lk = lookup_ops(tf)
    return [error_text(lambda: lk.index_table_from_tensor(None)),
            error_text(lambda: lk.index_table_from_tensor(["a"], num_oov_buckets=-1)),
            error_text(lambda: lk.index_table_from_tensor(["a"], dtype=tf.float32)),
            error_text(lambda: lk.index_table_from_tensor([1, 2])),
            error_text(lambda: lk.index_table_from_tensor(["a"], dtype=tf.int64)),
            error_text(lambda: lk.index_table_from_file(None)),
            error_text(lambda: lk.index_table_from_file("")),
            error_text(lambda: lk.index_table_from_file("v.txt", num_oov_buckets=-2)),
            error_text(lambda: lk.index_table_from_file("v.txt", vocab_size=0)),
            error_text(lambda: lk.index_table_from_file("v.txt", key_dtype=tf.float32)),
            error_text(lambda: lk.index_to_string_table_from_tensor(None)),
            error_text(lambda: lk.index_to_string_table_from_file("")),
            error_text(lambda: lk.index_to_string_table_from_file("v.txt", vocab_size=0)),
            error_text(lambda: lk.IdTableWithHashBuckets(None, 0)),
            error_text(lambda: lk.StrongHashSpec((1,))),
            error_text(lambda: lk.index_table_from_tensor(["a"], 1, hasher_spec=("fasthash", None)))]


def case_text_file_edges(tf):
    cases = [("", "empty.txt", tf.string, -2, tf.int64, -1),
             ("a\t 12 \nb\t+5\nc\t-0\n", "spaces.txt", tf.string, 0, tf.int64, 1),
             ("a\tinf\nb\t-1e3\nc\t.5\n", "floats.txt", tf.string, 0, tf.float64, 1),
             ("a\t1e400\n", "bigfloat.txt", tf.string, 0, tf.float32, 1),
             ("a\t\n", "emptyfield.txt", tf.string, 0, tf.int64, 1),
             ("a\tb\tc\n", "extra.txt", tf.string, 2, tf.string, 0)]
    out = []
    for text, name, kd, ki, vd, vi in cases:
        table = text_table(tf, text, name, kd, ki, vd, vi, 0 if vd != tf.string else "")
        keys, values = table.export()

        def go(table=table, keys=keys, values=values):
            with tf.Session() as s:
                s.run(table.initializer)
                k, v = s.run([keys, values])
                order = np.argsort(k, kind="stable")
                return [s.run(table.size()), k[order], v[order]]
        out.append([name, step_error(go) if name in ("empty.txt", "emptyfield.txt") else go()])
    return out


def case_raw_table_ops(tf):
    from raygraph.ops.registry import apply_op as raw_apply
    if not hasattr(tf, "contrib"):  # TF: the generated op wrappers
        from tensorflow.python.ops import gen_lookup_ops as g

        def raw_apply(op_type, inputs, attrs):
            fn = {"HashTableV2": g.hash_table_v2, "InitializeTableV2": g.initialize_table_v2,
                  "LookupTableFindV2": g.lookup_table_find_v2, "LookupTableSizeV2": g.lookup_table_size_v2}[op_type]
            return fn(*inputs, **attrs)
    h = raw_apply("HashTableV2", [], {"key_dtype": tf.int64, "value_dtype": tf.float32, "shared_name": "raw"})
    h2 = raw_apply("HashTableV2", [], {"key_dtype": tf.int64, "value_dtype": tf.int32, "shared_name": "raw"})
    k, v = tf.placeholder(tf.int64), tf.placeholder(tf.float32)
    init = raw_apply("InitializeTableV2", [h, k, v], {})
    find = raw_apply("LookupTableFindV2", [h, tf.constant([[1, 2]], tf.int64), tf.constant(-1.0)], {})
    size = raw_apply("LookupTableSizeV2", [h], {})
    build = [error_text(lambda: raw_apply("InitializeTableV2", [h, tf.constant([[1]], tf.int64),
                                                                tf.constant([[1.0]])], {})),
             error_text(lambda: raw_apply("InitializeTableV2", [h, tf.constant([1, 2], tf.int64),
                                                                tf.constant([1.0])], {})),
             error_text(lambda: raw_apply("LookupTableSizeV2", [tf.constant([1.0])], {}))]
    with tf.Session() as s:
        steps = [step_error(lambda: s.run(init, {k: [[1]], v: [[1.0]]})),
                 step_error(lambda: s.run(init, {k: [1, 2], v: [1.0]})),
                 step_error(lambda: s.run(init, {k: [1, 2], v: [0.5, 1.5]})),
                 [np.asarray(x) for x in s.run([find, size])],
                 step_error(lambda: s.run(h2))]
    return [sig(find), sig(size), build, steps]


def case_tables_from_datasets(tf):
    ex = tf.data.experimental
    keys = tf.data.Dataset.range(5)
    values = keys.map(lambda x: tf.as_string(x * 2))
    init = ex.DatasetInitializer(tf.data.Dataset.zip((keys, values)))
    by_key = tf.lookup.StaticHashTable(init, "n/a")
    by_value = ex.table_from_dataset(tf.data.Dataset.zip((values, keys)), default_value=-7)
    words = tf.data.Dataset.from_tensor_slices(["a", "b", "c"])
    bucketed = ex.index_table_from_dataset(words, num_oov_buckets=2)
    cut = ex.index_table_from_dataset(words, vocab_size=2)
    inits = [op for op in tf.get_default_graph().get_operations() if op.type == "InitializeTableFromDataset"]
    out = [[init.key_dtype.name, init.value_dtype.name], [(op.name, [t.name for t in op.inputs]) for op in inits],
           len(tf.get_collection(tf.GraphKeys.TABLE_INITIALIZERS))]
    with tf.Session() as s:
        s.run(tf.tables_initializer())
        s.run(by_key.initializer)   # again: a table already filled is left as it is
        out += [s.run(by_key.lookup(tf.constant([0, 3, 9], tf.int64))).tolist(),
                s.run(by_value.lookup(tf.constant(["4", "5"]))).tolist(),
                s.run(bucketed.lookup(tf.constant(["a", "c", "zz", "q"]))).tolist(),
                s.run(cut.lookup(tf.constant(["a", "b", "c"]))).tolist(), int(s.run(bucketed.size())),
                int(s.run(cut.size()))]
    return out


def case_tables_from_datasets_errors(tf):
    ex = tf.data.experimental
    keys = tf.data.Dataset.range(3)
    build = [error_text(lambda: ex.DatasetInitializer(keys)),
             error_text(lambda: ex.DatasetInitializer(tf.data.Dataset.from_tensors(([1], [2])))),
             error_text(lambda: ex.DatasetInitializer(tf.data.Dataset.from_tensors((1, tf.zeros([2]))))),
             error_text(lambda: ex.table_from_dataset(tf.data.Dataset.zip((keys, keys.map(tf.as_string))))),
             error_text(lambda: ex.index_table_from_dataset(keys, num_oov_buckets=-1)),
             error_text(lambda: ex.index_table_from_dataset(keys, vocab_size=0)),
             error_text(lambda: ex.index_table_from_dataset(keys, key_dtype=tf.float32)),
             error_text(lambda: tf.lookup.StaticHashTable(ex.DatasetInitializer(
                 tf.data.Dataset.zip((keys, keys))), "x"))]
    dup = tf.lookup.StaticHashTable(ex.DatasetInitializer(tf.data.Dataset.from_tensor_slices(([1, 1], [2, 3]))), -1)
    empty = tf.lookup.StaticHashTable(ex.DatasetInitializer(keys.take(0).map(lambda x: (x, x))), -1)
    with tf.Session() as s:
        return build + [kernel_error(tf, dup.initializer), kernel_error(tf, empty.initializer),
                        int(s.run(empty.size()))]
