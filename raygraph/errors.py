"""TF1's error hierarchy: `OpError` carrying the failing op, and one subclass per canonical error code."""

OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """A failure while running an op: `op` is the Operation (or None), `message` says what went wrong."""

    def __init__(self, node_def, op, message, error_code=UNKNOWN, *args):
        super().__init__(message, *args)
        self._node_def = node_def
        self._op = op
        self._message = message
        self._error_code = error_code
        self._experimental_payloads = {}

    def __reduce__(self):
        return _rebuild, (type(self), self._message, self._error_code)

    @property
    def message(self):
        return self._message

    @property
    def op(self):
        return self._op

    @property
    def error_code(self):
        return self._error_code

    @property
    def node_def(self):
        return self._node_def

    @property
    def experimental_payloads(self):
        return self._experimental_payloads

    def __str__(self):
        if self._op is not None and getattr(self._op, "_traceback", None):
            frames = "".join(f'  File "{f}", line {n}, in {fn}\n' for f, n, fn in self._op._traceback)
            return f"{self._message}\n\nOriginal stack trace for {self._op.name!r}:\n{frames}"
        return self._message


def _rebuild(cls, message, code):
    if cls is OpError:
        return OpError(None, None, message, code)
    return cls(None, None, message)


def _subclass(name, code, doc):
    def __init__(self, node_def, op, message, *args):
        OpError.__init__(self, node_def, op, message, code, *args)
    return type(name, (OpError,), {"__init__": __init__, "__doc__": doc, "__module__": __name__})


CancelledError = _subclass("CancelledError", CANCELLED, "An operation or step was cancelled.")
UnknownError = _subclass("UnknownError", UNKNOWN, "An unknown error.")
InvalidArgumentError = _subclass("InvalidArgumentError", INVALID_ARGUMENT, "An op received an invalid argument.")
DeadlineExceededError = _subclass("DeadlineExceededError", DEADLINE_EXCEEDED, "A deadline expired.")
NotFoundError = _subclass("NotFoundError", NOT_FOUND, "A requested entity (file, variable...) was not found.")
AlreadyExistsError = _subclass("AlreadyExistsError", ALREADY_EXISTS, "An entity to create already exists.")
PermissionDeniedError = _subclass("PermissionDeniedError", PERMISSION_DENIED, "The caller may not do this.")
UnauthenticatedError = _subclass("UnauthenticatedError", UNAUTHENTICATED, "No valid credentials.")
ResourceExhaustedError = _subclass("ResourceExhaustedError", RESOURCE_EXHAUSTED, "Some resource ran out.")
FailedPreconditionError = _subclass("FailedPreconditionError", FAILED_PRECONDITION,
                                    "The system is not in a state to run the op (e.g. an uninitialized variable).")
AbortedError = _subclass("AbortedError", ABORTED, "The operation was aborted (often a concurrency conflict).")
OutOfRangeError = _subclass("OutOfRangeError", OUT_OF_RANGE, "An iteration went past the valid range.")
UnimplementedError = _subclass("UnimplementedError", UNIMPLEMENTED, "The operation is not implemented.")
InternalError = _subclass("InternalError", INTERNAL, "The runtime hit an internal inconsistency.")
UnavailableError = _subclass("UnavailableError", UNAVAILABLE, "The runtime (a device or task) is unavailable.")
DataLossError = _subclass("DataLossError", DATA_LOSS, "Unrecoverable data loss or corruption.")

_BY_CODE = {code: c for code, c in (
    (CANCELLED, CancelledError), (UNKNOWN, UnknownError), (INVALID_ARGUMENT, InvalidArgumentError),
    (DEADLINE_EXCEEDED, DeadlineExceededError), (NOT_FOUND, NotFoundError), (ALREADY_EXISTS, AlreadyExistsError),
    (PERMISSION_DENIED, PermissionDeniedError), (UNAUTHENTICATED, UnauthenticatedError),
    (RESOURCE_EXHAUSTED, ResourceExhaustedError), (FAILED_PRECONDITION, FailedPreconditionError),
    (ABORTED, AbortedError), (OUT_OF_RANGE, OutOfRangeError), (UNIMPLEMENTED, UnimplementedError),
    (INTERNAL, InternalError), (UNAVAILABLE, UnavailableError), (DATA_LOSS, DataLossError))}


def exception_type_from_error_code(error_code):
    return _BY_CODE[error_code]


def error_code_from_exception_type(cls):
    for code, c in _BY_CODE.items():
        if c is cls:
            return code
    return UNKNOWN


class InaccessibleTensorError(ValueError):
    """A tensor that cannot be fetched or used here (e.g. made inside a cond branch)."""


class OperatorNotAllowedInGraphError(TypeError):
    """Raised for Python operations on symbolic tensors that graph mode cannot support (bool(t), iter(t))."""


class raise_exception_on_not_ok_status:  # noqa: N801 - TF's name
    """Kept for TF1 API compatibility: a no-op context manager."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def not_implemented(namespace, name, why):
    """A stand-in for a TF name raygraph does not implement: calling (or instantiating) it raises
    NotImplementedError naming it and why."""
    def unsupported(*args, **kwargs):
        raise NotImplementedError(f"{namespace}.{name} is not implemented in raygraph: {why}")
    unsupported.__name__ = unsupported.__qualname__ = name.rsplit(".", 1)[-1]
    return unsupported
