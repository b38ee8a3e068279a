"""The feature columns' kinds (dense, categorical), their argument checks, and how raw features become
tensors: `_LazyBuilder` converts each raw feature once (a rank-1 feature gets a trailing dim) and caches each
column's transformation, so a column used by two others is built once; `_to_sparse_input` makes a dense
string/int feature sparse by dropping its missing cells ("" or -1), as TF's
`_to_sparse_input_and_drop_ignore_values` does."""
import collections

from .. import dtypes
from ..default_graph import control_dependencies, name_scope
from ..ops.array import expand_dims, rank, shape as shape_
from ..ops.checks import assert_positive
from ..ops.control_flow import cond
from ..ops.math import cast, equal, not_equal
from ..ops.parsing import VarLenFeature
from ..ops.slicing import gather_nd, where
from ..ops.sparse_ops import sparse_reshape
from ..ops.sparse_tensor import SparseTensor, convert_to_tensor_or_sparse_tensor

IdWeightPair = collections.namedtuple("IdWeightPair", ["id_tensor", "weight_tensor"])


# ----- the column kinds ---------------------------------------------------------------------------------
class _FeatureColumn:
    """A feature column: a name, the parse spec of its raw features, and how it transforms them."""

    @property
    def _var_scope_name(self):
        return self.name

    @property
    def _parse_example_spec(self):
        return self.parse_example_spec

    def __lt__(self, other):
        return str(self) < str(other)

    def __gt__(self, other):
        return str(self) > str(other)


class _DenseColumn(_FeatureColumn):
    """A column giving a dense float tensor of shape [batch] + variable_shape."""

    @property
    def _variable_shape(self):
        return self.variable_shape


class _CategoricalColumn(_FeatureColumn):
    """A column giving sparse int64 ids in [0, num_buckets) (and optionally their weights)."""

    @property
    def _num_buckets(self):
        return self.num_buckets

    def _get_sparse_tensors(self, inputs, weight_collections=None, trainable=None):
        return IdWeightPair(inputs.get(self), None)


class _OneFeature:
    """A column over the one raw feature `key`: named after it, parsed as a VarLenFeature of its dtype."""

    @property
    def name(self):
        return self.key

    @property
    def parse_example_spec(self):
        return {self.key: VarLenFeature(self.dtype)}


# ----- checks ---------------------------------------------------------------------------------------------
def _check_key(key):
    if not isinstance(key, str):
        raise ValueError(f"key must be a string. Got: type {type(key)}. Given key: {key}.")


def _check_string_or_int(dtype, prefix):
    if dtype != dtypes.string and not dtype.is_integer:
        raise ValueError(f"{prefix} dtype must be string or integer. dtype: {dtype}.")


def _check_shape(shape, key):
    shape = tuple(shape) if isinstance(shape, (list, tuple)) else (shape,)
    for d in shape:
        if not isinstance(d, int):
            raise TypeError(f"shape dimensions must be integer. shape: {shape}, key: {key}")
        if d < 1:
            raise ValueError(f"shape dimensions must be greater than 0. shape: {shape}, key: {key}")
    return shape


def _nested(v):
    return isinstance(v, (list, tuple))


def _fits(value, shape):
    if _nested(value) != bool(shape):
        return False
    return not shape or (len(value) == shape[0] and all(_fits(v, shape[1:]) for v in value))


def _as_tuple(v):
    return tuple(_as_tuple(x) for x in v) if _nested(v) else v


def _flat(v):
    return [y for x in v for y in _flat(x)] if _nested(v) else [v]


def _filled(shape, value):
    return tuple(_filled(shape[1:], value) for _ in range(shape[0])) if shape else value


def _check_default_value(shape, default_value, dtype, key):
    """The default value as nested tuples of `shape`; TypeError/ValueError as TF's check_default_value."""
    if default_value is None:
        return None
    if isinstance(default_value, int) or isinstance(default_value, float) and dtype.is_floating:
        return _filled(shape, default_value)
    if callable(getattr(default_value, "tolist", None)):
        default_value = default_value.tolist()
    if _nested(default_value):
        if not _fits(default_value, shape):
            raise ValueError(f"The shape of default_value must be equal to given shape. default_value: "
                             f"{default_value}, shape: {shape}, key: {key}")
        flat = _flat(default_value)
        if all(isinstance(v, int) for v in flat) or any(isinstance(v, float) for v in flat) and dtype.is_floating:
            return _as_tuple(default_value)
    raise TypeError(f"default_value must be compatible with dtype. default_value: {default_value}, dtype: {dtype}, "
                    f"key: {key}")


# ----- turning raw features into tensors --------------------------------------------------------------------
class _LazyBuilder:
    """Each raw feature converted once (rank 1 made rank 2), each column's transformation built once."""

    def __init__(self, features):
        self._features = dict(features)
        self._tensors = {}

    def get(self, key):
        if key in self._tensors:
            return self._tensors[key]
        if key in self._features:
            self._tensors[key] = self._raw(key)
            return self._tensors[key]
        if isinstance(key, str):
            raise ValueError(f"Feature {key} is not in features dictionary.")
        if not isinstance(key, _FeatureColumn):
            raise TypeError(f'"key" must be either a "str" or "_FeatureColumn". Provided: {key}')
        out = key._transform_feature(self)
        if out is None:
            raise ValueError(f"Column {key.name} is not supported.")
        self._tensors[key] = out
        return out

    def _raw(self, key):
        t = convert_to_tensor_or_sparse_tensor(self._features[key])
        ndims = t.get_shape().ndims
        message = f"Feature (key: {key}) cannot have rank 0. Given: {t}"
        if ndims == 0:
            raise ValueError(message)
        if ndims is not None:
            return _expanded(t) if ndims == 1 else t
        # rank known only at run time: checked, and the expansion chosen, then
        with control_dependencies([assert_positive(rank(t), message=message)]):
            return cond(equal(1, rank(t)), lambda: _expanded(t), lambda: t)


def _expanded(t):
    """A rank-1 feature as [batch, 1]."""
    if isinstance(t, SparseTensor):
        return sparse_reshape(t, [_batch_size(t), 1])
    return expand_dims(t, -1)


def _batch_size(t):
    return shape_(t)[0]


def _to_sparse_input(t, ignore_value=None):
    """A dense string/int tensor as a SparseTensor without its missing cells ("" or -1, or `ignore_value`)."""
    t = convert_to_tensor_or_sparse_tensor(t)
    if isinstance(t, SparseTensor):
        return t
    with name_scope(None, "to_sparse_input", (t,)):
        if ignore_value is None:
            ignore_value = "" if t.dtype == dtypes.string else -1 if t.dtype.is_integer else \
                t.dtype.as_numpy_dtype()
        ignore = cast(ignore_value, t.dtype, name="ignore_value")
        indices = where(not_equal(t, ignore), name="indices")
        return SparseTensor(indices, gather_nd(t, indices, name="values"),
                            shape_(t, out_type=dtypes.int64, name="dense_shape"))
