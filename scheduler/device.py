"""A device: the Ray actor that holds one device's variables and runs its partition of each step.

It keeps installed partitions by plan id, the steps in flight by step id, and an inbox for tensors that
other devices sent before this device started the step. Steps arrive over the step channel (or as
actor calls when no channel can be opened); tensors from other devices arrive as frames on links
between the devices (peers.py), or as `deliver` calls carrying object refs where no link can be opened.
"""
import atexit
import collections
import os
import pickle
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

from . import intra_op, socket_dirs
from .channel import ChannelServer, StepMessage, StepReply
from .peers import PeerLink
from .executor import Step, StepError, ThreadedDispatch
from .resources import collect_output, DEAD, Resources, running_step, VariableRef, write_output
from .straight_line import run_in_order
from .trials import BALANCED, busy
from .wire import decode, encode


_CLOCK = time.time() - time.perf_counter()  # perf_counter -> seconds since the epoch


def _close_at_exit(device_ref):
    device = device_ref()
    if device is not None:
        device.close()


class Aborted(Exception):
    """The client cancelled this step (another device failed, or the deadline passed)."""


class _Lean:
    """The step that the kernels of a lean step (run in order, without the executor's Step table: a step
    alone, or a repeated step's repetitions) run in, as `resources.step_cancelled` sees it: its `error` is
    set when the client aborts it."""

    __slots__ = ("error",)

    def __init__(self):
        self.error = None


class Device:
    """One device's state and step handling (the body of the device actor)."""

    def __init__(self, name, threads=0, blas_threads=0):
        socket_dirs.sweep()  # what killed device actors left on this host
        atexit.register(_close_at_exit, weakref.ref(self))
        self.name = name
        self.resources = Resources()
        self.resources.device = name
        self.partitions = {}     # plan id -> (Partition, {device name: (actor handle, channel info or None)})
        self.links = {}          # (device name, channel info) -> PeerLink, or None where none could be opened
        self.repeating = {}      # step id of a repeated step -> (Event that stops it, its current repetition's id
                                 # or, repeated lean, its _Lean)
        self.use_links = os.environ.get("RAYGRAPH_DEVICE_LINKS", "1") != "0"  # 0: every tensor as an object ref
        self.steps = {}          # step id -> Step (or _Lean), while running
        self.inbox = {}          # step id -> {key: value} that came before the step
        self.ended = collections.OrderedDict()  # recently ended step ids: late deliveries are dropped
        self.lock = threading.Lock()
        # the thread that takes a step's message runs nodes too: the pool adds one thread fewer than cores
        self.threads = threads or max(1, (os.cpu_count() or 1) - 1)
        self.side_by_side = min(self.threads + 1, os.cpu_count() or 1)  # threads running kernels side by side
        self.pool = ThreadPoolExecutor(self.threads, thread_name_prefix=f"raygraph-{name.split('/')[-1]}")
        # A step with a deadline starts in a thread of its own (its message's thread only waits), never
        # queued behind the pool: a hung kernel there must not make other steps miss their deadlines.
        self.starters = ThreadPoolExecutor(256, thread_name_prefix="raygraph-step")
        self.parallel = _IntraOp(blas_threads or os.cpu_count() or 1)
        self.dispatch = ThreadedDispatch(self.pool)
        self.server = None
        self.sent_bytes = 0      # tensor bytes sent to other devices (for benchmarks)
        self.sends = {"link": 0, "ref": 0}  # values and tokens sent over links / as Ray object refs
        self.runs = {"messages": 0, "repeated": 0}  # step messages taken / steps run by `repeat`

    # ----- lifecycle ---------------------------------------------------------------------------------
    def info(self):
        """Where this device runs: node id, IP, process id, and its device name."""
        import ray
        ctx = ray.get_runtime_context()
        return {"node_id": ctx.get_node_id(), "ip": ray.util.get_node_ip_address(), "pid": os.getpid(),
                "device": self.name}

    def channel(self, local=False):
        """Opens (once) and describes the step channel: (addresses, authkey, hostname).

        `local`: every client is on this node (a local session's device), so TCP listens on loopback only;
        shared devices of a cluster listen on the node's address."""
        with self.lock:
            if self.server is None:
                self.server = ChannelServer(self.handle, "127.0.0.1" if local else _node_address(),
                                            idle=lambda: not (self.steps or self.repeating))
        return self.server.addresses, self.server.authkey, self.server.host

    def rename(self, name):
        self.name = self.resources.device = name

    def install(self, plan_id, partition, peers):
        self.partitions[plan_id] = (partition, peers)

    def uninstall(self, plan_ids):
        for plan_id in plan_ids:
            self.partitions.pop(plan_id, None)

    def reset(self, containers=None):
        """Forgets variables (all, or those of the given containers) and, when all, installed plans and links."""
        self.resources.clear(containers)
        if containers is None:
            self.partitions.clear()
            with self.lock:
                self.inbox.clear()
                links, self.links = self.links, {}
            for link in links.values():
                if link is not None:
                    link.close()

    def ping(self):
        return self.name

    def close(self):
        """Closes the step channel and removes its socket directory (also done at the process's exit)."""
        for link in self.links.values():
            if link is not None:
                link.close()
        self.links = {}
        server, self.server = self.server, None
        if server is not None:
            server.close()
            socket_dirs.remove(server.addresses[0])

    # ----- steps ---------------------------------------------------------------------------------------
    def handle(self, message):
        """A StepMessage -> its StepReply; never raises (failures are replies). A TensorFrame from another
        device is taken in (no reply)."""
        if not isinstance(message, StepMessage):  # a TensorFrame
            value = message.value
            value = DEAD if isinstance(value, str) else decode(value)
            # The link's reader must go on reading: a kernel made ready here may block (a dequeue) until a
            # later frame on this same link arrives, so the ops it releases run in another thread.
            self.deliver_value(message.step_id, message.key, value, self.starters.submit)
            return None
        if message.kind == "repeat":
            return self.repeat(message)
        self.runs["messages"] += 1
        return self._reply(message)

    run = handle  # the actor-call route to the same thing

    def _reply(self, message):
        """Runs the step of a StepMessage; -> its StepReply (failures are replies)."""
        try:
            values, stats, output = self.run_step(message.plan_id, message.step_id, message.feeds, message.trace,
                                                  message.timeout)
            return StepReply(kind="ok", values=values, stats=stats, output=output)
        except StepError as e:
            return StepReply(kind="error", node=e.node_name, error=_portable(e.error))
        except TimeoutError:
            return StepReply(kind="timeout")
        except Aborted:
            return StepReply(kind="aborted")
        except Exception as e:  # noqa: BLE001 - reported to the client, which raises it
            return StepReply(kind="error", error=_portable(e))

    def repeat(self, message):
        """Runs the step of `message` again and again, here, until one fails or the client aborts it (a queue
        runner's enqueue: no client round trip per element). -> the reply that ended it ("aborted" if stopped).

        A step of this device alone, untraced and without deadline, repeats in this thread with the in-order
        runner (no Step table, hand-offs or per-node timing: a repetition costs its kernels); others repeat as
        whole steps."""
        part = self.partitions[message.plan_id][0]
        lean = not (part.signals or part.recvs or message.trace or message.timeout is not None)
        stop, token, n = threading.Event(), _Lean(), 0
        try:
            while True:
                with self.lock:  # `abort` sees the repetition about to run (or stops the loop before it)
                    if stop.is_set():
                        return StepReply(kind="aborted")
                    inner = f"{message.step_id}/{n}"
                    self.repeating[message.step_id] = (stop, token if lean else inner)
                reply = self._repetition(message, part, token) if lean else \
                    self._reply(message._replace(kind="run", step_id=inner))
                n += 1
                self.runs["repeated"] += 1
                if reply.kind != "ok":
                    return reply
                for stream, text in reply.output:
                    write_output(text, stream)
        finally:
            with self.lock:
                self.repeating.pop(message.step_id, None)

    def _repetition(self, message, part, token):
        """One lean repetition (see `repeat`): its reply. A blocking kernel gives up once `token` is aborted."""
        output = []
        try:
            self._lean(part, message.feeds, token, output)
        except Aborted:
            return StepReply(kind="aborted")
        except StepError as e:
            return StepReply(kind="error", node=e.node_name, error=_portable(e.error))
        return StepReply(kind="ok", values=[], stats=None, output=output)

    def _lean(self, part, feeds, token, output):
        """Runs `part` compiled in order in this thread (straight_line.py) as the lean step `token`, what its
        kernels print going into `output`: -> the fetched values. Raises Aborted once the client aborted it
        (a blocking kernel gives up then), else StepError for a failing kernel."""
        collect_output(output)
        running_step(token)
        try:
            values = run_in_order(part, feeds, self.resources.bind)
        except StepError as e:
            raise Aborted() if token.error is not None else e from None
        finally:
            collect_output(None)
            running_step(None)
        if token.error is not None:
            raise Aborted()
        return values

    def run_step(self, plan_id, step_id, feeds, trace, timeout):
        part, peers = self.partitions[plan_id]
        plain = timeout is None and not trace and not part.send_targets and not part.recvs
        if plain:   # in order, when it is alone and its trial says so (no Step table needed)
            lean = self._in_order(part, step_id, feeds)
            if lean is not None:
                return lean
        send = (lambda key, value: self._send(peers, part, step_id, key, value)) if part.send_targets else None
        step = Step(part, self.resources.bind, feeds, send, trace)
        with self.lock:
            if step_id in self.ended:
                raise Aborted()
            self.steps[step_id] = step
            early = self.inbox.pop(step_id, {})
        try:
            for key, value in early.items():
                self.dispatch(step, step.receive(key, value))
            trial = part.trial
            alone = len(self.steps) == 1
            split = alone and trial.way(retry=not trace)
            started = time.perf_counter()
            intra_op.enable(split, busy=len(self.repeating))
            step.spread = not split  # kernels that split themselves need no other threads
            if timeout is None:
                self.dispatch.serve(step, part.roots)
            else:  # with a deadline this thread only waits: a slow kernel cannot hold it past the deadline
                self.starters.submit(self.dispatch, step, part.roots)
            if not step.done.wait(timeout):
                step.fail(None, TimeoutError())  # cancelled: nodes not started yet will not run
                raise TimeoutError()
            if isinstance(step.error, StepError) and isinstance(step.error.error, Aborted):
                raise step.error.error
            values = step.results()
            if alone:  # (a step beside others is slowed by them, whichever way it ran)
                trial.ran(split, time.perf_counter() - started)
                trial.keep_if(lambda: busy(part.deps, part.dependents, part.costs, self.side_by_side) >= BALANCED)
        except BaseException:
            for stream, text in step.output:  # a failed step's printed output is not lost: this device prints it
                write_output(text, stream)
            raise
        finally:
            with self.lock:
                self.steps.pop(step_id, None)
                self._ended(step_id)
        stats = None
        if trace:
            nodes = part.nodes  # (a loop that overlaps its iterations adds its body's nodes themselves)
            stats = [(node.name, node.op_type, start + _CLOCK, end + _CLOCK, thread)
                     for node, start, end, thread in ((nodes[i] if isinstance(i, int) else i, *times)
                                                      for i, *times in step.stats)]
        return values, stats, step.output

    def _in_order(self, part, step_id, feeds):
        """Runs an untraced step without deadline, sends or receives lean (`_lean`), when it is the device's
        only step and its trial chose kernels that split themselves over the cores (the executor would keep
        every node in this thread anyway): -> (values, None, output). None (nothing run) when the step should
        go through the executor instead."""
        token = _Lean()
        with self.lock:
            if step_id in self.ended:
                raise Aborted()
            if self.steps or not part.trial.way():
                return None
            self.steps[step_id] = token
        output = []
        try:
            started = time.perf_counter()
            intra_op.enable(True, busy=len(self.repeating))
            values = self._lean(part, feeds, token, output)
            part.trial.ran(True, time.perf_counter() - started)
        except BaseException:
            for stream, text in output:  # a failed step's printed output is not lost: this device prints it
                write_output(text, stream)
            raise
        finally:
            with self.lock:
                self.steps.pop(step_id, None)
                self._ended(step_id)
        return values, None, output

    def _send(self, peers, part, step_id, key, value):
        """Sends a value (or a control token) to the devices that read `key`: over their links, else as an
        object ref in Ray's object store (one object, read by every such device)."""
        if isinstance(value, VariableRef):
            value = value.read()  # a variable ref leaves its device as its value
        token = value is None or value is DEAD
        if token:
            value = "dead" if value is DEAD else None
        else:
            self.sent_bytes += getattr(value, "nbytes", 0) * len(part.send_targets[key])
        payload = None
        for device in part.send_targets[key]:
            actor, info = peers[device]
            link = self._link(device, info)
            if link is not None:
                link.send(step_id, key, value)
                self.sends["link"] += 1
                continue
            self.sends["ref"] += 1
            if payload is None:
                import ray
                payload = value if token else [ray.put(encode(value))]
            actor.deliver.remote(step_id, key, payload)

    def _link(self, device, info):
        if info is None or not self.use_links:
            return None
        key = (device, info[2], tuple(map(str, info[0])))
        link = self.links.get(key, False)
        if link is False:
            with self.lock:
                link = self.links.get(key, False)
                if link is False:
                    try:
                        link = PeerLink(device, info, self._link_failed)
                    except Exception:  # noqa: BLE001 - no link: this peer gets object refs
                        link = None
                    self.links[key] = link
        elif link is not None and link.broken is not None:
            with self.lock:
                self.links.pop(key, None)
            link.close()
            return self._link(device, info)
        return link

    def _link_failed(self, step_id, device, error):
        """A tensor of step `step_id` could not reach `device`: that step fails here (the client aborts the rest)."""
        with self.lock:
            step = self.steps.get(step_id)
        if step is not None:
            step.fail(None, ConnectionError(f"lost the connection to {device} sending a tensor: {error}"))

    def deliver(self, step_id, key, refs):
        """A tensor (as [object ref]) or a control token (None, or "dead") for `key` of step `step_id`."""
        if refs is None or refs == "dead":
            value = None if refs is None else DEAD
        else:
            import ray
            value = decode(ray.get(refs[0]))
        self.deliver_value(step_id, key, value)

    def deliver_value(self, step_id, key, value, run=None):
        """Takes in the value of `key` for step `step_id`; the ops it makes ready run in this thread (or
        through `run(function, *args)`)."""
        with self.lock:
            step = self.steps.get(step_id)
            if step is None:
                if step_id not in self.ended:
                    self.inbox.setdefault(step_id, {})[key] = value
                return
        try:
            ready = step.receive(key, value)
        except Exception as e:  # noqa: BLE001 - e.g. a key this partition does not receive
            step.fail(None, e)
            return
        if ready:
            if run is None:
                self.dispatch(step, ready)
            else:
                run(self.dispatch, step, ready)

    def _ended(self, step_id):
        self.ended[step_id] = True
        while len(self.ended) > 4096:
            self.ended.popitem(last=False)

    def abort(self, step_id):
        """Ends step `step_id` here with Aborted (and drops anything that arrived for it); a repeated step
        stops, its running repetition aborted."""
        with self.lock:
            repeating = self.repeating.get(step_id)
            if repeating is not None:
                repeating[0].set()
        if repeating is not None:
            current = repeating[1]
            if isinstance(current, _Lean):
                current.error = Aborted()  # a lean repetition's blocking kernel gives up
            else:
                self.abort(current)  # running, or about to start (then it starts aborted: `ended`)
            return
        with self.lock:
            step = self.steps.get(step_id)
            self.inbox.pop(step_id, None)
            self._ended(step_id)
        if isinstance(step, _Lean):
            step.error = Aborted()
        elif step is not None:
            with step.lock:
                if step.error is None:
                    step.error = StepError(None, Aborted())
            step.end()

    def counters(self):
        return {"sent_bytes": self.sent_bytes, "link_sends": self.sends["link"], "ref_sends": self.sends["ref"],
                "step_messages": self.runs["messages"], "repeated_steps": self.runs["repeated"]}

    def variables(self):
        """{(container, name): value} of this device (for tests and checkpoints)."""
        return {k: v for k, v in self.resources.variables.items()}

    def sleep(self, seconds):
        time.sleep(seconds)


def _node_address():
    import ray
    return ray.util.get_node_ip_address()


def _portable(error):
    """The error itself if it survives pickling, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(error).__name__}: {error}")


class _IntraOp:
    """The device's intra-op parallelism (intra_op_parallelism_threads; default: the node's cores).

    BLAS runs single-threaded (see intra_op.py); large products split over `threads` threads in the steps
    of a partition where that ran faster than independent kernels side by side on the device's threads (its
    `trial`, timing steps that ran alone)."""

    def __init__(self, threads):
        try:
            from threadpoolctl import threadpool_limits
            threadpool_limits(1, user_api="blas")
        except Exception:  # noqa: BLE001 - no BLAS to control
            pass
        intra_op.configure(threads)
