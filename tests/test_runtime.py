"""The device actors of local sessions: what a pooled actor keeps (or not) after its sessions end."""
import os
import subprocess
import sys
import time

import numpy as np


def _device_pid(sess):
    import ray
    client = sess._runtime.client
    return ray.get(client.handle(client.devices[0][0]).actor.info.remote())["pid"]


def _open(pid):
    """(descriptors, descriptors of shared-memory segments, mapped shared-memory segments) of a process."""
    fds = os.listdir(f"/proc/{pid}/fd")
    shm = 0
    for fd in fds:
        try:
            shm += "/psm_" in os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:  # closed meanwhile
            pass
    with open(f"/proc/{pid}/maps") as f:
        maps = sum("/psm_" in line for line in f)
    return len(fds), shm, maps


def test_a_pooled_device_keeps_no_descriptor_or_shared_memory_of_ended_sessions(rtf):
    """Issue 15.2: every session that fed through shared memory left its segment's descriptor (and with it
    the client's unlinked segment) in the pooled device: 2,000 sessions, 2,000 descriptors."""
    tf = rtf
    x = tf.placeholder(tf.float32, [None])
    total = tf.reduce_sum(x)
    feed = np.ones(1 << 18, np.float32)  # 1 MiB: through the channel's shared-memory segment
    baseline = {}
    for _ in range(200):
        with tf.Session() as sess:
            assert sess.run(total, {x: feed}) == feed.size
            pid = _device_pid(sess)
            if pid not in baseline:
                baseline[pid] = _open(pid)[0]
    for pid, before in baseline.items():
        for _ in range(100):  # the device lets go when it sees the connection close (at most 5 s)
            fds, shm, maps = _open(pid)
            if fds <= before and shm == 0 and maps == 0:
                break
            time.sleep(0.05)
        assert (shm, maps) == (0, 0) and fds <= before, (pid, before, fds, shm, maps)


_ALLOCATOR = """
import sys
import threading
import numpy as np
from scheduler import runtime
if sys.argv[1] == "device":
    runtime._keep_freed_memory()
def rss():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) << 10 for line in f if line.startswith("VmRSS:"))
def allocate():
    global freed, again, held
    a = np.ones(25_000_000, np.float32)   # 100 MB
    pin = np.ones(1000, np.float32)       # made after it: the freed array is not at the heap's top
    where, held = a.ctypes.data, rss()
    del a
    freed = held - rss()
    b = np.ones(25_000_000, np.float32)
    again = b.ctypes.data == where
    del b
    held = rss()
thread = threading.Thread(target=allocate)
thread.start()
thread.join()
runtime._give_back_memory()
print(freed, int(again), held - rss())
"""


def test_a_devices_large_arrays_stay_in_its_heap_until_it_gives_memory_back():
    """A device's malloc keeps a freed 100 MB array for the next one (the same memory, no fresh pages; a default
    process unmaps it at once and maps new pages for the next), also where a thread other than the main one
    allocates it (as kernels do; one arena, as the embedded runtime starts devices), and `_give_back_memory` (a
    session's end) returns it to the OS."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    runs = {}
    for kind in ("device", "default"):
        env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
        env.update({"MALLOC_ARENA_MAX": "1"} if kind == "device" else {})
        out = subprocess.run([sys.executable, "-c", _ALLOCATOR, kind], capture_output=True, text=True, cwd=root,
                             env={**env, "PYTHONPATH": root}, timeout=120)
        assert out.returncode == 0, out.stderr
        runs[kind] = [int(v) for v in out.stdout.split()]
    (freed, again, returned), (default_freed, _, _) = runs["device"], runs["default"]
    assert default_freed > 90e6 and freed < 10e6 and again, runs
    assert returned > 90e6, runs


_LEAN_HEAD = """
import os
import ray
import raygraph as tf
from ray._private import services, utils, worker
with tf.Session() as s:
    assert s.run(tf.constant(2.0) + 1.0) == 3.0
    print(sorted(worker._global_node.all_processes))
    client = s._runtime.client
    pid = ray.get(client.handle(client.devices[0][0]).actor.info.remote())["pid"]
    with open(f"/proc/{pid}/environ", "rb") as f:
        device_env = dict(v.split(b"=", 1) for v in f.read().split(b"\\0") if b"=" in v)
    print(device_env.get(b"MALLOC_ARENA_MAX"), os.environ.get("MALLOC_ARENA_MAX"))
    print(device_env.get(b"GLIBC_TUNABLES"), os.environ.get("GLIBC_TUNABLES"))
print(services.start_api_server.__name__, utils.get_dashboard_dependency_error.__name__, services.get_node.__name__)
"""


def test_the_embedded_runtime_starts_without_the_dashboards_api_server_and_restores_rays_functions():
    """A Session's embedded runtime: its head has no dashboard process (ray.init no longer waits for one), its
    steps run, and the three Ray functions replaced while ray.init ran are Ray's own again. Its device processes
    start with one malloc arena, and on AMD's CPUs with glibc's memcpy kept from `rep movsb` (runtime.py,
    device_environment); the program's environment is as it was."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if k not in ("RAY_ADDRESS", "MALLOC_ARENA_MAX", "GLIBC_TUNABLES")}
    out = subprocess.run([sys.executable, "-c", _LEAN_HEAD], capture_output=True, text=True, cwd=root,
                         env={**env, "PYTHONPATH": root}, timeout=120)
    assert out.returncode == 0, out.stderr
    processes, arenas, tunables, functions = out.stdout.strip().splitlines()[-4:]
    assert arenas == "b'1' None", arenas
    with open("/proc/cpuinfo") as f:
        amd = "AuthenticAMD" in f.read()
    expected = "b'glibc.cpu.x86_rep_movsb_threshold=0xffffffffffffffff'" if amd else "None"
    assert tunables == f"{expected} None", tunables
    assert "gcs_server" in processes and "raylet" in processes and "dashboard" not in processes, processes
    assert functions == "start_api_server get_dashboard_dependency_error get_node"
