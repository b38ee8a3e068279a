"""`SparseMatMul` (`tf.sparse_matmul`): a float32 matrix product whose inputs are hinted to be mostly zeros. The
hints only change how TF's kernel loops; the product is MatMul's."""
from .. import dtypes
from .array import transpose
from .linalg import matmul
from .math import cast
from .registry import apply_op, get, op

_MATMUL = get("MatMul")


def _kernel(a, x, y):
    return _MATMUL.kernel({**a, "T": dtypes.float32}, x, y)


def _shape(inputs, a):
    return dtypes.float32, _MATMUL.shape(inputs, a)[1]


def _grad(op, g):
    """TF's _SparseMatMulGrad: each input's gradient is a product of the other input and `g` (a transposed
    second factor transposed explicitly first), cast back to that input's dtype."""
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]
    a, b = op.inputs

    def product(x, y, dtype, transpose_a=False, transpose_b=False):
        if transpose_b:
            y, transpose_b = transpose(y), False
        out = matmul(x, y, transpose_a=transpose_a)
        return out if out.dtype == dtype else cast(out, dtype)
    if not ta and not tb:
        return [product(g, b, a.dtype, transpose_b=True), product(a, g, b.dtype, transpose_a=True)]
    if not ta and tb:
        return [product(g, b, a.dtype), product(g, a, b.dtype, transpose_a=True)]
    if ta and not tb:
        return [product(b, g, a.dtype, transpose_b=True), product(a, g, b.dtype)]
    return [product(b, g, a.dtype, transpose_a=True, transpose_b=True),
            product(g, a, b.dtype, transpose_a=True, transpose_b=True)]


op("SparseMatMul", "a:Ta=float32, b:Tb=float32", kernel=_kernel, shape=_shape, grad=_grad, Ta="float32 bfloat16",
   Tb="float32 bfloat16")


def sparse_matmul(a, b, transpose_a=False, transpose_b=False, a_is_sparse=False, b_is_sparse=False, name=None):
    """`a @ b` in float32 (op SparseMatMul); `*_is_sparse` are hints that do not change the result."""
    return apply_op("SparseMatMul", [a, b], {"transpose_a": bool(transpose_a), "transpose_b": bool(transpose_b),
                                             "a_is_sparse": bool(a_is_sparse), "b_is_sparse": bool(b_is_sparse)},
                    name=name)
