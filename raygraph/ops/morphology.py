"""Grayscale morphology: `tf.nn.dilation2d` (the Dilation2D op and its two backprop ops) and `erosion2d`.

Dilation is a max-plus convolution: out[b, y, x, c] = max over the filter's (i, j) of
input[b, y*sh + i*rh - top, x*sw + j*rw - left, c] + filter[i, j, c], positions outside the input skipped
(TF's kernel), so SAME and VALID size the output as convolutions do. The offsets are visited in row-major
order and only a strictly greater value replaces the current one: a gradient goes to the first maximum, as
in TF's backprop kernels.
"""
import numpy as np

from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import reverse
from .conv import _output_size
from .math import negative
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import merge_dims, with_rank

_raw = TensorShape._raw
T = "float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 uint64"


def _check_attrs(op_type, a):
    for attr in ("strides", "rates"):
        if len(a[attr]) != 4:
            raise ValueError(f"{op_type} requires the {attr.rstrip('s') if attr == 'rates' else 'stride'} attribute "
                             f"to contain 4 values, but got: {len(a[attr])}")


def _out_dims(x_dims, f_dims, a):
    """(out_h, out_w, top, left) from the input's and filter's dims (None where unknown)."""
    out_h, top, _ = _output_size(x_dims[1], f_dims[0], a["strides"][1], a["rates"][1], a["padding"], None)
    out_w, left, _ = _output_size(x_dims[2], f_dims[1], a["strides"][2], a["rates"][2], a["padding"], None)
    return out_h, out_w, top, left


def _dilation_shape(inputs, a):
    _check_attrs("Dilation2D", a)
    x = with_rank(inputs[0], 4)
    f = with_rank(inputs[1], 3)
    depth = merge_dims((x[3],), (f[2],))[0]
    out_h, out_w, _, _ = _out_dims(x, f, a)
    if out_h is None or out_w is None:  # TF's shape function knows both or neither
        out_h = out_w = None
    return inputs[0].dtype.base_dtype, _raw((x[0], out_h, out_w, depth))


def _like(index):
    def shape_fn(inputs, a):
        _check_attrs("Dilation2D", a)
        return inputs[2].dtype.base_dtype, _raw(with_rank(inputs[index], 4 - index))
    return shape_fn


def _scan(x, f, a):
    """The forward pass: (output, index of the winning filter offset per output cell, geometry)."""
    for attr in ("strides", "rates"):  # checked when the kernel runs, as TF's kernel checks them
        if a[attr][0] != 1 or a[attr][3] != 1:
            raise InvalidArgumentError(None, None, f"Current implementation does not yet support {attr} in the "
                                                   f"batch and depth dimensions.")
    b, h, w, c = x.shape
    fh, fw, fc = f.shape
    if c != fc:
        raise InvalidArgumentError(None, None, f"input and filter must have the same depth: {c} vs {fc}")
    _, sh, sw, _ = a["strides"]
    _, rh, rw, _ = a["rates"]
    out_h, out_w, top, left = _out_dims(x.shape, f.shape, a)
    if out_h <= 0 or out_w <= 0:
        raise InvalidArgumentError(None, None, f"Computed output size would be negative: {out_h} [input_size: {h}, "
                                               f"effective_filter_size: {(fh - 1) * rh + 1}, stride: {sh}]")
    rows = np.arange(out_h) * sh - top
    cols = np.arange(out_w) * sw - left
    low = np.finfo(x.dtype).min if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    best = np.full((b, out_h, out_w, c), low, x.dtype)
    arg = np.full(best.shape, -1, np.int64)
    offsets = []
    for i in range(fh):
        for j in range(fw):
            r, s = rows + i * rh, cols + j * rw
            ok_r, ok_s = (r >= 0) & (r < h), (s >= 0) & (s < w)
            offsets.append((i, j, r, s, ok_r, ok_s))
            if not ok_r.any() or not ok_s.any():
                continue
            vals = x[:, np.clip(r, 0, h - 1)][:, :, np.clip(s, 0, w - 1)] + f[i, j]
            better = (vals > best) & (ok_r[:, None] & ok_s[None, :])[None, :, :, None]
            best = np.where(better, vals, best)
            arg[better] = len(offsets) - 1
    return best, arg, offsets


def _dilation_kernel(a, x, f):
    return _scan(x, f, a)[0]


def _backprop_input_kernel(a, x, f, dy):
    _, arg, offsets = _scan(x, f, a)
    dx = np.zeros_like(x)
    for k, (_, _, r, s, ok_r, ok_s) in enumerate(offsets):
        hit = (arg == k)
        if not hit.any():
            continue
        rr, ss = np.nonzero(ok_r)[0], np.nonzero(ok_s)[0]
        part = np.where(hit, dy, 0)[:, rr][:, :, ss]
        np.add.at(dx, (slice(None), r[rr][:, None], s[ss][None, :]), part)
    return dx


def _backprop_filter_kernel(a, x, f, dy):
    _, arg, offsets = _scan(x, f, a)
    df = np.zeros_like(f)
    for k, (i, j, *_) in enumerate(offsets):
        df[i, j] = np.where(arg == k, dy, 0).sum(axis=(0, 1, 2), dtype=dy.dtype)
    return df


def _attrs(op_):
    return {"strides": op_.get_attr("strides"), "rates": op_.get_attr("rates"),
            "padding": op_.get_attr("padding").decode()}


op("Dilation2D", "input:T, filter:T", kernel=_dilation_kernel, shape=_dilation_shape, T=T,
   choices={"padding": ("SAME", "VALID")},
   grad=lambda op_, g: [apply_op("Dilation2DBackpropInput", [op_.inputs[0], op_.inputs[1], g], _attrs(op_)),
                        apply_op("Dilation2DBackpropFilter", [op_.inputs[0], op_.inputs[1], g], _attrs(op_))])
op("Dilation2DBackpropInput", "input:T, filter:T, out_backprop:T", kernel=_backprop_input_kernel, shape=_like(0),
   T=T, choices={"padding": ("SAME", "VALID")}, grad=NO_GRADIENT_DEFINED)
op("Dilation2DBackpropFilter", "input:T, filter:T, out_backprop:T", kernel=_backprop_filter_kernel, shape=_like(1),
   T=T, choices={"padding": ("SAME", "VALID")}, grad=NO_GRADIENT_DEFINED)


def _list_attr(value, attr, fn):
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"Expected list for '{attr}' argument to '{fn}' Op, not {value!r}.")
    if len(value) < 4:
        raise ValueError(f"Attr '{attr}' of 'Dilation2D' Op passed list of length {len(value)} less than minimum 4.")
    return [int(v) for v in value]


def dilation2d(input, filter=None, strides=None, rates=None, padding=None, name=None, filters=None,  # noqa: A002
               dilations=None):
    """TF1's tf.nn.dilation2d: a Dilation2D op (grayscale dilation of a 4-D input by a 3-D filter)."""
    filter = filters if filters is not None else filter
    rates = dilations if dilations is not None else rates
    a = {"strides": _list_attr(strides, "strides", "dilation2d"), "rates": _list_attr(rates, "rates", "dilation2d"),
         "padding": padding}
    return apply_op("Dilation2D", [input, filter], a, name=name)


def erosion2d(value, kernel, strides, rates, padding, name=None):
    """Grayscale erosion, by duality: -dilation2d(-value, kernel reversed in both spatial dims)."""
    with name_scope(name, "erosion2d", [value, kernel]) as name:
        value = convert_to_tensor(value)
        return negative(apply_op("Dilation2D", [negative(value), reverse(kernel, [0, 1])],
                                 {"strides": _list_attr(strides, "strides", "dilation2d"),
                                  "rates": _list_attr(rates, "rates", "dilation2d"), "padding": padding},
                                 name=name))
