"""`tensorflow.python.client.device_lib`: `list_local_devices`, the devices TF's runtime would place ops on, as
`DeviceAttributes` protos. raygraph's kernels run on CPUs (see `config`, `test.is_gpu_available`), so the list
is the one CPU, as TF 1.15 lists it on a machine without GPUs."""
import os

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from .. import config as _config

_CPU_MEMORY_LIMIT = 268435456  # what TF's CPU device reports (256 MiB, its allocator's nominal limit)


def _declare():
    """TF's `DeviceLocality` and `DeviceAttributes` (tensorflow/core/framework/device_attributes.proto), which the
    tensorboard package does not ship, declared at runtime: the same fields and numbers, so the same bytes and
    text."""
    pool = descriptor_pool.Default()
    try:
        return pool.FindMessageTypeByName("tensorboard.DeviceAttributes")
    except KeyError:
        pass
    proto = descriptor_pb2.FileDescriptorProto(name="raygraph/client/device_attributes.proto", package="tensorboard",
                                               syntax="proto3")
    field = descriptor_pb2.FieldDescriptorProto
    locality = proto.message_type.add(name="DeviceLocality")
    locality.field.add(name="bus_id", number=1, type=field.TYPE_INT32, label=field.LABEL_OPTIONAL)
    locality.field.add(name="numa_node", number=2, type=field.TYPE_INT32, label=field.LABEL_OPTIONAL)
    attrs = proto.message_type.add(name="DeviceAttributes")
    attrs.field.add(name="name", number=1, type=field.TYPE_STRING, label=field.LABEL_OPTIONAL)
    attrs.field.add(name="device_type", number=2, type=field.TYPE_STRING, label=field.LABEL_OPTIONAL)
    attrs.field.add(name="memory_limit", number=4, type=field.TYPE_INT64, label=field.LABEL_OPTIONAL)
    attrs.field.add(name="locality", number=5, type=field.TYPE_MESSAGE, label=field.LABEL_OPTIONAL,
                    type_name=".tensorboard.DeviceLocality")
    attrs.field.add(name="incarnation", number=6, type=field.TYPE_FIXED64, label=field.LABEL_OPTIONAL)
    attrs.field.add(name="physical_device_desc", number=7, type=field.TYPE_STRING, label=field.LABEL_OPTIONAL)
    pool.Add(proto)
    return pool.FindMessageTypeByName("tensorboard.DeviceAttributes")


DeviceAttributes = message_factory.GetMessageClass(_declare())


def list_local_devices(session_config=None):
    """The local devices as `DeviceAttributes` (name '/device:CPU:0', type 'CPU', ...)."""
    out = []
    for d in _config.list_logical_devices():
        a = DeviceAttributes(name=d.name, device_type=d.device_type, memory_limit=_CPU_MEMORY_LIMIT,
                             incarnation=int.from_bytes(os.urandom(8), "little"))   # (not Python's random)
        a.locality.SetInParent()
        out.append(a)
    return out
