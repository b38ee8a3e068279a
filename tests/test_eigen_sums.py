"""TF's summation order (raygraph/ops/eigen_sums.py): its compiled loops give the numpy way's bits."""
import numpy as np
import pytest

from raygraph.ops import eigen_sums


def _both(fn, x, monkeypatch):
    """fn(x) the numpy way (COMPILED out of reach) and the compiled way (every size compiled)."""
    monkeypatch.setattr(eigen_sums, "COMPILED", 1 << 62)
    plain = fn(x)
    monkeypatch.setattr(eigen_sums, "COMPILED", 0)
    return plain, fn(x)


def _values(shape, seed):
    rng = np.random.default_rng(seed)   # magnitudes over many binades: the order shows in the last bits
    x = (rng.standard_normal(shape) * np.exp2(rng.integers(-12, 12, shape))).astype(np.float32)
    x.reshape(-1)[:3] = -0.0
    return x


@pytest.mark.parametrize("rows", [1, 3, 4, 15, 16, 17, 31, 128, 133])
@pytest.mark.parametrize("cols", [2, 7, 8, 10, 16, 19, 256])   # (a column [n, 1] is summed whole: row_sums)
def test_compiled_column_sums_match_numpys_bits(rows, cols, monkeypatch):
    x = _values((rows, cols), rows * 1000 + cols)
    plain, compiled = _both(eigen_sums.column_sums, x, monkeypatch)
    assert compiled.dtype == np.float32 and compiled.shape == (cols,)
    np.testing.assert_array_equal(compiled.view(np.int32), plain.view(np.int32))


@pytest.mark.parametrize("n", [1, 5, 8, 31, 32, 33, 100, 255, 288, 1023, 4096, 8192, 8193, 20000, 147456])
@pytest.mark.parametrize("rows", [1, 3])
def test_compiled_row_sums_match_numpys_bits(n, rows, monkeypatch):
    x = _values((rows, n), n + rows)
    plain, compiled = _both(eigen_sums.row_sums, x, monkeypatch)
    assert compiled.dtype == np.float32 and compiled.shape == (rows,)
    np.testing.assert_array_equal(compiled.view(np.int32), plain.view(np.int32))


def test_negative_zeros_sum_to_positive_zero_either_way(monkeypatch):
    x = np.full((20, 9), -0.0, np.float32)
    for fn in (eigen_sums.column_sums, eigen_sums.row_sums):
        for out in _both(fn, x, monkeypatch):
            assert not np.signbit(out).any()



@pytest.mark.parametrize("n, seed, blocks", [(108387, 2, 1), (108388, 0, 2), (159999, 4, 2), (211612, 0, 3),
                                             (211613, 0, 4)])
def test_a_whole_tensors_sum_takes_one_block_per_thread_from_tfs_lengths(n, seed, blocks, monkeypatch):
    """The lengths at which TF 2.21 began to sum in 2, 3 and 4 blocks in a pool of four threads (found against
    TF; tests/tf_recorded/cases_reduction_order.py records a pool of two's sums). The values (seeds) give four
    different sums for 1-4 blocks."""
    from raygraph.ops.compiled import eigen_loops
    from scheduler import intra_op
    monkeypatch.setattr(intra_op, "_threads", 4)
    x = _values(n, seed)
    sums = [eigen_loops().tree_sum(x, 0, n)] + [eigen_loops().blocks_sum(x, b) for b in (2, 3, 4)]
    bits = [np.float32(v).view(np.int32).item() for v in sums]
    assert len(set(bits)) == 4
    got = eigen_sums.whole_sum(x)
    assert got.dtype == np.float32 and got.view(np.int32).item() == bits[blocks - 1]
