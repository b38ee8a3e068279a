"""The Ray side of sessions: starting or joining a Ray runtime, and the device actors.

`ensure_ray()` starts an embedded runtime on first use (quietly, sized to the machine) or joins the one
this process already has (or the cluster `RAY_ADDRESS` names). `DeviceHandle` is a client's view of one
device actor: its actor handle, and per client thread one step channel to it. Released local device
actors go back, emptied, to a small warm pool, so a new Session does not wait for a new process.
"""
import atexit
import contextlib
import ctypes
import logging
import os
import random
import threading
import time

from . import access, blas, intra_op
from .channel import Channel, ChannelClosed
from .device import Device
from .resources import route_streams

_lock = threading.RLock()
_pool = []             # (pool key, DeviceHandle) of idle local device actors
_exiting = threading.Event()  # set at interpreter exit, before Ray's shutdown takes the device actors away


def exiting():
    """True once the interpreter exits: device actors may be gone, steps then in flight fail by it."""
    return _exiting.is_set()


POOL_SIZE = int(os.environ.get("RAYGRAPH_ACTOR_POOL", "4"))
# What tf.Print and py_func write in a device reaches the client's streams without Ray's "(Device pid=...)"
# prefix and colours, as TF1 prints it. Ray reads this when it is first imported, which is after this module
# (raygraph never imports Ray at import time); set it to 0 to keep Ray's prefix.
os.environ.setdefault("RAY_DISABLE_WORKER_LOG_PREFIX", "1")


def ensure_ray(address=None, timeout=30.0, **init_kwargs):
    """Makes sure this process is connected to Ray; starts a local runtime if nothing else is asked.

    Joining a cluster (`address`, or RAY_ADDRESS) first checks, within `timeout` s, that it answers and
    which auth mode it uses (access.py: raises access.Unreachable or access.Unauthenticated)."""
    import ray
    with _lock:
        if ray.is_initialized():
            return
        os.environ.setdefault("RAY_DEDUP_LOGS", "0")
        kwargs = dict(include_dashboard=False, configure_logging=True, logging_level=logging.ERROR,
                      log_to_driver=True, ignore_reinit_error=True)
        if address is None and not os.environ.get("RAY_ADDRESS"):
            # our own embedded runtime, even if a `ray start` cluster happens to run on this machine
            kwargs["num_cpus"] = os.cpu_count() or 1
            kwargs["address"] = "local"
            # Ray starts workers at nice 15; device actors run the user's kernels, at the priority TF1's would
            # have (under load, nice 15 left a device ~1/28 of a competing process's CPU share)
            os.environ.setdefault("RAY_worker_niceness", "0")
            # device actors inherit it: their OpenBLAS threads sleep ~0.1 ms after a product, not ~0.1 s, and
            # large products may run on them (intra_op.py); a program's own value is left as it is
            os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", str(intra_op.SPIN))
            retry_connects_sooner(os.environ)
        elif address != "local":
            access.prepare(address, timeout)
        if address is not None:
            kwargs["address"] = address
        kwargs.update(init_kwargs)
        state = random.getstate()   # ray.init draws from Python's global `random` (a spill directory, ids): a
        try:                        # program that seeded it before its first Session sees TF's numbers after
            with _lean_head(kwargs.get("address") == "local"), _device_environment(kwargs.get("address") == "local"):
                ray.init(**kwargs)
        finally:
            random.setstate(state)
        if kwargs.get("address") == "local":
            atexit.register(end_runtime, _monitor_process())  # (atexit is last-in first-out: after drain_pool)
        atexit.register(drain_pool)  # runs before ray.init's own shutdown handler (atexit is last-in first-out)
        atexit.register(_exiting.set)  # runs first of all


@contextlib.contextmanager
def _device_environment(local):
    """While ray.init starts the embedded runtime's raylet, whose worker processes (the device actors) inherit its
    environment: `device_environment()`'s variables where the program does not set them (the program's own
    environment is left as it was)."""
    added = {k: v for k, v in device_environment().items() if k not in os.environ} if local else {}
    os.environ.update(added)
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


def device_environment():
    """What a device process's environment should hold, read by glibc when the process starts:
    MALLOC_ARENA_MAX=1 (one heap that keeps freed memory for the next step's arrays: `_keep_freed_memory`), and on
    AMD's CPUs a glibc tunable that keeps memcpy from `rep movsb`. glibc copies blocks from 2 KB up to its
    non-temporal threshold with `rep movsb`, which AMD's Zen cores run ~10x slower where the destination starts
    4-28 bytes past the source modulo 4 KB; and consecutive arrays of the heap whose sizes are whole pages (most
    power-of-two shapes) lie exactly 16 bytes (malloc's header) apart so. Here (Zen 3, glibc 2.36) a 256 KB copy
    between such arrays took 88-100 us against 7-10 at other offsets (4 KB: 2.6 against 0.5; 32 KB: 19 against
    1.2); with the tunable 7-8 us at every offset, and no size or offset slower. embedding_train's Pad (the
    gradient of nce_loss's slice, a [512, 128] float32 array into [576, 128]) went from 182 to 60 us in its step."""
    env = {"MALLOC_ARENA_MAX": "1"}
    if blas.cpu_vendor() == "AuthenticAMD":
        env["GLIBC_TUNABLES"] = f"glibc.cpu.x86_rep_movsb_threshold={(1 << 64) - 1:#x}"
    return env


@contextlib.contextmanager
def _lean_head(local):
    """While an embedded runtime (`local`) starts: without the two parts of Ray's head that ray.init waits for and
    that only other clients of a runtime would use. include_dashboard=False still starts the dashboard's API server
    (with its usage-stats module; job submission and the state API are served there), and ray.init polls until
    it answers; not started: ray.init 0.5 s sooner. The raylet registers only once its dashboard agent answers,
    and ray.init first imports the dashboard's packages (0.4 s) to choose that agent's modules: both skipped by
    the agent's minimal mode (what Ray runs where those packages are missing): 0.3 s sooner. And ray.init's wait
    for the raylet ends when it registers (_registered_first). ray.init took 2.51 s here, 1.6-1.8 s so. Ray's
    own functions are looked up when ray.init calls them: they are replaced only while it runs, and only where
    this Ray has all three; else ray.init starts everything as it does."""
    try:
        from ray._private import services, utils
        saved = services.start_api_server, utils.get_dashboard_dependency_error, services.get_node
    except (ImportError, AttributeError):
        local = False
    if not local:
        yield
        return
    services.start_api_server = lambda *args, **kwargs: (None, None)   # (url, process) as when none started
    utils.get_dashboard_dependency_error = lambda: "raygraph's embedded runtime: the agent's minimal modules"
    services.get_node = _registered_first(saved[2])
    try:
        yield
    finally:
        services.start_api_server, utils.get_dashboard_dependency_error, services.get_node = saved


def _registered_first(get_node):
    """Ray's services.get_node, called once the GCS lists the node (polled every 20 ms): Ray's own call waits in
    steps of a second, and the raylet registers 0.8-1.2 s after it starts here, so ray.init took 1.7 or 2.6 s by
    the step (1.7-1.8 s so). Where this Ray's GCS client is not as expected, its own call as it is."""
    def get(gcs_address, node_id):
        try:
            from ray._raylet import GcsClient
            client = GcsClient(address=gcs_address)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and node_id not in {n.hex() for n in client.get_all_node_info(timeout=5)}:
                time.sleep(0.02)
        except Exception:  # noqa: BLE001 - another Ray's internals
            pass
        return get_node(gcs_address, node_id)
    return get


# How often and how many times Ray's processes retry connecting to a local socket that is not listening yet: the
# raylet connects to the object store it has just started (Ray's default, 10 attempts 1 s apart: where the store was
# not listening yet at the first attempt, ray.init took 3.2-3.5 s here, 10 starts of 23, against 2.3-2.5 s). Every
# 50 ms, 200 times (the same 10 s in all): ray.init 2.31-2.35 s in 15 starts of 15.
CONNECT_RETRIES = {"RAY_raylet_client_connect_timeout_milliseconds": "50",
                   "RAY_raylet_client_num_connect_attempts": "200"}


def retry_connects_sooner(environ):
    """Sets CONNECT_RETRIES in `environ` (read by the runtime's processes as they start) unless it sets either."""
    if not any(key in environ for key in CONNECT_RETRIES):
        environ.update(CONNECT_RETRIES)


def _monitor_process():
    """The autoscaler monitor process (a Popen) of the runtime this process has just started, or None."""
    try:
        from ray._private import worker
        infos = worker._global_node.all_processes.get("monitor") or []
        return infos[0].process if infos else None
    except (ImportError, AttributeError, TypeError):  # another Ray's internals: its own shutdown as it is
        return None


def end_runtime(monitor):
    """Ends the runtime this process started, at its exit, before Ray's own exit handler would: that one waits
    0.5 s first (for late messages from workers: a device's printed output comes back with its steps), then stops
    the raylet and the GCS, then sends the autoscaler monitor SIGTERM, whose handler reports its end to the GCS,
    gone by then, until Ray's grace second runs out: every program's exit took 2.0-2.4 s, now 0.7-0.8. Nothing
    uses the monitor of a runtime without autoscaling: killed first, it reports nothing."""
    import ray
    if monitor is not None and monitor.poll() is None:
        monitor.kill()
        monitor.wait()
    if ray.is_initialized():
        ray.shutdown()


def node_id():
    import ray
    return ray.get_runtime_context().get_node_id()


def node_resources(node=None):
    """The total resources of a node (default: this process's node)."""
    import ray
    node = node or node_id()
    for n in ray.nodes():
        if n["NodeID"] == node and n.get("Alive", True):
            return n.get("Resources", {})
    return {}


class DeviceHandle:
    """A device actor seen from a client: Ray calls for setup, a step channel per client thread."""

    def __init__(self, name, actor, local=False):
        import ray
        self.name = name
        self.actor = actor
        self.installed = set()
        self._local = threading.local()
        self._channels = []
        self._channel_lock = threading.Lock()
        try:
            self.channel_info = ray.get(actor.channel.remote(local), timeout=60)
        except Exception:  # noqa: BLE001 - no channel: steps go through actor calls
            self.channel_info = None
        self.node_id = None

    def channel(self):
        """This thread's channel to the device, or None when steps must use actor calls."""
        ch = getattr(self._local, "channel", None)
        if ch is None and self.channel_info is not None:
            import socket
            addresses, authkey, host = self.channel_info
            try:
                ch = Channel(addresses, authkey, host == socket.gethostname())
            except ChannelClosed:
                self.channel_info = None
                return None
            self._local.channel = ch
            with self._channel_lock:
                self._channels.append(ch)
        return ch

    def drop_channel(self):
        ch = getattr(self._local, "channel", None)
        if ch is not None:
            ch.close()
            self._local.channel = None

    def close_channels(self):
        with self._channel_lock:
            for ch in self._channels:
                ch.close()
            self._channels = []
        self._local = threading.local()


class _DeviceProcess(Device):
    """A Device in its own actor process, whose kernels' print() output goes back with their steps."""

    def __init__(self, *args, **kwargs):
        route_streams()
        _keep_freed_memory()
        super().__init__(*args, **kwargs)

    def reset(self, containers=None):
        super().reset(containers)
        if containers is None:
            _give_back_memory()


def _keep_freed_memory():
    """Kernels allocate the same large arrays every step; glibc's malloc gives such blocks back to the OS
    when freed (mmap'd, or trimmed), so every step page-faults them in again (~2,400 faults, 4 ms of system
    time, per call of a LeNet convolution gradient). Every block comes from the heap, none mmap'd on its own
    (glibc's threshold for that stops at 32 MiB: the [128, 60, 60, 32] activations of build_an_image_dataset.py's
    first layer, 59 MB each, came as fresh pages every step; its training step, fed, took 0.285-0.369 s, medians
    of six runs, 0.268-0.294 at best, against 0.260-0.339 and 0.232-0.256 so). The heap keeps up to 256 MiB of
    freed memory at its top, as TF's own allocator keeps its pools, and a device gives back what it holds free
    when its session ends (`_give_back_memory`). That is the main arena's heap: glibc gives every other thread
    that allocates an arena of its own (kernels run in the step's and the pool's threads), whose heaps it unmaps
    once they are empty, so a 59 MB array made there came as fresh pages every time (a ReluGrad into a new array
    17.7 ms, into the same 12.1; build_an_image_dataset.py's device took ~25,000 page faults a second through its
    training steps, 300-3,000 with one arena). glibc reads its arena limit when a process starts: the embedded
    runtime's device processes start with MALLOC_ARENA_MAX=1 (`device_environment`), a cluster's where its `ray start`
    sets it (cluster.yaml)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-3, 32 << 20)   # M_MMAP_THRESHOLD
        libc.mallopt(-1, 256 << 20)  # M_TRIM_THRESHOLD
        libc.mallopt(-4, 0)          # M_MMAP_MAX
    except (OSError, AttributeError):  # not glibc: its allocator's defaults
        pass


def _give_back_memory():
    """Returns the heap's free pages to the OS (glibc's malloc_trim): what a session's steps freed."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _actor_class():
    import ray
    return ray.remote(_DeviceProcess)


def acquire_local_device(name, kind, threads=0, blas_threads=0):
    """A device actor on this node for device `name` (a warm one from the pool when possible)."""
    key = (kind, threads, blas_threads)
    with _lock:
        for i, (k, handle) in enumerate(_pool):
            if k == key:
                del _pool[i]
                handle.name = name
                handle.installed = set()
                handle.actor.rename.remote(name)
                return handle
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy
    options = dict(num_cpus=0, max_concurrency=64, max_restarts=0,
                   scheduling_strategy=NodeAffinitySchedulingStrategy(node_id(), soft=False))
    if kind == "GPU":
        options["num_gpus"] = 1
    actor = _actor_class().options(**options).remote(name, threads, blas_threads)
    handle = DeviceHandle(name, actor, local=True)  # only this node's clients use it
    handle.pool_key = key
    return handle


def release_local_device(handle):
    """Returns an emptied device actor to the warm pool (or kills it when the pool is full)."""
    import ray
    handle.close_channels()
    try:
        ray.get(handle.actor.reset.remote(), timeout=10)
    except Exception:  # noqa: BLE001 - a dead or stuck actor is not worth keeping
        _kill(handle)
        return
    with _lock:
        if len(_pool) < POOL_SIZE and getattr(handle, "pool_key", None) is not None:
            _pool.append((handle.pool_key, handle))
            return
    _kill(handle)


def _kill(handle):
    import ray
    try:
        ray.kill(handle.actor)
    except Exception:  # noqa: BLE001
        pass


def drain_pool(wait=2.0):
    """Ends the idle pooled device actors: cleanly (they remove their socket directories) within `wait`
    seconds, else killed."""
    import ray
    with _lock:
        idle = [h for _, h in _pool]
        _pool.clear()
    if not idle or not ray.is_initialized():
        return
    exits = [h.actor.__ray_terminate__.remote() for h in idle]
    ray.wait(exits, num_returns=len(exits), timeout=wait)  # an exit's ref fails (is ready) once it is gone
    for handle in idle:
        _kill(handle)


# ----- named device actors of cluster tasks (shared by clients, outliving sessions) -------------------------
PLACEMENT_TIMEOUT = float(os.environ.get("RAYGRAPH_PLACEMENT_TIMEOUT", "60"))


def acquire_named_device(name, actor_name, options, threads=0, blas_threads=0):
    """The shared actor `actor_name` for device `name`, created with `options` if it does not exist yet.

    Raises DeviceUnavailable when it cannot be placed (or reached) within RAYGRAPH_PLACEMENT_TIMEOUT."""
    import ray
    from .client import DeviceUnavailable
    actor = _actor_class().options(name=actor_name, get_if_exists=True, **options).remote(name, threads,
                                                                                            blas_threads)
    try:
        ray.get(actor.ping.remote(), timeout=PLACEMENT_TIMEOUT)
    except Exception as e:  # noqa: BLE001 - pending forever (no such node) or dead
        if type(e).__name__ == "GetTimeoutError":
            ray.kill(actor)
            raise DeviceUnavailable(name, f"its actor could not be placed within {PLACEMENT_TIMEOUT:.0f} s "
                                          f"(is there a node for it?)") from None
        raise DeviceUnavailable(name, str(e)) from None
    return DeviceHandle(name, actor)


def release_named_device(handle):
    """A client is done with a shared device: forget its plans there, keep the actor and its variables."""
    handle.close_channels()
    if handle.installed:
        try:
            handle.actor.uninstall.remote(sorted(handle.installed))
        except Exception:  # noqa: BLE001 - the actor may be gone
            pass


def reset_named_devices(prefix, namespace, containers=None):
    """Clears the state of every named device actor whose name starts with `prefix`."""
    import ray
    refs = []
    for entry in ray.util.list_named_actors(all_namespaces=True):
        if entry.get("namespace") == namespace and entry.get("name", "").startswith(prefix):
            try:
                actor = ray.get_actor(entry["name"], namespace=namespace)
                refs.append(actor.reset.remote(containers))
            except ValueError:
                continue
    for ref in refs:
        try:
            ray.get(ref, timeout=30)
        except Exception:  # noqa: BLE001 - a dead actor has nothing left to clear
            pass
