"""Candidate samplers (`UniformCandidateSampler`, `LogUniformCandidateSampler`, `AllCandidateSampler`) and
`ComputeAccidentalHits`: the negative classes of sampled losses (nce_loss, sampled_softmax_loss).

A sampler is a seeded random op with TF's algorithm, bit for bit: its generator (philox.py, kept in its
device between runs) reserves 2048 * num_sampled uint32s per run, and TF's SimplePhilox reads them two per
draw (`Uniform64(range) = Rand64 % range`; log-uniform: `int(exp(RandDouble * log(range + 1))) - 1`). With
`unique=True`, a draw already taken is rejected and drawn again; expected counts are then TF's
`1 - (1 - p)^tries` (else `p * num_sampled`).
"""
import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from . import compiled, philox
from .random import get_seed
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import with_rank

_raw = TensorShape._raw


# ----- the base distributions ---------------------------------------------------------------------------------
def _uniform(range_max):
    def draw(u):  # pairs (lo, hi) of uint32s -> Rand64 % range
        return (philox.pairs_to_uint64(u) % np.uint64(range_max)).astype(np.int64)
    return draw, lambda values: np.full(np.shape(values), 1.0 / range_max, np.float32), None


def _log_uniform(range_max):
    log_range = np.log1p(float(range_max))

    def draw(u):
        x = philox.pairs_to_double(u)
        x *= log_range
        value = np.exp(x, out=x).astype(np.int64)
        value -= 1
        value %= range_max
        return value

    def probability(values):
        v = np.asarray(values, np.float64)
        return (np.log((v + 2.0) / (v + 1.0)) / log_range).astype(np.float32)

    def unique(u, out):   # draw's values with rejection, compiled: -> the tries, or -1 when u ran out
        return compiled.loops().log_uniform_unique(u, log_range, range_max, out)
    return draw, probability, unique


_DISTRIBUTIONS = {"UniformCandidateSampler": _uniform, "LogUniformCandidateSampler": _log_uniform}


def _sample(draw, compiled_unique, pairs, num_sampled, unique):
    """TF's RangeSampler::SampleBatchGetExpectedCountAvoid: the draws and how many tries they took (with
    `unique`, the first `num_sampled` distinct values of the stream of draws, found a batch of draws at a time:
    by `compiled_unique` where the distribution has one, 24 -> 4 us for 64 of 50,000 log-uniform classes).
    `pairs(n)`: the run's first n draws' uint32 pairs."""
    if not unique:
        return draw(pairs(num_sampled)), num_sampled
    n = 2 * num_sampled
    while True:
        if compiled_unique is not None:
            out = np.empty(num_sampled, np.int64)
            tries = compiled_unique(pairs(n), out)
            if tries >= 0:
                return out, tries
            n *= 2
            continue
        values = draw(pairs(n))
        _, first = np.unique(values, return_index=True)
        if first.size >= num_sampled:
            chosen = np.sort(first)[:num_sampled]
            return values[chosen], int(chosen[-1]) + 1
        n *= 2


def _uint32_pairs(key, start, first, n):
    """Draws first..first+n-1 of the stream: (n, 2) uint32s, four per Philox block, blocks from `start`."""
    lo, hi = 2 * first, 2 * (first + n)
    block = np.arange(lo // 4, (hi + 3) // 4)
    return philox.blocks(key, start, block).reshape(-1)[lo - 4 * (lo // 4):][:hi - lo].reshape(n, 2)


class _Stream:
    """A sampler's Philox generator. A run reserves 512 blocks per sample but mostly reads only its first
    `num_sampled` blocks (2 * num_sampled draws); those of the next runs are computed with this run's, in one
    call: Philox costs ~50 numpy calls whatever the number of blocks."""

    def __init__(self, seed, seed2, num_sampled):
        self.gen = philox.Philox(seed, seed2)
        self.stride, self.count = 512 * num_sampled, num_sampled
        self.ahead = {}  # a later run's starting counter -> its first 2 * count draws

    def next_run(self):
        """Reserves a run's blocks; returns `pairs(n)`, its first n draws' (n, 2) uint32s."""
        key, start = self.gen.key, self.gen.counter
        self.gen.counter = (start + self.stride) % 2 ** 128
        first = self.ahead.pop(start, None)
        if first is None:
            runs = max(1, 2048 // max(1, self.count))
            offsets = np.arange(runs, dtype=np.uint64)[:, None] * np.uint64(self.stride) + np.arange(
                self.count, dtype=np.uint64)
            drawn = philox.blocks(key, start, offsets.reshape(-1)).reshape(runs, 2 * self.count, 2)
            self.ahead = {(start + k * self.stride) % 2 ** 128: drawn[k] for k in range(1, runs)}
            first = drawn[0]
        return lambda n: first[:n] if n <= len(first) else _uint32_pairs(key, start, 0, n)


def _stream(res, a):
    stream = res.state.get("philox")
    if stream is None:
        stream = res.state["philox"] = _Stream(a["seed"], a["seed2"], a["num_sampled"])
    return stream.next_run()


def _expected(p, num_sampled, tries):
    p = np.asarray(p, np.float32)
    if tries == num_sampled:
        return p * np.float32(num_sampled)
    return -np.expm1(np.float32(tries) * np.log1p(-p))


# ----- the ops --------------------------------------------------------------------------------------------------
def _sampler_kernel(op_type):
    def kernel(a, res, true_classes):
        num_true, num_sampled, unique = a["num_true"], a["num_sampled"], a["unique"]
        if np.ndim(true_classes) != 2:
            raise InvalidArgumentError(None, None, "true_classes must be a matrix")
        if np.shape(true_classes)[1] != num_true:
            raise InvalidArgumentError(None, None, f"true_classes must have num_true columns, expected: "
                                       f"{np.shape(true_classes)[1]} was: {num_true}")
        range_max = num_sampled if op_type == "AllCandidateSampler" else a["range_max"]
        if unique and num_sampled > range_max:
            raise InvalidArgumentError(None, None, "Sampler's range is too small.")
        flat = np.asarray(true_classes).reshape(-1)
        if flat.size and (flat.min() < 0 or flat.max() >= range_max):
            bad = (flat < 0) | (flat >= range_max)
            raise InvalidArgumentError(None, None, f"`true_candidate` out of range [0, {range_max}), received "
                                       f"{int(flat[np.argmax(bad)])}")
        if op_type == "AllCandidateSampler":  # every class once: expected counts 1
            return (np.arange(num_sampled, dtype=np.int64), np.ones(np.shape(true_classes), np.float32),
                    np.ones(num_sampled, np.float32))
        pairs = _stream(res, a)  # TF reserves 2048 uint32s (512 blocks) per sample and run
        draw, probability, compiled_unique = _DISTRIBUTIONS[op_type](range_max)
        sampled, tries = _sample(draw, compiled_unique, pairs, num_sampled, unique)
        counts = _expected(probability(np.concatenate([flat, sampled])), num_sampled, tries)  # one pass for both
        return sampled, counts[:flat.size].reshape(np.shape(true_classes)), counts[flat.size:]
    return kernel


def _sampler_shape(inputs, a):
    batch = with_rank(inputs[0], 2)[0]
    n = a["num_sampled"]
    return [(dtypes.int64, _raw((n,))), (dtypes.float32, _raw((batch, a["num_true"]))), (dtypes.float32, _raw((n,)))]


for _type in ("UniformCandidateSampler", "LogUniformCandidateSampler", "AllCandidateSampler"):
    op(_type, "true_classes:int64", kernel=_sampler_kernel(_type), shape=_sampler_shape, stateful=True,
       grad=NO_GRADIENT_DEFINED)


def _sampler(op_type, true_classes, num_true, num_sampled, unique, range_max, seed, name):
    seed1, seed2 = get_seed(seed)
    attrs = {"num_true": num_true, "num_sampled": num_sampled, "unique": unique, "seed": seed1 or 0,
             "seed2": seed2 or 0}
    if range_max is not None:
        attrs["range_max"] = range_max
    return tuple(apply_op(op_type, [true_classes], attrs, name=name))


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """`num_sampled` classes drawn uniformly from [0, range_max), with their expected counts."""
    return _sampler("UniformCandidateSampler", true_classes, num_true, num_sampled, unique, range_max, seed, name)


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None):
    """`num_sampled` classes drawn from the Zipfian P(c) = log((c + 2) / (c + 1)) / log(range_max + 1)."""
    return _sampler("LogUniformCandidateSampler", true_classes, num_true, num_sampled, unique, range_max, seed,
                    name)


def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """All classes [0, num_sampled), each with expected count 1."""
    return _sampler("AllCandidateSampler", true_classes, num_true, num_sampled, unique, None, seed, name)


# ----- ComputeAccidentalHits ------------------------------------------------------------------------------------
def _hits_kernel(a, true_classes, sampled):
    if np.ndim(true_classes) != 2 or np.shape(true_classes)[1] != a["num_true"]:
        raise InvalidArgumentError(None, None, "true_candidates must be a batch_size * num_true matrix")
    if np.ndim(sampled) != 1:
        raise InvalidArgumentError(None, None, "sampled_candidates must be a vector, which is typically an output "
                                               "from CandidateSampler")
    position = {v: i for i, v in enumerate(np.asarray(sampled).tolist())}  # a repeated value: its last position
    hits = [(i, position[v]) for i, row in enumerate(np.asarray(true_classes).tolist()) for v in row if v in position]
    indices = np.array([h[0] for h in hits], np.int32)
    ids = np.array([h[1] for h in hits], np.int64)
    return indices, ids, np.full(len(hits), -np.finfo(np.float32).max, np.float32)


op("ComputeAccidentalHits", "true_classes:int64, sampled_candidates:int64", kernel=_hits_kernel,
   grad=NO_GRADIENT_DEFINED,
   shape=lambda i, a: (with_rank(i[0], 2), with_rank(i[1], 1)) and [
       (dtypes.int32, _raw((None,))), (dtypes.int64, _raw((None,))), (dtypes.float32, _raw((None,)))])


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """Where a sampled candidate equals a true class: (row, position in the sample, -FLT_MAX) triples."""
    seed1, seed2 = get_seed(seed)
    return tuple(apply_op("ComputeAccidentalHits", [true_classes, sampled_candidates],
                          {"num_true": num_true, "seed": seed1 or 0, "seed2": seed2 or 0}, name=name))


# ----- unigram samplers: fixed weights (a list or a vocabulary file), or learned from the true classes ---------
# Their probabilities and expected counts are TF's; their draws are seed-stable inverse-CDF draws from the op's
# Philox stream, not TF's alias-table draws.
def _fixed_weights(a):
    counts = list(a["unigrams"])
    if a["vocab_file"]:
        with open(a["vocab_file"]) as f:
            counts = [float(line.rsplit(",", 1)[-1]) for line in f if line.strip()]
    weights = [0.0] * a["num_reserved_ids"] + [float(c) ** a["distortion"] for c in counts]
    if len(weights) != a["range_max"]:
        raise InvalidArgumentError(None, None, f"range_max must be equal to the number of unigrams plus reserved "
                                               f"ids: {a['range_max']} vs {len(weights)}")
    ids = np.arange(len(weights))
    return np.asarray(weights, np.float64)[ids % a["num_shards"] == a["shard"]]


def _weighted(weights):
    cdf = np.cumsum(weights)

    def draw(u):
        x = philox.pairs_to_double(u) * cdf[-1]
        return np.minimum(np.searchsorted(cdf, x, side="right"), len(cdf) - 1).astype(np.int64)

    def probability(values):
        v = np.asarray(values)
        return (weights[np.clip(v, 0, len(weights) - 1)] / cdf[-1]).astype(np.float32)
    return draw, probability


def _unigram_kernel(op_type):
    def kernel(a, res, true_classes):
        num_sampled, unique = a["num_sampled"], a["unique"]
        if np.ndim(true_classes) != 2 or np.shape(true_classes)[1] != a["num_true"]:
            raise InvalidArgumentError(None, None, "true_classes must be a matrix with num_true columns")
        if "weights" not in res.state:
            res.state["weights"] = (_fixed_weights(a) if op_type == "FixedUnigramCandidateSampler" else
                                    np.ones(a["range_max"], np.float64))
        weights = res.state["weights"]
        if unique and num_sampled > np.count_nonzero(weights):
            raise InvalidArgumentError(None, None, "Sampler's range is too small.")
        pairs = _stream(res, a)
        draw, probability = _weighted(weights)
        sampled, tries = _sample(draw, None, pairs, num_sampled, unique)
        out = (sampled, _expected(probability(true_classes), num_sampled, tries),
               _expected(probability(sampled), num_sampled, tries))
        if op_type == "LearnedUnigramCandidateSampler":  # TF updates the counts after sampling
            np.add.at(weights, np.asarray(true_classes).reshape(-1), 1.0)
        return out
    return kernel


for _type in ("FixedUnigramCandidateSampler", "LearnedUnigramCandidateSampler"):
    op(_type, "true_classes:int64", kernel=_unigram_kernel(_type), shape=_sampler_shape, stateful=True,
       grad=NO_GRADIENT_DEFINED)


def learned_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, seed=None,
                                      name=None):
    """Classes drawn by how often they appeared as true classes so far (every class starts at count 1)."""
    return _sampler("LearnedUnigramCandidateSampler", true_classes, num_true, num_sampled, unique, range_max, seed,
                    name)


def fixed_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max, vocab_file="",
                                    distortion=1.0, num_reserved_ids=0, num_shards=1, shard=0, unigrams=(),
                                    seed=None, name=None):
    """Classes drawn by given counts (`unigrams`, or a CSV `vocab_file` whose last column is the count),
    raised to `distortion`."""
    seed1, seed2 = get_seed(seed)
    attrs = {"num_true": num_true, "num_sampled": num_sampled, "unique": unique, "range_max": range_max,
             "vocab_file": vocab_file, "distortion": float(distortion), "num_reserved_ids": num_reserved_ids,
             "num_shards": num_shards, "shard": shard, "unigrams": [float(u) for u in unigrams],
             "seed": seed1 or 0, "seed2": seed2 or 0}
    return tuple(apply_op("FixedUnigramCandidateSampler", [true_classes], attrs, name=name))
