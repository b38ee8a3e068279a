"""A session's engine: its devices and the engine client that plans and runs steps on their actors.

Engine failures (plan errors, kernel errors, deadlines, lost devices) come out as TF1's error classes here.
"""
from scheduler.client import Client, DeviceUnavailable, StepFailed, StepTimeout
from scheduler.plan import PlanError

from . import errors
from .device_spec import parse_device


def _key(t):
    return (t._op._name, t._value_index)


class Engine:
    """A session's devices and engine client; errors come out as `raygraph.errors` classes."""

    def __init__(self, graph, devices, acquire, release, soft):
        self.devices = [(name, parse_device(name)) for name in devices]
        self.graph = graph
        self.client = Client(self.devices, acquire, release, soft)

    def _lookup(self, name):
        return self.graph._ops_by_name.get(name) if name else None

    def plan(self, table, tensors, targets, feeds):
        try:
            return self.client.plan(table.refresh(), [_key(t) for t in tensors], [o._name for o in targets],
                                    [_key(t) for t in feeds])
        except PlanError as e:
            raise _op_error(e.code, e.message, self._lookup(e.node)) from None

    def run_step(self, plan, feeds, trace, timeout):
        return self._engine_errors(self.client.run_step, plan, {_key(t): v for t, v in feeds.items()}, trace,
                                   timeout, deadline=timeout)

    def run_repeatedly(self, plan):
        """Runs a one-device plan's step in its device until a step fails (raised here); False for a plan of
        several devices (the caller loops itself)."""
        if len(plan.partitions) != 1:
            return False
        self._engine_errors(self.client.run_repeatedly, plan, {})
        return True

    def _engine_errors(self, call, *args, deadline=None):
        """call(*args), its engine failures raised as TF1's error classes."""
        try:
            return call(*args)
        except StepFailed as e:
            raise self._kernel_error(e) from None
        except StepTimeout:
            raise errors.DeadlineExceededError(None, None, "Timed out waiting for the step to finish "
                                               f"(deadline {deadline} s)") from None
        except DeviceUnavailable as e:
            raise errors.UnavailableError(None, None, f"Device {e.device} is unavailable: {e.detail}") from None

    def _kernel_error(self, e):
        op = self._lookup(e.node)
        err = e.error
        if err is None:
            return errors.AbortedError(None, op, "The step was aborted")
        if isinstance(err, errors.OpError):
            message = err.message
            cls = type(err)
        else:
            cls = _ERROR_CLASSES.get(type(err).__name__, errors.InvalidArgumentError)
            message = f"{type(err).__name__}: {err}" if cls is not errors.InvalidArgumentError else str(err)
        if op is not None:
            message = message.replace("{name}", op.name) + f"\n\t [[{{{{node {op.name}}}}}]]"
        new = cls(None, op, message) if cls is not errors.OpError else errors.OpError(None, op, message)
        new.__cause__ = err
        return new

    def close(self):
        self.client.close()


_ERROR_CLASSES = {"MemoryError": errors.ResourceExhaustedError, "NotImplementedError": errors.UnimplementedError,
                  "FileNotFoundError": errors.NotFoundError, "TimeoutError": errors.DeadlineExceededError,
                  "RecursionError": errors.InternalError, "AssertionError": errors.InternalError,
                  "ConnectionError": errors.UnavailableError}  # a link between devices broke under the step


def _op_error(code, message, op):
    cls = {"INVALID_ARGUMENT": errors.InvalidArgumentError, "NOT_FOUND": errors.NotFoundError,
           "UNAVAILABLE": errors.UnavailableError, "UNIMPLEMENTED": errors.UnimplementedError,
           "FAILED_PRECONDITION": errors.FailedPreconditionError}.get(code, errors.InternalError)
    return cls(None, op, message)
