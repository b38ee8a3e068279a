"""A softmax MLP trained with Adam on data it generates, checkpointed so that a killed run resumes exactly.

    python examples/train_mlp.py --demo                # train, get killed, resume; compare with an unkilled run
    python examples/train_mlp.py --dir /tmp/mlp        # train (or resume from the latest checkpoint in /tmp/mlp)
    python examples/train_mlp.py --dir /tmp/mlp --kill-at 130   # SIGKILL itself after step 130

Each step's minibatch depends only on the global step, and the checkpoint holds every variable the
step reads (weights, Adam's slots and beta powers, the global step), so a resumed run repeats the
uninterrupted run's losses exactly from its last checkpoint on.
"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile

import numpy as np

import raygraph as tf

FEATURES, CLASSES, HIDDEN, BATCH = 20, 5, 64, 64


def make_data(n=2000, seed=0):
    """Gaussian blobs around random class centers: (features float32 [n, 20], one-hot labels [n, 5])."""
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((CLASSES, FEATURES)) * 1.5
    labels = rng.integers(0, CLASSES, n)
    features = centers[labels] + rng.standard_normal((n, FEATURES)) * 2.0
    return features.astype(np.float32), np.eye(CLASSES, dtype=np.float32)[labels]


def build_model():
    """The graph: placeholders, a 20-64-5 MLP, its mean cross-entropy, and an Adam step with a global step."""
    tf.set_random_seed(1)
    x = tf.placeholder(tf.float32, [None, FEATURES], name="x")
    y = tf.placeholder(tf.float32, [None, CLASSES], name="y")
    with tf.name_scope("hidden"):
        w1 = tf.Variable(tf.truncated_normal([FEATURES, HIDDEN], stddev=0.2), name="weights")
        b1 = tf.Variable(tf.zeros([HIDDEN]), name="biases")
        h = tf.nn.relu(tf.matmul(x, w1) + b1)
    with tf.name_scope("softmax"):
        w2 = tf.Variable(tf.truncated_normal([HIDDEN, CLASSES], stddev=0.2), name="weights")
        b2 = tf.Variable(tf.zeros([CLASSES]), name="biases")
        logits = tf.matmul(h, w2) + b2
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits), name="loss")
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1)), tf.float32))
    step = tf.train.get_or_create_global_step()
    train = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=step)
    return x, y, loss, accuracy, step, train


def batch_for(step, features, labels):
    """The minibatch of a step: a function of the step alone, so a resumed run sees what the first one did."""
    order = np.random.default_rng(step // (len(features) // BATCH)).permutation(len(features))
    start = (step % (len(features) // BATCH)) * BATCH
    take = order[start:start + BATCH]
    return features[take], labels[take]


def train(directory, steps, save_every, kill_at=None):
    """Trains to `steps` global steps, resuming from the latest checkpoint in `directory` if there is one."""
    features, labels = make_data()
    x, y, loss, accuracy, step, train_op = build_model()
    saver = tf.train.Saver(max_to_keep=3)
    everything = {x: features, y: labels}
    with tf.Session() as sess:
        latest = tf.train.latest_checkpoint(directory)
        if latest:
            saver.restore(sess, latest)
            print(f"resumed {os.path.basename(latest)} at step {sess.run(step)}: loss {sess.run(loss, everything):.6f}",
                  flush=True)
        else:
            sess.run(tf.global_variables_initializer())
            print(f"step 0: loss {sess.run(loss, everything):.6f}", flush=True)
        while sess.run(step) < steps:
            bx, by = batch_for(sess.run(step), features, labels)
            sess.run(train_op, {x: bx, y: by})
            done = sess.run(step)
            if done % save_every == 0:
                path = saver.save(sess, os.path.join(directory, "model.ckpt"), global_step=step)
                print(f"step {done}: loss {sess.run(loss, everything):.6f} saved {os.path.basename(path)}", flush=True)
            if kill_at is not None and done == kill_at:
                print(f"step {done}: killed", flush=True)
                os.kill(os.getpid(), signal.SIGKILL)
        final_loss, final_accuracy = sess.run([loss, accuracy], everything)
        print(f"final step {sess.run(step)}: loss {final_loss:.6f} accuracy {final_accuracy:.3f}", flush=True)
        return final_loss


def _child(directory, steps, save_every, kill_at=None):
    args = [sys.executable, os.path.abspath(__file__), "--dir", directory, "--steps", str(steps),
            "--save-every", str(save_every)] + (["--kill-at", str(kill_at)] if kill_at else [])
    run = subprocess.run(args, capture_output=True, text=True)
    print("".join(f"    {line}\n" for line in run.stdout.splitlines()), end="")
    return run


def demo(steps=300, save_every=50, kill_at=130):
    """Trains in a child process that kills itself, resumes in another, and compares with an unkilled run."""
    with tempfile.TemporaryDirectory() as killed, tempfile.TemporaryDirectory() as clean:
        print(f"1. train until SIGKILL at step {kill_at}:")
        first = _child(killed, steps, save_every, kill_at)
        print(f"   exit status {first.returncode}; checkpoints: {sorted(f for f in os.listdir(killed))}")
        print("2. run again: it resumes from the latest checkpoint")
        resumed = _child(killed, steps, save_every)
        print("3. the same training, never interrupted:")
        straight = _child(clean, steps, save_every)
        same = resumed.stdout.splitlines()[-1] == straight.stdout.splitlines()[-1]
        print(f"resumed run ends exactly like the uninterrupted one: {same}")
        return same


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", help="checkpoint directory (default: a new temporary one)")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--save-every", type=int, default=50)
    parser.add_argument("--kill-at", type=int, help="SIGKILL this process after that step")
    parser.add_argument("--demo", action="store_true", help="train, kill, resume, and compare")
    args = parser.parse_args()
    if args.demo:
        sys.exit(0 if demo(args.steps, args.save_every, args.kill_at or args.steps * 13 // 30) else 1)
    train(args.dir or tempfile.mkdtemp(prefix="train_mlp_"), args.steps, args.save_every, args.kill_at)


if __name__ == "__main__":
    main()
