"""A dataset's number of elements as TF1 knows it without iterating (`DatasetCardinality`): a count, INFINITE (-1)
or UNKNOWN (-2). TF1's `map` does not preserve cardinality (its MapDataset is built with
preserve_cardinality=False), so anything mapped, filtered or flat-mapped is UNKNOWN, as are files and generators."""
from . import pipeline, sources, transforms
from .transforms import INFINITE, UNKNOWN


def cardinality(recipe):
    rule = _RULES.get(type(recipe))
    return rule(recipe) if rule else UNKNOWN


def _range(r):
    return len(range(*r.args))


def _batch(r):
    n = cardinality(r.input)
    if n < 0:
        return n
    return n // r.size if r.drop else -(-n // r.size)


def _repeat(r):
    n = cardinality(r.input)
    if n == 0 or r.count == 0:
        return 0
    if r.count < 0:
        return INFINITE if n != UNKNOWN else UNKNOWN
    return n if n < 0 else n * r.count


def _take(r):
    n = cardinality(r.input)
    if r.count < 0:
        return n
    if n == INFINITE:
        return r.count
    return UNKNOWN if n == UNKNOWN else min(n, r.count)


def _skip(r):
    n = cardinality(r.input)
    if n < 0:
        return n
    return 0 if r.count < 0 else max(0, n - r.count)


def _zip(r):
    ns = [cardinality(d) for d in r.inputs]
    finite = [n for n in ns if n >= 0]
    if finite:
        return min(finite)
    return UNKNOWN if UNKNOWN in ns else INFINITE


def _concatenate(r):
    a, b = cardinality(r.first), cardinality(r.second)
    if INFINITE in (a, b):
        return INFINITE
    return UNKNOWN if UNKNOWN in (a, b) else a + b


def _window(r):
    n = cardinality(r.input)
    if n < 0:
        return n
    span = (r.size - 1) * r.stride + 1
    if r.drop:
        return 0 if n < span else (n - span) // r.shift + 1
    return -(-n // r.shift)


def _shard(r):
    n = cardinality(r.input)
    return n if n < 0 else n // r.num_shards + (n % r.num_shards > r.index)


def _same(r):
    return cardinality(r.input)


def _map(r):
    return cardinality(r.input) if getattr(r, "preserve_cardinality", False) else UNKNOWN


_RULES = {
    sources.Tensors: lambda r: 1,
    sources.Slices: lambda r: r.n,
    sources.Range: _range,
    pipeline.Batch: _batch,
    pipeline.DenseToSparseBatch: _batch,
    pipeline.Repeat: _repeat,
    pipeline.Take: _take,
    pipeline.Skip: _skip,
    pipeline.Shard: _shard,
    pipeline.Zip: _zip,
    pipeline.Concatenate: _concatenate,
    pipeline.Window: _window,
    pipeline.Map: _map,
    pipeline.Shuffle: _same,
    pipeline.Prefetch: _same,
    pipeline.Cache: _same,
    transforms.Scan: _same,
    transforms.Elements: lambda r: len(r.elements),
    transforms.RandomInts: lambda r: INFINITE,
    transforms.AssertCardinality: lambda r: r.expected,
}
