"""TF1's `tf.graph_util`: freezing a graph for serving and trimming GraphDefs, on TF's own protos.

`convert_variables_to_constants(sess, graph_def, outputs)` keeps the nodes the outputs need (in their
order) and turns each variable among them into a Const holding its value in `sess`, as TF does.
"""
import copy
import re

from tensorboard.compat.proto import graph_pb2, node_def_pb2

from . import dtypes
from .graph_def import tensor_proto
from .importer import import_graph_def  # noqa: F401 - tf.graph_util.import_graph_def
from .operation import Operation

_VARIABLE_OPS = {"Assign", "AssignAdd", "AssignSub", "Queue", "ScatterAdd", "ScatterSub", "ScatterUpdate",
                 "TruncatedNormal", "Variable", "VariableV2"}
_FROZEN_OPS = ("Variable", "VariableV2")


def must_run_on_cpu(node, pin_variables_on_cpu=False):
    """Whether TF1 pins this node (an Operation or NodeDef) to the CPU: int32/string consts and casts."""
    node_def = node.node_def if isinstance(node, Operation) else node
    if pin_variables_on_cpu and node_def.op in _VARIABLE_OPS:
        return True
    int32, string = dtypes.int32.as_datatype_enum, dtypes.string.as_datatype_enum
    if node_def.op == "Const":
        return node_def.attr["dtype"].type in (string, int32)
    if node_def.op in ("DynamicStitch", "ParallelDynamicStitch"):
        return node_def.attr["T"].type == int32
    if node_def.op == "Cast":
        return node_def.attr["SrcT"].type == int32
    return False


def _node_name(name):
    return name[1:] if name.startswith("^") else name.split(":")[0]


def _colocated(node):
    if "_class" not in node.attr:
        return []
    names = [s.decode() for s in node.attr["_class"].list.s]
    return [n[5:] if n.startswith("loc:@") else n for n in names]


def extract_sub_graph(graph_def, dest_nodes):
    """The GraphDef of the nodes `dest_nodes` need (inputs, control inputs, colocations), in their order."""
    if not isinstance(graph_def, graph_pb2.GraphDef):
        raise TypeError(f"graph_def must be a graph_pb2.GraphDef proto, but got type {type(graph_def)}.")
    if isinstance(dest_nodes, str):
        raise TypeError(f"dest_nodes must be an iterable of strings, but got type {type(dest_nodes)}.")
    by_name, inputs, order = {}, {}, {}
    for i, node in enumerate(graph_def.node):
        name = _node_name(node.name)
        by_name[name], order[name] = node, i
        inputs[name] = [_node_name(x) for x in node.input] + _colocated(node)
    for d in dest_nodes:
        assert d in by_name, f"{d} is not in graph"
    keep, queue = set(), list(dest_nodes)
    while queue:
        name = queue.pop(0)
        if name not in keep:
            keep.add(name)
            queue.extend(inputs.get(name, ()))
    out = graph_pb2.GraphDef()
    for name in sorted(keep, key=lambda n: order[n]):
        out.node.extend([copy.deepcopy(by_name[name])])
    out.library.CopyFrom(graph_def.library)
    out.versions.CopyFrom(graph_def.versions)
    return out


def convert_variables_to_constants(sess, input_graph_def, output_node_names, variable_names_whitelist=None,
                                   variable_names_blacklist=None):
    """A frozen GraphDef: the subgraph for `output_node_names`, its variables replaced by Consts of their
    values in `sess` (only those in the whitelist if given, never those in the blacklist)."""
    graph_def = extract_sub_graph(input_graph_def, output_node_names)
    frozen = [n.name for n in graph_def.node if n.op in _FROZEN_OPS
              and (variable_names_whitelist is None or n.name in variable_names_whitelist)
              and (variable_names_blacklist is None or n.name not in variable_names_blacklist)]
    values = dict(zip(frozen, sess.run([name + ":0" for name in frozen]))) if frozen else {}
    out = graph_pb2.GraphDef()
    for node in graph_def.node:
        if node.name in values:
            const = node_def_pb2.NodeDef(name=node.name, op="Const")
            dtype = node.attr["dtype"]
            const.attr["value"].tensor.CopyFrom(tensor_proto(values[node.name], dtypes.as_dtype(dtype.type)))
            const.attr["dtype"].CopyFrom(dtype)
            out.node.extend([const])
        else:
            out.node.extend([copy.deepcopy(node)])
    out.library.CopyFrom(graph_def.library)
    out.versions.CopyFrom(graph_def.versions)
    return out


def remove_training_nodes(input_graph, protected_nodes=None):
    """The GraphDef without CheckNumerics nodes and with Identity/StopGradient nodes spliced out (except
    protected ones, ones with or used as control inputs, and colocation targets)."""
    protected = set(protected_nodes or ())
    removed = {n.name for n in input_graph.node if n.op == "CheckNumerics" and n.name not in protected}
    kept = []
    for node in input_graph.node:
        if node.name in removed:
            continue
        new = copy.deepcopy(node)
        del new.input[:]
        new.input.extend(i for i in node.input if re.sub(r"^\^", "", i) not in removed)
        kept.append(new)
    control_targets, with_control, colocated = set(), set(), set()
    for node in kept:
        for i in node.input:
            if "^" in i:
                control_targets.add(i.replace("^", ""))
                with_control.add(node.name)
        colocated.update(_colocated(node))
    splice = {n.name: n.input[0] for n in kept
              if n.op in ("Identity", "StopGradient") and n.name not in protected and n.name not in colocated
              and n.name not in with_control and n.name not in control_targets}
    out = graph_pb2.GraphDef()
    for node in kept:
        if node.name in splice:
            continue
        new = copy.deepcopy(node)
        del new.input[:]
        for full in node.input:
            name = re.sub(r"^\^", "", full)
            while name in splice:
                full = splice[name]
                name = re.sub(r"^\^", "", full)
            new.input.append(full)
        out.node.extend([new])
    return out


def tensor_shape_from_node_def_name(graph, input_name):
    """The static shape of the tensor `input_name` ('op' meaning 'op:0') of `graph`."""
    name = input_name if ":" in input_name else input_name + ":0"
    return graph.get_tensor_by_name(name).shape
