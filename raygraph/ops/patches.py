"""Patches of images and volumes laid out in depth (`ExtractImagePatches`, `ExtractVolumePatches`): output
position p holds the window at p * stride (cells `rate` apart, zero outside the input for SAME padding),
flattened in (window row, window column, [plane,] channel) order.

The gradient scatters each patch cell back to the input position it came from: the positions come from
extracting patches of an image of position numbers (0 marks padding), then one unsorted segment sum.
"""
import itertools

import numpy as np

from .. import dtypes
from ..convert import constant
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import reshape, transpose
from .math import cast
from .reduction import unsorted_segment_sum
from .registry import apply_op, op
from .shape_fns import dims

_raw = TensorShape._raw


def _out_size(n, k, s, padding):
    if n is None:
        return None
    return -(-n // s) if padding == "SAME" else max(-(-(n - k + 1) // s), 0)


def _check(a, spatial, error, ones=True):
    names = ["ksizes", "strides"] + (["rates"] if "rates" in a else [])
    for name in names:
        v = list(a[name])
        if len(v) != spatial + 2:
            raise error(f"{name} attribute must have {spatial + 2} elements, got {len(v)}")
        if ones and (v[0] != 1 or v[-1] != 1):  # (checked by the kernel only, as in TF)
            raise error(f"Only supports {name[:-1]} across space.")


def _geometry(a, shape_):
    """Per spatial dim: (window size, effective window size, stride, rate, output size, padding before)."""
    spatial = len(shape_) - 2
    rates = list(a.get("rates", [1] * (spatial + 2)))
    out = []
    for i in range(1, spatial + 1):
        k, s, r, n = a["ksizes"][i], a["strides"][i], rates[i], shape_[i]
        k_eff = k + (k - 1) * (r - 1)
        size = _out_size(n, k_eff, s, a["padding"])
        before = 0
        if a["padding"] == "SAME" and n is not None:
            before = max((size - 1) * s + k_eff - n, 0) // 2
        out.append((k, k_eff, s, r, size, before))
    return out


def _kernel(spatial):
    def kernel(a, x):
        if np.ndim(x) != spatial + 2:
            raise InvalidArgumentError(None, None, f"input must be {spatial + 2}-dimensional")
        _check(a, spatial, lambda m: InvalidArgumentError(None, None, m))
        geo = _geometry(a, x.shape)
        pads = [(0, 0)]
        for (k, k_eff, s, r, size, before), n in zip(geo, x.shape[1:-1]):
            pads.append((before, max((size - 1) * s + k_eff - n - before, 0)))
        xp = np.pad(x, pads + [(0, 0)])
        cells = []
        for offsets in itertools.product(*[range(g[0]) for g in geo]):
            index = [slice(None)]
            for o, (k, k_eff, s, r, size, before) in zip(offsets, geo):
                index.append(slice(o * r, o * r + (size - 1) * s + 1, s) if size > 0 else slice(0, 0))
            cells.append(xp[tuple(index)])
        stacked = np.stack(cells, axis=-2)  # [batch, *out, window cells, depth]
        return stacked.reshape(stacked.shape[:-2] + (len(cells) * x.shape[-1],))
    return kernel


def _shape(spatial):
    def fn(inputs, a):
        x = inputs[0]
        d = dims(x)
        _check(a, spatial, ValueError, ones=False)
        d = (None,) * (spatial + 2) if d is None else d
        if len(d) != spatial + 2:
            raise ValueError(f"Shape must be rank {spatial + 2} but is rank {len(d)}")
        geo = _geometry(a, d)
        cells = int(np.prod([g[0] for g in geo]))
        depth = None if d[-1] is None else d[-1] * cells
        if None in d[1:-1]:  # TF's shape functions then give [batch, ?, ?, depth], rank 4 even for volumes
            return x.dtype.base_dtype, _raw((d[0], None, None, depth))
        return x.dtype.base_dtype, _raw((d[0],) + tuple(g[4] for g in geo) + (depth,))
    return fn


def _grad(op_, g):
    """Each patch cell's gradient added to its input position (TF's _ExtractImagePatchesGrad, as one segment sum)."""
    x = op_.inputs[0]
    d = x.shape.as_list()
    if None in d[1:]:
        raise ValueError(f"The gradient of {op_.type} needs the input's spatial dims and depth, got {x.shape}")
    spatial, positions, depth = d[1:-1], int(np.prod(d[1:-1])), d[-1]
    numbers = constant(np.arange(1, positions + 1, dtype=np.float32).reshape([1] + spatial + [1]))
    where = apply_op(op_.type, [numbers], {k: v for k, v in op_._attrs.items() if k != "T"})
    ids = cast(reshape(where, [-1]), dtypes.int32)  # per patch cell: its input position + 1, 0 for padding
    cells = int(np.prod(where.shape.as_list()[1:]))
    per_cell = transpose(reshape(g, [-1, cells, depth]), [1, 0, 2])  # [cells, batch, depth]
    sums = unsorted_segment_sum(per_cell, ids, positions + 1)
    return [reshape(transpose(sums[1:], [1, 0, 2]), [-1] + spatial + [depth])]


op("ExtractImagePatches", "images:T", kernel=_kernel(2), shape=_shape(2), grad=_grad, choices={"padding": ("SAME", "VALID")},
   T="bfloat16 float16 float32 float64 int8 int16 int32 int64 uint8 uint16 uint32 uint64 complex64 complex128 bool")
op("ExtractVolumePatches", "input:T", kernel=_kernel(3), shape=_shape(3), grad=_grad, choices={"padding": ("SAME", "VALID")},
   T="float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 uint64")


def extract_image_patches(images, ksizes=None, strides=None, rates=None, padding=None, name=None, sizes=None):
    """The `ksizes` windows of `images` (NHWC) `strides` apart, cells `rates` apart, each flattened into depth."""
    ksizes = sizes if ksizes is None else ksizes
    return apply_op("ExtractImagePatches", [images], {"ksizes": list(ksizes), "strides": list(strides),
                                                      "rates": list(rates), "padding": padding}, name=name)


def extract_patches(images, sizes, strides, rates, padding, name=None):
    """`tf.image.extract_patches`: extract_image_patches with TF2's argument names."""
    return extract_image_patches(images, strides=strides, rates=rates, padding=padding, name=name, sizes=sizes)


def extract_volume_patches(input, ksizes, strides, padding, name=None):
    """The `ksizes` windows of a 5-D NDHWC `input` `strides` apart, each flattened into depth."""
    return apply_op("ExtractVolumePatches", [input], {"ksizes": list(ksizes), "strides": list(strides),
                                                      "padding": padding}, name=name)
