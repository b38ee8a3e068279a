"""Select's bitwise kernel (raygraph/ops/slicing.py `choose`) copies exactly the chosen elements' bits."""
import numpy as np
import pytest

from raygraph.ops.slicing import choose

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int8, np.int64, np.complex64, np.bool_])
def test_select_copies_the_chosen_bits(dtype):
    n = 1 << 15
    a = (RNG.standard_normal(n) * 100).astype(dtype)
    b = (RNG.standard_normal(n) * 100).astype(dtype)
    if np.dtype(dtype).kind == "f":
        a[:4] = [np.nan, np.inf, -0.0, -np.inf]
    c = RNG.random(n) < 0.5
    got = choose(c, a, b)
    assert got.dtype == a.dtype and got.shape == a.shape
    np.testing.assert_array_equal(got.view(np.uint8), np.where(c, a, b).view(np.uint8))
    small = choose(c[:10], a[:10], b[:10])   # np.where itself
    np.testing.assert_array_equal(small, np.where(c[:10], a[:10], b[:10]))
