"""Synchronous training with tf.train.SyncReplicasOptimizer on a simulated 3-node Ray cluster (run as a script
by test_cluster.py).

Nodes: the head (the clients), a ps node ("ps:0") and two worker nodes ("worker:0", "worker:1"). Two worker
clients (between-graph replication, each its own graph and session) train one linear model whose variables,
gradient accumulators and token queue live on the ps task; worker 0 is the chief and runs the queue runner
that averages each two gradients into one update. Prints one JSON line with what the test checks.
"""
import sys
import threading
import time

import numpy as np
from common import finish, linear_model, start

import raygraph as tf

STEPS = 40   # global steps: each averages one gradient from each of two workers


def build(task):
    def more(t):
        opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), replicas_to_aggregate=2,
                                             total_num_replicas=2)
        train = opt.minimize(t["loss"], global_step=t["step"])
        return dict(opt=opt, train=train, init=tf.global_variables_initializer(),
                    local_init=tf.local_variables_initializer(), tokens=opt.get_init_tokens_op())
    return linear_model(tf, task, more)


def main():
    cluster, _ = start()
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((64, 3)).astype(np.float32)
    ys = xs @ np.array([[1.0], [-2.0], [0.5]], np.float32) + 0.3
    graphs = [build(0), build(1)]
    sessions = [tf.Session("auto", graph=g) for g, _ in graphs]
    chief, t0 = sessions[0], graphs[0][1]
    chief.run(t0["init"])
    for s, (_, t) in zip(sessions, graphs):
        s.run(t["local_init"])
    chief.run(t0["opt"].chief_init_op)
    chief.run(t0["tokens"])
    coord = tf.train.Coordinator()
    runner_threads = t0["opt"].get_chief_queue_runner().create_threads(chief, coord=coord, daemon=True, start=True)
    out = {"first_loss": float(chief.run(t0["loss"], {t0["x"]: xs, t0["y"]: ys})), "errors": []}

    def train(i):   # as under a StopAtStepHook: until the global step reaches STEPS
        s, t = sessions[i], graphs[i][1]
        steps = 0
        try:
            while s.run(t["step"]) < STEPS:
                s.run(t["train"], {t["x"]: xs, t["y"]: ys})
                steps += 1
        except tf.errors.CancelledError:
            pass   # blocked for a token no update will bring, when the sessions close at the end
        except Exception as e:  # noqa: BLE001 - reported
            out["errors"].append(f"worker {i}: {type(e).__name__}: {e}")
        out["worker_steps"][i] = steps
    out["worker_steps"] = {}
    threads = [threading.Thread(target=train, args=(i,)) for i in range(2)]
    [th.start() for th in threads]
    deadline = time.monotonic() + 180
    while chief.run(t0["step"]) < STEPS and time.monotonic() < deadline:
        time.sleep(0.05)
    out["global_step"] = int(chief.run(t0["step"]))
    out["w"] = chief.run(t0["w"]).ravel().tolist()
    out["loss"] = float(chief.run(t0["loss"], {t0["x"]: xs, t0["y"]: ys}))
    g0 = graphs[0][0]
    out["devices"] = {op.name: op.device for op in g0.get_operations()
                      if op.type in ("FIFOQueueV2", "VariableV2") or "Accumulator" in op.type}
    coord.request_stop()
    for s in sessions:
        s.close()   # cancels the chief's blocked take of the next gradients and a worker's wait for a token
    coord.join(runner_threads, stop_grace_period_secs=10)
    [th.join(30) for th in threads]
    tf.Session.reset("auto")
    finish(cluster, out)


if __name__ == "__main__":
    sys.exit(main())
