"""String ops beyond the op rows and recorded cases: the hashes' published test vectors, and string tensors
crossing devices (they travel as Arrow binary arrays) through the string ops."""
import numpy as np

from raygraph.ops import fingerprints


def test_siphash_matches_the_reference_vector():
    # SipHash-2-4's paper (Aumasson and Bernstein, appendix A): key 00..0f, message 00..0e
    key = [int.from_bytes(bytes(range(8)), "little"), int.from_bytes(bytes(range(8, 16)), "little")]
    assert fingerprints.siphash(key, bytes(range(15))) == 0xa129ca6149be45e5


def test_hashes_cover_every_tail_length():
    # each length takes a different path through farmhash's and Murmur's tails: all must run and differ
    data = bytes(range(200))
    for fn in (fingerprints.fingerprint64, fingerprints.hash64, lambda s: fingerprints.siphash([1, 2], s)):
        values = {fn(data[:n]) for n in range(200)}
        assert len(values) == 200 and all(0 <= v < 2 ** 64 for v in values)


def test_string_ops_across_two_devices(rtf):
    tf = rtf
    with tf.device("/cpu:0"):
        words = tf.constant([["ä b", "c"], ["", "d e"]])
        upper = tf.strings.upper(words, encoding="utf-8")
    with tf.device("/cpu:1"):
        joined = tf.reduce_join(upper, 1, separator="|")
        buckets = tf.string_to_hash_bucket_fast(upper, 1000)
        sizes = tf.strings.length(joined, unit="UTF8_CHAR")
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as s:
        j, b, n = s.run([joined, buckets, sizes])
    assert j.tolist() == ["Ä B|C".encode(), b"|D E"]
    assert b.tolist() == [[fingerprints.fingerprint64(w) % 1000 for w in row]
                          for row in [["Ä B".encode(), b"C"], [b"", b"D E"]]]
    assert n.dtype == np.int32 and n.tolist() == [5, 4]
