"""TF1's `tf.test`: `TestCase` (sessions on each test's fresh graph, array assertions), `main`, gradient
checking (`compute_gradient`, `compute_gradient_error`) and the build queries, so a TF1 project's own unit
tests run on raygraph. raygraph's kernels are numpy: no op runs on a GPU, so the GPU queries say no.
"""
import contextlib
import os
import random
import re
import socket
import tempfile
import time
import unittest
from unittest import mock  # noqa: F401 - TF's tf.test.mock

import numpy as np

from . import dtypes, errors
from .graph import get_default_graph, reset_default_graph
from .gradients import gradients
from .ops.array import placeholder
from .ops.random import set_random_seed
from .session import ConfigProto, get_default_session, Session
from .tensor import Tensor
from .train.server import Server

DEFAULT_GRAPH_SEED = 87654321  # TF's random_seed.DEFAULT_GRAPH_SEED, set by TestCase.setUp


# ----- TestCase ------------------------------------------------------------------------------------------
class TestCase(unittest.TestCase):
    """unittest.TestCase with TF1's helpers: each test starts on a fresh default graph, seeded."""

    def __init__(self, methodName="runTest"):  # noqa: N803 - unittest's name
        super().__init__(methodName)
        self._cached_session = None
        self._tempdir = None

    def setUp(self):
        self._clear_cached_session()
        random.seed(DEFAULT_GRAPH_SEED)
        np.random.seed(DEFAULT_GRAPH_SEED)
        reset_default_graph()
        set_random_seed(DEFAULT_GRAPH_SEED)

    def tearDown(self):
        self._clear_cached_session()

    def _clear_cached_session(self):
        if self._cached_session is not None:
            self._cached_session.close()
            self._cached_session = None

    # ----- sessions ------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        """A new Session on `graph` (default: the default graph), made the default session and graph."""
        graph = get_default_graph() if graph is None else graph
        with Session(graph=graph, config=config) as sess, graph.as_default():
            yield sess

    @contextlib.contextmanager
    def cached_session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        """The test's one Session (made on first use), as the default session and its graph as the default."""
        if self._cached_session is None:
            graph = get_default_graph() if graph is None else graph
            self._cached_session = Session(graph=graph, config=config)
        elif graph is not None and self._cached_session.graph is not graph:
            raise ValueError("The graph used to get the cached session is different than the one that was used "
                             "to create the session. Maybe create a new session with self.session()")
        sess = self._cached_session
        with sess.graph.as_default(), sess.as_default():
            yield sess

    def test_session(self, graph=None, config=None, use_gpu=False, force_gpu=False):
        """TF1's deprecated form: the cached session without a graph, a new one with."""
        if graph is None:
            return self.cached_session(config=config)
        return self.session(graph, config)

    test_session.__test__ = False  # a helper, not a test, for unittest's and pytest's loaders

    def evaluate(self, tensors):
        """The values of `tensors` (any structure) in the default session, or the cached one."""
        sess = get_default_session()
        if sess is None:
            with self.cached_session() as sess:
                return sess.run(tensors)
        return sess.run(tensors)

    def get_temp_dir(self):
        """A directory for this test's files, made once per test."""
        if self._tempdir is None:
            self._tempdir = tempfile.mkdtemp(dir=os.environ.get("TEST_TMPDIR", tempfile.gettempdir()))
        return self._tempdir

    # ----- array assertions -------------------------------------------------------------------------------
    def _array(self, a):
        if isinstance(a, Tensor):
            a = self.evaluate(a)
        return np.array(a) if not isinstance(a, np.ndarray) else a

    def _tolerances(self, a, b, rtol, atol):
        if dtypes.float16.as_numpy_dtype in (a.dtype, b.dtype):
            return max(rtol, 1e-3), max(atol, 1e-3)
        return rtol, atol

    def assertAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802 - TF's names
        """a and b (arrays, tensors, or nested lists/tuples/dicts of them) equal within rtol and atol."""
        self._assert_close_nested(a, b, rtol, atol, msg, [])

    def _assert_close_nested(self, a, b, rtol, atol, msg, path):
        if isinstance(a, dict) or isinstance(b, dict):
            self.assertIsInstance(a, dict, msg)
            self.assertIsInstance(b, dict, msg)
            self.assertEqual(set(a), set(b), f"mismatched keys at {path}: {msg}")
            for k in a:
                self._assert_close_nested(a[k], b[k], rtol, atol, msg, path + [k])
            return
        if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and not _is_numeric_list(a, b):
            self.assertEqual(len(a), len(b), f"mismatched lengths at {path}: {msg}")
            for i, (x, y) in enumerate(zip(a, b)):
                self._assert_close_nested(x, y, rtol, atol, msg, path + [i])
            return
        a, b = self._array(a), self._array(b)
        self.assertEqual(a.shape, b.shape, f"Shape mismatch: expected {a.shape}, got {b.shape}. {msg or ''}")
        rtol, atol = self._tolerances(a, b, rtol, atol)
        if not np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True):
            np.testing.assert_allclose(a, b, rtol=rtol, atol=atol, err_msg=f"Mismatch at {path}. {msg or ''}",
                                       equal_nan=True)

    def assertAllCloseAccordingToType(self, a, b, rtol=1e-6, atol=1e-6, float_rtol=1e-6, float_atol=1e-6,  # noqa: N802
                                      half_rtol=1e-3, half_atol=1e-3, bfloat16_rtol=1e-2, bfloat16_atol=1e-2,
                                      msg=None):
        """assertAllClose with the tolerance of the least precise dtype of a and b."""
        a, b = self._array(a), self._array(b)
        kinds = {a.dtype, b.dtype}
        if np.float32 in kinds or np.complex64 in kinds:
            rtol, atol = max(rtol, float_rtol), max(atol, float_atol)
        if np.float16 in kinds:
            rtol, atol = max(rtol, half_rtol), max(atol, half_atol)
        self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)

    def assertNotAllClose(self, a, b, rtol=1e-6, atol=1e-6, msg=None):  # noqa: N802
        try:
            self.assertAllClose(a, b, rtol=rtol, atol=atol, msg=msg)
        except AssertionError:
            return
        raise AssertionError(msg or "The two values are close at all elements.")

    def assertAllEqual(self, a, b, msg=None):  # noqa: N802
        """a and b have the same shape and equal elements (NaNs equal each other)."""
        a, b = self._array(a), self._array(b)
        self.assertEqual(a.shape, b.shape, f"Shape mismatch: expected {a.shape}, got {b.shape}. {msg or ''}")
        same = a == b
        if a.dtype.kind in "fc" and b.dtype.kind in "fc":
            same = np.logical_or(same, np.logical_and(np.isnan(a), np.isnan(b)))
        if not np.all(same):
            np.testing.assert_array_equal(a, b, err_msg=msg or "")

    def assertNotAllEqual(self, a, b, msg=None):  # noqa: N802
        try:
            self.assertAllEqual(a, b, msg)
        except AssertionError:
            return
        raise AssertionError(msg or "The two values are equal at all elements.")

    def assertAllGreater(self, a, comparison_target):  # noqa: N802
        self.assertGreater(np.min(self._array(a)), comparison_target)

    def assertAllLess(self, a, comparison_target):  # noqa: N802
        self.assertLess(np.max(self._array(a)), comparison_target)

    def assertAllGreaterEqual(self, a, comparison_target):  # noqa: N802
        self.assertGreaterEqual(np.min(self._array(a)), comparison_target)

    def assertAllLessEqual(self, a, comparison_target):  # noqa: N802
        self.assertLessEqual(np.max(self._array(a)), comparison_target)

    def assertAllInRange(self, target, lower_bound, upper_bound, open_lower_bound=False,  # noqa: N802
                         open_upper_bound=False):
        """Every element of `target` lies between the bounds (each closed unless said open)."""
        t = self._array(target)
        if not np.issubdtype(t.dtype, np.number):
            raise AssertionError(f"The value of {target} does not have an ordered numeric type, instead it has "
                                 f"type: {t.dtype}")
        low = t <= lower_bound if open_lower_bound else t < lower_bound
        high = t >= upper_bound if open_upper_bound else t > upper_bound
        bad = np.nonzero(low | high)
        if bad[0].size:
            raise AssertionError(f"{bad[0].size} of the {t.size} element(s) are outside the range "
                                 f"{'(' if open_lower_bound else '['}{lower_bound}, {upper_bound}"
                                 f"{')' if open_upper_bound else ']'}: {t[bad]}")

    def assertAllInSet(self, target, expected_set):  # noqa: N802
        t = self._array(target)
        diff = set(t.flatten().tolist()) - set(np.array(list(expected_set)).flatten().tolist())
        if diff:
            raise AssertionError(f"{len(diff)} unique element(s) are not in the set {expected_set}: {diff}")

    def assertArrayNear(self, farray1, farray2, err, msg=None):  # noqa: N802
        self.assertEqual(len(farray1), len(farray2), msg=msg)
        for f1, f2 in zip(farray1, farray2):
            self.assertNear(float(f1), float(f2), err, msg=msg)

    def assertNear(self, f1, f2, err, msg=None):  # noqa: N802
        self.assertTrue(f1 == f2 or abs(f1 - f2) <= err,
                        f"{f1:f} != {f2:f} +/- {err:f}{' (' + msg + ')' if msg is not None else ''}")

    def assertNDArrayNear(self, ndarray1, ndarray2, err, msg=None):  # noqa: N802
        self.assertTrue(np.linalg.norm(ndarray1 - ndarray2) <= err, msg=msg)

    def assertShapeEqual(self, input_a, input_b, msg=None):  # noqa: N802
        """A numpy array's shape equals a Tensor's static shape."""
        if not isinstance(input_a, np.ndarray):
            raise TypeError("input_a must be a Numpy ndarray.")
        if not isinstance(input_b, Tensor):
            raise TypeError("input_b must be a Tensor.")
        self.assertAllEqual(input_a.shape, input_b.shape.as_list(), msg=msg)

    def assertDTypeEqual(self, target, expected_dtype):  # noqa: N802
        self.assertEqual(self._array(target).dtype, dtypes.as_dtype(expected_dtype).as_numpy_dtype)

    def assertDeviceEqual(self, device1, device2, msg=None):  # noqa: N802
        self.assertEqual(device1 or "", device2 or "", msg or f"Devices {device1} and {device2} are not equal.")

    def assertStartsWith(self, actual, expected_start, msg=None):  # noqa: N802
        if not actual.startswith(expected_start):
            raise AssertionError(f"{actual!r} does not start with {expected_start!r}{' : ' + msg if msg else ''}")

    def assertItemsEqual(self, expected_seq, actual_seq, msg=None):  # noqa: N802
        self.assertCountEqual(expected_seq, actual_seq, msg)

    # ----- errors ------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def assertRaisesWithPredicateMatch(self, exception_type, expected_err_re_or_predicate):  # noqa: N802
        """The block raises `exception_type` whose message matches a regex (or satisfies a predicate)."""
        if callable(expected_err_re_or_predicate):
            predicate = expected_err_re_or_predicate
        else:
            def predicate(e):
                text = e.message if isinstance(e, errors.OpError) else str(e)
                return re.search(expected_err_re_or_predicate, text) is not None
        try:
            yield
        except exception_type as e:
            if not predicate(e):
                raise AssertionError(f"Exception of type {type(e)}: {e}") from e
        else:
            self.fail(exception_type.__name__ + " not raised")

    def assertRaisesOpError(self, expected_err_re_or_predicate):  # noqa: N802
        """The block raises an OpError whose message matches."""
        return self.assertRaisesWithPredicateMatch(errors.OpError, expected_err_re_or_predicate)


def _is_numeric_list(a, b):
    return all(not isinstance(x, (list, tuple, dict, Tensor)) for x in list(a) + list(b))


# ----- gradient checking -----------------------------------------------------------------------------------
def _theoretical_jacobian(sess, x, x_data, y, y_shape, dy, grad, extra_feed):
    y_size = int(np.prod(y_shape))
    jac = np.zeros((x_data.size, y_size), dtype=x_data.dtype)
    dy_data = np.zeros(y_shape, dtype=y.dtype.as_numpy_dtype)
    for col in range(y_size):
        dy_data.flat[col] = 1
        g = sess.run(grad, {x: x_data, dy: dy_data, **extra_feed})
        jac[:, col] = np.reshape(g, -1)
        dy_data.flat[col] = 0
    return jac


def _numerical_jacobian(sess, x, x_data, y, y_shape, delta, extra_feed):
    jac = np.zeros((x_data.size, int(np.prod(y_shape))), dtype=x_data.dtype)
    for row in range(x_data.size):
        original = x_data.flat[row]
        x_data.flat[row] = original + delta
        pos = sess.run(y, {x: x_data, **extra_feed})
        x_data.flat[row] = original - delta
        neg = sess.run(y, {x: x_data, **extra_feed})
        x_data.flat[row] = original
        jac[row, :] = (np.reshape(pos, -1) - np.reshape(neg, -1)) / (2 * delta)
    return jac


def _jacobians(sess, x, x_shape, y, y_shape, x_init_value, delta, extra_feed):
    dtype = x.dtype.base_dtype.as_numpy_dtype
    x_data = (np.asarray(x_init_value, dtype=dtype).copy() if x_init_value is not None
              else np.random.random_sample(x_shape).astype(dtype))
    dy = placeholder(y.dtype.base_dtype, shape=y_shape)
    grad = gradients(y, x, dy)[0]
    if grad is None:
        raise ValueError(f"No gradient from {y.name} to {x.name}")
    return (_theoretical_jacobian(sess, x, x_data, y, y_shape, dy, grad, extra_feed),
            _numerical_jacobian(sess, x, x_data, y, y_shape, delta, extra_feed))


def compute_gradient(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3, init_targets=None,
                     extra_feed_dict=None):
    """(theoretical, numerical) Jacobians of y by x, each [x size, y size]; a list of pairs for a list x.

    Runs in the default session (or a new one on y's graph), feeding x; `init_targets` run first.
    """
    sess = get_default_session()
    owned = sess is None
    if owned:
        sess = Session(graph=y.graph)
    try:
        if init_targets is not None:
            sess.run(init_targets)
        extra = dict(extra_feed_dict or {})
        if isinstance(x, (list, tuple)):
            inits = x_init_value if x_init_value is not None else [None] * len(x)
            return [_jacobians(sess, xi, si, y, y_shape, vi, delta, extra) for xi, si, vi in zip(x, x_shape, inits)]
        return _jacobians(sess, x, x_shape, y, y_shape, x_init_value, delta, extra)
    finally:
        if owned:
            sess.close()


def compute_gradient_error(x, x_shape, y, y_shape, x_init_value=None, delta=1e-3, init_targets=None,
                           extra_feed_dict=None):
    """The largest absolute difference between compute_gradient's theoretical and numerical Jacobians."""
    grads = compute_gradient(x, x_shape, y, y_shape, x_init_value, delta, init_targets, extra_feed_dict)
    if isinstance(grads, tuple):
        grads = [grads]
    error = 0  # as TF's: a numpy scalar of the Jacobians' dtype (0 when they are all empty)
    for t, n in grads:
        if t.size or n.size:
            error = np.maximum(error, np.fabs(t - n).max())
    return error


# ----- comparing graphs -------------------------------------------------------------------------------------
def assert_equal_graph_def(actual, expected, checkpoint_v2=False, hash_table_shared_name=False):
    """AssertionError unless two GraphDefs hold the same nodes (any order; control inputs in any order;
    attrs starting with '_' ignored). checkpoint_v2 / hash_table_shared_name also ignore the random parts of
    Saver and hash-table names, as TF's does."""
    def nodes(graph_def):
        out = {}
        for n in graph_def.node:
            data = [i for i in n.input if not i.startswith("^")]
            control = sorted(i for i in n.input if i.startswith("^"))
            attrs = {k: v for k, v in n.attr.items() if not k.startswith("_")}
            if checkpoint_v2 and n.op == "Const" and n.name.endswith("/Const") and "value" in attrs:
                attrs.pop("value")  # the saver's random temp-file suffix
            if hash_table_shared_name and n.op.startswith("HashTable"):
                attrs.pop("shared_name", None)
            out[n.name] = (n.op, data, control, n.device, {k: v.SerializeToString() for k, v in attrs.items()})
        return out
    a, e = nodes(actual), nodes(expected)
    for name in sorted(set(a) | set(e)):
        if name not in a:
            raise AssertionError(f"Did not find expected node '{name}'")
        if name not in e:
            raise AssertionError(f"Found unexpected node '{name}'")
        if a[name] != e[name]:
            raise AssertionError(f"Node named '{name}' differs: actual {a[name][:4]} vs expected {e[name][:4]}"
                                 + (" (attrs differ)" if a[name][:4] == e[name][:4] else ""))


# ----- running tests and build queries -----------------------------------------------------------------------
def main(argv=None):
    """Runs the tests of the calling module (unittest's runner, as TF's googletest main does)."""
    return unittest.main(argv=argv)


def get_temp_dir():
    """A temporary directory for the test run."""
    return tempfile.mkdtemp()


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    """False: raygraph's kernels run on CPUs."""
    return False


def gpu_device_name():
    """'' : raygraph has no GPU kernels."""
    return ""


def is_built_with_cuda():
    return False


def is_built_with_rocm():
    return False


def is_built_with_gpu_support():
    return False


def is_built_with_xla():
    return False


def is_cpu_target_available(target):
    """False: raygraph compiles no code for any CPU target (TF's XLA AOT targets)."""
    return False


def test_src_dir_path(relative_path):
    """`relative_path` under raygraph's package directory (TF's: under its source tree)."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), relative_path)


test_src_dir_path.__test__ = False  # pytest: not a test


def disable_with_predicate(pred, skip_message):
    """A test-method decorator skipping the test when `pred()` is true."""
    def decorator(fn):
        def wrapper(self, *args, **kwargs):
            if pred():
                self.skipTest(skip_message)
            return fn(self, *args, **kwargs)
        wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
        return wrapper
    return decorator


def with_eager_op_as_function(cls=None, only_as_function=False):
    """TF2's eager variants of a test class; raygraph runs graphs only, so the class is unchanged."""
    return cls if cls is not None else (lambda c: c)


def benchmark_config():
    """The ConfigProto TF's benchmarks use (TF turns grappler's dependency optimization off: raygraph has none)."""
    return ConfigProto()


class Benchmark:
    """TF1's benchmark base: `run_op_benchmark` times an op in a session; `report_benchmark` records it."""

    def report_benchmark(self, iters=None, cpu_time=None, wall_time=None, throughput=None, extras=None, name=None,
                         metrics=None):
        self.last_report = {"iters": iters, "cpu_time": cpu_time, "wall_time": wall_time,
                            "throughput": throughput, "extras": extras or {}, "name": name or type(self).__name__,
                            "metrics": metrics or []}
        return self.last_report

    def run_op_benchmark(self, sess, op_or_tensor, feed_dict=None, burn_iters=2, min_iters=10, store_trace=False,
                         store_memory_usage=True, name=None, extras=None, mbs=0):
        for _ in range(burn_iters):
            sess.run(op_or_tensor, feed_dict=feed_dict)
        times = []
        for _ in range(min_iters):
            start = time.time()
            sess.run(op_or_tensor, feed_dict=feed_dict)
            times.append(time.time() - start)
        wall = float(np.median(times))
        throughput = mbs / wall if mbs else None
        return self.report_benchmark(iters=min_iters, wall_time=wall, throughput=throughput, extras=extras,
                                     name=name)


class StubOutForTesting:
    """Replaces attributes for a test and puts them back: Set, SmartSet, UnsetAll, SmartUnsetAll, CleanUp."""

    def __init__(self):
        self.cache, self.stubs = [], []

    def Set(self, parent, child_name, new_child):  # noqa: N802 - TF's names
        self.cache.append((parent, getattr(parent, child_name, None), child_name))
        setattr(parent, child_name, new_child)

    SmartSet = Set

    def UnsetAll(self):  # noqa: N802
        for parent, old, name in reversed(self.cache):
            setattr(parent, name, old)
        self.cache = []

    SmartUnsetAll = UnsetAll

    def CleanUp(self):  # noqa: N802
        self.UnsetAll()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.CleanUp()


def _free_ports(n):
    """n distinct free ports: each socket stays bound until all are picked (one closed at once can come back)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("localhost", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def create_local_cluster(num_workers, num_ps, protocol="grpc", worker_config=None, ps_config=None):
    """(workers, ps_servers): started train.Servers of a local cluster with those many tasks."""
    ports = [f"localhost:{port}" for port in _free_ports(num_workers + num_ps)]
    spec = {"worker": ports[:num_workers]}
    if num_ps:
        spec["ps"] = ports[num_workers:]
    workers = [Server(spec, job_name="worker", task_index=i, protocol=protocol, config=worker_config)
               for i in range(num_workers)]
    ps = [Server(spec, job_name="ps", task_index=i, protocol=protocol, config=ps_config) for i in range(num_ps)]
    return workers, ps
