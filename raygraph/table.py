"""The graph table: a graph's operations as the plain `NodeSpec` data the scheduler plans from.

Specs are made once per op and kept; ops added later are appended on the next lookup. An edit to an
existing op (a new control input, a new device...) bumps the graph's `_mutations`, which rebuilds it.
"""
from scheduler.plan import NodeSpec

from .device_spec import parse_device

_TF_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def spec_of(op):
    """The NodeSpec of one Operation."""
    entry = op._def
    inputs = tuple((t._op._name, t._value_index) for t in op._inputs)
    ref_args = tuple(i for i, a in enumerate(entry.args) if a.is_ref) if entry.has_ref else ()
    colocate = tuple(g[4:] for g in op._attrs.get("_class", ()) if g.startswith("loc:@") and g[4:] != op._name)
    source_only = None
    if op._type == "Placeholder":
        dtype, shape = op._attrs["dtype"], op._attrs["shape"]
        source_only = (f"You must feed a value for placeholder tensor '{op._name}' with dtype "
                       f"{_TF_TYPE_NAMES.get(dtype.name, dtype.name)}")
        if shape.ndims is not None:
            source_only += " and shape [" + ",".join("?" if d is None else str(d) for d in shape._dims) + "]"
    return NodeSpec(op._name, op._type, entry.kernel, op._attrs, entry.stateful, inputs,
                    tuple(c._name for c in op._control_inputs), parse_device(op._device), colocate,
                    len(op._outputs), ref_args, tuple(i for i, t in enumerate(op._outputs) if t._dtype.is_ref_dtype),
                    source_only, op._device)


class GraphTable(dict):
    """name -> NodeSpec for every op of a graph, kept up to date lazily by `refresh()`."""

    def __init__(self, graph):
        super().__init__()
        self.graph = graph
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
