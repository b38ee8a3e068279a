"""Image codecs beyond JPEG and PNG decoding (ops/io.py): `decode_bmp`, `decode_gif`, `decode_webp`,
`decode_image` (any of them by its magic bytes), `decode_and_crop_jpeg`, `extract_jpeg_shape`, `is_jpeg`,
`encode_jpeg`, `encode_png`, with TF's op types, static shapes and errors. Pillow does the coding: encoded
bytes are valid files of the same settings (quality, chroma subsampling, density) but need not equal TF's
byte for byte (another zlib level or libjpeg build); what they decode to is what matters.
"""
import io as _io

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError, UnimplementedError
from ..shape import TensorShape
from .io import _open_image, _scalar_bytes, _scalar_input, converted
from .math import equal
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import constant_value
from .strings import substr

_MODES = {1: "L", 3: "RGB", 4: "RGBA"}
_MAGIC = {b"\xff\xd8\xff": "JPEG", b"\x89PN": "PNG", b"GIF": "GIF", b"BM": "BMP", b"RIFF": "WEBP"}


def _format(contents):
    for magic, fmt in _MAGIC.items():
        if contents.startswith(magic) and (fmt != "WEBP" or contents[8:12] == b"WEBP"):
            return fmt
    raise InvalidArgumentError(None, None, "Unknown image file format. One of JPEG, PNG, GIF, BMP required.")


def _pixels(img, channels, allowed=(0, 1, 3, 4)):
    """One frame as uint8 [height, width, channels] (channels 0: the file's own, RGB for palettes)."""
    if channels not in allowed:
        raise InvalidArgumentError(None, None, f"channels must be {', '.join(map(str, allowed))}, got {channels}")
    mode = _MODES.get(channels) or (img.mode if img.mode in ("L", "RGB", "RGBA") else
                                    "RGBA" if "transparency" in img.info or img.mode in ("LA", "PA") else "RGB")
    return converted(img, mode)


def _frames(fmt, contents, channels, allowed):
    """Every frame of an animation as uint8 [frames, height, width, channels]."""
    from PIL import ImageSequence
    img = _open_image(fmt, contents, {})
    return np.stack([_pixels(frame, channels, allowed) for frame in ImageSequence.Iterator(img)])


def _scaled(arr, dtype):
    """uint8 pixels as `dtype` the way TF's decoders convert: uint16 x257, float32 /255."""
    if dtype is dtypes.uint16:
        return arr.astype(np.uint16) * 257
    if dtype is dtypes.float32:
        return arr.astype(np.float32) / 255.0
    return arr


# ----- kernels ----------------------------------------------------------------------------------------------------
def _expect(contents, formats):
    """The format of `contents`, which must be one of `formats` (TF's GIF decoder also takes JPEG and PNG)."""
    fmt = _format(contents)
    if fmt not in formats:
        raise InvalidArgumentError(None, None, f"Trying to decode {fmt} format using a wrong op. Use "
                                               f"`decode_{fmt.lower()}` or `decode_image` instead.")
    return fmt


def _decode_bmp(a, contents):
    contents = _scalar_bytes(contents)
    _expect(contents, ("BMP",))
    return _pixels(_open_image("BMP", contents, {}), a.get("channels", 0), (0, 3, 4))


def _decode_gif(a, contents):
    contents = _scalar_bytes(contents)
    fmt = _expect(contents, ("GIF", "JPEG", "PNG"))
    if fmt != "GIF":
        return _pixels(_open_image(fmt, contents, {"dct_method": "INTEGER_ACCURATE"}), 3)[None]
    return _frames("GIF", contents, 3, (3,))


def _decode_webp(a, contents):
    contents = _scalar_bytes(contents)
    _expect(contents, ("WEBP",))
    return _scaled(_webp_frames(contents, a.get("channels", 0)), a["dtype"])


def _webp_frames(contents, channels):
    """A WebP's frames, in the file's own channels: TF converts none (other `channels` are an error)."""
    frames = _frames("WEBP", contents, 0, (0, 3, 4))
    if channels not in (0, frames.shape[-1]):
        raise InvalidArgumentError(None, None, f"WebP image has {frames.shape[-1]} channels but {channels} were "
                                               f"requested")
    return frames


def _decode_image(a, contents):
    contents = _scalar_bytes(contents)
    fmt, channels = _format(contents), a.get("channels", 0)
    if fmt in ("GIF", "WEBP"):
        frames = _frames("GIF", contents, 3, (0, 3)) if fmt == "GIF" else _webp_frames(contents, channels)
        if fmt == "GIF" and channels not in (0, 3):
            raise InvalidArgumentError(None, None, f"channels must be 0 or 3 for GIF, got {channels}")
        return _scaled(frames if a["expand_animations"] else frames[0], a["dtype"])
    allowed = (0, 3, 4) if fmt == "BMP" else (0, 1, 3, 4)
    return _scaled(_pixels(_open_image(fmt, contents, {"dct_method": "INTEGER_ACCURATE"}), channels, allowed),
                   a["dtype"])


def _decode_jxl(a, contents):
    raise UnimplementedError(None, None, "DecodeJxl: raygraph's image library (Pillow) cannot decode JPEG XL")


def _crop_window(window):
    y, x, h, w = (int(v) for v in np.asarray(window).reshape(-1))
    return y, x, h, w


def _decode_and_crop_jpeg(a, contents, window):
    img = _open_image("JPEG", _scalar_bytes(contents), a)
    y, x, h, w = _crop_window(window)
    if h <= 0 or w <= 0 or y < 0 or x < 0 or y + h > img.height or x + w > img.width:
        raise InvalidArgumentError(None, None, "Invalid JPEG data or crop window.")
    return _pixels(img, a.get("channels", 0))[y:y + h, x:x + w]


def _extract_jpeg_shape(a, contents):
    contents = _scalar_bytes(contents)
    img = _open_image("JPEG", contents, {})
    if img.format != "JPEG":
        raise InvalidArgumentError(None, None, "Invalid JPEG data, size " + str(len(contents)))
    channels = {"L": 1, "RGB": 3, "CMYK": 4}.get(img.mode, len(img.getbands()))
    return np.asarray([img.height, img.width, channels], a["output_type"].as_numpy_dtype)


def _encode(fmt, image, **options):
    from PIL import Image
    image = np.asarray(image)
    if image.ndim != 3:
        raise InvalidArgumentError(None, None, f"image must be 3-dimensional[{','.join(map(str, image.shape))}]")
    if image.shape[2] not in ((1, 3) if fmt == "JPEG" else (1, 2, 3, 4)):
        raise InvalidArgumentError(None, None, f"image must have 1, 2, 3 or 4 channels, got {image.shape[2]}")
    mode = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[image.shape[2]]
    if image.dtype == np.uint16 and mode != "L":
        raise UnimplementedError(None, None, "raygraph encodes uint16 PNGs of one channel only (Pillow's limit)")
    img = Image.fromarray(image[:, :, 0]) if mode == "L" else Image.fromarray(image, mode)
    out = _io.BytesIO()
    img.save(out, format=fmt, **options)
    return out.getvalue()


def _encode_png(a, image):
    level = a.get("compression", -1)
    return _encode("PNG", image, compress_level=6 if level < 0 else level)


def _encode_jpeg(a, image):
    image = np.asarray(image)
    if a.get("format"):
        want = {"grayscale": 1, "rgb": 3}[a["format"]]
        if image.ndim == 3 and image.shape[2] != want:
            raise InvalidArgumentError(None, None, f"Input does not have {want} channels for format "
                                                   f"{a['format']}")
    unit = a.get("density_unit", "in")
    options = {"quality": a.get("quality", 95), "progressive": a.get("progressive", False),
               "optimize": a.get("optimize_size", False), "subsampling": 2 if a.get("chroma_downsampling", True) else 0,
               "dpi" if unit == "in" else "dpcm": (a.get("x_density", 300), a.get("y_density", 300))}
    if unit != "in":  # Pillow writes JFIF units from `dpi` only: centimetres become inches
        options["dpi"] = tuple(v * 2.54 for v in options.pop("dpcm"))
    if a.get("xmp_metadata"):
        options["xmp"] = a["xmp_metadata"].encode()
    return _encode("JPEG", image, **options)


def _encode_jpeg_variable_quality(a, image, quality):
    """EncodeJpeg's defaults at a quality given as a tensor (adjust_jpeg_quality's encoder)."""
    if np.ndim(image) != 3:
        raise InvalidArgumentError(None, None, f"image must be 3-dimensional[{','.join(map(str, np.shape(image)))}]")
    if np.ndim(quality) != 0:
        raise InvalidArgumentError(None, None, f"quality must be scalar: [{','.join(map(str, np.shape(quality)))}]")
    if not 0 <= int(quality) <= 100:
        raise InvalidArgumentError(None, None, f"quality must be in [0,100], got {int(quality)}")
    if np.shape(image)[2] not in (1, 3):
        raise InvalidArgumentError(None, None, f"image must have 1 or 3 channels, got "
                                               f"[{','.join(map(str, np.shape(image)))}]")
    return _encode_jpeg({"quality": int(quality)}, image)


# ----- shapes -----------------------------------------------------------------------------------------------------
def _channels_shape(rank, dtype_attr=None):
    def shape(inputs, a):
        _scalar_input(inputs, "contents")
        dtype = a[dtype_attr] if dtype_attr else dtypes.uint8
        return dtype, TensorShape([None] * (rank - 1) + [a.get("channels", 0) or None])
    return shape


def _decode_image_shape(inputs, a):
    _scalar_input(inputs, "contents")
    if a["expand_animations"]:
        return a["dtype"], TensorShape(None)
    return a["dtype"], TensorShape([None, None, a.get("channels", 0) or None])


def _crop_shape(inputs, a):
    _scalar_input(inputs, "contents")
    window = inputs[1].shape.with_rank(1)
    if window[0].value not in (None, 4):
        raise ValueError(f"Dimension must be 4 but is {window[0].value}")
    value = constant_value(inputs[1])
    h, w = (None, None) if value is None else (int(value[2]), int(value[3]))
    return dtypes.uint8, TensorShape([h, w, a.get("channels", 0) or None])


def _encode_shape(inputs, a):
    inputs[0].shape.with_rank(3)
    return dtypes.string, TensorShape([])


op("DecodeBmp", "contents:string", kernel=_decode_bmp, shape=_channels_shape(3), grad=NO_GRADIENT_DEFINED)
op("DecodeGif", "contents:string", kernel=_decode_gif, grad=NO_GRADIENT_DEFINED,
   shape=lambda i, a: _scalar_input(i, "contents") or (dtypes.uint8, TensorShape([None, None, None, 3])))
op("DecodeWebP", "contents:string", kernel=_decode_webp, shape=_channels_shape(4, "dtype"), grad=NO_GRADIENT_DEFINED,
   dtype="uint8")
op("DecodeJxl", "contents:string", kernel=_decode_jxl, shape=_channels_shape(3, "dtype"), grad=NO_GRADIENT_DEFINED)
op("DecodeImage", "contents:string", kernel=_decode_image, shape=_decode_image_shape, grad=NO_GRADIENT_DEFINED,
   dtype="uint8 uint16 float32")
op("DecodeAndCropJpeg", "contents:string, crop_window:int32", kernel=_decode_and_crop_jpeg, shape=_crop_shape,
   grad=NO_GRADIENT_DEFINED)
op("ExtractJpegShape", "contents:string", kernel=_extract_jpeg_shape, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: _scalar_input(i, "contents") or (a["output_type"], TensorShape([3])))
op("EncodePng", "image:T", kernel=_encode_png, shape=_encode_shape, grad=NO_GRADIENT_DEFINED, T="uint8 uint16")
op("EncodeJpeg", "image:uint8", kernel=_encode_jpeg, shape=_encode_shape, grad=NO_GRADIENT_DEFINED)
op("EncodeJpegVariableQuality", "images:uint8, quality:int32", kernel=_encode_jpeg_variable_quality,
   shape=_encode_shape, grad=NO_GRADIENT_DEFINED)


# ----- the API ----------------------------------------------------------------------------------------------------
def decode_bmp(contents, channels=0, name=None):
    """A BMP image as uint8 [height, width, channels]."""
    return apply_op("DecodeBmp", [contents], {"channels": channels}, name=name)


def decode_gif(contents, name=None):
    """A GIF's frames as uint8 [frames, height, width, 3]."""
    return apply_op("DecodeGif", [contents], {}, name=name)


def decode_webp(contents, channels=0, dtype=dtypes.uint8, name=None):
    """A WebP image's frames as [frames, height, width, channels]."""
    return apply_op("DecodeWebP", [contents], {"channels": channels, "dtype": dtypes.as_dtype(dtype)}, name=name)


def decode_jxl(contents, channels=0, dtype=dtypes.uint8, name=None):
    """A JPEG XL image (the op builds; running it is UnimplementedError: Pillow has no JPEG XL decoder)."""
    return apply_op("DecodeJxl", [contents], {"channels": channels, "dtype": dtypes.as_dtype(dtype)}, name=name)


def decode_image(contents, channels=None, dtype=dtypes.uint8, name=None, expand_animations=True):
    """A BMP, GIF, JPEG, PNG or WebP image, by its magic bytes: [height, width, channels], or [frames, ...] for
    animations when `expand_animations` (then the static shape is unknown, as in TF)."""
    with name_scope(name, "decode_image"):
        attrs = {"channels": channels or 0, "dtype": dtypes.as_dtype(dtype), "expand_animations": expand_animations}
        return apply_op("DecodeImage", [contents], attrs)


def decode_and_crop_jpeg(contents, crop_window, channels=0, ratio=1, fancy_upscaling=True,
                         try_recover_truncated=False, acceptable_fraction=1, dct_method="", name=None):
    """The [y, x, height, width] window of a JPEG image, decoded."""
    attrs = {"channels": channels, "ratio": ratio, "fancy_upscaling": fancy_upscaling,
             "try_recover_truncated": try_recover_truncated, "acceptable_fraction": float(acceptable_fraction),
             "dct_method": dct_method}
    return apply_op("DecodeAndCropJpeg", [contents, crop_window], attrs, name=name)


def extract_jpeg_shape(contents, output_type=dtypes.int32, name=None):
    """A JPEG's [height, width, channels], read from its header."""
    return apply_op("ExtractJpegShape", [contents], {"output_type": dtypes.as_dtype(output_type)}, name=name)


def is_jpeg(contents, name=None):
    """Whether the string starts with JPEG's magic bytes (a bool scalar)."""
    with name_scope(name, "is_jpeg"):
        return equal(substr(contents, 0, 3), b"\xff\xd8\xff", name="Equal")


def encode_png(image, compression=-1, name=None):
    """A uint8 (or uint16) [height, width, channels] image as PNG bytes (zlib `compression` 0-9, -1 default)."""
    return apply_op("EncodePng", [convert_to_tensor(image)], {"compression": compression}, name=name)


def encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,  # noqa: A002 - TF's names
                chroma_downsampling=True, density_unit="in", x_density=300, y_density=300, xmp_metadata="",
                name=None):
    """A uint8 [height, width, 1 or 3] image as JPEG bytes."""
    attrs = {"format": format, "quality": quality, "progressive": progressive, "optimize_size": optimize_size,
             "chroma_downsampling": chroma_downsampling, "density_unit": density_unit, "x_density": x_density,
             "y_density": y_density, "xmp_metadata": xmp_metadata}
    return apply_op("EncodeJpeg", [image], attrs, name=name)
