"""The im2col convolution kernels (ops/conv.py) build the columns of a few images, or of a few output rows of one
large image, at a time: cut into chunks of any size, the batch gives the numbers of one pass over it whole (random
geometries: strides, dilations, paddings, groups, one channel)."""
import numpy as np
import pytest

from raygraph.ops import conv
from raygraph.ops.registry import get
from scheduler import intra_op

from conv_kernels import im2col_only, random_attrs, split_into_shares, three


def _case(rng, trial):
    a = random_attrs(rng, trial, 3, 3)
    k = [int(v) for v in rng.integers(1, 4, 2)]
    groups, per_group = (1, 1) if trial % 4 == 0 else (int(rng.integers(1, 3)), int(rng.integers(1, 4)))
    x = rng.standard_normal((int(rng.integers(2, 6)), *(int(v) for v in rng.integers(6, 12, 2)),
                             groups * per_group)).astype(np.float32)
    w = rng.standard_normal((*k, per_group, groups * int(rng.integers(1, 3)))).astype(np.float32)
    return a, x, w


@pytest.mark.parametrize("chunk", [1, 300])
def test_columns_in_chunks_give_the_whole_batchs_numbers(monkeypatch, chunk):
    im2col_only(monkeypatch)
    rng = np.random.default_rng(7)
    for trial in range(40):
        a, x, w = _case(rng, trial)
        dy = rng.standard_normal(get("Conv2D").kernel(a, x, w).shape).astype(np.float32)
        monkeypatch.setattr(conv, "_CHUNK", 1 << 30)
        monkeypatch.setattr(conv, "_CHUNK_ONE_CHANNEL", 1 << 30)
        assert len(conv._chunks(conv._Geometry(x.shape, w.shape, a, 2, ""))) == 1
        whole = three(a, x, w, dy)
        monkeypatch.setattr(conv, "_CHUNK", chunk)               # 1: an output row per chunk; 300: a few
        monkeypatch.setattr(conv, "_CHUNK_ONE_CHANNEL", chunk)
        geo = conv._Geometry(x.shape, w.shape, a, 2, "")
        if chunk == 1:
            assert conv._chunks(geo) == [(i, i + 1, r, r + 1) for i in range(x.shape[0]) for r in range(geo.out[0])]
        for got, want in zip(three(a, x, w, dy), whole):
            assert got.shape == want.shape and got.dtype == want.dtype
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-5 * max(1.0, np.abs(want).max()))


def test_one_channel_keeps_whole_planes_where_others_are_cut():
    a = {"strides": [1, 1, 1, 1], "padding": "SAME", "explicit_paddings": [], "data_format": "NHWC",
         "dilations": [1, 1, 1, 1]}
    lenet_first = conv._Geometry((64, 28, 28, 1), (5, 5, 1, 16), a, 2, "")
    lenet_second = conv._Geometry((64, 14, 14, 16), (5, 5, 16, 32), a, 2, "")
    assert conv._chunks(lenet_first) == [(0, 64, 0, 28)]
    chunks = conv._chunks(lenet_second)
    assert len(chunks) > 1 and chunks[0] == (0, conv._CHUNK // (14 * 14 * 25 * 16), 0, 14) and chunks[-1][1] == 64


def test_a_large_image_is_cut_into_rows():
    a = {"strides": [1, 2, 2, 1], "padding": "VALID", "explicit_paddings": [], "data_format": "NHWC",
         "dilations": [1, 1, 1, 1]}
    unet_like = conv._Geometry((2, 570, 570, 16), (3, 3, 16, 16), a, 2, "")   # 284 rows of 284 * 144 columns
    chunks = conv._chunks(unet_like)
    rows = conv._CHUNK // (284 * 144)
    assert chunks[:2] == [(0, 1, 0, rows), (0, 1, rows, 2 * rows)] and chunks[-1] == (1, 2, 284 // rows * rows, 284)
    part = unet_like.with_rows(rows, 2 * rows)
    assert part.out == (rows, 284) and part.positions == rows * 284 and unet_like.row_origin(rows) == 2 * rows


def test_rows_of_a_lone_image_split_over_threads_give_its_numbers(monkeypatch):
    im2col_only(monkeypatch)
    rng = np.random.default_rng(3)
    intra_op.configure(2)
    try:
        for trial in range(12):
            a, x, w = _case(rng, trial)
            x = x[:1]
            dy = rng.standard_normal(get("Conv2D").kernel(a, x, w).shape).astype(np.float32)
            whole = three(a, x, w, dy)
            monkeypatch.setattr(conv, "_CHUNK", 1)               # an output row per chunk
            monkeypatch.setattr(conv, "_CHUNK_ONE_CHANNEL", 1)
            monkeypatch.setattr(conv, "_SPLIT_WORK", 0)          # any work is split
            monkeypatch.setattr(intra_op, "MIN_WORK", 0)
            assert len(conv._chunks(conv._Geometry(x.shape, w.shape, a, 2, ""))) > 1
            calls = []
            monkeypatch.setattr(intra_op, "_inside", lambda run, *args: calls.append(args) or run(*args))
            intra_op.enable(True)
            split = three(a, x, w, dy)
            intra_op.enable(False)
            assert len(calls) >= 2   # (the shares of the rows: a lone image's batch is not cut)
            for got, want in zip(split, whole):
                assert got.shape == want.shape and got.dtype == want.dtype
                np.testing.assert_allclose(got, want, rtol=0, atol=1e-5 * max(1.0, np.abs(want).max()))
            monkeypatch.undo()
            im2col_only(monkeypatch)
    finally:
        intra_op.enable(False)
        intra_op.configure(1)


@pytest.mark.parametrize("chunk", [1, 300, None])
def test_shares_of_the_batch_land_in_one_result(monkeypatch, chunk):
    """A batch cut into shares (one per intra-op thread) gives one forward and one input gradient holding each
    share's images in its place, whichever route a share takes: one product (its own array, copied into its place
    by its thread), chunks of rows (written in place), groups; one input channel (chunk None: the taps' loops)."""
    rng = np.random.default_rng(5)
    for trial in range(8):
        a, x, w = _case(rng, trial)
        if chunk is None:
            x, w = x[..., :1], w[:, :, :1, :]
        else:
            im2col_only(monkeypatch)
            monkeypatch.setattr(conv, "_CHUNK", chunk)
            monkeypatch.setattr(conv, "_CHUNK_ONE_CHANNEL", chunk)
        dy = rng.standard_normal(get("Conv2D").kernel(a, x, w).shape).astype(np.float32)
        whole = three(a, x, w, dy)
        monkeypatch.setattr(conv, "_SPLIT_WORK", 0)
        with split_into_shares(monkeypatch) as shares:
            split = three(a, x, w, dy)
            assert shares, "the batch was not cut"
        for got, want in zip(split, whole):
            assert got.shape == want.shape and got.dtype == want.dtype
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-5 * max(1.0, np.abs(want).max()))
        monkeypatch.undo()
