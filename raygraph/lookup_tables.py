"""The initializer of TF1's lookup tables: one op running every op in the TABLE_INITIALIZERS collection."""
from .graph import GraphKeys, get_default_graph
from .ops.control import group, no_op


def tables_initializer(name="init_all_tables"):
    """An op that initializes all tables of the default graph (a NoOp if it has none)."""
    initializers = get_default_graph().get_collection(GraphKeys.TABLE_INITIALIZERS)
    if initializers:
        return group(*initializers, name=name)
    return no_op(name=name)


def initialize_all_tables(name="init_all_tables"):
    """Deprecated TF1 name of `tables_initializer`."""
    return tables_initializer(name)
