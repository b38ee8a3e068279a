"""The directories of device actors' step sockets on a host: `<tmp>/raygraph-XXXX/step.sock`.

A device actor's ChannelServer (channel.py) makes its directory with `tempfile.mkdtemp(prefix=PREFIX)`,
so under TMPDIR (else /tmp). The actor removes it when it exits cleanly (`Device.close`, at exit); one
killed outright (`ray.kill`, a node or `ray.shutdown` ending its process) cannot, so each new device
actor first sweeps the host: a directory whose socket refuses connections has no listener left.
"""
import errno
import os
import shutil
import socket
import tempfile
import time

PREFIX = "raygraph-"
SOCKET = "step.sock"
GRACE = 60.0  # s: a directory younger than this and still without a socket may be being set up


def remove(socket_path):
    """Removes the directory of the socket at `socket_path` (a directory of ours only)."""
    folder = os.path.dirname(socket_path)
    if os.path.basename(folder).startswith(PREFIX):
        shutil.rmtree(folder, ignore_errors=True)


def sweep(tmp=None, grace=GRACE):
    """Removes the socket directories under `tmp` that dead processes left; returns their paths."""
    tmp = tmp or tempfile.gettempdir()
    try:
        names = [n for n in os.listdir(tmp) if n.startswith(PREFIX)]
    except OSError:
        return []
    removed = []
    for name in names:
        folder = os.path.join(tmp, name)
        if _abandoned(folder, grace):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _abandoned(folder, grace):
    path = os.path.join(folder, SOCKET)
    try:
        if not os.path.exists(path):
            return time.time() - os.stat(folder).st_mtime > grace and not os.listdir(folder)
    except OSError:  # someone else's directory, or gone already
        return False
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(path)
        except OSError as e:
            return e.errno in (errno.ECONNREFUSED, errno.ENOENT)
    return False  # a live listener: it answered
