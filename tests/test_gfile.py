"""tf.io.gfile's walk where TF's own crashes (TF 2.21 calls `onerror`, then reads an unset listing)."""
import raygraph as tf


def test_walk_gives_an_unlistable_top_to_onerror_and_yields_nothing(tmp_path):
    seen = []
    assert list(tf.io.gfile.walk(str(tmp_path / "nope"), onerror=seen.append)) == []
    assert [type(e) for e in seen] == [tf.errors.NotFoundError]


def test_walk_without_onerror_skips_an_unlistable_top(tmp_path):
    (tmp_path / "d").mkdir()
    assert list(tf.io.gfile.walk(str(tmp_path / "nope"))) == []
    assert [(d, s, f) for d, s, f in tf.io.gfile.walk(str(tmp_path))] == [(str(tmp_path), ["d"], []),
                                                                          (str(tmp_path / "d"), [], [])]
