"""What a device keeps between steps: its variables and each stateful op's private state; the two kinds of
value the engine treats specially, `DEAD` and a `VariableRef`; and where a kernel's printed output goes."""
import sys
import threading


class _Dead:
    """The value of a tensor on the untaken side of a conditional (Switch/Merge)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __reduce__(self):
        return _Dead, ()

    def __repr__(self):
        return "DEAD"


DEAD = _Dead()


class VariableRef:
    """What a ref-typed tensor carries: a handle on a variable in a device's store.

    The engine reads it (`read()`) where a consumer wants the value, and never lets it leave its device.
    """

    __slots__ = ()

    def read(self):
        raise NotImplementedError


class Binding:
    """What a stateful kernel sees: the device's variables, their locks, and a dict of state private to its op."""

    __slots__ = ("name", "variables", "locks", "state", "shared", "device")

    def __init__(self, name, variables, locks, state, shared=None, device=""):
        self.name = name
        self.variables = variables
        self.locks = locks
        self.state = state
        self.shared = shared  # the device's shared resources (Resources.shared)
        self.device = device  # the device's name (a session handle names where its tensor lives)


class SharedHandle:
    """What an op making a shared resource (a queue, reader, accumulator or table) yields: the resource's key in
    its device's `Resources.shared`, and that dict, so that a kernel run without the device's resources (in a
    dataset function) still reaches a resource it is handed. Only the key travels to another process, where it
    names the resource in the resources of the kernel that gets it."""

    __slots__ = ("key", "shared")

    def __init__(self, key, shared=None):
        self.key, self.shared = key, shared

    def __reduce__(self):
        return type(self), (self.key,)

    def __repr__(self):
        return f"{type(self).__name__}({self.key})"

    def resource(self, binding):
        """The resource, as the kernel holding `binding` sees it (None where it is gone)."""
        shared = binding.shared if binding.shared is not None else self.shared
        return None if shared is None else shared.get(self.key)


class Locks(dict):
    """A lock per variable key, made on first use (what `use_locking=True` updates hold, as in TF1)."""

    def __missing__(self, key):
        return self.setdefault(key, threading.Lock())  # setdefault: two threads asking at once get one lock


class Resources:
    """A device's variables (keyed by (container, name)), their locks and per-op state, persisting across steps."""

    def __init__(self):
        self.variables = {}
        self.locks = Locks()
        # (container, shared name[, kind]) -> a resource every step shares: a queue, reader, accumulator or table
        # (an object with cancel(), which ends the steps blocked on it when the device drops it)
        self.shared = {}
        self.device = ""  # the name of the device holding them
        self._bindings = {}

    def bind(self, node):
        b = self._bindings.get(node.name)
        if b is None:
            b = self._bindings[node.name] = Binding(node.name, self.variables, self.locks, {}, self.shared,
                                                    self.device)
        return b

    def clear(self, containers=None):
        """Drops all state, or only the variables of the given containers."""
        for key in [k for k in self.shared if containers is None or k[0] in containers]:
            self.shared.pop(key).cancel()  # steps blocked on it end (CancelledError)
        if containers is None:
            self.variables.clear()
            self._bindings.clear()
            return
        for key in [k for k in self.variables if k[0] in containers]:
            del self.variables[key]


# ----- the step a kernel runs in -----------------------------------------------------------------------
_running = threading.local()


def running_step(step):
    """Records the step whose stateful kernel this thread runs (None after it), for `step_cancelled`."""
    _running.step = step


def current_step():
    """The step whose stateful kernel this thread runs (None if none)."""
    return getattr(_running, "step", None)


def step_cancelled():
    """Whether the step of the kernel running in this thread has ended (failed elsewhere, aborted, past its
    deadline): a kernel that blocks (a queue's dequeue) polls this and gives up."""
    step = getattr(_running, "step", None)
    return step is not None and step.error is not None


# ----- printed output -----------------------------------------------------------------------------------
_output = threading.local()


def write_output(text, stream="stderr"):
    """What a kernel prints (tf.Print to stderr, a py_func's print() to stdout): into the output of the step
    running it in this thread, which travels back with the step's reply and is written to the client's stream
    before `run` returns (so it appears in program order, as TF1's in-process kernels print); straight to this
    process's stream when no step collects it."""
    sink = getattr(_output, "sink", None)
    if sink is None:
        target = getattr(sys, stream)
        target = target._stream if isinstance(target, _Routed) else target
        target.write(text)
        target.flush()
    else:
        sink.append((stream, text))


def collect_output(sink):
    """Makes `write_output` (and, in a device process, print()) in this thread append (stream, text) pairs to
    `sink` (a list), or write to the process's streams again (None)."""
    _output.sink = sink


def output_sink():
    """Where `write_output` in this thread appends (None: the process's streams)."""
    return getattr(_output, "sink", None)


class _Routed:
    """sys.stdout/sys.stderr of a device process: a kernel thread's writes go into its step's output."""

    def __init__(self, stream, name):
        self._stream, self._name = stream, name

    def write(self, text):
        if getattr(_output, "sink", None) is None:
            return self._stream.write(text)
        write_output(text, self._name)
        return len(text)

    def __getattr__(self, attr):
        return getattr(self._stream, attr)


def route_streams():
    """In a device process: what kernels print with print() (py_func) joins their step's output."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if not isinstance(stream, _Routed):
            setattr(sys, name, _Routed(stream, name))
