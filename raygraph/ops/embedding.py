"""Embeddings and sampled losses as TF1 builds them: `embedding_lookup` (one table, or a table split in
partitions by the 'mod' or 'div' strategy, rows clipped to `max_norm`), the bag-of-ids lookups
`embedding_lookup_sparse` and `safe_embedding_lookup_sparse` over SparseTensors of ids, `nce_loss` and
`sampled_softmax_loss` (the true classes' and sampled classes' logits from one lookup).

A lookup is a gather, so the gradient its table gets is an IndexedSlices: an optimizer then updates only
the rows a step looked up.
"""
from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..graph import get_default_graph
from ..shape import Dimension, unknown_shape
from ..tensor import Tensor
from .array import expand_dims, identity, rank, reshape, shape, size, stop_gradient
from .candidate_sampling import compute_accidental_hits, log_uniform_candidate_sampler
from .clip import clip_by_norm
from .filling import ones, ones_like, zeros_like
from .filling import range as range_
from .indexed_slices import IndexedSlices
from .joining import concat, dynamic_partition, parallel_dynamic_stitch, stack, tile
from .linalg import matmul
from .math import cast, div_no_nan, greater, greater_equal, log, logical_and, maximum, multiply, sqrt
from .math import pow as pow_
from .nn import sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2
from .reduction import reduce_prod, reduce_sum
from .scatter import sparse_to_dense, unique
from .segments import segment_sum, sparse_segment_mean, sparse_segment_sqrt_n, sparse_segment_sum
from .slicing import gather, where
from .slicing import slice as slice_
from .sparse_ops import sparse_reshape, sparse_retain
from .sparse_slicing import sparse_fill_empty_rows
from .sparse_tensor import SparseTensor


def _clip(params, ids, max_norm):
    """Each embedding (the trailing dims past the ids') scaled down to `max_norm` if its norm is larger."""
    if max_norm is None:
        return params
    ids_rank, params_rank = convert_to_tensor(ids).shape.ndims, convert_to_tensor(params).shape.ndims
    if ids_rank and params_rank:
        axes = list(range(ids_rank, params_rank))
    else:
        axes = range_(ids_rank or rank(ids), params_rank or rank(params))
    return clip_by_norm(params, max_norm, axes=axes)


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True, max_norm=None):
    """The rows `ids` of `params` (one tensor, or a list of partitions of one table), as TF1 gathers them."""
    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)) and not params:
        raise ValueError("Length of params is currently 0. Need at least one param.")
    if hasattr(params, "_get_variable_list"):  # a PartitionedVariable: its parts are the partitions (TF's rule)
        params = params._get_variable_list()
    params = list(params) if isinstance(params, (list, tuple)) else [params]
    with name_scope(name, "embedding_lookup", params + [ids]) as scope:
        params = [p if isinstance(p, IndexedSlices) else convert_to_tensor(p, name=f"params_{i}")
                  for i, p in enumerate(params)]
        ids = convert_to_tensor(ids, name="ids")
        g = get_default_graph()
        if len(params) == 1:
            with g.colocate_with(params[0]):
                result = _clip(gather(params[0], ids, name=scope), ids, max_norm)
            return identity(result)
        return _partitioned_lookup(g, params, ids, partition_strategy, max_norm, scope)


def _partitioned_lookup(g, params, ids, strategy, max_norm, scope):
    n = len(params)
    flat_ids = reshape(ids, [-1])
    original_indices = range_(size(flat_ids, out_type=dtypes.int32))
    if strategy == "mod":
        assignments, new_ids = flat_ids % n, flat_ids // n
    elif strategy == "div":
        total = _total_rows(g, params, flat_ids)
        per, extras = total // n, total % n
        assignments = maximum(flat_ids // (per + 1), (flat_ids - extras) // per)
        new_ids = where(assignments < extras, flat_ids % (per + 1), (flat_ids - extras) % per)
    else:
        raise ValueError(f"Unrecognized partition strategy: {strategy}.Must be one of either `mod` or `div`.")
    assignments = cast(assignments, dtypes.int32)
    gather_ids = dynamic_partition(new_ids, assignments, n)
    pindices = dynamic_partition(original_indices, assignments, n)
    parts = []
    for p in range(n):
        with g.device(None), g.colocate_with(params[p]):
            parts.append(gather(params[p], gather_ids[p]))
    ret = parallel_dynamic_stitch(pindices, parts, name=scope)
    element = params[0].shape[1:]
    for p in params[1:]:
        element = element.merge_with(p.shape[1:])
    if element.is_fully_defined():
        element_d = element
    else:
        with g.colocate_with(params[0]):
            element_d = shape(params[0])[1:]
    ret = reshape(ret, concat([shape(ids), element_d], 0))
    ret.set_shape(ids.shape.concatenate(element))
    return _clip(ret, ids, max_norm)


def _total_rows(g, params, flat_ids):
    """The table's row count: a constant when every partition's is known, else summed at run time."""
    total = Dimension(params[0].shape[0])
    for p in params[1:]:
        total += Dimension(p.shape[0])
    if total.value:
        return convert_to_tensor(total.value, dtype=flat_ids.dtype)
    sizes = []
    for p in params:
        if p.shape[0].value is not None:
            sizes.append(p.shape[0].value)
        else:
            with g.colocate_with(p):
                sizes.append(shape(p)[0])
    return reduce_sum(cast(stack(sizes), flat_ids.dtype))


# ----- sampled losses ---------------------------------------------------------------------------------------------
def _sum_rows(x):
    cols = shape(x)[1]
    return reshape(matmul(x, ones(stack([cols, 1]), x.dtype)), [-1])


def _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                            sampled_values=None, subtract_log_q=True, remove_accidental_hits=False,
                            partition_strategy="mod", name=None, seed=None):
    """Logits of the true classes then the sampled ones, [batch, num_true + num_sampled], and their labels."""
    weights = list(weights) if isinstance(weights, (list, tuple)) else [weights]
    with name_scope(name, "compute_sampled_logits", weights + [biases, inputs, labels]):
        labels = convert_to_tensor(labels)
        if labels.dtype.base_dtype is not dtypes.int64:
            labels = cast(labels, dtypes.int64)
        labels_flat = reshape(labels, [-1])
        if sampled_values is None:
            sampled_values = log_uniform_candidate_sampler(labels, num_true, num_sampled, True, num_classes,
                                                           seed=seed)
        sampled, true_expected, sampled_expected = (stop_gradient(s) for s in sampled_values)
        sampled = cast(sampled, dtypes.int64)
        all_ids = concat([labels_flat, sampled], 0)
        all_w = embedding_lookup(weights, all_ids, partition_strategy=partition_strategy)
        inputs = convert_to_tensor(inputs)
        if all_w.dtype != inputs.dtype:
            all_w = cast(all_w, inputs.dtype)
        true_w = slice_(all_w, [0, 0], stack([shape(labels_flat)[0], -1]))
        sampled_w = slice_(all_w, stack([shape(labels_flat)[0], 0]), [-1, -1])
        sampled_logits = matmul(inputs, sampled_w, transpose_b=True)
        all_b = embedding_lookup(biases, all_ids, partition_strategy=partition_strategy)
        if all_b.dtype != inputs.dtype:
            all_b = cast(all_b, inputs.dtype)
        true_b = slice_(all_b, [0], shape(labels_flat))
        sampled_b = slice_(all_b, shape(labels_flat), [-1])
        dim = shape(true_w)[1:2]
        new_true_w_shape = concat([[-1, num_true], dim], 0)
        row_wise_dots = multiply(expand_dims(inputs, 1), reshape(true_w, new_true_w_shape))
        dots_as_matrix = reshape(row_wise_dots, concat([[-1], dim], 0))
        true_logits = reshape(_sum_rows(dots_as_matrix), [-1, num_true])
        true_b = reshape(true_b, [-1, num_true])
        true_logits += true_b
        sampled_logits += sampled_b
        if remove_accidental_hits:
            sampled_logits += _accidental_hits(labels, sampled, num_true, num_sampled, sampled_logits.dtype)
        if subtract_log_q:
            true_logits -= log(true_expected)
            sampled_logits -= log(sampled_expected)
        out_logits = concat([true_logits, sampled_logits], 1)
        out_labels = concat([ones_like(true_logits) / num_true, zeros_like(sampled_logits)], 1)
        return out_logits, out_labels


def _accidental_hits(labels, sampled, num_true, num_sampled, dtype):
    """-FLT_MAX where a sampled class is one of the row's true classes, else 0 ([batch, num_sampled])."""
    acc_indices, acc_ids, acc_weights = compute_accidental_hits(labels, sampled, num_true=num_true)
    acc_indices_2d = reshape(acc_indices, [-1, 1])
    acc_ids_2d_int32 = reshape(cast(acc_ids, dtypes.int32), [-1, 1])
    sparse_indices = concat([acc_indices_2d, acc_ids_2d_int32], 1, "sparse_indices")
    sampled_logits_shape = concat([shape(labels)[:1], expand_dims(num_sampled, 0)], 0)
    if dtype != acc_weights.dtype:
        acc_weights = cast(acc_weights, dtype)
    return sparse_to_dense(sparse_indices, sampled_logits_shape, acc_weights, default_value=0.0,
                           validate_indices=False)


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1, sampled_values=None,
             remove_accidental_hits=False, partition_strategy="mod", name="nce_loss"):
    """Noise-contrastive estimation loss per example (TF1's `tf.nn.nce_loss`), [batch]."""
    logits, labels = _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes,
                                             num_true=num_true, sampled_values=sampled_values, subtract_log_q=True,
                                             remove_accidental_hits=remove_accidental_hits,
                                             partition_strategy=partition_strategy, name=name)
    sampled_losses = sigmoid_cross_entropy_with_logits(labels=labels, logits=logits, name="sampled_losses")
    return _sum_rows(sampled_losses)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                         sampled_values=None, remove_accidental_hits=True, partition_strategy="mod",
                         name="sampled_softmax_loss", seed=None):
    """Softmax cross entropy over the true class and `num_sampled` sampled classes, per example, [batch]."""
    logits, labels = _compute_sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes,
                                             num_true=num_true, sampled_values=sampled_values, subtract_log_q=True,
                                             remove_accidental_hits=remove_accidental_hits,
                                             partition_strategy=partition_strategy, name=name, seed=seed)
    labels = stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)



# ----- sparse lookups: a bag of ids per row, combined -----------------------------------------------------------
def embedding_lookup_sparse(params, sp_ids, sp_weights, partition_strategy="mod", name=None, combiner=None,
                            max_norm=None, allow_fast_lookup=False):
    """Per row of the SparseTensor `sp_ids` [batch, k], its ids' embeddings combined: summed ('sum'),
    averaged ('mean', the default) or summed / sqrt(count) ('sqrtn'), weighted by `sp_weights` if given."""
    combiner = "mean" if combiner is None else combiner
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner}")
    params = list(params) if isinstance(params, (list, tuple)) else [params]
    if not isinstance(sp_ids, SparseTensor):
        raise TypeError(f"sp_ids must be SparseTensor, got {type(sp_ids)}")
    if sp_weights is not None:
        if not isinstance(sp_weights, SparseTensor):
            raise TypeError(f"sp_weights must be either None or SparseTensor,got {type(sp_weights)}")
        for a, b in ((sp_ids.values, sp_weights.values), (sp_ids.indices, sp_weights.indices),
                     (sp_ids.dense_shape, sp_weights.dense_shape)):
            a.shape.assert_is_compatible_with(b.shape)
    with name_scope(name, "embedding_lookup_sparse", params + [sp_ids]) as scope:
        segment_ids = sp_ids.indices[:, 0]
        return _combine(params, segment_ids, sp_weights, sp_ids.values, combiner, max_norm, allow_fast_lookup,
                        partition_strategy, scope)


def _combine(params, segment_ids, sp_weights, ids, combiner, max_norm, allow_fast_lookup, strategy, name):
    segment_ids = convert_to_tensor(segment_ids, name="segment_ids")
    if len(params) == 1 and not isinstance(params[0], (Tensor, IndexedSlices)):
        params = [convert_to_tensor(params[0], name="params")]
    if len(params) == 1 and params[0].device == segment_ids.device and max_norm is None and (
            allow_fast_lookup or sp_weights is None):  # TF's fast path: no Unique, a sparse gradient
        idx, embeddings, sparse_gradient = ids, params[0], not allow_fast_lookup
    else:
        ids, idx = unique(ids)
        embeddings, sparse_gradient = embedding_lookup(params, ids, partition_strategy=strategy,
                                                       max_norm=max_norm), False
    if sp_weights is None:
        if segment_ids.dtype not in (dtypes.int32, dtypes.int64):
            segment_ids = cast(segment_ids, dtypes.int32)
        reduce = {"sum": sparse_segment_sum, "mean": sparse_segment_mean, "sqrtn": sparse_segment_sqrt_n}[combiner]
        return reduce(embeddings, idx, segment_ids, name=name, sparse_gradient=sparse_gradient)
    if segment_ids.dtype != dtypes.int32:
        segment_ids = cast(segment_ids, dtypes.int32)
    weights = sp_weights.values
    embeddings = gather(embeddings, idx)
    original = embeddings.dtype
    if embeddings.dtype in (dtypes.float16,):  # low precision is combined in float32, as in TF
        embeddings = cast(embeddings, dtypes.float32)
    if weights.dtype != embeddings.dtype:
        weights = cast(weights, embeddings.dtype)
    ones_shape = expand_dims(rank(embeddings) - 1, 0)
    weights_shape = shape(weights)
    bcast_shape = concat([weights_shape, ones(ones_shape, dtype=weights_shape.dtype)], 0)
    static = weights.shape
    weights = reshape(weights, bcast_shape)
    if embeddings.shape.ndims is not None:
        weights.set_shape(static.concatenate([1] * (embeddings.shape.ndims - 1)))
    embeddings = embeddings * weights
    if combiner == "sum":
        embeddings = segment_sum(embeddings, segment_ids, name=name)
    else:
        embeddings = segment_sum(embeddings, segment_ids)
        w = weights if combiner == "mean" else pow_(weights, 2)
        total = segment_sum(w, segment_ids)
        embeddings = div_no_nan(embeddings, total if combiner == "mean" else sqrt(total), name=name)
    return cast(embeddings, original) if embeddings.dtype != original else embeddings


def safe_embedding_lookup_sparse(embedding_weights, sparse_ids, sparse_weights=None, combiner="mean", default_id=None,
                                 name=None, partition_strategy="div", max_norm=None, allow_fast_lookup=False):
    """`embedding_lookup_sparse` for ids of any rank >= 2, dropping invalid ids (< 0) and, unless summing,
    non-positive weights; a row left empty gets the embedding of `default_id`, or zeros."""
    if embedding_weights is None:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    weights = list(embedding_weights) if isinstance(embedding_weights, (list, tuple)) else [embedding_weights]
    if len(weights) < 1:
        raise ValueError(f"Missing embedding_weights {embedding_weights}.")
    dtype = sparse_weights.dtype if sparse_weights is not None else None
    weights = [convert_to_tensor(w, dtype=dtype) for w in weights]
    with name_scope(name, "embedding_lookup", weights + [sparse_ids, sparse_weights]) as scope:
        original_shape = sparse_ids.dense_shape
        rank_dim = sparse_ids.dense_shape.shape[0].value
        original_rank = size(original_shape) if rank_dim is None else rank_dim
        sparse_ids = sparse_reshape(sparse_ids, [reduce_prod(slice_(original_shape, [0], [original_rank - 1])),
                                                 gather(original_shape, original_rank - 1)])
        if sparse_weights is not None:
            sparse_weights = SparseTensor(sparse_ids.indices, sparse_weights.values, sparse_ids.dense_shape)
        valid = greater_equal(sparse_ids.values, 0)
        if sparse_weights is not None:
            valid = logical_and(valid, ones_like(sparse_weights.values, dtype=dtypes.bool_))
        sparse_ids = sparse_retain(sparse_ids, valid)
        if sparse_weights is not None:
            sparse_weights = sparse_retain(sparse_weights, valid)
            if combiner != "sum":
                positive = greater(sparse_weights.values, 0)
                sparse_ids, sparse_weights = sparse_retain(sparse_ids, positive), sparse_retain(sparse_weights, positive)
        sparse_ids, is_row_empty = sparse_fill_empty_rows(sparse_ids, default_id or 0)
        if sparse_weights is not None:
            sparse_weights, _ = sparse_fill_empty_rows(sparse_weights, 1.0)
        result = embedding_lookup_sparse(weights, sparse_ids, sparse_weights, combiner=combiner,
                                         partition_strategy=partition_strategy,
                                         name=None if default_id is None else scope, max_norm=max_norm,
                                         allow_fast_lookup=allow_fast_lookup)
        if default_id is None:
            is_row_empty = tile(reshape(is_row_empty, [-1, 1]), stack([1, shape(result)[1]]))
            result = where(is_row_empty, zeros_like(result), result, name=scope)
        final = reshape(result, concat([slice_(cast(original_shape, dtypes.int32), [0], [original_rank - 1]),
                                        slice_(shape(result), [1], [-1])], 0))
        final.set_shape(unknown_shape(None if rank_dim is None else rank_dim - 1).concatenate(result.shape[1:]))
        return final
