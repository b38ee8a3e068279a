"""Session tensor handles: a tensor kept in its device between runs, read back, deleted."""


def failure(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        lines = [line.strip() for line in str(e).splitlines()]
        return [type(e).__name__, [line for line in lines if "session store" in line or "declared" in line
                                   or "Persistent" in line or "must be" in line]]
    return "no error"


def case_handle_graph(tf):
    c = tf.multiply(tf.constant([[1.0, 2.0]]), tf.constant(10.0))
    h = tf.get_session_handle(c)
    h2 = tf.get_session_handle(tf.constant("s"), name="named")
    p, x = tf.get_session_tensor("GetSessionHandle;0;/job:localhost/replica:0/task:0/device:CPU:0", tf.float32)
    d, dl = tf.delete_session_tensor("GetSessionHandle;0;/job:localhost/replica:0/task:0/device:CPU:0")
    return [h.name, h.op.type, h.dtype.name, str(h.shape), [t.name for t in h.op.inputs], h.op.colocation_groups(),
            h2.name, p.name, p.dtype.name, p.device, x.name, x.op.type, x.dtype.name, str(x.shape), x.device,
            d.name, dl.name, dl.type, dl.device, len(dl.outputs), failure(lambda: tf.get_session_handle(3.0))]


def case_handles_across_runs(tf):
    a = tf.placeholder(tf.float32, [2])
    h = tf.get_session_handle(a * 10.0)
    with tf.Session() as s:
        h1 = s.run(h, {a: [1.0, 2.0]})
        h2 = s.run(h, {a: [3.0, 4.0]})
        both = s.run([h, h], {a: [5.0, 6.0]})
        p, x = tf.get_session_tensor(h1.handle, tf.float32)
        y = x + 1.0
        out = [type(h1).__name__, h1.handle, str(h2), [b.handle for b in both], s.run(y, {p: h1.handle}),
               s.run(y, {p: h2.handle}), h1.eval(), h2.eval()]
        # a handle feeds another step's handle: chained state across runs
        h3 = s.run(tf.get_session_handle(y), {p: h2.handle})
        p3, x3 = tf.get_session_tensor(h3.handle, tf.float32)
        out += [h3.handle, s.run(x3 * 2.0, {p3: h3.handle})]
        return out


def case_delete_and_errors(tf):
    a = tf.constant([1, 2, 3])
    h = tf.get_session_handle(a)
    with tf.Session() as s:
        h1 = s.run(h)
        h2 = s.run(h)
        p, x = tf.get_session_tensor(h1.handle, tf.int32)
        d, dl = tf.delete_session_tensor(h2.handle)
        out = [s.run(x, {p: h2.handle}), s.run(dl, {d: h2.handle}), failure(lambda: s.run(x, {p: h2.handle})),
               failure(lambda: s.run(dl, {d: h2.handle}))]
        _, wrong = tf.get_session_tensor(h1.handle, tf.float32)
        out.append(failure(lambda: s.run(wrong, {_: h1.handle})))
        h1.delete()
        out += [failure(h1.eval), failure(h1.delete), failure(lambda: s.run(x, {p: h1.handle}))]
        h3 = s.run(h)
        out += [h3.get_raw_handle(), h3.eval() if False else s.run(x, {p: h3.handle})]
        return out
