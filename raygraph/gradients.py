"""`gradients`: reverse-mode differentiation that builds graph ops, with TF1's algorithm and names.

Ops between `xs` and `ys` are visited from the ys back, each once all its consumers have given their
gradients (summed with AddN when there are several). An op's gradient function comes from its entry
in the op table, or from `RegisterGradient` under the name `gradient_override_map` gives it.
"""
import collections

from . import dtypes
from .convert import convert_to_tensor
from .graph import get_default_graph, name_scope
from .ops.registry import NOT_DIFFERENTIABLE, REGISTRY, apply_op
from .tensor import Tensor

_registered = {}  # user gradient functions by name (RegisterGradient); None marks NotDifferentiable


class RegisterGradient:
    """Decorator registering `fn(op, *grads)` as the gradient named `op_type`."""

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        entry = REGISTRY.get(self._op_type)
        if self._op_type in _registered or (entry is not None and callable(entry.grad)):
            raise KeyError(f"Registering two gradient with name '{self._op_type}'! (Previous registration was "
                           f"in the raygraph op table)")
        _registered[self._op_type] = fn
        return fn


def NotDifferentiable(op_type):  # noqa: N802 - TF's name
    """Declares that ops of `op_type` have no gradient (their inputs get None)."""
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    _registered[op_type] = None


no_gradient = NotDifferentiable


def gradient_function(op):
    """The gradient function of `op`, None if it is not differentiable; LookupError if there is none."""
    name = op._attrs.get("_gradient_op_type", op.type)
    if name in _registered:
        return _registered[name]
    entry = REGISTRY.get(name)
    if entry is not None and entry.grad is NOT_DIFFERENTIABLE:
        return None
    if entry is not None and entry.grad is not None:
        return entry.grad
    raise LookupError(f"No gradient defined for operation '{op.name}' (op type: {op.type}). In general every "
                      f"operation must have an associated `@tf.RegisterGradient` for correct autodiff, which this "
                      f"op is lacking. If you want to pretend this operation is a constant in your program, you "
                      f"may insert `tf.stop_gradient`.")


def _is_trainable(t):
    return t.dtype.base_dtype in (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64,
                                  dtypes.complex128, dtypes.resource, dtypes.variant)


def _reached(from_ops):
    """Ops reachable forward (through consumers) from `from_ops`."""
    reached, stack = set(), list(from_ops)
    while stack:
        op = stack.pop()
        if op in reached:
            continue
        reached.add(op)
        for t in op._outputs:
            stack.extend(t._consumers)
    return reached


def _pending_counts(to_ops, from_ops):
    """The ops between from_ops and to_ops, and for each how many gradient contributions it awaits."""
    reached = _reached(from_ops)
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


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False, gate_gradients=False,
              aggregation_method=None, stop_gradients=None, unconnected_gradients="none"):
    """d(sum of ys)/d(x) for each x in `xs`: a list of tensors (None where x does not affect ys)."""
    ys = list(ys) if isinstance(ys, (list, tuple)) else [ys]
    xs = list(xs) if isinstance(xs, (list, tuple)) else [xs]
    stop_gradients = [] if stop_gradients is None else (
        list(stop_gradients) if isinstance(stop_gradients, (list, tuple)) else [stop_gradients])
    grad_ys = [None] * len(ys) if grad_ys is None else (
        list(grad_ys) if isinstance(grad_ys, (list, tuple)) else [grad_ys])
    unconnected = getattr(unconnected_gradients, "value", unconnected_gradients)
    if unconnected not in ("none", "zero"):
        raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}")
    g = get_default_graph()
    with name_scope(name, "gradients", ys + xs + stop_gradients + [y for y in grad_ys if y is not None]):
        ys = [convert_to_tensor(y, name="y") for y in ys]
        xs = [convert_to_tensor(x, name="x", as_ref=True) if hasattr(x, "_variable_op") else
              convert_to_tensor(x, name="x") for x in xs]
        grad_ys = _default_grad_ys(grad_ys, ys)
        g = ys[0].graph if ys else g
        to_ops = [t.op for t in ys]
        from_ops = [t.op for t in xs]
        between, pending = _pending_counts(to_ops, from_ops)
        grads = {}
        for y, gy in zip(ys, grad_ys):
            _add_grad(grads, y, gy)
        stop_ops = _stop_ops(from_ops, [t.op if isinstance(t, Tensor) else t for t in stop_gradients], pending)
        queue = collections.deque()
        seen = set()
        for op in to_ops:
            if op in between and pending[op] == 0 and op not in seen:
                seen.add(op)
                queue.append(op)
        while queue:
            op = queue.popleft()
            _backprop_op(g, op, grads, stop_ops, between, colocate_gradients_with_ops, gate_gradients)
            for t in op.inputs:
                pending[t.op] -= 1
                if pending[t.op] == 0 and t.op in between:
                    queue.append(t.op)
        return [_final_grad(grads, x, unconnected) for x in xs]


def _default_grad_ys(grad_ys, ys):
    out = []
    for i, (y, gy) in enumerate(zip(ys, grad_ys)):
        if gy is None:
            if y.dtype.is_complex:
                raise TypeError(f"Gradients of complex tensors ({y}) must set grad_ys (y.dtype = {y.dtype.name})")
            from .ops.array import ones, shape
            out.append(ones(shape(y), dtype=y.dtype.base_dtype, name=f"grad_ys_{i}"))
        else:
            gy = convert_to_tensor(gy, dtype=y.dtype.base_dtype, name=f"grad_ys_{i}")
            if not gy.shape.is_compatible_with(y.shape):
                raise ValueError(f"Incompatible shapes between op input and calculated input gradient.")
            out.append(gy)
    return out


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _stop_ops(from_ops, stop_gradient_ops, pending):
    stop = {op for op in from_ops if all(pending[t.op] <= 0 for t in op.inputs)}
    stop.update(stop_gradient_ops)
    return stop


def _add_grad(grads, t, grad):
    grads.setdefault(t.op, [[] for _ in t.op.outputs])[t.value_index].append(grad)


def _aggregate(grads, op):
    out = []
    for contributions in grads.get(op, [[] for _ in op.outputs]):
        contributions = [c for c in contributions if c is not None]
        if not contributions:
            out.append(None)
        elif len(contributions) == 1:
            out.append(contributions[0])
        else:
            out.append(apply_op("AddN", [contributions], {"N": len(contributions)}))
    return out


def _backprop_op(g, op, grads, stop_ops, between, colocate, gate):
    ctx = g.colocate_with(op) if colocate else _null()
    with ctx:
        out_grads = _aggregate(grads, op)
        in_grads = [None] * len(op.inputs)
        if any(x is not None for x in out_grads) and op not in stop_ops:
            fn = gradient_function(op)
            if fn is not None:
                for i, og in enumerate(out_grads):
                    if og is None and _is_trainable(op.outputs[i]):
                        from .ops.array import zeros_like
                        out_grads[i] = zeros_like(op.outputs[i])
                with name_scope(op.name + "_grad"):
                    in_grads = fn(op, *out_grads)
                    in_grads = list(in_grads) if isinstance(in_grads, (list, tuple)) else [in_grads]
                    if len(in_grads) != len(op.inputs):
                        raise ValueError(f"Num gradients {len(in_grads)} generated for op {op.node_def} do not "
                                         f"match num inputs {len(op.inputs)}")
                    if gate and sum(x is not None for x in in_grads) > 1:
                        from .ops.control import tuple as tuple_
                        with g.device(None):
                            gated = tuple_([x for x in in_grads if x is not None])
                        it = iter(gated)
                        in_grads = [None if x is None else next(it) for x in in_grads]
        for i, (t, grad) in enumerate(zip(op.inputs, in_grads)):
            if grad is None:
                continue
            if isinstance(grad, Tensor):
                try:
                    grad.set_shape(t.shape)
                except ValueError:
                    raise ValueError(f"Incompatible shapes between op input and calculated input gradient.  "
                                     f"Forward operation: {op.name}.  Input index: {i}. Original input shape: "
                                     f"{t.shape}.  Calculated input gradient shape: {grad.shape}") from None
            _add_grad(grads, t, grad)


def _final_grad(grads, x, unconnected):
    per_output = grads.get(x.op)
    contributions = [] if per_output is None else [c for c in per_output[x.value_index] if c is not None]
    if not contributions:
        if unconnected == "zero":
            from .ops.array import zeros_like
            return zeros_like(x)
        return None
    if len(contributions) == 1:
        return contributions[0]
    return apply_op("AddN", [contributions], {"N": len(contributions)})


class UnconnectedGradients:
    NONE = "none"
    ZERO = "zero"

