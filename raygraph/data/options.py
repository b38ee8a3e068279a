"""`tf.data.Options` and its parts: plain records of typed settings, each None (TF's default) until set, and
the enums they use. A dataset carries the merge of the options given to `with_options` on its way; raygraph
reads none of them (it has no graph rewrites or thread pools to tune), as TF's CPU runtime ignores most."""
import enum


class AutotuneAlgorithm(enum.Enum):
    DEFAULT = 0
    HILL_CLIMB = 1
    GRADIENT_DESCENT = 2
    MAX_PARALLELISM = 3
    STAGE_BASED = 4


class AutoShardPolicy(enum.IntEnum):
    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class ExternalStatePolicy(enum.Enum):
    WARN = 0
    IGNORE = 1
    FAIL = 2


class OptionsBase:
    """Typed settings: `_FIELDS` maps each name to (type, default factory or None)."""

    _FIELDS = {}

    def __init__(self):
        object.__setattr__(self, "_mutable", True)
        for name, (_, factory) in self._FIELDS.items():
            object.__setattr__(self, name, factory() if factory else None)

    def __setattr__(self, name, value):
        if not self._mutable:
            raise ValueError("Mutating `tf.data.Options()` returned by `tf.data.Dataset.options()` has no effect. "
                             "Use `tf.data.Dataset.with_options(options)` to set or update dataset options.")
        if name not in self._FIELDS:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")
        ty = self._FIELDS[name][0]
        if value is not None and not isinstance(value, ty):
            raise TypeError(f"Property \"{name}\" must be of type {ty}, got: {value} (type: {type(value)}).")
        object.__setattr__(self, name, value)

    def __eq__(self, other):
        if not isinstance(other, type(self)):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self._FIELDS)

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None

    def _merge(self, other):
        """A copy of self with every setting `other` has made (nested options merged the same way)."""
        out = type(self)()
        for name, (ty, _) in self._FIELDS.items():
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, OptionsBase):
                value = mine._merge(theirs)
            else:
                value = theirs if theirs is not None else mine
            object.__setattr__(out, name, value)
        return out

    def _frozen(self):
        out = self._merge(type(self)())
        for name in self._FIELDS:
            value = getattr(out, name)
            if isinstance(value, OptionsBase):
                object.__setattr__(out, name, value._frozen())
        object.__setattr__(out, "_mutable", False)
        return out


def _fields(*names, ty=bool):
    return {n: (ty, None) for n in names}


class AutotuneOptions(OptionsBase):
    _FIELDS = {**_fields("enabled"), **_fields("cpu_budget", "ram_budget", "initial_parallelism", "min_parallelism",
                                               ty=int), "autotune_algorithm": (AutotuneAlgorithm, None)}


class DistributeOptions(OptionsBase):
    _FIELDS = {"auto_shard_policy": (AutoShardPolicy, lambda: AutoShardPolicy.AUTO), "num_devices": (int, None)}


class OptimizationOptions(OptionsBase):
    _FIELDS = _fields("apply_default_optimizations", "filter_fusion", "filter_parallelization", "inject_prefetch",
                      "seq_interleave_prefetch", "map_and_batch_fusion", "map_and_filter_fusion", "map_fusion",
                      "map_parallelization", "noop_elimination", "parallel_batch", "shuffle_and_repeat_fusion")


class ServiceOptions(OptionsBase):
    _FIELDS = _fields("pinned")


class ThreadingOptions(OptionsBase):
    _FIELDS = _fields("max_intra_op_parallelism", "private_threadpool_size", ty=int)


class Options(OptionsBase):
    """A dataset's options (`Dataset.with_options`, `Dataset.options`)."""

    _FIELDS = {"autotune": (AutotuneOptions, AutotuneOptions), **_fields(
        "deterministic", "experimental_deterministic", "experimental_slack", "experimental_symbolic_checkpoint",
        "experimental_warm_start"),
        "experimental_distribute": (DistributeOptions, DistributeOptions),
        "experimental_external_state_policy": (ExternalStatePolicy, None),
        "experimental_optimization": (OptimizationOptions, OptimizationOptions),
        "experimental_service": (ServiceOptions, ServiceOptions),
        "experimental_threading": (ThreadingOptions, None), "dataset_name": (str, None),
        "framework_type": (list, None), "threading": (ThreadingOptions, ThreadingOptions)}

    def merge(self, options):
        """These options with those set in `options` (theirs win)."""
        return self._merge(options)
