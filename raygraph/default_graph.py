"""The default graph's module-level API: `tf.name_scope`, the graph that values belong to, and the
module-level forms of Graph's methods (`tf.add_to_collection`, `tf.device`, ...)."""
import contextlib

from .graph import _default_graph_stack, get_default_graph
from .operation import Operation
from .tensor import Tensor


# ----- the graph of some values --------------------------------------------------------------------
def graph_of(values, graph=None):
    """The graph that ops over `values` belong to (TF's _get_graph_from_inputs); ValueError if mixed. While a
    dataset function is traced, its graph (which captures the others' tensors)."""
    if graph is None and get_default_graph().capture is not None:
        return get_default_graph()
    first = None
    for v in values:
        if isinstance(v, (list, tuple)):
            for w in v:
                first, graph = _check_same_graph(w, first, graph)
        else:
            first, graph = _check_same_graph(v, first, graph)
    return graph or get_default_graph()


def _check_same_graph(v, first, graph):
    if isinstance(v, (Tensor, Operation)):
        element = v
    else:
        as_element = getattr(v, "_as_graph_element", None)
        if as_element is None or isinstance(v, type):
            return first, graph
        element = as_element()
        if element is None:
            return first, graph
    if first is None:
        if graph is None:
            return element, element.graph
        if element.graph is not graph:
            raise ValueError(f"{element} is not from the passed-in graph.")
        return first, graph
    if element.graph is not first.graph:
        raise ValueError(f"{element} must be from the same graph as {first} (graphs are "
                         f"{element.graph} and {first.graph}).")
    return first, graph


# ----- name scopes ---------------------------------------------------------------------------------
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


def op_scope(values, name, default_name=None):
    """Deprecated TF1 form of `name_scope(name, default_name, values)`."""
    return name_scope(name, default_name, values)


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


@contextlib.contextmanager
def init_scope():
    """TF's `init_scope` in graph mode: what is built in it has no control inputs and sits outside any cond branch
    or loop body being built (where TF lifts variable initializers to); the name scope stays."""
    with get_default_graph().control_dependencies(None):
        yield
