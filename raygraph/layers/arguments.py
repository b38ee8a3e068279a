"""Layer arguments normalized as Keras' conv_utils does: int-or-tuple sizes, padding and data format names."""


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
