"""tf.contrib.learn.preprocessing: TF 1.15's text utilities (VocabularyProcessor, CategoricalVocabulary,
ByteProcessor, tokenizer), their ids worked out by hand from TF's rules."""
import numpy as np
import pytest

import raygraph as tf

pre = tf.contrib.learn.preprocessing
DOCS = ["a b c", "a d", "b b b b e"]


def test_tokenizer_splits_as_tf():
    assert list(pre.tokenizer(["ABCDef HelloWorld it's x-y, NASA!"])) == [
        ["ABC", "Def", "Hello", "World", "it's", "x-y", "NASA"]]


def test_ids_in_order_of_first_appearance_cut_and_padded():
    vp = pre.VocabularyProcessor(4)
    rows = np.array(list(vp.fit_transform(DOCS)))
    assert rows.dtype == np.int64
    assert rows.tolist() == [[1, 2, 3, 0], [1, 4, 0, 0], [2, 2, 2, 2]]
    assert len(vp.vocabulary_) == 6                       # a b c d e and <UNK>
    assert next(vp.transform(["e z a"])).tolist() == [5, 0, 1, 0]   # frozen: z is unknown
    assert list(vp.reverse([[5, 0, 1, 0]])) == ["e <UNK> a <UNK>"]


def test_min_frequency_renumbers_by_frequency():
    vp = pre.VocabularyProcessor(4, min_frequency=1)
    rows = np.array(list(vp.fit_transform(DOCS)))
    assert rows.tolist() == [[2, 1, 0, 0], [2, 0, 0, 0], [1, 1, 1, 1]]   # b (5 times) 1, a (twice) 2
    vocab = pre.CategoricalVocabulary()
    for word, n in (("x", 3), ("w", 3), ("y", 1), ("z", 9)):
        vocab.add(word, n)
    vocab.trim(1, max_frequency=9)                        # z too frequent, y too rare, w before x
    assert [vocab.reverse(i) for i in range(len(vocab))] == ["<UNK>", "w", "x"]


def test_save_restore_and_custom_tokenizer(tmp_path):
    vp = pre.VocabularyProcessor(3, tokenizer_fn=lambda docs: (iter(d.split("|")) for d in docs))
    assert [r.tolist() for r in vp.fit_transform(["p|q", "q|r|s|t"])] == [[1, 2, 0], [2, 3, 4]]
    path = str(tmp_path / "vocab")
    pre.VocabularyProcessor(2).fit(DOCS).save(path)
    back = pre.VocabularyProcessor.restore(path)
    assert [r.tolist() for r in back.transform(["d a"])] == [[4, 1]]


def test_vocabulary_without_reverse_and_byte_processor():
    vocab = pre.CategoricalVocabulary(support_reverse=False)
    assert vocab.get("k") == 1 and vocab.get("k") == 1
    with pytest.raises(ValueError, match="support_reverse"):
        vocab.reverse(1)
    bp = pre.ByteProcessor(4)
    rows = [r.tolist() for r in bp.fit_transform(["hi", "héllo"])]
    assert rows == [[104, 105, 0, 0], [104, 195, 169, 108]]
    assert list(bp.reverse(np.array([[104, 105, 0, 0]], np.uint8))) == ["hi"]
