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

from .. import dtypes
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
        self.captured = ()  # the tensors of other graphs whose values its last arguments take (see `trace`)

    def as_attr_value(self):
        return _func_attr(self.name)

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_bindings"], state["captured"] = None, ()
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
    """The Function (of no arguments) computing `tensors` in their own graph: a one-shot iterator's dataset.
    A variable or table it would read (a stateful op yielding a ref or a resource) is TF's ValueError."""
    for op in _needed(tensors):
        holds_state = any(t.dtype.is_ref_dtype or t.dtype.base_dtype == dtypes.resource for t in op.outputs)
        if op._def.stateful and holds_state:
            raise ValueError(f"Cannot capture a stateful node (name:{op.name}, type:{op.type}) by value.: A likely "
                             "cause of this error is that the dataset for which you are calling "
                             "`make_one_shot_iterator()` captures a stateful object, such as a `tf.Variable` or "
                             "`tf.lookup.StaticHashTable`, which is not supported. Use "
                             "`make_initializable_iterator()` instead.")
    return build(name, tensors[0].graph, [], list(tensors))


class _Captures:
    """The tensors of other graphs that the traced function's ops use (TF's function captures): each becomes a
    placeholder of the function's graph, an argument after the function's own, whose value the dataset op
    that calls the function takes as an input (its `other_arguments`). Installed as the graph's `capture`,
    which `apply_op` calls on every op's inputs."""

    def __init__(self, graph):
        self.graph, self.outer, self.inner = graph, [], {}

    def __call__(self, inputs):
        return [type(x)(self(x)) if type(x) in (list, tuple) else self.one(x) for x in inputs]

    def one(self, x):
        t = x
        if not isinstance(x, Tensor):
            element = getattr(x, "_as_graph_element", None)
            t = element() if element is not None and not isinstance(x, type) else None
        if not isinstance(t, Tensor) or t.graph is self.graph:
            return x
        inner = self.inner.get(t)
        if inner is None:
            with self.graph.as_default():
                inner = self.inner[t] = placeholder(t.dtype.base_dtype, t.shape, name=f"captured_{len(self.outer)}")
            self.outer.append(t)
        return inner


def trace(fn, arg_specs, name):
    """Traces `fn` over placeholders of `arg_specs` [(dtype, shape)] in a graph of its own.

    `fn(args) -> outputs` gets the placeholder tensors and returns tensors (or convertibles); returns
    (Function, output tensors) so the caller can read the outputs' static dtypes and shapes. Tensors of
    other graphs that `fn` uses are the Function's `captured` (see _Captures)."""
    outer = get_default_graph()
    g = Graph()
    g.seed = outer.seed
    captures = g.capture = _Captures(g)
    try:
        with g.as_default():
            args = [placeholder(dtype, shape, name=f"args_{i}") for i, (dtype, shape) in enumerate(arg_specs)]
            outputs = [captures.one(t) if isinstance(t, Tensor) else convert_to_tensor(t) for t in fn(args)]
    finally:
        g.capture = None
    f = build(name, g, args + [captures.inner[t] for t in captures.outer], outputs)
    f.captured = captures.outer
    f.on_rows = f.on_rows and not captures.outer  # (a captured value is one value, not a row per element)
    return f, outputs


def bound(fn, values):
    """`fn` called with `values` (its captured tensors' values, a dataset op's other_arguments) after its own
    arguments."""
    return fn if not values else _Bound(fn, tuple(values))


class _Bound:
    on_rows = False

    def __init__(self, fn, values):
        self.fn, self.values = fn, values

    def __call__(self, args):
        return self.fn(tuple(args) + self.values)
