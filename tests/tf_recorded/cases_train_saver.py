"""tf.train.Saver as TF1 behaves: its graph, SaverDef, the checkpoint state, max_to_keep, restore errors.

File contents differ by design (raygraph writes Arrow, TF its own bundle format), so the cases look at
what a program sees: returned paths (relative to a temporary directory), values, errors.
"""
import os
import shutil
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _rel(d, p):
    return None if p is None else os.path.relpath(p, d)


def _tmp():
    return tempfile.mkdtemp(prefix="saver_case_")


def case_saver_graph(tf):
    w = tf.Variable([1.0, 2.0], name="w")
    tf.Variable(3, name="b")
    n0 = len(tf.get_default_graph().get_operations())
    s = tf.train.Saver()
    s2 = tf.train.Saver([w], name="mine")
    ops = [[op.name, op.type, [t.name for t in op.inputs], sorted(c.name for c in op.control_inputs),
            sorted(g.decode() for g in op.colocation_groups())]
           for op in tf.get_default_graph().get_operations()[n0:]]
    d = s.saver_def
    return {"ops": ops, "def": [d.filename_tensor_name, d.save_tensor_name, d.restore_op_name, d.max_to_keep,
                                d.keep_checkpoint_every_n_hours, d.sharded, int(d.version)],
            "def2": [s2.saver_def.filename_tensor_name, s2.saver_def.restore_op_name],
            "savers": len(tf.get_collection(tf.GraphKeys.SAVERS))}


def case_save_restore_roundtrip(tf):
    d = _tmp()
    try:
        w = tf.Variable([[1.5, -2.0], [3.25, 4.0]], name="w")
        i = tf.Variable([7, 8, 9], dtype=tf.int64, name="i")
        flag = tf.Variable(True, name="flag")
        s = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = s.save(sess, os.path.join(d, "model"), write_meta_graph=False)
            sess.run([tf.assign(w, tf.zeros([2, 2])), tf.assign(i, [0, 0, 0]), tf.assign(flag, False)])
            before = sess.run([w, i, flag])
            s.restore(sess, path)
            after = sess.run([w, i, flag])
        return [_rel(d, path), before, after]
    finally:
        shutil.rmtree(d)


def case_global_step_names_and_state(tf):
    d = _tmp()
    try:
        tf.Variable([1.0, 2.0], name="w")
        step = tf.train.get_or_create_global_step()
        inc = tf.assign_add(step, 1)
        s = tf.train.Saver(max_to_keep=2)
        out = []
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(inc)
                out.append(_rel(d, s.save(sess, os.path.join(d, "model.ckpt"), global_step=step,
                                          write_meta_graph=False)))
            out.append(_rel(d, s.save(sess, os.path.join(d, "model.ckpt"), global_step=np.int64(40),
                                      write_meta_graph=False)))
            out.append(_rel(d, s.save(sess, os.path.join(d, "plain"), write_meta_graph=False)))
            state = tf.train.get_checkpoint_state(d)
            return {"saved": out, "last": [_rel(d, p) for p in s.last_checkpoints],
                    "latest": _rel(d, tf.train.latest_checkpoint(d)),
                    "state": [_rel(d, state.model_checkpoint_path),
                              [_rel(d, p) for p in state.all_model_checkpoint_paths]],
                    "exists": [tf.train.checkpoint_exists(os.path.join(d, n)) for n in
                               ("model.ckpt-1", "model.ckpt-2", "model.ckpt-3", "model.ckpt-40", "plain")]}
    finally:
        shutil.rmtree(d)


def case_max_to_keep_none_keeps_all(tf):
    d = _tmp()
    try:
        tf.Variable([1.0], name="w")
        s = tf.train.Saver(max_to_keep=None)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in range(4):
                s.save(sess, os.path.join(d, "m"), global_step=step, write_meta_graph=False)
            state = tf.train.get_checkpoint_state(d)
            return [s.last_checkpoints, [_rel(d, p) for p in state.all_model_checkpoint_paths],
                    [tf.train.checkpoint_exists(os.path.join(d, f"m-{k}")) for k in range(4)]]
    finally:
        shutil.rmtree(d)


def case_relative_save_path(tf):
    d = _tmp()
    cwd = os.getcwd()
    try:
        os.chdir(d)
        os.mkdir("ckpt")
        tf.Variable([1.0], name="w")
        s = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            p = s.save(sess, "ckpt/model", global_step=3, write_meta_graph=False)
        with open("ckpt/checkpoint") as f:
            text = f.read()
        return [p, text, tf.train.latest_checkpoint("ckpt")]
    finally:
        os.chdir(cwd)
        shutil.rmtree(d)


def case_restore_errors(tf):
    d = _tmp()
    try:
        w = tf.Variable([1.0, 2.0], name="w")
        s = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = s.save(sess, os.path.join(d, "model"), write_meta_graph=False)
        out = {}
        for label, build in (("shape", lambda: tf.Variable([1.0, 2.0, 3.0], name="w")),
                             ("missing", lambda: [tf.Variable([1.0, 2.0], name="w"), tf.Variable(1.0, name="v")]),
                             ("dtype", lambda: tf.Variable([1, 2], name="w"))):
            tf.reset_default_graph()
            build()
            saver = tf.train.Saver()
            with tf.Session() as sess:
                out[label] = raises(lambda: saver.restore(sess, path))
        tf.reset_default_graph()
        tf.Variable([1.0, 2.0], name="w")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            out["not_a_checkpoint"] = raises(lambda: saver.restore(sess, os.path.join(d, "nothere")))
            out["none"] = raises(lambda: saver.restore(sess, None))
            out["no_parent_dir"] = raises(lambda: saver.save(sess, os.path.join(d, "no", "such", "dir", "m"),
                                                             write_meta_graph=False))
            out["bad_latest_filename"] = raises(lambda: saver.save(sess, os.path.join(d, "m"),
                                                                   latest_filename="a/b"))
        out["no_variables"] = raises(lambda: tf.train.Saver([]))
        out["duplicate"] = raises(lambda: tf.train.Saver([w, w]))
        out["empty_allowed"] = tf.train.Saver([], allow_empty=True).saver_def is None
        return out
    finally:
        shutil.rmtree(d)


def case_restore_error_message(tf):
    d = _tmp()
    try:
        tf.Variable([1.0, 2.0], name="w")
        s = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = s.save(sess, os.path.join(d, "model"), write_meta_graph=False)
        tf.reset_default_graph()
        tf.Variable([1.0, 2.0], name="w")
        tf.Variable(1.0, name="v")
        s = tf.train.Saver()
        with tf.Session() as sess:
            try:
                s.restore(sess, path)
            except tf.errors.NotFoundError as e:
                return [e.message.splitlines()[0], "Key v not found in checkpoint" in e.message]
    finally:
        shutil.rmtree(d)


def case_var_list_dict_and_subset(tf):
    d = _tmp()
    try:
        a = tf.Variable([1.0, 2.0], name="a")
        b = tf.Variable(5.0, name="b")
        s = tf.train.Saver({"renamed/a": a})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = s.save(sess, os.path.join(d, "m"), write_meta_graph=False)
            names = sorted(tf.train.list_variables(path))
        tf.reset_default_graph()
        x = tf.Variable([0.0, 0.0], name="x")
        y = tf.Variable(0.0, name="y")
        s2 = tf.train.Saver({"renamed/a": x})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            s2.restore(sess, path)
            return [names, sess.run([x, y]), tf.train.load_variable(path, "renamed/a"), b.name]
    finally:
        shutil.rmtree(d)


def case_checkpoint_reader(tf):
    d = _tmp()
    try:
        tf.Variable([[1.0, 2.0]], name="w")
        tf.Variable(3, dtype=tf.int64, name="n")
        s = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            s.save(sess, os.path.join(d, "m"), global_step=5, write_meta_graph=False)
        r = tf.train.NewCheckpointReader(tf.train.latest_checkpoint(d))
        return [r.get_variable_to_shape_map(), {k: v.name for k, v in r.get_variable_to_dtype_map().items()},
                r.has_tensor("w"), r.has_tensor("nope"), r.get_tensor("w"), tf.train.list_variables(d),
                tf.train.load_variable(d, "n"), raises(lambda: r.get_tensor("nope"))]
    finally:
        shutil.rmtree(d)


def case_restore_into_optimizer_slots(tf):
    d = _tmp()
    try:
        def build():
            w = tf.Variable([1.0, -2.0], name="w")
            loss = tf.reduce_sum(tf.square(w))
            step = tf.train.get_or_create_global_step()
            train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
            return w, loss, train, step
        w, loss, train, step = build()
        s = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
            path = s.save(sess, os.path.join(d, "m"), global_step=step, write_meta_graph=False)
            sess.run(train)
            expected = sess.run([w, loss])
        tf.reset_default_graph()
        w, loss, train, step = build()
        s = tf.train.Saver()
        with tf.Session() as sess:
            s.restore(sess, path)
            restored_step = sess.run(step)
            sess.run(train)
            got = sess.run([w, loss])
        return [_rel(d, path), restored_step, expected, got, sorted(n for n, _ in tf.train.list_variables(path))]
    finally:
        shutil.rmtree(d)
