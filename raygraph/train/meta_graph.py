"""MetaGraphDefs: a graph with its collections (variables as VariableDefs) and saver, and `write_graph`.

`export_meta_graph` writes what `import_meta_graph` needs to rebuild the graph elsewhere: the GraphDef,
each collection as a CollectionDef (variables and savers as serialized protos, ops and tensors by name,
plain values as lists) and the SaverDef. Importing re-creates the ops through `import_graph_def` and the
collections' items through the proto functions their modules registered (graph.register_proto_function);
`train.import_meta_graph`, which also returns a Saver, lives in saver.py.
"""
import os
import re

from google.protobuf import text_format
from tensorboard.compat.proto import meta_graph_pb2, saver_pb2

from .. import atomic_files
from .. import logging as tf_logging
from ..graph import Graph, GraphKeys, get_default_graph, proto_functions
from ..graph_def import GraphDef
from ..importer import import_graph_def
from ..importer import strip_default_attrs as strip_default_attrs_from

_VARIABLE_COLLECTIONS = (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES,
                         GraphKeys.MOVING_AVERAGE_VARIABLES, GraphKeys.LOCAL_VARIABLES, GraphKeys.MODEL_VARIABLES,
                         GraphKeys.GLOBAL_STEP, GraphKeys.METRIC_VARIABLES)
UNBOUND_INPUTS = "unbound_inputs"


# ----- export ---------------------------------------------------------------------------------------------
def create_meta_graph_def(meta_info_def=None, graph_def=None, saver_def=None, collection_list=None, graph=None,
                          export_scope=None, clear_devices=False, strip_default_attrs=False):
    """The MetaGraphDef of `graph` (default graph): its GraphDef (with shapes), saver and collections."""
    if graph is not None and not isinstance(graph, Graph):
        raise TypeError(f"graph must be of type Graph. Received type: {type(graph)}.")
    if graph_def is not None and not isinstance(graph_def, GraphDef):
        raise TypeError(f"graph_def must be of type GraphDef. Received type: {type(graph_def)}.")
    if saver_def is not None and not isinstance(saver_def, saver_pb2.SaverDef):
        raise TypeError(f"saver_def must be of type SaverDef. Received type: {type(saver_def)}.")
    graph = graph or get_default_graph()
    meta = meta_graph_pb2.MetaGraphDef()
    if meta_info_def is not None:
        meta.meta_info_def.MergeFrom(meta_info_def)
    if graph_def is None:
        graph_def = graph.as_graph_def(add_shapes=True)
    meta.graph_def.MergeFrom(_scoped(graph_def, export_scope, meta) if export_scope else graph_def)
    if clear_devices:
        for node in meta.graph_def.node:
            node.device = ""
    if strip_default_attrs:
        strip_default_attrs_from(meta.graph_def)
        meta.meta_info_def.stripped_default_attrs = True
    if saver_def is not None:
        meta.saver_def.MergeFrom(saver_def)
    keys = graph.get_all_collection_keys() if collection_list is None else collection_list
    for key in keys:
        add_collection_def(meta, key, graph, export_scope)
    return meta


def _scoped(graph_def, scope, meta):
    """The nodes under `scope`, renamed without it; inputs from outside become '$unbound_inputs_<name>'
    (listed in the 'unbound_inputs' collection: importing needs an `input_map` for each)."""
    prefix = scope + "/"
    out, unbound = GraphDef(versions=graph_def.versions), []
    for node in graph_def.node:
        if not node.name.startswith(prefix):
            continue
        nd = out.node.add()
        nd.CopyFrom(node)
        nd.name = node.name[len(prefix):]
        for i, inp in enumerate(node.input):
            control = "^" if inp.startswith("^") else ""
            name = inp.lstrip("^")
            if name.startswith(prefix):
                nd.input[i] = control + name[len(prefix):]
            else:
                nd.input[i] = control + "$unbound_inputs_" + name
                unbound.append(nd.input[i])
        if "_class" in nd.attr:
            groups = [g.replace(b"loc:@" + prefix.encode(), b"loc:@") for g in nd.attr["_class"].list.s]
            del nd.attr["_class"].list.s[:]
            nd.attr["_class"].list.s.extend(groups)
    if unbound:
        meta.collection_def[UNBOUND_INPUTS].bytes_list.value.extend(u.encode() for u in unbound)
    return out


def add_collection_def(meta, key, graph=None, export_scope=None):
    """Adds graph collection `key` to MetaGraphDef `meta` (skipped with a warning if it cannot be)."""
    if not isinstance(key, (str, bytes)):
        tf_logging.warning("Only collections with string type keys will be serialized. This key has %s", type(key))
        return
    items = [x for x in (graph or get_default_graph()).get_collection(key) if _in_scope(x, export_scope)]
    if not items:
        return
    col = meta.collection_def[key]
    try:
        functions = proto_functions(key)
        if functions is not None:
            for item in items:
                col.bytes_list.value.append(functions[1](item, export_scope).SerializeToString())
            return
        kind = _kind(items[0])
        if kind == "node_list":
            prefix = export_scope + "/" if export_scope else ""
            col.node_list.value.extend(x.name[len(prefix):] if x.name.startswith(prefix) else x.name for x in items)
        elif kind == "bytes_list":
            col.bytes_list.value.extend(x.encode() if isinstance(x, str) else x for x in items)
        else:
            getattr(col, kind).value.extend(items)
    except Exception as e:  # noqa: BLE001 - TF skips collections it cannot serialize
        tf_logging.warning("Issue encountered when serializing: %s.\n%s", key, e)
        del meta.collection_def[key]


def _in_scope(item, scope):
    """Whether a collection item goes into an export of `scope` (TF treats strings as node names)."""
    name = item if isinstance(item, str) else getattr(item, "name", None)
    if not scope or not isinstance(name, str):
        return True
    return name.startswith("$unbound_inputs_") or name.startswith(scope)


def _kind(item):
    if isinstance(item, (str, bytes)):
        return "bytes_list"
    if isinstance(item, int):
        return "int64_list"
    if isinstance(item, float):
        return "float_list"
    return "node_list"


def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None, collection_list=None,
                      as_text=False, graph=None, export_scope=None, clear_devices=False,
                      clear_extraneous_savers=False, strip_default_attrs=False, save_debug_info=False, **kwargs):
    """The MetaGraphDef of the graph (also written to `filename` if given, as text if `as_text`)."""
    meta = create_meta_graph_def(meta_info_def, graph_def, saver_def, collection_list, graph, export_scope,
                                 clear_devices, strip_default_attrs)
    if filename:
        write_graph(meta, os.path.dirname(filename) or ".", os.path.basename(filename), as_text=as_text)
    return meta


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Writes a Graph's GraphDef (or any graph proto) to `logdir/name` atomically; returns the path."""
    proto = graph_or_graph_def.as_graph_def() if isinstance(graph_or_graph_def, Graph) else graph_or_graph_def
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    data = text_format.MessageToString(proto).encode() if as_text else \
        proto.SerializeToString(deterministic=True)
    # through atomic_files (open() honours the umask: TF's files are 0666 & ~umask, mkstemp's are 0600)
    atomic_files.write_atomic(path, lambda f: f.write(data))
    return path


# ----- import ---------------------------------------------------------------------------------------------
def read_meta_graph_file(filename):
    """The MetaGraphDef in a file written by `export_meta_graph` (binary or text)."""
    if not os.path.exists(filename):
        raise IOError(f"File does not exist. Received: {filename}.")
    with open(filename, "rb") as f:
        data = f.read()
    meta = meta_graph_pb2.MetaGraphDef()
    try:
        meta.ParseFromString(data)
        return meta
    except Exception:  # noqa: BLE001 - not binary: try the text format
        pass
    try:
        text_format.Merge(data.decode("utf-8"), meta)
    except text_format.ParseError as e:
        raise IOError(f"Cannot parse file {filename}: {e}.") from None
    return meta


def import_scoped_meta_graph(meta, clear_devices=False, import_scope=None, input_map=None):
    """Imports the graph and collections of `meta`; returns {name without scope: Variable}."""
    unbound = meta.collection_def.get(UNBOUND_INPUTS)
    if unbound is not None and unbound.bytes_list.value and {
            v.decode() for v in unbound.bytes_list.value} != set(input_map or {}):
        raise ValueError(f"Graph contains unbound inputs: {', '.join(v.decode() for v in unbound.bytes_list.value)}"
                         f". Must provide these inputs through input_map.")
    graph = get_default_graph()
    graph_def = meta.graph_def
    if clear_devices:
        graph_def = GraphDef.FromString(graph_def.SerializeToString())
        for node in graph_def.node:
            node.device = ""
    scope = graph.unique_name(import_scope or "", mark_as_used=False)  # the name import_graph_def will use
    import_graph_def(graph_def, name=import_scope or scope, input_map=input_map)
    keys = sorted(meta.collection_def, key=lambda k: (k != GraphKeys.TRAINABLE_VARIABLES, k))
    shared = {}  # serialized VariableDef -> Variable: one object across collections
    for key in keys:
        if key != UNBOUND_INPUTS:
            _restore_collection(graph, key, meta.collection_def[key], scope, shared)
    prefix = scope + "/" if scope else ""
    return {v.name[len(prefix):]: v for v in graph.get_collection(GraphKeys.GLOBAL_VARIABLES)
            if v.name.startswith(prefix)}


def _restore_collection(graph, key, col, scope, shared):
    kind = col.WhichOneof("kind")
    if kind is None:
        tf_logging.error("Cannot identify data type for collection %s. Skipping.", key)
        return
    functions = proto_functions(key)
    prefix = scope + "/" if scope else ""
    if functions is not None and kind == "bytes_list":
        proto_type, _, from_proto = functions
        for value in col.bytes_list.value:
            item = shared.get(value) if key in _VARIABLE_COLLECTIONS else None
            if item is None:
                item = from_proto(proto_type.FromString(value), import_scope=scope or None)
                shared[value] = item
            graph.add_to_collection(key, item)
    elif kind == "node_list":
        for name in col.node_list.value:
            graph.add_to_collection(key, graph.as_graph_element(prefix + name))
    elif kind == "int64_list":
        for value in col.int64_list.value:
            graph.add_to_collection(key, int(value))
    elif kind == "bytes_list":  # TF reads plain strings as names, under the import scope
        for value in col.bytes_list.value:
            graph.add_to_collection(key, _prepend_scope(value.decode(), scope) if scope else value)
    else:
        for value in getattr(col, kind).value:
            graph.add_to_collection(key, value)


def _prepend_scope(name, scope):
    """TF's prepend_name_scope: 'a' -> 'scope/a', '^a' -> '^scope/a', 'loc:@a' -> 'loc:@scope/a'."""
    return re.sub(r"([\^]|loc:@|^)(.*)", r"\1" + scope.rstrip("/") + r"/\2", name)
