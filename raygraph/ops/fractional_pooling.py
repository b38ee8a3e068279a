"""Fractional max and average pooling (`tf.nn.fractional_max_pool`, `fractional_avg_pool`; Graham, 2015) and
their gradient ops, as TF's kernels compute them.

Each run draws a pooling sequence per pooled axis (rows, then columns) from a Philox stream seeded by the op's
`seed`/`seed2` (random seeds when both are 0, drawn once per op when `deterministic`): cut points 0 = a_0 < ... <
a_out = n whose gaps are k = floor(n / out) or k + 1, either a shuffled list of gaps ("random") or
ceil(alpha * (i + u)) for one uniform u ("pseudo_random"). Pooling region i spans a_i .. a_{i+1} - 1, or
a_i .. a_{i+1} (clipped to the axis) when `overlapping`. The kernels visit a region's cells in TF's order (rows,
then columns), one cell offset at a time over every region at once: an offset past a region's last cell
repeats that cell, which changes neither a maximum nor which cell first holds it.
"""
import math

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError, UnimplementedError
from ..graph import get_default_graph
from ..shape import TensorShape
from . import philox
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import constant_value_as_shape, float_text, with_rank

_raw = TensorShape._raw
_T = "float32 float64 int32 int64"
_NAMES = {"FractionalMaxPool": "max", "FractionalAvgPool": "average"}


# ----- pooling sequences ------------------------------------------------------------------------------------
def _sequence(gen, n_in, n_out, pseudo_random):
    """The cut points (n_out + 1 of them) for an axis of n_in cells pooled to n_out."""
    k = n_in // n_out
    if pseudo_random:
        alpha = n_in / n_out
        max_u = min((k + 2) / alpha - 1, (n_in + 1 - k) / alpha - (n_out - 1))
        x0, x1 = gen.samples32(2)
        u = float(philox.uint64_to_double(x0, x1)) * max_u
        cuts = [1] + [math.ceil(alpha * (i + u)) for i in range(1, n_out)] + [n_in + 1]
        gaps = np.diff(cuts)
    else:
        gaps = np.full(n_out, k, np.int64)
        gaps[:n_in % n_out] += 1
        draws = gen.samples32(n_out)
        for i in range(n_out - 1):  # TF's RandomShuffle: swap each place with one at or after it
            j = i + int(draws[i]) % (n_out - i)
            gaps[i], gaps[j] = gaps[j], gaps[i]
    return np.concatenate([[0], np.cumsum(gaps)]).astype(np.int64)


def _regions(cuts, n, overlapping):
    """Per region: its first cell, its last cell, and the most cells any region has."""
    cuts = np.asarray(cuts, np.int64)
    first = cuts[:-1]
    last = np.minimum(cuts[1:] if overlapping else cuts[1:] - 1, n - 1)
    return first, last, int((last - first).max(initial=-1)) + 1


def _offsets(rows, cols):
    """Each (row offset, column offset) of the regions, in TF's visiting order: the row and column each region
    reads there, and whether the offset lies inside the region."""
    (r0, r1, nr), (c0, c1, nc) = rows, cols
    for dr in range(nr):
        for dc in range(nc):
            yield (np.minimum(r0 + dr, r1), np.minimum(c0 + dc, c1),
                   (r0 + dr <= r1)[:, None] & (c0 + dc <= c1)[None, :])


def _check_kernel_attrs(op_type, a):
    ratio = a["pooling_ratio"]
    if len(ratio) != 4:
        raise InvalidArgumentError(None, None, "pooling_ratio field must specify 4 dimensions")
    for r in ratio:
        if r < 1:
            raise InvalidArgumentError(None, None, f"pooling_ratio cannot be smaller than 1, got: {float_text(r)}")
    if ratio[0] != 1 or ratio[3] != 1:
        raise UnimplementedError(None, None, f"Fractional {_NAMES[op_type]} pooling is not yet supported on the "
                                             f"batch nor channel dimension.")
    if not a["deterministic"] and (a["seed"] or a["seed2"]):
        raise InvalidArgumentError(None, None, "Both seed and seed2 should be 0 if deterministic is false.")


def _pooled_sequences(op_type, a, res, x):
    """The output shape and both axes' cut points for one run of a pooling op over x."""
    _check_kernel_attrs(op_type, a)
    if x.ndim != 4:
        raise InvalidArgumentError(None, None, "tensor_in must be 4-dimensional")
    ratio = a["pooling_ratio"]
    for i, (n, r) in enumerate(zip(x.shape, ratio)):
        if n < r:
            raise InvalidArgumentError(None, None, f"Pooling ratio is higher than input dimension size for dimension "
                                                   f"{i}. Input dim size: {n} pooling ratio: {float_text(r)}")
    out = tuple(int(np.floor(np.float32(n) / np.float32(r))) for n, r in zip(x.shape, ratio))
    seeds = (a["seed"], a["seed2"])
    if a["deterministic"] and seeds == (0, 0):  # TF picks the op's seeds once, when its kernel is made
        seeds = res.state.setdefault("seeds", tuple(int(v) for v in np.random.SeedSequence().generate_state(2)))
    gen = philox.Philox(*seeds)  # a fresh stream each run; (0, 0): random seeds each run
    rows = _sequence(gen, x.shape[1], out[1], a["pseudo_random"])
    cols = _sequence(gen, x.shape[2], out[2], a["pseudo_random"])
    return out, rows, cols


# ----- kernels ----------------------------------------------------------------------------------------------
def _lowest(dtype):
    return np.finfo(dtype).min if dtype.kind == "f" else np.iinfo(dtype).min


def _max_pool_kernel(a, res, x):
    out_shape, rows, cols = _pooled_sequences("FractionalMaxPool", a, res, x)
    out = np.full(out_shape, _lowest(x.dtype), x.dtype)
    for ri, ci, _ in _offsets(_regions(rows, x.shape[1], a["overlapping"]),
                              _regions(cols, x.shape[2], a["overlapping"])):
        values = x[:, ri][:, :, ci]
        np.copyto(out, values, where=out < values)  # TF's max(out, value): the running maximum stays on NaN
    return out, rows, cols


def _avg_pool_kernel(a, res, x):
    out_shape, rows, cols = _pooled_sequences("FractionalAvgPool", a, res, x)
    r, c = _regions(rows, x.shape[1], a["overlapping"]), _regions(cols, x.shape[2], a["overlapping"])
    total = np.zeros(out_shape, x.dtype)
    for ri, ci, inside in _offsets(r, c):
        total += np.where(inside[None, :, :, None], x[:, ri][:, :, ci], x.dtype.type(0))
    count = ((r[1] - r[0] + 1)[:, None] * (c[1] - c[0] + 1)[None, :]).astype(x.dtype)[None, :, :, None]
    if x.dtype.kind == "f":
        return total / count, rows, cols
    return (np.sign(total) * (np.abs(total) // count)).astype(x.dtype), rows, cols  # C's division: toward zero


def _check_sequences(rows, cols, n_in):
    if rows.size * cols.size > n_in:
        raise InvalidArgumentError(None, None, "Pooling region has more elements than the input tensor.")


def _check_indices(index, size):
    bad = (index < 0) | (index >= size)
    if bad.any():
        raise InvalidArgumentError(None, None, f"Invalid input backprop index: {int(index[bad][0])}, {size}")


def _max_pool_grad_kernel(a, x, y, grad, rows, cols):
    for name, t in (("orig_input", x), ("orig_output", y)):
        if t.ndim != 4:
            raise InvalidArgumentError(None, None, f"{name} should be a tensor of rank 4, got shape {list(t.shape)}")
        if t.size == 0:
            raise InvalidArgumentError(None, None, f"{name} must not be empty, got shape {list(t.shape)}")
    _check_sequences(rows, cols, x.size)
    b, h, w, d = x.shape
    best = np.full(y.shape, _lowest(x.dtype), x.dtype)
    where = np.full(y.shape, -1, np.int64)
    regions = (_regions(rows, h, a["overlapping"]), _regions(cols, w, a["overlapping"]))
    base = (np.arange(b) * h * w)[:, None, None, None]
    for ri, ci, _ in _offsets(*regions):
        values = x[:, ri][:, :, ci]
        take = (best < values) | (where < 0)  # the first maximum in visiting order
        np.copyto(best, values, where=take)
        pixel = base + (ri[:, None] * w + ci[None, :])[None, :, :, None]
        np.copyto(where, pixel * d + np.arange(d), where=take)
    _check_indices(where, x.size)
    out = np.zeros(x.size, grad.dtype)
    np.add.at(out, where.reshape(-1), grad.reshape(-1))
    return out.reshape(x.shape)


def _avg_pool_grad_kernel(a, shape, grad, rows, cols):
    if np.ndim(shape) != 1 or np.size(shape) != 4:
        raise InvalidArgumentError(None, None, "original input tensor shape must be1-dimensional and 4 elements")
    b, h, w, d = (int(v) for v in shape)
    n_rows, n_cols = grad.shape[1:3]
    r = _regions(rows[:n_rows + 1], h, a["overlapping"])
    c = _regions(cols[:n_cols + 1], w, a["overlapping"])
    sizes = (r[1] - r[0] + 1)[:, None] * (c[1] - c[0] + 1)[None, :]
    share = (grad.astype(np.float64) / sizes[None, :, :, None]).transpose(1, 2, 0, 3).reshape(n_rows * n_cols, -1)
    # each (region, cell) pair's share, summed in double in TF's order: by region, then by cell
    cells, regions, order = [], [], []
    region_ids = np.arange(n_rows * n_cols).reshape(n_rows, n_cols)
    n_offsets = r[2] * c[2]
    for k, (ri, ci, inside) in enumerate(_offsets(r, c)):
        cells.append((ri[:, None] * w + ci[None, :])[inside])
        regions.append(region_ids[inside])
        order.append(region_ids[inside] * n_offsets + k)
    ordered = np.argsort(np.concatenate(order), kind="stable")
    out = np.zeros((h * w, b * d))
    np.add.at(out, np.concatenate(cells)[ordered], share[np.concatenate(regions)[ordered]])
    return out.reshape(h, w, b, d).transpose(2, 0, 1, 3).astype(grad.dtype)


# ----- shapes, gradients, entries ---------------------------------------------------------------------------
def _pool_shape(inputs, a):
    dims = with_rank(inputs[0], 4)
    ratio = a["pooling_ratio"]
    if len(ratio) != 4:
        raise ValueError("pooling_ratio field must specify 4 dimensions")
    out = tuple(None if n is None else int(np.floor(np.float32(n) / np.float32(r))) for n, r in zip(dims, ratio))
    for r in ratio:
        if r < 1:
            raise ValueError(f"pooling_ratio cannot be smaller than 1, got: {float_text(r)}")
    dt = inputs[0].dtype.base_dtype
    return [(dt, _raw(out)), (dtypes.int64, _raw((out[1],))), (dtypes.int64, _raw((out[2],)))]


def _max_pool_grad(op_, grad, _rows, _cols):
    return [apply_op("FractionalMaxPoolGrad", [op_.inputs[0], op_.outputs[0], grad, op_.outputs[1], op_.outputs[2]],
                     {"overlapping": op_._attrs["overlapping"]})]


def _avg_pool_grad(op_, grad, _rows, _cols):
    shape = op_.inputs[0].shape  # TF passes the static shape: a partly known one cannot be converted
    if not shape.is_fully_defined():
        raise ValueError(f"Tried to convert 'orig_input_tensor_shape' to a tensor and failed. Error: Cannot convert "
                         f"a partially known TensorShape {shape} to a Tensor.")
    return [apply_op("FractionalAvgPoolGrad", [np.array(shape.as_list(), np.int64), grad, op_.outputs[1],
                                               op_.outputs[2]], {"overlapping": op_._attrs["overlapping"]})]


# stateful: an unseeded pool draws anew each run, so planning must neither fold it nor merge two of them
op("FractionalMaxPool", "value:T", kernel=_max_pool_kernel, shape=_pool_shape, grad=_max_pool_grad, stateful=True,
   T=_T)
op("FractionalAvgPool", "value:T", kernel=_avg_pool_kernel, shape=_pool_shape, grad=_avg_pool_grad, stateful=True,
   T=_T)
op("FractionalMaxPoolGrad", "orig_input:T, orig_output:T, out_backprop:T, row_pooling_sequence:int64, "
   "col_pooling_sequence:int64", kernel=_max_pool_grad_kernel, grad=NO_GRADIENT_DEFINED, T=_T,
   shape=lambda inputs, a: (inputs[0].dtype.base_dtype, _raw(with_rank(inputs[0], 4))))
op("FractionalAvgPoolGrad", "orig_input_tensor_shape:int64, out_backprop:T, row_pooling_sequence:int64, "
   "col_pooling_sequence:int64", kernel=_avg_pool_grad_kernel, grad=NO_GRADIENT_DEFINED, T=_T,
   shape=lambda inputs, a: (inputs[1].dtype.base_dtype, _shape_input(inputs[0])))


def _shape_input(t):
    """The input's shape from a known shape tensor, else rank 4 of unknown dims (TF's shape function)."""
    known = constant_value_as_shape(t)
    return _raw((None,) * 4 if known.ndims is None else tuple(known.as_list()))


# ----- the API ----------------------------------------------------------------------------------------------
def _fractional(op_type):
    def pool(value, pooling_ratio, pseudo_random=False, overlapping=False, deterministic=False, seed=0, seed2=0,
             name=None):
        if len(pooling_ratio) < 4:
            get_default_graph().unique_name(name or op_type)  # TF names the op before it checks its attrs
            raise ValueError(f"Attr 'pooling_ratio' of '{op_type}' Op passed list of length {len(pooling_ratio)} "
                             f"less than minimum 4.")
        attrs = {"pooling_ratio": [float(r) for r in pooling_ratio], "pseudo_random": bool(pseudo_random),
                 "overlapping": bool(overlapping), "deterministic": bool(deterministic), "seed": int(seed),
                 "seed2": int(seed2)}
        return tuple(apply_op(op_type, [value], attrs, name=name))
    pool.__name__ = f"fractional_{op_type[10:13].lower()}_pool"   # FractionalMaxPool -> fractional_max_pool
    pool.__doc__ = (f"Fractional {_NAMES[op_type]} pooling: (output, row_pooling_sequence, col_pooling_sequence), "
                    f"each of the two middle axes pooled by its (non-integer) ratio over random regions.")
    return pool


fractional_max_pool = _fractional("FractionalMaxPool")
fractional_avg_pool = _fractional("FractionalAvgPool")
