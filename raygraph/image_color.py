"""`tf.image`'s color functions (image.py re-exports them): HSV, YUV and YIQ conversions, contrast, saturation,
hue and gamma adjustments and their seeded random forms, built as TF1's image_ops build them."""
from . import dtypes
from .convert import convert_to_tensor
from .default_graph import name_scope
from .image_core import convert_image_dtype
from .ops.control import Assert, with_dependencies
from .ops.linalg import tensordot
from .ops.random import random_uniform
from .ops.registry import apply_op
from .tensor import Tensor

_RGB_TO_YUV = [[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512],
               [0.114, 0.43601035, -0.10001026]]
_YUV_TO_RGB = [[1, 1, 1], [0, -0.394642334, 2.03206185], [1.13988303, -0.58062185, 0]]
_RGB_TO_YIQ = [[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617], [0.114, -0.32134392, 0.31119955]]
_YIQ_TO_RGB = [[1, 1, 1], [0.95598634, -0.27201283, -1.10674021], [0.6208248, -0.64720424, 1.70423049]]


def rgb_to_hsv(images, name=None):
    """RGB images (last dim 3, floats in [0, 1]) as hue, saturation, value."""
    return apply_op("RGBToHSV", [images], {}, name=name)


def hsv_to_rgb(images, name=None):
    """HSV images back to RGB."""
    return apply_op("HSVToRGB", [images], {}, name=name)


def _mix(images, kernel):
    images = convert_to_tensor(images, name="images")
    kernel = convert_to_tensor(kernel, dtype=images.dtype, name="kernel")
    ndims = images.shape.ndims
    return tensordot(images, kernel, axes=[[ndims - 1], [0]])


def rgb_to_yuv(images):
    """RGB images as YUV (a 3x3 matrix on the last dimension)."""
    return _mix(images, _RGB_TO_YUV)


def yuv_to_rgb(images):
    """YUV images as RGB."""
    return _mix(images, _YUV_TO_RGB)


def rgb_to_yiq(images):
    """RGB images as YIQ."""
    return _mix(images, _RGB_TO_YIQ)


def yiq_to_rgb(images):
    """YIQ images as RGB."""
    return _mix(images, _YIQ_TO_RGB)


# ----- adjustments: in float32, then back to the image's dtype (saturating) --------------------------------------
def _float(image, arg_name):
    image = convert_to_tensor(image, name=arg_name)
    orig = image.dtype.base_dtype
    return image if orig in (dtypes.float16, dtypes.float32) else convert_image_dtype(image, dtypes.float32), orig


def adjust_contrast(images, contrast_factor):
    """Each channel's deviation from its image mean scaled by `contrast_factor`."""
    with name_scope(None, "adjust_contrast", [images, contrast_factor]) as name:
        flt, orig = _float(images, "images")
        adjusted = apply_op("AdjustContrastv2", [flt, contrast_factor], {}, name=name)
        return convert_image_dtype(adjusted, orig, saturate=True)


def adjust_saturation(image, saturation_factor, name=None):
    """RGB images with their HSV saturation scaled by `saturation_factor` (clipped to [0, 1])."""
    with name_scope(name, "adjust_saturation", [image]):
        flt, orig = _float(image, "image")
        return convert_image_dtype(apply_op("AdjustSaturation", [flt, saturation_factor], {}), orig)


def adjust_hue(image, delta, name=None):
    """RGB images with their hue rotated by `delta` (a fraction of the circle, in [-1, 1])."""
    with name_scope(name, "adjust_hue", [image]):
        flt, orig = _float(image, "image")
        return convert_image_dtype(apply_op("AdjustHue", [flt, delta], {}), orig)


def adjust_gamma(image, gamma=1, gain=1):
    """`gain * image ** gamma` (in float32, for images of [0, 1] floats or integer images)."""
    with name_scope(None, "adjust_gamma", [image, gamma, gain]):
        flt, orig = _float(image, "image")
        if isinstance(gamma, Tensor):
            gamma = with_dependencies([Assert(gamma >= 0, ["Gamma should be a non-negative real number."])], gamma)
        elif gamma < 0:
            raise ValueError("Gamma should be a non-negative real number.")
        return convert_image_dtype(gain * flt ** gamma, orig, saturate=True)


# ----- seeded random adjustments ------------------------------------------------------------------------------
def random_contrast(image, lower, upper, seed=None):
    """`adjust_contrast` by a factor drawn uniformly from [lower, upper)."""
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    return adjust_contrast(image, random_uniform([], lower, upper, seed=seed))


def random_saturation(image, lower, upper, seed=None):
    """`adjust_saturation` by a factor drawn uniformly from [lower, upper)."""
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    return adjust_saturation(image, random_uniform([], lower, upper, seed=seed))


def random_hue(image, max_delta, seed=None):
    """`adjust_hue` by a delta drawn uniformly from [-max_delta, max_delta)."""
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_hue(image, random_uniform([], -max_delta, max_delta, seed=seed))


