"""Counting values: `Bincount` and `DenseBincount` (what `tf.math.bincount` builds), and `SobolSample`, TF's
quasi-random Sobol sequence (Joe and Kuo's direction numbers, the origin left out, as scipy's qmc computes it)."""
import warnings

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import reshape, size
from .math import cast, greater, maximum, minimum
from .reduction import reduce_max
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import constant_value

_raw = TensorShape._raw


def _counts(values, n, weights, dtype, binary=False):
    values = np.asarray(values)
    if np.any(values < 0):
        raise InvalidArgumentError(None, None, "Input arr must be non-negative!")
    keep = values < n
    out = np.zeros(n, dtype)
    w = np.ones(values.shape, dtype) if weights is None or np.size(weights) == 0 else np.asarray(weights)
    if binary:
        out[values[keep]] = 1
    else:
        np.add.at(out, values[keep], w[keep])
    return out


def _size_of(n):
    n = int(n)
    if n < 0:
        raise InvalidArgumentError(None, None, f"size ({n}) must be non-negative")
    return n


def _dense_kernel(a, values, n, weights):
    n, dtype = _size_of(n), a["T"].as_numpy_dtype
    if np.size(weights) and np.shape(weights) != np.shape(values):
        raise InvalidArgumentError(None, None, "`weights` must be the same shape as `arr` or a length-0 `Tensor`, "
                                               "in which case it acts as all weights equal to 1.")
    if np.ndim(values) == 1:
        return _counts(values, n, weights, dtype, a["binary_output"])
    rows = [_counts(v, n, w if np.size(weights) else None, dtype, a["binary_output"])
            for v, w in zip(values, weights if np.size(weights) else values)]
    return np.stack(rows) if rows else np.zeros((0, n), dtype)


def _dense_shape(inputs, a):
    values, n, _ = inputs
    count = constant_value(n)
    count = None if count is None else int(count)
    d = values.shape._dims
    if d is None:
        return a["T"], TensorShape(None)
    if len(d) > 2:
        raise ValueError(f"Shape must be at most rank 2 but is rank {len(d)}")
    return a["T"], _raw((count,) if len(d) <= 1 else (d[0], count))


op("Bincount", "arr:int32, size:int32, weights:T", T="int32 int64 float32 float64", grad=NO_GRADIENT_DEFINED,
   kernel=lambda a, v, n, w: _counts(v, _size_of(n), w, a["T"].as_numpy_dtype),
   shape=lambda i, a: (a["T"], _raw((None if constant_value(i[1]) is None else int(constant_value(i[1])),))))
op("DenseBincount", "input:Tidx, size:Tidx, weights:T", Tidx="int32 int64", T="int32 int64 float32 float64",
   kernel=_dense_kernel, shape=_dense_shape, grad=NO_GRADIENT_DEFINED)


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32):
    """How often each value 0, 1, ... occurs in `arr` (or the sum of its `weights`), as TF1 builds it."""
    with name_scope("bincount"):
        arr = convert_to_tensor(arr, name="arr")
        if weights is not None:
            weights = convert_to_tensor(weights, name="weights")
        if not arr.dtype.is_integer:
            arr = cast(arr, dtypes.int32)
        output_size = cast(greater(size(arr), 0), arr.dtype) * (reduce_max(arr) + 1)
        if minlength is not None:
            output_size = maximum(convert_to_tensor(minlength, name="minlength", dtype=arr.dtype), output_size)
        if maxlength is not None:
            output_size = minimum(convert_to_tensor(maxlength, name="maxlength", dtype=arr.dtype), output_size)
        if weights is not None:
            weights = reshape(weights, [-1])
        arr = reshape(arr, [-1])
        if weights is None:
            weights = constant([], dtype=dtype)
        return apply_op("DenseBincount", [arr, output_size, weights], {"binary_output": False})


# ----- SobolSample ----------------------------------------------------------------------------------------------
def _sobol_kernel(a, dim, num_results, skip):
    dim, num_results, skip = int(dim), int(num_results), int(skip)
    if dim < 1:
        raise InvalidArgumentError(None, None, f"dim must be at least one, got {dim}")
    if num_results < 1:
        raise InvalidArgumentError(None, None, f"num_results must be at least one, got {num_results}")
    if skip < 0:
        raise InvalidArgumentError(None, None, f"skip must be non-negative, got {skip}")
    from scipy.stats import qmc  # noqa: PLC0415 - scipy.stats costs every process 0.3 s to import; few use Sobol
    engine = qmc.Sobol(d=dim, scramble=False)
    engine.fast_forward(1 + skip)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy's note that 2**m points balance best
        return engine.random(num_results).astype(a["dtype"].as_numpy_dtype)


def _sobol_shape(inputs, a):
    dim, num = (constant_value(t) for t in inputs[:2])
    return a["dtype"], _raw((None if num is None else int(num), None if dim is None else int(dim)))


op("SobolSample", "dim:int32, num_results:int32, skip:int32", kernel=_sobol_kernel, shape=_sobol_shape,
   grad=NO_GRADIENT_DEFINED, dtype="float32 float64")


def sobol_sample(dim, num_results, skip=0, dtype=dtypes.float32, name=None):
    """`num_results` points of the `dim`-dimensional Sobol sequence, after skipping `skip` of them."""
    with name_scope(name, "sobol", [dim, num_results, skip]):
        return apply_op("SobolSample", [dim, num_results, skip], {"dtype": dtypes.as_dtype(dtype)})
