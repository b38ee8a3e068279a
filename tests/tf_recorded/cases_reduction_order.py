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


def case_whole_tensors_and_rows_longer_than_eight_leaves(tf):
    """From 258,462 floats (on a pool of two threads) TF sums a whole tensor in blocks, one per thread."""
    x, rows = tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32, [None, None])
    total, mean, row_totals = tf.reduce_sum(x), tf.reduce_mean(x), tf.reduce_sum(rows, 1)
    column_total = tf.reduce_sum(rows, 0)
    out = {}
    with tf.Session(config=tf.ConfigProto(intra_op_parallelism_threads=2)) as s:
        for n in (65537, 147456, 1 << 20, 4000003):
            out[f"sum_{n}"], out[f"mean_{n}"] = s.run([total, mean], {x: _data(n, n)})
        for n, seed in ((258461, 0), (258462, 2)):   # (one block and two differ in the last bit for these)
            out[f"sum_{n}"], out[f"mean_{n}"] = s.run([total, mean], {x: _data(n, seed)})
        out["rows_3x100001"] = s.run(row_totals, {rows: _data((3, 100001), 3)})
        out["column_300001x1"] = s.run(column_total, {rows: _data((300001, 1), 4)})
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


def case_leading_axes(tf):
    x = tf.placeholder(tf.float32, [None, None])
    x3 = tf.placeholder(tf.float32, [None, None, None])
    out = {}
    with tf.Session() as s:
        for n in (3, 12, 16, 17, 130, 1001):
            v = _data((n, 19), n)
            out[f"sum_{n}"], out[f"mean_{n}"] = s.run([tf.reduce_sum(x, 0), tf.reduce_mean(x, axis=0)], {x: v})
        out["sum_3d"] = s.run(tf.reduce_sum(x3, [0, 1], keepdims=True), {x3: _data((6, 7, 24), 4)})
    return _bits(out)


def case_bias_gradients_over_training_steps(tf):
    """Elementwise layers (no matrix product, whose BLAS order differs from TF's): the bias gradients are
    sums over the batch (BiasAddGrad, and Sum for a broadcast add), the loss a mean."""
    rng = np.random.default_rng(6)
    data, target = rng.standard_normal((64, 20)).astype(np.float32), rng.standard_normal((64, 20)).astype(np.float32)
    x, y = tf.placeholder(tf.float32, [None, 20]), tf.placeholder(tf.float32, [None, 20])
    w1 = tf.Variable(rng.standard_normal(20).astype(np.float32))
    b1 = tf.Variable(np.zeros(20, np.float32))
    w2 = tf.Variable(rng.standard_normal(20).astype(np.float32))
    b2 = tf.Variable(np.full(20, 0.1, np.float32))
    hidden = tf.nn.relu(tf.nn.bias_add(x * w1, b1))
    loss = tf.reduce_mean(tf.square(hidden * w2 + b2 - y))
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        losses = [s.run([loss, step], {x: data, y: target})[0] for _ in range(5)]
        return _bits({"losses": losses, "b1": s.run(b1), "b2": s.run(b2), "w1": s.run(w1), "w2": s.run(w2)})


def case_dims_of_one_collapse(tf):
    """TF drops dimensions of size 1 before it reduces: a column [n, 1] summed over its rows is the whole
    tensor's sum (Eigen's packet order, not row after row), and summing [1, c] over its one row copies it
    (-0 stays -0)."""
    x = tf.placeholder(tf.float32, [None, None])
    out = {}
    with tf.Session() as s:
        for n in (16, 17, 100, 133, 1000, 9000):
            out[f"column_sum_{n}"], out[f"column_mean_{n}"] = s.run(
                [tf.reduce_sum(x, 0), tf.reduce_mean(x, axis=0)], {x: _data((n, 1), n)})
        row = _data((1, 19), 3)
        row[0, :4] = -0.0
        out["one_row"], out["one_row_mean"] = s.run([tf.reduce_sum(x, 0), tf.reduce_mean(x, 0)], {x: row})
    return _bits(out)
