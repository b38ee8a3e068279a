"""TFRecord framing, as TensorFlow writes event files: for each record

    uint64 length (little-endian) | uint32 masked crc32c(length) | data | uint32 masked crc32c(data)

The framing and its CRC are python_io's (TFRecord files); this module reads event files.
"""
import struct

from .. import errors

from ..python_io import crc32c, encode_record, masked_crc32c  # noqa: F401 - the framing is python_io's


def read_records(path):
    """Yields the data of each record in the file at `path`; DataLossError on a corrupt record."""
    with open(path, "rb") as f:
        while True:
            header = f.read(12)
            if not header:
                return
            if len(header) < 12:
                raise errors.DataLossError(None, None, f"truncated record header in {path}")
            length, header_crc = struct.unpack("<QI", header)
            if masked_crc32c(header[:8]) != header_crc:
                raise errors.DataLossError(None, None, f"corrupted record length in {path}")
            data = f.read(length)
            footer = f.read(4)
            if len(data) < length or len(footer) < 4:
                raise errors.DataLossError(None, None, f"truncated record in {path}")
            if masked_crc32c(data) != struct.unpack("<I", footer)[0]:
                raise errors.DataLossError(None, None, f"corrupted record data in {path}")
            yield data
