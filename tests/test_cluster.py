"""TF1 jobs and tasks on real (simulated multi-node) Ray clusters, each scenario in its own process.

The scenarios in tests/cluster/ start a `ray.cluster_utils.Cluster` (a head and three nodes) and print
one RESULT line. The README's sequence runs against a head these tests start with `ray start` (token
authentication on, as Ray 2.60 has it by default; its own temp dir and ports; stopped by PID): `ray job
submit`, sessions on ray:// and host:port targets that find the token themselves, and a client without
the token. Every node and client here gets a fresh HOME, so no token of this machine's user leaks in.
"""
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import pytest
import yaml

from raygraph.test import _free_ports   # distinct ports, each held bound until all are picked

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.dirname(sys.executable)


def _scenario(name, timeout=240):
    """Runs tests/cluster/<name>: its Cluster's nodes and client use token authentication, as Ray's
    clusters do by default, with a token of their own (RAY_AUTH_TOKEN) and a fresh HOME."""
    home = tempfile.mkdtemp(prefix="rg-home-")
    env = _env(home, RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(32))
    try:
        proc = subprocess.run([sys.executable, os.path.join(HERE, "cluster", name)], capture_output=True,
                              text=True, timeout=timeout, cwd=ROOT, env=env)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    assert lines, f"no result (exit {proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return json.loads(lines[-1][len("RESULT "):])


def test_ps_worker_training_runs_each_task_on_its_node():
    out = _scenario("ps_worker.py")
    nodes = out["node_of"]
    actors = out["actor_nodes"]
    assert actors["/job:ps/replica:0/task:0/device:CPU:0"] == nodes["ps:0"]
    assert actors["/job:worker/replica:0/task:0/device:CPU:0"] == nodes["worker:0"]
    # checked from inside: an op placed on each worker task reports the node it ran on
    assert out["placed"] == {"worker:0": nodes["worker:0"], "worker:1": nodes["worker:1"]}
    # two clients (between-graph replication) trained the same ps variables
    assert out["global_step"] == 120
    assert max(out["losses"].values()) < 1e-6 < out["first_loss"]
    assert out["w"] == pytest.approx([1.0, -2.0, 0.5], abs=1e-3)


def test_sync_replicas_two_workers_average_their_gradients_on_the_ps_task():
    out = _scenario("sync_replicas.py")
    assert out["errors"] == []
    devices = out["devices"]
    assert devices["sync_token_q"] == devices["w"] == devices["global_step"] == "/job:ps/task:0"
    assert devices["sync_rep_local_step"] == "/job:worker/task:0"       # each worker's own, as TF1 colocates it
    accumulators = [d for n, d in devices.items() if "accumulator" in n.lower()]   # w's and b's, and their ops
    assert len(accumulators) >= 2 and set(accumulators) == {"/job:ps/task:0"}
    # synchronous: 40 updates took 80 or more gradients (two per update, stale ones dropped) from both workers
    steps = out["worker_steps"]
    assert out["global_step"] == 40 and min(steps.values()) >= 10 and sum(steps.values()) >= 2 * 40
    assert out["loss"] < 1e-3 < out["first_loss"]
    assert out["w"] == pytest.approx([1.0, -2.0, 0.5], abs=2e-2)


def test_losing_a_worker_node_is_unavailable_and_training_resumes_from_checkpoint():
    out = _scenario("node_loss.py")
    assert out["error"] == "UnavailableError"
    assert "/job:worker/replica:0/task:1" in out["message"]
    assert out["restored_step"] == 10
    assert out["final_step"] == 40
    assert out["final_loss"] < out["loss_after_restore"]


def test_unreachable_or_silent_targets_fail_within_the_bound(tf):
    """A closed port, and a port that accepts and never answers, are UnavailableError within
    operation_timeout_in_ms (30 s without it), for GCS and Ray client targets alike."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    start = time.perf_counter()
    with pytest.raises(tf.errors.UnavailableError):
        tf.Session(f"127.0.0.1:{closed}")
    assert time.perf_counter() - start < 5
    config = tf.ConfigProto(operation_timeout_in_ms=1000)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel accepts connections; nobody ever answers on them
        port = silent.getsockname()[1]
        for target in (f"127.0.0.1:{port}", f"ray://127.0.0.1:{port}"):
            start = time.perf_counter()
            with pytest.raises(tf.errors.UnavailableError, match="within 1 s"):
                tf.Session(target, config=config)
            assert time.perf_counter() - start < 3, target
    with pytest.raises(tf.errors.InvalidArgumentError, match="Session"):
        tf.Session("grpc://localhost:2222")


def test_cluster_yaml_passes_rays_validation():
    from ray.autoscaler._private.util import prepare_config, validate_config
    with open(os.path.join(ROOT, "cluster.yaml")) as f:
        config = yaml.safe_load(f)
    validate_config(prepare_config(config))
    assert config["provider"]["type"] == "local"
    assert any("raygraph" in c for c in config["setup_commands"])
    # token authentication on every node, with the launching machine's token
    assert config["file_mounts"]["~/.ray/auth_token"] == "~/.ray/auth_token"
    for key in ("head_start_ray_commands", "worker_start_ray_commands"):
        starts = [c for c in config[key] if " start " in c]
        assert starts and all("RAY_AUTH_MODE=token" in c for c in starts), key


def test_gpus_that_ray_reports_become_gpu_devices():
    out = _scenario("fake_gpu.py", timeout=120)
    gpu, cpu = "/job:localhost/replica:0/task:0/device:GPU:0", "/job:localhost/replica:0/task:0/device:CPU:0"
    assert out["devices"] == sorted([cpu, gpu])
    assert out["value"] == [3.0, 5.0]
    assert out["dev_stats"] == sorted([cpu, gpu])
    assert out["missing_gpu"] == "InvalidArgumentError"
    assert out["soft"] == [9.0, 15.0]


# ----- a head started as the README says (`ray start`, token authentication on), and its clients ----------
def _env(home, **extra):
    """This machine's environment for a client or node with HOME=`home` and no Ray address or auth setting
    of its own (these tests decide them), importing this checkout's raygraph."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("RAY_ADDRESS", "RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH")}
    env["HOME"] = str(home)
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")  # jobs run with the Python that started Ray
    env["PYTHONPATH"] = ROOT
    env.update(extra)
    return env


def _pids_under(path):
    """The processes whose command line mentions `path` (our head's temp dir)."""
    pids = []
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    if path.encode() in f.read():
                        pids.append(int(pid))
            except OSError:
                continue
    return pids


def _kill_under(temp):
    """Ends the processes of the head under `temp` by PID (never `ray stop`)."""
    for _ in range(3):
        for pid in _pids_under(temp):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.5)


def _stop_head(temp):
    """Ends the head's processes, then removes its temp dir."""
    _kill_under(temp)
    shutil.rmtree(temp, ignore_errors=True)


@pytest.fixture(scope="module")
def token_head(tmp_path_factory):
    """`ray start --head` on 127.0.0.1 with token authentication, as cluster.yaml starts a head.

    Its HOME is a fresh one where `ray get-auth-token --generate` made the token (the launching machine's
    step in the README); device actors' sockets and Ray's files go under its own temp dir."""
    home = tmp_path_factory.mktemp("head-home")
    temp = tempfile.mkdtemp(prefix="rg-head-", dir="/tmp")  # short: Ray's socket paths live under it
    env = _env(home, RAY_AUTH_MODE="token", TMPDIR=temp)
    try:
        subprocess.run([os.path.join(BIN, "ray"), "get-auth-token", "--generate"], check=True,
                       capture_output=True, text=True, timeout=60, env=env)
        for _ in range(3):   # a port picked free may be taken before Ray binds it: pick again
            ports = dict(zip(("gcs", "dashboard", "client", "agent"), _free_ports(4)))
            start = subprocess.run(
                [os.path.join(BIN, "ray"), "start", "--head", "--node-ip-address=127.0.0.1",
                 f"--port={ports['gcs']}", f"--dashboard-port={ports['dashboard']}", "--dashboard-host=127.0.0.1",
                 "--include-dashboard=true", f"--temp-dir={temp}", "--num-cpus=2", "--disable-usage-stats",
                 f"--ray-client-server-port={ports['client']}", f"--dashboard-agent-listen-port={ports['agent']}"],
                capture_output=True, text=True, timeout=120, env=env, cwd=temp)
            if start.returncode == 0:
                break
            _kill_under(temp)   # what the failed start left running
        assert start.returncode == 0, (start.stdout + start.stderr)[-4000:]
        yield {"home": home, "temp": temp, **ports}
    finally:
        _stop_head(temp)
    assert not os.path.exists(temp)


def test_ray_job_submit_as_the_readme_says_succeeds_with_token_auth(token_head):
    home, dash = token_head["home"], f"http://127.0.0.1:{token_head['dashboard']}"
    env = _env(home, RAY_AUTH_MODE="token")  # the README's `RAY_AUTH_MODE=token ray job submit ...`
    deadline = time.monotonic() + 120
    while True:   # a head just started may not have its job agent yet: Ray says to try again later
        job = subprocess.run(
            [os.path.join(BIN, "ray"), "job", "submit", f"--address={dash}", "--working-dir", ROOT,
             "--", "python", "examples/ps_worker_training.py", "--steps", "40"],
            capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
        output = job.stdout + job.stderr
        if "No available agent to submit job" not in output or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert job.returncode == 0, output[-4000:]
    assert "TRAINED" in output and "NOT TRAINED" not in output, output[-4000:]
    assert "/job:ps/replica:0/task:1" in output and "/job:worker/replica:0/task:1" in output
    job_id = re.search(r"raysubmit_\w+", output).group(0)
    status = subprocess.run(
        [sys.executable, "-c", "import sys; from ray.job_submission import JobSubmissionClient; "
         "print(JobSubmissionClient(sys.argv[1]).get_job_status(sys.argv[2]))", dash, job_id],
        capture_output=True, text=True, timeout=60, env=env)
    assert status.stdout.strip().endswith("SUCCEEDED"), status.stdout + status.stderr


@pytest.mark.parametrize("kind", ["ray", "gcs"])
def test_session_on_a_token_cluster_finds_the_token_by_itself(token_head, kind):
    """No RAY_AUTH_MODE on the client: the token in ~/.ray/auth_token is enough (ray:// and host:port)."""
    target = f"ray://127.0.0.1:{token_head['client']}" if kind == "ray" else f"127.0.0.1:{token_head['gcs']}"
    command = [sys.executable, "examples/ps_worker_training.py", "--target", target, "--steps", "10"]
    for _ in range(3):
        run = subprocess.run(command, capture_output=True, text=True, timeout=180, env=_env(token_head["home"]),
                             cwd=ROOT)
        output = run.stdout + run.stderr
        # The Ray client proxy starts a server process per client, on a fixed port range (23000+) that other
        # Ray clusters on a shared machine also use; seen here (under heavy load, with or without token
        # authentication) that process dying at once, which the proxy reports as one of these. Ray's bug,
        # not raygraph's: the next try gets the next port.
        if "Starting Ray client server failed" not in output and "ZombieProcess" not in output:
            break
    assert run.returncode == 0, output[-4000:]
    assert "TRAINED" in output and "NOT TRAINED" not in output, output[-4000:]
    assert "InvalidAuthToken" not in output


MISSING_TOKEN = """
import json, sys, time
import raygraph as tf
out = {}
for target in sys.argv[1:]:
    start = time.perf_counter()
    try:
        tf.Session(target)
        out[target] = ["no error", 0, ""]
    except tf.errors.OpError as e:
        out[target] = [type(e).__name__, time.perf_counter() - start, e.message]
print("RESULT " + json.dumps(out))
"""


def test_a_token_cluster_without_a_token_says_how_to_give_one_within_5s(token_head, tmp_path):
    targets = [f"127.0.0.1:{token_head['gcs']}", f"ray://127.0.0.1:{token_head['client']}"]
    run = subprocess.run([sys.executable, "-c", MISSING_TOKEN, *targets], capture_output=True, text=True,
                         timeout=120, env=_env(tmp_path), cwd=ROOT)  # a fresh HOME: no ~/.ray/auth_token
    lines = [ln for ln in run.stdout.splitlines() if ln.startswith("RESULT ")]
    assert lines, run.stdout[-3000:] + run.stderr[-3000:]
    for target, (error, seconds, message) in json.loads(lines[0][len("RESULT "):]).items():
        assert error == "UnauthenticatedError", (target, error, message)
        assert seconds < 5, (target, seconds)
        assert "requires token authentication" in message and "no token" in message
        assert "RAY_AUTH_TOKEN" in message and "~/.ray/auth_token" in message and "ray get-auth-token" in message
    assert run.stderr.count("InvalidAuthToken") < 2, run.stderr[-3000:]  # no log flood


def test_ops_without_a_device_go_to_the_masters_task_as_in_tf1():
    """No extra client device: the master is the session's own task, else task 0 of chief/master/worker."""
    from types import SimpleNamespace
    from raygraph.cluster_spec import ClusterSpec
    from raygraph.cluster_targets import cluster_devices, master_task

    def table(*jobs):
        return {f"n{i}": SimpleNamespace(device=(job, None, task, None, None)) for i, (job, task) in enumerate(jobs)}
    graph = table(("ps", 0), ("ps", 1), ("worker", 1), (None, None))
    assert master_task(None, graph) == ("worker", 1)  # no spec: the lowest worker task the graph names
    assert master_task(None, table(("worker", 2), ("worker", None))) == ("worker", 0)
    assert cluster_devices(None, None, graph)[0] == "/job:worker/replica:0/task:1/device:CPU:0"
    assert not any("localhost" in d for d in cluster_devices(None, None, graph))
    assert cluster_devices(None, ("ps", 1), graph)[0].startswith("/job:ps/replica:0/task:1/")
    spec = ClusterSpec({"ps": ["a:1"], "chief": ["b:1"], "worker": ["c:1", "d:1"]})
    assert master_task(spec, graph) == ("chief", 0)
    assert master_task(ClusterSpec({"trainer": {3: "a:1", 5: "b:1"}}), table()) == ("trainer", 3)
    assert master_task(None, table((None, None))) == ("localhost", 0)
