"""`tf.contrib.layers.optimize_loss` (TF 1.15's contrib/layers/python/layers/optimizers.py, kept by tf_slim): one
call that builds a training op from a loss -- the optimizer named by a string, class, instance or factory, the
learning rate as a float (a non-trainable `learning_rate` variable), a tensor or decayed by a function, gradient
noise, multipliers and clipping (global norm, a callable, or the adaptive clipping of `adaptive_clipping_fn`), the
loss, learning-rate and gradient-norm summaries, and the global step's increment -- returning the loss after the
update."""
from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import get_collection
from ..graph import GraphKeys
from ..initializers import constant_initializer, zeros_initializer
from ..moving_averages import assign_moving_average
from ..ops.checks import assert_scalar
from ..ops.clip import clip_by_global_norm, global_norm
from ..ops.control import with_dependencies
from ..ops.filling import ones_like
from ..ops.indexed_slices import IndexedSlices
from ..ops.math import cast, exp, log, maximum, minimum, sqrt, square
from ..ops.random import truncated_normal
from ..ops.slicing import where
from ..summary.summaries import histogram, scalar
from ..tensor import Tensor
from ..train import (
    AdagradOptimizer,
    AdamOptimizer,
    FtrlOptimizer,
    GradientDescentOptimizer,
    MomentumOptimizer,
    Optimizer,
    RMSPropOptimizer,
    assert_global_step,
    get_global_step,
)
from ..variable_scope import get_variable, variable_scope
from ..variables import trainable_variables

OPTIMIZER_CLS_NAMES = {
    "Adagrad": AdagradOptimizer,
    "Adam": AdamOptimizer,
    "Ftrl": FtrlOptimizer,
    "Momentum": lambda learning_rate: MomentumOptimizer(learning_rate, momentum=0.9),
    "RMSProp": RMSPropOptimizer,
    "SGD": GradientDescentOptimizer,
}

OPTIMIZER_SUMMARIES = ["learning_rate", "loss", "gradients", "gradient_norm", "global_gradient_norm"]


def _learning_rate(learning_rate):
    if learning_rate is None or (isinstance(learning_rate, Tensor) and learning_rate.get_shape().ndims == 0):
        return learning_rate
    if isinstance(learning_rate, float):
        if learning_rate < 0.0:
            raise ValueError(f"Invalid learning_rate {learning_rate}.")
        return get_variable("learning_rate", [], trainable=False, initializer=constant_initializer(learning_rate))
    raise ValueError(f"Learning rate should be 0d Tensor or float. Got {learning_rate} of type {type(learning_rate)}")


def _optimizer(optimizer, lr, learning_rate):
    """The Optimizer that `optimizer` names (a string, an Optimizer class or instance, or a factory)."""
    if isinstance(optimizer, str):
        if lr is None:
            raise ValueError(f"Learning rate is None, but should be specified if optimizer is string ({optimizer}).")
        if optimizer not in OPTIMIZER_CLS_NAMES:
            raise ValueError(f"Optimizer name should be one of [{', '.join(OPTIMIZER_CLS_NAMES)}], you provided "
                             f"{optimizer}.")
        return OPTIMIZER_CLS_NAMES[optimizer](learning_rate=lr)
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        if lr is None:
            raise ValueError(f"Learning rate is None, but should be specified if optimizer is class ({optimizer}).")
        return optimizer(learning_rate=lr)
    if isinstance(optimizer, Optimizer):
        return optimizer
    if callable(optimizer):
        opt = optimizer(lr) if learning_rate is not None else optimizer()
        if not isinstance(opt, Optimizer):
            raise ValueError(f"Unrecognized optimizer: function should return subclass of Optimizer. Got {opt}.")  # noqa: TRY004
        return opt
    raise ValueError(f"Unrecognized optimizer: should be string, subclass of Optimizer, instance of subclass of "
                     f"Optimizer or function with one argument. Got {optimizer}.")


def _add_scaled_noise_to_gradients(grads_and_vars, scale):
    """Each gradient plus truncated-normal noise of its (dense) shape times `scale`."""
    out = []
    for grad, var in grads_and_vars:
        if grad is not None:
            shape = grad.dense_shape if isinstance(grad, IndexedSlices) else grad.get_shape()
            grad = grad + truncated_normal(shape) * scale
        out.append((grad, var))
    return out


def _multiply_gradients(grads_and_vars, multipliers):
    """The gradients of the variables (or variable names) in `multipliers` scaled by their value."""
    out = []
    for grad, var in grads_and_vars:
        if grad is not None and (var in multipliers or var.name in multipliers):
            multiplier = multipliers[var if var in multipliers else var.name]
            if isinstance(grad, IndexedSlices):
                grad = IndexedSlices(grad.values * multiplier, grad.indices, grad.dense_shape)
            else:
                grad = grad * cast(multiplier, grad.dtype)
        out.append((grad, var))
    return out


def _clip_gradients_by_norm(grads_and_vars, clip_norm):
    gradients, variables = zip(*grads_and_vars)
    clipped, _ = clip_by_global_norm(gradients, clip_norm)
    return list(zip(clipped, variables))


def _adaptive_max_norm(norm, std_factor, decay, global_step, epsilon, name):
    """exp(mean + std_factor * std) of log(norm)'s moving averages, and that mean."""
    with variable_scope(name, "AdaptiveMaxNorm", [norm]):
        log_norm = log(norm + epsilon)

        def moving_average(var_name, value, decay):
            v = get_variable(var_name, shape=value.get_shape(), dtype=value.dtype, initializer=zeros_initializer(),
                             trainable=False)
            return assign_moving_average(v, value, decay, zero_debias=False)

        if global_step is not None:
            n = cast(global_step, dtypes.float32)
            decay = minimum(decay, n / (n + 1.0))
        mean = moving_average("mean", log_norm, decay)
        sq_mean = moving_average("sq_mean", square(log_norm), decay)
        std = sqrt(maximum(epsilon, sq_mean - square(mean)))
        return exp(mean + std_factor * std), mean


def adaptive_clipping_fn(std_factor=2.0, decay=0.95, static_max_norm=None, global_step=None, report_summary=False,
                         epsilon=1e-8, name=None):
    """A clip_gradients function rescaling the gradients to norm exp(mean) when their norm exceeds
    exp(mean + std_factor * std) of the log-norms' moving statistics (arXiv:1412.1602, 3.2.1)."""
    def gradient_clipping(grads_and_vars):
        grads, variables = zip(*grads_and_vars)
        norm = global_norm(grads)
        max_norm, log_mean = _adaptive_max_norm(norm, std_factor, decay, global_step, epsilon, name)
        if report_summary:
            scalar("global_norm/adaptive_max_gradient_norm", max_norm)
        factor = where(norm < max_norm, ones_like(norm), exp(log_mean) / norm)
        if static_max_norm is not None:
            factor = minimum(static_max_norm / norm, factor)
        clipped = [None if g is None else IndexedSlices(g.values * factor, g.indices, g.dense_shape)
                   if isinstance(g, IndexedSlices) else g * factor for g in grads]
        return list(zip(clipped, variables))
    return gradient_clipping


def optimize_loss(loss, global_step, learning_rate, optimizer, gradient_noise_scale=None, gradient_multipliers=None,
                  clip_gradients=None, learning_rate_decay_fn=None, update_ops=None, variables=None, name=None,
                  summaries=None, colocate_gradients_with_ops=False, increment_global_step=True):
    """The loss, after one optimizer step over it (see the module docstring)."""
    loss = convert_to_tensor(loss)
    assert_scalar(loss)
    if global_step is None:
        global_step = get_global_step()
    else:
        assert_global_step(global_step)
    with variable_scope(name, "OptimizeLoss", [loss, global_step]):
        if update_ops is None:
            update_ops = set(get_collection(GraphKeys.UPDATE_OPS))
        if update_ops:
            loss = with_dependencies(list(update_ops), loss)
        lr = _learning_rate(learning_rate)
        if summaries is None:
            summaries = ["loss", "learning_rate", "global_gradient_norm"]
        for summ in summaries:
            if summ not in OPTIMIZER_SUMMARIES:
                raise ValueError(f"Summaries should be one of [{', '.join(OPTIMIZER_SUMMARIES)}], you provided "
                                 f"{summ}.")
        if learning_rate is not None and learning_rate_decay_fn is not None:
            if global_step is None:
                raise ValueError("global_step is required for learning_rate_decay_fn.")
            lr = learning_rate_decay_fn(lr, global_step)
            if "learning_rate" in summaries:
                scalar("learning_rate", lr)
        opt = _optimizer(optimizer, lr, learning_rate)
        gradients = opt.compute_gradients(loss, trainable_variables() if variables is None else variables,
                                          colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gradient_noise_scale is not None:
            gradients = _add_scaled_noise_to_gradients(gradients, gradient_noise_scale)
        if gradient_multipliers is not None:
            gradients = _multiply_gradients(gradients, gradient_multipliers)
            if not gradients:
                raise ValueError("Empty list of (gradient, var) pairs encountered. This is most likely to be caused "
                                 "by an improper value of gradient_multipliers.")
        if "global_gradient_norm" in summaries or "gradient_norm" in summaries:
            scalar("global_norm/gradient_norm", global_norm(next(zip(*gradients))))
        if isinstance(clip_gradients, float):
            gradients = _clip_gradients_by_norm(gradients, clip_gradients)
        elif callable(clip_gradients):
            gradients = clip_gradients(gradients)
        elif clip_gradients is not None:
            raise ValueError(f"Unknown type {type(clip_gradients)} for clip_gradients")
        if "loss" in summaries:
            scalar("loss", loss)
        for gradient, variable in gradients:
            values = gradient.values if isinstance(gradient, IndexedSlices) else gradient
            if values is not None:
                var_name = variable.name.replace(":", "_")
                if "gradients" in summaries:
                    histogram(f"gradients/{var_name}", values)
                if "gradient_norm" in summaries:
                    scalar(f"gradient_norm/{var_name}", global_norm([values]))
        if clip_gradients is not None and ("global_gradient_norm" in summaries or "gradient_norm" in summaries):
            scalar("global_norm/clipped_gradient_norm", global_norm(next(zip(*gradients))))
        updates = opt.apply_gradients(gradients, global_step=global_step if increment_global_step else None,
                                      name="train")
        return with_dependencies([updates], loss)
