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
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, apply_op, op
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
    img = images.astype(np.float32, copy=False)
    lx = lx[None, None, :, None]
    upper, lower = np.take(img, y0, axis=1), np.take(img, y1, axis=1)   # (each row gathered once: a 64x64x3
    top_left, bottom_left = np.take(upper, x0, axis=2), np.take(lower, x0, axis=2)   # image 221 -> 107 us)
    top = top_left + (np.take(upper, x1, axis=2) - top_left) * lx
    bottom = bottom_left + (np.take(lower, x1, axis=2) - bottom_left) * lx
    return top + (bottom - top) * ly[None, :, None, None]


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


# ----- bicubic (Keys' cubic kernel, TF's 1024-entry coefficient table) and area resizing ----------------------
_TABLE = 1024


def _cubic_table(a):
    x = np.arange(_TABLE + 1, dtype=np.float64) / _TABLE
    near = (((a + 2) * x - (a + 3)) * x * x + 1).astype(np.float32)
    x = x + 1.0
    far = (((a * x - 5 * a) * x + 8 * a) * x - 4 * a).astype(np.float32)
    return near, far


_CUBIC = {False: _cubic_table(-0.75), True: _cubic_table(-0.5)}


def _bicubic_table(n_in, n_out, a):
    """Per output position: four input indices and their weights (TF's GetWeightsAndIndices): legacy edges
    repeat the border pixel; half-pixel sampling drops outside taps and renormalizes."""
    hp = a["half_pixel_centers"]
    s = _scale(n_in, n_out, a["align_corners"])
    pos = np.arange(n_out, dtype=np.float32)
    where = ((pos + np.float32(0.5)) * s - np.float32(0.5)) if hp else pos * s
    loc = np.floor(where).astype(np.int64)
    offset = np.rint((where - loc.astype(np.float32)) * np.float32(_TABLE)).astype(np.int64)
    near, far = _CUBIC[hp]
    raw = [loc - 1, loc, loc + 1, loc + 2]
    idx = [np.clip(i, 0, n_in - 1) for i in raw]
    w = [far[offset], near[offset], near[_TABLE - offset], far[_TABLE - offset]]
    if hp:
        w = [np.where(i == r, wi, np.float32(0)) for i, r, wi in zip(idx, raw, w)]
        total = w[0] + w[1] + w[2] + w[3]
        ok = np.abs(total) >= np.float32(1000) * np.finfo(np.float32).tiny
        inv = np.where(ok, np.float32(1) / np.where(ok, total, 1), np.float32(1))
        w = [np.where(ok, wi * inv, wi) for wi in w]
    return idx, w


def _resize_bicubic_kernel(a, images, size):
    _check_images(images, "ResizeBicubic")
    h, w = _check_size(size)
    ys, wy = _bicubic_table(images.shape[1], h, a)
    xs, wx = _bicubic_table(images.shape[2], w, a)
    img = images.astype(np.float32)
    rows = []
    for yi in ys:  # each of the four rows, interpolated along x first (as TF caches them)
        r = img[:, yi]
        rows.append(r[:, :, xs[0]] * wx[0][None, None, :, None] + r[:, :, xs[1]] * wx[1][None, None, :, None]
                    + r[:, :, xs[2]] * wx[2][None, None, :, None] + r[:, :, xs[3]] * wx[3][None, None, :, None])
    wy = [v[None, :, None, None] for v in wy]
    return rows[0] * wy[0] + rows[1] * wy[1] + rows[2] * wy[2] + rows[3] * wy[3]


def _resize_bicubic_grad_kernel(a, grads, original):
    ys, wy = _bicubic_table(original.shape[1], grads.shape[1], a)
    xs, wx = _bicubic_table(original.shape[2], grads.shape[2], a)
    out = np.zeros(original.shape, np.float64)
    g = grads.astype(np.float64)
    for yi, wyi in zip(ys, wy):
        for xi, wxi in zip(xs, wx):
            np.add.at(out, (slice(None), yi[:, None], xi[None, :]), g * wyi[None, :, None, None] * wxi[None, None, :, None])
    return out.astype(original.dtype)


def _area_table(n_in, n_out, align_corners):
    """Per output position: the input cells it covers (bounded) and how much of each (TF's ResizeArea)."""
    s = _scale(n_in, n_out, align_corners)
    out = []
    for y in range(n_out):
        lo, hi = np.float32(y) * s, np.float32(y + 1) * s
        cells = np.arange(int(np.floor(lo)), int(np.ceil(hi)))
        cover = [np.float32(s if i + 1 > hi else i + 1 - lo) if i < lo else np.float32(hi - i if i + 1 > hi else 1.0)
                 for i in cells]
        out.append((np.minimum(cells, n_in - 1), np.array(cover, np.float32)))
    return out, s


def _resize_area_kernel(a, images, size):
    _check_images(images, "ResizeArea")
    h, w = _check_size(size)
    img = images.astype(np.float32)
    rows, sy = _area_table(images.shape[1], h, a["align_corners"])
    cols, sx = _area_table(images.shape[2], w, a["align_corners"])
    scale = np.float32(1.0 / (sy * sx))
    out = np.zeros((images.shape[0], h, w, images.shape[3]), np.float32)
    for x, (xi, xw) in enumerate(cols):
        across = img[:, :, xi[0]] * xw[0]  # first cell by its share, middle cells whole, last by its share
        for j in range(1, len(xi) - 1):
            across = across + img[:, :, xi[j]]
        if len(xi) > 1:
            across = across + img[:, :, xi[-1]] * xw[-1]
        for y, (yi, yw) in enumerate(rows):
            total = np.zeros((images.shape[0], images.shape[3]), np.float32)
            for j in range(len(yi)):
                total = total + across[:, yi[j]] * yw[j]
            out[:, y, x] = total * scale
    return out


def _bicubic_grad(op, g):
    return [apply_op("ResizeBicubicGrad", [g, op.inputs[0]], _attrs(op)), None]


op("ResizeBicubic", "images:T, size:int32", kernel=_resize_bicubic_kernel, shape=_resized_shape(dtypes.float32),
   grad=_bicubic_grad, T=_RESIZE_T)
op("ResizeBicubicGrad", "grads:float32, original_image:T", kernel=_resize_bicubic_grad_kernel,
   shape=_bilinear_grad_shape, grad=NO_GRADIENT_DEFINED, T="float32 float64")
op("ResizeArea", "images:T, size:int32", kernel=_resize_area_kernel, shape=_resized_shape(dtypes.float32),
   grad=NO_GRADIENT_DEFINED, T=_RESIZE_T)


def resize_bicubic(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """`images` (NHWC) resized to `size` by bicubic interpolation; float32."""
    return apply_op("ResizeBicubic", [images, size],
                    {"align_corners": bool(align_corners), "half_pixel_centers": bool(half_pixel_centers)}, name=name)


def resize_area(images, size, align_corners=False, name=None):
    """`images` (NHWC) resized to `size` by averaging the input area each output pixel covers; float32."""
    return apply_op("ResizeArea", [images, size], {"align_corners": bool(align_corners)}, name=name)
