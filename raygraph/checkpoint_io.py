"""The checkpoint files: TensorFlow's V2 format, which raygraph writes, and raygraph's earlier Arrow format, read.

A checkpoint `<prefix>` is committed once `<prefix>.index` exists; its first bytes say its format:

- TensorFlow's tensor bundle (tensor_bundle.py): `<prefix>.index` (an SSTable) and
  `<prefix>.data-00000-of-00001`. `write` writes this format: TensorFlow reads it, and it reads what
  TensorFlow writes (shards, partitioned tensors and strings included).
- raygraph's Arrow format (version 1 and 2), read as before and written only on request (`fmt=ARROW`):

    <prefix>.index                      JSON: {"format": "raygraph-checkpoint", "version": 2,
                                               "data": "<basename>.data-<token>.arrow",
                                               "data_size": <bytes>, "data_crc32": <CRC32 of the data file>,
                                               "tensors": [{"name", "dtype", "shape", "crc32"}, ...],
                                               "index_crc32": <CRC32 of the rest, see _index_checksum>}
    <prefix>.data-<token>.arrow         Arrow IPC file: one record batch of one row, one column per tensor
                                        (named like the tensor), each a large_list of the flattened
                                        C-order values in the tensor's Arrow type

  Its data file gets a fresh name on every save and the index, renamed over the old one last, is the commit.
  Strings are stored as large_binary, bool as Arrow booleans, complex numbers as interleaved (real,
  imaginary) pairs of floats. Reading checks the index's own checksum and fields, then the data file's size
  and CRC32 before pyarrow parses a byte of it (a damaged IPC file can crash pyarrow or make it allocate
  terabytes), then each tensor's element count and CRC32. Version-1 files (no index or data-file checksum)
  get pyarrow's full validation instead.

`read` checks every name, dtype and shape against the index before it reads any tensor, and every checksum
before it returns: all or nothing. Damage is DataLossError in either format.
"""
import glob
import json
import math
import os
import uuid
import zlib

import numpy as np
import pyarrow as pa

from . import atomic_files, dtypes, tensor_bundle
from .errors import DataLossError, InvalidArgumentError, NotFoundError
from .shape import TensorShape

TENSORFLOW, ARROW = "tensorflow", "arrow"  # write's formats
FORMAT = "raygraph-checkpoint"
VERSION = 2
READABLE_VERSIONS = (1, 2)
_COMPLEX_PARTS = {"complex64": np.float32, "complex128": np.float64}


# ----- writing ---------------------------------------------------------------------------------------------------
def write(prefix, names, values, dtype_list=None, fmt=TENSORFLOW):
    """Writes `values` under `names` as the checkpoint `prefix`, crash-safely, in TensorFlow's format (or ARROW)."""
    if len(set(names)) != len(names):
        raise InvalidArgumentError(None, None, "Duplicate tensor names in a checkpoint: " + ", ".join(names))
    directory = os.path.dirname(prefix) or "."
    if not os.path.isdir(directory):
        try:  # as TensorFlow's SaveV2: the prefix's own directory is made (a sharded save's `<prefix>_temp`)
            os.mkdir(directory)
        except FileNotFoundError:
            raise NotFoundError(None, None, f"{directory}; No such file or directory") from None
        except FileExistsError:
            pass
    dtype_list = [dtypes.as_dtype(d).base_dtype for d in dtype_list] if dtype_list else \
        [dtypes.as_dtype(np.asarray(v).dtype) for v in values]
    arrays = [_as_array(v, d) for v, d in zip(values, dtype_list)]
    if fmt == TENSORFLOW:
        tensor_bundle.write(prefix, list(zip(names, arrays, dtype_list)))
    elif fmt == ARROW:
        _write_arrow(prefix, directory, names, arrays, dtype_list)
    else:
        raise ValueError(f"Unknown checkpoint format {fmt!r}")


def _write_arrow(prefix, directory, names, arrays, dtype_list):
    order = sorted(range(len(names)), key=lambda i: names[i])
    entries, columns, fields = [], [], []
    for i in order:
        column, entry = _encode(names[i], arrays[i], dtype_list[i])
        columns.append(column)
        fields.append(pa.field(names[i], column.type))
        entries.append(entry)
    data_name = f"{os.path.basename(prefix)}.data-{uuid.uuid4().hex[:12]}.arrow"
    batch = pa.RecordBatch.from_arrays(columns, schema=pa.schema(fields, metadata={"format": FORMAT}))
    data_path = os.path.join(directory, data_name)
    atomic_files.write_atomic(data_path, lambda f: _write_ipc(f, batch))
    atomic_files.fsync_dir(directory)
    with open(data_path, "rb") as f:
        size, crc = _file_checksum(f)
    head = {"format": FORMAT, "version": VERSION, "data": data_name, "data_size": size, "data_crc32": crc}
    atomic_files.write_atomic(prefix + ".index", lambda f: f.write(_index_text(head, entries).encode()))
    atomic_files.fsync_dir(directory)
    for stale in data_files(prefix) + glob.glob(glob.escape(prefix) + ".*.tmp-*"):  # older saves, crashed saves
        if os.path.basename(stale) != data_name:
            atomic_files.remove(stale)


def _index_text(head, entries):
    """The index as JSON, one line per tensor, its checksum last."""
    crc = _index_checksum(dict(head, tensors=entries))
    tensors = ",\n".join("  " + json.dumps(e) for e in entries)
    return f"{json.dumps(head)[:-1]},\n \"tensors\": [\n{tensors}\n ],\n \"index_crc32\": {crc}}}\n"


def _index_checksum(index):
    """CRC32 of the index's content without "index_crc32", as compact JSON with sorted keys (so it does
    not depend on the file's whitespace)."""
    rest = {k: v for k, v in index.items() if k != "index_crc32"}
    return zlib.crc32(json.dumps(rest, sort_keys=True, separators=(",", ":")).encode())


def _file_checksum(f, chunk=1 << 22):
    """(size, CRC32) of an open file's contents."""
    size, crc = 0, 0
    while True:
        block = f.read(chunk)
        if not block:
            return size, crc
        size += len(block)
        crc = zlib.crc32(block, crc)


def _as_array(value, dtype):
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype is dtypes.string:
        return np.asarray(value, dtype=object)
    return np.asarray(value, dtype=dtype.as_numpy_dtype)


def _encode(name, array, dtype):
    """(Arrow column holding `array` as one list row, index entry)."""
    flat = np.ascontiguousarray(array).reshape(-1)
    if dtype is dtypes.string:
        raw = [v if isinstance(v, bytes) else str(v).encode() for v in flat.tolist()]
        values = pa.array(raw, type=pa.large_binary())
        crc = zlib.crc32(b"".join(len(r).to_bytes(8, "little") + r for r in raw))
    else:
        if dtype.name in _COMPLEX_PARTS:
            flat = flat.view(_COMPLEX_PARTS[dtype.name])
        values = pa.array(flat)
        crc = zlib.crc32(flat.tobytes())
    column = pa.LargeListArray.from_arrays(pa.array([0, len(values)], type=pa.int64()), values)
    entry = {"name": name, "dtype": dtype.name, "shape": list(np.shape(array)), "crc32": crc}
    return column, entry


def _write_ipc(f, batch):
    with pa.ipc.new_file(f, batch.schema) as writer:
        writer.write_batch(batch)


# ----- reading -----------------------------------------------------------------------------------------------------
def _open(prefix):
    """(format, its checked index) of checkpoint `prefix`: NotFoundError if there is none, DataLossError if
    damaged."""
    try:
        with open(prefix + ".index", "rb") as f:
            raw = f.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise NotFoundError(None, None, f"Unsuccessful TensorSliceReader constructor: Failed to find any matching "
                            f"files for {prefix}") from None
    if raw[:1] == b"{":
        return ARROW, _arrow_index(prefix, raw)
    return TENSORFLOW, tensor_bundle.read_index(prefix, raw)


def _arrow_index(prefix, raw):
    try:
        index = json.loads(raw.decode())
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        raise DataLossError(None, None, f"Unable to read the checkpoint index {prefix}.index: {e}") from None
    if not isinstance(index, dict) or index.get("format") != FORMAT:
        raise DataLossError(None, None, f"{prefix}.index is not a raygraph checkpoint index")
    problem = _index_problem(index)
    if problem:
        raise DataLossError(None, None, f"The checkpoint index {prefix}.index is corrupted: {problem}")
    return index


def _index_problem(index):
    """What is wrong with a parsed index, or None."""
    version = index.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:
        return f"unknown version {version!r}"
    if ("index_crc32" in index or version >= 2) and index.get("index_crc32") != _index_checksum(index):
        return "its checksum does not match"
    data = index.get("data")
    if not isinstance(data, str) or data in ("", ".", "..") or os.path.basename(data) != data or \
            any(c in data for c in "/\\\0"):
        return f"the data file {data!r} is not a file name beside the index"
    if version >= 2 and not all(_is_count(index.get(k)) for k in ("data_size", "data_crc32")):
        return "no valid data file size and checksum"
    tensors = index.get("tensors")
    if not isinstance(tensors, list) or not all(isinstance(e, dict) for e in tensors):
        return "no valid tensor list"
    names = set()
    for e in tensors:
        name, shape = e.get("name"), e.get("shape")
        if not isinstance(name, str) or name in names or not _is_count(e.get("crc32")) or \
                not isinstance(shape, list) or not all(_is_count(d) for d in shape) or \
                _dtype_of(e.get("dtype")) is None:
            return f"invalid tensor entry {json.dumps(e)[:200]}"
        names.add(name)
    return None


def _is_count(x):
    return type(x) is int and 0 <= x < 2 ** 63


def _dtype_of(name):
    """The DType a checkpoint entry names, or None if it is not one a checkpoint can hold."""
    try:
        dtype = dtypes.as_dtype(name) if isinstance(name, str) else None
    except (TypeError, ValueError, KeyError):
        return None
    if dtype is None or dtype.is_ref_dtype or dtype.name != name:
        return None
    return dtype


def variables(prefix):
    """{name: (dtype name, shape list)} of the tensors in checkpoint `prefix`."""
    return _variables(*_open(prefix))


def _variables(kind, index):
    if kind == TENSORFLOW:
        return {name: (dtype.name, shape) for name, (dtype, shape) in tensor_bundle.variables(index).items()}
    return {e["name"]: (e["dtype"], list(e["shape"])) for e in index["tensors"]}


def read(prefix, names, dtype_list=None, shapes=None):
    """The arrays saved under `names`, after checking every name, dtype and shape (all or nothing)."""
    kind, index = _open(prefix)
    found = _variables(kind, index)
    for i, name in enumerate(names):
        if name not in found:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint")
        dtype, shape = found[name]
        if dtype_list is not None:
            want = dtypes.as_dtype(dtype_list[i]).base_dtype
            if want.name != dtype:
                raise InvalidArgumentError(None, None, f"tensor_name = {name}; expected dtype {dtypes.type_string(want)} "
                                           f"does not equal original dtype {dtypes.type_string(dtype)}")
        if shapes is not None and not TensorShape(shapes[i]).is_compatible_with(shape):
            raise InvalidArgumentError(None, None, f"Assign requires shapes of both tensors to match. lhs shape= "
                                       f"{_shape_text(shapes[i])} rhs shape= {_shape_text(shape)} (tensor {name})")
    if kind == TENSORFLOW:
        return tensor_bundle.read(prefix, index, names)
    return _read_arrow(prefix, index, names)


def _read_arrow(prefix, index, names):
    entries = {e["name"]: e for e in index["tensors"]}
    path = os.path.join(os.path.dirname(prefix) or ".", index["data"])
    try:
        batch = _read_batch(path, index)
        return [_decode(batch.column(name), entries[name]) for name in names]
    except FileNotFoundError:
        raise NotFoundError(None, None, f"{path}; No such file or directory") from None
    except (pa.ArrowException, KeyError, ValueError, TypeError, IndexError, OverflowError, MemoryError) as e:
        raise DataLossError(None, None, f"Unable to read the checkpoint data file {path}: {e}") from None


def _read_batch(path, index):
    """The data file's record batch, parsed from memory; in version 2 only after the file's size and CRC32
    match the index (version 1 has no file checksum: pyarrow's full validation is all there is)."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if index["version"] >= 2 and size != index["data_size"]:
            raise DataLossError(None, None, f"Checksum does not match for the data file {path}: it has {size} "
                                f"bytes, the index says {index['data_size']}")
        raw = f.read()
    if index["version"] >= 2 and zlib.crc32(raw) != index["data_crc32"]:
        raise DataLossError(None, None, f"Checksum does not match for the data file {path}: the checkpoint is "
                            f"corrupted")
    reader = pa.ipc.open_file(pa.py_buffer(raw))
    if reader.num_record_batches != 1:
        raise ValueError(f"{reader.num_record_batches} record batches, not 1")
    batch = reader.get_batch(0)
    batch.validate(full=True)
    return batch


def _decode(column, entry):
    dtype = dtypes.as_dtype(entry["dtype"])
    count = math.prod(entry["shape"]) * (2 if dtype.name in _COMPLEX_PARTS else 1)
    if not pa.types.is_large_list(column.type) or len(column) != 1 or len(column.values) != count:
        raise ValueError(f"tensor {entry['name']} is not a list of {count} values")
    values = column.values
    if dtype is dtypes.string:
        if not pa.types.is_large_binary(values.type):
            raise ValueError(f"tensor {entry['name']} is not stored as large_binary")
        raw = values.to_pylist()
        crc = zlib.crc32(b"".join(len(r).to_bytes(8, "little") + r for r in raw))
        flat = np.empty(len(raw), dtype=object)
        flat[:] = raw
    else:
        part = np.dtype(_COMPLEX_PARTS.get(dtype.name, dtype.as_numpy_dtype))
        if values.type != pa.from_numpy_dtype(part):
            raise ValueError(f"tensor {entry['name']} is stored as {values.type}, not {part}")
        flat = np.array(values.to_numpy(zero_copy_only=False), copy=True)  # detach from the file's buffer
        crc = zlib.crc32(flat.tobytes())
        if dtype.name in _COMPLEX_PARTS:
            flat = flat.view(dtype.as_numpy_dtype)
        flat = flat.astype(dtype.as_numpy_dtype, copy=False)
    if crc != entry["crc32"]:
        raise DataLossError(None, None, f"Checksum does not match for tensor {entry['name']}: the checkpoint is "
                            f"corrupted")
    return flat.reshape(entry["shape"])


def _shape_text(shape):
    dims = TensorShape(shape).as_list() if TensorShape(shape).ndims is not None else None
    return "?" if dims is None else str([-1 if d is None else d for d in dims]).replace(" ", "")


# ----- files of a checkpoint ---------------------------------------------------------------------------------------
def data_files(prefix):
    """The data files of checkpoint `prefix` (either format's)."""
    return glob.glob(glob.escape(prefix) + ".data-*")


def exists(prefix):
    """Whether checkpoint `prefix` has been committed."""
    return os.path.isfile(prefix + ".index")


def remove(prefix):
    """Deletes checkpoint `prefix` (its index first, so a half-deleted checkpoint does not look whole)."""
    atomic_files.remove(prefix + ".index")
    for path in data_files(prefix):
        atomic_files.remove(path)
