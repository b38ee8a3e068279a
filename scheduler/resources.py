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

    __slots__ = ("name", "variables", "locks", "state")

    def __init__(self, name, variables, locks, state):
        self.name = name
        self.variables = variables
        self.locks = locks
        self.state = state


class Locks(dict):
    """A lock per variable key, made on first use (what `use_locking=True` updates hold, as in TF1)."""

    def __missing__(self, key):
        return self.setdefault(key, threading.Lock())  # setdefault: two threads asking at once get one lock


class Resources:
    """A device's variables (keyed by (container, name)), their locks and per-op state, persisting across steps."""

    def __init__(self):
        self.variables = {}
        self.locks = Locks()
        self._bindings = {}

    def bind(self, node):
        b = self._bindings.get(node.name)
        if b is None:
            b = self._bindings[node.name] = Binding(node.name, self.variables, self.locks, {})
        return b

    def clear(self, containers=None):
        """Drops all state, or only the variables of the given containers."""
        if containers is None:
            self.variables.clear()
            self._bindings.clear()
            return
        for key in [k for k in self.variables if k[0] in containers]:
            del self.variables[key]


# ----- printed output -----------------------------------------------------------------------------------
_output = threading.local()


def write_output(text):
    """What a kernel prints (tf.Print): into the output of the step running it in this thread, which travels
    back with the step's reply and is written to the client's stderr before `run` returns (so it appears in
    program order, as TF1's in-process kernels print); to this process's stderr when no step collects it."""
    sink = getattr(_output, "sink", None)
    if sink is None:
        sys.stderr.write(text)
        sys.stderr.flush()
    else:
        sink.append(text)


def collect_output(sink):
    """Makes `write_output` in this thread append to `sink` (a list), or write to stderr again (None)."""
    _output.sink = sink
