"""TensorInfo: how a SignatureDef names a tensor (name, dtype, static shape)."""
from tensorboard.compat.proto import meta_graph_pb2
from ..convert import convert_to_tensor
from ..graph import get_default_graph


def build_tensor_info(tensor):
    """The TensorInfo of a Tensor (or Variable: its value)."""
    tensor = convert_to_tensor(tensor)
    return meta_graph_pb2.TensorInfo(name=tensor.name, dtype=tensor.dtype.base_dtype.as_datatype_enum,
                                     tensor_shape=tensor.shape.as_proto())


def get_tensor_from_tensor_info(tensor_info, graph=None, import_scope=None):
    """The Tensor a TensorInfo names, in `graph` (default graph), under `import_scope` if given."""
    if tensor_info.WhichOneof("encoding") != "name":
        raise ValueError(f"Invalid TensorInfo.encoding: {tensor_info.WhichOneof('encoding')}")
    name = f"{import_scope}/{tensor_info.name}" if import_scope else tensor_info.name
    return (graph or get_default_graph()).get_tensor_by_name(name)
