"""Device specifications: `/job:<J>/replica:<R>/task:<T>/device:<TYPE>:<I>`, parsed, merged, printed.

`DeviceSpec` is TF1's mutable DeviceSpecV1. Parsing canonicalizes the legacy forms (`/cpu:0` ->
`/device:CPU:0`); merging fills the fields a spec leaves unset from another one.
"""
import functools

DEVICE_TYPES = frozenset({"CPU", "GPU", "TPU", "XLA_CPU", "XLA_GPU", "TPU_SYSTEM"})
_FIELDS = ("job", "replica", "task", "device_type", "device_index")


def _device_type(value):
    if value in ("cpu", "gpu"):
        return value.upper()
    return None if value is None else str(value)


@functools.lru_cache(maxsize=4096)
def parse_device(spec):
    """'/job:ps/task:0/cpu:0' -> ('ps', None, 0, 'CPU', 0): the five fields, None where unset."""
    job = replica = task = device_type = device_index = None
    for part in (spec or "").split("/"):
        y = part.split(":")
        n = len(y)
        if n == 2 and y[0] == "job":
            job = y[1]
        elif n == 2 and y[0] == "replica":
            replica = int(y[1])
        elif n == 2 and y[0] == "task":
            task = int(y[1])
        elif n in (1, 2) and y[0].upper() in DEVICE_TYPES:
            if device_type is not None:
                raise ValueError(f"Multiple device types are not allowed while parsing the device spec: {spec}.")
            device_type = y[0].upper()
            if n == 2 and y[1] != "*":
                device_index = int(y[1])
        elif n == 3 and y[0] == "device":
            if device_type is not None:
                raise ValueError(f"Multiple device types are not allowed while parsing the device spec: {spec}.")
            device_type = _device_type(y[1])
            if y[2] != "*":
                device_index = int(y[2])
        elif n and y[0] != "":
            raise ValueError(f"Unknown attribute '{y[0]}' is encountered while parsing the device spec: '{spec}'.")
    return job, replica, task, device_type, device_index


def device_string(job, replica, task, device_type, device_index):
    out = []
    if job is not None:
        out.append("/job:" + job)
    if replica is not None:
        out.append("/replica:" + str(replica))
    if task is not None:
        out.append("/task:" + str(task))
    if device_type is not None:
        out.append("/device:%s:%s" % (device_type, "*" if device_index is None else device_index))
    return "".join(out)


def merge_fields(outer, inner):
    """Field-by-field merge: `inner`'s set fields win, the rest come from `outer`."""
    return tuple(i if i is not None else o for o, i in zip(outer, inner))


@functools.lru_cache(maxsize=4096)
def canonical(spec):
    """The canonical string of a device spec ('/cpu:0' -> '/device:CPU:0')."""
    return device_string(*parse_device(spec))


class DeviceSpec:
    """A (possibly partial) device specification, TF1's mutable `tf.DeviceSpec`."""

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self.job = job
        self.replica = replica
        self.task = task
        self.device_type = device_type
        self.device_index = device_index

    job = property(lambda self: self._job, lambda self, v: setattr(self, "_job", None if v is None else str(v)))
    replica = property(lambda self: self._replica,
                       lambda self, v: setattr(self, "_replica", None if v is None else int(v)))
    task = property(lambda self: self._task, lambda self, v: setattr(self, "_task", None if v is None else int(v)))
    device_type = property(lambda self: self._device_type,
                           lambda self, v: setattr(self, "_device_type", _device_type(v)))
    device_index = property(lambda self: self._device_index,
                            lambda self, v: setattr(self, "_device_index", None if v is None else int(v)))

    def _fields(self):
        return self._job, self._replica, self._task, self._device_type, self._device_index

    @classmethod
    def from_string(cls, spec):
        return cls(*parse_device(spec))

    def parse_from_string(self, spec):
        """Replaces every field with those parsed from `spec`; returns self."""
        self.job, self.replica, self.task, self.device_type, self.device_index = parse_device(spec)
        return self

    def merge_from(self, dev):
        """Sets the fields `dev` sets (in place)."""
        self.job, self.replica, self.task, self.device_type, self.device_index = merge_fields(
            self._fields(), dev._fields())

    def make_merged_spec(self, dev):
        """A new spec: this one with the fields `dev` sets overriding."""
        return self.__class__(*merge_fields(self._fields(), dev._fields()))

    def replace(self, **kwargs):
        fields = dict(zip(_FIELDS, self._fields()))
        fields.update(kwargs)
        return self.__class__(**fields)

    def to_string(self):
        return device_string(*self._fields())

    def __eq__(self, other):
        return isinstance(other, DeviceSpec) and self.to_string() == other.to_string()

    def __hash__(self):
        return hash(self.to_string())

    def __repr__(self):
        return "<DeviceSpec(%s)>" % ", ".join(f"{k}={v}" for k, v in zip(_FIELDS, self._fields()))


class MergeDevice:
    """A device function merging a fixed spec under the op's current device (whose fields win)."""

    __slots__ = ("fields", "is_null_merge", "_cache")

    def __init__(self, spec):
        self.fields = spec._fields() if isinstance(spec, DeviceSpec) else parse_device(spec or "")
        self.is_null_merge = not device_string(*self.fields)
        self._cache = {}

    def __call__(self, op):
        current = op.device or ""
        out = self._cache.get(current)
        if out is None:
            out = device_string(*merge_fields(self.fields, parse_device(current)))
            self._cache[current] = out
        return out

    def shortcut_string_merge(self, op):
        return self(op)


_mergers = {}


def merge_device(spec):
    """The (cached) MergeDevice for a device string or DeviceSpec."""
    if isinstance(spec, MergeDevice):
        return spec
    key = spec.to_string() if isinstance(spec, DeviceSpec) else spec
    merger = _mergers.get(key)
    if merger is None:
        merger = _mergers[key] = MergeDevice(key)
    return merger
