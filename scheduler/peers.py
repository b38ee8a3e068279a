"""Links between devices: the tensors of a step go straight to the device that reads them.

A device that sends to another opens (once) a connection to the receiver's step channel (channel.py: a
Unix socket on the same host, TCP across hosts, the same HMAC handshake with the receiver's key, which
the client hands to each device with the plan) and keeps it while both live. Each link has a sender
thread and a queue: a device's sends to several peers go out concurrently, and the thread that produced
a value never waits on a socket (so no two devices can block each other writing while their readers
run kernels). A frame is a one-way `TensorFrame` carrying wire.py's Arrow-backed encoding; numeric
buffers travel as raw frames beside a small pickle.

A link that cannot be opened is None: that peer gets its tensors as Ray object refs (`deliver` actor
calls), the fallback. A link that breaks fails the steps whose tensors it could not deliver
(`on_error`), and is dropped, so a later step reconnects or falls back.
"""
import queue
import socket
import threading

from .channel import ChannelClosed, TensorFrame, connect, send_message
from .wire import encode

CONNECT_TIMEOUT = 10.0


class PeerLink:
    """One device's connection to another device, with its own sender thread."""

    def __init__(self, name, info, on_error):
        addresses, authkey, host = info
        self.name = name
        self.conn, _ = connect(addresses, authkey, host == socket.gethostname(), CONNECT_TIMEOUT)
        self.on_error = on_error  # (step id, peer name, exception) when a frame could not be sent
        self.broken = None
        self._queue = queue.SimpleQueue()
        threading.Thread(target=self._run, daemon=True, name=f"raygraph-send-{name.split('/')[-1]}").start()

    def send(self, step_id, key, value):
        """Queues `value` (a tensor, None for a control token, or "dead") for `key` of step `step_id`."""
        self._queue.put((step_id, key, value))

    def _run(self):
        get, conn = self._queue.get, self.conn
        while True:
            item = get()
            if item is None:
                return
            step_id, key, value = item
            if self.broken is None:
                try:
                    payload = value if value is None or isinstance(value, str) else encode(value)
                    send_message(conn, tuple(TensorFrame("tensor", step_id, key, payload)))
                    continue
                except (OSError, EOFError, ChannelClosed) as e:
                    self.broken = e
            self.on_error(step_id, self.name, self.broken)

    def close(self):
        self._queue.put(None)
        try:
            self.conn.close()
        except OSError:
            pass
