"""`Conv` (`tf.conv`): TF's general convolution op, 2-D or 3-D by the input's rank, channels last or first,
with extra leading batch dims; it runs as Conv2D / Conv3D (ops/conv.py) on the batch dims folded into one.
And `Conv2DBackpropInputV2` / `Conv2DBackpropFilterV2`, which TensorFlow builds but has no CPU kernel for:
they fail at run time as TF's do on a CPU."""
import numpy as np

from ..errors import InvalidArgumentError, UnimplementedError
from ..shape import TensorShape
from .registry import NO_GRADIENT_DEFINED, apply_op, cpu_kernel, get, op
from .shape_fns import dims

_raw = TensorShape._raw
_FORMATS = {(2, "CHANNELS_LAST"): "NHWC", (2, "CHANNELS_FIRST"): "NCHW", (3, "CHANNELS_LAST"): "NDHWC",
            (3, "CHANNELS_FIRST"): "NCDHW"}
_CONV_T = "bfloat16 float16 float32 float64 int32"


class _Folded:
    """A stand-in input for a ConvND shape function: the dtype and the shape with the batch dims folded."""

    def __init__(self, dtype, shape_):
        self.dtype, self._shape = dtype, shape_


def _spatial_rank(rank, batch_dims, error):
    nd = rank - batch_dims - 1
    if nd not in (2, 3):
        raise error(f"Input tensor must be rank 4 or 5, excluding extra batch dimensions, but got: "
                    f"{rank - batch_dims + 1}")
    return nd


def _nd_attrs(a, nd):
    out = {k: v for k, v in a.items() if k not in ("batch_dims", "groups")}
    out["data_format"] = _FORMATS[(nd, a["data_format"])]
    out["dilations"] = list(a["dilations"]) or [1] * (nd + 2)
    return out


def _conv_kernel(a, x, w):
    nd = _spatial_rank(np.ndim(x), a["batch_dims"], lambda m: InvalidArgumentError(None, None, m))
    depth = x.shape[-1] if a["data_format"] == "CHANNELS_LAST" else x.shape[a["batch_dims"]]
    if depth != w.shape[-2]:
        raise UnimplementedError(None, None, f"The Conv op currently does not support grouped convolutions on the "
                                 f"CPU: the input depth {depth} does not match the filter input depth {w.shape[-2]}")
    lead = x.shape[:a["batch_dims"]]
    y = get("Conv2D" if nd == 2 else "Conv3D").kernel(_nd_attrs(a, nd), x.reshape((-1,) + x.shape[a["batch_dims"]:]), w)
    return y.reshape(lead + y.shape[1:])


def _conv_shape(inputs, a):
    x, w = inputs
    d = dims(x)
    if d is None:
        return x.dtype.base_dtype, TensorShape(None)
    nd = _spatial_rank(len(d), a["batch_dims"], ValueError)
    wd = dims(w)
    if a["groups"] > 1 and wd is not None and wd[-1] is not None and wd[-1] % a["groups"]:
        raise ValueError("Number of groups should divide output depth")
    lead = d[:a["batch_dims"]]
    folded = None if None in lead else int(np.prod(lead))
    _, out = get("Conv2D" if nd == 2 else "Conv3D").shape(
        [_Folded(x.dtype, _raw((folded,) + d[a["batch_dims"]:])), w], _nd_attrs(a, nd))
    return x.dtype.base_dtype, _raw(lead + out._dims[1:])


op("Conv", "input:T, filter:T", kernel=_conv_kernel, shape=_conv_shape, T=_CONV_T, grad=NO_GRADIENT_DEFINED,
   choices={"padding": ("SAME", "VALID", "EXPLICIT"), "data_format": ("CHANNELS_FIRST", "CHANNELS_LAST")})


def conv(input, filter, strides, padding, explicit_paddings=[], data_format="CHANNELS_LAST",  # noqa: B006
         dilations=[], batch_dims=1, groups=1, name=None):  # noqa: B006 - TF's signature
    """A 2-D or 3-D convolution (by `input`'s rank after `batch_dims` leading batch dims; op Conv)."""
    return apply_op("Conv", [input, filter], {"strides": list(strides), "padding": padding,
                                             "explicit_paddings": list(explicit_paddings), "data_format": data_format,
                                             "dilations": list(dilations), "batch_dims": int(batch_dims),
                                             "groups": int(groups)}, name=name)


# ----- the V2 backprops: graph only, as in TF on a CPU ---------------------------------------------------------
_V2_T = "bfloat16 float16 float32 float64 int32"
for _type, _like in (("Conv2DBackpropInputV2", 0), ("Conv2DBackpropFilterV2", 1)):
    op(_type, "input:T, filter:T, out_backprop:T", kernel=cpu_kernel(_type, lambda a, *xs: None, _V2_T),
       shape=lambda i, a, k=_like: (i[k].dtype.base_dtype, i[k].shape), T=_V2_T, grad=NO_GRADIENT_DEFINED,
       choices={"padding": ("SAME", "VALID", "EXPLICIT"), "data_format": ("NHWC", "NCHW")})


def _backprop_v2(type_):
    def fn(input, filter, out_backprop, strides, padding, use_cudnn_on_gpu=True,
           explicit_paddings=[], data_format="NHWC", dilations=[1, 1, 1, 1], name=None):  # noqa: B006
        return apply_op(type_, [input, filter, out_backprop],
                        {"strides": list(strides), "use_cudnn_on_gpu": bool(use_cudnn_on_gpu), "padding": padding,
                         "explicit_paddings": list(explicit_paddings), "data_format": data_format,
                         "dilations": list(dilations)}, name=name)
    fn.__doc__ = f"Op {type_} (graph only: like TF, no CPU kernel runs it)."
    return fn


conv2d_backprop_input_v2 = _backprop_v2("Conv2DBackpropInputV2")
conv2d_backprop_filter_v2 = _backprop_v2("Conv2DBackpropFilterV2")
