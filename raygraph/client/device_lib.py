"""`tensorflow.python.client.device_lib`: `list_local_devices`, the devices TF's runtime would place ops on, as
`DeviceAttributes` protos. raygraph's kernels run on CPUs (see `config`, `test.is_gpu_available`), so the list
is the one CPU, as TF 1.15 lists it on a machine without GPUs."""
import os

from .. import config as _config
from ..protos import declare

_CPU_MEMORY_LIMIT = 268435456  # what TF's CPU device reports (256 MiB, its allocator's nominal limit)
# TF's DeviceLocality and DeviceAttributes (tensorflow/core/framework/device_attributes.proto; not in the
# tensorboard package)
DeviceAttributes = declare("raygraph/client/device_attributes.proto", {
    "DeviceLocality": [("bus_id", 1, "int32"), ("numa_node", 2, "int32")],
    "DeviceAttributes": [("name", 1, "string"), ("device_type", 2, "string"), ("memory_limit", 4, "int64"),
                         ("locality", 5, "DeviceLocality"), ("incarnation", 6, "fixed64"),
                         ("physical_device_desc", 7, "string")]})["DeviceAttributes"]


def list_local_devices(session_config=None):
    """The local devices as `DeviceAttributes` (name '/device:CPU:0', type 'CPU', ...)."""
    out = []
    for d in _config.list_logical_devices():
        a = DeviceAttributes(name=d.name, device_type=d.device_type, memory_limit=_CPU_MEMORY_LIMIT,
                             incarnation=int.from_bytes(os.urandom(8), "little"))   # (not Python's random)
        a.locality.SetInParent()
        out.append(a)
    return out
