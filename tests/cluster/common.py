"""What the cluster scenarios share: TF1's cluster of one ps task and two worker tasks, a simulated Ray cluster
with one node per task (each holding its task's resource, as cluster.yaml declares them), and the RESULT line
test_cluster.py reads."""
import json

import ray
from ray.cluster_utils import Cluster

CLUSTER = {"ps": ["ps0:2222"], "worker": ["w0:2222", "w1:2222"]}


def start():
    """(cluster, {task resource: node}): a head for the clients and a node per task; this process connected."""
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 2})
    nodes = {task: cluster.add_node(num_cpus=1, resources={task: 1}) for task in ("ps:0", "worker:0", "worker:1")}
    ray.init(address=cluster.address, logging_level="ERROR")
    return cluster, nodes


def finish(cluster, out):
    """Prints the scenario's RESULT line and shuts down what `start` started."""
    print("RESULT " + json.dumps(out))
    ray.shutdown()
    cluster.shutdown()


def linear_model(tf, task, more):
    """Worker `task`'s graph of a 3-input linear regression whose variables live on the ps task (between-graph
    replication); `more(parts)` adds the scenario's own ops under the same device function and returns them.
    -> (graph, dict of x, y, w, b, step, loss and what `more` added)."""
    g = tf.Graph()
    with g.as_default():
        with tf.device(tf.train.replica_device_setter(cluster=CLUSTER, worker_device=f"/job:worker/task:{task}")):
            parts = dict(x=tf.placeholder(tf.float32, [None, 3], name="x"),
                         y=tf.placeholder(tf.float32, [None, 1], name="y"),
                         w=tf.get_variable("w", [3, 1], initializer=tf.zeros_initializer()),
                         b=tf.get_variable("b", [1], initializer=tf.zeros_initializer()),
                         step=tf.train.get_or_create_global_step())
            parts["loss"] = tf.reduce_mean(tf.square(tf.matmul(parts["x"], parts["w"]) + parts["b"] - parts["y"]))
            parts.update(more(parts))
    return g, parts
