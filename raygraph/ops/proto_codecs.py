"""Protocol buffers as tensors: `decode_proto` (DecodeProtoV2) and `encode_proto` (EncodeProto), for the
messages protobuf's default descriptor pool knows ("local://"): those of the packages raygraph imports,
TensorFlow's own (`tensorflow.Example`, `tensorflow.TensorProto`... whose copies the tensorboard package
registers as `tensorboard.*`) and any message module the program imported.

A field becomes one tensor [batch..., most values in the batch], padded with the field's default; `sizes`
[batch..., fields] counts each message's values. Sub-messages travel serialized, as strings.
"""
import collections

import numpy as np
from google.protobuf import descriptor_pool, message_factory, text_format
from google.protobuf.descriptor import FieldDescriptor
from tensorboard.compat.proto import summary_pb2  # noqa: F401 - registers TensorProto, Summary and their parts

from .. import dtypes, example_pb2  # noqa: F401 - registers tensorflow.Example and friends in the default pool
from ..errors import DataLossError, InvalidArgumentError, NotFoundError
from ..shape import TensorShape
from .registry import NOT_DIFFERENTIABLE, apply_op, op

DecodeProtoV2 = collections.namedtuple("DecodeProtoV2", ["sizes", "values"])


def _message_class(name, source):
    if source not in ("local://", ""):
        raise NotFoundError(None, None, f"descriptor_source {source!r}: raygraph reads only the local pool "
                                        f"('local://')")
    pool = descriptor_pool.Default()
    for candidate in (name, "tensorboard." + name[len("tensorflow."):] if name.startswith("tensorflow.") else None):
        if candidate is None:
            continue
        try:
            return message_factory.GetMessageClass(pool.FindMessageTypeByName(candidate))
        except KeyError:
            continue
    raise NotFoundError(None, None, f"No descriptor found for message type {name}")


def _fields(cls, names):
    by_name = cls.DESCRIPTOR.fields_by_name
    missing = [n for n in names if n not in by_name]
    if missing:
        raise InvalidArgumentError(None, None, f"Unknown field: {missing[0]} in message type "
                                               f"{cls.DESCRIPTOR.full_name}")
    return [by_name[n] for n in names]


def _repeated(field):
    return field.is_repeated


def _values(message, field):
    """The field's values in one message (a list), sub-messages serialized."""
    value = getattr(message, field.name)
    if _repeated(field):
        values = list(value)
    elif field.has_presence:
        values = [value] if message.HasField(field.name) else []
    else:
        values = [value] if value != field.default_value else []
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        return [v.SerializeToString() for v in values]
    return [v.encode() if isinstance(v, str) else v for v in values]


def _default(field, dtype):
    if dtype is dtypes.string:
        return b"" if field.type == FieldDescriptor.TYPE_MESSAGE else (
            field.default_value.encode() if isinstance(field.default_value, str) else field.default_value or b"")
    return field.default_value if not _repeated(field) else 0


def _decode_proto(a, data):
    cls = _message_class(a["message_type"], a.get("descriptor_source", "local://"))
    fields, types = _fields(cls, a["field_names"]), a["output_types"]
    items = np.asarray(data, dtype=object)
    messages = []
    for i, raw in enumerate(items.ravel()):
        m = cls()
        try:
            if a.get("message_format", "binary") == "text":
                text_format.Parse(bytes(raw).decode(), m)
            else:
                m.ParseFromString(bytes(raw))
        except Exception:  # noqa: BLE001 - any decoding failure is bad input
            raise DataLossError(None, None, f"Unable to parse proto of type {cls.DESCRIPTOR.full_name} at "
                                                   f"batch index {i}") from None
        messages.append(m)
    per_field = [[_values(m, f) for m in messages] for f in fields]
    sizes = np.asarray([[len(v[b]) for v in per_field] for b in range(len(messages))], np.int32)
    out = [sizes.reshape(items.shape + (len(fields),))]
    for f, t, rows in zip(fields, types, per_field):
        width = max([len(r) for r in rows] + [1])  # TF pads to at least one value
        np_type = object if t is dtypes.string else t.as_numpy_dtype
        arr = np.empty((len(rows), width), np_type)
        arr[...] = _default(f, t)
        for b, r in enumerate(rows):
            if r:
                arr[b, :len(r)] = np.asarray(r, dtype=np_type)
        out.append(arr.reshape(items.shape + (width,)))
    return out


def _encode_proto(a, sizes, *values):
    cls = _message_class(a["message_type"], a.get("descriptor_source", "local://"))
    fields = _fields(cls, a["field_names"])
    sizes = np.asarray(sizes)
    if sizes.ndim < 1 or sizes.shape[-1] != len(fields):
        raise InvalidArgumentError(None, None, f"sizes should be batch_size + [len(field_names)].  sizes has "
                                               f"{sizes.shape[-1] if sizes.ndim else 0} columns, expected "
                                               f"{len(fields)}")
    batch = sizes.shape[:-1]
    flat_sizes = sizes.reshape(-1, len(fields))
    flat_values = [np.asarray(v).reshape((flat_sizes.shape[0], np.shape(v)[-1] if np.ndim(v) else 1)) for v in values]
    out = np.empty(flat_sizes.shape[0], dtype=object)
    for b in range(flat_sizes.shape[0]):
        m = cls()
        for j, f in enumerate(fields):
            n = int(flat_sizes[b, j])
            if n > flat_values[j].shape[1]:
                raise InvalidArgumentError(None, None, f"Number of values for field {f.name} ({n}) exceeds the "
                                                       f"values tensor's last dimension")
            vals = [_python(f, v) for v in flat_values[j][b, :n]]
            if f.type == FieldDescriptor.TYPE_MESSAGE:
                for v in vals:
                    (getattr(m, f.name).add() if _repeated(f) else getattr(m, f.name)).MergeFromString(v)
            elif _repeated(f):
                getattr(m, f.name).extend(vals)
            elif vals:
                setattr(m, f.name, vals[-1])
        out[b] = m.SerializeToString()
    return out.reshape(batch)


def _python(field, v):
    if field.type == FieldDescriptor.TYPE_STRING:
        return v.decode() if isinstance(v, bytes) else str(v)
    if field.type in (FieldDescriptor.TYPE_BYTES, FieldDescriptor.TYPE_MESSAGE):
        return bytes(v)
    return v.item() if hasattr(v, "item") else v


def _decode_shape(inputs, a):
    batch = inputs[0].shape
    return [(dtypes.int32, batch.concatenate([len(a["field_names"])]))] + \
        [(t, batch.concatenate([None])) for t in a["output_types"]]


op("DecodeProtoV2", "bytes:string", kernel=_decode_proto, shape=_decode_shape, grad=NOT_DIFFERENTIABLE)
op("EncodeProto", "sizes:int32, values:+Tinput_types", kernel=_encode_proto, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (dtypes.string, i[0].shape[:-1] if i[0].shape.ndims else TensorShape(None)))


def decode_proto(bytes, message_type, field_names, output_types, descriptor_source="local://",  # noqa: A002
                 message_format="binary", sanitize=False, name=None):
    """(sizes, [values per field]) of serialized `message_type` protos."""
    attrs = {"message_type": message_type, "field_names": list(field_names),
             "output_types": [dtypes.as_dtype(t) for t in output_types], "descriptor_source": descriptor_source,
             "message_format": message_format, "sanitize": sanitize}
    out = apply_op("DecodeProtoV2", [bytes], attrs, name=name)
    out = out if isinstance(out, list) else [out]
    return DecodeProtoV2(out[0], out[1:])


def encode_proto(sizes, values, field_names, message_type, descriptor_source="local://", name=None):
    """Serialized `message_type` protos with the first sizes[..., j] values of values[j] in field j."""
    attrs = {"field_names": list(field_names), "message_type": message_type, "descriptor_source": descriptor_source}
    return apply_op("EncodeProto", [sizes, list(values)], attrs, name=name)
