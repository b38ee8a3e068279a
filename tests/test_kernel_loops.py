"""Kernels' compiled loops (raygraph/ops/kernel_loops.py) against their numpy way: ReluGrad, Select and MaxPoolGrad to
the bit, the cross entropies to float rounding (numba's exp and log are libm's, numpy's its own SIMD loops)."""
import itertools
import platform
import re

import numpy as np
import pytest

from raygraph.errors import InvalidArgumentError
from raygraph.ops import candidate_sampling, compiled, nn, pooling, slicing, training


def _both(kernel, args, monkeypatch):
    """kernel({}, *args) the numpy way (COMPILED out of reach) and the compiled way (every size compiled)."""
    monkeypatch.setattr(compiled, "COMPILED", 1 << 62)
    plain = kernel({}, *args)
    monkeypatch.setattr(compiled, "COMPILED", 0)
    return plain, kernel({}, *args)


def _logits(shape, dtype, seed):
    x = np.random.default_rng(seed).standard_normal(shape) * 4
    flat = x.reshape(-1)
    flat[:2] = [80.0, -80.0][:flat.size]   # far apart: exp underflows there
    return x.astype(dtype)


@pytest.mark.parametrize("shape", [(1, 1), (3, 1), (4, 2), (128, 10), (5, 1000), (2, 9000)])
def test_softmax_cross_entropy_loop_matches_numpy(shape, monkeypatch):
    dtype = np.float32
    rng = np.random.default_rng(shape[1])
    labels = rng.random(shape).astype(dtype)
    labels /= labels.sum(axis=1, keepdims=True)
    (loss, back), (loss_c, back_c) = _both(nn._xent_kernel, (_logits(shape, dtype, 1), labels), monkeypatch)
    assert loss_c.dtype == dtype and loss_c.shape == shape[:1] and back_c.dtype == dtype and back_c.shape == shape
    tol = 4 * np.finfo(dtype).eps
    np.testing.assert_allclose(loss_c, loss, rtol=tol, atol=tol)
    np.testing.assert_allclose(back_c, back, rtol=tol, atol=tol)


def test_softmax_cross_entropy_of_one_class_is_plus_zero_and_nan_spreads_along_its_row(monkeypatch):
    logits = np.array([[3.0], [-2.0]], np.float32)
    (_, _), (loss, back) = _both(nn._xent_kernel, (logits, np.ones_like(logits)), monkeypatch)
    assert np.array_equal(loss, [0, 0]) and not np.signbit(loss).any() and np.array_equal(back, [[0], [0]])
    logits = np.zeros((2, 3), np.float32)
    logits[0, 1] = np.nan
    (loss, back), (loss_c, back_c) = _both(nn._xent_kernel, (logits, np.full_like(logits, 1 / 3)), monkeypatch)
    assert np.isnan(loss_c[0]) and np.isnan(back_c[0]).all() and not np.isnan(loss_c[1])
    np.testing.assert_array_equal(np.isnan(back_c), np.isnan(back))


@pytest.mark.parametrize("label_type", [np.int32, np.int64])
@pytest.mark.parametrize("shape", [(1, 1), (4, 2), (64, 10), (3, 1000)])
def test_sparse_softmax_cross_entropy_loop_matches_numpy(shape, label_type, monkeypatch):
    dtype = np.float32
    labels = np.random.default_rng(shape[0]).integers(0, shape[1], shape[0]).astype(label_type)
    (loss, back), (loss_c, back_c) = _both(nn._sparse_xent_kernel, (_logits(shape, dtype, 2), labels), monkeypatch)
    assert loss_c.dtype == dtype and loss_c.shape == shape[:1] and back_c.dtype == dtype and back_c.shape == shape
    tol = 4 * np.finfo(dtype).eps
    np.testing.assert_allclose(loss_c, loss, rtol=tol, atol=tol)
    np.testing.assert_allclose(back_c, back, rtol=tol, atol=tol)


@pytest.mark.parametrize("bad", [-1, 10])
def test_sparse_softmax_cross_entropy_loop_reports_a_label_out_of_range_as_numpy_does(bad, monkeypatch):
    labels = np.array([1, 2, bad, 3], np.int64)
    errors = []
    for least in (1 << 62, 0):
        monkeypatch.setattr(compiled, "COMPILED", least)
        with pytest.raises(InvalidArgumentError) as e:
            nn._sparse_xent_kernel({}, _logits((4, 10), np.float32, 3), labels)
        errors.append(str(e.value))
    assert errors[0] == errors[1] and f"Received a label value of {bad} which is outside the valid range of [0, 10)" \
        in errors[1]


def test_relu_grad_loop_gives_numpys_bits(monkeypatch):
    rng, dtype = np.random.default_rng(4), np.float32
    g, y = rng.standard_normal((33, 65)).astype(dtype), np.maximum(rng.standard_normal((33, 65)), 0).astype(dtype)
    g[0, :4], y[0, :4] = [np.nan, -1.0, np.inf, -np.inf], [0, 0, 0, 0]   # NaN stays, -1 * 0 is -0, inf * 0 NaN
    with np.errstate(invalid="ignore"):
        plain, compiled = _both(nn._relu_grad_kernel, (g, y), monkeypatch)
    assert compiled.dtype == dtype and compiled.shape == g.shape
    np.testing.assert_array_equal(compiled.view(f"i{g.itemsize}"), plain.view(f"i{g.itemsize}"))


@pytest.mark.parametrize("shape", [(1, 8), (3, 1), (2, 2, 2, 64), (7, 3, 5), (100003, 19), (16, 30, 30, 32)])
def test_bias_add_grad_loop_gives_numpys_bits(shape, monkeypatch):
    """Sums over the leading axes, a row after another from +0 as numpy's (and TF's BiasAddGrad): the same bits,
    signed zeros included (a column of -0 sums to +0)."""
    rng = np.random.default_rng(len(shape))
    g = (rng.standard_normal(shape) * 10.0 ** rng.uniform(-4, 4, shape)).astype(np.float32)
    g.reshape(-1)[::7] = -0.0
    g[..., 0] = -0.0
    plain, compiled = _both(nn._bias_add_grad_kernel, (g,), monkeypatch)
    assert compiled.dtype == np.float32 and compiled.shape == (shape[-1],) and not np.signbit(compiled[0])
    np.testing.assert_array_equal(compiled.view(np.int32), plain.view(np.int32))
    nchw = nn._bias_add_grad_kernel({"data_format": "NCHW"}, g) if g.ndim > 2 else None   # (numpy's way there)
    if nchw is not None:
        np.testing.assert_array_equal(nchw, np.sum(g, axis=(0,) + tuple(range(2, g.ndim)), dtype=g.dtype))


def test_kernels_keep_numpys_way_for_what_the_loops_do_not_take(monkeypatch):
    """Broadcast labels, float64, float16, a transposed (not C-ordered) operand: the numpy way, same values."""
    logits = _logits((8, 4), np.float32, 5)
    monkeypatch.setattr(compiled, "COMPILED", 1 << 62)
    ref, ref_back = nn._xent_kernel({}, logits, np.full((8, 4), 0.25, np.float32))
    monkeypatch.setattr(compiled, "COMPILED", 0)
    calls = []
    monkeypatch.setattr(compiled, "loops", lambda: calls.append(1))   # (None: a loop called would fail the test)
    loss, back = nn._xent_kernel({}, logits, np.full((1, 4), 0.25, np.float32))
    np.testing.assert_allclose(loss, ref, rtol=1e-6)
    np.testing.assert_allclose(back, ref_back, rtol=1e-6, atol=1e-7)
    g = np.arange(-8, 8, dtype=np.float16).reshape(4, 4)
    assert nn._relu_grad_kernel({}, g, g).dtype == np.float16
    t = np.asarray(logits.T)
    np.testing.assert_array_equal(nn._relu_grad_kernel({}, t, t), t * (t > 0))
    wide = logits.astype(np.float64)
    loss, _ = nn._xent_kernel({}, wide, np.full((8, 4), 0.25))
    np.testing.assert_allclose(loss, ref, rtol=1e-6)
    assert loss.dtype == np.float64 and not calls


def test_kernels_run_their_loops_from_compiled_elements(monkeypatch):
    calls = []
    real = compiled.loops()
    monkeypatch.setattr(compiled, "loops", lambda: calls.append(1) or real)
    logits = _logits((64, 8), np.float32, 6)   # 512 elements: COMPILED
    nn._xent_kernel({}, logits, np.full_like(logits, 0.125))
    nn._sparse_xent_kernel({}, logits, np.zeros(64, np.int32))
    nn._relu_grad_kernel({}, logits, logits)
    assert len(calls) == 3
    nn._xent_kernel({}, logits[:63], np.full_like(logits[:63], 0.125))
    assert len(calls) == 3


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int8, np.bool_, np.float16])
@pytest.mark.parametrize("per_row", [False, True])
def test_select_loop_copies_the_chosen_bits(dtype, per_row, monkeypatch):
    """Select's compiled loop against its numpy way: the same bits (NaN payloads, -0.0), a condition of the
    values' shape or one per row."""
    rng = np.random.default_rng(7)
    x = (rng.standard_normal((40, 3, 7)) * 100).astype(dtype)
    y = (rng.standard_normal((40, 3, 7)) * 100).astype(dtype)
    if np.dtype(dtype).kind == "f":
        x.reshape(-1)[:3] = [np.nan, -0.0, np.inf]
        y.reshape(-1)[:3] = [-0.0, np.nan, -np.inf]
    c = rng.random(40) < 0.5 if per_row else rng.random(x.shape) < 0.5
    results = []
    for least in (1 << 62, 0):
        monkeypatch.setattr(compiled, "COMPILED", least)
        results.append(slicing._select_kernel({}, c, x, y))
    plain, looped = results
    assert looped.dtype == x.dtype and looped.shape == x.shape
    np.testing.assert_array_equal(looped.view(np.uint8), plain.view(np.uint8))
    want = np.where(c.reshape(-1, 1, 1) if per_row else c, x, y)
    np.testing.assert_array_equal(looped.view(np.uint8), want.view(np.uint8))


def test_select_loop_leaves_other_conditions_to_numpy(monkeypatch):
    """A condition broadcast along the last axis, or a transposed (not C-ordered) operand: numpy's way."""
    monkeypatch.setattr(compiled, "COMPILED", 0)
    calls = []
    monkeypatch.setattr(compiled, "loops", lambda: calls.append(1))
    x, y = np.arange(24, dtype=np.float32).reshape(4, 6), -np.arange(24, dtype=np.float32).reshape(4, 6)
    c = np.array([True, False, True, False, True, False])
    np.testing.assert_array_equal(slicing.choose(c, x, y), np.where(c, x, y))   # along the last axis
    ct = np.random.default_rng(8).random((6, 4)) < 0.5
    np.testing.assert_array_equal(slicing.choose(ct, x.T, y.T), np.where(ct, x.T, y.T))   # x.T: not C-ordered
    wide = np.random.default_rng(9).random((4, 12)) < 0.5
    np.testing.assert_array_equal(slicing.choose(wide[:, ::2], x, y), np.where(wide[:, ::2], x, y))
    assert not calls


class _Resource:
    def __init__(self):
        self.state = {}


@pytest.mark.parametrize("range_max, num_sampled", [(50000, 64), (100, 90), (7, 7), (1000, 1)])
def test_log_uniform_unique_loop_draws_numpys_samples(range_max, num_sampled, monkeypatch):
    """The compiled unique log-uniform draws against the numpy way, run after run of one seeded stream: the same
    samples, tries and expected counts (a range barely larger than the samples makes many rejections)."""
    kernel = candidate_sampling._sampler_kernel("LogUniformCandidateSampler")
    attrs = {"num_true": 2, "num_sampled": num_sampled, "unique": True, "range_max": range_max, "seed": 3,
             "seed2": 9}
    true_classes = np.random.default_rng(10).integers(0, range_max, (16, 2))
    looped, plain = _Resource(), _Resource()
    numpy_way = candidate_sampling._DISTRIBUTIONS["LogUniformCandidateSampler"]
    for _ in range(25):
        got = kernel(attrs, looped, true_classes)
        with monkeypatch.context() as m:
            m.setitem(candidate_sampling._DISTRIBUTIONS, "LogUniformCandidateSampler",
                      lambda r: numpy_way(r)[:2] + (None,))
            want = kernel(attrs, plain, true_classes)
        assert got[0].dtype == np.int64 and len(set(got[0].tolist())) == num_sampled
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gradient_descent_loop_gives_numpys_bits(dtype, monkeypatch, split_kernels):
    rng = np.random.default_rng(11)
    var = (rng.standard_normal((33, 17)) * np.exp2(rng.integers(-20, 20, (33, 17)))).astype(dtype)
    delta = (rng.standard_normal((33, 17)) * np.exp2(rng.integers(-20, 20, (33, 17)))).astype(dtype)
    var.reshape(-1)[:4], delta.reshape(-1)[:4] = [0.0, -0.0, np.inf, 1.0], [-0.0, 0.0, 1.0, np.nan]
    alpha = np.asarray(0.37, dtype)
    bits = np.dtype(f"i{np.dtype(dtype).itemsize}")
    with np.errstate(invalid="ignore"):
        (plain,), (looped,) = _both(training._gradient_descent, (var, alpha, delta), monkeypatch)
        monkeypatch.setattr(training, "_SPLIT_ELEMENTS", 0)
        with split_kernels():
            (shared,) = training._gradient_descent({}, var, alpha, delta)
    assert looped.dtype == dtype and looped is not var
    np.testing.assert_array_equal(looped.view(bits), plain.view(bits))
    np.testing.assert_array_equal(shared.view(bits), plain.view(bits))


def _update_inputs(dtype, seed, n_arrays):
    """An update's arrays (float values across 40 binades, signed zeros, an infinity and NaN in the first)."""
    rng = np.random.default_rng(seed)
    shape = (37, 19)
    arrays = [(rng.standard_normal(shape) * np.exp2(rng.integers(-20, 20, shape))).astype(dtype)
              for _ in range(n_arrays)]
    arrays[0].reshape(-1)[:4], arrays[-1].reshape(-1)[:4] = [0.0, -0.0, np.inf, 1.0], [-0.0, 0.0, 1.0, np.nan]
    return arrays


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("update, loop, slots, squares, scalars, runs", [
    (training._adam, "adam", 2, 1, (0.9 ** 7, 0.999 ** 7, 1e-3, 0.9, 0.999, 1e-8), [True, False]),
    (training._momentum, "momentum", 1, None, (0.01,), [True, True]),
    (training._adagrad, "adagrad", 1, 0, (0.01,), [True, True]),
    (training._rmsprop, "rmsprop", 2, 0, (1e-3, 0.9, 0.5, 1e-10), [True, True])])
def test_update_loops_give_numpys_bits(update, loop, slots, squares, scalars, runs, dtype, monkeypatch,
                                       split_kernels):
    """Optimizer updates as one compiled pass against numpy's passes: the variable and every slot to the bit, in
    their plain form and with Nesterov's (Adam's keeps numpy's way) or slots left as they are (Adagrad's
    update_slots=False), whole and cut into shares over two intra-op threads; a slot of squared gradients
    non-negative, one 0."""
    var, *rest, grad = _update_inputs(dtype, 12, 2 + slots)
    if squares is not None:
        rest[squares] = np.abs(rest[squares])
        rest[squares].reshape(-1)[4] = 0
    args = [np.asarray(x, dtype) for x in scalars]
    args = ([var, *rest, *args, grad] if loop not in ("momentum", "adagrad") else [var, *rest, args[0], grad]
            + [np.asarray(0.9, dtype)] * (loop == "momentum"))
    loops, calls = compiled.loops(), []
    for attrs, looped_way in zip(({}, {"use_nesterov": True, "update_slots": False}), runs):
        with monkeypatch.context() as patch, np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            patch.setattr(compiled, "COMPILED", 1 << 62)
            plain = update(attrs, *args)
            patch.setattr(compiled, "COMPILED", 0)
            patch.setattr(loops, loop, lambda *a, run=getattr(loops, loop): calls.append(run(*a)))
            looped = update(attrs, *args)
            patch.setattr(training, "_SPLIT_ELEMENTS", 0)
            with split_kernels():
                shared = update(attrs, *args)
        assert len(calls) == 3 * looped_way   # whole, then two shares
        calls.clear()
        bits = np.dtype(f"i{np.dtype(dtype).itemsize}")
        assert len(looped) == len(plain) == len(shared) == 1 + slots
        for got, again, want in zip(looped, shared, plain):
            assert got.dtype == dtype and got.shape == var.shape and np.isfinite(got).mean() > 0.9
            np.testing.assert_array_equal(np.asarray(got).view(bits), np.asarray(want).view(bits))
            np.testing.assert_array_equal(np.asarray(again).view(bits), np.asarray(want).view(bits))


def _max_pool_grad_case(shape, window, stride, padding, dtype, seed):
    """MaxPoolGrad's attrs and inputs with ties, NaN, -inf, -0.0 and NaN or -0.0 gradients."""
    rng = np.random.default_rng(seed)
    x = np.round(rng.standard_normal(shape), 1).astype(dtype)   # (rounded: ties within windows)
    x[0, 1, 2, 3], x[1, 2, 3, 4], x[-1, :2, :2, :2], x[-1, 1, 1, 1] = np.nan, -np.inf, 0.0, -0.0
    attrs = {"ksize": [1, window, window, 1], "strides": [1, stride, stride, 1], "padding": padding,
             "data_format": "NHWC", "explicit_paddings": []}
    grad = rng.standard_normal(pooling._geometry("MaxPoolGrad", attrs, shape).out).astype(dtype)
    grad.reshape(-1)[::7], grad.reshape(-1)[3] = -0.0, np.nan
    return attrs, x, grad


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_max_pool_grad_loop_gives_numpys_bits(dtype, monkeypatch):
    """NHWC windows apart, tiling the input, overlapping (their gradients add up at a cell), padded or not."""
    kernel = pooling._max_pool_grad_kernel("MaxPoolGrad")
    shapes = [(3, 7, 9, 5), (3, 6, 12, 5)]
    for seed, (shape, window, stride, padding) in enumerate(itertools.product(shapes, [1, 2, 3], [1, 2, 3],
                                                                                ["SAME", "VALID"])):
        attrs, x, grad = _max_pool_grad_case(shape, window, stride, padding, dtype, seed)
        monkeypatch.setattr(compiled, "COMPILED", 1 << 62)
        plain = kernel(attrs, x, x, grad)
        monkeypatch.setattr(compiled, "COMPILED", 0)
        looped = kernel(attrs, x, x, grad)
        assert looped.dtype == dtype and looped.shape == shape
        assert looped.tobytes() == plain.tobytes(), (shape, window, stride, padding)


def test_max_pool_grad_loop_splits_the_batch_over_intra_op_threads(split_kernels, monkeypatch):
    kernel = pooling._max_pool_grad_kernel("MaxPoolGrad")
    loops, batches = compiled.loops(), []
    for name in ("max_pool_grad", "max_pool_2x2_and_taken"):   # (2x2 windows of stride 2 that tile: the latter)
        loop = getattr(loops, name)
        monkeypatch.setattr(loops, name, lambda x, *args, loop=loop: batches.append(len(x)) or loop(x, *args))
    for window, stride in [(2, 2), (3, 2)]:
        attrs, x, grad = _max_pool_grad_case((64, 32, 32, 16), window, stride, "SAME", np.float32, window)
        monkeypatch.setattr(compiled, "COMPILED", 1 << 62)
        plain = kernel(attrs, x, x, grad)
        monkeypatch.setattr(compiled, "COMPILED", 0)
        with split_kernels():
            del batches[:]
            looped = kernel(attrs, x, x, grad)
        assert batches == [32, 32] and looped.tobytes() == plain.tobytes()


_LRN_CASES = [((3, 4, 4, 64), 5, 2.0, 1e-4, 0.75), ((2, 5, 7, 8), 2, 1.0, 0.5, 1.0), ((2, 5, 7, 8), 3, 0.5, 0.3, 0.5),
              ((4, 3, 3, 8), 9, 1.0, 1.0, 0.6), ((4, 3, 3, 16), 0, 1.5, 0.2, 0.75)]


@pytest.mark.parametrize("shape, radius, bias, alpha, beta", _LRN_CASES)
def test_lrn_loops_agree_with_the_float64_way_to_float32_rounding(shape, radius, bias, alpha, beta, monkeypatch,
                                                                 split_kernels):
    """LRN and LRNGrad compiled (float32, TF's order of operations) against numpy's float64 way, rounded; shared
    over intra-op threads, the same bits as in one piece."""
    from raygraph.ops import normalization
    rng = np.random.default_rng(radius)
    x = (np.maximum(rng.standard_normal(shape), 0) * 3).astype(np.float32)
    g = rng.standard_normal(shape).astype(np.float32)
    attrs = {"depth_radius": radius, "bias": bias, "alpha": alpha, "beta": beta}
    monkeypatch.setattr(compiled, "COMPILED", 1 << 62)
    y = normalization._lrn_kernel(attrs, x)
    dx = normalization._lrn_grad_kernel(attrs, g, x, y)
    monkeypatch.setattr(compiled, "COMPILED", 0)
    y_c, dx_c = normalization._lrn_kernel(attrs, x), normalization._lrn_grad_kernel(attrs, g, x, y)
    assert y_c.dtype == dx_c.dtype == np.float32 and y_c.shape == dx_c.shape == shape
    np.testing.assert_allclose(y_c, y, rtol=4e-7 * 4, atol=0)
    np.testing.assert_allclose(dx_c, dx, rtol=0, atol=4e-7 * 4 * np.abs(dx).max())
    assert not np.array_equal(y_c, x)   # (normalized: not the input back)
    monkeypatch.setattr(normalization.intra_op, "MIN_WORK", 0)
    with split_kernels():
        assert normalization._lrn_kernel(attrs, x).tobytes() == y_c.tobytes()
        assert normalization._lrn_grad_kernel(attrs, g, x, y).tobytes() == dx_c.tobytes()


def test_lrn_loops_leave_zero_norms_and_other_dtypes_to_tf_semantics(monkeypatch):
    """A zero norm (bias 0, x 0) gives NaN both ways, as TF's 0 * inf; float16 keeps numpy's way."""
    from raygraph.ops import normalization
    monkeypatch.setattr(compiled, "COMPILED", 0)
    x = np.zeros((1, 2, 2, 8), np.float32)
    x[0, 0, 0] = 1.0
    attrs = {"depth_radius": 2, "bias": 0.0, "alpha": 1.0, "beta": 0.75}
    with np.errstate(all="ignore"):
        y = normalization._lrn_kernel(attrs, x)
        plain = (x / normalization._lrn_norm(attrs, x) ** 0.75).astype(np.float32)
    np.testing.assert_array_equal(np.isnan(y), np.isnan(plain))
    assert np.isnan(y).sum() == 3 * 8 and np.isnan(y[0, 0, 0]).sum() == 0
    half = normalization._lrn_kernel({**attrs, "bias": 1.0}, x.astype(np.float16))
    assert half.dtype == np.float16


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_max_pool_loop_takes_numpys_maxima(dtype, monkeypatch, split_kernels):
    """MaxPool's compiled windows against numpy's separable way (ties, NaN, -inf, zeros of both signs; windows apart,
    tiling, overlapping, rectangular, padded or not, and wholly in explicit padding: -inf), equal as values; its
    batch split over intra-op threads gives the same bits."""
    kernel = pooling._max_pool_kernel("MaxPool")
    monkeypatch.setattr(pooling, "_POOL_DEPTH", 1)   # (every depth through the loop)
    cases = list(itertools.product([(3, 7, 9, 5), (3, 6, 12, 5)], [(1, 1), (2, 2), (3, 3), (2, 3)], [1, 2, 3],
                                   ["SAME", "VALID"]))
    cases.append(((2, 4, 6, 5), (2, 2), 2, "EXPLICIT"))
    for seed, (shape, (k1, k2), stride, padding) in enumerate(cases):
        attrs, x, _ = _max_pool_grad_case(shape, 1, 1, "VALID", dtype, seed)
        attrs.update(ksize=[1, k1, k2, 1], strides=[1, stride, stride, 1], padding=padding)
        if padding == "EXPLICIT":
            attrs["explicit_paddings"] = [0, 0, 3, 0, 0, 2, 0, 0]   # (whole windows of padding above)
        monkeypatch.setattr(compiled, "COMPILED", 1 << 62)
        plain = kernel(attrs, x)
        monkeypatch.setattr(compiled, "COMPILED", 0)
        looped = kernel(attrs, x)
        assert looped.dtype == dtype and looped.shape == plain.shape
        np.testing.assert_array_equal(looped, plain, err_msg=str((shape, k1, k2, stride, padding)))
        if padding == "EXPLICIT":
            assert np.isneginf(looped[:, 0]).all()
        monkeypatch.setattr(pooling.intra_op, "MIN_WORK", 0)
        monkeypatch.setattr(pooling, "_SPLIT_CELLS", 0)
        with split_kernels():
            assert kernel(attrs, x).tobytes() == looped.tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_depthwise_loops_agree_with_numpys_way(dtype, monkeypatch, split_kernels):
    """DepthwiseConv2dNative and its two gradients compiled against numpy's way (a window offset at a time): channel
    multipliers 1 and 3, strides, dilations, SAME and VALID, windows reaching past the input; to rounding (the
    terms summed in another order), and split over intra-op threads alike."""
    from raygraph.ops import conv
    rng = np.random.default_rng(3)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    for (n, h, w, c, m), k, stride, dil, padding in itertools.product(
            [(2, 9, 11, 5, 1), (3, 8, 7, 4, 3)], [(1, 1), (3, 3), (2, 5)], [1, 2, 3], [1, 2], ["SAME", "VALID"]):
        if stride > 1 and dil > 1:
            continue
        attrs = {"strides": [1, stride, stride, 1], "padding": padding, "dilations": [1, dil, dil, 1],
                 "data_format": "NHWC", "explicit_paddings": []}
        x, f = rng.standard_normal((n, h, w, c)).astype(dtype), rng.standard_normal(k + (c, m)).astype(dtype)
        try:
            geo = conv._depthwise_geometry(x.shape, f.shape, attrs, "")
        except InvalidArgumentError:   # (VALID windows wider than the input)
            continue
        if 0 in geo.out:
            continue
        dy = rng.standard_normal((n,) + geo.out + (c * m,)).astype(dtype)
        for a in (x, f, dy):
            a.flags.writeable = False   # (as a step's values arrive)

        def three():
            return (conv._depthwise_forward(x, f, geo), conv._depthwise_backprop_input(f, dy, geo),
                    conv._depthwise_backprop_filter(x, dy, geo, list(f.shape)))
        monkeypatch.setattr(compiled, "COMPILED", 1 << 62)
        plain = three()
        monkeypatch.setattr(compiled, "COMPILED", 0)
        looped = three()
        for got, want in zip(looped, plain):
            assert got.dtype == dtype and got.shape == want.shape and got.flags.c_contiguous
            np.testing.assert_allclose(got, want, rtol=0, atol=tol * np.abs(want).max(),
                                       err_msg=str(((n, h, w, c, m), k, stride, dil, padding)))
        monkeypatch.setattr(conv.intra_op, "MIN_WORK", 0)
        with split_kernels():
            split = three()
        for got, want in zip(split[:2], looped[:2]):
            assert got.tobytes() == want.tobytes()
        np.testing.assert_allclose(split[2], looped[2], rtol=0, atol=tol * np.abs(looped[2]).max())   # (the
        # filter's gradient: the shares' sums added, another rounding)


@pytest.mark.skipif(platform.machine().lower() not in ("x86_64", "amd64"), reason="x86's masked stores")
def test_max_pool_loops_store_whole_vectors():
    """MaxPool's and MaxPoolGrad's loops over overlapping 3x3 windows (64 channels: whole vectors) store every
    vector they compute: a running maximum kept in place and updated where a cell wins, or a gradient summed with a
    constant 0 where a cell is not taken, LLVM stored with masked stores (vmaskmovps, or AVX-512's store under a
    mask), microcoded on AMD's cores (2.6x and 1.7x slower there). Compiled here from their source (numba shows no
    code it loaded from its cache)."""
    import numba   # noqa: PLC0415
    loops = compiled.loops()
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 9, 9, 64)).astype(np.float32)
    grad = rng.standard_normal((2, 4, 4, 64)).astype(np.float32)
    forward = numba.njit(nogil=True, error_model="numpy")(loops.max_pool.py_func)
    backward = numba.njit(nogil=True, error_model="numpy")(loops.max_pool_grad.py_func)
    y, want_y = np.empty_like(grad), np.empty_like(grad)
    forward(x, (3, 3), (2, 2), (0, 0), np.float32(-np.inf), y)
    loops.max_pool(x, (3, 3), (2, 2), (0, 0), np.float32(-np.inf), want_y)
    dx, want_dx = np.zeros_like(x), np.zeros_like(x)
    backward(x, grad, (3, 3), (2, 2), (0, 0), False, np.float32(0), dx)
    loops.max_pool_grad(x, grad, (3, 3), (2, 2), (0, 0), False, np.float32(0), want_dx)
    np.testing.assert_array_equal(y, want_y)
    np.testing.assert_array_equal(dx, want_dx)
    for loop in (forward, backward):
        asm = "".join(loop.inspect_asm().values())
        assert re.search(r"vmovu?p[sd]\s+%[xyz]mm\d+, [^%\s]", asm)   # (vector stores: the checks below can fail)
        assert not re.search(r"vmaskmov\w*\s+%[xy]mm\d+, %[xy]mm\d+, [^%\s]", asm)   # (its loads may be masked)
        assert not re.search(r"vmov\w*\s+%[xyz]mm\d+, [^\n]*\{%k", asm)
