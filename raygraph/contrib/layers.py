"""`tf.contrib.layers`' everyday subset, as TF 1.15 built it: `flatten`, `fully_connected`, `dropout`,
`one_hot_encoding`, `repeat`, `stack`, `batch_norm`, `layer_norm`, the convolutions and pooling of conv_layers.py,
`xavier_initializer`, `variance_scaling_initializer`, `l1_regularizer`, `l2_regularizer`, `sum_regularizer`,
`apply_regularization`. The layers honour `tf.contrib.framework.arg_scope`.

TF 2.21 has no contrib, so these follow TF 1.15's sources (contrib/layers/python/layers/, kept by tf_slim);
`flatten` is TF's `tf.layers.flatten` inside a `Flatten` name scope, `fully_connected` a `tf.layers.Dense` whose
variables are named `weights` and `biases` (and are model variables), `dropout` a `tf.layers.Dropout`."""
import numbers

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import add_to_collection, add_to_collections, get_collection, name_scope
from ..graph import GraphKeys, get_default_graph
from ..initializers import ones_initializer, zeros_initializer
from ..layers.core import Dense, Dropout
from ..layers.core import flatten as _layers_flatten
from ..layers.normalization import BatchNormalization, _smart_cond, _static
from ..moving_averages import assign_moving_average
from ..ops.array import identity, reshape, shape
from ..ops.filling import one_hot
from ..ops.math import abs as abs_
from ..ops.math import multiply, to_int64
from ..ops.nn import dropout as nn_dropout
from ..ops.nn import l2_loss, moments, relu
from ..ops.normalization import batch_normalization as nn_batch_normalization
from ..ops.normalization import fused_batch_norm, weighted_moments
from ..ops.reduction import add_n, reduce_sum
from ..variable_scope import get_variable_scope, variable_scope
from .conv_layers import (  # noqa: F401
    XAVIER,
    ZEROS,
    add_variable_to_collections,
    finish_layer,
    avg_pool2d,
    collect_named_outputs,
    conv1d,
    conv2d,
    conv2d_transpose,
    conv3d,
    convolution,
    convolution1d,
    convolution2d,
    convolution2d_transpose,
    convolution3d,
    finish,
    layer_variable_getter,
    max_pool2d,
    separable_conv2d,
    separable_convolution2d,
    variable_collections,
    variance_scaling_initializer,
    xavier_initializer,
    xavier_initializer_conv2d,
)
from .framework import add_arg_scope, model_variable


# ----- regularizers -----------------------------------------------------------------------------------------
def _check_scale(scale):
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"scale cannot be an integer: {scale}")  # noqa: TRY004 - TF's class
    if isinstance(scale, numbers.Real):
        if scale < 0.0:
            raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale}")
        return scale != 0.0
    return True


def _scaled_regularizer(kind, penalty, scale, scope):
    """weights -> scale * penalty(weights), in a `kind` name scope (None when scale is 0)."""
    if not _check_scale(scale):
        return lambda _: None

    def regularize(weights):
        with name_scope(scope, kind, [weights]) as name:
            my_scale = convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return multiply(my_scale, penalty(weights), name=name)
    return regularize


def l1_regularizer(scale, scope=None):
    """weights -> scale * sum(|weights|) (None when scale is 0)."""
    return _scaled_regularizer("l1_regularizer", lambda w: reduce_sum(abs_(w)), scale, scope)


def l2_regularizer(scale, scope=None):
    """weights -> scale * sum(weights ** 2) / 2 (None when scale is 0)."""
    return _scaled_regularizer("l2_regularizer", l2_loss, scale, scope)


def sum_regularizer(regularizer_list, scope=None):
    """weights -> the sum of the given regularizers' penalties."""
    regularizer_list = [r for r in regularizer_list if r]
    if not regularizer_list:
        return None

    def sum_reg(weights):
        with name_scope(scope, "sum_regularizer", [weights]) as name:
            penalties = [p for p in (r(weights) for r in regularizer_list) if p is not None]
            return add_n(penalties, name=name)
    return sum_reg


def apply_regularization(regularizer, weights_list=None):
    """The regularizer's summed penalty over `weights_list` (default: the WEIGHTS collection), also added to
    REGULARIZATION_LOSSES."""
    if not weights_list:
        weights_list = get_collection(GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize.")
    with name_scope("get_regularization_penalty", values=weights_list) as scope:
        penalties = [regularizer(w) for w in weights_list]
        penalties = [p for p in penalties if p is not None]
        summed = add_n(penalties, name=scope) if penalties else convert_to_tensor(0.0)
        add_to_collection(GraphKeys.REGULARIZATION_LOSSES, summed)
        return summed


# ----- layers -----------------------------------------------------------------------------------------------
@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """[batch, ...] -> [batch, everything else]."""
    with name_scope(scope, "Flatten", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        outputs = _layers_flatten(inputs)
        return collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=relu, normalizer_fn=None, normalizer_params=None,
                    weights_initializer=XAVIER, weights_regularizer=None, biases_initializer=ZEROS,
                    biases_regularizer=None, reuse=None, variables_collections=None, outputs_collections=None,
                    trainable=True, scope=None):
    """`activation_fn(normalizer_fn(inputs @ weights) or inputs @ weights + biases)` in a `fully_connected`
    variable scope."""
    if not isinstance(num_outputs, int):
        raise ValueError(f"num_outputs type should be one of {[int]}, got {type(num_outputs)}.")  # noqa: TRY004
    with variable_scope(scope, "fully_connected", [inputs], reuse=reuse,
                        custom_getter=layer_variable_getter({"kernel": "weights", "bias": "biases"})) as sc:
        inputs = convert_to_tensor(inputs)
        layer = Dense(units=num_outputs, activation=None, use_bias=not normalizer_fn and biases_initializer,
                      kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
                      kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
                      trainable=trainable, name=sc.name, dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        return finish_layer(layer, outputs, variables_collections, normalizer_fn, normalizer_params, activation_fn,
                            outputs_collections, sc.name)


class _Dropout(Dropout):
    """TF 1's Dropout: tf.nn.dropout whenever training, even at rate 0 (where it returns its input itself)."""

    def call(self, inputs, training=False):
        return _smart_cond(training, lambda: nn_dropout(inputs, rate=self.rate, seed=self.seed,
                                                        noise_shape=self._get_noise_shape(inputs)),
                           lambda: identity(inputs))


@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True, outputs_collections=None, scope=None,
            seed=None):
    """`tf.layers.Dropout` with rate `1 - keep_prob` in a `Dropout` variable scope, applied when `is_training`
    (a Python bool or a bool tensor)."""
    with variable_scope(scope, "Dropout", [inputs], custom_getter=layer_variable_getter({})) as sc:
        inputs = convert_to_tensor(inputs)
        layer = _Dropout(rate=1 - keep_prob, noise_shape=noise_shape, seed=seed, name=sc.name, _scope=sc)
        outputs = layer.apply(inputs, training=is_training)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def one_hot_encoding(labels, num_classes, on_value=1.0, off_value=0.0, outputs_collections=None, scope=None):
    """`tf.one_hot` of `labels` (int32 labels cast to int64 first) in a `OneHotEncoding` name scope."""
    with name_scope(scope, "OneHotEncoding", [labels, num_classes]) as sc:
        labels = convert_to_tensor(labels)
        if labels.dtype == dtypes.int32:
            labels = to_int64(labels)
        outputs = one_hot(labels, num_classes, on_value=on_value, off_value=off_value)
        return collect_named_outputs(outputs_collections, sc, outputs)


def _layer_name(layer, fallback):
    if hasattr(layer, "__name__"):
        return layer.__name__
    if hasattr(layer, "func") and hasattr(layer.func, "__name__"):  # a functools.partial
        return layer.func.__name__
    return fallback


def repeat(inputs, repetitions, layer, *args, **kwargs):
    """`layer` applied `repetitions` times with the same arguments, in scopes `<scope>/<scope>_<i>` (scope: the
    `scope` argument or the layer's name, inside a `Repeat` variable scope)."""
    scope = kwargs.pop("scope", None)
    with variable_scope(scope, "Repeat", [inputs]):
        outputs = convert_to_tensor(inputs)
        scope = scope if scope is not None else _layer_name(layer, "repeat")
        for i in range(repetitions):
            kwargs["scope"] = f"{scope}_{i + 1}"
            outputs = layer(outputs, *args, **kwargs)
        return outputs


def stack(inputs, layer, stack_args, **kwargs):
    """`layer` applied once per entry of `stack_args` (its extra positional arguments), in scopes
    `<scope>/<scope>_<i>` as `repeat` names them (inside a `Stack` variable scope)."""
    scope = kwargs.pop("scope", None)
    if not isinstance(stack_args, (list, tuple)):
        raise ValueError("stack_args need to be a list or tuple")  # noqa: TRY004 - TF's class
    with variable_scope(scope, "Stack", [inputs]):
        outputs = convert_to_tensor(inputs)
        scope = scope if scope is not None else _layer_name(layer, "stack")
        for i, layer_args in enumerate(stack_args):
            kwargs["scope"] = f"{scope}_{i + 1}"
            outputs = layer(outputs, *(layer_args if isinstance(layer_args, (list, tuple)) else [layer_args]),
                            **kwargs)
        return outputs


# ----- normalization ----------------------------------------------------------------------------------------
def _model_variable(name, shape, dtype, initializer, collections=None, trainable=True, regularizer=None):
    """A variable of the current variable scope also in MODEL_VARIABLES (contrib's `model_variable`)."""
    return model_variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                          collections=collections, trainable=trainable)


def _norm_params(params_shape, dtype, center, scale, initializers, regularizers, collections, trainable):
    """(beta, gamma, moving_mean, moving_variance) as contrib's batch_norm creates them (beta or gamma may be
    None: the caller decides what stands in for it)."""
    beta = gamma = None
    if center:
        beta = _model_variable("beta", params_shape, dtype, initializers.get("beta", zeros_initializer()),
                               variable_collections(collections, "beta"), trainable, regularizers.get("beta"))
    if scale:
        gamma = _model_variable("gamma", params_shape, dtype, initializers.get("gamma", ones_initializer()),
                                variable_collections(collections, "gamma"), trainable, regularizers.get("gamma"))
    with variable_scope(get_variable_scope()):  # TF1 re-enters the scope here (its name scope BatchNorm/BatchNorm)
        moving_mean = _model_variable("moving_mean", params_shape, dtype,
                                      initializers.get("moving_mean", zeros_initializer()),
                                      variable_collections(collections, "moving_mean"), trainable=False)
        moving_variance = _model_variable("moving_variance", params_shape, dtype,
                                          initializers.get("moving_variance", ones_initializer()),
                                          variable_collections(collections, "moving_variance"), trainable=False)
    return beta, gamma, moving_mean, moving_variance


def _moving_updates(is_training, updates_collections, moving_mean, moving_variance, mean, variance, decay,
                    zero_debias, then):
    """Moves the moving statistics towards (mean, variance) when training: at once, before `then(True)` runs, when
    `updates_collections` is None; else by ops added to those collections (and `then(False)`)."""
    def updates():
        return (assign_moving_average(moving_mean, mean, decay, zero_debias=zero_debias),
                assign_moving_average(moving_variance, variance, decay, zero_debias=False))
    if updates_collections is None:
        def forced():
            with get_default_graph().control_dependencies(list(updates())):
                return then(True)
        return _smart_cond(is_training, forced, lambda: then(False, moving=True))
    update_mean, update_variance = _smart_cond(is_training, updates, lambda: (moving_mean, moving_variance))
    add_to_collections(updates_collections, update_mean)
    add_to_collections(updates_collections, update_variance)
    return then(False)


def _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, param_initializers, param_regularizers,
                      updates_collections, is_training, reuse, variables_collections, outputs_collections, trainable,
                      data_format, zero_debias_moving_mean, scope):
    """contrib's FusedBatchNormV3 path (ranks 2 and 4; a rank-2 input is normalized as [-1, 1, 1, C])."""
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        original_inputs, rank = inputs, inputs.shape.ndims
        if rank is None:
            raise ValueError(f"Inputs {inputs.name} has undefined rank")
        if rank not in (2, 4):
            raise ValueError(f"Inputs {inputs.name} has unsupported rank. Expected 2 or 4 but got {rank}")
        if rank == 2:
            channels = inputs.shape.dims[-1].value
            if channels is None:
                raise ValueError("`C` dimension must be known but is None")
            inputs = reshape(inputs, [-1, channels, 1, 1] if data_format == "NCHW" else [-1, 1, 1, channels])
        inputs_shape = inputs.shape
        params_shape = inputs_shape[1:2] if data_format == "NCHW" else inputs_shape[-1:]
        if not params_shape.is_fully_defined():
            raise ValueError(f"Inputs {inputs.name} has undefined `C` dimension {params_shape}.")
        beta, gamma, moving_mean, moving_variance = _norm_params(
            params_shape, dtypes.float32, center, scale, param_initializers or {}, param_regularizers or {},
            variables_collections, trainable)
        if beta is None:
            beta = constant(0.0, dtype=dtypes.float32, shape=params_shape)
        if gamma is None:
            gamma = constant(1.0, dtype=dtypes.float32, shape=params_shape)
        outputs, mean, variance = _smart_cond(
            is_training, lambda: fused_batch_norm(inputs, gamma, beta, epsilon=epsilon, data_format=data_format),
            lambda: fused_batch_norm(inputs, gamma, beta, mean=moving_mean, variance=moving_variance,
                                     epsilon=epsilon, is_training=False, data_format=data_format))
        if _static(is_training) is not False:
            outputs = _moving_updates(is_training, updates_collections, moving_mean, moving_variance, mean, variance,
                                      decay, zero_debias_moving_mean,
                                      lambda forced, moving=False: identity(outputs) if forced else outputs)
        outputs.set_shape(inputs_shape)
        if rank == 2:
            dims = [-1 if d is None else d for d in original_inputs.shape.as_list()]
            outputs = reshape(outputs, dims if dims.count(-1) <= 1 else shape(original_inputs))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001, activation_fn=None,
               param_initializers=None, param_regularizers=None, updates_collections=GraphKeys.UPDATE_OPS,
               is_training=True, reuse=None, variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format="NHWC", zero_debias_moving_mean=False, scope=None,
               renorm=False, renorm_clipping=None, renorm_decay=0.99, adjustment=None):
    """contrib's batch norm in a `BatchNorm` variable scope: variables `beta` (and `gamma` when `scale`),
    `moving_mean`, `moving_variance` (model variables); the moving statistics move by `1 - decay` through ops in
    `updates_collections` (UPDATE_OPS), or at once when it is None. As TF1 chose: FusedBatchNormV3 for ranks 2 and
    4 (rank 4 through `tf.layers.BatchNormalization`, unless updates are forced or zero-debiased), moments and
    `tf.nn.batch_normalization` otherwise (and with `batch_weights`, weighted moments)."""
    fused = True if fused is None else fused
    inputs = convert_to_tensor(inputs)
    rank = inputs.shape.ndims
    possible_to_fuse = batch_weights is None and not renorm and rank in (2, 4) and adjustment is None
    if fused and possible_to_fuse and (zero_debias_moving_mean or rank == 2
                                       or updates_collections is not GraphKeys.UPDATE_OPS):
        return _fused_batch_norm(inputs, decay, center, scale, epsilon, activation_fn, param_initializers,
                                 param_regularizers, updates_collections, is_training, reuse, variables_collections,
                                 outputs_collections, trainable, data_format, zero_debias_moving_mean, scope)
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse, custom_getter=layer_variable_getter({})) as sc:
        inputs = convert_to_tensor(inputs)
        if batch_weights is None and updates_collections is GraphKeys.UPDATE_OPS and not zero_debias_moving_mean:
            inits, regs = param_initializers or {}, param_regularizers or {}
            layer = BatchNormalization(
                axis=1 if data_format == "NCHW" else -1, momentum=decay, epsilon=epsilon, center=center, scale=scale,
                beta_initializer=inits.get("beta", zeros_initializer()),
                gamma_initializer=inits.get("gamma", ones_initializer()),
                moving_mean_initializer=inits.get("moving_mean", zeros_initializer()),
                moving_variance_initializer=inits.get("moving_variance", ones_initializer()),
                beta_regularizer=regs.get("beta"), gamma_regularizer=regs.get("gamma"), trainable=trainable,
                renorm=renorm, renorm_clipping=renorm_clipping, renorm_momentum=renorm_decay, adjustment=adjustment,
                name=sc.name, _scope=sc, _reuse=reuse, fused=fused)
            outputs = layer.apply(inputs, training=is_training)
            for variable, key in ((layer.moving_mean, "moving_mean"), (layer.moving_variance, "moving_variance"),
                                  (layer.beta, "beta"), (layer.gamma, "gamma")):
                if variable is not None:
                    add_variable_to_collections(variable, variables_collections, key)
        else:
            if renorm:
                raise ValueError("renorm is not supported with batch_weights, updates_collections or "
                                 "zero_debias_moving_mean")
            outputs = _moments_batch_norm(inputs, decay, center, scale, epsilon, param_initializers,
                                          updates_collections, is_training, variables_collections, trainable,
                                          batch_weights, data_format, zero_debias_moving_mean)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def _moments_batch_norm(inputs, decay, center, scale, epsilon, param_initializers, updates_collections, is_training,
                        variables_collections, trainable, batch_weights, data_format, zero_debias_moving_mean):
    """contrib's unfused batch norm: (weighted) moments, then tf.nn.batch_normalization."""
    inputs_shape = inputs.shape
    rank = inputs_shape.ndims
    if rank is None:
        raise ValueError(f"Inputs {inputs.name} has undefined rank.")
    if batch_weights is not None:
        batch_weights = convert_to_tensor(batch_weights)
        inputs_shape[0:1].assert_is_compatible_with(batch_weights.shape)
        batch_weights = reshape(batch_weights, [-1] + [1] * (rank - 1))
    nchw = data_format == "NCHW"
    axes = [0] + list(range(2, rank)) if nchw else list(range(rank - 1))
    params_shape = inputs_shape[1:2] if nchw else inputs_shape[-1:]
    if not params_shape.is_fully_defined():
        raise ValueError(f"Inputs {inputs.name} has undefined channels dimension {params_shape}.")
    beta, gamma, moving_mean, moving_variance = _norm_params(
        params_shape, inputs.dtype.base_dtype, center, scale, param_initializers or {}, {}, variables_collections,
        trainable)
    if _static(is_training) is False:
        mean, variance = moving_mean, moving_variance
    else:
        if batch_weights is None:
            mean, variance = moments(inputs, axes, keep_dims=nchw)
        else:
            mean, variance = weighted_moments(inputs, axes, batch_weights, keepdims=nchw)
        if nchw:
            mean, variance = reshape(mean, [-1]), reshape(variance, [-1])
        batch = (mean, variance)

        def then(forced, moving=False):
            if moving:
                return moving_mean, moving_variance
            if forced:
                return identity(batch[0]), identity(batch[1])
            return _smart_cond(is_training, lambda: batch, lambda: (moving_mean, moving_variance))
        mean, variance = _moving_updates(is_training, updates_collections, moving_mean, moving_variance, mean,
                                         variance, decay, zero_debias_moving_mean, then)
    if nchw:
        broadcast = [1, inputs_shape.dims[1].value] + [1] * (rank - 2)
        mean, variance = reshape(mean, broadcast), reshape(variance, broadcast)
        beta = None if beta is None else reshape(beta, broadcast)
        gamma = None if gamma is None else reshape(gamma, broadcast)
    outputs = nn_batch_normalization(inputs, mean, variance, beta, gamma, epsilon)
    outputs.set_shape(inputs_shape)
    return outputs


@add_arg_scope
def layer_norm(inputs, center=True, scale=True, activation_fn=None, reuse=None, variables_collections=None,
               outputs_collections=None, trainable=True, begin_norm_axis=1, begin_params_axis=-1, scope=None):
    """Normalizes over the axes from `begin_norm_axis` on by their moments, then scales and shifts by `gamma` and
    `beta` (shaped like the axes from `begin_params_axis` on), in a `LayerNorm` variable scope."""
    with variable_scope(scope, "LayerNorm", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        inputs_shape = inputs.shape
        rank = inputs_shape.ndims
        if rank is None:
            raise ValueError(f"Inputs {inputs.name} has undefined rank.")
        dtype = inputs.dtype.base_dtype
        if begin_norm_axis < 0:
            begin_norm_axis = rank + begin_norm_axis
        if begin_params_axis >= rank or begin_norm_axis >= rank:
            raise ValueError(f"begin_params_axis ({begin_params_axis}) and begin_norm_axis ({begin_norm_axis}) must "
                             f"be < rank(inputs) ({rank})")
        params_shape = inputs_shape[begin_params_axis:]
        if not params_shape.is_fully_defined():
            raise ValueError(f"Inputs {inputs.name}: shape(inputs)[{begin_params_axis}:] is not fully defined: "
                             f"{inputs_shape}")
        beta = gamma = None
        if center:
            beta = _model_variable("beta", params_shape, dtype, zeros_initializer(),
                                   variable_collections(variables_collections, "beta"), trainable)
        if scale:
            gamma = _model_variable("gamma", params_shape, dtype, ones_initializer(),
                                    variable_collections(variables_collections, "gamma"), trainable)
        mean, variance = moments(inputs, list(range(begin_norm_axis, rank)), keep_dims=True)
        epsilon = 1e-12 if dtype != dtypes.float16 else 1e-3
        outputs = nn_batch_normalization(inputs, mean, variance, offset=beta, scale=gamma, variance_epsilon=epsilon)
        outputs.set_shape(inputs_shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)
