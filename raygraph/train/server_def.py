"""TF's cluster protos for `tf.train`: `ClusterDef` and `JobDef` (tensorboard's compiled copy of TF's
cluster.proto) and `ServerDef`, the message of TF's tensorflow_server.proto, declared here field for field
(numbers and types as TF's, so serialized ServerDefs are interchangeable) on top of those and `ConfigProto`.
TF's `cluster_device_filters` field (7) is left out: no package ships its device_filters.proto."""
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from tensorboard.compat.proto import cluster_pb2, config_pb2

ClusterDef = cluster_pb2.ClusterDef
JobDef = cluster_pb2.JobDef


def _server_def_class():
    F = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(
        name="raygraph/tensorflow_server.proto", package=cluster_pb2.DESCRIPTOR.package, syntax="proto3",
        dependency=[cluster_pb2.DESCRIPTOR.name, config_pb2.DESCRIPTOR.name])
    message = proto.message_type.add(name="ServerDef")
    package = "." + cluster_pb2.DESCRIPTOR.package
    for name, number, kind, type_name in (("cluster", 1, F.TYPE_MESSAGE, package + ".ClusterDef"),
                                          ("job_name", 2, F.TYPE_STRING, None), ("task_index", 3, F.TYPE_INT32, None),
                                          ("default_session_config", 4, F.TYPE_MESSAGE, package + ".ConfigProto"),
                                          ("protocol", 5, F.TYPE_STRING, None), ("port", 6, F.TYPE_INT32, None)):
        field = message.field.add(name=name, number=number, type=kind, label=F.LABEL_OPTIONAL)
        if type_name:
            field.type_name = type_name
    pool = descriptor_pool.Default()
    try:  # declared once per process
        descriptor = pool.FindMessageTypeByName(package[1:] + ".ServerDef")
    except KeyError:
        pool.AddSerializedFile(proto.SerializeToString())
        descriptor = pool.FindMessageTypeByName(package[1:] + ".ServerDef")
    return message_factory.GetMessageClass(descriptor)


ServerDef = _server_def_class()
