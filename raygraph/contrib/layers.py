"""`tf.contrib.layers` as TF 1.15 built it: `flatten`, `fully_connected` (and its `relu`, `relu6`, `elu`, `linear`
forms), `legacy_fully_connected` (`legacy_relu`, `legacy_linear`), `dropout`, `one_hot_encoding`, `repeat`, `stack`,
`bias_add`, `softmax`, `maxout`, `unit_norm`, `poincare_normalize`, `scale_gradient`, `dense_to_sparse`,
`images_to_sequence`, `sequence_to_images`, `spatial_softmax`, `embed_sequence`, the normalizations (`batch_norm`,
`layer_norm`, `instance_norm`, `group_norm`, `gdn`/`GDN`), the convolutions and pooling of conv_layers.py, the
initializers and the regularizers (`l1_regularizer`, `l2_regularizer`, `l1_l2_regularizer`, `sum_regularizer`,
`apply_regularization`). The layers honour `tf.contrib.framework.arg_scope` where contrib's did.

TF 2.21 has no contrib, so these follow TF 1.15's sources (contrib/layers/python/layers/, kept by tf_slim);
`flatten` is TF's `tf.layers.flatten` inside a `Flatten` name scope, `fully_connected` a `tf.layers.Dense` whose
variables are named `weights` and `biases` (and are model variables), `dropout` a `tf.layers.Dropout`.
(contrib's `summarize_*` helpers are not here: tf.summary sits above this module.)"""
import functools
import numbers
import re

__path__ = []  # TF's internal paths under it (contrib.layers.python.layers...) are found by raygraph/python's finder

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..custom_gradient import custom_gradient
from ..default_graph import add_to_collection, add_to_collections, get_collection, name_scope
from ..graph import GraphKeys, get_default_graph
from ..initializers import constant_initializer, ones_initializer, zeros_initializer
from ..layers.base import InputSpec, Layer
from ..layers.core import Dense, Dropout
from ..layers.core import flatten as _layers_flatten
from ..layers.normalization import BatchNormalization, _smart_cond, _static
from ..moving_averages import assign_moving_average
from ..ops.array import expand_dims, identity, reshape, shape, squeeze, transpose
from ..ops.conv import convolution as nn_convolution
from ..ops.embedding import embedding_lookup
from ..ops.filling import one_hot, ones
from ..ops.joining import concat, tile, unstack
from ..ops.joining import stack as pack
from ..ops.linalg import matmul
from ..ops.math import abs as abs_
from ..ops.math import (
    cast,
    div,
    greater,
    less,
    maximum,
    minimum,
    multiply,
    not_equal,
    rsqrt,
    sqrt,
    square,
    to_float,
    to_int64,
)
from ..ops.matrix import eye
from ..ops.nn import bias_add as nn_bias_add
from ..ops.nn import dropout as nn_dropout
from ..ops.nn import elu as nn_elu
from ..ops.nn import l2_loss, moments
from ..ops.nn import relu as nn_relu
from ..ops.nn import relu6 as nn_relu6
from ..ops.nn import softmax as nn_softmax
from ..ops.normalization import batch_normalization as nn_batch_normalization
from ..ops.normalization import fused_batch_norm, normalize_moments, sufficient_statistics, weighted_moments
from ..ops.reduction import add_n, reduce_max, reduce_mean, reduce_prod, reduce_sum
from ..ops.scatter import unique as _unique
from ..ops.sequences import lin_space_op, meshgrid
from ..ops.slicing import gather, gather_nd, strided_slice, where
from ..ops.sparse_tensor import SparseTensor
from ..shape import TensorShape
from ..summary.summaries import histogram as summary_histogram
from ..summary.summaries import scalar as summary_scalar
from ..variable_scope import get_variable, get_variable_scope, variable_scope
from .conv_layers import (  # noqa: F401
    XAVIER,
    ZEROS,
    _last_dimension,
    add_variable_to_collections,
    avg_pool2d,
    avg_pool3d,
    collect_named_outputs,
    conv1d,
    conv2d,
    conv2d_in_plane,
    conv2d_transpose,
    conv3d,
    conv3d_transpose,
    convolution,
    convolution1d,
    convolution2d,
    convolution2d_in_plane,
    convolution2d_transpose,
    convolution3d,
    convolution3d_transpose,
    finish,
    finish_layer,
    layer_variable_getter,
    max_pool2d,
    max_pool3d,
    pool,
    separable_conv2d,
    separable_convolution2d,
    variable_collections,
    variance_scaling_initializer,
    xavier_initializer,
    xavier_initializer_conv2d,
)
from .framework import add_arg_scope, model_variable
from .optimizers import OPTIMIZER_CLS_NAMES, OPTIMIZER_SUMMARIES, adaptive_clipping_fn, optimize_loss  # noqa: F401


# ----- regularizers -----------------------------------------------------------------------------------------
def _check_scale(scale, end):
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"scale cannot be an integer: {scale}")  # noqa: TRY004 - TF's class
    if isinstance(scale, numbers.Real):
        if scale < 0.0:
            raise ValueError("Setting a scale less than 0 on a regularizer: %g%s" % (scale, end))  # noqa: UP031
        return scale != 0.0
    return True


def _scaled_regularizer(kind, penalty, scale, scope):
    """weights -> scale * penalty(weights), in a `kind` name scope (None when scale is 0)."""
    if not _check_scale(scale, "." if kind == "l2_regularizer" else ""):
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


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    """weights -> scale_l1 * sum(|weights|) + scale_l2 * sum(weights ** 2) / 2, in an `l1_l2_regularizer` scope."""
    if isinstance(scale_l1, numbers.Integral):
        raise ValueError(f"scale_l1 cannot be an integer: {scale_l1}")  # noqa: TRY004 - TF's class
    if isinstance(scale_l2, numbers.Integral):
        raise ValueError(f"scale_l2 cannot be an integer: {scale_l2}")  # noqa: TRY004 - TF's class
    scope = scope or "l1_l2_regularizer"
    if scale_l1 == 0.0:
        return l2_regularizer(scale_l2, scope)
    if scale_l2 == 0.0:
        return l1_regularizer(scale_l1, scope)
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope)


# ----- layers -----------------------------------------------------------------------------------------------
@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """[batch, ...] -> [batch, everything else]."""
    with name_scope(scope, "Flatten", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        outputs = _layers_flatten(inputs)
        return collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=nn_relu, normalizer_fn=None, normalizer_params=None,
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


@add_arg_scope
def instance_norm(inputs, center=True, scale=True, epsilon=1e-6, activation_fn=None, param_initializers=None,
                  reuse=None, variables_collections=None, outputs_collections=None, trainable=True,
                  data_format="NHWC", scope=None):
    """Normalizes each example's channels over their spatial axes by their moments, then scales and shifts by
    `gamma` and `beta` (one per channel), in an `InstanceNorm` variable scope."""
    inputs = convert_to_tensor(inputs)
    inputs_shape, rank = inputs.shape, inputs.shape.ndims
    if rank is None:
        raise ValueError(f"Inputs {inputs.name} has undefined rank.")
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "InstanceNorm", [inputs], reuse=reuse) as sc:
        axis = 1 if data_format == "NCHW" else rank - 1
        broadcast = [1, inputs_shape.dims[1].value] + [1] * (rank - 2) if data_format == "NCHW" else None
        params_shape = inputs_shape[axis:axis + 1]
        if not params_shape.is_fully_defined():
            raise ValueError(f"Inputs {inputs.name} has undefined channels dimension {params_shape}.")
        beta, gamma = _norm_scale_shift(params_shape, params_shape, broadcast, inputs.dtype.base_dtype, center, scale,
                                        param_initializers or {}, variables_collections, trainable)
        mean, variance = moments(inputs, [a for a in range(1, rank) if a != axis], keep_dims=True)
        outputs = nn_batch_normalization(inputs, mean, variance, beta, gamma, epsilon, name="instancenorm")
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


def _norm_scale_shift(params_shape, _, broadcast, dtype, center, scale, initializers, collections, trainable):
    """`beta` and `gamma` (or None) of instance and group norm, reshaped to `broadcast` when given."""
    made = []
    for name, wanted, default in (("beta", center, zeros_initializer()), ("gamma", scale, ones_initializer())):
        variable = None
        if wanted:
            variable = _model_variable(name, params_shape, dtype, initializers.get(name, default),
                                       variable_collections(collections, name), trainable)
            if broadcast:
                variable = reshape(variable, broadcast)
        made.append(variable)
    return made


@add_arg_scope
def group_norm(inputs, groups=32, channels_axis=-1, reduction_axes=(-3, -2), center=True, scale=True, epsilon=1e-6,
               activation_fn=None, param_initializers=None, reuse=None, variables_collections=None,
               outputs_collections=None, trainable=True, scope=None, mean_close_to_zero=False):
    """Splits the channels into `groups` and normalizes each group over `reduction_axes` by its moments, then
    scales and shifts by `gamma` and `beta` (one per channel), in a `GroupNorm` variable scope."""
    inputs = convert_to_tensor(inputs)
    rank = inputs.shape.ndims
    if rank is None:
        raise ValueError(f"Inputs {inputs.name} has undefined rank.")
    if channels_axis > rank - 1:
        raise ValueError("Axis is out of bounds.")
    dynamic_shape = shape(inputs)
    shape_list = [dynamic_shape[i] if d.value is None else d.value for i, d in enumerate(inputs.shape.dims)]
    if channels_axis < 0:
        channels_axis += rank
    channels = inputs.shape.dims[channels_axis].value
    if channels is None:
        raise ValueError(f"Inputs {inputs.name} has undefined channel dimension: {channels_axis}.")
    reduction_axes = [a + rank if a < 0 else a for a in reduction_axes]
    for a in reduction_axes:
        if a > rank:
            raise ValueError("Axis is out of bounds.")
        if inputs.shape.dims[a].value is None:
            raise ValueError(f"Inputs {inputs.name} has undefined dimensions {a}.")
        if channels_axis == a:
            raise ValueError("reduction_axis must be mutually exclusive with channels_axis")
    if groups > channels:
        raise ValueError(f"Invalid groups {groups} for {channels} channels.")
    if channels % groups != 0:
        raise ValueError(f"{channels} channels is not commensurate with {groups} groups.")
    before, after = shape_list[:channels_axis], shape_list[channels_axis + 1:]
    broadcast = [1] * len(before) + [groups, channels // groups] + [1] * len(after)
    inputs = reshape(inputs, before + [groups, channels // groups] + after)
    moments_axes = [channels_axis + 1] + [a + 1 if a > channels_axis else a for a in reduction_axes]
    with variable_scope(scope, "GroupNorm", [inputs], reuse=reuse) as sc:
        beta, gamma = _norm_scale_shift([channels], None, broadcast, inputs.dtype.base_dtype, center, scale,
                                        param_initializers or {}, variables_collections, trainable)
        if mean_close_to_zero:
            counts, mean_ss, variance_ss, _ = sufficient_statistics(inputs, moments_axes, keep_dims=True)
            mean, variance = normalize_moments(counts, mean_ss, variance_ss, shift=None)
        else:
            mean, variance = moments(inputs, moments_axes, keep_dims=True)
        gain = rsqrt(variance + epsilon)
        offset = -mean * gain
        if gamma is not None:
            gain *= gamma
            offset *= gamma
        if beta is not None:
            offset += beta
        outputs = reshape(inputs * gain + offset, shape_list)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


# ----- small layers -----------------------------------------------------------------------------------------
@add_arg_scope
def bias_add(inputs, activation_fn=None, initializer=ZEROS, regularizer=None, reuse=None, variables_collections=None,
             outputs_collections=None, trainable=True, data_format="NHWC", scope=None):
    """Adds `biases` (a model variable, one per channel) in a `BiasAdd` variable scope; then `activation_fn`."""
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "BiasAdd", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        rank = inputs.shape.ndims
        if rank is None:
            raise ValueError("Dims of shape must be known but is None")
        if rank != 4 and data_format == "NCHW":
            raise ValueError("Data format NCHW only supports 4D Tensor")
        channels = inputs.shape.dims[1 if data_format == "NCHW" else -1].value
        if channels is None:
            raise ValueError("`C` dimension must be known but is None")
        biases = model_variable("biases", shape=[channels], dtype=inputs.dtype.base_dtype, initializer=initializer,
                                regularizer=regularizer, trainable=trainable,
                                collections=variable_collections(variables_collections, "biases"))
        outputs = nn_bias_add(inputs, biases, data_format=data_format)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def softmax(logits, scope=None):
    """`tf.nn.softmax` over the last axis of an N-D (N >= 2) tensor, through a 2-D reshape, in a `softmax` scope."""
    with variable_scope(scope, "softmax", [logits]):
        num_logits = _last_dimension(logits.shape, min_rank=2)
        predictions = nn_softmax(reshape(logits, [-1, num_logits]))
        predictions = reshape(predictions, shape(logits))
        predictions.set_shape(logits.shape)
        return predictions


def _apply_activation(y, activation_fn, output_collections):
    if activation_fn is not None:
        y = activation_fn(y)
    add_to_collections(list(output_collections or []) + [GraphKeys.ACTIVATIONS], y)
    return y


def legacy_fully_connected(x, num_output_units, activation_fn=None, weight_init=XAVIER, bias_init=ZEROS, name=None,
                           weight_collections=(GraphKeys.WEIGHTS,), bias_collections=(GraphKeys.BIASES,),
                           output_collections=(GraphKeys.ACTIVATIONS,), trainable=True, weight_regularizer=None,
                           bias_regularizer=None):
    """`activation_fn(x @ weights + bias)` (over the last axis of x) with plain variables `weights` and `bias` in a
    `fully_connected` variable scope; the output goes to `output_collections` and ACTIVATIONS."""
    with variable_scope(name, "fully_connected", [x]):
        x = convert_to_tensor(x)
        dims = x.shape.dims
        if dims is None:
            raise ValueError("dims of x must be known but is None")
        if len(dims) < 2:
            raise ValueError(f"rank of x must be at least 2 not: {len(dims)}")
        num_input_units = dims[-1].value
        if num_input_units is None:
            raise ValueError("last dimension of x must be known but is None")
        dtype = x.dtype.base_dtype
        w = get_variable("weights", shape=[num_input_units, num_output_units], dtype=dtype, initializer=weight_init,
                         collections=list(dict.fromkeys([*(weight_collections or []), GraphKeys.GLOBAL_VARIABLES])),
                         regularizer=weight_regularizer, trainable=trainable)
        y = matmul(x if len(dims) <= 2 else reshape(x, [-1, num_input_units]), w)
        if bias_init is not None:
            b = get_variable("bias", shape=[num_output_units], dtype=dtype, initializer=bias_init,
                             collections=list(dict.fromkeys([*(bias_collections or []), GraphKeys.GLOBAL_VARIABLES])),
                             regularizer=bias_regularizer, trainable=trainable)
            y = nn_bias_add(y, b)
        if len(dims) > 2:
            out_shape = list(unstack(shape(x)))
            out_shape[-1] = num_output_units
            y = reshape(y, pack(out_shape))
            y.set_shape(x.shape.as_list()[:-1] + [num_output_units])
        return _apply_activation(y, activation_fn, output_collections)


elu = functools.partial(fully_connected, activation_fn=nn_elu)
legacy_relu = functools.partial(legacy_fully_connected, activation_fn=nn_relu)
legacy_linear = functools.partial(legacy_fully_connected, activation_fn=None)
relu = functools.partial(fully_connected, activation_fn=nn_relu)
relu6 = functools.partial(fully_connected, activation_fn=nn_relu6)
linear = functools.partial(fully_connected, activation_fn=None)


@add_arg_scope
def maxout(inputs, num_units, axis=-1, scope=None):
    """The maximum over each of `num_units` equal groups of the `axis` features, in a `MaxOut` variable scope."""
    with variable_scope(scope, "MaxOut", [inputs]):
        inputs = convert_to_tensor(inputs)
        dims = inputs.shape.as_list()
        num_channels = dims[axis]
        if num_channels % num_units:
            raise ValueError(f"number of features({num_channels}) is not a multiple of num_units({num_units})")
        dims[axis] = num_units
        dims += [num_channels // num_units]
        dims = [shape(inputs)[i] if d is None else d for i, d in enumerate(dims)]
        return reduce_max(reshape(inputs, dims), -1, keepdims=False)


@add_arg_scope
def unit_norm(inputs, dim, epsilon=1e-7, scope=None):
    """`inputs` divided by their L2 norm along `dim` (plus `epsilon` under the root), in a `UnitNorm` scope."""
    with variable_scope(scope, "UnitNorm", [inputs]):
        if not inputs.shape:
            raise ValueError("The input rank must be known.")
        rank = len(inputs.shape.as_list())
        if dim < 0 or dim >= rank:
            raise ValueError("dim must be positive but smaller than the input rank.")
        lengths = sqrt(epsilon + reduce_sum(square(inputs), dim, True))
        multiples = [ones([dim], dtypes.int32)] if dim > 0 else []
        multiples.append(strided_slice(shape(inputs), [dim], [dim + 1]))
        if dim < rank - 1:
            multiples.append(ones([rank - 1 - dim], dtypes.int32))
        return div(inputs, tile(lengths, concat(multiples, 0)))


def poincare_normalize(x, axis=1, epsilon=1e-5, name=None):
    """Projects the slices along `axis` into the Poincare ball of norm <= 1 - epsilon."""
    with name_scope(name, "poincare_normalize", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        x_inv_norm = rsqrt(reduce_sum(square(x), axis, keepdims=True))
        return multiply(x, minimum((1.0 - epsilon) * x_inv_norm, 1.0), name=scope)


@custom_gradient
def scale_gradient(inputs, gradient_multiplier):
    """`inputs` itself, whose gradient is the incoming one times `gradient_multiplier`."""
    def grad(dy):
        return [dy * gradient_multiplier, None]
    return inputs, grad


@add_arg_scope
def dense_to_sparse(tensor, eos_token=0, outputs_collections=None, scope=None):
    """The entries of `tensor` not equal to `eos_token`, as a SparseTensor (in a `dense_to_sparse` scope)."""
    with variable_scope(scope, "dense_to_sparse", [tensor]) as sc:
        tensor = convert_to_tensor(tensor)
        indices = where(not_equal(tensor, constant(eos_token, tensor.dtype)))
        outputs = SparseTensor(indices, gather_nd(tensor, indices), shape(tensor, out_type=dtypes.int64))
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def images_to_sequence(inputs, data_format="NHWC", outputs_collections=None, scope=None):
    """[batch, height, width, depth] images -> [width, batch * height, depth] sequences."""
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with name_scope(scope, "ImagesToSequence", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        if data_format == "NCHW":
            inputs = transpose(inputs, [0, 2, 3, 1])
        _, _, width, depth = inputs.shape.as_list()
        s = shape(inputs)
        batch_size, height = s[0], s[1]
        outputs = reshape(transpose(inputs, [2, 0, 1, 3]), [width, batch_size * height, depth])
        return collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def sequence_to_images(inputs, height, output_data_format="channels_last", outputs_collections=None, scope=None):
    """[width, batch * height, depth] sequences -> [batch, height, width, depth] images (or channels first)."""
    with name_scope(scope, "SequenceToImages", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        width, num_batches, depth = inputs.shape.as_list()
        num_batches = -1 if num_batches is None else num_batches // height
        reshaped = reshape(inputs, [width, num_batches, height, depth])
        outputs = transpose(reshaped, [1, 3, 2, 0] if output_data_format == "channels_first" else [1, 2, 0, 3])
        return collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def spatial_softmax(features, temperature=None, name=None, variables_collections=None, trainable=True,
                    data_format="NHWC"):
    """Each channel's expected (row, column) position, in [-1, 1], under a softmax over its spatial extent (divided
    by `temperature`, a model variable initialized to it or to 1): [batch, 2 * channels]."""
    with variable_scope(name, "spatial_softmax"):
        dynamic, static = shape(features), features.shape
        if data_format == "NHWC":
            height, width, num_channels = dynamic[1], dynamic[2], static[3]
        elif data_format == "NCHW":
            num_channels, height, width = static[1], dynamic[2], dynamic[3]
        else:
            raise ValueError("data_format has to be either NCHW or NHWC.")
        num_channels = getattr(num_channels, "value", num_channels)
        if num_channels is None:
            raise ValueError("The num_channels dimension of the inputs to `spatial_softmax` should be defined. "
                             "Found `None`.")
        with name_scope("spatial_softmax_op", "spatial_softmax_op", [features]):
            # TF 1's math_ops.lin_space: the op itself
            pos_x, pos_y = meshgrid(lin_space_op(-1.0, 1.0, height, name="LinSpace"),
                                    lin_space_op(-1.0, 1.0, width, name="LinSpace"), indexing="ij")
            pos_x, pos_y = reshape(pos_x, [height * width]), reshape(pos_y, [height * width])
            init = ones_initializer() if temperature is None else constant_initializer(temperature)
            collections = variable_collections(variables_collections, "temperature") if trainable else None
            temperature = model_variable("temperature", shape=(), dtype=dtypes.float32, initializer=init,
                                         collections=collections, trainable=trainable)
            if data_format == "NCHW":
                features = reshape(features, [-1, height * width])
            else:
                features = reshape(transpose(features, [0, 3, 1, 2]), [-1, height * width])
            attention = nn_softmax(features / temperature)
            expected_x = reduce_sum(pos_x * attention, [1], keepdims=True)
            expected_y = reduce_sum(pos_y * attention, [1], keepdims=True)
            keypoints = reshape(concat([expected_x, expected_y], 1), [-1, num_channels * 2])
            keypoints.set_shape([None, num_channels * 2])
    return keypoints


# ----- generalized divisive normalization -------------------------------------------------------------------
class GDN(Layer):
    """Generalized divisive normalization: x / sqrt(beta + gamma . x**2) over the channels (x * sqrt(...) when
    `inverse`), with `beta` and `gamma` kept as bounded, reparameterized variables `reparam_beta`, `reparam_gamma`.
    As in TF, their lower bound's gradient ('GDNLowerBound') is not registered."""

    def __init__(self, inverse=False, beta_min=1e-6, gamma_init=0.1, reparam_offset=2**-18,
                 data_format="channels_last", activity_regularizer=None, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, activity_regularizer=activity_regularizer, **kwargs)
        self.inverse = inverse
        self._beta_min, self._gamma_init, self._reparam_offset = beta_min, gamma_init, reparam_offset
        self.data_format = data_format
        self._channel_axis()
        self.input_spec = InputSpec(min_ndim=3, max_ndim=5)

    def _channel_axis(self):
        try:
            return {"channels_first": 1, "channels_last": -1}[self.data_format]
        except KeyError:
            raise ValueError(f"Unsupported `data_format` for GDN layer: {self.data_format}.") from None

    @staticmethod
    def _lower_bound(inputs, bound, name=None):
        """max(inputs, bound), under the gradient name 'GDNLowerBound'."""
        with name_scope(name, "GDNLowerBound", [inputs, bound]) as scope:
            inputs = convert_to_tensor(inputs, name="inputs")
            bound = convert_to_tensor(bound, name="bound")
            with get_default_graph().gradient_override_map({"Maximum": "GDNLowerBound"}):
                return maximum(inputs, bound, name=scope)

    def build(self, input_shape):
        axis = self._channel_axis()
        input_shape = TensorShape(input_shape)
        channels = input_shape.dims[axis].value
        if channels is None:
            raise ValueError("The channel dimension of the inputs to `GDN` must be defined.")
        self._input_rank = input_shape.ndims
        self.input_spec = InputSpec(ndim=input_shape.ndims, axes={axis: channels})
        offset = self._reparam_offset
        pedestal = constant(offset ** 2, dtype=self.dtype)
        beta_bound = constant((self._beta_min + offset ** 2) ** 0.5, dtype=self.dtype)
        gamma_bound = constant(offset, dtype=self.dtype)

        def beta_initializer(shape, dtype=None, partition_info=None):
            pedestal = constant(offset ** 2, dtype=self.dtype)
            return sqrt(ones(shape, dtype=dtype) + pedestal)

        def gamma_initializer(shape, dtype=None, partition_info=None):
            identity_matrix = eye(shape[0], dtype=dtype)
            pedestal = constant(offset ** 2, dtype=self.dtype)
            return sqrt(self._gamma_init * identity_matrix + pedestal)

        beta = self.add_variable("reparam_beta", shape=[channels], initializer=beta_initializer, dtype=self.dtype,
                                 trainable=True)
        self.beta = square(self._lower_bound(beta, beta_bound)) - pedestal
        gamma = self.add_variable("reparam_gamma", shape=[channels, channels], initializer=gamma_initializer,
                                  dtype=self.dtype, trainable=True)
        self.gamma = square(self._lower_bound(gamma, gamma_bound)) - pedestal
        self.built = True

    def call(self, inputs):
        inputs = convert_to_tensor(inputs, dtype=self.dtype)
        ndim = self._input_rank
        gamma = reshape(self.gamma, (ndim - 2) * [1] + self.gamma.shape.as_list())
        if self.data_format == "channels_first":
            norm_pool = nn_convolution(square(inputs), gamma, "VALID", data_format="NC" + "DHW"[-(ndim - 2):])
            if ndim == 3:
                norm_pool = squeeze(nn_bias_add(expand_dims(norm_pool, 2), self.beta, data_format="NCHW"), [2])
            elif ndim == 5:
                dynamic = shape(norm_pool)
                norm_pool = reshape(norm_pool, dynamic[:3] + [-1])  # TF's: adds -1 to the first three sizes
                norm_pool = reshape(nn_bias_add(norm_pool, self.beta, data_format="NCHW"), dynamic)
            else:
                norm_pool = nn_bias_add(norm_pool, self.beta, data_format="NCHW")
        else:
            norm_pool = nn_bias_add(nn_convolution(square(inputs), gamma, "VALID"), self.beta, data_format="NHWC")
        norm_pool = sqrt(norm_pool)
        outputs = inputs * norm_pool if self.inverse else inputs / norm_pool
        outputs.set_shape(inputs.shape)
        return outputs


def gdn(inputs, inverse=False, beta_min=1e-6, gamma_init=0.1, reparam_offset=2**-18, data_format="channels_last",
        activity_regularizer=None, trainable=True, name=None, reuse=None):
    """A `GDN` layer (named `name`, default `gdn`) applied to `inputs`."""
    layer = GDN(inverse=inverse, beta_min=beta_min, gamma_init=gamma_init, reparam_offset=reparam_offset,
                data_format=data_format, activity_regularizer=activity_regularizer, trainable=trainable, name=name,
                dtype=inputs.dtype.base_dtype, _scope=name, _reuse=reuse)
    return layer.apply(inputs)


# ----- encoders ---------------------------------------------------------------------------------------------
def _embedding_lookup_unique(params, ids, name=None):
    """contrib's embedding_lookup_unique: each distinct id looked up once, the rows gathered back into place."""
    with name_scope(name, "EmbeddingLookupUnique", [params, ids]):
        ids = convert_to_tensor(ids)
        ids_shape = shape(ids)
        unique_ids, idx = _unique(reshape(ids, reduce_prod(ids_shape, keepdims=True)))
        unique_embeddings = embedding_lookup(params, unique_ids)
        embeds = reshape(gather(unique_embeddings, idx), concat([ids_shape, shape(unique_embeddings)[1:]], 0))
        embeds.set_shape(ids.shape.concatenate(unique_embeddings.shape[1:]))
        return embeds


def embed_sequence(ids, vocab_size=None, embed_dim=None, unique=False, initializer=None, regularizer=None,
                   trainable=True, scope=None, reuse=None):
    """`ids` [batch, length] -> their rows of the model variable `embeddings` [vocab_size, embed_dim] (in an
    `EmbedSequence` variable scope): [batch, length, embed_dim]; with `unique`, each distinct id looked up once."""
    if not (reuse or (vocab_size and embed_dim)):
        raise ValueError("Must specify vocab size and embedding dimension when notreusing. Got "
                         f"vocab_size={vocab_size} and embed_dim={embed_dim}")
    with variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
        embeddings_shape = [vocab_size, embed_dim]
        if (reuse and vocab_size is None) or embed_dim is None:
            embeddings_shape = None
        embeddings = model_variable("embeddings", shape=embeddings_shape, initializer=initializer,
                                    regularizer=regularizer, trainable=trainable)
        if unique:
            return _embedding_lookup_unique(embeddings, ids)
        return embedding_lookup(embeddings, ids)


# ----- summaries (contrib/layers/summaries.py) -------------------------------------------------------------
def _add_scalar_summary(tensor, tag=None):
    tensor.get_shape().assert_has_rank(0)
    return summary_scalar(tag or f"{tensor.op.name}_summary", tensor)


def _add_histogram_summary(tensor, tag=None):
    return summary_histogram(tag or f"{tensor.op.name}_summary", tensor)


def summarize_activation(op):
    """A histogram of an activation, and for ReLU-like ones the fraction of inputs below zero (and above six)."""
    x = op.op.inputs[0] if op.op.inputs else None
    if op.op.type in ("Relu", "Softplus", "Relu6"):
        _add_scalar_summary(reduce_mean(to_float(less(x, cast(0.0, x.dtype)))), f"{op.op.name}/zeros")
    if op.op.type == "Relu6":
        _add_scalar_summary(reduce_mean(to_float(greater(x, cast(6.0, x.dtype)))), f"{op.op.name}/sixes")
    return _add_histogram_summary(op, f"{op.op.name}/activation")


def summarize_tensor(tensor, tag=None):
    """A scalar summary of a scalar, a histogram of anything else; None for string and bool tensors."""
    if tensor.dtype.base_dtype in (dtypes.string, dtypes.bool_):
        return None
    if tensor.get_shape().ndims == 0:
        return _add_scalar_summary(tensor, tag)
    return _add_histogram_summary(tensor, tag)


def summarize_tensors(tensors, summarizer=summarize_tensor):
    return [summarizer(t) for t in tensors]


def summarize_collection(collection, name_filter=None, summarizer=summarize_tensor):
    """Summaries of a collection's tensors whose op names match `name_filter` (re.match) if given."""
    return summarize_tensors([t for t in get_collection(collection)
                              if name_filter is None or re.match(name_filter, t.op.name)], summarizer)


summarize_variables = functools.partial(summarize_collection, GraphKeys.GLOBAL_VARIABLES)
summarize_weights = functools.partial(summarize_collection, GraphKeys.WEIGHTS)
summarize_biases = functools.partial(summarize_collection, GraphKeys.BIASES)


def summarize_activations(name_filter=None, summarizer=summarize_activation):
    return summarize_collection(GraphKeys.ACTIVATIONS, name_filter, summarizer)
