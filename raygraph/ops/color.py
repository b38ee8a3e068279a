"""Color ops on the last dimension (RGB): `RGBToHSV`, `HSVToRGB`, and the adjustments `AdjustContrastv2`,
`AdjustSaturation`, `AdjustHue`, each computed in float32 as TF's kernels compute them."""
import numpy as np

from ..errors import InvalidArgumentError
from .filling import ones_like
from .joining import stack
from .math import cast, div_no_nan, square
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, op
from .shape_fns import same_shape, with_rank

_F32 = np.float32


def _check_rgb(x, name="input"):
    if np.ndim(x) < 1 or np.shape(x)[-1] != 3:
        raise InvalidArgumentError(None, None, f"{name} must have 3 channels but input only has "
                                               f"{np.shape(x)[-1] if np.ndim(x) else 0} channels.")


def _rgb_channels_shape(inputs, a):
    d = inputs[0].shape
    if d.ndims is not None:
        if d.ndims < 1:
            raise ValueError("Shape must be at least rank 1 but is rank 0")
        if d.as_list()[-1] not in (None, 3):
            raise ValueError(f"Dimension must be 3 but is {d.as_list()[-1]}")
    return same_shape(inputs, a)


# ----- RGB <-> HSV (TF's Eigen kernels) -------------------------------------------------------------------------
def _rgb_to_hsv_kernel(a, x):
    _check_rgb(x)
    dt = x.dtype.type
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    v = np.maximum(np.maximum(r, g), b)
    rng = v - np.minimum(np.minimum(r, g), b)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(v > 0, rng / v, dt(0))
        norm = (dt(1) / rng) * (dt(1) / dt(6))
        h = np.where(r == v, norm * (g - b), np.where(g == v, norm * (b - r) + dt(2) / dt(6),
                                                      norm * (r - g) + dt(4) / dt(6)))
    h = np.where(rng > 0, h, dt(0))
    h = np.where(h < 0, h + dt(1), h)
    return np.stack([h, s, v], -1).astype(x.dtype)


def _hsv_to_rgb_kernel(a, x):
    _check_rgb(x)
    dt = x.dtype.type
    h, s, v = x[..., 0], x[..., 1], x[..., 2]
    dh = h * dt(6)
    dr = np.clip(np.abs(dh - dt(3)) - dt(1), dt(0), dt(1))
    dg = np.clip(-np.abs(dh - dt(2)) + dt(2), dt(0), dt(1))
    db = np.clip(-np.abs(dh - dt(4)) + dt(2), dt(0), dt(1))
    one_minus_s = dt(1) - s
    return np.stack([(one_minus_s + s * c) * v for c in (dr, dg, db)], -1).astype(x.dtype)


# ----- adjustments (per pixel, in float32) ------------------------------------------------------------------
def _check_images(images, factor, what):
    if np.ndim(images) < 3:
        raise InvalidArgumentError(None, None, f"input must be at least 3-D, got shape {list(np.shape(images))}")
    if np.ndim(factor) != 0:
        raise InvalidArgumentError(None, None, f"{what} must be scalar: {list(np.shape(factor))}")


def _contrast_kernel(a, images, factor):
    _check_images(images, factor, "contrast_factor")
    x = images.astype(_F32)
    mean = x.mean(axis=(-3, -2), keepdims=True, dtype=np.float64).astype(_F32)
    return ((x - mean) * _F32(factor) + mean).astype(images.dtype)


def _hsv_parts(r, g, b):
    """TF's adjust_saturation rgb_to_hsv: (h, s, v) in float32, the hue's +2/6 and +4/6 added in double."""
    v = np.maximum(r, np.maximum(g, b))
    rng = v - np.minimum(r, np.minimum(g, b))
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(v > 0, rng / v, _F32(0))
        norm = _F32(1) / (_F32(6) * rng)
        h = np.where(r == v, norm * (g - b),
                     np.where(g == v, ((norm * (b - r)).astype(np.float64) + 2.0 / 6.0).astype(_F32),
                              ((norm * (r - g)).astype(np.float64) + 4.0 / 6.0).astype(_F32)))
    h = np.where(rng <= 0, _F32(0), h)
    return np.where(h < 0, h + _F32(1), h).astype(_F32), s.astype(_F32), v


def _hsv_to_rgb_parts(h, s, v):
    c = s * v
    m = v - c
    dh = h * _F32(6)
    category = dh.astype(np.int64)
    fmodu = dh.copy()
    while np.any(fmodu <= 0):
        fmodu = np.where(fmodu <= 0, fmodu + _F32(2), fmodu)
    while np.any(fmodu >= 2):
        fmodu = np.where(fmodu >= 2, fmodu - _F32(2), fmodu)
    x = c * (_F32(1) - np.abs(fmodu - _F32(1)))
    z = np.zeros_like(c)
    table = {0: (c, x, z), 1: (x, c, z), 2: (z, c, x), 3: (z, x, c), 4: (x, z, c), 5: (c, z, x)}
    out = [z + m, z + m, z + m]
    for k, parts in table.items():
        for i in range(3):
            out[i] = np.where(category == k, parts[i] + m, out[i])
    return out


def _saturation_kernel(a, images, scale):
    _check_images(images, scale, "scale")
    _check_rgb(images, "input")
    x = images.astype(_F32)
    h, s, v = _hsv_parts(x[..., 0], x[..., 1], x[..., 2])
    s = np.clip(s * _F32(scale), _F32(0), _F32(1))
    return np.stack(_hsv_to_rgb_parts(h, s, v), -1).astype(images.dtype)


def _hue_kernel(a, images, delta):
    """TF's adjust_hue: hue as a category 0..5 plus a ratio, shifted by 6 * delta and wrapped into [0, 6)."""
    _check_images(images, delta, "delta_h")
    _check_rgb(images, "input")
    x = images.astype(_F32)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    rg, br, bg = r < g, b < r, b > g
    gb, bgt = b < g, b > r
    cat = np.where(rg, np.where(br, 1, np.where(bg, 3, 2)), np.where(gb, 0, np.where(bgt, 4, 5)))
    hi = np.where(rg, np.where(bg, b, g), np.where(bgt, b, r))
    lo = np.where(rg, np.where(br, b, r), np.where(gb, b, g))
    mid = np.where(rg, np.where(br, r, np.where(bg, g, b)), np.where(gb, g, np.where(bgt, r, b)))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (mid - lo) / (hi - lo)
    h = np.where(hi == lo, _F32(0), cat.astype(_F32) + np.where(cat % 2 == 0, ratio, _F32(1) - ratio))
    h = (h + _F32(delta) * _F32(6)).astype(_F32)
    while np.any(h < 0):
        h = np.where(h < 0, h + _F32(6), h)
    while np.any(h >= 6):
        h = np.where(h >= 6, h - _F32(6), h)
    cat = h.astype(np.int64)
    ratio = h - cat.astype(_F32)
    ratio = np.where(cat % 2 == 0, ratio, _F32(1) - ratio)
    mid = lo + ratio * (hi - lo)
    table = {0: (hi, mid, lo), 1: (mid, hi, lo), 2: (lo, hi, mid), 3: (lo, mid, hi), 4: (mid, lo, hi)}
    out = [hi, lo, mid]  # category 5
    for k, parts in table.items():
        out = [np.where(cat == k, p, o) for p, o in zip(parts, out)]
    return np.stack(out, -1).astype(images.dtype)


def _adjust_shape(inputs, a):
    d = inputs[0].shape
    if d.ndims is not None and d.ndims < 3:
        raise ValueError(f"Shape must be at least rank 3 but is rank {d.ndims}")
    with_rank(inputs[1], 0)
    return same_shape(inputs[:1], a)


def _rgb_to_hsv_grad(op, grad):
    """TF's _RGBToHSVGrad: per channel, the value's, saturation's and hue's piecewise partial derivatives, each
    selected by which channel is the pixel's largest / smallest (ties broken R, G, B)."""
    x, hsv = op.inputs[0], op.outputs[0]
    dtype = x.dtype.base_dtype
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    sat, val = hsv[..., 1], hsv[..., 2]
    big = {"r": cast((r >= b) & (r >= g), dtype), "g": cast((g > r) & (g >= b), dtype),
           "b": cast((b > r) & (b > g), dtype)}
    small = {"r": cast((r < b) & (r < g), dtype), "g": cast((g <= r) & (g < b), dtype),
             "b": cast((b <= r) & (b <= g), dtype)}
    ch = {"r": r, "g": g, "b": b}
    pos = {k: cast(v > 0, dtype) for k, v in ch.items()}

    def rec(t):
        return div_no_nan(ones_like(t), t)

    def d_sat(c, o1, o2):
        return pos[c] * (big[c] * (small[o1] * ch[o1] + small[o2] * ch[o2]) * rec(square(ch[c]))
                         - small[c] * rec(big[o1] * ch[o1] + big[o2] * ch[o2]))

    def d_hue(c, n, p, terms):
        first = -pos[c] * big[c] * (ch[n] - ch[p]) * rec(square(sat)) * rec(square(val))
        rest = [pos[w] * big[w] * small[s_] * num * (rec(square(den)) if sq else rec(den))
                for w, s_, num, den, sq in terms]
        return (60 * first + sum(60 * t for t in rest)) / 360

    hue = {"r": d_hue("r", "g", "b", [("g", "r", b - g, r - g, True), ("g", "b", -1.0, g - b, False),
                                      ("b", "r", b - g, b - r, True), ("b", "g", 1.0, b - g, False)]),
           "g": d_hue("g", "b", "r", [("r", "g", r - b, r - g, True), ("r", "b", 1.0, r - b, False),
                                      ("b", "g", r - b, b - g, True), ("b", "r", -1.0, b - r, False)]),
           "b": d_hue("b", "r", "g", [("r", "b", g - r, r - b, True), ("r", "g", -1.0, r - g, False),
                                      ("g", "b", g - r, g - b, True), ("g", "r", 1.0, g - r, False)])}
    sats = {"r": d_sat("r", "g", "b"), "g": d_sat("g", "r", "b"), "b": d_sat("b", "g", "r")}
    return [stack([grad[..., 2] * big[c] + grad[..., 1] * sats[c] + grad[..., 0] * hue[c] for c in "rgb"], axis=-1)]


op("RGBToHSV", "images:T", kernel=_rgb_to_hsv_kernel, shape=_rgb_channels_shape, grad=_rgb_to_hsv_grad,
   T="float16 bfloat16 float32 float64")
op("HSVToRGB", "images:T", kernel=_hsv_to_rgb_kernel, shape=_rgb_channels_shape, grad=NOT_DIFFERENTIABLE,
   T="float16 bfloat16 float32 float64")
op("AdjustContrastv2", "images:T, contrast_factor:float32", kernel=_contrast_kernel, shape=_adjust_shape,
   grad=NO_GRADIENT_DEFINED, T="float16 float32")
op("AdjustSaturation", "images:T, scale:float32", kernel=_saturation_kernel, shape=_adjust_shape,
   grad=NO_GRADIENT_DEFINED, T="float16 float32")
op("AdjustHue", "images:T, delta:float32", kernel=_hue_kernel, shape=_adjust_shape, grad=NO_GRADIENT_DEFINED,
   T="float16 float32")
