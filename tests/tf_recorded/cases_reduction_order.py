"""TF's CPU kernels sum a tensor's innermost axes in Eigen's order (raygraph/ops/eigen_sums.py), not numpy's
pairwise one: reduce_sum and reduce_mean give TF's values to the bit. Results are bit patterns, so only
bit-identical sums pass (numpy's own differ in about half of these)."""
import numpy as np


def _data(shape, seed):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape) * rng.choice([1e-3, 1.0, 1e3], shape)).astype(np.float32)


def _bits(values):
    return {k: np.asarray(v, np.float32).view(np.uint32) for k, v in values.items()}


def case_whole_tensors_of_many_lengths(tf):
    x = tf.placeholder(tf.float32, [None])
    total, mean = tf.reduce_sum(x), tf.reduce_mean(x)
    out = {}
    with tf.Session() as s:
        for n in (7, 8, 9, 17, 31, 32, 33, 63, 64, 72, 100, 127, 129, 500, 1000, 4099, 8192, 8193, 20001, 65536):
            out[f"sum_{n}"], out[f"mean_{n}"] = s.run([total, mean], {x: _data(n, n)})
    return _bits(out)


def case_rows_and_trailing_axes(tf):
    x = tf.placeholder(tf.float32, [None, None, None])
    v = _data((3, 5, 41), 1)
    with tf.Session() as s:
        return _bits(s.run({"last": tf.reduce_sum(x, -1), "last_two": tf.reduce_sum(x, [1, 2]),
                            "last_two_reversed": tf.reduce_sum(x, [2, 1], keepdims=True),
                            "mean_last": tf.reduce_mean(x, axis=2), "all": tf.reduce_sum(x)}, {x: v}))


def case_a_loss_over_training_steps(tf):
    rng = np.random.default_rng(2)
    data, target = rng.standard_normal((100, 13)).astype(np.float32), rng.standard_normal((100, 1)).astype(np.float32)
    x, y = tf.placeholder(tf.float32, [None, 13]), tf.placeholder(tf.float32, [None, 1])
    w = tf.Variable(np.full((13, 1), 0.01, np.float32))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    step = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
    losses = []
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(5):
            losses.append(s.run([loss, step], {x: data, y: target})[0])
    return _bits({"losses": losses})
