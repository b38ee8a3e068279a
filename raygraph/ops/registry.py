"""The op table: one `OpDef` per op type, holding its inputs, kernel, shape function and gradient.

`op(...)` defines an entry; `apply_op(...)` builds an Operation from an entry the way TF1's
`_apply_op_helper` does: a name scope for the op, inputs converted under it (`mul/y`), type attributes
inferred from the inputs and checked, static shapes computed, shape errors reported with the node.

Kernels are plain numpy functions `kernel(attrs, *inputs)`; stateful ones are called
`kernel(attrs, resources, *inputs)` with the device's resource store. Gradients build graph ops:
`grad(op, *output_grads) -> [input_grad, ...]`.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..graph import get_default_graph
from ..operation import Operation
from ..shape import TensorShape, unknown_shape
from ..tensor import Tensor

REGISTRY = {}
NOT_DIFFERENTIABLE = "not differentiable"

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
    """One op type: everything raygraph knows about it, in one place."""

    __slots__ = ("type", "args", "allowed", "kernel", "shape", "grad", "stateful", "has_ref", "attr_checks")

    def __init__(self, type, args, allowed, kernel, shape, grad, stateful):
        self.type = type
        self.args = args
        self.allowed = allowed
        self.kernel = kernel
        self.shape = shape
        self.grad = grad
        self.stateful = stateful
        self.has_ref = any(a.is_ref for a in args)
        inferred = {a.type_attr for a in args}
        self.attr_checks = tuple(k for k in allowed if k not in inferred)  # type attrs the caller sets

    def __repr__(self):
        return f"<OpDef {self.type}>"


def op(type, inputs="", kernel=None, shape=None, grad=None, stateful=False, **allowed):
    """Defines (or redefines) the op `type`; `inputs` is like "x:T, y:T", "values:*T", "ref:&T".

    Each keyword lists the dtypes a type attr allows: DTypes, or a string of TF's names in TF's order
    (which TF's error messages show), e.g. T="bfloat16 float16 float32 float64".
    """
    args = tuple(Arg(s) for s in inputs.split(",") if s.strip())
    names = {k: tuple(v.split()) if isinstance(v, str) else tuple(d.name for d in v) for k, v in allowed.items()}
    entry = OpDef(type, args, names, kernel, shape, grad, stateful)
    REGISTRY[type] = entry
    return entry


def get(op_type):
    try:
        return REGISTRY[op_type]
    except KeyError:
        raise KeyError(f"No op named {op_type} in the raygraph op table.") from None


# ----- building an op ----------------------------------------------------------------------------
def graph_of(values, graph=None):
    """The graph that ops over `values` belong to (TF's _get_graph_from_inputs); ValueError if mixed."""
    first = None
    for v in values:
        if isinstance(v, (list, tuple)):
            for w in v:
                first, graph = _check_same_graph(w, first, graph)
        else:
            first, graph = _check_same_graph(v, first, graph)
    return graph or get_default_graph()


def _check_same_graph(v, first, graph):
    if isinstance(v, (Tensor, Operation)):
        element = v
    else:
        as_element = getattr(v, "_as_graph_element", None)
        if as_element is None or isinstance(v, type):
            return first, graph
        element = as_element()
        if element is None:
            return first, graph
    if first is None:
        if graph is None:
            return element, element.graph
        if element.graph is not graph:
            raise ValueError(f"{element} is not from the passed-in graph.")
        return first, graph
    if element.graph is not first.graph:
        raise ValueError(f"{element} must be from the same graph as {first} (graphs are "
                         f"{element.graph} and {first.graph}).")
    return first, graph


def apply_op(op_type, inputs, attrs=None, name=None, graph=None, num_outputs=None):
    """Creates an op of `op_type` over `inputs` (Tensors or convertibles); returns its output(s).

    A single output comes back as a Tensor, several as a list, none as the Operation.
    """
    entry = REGISTRY[op_type]
    attrs = {} if attrs is None else attrs
    g = graph_of(inputs, graph)
    old_stack = g._name_stack
    scope = g._scope_for(name or op_type)
    g._name_stack = scope
    try:
        tensors = _convert_inputs(entry, inputs, attrs)
        flat = _flatten(tensors)
        if entry.attr_checks:
            _check_attr_types(entry, attrs)
        try:
            specs = entry.shape(flat, attrs) if entry.shape is not None else []
        except ValueError as e:
            raise ValueError(_shape_error(e, entry, scope, flat, attrs)) from None
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
                converted = [convert_to_tensor(v) for v in value]
                attrs[arg.type_attr] = [t.dtype.base_dtype for t in converted]
                out.append(converted)
                continue
            converted = [_convert_one(entry, arg, v, dtype, attrs, inferred_from, f"{arg.name}_{i}")
                         for i, v in enumerate(value)]
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
        observed = convert_to_tensor(value, as_ref=arg.is_ref).dtype.base_dtype
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


# ----- TF's text for a node whose shape function failed ----------------------------------------------
_DT = {dtypes.float32: "DT_FLOAT", dtypes.float64: "DT_DOUBLE", dtypes.float16: "DT_HALF"}
_probe = None  # while explaining a shape error: a _Probe recording (or hiding) the input values used


class _Probe:
    """How TF's shape refiner runs a shape function: first with no input values, then again with the values
    of the inputs the previous runs asked for, until it stops asking. `requests`: (input, "value"/"shape")."""

    def __init__(self, inputs, known):
        self.inputs = inputs
        self.known = known
        self.requests = []
        self.error = None

    def hides(self, t, kind):
        """Records a request for `t`; True if `t` is an input whose value this run must not see."""
        for x in self.inputs:
            if x is t:
                self.requests.append((t, kind))
                return not any(k is t for k in self.known)
        return False


class BareShapeError(ValueError):
    """A shape error TF reports without the node text (raised while evaluating a shape input)."""


def _dt_name(d):
    return _DT.get(d) or "DT_" + d.name.upper()


def _attr_text(attrs):
    parts = []
    for k in sorted(attrs):
        v = attrs[k]
        if isinstance(v, dtypes.DType):
            parts.append(f"{k}={_dt_name(v)}")
        elif isinstance(v, bool):
            parts.append(f"{k}={'true' if v else 'false'}")
        elif isinstance(v, (int, float)):
            parts.append(f"{k}={v}")
        elif isinstance(v, str):
            parts.append(f'{k}="{v}"')
        elif isinstance(v, TensorShape):
            parts.append(f"{k}={_dims_text(v._dims)}")
        elif isinstance(v, list):
            parts.append(f"{k}=[{', '.join(_dt_name(x) if isinstance(x, dtypes.DType) else str(x) for x in v)}]")
    return ", ".join(parts)


def _shape_error(e, entry, scope, flat, attrs):
    """TF's message for a failed shape function: the node, its input shapes and the input values used.

    TF runs a shape function without input values first, then with the values it asked for (see _Probe);
    the message lists the values known in the run that failed.
    """
    if isinstance(e, BareShapeError):
        return str(e)
    known, requested = [], []
    for _ in range(len(flat) + 1):
        probe = _run_probe(entry, flat, attrs, known)
        if probe.error is not None:
            e = probe.error
            requested = [(t, kind) for t, kind in probe.requests if any(k is t for k in known)]
            break
        new = [t for t, _ in probe.requests if not any(k is t for k in known)]
        if not new:
            requested = probe.requests
            break
        known += new
    values, partial = [], []
    for i, t in enumerate(flat):
        kinds = {kind for r, kind in requested if r is t}
        if "shape" in kinds and constant_value_as_shape(t)._dims is not None:
            partial.append(f"input[{i}] = {_dims_text(constant_value_as_shape(t)._dims)}")
        elif kinds:
            v = constant_value(t)
            if v is not None:
                values.append(f"input[{i}] = <{_summarize(v)}>")
    text = (f"{e} for '{{{{node {scope}}}}} = {entry.type}[{_attr_text(attrs)}]"
            f"({', '.join(t._as_node_def_input() for t in flat)})' with input shapes: "
            f"{', '.join(_dims_text(t._shape._dims) for t in flat)}")
    if values:
        text += " and with computed input tensors: " + ", ".join(values)
    if partial:
        text += " and with input tensors computed as partial shapes: " + ", ".join(partial)
    return text + "."


def _run_probe(entry, flat, attrs, known):
    global _probe
    _probe = probe = _Probe(flat, known)
    try:
        entry.shape(flat, attrs)
    except ValueError as e:
        probe.error = e
    finally:
        _probe = None
    return probe


def _summarize(v):
    v = np.asarray(v)
    if v.ndim <= 1:
        return " ".join(str(x) for x in v.reshape(-1))
    return "".join("[" + _summarize(x) + "]" for x in v)


def _dims_text(dims):
    return "?" if dims is None else "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


# ----- shape-function helpers ---------------------------------------------------------------------
def dims(t):
    """The raw dims tuple of a tensor's static shape (None for unknown rank)."""
    return t._shape._dims


def same_shape(inputs, attrs):
    """Output like the first input (unary elementwise ops)."""
    x = inputs[0]
    return x.dtype.base_dtype, x._shape


def broadcast_dims(a, b):
    """Static broadcast of two raw dims tuples, with TF's error for incompatible dimensions."""
    if a is None or b is None:
        return None
    if a == b:
        return a
    n = max(len(a), len(b))
    a = (1,) * (n - len(a)) + a
    b = (1,) * (n - len(b)) + b
    out = []
    for x, y in zip(a, b):
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None:
            out.append(y if y is not None and y > 1 else None)
        elif y is None:
            out.append(x)
        elif x == y:
            out.append(x)
        else:
            raise ValueError(f"Dimensions must be equal, but are {x} and {y}")
    return tuple(out)


def merge_dims(a, b):
    """TF's Merge of two raw dims tuples (the more known of each dim), with TF's errors on conflict."""
    if a is None:
        return b
    if b is None or a == b:
        return a
    if len(a) != len(b):
        raise ValueError(f"Shapes must be equal rank, but are {len(a)} and {len(b)}")
    out = []
    for i, (x, y) in enumerate(zip(a, b)):
        if x is not None and y is not None and x != y:
            raise ValueError(f"Dimension {i} in both shapes must be equal, but are {x} and {y}. Shapes are "
                             f"{_dims_text(a)} and {_dims_text(b)}.")
        out.append(y if x is None else x)
    return tuple(out)


def broadcast_shape(inputs, attrs):
    """Output of a broadcasting binary op: dtype of the first input, broadcast shape."""
    x, y = inputs
    return x.dtype.base_dtype, TensorShape._raw(broadcast_dims(x._shape._dims, y._shape._dims))


def bool_broadcast_shape(inputs, attrs):
    return dtypes.bool_, broadcast_shape(inputs, attrs)[1]


def with_rank(t, rank):
    d = t._shape._dims
    if d is not None and len(d) != rank:
        raise ValueError(f"Shape must be rank {rank} but is rank {len(d)}")
    return d if d is not None else (None,) * rank


_NEVER_FOLD = {"Placeholder", "PlaceholderWithDefault", "Switch", "Merge", "Enter", "Exit", "NextIteration",
               "LoopCond", "Print", "Assert"}
_FOLD_DEPTH = 8      # how far back constant_value evaluates (TF evaluates small constant subgraphs)
_FOLD_SIZE = 10000   # and values up to this many elements


def constant_value(t, _depth=0):
    """The value of `t` if it can be known while building the graph, else None.

    Like TF's shape refiner: Consts, shapes known statically (Shape, Size, Rank, slices of a Shape) and
    small subgraphs of stateless ops over those, evaluated with their kernels.
    """
    if _probe is not None and _probe.hides(t, "value"):
        return None
    op = t.op
    kind = op.type
    if kind == "Const":
        return op._attrs["value"]
    if kind in ("Shape", "Size", "Rank"):
        d = dims(op.inputs[0])
        if d is None or (kind != "Rank" and None in d):
            return None
        out = len(d) if kind == "Rank" else d if kind == "Shape" else int(np.prod(d, dtype=np.int64))
        return np.array(out, dtype=np.int32 if kind == "Rank" else op._attrs["out_type"].as_numpy_dtype)
    if kind == "StridedSlice" and op.inputs[0].op.type == "Shape":
        return _shape_slice(op, _depth)
    return _fold(t, _depth)


def _fold(t, depth):
    """`t` computed by its op's kernel, if every input is known (and small) and the op is stateless."""
    op = t.op
    entry = op._def
    if (depth >= _FOLD_DEPTH or entry is None or entry.stateful or entry.kernel is None
            or op.type in _NEVER_FOLD or not op._outputs):
        return None
    values = []
    for x in op._inputs:
        v = constant_value(x, depth + 1)
        if v is None or np.size(v) > _FOLD_SIZE:
            return None
        values.append(v)
    try:
        out = entry.kernel(op._attrs, *values)
    except Exception:  # noqa: BLE001 - the run will report it; statically the value is just unknown
        return None
    return np.asarray(out[t._value_index] if len(op._outputs) > 1 else out)


def _shape_slice(op, depth):
    """A StridedSlice of a Shape, known where it selects only known dims (TF infers it from the shape)."""
    d = dims(op.inputs[0].op.inputs[0])
    parts = [constant_value(x, depth + 1) for x in op.inputs[1:]]
    if d is None or any(p is None for p in parts):
        return None
    try:
        picked = op._def.kernel(op._attrs, np.array(d, dtype=object), *parts)
    except Exception:  # noqa: BLE001
        return None
    if any(v is None for v in np.ravel(picked)):
        return None
    return np.asarray(picked, dtype=op._outputs[0].dtype.as_numpy_dtype)


def _partial_shape_slice(op):
    """A 1-D StridedSlice of a Shape as a partial shape (the dims it selects, known or not)."""
    d = dims(op.inputs[0].op.inputs[0])
    parts = [constant_value(x) for x in op.inputs[1:]]
    a = op._attrs
    if d is None or any(p is None for p in parts) or a["ellipsis_mask"] or a["new_axis_mask"] or \
            a["shrink_axis_mask"]:
        return None
    try:
        picked = op._def.kernel(a, np.array(d, dtype=object), *parts)
    except Exception:  # noqa: BLE001
        return None
    return TensorShape._raw(tuple(picked)) if np.ndim(picked) == 1 else None


def constant_value_as_shape(t):
    """A 1-D shape tensor's partially known value, as a TensorShape (TF's constant_value_as_shape)."""
    d = dims(t)
    if _probe is not None and _probe.hides(t, "shape"):
        return unknown_shape(d[0] if d is not None and len(d) == 1 else None)
    if d is not None and len(d) == 0:
        v = constant_value(t)
        if v is not None:
            return unknown_shape(int(v))
    op = t.op
    if op.type == "Shape":
        return op.inputs[0].shape
    if op.type == "Pack":
        out = []
        for x in op.inputs:
            v = constant_value(x)
            out.append(None if v is None or int(v) < 0 else int(v))
        return TensorShape._raw(tuple(out))
    if op.type == "ConcatV2":
        out = TensorShape._raw(())
        for x in op.inputs[:-1]:
            out = out.concatenate(constant_value_as_shape(x))
        return out
    if op.type == "StridedSlice" and op.inputs[0].op.type == "Shape":
        partial = _partial_shape_slice(op)
        if partial is not None:
            return partial
    v = constant_value(t)
    if v is not None:
        for x in np.ravel(v):
            if int(x) < -1:
                raise BareShapeError(f"Invalid value in tensor used for shape: {int(x)}")
        return TensorShape._raw(tuple(None if int(x) < 0 else int(x) for x in np.ravel(v)))
    n = d[0] if d is not None and len(d) == 1 else None
    return unknown_shape(n)
