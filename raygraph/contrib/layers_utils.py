"""contrib.layers' `utils` (tensorflow/contrib/layers/python/layers/utils.py, also `slim.utils`): the aliases
that layers note on their outputs, and the collection of named outputs made a dict (slim's `end_points`)."""
import collections

from ..default_graph import get_collection
from ..graph import get_default_graph
from .conv_layers import _last_dimension as last_dimension  # noqa: F401
from .conv_layers import append_tensor_alias, collect_named_outputs  # noqa: F401


def get_tensor_aliases(tensor):
    """The tensor's aliases, or its op's name (its own name past output 0)."""
    if hasattr(tensor, "aliases"):
        return tensor.aliases
    return [tensor.op.name] if tensor.name.endswith(":0") else [tensor.name]


def gather_tensors_aliases(tensors):
    return [alias for t in tensors for alias in get_tensor_aliases(t)]


def convert_collection_to_dict(collection, clear_collection=False):
    """{alias: tensor} over the collection's tensors, in its order (slim's end_points)."""
    out = collections.OrderedDict((alias, t) for t in get_collection(collection) for alias in get_tensor_aliases(t))
    if clear_collection:
        get_default_graph().clear_collection(collection)
    return out
