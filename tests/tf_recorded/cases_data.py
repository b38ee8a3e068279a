"""tf.data: datasets, their static types, the four iterator kinds, OutOfRangeError at the end, errors."""
import numpy as np


def shapes(s):
    """A (nested) TensorShape structure as lists (None for an unknown rank)."""
    if isinstance(s, dict):
        return {k: shapes(v) for k, v in s.items()}
    if isinstance(s, (tuple, list)):
        return [shapes(v) for v in s]
    return None if s.ndims is None else s.as_list()


def names(s):
    if isinstance(s, dict):
        return {k: names(v) for k, v in s.items()}
    if isinstance(s, (tuple, list)):
        return [names(v) for v in s]
    return s.name


def drain(tf, sess, t, limit=100):
    """Every value `t` yields until OutOfRangeError (at most `limit`)."""
    out = []
    for _ in range(limit):
        try:
            out.append(sess.run(t))
        except tf.errors.OutOfRangeError:
            out.append("end")
            break
    return out


def values(tf, ds, limit=100):
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        return drain(tf, sess, nxt, limit)


def types(ds):
    return [shapes(tf_out) for tf_out in (ds.output_shapes,)] + [names(ds.output_types)]


# ----- sources and static types ---------------------------------------------------------------------------
def case_from_tensor_slices_tuple(tf):
    ds = tf.data.Dataset.from_tensor_slices((np.arange(6, dtype=np.float32).reshape(3, 2), np.array([1, 2, 3])))
    return [types(ds), values(tf, ds)]


def case_from_tensor_slices_dict(tf):
    ds = tf.data.Dataset.from_tensor_slices({"b": [1.0, 2.0], "a": [[1, 2], [3, 4]]})
    return [types(ds), values(tf, ds)]


def case_from_tensor_slices_list_is_one_tensor(tf):
    ds = tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4], [5, 6]])
    return [types(ds), values(tf, ds)]


def case_from_tensors(tf):
    ds = tf.data.Dataset.from_tensors(([1, 2, 3], "x"))
    return [types(ds), values(tf, ds)]


def case_range_forms(tf):
    out = []
    for args in [(5,), (2, 7), (10, 1, -3), (0,)]:
        ds = tf.data.Dataset.range(*args)
        out.append([types(ds), values(tf, ds)])
    return out


def case_range_output_type(tf):
    ds = tf.data.Dataset.range(3, output_type=tf.int32)
    return [types(ds), values(tf, ds)]


def case_graph_op_names(tf):
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((4, 2), np.float32), np.arange(4)))
    ds = ds.map(lambda a, b: (a + 1.0, b)).batch(2).repeat(2).prefetch(1)
    it = ds.make_initializable_iterator()
    x, y = it.get_next()
    g = tf.get_default_graph()
    ops = [(o.name, o.type) for o in g.get_operations()
           if o.type in ("TensorSliceDataset", "MapDataset", "BatchDatasetV2", "RepeatDataset", "PrefetchDataset",
                         "IteratorV2", "MakeIterator", "IteratorGetNext")]
    return [ops, x.name, y.name, it.initializer.name, it.initializer.type, [i.name for i in it.initializer.inputs]]


# ----- transformations -----------------------------------------------------------------------------------
def case_map_types_and_values(tf):
    ds = tf.data.Dataset.range(4).map(lambda x: (tf.cast(x, tf.float32) * 2.0, tf.fill([2], x)))
    return [types(ds), values(tf, ds)]


def case_map_dict_element(tf):
    ds = tf.data.Dataset.from_tensor_slices({"x": [1, 2, 3], "y": [10, 20, 30]})
    ds = ds.map(lambda d: {"s": d["x"] + d["y"], "x": d["x"]}, num_parallel_calls=2)
    return [types(ds), values(tf, ds)]


def case_map_parallel_keeps_order(tf):
    ds = tf.data.Dataset.range(20).map(lambda x: x * x, num_parallel_calls=4)
    return values(tf, ds)


def case_filter(tf):
    ds = tf.data.Dataset.range(10).filter(lambda x: tf.equal(x % 3, 0))
    return [types(ds), values(tf, ds)]


def case_filter_non_bool_raises(tf):
    try:
        tf.data.Dataset.range(10).filter(lambda x: x)
    except Exception as e:  # noqa: BLE001
        return type(e).__name__
    return "no error"


def case_flat_map(tf):
    ds = tf.data.Dataset.range(1, 4).flat_map(lambda x: tf.data.Dataset.range(x))
    return [types(ds), values(tf, ds)]


def case_interleave(tf):
    ds = tf.data.Dataset.range(1, 4).interleave(lambda x: tf.data.Dataset.from_tensors(x).repeat(3),
                                                 cycle_length=2, block_length=2)
    return [types(ds), values(tf, ds)]


def case_zip_and_concatenate(tf):
    a = tf.data.Dataset.range(3)
    b = tf.data.Dataset.from_tensor_slices(np.array([[1.0], [2.0], [3.0], [4.0]], np.float32))
    z = tf.data.Dataset.zip((a, (b, a)))
    c = a.concatenate(tf.data.Dataset.range(10, 12))
    return [types(z), values(tf, z), types(c), values(tf, c)]


def case_concatenate_shapes_merge(tf):
    a = tf.data.Dataset.from_tensors(np.zeros((2, 3), np.float32))
    b = tf.data.Dataset.from_tensors(np.zeros((4, 3), np.float32))
    return types(a.concatenate(b))


def case_batch(tf):
    ds = tf.data.Dataset.range(7).batch(3)
    dd = tf.data.Dataset.range(7).batch(3, drop_remainder=True)
    return [types(ds), values(tf, ds), types(dd), values(tf, dd)]


def case_batch_tuple_shapes(tf):
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((5, 2, 2), np.float32), np.arange(5))).batch(2)
    return [types(ds), values(tf, ds)]


def case_padded_batch(tf):
    ds = tf.data.Dataset.range(1, 5).map(lambda x: tf.fill([x], x)).padded_batch(2, padded_shapes=[None])
    dd = tf.data.Dataset.range(1, 4).map(lambda x: tf.fill([x], x)).padded_batch(2, padded_shapes=[4],
                                                                                  padding_values=tf.constant(-1, tf.int64),
                                                                                  drop_remainder=True)
    return [types(ds), values(tf, ds), types(dd), values(tf, dd)]


def case_unbatch(tf):
    ds = tf.data.Dataset.from_tensors((np.arange(6).reshape(3, 2), np.array([1.0, 2.0, 3.0]))).unbatch()
    return [types(ds), values(tf, ds)]


def case_repeat_take_skip(tf):
    r = tf.data.Dataset.range(3).repeat(2)
    t = tf.data.Dataset.range(10).take(4)
    s = tf.data.Dataset.range(10).skip(7)
    rt = tf.data.Dataset.range(3).repeat().take(7)
    return [values(tf, r), values(tf, t), values(tf, s), values(tf, rt), values(tf, tf.data.Dataset.range(3).take(-1))]


def case_cache_prefetch(tf):
    ds = tf.data.Dataset.range(4).map(lambda x: x + 1).cache().repeat(2).prefetch(3)
    return [types(ds), values(tf, ds)]


def case_shuffle_is_a_permutation(tf):
    ds = tf.data.Dataset.range(20).shuffle(5, seed=3)
    got = values(tf, ds)
    return [types(ds), sorted(int(v) for v in got[:-1]), got[-1]]


def case_shuffle_repeat_each_epoch_permutation(tf):
    ds = tf.data.Dataset.range(6).shuffle(6, seed=1).repeat(2)
    got = values(tf, ds)
    return [sorted(int(v) for v in got[:6]), sorted(int(v) for v in got[6:12]), got[12:]]


def case_experimental(tf):
    ds = tf.data.Dataset.range(10).apply(tf.data.experimental.map_and_batch(lambda x: x * 2, 4))
    sr = tf.data.Dataset.range(3).apply(tf.data.experimental.shuffle_and_repeat(3, count=2, seed=1))
    got = values(tf, sr)
    return [tf.data.experimental.AUTOTUNE, types(ds), values(tf, ds), sorted(int(v) for v in got[:-1])]


def case_from_generator(tf):
    def gen():
        for i in range(3):
            yield i, [float(i)] * (i + 1)
    ds = tf.data.Dataset.from_generator(gen, (tf.int64, tf.float32), (tf.TensorShape([]), tf.TensorShape([None])))
    return [types(ds), values(tf, ds)]


# ----- iterators -------------------------------------------------------------------------------------------
def case_initializable_with_placeholder(tf):
    n = tf.placeholder(tf.int64, [])
    it = tf.data.Dataset.range(n).batch(2).make_initializable_iterator()
    nxt = it.get_next()
    with tf.Session() as sess:
        sess.run(it.initializer, {n: 5})
        first = drain(tf, sess, nxt)
        sess.run(it.initializer, {n: 3})
        second = drain(tf, sess, nxt)
    return [shapes(nxt.shape), first, second]


def case_get_next_before_init(tf):
    it = tf.data.Dataset.range(3).make_initializable_iterator()
    nxt = it.get_next()
    with tf.Session() as sess:
        try:
            sess.run(nxt)
        except tf.errors.OpError as e:
            return type(e).__name__
    return "no error"


def case_reinitializable(tf):
    train = tf.data.Dataset.range(5).map(lambda x: x * 10)
    val = tf.data.Dataset.range(2)
    it = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
    nxt = it.get_next()
    ti, vi = it.make_initializer(train), it.make_initializer(val)
    with tf.Session() as sess:
        sess.run(ti)
        a = [sess.run(nxt), sess.run(nxt)]
        sess.run(vi)
        b = drain(tf, sess, nxt)
        sess.run(ti)
        c = sess.run(nxt)
    return [ti.type, ti.name, vi.name, a, b, c]


def case_make_initializer_type_mismatch(tf):
    it = tf.data.Iterator.from_structure(tf.int64, tf.TensorShape([]))
    try:
        it.make_initializer(tf.data.Dataset.from_tensors(1.0))
    except Exception as e:  # noqa: BLE001
        return type(e).__name__
    return "no error"


def case_feedable_string_handle(tf):
    a = tf.data.Dataset.range(3)
    b = tf.data.Dataset.range(100, 103)
    handle = tf.placeholder(tf.string, shape=[])
    it = tf.data.Iterator.from_string_handle(handle, a.output_types, a.output_shapes)
    nxt = it.get_next()
    ia, ib = tf.data.make_one_shot_iterator(a), b.make_initializable_iterator()
    with tf.Session() as sess:
        ha, hb = sess.run([ia.string_handle(), ib.string_handle()])
        sess.run(ib.initializer)
        out = [sess.run(nxt, {handle: ha}), sess.run(nxt, {handle: hb}), sess.run(nxt, {handle: ha})]
    return [shapes(nxt.shape), names(nxt.dtype), out]


def case_output_types_shapes_classes(tf):
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((4, 3), np.float32), {"k": np.arange(4)})).batch(2)
    it = tf.data.make_one_shot_iterator(ds)
    return [shapes(tf.data.get_output_shapes(ds)), names(tf.data.get_output_types(ds)),
            [c.__name__ for c in [tf.data.get_output_classes(ds)[0], tf.data.get_output_classes(it)[1]["k"]]],
            shapes(it.output_shapes), names(it.output_types)]


def case_one_shot_end_stays_out_of_range(tf):
    nxt = tf.data.make_one_shot_iterator(tf.data.Dataset.range(2)).get_next()
    with tf.Session() as sess:
        return drain(tf, sess, nxt) + [drain(tf, sess, nxt)]


def case_map_py_func_error_keeps_iterator(tf):
    def f(x):
        if x == 1:
            raise ValueError("bad element")
        return x
    ds = tf.data.Dataset.range(3).map(lambda x: tf.py_func(f, [x], tf.int64))
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    out = []
    with tf.Session() as sess:
        for _ in range(4):
            try:
                out.append(int(sess.run(nxt)))
            except tf.errors.OpError as e:
                out.append([type(e).__name__, "IteratorGetNext" in str(e)])
    return out


def case_training_from_iterator(tf):
    xs = np.linspace(-1, 1, 32).astype(np.float32).reshape(-1, 1)
    ys = 3.0 * xs + 1.0
    x, y = tf.data.make_one_shot_iterator(tf.data.Dataset.from_tensor_slices((xs, ys)).batch(8).repeat()).get_next()
    w = tf.Variable(tf.zeros([1, 1]))
    b = tf.Variable(tf.zeros([1]))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(40):
            sess.run(train)
        return [round(float(v), 3) for v in sess.run([w, b, loss])[:2] for v in np.ravel(v)]


def case_window_flat_map(tf):
    ds = tf.data.Dataset.range(7).window(3, shift=2, drop_remainder=False).flat_map(lambda w: w.batch(3))
    dd = tf.data.Dataset.range(8).window(2, shift=3, stride=2, drop_remainder=True).flat_map(lambda w: w.batch(2))
    return [values(tf, ds), values(tf, dd)]


def case_window_tuple(tf):
    ds = tf.data.Dataset.from_tensor_slices((np.arange(5), np.arange(5) * 10)).window(2)
    ds = ds.flat_map(lambda a, b: tf.data.Dataset.zip((a.batch(2), b.batch(2))))
    return [types(ds), values(tf, ds)]


def case_window_arguments_checked_at_run_time(tf):
    """A window size, shift or stride below 1 (fed) is TF's InvalidArgumentError when the iterator starts (a shift
    of 0 had looped forever)."""
    n = tf.placeholder(tf.int64, [])
    out = []
    for args in ((n, 1, 1), (2, n, 1), (2, 1, n)):
        ds = tf.data.Dataset.range(5).window(*args).flat_map(lambda w: w.batch(3))
        it = tf.data.make_initializable_iterator(ds)
        with tf.Session() as s:
            for value in (0, -1):
                try:
                    s.run(it.initializer, {n: value})
                    out.append(s.run(it.get_next()).tolist())
                except tf.errors.InvalidArgumentError as e:   # (TF 2.21's text starts with the node's traceback)
                    out.append([line.strip() for line in e.message.splitlines() if "must be" in line])
    return out


def case_padded_batch_element_larger_than_its_padded_shape(tf):
    """An element longer than its fixed padded shape is TF's DataLossError at run time (its batch, not before)."""
    ds = tf.data.Dataset.range(1, 4).map(lambda n: tf.range(n)).padded_batch(2, padded_shapes=[2])
    t = tf.data.make_one_shot_iterator(ds).get_next()
    out = []
    with tf.Session() as s:
        for _ in range(2):
            try:
                out.append(s.run(t).tolist())
            except tf.errors.OpError as e:
                out.append([type(e).__name__] + [line.strip() for line in e.message.splitlines() if "Attempted" in line])
    return out


def case_shard(tf):
    """`shard` keeps the elements at `index` modulo `num_shards`: values, its graph, cardinality, and the
    kernel's errors for a bad count or index (fed, so they are run-time errors)."""
    out = []
    for n, i in ((3, 0), (3, 2), (1, 0), (4, 3), (10, 7)):
        ds = tf.data.Dataset.range(8).shard(n, i)
        with tf.Session() as s:
            out.append([values(tf, ds), int(s.run(tf.data.experimental.cardinality(ds)))])
    pair = tf.data.Dataset.from_tensor_slices((np.arange(5), np.arange(5) * 2.0)).shard(2, 1)
    out.append([types(pair), values(tf, pair)])
    shard_op = pair._variant_tensor.op
    out.append([shard_op.type, [t.op.type for t in shard_op.inputs], shard_op.get_attr("require_non_empty")])
    n, i = tf.placeholder(tf.int64, []), tf.placeholder(tf.int64, [])
    it = tf.data.make_initializable_iterator(tf.data.Dataset.range(4).shard(n, i))
    with tf.Session() as s:
        for feed in ((0, 0), (2, 2), (2, -1), (-3, 0)):
            try:
                s.run(it.initializer, {n: feed[0], i: feed[1]})
                out.append(s.run(it.get_next()).tolist())
            except tf.errors.InvalidArgumentError as e:
                out.append([line.strip() for line in e.message.splitlines() if "currently" in line])
    return out
