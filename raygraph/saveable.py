"""What a Saver checkpoints besides variables (TF's SaveableObject): an object holding state a variable does not,
such as a mutable lookup table, names the tensors to save (`specs`: (checkpoint name, tensor) pairs, in order) and
builds the op that puts restored values back (`restore`). Graphs list them in the SAVEABLE_OBJECTS collection,
which a Saver with no var_list saves beside the global variables."""


class SaveableObject:
    """`op`: what is saved (a table...); `specs`: [(checkpoint name, tensor)]; `name`: its name in a Saver's
    var_list order."""

    def __init__(self, op, specs, name):
        self.op, self.specs, self.name = op, list(specs), name

    def restore(self, restored_tensors):
        """The op that restores the state from `restored_tensors` (one per spec, in order)."""
        raise NotImplementedError(f"{type(self).__name__} must define restore")
