"""tf.print (PrintV2 over StringFormat) written to a file:// stream, so the text itself is compared; tf.timestamp."""
import collections
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _printed(tf, build, runs=1):
    """(the ops' graph facts, the text the prints wrote) for print ops build(stream) returns."""
    d = tempfile.mkdtemp()
    try:
        path = os.path.join(d, "out.txt")
        ops = build("file://" + path)
        ops = ops if isinstance(ops, list) else [ops]
        with tf.Session() as s:
            for _ in range(runs):
                for o in ops:
                    s.run(o)
        with open(path) as f:
            text = f.read()
        facts = [(o.name, o.type, [t.name for t in o.inputs], o.get_attr("end"),
                  o.get_attr("output_stream").startswith(b"file://")) for o in ops]
        fmts = [(o.inputs[0].op.type, o.inputs[0].op.name) for o in ops]
        return [facts, fmts, text]
    finally:
        shutil.rmtree(d, ignore_errors=True)


def case_print_tensors_and_python_values(tf):
    x = tf.constant([[1.0, 2.5, 3.0], [4.0, 5.0, 6.0]])
    return _printed(tf, lambda s: tf.print("x:", x, 3, [1, "s"], tf.constant(True), output_stream=s))


def case_print_summarize_sep_end(tf):
    x = tf.reshape(tf.range(24), [2, 3, 4])
    return _printed(tf, lambda s: [tf.print("r", x, summarize=2, sep="|", end="!\n", output_stream=s),
                                   tf.print(x, summarize=-1, output_stream=s, name="all"),
                                   tf.print(tf.range(10), output_stream=s)])


def case_print_structures(tf):
    d = {"b": tf.constant(2), "a": [1, "s"], "c": (tf.constant([1.5, 2.0]), None)}
    od = collections.OrderedDict([("z", tf.constant(1)), ("y", 2)])
    return _printed(tf, lambda s: [tf.print(d, output_stream=s), tf.print(od, [tf.constant("t")], output_stream=s),
                                   tf.print("{}", tf.constant(4), output_stream=s)])


def case_print_sparse_and_scalar_string(tf):
    st = tf.SparseTensor([[0, 1], [1, 2]], [7, 8], [2, 3])
    return _printed(tf, lambda s: [tf.print(st, output_stream=s), tf.print(tf.constant("only me"), output_stream=s),
                                   tf.print("a", "b", output_stream=s), tf.print(output_stream=s)], runs=2)


def case_print_dtypes(tf):
    vals = [tf.constant([0.1, 1e-7, 3e20], tf.float64), tf.constant([1.5, -2.0], tf.float16),
            tf.constant([b"a\tb", b"\x01"]), tf.constant([True, False]), tf.constant([2 ** 40], tf.int64),
            tf.constant([200], tf.uint8), tf.zeros([0, 2])]
    return _printed(tf, lambda s: tf.print(*vals, output_stream=s))


def case_print_in_control_dependencies(tf):
    def build(s):
        x = tf.constant(3.0)
        p = tf.print("value", x, output_stream=s)
        with tf.control_dependencies([p]):
            y = tf.identity(x * 2)
        return [y.op]
    d = tempfile.mkdtemp()
    try:
        path = os.path.join(d, "o.txt")
        y = build("file://" + path)[0].outputs[0]
        with tf.Session() as s:
            v = s.run(y)
        with open(path) as f:
            return [v, f.read()]
    finally:
        shutil.rmtree(d, ignore_errors=True)


def case_print_errors(tf):
    return [raises(lambda: tf.print("a", sep2=1)), raises(lambda: tf.print("a", output_stream="nowhere")),
            raises(lambda: tf.print("a", output_stream=open)),
            tf.print("a").get_attr("output_stream"), tf.print("a", output_stream=tf.logging.info).get_attr(
                "output_stream"), tf.print("b", output_stream=tf.logging.WARN).get_attr("output_stream"),
            tf.print("b", name="p").name, tf.print("b", name="p").inputs[0].op.name]


def case_timestamp(tf):
    t = tf.timestamp()
    t2 = tf.timestamp(name="when")
    with tf.Session() as s:
        a, b = s.run([t, t2])
    return [t.name, t.dtype.name, str(t.shape), t2.name, bool(a > 1.7e9), bool(abs(a - b) < 60),
            tf.gradients(t * 2.0, [t])[0] is not None]
