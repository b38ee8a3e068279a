"""`tf.image`'s geometry (image.py re-exports it): rotations, crops and pads to a bounding box, resizing with crop,
pad or padding, crops of boxes and non-max suppression, and image differences (total variation, gradients,
Sobel edges, PSNR, SSIM and multi-scale SSIM), built as TF1's image_ops build them."""
import numpy as np

from . import dtypes
from .convert import constant, convert_to_tensor
from .default_graph import control_dependencies, name_scope
from .functional import case
from .image_core import ResizeMethod, at_least_3d_checks, convert_image_dtype, resize_images
from .ops.array import expand_dims, identity, rank, reshape, reverse, shape, shape_n, size, squeeze
from .ops.array import transpose as _transpose
from .ops.boxes import crop_and_resize, non_max_suppression  # noqa: F401 - tf.image names
from .ops.control import Assert, with_dependencies
from .ops.control_flow import cond
from .ops.conv import depthwise_conv2d
from .ops.filling import range as range_
from .ops.filling import zeros
from .ops.joining import concat, pad, stack, tile, unstack
from .ops.math import abs as abs_
from .ops.math import (
    cast,
    equal,
    floor,
    greater_equal,
    log,
    maximum,
    minimum,
    not_equal,
    square,
    squared_difference,
    subtract,
)
from .ops.math import pow as pow_
from .ops.nn import relu, softmax
from .ops.pooling import avg_pool
from .ops.reduction import reduce_all, reduce_any, reduce_mean, reduce_prod, reduce_sum
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


# ----- structural similarity: SSIM and multi-scale SSIM ---------------------------------------------------------
_MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)  # Wang et al.'s weights, finest scale first


def _verify_compatible_image_shapes(img1, img2):
    """Both shapes as tensors, and Asserts that the images have rank >= 3 and equal [height, width, channels];
    what the static shapes already contradict raises a ValueError now (TF's _verify_compatible_image_shapes)."""
    static1 = img1.shape.with_rank_at_least(3)
    static2 = img2.shape.with_rank_at_least(3)
    static1[-3:].assert_is_compatible_with(static2[-3:])
    if static1.ndims is not None and static2.ndims is not None:
        for d1, d2 in zip(reversed(static1.dims[:-3]), reversed(static2.dims[:-3])):
            if not (d1 == 1 or d2 == 1 or d1.is_compatible_with(d2)):
                raise ValueError(f"Two images are not compatible: {static1} and {static2}")
    shape1, shape2 = shape_n([img1, img2])
    checks = [Assert(greater_equal(size(shape1), 3), [shape1, shape2], summarize=10),
              Assert(reduce_all(equal(shape1[-3:], shape2[-3:])), [shape1, shape2], summarize=10)]
    return shape1, shape2, checks


def _gaussian_kernel(n, sigma):
    """An [n, n, 1, 1] Gaussian window of width sigma summing to 1 (MATLAB's fspecial), built as ops."""
    coords = cast(range_(n), sigma.dtype)
    coords -= cast(n - 1, sigma.dtype) / 2.0
    g = square(coords)
    g *= -0.5 / square(sigma)
    g = reshape(g, [1, -1]) + reshape(g, [-1, 1])
    return reshape(softmax(reshape(g, [1, -1])), [n, n, 1, 1])


def _ssim_per_channel(img1, img2, max_val, filter_size, filter_sigma, k1, k2, return_index_map=False):
    """(SSIM, contrast-structure) per channel of float image batches: their means over height and width,
    or the local maps for `return_index_map` (TF's _ssim_per_channel and _ssim_helper)."""
    filter_size = constant(filter_size, dtypes.int32)
    filter_sigma = constant(filter_sigma, img1.dtype)
    shape1, shape2 = shape_n([img1, img2])
    checks = [Assert(reduce_all(greater_equal(s[-3:-1], filter_size)), [s, filter_size], summarize=8)
              for s in (shape1, shape2)]
    with control_dependencies(checks):
        img1 = identity(img1)
    kernel = tile(_gaussian_kernel(filter_size, filter_sigma), [1, 1, shape1[-1], 1])

    def reducer(x):  # the Gaussian-weighted local mean over each image's height and width
        s = shape(x)
        y = depthwise_conv2d(reshape(x, concat([[-1], s[-3:]], 0)), kernel, [1, 1, 1, 1], "VALID")
        return reshape(y, concat([s[:-3], shape(y)[1:]], 0))

    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mean1, mean2 = reducer(img1), reducer(img2)
    num0 = mean1 * mean2 * 2.0
    den0 = square(mean1) + square(mean2)
    luminance = (num0 + c1) / (den0 + c1)
    num1 = reducer(img1 * img2) * 2.0
    den1 = reducer(square(img1) + square(img2))
    c2 *= 1.0  # TF's compensation factor, kept at 1 as MATLAB's MS-SSIM has it
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    if return_index_map:
        return luminance * cs, cs
    axes = constant([-3, -2], dtypes.int32)
    return reduce_mean(luminance * cs, axes), reduce_mean(cs, axes)


def _checked_float_images(img1, img2, max_val):
    """Both images (after the checks of _verify_compatible_image_shapes) and max_val in float32, max_val rescaled
    as the images are; with the images' shape tensors."""
    img1 = convert_to_tensor(img1, name="img1")
    img2 = convert_to_tensor(img2, name="img2")
    shape1, shape2, checks = _verify_compatible_image_shapes(img1, img2)
    with control_dependencies(checks):
        img1 = identity(img1)
    max_val = convert_image_dtype(cast(max_val, img1.dtype), dtypes.float32)
    img1, img2 = convert_image_dtype(img1, dtypes.float32), convert_image_dtype(img2, dtypes.float32)
    return img1, img2, max_val, shape1, shape2


def ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, return_index_map=False):
    """Structural similarity of two image batches (per image, averaged over channels), with Wang et al.'s
    Gaussian window; `return_index_map` gives the local map instead of its mean."""
    with name_scope(None, "SSIM", [img1, img2]):
        img1, img2, max_val, _, _ = _checked_float_images(img1, img2, max_val)
        per_channel, _ = _ssim_per_channel(img1, img2, max_val, filter_size, filter_sigma, k1, k2, return_index_map)
        return reduce_mean(per_channel, [-1])


def _halve(imgs, heads, tails, divisor):
    """Both image batches average-pooled 2 x 2 (an odd height or width first padded by its mirrored last row or
    column), reshaped back to their batch dims; with their new [height, width, channels]. `divisor` is the
    tensor [2, 2, 1]."""
    flat = [reshape(x, concat([[-1], t], 0)) for x, t in zip(imgs, tails)]
    remainder = tails[0] % divisor

    def pad_ends():
        paddings = pad(expand_dims(remainder, -1), [[1, 0], [1, 0]])
        return [pad(x, paddings, mode="SYMMETRIC") for x in flat]

    padded = cond(reduce_any(not_equal(remainder, 0)), pad_ends, lambda: flat)
    pooled = [avg_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID") for x in padded]
    tails = [s[1:] for s in shape_n(pooled)]
    return [reshape(x, concat([h, t], 0)) for x, h, t in zip(pooled, heads, tails)], tails


def ssim_multiscale(img1, img2, max_val, power_factors=_MSSSIM_WEIGHTS, filter_size=11, filter_sigma=1.5, k1=0.01,
                    k2=0.03):
    """Multi-scale SSIM of two image batches (per image, averaged over channels): the contrast-structure
    measures of each halving scale but the coarsest and that scale's SSIM, clipped at 0, raised to
    `power_factors` (one per scale) and multiplied."""
    with name_scope(None, "MS-SSIM", [img1, img2]):
        img1, img2, max_val, shape1, shape2 = _checked_float_images(img1, img2, max_val)
        imgs = [img1, img2]
        heads = [s[:-3] for s in (shape1, shape2)]
        tails = [s[-3:] for s in (shape1, shape2)]
        divisor = constant([2, 2, 1], dtypes.int32)
        mcs = []
        for k in range(len(power_factors)):
            with name_scope(None, f"Scale{k}", imgs):
                if k:
                    imgs, tails = _halve(imgs, heads, tails, divisor)
                per_channel, cs = _ssim_per_channel(*imgs, max_val, filter_size, filter_sigma, k1, k2)
                mcs.append(relu(cs))
        mcs.pop()  # the coarsest scale contributes its whole SSIM (luminance too), not its contrast-structure
        scores = stack(mcs + [relu(per_channel)], axis=-1)
        return reduce_mean(reduce_prod(pow_(scores, power_factors), [-1]), [-1])
