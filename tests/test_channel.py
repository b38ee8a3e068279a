"""The step protocol without Ray: framing over a socket pair, and a ChannelServer with its Channel."""
import socket
import threading
from multiprocessing.connection import Connection

import numpy as np
import pytest

from scheduler.channel import LARGE, Channel, ChannelClosed, ChannelServer, SharedBuffer, StepMessage, StepReply
from scheduler.channel import receive_message, send_message


@pytest.fixture
def pair():
    a, b = socket.socketpair()
    left, right = Connection(a.detach()), Connection(b.detach())
    yield left, right
    left.close()
    right.close()


def _message(feeds, timeout=None):
    return StepMessage(kind="run", plan_id="p-0", step_id="p-0/1", feeds=feeds, trace=False, timeout=timeout)


def _echo(left, right, obj, shm=None):
    """Sends obj from left while right reads it (large payloads would fill the socket buffer otherwise)."""
    sender = threading.Thread(target=send_message, args=(left, obj, shm))
    sender.start()
    out = receive_message(right, {})
    sender.join()
    return out


def test_a_small_step_message_comes_back_as_itself(pair):
    message = _message({("x", 0): np.float32(3.0)}, timeout=2.5)
    out = _echo(*pair, message)
    assert type(out) is StepMessage and out == message
    assert out.timeout == 2.5 and out.feeds[("x", 0)] == 3.0


def test_large_feeds_travel_as_raw_frames(pair):
    big = np.arange(LARGE, dtype=np.float64)
    out = _echo(*pair, _message({("x", 0): big}))
    np.testing.assert_array_equal(out.feeds[("x", 0)], big)


def test_large_feeds_travel_through_shared_memory(pair, monkeypatch):
    import scheduler.channel
    # one process is both ends here: the device side must not unregister the client's segment
    monkeypatch.setattr(scheduler.channel.resource_tracker, "unregister", lambda name, rtype: None)
    big = np.arange(LARGE, dtype=np.int64).reshape(64, -1)
    shm = SharedBuffer()
    try:
        out = _echo(*pair, _message({("x", 0): big}), shm)
        value = out.feeds[("x", 0)]
        np.testing.assert_array_equal(value, big)
        assert not value.flags.writeable  # read in place, read-only for the step
        del value, out
    finally:
        shm.close()


def test_replies_carry_values_or_errors_by_name(pair):
    ok = _echo(*pair, StepReply(kind="ok", values=[np.int32(7)], stats=None))
    assert ok.kind == "ok" and ok.values == [7] and ok.node is None
    error = _echo(*pair, StepReply(kind="error", node="div", error=ZeroDivisionError("division by zero")))
    assert error.kind == "error" and error.node == "div" and isinstance(error.error, ZeroDivisionError)
    assert _echo(*pair, StepReply(kind="timeout")) == StepReply(kind="timeout")


@pytest.fixture
def server():
    calls = []

    def handler(message):
        calls.append(message)
        if message.feeds.get("fail"):
            return StepReply(kind="error", node="n", error=ValueError("bad"))
        if message.feeds.get("hang"):
            threading.Event().wait(1.0)
        return StepReply(kind="ok", values=[sum(v for v in message.feeds.values())])
    srv = ChannelServer(handler, "127.0.0.1")
    srv.calls = calls
    yield srv
    srv.close()


@pytest.mark.parametrize("same_host", [True, False], ids=["unix", "tcp"])
def test_a_channel_round_trip(server, same_host):
    ch = Channel(server.addresses, server.authkey, same_host)
    try:
        ch.send(_message({"a": 2, "b": 3}))
        assert ch.receive(5.0) == StepReply(kind="ok", values=[5])
        ch.send(_message({"fail": 1}))
        reply = ch.receive(5.0)
        assert reply.kind == "error" and reply.node == "n" and str(reply.error) == "bad"
        assert [m.feeds for m in server.calls] == [{"a": 2, "b": 3}, {"fail": 1}]
    finally:
        ch.close()


def test_a_late_reply_is_a_timeout(server):
    ch = Channel(server.addresses, server.authkey, True)
    try:
        ch.send(_message({"hang": 1}))
        with pytest.raises(TimeoutError):
            ch.receive(0.05)
    finally:
        ch.close()


def test_a_wrong_key_is_refused(server):
    from multiprocessing import AuthenticationError
    with pytest.raises(AuthenticationError):
        Channel(server.addresses, b"not the key", True, timeout=2.0)


def test_a_device_that_went_away_is_channel_closed(pair):
    left, right = pair
    ch = Channel.__new__(Channel)  # a channel over the socket pair: no server needed
    ch.conn, ch.shm = left, None
    right.close()
    with pytest.raises(ChannelClosed):
        ch.receive(1.0)
    with pytest.raises(ChannelClosed):
        for _ in range(100):  # the first sends may still fit the socket's buffer
            ch.send(_message({"x": np.zeros(LARGE)}))
