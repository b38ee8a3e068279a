"""The `tf.data.experimental` transformations as recipes (see sources.py): scan, take_while, unique,
ignore_errors, group_by_window, group_by_reducer, directed interleave (choose/sample_from_datasets),
RandomDataset, assert_cardinality, lists of elements, and what runs a dataset to its end (a reduction, a single element,
a TFRecord file).

Functions are traced graph functions called with a flat list of argument values; they return a tuple."""
import numpy as np

from .. import python_io
from ..errors import FailedPreconditionError, InvalidArgumentError, OpError
from .sources import Recipe, _Iter

INFINITE = -1
UNKNOWN = -2


class Elements(Recipe):
    """A fixed list of elements (from_list; the window a group_by_window reducer gets)."""

    def __init__(self, elements):
        self.elements = list(elements)

    def iterate(self):
        return iter(self.elements)


class Scan(Recipe):
    """Carries a state through the elements: fn(*state, *element) -> (*new_state, *output)."""

    def __init__(self, input, fn, state, n_state):
        self.input, self.fn, self.state, self.n_state = input, fn, tuple(state), n_state

    def iterate(self):
        return _ScanIter(self.input.iterate(), self.fn, self.state, self.n_state)


class _ScanIter(_Iter):
    def __init__(self, it, fn, state, n_state):
        self.it, self.fn, self.state, self.n_state = it, fn, state, n_state

    def __next__(self):
        out = self.fn(list(self.state) + list(next(self.it)))
        self.state = out[:self.n_state]
        return tuple(out[self.n_state:])


class TakeWhile(Recipe):
    def __init__(self, input, predicate):
        self.input, self.predicate = input, predicate

    def iterate(self):
        for element in self.input.iterate():
            if not self.predicate(list(element))[0]:
                return
            yield element


class Unique(Recipe):
    def __init__(self, input):
        self.input = input

    def iterate(self):
        seen = set()
        for element in self.input.iterate():
            key = tuple(np.asarray(c).tobytes() if np.ndim(c) else np.asarray(c).item() for c in element)
            if key not in seen:
                seen.add(key)
                yield element


class IgnoreErrors(Recipe):
    """Drops the elements whose computation fails (any TF error), as TF's IgnoreErrorsDataset."""

    def __init__(self, input):
        self.input = input

    def iterate(self):
        return _IgnoreErrorsIter(self.input.iterate())


class _IgnoreErrorsIter(_Iter):
    def __init__(self, it):
        self.it = it

    def __next__(self):
        while True:
            try:
                return next(self.it)
            except OpError:
                continue


class GroupByWindow(Recipe):
    """Groups elements by key_fn; a group is reduced (reduce_fn(key, window dataset) -> dataset) when it holds
    window_size_fn(key) elements, and the groups left at the end are reduced in key order."""

    def __init__(self, input, key_fn, reduce_fn, window_size_fn):
        self.input, self.key_fn, self.reduce_fn, self.window_size_fn = input, key_fn, reduce_fn, window_size_fn

    def _key(self, element):
        key = self.key_fn(list(element))[0]
        if np.ndim(key) != 0:
            raise InvalidArgumentError(None, None, "`key_func` must return a single tf.int64 scalar tensor.")
        return int(key)

    def _size(self, key):
        size = int(self.window_size_fn([np.int64(key)])[0])
        if size <= 0:
            raise InvalidArgumentError(None, None, "Window size must be greater than zero, but got " f"{size}.")
        return size

    def iterate(self):
        groups = {}
        for element in self.input.iterate():
            key = self._key(element)
            group = groups.setdefault(key, [])
            group.append(element)
            if len(group) == self._size(key):
                del groups[key]
                yield from self._reduce(key, group)
        for key in sorted(groups):
            yield from self._reduce(key, groups[key])

    def _reduce(self, key, group):
        return self.reduce_fn([np.int64(key), Elements(group)])[0].iterate()


class GroupByReducer(Recipe):
    """Reduces the elements of each key: init_fn(key) -> state, reduce_fn(*state, *element) -> state, and at the
    end, in key order, finalize_fn(*state) -> element."""

    def __init__(self, input, key_fn, init_fn, reduce_fn, finalize_fn):
        self.input, self.key_fn = input, key_fn
        self.init_fn, self.reduce_fn, self.finalize_fn = init_fn, reduce_fn, finalize_fn

    def iterate(self):
        states = {}
        for element in self.input.iterate():
            key = int(self.key_fn(list(element))[0])
            if key not in states:
                states[key] = self.init_fn([np.int64(key)])
            states[key] = self.reduce_fn(list(states[key]) + list(element))
        for key in sorted(states):
            yield tuple(self.finalize_fn(list(states[key])))


class DirectedInterleave(Recipe):
    """Each selector element (an int64 index) picks the dataset whose next element comes next; an exhausted
    dataset is skipped, or ends the whole if `stop_on_empty`."""

    def __init__(self, selector, inputs, stop_on_empty):
        self.selector, self.inputs, self.stop_on_empty = selector, inputs, bool(stop_on_empty)

    def iterate(self):
        its = [d.iterate() for d in self.inputs]
        live = [True] * len(its)
        for (choice,) in self.selector.iterate():
            i = int(choice)
            if not 0 <= i < len(its):
                raise InvalidArgumentError(None, None, f"Selector index out of range: {i} >= {len(its)}")
            if not live[i]:
                continue
            try:
                yield next(its[i])
            except StopIteration:
                if self.stop_on_empty:
                    return
                live[i] = False
                if not any(live):
                    return


class RandomInts(Recipe):
    """RandomDataset: int64 values in [0, 2^32), the same sequence for the same nonzero seeds (not TF's)."""

    def __init__(self, seed, seed2):
        self.seeds = None if seed == 0 and seed2 == 0 else (int(seed), int(seed2))

    def iterate(self):
        rng = np.random.default_rng(self.seeds)
        while True:
            for v in rng.integers(0, 1 << 32, 256, dtype=np.int64):
                yield (v,)


class AssertCardinality(Recipe):
    def __init__(self, input, expected):
        self.input, self.expected = input, int(expected)

    def iterate(self):
        n = 0
        for element in self.input.iterate():
            n += 1
            if self.expected != INFINITE and n > self.expected:
                raise FailedPreconditionError(None, None, f"Input dataset was expected to contain "
                                              f"{_elements(self.expected)} but contained at least {_elements(n)}.")
            yield element
        if self.expected == INFINITE or n < self.expected:
            expected = "an infinite number of elements" if self.expected == INFINITE else _elements(self.expected)
            raise FailedPreconditionError(None, None, f"Input dataset was expected to contain {expected} but "
                                          f"contained only {_elements(n)}.")


def _elements(n):
    return f"{n} element{'' if n == 1 else 's'}"


# ----- running a dataset to its end ---------------------------------------------------------------------------
def reduce(recipe, fn, state):
    """The state after folding every element into it: fn(*state, *element) -> new state."""
    state = tuple(state)
    for element in recipe.iterate():
        new_state = fn(list(state) + list(element))
        if len(new_state) != len(state):
            raise InvalidArgumentError(None, None, "The number of components of the initial state and the reduce "
                                       f"function output does not match. (initial_state={len(state)}, "
                                       f"output={len(new_state)}).")
        state = new_state
    return state


def single_element(recipe):
    it = recipe.iterate()
    try:
        element = next(it)
    except StopIteration:
        raise InvalidArgumentError(None, None, "Dataset was empty.") from None
    try:
        next(it)
    except StopIteration:
        return element
    raise InvalidArgumentError(None, None, "Dataset had more than one element.")


def write_tfrecords(recipe, filename, compression):
    options = python_io.TFRecordOptions(compression or None)
    with python_io.TFRecordWriter(filename, options) as writer:
        for (record,) in recipe.iterate():
            writer.write(record.item() if isinstance(record, np.ndarray) else record)
