"""`Tensor`: the symbolic output `<op>:<i>` of an Operation, with its dtype, static shape and operators."""
from .errors import OperatorNotAllowedInGraphError
from .shape import TensorShape, as_shape, merge_dims


def _operators():
    from .ops import operators  # a Tensor's operators build ops: the op table sits above tensors
    return operators


class Tensor:
    """One output of an Operation; a handle for a value computed when a Session runs the graph."""

    __slots__ = ("_op", "_value_index", "_dtype", "_shape", "_name", "_consumers", "_unfeedable",
                 "_explicit_index", "__weakref__", "__dict__")  # __dict__: TF code sets attributes (`aliases`)

    # Make numpy defer to our reflected operators (np.float32(2) * t -> t.__rmul__).
    __array_priority__ = 100

    def __init__(self, op, value_index, dtype, shape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape if type(shape) is TensorShape else TensorShape(shape)
        self._name = "%s:%d" % (op._name, value_index)
        self._consumers = []
        self._unfeedable = False
        self._explicit_index = False  # NodeDefs name it "op:0" rather than "op" (inputs rewired by cond)

    op = property(lambda self: self._op)
    value_index = property(lambda self: self._value_index)
    dtype = property(lambda self: self._dtype)
    name = property(lambda self: self._name)
    graph = property(lambda self: self._op._graph)
    device = property(lambda self: self._op._device)
    shape = property(lambda self: self._shape)

    def get_shape(self):
        return self._shape

    def set_shape(self, shape):
        """Refines the static shape (ValueError, in the words of TF's C shape inference, if incompatible)."""
        self._shape = TensorShape._raw(merge_dims(self._shape._dims, as_shape(shape)._dims))

    @property
    def ndim(self):
        return self._shape.ndims

    def consumers(self):
        """The operations that take this tensor as an input."""
        return list(self._consumers)

    def eval(self, feed_dict=None, session=None):
        """Computes this tensor in `session` (default: the default session)."""
        from .session import eval_in_session
        return eval_in_session([self], feed_dict, self.graph, session, "tensor")[0]

    def experimental_ref(self):
        return _Reference(self)

    ref = experimental_ref

    def _as_node_def_input(self):
        return self._op._name if self._value_index == 0 and not self._explicit_index else self._name

    def __str__(self):
        return 'Tensor("%s"%s%s%s)' % (
            self._name,
            f", shape={self._shape}" if self._shape.ndims is not None else "",
            f", dtype={self._dtype.name}" if self._dtype else "",
            f", device={self.device}" if self.device else "")

    def __repr__(self):
        return f"<tf.Tensor '{self._name}' shape={self._shape} dtype={self._dtype.name}>"

    # Graph-mode tensors compare by identity (TF1), so they can be dict keys.
    __hash__ = object.__hash__
    __eq__ = object.__eq__
    __ne__ = object.__ne__

    def __bool__(self):
        raise OperatorNotAllowedInGraphError(
            "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed in Graph execution. "
            "Use `tf.cond` or run the graph in a Session to get a value.")

    def __iter__(self):
        raise OperatorNotAllowedInGraphError(
            "Iterating over a symbolic `tf.Tensor` is not allowed in Graph execution. "
            "Use tf.unstack to split it into a list of tensors.")

    def __len__(self):
        raise TypeError(f"len is not well defined for symbolic Tensors. ({self._name}) Please call "
                        f"`x.shape` rather than `len(x)` for shape information.")

    def __index__(self):
        raise TypeError(f"Tensor {self._name} cannot be used as an index: only a Session can give its value.")

    # ----- operators: each builds its op through raygraph.ops.operators -----------------------------
    def __add__(self, other):
        return _operators().operator("add", self, other)

    def __radd__(self, other):
        return _operators().operator("add", self, other, reverse=True)

    def __sub__(self, other):
        return _operators().operator("sub", self, other)

    def __rsub__(self, other):
        return _operators().operator("sub", self, other, reverse=True)

    def __mul__(self, other):
        return _operators().operator("mul", self, other)

    def __rmul__(self, other):
        return _operators().operator("mul", self, other, reverse=True)

    def __truediv__(self, other):
        return _operators().operator("truediv", self, other)

    def __rtruediv__(self, other):
        return _operators().operator("truediv", self, other, reverse=True)

    def __floordiv__(self, other):
        return _operators().operator("floordiv", self, other)

    def __rfloordiv__(self, other):
        return _operators().operator("floordiv", self, other, reverse=True)

    def __mod__(self, other):
        return _operators().operator("mod", self, other)

    def __rmod__(self, other):
        return _operators().operator("mod", self, other, reverse=True)

    def __pow__(self, other):
        return _operators().operator("pow", self, other)

    def __rpow__(self, other):
        return _operators().operator("pow", self, other, reverse=True)

    def __matmul__(self, other):
        return _operators().operator("matmul", self, other)

    def __rmatmul__(self, other):
        return _operators().operator("matmul", self, other, reverse=True)

    def __and__(self, other):
        return _operators().operator("and", self, other)

    def __rand__(self, other):
        return _operators().operator("and", self, other, reverse=True)

    def __or__(self, other):
        return _operators().operator("or", self, other)

    def __ror__(self, other):
        return _operators().operator("or", self, other, reverse=True)

    def __xor__(self, other):
        return _operators().operator("xor", self, other)

    def __rxor__(self, other):
        return _operators().operator("xor", self, other, reverse=True)

    def __lt__(self, other):
        return _operators().compare("lt", self, other)

    def __le__(self, other):
        return _operators().compare("le", self, other)

    def __gt__(self, other):
        return _operators().compare("gt", self, other)

    def __ge__(self, other):
        return _operators().compare("ge", self, other)

    def __neg__(self):
        return _operators().unary("neg", self)

    def __abs__(self):
        return _operators().unary("abs", self)

    def __invert__(self):
        return _operators().unary("invert", self)

    def __getitem__(self, key):
        return _operators().getitem(self, key)


class _Reference:
    """A hashable wrapper comparing by the tensor's identity (`Tensor.ref()`)."""

    __slots__ = ("_wrapped",)

    def __init__(self, wrapped):
        self._wrapped = wrapped

    def deref(self):
        return self._wrapped

    def __eq__(self, other):
        return isinstance(other, _Reference) and self._wrapped is other._wrapped

    def __hash__(self):
        return id(self._wrapped)
