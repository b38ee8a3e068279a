"""File and image ops the guide shows: `read_file`, `write_file`, `matching_files`, `decode_jpeg` (and PNG)."""
import glob
import io as _io

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError, NotFoundError
from ..shape import TensorShape
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, apply_op, op


def _scalar_bytes(value):
    """A scalar string tensor's value (bytes, or a 0-d object array holding bytes) as bytes."""
    if isinstance(value, np.ndarray):
        value = value.item()
    return value if isinstance(value, bytes) else str(value).encode()


def _read_file(a, res, filename):
    path = _scalar_bytes(filename).decode()
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise NotFoundError(None, None, f"{path}; No such file or directory") from None


def _write_file(a, res, filename, contents):
    with open(_scalar_bytes(filename).decode(), "wb") as f:
        f.write(_scalar_bytes(contents))


def _scalar_input(inputs, what):
    d = inputs[0]._shape._dims
    if d is not None and len(d) != 0:
        raise ValueError(f"Shape must be rank 0 but is rank {len(d)}")


def _read_file_shape(inputs, a):
    _scalar_input(inputs, "filename")
    return dtypes.string, TensorShape._raw(())


# Stateful: a file is read (or written) each time the op runs, never folded into a constant.
op("ReadFile", "filename:string", kernel=_read_file, stateful=True, grad=NOT_DIFFERENTIABLE, shape=_read_file_shape)
op("WriteFile", "filename:string, contents:string", kernel=_write_file, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: _scalar_input(i, "filename") or [])


def read_file(filename, name=None):
    """The whole contents of a file, as a scalar string."""
    return apply_op("ReadFile", [filename], {}, name=name)


def write_file(filename, contents, name=None):
    return apply_op("WriteFile", [filename, contents], {}, name=name)


def _matching_files(a, res, patterns):
    names = sorted({f for p in np.asarray(patterns, dtype=object).ravel()
                    for f in glob.glob(p.decode() if isinstance(p, bytes) else str(p))})
    return np.asarray([f.encode() for f in names], dtype=object).reshape(len(names))


# stateful: the file system is read each time it runs (never folded)
op("MatchingFiles", "pattern:string", kernel=_matching_files, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (dtypes.string, TensorShape._raw((None,))))


def matching_files(pattern, name=None):
    """The sorted names of the files matching a glob pattern (or several), as a string vector."""
    return apply_op("MatchingFiles", [pattern], {}, name=name)


def _turbo_jpeg(contents, a):
    """A JPEG decoded as TF decodes it, through libjpeg-turbo (simplejpeg) with TF's choice of DCT (the fast one
    unless INTEGER_ACCURATE) and of upsampling (fancy unless told otherwise): uint8 [height, width, channels],
    or None where this path does not apply (a scaled decode, 4 channels, CMYK, data it cannot read whole)."""
    import simplejpeg
    channels = a.get("channels", 0)
    if a.get("ratio", 1) != 1 or channels not in (0, 1, 3):
        return None
    try:
        space = simplejpeg.decode_jpeg_header(contents)[2]
        if space not in ("Gray", "YCbCr", "RGB"):
            return None
        gray = channels == 1 or (channels == 0 and space == "Gray")
        pixels = simplejpeg.decode_jpeg(contents, colorspace="GRAY" if gray else "RGB",
                                        fastdct=a.get("dct_method", "") != "INTEGER_ACCURATE",
                                        fastupsample=not a.get("fancy_upscaling", True))
    except ValueError:
        return None
    return pixels if pixels.ndim == 3 else pixels[:, :, None]


def _open_image(fmt, contents, a):
    """The decoded image (PIL). JPEGs go through libjpeg (Pillow) configured as close to TF's flags as Pillow
    allows: Pillow's "draft" decoding is libjpeg's fast integer DCT without fancy upsampling, its normal
    decoding is the accurate DCT with fancy upsampling (DecodeJpeg takes _turbo_jpeg's exact path first)."""
    from PIL import Image
    try:
        img = Image.open(_io.BytesIO(contents))
        if fmt == "JPEG" and img.format == "JPEG":
            fast = a.get("dct_method", "") != "INTEGER_ACCURATE"
            gray = a.get("channels", 0) == 1 or img.mode == "L"
            if gray or (fast and not a.get("fancy_upscaling", True)):  # libjpeg's own grayscale output: Y
                img.draft("L" if gray else img.mode, img.size)
                img.decoderconfig = (1, 1 if fast else 0)
        img.load()
    except Exception as e:  # noqa: BLE001 - any decoder failure is invalid input
        raise InvalidArgumentError(None, None, f"Invalid {fmt} data or crop window, data size "
                                               f"{len(contents)}") from e
    return img


def _decode_image(fmt):
    def kernel(a, contents):
        channels = a.get("channels", 0)
        if channels not in (0, 1, 3, 4):
            raise InvalidArgumentError(None, None, f"channels must be 0, 1, 3 or 4, got {channels}")
        contents = _scalar_bytes(contents)
        pixels = _turbo_jpeg(contents, a) if fmt == "JPEG" else None
        if pixels is not None:
            return pixels
        img = _open_image(fmt, contents, a)
        mode = {1: "L", 3: "RGB", 4: "RGBA"}.get(channels)
        if mode is None:
            mode = img.mode if img.mode in ("L", "RGB", "RGBA") else "RGB"
        return converted(img, mode)
    return kernel


def converted(img, mode):
    """A decoded image as uint8 [height, width, channels] of `mode` ("L", "RGB", "RGBA"). Colour to gray as
    libpng does it for TF (fixed-point 0.299/0.587/0.114, truncated); libjpeg's gray is its own Y (draft)."""
    if mode == "L" and img.mode in ("RGB", "RGBA", "P"):
        rgb = np.asarray(img.convert("RGB"), dtype=np.uint32)
        gray = (rgb[:, :, 0] * 9798 + rgb[:, :, 1] * 19235 + rgb[:, :, 2] * 3735) >> 15
        return gray.astype(np.uint8)[:, :, None]
    arr = np.asarray(img.convert(mode) if img.mode != mode else img, dtype=np.uint8)
    return arr if arr.ndim == 3 else arr[:, :, None]


def _image_shape(inputs, a):
    _scalar_input(inputs, "contents")
    c = a.get("channels", 0)
    return dtypes.uint8, TensorShape._raw((None, None, c or None))


op("DecodeJpeg", "contents:string", kernel=_decode_image("JPEG"), shape=_image_shape, grad=NO_GRADIENT_DEFINED)
op("DecodePng", "contents:string", kernel=_decode_image("PNG"), shape=_image_shape, grad=NO_GRADIENT_DEFINED)


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True, try_recover_truncated=False,
                acceptable_fraction=1, dct_method="", name=None):
    """A JPEG image as a uint8 tensor of shape [height, width, channels]."""
    attrs = {"channels": channels, "ratio": ratio, "fancy_upscaling": fancy_upscaling,
             "try_recover_truncated": try_recover_truncated, "acceptable_fraction": float(acceptable_fraction),
             "dct_method": dct_method}
    return apply_op("DecodeJpeg", [contents], attrs, name=name)


def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None):
    """A PNG image as a uint8 tensor of shape [height, width, channels]."""
    return apply_op("DecodePng", [contents], {"channels": channels, "dtype": dtypes.as_dtype(dtype)}, name=name)
