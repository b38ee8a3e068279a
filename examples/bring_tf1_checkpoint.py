"""Bring your TF1 checkpoint: restore weights TensorFlow trained, continue training on Ray, and export a SavedModel
that TensorFlow (and TensorFlow Serving) loads whole.

    python examples/bring_tf1_checkpoint.py [TF checkpoint prefix or directory] [export directory]

The default checkpoint is the variables of tests/fixtures/tf_mlp, a SavedModel TensorFlow 1 wrote: a 4-8-3
MLP whose variables are dense_0/kernel, dense_0/bias, dense_1/kernel, dense_1/bias. To train on a Ray
cluster, pass its address to the Session: tf.Session("ray://<head>:10001").
"""
import os
import sys
import tempfile

import numpy as np

import raygraph as tf

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT = os.path.join(HERE, "..", "tests", "fixtures", "tf_mlp", "variables", "variables")


def build():
    """The same model TensorFlow trained: the variables' names are what a checkpoint matches."""
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    h = x
    for i, width in enumerate([8, 3]):
        w = tf.get_variable(f"dense_{i}/kernel", [int(h.shape[1]), width])
        b = tf.get_variable(f"dense_{i}/bias", [width])
        h = tf.nn.bias_add(tf.matmul(h, w), b)
        if i == 0:
            h = tf.nn.relu(h)
    probs = tf.nn.softmax(h, name="probs")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=h))
    return x, labels, probs, loss


def main(checkpoint=DEFAULT, export_dir=None):
    export_dir = export_dir or os.path.join(tempfile.mkdtemp(), "model")
    print("TensorFlow's checkpoint holds:", tf.train.list_variables(checkpoint))
    x, labels, probs, loss = build()
    model_vars = tf.trainable_variables()
    train = tf.train.AdamOptimizer(0.01).minimize(loss)  # Adam's slots are new: not in the checkpoint
    rng = np.random.RandomState(0)
    data = rng.randn(64, 4).astype(np.float32)
    classes = (data[:, 0] > 0).astype(np.int64) + (data[:, 1] > 0)
    with tf.Session() as sess:  # tf.Session("ray://<head>:10001") on a cluster
        sess.run(tf.global_variables_initializer())
        tf.train.Saver(model_vars).restore(sess, checkpoint)  # TensorFlow's weights, checked, all or nothing
        before = sess.run(loss, {x: data, labels: classes})
        for _ in range(100):
            sess.run(train, {x: data, labels: classes})
        after = sess.run(loss, {x: data, labels: classes})
        print(f"loss {before:.4f} -> {after:.4f} after 100 steps on Ray")
        # TensorFlow's format: TensorFlow restores this checkpoint and serves this SavedModel
        path = tf.train.Saver().save(sess, os.path.join(os.path.dirname(export_dir), "model.ckpt"))
        tf.saved_model.simple_save(sess, export_dir, inputs={"x": x}, outputs={"probs": probs})
    print("checkpoint:", path)
    print("SavedModel:", export_dir)
    return before, after


if __name__ == "__main__":
    main(*(sys.argv[1:2] or [DEFAULT]), *sys.argv[2:3])
