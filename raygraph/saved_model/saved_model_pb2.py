"""The `SavedModel` message (tensorflow/core/protobuf/saved_model.proto), which the tensorboard package does
not ship, declared at runtime over its MetaGraphDef: the same fields and numbers, so the same bytes.

    message SavedModel {
      int64 saved_model_schema_version = 1;
      repeated MetaGraphDef meta_graphs = 2;
    }
"""
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from tensorboard.compat.proto import meta_graph_pb2

_FILE = "raygraph/saved_model/saved_model.proto"


def _declare():
    pool = descriptor_pool.Default()
    try:
        return pool.FindMessageTypeByName("tensorboard.SavedModel")
    except KeyError:
        pass
    proto = descriptor_pb2.FileDescriptorProto(name=_FILE, package="tensorboard", syntax="proto3",
                                               dependency=[meta_graph_pb2.DESCRIPTOR.name])
    message = proto.message_type.add(name="SavedModel")
    field = descriptor_pb2.FieldDescriptorProto
    message.field.add(name="saved_model_schema_version", number=1, type=field.TYPE_INT64, label=field.LABEL_OPTIONAL)
    message.field.add(name="meta_graphs", number=2, type=field.TYPE_MESSAGE, label=field.LABEL_REPEATED,
                      type_name=".tensorboard.MetaGraphDef")
    pool.Add(proto)
    return pool.FindMessageTypeByName("tensorboard.SavedModel")


SavedModel = message_factory.GetMessageClass(_declare())
