"""Distributed raygraph against TensorFlow 1's own gRPC runtime, side by side in one sitting.

    python bench/distributed.py [--rounds 3] [--tf-python /path/to/tf-venv/bin/python]

One TF1 program (the guide's ps/worker MLP: dim 256, hidden 512, 10 classes, batch 256; two ps tasks, two
worker tasks) runs unchanged on both systems: on TF1 with four `tf.train.Server` processes on 127.0.0.1
(stopped by PID at the end), on raygraph on a simulated Ray cluster (head node for the clients, one node
for both ps tasks, one per worker task). Rounds alternate TF1 and raygraph; each figure is the median over
rounds of each run's median. Workloads:

- in-graph step: one client, both workers compute half the batch each, gradients applied on the ps tasks;
  also with raygraph's four tasks on one Ray node;
- between-graph step, 1 client and 2 clients at once (aggregate steps/s): each client trains its own graph
  (`replica_device_setter`) on batch 128 through its worker task;
- one tensor of 1 KB, 1 MB and 16 MB read on worker 1 from a variable on ps 0 (a step that moves it across
  nodes and fetches one element).

TensorFlow runs only in the processes started with the TF virtualenv's python (`--tf-python`, default
$TF_PYTHON); raygraph never imports it. Without a TF python only raygraph's figures are printed.
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DIM, HIDDEN, CLASSES, BATCH = 256, 512, 10, 256
SIZES = {"1KB": 256, "1MB": 1 << 18, "16MB": 1 << 22}


# ----- the TF1 program, for either module ------------------------------------------------------------------
def data(n, seed=0):
    import numpy as np
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((CLASSES, DIM)) * 3
    labels = rng.integers(0, CLASSES, n)
    return (centers[labels] + rng.standard_normal((n, DIM))).astype(np.float32), labels.astype(np.int64)


def mlp(tf, x, labels, params):
    w1, b1, w2, b2 = params
    logits = tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2) + b2
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))


def in_graph(tf, workers=2):
    params = []
    for i, shape in enumerate([[DIM, HIDDEN], [HIDDEN], [HIDDEN, CLASSES], [CLASSES]]):
        with tf.device(f"/job:ps/task:{i // 2}"):
            params.append(tf.Variable(tf.truncated_normal(shape, stddev=0.1, seed=i + 1), name=f"p{i}"))
    x = tf.placeholder(tf.float32, [None, DIM], name="x")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    grads = []
    for i, (xs, ys) in enumerate(zip(tf.split(x, workers), tf.split(labels, workers))):
        with tf.device(f"/job:worker/task:{i}"):
            grads.append(tf.gradients(mlp(tf, xs, ys, params), params))
    with tf.device("/job:ps/task:0"):
        mean = [tf.add_n(list(g)) / float(workers) for g in zip(*grads)]
        train = tf.train.GradientDescentOptimizer(0.1).apply_gradients(zip(mean, params))
    return x, labels, train


def between_graph(tf, task, cluster):
    with tf.device(tf.train.replica_device_setter(cluster=cluster, worker_device=f"/job:worker/task:{task}")):
        params = [tf.get_variable(f"bg{i}", shape, initializer=tf.truncated_normal_initializer(stddev=0.1, seed=i))
                  for i, shape in enumerate([[DIM, HIDDEN], [HIDDEN], [HIDDEN, CLASSES], [CLASSES]])]
        x = tf.placeholder(tf.float32, [None, DIM], name="x")
        labels = tf.placeholder(tf.int64, [None], name="labels")
        train = tf.train.GradientDescentOptimizer(0.1).minimize(mlp(tf, x, labels, params))
    return x, labels, train


def median_step(run, steps, warmup=5):
    for _ in range(warmup):
        run()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ----- one measurement, in a client process of either system ----------------------------------------------
def client(tf, system, args):
    """Runs one measurement and prints it as JSON. `args`: workload, targets, parameters."""
    spec = args["cluster"]
    if system == "tf":
        tf.disable_eager_execution()
    workload = args["workload"]
    if workload == "between":
        task = args["task"]
        target = (f"grpc://{spec['worker'][task]}" if system == "tf" else
                  tf.train.Server(tf.train.ClusterSpec(spec), job_name="worker", task_index=task).target)
    else:
        target = f"grpc://{spec['worker'][0]}" if system == "tf" else "auto"
    if workload == "in_graph":
        x, labels, train = in_graph(tf)
        xs, ys = data(BATCH)
    elif workload == "between":
        x, labels, train = between_graph(tf, args["task"], spec)
        xs, ys = data(BATCH // 2, seed=args["task"])
    else:  # a transfer of SIZES[workload] floats from ps 0 to worker 1
        with tf.device("/job:ps/task:0"):
            v = tf.Variable(tf.zeros([SIZES[workload]]), name=f"t{workload}")
        with tf.device("/job:worker/task:1"):
            train = tf.slice(tf.identity(v), [0], [1])
        x = labels = None
    feed = {x: xs, labels: ys} if x is not None else None
    with tf.Session(target) as sess:
        sess.run(tf.global_variables_initializer())
        if workload == "between" and args.get("start"):  # several clients: count steps in a common window
            for _ in range(5):
                sess.run(train, feed)
            while time.time() < args["start"]:
                time.sleep(0.005)
            end, steps = args["start"] + args["seconds"], 0
            while time.time() < end:
                sess.run(train, feed)
                steps += 1
            result = {"steps_per_s": steps / args["seconds"]}
        else:
            result = {"step_s": median_step(lambda: sess.run(train, feed), args["steps"])}
    print("RESULT " + json.dumps(result), flush=True)


def tf_server(spec, job, task):
    import tensorflow.compat.v1 as tf
    server = tf.train.Server(tf.train.ClusterSpec(spec), job_name=job, task_index=task, start=True)
    print("READY", flush=True)
    server.join()


# ----- the orchestrator ----------------------------------------------------------------------------------
def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def spawn(python, args, env=None, quiet=False):
    """A process running this file; its stderr goes with its stdout (printed if it fails), or nowhere."""
    return subprocess.Popen([python, os.path.abspath(__file__)] + args, stdout=subprocess.PIPE, text=True,
                            stderr=subprocess.DEVNULL if quiet else subprocess.STDOUT,
                            env={**os.environ, **(env or {})}, cwd=ROOT)


def result_of(proc, timeout=300):
    out, _ = proc.communicate(timeout=timeout)
    for line in out.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise RuntimeError(f"a client failed (exit {proc.returncode}):\n{out[-3000:]}")


class System:
    """How to start client processes of one system."""

    def __init__(self, name, python, spec, env=None):
        self.name, self.python, self.spec = name, python, spec
        self.env = {"TF_CPP_MIN_LOG_LEVEL": "2", **(env or {})}

    def start(self, **args):
        return spawn(self.python, [f"{self.name}-client", json.dumps({"cluster": self.spec, **args})], self.env)

    def run(self, **args):
        return result_of(self.start(**args))

    def clients(self, n, seconds=8.0):
        start = time.time() + 25.0  # each client joins, builds and warms up before the window opens
        procs = [self.start(workload="between", task=i, start=start, seconds=seconds) for i in range(n)]
        return sum(result_of(p)["steps_per_s"] for p in procs)


def measure(system, steps):
    out = {"in_graph": system.run(workload="in_graph", steps=steps)["step_s"],
           "between_1": system.run(workload="between", task=0, steps=steps)["step_s"],
           "between_2": system.clients(2)}
    for size in SIZES:
        out[f"transfer_{size}"] = system.run(workload=size, steps=steps)["step_s"]
    return out


def start_tf_servers(python):
    ports = free_ports(4)
    spec = {"ps": [f"127.0.0.1:{p}" for p in ports[:2]], "worker": [f"127.0.0.1:{p}" for p in ports[2:]]}
    procs = [spawn(python, ["tf-server", json.dumps(spec), job, str(i)], {"TF_CPP_MIN_LOG_LEVEL": "2"}, quiet=True)
             for job in ("ps", "worker") for i in range(2)]
    for p in procs:
        assert p.stdout.readline().strip() == "READY", "a TF server did not start"
    return spec, procs


def ray_cluster(one_node):
    from ray.cluster_utils import Cluster
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 2})
    if one_node:
        cluster.add_node(num_cpus=2, resources={"ps:0": 1, "ps:1": 1, "worker:0": 1, "worker:1": 1})
    else:
        cluster.add_node(num_cpus=1, resources={"ps:0": 1, "ps:1": 1})
        cluster.add_node(num_cpus=1, resources={"worker:0": 1})
        cluster.add_node(num_cpus=1, resources={"worker:1": 1})
    return cluster


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--tf-python", default=os.environ.get("TF_PYTHON", ""))
    args = parser.parse_args()
    spec = {"ps": ["ps0:2222", "ps1:2222"], "worker": ["worker0:2222", "worker1:2222"]}
    tf_servers = []
    figures = {"tf": [], "raygraph": [], "raygraph_1node": []}
    try:
        systems = []
        if args.tf_python:
            tf_spec, tf_servers = start_tf_servers(args.tf_python)
            systems.append(("tf", System("tf", args.tf_python, tf_spec)))
        cluster = ray_cluster(one_node=False)
        rg = System("raygraph", sys.executable, spec, {"RAY_ADDRESS": cluster.address})
        systems.append(("raygraph", rg))
        for _ in range(args.rounds):
            for label, system in systems:
                figures[label].append(measure(system, args.steps))
                print(label, json.dumps(figures[label][-1]), flush=True)
        cluster.shutdown()
        cluster = ray_cluster(one_node=True)
        rg1 = System("raygraph", sys.executable, spec, {"RAY_ADDRESS": cluster.address})
        for _ in range(args.rounds):
            figures["raygraph_1node"].append({"in_graph": rg1.run(workload="in_graph", steps=args.steps)["step_s"]})
            if args.tf_python:
                figures["tf"].append({"in_graph": systems[0][1].run(workload="in_graph", steps=args.steps)["step_s"]})
        cluster.shutdown()
    finally:
        for p in tf_servers:
            p.kill()
            p.wait()
    report(figures)


def report(figures):
    def med(label, key):
        values = [f[key] for f in figures[label] if key in f]
        return statistics.median(values) if values else None
    rows = [("in-graph step, 3 nodes", "in_graph", "raygraph", "ms"),
            ("in-graph step, raygraph on 1 node", "in_graph", "raygraph_1node", "ms"),
            ("between-graph step, 1 client", "between_1", "raygraph", "ms"),
            ("between-graph, 2 clients, aggregate", "between_2", "raygraph", "steps/s")]
    rows += [(f"one {size} tensor, ps0 node -> worker1 node (step)", f"transfer_{size}", "raygraph", "ms")
             for size in SIZES]
    print("\n| workload | TF1 gRPC | raygraph | ratio |\n|---|---|---|---|")
    for title, key, label, unit in rows:
        tf_value, rg_value = med("tf", key), med(label, key)
        scale = 1e3 if unit == "ms" else 1.0
        tf_text = f"{tf_value * scale:.2f} {unit}" if tf_value is not None else "-"
        ratio = ("-" if tf_value is None else f"{rg_value / tf_value:.2f}x" if unit == "ms" else
                 f"{rg_value / tf_value:.2f}x the throughput")
        print(f"| {title} | {tf_text} | {rg_value * scale:.2f} {unit} | {ratio} |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "tf-server":
        tf_server(json.loads(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    elif len(sys.argv) > 1 and sys.argv[1].endswith("-client"):
        system = sys.argv[1][:-len("-client")]
        if system == "tf":
            import tensorflow.compat.v1 as module
        else:
            sys.path.insert(0, ROOT)
            import raygraph as module
        client(module, system, json.loads(sys.argv[2]))
    else:
        main()
