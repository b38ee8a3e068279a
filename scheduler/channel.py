"""The step channel: a direct, authenticated connection from a client to a device actor.

A Ray actor call costs ~1 ms here; a message on a Unix socket ~50 us. So a device actor also listens
on a Unix socket (for clients on its machine) and a TCP port (for the others), and a client sends each
step's small message there. Ray still creates, places and supervises the actors and carries every
tensor that crosses devices; when the channel cannot connect, the client falls back to actor calls.

Each connection is served by its own thread; a message is a pickled tuple, the reply likewise. The
HMAC challenge of `multiprocessing.connection` (with a per-actor random key handed out through Ray)
keeps strangers out.
"""
import os
import pickle
import socket
import tempfile
import threading
from multiprocessing.connection import Connection, Listener, answer_challenge, deliver_challenge


class ChannelServer:
    """Listens on a Unix socket and a TCP port; calls `handler(message)` for each message received."""

    def __init__(self, handler, host):
        self.handler = handler
        self.authkey = os.urandom(32)
        self._dir = tempfile.mkdtemp(prefix="raygraph-")
        self._listeners = [Listener(os.path.join(self._dir, "step.sock"), family="AF_UNIX"),
                           Listener((host, 0), family="AF_INET")]
        self.addresses = [listener.address for listener in self._listeners]
        self.host = socket.gethostname()
        self._closed = False
        for listener in self._listeners:
            threading.Thread(target=self._accept, args=(listener,), daemon=True,
                             name="raygraph-channel-accept").start()

    def _accept(self, listener):
        while not self._closed:
            try:
                conn = listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True, name="raygraph-channel").start()

    def _serve(self, conn):
        try:
            deliver_challenge(conn, self.authkey)
            answer_challenge(conn, self.authkey)
            while True:
                message = pickle.loads(conn.recv_bytes())
                reply = self.handler(message)
                conn.send_bytes(pickle.dumps(reply, protocol=5))
        except (EOFError, OSError, Exception):  # noqa: BLE001 - a broken or hostile client ends its thread
            conn.close()

    def close(self):
        self._closed = True
        for listener in self._listeners:
            try:
                listener.close()
            except OSError:
                pass


class ChannelClosed(Exception):
    """The device at the other end went away (or never answered)."""


class Channel:
    """One client connection to a device: `call(message, timeout)` -> reply."""

    def __init__(self, addresses, authkey, same_host, timeout=10.0):
        errors = []
        for address in addresses:
            if isinstance(address, str) and not same_host:
                continue
            try:
                family = "AF_UNIX" if isinstance(address, str) else "AF_INET"
                self.conn = _connect(address, family, authkey, timeout)
                return
            except (OSError, EOFError) as e:
                errors.append(e)
        raise ChannelClosed(f"could not connect to the device's step channel: {errors}")

    def send(self, message):
        try:
            self.conn.send_bytes(pickle.dumps(message, protocol=5))
        except (OSError, EOFError) as e:
            raise ChannelClosed(str(e)) from None

    def receive(self, timeout=None):
        """The next reply; TimeoutError after `timeout` seconds, ChannelClosed if the device died."""
        try:
            if timeout is not None and not self.conn.poll(timeout):
                raise TimeoutError()
            return pickle.loads(self.conn.recv_bytes())
        except (OSError, EOFError) as e:
            raise ChannelClosed(str(e)) from None

    def close(self):
        try:
            self.conn.close()
        except OSError:
            pass


def _connect(address, family, authkey, timeout):
    """Client() with a bounded connect and handshake (a dead peer must not hang the caller)."""
    sock = socket.socket(socket.AF_UNIX if family == "AF_UNIX" else socket.AF_INET)
    sock.settimeout(timeout)
    sock.connect(address)
    if family == "AF_INET":
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.settimeout(None)  # Connection needs a blocking descriptor; replies are awaited with poll()
    conn = Connection(sock.detach())
    answer_challenge(conn, authkey)
    deliver_challenge(conn, authkey)
    return conn

