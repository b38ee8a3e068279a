"""Learning rates that follow the global step (TF1's tf.train.*_decay), as graph ops."""
import math

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..functional import case
from ..default_graph import name_scope
from ..ops import math as math_ops
from ..ops.random import random_normal
from ..ops.slicing import where_v2


def _start(name, default, fn_name, global_step):
    """The decay's name scope; TF1 requires a global step."""
    if global_step is None:
        raise ValueError(f"global_step is required for {fn_name}.")
    return name_scope(name or default)


def _progress(learning_rate, global_step, decay_steps, staircase):
    """(initial rate tensor, global_step / decay_steps in its dtype, floored when staircase)."""
    lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
    steps = math_ops.cast(decay_steps, lr.dtype)
    p = math_ops.cast(global_step, lr.dtype) / steps
    return lr, (math_ops.floor(p) if staircase else p)


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """learning_rate * decay_rate ^ (global_step / decay_steps)."""
    with _start(name, "ExponentialDecay", "exponential_decay", global_step) as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        steps = math_ops.cast(decay_steps, lr.dtype)
        rate = math_ops.cast(decay_rate, lr.dtype)
        p = math_ops.cast(global_step, lr.dtype) / steps
        if staircase:
            p = math_ops.floor(p)
        return math_ops.multiply(lr, math_ops.pow(rate, p), name=scope)


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """learning_rate * exp(-decay_rate * global_step / decay_steps): TF1 builds it as an exponential decay."""
    if global_step is None:
        raise ValueError("global_step is required for natural_exp_decay.")
    rate = math_ops.exp(math_ops.negative(decay_rate))
    return exponential_decay(learning_rate, global_step, decay_steps, rate, staircase=staircase, name=name)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False, name=None):
    """learning_rate / (1 + decay_rate * global_step / decay_steps)."""
    with _start(name, "InverseTimeDecay", "inverse_time_decay", global_step) as scope:
        lr, p = _progress(learning_rate, global_step, decay_steps, staircase)
        rate = math_ops.cast(decay_rate, lr.dtype)
        return math_ops.truediv(lr, 1 + rate * p, name=scope)


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
                     name=None):
    """(learning_rate - end) * (1 - step / decay_steps) ^ power + end, the step capped (or cycled)."""
    with _start(name, "PolynomialDecay", "polynomial_decay", global_step) as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        end = math_ops.cast(end_learning_rate, lr.dtype)
        pw = math_ops.cast(power, lr.dtype)
        step = math_ops.cast(global_step, lr.dtype)
        steps = math_ops.cast(decay_steps, lr.dtype)
        if cycle:
            multiplier = where_v2(math_ops.equal(step, 0), constant(1.0, lr.dtype),
                                        math_ops.ceil(step / steps))
            steps = steps * multiplier
        else:
            step = math_ops.minimum(step, steps)
        p = step / steps
        return math_ops.add((lr - end) * math_ops.pow(1 - p, pw), end, name=scope)


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """learning_rate * ((1 - alpha) * (1 + cos(pi * min(step, decay_steps) / decay_steps)) / 2 + alpha)."""
    with _start(name, "CosineDecay", "cosine_decay", global_step):
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        mul = math_ops.multiply
        steps = math_ops.cast(decay_steps, lr.dtype)
        step = math_ops.minimum(math_ops.cast(global_step, lr.dtype), steps)
        cosine = mul(0.5, 1.0 + math_ops.cos(mul(constant(math.pi, lr.dtype), step / steps)))
        return mul(lr, mul(1 - alpha, cosine) + alpha)  # TF1 leaves this one unnamed: CosineDecay/Mul_3


def piecewise_constant(x, boundaries, values, name=None):
    """values[0] while x <= boundaries[0], values[i] while boundaries[i-1] < x <= boundaries[i], then values[-1]:
    a `tf.case` of exclusive predicates, as TF1 builds it (its output is `PiecewiseConstant/case/cond/Merge`)."""
    boundaries = [convert_to_tensor(b) for b in boundaries]
    values = [convert_to_tensor(v) for v in values]
    x = convert_to_tensor(x)
    for i, b in enumerate(boundaries):  # only int32 -> int64 is safe to convert here
        if b.dtype.base_dtype != x.dtype.base_dtype:
            if b.dtype.base_dtype != dtypes.int32 or x.dtype.base_dtype != dtypes.int64:
                raise ValueError(f"Boundaries ({b.dtype.base_dtype}) must have the same dtype as x "
                                 f"({x.dtype.base_dtype}).")
            boundaries[i] = math_ops.cast(b, x.dtype.base_dtype)
    for v in values[1:]:
        if v.dtype.base_dtype != values[0].dtype.base_dtype:
            raise ValueError(f"Values must have elements all with the same dtype ({values[0].dtype.base_dtype} vs "
                             f"{v.dtype.base_dtype}).")
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    with name_scope(name or "PiecewiseConstant"):
        pairs = [(x <= boundaries[0], lambda: values[0]), (x > boundaries[-1], lambda: values[-1])]
        for low, high, v in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            pairs.append(((x > low) & (x <= high), lambda v=v: v))
        return case(pairs, lambda: values[0], exclusive=True)


piecewise_constant_decay = piecewise_constant


def _linear_cosine(lr, global_step, decay_steps, num_periods, alpha, beta, noise=None):
    """(decay_steps - step) / decay_steps (plus `noise(step)`), times a cosine of `num_periods` periods."""
    lr = convert_to_tensor(lr, name="initial_learning_rate")
    steps = math_ops.cast(decay_steps, lr.dtype)
    step = math_ops.minimum(math_ops.cast(global_step, lr.dtype), steps)
    linear = (steps - step) / steps
    if noise is not None:
        linear = linear + noise(step, linear)
    fraction = 2.0 * math_ops.cast(num_periods, lr.dtype) * step / steps
    cosine = 0.5 * (1.0 + math_ops.cos(constant(math.pi, lr.dtype) * fraction))
    return lr, (math_ops.cast(alpha, lr.dtype) + linear) * cosine + math_ops.cast(beta, lr.dtype)


def linear_cosine_decay(learning_rate, global_step, decay_steps, num_periods=0.5, alpha=0.0, beta=0.001, name=None):
    """learning_rate * ((alpha + linear) * cosine + beta), linear falling from 1 to 0 over decay_steps."""
    with _start(name, "LinearCosineDecay", "linear_cosine_decay", global_step) as scope:
        lr, decayed = _linear_cosine(learning_rate, global_step, decay_steps, num_periods, alpha, beta)
        return math_ops.multiply(lr, decayed, name=scope)


def noisy_linear_cosine_decay(learning_rate, global_step, decay_steps, initial_variance=1.0, variance_decay=0.55,
                              num_periods=0.5, alpha=0.0, beta=0.001, name=None):
    """linear_cosine_decay with Gaussian noise on its linear part, of variance
    initial_variance / (1 + step) ^ variance_decay."""
    with _start(name, "NoisyLinearCosineDecay", "noisy_linear_cosine_decay", global_step) as scope:
        def noise(step, linear):
            dtype = linear.dtype
            variance = math_ops.cast(initial_variance, dtype) / math_ops.pow(1.0 + step,
                                                                               math_ops.cast(variance_decay, dtype))
            return random_normal(linear.shape, stddev=math_ops.sqrt(variance), dtype=dtype)
        lr, decayed = _linear_cosine(learning_rate, global_step, decay_steps, num_periods, alpha, beta, noise)
        return math_ops.multiply(lr, decayed, name=scope)


def cosine_decay_restarts(learning_rate, global_step, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0, name=None):
    """SGDR: cosine decays restarted after first_decay_steps, each period t_mul times longer and its rate m_mul
    times smaller."""
    with _start(name, "SGDRDecay", "cosine_decay_restarts", global_step) as scope:
        lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
        dtype = lr.dtype
        t_mul_t, m_mul_t = math_ops.cast(t_mul, dtype), math_ops.cast(m_mul, dtype)
        fraction = math_ops.cast(global_step, dtype) / math_ops.cast(first_decay_steps, dtype)
        if t_mul == 1.0:
            restart = math_ops.floor(fraction)
            fraction = fraction - restart
        else:
            restart = math_ops.floor(math_ops.log(1.0 - fraction * (1.0 - t_mul_t)) / math_ops.log(t_mul_t))
            done = (1.0 - math_ops.pow(t_mul_t, restart)) / (1.0 - t_mul_t)
            fraction = (fraction - done) / math_ops.pow(t_mul_t, restart)
        cosine = 0.5 * math_ops.pow(m_mul_t, restart) * (1.0 + math_ops.cos(constant(math.pi, dtype) * fraction))
        alpha_t = math_ops.cast(alpha, dtype)
        return math_ops.multiply(lr, (1 - alpha_t) * cosine + alpha_t, name=scope)
