"""`tf.layers.BatchNormalization` and `batch_normalization`, as TF 2.21's legacy layers build them in graph mode.

Weights: `gamma`, `beta` (trainable), `moving_mean`, `moving_variance` (not trainable). 4-D and 5-D inputs
normalized along axis 1 or the last axis use FusedBatchNormV3 (`fused=None` picks it where it can); others use
`tf.nn.moments` and `tf.nn.batch_normalization`. With `training` true (a Python bool, or a bool tensor: then
both branches are built under `cond`) the moving statistics move towards the batch's by `1 - momentum`,
through AssignSub ops added to `UPDATE_OPS`.
"""
from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import colocate_with, name_scope
from ..initializers import ones_initializer, zeros_initializer
from ..ops.array import reshape
from ..ops.math import cast
from ..ops.nn import moments
from ..ops.normalization import batch_normalization as nn_batch_normalization, fused_batch_norm
from ..ops.shape_fns import constant_value
from ..ops.state import assign_sub
from ..shape import TensorShape
from ..tensor import Tensor
from .arguments import smart_cond
from .base import InputSpec, Layer

_FUSED_AXES = {(1, 4): "NCHW", (1, 5): "NCDHW", (3, 4): "NHWC", (4, 5): "NDHWC"}


def _static(pred):
    """TF's smart_constant_value: a Python bool, a constant tensor's value, or None."""
    if isinstance(pred, Tensor):
        value = constant_value(pred)
        return None if value is None else bool(value)
    return bool(pred)


_smart_cond = smart_cond  # contrib's layers use it too


class BatchNormalization(Layer):
    """Normalizes along `axis` by the batch's moments when training, by the moving ones otherwise."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=zeros_initializer(), gamma_initializer=ones_initializer(),
                 moving_mean_initializer=zeros_initializer(), moving_variance_initializer=ones_initializer(),
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, renorm_clipping=None, renorm_momentum=0.99, fused=None, trainable=True,
                 virtual_batch_size=None, adjustment=None, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(f"Expected an int or a list/tuple of ints for the argument 'axis', but received: {axis!r}")
        if renorm or virtual_batch_size is not None or adjustment is not None:
            raise NotImplementedError("raygraph: BatchNormalization's renorm, virtual_batch_size and adjustment are "
                                      "not implemented")
        self.momentum, self.epsilon, self.center, self.scale = momentum, epsilon, center, scale
        self.beta_initializer, self.gamma_initializer = beta_initializer, gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        self.renorm, self.virtual_batch_size, self.adjustment = renorm, virtual_batch_size, adjustment
        self.fused = True if fused is None else fused   # TF1's layers: decided for good when built
        self.supports_masking = True

    def _fused_can_be_used(self):
        axis = [self.axis] if isinstance(self.axis, int) else self.axis
        return (len(axis) == 1 and axis[0] in (-4, -3, -1, 1, 3, 4)
                and self.dtype in ("float16", "bfloat16", "float32", None))

    def _param_dtype(self):
        return dtypes.float32 if self._dtype in (dtypes.float16, None) else self._dtype

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)
        rank = input_shape.ndims
        if rank is None:
            raise ValueError(f"Input has undefined rank. Received: input_shape={input_shape}.")
        axes = [self.axis] if isinstance(self.axis, int) else list(self.axis)
        for i, x in enumerate(axes):
            if x < 0:
                axes[i] = x + rank
            if not 0 <= axes[i] < rank:
                given = tuple(self.axis) if isinstance(self.axis, list) else (self.axis,)
                raise ValueError(f"Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with "
                                 f"inputs.rank={rank}). Received: axis={given}")
        if len(axes) != len(set(axes)):
            raise ValueError(f"Duplicate axis: {self.axis}")
        self.axis = axes
        if self.fused:
            self.fused = rank in (4, 5) and self._fused_can_be_used()
        if self.fused:
            self._data_format = _FUSED_AXES.get((axes[0], rank))
            if self._data_format is None:
                if rank == 4:
                    raise ValueError(f"Unsupported axis. The use of `fused=True` is only possible with `axis=1` or "
                                     f"`axis=3` for 4D input tensors. Received: axis={tuple(axes)}")
                self.fused = False
        axis_to_dim = {x: input_shape.dims[x].value for x in axes}
        if any(d is None for d in axis_to_dim.values()):
            raise ValueError(f"Input has undefined `axis` dimension. Received input with shape "
                             f"{tuple(input_shape.dims)} and axis={tuple(axes)}")
        self.input_spec = InputSpec(ndim=rank, axes=axis_to_dim)
        if len(axis_to_dim) == 1:
            self._param_shape = (list(axis_to_dim.values())[0],)
        else:
            self._param_shape = [axis_to_dim.get(i, 1) for i in range(rank)]
        dtype = self._param_dtype()
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight("gamma", self._param_shape, dtype=dtype, initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer, constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight("beta", self._param_shape, dtype=dtype, initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer, constraint=self.beta_constraint)
        self.moving_mean = self.add_weight("moving_mean", self._param_shape, dtype=dtype,
                                           initializer=self.moving_mean_initializer, trainable=False)
        self.moving_variance = self.add_weight("moving_variance", self._param_shape, dtype=dtype,
                                               initializer=self.moving_variance_initializer, trainable=False)
        self.built = True

    def _assign_moving_average(self, variable, value, momentum):
        with name_scope(None, "AssignMovingAvg") as scope:
            with colocate_with(variable):
                decay = convert_to_tensor(1.0 - momentum, name="decay")
                if decay.dtype != variable.dtype.base_dtype:
                    decay = cast(decay, variable.dtype.base_dtype)
                delta = (variable - cast(value, variable.dtype.base_dtype)) * decay
                return assign_sub(variable, delta, name=scope)

    def call(self, inputs, training=False):
        if inputs.dtype.base_dtype != self._dtype:
            inputs = cast(inputs, self._dtype)
        if self.fused:
            return self._fused_batch_norm(inputs, training)
        return self._batch_norm(inputs, training)

    def _fused_batch_norm(self, inputs, training):
        dtype = self._param_dtype()
        beta = self.beta if self.center else constant(0.0, dtype=dtype, shape=self._param_shape)
        gamma = self.gamma if self.scale else constant(1.0, dtype=dtype, shape=self._param_shape)

        def train():   # graph mode: the moving averages are updated by AssignSub ops, not by the fused op
            return fused_batch_norm(inputs, gamma, beta, mean=self.moving_mean, variance=self.moving_variance,
                                    epsilon=self.epsilon, is_training=True, data_format=self._data_format,
                                    exponential_avg_factor=None)

        def infer():
            return fused_batch_norm(inputs, gamma, beta, mean=self.moving_mean, variance=self.moving_variance,
                                    epsilon=self.epsilon, is_training=False, data_format=self._data_format)

        output, mean, variance = _smart_cond(training, train, infer)
        value = _static(training)
        if value or value is None:
            if value is None:
                momentum = _smart_cond(training, lambda: constant(self.momentum), lambda: constant(1.0))
            else:
                momentum = convert_to_tensor(self.momentum)
            self.add_update(self._assign_moving_average(self.moving_mean, mean, momentum))
            self.add_update(self._assign_moving_average(self.moving_variance, variance, momentum))
        return output

    def _batch_norm(self, inputs, training):
        in_dtype = inputs.dtype.base_dtype
        if in_dtype is dtypes.float16:
            inputs = cast(inputs, dtypes.float32)
        shape = inputs.shape
        ndims = shape.ndims
        reduction_axes = [i for i in range(ndims) if i not in self.axis]
        broadcast_shape = [1] * ndims
        broadcast_shape[self.axis[0]] = shape.dims[self.axis[0]].value

        def broadcast(v):
            if v is not None and len(v.shape) != ndims and reduction_axes != list(range(ndims - 1)):
                return reshape(v, broadcast_shape)
            return v

        scale, offset = broadcast(self.gamma), broadcast(self.beta)
        if _static(training) is False:
            mean, variance = self.moving_mean, self.moving_variance
        else:
            batch_mean, batch_var = moments(cast(inputs, self._param_dtype()), reduction_axes,
                                            keep_dims=len(self.axis) > 1)
            mean = _smart_cond(training, lambda: batch_mean, lambda: convert_to_tensor(self.moving_mean))
            variance = _smart_cond(training, lambda: batch_var, lambda: convert_to_tensor(self.moving_variance))
            for var, new in ((self.moving_mean, mean), (self.moving_variance, variance)):
                self.add_update(_smart_cond(training, lambda: self._assign_moving_average(var, new, self.momentum),
                                            lambda: var))
        mean, variance = cast(mean, inputs.dtype.base_dtype), cast(variance, inputs.dtype.base_dtype)
        offset = None if offset is None else cast(offset, inputs.dtype.base_dtype)
        scale = None if scale is None else cast(scale, inputs.dtype.base_dtype)
        outputs = nn_batch_normalization(inputs, broadcast(mean), broadcast(variance), offset, scale, self.epsilon)
        if in_dtype is dtypes.float16:
            outputs = cast(outputs, in_dtype)
        outputs.set_shape(shape)
        return outputs

    def compute_output_shape(self, input_shape):
        return TensorShape(input_shape)


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=zeros_initializer(), gamma_initializer=ones_initializer(),
                        moving_mean_initializer=zeros_initializer(), moving_variance_initializer=ones_initializer(),
                        beta_regularizer=None, gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                        training=False, trainable=True, name=None, reuse=None, renorm=False, renorm_clipping=None,
                        renorm_momentum=0.99, fused=None, virtual_batch_size=None, adjustment=None):
    """A `BatchNormalization` layer applied to `inputs`; run `UPDATE_OPS` with the train op when training."""
    layer = BatchNormalization(axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
                               beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                               moving_mean_initializer=moving_mean_initializer,
                               moving_variance_initializer=moving_variance_initializer,
                               beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                               beta_constraint=beta_constraint, gamma_constraint=gamma_constraint, renorm=renorm,
                               renorm_clipping=renorm_clipping, renorm_momentum=renorm_momentum, fused=fused,
                               trainable=trainable, virtual_batch_size=virtual_batch_size, adjustment=adjustment,
                               name=name, _reuse=reuse, _scope=name)
    return layer(inputs, training=training)


BatchNorm = BatchNormalization
