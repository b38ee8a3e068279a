"""`tf.config` (as `tf.compat.v1.config` has it): the device listing and placement switches a TF1 program
queries. raygraph's kernels run on CPUs (see `test.is_gpu_available`), so the one physical device is the CPU."""
import collections
import types

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])

_PHYSICAL = [PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")]
_visible = list(_PHYSICAL)
_soft_placement = False   # as TF1 graph mode reports it (a Session follows its ConfigProto)
_memory_growth = {}


def list_physical_devices(device_type=None):
    """The physical devices of `device_type` ('CPU', 'GPU', ...; None: all)."""
    return [d for d in _PHYSICAL if device_type is None or d.device_type == device_type]


def list_logical_devices(device_type=None):
    return [LogicalDevice(name=d.name.replace("/physical_device:", "/device:"), device_type=d.device_type)
            for d in _visible if device_type is None or d.device_type == device_type]


def get_visible_devices(device_type=None):
    return [d for d in _visible if device_type is None or d.device_type == device_type]


def set_visible_devices(devices, device_type=None):
    global _visible
    devices = [devices] if isinstance(devices, PhysicalDevice) else list(devices)
    for d in devices:
        if d not in _PHYSICAL:
            raise ValueError(f"Unrecognized device: {d!r}")
    _visible = [d for d in _visible if device_type is not None and d.device_type != device_type] + devices


def get_soft_device_placement():
    return _soft_placement


def set_soft_device_placement(enabled):
    global _soft_placement
    _soft_placement = bool(enabled)


def get_memory_growth(device):
    if device not in _PHYSICAL:
        raise ValueError(f"Unrecognized device: {device!r}")
    return _memory_growth.get(device)


def set_memory_growth(device, enable):
    if device not in _PHYSICAL:
        raise ValueError(f"Unrecognized device: {device!r}")
    if device.device_type == "CPU":
        raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")


experimental = types.SimpleNamespace(list_physical_devices=list_physical_devices,
                                     list_logical_devices=list_logical_devices,
                                     get_visible_devices=get_visible_devices,
                                     set_visible_devices=set_visible_devices,
                                     get_memory_growth=get_memory_growth, set_memory_growth=set_memory_growth)
