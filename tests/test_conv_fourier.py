"""The Fourier-transform convolution kernels (ops/conv_fourier.py) against the im2col ones (ops/conv.py), on
random geometries (strides, dilations, paddings), with the transform route forced; and when the route is taken."""
import numpy as np
import pytest

from raygraph.ops import conv, conv_fourier
from raygraph.ops.registry import get

from conv_kernels import random_attrs, three


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_transforms_match_im2col(monkeypatch, dtype):
    rng = np.random.default_rng(3)
    for trial in range(60):
        a = random_attrs(rng, trial, 4, 4)
        k = [int(v) for v in rng.integers(1, 5, 2)]
        window = [(n - 1) * d + 1 for n, d in zip(k, a["dilations"][1:3])]   # inputs at least a window wide
        x = rng.standard_normal((int(rng.integers(1, 3)), *(e + int(rng.integers(0, 6)) for e in window),
                                 int(rng.integers(1, 4)))).astype(dtype)
        w = rng.standard_normal((*k, x.shape[-1], int(rng.integers(1, 4)))).astype(dtype)
        monkeypatch.setattr(conv_fourier, "GAIN", float("inf"))   # im2col only
        y = get("Conv2D").kernel(a, x, w)
        dy = rng.standard_normal(y.shape).astype(dtype)
        want = three(a, x, w, dy)
        monkeypatch.setattr(conv_fourier, "GAIN", 0.0)            # transforms wherever they apply
        got = three(a, x, w, dy)
        for g, v in zip(got, want):
            assert g.shape == v.shape and g.dtype == v.dtype
            np.testing.assert_allclose(g, v, rtol=0, atol=(1e-5 if dtype == np.float32 else 1e-12) * np.abs(v).max())
        geo = conv._Geometry(x.shape, w.shape, a, 2, "")
        assert conv_fourier.forward(x, w, geo) is not None   # the transforms did run


def _geometry(x_shape, w_shape, **attrs):
    a = {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC", "dilations": [1, 1, 1, 1], **attrs}
    return conv._Geometry(x_shape, w_shape, a, 2, "")


def test_route_taken_where_it_pays():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 14, 14, 16)).astype(np.float32)
    w = rng.standard_normal((5, 5, 16, 32)).astype(np.float32)
    assert conv_fourier.forward(x, w, _geometry(x.shape, w.shape)) is not None        # LeNet's second conv
    one = rng.standard_normal((8, 28, 28, 1)).astype(np.float32)
    assert conv_fourier.forward(one, w[:, :, :1], _geometry(one.shape, (5, 5, 1, 32))) is None   # one channel
    assert conv_fourier.forward(x.astype(np.int64), w.astype(np.int64), _geometry(x.shape, w.shape)) is None
    x[1, 2, 3, 4] = np.inf   # a non-finite value would spread over its whole plane: the direct route runs
    assert conv_fourier.forward(x, w, _geometry(x.shape, w.shape)) is None
    assert conv_fourier.backprop_filter(x, np.ones((8, 14, 14, 32), np.float32), _geometry(x.shape, w.shape)) is None
