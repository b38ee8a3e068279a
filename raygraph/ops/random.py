"""Random ops, with TF1's graph-level and op-level seed rules (`set_random_seed`, `seed=`).

Each random op keeps its generator in its device, so successive runs in one session draw new values,
and two sessions of a graph with seeds set draw the same sequence: TF's own (philox.py).
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..errors import InvalidArgumentError
from ..default_graph import control_dependencies, name_scope
from ..graph import get_default_graph
from ..shape import TensorShape
from . import distributions, philox
from .array import broadcast_dynamic_shape, broadcast_to, reshape, shape as shape_of
from .filling import ones, range as math_range
from .joining import concat
from .math import maximum, truediv
from .reduction import reduce_sum
from .registry import FLOATS, NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, REALS, apply_op, op
from .shape_fns import broadcast_shape, constant_value, constant_value_as_shape, with_rank

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


def _draw(dist, a, res, s, *args):
    """`dist` over the op's Philox stream: its generator lives in the device between runs (TF's
    GuardedPhiloxRandom), seeded by (seed, seed2), or randomly when both are 0."""
    gen = res.state.get("philox")
    if gen is None:
        gen = res.state["philox"] = philox.Philox(a["seed"], a["seed2"])
    shape = _shape_of(s)
    n = int(np.prod(shape, dtype=np.int64))
    dtype = (a.get("dtype") or a["Tout"]).as_numpy_dtype
    return dist(gen.key, gen.reserve(n), n, *args, dtype).reshape(shape)


def _shape_of(s):
    if np.ndim(s) != 1:
        raise InvalidArgumentError(None, None, f"shape must be a vector of {{int32,int64}}, got shape "
                                               f"[{','.join(map(str, np.shape(s)))}]")
    if np.any(np.asarray(s) < 0):
        raise InvalidArgumentError(None, None, f"Dimension {int(np.min(s))} must be >= 0")
    return tuple(int(d) for d in s)


def _uniform_int(a, res, s, lo, hi):
    if np.ndim(lo) or np.ndim(hi):
        raise InvalidArgumentError(None, None, "minval and maxval must be 0-D")
    if lo >= hi and np.prod(_shape_of(s)) > 0:
        raise InvalidArgumentError(None, None, f"Need minval < maxval: {lo} >= {hi}")
    return _draw(philox.uniform_int, a, res, s, lo, hi)


def _random_shape(inputs, a):
    with_rank(inputs[0], 1)
    for t in inputs[1:]:  # RandomUniformInt's minval and maxval
        with_rank(t, 0)
    return a.get("dtype") or a["Tout"], constant_value_as_shape(inputs[0])


_INDEX = (dtypes.int32, dtypes.int64)
_FLOAT = "float16 bfloat16 float32 float64"
_RANDOM = dict(shape=_random_shape, stateful=True, grad=NOT_DIFFERENTIABLE, T=_INDEX)
op("RandomUniform", "shape:T", kernel=lambda a, res, s: _draw(philox.uniform, a, res, s), dtype=_FLOAT, **_RANDOM)
op("RandomUniformInt", "shape:T, minval:Tout, maxval:Tout", kernel=_uniform_int, Tout=_INDEX, **_RANDOM)
op("RandomStandardNormal", "shape:T", kernel=lambda a, res, s: _draw(philox.normal, a, res, s), dtype=_FLOAT,
   **_RANDOM)
op("TruncatedNormal", "shape:T", kernel=lambda a, res, s: _draw(philox.truncated_normal, a, res, s), dtype=_FLOAT,
   **_RANDOM)


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


# ----- RandomShuffle: TF's in-place Fisher-Yates over one uint32 per swap ---------------------------------------
def _shuffle_kernel(a, res, value):
    value = np.asarray(value)
    n = value.shape[0] if value.ndim else 0
    if n <= 1:
        return value
    gen = res.state.get("philox")
    if gen is None:
        gen = res.state["philox"] = philox.Philox(a["seed"], a["seed2"])
    blocks = (n - 1 + 3) // 4  # TF's ReserveSamples32(n - 1): whole Philox blocks
    draws = philox.blocks(gen.key, gen.counter, np.arange(blocks)).reshape(-1)
    gen.counter = (gen.counter + blocks) % 2 ** 128
    order = np.arange(n)
    for i in range(n - 1):
        j = i + int(draws[i]) % (n - i)
        order[i], order[j] = order[j], order[i]
    return value[order]


def _shuffle_shape(inputs, a):
    return inputs[0].dtype, inputs[0].shape


op("RandomShuffle", "value:T", kernel=_shuffle_kernel, shape=_shuffle_shape, stateful=True, grad=NOT_DIFFERENTIABLE)


def random_shuffle(value, seed=None, name=None):
    """`value` with its first dimension in a random order."""
    seed1, seed2 = get_seed(seed)
    return apply_op("RandomShuffle", [value], {"seed": seed1 or 0, "seed2": seed2 or 0}, name=name)


# ----- Multinomial, RandomGamma, RandomPoissonV2: TF's samplers (distributions.py) over the op's stream -------
def _generator(a, res):
    gen = res.state.get("philox")
    if gen is None:
        gen = res.state["philox"] = philox.Philox(a["seed"], a["seed2"])
    return gen


def check_logits(logits, num_samples):
    if np.ndim(logits) != 2:
        raise InvalidArgumentError(None, None, f"logits should be a matrix, got shape {list(np.shape(logits))}")
    if np.ndim(num_samples) != 0:
        raise InvalidArgumentError(None, None, "num_samples should be a scalar, got shape "
                                               f"{list(np.shape(num_samples))}")
    if num_samples < 0:
        raise InvalidArgumentError(None, None, f"num_samples should be non-negative, got {int(num_samples)}")
    if np.shape(logits)[1] == 0:
        raise InvalidArgumentError(None, None, "num_classes should be positive, got 0")
    return int(num_samples)


def _multinomial_kernel(a, res, logits, num_samples):
    n = check_logits(logits, num_samples)
    gen = _generator(a, res)
    start = gen.reserve(distributions.multinomial_blocks(np.shape(logits)[0], n) if n else 0)
    return distributions.multinomial(gen.key, start, logits, n, a["output_dtype"].as_numpy_dtype)


def multinomial_shape(inputs, a):
    d = with_rank(inputs[0], 2)
    with_rank(inputs[1], 0)
    n = constant_value(inputs[1])
    if n is not None and n < 0:
        raise ValueError(f"Dimension {int(n)} must be >= 0")
    return a["output_dtype"], TensorShape._raw((d[0], None if n is None else int(n)))


def _samples_and_params(s, params, what):
    shape = _shape_of(s)
    if np.size(params) == 0:
        raise InvalidArgumentError(None, None, f"Input {what} should have non-zero element count, got: 0")
    return shape, int(np.prod(shape, dtype=np.int64))


def _gamma_kernel(a, res, s, alpha):
    shape, n = _samples_and_params(s, alpha, "alpha")
    if n == 0:
        raise InvalidArgumentError(None, None, "Input shape should have non-zero element count, got: 0")
    gen = _generator(a, res)
    start = gen.reserve(n * np.size(alpha))
    out = distributions.gamma(gen.key, start, alpha, n, a["T"].as_numpy_dtype)
    return out.reshape(shape + np.shape(alpha))


def _poisson_kernel(a, res, s, rate):
    shape, n = _samples_and_params(s, rate, "rate")
    dtype = a["dtype"].as_numpy_dtype
    if n == 0:
        return np.zeros(shape + np.shape(rate), dtype)
    gen = _generator(a, res)
    start = gen.reserve(n * np.size(rate))
    return distributions.poisson(gen.key, start, rate, n, dtype).reshape(shape + np.shape(rate))


def _prepended_shape(dtype_attr):
    def fn(inputs, a):
        with_rank(inputs[0], 1)
        head, tail = constant_value_as_shape(inputs[0]), inputs[1].shape
        return a[dtype_attr], head.concatenate(tail)
    return fn


def gamma_grad_alpha(sample_dims, alpha, sample, grad):
    """d loss / d alpha: RandomGammaGrad (d sample / d alpha) times `grad`, summed over the sample dimensions."""
    lead = reshape(alpha, concat([ones([sample_dims], dtypes.int32), shape_of(alpha)], 0))
    partial = apply_op("RandomGammaGrad", [lead, sample], {})
    return reduce_sum(grad * partial, math_range(sample_dims))


def _gamma_grad(op, grad):
    """TF's _RandomGammaGrad: the sample dimensions are all of `shape`'s."""
    shape, alpha = op.inputs
    with control_dependencies([grad]):
        return [None, gamma_grad_alpha(shape_of(shape)[0], alpha, op.outputs[0], grad)]


op("Multinomial", "logits:T, num_samples:int32", kernel=_multinomial_kernel, shape=multinomial_shape, stateful=True,
   grad=NOT_DIFFERENTIABLE, T=REALS, output_dtype=_INDEX)
op("RandomGamma", "shape:S, alpha:T", kernel=_gamma_kernel, shape=_prepended_shape("T"), stateful=True,
   grad=_gamma_grad, S=_INDEX, T=_FLOAT)
op("RandomPoissonV2", "shape:S, rate:R=float64", kernel=_poisson_kernel, shape=_prepended_shape("dtype"),
   stateful=True, grad=NO_GRADIENT_DEFINED, S=_INDEX, R="float16 float32 float64 int32 int64",
   dtype="float16 float32 float64 int32 int64")


def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """Samples of class indices from each row of unnormalized log-probabilities (TF1's tf.multinomial)."""
    with name_scope(name, "multinomial", [logits]):
        return _multinomial(logits, num_samples, output_dtype, seed)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """Samples of class indices from each row of unnormalized log-probabilities."""
    with name_scope(name, "categorical", [logits]):
        return _multinomial(logits, num_samples, dtype, seed)


def _multinomial(logits, num_samples, dtype, seed):
    logits = convert_to_tensor(logits, name="logits")
    dtype = dtypes.as_dtype(dtype) if dtype else dtypes.int64
    if dtype not in _INDEX:
        raise ValueError(f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are {_INDEX}.")
    seed1, seed2 = get_seed(seed)
    return apply_op("Multinomial", [logits, num_samples],
                    {"seed": seed1 or 0, "seed2": seed2 or 0, "output_dtype": dtype})


def random_gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """Gamma(alpha, beta) samples of shape `shape + broadcast(alpha, beta).shape`."""
    with name_scope(name, "random_gamma", [shape, alpha, beta]):
        shape = convert_to_tensor(shape, name="shape", dtype=dtypes.int32)
        alpha = convert_to_tensor(alpha, name="alpha", dtype=dtype)
        beta = convert_to_tensor(beta if beta is not None else 1, name="beta", dtype=dtype)
        both = broadcast_dynamic_shape(shape_of(alpha), shape_of(beta))
        seed1, seed2 = get_seed(seed)
        sample = apply_op("RandomGamma", [shape, broadcast_to(alpha, both)], {"seed": seed1 or 0, "seed2": seed2 or 0})
        return maximum(np.finfo(alpha.dtype.as_numpy_dtype).tiny, truediv(sample, beta))


def random_poisson(lam, shape, dtype=dtypes.float32, seed=None, name=None):
    """Poisson(lam) samples of shape `shape + lam.shape`."""
    with name_scope(name, "random_poisson", [lam, shape]):
        shape = convert_to_tensor(shape, name="shape", preferred_dtype=dtypes.int32)
        seed1, seed2 = get_seed(seed)
        return apply_op("RandomPoissonV2", [shape, lam],
                        {"seed": seed1 or 0, "seed2": seed2 or 0, "dtype": dtypes.as_dtype(dtype)})


def _gamma_der_kernel(a, alpha, sample):
    return distributions.gamma_sample_der_alpha(alpha, sample).reshape(np.broadcast_shapes(
        np.shape(alpha), np.shape(sample))).astype(np.result_type(alpha))


op("RandomGammaGrad", "alpha:T, sample:T", kernel=_gamma_der_kernel, grad=NO_GRADIENT_DEFINED, T="float32 float64",
   shape=broadcast_shape)
