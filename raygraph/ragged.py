"""Ragged tensors are out of raygraph's scope: their names exist and say so (NotImplementedError)."""
from .type_spec import TypeSpec

_WHY = "raygraph does not implement ragged tensors (TF's RaggedTensor); use a SparseTensor or padded tensors"


def _unsupported(name):
    def fail(*args, **kwargs):
        raise NotImplementedError(f"tf.{name}: {_WHY}")
    fail.__name__ = name.rsplit(".", 1)[-1]
    fail.__doc__ = f"Not implemented: {_WHY}."
    return fail


class _RaggedClass(type):
    """Its classes' factory methods (`RaggedTensor.from_row_splits`...) fail the way their constructor does."""

    def __getattr__(cls, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _unsupported(f"{cls.__name__}.{name}")


class RaggedTensor(metaclass=_RaggedClass):
    """Not implemented: raygraph has no ragged tensors (nothing is ever an instance of this class)."""

    def __init__(self, *args, **kwargs):
        _unsupported("RaggedTensor")()


class RaggedTensorSpec(TypeSpec, metaclass=_RaggedClass):
    """Not implemented: the type of a RaggedTensor."""

    def __init__(self, *args, **kwargs):
        _unsupported("RaggedTensorSpec")()


ragged_fill_empty_rows = _unsupported("ragged_fill_empty_rows")
ragged_fill_empty_rows_grad = _unsupported("ragged_fill_empty_rows_grad")
