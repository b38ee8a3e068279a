"""Recorded cases: tf.saved_model's constants and TF1 main ops, tf.version, tf.initializers.tables_initializer."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error  # noqa: E402

CONSTANTS = ["ASSETS_DIRECTORY", "ASSETS_KEY", "CLASSIFY_INPUTS", "CLASSIFY_METHOD_NAME", "CLASSIFY_OUTPUT_CLASSES",
             "CLASSIFY_OUTPUT_SCORES", "DEBUG_DIRECTORY", "DEBUG_INFO_FILENAME_PB", "DEFAULT_SERVING_SIGNATURE_DEF_KEY",
             "GPU", "LEGACY_INIT_OP_KEY", "MAIN_OP_KEY", "PREDICT_INPUTS", "PREDICT_METHOD_NAME", "PREDICT_OUTPUTS",
             "REGRESS_INPUTS", "REGRESS_METHOD_NAME", "REGRESS_OUTPUTS", "SAVED_MODEL_FILENAME_PB",
             "SAVED_MODEL_FILENAME_PBTXT", "SAVED_MODEL_SCHEMA_VERSION", "SERVING", "TPU", "TRAINING",
             "VARIABLES_DIRECTORY", "VARIABLES_FILENAME"]


def case_saved_model_constants(tf):
    return [[n, getattr(tf.saved_model, n)] for n in CONSTANTS]


def case_saved_model_main_ops(tf):
    v = tf.Variable(1.0, name="v")
    tf.Variable(2.0, name="w", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    op = tf.saved_model.main_op.main_op()
    restore = tf.saved_model.main_op_with_restore(v.initializer)
    with tf.Session() as s:
        s.run(restore)
        values = s.run(["v:0", "w:0"])
    return [describe(tf), op.name, restore.name, values, error(lambda: tf.group("v/Assign"))]


def case_contains_saved_model_and_version(tf):
    import tempfile
    d = tempfile.mkdtemp()
    before = tf.saved_model.contains_saved_model(d)
    open(os.path.join(d, "saved_model.pb"), "wb").close()
    return [before, tf.saved_model.contains_saved_model(d), tf.initializers.tables_initializer().type,
            sorted(n for n in dir(tf.version) if n.isupper() and n.startswith(("GRAPH_DEF", "VERSION")))]
