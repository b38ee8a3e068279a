"""The TF1 optimizers: each is its defaults, its slots and one fused `Apply*` op per variable.

    GradientDescent  var -= lr * g
    Momentum         accum = momentum * accum + g; var -= lr * accum
                     (Nesterov: var -= lr * g + lr * momentum * accum)
    Adagrad          accum += g^2; var -= lr * g / sqrt(accum)                      accum starts at 0.1
    Adam             m, v moving averages of g and g^2; var -= lr_t * m / (sqrt(v) + epsilon)
                     with lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), from beta1_power / beta2_power
    RMSProp          ms = decay * ms + (1 - decay) g^2; mom = momentum * mom + lr g / sqrt(ms + epsilon);
                     var -= mom (centered: mg, the mean of g, and ms - mg^2 in the root)     ms starts at 1
    Adadelta         accum, accum_update: decayed g^2 and update^2; var -= lr * update
    Ftrl             accum += g^2; linear += g - (accum^-p - old accum^-p) / lr * var;
                     var = (sign(linear) l1 - linear) / (accum^-p / lr + 2 l2), 0 where |linear| <= l1
    Proximal*        the GradientDescent or Adagrad step, then shrunk towards 0 by l1 and scaled by 1/(1 + rate l2)
"""
from ..convert import constant, convert_to_tensor
from ..ops import training
from .optimizer import Optimizer
from ..ops.control import group
from ..ops.array import identity
from ..ops.filling import ones
from ..ops.indexed_slices import IndexedSlices
from ..ops.math import maximum, sqrt
from ..ops.scatter import scatter_add
from ..ops.state import assign, assign_sub
from ..graph import get_default_graph


class GradientDescentOptimizer(Optimizer):
    """Plain gradient descent: `var -= learning_rate * grad`."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._learning_rate_tensor = None

    def _prepare(self):
        lr = self._call_if_callable(self._learning_rate)
        self._learning_rate_tensor = convert_to_tensor(lr, name="learning_rate")

    def _apply_dense(self, grad, var):
        return training.apply_gradient_descent(var, self._cast(self._learning_rate_tensor, var), grad,
                                               use_locking=self._use_locking).op

    def _apply_sparse_duplicate_indices(self, grad, var):
        delta = IndexedSlices(grad.values * self._cast(self._learning_rate_tensor, var), grad.indices,
                              grad.dense_shape)
        return var.scatter_sub(delta, use_locking=self._use_locking)


class AdagradDAOptimizer(Optimizer):
    """Adagrad dual averaging (slots `gradient_accumulator`, `gradient_squared_accumulator`): each step sets
    var from the sums of all gradients so far and of their squares, with l1/l2 scaled by global_step + 1."""

    def __init__(self, learning_rate, global_step, initial_gradient_squared_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0, use_locking=False, name="AdagradDA"):
        if initial_gradient_squared_accumulator_value <= 0.0:
            raise ValueError("initial_gradient_squared_accumulator_value must be positive: "
                             f"{initial_gradient_squared_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate, self._global_step = learning_rate, global_step
        self._initial_gg = initial_gradient_squared_accumulator_value
        self._l1, self._l2 = l1_regularization_strength, l2_regularization_strength

    def _create_slots(self, var_list):
        for v in var_list:
            for slot, value in (("gradient_accumulator", 0.0), ("gradient_squared_accumulator", self._initial_gg)):
                self._make_slot(v, slot, self._name, lambda shape, dtype, value=value: constant(
                    value, dtype=dtype, shape=shape))

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._learning_rate, name="learning_rate")
        with get_default_graph().colocate_with(self._learning_rate_tensor.op):
            self._step_on_worker = identity(self._global_step) + 1

    def _apply_dense(self, grad, var):
        with get_default_graph().device(var.device):
            step = identity(self._step_on_worker)
        return training.apply("ApplyAdagradDA", [
            var, self.get_slot(var, "gradient_accumulator"), self.get_slot(var, "gradient_squared_accumulator"),
            grad, self._cast(self._learning_rate_tensor, var), self._cast(self._l1, var), self._cast(self._l2, var),
            step], use_locking=self._use_locking).op


class MomentumOptimizer(Optimizer):
    """Gradient descent with momentum (slot `momentum`), optionally Nesterov's."""

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum", use_nesterov=False):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")
        self._momentum_tensor = convert_to_tensor(self._call_if_callable(self._momentum), name="momentum")

    def _apply_dense(self, grad, var):
        return training.apply_momentum(var, self.get_slot(var, "momentum"),
                                       self._cast(self._learning_rate_tensor, var), grad,
                                       self._cast(self._momentum_tensor, var), use_locking=self._use_locking,
                                       use_nesterov=self._use_nesterov).op

    def _apply_sparse(self, grad, var):
        return training.sparse_apply("SparseApplyMomentum", [
            var, self.get_slot(var, "momentum"), self._cast(self._learning_rate_tensor, var), grad.values,
            grad.indices, self._cast(self._momentum_tensor, var)], use_locking=self._use_locking,
            use_nesterov=self._use_nesterov).op


class AdagradOptimizer(Optimizer):
    """Adagrad: per-coordinate rates from the sum of squared gradients (slot `accumulator`)."""

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False, name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: {initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        import numpy as np
        value = self._initial_accumulator_value
        for v in var_list:
            self._make_slot(v, "accumulator", self._name, lambda shape, dtype: constant(
                np.full(shape, value, dtype.as_numpy_dtype), dtype=dtype))

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._call_if_callable(self._learning_rate),
                                                       name="learning_rate")

    def _apply_dense(self, grad, var):
        return training.apply_adagrad(var, self.get_slot(var, "accumulator"),
                                      self._cast(self._learning_rate_tensor, var), grad,
                                      use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        return training.sparse_apply("SparseApplyAdagrad", [
            var, self.get_slot(var, "accumulator"), self._cast(self._learning_rate_tensor, var), grad.values,
            grad.indices], use_locking=self._use_locking).op


class AdamOptimizer(Optimizer):
    """Adam (Kingma & Ba): slots `m` and `v`, non-slot `beta1_power` and `beta2_power`."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, epsilon

    def _get_beta_accumulators(self):
        return self._get_non_slot_variable("beta1_power"), self._get_non_slot_variable("beta2_power")

    def _create_slots(self, var_list):
        first = min(var_list, key=lambda v: v.name)
        self._create_non_slot_variable(self._beta1, "beta1_power", first)
        self._create_non_slot_variable(self._beta2, "beta2_power", first)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._call_if_callable(self._lr), name="learning_rate")
        self._beta1_t = convert_to_tensor(self._call_if_callable(self._beta1), name="beta1")
        self._beta2_t = convert_to_tensor(self._call_if_callable(self._beta2), name="beta2")
        self._epsilon_t = convert_to_tensor(self._call_if_callable(self._epsilon), name="epsilon")

    def _apply_dense(self, grad, var):
        beta1_power, beta2_power = self._get_beta_accumulators()
        c = self._cast
        return training.apply_adam(var, self.get_slot(var, "m"), self.get_slot(var, "v"), c(beta1_power, var),
                                   c(beta2_power, var), c(self._lr_t, var), c(self._beta1_t, var),
                                   c(self._beta2_t, var), c(self._epsilon_t, var), grad,
                                   use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        """TF1's sparse Adam: m and v decay whole, then the gradient's rows are added (ScatterAdd), and the
        whole variable moves (so its numbers differ from the dense path's where rows were not touched)."""
        beta1_power, beta2_power = self._get_beta_accumulators()
        c = self._cast
        beta1_power, beta2_power = c(beta1_power, var), c(beta2_power, var)
        lr_t, beta1_t, beta2_t, epsilon_t = c(self._lr_t, var), c(self._beta1_t, var), c(self._beta2_t, var), \
            c(self._epsilon_t, var)
        lr = lr_t * sqrt(1 - beta2_power) / (1 - beta1_power)
        m, v, g = self.get_slot(var, "m"), self.get_slot(var, "v"), grad.values
        m_scaled_g_values = g * (1 - beta1_t)
        m_t = assign(m, m * beta1_t, use_locking=self._use_locking)
        with get_default_graph().control_dependencies([m_t]):
            m_t = scatter_add(m, grad.indices, m_scaled_g_values, use_locking=self._use_locking)
        v_scaled_g_values = (g * g) * (1 - beta2_t)
        v_t = assign(v, v * beta2_t, use_locking=self._use_locking)
        with get_default_graph().control_dependencies([v_t]):
            v_t = scatter_add(v, grad.indices, v_scaled_g_values, use_locking=self._use_locking)
        v_sqrt = sqrt(v_t)
        var_update = assign_sub(var, lr * m_t / (v_sqrt + epsilon_t), use_locking=self._use_locking)
        return group(var_update, m_t, v_t)

    def _finish(self, update_ops, name_scope):
        g = update_ops[0].graph if update_ops else None
        beta1_power, beta2_power = self._get_beta_accumulators()
        with g.control_dependencies(update_ops), g.colocate_with(beta1_power):
            update_beta1 = beta1_power.assign(beta1_power * self._beta1_t, use_locking=self._use_locking)
            update_beta2 = beta2_power.assign(beta2_power * self._beta2_t, use_locking=self._use_locking)
        return group(*update_ops + [update_beta1, update_beta2], name=name_scope)


class RMSPropOptimizer(Optimizer):
    """RMSProp: slots `rms` (starting at 1) and `momentum`, and `mg` when centered."""

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False, centered=False,
                 name="RMSProp"):
        super().__init__(use_locking, name)
        self._learning_rate, self._decay, self._momentum, self._epsilon = learning_rate, decay, momentum, epsilon
        self._centered = centered

    def _create_slots(self, var_list):
        for v in var_list:
            self._make_slot(v, "rms", self._name, lambda shape, dtype: ones(shape, dtype))
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        call = self._call_if_callable
        self._learning_rate_tensor = convert_to_tensor(call(self._learning_rate), name="learning_rate")
        self._decay_tensor = convert_to_tensor(call(self._decay), name="decay")
        self._momentum_tensor = convert_to_tensor(call(self._momentum), name="momentum")
        self._epsilon_tensor = convert_to_tensor(call(self._epsilon), name="epsilon")

    def _apply_dense(self, grad, var):
        c = self._cast
        scalars = [c(self._learning_rate_tensor, var), c(self._decay_tensor, var), c(self._momentum_tensor, var),
                   c(self._epsilon_tensor, var)]
        rms, mom = self.get_slot(var, "rms"), self.get_slot(var, "momentum")
        if self._centered:
            return training.apply_centered_rms_prop(var, self.get_slot(var, "mg"), rms, mom, *scalars, grad,
                                                    use_locking=self._use_locking).op
        return training.apply_rms_prop(var, rms, mom, *scalars, grad, use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        c = self._cast
        scalars = [c(self._learning_rate_tensor, var), c(self._decay_tensor, var), c(self._momentum_tensor, var),
                   c(self._epsilon_tensor, var), grad.values, grad.indices]
        rms, mom = self.get_slot(var, "rms"), self.get_slot(var, "momentum")
        if self._centered:
            return training.sparse_apply("SparseApplyCenteredRMSProp", [var, self.get_slot(var, "mg"), rms, mom]
                                         + scalars, use_locking=self._use_locking).op
        return training.sparse_apply("SparseApplyRMSProp", [var, rms, mom] + scalars,
                                     use_locking=self._use_locking).op


class AdadeltaOptimizer(Optimizer):
    """Adadelta (Zeiler): slots `accum` and `accum_update`."""

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False, name="Adadelta"):
        super().__init__(use_locking, name)
        self._lr, self._rho, self._epsilon = learning_rate, rho, epsilon

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._call_if_callable(self._lr), name="lr")
        self._rho_t = convert_to_tensor(self._call_if_callable(self._rho), name="rho")
        self._epsilon_t = convert_to_tensor(self._call_if_callable(self._epsilon), name="epsilon")

    def _apply_dense(self, grad, var):
        c = self._cast
        return training.apply_adadelta(var, self.get_slot(var, "accum"), self.get_slot(var, "accum_update"),
                                       c(self._lr_t, var), c(self._rho_t, var), c(self._epsilon_t, var), grad,
                                       use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        c = self._cast
        return training.sparse_apply("SparseApplyAdadelta", [
            var, self.get_slot(var, "accum"), self.get_slot(var, "accum_update"), c(self._lr_t, var),
            c(self._rho_t, var), c(self._epsilon_t, var), grad.values, grad.indices],
            use_locking=self._use_locking).op


class FtrlOptimizer(Optimizer):
    """FTRL-proximal (McMahan et al. 2013): slots `accum` (starting at `initial_accumulator_value`) and `linear`;
    ApplyFtrlV2 when `l2_shrinkage_regularization_strength` is positive, ApplyFtrl otherwise."""

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0, use_locking=False, name="Ftrl",
                 accum_name=None, linear_name=None, l2_shrinkage_regularization_strength=0.0, beta=None):
        super().__init__(use_locking, name)
        for value, what, sign in ((initial_accumulator_value, "initial_accumulator_value", "positive or zero"),
                                  (-learning_rate_power, "learning_rate_power", "negative or zero"),
                                  (l1_regularization_strength, "l1_regularization_strength", "positive or zero"),
                                  (l2_regularization_strength, "l2_regularization_strength", "positive or zero"),
                                  (l2_shrinkage_regularization_strength, "l2_shrinkage_regularization_strength",
                                   "positive or zero")):
            if value < 0.0:
                shown = -value if what == "learning_rate_power" else value
                raise ValueError(f"{what} {shown:f} needs to be {sign}")
        self._learning_rate, self._learning_rate_power = learning_rate, learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1, self._l2, self._l2_shrinkage = (l1_regularization_strength, l2_regularization_strength,
                                                  l2_shrinkage_regularization_strength)
        self._beta = 0.0 if beta is None else beta
        self._accum_name, self._linear_name = accum_name, linear_name

    def _create_slots(self, var_list):
        value = self._initial_accumulator_value
        for v in var_list:
            self._make_slot(v, "accum", self._accum_name or self._name,
                            lambda shape, dtype: ones(shape, dtype) * value)
            self._zeros_slot(v, "linear", self._linear_name or self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._learning_rate, name="learning_rate")
        self._l1_t = convert_to_tensor(self._l1, name="l1_regularization_strength")
        self._l2_t = convert_to_tensor(self._l2 + self._beta / (2. * maximum(self._learning_rate, 1e-36)),
                                       name="adjusted_l2_regularization_strength")
        self._beta_t = convert_to_tensor(self._beta, name="beta")
        self._l2_shrinkage_t = convert_to_tensor(self._l2_shrinkage, name="l2_shrinkage_regularization_strength")
        self._lr_power_t = convert_to_tensor(self._learning_rate_power, name="learning_rate_power")

    def _scalars(self, var):
        c = self._cast
        shrinkage = [c(self._l2_shrinkage_t, var)] if self._l2_shrinkage > 0.0 else []
        return [c(self._lr_t, var), c(self._l1_t, var), c(self._l2_t, var)] + shrinkage + [c(self._lr_power_t, var)]

    def _apply_dense(self, grad, var):
        op_type = "ApplyFtrlV2" if self._l2_shrinkage > 0.0 else "ApplyFtrl"
        return training.apply(op_type, [var, self.get_slot(var, "accum"), self.get_slot(var, "linear"), grad]
                              + self._scalars(var), use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        op_type = "SparseApplyFtrlV2" if self._l2_shrinkage > 0.0 else "SparseApplyFtrl"
        return training.sparse_apply(op_type, [var, self.get_slot(var, "accum"), self.get_slot(var, "linear"),
                                               grad.values, grad.indices] + self._scalars(var),
                                     use_locking=self._use_locking)


class _Proximal(Optimizer):
    """The learning rate and the l1 and l2 strengths, as tensors."""

    def __init__(self, learning_rate, l1_regularization_strength, l2_regularization_strength, use_locking, name):
        super().__init__(use_locking, name)
        self._learning_rate, self._l1, self._l2 = learning_rate, l1_regularization_strength, l2_regularization_strength

    def _prepare(self):
        self._learning_rate_tensor = convert_to_tensor(self._learning_rate, name="learning_rate")
        self._l1_t = convert_to_tensor(self._l1, name="l1_regularization_strength")
        self._l2_t = convert_to_tensor(self._l2, name="l2_regularization_strength")


class ProximalGradientDescentOptimizer(_Proximal):
    """Gradient descent followed by the proximal step of l1 and l2 regularisation."""

    def __init__(self, learning_rate, l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="ProximalGradientDescent"):
        super().__init__(learning_rate, l1_regularization_strength, l2_regularization_strength, use_locking, name)

    def _apply_dense(self, grad, var):
        return training.apply("ApplyProximalGradientDescent", [var, self._learning_rate_tensor, self._l1_t,
                                                                self._l2_t, grad], use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        return training.sparse_apply("SparseApplyProximalGradientDescent", [
            var, self._learning_rate_tensor, self._l1_t, self._l2_t, grad.values, grad.indices],
            use_locking=self._use_locking).op


class ProximalAdagradOptimizer(_Proximal):
    """Adagrad followed by the proximal step of l1 and l2 regularisation (slot `accumulator`)."""

    def __init__(self, learning_rate, initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, use_locking=False, name="ProximalAdagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError(f"initial_accumulator_value must be positive: {initial_accumulator_value}")
        super().__init__(learning_rate, l1_regularization_strength, l2_regularization_strength, use_locking, name)
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        for v in var_list:
            with v.graph.colocate_with(v):  # TF1 builds the value first, in the current name scope
                value = constant(self._initial_accumulator_value, shape=v.shape, dtype=v.dtype.base_dtype)
            self._make_slot(v, "accumulator", self._name, lambda shape, dtype, value=value: value)

    def _apply_dense(self, grad, var):
        return training.apply("ApplyProximalAdagrad", [var, self.get_slot(var, "accumulator"),
                                                        self._learning_rate_tensor, self._l1_t, self._l2_t, grad],
                              use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        return training.sparse_apply("SparseApplyProximalAdagrad", [
            var, self.get_slot(var, "accumulator"), self._learning_rate_tensor, self._l1_t, self._l2_t,
            grad.values, grad.indices], use_locking=self._use_locking)
