"""TF1's models over feature columns: `input_layer` (the dense columns concatenated), `linear_model` (a
weighted sum of any columns plus a bias) and `make_parse_example_spec` (the columns' `parse_example` spec)."""
import collections.abc

from ..default_graph import add_to_collection, get_collection, name_scope
from ..graph import GraphKeys
from ..initializers import zeros_initializer
from ..ops.array import reshape, shape as shape_
from ..ops.embedding import safe_embedding_lookup_sparse
from ..ops.joining import concat
from ..ops.linalg import matmul
from ..ops.nn import bias_add
from ..ops.reduction import add_n
from ..ops.sparse_ops import sparse_reshape
from ..variable_scope import get_variable, get_variable_scope, variable_scope
from .base import _batch_size, _CategoricalColumn, _DenseColumn, _FeatureColumn, _LazyBuilder


def make_parse_example_spec(feature_columns):
    """The `tf.parse_example` spec (feature key -> FixedLenFeature/VarLenFeature) of all the columns."""
    result = {}
    for column in feature_columns:
        if not isinstance(column, _FeatureColumn):
            raise ValueError(f"All feature_columns must be _FeatureColumn instances. Given: {column}")
        for key, value in column._parse_example_spec.items():
            if key in result and value != result[key]:
                raise ValueError(f"feature_columns contain different parse_spec for key {key}. Given {value} and "
                                 f"{result[key]}")
        result.update(column._parse_example_spec)
    return result


def _normalize(feature_columns):
    if isinstance(feature_columns, _FeatureColumn):
        feature_columns = [feature_columns]
    if isinstance(feature_columns, collections.abc.Iterator):
        feature_columns = list(feature_columns)
    if isinstance(feature_columns, dict):
        raise ValueError("Expected feature_columns to be iterable, found dict.")
    for column in feature_columns:
        if not isinstance(column, _FeatureColumn):
            raise ValueError(f"Items of feature_columns must be a _FeatureColumn. Given (type {type(column)}): "
                             f"{column}.")
    if not feature_columns:
        raise ValueError("feature_columns must not be empty.")
    by_name = {}
    for column in feature_columns:
        if column.name in by_name:
            raise ValueError(f"Duplicate feature column name found for columns: {column} and {by_name[column.name]}. "
                             f"This usually means that these columns refer to same base feature. Either one must be "
                             f"discarded or a duplicated but renamed item must be inserted in features dict.")
        by_name[column.name] = column
    return feature_columns


def _with_model_collections(weight_collections):
    out = list(weight_collections or [])
    for key in (GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES):
        if key not in out:
            out.append(key)
    return out


def _check_batch_sizes(tensors, columns):
    first = None
    for i, t in enumerate(tensors):
        size = t.shape.dims[0].value if t.shape.dims else None
        if size is None:
            continue
        if first is None:
            first = i, size
        elif size != first[1]:
            raise ValueError(f"Batch size (first dimension) of each feature must be same. Batch size of columns "
                             f"({columns[first[0]].name}, {columns[i].name}): ({first[1]}, {size})")


def _flattened(tensor, column):
    """`tensor` as [batch, number of elements of the column's variable shape]."""
    return reshape(tensor, shape=(shape_(tensor)[0], column._variable_shape.num_elements()))


def input_layer(features, feature_columns, weight_collections=None, trainable=True, cols_to_vars=None,
                cols_to_output_tensors=None):
    """The dense columns' tensors, each flattened to [batch, n], concatenated in the order of the columns' names."""
    feature_columns = _normalize(feature_columns)
    for column in feature_columns:
        if not isinstance(column, _DenseColumn):
            raise ValueError(f"Items of feature_columns must be a _DenseColumn. You can wrap a categorical column "
                             f"with an embedding_column or indicator_column. Given: {column}")
    weight_collections = _with_model_collections(weight_collections)
    with variable_scope(None, default_name="input_layer", values=list(features.values())):
        builder = _LazyBuilder(features)
        outputs, ordered = [], sorted(feature_columns, key=lambda c: c.name)
        for column in ordered:
            with variable_scope(None, default_name=column._var_scope_name):
                out = _flattened(column._get_dense_tensor(builder, weight_collections=weight_collections,
                                                          trainable=trainable), column)
                outputs.append(out)
                if cols_to_vars is not None:
                    cols_to_vars[column] = get_collection(GraphKeys.GLOBAL_VARIABLES,
                                                          scope=get_variable_scope().name)
                if cols_to_output_tensors is not None:
                    cols_to_output_tensors[column] = out
        _check_batch_sizes(outputs, ordered)
        return concat(outputs, 1)


def _add_to_collections(var, weight_collections):
    """Adds `var` to the collections beyond GLOBAL_VARIABLES (where making it put it), as TF's linear model does."""
    for key in weight_collections:
        if key != GraphKeys.GLOBAL_VARIABLES:
            add_to_collection(key, var)


def _weighted_sum(column, builder, weight, sparse_combiner, weight_collections, trainable):
    """One column's contribution to a linear model: [batch, units]."""
    if isinstance(column, _CategoricalColumn):
        pair = column._get_sparse_tensors(builder, weight_collections=weight_collections, trainable=trainable)
        ids = sparse_reshape(pair.id_tensor, [_batch_size(pair.id_tensor), -1])
        weights = pair.weight_tensor
        if weights is not None:
            weights = sparse_reshape(weights, [_batch_size(weights), -1])
        return safe_embedding_lookup_sparse(weight, ids, sparse_weights=weights, combiner=sparse_combiner,
                                            name="weighted_sum")
    dense = column._get_dense_tensor(builder, weight_collections=weight_collections, trainable=trainable)
    return matmul(_flattened(dense, column), weight, name="weighted_sum")


def linear_model(features, feature_columns, units=1, sparse_combiner="sum", weight_collections=None, trainable=True,
                 cols_to_vars=None):
    """The weighted sum of the columns (categorical ones as multi-hot, combined by `sparse_combiner`) plus a bias:
    [batch, units]. Variables `linear_model/<column>/weights` and `linear_model/bias_weights`, zeros at first."""
    with variable_scope(None, "linear_model") as vs:
        model_name = vs.name.rsplit("/", 1)[-1]
    feature_columns = _normalize(feature_columns)
    weight_collections = _with_model_collections(weight_collections)
    # TF's layers take their scope names (uniquified) when the model is made, then are called under them
    names = {}
    for column in sorted(feature_columns, key=lambda c: c.name):
        with variable_scope(None, default_name=column._var_scope_name) as vs:
            names[column] = vs.name.rsplit("/", 1)[-1]
    with name_scope(model_name), variable_scope(model_name):
        for column in feature_columns:
            if not isinstance(column, (_DenseColumn, _CategoricalColumn)):
                raise ValueError(f"Items of feature_columns must be either a _DenseColumn or _CategoricalColumn. "
                                 f"Given: {column}")
        builder = _LazyBuilder(features)
        sums, ordered, variables = [], [], {}
        for column in sorted(feature_columns, key=lambda c: names[c]):
            with variable_scope(names[column]) as vs:
                rows = column._num_buckets if isinstance(column, _CategoricalColumn) else \
                    column._variable_shape.num_elements()
                weight = get_variable("weights", shape=(rows, units), initializer=zeros_initializer(),
                                      trainable=trainable)
                _add_to_collections(weight, weight_collections)
                sums.append(_weighted_sum(column, builder, weight, sparse_combiner, weight_collections, trainable))
                ordered.append(column)
                variables[column] = get_collection(GraphKeys.GLOBAL_VARIABLES, scope=vs.name)
        _check_batch_sizes(sums, ordered)
        no_bias = add_n(sums, name="weighted_sum_no_bias")
        bias = get_variable("bias_weights", shape=[units], initializer=zeros_initializer(), trainable=trainable)
        _add_to_collections(bias, weight_collections)
        out = bias_add(no_bias, bias, name="weighted_sum")
    variables["bias"] = [bias]
    if cols_to_vars is not None:
        cols_to_vars.update(variables)
    return out
