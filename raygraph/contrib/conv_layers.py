"""`tf.contrib.layers`' convolutions and pooling as TF 1.15 built them (`convolution` and its 1-D/2-D/3-D forms,
`convolution2d_transpose`, `convolution3d_transpose`, `separable_convolution2d`, `convolution2d_in_plane`,
`max_pool2d`, `avg_pool2d`, `max_pool3d`, `avg_pool3d`, `pool`), with what every contrib layer shares: the xavier
default initializer, the getter making `tf.layers`' variables model variables under contrib's names (`kernel` ->
`weights`, `bias` -> `biases`), and the named-output collections.

Most layers are a `tf.layers` object made inside a contrib scope (`Conv`, `Conv2d_transpose`, `Conv3d_transpose`,
`SeparableConv2d`: a variable scope; `MaxPool2D`, `AvgPool2D`, `MaxPool3D`, `AvgPool3D`: a name scope); after it
come `normalizer_fn` (instead of the biases) and `activation_fn`. `convolution2d_in_plane` is a tiled depthwise
convolution (`ConvInPlane`), `pool` is `tf.nn.pool` (`max_pool`/`avg_pool` name scope)."""
import math

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import add_to_collection, add_to_collections, get_collection, name_scope
from ..initializers import zeros_initializer
from ..layers.convolutional import Conv1D, Conv2D, Conv2DTranspose, Conv3D, Conv3DTranspose, SeparableConv2D
from ..layers.pooling import AveragePooling2D, AveragePooling3D, MaxPooling2D, MaxPooling3D
from ..ops.conv import depthwise_conv2d
from ..ops.joining import tile
from ..ops.nn import bias_add, relu
from ..ops.pooling import pool as nn_pool
from ..ops.random import random_uniform, truncated_normal
from ..variable_scope import variable_scope
from .framework import add_arg_scope, model_variable


# ----- initializers -----------------------------------------------------------------------------------------
def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None, dtype=dtypes.float32):
    """Values with variance `factor / n` (n: fan in, fan out or their mean): uniform in +-sqrt(3 factor / n), or a
    truncated normal with stddev sqrt(1.3 factor / n)."""
    if not dtypes.as_dtype(dtype).is_floating:
        raise TypeError("Cannot create initializer for non-floating point type.")
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")

    def _initializer(shape, dtype=dtype, partition_info=None):
        dtype = dtypes.as_dtype(dtype)
        if not dtype.is_floating:
            raise TypeError("Cannot create initializer for non-floating point type.")
        shape = list(shape)
        if shape:
            fan_in = float(shape[-2]) if len(shape) > 1 else float(shape[-1])
            fan_out = float(shape[-1])
        else:
            fan_in = fan_out = 1.0
        for dim in shape[:-2]:
            fan_in *= float(dim)
            fan_out *= float(dim)
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]
        if uniform:
            limit = math.sqrt(3.0 * factor / n)
            return random_uniform(shape, -limit, limit, dtype, seed=seed)
        return truncated_normal(shape, 0.0, math.sqrt(1.3 * factor / n), dtype, seed=seed)
    return _initializer


def xavier_initializer(uniform=True, seed=None, dtype=dtypes.float32):
    """Glorot's initializer: variance scaling with factor 1 over the mean of the fans."""
    return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform, seed=seed, dtype=dtype)


xavier_initializer_conv2d = xavier_initializer
XAVIER, ZEROS = xavier_initializer(), zeros_initializer()  # the layers' default initializers


# ----- what the layers share --------------------------------------------------------------------------------
def append_tensor_alias(tensor, alias):
    """Notes `alias` (less a trailing "/") in `tensor.aliases`, as TF's layers utils do."""
    if alias[-1] == "/":
        alias = alias[:-1]
    if hasattr(tensor, "aliases"):
        tensor.aliases.append(alias)
    else:
        tensor.aliases = [alias]
    return tensor


def collect_named_outputs(collections, alias, outputs):
    """Adds `outputs` to the collections, noting `alias` on the tensor (`convert_collection_to_dict` reads it)."""
    if collections:
        append_tensor_alias(outputs, alias)
        add_to_collections(collections, outputs)
    return outputs


def variable_collections(variables_collections, name):
    """The collections for variable `name`: a dict maps short names to collections, anything else is for all."""
    if isinstance(variables_collections, dict):
        return variables_collections.get(name)
    return variables_collections


def add_variable_to_collections(variable, variables_collections, name):
    for collection in variable_collections(variables_collections, name) or []:
        if variable not in get_collection(collection):
            add_to_collection(collection, variable)


def layer_variable_getter(renames):
    """A custom getter making a `tf.layers` weight a model variable (through `model_variable`, so arg scopes on it
    apply), renamed by `renames` (e.g. `kernel` -> `weights`)."""
    def getter(base_getter, name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=True,
               collections=None, caching_device=None, partitioner=None, use_resource=None, **_):
        prefix, _, short = name.rpartition("/")
        short = renames.get(short, short)
        return model_variable(f"{prefix}/{short}" if prefix else short, shape=shape, dtype=dtype,
                              initializer=initializer, regularizer=regularizer, collections=collections,
                              trainable=trainable, caching_device=caching_device, partitioner=partitioner,
                              custom_getter=base_getter, use_resource=use_resource)
    return getter


def finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, alias):
    """`activation_fn(normalizer_fn(outputs))`, each when given, added to `outputs_collections`."""
    if normalizer_fn is not None:
        outputs = normalizer_fn(outputs, **(normalizer_params or {}))
    if activation_fn is not None:
        outputs = activation_fn(outputs)
    return collect_named_outputs(outputs_collections, alias, outputs)


def finish_layer(layer, outputs, variables_collections, normalizer_fn, normalizer_params, activation_fn,
                 outputs_collections, alias):
    """A layer's `weights` (and `biases`) added to `variables_collections`, then `finish`."""
    add_variable_to_collections(layer.kernel, variables_collections, "weights")
    if layer.bias is not None:
        add_variable_to_collections(layer.bias, variables_collections, "biases")
    return finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, alias)


def _channels(data_format):
    return "channels_first" if data_format and data_format.startswith("NC") else "channels_last"


_WEIGHTS = {"kernel": "weights", "bias": "biases"}
# TF 1's Keras named Conv1D's convolution `conv1d` (for backwards compatibility; tf_keras names it `Conv1D`)
_Conv1D = type("conv1d", (Conv1D,), {"__doc__": Conv1D.__doc__, "__module__": __name__})


# ----- convolutions -----------------------------------------------------------------------------------------
@add_arg_scope
def convolution(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None, rate=1,
                activation_fn=relu, normalizer_fn=None, normalizer_params=None, weights_initializer=XAVIER,
                weights_regularizer=None, biases_initializer=ZEROS, biases_regularizer=None, reuse=None,
                variables_collections=None, outputs_collections=None, trainable=True, scope=None, conv_dims=None):
    """An N-D convolution (N = rank - 2, or `conv_dims`) in a `Conv` variable scope: variables `weights` and
    (without `normalizer_fn`) `biases`; then normalizer and activation (ReLU by default)."""
    if data_format not in (None, "NWC", "NCW", "NHWC", "NCHW", "NDHWC", "NCDHW"):
        raise ValueError(f"Invalid data_format: {data_format!r}")
    with variable_scope(scope, "Conv", [inputs], reuse=reuse, custom_getter=layer_variable_getter(_WEIGHTS)) as sc:
        inputs = convert_to_tensor(inputs)
        input_rank = inputs.shape.ndims
        if conv_dims is not None and conv_dims + 2 != input_rank:
            # %d: an unknown rank fails with TypeError, as in TF
            raise ValueError("Convolution expects input with rank %d, got %d" % (conv_dims + 2, input_rank))  # noqa: UP031
        if input_rank not in (3, 4, 5):
            raise ValueError("Convolution not supported for input with rank", input_rank)
        layer = {3: _Conv1D, 4: Conv2D, 5: Conv3D}[input_rank](
            filters=num_outputs, kernel_size=kernel_size, strides=stride, padding=padding,
            data_format=_channels(data_format), dilation_rate=rate, activation=None,
            use_bias=not normalizer_fn and biases_initializer, kernel_initializer=weights_initializer,
            bias_initializer=biases_initializer, kernel_regularizer=weights_regularizer,
            bias_regularizer=biases_regularizer, activity_regularizer=None, trainable=trainable, name=sc.name,
            dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        return finish_layer(layer, outputs, variables_collections, normalizer_fn, normalizer_params, activation_fn,
                            outputs_collections, sc.name)


def _fixed_rank(conv_dims, name):
    """`convolution` for inputs of rank `conv_dims + 2` (calling it positionally, as TF did)."""
    def conv(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=None, rate=1,
             activation_fn=relu, normalizer_fn=None, normalizer_params=None, weights_initializer=XAVIER,
             weights_regularizer=None, biases_initializer=ZEROS, biases_regularizer=None, reuse=None,
             variables_collections=None, outputs_collections=None, trainable=True, scope=None):
        return convolution(inputs, num_outputs, kernel_size, stride, padding, data_format, rate, activation_fn,
                           normalizer_fn, normalizer_params, weights_initializer, weights_regularizer,
                           biases_initializer, biases_regularizer, reuse, variables_collections,
                           outputs_collections, trainable, scope, conv_dims=conv_dims)
    conv.__name__ = conv.__qualname__ = name
    conv.__doc__ = convolution.__doc__
    return add_arg_scope(conv)


convolution1d, convolution2d, convolution3d = (_fixed_rank(n, f"convolution{n}d") for n in (1, 2, 3))


def _transpose(rank, name, default_scope, formats, layer_class):
    """contrib's transposed convolution of `rank` spatial dimensions (variables as `convolution`'s)."""
    def conv_transpose(inputs, num_outputs, kernel_size, stride=1, padding="SAME", data_format=formats[1],
                       activation_fn=relu, normalizer_fn=None, normalizer_params=None, weights_initializer=XAVIER,
                       weights_regularizer=None, biases_initializer=ZEROS, biases_regularizer=None, reuse=None,
                       variables_collections=None, outputs_collections=None, trainable=True, scope=None):
        with variable_scope(scope, default_scope, [inputs], reuse=reuse,
                            custom_getter=layer_variable_getter(_WEIGHTS)) as sc:
            if data_format not in formats:
                raise ValueError(f"data_format has to be either {formats[0]} or {formats[1]}.")
            inputs = convert_to_tensor(inputs)
            layer = layer_class(
                filters=num_outputs, kernel_size=kernel_size, strides=stride, padding=padding,
                data_format=_channels(data_format), activation=None,
                use_bias=not normalizer_fn and biases_initializer, kernel_initializer=weights_initializer,
                bias_initializer=biases_initializer, kernel_regularizer=weights_regularizer,
                bias_regularizer=biases_regularizer, activity_regularizer=None, trainable=trainable, name=sc.name,
                dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
            outputs = layer.apply(inputs)
            return finish_layer(layer, outputs, variables_collections, normalizer_fn, normalizer_params,
                                activation_fn, outputs_collections, sc.name)
    conv_transpose.__name__ = conv_transpose.__qualname__ = name
    conv_transpose.__doc__ = f"A transposed {rank}-D convolution in a `{default_scope}` variable scope (variables " \
                             "as `convolution`'s)."
    return add_arg_scope(conv_transpose)


convolution2d_transpose = _transpose(2, "convolution2d_transpose", "Conv2d_transpose", ("NCHW", "NHWC"),
                                     Conv2DTranspose)
convolution3d_transpose = _transpose(3, "convolution3d_transpose", "Conv3d_transpose", ("NCDHW", "NDHWC"),
                                     Conv3DTranspose)


def _last_dimension(shape, min_rank=1):
    """contrib's utils.last_dimension: the known last dimension of a shape of rank >= `min_rank`."""
    dims = shape.dims
    if dims is None:
        raise ValueError("dims of shape must be known but is None")
    if len(dims) < min_rank:
        raise ValueError(f"rank of shape must be at least {min_rank} not: {len(dims)}")
    if dims[-1].value is None:
        raise ValueError(f"dimension -1 of shape must be known but is None: {shape}")
    return dims[-1].value


@add_arg_scope
def convolution2d_in_plane(inputs, kernel_size, stride=1, padding="SAME", activation_fn=relu, normalizer_fn=None,
                           normalizer_params=None, weights_initializer=XAVIER, weights_regularizer=None,
                           biases_initializer=ZEROS, biases_regularizer=None, reuse=None, variables_collections=None,
                           outputs_collections=None, trainable=True, scope=None):
    """The same [kh, kw] filter (`weights`, [kh, kw, 1, 1], tiled over the channels) convolved with each channel
    (NHWC) on its own, in a `ConvInPlane` variable scope; then `biases` or normalizer, and activation."""
    with variable_scope(scope, "ConvInPlane", [inputs], reuse=reuse) as sc:
        dtype = inputs.dtype.base_dtype
        kernel_h, kernel_w = _two(kernel_size)
        stride_h, stride_w = _two(stride)
        channels = _last_dimension(inputs.shape, min_rank=4)
        weights = model_variable("weights", shape=[kernel_h, kernel_w, 1, 1], dtype=dtype,
                                 initializer=weights_initializer, regularizer=weights_regularizer,
                                 collections=variable_collections(variables_collections, "weights"),
                                 trainable=trainable)
        outputs = depthwise_conv2d(inputs, tile(weights, [1, 1, channels, 1]), [1, stride_h, stride_w, 1], padding)
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        elif biases_initializer is not None:
            biases = model_variable("biases", shape=[channels], dtype=dtype, initializer=biases_initializer,
                                    regularizer=biases_regularizer, trainable=trainable,
                                    collections=variable_collections(variables_collections, "biases"))
            outputs = bias_add(outputs, biases)
        return finish(outputs, None, None, activation_fn, outputs_collections, sc.name)


def _two(value):
    """contrib's two_element_tuple: an int or a list/tuple of 2 ints as (height, width)."""
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ValueError(f"Must be a list with 2 elements: {value}")
        return int(value[0]), int(value[1])
    if isinstance(value, int):
        return value, value
    raise ValueError("Must be an int, a list with 2 elements or a TensorShape of length 2")


@add_arg_scope
def separable_convolution2d(inputs, num_outputs, kernel_size, depth_multiplier=1, stride=1, padding="SAME",
                            data_format="NHWC", rate=1, activation_fn=relu, normalizer_fn=None,
                            normalizer_params=None, weights_initializer=XAVIER, pointwise_initializer=None,
                            weights_regularizer=None, biases_initializer=ZEROS, biases_regularizer=None, reuse=None,
                            variables_collections=None, outputs_collections=None, trainable=True, scope=None):
    """A depthwise convolution (`depthwise_weights`), then, unless `num_outputs` is None, a pointwise one
    (`pointwise_weights`), in a `SeparableConv2d` variable scope; then biases or normalizer, and activation."""
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    getter = layer_variable_getter({"bias": "biases", "depthwise_kernel": "depthwise_weights",
                                    "pointwise_kernel": "pointwise_weights"})
    with variable_scope(scope, "SeparableConv2d", [inputs], reuse=reuse, custom_getter=getter) as sc:
        inputs = convert_to_tensor(inputs)
        pointwise_initializer = weights_initializer if pointwise_initializer is None else pointwise_initializer
        if num_outputs is not None:
            layer = SeparableConv2D(
                filters=num_outputs, kernel_size=kernel_size, strides=stride, padding=padding,
                data_format=_channels(data_format), dilation_rate=_two(rate), activation=None,
                depth_multiplier=depth_multiplier, use_bias=not normalizer_fn and biases_initializer,
                depthwise_initializer=weights_initializer, pointwise_initializer=pointwise_initializer,
                bias_initializer=biases_initializer, depthwise_regularizer=weights_regularizer,
                pointwise_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
                activity_regularizer=None, trainable=trainable, name=sc.name, dtype=inputs.dtype.base_dtype,
                _scope=sc, _reuse=reuse)
            outputs = layer.apply(inputs)
            add_variable_to_collections(layer.depthwise_kernel, variables_collections, "weights")
            add_variable_to_collections(layer.pointwise_kernel, variables_collections, "weights")
            if layer.bias is not None:
                add_variable_to_collections(layer.bias, variables_collections, "biases")
            return finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name)
        outputs = _depthwise(inputs, kernel_size, depth_multiplier, stride, padding, data_format, rate,
                             weights_initializer, weights_regularizer, variables_collections, trainable)
        if normalizer_fn is None and biases_initializer is not None:
            channels = outputs.shape.dims[1 if data_format.startswith("NC") else -1].value
            biases = model_variable("biases", shape=[channels], dtype=inputs.dtype.base_dtype,
                                    initializer=biases_initializer, regularizer=biases_regularizer,
                                    trainable=trainable,
                                    collections=variable_collections(variables_collections, "biases"))
            outputs = bias_add(outputs, biases, data_format=data_format)
        return finish(outputs, normalizer_fn, normalizer_params, activation_fn, outputs_collections, sc.name)


def _depthwise(inputs, kernel_size, depth_multiplier, stride, padding, data_format, rate, initializer, regularizer,
               variables_collections, trainable):
    """separable_convolution2d without `num_outputs`: only the depthwise convolution (`depthwise_weights`)."""
    kernel_h, kernel_w = _two(kernel_size)
    stride_h, stride_w = _two(stride)
    dims = inputs.shape.dims
    if dims is None:
        raise ValueError("dims of shape must be known but is None")
    if len(dims) < 4:
        raise ValueError(f"rank of shape must be at least 4 not: {len(dims)}")
    axis = 1 if data_format.startswith("NC") else -1
    if dims[axis].value is None:
        raise ValueError(f"dimension {axis} of shape must be known but is None: {inputs.shape}")
    weights = model_variable("depthwise_weights", shape=[kernel_h, kernel_w, dims[axis].value, depth_multiplier],
                             dtype=inputs.dtype.base_dtype, initializer=initializer, regularizer=regularizer,
                             trainable=trainable, collections=variable_collections(variables_collections, "weights"))
    strides = [1, 1, stride_h, stride_w] if data_format.startswith("NC") else [1, stride_h, stride_w, 1]
    return depthwise_conv2d(inputs, weights, strides, padding, rate=_two(rate), data_format=data_format)


# ----- pooling ----------------------------------------------------------------------------------------------
def _pool(name, layer_class, default_scope, doc, formats=("NCHW", "NHWC")):
    def pool(inputs, kernel_size, stride=2, padding="VALID", data_format=formats[1], outputs_collections=None,
             scope=None):
        if data_format not in formats:
            raise ValueError(f"data_format has to be either {formats[0]} or {formats[1]}.")
        with name_scope(scope, default_scope, [inputs]) as sc:
            inputs = convert_to_tensor(inputs)
            layer = layer_class(pool_size=kernel_size, strides=stride, padding=padding,
                                data_format=_channels(data_format), _scope=sc)
            return collect_named_outputs(outputs_collections, sc, layer.apply(inputs))
    pool.__name__ = pool.__qualname__ = name
    pool.__doc__ = doc
    return add_arg_scope(pool)


max_pool2d = _pool("max_pool2d", MaxPooling2D, "MaxPool2D", "2-D max pooling in a `MaxPool2D` name scope (stride 2, VALID).")
avg_pool2d = _pool("avg_pool2d", AveragePooling2D, "AvgPool2D", "2-D average pooling in an `AvgPool2D` name scope.")
max_pool3d = _pool("max_pool3d", MaxPooling3D, "MaxPool3D", "3-D max pooling in a `MaxPool3D` name scope.",
                   ("NCDHW", "NDHWC"))
avg_pool3d = _pool("avg_pool3d", AveragePooling3D, "AvgPool3D", "3-D average pooling in an `AvgPool3D` name scope.",
                   ("NCDHW", "NDHWC"))


def _n_positive_integers(n, value):
    """contrib's utils.n_positive_integers: an int or a sequence of n ints, each >= 1, as an n-tuple."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        if len(value) != n:
            raise ValueError(f"Expected sequence of {n} positive integers, but received {value!r}") from None
        try:
            values = tuple(int(x) for x in value)
        except (TypeError, ValueError):
            raise ValueError(f"Expected sequence of {n} positive integers, but received {value!r}") from None
        for x in values:
            if x < 1:
                raise ValueError(f"expected positive integer, but received {x}") from None
        return values
    if value < 1:
        raise ValueError(f"expected positive integer, but received {value}")
    return (value,) * n


@add_arg_scope
def pool(inputs, kernel_size, pooling_type, padding="VALID", data_format=None, dilation_rate=1, stride=1,
         outputs_collections=None, scope=None):
    """`tf.nn.pool` over the spatial dimensions, in a `max_pool`/`avg_pool` name scope (the op takes its name)."""
    with name_scope(scope, f"{pooling_type.lower()}_pool", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        rank = inputs.shape.ndims
        if rank is None:
            raise ValueError("Rank of inputs must be known")
        if rank < 3:
            raise ValueError("Rank of inputs must be >= 3")
        n = rank - 2
        outputs = nn_pool(inputs, window_shape=_n_positive_integers(n, kernel_size), pooling_type=pooling_type,
                          padding=padding, data_format=data_format,
                          dilation_rate=_n_positive_integers(n, dilation_rate),
                          strides=_n_positive_integers(n, stride), name=sc)
        return collect_named_outputs(outputs_collections, sc, outputs)
conv1d, conv2d, conv3d = convolution1d, convolution2d, convolution3d
conv2d_transpose, separable_conv2d = convolution2d_transpose, separable_convolution2d
conv3d_transpose, conv2d_in_plane = convolution3d_transpose, convolution2d_in_plane
