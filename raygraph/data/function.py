"""Graph functions for datasets: a Python function traced into a graph of its own (`trace`), or the part
of a graph that computes some tensors (`closure`), as a `Function`: plain data its device calls with the
values of its arguments.

A `Function` is the traced ops in order, each a kernel from the op table over numbered value slots
(arguments first, then each op's outputs); calling it runs the kernels in order in the calling thread.
Stateful kernels (random ops, py_func) get a resource binding private to the function, made in the
device on first use.
"""
import itertools

from tensorboard.compat.proto import attr_value_pb2

from scheduler.resources import DEAD, Binding, Locks

from ..convert import convert_to_tensor
from ..graph import Graph, get_default_graph
from ..ops.array import placeholder
from ..tensor import Tensor

_ids = itertools.count(1)


def _func_attr(name):
    return attr_value_pb2.AttrValue(func=attr_value_pb2.NameAttrList(name=name))


class PythonFunction:
    """A Python callable as an op attr (from_generator's generator): shipped to the device with its op; in a
    GraphDef, a function attr naming it."""

    def __init__(self, fn, name):
        self.fn, self.name = fn, f"{name}_{next(_ids)}"

    def __call__(self, *args):
        return self.fn(*args)

    def as_attr_value(self):
        return _func_attr(self.name)


class FunctionNode:
    __slots__ = ("attrs", "first", "inputs", "kernel", "merge", "n_out", "name", "op_type", "stateful")

    def __init__(self, **kw):
        for k, v in kw.items():
            setattr(self, k, v)


class Function:
    """A graph function as plain data (see the module docstring); `f(args)` -> tuple of output values."""

    def __init__(self, name, nodes, constants, n_slots, n_args, outputs, conditional, on_rows=False):
        self.name, self.nodes, self.constants = name, nodes, constants
        self.n_slots, self.n_args, self.outputs, self.conditional = n_slots, n_args, outputs, conditional
        self.on_rows = on_rows  # whether f(stacked elements) is the stack of f(element) (see `_on_rows`)
        self._bindings = None

    def as_attr_value(self):
        return _func_attr(self.name)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_bindings"] = None
        return state

    def _binding(self, node):
        if self._bindings is None:
            self._bindings = {}
        b = self._bindings.get(node.name)
        if b is None:
            b = self._bindings[node.name] = Binding(node.name, {}, Locks(), {})
        return b

    def __call__(self, args):
        values = [None] * self.n_slots
        values[:self.n_args] = args
        for slot, value in self.constants:
            values[slot] = value
        for node in self.nodes:
            ins = [values[s] for s in node.inputs]
            if self.conditional and any(v is DEAD for v in ins) and (not node.merge or all(v is DEAD for v in ins)):
                out = (DEAD,) * node.n_out
            else:
                out = node.kernel(node.attrs, self._binding(node), *ins) if node.stateful else node.kernel(node.attrs,
                                                                                                           *ins)
                out = (out,) if node.n_out == 1 else (() if node.n_out == 0 else tuple(out))
            values[node.first:node.first + node.n_out] = out
        return tuple(values[s] for s in self.outputs)


def _needed(outputs):
    """The ops the output tensors depend on (data and control inputs)."""
    seen, stack = set(), [t.op for t in outputs]
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return seen


def build(name, graph, args, outputs):
    """The Function computing `outputs` (tensors of `graph`) from the placeholder tensors `args`."""
    needed = _needed(outputs)
    slots = {t: i for i, t in enumerate(args)}
    arg_ops = {t.op for t in args}
    nodes, constants, n = [], [], len(args)
    conditional = False
    for op in graph.get_operations():
        if op not in needed or op in arg_ops:
            continue
        entry = op._def
        role = entry.role
        if role == "must_feed":
            raise ValueError(f"Cannot capture a placeholder (name:{op.name}, type:{op.type}) by value.")
        conditional = conditional or role in ("switch", "merge")
        for t in op.outputs:
            slots[t] = n + t.value_index
        if role == "constant":
            constants.append((n, op._attrs["value"]))
        else:
            nodes.append(FunctionNode(name=op.name, op_type=op.type, kernel=entry.kernel, attrs=op._attrs,
                                      inputs=tuple(slots[t] for t in op.inputs), stateful=entry.stateful, first=n,
                                      n_out=len(op.outputs), merge=role == "merge"))
        n += len(op.outputs)
    return Function(f"__inference_{name}_{next(_ids)}", nodes, constants, n, len(args),
                    tuple(slots[t] for t in outputs), conditional, _on_rows(graph, needed, args, outputs))


def _on_rows(graph, needed, args, outputs):
    """Whether the function may run once on a stack of elements (each argument with a leading axis of rows)
    instead of once per element, with the same results: every op computed from the arguments is elementwise
    (its op-table entry says its kernel runs on rows) or a pass-through, meets only values of its own shape
    (fully known) or scalar constants, and no op is stateful or conditional; every output is computed from
    the arguments."""
    derived, arg_ops = set(args), {t.op for t in args}
    for op in graph.get_operations():
        if op not in needed or op in arg_ops:
            continue
        entry = op._def
        if entry.stateful or entry.role in ("switch", "merge"):
            return False
        inner = [t for t in op.inputs if t in derived]
        if not inner:
            continue
        if op.control_inputs or not (entry.elementwise or entry.role == "pass_through" and len(op.inputs) == 1):
            return False
        shape = inner[0].shape
        if not shape.is_fully_defined() or any(t.shape != shape for t in inner):
            return False
        if any(t not in derived and (t.op._def.role != "constant" or t.shape.ndims != 0) for t in op.inputs):
            return False
        derived.update(op.outputs)
    return all(t in derived for t in outputs)


def closure(name, tensors):
    """The Function (of no arguments) computing `tensors` in their own graph: a one-shot iterator's dataset."""
    return build(name, tensors[0].graph, [], list(tensors))


def trace(fn, arg_specs, name):
    """Traces `fn` over placeholders of `arg_specs` [(dtype, shape)] in a graph of its own.

    `fn(args) -> outputs` gets the placeholder tensors and returns tensors (or convertibles); returns
    (Function, output tensors) so the caller can read the outputs' static dtypes and shapes."""
    outer = get_default_graph()
    g = Graph()
    g.seed = outer.seed
    with g.as_default():
        args = [placeholder(dtype, shape, name=f"args_{i}") for i, (dtype, shape) in enumerate(arg_specs)]
        outputs = [t if isinstance(t, Tensor) else convert_to_tensor(t) for t in fn(args)]
    for t in outputs:
        if t.graph is not g:
            raise ValueError(f"The function {name} uses the tensor {t.name} of another graph; raygraph's dataset "
                             f"functions cannot capture tensors: compute them inside the function.")
    return build(name, g, args, outputs), outputs
