"""Distributed benchmarks on a simulated 3-node Ray cluster (one machine, three raylets).

    python bench/distributed.py

1. Training steps of the guide's ps/worker model (examples/ps_worker_training.py): two ps tasks, two
   worker tasks, each on its own node; step time and tensor bytes moved between devices per step.
2. Cross-node transfer of one tensor between two actors on different nodes: raygraph's Arrow encoding
   (what device actors send) against Ray's own transport of the same numpy array.
"""
import os
import sys

import numpy as np
import ray
from ray.cluster_utils import Cluster

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "examples")]

from workloads import timeit as median_time  # noqa: E402 - the shared workloads' timer


def training_steps():
    import raygraph as tf
    from ps_worker_training import build, make_data
    x, labels, loss, train, step = build(dim=256, hidden=512, classes=10)
    data, classes = make_data(n=256, classes=10, dim=256)
    with tf.Session("auto") as sess:
        sess.run(tf.global_variables_initializer())
        feed = {x: data, labels: classes}
        handles = sess._runtime.client.handles
        sec = median_time(lambda: sess.run(train, feed), 20)
        before = sum(ray.get(h.actor.counters.remote())["sent_bytes"] for h in handles.values())
        for _ in range(10):
            sess.run(train, feed)
        after = sum(ray.get(h.actor.counters.remote())["sent_bytes"] for h in handles.values())
        nodes = {ray.get(h.actor.info.remote())["node_id"][:8] for h in handles.values()}
    tf.Session.reset("auto")
    print(f"ps_worker_step\t{sec:.6g}\ts/step\t({len(handles)} device actors on {len(nodes)} nodes)")
    print(f"ps_worker_bytes\t{(after - before) / 10:.6g}\tbytes/step\t(tensors sent between devices)")


@ray.remote(num_cpus=0)
class Holder:
    def make(self, kind, n, arrow):
        from scheduler.wire import encode
        value = (np.arange(n, dtype=np.float32) if kind == "float32" else
                 np.array([b"item-%d" % i for i in range(n)], dtype=object))
        return [ray.put(encode(value) if arrow else value)]

    def take(self, refs, decode_it):
        from scheduler.wire import decode
        obj = ray.get(refs[0])
        value = decode(obj) if decode_it else obj
        return int(np.asarray(value).size)


def transfers(a, b):
    for kind, n in (("float32", 256), ("float32", 1 << 18), ("float32", 1 << 22), ("string", 100_000)):
        for label, arrow in (("ray", False), ("arrow", True), ("ray", False), ("arrow", True)):
            def once():
                refs = ray.get(a.make.remote(kind, n, arrow))
                assert ray.get(b.take.remote(refs, arrow)) == n
            sec = median_time(once, 5, repeat=3)
            print(f"transfer_{kind}_{n}_{label}\t{sec:.6g}\ts/transfer")


def main():
    import faulthandler
    if os.environ.get("RG_DEBUG"):
        faulthandler.dump_traceback_later(90, exit=True)
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 2})
    cluster.add_node(num_cpus=1, resources={"ps:0": 1, "ps:1": 1})
    cluster.add_node(num_cpus=1, resources={"worker:0": 1, "node_a": 1})
    cluster.add_node(num_cpus=1, resources={"worker:1": 1, "node_b": 1})
    ray.init(address=cluster.address, logging_level="ERROR")
    try:
        training_steps()
        a = Holder.options(resources={"node_a": 0.01}).remote()
        b = Holder.options(resources={"node_b": 0.01}).remote()
        transfers(a, b)
    finally:
        ray.shutdown()
        cluster.shutdown()


if __name__ == "__main__":
    main()
