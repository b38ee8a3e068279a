"""Image resizing ops on NHWC batches: `ResizeBilinear`, `ResizeNearestNeighbor` and their gradient ops,
with TF1's `align_corners` and `half_pixel_centers` sampling.

Each output row (column) samples the input at `scale * y` (`scale * (y + 0.5) - 0.5` with half-pixel
centers for bilinear, `scale * (y + 0.5)` for nearest), where `scale` is `in / out`, or `(in - 1) / (out - 1)`
with `align_corners`. A resize is separable: one index/weight table per axis does the whole batch.
"""
import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import shape as shape_of
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import constant_value, dims

_RESIZE_T = "int8 uint8 int16 uint16 int32 int64 bfloat16 float16 float32 float64"


def _scale(n_in, n_out, align_corners):
    if align_corners and n_out > 1:
        return np.float32((n_in - 1) / np.float32(n_out - 1))
    return np.float32(n_in / np.float32(n_out))


def _bilinear_table(n_in, n_out, a):
    """Per output position: the two input positions it mixes and the weight of the upper one."""
    s = _scale(n_in, n_out, a["align_corners"])
    pos = np.arange(n_out, dtype=np.float32)
    where = (pos + 0.5) * s - 0.5 if a["half_pixel_centers"] else pos * s
    floor = np.floor(where)
    lo = np.maximum(floor, 0).astype(np.int64)
    hi = np.minimum(np.ceil(where), n_in - 1).astype(np.int64)
    return lo, hi, (where - floor).astype(np.float32)


def _nearest_table(n_in, n_out, a):
    s = _scale(n_in, n_out, a["align_corners"])
    pos = np.arange(n_out, dtype=np.float32)
    where = (pos + 0.5) * s if a["half_pixel_centers"] else pos * s
    idx = np.floor(where + np.float32(0.5)) if a["align_corners"] else np.floor(where)
    idx = np.minimum(idx.astype(np.int64), n_in - 1)
    return np.maximum(idx, 0) if a["half_pixel_centers"] else idx


def _check_size(size):
    size = np.asarray(size)
    if size.shape != (2,):
        raise InvalidArgumentError(None, None, f"shape_t must be 1-dimensional and have 2 elements {list(size.shape)}")
    if np.any(size <= 0):
        raise InvalidArgumentError(None, None, f"output dimensions must be positive, got {size.tolist()}")
    return int(size[0]), int(size[1])


def _check_images(images, op_name):
    if images.ndim != 4:
        raise InvalidArgumentError(None, None, f"input must be 4-dimensional{list(images.shape)}")
    if images.shape[1] == 0 or images.shape[2] == 0:
        raise InvalidArgumentError(None, None, f"{op_name}: input image must be of non-zero size")


def _resize_bilinear_kernel(a, images, size):
    _check_images(images, "ResizeBilinear")
    h, w = _check_size(size)
    y0, y1, ly = _bilinear_table(images.shape[1], h, a)
    x0, x1, lx = _bilinear_table(images.shape[2], w, a)
    img = images.astype(np.float32)
    lx = lx[None, None, :, None]
    top = img[:, y0][:, :, x0] + (img[:, y0][:, :, x1] - img[:, y0][:, :, x0]) * lx
    bottom = img[:, y1][:, :, x0] + (img[:, y1][:, :, x1] - img[:, y1][:, :, x0]) * lx
    return (top + (bottom - top) * ly[None, :, None, None]).astype(np.float32)


def _resize_bilinear_grad_kernel(a, grads, original):
    n_h, n_w = original.shape[1], original.shape[2]
    y0, y1, ly = _bilinear_table(n_h, grads.shape[1], a)
    x0, x1, lx = _bilinear_table(n_w, grads.shape[2], a)
    out = np.zeros(original.shape, np.float64)
    g = grads.astype(np.float64)
    for ys, wy in ((y0, 1 - ly), (y1, ly)):
        for xs, wx in ((x0, 1 - lx), (x1, lx)):
            weighted = g * wy[None, :, None, None] * wx[None, None, :, None]
            np.add.at(out, (slice(None), ys[:, None], xs[None, :]), weighted)
    return out.astype(original.dtype)


def _resize_nearest_kernel(a, images, size):
    _check_images(images, "ResizeNearestNeighbor")
    h, w = _check_size(size)
    ys = _nearest_table(images.shape[1], h, a)
    xs = _nearest_table(images.shape[2], w, a)
    return images[:, ys][:, :, xs]


def _resize_nearest_grad_kernel(a, grads, size):
    h, w = _check_size(size)
    ys = _nearest_table(h, grads.shape[1], a)
    xs = _nearest_table(w, grads.shape[2], a)
    out = np.zeros((grads.shape[0], h, w, grads.shape[3]), grads.dtype)
    np.add.at(out, (slice(None), ys[:, None], xs[None, :]), grads)
    return out


# ----- shapes ----------------------------------------------------------------------------------------------------
def _rank4(t):
    d = dims(t)
    if d is not None and len(d) != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {len(d)}")
    return (None,) * 4 if d is None else d


def _size_dims(size):
    d = dims(size)
    if d is not None and (len(d) != 1 or d[0] not in (None, 2)):
        raise ValueError(f"Shape must be rank 1 but is rank {len(d)}" if len(d) != 1 else
                         f"Dimension must be 2 but is {d[0]}")
    v = constant_value(size)
    return (None, None) if v is None else (int(v[0]), int(v[1]))


def _resized_shape(out_dtype):
    def fn(inputs, a):
        images, size = inputs
        d = _rank4(images)
        h, w = _size_dims(size)
        return out_dtype or images.dtype.base_dtype, TensorShape._raw((d[0], h, w, d[3]))
    return fn


def _bilinear_grad_shape(inputs, a):
    grads, original = inputs
    _rank4(grads)
    return original.dtype.base_dtype, TensorShape._raw(_rank4(original))


def _attrs(op):
    return {"align_corners": op.get_attr("align_corners"), "half_pixel_centers": op.get_attr("half_pixel_centers")}


def _bilinear_grad(op, g):
    return [apply_op("ResizeBilinearGrad", [g, op.inputs[0]], _attrs(op)), None]


def _nearest_grad(op, g):
    image = op.inputs[0]
    hw = image.shape[1:3]
    size = hw.as_list() if hw.is_fully_defined() else shape_of(image)[1:3]
    return [apply_op("ResizeNearestNeighborGrad", [g, size], _attrs(op)), None]


op("ResizeBilinear", "images:T, size:int32", kernel=_resize_bilinear_kernel, shape=_resized_shape(dtypes.float32),
   grad=_bilinear_grad, T=_RESIZE_T)
op("ResizeBilinearGrad", "grads:float32, original_image:T", kernel=_resize_bilinear_grad_kernel,
   shape=_bilinear_grad_shape, grad=NOT_DIFFERENTIABLE, T="float32 bfloat16 float16 float64")
op("ResizeNearestNeighbor", "images:T, size:int32", kernel=_resize_nearest_kernel, shape=_resized_shape(None),
   grad=_nearest_grad, T=_RESIZE_T)
op("ResizeNearestNeighborGrad", "grads:T, size:int32", kernel=_resize_nearest_grad_kernel,
   shape=_resized_shape(None), grad=NOT_DIFFERENTIABLE, T="uint8 int8 int32 float16 float32 float64 bfloat16")


def resize_bilinear(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """`images` (NHWC) resized to `size` by bilinear interpolation; float32."""
    return apply_op("ResizeBilinear", [images, size],
                    {"align_corners": bool(align_corners), "half_pixel_centers": bool(half_pixel_centers)}, name=name)


def resize_nearest_neighbor(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """`images` (NHWC) resized to `size` by taking the nearest pixel; same dtype."""
    return apply_op("ResizeNearestNeighbor", [images, size],
                    {"align_corners": bool(align_corners), "half_pixel_centers": bool(half_pixel_centers)}, name=name)
