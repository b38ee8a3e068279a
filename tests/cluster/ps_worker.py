"""A ps/worker training program on a simulated 3-node Ray cluster (run as a script by test_cluster.py).

Nodes: the head (the clients), a ps node (resource "ps:0") and two worker nodes ("worker:0", "worker:1").
Two worker clients (between-graph replication, each its own graph and session) train one linear model
whose variables live on the ps task; prints one JSON line with what the test checks.
"""
import sys
import threading

import numpy as np
import ray
from common import finish, linear_model, start

import raygraph as tf


def build(task):
    def more(t):
        return dict(train=tf.train.GradientDescentOptimizer(0.1).minimize(t["loss"], global_step=t["step"]),
                    where=tf.py_func(lambda: np.array(ray.get_runtime_context().get_node_id(), dtype=object), [],
                                     tf.string, name="where"),
                    init=tf.global_variables_initializer())
    return linear_model(tf, task, more)


def main():
    cluster, nodes = start()
    rng = np.random.default_rng(0)
    true_w = np.array([[1.0], [-2.0], [0.5]], np.float32)
    xs = rng.standard_normal((64, 3)).astype(np.float32)
    ys = xs @ true_w + 0.3
    out = {"node_of": {k: n.node_id for k, n in nodes.items()}, "placed": {}, "losses": {}}
    graphs = [build(0), build(1)]
    sessions = [tf.Session("auto", graph=g) for g, _ in graphs]
    sessions[0].run(graphs[0][1]["init"])           # the chief initializes the shared ps variables
    first = sessions[1].run(graphs[1][1]["loss"], {graphs[1][1]["x"]: xs, graphs[1][1]["y"]: ys})

    def train(i):
        g, t = graphs[i]
        for _ in range(60):
            sessions[i].run(t["train"], {t["x"]: xs, t["y"]: ys})
        out["losses"][i] = float(sessions[i].run(t["loss"], {t["x"]: xs, t["y"]: ys}))
        out["placed"][f"worker:{i}"] = sessions[i].run(t["where"]).decode()
    threads = [threading.Thread(target=train, args=(i,)) for i in range(2)]
    [th.start() for th in threads]
    [th.join() for th in threads]
    s0, t0 = sessions[0], graphs[0][1]
    out["first_loss"] = float(first)
    out["global_step"] = int(s0.run(t0["step"]))
    out["w"] = s0.run(t0["w"]).ravel().tolist()
    out["ps_devices"] = sorted({d for d in s0._plans[next(iter(s0._plans))].placement.values() if "ps" in d})
    info = {}
    for name, h in s0._runtime.client.handles.items():
        info[name] = ray.get(h.actor.info.remote())["node_id"]
    out["actor_nodes"] = info
    for s in sessions:
        s.close()
    tf.Session.reset("auto")
    finish(cluster, out)


if __name__ == "__main__":
    sys.exit(main())
