"""Framework-level names that have no TF value to record: what raygraph cannot do says so, and why."""
import pytest

import raygraph as tf


@pytest.mark.parametrize("name", ["load_op_library", "load_library", "load_file_system_library"])
def test_native_libraries_say_raygraph_runs_no_compiled_kernels(name):
    with pytest.raises(NotImplementedError, match=f"tf.{name}\\('x.so'\\): raygraph runs no compiled"):
        getattr(tf, name)("x.so")


def test_ragged_names_say_ragged_tensors_are_not_implemented():
    for call, what in [(lambda: tf.RaggedTensor(), "RaggedTensor"),
                       (lambda: tf.RaggedTensor.from_row_splits([1, 2], [0, 1, 2]), "RaggedTensor.from_row_splits"),
                       (lambda: tf.RaggedTensorSpec([2, None]), "RaggedTensorSpec"),
                       (lambda: tf.ragged_fill_empty_rows([0], [1], [2], 0), "ragged_fill_empty_rows"),
                       (lambda: tf.ragged_fill_empty_rows_grad([0], [1]), "ragged_fill_empty_rows_grad")]:
        with pytest.raises(NotImplementedError, match=f"tf.{what}: raygraph does not implement ragged tensors"):
            call()
    assert not isinstance(tf.constant(1), tf.RaggedTensor)


def test_version_names_the_tf1_api_and_raygraphs_build():
    assert tf.VERSION == "1.15.0" and tf.VERSION.startswith("1.")
    assert tf.COMPILER_VERSION.startswith("Python ") and tf.CXX11_ABI_FLAG == 0 and tf.MONOLITHIC_BUILD == 0
    assert tf.GRAPH_DEF_VERSION == tf.Graph().as_graph_def().versions.producer


def test_tf_print_writes_to_the_clients_stream_before_run_returns(rtf, capsys):
    tf = rtf
    err = tf.print("loss:", tf.constant([1.5, 2.0]))
    out = tf.print({"step": tf.constant(3)}, output_stream=__import__("sys").stdout, end="|")
    with tf.Session() as s:
        capsys.readouterr()
        s.run([err])
        s.run(out)
        got = capsys.readouterr()
    assert got.err == "loss: [1.5 2]\n" and got.out == "{'step': 3}|"
