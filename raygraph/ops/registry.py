"""The op table: one `OpDef` per op type, holding its inputs, kernel, shape function and gradient.

`op(...)` defines an entry; `apply_op(...)` builds an Operation from an entry the way TF1's
`_apply_op_helper` does: a name scope for the op, inputs converted under it (`mul/y`), type attributes
inferred from the inputs and checked, static shapes computed, shape errors reported with the node.

Kernels are plain numpy functions `kernel(attrs, *inputs)`; stateful ones are called
`kernel(attrs, resources, *inputs)` with the device's resource store. Gradients build graph ops:
`grad(op, *output_grads) -> [input_grad, ...]`.
"""
from scheduler.fusion import FUSED_OP as REGION  # noqa: F401 - a Remap's consumer: a fused elementwise region

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import get_default_graph, graph_of
from ..errors import InvalidArgumentError
from ..operation import Operation
from ..tensor import Tensor
from .shape_fns import (BareShapeError, _dt_name, bool_broadcast_shape, broadcast_dims, broadcast_shape,  # noqa: F401
                        constant_value, constant_value_as_shape, dims, merge_all_dims, merge_dims, same_shape,
                        shape_error, with_rank)

REGISTRY = {}
# Every entry states its gradient: a function, or one of these two markers (TF1's two kinds of "no gradient").
NOT_DIFFERENTIABLE = "not differentiable"  # TF's NotDifferentiable: the op's inputs get None gradients
NO_GRADIENT_DEFINED = "no gradient defined"  # no gradient registered: LookupError when one must flow through the op
_GRAD_REQUIRED = object()

FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)
COMPLEX = (dtypes.complex64, dtypes.complex128)
INTS = (dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64,
        dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64)
REALS = FLOATS + INTS
NUMBERS = REALS + COMPLEX
ANY = None


class Arg:
    """One input of an op: its name, its type (an attr like 'T' or a fixed DType), list-ness, ref-ness."""

    __slots__ = ("name", "type_attr", "fixed", "is_list", "is_ref", "default", "mixed")

    def __init__(self, spec):
        name, _, typ = spec.partition(":")
        self.name = name.strip()
        typ = typ.strip()
        self.is_list = typ.startswith(("*", "+"))
        self.mixed = typ.startswith("+")  # a list whose elements may differ in dtype (Assert's data)
        self.is_ref = typ.startswith("&")
        typ = typ.lstrip("*+&")
        typ, _, default = typ.partition("=")
        self.default = dtypes.as_dtype(default) if default else None
        if typ in dtypes._BY_NAME:
            self.fixed, self.type_attr = dtypes.as_dtype(typ), None
        else:
            self.fixed, self.type_attr = None, typ


class OpDef:
    """One op type: everything raygraph knows about it, in one place.

    `role` is what the engine must know about it beyond its kernel (scheduler/partition.py's ROLES):
    "constant" (folded when planning), "pass_through" (spliced out, passes a variable ref on), "switch"
    (one output is dead), "merge" (runs unless all inputs are dead), "must_feed" (an error unless fed);
    None for an ordinary op.
    """

    __slots__ = ("type", "args", "allowed", "kernel", "shape", "grad", "stateful", "has_ref", "attr_checks",
                 "role", "choices", "elementwise", "algebra", "scalar", "scalar_when", "shape_only", "fresh", "remaps")

    def __init__(self, type, args, allowed, kernel, shape, grad, stateful, role=None, choices=None,
                 elementwise=False, algebra=None, scalar=None, shape_only=False, fresh=False, scalar_when=None,
                 remaps=()):
        self.type = type
        self.args = args
        self.allowed = allowed
        self.kernel = kernel
        self.shape = shape
        self.grad = grad
        self.stateful = stateful
        self.role = role
        self.choices = choices or {}   # string attr -> the values TF's OpDef allows ("padding": SAME, VALID)
        self.elementwise = elementwise  # each output element depends only on the inputs' elements at its
        #                                 (broadcast) position, so planning may fuse it with its neighbours
        self.algebra = algebra  # the arithmetic it computes (scheduler.optimize's PLUS, MINUS...): planning
        #                         rewrites around constants as grappler does
        self.scalar = scalar    # its float32 element formula (scalar_math): fused, it may run as a compiled loop
        self.scalar_when = scalar_when  # attrs -> whether the formula applies to a node (None: always)
        self.shape_only = shape_only  # its outputs depend on its inputs' shapes alone (Shape, Size, Rank)
        self.fresh = fresh      # its kernel's outputs are new arrays that nothing else holds
        self.remaps = tuple(remaps)   # the consumers it may run with as one node (Remap)
        self.has_ref = any(a.is_ref for a in args)
        inferred = {a.type_attr for a in args}
        self.attr_checks = tuple(k for k in allowed if k not in inferred)  # type attrs the caller sets

    def __repr__(self):
        return f"<OpDef {self.type}>"


class Remap:
    """A consumer an op may run with as one node, as TF's grappler remaps a pattern of ops to one fused kernel:
    planning merges an op of type `consumer` that alone reads the op's first output, as its input `at`, and whose
    other inputs are the op's own (`same`: pairs (consumer's input, the op's input)) or, with `others`, any
    values, when both are plain nodes (scheduler/fusion.py; the consumer may be stateful). The merged node runs
    `kernel(attrs, consumer_attrs, *the op's inputs, *the consumer's other inputs)`, which returns the consumer's
    outputs, the bits the two kernels give (MatMul's gradient descent: to float rounding), or None where
    it does not apply (the two run then). A consumer of type REGION is an elementwise
    region planning fused (its attrs' "program", scheduler/fusion.Program, says what it computes)."""

    __slots__ = ("consumer", "at", "same", "kernel", "others")

    def __init__(self, consumer, at, same, kernel, others=False):
        self.consumer, self.at, self.same, self.kernel, self.others = consumer, at, tuple(same), kernel, others

    def __repr__(self):
        return f"<Remap {self.consumer}>"


def op(type, inputs="", kernel=None, shape=None, grad=_GRAD_REQUIRED, stateful=False, role=None, choices=None,
       elementwise=False, algebra=None, scalar=None, shape_only=False, fresh=False, scalar_when=None,
       remaps=(), **allowed):
    """Defines the op `type` (once: a second definition is an error); `inputs` is like "x:T, y:T", "values:*T", "ref:&T".

    `choices` maps a string attr to the values it allows, in TF's order, e.g. {"padding": ("SAME", "VALID")}.

    `elementwise=True`: the output has the inputs' broadcast shape (rows included: its kernel may run on
    blocks of rows) and each element depends only on the inputs' elements at its position (fusion.py).

    `algebra`: what arithmetic the op computes (scheduler.optimize.PLUS, MINUS, TIMES, REAL_DIVIDE, RECIPROCAL),
    for the arithmetic rewrites planning does around constants as TF's grappler.

    `scalar`: for an elementwise op, what it computes for one float32 element (a function of the inputs'
    elements, in scalar_math), so that a fused region of such ops runs as one compiled loop (scheduler/jit.py);
    `scalar_when(attrs)`: whether it applies to a node with these attrs (BiasAdd's only where its bias meets the
    value's last axis, as the loop's inputs meet a region).

    `shape_only=True`: its outputs depend on its inputs' shapes alone, not their values (Shape, Size, Rank),
    so a device may keep them from one step to the next while those shapes stay (`Kept`, scheduler/partition.py).

    `fresh=True`: its kernel's outputs are always new arrays that nothing else holds (no view of an input, of a
    variable or of a value a kernel keeps), so the one op that reads such an output may write its own result there
    (`reuse`, scheduler/straight_line.py).

    `remaps`: `Remap`s, consumers its kernel may compute together with it as one node (scheduler/fusion.py).

    `grad` is required: `fn(op, *output_grads) -> [input_grad, ...]`, NOT_DIFFERENTIABLE or NO_GRADIENT_DEFINED.

    Each keyword lists the dtypes a type attr allows: DTypes, or a string of TF's names in TF's order
    (which TF's error messages show), e.g. T="bfloat16 float16 float32 float64".
    """
    if not (callable(grad) or grad is NOT_DIFFERENTIABLE or grad is NO_GRADIENT_DEFINED):
        raise TypeError(f"op {type!r} needs grad=: a gradient function, NOT_DIFFERENTIABLE or NO_GRADIENT_DEFINED")
    args = tuple(Arg(s) for s in inputs.split(",") if s.strip())
    names = {k: tuple(v.split()) if isinstance(v, str) else tuple(d.name for d in v) for k, v in allowed.items()}
    if type in REGISTRY:
        raise ValueError(f"op {type!r} is defined twice: the op table holds one entry per op type")
    entry = OpDef(type, args, names, kernel, shape, grad, stateful, role, choices, elementwise, algebra, scalar,
                  shape_only, fresh, scalar_when, remaps)
    REGISTRY[type] = entry
    return entry


def cpu_kernel(op_type, kernel, without, attr="T"):
    """`kernel`, failing as TF does for the dtypes its op allows but no CPU kernel implements."""
    missing = set(without.split())

    def run(a, *inputs):
        dtype = a[attr]
        if dtype._name in missing:
            raise InvalidArgumentError(None, None, f"No OpKernel was registered to support Op '{op_type}' with "
                                                   f"these attrs: [{attr}={_dt_name(dtype)}]")
        return kernel(a, *inputs)
    return run


def get(op_type):
    try:
        return REGISTRY[op_type]
    except KeyError:
        raise KeyError(f"No op named {op_type} in the raygraph op table.") from None


# ----- building an op ----------------------------------------------------------------------------
def apply_op(op_type, inputs, attrs=None, name=None, graph=None, num_outputs=None):
    """Creates an op of `op_type` over `inputs` (Tensors or convertibles); returns its output(s).

    A single output comes back as a Tensor, several as a list, none as the Operation.
    """
    entry = REGISTRY[op_type]
    attrs = {} if attrs is None else attrs
    capture = (graph or get_default_graph()).capture  # (tracing a dataset function: data/function.py)
    if capture is not None:
        inputs = capture(inputs)
    g = graph_of(inputs, graph)
    old_stack = g._name_stack
    scope = g._scope_for(name or op_type)
    g._name_stack = scope
    try:
        tensors = _convert_inputs(entry, inputs, attrs)
        flat = _flatten(tensors)
        if entry.attr_checks:
            _check_attr_types(entry, attrs)
        if entry.choices:
            _check_choices(entry, attrs)
        try:
            specs = entry.shape(flat, attrs) if entry.shape is not None else []
        except ValueError as e:
            raise ValueError(shape_error(e, entry, scope, flat, attrs)) from None
        if type(specs) is tuple:
            specs = [specs]
        refs = [t.op for arg, t in zip(entry.args, tensors) if arg.is_ref] if entry.has_ref else ()
        if refs:  # ops writing through a ref live with the variable (TF's _MaybeColocateWith)
            op = _colocated(g, refs, lambda: Operation(g, op_type, g._op_name(scope + "/"), flat, specs, attrs,
                                                       entry))
        else:
            op = Operation(g, op_type, g._op_name(scope + "/"), flat, specs, attrs, entry)
    finally:
        g._name_stack = old_stack
    outputs = op._outputs
    if not outputs:
        return op
    return outputs[0] if len(outputs) == 1 else outputs


def make_int(value, arg):
    """An int attr as TF's generated wrappers take it (_execute.make_int): whatever int() takes, but a string."""
    try:
        if isinstance(value, str):
            raise TypeError
        return int(value)
    except (TypeError, ValueError):
        raise TypeError(f"Expected int for argument '{arg}' not {value!r}.") from None


def _colocated(g, ops, build):
    if not ops:
        return build()
    with g.colocate_with(ops[0]):
        return _colocated(g, ops[1:], build)


def _flatten(tensors):
    if not any(type(t) is list for t in tensors):
        return tensors
    out = []
    for t in tensors:
        if type(t) is list:
            out.extend(t)
        else:
            out.append(t)
    return out


def _convert_inputs(entry, inputs, attrs):
    """Converts inputs in order, inferring each type attr from the first input that fixes it."""
    if len(inputs) != len(entry.args):
        raise TypeError(f"{entry.type} takes {len(entry.args)} inputs, got {len(inputs)}.")
    out, inferred_from = [], {}
    for arg, value in zip(entry.args, inputs):
        dtype = arg.fixed or attrs.get(arg.type_attr)
        if arg.is_list:
            if not isinstance(value, (list, tuple)):
                raise TypeError(f"Expected list for '{arg.name}' argument to '{entry.type}' Op, not {value}.")
            if arg.mixed:
                converted = [convert_to_tensor(v, name=f"{arg.name}_{i}") for i, v in enumerate(value)]
                attrs[arg.type_attr] = [t.dtype.base_dtype for t in converted]
                out.append(converted)
                continue
            first = None if dtype else next((v.dtype.base_dtype for v in value if isinstance(v, Tensor)), None)
            try:  # TF converts every element to the type of the list's first tensor (a nested list is cast)
                converted = [_convert_one(entry, arg, v, dtype or first, attrs, inferred_from, f"{arg.name}_{i}")
                             for i, v in enumerate(value)]
            except TypeError:
                if first is None:
                    raise
                converted = [convert_to_tensor(v) for v in value]
            kinds = {t.dtype.base_dtype for t in converted}
            if len(kinds) > 1:
                raise TypeError(f"Tensors in list passed to '{arg.name}' of '{entry.type}' Op have types "
                                f"[{', '.join(t.dtype.base_dtype.name for t in converted)}] that don't all match.")
            if not converted and arg.type_attr and arg.type_attr not in attrs and arg.default:
                attrs[arg.type_attr] = arg.default
            out.append(converted)
            if converted:
                _record_type(entry, arg, converted[0], attrs, inferred_from)
        else:
            t = _convert_one(entry, arg, value, dtype, attrs, inferred_from)
            _record_type(entry, arg, t, attrs, inferred_from)
            out.append(t)
    return out


def _convert_one(entry, arg, value, dtype, attrs, inferred_from, name=None):
    if type(value) is Tensor and not arg.is_ref:
        if dtype is not None and value._dtype is not dtype and value._dtype.base_dtype is not dtype:
            raise TypeError(_mismatch(entry, arg, value.dtype.base_dtype, dtype, inferred_from))
        return value
    try:
        if dtype is None and arg.default is not None and arg.type_attr in entry.allowed:
            t = _convert_preferring_allowed(entry, arg, value)
        else:
            t = convert_to_tensor(value, dtype=dtype, name=name or arg.name, as_ref=arg.is_ref,
                                  preferred_dtype=None if dtype else arg.default)
    except TypeError as e:
        if dtype is None:
            raise
        raise TypeError(f"Expected {dtype.name} passed to parameter '{arg.name}' of op '{entry.type}', "
                        f"got {value!r} of type '{type(value).__name__}' instead. Error: {e}") from None
    except ValueError:
        try:
            observed = convert_to_tensor(value, as_ref=arg.is_ref).dtype.base_dtype
        except ValueError as e:   # not convertible at all (a partially known TensorShape...)
            raise ValueError(f"Tried to convert '{arg.name}' to a tensor and failed. Error: {e}") from None
        raise TypeError(_mismatch(entry, arg, observed, dtype, inferred_from)) from None
    if arg.is_ref and not t.dtype.is_ref_dtype:
        raise TypeError(f"'{entry.type}' Op requires that input '{arg.name}' be a mutable tensor "
                        f"(e.g.: a tf.Variable)")
    return t


def _convert_preferring_allowed(entry, arg, value):
    """TF's rule for an input whose type attr has a default: the value's own dtype if allowed, else the
    default (so `[]` becomes a float32 Const, unused, then an int32 one, as in TF)."""
    try:
        t = convert_to_tensor(value, name=arg.name, as_ref=arg.is_ref)
    except TypeError:
        t = None
    if t is not None and t.dtype.base_dtype._name in entry.allowed[arg.type_attr]:
        return t
    return convert_to_tensor(value, name=arg.name, as_ref=arg.is_ref, preferred_dtype=arg.default)


def _mismatch(entry, arg, observed, dtype, inferred_from):
    prefix = f"Input '{arg.name}' of '{entry.type}' Op has type {observed.name} that does not match"
    if arg.type_attr in inferred_from:
        return f"{prefix} type {dtype.name} of argument '{inferred_from[arg.type_attr]}'."
    return f"{prefix} expected type of {dtype.name}."


def _record_type(entry, arg, t, attrs, inferred_from):
    if arg.type_attr is None or arg.type_attr in inferred_from:
        return
    base = t.dtype.base_dtype
    allowed = entry.allowed.get(arg.type_attr)
    if allowed and base._name not in allowed:
        raise TypeError(f"Value passed to parameter '{arg.name}' has DataType {base.name} not in list of "
                        f"allowed values: {', '.join(allowed)}")
    attrs[arg.type_attr] = base
    inferred_from[arg.type_attr] = arg.name


def _check_attr_types(entry, attrs):
    for key in entry.attr_checks:
        value = attrs.get(key)
        if isinstance(value, dtypes.DType) and value._name not in entry.allowed[key]:
            raise TypeError(f"Value passed to parameter '{key}' has DataType {value.name} not in list of "
                            f"allowed values: {', '.join(entry.allowed[key])}")


def _check_choices(entry, attrs):
    """TF's check of a string attr against its OpDef's allowed values (after the inputs, as TF does)."""
    for key, allowed in entry.choices.items():
        value = attrs.get(key)
        if value is not None and value not in allowed:
            raise ValueError(f"Attr '{key}' of '{entry.type}' Op passed string '{value}' not in: "
                             + ", ".join(f'"{v}"' for v in allowed) + ".")
