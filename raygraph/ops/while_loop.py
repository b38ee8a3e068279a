"""`while_loop` as TF1 builds it: a frame of Enter, Merge, LoopCond, Switch, NextIteration and Exit ops.

    Enter(x)  ->  Merge(Enter, NextIteration)  ->  cond ops -> LoopCond
                  Switch(Merge, LoopCond): false side -> Exit (the result); true side -> Identity -> body
                  body result -> NextIteration -> back into the Merge

The engine runs a frame as one loop node (scheduler/frames.py). While the loop is built a
`WhileContext` is active on the graph: ops created in it that read a tensor from outside get it through
an Enter (`is_constant`, one per outside tensor), ops without inputs (or reading only such Enters) wait
for the pivot, and nested `cond`s and loops route outside tensors through it first.
"""
from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..errors import OutOfRangeError
from ..nest import assert_same_structure
from ..default_graph import name_scope
from ..shape import TensorShape, as_shape
from .sparse_tensor import SparseTensor
from .tensor_array import TensorArray
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, apply_op, op


def _same(inputs, a):
    return [(inputs[0].dtype, inputs[0].shape)]


def _loop_cond_shape(inputs, a):
    return [(dtypes.bool_, inputs[0].shape)]


def _identity(a, x):
    return x


for _name, _arg, _role in (("Enter", "data:T", "enter"), ("RefEnter", "data:&T", "enter"),
                           ("Exit", "data:T", "exit"), ("RefExit", "data:&T", "exit"),
                           ("NextIteration", "data:T", "next_iteration"),
                           ("RefNextIteration", "data:&T", "next_iteration")):
    # an Enter's gradient is reached only outside a loop's own gradient (tf.gradients called inside a loop
    # body, as tf.hessians does): TF's _EnterGrad passes it through there
    op(_name, _arg, kernel=_identity, shape=_same, role=_role,
       grad=(lambda op, g: [g]) if _role == "enter" else NO_GRADIENT_DEFINED)
op("LoopCond", "input:bool", kernel=_identity, shape=_loop_cond_shape, grad=NO_GRADIENT_DEFINED, role="loop_cond")


# A stack's handle is the Python list itself: a fresh one each step, living on the device while the step runs.
def _stack_push(a, stack, elem):
    stack.append(elem)
    return elem


def _stack_pop(a, stack):
    if not stack:
        raise OutOfRangeError(None, None, "Stack is empty.")
    return stack.pop()


op("StackV2", "max_size:int32", kernel=lambda a, n: [], shape=lambda inputs, a: [(dtypes.resource, TensorShape([]))],
   grad=NOT_DIFFERENTIABLE)
# A push runs even for a dead value (role "merge": unless all its inputs are dead) and stacks it as dead: the
# gradient loop pops it in the same iteration and the ops reading it are dead too, as the forward ones were
# (a value inside a `cond` branch of the body is dead on the iterations that took the other branch).
op("StackPushV2", "handle:resource, elem:T", kernel=_stack_push, shape=lambda inputs, a: [(inputs[1].dtype,
                                                                                           inputs[1].shape)],
   grad=NOT_DIFFERENTIABLE, role="merge")
op("StackPopV2", "handle:resource", kernel=_stack_pop,
   shape=lambda inputs, a: [(a["elem_type"], TensorShape(None))], grad=NOT_DIFFERENTIABLE)


# ----- nested structures (TF's nest: lists, tuples, namedtuples, dicts by sorted key) -----------------------
def _is_nested(x):
    return isinstance(x, (list, tuple, dict))


def _flatten(x):
    if isinstance(x, dict):
        return [y for k in sorted(x) for y in _flatten(x[k])]
    if isinstance(x, (list, tuple)):
        return [y for item in x for y in _flatten(item)]
    return [x]


def _pack(structure, flat):
    it = iter(flat)

    def pack(s):
        if isinstance(s, dict):
            packed = {k: pack(s[k]) for k in sorted(s)}
            return type(s)((k, packed[k]) for k in s)
        if isinstance(s, tuple) and hasattr(s, "_fields"):
            return type(s)(*[pack(x) for x in s])
        if isinstance(s, (list, tuple)):
            return type(s)(pack(x) for x in s)
        return next(it)
    return pack(structure)


def _same_structure(a, b):
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and sorted(a) == sorted(b) and \
            all(_same_structure(a[k], b[k]) for k in a)
    if _is_nested(a) or _is_nested(b):
        return _is_nested(a) and _is_nested(b) and len(a) == len(b) and \
            all(_same_structure(x, y) for x, y in zip(a, b))
    return True


# ----- the context -------------------------------------------------------------------------------------------
class WhileContext:
    """The loop being built: its frame name, pivot, ops, and the Enter of each outside tensor it reads."""

    def __init__(self, name, parallel_iterations, back_prop, outer, forward=None):
        self.name = name
        self.parallel_iterations = parallel_iterations
        self.back_prop = back_prop
        self.outer = outer
        self.forward = forward  # for a gradient's loop: the loop it differentiates (its values come from stacks)
        self.pivot = None
        self.ops = set()
        self.external = {}   # outside tensor -> its Enter
        self.history = {}    # (gradient loops) forward tensor -> its value popped from a stack
        self.enters = self.merges = self.switches = self.body_vars = self.nexts = self.exits = ()
        self.loop_cond = None
        self.counter = None  # the forward iteration count (made by the first gradient)

    def add_op(self, op):
        """Takes in an op created in the loop (see the module docstring)."""
        op._inputs = tuple(self._route(t) for t in op._inputs)
        free = all(t.op._attrs.get("is_constant") and t.op in self.ops for t in op._inputs)
        if free and not op._control_inputs:
            op._control_inputs.append(self.pivot.op)
        self.add_inner(op)
        op._graph._unfetchable.add(op)

    def add_inner(self, op):
        self.ops.add(op)
        if self.outer is not None:
            self.outer.add_inner(op)

    def _route(self, t):
        if t.op in self.ops:
            return t
        forward = self.forward
        if forward is not None and t.op in forward.ops:
            if t.op._def.role == "enter" and t.op._attrs.get("is_constant"):
                t = t.op._inputs[0]  # a loop-invariant value: the tensor outside
            else:
                return self._popped(t)
        routed = self.external.get(t)
        if routed is None:
            source = self.outer._route(t) if self.outer is not None else t
            routed = self.enter(source, is_constant=True)
            routed._explicit_index = True  # TF rewires the op's input: its NodeDef says ":0"
            self.external[t] = routed
        return routed

    def _popped(self, t):
        """A forward tensor's value in this gradient loop's iteration: the forward loop pushes it onto a stack
        each iteration (before its NextIteration), this loop pops it (TF1's accumulators)."""
        popped = self.history.get(t)
        if popped is None:
            g, forward = t.graph, self.forward
            saved = g._cond_context
            try:
                with g.control_dependencies(None):  # (a gradient's control dependencies stay out of the forward loop)
                    handle = apply_op("StackV2", [-1], {"elem_type": t.dtype.base_dtype, "stack_name": ""},
                                      name="f_acc")
                    g._cond_context = forward
                    push = apply_op("StackPushV2", [handle, t], {"swap_memory": False})
                    _add_control(push.op, forward.body_vars[0].op)  # one push per iteration that runs the body
                    _add_control(forward.nexts[0].op, push.op)
                g._cond_context = self
                popped = apply_op("StackPopV2", [handle], {"elem_type": t.dtype.base_dtype})
                popped.set_shape(t.shape)
            finally:
                g._cond_context = saved
            self.history[t] = popped
        return popped

    def enter(self, t, is_constant, name=None):
        g = t.graph
        with g.control_dependencies(None):  # (this also leaves every context being built)
            kind = "RefEnter" if t.dtype.is_ref_dtype else "Enter"
            out = apply_op(kind, [t], {"frame_name": self.name, "is_constant": is_constant,
                                       "parallel_iterations": self.parallel_iterations}, name=name)
        out.op._cond_context = self
        self.add_inner(out.op)
        g._unfetchable.add(out.op)
        g.prevent_feeding(out)
        return out


# ----- while_loop ----------------------------------------------------------------------------------------------
def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, name=None, maximum_iterations=None, return_same_structure=False):
    """Repeats `body` while `cond` is true; returns the loop variables' final values."""
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    loop_vars = [v._AsTensor() if hasattr(v, "_variable_op") else v for v in loop_vars] \
        if isinstance(loop_vars, list) else loop_vars
    with name_scope(name, "while", _flows(_flatten(loop_vars))) as scope:
        if not loop_vars:
            raise ValueError("'loop_vars' must be provided.")
        try_to_pack = len(loop_vars) == 1 and not return_same_structure
        if maximum_iterations is not None:
            limit = convert_to_tensor(maximum_iterations, name="maximum_iterations")
            if limit.shape.ndims != 0:
                raise ValueError(f"'maximum_iterations' must be a scalar. Received shape: {limit.shape}")
            counter = constant(0, dtype=limit.dtype, name="iteration_counter")
            orig_cond, orig_body = cond, body
            if try_to_pack:
                loop_vars = (counter, loop_vars[0])
                cond = lambda i, lv: apply_op("LogicalAnd", [i < limit, orig_cond(lv)])
                body = lambda i, lv: (i + 1, orig_body(lv))
            else:
                loop_vars = (counter, loop_vars)
                cond = lambda i, lv: apply_op("LogicalAnd", [i < limit, orig_cond(*lv)])
                body = lambda i, lv: (i + 1, orig_body(*lv))
            try_to_pack = False
            if shape_invariants is not None:
                shape_invariants = (TensorShape([]), shape_invariants)
        g = convert_to_tensor(_flows(_flatten(loop_vars))[0]).graph
        ctx = WhileContext(scope + "while_context", parallel_iterations, back_prop, g._cond_context)
        result = _build(g, ctx, cond, body, loop_vars, shape_invariants, return_same_structure)
        return result[1] if maximum_iterations is not None else result


def gradient_loop(cond, body, loop_vars, shape_invariants, forward, name):
    """A loop computing the gradient of loop `forward`: forward values it reads come from stacks."""
    with name_scope(name) as scope:
        g = forward.pivot.graph
        ctx = WhileContext(scope + "while_context", forward.parallel_iterations, True, g._cond_context, forward)
        return _build(g, ctx, cond, body, loop_vars, shape_invariants, True)


def _build(g, ctx, cond, body, loop_vars, shape_invariants, return_same_structure):
    flat_orig = _flatten(loop_vars)
    flat = [convert_to_tensor(v) for v in _flows(flat_orig)]
    given = None if shape_invariants is None else \
        [as_shape(s) for s in _flatten_invariants(shape_invariants, loop_vars)]
    if given is not None and len(given) != len(flat_orig):
        raise ValueError("The two structures don't have the same number of elements: loop_vars and "
                         "shape_invariants")
    invariants = _carried_invariants(flat_orig, flat, given)
    outer = ctx.outer
    real = [outer._route(t) if outer is not None else t for t in flat]
    enters = []
    for t, inv in zip(real, invariants):
        if not _less_specific(t.shape, inv):
            raise ValueError(f"The shape invariant specified for {t.name} is not compatible with the initial "
                             f"shape of the loop variable. It enters the loop with shape {t.shape}, but the "
                             f"specified shape invariant is {inv}.")
        e = ctx.enter(t, is_constant=False)
        e._shape = inv
        enters.append(e)
    ctx.enters = enters
    saved, g._cond_context = g._cond_context, ctx
    try:
        merges = [apply_op("Merge", [[e, e]], {"N": 2})[0] for e in enters]
        ctx.pivot = merges[0]
        c = convert_to_tensor(cond(*_pack(loop_vars, _arrays(flat_orig, merges))))
        pred = apply_op("LoopCond", [c], {}, name="LoopCond")
        switches = [apply_op("RefSwitch" if m.dtype.is_ref_dtype else "Switch", [m, pred], {}) for m in merges]
        body_vars = [apply_op("Identity", [s[1]], {}) for s in switches]
        ctx.pivot = body_vars[0]
        packed = _pack(loop_vars, _arrays(flat_orig, body_vars))
        result = body(*packed)
        if not _is_nested(result):
            result = [result]
        if not _same_structure(list(packed), list(result)):
            raise ValueError(f"The two structures don't have the same nested structure.\n\nFirst structure: "
                             f"{list(packed)}\n\nSecond structure: {list(result)}")
        # TF's nest.assert_same_structure checks the kinds too (a list vs a tuple, a namedtuple vs a tuple, below
        # the top level, which TF makes a list on both sides): TypeError
        assert_same_structure(list(packed), list(result))
        flat_result = [convert_to_tensor(r) for r in _flows(_flatten(result))]
        if len(flat_result) != len(merges):
            raise ValueError(f"Number of inputs and outputs of 'body' must match 'loop_vars'. Got {len(merges)} "
                             f"for the number of inputs/outputs, and {len(flat_result)} for 'loop_vars'.")
        for m, v, t in zip(merges, flat_result, real):
            n = apply_op("RefNextIteration" if v.dtype.is_ref_dtype else "NextIteration", [v], {})
            if not _less_specific(n.shape, m.shape):
                raise ValueError(f"Input tensor '{t.name}' enters the loop with shape {t.shape}, but has shape "
                                 f"{n.shape} after one iteration. To allow the shape to vary across iterations, "
                                 f"use the `shape_invariants` argument of tf.while_loop to specify a "
                                 f"less-specific shape.")
            if n.dtype.base_dtype != m.dtype.base_dtype:
                raise TypeError(f"Input '{m.op.name}' of 'Merge' Op has type {n.dtype.base_dtype.name} that does "
                                f"not match type {m.dtype.base_dtype.name} of argument 'inputs'.")
            n._explicit_index = True
            _set_back_edge(m.op, n)
        exits = [apply_op("RefExit" if s[0].dtype.is_ref_dtype else "Exit", [s[0]], {}) for s in switches]
    finally:
        g._cond_context = saved
    ctx.merges, ctx.switches, ctx.body_vars, ctx.exits, ctx.loop_cond = merges, switches, body_vars, exits, pred
    ctx.nexts = [m.op._inputs[1] for m in merges]
    if outer is None:
        for x in exits:
            g._unfetchable.discard(x.op)
    packed_exits = _pack(result, _arrays(_flatten(result), exits))
    if return_same_structure:
        return packed_exits
    return packed_exits[0] if len(exits) == 1 else packed_exits   # (a lone SparseTensor's 3 exits: a list, as TF)


def _flows(flat):
    """The tensors a loop carries for its variables: a TensorArray's flow, a SparseTensor's three parts."""
    out = []
    for v in flat:
        if isinstance(v, SparseTensor):
            out += [v.indices, v.values, v.dense_shape]
        else:
            out.append(v.flow if isinstance(v, TensorArray) else v)
    return out


def _arrays(originals, tensors):
    """The loop variables `originals` made again of the tensors the loop carries for them (see _flows)."""
    carried = iter(tensors)
    out = []
    for o in originals:
        if isinstance(o, SparseTensor):
            out.append(SparseTensor(next(carried), next(carried), next(carried)))
        else:
            out.append(o._with_flow(next(carried)) if isinstance(o, TensorArray) else next(carried))
    return out


def _carried_invariants(flat_orig, flat, given):
    """Per carried tensor, its shape invariant: the given one (per loop variable) or its own shape. A SparseTensor's
    is, as in TF, that of its dense_shape, [r]: its parts get [None, r], [None] and [r] (its values vary in number)."""
    given = iter(given if given is not None else [None] * len(flat_orig))
    carried = iter(flat)
    out = []
    for o in flat_orig:
        inv = next(given)
        if isinstance(o, SparseTensor):
            if inv is not None and inv.ndims is not None and inv.ndims != 1:
                raise ValueError(f"Expected a shape with 1 dimension. Obtained: {inv} which has {inv.ndims} "
                                 f"dimensions.")
            rank = o.shape.ndims if inv is None else inv[0].value if inv.ndims else None
            out += [TensorShape([None, rank]), TensorShape([None]), TensorShape([rank])]
            for _ in range(3):
                next(carried)
        else:
            t = next(carried)
            out.append(inv if inv is not None else t.shape)
    return out


def _flatten_invariants(invariants, loop_vars):
    """Shape invariants flattened like `loop_vars` (a TensorShape or a list of dims is a leaf)."""
    def walk(inv, var):
        if isinstance(var, dict):
            return [s for k in sorted(var) for s in walk(inv[k], var[k])]
        if _is_nested(var):
            if not _is_nested(inv) or len(inv) != len(var):
                raise ValueError("The two structures don't have the same nested structure: loop_vars and "
                                 "shape_invariants")
            return [s for i, v in zip(inv, var) for s in walk(i, v)]
        return [inv]
    return walk(invariants, loop_vars)


def _less_specific(shape, invariant):
    """Whether `invariant` allows `shape` (TF's _ShapeLessThanOrEqual(shape, invariant))."""
    if invariant.ndims is None:
        return True
    if shape.ndims != invariant.ndims:
        return False
    return all(b is None or a == b for a, b in zip(shape.as_list(), invariant.as_list()))


def _set_back_edge(merge, value):
    """Points a loop Merge's second input at the NextIteration (TF's `_update_input(1, v)`)."""
    old = merge._inputs[1]
    old._consumers.remove(merge)
    merge._inputs = (merge._inputs[0], value)
    value._consumers.append(merge)
    merge._graph._mutations = getattr(merge._graph, "_mutations", 0) + 1  # a made op changed: replan


def _add_control(op, control):
    op._control_inputs.append(control)
    control._control_outputs.append(op)
    op._graph._mutations = getattr(op._graph, "_mutations", 0) + 1


def forward_count(ctx):
    """The number of iterations loop `ctx` ran (a counter added to it once, as TF1's gradients do)."""
    if ctx.counter is not None:
        return ctx.counter
    g = ctx.pivot.graph
    saved = g._cond_context
    try:
        with g.control_dependencies(None), name_scope(ctx.name[:-len("while_context")] or None):
            zero = constant(0, name="f_count")
            enter = ctx.enter(ctx.outer._route(zero) if ctx.outer is not None else zero, is_constant=False,
                              name="f_count")
            g._cond_context = ctx
            merge = apply_op("Merge", [[enter, enter]], {"N": 2}, name="f_count")[0]
            switch = apply_op("Switch", [merge, ctx.loop_cond], {}, name="f_count")
            step = apply_op("AddV2", [apply_op("Identity", [switch[1]], {}, name="f_count"),
                                      constant(1, name="f_count/y")], {}, name="Add")
            _set_back_edge(merge.op, apply_op("NextIteration", [step], {}, name="f_count"))
            ctx.counter = apply_op("Exit", [switch[0]], {}, name="f_count")
    finally:
        g._cond_context = saved
    return ctx.counter

