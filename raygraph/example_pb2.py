"""TensorFlow's `Example` messages (tensorflow/core/example/feature.proto and example.proto), which the
tensorboard package does not ship, declared at runtime: the same fields and numbers, so the same bytes.

    message BytesList { repeated bytes value = 1; }
    message FloatList { repeated float value = 1 [packed = true]; }
    message Int64List { repeated int64 value = 1 [packed = true]; }
    message Feature { oneof kind { BytesList bytes_list = 1; FloatList float_list = 2; Int64List int64_list = 3; } }
    message Features { map<string, Feature> feature = 1; }
    message FeatureList { repeated Feature feature = 1; }
    message FeatureLists { map<string, FeatureList> feature_list = 1; }
    message Example { Features features = 1; }
    message SequenceExample { Features context = 1; FeatureLists feature_lists = 2; }
"""
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_FILE = "raygraph/example.proto"
_PACKAGE = "tensorboard"  # as the tensorboard package's copies of TF's messages are named
_F = descriptor_pb2.FieldDescriptorProto
_NAMES = ("BytesList", "FloatList", "Int64List", "Feature", "Features", "FeatureList", "FeatureLists", "Example",
          "SequenceExample")


def _field(message, name, number, type, label=_F.LABEL_OPTIONAL, type_name=None, oneof=None):
    f = message.field.add(name=name, number=number, type=type, label=label)
    if type_name:
        f.type_name = f".{_PACKAGE}.{type_name}"
    if oneof is not None:
        f.oneof_index = oneof
    return f


def _map(message, name, value_type):
    """A map<string, value_type> field `name` = 1 (a repeated nested entry message, as protoc declares it)."""
    entry_name = "".join(p.capitalize() for p in name.split("_")) + "Entry"
    entry = message.nested_type.add(name=entry_name)
    entry.options.map_entry = True
    _field(entry, "key", 1, _F.TYPE_STRING)
    _field(entry, "value", 2, _F.TYPE_MESSAGE, type_name=value_type)
    _field(message, name, 1, _F.TYPE_MESSAGE, _F.LABEL_REPEATED, f"{message.name}.{entry_name}")


def _declare():
    pool = descriptor_pool.Default()
    try:
        pool.FindFileByName(_FILE)
        return pool
    except KeyError:
        pass
    proto = descriptor_pb2.FileDescriptorProto(name=_FILE, package=_PACKAGE, syntax="proto3")
    for name, type in (("BytesList", _F.TYPE_BYTES), ("FloatList", _F.TYPE_FLOAT), ("Int64List", _F.TYPE_INT64)):
        _field(proto.message_type.add(name=name), "value", 1, type, _F.LABEL_REPEATED)
    feature = proto.message_type.add(name="Feature")
    feature.oneof_decl.add(name="kind")
    for number, name in enumerate(("BytesList", "FloatList", "Int64List"), 1):
        _field(feature, name.replace("List", "_list").lower(), number, _F.TYPE_MESSAGE, type_name=name, oneof=0)
    _map(proto.message_type.add(name="Features"), "feature", "Feature")
    _field(proto.message_type.add(name="FeatureList"), "feature", 1, _F.TYPE_MESSAGE, _F.LABEL_REPEATED, "Feature")
    _map(proto.message_type.add(name="FeatureLists"), "feature_list", "FeatureList")
    _field(proto.message_type.add(name="Example"), "features", 1, _F.TYPE_MESSAGE, type_name="Features")
    sequence = proto.message_type.add(name="SequenceExample")
    _field(sequence, "context", 1, _F.TYPE_MESSAGE, type_name="Features")
    _field(sequence, "feature_lists", 2, _F.TYPE_MESSAGE, type_name="FeatureLists")
    pool.Add(proto)
    return pool


_POOL = _declare()
BytesList, FloatList, Int64List, Feature, Features, FeatureList, FeatureLists, Example, SequenceExample = (
    message_factory.GetMessageClass(_POOL.FindMessageTypeByName(f"{_PACKAGE}.{n}")) for n in _NAMES)
