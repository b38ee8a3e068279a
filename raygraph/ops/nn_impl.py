"""`tf.nn` functions built from other ops as TF1's nn_impl/nn_ops build them: xw_plus_b, relu_layer, crelu,
swish, log_poisson_loss, weighted_cross_entropy_with_logits, zero_fraction."""
import math

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from .array import identity, size
from .control_flow import cond
from .filling import ones_like, zeros, zeros_like
from .joining import concat
from .linalg import matmul
from .math import (abs as abs_, add, cast, exp, greater_equal, less_equal, log, log1p, logical_and, not_equal,
                   sigmoid)
from .nn import bias_add, relu
from .reduction import reduce_sum
from .slicing import where


def xw_plus_b(x, weights, biases, name=None):
    """matmul(x, weights) + biases."""
    with name_scope(name, "xw_plus_b", [x, weights, biases]) as name:
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        return bias_add(matmul(x, weights), biases, name=name)


def relu_layer(x, weights, biases, name=None):
    """relu(matmul(x, weights) + biases)."""
    with name_scope(name, "relu_layer", [x, weights, biases]) as name:
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(weights, name="weights")
        biases = convert_to_tensor(biases, name="biases")
        return relu(bias_add(matmul(x, weights), biases), name=name)


def crelu(features, name=None, axis=-1):
    """relu of [features, -features] concatenated along `axis`."""
    with name_scope(name, "CRelu", [features]) as name:
        features = convert_to_tensor(features, name="features")
        return relu(concat([features, -features], axis, name=name))


def swish(features, beta=1.0):
    """features * sigmoid(beta * features) (also `silu`)."""
    features = convert_to_tensor(features, name="features")
    beta = cast(convert_to_tensor(beta, name="beta"), features.dtype.base_dtype)
    return features * sigmoid(beta * features)


silu = swish


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """exp(log_input) - log_input * targets, plus Stirling's term for targets > 1 when `compute_full_loss`."""
    with name_scope(name, "log_poisson_loss", [log_input, targets]) as name:
        log_input = convert_to_tensor(log_input, name="log_input")
        targets = convert_to_tensor(targets, name="targets")
        if not log_input.shape.is_compatible_with(targets.shape):
            raise ValueError(f"`log_input` and `targets` must have the same shape, received ({log_input.shape} vs "
                             f"{targets.shape}).")
        result = exp(log_input) - log_input * targets
        if compute_full_loss:
            point_five = constant(0.5, dtype=targets.dtype)
            two_pi = constant(2 * math.pi, dtype=targets.dtype)
            stirling = targets * log(targets) - targets + point_five * log(two_pi * targets)
            zeros_, ones_ = zeros_like(targets, dtype=targets.dtype), ones_like(targets, dtype=targets.dtype)
            small = logical_and(greater_equal(targets, zeros_), less_equal(targets, ones_))
            result += where(small, zeros_, stirling)
        return result


def weighted_cross_entropy_with_logits(labels=None, logits=None, pos_weight=None, name=None, targets=None):
    """Sigmoid cross entropy with the positive term weighted by `pos_weight`."""
    if labels is None:
        labels = targets
    with name_scope(name, "logistic_loss", [logits, labels]) as name:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        if not logits.shape.is_compatible_with(labels.shape):
            raise ValueError(f"`logits` and `labels` must have the same shape, received ({logits.shape} vs "
                             f"{labels.shape}).")
        log_weight = 1 + (pos_weight - 1) * labels
        return add((1 - labels) * logits, log_weight * (log1p(exp(-abs_(logits))) + relu(-logits)), name=name)


def _count_nonzero(x, dtype):
    with name_scope(None, "count_nonzero", [x]):
        zero = zeros([], dtype=x.dtype.base_dtype)
        return reduce_sum(cast(not_equal(x, zero), dtype=dtype), name="nonzero_count")


def zero_fraction(value, name=None):
    """The fraction of zeros in `value`, as float32."""
    with name_scope(name, "zero_fraction", [value]):
        value = convert_to_tensor(value, name="value")
        n = size(value, out_type=dtypes.int64)
        nonzero = cond(less_equal(n, dtypes.int32.max),
                       true_fn=lambda: cast(_count_nonzero(value, dtype=dtypes.int32), dtype=dtypes.int64),
                       false_fn=lambda: _count_nonzero(value, dtype=dtypes.int64))
        with name_scope("counts_to_fraction"):
            fraction = cast(n - nonzero, dtypes.float32) / cast(n, dtypes.float32)
        return identity(fraction, "fraction")
