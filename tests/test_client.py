"""The client's step calls and reply handling without Ray: a fake handle whose channel is an in-process Device."""
import pickle

import numpy as np
import pytest

from scheduler.channel import ChannelClosed, StepReply
from scheduler.client import Client, DeviceUnavailable, StepFailed, StepTimeout, _check
from scheduler.device import Device
from scheduler.plan import NodeSpec

CPU0 = ("/job:localhost/replica:0/task:0/device:CPU:0", ("localhost", 0, 0, "CPU", 0))


class FakeChannel:
    """A step channel that hands each message (pickled, as on a socket) to a Device in this process."""

    def __init__(self, device, fail=None):
        self.device, self.fail, self.replies = device, fail, []

    def send(self, message):
        self.replies.append(self.device.handle(pickle.loads(pickle.dumps(message))))

    def receive(self, timeout=None):
        if self.fail is not None:
            raise self.fail
        return pickle.loads(pickle.dumps(self.replies.pop(0)))


class FakeHandle:
    def __init__(self, device, fail=None):
        self.actor = None
        self.installed = set()
        self.ch = FakeChannel(device, fail)
        self.dropped = 0

    def channel(self):
        return self.ch

    def drop_channel(self):
        self.dropped += 1


@pytest.fixture
def device():
    d = Device(CPU0[0], threads=2)
    yield d
    d.pool.shutdown()


def _client(device, fail=None):
    handle = FakeHandle(device, fail)
    client = Client([CPU0], acquire=lambda name: handle, release=lambda h: None)
    table = {"x": NodeSpec(name="x", op_type="Placeholder"),
             "y": NodeSpec(name="y", op_type="Neg", kernel=lambda at, x: -x, inputs=(("x", 0),)),
             "z": NodeSpec(name="z", op_type="Div", kernel=lambda at, x: 1 // x, inputs=(("x", 0),))}

    def plan(fetches):
        p = client.plan(table, fetches, [], [("x", 0)])
        device.install(p.id, p.partitions[CPU0[0]], {})  # what _install does through Ray
        client._installed.add(p.id)
        return p
    return client, handle, plan


def test_values_come_back_in_fetch_order_with_fed_fetches_from_the_feeds(device):
    client, _, plan = _client(device)
    p = plan([("y", 0), ("x", 0)])
    assert p.id and p.fetch_routes == [(CPU0[0], 0), ("fed", ("x", 0))]
    values, stats = client.run_step(p, {("x", 0): np.int64(4)})
    assert values == [-4, 4] and stats == {CPU0[0]: None}
    values, stats = client.run_step(p, {("x", 0): 1}, trace=True)
    assert values == [-1, 1] and [s[0] for s in stats[CPU0[0]]] == ["y"]


def test_a_kernel_failure_raises_step_failed_with_device_and_node(device):
    client, _, plan = _client(device)
    with pytest.raises(StepFailed) as info:
        client.run_step(plan([("z", 0)]), {("x", 0): 0})
    assert (info.value.device, info.value.node) == (CPU0[0], "z")
    assert isinstance(info.value.error, ZeroDivisionError)


def test_a_closed_channel_is_device_unavailable_and_drops_the_channel(device):
    client, handle, plan = _client(device, fail=ChannelClosed("peer gone"))
    with pytest.raises(DeviceUnavailable, match="peer gone"):
        client.run_step(plan([("y", 0)]), {("x", 0): 1})
    assert handle.dropped == 1


def test_no_reply_in_time_is_a_step_timeout_and_drops_the_channel(device):
    client, handle, plan = _client(device, fail=TimeoutError())
    with pytest.raises(StepTimeout):
        client.run_step(plan([("y", 0)]), {("x", 0): 1}, timeout=0.1)
    assert handle.dropped == 1


def test_check_turns_each_reply_kind_into_a_value_or_an_exception():
    ok = StepReply(kind="ok", values=[1])
    assert _check("d", ok) is ok
    with pytest.raises(StepFailed) as info:
        _check("d", StepReply(kind="error", node="n", error=ValueError("v")))
    assert (info.value.device, info.value.node, str(info.value.error)) == ("d", "n", "v")
    with pytest.raises(StepTimeout):
        _check("d", StepReply(kind="timeout"))
    with pytest.raises(StepFailed) as info:
        _check("d", StepReply(kind="aborted"))
    assert info.value.node is None and info.value.error is None
    with pytest.raises(RuntimeError, match="unexpected reply 'huh'"):
        _check("d", StepReply(kind="huh"))
