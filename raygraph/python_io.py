"""`tf.python_io` (also in `tf.io`): TFRecord files, interchangeable with TensorFlow's.

Each record is framed as in summary/records.py (length, masked CRC-32C of the length, data, masked CRC-32C
of the data); a file may be compressed as a whole with GZIP or ZLIB (`TFRecordOptions`). A bad CRC or a
truncated record is DataLossError, as in TF.
"""
import gzip
import struct
import zlib

import numpy as np

from . import errors

_MASK_DELTA = 0xA282EAD8


def _table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_TABLE = _table()


def crc32c(data):
    """The CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) of `data` (bytes)."""
    if len(data) >= _CHUNK * 16:
        return _crc_chunked(data) ^ 0xFFFFFFFF
    return _crc_bytes(0xFFFFFFFF, data) ^ 0xFFFFFFFF


def _crc_bytes(crc, data):
    """The CRC register after `data`, from register value `crc` (one table step per byte)."""
    table = _TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc


# Large buffers: the register update is linear over GF(2), so after k chunks of _CHUNK bytes, register
# r = shift(r) ^ crc0(chunk) where crc0 is a chunk's CRC from a zero register (computed for all chunks at
# once with numpy, one step per byte position) and shift(r) is r run through _CHUNK zero bytes (a linear
# map, applied byte by byte through four 256-entry tables).
_CHUNK = 1024
_SHIFT = None


def _shift_tables():
    global _SHIFT
    if _SHIFT is None:
        table = np.asarray(_TABLE, dtype=np.uint32)
        basis = np.left_shift(np.uint32(1), np.arange(32, dtype=np.uint32))
        r = basis.copy()
        for _ in range(_CHUNK):
            r = table[r & 0xFF] ^ (r >> 8)
        images = r.tolist()   # shift(1 << i)
        tables = []
        for b in range(4):
            t = []
            for v in range(256):
                out = 0
                for i in range(8):
                    if v >> i & 1:
                        out ^= images[8 * b + i]
                t.append(out)
            tables.append(t)
        _SHIFT = tables
    return _SHIFT


def _crc_chunked(data):
    table = np.asarray(_TABLE, dtype=np.uint32)
    k = len(data) // _CHUNK
    chunks = np.frombuffer(data, dtype=np.uint8, count=k * _CHUNK).reshape(k, _CHUNK).astype(np.uint32)
    r = np.zeros(k, dtype=np.uint32)
    for j in range(_CHUNK):
        r = table[(r ^ chunks[:, j]) & 0xFF] ^ (r >> 8)
    s0, s1, s2, s3 = _shift_tables()
    crc = 0xFFFFFFFF
    for c in r.tolist():
        crc = s0[crc & 0xFF] ^ s1[crc >> 8 & 0xFF] ^ s2[crc >> 16 & 0xFF] ^ s3[crc >> 24] ^ c
    return _crc_bytes(crc, data[k * _CHUNK:])


def masked_crc32c(data):
    """TF's masked CRC: rotated right by 15 bits plus 0xa282ead8, so a CRC of data holding CRCs stays well
    distributed."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def encode_record(data):
    """One framed record holding `data`."""
    header = struct.pack("<Q", len(data))
    return header + struct.pack("<I", masked_crc32c(header)) + data + struct.pack("<I", masked_crc32c(data))


class TFRecordCompressionType:
    NONE = 0
    ZLIB = 1
    GZIP = 2


class TFRecordOptions:
    """How a TFRecord file is compressed: "", "ZLIB" or "GZIP" (or a TFRecordCompressionType)."""

    compression_type_map = {TFRecordCompressionType.ZLIB: "ZLIB", TFRecordCompressionType.GZIP: "GZIP",
                            TFRecordCompressionType.NONE: ""}

    def __init__(self, compression_type=None, flush_mode=None, input_buffer_size=None, output_buffer_size=None,
                 window_bits=None, compression_level=None, compression_method=None, mem_level=None,
                 compression_strategy=None):
        self.get_compression_type_string(compression_type)  # checks it
        self.compression_type = compression_type
        self.compression_level = -1 if compression_level is None else compression_level

    @classmethod
    def get_compression_type_string(cls, options):
        """"ZLIB", "GZIP" or "" for options, a TFRecordCompressionType or a string; ValueError otherwise."""
        if not options:
            return ""
        if isinstance(options, TFRecordOptions):
            return cls.get_compression_type_string(options.compression_type)
        if options in cls.compression_type_map:
            return cls.compression_type_map[options]
        if options in cls.compression_type_map.values():
            return options
        raise ValueError(f'Not a valid compression_type: "{options}"')


def compression_of(options):
    return TFRecordOptions.get_compression_type_string(options)


class TFRecordWriter:
    """Writes records (bytes) to a TFRecord file; a context manager."""

    def __init__(self, path, options=None):
        kind = compression_of(options)
        level = options.compression_level if isinstance(options, TFRecordOptions) else -1
        try:
            raw = open(path, "wb")
        except FileNotFoundError:
            raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
        self._raw = raw
        if kind == "GZIP":
            self._file = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9 if level < 0 else level, mtime=0)
        elif kind == "ZLIB":
            self._file = _ZlibWriter(raw, level)
        else:
            self._file = raw

    def write(self, record):
        if isinstance(record, str):
            record = record.encode()
        self._file.write(encode_record(bytes(record)))

    def flush(self):
        self._file.flush()

    def close(self):
        if self._file is not None:
            if self._file is not self._raw:
                self._file.close()
            self._raw.close()
            self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class _ZlibWriter:
    def __init__(self, raw, level):
        self.raw, self.z = raw, zlib.compressobj(level)

    def write(self, data):
        self.raw.write(self.z.compress(data))

    def flush(self):
        self.raw.write(self.z.flush(zlib.Z_SYNC_FLUSH))
        self.raw.flush()

    def close(self):
        self.raw.write(self.z.flush())


def read_bytes(path, compression=""):
    """The whole (decompressed) content of a file."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
    try:
        if compression == "GZIP":
            return gzip.decompress(data)
        if compression == "ZLIB":
            return zlib.decompress(data)
    except (OSError, zlib.error, EOFError) as e:
        raise errors.DataLossError(None, None, f"{path}: {e}") from None
    return data


def parse_records(data, path=""):
    """Yields each record's data in the framed bytes `data`; DataLossError on a corrupt record."""
    at, end = 0, len(data)
    while at < end:
        if end - at < 12:
            raise errors.DataLossError(None, None, f"truncated record at {at}' failed with Read less bytes than "
                                                   f"requested")
        length, header_crc = struct.unpack_from("<QI", data, at)
        if masked_crc32c(data[at:at + 8]) != header_crc:
            raise errors.DataLossError(None, None, f"corrupted record at {at}")
        start = at + 12
        if start + length + 4 > end:
            raise errors.DataLossError(None, None, f"truncated record at {at}' failed with Read less bytes than "
                                                   f"requested")
        record = data[start:start + length]
        if masked_crc32c(record) != struct.unpack_from("<I", data, start + length)[0]:
            raise errors.DataLossError(None, None, f"corrupted record at {at}")
        yield record
        at = start + length + 4


def tf_record_iterator(path, options=None):
    """An iterator over the records (bytes) of the TFRecord file at `path` (read when called)."""
    return parse_records(read_bytes(path, compression_of(options)), path)
