"""The core of `tf.image` (image.py): resizing, flips and transposes, dtype conversion, brightness, grayscale,
standardization and crops, built as TF1's image_ops build them."""
import numpy as np

from . import dtypes
from .convert import convert_to_tensor
from .default_graph import name_scope
from .ops.checks import assert_equal, assert_greater_equal, assert_positive
from .ops.array import expand_dims, identity, rank, reshape, reverse, shape, squeeze, transpose as _transpose
from .ops.control import Assert, with_dependencies
from .ops.control_flow import cond
from .ops.image import resize_area, resize_bicubic, resize_bilinear, resize_nearest_neighbor
from .ops.io import decode_jpeg, decode_png  # noqa: F401
from .ops.linalg import tensordot
from .ops.filling import ones
from .ops.joining import concat, stack, tile
from .ops.math import (add, cast, divide, equal, floordiv, greater_equal, less, maximum, multiply, round as round_, rsqrt, sqrt,
                       square)
from .ops.random import random_uniform
from .ops.reduction import reduce_all, reduce_mean, reduce_prod
from .ops.registry import apply_op
from .ops.shape_fns import constant_value_as_shape
from .ops.slicing import slice as slice_
from .tensor import Tensor


class ResizeMethod:
    """TF1's resize methods (tf.compat.v1.image.ResizeMethod)."""

    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


_RESIZERS = {ResizeMethod.BILINEAR: resize_bilinear, "bilinear": resize_bilinear,
             ResizeMethod.NEAREST_NEIGHBOR: resize_nearest_neighbor, "nearest": resize_nearest_neighbor,
             ResizeMethod.BICUBIC: resize_bicubic, "bicubic": resize_bicubic,
             ResizeMethod.AREA: resize_area, "area": resize_area}


def resize_images(images, size, method=ResizeMethod.BILINEAR, align_corners=False, preserve_aspect_ratio=False,
                  name=None):
    """`images` (HWC or NHWC) resized to `size` = [height, width] (bilinear results are float32)."""
    if preserve_aspect_ratio:
        raise NotImplementedError("resize_images(preserve_aspect_ratio=True) is not supported")
    if method not in _RESIZERS:
        raise ValueError(f"Resize method is not implemented: {method}")
    with name_scope(name, "resize", [images, size]):
        images = convert_to_tensor(images, name="images")
        if images.shape.ndims is None:
            raise ValueError("'images' contains no shape.")
        is_batch = images.shape.ndims == 4
        if images.shape.ndims == 3:
            images = expand_dims(images, 0)
        elif not is_batch:
            raise ValueError("'images' must have either 3 or 4 dimensions.")
        _, height, width, _ = images.shape.as_list()
        try:
            size = convert_to_tensor(size, dtypes.int32, name="size")
        except (TypeError, ValueError):
            raise ValueError("'size' must be a 1-D int32 Tensor") from None
        if not size.shape.is_compatible_with([2]):
            raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
        new = constant_value_as_shape(size)
        new_h, new_w = (None, None) if new.ndims is None else new.as_list()
        if height is not None and width is not None and (new_h, new_w) == (height, width):
            return images if is_batch else squeeze(images, axis=[0])
        images = _RESIZERS[method](images, size, align_corners=align_corners)
        images.set_shape([None, new_h, new_w, None])
        return images if is_batch else squeeze(images, axis=[0])


resize = resize_images


# ----- flips and transposes --------------------------------------------------------------------------------------
def _at_least_3d(image):
    """`image`, after checks that it has rank >= 3 and positive inner dims (at run time where unknown)."""
    return with_dependencies(at_least_3d_checks(image), image)


def at_least_3d_checks(image):
    """TF's _CheckAtLeast3DImage(require_static=False): ValueError now, or the run-time checks' ops."""
    s = image.shape
    if s.ndims is not None and s.ndims < 3:
        raise ValueError(f"'image' (shape {s}) must be at least three-dimensional.")
    inner = s.as_list()[-3:] if s.ndims is not None else [None] * 3
    if any(d == 0 for d in inner):
        raise ValueError(f"inner 3 dims of 'image.shape' must be > 0: {s}")
    checks = []
    if None in inner:
        checks = [assert_positive(shape(image)[-3:], ["inner 3 dims of 'image.shape' must be > 0."]),
                  assert_greater_equal(rank(image), 3, message="'image' must be at least three-dimensional.")]
    return checks


def _flip(image, flip_index, scope_name):
    with name_scope(None, scope_name, [image]):
        image = _at_least_3d(convert_to_tensor(image, name="image"))
        ndims = image.shape.ndims

        def rank3():
            result = reverse(image, [flip_index])
            result.set_shape(image.shape if image.shape.ndims is not None else [None, None, None])
            return result

        def rank4():
            return reverse(image, [flip_index + 1])
        if ndims is None:
            return cond(equal(rank(image), 3), rank3, rank4)
        if ndims == 3:
            return rank3()
        if ndims == 4:
            return rank4()
        raise ValueError(f"'image' (shape {image.shape})must have either 3 or 4 dimensions.")


def flip_left_right(image):
    """`image` (HWC or NHWC) mirrored left to right."""
    return _flip(image, 1, "flip_left_right")


def flip_up_down(image):
    """`image` (HWC or NHWC) mirrored top to bottom."""
    return _flip(image, 0, "flip_up_down")


def transpose_image(image, name=None):
    """`image` (HWC or NHWC) with height and width swapped."""
    with name_scope(name, "transpose", [image]):
        image = _at_least_3d(convert_to_tensor(image, name="image"))
        ndims = image.shape.ndims
        if ndims is None:
            return cond(equal(rank(image), 3), lambda: _transpose(image, [1, 0, 2], name=name),
                        lambda: _transpose(image, [0, 2, 1, 3], name=name))
        if ndims in (3, 4):
            return _transpose(image, [1, 0, 2] if ndims == 3 else [0, 2, 1, 3], name=name)
        raise ValueError(f"'image' (shape {image.shape}) must have either 3 or 4 dimensions.")


transpose = transpose_image


# ----- dtypes, brightness, grayscale ------------------------------------------------------------------------------
def _saturate_cast(value, dtype, name=None):
    """`value` clamped to `dtype`'s range (limits nudged to be representable in both), then cast (TF's
    saturate_cast)."""
    with name_scope(name, "saturate_cast", [value]) as name:
        value = convert_to_tensor(value, name="value")
        src = value.dtype.as_numpy_dtype
        try:
            promoted = np.promote_types(src, dtype.as_numpy_dtype)
        except TypeError:
            promoted = float
        lo = src(np.maximum(value.dtype.min, dtype.min))
        if np.array([lo, dtype.min], promoted)[0] < np.array([lo, dtype.min], promoted)[1]:
            lo = np.nextafter(lo, src(0), dtype=src)
        hi = src(np.minimum(float(value.dtype.max), float(dtype.max)))
        if np.array([hi, dtype.max], promoted)[0] > np.array([hi, dtype.max], promoted)[1]:
            hi = np.nextafter(hi, src(0), dtype=src)
        value = apply_op("ClipByValue", [value, convert_to_tensor(lo, dtype=value.dtype),
                                         convert_to_tensor(hi, dtype=value.dtype)], {}, name="clamp")
        return cast(value, dtype, name=name)


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """`image` converted to `dtype`, rescaling values (floats in [0, 1], integers over their range)."""
    image = convert_to_tensor(image, name="image")
    dtype = dtypes.as_dtype(dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise AttributeError("dtype must be either floating point or integer")
    if not (image.dtype.is_floating or image.dtype.is_integer):
        raise AttributeError("image dtype must be either floating point or integer")
    if dtype == image.dtype:
        return identity(image, name=name)
    with name_scope(name, "convert_image", [image]) as name:
        src = image.dtype
        if src.is_integer and dtype.is_integer:
            if src.max > dtype.max:
                scaled = floordiv(image, (src.max + 1) // (dtype.max + 1))
                return _saturate_cast(scaled, dtype, name=name) if saturate else cast(scaled, dtype, name=name)
            casted = _saturate_cast(image, dtype) if saturate else cast(image, dtype)
            return multiply(casted, (dtype.max + 1) // (src.max + 1), name=name)
        if src.is_floating and dtype.is_floating:
            return cast(image, dtype, name=name)
        if src.is_integer:
            return multiply(cast(image, dtype), 1. / src.max, name=name)
        scaled = multiply(image, dtype.max + 0.5)
        return _saturate_cast(scaled, dtype, name=name) if saturate else cast(scaled, dtype, name=name)


def adjust_brightness(image, delta):
    """`image` plus `delta` (in the [0, 1] float scale), converted back to its dtype."""
    with name_scope(None, "adjust_brightness", [image, delta]) as name:
        image = convert_to_tensor(image, name="image")
        orig_dtype = image.dtype
        flt = image if orig_dtype in (dtypes.float16, dtypes.float32) else convert_image_dtype(image, dtypes.float32)
        adjusted = add(flt, cast(delta, flt.dtype), name=name)
        return convert_image_dtype(adjusted, orig_dtype, saturate=True)


def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name=None):
    """`image` encoded as JPEG at `jpeg_quality` (0-100) and decoded again, in its own dtype."""
    with name_scope(name, "adjust_jpeg_quality", [image]):
        image = convert_to_tensor(image, name="image")
        channels = image.shape.as_list()[-1]
        orig_dtype = image.dtype
        image = convert_image_dtype(image, dtypes.uint8, saturate=True)
        if not isinstance(jpeg_quality, Tensor):
            jpeg_quality = convert_to_tensor(jpeg_quality, dtype=dtypes.int32)
        encoded = apply_op("EncodeJpegVariableQuality", [image, jpeg_quality], {})
        image = decode_jpeg(encoded, channels=channels or 0, dct_method=dct_method)
        return convert_image_dtype(image, orig_dtype, saturate=True)


def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None):
    """adjust_jpeg_quality at a quality drawn uniformly from [min_jpeg_quality, max_jpeg_quality) each run."""
    if not (0 <= min_jpeg_quality <= 100 and 0 <= max_jpeg_quality <= 100):
        raise ValueError("jpeg encoding range must be between 0 and 100.")
    if min_jpeg_quality >= max_jpeg_quality:
        raise ValueError("`min_jpeg_quality` must be less than `max_jpeg_quality`.")
    quality = random_uniform([], min_jpeg_quality, max_jpeg_quality, seed=seed, dtype=dtypes.int32)
    return adjust_jpeg_quality(image, quality)


def rgb_to_grayscale(images, name=None):
    """The luma (ITU-R 601) of RGB `images`, with a last dim of 1."""
    with name_scope(name, "rgb_to_grayscale", [images]) as name:
        images = convert_to_tensor(images, name="images")
        orig_dtype = images.dtype
        flt = convert_image_dtype(images, dtypes.float32)
        gray = expand_dims(tensordot(flt, [0.2989, 0.5870, 0.1140], [-1, -1]), -1)
        return convert_image_dtype(gray, orig_dtype, name=name)


# ----- seeded random flips and brightness ----------------------------------------------------------------------
def _random_flip(image, flip_index, seed, scope_name):
    with name_scope(None, scope_name, [image]) as scope:
        image = _at_least_3d(convert_to_tensor(image, name="image"))
        ndims = image.shape.ndims

        def rank3():
            mirror = less(random_uniform(shape=[], minval=0, maxval=1.0, seed=seed), .5)
            result = cond(mirror, lambda: reverse(image, [flip_index]), lambda: image, name=scope)
            result.set_shape(image.shape if image.shape.ndims is not None else [None, None, None])
            return result

        def rank4():
            batch_size = shape(image)[0]
            uniform = random_uniform(shape=[batch_size], minval=0, maxval=1.0, seed=seed)
            flips = cast(round_(reshape(uniform, [batch_size, 1, 1, 1])), image.dtype)
            return flips * reverse(image, [flip_index + 1]) + (1 - flips) * image
        if ndims is None:
            return cond(equal(rank(image), 3), rank3, rank4)
        if ndims in (3, 4):
            return rank3() if ndims == 3 else rank4()
        raise ValueError(f"'image' (shape {image.shape}) must have either 3 or 4 dimensions.")


def random_flip_left_right(image, seed=None):
    """`image` mirrored left to right with probability 1/2 (each image of a batch on its own)."""
    return _random_flip(image, 1, seed, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    """`image` mirrored top to bottom with probability 1/2 (each image of a batch on its own)."""
    return _random_flip(image, 0, seed, "random_flip_up_down")


def random_brightness(image, max_delta, seed=None):
    """`adjust_brightness` by a delta drawn uniformly from [-max_delta, max_delta)."""
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_brightness(image, random_uniform([], -max_delta, max_delta, seed=seed))


# ----- standardization and grayscale to RGB -----------------------------------------------------------------------
def per_image_standardization(image):
    """Each image scaled to mean 0 and variance 1 (its deviation floored at 1/sqrt(pixels))."""
    with name_scope(None, "per_image_standardization", [image]) as scope:
        image = _at_least_3d(convert_to_tensor(image, name="image"))
        image = cast(image, dtype=dtypes.float32)
        num_pixels = reduce_prod(shape(image)[-3:])
        image_mean = reduce_mean(image, axis=[-1, -2, -3], keepdims=True)
        with name_scope(None, "reduce_std", [image]):
            with name_scope(None, "reduce_variance", [image]):
                means = reduce_mean(image, axis=[-1, -2, -3], keepdims=True)
                variance = reduce_mean(square(image - means), axis=[-1, -2, -3], keepdims=True)
            stddev = sqrt(variance)
        adjusted_stddev = maximum(stddev, rsqrt(cast(num_pixels, dtypes.float32)))
        image -= image_mean
        return divide(image, adjusted_stddev, name=scope)


def grayscale_to_rgb(images, name=None):
    """A grayscale image (last dim 1) repeated into three channels."""
    with name_scope(name, "grayscale_to_rgb", [images]) as name:
        images = convert_to_tensor(images)
        s = images.shape
        if s.ndims is not None and s.ndims < 2:
            raise ValueError(f"A grayscale image (shape {s}) must be at least two-dimensional.")
        if s.is_fully_defined() and s.as_list()[-1] != 1:
            raise ValueError("Last dimension of a grayscale image should be size 1.")
        checks = []
        if not s.is_fully_defined():  # TF's _CheckGrayscaleImage(require_static=False): checked at run time
            checks = [assert_equal(shape(images)[-1], 1,
                                   message="Last dimension of a grayscale image should be size 1."),
                      assert_greater_equal(rank(images), 3,
                                           message="A grayscale image must be at least two-dimensional.")]
        images = with_dependencies(checks, images)
        images = convert_to_tensor(images, name="images")
        rank_1 = expand_dims(rank(images) - 1, 0)
        multiples = concat([ones(rank_1, dtype=dtypes.int32), expand_dims(3, 0)], 0)
        rgb = tile(images, multiples, name=name)
        rgb.set_shape(images.shape[:-1].concatenate([3]))
        return rgb


def central_crop(image, central_fraction):
    """The central `central_fraction` of each image's height and width (a known fraction; a slice)."""
    with name_scope(None, "central_crop", [image]):
        image = convert_to_tensor(image, name="image")
        if not isinstance(central_fraction, (int, float)):
            raise NotImplementedError("central_crop needs central_fraction as a Python number")
        if central_fraction <= 0.0 or central_fraction > 1.0:
            raise ValueError("central_fraction must be within (0, 1]")
        if central_fraction == 1.0:
            return image
        _at_least_3d(image)
        ndims = image.shape.ndims
        if ndims not in (3, 4):
            raise ValueError(f"`image` should either be a Tensor with rank = 3 or rank = 4. Had rank = {ndims}.")
        dims = image.shape.as_list()[-3:-1]
        dynamic = [d is None for d in dims]
        dims = [shape(image)[ndims - 3 + i] if d is None else d for i, d in enumerate(dims)]
        starts = []
        for d, dyn in zip(dims, dynamic):
            if dyn:
                df = cast(d, dtypes.float64)
                starts.append(cast((df - df * cast(central_fraction, dtypes.float64)) / 2, dtypes.int32))
            else:
                starts.append(int((float(d) - float(d) * central_fraction) / 2))
        sizes = [d - start * 2 for d, start in zip(dims, starts)]
        lead_begin, lead_size = ([0], [-1]) if ndims == 4 else ([], [])
        outer = image.shape.as_list()
        image = slice_(image, stack(lead_begin + starts + [0]), stack(lead_size + sizes + [-1]))
        known = [None if dyn else size for dyn, size in zip(dynamic, sizes)]
        image.set_shape(outer[:1] * (ndims == 4) + known + outer[-1:])
        return image


def random_crop(value, size, seed=None, name=None):
    """A random `size` slice of `value` (each dimension's offset drawn uniformly)."""
    with name_scope(name, "random_crop", [value, size]) as scope:
        value = convert_to_tensor(value, name="value")
        size = convert_to_tensor(size, dtype=dtypes.int32, name="size")
        shape_ = shape(value)
        check = Assert(reduce_all(greater_equal(shape_, size)), ["Need value.shape >= size, got ", shape_, size],
                       summarize=1000)
        shape_ = with_dependencies([check], shape_)
        limit = shape_ - size + 1
        offset = random_uniform(shape(shape_), dtype=size.dtype, maxval=size.dtype.max, seed=seed) % limit
        return slice_(value, offset, size, name=scope)
