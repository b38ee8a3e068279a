"""`tf.image`'s geometry (image.py re-exports it): rotations, crops and pads to a bounding box, resizing with crop,
pad or padding, crops of boxes and non-max suppression, and image differences (total variation, gradients,
Sobel edges, PSNR), built as TF1's image_ops build them."""
import numpy as np

from . import dtypes
from .convert import constant, convert_to_tensor
from .default_graph import name_scope
from .functional import case
from .image_core import ResizeMethod, at_least_3d_checks, convert_image_dtype, resize_images
from .ops.array import expand_dims, identity, rank, reshape, reverse, shape, squeeze
from .ops.array import transpose as _transpose
from .ops.boxes import crop_and_resize, non_max_suppression  # noqa: F401 - tf.image names
from .ops.control import Assert, with_dependencies
from .ops.control_flow import cond
from .ops.conv import depthwise_conv2d
from .ops.filling import zeros
from .ops.joining import concat, pad, stack, tile, unstack
from .ops.math import abs as abs_
from .ops.math import cast, equal, floor, greater_equal, log, maximum, minimum, squared_difference, subtract
from .ops.reduction import reduce_all, reduce_mean, reduce_sum
from .ops.slicing import slice as slice_
from .tensor import Tensor


def _is_tensor(x):
    return isinstance(x, Tensor)


def _assert(cond_, message):
    """TF's _assert: an Assert op for a tensor condition; a ValueError now for a false Python one."""
    if _is_tensor(cond_):
        return [Assert(cond_, [message])]
    if not cond_:
        raise ValueError(message)
    return []


def _as_batch(image):
    """`image` as a batch (rank 4) and whether it was one."""
    s = image.shape
    if s.ndims == 3:
        return expand_dims(image, 0), False
    if s.ndims is None:
        image = expand_dims(image, 0)
        image.set_shape([None] * 4)
        return image, False
    if s.ndims != 4:
        raise ValueError(f"'image' (shape {s}) must have either 3 or 4 dimensions.")
    return image, True


def _dims(image):
    """The four dims: static where known, else from the shape tensor (TF's _ImageDimensions)."""
    static = image.shape.as_list()
    if None not in static:
        return static
    dynamic = unstack(shape(image), 4)
    return [s if s is not None else d for s, d in zip(static, dynamic)]


def _unbatch(image, is_batch):
    return image if is_batch else squeeze(image, axis=[0])


# ----- rotations -------------------------------------------------------------------------------------------------
def rot90(image, k=1, name=None):
    """`image` (HWC or NHWC) rotated counter-clockwise by k quarter turns."""
    with name_scope(name, "rot90", [image, k]) as scope:
        image = convert_to_tensor(image, name="image")
        image = with_dependencies(at_least_3d_checks(image), image)
        k = convert_to_tensor(k, dtype=dtypes.int32, name="k")
        k.shape.assert_has_rank(0)
        k = k % 4
        ndims = image.shape.ndims
        if ndims is None:
            return cond(equal(rank(image), 3), lambda: _rot90(image, k, scope, 0), lambda: _rot90(image, k, scope, 1))
        if ndims == 3:
            return _rot90(image, k, scope, 0)
        if ndims == 4:
            return _rot90(image, k, scope, 1)
        raise ValueError(f"'image' (shape {image.shape}) must have either 3 or 4 dimensions.")


def _rot90(image, k, scope, lead):
    h, w = lead, lead + 1
    perm = list(range(lead)) + [w, h, lead + 2]
    cases = [(equal(k, 1), lambda: _transpose(reverse(image, [w]), perm)),
             (equal(k, 2), lambda: reverse(image, [h, w])),
             (equal(k, 3), lambda: reverse(_transpose(image, perm), [w]))]
    result = case(cases, default=lambda: image, exclusive=True, name=scope)
    s = result.shape
    result.set_shape(([s[0]] if lead else []) + [None, None, s[lead + 2]])
    return result


# ----- crops and pads to a bounding box ------------------------------------------------------------------------------
def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """The `target_height` x `target_width` window of `image` whose top left is at the offsets."""
    with name_scope(None, "crop_to_bounding_box", [image]):
        image, is_batch = _as_batch(convert_to_tensor(image, name="image"))
        checks = at_least_3d_checks(image)
        batch, height, width, depth = _dims(image)
        checks += _assert(offset_width >= 0, "offset_width must be >= 0.")
        checks += _assert(offset_height >= 0, "offset_height must be >= 0.")
        checks += _assert(target_width > 0, "target_width must be > 0.")
        checks += _assert(target_height > 0, "target_height must be > 0.")
        checks += _assert(width >= (target_width + offset_width), "width must be >= target + offset.")
        checks += _assert(height >= (target_height + offset_height), "height must be >= target + offset.")
        image = with_dependencies(checks, image)
        cropped = slice_(image, stack([0, offset_height, offset_width, 0]),
                         stack([shape(image)[0], target_height, target_width, shape(image)[3]]))
        cropped.set_shape([None if _is_tensor(d) else d for d in (batch, target_height, target_width, depth)])
        return _unbatch(cropped, is_batch)


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """`image` placed at the offsets in a zero image of `target_height` x `target_width`."""
    with name_scope(None, "pad_to_bounding_box", [image]):
        image, is_batch = _as_batch(convert_to_tensor(image, name="image"))
        batch, height, width, depth = _dims(image)
        after_width = target_width - offset_width - width
        after_height = target_height - offset_height - height
        checks = at_least_3d_checks(image)
        checks += _assert(offset_height >= 0, "offset_height must be >= 0")
        checks += _assert(offset_width >= 0, "offset_width must be >= 0")
        checks += _assert(after_width >= 0, "width must be <= target - offset")
        checks += _assert(after_height >= 0, "height must be <= target - offset")
        image = with_dependencies(checks, image)
        paddings = reshape(stack([0, 0, offset_height, after_height, offset_width, after_width, 0, 0]), [4, 2])
        padded = pad(image, paddings)
        padded.set_shape([None if _is_tensor(d) else d for d in (batch, target_height, target_width, depth)])
        return _unbatch(padded, is_batch)


def _max(x, y):
    return maximum(x, y) if _is_tensor(x) or _is_tensor(y) else max(x, y)


def _min(x, y):
    return minimum(x, y) if _is_tensor(x) or _is_tensor(y) else min(x, y)


def _equal(x, y):
    return equal(x, y) if _is_tensor(x) or _is_tensor(y) else x == y


def resize_image_with_crop_or_pad(image, target_height, target_width):
    """`image` centrally cropped or zero-padded to `target_height` x `target_width`."""
    with name_scope(None, "resize_image_with_crop_or_pad", [image]):
        image, is_batch = _as_batch(convert_to_tensor(image, name="image"))
        checks = at_least_3d_checks(image)
        checks += _assert(target_width > 0, "target_width must be > 0.")
        checks += _assert(target_height > 0, "target_height must be > 0.")
        image = with_dependencies(checks, image)
        if _is_tensor(target_height):
            target_height = with_dependencies(checks, target_height)
        if _is_tensor(target_width):
            target_width = with_dependencies(checks, target_width)
        _, height, width, _ = _dims(image)
        width_diff, height_diff = target_width - width, target_height - height
        cropped = crop_to_bounding_box(image, _max(-height_diff // 2, 0), _max(-width_diff // 2, 0),
                                       _min(target_height, height), _min(target_width, width))
        resized = pad_to_bounding_box(cropped, _max(height_diff // 2, 0), _max(width_diff // 2, 0),
                                      target_height, target_width)
        _, resized_height, resized_width, _ = _dims(resized)
        checks = _assert(_equal(resized_height, target_height), "resized height is not correct.")
        checks += _assert(_equal(resized_width, target_width), "resized width is not correct.")
        return _unbatch(with_dependencies(checks, resized), is_batch)


resize_with_crop_or_pad = resize_image_with_crop_or_pad


def resize_image_with_pad(image, target_height, target_width, method=ResizeMethod.BILINEAR, align_corners=False):
    """`image` resized to fit `target_height` x `target_width` keeping its aspect ratio, then zero-padded."""
    with name_scope(None, "resize_image_with_pad", [image]):
        image, is_batch = _as_batch(convert_to_tensor(image, name="image"))
        checks = at_least_3d_checks(image)
        checks += _assert(target_width > 0, "target_width must be > 0.")
        checks += _assert(target_height > 0, "target_height must be > 0.")
        image = with_dependencies(checks, image)
        _, height, width, _ = _dims(image)
        f_height, f_width = cast(height, dtypes.float32), cast(width, dtypes.float32)
        f_target_height, f_target_width = cast(target_height, dtypes.float32), cast(target_width, dtypes.float32)
        ratio = _max(f_width / f_target_width, f_height / f_target_height)
        resized_height_float, resized_width_float = f_height / ratio, f_width / ratio
        resized_height = cast(floor(resized_height_float), dtypes.int32)
        resized_width = cast(floor(resized_width_float), dtypes.int32)
        p_height = _max(0, cast(floor((f_target_height - resized_height_float) / 2), dtypes.int32))
        p_width = _max(0, cast(floor((f_target_width - resized_width_float) / 2), dtypes.int32))
        resized = resize_images(image, [resized_height, resized_width], method, align_corners=align_corners)
        padded = pad_to_bounding_box(resized, p_height, p_width, target_height, target_width)
        return _unbatch(padded, is_batch)


# ----- differences: total variation, gradients, Sobel edges, PSNR --------------------------------------------------
def total_variation(images, name=None):
    """The sum of absolute differences of neighbouring pixels (per image for a batch)."""
    with name_scope(name, "total_variation"):
        ndims = images.shape.ndims
        if ndims == 3:
            dif1, dif2, axis = images[1:, :, :] - images[:-1, :, :], images[:, 1:, :] - images[:, :-1, :], None
        elif ndims == 4:
            dif1 = images[:, 1:, :, :] - images[:, :-1, :, :]
            dif2 = images[:, :, 1:, :] - images[:, :, :-1, :]
            axis = [1, 2, 3]
        else:
            raise ValueError("'images' must be either 3 or 4-dimensional.")
        return reduce_sum(abs_(dif1), axis=axis) + reduce_sum(abs_(dif2), axis=axis)


def image_gradients(image):
    """(dy, dx): forward differences along height and width, zero in the last row / column."""
    if image.shape.ndims != 4:
        raise ValueError(f"image_gradients expects a 4D tensor [batch_size, h, w, d], not {image.shape}.")
    image_shape = shape(image)
    batch_size, height, width, depth = unstack(image_shape)
    dy = image[:, 1:, :, :] - image[:, :-1, :, :]
    dx = image[:, :, 1:, :] - image[:, :, :-1, :]
    dy = reshape(concat([dy, zeros(stack([batch_size, 1, width, depth]), image.dtype)], 1), image_shape)
    dx = reshape(concat([dx, zeros(stack([batch_size, height, 1, depth]), image.dtype)], 2), image_shape)
    return dy, dx


def sobel_edges(image):
    """Sobel responses [..., 2] (vertical, horizontal) of an NHWC batch, edges reflected."""
    static = image.shape
    image_shape = shape(image)
    kernels = np.expand_dims(np.transpose(np.asarray([[[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
                                                      [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]]), (1, 2, 0)), -2)
    filters = tile(constant(kernels, dtype=image.dtype), [1, 1, image_shape[-1], 1], name="sobel_filters")
    rows = concat([image[:, 1:2], image, image[:, -2:-1]], 1)  # TF pads with REFLECT
    padded = concat([rows[:, :, 1:2], rows, rows[:, :, -2:-1]], 2)
    out = depthwise_conv2d(padded, filters, [1, 1, 1, 1], "VALID")
    out = reshape(out, concat([image_shape, [2]], 0))
    out.set_shape(static.concatenate([2]))
    return out


def psnr(a, b, max_val, name=None):
    """Peak signal-to-noise ratio of images `a` and `b` (per image), in decibels."""
    with name_scope(name, "PSNR", [a, b]):
        max_val = convert_image_dtype(cast(max_val, a.dtype), dtypes.float32)
        a = convert_image_dtype(a, dtypes.float32)
        b = convert_image_dtype(b, dtypes.float32)
        mse = reduce_mean(squared_difference(a, b), [-3, -2, -1])
        value = subtract(20 * log(max_val) / log(10.0), np.float32(10 / np.log(10)) * log(mse), name="psnr")
        return identity(value)


def _gaussian(size, sigma, dtype):
    """An size x size Gaussian filter of width sigma, summing to 1, as a [size, size, 1, 1] array."""
    coords = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    g = -0.5 * coords ** 2 / sigma ** 2
    g = np.exp(g[None, :] + g[:, None])
    return (g / g.sum()).reshape(size, size, 1, 1).astype(dtype)


def ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, return_index_map=False):
    """Structural similarity of two image batches (per image, averaged over channels), with Wang et al.'s
    Gaussian window; `return_index_map` gives the local map instead of its mean."""
    with name_scope(None, "SSIM", [img1, img2]):
        img1 = convert_to_tensor(img1, name="img1")
        img2 = convert_to_tensor(img2, name="img2")
        max_val = convert_image_dtype(cast(max_val, img1.dtype), dtypes.float32)
        img1 = convert_image_dtype(img1, dtypes.float32)
        img2 = convert_image_dtype(img2, dtypes.float32)
        shape1 = shape(img1)
        checks = [Assert(reduce_all(greater_equal(shape(t)[-3:-1], filter_size)), [shape(t), filter_size],
                         summarize=8) for t in (img1, img2)]
        img1 = with_dependencies(checks, img1)
        kernel = tile(constant(_gaussian(filter_size, filter_sigma, np.float32)), [1, 1, shape1[-1], 1])

        def reducer(x):
            s = shape(x)
            y = depthwise_conv2d(reshape(x, concat([[-1], s[-3:]], 0)), kernel, [1, 1, 1, 1], "VALID")
            return reshape(y, concat([s[:-3], shape(y)[1:]], 0))
        c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
        mean0, mean1 = reducer(img1), reducer(img2)
        num0 = mean0 * mean1 * 2.0
        den0 = mean0 * mean0 + mean1 * mean1
        luminance = (num0 + c1) / (den0 + c1)
        cs = (reducer(img1 * img2) * 2.0 - num0 + c2) / (reducer(img1 * img1 + img2 * img2) - den0 + c2)
        per_channel = luminance * cs if return_index_map else reduce_mean(luminance * cs, [-3, -2])
        return reduce_mean(per_channel, [-1])
