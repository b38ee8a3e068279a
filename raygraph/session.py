"""`Session`: runs (parts of) a graph on Ray device actors, with TF1's `Session.run` semantics.

A run flattens the fetches, checks and converts the feeds, finds (or makes, once) the plan for that
signature, sends each device its step message, and rebuilds the fetch structure from the values.
"""
import collections
import sys
import threading
import uuid

import numpy as np
from scheduler.optimize import from_config
from scheduler.resources import DEAD
from tensorboard.compat.proto import config_pb2

from . import errors, nest
from .graph import _DefaultStack, _default_graph_stack, get_default_graph
from .operation import Operation
from .ops.indexed_slices import IndexedSlices, IndexedSlicesValue
from .ops.sparse_tensor import SparseTensor, SparseTensorValue
from .ops import session_handles
from .tensor import Tensor
from .table import GraphTable
from .targets import connect, reset
from .metadata import fill_run_metadata

ConfigProto = config_pb2.ConfigProto
RunOptions = config_pb2.RunOptions
RunMetadata = config_pb2.RunMetadata
GPUOptions = config_pb2.GPUOptions
GraphOptions = config_pb2.GraphOptions
OptimizerOptions = config_pb2.OptimizerOptions

_default_session_stack = _DefaultStack()


def get_default_session():
    """The innermost session entered with `with sess:` or `sess.as_default()` in this thread, or None."""
    return _default_session_stack.get_default()


# ----- fetches ---------------------------------------------------------------------------------------------
def _flatten_fetches(graph, fetches, out):
    """Appends the graph elements of `fetches` to `out`; returns a function rebuilding the structure."""
    if isinstance(fetches, (list, tuple)) and not hasattr(fetches, "_as_graph_element"):
        parts = [_flatten_fetches(graph, f, out) for f in fetches]
        if isinstance(fetches, list):
            return lambda values: [p(values) for p in parts]
        if hasattr(fetches, "_fields"):  # namedtuple
            return lambda values: type(fetches)(*[p(values) for p in parts])
        return lambda values: tuple(p(values) for p in parts)
    if isinstance(fetches, collections.abc.Mapping):
        keys = list(fetches.keys())
        parts = [_flatten_fetches(graph, fetches[k], out) for k in keys]
        kind = type(fetches)
        return lambda values: kind(zip(keys, [p(values) for p in parts]))
    if isinstance(fetches, IndexedSlices):  # fetched as TF's IndexedSlicesValue(values, indices, dense_shape)
        parts = [(lambda values: None) if t is None else _flatten_fetches(graph, t, out)
                 for t in (fetches.values, fetches.indices, fetches.dense_shape)]
        return lambda values: IndexedSlicesValue(*[p(values) for p in parts])
    if isinstance(fetches, SparseTensor):  # fetched as TF's SparseTensorValue(indices, values, dense_shape)
        parts = [_flatten_fetches(graph, t, out) for t in (fetches.indices, fetches.values, fetches.dense_shape)]
        return lambda values: SparseTensorValue(*[p(values) for p in parts])
    if fetches is None:
        raise TypeError(f"Argument `fetch` = {fetches} has invalid type \"{type(fetches).__name__}\". "
                        f"Cannot be None")
    try:
        element = graph.as_graph_element(fetches, allow_tensor=True, allow_operation=True)
    except TypeError as e:
        raise TypeError(f"Argument `fetch` = {fetches} has invalid type \"{type(fetches).__name__}\" must be a "
                        f"string or Tensor. ({e})") from None
    except (ValueError, KeyError) as e:
        raise ValueError(f"Argument `fetch` = {fetches} cannot be interpreted as a Tensor. ({e})") from None
    if not graph.is_fetchable(element):
        op = getattr(element, "op", element)
        raise errors.InaccessibleTensorError(
            f"Operation {op.name} has been marked as not fetchable. Typically this happens when it is defined in "
            f"another function or code block. Use return values, explicit Python locals or TensorFlow "
            f"collections to access it.")
    index = len(out)
    out.append(element)
    return lambda values: values[index]


# ----- feeds -------------------------------------------------------------------------------------------------
def _feed_value(tensor, value, key):
    if isinstance(value, Tensor):
        raise TypeError(f"The value of a feed cannot be a tf.Tensor object. Acceptable feed values include Python "
                        f"scalars, strings, lists, numpy ndarrays, or TensorHandles. For reference, the tensor "
                        f"object was {value} which was passed to the argument `feed_dict` with key {key}.")
    if isinstance(value, session_handles.TensorHandle):  # TF1 feeds a handle as its string
        value = value.handle
    np_dtype = tensor.dtype.as_numpy_dtype
    if isinstance(value, int) and not isinstance(value, bool) and np.dtype(np_dtype).kind in "iu":
        info = np.iinfo(np_dtype)
        if not info.min <= value <= info.max:
            raise TypeError(f"Type of feed value {value} with type {type(value)} is not compatible with Tensor "
                            f"type {np_dtype}. Try explicitly setting the type of the feed tensor to a larger type "
                            f"(e.g. int64).")
    if np_dtype is np.object_:
        arr = np.asarray(value, dtype=object)
        if arr.ndim == 0:
            arr = np.asarray(arr.item().encode() if isinstance(arr.item(), str) else arr.item(), dtype=object)
        else:
            arr = np.vectorize(lambda v: v.encode() if isinstance(v, str) else v, otypes=[object])(arr)
    else:
        arr = np.asarray(value, dtype=np_dtype)
    if not tensor._shape.is_compatible_with(arr.shape):
        raise ValueError(f"Cannot feed value of shape {arr.shape!r} for Tensor {tensor.name}, which has shape "
                         f"{tensor._shape}")
    if not tensor.graph.is_feedable(tensor):
        raise ValueError(f"Tensor {tensor} may not be fed.")
    return arr


def _fetch_value(value, dtype):
    arr = np.asarray(value, dtype=dtype.as_numpy_dtype)
    if arr.dtype.names:  # quantized records: TF fetches their plain integers
        arr = arr[arr.dtype.names[0]]
    return arr[()] if arr.ndim == 0 else arr


def _flatten_feed_dict(feed_dict):
    """TF's nest.flatten_dict_items: a nested key (a tuple of tensors, an LSTMStateTuple) feeds its leaves
    from the matching leaves of its value. Plain keys (every run's usual feeds) pass as they are."""
    if not any(nest.is_nested(key) for key in feed_dict):
        return feed_dict
    flat = {}
    for key, value in feed_dict.items():
        keys, values = (nest.flatten(key), nest.flatten(value)) if nest.is_nested(key) else ([key], [value])
        if len(keys) != len(values):
            raise ValueError(f"Could not flatten dictionary. Key had {len(keys)} elements, but value had "
                             f"{len(values)} elements. Key: {keys}, value: {values}.")
        for k, v in zip(keys, values):
            if k in flat:
                raise ValueError(f"Cannot flatten dict because this key is not unique: {k}")
            flat[k] = v
    return flat


def _sparse_feeds_split(feed_dict):
    """The feeds, a SparseTensor's (indices, values, dense_shape) value fed to its three tensors."""
    for key, value in _flatten_feed_dict(feed_dict).items():
        if isinstance(key, SparseTensor):
            yield from zip((key.indices, key.values, key.dense_shape), value)
        else:
            yield key, value


_REWRITER_OFF = 2   # RewriterConfig.Toggle.OFF


def optimizations_of(config):
    """What planning does for a session's ConfigProto: graph_options.optimizer_options (constant folding and
    CSE), its global_jit_level (fusion of elementwise ops) and rewrite_options (grappler's constant folding,
    whose arithmetic rewrites planning makes: off with constant_folding=OFF or disable_meta_optimizer)."""
    o, r = config.graph_options.optimizer_options, config.graph_options.rewrite_options
    return from_config(o.opt_level, o.do_constant_folding, o.do_common_subexpression_elimination,
                       o.global_jit_level, r.constant_folding != _REWRITER_OFF and not r.disable_meta_optimizer)


# ----- the session ---------------------------------------------------------------------------------------------
class BaseSession:
    """A connection to the devices that run a graph (see `Session`)."""

    def __init__(self, target="", graph=None, config=None):
        if graph is None:
            graph = get_default_graph()
        if config is not None and not isinstance(config, config_pb2.ConfigProto):
            raise TypeError(f"config must be a tf.ConfigProto, but got {type(config)}")
        self._graph = graph
        self._config = config or config_pb2.ConfigProto()
        self._target = target or ""
        self._closed = False
        self._lock = threading.RLock()
        self._session_id = uuid.uuid4().hex[:12]
        self._plans = {}
        self._mutations = graph._mutations
        self._table = GraphTable(graph, optimizations_of(self._config))
        self._default_graph_cm = None
        self._default_session_cm = None
        self._runtime = connect(self._target, self._config, graph)

    graph = property(lambda self: self._graph)
    graph_def = property(lambda self: self._graph.as_graph_def())
    sess_str = property(lambda self: self._target)

    def list_devices(self):
        """The devices this session can place ops on."""
        return [_DeviceAttributes(name, fields[3], 0) for name, fields in self._runtime.devices]

    # ----- lifecycle ----------------------------------------------------------------------------------
    def close(self):
        """Releases the session's device actors (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._plans.clear()
        self._runtime.close()

    def __del__(self):
        try:
            if not self._closed:
                self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass

    def as_default(self):
        """A context manager making this the default session (for `eval` and `run`)."""
        return _default_session_stack.controller(self)

    def __enter__(self):
        if self._default_graph_cm is not None:
            raise RuntimeError("Session context managers are not re-entrant. Use `Session.as_default()` if you "
                               "want to enter a session multiple times.")
        self._default_graph_cm = self._graph.as_default()
        self._default_session_cm = self.as_default()
        self._default_graph_cm.__enter__()
        return self._default_session_cm.__enter__()

    def __exit__(self, exc_type, exc_value, exc_tb):
        try:
            self._default_session_cm.__exit__(exc_type, exc_value, exc_tb)
        finally:
            self._default_graph_cm.__exit__(exc_type, exc_value, exc_tb)
            self._default_session_cm = self._default_graph_cm = None
            self.close()

    # ----- running ------------------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs the ops needed for `fetches` (any nesting of tensors, ops, names, variables) and returns
        their values in the same structure; `feed_dict` substitutes values for tensors."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if type(fetches) in (Tensor, Operation) and fetches.graph is self._graph and self._graph.is_fetchable(fetches):
            flat, rebuild = [fetches], None   # (the usual fetch: one tensor or op; the others' errors below)
        else:
            flat = []
            rebuild = _flatten_fetches(self._graph, fetches, flat)
        feeds = self._feeds(feed_dict) if feed_dict else {}
        values = self._run(flat, feeds, options, run_metadata)
        return values[0] if rebuild is None else rebuild(values)

    def _feeds(self, feed_dict):
        out = {}
        for key, value in _sparse_feeds_split(feed_dict):
            try:
                tensor = self._graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
            except (TypeError, ValueError, KeyError) as e:
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: {e.args[0]}") from None
            out[tensor] = _feed_value(tensor, value, key)
        return out

    def _run(self, flat, feeds, options, run_metadata):
        tensors = []
        for element in flat:
            if type(element) is Tensor and element not in tensors:
                tensors.append(element)
        targets = tuple(e for e in flat if isinstance(e, Operation))
        if not tensors and not targets:
            return [None] * len(flat)
        if self._graph._mutations != self._mutations:  # an existing op changed: plans are stale
            self._plans.clear()
            self._mutations = self._graph._mutations
        key = (tuple(tensors), targets, frozenset(feeds))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plan(tensors, targets, feeds, key)
        trace = options is not None and options.trace_level > 0
        timeout = self._timeout(options)
        try:
            values, stats = self._runtime.run_step(plan, {t: v for t, v in feeds.items()}, trace, timeout)
        except errors.OpError:
            if self._closed:  # close() cancelled this run (a dequeue that was waiting), as TF1's close does
                raise errors.CancelledError(None, None, "Session has been closed.") from None
            raise
        if run_metadata is not None and options is not None:
            fill_run_metadata(run_metadata, stats, plan, self._graph, options)
        by_tensor = {}
        for i, (t, route, v) in enumerate(zip(tensors, plan.fetch_routes, values)):
            if v is DEAD:
                raise errors.InvalidArgumentError(None, t.op, f"Retval[{i}] does not have value")
            by_tensor[t] = v if route[0] == "fed" else _fetch_value(v, t.dtype)
            if session_handles.fetched(t):
                by_tensor[t] = session_handles.TensorHandle(by_tensor[t], t.op.inputs[0].dtype, self)
        return [by_tensor[e] if type(e) is Tensor else None for e in flat]

    def _timeout(self, options):
        ms = options.timeout_in_ms if options is not None and options.timeout_in_ms > 0 else \
            self._config.operation_timeout_in_ms
        return ms / 1000.0 if ms > 0 else None

    def _plan(self, tensors, targets, feeds, key):
        with self._lock:
            plan = self._plans.get(key)
            if plan is None:
                plan = self._runtime.plan(self._table, tensors, targets, feeds)
                if self._config.log_device_placement:
                    for name, device in plan.placement.items():
                        op = self._graph._ops_by_name[name]
                        # TF's placer printf()s the line to stdout and also LOG(INFO)s it to stderr
                        print(f"{name}: ({op.type}): {device}", flush=True)
                        print(f"{name}: ({op.type}): {device}", file=sys.stderr)
                self._plans[key] = plan
            return plan

    def _run_repeatedly(self, op):
        """Runs `op` (a queue runner's enqueue) again and again inside its device, with no round trip per run,
        until a run fails (raised, as `run` raises it) or the session closes (returns True). False when the
        op's step spans several devices: the caller runs it itself."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        key = ((), (op,), frozenset())
        plan = self._plans.get(key) or self._plan([], (op,), {}, key)
        try:
            return self._runtime.run_repeatedly(plan)
        except errors.OpError:
            if self._closed:
                return True
            raise

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        """A function running `fetches` with positional feed values for `feed_list`."""
        feed_list = [self._graph.as_graph_element(f, allow_tensor=True, allow_operation=False)
                     for f in (feed_list or [])]

        def call(*args, **kwargs):
            if len(args) != len(feed_list):
                raise TypeError(f"Expected {len(feed_list)} feed values, got {len(args)}")
            return self.run(fetches, dict(zip(feed_list, args)), **kwargs if accept_options else {})
        return call

    def partial_run_setup(self, fetches, feeds=None):
        raise errors.UnimplementedError(None, None, "partial_run is not supported by raygraph")

    @staticmethod
    def reset(target, containers=None, config=None):
        """Clears the state (variables) kept for `containers` (all if None) on a cluster target's devices."""
        reset(target, containers, config)


class Session(BaseSession):
    """A TF1 session: `Session(target="", graph=None, config=None)`; use it in a `with` block."""


class InteractiveSession(BaseSession):
    """A session that installs itself (and its graph) as the defaults on construction, for shells."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        _default_session_stack.stack.append(self)
        _default_graph_stack.stack.append(self._graph)

    def close(self):
        super().close()
        for stack, item in ((_default_session_stack.stack, self), (_default_graph_stack.stack, self._graph)):
            if item in stack:
                stack.reverse()
                stack.remove(item)
                stack.reverse()


class _DeviceAttributes(collections.namedtuple("_DeviceAttributes", "name device_type memory_limit_bytes")):
    """What `Session.list_devices()` reports for one device."""

    @property
    def incarnation(self):
        return 0


def eval_in_session(elements, feed_dict, graph, session, kind):
    """`Tensor.eval` / `Operation.run`: run in `session` or the default session, which must share the graph."""
    if session is None:
        session = get_default_session()
        if session is None:
            if kind == "tensor":
                raise ValueError("Cannot evaluate tensor using `eval()`: No default session is registered. Use "
                                 "`with sess.as_default()` or pass an explicit session to `eval(session=sess)`")
            raise ValueError("Cannot execute operation using `run()`: No default session is registered. Use "
                             "`with sess.as_default():` or pass an explicit session to `run(session=sess)`")
        if session.graph is not graph:
            raise ValueError(f"Cannot use the default session to {'evaluate tensor' if kind == 'tensor' else 'execute operation'}: the "
                             f"{kind}'s graph is different from the session's graph. Pass an explicit session to "
                             f"{'`eval(session=sess)`' if kind == 'tensor' else 'run(session=sess)'}.")  # (TF: no backticks for run)
    elif session.graph is not graph:
        raise ValueError(f"Cannot use the given session to {'evaluate tensor' if kind == 'tensor' else 'execute operation'}: the "
                         f"{kind}'s graph is different from the session's graph.")
    return session.run(elements, feed_dict)

