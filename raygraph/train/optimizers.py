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
"""
from ..convert import constant, convert_to_tensor
from ..ops import training
from .optimizer import Optimizer
from ..ops.control import group
from ..ops.filling import ones
from ..ops.indexed_slices import IndexedSlices
from ..ops.math import sqrt
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
