"""switch_case: the branch an index selects, out-of-range indices, structures, gradients, errors."""


def raises(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return [type(e).__name__, str(e).split(" at 0x")[0]]
    return "no error"


def case_switch_case_values(tf):
    i = tf.placeholder(tf.int32, [])
    x = tf.constant([1.0, 2.0])
    y = tf.switch_case(i, [lambda: x * 2.0, lambda: x + 10.0, lambda: -x])
    z = tf.switch_case(i, {1: lambda: tf.constant(11), 0: lambda: tf.constant(10)}, default=lambda: tf.constant(-1))
    w = tf.switch_case(i, [(0, lambda: (x, {"a": tf.constant(1)})), (1, lambda: (-x, {"a": tf.constant(2)}))])
    with tf.Session() as s:
        return [y.dtype.name, str(y.shape), z.dtype.name,
                [s.run([y, z, w], {i: k}) for k in (0, 1, 2, 3, -1, 7)]]


def case_switch_case_gradients(tf):
    i = tf.placeholder(tf.int32, [])
    x = tf.constant([1.0, 2.0, 3.0])
    y = tf.switch_case(i, [lambda: tf.reduce_sum(x * x), lambda: tf.reduce_sum(tf.sin(x))],
                       default=lambda: tf.reduce_sum(x * 3.0))
    g = tf.gradients(y, x)[0]
    with tf.Session() as s:
        return [s.run([y, g], {i: k}) for k in (0, 1, 2, 5)]


def case_switch_case_errors(tf):
    i = tf.constant(0)
    return [raises(lambda: tf.switch_case(0, [lambda: 1])),
            raises(lambda: tf.switch_case(tf.constant(0.5), [lambda: 1])),
            raises(lambda: tf.switch_case(i, [])),
            raises(lambda: tf.switch_case(i, lambda: 1)),
            raises(lambda: tf.switch_case(i, [(0, lambda: 1), (2, lambda: 2)])),
            raises(lambda: tf.switch_case(i, [(0, 1)])),
            raises(lambda: tf.switch_case(i, [("a", lambda: 1)])),
            raises(lambda: tf.switch_case(i, [[0, lambda: 1]])),
            raises(lambda: tf.switch_case(tf.constant(1, tf.int64), [lambda: 1, lambda: 2]))]
