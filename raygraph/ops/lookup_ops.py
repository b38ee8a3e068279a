"""Lookup tables (TF's lookup_ops): `HashTableV2` and the ops that fill, read, size and export it.

A table is a resource of the device its op runs on, kept in the device's `Resources.shared` (with its queues) under
(container, shared name, "table"), so every step and every client of that device sees the same one; the
ops taking its handle run on its device (resource inputs colocate). State of one table: `entries` (a dict
of Python keys to values, in insertion order) and `initialized`. Once initialized it is read-only: a second
initialization succeeds only when it holds as many entries as the table (TF compares sizes alone),
else it fails with "Table was already initialized with different data." Before initialization a lookup
fails with FailedPrecondition "Table not initialized.".
"""
import re
import threading

import numpy as np

from .. import dtypes
from ..errors import AbortedError, FailedPreconditionError, InvalidArgumentError, NotFoundError, OutOfRangeError
from ..shape import TensorShape
from .registry import NOT_DIFFERENTIABLE, op
from .shape_fns import dims, with_rank


def _tf_name(dtype):
    """TF's DataTypeString of a dtype (float32 -> "float")."""
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dtype.name, dtype.name)


def _shape_text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _value_text(v):
    """A key or value as TF's error messages stream it."""
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


# ----- the table, in its device ------------------------------------------------------------------------
class _Table:
    """One hash table's state (see the module docstring)."""

    def __init__(self, key_dtype, value_dtype):
        self.key_dtype, self.value_dtype = key_dtype, value_dtype
        self.entries = {}
        self.initialized = False
        self.lock = threading.Lock()

    def cancel(self):
        """The device dropped this table (its session closed): nothing waits on a table."""

    def size(self):
        return len(self.entries) if self.initialized else 0

    def initialize(self, pairs, total_size):
        """Inserts the (key, value) pairs of an iterator (which raises its own errors as it goes); `total_size()`
        is how many pairs it holds, compared with the size of an already initialized table."""
        with self.lock:
            if self.initialized:
                if total_size() != len(self.entries):
                    raise FailedPreconditionError(None, None, "Table was already initialized with different data.")
                return
            for key, value in pairs:
                previous = self.entries.setdefault(key, value)
                if previous != value:
                    raise FailedPreconditionError(
                        None, None, f"HashTable has different value for same key. Key {_value_text(key)} has "
                                    f"{_value_text(previous)} and trying to add value {_value_text(value)}")
            self.initialized = True


class TableHandle:
    """What a table op yields: the key of its table in the device's resources."""

    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key

    def __repr__(self):
        return f"TableHandle({self.key})"


def _hash_table_kernel(a, res):
    name = a.get("shared_name") or ""
    if not name:
        name = res.name if a.get("use_node_name_sharing") else f"_{res.name}"  # "_": private to the op
    key = (a.get("container") or "", name, "table")
    table = res.shared.get(key)
    if table is None:
        with res.locks[key]:
            table = res.shared.setdefault(key, _Table(a["key_dtype"], a["value_dtype"]))
    if (table.key_dtype, table.value_dtype) != (a["key_dtype"], a["value_dtype"]):
        raise InvalidArgumentError(
            None, None, f"Conflicting key/value dtypes {_tf_name(a['key_dtype'])}->{_tf_name(a['value_dtype'])} "
                        f"with {_tf_name(table.key_dtype)}-{_tf_name(table.value_dtype)} for table {name}")
    return TableHandle(key)


def _table(res, handle):
    table = res.shared.get(handle.key)
    if table is None:
        raise NotFoundError(None, None, f"Resource {handle.key[0] or 'localhost'}/{handle.key[1]}/"
                                        f"N10tensorflow6lookup15LookupInterfaceE does not exist.")
    return table


def _items(array):
    """A tensor's elements as Python values (bytes, int, float, bool), in row-major order."""
    items = np.asarray(array).ravel().tolist()
    return [x.encode() if isinstance(x, str) else x for x in items] if np.asarray(array).dtype.kind in "OUS" \
        else items


def _import_kernel(a, res, handle, keys, values):
    table = _table(res, handle)
    keys, values = np.asarray(keys), np.asarray(values)
    if values.shape != keys.shape:
        raise InvalidArgumentError(None, None, f"Expected shape {_shape_text(keys.shape)} for value, got "
                                               f"{_shape_text(values.shape)}")
    table.initialize(zip(_items(keys), _items(values)), lambda: keys.size)


def _initialize_kernel(a, res, handle, keys, values):
    table = _table(res, handle)
    keys, values = np.asarray(keys), np.asarray(values)
    for what, x in (("Keys", keys), ("Values", values)):
        if x.ndim != 1:
            raise InvalidArgumentError(None, None, f"{what} must be a vector, but received shape"
                                                   f"{_shape_text(x.shape)}")
    if keys.size != values.size:
        raise InvalidArgumentError(None, None, f"Keys and values must have the same size {keys.size} vs "
                                               f"{values.size}")
    table.initialize(zip(_items(keys), _items(values)), lambda: keys.size)


def _find_kernel(a, res, handle, keys, default):
    table = _table(res, handle)
    keys, default = np.asarray(keys), np.asarray(default)
    if default.shape not in ((), keys.shape):
        raise InvalidArgumentError(None, None, f"Expected shape [] or {_shape_text(keys.shape)} for default value, "
                                               f"got {_shape_text(default.shape)}")
    if not table.initialized:
        raise FailedPreconditionError(None, None, "Table not initialized.")
    get = table.entries.get
    d = _items(default)[0] if default.size else None   # (TF's HashTable: the first element for all)
    found = [get(k, d) for k in _items(keys)]
    return np.array(found, dtype=a["Tout"].as_numpy_dtype).reshape(keys.shape)


def _export_kernel(a, res, handle):
    table = _table(res, handle)
    if not table.initialized:
        raise AbortedError(None, None, "HashTable is not initialized.")
    return (np.array(list(table.entries), dtype=a["Tkeys"].as_numpy_dtype).reshape(-1),
            np.array(list(table.entries.values()), dtype=a["Tvalues"].as_numpy_dtype).reshape(-1))


# ----- initialization from a text file (TF's TextFileLineIterator) -------------------------------------
_INT = re.compile(rb"\s*[+-]?\d+\s*")
_FLOAT = re.compile(rb"\s*[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf(inity)?|nan)\s*", re.IGNORECASE)
_INT_RANGE = {dtypes.int32: 2 ** 31, dtypes.int64: 2 ** 63}


def _field(token, dtype, line_no, offset):
    """One field of a line as a value of `dtype` (TF's SetValue: int32 fields get `offset` added)."""
    if dtype == dtypes.string:
        return token
    if dtype in _INT_RANGE:
        limit = _INT_RANGE[dtype]
        if _INT.fullmatch(token) and -limit <= int(token) < limit:
            return int(token) + (offset if dtype == dtypes.int32 else 0)
    elif dtype in (dtypes.float32, dtypes.float64):
        if _FLOAT.fullmatch(token):
            value = float(token)
            return float(np.float32(value)) if dtype == dtypes.float32 else value
    else:
        raise InvalidArgumentError(None, None, f"Data type {_tf_name(dtype)} not supported.")
    raise InvalidArgumentError(None, None, f"Field {_value_text(token)} in line {line_no} is not a valid "
                                           f"{_tf_name(dtype)}.")


def _lines(data):
    """The lines of a file (TF's InputBuffer::ReadLine: split at "\\n", a trailing "\\r" dropped), each with
    the byte position after it."""
    pos = 0
    while pos < len(data):
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        line = data[pos:end]
        pos = end + 1 if end < len(data) else end
        yield (line[:-1] if line.endswith(b"\r") else line), pos


def _text_pairs(filename, data, a, key_dtype, value_dtype):
    """The (key, value) of each line, raising TF's errors for bad lines, a short file or a vocab_size reached."""
    key_index, value_index, vocab_size = a["key_index"], a["value_index"], a.get("vocab_size", -1)
    delimiter, offset = a.get("delimiter", "\t").encode(), a.get("offset", 0)
    need = max(key_index, value_index) + 1
    n = 0
    for line, pos in _lines(data):
        if vocab_size != -1 and n >= vocab_size:
            return
        if not line:
            raise InvalidArgumentError(None, None, f"Invalid content in {filename}: empty line found at position "
                                                   f"{pos}.")
        tokens = line.split(delimiter) if need > 0 else []
        if len(tokens) < need:
            raise InvalidArgumentError(None, None, f"Invalid number of columns in {filename} line {n} "
                                                   f"({_value_text(line)}) : expected at least {need} got "
                                                   f"{len(tokens)}")
        key, value = (n + offset if index == -1 else _field(line if index == -2 else tokens[index], dtype, n, offset)
                      for index, dtype in ((key_index, key_dtype), (value_index, value_dtype)))
        yield key, value
        n += 1
    if vocab_size != -1 and n != vocab_size:
        raise InvalidArgumentError(None, None, f"Invalid vocab_size in {filename}: expected {vocab_size} but got {n}")


def _check_text_indices(a, key_dtype, value_dtype):
    key_index, value_index = a["key_index"], a["value_index"]
    if key_index == -1 and key_dtype != dtypes.int64:
        raise InvalidArgumentError(None, None, f"Key index for line number requires table key dtype of int64, got "
                                               f"{_tf_name(key_dtype)}")
    if key_index == -2 and not key_dtype.is_integer and key_dtype != dtypes.string:
        raise InvalidArgumentError(None, None, f"Key index for whole line requires string or integer table key, "
                                               f"got {_tf_name(key_dtype)}")
    if value_index == -1 and value_dtype != dtypes.int64:
        raise InvalidArgumentError(None, None, f"Value index for line number requires table value dtype of int64, "
                                               f"got {_tf_name(value_dtype)}")
    if value_index == -2 and not value_dtype.is_integer and value_dtype != dtypes.string:
        raise InvalidArgumentError(None, None, f"Value index for whole line requires table value dtype of integer "
                                               f"or string, got {_tf_name(value_dtype)}")


def _text_file_kernel(a, res, handle, filename):
    if len(a.get("delimiter", "\t")) != 1:
        raise InvalidArgumentError(None, None, "delimiter should be only 1 char")
    table = _table(res, handle)
    if np.ndim(filename):
        raise InvalidArgumentError(None, None, f"filename should be a single string, but got "
                                               f"{_shape_text(np.shape(filename))}")
    name = np.asarray(filename).item()
    name = name.decode() if isinstance(name, bytes) else str(name)
    if not name:
        raise InvalidArgumentError(None, None, "filename cannot be empty.")
    _check_text_indices(a, table.key_dtype, table.value_dtype)
    try:
        with open(name, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise NotFoundError(None, None, f"{name}; No such file or directory") from None
    if not data:   # (TF's first read of an empty file fails)
        raise OutOfRangeError(None, None, "Read less bytes than requested")
    pairs = _text_pairs(name, data, a, table.key_dtype, table.value_dtype)
    first = next(pairs, None)   # TF reads the first line before anything else (its errors come first)
    vocab = a.get("vocab_size", -1)
    if first is None:   # vocab_size 0 (only a raw op can ask it)
        raise OutOfRangeError(None, None, f"Finished reading {vocab} of lines from {name}")
    total = (lambda: vocab) if vocab != -1 else (lambda: sum(1 for _ in _lines(data)))
    table.initialize(_chain(first, pairs), total)


def _chain(first, rest):
    yield first
    yield from rest


# ----- shape functions and the op table -----------------------------------------------------------------
def _scalar_handle(inputs):
    with_rank(inputs[0], 0)


def _import_shape(inputs, a):
    _scalar_handle(inputs)
    keys = with_rank(inputs[1], 1)
    values = dims(inputs[2])
    if values is not None:
        if len(values) < 1:
            raise ValueError(f"Shape must be at least rank 1 but is rank {len(values)}")
        if None not in (keys[0], values[0]) and keys[0] != values[0]:
            raise ValueError(f"Dimensions must be equal, but are {keys[0]} and {values[0]}")
    return []


def _initialize_shape(inputs, a):
    _scalar_handle(inputs)
    keys, values = with_rank(inputs[1], 1), dims(inputs[2])
    if values is not None:
        if len(values) != 1:
            raise ValueError(f"Shapes must be equal rank, but are 1 and {len(values)}")
        if None not in (keys[0], values[0]) and keys[0] != values[0]:
            raise ValueError(f"Dimension 0 in both shapes must be equal, but are {keys[0]} and {values[0]}. "
                             f"Shapes are [{keys[0]}] and [{values[0]}].")
    return []


def _text_file_shape(inputs, a):
    _scalar_handle(inputs)
    with_rank(inputs[1], 0)
    return []


def _find_shape(inputs, a):
    _scalar_handle(inputs)
    return a["Tout"], TensorShape(None)


def _size_shape(inputs, a):
    _scalar_handle(inputs)
    return dtypes.int64, TensorShape([])


def _export_shape(inputs, a):
    _scalar_handle(inputs)
    return [(a["Tkeys"], TensorShape(None)), (a["Tvalues"], TensorShape(None))]


op("HashTableV2", kernel=_hash_table_kernel, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=lambda inputs, a: (dtypes.resource, TensorShape([])))
op("LookupTableImportV2", "table_handle:resource, keys:Tin, values:Tout", kernel=_import_kernel, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=_import_shape)
op("InitializeTableV2", "table_handle:resource, keys:Tkey, values:Tval", kernel=_initialize_kernel, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=_initialize_shape)
op("InitializeTableFromTextFileV2", "table_handle:resource, filename:string", kernel=_text_file_kernel,
   stateful=True, grad=NOT_DIFFERENTIABLE, shape=_text_file_shape)
op("LookupTableFindV2", "table_handle:resource, keys:Tin, default_value:Tout", kernel=_find_kernel, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=_find_shape)
op("LookupTableSizeV2", "table_handle:resource", kernel=lambda a, res, h: np.int64(_table(res, h).size()),
   stateful=True, grad=NOT_DIFFERENTIABLE, shape=_size_shape)
op("LookupTableExportV2", "table_handle:resource", kernel=_export_kernel, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=_export_shape)
