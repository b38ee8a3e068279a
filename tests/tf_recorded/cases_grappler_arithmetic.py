"""TF's graph optimizer (grappler) rewrites arithmetic around constants before a step runs, and so changes
its numbers by float rounding: a division by a constant becomes a multiplication by the constant's
reciprocal, constants are pushed down chains of additions/subtractions and multiplications and folded
(`(x - 0.1) - 0.7` runs as `x - (0.7 + 0.1)`), and commutative duplicates (`x * c`, `c * x`) are one node.
Each case returns the float32 results as their bit patterns, so only bit-identical numbers pass: the values
op by op in numpy differ from TF's in most elements here.
"""
import numpy as np


def _x(n=64, scale=1e3, seed=0):
    return (np.random.default_rng(seed).standard_normal(n) * scale).astype(np.float32)


def _bits(values):
    return {k: np.asarray(v, np.float32).view(np.uint32) for k, v in values.items()}


def _run(tf, outputs, feeds):
    with tf.Session() as s:
        return _bits(s.run(outputs, feeds))


def case_division_by_a_constant_is_a_multiplication_by_its_reciprocal(tf):
    x = tf.placeholder(tf.float32, [64])
    v = _x()
    out = _run(tf, {"by_float": x / 3.0, "by_tensor": x / tf.constant(7.0), "divide": tf.divide(x, 0.3),
                    "constant_over_x": 3.0 / x}, {x: v})
    # a constant vector's reciprocal is TF's Reciprocal kernel, whose AVX packets refine the CPU's own
    # approximation (rcpps, which differs by vendor) with one Newton step: within an ulp, not bit for bit
    with tf.Session() as s:
        out["by_vector"] = s.run(x / tf.constant(np.linspace(0.5, 3.0, 64).astype(np.float32)), {x: v})
    return out


def case_constants_pushed_down_additions_and_subtractions(tf):
    x = tf.placeholder(tf.float32, [64])
    return _run(tf, {"sub_sub": (x - 0.1) - 0.7, "c_minus_x_plus": (0.3 - x) + 0.7,
                     "c_minus_x_minus_c": 0.5 - (x - 0.25), "add_sub": (x + 0.1) - 0.7,
                     "sub_add": (x - 0.1) + 0.7, "c_minus_sum": 0.9 - (x + 0.3)}, {x: _x()})


def case_constants_pushed_down_multiplications(tf):
    x = tf.placeholder(tf.float32, [64])
    v = _x(seed=1)
    out = _run(tf, {"mul_mul": 0.1 * (0.3 * x)}, {x: v})
    out.update(_run(tf, {"mul_div": (x * 0.3) / 0.7}, {x: v}))
    out.update(_run(tf, {"div_mul": (x / 0.7) * 0.3, "div_div": (x / 0.7) / 0.3}, {x: v}))
    return out


def case_a_chain_of_constant_additions_folds_into_one(tf):
    x = tf.placeholder(tf.float32, [16])
    y = x
    for k in range(100):
        y = y + (1.0 if k % 2 else 0.3)
    return _run(tf, {"chain": y}, {x: np.full(16, 1e8, np.float32) + np.arange(16, dtype=np.float32) * 64})


def case_a_second_operand_that_is_not_constant(tf):
    x, y = tf.placeholder(tf.float32, [64]), tf.placeholder(tf.float32, [64])
    return _run(tf, {"sum_plus_c": (x + y) + 0.3, "product_times_c": (x * y) * 0.3,
                     "difference_minus_c": (x - y) - 0.3}, {x: _x(), y: _x(seed=2)})


def case_a_fetched_or_shared_intermediate_is_not_rewritten(tf):
    x = tf.placeholder(tf.float32, [64])
    a = x - 0.1
    b = a - 0.7
    shared = x * 0.3
    out = _run(tf, {"a": a, "b": b}, {x: _x()})
    out.update(_run(tf, {"c_times_x": 0.1 * (0.3 * x), "x_times_c_over": shared / 0.7}, {x: _x()}))
    return out


def case_a_larger_constant_is_pushed_only_next_to_an_operand_of_unknown_shape(tf):
    # grappler trusts no fed value's shape, so fed operands take any constant; variables' shapes are known
    x, y = tf.placeholder(tf.float32, [5]), tf.placeholder(tf.float32, [5])
    c = tf.constant(np.linspace(0.1, 0.9, 15).reshape(3, 5).astype(np.float32))
    col = tf.placeholder(tf.float32, [10, 1])
    big = tf.constant(np.full((10, 5), 0.7, np.float32))
    vx, vy = tf.Variable(_x(5)), tf.Variable(_x(5, seed=3))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return _bits(s.run({"fed": (x + y) + c, "constant_leaf": (col - 0.1) - big, "variables": (vx + vy) + c,
                            "variables_same_size": (vx + vy) + c[0]},
                           {x: _x(5), y: _x(5, seed=3), col: _x(10, seed=4).reshape(10, 1)}))


def case_rewrites_inside_loops_and_conds(tf):
    x = tf.placeholder(tf.float32, [64])
    loop = tf.while_loop(lambda i, z: i < 3, lambda i, z: (i + 1, (z - 0.1) / 0.7), [tf.constant(0), x])[1]
    branch = tf.cond(tf.constant(True), lambda: (x - 0.1) - 0.7, lambda: x)
    return _run(tf, {"loop": loop, "cond": branch}, {x: _x()})


def case_training_steps_with_constant_scalings(tf):
    rng = np.random.default_rng(5)
    data = rng.standard_normal((32, 8)).astype(np.float32)
    target = rng.standard_normal((32, 1)).astype(np.float32)
    x, y = tf.placeholder(tf.float32, [None, 8]), tf.placeholder(tf.float32, [None, 1])
    w = tf.Variable(rng.standard_normal((8, 1)).astype(np.float32) * 0.1)
    b = tf.Variable(np.zeros(1, np.float32))
    pred = (tf.matmul(x / 255.0, w) + b) * 2.0 - 0.5
    loss = tf.reduce_mean(tf.square(pred - y)) * 0.5
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(5):
            s.run(train, {x: data, y: target})
        return _bits({"w": s.run(w), "b": s.run(b), "loss": s.run(loss, {x: data, y: target})})


def case_integer_chains(tf):
    x = tf.placeholder(tf.int32, [4])
    with tf.Session() as s:
        return {"ints": s.run((x + 7) + 9, {x: np.arange(4, dtype=np.int32)}),
                "int_mul": s.run(3 * (x * 5), {x: np.arange(4, dtype=np.int32)})}
