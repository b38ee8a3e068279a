"""TFRecord framing, as TensorFlow writes event files: for each record

    uint64 length (little-endian) | uint32 masked crc32c(length) | data | uint32 masked crc32c(data)

crc32c is the Castagnoli CRC (reflected polynomial 0x82F63B78); TF "masks" it, rotating right by 15 bits
and adding 0xa282ead8, so that a CRC of data holding CRCs stays well distributed.
"""
import struct

from .. import errors

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
    """The CRC-32C of `data` (bytes)."""
    crc = 0xFFFFFFFF
    table = _TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def encode_record(data):
    """One framed record holding `data`."""
    header = struct.pack("<Q", len(data))
    return header + struct.pack("<I", masked_crc32c(header)) + data + struct.pack("<I", masked_crc32c(data))


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
