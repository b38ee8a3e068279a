"""A node whose Ray reports a GPU (faked with ray.init(num_gpus=1)): the session gets a GPU device actor."""
import json

import ray

import raygraph as tf


def main():
    ray.init(address="local", num_cpus=2, num_gpus=1, include_dashboard=False, logging_level="ERROR")
    out = {}
    with tf.device("/gpu:0"):
        a = tf.constant([1.0, 2.0]) * 2.0
    with tf.device("/cpu:0"):
        b = a + 1.0
    with tf.device("/gpu:1"):
        c = b * 3.0
    with tf.Session() as s:
        out["devices"] = sorted(d.name for d in s.list_devices())
        md = tf.RunMetadata()
        out["value"] = s.run(b, options=tf.RunOptions(trace_level=3), run_metadata=md).tolist()
        out["dev_stats"] = sorted(d.device for d in md.step_stats.dev_stats)
        try:
            s.run(c)
            out["missing_gpu"] = "no error"
        except tf.errors.OpError as e:
            out["missing_gpu"] = type(e).__name__
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as s:
        out["soft"] = s.run(c).tolist()
    print("RESULT " + json.dumps(out))
    ray.shutdown()


if __name__ == "__main__":
    main()
