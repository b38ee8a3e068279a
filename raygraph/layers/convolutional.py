"""`tf.layers` convolutions: Conv1D/2D/3D, Conv2DTranspose, Conv3DTranspose and the separable ones (classes and
functions), as TF 2.21's legacy layers build them on top of `tf.nn.convolution` and the transposes."""
from ..initializers import zeros_initializer
from ..ops.array import expand_dims, reshape, shape, squeeze, transpose
from ..ops.conv import conv2d_transpose as nn_conv2d_transpose, convolution, separable_conv2d as nn_separable_conv2d
from ..ops.conv import conv3d_transpose as nn_conv3d_transpose
from ..ops.joining import pad, stack
from ..ops.nn import bias_add
from ..shape import TensorShape
from .arguments import (conv_output_length, convert_data_format, deconv_output_length, normalize_data_format,
                        normalize_padding, normalize_tuple)
from .base import InputSpec, Layer


class _Conv(Layer):
    """An N-D convolution layer: kernel `kernel_size + (input channels, filters)`, then bias and activation."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format="channels_last",
                 dilation_rate=1, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        if isinstance(filters, float):
            filters = int(filters)
        if filters is not None and filters <= 0:
            raise ValueError(f"Invalid value for argument `filters`. Expected a strictly positive value. Received "
                             f"filters={filters}.")
        self.filters = filters
        self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = normalize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = normalize_padding(padding)
        self.data_format = normalize_data_format(data_format)
        self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.activation, self.use_bias = activation, use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self.input_spec = InputSpec(min_ndim=rank + 2)
        if not all(self.kernel_size):
            raise ValueError(f"The argument `kernel_size` cannot contain 0(s). Received: {self.kernel_size}")
        if not all(self.strides):
            raise ValueError(f"The argument `strides` cannot contains 0(s). Received: {self.strides}")
        if self.padding == "causal" and rank != 1:
            raise ValueError("Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
        self._tf_data_format = convert_data_format(self.data_format, rank + 2)

    def _channel_axis(self):
        return -1 - self.rank if self.data_format == "channels_first" else -1

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)
        channel_axis = self._channel_axis()
        channels = input_shape.dims[channel_axis].value if input_shape.ndims else None
        if channels is None:
            raise ValueError(f"The channel dimension of the inputs should be defined. The input_shape received is "
                             f"{input_shape}, where axis {channel_axis} (0-based) is the channel dimension, which "
                             f"found to be `None`.")
        self.compute_output_shape(input_shape)
        self._add_weights(self.kernel_size + (channels, self.filters))
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={channel_axis: channels})
        self.built = True

    def _add_weights(self, kernel_shape):
        self.kernel = self.add_weight(name="kernel", shape=kernel_shape, initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      trainable=True, dtype=self.dtype)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        trainable=True, dtype=self.dtype)

    def call(self, inputs):
        input_shape = inputs.shape
        if self.padding == "causal":  # pad the start of the steps so that no output sees a later step
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            batch_rank = 1 if input_shape.ndims is None else input_shape.ndims - 2
            steps = [[left, 0], [0, 0]] if self.data_format == "channels_last" else [[0, 0], [left, 0]]
            inputs = pad(inputs, [[0, 0]] * batch_rank + steps)
        padding = "VALID" if self.padding == "causal" else (
            self.padding.upper() if isinstance(self.padding, str) else self.padding)
        outputs = convolution(inputs, self.kernel, padding=padding, strides=list(self.strides),
                              dilation_rate=list(self.dilation_rate), data_format=self._tf_data_format,
                              name=type(self).__name__)
        if self.use_bias:
            if self.rank == 1 and self.data_format == "channels_first":
                outputs += reshape(self.bias, (1, self.filters, 1))
            else:
                outputs = bias_add(outputs, self.bias, data_format=self._tf_data_format)
        if input_shape.ndims:
            outputs.set_shape(self.compute_output_shape(input_shape))
        return self.activation(outputs) if self.activation is not None else outputs

    def compute_output_shape(self, input_shape):
        dims = TensorShape(input_shape).as_list()
        batch_rank = len(dims) - self.rank - 1
        try:
            if self.data_format == "channels_last":
                return TensorShape(dims[:batch_rank] + self._spatial(dims[batch_rank:-1]) + [self.filters])
            return TensorShape(dims[:batch_rank] + [self.filters] + self._spatial(dims[batch_rank + 1:]))
        except ValueError:
            raise ValueError(f"One of the dimensions in the output is <= 0 due to downsampling in {self.name}. "
                             f"Consider increasing the input size. Received input shape {dims} which would produce "
                             f"output shape with a zero or negative value in a dimension.") from None

    def _spatial(self, lengths):
        out = [conv_output_length(n, self.kernel_size[i], self.padding, self.strides[i], self.dilation_rate[i])
               for i, n in enumerate(lengths)]
        if any(n is not None and n < 0 for n in out):
            raise ValueError("negative output dimension")
        return out


class Conv1D(_Conv):
    """1-D convolution over [batch, steps, channels] (or channels_first)."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format="channels_last", dilation_rate=1,
                 activation=None, use_bias=True, kernel_initializer=None, bias_initializer=zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                         kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, trainable, name, **kwargs)


class Conv2D(_Conv):
    """2-D convolution over [batch, height, width, channels] (or channels_first)."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                 dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                         kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, trainable, name, **kwargs)


class Conv3D(_Conv):
    """3-D convolution over [batch, depth, height, width, channels] (or channels_first)."""

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format="channels_last",
                 dilation_rate=(1, 1, 1), activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                         kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                         activity_regularizer, kernel_constraint, bias_constraint, trainable, name, **kwargs)


def _build_transpose(layer, input_shape, rank):
    """A transposed convolution's build: kernel `kernel_size + (filters, input channels)`, channels known."""
    input_shape = TensorShape(input_shape)
    if input_shape.ndims != rank:
        raise ValueError(f"Inputs should have rank {rank}. Received input_shape={input_shape}.")
    channel_axis = 1 if layer.data_format == "channels_first" else -1
    channels = input_shape.dims[channel_axis].value
    if channels is None:
        raise ValueError(f"The channel dimension of the inputs to `{type(layer).__name__}` should be defined. The "
                         f"input_shape received is {input_shape}, where axis {channel_axis} (0-based) is the "
                         f"channel dimension, which found to be `None`.")
    layer.input_spec = InputSpec(ndim=rank, axes={channel_axis: channels})
    layer._add_weights(layer.kernel_size + (layer.filters, channels))
    layer.built = True


class Conv2DTranspose(Conv2D):
    """The transpose (gradient) of a 2-D convolution: kernel `kernel_size + (filters, input channels)`."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                 activation=None, use_bias=True, kernel_initializer=None, bias_initializer=zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, trainable=trainable,
                         name=name, **kwargs)
        self.output_padding = None

    def build(self, input_shape):
        _build_transpose(self, input_shape, 4)

    def call(self, inputs):
        inputs_shape = shape(inputs)
        batch_size = inputs_shape[0]
        h_axis, w_axis = (2, 3) if self.data_format == "channels_first" else (1, 2)
        height = width = None
        if inputs.shape.ndims is not None:
            dims = inputs.shape.as_list()
            height, width = dims[h_axis], dims[w_axis]
        height = height if height is not None else inputs_shape[h_axis]
        width = width if width is not None else inputs_shape[w_axis]
        out_h = deconv_output_length(height, self.kernel_size[0], self.padding, stride=self.strides[0])
        out_w = deconv_output_length(width, self.kernel_size[1], self.padding, stride=self.strides[1])
        if self.data_format == "channels_first":
            output_shape = stack((batch_size, self.filters, out_h, out_w))
        else:
            output_shape = stack((batch_size, out_h, out_w, self.filters))
        outputs = self._transpose_conv(inputs, output_shape)
        if inputs.shape.ndims:
            outputs.set_shape(self.compute_output_shape(inputs.shape))
        if self.use_bias:
            outputs = bias_add(outputs, self.bias, data_format=convert_data_format(self.data_format, 4))
        return self.activation(outputs) if self.activation is not None else outputs

    def _transpose_conv(self, x, output_shape):
        """Keras' backend.conv2d_transpose on the CPU: channels_first runs as channels_last between transposes."""
        if self.data_format == "channels_first":
            x = transpose(x, (0, 2, 3, 1))
            output_shape = (output_shape[0], output_shape[2], output_shape[3], output_shape[1])
        if output_shape[0] is None:  # indexing the shape tensor makes a StridedSlice, as in Keras
            output_shape = (shape(x)[0],) + tuple(output_shape[1:])
        if isinstance(output_shape, (tuple, list)):
            output_shape = stack(list(output_shape))
        out = nn_conv2d_transpose(x, self.kernel, output_shape, (1,) + self.strides + (1,),
                                  padding=self.padding.upper(), data_format="NHWC")
        return transpose(out, (0, 3, 1, 2)) if self.data_format == "channels_first" else out

    def compute_output_shape(self, input_shape):
        dims = TensorShape(input_shape).as_list()
        c, h, w = (1, 2, 3) if self.data_format == "channels_first" else (3, 1, 2)
        dims[c] = self.filters
        dims[h] = deconv_output_length(dims[h], self.kernel_size[0], self.padding, stride=self.strides[0])
        dims[w] = deconv_output_length(dims[w], self.kernel_size[1], self.padding, stride=self.strides[1])
        return TensorShape(dims)


class Conv3DTranspose(Conv3D):
    """The transpose of a 3-D convolution: kernel `kernel_size + (filters, input channels)`; output sizes from the
    input's dynamic shape, as Keras' Conv3DTranspose computes them."""

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format="channels_last",
                 activation=None, use_bias=True, kernel_initializer=None, bias_initializer=zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding, data_format=data_format,
                         activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, trainable=trainable,
                         name=name, **kwargs)
        self.output_padding = None

    def build(self, input_shape):
        _build_transpose(self, input_shape, 5)

    def call(self, inputs):
        inputs_shape = shape(inputs)
        first = self.data_format == "channels_first"
        batch, *lengths = [inputs_shape[a] for a in ((0, 2, 3, 4) if first else (0, 1, 2, 3))]  # TF's op order
        out = [deconv_output_length(n, k, self.padding, stride=st)
               for n, k, st in zip(lengths, self.kernel_size, self.strides)]
        if first:
            output_shape, strides = (batch, self.filters, *out), (1, 1) + self.strides
        else:
            output_shape, strides = (batch, *out, self.filters), (1,) + self.strides + (1,)
        outputs = nn_conv3d_transpose(inputs, self.kernel, stack(output_shape), strides,
                                      data_format=convert_data_format(self.data_format, 5),
                                      padding=self.padding.upper())
        if inputs.shape.ndims:
            outputs.set_shape(self.compute_output_shape(inputs.shape))
        if self.use_bias:
            outputs = bias_add(outputs, self.bias, data_format=convert_data_format(self.data_format, 4))
        return self.activation(outputs) if self.activation is not None else outputs

    def compute_output_shape(self, input_shape):
        dims = TensorShape(input_shape).as_list()
        c, spatial = (1, (2, 3, 4)) if self.data_format == "channels_first" else (4, (1, 2, 3))
        dims[c] = self.filters
        for a, k, st in zip(spatial, self.kernel_size, self.strides):
            dims[a] = deconv_output_length(dims[a], k, self.padding, stride=st)
        return TensorShape(dims)


class _SeparableConv(_Conv):
    """A depthwise convolution (`depth_multiplier` filters per input channel), then a pointwise (1x1) one."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format="channels_last",
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer=None,
                 pointwise_initializer=None, bias_initializer=zeros_initializer(), depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, trainable=True,
                 name=None, **kwargs):
        super().__init__(rank, filters, kernel_size, strides, padding, data_format, dilation_rate, activation,
                         use_bias, None, bias_initializer, None, bias_regularizer, activity_regularizer, None,
                         bias_constraint, trainable, name, **kwargs)
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer, self.pointwise_initializer = depthwise_initializer, pointwise_initializer
        self.depthwise_regularizer, self.pointwise_regularizer = depthwise_regularizer, pointwise_regularizer
        self.depthwise_constraint, self.pointwise_constraint = depthwise_constraint, pointwise_constraint

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)
        channel_axis = self._channel_axis()
        if input_shape.dims[channel_axis].value is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        channels = int(input_shape.dims[channel_axis].value)
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={channel_axis: channels})
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel", shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint, trainable=True, dtype=self.dtype)
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel", shape=(1,) * self.rank + (self.depth_multiplier * channels, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint, trainable=True, dtype=self.dtype)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        trainable=True, dtype=self.dtype)
        self.built = True

    def _separable(self, inputs, depthwise, pointwise, strides, rate):
        fmt = "NCHW" if self.data_format == "channels_first" else "NHWC"
        channels_last = self.data_format == "channels_last"
        full = (1,) + strides + (1,) if channels_last else (1, 1) + strides
        outputs = nn_separable_conv2d(inputs, depthwise, pointwise, strides=full, padding=self.padding.upper(),
                                      rate=rate, data_format=fmt)
        if self.use_bias:
            outputs = bias_add(outputs, self.bias, data_format=fmt)
        return outputs


class SeparableConv1D(_SeparableConv):
    """Depthwise-separable 1-D convolution (a 2-D one over an added spatial dim)."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format="channels_last", dilation_rate=1,
                 depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer=None,
                 pointwise_initializer=None, bias_initializer=zeros_initializer(), depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, trainable=True,
                 name=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                         activation, use_bias, depthwise_initializer, pointwise_initializer, bias_initializer,
                         depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer,
                         depthwise_constraint, pointwise_constraint, bias_constraint, trainable, name, **kwargs)

    def call(self, inputs):
        start = 1 if self.data_format == "channels_last" else 2
        if self.padding == "causal":
            raise NotImplementedError("raygraph: causal SeparableConv1D is not implemented yet")
        inputs = expand_dims(inputs, start)
        depthwise, pointwise = expand_dims(self.depthwise_kernel, 0), expand_dims(self.pointwise_kernel, 0)
        outputs = squeeze(self._separable(inputs, depthwise, pointwise, self.strides * 2, (1,) + self.dilation_rate),
                          [start])
        return self.activation(outputs) if self.activation is not None else outputs


class SeparableConv2D(_SeparableConv):
    """Depthwise-separable 2-D convolution: variables depthwise_kernel, pointwise_kernel, bias."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer=None,
                 pointwise_initializer=None, bias_initializer=zeros_initializer(), depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, trainable=True,
                 name=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                         activation, use_bias, depthwise_initializer, pointwise_initializer, bias_initializer,
                         depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer,
                         depthwise_constraint, pointwise_constraint, bias_constraint, trainable, name, **kwargs)

    def call(self, inputs):
        outputs = self._separable(inputs, self.depthwise_kernel, self.pointwise_kernel, self.strides,
                                  self.dilation_rate)
        return self.activation(outputs) if self.activation is not None else outputs


def _layer_function(cls, signature_doc):
    def fn(inputs, filters, kernel_size, *args, reuse=None, name=None, **kwargs):
        layer = cls(filters, kernel_size, *args, name=name, _reuse=reuse, _scope=name, **kwargs)
        return layer(inputs)
    fn.__doc__ = f"A `{cls.__name__}` layer applied to `inputs` ({signature_doc})."
    return fn


conv1d = _layer_function(Conv1D, "variables <name or conv1d_n>/kernel and /bias")
conv2d = _layer_function(Conv2D, "variables <name or conv2d_n>/kernel and /bias")
conv2d_transpose = _layer_function(Conv2DTranspose, "variables <name or conv2d_transpose_n>/kernel and /bias")
conv3d = _layer_function(Conv3D, "variables <name or conv3d_n>/kernel and /bias")
separable_conv1d = _layer_function(SeparableConv1D, "depthwise_kernel, pointwise_kernel and bias")
separable_conv2d = _layer_function(SeparableConv2D, "depthwise_kernel, pointwise_kernel and bias")
Convolution1D, Convolution2D, Convolution2DTranspose, Deconvolution2D, Deconv2D = (
    Conv1D, Conv2D, Conv2DTranspose, Conv2DTranspose, Conv2DTranspose)
convolution1d, convolution2d, convolution2d_transpose = conv1d, conv2d, conv2d_transpose
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D
Convolution3D, convolution3d = Conv3D, conv3d
conv3d_transpose = _layer_function(Conv3DTranspose, "variables <name or conv3d_transpose_n>/kernel and /bias")
