"""`make_template`: a function whose variables are made on its first call and shared by every later call."""
import functools

from .graph import GraphKeys, get_default_graph
from .logging import info
from .variable_scope import _store, _unique_scope_name, get_variable_scope, variable_scope


class Template:
    """`func` wrapped in its own variable scope: the first call creates variables (with get_variable), later
    calls reuse them. Made by `make_template`."""

    def __init__(self, name, func, create_scope_now=False, unique_name=None, custom_getter=None):
        if name is None:
            raise ValueError("name cannot be None.")
        self._func, self._name, self._unique_name, self._custom_getter = func, name, unique_name, custom_getter
        self._variable_scope = None
        if create_scope_now:
            parent = get_variable_scope().name
            scope = unique_name or _unique_scope_name(parent, name, _store().scope_counts)
            with variable_scope(scope, custom_getter=custom_getter, auxiliary_name_scope=False) as vs:
                self._variable_scope = vs
        self._variables_created = False
        self._first_call = True

    def _call_func(self, args, kwargs):
        g = get_default_graph()
        if not self._variables_created:
            self._first_call = False
            try:
                result = self._func(*args, **kwargs)
            except Exception:
                self._first_call = True
                raise
            self._variables_created = True
            return result
        n_global = len(g.get_collection_ref(GraphKeys.GLOBAL_VARIABLES))
        n_trainable = len(g.get_collection_ref(GraphKeys.TRAINABLE_VARIABLES))
        result = self._func(*args, **kwargs)
        trainable = g.get_collection_ref(GraphKeys.TRAINABLE_VARIABLES)
        if len(trainable) != n_trainable:
            raise ValueError(f"Trainable variable created when calling a template after the first time, perhaps "
                             f"you used tf.Variable when you meant tf.get_variable: {tuple(trainable[n_trainable:])}")
        created = g.get_collection_ref(GraphKeys.GLOBAL_VARIABLES)
        if len(created) != n_global:
            info("New variables created when calling a template after the first time, perhaps you used "
                 "tf.Variable when you meant tf.get_variable: %s", created[n_global:])
        return result

    def __call__(self, *args, **kwargs):
        if self._variable_scope:
            with variable_scope(self._variable_scope, reuse=not self._first_call):
                return self._call_func(args, kwargs)
        with variable_scope(self._unique_name, self._name, custom_getter=self._custom_getter) as vs:
            self._variable_scope = vs
            return self._call_func(args, kwargs)

    name = property(lambda self: self._name)
    func = property(lambda self: self._func)
    variable_scope = property(lambda self: self._variable_scope)

    @property
    def variable_scope_name(self):
        if self._variable_scope:
            name = self._variable_scope.name
            return name if not name or name[-1] == "/" else name + "/"
        return None

    def _collection(self, key):
        if not self._variables_created:
            return []
        return get_default_graph().get_collection(key, self.variable_scope_name)

    trainable_variables = property(lambda self: self._collection(GraphKeys.TRAINABLE_VARIABLES))
    global_variables = property(lambda self: self._collection(GraphKeys.GLOBAL_VARIABLES))
    local_variables = property(lambda self: self._collection(GraphKeys.LOCAL_VARIABLES))
    variables = property(lambda self: self.global_variables + self.local_variables)
    trainable_weights = property(lambda self: self.trainable_variables)
    weights = property(lambda self: self.variables)

    @property
    def non_trainable_variables(self):
        trainable = set(self.trainable_variables)
        return [v for v in self.global_variables if v not in trainable]

    non_trainable_weights = property(lambda self: self.non_trainable_variables)
    var_scope = property(lambda self: self._variable_scope)


def make_template(name_, func_, create_scope_now_=False, unique_name_=None, custom_getter_=None, **kwargs):
    """A Template calling `func_(*args, **kwargs)` that shares the variables its first call made."""
    if kwargs:
        func_ = functools.partial(func_, **kwargs)
    return Template(name_, func_, create_scope_now=create_scope_now_, unique_name=unique_name_,
                    custom_getter=custom_getter_)
