"""The checkpoint format: one Arrow IPC data file plus a JSON index, committed atomically.

A checkpoint `<prefix>` is two files:

    <prefix>.index                      JSON: {"format": "raygraph-checkpoint", "version": 1,
                                               "data": "<basename>.data-<token>.arrow",
                                               "tensors": [{"name", "dtype", "shape", "crc32"}, ...]}
    <prefix>.data-<token>.arrow         Arrow IPC file: one record batch of one row, one column per tensor
                                        (named like the tensor), each a large_list of the flattened
                                        C-order values in the tensor's Arrow type

The index is the commit record: a checkpoint exists once its index does. `write` puts the data file
under a fresh name, then replaces the index, each written to a temporary file, fsynced and renamed
(then the directory fsynced). A crash at any point leaves either the old index (still pointing to its
own, untouched data file) or the new one: never a mix. Data files no index points to, and temporary
files a crashed save left, are removed after the commit. Strings are stored as large_binary, bool as Arrow booleans, complex numbers as
interleaved (real, imaginary) pairs of floats.
"""
import glob
import json
import os
import uuid
import zlib

import numpy as np
import pyarrow as pa

from . import dtypes
from .errors import DataLossError, InvalidArgumentError, NotFoundError
from .shape import TensorShape

FORMAT = "raygraph-checkpoint"
VERSION = 1
_COMPLEX_PARTS = {"complex64": np.float32, "complex128": np.float64}


# ----- writing ---------------------------------------------------------------------------------------------------
def write(prefix, names, values, dtype_list=None):
    """Writes `values` under `names` as the checkpoint `prefix` (atomically; see the module docstring)."""
    if len(set(names)) != len(names):
        raise InvalidArgumentError(None, None, "Duplicate tensor names in a checkpoint: " + ", ".join(names))
    directory = os.path.dirname(prefix) or "."
    if not os.path.isdir(directory):
        raise NotFoundError(None, None, f"{directory}; No such file or directory")
    dtype_list = dtype_list or [dtypes.as_dtype(np.asarray(v).dtype) for v in values]
    arrays = [_as_array(v, d) for v, d in zip(values, dtype_list)]
    order = sorted(range(len(names)), key=lambda i: names[i])
    entries, columns, fields = [], [], []
    for i in order:
        column, entry = _encode(names[i], arrays[i], dtypes.as_dtype(dtype_list[i]).base_dtype)
        columns.append(column)
        fields.append(pa.field(names[i], column.type))
        entries.append(entry)
    data_name = f"{os.path.basename(prefix)}.data-{uuid.uuid4().hex[:12]}.arrow"
    batch = pa.RecordBatch.from_arrays(columns, schema=pa.schema(fields, metadata={"format": FORMAT}))
    _write_atomic(os.path.join(directory, data_name), lambda f: _write_ipc(f, batch))
    _fsync_dir(directory)
    _write_atomic(prefix + ".index", lambda f: f.write(_index_text(data_name, entries).encode()))
    _fsync_dir(directory)
    for stale in data_files(prefix) + glob.glob(glob.escape(prefix) + ".*.tmp-*"):  # older saves, crashed saves
        if os.path.basename(stale) != data_name:
            _remove(stale)


def _index_text(data_name, entries):
    """The index as JSON, one line per tensor."""
    head = json.dumps({"format": FORMAT, "version": VERSION, "data": data_name})[:-1]
    tensors = ",\n".join("  " + json.dumps(e) for e in entries)
    return f"{head},\n \"tensors\": [\n{tensors}\n ]}}\n"


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


def _write_atomic(path, fill):
    """Writes a file through a temporary name: fill it, flush, fsync, then rename over `path`."""
    tmp = f"{path}.tmp-{uuid.uuid4().hex[:12]}"
    try:
        with open(tmp, "wb") as f:
            fill(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise


def _fsync_dir(directory):
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # some platforms cannot open directories; the renames are still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


# ----- reading -----------------------------------------------------------------------------------------------------
def read_index(prefix):
    """The index of checkpoint `prefix` (NotFoundError if there is none)."""
    try:
        with open(prefix + ".index", "rb") as f:
            index = json.loads(f.read().decode())
    except FileNotFoundError:
        raise NotFoundError(None, None, f"Unsuccessful TensorSliceReader constructor: Failed to find any matching "
                            f"files for {prefix}") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise DataLossError(None, None, f"Unable to read the checkpoint index {prefix}.index: {e}") from None
    if index.get("format") != FORMAT:
        raise DataLossError(None, None, f"{prefix}.index is not a raygraph checkpoint index")
    return index


def variables(prefix):
    """{name: (dtype name, shape list)} of the tensors in checkpoint `prefix`."""
    return {e["name"]: (e["dtype"], list(e["shape"])) for e in read_index(prefix)["tensors"]}


def read(prefix, names, dtype_list=None, shapes=None):
    """The arrays saved under `names`, after checking every name, dtype and shape (all or nothing)."""
    index = read_index(prefix)
    entries = {e["name"]: e for e in index["tensors"]}
    for i, name in enumerate(names):
        entry = entries.get(name)
        if entry is None:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint")
        if dtype_list is not None:
            want = dtypes.as_dtype(dtype_list[i]).base_dtype
            if want.name != entry["dtype"]:
                raise InvalidArgumentError(None, None, f"tensor_name = {name}; expected dtype {_tf_name(want.name)} "
                                           f"does not equal original dtype {_tf_name(entry['dtype'])}")
        if shapes is not None and not TensorShape(shapes[i]).is_compatible_with(entry["shape"]):
            raise InvalidArgumentError(None, None, f"Assign requires shapes of both tensors to match. lhs shape= "
                                       f"{_shape_text(shapes[i])} rhs shape= {entry['shape']} (tensor {name})")
    path = os.path.join(os.path.dirname(prefix) or ".", index["data"])
    try:
        with pa.memory_map(path, "r") as source:
            batch = pa.ipc.open_file(source).get_batch(0)
            return [_decode(batch.column(name), entries[name]) for name in names]
    except FileNotFoundError:
        raise NotFoundError(None, None, f"{path}; No such file or directory") from None
    except (pa.ArrowInvalid, KeyError) as e:
        raise DataLossError(None, None, f"Unable to read the checkpoint data file {path}: {e}") from None


def _decode(column, entry):
    dtype = dtypes.as_dtype(entry["dtype"])
    values = column.values
    if dtype is dtypes.string:
        raw = values.to_pylist()
        crc = zlib.crc32(b"".join(len(r).to_bytes(8, "little") + r for r in raw))
        flat = np.empty(len(raw), dtype=object)
        flat[:] = raw
    else:
        flat = np.array(values.to_numpy(zero_copy_only=False), copy=True)  # detach from the mapped file
        crc = zlib.crc32(flat.tobytes())
        if dtype.name in _COMPLEX_PARTS:
            flat = flat.view(dtype.as_numpy_dtype)
        flat = flat.astype(dtype.as_numpy_dtype, copy=False)
    if crc != entry["crc32"]:
        raise DataLossError(None, None, f"Checksum does not match for tensor {entry['name']}: the checkpoint is "
                            f"corrupted")
    return flat.reshape(entry["shape"])


def _tf_name(name):
    return {"float32": "float", "float64": "double", "float16": "half"}.get(name, name)


def _shape_text(shape):
    dims = TensorShape(shape).as_list() if TensorShape(shape).ndims is not None else None
    return "?" if dims is None else str([-1 if d is None else d for d in dims]).replace(" ", "")


# ----- files of a checkpoint ---------------------------------------------------------------------------------------
def data_files(prefix):
    return glob.glob(glob.escape(prefix) + ".data-*.arrow")


def exists(prefix):
    """Whether checkpoint `prefix` has been committed."""
    return os.path.isfile(prefix + ".index")


def remove(prefix):
    """Deletes checkpoint `prefix` (its index first, so a half-deleted checkpoint does not look whole)."""
    _remove(prefix + ".index")
    for path in data_files(prefix):
        _remove(path)
