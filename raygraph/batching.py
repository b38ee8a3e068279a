"""`nondifferentiable_batch_function`: TF's decorator for batching concurrent calls of a serving function.

TF builds a BatchFunction op that gathers the inputs of concurrent `Session.run` calls into one batch and runs
the function once on it. raygraph builds the function's ops under `batch/` and passes their results through
a BatchFunction op (TF's outputs: names, unknown shapes, no gradient, a batch dimension required): each run
computes its own inputs (the values a batch of one gives), without merging concurrent requests.
"""
import functools

import numpy as np

from .default_graph import name_scope
from .errors import FailedPreconditionError
from .shape import unknown_shape
from .tensor import Tensor
from .ops.registry import NO_GRADIENT_DEFINED, apply_op, op
from .ops.while_loop import _flatten as flatten, _pack as pack_sequence_as


def _batch_kernel(a, *outputs):
    if any(np.ndim(x) == 0 for x in outputs):
        raise FailedPreconditionError(None, None, "Batched output tensor has 0 dimensions")
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


op("BatchFunction", "out_tensors:+Tout", kernel=_batch_kernel, grad=NO_GRADIENT_DEFINED,
   shape=lambda inputs, a: [(t.dtype.base_dtype, unknown_shape()) for t in inputs])


def nondifferentiable_batch_function(num_batch_threads, max_batch_size, batch_timeout_micros,
                                     allowed_batch_sizes=None, max_enqueued_batches=10, autograph=True,
                                     enable_large_batch_splitting=True):
    """A decorator: `fn(*tensors)` built as the body of a (batching) op; its outputs carry no gradient."""
    def decorator(fn):
        @functools.wraps(fn)
        def decorated(*args):
            for a in args:
                a.dtype  # noqa: B018 - TF reads each argument's dtype first (AttributeError for a Python value)
            with name_scope("batch"):
                for a in args:
                    if not isinstance(a, Tensor):
                        raise ValueError(f"All arguments to functions decorated with `batch_function`  are supposed "
                                         f"to be Tensors; found {a!r}.")
                result = fn(*args)
                flat = flatten(result)
                out = apply_op("BatchFunction", [flat], {}, name="BatchFunction")
                out = [out] if isinstance(out, Tensor) else list(out)
                return pack_sequence_as(result, out)
        return decorated
    return decorator
