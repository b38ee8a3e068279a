"""Recorded cases for `tf.feature_column` (TF1's, tf.compat.v1.feature_column): the columns, `input_layer`,
`linear_model` and `make_parse_example_spec`: values, op and variable names, static shapes, collections, a
training step through an embedding, and the errors for bad columns and features."""
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error, error_text, sig  # noqa: E402


def _run(tf, fetches, feed_dict=None):
    with tf.Session() as s:
        s.run([tf.global_variables_initializer(), tf.tables_initializer()])
        return s.run(fetches, feed_dict)


def _vars(tf, key):
    return [[v.name, v.shape.as_list()] for v in tf.get_collection(key)]


def case_numeric_columns(tf):
    fc = tf.feature_column
    a = fc.numeric_column("a")
    b = fc.numeric_column("b", shape=(2, 2), dtype=tf.int32, normalizer_fn=lambda t: t * 2)
    c = fc.numeric_column("c", shape=3, default_value=1.5)
    x = tf.placeholder(tf.float32, [None], name="x")
    feats = {"a": x, "b": np.arange(8, dtype=np.int32).reshape(2, 2, 2), "c": [[1., 2., 3.], [4., 5., 6.]]}
    out = fc.input_layer(feats, [c, b, a])
    props = [[col.name, col.shape, col.default_value, col.dtype.name, col.variable_shape.as_list(),
              col._variable_shape.as_list()] for col in (a, b, c)]
    return [sig(out), props, _run(tf, out, {x: [7., 8.]})]


def case_bucketized(tf):
    fc = tf.feature_column
    age = fc.numeric_column("age")
    ab = fc.bucketized_column(age, [18, 30., 50.])
    two = fc.bucketized_column(fc.numeric_column("two", shape=2), (0., 1.))
    feats = {"age": tf.constant([[10.], [18.], [30.5], [50.], [99.]]),
             "two": tf.constant([[-1., 0.], [1., 0.5], [2., 3.], [0.99, 1.], [-5., 5.]])}
    out = fc.input_layer(feats, [two, ab])
    names = [op.name for op in tf.get_default_graph().get_operations() if op.type == "Bucketize"]
    return [sig(out), names, ab.name, ab.boundaries, ab.num_buckets, two.num_buckets, ab.variable_shape.as_list(),
            two.variable_shape.as_list(), _run(tf, out)]


def case_indicator_of_categoricals(tf):
    fc = tf.feature_column
    cols = [fc.indicator_column(fc.categorical_column_with_identity("ids", 5)),
            fc.indicator_column(fc.categorical_column_with_identity("idd", 4, default_value=0)),
            fc.indicator_column(fc.categorical_column_with_vocabulary_list("word", ["a", "b", "c"])),
            fc.indicator_column(fc.categorical_column_with_vocabulary_list("wo", ("x", "y"), num_oov_buckets=3)),
            fc.indicator_column(fc.categorical_column_with_vocabulary_list("num", [10, 20, 30], default_value=1)),
            fc.indicator_column(fc.categorical_column_with_hash_bucket("h", 7)),
            fc.indicator_column(fc.categorical_column_with_hash_bucket("hi", 6, dtype=tf.int64))]
    feats = {"ids": [[1, -1], [4, 4]], "idd": tf.constant([[7], [2]], tf.int64),
             "word": tf.SparseTensor([[0, 0], [1, 0], [1, 1]], ["c", "a", "zz"], [2, 3]),
             "wo": [["x", "q"], ["", "y"]], "num": [[20, 99], [-1, 30]], "h": [["cat", ""], ["dog", "cat"]],
             "hi": tf.constant([[5, 123456], [-1, 7]], tf.int64)}
    out = fc.input_layer(feats, cols)
    return [sig(out), [c.name for c in cols], [c.categorical_column.num_buckets for c in cols],
            [c.variable_shape.as_list() for c in cols], _run(tf, out)]


def case_embedding_columns(tf):
    fc = tf.feature_column
    word = fc.categorical_column_with_vocabulary_list("word", ["a", "b", "c", "d"])
    init = tf.constant_initializer(np.arange(12, dtype=np.float32).reshape(4, 3))
    cols = [fc.embedding_column(word, 3, combiner=comb, initializer=init) for comb in ("mean",)]
    ids = fc.categorical_column_with_identity("ids", 4)
    cols += [fc.embedding_column(ids, 3, combiner="sqrtn", initializer=init, max_norm=5.0),
             fc.embedding_column(fc.categorical_column_with_hash_bucket("h", 4), 3, combiner="sum", initializer=init,
                                 trainable=False)]
    feats = {"word": tf.constant([["a", "c"], ["", ""], ["d", "d"]]),
             "ids": tf.SparseTensor([[0, 0], [0, 1], [2, 0]], tf.constant([1, 3, 2], tf.int64), [3, 2]),
             "h": [["p"], ["q"], ["r"]]}
    out = fc.input_layer(feats, cols)
    c = cols[0]
    props = [c.name, c.dimension, c.combiner, c.max_norm, c.trainable, c.variable_shape.as_list()]
    return [sig(out), props, _vars(tf, "variables"), _vars(tf, "trainable_variables"), _vars(tf, "model_variables"),
            _run(tf, out)]


def case_embedding_default_initializer(tf):
    fc = tf.feature_column
    col = fc.embedding_column(fc.categorical_column_with_identity("ids", 50), 16)
    out = fc.input_layer({"ids": [[1], [2]]}, [col])
    v = tf.global_variables()[0]
    w = _run(tf, v)
    # truncated normal, stddev 1/sqrt(16): within two stddevs, mean near 0
    return [sig(out), v.name, v.shape.as_list(), bool(np.all(np.abs(w) <= 0.5 + 1e-6)), bool(abs(w.mean()) < 0.05),
            bool(0.15 < w.std() < 0.3)]


def case_embedding_training_step(tf):
    fc = tf.feature_column
    word = fc.categorical_column_with_vocabulary_list("word", ["a", "b", "c"], num_oov_buckets=1)
    emb = fc.embedding_column(word, 2, initializer=tf.constant_initializer([[1., 2.], [3., 4.], [5., 6.], [7., 8.]]))
    price = fc.numeric_column("price")
    x = fc.input_layer({"word": [["a", "b"], ["zz", ""]], "price": [[2.], [3.]]}, [emb, price])
    w = tf.get_variable("w", initializer=tf.constant([[1.], [-1.], [0.5]]))
    loss = tf.reduce_sum(tf.square(tf.matmul(x, w)))
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    grads = tf.gradients(loss, tf.trainable_variables())
    with tf.Session() as s:
        s.run([tf.global_variables_initializer(), tf.tables_initializer()])
        before = s.run([x, loss])
        g = s.run([tf.convert_to_tensor(t) for t in grads])
        s.run(step)
        after = s.run(tf.trainable_variables() + [loss])
    return [sig(x), [v.name for v in tf.trainable_variables()], before, g, after]


def case_input_layer_options(tf):
    fc = tf.feature_column
    emb = fc.embedding_column(fc.categorical_column_with_identity("ids", 3), 2, initializer=tf.ones_initializer())
    num = fc.numeric_column("num")
    cols_to_vars, cols_to_out = {}, {}
    out = fc.input_layer({"ids": [[0], [2]], "num": [1., 2.]}, [num, emb], weight_collections=["mine"],
                         trainable=False, cols_to_vars=cols_to_vars, cols_to_output_tensors=cols_to_out)
    with tf.variable_scope("outer"):
        out2 = fc.input_layer({"ids": [[1], [1]], "num": [3., 4.]}, [emb, num])
    return [sig(out), sig(out2), {k.name: [v.name for v in vs] for k, vs in cols_to_vars.items()},
            {k.name: sig(t) for k, t in cols_to_out.items()}, _vars(tf, "variables"), _vars(tf, "trainable_variables"),
            _vars(tf, "model_variables"), _vars(tf, "mine"), _run(tf, [out, out2])]


def case_input_layer_placeholders(tf):
    fc = tf.feature_column
    word = tf.placeholder(tf.string, [None, None], name="word")
    num = tf.placeholder(tf.float32, [None, 2], name="num")
    sp = tf.sparse_placeholder(tf.int64, name="sp")
    cols = [fc.indicator_column(fc.categorical_column_with_vocabulary_list("word", ["x", "y"])),
            fc.numeric_column("num", shape=2),
            fc.embedding_column(fc.categorical_column_with_identity("sp", 3), 2, initializer=tf.ones_initializer())]
    out = fc.input_layer({"word": word, "num": num, "sp": sp}, cols)
    feed = {word: [["x", "y", "y"], ["", "x", ""]], num: [[1., 2.], [3., 4.]],
            sp: tf.SparseTensorValue([[0, 0], [1, 0], [1, 1]], [0, 1, 2], [2, 2])}
    return [sig(out), _run(tf, out, feed)]


def case_linear_model(tf):
    fc = tf.feature_column
    age = fc.numeric_column("age")
    ab = fc.bucketized_column(age, [18., 30., 50.])
    word = fc.categorical_column_with_vocabulary_list("word", ["a", "b", "c"])
    feats = {"age": tf.placeholder_with_default([[10.], [40.]], [None, 1]),
             "word": tf.placeholder_with_default([["a", "b"], ["c", ""]], [None, 2])}
    cols_to_vars = {}
    out = fc.linear_model(feats, [word, age, ab], units=2, cols_to_vars=cols_to_vars)
    out2 = fc.linear_model(feats, [word], sparse_combiner="mean", weight_collections=["mine"])
    assigns = [tf.assign(v, tf.cast(tf.reshape(tf.range(tf.size(v)), tf.shape(v)), tf.float32) + 0.5)
               for v in tf.global_variables()]
    with tf.Session() as s:
        s.run([tf.global_variables_initializer(), tf.tables_initializer()])
        zero = s.run([out, out2])
        s.run(assigns)
        vals = s.run([out, out2])
    return [sig(out), sig(out2), {getattr(k, "name", k): [v.name for v in vs] for k, vs in cols_to_vars.items()},
            _vars(tf, "variables"), _vars(tf, "trainable_variables"), _vars(tf, "model_variables"), _vars(tf, "mine"),
            zero, vals]


def case_linear_model_training(tf):
    fc = tf.feature_column
    cols = [fc.numeric_column("x", shape=2), fc.categorical_column_with_identity("k", 3),
            fc.weighted_categorical_column(fc.categorical_column_with_identity("kw", 4), "w")]
    feats = {"x": [[1., 2.], [3., 4.]], "k": [[0, 2], [1, -1]], "kw": [[0, 3], [3, 1]], "w": [[0.5, 2.], [1., 3.]]}
    out = fc.linear_model(feats, cols, sparse_combiner="sqrtn", trainable=True)
    loss = tf.reduce_sum(tf.square(out - 1.0))
    step = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(2):
            s.run(step)
        return [sig(out), [v.name for v in tf.trainable_variables()], s.run(tf.trainable_variables() + [out])]


def case_crossed_column(tf):
    fc = tf.feature_column
    ab = fc.bucketized_column(fc.numeric_column("age"), [18., 30.])
    word = fc.categorical_column_with_vocabulary_list("word", ["a", "b"])
    x1 = fc.crossed_column(["s", "t"], 20)
    x2 = fc.crossed_column([ab, word], 11, hash_key=7)
    x3 = fc.crossed_column([x1, "u"], 13)
    feats = {"s": [["p", "q"], ["r", ""]], "t": tf.SparseTensor([[0, 0], [1, 0]], ["m", "n"], [2, 1]),
             "age": [[5.], [40.]], "word": [["b", ""], ["a", "b"]], "u": tf.constant([[3], [4]], tf.int64)}
    out = fc.input_layer(feats, [fc.indicator_column(x) for x in (x1, x2, x3)])
    lin = fc.linear_model(feats, [x1, x2])
    return [sig(out), [x1.name, x2.name, x3.name], [x.num_buckets for x in (x1, x2, x3)],
            sorted(fc.make_parse_example_spec([x1, x2, x3])), _vars(tf, "variables"), sig(lin), _run(tf, out)]


def case_weighted_categorical(tf):
    fc = tf.feature_column
    ids = fc.categorical_column_with_identity("ids", 4)
    wc = fc.weighted_categorical_column(ids, "w")
    wi = fc.weighted_categorical_column(fc.categorical_column_with_vocabulary_list("v", ["a", "b"]), "vw",
                                        dtype=tf.int32)
    feats = {"ids": tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([1, 1, 3], tf.int64), [2, 2]),
             "w": tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [0.5, 2.0, 3.0], [2, 2]),
             "v": [["a", "b"], ["b", ""]], "vw": tf.constant([[2, 3], [4, 0]])}
    emb = fc.embedding_column(wc, 2, combiner="sum", initializer=tf.constant_initializer([[1., 1.], [2., 3.],
                                                                                          [4., 5.], [6., 7.]]))
    out = fc.input_layer(feats, [fc.indicator_column(wc), emb, fc.indicator_column(wi)])
    spec = fc.make_parse_example_spec([wc])
    return [sig(out), wc.name, wi.name, wc.num_buckets, sorted(spec), spec["w"].dtype.name, _run(tf, out)]


def case_vocabulary_file(tf):
    fc = tf.feature_column
    path = os.path.join(tempfile.mkdtemp(), "vocab.txt")
    with open(path, "w") as f:
        f.write("apple\nbanana\ncherry\n")
    ipath = os.path.join(tempfile.mkdtemp(), "ids.txt")
    with open(ipath, "w") as f:
        f.write("100\n200\n")
    v1 = fc.categorical_column_with_vocabulary_file("fruit", path)
    v2 = fc.categorical_column_with_vocabulary_file("f2", path, vocabulary_size=2, num_oov_buckets=2)
    v3 = fc.categorical_column_with_vocabulary_file("n", ipath, dtype=tf.int64, default_value=1)
    feats = {"fruit": [["cherry", "kiwi"], ["apple", ""]], "f2": [["cherry"], ["banana"]], "n": [[200], [7]]}
    out = fc.input_layer(feats, [fc.indicator_column(v) for v in (v1, v2, v3)])
    return [sig(out), [v.num_buckets for v in (v1, v2, v3)], [v.vocabulary_size for v in (v1, v2, v3)],
            [v.default_value for v in (v1, v2, v3)], _run(tf, out)]


def case_make_parse_example_spec(tf):
    fc = tf.feature_column
    cols = [fc.numeric_column("a", shape=(2,), default_value=(1., 2.)), fc.numeric_column("i", dtype=tf.int64),
            fc.bucketized_column(fc.numeric_column("b"), [0.]),
            fc.embedding_column(fc.categorical_column_with_identity("c", 3), 2),
            fc.indicator_column(fc.categorical_column_with_hash_bucket("d", 3, dtype=tf.int32)),
            fc.categorical_column_with_vocabulary_list("e", [1, 2])]
    spec = fc.make_parse_example_spec(cols)
    out = {}
    for k, v in spec.items():
        if isinstance(v, tf.FixedLenFeature):
            out[k] = ["fixed", list(v.shape), v.dtype.name, v.default_value]
        else:
            out[k] = [type(v).__name__, v.dtype.name]
    return out


def case_constructor_errors(tf):
    fc = tf.feature_column
    num = fc.numeric_column("n")
    ids = fc.categorical_column_with_identity("ids", 3)
    calls = [lambda: fc.numeric_column("a", default_value="x"),
             lambda: fc.numeric_column("a", dtype=tf.int32, default_value=1.5),
             lambda: fc.numeric_column("a", shape=(2,), default_value=[1.]),
             lambda: fc.numeric_column("a", shape=(0,)), lambda: fc.numeric_column("a", shape=(1.5,)),
             lambda: fc.numeric_column("a", dtype=tf.string), lambda: fc.numeric_column(3),
             lambda: fc.numeric_column("a", normalizer_fn=3),
             lambda: fc.bucketized_column(num, [3., 1.]), lambda: fc.bucketized_column(num, [1., 1.]),
             lambda: fc.bucketized_column(num, []), lambda: fc.bucketized_column(ids, [1.]),
             lambda: fc.bucketized_column(fc.numeric_column("m", shape=(2, 2)), [1.]),
             lambda: fc.bucketized_column(num, np.array([1., 2.])),
             lambda: fc.categorical_column_with_identity("a", 0),
             lambda: fc.categorical_column_with_identity("a", 3, default_value=3),
             lambda: fc.categorical_column_with_hash_bucket("a", 0),
             lambda: fc.categorical_column_with_hash_bucket("a", 2, dtype=tf.float32),
             lambda: fc.categorical_column_with_vocabulary_list("a", []),
             lambda: fc.categorical_column_with_vocabulary_list("a", ["x", "x"]),
             lambda: fc.categorical_column_with_vocabulary_list("a", ["x"], num_oov_buckets=2, default_value=0),
             lambda: fc.categorical_column_with_vocabulary_list("a", ["x"], dtype=tf.int64),
             lambda: fc.categorical_column_with_vocabulary_list("a", [1.5, 2.5]),
             lambda: fc.categorical_column_with_vocabulary_file("a", ""),
             lambda: fc.categorical_column_with_vocabulary_file("a", "/nonexistent/vocab.txt"),
             lambda: fc.indicator_column(num), lambda: fc.embedding_column(ids, 0),
             lambda: fc.embedding_column(ids, 2, initializer=3),
             lambda: fc.embedding_column(ids, 2, ckpt_to_load_from="x"),
             lambda: fc.weighted_categorical_column(ids, "w", dtype=tf.string),
             lambda: fc.crossed_column(["a"], 3), lambda: fc.crossed_column(["a", "b"], 0),
             lambda: fc.crossed_column(["a", fc.categorical_column_with_hash_bucket("h", 3)], 3),
             lambda: fc.crossed_column(["a", num], 3),
             lambda: fc.make_parse_example_spec([num, "x"]),
             lambda: fc.make_parse_example_spec([num, fc.numeric_column("n", shape=2)])]
    return [error_text(f) for f in calls]


def case_model_errors(tf):
    fc = tf.feature_column
    num = fc.numeric_column("n")
    ids = fc.categorical_column_with_identity("ids", 3)
    feats = {"n": [[1.], [2.]], "ids": [[0], [1]], "three": [[1.], [2.], [3.]], "r0": 1.0,
             "sp": tf.SparseTensor([[0, 0]], [1.0], [2, 1]), "s": [["a"], ["b"]], "f": [[1.5], [2.5]]}
    calls = [lambda: fc.input_layer(feats, [fc.numeric_column("missing")]),
             lambda: fc.input_layer(feats, [ids]), lambda: fc.input_layer(feats, []),
             lambda: fc.input_layer(feats, [num, num]), lambda: fc.input_layer(feats, {"n": num}),
             lambda: fc.input_layer(feats, [num, "n"]),
             lambda: fc.input_layer(feats, [num, fc.numeric_column("three")]),
             lambda: fc.input_layer(feats, [fc.numeric_column("r0")]),
             lambda: fc.input_layer(feats, [fc.numeric_column("sp")]),
             lambda: fc.input_layer(feats, [fc.indicator_column(fc.categorical_column_with_identity("s", 3))]),
             lambda: fc.input_layer(feats, [fc.indicator_column(fc.categorical_column_with_hash_bucket("f", 3))]),
             lambda: fc.input_layer(feats, [fc.indicator_column(fc.categorical_column_with_hash_bucket("ids", 3))]),
             lambda: fc.input_layer(feats, [fc.indicator_column(
                 fc.categorical_column_with_vocabulary_list("s", [1, 2]))]),
             lambda: fc.input_layer(feats, [fc.indicator_column(fc.weighted_categorical_column(ids, "n",
                                                                                               dtype=tf.int32))]),
             lambda: fc.linear_model(feats, [fc.numeric_column("missing")]),
             lambda: fc.linear_model(feats, [num, num])]
    return [error_text(f) for f in calls]


def case_transform_and_names(tf):
    fc = tf.feature_column
    cols = [fc.numeric_column("p"), fc.categorical_column_with_identity("q", 2),
            fc.embedding_column(fc.categorical_column_with_identity("r", 2), 4),
            fc.indicator_column(fc.categorical_column_with_vocabulary_list("s", ["a"]))]
    return [[type(c).__name__, c.name, hasattr(c, "parse_example_spec")] for c in cols] + \
        [sorted(c.name for c in sorted(cols, key=lambda c: c.name))]


def case_shared_embedding_columns(tf):
    fc = tf.feature_column
    a = fc.categorical_column_with_identity("a", 3)
    b = fc.categorical_column_with_identity("b", 3)
    init = tf.constant_initializer([[1., 2.], [3., 4.], [5., 6.]])
    ea, eb = fc.shared_embedding_columns([b, a], 2, initializer=init, combiner="sum")
    named = fc.shared_embedding_columns([a, b], 2, initializer=init, shared_embedding_collection_name="mine")
    feats = {"a": [[0, 1], [2, -1]], "b": [[2, 2], [-1, -1]]}
    out = fc.input_layer(feats, [ea, eb])
    out2 = fc.input_layer(feats, named)
    lin_in = fc.input_layer(feats, [ea])
    grads = tf.gradients(tf.reduce_sum(out * [[1., 2., 3., 4.]]), tf.get_collection("a_b_shared_embedding"))
    props = [[c.name, c._var_scope_name, c.shared_embedding_collection_name, c.dimension, c.combiner]
             for c in (ea, eb, named[0])]
    errors = [error_text(lambda: fc.shared_embedding_columns([a, fc.categorical_column_with_identity("c", 4)], 2)),
              error_text(lambda: fc.shared_embedding_columns(  # (the message names the classes' modules)
                  [a, fc.categorical_column_with_vocabulary_list("v", ["x", "y", "z"])], 2), 150),
              error_text(lambda: fc.shared_embedding_columns([a, b], 0))]
    return [sig(out), sig(out2), sig(lin_in), props, errors, _vars(tf, "variables"),
            [v.name for v in tf.get_collection("a_b_shared_embedding")], [v.name for v in tf.get_collection("mine")],
            _run(tf, [out, out2, lin_in] + [tf.convert_to_tensor(g) for g in grads])]


def case_sequence_columns(tf):
    fc = tf.feature_column
    path = os.path.join(tempfile.mkdtemp(), "vocab.txt")
    with open(path, "w") as f:
        f.write("a\nb\n")
    cols = [fc.sequence_categorical_column_with_identity("i", 4),
            fc.sequence_categorical_column_with_hash_bucket("h", 5),
            fc.sequence_categorical_column_with_vocabulary_list("v", ["a", "b", "c"]),
            fc.sequence_categorical_column_with_vocabulary_file("fv", path, num_oov_buckets=1)]
    num = fc.sequence_numeric_column("n", shape=(2,))
    props = [[type(c).__name__, c.name, c.num_buckets, type(c.categorical_column).__name__] for c in cols]
    spec = {k: [type(v).__name__, v.dtype.name] for k, v in fc.make_parse_example_spec(cols).items()}
    values = {"i": tf.SparseTensorValue([[0, 0, 0], [0, 1, 0], [1, 0, 0]], [1, 2, 3], [2, 2, 1]),
              "h": tf.SparseTensorValue([[0, 0], [1, 0], [1, 1]], ["x", "y", "z"], [2, 2]),
              "v": tf.SparseTensorValue([[0, 0], [0, 1]], ["c", "a"], [2, 2]),
              "fv": tf.SparseTensorValue([[0, 0], [1, 1]], ["b", "zz"], [2, 2])}
    # fed, not constant: TF's shape inference evaluates constant subgraphs (through SparseReshape) further than
    # raygraph's, so constant sparse features give TF a static batch size that raygraph leaves unknown
    feats = {k: tf.sparse_placeholder(tf.int64 if k == "i" else tf.string, name=k) for k in values}
    out = fc.linear_model(feats, cols, units=2)
    assigns = [tf.assign(v, tf.ones_like(v) * (i + 1)) for i, v in enumerate(tf.global_variables())]
    with tf.Session() as s:
        s.run([tf.global_variables_initializer(), tf.tables_initializer()])
        s.run(assigns)
        vals = s.run(out, {feats[k]: v for k, v in values.items()})
    errors = [error_text(lambda: fc.input_layer(feats, [fc.embedding_column(cols[0], 2)]), 130),
              error_text(lambda: fc.input_layer(feats, [fc.indicator_column(cols[1])]), 130),
              error_text(lambda: fc.input_layer(feats, fc.shared_embedding_columns(cols[:1], 2)), 130),
              error_text(lambda: fc.input_layer({"n": [[1., 2.]]}, [num]), 60),
              error_text(lambda: fc.make_parse_example_spec([num]), 60),
              error_text(lambda: fc.sequence_numeric_column("n", dtype=tf.string)),
              error_text(lambda: fc.sequence_numeric_column("n", normalizer_fn=1))]
    return [props, spec, [num.name, num.shape, num.default_value, num.dtype.name, num.variable_shape.as_list(),
                          {k: [type(v).__name__, v.dtype.name] for k, v in num.parse_example_spec.items()}],
            sig(out), [v.name for v in tf.global_variables()], vals, errors]


def case_embedding_warm_start(tf):
    fc = tf.feature_column
    d = tempfile.mkdtemp()
    with tf.Graph().as_default():
        v = tf.get_variable("old/emb", initializer=tf.constant([[1., 2.], [3., 4.], [5., 6.]]))
        with tf.Session() as s:
            s.run(v.initializer)
            tf.train.Saver([v]).save(s, os.path.join(d, "model.ckpt"))
    ids = fc.categorical_column_with_identity("ids", 3)
    col = fc.embedding_column(ids, 2, ckpt_to_load_from=os.path.join(d, "model.ckpt"), tensor_name_in_ckpt="old/emb",
                              combiner="sum")
    out = fc.input_layer({"ids": [[2, 0], [1, -1]]}, [col])
    return [sig(out), _run(tf, out)]


def case_input_layer_graph(tf):
    fc = tf.feature_column
    cols = [fc.numeric_column("p", shape=2), fc.bucketized_column(fc.numeric_column("a"), [1., 2.]),
            fc.embedding_column(fc.categorical_column_with_vocabulary_list("w", ["x", "y"], num_oov_buckets=1), 2,
                                initializer=tf.zeros_initializer()),
            fc.indicator_column(fc.categorical_column_with_identity("i", 3)),
            fc.indicator_column(fc.categorical_column_with_hash_bucket("h", 4))]
    feats = {"p": tf.placeholder(tf.float32, [None, 2], name="p"), "a": tf.placeholder(tf.float32, [None], name="a"),
             "w": tf.placeholder(tf.string, [None, 2], name="w"),
             "i": tf.sparse_placeholder(tf.int64, [None, 2], name="i"),
             "h": tf.placeholder(tf.string, [None, 1], name="h")}
    out = fc.input_layer(feats, cols)
    ops = [[op.name, op.type] for op in tf.get_default_graph().get_operations()]
    return [sig(out), ops]


def case_linear_model_graph(tf):
    fc = tf.feature_column
    cols = [fc.numeric_column("p", shape=2), fc.categorical_column_with_identity("i", 3),
            fc.crossed_column(["s", fc.categorical_column_with_identity("i", 3)], 5)]
    feats = {"p": tf.placeholder(tf.float32, [None, 2], name="p"), "s": tf.placeholder(tf.string, [None, 1], name="s"),
             "i": tf.sparse_placeholder(tf.int64, [None, 2], name="i")}
    out = fc.linear_model(feats, cols, units=3)
    out2 = fc.linear_model(feats, cols[:1])
    main = [[op.name, op.type] for op in tf.get_default_graph().get_operations()
            if op.type in ("VariableV2", "MatMul", "AddN", "BiasAdd", "SparseCross", "Identity", "Select")]
    return [sig(out), sig(out2), main]


def case_linear_model_dense_columns(tf):
    fc = tf.feature_column
    ids = fc.categorical_column_with_identity("ids", 3)
    cols = [fc.embedding_column(ids, 2, initializer=tf.ones_initializer()), fc.indicator_column(ids),
            fc.bucketized_column(fc.numeric_column("n", shape=2), [0.])]
    feats = {"ids": [[0, 2], [1, -1]], "n": [[-1., 1.], [2., -2.]]}
    cols_to_vars = {}
    out = fc.linear_model(feats, cols, units=2, trainable=False, weight_collections=["mine"], cols_to_vars=cols_to_vars)
    assigns = [tf.assign(v, tf.cast(tf.reshape(tf.range(tf.size(v)), tf.shape(v)), tf.float32) - 1.)
               for v in tf.global_variables() if "embedding" not in v.name]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(assigns)
        vals = s.run(out)
    return [sig(out), {getattr(k, "name", k): [v.name for v in vs] for k, vs in cols_to_vars.items()},
            _vars(tf, "variables"), _vars(tf, "trainable_variables"), _vars(tf, "model_variables"), _vars(tf, "mine"),
            vals]


def case_unknown_rank_features(tf):
    fc = tf.feature_column
    x = tf.placeholder(tf.float32, name="x")
    w = tf.placeholder(tf.string, name="w")
    cols = [fc.numeric_column("x"), fc.indicator_column(fc.categorical_column_with_vocabulary_list("w", ["a", "b"]))]
    out = fc.input_layer({"x": x, "w": w}, cols)
    with tf.Session() as s:
        s.run(tf.tables_initializer())
        one = s.run(out, {x: [1., 2.], w: ["b", "a"]})
        two = s.run(out, {x: [[3.], [4.]], w: [["a", "b"], ["", "b"]]})
        err = error(lambda: s.run(out, {x: 5., w: ["a"]}))
    return [sig(out), one, two, err]
