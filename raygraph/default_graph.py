"""The default graph (a thread-local stack over one process-wide graph, as in TF1), `tf.name_scope`,
op creation tracebacks, and the module-level forms of Graph's methods (`tf.add_to_collection`...)."""
import contextlib
import sys
import threading

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
            from .graph import Graph
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


# ----- creation tracebacks -------------------------------------------------------------------------
_PACKAGE_DIR = __file__.rsplit("/", 1)[0]


def creation_stack(limit=30):
    """(filename, lineno, function) of the user frames that are creating an op, outermost first."""
    frame = sys._getframe(2)
    out = []
    while frame is not None and len(out) < limit:
        code = frame.f_code
        if not code.co_filename.startswith(_PACKAGE_DIR):
            out.append((code.co_filename, frame.f_lineno, code.co_name))
        frame = frame.f_back
    out.reverse()
    return out


@contextlib.contextmanager
def name_scope(name, default_name=None, values=None):
    """TF1's `tf.name_scope(name, default_name, values)`: enters the values' graph and a name scope.

    Yields the scope string ("outer/inner/"), which, passed as an op's name, names the op itself.
    """
    if name is None and default_name is None and values is not None:
        raise ValueError(f"At least one of name ({name}) and default_name ({default_name}) must be provided.")
    name = default_name if name is None else name
    g = get_default_graph()
    if values:
        from .ops.registry import graph_of
        g = graph_of(values)
    old = g._name_stack
    g._name_stack = g._scope_for(name)
    stack = _default_graph_stack.stack
    pushed = not stack or stack[-1] is not g
    if pushed:
        stack.append(g)
    try:
        yield g._name_stack + "/" if g._name_stack else ""
    finally:
        g._name_stack = old
        if pushed and stack and stack[-1] is g:
            stack.pop()


# ----- module-level forms of the default graph's methods (tf.add_to_collection, tf.device, ...) -------
def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)


def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    return get_default_graph().get_collection_ref(key)


def control_dependencies(control_inputs):
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function):
    return get_default_graph().device(device_name_or_function)


def colocate_with(op, ignore_existing=False):
    return get_default_graph().colocate_with(op, ignore_existing)


def container(container_name):
    return get_default_graph().container(container_name)


def get_name_scope():
    return get_default_graph().get_name_scope()
