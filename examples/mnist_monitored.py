"""TensorFlow's MNIST-tutorial style on raygraph: tf.app.run, tf.flags, a queue-runner input pipeline and
MonitoredTrainingSession with StopAtStepHook and checkpoints. Run it twice with the same --model_dir: the second
run resumes from the first one's last checkpoint (and stops at once if --steps were already done)."""
import numpy as np

import raygraph as tf

flags = tf.flags
flags.DEFINE_string("model_dir", "/tmp/raygraph_mnist", "Where checkpoints and summaries go.")
flags.DEFINE_integer("steps", 200, "Global step to train to.")
flags.DEFINE_integer("batch_size", 32, "Examples per step.")
FLAGS = flags.FLAGS


def fake_mnist(n=512, seed=0):
    """Synthetic 28x28 digits: each class a fixed random pattern plus noise (no download)."""
    rng = np.random.RandomState(seed)
    patterns = rng.rand(10, 784).astype(np.float32)
    labels = rng.randint(0, 10, n)
    images = patterns[labels] + 0.3 * rng.rand(n, 784).astype(np.float32)
    return images, labels.astype(np.int64)


def main(_):
    images, labels = fake_mnist()
    image, label = tf.train.slice_input_producer([images, labels], seed=1)
    x, y = tf.train.shuffle_batch([image, label], batch_size=FLAGS.batch_size, capacity=256,
                                  min_after_dequeue=64, seed=2)
    hidden = tf.layers.dense(x, 64, activation=tf.nn.relu)
    logits = tf.layers.dense(hidden, 10)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=y, logits=logits)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), y), tf.float32))
    global_step = tf.train.get_or_create_global_step()
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)
    tf.summary.scalar("loss", loss)
    hooks = [tf.train.StopAtStepHook(last_step=FLAGS.steps), tf.train.NanTensorHook(loss),
             tf.train.LoggingTensorHook({"step": global_step, "loss": loss}, every_n_iter=50)]
    first = None
    with tf.train.MonitoredTrainingSession(checkpoint_dir=FLAGS.model_dir, hooks=hooks, save_checkpoint_steps=50,
                                           save_summaries_steps=50) as sess:
        while not sess.should_stop():
            step, acc, _ = sess.run([global_step, accuracy, train_op])
            first = step if first is None else first
    print(f"started at step {first}, accuracy {acc:.2f}")


if __name__ == "__main__":
    tf.logging.set_verbosity(tf.logging.INFO)
    tf.app.run()
