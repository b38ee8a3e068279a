"""`import_graph_def`: a GraphDef's nodes rebuilt as ops of the default graph, through the op table.

Each NodeDef becomes an `apply_op` call with its attrs turned back into Python values, so shapes and
dtypes are inferred exactly as for ops built by hand. Nodes are imported in dependency order (a
GraphDef may list them in any order); `input_map` substitutes existing tensors for imported ones.
"""
from tensorboard.compat.proto import graph_pb2

from . import dtypes, errors
from .convert import convert_to_tensor
from .default_graph import name_scope
from .graph import get_default_graph
from .graph_def import attr_python, attr_value, given_values, shape_from_proto
from .operation import Operation
from .shape import TensorShape
from .tensor import Tensor
from .ops.registry import REGISTRY, apply_op

# TF's default values for attrs the op table reads; a GraphDef written with `strip_default_attrs` or by an
# older TensorFlow leaves them out.
TF_DEFAULTS = {
    "All": {"keep_dims": False}, "Any": {"keep_dims": False}, "Max": {"keep_dims": False},
    "Mean": {"keep_dims": False}, "Min": {"keep_dims": False}, "Prod": {"keep_dims": False},
    "Sum": {"keep_dims": False}, "ArgMax": {"output_type": dtypes.int64}, "ArgMin": {"output_type": dtypes.int64},
    "Assert": {"summarize": 3}, "Assign": {"validate_shape": True, "use_locking": True},
    "AssignAdd": {"use_locking": False}, "AssignSub": {"use_locking": False},
    "BatchMatMulV2": {"adj_x": False, "adj_y": False}, "BiasAdd": {"data_format": "NHWC"},
    "BiasAddGrad": {"data_format": "NHWC"}, "Cast": {"Truncate": False},
    "DecodeJpeg": {"channels": 0, "ratio": 1, "fancy_upscaling": True, "try_recover_truncated": False,
                   "acceptable_fraction": 1.0, "dct_method": ""},
    "DecodePng": {"channels": 0, "dtype": dtypes.uint8}, "Equal": {"incompatible_shape_error": True},
    "NotEqual": {"incompatible_shape_error": True}, "GatherV2": {"batch_dims": 0},
    "LeakyRelu": {"alpha": 0.2, "T": dtypes.float32}, "LeakyReluGrad": {"alpha": 0.2, "T": dtypes.float32}, "BroadcastGradientArgs": {"T": dtypes.int32},
    "HistogramSummary": {"T": dtypes.float32}, "ImageSummary": {"T": dtypes.float32}, "Range": {"Tidx": dtypes.int32},
    "MatMul": {"transpose_a": False, "transpose_b": False}, "OneHot": {"axis": -1}, "Pack": {"axis": 0},
    "Unpack": {"axis": 0}, "Placeholder": {"shape": TensorShape(None)}, "PreventGradient": {"message": ""},
    "Print": {"message": "", "first_n": -1, "summarize": 3}, "RandomStandardNormal": {"seed": 0, "seed2": 0},
    "RandomUniform": {"seed": 0, "seed2": 0}, "RandomUniformInt": {"seed": 0, "seed2": 0},
    "TruncatedNormal": {"seed": 0, "seed2": 0}, "Shape": {"out_type": dtypes.int32},
    "Size": {"out_type": dtypes.int32}, "Squeeze": {"squeeze_dims": []},
    "StridedSlice": {"begin_mask": 0, "end_mask": 0, "ellipsis_mask": 0, "new_axis_mask": 0, "shrink_axis_mask": 0},
    "StridedSliceGrad": {"begin_mask": 0, "end_mask": 0, "ellipsis_mask": 0, "new_axis_mask": 0,
                         "shrink_axis_mask": 0},
    "VariableV2": {"container": "", "shared_name": ""},
}


def strip_default_attrs(graph_def):
    """Removes, in place, attrs whose value is TF's default for their op (importing fills them back)."""
    for node in graph_def.node:
        for key, default in TF_DEFAULTS.get(node.op, {}).items():
            if key in node.attr and node.attr[key] == attr_value(default):
                del node.attr[key]
    return graph_def


def import_graph_def(graph_def, input_map=None, return_elements=None, name=None, op_dict=None,
                     producer_op_list=None):
    """Imports the nodes of `graph_def` into the default graph (under the name scope `name`, default
    "import"); returns the Tensors/Operations named in `return_elements`, or None. `op_dict` and
    `producer_op_list` (deprecated in TF1) are accepted and unused: attrs are checked by the op table.

    >>> y, = tf.import_graph_def(gd, input_map={"x:0": my_x}, return_elements=["y:0"])
    """
    if not isinstance(graph_def, graph_pb2.GraphDef):
        try:
            graph_def = graph_pb2.GraphDef.FromString(graph_def.SerializeToString())
        except Exception:  # noqa: BLE001 - any non-GraphDef
            raise TypeError("Argument `graph_def` must be a GraphDef proto.") from None
    input_map = _check_input_map(input_map)
    if return_elements is not None and not all(isinstance(x, str) for x in return_elements):
        raise TypeError(f"Argument `return_elements` must be a list of strings. Obtained {return_elements}.")
    graph = get_default_graph()
    values = [v for v in input_map.values() if isinstance(v, Tensor)]
    for key, value in input_map.items():
        if isinstance(value, (Tensor, Operation)) and value.graph is not graph:
            raise ValueError(f"node '{getattr(value, 'op', value).name}' in input_map does not exist in graph "
                             f"(input_map entry: {key}->{value.name})")
    with name_scope(name, "import", values) as scope:
        if not all(isinstance(v, (Tensor, Operation)) for v in input_map.values()):
            if name == "":
                raise ValueError("tf.import_graph_def() requires a non-empty `name` if `input_map` contains "
                                 "non-Tensor values. Try calling tf.convert_to_tensor() on `input_map` values "
                                 "before calling tf.import_graph_def().")
            with name_scope("_inputs"):
                input_map = {k: v if isinstance(v, (Tensor, Operation)) else convert_to_tensor(v)
                             for k, v in input_map.items()}
        importer = _Importer(graph, scope[:-1] if scope else "", input_map)
        mark = graph._mark()
        try:  # as in TF, a GraphDef that cannot be imported (or named return elements) adds nothing
            importer.add_nodes(graph_def.node)
            elements = None if return_elements is None else [importer.element(x) for x in return_elements]
        except BaseException:
            graph._roll_back(mark)
            raise
    importer.check_input_map_used()  # TF checks this after importing, and keeps the import
    return elements


def _check_input_map(input_map):
    input_map = dict(input_map or {})
    if not all(isinstance(k, str) for k in input_map):
        raise TypeError(f"All keys for argument `input_map` must be strings. Obtained keys: {list(input_map)}")
    out = {}
    for key, value in input_map.items():
        if key.startswith("^"):
            out[key] = value.op if isinstance(value, Tensor) else value
        else:
            op_name, index = parse_tensor_name(key)
            out[f"{op_name}:{index}"] = value
    return out


def parse_tensor_name(name):
    """'op' -> ('op', 0); 'op:2' -> ('op', 2)."""
    parts = name.split(":")
    if len(parts) == 1:
        return parts[0], 0
    if len(parts) == 2:
        try:
            return parts[0], int(parts[1])
        except ValueError:
            pass
    raise ValueError(f"Cannot convert {name!r} to a tensor name.")


def dependency_order(nodes):
    """The NodeDefs ordered so that every node comes after the nodes it takes inputs from."""
    by_name = {n.name: n for n in nodes}
    order, state = [], {}
    for root in nodes:
        stack = [(root.name, False)]
        while stack:
            node_name, expanded = stack.pop()
            if expanded:
                state[node_name] = 2
                order.append(by_name[node_name])
                continue
            if state.get(node_name) == 2:
                continue
            if state.get(node_name) == 1:
                raise ValueError(f"GraphDef has a cycle through node '{node_name}'; raygraph cannot import "
                                 f"while loops.")
            state[node_name] = 1
            stack.append((node_name, True))
            for inp in by_name[node_name].input:
                src = inp.lstrip("^").split(":")[0]
                if src in by_name and _is_back_edge(by_name[src]):
                    continue  # a while loop's NextIteration -> Merge: wired once both exist
                if src in by_name and state.get(src) != 2:
                    stack.append((src, False))
    return order


def _is_back_edge(nd):
    entry = REGISTRY.get(nd.op)
    return entry is not None and entry.role == "next_iteration"


class _Importer:
    """One import: the names given to imported nodes, and which input_map keys were used."""

    def __init__(self, graph, prefix, input_map):
        self.graph = graph
        self.prefix = prefix
        self.input_map = input_map
        self.used = set()
        self.ops = {}        # NodeDef name -> imported Operation
        self.back_edges = []  # (op, input position, source node, output index) wired after all ops exist

    def add_nodes(self, nodes):
        names = set()
        for nd in nodes:
            if nd.name in names:
                raise ValueError(f"Node '{nd.name}' is not unique")
            names.add(nd.name)
        for nd in nodes:
            for inp in nd.input:
                mapped = inp in self.input_map if inp.startswith("^") else \
                    "%s:%d" % parse_tensor_name(inp) in self.input_map
                if inp.lstrip("^").split(":")[0] not in names and not mapped:
                    raise ValueError(f"Node '{nd.name}': Unknown input node '{inp}'")
        created = []
        with self.graph.device(None):  # devices are set by _place, once every op exists
            for nd in dependency_order(nodes):
                created.append((self._import_node(nd), nd))
        for op, position, src, index in self.back_edges:  # loops: each Merge's input from its NextIteration
            old, new = op._inputs[position], self.ops[src]._outputs[index]
            old._consumers.remove(op)
            op._inputs = op._inputs[:position] + (new,) + op._inputs[position + 1:]
            new._consumers.append(op)
        self._place(created)
        control = self.graph._current_control_inputs()
        for op, _ in created:  # TF makes every imported op wait for the enclosing control_dependencies
            for c in control:
                op._add_control_input(c)

    def _place(self, created):
        """The NodeDef's device merged with the caller's device scopes; colocated ops take their group's."""
        g, colocated = self.graph, []
        for op, nd in created:
            groups = [c[5:] for c in op._attrs.get("_class", ()) if c.startswith("loc:@") and c[5:] != op._name]
            if groups:
                colocated.append((op, groups))
                continue
            op._device = nd.device
            if g._device_stack:
                g._apply_device_functions(op)
        for op, groups in colocated:
            for name in groups:
                target = g._ops_by_name.get(name)
                if target is None:
                    raise ValueError(f"Specified colocation to an op: {name} that does not exist during import "
                                     f"for op: {op._name}")
                if target._device:
                    op._device = target._device
                    break

    def _import_node(self, nd):
        entry = REGISTRY.get(nd.op)
        if entry is None:
            raise errors.NotFoundError(None, None, f"Op type not registered '{nd.op}' in raygraph's op table "
                                                   f"(node '{nd.name}').")
        attrs = dict(TF_DEFAULTS.get(nd.op, {}))
        shapes = None
        for key, value in nd.attr.items():
            if key == "_output_shapes":
                shapes = [shape_from_proto(s) for s in value.list.shape]
            elif key == "_class":
                attrs[key] = [self._class_name(c) for c in value.list.s]
            else:
                attrs[key] = attr_python(value)
        _check_type_attrs(entry, nd, attrs)
        data, control = self._inputs(nd)
        name = self._name(nd.name)
        try:
            op = self._create(entry, nd, name, data, attrs)
        except KeyError as e:  # a kernel-less attr the op needs (a Placeholder's dtype, a Const's value)
            raise ValueError(f"NodeDef missing attr {e.args[0]!r} from Op<name={nd.op}>; NodeDef: "
                             f"{{{{node {nd.name}}}}}") from None
        except (AttributeError, TypeError, IndexError) as e:  # an attr of the wrong kind
            raise ValueError(f"Node '{nd.name}' ({nd.op}) has a malformed attr: {e}; NodeDef: "
                             f"{{{{node {nd.name}}}}}") from None
        for c in control:
            op._add_control_input(c)
        if shapes and len(shapes) == len(op._outputs):
            for t, shape in zip(op._outputs, shapes):
                if t.shape.is_compatible_with(shape):
                    t.set_shape(shape)
        self.ops[nd.name] = op
        self.back_edges = [(op if e[0] is None else e[0], *e[1:]) for e in self.back_edges]
        return op

    def _class_name(self, group):
        group = group.decode()
        if group.startswith("loc:@") and self.prefix:
            return "loc:@" + self.prefix + "/" + group[5:]
        return group

    def _name(self, node_name):
        full = self.prefix + "/" + node_name if self.prefix else node_name
        g = self.graph
        saved, g._name_stack = g._name_stack, ""
        try:
            return g.unique_name(full)
        finally:
            g._name_stack = saved

    def _inputs(self, nd):
        data, control = [], []
        for inp in nd.input:
            if inp.startswith("^"):
                mapped = self.input_map.get(inp)
                if mapped is not None:
                    self.used.add(inp)
                control.append(mapped if mapped is not None else self.ops[inp[1:]])
                continue
            src, index = parse_tensor_name(inp)
            key = f"{src}:{index}"
            if key in self.input_map:
                self.used.add(key)
                data.append(self.input_map[key])
                continue
            if src not in self.ops:  # a back edge: the loop's first value stands in until the source exists
                self.back_edges.append((None, len(data), src, index))
                data.append(data[0])
                continue
            outputs = self.ops[src]._outputs
            if index >= len(outputs):
                raise ValueError(f"Node '{nd.name}': Connecting to invalid output {index} of source node {src} "
                                 f"which has {len(outputs)} outputs.")
            data.append(outputs[index])
        return data, control

    def _create(self, entry, nd, name, data, attrs):
        if nd.op == "Const":
            value = attrs["value"]
            value.flags.writeable = False
            op = Operation(self.graph, "Const", self.graph._op_name(name + "/"), (),
                           [(attrs["dtype"], TensorShape(value.shape))], attrs, entry)
            given = given_values(nd.attr["value"].tensor)
            if given is not None:
                self.graph._given_values[op._name] = given
            return op
        _check_input_types(entry, nd, name, data, attrs)
        try:
            out = apply_op(nd.op, _group_inputs(entry, data, nd), attrs, name=name + "/", graph=self.graph)
        except TypeError as e:
            raise ValueError(f"Node '{name}' ({nd.op}): {e}") from None
        if isinstance(out, Operation):
            return out
        return (out[0] if isinstance(out, list) else out).op

    def check_input_map_used(self):
        unused = sorted(k for k in self.input_map if k not in self.used)
        if unused:
            raise ValueError(f"Attempted to map inputs that were not found in graph_def: [{', '.join(unused)}]")

    def element(self, name):
        """A return element: 'op' names an Operation, 'op:i' a Tensor (names as in the GraphDef)."""
        if ":" in name:
            src, index = parse_tensor_name(name)
            op = self.ops.get(src)
            if op is None:
                raise ValueError(f"Requested return tensor '{name}' not found in graph def")
            if index >= len(op._outputs):
                raise ValueError(f"Invalid return output {index} of node '{src}', which has "
                                 f"{len(op._outputs)} output(s)")
            return op._outputs[index]
        op = self.ops.get(name)
        if op is None:
            raise ValueError(f"Requested return node '{name}' not found in graph def")
        return op


def _group_inputs(entry, data, nd):
    """Splits a NodeDef's flat input list into the op table's arguments (one list argument at most)."""
    args = entry.args
    if not any(a.is_list for a in args):
        if len(data) != len(args):
            raise ValueError(f"NodeDef '{nd.name}' has {len(data)} inputs; op {nd.op} takes {len(args)}.")
        return data
    n_list = len(data) - (len(args) - 1)
    out, i = [], 0
    for a in args:
        if a.is_list:
            out.append(list(data[i:i + n_list]))
            i += n_list
        else:
            out.append(data[i])
            i += 1
    return out


def _check_type_attrs(entry, nd, attrs):
    """TF's errors for a type attr that the op's inputs need and the NodeDef lacks or gives another kind."""
    for arg in entry.args:
        key = arg.type_attr
        if not key or arg.mixed or arg.default is not None:
            continue
        if key not in attrs:
            raise ValueError(f"NodeDef missing attr '{key}' from Op<name={nd.op}>; NodeDef: {{{{node {nd.name}}}}}")
        if not isinstance(attrs[key], dtypes.DType):
            kind = nd.attr[key].WhichOneof("value") if key in nd.attr else type(attrs[key]).__name__
            raise ValueError(f"AttrValue had value with type '{kind}' when 'type' expected\n\t for attr '{key}'\n"
                             f"\t; NodeDef: {{{{node {nd.name}}}}}")


def _check_input_types(entry, nd, name, data, attrs):
    """TF's error for an input whose dtype differs from what the NodeDef's attrs say it takes."""
    flat_args = []
    n_list = len(data) - (len(entry.args) - 1)
    for a in entry.args:
        flat_args.extend([a] * (n_list if a.is_list else 1))
    for i, (arg, t) in enumerate(zip(flat_args, data)):
        want = arg.fixed or attrs.get(arg.type_attr)
        if not isinstance(t, Tensor) or not isinstance(want, dtypes.DType):
            continue
        if t.dtype.base_dtype is not want.base_dtype:
            got_name = dtypes.type_string(t.dtype.base_dtype)
            want_name = dtypes.type_string(want.base_dtype)
            raise ValueError(f"Input {i} of node {name} was passed {got_name} from {t.name} incompatible with "
                             f"expected {want_name}.")
