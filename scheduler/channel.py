"""The step channel: a direct, authenticated connection from a client to a device actor.

A Ray actor call costs ~1 ms here; a message on a Unix socket ~50 us. So a device actor also listens
on a Unix socket (for clients on its machine) and a TCP port (for the others), and a client sends each
step's small message there. Ray still creates, places and supervises the actors and carries every
tensor that crosses devices; when the channel cannot connect, the client falls back to actor calls.

Each connection is served by its own thread; a message is a pickled `StepMessage`, the reply a
`StepReply` (the actor-call route carries the same two records). Large
array buffers (feeds, fetched values) travel beside the pickle, not inside it: from a client on the
same machine through a shared-memory segment it owns (the device reads them in place, read-only, for
the step; the mapping goes when the connection ends and no array views it), and back through one the
client offers with its message (ReplySegments: the values the caller gets view it, and it is offered again
once none does), else through one the device owns for the connection, up to KEEP bytes (the client copies the
values out before its next message lets the device write there again: a 4 MB fetch took a median 1.2-1.8 ms
on the socket, 1.0-1.2 so), otherwise as raw frames on the socket. The HMAC challenge of
`multiprocessing.connection` (with a per-actor random key handed out through Ray) keeps strangers out.

A process blocked on a socket gives its core back, and on the VMs measured here waking it again costs
~50-70 us (a socket round trip between two processes: 45-80 us blocking, 7-13 us polling). A step makes two
such waits (the device for the message, the client for the reply), so each end first polls its socket, while
its last wait took at most MAX_POLL seconds, for as long as that wait took and `SPIN` more: a cached tiny
step's round trip fell from 0.29-0.45 to 0.12-0.20 ms. Between polls it gives its core to any other thread
ready to run there (sched_yield): a client polling without yielding through mlp_train's steps took a core from
the device's kernels (~1.0 ms a step on 2 cores, against ~0.6 polling SPIN and then blocking), yielding it does
not (client's way alternated in blocks of steps in one session: mlp_train 0.72 -> 0.68 and 0.76 -> 0.66 ms,
embedding_train 0.97 -> 0.87; a tiny step 39 -> 40 us). Steps of ~5 ms (cnn_train) gained nothing from polling
through them (blocking 4.76 and 4.73 ms, polling 5.20 and 4.77), so a longer wait makes the next one block at once.

Connecting must never hang and strangers must not exhaust the device: the listen queues are deep
(a queue of 1 overflowed when a session's threads connected at once; the kernel then answered some TCP
connects with a SYN cookie and dropped their last ACK, leaving clients "connected" to nothing, waiting
for the server's challenge forever), both ends bound the handshake in time, and at most `MAX_PENDING`
unauthenticated connections are held at once (the rest wait in the kernel's queue).
"""
import copyreg
import io
import os
import pickle
import select
import socket
import struct
import sys
import tempfile
import threading
import time
from multiprocessing import resource_tracker, shared_memory
from multiprocessing.connection import Connection, answer_challenge, deliver_challenge
from typing import Any, NamedTuple

import numpy as np

LARGE = 1 << 16  # buffers from this size travel beside the pickle
KEEP = 64 << 20  # shared-memory segments up to this size are kept for reuse; a larger one only while steps need it
HANDSHAKE_TIMEOUT = 10.0  # seconds either end waits for the other's part of the handshake
MAX_PENDING = 16          # unauthenticated connections a device holds at once
BACKLOG = socket.SOMAXCONN
SPIN = float(os.environ.get("RAYGRAPH_CHANNEL_SPIN", "5e-4"))  # seconds an end polls beyond its last wait (0:
# never polls); 0.2 ms left chain_100's steps (~0.3 ms) to block, 1 ms gained nothing more than 0.5 ms
MAX_POLL = 0.002  # seconds a wait may have taken for the next one to poll (see above)
_yield = getattr(os, "sched_yield", lambda: None)


# ----- the step protocol -----------------------------------------------------------------------------------
class StepMessage(NamedTuple):
    """Run step `step_id` of the installed plan `plan_id` with `feeds` ({key: value})."""

    kind: str              # "run", or "repeat": run it again and again until a run fails (Device.repeat)
    plan_id: str
    step_id: str
    feeds: dict
    trace: bool            # whether to return per-node timings
    timeout: Any           # seconds, or None
    reply_to: Any = None   # the name of a segment of the client's for the reply's large values (ReplySegments)


class TensorFrame(NamedTuple):
    """One-way, device to device: the value of `key` for step `step_id` (wire.py's encoding; None is a
    control token, "dead" a dead branch's token). No reply."""

    kind: str              # "tensor"
    step_id: str
    key: Any
    value: Any


class StepReply(NamedTuple):
    """A device's answer to a StepMessage; `kind` says which fields mean something.

    "ok": `values` (the partition's fetches), `stats` (timings, when traced) and `output` (what its kernels
    printed, for the client's stdout and stderr); "error": `node` (None when the failure is not a kernel's) and `error`;
    "timeout" and "aborted": nothing more.
    """

    kind: str
    values: Any = None
    stats: Any = None
    node: Any = None
    error: Any = None
    output: tuple = ()  # (stream name, text) pairs printed by its kernels, in order


# ----- framing: one frame b"I" + pickle, or b"S"/b"C"/b"O"/b"R" + header then the pickle --------------------
def send_message(conn, obj, shm=None, reused=False, into=None):
    """Pickles `obj`; large buffers go into the shared-memory segment `shm` when given, else raw frames.
    `reused`: the sender writes its next message into the same segment, so the reader copies them out.
    `into`: a segment the reader offered for them (its ReplySegments), used when they fit."""
    large = []
    body = _pickled(obj, large)
    if not large:
        if shm is not None:
            shm.trim()
        conn.send_bytes(b"I" + body)
        return
    views = [b.raw() for b in large]
    sizes = [v.nbytes for v in views]
    if into is not None and sum(sizes) <= into.size:
        _write_at(into, views, sizes)
        conn.send_bytes(b"O" + pickle.dumps(sizes))
    elif shm is not None and not (reused and sum(sizes) > KEEP):   # (a huge reply: one copy less as raw frames)
        segment = shm.reserve(sum(sizes))
        _write_at(segment, views, sizes)
        conn.send_bytes((b"C" if reused else b"S") + pickle.dumps((segment.name, sizes)))
    else:
        conn.send_bytes(b"R" + pickle.dumps(sizes))
        fd = conn.fileno()
        for v in views:
            _write_all(fd, v)
    conn.send_bytes(body)


def _write_at(segment, views, sizes):
    at = 0
    for v, n in zip(views, sizes):
        segment.buf[at:at + n] = v
        at += n


def _pickled(obj, large):
    """`obj` pickled (protocol 5); the buffers of LARGE bytes or more go into `large`, out of band."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5, buffer_callback=lambda b: _keep_small(b, large))
    pickler.dispatch_table = _DISPATCH
    pickler.dump(obj)
    return out.getvalue()


def _reduce_array(a):
    """A contiguous array of a built-in dtype as its dtype's code, its shape and its buffer. numpy's own reduce
    pickles the dtype object and looks up its rebuilding function for every array: a step message with one
    small feed took 8.3 us to pickle, 6.2 so; a reply with one small value 12.0, 5.8; unpickling 5.7, 3.6."""
    if a.dtype.isbuiltin != 1 or a.dtype.hasobject or not a.flags.c_contiguous:
        return a.__reduce_ex__(5)   # (bfloat16 and the other dtypes of other packages, strided arrays)
    return _array, (a.dtype.str, a.shape, pickle.PickleBuffer(a))


def _array(code, shape, buffer):
    dtype = _DTYPES.get(code)
    if dtype is None:
        dtype = _DTYPES[code] = np.dtype(code)
    return np.frombuffer(buffer, dtype).reshape(shape)


class _Reducers(dict):
    """A pickler's dispatch table: ours, then copyreg's as it is now (with a table of its own, a pickler
    consults no other; reducers registered later still count)."""

    def __missing__(self, cls):
        return copyreg.dispatch_table[cls]


_DISPATCH = _Reducers({np.ndarray: _reduce_array})   # (subclasses of ndarray pickle as before)
_DTYPES = {}


def _write_all(fd, view):
    """Writes a whole buffer as one raw frame (its size was sent before it)."""
    while view.nbytes:
        view = view[os.write(fd, view):]


def _read_into(fd, size):
    """Reads one raw frame of `size` bytes straight into a new (uninitialized) array: no intermediate copies."""
    buf = np.empty(size, dtype=np.uint8)
    view, got = memoryview(buf), 0
    while got < size:
        n = os.readv(fd, [view[got:got + (8 << 20)]])
        if n == 0:
            raise EOFError("the connection closed inside a frame")
        got += n
    return buf


def _keep_small(buffer, large):
    if buffer.raw().nbytes < LARGE:
        return True  # stays in the pickle
    large.append(buffer)
    return False


def receive_message(conn, attached, offered=None):
    """The next object; `attached` caches the sender's shared-memory segments by name; `offered`: the
    ReplySegments whose offered segment the sender may have written into."""
    first = conn.recv_bytes()
    kind = first[:1]
    if kind not in (b"S", b"C") and attached:
        _release_large(attached)  # the sender released its large segment
    if kind == b"I":
        return pickle.loads(memoryview(first)[1:])
    if kind == b"O":
        return pickle.loads(conn.recv_bytes(), buffers=offered.views(pickle.loads(memoryview(first)[1:])))
    if kind == b"C":
        name, sizes = pickle.loads(memoryview(first)[1:])
        if offered is not None:
            offered.remember(sizes)   # (next time, a segment of the client's that fits them)
        return pickle.loads(conn.recv_bytes(), buffers=_copied(attached, name, sizes))
    if kind == b"S":
        name, sizes = pickle.loads(memoryview(first)[1:])
        segment = attached.get(name)
        if segment is None:  # the client grew its segment: retire the old one once no view uses it
            retired = attached.setdefault("retired", [])
            retired.extend(seg for key, seg in attached.items() if key != "retired")
            for key in [k for k in attached if k != "retired"]:
                del attached[key]
            attached["retired"] = [seg for seg in retired if not _closed(seg)]
            segment = attached[name] = _attach(name)
        buffers, at = [], 0
        for n in sizes:
            buffers.append(segment.buf[at:at + n].toreadonly())
            at += n
    else:
        fd = conn.fileno()
        buffers = [_read_into(fd, n) for n in pickle.loads(memoryview(first)[1:])]
    return pickle.loads(conn.recv_bytes(), buffers=buffers)


def _copied(attached, name, sizes):
    """Copies of the buffers the sender wrote into its segment `name` (which it writes again next time)."""
    segment = attached.get(name)
    if segment is None:   # the sender grew its segment: no array views the old one (only copies left it)
        release_attached(attached)
        segment = attached[name] = _attach(name)
    buffers, at = [], 0
    for n in sizes:
        buf = np.empty(n, dtype=np.uint8)
        buf[:] = np.frombuffer(segment.buf, np.uint8, n, at)
        buffers.append(buf)
        at += n
    return buffers


def _closed(segment):
    try:
        segment.close()
        return True
    except BufferError:  # arrays of a step still view it
        return False


class _Attached(shared_memory.SharedMemory):
    """A segment that arrays may view after its owner let it go: it closes when the last of them goes."""

    def __del__(self):
        try:
            super().__del__()
        except BufferError:
            pass


def _attach(name):
    segment = _Attached(name=name)
    # The mapping is all this process needs: holding the descriptor as well kept one open per session
    # (and the client's unlinked segment alive) whenever arrays still viewed it when the connection ended.
    os.close(segment._fd)
    segment._fd = -1
    try:  # the client owns the segment: this process must not unlink it at exit
        resource_tracker.unregister(segment._name, "shared_memory")
    except Exception:  # noqa: BLE001
        pass
    return segment


def _release_large(attached):
    """Unmaps attached segments larger than KEEP once no array views them: the client released them."""
    for name in [k for k, seg in attached.items() if k != "retired" and seg.size > KEEP]:
        if _closed(attached[name]):
            del attached[name]


def release_attached(attached):
    """Closes the segments a connection attached (those still viewed unmap when their last view goes)."""
    for key, seg in list(attached.items()):
        for segment in (seg if key == "retired" else [seg]):
            _closed(segment)
    attached.clear()


class SharedBuffer:
    """A process's shared-memory segment for one channel, replaced by a bigger one when needed. `tracked`: left to
    multiprocessing's resource tracker as well (which unlinks it should this process die); a device's are not: Ray
    ends a worker's child processes, its tracker among them, before the worker's exit handlers unlink its segments,
    and each unlink then relaunched a tracker that printed a KeyError traceback, in the client's terminal too."""

    def __init__(self, tracked=True):
        self.segment = None
        self.tracked = tracked

    def reserve(self, size):
        if self.segment is not None and self.segment.size > max(2 * size, KEEP):
            self.close()  # a large segment that this message does not need
        if self.segment is None or self.segment.size < size:
            self.close()
            # room to grow for segments kept between steps; an exact fit for one larger than KEEP (released after it)
            self.segment = shared_memory.SharedMemory(create=True, size=size if size > KEEP else
                                                      min(max(size, 1 << 20) * 2, KEEP))
            if not self.tracked:
                resource_tracker.unregister(self.segment._name, "shared_memory")
        return self.segment

    def trim(self):
        """Releases a segment larger than KEEP: a message without large buffers came (the device unmaps its
        side when it receives such a message, see `receive_message`)."""
        if self.segment is not None and self.segment.size > KEEP:
            self.close()

    def close(self):
        if self.segment is not None:
            self.segment.close()
            try:
                if self.tracked:
                    self.segment.unlink()
                else:
                    shared_memory._posixshmem.shm_unlink(self.segment._name)   # (unlink() tells the tracker)
            except FileNotFoundError:
                pass
            self.segment = None


class ReplySegments:
    """A client's shared-memory segments for its device to write a reply's large values into: the values come
    back as arrays viewing the segment (no copy out; a 4 MB fetch of bench/elementwise.py cost the client
    0.4-0.5 ms to copy). A segment is offered with a message only while no array views it (the arrays a
    caller keeps keep theirs; with none free the device's own segment is copied from, as before), and it is
    sized by the last reply whose values came through segments (the first such reply comes the copying way).
    A segment's memory is reserved when it is made: where /dev/shm is full the replies keep coming the copying
    way (a device writing into a segment whose pages cannot be had would die of SIGBUS).
    """

    COUNT = 2   # segments kept (and attached by the device)

    def __init__(self):
        self.entries = []   # [segment, a uint8 array over it, the array's reference count when nothing views it]
        self.want = 0       # bytes of large values in the last reply that had some (-1: no segments to be had)
        self.offered = None

    def offer(self):
        """The name of a segment for the next reply, or None; remembered for `views`."""
        self.offered = None
        if not 0 < self.want <= KEEP:
            return None
        free = [e for e in self.entries if sys.getrefcount(e[1]) == e[2]]
        entry = next((e for e in free if e[0].size >= self.want), None)
        if entry is None:
            if free:
                self._drop(free[0])
            elif len(self.entries) >= self.COUNT:
                return None   # the caller keeps arrays viewing each of them
            segment = _Attached(create=True, size=max(self.want, 1 << 20))
            try:
                os.posix_fallocate(segment._fd, 0, segment.size)
            except OSError:
                segment.close()
                segment.unlink()
                self.want = -1
                return None
            os.close(segment._fd)   # the mapping is all this needs
            segment._fd = -1
            entry = [segment, np.frombuffer(segment.buf, np.uint8), 0]
            entry[2] = sys.getrefcount(entry[1])
            self.entries.append(entry)
        self.offered = entry
        return entry[0].name

    def remember(self, sizes):
        """The sizes of a reply's large values: the next segment offered fits them."""
        if self.want >= 0:
            self.want = sum(sizes)

    def views(self, sizes):
        """The buffers of a reply written into the offered segment: arrays viewing it."""
        self.remember(sizes)
        base, at, out = self.offered[1], 0, []
        for n in sizes:
            out.append(base[at:at + n])
            at += n
        return out

    def _drop(self, entry):
        self.entries.remove(entry)
        entry[1] = None
        _closed(entry[0])   # (a segment that arrays still view stays mapped until the last of them goes)
        try:
            entry[0].unlink()
        except FileNotFoundError:
            pass

    def close(self):
        for entry in list(self.entries):
            self._drop(entry)
        self.offered = None


class Readable:
    """Waits for a connection's next message: where the previous wait took at most MAX_POLL seconds (the messages
    come one after another, each about as long after the last) and `may_poll()` allows it, polls for as long as
    that wait took and SPIN more, yielding its core between polls; else blocks at once. (A polling thread holds
    its process's GIL between polls: a device polls only while it runs no step.)"""

    def __init__(self, fd, may_poll=None):
        self.poller = select.poll()
        self.poller.register(fd, select.POLLIN)
        self.quick = True   # whether the next wait polls first
        self.last = 0.0     # seconds the previous wait took
        self.may_poll = may_poll or (lambda: True)

    def wait(self, timeout=None):
        """Whether the connection became readable (or closed) within `timeout` seconds (None: forever)."""
        start = time.perf_counter()
        if self.quick and SPIN > 0:
            limit = SPIN + self.last if timeout is None else min(SPIN + self.last, timeout)
            while time.perf_counter() - start < limit and self.may_poll():
                if self.poller.poll(0):
                    return self._waited(start, True)
                _yield()
        left = None if timeout is None else max(0.0, timeout - (time.perf_counter() - start)) * 1e3
        return self._waited(start, bool(self.poller.poll(left)))

    def _waited(self, start, ready):
        self.last = time.perf_counter() - start
        self.quick = self.last <= MAX_POLL
        return ready


class ChannelServer:
    """Listens on a Unix socket and a TCP port on `host`; calls `handler(message)` for each message received.

    `host` is 127.0.0.1 when every client is on this node (a local session), the node's address otherwise.
    A client's connection waits for its next step message polling first while `idle()` (see Readable); a
    peer's (tensor frames, which come while steps run) never polls.
    """

    def __init__(self, handler, host, handshake_timeout=HANDSHAKE_TIMEOUT, max_pending=MAX_PENDING, idle=None):
        self.handler = handler
        self.idle = idle
        self.authkey = os.urandom(32)
        self.handshake_timeout = handshake_timeout
        self._pending = threading.BoundedSemaphore(max_pending)  # a slot per connection not yet authenticated
        self._dir = tempfile.mkdtemp(prefix="raygraph-")
        self._path = os.path.join(self._dir, "step.sock")
        self._sockets = [_listen(socket.AF_UNIX, self._path), _listen(socket.AF_INET, (host, 0))]
        self.addresses = [self._path, self._sockets[1].getsockname()[:2]]
        self.host = socket.gethostname()
        self._closed = False
        for sock in self._sockets:
            threading.Thread(target=self._accept, args=(sock,), daemon=True,
                             name="raygraph-channel-accept").start()

    def _accept(self, listener):
        while not self._closed:
            try:
                sock, _ = listener.accept()
            except OSError:
                if self._closed:
                    return
                time.sleep(0.01)  # e.g. out of descriptors for a moment, or a connection reset before accept
                continue
            # At the limit this thread waits, holding this one connection; the rest wait in the kernel's queue.
            while not self._pending.acquire(timeout=0.5):
                if self._closed:
                    sock.close()
                    return
            threading.Thread(target=self._serve, args=(sock,), daemon=True, name="raygraph-channel").start()

    def _serve(self, sock):
        attached, offered = {}, {}   # the client's segments: for feeds, for replies (by name)
        replies = SharedBuffer(tracked=False) if sock.family == socket.AF_UNIX else None   # (a client on this machine)
        try:
            try:
                conn = _handshake(sock, self.handshake_timeout, deliver_challenge, answer_challenge, self.authkey)
            finally:
                self._pending.release()
            with conn:
                readable = Readable(conn.fileno(), self.idle)
                while True:
                    readable.wait()
                    raw = receive_message(conn, attached)
                    if raw[0] == "tensor":
                        readable.may_poll = lambda: False  # a peer's link
                    message = (TensorFrame if raw[0] == "tensor" else StepMessage)._make(raw)
                    del raw
                    into = _offered(offered, getattr(message, "reply_to", None)) if replies is not None else None
                    reply = self.handler(message)
                    del message  # its feeds may view a segment of `attached`
                    if reply is not None:  # tensor frames are one-way
                        # plain tuples on the wire: a named one pickles its class
                        send_message(conn, tuple(reply), replies, reused=True, into=into)
                        del reply
        except (EOFError, OSError, Exception):  # noqa: BLE001 - a broken, silent or hostile client ends its thread
            pass
        finally:
            release_attached(attached)
            release_attached(offered)
            if replies is not None:
                replies.close()

    def close(self):
        self._closed = True
        for sock in self._sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            except OSError:
                pass
            sock.close()
        for path in (self._path, self._dir):
            try:
                os.rmdir(path) if path == self._dir else os.unlink(path)
            except OSError:
                pass


def _offered(offered, name):
    """The client's segment `name` for a reply (None for none), attached once; the segments of the last
    ReplySegments.COUNT names stay attached (the client unlinked older ones)."""
    if name is None:
        return None
    segment = offered.pop(name, None)
    if segment is None:
        try:
            segment = _attach(name)
        except OSError:   # (not the client's to name: the reply goes the other way)
            return None
    offered[name] = segment   # (the most recent last)
    while len(offered) > ReplySegments.COUNT:
        _closed(offered.pop(next(iter(offered))))
    return segment


def _listen(family, address):
    sock = socket.socket(family)
    sock.bind(address)
    sock.listen(BACKLOG)
    return sock


def _handshake(sock, timeout, first, second, authkey):
    """The HMAC handshake on a connected socket, each read and write bounded by `timeout`; -> Connection.

    `Connection` needs a blocking descriptor, so the bound is the socket's SO_RCVTIMEO/SO_SNDTIMEO for the
    handshake, cleared afterwards. A peer that never speaks (or was dropped by the kernel) is an OSError."""
    try:
        sock.settimeout(None)
        _io_timeout(sock, timeout)
        conn = Connection(os.dup(sock.fileno()))
        try:
            first(conn, authkey)
            second(conn, authkey)
            _io_timeout(sock, 0)
        except BaseException:
            conn.close()
            raise
        return conn
    finally:
        sock.close()  # the Connection holds its own descriptor of the socket


def _io_timeout(sock, seconds):
    whole = int(seconds)
    value = struct.pack("ll", whole, int((seconds - whole) * 1e6))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, value)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, value)


class ChannelClosed(Exception):
    """The device at the other end went away (or never answered)."""


class Channel:
    """One client connection to a device: `call(message, timeout)` -> reply."""

    def __init__(self, addresses, authkey, same_host, timeout=10.0):
        self.conn, family = connect(addresses, authkey, same_host, timeout)
        self.shm = SharedBuffer() if family == "AF_UNIX" else None
        self.replies = ReplySegments() if family == "AF_UNIX" else None
        self.readable = Readable(self.conn.fileno())
        self.attached = {}   # the device's segment for large values in replies

    def send(self, message):
        if self.replies is not None and type(message) is StepMessage:
            message = message._replace(reply_to=self.replies.offer())
        try:
            send_message(self.conn, tuple(message), self.shm)
        except (OSError, EOFError) as e:
            raise ChannelClosed(str(e)) from None

    def receive(self, timeout=None):
        """The next reply; TimeoutError after `timeout` seconds, ChannelClosed if the device died."""
        try:
            if self.readable.wait(timeout):
                return StepReply._make(receive_message(self.conn, self.attached, self.replies))
        except (OSError, EOFError) as e:
            raise ChannelClosed(str(e)) from None
        raise TimeoutError()  # outside the try: TimeoutError is an OSError, not a closed channel

    def close(self):
        try:  # shutdown first: it wakes a thread blocked in receive() (a session closing under a waiting run)
            with socket.socket(fileno=os.dup(self.conn.fileno())) as sock:
                sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.conn.close()
        except OSError:
            pass
        if self.shm is not None:
            self.shm.close()
        if self.replies is not None:
            self.replies.close()
        release_attached(self.attached)


def connect(addresses, authkey, same_host, timeout=10.0):
    """An authenticated connection to a channel server: its Unix socket when on the same host, else TCP.
    -> (Connection, family); ChannelClosed when neither answers."""
    errors = []
    for address in addresses:
        if isinstance(address, str) and not same_host:
            continue
        family = "AF_UNIX" if isinstance(address, str) else "AF_INET"
        try:
            return _connect(address, family, authkey, timeout), family
        except (OSError, EOFError) as e:
            errors.append(e)
    raise ChannelClosed(f"could not connect to the device's step channel: {errors}")


def _connect(address, family, authkey, timeout):
    """Client() with a bounded connect and handshake (a dead or silent peer must not hang the caller)."""
    sock = socket.socket(socket.AF_UNIX if family == "AF_UNIX" else socket.AF_INET)
    try:
        sock.settimeout(timeout)
        sock.connect(address)
        if family == "AF_INET":
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except BaseException:
        sock.close()
        raise
    return _handshake(sock, timeout, answer_challenge, deliver_challenge, authkey)

