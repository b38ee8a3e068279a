"""`Variable`: TF1's RefVariable. Its ops are `<v>` (VariableV2), `<v>/Assign` (the initializer),
`<v>/read` (the snapshot other ops read) and `<v>/initial_value` (for a Python initial value).

The value itself lives in the device that runs `<v>` and persists across `Session.run` calls.
"""
import enum

from tensorboard.compat.proto import variable_pb2

from . import dtypes
from .convert import constant, convert_to_tensor, register_tensor_conversion_function
from .default_graph import name_scope
from .graph import GraphKeys, get_default_graph, name_from_scope_name, register_proto_function
from .session import get_default_session
from .shape import as_shape, unknown_shape
from .tensor import Tensor
from .ops.registry import apply_op
from .ops.control import Assert, group, no_op
from .ops.reduction import reduce_all
from .ops.joining import stack
from .ops.math import logical_not
from .ops.sequences import boolean_mask
from .ops.control_flow import cond
from .ops.indexed_slices import IndexedSlices


def _apply(op_type, inputs, attrs=None, name=None):
    return apply_op(op_type, inputs, attrs or {}, name=name)


class Variable:
    """A mutable tensor whose value persists across runs (TF1 RefVariable semantics)."""

    def __init__(self, initial_value=None, trainable=None, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None, expected_shape=None,
                 import_scope=None, constraint=None, use_resource=None, synchronization=None,
                 aggregation=None, shape=None):
        if variable_def is not None:
            self._init_from_def(variable_def, import_scope)
            return
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if trainable is None:
            trainable = True
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        if not isinstance(collections, (list, tuple, set)):
            raise ValueError(f"collections argument to Variable constructor must be a list, tuple, or set. "
                             f"Got {collections} of type {type(collections)}")
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections = list(collections) + [GraphKeys.TRAINABLE_VARIABLES]
        if constraint is not None and not callable(constraint):
            raise ValueError("The `constraint` argument must be a callable.")
        self._trainable = trainable
        self._constraint = constraint
        self._save_slice_info = None
        self._caching_device = caching_device
        g = get_default_graph()
        with g.control_dependencies(None), name_scope(name, "Variable",
                                                      [] if callable(initial_value) else [initial_value]) as scope:
            self._build(g, scope, initial_value, dtype, validate_shape, caching_device, shape)
        g.add_to_collections(collections, self)

    def _build(self, g, scope, initial_value, dtype, validate_shape, caching_device, shape):
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype)
        if callable(initial_value):
            # The initializer ops and the variable op share the variable's colocation group (TF1).
            with g._attr_scope_ctx({"_class": ["loc:@" + name_from_scope_name(scope)]}):
                with name_scope("Initializer"), g.device(None):
                    initial_value = convert_to_tensor(initial_value(), name="initial_value", dtype=dtype)
                self._make_variable(scope, initial_value, validate_shape, shape)
        else:
            initial_value = convert_to_tensor(initial_value, name="initial_value", dtype=dtype)
            self._make_variable(scope, initial_value, validate_shape, shape)
        self._initializer_op = _apply("Assign", [self._variable, initial_value],
                                      {"validate_shape": validate_shape, "use_locking": True}).op
        if caching_device is not None:
            with g.device(caching_device):
                self._snapshot = _apply("Identity", [self._variable], name="read")
        else:
            with g.colocate_with(self._variable_op):
                self._snapshot = _apply("Identity", [self._variable], name="read")

    def _make_variable(self, scope, initial_value, validate_shape, shape):
        self._initial_value = initial_value
        var_shape = initial_value.shape if validate_shape else unknown_shape()
        if shape is not None:
            var_shape = as_shape(shape)
        if validate_shape and not initial_value.shape.is_fully_defined():
            raise ValueError(f"initial_value must have a shape specified: {initial_value}")
        self._variable = _apply("VariableV2", [], {"shape": var_shape, "dtype": initial_value.dtype.base_dtype,
                                                   "container": "", "shared_name": ""}, name=scope)
        self._variable_op = self._variable.op

    def _init_from_def(self, variable_def, import_scope):
        g = get_default_graph()
        prefix = (import_scope + "/") if import_scope else ""
        self._variable = g.as_graph_element(prefix + variable_def.variable_name)
        self._variable_op = self._variable.op
        self._initializer_op = g.as_graph_element(prefix + variable_def.initializer_name)
        self._snapshot = g.as_graph_element(prefix + variable_def.snapshot_name)
        self._initial_value = (g.as_graph_element(prefix + variable_def.initial_value_name)
                               if variable_def.initial_value_name else None)
        self._trainable = variable_def.trainable
        self._constraint = None
        self._save_slice_info = None
        self._caching_device = None

    # ----- identity --------------------------------------------------------------------------------
    name = property(lambda self: self._variable.name)
    op = property(lambda self: self._variable_op)
    graph = property(lambda self: self._variable.graph)
    dtype = property(lambda self: self._variable.dtype)
    shape = property(lambda self: self._variable.shape)
    device = property(lambda self: self._variable.device)
    initializer = property(lambda self: self._initializer_op)
    initial_value = property(lambda self: self._initial_value)
    trainable = property(lambda self: self._trainable)
    constraint = property(lambda self: self._constraint)

    def get_shape(self):
        return self._variable.shape

    def set_shape(self, shape):
        self._variable.set_shape(shape)
        self._snapshot.set_shape(shape)

    def value(self):
        """The snapshot tensor `<v>/read`."""
        return self._snapshot

    def _ref(self):
        return self._variable

    def _as_graph_element(self):
        return self._variable

    def read_value(self):
        """A fresh read of the variable (a new Identity op)."""
        return _apply("Identity", [self._variable], name="read")

    def initialized_value(self):
        """The value, or the initial value if the variable is not initialized yet."""
        with get_default_graph().control_dependencies(None):
            return cond(is_variable_initialized(self), self.read_value, lambda: self.initial_value)

    def __repr__(self):
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    __str__ = __repr__

    # ----- updates ---------------------------------------------------------------------------------
    def assign(self, value, use_locking=False, name=None, read_value=True):
        out = _apply("Assign", [self._variable, value], {"validate_shape": True, "use_locking": use_locking},
                     name=name)
        return out if read_value else out.op

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        out = _apply("AssignAdd", [self._variable, delta], {"use_locking": use_locking}, name=name)
        return out if read_value else out.op

    def count_up_to(self, limit):
        """Increments this int variable until `limit` (then OutOfRangeError); yields the value before."""
        return _apply("CountUpTo", [self._variable], {"limit": limit})

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        out = _apply("AssignSub", [self._variable, delta], {"use_locking": use_locking}, name=name)
        return out if read_value else out.op

    def _scatter(self, op_type, sparse_delta, use_locking, name):
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError(f"Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: {sparse_delta}")
        return _apply(op_type, [self._variable, sparse_delta.indices, sparse_delta.values],
                      {"use_locking": use_locking}, name=name)

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        """Adds the IndexedSlices `sparse_delta` to the rows it names (ScatterAdd, in place)."""
        return self._scatter("ScatterAdd", sparse_delta, use_locking, name)

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        """Subtracts the IndexedSlices `sparse_delta` from the rows it names (ScatterSub, in place)."""
        return self._scatter("ScatterSub", sparse_delta, use_locking, name)

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        """Writes the IndexedSlices `sparse_delta` into the rows it names (ScatterUpdate, in place)."""
        return self._scatter("ScatterUpdate", sparse_delta, use_locking, name)

    def load(self, value, session=None):
        """Sets the value by running the initializer with `value` fed in (no new ops)."""
        session = session or get_default_session()
        if session is None:
            raise ValueError("Either session argument should be provided or default session should be "
                             "established")
        session.run(self._initializer_op, {self._initializer_op.inputs[1]: value})

    def eval(self, session=None):
        return self._variable.eval(session=session)

    def to_proto(self, export_scope=None):
        from tensorboard.compat.proto import variable_pb2

        def strip(n):
            return n[len(export_scope) + 1:] if export_scope and n.startswith(export_scope + "/") else n
        return variable_pb2.VariableDef(
            variable_name=strip(self._variable.name), initializer_name=strip(self._initializer_op.name),
            snapshot_name=strip(self._snapshot.name),
            initial_value_name=strip(self._initial_value.name) if self._initial_value is not None else "",
            is_resource=False, trainable=self._trainable)

    @staticmethod
    def from_proto(variable_def, import_scope=None):
        return Variable(variable_def=variable_def, import_scope=import_scope)

    # ----- arithmetic reads the snapshot ---------------------------------------------------------------
    def __getitem__(self, key):
        return self._snapshot[key]

    def __iter__(self):
        return iter(self._snapshot)

    def __bool__(self):
        return bool(self._snapshot)

    __hash__ = object.__hash__

    def __array__(self, dtype=None):
        raise TypeError(f"Cannot convert the variable {self.name} to a numpy array: run it in a Session.")


def _delegate(method):
    def fn(self, *args):
        return getattr(Tensor, method)(self._snapshot, *args)
    fn.__name__ = method
    return fn


for _m in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__",
           "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__", "__matmul__",
           "__rmatmul__", "__and__", "__rand__", "__or__", "__ror__", "__xor__", "__rxor__", "__lt__", "__le__",
           "__gt__", "__ge__", "__neg__", "__abs__", "__invert__"):
    setattr(Variable, _m, _delegate(_m))

RefVariable = Variable
VariableV1 = Variable


def _variable_conversion(v, dtype=None, name=None, as_ref=False):
    t = v._variable if as_ref else v._snapshot
    if dtype is not None and not dtype.is_compatible_with(t.dtype):
        raise ValueError(f"Incompatible type conversion requested to type '{dtype.name}' for variable of type "
                         f"'{t.dtype.name}'")
    return t


register_tensor_conversion_function(Variable, _variable_conversion)


# ----- collections and initializers ---------------------------------------------------------------------
def global_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def local_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def trainable_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def model_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """One op running the initializers of `var_list` (a NoOp if empty)."""
    if var_list:
        return group(*[v.initializer for v in var_list], name=name)
    return no_op(name=name)


def global_variables_initializer():
    return variables_initializer(global_variables())


def local_variables_initializer():
    return variables_initializer(local_variables())


initialize_all_variables = global_variables_initializer
initialize_variables = variables_initializer
initialize_local_variables = local_variables_initializer


def is_variable_initialized(variable):
    """A bool tensor: whether `variable` has been initialized in the running session."""
    return _apply("IsVariableInitialized", [variable])


def assert_variables_initialized(var_list=None):
    var_list = global_variables() if var_list is None else var_list
    if not var_list:
        return None
    ranks = [is_variable_initialized(v) for v in var_list]
    return Assert(reduce_all(stack(ranks)), ["Variables not initialized"]) if len(ranks) > 1 else group(*ranks)


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A 1-D string tensor naming the variables of `var_list` that are not initialized."""
    var_list = global_variables() + local_variables() if var_list is None else var_list
    with name_scope(name):
        if not var_list:
            return constant([], dtype=dtypes.string)  # TF's `<scope>/Const`
        # TF's composition (a GraphDef TensorFlow imports): the names where the flags are not set
        mask = logical_not(stack([is_variable_initialized(v) for v in var_list]))
        return boolean_mask(constant([v.op.name for v in var_list]), mask)


for _key in (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES, GraphKeys.MOVING_AVERAGE_VARIABLES,
             GraphKeys.LOCAL_VARIABLES, GraphKeys.MODEL_VARIABLES, GraphKeys.GLOBAL_STEP, GraphKeys.METRIC_VARIABLES):
    register_proto_function(_key, variable_pb2.VariableDef, lambda v, scope: v.to_proto(export_scope=scope),
                            Variable.from_proto)


class VariableSynchronization(enum.Enum):
    """When a distributed variable's copies are synchronized (TF's enum; raygraph keeps one copy per variable)."""
    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregation(enum.Enum):
    """How a distributed variable's per-replica updates combine (TF's enum; raygraph keeps one copy)."""
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3
