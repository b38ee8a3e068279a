"""The client half of the engine: a session's devices, its plans, and running one step on them.

`Client.plan()` builds a Plan from the graph table (see plan.py) and gives it an id; `run_step()`
installs the plan on its devices the first time (one actor call each, in parallel), then sends each
device its step message — over the step channel when there is one — and collects the replies. A
failure on one device aborts the step on the others; a device that went away is reported as such.
"""
import itertools
import uuid

from .channel import ChannelClosed
from .plan import build_plan


class StepFailed(Exception):
    """A kernel raised `error` while running node `node` on `device`."""

    def __init__(self, device, node, error):
        super().__init__(device, node, error)
        self.device, self.node, self.error = device, node, error


class DeviceUnavailable(Exception):
    """The actor of `device` died or cannot be reached."""

    def __init__(self, device, detail):
        super().__init__(f"{device}: {detail}")
        self.device, self.detail = device, detail


class StepTimeout(Exception):
    """The step did not finish within its deadline."""


class Client:
    """One session's view of its devices: `devices` is [(name, (job, replica, task, type, index))]."""

    def __init__(self, devices, acquire, release, soft_placement=False):
        self.devices = list(devices)
        self._acquire, self._release = acquire, release
        self.soft_placement = soft_placement
        self.handles = {}
        self._ids = itertools.count()
        self._prefix = uuid.uuid4().hex[:8]

    def handle(self, device):
        h = self.handles.get(device)
        if h is None:
            h = self.handles[device] = self._acquire(device)
        return h

    def plan(self, table, fetches, targets, feeds):
        plan = build_plan(table, fetches, targets, feeds, self.devices, self.soft_placement)
        plan.id = f"{self._prefix}-{next(self._ids)}"
        plan.installed = False
        return plan

    def _install(self, plan):
        import ray
        devices = list(plan.partitions)
        handles = {d: self.handle(d) for d in devices}
        peers = {d: handles[d].actor for d in devices}
        ray.get([handles[d].actor.install.remote(plan.id, plan.partitions[d], peers) for d in devices])
        plan.installed = True

    def run_step(self, plan, feeds, trace=False, timeout=None):
        """Runs one step of `plan` with `feeds` ({(node, output): value}); returns (values, stats)."""
        if not plan.installed:
            self._install(plan)
        step_id = f"{plan.id}/{next(self._ids)}"
        parts = plan.partitions
        if len(parts) == 1:
            (device,) = parts
            replies = {device: self._call(device, (
                "run", plan.id, step_id, feeds if not plan.feed_routes or len(feeds) == len(plan.feed_routes)
                else {k: feeds[k] for k in plan.feed_routes}, trace, timeout))}
        else:
            replies = self._call_all(plan, step_id, feeds, trace, timeout)
        values, stats = {}, {}
        for device, (kind, a, b) in replies.items():
            values[device], stats[device] = a, b
        out = []
        for route in plan.fetch_routes:
            if route[0] == "fed":
                out.append(feeds[route[1]])
            else:
                out.append(values[route[0]][route[1]])
        return out, stats

    def _call(self, device, message):
        h = self.handle(device)
        ch = h.channel()
        try:
            if ch is None:
                import ray
                reply = ray.get(h.actor.run.remote(message))
            else:
                ch.send(message)
                reply = ch.receive(None if message[5] is None else message[5] + 5.0)
        except TimeoutError:
            h.drop_channel()  # a late reply would desynchronize this connection
            raise StepTimeout() from None
        except ChannelClosed as e:
            h.drop_channel()
            raise DeviceUnavailable(device, str(e)) from None
        except Exception as e:  # noqa: BLE001 - Ray's actor errors
            if type(e).__name__ in ("RayActorError", "ActorDiedError", "ActorUnavailableError"):
                raise DeviceUnavailable(device, str(e)) from None
            raise
        return _check(device, reply)

    def _call_all(self, plan, step_id, feeds, trace, timeout):
        import ray
        sent, pending_refs, replies, first_error = [], {}, {}, None
        for device in plan.partitions:
            dev_feeds = {k: feeds[k] for k, devs in plan.feed_routes.items() if device in devs}
            message = ("run", plan.id, step_id, dev_feeds, trace, timeout)
            h = self.handle(device)
            ch = h.channel()
            try:
                if ch is None:
                    pending_refs[device] = h.actor.run.remote(message)
                else:
                    ch.send(message)
                    sent.append((device, ch))
            except ChannelClosed as e:
                h.drop_channel()
                first_error = first_error or DeviceUnavailable(device, str(e))
        if first_error is not None:
            self._abort(plan, step_id)
        for device, ch in sent:
            try:
                replies[device] = _check(device, ch.receive())
            except (StepFailed, StepTimeout, DeviceUnavailable) as e:
                if first_error is None:
                    first_error = e
                    self._abort(plan, step_id)
            except ChannelClosed as e:
                self.handle(device).drop_channel()
                if first_error is None:
                    first_error = DeviceUnavailable(device, str(e))
                    self._abort(plan, step_id)
        for device, ref in pending_refs.items():
            try:
                replies[device] = _check(device, ray.get(ref))
            except Exception as e:  # noqa: BLE001
                if first_error is None:
                    first_error = e if isinstance(e, (StepFailed, StepTimeout)) else DeviceUnavailable(device, str(e))
                    self._abort(plan, step_id)
        if first_error is not None:
            raise first_error
        return replies

    def _abort(self, plan, step_id):
        for device in plan.partitions:
            try:
                self.handle(device).actor.abort.remote(step_id)
            except Exception:  # noqa: BLE001 - a dead device has nothing to abort
                pass

    def close(self):
        handles, self.handles = self.handles, {}
        for h in handles.values():
            self._release(h)


def _check(device, reply):
    kind = reply[0]
    if kind == "ok":
        return reply
    if kind == "error":
        raise StepFailed(device, reply[1], reply[2])
    if kind == "timeout":
        raise StepTimeout()
    if kind == "aborted":
        raise StepFailed(device, None, None)
    raise RuntimeError(f"unexpected reply {kind!r} from {device}")
