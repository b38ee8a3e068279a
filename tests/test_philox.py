"""TF's Philox4x32-10 (ops/philox.py) computed a few thousand counters at a time: cut anywhere, the blocks are
those of one pass over all counters, across the carry of the counter's low 64 bits into its high ones; and
TF's published test vector."""
import numpy as np

from raygraph.ops import philox


def test_blocks_cut_into_pieces_are_the_blocks_of_one_pass(monkeypatch):
    rng = np.random.default_rng(0)
    for trial in range(20):
        key = int(rng.integers(0, 2 ** 62)) * 3
        start = (int(rng.integers(0, 2 ** 62)) << 64) | (2 ** 64 - int(rng.integers(1, 300)))   # wraps inside
        offsets = np.arange(int(rng.integers(1, 600))) if trial % 2 else np.sort(rng.integers(0, 10 ** 6, 500))
        monkeypatch.setattr(philox, "_BLOCK", 1 << 30)
        whole = philox.blocks(key, start, offsets)
        monkeypatch.setattr(philox, "_BLOCK", int(rng.integers(1, 50)))
        assert np.array_equal(philox.blocks(key, start, offsets), whole)


def test_known_answer():
    # Random123's known-answer test for philox4x32-10 (the generator TF's PhiloxRandom implements): counter
    # (0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), key (0xa4093822, 0x299f31d0)
    counter = (0x03707344 << 96) | (0x13198a2e << 64) | (0x85a308d3 << 32) | 0x243f6a88
    key = (0x299f31d0 << 32) | 0xa4093822
    assert philox.blocks(key, counter, [0]).tolist() == [[0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]]


def test_box_mullers_log_sin_cos_are_the_c_librarys_compiled_or_not(monkeypatch):
    """TF's float Box-Muller calls logf, sinf and cosf: the compiled loop (from compiled.COMPILED values) and the
    float64 way with its ctypes recheck both give the C library's own bits."""
    lib = philox._libm()
    rng = np.random.default_rng(3)
    u = np.maximum(rng.random(20000, dtype=np.float32), np.float32(1e-7))
    angles = (np.float32(2 * np.pi) * rng.random(20000, dtype=np.float32)).astype(np.float32)
    for fn, x, c_fn in ((np.log, u, lib.logf), (np.sin, angles, lib.sinf), (np.cos, angles, lib.cosf)):
        want = np.array([c_fn(float(v)) for v in x], np.float32).view(np.uint32)
        compiled_way = philox._f32(fn, x)
        monkeypatch.setattr(philox.compiled, "COMPILED", 1 << 62)
        plain_way = philox._f32(fn, x)
        monkeypatch.undo()
        assert compiled_way.dtype == plain_way.dtype == np.float32
        np.testing.assert_array_equal(compiled_way.view(np.uint32), want)
        np.testing.assert_array_equal(plain_way.view(np.uint32), want)
