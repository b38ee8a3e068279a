"""`tf.layers` pooling: Max/AveragePooling in 1-D, 2-D and 3-D (classes and functions), as TF 2.21's legacy
layers build them (1-D through the 2-D op on an expanded input; channels_first moved to channels_last where the
CPU kernels need it)."""
from ..ops.array import expand_dims, squeeze, transpose
from ..ops.pooling import avg_pool, avg_pool3d, max_pool, max_pool3d
from .arguments import convert_data_format, normalize_data_format, normalize_padding, normalize_tuple
from .base import InputSpec, Layer


class _Pooling(Layer):
    rank = 2

    def __init__(self, pool_function, pool_size, strides, padding="valid", data_format="channels_last", name=None,
                 **kwargs):
        if strides is None:
            raise ValueError("Argument `strides` must not be None.")
        super().__init__(name=name, **kwargs)
        self.pool_function = pool_function
        self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size")
        self.strides = normalize_tuple(strides, self.rank, "strides", allow_zero=True)
        self.padding = normalize_padding(padding)
        self.data_format = normalize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)


class _Pooling1D(_Pooling):
    rank = 1

    def call(self, inputs):
        pad_axis = 2 if self.data_format == "channels_last" else 3
        x = expand_dims(inputs, pad_axis)
        if self.data_format == "channels_first":  # Keras' pool2d runs NCHW as NHWC on the CPU
            x = transpose(x, (0, 2, 3, 1))
        x = self.pool_function(x, (1,) + self.pool_size + (1, 1), (1,) + self.strides + (1, 1),
                               padding=self.padding.upper(), data_format="NHWC")
        if self.data_format == "channels_first":
            x = transpose(x, (0, 3, 1, 2))
        return squeeze(x, pad_axis)


class _Pooling2D(_Pooling):
    rank = 2

    def call(self, inputs):
        if self.data_format == "channels_last":
            ksize, strides = (1,) + self.pool_size + (1,), (1,) + self.strides + (1,)
        else:
            ksize, strides = (1, 1) + self.pool_size, (1, 1) + self.strides
        return self.pool_function(inputs, ksize=ksize, strides=strides, padding=self.padding.upper(),
                                  data_format=convert_data_format(self.data_format, 4))


class _Pooling3D(_Pooling):
    rank = 3

    def call(self, inputs):
        ksize, strides = (1,) + self.pool_size + (1,), (1,) + self.strides + (1,)
        if self.data_format == "channels_first":
            inputs = transpose(inputs, (0, 2, 3, 4, 1))
        outputs = self.pool_function(inputs, ksize=ksize, strides=strides, padding=self.padding.upper())
        if self.data_format == "channels_first":
            outputs = transpose(outputs, (0, 4, 1, 2, 3))
        return outputs


def _layer_class(name, base, function, doc):
    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last", name=None, **kwargs):
        base.__init__(self, function, pool_size, strides, padding=padding, data_format=data_format, name=name,
                      **kwargs)
    return type(name, (base,), {"__init__": __init__, "__doc__": doc, "__module__": __name__})


MaxPooling1D = _layer_class("MaxPooling1D", _Pooling1D, max_pool, "Max pooling over windows of a [batch, steps, "
                                                                  "channels] input.")
AveragePooling1D = _layer_class("AveragePooling1D", _Pooling1D, avg_pool, "Average pooling over windows of a "
                                                                          "[batch, steps, channels] input.")
MaxPooling2D = _layer_class("MaxPooling2D", _Pooling2D, max_pool, "Max pooling over 2-D windows.")
AveragePooling2D = _layer_class("AveragePooling2D", _Pooling2D, avg_pool, "Average pooling over 2-D windows.")
MaxPooling3D = _layer_class("MaxPooling3D", _Pooling3D, max_pool3d, "Max pooling over 3-D windows.")
AveragePooling3D = _layer_class("AveragePooling3D", _Pooling3D, avg_pool3d, "Average pooling over 3-D windows.")


def _layer_function(cls):
    def fn(inputs, pool_size, strides, padding="valid", data_format="channels_last", name=None):
        return cls(pool_size=pool_size, strides=strides, padding=padding, data_format=data_format, name=name)(inputs)
    fn.__doc__ = f"A `{cls.__name__}` layer applied to `inputs`."
    return fn


max_pooling1d = _layer_function(MaxPooling1D)
average_pooling1d = _layer_function(AveragePooling1D)
max_pooling2d = _layer_function(MaxPooling2D)
average_pooling2d = _layer_function(AveragePooling2D)
max_pooling3d = _layer_function(MaxPooling3D)
average_pooling3d = _layer_function(AveragePooling3D)
MaxPool1D, AvgPool1D, MaxPool2D, AvgPool2D, MaxPool3D, AvgPool3D = (MaxPooling1D, AveragePooling1D, MaxPooling2D,
                                                                    AveragePooling2D, MaxPooling3D, AveragePooling3D)
