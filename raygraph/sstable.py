"""The SSTable: LevelDB's sorted-table format, in which TensorFlow writes a checkpoint's `.index` file.

A table maps byte-string keys, in increasing bytewise order, to byte-string values:

    data blocks       the entries, split into blocks of about `block_size` bytes
    metaindex block   empty (TensorFlow writes no filter)
    index block       one entry per data block: a key >= the block's last key and < the next block's first
                      key -> the block's handle (varint64 offset, varint64 size)
    footer            the metaindex and index handles, zero-padded to 40 bytes, then the magic number
                      0xdb4775248b80fb57 (fixed64): 48 bytes

A block is its entries, then its restart offsets (fixed32 each) and their count (fixed32). An entry is
varint32 (key bytes shared with the previous key), varint32 (bytes not shared), varint32 (value size), the
unshared key bytes, the value. Every `restart_interval`-th entry shares nothing: a restart point. Each block
is followed by a 5-byte trailer: a compression type (0, none: TensorFlow writes blocks uncompressed) and the
masked CRC32C of the block and that byte (fixed32).

`parse` trusts nothing: it checks the footer's magic, that every handle lies inside the file, every block's
checksum before reading a byte of the block, every length against what is left, and that keys increase.
Any damage is DataLossError. Integers are little-endian throughout.
"""
import struct

import crc32c as _crc32c

from .errors import DataLossError

MAGIC = 0xdb4775248b80fb57
FOOTER_SIZE = 48
TRAILER_SIZE = 5
NO_COMPRESSION = 0
_MASK_DELTA = 0xa282ead8


# ----- checksums and integers -----------------------------------------------------------------------------------
def crc32c(data, value=0):
    """The CRC32C of `data` (any buffer), extending the CRC `value`."""
    return _crc32c.crc32c(data, value)


def mask(crc):
    """LevelDB's masked CRC: a CRC stored beside data that is itself checksummed must not look like one."""
    return ((((crc >> 15) | (crc << 17)) & 0xffffffff) + _MASK_DELTA) & 0xffffffff


def unmask(masked):
    rot = (masked - _MASK_DELTA) & 0xffffffff
    return ((rot >> 17) | (rot << 15)) & 0xffffffff


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7f) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def read_varint(buf, pos, end, limit_bits=64):
    """(value, position after it) of the varint at `pos`; DataLossError if it runs past `end` or is too long."""
    value = shift = 0
    while pos < end and shift < limit_bits:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7f) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
    raise DataLossError(None, None, "bad varint in a checkpoint table")


# ----- writing -----------------------------------------------------------------------------------------------------
class _Block:
    """A block being built: entries prefix-compressed against the previous key, a restart point every
    `restart_interval` entries."""

    def __init__(self, restart_interval):
        self.buf, self.restarts, self.count, self.last = bytearray(), [], 0, b""
        self.restart_interval = restart_interval

    def add(self, key, value):
        shared = 0
        if self.count % self.restart_interval == 0:
            self.restarts.append(len(self.buf))
        else:
            limit = min(len(self.last), len(key))
            while shared < limit and self.last[shared] == key[shared]:
                shared += 1
        self.buf += varint(shared) + varint(len(key) - shared) + varint(len(value)) + key[shared:] + value
        self.count, self.last = self.count + 1, key

    def size(self):
        return len(self.buf) + 4 * max(1, len(self.restarts)) + 4

    def finish(self):
        restarts = self.restarts or [0]
        return bytes(self.buf) + struct.pack(f"<{len(restarts)}I", *restarts) + struct.pack("<I", len(restarts))


def _separator(start, limit):
    """A short key k with start <= k < limit (LevelDB's bytewise FindShortestSeparator)."""
    n = 0
    while n < min(len(start), len(limit)) and start[n] == limit[n]:
        n += 1
    if n < min(len(start), len(limit)) and start[n] < 0xff and start[n] + 1 < limit[n]:
        return start[:n] + bytes([start[n] + 1])
    return start


def _successor(key):
    """A short key >= `key` (LevelDB's bytewise FindShortSuccessor)."""
    for n, byte in enumerate(key):
        if byte != 0xff:
            return key[:n] + bytes([byte + 1])
    return key


def build(items, block_size=262144, restart_interval=16):
    """The table holding `items` [(key bytes, value bytes)], whose keys must strictly increase. The defaults are
    TensorFlow's, so the same items give the same bytes as its TableBuilder."""
    out = bytearray()

    def put(block):
        contents = block.finish()
        handle = varint(len(out)) + varint(len(contents))
        checksum = mask(crc32c(bytes([NO_COMPRESSION]), crc32c(contents)))
        out.extend(contents + bytes([NO_COMPRESSION]) + struct.pack("<I", checksum))
        return handle

    index, block = _Block(1), _Block(restart_interval)
    flushed = None  # (last key, handle) of the block just written, indexed once the next key is known
    for key, value in items:
        if block.count and key <= block.last or flushed and key <= flushed[0]:
            raise ValueError(f"table keys must strictly increase: {key!r} comes late")
        if flushed:
            index.add(_separator(flushed[0], key), flushed[1])
            flushed = None
        block.add(key, value)
        if block.size() >= block_size:
            flushed, block = (key, put(block)), _Block(restart_interval)
    if block.count:
        flushed = (block.last, put(block))
    if flushed:
        index.add(_successor(flushed[0]), flushed[1])
    metaindex_handle = put(_Block(restart_interval))
    index_handle = put(index)
    return bytes(out) + (metaindex_handle + index_handle).ljust(FOOTER_SIZE - 8, b"\0") + struct.pack("<Q", MAGIC)


# ----- reading -----------------------------------------------------------------------------------------------------
def parse(data):
    """[(key, value)] of the table `data` (bytes), in order; DataLossError if it is damaged in any way."""
    if len(data) < FOOTER_SIZE or struct.unpack_from("<Q", data, len(data) - 8)[0] != MAGIC:
        raise DataLossError(None, None, "not an sstable (bad magic number)")
    blocks_end, footer_end = len(data) - FOOTER_SIZE, len(data) - 8
    _, pos = _handle(data, blocks_end, footer_end, blocks_end)  # the metaindex: nothing in it is needed
    index, _ = _handle(data, pos, footer_end, blocks_end)
    items = []
    for _, value in _entries(_contents(data, index)):
        handle, _ = _handle(value, 0, len(value), blocks_end)
        items.extend(_entries(_contents(data, handle)))
    for i in range(1, len(items)):
        if items[i][0] <= items[i - 1][0]:
            raise DataLossError(None, None, "sstable keys out of order")
    return items


def _handle(buf, pos, end, limit):
    """((offset, size) of the block handle at buf[pos:end], the position after it); the block and its trailer
    must end by `limit`."""
    offset, pos = read_varint(buf, pos, end)
    size, pos = read_varint(buf, pos, end)
    if offset + size + TRAILER_SIZE > limit:
        raise DataLossError(None, None, f"sstable block [{offset}, +{size}) runs past the table's blocks")
    return (offset, size), pos


def _contents(data, handle):
    """A block's bytes, once its checksum matches."""
    offset, size = handle
    contents = data[offset:offset + size]
    kind = data[offset + size]
    stored = struct.unpack_from("<I", data, offset + size + 1)[0]
    if unmask(stored) != crc32c(bytes([kind]), crc32c(contents)):
        raise DataLossError(None, None, f"sstable block checksum mismatch at offset {offset}")
    if kind != NO_COMPRESSION:
        raise DataLossError(None, None, f"sstable block compressed with unsupported type {kind}")
    return contents


def _entries(block):
    """[(key, value)] of a block's entries, each key rebuilt from the one before it."""
    if len(block) < 4:
        raise DataLossError(None, None, "sstable block too short")
    restarts = struct.unpack_from("<I", block, len(block) - 4)[0]
    if 4 * (restarts + 1) > len(block):
        raise DataLossError(None, None, "sstable block has more restart points than bytes")
    end = len(block) - 4 * (restarts + 1)
    pos, key, out = 0, b"", []
    while pos < end:
        shared, pos = read_varint(block, pos, end, 35)
        unshared, pos = read_varint(block, pos, end, 35)
        size, pos = read_varint(block, pos, end, 35)
        if shared > len(key) or pos + unshared + size > end:
            raise DataLossError(None, None, "sstable entry runs past its block")
        key = key[:shared] + block[pos:pos + unshared]
        pos += unshared
        out.append((key, block[pos:pos + size]))
        pos += size
    return out
