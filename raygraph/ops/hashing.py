"""`Fingerprint` (`tf.fingerprint`): a farmhash64 fingerprint of each row of a tensor (its bytes, little-endian
order; for strings, of the row's strings' own fingerprints), as 8 uint8 bytes per row."""
import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .fingerprints import fingerprint64
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import constant_value, dims, with_rank

_raw = TensorShape._raw


def _bytes8(value):
    return np.frombuffer(int(value).to_bytes(8, "little"), np.uint8)


def _fingerprint_kernel(a, data, method):
    method = method.item() if hasattr(method, "item") else method
    if np.ndim(method) != 0:
        raise InvalidArgumentError(None, None, f"`method` should be a scalar string: {list(np.shape(method))}")
    if method not in (b"farmhash64", "farmhash64"):
        name = method.decode() if isinstance(method, bytes) else method
        raise InvalidArgumentError(None, None, f"Unsupported fingerprint method: {name}")
    if np.ndim(data) < 1:
        raise InvalidArgumentError(None, None, f"`data` should have at least one dimension: {list(np.shape(data))}")
    rows = np.reshape(data, (np.shape(data)[0], -1)) if np.shape(data)[0] else np.zeros((0, 0), np.asarray(data).dtype)
    out = np.zeros((rows.shape[0], 8), np.uint8)
    for i, row in enumerate(rows):
        if a["T"] == dtypes.string:
            prints = [fingerprint64(s if isinstance(s, bytes) else str(s).encode()) for s in row]
            key = prints[0] if len(prints) == 1 else fingerprint64(b"".join(_bytes8(p).tobytes() for p in prints))
        else:
            key = fingerprint64(np.ascontiguousarray(row).astype(row.dtype.newbyteorder("<"), copy=False).tobytes())
        out[i] = _bytes8(key)
    return out


def _fingerprint_shape(inputs, a):
    data, method = inputs
    with_rank(method, 0)
    known = constant_value(method)
    if known is not None and known.item() not in (b"farmhash64", "farmhash64"):
        name = known.item().decode() if isinstance(known.item(), bytes) else known.item()
        raise ValueError(f"Unsupported method: {name}")
    d = dims(data)
    if d is not None and len(d) < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank {len(d)}")
    return dtypes.uint8, _raw((None if d is None else d[0], 8))


op("Fingerprint", "data:T, method:string", kernel=_fingerprint_kernel, shape=_fingerprint_shape,
   grad=NO_GRADIENT_DEFINED)


def fingerprint(data, method="farmhash64", name=None):
    """Each row's (data[i, ...]) farmhash64 fingerprint as 8 little-endian bytes: uint8 [rows, 8]."""
    return apply_op("Fingerprint", [data, method], name=name)
