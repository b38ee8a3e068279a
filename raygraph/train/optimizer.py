"""`Optimizer`: TF1's base class. `minimize` = `compute_gradients` + `apply_gradients`.

An optimizer keeps its state in variables: slots, one per (trainable variable, slot name), named
`<var>/<optimizer name>` (`w/Adam`, then `w/Adam_1`...) and colocated with their variable; and non-slot
variables (Adam's `beta1_power`), one per graph, colocated with the first variable by name. The update
for each variable is one fused `Apply*` op under `<name>/update_<var>/`, colocated with the variable, so
it runs in the device actor that holds the variable and its slots.
"""
from .. import dtypes
from ..default_graph import name_scope
from ..graph import GraphKeys, get_default_graph
from ..ops.control import group, tuple as tuple_
from ..ops.math import cast
from ..tensor import Tensor
from ..variables import Variable, trainable_variables
from ..ops.filling import zeros
from ..convert import convert_to_tensor
from ..slot_creator import create_slot
from ..gradients import gradients
from ..ops.state import assign_add
from ..ops.array import shape
from ..ops.indexed_slices import IndexedSlices
from ..ops.reduction import unsorted_segment_sum
from ..ops.scatter import unique

_VALID_DTYPES = (dtypes.float32, dtypes.float64, dtypes.float16)


def _var_key(var):
    return var.op.graph, var.op.name


class Optimizer:
    """Base class of the TF1 optimizers; subclasses define `_create_slots`, `_prepare`, `_apply_dense`."""

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots = {}          # slot name -> {(graph, var name): slot variable}
        self._non_slot_dict = {}  # (name, graph) -> variable

    def get_name(self):
        return self._name

    # ----- the three steps -------------------------------------------------------------------------------
    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                 colocate_gradients_with_ops=False, name=None, grad_loss=None):
        """Adds ops computing the gradients of `loss` and applying them; returns the training op."""
        grads_and_vars = self.compute_gradients(loss, var_list=var_list, gate_gradients=gate_gradients,
                                                aggregation_method=aggregation_method,
                                                colocate_gradients_with_ops=colocate_gradients_with_ops,
                                                grad_loss=grad_loss)
        if not [v for g, v in grads_and_vars if g is not None]:
            raise ValueError(f"No gradients provided for any variable, check your graph for ops that do not "
                             f"support gradients, between variables {[str(v) for _, v in grads_and_vars]} and "
                             f"loss {loss}.")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None):
        """A list of (gradient or None, variable) for the variables in `var_list` (default: trainable)."""
        if callable(loss):
            loss = loss()
        if gate_gradients not in (Optimizer.GATE_NONE, Optimizer.GATE_OP, Optimizer.GATE_GRAPH):
            raise ValueError(f"gate_gradients must be one of: Optimizer.GATE_NONE, Optimizer.GATE_OP, "
                             f"Optimizer.GATE_GRAPH.  Not {gate_gradients}")
        self._assert_valid_dtypes([loss])
        if grad_loss is not None:
            self._assert_valid_dtypes([grad_loss])
        var_list = trainable_variables() if var_list is None else list(_flatten(var_list))
        if not var_list:
            raise ValueError("No variables to optimize.")
        for v in var_list:
            if not isinstance(v, Variable):
                raise NotImplementedError("Trying to optimize unsupported type ", v)
        grads = gradients(loss, [v._ref() for v in var_list], grad_ys=grad_loss,
                          gate_gradients=gate_gradients == Optimizer.GATE_OP,
                          aggregation_method=aggregation_method,
                          colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gate_gradients == Optimizer.GATE_GRAPH:
            grads = tuple_(grads)
        grads_and_vars = list(zip(grads, var_list))
        self._assert_valid_dtypes([v for g, v in grads_and_vars if g is not None])
        return grads_and_vars

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Adds one update op per variable (and the global step's increment); returns the training op."""
        pairs = _checked_pairs(grads_and_vars)
        var_list = [v for g, v in pairs if g is not None]
        if not var_list:
            raise ValueError(f"No gradients provided for any variable: {[str(v) for _, v in pairs]}.")
        g = get_default_graph()
        with g.control_dependencies(None):  # TF's init_scope: state is created outside any control block
            self._create_slots(var_list)
        update_ops = []
        with name_scope(name, self._name) as scope:
            self._prepare()
            for grad, var in pairs:
                if grad is None:
                    continue
                with name_scope("update_" + var.op.name), g.colocate_with(var):
                    update_ops.append(self._update_op(grad, var))
            if global_step is None:
                train_op = self._finish(update_ops, scope)
            else:
                with g.control_dependencies([self._finish(update_ops, "update")]):
                    with g.colocate_with(global_step):
                        train_op = assign_add(global_step, 1, name=scope)
            if isinstance(train_op, Tensor):
                train_op = train_op.op
            if train_op not in g.get_collection_ref(GraphKeys.TRAIN_OP):
                g.add_to_collection(GraphKeys.TRAIN_OP, train_op)
            return train_op

    def _update_op(self, grad, var):
        if isinstance(grad, Tensor):
            update = self._apply_dense(grad, var)
        else:
            update = self._apply_sparse_duplicate_indices(grad, var)
        if var.constraint is None:
            return update
        with get_default_graph().control_dependencies([update]):
            return var.assign(var.constraint(var))

    # ----- what subclasses define ------------------------------------------------------------------------------
    def _create_slots(self, var_list):
        pass

    def _prepare(self):
        pass

    def _apply_dense(self, grad, var):
        raise NotImplementedError()

    def _apply_sparse_duplicate_indices(self, grad, var):
        """`_apply_sparse` of `grad` with its repeated indices summed first (TF1's default)."""
        unique_indices, positions = unique(grad.indices)
        summed = unsorted_segment_sum(grad.values, positions, shape(unique_indices)[0])
        return self._apply_sparse(IndexedSlices(summed, unique_indices, grad.dense_shape), var)

    def _apply_sparse(self, grad, var):
        raise NotImplementedError()

    def _finish(self, update_ops, name_scope):
        return group(*update_ops, name=name_scope)

    # ----- slots and other optimizer state ----------------------------------------------------------------------
    def get_slot(self, var, name):
        """The slot variable `name` created for `var` (None if there is none)."""
        return self._slots.get(name, {}).get(_var_key(var))

    def get_slot_names(self):
        return sorted(self._slots)

    def variables(self):
        """The optimizer's variables in the default graph (slots and non-slot), sorted by name."""
        g = get_default_graph()
        out = [v for (_, vg), v in self._non_slot_dict.items() if vg is g]
        out += [v for slots in self._slots.values() for v in slots.values() if v.graph is g]
        return sorted(out, key=lambda v: v.name)

    def _zeros_slot(self, var, slot_name, op_name):
        return self._make_slot(var, slot_name, op_name, lambda shape, dtype: zeros(shape, dtype))

    def _make_slot(self, var, slot_name, op_name, initializer):
        """The slot `slot_name` of `var`, created on first use from `initializer(shape, dtype)`."""
        slots = self._slots.setdefault(slot_name, {})
        key = _var_key(var)
        if key not in slots:
            slots[key] = create_slot(var, initializer, op_name)
        return slots[key]

    def _create_non_slot_variable(self, initial_value, name, colocate_with):
        key = (name, colocate_with.graph)
        v = self._non_slot_dict.get(key)
        if v is None:
            with colocate_with.graph.colocate_with(colocate_with):
                v = Variable(initial_value, name=name, trainable=False)
            self._non_slot_dict[key] = v
        return v

    def _get_non_slot_variable(self, name, graph=None):
        return self._non_slot_dict.get((name, graph or get_default_graph()))

    @staticmethod
    def _call_if_callable(param):
        return param() if callable(param) else param

    def _assert_valid_dtypes(self, tensors):
        for t in tensors:
            dtype = t.dtype.base_dtype
            if dtype not in _VALID_DTYPES:
                raise ValueError(f"Invalid type tf.{dtype.name} for {t.name}, expected: [tf.float32, tf.float64, "
                                 f"tf.float16, tf.bfloat16].")

    def _cast(self, value, var):
        return cast(value, var.dtype.base_dtype)


def _checked_pairs(grads_and_vars):
    pairs = tuple(grads_and_vars)
    if not pairs:
        raise ValueError("No variables provided.")
    out = []
    for grad, var in pairs:
        if grad is not None and not isinstance(grad, (Tensor, IndexedSlices)):
            try:
                grad = convert_to_tensor(grad)
            except (TypeError, ValueError):
                raise TypeError(f"Gradient must be convertible to a Tensor or IndexedSlices, or None: {grad}") from None
        if not isinstance(var, Variable):
            raise NotImplementedError("Trying to update a Tensor ", var)
        out.append((grad, var))
    return out


def _flatten(items):
    for item in items:
        if isinstance(item, (list, tuple)):
            yield from _flatten(item)
        else:
            yield item
