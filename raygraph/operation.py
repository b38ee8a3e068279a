"""`Operation`: a node of a Graph, with its type, inputs, outputs, control inputs, device and attrs."""
import sys

from .device_spec import DeviceSpec
from .graph_def import const_proto, node_def
from .tensor import Tensor


# ----- creation tracebacks -------------------------------------------------------------------------
_PACKAGE_DIR = __file__.rsplit("/", 1)[0]


def creation_stack(limit=30):
    """(filename, lineno, function) of the user frames that are creating an op, outermost first."""
    frame = sys._getframe(2)
    out = []
    while frame is not None and len(out) < limit:
        code = frame.f_code
        if not code.co_filename.startswith(_PACKAGE_DIR):
            out.append((code.co_filename, frame.f_lineno, code.co_name))
        frame = frame.f_back
    out.reverse()
    return out


class Operation:
    """A graph node; made by the op table's `apply_op`, not by hand."""

    __slots__ = ("_graph", "_type", "_name", "_inputs", "_outputs", "_control_inputs", "_device",
                 "_attrs", "_def", "_id", "_traceback", "_control_outputs", "_cond_context", "__weakref__")

    def __init__(self, graph, op_type, name, inputs, output_specs, attrs, op_def):
        self._graph = graph
        self._type = op_type
        self._name = name
        ctx = self._cond_context = graph._cond_context
        self._inputs = tuple(inputs)
        self._attrs = attrs
        self._def = op_def
        self._device = ""
        self._traceback = creation_stack()
        self._control_outputs = []
        self._outputs = [Tensor(self, i, dtype, shape) for i, (dtype, shape) in enumerate(output_specs)]
        input_ops = [t._op for t in self._inputs]
        self._control_inputs = graph._control_inputs_for(input_ops) if graph._control_stack else []
        graph._add_op(self)
        if ctx is not None:  # inside a cond branch or a loop: outside inputs come through a Switch or an Enter
            ctx.add_op(self)
        for t in self._inputs:
            t._consumers.append(self)
        for c in self._control_inputs:
            c._control_outputs.append(self)

    # ----- structure -------------------------------------------------------------------------------
    name = property(lambda self: self._name)
    type = property(lambda self: self._type)
    graph = property(lambda self: self._graph)
    inputs = property(lambda self: self._inputs)
    outputs = property(lambda self: list(self._outputs))
    control_inputs = property(lambda self: list(self._control_inputs))
    device = property(lambda self: self._device)
    traceback = property(lambda self: list(self._traceback))

    @property
    def _control_outputs_list(self):
        return list(self._control_outputs)

    def values(self):
        """The op's outputs, as a tuple."""
        return tuple(self._outputs)

    @property
    def node_def(self):
        return node_def(self)

    @property
    def op_def(self):
        return self._def

    def get_attr(self, name):
        """The attr's Python value (a DType, TensorShape, bool, int, list...); ValueError if absent."""
        if name not in self._attrs:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.")
        value = self._attrs[name]
        if name == "value" and self._type == "Const":
            return const_proto(self)
        if isinstance(value, str):  # string attrs come back as bytes, as in TF
            return value.encode()
        if isinstance(value, list) and value and isinstance(value[0], str):
            return [s.encode() if isinstance(s, str) else s for s in value]
        return value

    def _set_attr(self, name, value):
        self._attrs[name] = value
        self._graph._mutations += 1

    def colocation_groups(self):
        """This op's colocation groups: its `_class` entries, or `loc:@<its name>`."""
        groups = [g.encode() if isinstance(g, str) else g for g in self._attrs.get("_class", ())
                  if (g.encode() if isinstance(g, str) else g).startswith(b"loc:@")]
        return groups or [b"loc:@" + self._name.encode()]

    def _set_device(self, device):
        self._device = device.to_string() if isinstance(device, DeviceSpec) else (device or "")
        self._graph._mutations += 1

    _set_device_from_string = _set_device

    def _add_control_input(self, op):
        if not isinstance(op, Operation):
            raise TypeError(f"op must be an Operation: {op}")
        if op not in self._control_inputs:
            self._control_inputs.append(op)
            op._control_outputs.append(self)
            self._graph._mutations += 1

    def _add_control_inputs(self, ops):
        for op in ops:
            self._add_control_input(op)

    def _remove_all_control_inputs(self):
        for op in self._control_inputs:
            op._control_outputs.remove(self)
        self._control_inputs = []
        self._graph._mutations += 1

    def _update_input(self, index, tensor):
        """Rewires input `index` to `tensor` (same graph)."""
        if not isinstance(tensor, Tensor):
            raise TypeError(f"tensor must be a Tensor: {tensor}")
        if tensor.graph is not self._graph:
            raise ValueError(f"Tensor {tensor} is not an element of this graph.")
        inputs = list(self._inputs)
        inputs[index]._consumers.remove(self)
        inputs[index] = tensor
        tensor._consumers.append(self)
        self._inputs = tuple(inputs)
        self._graph._mutations += 1

    # ----- running ---------------------------------------------------------------------------------
    def run(self, feed_dict=None, session=None):
        """Runs this op in `session` (default: the default session)."""
        from .session import eval_in_session
        eval_in_session([self], feed_dict, self._graph, session, "operation")

    def __repr__(self):
        return f"<tf.Operation '{self._name}' type={self._type}>"

    def __str__(self):
        return str(self.node_def)
