"""tf.saved_model.main_op: the op a SavedModel loader runs after restoring (TF1's deprecated main ops)."""
from ..default_graph import control_dependencies
from ..lookup_tables import tables_initializer
from ..ops.control import group
from ..variables import global_variables_initializer, local_variables_initializer


def main_op():
    """Initializes the global and local variables and the tables."""
    return group(global_variables_initializer(), local_variables_initializer(), tables_initializer())


def main_op_with_restore(restore_op_name):
    """`main_op()`, then the restore op named `restore_op_name`."""
    with control_dependencies([main_op()]):
        return group(restore_op_name)
