"""Helpers of the convolution kernel tests (test_conv_fourier.py, test_conv_im2col.py, test_conv_taps.py)."""
import contextlib

import numpy as np

from raygraph.ops import conv_fourier, conv_taps
from raygraph.ops.registry import get


def random_attrs(rng, trial, strides_below, pads_below):
    """Conv2D attrs (NHWC) of a random geometry: strides below `strides_below` or dilations (not both), and the
    padding by `trial` (SAME, VALID, EXPLICIT with pads below `pads_below`)."""
    strides, dil = [int(v) for v in rng.integers(1, strides_below, 2)], [int(v) for v in rng.integers(1, 3, 2)]
    if max(strides) > 1:
        dil = [1, 1]
    padding = ("SAME", "VALID", "EXPLICIT")[trial % 3]
    explicit = [0, 0] + [int(v) for v in rng.integers(0, pads_below, 4)] + [0, 0] if padding == "EXPLICIT" else []
    return {"strides": [1, *strides, 1], "padding": padding, "explicit_paddings": explicit, "data_format": "NHWC",
            "dilations": [1, *dil, 1]}


def three(a, x, w, dy):
    """The forward convolution and both backprops, straight from their kernels."""
    return [get("Conv2D").kernel(a, x, w),
            get("Conv2DBackpropInput").kernel(a, np.array(x.shape, np.int32), w, dy),
            get("Conv2DBackpropFilter").kernel(a, x, np.array(w.shape, np.int32), dy)]


def im2col_only(monkeypatch):
    """The convolution kernels' other routes off (Fourier transforms, one channel's taps): im2col only."""
    monkeypatch.setattr(conv_fourier, "GAIN", float("inf"))
    monkeypatch.setattr(conv_taps, "MAX_TAPS", 0)


@contextlib.contextmanager
def split_into_shares(monkeypatch):
    """Kernels that may split cut their batch into shares over two intra-op threads, however small their work;
    yields the list of the shares run on the other thread (their (lo, hi))."""
    from scheduler import intra_op  # noqa: PLC0415
    intra_op.configure(2)
    try:
        monkeypatch.setattr(intra_op, "MIN_WORK", 0)
        shares = []
        inside = intra_op._inside
        monkeypatch.setattr(intra_op, "_inside", lambda run, *args: shares.append(args) or inside(run, *args))
        intra_op.enable(True)
        yield shares
    finally:
        intra_op.enable(False)
        intra_op.configure(1)
