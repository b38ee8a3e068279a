"""MonitoredTrainingSession and hooks: TF's files, resuming from checkpoints, recovering from a lost device actor,
queue runners under the session's coordinator."""
import glob
import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _model(tf):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.Variable([[0.0], [0.0]], name="w")
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - 1.0))
    step = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    return x, w, loss, step, train


def test_mnist_style_script_resumes_from_its_checkpoint(ray_runtime, tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    script = os.path.join(ROOT, "examples", "mnist_monitored.py")

    def run(steps):
        out = subprocess.run([sys.executable, script, f"--model_dir={tmp_path}", f"--steps={steps}"], env=env,
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr[-3000:]
        return out.stdout
    assert "started at step 1," in run(60)
    names = sorted(os.listdir(tmp_path))
    assert "checkpoint" in names and "graph.pbtxt" in names and "model.ckpt-60.index" in names
    assert any(n.startswith("events.out.tfevents.") for n in names)
    assert "started at step 61," in run(80)  # the second run restored step 60 and went on
    assert "model.ckpt-80.index" in os.listdir(tmp_path)


def test_hooks_and_files(rtf, tmp_path):
    tf = rtf
    x, w, loss, step, train = _model(tf)
    tf.summary.scalar("loss", loss)
    final = tf.train.FinalOpsHook(w)
    feed = tf.train.FeedFnHook(lambda: {x: np.ones((4, 2), np.float32)})
    hooks = [tf.train.StopAtStepHook(num_steps=12), final, feed, tf.train.NanTensorHook(loss),
             tf.train.ProfilerHook(save_steps=5, output_dir=str(tmp_path))]
    with tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path), hooks=hooks, save_checkpoint_steps=5,
                                           save_summaries_steps=5, log_step_count_steps=4) as sess:
        n = 0
        while not sess.should_stop():
            sess.run(train)
            n += 1
    assert n == 12
    assert final.final_ops_values.shape == (2, 1) and final.final_ops_values[0, 0] > 0.2
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-12")
    traces = sorted(glob.glob(str(tmp_path / "timeline-*.json")))
    assert traces and "traceEvents" in json.load(open(traces[0]))
    events = glob.glob(str(tmp_path / "events.out.tfevents.*"))
    tags = {v.tag for path in events for e in tf.summary.summary_iterator(path) for v in e.summary.value}
    assert {"loss", "global_step/sec"} <= tags


def test_nan_loss_raises(rtf):
    tf = rtf
    loss = tf.constant(float("nan"))
    tf.train.get_or_create_global_step()
    with pytest.raises(tf.train.NanLossDuringTrainingError):
        with tf.train.SingularMonitoredSession(hooks=[tf.train.NanTensorHook(loss)]) as sess:
            sess.run(loss)


def test_queue_runners_and_end_of_input(rtf):
    """The session starts the queue runners; the end of the input (OutOfRangeError) ends the loop quietly."""
    tf = rtf
    value, = tf.train.slice_input_producer([np.arange(6)], num_epochs=1, shuffle=False)
    batch = tf.train.batch([value], 4, allow_smaller_final_batch=True)
    got = []
    with tf.train.MonitoredSession() as sess:
        while not sess.should_stop():
            got.append(sess.run(batch).tolist())
    assert got == [[0, 1, 2, 3], [4, 5]]


class _KillDevice:
    """A hook that kills the session's device actor after global step `at` (as a lost node would)."""

    def __init__(self, tf, at):
        self.tf, self.at, self.killed = tf, at, False

    def begin(self):
        self.step = self.tf.train.get_global_step()

    def after_create_session(self, session, coord):
        self.session = session

    def before_run(self, context):
        return self.tf.train.SessionRunArgs(self.step)

    def after_run(self, context, values):
        if values.results + 1 >= self.at and not self.killed:
            import ray
            self.killed = True
            for handle in self.session._runtime.client.handles.values():
                pid = ray.get(handle.actor.info.remote())["pid"]
                ray.kill(handle.actor)
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:  # its process is gone before the next step
                    try:
                        os.kill(pid, 0)
                    except ProcessLookupError:
                        break
                    time.sleep(0.01)

    def end(self, session):
        pass


def test_recovers_from_a_lost_device_by_restoring_the_last_checkpoint(rtf, tmp_path):
    tf = rtf
    x, w, loss, step, train = _model(tf)
    killer = _KillDevice(tf, at=7)
    hooks = [tf.train.StopAtStepHook(last_step=15), killer]
    feed = {x: np.ones((4, 2), np.float32)}
    steps = []
    with tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path), hooks=hooks, save_checkpoint_steps=5,
                                           log_step_count_steps=0) as sess:
        while not sess.should_stop():
            steps.append(sess.run([step, train], feed)[0])
    assert killer.killed
    # (the fetched global step is the one after each update) the device died after step 6; the next run failed
    # with UnavailableError, and a new session restored model.ckpt-5 and went on from there to the last step
    steps = [int(s) for s in steps]
    assert steps == list(range(1, 7)) + list(range(6, 16)), steps
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith("model.ckpt-15")
