"""`tensorflow.core`: TF's protobuf modules (`from tensorflow.core.framework import graph_pb2`,
`from tensorflow.core.protobuf import config_pb2`), which raygraph takes from the tensorboard package's copies
(tensorboard.compat.proto: the same messages, package `tensorboard`)."""
import importlib
import sys
import types


class _ProtoPackage(types.ModuleType):
    """`raygraph.core.<name>`: its `<x>_pb2` attributes are tensorboard.compat.proto's `<x>_pb2` modules."""

    def __getattr__(self, name):
        if not name.endswith("_pb2"):
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        try:
            module = importlib.import_module(f"tensorboard.compat.proto.{name}")
        except ModuleNotFoundError:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r} (raygraph looked for "
                                 f"tensorboard.compat.proto.{name})") from None
        setattr(self, name, module)
        sys.modules[f"{self.__name__}.{name}"] = module
        return module


for _sub in ("framework", "protobuf", "example", "util"):
    _mod = _ProtoPackage(f"{__name__}.{_sub}")
    _mod.__path__ = []
    sys.modules[_mod.__name__] = _mod
    globals()[_sub] = _mod
