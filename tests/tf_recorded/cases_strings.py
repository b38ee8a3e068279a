"""tf.strings and TF1's top-level string ops: op types and names, static shapes, dtypes, values (hashes bit for
bit), and the errors TF raises when building and when running."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _desc(t):
    shape = t.shape.as_list() if t.shape.ndims is not None else None
    return [t.op.name, t.op.type, t.dtype.name, shape]


def _run(tf, fetches, feed=None):
    with tf.Session() as s:
        return s.run(fetches, feed)


def _hex(values):
    return [bytes(v).hex() for v in np.asarray(values, object).ravel()]


WORDS = ["", "a", "ab", "abc", "hello", "TensorFlow", "0123456789abcdef", "0123456789abcdefg",
         "the quick brown fox jumps", "x" * 32, "y" * 33, "z" * 64, "lorem ipsum " * 6, "w" * 65, "q" * 200,
         "héllo wörld", "\x00\x01\xff".encode("latin-1").decode("latin-1")]


def case_as_string_ints_and_widths(tf):
    x = tf.constant([[-3, 0, 42]], tf.int32)
    outs = [tf.as_string(x), tf.strings.as_string(x, width=5), tf.as_string(x, width=5, fill="0", name="padded"),
            tf.as_string(tf.constant([7], tf.int64), width=3, fill="0"),
            tf.as_string(tf.constant([True, False])), tf.as_string(tf.constant(200, tf.uint8))]
    return [[_desc(t) for t in outs], _run(tf, outs)]


def case_as_string_floats(tf):
    x = tf.constant([0.0, 1.5, -2.25, 1e10, 1.0 / 3, 123456.789], tf.float32)
    d = tf.constant([1.0 / 3, 2.0e-8, 1e300], tf.float64)
    outs = [tf.as_string(x), tf.as_string(x, precision=2), tf.as_string(x, scientific=True),
            tf.as_string(x, shortest=True), tf.as_string(x, precision=3, width=12), tf.as_string(d),
            tf.as_string(d, shortest=True), tf.as_string(d, precision=1, scientific=True)]
    return [[_desc(t) for t in outs], _run(tf, outs)]


def case_as_string_errors(tf):
    x = tf.constant([1.5])
    return [raises(lambda: _run(tf, tf.as_string(x, scientific=True, shortest=True))),
            raises(lambda: _run(tf, tf.as_string(x, fill="ab"))),
            raises(lambda: _run(tf, tf.as_string(tf.constant([1]), precision=2))),
            raises(lambda: _run(tf, tf.as_string(x, fill="0", width=4)))]


def case_string_join_broadcast(tf):
    a = tf.constant([["a", "b"], ["c", "d"]])
    out = [tf.string_join([a, "x"], separator="-"), tf.strings.join(["p", "q"]), tf.strings.join([a, a], name="j")]
    return [[_desc(t) for t in out], _run(tf, out)]


def case_string_join_mismatch(tf):
    return raises(lambda: tf.strings.join([tf.constant(["a", "b"]), tf.constant(["a", "b", "c"])]))


def case_length_lower_upper_strip(tf):
    x = tf.constant(["Hello", "  TensorFlow\t\n", "héllo ÀB", ""])
    out = [tf.strings.length(x), tf.strings.length(x, unit="UTF8_CHAR"), tf.strings.lower(x), tf.strings.upper(x),
           tf.strings.lower(x, encoding="utf-8"), tf.strings.upper(x, encoding="utf-8"), tf.strings.strip(x),
           tf.string_strip(x, name="s")]
    return [[_desc(t) for t in out], _run(tf, out)]


def case_length_bad_unit(tf):
    return raises(lambda: tf.strings.length(tf.constant("a"), unit="CHAR"))


def case_reduce_join_axes(tf):
    x = tf.constant([["a", "b", "c"], ["d", "e", "f"]])
    out = [tf.reduce_join(x), tf.reduce_join(x, 0), tf.reduce_join(x, -1, separator=" "),
           tf.strings.reduce_join(x, axis=1, keep_dims=True), tf.reduce_join(x, [0, 1], keepdims=True),
           tf.reduce_join(x, [1, 0]), tf.reduce_join(x, reduction_indices=0, name="rj")]
    return [[_desc(t) for t in out], _run(tf, out)]


def case_reduce_join_unknown_shapes(tf):
    p = tf.placeholder(tf.string, [None, 2])
    q = tf.placeholder(tf.string)
    axis = tf.placeholder(tf.int32)
    out = [tf.reduce_join(p, 1), tf.reduce_join(p), tf.reduce_join(q, 0), tf.reduce_join(q),
           tf.reduce_join(p, axis), tf.reduce_join(p, axis, keep_dims=True)]
    feed = {p: [["a", "b"], ["c", "d"], ["e", "f"]], q: [["1", "2"], ["3", "4"]], axis: 0}
    names = [o.name for o in tf.get_default_graph().get_operations()]
    return [[_desc(t) for t in out], names, _run(tf, out, feed)]


def case_reduce_join_errors(tf):
    x = tf.constant([["a", "b"]])
    p = tf.placeholder(tf.int32)
    return [raises(lambda: tf.reduce_join(x, 2)), raises(lambda: tf.reduce_join(x, [0, 0])),
            raises(lambda: _run(tf, tf.reduce_join(x, p), {p: 3})),
            raises(lambda: _run(tf, tf.reduce_join(x, p), {p: [1, 1]}))]


def case_reduce_join_empty(tf):
    x = tf.zeros([2, 0], tf.string)
    out = [tf.reduce_join(x, 1), tf.reduce_join(x, 0), tf.reduce_join(x)]
    return [[_desc(t) for t in out], _run(tf, out)]


def case_regex_static_and_dynamic(tf):
    x = tf.constant(["abc123", "x-y-z", "", "AAA"])
    pat = tf.constant("[a-z]+")
    out = [tf.strings.regex_full_match(x, "[a-z]+\\d+"), tf.strings.regex_full_match(x, pat),
           tf.regex_replace(x, "[a-z]", "#"), tf.regex_replace(x, "[a-z]", "#", replace_global=False),
           tf.strings.regex_replace(x, pat, "<\\0>"), tf.regex_replace(x, "([a-z])-([a-z])", "\\2+\\1"),
           tf.regex_replace(x, "", "."), tf.regex_replace(x, "A*", "_", name="rr")]
    return [[_desc(t) for t in out], _run(tf, out)]


def case_regex_errors(tf):
    x = tf.constant(["abc"])
    return [raises(lambda: _run(tf, tf.strings.regex_full_match(x, "(a"))),
            raises(lambda: _run(tf, tf.regex_replace(x, "(a", "b"))),
            raises(lambda: _run(tf, tf.regex_replace(x, tf.constant("(a"), "b"))),
            raises(lambda: tf.regex_replace(x, tf.constant(["a"]), "b"))]


def case_substr_bytes(tf):
    x = tf.constant(["Hello", "World!", "ab"])
    out = [tf.substr(x, 0, 2), tf.strings.substr(x, 1, 10), tf.substr(x, -2, 2), tf.substr(x, [0, 1, 2], [1, 2, 0]),
           tf.substr(tf.constant("broadcast"), [0, 2, 4], [2, 2, 2]),
           tf.substr(tf.constant([["ab"], ["cd"]]), [0, 1], [1, 1], name="sub")]
    return [[_desc(t) for t in out], _run(tf, out)]


def case_substr_utf8(tf):
    x = tf.constant(["héllo", "wörld", "日本語"])
    out = [tf.strings.substr(x, 1, 2, unit="UTF8_CHAR"), tf.strings.substr(x, -2, 5, unit="UTF8_CHAR")]
    return [[_desc(t) for t in out], _run(tf, out)]


def case_substr_errors(tf):
    x = tf.constant(["Hello", "ab"])
    return [raises(lambda: _run(tf, tf.substr(x, 3, 1))), raises(lambda: _run(tf, tf.substr(x, -6, 1))),
            raises(lambda: tf.substr(x, [0, 1], 1)), raises(lambda: tf.substr(x, [0, 1, 2], [1, 1, 1])),
            raises(lambda: tf.substr(x, tf.constant(0, tf.int64), tf.constant(1, tf.int32)))]


def case_hash_buckets(tf):
    x = tf.constant(WORDS)
    out = [tf.string_to_hash_bucket(x, 1 << 62), tf.string_to_hash_bucket_fast(x, 1 << 62),
           tf.string_to_hash_bucket_strong(x, 1 << 62, [1, 2]),
           tf.strings.to_hash_bucket_strong(x, 1000, [0x0123456789ABCDEF, 0xFEDCBA98765]),
           tf.strings.to_hash_bucket(x, 10), tf.strings.to_hash_bucket_fast(x, 7, name="fast"),
           tf.strings.to_hash_bucket(tf.constant([["a"]]), num_buckets=3)]
    return [[_desc(t) for t in out], _run(tf, out)]


def case_hash_bucket_errors(tf):
    x = tf.constant(["a"])
    return [raises(lambda: tf.string_to_hash_bucket_strong(x, 10, [1])),
            raises(lambda: _run(tf, tf.string_to_hash_bucket_fast(x, 0)))]


def case_string_to_number(tf):
    x = tf.constant(["1", "-2.5", "3e2", " 4", "0x10", "inf", "nan"])
    ints = tf.constant(["12", "-7", "2147483647", "+5"])
    out = [tf.string_to_number(x), tf.strings.to_number(x, tf.float64), tf.string_to_number(ints, tf.int32),
           tf.strings.to_number(ints, out_type=tf.int64, name="n")]
    got = _run(tf, out)
    got[0], got[1] = [str(v) for v in got[0]], [str(v) for v in got[1]]
    return [[_desc(t) for t in out], got]


def case_string_to_number_errors(tf):
    return [raises(lambda: _run(tf, tf.string_to_number(tf.constant(["1.5x"])))),
            raises(lambda: _run(tf, tf.string_to_number(tf.constant(["1.5"]), tf.int32))),
            raises(lambda: _run(tf, tf.string_to_number(tf.constant(["2147483648"]), tf.int32))),
            raises(lambda: _run(tf, tf.string_to_number(tf.constant([""])))),
            raises(lambda: tf.string_to_number(tf.constant(["1"]), tf.int16))]


def case_base64(tf):
    x = tf.constant(["", "a", "ab", "abc", "hello world", "\xff\xfe?>"])
    enc, pad = tf.encode_base64(x), tf.io.encode_base64(x, pad=True)
    out = [enc, pad, tf.decode_base64(enc), tf.io.decode_base64(pad, name="dec")]
    return [[_desc(t) for t in out], _run(tf, out)]


def case_base64_errors(tf):
    return [raises(lambda: _run(tf, tf.decode_base64(tf.constant(["a"])))),
            raises(lambda: _run(tf, tf.decode_base64(tf.constant(["a+b/"])))),
            _run(tf, tf.decode_base64(tf.constant(["YWJj", "YWI", "YWI=", "YQ=="])))]


def case_unsorted_segment_join(tf):
    x = tf.constant([["a", "b"], ["c", "d"], ["e", "f"]])
    out = [tf.strings.unsorted_segment_join(x, [1, 0, 1], 3, separator=":"),
           tf.strings.unsorted_segment_join(tf.constant(["p", "q", "r"]), tf.constant([0, 0, 0], tf.int64), 1),
           tf.strings.unsorted_segment_join(x, [[0, 1], [1, 1], [0, 0]], 2, name="usj")]
    return [[_desc(t) for t in out], _run(tf, out)]


def case_unsorted_segment_join_errors(tf):
    x = tf.constant(["a", "b"])
    return [raises(lambda: _run(tf, tf.strings.unsorted_segment_join(x, [0, 5], 2))),
            raises(lambda: tf.strings.unsorted_segment_join(x, [0, 1, 2], 3))]


def case_format(tf):
    out = [tf.strings.format("x={} y={}", [tf.constant(3), tf.constant([1.5, 2.25])]),
           tf.strings.format("{}", tf.range(10)), tf.strings.format("v: {}", tf.reshape(tf.range(24), [2, 3, 4])),
           tf.strings.format("[{}]", tf.reshape(tf.range(40), [8, 5]), summarize=2),
           tf.strings.format("all {}", tf.range(7), summarize=-1),
           tf.strings.format("s {} b {}", [tf.constant(["a", "b\n"]), tf.constant([True, False])]),
           tf.strings.format("%s and <> <>", [tf.constant(1.0 / 3), tf.constant(2.0, tf.float64)], placeholder="<>"),
           tf.strings.format("none", [], name="fmt"), tf.strings.format("{}", tf.zeros([2, 0]))]
    return [[_desc(t) for t in out], _run(tf, out)]


def case_format_errors(tf):
    return [raises(lambda: tf.strings.format("{} {}", [tf.constant(1)])),
            raises(lambda: tf.strings.format("{}", [tf.constant(1), tf.constant(2)]))]


def case_unicode_transcode(tf):
    x = tf.constant(["héllo", "abc", "日本"])
    out = [tf.strings.unicode_transcode(x, "UTF-8", "UTF-16-BE"), tf.strings.unicode_transcode(x, "UTF-8", "UTF-32-BE"),
           tf.strings.unicode_transcode(tf.constant([b"a\xffb"]), "UTF-8", "UTF-8"),
           tf.strings.unicode_transcode(tf.constant([b"a\xffb"]), "UTF-8", "UTF-8", errors="ignore"),
           tf.strings.unicode_transcode(tf.constant([b"a\xffb"]), "UTF-8", "UTF-8", replacement_char=63),
           tf.strings.unicode_transcode(tf.constant([b"\x00h\x00i"]), "UTF-16-BE", "UTF-8"),
           tf.strings.unicode_transcode(tf.constant(["a\x01b"]), "UTF-8", "UTF-8", replace_control_characters=True)]
    return [[_desc(t) for t in out], [_hex(v) for v in _run(tf, out)],
            raises(lambda: _run(tf, tf.strings.unicode_transcode(tf.constant([b"\xff"]), "UTF-8", "UTF-8",
                                                                 errors="strict"))),
            raises(lambda: tf.strings.unicode_transcode(x, "UTF-8", "latin1"))]


def case_unicode_script(tf):
    cps = tf.constant([ord(c) for c in "aZ1 Яαאب日あアก한ं"] + [-1, 0x10FFFF + 1], tf.int32)
    out = tf.strings.unicode_script(cps)
    return [_desc(out), _run(tf, out)]


def case_ngrams_dense(tf):
    x = tf.constant([["a", "b", "c", "d"], ["e", "f", "g", "h"]])
    out = [tf.strings.ngrams(x, 2), tf.strings.ngrams(x, 3, separator="_"),
           tf.strings.ngrams(tf.constant(["a", "b", "c"]), 2)]
    return [[[t.dtype.name, t.shape.as_list()] for t in out], _run(tf, out)]


def case_ngrams_options(tf):
    x = tf.constant([["a", "b", "c"], ["d", "e", "f"]])
    short = tf.constant([["a", "b"], ["c", "d"]])
    out = [tf.strings.ngrams(x, (1, 2)), tf.strings.ngrams(x, 2, pad_values=("<", ">")),
           tf.strings.ngrams(x, 3, pad_values="#", padding_width=1),
           tf.strings.ngrams(short, 3, preserve_short_sequences=True), tf.strings.ngrams(short, 3),
           tf.strings.ngrams(short, 4, pad_values=("<", ">"), padding_width=1, preserve_short_sequences=True),
           tf.strings.ngrams(tf.constant([[["a", "b"]], [["c", "d"]]]), 2)]
    return [[[t.dtype.name, t.shape.as_list()] for t in out], _run(tf, out)]


def case_string_to_number_more(tf):
    x = tf.constant(["1e40", "-0", "1.", ".5", "+3", "1e-50", "  -7  "])
    ints = tf.constant(["-2147483648", "007", "+0"])
    out = [tf.string_to_number(x), tf.string_to_number(x, tf.float64), tf.string_to_number(ints, tf.int32)]
    got = _run(tf, out)
    return [[str(v) for v in got[0]], [str(v) for v in got[1]], got[2],
            raises(lambda: _run(tf, tf.string_to_number(tf.constant(["1 2"])))),
            raises(lambda: _run(tf, tf.string_to_number(tf.constant(["1_0"])))),
            raises(lambda: _run(tf, tf.string_to_number(tf.constant(["0x1A"]), tf.int32)))]


def case_regex_unicode_and_anchors(tf):
    x = tf.constant(["héllo wörld", "日本語", "aaa", "a.b"])
    out = [tf.regex_replace(x, ".", "x"), tf.regex_replace(x, "^\\w+", "W"), tf.regex_replace(x, "\\.", "\\\\"),
           tf.strings.regex_full_match(x, ".{3}"), tf.regex_replace(x, "(a)(a)?", "[\\2\\1]"),
           tf.regex_replace(x, "\\s", "_"), tf.regex_replace(x, "a*?", "-")]
    return [[_desc(t) for t in out], _run(tf, out)]


def case_as_string_more(tf):
    c = tf.constant([1.5 + 2j, -0.25j], tf.complex64)
    h = tf.constant([0.1, 65504.0], tf.float16)
    out = [tf.as_string(c), tf.as_string(c, precision=1), tf.as_string(h), tf.as_string(h, shortest=True),
           tf.as_string(tf.constant([-5, 12], tf.int8), width=4, fill="-"),
           tf.as_string(tf.constant([3, -4]), fill="+"), tf.as_string(tf.constant([2.5]), width=8, fill="#")]
    return [[_desc(t) for t in out], _run(tf, out)]


def case_format_floats_and_nested(tf):
    out = [tf.strings.format("{}", tf.constant([1.0 / 3, 1e-20, 1e20], tf.float64)),
           tf.strings.format("{}", tf.constant([[0.1, 2.0]], tf.float32)),
           tf.strings.format("{} {}", [tf.constant("tab\there"), tf.constant(7, tf.int64)]),
           tf.strings.format("{}", tf.reshape(tf.range(16), [2, 2, 2, 2]), summarize=1)]
    return _run(tf, out)


def case_regex_re2_syntax(tf):
    x = tf.constant(["ab12", "x9\n", "", "A-b"])
    out = [tf.regex_replace(x, "[[:digit:]]+", "#"), tf.regex_replace(x, "[^[:alpha:]]", "."),
           tf.regex_replace(x, "\\z", "$"), tf.strings.regex_full_match(x, "[[:alnum:]]*"),
           tf.regex_replace(x, "[[:upper:][:space:]]", "_")]
    return [_run(tf, out), raises(lambda: _run(tf, tf.regex_replace(x, "a(?=b)", "-"))),
            raises(lambda: _run(tf, tf.regex_replace(x, "(a)\\1", "-"))),
            raises(lambda: _run(tf, tf.strings.regex_full_match(x, "(?<!a)b")))]


def _st(tf, s):
    return [type(s).__name__, _desc(s.indices), _desc(s.values), _desc(s.dense_shape)]


def case_string_split(tf):
    x = tf.constant(["hello world", "  a  b ", "", "a,b,,c"])
    out = [tf.string_split(x), tf.string_split(x, ", "), tf.string_split(x, ",", skip_empty=False),
           tf.string_split(x, delimiter=""), tf.string_split(["p q"], name="ss")]
    names = [o.name for o in tf.get_default_graph().get_operations()]
    got = _run(tf, out)
    return [[_st(tf, s) for s in out], names, [type(v).__name__ for v in got], [list(v) for v in got]]


def case_strings_split(tf):
    x = tf.constant(["hello world", "  a  b ", "", "a,b,,c"])
    out = [tf.strings.split(x), tf.strings.split(x, " "), tf.strings.split(x, ",", maxsplit=1),
           tf.strings.split("a b c", maxsplit=1), tf.strings.split(source=x, sep=",,", name="sp"),
           tf.strings.split(tf.placeholder(tf.string, [None]))]
    names = [o.name for o in tf.get_default_graph().get_operations()]
    return [[_st(tf, s) for s in out], names, [list(v) for v in _run(tf, out[:5])]]


def case_split_errors(tf):
    x = tf.constant([["a b"]])
    return [raises(lambda: tf.string_split(x)), raises(lambda: tf.string_split(["a"], tf.constant([" "]))),
            raises(lambda: tf.strings.split(["a b"], maxsplit=1.5))]
