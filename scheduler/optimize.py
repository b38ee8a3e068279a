"""Plan-time graph rewrites, as TF1's graph optimizer does them: constant folding (with grappler's
arithmetic rewrites around constants) and common-subexpression elimination over the nodes a step needs
(after pruning, before placement), and which of them (and the fusion of elementwise regions, fusion.py) a
session asked for.

Both rewrites keep every value a step can observe: fed tensors are never rewritten, only stateless
nodes with an ordinary role (no refs, no control inputs for folding) are, and a node is folded only if
its kernel runs cleanly on constant inputs; `NodeSpec.pure` (from the op's table entry and dtypes) says
which nodes compute their outputs from their inputs alone (a kernel that fails is left to fail when the step runs, with
its own error). A folded node becomes a constant-role node of the same name and device; a duplicate
removed by CSE is renamed to the node it duplicates (`rename`), fetches and consumers included.

Folding runs as grappler's constant folding does, to a fixed point, each round followed by two of its
rewrites that change which values get folded (and so the numbers, by float rounding, as in TF): a real
division by a constant becomes a multiplication by the constant's reciprocal, and constants are pushed
down trees of additions/subtractions and multiplications (`Add(Add(x, c1), c2)` -> `Add(x, Add(c2, c1))`,
whose constant half the next round folds). Nodes take part through their `algebra` (what their op's table
entry says they compute), never by op name.
"""
import heapq
import math
import os
from dataclasses import dataclass, field, replace

import numpy as np

from .partition import CONSTANT, MAX_CONSTANT_BYTES

MAX_HASHED_BYTES = 1 << 16    # constants larger than this are not compared for CSE
MAX_ROUNDS = 64               # rounds of folding and simplifying (grappler: until nothing changes)
# What a node computes, for the arithmetic rewrites (its op's table entry says; `Algebra.operation`):
PLUS, MINUS, TIMES, DIVIDE, REAL_DIVIDE, RECIPROCAL = "+", "-", "*", "/", "real/", "1/"
REWRITTEN = "_rewritten"      # an attr of the nodes the arithmetic rewrites changed or made (for partition graphs)


@dataclass(slots=True, frozen=True, kw_only=True)
class Algebra:
    """What the arithmetic rewrites must know of a node: `operation` (PLUS...), whether its dtype is floating
    or complex (`floating`: only those are rewritten across MINUS and DIVIDE) or a 16-bit float (`narrow`:
    never rewritten), its inputs' static shapes as built (`shapes`: input key -> tuple, a dim None if
    unknown, None if the rank is), and `family`: operation -> (op type, kernel, element formula) of the
    ops a rewrite makes."""

    operation: str
    floating: bool = True
    narrow: bool = False
    shapes: dict = field(default_factory=dict)
    family: dict = field(default_factory=dict)


@dataclass(slots=True, frozen=True, kw_only=True)
class Optimizations:
    """What a session's ConfigProto asks planning to do (TF1's defaults: all on, opt_level L1)."""

    fold_constants: bool = True
    eliminate_common: bool = True
    fuse: bool = True       # fuse elementwise regions into one node each (fusion.py)
    arithmetic: bool = True  # grappler's arithmetic rewrites around constants, with folding


def from_config(opt_level=0, do_constant_folding=False, do_cse=False, jit_level=0, grappler_folding=True):
    """The Optimizations of TF1's OptimizerOptions (opt_level L1=0 turns folding and CSE on, L0=-1 leaves
    them to their flags), global_jit_level (OFF=-1 turns fusion off; DEFAULT=0, ON_1, ON_2 fuse) and
    whether grappler's constant folding runs (RewriterConfig's constant_folding not OFF, its meta optimizer
    not disabled). RAYGRAPH_FUSION=0/1 in the environment overrides fusion (for tests)."""
    on = opt_level >= 0
    forced = os.environ.get("RAYGRAPH_FUSION")
    fuse = forced == "1" if forced in ("0", "1") else jit_level != -1
    return Optimizations(fold_constants=on or do_constant_folding, eliminate_common=on or do_cse, fuse=fuse,
                         arithmetic=grappler_folding)


def rewrite(table, names, fed, fetched, options):
    """(table, names, rename) after the rewrites `options` asks for; `names` in dependency order. Fetched
    nodes are not folded (they run, and show in traces, as in TF, where a folded node is a Const op)."""
    rename = {}
    if options.eliminate_common:
        table, names, rename = eliminate_common(table, names, fed)
    if options.fold_constants:
        keep = {rename.get(n, n) for n in fetched}
        table = fold_constants(table, names, fed, keep)
        for _ in range(MAX_ROUNDS if options.arithmetic else 0):
            simpler, names = simplify(table, names, fed, keep)
            if simpler is table:
                break
            table = fold_constants(simpler, names, fed, keep)
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
        if isinstance(value, (np.ndarray, np.generic)) and value.dtype != object and value.nbytes <= MAX_CONSTANT_BYTES:
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


# ----- arithmetic rewrites around constants (grappler's) ----------------------------------------------------
def simplify(table, names, fed, keep):
    """One pass of grappler's ReduceDivToReciprocalMul and ConstantPushDown over `names` in order, each
    node rewritten at most once per pass: (table, names in dependency order), the same table if nothing
    changed. `keep`: fetched nodes, whose values must stay what they are."""
    if not any(table[n].algebra is not None for n in names):
        return table, names
    work = _Rewrite(table, names, fed, keep)
    for name in names:
        node = work.table[name]
        if work.eligible(node) and not work.reciprocal(node):
            work.push_down(node)
    if not work.cleared:
        return table, names
    return work.table, _dependency_order(work.table, work.names)


class _Rewrite:
    """One pass's working copy of the table."""

    def __init__(self, table, names, fed, keep):
        self.table, self.names, self.keep = dict(table), list(names), keep
        self.fed = {key[0] for key in fed}
        self.uses = {}
        for name in names:
            for key in table[name].inputs:
                self.uses[key[0]] = self.uses.get(key[0], 0) + 1
        # input key -> static shape as the graph was built, but for the values computed from fed ones:
        # grappler's constant folding trusts no feed's shape (assume_valid_feeds is off but in AGGRESSIVE mode)
        fed_from = set(self.fed)
        self.known = {}
        for name in names:
            spec = table[name]
            if any(k[0] in fed_from for k in spec.inputs):
                fed_from.add(name)
            if spec.algebra is not None and spec.algebra.shapes is not None:
                self.known.update((k, v) for k, v in spec.algebra.shapes.items() if k[0] not in fed_from)
        self.cleared = set()  # rewritten in this pass: grappler knows no shapes for their inputs until the next

    def eligible(self, spec):
        return spec.algebra is not None and spec.role is None and not spec.stateful and spec.name not in self.fed \
            and len(spec.inputs) == 2

    def constant(self, name):
        spec = self.table.get(name)   # (a loop body's table lacks the values fed into it)
        return spec is not None and spec.role == CONSTANT and name not in self.fed

    def change(self, spec, inputs, operation=None):
        """`spec` reading `inputs`, computing `operation` (None: its own op still)."""
        op_type, kernel, scalar = spec.algebra.family[operation] if operation else (spec.op_type, spec.kernel,
                                                                                     spec.scalar)
        self.table[spec.name] = replace(spec, op_type=op_type, kernel=kernel, inputs=inputs,
                                        scalar=scalar if spec.scalar is not None else None,
                                        attrs={**spec.attrs, REWRITTEN: True},
                                        algebra=replace(spec.algebra, operation=operation or spec.algebra.operation,
                                                        shapes=None))
        self.cleared.add(spec.name)

    def reciprocal(self, node):
        """x / c -> x * (1 / c), the reciprocal a node ConstantFolding/<node>_recip that folding makes a
        constant (TF's floats and complex only: integer real division has no kernel to keep failing)."""
        algebra = node.algebra
        if algebra.operation != REAL_DIVIDE or not algebra.floating or not self.constant(node.inputs[1][0]):
            return False
        name = f"ConstantFolding/{node.name}_recip"
        if name in self.table:
            return False
        op_type, kernel, scalar = algebra.family[RECIPROCAL]
        self.table[name] = replace(node, name=name, op_type=op_type, kernel=kernel, inputs=node.inputs[1:],
                                   scalar=scalar if node.scalar is not None else None,
                                   attrs={**node.attrs, REWRITTEN: True}, control=(), colocate=(node.name,),
                                   algebra=None)
        self.names.append(name)
        self.change(node, (node.inputs[0], (name, 0)), TIMES)
        return True

    def push_down(self, node):
        """Grappler's ConstantPushDown: node = C op child, child = X op Y (Y constant or not) becomes
        X op' (C op'' Y), the signs of C, X and Y kept (a subtraction or division may turn around); the
        child's value changes, so it must have no other reader and not be fetched."""
        operation = node.algebra.operation
        if operation not in (PLUS, MINUS, TIMES, DIVIDE) or node.algebra.narrow:
            return False
        left_const, right_const = (self.constant(key[0]) for key in node.inputs)
        if not (left_const or right_const):
            return False
        input_c, input_op = node.inputs if left_const else node.inputs[::-1]
        child, const = self.table.get(input_op[0]), self.table[input_c[0]]
        if child is None or not self.eligible(child) or child.name in self.keep or self.uses.get(child.name, 0) > 1 \
                or child.name in const.control or node.device != child.device or node.device != const.device:
            return False
        child_operation = child.algebra.operation
        adds, muls = (PLUS, MINUS), (TIMES, DIVIDE)
        if not (operation in adds and child_operation in adds or operation in muls and child_operation in muls):
            return False
        leaves = child.inputs
        left_leaf_const, right_leaf_const = (self.constant(key[0]) for key in leaves)
        if left_leaf_const and right_leaf_const or any(k[0] in self.table and self.table[k[0]].device != node.device
                                                       for k in leaves):
            return False
        symmetric, child_symmetric = operation in (PLUS, TIMES), child_operation in (PLUS, TIMES)
        if not (symmetric and child_symmetric) and not node.algebra.floating:
            return False
        input_y = leaves[0] if left_leaf_const else leaves[1]
        if not self.constant(input_y[0]) and not {node.name, child.name} & self.cleared \
                and _grows(self.shape(input_c), self.shape(leaves[1])):
            return False    # (grappler compares C with the child's second input)
        input_x = leaves[1] if left_leaf_const else leaves[0]
        input_y = leaves[1] if input_x == leaves[0] else leaves[0]
        if symmetric and child_symmetric:
            self.change(node, (input_x, input_op))
            self.change(child, (input_c, input_y))
            return True
        # the sign of each term in the expression, and the two nodes that keep them (grappler's six cases)
        plus, minus = (PLUS, MINUS) if operation in adds else (TIMES, DIVIDE)
        negated_child = not symmetric and left_const
        neg_c = not symmetric and not left_const
        neg_x = (not child_symmetric and left_leaf_const) != negated_child
        neg_y = (not child_symmetric and not left_leaf_const) != negated_child
        self.change(node, (input_op, input_x) if neg_x else (input_x, input_op),
                    minus if neg_x or neg_c and neg_y else plus)
        self.change(child, (input_y, input_c) if neg_c else (input_c, input_y), minus if neg_c != neg_y else plus)
        return True

    def shape(self, key):
        """A tensor's static shape as grappler would infer it now (None: unknown rank)."""
        spec = self.table.get(key[0])
        if spec is None:
            return None
        if self.constant(key[0]):
            try:
                return np.shape(_constant_value(spec))
            except Exception:  # noqa: BLE001 - a constant whose kernel fails has no known shape
                return None
        if spec.algebra is not None and spec.algebra.shapes is None:   # rewritten: from its inputs now
            return _broadcast(*(self.shape(k) for k in spec.inputs))
        return self.known.get(key)


def _grows(c, y):
    """Whether pushing a constant of shape `c` next to `y` would broadcast earlier (grappler's test)."""
    if c is None or y is None:
        return False
    if None not in c and None not in y and math.prod(c) > math.prod(y):
        return True
    return len(c) > 0 and any(a is not None and b is not None and a > b for a, b in zip(c, y))


def _broadcast(a, b):
    if a is None or b is None:
        return None
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        x, y = a[-i] if i <= len(a) else 1, b[-i] if i <= len(b) else 1
        out.append(y if x == 1 else x if y == 1 else x if x == y else None)
    return tuple(reversed(out))


def _dependency_order(table, names):
    """`names`, producers first, otherwise in their order."""
    position = {name: i for i, name in enumerate(names)}
    waits = {name: {k[0] for k in table[name].inputs} | set(table[name].control) for name in names}
    readers = {}
    for name, producers in waits.items():
        for p in producers & position.keys():
            readers.setdefault(p, []).append(name)
    left = {name: len(producers & position.keys()) for name, producers in waits.items()}
    ready = [position[n] for n, count in left.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        name = names[heapq.heappop(ready)]
        order.append(name)
        for reader in readers.get(name, ()):
            left[reader] -= 1
            if left[reader] == 0:
                heapq.heappush(ready, position[reader])
    return order


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
    inputs = spec.inputs
    if spec.algebra is not None and spec.algebra.operation in (PLUS, TIMES):  # x + y and y + x are one (TF's too)
        inputs = tuple(sorted(inputs))
    return (spec.op_type, spec.kernel, attrs, inputs, frozenset(spec.control), spec.device, spec.device_text,
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
