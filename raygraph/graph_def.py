"""Graphs as TensorFlow protobufs: Operation -> NodeDef, Graph -> GraphDef, numpy -> TensorProto.

The messages are TensorFlow's own (as the tensorboard package ships them), so what raygraph writes is
readable by TensorFlow's tools.
"""
import numpy as np
from tensorboard.compat.proto import (attr_value_pb2, graph_pb2, node_def_pb2, tensor_pb2,
                                      versions_pb2)

from . import dtypes
from .shape import TensorShape

GraphDef = graph_pb2.GraphDef
NodeDef = node_def_pb2.NodeDef
AttrValue = attr_value_pb2.AttrValue

GRAPH_DEF_VERSION = 2474  # the producer version TF 2.21 writes (tf.version.GRAPH_DEF_VERSION)
GRAPH_DEF_VERSION_MIN_CONSUMER = 0

_VALUE_FIELDS = {
    dtypes.float16: "half_val", dtypes.bfloat16: "half_val", dtypes.float32: "float_val", dtypes.float64: "double_val",
    dtypes.int8: "int_val", dtypes.int16: "int_val", dtypes.int32: "int_val", dtypes.uint8: "int_val",
    dtypes.uint16: "int_val", dtypes.int64: "int64_val", dtypes.uint32: "uint32_val",
    dtypes.uint64: "uint64_val", dtypes.bool_: "bool_val", dtypes.complex64: "scomplex_val",
    dtypes.complex128: "dcomplex_val", dtypes.string: "string_val"}


# dtypes TF's make_tensor_proto leaves out of _TENSOR_CONTENT_TYPES: their arrays go in the typed *_val fields
_TYPED_FIELD_ONLY = frozenset([dtypes.bool_, dtypes.complex64, dtypes.complex128, dtypes.uint16])


def shape_proto(shape):
    return TensorShape(shape).as_proto()


def tensor_proto(value, dtype=None, given=None):
    """A TensorProto holding `value` (TF's layout: raw bytes for numeric arrays, typed fields otherwise);
    `given`: how many of its values were given where a constant repeats the last of fewer values than its
    shape holds (tf.zeros([16]), tf.constant(2, shape=[2, 2])): TF keeps just those, in the typed field."""
    arr = np.asarray(value)
    dtype = dtypes.as_dtype(arr.dtype) if dtype is None else dtypes.as_dtype(dtype).base_dtype
    proto = tensor_pb2.TensorProto(dtype=dtype.as_datatype_enum, tensor_shape=shape_proto(arr.shape))
    flat = arr.reshape(-1)[:given]
    if dtype is dtypes.string:
        proto.string_val.extend(v if isinstance(v, bytes) else str(v).encode() for v in flat)
    elif given is None and arr.size > 1 and dtype not in _TYPED_FIELD_ONLY:
        proto.tensor_content = np.ascontiguousarray(arr, dtype=dtype.as_numpy_dtype).tobytes()
    else:  # one value, a constant's given values, or a type TF never packs into tensor_content: typed fields
        field = getattr(proto, _VALUE_FIELDS[dtype])
        for v in flat:
            if dtype in (dtypes.float16, dtypes.bfloat16):  # their bits, as uint16
                field.append(int(np.asarray(v, dtype.as_numpy_dtype).view(np.uint16)))
            elif dtype.is_complex:
                field.extend([float(v.real), float(v.imag)])
            else:
                field.append(v.item())
    return proto


def given_values(proto):
    """How many values a TensorProto holds where that is fewer than its shape's (None where it holds all)."""
    n = int(np.prod([d.size for d in proto.tensor_shape.dim], dtype=np.int64))
    if proto.tensor_content or n <= 1:
        return None
    dtype = dtypes.as_dtype(proto.dtype)
    held = len(getattr(proto, _VALUE_FIELDS[dtype])) // (2 if dtype.is_complex else 1)
    return held if held < n else None


def const_proto(op):
    """The `value` attr of a Const op as TF holds it."""
    return tensor_proto(op._attrs["value"], op._attrs["dtype"], op._graph._given_values.get(op._name))


def tensor_value(proto):
    """The numpy value of a TensorProto (the inverse of `tensor_proto`)."""
    dtype = dtypes.as_dtype(proto.dtype)
    shape = [d.size for d in proto.tensor_shape.dim]
    n = int(np.prod(shape, dtype=np.int64))
    if dtype is dtypes.string:
        flat = np.empty(len(proto.string_val), dtype=object)
        flat[:] = list(proto.string_val)
    elif proto.tensor_content:
        return np.frombuffer(proto.tensor_content, dtype=dtype.as_numpy_dtype).copy().reshape(shape)
    else:
        raw = list(getattr(proto, _VALUE_FIELDS[dtype]))
        if dtype in (dtypes.float16, dtypes.bfloat16):
            flat = np.asarray(raw, np.uint16).view(dtype.as_numpy_dtype)
        elif dtype.is_complex:
            flat = np.asarray(raw[0::2], np.float64) + 1j * np.asarray(raw[1::2], np.float64)
            flat = flat.astype(dtype.as_numpy_dtype)
        else:
            flat = np.asarray(raw, dtype=dtype.as_numpy_dtype)
    if flat.size == n:
        return flat.reshape(shape)
    out = np.empty(n, dtype=flat.dtype)
    if flat.size:
        out[:flat.size] = flat
        out[flat.size:] = flat[-1]  # a short list repeats its last value
    else:
        out[:] = b"" if dtype is dtypes.string else 0
    return out.reshape(shape)


def attr_value(value):
    """A Python attr value as an AttrValue message."""
    if isinstance(value, attr_value_pb2.AttrValue):
        return value
    if hasattr(value, "as_attr_value"):  # a function attr (tf.data's traced functions)
        return value.as_attr_value()
    if isinstance(value, dtypes.DType):
        return attr_value_pb2.AttrValue(type=value.as_datatype_enum)
    if isinstance(value, TensorShape):
        return attr_value_pb2.AttrValue(shape=value.as_proto())
    if isinstance(value, (bool, np.bool_)):
        return attr_value_pb2.AttrValue(b=bool(value))
    if isinstance(value, (int, np.integer)):
        return attr_value_pb2.AttrValue(i=int(value))
    if isinstance(value, (float, np.floating)):
        return attr_value_pb2.AttrValue(f=float(value))
    if isinstance(value, str):
        return attr_value_pb2.AttrValue(s=value.encode())
    if isinstance(value, bytes):
        return attr_value_pb2.AttrValue(s=value)
    if isinstance(value, np.ndarray):
        return attr_value_pb2.AttrValue(tensor=tensor_proto(value))
    if isinstance(value, (list, tuple)):
        out = attr_value_pb2.AttrValue(list=attr_value_pb2.AttrValue.ListValue())
        for v in value:
            if isinstance(v, dtypes.DType):
                out.list.type.append(v.as_datatype_enum)
            elif isinstance(v, TensorShape):
                out.list.shape.append(v.as_proto())
            elif isinstance(v, (bool, np.bool_)):
                out.list.b.append(bool(v))
            elif isinstance(v, (int, np.integer)):
                out.list.i.append(int(v))
            elif isinstance(v, (float, np.floating)):
                out.list.f.append(float(v))
            elif isinstance(v, (str, bytes)):
                out.list.s.append(v.encode() if isinstance(v, str) else v)
        return out
    raise TypeError(f"Cannot convert attr value {value!r} to an AttrValue")


def shape_from_proto(proto):
    """The TensorShape of a TensorShapeProto (-1 dimensions are unknown)."""
    if proto.unknown_rank:
        return TensorShape(None)
    return TensorShape([None if d.size < 0 else d.size for d in proto.dim])


def _text(b):
    try:
        return b.decode()
    except UnicodeDecodeError:
        return b


_LIST_FIELDS = (("s", _text), ("i", int), ("f", float), ("b", bool), ("type", dtypes.as_dtype),
                ("shape", shape_from_proto), ("tensor", tensor_value))


def attr_python(value):
    """The Python value of an AttrValue, as raygraph keeps attrs (the inverse of `attr_value`)."""
    kind = value.WhichOneof("value")
    if kind == "type":
        return dtypes.as_dtype(value.type)
    if kind == "shape":
        return shape_from_proto(value.shape)
    if kind == "tensor":
        return tensor_value(value.tensor)
    if kind == "s":
        return _text(value.s)
    if kind in ("b", "i", "f"):
        return getattr(value, kind)
    if kind == "list":
        for field, convert in _LIST_FIELDS:
            items = getattr(value.list, field)
            if len(items):
                return [convert(v) for v in items]
        return []
    return value  # func / placeholder attrs stay protos


def node_def(op):
    """The NodeDef of an Operation: name, op type, inputs (`^name` for control inputs), device, attrs."""
    inputs = [t._as_node_def_input() for t in op._inputs] + ["^" + c._name for c in op._control_inputs]
    nd = node_def_pb2.NodeDef(name=op._name, op=op._type, input=inputs, device=op._device)
    for key, value in op._attrs.items():
        if value is None or (callable(value) and not hasattr(value, "as_attr_value")):
            continue  # a Python callable kept for the kernel (py_func's `_func`) has no AttrValue
        if key == "value" and op._type == "Const":
            nd.attr[key].CopyFrom(attr_value_pb2.AttrValue(tensor=const_proto(op)))
        else:
            nd.attr[key].CopyFrom(attr_value(value))
    return nd


def graph_to_graph_def(graph, from_version=None, add_shapes=False):
    """The GraphDef of `graph` (ops created after version `from_version` only, if given)."""
    gd = graph_pb2.GraphDef(versions=versions_pb2.VersionDef(producer=GRAPH_DEF_VERSION,
                                                             min_consumer=GRAPH_DEF_VERSION_MIN_CONSUMER))
    for op in graph.get_operations():
        if from_version is not None and op._id <= from_version:
            continue
        nd = gd.node.add()
        nd.CopyFrom(node_def(op))
        for i, t in enumerate(op._inputs):  # TF's GraphDef names output 0 "op", even where the NodeDef says "op:0"
            if t._value_index == 0 and t._explicit_index:
                nd.input[i] = t._op._name
        if len(op._control_inputs) > 1:   # TF's GraphDef lists control inputs by name (an op's own NodeDef does not)
            inputs = list(nd.input)
            split = len(inputs) - len(op._control_inputs)
            del nd.input[split:]
            nd.input.extend(sorted(inputs[split:]))
        if add_shapes:
            nd.attr["_output_shapes"].CopyFrom(attr_value_pb2.AttrValue(list=attr_value_pb2.AttrValue.ListValue(
                shape=[t.shape.as_proto() for t in op._outputs])))
    return gd


