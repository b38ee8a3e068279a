"""Lookup tables (TF's lookup_ops): `HashTableV2` and the ops that fill, read, size and export it.

A table is a resource of the device its op runs on, kept in the device's `Resources.shared` (with its queues) under
(container, shared name, "table"), so every step and every client of that device sees the same one; the
ops taking its handle run on its device (resource inputs colocate). State of one table: `entries` (a dict
of Python keys to values, in insertion order) and `initialized`. Once initialized it is read-only: a second
initialization succeeds only when it holds as many entries as the table (TF compares sizes alone),
else it fails with "Table was already initialized with different data." Before initialization a lookup
fails with FailedPrecondition "Table not initialized.".
"""
import itertools
import re
import threading

import numpy as np
from scheduler.resources import SharedHandle

from .. import dtypes
from ..errors import (
    AbortedError,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    OutOfRangeError,
    UnimplementedError,
)
from ..shape import TensorShape
from .fingerprints import hash64
from .registry import NOT_DIFFERENTIABLE, op
from .shape_fns import _dt_name, dims, with_rank


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


class TableHandle(SharedHandle):
    """What a table op yields: the key of its table in the device's resources."""


def _hash_table_kernel(a, res, make=None):
    """Finds or creates the table of a table op (`make()` creates it: by default a static hash table)."""
    name = a.get("shared_name") or ""
    if not name:
        name = res.name if a.get("use_node_name_sharing") else f"_{res.name}"  # "_": private to the op
    key = (a.get("container") or "", name, "table")
    table = res.shared.get(key)
    if table is None:
        with res.locks[key]:
            table = res.shared.get(key)
            if table is None:
                table = res.shared.setdefault(key, make() if make else _Table(a["key_dtype"], a["value_dtype"]))
    if (table.key_dtype, table.value_dtype) != (a["key_dtype"], a["value_dtype"]):
        raise InvalidArgumentError(
            None, None, f"Conflicting key/value dtypes {dtypes.type_string(a['key_dtype'])}->{dtypes.type_string(a['value_dtype'])} "
                        f"with {dtypes.type_string(table.key_dtype)}-{dtypes.type_string(table.value_dtype)} for table {name}")
    return TableHandle(key, res.shared)


def _table(res, handle):
    table = handle.resource(res)
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
    if not isinstance(table, _Table):
        table.check_signature([(a["Tin"], "key"), (a["Tout"], "value")])
        return table.import_values(np.asarray(keys), np.asarray(values))
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


def _dataset_kernel(a, res, handle, dataset):
    """InitializeTableFromDataset: the (key, value) scalar pairs a dataset yields (`dataset`: what a dataset op
    makes, iterated here). As in TF, a table already initialized is left as it is, and an empty dataset is an
    error that leaves the table uninitialized."""
    table = _table(res, handle)
    if table.initialized:
        return
    pairs = ((_items(k)[0], _items(v)[0]) for k, v in dataset.iterate())
    first = next(pairs, None)
    if first is None:
        raise OutOfRangeError(None, None, "end of iterator")
    table.initialize(itertools.chain([first], pairs), table.size)


def _find_kernel(a, res, handle, keys, default):
    table = _table(res, handle)
    if not isinstance(table, _Table):
        table.check_signature([(a["Tin"], "key"), (a["Tout"], "value")], [(a["Tout"], "value")])
        return table.find(np.asarray(keys), np.asarray(default))
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
    if not isinstance(table, _Table):
        return table.export()
    if not table.initialized:
        raise AbortedError(None, None, "HashTable is not initialized.")
    return (np.array(list(table.entries), dtype=a["Tkeys"].as_numpy_dtype).reshape(-1),
            np.array(list(table.entries.values()), dtype=a["Tvalues"].as_numpy_dtype).reshape(-1))


# ----- mutable tables (TF's MutableHashTableOfScalars/OfTensors and MutableDenseHashTable) --------------------
class _MutableBase:
    """What TF's LookupInterface checks before a mutable table's find, insert, remove and import."""

    key_shape = ()

    def __init__(self, key_dtype, value_dtype, value_shape):
        self.key_dtype, self.value_dtype, self.value_shape = key_dtype, value_dtype, tuple(value_shape)
        self.value_size = int(np.prod(self.value_shape, dtype=np.int64))
        self.lock = threading.Lock()

    def cancel(self):
        """The device dropped this table (its session closed): nothing waits on a table."""

    def check_signature(self, inputs, outputs=()):
        """TF's MatchSignature: the dtypes of an op's inputs (after its handle) and outputs are the table's."""
        table = {"key": self.key_dtype, "value": self.value_dtype}
        have = ", ".join(["resource"] + [dtypes.type_string(d) for d, _ in inputs]) + "->" + ", ".join(
            dtypes.type_string(d) for d, _ in outputs)
        want = ", ".join(["resource"] + [dtypes.type_string(table[w]) for _, w in inputs]) + "->" + ", ".join(
            dtypes.type_string(table[w]) for _, w in outputs)
        if have != want:
            raise InvalidArgumentError(None, None, f"Signature mismatch, have: {have} expected: {want}")

    def check_key_shape(self, shape):
        k = len(self.key_shape)
        if len(shape) < k or tuple(shape[len(shape) - k:]) != self.key_shape:
            raise InvalidArgumentError(None, None, f"Input key shape {_shape_text(shape)} must end with the table's "
                                                   f"key shape {_shape_text(self.key_shape)}")

    def values_shape(self, keys_shape, key_shape=None, value_shape=None):
        """The shape of the values of keys of `keys_shape` (TF's keys shape less the key dims, plus the value's)."""
        key_shape = self.key_shape if key_shape is None else key_shape
        return tuple(keys_shape[:len(keys_shape) - len(key_shape)]) + (self.value_shape if value_shape is None
                                                                        else value_shape)

    def check_insert(self, keys, values):
        self.check_key_shape(keys.shape)
        expected = self.values_shape(keys.shape)
        if values.shape != expected:
            raise InvalidArgumentError(None, None, f"Expected shape {_shape_text(expected)} for value, got "
                                                   f"{_shape_text(values.shape)}")

    def check_find(self, keys, default):
        self.check_key_shape(keys.shape)
        full = self.values_shape(keys.shape)
        if default.shape not in (self.value_shape, full):
            raise InvalidArgumentError(None, None, f"Expected shape {_shape_text(self.value_shape)} or "
                                                   f"{_shape_text(full)} for default value, got "
                                                   f"{_shape_text(default.shape)}")

    def _array(self, rows, shape):
        return np.array(rows, dtype=self.value_dtype.as_numpy_dtype).reshape(shape)


class _MutableTable(_MutableBase):
    """A MutableHashTable: a dict of keys to values (rows of `value_size`), which inserts overwrite."""

    def __init__(self, key_dtype, value_dtype, value_shape=()):
        super().__init__(key_dtype, value_dtype, value_shape)
        self.entries = {}

    def size(self):
        return len(self.entries)

    def find(self, keys, default):
        self.check_find(keys, default)
        shape = self.values_shape(keys.shape)
        defaults = default.reshape(-1, self.value_size) if default.size else default
        per_key = default.size == int(np.prod(shape, dtype=np.int64))   # TF's is_full_size_default
        with self.lock:
            rows = [self.entries.get(k) for k in _items(keys)]
        rows = [row if row is not None else defaults[i if per_key else 0] for i, row in enumerate(rows)]
        return self._array(rows, shape)

    def insert(self, keys, values, clear=False):
        self.check_insert(keys, values)
        rows = values.reshape(-1, self.value_size)
        with self.lock:
            if clear:
                self.entries.clear()
            for k, row in zip(_items(keys), rows):
                self.entries[k] = row.copy()

    def import_values(self, keys, values):
        self.insert(keys, values, clear=True)

    def remove(self, keys):
        self.check_key_shape(keys.shape)
        with self.lock:
            for k in _items(keys):
                self.entries.pop(k, None)

    def export(self):
        with self.lock:
            keys, rows = list(self.entries), list(self.entries.values())
        return (np.array(keys, dtype=self.key_dtype.as_numpy_dtype).reshape(-1),
                self._array(rows, (len(keys),) + self.value_shape))


_M64 = (1 << 64) - 1


def _hash_scalar(k):
    """TF's HashScalar: an integer as uint64, a string's Hash64."""
    return hash64(k) if isinstance(k, bytes) else int(k) & _M64


def _hash_combine(a, b):
    return (a ^ (b + 0x9e3779b97f4a7800 + (a << 10) + (a >> 4))) & _M64


class _DenseTable(_MutableBase):
    """A MutableDenseHashTable as TF lays it out: `num_buckets` (a power of 2) rows of keys and of values,
    empty rows holding empty_key, removed ones deleted_key; a key goes to the first free row of its probe
    sequence from hash & (num_buckets - 1), stepping 1, 2, 3... rows (TF's "quadratic probing"). The table
    doubles its buckets before an insert would fill more than max_load_factor of them."""

    def __init__(self, a, empty_key, deleted_key):
        super().__init__(a["key_dtype"], a["value_dtype"], TensorShape(a.get("value_shape", [])).as_list())
        self.max_load_factor = np.float32(a.get("max_load_factor", 0.8))
        if not 0 < self.max_load_factor < 1:
            raise InvalidArgumentError(None, None, f"max_load_factor must be between 0 and 1, got: "
                                                   f"{self.max_load_factor}")
        if len(self.value_shape) > 1:
            raise InvalidArgumentError(None, None, f"Empty value must be a scalar or a vector, got shape "
                                                   f"{_shape_text(self.value_shape)}")
        empty_key, deleted_key = np.asarray(empty_key), np.asarray(deleted_key)
        if empty_key.ndim > 1:
            raise InvalidArgumentError(None, None, f"Empty key must be a scalar or a vector, got shape "
                                                   f"{_shape_text(empty_key.shape)}")
        if empty_key.shape != deleted_key.shape:
            raise InvalidArgumentError(None, None, f"Empty and deleted keys must have same shape, got shapes: "
                                                   f"{_shape_text(empty_key.shape)} and "
                                                   f"{_shape_text(deleted_key.shape)}")
        self.key_shape = empty_key.shape
        self.key_size = int(empty_key.size)
        self.empty, self.deleted = tuple(_items(empty_key)), tuple(_items(deleted_key))
        if self.empty == self.deleted:
            raise InvalidArgumentError(None, None, "Empty and deleted keys cannot be equal")
        self.allocate(a.get("initial_num_buckets", 131072))

    def allocate(self, num_buckets):
        if num_buckets < 4 or num_buckets & (num_buckets - 1):
            raise InvalidArgumentError(None, None, f"Number of buckets must be at least 4 and a power of 2, got: "
                                                   f"{num_buckets}")
        self.keys = [self.empty] * num_buckets
        self.values = np.zeros((num_buckets, self.value_size), self.value_dtype.as_numpy_dtype)
        if self.value_dtype == dtypes.string:
            self.values[...] = b""
        self.num_entries = 0

    def size(self):
        return self.num_entries

    def _hash(self, key):
        if len(key) == 1:
            return _hash_scalar(key[0])
        h = 0
        for k in key:
            h = _hash_combine(h, _hash_scalar(k))
        return h

    def _rows(self, keys, count=None):
        """The keys as tuples, checking their shape (TF's "Expected key shape") and that none is a marker."""
        n = (1 if keys.ndim == 0 else keys.shape[0]) if count is None else count
        if keys.size != n * self.key_size:
            raise InvalidArgumentError(None, None, f"Expected key shape {_shape_text((n,) + self.key_shape)} got "
                                                   f"{_shape_text(keys.shape)}")
        flat = _items(keys)
        return [tuple(flat[i * self.key_size:(i + 1) * self.key_size]) for i in range(n)]

    def _check_key(self, key):
        for marker, what in ((self.empty, "empty_key"), (self.deleted, "deleted_key")):
            if key == marker:
                raise InvalidArgumentError(None, None, f"Using the {what} as a table key is not allowed")

    def _probe(self, key, stop, what):
        """The first bucket of `key`'s probe sequence where `stop(bucket key)` holds."""
        mask = len(self.keys) - 1
        index, probes = self._hash(key) & mask, 0
        while not stop(self.keys[index]):
            probes += 1
            index = (index + probes) & mask
            if probes >= len(self.keys):
                raise InternalError(None, None, f"Internal error in MutableDenseHashTable {what}")
        return index

    def find(self, keys, default):
        self.check_find(keys, default)
        with self.lock:
            rows = self._rows(keys)
            out = np.empty((len(rows), self.value_size), self.value_dtype.as_numpy_dtype)
            first = default.reshape(-1)[:self.value_size]
            for i, key in enumerate(rows):
                self._check_key(key)
                index = self._probe(key, lambda k, key=key: k == key or k == self.empty, "lookup")
                out[i] = self.values[index] if self.keys[index] == key else first
        return out.reshape(self.values_shape(keys.shape))

    def _insert(self, rows, values, skip_markers=False):
        for key, value in zip(rows, values):
            if skip_markers and key in (self.empty, self.deleted):
                continue
            self._check_key(key)
            index = self._probe(key, lambda k, key=key: k in (key, self.empty, self.deleted), "insert")
            if self.keys[index] != key:
                self.num_entries += 1
                self.keys[index] = key
            self.values[index] = value

    def insert(self, keys, values):
        self.check_insert(keys, values)
        with self.lock:
            rows = self._rows(keys)
            pending = self.num_entries + len(rows)
            if pending > np.float32(len(self.keys)) * self.max_load_factor:
                size = len(self.keys)
                while True:
                    size <<= 1
                    if not pending > np.float32(size) * self.max_load_factor:
                        break
                old_keys, old_values = self.keys, self.values
                self.allocate(size)
                self._insert(old_keys, old_values, skip_markers=True)
            self._insert(rows, values.reshape(len(rows), self.value_size))

    def remove(self, keys):
        self.check_key_shape(keys.shape)
        with self.lock:
            for key in self._rows(keys, keys.shape[0] if keys.ndim else 1):
                self._check_key(key)
                index = self._probe(key, lambda k, key=key: k == key or k == self.empty, "remove")
                if self.keys[index] == key:
                    self.num_entries -= 1
                    self.keys[index] = self.deleted

    def import_values(self, keys, values):
        self.check_key_shape(keys.shape)
        key_shape, value_shape = self.key_shape or (1,), self.value_shape or (1,)
        expected = self.values_shape(keys.shape, key_shape, value_shape)
        if values.shape != expected:
            raise InvalidArgumentError(None, None, f"Expected shape {_shape_text(expected)} for value, got "
                                                   f"{_shape_text(values.shape)}")
        with self.lock:
            n = keys.shape[0]
            flat = _items(keys)
            size = len(flat) // n if n else self.key_size
            self.keys = [tuple(flat[i * size:(i + 1) * size]) for i in range(n)]
            self.values = values.reshape(n, -1).copy()
            self.num_entries = sum(k not in (self.empty, self.deleted) for k in self.keys)

    def export(self):
        with self.lock:
            keys = np.array(self.keys, dtype=self.key_dtype.as_numpy_dtype).reshape(len(self.keys), self.key_size)
            return keys, self.values.copy()


_BOTH = "int32:float int32:double int32:int32 string:float string:double string:int32 string:int64 string:bool " \
        "int64:float int64:double int64:int32 int64:int64"
_KERNELS = {  # the key:value dtypes of TF's CPU kernels of each table op
    "MutableHashTableV2": set((_BOTH + " int64:string int64:variant").split()),
    "MutableHashTableOfTensorsV2": set((_BOTH + " int64:string").split()),
    "MutableDenseHashTableV2": set((_BOTH + " int64:bool int64:variant string:resource").split())}


def _check_kernel(op_type, a):
    if f"{dtypes.type_string(a['key_dtype'])}:{dtypes.type_string(a['value_dtype'])}" not in _KERNELS[op_type]:
        raise InvalidArgumentError(None, None, f"No OpKernel was registered to support Op '{op_type}' with these "
                                               f"attrs: [key_dtype={_dt_name(a['key_dtype'])}, value_dtype="
                                               f"{_dt_name(a['value_dtype'])}]")


def _mutable_table_kernel(a, res, value_shape=None):
    """MutableHashTableV2's kernel, or with `value_shape` MutableHashTableOfTensorsV2's."""
    _check_kernel("MutableHashTableV2" if value_shape is None else "MutableHashTableOfTensorsV2", a)
    shape = [] if value_shape is None else TensorShape(value_shape).as_list()

    def make():
        if value_shape is not None and len(shape) != 1:
            raise InvalidArgumentError(None, None, f"Default value must be a vector, got shape {_shape_text(shape)}")
        return _MutableTable(a["key_dtype"], a["value_dtype"], shape)
    return _hash_table_kernel(a, res, make)


def _dense_table_kernel(a, res, empty_key, deleted_key):
    _check_kernel("MutableDenseHashTableV2", a)
    return _hash_table_kernel(a, res, lambda: _DenseTable(a, empty_key, deleted_key))


def _insert_kernel(a, res, handle, keys, values):
    table = _table(res, handle)
    if isinstance(table, _Table):
        raise UnimplementedError(None, None, "Insert not supported by InitializableLookupTable implementations")
    table.check_signature([(a["Tin"], "key"), (a["Tout"], "value")])
    table.insert(np.asarray(keys), np.asarray(values))


def _remove_kernel(a, res, handle, keys):
    table = _table(res, handle)
    if isinstance(table, _Table):
        raise UnimplementedError(None, None, "Remove not supported by InitializableLookupTable implementations")
    table.check_signature([(a["Tin"], "key")])
    table.remove(np.asarray(keys))


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
        raise InvalidArgumentError(None, None, f"Data type {dtypes.type_string(dtype)} not supported.")
    raise InvalidArgumentError(None, None, f"Field {_value_text(token)} in line {line_no} is not a valid "
                                           f"{dtypes.type_string(dtype)}.")


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
                                               f"{dtypes.type_string(key_dtype)}")
    if key_index == -2 and not key_dtype.is_integer and key_dtype != dtypes.string:
        raise InvalidArgumentError(None, None, f"Key index for whole line requires string or integer table key, "
                                               f"got {dtypes.type_string(key_dtype)}")
    if value_index == -1 and value_dtype != dtypes.int64:
        raise InvalidArgumentError(None, None, f"Value index for line number requires table value dtype of int64, "
                                               f"got {dtypes.type_string(value_dtype)}")
    if value_index == -2 and not value_dtype.is_integer and value_dtype != dtypes.string:
        raise InvalidArgumentError(None, None, f"Value index for whole line requires table value dtype of integer "
                                               f"or string, got {dtypes.type_string(value_dtype)}")


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


def _handle_data(handle):
    """TF's handle shapes and types of a mutable table's handle: (key dtype, key shape, value dtype, value
    shape), or None (a static table's handle, or one that did not come straight from its table op)."""
    table = handle.op
    if table.type not in ("MutableHashTableV2", "MutableHashTableOfTensorsV2", "MutableDenseHashTableV2"):
        return None
    key_shape = table.inputs[0].shape if table.type == "MutableDenseHashTableV2" else TensorShape([])
    value_shape = TensorShape(table.get_attr("value_shape")) if table.type != "MutableHashTableV2" else \
        TensorShape([])
    return table.get_attr("key_dtype"), key_shape, table.get_attr("value_dtype"), value_shape


def _find_shape(inputs, a):
    _scalar_handle(inputs)
    data = _handle_data(inputs[0])
    if data is None:
        return a["Tout"], TensorShape(None)
    key_dtype, key_shape, value_dtype, value_shape = data
    for have, want in ((key_dtype, a["Tin"]), (value_dtype, a["Tout"])):
        if have != want:
            raise ValueError(f"Trying to read value with wrong dtype. Expected {dtypes.type_string(have)} got {dtypes.type_string(want)}")
    keys = dims(inputs[1])
    if keys is None or key_shape.ndims is None:
        return a["Tout"], TensorShape(None)
    if len(keys) < key_shape.ndims:
        raise ValueError(f"Expected keys to have suffix {_shape_text(key_shape.as_list())} but saw shape: "
                         f"{_shape_text(keys)}")
    prefix = keys[:len(keys) - key_shape.ndims]
    return a["Tout"], TensorShape(prefix).concatenate(value_shape)


def _dense_table_shape(inputs, a):
    key = dims(inputs[0])
    if key is not None and len(key) > 1:
        raise ValueError(f"Shape must be at most rank 1 but is rank {len(key)}")
    return dtypes.resource, TensorShape([])


def _remove_shape(inputs, a):
    _scalar_handle(inputs)
    keys = dims(inputs[1])
    if keys is not None and len(keys) < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank {len(keys)}")
    return []


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
op("InitializeTableFromDataset", "table_handle:resource, dataset:variant", kernel=_dataset_kernel, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=lambda inputs, a: _scalar_handle(inputs) or [])
op("LookupTableFindV2", "table_handle:resource, keys:Tin, default_value:Tout", kernel=_find_kernel, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=_find_shape)
op("LookupTableSizeV2", "table_handle:resource", kernel=lambda a, res, h: np.int64(_table(res, h).size()),
   stateful=True, grad=NOT_DIFFERENTIABLE, shape=_size_shape)
op("LookupTableExportV2", "table_handle:resource", kernel=_export_kernel, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=_export_shape)
op("MutableHashTableV2", kernel=_mutable_table_kernel, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=lambda inputs, a: (dtypes.resource, TensorShape([])))
op("MutableHashTableOfTensorsV2", kernel=lambda a, res: _mutable_table_kernel(a, res, a.get("value_shape", [])),
   stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=lambda inputs, a: (dtypes.resource, TensorShape([])))
op("MutableDenseHashTableV2", "empty_key:key_dtype, deleted_key:key_dtype", kernel=_dense_table_kernel, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=_dense_table_shape)
op("LookupTableInsertV2", "table_handle:resource, keys:Tin, values:Tout", kernel=_insert_kernel, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=lambda inputs, a: _scalar_handle(inputs) or [])
op("LookupTableRemoveV2", "table_handle:resource, keys:Tin", kernel=_remove_kernel, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=_remove_shape)
