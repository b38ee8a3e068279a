"""Random ops, with TF1's graph-level and op-level seed rules (`set_random_seed`, `seed=`).

Each random op keeps its generator in its device, so successive runs in one session draw new values,
and two sessions of a graph with seeds set draw the same sequence.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..graph import get_default_graph, name_scope
from .registry import FLOATS, NOT_DIFFERENTIABLE, apply_op, constant_value_as_shape, op, with_rank

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2 ** 31 - 1


def set_random_seed(seed):
    """Sets the graph-level seed of the default graph."""
    get_default_graph().seed = seed


def get_seed(op_seed):
    """The (seed, seed2) pair an op gets from the graph seed and its own seed (TF's rules)."""
    g = get_default_graph()
    if g.seed is not None:
        if op_seed is None:
            op_seed = getattr(g, "_seed_counter", 0)
            g._seed_counter = op_seed + 1
        seeds = g.seed % _MAXINT32, op_seed % _MAXINT32
    elif op_seed is not None:
        seeds = DEFAULT_GRAPH_SEED, op_seed % _MAXINT32
    else:
        seeds = None, None
    return (0, _MAXINT32) if seeds == (0, 0) else seeds


def _generator(res, a):
    """The op's generator, made on first use: seeded by (seed, seed2), or from entropy when both are 0."""
    rng = res.state.get("rng")
    if rng is None:
        seed, seed2 = a["seed"], a["seed2"]
        if seed == 0 and seed2 == 0:
            rng = np.random.Generator(np.random.Philox())
        else:
            rng = np.random.Generator(np.random.Philox(key=[seed, seed2]))
        res.state["rng"] = rng
    return rng


def _shape_of(s):
    return tuple(int(d) for d in np.ravel(s))


def _uniform(a, res, s):
    return _generator(res, a).random(_shape_of(s), dtype=np.float64).astype(a["dtype"].as_numpy_dtype)


def _uniform_int(a, res, s, lo, hi):
    if lo >= hi:
        from ..errors import InvalidArgumentError
        raise InvalidArgumentError(None, None, f"Need minval < maxval, got {lo} >= {hi}")
    return _generator(res, a).integers(lo, hi, _shape_of(s), dtype=a["Tout"].as_numpy_dtype)


def _normal(a, res, s):
    return _generator(res, a).standard_normal(_shape_of(s)).astype(a["dtype"].as_numpy_dtype)


def _truncated(a, res, s):
    rng, shape = _generator(res, a), _shape_of(s)
    out = rng.standard_normal(shape)
    bad = np.abs(out) > 2
    while bad.any():  # redraw values more than two standard deviations out, as TF does
        out[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(out) > 2
    return out.astype(a["dtype"].as_numpy_dtype)


def _random_shape(inputs, a):
    with_rank(inputs[0], 1)
    for t in inputs[1:]:  # RandomUniformInt's minval and maxval
        with_rank(t, 0)
    return a.get("dtype") or a["Tout"], constant_value_as_shape(inputs[0])


_INDEX = (dtypes.int32, dtypes.int64)
_FLOAT = "float16 bfloat16 float32 float64"
op("RandomUniform", "shape:T", kernel=_uniform, shape=_random_shape, stateful=True, grad=NOT_DIFFERENTIABLE,
   T=_INDEX, dtype=_FLOAT)
op("RandomUniformInt", "shape:T, minval:Tout, maxval:Tout", kernel=_uniform_int, stateful=True,
   shape=_random_shape, grad=NOT_DIFFERENTIABLE, T=_INDEX, Tout=_INDEX)
op("RandomStandardNormal", "shape:T", kernel=_normal, shape=_random_shape, stateful=True, grad=NOT_DIFFERENTIABLE,
   T=_INDEX, dtype=_FLOAT)
op("TruncatedNormal", "shape:T", kernel=_truncated, shape=_random_shape, stateful=True, grad=NOT_DIFFERENTIABLE,
   T=_INDEX, dtype=_FLOAT)


def _seed_attrs(dtype, seed):
    seed1, seed2 = get_seed(seed)
    return {"dtype": dtype, "seed": seed1 or 0, "seed2": seed2 or 0}


def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Uniform values in [minval, maxval) (maxval defaults to 1 for floats)."""
    dtype = dtypes.as_dtype(dtype)
    if dtype not in FLOATS + (dtypes.int32, dtypes.int64):
        raise ValueError(f"Invalid dtype {dtype!r}")
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        maxval = 1
    with name_scope(name, "random_uniform", [shape, minval, maxval]) as scope:
        shape = convert_to_tensor(shape, name="shape", preferred_dtype=dtypes.int32)
        zero = isinstance(minval, int) and minval == 0
        one = isinstance(maxval, int) and maxval == 1
        if not zero or not one or dtype.is_integer:
            minval = convert_to_tensor(minval, dtype=dtype, name="min")
            maxval = convert_to_tensor(maxval, dtype=dtype, name="max")
        attrs = _seed_attrs(dtype, seed)
        if dtype.is_integer:
            attrs["Tout"] = attrs.pop("dtype")
            return apply_op("RandomUniformInt", [shape, minval, maxval], attrs, name=scope)
        result = apply_op("RandomUniform", [shape], attrs)
        if zero:
            return result if one else apply_op("Mul", [result, maxval], {})
        return apply_op("AddV2", [result * (maxval - minval), minval], {}, name=scope)


def _scaled(op_type, default_name, shape, mean, stddev, dtype, seed, name):
    dtype = dtypes.as_dtype(dtype)
    with name_scope(name, default_name, [shape, mean, stddev]) as scope:
        shape = convert_to_tensor(shape, name="shape", preferred_dtype=dtypes.int32)
        mean = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        rnd = apply_op(op_type, [shape], _seed_attrs(dtype, seed))
        return apply_op("AddV2", [rnd * stddev, mean], {}, name=scope)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normally distributed values."""
    return _scaled("RandomStandardNormal", "random_normal", shape, mean, stddev, dtype, seed, name)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normal values, redrawn when more than two standard deviations from the mean."""
    return _scaled("TruncatedNormal", "truncated_normal", shape, mean, stddev, dtype, seed, name)
