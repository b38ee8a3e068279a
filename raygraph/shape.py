"""Static shapes: `TensorShape` and `Dimension`, with TF1's partial-shape rules and messages.

A shape is stored as a tuple of ints and Nones (or None for unknown rank); `Dimension` objects are
made only when a user asks for them, which keeps op creation cheap.
"""


class Dimension:
    """One dimension of a TensorShape; `value` is an int or None (unknown)."""

    __slots__ = ("_value",)

    def __init__(self, value):
        if isinstance(value, Dimension):
            value = value.value
        if value is not None:
            try:
                value = int(value.__index__())
            except AttributeError:
                raise TypeError(f"Dimension value must be integer or None or have an __index__ "
                                f"method, got value '{value!r}' with type '{type(value)!r}'") from None
            if value < 0:
                raise ValueError(f"Dimension {value} must be >= 0")
        self._value = value

    value = property(lambda self: self._value)

    def __repr__(self):
        return f"Dimension({self._value!r})"

    def __str__(self):
        return "?" if self._value is None else str(self._value)

    def __int__(self):
        return self._value

    def __index__(self):
        return self._value

    def __hash__(self):
        return hash(self._value)

    def __eq__(self, other):
        other = _dim_value(other)
        if self._value is None or other is None:
            return None
        return self._value == other

    def __ne__(self, other):
        other = _dim_value(other)
        if self._value is None or other is None:
            return None
        return self._value != other

    def __bool__(self):
        return bool(self._value)

    def is_compatible_with(self, other):
        other = _dim_value(other)
        return self._value is None or other is None or self._value == other

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {Dimension(other)} are not compatible")

    def merge_with(self, other):
        other = _dim_value(other)
        self.assert_is_compatible_with(other)
        return Dimension(self._value if self._value is not None else other)

    def _arith(self, other, fn):
        other = _dim_value(other)
        if self._value is None or other is None:
            return Dimension(None)
        return Dimension(fn(self._value, other))

    __add__ = lambda self, o: self._arith(o, lambda a, b: a + b)
    __radd__ = __add__
    __sub__ = lambda self, o: self._arith(o, lambda a, b: a - b)
    __rsub__ = lambda self, o: Dimension(o)._arith(self, lambda a, b: a - b)
    __mul__ = lambda self, o: self._arith(o, lambda a, b: a * b)
    __rmul__ = __mul__
    __floordiv__ = lambda self, o: self._arith(o, lambda a, b: a // b)
    __rfloordiv__ = lambda self, o: Dimension(o)._arith(self, lambda a, b: a // b)
    __mod__ = lambda self, o: self._arith(o, lambda a, b: a % b)

    def __lt__(self, other):
        other = _dim_value(other)
        return None if self._value is None or other is None else self._value < other

    def __le__(self, other):
        other = _dim_value(other)
        return None if self._value is None or other is None else self._value <= other

    def __gt__(self, other):
        other = _dim_value(other)
        return None if self._value is None or other is None else self._value > other

    def __ge__(self, other):
        other = _dim_value(other)
        return None if self._value is None or other is None else self._value >= other

    def __reduce__(self):
        return Dimension, (self._value,)


def _dim_value(d):
    if d is None:
        return None
    if isinstance(d, Dimension):
        return d._value
    return Dimension(d)._value


def dimension_value(d):
    """The int (or None) value of a Dimension or int."""
    return d._value if isinstance(d, Dimension) else d


class TensorShape:
    """A possibly partial static shape: unknown rank, or a list of known/unknown dimensions."""

    __slots__ = ("_dims",)

    def __init__(self, dims):
        if dims is None:
            self._dims = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        elif isinstance(dims, (str, bytes)):
            raise TypeError(f"A string has ambiguous TensorShape, please wrap in a list or convert "
                            f"to an int: {dims!r}")
        else:
            try:
                items = iter(dims)
            except TypeError:
                self._dims = (_dim_value(dims),)  # a single dimension
            else:
                self._dims = tuple(_dim_value(d) for d in items)

    @classmethod
    def _raw(cls, dims):
        """Build from a tuple of ints/None already validated (hot path for shape functions)."""
        s = object.__new__(cls)
        s._dims = dims
        return s

    @property
    def dims(self):
        return None if self._dims is None else [Dimension(d) for d in self._dims]

    @property
    def ndims(self):
        return None if self._dims is None else len(self._dims)

    rank = ndims

    def __repr__(self):
        if self._dims is None:
            return "TensorShape(None)"
        return "TensorShape([%s])" % ", ".join(f"Dimension({d!r})" for d in self._dims)

    def __str__(self):
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return "(%s,)" % ("?" if self._dims[0] is None else self._dims[0])
        return "(%s)" % ", ".join("?" if d is None else str(d) for d in self._dims)

    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __bool__(self):
        return self._dims is not None

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter([Dimension(d) for d in self._dims])

    def __getitem__(self, key):
        if self._dims is not None:
            if isinstance(key, slice):
                return TensorShape._raw(self._dims[key])
            return Dimension(self._dims[key])
        if isinstance(key, slice):
            start, stop = key.start, key.stop
            if key.step is not None or (start is not None and start < 0) or (stop is not None and stop < 0):
                return unknown_shape()
            return unknown_shape() if stop is None else unknown_shape(stop - (start or 0))
        return Dimension(None)

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def is_fully_defined(self):
        return self._dims is not None and None not in self._dims

    def assert_is_fully_defined(self):
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    def as_list(self):
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def as_proto(self):
        from tensorboard.compat.proto import tensor_shape_pb2
        if self._dims is None:
            return tensor_shape_pb2.TensorShapeProto(unknown_rank=True)
        return tensor_shape_pb2.TensorShapeProto(dim=[
            tensor_shape_pb2.TensorShapeProto.Dim(size=-1 if d is None else d) for d in self._dims])

    def is_compatible_with(self, other):
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def merge_with(self, other):
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape._raw(tuple(a if a is not None else b for a, b in zip(self._dims, other._dims)))

    def most_specific_compatible_shape(self, other):
        other = as_shape(other)
        if self._dims is None or other._dims is None or len(self._dims) != len(other._dims):
            return unknown_shape()
        return TensorShape._raw(tuple(a if a == b else None for a, b in zip(self._dims, other._dims)))

    def concatenate(self, other):
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return unknown_shape()
        return TensorShape._raw(self._dims + other._dims)

    def __add__(self, other):
        return self.concatenate(other)

    def __radd__(self, other):
        return as_shape(other).concatenate(self)

    def with_rank(self, rank):
        if self._dims is None:
            return unknown_shape(rank)
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    def with_rank_at_least(self, rank):
        if self._dims is not None and len(self._dims) < rank:
            raise ValueError(f"Shape {self} must have rank at least {rank}")
        return self

    def with_rank_at_most(self, rank):
        if self._dims is not None and len(self._dims) > rank:
            raise ValueError(f"Shape {self} must have rank at most {rank}")
        return self

    def assert_has_rank(self, rank):
        self.with_rank(rank)

    def assert_same_rank(self, other):
        other = as_shape(other)
        if self._dims is not None and other._dims is not None and len(self._dims) != len(other._dims):
            raise ValueError(f"Shapes {self} and {other} must have the same rank")

    def is_subtype_of(self, other):
        other = as_shape(other)
        if other._dims is None:
            return True
        if self._dims is None or len(self._dims) != len(other._dims):
            return False
        return all(b is None or a == b for a, b in zip(self._dims, other._dims))

    def __eq__(self, other):
        try:
            other = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash(self._dims)

    def __reduce__(self):
        return TensorShape, (None if self._dims is None else list(self._dims),)


def as_shape(shape):
    """Converts a list, tuple, int, None or TensorShape to a TensorShape."""
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


def unknown_shape(rank=None):
    """A shape of unknown rank, or of the given rank with all dimensions unknown."""
    return TensorShape._raw(None if rank is None else (None,) * rank)


def scalar():
    return TensorShape._raw(())


def merge_dims(a, b):
    """TF's Merge of two raw dims tuples (the more known of each dim; None: unknown rank), with the errors of TF's
    shape inference on conflict."""
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
                             f"{dims_text(a)} and {dims_text(b)}.")
        out.append(y if x is None else x)
    return tuple(out)


def dims_text(dims):
    """Raw dims as TF's shape inference writes them: [2,?,3], or ? for an unknown rank."""
    return "?" if dims is None else "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"
