"""File and image ops the guide shows: `read_file`, `write_file`, `decode_jpeg` (and PNG)."""
import io as _io

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError, NotFoundError
from ..shape import TensorShape
from .registry import NOT_DIFFERENTIABLE, apply_op, op


def _read_file(a, filename):
    path = filename.decode() if isinstance(filename, bytes) else str(filename)
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise NotFoundError(None, None, f"{path}; No such file or directory") from None


def _write_file(a, filename, contents):
    path = filename.decode() if isinstance(filename, bytes) else str(filename)
    with open(path, "wb") as f:
        f.write(contents)


op("ReadFile", "filename:string", kernel=_read_file, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (dtypes.string, TensorShape._raw(())))
op("WriteFile", "filename:string, contents:string", kernel=_write_file, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=None)


def read_file(filename, name=None):
    """The whole contents of a file, as a scalar string."""
    return apply_op("ReadFile", [filename], {}, name=name)


def write_file(filename, contents, name=None):
    return apply_op("WriteFile", [filename, contents], {}, name=name)


def _decode_image(fmt):
    def kernel(a, contents):
        try:
            from PIL import Image
        except ImportError:  # pragma: no cover - Pillow is a dependency
            from ..errors import UnimplementedError
            raise UnimplementedError(None, None, "image decoding needs Pillow (pip install pillow)") from None
        try:
            img = Image.open(_io.BytesIO(contents))
            img.load()
        except Exception as e:  # noqa: BLE001 - any decoder failure is invalid input
            raise InvalidArgumentError(None, None, f"Invalid {fmt} data or crop window, data size "
                                       f"{len(contents)}: {e}") from None
        channels = a.get("channels", 0)
        mode = {1: "L", 3: "RGB", 4: "RGBA"}.get(channels)
        if mode is None:
            mode = img.mode if img.mode in ("L", "RGB", "RGBA") else "RGB"
        arr = np.asarray(img.convert(mode), dtype=np.uint8)
        return arr if arr.ndim == 3 else arr[:, :, None]
    return kernel


def _image_shape(inputs, a):
    c = a.get("channels", 0)
    return dtypes.uint8, TensorShape._raw((None, None, c or None))


op("DecodeJpeg", "contents:string", kernel=_decode_image("JPEG"), shape=_image_shape, grad=NOT_DIFFERENTIABLE)
op("DecodePng", "contents:string", kernel=_decode_image("PNG"), shape=_image_shape, grad=NOT_DIFFERENTIABLE)


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True, try_recover_truncated=False,
                acceptable_fraction=1, dct_method="", name=None):
    """A JPEG image as a uint8 tensor of shape [height, width, channels]."""
    return apply_op("DecodeJpeg", [contents], {"channels": channels, "ratio": ratio}, name=name)


def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None):
    return apply_op("DecodePng", [contents], {"channels": channels}, name=name)


