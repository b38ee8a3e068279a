"""`cond` with TF1's dataflow control flow: Switch routes a value to one branch, Merge takes whichever
branch produced a value. The untaken branch's tensors are *dead*: ops fed a dead value do not run and
produce dead values themselves (the executor handles that), so only the taken branch's ops execute.

While a branch is built, a `CondContext` is active on the graph: every op created in it that reads a
tensor from outside gets that tensor through a Switch on the predicate, and ops without inputs get a
control input on the branch's pivot, so nothing in the branch runs unless the branch is taken.
"""
import numpy as np
from scheduler.resources import DEAD

from .. import dtypes, nest
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..shape import unknown_shape
from ..tensor import Tensor
from .indexed_slices import IndexedSlices
from .sparse_tensor import SparseTensor
from .registry import apply_op, op


def _switch_kernel(a, data, pred):
    if pred is DEAD:
        return DEAD, DEAD
    return (DEAD, data) if pred else (data, DEAD)


def _merge_kernel(a, *inputs):
    for i, x in enumerate(inputs):
        if x is not DEAD:
            return x, np.int32(i)
    return DEAD, DEAD


def _switch_shape(inputs, a):
    x = inputs[0]
    return [(x.dtype, x.shape)] * 2


def _merge_shape(inputs, a):
    shape = inputs[0].shape
    for t in inputs[1:]:
        shape = shape.most_specific_compatible_shape(t.shape)
    return [(inputs[0].dtype.base_dtype, shape), (dtypes.int32, unknown_shape(0))]


def _switch_grad(op, g_false, g_true):
    """The gradient of a Switch merges the gradients of its two branches."""
    grads = [g for g in (g_false, g_true) if g is not None]
    if not grads:
        return [None, None]
    if len(grads) == 1:
        return [grads[0], None]
    if any(isinstance(g, IndexedSlices) for g in grads):
        with name_scope("cond_grad"):
            return [_merge_indexed_slices(_as_indexed_slices_list([g_false, g_true])), None]
    return [apply_op("Merge", [[g_false, g_true]], {"N": 2}, name="cond_grad")[0], None]  # TF's names


def _as_indexed_slices_list(grads):
    """TF's `_as_indexed_slices_list`: a dense gradient as IndexedSlices of all its rows (indices
    `range(shape[0])`), and int64 indices for all when int32 and int64 mix."""
    out = []
    for g in grads:
        if not isinstance(g, IndexedSlices):
            g_shape = apply_op("Shape", [g], {"out_type": dtypes.int32})
            rows = apply_op("Range", [np.int32(0), g_shape[0], np.int32(1)], {}, name="range")
            g = IndexedSlices(g, rows, g_shape)
        out.append(g)
    if len({g.indices.dtype.base_dtype for g in out}) > 1:
        out = [g if g.indices.dtype.base_dtype is dtypes.int64 else IndexedSlices(
            g.values, apply_op("Cast", [g.indices], {"DstT": dtypes.int64}), g.dense_shape) for g in out]
    return out


def _merge_indexed_slices(grads):
    """TF's `merge` of IndexedSlices: their values, indices and dense shapes each through a Merge."""
    values = apply_op("Merge", [[g.values for g in grads]], {"N": len(grads)})[0]
    indices = apply_op("Merge", [[g.indices for g in grads]], {"N": len(grads)})[0]
    shapes = [g.dense_shape for g in grads]
    dense_shape = None if any(s is None for s in shapes) else apply_op("Merge", [shapes], {"N": len(grads)})[0]
    return IndexedSlices(values, indices, dense_shape)


def _branch_pred(t):
    """The predicate of the cond whose branch produced `t`, a Merge input: a tensor the branch returned from
    outside comes out of its routing Switch (whose own context is the one around the cond), so read the
    predicate it was switched on; otherwise the branch's context says it (None when neither applies)."""
    if t.op.type in ("Switch", "RefSwitch"):
        return t.op.inputs[1]
    return t.op._cond_context.pred if t.op._cond_context is not None else None


def _merge_grad(op, g, _g_index=None):
    """The gradient of a Merge is switched back to the branch that was taken."""
    pred = _branch_pred(op.inputs[0])
    false_g, true_g = apply_op("Switch", [g, pred if pred is not None else _branch_pred(op.inputs[1])], {},
                               name="cond_grad")
    return [false_g, true_g]


op("Switch", "data:T, pred:bool", kernel=_switch_kernel, shape=_switch_shape, grad=_switch_grad, role="switch")
op("RefSwitch", "data:&T, pred:bool", kernel=_switch_kernel, shape=_switch_shape, grad=_switch_grad, stateful=False,
   role="switch")
op("Merge", "inputs:*T", kernel=_merge_kernel, shape=_merge_shape, grad=_merge_grad, role="merge")


class CondContext:
    """The branch of a `cond` being built: its predicate, pivot and branch index (0 false, 1 true)."""

    def __init__(self, pred, pivot, branch, outer=None):
        self.pred = pred
        self.pivot = pivot
        self.branch = branch
        self.outer = outer  # the context the cond was built in (a loop's or another branch's), or None
        self.ops = set()
        self.external = {}  # outside tensor -> its Switch output for this branch

    def add_op(self, op):
        """Takes in an op created in this branch: outside inputs come through a Switch (made after the op),
        and an op without inputs waits for the pivot."""
        op._inputs = tuple(self._route(t) for t in op._inputs)
        if not op._inputs and self.pivot.op not in op._control_inputs:
            op._control_inputs.append(self.pivot.op)
        self.ops.add(op)
        if self.outer is not None:
            self.outer.add_inner(op)
        op._graph._unfetchable.add(op)

    def add_inner(self, op):
        """An op of a context nested in this one belongs to this one too."""
        self.ops.add(op)
        if self.outer is not None:
            self.outer.add_inner(op)

    def _route(self, t, as_input=True):
        """`t` as this branch sees it: through the outer context's routing, then through a Switch. A tensor
        a branch returns from outside comes out through its Switch too (`as_input=False`)."""
        if t.op in self.ops or t is self.pivot:
            return t
        routed = self.external.get(t)
        if routed is None:
            source = self.outer._route(t) if self.outer is not None else t
            g = t.graph
            with g.control_dependencies(None):  # (this also leaves every context being built)
                kind = "RefSwitch" if t.dtype.is_ref_dtype else "Switch"
                routed = apply_op(kind, [source, self.pred], {}, name="Switch")[self.branch]  # TF names both so
                routed._explicit_index = as_input  # TF rewires a branch op's input: its NodeDef says ":0"
            if self.outer is not None:
                routed.op._cond_context = self.outer
                self.outer.add_inner(routed.op)
            self.external[t] = routed
        return routed


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """`true_fn()` if pred else `false_fn()`, as graph ops; only the taken branch runs."""
    true_fn = true_fn or fn1
    false_fn = false_fn or fn2
    if not callable(true_fn):
        raise TypeError("true_fn must be callable.")
    if not callable(false_fn):
        raise TypeError("false_fn must be callable.")
    if isinstance(pred, bool):
        raise TypeError("pred must not be a Python bool")
    with name_scope(name, "cond", [pred]):
        pred = convert_to_tensor(pred)
        g = pred.graph
        outer = g._cond_context
        p_false, p_true = apply_op("Switch", [pred, pred], {})
        pivot_t = apply_op("Identity", [p_true], {}, name="switch_t")
        pivot_f = apply_op("Identity", [p_false], {}, name="switch_f")
        pred_id = apply_op("Identity", [pred], {}, name="pred_id")
        for t in (p_true, p_false, pivot_t, pivot_f, pred_id):
            g.prevent_fetching(t.op)
        res_t = _build_branch(g, CondContext(pred_id, pivot_t, 1, outer), true_fn)
        res_f = _build_branch(g, CondContext(pred_id, pivot_f, 0, outer), false_fn)
        nest.assert_same_structure(res_t, res_f, check_types=False)   # (a list against a tuple is fine, as in TF)
        flat_t, flat_f = _flatten(res_t), _flatten(res_f)
        if len(flat_t) != len(flat_f):
            raise ValueError(f"true_fn and false_fn must return the same number of results: {len(flat_t)} vs "
                             f"{len(flat_f)}")
        merges = []
        for f, t in zip(flat_f, flat_t):
            if f.dtype.base_dtype != t.dtype.base_dtype:
                raise ValueError(f"Outputs of true_fn and false_fn must have the same type: "
                                 f"{t.dtype.name}, {f.dtype.name}")
            merges.append(apply_op("Merge", [[f, t]], {"N": 2})[0])
        return _pack_like(res_t, merges)


def _build_branch(g, ctx, fn):
    saved, g._cond_context = g._cond_context, ctx
    try:
        result = fn()
        if result is None:
            raise ValueError("true_fn and false_fn must have a return value.")
        out = []
        for r in _flatten(result):
            if isinstance(r, Tensor) or not hasattr(r, "type"):
                # a tensor from outside the branch comes out through its Switch, as in TF
                out.append(ctx._route(convert_to_tensor(r), as_input=False))
            else:  # an Operation: the branch's value is the pivot, after the op
                with g.control_dependencies([r]):
                    out.append(apply_op("Identity", [ctx.pivot], {}, name="control_dependency"))
        for t in out:
            if t.op in ctx.ops:
                g.prevent_fetching(t.op)
        return _pack_like(result, out)
    finally:
        g._cond_context = saved


def _components(x):
    """A branch result's leaf as tensors: a SparseTensor or IndexedSlices as its parts (TF's expand_composites)."""
    if isinstance(x, SparseTensor):
        return [x.indices, x.values, x.dense_shape]
    if isinstance(x, IndexedSlices):
        return [x.values, x.indices] + ([x.dense_shape] if x.dense_shape is not None else [])
    return [x]


def _flatten(x):
    """A branch result (nested lists, tuples, namedtuples, dicts) as a flat list of tensors and ops."""
    return [c for leaf in nest.flatten(x) for c in _components(leaf)]


def _pack_like(structure, flat):
    """The tensors `flat` in the nesting of `structure`, SparseTensors and IndexedSlices rebuilt."""
    parts = iter(flat)

    def rebuild(leaf):
        values = [next(parts) for _ in _components(leaf)]
        return type(leaf)(*values) if isinstance(leaf, (SparseTensor, IndexedSlices)) else values[0]
    leaves = [rebuild(leaf) for leaf in nest.flatten(structure)]
    return nest.pack_sequence_as(structure, leaves) if nest.is_nested(structure) else leaves[0]

