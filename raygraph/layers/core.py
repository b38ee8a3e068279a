"""`tf.layers.Dense`, `Dropout`, `Flatten` and their function forms, as TF 2.21's legacy layers build them."""
import functools
import numbers
import operator

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..initializers import zeros_initializer
from ..ops.array import expand_dims, identity, reshape, shape, transpose
from ..ops.control_flow import cond
from ..ops.linalg import matmul, tensordot
from ..ops.math import cast
from ..ops.nn import bias_add, dropout as nn_dropout
from ..shape import TensorShape, dimension_value
from ..tensor import Tensor
from .base import InputSpec, Layer


class Dense(Layer):
    """`activation(inputs @ kernel + bias)`, with kernel [input dims, units] made on the first call."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs)
        self.units = int(units) if not isinstance(units, int) else units
        if self.units < 0:
            raise ValueError(f"Received an invalid value for `units`, expected a positive integer. Received: "
                             f"units={units}")
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True

    def build(self, input_shape):
        dtype = dtypes.as_dtype(self.dtype or dtypes.float32)
        if not (dtype.is_floating or dtype.is_complex):
            raise TypeError(f"A Dense layer can only be built with a floating-point dtype. Received: dtype={dtype}")
        last_dim = input_shape.dims[-1].value if input_shape.ndims else None
        if last_dim is None:
            raise ValueError(f"The last dimension of the inputs to a Dense layer should be defined. Found None. "
                             f"Full input shape received: {input_shape}")
        self.input_spec = InputSpec(min_ndim=2, axes={-1: last_dim})
        self.kernel = self.add_weight("kernel", shape=[last_dim, self.units], initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      dtype=self.dtype, trainable=True)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=[self.units], initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        dtype=self.dtype, trainable=True)
        self.built = True

    def compute_output_shape(self, input_shape):
        input_shape = TensorShape(input_shape).with_rank_at_least(2)
        if dimension_value(input_shape[-1]) is None:
            raise ValueError(f"The innermost dimension of input_shape must be defined, but saw: {input_shape}")
        return input_shape[:-1].concatenate(self.units)

    def call(self, inputs):
        if inputs.dtype.base_dtype != self._dtype:
            inputs = cast(inputs, dtype=self._dtype)
        rank = inputs.shape.ndims
        if rank == 2 or rank is None:
            outputs = matmul(inputs, self.kernel)
        else:
            outputs = tensordot(inputs, self.kernel, [[rank - 1], [0]])
            outputs.set_shape(inputs.shape.as_list()[:-1] + [self.kernel.shape.as_list()[-1]])
        if self.bias is not None:
            outputs = bias_add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=zeros_initializer(), kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
          reuse=None):
    """A `Dense` layer applied to `inputs` (its variables are `<name or dense_n>/kernel` and `/bias`)."""
    layer = Dense(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                  bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                  bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                  kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, trainable=trainable,
                  name=name, _scope=name, _reuse=reuse)
    return layer(inputs)


class Dropout(Layer):
    """Drops each element with probability `rate` when `training` (a Python bool or a bool tensor)."""

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if isinstance(rate, (int, float)) and not 0 <= rate <= 1:
            raise ValueError(f"Invalid value {rate} received for `rate`, expected a value between 0 and 1.")
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed
        self.supports_masking = True

    def _get_noise_shape(self, inputs):
        if self.noise_shape is None:
            return None
        concrete = shape(inputs)
        return convert_to_tensor([concrete[i] if value is None else value for i, value in enumerate(self.noise_shape)])

    def call(self, inputs, training=False):
        if isinstance(self.rate, numbers.Real) and self.rate == 0:
            return identity(inputs)

        def dropped():
            return nn_dropout(inputs, rate=self.rate, noise_shape=self._get_noise_shape(inputs), seed=self.seed)

        if isinstance(training, Tensor):
            return cond(cast(training, dtypes.bool_), dropped, lambda: identity(inputs))
        return dropped() if training else identity(inputs)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """A `Dropout` layer applied to `inputs`; the identity unless `training`."""
    return Dropout(rate, noise_shape=noise_shape, seed=seed, name=name)(inputs, training=training)


class Flatten(Layer):
    """Reshapes to [batch, everything else] (channels_first inputs are moved to channels_last first)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        data_format = "channels_last" if data_format is None else data_format.lower()
        if data_format not in ("channels_first", "channels_last"):
            raise ValueError(f'The `data_format` argument must be one of "channels_first", "channels_last". '
                             f"Received: {data_format}")
        self.data_format = data_format
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        rank = inputs.shape.ndims
        if self.data_format == "channels_first" and rank and rank > 1:
            inputs = transpose(inputs, perm=[0] + list(range(2, rank)) + [1])
        dims = inputs.shape
        if dims.ndims == 1:
            return expand_dims(inputs, axis=1)
        batch = dims.dims[0].value if dims.ndims is not None else None
        rest = dims[1:] if dims.ndims is not None else None
        if rest is not None and rest.is_fully_defined():
            flat = constant([-1, int(functools.reduce(operator.mul, rest.as_list(), 1))])
        elif batch is not None:
            flat = constant([int(batch), -1])
        else:
            flat = [shape(inputs)[0], -1]
        return reshape(inputs, flat)


def flatten(inputs, name=None, data_format="channels_last"):
    """A `Flatten` layer applied to `inputs`."""
    return Flatten(name=name, data_format=data_format)(inputs)


FullyConnected = Dense
fully_connected = dense
