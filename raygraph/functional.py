"""TF1's higher-order functions over graphs: `map_fn`, `scan`, `foldl`, `foldr` (a `while_loop` over the first
dimension of their inputs, read from and written to TensorArrays) and `case` (nested `cond`s)."""
from . import dtypes
from .convert import constant, convert_to_tensor
from .default_graph import name_scope
from .graph import get_default_graph
from .logging import warning
from .ops.array import shape as shape_of
from .ops.control import Assert
from .ops.control_flow import cond
from .ops.joining import stack
from .ops.math import cast, less_equal
from .ops.reduction import reduce_sum
from .ops.tensor_array import TensorArray
from .ops.while_loop import _flatten as flatten, _pack as pack_sequence_as, while_loop
from .shape import TensorShape, dimension_value
from .tensor import Tensor


def _length(elems_flat):
    """The number of elements: a Python int when every input knows it, else shape(first)[0]."""
    n = None
    for e in elems_flat:
        if e.shape.ndims == 0:
            raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
        if e.shape.ndims is not None:
            n = n if n is not None else dimension_value(e.shape.dims[0])
    return n if n is not None else shape_of(elems_flat[0])[0]


def _static_first(elems_flat):
    first = TensorShape([None])
    for e in elems_flat:
        if e.shape.ndims:
            first = first.merge_with(e.shape[:1])
    return first


def _unstacked(elems_flat, n, element_shapes=False):
    return [TensorArray(e.dtype, size=n, dynamic_size=False, infer_shape=True,
                        element_shape=e.shape[1:] if element_shapes and e.shape.ndims else None).unstack(e)
            for e in elems_flat]


def _stacked(tas, first):
    out = []
    for ta in tas:
        r = ta.stack()
        r.set_shape(first.concatenate(r.shape[1:]) if r.shape.ndims else r.shape)
        out.append(r)
    return out


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False, infer_shape=True,
           name=None, fn_output_signature=None):
    """`fn` applied to each element of `elems` (unstacked on dimension 0); the results stacked."""
    if not callable(fn):
        raise TypeError(f"fn must be callable. Received: {fn}")
    dtype = fn_output_signature if fn_output_signature is not None else dtype
    elems_flat = flatten(elems)
    with name_scope(name, "map", elems_flat):
        elems_flat = [convert_to_tensor(e, name="elem") for e in elems_flat]
        out_dtypes = flatten(dtype) if dtype is not None else [e.dtype for e in elems_flat]
        n = _length(elems_flat)
        elems_ta = _unstacked(elems_flat, n)
        i = constant(0)   # (TF's order of creation, which later ops' seeds count on)
        accs = [TensorArray(dtypes.as_dtype(dt), size=n, dynamic_size=False, infer_shape=infer_shape)
                for dt in out_dtypes]

        def compute(i, tas):
            values = fn(pack_sequence_as(elems, [ta.read(i) for ta in elems_ta]))
            flat = flatten(values)
            if len(flat) != len(tas):
                raise ValueError(f"The two structures don't have the same nested structure: {dtype or elems} and "
                                 f"{values}")
            tas = [ta.write(i, v) for ta, v in zip(tas, flat)]
            return i + 1, tas
        _, results = while_loop(lambda i, _: i < n, compute, (i, accs),
                                parallel_iterations=parallel_iterations or 10, back_prop=back_prop,
                                swap_memory=swap_memory, maximum_iterations=n)
        out = _stacked(results, _static_first(elems_flat))
        return pack_sequence_as(dtype if dtype is not None else elems, out)


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, infer_shape=True,
         reverse=False, name=None):
    """The successive values of `a = fn(a, x)` over the elements x of `elems`, stacked."""
    if not callable(fn):
        raise TypeError(f"fn must be callable. Received: {fn}")
    elems_flat = flatten(elems)
    with name_scope(name, "scan", elems_flat):
        elems_flat = [convert_to_tensor(e, name="elem") for e in elems_flat]
        n = _length(elems_flat)
        elems_ta = _unstacked(elems_flat, n, element_shapes=True)
        if initializer is None:
            a_flat = [ta.read(n - 1 if reverse else 0) for ta in elems_ta]
            start = 1
        else:
            a_flat = [convert_to_tensor(a) for a in flatten(initializer)]
            start = 0
        accs = [TensorArray(a.dtype, size=n, element_shape=a.shape if infer_shape else None, dynamic_size=False,
                            infer_shape=infer_shape) for a in a_flat]
        if initializer is None:
            accs = [ta.write(n - 1 if reverse else 0, a) for ta, a in zip(accs, a_flat)]
        like = elems if initializer is None else initializer

        def compute(i, a_flat, tas):
            a_out = fn(pack_sequence_as(like, a_flat), pack_sequence_as(elems, [ta.read(i) for ta in elems_ta]))
            flat = flatten(a_out)
            if len(flat) != len(a_flat):
                raise ValueError(f"The two structures don't have the same nested structure: {like} and {a_out}")
            tas = [ta.write(i, v) for ta, v in zip(tas, flat)]
            return (i - 1 if reverse else i + 1), flat, tas
        if reverse:
            first, condition = n - 1 - start, (lambda i, _1, _2: i >= 0)
        else:
            first, condition = start, (lambda i, _1, _2: i < n)
        _, _, results = while_loop(condition, compute, (first, a_flat, accs), parallel_iterations=parallel_iterations,
                                   back_prop=back_prop, swap_memory=swap_memory, maximum_iterations=n)
        return pack_sequence_as(like, _stacked(results, _static_first(elems_flat)))


def _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name, default, right):
    if not callable(fn):
        raise TypeError(f"{fn} is not callable. Please provide a callable function.")
    elems_flat = flatten(elems)
    with name_scope(name, default, elems_flat):
        elems_flat = [convert_to_tensor(e, name="elem") for e in elems_flat]
        n = _length(elems_flat)
        elems_ta = _unstacked(elems_flat, n)
        if initializer is None:
            a = pack_sequence_as(elems, [ta.read(n - 1 if right else 0) for ta in elems_ta])
            i = constant(n - 2 if right else 1) if isinstance(n, int) else (n - 2 if right else constant(1))
        else:
            a = initializer
            i = (n - 1 if isinstance(n, Tensor) else constant(n - 1)) if right else constant(0)

        def compute(i, a):
            a = fn(a, pack_sequence_as(elems, [ta.read(i) for ta in elems_ta]))
            return [i - 1 if right else i + 1, a]
        condition = (lambda i, a: i >= 0) if right else (lambda i, a: i < n)
        _, result = while_loop(condition, compute, [i, a], parallel_iterations=parallel_iterations,
                               back_prop=back_prop, swap_memory=swap_memory, maximum_iterations=n)
        return result


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """`fn(...fn(fn(initializer, x0), x1)..., xn)` over the elements of `elems`, first to last."""
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name, "foldl", False)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """Like foldl, from the last element to the first."""
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name, "foldr", True)


# ----- case --------------------------------------------------------------------------------------------------
def _at_most_true(predicates, n, msg):
    preds_c = stack(predicates, name="preds_c")
    num_true = reduce_sum(cast(preds_c, dtypes.int32), name="num_true_conds")
    condition = less_equal(num_true, constant(n, name="n_true_conds"))
    names = ", ".join(getattr(p, "name", "?") for p in predicates)
    return Assert(condition, [f"{msg}: more than {n} conditions ({names}) evaluated as True:", preds_c],
                  summarize=len(predicates))


def _pairs(pred_fn_pairs, exclusive, name):
    if not isinstance(pred_fn_pairs, (list, tuple, dict)):
        raise TypeError(f"'pred_fn_pairs' must be a list, tuple, or dict. Received: {type(pred_fn_pairs)}")
    if isinstance(pred_fn_pairs, dict):
        if type(pred_fn_pairs) is dict:
            pred_fn_pairs = sorted(pred_fn_pairs.items(), key=lambda item: item[0].name)
            if not exclusive:
                warning("%s: An unordered dictionary of predicate/fn pairs was provided, but exclusive=False. The "
                        "order of conditional tests is deterministic but not guaranteed.", name)
        else:
            pred_fn_pairs = list(pred_fn_pairs.items())
    for pair in pred_fn_pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'pred_fn_pairs' must be a 2-tuple. Received {pair}.")
        pred, fn = pair
        if isinstance(pred, Tensor):
            if pred.dtype.base_dtype != dtypes.bool_:
                raise TypeError(f"pred must be Tensor of type bool: {pred.name}")
        else:
            raise TypeError(f"pred must be a Tensor, got: {pred}")
        if not callable(fn):
            raise TypeError(f"fn for pred {pred.name} must be callable.")
    return [p for p, _ in pred_fn_pairs], [f for _, f in pred_fn_pairs]


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The result of the fn of the first true predicate (or of `default`), as nested `cond`s."""
    predicates, actions = _pairs(pred_fn_pairs, exclusive, name)
    if default is not None and not callable(default):
        raise TypeError("'default' must be callable.")
    with name_scope(name, "case", [predicates]):
        if default is None:
            if not predicates:
                raise ValueError("No predicates and no default: nothing to return")
            k = len(predicates) - 1
            last, last_action = predicates[k], actions[k]
            others = predicates[:k]
            all_preds = predicates

            def default(last=last, last_action=last_action, others=others):
                msg = (f"Implementation error: selected default action #{k} was called, but some of other "
                       f"predicates are True: ")
                checks = [_at_most_true(others, 0, msg), Assert(last, ["Input error: None of conditions evaluated "
                                                                       "as True:", stack(all_preds, name="preds_c")])]
                with get_default_graph().control_dependencies(checks):
                    return last_action()
            predicates, actions = others, actions[:k]
        fn = default
        for pred, action in reversed(list(zip(predicates, actions))):
            fn = (lambda p=pred, a=action, f=fn: cond(p, a, f, strict=strict))
        if exclusive:
            with get_default_graph().control_dependencies([_at_most_true(predicates, 1, "Input error: exclusive=True")]):
                return fn()
        return fn()


