"""An iterator's state in its device: the `IteratorResource` an iterator op (`IteratorV2`,
`OneShotIterator`) keeps between steps, like a variable's value: the current iterator of the dataset it
was last initialized with. String handles name them for feedable iterators."""
import threading
import weakref

import numpy as np

from ..errors import FailedPreconditionError, InvalidArgumentError, OutOfRangeError
from .pipeline import close


class IteratorResource:
    """An iterator op's state in its device: the dataset it was initialized with and its position."""

    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.it = None

    def initialize(self, recipe):
        with self.lock:
            old, self.it = self.it, recipe.iterate()
        close(old)

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

    def get_next_as_optional(self):
        try:
            return Optional(self.get_next())
        except OutOfRangeError:
            return Optional(None)

    def __reduce__(self):
        raise TypeError(f"the iterator {self.name} cannot leave its device")


class Optional:
    """An optional's value (TF's OptionalVariant): an element's tuple of values, or None."""

    def __init__(self, value):
        self.value = None if value is None else tuple(value)

    def get(self):
        if self.value is None:
            raise InvalidArgumentError(None, None, "The optional does not have a value.")
        return self.value


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
