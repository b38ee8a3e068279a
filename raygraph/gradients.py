"""`gradients`: reverse-mode differentiation that builds graph ops, with TF1's algorithm and names.

The state of one call, as in TF1's gradients_util:

    reached   ops reachable forward from the xs through float (backpropagatable) tensors
    between   the reached ops that some y depends on: the only ops that get gradient functions called
    pending   op -> how many of its consumers in `between` have not yet given it their gradients
    grads     op -> per output, the list of gradient contributions received so far
    queue     ops whose consumers have all contributed (pending 0), visited first in, first out

Visiting an op sums each output's contributions (AddN, colocated with the first contribution), calls
the op's gradient function under `<op>_grad`, and adds the results to its inputs' lists. An op's
gradient function comes from its entry in the op table, or from `RegisterGradient` under the name
`gradient_override_map` gives it.
"""
import collections
import contextlib

import numpy as np

from . import dtypes
from .convert import constant, convert_to_tensor
from .default_graph import name_scope
from .graph import get_default_graph
from .ops.registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, REGISTRY, apply_op
from .shape import TensorShape
from .tensor import Tensor
from .ops.filling import fill, zeros_like
from .ops.array import reshape, shape, size
from .ops.joining import concat
from .ops.slicing import sparse_gradient_indices
from .ops.tensor_array import TensorArray
from .ops.control import tuple as tuple_
from .ops.while_loop import forward_count, gradient_loop, while_loop
from .ops import indexed_slices

_registered = {}  # user gradient functions by name (RegisterGradient), or NOT_DIFFERENTIABLE (NotDifferentiable)


class RegisterGradient:
    """Decorator registering `fn(op, *grads)` as the gradient named `op_type`."""

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        entry = REGISTRY.get(self._op_type)
        if self._op_type in _registered or (entry is not None and entry.grad is not NO_GRADIENT_DEFINED):
            raise KeyError(f"Registering two gradient with name '{self._op_type}'! (Previous registration was "
                           f"in the raygraph op table)")
        _registered[self._op_type] = fn
        return fn


def NotDifferentiable(op_type):  # noqa: N802 - TF's name
    """Declares that ops of `op_type` have no gradient (their inputs get None)."""
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    _registered[op_type] = NOT_DIFFERENTIABLE


no_gradient = NotDifferentiable


def gradient_function(op):
    """The gradient function of `op`, None if it is not differentiable; LookupError if there is none."""
    if not op.inputs:
        return None
    name = op._attrs.get("_gradient_op_type", op.type)
    entry = REGISTRY.get(name)
    grad = _registered.get(name, NO_GRADIENT_DEFINED if entry is None else entry.grad)
    if grad is NOT_DIFFERENTIABLE:
        return None
    if grad is not NO_GRADIENT_DEFINED:
        return grad
    raise LookupError(f"No gradient defined for operation'{op.name}' (op type: {op.type}). In general every "  # (sic)
                      f"operation must have an associated `@tf.RegisterGradient` for correct autodiff, which this "
                      f"op is lacking. If you want to pretend this operation is a constant in your program, you "
                      f"may insert `tf.stop_gradient`. This can be useful to silence the error in cases where you "
                      f"know gradients are not needed, e.g. the forward pass of tf.custom_gradient. Please see more "
                      f"details in https://www.tensorflow.org/api_docs/python/tf/custom_gradient.")


class UnconnectedGradients:
    NONE = "none"
    ZERO = "zero"


class AggregationMethod:
    """How several gradient contributions to one tensor are summed (TF1 accepts all three)."""
    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


def _is_trainable(t):
    return t.dtype.base_dtype in (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.complex64,
                                  dtypes.complex128, dtypes.resource, dtypes.variant)


def _as_list(x):
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


# ----- the subgraph between xs and ys ---------------------------------------------------------------
def _reached(from_ops, within=None):
    """Ops reachable forward from `from_ops` through backpropagatable tensors (and only through `within`)."""
    reached, stack = set(), list(from_ops)
    while stack:
        op = stack.pop()
        if op in reached:
            continue
        reached.add(op)
        for t in op._outputs:
            if _is_trainable(t):
                stack.extend(c for c in t._consumers if within is None or c in within)
    return reached


def _pending_counts(to_ops, from_ops, within=None):
    """The ops between from_ops and to_ops, and for each how many gradient contributions it awaits."""
    reached = _reached(from_ops, within)
    between, stack = set(), [op for op in to_ops if op in reached]
    while stack:
        op = stack.pop()
        if op in between:
            continue
        between.add(op)
        stack.extend(t.op for t in op.inputs if t.op in reached)
    pending = collections.defaultdict(int)
    for op in between:
        for t in op.inputs:
            if t.op in between:
                pending[t.op] += 1
    return between, pending


def _stop_ops(from_ops, stop_gradient_ops, pending):
    """xs ops that no other x depends on, plus the ops the caller named in `stop_gradients`."""
    stop = {op for op in from_ops if all(pending[t.op] <= 0 for t in op.inputs)}
    stop.update(stop_gradient_ops)
    return stop


# ----- the public function ----------------------------------------------------------------------------
def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False, gate_gradients=False,
              aggregation_method=None, stop_gradients=None, unconnected_gradients="none"):
    """d(sum of ys)/d(x) for each x in `xs`: a list of tensors (None where x does not affect ys)."""
    ys, xs, stop_gradients = _as_list(ys), _as_list(xs), _as_list(stop_gradients)
    grad_ys = [None] * len(ys) if grad_ys is None else _as_list(grad_ys)
    if len(grad_ys) != len(ys):
        raise ValueError(f"Passed {len(grad_ys)} grad_ys for {len(ys)} ys")
    unconnected = getattr(unconnected_gradients, "value", unconnected_gradients)
    if unconnected not in ("none", "zero"):
        raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}")
    if aggregation_method is None:
        aggregation_method = AggregationMethod.DEFAULT
    if aggregation_method not in (0, 1, 2):
        raise ValueError(f"Invalid aggregation_method specified {aggregation_method}.")
    values = ys + xs + stop_gradients + [y for y in grad_ys if y is not None]
    with name_scope(name, "gradients", values):
        ys = [convert_to_tensor(y, name="y") for y in ys]
        xs = [convert_to_tensor(x, name="x", as_ref=True) if hasattr(x, "_variable_op") else
              convert_to_tensor(x, name="x") for x in xs]
        grad_ys = _default_grad_ys(grad_ys, ys, colocate_gradients_with_ops)
        walk = _Backprop(ys[0].graph if ys else get_default_graph(), colocate_gradients_with_ops,
                         gate_gradients, aggregation_method)
        walk.run(ys, grad_ys, xs, [t.op if isinstance(t, Tensor) else t for t in stop_gradients])
        return [walk.final_grad(x, unconnected) for x in xs]


def _default_grad_ys(grad_ys, ys, colocate):
    """The given grad_ys, checked, or ones shaped like each y (`gradients/grad_ys_<i>`)."""
    grad_ys = [gy if gy is None or isinstance(gy, indexed_slices.IndexedSlices) else
               convert_to_tensor(gy, name=f"grad_y_{i}") for i, gy in enumerate(grad_ys)]  # all first, as TF
    out = []
    for i, (y, gy) in enumerate(zip(ys, grad_ys)):
        with _colocated(y.op, colocate):
            if gy is None:
                if y.dtype.is_complex:
                    raise TypeError(f"Gradients of complex tensors ({y}) must set grad_ys (y.dtype = "
                                    f"{y.dtype.name})")
                out.append(_ones_like(y, f"grad_ys_{i}"))
                continue
            if isinstance(gy, indexed_slices.IndexedSlices):
                out.append(gy)
                continue
            _check_grad_y_dtype(y, gy)   # (its shape is not checked here: the ops of the gradient check it, as in TF)
            out.append(apply_op("Identity", [gy], {}, name=f"grad_ys_{i}"))  # TF's: in the gradients' scope
    return out


def _ones_like(y, name):
    if y.shape.is_fully_defined():  # TF's array_ops.shape folds a known shape to a constant
        dims = constant(np.array(y.shape.as_list(), dtype=np.int32), name="Shape")
    else:
        dims = shape(y)
    with name_scope(name) as scope:
        one = constant(1, dtype=y.dtype.base_dtype)
        return fill(dims, one, name=scope)


def _check_grad_y_dtype(y, gy):
    yd, gd = y.dtype.base_dtype, gy.dtype.base_dtype
    if yd.is_floating or yd.is_integer:
        if not (gd.is_floating or gd.is_integer):
            raise TypeError(f"Gradient type {gd.name} generated for real or integer-valued tensor {y} with type "
                            f"{yd.name} must be real or integer")
    elif yd.is_complex and not gd.is_complex:
        raise TypeError(f"Gradient type {gd.name} generated for complex-valued tensor {y} with type {yd.name} "
                        f"must be real")


@contextlib.contextmanager
def _colocated(op, colocate, ignore_existing=False):
    if not colocate:
        yield
        return
    with op.graph.colocate_with(op, ignore_existing=ignore_existing):
        yield


# ----- the walk -------------------------------------------------------------------------------------------
class _Backprop:
    """One gradients() call's walk from the ys back to the xs (state in the module docstring)."""

    def __init__(self, graph, colocate, gate, aggregation_method):
        self.graph = graph
        self.colocate = colocate
        self.gate = gate
        self.aggregation_method = aggregation_method
        self.grads = {}
        self.between = set()
        self.within = None      # a loop body's walk: only these ops (see _loop_grads)
        self.loop_exits = {}    # loop context -> its exits visited so far

    def add(self, t, grad):
        self.grads.setdefault(t.op, [[] for _ in t.op.outputs])[t.value_index].append(grad)

    def run(self, ys, grad_ys, xs, stop_gradient_ops):
        to_ops, from_ops = [t.op for t in ys], [t.op for t in xs]
        between, pending = _pending_counts(to_ops, from_ops, self.within)
        self.between = between
        for y, gy in zip(ys, grad_ys):
            self.add(y, gy)
        stop_ops = _stop_ops(from_ops, stop_gradient_ops, pending)
        queue, queued = collections.deque(), set()
        for op in to_ops:
            if op in between and pending[op] == 0 and op not in queued:
                queued.add(op)
                queue.append(op)
        while queue:
            op = queue.popleft()
            loop = _loop_of_exit(op)
            if loop is not None:  # a while loop is differentiated as a whole, once all its exits are reached
                inputs = self.loop_visited(loop, op)
            else:
                inputs = op.inputs
                with _colocated(op, self.colocate):
                    out_grads = self.aggregate(op)
                    in_grads = self.op_grads(op, out_grads, stop_ops)
                    self.add_input_grads(op, in_grads)
            for t in inputs:
                pending[t.op] -= 1
                if pending[t.op] == 0 and t.op in between:
                    queue.append(t.op)

    def loop_visited(self, loop, exit_op):
        """Records a reached exit of `loop`; after its last one, builds the gradient loop and returns the
        tensors entering the loop (whose ops then await one contribution less each)."""
        seen = self.loop_exits.setdefault(loop, set())
        seen.add(exit_op)
        if any(x.op in self.between and x.op not in seen for x in loop.exits):
            return []
        exit_grads = []
        for x in loop.exits:
            grads = self.aggregate(x.op)[0] if x.op in self.between else None
            exit_grads.append(grads)
        for t, grad in _loop_grads(loop, exit_grads):
            self.add(t, grad)
        return [e.op._inputs[0] for e in (*loop.enters, *loop.external.values()) if e.op in self.between]

    def aggregate(self, op):
        """Sums each output's contributions in place (so an x's final gradient is the same tensor)."""
        per_output = self.grads.setdefault(op, [[] for _ in op.outputs])
        for i, contributions in enumerate(per_output):
            if not isinstance(contributions, list):
                continue
            if not contributions:
                per_output[i] = None
            elif len(contributions) == 1:
                per_output[i] = contributions[0]
            elif not all(isinstance(c, Tensor) for c in contributions):
                per_output[i] = indexed_slices.aggregate(contributions)
            elif self.aggregation_method == AggregationMethod.ADD_N:
                per_output[i] = _multi_device_add_n(contributions)
            else:
                with name_scope(op.name + "_gradient_sum"):
                    total = contributions[0]
                    for c in contributions[1:]:
                        total = apply_op("AddN", [[total, c]], {"N": 2})
                    per_output[i] = total
        return list(per_output)

    def op_grads(self, op, out_grads, stop_ops):
        """The gradients `op`'s gradient function gives its inputs (all None if it has none)."""
        if all(g is None for g in out_grads) or op in stop_ops:
            return [None] * len(op.inputs)
        fn = gradient_function(op)
        if fn is None:
            return [None] * len(op.inputs)
        for i, g in enumerate(out_grads):  # an output nothing used has gradient 0
            if g is None and _is_trainable(op.outputs[i]):
                if op.type in ("Switch", "RefSwitch") or op._cond_context is not None:
                    # computed from the output itself, so it is dead on the branch not taken (not a constant)
                    out_grads[i] = apply_op("ZerosLike", [op.outputs[i]], {})
                else:
                    out_grads[i] = apply_op("ZerosLike", [op.outputs[i]], {}, name="zeros_like")  # TF: optimize=False
        with name_scope(op.name + "_grad"):
            in_grads = _as_list(fn(op, *out_grads))
            if len(in_grads) != len(op.inputs):
                raise ValueError(f"Num gradients {len(in_grads)} generated for op {op.node_def} do not match num "
                                 f"inputs {len(op.inputs)}")
            if self.gate:
                in_grads = self._gated(op, in_grads)
        return in_grads

    def _gated(self, op, in_grads):
        """The gradients that flow on, each available only once all of them are (TF1's GATE_OP).

        Unlike TF1, a gradient for an input outside the differentiated subgraph (the gradient of a
        MatMul with respect to its input batch, say) is left out of the gate: nothing uses it, and
        gating it would force it to be computed every step.
        """
        live = [i for i, x in enumerate(in_grads) if x is not None and op.inputs[i].op in self.between]
        if len(live) < 2:
            return in_grads
        g = self.graph
        with g.device(None), g.colocate_with(None, ignore_existing=True):
            gated = tuple_([in_grads[i] for i in live])
        out = list(in_grads)
        for i, x in zip(live, gated):
            out[i] = x
        return out

    def add_input_grads(self, op, in_grads):
        for i, (t, grad) in enumerate(zip(op.inputs, in_grads)):
            if grad is None:
                continue
            if isinstance(grad, Tensor) and t.dtype.base_dtype is not dtypes.resource:
                try:
                    grad.set_shape(t.shape)
                except ValueError:
                    raise ValueError(f"Incompatible shapes between op input and calculated input gradient.  "
                                     f"Forward operation: {op.name}.  Input index: {i}. Original input shape: "
                                     f"{t.shape}.  Calculated input gradient shape: {grad.shape}") from None
            self.add(t, grad)

    def final_grad(self, x, unconnected):
        per_output = self.grads.get(x.op)
        grad = None
        if per_output is not None:
            grad = per_output[x.value_index]
            if isinstance(grad, list):  # x's op was never visited (not between): sum here
                grad = [g for g in grad if g is not None]
                grad = None if not grad else grad[0] if len(grad) == 1 else (
                    _multi_device_add_n(grad) if all(isinstance(g, Tensor) for g in grad)
                    else indexed_slices.aggregate(grad))
        if grad is None and unconnected == "zero":
            return zeros_like(x)
        return grad


def _multi_device_add_n(tensors):
    """Sums per device first (each sum colocated with its first term), then the partial sums."""
    by_device = collections.defaultdict(list)
    for t in tensors:
        by_device[t.device].append(t)
    sums = []
    for device in sorted(by_device, key=lambda d: d or ""):
        group = by_device[device]
        if len(group) == 1:  # TF's add_n of one tensor is that tensor
            sums.append(group[0])
            continue
        with group[0].graph.colocate_with(group[0].op, ignore_existing=True):
            sums.append(apply_op("AddN", [group], {"N": len(group)}))
    if len(sums) == 1:
        return sums[0]
    return apply_op("AddN", [sums], {"N": len(sums)})


# ----- while loops ------------------------------------------------------------------------------------------
def _loop_of_exit(op):
    ctx = op._cond_context
    if op._def.role == "exit" and ctx is not None and getattr(ctx, "exits", None) and op in {x.op for x in ctx.exits}:
        return ctx
    return None


def _loop_grads(loop, exit_grads):
    """Gradients of the tensors entering `loop` (initial loop values and outside tensors its body reads)
    given its exits' gradients: a gradient loop runs the body's gradient once per forward iteration, last
    iteration first, with the forward values it needs pushed on stacks by the forward loop (TF1's scheme)."""
    if not loop.back_prop:
        return []
    float_vars = [k for k, x in enumerate(loop.exits) if _is_trainable(x)]
    # (what each Enter reads); a TensorArray's handle gets no gradient (its gradient flows through the flow
    # tensor), and TF never makes it an accumulator: a zero of dtype resource is no tensor TF can hold
    outside = [(e.op._inputs[0], e) for e in loop.external.values() if _is_trainable(e)
               and not (e.dtype.base_dtype is dtypes.resource and e.op._inputs[0].op.type.startswith("TensorArray"))]
    if not float_vars:
        return []
    count = forward_count(loop)
    g_init = [exit_grads[k] if exit_grads[k] is not None else zeros_like(loop.exits[k]) for k in float_vars]
    own = {op for ctx_ops in (loop.merges, loop.switches, loop.body_vars, loop.exits, loop.enters, loop.nexts)
           for op in (t.op if not isinstance(t, list) else t[0].op for t in ctx_ops)}
    within = {op for op in loop.ops if op not in own} | {t.op for t in loop.body_vars}
    sparse = [_sparse_uses(e, within) for _, e in outside]
    acc_init = [zeros_like(t) if kind is None else _rows_accumulator(t, kind)
                for (t, _), kind in zip(outside, sparse)]
    ys = [loop.nexts[k].op._inputs[0] for k in float_vars]
    xs = [loop.body_vars[k] for k in float_vars] + [e for _, e in outside]

    graph = loop.pivot.graph
    outer_scope = graph._name_stack + "/" if graph._name_stack else ""

    def body(n, gs, accs):
        walk = _Backprop(graph, False, False, AggregationMethod.ADD_N)
        walk.within = within
        with graph.name_scope(outer_scope):  # the body ops' gradients named as TF's: gradients/<op>_grad/...
            walk.run(ys, list(gs), xs, [])
        grads = [walk.final_grad(x, "none") for x in xs]
        new_gs = [g if g is not None else apply_op("ZerosLike", [old], {}) for g, old in zip(grads, gs)]
        new_accs = [a if g is None else a + g if kind is None else _rows_accumulated(a, g, kind)
                    for a, g, kind in zip(accs, grads[len(gs):], sparse)]
        return n - 1, new_gs, new_accs
    invariants = [count.shape, [loop.merges[k].shape for k in float_vars],
                  [t.shape if kind is None else (TensorShape([None]), TensorShape([None]).concatenate(t.shape[1:]),
                                                 a[2].shape) for (t, _), kind, a in zip(outside, sparse, acc_init)]]
    _, gs, accs = gradient_loop(lambda n, gs, accs: n > 0, body, [count, g_init, acc_init], invariants, loop,
                                loop.name[:-len("while_context")].rstrip("/").split("/")[-1] + "_grad")
    return [(loop.enters[k].op._inputs[0], g) for k, g in zip(float_vars, gs)] + \
        [(t, a if kind is None else indexed_slices.IndexedSlices(a[1], a[0], a[2]))
         for (t, _), a, kind in zip(outside, accs, sparse)]


# An outside tensor whose every use in the loop gathers its rows gets IndexedSlices gradients there, and TF
# accumulates them as such over the iterations (AddBackpropIndexedSlicesAccumulator: indices, values and dense
# shape as loop variables, starting from one zero row at index 0), not as a dense sum of the whole tensor.
def _sparse_uses(e, within):
    """The dtype of the indices of e's IndexedSlices gradient in the loop, or None where it is dense."""
    kinds = {sparse_gradient_indices(op, i) for op in e.consumers() if op in within
             for i, t in enumerate(op.inputs) if t is e}
    if not kinds or None in kinds:
        return None
    return kinds.pop() if len(kinds) == 1 else dtypes.int64


def _rows_accumulator(t, index_dtype):
    """(indices, values, dense shape) of TF's first accumulated IndexedSlices: a zero row at index 0."""
    t_shape = shape(t)
    return (constant([0], index_dtype), fill(concat([[1], t_shape[1:]], 0), constant(0, t.dtype.base_dtype)),
            zeros_like(t_shape))


def _rows_accumulated(acc, g, index_dtype):
    """acc with the gradient g's rows appended (g dense, the prediction missed: all its rows)."""
    if isinstance(g, Tensor):
        g_shape = shape(g)
        g = indexed_slices.IndexedSlices(g, apply_op("Range", [0, g_shape[0], 1], {}), g_shape)
    indices = g.indices if g.indices.dtype.base_dtype is index_dtype else \
        apply_op("Cast", [g.indices], {"DstT": index_dtype})
    return (concat([acc[0], indices], 0), concat([acc[1], g.values], 0),
            apply_op("Maximum", [g.dense_shape, acc[2]], {}))


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False, gate_gradients=False,
             aggregation_method=None):
    """The Hessian of sum(ys) with respect to each x in `xs` (shape x.shape + x.shape), as TF1 builds it:
    one gradient of each element of the first gradient, in a while loop writing a TensorArray."""
    del name  # unused, as in TF
    xs = _as_list(xs)
    firsts = gradients(ys, xs, colocate_gradients_with_ops=colocate_gradients_with_ops,
                       gate_gradients=gate_gradients, aggregation_method=aggregation_method)
    out = []
    for first, x in zip(firsts, xs):
        first = reshape(first, [-1])
        n = size(x)
        _, rows = while_loop(lambda j, _: j < n,
                             lambda j, acc: (j + 1, acc.write(j, gradients(first[j], x)[0])),
                             [constant(0, dtypes.int32), TensorArray(x.dtype, n)])
        x_shape = shape(x)
        out.append(reshape(rows.stack(), concat((x_shape, x_shape), 0)))
    return out
