"""TF1 jobs and tasks on real (simulated multi-node) Ray clusters, each scenario in its own process.

The scenarios in tests/cluster/ start a `ray.cluster_utils.Cluster` (a head and three nodes) and print
one RESULT line; `ray job submit` goes to a head this test starts with `ray start` (its own temp dir
and ports) and stops by PID.
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.dirname(sys.executable)


def _scenario(name, timeout=240):
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    proc = subprocess.run([sys.executable, os.path.join(HERE, "cluster", name)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=env)
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


def test_losing_a_worker_node_is_unavailable_and_training_resumes_from_checkpoint():
    out = _scenario("node_loss.py")
    assert out["error"] == "UnavailableError"
    assert "/job:worker/replica:0/task:1" in out["message"]
    assert out["restored_step"] == 10
    assert out["final_step"] == 40
    assert out["final_loss"] < out["loss_after_restore"]


def test_unreachable_cluster_fails_fast(rtf):
    tf = rtf
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.perf_counter()
    with pytest.raises(tf.errors.UnavailableError):
        tf.Session(f"127.0.0.1:{port}")
    assert time.perf_counter() - start < 15
    with pytest.raises(tf.errors.InvalidArgumentError, match="Session"):
        tf.Session("grpc://localhost:2222")


def test_cluster_yaml_passes_rays_validation():
    from ray.autoscaler._private.util import prepare_config, validate_config
    with open(os.path.join(ROOT, "cluster.yaml")) as f:
        config = yaml.safe_load(f)
    validate_config(prepare_config(config))
    assert config["provider"]["type"] == "local"
    assert any("raygraph" in c for c in config["setup_commands"])


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kill_processes_under(path):
    """Kills the processes whose command line mentions `path` (our head's temp dir), by PID."""
    import signal
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if path.encode() in f.read():
                    os.kill(int(pid), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            continue


def test_ray_job_submit_runs_the_ps_worker_example():
    temp = tempfile.mkdtemp(prefix="rg-head-", dir="/tmp")
    port, dash = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")  # jobs run with the Python that started Ray
    env["RAY_AUTH_MODE"] = "disabled"  # this private head and its CLI client agree on no token
    start = [os.path.join(BIN, "ray"), "start", "--head", "--node-ip-address=127.0.0.1", f"--port={port}",
             f"--dashboard-port={dash}", "--dashboard-host=127.0.0.1", "--include-dashboard=true",
             f"--temp-dir={temp}", "--num-cpus=2", "--disable-usage-stats",
             f"--ray-client-server-port={_free_port()}", f"--dashboard-agent-listen-port={_free_port()}"]
    try:
        subprocess.run(start, check=True, capture_output=True, text=True, timeout=120, env=env, cwd=temp)
        job = subprocess.run(
            [os.path.join(BIN, "ray"), "job", "submit", f"--address=http://127.0.0.1:{dash}", "--working-dir", ROOT,
             "--", "python", "examples/ps_worker_training.py", "--steps", "40"],
            capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
        output = job.stdout + job.stderr
        assert job.returncode == 0, output[-4000:]
        assert "TRAINED" in output, output[-4000:]
        job_id = re.search(r"raysubmit_\w+", output).group(0)
        status = subprocess.run(
            [sys.executable, "-c", "import sys; from ray.job_submission import JobSubmissionClient; "
             "print(JobSubmissionClient(sys.argv[1]).get_job_status(sys.argv[2]))", f"http://127.0.0.1:{dash}",
             job_id], capture_output=True, text=True, timeout=60, env=env)
        assert status.stdout.strip().endswith("SUCCEEDED"), status.stdout + status.stderr
        assert "/job:ps/replica:0/task:1" in output and "/job:worker/replica:0/task:1" in output
    finally:
        _kill_processes_under(temp)


def test_gpus_that_ray_reports_become_gpu_devices():
    out = _scenario("fake_gpu.py", timeout=120)
    gpu, cpu = "/job:localhost/replica:0/task:0/device:GPU:0", "/job:localhost/replica:0/task:0/device:CPU:0"
    assert out["devices"] == sorted([cpu, gpu])
    assert out["value"] == [3.0, 5.0]
    assert out["dev_stats"] == sorted([cpu, gpu])
    assert out["missing_gpu"] == "InvalidArgumentError"
    assert out["soft"] == [9.0, 15.0]
