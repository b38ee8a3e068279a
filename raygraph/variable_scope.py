"""`variable_scope` and `get_variable`: TF1's named variable sharing.

Each graph keeps a variable store (full name -> Variable) and a current VariableScope (name, reuse,
default initializer...). `get_variable` names variables by variable scope only (name scopes are
ignored), creates them when allowed and returns the existing one when reuse is on.
"""
import contextlib

import numpy as np

from . import dtypes
from .default_graph import name_scope
from .graph import GraphKeys, get_default_graph
from .shape import as_shape
from .variables import Variable
from .initializers import GlorotUniform, Zeros
from .partitioned_variables import make as make_partitioned, slicing


class _ReuseMode:
    def __repr__(self):
        return "AUTO_REUSE"


AUTO_REUSE = _ReuseMode()


class VariableScope:
    """A variable scope: its name and the defaults get_variable uses inside it."""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, caching_device=None, partitioner=None,
                 custom_getter=None, name_scope="", dtype=dtypes.float32, use_resource=None, constraint=None):
        self._name = name
        self._reuse = reuse
        self._initializer = initializer
        self._regularizer = regularizer
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtype
        self._use_resource = use_resource
        self._constraint = constraint

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._name_scope)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    regularizer = property(lambda self: self._regularizer)
    caching_device = property(lambda self: self._caching_device)
    partitioner = property(lambda self: self._partitioner)
    custom_getter = property(lambda self: self._custom_getter)
    dtype = property(lambda self: self._dtype)
    use_resource = property(lambda self: self._use_resource)
    constraint = property(lambda self: self._constraint)

    def reuse_variables(self):
        self._reuse = True

    def set_initializer(self, initializer):
        self._initializer = initializer

    def set_regularizer(self, regularizer):
        self._regularizer = regularizer

    def set_dtype(self, dtype):
        self._dtype = dtype

    def set_caching_device(self, caching_device):
        self._caching_device = caching_device

    def set_partitioner(self, partitioner):
        self._partitioner = partitioner

    def set_custom_getter(self, custom_getter):
        self._custom_getter = custom_getter

    def global_variables(self):
        return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, self._name)

    def trainable_variables(self):
        return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, self._name)

    def local_variables(self):
        return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, self._name)

    def get_variable(self, name, shape=None, dtype=None, initializer=None, regularizer=None, reuse=None,
                     trainable=None, collections=None, caching_device=None, partitioner=None,
                     validate_shape=True, use_resource=None, custom_getter=None, constraint=None, **kwargs):
        full_name = self._name + "/" + name if self._name else name
        if reuse is None or reuse is False:
            reuse = self._reuse
        dtype = dtypes.as_dtype(dtype if dtype is not None else self._dtype)
        initializer = initializer if initializer is not None else self._initializer
        regularizer = regularizer if regularizer is not None else self._regularizer
        caching_device = caching_device if caching_device is not None else self._caching_device
        partitioner = partitioner if partitioner is not None else self._partitioner
        getter = custom_getter or self._custom_getter
        with name_scope(None):
            store = _store()
            kwargs = dict(shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer, reuse=reuse,
                          trainable=trainable, collections=collections, caching_device=caching_device,
                          validate_shape=validate_shape, constraint=constraint)
            if partitioner is not None:
                kwargs["partitioner"] = partitioner
            if getter is not None:
                return getter(store.get_variable, full_name, **kwargs)
            return store.get_variable(full_name, **kwargs)


class _VariableStore:
    """The variables made by get_variable in one graph, by full name."""

    def __init__(self):
        self.vars = {}
        self.partitioned = {}  # name -> PartitionedVariable
        self.scope_counts = {}

    def get_variable(self, name, shape=None, dtype=dtypes.float32, initializer=None, regularizer=None,
                     reuse=None, trainable=None, collections=None, caching_device=None, validate_shape=True,
                     constraint=None, partitioner=None, partition_info=None, **kwargs):
        if partitioner is not None and not (isinstance(shape, (list, tuple)) and not shape):
            if not callable(partitioner):
                raise ValueError(f"Partitioner must be callable, but received: {partitioner}")
            return self._partitioned(name, partitioner, shape, dtype, initializer, reuse, dict(
                regularizer=regularizer, trainable=trainable, collections=collections,
                caching_device=caching_device, validate_shape=validate_shape, constraint=constraint))
        if name in self.vars:
            return self._existing(name, shape, dtype, reuse)
        if reuse is True:
            raise ValueError(f"Variable {name} does not exist, or was not created with tf.get_variable(). Did "
                             f"you mean to set reuse=tf.AUTO_REUSE in VarScope?")
        from_value = initializer is not None and not callable(initializer)
        if from_value and shape is not None:
            raise ValueError("If initializer is a constant, do not specify shape.")
        shape = as_shape(shape)
        if not from_value and not shape.is_fully_defined() and validate_shape:
            raise ValueError(f"Shape of a new variable ({name}) must be fully defined, but instead was {shape}.")
        if initializer is None:
            initializer = _default_initializer(name, dtype)
        if from_value:
            init_val, var_dtype = initializer, None
        else:
            if isinstance(initializer, type):
                initializer = initializer(dtype=dtype)
            init_val = (lambda: initializer(shape.as_list(), dtype=dtype)) if partition_info is None else \
                (lambda: initializer(shape.as_list(), dtype=dtype, partition_info=partition_info))
            var_dtype = dtype.base_dtype
        if trainable is None:
            trainable = True
        v = Variable(initial_value=init_val, name=name, trainable=trainable, collections=collections,
                     caching_device=caching_device, dtype=var_dtype, validate_shape=validate_shape,
                     constraint=constraint)
        self.vars[name] = v
        if regularizer is not None:
            with name_scope(name + "/Regularizer/"):
                loss = regularizer(v)
            if loss is not None:
                get_default_graph().add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
        return v

    def _partitioned(self, name, partitioner, shape, dtype, initializer, reuse, rest):
        """TF's _get_partitioned_variable: the parts `name/part_<i>`, made or shared."""
        if name in self.vars:
            raise ValueError(f"A partitioner was provided, but an unpartitioned version of the variable was found: "
                             f"{name}.  Perhaps a variable of the same name was already created without "
                             f"partitioning?")
        shape = as_shape(shape)
        partitions = slicing(partitioner, shape, dtype)
        if name in self.partitioned:
            existing = self.partitioned[name]
            if reuse is not True and reuse is not AUTO_REUSE:
                raise ValueError(f"Partitioned variable with name {name} already exists. Did you mean to set "
                                 f"reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
            if not shape.is_compatible_with(existing.get_shape()):
                raise ValueError(f"Trying to reuse partitioned variable {name}, but specified shape {shape} and "
                                 f"found shape {existing.get_shape()}.")
            if existing._get_partitions() != partitions:
                raise ValueError(f"Trying to reuse partitioned variable {name}, but specified partitions "
                                 f"{partitions} and found partitions {existing._get_partitions()}.")
            return existing
        if reuse is True:
            raise ValueError(f"PartitionedVariable {name} does not exist, or was not created with tf.get_variable()."
                             f" Did you mean to set reuse=False or reuse=tf.AUTO_REUSE in VarScope?")

        def part(part_name, part_shape, info):
            init = initializer
            if init is not None and not callable(init):  # a value: this part's slice of it
                init = np.asarray(init)[tuple(slice(o, o + n) for o, n in zip(info.var_offset, part_shape))]
                return self.get_variable(part_name, None, dtype, init, reuse=reuse, **rest)
            return self.get_variable(part_name, part_shape, dtype, init, reuse=reuse, partition_info=info, **rest)
        self.partitioned[name] = made = make_partitioned(name, shape, dtypes.as_dtype(dtype), partitions, part)
        return made

    def _existing(self, name, shape, dtype, reuse):
        v = self.vars[name]
        if reuse is not True and reuse is not AUTO_REUSE:
            where = "".join(f'  File "{f}", line {n}, in {fn}\n' for f, n, fn in v.op._traceback[-3:])
            raise ValueError(f"Variable {name} already exists, disallowed. Did you mean to set reuse=True or "
                             f"reuse=tf.AUTO_REUSE in VarScope? Originally defined at:\n\n{where}")
        if shape is not None and not as_shape(shape).is_compatible_with(v.shape):
            raise ValueError(f"Trying to share variable {name}, but specified shape {as_shape(shape)} and found "
                             f"shape {v.shape}.")
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(v.dtype.base_dtype):
            raise ValueError(f"Trying to share variable {name}, but specified dtype {dtypes.as_dtype(dtype).name} "
                             f"and found dtype {v.dtype.base_dtype.name}.")
        return v


def _default_initializer(name, dtype):
    if dtype.is_floating:
        return GlorotUniform()
    if dtype.is_integer or dtype.is_bool or dtype == dtypes.string:
        return Zeros(dtype=dtype)
    raise ValueError(f"An initializer for variable {name} of {dtype.base_dtype} is required")


def _store():
    ref = get_default_graph().get_collection_ref(("__variable_store",))
    if not ref:
        ref.append(_VariableStore())
    return ref[0]


def get_variable_scope():
    """The current VariableScope (the root scope, named "", if none was entered)."""
    ref = get_default_graph().get_collection_ref(("__varscope",))
    if not ref:
        ref.append(VariableScope(False))
    return ref[0]


def _set_scope(scope):
    ref = get_default_graph().get_collection_ref(("__varscope",))
    if ref:
        ref[0] = scope
    else:
        ref.append(scope)


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None,
                 collections=None, caching_device=None, partitioner=None, validate_shape=True, use_resource=None,
                 custom_getter=None, constraint=None, **kwargs):
    """The variable `name` in the current variable scope: created, or shared when the scope reuses."""
    return get_variable_scope().get_variable(
        name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer, trainable=trainable,
        collections=collections, caching_device=caching_device, partitioner=partitioner,
        validate_shape=validate_shape, use_resource=use_resource, custom_getter=custom_getter,
        constraint=constraint)


def get_local_variable(name, shape=None, dtype=None, initializer=None, **kwargs):
    kwargs.pop("trainable", None)
    collections = list(kwargs.pop("collections", None) or []) + [GraphKeys.LOCAL_VARIABLES]
    return get_variable(name, shape, dtype, initializer, trainable=False, collections=collections, **kwargs)


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None, regularizer=None,
                   caching_device=None, partitioner=None, custom_getter=None, reuse=None, dtype=None,
                   use_resource=None, constraint=None, auxiliary_name_scope=True):
    """Enters a variable scope (and a name scope): names and sharing rules for get_variable."""
    if name_or_scope is None and default_name is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    if reuse is False:
        reuse = None
    parent = get_variable_scope()
    counts = _store().scope_counts  # full scope name -> times entered (TF's variable_scopes_count)
    if isinstance(name_or_scope, VariableScope):
        name = name_or_scope.name
        ns_name = name.split("/")[-1]
        template = name_or_scope
    elif name_or_scope is not None:
        ns_name = name_or_scope
        name = _join(parent.name, name_or_scope)
        template = parent
    else:
        if reuse:
            raise ValueError("reuse=True cannot be used without a name_or_scope")
        ns_name = default_name  # the name scope is uniquified by the graph, the variable scope by the counts
        name = _join(parent.name, _unique_scope_name(parent.name, default_name, counts))
        template = parent
    # TF: a scope object re-entered keeps its own flag, a new sub-scope inherits its parent's, unless `reuse`
    # (True or AUTO_REUSE) is given, which wins even inside a reusing scope
    reuse = reuse or template.reuse
    # an empty name (the root scope, "") opens no name scope: ops keep the current one, as in TF
    scope_cm = name_scope(ns_name, values=values) if auxiliary_name_scope and ns_name else _current_name_scope()
    with scope_cm as entered:
        scope = VariableScope(
            reuse, name, initializer if initializer is not None else template.initializer,
            regularizer if regularizer is not None else template.regularizer,
            caching_device if caching_device is not None else template.caching_device,
            partitioner if partitioner is not None else template.partitioner,
            custom_getter if custom_getter is not None else template.custom_getter,
            name_or_scope.original_name_scope if isinstance(name_or_scope, VariableScope) else entered,
            dtypes.as_dtype(dtype) if dtype is not None else template.dtype,
            use_resource if use_resource is not None else template.use_resource,
            constraint if constraint is not None else template.constraint)
        counts[name] = counts.get(name, 0) + 1
        saved = dict(counts) if isinstance(name_or_scope, VariableScope) else None
        _set_scope(scope)
        try:
            yield scope
        finally:
            _set_scope(parent)
            if saved is not None:  # re-entering a scope object forgets the sub-scopes opened inside it
                counts.clear()
                counts.update(saved)
            else:  # leaving a named scope: its sub-scope names start counting afresh next time
                for key in counts:
                    if key.startswith(name + "/"):
                        counts[key] = 0


def _join(parent, name):
    return parent + "/" + name if parent else name


def _unique_scope_name(parent, prefix, counts):
    """`prefix`, or `prefix_<i>` with the first i whose scope was never entered (TF's _get_unique_variable_scope)."""
    full = _join(parent, prefix)
    if counts.get(full, 0) == 0:
        return prefix
    i = 1
    while counts.get(f"{full}_{i}", 0) > 0:
        i += 1
    return f"{prefix}_{i}"


@contextlib.contextmanager
def _current_name_scope():
    current = get_default_graph().get_name_scope()
    yield current + "/" if current else ""


variable_op_scope = variable_scope


def no_regularizer(_):
    """A regularizer that adds no loss (so get_variable skips the scope's regularizer)."""
    return None
