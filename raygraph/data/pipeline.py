"""What a dataset is on a device: the value of a dataset op (TF's variant tensor) is a recipe, and
iterating it (`iterate()`) yields elements, each a tuple of numpy arrays (the element's flat components).

Recipes are plain picklable objects built by the dataset ops' kernels from their input values, so a
placeholder-parameterized dataset is a recipe made from the fed values. Their iterators are classes
(not generators) so that an element that fails (a map function raising) ends only that `next()`: the
iterator stays usable, as TF's does.

An `IteratorResource` is the state an iterator op keeps in its device between steps: the current
iterator of the dataset it was initialized with.
"""
import queue
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .. import python_io
from ..errors import FailedPreconditionError, InvalidArgumentError, OutOfRangeError


class Recipe:
    """A dataset's value: `iterate()` -> an iterator of elements (tuples of arrays)."""

    def iterate(self):
        raise NotImplementedError


class _Iter:
    """Base of the element iterators: `__next__` raises StopIteration at the end, errors per element."""

    def __iter__(self):
        return self


# ----- sources -----------------------------------------------------------------------------------------
class Tensors(Recipe):
    def __init__(self, components):
        self.components = tuple(components)

    def iterate(self):
        return iter((self.components,))


class Slices(Recipe):
    def __init__(self, components):
        self.components = tuple(np.asarray(c) for c in components)
        lengths = {c.shape[0] if c.ndim else None for c in self.components}
        if None in lengths:
            raise InvalidArgumentError(None, None, "Input element must have a non-scalar value in each component.")
        if len(lengths) > 1:
            raise InvalidArgumentError(None, None, "All components must have the same size in the 0th dimension")
        self.n = lengths.pop() if lengths else 0

    def iterate(self):
        cs = self.components
        if len(cs) == 1:
            c = cs[0]
            return ((c[i],) for i in range(self.n))
        return (tuple(c[i] for c in cs) for i in range(self.n))


class Range(Recipe):
    def __init__(self, start, stop, step, dtype):
        if step == 0:
            raise InvalidArgumentError(None, None, "step must be a non-zero integer.")
        self.args, self.dtype = (int(start), int(stop), int(step)), dtype

    def iterate(self):
        t = np.dtype(self.dtype).type
        return ((t(i),) for i in range(*self.args))


class Generator(Recipe):
    """`from_generator`: the generator function runs in the device that iterates."""

    def __init__(self, make, dtypes, convert):
        self.make, self.dtypes, self.convert = make, dtypes, convert

    def iterate(self):
        return _GeneratorIter(iter(self.make()), self.dtypes, self.convert)


class _GeneratorIter(_Iter):
    def __init__(self, it, dtypes, convert):
        self.it, self.dtypes, self.convert = it, dtypes, convert

    def __next__(self):
        value = next(self.it)
        flat = self.convert(value)
        out = []
        for v, dt in zip(flat, self.dtypes):
            arr = np.asarray(v, dtype=object if dt is np.object_ else None)
            if dt is not np.object_ and arr.dtype != dt:
                if not np.can_cast(arr.dtype, dt, "same_kind"):
                    raise InvalidArgumentError(None, None, f"TypeError: `generator` yielded an element that could "
                                                           f"not be converted to the expected type. The expected type "
                                                           f"was {np.dtype(dt).name}, but the yielded element was {v}.")
                arr = arr.astype(dt)
            out.append(arr)
        return tuple(out)


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
        return _BatchIter(self.input.iterate(), self.size, self.drop, self.padded)


class _BatchIter(_Iter):
    def __init__(self, it, size, drop, padded):
        self.it, self.size, self.drop, self.padded = it, size, drop, padded

    def __next__(self):
        rows = []
        for _ in range(self.size):
            try:
                rows.append(next(self.it))
            except StopIteration:
                break
        if not rows or (self.drop and len(rows) < self.size):
            raise StopIteration
        if self.padded is None:
            return tuple(_stack([r[i] for r in rows]) for i in range(len(rows[0])))
        shapes, values = self.padded
        return tuple(_pad_stack([r[i] for r in rows], shapes[i], values[i]) for i in range(len(rows[0])))


def _stack(parts):
    first = np.asarray(parts[0])
    for p in parts:
        if np.shape(p) != first.shape:
            raise InvalidArgumentError(None, None, "Cannot batch tensors with different shapes in component 0. "
                                                   f"First element had shape {_dims(first.shape)} and element "
                                                   f"{len(parts) - 1} had shape {_dims(np.shape(p))}.")
    return np.stack(parts)


def _dims(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _pad_stack(parts, shape, value):
    """Stacks `parts` padded with `value` to `shape` (None dims: the largest in the batch)."""
    parts = [np.asarray(p) for p in parts]
    rank = parts[0].ndim
    target = [max(p.shape[d] for p in parts) if shape[d] is None else shape[d] for d in range(rank)]
    out = np.full([len(parts)] + target, value, dtype=parts[0].dtype)
    for i, p in enumerate(parts):
        if any(s > t for s, t in zip(p.shape, target)):
            raise InvalidArgumentError(None, None, f"Attempted to pad to a smaller size than the input element.")
        out[(i,) + tuple(slice(0, s) for s in p.shape)] = p
    return out


class Unbatch(Recipe):
    def __init__(self, input):
        self.input = input

    def iterate(self):
        return (tuple(c[i] for c in element) for element in self.input.iterate()
                for i in range(_batch_length(element)))


def _batch_length(element):
    lengths = {np.shape(c)[0] for c in element}
    if len(lengths) != 1:
        raise InvalidArgumentError(None, None, "Input element must have the same batch size in each component.")
    return lengths.pop()


class Shuffle(Recipe):
    """A buffer of `size` elements; each step yields a random one and refills its place (TF's algorithm).

    Seeded by (seed, seed2) the order is the same in every run; TF's own random order is not reproduced.
    With `reshuffle` each pass over the input (each `iterate()`, as under `repeat`) draws a new order."""

    def __init__(self, input, size, seed, seed2, reshuffle=True):
        if size <= 0:
            raise InvalidArgumentError(None, None, "buffer_size must be greater than zero.")
        self.input, self.size, self.reshuffle = input, int(size), reshuffle
        self.seeds = None if seed == 0 and seed2 == 0 else (int(seed), int(seed2))
        self.epoch = 0

    def iterate(self):
        if self.seeds is None:
            rng = np.random.default_rng()
        else:
            rng = np.random.default_rng(self.seeds + (self.epoch,))
        if self.reshuffle:
            self.epoch += 1
        return _ShuffleIter(self.input.iterate(), self.size, rng)


class _ShuffleIter(_Iter):
    def __init__(self, it, size, rng):
        self.it, self.size, self.rng = it, size, rng
        self.buffer = []
        self.exhausted = False
        self.draws = iter(())

    def _random(self, n):
        try:
            return next(self.draws) % n
        except StopIteration:
            self.draws = iter(self.rng.integers(0, 1 << 62, 1024).tolist())
            return next(self.draws) % n

    def __next__(self):
        buf = self.buffer
        while not self.exhausted and len(buf) < self.size:
            try:
                buf.append(next(self.it))
            except StopIteration:
                self.exhausted = True
        if not buf:
            raise StopIteration
        i = self._random(len(buf))
        out = buf[i]
        buf[i] = buf[-1]
        buf.pop()
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
    _close(it)


# ----- the iterator resource ---------------------------------------------------------------------------------
class IteratorResource:
    """An iterator op's state in its device: the dataset it was initialized with and its position."""

    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.it = None

    def initialize(self, recipe):
        with self.lock:
            old, self.it = self.it, recipe.iterate()
        _close(old)

    def get_next(self):
        with self.lock:
            if self.it is None:
                raise FailedPreconditionError(None, None, "GetNext() failed because the iterator has not been "
                                              "initialized. Ensure that you have run the initializer operation for "
                                              "this iterator before getting the next element.")
            try:
                return next(self.it)
            except StopIteration:
                raise OutOfRangeError(None, None, "End of sequence") from None

    def __reduce__(self):
        raise TypeError(f"the iterator {self.name} cannot leave its device")


def _close(it):
    close = getattr(it, "close", None)
    if close is not None:
        close()


# ----- string handles (feedable iterators) --------------------------------------------------------------------
_HANDLES = weakref.WeakValueDictionary()


def register(iterator):
    """The string handle of an iterator of this device (`IteratorToStringHandle`)."""
    key = f"{iterator.name}:{id(iterator):x}".encode()
    _HANDLES[key] = iterator
    return np.asarray(key, dtype=object)


def lookup(handle):
    key = handle.item() if isinstance(handle, np.ndarray) else handle
    key = key.encode() if isinstance(key, str) else key
    it = _HANDLES.get(key)
    if it is None:
        raise InvalidArgumentError(None, None, f"Unable to find the iterator of handle {key!r} on this device.")
    return it


# ----- files ---------------------------------------------------------------------------------------------------
class FileRecords(Recipe):
    """The records of files, in order: `kind` "tfrecord", "text" (lines without their newline) or "fixed"
    (`fixed` = (header_bytes, record_bytes, footer_bytes))."""

    def __init__(self, kind, filenames, compression, fixed=None):
        names = np.asarray(filenames, dtype=object).ravel()
        self.files = [f.decode() if isinstance(f, bytes) else str(f) for f in names]
        self.kind, self.compression, self.fixed = kind, _text(compression), fixed

    def iterate(self):
        return (element for path in self.files for element in self._records(path))

    def _records(self, path):
        data = python_io.read_bytes(path, self.compression)
        if self.kind == "tfrecord":
            records = python_io.parse_records(data, path)
        elif self.kind == "text":
            lines = data.split(b"\n")
            if lines[-1] == b"":
                lines.pop()
            records = (line.replace(b"\r", b"") for line in lines)  # TF's line reader drops every CR
        else:
            header, size, footer = self.fixed
            body = data[header:len(data) - footer]
            if len(body) % size:
                raise InvalidArgumentError(None, None, f"Excluding the header ({header} bytes) and footer ({footer} "
                                           f"bytes), input file \"{path}\" has body length {len(body)}, which is not "
                                           f"an exact multiple of the record length ({size} bytes).")
            records = (body[i:i + size] for i in range(0, len(body) - size + 1, size))
        return ((np.asarray(r, dtype=object),) for r in records)


def _text(value):
    value = value.item() if isinstance(value, np.ndarray) else value
    return value.decode() if isinstance(value, bytes) else str(value or "")
