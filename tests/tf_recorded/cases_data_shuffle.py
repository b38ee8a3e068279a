"""Recorded cases: Dataset.shuffle's order is TF's for a seed (the Philox stream of the op's seeds drawing from
TF's ring buffer; each pass with reshuffle_each_iteration draws fresh seeds from a stream of the op's seeds):
buffers smaller and larger than the dataset, repeat after shuffle, re-initialized iterators, graph seeds."""


def _drain(tf, dataset, n):
    nxt = tf.data.make_one_shot_iterator(dataset).get_next()
    with tf.Session() as s:
        return [[v.tolist() for v in s.run(nxt)] if isinstance(nxt, tuple) else s.run(nxt).tolist()
                for _ in range(n)]


def case_shuffle_fixed_seed(tf):
    R = tf.data.Dataset.range
    return [_drain(tf, R(10).shuffle(4, seed=7, reshuffle_each_iteration=False), 10),
            _drain(tf, R(10).shuffle(20, seed=7, reshuffle_each_iteration=False), 10),
            _drain(tf, R(5).shuffle(3, seed=7, reshuffle_each_iteration=False).repeat(3), 15),
            _drain(tf, R(40).shuffle(1, seed=3), 40), _drain(tf, R(300).shuffle(100, seed=5), 300)]


def case_shuffle_reshuffled_each_pass(tf):
    R = tf.data.Dataset.range
    pairs = tf.data.Dataset.zip((R(6), R(6).map(lambda x: x * 10))).shuffle(4, seed=2).repeat(2).batch(3)
    return [_drain(tf, R(10).shuffle(4, seed=7), 10), _drain(tf, R(5).shuffle(3, seed=7).repeat(3), 15),
            _drain(tf, pairs, 4)]


def case_shuffle_reinitialized_and_graph_seed(tf):
    d = tf.data.Dataset.range(6).shuffle(6, seed=11)
    it = tf.data.make_initializable_iterator(d)
    nxt = it.get_next()
    out = []
    with tf.Session() as s:
        for _ in range(2):
            s.run(it.initializer)
            out.append([s.run(nxt).tolist() for _ in range(6)])
    with tf.Graph().as_default():
        tf.set_random_seed(3)
        out.append(_drain(tf, tf.data.Dataset.range(8).shuffle(8), 8))
        out.append(_drain(tf, tf.data.Dataset.range(8).shuffle(5).shuffle(3, seed=1), 8))
        it = tf.data.make_initializable_iterator(tf.data.Dataset.range(6).shuffle(6))
        with tf.Session() as s:
            s.run(it.initializer)
            out.append([s.run(it.get_next()).tolist() for _ in range(6)])
        out.append(_drain(tf, tf.data.Dataset.range(8).shuffle(4), 8))
        out.append(tf.random_uniform([3], maxval=100, dtype=tf.int32).op.get_attr("seed2"))
    with tf.Graph().as_default():
        tf.set_random_seed(3)
        out.append(_drain(tf, tf.data.Dataset.range(8).shuffle(5).shuffle(3, seed=1), 8))
    return out


def case_shuffle_and_repeat_order(tf):
    E = tf.data.experimental
    R = tf.data.Dataset.range
    return [_drain(tf, R(5).apply(E.shuffle_and_repeat(3, count=3, seed=7)), 15),
            _drain(tf, R(5).apply(E.shuffle_and_repeat(10, count=2, seed=7)), 10),
            _drain(tf, R(4).apply(E.shuffle_and_repeat(2, seed=9)), 20),
            _drain(tf, R(7).apply(E.shuffle_and_repeat(20, count=4, seed=3)), 28)]
