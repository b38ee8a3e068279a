"""tf.Print: TF1's text (recorded from TensorFlow 2.21, whose kernel writes it to std::cerr), written to the
client's stderr before `run` returns, once per run (or first_n runs)."""

TF_TEXT = ("x is [1 2.5][[1 2][3...]...][a\\tb][1]\n"
           "[0 1 2 3...][0.1][[0.1 1e-07][3e+20 -2]]\n"
           "[0 1 2 3...][0.1][[0.1 1e-07][3e+20 -2]]\n"
           "[][7]\n")


def test_print_writes_tfs_text_in_program_order(rtf, capsys):
    tf = rtf
    x = tf.constant([1.0, 2.5])
    y = tf.Print(x, [x, tf.constant([[1, 2], [3, 4]]), "a\tb", tf.constant(True)], message="x is ")
    z = tf.Print(x, [tf.range(10), tf.constant(0.1, tf.float64), tf.constant([[0.1, 1e-7], [3e20, -2.0]])],
                 summarize=4, first_n=2, name="limited")
    w = tf.Print(x, [tf.zeros([0, 3]), tf.constant(7)], summarize=-1)
    with tf.Session() as s:
        capsys.readouterr()
        s.run(y)
        for _ in range(3):
            s.run(z)
        s.run(w)
        assert capsys.readouterr().err == TF_TEXT  # all of it before the last run returned


def test_what_a_py_func_prints_comes_back_in_program_order(rtf, capfd):
    tf = rtf

    def f(x):
        print("py_func sees", x.tolist())
        return x * 2

    x = tf.constant([1.0, 2.5])
    y = tf.Print(tf.py_func(f, [x], tf.float32), [x], message="then ")
    with tf.Session() as s:
        capfd.readouterr()
        s.run(y)
        out = capfd.readouterr()
        assert out.out == "py_func sees [1.0, 2.5]\n"  # in this process's stdout before run returned
        assert out.err == "then [1 2.5]\n"
