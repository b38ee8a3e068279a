"""The graph table: a graph's operations as the plain `NodeSpec` data the scheduler plans from.

Specs are made once per op and kept; ops added later are appended on the next lookup. An edit to an
existing op (a new control input, a new device...) bumps the graph's `_mutations`, which rebuilds it.
"""
from scheduler.optimize import Algebra
from scheduler.partition import MUST_FEED
from scheduler.plan import NodeSpec

from .device_spec import parse_device
from .dtypes import bfloat16, float16, float32, resource, string, type_string, variant
from .ops import registry
from .ops.math import ALGEBRA_FAMILY



def spec_of(op):
    """The NodeSpec of one Operation."""
    entry = op._def
    pure = _pure(op)
    return NodeSpec(
        name=op._name, op_type=op._type, kernel=entry.kernel, attrs=op._attrs, stateful=entry.stateful,
        inputs=tuple((t._op._name, t._value_index) for t in op._inputs),
        control=tuple(c._name for c in op._control_inputs), device=parse_device(op._device),
        device_text=op._device,
        colocate=tuple(g[4:] for g in op._attrs.get("_class", ()) if g.startswith("loc:@") and g[4:] != op._name)
        + _resource_producers(op),
        n_outputs=len(op._outputs),
        ref_args=tuple(i for i, a in enumerate(entry.args) if a.is_ref) if entry.has_ref else (),
        ref_outputs=tuple(i for i, t in enumerate(op._outputs) if t._dtype.is_ref_dtype),
        role=entry.role, unfed_error=_unfed_error(op) if entry.role == MUST_FEED else None,
        elementwise=entry.elementwise, pure=pure, shape_only=pure and entry.shape_only,
        algebra=entry.algebra and _algebra(op),
        scalar=entry.scalar if entry.scalar is not None and _float32(op) and (
            entry.scalar_when is None or entry.scalar_when(op._attrs)) else None, fresh=entry.fresh,
        remaps=entry.remaps)


def _float32(op):
    """Whether every input and output of `op` is float32 (what element formulas compute)."""
    return all(t._dtype.base_dtype is float32 for t in (*op._inputs, *op._outputs))


def _algebra(op):
    """What planning's arithmetic rewrites must know of an Add/Sub/Mul/RealDiv node (None for strings)."""
    dtype = op._attrs.get("T")
    if dtype is None or dtype.base_dtype is string:
        return None
    return Algebra(operation=op._def.algebra, floating=dtype.is_floating or dtype.is_complex,
                   narrow=dtype.base_dtype in (bfloat16, float16), family=_family(),
                   shapes={(t._op._name, t._value_index): _static_shape(t) for t in op._inputs})


def _static_shape(tensor):
    shape = tensor._shape
    return None if shape.ndims is None else tuple(shape._dims)


def _family(cache={}):  # noqa: B006 - built once, on first use (the op table is complete by then)
    if not cache:
        cache.update({operation: (op_type, registry.get(op_type).kernel, registry.get(op_type).scalar)
                      for operation, op_type in ALGEBRA_FAMILY.items()})
    return cache


def _pure(op):
    """Whether an op's outputs depend on its inputs alone (no state, no handles to state: a TensorArray's
    creation is not stateful in the table, but two of them are two arrays)."""
    entry = op._def
    return not entry.stateful and not entry.has_ref and bool(op._outputs) and not any(
        t._dtype.base_dtype in (resource, variant) for t in (*op._inputs, *op._outputs))


def _resource_producers(op):
    """The ops whose resource handles `op` takes: it runs where they live (TF's placer rule for resources)."""
    return tuple(t._op._name for t in op._inputs if t._dtype is resource and t._op is not op)


def _unfed_error(op):
    """TF's message for running a placeholder that was not fed."""
    dtype, shape = op._attrs["dtype"], op._attrs["shape"]
    text = (f"You must feed a value for placeholder tensor '{op._name}' with dtype "
            f"{type_string(dtype)}")
    if shape.ndims is not None:
        text += " and shape [" + ",".join("?" if d is None else str(d) for d in shape._dims) + "]"
    return text


class GraphTable(dict):
    """name -> NodeSpec for every op of a graph, kept up to date lazily by `refresh()`."""

    def __init__(self, graph, optimizations=None):
        super().__init__()
        self.graph = graph
        self.optimizations = optimizations  # the session's (scheduler.optimize.Optimizations), read by build_plan
        self._count = 0
        self._mutations = getattr(graph, "_mutations", 0)

    def refresh(self):
        g = self.graph
        if getattr(g, "_mutations", 0) != self._mutations:
            self.clear()
            self._count = 0
            self._mutations = g._mutations
        ops = g._ops
        while self._count < len(ops):
            op = ops[self._count]
            self[op._name] = spec_of(op)
            self._count += 1
        return self
