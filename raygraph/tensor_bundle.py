"""TensorFlow's tensor bundle, the V2 checkpoint format, read and written by raygraph's own code.

    <prefix>.index                   an SSTable (sstable.py): key "" -> BundleHeaderProto (num_shards, endianness,
                                     version), then each tensor's name -> BundleEntryProto (dtype, shape, shard_id,
                                     offset, size, crc32c), in increasing key order
    <prefix>.data-00000-of-00001     the tensors' bytes back to back in name order: C order, little-endian; a
                                     string tensor is its elements' lengths (varint64 each), the masked CRC32C of
                                     those lengths (as fixed32s: 4 bytes), then the elements' bytes

An entry's crc32c is the masked CRC32C of the tensor's bytes as stored (for strings: of the lengths as fixed32s,
the 4 checksum bytes, then the elements). A partitioned tensor's entry has no bytes but lists its slices
(TensorSliceProto); each slice is an entry of its own under a key encoding the name and the slice (`slice_key`).
Writing uses TensorFlow's table parameters and order, so the same tensors give the same bytes TensorFlow writes.

Writing is crash-safe: the data file and the index are each written to a temporary file and fsynced, the data
file renamed into place, then the index, renamed last, commits the checkpoint. The data file never takes a name
the committed index may use: overwriting a prefix whose bundle has one data file writes shard 1 of 2 (shard 0
empty), a valid bundle TensorFlow reads, and the next overwrite goes back to one. So a crash at any point leaves
the older checkpoint or the new one, whole; the next save removes what a crashed one left.

Reading trusts nothing: the index's table checksums, then its header and entries (dtypes, shapes, byte
counts, ranges inside the data files), then each tensor's checksum before it is returned. Damage is
DataLossError.
"""
import glob
import math
import os
import re
import struct
from collections import namedtuple

import numpy as np
from google.protobuf.message import DecodeError

from . import atomic_files, dtypes, sstable
from .errors import DataLossError, InvalidArgumentError, NotFoundError, UnimplementedError
from .tensor_bundle_pb2 import BundleEntryProto, BundleHeaderProto

VERSION = 1  # TensorFlow's kTensorBundleVersion: written as the producer, the newest min_consumer read
Index = namedtuple("Index", "num_shards entries")  # entries: {key bytes: BundleEntryProto}, the header left out


def data_file(prefix, shard, num_shards):
    return f"{prefix}.data-{shard:05d}-of-{num_shards:05d}"


# ----- writing ---------------------------------------------------------------------------------------------------
def write(prefix, named_arrays):
    """Writes `named_arrays` [(name, numpy array, DType)] as the bundle `prefix` (crash-safe, see above)."""
    directory = os.path.dirname(prefix) or "."
    # data files never take a name the committed index may use: overwriting a one-file bundle, write shard 1 of 2
    num_shards = 2 if os.path.exists(data_file(prefix, 0, 1)) else 1
    shard, entries = num_shards - 1, {}

    def fill(f):
        offset = 0
        for name, array, dtype in sorted(named_arrays, key=lambda t: t[0]):
            entry, chunks = _encode(array, dtype)
            entry.shard_id, entry.offset = shard, offset
            for chunk in chunks:
                f.write(chunk)
            offset += entry.size
            entries[name.encode()] = entry

    paths = [data_file(prefix, i, num_shards) for i in range(num_shards)] + [prefix + ".index"]
    temps = []
    try:
        for i in range(shard):  # shards with no tensors: empty files
            temps.append(atomic_files.write_temp(paths[i], lambda f: None))
        temps.append(atomic_files.write_temp(paths[shard], fill))
        temps.append(atomic_files.write_temp(paths[-1], lambda f: f.write(index_bytes(entries, num_shards))))
        for tmp, path in zip(temps, paths):  # the index, last, commits
            os.replace(tmp, path)
    finally:
        for tmp in temps:
            atomic_files.remove(tmp)
    atomic_files.fsync_dir(directory)
    for stale in glob.glob(glob.escape(prefix) + ".data-*") + glob.glob(glob.escape(prefix) + ".*.tmp-*"):
        if stale not in paths:  # the older save's data, leftovers of crashed saves
            atomic_files.remove(stale)


def merge(sources, destination, delete_old_dirs=True):
    """Joins the bundles `sources` into one bundle `destination` whose data files are theirs, renamed (TF's
    MergeV2Checkpoints, which a sharded save runs last). The destination's index, written last, commits it."""
    indexes = [read_index(p) for p in sources]
    num_shards, entries, moves = sum(i.num_shards for i in indexes), {}, []
    for prefix, index in zip(sources, indexes):
        base = len(moves)
        moves += [(data_file(prefix, n, index.num_shards), data_file(destination, base + n, num_shards))
                  for n in range(index.num_shards)]
        for key, entry in index.entries.items():
            if key in entries:
                raise InvalidArgumentError(None, None, f"Duplicate tensor {key!r} in the bundles to merge")
            entries[key] = BundleEntryProto()
            entries[key].CopyFrom(entry)
            entries[key].shard_id += base
    for src, dst in moves:
        os.replace(src, dst)
    atomic_files.write_atomic(destination + ".index", lambda f: f.write(index_bytes(entries, num_shards)))
    atomic_files.fsync_dir(os.path.dirname(destination) or ".")
    for prefix in sources:
        atomic_files.remove(prefix + ".index")
        if delete_old_dirs and os.path.dirname(prefix) != os.path.dirname(destination):
            try:
                os.rmdir(os.path.dirname(prefix))
            except OSError:  # not empty, or already gone: TF leaves it too
                pass


def index_bytes(entries, num_shards=1):
    """The index (an SSTable) of `entries` {name bytes: BundleEntryProto}."""
    header = BundleHeaderProto(num_shards=num_shards, endianness=BundleHeaderProto.LITTLE)
    header.version.producer = VERSION
    items = [(b"", header.SerializeToString())]
    items += [(key, entries[key].SerializeToString()) for key in sorted(entries)]
    return sstable.build(items)


def _encode(array, dtype):
    """(BundleEntryProto without its offset, [buffers to write]) of one tensor."""
    entry = BundleEntryProto(dtype=dtype.as_datatype_enum)
    entry.shape.SetInParent()  # present even for a scalar, as TensorFlow writes it
    for n in np.shape(array):
        entry.shape.dim.add(size=n)
    if dtype is dtypes.string:
        raw = [v if isinstance(v, bytes) else str(v).encode() for v in np.asarray(array, object).reshape(-1)]
        lengths = np.array([len(r) for r in raw], "<u8")
        crc = sstable.crc32c(_checksummed_lengths(lengths))
        length_checksum = struct.pack("<I", sstable.mask(crc))
        body = b"".join(raw)
        chunks = [b"".join(sstable.varint(n) for n in lengths.tolist()), length_checksum, body]
        crc = sstable.crc32c(body, sstable.crc32c(length_checksum, crc))
    else:
        values = np.ascontiguousarray(array, dtype=np.dtype(dtype.as_numpy_dtype).newbyteorder("<"))
        chunks = [values.reshape(-1).view(np.uint8)]
        crc = sstable.crc32c(chunks[0])
    entry.size = sum(len(c) for c in chunks)
    entry.crc32c = sstable.mask(crc)
    return entry, chunks


# ----- reading ---------------------------------------------------------------------------------------------------
def read_index(prefix, raw=None):
    """The checked Index of bundle `prefix` (`raw`: the index file's bytes, if already read)."""
    if raw is None:
        with open(prefix + ".index", "rb") as f:
            raw = f.read()
    items = sstable.parse(raw)
    if not items or items[0][0] != b"":
        raise DataLossError(None, None, f"{prefix}.index has no bundle header")
    header = _parse(BundleHeaderProto, items[0][1], prefix)
    if header.endianness != BundleHeaderProto.LITTLE:
        raise UnimplementedError(None, None, f"{prefix} was written on a big-endian machine")
    if header.version.min_consumer > VERSION or VERSION in header.version.bad_consumers:
        raise DataLossError(None, None, f"{prefix}: this reader (version {VERSION}) cannot read bundle version "
                            f"{header.version}")
    if header.num_shards < 1:
        raise DataLossError(None, None, f"{prefix}.index: num_shards is {header.num_shards}")
    entries = {key: _parse(BundleEntryProto, value, prefix) for key, value in items[1:]}
    for key, entry in entries.items():
        if not 0 <= entry.shard_id < header.num_shards or entry.offset < 0 or entry.size < 0 or \
                any(d.size < 0 for d in entry.shape.dim) or _dtype(entry) is None:
            raise DataLossError(None, None, f"{prefix}.index: invalid entry for {key!r}: {entry}".strip())
    return Index(header.num_shards, entries)


def _parse(message_class, value, prefix):
    try:
        return message_class.FromString(value)
    except (DecodeError, RuntimeError, ValueError) as e:
        raise DataLossError(None, None, f"{prefix}.index: unreadable {message_class.__name__}: {e}") from None


def _dtype(entry):
    """The DType of an entry, or None if it is not one a checkpoint holds."""
    try:
        dtype = dtypes.as_dtype(entry.dtype)
    except (TypeError, ValueError, KeyError):
        return None
    if dtype.is_ref_dtype or (dtype is not dtypes.string and dtype.as_numpy_dtype is None):
        return None
    return dtype


def variables(index):
    """{name: (DType, shape list)} of the whole tensors of an Index (slices' own entries left out)."""
    return {key.decode("utf-8", "replace"): (_dtype(e), [d.size for d in e.shape.dim])
            for key, e in index.entries.items() if not key.startswith(b"\0")}


def read(prefix, index, names):
    """The arrays of the tensors `names` of bundle `prefix` (already in `index`), each checksum checked."""
    files = {}
    try:
        return [_read_tensor(prefix, index, name.encode(), files) for name in names]
    finally:
        for f, _ in files.values():
            f.close()


def _read_tensor(prefix, index, key, files):
    entry = index.entries.get(key)
    if entry is None:
        raise NotFoundError(None, None, f"Key {key.decode('utf-8', 'replace')} not found in checkpoint")
    if not entry.slices:
        return _read_bytes(prefix, index, key, entry, files)
    dtype, shape = _dtype(entry), [d.size for d in entry.shape.dim]
    parts, covered = [], 0
    for tensor_slice in entry.slices:  # all checked before the whole tensor is allocated
        extents = [(e.start, e.length if e.HasField("length") else -1) for e in tensor_slice.extent]
        region = tuple(slice(s, s + n if n >= 0 else None) for s, n in extents)
        want = [len(range(d)[r]) for d, r in zip(shape, region)]
        part = index.entries.get(slice_key(key, extents))
        if part is None or len(extents) != len(shape) or part.dtype != entry.dtype or part.slices or \
                [d.size for d in part.shape.dim] != want or any(s < 0 for s, _ in extents) or \
                math.prod(want) > part.size or part.offset + part.size > _shard(prefix, index, part, files)[1]:
            raise DataLossError(None, None, f"{prefix}: slice {extents} of {key!r} is missing or does not fit")
        parts.append((region, part))
        covered += math.prod(want)
    if covered != math.prod(shape):
        raise DataLossError(None, None, f"{prefix}: the slices of {key!r} do not cover it")
    full = np.empty(shape, object if dtype is dtypes.string else dtype.as_numpy_dtype)
    for region, part in parts:
        full[region] = _read_bytes(prefix, index, key, part, files)
    return full


def _shard(prefix, index, entry, files):
    """(open file, size) of the data file holding `entry`, opened once per read."""
    if entry.shard_id not in files:
        path = data_file(prefix, entry.shard_id, index.num_shards)
        try:
            f = open(path, "rb")
        except FileNotFoundError:
            raise NotFoundError(None, None, f"{path}; No such file or directory") from None
        files[entry.shard_id] = (f, os.fstat(f.fileno()).st_size)
    return files[entry.shard_id]


def _read_bytes(prefix, index, key, entry, files):
    """One stored tensor, read from its data file and checked."""
    f, file_size = _shard(prefix, index, entry, files)
    dtype, shape = _dtype(entry), [d.size for d in entry.shape.dim]
    count = math.prod(shape)
    item = 0 if dtype is dtypes.string else np.dtype(dtype.as_numpy_dtype).itemsize
    if entry.offset + entry.size > file_size or (item and entry.size != count * item):
        raise DataLossError(None, None, f"{prefix}: the entry of {key!r} does not match its data file")
    raw = np.empty(entry.size, np.uint8)
    f.seek(entry.offset)
    if f.readinto(memoryview(raw)) != entry.size:
        raise DataLossError(None, None, f"{prefix}: the data file ended early")
    if item:
        value, crc = raw.view(np.dtype(dtype.as_numpy_dtype).newbyteorder("<")), sstable.crc32c(raw)
    else:
        value, crc = _decode_strings(raw.tobytes(), count, prefix)
    if sstable.mask(crc) != entry.crc32c:
        raise DataLossError(None, None, f"Checksum does not match: stored {entry.crc32c} vs. calculated on the "
                            f"restored bytes {sstable.mask(crc)} (tensor {key.decode('utf-8', 'replace')} of "
                            f"{prefix})")
    return value.astype(value.dtype.newbyteorder("="), copy=False).reshape(shape)


def _checksummed_lengths(lengths):
    """The bytes a string tensor's length checksum covers: each length as a fixed32 (a fixed64 if larger)."""
    if lengths.size == 0 or lengths.max() < 2 ** 32:
        return lengths.astype("<u4").tobytes()
    return b"".join(struct.pack("<I" if n < 2 ** 32 else "<Q", n) for n in lengths.tolist())


def _decode_strings(raw, count, prefix):
    """(object array of `count` byte strings, CRC32C) of a stored string tensor."""
    lengths, pos = [], 0
    for _ in range(count):
        n, pos = sstable.read_varint(raw, pos, len(raw))
        lengths.append(n)
    if pos + 4 + sum(lengths) != len(raw):
        raise DataLossError(None, None, f"{prefix}: a string tensor's lengths do not match its size")
    crc = sstable.crc32c(_checksummed_lengths(np.array(lengths, "<u8")))
    if struct.unpack_from("<I", raw, pos)[0] != sstable.mask(crc):
        raise DataLossError(None, None, f"{prefix}: a string tensor's length checksum does not match")
    crc = sstable.crc32c(raw[pos:], crc)
    out, pos = np.empty(count, object), pos + 4
    for i, n in enumerate(lengths):
        out[i] = raw[pos:pos + n]
        pos += n
    return out, crc


# ----- slice keys: TensorFlow's OrderedCode encoding of (0, name, rank, start and length per dimension) -------------
def slice_key(name, extents):
    """The index key of the slice `extents` [(start, length or -1)] of the tensor `name` (bytes)."""
    escaped = re.sub(rb"[\x00\xff]", lambda m: b"\x00\xff" if m.group() == b"\x00" else b"\xff\x00", name)
    out = _increasing(0) + escaped + b"\x00\x01" + _increasing(len(extents))
    for start, length in extents:
        out += _signed_increasing(start) + _signed_increasing(length)
    return out


def _increasing(n):
    size = (n.bit_length() + 7) // 8
    return bytes([size]) + n.to_bytes(size, "big")


def _signed_increasing(n):
    """The signed number `n` in bytes that sort as the numbers do: its length in unary in the top bits, then
    the value, two's complement."""
    length = ((~n if n < 0 else n).bit_length() + 7) // 7
    header = ((1 << length) - 1) << (16 - length)  # `length` one bits, from the top of two bytes
    body = bytearray((n & ((1 << (8 * length)) - 1)).to_bytes(length, "big"))
    body[0] ^= header >> 8
    if length > 1:
        body[1] ^= header & 0xff
    return bytes(body)
