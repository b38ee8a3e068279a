"""The dataset transformations (map, batch, shuffle, prefetch...) as recipes over other recipes (see
sources.py): each `iterate()` makes an iterator class whose `__next__` pulls from its input's iterators."""
import collections
import itertools
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ..errors import DataLossError, InvalidArgumentError
from ..ops import philox
from .sources import Recipe, Slices, _Iter, row


# ----- combinators ---------------------------------------------------------------------------------------
class Zip(Recipe):
    def __init__(self, inputs):
        self.inputs = inputs

    def iterate(self):
        its = [d.iterate() for d in self.inputs]
        return (sum(parts, ()) for parts in zip(*its))


class Concatenate(Recipe):
    def __init__(self, first, second):
        self.first, self.second = first, second

    def iterate(self):
        return _Chain([self.first, self.second])


class _Chain(_Iter):
    def __init__(self, recipes):
        self.recipes, self.it = list(recipes), None

    def __next__(self):
        while True:
            if self.it is None:
                if not self.recipes:
                    raise StopIteration
                self.it = self.recipes.pop(0).iterate()
            try:
                return next(self.it)
            except StopIteration:
                self.it = None


class Map(Recipe):
    """Applies a function (a traced graph function) to each element; `parallel` > 1 runs that many at once."""

    def __init__(self, input, fn, parallel=1):
        self.input, self.fn, self.parallel = input, fn, parallel

    def iterate(self):
        if self.parallel > 1:
            return _ParallelMapIter(self.input.iterate(), self.fn, self.parallel)
        return _MapIter(self.input.iterate(), self.fn)


class _MapIter(_Iter):
    def __init__(self, it, fn):
        self.it, self.fn = it, fn

    def __next__(self):
        return self.fn(next(self.it))


_POOL = None
_POOL_LOCK = threading.Lock()


def _pool():
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(8, thread_name_prefix="raygraph-data")
        return _POOL


class _ParallelMapIter(_Iter):
    """Keeps `n` calls in flight on the device's data pool; yields results in order."""

    def __init__(self, it, fn, n):
        self.it, self.fn, self.n = it, fn, n
        self.pending = []
        self.exhausted = False

    def __next__(self):
        while not self.exhausted and len(self.pending) < self.n:
            try:
                element = next(self.it)
            except StopIteration:
                self.exhausted = True
                break
            self.pending.append(_pool().submit(self.fn, element))
        if not self.pending:
            raise StopIteration
        return self.pending.pop(0).result()


class Filter(Recipe):
    def __init__(self, input, predicate):
        self.input, self.predicate = input, predicate

    def iterate(self):
        return _FilterIter(self.input.iterate(), self.predicate)


class _FilterIter(_Iter):
    def __init__(self, it, predicate):
        self.it, self.predicate = it, predicate

    def __next__(self):
        while True:
            element = next(self.it)
            keep = self.predicate(element)[0]
            if np.ndim(keep) != 0:
                raise InvalidArgumentError(None, None, "Filter predicate `f` must return a scalar bool.")
            if keep:
                return element


class FlatMap(Recipe):
    """`flat_map` and `interleave`: each element becomes a dataset; `cycle` of them are read in turn,
    `block` elements at a time (flat_map: cycle 1)."""

    def __init__(self, input, fn, cycle=1, block=1):
        self.input, self.fn, self.cycle, self.block = input, fn, cycle, block

    def iterate(self):
        return _InterleaveIter(self.input.iterate(), self.fn, self.cycle, self.block)


class _InterleaveIter(_Iter):
    def __init__(self, it, fn, cycle, block):
        self.it, self.fn, self.cycle, self.block = it, fn, max(1, cycle), max(1, block)
        self.open = []       # [iterator, elements left in its block]
        self.turn = 0
        self.exhausted = False

    def _fill(self):
        while not self.exhausted and len(self.open) < self.cycle:
            try:
                element = next(self.it)
            except StopIteration:
                self.exhausted = True
                return
            self.open.append([self.fn(element)[0].iterate(), self.block])

    def __next__(self):
        while True:
            self._fill()
            if not self.open:
                raise StopIteration
            self.turn %= len(self.open)
            slot = self.open[self.turn]
            try:
                value = next(slot[0])
            except StopIteration:
                self.open.pop(self.turn)
                continue
            slot[1] -= 1
            if slot[1] == 0:
                slot[1] = self.block
                self.turn += 1
            return value


class Batch(Recipe):
    def __init__(self, input, size, drop_remainder, padded=None):
        if size <= 0:
            raise InvalidArgumentError(None, None, "Batch size must be greater than zero.")
        self.input, self.size, self.drop, self.padded = input, int(size), bool(drop_remainder), padded

    def iterate(self):
        inner = self.input
        if self.padded is None and isinstance(inner, Map) and getattr(inner.fn, "on_rows", False):
            return _MappedBatchIter(inner.input.iterate(), inner.fn, self.size, self.drop)
        return _BatchIter(self.input.iterate(), self.size, self.drop, self.padded)


class DenseToSparseBatch(Batch):
    """Up to `size` elements of one component as one boxed SparseTensor of dense shape [n] + row_shape (its -1
    dims the largest of the batch's) holding every entry of every element (TF's DenseToSparseBatchDataset)."""

    def __init__(self, input, size, row_shape):
        super().__init__(input, size, False)
        self.row_shape = [int(d) for d in np.asarray(row_shape).ravel()]

    def iterate(self):
        it = self.input.iterate()
        while True:
            try:
                rows = _rows(it, self.size, False)
            except StopIteration:
                return
            yield (self._box([np.asarray(r[0]) for r in rows]),)

    def _box(self, parts):
        dims = [max(d, 0) for d in self.row_shape]
        want = "[" + ",".join("?" if d == -1 else str(d) for d in self.row_shape) + "]"
        for p in parts:
            if p.ndim != len(dims):
                raise InvalidArgumentError(None, None, f"Input element had shape ({_dims(p.shape)}) that is "
                                                       f"incompatible with the row shape ({want}).")
            for j, d in enumerate(self.row_shape):
                if d == -1:
                    dims[j] = max(dims[j], p.shape[j])
                elif p.shape[j] > d:
                    raise DataLossError(None, None, f"Input element had shape ({_dims(p.shape)}) that is larger "
                                                    f"than the row shape ({want}).")
        indices = [np.concatenate([np.full((p.size, 1), i, np.int64), np.argwhere(np.ones(p.shape, bool))], axis=1)
                   for i, p in enumerate(parts)]
        out = np.empty(3, dtype=object)
        out[:] = [np.concatenate(indices).astype(np.int64), np.concatenate([p.ravel() for p in parts]),
                  np.array([len(parts)] + dims, np.int64)]
        return out


class _BatchIter(_Iter):
    def __init__(self, it, size, drop, padded):
        self.it, self.size, self.drop, self.padded = it, size, drop, padded

    def __next__(self):
        rows = _rows(self.it, self.size, self.drop)
        if self.padded is None:
            return tuple(_stack([r[i] for r in rows]) for i in range(len(rows[0])))
        shapes, values = self.padded
        return tuple(_pad_stack([r[i] for r in rows], shapes[i], values[i]) for i in range(len(rows[0])))


class _MappedBatchIter(_Iter):
    """map(fn) then batch, where fn runs on rows (Function.on_rows: elementwise ops and scalar constants): the
    elements are stacked first and fn runs once per batch, not once per element (TF's map_and_batch fusion;
    per element, a small function cost ~5 us of Python). Results are the same. If the batched call fails, the
    batch is redone element by element, so the error is the one of its first failing element and the
    elements after it are the next batch's first, as when each element was mapped on its own."""

    def __init__(self, it, fn, size, drop):
        self.it, self.fn, self.size, self.drop = it, fn, size, drop
        self.pending = collections.deque()   # elements pulled but not yet batched (after a failing one)

    def __next__(self):
        rows = _rows(self.it, self.size, self.drop, self.pending)
        columns = [_stack([r[i] for r in rows]) for i in range(len(rows[0]))]
        try:
            return tuple(self.fn(columns))
        except Exception:  # noqa: BLE001 - redone per element: the failing element's own error
            mapped = []
            for k, row in enumerate(rows):
                try:
                    mapped.append(self.fn(row))
                except Exception:
                    self.pending.extendleft(reversed(rows[k + 1:]))
                    raise
            return tuple(_stack([m[i] for m in mapped]) for i in range(len(mapped[0])))


def _rows(it, size, drop, pending=()):
    """A batch's elements: up to `size`, first those `pending` (a deque) holds, then from `it`; StopIteration
    when there are none, or fewer than `size` with `drop`."""
    rows = []
    while len(rows) < size:
        if pending:
            rows.append(pending.popleft())
            continue
        try:
            rows.append(next(it))
        except StopIteration:
            break
    if not rows or (drop and len(rows) < size):
        raise StopIteration
    return rows


def _stack(parts):
    first = np.asarray(parts[0])
    for p in parts:
        if np.shape(p) != first.shape:
            raise InvalidArgumentError(None, None, "Cannot batch tensors with different shapes in component 0. "
                                                   f"First element had shape {_dims(first.shape)} and element "
                                                   f"{len(parts) - 1} had shape {_dims(np.shape(p))}.")
    if first.dtype.kind in "SUO":  # strings and boxed values stay Python objects: numpy's bytes drop trailing NULs
        out = np.empty((len(parts),) + first.shape, dtype=object)
        for i, p in enumerate(parts):
            out[i] = p[()] if isinstance(p, np.ndarray) and p.ndim == 0 else p
        return out
    return np.stack(parts)


def _dims(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _pad_stack(parts, shape, value):
    """Stacks `parts` padded with `value` to `shape` (None dims: the largest in the batch)."""
    arrays = [np.asarray(p) for p in parts]
    # strings as Python objects, from the parts themselves (see _stack)
    parts = [np.asarray(p, dtype=object) for p in parts] if arrays[0].dtype.kind in "SU" else arrays
    rank = parts[0].ndim
    target = [max(p.shape[d] for p in parts) if shape[d] is None else shape[d] for d in range(rank)]
    out = np.full([len(parts)] + target, value, dtype=parts[0].dtype)
    for i, p in enumerate(parts):
        if any(s > t for s, t in zip(p.shape, target)):
            raise DataLossError(None, None, "Attempted to pad to a smaller size than the input element.")  # TF's class
        out[(i,) + tuple(slice(0, s) for s in p.shape)] = p if p.ndim else p[()]
    return out


class Unbatch(Recipe):
    def __init__(self, input):
        self.input = input

    def iterate(self):
        return (tuple(row(c, i) for c in element) for element in self.input.iterate()
                for i in range(_batch_length(element)))


def _batch_length(element):
    lengths = {np.shape(c)[0] for c in element}
    if len(lengths) != 1:
        raise InvalidArgumentError(None, None, "Input element must have the same batch size in each component.")
    return lengths.pop()


class Shuffle(Recipe):
    """TF's ShuffleDataset: a buffer of `size` elements; each step yields one drawn by the Philox stream of
    (seed, seed2) and the next input element takes a place. Each pass over the input (each `iterate()`, as under
    `repeat`) with `reshuffle` draws its stream's seeds from a stream of (seed, seed2), as TF's seed generator
    does; without, every pass repeats the same order. Seeds (0, 0): a random stream."""

    def __init__(self, input, size, seed, seed2, reshuffle=True):
        if size <= 0:
            raise InvalidArgumentError(None, None, "buffer_size must be greater than zero.")
        self.input, self.size, self.reshuffle = input, int(size), reshuffle
        self.seeds = (int(seed), int(seed2))
        self.seed_stream = philox.Stream(*self.seeds) if reshuffle else None

    def iterate(self):
        seeds = (self.seed_stream(), self.seed_stream()) if self.reshuffle else self.seeds
        return _ShuffleIter(self.input.iterate(), self.size, philox.Stream(*seeds))


class _ShuffleIter(_Iter):
    """The ring of TF's shuffle buffer: elements at positions [start, end) modulo its size; the one drawn
    swaps places with the first, which leaves."""

    def __init__(self, it, size, random32):
        self.it, self.size, self.random32 = it, size, random32
        self.buffer = [None] * size
        self.start = self.end = 0
        self.exhausted = False

    def __next__(self):
        buf, size = self.buffer, self.size
        while not self.exhausted and self.end - self.start < size:
            try:
                buf[self.end % size] = next(self.it)
                self.end += 1
            except StopIteration:
                self.exhausted = True
        if self.end == self.start:
            raise StopIteration
        first = self.start % size
        i = (self.start + self.random32() % (self.end - self.start)) % size
        out = buf[i]
        buf[i], buf[first] = buf[first], None
        self.start += 1
        return out


class Repeat(Recipe):
    def __init__(self, input, count):
        self.input, self.count = input, int(count)

    def iterate(self):
        return _RepeatIter(self.input, self.count)


class _RepeatIter(_Iter):
    def __init__(self, recipe, count):
        self.recipe, self.count, self.it, self.empty = recipe, count, None, True

    def __next__(self):
        while True:
            if self.it is None:
                if self.count == 0:
                    raise StopIteration
                self.count -= 1
                self.it = self.recipe.iterate()
                self.empty = True
            try:
                value = next(self.it)
                self.empty = False
                return value
            except StopIteration:
                self.it = None
                if self.empty and self.count < 0:  # repeating an empty dataset forever ends at once
                    raise


class Take(Recipe):
    def __init__(self, input, count):
        self.input, self.count = input, int(count)

    def iterate(self):
        it = self.input.iterate()
        return it if self.count < 0 else (e for _, e in zip(range(self.count), it))


class Shard(Recipe):
    """`shard`: the elements whose position is `index` modulo `num_shards` (TF's kernel checks, at its start)."""

    def __init__(self, input, num_shards, index):
        if num_shards <= 0:
            raise InvalidArgumentError(None, None, f"Number of shards must be greater than zero (currently num_shards "
                                                   f"= {num_shards}).")
        if not 0 <= index < num_shards:
            raise InvalidArgumentError(None, None, f"Index must be between 0 and {num_shards - 1} (currently index = "
                                                   f"{index}).")
        self.input, self.num_shards, self.index = input, num_shards, index

    def iterate(self):
        return itertools.islice(self.input.iterate(), self.index, None, self.num_shards)


class Skip(Recipe):
    def __init__(self, input, count):
        self.input, self.count = input, int(count)

    def iterate(self):
        it = self.input.iterate()
        n = self.count
        while n != 0:
            try:
                next(it)
            except StopIteration:
                break
            n -= 1
        return it


class Cache(Recipe):
    """In memory: the first complete pass is recorded; later passes replay it."""

    def __init__(self, input):
        self.input, self.cached = input, None

    def iterate(self):
        if self.cached is not None:
            return iter(self.cached)
        return self._record()

    def _record(self):
        seen = []
        for element in self.input.iterate():
            seen.append(element)
            yield element
        self.cached = seen


class Window(Recipe):
    """`window`: each element is a tuple of datasets (one per component) of `size` elements."""

    def __init__(self, input, size, shift, stride, drop_remainder):
        for what, value in (("size", size), ("shift", shift), ("stride", stride)):
            if value <= 0:
                raise InvalidArgumentError(None, None, f"Window {what} must be greater than zero.")
        self.input, self.size, self.shift, self.stride, self.drop = input, size, shift, stride, drop_remainder

    def iterate(self):
        it, buf, at = self.input.iterate(), [], 0   # buf holds elements from index `at` on
        span = (self.size - 1) * self.stride + 1
        start = 0
        while True:
            while len(buf) < start - at + span:
                try:
                    buf.append(next(it))
                except StopIteration:
                    break
            rows = buf[start - at:start - at + span:self.stride]
            if not rows or (self.drop and len(rows) < self.size):
                return
            yield tuple(Slices([np.stack([r[i] for r in rows])]) for i in range(len(rows[0])))
            start += self.shift
            drop = min(start - at, len(buf))
            del buf[:drop]
            at += drop
            while at < start:   # a shift past the buffered elements skips input
                try:
                    next(it)
                except StopIteration:
                    return
                at += 1


class Prefetch(Recipe):
    """Elements produced ahead in a background thread, `size` at most waiting."""

    def __init__(self, input, size):
        self.input, self.size = input, max(1, int(size))

    def iterate(self):
        return _PrefetchIter(self.input.iterate(), self.size)


_END = object()


class _PrefetchIter(_Iter):
    """The producer thread holds only the queue and the stop flag, so dropping this iterator stops it."""

    def __init__(self, it, size):
        self.queue = queue.Queue(size)
        self.stop = threading.Event()
        self.done = False
        threading.Thread(target=_produce, args=(it, self.queue, self.stop), daemon=True,
                         name="raygraph-prefetch").start()

    def __next__(self):
        if self.done:
            raise StopIteration
        ok, value = self.queue.get()
        if ok:
            return value
        if value is _END:
            self.done = True
            raise StopIteration
        raise value

    def close(self):
        self.stop.set()

    __del__ = close


def _produce(it, q, stop):
    while not stop.is_set():
        try:
            item = (True, next(it))
        except StopIteration:
            item = (False, _END)
        except Exception as e:  # noqa: BLE001 - delivered to the consumer in order
            item = (False, e)
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                break
            except queue.Full:
                continue
        if item[1] is _END:
            return
    close(it)


def close(it):
    """Stops what an iterator runs in the background (a prefetch thread), if anything."""
    stop = getattr(it, "close", None)
    if stop is not None:
        stop()
