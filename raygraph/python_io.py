"""`tf.python_io` (also in `tf.io`): TFRecord files, interchangeable with TensorFlow's.

Each record is framed as TF frames event files and TFRecords (uint64 length, masked CRC-32C of the length,
data, masked CRC-32C of the data; the CRC is sstable.py's); a file may be compressed as a whole with GZIP or ZLIB (`TFRecordOptions`). A bad CRC or a
truncated record is DataLossError, as in TF.
"""
import gzip
import struct
import zlib

from . import errors
from .sstable import crc32c, mask


def masked_crc32c(data):
    """TF's masked CRC-32C of `data` (the SSTable's, as checkpoints store it)."""
    return mask(crc32c(data))


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
