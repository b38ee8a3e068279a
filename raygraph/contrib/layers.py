"""`tf.contrib.layers`' everyday subset, as TF 1.15 built it: `flatten`, `fully_connected`, `xavier_initializer`,
`variance_scaling_initializer`, `l1_regularizer`, `l2_regularizer`, `sum_regularizer`, `apply_regularization`.

TF 2.21 has no contrib, so these follow TF 1.15's sources (contrib/layers/python/layers/); `flatten` is TF's
`tf.layers.flatten` inside a `Flatten` name scope, `fully_connected` a `tf.layers.Dense` whose variables are named
`weights` and `biases` (and are model variables)."""
import math
import numbers

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import add_to_collection, add_to_collections, get_collection, name_scope
from ..graph import GraphKeys
from ..initializers import zeros_initializer
from ..layers.core import Dense
from ..layers.core import flatten as _layers_flatten
from ..ops.math import abs as abs_, multiply
from ..ops.nn import l2_loss, relu
from ..ops.random import random_uniform, truncated_normal
from ..ops.reduction import add_n, reduce_sum
from ..variable_scope import variable_scope


def _collect_named_outputs(collections, alias, outputs):
    """Adds `outputs` to the collections (TF also notes `alias` on the tensor)."""
    if collections:
        add_to_collections(collections, outputs)
    return outputs


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


# ----- regularizers -----------------------------------------------------------------------------------------
def _check_scale(scale):
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"scale cannot be an integer: {scale}")
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
def flatten(inputs, outputs_collections=None, scope=None):
    """[batch, ...] -> [batch, everything else]."""
    with name_scope(scope, "Flatten", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        outputs = _layers_flatten(inputs)
        return _collect_named_outputs(outputs_collections, sc, outputs)


def _renaming_getter(renames):
    """A custom getter naming Dense's `kernel`/`bias` as contrib's `weights`/`biases` (and model variables)."""
    def getter(base_getter, name, **kwargs):
        prefix, _, short = name.rpartition("/")
        short = renames.get(short, short)
        kwargs["collections"] = list(kwargs.get("collections") or [GraphKeys.GLOBAL_VARIABLES]) + [
            GraphKeys.MODEL_VARIABLES]
        return base_getter(f"{prefix}/{short}" if prefix else short, **kwargs)
    return getter


def fully_connected(inputs, num_outputs, activation_fn=relu, normalizer_fn=None, normalizer_params=None,
                    weights_initializer=None, weights_regularizer=None, biases_initializer=zeros_initializer(),
                    biases_regularizer=None, reuse=None, variables_collections=None, outputs_collections=None,
                    trainable=True, scope=None):
    """`activation_fn(normalizer_fn(inputs @ weights) or inputs @ weights + biases)` in a `fully_connected`
    variable scope."""
    if not isinstance(num_outputs, int):
        raise ValueError(f"num_outputs type should be one of {(int,)}, got {type(num_outputs)}.")
    weights_initializer = weights_initializer or xavier_initializer()
    with variable_scope(scope, "fully_connected", [inputs], reuse=reuse,
                        custom_getter=_renaming_getter({"kernel": "weights", "bias": "biases"})) as sc:
        inputs = convert_to_tensor(inputs)
        layer = Dense(units=num_outputs, activation=None,
                      use_bias=not normalizer_fn and biases_initializer is not None,
                      kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
                      kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
                      trainable=trainable, name=sc.name, dtype=inputs.dtype.base_dtype, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        for variable, key in ((layer.kernel, "weights"), (layer.bias, "biases")):
            if variable is not None and variables_collections:
                wanted = variables_collections.get(key) if isinstance(variables_collections, dict) else \
                    variables_collections
                for collection in ([wanted] if isinstance(wanted, str) else wanted or []):
                    if variable not in get_collection(collection):
                        add_to_collection(collection, variable)
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return _collect_named_outputs(outputs_collections, sc.name, outputs)
