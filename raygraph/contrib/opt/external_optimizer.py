"""`ExternalOptimizerInterface` and `ScipyOptimizerInterface` (TF 1.15's external_optimizer.py): an optimizer
running outside the graph, here scipy.optimize.minimize (L-BFGS-B by default), over the variables packed into
one vector; each evaluation feeds the variables, and the optimum is assigned to them at the end."""
import itertools

import numpy as np

from ... import logging
from ...gradients import gradients
from ...ops.array import placeholder, reshape
from ...ops.filling import zeros_like
from ...ops.joining import concat
from ...session import get_default_session
from ...variables import trainable_variables


class ExternalOptimizerInterface:
    """Base of optimizers that run outside the graph: subclasses define `_minimize` over packed numpy vectors."""

    def __init__(self, loss, var_list=None, equalities=None, inequalities=None, var_to_bounds=None,
                 **optimizer_kwargs):
        self._loss = loss
        self._equalities = equalities or []
        self._inequalities = inequalities or []
        self._vars = trainable_variables() if var_list is None else list(var_list)
        packed_bounds = None
        if var_to_bounds is not None:
            left, right = [], []
            for var in self._vars:
                shape = var.get_shape().as_list()
                bounds = var_to_bounds.get(var, (-np.inf, np.inf))
                left.extend(list(np.broadcast_to(bounds[0], shape).flat))
                right.extend(list(np.broadcast_to(bounds[1], shape).flat))
            packed_bounds = list(zip(left, right))
        self._packed_bounds = packed_bounds
        self._update_placeholders = [placeholder(var.dtype) for var in self._vars]
        self._var_updates = [var.assign(reshape(p, _shape_tuple(var)))
                             for var, p in zip(self._vars, self._update_placeholders)]
        loss_grads = _compute_gradients(loss, self._vars)
        equalities_grads = [_compute_gradients(e, self._vars) for e in self._equalities]
        inequalities_grads = [_compute_gradients(e, self._vars) for e in self._inequalities]
        self.optimizer_kwargs = optimizer_kwargs
        self._packed_var = self._pack(self._vars)
        self._packed_loss_grad = self._pack(loss_grads)
        self._packed_equality_grads = [self._pack(g) for g in equalities_grads]
        self._packed_inequality_grads = [self._pack(g) for g in inequalities_grads]
        ends = np.cumsum([0] + [int(np.prod(_shape_tuple(var))) for var in self._vars]).tolist()
        self._packing_slices = [slice(start, end) for start, end in itertools.pairwise(ends)]

    def minimize(self, session=None, feed_dict=None, fetches=None, step_callback=None, loss_callback=None,
                 **run_kwargs):
        """Runs the external optimizer through `session`, then assigns the variables their optimal values."""
        session = session or get_default_session()
        feed_dict = feed_dict or {}
        fetches = fetches or []
        loss_callback = loss_callback or (lambda *fetches: None)
        step_callback = step_callback or (lambda xk: None)
        loss_grad_func = self._make_eval_func([self._loss, self._packed_loss_grad], session, feed_dict, fetches,
                                              loss_callback)
        funcs = {name: [self._make_eval_func(t, session, feed_dict, fetches) for t in tensors] for name, tensors in (
            ("equality_funcs", self._equalities), ("equality_grad_funcs", self._packed_equality_grads),
            ("inequality_funcs", self._inequalities), ("inequality_grad_funcs", self._packed_inequality_grads))}
        packed_var_val = self._minimize(initial_val=session.run(self._packed_var), loss_grad_func=loss_grad_func,
                                        packed_bounds=self._packed_bounds, step_callback=step_callback,
                                        optimizer_kwargs=self.optimizer_kwargs, **funcs)
        var_vals = [packed_var_val[s] for s in self._packing_slices]
        session.run(self._var_updates, feed_dict=dict(zip(self._update_placeholders, var_vals)), **run_kwargs)

    def _minimize(self, initial_val, loss_grad_func, equality_funcs, equality_grad_funcs, inequality_funcs,
                  inequality_grad_funcs, packed_bounds, step_callback, optimizer_kwargs):
        raise NotImplementedError("To use ExternalOptimizerInterface, subclass from it and implement the "
                                  "_minimize() method.")

    @classmethod
    def _pack(cls, tensors):
        """The tensors flattened and concatenated into one rank-1 tensor."""
        if not tensors:
            return None
        if len(tensors) == 1:
            return reshape(tensors[0], [-1])
        return concat([reshape(t, [-1]) for t in tensors], 0)

    def _make_eval_func(self, tensors, session, feed_dict, fetches, callback=None):
        """A function of the packed vector x: `tensors` evaluated with the variables fed from x."""
        if not isinstance(tensors, list):
            tensors = [tensors]
        num_tensors = len(tensors)

        def eval_func(x):
            augmented_feed_dict = {var: x[s].reshape(_shape_tuple(var))
                                   for var, s in zip(self._vars, self._packing_slices)}
            augmented_feed_dict.update(feed_dict)
            values = session.run(tensors + fetches, feed_dict=augmented_feed_dict)
            if callable(callback):
                callback(*values[num_tensors:])
            return values[:num_tensors]
        return eval_func


class ScipyOptimizerInterface(ExternalOptimizerInterface):
    """`scipy.optimize.minimize` driving a Session; `method` defaults to L-BFGS-B (SLSQP takes constraints)."""

    _DEFAULT_METHOD = "L-BFGS-B"

    def _minimize(self, initial_val, loss_grad_func, equality_funcs, equality_grad_funcs, inequality_funcs,
                  inequality_grad_funcs, packed_bounds, step_callback, optimizer_kwargs):
        def loss_grad_func_wrapper(x):
            loss, gradient = loss_grad_func(x)  # L-BFGS-B's Fortran code needs float64 gradients
            return np.float64(loss), gradient.astype("float64")

        optimizer_kwargs = dict(optimizer_kwargs.items())
        method = optimizer_kwargs.pop("method", self._DEFAULT_METHOD)
        # x0 and the constraints in float64 too: today's SLSQP refuses float32 (TF 1.15's scipy took it)
        constraints = [{"type": kind, "fun": _float64(f), "jac": _float64(g)} for kind, funcs, grads in (
            ("eq", equality_funcs, equality_grad_funcs), ("ineq", inequality_funcs, inequality_grad_funcs))
            for f, g in zip(funcs, grads)]
        minimize_kwargs = {"jac": True, "callback": step_callback, "method": method, "constraints": constraints,
                           "bounds": packed_bounds}
        for kwarg in minimize_kwargs:
            if kwarg in optimizer_kwargs:
                if kwarg == "bounds":
                    raise ValueError("Bounds must be set using the var_to_bounds argument")
                raise ValueError(f"Optimizer keyword arg '{kwarg}' is set automatically and cannot be injected "
                                 "manually")
        minimize_kwargs.update(optimizer_kwargs)
        import scipy.optimize  # scipy is needed only here, as in TF
        result = scipy.optimize.minimize(loss_grad_func_wrapper, np.asarray(initial_val, np.float64),
                                         **minimize_kwargs)
        lines = ["Optimization terminated with:", "  Message: %s", "  Objective function value: %f"]
        args = [result.message, result.fun]
        for key, line in (("nit", "  Number of iterations: %d"), ("nfev", "  Number of functions evaluations: %d")):
            if hasattr(result, key):
                lines.append(line)
                args.append(getattr(result, key))
        logging.info("\n".join(lines), *args)
        return result["x"]


def _float64(func):
    return lambda x: np.asarray(func(x), np.float64)


def _shape_tuple(tensor):
    return tuple(tensor.get_shape().as_list())


def _compute_gradients(tensor, var_list):
    grads = gradients(tensor, var_list)
    return [grad if grad is not None else zeros_like(var) for var, grad in zip(var_list, grads)]
