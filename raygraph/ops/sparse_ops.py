"""The ops over SparseTensors (TF's gen_sparse_ops), each taking a sparse tensor as its three parts
(indices [N, rank], values [N], dense_shape [rank]) and giving sparse results as parts too, with the
Python functions of `tf.sparse` that build them from and into `SparseTensor`s. This module holds the
product with a dense matrix, reordering and reshaping, sums, and the conversions to and from dense
tensors TF builds from ordinary ops; ops/sparse_slicing.py cuts and joins, ops/sparse_math.py reduces and
combines element-wise.

Kernels assume what TF's do: indices in row-major order where an op says so (SparseAdd, SparseSoftmax,
the reductions' sparse outputs), and give sorted indices back. Errors are TF's InvalidArgumentError.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..lazy_modules import Lazy
from ..shape import TensorShape, unknown_shape
from .array import expand_dims, identity, invert_permutation, reshape, shape, transpose
from .filling import ones, zeros, zeros_like
from .filling import range as range_
from .indexed_slices import IndexedSlices
from .joining import concat, stack
from .math import cast
from .reduction import reduce_sum
from .registry import NOT_DIFFERENTIABLE, NUMBERS, REALS, apply_op, op
from .shape_fns import constant_value, constant_value_as_shape, dims, with_rank
from .slicing import gather, gather_nd
from .sparse_tensor import SparseTensor, SparseTensorValue, is_sparse, static_dense_shape

scipy_sparse = Lazy("scipy.sparse")

_raw = TensorShape._raw
_I64 = dtypes.int64


def error(message):
    return InvalidArgumentError(None, None, message)


def text(values):
    return "[" + ",".join(str(int(v)) for v in np.ravel(values)) + "]"


def row_major_order(idx):
    """The permutation putting the rows of `idx` in row-major order (stable)."""
    idx = np.asarray(idx).reshape(len(idx), -1)
    return np.lexsort(idx.T[::-1]) if idx.shape[1] else np.arange(len(idx))


def static_rank(t):
    """The static rank a dense-shape tensor tells (its length), or None."""
    return dims(t)[0] if dims(t) else None


def sparse_specs(rank, dtype, n=None):
    return [(_I64, _raw((n, rank))), (dtype, _raw((n,))), (_I64, _raw((rank,)))]


def parts(sp):
    return [sp.indices, sp.values, sp.dense_shape]


# ----- SparseTensorDenseMatMul ------------------------------------------------------------------------------
def _matmul_kernel(a, idx, values, a_shape, b):
    rows, cols = (1, 0) if a["adjoint_a"] else (0, 1)
    out_rows, inner = int(a_shape[rows]), int(a_shape[cols])
    b = np.conj(b.T) if a["adjoint_b"] else b
    if b.shape[0] != inner:
        raise error(f"Cannot multiply A and B because inner dimension does not match: {inner} vs. {b.shape[0]}.  "
                     f"Did you forget a transpose?  Dimensions of A: [{a_shape[0]}, {a_shape[1]}).  Dimensions of B: "
                     f"{list(np.shape(b))}")
    idx = np.asarray(idx, np.int64).reshape(-1, 2)
    for j, (name, limit) in ((cols, ("k", inner)), (rows, ("m", out_rows))):
        bad = np.flatnonzero((idx[:, j] < 0) | (idx[:, j] >= limit))
        if bad.size:
            raise error(f"{name} ({idx[bad[0], j]}) from index[{bad[0]},{j}] out of bounds (>={limit})")
    values = np.conj(values) if a["adjoint_a"] else values
    dtype = np.result_type(values, b)
    r, c = idx[:, rows], idx[:, cols]
    if dtype in _CSR_TYPES and len(r):
        # scipy's CSR product sums each row's entries in their index order, in the dtype: TF's kernel's order and
        # rounding (np.add.at took 10-20x longer; a GCN's epoch ran 20x TF's time)
        order = np.argsort(r, kind="stable") if np.any(r[1:] < r[:-1]) else slice(None)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(r, minlength=out_rows))])
        m = scipy_sparse.csr_matrix((np.asarray(values, dtype)[order], c[order], indptr), shape=(out_rows, inner))
        return np.asarray(m @ np.asarray(b, dtype))
    out = np.zeros((out_rows, b.shape[1]), dtype)
    np.add.at(out, r, values[:, None] * b[c])
    return out


# (complex products stay numpy's: scipy's round differently in the last bit)
_CSR_TYPES = {np.dtype(t) for t in (np.float32, np.float64, np.int32, np.int64)}


def _matmul_shape(inputs, a):
    a_dims = constant_value_as_shape(inputs[2]).with_rank(2).as_list()
    b_dims = list(with_rank(inputs[3], 2))
    if a["adjoint_a"]:
        a_dims = a_dims[::-1]
    if a["adjoint_b"]:
        b_dims = b_dims[::-1]
    if None not in (a_dims[1], b_dims[0]) and a_dims[1] != b_dims[0]:
        raise ValueError(f"Dimensions must be equal, but are {a_dims[1]} and {b_dims[0]}")
    return inputs[1].dtype.base_dtype, _raw((a_dims[0], b_dims[1]))


def _matmul_grad(op, g):
    idx, values, a_shape, b = op.inputs
    adj_a, adj_b = op._attrs["adjoint_a"], op._attrs["adjoint_b"]
    b_grad = apply_op("SparseTensorDenseMatMul", [idx, values, a_shape, g],
                      {"adjoint_a": not adj_a, "adjoint_b": False})
    if adj_b:
        b_grad = transpose(b_grad)
    rows, cols = idx[:, 0], idx[:, 1]
    parts_a = gather(g, cols if adj_a else rows)
    parts_b = gather(transpose(b) if adj_b else b, rows if adj_a else cols)
    return [None, reduce_sum(parts_a * parts_b, 1), None, b_grad]


op("SparseTensorDenseMatMul", "a_indices:Tindices, a_values:T, a_shape:int64, b:T", kernel=_matmul_kernel,
   shape=_matmul_shape, grad=_matmul_grad, T="half float32 float64 int32 int64 complex64 complex128",
   Tindices="int32 int64")


def sparse_tensor_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """The dense product of the 2-D SparseTensor `sp_a` (or its adjoint) and the dense matrix `b`
    (or, when `b` is the sparse one, of the dense `sp_a` and `b`, through the transposed product)."""
    if is_sparse(b):
        if adjoint_a != adjoint_b:
            return transpose(sparse_tensor_dense_matmul(b, sp_a, adjoint_a, adjoint_b))
        return transpose(sparse_tensor_dense_matmul(b, sp_a, adjoint_a=not adjoint_a, adjoint_b=not adjoint_b))
    sp_a = as_sparse(sp_a)
    with name_scope(name, "SparseTensorDenseMatMul", [sp_a.indices, sp_a.values, b]):
        b = convert_to_tensor(b, name="b")
        return apply_op("SparseTensorDenseMatMul", [sp_a.indices, sp_a.values, sp_a.dense_shape, b],
                        {"adjoint_a": adjoint_a, "adjoint_b": adjoint_b})


# ----- SparseReorder, SparseReshape -------------------------------------------------------------------------
def _reorder_kernel(a, idx, values, dense_shape):
    perm = row_major_order(idx)
    return [np.asarray(idx, np.int64)[perm], np.asarray(values)[perm]]


def _reorder_grad(op, _, g):
    idx, dense_shape = op.inputs[0], op.inputs[2]
    entries = range_(shape(idx)[0])
    ordered = apply_op("SparseReorder", [idx, entries, dense_shape], {})[1]
    return [None, gather(g, invert_permutation(ordered)), None]


op("SparseReorder", "input_indices:int64, input_values:T, input_shape:int64", kernel=_reorder_kernel,
   shape=lambda i, a: [(_I64, i[0].shape), (i[1].dtype.base_dtype, i[1].shape)], grad=_reorder_grad)


def sparse_reorder(sp_input, name=None):
    """The same SparseTensor with its entries in row-major order."""
    sp_input = as_sparse(sp_input)
    indices, values = apply_op("SparseReorder", parts(sp_input), {}, name=name)
    if sp_input.shape.is_fully_defined():
        return SparseTensor(indices, values, sp_input.shape.as_list())
    out = SparseTensor(indices, values, identity(sp_input.dense_shape))
    out.set_shape(sp_input.shape)
    return out


def _new_shape(old, new):
    new = [int(d) for d in np.ravel(new)]
    total = int(np.prod(old, dtype=np.int64))
    unknown = [i for i, d in enumerate(new) if d == -1]
    if len(unknown) > 1:
        raise error(f"only one output dimension may be -1, not both {unknown[0]} and {unknown[1]}")
    known = int(np.prod([d for d in new if d != -1], dtype=np.int64))
    if unknown:
        if known == 0 or total % known:
            raise error(f"Input to reshape is a SparseTensor with {total} dense values, but the requested shape "
                         f"requires a multiple of {known}. inputs_shape={text(old)} output shape={text(new)}")
        new[unknown[0]] = total // known
    elif known != total:
        raise error(f"Input to reshape is a tensor with {total} dense values, but the requested shape has {known}. "
                     f"inputs_shape={text(old)} output shape={text(new)}")
    return new


def _reshape_kernel(a, idx, old, new):
    new = _new_shape(old, new)
    idx = np.asarray(idx, np.int64).reshape(len(idx), -1)
    flat = np.ravel_multi_index(tuple(idx.T), tuple(int(d) for d in old)) if idx.size else np.zeros(len(idx), int)
    out = np.stack(np.unravel_index(flat, new), 1) if new else np.zeros((len(idx), 0))
    return [out.astype(np.int64).reshape(len(idx), len(new)), np.asarray(new, np.int64)]


op("SparseReshape", "input_indices:int64, input_shape:int64, new_shape:int64", kernel=_reshape_kernel,
   shape=lambda i, a: [(_I64, _raw((dims(i[0])[0] if dims(i[0]) else None, static_rank(i[2])))),
                       (_I64, _raw((static_rank(i[2]),)))], grad=NOT_DIFFERENTIABLE)


def sparse_reshape(sp_input, shape, name=None):
    """The SparseTensor with the same entries in a dense tensor of `shape` (one dim may be -1)."""
    sp_input = as_sparse(sp_input)
    shape = cast(shape, dtype=_I64)
    with name_scope(name, "SparseReshape", [sp_input]) as scope:
        indices, out_shape = apply_op("SparseReshape", [sp_input.indices, sp_input.dense_shape, shape], {}, name=scope)
        wanted = static_dense_shape(shape)
        if wanted.ndims is not None and sp_input.shape.is_fully_defined():
            out_shape = _static_reshape(sp_input.shape.as_list(), wanted.as_list(), constant_value(shape), out_shape)
        return SparseTensor(indices, identity(sp_input.values), out_shape)


def _static_reshape(old, wanted, given, out_shape):
    """TF's build-time check of a reshape whose shapes are known: the new dense shape as a constant."""
    if given is not None and sum(int(d) == -1 for d in np.ravel(given)) > 1:
        raise ValueError(f"At most one dimension can be inferred (-1). Found: {np.ravel(given)}")
    size = int(np.prod(old))
    implied = sum(d is None for d in wanted)
    original = list(wanted)
    if implied == 1 and 0 not in wanted:
        rest = [d for d in wanted if d is not None]
        wanted[wanted.index(None)] = int(size // np.prod(rest))
    if implied == 0 or (implied == 1 and 0 not in wanted):
        if int(np.prod(wanted)) != size:
            raise ValueError(f"Cannot reshape a tensor with {size} elements to shape {original} "
                             f"({int(np.prod(wanted))} elements).")
        return convert_to_tensor(wanted, dtype=_I64, name="Const")
    return out_shape


# ----- SparseAdd, SparseTensorDenseAdd -----------------------------------------------------------------------
def check_same_shape(a_shape, b_shape):
    if len(a_shape) != len(b_shape):
        raise error(f"Operands do not have the same ranks; got shapes: {text(a_shape)} and {text(b_shape)}")
    for d, (x, y) in enumerate(zip(a_shape, b_shape)):
        if x != y:
            raise error(f"Operands' shapes do not match: got {x} and {y} for dimension {d}")


def _add_kernel(a, ai, av, ash, bi, bv, bsh, thresh):
    check_same_shape(ash, bsh)
    merged = {}
    for i, row in enumerate(np.asarray(ai).tolist()):
        merged[tuple(row)] = av[i]
    overlap = set()
    for j, row in enumerate(np.asarray(bi).tolist()):
        key = tuple(row)
        if key in merged:
            overlap.add(key)
            merged[key] = merged[key] + bv[j]
        else:
            merged[key] = bv[j]
    keys = sorted(k for k, v in merged.items() if k not in overlap or np.abs(v) >= thresh)
    dtype = np.result_type(av, bv)
    indices = np.asarray(keys, np.int64).reshape(len(keys), len(ash))
    return [indices, np.asarray([merged[k] for k in keys], dtype).reshape(len(keys)), np.asarray(ash, np.int64)]


def _add_grad(op, _, g, __):
    a_grad, b_grad = apply_op("SparseAddGrad", [g, op.inputs[0], op.inputs[3], op.outputs[0]], {})
    a_grad.set_shape(op.inputs[1].shape)
    b_grad.set_shape(op.inputs[4].shape)
    return [None, a_grad, None, None, b_grad, None, None]


op("SparseAdd", "a_indices:int64, a_values:T, a_shape:int64, b_indices:int64, b_values:T, b_shape:int64, "
   "thresh:Treal", kernel=_add_kernel, grad=_add_grad, T=NUMBERS, Treal=REALS,
   shape=lambda i, a: sparse_specs(static_rank(i[2]), i[1].dtype.base_dtype)[:2] + [(_I64, i[2].shape)])


def _add_grad_kernel(a, g, ai, bi, si):
    position = {tuple(row): k for k, row in enumerate(np.asarray(si).tolist())}

    def pick(idx):
        rows = [position.get(tuple(row)) for row in np.asarray(idx).tolist()]
        return np.asarray([g[k] if k is not None else 0 for k in rows], g.dtype).reshape(len(rows))
    return [pick(ai), pick(bi)]


op("SparseAddGrad", "backprop_val_grad:T, a_indices:int64, b_indices:int64, sum_indices:int64",
   kernel=_add_grad_kernel, T=NUMBERS, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: [(i[0].dtype.base_dtype, _raw((dims(i[1])[0] if dims(i[1]) else None,))),
                       (i[0].dtype.base_dtype, _raw((dims(i[2])[0] if dims(i[2]) else None,)))])


def _dense_add_kernel(a, idx, values, sp_shape, b):
    out = np.array(b, copy=True)
    if tuple(int(d) for d in sp_shape) != out.shape:
        raise error(f"Dimension 0 does not equal (no broadcasting is supported): sparse side {sp_shape[0]} vs dense "
                     f"side {out.shape[0] if out.ndim else 0}" if out.ndim == len(sp_shape) else
                     f"Sparse shape {text(sp_shape)} does not equal dense shape {list(out.shape)}")
    idx = np.asarray(idx).reshape(len(values), -1)
    np.add.at(out, tuple(idx.T), values)
    return out


op("SparseTensorDenseAdd", "a_indices:Tindices, a_values:T, a_shape:Tindices, b:T", kernel=_dense_add_kernel,
   shape=lambda i, a: (i[3].dtype.base_dtype, i[3].shape), T=NUMBERS, Tindices="int32 int64",
   grad=lambda op, g: [None, gather_nd(g, op.inputs[0]), None, g])


def sparse_add(a, b, threshold=None, thresh=None):
    """The sum of two SparseTensors (a SparseTensor, dropping summed entries under `threshold` in magnitude),
    or of a SparseTensor and a dense tensor (a dense tensor)."""
    threshold = thresh if threshold is None else threshold
    threshold = 0 if threshold is None else threshold
    sparse = [is_sparse(x) for x in (a, b)]
    if not any(sparse):
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add()?")
    if all(sparse):
        a, b = as_sparse(a), as_sparse(b)
        thresh = convert_to_tensor(threshold, dtype=a.values.dtype.real_dtype.base_dtype, name="threshold")
        indices, values, out_shape = apply_op("SparseAdd", parts(a) + parts(b) + [thresh], {})
        a.shape.assert_is_compatible_with(b.shape)
        static = a.shape.merge_with(b.shape) if None not in (a.shape.ndims, b.shape.ndims) else unknown_shape()
        return SparseTensor(indices, values, static.as_list() if static.is_fully_defined() else out_shape)
    if sparse[1]:
        a, b = b, a
    a = as_sparse(a)
    return apply_op("SparseTensorDenseAdd", parts(a) + [b], {})


def as_sparse(x):
    """`x` as a SparseTensor (from a SparseTensorValue); a TypeError for anything else."""
    if isinstance(x, SparseTensorValue):
        return SparseTensor.from_value(x)
    if not isinstance(x, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    return x


# ----- to and from dense tensors, and what TF builds from the ops above ---------------------------------------
def sparse_tensor_to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense tensor of `sp_input`, `default_value` (0) where it has no entry."""
    sp_input = as_sparse(sp_input)
    if default_value is None:
        default_value = zeros([], dtype=sp_input.dtype.base_dtype)
    return apply_op("SparseToDense", [sp_input.indices, sp_input.dense_shape, sp_input.values, default_value],
                    {"validate_indices": validate_indices}, name=name)


def from_dense(tensor, name=None):
    """The SparseTensor of the nonzero entries of the dense `tensor`."""
    with name_scope(name, "dense_to_sparse"):
        tensor = convert_to_tensor(tensor)
        indices = apply_op("Where", [apply_op("NotEqual", [tensor, zeros_like(tensor)],
                                              {"incompatible_shape_error": True})], {})
        return SparseTensor(indices, gather_nd(tensor, indices), shape(tensor, out_type=_I64))


def sparse_retain(sp_input, to_retain):
    """The entries of `sp_input` where the bool vector `to_retain` is True."""
    sp_input = as_sparse(sp_input)
    to_retain = convert_to_tensor(to_retain)
    to_retain.shape.assert_has_rank(1)
    if sp_input.values.shape.dims is not None:
        # TF: dimension_at_index, so a `to_retain` of unknown rank (it passed assert_has_rank) checks nothing
        sp_input.values.shape.dims[0].assert_is_compatible_with(
            None if to_retain.shape.dims is None else to_retain.shape.dims[0])
    where_true = reshape(apply_op("Where", [to_retain], {}), [-1])
    return SparseTensor(gather(sp_input.indices, where_true), gather(sp_input.values, where_true),
                        identity(sp_input.dense_shape))


def sparse_reset_shape(sp_input, new_shape=None):
    """`sp_input` with dense shape `new_shape` (no smaller), or its tight bounding box."""
    sp_input = as_sparse(sp_input)
    indices, values, old = identity(sp_input.indices), identity(sp_input.values), identity(sp_input.dense_shape)
    if new_shape is None:
        upper = apply_op("Max", [indices, 0], {"keep_dims": False})
        return SparseTensor(indices, values, apply_op("Maximum", [np.int64(0), upper + apply_op("OnesLike", [old], {})],
                                                      {}))
    new_shape = cast(convert_to_tensor(new_shape), _I64)
    new_shape.shape.assert_has_rank(1)
    known, old_known = constant_value(new_shape), sp_input.shape
    if known is not None and old_known.is_fully_defined():
        if not np.all(np.asarray(old_known.as_list()) <= known):
            raise ValueError(f"Requested new_shape should have dimension sizes >= sp_input.shape.  Found new_shape "
                             f"({np.asarray(old_known.as_list())}), sp_input.shape ({known}).")
        new_shape = known
    return SparseTensor(indices, values, new_shape)


def sparse_transpose(sp_input, perm=None, name=None):
    """`sp_input` with its dimensions permuted by `perm` (reversed by default), reordered."""
    with name_scope(name, "SparseTranspose", [sp_input]):
        if perm is None:
            if sp_input.shape.ndims is not None:
                perm = sp_input.shape.ndims - 1 - np.arange(0, sp_input.shape.ndims, 1)
            else:
                n = apply_op("Size", [sp_input.dense_shape], {"out_type": dtypes.int32})
                perm = n - 1 - range_(0, n, 1)
        indices = transpose(gather(transpose(sp_input.indices), perm))
        known = constant_value(convert_to_tensor(perm))
        if known is not None and sp_input.shape.is_fully_defined():
            old = sp_input.shape.as_list()
            new_shape = [old[p] for p in known]
        else:
            new_shape = gather(sp_input.dense_shape, perm)
        return sparse_reorder(SparseTensor(indices, sp_input.values, new_shape))


def _int64(value, name):
    if isinstance(value, (int, np.integer)):
        return convert_to_tensor(value, name=name, dtype=_I64)
    if not hasattr(value, "dtype") or not hasattr(value, "op"):
        raise TypeError(f"{name} must be an integer value")
    return value if value.dtype == _I64 else cast(value, _I64)


def sparse_eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None):
    """A SparseTensor of ones on the diagonal of a [num_rows, num_columns] matrix."""
    with name_scope(name, "eye", [num_rows, num_columns]):
        num_rows = _int64(num_rows, "num_rows")
        num_columns = num_rows if num_columns is None else _int64(num_columns, "num_columns")
        size = apply_op("Minimum", [num_rows, num_columns], {})
        diag = range_(size, dtype=_I64)
        return SparseTensor(stack([diag, diag], axis=1), ones(reshape(size, [-1]), dtype=dtype),
                            [num_rows, num_columns])


def sparse_expand_dims(sp_input, axis=None, name=None):
    """`sp_input` with a new dimension of size 1 at `axis` (the last by default)."""
    rank = sp_input.dense_shape.shape[0]
    rank = shape(sp_input.dense_shape)[0] if rank is None else rank
    axis = -1 if axis is None else axis
    with name_scope(name, "expand_dims", [sp_input]):
        if isinstance(axis, (int, np.integer)):
            axis = convert_to_tensor(axis, name="axis", dtype=dtypes.int32)
        elif not hasattr(axis, "op"):
            raise TypeError("axis must be an integer value in range [-rank(sp_input) - 1, rank(sp_input)]")
        axis = apply_op("SelectV2", [axis >= 0, axis, axis + rank + 1], {})
        column = shape(sp_input.indices)[0]
        new_index = apply_op("Fill", [stack([column, 1]), np.int64(0)], {}, name="zeros")
        before = apply_op("Slice", [sp_input.indices, stack([0, 0]), stack([-1, axis])], {})
        after = apply_op("Slice", [sp_input.indices, stack([0, axis]), [-1, -1]], {})
        indices = concat([before, new_index, after], axis=1)
        shape_before = apply_op("Slice", [sp_input.dense_shape, [0], reshape(axis, [1])], {})
        shape_after = apply_op("Slice", [sp_input.dense_shape, reshape(axis, [1]), [-1]], {})
        one = convert_to_tensor([1], name="new_shape", dtype=_I64)
        return SparseTensor(indices, sp_input.values, concat([shape_before, one, shape_after], axis=0))


def sparse_merge(sp_ids, sp_values, vocab_size, name=None, already_sorted=False):
    """The SparseTensor whose last index is `sp_ids`' values (of `vocab_size` possible) and whose values are
    `sp_values`' values: [batch, id] -> weight, the input of a sparse linear model."""
    if isinstance(sp_ids, (SparseTensor, SparseTensorValue)):
        sp_ids = [sp_ids]
        if not (hasattr(vocab_size, "op") or isinstance(vocab_size, (int, np.integer))):
            raise TypeError(f"vocab_size has to be a Tensor or Python int. Found {type(vocab_size)}")
        vocab_size = [vocab_size]
    elif not isinstance(vocab_size, (list, tuple)):
        raise TypeError(f"vocab_size has to be a list of Tensors or Python ints. Found {type(vocab_size)}")
    if len(sp_ids) != len(vocab_size):
        raise ValueError("sp_ids and vocab_size have to have equal lengths.")
    with name_scope(name, "SparseMerge", [sp_ids, sp_values]):
        sp_ids = [as_sparse(x) for x in sp_ids]
        sp_values = as_sparse(sp_values)
        ids = [expand_dims(x.values if x.dtype == _I64 else cast(x.values, _I64), axis=1) for x in sp_ids]
        vocab_size = [cast(x, _I64) for x in vocab_size]
        new_indices = concat([sp_ids[0].indices[:, :-1]] + ids, 1)
        new_shape = concat([sp_ids[0].dense_shape[:-1], vocab_size], 0)
        result = SparseTensor(new_indices, sp_values.values, new_shape)
        if already_sorted:
            return result
        ordered = sparse_reorder(result)
        return SparseTensor(ordered.indices, ordered.values, new_shape)


def sparse_to_indicator(sp_input, vocab_size, name=None):
    """A dense bool tensor [..., vocab_size], True at the ids each row of `sp_input` holds."""
    sp_input = as_sparse(sp_input)
    with name_scope(name, "SparseToIndicator", [sp_input]) as scope:
        num_entries = shape(sp_input.indices)[0]
        new_values = apply_op("Fill", [expand_dims(num_entries, 0), True], {})
        merged = sparse_merge(sp_input, SparseTensor(sp_input.indices, new_values, sp_input.dense_shape), vocab_size,
                              scope)
        return sparse_tensor_to_dense(merged, default_value=False, validate_indices=False, name=scope)


def sparse_mask(a, mask_indices, name=None):
    """The IndexedSlices `a` without the slices whose indices are in `mask_indices`."""
    with name_scope(name, "sparse_mask", [a, mask_indices]) as scope:
        out_indices, to_gather = apply_op("ListDiff", [a.indices, mask_indices], {"out_idx": dtypes.int32})
        return IndexedSlices(gather(a.values, to_gather, name=scope), out_indices, a.dense_shape)
