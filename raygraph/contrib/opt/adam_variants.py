"""Adam variants of TF 1.15's contrib.opt, on tf.train.AdamOptimizer:

    LazyAdamOptimizer   the sparse update touches only the gradient's rows of m, v and var
    NadamOptimizer      ApplyAdam with use_nesterov=True (sparse: Adam's ops with m_bar)
    AdaMaxOptimizer     ApplyAdaMax: v = max(beta2 v, |g|); only `beta1_power` as non-slot variable
"""
from ...graph import get_default_graph
from ...ops import training
from ...ops.control import group
from ...ops.math import abs as abs_
from ...ops.math import maximum, sqrt, square
from ...ops.scatter import scatter_add, scatter_sub, scatter_update
from ...ops.slicing import gather
from ...ops.state import assign
from ...train.optimizers import AdamOptimizer


def _adam_scalars(opt, var):
    """(lr_t, beta1_t, beta2_t, epsilon_t) cast to the variable's dtype."""
    return [opt._cast(t, var) for t in (opt._lr_t, opt._beta1_t, opt._beta2_t, opt._epsilon_t)]


class LazyAdamOptimizer(AdamOptimizer):
    """Adam whose sparse update changes only the rows of m, v and var the gradient names."""

    def _apply_sparse(self, grad, var):
        beta1_power, beta2_power = (self._cast(b, var) for b in self._get_beta_accumulators())
        lr_t, beta1_t, beta2_t, epsilon_t = _adam_scalars(self, var)
        lr = lr_t * sqrt(1 - beta2_power) / (1 - beta1_power)
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_t = scatter_update(m, grad.indices, beta1_t * gather(m, grad.indices) + (1 - beta1_t) * grad.values,
                             use_locking=self._use_locking)
        v_t = scatter_update(v, grad.indices, beta2_t * gather(v, grad.indices) + (1 - beta2_t) * square(grad.values),
                             use_locking=self._use_locking)
        m_t_slice, v_t_slice = gather(m_t, grad.indices), gather(v_t, grad.indices)
        denominator_slice = sqrt(v_t_slice) + epsilon_t
        var_update = scatter_sub(var, grad.indices, lr * m_t_slice / denominator_slice, use_locking=self._use_locking)
        return group(var_update, m_t, v_t)


class NadamOptimizer(AdamOptimizer):
    """Adam with Nesterov momentum (Dozat 2015); its default name is TF's, "Adam"."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08, use_locking=False, name="Adam"):
        super().__init__(learning_rate=learning_rate, beta1=beta1, beta2=beta2, epsilon=epsilon,
                         use_locking=use_locking, name=name)

    def _apply_dense(self, grad, var):
        beta1_power, beta2_power = self._get_beta_accumulators()
        return training.apply_adam(var, self.get_slot(var, "m"), self.get_slot(var, "v"), self._cast(beta1_power, var),
                                   self._cast(beta2_power, var), *_adam_scalars(self, var), grad,
                                   use_locking=self._use_locking, use_nesterov=True).op

    def _apply_sparse(self, grad, var):
        beta1_power, beta2_power = (self._cast(b, var) for b in self._get_beta_accumulators())
        lr_t, beta1_t, beta2_t, epsilon_t = _adam_scalars(self, var)
        lr = lr_t * sqrt(1 - beta2_power) / (1 - beta1_power)
        g, indices, locking = grad.values, grad.indices, self._use_locking
        m = self.get_slot(var, "m")
        m_scaled_g_values = g * (1 - beta1_t)
        m_t = assign(m, m * beta1_t, use_locking=locking)
        with get_default_graph().control_dependencies([m_t]):
            m_t = scatter_add(m, indices, m_scaled_g_values, use_locking=locking)
            m_bar = m_scaled_g_values + beta1_t * gather(m_t, indices)
        v = self.get_slot(var, "v")
        v_scaled_g_values = (g * g) * (1 - beta2_t)
        v_t = assign(v, v * beta2_t, use_locking=locking)
        with get_default_graph().control_dependencies([v_t]):
            v_t = scatter_add(v, indices, v_scaled_g_values, use_locking=locking)
        v_sqrt = sqrt(gather(v_t, indices))
        var_update = scatter_add(var, indices, -lr * m_bar / (v_sqrt + epsilon_t), use_locking=locking)
        return group(*[var_update, m_bar, v_t])


class AdaMaxOptimizer(AdamOptimizer):
    """AdaMax (Kingma & Ba, section 7.1): slots `m` and `v`, non-slot `beta1_power`; sparse updates touch
    only the gradient's rows."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, use_locking=False, name="AdaMax"):
        super().__init__(learning_rate, beta1, beta2, epsilon, use_locking, name)

    def _get_beta_accumulators(self):
        return self._get_non_slot_variable("beta1_power")

    def _create_slots(self, var_list):
        first = min(var_list, key=lambda v: v.name)
        self._create_non_slot_variable(self._beta1, "beta1_power", first)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _apply_dense(self, grad, var):
        return training.apply("ApplyAdaMax", [var, self.get_slot(var, "m"), self.get_slot(var, "v"),
                                              self._cast(self._get_beta_accumulators(), var),
                                              *_adam_scalars(self, var), grad], use_locking=self._use_locking).op

    def _apply_sparse(self, grad, var):
        beta1_power = self._cast(self._get_beta_accumulators(), var)
        lr_t, beta1_t, beta2_t, epsilon_t = _adam_scalars(self, var)
        g, indices, locking = grad.values, grad.indices, self._use_locking
        graph = get_default_graph()
        m = self.get_slot(var, "m")
        m_t_slice = gather(m, indices) * beta1_t + g * (1 - beta1_t)
        with graph.control_dependencies([m_t_slice]):
            m_t = scatter_update(m, indices, m_t_slice, use_locking=locking)
        v = self.get_slot(var, "v")
        v_t_slice = maximum(gather(v, indices) * beta2_t, abs_(g))
        with graph.control_dependencies([v_t_slice]):
            v_t = scatter_update(v, indices, v_t_slice, use_locking=locking)
        var_slice = -lr_t / (1 - beta1_power) * (m_t_slice / (v_t_slice + epsilon_t))
        with graph.control_dependencies([var_slice]):
            var_update = scatter_add(var, indices, var_slice, use_locking=locking)
        return group(*[var_update, m_t, v_t])

    def _finish(self, update_ops, name_scope):
        graph = get_default_graph()
        with graph.control_dependencies(update_ops):
            beta1_power = self._get_beta_accumulators()
            with graph.colocate_with(beta1_power):
                update_beta1 = beta1_power.assign(beta1_power * self._beta1_t, use_locking=self._use_locking)
        return group(*update_ops + [update_beta1], name=name_scope)
