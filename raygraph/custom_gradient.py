"""`custom_gradient` and `grad_pass_through`, built as TF1's graph mode builds them.

`f(*args)` returns `(result, grad_fn)`. The results and the arguments (and the variables the results
depend on) pass through one IdentityN op whose gradient is overridden to call `grad_fn` on the results'
gradients, so tf.gradients sees `grad_fn` in place of the gradient of everything `f` built.
"""
import functools
import inspect
import itertools

from .default_graph import graph_of
from .convert import convert_to_tensor
from .gradients import RegisterGradient, gradient_function
from .graph import GraphKeys, get_default_graph
from .tensor import Tensor
from .ops.array import identity, identity_n
from .variable_scope import get_variable_scope

_uids = itertools.count(1)
_VARIABLE_OPS = ("VariableV2", "VarHandleOp")


def custom_gradient(f=None):
    """Decorator: `f(*args) -> (result, grad_fn)`; gradients through the result are `grad_fn(*result_grads)`."""
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        if kwargs:
            raise ValueError("The custom_gradient decorator currently supports keywords arguments only when "
                             "eager execution is enabled.")
        return _graph_mode(f, args)
    return decorated


def _flat(x):
    if isinstance(x, (list, tuple)):
        return [leaf for item in x for leaf in _flat(item)]
    if isinstance(x, dict):
        return [leaf for k in sorted(x) for leaf in _flat(x[k])]
    return [x]


def _pack(structure, flat):
    """`flat`'s values in the nesting of `structure` (lists, tuples, dicts)."""
    it = iter(flat)

    def fill(x):
        if isinstance(x, (list, tuple)):
            return type(x)(fill(item) for item in x)
        if isinstance(x, dict):
            return {k: fill(x[k]) for k in sorted(x)}
        return next(it)
    return fill(structure)


def _graph_mode(f, args):
    args = _pack(args, [convert_to_tensor(a) for a in _flat(args)])
    scope = get_variable_scope()
    before = set(scope.global_variables() + scope.local_variables())
    result, grad_fn = f(*args)
    flat_args, flat_result = _flat(args), _flat(result)
    if set(scope.global_variables() + scope.local_variables()) - before:
        raise TypeError("All variables used by a function wrapped with @custom_gradient must be "
                        "`ResourceVariable`s. Ensure that no `variable_scope` is created with `use_resource=False`.")
    graphs = {t.graph for t in flat_result if isinstance(t, Tensor)}
    if len(graphs) > 1:
        raise ValueError("All custom_gradient outputs should be from the same graph")
    inputs = [t for t in flat_args if not graphs or t.graph in graphs]
    variables = sorted(_dependent_variables(inputs, flat_result), key=lambda v: v.name)
    spec = inspect.getfullargspec(grad_fn)
    takes_variables = "variables" in spec.args or "variables" in spec.kwonlyargs or spec.varkw
    if variables and not takes_variables:
        raise TypeError(f"@tf.custom_gradient grad_fn must accept keyword argument 'variables', since function "
                        f"uses variables: {variables}")
    n_results = len(flat_result)

    def grad(op, *grads):
        result_grads = list(grads[:n_results])
        if variables:
            input_grads, variable_grads = grad_fn(*result_grads, variables=variables)
            if len(variable_grads) != len(variables):
                raise ValueError("Must return gradient for each variable from @custom_gradient grad_fn.")
        else:
            input_grads, variable_grads = grad_fn(*result_grads), []
        return [None] * n_results + _flat(input_grads) + list(variable_grads)

    name = f"CustomGradient-{next(_uids)}"
    RegisterGradient(name)(grad)
    with (graph_of(flat_result) if graphs else get_default_graph()).gradient_override_map({"IdentityN": name}):
        passed = identity_n(flat_result + flat_args + variables)
    return _pack(result, passed[:n_results])


def _dependent_variables(inputs, outputs):
    """The trainable global variables whose ops lie between `inputs` and `outputs` (TF's backward walk)."""
    seeds = [identity(t).op for t in outputs]  # TF's walk starts from Identities of the outputs
    stop = set(inputs)
    seen, wave = list(seeds), list(seeds)
    while wave:
        new = []
        for op in wave:
            if not _differentiable(op):
                continue
            for t in op.inputs:
                if t not in stop and t.op not in seen and t.op not in new:
                    new.append(t.op)
        seen += new
        wave = new
    names = [op.name for op in seen[len(seeds):] if op.type in _VARIABLE_OPS]
    return [v for v in (_variable_named(n) for n in names) if v is not None]


def _differentiable(op):
    try:
        return gradient_function(op) is not None or not op.inputs
    except LookupError:
        return False


def _variable_named(name):
    found = [v for v in get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES)
             if getattr(getattr(v, "op", None), "name", None) == name]
    if not found:
        raise ValueError(f"Unsuccessful at finding variable {name}.")
    found = [v for v in found if v.trainable]
    if len(found) > 1:
        raise ValueError(f"Unsuccessful at finding trainable variable {name}. Number of candidates: {len(found)}. "
                         f"Candidates: {found}")
    return found[0] if found else None


def grad_pass_through(f):
    """`f` whose gradient is the identity: gradients pass through it as if it were not there."""
    @custom_gradient
    def pass_through(*args):
        def grad(*grads, **kwargs):
            variables = kwargs.get("variables")
            if variables is not None:
                return grads, [None] * len(variables)
            return grads
        return f(*args), grad
    return functools.wraps(f)(pass_through)
