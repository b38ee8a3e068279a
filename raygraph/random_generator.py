"""`tf.random.Generator`: a random stream whose state is a variable, [counter low, counter high, key] for
Philox. Each draw reads the state and moves the counter on by 256 per value (`RngReadAndSkip`), then fills
its output with the stateless V2 ops from that key and counter, so its numbers are TF's."""
import enum

import numpy as np

from . import dtypes
from .convert import constant, convert_to_tensor
from .default_graph import name_scope
from .ops.joining import stack
from .ops.math import cast
from .ops.reduction import reduce_prod
from .ops.registry import NO_GRADIENT_DEFINED, apply_op, op
from .ops.stateless_random import _FLOAT
from .variables import Variable

_STATE_SIZE = 3


class Algorithm(enum.Enum):
    """The RNG algorithms (raygraph runs Philox; AUTO_SELECT means Philox)."""

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


def _alg_value(alg):
    if alg is None:
        return Algorithm.AUTO_SELECT.value
    if isinstance(alg, Algorithm):
        return alg.value
    if isinstance(alg, str):
        return Algorithm[alg.upper()].value
    return int(alg)


def _state_words(seed):
    words = []
    for _ in range(_STATE_SIZE):
        words.append(seed & (2 ** 64 - 1))
        seed >>= 64
    return np.array(words, np.uint64).view(np.int64)


def create_rng_state(seed, alg):
    """A Philox state (3 int64s) from an integer seed: its 64-bit words, lowest first."""
    if _alg_value(alg) == Algorithm.THREEFRY.value:
        raise ValueError("raygraph has the Philox algorithm only")
    return constant(_state_words(int(seed)) if isinstance(seed, (int, np.integer)) else
                    np.asarray(seed, np.int64).reshape(-1)[:_STATE_SIZE])


def _read_and_skip_kernel(a, res, ref, alg, delta):
    with ref.lock:
        old = np.asarray(ref.read()).astype(np.int64)
        words = old.view(np.uint64)
        counter = (int(words[0]) | (int(words[1]) << 64)) + int(delta) * 256
        new = np.array([counter % 2 ** 64, (counter >> 64) % 2 ** 64, int(words[2])], np.uint64).view(np.int64)
        ref.write(new)
    return old


op("RngReadAndSkip", "resource:&int64, alg:int32, delta:uint64", kernel=_read_and_skip_kernel, stateful=True,
   grad=NO_GRADIENT_DEFINED, shape=lambda i, a: (dtypes.int64, i[0].shape))


class Generator:
    """A random generator whose state lives in a variable (TF2's tf.random.Generator, in a TF1 graph)."""

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            state, alg = copy_from.state.initialized_value(), copy_from.algorithm
        self._alg = Algorithm.PHILOX.value if alg is None else _alg_value(alg)
        with name_scope("random_generator"):
            self._state_var = Variable(convert_to_tensor(state, dtypes.int64), trainable=False, name="StateVar")

    @classmethod
    def from_seed(cls, seed, alg=None):
        return cls(state=create_rng_state(seed, alg), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        return cls.from_seed(int(np.random.SeedSequence().generate_state(3, np.uint64).astype(object).sum()), alg)

    @classmethod
    def from_state(cls, state, alg):
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        counter = convert_to_tensor(counter, dtypes.int64)
        key = convert_to_tensor(key, dtypes.int64)
        return cls(state=apply_op("ConcatV2", [[counter, apply_op("Reshape", [key, [1]], {})], 0], {}), alg=alg)

    state = property(lambda self: self._state_var)
    algorithm = property(lambda self: self._alg)

    @property
    def key(self):
        return self._state_var[-1]

    def reset(self, state):
        """Builds an assignment of `state` to the state and returns None (as TF does: in a graph, nothing runs it)."""
        self._state_var.assign(convert_to_tensor(state, dtypes.int64))

    def reset_from_seed(self, seed):
        self.reset(create_rng_state(seed, self._alg))

    def reset_from_key_counter(self, key, counter):
        counter = convert_to_tensor(counter, dtypes.int64)
        self.reset(apply_op("ConcatV2", [[counter, apply_op("Reshape", [convert_to_tensor(key, dtypes.int64),
                                                                               [1]], {})], 0], {}))

    def skip(self, delta):
        """Moves the counter on by 256 * delta; the state before."""
        return apply_op("RngReadAndSkip", [self._state_var, self._alg, cast(delta, dtypes.uint64)], {})

    def _key_counter(self, shape):
        old = self.skip(reduce_prod(shape))
        return cast(old[2:3], dtypes.uint64), cast(old[:2], dtypes.uint64)

    def _fill(self, op_type, shape, dtype, extra=()):
        key, counter = self._key_counter(shape)
        return apply_op(op_type, [shape, key, counter, self._alg] + list(extra), {} if extra else {"dtype": dtype})

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        return self._scaled("StatelessRandomNormalV2", "stateful_normal", shape, mean, stddev, dtype, name)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        return self._scaled("StatelessTruncatedNormalV2", "stateful_truncated_normal", shape, mean, stddev, dtype, name)

    def _scaled(self, op_type, scope_name, shape, mean, stddev, dtype, name):
        dtype = dtypes.as_dtype(dtype)
        with name_scope(name, scope_name, [shape, mean, stddev]) as scope:
            shape = convert_to_tensor(shape, name="shape", preferred_dtype=dtypes.int32)
            mean = convert_to_tensor(mean, dtype, name="mean")
            stddev = convert_to_tensor(stddev, dtype, name="stddev")
            return apply_op("AddV2", [self._fill(op_type, shape, dtype) * stddev, mean], {}, name=scope)

    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        dtype = dtypes.as_dtype(dtype)
        if dtype.name not in _FLOAT.split() and maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        with name_scope(name, "stateful_uniform", [shape, minval, maxval]) as scope:
            shape = convert_to_tensor(shape, name="shape", preferred_dtype=dtypes.int32)
            minval = convert_to_tensor(minval, dtype, name="min")
            maxval = convert_to_tensor(1 if maxval is None else maxval, dtype, name="max")
            if dtype.is_integer:
                return self._fill("StatelessRandomUniformIntV2", shape, dtype, (minval, maxval))
            rnd = self._fill("StatelessRandomUniformV2", shape, dtype)
            return apply_op("AddV2", [rnd * (maxval - minval), minval], {}, name=scope)

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        with name_scope(name, "stateful_uniform_full_int", [shape]):
            shape = convert_to_tensor(shape, name="shape", preferred_dtype=dtypes.int32)
            return self._fill("StatelessRandomUniformFullIntV2", shape, dtypes.as_dtype(dtype))

    def make_seeds(self, count=1):
        """`count` seeds for the stateless ops: a [2, count] int64 tensor."""
        keys = self.uniform_full_int([count], dtypes.int64)
        return stack([keys, keys * 0])

    def split(self, count=1):
        """`count` new generators, each from one key drawn here."""
        keys = self.uniform_full_int([count], dtypes.int64)
        return [Generator(state=stack([constant(0, dtypes.int64), constant(0, dtypes.int64), keys[i]]),
                          alg=self._alg) for i in range(count)]


_GLOBAL = []


def get_global_generator():
    """The global generator (made from a non-deterministic state the first time)."""
    if not _GLOBAL:
        _GLOBAL.append(Generator.from_non_deterministic_state())
    return _GLOBAL[0]


def set_global_generator(generator):
    """Replaces the global generator."""
    _GLOBAL[:] = [generator]
