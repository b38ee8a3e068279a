"""Decoupled weight decay (TF 1.15's weight_decay_optimizers.py, Loshchilov & Hutter): before the base
optimizer's update, var -= weight_decay * var (an AssignSub; for a sparse gradient a ScatterAdd of its rows)."""
from ...convert import convert_to_tensor
from ...graph import get_default_graph
from ...ops.control import no_op
from ...ops.scatter import scatter_add
from ...ops.slicing import gather
from ...train.optimizer import Optimizer
from ...train.optimizers import AdamOptimizer, MomentumOptimizer


class DecoupledWeightDecayExtension:
    """Mixin (first base) decaying each variable by `weight_decay * var` before the base optimizer's update
    (Loshchilov & Hutter). As in TF 1.15, `minimize`'s decay_var_list is lost when it calls apply_gradients.
    Only the update waits for the decay: the forward pass and the gradients read the variable before it (in TF
    the order of those reads and the decay is a race)."""

    def __init__(self, weight_decay, **kwargs):
        self._decay_var_list = None
        self._weight_decay = weight_decay
        self._weight_decay_tensor = None
        super().__init__(**kwargs)

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=Optimizer.GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None, grad_loss=None,
                 decay_var_list=None):
        self._decay_var_list = set(decay_var_list) if decay_var_list else False
        return super().minimize(loss, global_step=global_step, var_list=var_list, gate_gradients=gate_gradients,
                                aggregation_method=aggregation_method,
                                colocate_gradients_with_ops=colocate_gradients_with_ops, name=name,
                                grad_loss=grad_loss)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None, decay_var_list=None):
        self._decay_var_list = set(decay_var_list) if decay_var_list else False
        return super().apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def _prepare(self):
        weight_decay = self._weight_decay() if callable(self._weight_decay) else self._weight_decay
        self._weight_decay_tensor = convert_to_tensor(weight_decay, name="weight_decay")
        super()._prepare()

    def _decays(self, var):
        return not self._decay_var_list or var in self._decay_var_list

    def _apply_dense(self, grad, var):
        decay = var.assign_sub(self._weight_decay * var, self._use_locking) if self._decays(var) else no_op()
        with get_default_graph().control_dependencies([decay]):
            return super()._apply_dense(grad, var)

    def _apply_sparse(self, grad, var):
        if self._decays(var):
            decay = scatter_add(var, grad.indices, -self._weight_decay * gather(var, grad.indices), self._use_locking)
        else:
            decay = no_op()
        with get_default_graph().control_dependencies([decay]):
            return super()._apply_sparse(grad, var)


def extend_with_decoupled_weight_decay(base_optimizer):
    """A subclass of `base_optimizer` whose first constructor argument is the weight decay."""
    class OptimizerWithDecoupledWeightDecay(DecoupledWeightDecayExtension, base_optimizer):
        """`base_optimizer` with decoupled weight decay."""

        def __init__(self, weight_decay, *args, **kwargs):
            super().__init__(weight_decay, *args, **kwargs)
    return OptimizerWithDecoupledWeightDecay


class MomentumWOptimizer(DecoupledWeightDecayExtension, MomentumOptimizer):
    """Momentum with decoupled weight decay (SGDW)."""

    def __init__(self, weight_decay, learning_rate, momentum, use_locking=False, name="MomentumW",
                 use_nesterov=False):
        super().__init__(weight_decay, learning_rate=learning_rate, momentum=momentum, use_locking=use_locking,
                         name=name, use_nesterov=use_nesterov)


class AdamWOptimizer(DecoupledWeightDecayExtension, AdamOptimizer):
    """Adam with decoupled weight decay."""

    def __init__(self, weight_decay, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, use_locking=False,
                 name="AdamW"):
        super().__init__(weight_decay, learning_rate=learning_rate, beta1=beta1, beta2=beta2, epsilon=epsilon,
                         use_locking=use_locking, name=name)
