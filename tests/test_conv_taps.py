"""Convolutions of one input channel summed tap by tap (ops/conv_taps.py) against im2col (ops/conv.py): random
geometries, one to three spatial dims, groups of taps, output channels beyond a vector, values that are not finite,
shares of the batch; the filter gradients of a few input channels; and when the route is taken."""
import numpy as np
import pytest

from raygraph.ops import conv, conv_taps
from raygraph.ops.registry import get

from conv_kernels import random_attrs, split_into_shares


def _filter_gradient(a, x, w, dy, op="Conv2DBackpropFilter"):
    return get(op).kernel(a, x, np.array(w.shape, np.int32), dy)


def _im2col(monkeypatch, a, x, w, dy=None, forward="Conv2D", gradient="Conv2DBackpropFilter"):
    with monkeypatch.context() as m:
        m.setattr(conv_taps, "MAX_TAPS", 0)   # the route off: im2col only
        return get(forward).kernel(a, x, w) if dy is None else _filter_gradient(a, x, w, dy, gradient)


def _close(got, want, dtype):
    assert got.shape == want.shape and got.dtype == want.dtype
    scale = np.abs(want[np.isfinite(want)]).max(initial=1)
    np.testing.assert_allclose(got, want, rtol=0, atol=(1e-5 if dtype == np.float32 else 1e-12) * scale)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_taps_match_im2col(monkeypatch, dtype):
    rng = np.random.default_rng(11)
    taken = 0
    for trial in range(60):
        a = random_attrs(rng, trial, 4, 4)
        k = [int(v) for v in rng.integers(1, 6, 2)]
        x = rng.standard_normal((int(rng.integers(1, 4)), int(rng.integers(k[0] * a["dilations"][1], 20)),
                                 int(rng.integers(k[1] * a["dilations"][2], 20)), 1))
        w = rng.standard_normal((*k, 1, int(rng.integers(1, 40))))
        x, w = ((10 * v).astype(dtype) for v in (x, w))
        want = _im2col(monkeypatch, a, x, w)
        dy = (10 * rng.standard_normal(want.shape)).astype(dtype)
        for got, want in [(get("Conv2D").kernel(a, x, w), want),
                          (_filter_gradient(a, x, w, dy), _im2col(monkeypatch, a, x, w, dy))]:
            _close(got, want, np.float32 if dtype == np.int32 else dtype)
        geo = conv._Geometry(x.shape, w.shape, a, 2, "")
        taken += conv_taps.forward(x, w, geo) is not None and conv_taps.backprop_filter(x, dy, geo) is not None
    assert taken == (0 if dtype == np.int32 else 60)   # (integers keep im2col's exact int64 products)


def test_one_and_three_spatial_dims(monkeypatch):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((5, 40, 1)).astype(np.float32)
    w = rng.standard_normal((3, 1, 6)).astype(np.float32)
    a = {"strides": [1, 1, 1], "padding": "SAME", "data_format": "NWC", "dilations": [1, 1, 1]}
    geo = conv._Geometry(x.shape, w.shape, a, 1, "")
    y = conv_taps.forward(x, w, geo)
    direct = np.stack([np.stack([np.convolve(np.pad(x[n, :, 0], 1), w[::-1, 0, o], "valid") for o in range(6)], -1)
                       for n in range(5)])
    np.testing.assert_allclose(y, direct, rtol=1e-5, atol=1e-5)
    dy = rng.standard_normal(y.shape).astype(np.float32)
    direct_dw = np.stack([np.einsum("nj,njo->o", np.pad(x[..., 0], ((0, 0), (1, 1)))[:, t:t + 40], dy)
                          for t in range(3)])
    np.testing.assert_allclose(conv_taps.backprop_filter(x, dy, geo)[:, 0], direct_dw, rtol=1e-4, atol=1e-4)
    x3 = rng.standard_normal((2, 6, 7, 16, 1)).astype(np.float32)
    w3 = rng.standard_normal((2, 3, 3, 1, 20)).astype(np.float32)
    a3 = {"strides": [1, 2, 1, 3, 1], "padding": "VALID", "data_format": "NDHWC", "dilations": [1, 1, 1, 1, 1]}
    geo3 = conv._Geometry(x3.shape, w3.shape, a3, 3, "")
    y3 = conv_taps.forward(x3, w3, geo3)
    _close(y3, _im2col(monkeypatch, a3, x3, w3, forward="Conv3D"), np.float32)
    dy3 = rng.standard_normal(y3.shape).astype(np.float32)
    _close(conv_taps.backprop_filter(x3, dy3, geo3),
           _im2col(monkeypatch, a3, x3, w3, dy3, gradient="Conv3DBackpropFilterV2"), np.float32)


@pytest.mark.parametrize("group", [1, 4, 28])
def test_taps_in_groups(monkeypatch, group):
    """Filters with more taps than a loop holds run in groups (the forward's later groups add to y)."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 21, 19, 1)).astype(np.float32)
    w = rng.standard_normal((7, 7, 1, 17)).astype(np.float32)
    a = {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC", "dilations": [1, 1, 1, 1]}
    geo = conv._Geometry(x.shape, w.shape, a, 2, "")
    monkeypatch.setattr(conv_taps, "GROUP", group)
    assert len(conv_taps._groups(conv_taps._key(geo))) == -(-49 // group)
    y = conv_taps.forward(x, w, geo)
    _close(y, _im2col(monkeypatch, a, x, w), np.float32)
    dy = rng.standard_normal(y.shape).astype(np.float32)
    _close(conv_taps.backprop_filter(x, dy, geo), _im2col(monkeypatch, a, x, w, dy), np.float32)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_filter_gradients_of_a_few_channels_match_im2col(monkeypatch, dtype):
    """Two to four input channels (an RGB image's three): the channels are the window's last dim of taps; the
    forward of more than one channel stays im2col's, as do output channels past two vectors."""
    rng = np.random.default_rng(12)
    lanes = conv_taps.VECTOR_BYTES // np.dtype(dtype).itemsize
    for trial in range(30):
        a = random_attrs(rng, trial, 4, 4)
        k = [int(v) for v in rng.integers(1, 6, 2)]
        c = int(rng.integers(2, conv_taps.MAX_CHANNELS + 1))
        x = rng.standard_normal((int(rng.integers(1, 4)), int(rng.integers(k[0] * a["dilations"][1], 20)),
                                 int(rng.integers(k[1] * a["dilations"][2], 20)), c)).astype(dtype)
        w = rng.standard_normal((*k, c, int(rng.integers(1, 2 * lanes + 1)))).astype(dtype)
        y = get("Conv2D").kernel(a, x, w)
        dy = rng.standard_normal(y.shape).astype(dtype)
        geo = conv._Geometry(x.shape, w.shape, a, 2, "")
        got = conv_taps.backprop_filter(x, dy, geo)
        assert got is not None and conv_taps.forward(x, w, geo) is None
        _close(_filter_gradient(a, x, w, dy), _im2col(monkeypatch, a, x, w, dy), dtype)
        _close(got, _im2col(monkeypatch, a, x, w, dy), dtype)
    wide = np.zeros((3, 3, 3, 2 * lanes + 1), dtype)
    x = np.zeros((1, 8, 8, 3), dtype)
    geo = conv._Geometry(x.shape, wide.shape, a | {"padding": "SAME"}, 2, "")
    assert conv_taps.backprop_filter(x, np.zeros((1, *geo.out, wide.shape[-1]), dtype), geo) is None


@pytest.mark.parametrize("block", [1, 7, 1 << 18])
def test_forward_groups_over_blocks_of_rows_give_the_same_values(monkeypatch, block):
    """With the taps in groups each call covers a block of output rows (all groups while it is in cache): the
    same sums in the same order whatever the block."""
    rng = np.random.default_rng(8)
    x = rng.standard_normal((3, 23, 17, 1)).astype(np.float32)
    w = rng.standard_normal((9, 9, 1, 20)).astype(np.float32)
    a = {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC", "dilations": [1, 1, 1, 1]}
    geo = conv._Geometry(x.shape, w.shape, a, 2, "")
    whole = conv_taps.forward(x, w, geo)
    monkeypatch.setattr(conv_taps, "BLOCK_BYTES", block * 17 * 20 * 4)
    assert len(conv_taps._groups(conv_taps._key(geo))) == -(-81 // conv_taps.GROUP) > 1   # (3 of 28 or 7 of 12 taps)
    np.testing.assert_array_equal(conv_taps.forward(x, w, geo), whole)
    _close(whole, _im2col(monkeypatch, a, x, w), np.float32)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_values_that_are_not_finite_meet_the_same_terms_as_im2col(monkeypatch, bad):
    rng = np.random.default_rng(0)
    a = {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC", "dilations": [1, 1, 1, 1]}
    x = rng.standard_normal((4, 28, 28, 1)).astype(np.float32)
    w = rng.standard_normal((5, 5, 1, 16)).astype(np.float32)
    spoiled = x.copy()
    spoiled[1, 3, 20, 0] = bad
    y = get("Conv2D").kernel(a, spoiled, w)
    want = _im2col(monkeypatch, a, spoiled, w)
    np.testing.assert_array_equal(np.isfinite(y), np.isfinite(want))
    assert np.isfinite(y[1, :, :14]).all() and not np.isfinite(y[1, 1:6, 18:23]).all()
    _close(np.where(np.isfinite(y), y, 0), np.where(np.isfinite(want), want, 0), np.float32)
    dy = rng.standard_normal(y.shape).astype(np.float32)
    dy[2, 5, 5, 3] = bad
    for xs in (x, spoiled):
        got, want = _filter_gradient(a, xs, w, dy), _im2col(monkeypatch, a, xs, w, dy)
        np.testing.assert_array_equal(np.isfinite(got), np.isfinite(want))
        assert not np.isfinite(got).all()
    w_bad = w.copy()
    w_bad[0, 0, 0, 2] = bad
    got, want = get("Conv2D").kernel(a, x, w_bad), _im2col(monkeypatch, a, x, w_bad)
    np.testing.assert_array_equal(np.isfinite(got), np.isfinite(want))


def test_route_taken_where_it_applies(monkeypatch):
    rng = np.random.default_rng(0)
    a = {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC", "dilations": [1, 1, 1, 1]}
    x = rng.standard_normal((4, 28, 28, 1)).astype(np.float32)
    w = rng.standard_normal((5, 5, 1, 16)).astype(np.float32)
    geo = conv._Geometry(x.shape, w.shape, a, 2, "")
    assert conv_taps.forward(x, w, geo) is not None   # LeNet's first
    calls = []
    monkeypatch.setattr(conv_taps, "_forward", lambda *args: calls.append(args))
    get("Conv2D").kernel(a, x, w)
    assert calls   # (the kernel takes the route)
    two = np.concatenate([x, x], -1)
    assert conv_taps.forward(two, w, conv._Geometry(two.shape, (5, 5, 2, 16), a, 2, "")) is None
    empty = np.zeros((0, 28, 28, 1), np.float32)   # (an empty batch: im2col's zeros)
    assert conv_taps.backprop_filter(empty, np.zeros((0, 28, 28, 16), np.float32),
                                     conv._Geometry(empty.shape, w.shape, a, 2, "")) is None
    np.testing.assert_array_equal(
        _filter_gradient(a, empty, w, np.zeros((0, 28, 28, 16), np.float32)), np.zeros(w.shape, np.float32))
    monkeypatch.setattr(conv_taps, "MAX_TAPS", 24)
    assert conv_taps.forward(x, w, geo) is None


def test_shares_of_the_batch_give_the_whole_batchs_values(monkeypatch):
    rng = np.random.default_rng(4)
    x = rng.standard_normal((9, 28, 28, 1)).astype(np.float32)
    w = rng.standard_normal((5, 5, 1, 16)).astype(np.float32)
    dy = rng.standard_normal((9, 28, 28, 16)).astype(np.float32)
    geo = conv._Geometry(x.shape, w.shape, {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC",
                                             "dilations": [1, 1, 1, 1]}, 2, "")
    whole = conv_taps.forward(x, w, geo), conv_taps.backprop_filter(x, dy, geo)
    with split_into_shares(monkeypatch) as shares:
        for _ in range(3):
            y, dw = conv_taps.forward(x, w, geo), conv_taps.backprop_filter(x, dy, geo)
            np.testing.assert_array_equal(y, whole[0])   # (each position's sum in the same order)
            np.testing.assert_allclose(dw, whole[1], rtol=0, atol=1e-5 * np.abs(whole[1]).max())
        assert len(shares) >= 6

def test_a_convolutions_shares_write_the_taps_forward_into_its_result(monkeypatch):
    """Where conv.py cuts a convolution's batch into shares (from its _SPLIT_WORK), each share's taps write its rows
    of the result in place (no copy of theirs: a 128-image first layer, 1 -> 32 channels, 1.73 -> 1.25 ms)."""
    rng = np.random.default_rng(6)
    x = rng.standard_normal((6, 20, 20, 1)).astype(np.float32)
    w = rng.standard_normal((5, 5, 1, 32)).astype(np.float32)
    geo = conv._Geometry(x.shape, w.shape, {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC",
                                             "dilations": [1, 1, 1, 1]}, 2, "")
    whole = conv_taps.forward(x, w, geo)
    buf = np.full(whole.shape, np.nan, np.float32)
    assert conv_taps.forward(x, w, geo, buf) is buf
    np.testing.assert_array_equal(buf, whole)
    written = []
    forward = conv_taps.forward
    monkeypatch.setattr(conv_taps, "forward", lambda x, w, geo, out=None: written.append(out is not None) or
                        forward(x, w, geo, out))
    monkeypatch.setattr(conv, "_SPLIT_WORK", 0)
    with split_into_shares(monkeypatch) as shares:
        np.testing.assert_array_equal(conv._forward(x, w, geo), whole)
        assert shares and written == [True, True]


def test_the_forwards_padded_input_serves_the_filter_gradient(monkeypatch):
    rng = np.random.default_rng(6)
    x = rng.standard_normal((4, 28, 28, 1)).astype(np.float32)
    w = rng.standard_normal((5, 5, 1, 16)).astype(np.float32)
    geo = conv._Geometry(x.shape, w.shape, {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC",
                                             "dilations": [1, 1, 1, 1]}, 2, "")
    padded, pad = [], conv._Geometry.padded
    monkeypatch.setattr(conv._Geometry, "padded", lambda self, a: padded.append(a.shape) or pad(self, a))
    y = conv_taps.forward(x, w, geo)
    dy = rng.standard_normal(y.shape).astype(np.float32)
    dw = conv_taps.backprop_filter(x, dy, geo)
    assert padded == [x.shape] and not x.flags.writeable   # (kept while x lives, unchanged)
    np.testing.assert_array_equal(dw, conv_taps.backprop_filter(x.copy(), dy, geo))
    assert padded == [x.shape, x.shape]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_forward_adds_a_bias_and_takes_relu_as_it_stores_with_numpys_bits(dtype):
    """The epilogue of a convolution merged with its bias + ReLU region (conv._bias_relu_of): y + bias, and
    max(y + bias, 0) (NaN kept, +0.0 for -0.0), bit for bit, over random geometries, taps in one group and in two
    (49 > GROUP with AVX-512), output channels within a vector and past it, NaN and infinities in x and the bias."""
    rng = np.random.default_rng(17)
    for trial in range(12):
        a = random_attrs(rng, trial, 3, 3)
        k = [7, 7] if trial % 2 else [int(v) for v in rng.integers(1, 6, 2)]
        x = rng.standard_normal((int(rng.integers(1, 4)), int(rng.integers(k[0] * a["dilations"][1], 24)),
                                 int(rng.integers(k[1] * a["dilations"][2], 24)), 1)).astype(dtype)
        x.flat[rng.integers(0, x.size, 2)] = [np.nan, -np.inf]
        w = rng.standard_normal((*k, 1, int(rng.integers(1, 40)))).astype(dtype)
        bias = rng.standard_normal(w.shape[-1]).astype(dtype)
        bias[rng.integers(0, bias.size)] = np.inf if trial % 3 else -0.0
        geo = conv._Geometry(x.shape, w.shape, a, 2, "")
        y = conv_taps.forward(x, w, geo)
        with np.errstate(invalid="ignore"):
            for relu in (False, True):
                want = np.maximum(y + bias, 0) if relu else y + bias
                got = conv_taps.forward(x, w, geo, bias=bias, relu=relu)
                assert got.dtype == want.dtype and got.tobytes() == want.tobytes(), (trial, relu)
    assert np.isnan(got).any() and (got == 0).any() and not np.signbit(got[got == 0]).any()


@pytest.mark.parametrize("c, k", [(1, 15), (3, 5)])   # the Fourier route; im2col
def test_the_other_routes_add_a_bias_and_take_relu_with_the_same_bits(c, k):
    """A share of a merged convolution that the taps do not take: the Fourier route adds the bias and takes ReLU as
    it writes its output (kernel_loops.swap_leading_biased), im2col after (kernel_loops.bias_relu): the region's
    bits."""
    rng = np.random.default_rng(4)
    a = {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC", "dilations": [1, 1, 1, 1]}
    x = rng.standard_normal((2, 32, 32, c)).astype(np.float32)
    w = rng.standard_normal((k, k, c, 24)).astype(np.float32)
    bias = rng.standard_normal(24).astype(np.float32)
    bias[:3] = [np.nan, np.inf, -0.0]
    geo = conv._Geometry(x.shape, w.shape, a, 2, "")
    y = conv._forward_share(x, w, geo)
    for relu in (False, True):
        got = conv._forward_share(x, w, geo, np.empty_like(y), (bias, relu))
        assert got.tobytes() == (np.maximum(y + bias, 0) if relu else y + bias).tobytes()
    assert (got == 0).any() and not np.signbit(got[got == 0]).any()
