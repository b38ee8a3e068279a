"""Stateless random ops (`tf.random.stateless_*`, `split`, `fold_in`): the same seed gives the same values.

A seed of two integers becomes a Philox key and counter (`StatelessRandomGetKeyCounter`, TF's GenerateKey);
the V2 ops fill their output from that key and counter with TF's distributions, so uniform, normal,
truncated normal, integer, categorical, gamma, Poisson and binomial values are TF's bit for bit. The
parameterized truncated normal uses numpy's own sampler seeded from the key and counter: stable for a seed,
not TF's numbers.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import control_dependencies, name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from . import distributions, philox
from .array import broadcast_dynamic_shape, broadcast_to, rank
from .array import shape as shape_of
from .joining import stack
from .math import maximum, truediv
from .random import _INDEX, _shape_of, check_logits, gamma_grad_alpha, multinomial_shape
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, REALS, apply_op, op
from .shape_fns import constant_value_as_shape, with_rank

_AUTO_SELECT, _ALGORITHMS = 3, {"philox": 1, "threefry": 2, "auto_select": 3}
_FLOAT = "float16 bfloat16 float32 float64"
_INTS = "int32 int64 uint32 uint64"


# ----- key and counter -------------------------------------------------------------------------------------
def _check_seed(seed):
    if np.shape(seed) != (2,):
        raise InvalidArgumentError(None, None, f"seed must have shape [2], not {list(np.shape(seed))}")
    return distributions.stateless_key_counter(seed)


def _key_counter_kernel(a, seed):
    key, counter = _check_seed(seed)
    return np.array([key], np.uint64), np.array([counter % 2 ** 64, counter >> 64], np.uint64)


def _seed_shape(t):
    d = with_rank(t, 1)
    if d[0] not in (None, 2):
        raise ValueError(f"Dimension must be 2 but is {d[0]}")


def _key_counter_shape(inputs, a):
    _seed_shape(inputs[0])
    return [(dtypes.uint64, TensorShape._raw((1,))), (dtypes.uint64, TensorShape._raw((2,)))]


op("StatelessRandomGetKeyCounter", "seed:Tseed", kernel=_key_counter_kernel, shape=_key_counter_shape,
   grad=NO_GRADIENT_DEFINED, Tseed=_INDEX)


def _philox_of(key, counter, alg):
    if int(alg) not in (1, 3):
        raise InvalidArgumentError(None, None, f"Unsupported algorithm id: {int(alg)}")
    if np.shape(key) != (1,) or np.shape(counter) != (2,):
        raise InvalidArgumentError(None, None, "key must have shape [1] and counter shape [2] for Philox")
    return int(key[0]), int(counter[0]) | (int(counter[1]) << 64)


# ----- the V2 ops: a distribution filled from (key, counter) -------------------------------------------------
def _full_int(key, start, n, dtype):
    if np.dtype(dtype).itemsize == 8:
        b = philox.blocks(key, start, np.arange(-(-n // 2))).reshape(-1)
        bits = b[0::2].astype(np.uint64) | (b[1::2].astype(np.uint64) << np.uint64(32))
        return bits[:n].view(np.int64).astype(dtype) if dtype == np.int64 else bits[:n]
    return philox.blocks(key, start, np.arange(-(-n // 4))).reshape(-1)[:n].view(np.uint32).astype(dtype)


def _filled(dist):
    def kernel(a, s, key, counter, alg, *bounds):
        shape = _shape_of(s)
        k, c = _philox_of(key, counter, alg)
        n = int(np.prod(shape, dtype=np.int64))
        dtype = a["dtype"].as_numpy_dtype
        if bounds:
            if np.ndim(bounds[0]) or np.ndim(bounds[1]):
                raise InvalidArgumentError(None, None, "minval and maxval must be 0-D")
            if bounds[0] >= bounds[1] and n:
                raise InvalidArgumentError(None, None, f"Need minval < maxval: {bounds[0]} >= {bounds[1]}")
        return np.asarray(dist(k, c, n, *bounds, dtype)).astype(dtype).reshape(shape)
    return kernel


def _v2_shape(inputs, a):
    with_rank(inputs[0], 1)
    with_rank(inputs[1], 1)
    with_rank(inputs[2], 1)
    with_rank(inputs[3], 0)
    return a["dtype"], constant_value_as_shape(inputs[0])


_V2 = "shape:Tshape, key:uint64, counter:uint64, alg:int32"
_V2_ATTRS = dict(shape=_v2_shape, grad=NOT_DIFFERENTIABLE, Tshape=_INDEX)
op("StatelessRandomUniformV2", _V2, kernel=_filled(philox.uniform), dtype=_FLOAT, **_V2_ATTRS)
op("StatelessRandomNormalV2", _V2, kernel=_filled(philox.normal), dtype=_FLOAT, **_V2_ATTRS)
op("StatelessTruncatedNormalV2", _V2, kernel=_filled(philox.truncated_normal), dtype=_FLOAT, **_V2_ATTRS)
op("StatelessRandomUniformIntV2", _V2 + ", minval:dtype, maxval:dtype", kernel=_filled(philox.uniform_int),
   dtype=_INTS, **_V2_ATTRS)
op("StatelessRandomUniformFullIntV2", _V2, kernel=_filled(_full_int), dtype=_INTS, **_V2_ATTRS)


# ----- seeded samplers: multinomial, gamma, Poisson (TF's), binomial and parameterized normal (numpy's) --------
def _stateless_multinomial_kernel(a, logits, num_samples, seed):
    n = check_logits(logits, num_samples)
    key, counter = _check_seed(seed)
    return distributions.multinomial(key, counter, logits, n, a["output_dtype"].as_numpy_dtype)


def _params_per_sample(shape, params, what):
    if np.size(params) == 0:
        raise InvalidArgumentError(None, None, f"Input {what} should have non-zero element count, got: 0")
    if tuple(shape[len(shape) - np.ndim(params):]) != np.shape(params) or np.ndim(params) > len(shape):
        raise InvalidArgumentError(None, None, "Shape passed in must end with broadcasted shape.")
    return int(np.prod(shape, dtype=np.int64)) // np.size(params)


def _gamma_v3_kernel(a, s, key, counter, alg, alpha):
    shape = _shape_of(s)
    k, c = _philox_of(key, counter, alg)
    per = _params_per_sample(shape, alpha, "alpha")
    return distributions.gamma(k, c, alpha, per, a["dtype"].as_numpy_dtype).reshape(shape)


def _poisson_kernel(a, s, seed, lam):
    shape = _shape_of(s)
    key, counter = _check_seed(seed)
    per = _params_per_sample(shape, lam, "rate")
    return distributions.poisson(key, counter, lam, per, a["dtype"].as_numpy_dtype).reshape(shape)


def _numpy_generator(seed):
    key, counter = _check_seed(seed)
    return np.random.Generator(np.random.Philox(key=key, counter=counter))


def _binomial_kernel(a, s, seed, counts, probs):
    shape = _shape_of(s)
    key, counter = _check_seed(seed)
    try:
        both = np.broadcast_shapes(np.shape(counts), np.shape(probs))
    except ValueError:
        raise InvalidArgumentError(None, None, "counts and probs must have compatible batch dimensions: "
                                               f"{list(np.shape(counts))} vs. {list(np.shape(probs))}") from None
    per = _params_per_sample(shape, np.zeros(both), "counts")
    return distributions.binomial(key, counter, np.broadcast_to(counts, both), np.broadcast_to(probs, both), per,
                                  a["dtype"].as_numpy_dtype).reshape(shape)


def _truncated_kernel(a, s, seed, means, stddevs, minvals, maxvals):
    shape = _shape_of(s)
    gen = _numpy_generator(seed)
    lo, hi = (np.broadcast_to(v, shape).astype(np.float64) for v in (minvals, maxvals))
    mean, std = (np.broadcast_to(v, shape).astype(np.float64) for v in (means, stddevs))
    out = gen.normal(mean, std)
    bad = (out < lo) | (out > hi)
    while np.any(bad):  # rejection, redrawn where out of [lo, hi]; from a uniform where that is hopeless
        out = np.where(bad, gen.normal(mean, std), out)
        bad = (out < lo) | (out > hi)
        hopeless = bad & ((lo - mean) / std > 3) | bad & ((hi - mean) / std < -3)
        out = np.where(hopeless, gen.uniform(lo, hi), out)
        bad &= ~hopeless
    return out.astype(a["dtype"].as_numpy_dtype)


def _seeded_shape(dtype_attr, seed_at=1):
    def fn(inputs, a):
        with_rank(inputs[0], 1)
        _seed_shape(inputs[seed_at])
        return a[dtype_attr], constant_value_as_shape(inputs[0])
    return fn


def _stateless_multinomial_shape(inputs, a):
    _seed_shape(inputs[2])
    return multinomial_shape(inputs[:2], a)


op("StatelessMultinomial", "logits:T, num_samples:int32, seed:Tseed", kernel=_stateless_multinomial_kernel,
   shape=_stateless_multinomial_shape, grad=NOT_DIFFERENTIABLE, T=REALS, Tseed=_INDEX, output_dtype=_INDEX)
def _gamma_v3_grad(op, grad):
    """TF's _StatelessRandomGammaV3Grad: the sample dimensions are those of `shape` before alpha's."""
    shape, alpha = op.inputs[0], op.inputs[4]
    with control_dependencies([grad]):
        dims = shape_of(shape)[0] - rank(alpha)
        return [None, None, None, None, gamma_grad_alpha(dims, alpha, op.outputs[0], grad)]


op("StatelessRandomGammaV3", _V2.replace("Tshape", "shape_dtype") + ", alpha:dtype", kernel=_gamma_v3_kernel,
   shape=_v2_shape, grad=_gamma_v3_grad, dtype=_FLOAT, shape_dtype=_INDEX)
op("StatelessRandomPoisson", "shape:T, seed:Tseed, lam:Rtype", kernel=_poisson_kernel, shape=_seeded_shape("dtype"),
   grad=NOT_DIFFERENTIABLE, T=_INDEX, Tseed=_INDEX, Rtype="float16 float32 float64 int32 int64",
   dtype="float16 float32 float64 int32 int64")
op("StatelessRandomBinomial", "shape:S, seed:Tseed, counts:T=float64, probs:T", kernel=_binomial_kernel,
   shape=_seeded_shape("dtype"), grad=NOT_DIFFERENTIABLE, S=_INDEX, Tseed=_INDEX,
   T="float16 float32 float64 int32 int64", dtype="float16 float32 float64 int32 int64")
op("StatelessParameterizedTruncatedNormal", "shape:S, seed:Tseed, means:dtype, stddevs:dtype, minvals:dtype, "
   "maxvals:dtype", kernel=_truncated_kernel, shape=_seeded_shape("dtype"), grad=NO_GRADIENT_DEFINED, S=_INDEX,
   Tseed=_INDEX, dtype="float16 float32 float64")


# ----- the API (TF's stateless_random_ops.py) -----------------------------------------------------------------
def _key_counter_alg(seed, alg):
    alg = _AUTO_SELECT if alg is None else _ALGORITHMS.get(getattr(alg, "value", alg), getattr(alg, "value", alg))
    if alg not in (1, 3):
        raise ValueError(f"Argument `alg` got unsupported value {alg}: raygraph has the Philox algorithm (1) "
                         "and auto_select (3)")
    key, counter = apply_op("StatelessRandomGetKeyCounter", [seed], {})
    return key, counter, alg


def _shape_tensor(shape):
    return convert_to_tensor(shape, name="shape", preferred_dtype=dtypes.int32)


def stateless_random_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32, name=None,
                             alg="auto_select"):
    """Uniform values in [minval, maxval), the same for the same `seed` (a pair of ints)."""
    dtype = dtypes.as_dtype(dtype)
    if dtype.name not in _FLOAT.split() + _INTS.split():
        raise ValueError(f"Argument `dtype` got invalid value {dtype!r}.")
    if dtype.is_integer:
        if (minval is None) != (maxval is None):
            raise ValueError(f"For integer `dtype` argument {dtype!r}, argument `minval` and `maxval` must be both "
                             f"None or not None. Got `minval`={minval} and `maxval`={maxval}.")
        if minval is not None and dtype in (dtypes.uint32, dtypes.uint64):
            raise ValueError(f"Argument `dtype` got invalid value {dtype!r} when argument `minval` is not None. "
                             "Please don't use unsigned integers in this case.")
    elif maxval is None:
        maxval = 1
    with name_scope(name, "stateless_random_uniform", [shape, seed, minval, maxval]) as scope:
        shape = _shape_tensor(shape)
        if dtype.is_integer and minval is None:
            key, counter, alg = _key_counter_alg(seed, alg)
            return apply_op("StatelessRandomUniformFullIntV2", [shape, key, counter, alg], {"dtype": dtype}, name=scope)
        minval = convert_to_tensor(minval, dtype=dtype, name="min")
        maxval = convert_to_tensor(maxval, dtype=dtype, name="max")
        key, counter, alg = _key_counter_alg(seed, alg)
        if dtype.is_integer:
            return apply_op("StatelessRandomUniformIntV2", [shape, key, counter, alg, minval, maxval], {},
                            name=scope)
        rnd = apply_op("StatelessRandomUniformV2", [shape, key, counter, alg], {"dtype": dtype})
        return apply_op("AddV2", [rnd * (maxval - minval), minval], {}, name=scope)


def _scaled(op_type, default_name, shape, seed, mean, stddev, dtype, name, alg):
    dtype = dtypes.as_dtype(dtype)
    with name_scope(name, default_name, [shape, seed, mean, stddev]) as scope:
        shape = _shape_tensor(shape)
        mean = convert_to_tensor(mean, dtype=dtype, name="mean")
        stddev = convert_to_tensor(stddev, dtype=dtype, name="stddev")
        key, counter, alg = _key_counter_alg(seed, alg)
        rnd = apply_op(op_type, [shape, key, counter, alg], {"dtype": dtype})
        return apply_op("AddV2", [rnd * stddev, mean], {}, name=scope)


def stateless_random_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None, alg="auto_select"):
    """Normal values, the same for the same `seed`."""
    return _scaled("StatelessRandomNormalV2", "stateless_random_normal", shape, seed, mean, stddev, dtype, name, alg)


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None,
                               alg="auto_select"):
    """Normal values within two standard deviations, the same for the same `seed`."""
    return _scaled("StatelessTruncatedNormalV2", "stateless_truncated_normal", shape, seed, mean, stddev, dtype,
                   name, alg)


def _stateless_multinomial(scope_name, logits, num_samples, seed, dtype, name):
    with name_scope(name, scope_name, [logits, seed]):
        logits = convert_to_tensor(logits, name="logits")
        dtype = dtypes.as_dtype(dtype) if dtype else dtypes.int64
        if dtype not in _INDEX:
            raise ValueError(f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are {_INDEX}.")
        return apply_op("StatelessMultinomial", [logits, num_samples, seed], {"output_dtype": dtype})


def stateless_multinomial(logits, num_samples, seed, output_dtype=dtypes.int64, name=None):
    """Class indices drawn from each row of `logits`, the same for the same `seed`."""
    return _stateless_multinomial("stateless_multinomial", logits, num_samples, seed, output_dtype, name)


def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    """Class indices drawn from each row of `logits`, the same for the same `seed`."""
    return _stateless_multinomial("stateless_categorical", logits, num_samples, seed, dtype, name)


def stateless_random_gamma(shape, seed, alpha, beta=None, dtype=dtypes.float32, name=None):
    """Gamma(alpha, beta) values of `shape` (which ends with alpha and beta's broadcast shape)."""
    with name_scope(name, "stateless_random_gamma", [shape, seed, alpha, beta]):
        shape = _shape_tensor(shape)
        alpha = convert_to_tensor(alpha, dtype=dtype, name="alpha")
        beta = convert_to_tensor(beta if beta is not None else 1, name="beta", dtype=dtype)
        both = broadcast_dynamic_shape(shape_of(alpha), shape_of(beta))
        alpha = broadcast_to(alpha, both)
        key, counter, alg = _key_counter_alg(seed, None)
        sample = apply_op("StatelessRandomGammaV3", [shape, key, counter, alg, alpha], {})
        return maximum(np.finfo(dtypes.as_dtype(dtype).as_numpy_dtype).tiny, truediv(sample, beta))


def stateless_random_poisson(shape, seed, lam, dtype=dtypes.int32, name=None):
    """Poisson(lam) values of `shape` (which ends with lam's shape)."""
    with name_scope(name, "stateless_random_poisson", [shape, seed, lam]):
        shape = _shape_tensor(shape)
        return apply_op("StatelessRandomPoisson", [shape, seed, lam], {"dtype": dtypes.as_dtype(dtype)})


def stateless_random_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None):
    """Binomial(counts, probs) values of `shape` (which ends with counts and probs' broadcast shape)."""
    with name_scope(name, "stateless_random_binomial", [shape, seed, counts, probs]):
        shape = _shape_tensor(shape)
        probs = convert_to_tensor(probs, name="probs", preferred_dtype=dtypes.float32)
        counts = convert_to_tensor(counts, name="counts", preferred_dtype=probs.dtype)
        return apply_op("StatelessRandomBinomial", [shape, seed, counts, probs],
                        {"dtype": dtypes.as_dtype(output_dtype)})


def stateless_parameterized_truncated_normal(shape, seed, means=0.0, stddevs=1.0, minvals=-2.0, maxvals=2.0,
                                             name=None):
    """Normal values kept within [minvals, maxvals]: stable for a seed (numpy's sampler, not TF's numbers)."""
    with name_scope(name, "stateless_parameterized_truncated_normal", [shape, means, stddevs, minvals, maxvals]):
        shape = _shape_tensor(shape)
        params = [convert_to_tensor(v, name=n) for v, n in ((means, "means"), (stddevs, "stddevs"),
                                                            (minvals, "minvals"), (maxvals, "maxvals"))]
        return apply_op("StatelessParameterizedTruncatedNormal", [shape, seed] + params, {})


def split(seed, num=2, alg="auto_select"):
    """`num` new seeds from `seed`: a [num, 2] tensor."""
    seed = convert_to_tensor(seed)
    return stateless_random_uniform([num, 2], seed, dtype=seed.dtype, minval=None, maxval=None, alg=alg)


def fold_in(seed, data, alg="auto_select"):
    """A new seed from `seed` and the integer `data`."""
    data = convert_to_tensor(data)
    first = stateless_random_uniform([], seed, dtype=data.dtype, minval=None, maxval=None, alg=alg)
    return stack([first, data])
