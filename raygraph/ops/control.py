"""Control ops: `no_op`, `group`, `tuple`, and the assertion/printing ops that only order execution."""
import builtins
import threading

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..graph import get_default_graph
from ..operation import Operation
from ..tensor import Tensor
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import same_shape
from .array import identity
from ..errors import InvalidArgumentError
from scheduler.resources import write_output
from .control_flow import cond

op("NoOp", kernel=lambda a: None, shape=None, grad=NOT_DIFFERENTIABLE, role="pass_through")


def no_op(name=None):
    """An op that does nothing; useful as a control-dependency target."""
    return apply_op("NoOp", [], {}, name=name)


def _group_deps(device, deps, name=None):
    g = get_default_graph()
    with g.control_dependencies(deps):
        if not device:
            return no_op(name=name)
        with g.device(device):
            return no_op(name=name)


def group(*inputs, **kwargs):
    """An op that runs after all `inputs` (ops or tensors) have run; one NoOp per device, then a root NoOp."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise ValueError("Unknown keyword arguments: " + ", ".join(kwargs.keys()))
    flat = list(_flatten(inputs))
    with name_scope(name, "group_deps", flat) as scope:
        if not flat:
            return no_op(name=scope)
        by_device = {}
        for inp in flat:
            if not hasattr(inp, "device"):
                raise TypeError(f"'inputs' should be zero or more (nested) Tensors. Received '{inp}' with type "
                                f"'{type(inp)}'.")
            by_device.setdefault(inp.device, []).append(inp)
        if len(by_device) == 1:
            (device, deps), = by_device.items()
            return _group_deps(device, deps, name=scope)
        deps = [_group_deps(dev, by_device[dev]) for dev in sorted(by_device, key=lambda d: d or "")]
        with get_default_graph().control_dependencies(deps):
            return no_op(name=scope)


def _flatten(items):
    for item in items:
        if isinstance(item, (list, builtins.tuple)):
            yield from _flatten(item)
        elif isinstance(item, dict):
            yield from _flatten([item[k] for k in sorted(item)])
        else:
            yield item


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TF's name
    """The same tensors, each available only after all of them (and `control_inputs`) are computed."""
    with name_scope(name, "tuple", tensors):
        tensors = [t if t is None or isinstance(t, Operation) else convert_to_tensor(t) for t in tensors]
        gating = {t if isinstance(t, Operation) else t.op for t in tensors if t is not None}
        gating = sorted(gating | set(control_inputs or ()), key=lambda o: o._id)
        if not gating:
            raise ValueError(f"'tensors' must have at least one Tensor. Received: {tensors}.")
        gate = group(*gating)
        out = []
        for t in tensors:
            if isinstance(t, Operation):
                with get_default_graph().control_dependencies([gate]):
                    out.append(group(t))
            else:
                out.append(None if t is None else with_dependencies([gate], t))
        return out


def with_dependencies(dependencies, output_tensor, name=None):
    """`output_tensor` (an Identity of it, colocated with it) computed only after `dependencies`."""
    with name_scope(name, "control_dependency", list(dependencies) + [output_tensor]) as scope:
        g = get_default_graph()
        with g.colocate_with(output_tensor.op if isinstance(output_tensor, Tensor) else output_tensor):
            with g.control_dependencies(dependencies):
                return identity(convert_to_tensor(output_tensor), name=scope)


def _assert_kernel(a, res, cond, *data):
    if not np.all(cond):
        shown = [np.asarray(d).tolist() for d in data[:a.get("summarize", 3) or len(data)]]
        raise InvalidArgumentError(None, None, "assertion failed: " + " ".join(
            d.decode() if isinstance(d, bytes) else str(d) for d in shown))


op("Assert", "condition:bool, data:+T", kernel=_assert_kernel, shape=None, grad=NOT_DIFFERENTIABLE, stateful=True)


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TF's name
    """Fails the step with InvalidArgumentError (showing `data`) when `condition` is false."""
    with name_scope(name, "Assert", [condition] + list(data)) as scope:
        raw, data = data, [convert_to_tensor(d) for d in data]
        attrs = {"summarize": summarize or 3}
        if all(d.dtype.base_dtype in (dtypes.string, dtypes.int32) for d in data):  # TF converts `raw` again
            return apply_op("Assert", [condition, list(raw)], attrs, name="Assert")
        # TF1 guards the assertion with a cond, so its data is read only when it fails
        condition = convert_to_tensor(condition, name="Condition")
        guarded = cond(condition, no_op, lambda: apply_op("Assert", [condition, data], attrs, name="Assert"),
                       name="AssertGuard")
        del scope
        return guarded.op


_C_ESCAPES = {10: "\\n", 13: "\\r", 9: "\\t", 34: '\\"', 39: "\\'", 92: "\\\\"}  # absl's CEscape


def _print_element(v):
    """One element as TF's kernels print it: shortest %g that round-trips for floats, CEscape'd strings."""
    if isinstance(v, (bytes, np.bytes_)):
        return "".join(_C_ESCAPES.get(c) or (chr(c) if 32 <= c < 127 else "\\%03o" % c) for c in bytes(v))
    if isinstance(v, (np.floating, float)):
        v32 = isinstance(v, (np.float32, np.float16))
        text = ("%.6g" if v32 else "%.15g") % v
        if (np.float32(float(text)) if v32 else float(text)) != v:
            text = ("%.9g" if v32 else "%.17g") % v
        return text
    if isinstance(v, (np.bool_, bool)):
        return "1" if v else "0"
    return str(v)


def _summarize(value, limit):
    """TF's Tensor::SummarizeValue: at most `limit` elements, nested in brackets by dimension, then '...'."""
    a = np.asarray(value)
    flat = a.reshape(-1)
    n = flat.size
    limit = n if limit < 0 else min(limit, n)
    if a.ndim == 0:
        return " ".join(_print_element(v) for v in flat[:limit]) + ("..." if n > limit else "")
    out, index = [], [0]

    def dim(d):
        if index[0] >= limit:
            return
        if d == a.ndim - 1:
            for i in range(a.shape[d]):
                if index[0] >= limit:
                    if d != 0:
                        out.append("...")
                    return
                if i > 0:
                    out.append(" ")
                out.append(_print_element(flat[index[0]]))
                index[0] += 1
            return
        for _ in range(a.shape[d]):
            opened = index[0] < limit
            if opened:
                out.append("[")
            dim(d + 1)
            if index[0] < limit or opened:
                out.append("]")

    dim(0)
    return "".join(out) + ("..." if n > limit else "")


def _print_kernel(a, res, x, *data):
    first_n = a.get("first_n", -1)
    if first_n >= 0:
        with _print_lock:
            count = res.state.get("printed", 0)
            if count >= first_n:
                return x
            res.state["printed"] = count + 1
    text = a.get("message", "") + "".join(f"[{_summarize(d, a.get('summarize', 3))}]" for d in data)
    write_output(text + "\n")
    return x


_print_lock = threading.Lock()
op("Print", "input:T, data:+U", kernel=_print_kernel, shape=same_shape, stateful=True,
   grad=lambda op, g: [g] + [None] * (len(op.inputs) - 1))


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802 - TF's name
    """Identity on `input_` that prints `message` and `data` (to stderr, in the client) each time it runs."""
    attrs = {"message": message or "", "first_n": -1 if first_n is None else int(first_n),
             "summarize": 3 if summarize is None else int(summarize)}
    return apply_op("Print", [input_, list(data)], attrs, name=name)
