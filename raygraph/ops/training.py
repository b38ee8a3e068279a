"""Training ops: the fused optimizer updates (`Apply*`) and the checkpoint ops (`SaveV2`, `RestoreV2`, and the
ops TensorFlow's sharded savers add: `ShardedFilename` and `MergeV2Checkpoints`;
the `StringJoin` and `StaticRegexFullMatch` they also add are in strings.py and string_joins.py).

An `Apply*` op takes its variable and slots by reference (so it runs in the device actor holding
them), reads them, computes TF1's update formula in the variable's dtype and writes new arrays; its
output is the variable's ref. One op per variable per step keeps the optimizer's graph lean.
"""

import numpy as np
from scheduler import intra_op

from .. import checkpoint_io, dtypes, tensor_bundle
from ..errors import InvalidArgumentError, UnimplementedError
from ..shape import TensorShape
from . import compiled
from .registry import NOT_DIFFERENTIABLE, NUMBERS, apply_op, op
from .scatter import first_bad, in_order, writable
from .shape_fns import dims, merge_dims, with_rank
from .state import locked

_raw = TensorShape._raw


# ----- the update formulas (TF1's training_ops.cc), over numpy arrays ------------------------------------
_LOOPED_T = (np.dtype(np.float32), np.dtype(np.float64))
_SPLIT_ELEMENTS = 3 << 18   # elements from which an update's loop takes a share of them per intra-op thread (where
                            # the step lets kernels split): Adam's, float32, alone on two threads, 512K 0.12 ms
                            # either way, 768K 0.23-0.24 -> 0.17-0.19, 1M 0.41-0.44 -> 0.22-0.30, 6.4M 8.2 -> 5.0


def _one_pass(var, *others):
    """Whether an update runs as its compiled loop (kernel_loops: one pass over the arrays where numpy's way makes
    one per operation, with a temporary each; the same bits): float arrays of one dtype and shape, C-ordered."""
    if var.dtype not in _LOOPED_T or var.size < compiled.COMPILED or not var.flags.c_contiguous:
        return False
    for t in others:   # (a loop, not all() over a generator: a microsecond less in mlp_train's updates)
        if t.dtype != var.dtype or t.shape != var.shape or not t.flags.c_contiguous:
            return False
    return True


def _looped(name, arrays, scalars):
    """-> the new arrays (like `arrays`' first len(arrays) - 1) from kernel_loops' `name`(*arrays, *scalars, *news),
    the elements cut into one share per intra-op thread from _SPLIT_ELEMENTS where the step lets kernels split."""
    loop = getattr(compiled.loops(), name)
    news = [np.empty_like(a) for a in arrays[:-1]]
    if arrays[0].size < _SPLIT_ELEMENTS or not intra_op.spare():
        loop(*arrays, *scalars, *news)
        return news
    flat, outs = [a.reshape(-1) for a in arrays], [a.reshape(-1) for a in news]
    intra_op.shares(lambda lo, hi: loop(*[a[lo:hi] for a in flat], *scalars, *[o[lo:hi] for o in outs]),
                    flat[0].size, intra_op.MIN_WORK)
    return news


def _gradient_descent(a, var, alpha, delta):
    if _one_pass(var, delta):   # one pass, not two (mlp_train's [784, 256]: 65-72 -> 52-64 us)
        return _looped("descend", [var, delta], [var.dtype.type(alpha)])
    new = delta * -alpha  # one fresh array, updated in place: the step's hottest kernel
    new += var
    return (new,)


def _momentum(a, var, accum, lr, grad, momentum):
    if _one_pass(var, accum, grad):
        scalar = var.dtype.type
        return _looped("momentum", [var, accum, grad], [scalar(lr), scalar(momentum), bool(a.get("use_nesterov"))])
    accum = accum * momentum + grad
    if a.get("use_nesterov"):
        return var - (grad * lr + accum * momentum * lr), accum
    return var - lr * accum, accum


def _adagrad(a, var, accum, lr, grad):
    if _one_pass(var, accum, grad):
        return _looped("adagrad", [var, accum, grad], [var.dtype.type(lr), bool(a.get("update_slots", True))])
    if a.get("update_slots", True):
        accum = accum + grad * grad
    return var - lr * grad / np.sqrt(accum), accum


def _adam(a, var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
    one = np.ones((), var.dtype)
    alpha = lr * np.sqrt(one - beta2_power) / (one - beta1_power)
    if not a.get("use_nesterov") and _one_pass(var, m, v, grad):
        scalar = var.dtype.type
        return _looped("adam", [var, m, v, grad], [scalar(alpha), scalar(one - beta1), scalar(one - beta2),
                                                   scalar(epsilon)])
    m = m + (grad - m) * (one - beta1)
    v = v + (grad * grad - v) * (one - beta2)
    if a.get("use_nesterov"):
        return var - (grad * (one - beta1) + beta1 * m) * alpha / (np.sqrt(v) + epsilon), m, v
    return var - m * alpha / (np.sqrt(v) + epsilon), m, v


def _rmsprop(a, var, ms, mom, lr, rho, momentum, epsilon, grad):
    one = np.ones((), var.dtype)
    if _one_pass(var, ms, mom, grad):
        scalar = var.dtype.type
        return _looped("rmsprop", [var, ms, mom, grad], [scalar(lr), scalar(one - rho), scalar(momentum),
                                                         scalar(epsilon)])
    ms = ms + (grad * grad - ms) * (one - rho)
    mom = mom * momentum + lr * grad / np.sqrt(ms + epsilon)
    return var - mom, ms, mom


def _centered_rmsprop(a, var, mg, ms, mom, lr, rho, momentum, epsilon, grad):
    one = np.ones((), var.dtype)
    ms = ms + (grad * grad - ms) * (one - rho)
    mg = mg + (grad - mg) * (one - rho)
    mom = mom * momentum + lr * grad / np.sqrt(ms - mg * mg + epsilon)
    return var - mom, mg, ms, mom


def _adadelta(a, var, accum, accum_update, lr, rho, epsilon, grad):
    one = np.ones((), var.dtype)
    accum = accum * rho + grad * grad * (one - rho)
    update = np.sqrt(accum_update + epsilon) / np.sqrt(accum + epsilon) * grad
    accum_update = accum_update * rho + update * update * (one - rho)
    return var - update * lr, accum, accum_update


def _ftrl(a, var, accum, linear, grad, lr, l1, l2, lr_power):
    return _ftrl_v2(a, var, accum, linear, grad, lr, l1, l2, np.zeros((), var.dtype), lr_power)


def _ftrl_v2(a, var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power):
    """FTRL-proximal: `linear` gathers the (shrunk) gradients less the part the rate change explains; the variable
    is the closed-form minimiser, 0 where |linear| <= l1."""
    new_accum = accum + grad * grad
    root = np.sqrt if lr_power == -0.5 else (lambda x: np.power(x, -lr_power))
    shrunk = grad + 2 * l2_shrinkage * var if l2_shrinkage > 0 else grad
    linear = linear + shrunk - (root(new_accum) - root(accum)) / lr * var
    quadratic = root(new_accum) / lr + 2 * l2
    var = np.where(np.abs(linear) > l1, (np.sign(linear) * l1 - linear) / quadratic, np.zeros((), var.dtype))
    return var, new_accum, linear


def _shrink(prox_var, rate, l1, l2):
    """The proximal step of l1 and l2 regularisation at step size `rate`."""
    if l1 > 0:
        return np.sign(prox_var) * np.maximum(np.abs(prox_var) - rate * l1, 0) / (1 + rate * l2)
    return prox_var / (1 + rate * l2)


def _proximal_gradient_descent(a, var, alpha, l1, l2, delta):
    return (_shrink(var - alpha * delta, alpha, l1, l2),)


def _proximal_adagrad(a, var, accum, lr, l1, l2, grad):
    accum = accum + grad * grad
    rate = lr / np.sqrt(accum)
    return _shrink(var - grad * rate, rate, l1, l2), accum


# ----- kernels and shapes -----------------------------------------------------------------------------------
def _apply_kernel(names, n_refs, grad_at, update):
    """A stateful kernel reading its `n_refs` refs, applying `update` (inputs in op order), writing back."""
    checked = names[1:n_refs] + [names[grad_at]]

    def kernel(a, res, *args):
        with locked(a, args[:n_refs]):  # use_locking=True: the variable and its slots, as in TF1
            return apply(a, args)

    def apply(a, args):
        refs = args[:n_refs]
        olds = [r.read() for r in refs]
        var = olds[0]
        for name, value in zip(checked, olds[1:] + [args[grad_at]]):
            if np.shape(value) != np.shape(var):
                raise InvalidArgumentError(None, None, f"var and {name} do not have the same shape"
                                           f"{list(np.shape(var))} {list(np.shape(value))}")
        dtype = var.dtype
        news = update(a, *olds, *(np.asarray(v, dtype) for v in args[n_refs:]))
        for r, new in zip(refs, news):
            r.write(np.asarray(new, dtype))
        return refs[0]
    return kernel


def _apply_shape(n_refs, grad_at):
    """Scalars must be scalars; the slots and the gradient must match the variable's shape."""
    def shape(inputs, a):
        var = inputs[0]
        out = var.shape
        for t in inputs[1:n_refs] + [inputs[grad_at]]:
            if not out.is_compatible_with(t.shape):
                raise ValueError(f"Shapes must be equal rank, but are {out.ndims} and {t.shape.ndims}"
                                 if out.ndims != t.shape.ndims else f"Shapes {out} and {t.shape} are incompatible")
            out = out.merge_with(t.shape)
        for i, t in enumerate(inputs[n_refs:], n_refs):
            if i != grad_at and t.shape.ndims not in (None, 0):
                raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims}")
        return var.dtype, out
    return shape


def _define(op_type, inputs, update):
    """One Apply* entry: `inputs` in TF's order, refs marked with a leading '&'."""
    names = [n.lstrip("&") for n in inputs]
    n_refs = sum(n.startswith("&") for n in inputs)
    grad_at = names.index("grad") if "grad" in names else names.index("delta")
    spec = ", ".join(f"{n}:&T" if i < n_refs else f"{n}:T" for i, n in enumerate(names))
    op(op_type, spec, kernel=_apply_kernel(names, n_refs, grad_at, update), shape=_apply_shape(n_refs, grad_at),
       stateful=True, grad=NOT_DIFFERENTIABLE, T=NUMBERS)


_define("ApplyGradientDescent", ["&var", "alpha", "delta"], _gradient_descent)
_define("ApplyMomentum", ["&var", "&accum", "lr", "grad", "momentum"], _momentum)
_define("ApplyAdagrad", ["&var", "&accum", "lr", "grad"], _adagrad)
_define("ApplyAdam", ["&var", "&m", "&v", "beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon", "grad"],
        _adam)
_define("ApplyRMSProp", ["&var", "&ms", "&mom", "lr", "rho", "momentum", "epsilon", "grad"], _rmsprop)
_define("ApplyCenteredRMSProp", ["&var", "&mg", "&ms", "&mom", "lr", "rho", "momentum", "epsilon", "grad"],
        _centered_rmsprop)
_define("ApplyAdadelta", ["&var", "&accum", "&accum_update", "lr", "rho", "epsilon", "grad"], _adadelta)
_define("ApplyFtrl", ["&var", "&accum", "&linear", "grad", "lr", "l1", "l2", "lr_power"], _ftrl)
_define("ApplyFtrlV2", ["&var", "&accum", "&linear", "grad", "lr", "l1", "l2", "l2_shrinkage", "lr_power"], _ftrl_v2)
_define("ApplyProximalGradientDescent", ["&var", "alpha", "l1", "l2", "delta"], _proximal_gradient_descent)
_define("ApplyProximalAdagrad", ["&var", "&accum", "lr", "l1", "l2", "grad"], _proximal_adagrad)


def _ada_max(a, var, m, v, beta1_power, lr, beta1, beta2, epsilon, grad):
    """AdaMax (contrib.opt): Adam with the infinity norm, v = max(beta2 v, |g|)."""
    one = np.ones((), var.dtype)
    m = m + (grad - m) * (one - beta1)
    v = np.maximum(beta2 * v, np.abs(grad))
    return var - lr / (one - beta1_power) * (m / (v + epsilon)), m, v


_define("ApplyAdaMax", ["&var", "&m", "&v", "beta1_power", "lr", "beta1", "beta2", "epsilon", "grad"], _ada_max)


def _adagrad_da(a, var, g_acc, gg_acc, grad, lr, l1, l2, step):
    """Dual averaging: var from the sums of gradients and of their squares (not from its old value)."""
    g_acc, gg_acc = g_acc + grad, gg_acc + grad * grad
    shrunk = np.maximum(np.abs(g_acc) - l1 * step, 0) * np.sign(-g_acc) if l1 > 0 else -g_acc
    return lr * shrunk / (l2 * step * lr + np.sqrt(gg_acc)), g_acc, gg_acc


_DA = ["var", "gradient_accumulator", "gradient_squared_accumulator", "grad", "lr", "l1", "l2", "global_step"]
op("ApplyAdagradDA", ", ".join(f"{n}:&T" for n in _DA[:3]) + ", grad:T, lr:T, l1:T, l2:T, global_step:int64",
   kernel=_apply_kernel(_DA, 3, 3, _adagrad_da), shape=_apply_shape(3, 3), stateful=True, grad=NOT_DIFFERENTIABLE,
   T=NUMBERS)


# ----- the sparse updates (SparseApply*): the same formulas over the rows `indices` names, in place -----------
def _sparse_kernel(names, n_refs, update):
    """Like `_apply_kernel`, over rows: the variable's and slots' rows `indices` are updated in place (rows
    repeated in `indices` are updated once per occurrence, in order, as TF's kernels loop)."""
    grad_at = names.index("grad")

    def kernel(a, res, *args):
        refs = args[:n_refs]
        with locked(a, refs):
            arrays = [writable(r) for r in refs]
            var, grad, indices = arrays[0], args[grad_at], args[grad_at + 1]
            _check_sparse(names, arrays, grad, indices)
            idx = np.asarray(indices).astype(np.int64, copy=False)
            i = first_bad(idx, var.shape[0])
            if i is not None:
                raise InvalidArgumentError(None, None, f"Index {int(idx[i])} at offset {i} in indices is out of range")
            scalars = [np.asarray(v, var.dtype) for v in args[n_refs:grad_at] + args[grad_at + 2:]]
            grad = np.asarray(grad, var.dtype)
            for step in in_order(idx):
                rows = idx[step]
                news = update(a, *(x[rows] for x in arrays), *scalars[:grad_at - n_refs], grad[step],
                              *scalars[grad_at - n_refs:])
                for x, new in zip(arrays, news):
                    x[rows] = new
        return refs[0]
    return kernel


def _check_sparse(names, arrays, grad, indices):
    var = arrays[0]
    for name, x in zip(names[1:], arrays[1:]):
        if x.shape != var.shape:
            raise InvalidArgumentError(None, None, f"var and {name} do not have the same shape"
                                       f"{list(var.shape)} {list(x.shape)}")
    if np.ndim(indices) != 1:
        raise InvalidArgumentError(None, None, "indices must be one-dimensional")
    if np.ndim(grad) < 1 or np.shape(grad)[1:] != var.shape[1:]:
        raise InvalidArgumentError(None, None, f"var and grad must match in dimension 1 and beyond: "
                                   f"{list(var.shape)} {list(np.shape(grad))}")
    if np.shape(grad)[0] != np.shape(indices)[0]:
        raise InvalidArgumentError(None, None, "grad must be the same size as indices in the first dimension.")


def _sparse_shape(n_refs, grad_at):
    def shape(inputs, a):
        out = dims(inputs[0])
        for t in inputs[1:n_refs]:
            out = merge_dims(out, dims(t))
        grad, indices = dims(inputs[grad_at]), with_rank(inputs[grad_at + 1], 1)
        if grad is not None:
            if len(grad) < 1:
                raise ValueError("Shape must be at least rank 1 but is rank 0")
            merge_dims(grad[:1], indices)
            if out is not None:
                merge_dims(grad[1:], out[1:])
        for i, t in enumerate(inputs[n_refs:], n_refs):
            if i not in (grad_at, grad_at + 1) and t.shape.ndims not in (None, 0):
                raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims}")
        return inputs[0].dtype, _raw(out)
    return shape


def _define_sparse(op_type, inputs, update):
    names = [n.lstrip("&") for n in inputs]
    n_refs = sum(n.startswith("&") for n in inputs)
    grad_at = names.index("grad")
    spec = ", ".join(f"{n}:&T" if i < n_refs else f"{n}:Tindices" if n == "indices" else f"{n}:T"
                     for i, n in enumerate(names))
    op(op_type, spec, kernel=_sparse_kernel(names, n_refs, update), shape=_sparse_shape(n_refs, grad_at),
       stateful=True, grad=NOT_DIFFERENTIABLE, T=NUMBERS, Tindices="int32 int64")


_define_sparse("SparseApplyMomentum", ["&var", "&accum", "lr", "grad", "indices", "momentum"], _momentum)
_define_sparse("SparseApplyAdagrad", ["&var", "&accum", "lr", "grad", "indices"], _adagrad)
_define_sparse("SparseApplyRMSProp", ["&var", "&ms", "&mom", "lr", "rho", "momentum", "epsilon", "grad", "indices"],
               _rmsprop)
_define_sparse("SparseApplyCenteredRMSProp", ["&var", "&mg", "&ms", "&mom", "lr", "rho", "momentum", "epsilon",
                                              "grad", "indices"], _centered_rmsprop)
_define_sparse("SparseApplyAdadelta", ["&var", "&accum", "&accum_update", "lr", "rho", "epsilon", "grad", "indices"],
               _adadelta)
_define_sparse("SparseApplyFtrl", ["&var", "&accum", "&linear", "grad", "indices", "lr", "l1", "l2", "lr_power"], _ftrl)
_define_sparse("SparseApplyFtrlV2", ["&var", "&accum", "&linear", "grad", "indices", "lr", "l1", "l2", "l2_shrinkage",
                                     "lr_power"], _ftrl_v2)
_define_sparse("SparseApplyProximalGradientDescent", ["&var", "alpha", "l1", "l2", "grad", "indices"],
               _proximal_gradient_descent)
_define_sparse("SparseApplyProximalAdagrad", ["&var", "&accum", "lr", "l1", "l2", "grad", "indices"], _proximal_adagrad)


def sparse_apply(op_type, inputs, name=None, **attrs):
    """A SparseApply* op over `inputs` in TF's order (gen_training_ops' sparse_apply_* functions)."""
    return apply_op(op_type, list(inputs), dict(attrs), name=name)


# ----- Python wrappers (TF's gen_training_ops names) --------------------------------------------------------
def apply_gradient_descent(var, alpha, delta, use_locking=False, name=None):
    return apply_op("ApplyGradientDescent", [var, alpha, delta], {"use_locking": use_locking}, name=name)


def apply_momentum(var, accum, lr, grad, momentum, use_locking=False, use_nesterov=False, name=None):
    return apply_op("ApplyMomentum", [var, accum, lr, grad, momentum],
                    {"use_locking": use_locking, "use_nesterov": use_nesterov}, name=name)


def apply_adagrad(var, accum, lr, grad, use_locking=False, update_slots=True, name=None):
    return apply_op("ApplyAdagrad", [var, accum, lr, grad], {"use_locking": use_locking,
                                                             "update_slots": update_slots}, name=name)


def apply_adam(var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad, use_locking=False,
               use_nesterov=False, name=None):
    return apply_op("ApplyAdam", [var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad],
                    {"use_locking": use_locking, "use_nesterov": use_nesterov}, name=name)


def apply_rms_prop(var, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False, name=None):
    return apply_op("ApplyRMSProp", [var, ms, mom, lr, rho, momentum, epsilon, grad],
                    {"use_locking": use_locking}, name=name)


def apply_centered_rms_prop(var, mg, ms, mom, lr, rho, momentum, epsilon, grad, use_locking=False, name=None):
    return apply_op("ApplyCenteredRMSProp", [var, mg, ms, mom, lr, rho, momentum, epsilon, grad],
                    {"use_locking": use_locking}, name=name)


def apply(op_type, inputs, name=None, **attrs):
    """An Apply* op over `inputs` in TF's order (gen_training_ops' apply_* functions)."""
    return apply_op(op_type, list(inputs), dict(attrs), name=name)


def apply_adadelta(var, accum, accum_update, lr, rho, epsilon, grad, use_locking=False, name=None):
    return apply_op("ApplyAdadelta", [var, accum, accum_update, lr, rho, epsilon, grad],
                    {"use_locking": use_locking}, name=name)


# ----- checkpoints ------------------------------------------------------------------------------------------------
def _text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def _save_kernel(a, res, prefix, tensor_names, shape_and_slices, *tensors):
    names = [_text(n) for n in np.ravel(tensor_names)]
    if len(names) != len(tensors):
        raise InvalidArgumentError(None, None, f"Got {len(names)} tensor names but {len(tensors)} tensors")
    if any(_text(s) for s in np.ravel(shape_and_slices)):
        raise UnimplementedError(None, None, "SaveV2 of tensor slices (partitioned variables) is not supported")
    checkpoint_io.write(_text(np.asarray(prefix).item()), names, list(tensors), list(a["dtypes"]))


def _restore_kernel(a, res, prefix, tensor_names, shape_and_slices):
    names = [_text(n) for n in np.ravel(tensor_names)]
    values = checkpoint_io.read(_text(np.asarray(prefix).item()), names, list(a["dtypes"]), a.get("_shapes"))
    values = [_slice(v, _text(spec)) for v, spec in zip(values, np.ravel(shape_and_slices))]
    return values[0] if len(values) == 1 else values  # the executor takes a single output as is


def _slice(value, spec):
    """The part of `value` a shape-and-slice spec like "10 4 0,5:-" names (full shape, then start,length or -
    per dimension; "" is the whole tensor)."""
    if not spec:
        return value
    *full, extents = spec.split(" ")
    if [int(d) for d in full] != list(np.shape(value)) or len(extents.split(":")) != len(full):
        raise InvalidArgumentError(None, None, f"Shape in shape_and_slice spec {spec!r} does not match the shape "
                                   f"stored in checkpoint: {list(np.shape(value))}")
    region = []
    for extent in extents.split(":"):
        start, length = (0, None) if extent == "-" else (int(x) for x in extent.split(","))
        region.append(slice(start, None if length is None else start + length))
    return np.ascontiguousarray(value[tuple(region)])


def _restore_shape(inputs, a):
    return [(d, TensorShape(None)) for d in a["dtypes"]]


op("SaveV2", "prefix:string, tensor_names:string, shape_and_slices:string, tensors:+dtypes", kernel=_save_kernel,
   stateful=True, grad=NOT_DIFFERENTIABLE, shape=lambda i, a: [])
op("RestoreV2", "prefix:string, tensor_names:string, shape_and_slices:string", kernel=_restore_kernel,
   stateful=True, grad=NOT_DIFFERENTIABLE, shape=_restore_shape)


def save_v2(prefix, tensor_names, shape_and_slices, tensors, name=None):
    """Writes `tensors` under `tensor_names` as the checkpoint `prefix` (see raygraph/checkpoint_io.py)."""
    return apply_op("SaveV2", [prefix, tensor_names, shape_and_slices, list(tensors)], {}, name=name)


def restore_v2(prefix, tensor_names, shape_and_slices, dtypes_, shapes=None, name=None):
    """Reads the named tensors of the checkpoint `prefix`; with `shapes`, checks them all before any is used."""
    attrs = {"dtypes": [dtypes.as_dtype(d) for d in dtypes_]}
    if shapes is not None:
        attrs["_shapes"] = [TensorShape(s) for s in shapes]
    out = apply_op("RestoreV2", [prefix, tensor_names, shape_and_slices], attrs, name=name,
                   num_outputs=len(dtypes_))
    return out if isinstance(out, list) else [out]


# TensorFlow's sharded savers (SavedModels' among them) name their temporary prefix and merge the shards' bundles
# with these; a graph TF wrote holds them, so they import and run here too.
def _sharded_filename(a, basename, shard, num_shards):
    return np.array(f"{_text(np.asarray(basename).item())}-{int(shard):05d}-of-{int(num_shards):05d}".encode(), object)


def _merge_kernel(a, res, checkpoint_prefixes, destination_prefix):
    tensor_bundle.merge([_text(p) for p in np.ravel(checkpoint_prefixes)], _text(np.asarray(destination_prefix).item()),
                        a.get("delete_old_dirs", True))


op("ShardedFilename", "basename:string, shard:int32, num_shards:int32", kernel=_sharded_filename,
   grad=NOT_DIFFERENTIABLE, shape=lambda i, a: (dtypes.string, TensorShape([])))
op("MergeV2Checkpoints", "checkpoint_prefixes:string, destination_prefix:string", kernel=_merge_kernel,
   stateful=True, grad=NOT_DIFFERENTIABLE, shape=lambda i, a: [])
