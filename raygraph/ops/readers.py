"""TF1's readers (io_ops.py): `TFRecordReader`, `TextLineReader`, `FixedLengthRecordReader`,
`WholeFileReader`, `IdentityReader`, `LMDBReader` over `ReaderBase`.

A reader is a resource of the device its op runs on (in the device's `Resources.shared` with its queues,
keyed by (container, shared name)), like a queue: every step sees the same one. `read(queue)` takes the next
work item (a file name) from a queue of that device when it has none, blocking as a dequeue does, and yields
the records of that work one (key, value) at a time; OutOfRangeError once the queue is closed and drained.

State of one reader: `work` (the current work item, or None), `records` (what is left of its records),
`produced` and `completed` (TF's num_records_produced and num_work_units_completed), and `started` (the work
items taken), all under `lock`.
"""
import os
import threading

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError, OutOfRangeError, UnimplementedError
from ..python_io import compression_of, parse_records, read_bytes
from ..shape import TensorShape
from .queues import QueueHandle, _queue
from .registry import NOT_DIFFERENTIABLE, apply_op, op


# ----- the reader, in its device ----------------------------------------------------------------------------------
class _Reader:
    """One reader's state (see the module docstring); `records_of(work)` lists a work item's (key, value)s.
    `whole`: a work item is one record, finished when it is read (not at the next read, past its end)."""

    whole = True

    def __init__(self, attrs):
        self.attrs = attrs
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.work, self.records, self.produced, self.completed, self.started = None, [], 0, 0, 0
        self.current = b""  # the last work item taken (TF's current_work: kept once it is finished)

    def cancel(self):
        """The device dropped it (the queue it reads from ends its blocked reads itself)."""

    def read(self, queue, n):
        """Up to n records of one work item (fewer at its end; OutOfRangeError if the queue has no more)."""
        out = []
        with self.lock:
            while len(out) < n:
                if self.work is None and out:
                    break
                if self.work is None:
                    try:
                        item = queue.dequeue(1)[0]
                    except OutOfRangeError:
                        if out:
                            break
                        raise
                    value = np.asarray(item[0], dtype=object).item()
                    self.work = self.current = value if isinstance(value, bytes) else str(value).encode()
                    self.started += 1
                    self.records = list(self.records_of(self.work))
                    self.records.reverse()
                if not self.records:
                    self.work, self.completed = None, self.completed + 1
                    continue
                out.append(self.records.pop())
                self.produced += 1
                if self.whole and not self.records:  # TF: the work is done with its one record
                    self.work, self.completed = None, self.completed + 1
        return out

    def records_of(self, work):
        return [(work, work)]

    def state(self):
        """TF's ReaderBaseState message, serialized (fields 1-3 int64, 4 bytes)."""
        work = self.current
        return (b"".join(_field_int(i, v) for i, v in ((1, self.started), (2, self.completed), (3, self.produced))
                         if v) + (b"\x22" + _varint(len(work)) + work if work else b""))


def _varint(n):
    out = bytearray()
    while True:
        out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            return bytes(out)


def _field_int(number, value):
    return bytes([number << 3]) + _varint(value)


def _path(work):
    return work.decode()


class _WholeFileReader(_Reader):
    def records_of(self, work):
        return [(work, read_bytes(_path(work)))]


class _TextLineReader(_Reader):
    whole = False

    def records_of(self, work):
        lines = read_bytes(_path(work)).split(b"\n")
        if lines[-1] == b"":
            lines.pop()
        skip = self.attrs.get("skip_header_lines", 0)
        return [(b"%s:%d" % (work, i + 1), line[:-1] if line.endswith(b"\r") else line)
                for i, line in enumerate(lines) if i >= skip]


class _TFRecordReader(_Reader):
    whole = False

    def records_of(self, work):
        data = read_bytes(_path(work), self.attrs.get("compression_type", ""))
        out, at = [], 0
        for record in parse_records(data, _path(work)):
            out.append((b"%s:%d" % (work, at), record))
            at += len(record) + 16
        return out


class _FixedLengthRecordReader(_Reader):
    whole = False

    def records_of(self, work):
        a = self.attrs
        data = read_bytes(_path(work), a.get("encoding", ""))
        header, size, footer = a.get("header_bytes", 0), a["record_bytes"], a.get("footer_bytes", 0)
        hop = a.get("hop_bytes", 0) or size
        end = len(data) - footer
        starts = range(header, end - size + 1, hop)
        return [(b"%s:%d" % (work, i), data[s:s + size]) for i, s in enumerate(starts)]


class _LMDBReader(_Reader):
    whole = False

    def records_of(self, work):
        try:
            import lmdb
        except ImportError:
            raise UnimplementedError(None, None, "LMDBReader needs the `lmdb` package (pip install lmdb), which "
                                                 "is not installed") from None
        path = _path(work)
        env = lmdb.open(path, readonly=True, lock=False, subdir=os.path.isdir(path))
        with env.begin() as txn:
            return [(bytes(k), bytes(v)) for k, v in txn.cursor()]


# ----- kernels ----------------------------------------------------------------------------------------------------
class ReaderHandle(QueueHandle):
    """What a reader op yields: the key of its reader in the device's resources."""


def _reader_kernel(cls):
    def kernel(a, res):
        key = (a.get("container") or "", a.get("shared_name") or res.name)
        with res.locks[("queue",) + key]:
            if key not in res.shared:
                res.shared[key] = cls(a)
        return ReaderHandle(key, res.shared)
    return kernel


def _reader(res, handle):
    return _queue(res, handle)


def _read(a, res, reader, queue):
    return [np.asarray(v, dtype=object) for v in _reader(res, reader).read(_queue(res, queue), 1)[0]]


def _read_up_to(a, res, reader, queue, n):
    n = int(n)
    if n < 0:
        raise InvalidArgumentError(None, None, f"num_records ({n}) must be >= 0")
    records = _reader(res, reader).read(_queue(res, queue), n) if n else []
    return [np.asarray([r[i] for r in records], dtype=object).reshape(len(records)) for i in range(2)]


def _serialize_state(a, res, reader):
    r = _reader(res, reader)
    if type(r) not in (_Reader, _WholeFileReader):
        raise UnimplementedError(None, None, f"Reader SerializeState not implemented for "
                                             f"{type(r).__name__[1:]}")
    with r.lock:
        return np.asarray(r.state(), dtype=object)


def _restore_state(a, res, reader, state):
    r = _reader(res, reader)
    if type(r) not in (_Reader, _WholeFileReader):
        raise UnimplementedError(None, None, f"Reader RestoreState not implemented for {type(r).__name__[1:]}")
    fields, data, pos = {}, np.asarray(state, dtype=object).item(), 0
    try:
        while pos < len(data):
            tag, pos = data[pos], pos + 1
            n, shift = 0, 0
            while True:
                b, pos, = data[pos], pos + 1
                n, shift = n | (b & 0x7F) << shift, shift + 7
                if not b & 0x80:
                    break
            if tag >> 3 == 4:
                fields[4], pos = data[pos:pos + n], pos + n
            else:
                fields[tag >> 3] = n
    except IndexError:
        raise InvalidArgumentError(None, None, f"Could not parse state for IdentityReader: {data!r}") from None
    with r.lock:
        r.started, r.completed, r.produced = fields.get(1, 0), fields.get(2, 0), fields.get(3, 0)
        r.current = fields.get(4, b"")
        r.work = r.current if r.completed < r.started else None
        r.records = [] if r.work is None else list(reversed(r.records_of(r.work)))


def _reset(a, res, reader):
    r = _reader(res, reader)
    with r.lock:
        r.reset()


def _scalar(dtype):
    return lambda i, a: (dtype, TensorShape([]))


_HANDLE = _scalar(dtypes.resource)
op("WholeFileReaderV2", kernel=_reader_kernel(_WholeFileReader), stateful=True, shape=_HANDLE,
   grad=NOT_DIFFERENTIABLE)
op("TextLineReaderV2", kernel=_reader_kernel(_TextLineReader), stateful=True, shape=_HANDLE, grad=NOT_DIFFERENTIABLE)
op("TFRecordReaderV2", kernel=_reader_kernel(_TFRecordReader), stateful=True, shape=_HANDLE, grad=NOT_DIFFERENTIABLE)
op("FixedLengthRecordReaderV2", kernel=_reader_kernel(_FixedLengthRecordReader), stateful=True, shape=_HANDLE,
   grad=NOT_DIFFERENTIABLE)
op("IdentityReaderV2", kernel=_reader_kernel(_Reader), stateful=True, shape=_HANDLE, grad=NOT_DIFFERENTIABLE)
op("LMDBReader", kernel=_reader_kernel(_LMDBReader), stateful=True, shape=_HANDLE, grad=NOT_DIFFERENTIABLE)
op("ReaderReadV2", "reader_handle:resource, queue_handle:resource", kernel=_read, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=lambda i, a: [(dtypes.string, TensorShape([]))] * 2)
op("ReaderReadUpToV2", "reader_handle:resource, queue_handle:resource, num_records:int64", kernel=_read_up_to,
   stateful=True, grad=NOT_DIFFERENTIABLE, shape=lambda i, a: [(dtypes.string, TensorShape([None]))] * 2)
op("ReaderNumRecordsProducedV2", "reader_handle:resource", stateful=True, grad=NOT_DIFFERENTIABLE,
   kernel=lambda a, res, r: np.int64(_reader(res, r).produced), shape=_scalar(dtypes.int64))
op("ReaderNumWorkUnitsCompletedV2", "reader_handle:resource", stateful=True, grad=NOT_DIFFERENTIABLE,
   kernel=lambda a, res, r: np.int64(_reader(res, r).completed), shape=_scalar(dtypes.int64))
op("ReaderSerializeStateV2", "reader_handle:resource", kernel=_serialize_state, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=_scalar(dtypes.string))
op("ReaderRestoreStateV2", "reader_handle:resource, state:string", kernel=_restore_state, stateful=True,
   grad=NOT_DIFFERENTIABLE, shape=lambda i, a: [])
op("ReaderResetV2", "reader_handle:resource", kernel=_reset, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: [])


# ----- the Python classes -----------------------------------------------------------------------------------------
def _queue_ref(queue):
    return queue if hasattr(queue, "op") and not hasattr(queue, "queue_ref") else queue.queue_ref


class ReaderBase:
    """TF1's reader: reads records (key, value) from the work items (file names) of a queue."""

    def __init__(self, reader_ref, supports_serialize=False):
        self._reader_ref = reader_ref
        self._supports_serialize = supports_serialize

    reader_ref = property(lambda self: self._reader_ref)
    supports_serialize = property(lambda self: self._supports_serialize)

    def read(self, queue, name=None):
        """The next record: (key, value) scalar strings."""
        return tuple(apply_op("ReaderReadV2", [self._reader_ref, _queue_ref(queue)], {}, name=name))

    def read_up_to(self, queue, num_records, name=None):
        """Up to `num_records` records: (keys, values) string vectors."""
        return tuple(apply_op("ReaderReadUpToV2", [self._reader_ref, _queue_ref(queue), num_records], {},
                              name=name))

    def num_records_produced(self, name=None):
        return apply_op("ReaderNumRecordsProducedV2", [self._reader_ref], {}, name=name)

    def num_work_units_completed(self, name=None):
        return apply_op("ReaderNumWorkUnitsCompletedV2", [self._reader_ref], {}, name=name)

    def serialize_state(self, name=None):
        """The reader's state as a string (UnimplementedError when run, except for IdentityReader)."""
        return apply_op("ReaderSerializeStateV2", [self._reader_ref], {}, name=name)

    def restore_state(self, state, name=None):
        return apply_op("ReaderRestoreStateV2", [self._reader_ref, state], {}, name=name)

    def reset(self, name=None):
        """Back to the state it was made in: no work, no records produced."""
        return apply_op("ReaderResetV2", [self._reader_ref], {}, name=name)


def _make(op_type, name, **attrs):
    return apply_op(op_type, [], dict(attrs, container="", shared_name=""), name=name)


class WholeFileReader(ReaderBase):
    """Reads each file whole: (file name, contents)."""

    def __init__(self, name=None):
        super().__init__(_make("WholeFileReaderV2", name), supports_serialize=True)


class TextLineReader(ReaderBase):
    """Reads the lines of each file (without their newline), keyed "file:line number"."""

    def __init__(self, skip_header_lines=None, name=None):
        super().__init__(_make("TextLineReaderV2", name, skip_header_lines=skip_header_lines or 0))


class FixedLengthRecordReader(ReaderBase):
    """Reads records of `record_bytes` bytes (after a header, before a footer), keyed "file:record number"."""

    def __init__(self, record_bytes, header_bytes=None, footer_bytes=None, hop_bytes=None, name=None,
                 encoding=None):
        super().__init__(_make("FixedLengthRecordReaderV2", name, record_bytes=record_bytes,
                               header_bytes=header_bytes or 0, footer_bytes=footer_bytes or 0,
                               hop_bytes=hop_bytes or 0, encoding=encoding or ""))


class TFRecordReader(ReaderBase):
    """Reads the records of TFRecord files, keyed "file:offset"."""

    def __init__(self, name=None, options=None):
        super().__init__(_make("TFRecordReaderV2", name, compression_type=compression_of(options)))


class IdentityReader(ReaderBase):
    """Yields each work item itself as both key and value."""

    def __init__(self, name=None):
        super().__init__(_make("IdentityReaderV2", name), supports_serialize=True)


class LMDBReader(ReaderBase):
    """Reads the key/value pairs of LMDB files (running it needs the `lmdb` package)."""

    def __init__(self, name=None, options=None):
        super().__init__(_make("LMDBReader", name))

