"""tf.contrib.losses and tf.contrib.metrics: TF 1.15's modules under their contrib names (slim's, as in TF 1.15)."""
import numpy as np


def test_contrib_losses_and_metrics_are_slims(rtf):
    tf = rtf
    from raygraph.contrib import losses, metrics, slim
    assert losses is tf.contrib.losses is slim.losses
    assert metrics is tf.contrib.metrics is slim.metrics
    g = tf.Graph()
    with g.as_default():
        loss = tf.contrib.losses.mean_squared_error(tf.constant([1.0, 2.0]), tf.constant([0.0, 4.0]))
        acc, update = tf.contrib.metrics.streaming_accuracy(tf.constant([1, 2, 3]), tf.constant([1, 0, 3]))
        with tf.Session() as s:
            s.run(tf.local_variables_initializer())
            s.run(update)
            assert np.isclose(s.run(loss), 2.5) and np.isclose(s.run(acc), 2 / 3)
