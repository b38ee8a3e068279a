"""Elementwise kernels over widened rows (raygraph/ops/wide_rows.py) give numpy's results exactly."""
import numpy as np
import pytest

from raygraph.ops import wide_rows

RNG = np.random.default_rng(0)


@pytest.mark.parametrize("fn", [np.add, np.subtract, np.multiply, np.maximum, np.minimum])
@pytest.mark.parametrize("big_shape,small_shape", [
    ((64, 28, 28, 16), (16,)),        # a bias over NHWC channels: widened
    ((64, 28, 28, 16), (1, 1, 16)),   # with leading ones
    ((8, 28, 28, 16), (28, 16)),      # several trailing axes
    ((64, 28, 28, 16), ()),           # a scalar
    ((4097, 5), (5,)),                # rows that do not divide into wide ones evenly
    ((64, 28, 28, 16), (28, 1)),      # not a trailing block: numpy's own broadcasting
    ((128, 256), (256,)),             # long rows already
    ((10, 16), (16,)),                # small
])
def test_same_values_as_numpy(fn, big_shape, small_shape):
    big = RNG.standard_normal(big_shape).astype(np.float32)
    small = RNG.standard_normal(small_shape).astype(np.float32)
    for scalars in (False, True):
        wide, kernel = wide_rows.binary(fn, scalars=scalars), wide_rows.binary_kernel(fn, scalars=scalars)
        for x, y in ((big, small), (small, big)):
            want = fn(x, y)
            for got in (wide(x, y), kernel({"T": None}, x, y)):   # the op kernel form ignores its attrs
                assert got.shape == want.shape and got.dtype == want.dtype
                np.testing.assert_array_equal(got, want)


def test_other_dtypes_and_layouts():
    add = wide_rows.binary(np.add)
    ints = RNG.integers(-5, 5, (512, 64, 4), dtype=np.int32)
    np.testing.assert_array_equal(add(ints, np.arange(4, dtype=np.int32)), ints + np.arange(4, dtype=np.int32))
    strided = RNG.standard_normal((256, 128, 8)).astype(np.float32)[:, ::2]    # not contiguous
    np.testing.assert_array_equal(add(strided, np.ones(8, np.float32)), strided + 1)
    np.testing.assert_array_equal(add(np.float32(2), strided), strided + 2)   # a numpy scalar, not an array


def test_relu_and_its_gradient():
    x = RNG.standard_normal((64, 28, 28, 16)).astype(np.float32)
    x[0, 0, 0, :3] = [np.nan, 0.0, -0.0]
    np.testing.assert_array_equal(wide_rows.relu(x), np.maximum(x, 0))
    odd = RNG.standard_normal((3, 7)).astype(np.float32)
    np.testing.assert_array_equal(wide_rows.relu(odd), np.maximum(odd, 0))
    assert wide_rows.relu(np.arange(-3, 3, dtype=np.int64)).dtype == np.int64
    g = RNG.standard_normal(x.shape).astype(np.float32)
    np.testing.assert_array_equal(wide_rows.relu_grad(g, x), g * (x > 0))



def test_elu_kernel_is_tfs_select_for_every_value():
    """TF's functor selects exp(x) - 1 where x < 0, else x (so -0.0 stays -0.0, and a negative x too small to
    move exp(x) off 1 gives 0: TF does not use expm1)."""
    from raygraph.ops.registry import get
    elu = get("Elu").kernel
    edge = np.array([-0.0, 0.0, np.nan, -np.inf, np.inf, -1e-30, 1e-30, -3.0, 2.0], np.float32)
    for x in (edge, RNG.standard_normal((64, 28, 28, 16)).astype(np.float32) * 5, edge.astype(np.float64)):
        with np.errstate(over="ignore"):
            want = np.where(x < 0, np.exp(x) - x.dtype.type(1), x).astype(x.dtype)
        got = elu({}, x)
        assert got.dtype == x.dtype
        np.testing.assert_array_equal(got, want)
        assert np.array_equal(np.signbit(got), np.signbit(want))
