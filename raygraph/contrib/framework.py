"""`tf.contrib.framework`: argument scopes and the variable functions, as TF 1.15 (and tf_slim after it) had them.

Argument scopes' state: a stack of scopes, each a dict {function key: {argument: default}}; the top one is
current. `arg_scope` pushes a copy of the current scope updated with its defaults for the listed functions and
pops it on exit. A function decorated with `add_arg_scope` looks itself up in the current scope on each call:
explicit keyword arguments win over the scope's defaults. A function's key is `str()` of the undecorated function.

    with arg_scope([conv2d, fully_connected], activation_fn=None):
        net = conv2d(images, 32, [3, 3])          # activation_fn=None
"""
import contextlib
import functools
import re
import types

import numpy as np

from .. import dtypes, train
from .. import nest as _nest
from ..convert import convert_to_tensor
from ..default_graph import add_to_collection, get_collection, name_scope
from ..default_graph import device as device_scope
from ..logging import warning
from ..graph import GraphKeys, get_default_graph
from ..ops.array import identity, placeholder, rank, reshape, shape, size
from ..ops.control import Assert, group
from ..ops.math import equal, logical_and, logical_or
from ..ops.reduction import reduce_all
from ..tensor import Tensor
from ..variable_scope import VariableScope, get_variable, get_variable_scope
from ..variables import Variable

_ARG_STACK = [{}]
_DECORATED = {}  # function key -> the names of the arguments arg_scope may set


# ----- argument scopes --------------------------------------------------------------------------------------
def _stack():
    if not _ARG_STACK:
        _ARG_STACK.append({})
    return _ARG_STACK


def current_arg_scope():
    """The current scope: {function key: {argument: default}}."""
    return _stack()[-1]


def arg_scope_func_key(op):
    return getattr(op, "_key_op", str(op))


def has_arg_scope(func):
    """Whether `func` was decorated with `add_arg_scope`."""
    return arg_scope_func_key(func) in _DECORATED


def arg_scoped_arguments(func):
    """The names of the arguments an arg_scope can set for `func`."""
    assert has_arg_scope(func)
    return _DECORATED[arg_scope_func_key(func)]


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Sets default arguments for the listed decorated functions (or re-enters a scope dict it yielded before).

    As in TF, a bad list still pops the stack on the way out (the enclosing scope's entry)."""
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError("When attempting to re-use a scope by suppling adictionary, kwargs must be empty.")
        scope = list_ops_or_scope.copy()
        try:
            _stack().append(scope)
            yield scope
        finally:
            _stack().pop()
        return
    try:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError("list_ops_or_scope must either be a list/tuple or reused scope (i.e. dict)")
        scope = current_arg_scope().copy()
        for op in list_ops_or_scope:
            key = arg_scope_func_key(op)
            if not has_arg_scope(op):
                raise ValueError("%s is not decorated with @add_arg_scope", (op.__module__, op.__name__))
            scope[key] = {**scope.get(key, {}), **kwargs}
        _stack().append(scope)
        yield scope
    finally:
        _stack().pop()


def add_arg_scope(func):
    """Decorates `func` so that an enclosing `arg_scope` can set its keyword arguments' defaults."""
    key = arg_scope_func_key(func)

    @functools.wraps(func)
    def func_with_args(*args, **kwargs):
        scope = current_arg_scope()
        if key in scope:
            kwargs = {**scope[key], **kwargs}
        return func(*args, **kwargs)

    # TF's slice, counted from the end of co_varnames (locals included): kept as it is
    code = func.__code__
    _DECORATED[key] = code.co_varnames[-len(func.__defaults__ or ()):code.co_argcount]
    func_with_args._key_op = key
    return func_with_args


# ----- variables --------------------------------------------------------------------------------------------
@add_arg_scope
def variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=True, collections=None,
             caching_device=None, device=None, partitioner=None, custom_getter=None, use_resource=None,
             synchronization=None, aggregation=None):
    """`get_variable` in `collections` (default GLOBAL_VARIABLES) on `device`, through `custom_getter` if given."""
    collections = list(dict.fromkeys(collections if collections is not None else [GraphKeys.GLOBAL_VARIABLES]))
    getter = get_variable
    if custom_getter is not None:
        getter = functools.partial(custom_getter, reuse=get_variable_scope().reuse)
    with device_scope(device or ""):
        return getter(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                      trainable=trainable, collections=collections, caching_device=caching_device,
                      partitioner=partitioner)


@add_arg_scope
def model_variable(name, shape=None, dtype=dtypes.float32, initializer=None, regularizer=None, trainable=True,
                   collections=None, caching_device=None, device=None, partitioner=None, custom_getter=None,
                   use_resource=None, synchronization=None, aggregation=None):
    """A `variable` also in GLOBAL_VARIABLES and MODEL_VARIABLES."""
    collections = list(collections or []) + [GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES]
    return variable(name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                    trainable=trainable, collections=collections, caching_device=caching_device, device=device,
                    partitioner=partitioner, custom_getter=custom_getter)


def add_model_variable(var):
    """Adds `var` to MODEL_VARIABLES (once)."""
    if var not in get_collection(GraphKeys.MODEL_VARIABLES):
        add_to_collection(GraphKeys.MODEL_VARIABLES, var)


def local_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A non-trainable variable in LOCAL_VARIABLES."""
    return Variable(initial_value, trainable=False, collections=[GraphKeys.LOCAL_VARIABLES],
                    validate_shape=validate_shape, use_resource=use_resource, name=name)


def global_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A non-trainable variable in GLOBAL_VARIABLES."""
    return Variable(initial_value, trainable=False, collections=[GraphKeys.GLOBAL_VARIABLES],
                    validate_shape=validate_shape, use_resource=use_resource, name=name)


# ----- finding variables ------------------------------------------------------------------------------------
def get_variables(scope=None, suffix=None, collection=GraphKeys.GLOBAL_VARIABLES):
    """The variables of `collection` whose names match `scope` (a prefix regex) and, then, end in `suffix`."""
    if scope and isinstance(scope, VariableScope):
        scope = scope.name
    if suffix is not None:
        if ":" not in suffix:
            suffix += ":"
        scope = (scope or "") + ".*" + suffix
    return get_collection(collection, scope)


def get_model_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, GraphKeys.MODEL_VARIABLES)


def get_local_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, GraphKeys.LOCAL_VARIABLES)


def get_trainable_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, GraphKeys.TRAINABLE_VARIABLES)


def get_variables_to_restore(include=None, exclude=None):
    """The global variables under the `include` scopes (all by default) and under none of the `exclude` scopes."""
    if include is None:
        included = get_variables()
    else:
        if not isinstance(include, (list, tuple)):
            raise TypeError("include is provided but is not a list or a tuple.")
        included = [v for scope in include for v in get_variables(scope)]
    excluded = set()
    if exclude is not None:
        if not isinstance(exclude, (list, tuple)):
            raise TypeError("exclude is provided but is not a list or a tuple.")
        for scope in exclude:
            excluded |= set(get_variables(scope))
    return [v for v in included if v not in excluded]


def get_variables_by_suffix(suffix, scope=None):
    return get_variables(scope=scope, suffix=suffix)


def get_variables_by_name(given_name, scope=None):
    """The variables named `given_name` inside any scope."""
    return get_variables(scope=scope, suffix="/" + given_name + ":|^" + given_name + ":")


def get_unique_variable(var_op_name):
    """The global variable whose op is named `var_op_name`."""
    candidates = get_variables(scope=var_op_name)
    if not candidates:
        raise ValueError(f"Couldn't find variable {var_op_name}")
    for candidate in candidates:
        if candidate.op.name == var_op_name:
            return candidate
    raise ValueError(f"Variable {var_op_name} does not uniquely identify a variable")


def get_variable_full_name(var):
    """The name a checkpoint gives `var`: its op's, or its partitioned variable's for a slice."""
    if var._save_slice_info:
        return var._save_slice_info.full_name
    return var.op.name


def filter_variables(var_list, include_patterns=None, exclude_patterns=None, reg_search=True):
    """The variables whose names match one of `include_patterns` (all if None) and none of `exclude_patterns`."""
    matches = re.search if reg_search else re.match
    included = list(var_list) if include_patterns is None else [
        v for v in var_list if any(matches(p, v.name) for p in include_patterns)]
    if exclude_patterns is None:
        return included
    return [v for v in included if not any(matches(p, v.name) for p in exclude_patterns)]


# ----- the global step and assignments ----------------------------------------------------------------------
def assert_global_step(global_step_tensor):
    train.assert_global_step(global_step_tensor)


def assert_or_get_global_step(graph=None, global_step_tensor=None):
    if global_step_tensor is None:
        return get_global_step(graph)
    assert_global_step(global_step_tensor)
    return global_step_tensor


def get_global_step(graph=None):
    return train.get_global_step(graph)


def create_global_step(graph=None):
    return train.create_global_step(graph)


def get_or_create_global_step(graph=None):
    return train.get_or_create_global_step(graph)


def _assign_placeholder(var, assign_ops):
    value = placeholder(dtype=var.dtype.base_dtype, shape=var.get_shape(), name="placeholder/" + var.op.name)
    assign_ops.append(var.assign(value))
    return value


def assign_from_values(var_names_to_values):
    """(an op assigning each named global variable its value, the feed dict holding the values)."""
    feed_dict, assign_ops = {}, []
    for var_name, value in var_names_to_values.items():
        found = get_collection(GraphKeys.GLOBAL_VARIABLES, var_name)
        if not found:
            raise ValueError(f"Variable {var_name} wasn't found")
        if len(found) > 1:  # the collection's filter matches a prefix: look for the exact name
            exact = [v for v in found if v.op.name == var_name]
            if not exact:
                raise ValueError(f"Variable {var_name} doesn't uniquely identify a variable")
            found = exact
        var = found[0]
        feed_dict[_assign_placeholder(var, assign_ops)] = value.reshape(var.get_shape())
    return group(*assign_ops), feed_dict


def assign_from_values_fn(var_names_to_values):
    """A function of a session that runs `assign_from_values`' assignments."""
    assign_op, feed_dict = assign_from_values(var_names_to_values)
    return lambda session: session.run(assign_op, feed_dict)


def assign_from_checkpoint(model_path, var_list, ignore_missing_vars=False):
    """(an op assigning the variables their values in the checkpoint at `model_path`, the feed dict holding them).

    `var_list`: variables, or a dict {name in the checkpoint: variable or list of variables}."""
    if isinstance(var_list, (tuple, list)):
        grouped = {}
        for var in var_list:
            grouped.setdefault(get_variable_full_name(var), []).append(var)
    else:
        grouped = {k: list(v) if isinstance(v, (tuple, list)) else [v] for k, v in var_list.items()}
    reader = train.NewCheckpointReader(model_path)
    feed_dict, assign_ops = {}, []
    for ckpt_name, variables in grouped.items():
        if not reader.has_tensor(ckpt_name):
            if ignore_missing_vars:
                warning(f"Checkpoint is missing variable [{ckpt_name}]")
                continue
            raise ValueError(f"Checkpoint is missing variable [{ckpt_name}]")
        ckpt_value = reader.get_tensor(ckpt_name)
        for var in variables:
            value = _assign_placeholder(var, assign_ops)
            info = var._save_slice_info
            if info:
                ckpt_slice = tuple(slice(start, start + size) for start, size in zip(info.var_offset, info.var_shape))
                feed_dict[value] = ckpt_value[ckpt_slice].reshape(info.var_shape)
                continue
            if var.get_shape() != ckpt_value.shape:
                raise ValueError(f"Total size of new array must be unchanged for {ckpt_name} lh_shape: "
                                 f"[{ckpt_value.shape}], rh_shape: [{var.get_shape()}]")
            feed_dict[value] = ckpt_value
    return group(*assign_ops), feed_dict


def assign_from_checkpoint_fn(model_path, var_list, ignore_missing_vars=False, reshape_variables=False):
    """A function of a session that restores `var_list` from the checkpoint at `model_path` (with a Saver); None
    when `ignore_missing_vars` leaves no variable to restore."""
    if not var_list:
        raise ValueError("var_list cannot be empty")
    if ignore_missing_vars:
        reader = train.NewCheckpointReader(model_path)
        var_dict = var_list if isinstance(var_list, dict) else {var.op.name: var for var in var_list}
        var_list = {}
        for name, var in var_dict.items():
            if reader.has_tensor(name):
                var_list[name] = var
            else:
                warning(f"Variable {name} missing in checkpoint {model_path}")
    if not var_list:
        warning("No Variables to restore")
        return None
    saver = train.Saver(var_list, reshape=reshape_variables, write_version=train.SaverDef.V1)
    return lambda session: saver.restore(session, model_path)


# TF 1.15's contrib.framework re-exports the checkpoint readers of tf.train, and `nest` (tf.nest, with the older
# spelling `is_sequence` of `is_nested`)
list_variables = train.list_variables
load_checkpoint = train.load_checkpoint
load_variable = train.load_variable
init_from_checkpoint = train.init_from_checkpoint
nest = types.ModuleType(__name__ + ".nest", "TF's nested-structure utilities, as `tf.contrib.framework.nest`.")
nest.__dict__.update({k: v for k, v in vars(_nest).items() if callable(v) and not k.startswith("_")})
nest.is_sequence = _nest.is_nested


# ----- tensor_util's shape checks ---------------------------------------------------------------------------
def with_shape(expected_shape, tensor):
    """`tensor`, checked to have `expected_shape` (int32: a list, or a tensor; -1 for any size): at build time when
    both are known (ValueError), else through an Assert the returned identity depends on."""
    dynamic = isinstance(expected_shape, Tensor)
    if dynamic and expected_shape.dtype.base_dtype != dtypes.int32:
        raise ValueError(f"Invalid dtype {expected_shape.dtype} for shape {expected_shape} expected of tensor "
                         f"{tensor.name}.")
    if isinstance(expected_shape, (list, tuple)):
        given = np.asarray(expected_shape)
        expected_shape = np.asarray(expected_shape, dtype=np.int32) if not len(expected_shape) or \
            given.dtype == np.int64 else given
    if isinstance(expected_shape, np.ndarray):
        if expected_shape.ndim > 1:
            raise ValueError(f"Invalid rank {expected_shape.ndim} for shape {expected_shape} expected of tensor "
                             f"{tensor.name}.")
        if expected_shape.dtype != np.int32:
            raise ValueError(f"Invalid dtype {expected_shape.dtype} for shape {expected_shape} expected of tensor "
                             f"{tensor.name}.")
    actual_shape = tensor.get_shape()
    if not actual_shape.is_fully_defined() or dynamic:
        with name_scope(f"{tensor.op.name}/", values=[tensor]):
            if not dynamic and len(expected_shape) < 1:
                return reshape(tensor, [])
            with get_default_graph().control_dependencies([_assert_shape_op(expected_shape, tensor)]):
                result = identity(tensor)
            if not dynamic:
                result.set_shape(expected_shape)
            return result
    if not dynamic and not actual_shape.is_compatible_with(expected_shape):
        if len(expected_shape) < 1 and actual_shape.is_compatible_with([1]):
            with name_scope(f"{tensor.op.name}/", values=[tensor]):
                return reshape(tensor, [])
        raise ValueError(f"Invalid shape for tensor {tensor.name}, expected {expected_shape}, got {actual_shape}.")
    return tensor


def with_same_shape(expected_tensor, tensor):
    """`tensor`, checked to have `expected_tensor`'s shape (see `with_shape`)."""
    with name_scope(f"{tensor.op.name}/", values=[expected_tensor, tensor]):
        known = expected_tensor.get_shape()
        expected_shape = known.as_list() if known.is_fully_defined() else \
            shape(expected_tensor, name="expected_shape")
        return with_shape(expected_shape, tensor)


def _assert_shape_op(expected_shape, actual_tensor):
    """An Assert that `actual_tensor` has rank len(expected_shape) and the expected sizes (-1: any)."""
    with name_scope("assert_shape", values=[actual_tensor]) as scope:
        actual_shape = shape(actual_tensor, name="actual")
        with name_scope("is_shape", values=[actual_tensor]) as is_shape_scope:
            expected_rank = size(expected_shape)
            with name_scope("is_rank", values=[actual_tensor]) as is_rank_scope:
                is_rank = equal(convert_to_tensor(expected_rank, name="expected"), rank(actual_tensor, name="actual"),
                                name=is_rank_scope)
            with name_scope("shape_tensor_equal", values=[expected_shape, actual_shape]) as equal_scope:
                compatible = reduce_all(logical_or(equal(expected_shape, -1),
                                                   equal(expected_shape, actual_shape, "equal"),
                                                   name="exclude_partial_shape"), name=equal_scope)
            is_shape = logical_and(is_rank, compatible, name=is_shape_scope)
        return Assert(is_shape, [f"Wrong shape for {actual_tensor.name} [expected] [actual].", expected_shape,
                                 actual_shape], name=scope)
