"""TF's protobuf messages that no installed package ships (the tensorboard package has most of TF's), declared at
runtime in protobuf's default pool with TF's field names, numbers and types, so their bytes and text are TF's:

    SavedModel = declare("raygraph/saved_model.proto", {"SavedModel": [
        ("saved_model_schema_version", 1, "int64"), ("meta_graphs", 2, "MetaGraphDef*")]},
        [meta_graph_pb2.DESCRIPTOR.name])["SavedModel"]
"""
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

PACKAGE = "tensorboard"  # the package of the tensorboard package's copies of TF's messages, which these use
_F = descriptor_pb2.FieldDescriptorProto
_SCALARS = {"string": _F.TYPE_STRING, "bytes": _F.TYPE_BYTES, "bool": _F.TYPE_BOOL, "int32": _F.TYPE_INT32,
            "int64": _F.TYPE_INT64, "fixed64": _F.TYPE_FIXED64, "float": _F.TYPE_FLOAT, "double": _F.TYPE_DOUBLE}


def declare(file_name, messages, dependencies=()):
    """{name: message class} of `messages` ({name: [(field, number, type)]}), declared once per process as the file
    `file_name`. A type is a scalar's name or a message's (of this package: its own or a dependency's), with a
    trailing '*' for a repeated field."""
    pool = descriptor_pool.Default()
    try:
        pool.FindFileByName(file_name)
    except KeyError:
        proto = descriptor_pb2.FileDescriptorProto(name=file_name, package=PACKAGE, syntax="proto3",
                                                   dependency=list(dependencies))
        for name, fields in messages.items():
            message = proto.message_type.add(name=name)
            for field, number, kind in fields:
                base = kind.rstrip("*")
                f = message.field.add(name=field, number=number, type=_SCALARS.get(base, _F.TYPE_MESSAGE),
                                      label=_F.LABEL_REPEATED if kind.endswith("*") else _F.LABEL_OPTIONAL)
                if base not in _SCALARS:
                    f.type_name = f".{PACKAGE}.{base}"
        pool.Add(proto)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{PACKAGE}.{name}"))
            for name in messages}
