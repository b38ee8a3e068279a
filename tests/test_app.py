"""tf.app.run with tf.flags and tf.logging, in a script run as its own process (what TF 2.21 prints and returns)."""
import os
import re
import subprocess
import sys
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SCRIPT = textwrap.dedent("""\
    import raygraph as tf

    tf.flags.DEFINE_string("name", "world", "who")
    tf.app.flags.DEFINE_integer("n", 1, "count")
    tf.flags.DEFINE_boolean("loud", False, "shout")
    tf.flags.DEFINE_list("items", [], "items")
    FLAGS = tf.flags.FLAGS


    def main(argv):
        tf.logging.set_verbosity(tf.logging.INFO)
        tf.logging.info("hello %s", FLAGS.name)
        tf.logging.warning("warn %d", FLAGS.n)
        print("argv", argv[1:], FLAGS.name, FLAGS.n, FLAGS.loud, FLAGS.items, tf.logging.get_verbosity())
        return FLAGS.n


    if __name__ == "__main__":
        tf.app.run()
    """)


def run_script(tmp_path, *args, script=SCRIPT):
    path = tmp_path / "script.py"
    path.write_text(script)
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, str(path), *args], capture_output=True, text=True, env=env, timeout=120)


def test_flags_parsed_unknown_kept_and_exit_code_is_mains_result(tmp_path):
    r = run_script(tmp_path, "--name=ray", "--n", "3", "--loud", "--items=a,b", "extra", "--unknown=5")
    assert r.returncode == 3
    assert r.stdout == "argv ['extra', '--unknown=5'] ray 3 True ['a', 'b'] 20\n"
    lines = r.stderr.splitlines()
    # TF's own handler ("LEVEL:tensorflow:msg"), then absl's on the root logger, naming the script's line
    assert lines[0] == "INFO:tensorflow:hello ray"
    assert re.fullmatch(r"I\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ script\.py:12\] hello ray", lines[1])
    assert lines[2] == "WARNING:tensorflow:warn 3"
    assert re.fullmatch(r"W\d{4} .* script\.py:13\] warn 3", lines[3])


def test_defaults_and_zero_exit(tmp_path):
    r = run_script(tmp_path)
    assert r.returncode == 1 and "argv [] world 1 False [] 20" in r.stdout
    r = run_script(tmp_path, "--n=0")
    assert r.returncode == 0


def test_bad_flag_value_fails(tmp_path):
    r = run_script(tmp_path, "--n=x")
    assert r.returncode == 1
    assert "IllegalFlagValueError: flag --n=x: invalid literal for int() with base 10: 'x'" in r.stderr


def test_main_gets_argv_and_string_result_goes_to_stderr(tmp_path):
    script = textwrap.dedent("""\
        import raygraph as tf
        def main(argv):
            print("main", argv[1:])
            return "bye"
        tf.app.run()
        """)
    r = run_script(tmp_path, "a", "b", script=script)
    assert (r.returncode, r.stdout, r.stderr) == (1, "main ['a', 'b']\n", "bye\n")


def test_explicit_main_and_argv(tmp_path):
    script = textwrap.dedent("""\
        import sys
        import raygraph as tf
        tf.flags.DEFINE_float("rate", 0.5, "rate")
        tf.app.run(main=lambda argv: print(argv, tf.flags.FLAGS.rate), argv=["prog", "--rate=2", "x"])
        """)
    r = run_script(tmp_path, "--rate=9", script=script)
    assert (r.returncode, r.stdout) == (0, "['prog', 'x'] 2.0\n")
