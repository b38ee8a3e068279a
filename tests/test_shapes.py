"""Static shapes and build-time shape errors of the op table (no session needed), with TF1's values.

Each SHAPES row builds a tensor from placeholders of partially known shape and states the static shape
TF1 infers (None: unknown dimension; UNKNOWN: unknown rank). Each ERRORS row must raise ValueError at
build time with a message starting like TF's.
"""
import pytest

UNKNOWN = "unknown rank"


def _p(tf, shape, dtype=None):
    return tf.placeholder(dtype or tf.float32, shape)


SHAPES = [
    ("broadcast [?,3]+[3]", lambda tf: _p(tf, [None, 3]) + _p(tf, [3]), [None, 3]),
    ("broadcast [2,1]*[1,4]", lambda tf: _p(tf, [2, 1]) * _p(tf, [1, 4]), [2, 4]),
    ("broadcast [?,1]-[5,?]", lambda tf: _p(tf, [None, 1]) - _p(tf, [5, None]), [5, None]),
    ("broadcast with unknown rank", lambda tf: _p(tf, [2]) + _p(tf, None), UNKNOWN),
    ("comparison", lambda tf: _p(tf, [None, 3]) < 1.0, [None, 3]),
    ("matmul", lambda tf: tf.matmul(_p(tf, [None, 3]), _p(tf, [3, 7])), [None, 7]),
    ("matmul transposed", lambda tf: tf.matmul(_p(tf, [3, None]), _p(tf, [5, 3]), True, True), [None, 5]),
    ("batch matmul", lambda tf: tf.matmul(_p(tf, [4, 1, 2, 3]), _p(tf, [5, 3, 6])), [4, 5, 2, 6]),
    ("reduce axis 1", lambda tf: tf.reduce_sum(_p(tf, [None, 3, 4]), 1), [None, 4]),
    ("reduce keepdims", lambda tf: tf.reduce_max(_p(tf, [None, 3, 4]), [0, 2], keepdims=True), [1, 3, 1]),
    ("reduce unknown axis", lambda tf: tf.reduce_mean(_p(tf, [2, 3]), _p(tf, None, tf.int32)), UNKNOWN),
    ("reduce unknown axis keepdims", lambda tf: tf.reduce_sum(_p(tf, [2, 3]), _p(tf, None, tf.int32),
                                                              keepdims=True), [None, None]),
    ("reduce all of unknown rank", lambda tf: tf.reduce_sum(_p(tf, None)), []),
    ("argmax", lambda tf: tf.argmax(_p(tf, [None, 4]), 1), [None]),
    ("reshape -1", lambda tf: tf.reshape(_p(tf, [None, 3, 4]), [-1, 12]), [None, 12]),
    ("reshape infers", lambda tf: tf.reshape(_p(tf, [2, 3, 4]), [4, -1]), [4, 6]),
    ("reshape to a shape tensor", lambda tf: tf.reshape(_p(tf, None), _p(tf, [3], tf.int32)), [None, None, None]),
    ("reshape to shape(x)", lambda tf: tf.reshape(_p(tf, None), tf.shape(_p(tf, [None, 2]))), [None, 2]),
    ("reshape to a packed shape", lambda tf: tf.reshape(_p(tf, None), [tf.shape(_p(tf, [7, None]))[0], -1]),
     [7, None]),
    ("transpose", lambda tf: tf.transpose(_p(tf, [None, 3, 5]), [2, 0, 1]), [5, None, 3]),
    ("transpose default", lambda tf: tf.transpose(_p(tf, [1, None])), [None, 1]),
    ("expand_dims", lambda tf: tf.expand_dims(_p(tf, [None, 3]), -1), [None, 3, 1]),
    ("squeeze known", lambda tf: tf.squeeze(_p(tf, [1, 3, 1])), [3]),
    ("squeeze with an unknown dim", lambda tf: tf.squeeze(_p(tf, [1, None])), UNKNOWN),
    ("squeeze axis", lambda tf: tf.squeeze(_p(tf, [None, 1, 3]), [1]), [None, 3]),
    ("concat", lambda tf: tf.concat([_p(tf, [None, 3]), _p(tf, [2, 3])], 0), [None, 3]),
    ("concat merges", lambda tf: tf.concat([_p(tf, [None, 3]), _p(tf, [2, None])], 1), [2, None]),
    ("concat unknown axis", lambda tf: tf.concat([_p(tf, [2, 3]), _p(tf, [2, 3])], _p(tf, [], tf.int32)),
     [None, None]),
    ("stack", lambda tf: tf.stack([_p(tf, [None, 3]), _p(tf, [2, None])], axis=1), [2, 2, 3]),
    ("unstack", lambda tf: tf.unstack(_p(tf, [None, 3]), axis=1)[0], [None]),
    ("split", lambda tf: tf.split(_p(tf, [None, 6]), 3, 1)[0], [None, 2]),
    ("split sizes", lambda tf: tf.split(_p(tf, [4, 6]), [1, -1], 1)[1], [4, 5]),
    ("tile", lambda tf: tf.tile(_p(tf, [None, 3]), [2, 2]), [None, 6]),
    ("tile by a tensor", lambda tf: tf.tile(_p(tf, [2, 3]), _p(tf, [2], tf.int32)), [None, None]),
    ("fill", lambda tf: tf.fill([2, 3], 1.0), [2, 3]),
    ("zeros of a shape", lambda tf: tf.zeros(tf.shape(_p(tf, [None, 3]))), [None, 3]),
    ("ones_like", lambda tf: tf.ones_like(_p(tf, [None, 3])), [None, 3]),
    ("range", lambda tf: tf.range(2, 11, 3), [3]),
    ("range unknown", lambda tf: tf.range(_p(tf, [], tf.int32)), [None]),
    ("one_hot", lambda tf: tf.one_hot(_p(tf, [None], tf.int32), 5), [None, 5]),
    ("one_hot axis 0", lambda tf: tf.one_hot(_p(tf, [7], tf.int32), 5, axis=0), [5, 7]),
    ("slice", lambda tf: tf.slice(_p(tf, [None, 4]), [0, 1], [2, -1]), [2, 3]),
    ("getitem", lambda tf: _p(tf, [None, 4, 5])[0, 1:, tf.newaxis], [3, 1, 5]),
    ("getitem unknown dims", lambda tf: _p(tf, [None, None])[1:, ::2], [None, None]),
    ("getitem with a tensor index", lambda tf: _p(tf, [3, 4, 5])[_p(tf, [], tf.int32), 1:3], [None, 5]),
    ("getitem ellipsis", lambda tf: _p(tf, [2, 3, 4])[..., ::-1, 0], [2, 3]),
    ("gather", lambda tf: tf.gather(_p(tf, [None, 4]), _p(tf, [2, 3], tf.int32)), [2, 3, 4]),
    ("gather axis 1", lambda tf: tf.gather(_p(tf, [5, 4, 3]), [0, 1], axis=1), [5, 2, 3]),
    ("where", lambda tf: tf.where(_p(tf, [None], tf.bool), _p(tf, [None, 2]), _p(tf, [3, None])), [3, 2]),
    ("where indices", lambda tf: tf.where(_p(tf, [2, 3], tf.bool)), [None, 2]),
    ("softmax", lambda tf: tf.nn.softmax(_p(tf, [None, 10])), [None, 10]),
    ("cross entropy", lambda tf: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=_p(tf, [None, 3]), logits=_p(tf, [None, 3])), [None]),
    ("sparse cross entropy", lambda tf: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=_p(tf, [None], tf.int32), logits=_p(tf, [None, 3])), [None]),
    ("random of a shape tensor", lambda tf: tf.random_normal(tf.shape(_p(tf, [None, 2]))), [None, 2]),
    ("decode_jpeg", lambda tf: tf.decode_jpeg(_p(tf, [], tf.string), channels=3), [None, None, 3]),
]

ERRORS = [
    ("broadcast", lambda tf: _p(tf, [2, 3]) + _p(tf, [4]), "Dimensions must be equal, but are 3 and 4 for "
     "'{{node add}} = AddV2[T=DT_FLOAT](Placeholder, Placeholder_1)' with input shapes: [2,3], [4]."),
    ("matmul inner dims", lambda tf: tf.matmul(_p(tf, [2, 3]), _p(tf, [2, 3])), "Dimensions must be equal, but "
     "are 3 and 2"),
    ("matmul rank", lambda tf: tf.matmul(_p(tf, [2, 3]), _p(tf, [3])), "Shape must be rank 2 but is rank 1"),
    ("reduction axis", lambda tf: tf.reduce_sum(_p(tf, [2, 3]), 2), "Invalid reduction dimension 2 for input "
     "with 2 dimensions. for '{{node Sum}} = Sum[T=DT_FLOAT, Tidx=DT_INT32, keep_dims=false](Placeholder, "
     "Sum/reduction_indices)' with input shapes: [2,3], [] and with computed input tensors: input[1] = <2>."),
    ("reshape size", lambda tf: tf.reshape(_p(tf, [2, 3]), [4, 5]), "Cannot reshape a tensor with 6 elements to "
     "shape [4,5] (20 elements)"),
    ("reshape divisibility", lambda tf: tf.reshape(_p(tf, [2, 3]), [4, -1]), "Dimension size must be evenly "
     "divisible by 4 but is 6"),
    ("reshape bad shape value", lambda tf: tf.reshape(_p(tf, [2, 3]), [-2, 3]),
     "Invalid value in tensor used for shape: -2"),
    ("transpose perm length", lambda tf: tf.transpose(_p(tf, [None, 3]), [0, 1, 2]), "Dimension must be 2 but "
     "is 3 for '{{node transpose}} = Transpose[T=DT_FLOAT, Tperm=DT_INT32](Placeholder, transpose/perm)' with "
     "input shapes: [?,3], [3]."),
    ("expand_dims axis", lambda tf: tf.expand_dims(_p(tf, [2, 3]), 3), "dim 3 not in the interval [-3, 2]."),
    ("squeeze non-1", lambda tf: tf.squeeze(_p(tf, [2, 3]), [0]), "Can not squeeze dim[0], expected a "
     "dimension of 1, got 2"),
    ("concat dims", lambda tf: tf.concat([_p(tf, [None, 3]), _p(tf, [2, 4])], 0), "Dimension 0 in both shapes "
     "must be equal, but are 3 and 4. Shapes are [3] and [4]."),
    ("concat ranks", lambda tf: tf.concat([_p(tf, [None, 3]), _p(tf, [3])], 0), "Shape must be rank 2 but is "
     "rank 1"),
    ("stack shapes", lambda tf: tf.stack([_p(tf, [None, 3]), _p(tf, [2, 4])]), "Dimension 1 in both shapes must "
     "be equal, but are 3 and 4. Shapes are [?,3] and [2,4].\n\tFrom merging shape 0 with other shapes."),
    ("add_n shapes", lambda tf: tf.add_n([_p(tf, [2, 3]), _p(tf, [3])]), "Shapes must be equal rank, but are 2 "
     "and 1\n\tFrom merging shape 0 with other shapes."),
    ("split evenly", lambda tf: tf.split(_p(tf, [None, 6]), 4, 1), "Dimension size must be evenly divisible by 4 "
     "but is 6\n\tNumber of ways to split should evenly divide the split dimension"),
    ("split sizes", lambda tf: tf.split(_p(tf, [None, 6]), [2, 3], 1), "can't split axis of size 6 into pieces "
     "of size [2,3]"),
    ("tile multiples", lambda tf: tf.tile(_p(tf, [2, 2]), [2]), "Shape must be rank 2 but is rank 1"),
    ("fill dims", lambda tf: tf.fill([2, 2], [1, 2]), "Shape must be rank 0 but is rank 1"),
    ("getitem index", lambda tf: _p(tf, [3, 4])[3], "slice index 3 of dimension 0 out of bounds."),
    ("getitem too many indices", lambda tf: _p(tf, [3, 4])[0, 0, 0], "Index out of range using input dim 2; "
     "input has only 2 dims"),
    ("getitem zero stride", lambda tf: _p(tf, [3, 4])[::0], "strides[0] must be non-zero"),
    ("slice sizes", lambda tf: tf.slice(_p(tf, [2, 3, 4]), [0, 0, 0], [1, 1]), "Dimension 0 in both shapes must "
     "be equal, but are 3 and 2."),
    ("select shapes", lambda tf: tf.where(_p(tf, [None], tf.bool), _p(tf, [None, 2]), _p(tf, [3, 3])),
     "Dimension 1 in both shapes must be equal, but are 2 and 3."),
    ("softmax of a scalar", lambda tf: tf.nn.softmax(tf.constant(1.0)), "Shape must be at least rank 1 but is "
     "rank 0"),
]


@pytest.mark.parametrize("label,build,want", SHAPES, ids=[r[0] for r in SHAPES])
def test_static_shape(tf, label, build, want):
    shape = build(tf).shape
    assert (UNKNOWN if shape.ndims is None else shape.as_list()) == want


@pytest.mark.parametrize("label,build,message", ERRORS, ids=[r[0] for r in ERRORS])
def test_build_time_shape_error(tf, label, build, message):
    with pytest.raises(ValueError) as e:
        build(tf)
    assert str(e.value).startswith(message), str(e.value)


def test_type_errors_list_tf_allowed_types(tf):
    with pytest.raises(TypeError) as e:
        tf.sqrt(tf.constant([1, 2]))
    assert str(e.value) == ("Value passed to parameter 'x' has DataType int32 not in list of allowed values: "
                            "bfloat16, float16, float32, float64, complex64, complex128")
    with pytest.raises(TypeError):
        tf.argmax(tf.constant([1.0]), 0, output_type=tf.float32)
    with pytest.raises(TypeError):
        tf.constant([1, 2]) + tf.constant([1.0, 2.0])
