"""TensorFlow's internal module paths that TF1 programs import, with `tensorflow` written `raygraph`.

Real TF1 programs reach past the public API: `from tensorflow.python.framework import ops` then
`ops.reset_default_graph()` opens 66 of the 75 programs of one well-known TF1 cookbook. TF's internal modules
are what its public namespaces are assembled from, so here each internal path is a module whose names are
looked up in the raygraph namespaces that hold them (`raygraph.python.ops.math_ops.reduce_sum` is
`tf.math.reduce_sum`, else `tf.reduce_sum`). `MODULES` is the whole mapping; a name none of a module's
namespaces has is an AttributeError naming the module and where it looked, and an internal path not listed is
a ModuleNotFoundError, as for any module that does not exist.
"""
import importlib
import importlib.abc
import importlib.machinery
import sys
import types

# internal module under `tensorflow.python` -> the raygraph namespaces ("" is `tf` itself) searched in order,
# and names whose public spelling differs ({internal name: public name}, looked up the same way)
MODULES = {
    "framework.ops": ("",), "framework.dtypes": ("dtypes",), "framework.tensor_shape": ("shape",),
    "framework.constant_op": ("",), "framework.errors": ("errors",), "framework.errors_impl": ("errors",),
    "framework.graph_util": ("graph_util",), "framework.graph_io": ("train",), "framework.importer": ("",),
    "framework.random_seed": ("",), "framework.sparse_tensor": ("",), "framework.tensor_spec": ("",),
    "framework.tensor_util": ("",), "framework.meta_graph": ("train",), "framework.versions": ("versions",),
    "ops.array_ops": ("",), "ops.math_ops": ("math", ""), "ops.nn": ("nn",), "ops.nn_ops": ("nn",),
    "ops.nn_impl": ("nn",), "ops.init_ops": ("initializers", ""), "ops.variable_scope": ("",),
    "ops.variables": ("",), "ops.state_ops": ("",), "ops.control_flow_ops": ("",), "ops.random_ops": ("random", ""),
    "ops.rnn": ("nn",), "ops.rnn_cell": ("nn.rnn_cell",), "ops.rnn_cell_impl": ("nn.rnn_cell",),
    "ops.embedding_ops": ("nn",), "ops.clip_ops": ("",), "ops.data_flow_ops": ("",), "ops.sparse_ops": ("sparse", ""),
    "ops.string_ops": ("strings", ""), "ops.logging_ops": ("",), "ops.check_ops": ("debugging", ""),
    "ops.functional_ops": ("",), "ops.map_fn": ("",), "ops.gradients": ("",), "ops.gradients_impl": ("",),
    "ops.image_ops": ("image",), "ops.io_ops": ("io", ""), "ops.parsing_ops": ("io", ""), "ops.linalg_ops": ("linalg", ""),
    "ops.partitioned_variables": ("",), "ops.resource_variable_ops": ("",), "ops.tensor_array_ops": ("",),
    "ops.special_math_ops": ("",), "ops.standard_ops": ("",), "ops.template": ("",), "ops.sort_ops": ("",),
    "ops.histogram_ops": ("",), "ops.script_ops": ("",), "ops.confusion_matrix": ("math", ""), "ops.ctc_ops": ("nn",),
    "ops.candidate_sampling_ops": ("nn", "random"), "ops.lookup_ops": ("lookup", ""),
    "ops.metrics": ("metrics",), "ops.losses.losses": ("losses",),
    "layers.utils": ("layers.arguments",), "summary.summary": ("summary",), "client.session": ("",), "client.timeline": ("client.timeline",),
    "client.device_lib": ("client.device_lib",),
    "platform.gfile": ("gfile",), "platform.tf_logging": ("logging",), "platform.flags": ("flags",),
    "platform.app": ("app",), "platform.test": ("test",), "platform.googletest": ("test",),
    **{f"feature_column.{m}": ("feature_column",) for m in (
        "feature_column", "feature_column_v2", "feature_column_lib", "sequence_feature_column")},
    "lib.io.tf_record": ("python_io",), "util.compat": ("compat",), "saved_model.saved_model": ("saved_model",),
    **{f"saved_model.{m}": (f"saved_model.{m}",) for m in ("builder", "loader", "tag_constants",
                                                          "signature_constants", "signature_def_utils", "utils")},
    **{f"training.{m}": ("train",) for m in (
        "training", "saver", "training_util", "moving_averages", "optimizer", "gradient_descent", "adam", "momentum",
        "adagrad", "adadelta", "rmsprop", "ftrl", "proximal_gradient_descent", "proximal_adagrad",
        "learning_rate_decay", "monitored_session", "session_run_hook", "basic_session_run_hooks", "coordinator",
        "queue_runner", "queue_runner_impl", "input", "checkpoint_utils", "checkpoint_management",
        "sync_replicas_optimizer", "device_setter", "server_lib", "session_manager", "supervisor")},
}
RENAMED = {"framework.tensor_util": {"MakeNdarray": "make_ndarray", "constant_value": "get_static_value"}}
# contrib's internal paths, under `tensorflow` (`from tensorflow.contrib.layers.python.layers import batch_norm`):
# TF 1.15's contrib.layers re-exports its python/layers modules whole, so each is tf.contrib.layers' namespace
CONTRIB = {f"contrib.layers.python.layers{m}": ("contrib.layers",) for m in (
    "", ".layers", ".initializers", ".regularizers", ".optimizers", ".normalization", ".summaries")}
CONTRIB["contrib.layers.python.layers.utils"] = ("contrib.layers_utils",)
_ALL = {**{f"python.{path}": namespaces for path, namespaces in MODULES.items()}, **CONTRIB}
PACKAGES = {path.rsplit(".", i)[0] for path in _ALL for i in range(1, path.count(".") + 1)}


def _namespace(path):
    """raygraph's namespace at a dotted path ("" is raygraph): its module where there is one (`raygraph.shape`
    the module, not `tf.shape` the function), else the attribute (`tf.nn.rnn_cell`)."""
    try:
        return importlib.import_module(f"raygraph.{path}" if path else "raygraph")
    except ModuleNotFoundError:
        parent, _, name = path.rpartition(".")
        return getattr(_namespace(parent), name)


class InternalModule(types.ModuleType):
    """One TF internal module: its names are read from `namespaces` when first asked for."""

    def __init__(self, name, namespaces, renamed):
        super().__init__(name, f"TF's {name.replace('raygraph', 'tensorflow', 1)}: names from raygraph's "
                               + ", ".join(f"tf.{n}" if n else "tf" for n in namespaces))
        self._namespaces, self._renamed = namespaces, renamed

    def __getattr__(self, name):
        inner = f"{self.__name__}.{name}"[len(_Finder.PREFIX):]
        if inner in _ALL or inner in PACKAGES:   # a submodule, as TF's package __init__s import theirs
            return importlib.import_module(f"{self.__name__}.{name}")
        if name.startswith("__") or not self._namespaces:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        public = self._renamed.get(name, name)
        for path in self._namespaces:
            ns = _namespace(path)
            if hasattr(ns, public):
                value = getattr(ns, public)
                setattr(self, name, value)  # found once: later reads are plain attribute reads
                return value
        raise AttributeError(f"module {self.__name__!r} has no attribute {name!r} (raygraph looked for it in "
                             + ", ".join(f"tf.{n}" if n else "tf" for n in self._namespaces) + ")")

    def __dir__(self):
        return sorted({n for path in self._namespaces for n in dir(_namespace(path)) if not n.startswith("_")})


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Makes `raygraph.python.<path>` importable for every path of MODULES, `raygraph.<path>` for every path of
    CONTRIB, and every package above one (those that are raygraph's own modules are found as they are)."""

    PREFIX = "raygraph."

    def find_spec(self, fullname, path=None, target=None):
        inner = fullname[len(self.PREFIX):] if fullname.startswith(self.PREFIX) else None
        if inner in _ALL or inner in PACKAGES:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=inner in PACKAGES)
        return None

    def create_module(self, spec):
        inner = spec.name[len(self.PREFIX):]
        short = inner.removeprefix("python.")
        return InternalModule(spec.name, _ALL.get(inner, ()), RENAMED.get(short, {}) if short != inner else {})

    def exec_module(self, module):
        pass


if not any(isinstance(f, _Finder) for f in sys.meta_path):
    sys.meta_path.append(_Finder())
