"""Optimizer wrappers of TF 1.15's contrib.opt: VariableClippingOptimizer (clip the variables' norms after
the update), MovingAverageOptimizer (an ExponentialMovingAverage after it, and a swapping saver),
MultitaskOptimizerWrapper and clip_gradients_by_global_norm (all-zero gradients leave the state alone),
DropStaleGradientOptimizer (skip the update when the global step moved on since the gradients were computed)."""
import contextlib
import types

from ... import dtypes, logging
from ...default_graph import name_scope
from ...graph import get_default_graph
from ...initializers import zeros_initializer
from ...moving_averages import ExponentialMovingAverage
from ...ops.array import identity, reshape
from ...ops.clip import clip_by_global_norm, clip_by_norm, global_norm
from ...ops.control import group, no_op
from ...ops.control_flow import cond
from ...ops.filling import zeros
from ...ops.indexed_slices import IndexedSlices
from ...ops.math import cast, equal, less_equal
from ...ops.reduction import count_nonzero
from ...ops.slicing import gather
from ...summary.summaries import scalar
from ...tensor import Tensor
from ...train.optimizer import Optimizer
from ...train.saver import Saver, _named_variables
from ...train.training_util import get_global_step
from ...variable_scope import get_variable
from ...variables import global_variables


class VariableClippingOptimizer(Optimizer):
    """Runs `opt`'s update, then clips the L2 norm of the variables in `vars_to_clip_dims` along those dims."""

    def __init__(self, opt, vars_to_clip_dims, max_norm, use_locking=False, colocate_clip_ops_with_vars=False,
                 name="VariableClipping"):
        super().__init__(use_locking, name)
        self._opt = opt
        self._vars_to_clip_dims = {var: clip_dims[:] for var, clip_dims in vars_to_clip_dims.items()}
        self._max_norm = max_norm
        self._colocate_clip_ops_with_vars = colocate_clip_ops_with_vars

    def compute_gradients(self, *args, **kwargs):
        return self._opt.compute_gradients(*args, **kwargs)

    def get_slot(self, *args, **kwargs):
        return self._opt.get_slot(*args, **kwargs)

    def get_slot_names(self, *args, **kwargs):
        return self._opt.get_slot_names(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        with name_scope(name, self._name) as scope:
            update_op = self._opt.apply_gradients(grads_and_vars, global_step=global_step)
            clip_update_ops = []
            with get_default_graph().control_dependencies([update_op]):
                for grad, var in grads_and_vars:
                    if grad is None or var not in self._vars_to_clip_dims:
                        continue
                    with name_scope("clip_" + var.op.name):
                        clip = self._clip_dense(var) if isinstance(grad, Tensor) else self._clip_sparse(grad, var)
                        clip_update_ops.append(clip)
            return group(*([update_op] + clip_update_ops), name=scope)

    def _clip_dense(self, var):
        with self._maybe_colocate_with(var):
            updated_var_value = var.read_value()
            normalized_var = clip_by_norm(updated_var_value, self._max_norm, self._vars_to_clip_dims[var])
            delta = updated_var_value - normalized_var
        with get_default_graph().colocate_with(var):
            return var.assign_sub(delta, use_locking=self._use_locking)

    def _clip_sparse(self, grad, var):
        clip_dims = self._vars_to_clip_dims[var]
        if 0 in clip_dims:
            logging.warning("Clipping norm across dims %s for %s is inefficient when including sparse dimension 0.",
                            clip_dims, var.op.name)
            return self._clip_dense(var)
        with get_default_graph().colocate_with(var):
            var_subset = gather(var, grad.indices)
        with self._maybe_colocate_with(var):
            normalized_var_subset = clip_by_norm(var_subset, self._max_norm, clip_dims)
            delta = IndexedSlices(var_subset - normalized_var_subset, grad.indices, grad.dense_shape)
        with get_default_graph().colocate_with(var):
            return var.scatter_sub(delta, use_locking=self._use_locking)

    @contextlib.contextmanager
    def _maybe_colocate_with(self, var):
        if self._colocate_clip_ops_with_vars:
            with get_default_graph().colocate_with(var):
                yield
        else:
            yield


class MovingAverageOptimizer(Optimizer):
    """Runs `opt`'s update, then an ExponentialMovingAverage of the variables; `swapping_saver` saves the
    averages under the variables' names."""

    def __init__(self, opt, average_decay=0.9999, num_updates=None, sequential_update=True):
        self._optimizer = opt
        self._ema = ExponentialMovingAverage(average_decay, num_updates=num_updates)
        self._variable_map = None
        self._sequential_update = sequential_update

    def compute_gradients(self, *args, **kwargs):
        return self._optimizer.compute_gradients(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        grads_and_vars = list(grads_and_vars)
        train_op = self._optimizer.apply_gradients(grads_and_vars, global_step=global_step, name=name)
        var_list = [v for g, v in grads_and_vars if g is not None]
        self._variable_map = {}
        if self._sequential_update:
            with get_default_graph().control_dependencies([train_op]):
                ma_op = self._ema.apply(var_list)
        else:
            ma_op = self._ema.apply(var_list)
        for v in var_list:
            v_avg = self._ema.average(v)
            self._variable_map[v.op.name] = v_avg
            self._variable_map[v_avg.op.name] = v
        return group(train_op, ma_op, name="train_with_avg")

    def swapping_saver(self, var_list=None, name="swapping_saver", **kwargs):
        """A Saver writing each trained variable's moving average under the variable's name (and back)."""
        if self._variable_map is None:
            raise RuntimeError("Must call apply_gradients or minimize before creating the swapping_saver")
        if var_list is None:
            var_list = global_variables()
        if not isinstance(var_list, dict):
            var_list = dict(_named_variables(var_list))
        swapped = {k: v if self._variable_map.get(v.op.name) is None else self._variable_map[v.op.name]
                   for k, v in var_list.items()}
        return Saver(swapped, name=name, **kwargs)


def _is_all_zeros(grad):
    return equal(count_nonzero(grad), 0)


def _get_wrapper(fn, opt):
    def wrapper(self, grad, *args, **kwargs):
        return cond(_is_all_zeros(grad), no_op, lambda: fn(grad, *args, **kwargs))
    return types.MethodType(wrapper, opt)


class MultitaskOptimizerWrapper:
    """Wraps `opt` so that an all-zero gradient leaves its variable and slots unchanged (a `cond` per update)."""

    def __init__(self, opt):
        if not isinstance(opt, Optimizer):
            raise TypeError("Supplied optimizer must be an instance of tf.train.Optimizer")
        self._opt = opt
        for name in ("_apply_dense", "_apply_sparse"):  # raygraph's Variables are all ref variables
            setattr(self._opt, name, _get_wrapper(getattr(self._opt, name), self._opt))

    def __getattr__(self, name):
        return getattr(self._opt, name)


def clip_gradients_by_global_norm(gradients_variables, clip_norm=20.):
    """(pairs with their gradients clipped by the global norm of the non-zero ones, that norm)."""
    grads, variables = zip(*gradients_variables)

    def _replace_nonexisting_grad(grad):
        if grad is None:
            return grad
        return cond(_is_all_zeros(grad), lambda: zeros([], dtype=dtypes.as_dtype(grad.dtype)), lambda: grad)
    fixed_global_norm = global_norm([_replace_nonexisting_grad(g) for g in grads])
    grads, _ = clip_by_global_norm(grads, clip_norm, use_norm=fixed_global_norm)
    return list(zip(grads, variables)), fixed_global_norm


class DropStaleGradientOptimizer(Optimizer):
    """Applies `opt`'s update only when the global step moved at most `staleness` since the gradients were
    computed; `stale_counter` counts the dropped steps."""

    def __init__(self, opt, staleness, use_locking=False, name="DropStaleGradient"):
        super().__init__(use_locking, name)
        self._opt = opt
        self._staleness = staleness

    def compute_gradients(self, loss, *args, **kwargs):
        graph = get_default_graph()
        with graph.colocate_with(loss):
            self._local_step = get_global_step().read_value() + 0
        with graph.control_dependencies([self._local_step]):
            loss = identity(loss)
            return self._opt.compute_gradients(loss, *args, **kwargs)

    def get_slot(self, *args, **kwargs):
        return self._opt.get_slot(*args, **kwargs)

    def get_slot_names(self, *args, **kwargs):
        return self._opt.get_slot_names(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        graph = get_default_graph()
        with graph.colocate_with(global_step):
            stale_counter = get_variable("stale_counter", [], initializer=zeros_initializer(), trainable=False)

        def accept():
            with graph.control_dependencies([self._opt.apply_gradients(grads_and_vars, global_step=global_step,
                                                                       name=name)]):
                return identity(0.0)

        gradients = [g if isinstance(g, Tensor) else g.op for g, _ in grads_and_vars if g is not None]
        with graph.control_dependencies(gradients), graph.colocate_with(global_step):
            staleness = reshape(global_step.read_value() - self._local_step, shape=())
        conditional_update = stale_counter.assign_add(cond(less_equal(staleness, self._staleness), accept,
                                                           lambda: identity(1.0)))
        scalar("Gradient staleness percentage",
               stale_counter / cast(global_step.read_value() + 1, dtypes.float32))
        return conditional_update
