"""Plan-time graph rewrites, as TF1's graph optimizer does them: constant folding and common-subexpression
elimination over the nodes a step needs (after pruning, before placement), and which of them (and the
fusion of elementwise regions, fusion.py) a session asked for.

Both rewrites keep every value a step can observe: fed tensors are never rewritten, only stateless
nodes with an ordinary role (no refs, no control inputs for folding) are, and a node is folded only if
its kernel runs cleanly on constant inputs; `NodeSpec.pure` (from the op's table entry and dtypes) says
which nodes compute their outputs from their inputs alone (a kernel that fails is left to fail when the step runs, with
its own error). A folded node becomes a constant-role node of the same name and device; a duplicate
removed by CSE is renamed to the node it duplicates (`rename`), fetches and consumers included.
"""
import math
import os
from dataclasses import dataclass, replace

import numpy as np

from .partition import CONSTANT

MAX_FOLDED_BYTES = 10 << 20   # TF's limit on a folded constant (ConstantFoldingOptions.max_constant_size)
MAX_HASHED_BYTES = 1 << 16    # constants larger than this are not compared for CSE


@dataclass(slots=True, frozen=True, kw_only=True)
class Optimizations:
    """What a session's ConfigProto asks planning to do (TF1's defaults: all on, opt_level L1)."""

    fold_constants: bool = True
    eliminate_common: bool = True
    fuse: bool = True       # fuse elementwise regions into one node each (fusion.py)


def from_config(opt_level=0, do_constant_folding=False, do_cse=False, jit_level=0):
    """The Optimizations of TF1's OptimizerOptions (opt_level L1=0 turns folding and CSE on, L0=-1 leaves
    them to their flags) and global_jit_level (OFF=-1 turns fusion off; DEFAULT=0, ON_1, ON_2 fuse).
    RAYGRAPH_FUSION=0/1 in the environment overrides fusion (for tests)."""
    on = opt_level >= 0
    forced = os.environ.get("RAYGRAPH_FUSION")
    fuse = forced == "1" if forced in ("0", "1") else jit_level != -1
    return Optimizations(fold_constants=on or do_constant_folding, eliminate_common=on or do_cse, fuse=fuse)


def rewrite(table, names, fed, fetched, options):
    """(table, names, rename) after the rewrites `options` asks for; `names` in dependency order. Fetched
    nodes are not folded (they run, and show in traces, as in TF, where a folded node is a Const op)."""
    rename = {}
    if options.eliminate_common:
        table, names, rename = eliminate_common(table, names, fed)
    if options.fold_constants:
        table = fold_constants(table, names, fed, {rename.get(n, n) for n in fetched})
    return table, names, rename


# ----- constant folding ------------------------------------------------------------------------------------
def folded_value(attrs):
    """The kernel of a folded node: its value, computed when planning."""
    return attrs["value"]


def fold_constants(table, names, fed, keep=()):
    """`table` with every foldable node whose inputs are all constants replaced by a constant node (but
    those in `keep`)."""
    fed_nodes = {key[0] for key in fed} | set(keep)
    changed = {}
    for name in names:
        spec = changed.get(name) or table[name]
        if not spec.inputs or not _may_fold(spec) or name in fed_nodes or any(k in fed for k in spec.inputs):
            continue
        sources = [changed.get(k[0]) or table[k[0]] for k in spec.inputs]
        if not all(s.role == CONSTANT and s.n_outputs == 1 and s.kernel is not None for s in sources):
            continue
        try:
            args = [_constant_value(s) for s in sources]
            value = spec.kernel(spec.attrs, *args)
        except Exception:  # noqa: BLE001, S112 - left to fail when it runs, reported with its node as usual
            continue
        if isinstance(value, (np.ndarray, np.generic)) and value.dtype != object and value.nbytes <= MAX_FOLDED_BYTES:
            # the constants' control inputs carry over: inside a cond branch they tie it to its pivot, and
            # without them the folded value would reach the branch's Merge on both branches (TF's rule too)
            control = tuple(dict.fromkeys(c for s in sources for c in s.control))
            changed[name] = replace(spec, kernel=folded_value, attrs={"value": value}, inputs=(), role=CONSTANT,
                                    control=control)
    return {**table, **changed} if changed else table


def _may_fold(spec):
    return (spec.pure and spec.role is None and not spec.stateful and not spec.control and not spec.ref_args
            and not spec.ref_outputs and spec.n_outputs == 1 and spec.kernel is not None)


def _constant_value(spec):
    value = spec.kernel(spec.attrs)
    if not isinstance(value, (np.ndarray, np.generic)):
        raise TypeError("not a tensor")
    return value


# ----- common-subexpression elimination ----------------------------------------------------------------------
def eliminate_common(table, names, fed):
    """Merges nodes that compute the same thing (same op, kernel, attrs, inputs, control inputs, device
    request); returns (table, the names left, {removed: kept})."""
    fed_nodes = {key[0] for key in fed}
    seen, rename, changed, kept = {}, {}, {}, []
    for name in names:
        spec = table[name]
        if rename and (any(k[0] in rename for k in spec.inputs) or any(c in rename for c in spec.control)
                       or any(c in rename for c in spec.colocate)):
            spec = changed[name] = replace(
                spec, inputs=tuple((rename.get(n, n), i) for n, i in spec.inputs),
                control=tuple(dict.fromkeys(rename.get(c, c) for c in spec.control)),
                colocate=tuple(rename.get(c, c) for c in spec.colocate))
        key = _cse_key(spec) if name not in fed_nodes else None
        if key is not None:
            first = seen.setdefault(key, name)
            if first != name:
                rename[name] = first
                continue
        kept.append(name)
    if not rename:
        return table, names, rename
    return {**table, **changed}, kept, rename


def _cse_key(spec):
    """What makes two nodes interchangeable, or None for a node CSE must keep."""
    if not spec.pure or spec.stateful or spec.role not in (None, CONSTANT) or spec.ref_args or spec.ref_outputs \
            or spec.kernel is None:
        return None
    try:
        attrs = _freeze(spec.attrs)
        hash(attrs)
    except TypeError:
        return None
    return (spec.op_type, spec.kernel, attrs, spec.inputs, frozenset(spec.control), spec.device, spec.device_text,
            frozenset(spec.colocate), spec.n_outputs)


def _freeze(value):
    """A hashable stand-in for an attr value (TypeError if there is none)."""
    if isinstance(value, np.ndarray):
        if value.dtype == object or value.nbytes > MAX_HASHED_BYTES:
            raise TypeError("not compared")
        return ("ndarray", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _freeze(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_freeze(v) for v in value))
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    hash(value)
    return (type(value), value)
