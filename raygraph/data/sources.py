"""What a dataset is on a device: the value of a dataset op (TF's variant tensor) is a recipe, and
iterating it (`iterate()`) yields elements, each a tuple of numpy arrays (the element's flat components).

Recipes are plain picklable objects built by the dataset ops' kernels from their input values, so a
placeholder-parameterized dataset is a recipe made from the fed values. Their iterators are classes
(not generators) so that an element that fails (a map function raising) ends only that `next()`: the
iterator stays usable, as TF's does. This module holds the sources; pipeline.py the transformations.
"""
import numpy as np

from .. import python_io
from ..errors import InvalidArgumentError


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
            return ((row(c, i),) for i in range(self.n))
        return (tuple(row(c, i) for c in cs) for i in range(self.n))


def row(c, i):
    """Row i of `c`; of strings or boxed values, a 0-d object array (a kernel given Python bytes would make
    numpy bytes of them, which drop trailing NULs)."""
    return c[i, ...] if c.dtype == object else c[i]


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
            if dt is np.object_:  # TF's tf.string values are bytes: a yielded str is encoded (UTF-8)
                arr = _as_bytes(arr)
            elif arr.dtype != dt:
                if not np.can_cast(arr.dtype, dt, "same_kind"):
                    raise InvalidArgumentError(None, None, f"TypeError: `generator` yielded an element that could "
                                                           f"not be converted to the expected type. The expected type "
                                                           f"was {np.dtype(dt).name}, but the yielded element was {v}.")
                arr = arr.astype(dt)
            out.append(arr)
        return tuple(out)


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


def _as_bytes(strings):
    """An object array of the same shape with each str encoded as UTF-8."""
    out = np.empty(strings.shape, object)
    for i, v in enumerate(strings.flat):
        out.flat[i] = v.encode() if isinstance(v, str) else v
    return out
