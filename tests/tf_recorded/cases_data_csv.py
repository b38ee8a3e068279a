"""Recorded cases: tf.data.experimental.make_csv_dataset: column names from the header, types inferred from the
first rows (int32, int64, float32, float64, string), labels, select_columns, given column defaults, epochs,
seeded shuffling, errors."""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error  # noqa: E402

FILES = {"a.csv": "x,y,name,label,big\n1,2.5,foo,0,1\n3,,bar,1,2\n5,4.5,,0,3\n",
         "b.csv": "x,y,name,label,big\n7,1e3,baz,1,9999999999\n9,0.25,qux,0,5\n"}


class _Folder:
    def __enter__(self):
        self.root = tempfile.mkdtemp()
        for name, text in FILES.items():
            with open(os.path.join(self.root, name), "w") as f:
                f.write(text)
        return os.path.join(self.root, "*.csv")

    def __exit__(self, *exc):
        shutil.rmtree(self.root, ignore_errors=True)


def _all(tf, ds, limit=20):
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    out = []
    with tf.Session() as s:
        for _ in range(limit):
            try:
                out.append(s.run(nxt))
            except tf.errors.OutOfRangeError:
                out.append("end")
                break
    return out


def _spec(tf, ds):
    types, shapes = tf.data.get_output_types(ds), tf.data.get_output_shapes(ds)

    def plain(x):
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items()}
        if isinstance(x, tuple):
            return [plain(v) for v in x]
        return x.name if hasattr(x, "is_floating") else (x.as_list() if x.ndims is not None else None)
    return [plain(types), plain(shapes)]


def case_inferred(tf):
    with _Folder() as pattern:
        ds = tf.data.experimental.make_csv_dataset(pattern, 2, label_name="label", shuffle=False, num_epochs=1)
        return [_spec(tf, ds), _all(tf, ds)]


def case_no_label_select_and_defaults(tf):
    with _Folder() as pattern:
        ds = tf.data.experimental.make_csv_dataset(pattern, 3, select_columns=["name", 0], shuffle=False,
                                                   num_epochs=1)
        given = tf.data.experimental.make_csv_dataset(
            pattern, 2, column_defaults=[tf.int64, [0.5], ["?"], tf.int32, tf.float64], label_name="x",
            shuffle=False, num_epochs=1)
        return [_spec(tf, ds), _all(tf, ds), _spec(tf, given), _all(tf, given)]


def case_epochs_drop_remainder(tf):
    with _Folder() as pattern:
        two = tf.data.experimental.make_csv_dataset(pattern, 2, select_columns=["x"], shuffle=False, num_epochs=2)
        forever = tf.data.experimental.make_csv_dataset(pattern, 4, select_columns=["x"], shuffle=False)
        return [_spec(tf, two), _all(tf, two), _spec(tf, forever), _all(tf, forever, 3)]


def case_shuffled_with_seed(tf):
    with _Folder() as pattern:
        ds = tf.data.experimental.make_csv_dataset(pattern, 5, select_columns=["x"], shuffle_seed=3, num_epochs=1)
        got = _all(tf, ds)
        return [sorted(got[0]["x"].tolist()), len(got)]


def case_errors(tf):
    with _Folder() as pattern:
        missing = tf.data.experimental.make_csv_dataset(pattern, 2, column_defaults=[tf.int32] * 5, shuffle=False,
                                                        num_epochs=1)
        return [error(lambda: tf.data.experimental.make_csv_dataset(pattern + ".none", 2)),
                error(lambda: tf.data.experimental.make_csv_dataset(pattern, 2, label_name="nope")),
                error(lambda: tf.data.experimental.make_csv_dataset(pattern, 2, select_columns=["x", "x"])),
                error(lambda: tf.data.experimental.make_csv_dataset(pattern, 2, header=False)),
                error(lambda: _all(tf, missing))]
