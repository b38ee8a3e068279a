"""`switch_case`: run the branch an integer index selects (out of range: the default, else the last branch).

TF builds one functional `Case` op over branch functions; raygraph, which runs TF1's graph-mode control flow,
builds the same choice as a chain of `cond`s on `branch_index == k` (same values and gradients, other op types).
"""
from . import dtypes
from .convert import convert_to_tensor
from .default_graph import name_scope
from .tensor import Tensor
from .ops.control_flow import cond
from .ops.math import equal, greater_equal, less, logical_or
from .ops.slicing import where_v2
from .ops.while_loop import _flatten as flatten, _pack as pack_sequence_as


def _actions(branch_fns, default, branch_index):
    """The branches in index order, then the default: TF's checks, errors and order."""
    if not isinstance(branch_index, Tensor):
        raise TypeError(f"'branch_index' must be a Tensor, got {type(branch_index)}")
    if not branch_index.dtype.is_integer:
        raise TypeError(f"'branch_index' must be an integer Tensor, got {branch_index.dtype}")
    if not branch_fns:
        raise ValueError("Must provide at least one item in 'branch_fns'")
    if not isinstance(branch_fns, (list, tuple, dict)):
        raise TypeError("'branch_fns' must be a list, tuple, or dict")
    if isinstance(branch_fns, dict):
        branch_fns = list(branch_fns.items())
    if all(callable(fn) for fn in branch_fns):
        branch_fns = list(enumerate(branch_fns))
    for pair in branch_fns:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'branch_fns' must be a 2-tuple. Received {pair}.")
        key, fn = pair
        if not isinstance(key, int):
            raise TypeError(f"key must be a Python `int`, got {type(key)}")
        if not callable(fn):
            raise TypeError(f"fn for key {key} must be callable.")
    keys = [p[0] for p in branch_fns]
    if min(keys) < 0 or max(keys) >= len(keys) or len(set(keys)) != len(keys):
        raise ValueError(f"branch indices (keys) must form contiguous range of [0 to {len(keys)}) but found "
                         f"{{{','.join(map(str, sorted(keys)))}}}")
    actions = [fn for _, fn in sorted(branch_fns, key=lambda p: p[0])]
    if branch_index.dtype.base_dtype is not dtypes.int32:  # what TF's Case op then says of its input
        raise TypeError(f"Input 'branch_index' of 'StatelessCase' Op has type {branch_index.dtype.base_dtype.name} "
                        f"that does not match expected type of int32.")
    return actions + ([default] if default is not None else [])


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """`branch_fns[branch_index]()` (a list, or (index, fn) pairs / a dict), `default()` when out of range."""
    actions = _actions(branch_fns, default, branch_index)
    with name_scope(name, "case", [branch_index]):
        n = len(actions)
        last = convert_to_tensor(n - 1, dtype=branch_index.dtype.base_dtype)
        index = where_v2(logical_or(less(branch_index, 0), greater_equal(branch_index, n)), last, branch_index)

        structures = []

        def flat(action):  # branches return any nesting: the conds carry its leaves, packed again at the end
            def run():
                out = action()
                structures.append(out)
                return flatten(out)
            return run

        def chain(k):
            if k == n - 1:
                return flat(actions[k])()
            return cond(equal(index, k), flat(actions[k]), lambda: chain(k + 1), name=f"branch_{k}")
        if n == 1:
            return actions[0]()
        leaves = chain(0)
        return pack_sequence_as(structures[0], leaves)
