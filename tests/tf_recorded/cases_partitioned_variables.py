"""Partitioned variables: the partitioners, get_variable(partitioner=...) parts and their reads, gradients."""
import numpy as np


def raises(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return [type(e).__name__, str(e)]
    return "no error"


def case_partitioners(tf):
    s = tf.TensorShape
    return [tf.fixed_size_partitioner(3)(shape=s([10, 4]), dtype=tf.float32),
            tf.fixed_size_partitioner(2, axis=1)(shape=s([10, 4]), dtype=tf.float32),
            tf.fixed_size_partitioner(5)(shape=s([2, 4]), dtype=tf.float32),
            tf.variable_axis_size_partitioner(64)(shape=s([10, 4]), dtype=tf.float32),
            tf.variable_axis_size_partitioner(100, max_shards=2)(shape=s([10, 4]), dtype=tf.float64),
            tf.variable_axis_size_partitioner(40, axis=1)(shape=s([3, 8]), dtype=tf.string),
            tf.min_max_variable_partitioner(4, min_slice_size=32)(shape=s([10, 4]), dtype=tf.float32),
            tf.min_max_variable_partitioner(100, min_slice_size=64)(shape=s([10, 4]), dtype=tf.float32),
            tf.min_max_variable_partitioner()(shape=s([1024, 1024]), dtype=tf.float32),
            raises(lambda: tf.min_max_variable_partitioner(2, axis=2)(shape=s([3, 3]), dtype=tf.float32)),
            raises(lambda: tf.variable_axis_size_partitioner(0)),
            raises(lambda: tf.variable_axis_size_partitioner(4)(shape=s([None, 3]), dtype=tf.float32))]


def case_get_variable_partitioned(tf):
    w = tf.get_variable("w", [10, 4], initializer=tf.constant_initializer(1.0),
                        partitioner=tf.fixed_size_partitioner(3))
    x = tf.convert_to_tensor(w)
    y = tf.reduce_sum(x * 2.0)
    g = tf.gradients(y, list(w))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        vals = s.run([x, g])
    return [type(w).__name__, w.name, str(w.shape), w.dtype.name, len(w), [(v.name, v.shape.as_list()) for v in w],
            [v.name for v in tf.global_variables()], [v.name for v in tf.trainable_variables()], x.name, x.op.type,
            x.op.inputs[0].name, str(x.shape), w._get_partitions(), [v._save_slice_info.spec for v in w],
            [v._save_slice_info.full_name for v in w], vals]


def case_partitioned_in_scope_values_and_reuse(tf):
    with tf.variable_scope("s", partitioner=tf.fixed_size_partitioner(2)):
        e = tf.get_variable("emb", [5, 2], initializer=np.arange(10.0, dtype=np.float32).reshape(5, 2))
        one = tf.get_variable("one", [1, 3], initializer=tf.ones_initializer())
        scalar = tf.get_variable("scalar", [], initializer=tf.ones_initializer())
        r = tf.get_variable("r", [4, 3], initializer=tf.random_uniform_initializer(seed=3))
    with tf.variable_scope("s", reuse=True, partitioner=tf.fixed_size_partitioner(2)):
        again = tf.get_variable("emb", [5, 2])
    lk = tf.nn.embedding_lookup(e, [0, 4, 2])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        vals = s.run([lk, list(one), scalar, [v for v in e], tf.convert_to_tensor(one)])
        rv = s.run(tf.convert_to_tensor(r))
    return [again is e, type(one).__name__, [v.name for v in one], isinstance(scalar, tf.Variable), scalar.name,
            [v.name for v in tf.global_variables()], vals, rv.shape, bool(np.all((rv >= 0) & (rv < 1)))]


def case_partitioned_errors(tf):
    tf.get_variable("plain", [4, 2])
    tf.get_variable("p", [4, 2], partitioner=tf.fixed_size_partitioner(2))
    return [raises(lambda: tf.get_variable("z", [4, 4], partitioner=lambda shape, dtype: [2, 2])),
            raises(lambda: tf.get_variable("z2", [4, 4], partitioner=lambda shape, dtype: [2])),
            raises(lambda: tf.get_variable("z3", [4, 4], partitioner=lambda shape, dtype: [0, 1])),
            raises(lambda: tf.get_variable("z4", [4, 4], partitioner=lambda shape, dtype: 2)),
            raises(lambda: tf.get_variable("plain", [4, 2], partitioner=tf.fixed_size_partitioner(2))),
            raises(lambda: tf.get_variable("p", [4, 2], partitioner=tf.fixed_size_partitioner(2))),
            raises(lambda: tf.get_variable("u", [None, 2], validate_shape=False,
                                           partitioner=tf.fixed_size_partitioner(2))),
            raises(lambda: tf.get_variable("n", [4, 2], partitioner=3)),
            raises(lambda: tf.get_variable("w", [4, 2], partitioner=tf.fixed_size_partitioner(2)) * 2.0),
            [v.name for v in tf.global_variables()]]


def case_create_partitioned_variables(tf):
    parts = tf.create_partitioned_variables([6, 2], [3, 1], tf.constant_initializer(2.0), name="cp")
    parts2 = tf.create_partitioned_variables([5], [2], np.arange(5.0, dtype=np.float32))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        vals = s.run(parts + parts2)
    return [type(parts).__name__, [v.name for v in parts], [v.name for v in parts2], vals,
            raises(lambda: tf.create_partitioned_variables([2, 2], [2], tf.zeros_initializer())),
            raises(lambda: tf.create_partitioned_variables([], [], tf.zeros_initializer()))]


def case_partitioned_training(tf):
    w = tf.get_variable("w", [6, 1], initializer=tf.constant_initializer(0.5),
                        partitioner=tf.fixed_size_partitioner(4))
    x = tf.constant(np.arange(12.0, dtype=np.float32).reshape(2, 6))
    loss = tf.reduce_sum(tf.square(tf.matmul(x, tf.convert_to_tensor(w)) - 1.0))
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(3):
            s.run(train)
        return [s.run(loss), s.run([v for v in w])]
