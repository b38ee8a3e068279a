"""`tf.contrib.framework`: argument scopes and model variables, as TF 1.15 (and tf_slim after it) had them.

Argument scopes' state: a stack of scopes, each a dict {function key: {argument: default}}; the top one is
current. `arg_scope` pushes a copy of the current scope updated with its defaults for the listed functions and
pops it on exit. A function decorated with `add_arg_scope` looks itself up in the current scope on each call:
explicit keyword arguments win over the scope's defaults. A function's key is `str()` of the undecorated function.

    with arg_scope([conv2d, fully_connected], activation_fn=None):
        net = conv2d(images, 32, [3, 3])          # activation_fn=None
"""
import contextlib
import functools

from .. import dtypes
from ..default_graph import add_to_collection, get_collection
from ..default_graph import device as device_scope
from ..graph import GraphKeys
from ..variable_scope import get_variable, get_variable_scope

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
