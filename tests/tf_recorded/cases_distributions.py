"""Recorded cases: tf.distributions (TF1's Normal, Uniform, Bernoulli, Categorical, Exponential, Laplace, Gamma,
kl_divergence): graphs, values, seeded samples, static shapes and errors."""
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, kernel_error, run, sig


def _stats(tf, d, xs):
    """Signatures and values of every statistic and function of a value that d defines."""
    outs = [d.mean(), d.stddev(), d.variance(), d.entropy(), d.batch_shape_tensor(), d.event_shape_tensor()]
    for x in xs:
        outs += [d.log_prob(x), d.prob(x)]
    return [[sig(t) for t in outs], run(tf, outs), str(d.batch_shape), str(d.event_shape), d.name, d.dtype.name,
            str(d.reparameterization_type), d.allow_nan_stats, d.validate_args, sorted(d.parameters)]


def _cdfs(tf, d, xs):
    outs = [f(x) for x in xs for f in (d.cdf, d.log_cdf, d.survival_function, d.log_survival_function)]
    return [[sig(t) for t in outs], run(tf, outs)]


# ----- Normal ---------------------------------------------------------------------------------------------
def case_normal_graph(tf):
    d = tf.distributions.Normal(loc=[0.0, 1.0], scale=2.0)
    lp = d.log_prob(0.5)
    return [describe(tf), sig(lp), run(tf, [lp])]


def case_normal_stats(tf):
    d = tf.distributions.Normal(loc=np.array([[0.0, 1.0, -2.0]], np.float32), scale=[[0.5], [3.0]])
    x = np.array([0.3, -7.0, 40.0], np.float32)
    return [_stats(tf, d, [x, 1.0]), _cdfs(tf, d, [x, np.float32(-12.0)]), sig(d.mode()), run(tf, [d.mode()]),
            run(tf, [d.quantile([0.01, 0.5, 0.99])])]


def case_normal_float64_tails(tf):
    d = tf.distributions.Normal(np.float64(0.0), np.float64(1.0), name="n64")
    x = np.array([-40.0, -21.0, -19.0, -3.0, 0.0, 7.0, 9.0], np.float64)
    return [_cdfs(tf, d, [x]), run(tf, [d.quantile(np.array([0.0, 1e-30, 0.1, 0.9, 1.0]))])]


def case_normal_sample(tf):
    d = tf.distributions.Normal(loc=[0.0, 10.0], scale=[1.0, 0.1])
    outs = [d.sample(seed=3), d.sample(4, seed=5), d.sample([2, 3], seed=7, name="s23")]
    return [[sig(t) for t in outs], run(tf, outs), describe(tf)[-12:]]


def case_normal_sample_graph(tf):
    d = tf.distributions.Normal(0.0, 1.0)
    s = d.sample([2, 2], seed=1)
    return [describe(tf), run(tf, [s])]


def case_normal_placeholders(tf):
    loc = tf.placeholder(tf.float32, [None, 3])
    scale = tf.placeholder(tf.float32, None)
    n = tf.placeholder(tf.int32, [])
    d = tf.distributions.Normal(loc, scale)
    outs = [d.sample(n, seed=2), d.log_prob(0.0), d.batch_shape_tensor(), d.mean()]
    feed = {loc: np.arange(6, dtype=np.float32).reshape(2, 3), scale: np.float32(2.0), n: 2}
    return [[sig(t) for t in outs], str(d.batch_shape), run(tf, outs, feed)]


def case_normal_validate(tf):
    scale = tf.placeholder(tf.float32, [2])
    d = tf.distributions.Normal(0.0, scale, validate_args=True)
    return [describe(tf), kernel_error(tf, d.mean(), {scale: [1.0, -1.0]}), run(tf, [d.mean()], {scale: [1.0, 2.0]}),
            error_text(lambda: tf.distributions.Normal(0.0, [1.0, -1.0], validate_args=True))]


def case_normal_errors(tf):
    return [error_text(lambda: tf.distributions.Normal(np.float32(0.0), np.float64(1.0))),
            error_text(lambda: tf.distributions.Normal([0.0, 1.0], [1.0, 2.0, 3.0])),
            error_text(lambda: tf.distributions.Normal(0.0, 1.0).sample([[2]]))]


def case_normal_softplus_and_kl(tf):
    a = tf.distributions.Normal([0.0, 1.0], [1.0, 2.0])
    b = tf.distributions.Normal(0.5, 3.0, name="b")
    outs = [tf.distributions.kl_divergence(a, b), a.kl_divergence(b), a.cross_entropy(b),
            tf.distributions.kl_divergence(a, b, allow_nan_stats=False, name="kl2")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


# ----- Uniform --------------------------------------------------------------------------------------------
def case_uniform(tf):
    d = tf.distributions.Uniform(low=[0.0, -1.0], high=[[2.0], [3.0]])
    x = np.array([[-0.5, 0.5], [1.0, np.nan]], np.float32)
    s = d.sample(3, seed=11)
    return [_stats(tf, d, [x, 2.0]), _cdfs(tf, d, [x]), sig(s), run(tf, [s, d.range()]),
            error_text(d.mode)]


def case_uniform_graph_validate(tf):
    high = tf.placeholder(tf.float32, [2])
    d = tf.distributions.Uniform(1.0, high, validate_args=True)
    p = d.prob(1.5)
    return [describe(tf), kernel_error(tf, p, {high: [2.0, 0.5]}), run(tf, [p], {high: [2.0, 3.0]}),
            sig(tf.distributions.Uniform().sample(seed=1)),
            error_text(lambda: tf.distributions.Uniform(1.0, [2.0, 0.5], validate_args=True))]


# ----- Bernoulli ------------------------------------------------------------------------------------------
def case_bernoulli(tf):
    d = tf.distributions.Bernoulli(probs=[0.2, 0.7, 1.0])
    e = tf.distributions.Bernoulli(logits=[[-1.0], [3.0]], dtype=tf.float32)
    s = [d.sample(5, seed=4), e.sample([2], seed=9)]
    return [_stats(tf, d, [[1, 0, 1], 1]), _stats(tf, e, [[0.0, 1.0]]), [sig(t) for t in s], run(tf, s),
            run(tf, [d.mode(), e.mode(), d.logits, e.probs]), sig(d.mode())]


def case_bernoulli_graph_and_kl(tf):
    a = tf.distributions.Bernoulli(logits=[0.5, -2.0])
    b = tf.distributions.Bernoulli(probs=0.3)
    kl = tf.distributions.kl_divergence(a, b)
    return [describe(tf), sig(kl), run(tf, [kl])]


def case_bernoulli_validate(tf):
    probs = tf.placeholder(tf.float32, [2])
    event = tf.placeholder(tf.int32, [2])
    d = tf.distributions.Bernoulli(probs=probs, validate_args=True)
    lp = d.log_prob(event)
    return [describe(tf), kernel_error(tf, d.probs, {probs: [0.5, 1.5]}),
            kernel_error(tf, lp, {probs: [0.5, 0.5], event: [1, 2]}),
            run(tf, [lp], {probs: [0.5, 0.25], event: [1, 0]})]


def case_bernoulli_errors(tf):
    return [error_text(lambda: tf.distributions.Bernoulli()),
            error_text(lambda: tf.distributions.Bernoulli(logits=0.0, probs=0.5)),
            error_text(lambda: tf.distributions.Bernoulli(logits=[1, 2])),
            error_text(lambda: tf.distributions.Bernoulli(probs=[1, 2]))]


# ----- Categorical ----------------------------------------------------------------------------------------
def case_categorical(tf):
    logits = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]], np.float32))
    d = tf.distributions.Categorical(logits=logits)
    e = tf.distributions.Categorical(probs=[0.3, 0.3, 0.4], dtype=tf.int64)
    outs = [d.log_prob([2, 0]), d.prob(1), d.cdf([1, 3]), d.entropy(), d.mode(), e.log_prob([[0], [2]]),
            e.entropy(), e.mode(), e.cdf(2), d.event_size, d.batch_shape_tensor()]
    s = [d.sample(4, seed=6), e.sample([2, 2], seed=8)]
    return [[sig(t) for t in outs + s], run(tf, outs + s), str(d.batch_shape), str(e.batch_shape)]


def case_categorical_graph(tf):
    d = tf.distributions.Categorical(probs=[[0.2, 0.8], [0.6, 0.4]])
    lp = d.log_prob([0, 1])
    return [describe(tf), run(tf, [lp])]


def case_categorical_placeholder(tf):
    p = tf.placeholder(tf.float32, [None, None])
    d = tf.distributions.Categorical(logits=p)
    outs = [d.sample(3, seed=1), d.log_prob(1), d.entropy(), d.mode(), d.event_size]
    feed = {p: np.array([[0.0, 1.0, 2.0], [3.0, 0.0, 0.0]], np.float32)}
    return [describe(tf)[:12], [sig(t) for t in outs], run(tf, outs, feed)]


def case_categorical_kl_and_errors(tf):
    a = tf.distributions.Categorical(logits=[1.0, 2.0, 3.0])
    b = tf.distributions.Categorical(probs=[0.2, 0.2, 0.6])
    kl = tf.distributions.kl_divergence(a, b)
    return [sig(kl), run(tf, [kl]),
            error_text(lambda: tf.distributions.Categorical(logits=[1.0], validate_args=True)),
            error_text(lambda: tf.distributions.Categorical(logits=1.0)),
            error_text(lambda: a.log_prob(tf.constant([True])))]


def case_categorical_validate(tf):
    probs = tf.placeholder(tf.float32, [2])
    k = tf.placeholder(tf.float32, [])
    d = tf.distributions.Categorical(probs=probs, validate_args=True)
    lp = d.log_prob(k)
    return [describe(tf), kernel_error(tf, d.probs, {probs: [-0.5, 1.5]}),
            kernel_error(tf, lp, {probs: [0.5, 0.5], k: 1.5}), run(tf, [lp], {probs: [0.25, 0.75], k: 1.0})]


# ----- Exponential, Gamma, Laplace ------------------------------------------------------------------------
def case_exponential(tf):
    d = tf.distributions.Exponential(rate=[0.5, 2.0])
    s = d.sample([3], seed=12)
    return [_stats(tf, d, [[1.0, 3.0]]), _cdfs(tf, d, [[0.5, 4.0]]), sig(s), run(tf, [s, d.mode()]),
            describe(tf)[:8]]


def case_gamma(tf):
    d = tf.distributions.Gamma(concentration=[0.5, 2.0, 5.0], rate=[[1.0], [3.0]])
    s = d.sample(2, seed=13)
    return [_stats(tf, d, [[0.5, 1.0, 2.0]]), _cdfs(tf, d, [[0.5, 1.0, 2.0]]), sig(s), run(tf, [s, d.mode()])]


def case_gamma_graph_kl(tf):
    a = tf.distributions.Gamma(2.0, 3.0)
    c = tf.placeholder(tf.float32, [2])
    b = tf.distributions.Gamma(c, 1.0, allow_nan_stats=False)
    kl = tf.distributions.kl_divergence(a, b)
    m = b.mode()
    return [describe(tf), run(tf, [kl, m], {c: [2.0, 4.0]}), kernel_error(tf, m, {c: [1.0, 4.0]})]


def case_gamma_validate(tf):
    c = tf.placeholder(tf.float32, [2])
    x = tf.placeholder(tf.float32, [])
    d = tf.distributions.Gamma(c, 1.0, validate_args=True)
    e = tf.distributions.Gamma(1.0, 1.0, validate_args=True, name="g")
    return [kernel_error(tf, d.mean(), {c: [1.0, -1.0]}), kernel_error(tf, e.log_prob(x), {x: -1.0}),
            error_text(lambda: e.log_prob(np.float64(1.0)))]


def case_laplace(tf):
    d = tf.distributions.Laplace(loc=[0.0, 2.0], scale=[[1.0], [0.5]])
    s = d.sample(3, seed=14)
    x = np.array([-1.0, 2.5], np.float32)
    return [_stats(tf, d, [x]), _cdfs(tf, d, [x, np.float32(-50.0)]), sig(s), run(tf, [s, d.mode()]),
            describe(tf)[:8]]


# ----- base class -----------------------------------------------------------------------------------------
def case_base_class(tf):
    ds = tf.distributions
    d = ds.Normal(0.0, [1.0, 2.0], name="nn")
    e = ds.Normal(0.0, 1.0, name="nn")
    shapes = ds.Normal.param_static_shapes([2, 3])
    return [d.name, e.name, repr(ds.FULLY_REPARAMETERIZED), repr(ds.NOT_REPARAMETERIZED),
            ds.FULLY_REPARAMETERIZED == ds.NOT_REPARAMETERIZED, str(d), repr(d),
            {k: str(v) for k, v in shapes.items()}, run(tf, [d.is_scalar_batch(), e.is_scalar_batch(),
                                                        d.is_scalar_event()]),
            issubclass(ds.Exponential, ds.Gamma), issubclass(ds.Normal, ds.Distribution),
            error_text(lambda: ds.kl_divergence(d, ds.Uniform())),
            error_text(lambda: ds.RegisterKL(ds.Normal, ds.Normal)(lambda a, b, name=None: None), 55),
            error_text(lambda: ds.RegisterKL(ds.Normal, ds.Uniform)(3)),
            error_text(lambda: ds.Bernoulli(probs=0.5).cdf(1)),
            sorted(d.copy(loc=1.0).parameters)]


# ----- Beta, StudentT -------------------------------------------------------------------------------------
def case_beta(tf):
    d = tf.distributions.Beta(concentration1=[0.5, 2.0, 3.0], concentration0=[[2.0], [0.7]])
    x = np.array([0.1, 0.5, 0.9], np.float32)
    s = [d.sample(2, seed=15), tf.distributions.Beta(2.0, 3.0, name="b").sample([3], seed=None)]
    e = tf.distributions.Beta([0.5, 2.0, 3.0], [2.0, 0.7, 1.0], name="e")
    return [_stats(tf, d, [x]), _cdfs(tf, e, [x]), [sig(t) for t in s], run(tf, [s[0], d.mode()]),
            describe(tf)[:12], error_text(lambda: d.cdf(x))]


def case_beta_graph_kl(tf):
    a = tf.distributions.Beta(2.0, 3.0)
    c = tf.placeholder(tf.float32, [2])
    b = tf.distributions.Beta(c, 1.5, allow_nan_stats=False)
    kl = tf.distributions.kl_divergence(a, b)
    m = b.mode()
    return [describe(tf), run(tf, [kl, m], {c: [2.0, 4.0]}), kernel_error(tf, m, {c: [1.0, 4.0]})]


def case_beta_validate(tf):
    c = tf.placeholder(tf.float32, [2])
    x = tf.placeholder(tf.float32, [])
    d = tf.distributions.Beta(c, 1.0, validate_args=True)
    e = tf.distributions.Beta(2.0, 2.0, validate_args=True, name="e")
    return [kernel_error(tf, d.mean(), {c: [1.0, -1.0]}), kernel_error(tf, e.log_prob(x), {x: 1.5}),
            run(tf, [e.log_prob(x)], {x: 0.25}), describe(tf)[:10]]


def case_student_t(tf):
    d = tf.distributions.StudentT(df=[0.5, 1.5, 3.0], loc=[[0.0], [1.0]], scale=2.0)
    x = np.array([-1.0, 0.5, 4.0], np.float32)
    s = d.sample(2, seed=16)
    e = tf.distributions.StudentT(df=[0.5, 1.5, 3.0], loc=1.0, scale=[2.0, 1.0, 0.5], name="e")
    return [_stats(tf, d, [x]), run(tf, [e.cdf(x), e.survival_function(x), e.log_cdf(x)]), sig(s),
            run(tf, [s, d.mode()]), describe(tf)[:10], error_text(lambda: d.cdf(x))]


def case_student_t_graph(tf):
    d = tf.distributions.StudentT(3.0, 0.0, 1.0)
    outs = [d.sample([2], seed=17), d.entropy()]
    return [describe(tf), run(tf, outs)]


def case_student_t_nan_stats(tf):
    df = tf.placeholder(tf.float32, [2])
    d = tf.distributions.StudentT(df, 0.0, 1.0, allow_nan_stats=False)
    v = tf.distributions.StudentT(df, 0.0, 1.0, validate_args=True, name="v")
    outs = [d.mean(), d.variance()]
    return [[sig(t) for t in outs], run(tf, outs, {df: [3.0, 5.0]}), kernel_error(tf, outs[0], {df: [1.0, 3.0]}),
            kernel_error(tf, outs[1], {df: [0.5, 3.0]}), kernel_error(tf, v.mode(), {df: [-1.0, 3.0]})]


# ----- Dirichlet ------------------------------------------------------------------------------------------
def case_dirichlet(tf):
    d = tf.distributions.Dirichlet([[1.5, 2.0, 3.0], [0.5, 4.0, 1.0]])
    x = np.array([0.2, 0.3, 0.5], np.float32)
    s = d.sample(2, seed=18)
    e = tf.distributions.Dirichlet([1.5, 2.0, 3.0], name="e")
    outs = [d.covariance(), e.mode(), e.covariance(), s]
    return [_stats(tf, d, [x]), [sig(t) for t in outs], run(tf, outs), describe(tf)[:8], error_text(d.mode)]


def case_dirichlet_graph_kl(tf):
    a = tf.distributions.Dirichlet([1.0, 2.0])
    c = tf.placeholder(tf.float32, [None, 2])
    b = tf.distributions.Dirichlet(c, allow_nan_stats=False)
    kl = tf.distributions.kl_divergence(a, b)
    m = b.mode()
    feed = {c: [[2.0, 3.0], [4.0, 1.5]]}
    return [describe(tf), [sig(t) for t in (kl, m)], str(b.batch_shape), str(b.event_shape), run(tf, [kl, m], feed),
            kernel_error(tf, m, {c: [[1.0, 3.0]]})]


def case_dirichlet_validate(tf):
    c = tf.placeholder(tf.float32, None)
    x = tf.placeholder(tf.float32, [2])
    d = tf.distributions.Dirichlet(c, validate_args=True)
    e = tf.distributions.Dirichlet([2.0, 2.0], validate_args=True, name="e")
    return [kernel_error(tf, d.mean(), {c: [1.0, -1.0]}), kernel_error(tf, d.mean(), {c: [1.0]}),
            kernel_error(tf, e.log_prob(x), {x: [-0.5, 1.5]}), run(tf, [e.log_prob(x)], {x: [0.25, 0.75]})]


# ----- Multinomial, DirichletMultinomial ------------------------------------------------------------------
def case_multinomial(tf):
    d = tf.distributions.Multinomial(total_count=[4.0, 6.0], probs=[[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]])
    counts = np.array([[1.0, 1.0, 2.0], [3.0, 2.0, 1.0]], np.float32)
    outs = [d.mean(), d.variance(), d.covariance(), d.log_prob(counts), d.prob(counts), d.batch_shape_tensor(),
            d.event_shape_tensor()]
    return [[sig(t) for t in outs], run(tf, outs), str(d.batch_shape), str(d.event_shape), error_text(d.entropy)]


def case_multinomial_sample(tf):
    # one batch member: TF's map_fn runs members' draws in parallel from one Philox stream (order not fixed)
    d = tf.distributions.Multinomial(total_count=3.0, logits=[0.0, 1.0, 2.0])
    s = d.sample(2, seed=19)
    return [sig(s), run(tf, [s]), [[op.name, op.type] for op in tf.get_default_graph().get_operations()][:40]]


def case_multinomial_validate(tf):
    c = tf.placeholder(tf.float32, [3])
    d = tf.distributions.Multinomial(total_count=4.0, probs=[0.2, 0.3, 0.5], validate_args=True)
    lp = d.log_prob(c)
    cls, text = kernel_error(tf, lp, {c: [1.0, 1.0, 1.0]})
    # log_prob checks the sum in two places (two asserts of one condition), and the counts' integer form in two:
    # which of them fails first is the executor's choice, in TF as here, so the messages are kept without their
    # names' numbers
    text = re.sub(r"assert_equal_\d+", "assert_equal", re.sub(r"Sum(_\d+)?:0", "Sum:0", text))
    cls2, text2 = kernel_error(tf, lp, {c: [1.5, 1.5, 1.0]})
    text2 = re.sub(r"embed_check_nonnegative_integer_form_\d+", "embed_check_nonnegative_integer_form", text2)
    return [[cls, text], [cls2, text2], run(tf, [lp], {c: [1.0, 1.0, 2.0]}), describe(tf)[:12]]


def case_dirichlet_multinomial(tf):
    d = tf.distributions.DirichletMultinomial(total_count=[[5.0], [2.0]], concentration=[[1.0, 2.0, 3.0], [0.5, 0.5, 1.0]])
    counts = np.array([[1.0, 2.0, 2.0], [0.0, 1.0, 1.0]], np.float32)
    s = tf.distributions.DirichletMultinomial(4.0, [[1.0, 2.0, 3.0], [0.5, 0.5, 1.0]], name="e").sample(3, seed=20)
    outs = [d.mean(), d.variance(), d.covariance(), d.log_prob(counts), d.prob(counts), s]
    return [[sig(t) for t in outs], run(tf, outs), str(d.batch_shape), str(d.event_shape), describe(tf)[:10],
            error_text(lambda: d.sample(seed=1))]


def case_dirichlet_multinomial_validate(tf):
    c = tf.placeholder(tf.float32, [2])
    d = tf.distributions.DirichletMultinomial(3.0, [1.0, 2.0], validate_args=True)
    lp = d.log_prob(c)
    return [kernel_error(tf, lp, {c: [1.0, 1.0]}), run(tf, [lp], {c: [1.0, 2.0]}),
            error_text(lambda: tf.distributions.DirichletMultinomial(3.0, [1.0], validate_args=True))]
