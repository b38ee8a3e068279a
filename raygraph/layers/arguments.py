"""Layer arguments normalized as Keras' conv_utils does: int-or-tuple sizes, padding and data format names; and
TF1's `tf.layers` utils for a `training` argument that is a Python bool or a tensor (`smart_cond`)."""
from ..ops.control_flow import cond
from ..ops.shape_fns import constant_value as _tensor_value
from ..tensor import Tensor
from ..variables import Variable


def normalize_tuple(value, n, name, allow_zero=False):
    """`value` (an int, or n ints) as a tuple of n ints, with Keras' ValueErrors."""
    error = f"The `{name}` argument must be a tuple of {n} integers. Received: {value}"
    if isinstance(value, int):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(error) from None
        if len(values) != n:
            raise ValueError(error)
        for v in values:
            try:
                int(v)
            except (ValueError, TypeError):
                raise ValueError(f"{error}including element {v} of type {type(v)}") from None
    bad = {v for v in values if (v < 0 if allow_zero else v <= 0)}
    if bad:
        raise ValueError(f"{error} including {bad} that does not satisfy the requirement "
                         f"`{'>= 0' if allow_zero else '> 0'}`.")
    return values


def normalize_padding(value):
    if isinstance(value, (list, tuple)):
        return value
    padding = value.lower()
    if padding not in ("valid", "same", "causal"):
        raise ValueError(f'The `padding` argument must be a list/tuple or one of "valid", "same" (or "causal", only '
                         f"for `Conv1D). Received: {padding}")
    return padding


def normalize_data_format(value):
    data_format = "channels_last" if value is None else value.lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f'The `data_format` argument must be one of "channels_first", "channels_last". Received: '
                         f"{value}")
    return data_format


def convert_data_format(data_format, ndim):
    """"channels_last"/"channels_first" for a rank-`ndim` input as TF's names: NWC, NHWC, NDHWC or NCW, NCHW..."""
    names = {"channels_last": {3: "NWC", 4: "NHWC", 5: "NDHWC"}, "channels_first": {3: "NCW", 4: "NCHW", 5: "NCDHW"}}
    if data_format not in names:
        raise ValueError(f"Invalid data_format: {data_format}. Expected values are "
                         f'["channels_first", "channels_last"]')
    if ndim not in names[data_format]:
        raise ValueError(f"Input rank not supported: {ndim}. Expected values are [3, 4, 5]")
    return names[data_format][ndim]


def conv_output_length(length, filter_size, padding, stride, dilation=1):
    """The output length of a convolution or pooling along one dim (None if unknown)."""
    if length is None:
        return None
    dilated = filter_size + (filter_size - 1) * (dilation - 1)
    out = {"same": length, "causal": length, "valid": length - dilated + 1, "full": length + dilated - 1}[padding]
    return (out + stride - 1) // stride


def deconv_output_length(length, filter_size, padding, output_padding=None, stride=0, dilation=1):
    """The output length of a transposed convolution along one dim (None if unknown)."""
    if length is None:
        return None
    filter_size = filter_size + (filter_size - 1) * (dilation - 1)
    if output_padding is None:  # only the padding's own formula: `length` may be a tensor (each is ops)
        if padding == "valid":
            return length * stride + max(filter_size - stride, 0)
        if padding == "full":
            return length * stride - (stride + filter_size - 2)
        return length * stride
    pad = {"same": filter_size // 2, "valid": 0, "full": filter_size - 1}[padding]
    return (length - 1) * stride + filter_size - 2 * pad + output_padding


def constant_value(pred):
    """TF1 layers.utils': a bool for a Python bool (or 0/1), a constant tensor's value, None when only a run
    knows it (a tensor that is not constant, a Variable)."""
    if isinstance(pred, Tensor):
        return _tensor_value(pred)
    if isinstance(pred, Variable):
        return None
    if pred in {0, 1}:
        return bool(pred)
    raise TypeError(f"`pred` must be a Tensor, or a Python bool, or 1 or 0. Found instead: {type(pred)}")


def smart_cond(pred, true_fn=None, false_fn=None, name=None):
    """`true_fn()` or `false_fn()` when `pred` is known while building, else a `tf.cond` of both."""
    if isinstance(pred, Variable):
        return cond(pred, true_fn=true_fn, false_fn=false_fn, name=name)
    if not callable(true_fn):
        raise TypeError(f"Argument `true_fn` must be callable. Received {true_fn}")
    if not callable(false_fn):
        raise TypeError(f"Argument `false_fn` must be callable. Received {false_fn}")
    if not isinstance(pred, Tensor) and pred not in {0, 1}:
        raise TypeError(f"Argument `pred` must be a Tensor, or a Python bool, or 1 or 0. Received: pred={pred} of "
                        f"type {type(pred).__name__}")
    value = constant_value(pred)
    if value is None:
        return cond(pred, true_fn=true_fn, false_fn=false_fn, name=name)
    return true_fn() if value else false_fn()
