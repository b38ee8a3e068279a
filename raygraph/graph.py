"""`Graph`: the op namespace, its scopes (name, control, device, colocation) and its collections.

A Graph holds its operations by name and in creation order, and four small context stacks that shape
each new op: the name stack (a string), the control-dependency stack, the device-function stack and the
colocation stack. The default graph is a thread-local stack over one process-wide global graph, as in TF1.
"""
import contextlib
import re
import threading

from tensorboard.compat.proto import versions_pb2

from .device_spec import DeviceSpec, merge_device
from .graph_def import GRAPH_DEF_VERSION, GRAPH_DEF_VERSION_MIN_CONSUMER, graph_to_graph_def
from .operation import Operation
from .tensor import Tensor

VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


class GraphKeys:
    """Standard collection names, with TF1's values."""

    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"
    VARIABLES = GLOBAL_VARIABLES


# Collections whose items a MetaGraphDef stores as protos (TF's ops.register_proto_function): the module
# defining the items registers, meta graphs look up.
_PROTO_FUNCTIONS = {}


def register_proto_function(collection_name, proto_type=None, to_proto=None, from_proto=None):
    """How a collection's items become protos in a MetaGraphDef: `to_proto(item, export_scope)` and
    `from_proto(proto, import_scope=...)`."""
    _PROTO_FUNCTIONS[collection_name] = (proto_type, to_proto, from_proto)


def proto_functions(collection_name):
    """(proto type, to_proto, from_proto) registered for a collection, or None."""
    return _PROTO_FUNCTIONS.get(collection_name)


def name_from_scope_name(name):
    """'a/b/' -> 'a/b': a scope string names the op it ends with."""
    return name[:-1] if (name and name[-1] == "/") else name


class _ControlDeps:
    """One `control_dependencies` block: its ops, and the ops created inside it."""

    __slots__ = ("control_inputs", "seen")

    def __init__(self, control_inputs):
        self.control_inputs = control_inputs
        self.seen = set()


class Graph:
    """A TensorFlow computation: operations (nodes) and tensors (edges), plus collections."""

    def __init__(self):
        self._lock = threading.RLock()
        self._ops_by_name = {}
        self._ops = []                # creation order; op._id is 1 + its index
        self._names_in_use = {}
        self._name_stack = ""
        self._collections = {}
        self._finalized = False
        self._version = 0
        self._mutations = 0           # edits to existing ops (devices, control inputs...): plans are stale
        self._seed = None
        self._control_stack = []      # list[_ControlDeps | None]; None clears the outer blocks
        self._device_stack = []       # list[_DeviceScope], innermost last
        self._colocation_stack = []   # list[Operation]
        self._attr_scope = {}
        self._gradient_override_map = {}
        self._container = ""
        self._building_function = False
        self._cond_context = None     # the cond branch being built (ops/control_flow.py), if any
        self._cluster_spec = None     # set by replica_device_setter(cluster=...) for cluster sessions
        self._unfetchable = set()
        self._given_values = {}       # Const op name -> how many values TF's proto of it holds (graph_def.py)
        self.capture = None           # while tracing a dataset function: its captures (data/function.py)

    # ----- identity and lifecycle -----------------------------------------------------------------
    @property
    def version(self):
        return self._version

    @property
    def finalized(self):
        return self._finalized

    @property
    def building_function(self):
        return self._building_function

    @property
    def seed(self):
        return self._seed

    @seed.setter
    def seed(self, seed):
        self._seed = seed

    @property
    def _last_id(self):
        return len(self._ops)

    def finalize(self):
        """Makes this graph read-only: adding ops or collection entries raises RuntimeError."""
        self._finalized = True

    def _unsafe_unfinalize(self):
        self._finalized = False

    def _check_not_finalized(self):
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")

    def as_default(self):
        """Context manager making this the default graph (in this thread)."""
        return _default_graph_stack.controller(self)

    # ----- names -----------------------------------------------------------------------------------
    def get_name_scope(self):
        return self._name_stack

    def unique_name(self, name, mark_as_used=True):
        """The unique op name for `name` in the current name scope: `name`, `name_1`, `name_2`, ..."""
        if self._name_stack:
            name = self._name_stack + "/" + name
        key = name.lower()
        used = self._names_in_use
        i = used.get(key, 0)
        if mark_as_used:
            used[key] = i + 1
        if i > 0:
            base = key
            while key in used:  # names are unique case-insensitively
                key = "%s_%d" % (base, i)
                i += 1
            if mark_as_used:
                used[key] = 1
            name = "%s_%d" % (name, i - 1)
        return name

    @contextlib.contextmanager
    def name_scope(self, name):
        """Pushes a name scope; a name ending in '/' re-enters that exact scope, None/'' resets."""
        old = self._name_stack
        self._name_stack = self._scope_for(name)
        try:
            yield self._name_stack + "/" if self._name_stack else ""
        finally:
            self._name_stack = old

    def _scope_for(self, name):
        if not name:
            return ""
        if isinstance(name, bytes):
            name = name.decode()
        if self._name_stack:
            if not VALID_SCOPE_NAME.match(name):
                raise ValueError(f"'{name}' is not a valid scope name. A scope name has to match the "
                                 f"following pattern: {VALID_SCOPE_NAME.pattern}")
        elif not VALID_OP_NAME.match(name):
            raise ValueError(f"'{name}' is not a valid root scope name. A root scope name has to "
                             f"match the following pattern: {VALID_OP_NAME.pattern}")
        if name[-1] == "/":
            return name[:-1]
        return self.unique_name(name)

    def _op_name(self, name):
        """The name a new op gets for a requested `name` (a scope string is taken verbatim)."""
        if name and name[-1] == "/":
            name = name[:-1]
        else:
            name = self.unique_name(name)
        if not VALID_OP_NAME.match(name):
            raise ValueError(f"`{name}` is not a valid node name. Accepted names conform to Regex "
                             f"/{VALID_OP_NAME}/")
        if name in self._ops_by_name:
            raise ValueError(f"Duplicate node name in graph: '{name}'")
        return name

    # ----- operations ------------------------------------------------------------------------------
    def _mark(self):
        """The graph's state now, for `_roll_back` (an all-or-nothing `import_graph_def`)."""
        with self._lock:
            return (len(self._ops), dict(self._names_in_use),
                    {k: list(v) for k, v in self._collections.items()}, set(self._unfetchable))

    def _roll_back(self, mark):
        """Removes every op added since `mark` (which no op from before it may use) and its names."""
        n, names, collections, unfetchable = mark
        with self._lock:
            removed = self._ops[n:]
            del self._ops[n:]
            gone = set(removed)
            for op in removed:
                del self._ops_by_name[op._name]
                for t in op._inputs:
                    t._consumers[:] = [c for c in t._consumers if c not in gone]
                for c in op._control_inputs:
                    c._control_outputs[:] = [o for o in c._control_outputs if o not in gone]
            self._names_in_use, self._collections, self._unfetchable = names, collections, unfetchable
            self._version = n
            self._mutations += 1  # tables that saw the removed ops rebuild

    def _add_op(self, op):
        """Registers a newly built op and applies the graph's scopes to it (called by Operation)."""
        with self._lock:
            self._check_not_finalized()
            self._ops.append(op)
            op._id = len(self._ops)
            self._ops_by_name[op._name] = op
            self._version = op._id
        for block in self._control_stack:
            if block is not None:
                block.seen.add(op)
        if self._device_stack:
            self._apply_device_functions(op)
        if self._colocation_stack:
            self._apply_colocation(op)
        if self._attr_scope:
            for key, value in self._attr_scope.items():
                op._attrs.setdefault(key, value)
        if op.type in self._gradient_override_map:
            op._attrs["_gradient_op_type"] = self._gradient_override_map[op.type]

    def get_operations(self):
        """All operations, in creation order."""
        return list(self._ops)

    def get_operation_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=False, allow_operation=True)

    def get_tensor_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def _get_operation_by_name_unsafe(self, name):
        return self._ops_by_name[name]

    def _get_operation_by_id(self, op_id):
        return self._ops[op_id - 1]

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        """The Tensor or Operation that `obj` (an element, or its name) refers to in this graph."""
        if allow_tensor and allow_operation:
            kinds = "Tensor or Operation"
        elif allow_tensor:
            kinds = "Tensor"
        elif allow_operation:
            kinds = "Operation"
        else:
            raise ValueError("allow_tensor and allow_operation can't both be False.")
        convert = getattr(obj, "_as_graph_element", None)
        if convert is not None and not isinstance(obj, (Tensor, Operation)):
            converted = convert()
            if converted is not None:
                obj = converted
        if isinstance(obj, bytes):
            obj = obj.decode()
        if isinstance(obj, str):
            return self._element_by_name(obj, allow_tensor, allow_operation, kinds)
        if isinstance(obj, Tensor) and allow_tensor:
            if obj.graph is not self:
                raise ValueError(f"Tensor {obj} is not an element of this graph.")
            return obj
        if isinstance(obj, Operation) and allow_operation:
            if obj.graph is not self:
                raise ValueError(f"Operation {obj} is not an element of this graph.")
            return obj
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {kinds}.")

    def _element_by_name(self, name, allow_tensor, allow_operation, kinds):
        if ":" in name and allow_tensor:
            try:
                op_name, out_n = name.split(":")
                out_n = int(out_n)
            except ValueError:
                raise ValueError(f"The name {name!r} looks a like a Tensor name, but is not a valid one. "
                                 f"Tensor names must be of the form \"<op_name>:<output_index>\".") from None
            op = self._ops_by_name.get(op_name)
            if op is None:
                raise KeyError(f"The name {name!r} refers to a Tensor which does not exist. The "
                               f"operation, {op_name!r}, does not exist in the graph.")
            if not 0 <= out_n < len(op.outputs):
                raise KeyError(f"The name {name!r} refers to a Tensor which does not exist. The "
                               f"operation, {op_name!r}, exists but only has {len(op.outputs)} outputs.")
            return op.outputs[out_n]
        if ":" in name:
            raise ValueError(f"Name {name!r} appears to refer to a Tensor, not a {kinds}.")
        if allow_operation:
            if name not in self._ops_by_name:
                raise KeyError(f"The name {name!r} refers to an Operation not in the graph.")
            return self._ops_by_name[name]
        if name in self._ops_by_name:
            msg = f"The name {name!r} refers to an Operation, not a {kinds}."
        else:
            msg = f"The name {name!r} looks like an (invalid) Operation name, not a {kinds}."
        raise ValueError(msg + " Tensor names must be of the form \"<op_name>:<output_index>\".")

    def is_feedable(self, tensor):
        return getattr(tensor, "_unfeedable", False) is False

    def is_fetchable(self, tensor_or_op):
        op = getattr(tensor_or_op, "op", tensor_or_op)
        return op not in self._unfetchable

    def prevent_fetching(self, op):
        self._unfetchable.add(op)

    def prevent_feeding(self, tensor):
        tensor._unfeedable = True

    # ----- collections -----------------------------------------------------------------------------
    def add_to_collection(self, name, value):
        self._check_not_finalized()
        with self._lock:
            self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        names = (names,) if isinstance(names, str) else set(names)
        for name in names:
            self.add_to_collection(name, value)

    def get_collection_ref(self, name):
        """The collection's list itself: changes to it change the collection."""
        with self._lock:
            return self._collections.setdefault(name, [])

    def get_collection(self, name, scope=None):
        """A copy of the collection, filtered to items whose `name` matches `scope` (re.match)."""
        with self._lock:
            items = self._collections.get(name)
            if items is None:
                return []
            if scope is None:
                return list(items)
            regex = re.compile(scope)
            out = []
            for item in items:
                item_name = getattr(item, "name", None)
                if isinstance(item_name, str) and regex.match(item_name):
                    out.append(item)
            return out

    def get_all_collection_keys(self):
        with self._lock:
            return [k for k in self._collections if isinstance(k, str)]

    def clear_collection(self, name):
        self._check_not_finalized()
        with self._lock:
            self._collections.pop(name, None)

    # ----- control dependencies --------------------------------------------------------------------
    def control_dependencies(self, control_inputs):
        """Ops created in this block run after `control_inputs` (None clears outer blocks)."""
        if control_inputs is None:
            return self._control_block(None)
        ops, current = [], self._current_control_inputs()
        for c in control_inputs:
            if not isinstance(c, (Tensor, Operation)):
                c = getattr(c, "op", c) if hasattr(c, "_variable_op") else c
            c = self.as_graph_element(c)
            if isinstance(c, Tensor):
                c = c.op
            elif not isinstance(c, Operation):
                raise TypeError(f"Control input must be Operation or Tensor: {c}")
            if c not in current:
                ops.append(c)
                current.add(c)
                # TF marks manual control inputs so; a mark only (no plan goes stale, hence not _set_attr)
                c._attrs["_has_manual_control_dependencies"] = True
        return self._control_block(ops)

    @contextlib.contextmanager
    def _control_block(self, ops):
        if ops is None:  # as in TF, clearing the control inputs also leaves any `cond` branch being built
            saved, self._control_stack = self._control_stack, [None]
            saved_cond, self._cond_context = self._cond_context, None
        else:
            self._control_stack.append(_ControlDeps(ops))
        try:
            yield
        finally:
            if ops is None:
                self._control_stack = saved
                self._cond_context = saved_cond
            else:
                self._control_stack.pop()

    def _current_control_inputs(self):
        out = set()
        for block in self._control_stack:
            if block is not None:
                out.update(block.control_inputs)
        return out

    def _control_inputs_for(self, input_ops):
        """Control inputs a new op with these data-input ops gets from the enclosing blocks."""
        out = []
        for block in self._control_stack:
            if block is None or any(op in block.seen for op in input_ops):
                continue  # dominated: an input was made inside this block and already waits for it
            out.extend(c for c in block.control_inputs if c not in input_ops and c not in out)
        return out

    # ----- devices and colocation ------------------------------------------------------------------
    @contextlib.contextmanager
    def device(self, device_name_or_function):
        """Places ops created in this block: a device string (merged field by field), a function, or None."""
        scope = _DeviceScope(device_name_or_function)
        self._device_stack.append(scope)
        try:
            yield
        finally:
            if not self._device_stack or self._device_stack[-1] is not scope:
                raise RuntimeError("Exiting device scope without proper scope nesting.")
            self._device_stack.pop()

    def _apply_device_functions(self, op):
        """Innermost scope first; outer string scopes fill only the fields still unset; None stops."""
        prior = None
        for scope in reversed(self._device_stack):
            if scope.is_null_merge:
                continue
            if scope.function is None:
                break
            device = scope.function(op)
            device = device.to_string() if isinstance(device, DeviceSpec) else (device or "")
            if device is not prior:
                op._device = device
                prior = device

    @contextlib.contextmanager
    def colocate_with(self, op, ignore_existing=False):
        """Ops created here share `op`'s colocation group and device; device scopes are ignored inside."""
        if op is None and not ignore_existing:
            raise ValueError("Trying to reset colocation (op is None) but ignore_existing is not True")
        if op is not None:
            op = _op_to_colocate_with(op, self)
        saved_devices, self._device_stack = self._device_stack, []
        if ignore_existing:
            saved_colocation, self._colocation_stack = self._colocation_stack, []
        if op is not None:
            self._colocation_stack.append(op)
        try:
            yield
        finally:
            self._device_stack = saved_devices
            if op is not None:
                self._colocation_stack.pop()
            if ignore_existing:
                self._colocation_stack = saved_colocation

    def _apply_colocation(self, op):
        groups, device_set = set(), False
        for other in reversed(self._colocation_stack):
            groups.update(g.decode() for g in other.colocation_groups())
            if other.device and not device_set:
                op._device = other.device
                device_set = True
        op._attrs["_class"] = sorted(groups)

    # ----- misc scopes -----------------------------------------------------------------------------
    @contextlib.contextmanager
    def _attr_scope_ctx(self, attr_map):
        saved = dict(self._attr_scope)
        self._attr_scope.update(attr_map)
        try:
            yield
        finally:
            self._attr_scope = saved

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map):
        """Ops of the given types created here use the gradient registered under the mapped name."""
        if not isinstance(op_type_map, dict):
            raise TypeError("op_type_map must be a dictionary mapping strings to strings")
        saved = dict(self._gradient_override_map)
        for op_type, mapped in op_type_map.items():
            if not (isinstance(op_type, str) and isinstance(mapped, str)):
                raise TypeError("op_type_map must be a dictionary mapping strings to strings")
            self._gradient_override_map[op_type] = mapped
        try:
            yield
        finally:
            self._gradient_override_map = saved

    @contextlib.contextmanager
    def container(self, container_name):
        saved, self._container = self._container, container_name
        try:
            yield self._container
        finally:
            self._container = saved

    def as_graph_def(self, from_version=None, add_shapes=False):
        """This graph as a TensorFlow `GraphDef` protobuf."""
        return graph_to_graph_def(self, from_version, add_shapes)

    @property
    def graph_def_versions(self):
        return versions_pb2.VersionDef(producer=GRAPH_DEF_VERSION, min_consumer=GRAPH_DEF_VERSION_MIN_CONSUMER)

    def create_op(self, op_type, inputs, dtypes=None, input_types=None, name=None, attrs=None,
                  op_def=None, compute_shapes=True, compute_device=True):
        """Low-level op creation through the op table (TF1's deprecated `Graph.create_op`)."""
        from .ops.registry import apply_op
        with self.as_default():
            out = apply_op(op_type, list(inputs), dict(attrs or {}), name=name)
        return out.op if hasattr(out, "op") else out


class _DeviceScope:
    """One `device(...)` block: a merge with a device string, a user function, or None (a break)."""

    __slots__ = ("function", "is_null_merge", "raw")

    def __init__(self, device_name_or_function):
        self.raw = device_name_or_function
        if device_name_or_function is None:
            self.function, self.is_null_merge = None, False
        elif callable(device_name_or_function) and not isinstance(device_name_or_function, DeviceSpec):
            self.function, self.is_null_merge = device_name_or_function, False
        else:
            merger = merge_device(device_name_or_function)
            self.function, self.is_null_merge = merger, merger.is_null_merge


def _op_to_colocate_with(v, graph):
    if isinstance(v, Operation):
        return v
    variable_op = getattr(v, "_variable_op", None)
    if variable_op is not None:
        return variable_op
    if hasattr(v, "op") and not isinstance(v, str):
        return v.op
    from .convert import convert_to_tensor
    return convert_to_tensor(v, as_ref=True).op


# ----- the default graph ---------------------------------------------------------------------------
class _DefaultStack(threading.local):
    """A per-thread stack of defaults (graphs or sessions), entered and left in nesting order."""

    def __init__(self):
        super().__init__()
        self.stack = []

    def get_default(self):
        return self.stack[-1] if self.stack else None

    def reset(self):
        self.stack = []

    def is_cleared(self):
        return not self.stack

    @contextlib.contextmanager
    def controller(self, default):
        self.stack.append(default)
        try:
            yield default
        finally:
            if self.stack:  # reset() may have emptied it
                if self.stack[-1] is not default:
                    raise AssertionError(f"Nesting violated for default stack of {type(default)} objects")
                self.stack.pop()


class _DefaultGraphStack(_DefaultStack):
    """The default-graph stack; below it, one global graph shared by all threads."""

    global_graph = None

    def get_default(self):
        if self.stack:
            return self.stack[-1]
        if _DefaultGraphStack.global_graph is None:
            _DefaultGraphStack.global_graph = Graph()
        return _DefaultGraphStack.global_graph

    def reset(self):
        super().reset()
        _DefaultGraphStack.global_graph = None


_default_graph_stack = _DefaultGraphStack()


def get_default_graph():
    """The default graph of the current thread (innermost `as_default()`, else the global graph)."""
    stack = _default_graph_stack.stack
    return stack[-1] if stack else _default_graph_stack.get_default()


def reset_default_graph():
    """Clears the default graph stack and the global default graph (not inside `as_default()`)."""
    if not _default_graph_stack.is_cleared():
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you need a "
                             "cleared graph, exit the nesting and create a new graph.")
    _default_graph_stack.reset()
