"""`tf.strings`: string ops (tf.compat.v1's names); the functions that take or return ragged tensors raise
NotImplementedError."""
from .ops.string_joins import (ngrams, reduce_join, string_format as format, string_join as join,  # noqa: F401
                               unsorted_segment_join)
from .ops.regexes import regex_full_match, regex_replace  # noqa: F401
from .ops.strings import (as_string, bytes_split, split, substr,  # noqa: F401
                          string_length as length, string_lower as lower, string_strip as strip,
                          string_to_hash_bucket as to_hash_bucket, string_to_hash_bucket_fast as to_hash_bucket_fast,
                          string_to_hash_bucket_strong as to_hash_bucket_strong, string_to_number as to_number,
                          string_upper as upper, unicode_decode, unicode_decode_with_offsets, unicode_encode,
                          unicode_script, unicode_split, unicode_split_with_offsets, unicode_transcode)
