"""The program around the model: tf.gfile on a temporary directory, tf.logging, tf.flags, tf.compat."""
import io
import logging
import os
import pathlib
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def failure(fn, root):
    """[class name, message with the temp dir as D] of what fn raises, or 'no error'."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return [type(e).__name__, str(e).replace(root, "D")]
    return "no error"


class TempDir:
    def __enter__(self):
        self.root = tempfile.mkdtemp()
        return self.root

    def __exit__(self, *exc):
        shutil.rmtree(self.root, ignore_errors=True)


# ----- gfile -------------------------------------------------------------------------------------------
def case_gfile_names(tf):
    return sorted(n for n in dir(tf.gfile) if n[0].isupper() and n != "FileStatistics")


def case_gfile_write_read_text(tf):
    with TempDir() as d:
        p = os.path.join(d, "a.txt")
        out = [tf.gfile.Exists(p)]
        f = tf.gfile.GFile(p, "w")
        f.close()
        out.append(tf.gfile.Exists(p))  # opened for writing, never written: no file
        with tf.gfile.GFile(p, "w") as f:
            out += [f.write("h\u00e9llo\nworld\n"), f.tell()]
            f.write(b"bytes too\n")
        with tf.gfile.GFile(p) as f:
            out += [f.read(3), f.tell(), f.readline(), f.readlines(), f.read(), f.size()]
            f.seek(3)
            out += [f.tell(), f.read(5)]
            f.seek(-4, 2)
            out += [f.read(), raises(lambda: f.write("x"))]
            f.seek(offset=0)
            f.seek(2, 1)
            out += [f.tell(), failure(lambda: f.seek(0, 3), d), raises(f.seek)]
        with tf.gfile.Open(p, "a") as f:
            f.write("more")
        with tf.gfile.GFile(p, "r") as f:
            out.append(list(f))
        return out


def case_gfile_binary_and_modes(tf):
    with TempDir() as d:
        p = os.path.join(d, "b.bin")
        with tf.gfile.GFile(p, "wb") as f:
            f.write(b"\x00\x01\xffab\ncd")
        with tf.gfile.GFile(p, "rb") as f:
            out = [f.read(2).hex(), [line.hex() for line in f]]
        with tf.gfile.FastGFile(p, "rb") as f:
            out.append(f.read().hex())
        with tf.gfile.GFile(p, "r+") as f:  # TF truncates on the first write, r+ included
            out.append(f.read(1))
            f.write("z")
        out.append(open(p, "rb").read().hex())
        with tf.gfile.GFile(pathlib.Path(p), "w+") as f:
            f.write("new")
            f.flush()
            out += [f.read(), f.size()]
        out.append(failure(lambda: tf.gfile.GFile(p, "x"), d))
        out.append(failure(lambda: tf.gfile.GFile(p, "w").read(), d))
        return out


def case_gfile_errors(tf):
    with TempDir() as d:
        g = tf.gfile
        p = os.path.join(d, "a.txt")
        with g.GFile(p, "w") as f:
            f.write("x")
        nope = os.path.join(d, "nope")
        return [failure(lambda: g.GFile(nope).read(), d), failure(lambda: g.GFile(d).read(), d),
                failure(lambda: g.GFile(os.path.join(nope, "q"), "w").write("a"), d),
                failure(lambda: g.Remove(nope), d), failure(lambda: g.Stat(nope), d),
                failure(lambda: g.ListDirectory(p), d), failure(lambda: g.ListDirectory(nope), d),
                failure(lambda: g.MkDir(os.path.join(nope, "y")), d), failure(lambda: g.MkDir(d), d),
                failure(lambda: g.MakeDirs(os.path.join(p, "z")), d), failure(lambda: g.DeleteRecursively(nope), d),
                failure(lambda: g.Copy(nope, os.path.join(d, "c")), d), failure(lambda: g.Copy(p, p), d),
                failure(lambda: g.Rename(nope, os.path.join(d, "c")), d), failure(lambda: g.Rename(p, p), d),
                [e.__name__ for e in (tf.errors.NotFoundError, tf.errors.AlreadyExistsError)]]


def case_gfile_directories(tf):
    with TempDir() as d:
        g = tf.gfile
        g.MakeDirs(os.path.join(d, "x", "y", "z"))
        g.MakeDirs(os.path.join(d, "x", "y"))
        g.MkDir(os.path.join(d, "w"))
        for name in ("a.txt", "b.txt", "x/c.txt", "x/y/d.log"):
            with g.GFile(os.path.join(d, name), "w") as f:
                f.write(name)
        rel = lambda paths: sorted(p.replace(d, "D") for p in paths)  # noqa: E731
        walk = lambda top, order: [[t.replace(d, "D"), sorted(s), sorted(f)]  # noqa: E731
                                   for t, s, f in g.Walk(top, order)]
        out = [sorted(g.ListDirectory(d)), sorted(g.ListDirectory(os.path.join(d, "x"))),
               [g.IsDirectory(d), g.IsDirectory(os.path.join(d, "a.txt")), g.IsDirectory(os.path.join(d, "no"))],
               [g.Exists(d), g.Exists(os.path.join(d, "x/c.txt")), g.Exists(os.path.join(d, "no"))],
               rel(g.Glob(os.path.join(d, "*.txt"))), rel(g.Glob(os.path.join(d, "*/*"))),
               rel(g.Glob(os.path.join(d, "?.t*"))), rel(g.Glob(os.path.join(d, "x/y"))),
               g.Glob(os.path.join(d, "no*")),
               rel(g.Glob([os.path.join(d, "a.*"), os.path.join(d, "x/*.txt")])),
               walk(d, True), walk(d, False), walk(os.path.join(d, "no"), True)]
        s = g.Stat(os.path.join(d, "a.txt"))
        out += [s.length, s.is_directory, type(s.mtime_nsec).__name__, s.mtime_nsec > 0, g.Stat(d).is_directory]
        g.Copy(os.path.join(d, "a.txt"), os.path.join(d, "w", "a2.txt"))
        g.Copy(os.path.join(d, "b.txt"), os.path.join(d, "w", "a2.txt"), overwrite=True)
        g.Rename(os.path.join(d, "a.txt"), os.path.join(d, "w", "a3.txt"))
        g.Rename(os.path.join(d, "w", "a3.txt"), os.path.join(d, "b.txt"), True)
        g.Rename(os.path.join(d, "x", "y"), os.path.join(d, "w", "y"))
        out += [walk(d, True), g.GFile(os.path.join(d, "w", "a2.txt")).read(), g.GFile(os.path.join(d, "b.txt")).read()]
        g.Remove(os.path.join(d, "b.txt"))
        g.DeleteRecursively(os.path.join(d, "x", "c.txt"))
        g.DeleteRecursively(os.path.join(d, "w"))
        out.append(walk(d, True))
        return out


# ----- logging -----------------------------------------------------------------------------------------
def case_logging_names_and_levels(tf):
    L = tf.logging
    names = sorted(n for n in dir(L) if not n.startswith("_") and n in (
        "DEBUG ERROR FATAL INFO WARN TaskLevelStatusMessage debug error fatal flush get_verbosity info log "
        "log_every_n log_first_n log_if set_verbosity vlog warn warning").split())
    out = [names, [L.DEBUG, L.INFO, L.WARN, L.ERROR, L.FATAL], L.get_verbosity()]
    old = L.get_verbosity()
    try:
        for level in (L.DEBUG, L.INFO, L.ERROR, L.FATAL, L.WARN):
            L.set_verbosity(level)
            out.append([L.get_verbosity(), logging.getLogger("tensorflow").level])
    finally:
        L.set_verbosity(old)
    out.append(raises(L.flush))
    return out


def _captured(tf, fn):
    """The records fn logs to the "tensorflow" logger: 'LEVEL:name:message' and whether they name this file.

    (TF's fatal names its own logging module as the caller, so only "this file or not" is comparable.)"""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s:%(name)s:%(message)s:%(here)s"))
    handler.addFilter(_mark_here)
    logger = logging.getLogger("tensorflow")
    old, old_propagate = tf.logging.get_verbosity(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        fn()
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate
        tf.logging.set_verbosity(old)
    return stream.getvalue().splitlines()


def _mark_here(record):
    record.here = record.filename == os.path.basename(__file__)
    return True


# log_every_n/log_first_n count per "first frame outside the calling file": the loops run in code of
# another file name, so each line below that calls them has its own counter.
_COUNTED = compile("""
def every(L, n):
    for i in range(7):
        L.log_every_n(L.INFO, "every %d", n, i)
def first(L, n):
    for i in range(7):
        L.log_first_n(L.INFO, "first %d", n, i)
""", "<counted>", "exec")


def case_logging_functions(tf):
    L = tf.logging

    def body():
        L.info("hidden at WARN")
        L.warn("warn %s", 1)
        L.set_verbosity(L.DEBUG)
        L.debug("debug %d", 2)
        L.info("info %s", "x")
        L.warning("warning")
        L.error("error %r", "e")
        L.fatal("fatal")
        L.log(L.INFO, "log %d", 3)
        L.vlog(L.ERROR, "vlog")
        L.log_if(L.INFO, "if %s", True, "yes")
        L.log_if(L.INFO, "if %s", False, "no")
        L.TaskLevelStatusMessage("status")
        L.set_verbosity(L.ERROR)
        L.warn("hidden at ERROR")
        L.error("shown at ERROR")
    return _captured(tf, body)


def case_logging_counted(tf):
    L = tf.logging

    def body():
        L.set_verbosity(L.INFO)
        loops = {}
        exec(_COUNTED, loops)
        loops["every"](L, 3)
        loops["first"](L, 2)
        loops["every"](L, 3)
    return _captured(tf, body)


# ----- flags -------------------------------------------------------------------------------------------
def case_flags_parsing(tf):
    fv = tf.flags.FlagValues()
    F = tf.flags
    F.DEFINE_string("name", "world", "who", flag_values=fv)
    F.DEFINE_integer("n", 1, "count", lower_bound=0, flag_values=fv)
    F.DEFINE_float("rate", 0.5, "rate", flag_values=fv)
    F.DEFINE_boolean("loud", False, "shout", flag_values=fv)
    F.DEFINE_bool("quiet", True, "hush", flag_values=fv)
    F.DEFINE_list("items", [], "items", flag_values=fv)
    F.DEFINE_enum("color", "red", ["red", "green"], "color", flag_values=fv)
    F.DEFINE_multi_string("tag", [], "tags", flag_values=fv)
    F.DEFINE_multi_integer("k", [1], "ks", flag_values=fv)
    F.DEFINE_string(flag_name="old", default_value="o", docstring="old names", flag_values=fv)
    before = [fv.is_parsed(), raises(lambda: fv.name)]
    rest = fv(["prog", "--name=ray", "--n", "3", "--rate=0.25", "--loud", "--noquiet", "--items=a,b",
               "--color=green", "--tag=x", "--tag", "y", "--k=4", "--k=5", "--old=new", "pos"])
    values = [fv.name, fv.n, fv.rate, fv.loud, fv.quiet, fv.items, fv.color, fv.tag, fv.k, fv.old]
    defaults = [fv["name"].default, fv["n"].default, fv["items"].default]
    fv2 = tf.flags.FlagValues()
    F.DEFINE_integer("n", 1, "count", lower_bound=0, flag_values=fv2)
    F.DEFINE_string("req", None, "required", flag_values=fv2)
    F.mark_flag_as_required("req", flag_values=fv2)
    errs = [raises(lambda: fv2(["prog", "--n=-1", "--req=a"])), raises(lambda: fv2(["prog", "--n=x", "--req=a"])),
            raises(lambda: fv2(["prog", "--zzz=1", "--req=a"])), raises(lambda: fv2(["prog"]))]
    fv2.unparse_flags()
    unknown = fv2(["prog", "--zzz=1", "--req=b", "x"], known_only=True)
    return [before, rest, values, defaults, errs, unknown, fv2.req,
            raises(lambda: F.DEFINE_string("name", "again", "dup", flag_values=fv)),
            [tf.app.flags is tf.flags, callable(tf.app.run), type(F.FLAGS).__name__]]


# ----- compat ------------------------------------------------------------------------------------------
def case_compat_conversions(tf):
    c = tf.compat
    return [c.as_bytes("h\u00e9"), c.as_bytes(b"x"), c.as_bytes(bytearray(b"ab")), c.as_bytes("\u00e9", "latin-1"),
            c.as_text(b"h\xc3\xa9"), c.as_text("s"), c.as_str(b"x"), c.as_text(b"\xe9", encoding="latin-1"),
            c.as_str_any(b"b"), c.as_str_any(3), c.as_str_any([1, "a"]),
            c.path_to_str(pathlib.PurePosixPath("/a/b/../c")), c.path_to_str("plain"), c.path_to_str(7),
            raises(lambda: c.as_bytes(3)), raises(lambda: c.as_text(None)), raises(lambda: c.as_str(1.5)),
            [t.__name__ for t in c.bytes_or_text_types], isinstance(3, c.integral_types),
            isinstance(2.5, c.real_types)]
