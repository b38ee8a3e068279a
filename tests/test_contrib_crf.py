"""tf.contrib.crf against brute force: every tag sequence of small problems enumerated in numpy."""
import itertools

import numpy as np
import pytest


def _score(unary, trans, tags):
    return sum(unary[t, y] for t, y in enumerate(tags)) + sum(trans[a, b] for a, b in itertools.pairwise(tags))


def _brute(unary, trans, length):
    """(all tag sequences of `length`, their scores) for one example."""
    seqs = list(itertools.product(range(unary.shape[1]), repeat=length))
    return seqs, np.array([_score(unary, trans, s) for s in seqs])


def _logsumexp(x):
    return x.max() + np.log(np.exp(x - x.max()).sum())


def _problem(seed, batch, time, tags, lengths):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((batch, time, tags)).astype(np.float32),
            rng.integers(0, tags, (batch, time)).astype(np.int32), np.array(lengths, np.int32),
            rng.standard_normal((tags, tags)).astype(np.float32))


def _expected(unary, gold, lengths, trans):
    """Per example: log-likelihood, best score, best tags; and d(sum of log-likelihoods)/d transitions."""
    ll, best, best_tags, grad = [], [], [], np.zeros_like(trans, dtype=np.float64)
    for u, g, n in zip(unary, gold, lengths):
        seqs, scores = _brute(u, trans, n)
        log_z = _logsumexp(scores)
        ll.append(_score(u, trans, tuple(g[:n])) - log_z)
        best.append(scores.max())
        best_tags.append(seqs[int(scores.argmax())])
        for a, b in itertools.pairwise(g[:n]):  # gold transition counts minus their expectation
            grad[a, b] += 1
        for s, p in zip(seqs, np.exp(scores - log_z)):
            for a, b in itertools.pairwise(s):
                grad[a, b] -= p
    return np.array(ll), np.array(best), best_tags, grad


@pytest.mark.parametrize("shape_known", [True, False])
@pytest.mark.parametrize("tag_dtype", ["int32", "int64"])
def test_log_likelihood_decode_and_gradient_match_brute_force(rtf, shape_known, tag_dtype):
    tf = rtf
    unary, gold, lengths, trans = _problem(1, 4, 5, 3, [5, 3, 1, 4])
    x = tf.placeholder(tf.float32, [4, 5, 3] if shape_known else [None, None, 3])
    t = tf.placeholder(getattr(tf, tag_dtype), [None, None])
    n = tf.placeholder(tf.int32, [None])
    transitions = tf.Variable(trans)
    ll, _ = tf.contrib.crf.crf_log_likelihood(x, t, n, transitions)
    tags, score = tf.contrib.crf.crf_decode(x, transitions, n)
    (grad,) = tf.gradients(tf.reduce_sum(ll), [transitions])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        got = s.run([ll, tags, score, grad], {x: unary, t: gold.astype(tag_dtype), n: lengths})
    want_ll, want_best, want_tags, want_grad = _expected(unary, gold, lengths, trans)
    np.testing.assert_allclose(got[0], want_ll, rtol=1e-5, atol=1e-5)
    for row, want, length in zip(got[1], want_tags, lengths):
        assert tuple(row[:length]) == want
    np.testing.assert_allclose(got[2], want_best, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got[3], want_grad, rtol=1e-4, atol=1e-5)


def test_single_step_and_numpy_viterbi(rtf):
    tf = rtf
    unary, gold, lengths, trans = _problem(2, 3, 1, 4, [1, 1, 1])
    ll, _ = tf.contrib.crf.crf_log_likelihood(tf.constant(unary), tf.constant(gold), tf.constant(lengths),
                                              tf.constant(trans))
    tags, score = tf.contrib.crf.crf_decode(tf.constant(unary), tf.constant(trans), tf.constant(lengths))
    with tf.Session() as s:
        got = s.run([ll, tags, score])
    want_ll, want_best, want_tags, _ = _expected(unary, gold, lengths, trans)
    np.testing.assert_allclose(got[0], want_ll, rtol=1e-5, atol=1e-6)
    assert [tuple(r) for r in got[1]] == want_tags
    np.testing.assert_allclose(got[2], want_best, rtol=1e-6)
    unary, _, _, trans = _problem(3, 1, 6, 3, [6])
    seq, best = tf.contrib.crf.viterbi_decode(unary[0], trans)
    _, want_best, want_tags, _ = _expected(unary, np.zeros((1, 6), np.int32), [6], trans)
    assert tuple(seq) == want_tags[0] and np.isclose(best, want_best[0])


def test_multitag_score_sums_the_allowed_sequences(rtf):
    tf = rtf
    unary, _, lengths, trans = _problem(4, 2, 4, 3, [4, 2])
    bitmap = np.random.default_rng(5).random((2, 4, 3)) > 0.4
    bitmap[:, :, 0] = True  # at least one allowed tag per step
    got_t = tf.contrib.crf.crf_multitag_sequence_score(tf.constant(unary), tf.constant(bitmap), tf.constant(lengths),
                                                       tf.constant(trans))
    with tf.Session() as s:
        got = s.run(got_t)
    for g, u, b, n in zip(got, unary, bitmap, lengths):
        seqs, scores = _brute(u, trans, n)
        allowed = [all(b[i, y] for i, y in enumerate(sq)) for sq in seqs]
        np.testing.assert_allclose(g, _logsumexp(scores[allowed]), rtol=1e-5)
