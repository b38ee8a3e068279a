"""Quantized `tf.nn` ops: `QuantizedAvgPool`, `QuantizedMaxPool`, `QuantizedReluX` and `QuantizedConv2D`, as
TF 2.21's default CPU build (oneDNN on) runs them.

The kernels TF registers decide what runs; any other type fails as in TF ("No OpKernel was registered"):
- the pools: quint8 and qint8, rewritten to oneDNN. A window's average is rint(sum * f32(1 / count)) over its
  cells inside the input (TF's own kernel would truncate sum / count). The input range passes through.
- QuantizedReluX: none at all.
- QuantizedConv2D, qint32 out: quint8 x quint8 runs TF's own kernel: int32 sums of (x - zero_x) * (w - zero_w),
  each zero the level of 0.0 in its range (FloatToQuantizedUnclamped), with that kernel's window origin and fill
  (its im2col path writes the zero level's low byte). quint8 x qint8 runs oneDNN: sums of x * w over zeros,
  passed through float32 scales (src_scale * wei_scale, then its reciprocal). The output range is one level of
  each input multiplied together, times qint32's lowest and highest.
"""
import collections

import numpy as np

from .. import dtypes
from ..errors import AbortedError, InternalError, UnimplementedError
from ..shape import TensorShape
from .conv import _output_size
from .pooling import Geometry, _counts, _padded, _pads, _pooled, _pooled_dims
from .quantized import F32, QUANTIZED, _error, _ints, _records, _round_away, _text
from .registry import NO_GRADIENT_DEFINED, apply_op, make_int, op
from .shape_fns import _dt_name, with_rank

_raw = TensorShape._raw
_SCALAR = (dtypes.float32, _raw(()))
QuantizedAvgPool = collections.namedtuple("QuantizedAvgPool", "output min_output max_output")
QuantizedMaxPool = collections.namedtuple("QuantizedMaxPool", "output min_output max_output")
QuantizedReluX = collections.namedtuple("QuantizedReluX", "activations min_activations max_activations")
QuantizedConv2D = collections.namedtuple("QuantizedConv2D", "output min_output max_output")

# op type -> the type attrs of each CPU kernel TF 2.21 registers, in the order its error message lists them
_KERNELS = {"QuantizedAvgPool": [{"T": "qint8"}, {"T": "quint8"}],
            "QuantizedMaxPool": [{"T": "qint8"}, {"T": "quint8"}],
            "QuantizedReluX": [],
            "QuantizedConv2D": [{"Tinput": "quint8", "Tfilter": "quint8", "out_type": "qint32"},
                                {"Tinput": "quint8", "Tfilter": "qint8", "out_type": "qint32"}]}
_NO_DESCRIPTOR = ("received an exception:Status: 2, message: could not create a descriptor for a pooling forward "
                  "propagation primitive, in file tensorflow/core/kernels/mkl/mkl_{}pooling_op.cc:{}")
_ONEDNN_FAILURE = {"QuantizedMaxPool": "Compute " + _NO_DESCRIPTOR.format("max", 211),
                   "QuantizedAvgPool": "Operation " + _NO_DESCRIPTOR.format("avg", 183)}


def _attr_text(value):
    if isinstance(value, dtypes.DType):
        return _dt_name(value)
    if isinstance(value, str):
        return f'"{value}"'
    return "[" + ", ".join(map(str, value)) + "]" if isinstance(value, list) else str(value)


def _check_kernel(op_type, a):
    """TF's placement error for types no kernel takes (TF raises it for any run of a graph holding the op)."""
    kernels = _KERNELS[op_type]
    if any(all(a[k]._name == v for k, v in kernel.items()) for kernel in kernels):
        return
    attrs = ", ".join(f"{k}={_attr_text(v)}" for k, v in sorted(a.items()))
    listed = "".join("  device='CPU'; " + "; ".join(f"{k} in [DT_{v.upper()}]" for k, v in kernel.items()) + "\n"
                     for kernel in kernels) or "  <no registered kernels>\n"
    raise _error(f"No OpKernel was registered to support Op '{op_type}' used by {{{{node {{name}}}}}} with these "
                 f"attrs: [{attrs}]\nRegistered devices: [CPU]\nRegistered kernels:\n{listed}")


def _missing_output():
    """What TF says when a oneDNN kernel returns having set only its first output."""
    return InternalError(None, None, "Missing 1-th output from {{node {name}}}")


def _scalar(t):
    return np.asarray(np.ravel(t)[0], F32)


# ----- QuantizedAvgPool, QuantizedMaxPool ---------------------------------------------------------------------
def _check_depth_window(k, s, depth):
    if k[3] == 1:
        return
    if k[1] != 1 or k[2] != 1:
        raise UnimplementedError(None, None, "MaxPooling supports exactly one of pooling across depth or pooling "
                                             "across width/height.")
    if depth % k[3]:
        raise UnimplementedError(None, None, "Depthwise max pooling requires the depth window to evenly divide the "
                                             "input depth")
    if s[3] != k[3]:
        raise UnimplementedError(None, None, "Depthwise max pooling requires the depth window to equal the depth "
                                             "stride")


def _pool_checks(op_type, a, q, lo, hi):
    """The oneDNN pooling kernels' checks, in their order."""
    k, s = a["ksize"], a["strides"]
    if k[0] != 1 or s[0] != 1:
        raise UnimplementedError(None, None, "Pooling is not yet supported on the batch dimension.")
    for name, t in (("min_input", lo), ("max_input", hi)):
        if np.ndim(t) != 0:
            raise _error(f"{name} shape must be rank 0 but is rank {np.ndim(t)}, received shape: {_text(np.shape(t))}")
    if q.ndim not in (4, 5):
        raise _error("Input must be 4 or 5-dimensional")
    if q.ndim == 5:
        raise AbortedError(None, None, _ONEDNN_FAILURE[op_type])
    if min(k) <= 0:
        raise _error("Sliding window ksize must be positive. The specified or inferred ksize is: "
                     + ",".join(map(str, k)))
    _check_depth_window(k, s, q.shape[3])
    if k[3] != 1:  # a depth window passes TF's checks, then oneDNN fails on it
        raise AbortedError(None, None, _ONEDNN_FAILURE[op_type]) if op_type == "QuantizedMaxPool" else _missing_output()


def _pool_kernel(op_type):
    def kernel(a, x, lo, hi):
        _check_kernel(op_type, a)
        q = _ints(x)
        _pool_checks(op_type, a, q, lo, hi)
        k, s, same = a["ksize"], a["strides"], a["padding"] == "SAME"
        out = tuple(max(0, -(-n // st) if same else (n - kk + st) // st) for n, kk, st in zip(q.shape, k, s))
        g = Geometry(k, s, _pads(q.shape, k, s, a["padding"], None), out)
        if q.size == 0 or (0 in out and op_type == "QuantizedAvgPool"):
            raise _missing_output()
        if 0 in out:
            pooled = np.zeros(out, q.dtype)
        elif op_type == "QuantizedMaxPool":
            pooled = _pooled(_padded(q, g.pads, np.iinfo(q.dtype).min), g, np.maximum)
        else:
            sums = _pooled(_padded(q.astype(np.int64), g.pads, 0), g, np.add)
            pooled = np.rint(sums.astype(F32) * (F32(1) / _counts(q.shape, g).astype(F32)))
        return _records(pooled, a["T"]), np.asarray(lo, F32), np.asarray(hi, F32)
    return kernel


def _pool_shape(label):
    """TF's MaxPoolShape / AvgPoolShape (`label`), then scalar ranges."""
    def shape_fn(inputs, a):
        x, lo, hi = inputs
        d = with_rank(x, 4)
        for key, word in (("strides", "stride"), ("ksize", "ksize")):
            if len(a[key]) != 4:
                raise ValueError(f"{label} requires the {word} attribute to contain 4 values, but got: {len(a[key])}")
        out = _pooled_dims(label, a, d, "NHWC")
        with_rank(lo, 0)
        with_rank(hi, 0)
        return [(x.dtype.base_dtype, out), _SCALAR, _SCALAR]
    return shape_fn


_POOL = {"T": QUANTIZED, "choices": {"padding": ("SAME", "VALID")}, "grad": NO_GRADIENT_DEFINED}
op("QuantizedAvgPool", "input:T, min_input:float32, max_input:float32", kernel=_pool_kernel("QuantizedAvgPool"),
   shape=_pool_shape("AvgPool"), **_POOL)
op("QuantizedMaxPool", "input:T, min_input:float32, max_input:float32", kernel=_pool_kernel("QuantizedMaxPool"),
   shape=_pool_shape("MaxPool"), **_POOL)


# ----- QuantizedReluX -----------------------------------------------------------------------------------------
def _relu_x_kernel(a, features, max_value, lo, hi):
    _check_kernel("QuantizedReluX", a)  # TF 2.21 has no kernel for it: this always raises


def _relu_x_shape(inputs, a):
    for t in inputs[1:]:
        with_rank(t, 0)
    return [(a["out_type"], inputs[0]._shape), _SCALAR, _SCALAR]


op("QuantizedReluX", "features:Tinput, max_value:float32, min_features:float32, max_features:float32",
   kernel=_relu_x_kernel, shape=_relu_x_shape, grad=NO_GRADIENT_DEFINED, Tinput=QUANTIZED, out_type=QUANTIZED)


# ----- QuantizedConv2D ----------------------------------------------------------------------------------------
def _zero_level(lo, hi):
    """FloatToQuantizedUnclamped<quint8>(0.0f, lo, hi): the level standing for 0.0, unclamped."""
    lo, hi = F32(lo), F32(hi)
    if lo == hi:
        return 0
    scale = 256.0 / (float(F32(hi - lo)) * (256.0 / 255.0))
    return -int(_round_away(np.asarray(float(lo) * scale)))


def _output_range(lo, hi, flo, fhi, filter_levels):
    """(Mkl)QuantizationRangeForMultiplication: one level of each range multiplied, times qint32's ends."""
    level = F32(F32(F32(hi) - F32(lo)) / F32(255)) * F32(F32(F32(fhi) - F32(flo)) / F32(filter_levels))
    return np.asarray(level * F32(-2.0 ** 31), F32), np.asarray(level * F32(2.0 ** 31 - 1), F32)


def _c_div(a, b):
    return -(-a // b) if a < 0 else a // b  # C's division: toward zero


def _correlate(x, w, origin, fill, strides, out_hw, dilations=(1, 1), groups=1):
    """int64 sums over windows of `x` (NHWC) times `w` (HWIO): window (i, j) starts at input cell
    (i * stride - origin[0], j * stride - origin[1]); cells outside `x` read `fill`."""
    n, h, wd, _ = x.shape
    fh, fw, ci, co = w.shape
    (top, left), (sh, sw), (dh, dw), (oh, ow) = origin, strides, dilations, out_hw
    before = max(top, 0), max(left, 0)
    after = (max(0, (oh - 1) * sh - top + (fh - 1) * dh + 1 - h), max(0, (ow - 1) * sw - left + (fw - 1) * dw + 1 - wd))
    xp = np.pad(x, ((0, 0), (before[0], after[0]), (before[1], after[1]), (0, 0)), constant_values=fill)
    out, per = np.zeros((n, oh, ow, co), np.int64), co // groups
    for fy in range(fh):
        for fx in range(fw):
            y, z = before[0] - top + fy * dh, before[1] - left + fx * dw
            cells = xp[:, y:y + sh * (oh - 1) + 1:sh, z:z + sw * (ow - 1) + 1:sw]
            for g in range(groups):
                out[..., g * per:(g + 1) * per] += cells[..., g * ci:(g + 1) * ci] @ w[fy, fx, :, g * per:(g + 1) * per]
    return out


def _check_ranks(xq, wq, ranges):
    for name, t in (("input", xq), ("filter", wq)):
        if t.ndim != 4:
            raise _error(f"{name} must be rank 4 but is rank {t.ndim}")
    for name, t in zip(("min_input", "max_input", "min_filter", "max_filter"), ranges):
        if np.ndim(t) != 0:
            raise _error(f"{name} must be rank 0 but is rank {np.ndim(t)}")


def _reference_conv(a, xq, wq, lo, hi, flo, fhi):
    """TF's QuantizedConv2DOp with its Im2ColConvFunctor (gemmlowp) or, when 0.0 lies below the input's range,
    its ReferenceConvFunctor."""
    s, d = a["strides"], a["dilations"]
    if s[1] != s[2]:
        raise _error("Current implementation only supports equal length strides in the row and column dimensions.")
    if s[0] != 1 or s[3] != 1:
        raise _error("Current implementation does not yet support strides in the batch and depth dimensions.")
    if d[1] != 1 or d[2] != 1:
        raise _error("Current implementation only supports dilated rate as 1 in the row and column dimensions.")
    if d[0] != 1 or d[3] != 1:
        raise _error("Current implementation does not yet support dilations in the batch and depth dimensions.")
    _check_ranks(xq, wq, (lo, hi, flo, fhi))
    x_zero, w_zero = _zero_level(lo, hi), _zero_level(flo, fhi)
    if xq.shape[3] != wq.shape[2]:
        raise _error(f"input and filter must have the same depth: {xq.shape[3]} vs {wq.shape[2]}")
    stride, sizes = s[1], []
    for n, k in zip(xq.shape[1:3], wq.shape[:2]):
        size = -(-n // stride) if a["padding"] == "SAME" else _c_div(n - k + stride, stride)
        if size < 0:
            raise _error(f"Computed output size would be negative: {size} [input_size: {n}, effective_filter_size: "
                         f"{k}, stride: {stride}]")
        sizes.append(size)
    if 0 in (xq.shape[0], *sizes, wq.shape[3]):
        raise InternalError(None, None, "TF 2.21 aborts here (a failed CHECK): empty batch, output or filter count")
    if x_zero >= 0 and wq.shape[0] * wq.shape[1] * wq.shape[2] == 0:
        raise _error("filter patch must contain at least one element")
    valid = 1 if a["padding"] == "VALID" else 0
    origin = [_c_div((o - 1) * stride + k - n + valid, 2) for o, k, n in zip(sizes, wq.shape[:2], xq.shape[1:3])]
    fill = (x_zero & 0xFF) - x_zero if x_zero >= 0 else 0  # im2col memsets the zero level's byte
    total = _correlate(xq.astype(np.int64) - x_zero, wq.astype(np.int64) - w_zero, origin, fill, (stride, stride),
                       sizes)
    wrapped = (total + 2 ** 31) % 2 ** 32 - 2 ** 31  # int32 sums
    return (_records(wrapped, dtypes.qint32),) + _output_range(lo, hi, flo, fhi, 255)


def _onednn_conv(a, xq, wq, lo, hi, flo, fhi):
    """oneDNN's quantized convolution (quint8 input, qint8 filter): plain products, TF's padding, dilations and
    groups, then out = rint(f32(acc) * c * (1 / c)) with c = f32(src_scale * wei_scale)."""
    s, d = a["strides"], a["dilations"]
    if s[0] != 1 or s[3] != 1:
        raise UnimplementedError(None, None, "Current implementation does not yet support strides in the batch and "
                                             "depth dimensions.")
    if d[0] != 1 or d[3] != 1:
        raise _error("Current implementation does not yet support dilations in the batch and depth dimensions.")
    if np.shape(flo) != np.shape(fhi) or np.size(flo) == 0:
        raise _error("`min_ and max_filter` must have sameshape and contain at least one element.")
    _check_ranks(xq, wq, [t if np.size(t) != 1 else np.ravel(t)[0] for t in (lo, hi, flo, fhi)])
    lo, hi, flo, fhi = (F32(np.ravel(t)[0]) for t in (lo, hi, flo, fhi))
    depth, f_depth = xq.shape[3], wq.shape[2]
    if f_depth == 0 or depth % f_depth:
        raise _error(f"input depth must be evenly divisible by filter depth: {depth} vs {f_depth}")
    geo = [_output_size(n, k, st, dl, a["padding"], None) for n, k, st, dl in zip(xq.shape[1:3], wq.shape[:2],
                                                                                  s[1:3], d[1:3])]
    if any(size <= 0 for size, _, _ in geo):
        raise _error("Computed output size would be negative")
    acc = _correlate(xq.astype(np.int64), wq.astype(np.int64), [g[1] for g in geo], 0, s[1:3], [g[0] for g in geo],
                     d[1:3], depth // f_depth)
    src_scale, wei_scale = F32(max(abs(lo), abs(hi))) / F32(255), F32(max(abs(flo), abs(fhi))) / F32(127)
    scale = F32(src_scale * wei_scale)
    with np.errstate(all="ignore"):
        out = np.rint(acc.astype(F32) * scale * (F32(1) / scale)).astype(np.float64)
    out = np.where(np.isnan(out), -2 ** 31, np.clip(out, -2 ** 31, 2 ** 31 - 1))  # NaN: x86's int32 conversion
    return (_records(out.astype(np.int64), dtypes.qint32),) + _output_range(lo, hi, flo, fhi, 254)


def _conv_kernel(a, x, w, lo, hi, flo, fhi):
    _check_kernel("QuantizedConv2D", a)
    run = _onednn_conv if a["Tfilter"] is dtypes.qint8 else _reference_conv
    return run(a, _ints(x), _ints(w), lo, hi, flo, fhi)


def _conv_dim(n, k, dilation, stride, padding):
    """GetWindowedOutputSizeFromDimsV2 for one dim; None where unknown."""
    if stride <= 0:
        raise ValueError(f"Stride must be > 0, but got {stride}")
    if dilation < 1:
        raise ValueError(f"Dilation rate must be >= 1, but got {dilation}")
    if n is None or (k is None and padding == "VALID"):
        return None
    if padding == "SAME":
        return (n + stride - 1) // stride
    window = (k - 1) * dilation + 1
    if n < window:
        raise ValueError(f"Negative dimension size caused by subtracting {window} from {n}")
    return (n - window + stride) // stride


def _conv_shape(inputs, a):
    """TF's Conv2DShape (NHWC, HWIO), then scalar ranges."""
    xd, wd = with_rank(inputs[0], 4), with_rank(inputs[1], 4)
    strides, dil = a["strides"], a["dilations"]
    if len(dil) != 4:
        raise ValueError(f"Conv2D requires the dilation attribute to contain 4 values, but got: {len(dil)}")
    if len(strides) != 4:
        raise ValueError(f"Conv2D on data format NHWC requires the stride attribute to contain 4 values, but got: "
                         f"{len(strides)}")
    depth, f_depth, out_depth = xd[3], wd[2], wd[3]
    if depth is not None and f_depth is not None:
        if f_depth == 0 or depth % f_depth:
            raise ValueError(f"Depth of input ({depth}) is not a multiple of input depth of filter ({f_depth})")
        if depth != f_depth and out_depth is not None and out_depth % (depth // f_depth):
            raise ValueError(f"Depth of output ({out_depth}) is not a multiple of the number of groups "
                             f"({depth // f_depth})")
    rows = _conv_dim(xd[1], wd[0], dil[1], strides[1], a["padding"])
    cols = _conv_dim(xd[2], wd[1], dil[2], strides[2], a["padding"])
    for t in inputs[2:]:
        with_rank(t, 0)
    return [(a["out_type"], _raw((xd[0], rows, cols, out_depth))), _SCALAR, _SCALAR]


op("QuantizedConv2D", "input:Tinput, filter:Tfilter, min_input:float32, max_input:float32, min_filter:float32, "
   "max_filter:float32", kernel=_conv_kernel, shape=_conv_shape, grad=NO_GRADIENT_DEFINED, Tinput=QUANTIZED,
   Tfilter=QUANTIZED, out_type=QUANTIZED, choices={"padding": ("SAME", "VALID")})


# ----- the functions (TF's generated wrappers: tf.nn.quantized_*) ---------------------------------------------
def _int_list(value, arg, fn):
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"Expected list for '{arg}' argument to '{fn}' Op, not {value!r}.")
    return [make_int(v, arg) for v in value]


def _make_str(value, arg):
    if not isinstance(value, (str, bytes)):
        raise TypeError(f"Expected string for argument '{arg}' not {value!r}.")
    return value.decode() if isinstance(value, bytes) else value


def _make_type(value, arg):
    try:
        return dtypes.as_dtype(value).base_dtype
    except TypeError:
        raise TypeError(f"Expected DataType for argument '{arg}' not {value!r}.") from None


def _pool(op_type, fn, input, min_input, max_input, ksize, strides, padding, name):
    attrs = {"ksize": _int_list(ksize, "ksize", fn), "strides": _int_list(strides, "strides", fn),
             "padding": _make_str(padding, "padding")}
    return apply_op(op_type, [input, min_input, max_input], attrs, name=name)


def quantized_avg_pool(input, min_input, max_input, ksize, strides, padding, name=None):
    """The average pool of quantized `input` (NHWC); the range [min_input, max_input] passes through."""
    return QuantizedAvgPool(*_pool("QuantizedAvgPool", "quantized_avg_pool", input, min_input, max_input, ksize,
                                   strides, padding, name))


def quantized_max_pool(input, min_input, max_input, ksize, strides, padding, name=None):
    """The max pool of quantized `input` (NHWC); the range [min_input, max_input] passes through."""
    return QuantizedMaxPool(*_pool("QuantizedMaxPool", "quantized_max_pool", input, min_input, max_input, ksize,
                                   strides, padding, name))


def quantized_relu_x(features, max_value, min_features, max_features, out_type=dtypes.quint8, name=None):
    """min(max(features, 0), max_value) on quantized values (TF 2.21 has no kernel to run it)."""
    attrs = {"out_type": _make_type(dtypes.quint8 if out_type is None else out_type, "out_type")}
    return QuantizedReluX(*apply_op("QuantizedReluX", [features, max_value, min_features, max_features], attrs,
                                    name=name))


def quantized_conv2d(input, filter, min_input, max_input, min_filter, max_filter, strides, padding,
                     out_type=dtypes.qint32, dilations=(1, 1, 1, 1), name=None):
    """The 2-D convolution of quantized `input` (NHWC) by `filter` (HWIO), as qint32 sums with their range."""
    attrs = {"strides": _int_list(strides, "strides", "quantized_conv2d"), "padding": _make_str(padding, "padding"),
             "out_type": _make_type(dtypes.qint32 if out_type is None else out_type, "out_type"),
             "dilations": _int_list([1, 1, 1, 1] if dilations is None else dilations, "dilations", "quantized_conv2d")}
    return QuantizedConv2D(*apply_op("QuantizedConv2D", [input, filter, min_input, max_input, min_filter, max_filter],
                                     attrs, name=name))
