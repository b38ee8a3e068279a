"""Recorded cases: tf.random beyond uniform/normal (categorical, gamma, Poisson, shuffle, random_crop, the
stateless ops, split/fold_in, Generator, the unigram samplers' shapes): graphs and TF's values, bit for bit."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run, sig  # noqa: E402

LOGITS = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25], [1.0, 1e-3, 3.0]], np.float32))


def _values(tf, outs):
    with tf.Session() as s:
        first = s.run(outs)
        second = s.run(outs)
    return [[np.asarray(v).dtype.name, np.asarray(v).tolist()] for v in first + second]


def case_categorical_graph_and_values(tf):
    tf.set_random_seed(11)
    outs = [tf.random.categorical(LOGITS, 9), tf.multinomial(LOGITS, 5, output_dtype=tf.int32),
            tf.random.categorical(tf.constant(LOGITS, tf.float64), 1, seed=2),
            tf.random.multinomial([[0.0, -np.inf, 1.0]], 6, seed=3), tf.random.categorical(LOGITS, 0)]
    return [describe(tf), [sig(t) for t in outs], _values(tf, outs)]


def case_categorical_shapes_and_errors(tf):
    p = tf.placeholder(tf.float32, [None, 4])
    n = tf.placeholder(tf.int32, [])
    outs = [tf.random.categorical(p, 3), tf.random.categorical(p, n), tf.multinomial(p, 2, name="m")]
    errs = [error(lambda: tf.random.categorical(tf.zeros([3]), 2)),
            error(lambda: tf.random.categorical(tf.zeros([2, 3]), 2, dtype=tf.float32))]
    with tf.Session() as s:
        errs.append(error(lambda: s.run(tf.random.categorical(p, -1), {p: np.zeros((1, 4))})))
    return [[sig(t) for t in outs], errs]


def case_gamma_graph_and_values(tf):
    tf.set_random_seed(5)
    outs = [tf.random.gamma([4], [0.5, 1.0, 2.5, 30.0]), tf.random_gamma([2, 3], 3.0, beta=[[1.0], [2.0]], seed=1),
            tf.random.gamma([3], [[0.2], [1.5]], dtype=tf.float64, seed=2), tf.random.gamma([5], 1.0, seed=3)]
    return [describe(tf), [sig(t) for t in outs], _values(tf, outs)]


def case_gamma_gradient(tf):
    a = tf.constant([0.5, 1.0, 2.5, 7.0], tf.float64)
    g = tf.random.gamma([3], a, dtype=tf.float64, seed=4)
    grad = tf.gradients(tf.reduce_sum(g * g), a)[0]
    return [sig(grad), run(tf, [g, grad])]


def case_poisson_graph_and_values(tf):
    tf.set_random_seed(6)
    outs = [tf.random.poisson([0.5, 3.0, 9.9, 10.0, 55.0], [3]), tf.random_poisson(4.0, [2, 2], dtype=tf.int64),
            tf.random.poisson(tf.constant([[1.5], [250.0]], tf.float32), [4], seed=7, dtype=tf.float64)]
    return [describe(tf), [sig(t) for t in outs], _values(tf, outs)]


def case_shuffle_and_crop(tf):
    tf.set_random_seed(8)
    img = tf.reshape(tf.range(5 * 6 * 2), [5, 6, 2])
    outs = [tf.random.shuffle(tf.range(12)), tf.random_shuffle(tf.reshape(tf.range(10), [5, 2]), seed=1),
            tf.random_crop(img, [3, 4, 2]), tf.image.random_crop(img, [2, 2, 1], seed=4)]
    return [describe(tf), [sig(t) for t in outs], _values(tf, outs)]


def case_random_crop_errors(tf):
    p = tf.placeholder(tf.float32, [None, 4])
    c = tf.random_crop(p, [2, 3])
    with tf.Session() as s:
        bad = error(lambda: s.run(c, {p: np.zeros((1, 4))}))
    return [sig(c), bad]


def case_stateless_graph_and_values(tf):
    seed = [7, 17]
    outs = [tf.random.stateless_uniform([2, 3], seed), tf.random.stateless_uniform([3], seed, -2.0, 5.0, tf.float64),
            tf.random.stateless_uniform([4], seed, 3, 11, tf.int32), tf.random.stateless_uniform([4], [1, 2], -5, 2 ** 40,
                                                                                                tf.int64),
            tf.random.stateless_uniform([3], seed, None, None, tf.int32),
            tf.random.stateless_uniform([3], seed, None, None, tf.uint64),
            tf.random.stateless_normal([5], seed), tf.random.stateless_normal([3], [0, 0], 1.0, 2.0, tf.float64),
            tf.random.stateless_truncated_normal([6], seed), tf.random.stateless_uniform([3], seed, dtype=tf.float16)]
    return [describe(tf), [sig(t) for t in outs], _values(tf, outs)]


def case_stateless_seed_tensors(tf):
    s = tf.placeholder(tf.int64, [2])
    u = tf.random.stateless_uniform([3], s)
    n = tf.random.stateless_normal([2, 2], tf.constant([-1, 2 ** 40], tf.int64))
    with tf.Session() as sess:
        vals = [sess.run(u, {s: [1, 2]}), sess.run(u, {s: [1, 2]}), sess.run(u, {s: [2, 1]}), sess.run(n)]
    return [sig(u), [v.tolist() for v in vals]]


def case_stateless_samplers(tf):
    seed = [3, 4]
    outs = [tf.random.stateless_categorical(LOGITS, 6, seed), tf.random.stateless_multinomial(LOGITS, 4, [5, 6],
                                                                                              output_dtype=tf.int32),
            tf.random.stateless_gamma([3, 4], seed, alpha=[0.5, 1.0, 2.5, 30.0]),
            tf.random.stateless_gamma([2, 2], seed, alpha=2.0, beta=[1.0, 3.0], dtype=tf.float64),
            tf.random.stateless_poisson([3, 4], seed, lam=[0.5, 3.0, 12.0, 80.0]),
            tf.random.stateless_poisson([2], seed, lam=4.0, dtype=tf.float32)]
    return [describe(tf), [sig(t) for t in outs], _values(tf, outs)]


def case_stateless_stable_shapes(tf):
    seed = [3, 4]
    b = tf.random.stateless_binomial([2, 3], seed, counts=[10.0, 20.0, 30.0], probs=0.5)
    t = tf.random.stateless_parameterized_truncated_normal([4], seed, 1.0, 2.0, 0.0, 3.0)
    with tf.Session() as s:
        vb, vt = s.run([b, t])
        again = s.run([b, t])
    return [sig(b), sig(t), bool(np.all((vb >= 0) & (vb <= [10, 20, 30]))), bool(np.all((vt >= 0) & (vt <= 3))),
            bool(np.array_equal(vb, again[0]) and np.array_equal(vt, again[1]))]


def case_stateless_errors(tf):
    errs = [error(lambda: tf.random.stateless_uniform([2], [1, 2, 3])),
            error(lambda: tf.random.stateless_uniform([2], [1, 2], minval=1, dtype=tf.int32)),
            error(lambda: tf.random.stateless_uniform([2], [1, 2], 0, 5, dtype=tf.uint32)),
            error(lambda: tf.random.stateless_uniform([2], [1, 2], dtype=tf.bool))]
    p = tf.placeholder(tf.int32, [None])
    u = tf.random.stateless_uniform([2], p)
    with tf.Session() as s:
        errs.append(error(lambda: s.run(u, {p: [1, 2, 3]})))
    return errs


def case_split_and_fold_in(tf):
    a = tf.random.split([1, 2])
    b = tf.random.split(tf.constant([3, 4], tf.int64), 3)
    c = tf.random.fold_in([1, 2], 7)
    d = tf.random.fold_in(tf.constant([5, 6], tf.int64), tf.constant(9, tf.int64))
    return [describe(tf), [sig(t) for t in (a, b, c, d)], run(tf, [a, b, c, d])]


def case_generator(tf):
    g = tf.random.Generator.from_seed(1234)
    outs = [g.normal([3]), g.uniform([2]), g.uniform([3], 0, 10, tf.int32), g.truncated_normal([2], dtype=tf.float64),
            g.uniform_full_int([2], tf.int64)]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        first = [s.run(t) for t in outs]  # one draw per run: draws in one run read the state in any order
        state = s.run(g.state)
        second = s.run(outs[0])
    return [g.algorithm, [np.asarray(v).tolist() for v in first], state.tolist(), second.tolist()]


def case_create_rng_state_and_algorithm(tf):
    states = [tf.random.create_rng_state(1234, "philox"), tf.random.create_rng_state(2 ** 70 + 5, 1),
              tf.random.create_rng_state(-1, tf.random.Algorithm.PHILOX)]
    return [[a.name for a in tf.random.Algorithm], [a.value for a in tf.random.Algorithm], run(tf, states)]


def case_candidate_samplers_in_random(tf):
    true = tf.constant([[0, 1], [2, 3]], tf.int64)
    outs = [tf.random.fixed_unigram_candidate_sampler(true, 2, 3, True, 5, unigrams=[1, 2, 3, 4, 5], seed=1),
            tf.random.learned_unigram_candidate_sampler(true, 2, 3, False, 6, seed=2),
            tf.random.uniform_candidate_sampler(true, 2, 3, True, 10, seed=3),
            tf.random.log_uniform_candidate_sampler(true, 2, 3, False, 10, seed=4),
            tf.random.all_candidate_sampler(true, 2, 4, True)]
    with tf.Session() as s:
        vals = s.run(outs)
    fixed, learned = vals[0], vals[1]
    return [[[sig(t) for t in o] for o in outs], list(fixed[0].shape), [list(v[0].shape) for v in vals],
            learned[1].tolist(), vals[2][0].tolist(), vals[3][0].tolist()]


def case_stateless_gamma_gradient(tf):
    a = tf.constant([[0.5, 1.0, 2.5], [7.0, 0.2, 3.0]], tf.float64)
    g = tf.random.stateless_gamma([4, 2, 3], [5, 6], alpha=a, dtype=tf.float64)
    grad = tf.gradients(tf.reduce_sum(g * g), a)[0]
    binom = tf.random.stateless_poisson([3], [1, 2], lam=tf.constant([2.0, 3.0, 4.0]))
    return [sig(grad), run(tf, [g, grad]), error(lambda: tf.gradients(tf.reduce_sum(binom), binom.op.inputs[2]))]


def case_stateless_binomial_values(tf):
    outs = [tf.random.stateless_binomial([5, 6], [3, 4], counts=[1., 5., 20., 100., 40., 0.],
                                         probs=[0.3, 0.9, 0.5, 0.2, 0.8, 0.5]),
            tf.random.stateless_binomial([3, 2, 2], [1, 2], counts=[[10.], [50.]], probs=np.array([0.1, 0.7], np.float32),
                                         output_dtype=tf.float32),
            tf.random.stateless_binomial([4], [7, 7], counts=1000., probs=0.01, output_dtype=tf.int64)]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_generator_reset_and_seeds(tf):
    g = tf.random.Generator.from_seed(99)
    draw = g.uniform([3])
    seeds = g.make_seeds(2)
    resets = [g.reset_from_seed(99), g.reset_from_key_counter(5, [1, 2]), g.reset([1, 2, 3])]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        first = s.run(draw)
        made = s.run(seeds)
        state = s.run(g.state)
    return [first.tolist(), made.tolist(), state.tolist(), resets, sig(seeds)]
