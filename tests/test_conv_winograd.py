"""Winograd's F(2x2, 3x3) convolution kernel (ops/conv_winograd.py) against the im2col ones (ops/conv.py) in
float64, on odd and even sizes and every padding; where it runs (all three kernels), where it
does not, and non-finite values (the im2col kernels' answer)."""
import numpy as np
import pytest

from raygraph.ops import conv, conv_winograd

from conv_kernels import three


def _attrs(padding="SAME", explicit=(), strides=1, dilations=1):
    return {"strides": [1, strides, strides, 1], "padding": padding, "explicit_paddings": list(explicit),
            "data_format": "NHWC", "dilations": [1, dilations, dilations, 1]}


def _geometry(x, w, a):
    geo = conv._Geometry(x.shape, w.shape, a, 2, "")
    geo.out_shape = (geo.n, *geo.out, geo.o)
    return geo


GEOMETRIES = [((2, 7, 9, 16), 17, _attrs()), ((3, 8, 8, 16), 16, _attrs("VALID")),
              ((1, 5, 4, 20), 16, _attrs("EXPLICIT", (0, 0, 2, 0, 1, 2, 0, 0))),
              ((2, 5, 6, 16), 18, _attrs("EXPLICIT", (0, 0, 0, 1, 1, 0, 0, 0))), ((4, 4, 5, 16), 16, _attrs()),
              ((2, 33, 31, 24), 40, _attrs()), ((5, 6, 7, 32), 20, _attrs("VALID"))]


@pytest.mark.parametrize("x_shape, out, a", GEOMETRIES)
def test_forward_matches_the_direct_product(x_shape, out, a):
    rng = np.random.default_rng(sum(x_shape) + out)
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal((3, 3, x_shape[-1], out)).astype(np.float32)
    geo = _geometry(x, w, a)
    y = conv_winograd.forward(x, w, geo, 0)
    want = conv._forward_share(x.astype(np.float64), w.astype(np.float64), geo)
    assert y is not None and y.dtype == np.float32 and y.shape == want.shape
    np.testing.assert_allclose(y, want, rtol=0, atol=2e-6 * np.abs(want).max())


@pytest.mark.parametrize("x_shape, out, a", GEOMETRIES)
def test_conv2d_kernels_match_float64(x_shape, out, a):
    """Conv2D and its two backprops, all three through Winograd's transforms, agree with the float64 kernels."""
    rng = np.random.default_rng(len(x_shape) + out)
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal((3, 3, x_shape[-1], out)).astype(np.float32)
    dy = rng.standard_normal(_geometry(x, w, a).out_shape).astype(np.float32)
    want = three(a, x.astype(np.float64), w.astype(np.float64), dy.astype(np.float64))
    for got, v in zip(three(a, x, w, dy), want):
        assert got.dtype == np.float32 and got.shape == v.shape
        np.testing.assert_allclose(got, v, rtol=0, atol=3e-6 * np.abs(v).max())


def test_route_taken_where_it_applies(monkeypatch):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 10, 10, 16)).astype(np.float32)
    w = rng.standard_normal((3, 3, 16, 24)).astype(np.float32)
    calls = []
    for name in ("forward", "backprop_filter"):
        real = getattr(conv_winograd, name)
        monkeypatch.setattr(conv_winograd, name, lambda a, b, geo, split, name=name, real=real:
                            calls.append((name, a.shape, b.shape)) or real(a, b, geo, split))
    three(_attrs(), x, w, rng.standard_normal((4, 10, 10, 24)).astype(np.float32))
    assert calls == [("forward", (4, 10, 10, 16), (3, 3, 16, 24)),    # the forward convolution
                     ("forward", (4, 10, 10, 24), (3, 3, 24, 16)),    # the input's gradient: dy, the flipped filter
                     ("backprop_filter", (4, 10, 10, 16), (4, 10, 10, 24))]
    assert conv_winograd.forward(x, w, _geometry(x, w, _attrs()), 0) is not None
    for a in (_attrs(strides=2), _attrs(dilations=2)):   # strides and dilations take im2col
        assert conv_winograd.forward(x, w, _geometry(x, w, a), 0) is None
    assert conv_winograd.forward(x[..., :3], w[:, :, :3], _geometry(x[..., :3], w[:, :, :3], _attrs()), 0) is None
    assert conv_winograd.forward(x, w[..., :8], _geometry(x, w[..., :8], _attrs()), 0) is None   # 8 out: im2col
    assert conv_winograd.forward(x.astype(np.float64), w.astype(np.float64), _geometry(x, w, _attrs()), 0) is None
    small = x[:, :3, :5]   # 3 outputs down: im2col
    assert conv_winograd.forward(small, w, _geometry(small, w, _attrs()), 0) is None
    w5 = rng.standard_normal((5, 5, 16, 24)).astype(np.float32)
    assert conv_winograd.forward(x, w5, _geometry(x, w5, _attrs()), 0) is None


@pytest.mark.parametrize("value", [np.inf, -np.inf, np.nan])
def test_non_finite_values_take_the_direct_route(value):
    """inf - inf inside a tile would put NaN where TF's windows give inf: those convolutions run im2col."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 6, 7, 16)).astype(np.float32)
    w = rng.standard_normal((3, 3, 16, 16)).astype(np.float32)
    x[1, 2, 3, 4] = value
    geo = _geometry(x, w, _attrs())
    dy = rng.standard_normal((2, 6, 7, 16)).astype(np.float32)
    assert conv_winograd.forward(x, w, geo, 0) is None and conv_winograd.backprop_filter(x, dy, geo, 0) is None
    y, _, dw = three(_attrs(), x, w, dy)
    np.testing.assert_array_equal(y, conv._over_batch(conv._forward_share, geo, [x], [w], np.concatenate))
    np.testing.assert_array_equal(dw, conv._over_batch(conv._backprop_filter_share, geo, [x, dy], [], conv._summed))
    assert np.isnan(y).any() == np.isnan(value) and np.isinf(y).any() == np.isinf(value)


def test_the_tiles_split_over_intra_op_threads(split_kernels, monkeypatch):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((8, 13, 12, 32)).astype(np.float32)
    w = rng.standard_normal((3, 3, 32, 32)).astype(np.float32)
    geo = _geometry(x, w, _attrs())
    want = conv._forward_share(x.astype(np.float64), w.astype(np.float64), geo)
    rows = []
    real = conv_winograd.compiled.loops().winograd_tiles
    monkeypatch.setattr(conv_winograd, "TILES", 30)   # chunks of 5 tile rows (of 6 tiles)
    monkeypatch.setattr(conv_winograd.compiled.loops(), "winograd_tiles",
                        lambda xp, th, r0, r1, v: rows.append((r0, r1)) or real(xp, th, r0, r1, v))
    with split_kernels():
        split = conv_winograd.forward(x, w, geo, 1 << 40)
    np.testing.assert_allclose(split, want, rtol=0, atol=2e-6 * np.abs(want).max())
    # 8 images of 7 tile rows: two shares of 28 rows, each in chunks of 5 rows
    assert sorted(rows) == [(r, min(r + 5, 28)) for r in range(0, 28, 5)] + [(r, min(r + 5, 56)) for r in
                                                                               range(28, 56, 5)]


def test_the_filter_gradient_sums_the_shares_of_its_tiles(split_kernels):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 9, 11, 16)).astype(np.float32)
    dy = rng.standard_normal((6, 9, 11, 24)).astype(np.float32)
    geo = _geometry(x, np.empty((3, 3, 16, 24), np.float32), _attrs())
    want = conv._backprop_filter_share(x.astype(np.float64), dy.astype(np.float64), geo)
    whole = conv_winograd.backprop_filter(x, dy, geo, 0)
    with split_kernels():
        split = conv_winograd.backprop_filter(x, dy, geo, 1 << 40)
    for got in (whole, split):
        assert got.shape == (3, 3, 16, 24) and got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=0, atol=2e-6 * np.abs(want).max())


@pytest.mark.parametrize("x_shape, out, a", GEOMETRIES[:3] + GEOMETRIES[5:6])
def test_the_forward_adds_a_bias_and_takes_relu_as_it_writes_with_the_same_bits(x_shape, out, a):
    """A convolution merged with its bias + ReLU region (conv._bias_relu_of): the output transform adds the bias and
    takes ReLU as it writes (odd edges' overwritten outputs included), the bits of y + bias and max(., 0); NaN and
    infinities in the bias; whether the outputs are finite is judged before the bias (an infinite bias keeps the
    route)."""
    rng = np.random.default_rng(out)
    x = rng.standard_normal(x_shape).astype(np.float32)
    w = rng.standard_normal((3, 3, x_shape[-1], out)).astype(np.float32)
    bias = rng.standard_normal(out).astype(np.float32)
    bias[:3] = [np.nan, np.inf, -0.0]
    geo = _geometry(x, w, a)
    y = conv_winograd.forward(x, w, geo, 0)
    with np.errstate(invalid="ignore"):
        for relu in (False, True):
            got = conv_winograd.forward(x, w, geo, 0, bias, relu)
            assert got is not None and got.tobytes() == (np.maximum(y + bias, 0) if relu else y + bias).tobytes()
    assert (got == 0).any() and not np.signbit(got[got == 0]).any()
