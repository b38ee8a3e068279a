"""Glimpses (`tf.image.extract_glimpse`): ops `ExtractGlimpse` (what TF1's wrapper builds) and `ExtractGlimpseV2`,
as TF's kernel (attention_ops.cc over Eigen's eigen_attention.h) computes them.

Each batch entry's window of `size` is placed at its offset (y, x), made a pixel position in float32 and truncated
toward zero to the window's top-left corner. V1 always takes half the window off that position (so an offset
names the window's centre), V2 only for normalized and centered offsets. Where the window leaves the image it is
noise: uniform over the entry's [min, max) (all channels), gaussian with each channel's mean and standard
deviation (clipped to the channel's range), or zero. The noise is drawn once per run: TF's Eigen generator
restarts for every batch entry (and, for gaussian noise, every channel), so they all share the same draws.
"""
import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import constant_value, with_rank

_F32 = np.float32


def _bad(message):
    return InvalidArgumentError(None, None, message)


def _text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _noise_attr(a):
    return a["noise"].decode() if isinstance(a["noise"], bytes) else a["noise"]


def _noise_mode(a):
    """uniform, gaussian or zero ("" leaves it to uniform_noise; the shape function refused a conflict)."""
    noise = _noise_attr(a)
    if not noise:
        return "uniform" if a["uniform_noise"] else "gaussian"
    if noise not in ("uniform", "gaussian", "zero"):
        raise _bad(f"The noise could only be uniform, gaussian, or zero, got{noise}")
    return noise


def _corner(a, version, offset, image_hw, window_hw):
    """The window's top-left pixel along one axis, from its offset (float32 arithmetic, as the kernel)."""
    v, n, w = _F32(offset), _F32(image_hw), _F32(window_hw)
    if a["normalized"]:
        v = v * n
    if a["centered"] and (version == 1 or a["normalized"]):
        v = v / _F32(2) + n / _F32(2)
    elif a["centered"]:
        v = v + n / _F32(2)
    if version == 1 or (a["normalized"] and a["centered"]):
        v = v - w / _F32(2)
    return int(v)  # the kernel's cast to an index: toward zero


def _noise(mode, image, shape, rng):
    """The fill of one entry's window: [height, width, channels]."""
    if mode == "zero":
        return np.zeros(shape, _F32)
    if mode == "uniform":
        return image.min() + rng["uniform"] * (image.max() - image.min())
    mean = image.mean(axis=(0, 1), dtype=_F32)
    sigma = np.sqrt(np.mean(np.square(image - mean), axis=(0, 1), dtype=_F32))
    return np.clip(mean + rng["normal"][..., None] * sigma, image.min(axis=(0, 1)), image.max(axis=(0, 1)))


def _overlap(start, size, n):
    """Along one axis: the image's cells a window of `size` from `start` covers, and where they go in it."""
    lo, hi = max(start, 0), max(min(start + size, n), max(start, 0))
    return slice(lo, hi), slice(lo - start, hi - start)


def _glimpse_kernel(version):
    def kernel(a, image, size, offsets):
        mode = _noise_mode(a)
        if image.ndim != 4:
            raise _bad(f"input must be 4-dimensional (batch_size, height, width, depth){_text(image.shape)}")
        if size.shape != (2,):
            raise _bad(f"input must be a vector of size 2 (height, width){_text(size.shape)}")
        gh, gw = int(size[0]), int(size[1])
        for d in (gh, gw):
            if d < 0:
                raise _bad(f"Expected a non-negative size, got {d}")
        if offsets.ndim != 2:
            raise _bad(f"input must be a matrix{_text(offsets.shape)}")
        if offsets.shape[0] != image.shape[0]:
            raise _bad(f"first dimension should be batch{_text(offsets.shape)}")
        if offsets.shape[1] != 2:
            raise _bad(f"second dimension should be of size 2 (y,x){_text(offsets.shape)}")
        batch, h, w, c = image.shape
        out = np.zeros((batch, gh, gw, c), _F32)
        if out.size == 0:
            return out
        gen = np.random.default_rng()
        rng = {"uniform": gen.random((gh, gw, c), _F32), "normal": gen.standard_normal((gh, gw), _F32)}
        for i in range(batch):
            y0 = _corner(a, version, offsets[i, 0], h, gh)
            x0 = _corner(a, version, offsets[i, 1], w, gw)
            if y0 < 0 or x0 < 0 or y0 + gh >= h or x0 + gw >= w:  # partly outside: noise first
                out[i] = _noise(mode, image[i], (gh, gw, c), rng)
            (src_y, dst_y), (src_x, dst_x) = _overlap(y0, gh, h), _overlap(x0, gw, w)
            out[i, dst_y, dst_x] = image[i, src_y, src_x]
        return out
    return kernel


def _glimpse_shape(inputs, a):
    image, size, offsets = inputs
    d = with_rank(image, 4)
    o = with_rank(offsets, 2)
    if None not in (d[0], o[0]) and d[0] != o[0]:
        raise ValueError(f"Dimensions must be equal, but are {d[0]} and {o[0]}")
    batch = o[0] if d[0] is None else d[0]
    if o[1] not in (None, 2):
        raise ValueError(f"Dimension must be 2 but is {o[1]}")
    if a["uniform_noise"] and _noise_attr(a) not in ("", "uniform"):
        raise ValueError("The uniform_noise should not be True when noise is not uniform")
    s = with_rank(size, 1)
    if s[0] not in (None, 2):
        raise ValueError(f"Dimension must be 2 but is {s[0]}")
    value = constant_value(size)
    hw = (None, None) if value is None else tuple(None if int(v) == -1 else int(v) for v in value)
    return dtypes.float32, TensorShape._raw((batch,) + hw + (d[3],))


op("ExtractGlimpse", "input:float32, size:int32, offsets:float32", kernel=_glimpse_kernel(1), shape=_glimpse_shape,
   grad=NOT_DIFFERENTIABLE)
op("ExtractGlimpseV2", "input:float32, size:int32, offsets:float32", kernel=_glimpse_kernel(2),
   shape=_glimpse_shape, grad=NOT_DIFFERENTIABLE)


def _bool(value, name):
    if value is None:  # TF's wrapper: None is the attr's default
        return True
    if not isinstance(value, bool):
        raise TypeError(f"Expected bool for argument '{name}' not {value!r}.")
    return value


def extract_glimpse(input, size, offsets, centered=True, normalized=True, uniform_noise=True, name=None):
    """The window of `size` (height, width) of each image at its (y, x) offset (TF1's tf.image.extract_glimpse:
    op ExtractGlimpse, whose `noise` attr stays "uniform", so the fill is uniform noise whatever
    `uniform_noise` says)."""
    attrs = {"centered": _bool(centered, "centered"), "normalized": _bool(normalized, "normalized"),
             "uniform_noise": _bool(uniform_noise, "uniform_noise"), "noise": "uniform"}
    return apply_op("ExtractGlimpse", [input, size, offsets], attrs, name=name)
