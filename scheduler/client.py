"""The client half of the engine: a session's devices, its plans, and running one step on them.

`Client.plan()` builds a Plan from the graph table (see plan.py) and gives it an id; `run_step()`
installs the plan on its devices the first time (one actor call each, in parallel), then sends each
device its step message — over the step channel when there is one — and collects the replies. A
failure on one device aborts the step on the others; a device that went away is reported as such.
"""
import itertools
import sys
import threading
import time
import uuid
from multiprocessing.connection import wait

from .channel import ChannelClosed, StepMessage
from .plan import build_plan

INSTALL_TIMEOUT = 120.0  # seconds a device actor may take to accept a plan (its start included)


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
        self._lock = threading.Lock()  # several client threads may create handles or install plans
        self._ids = itertools.count()
        self._prefix = uuid.uuid4().hex[:8]
        self._installed = set()  # ids of the plans installed on their devices
        self._repeats = {}       # step id -> device of each step repeating in its device now
        self.closed = False

    def handle(self, device):
        h = self.handles.get(device)
        if h is None:
            with self._lock:
                if self.closed:  # a run racing with close() must not acquire devices nobody releases
                    raise DeviceUnavailable(device, "the session was closed")
                h = self.handles.get(device)
                if h is None:
                    h = self.handles[device] = self._acquire(device)
        return h

    def plan(self, table, fetches, targets, feeds):
        return build_plan(table, fetches, targets, feeds, self.devices, self.soft_placement,
                          plan_id=f"{self._prefix}-{next(self._ids)}")

    def _install(self, plan):
        import ray
        with self._lock:
            if plan.id in self._installed:
                return
        devices = list(plan.partitions)
        handles = {d: self.handle(d) for d in devices}
        peers = {d: (handles[d].actor, handles[d].channel_info) for d in devices}  # links between devices
        refs = {d: handles[d].actor.install.remote(plan.id, plan.partitions[d], peers) for d in devices}
        for d, ref in refs.items():
            try:
                ray.get(ref, timeout=INSTALL_TIMEOUT)  # a device that cannot take its plan is lost, not waited for
            except Exception as e:  # noqa: BLE001 - Ray's actor errors
                raise _unavailable(d, e) from None
        for d in devices:
            handles[d].installed.add(plan.id)
        self._installed.add(plan.id)

    def run_step(self, plan, feeds, trace=False, timeout=None):
        """Runs one step of `plan` with `feeds` ({(node, output): value}); returns (values, stats)."""
        if plan.id not in self._installed:
            self._install(plan)
        step_id = f"{plan.id}/{next(self._ids)}"
        parts = plan.partitions
        if len(parts) == 1:
            (device,) = parts
            used = feeds if len(feeds) == len(plan.feed_routes) else {k: feeds[k] for k in plan.feed_routes}
            message = StepMessage(kind="run", plan_id=plan.id, step_id=step_id, feeds=used, trace=trace,
                                  timeout=timeout)
            replies = {device: self._call(device, message)}
        else:
            replies = self._call_all(plan, step_id, feeds, trace, timeout)
        for reply in replies.values():
            for stream, text in reply.output:  # what kernels printed in the devices, before run returns
                getattr(sys, stream).write(text)
            if reply.output:
                sys.stdout.flush()
                sys.stderr.flush()
        values = {device: reply.values for device, reply in replies.items()}
        stats = {device: reply.stats for device, reply in replies.items()}
        out = []
        for route in plan.fetch_routes:
            if route[0] == "fed":
                out.append(feeds[route[1]])
            else:
                out.append(values[route[0]][route[1]])
        return out, stats

    def run_repeatedly(self, plan, feeds):
        """Runs a one-device plan's step again and again inside its device until a step fails (raised as in
        `run_step`; "aborted" when `close` stopped it). For queue runners: no round trip per step."""
        if plan.id not in self._installed:
            self._install(plan)
        (device,) = plan.partitions
        step_id = f"{plan.id}/{next(self._ids)}"
        with self._lock:
            if self.closed:
                raise DeviceUnavailable(device, "the session was closed")
            self._repeats[step_id] = device
        try:
            self._call(device, StepMessage(kind="repeat", plan_id=plan.id, step_id=step_id,
                                           feeds={k: feeds[k] for k in plan.feed_routes}, trace=False, timeout=None))
        finally:
            with self._lock:
                self._repeats.pop(step_id, None)

    def _call(self, device, message):
        h = self.handle(device)
        ch = h.channel()
        try:
            if ch is None:
                import ray
                reply = ray.get(h.actor.run.remote(message))
            else:
                ch.send(message)
                reply = ch.receive(None if message.timeout is None else message.timeout + 5.0)
        except TimeoutError:
            h.drop_channel()  # a late reply would desynchronize this connection
            raise StepTimeout() from None
        except ChannelClosed as e:
            h.drop_channel()
            raise DeviceUnavailable(device, str(e)) from None
        except Exception as e:  # noqa: BLE001 - Ray's actor errors
            raise _unavailable(device, e) from None
        return _check(device, reply)

    def _call_all(self, plan, step_id, feeds, trace, timeout):
        """Sends every device its message, then takes replies as they come (any order). The first failure
        aborts the step on the others; replies still missing soon after that drop their channel."""
        import ray
        channels, refs, replies, errors = {}, {}, {}, []
        for device in plan.partitions:
            dev_feeds = {k: feeds[k] for k, devs in plan.feed_routes.items() if device in devs}
            message = StepMessage(kind="run", plan_id=plan.id, step_id=step_id, feeds=dev_feeds, trace=trace,
                                  timeout=timeout)
            h = self.handle(device)
            ch = h.channel()
            try:
                if ch is None:
                    refs[device] = h.actor.run.remote(message)
                else:
                    ch.send(message)
                    channels[ch.conn] = (device, ch)
            except ChannelClosed as e:
                h.drop_channel()
                errors.append(DeviceUnavailable(device, str(e)))
        deadline = None if timeout is None else time.monotonic() + timeout + 5.0
        if errors:
            self._abort(plan, step_id)
            deadline = time.monotonic() + 5.0
        while channels or refs:
            wait_for = 0.02 if refs else (None if deadline is None else max(0.0, deadline - time.monotonic()))
            for conn in wait(list(channels), timeout=wait_for) if channels else ():
                device, ch = channels.pop(conn)
                self._take(device, lambda: ch.receive(), replies, errors, plan, step_id)
            if refs:
                done, _ = ray.wait(list(refs.values()), num_returns=len(refs), timeout=0 if channels else 0.02)
                for device in [d for d, r in refs.items() if r in done]:
                    ref = refs.pop(device)
                    self._take(device, lambda: ray.get(ref), replies, errors, plan, step_id)
            if errors and deadline is None:
                deadline = time.monotonic() + 5.0
            if deadline is not None and time.monotonic() > deadline and (channels or refs):
                for device, ch in channels.values():
                    self.handle(device).drop_channel()  # its late reply must not reach a later step
                errors.append(StepTimeout())
                self._abort(plan, step_id)
                break
        if errors:
            raise errors[0]
        return replies

    def _take(self, device, receive, replies, errors, plan, step_id):
        """Records one device's reply, or its failure (aborting the step on the first one)."""
        try:
            replies[device] = _check(device, receive())
            return
        except (StepFailed, StepTimeout, DeviceUnavailable) as e:
            error = e
        except ChannelClosed as e:
            self.handle(device).drop_channel()
            error = DeviceUnavailable(device, str(e))
        except Exception as e:  # noqa: BLE001 - Ray's actor errors
            error = DeviceUnavailable(device, str(e))
        if isinstance(error, StepFailed) and error.error is None and errors:
            return  # "aborted" because of an earlier failure: report that one
        if not errors:
            self._abort(plan, step_id)
        errors.append(error)

    def _abort(self, plan, step_id):
        for device in plan.partitions:
            try:
                self.handle(device).actor.abort.remote(step_id)
            except Exception:  # noqa: BLE001 - a dead device has nothing to abort
                pass

    def close(self):
        with self._lock:
            self.closed = True
            handles, self.handles = self.handles, {}
            repeats = dict(self._repeats)
        import ray
        if not ray.is_initialized():
            # Ray shut down (at exit, ray.shutdown's atexit hook runs before a garbage collection that may
            # reach an unclosed session) and took this process's actors with it; calling into Ray now would
            # start a new runtime during interpreter finalization and block forever. The step channels are
            # this process's own (no Ray call): close them, so their shared-memory segments are unlinked
            # (else Python's resource_tracker warns of leaked shared_memory objects at exit).
            for h in handles.values():
                close_channels = getattr(h, "close_channels", None)
                if close_channels is not None:
                    try:
                        close_channels()
                    except Exception:  # noqa: BLE001 - best effort at exit
                        pass
            return
        for step_id, device in repeats.items():  # stop steps repeating in devices before letting them go
            try:
                handles[device].actor.abort.remote(step_id)
            except Exception:  # noqa: BLE001 - a dead device repeats nothing
                pass
        for h in handles.values():
            self._release(h)


def _unavailable(device, error):
    """`error` from a Ray call to `device`'s actor: DeviceUnavailable if it says the actor is gone (died or
    unreachable), else `error` unchanged."""
    from ray.exceptions import RayActorError
    if isinstance(error, RayActorError):
        return DeviceUnavailable(device, str(error))
    return error


def _check(device, reply):
    """The reply if it is "ok"; else its failure, raised."""
    kind = reply.kind
    if kind == "ok":
        return reply
    if kind == "error":
        raise StepFailed(device, reply.node, reply.error)
    if kind == "timeout":
        raise StepTimeout()
    if kind == "aborted":
        raise StepFailed(device, None, None)
    raise RuntimeError(f"unexpected reply {kind!r} from {device}")
