"""Socket directories of device actors: a dead listener's is swept, a live or just-made one is kept, and
a process's device actors leave none behind when it exits."""
import os
import shutil
import socket
import subprocess
import sys
import tempfile

from scheduler import socket_dirs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _listening_dir(tmp, name):
    folder = tmp / f"{socket_dirs.PREFIX}{name}"
    folder.mkdir()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / socket_dirs.SOCKET))
    sock.listen(1)
    return folder, sock


def test_sweep_removes_only_what_dead_processes_left(tmp_path):
    dead, sock = _listening_dir(tmp_path, "dead")
    sock.close()  # the socket file stays; nobody listens on it any more
    live, listener = _listening_dir(tmp_path, "live")
    young = tmp_path / f"{socket_dirs.PREFIX}young"
    young.mkdir()  # being set up: no socket yet
    other = tmp_path / "other-dir"
    other.mkdir()
    try:
        assert socket_dirs.sweep(str(tmp_path)) == [str(dead)]
        assert live.exists() and young.exists() and other.exists() and not dead.exists()
    finally:
        listener.close()
    assert sorted(socket_dirs.sweep(str(tmp_path), grace=-1)) == sorted([str(live), str(young)])


LIFECYCLE = """
import raygraph as tf
with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as s:
    assert s.run(tf.constant(1.0) + 1.0) == 2.0
"""


def test_a_program_s_device_actors_leave_no_socket_directory():
    tmp = tempfile.mkdtemp(prefix="rg-life-", dir="/tmp")  # short: Ray's socket paths go under it too
    try:
        env = dict(os.environ, TMPDIR=tmp, PYTHONPATH=ROOT)
        env.pop("RAY_ADDRESS", None)
        run = subprocess.run([sys.executable, "-c", LIFECYCLE], capture_output=True, text=True, timeout=180,
                             env=env, cwd=ROOT)
        assert run.returncode == 0, run.stderr[-3000:]
        assert not [n for n in os.listdir(tmp) if n.startswith(socket_dirs.PREFIX)]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
