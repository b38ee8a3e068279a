"""Framework-level names: dtypes (bfloat16, quantized), type specs, tensor protos, static values, misc."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


# ----- dtypes ------------------------------------------------------------------------------------------
def case_quantized_dtypes(tf):
    out = []
    for d in (tf.qint8, tf.quint8, tf.qint16, tf.quint16, tf.qint32):
        out.append([d.name, d.as_datatype_enum, d.is_quantized, d.is_floating, d.is_integer, d.is_unsigned,
                    d.size, d.is_numpy_compatible, d._as_ref.name, raises(lambda: d.min), raises(lambda: d.max),
                    tf.as_dtype(d.as_numpy_dtype).name, str(d.as_numpy_dtype)])
    out.append(sorted(d.name for d in tf.QUANTIZED_DTYPES))
    out.append(sorted(d.name for d in tf.dtypes.QUANTIZED_DTYPES))
    out.append([tf.as_dtype("qint8_ref").name, tf.as_dtype(13).name, tf.dtypes.qint32.name])
    out.append([raises(lambda: tf.constant([1], tf.qint8)), str(tf.placeholder(tf.quint8, [2]).dtype)])
    return out


def case_bfloat16_dtype(tf):
    d = tf.bfloat16
    return [d.name, d.as_datatype_enum, d.is_floating, d.is_quantized, d.size, round(float(d.min) / 1e38, 4),
            round(float(d.max) / 1e38, 4), tf.as_dtype("bfloat16").name, tf.as_dtype(d.as_numpy_dtype).name,
            d._as_ref.name, d.real_dtype.name, tf.dtypes.bfloat16 == d, tf.dtypes.bool.name]


def case_bfloat16_values(tf):
    c = tf.constant([1.5, 2.25, -3.0], tf.bfloat16)
    x = tf.to_bfloat16(tf.constant([1.0, 3.14159, 1000.7]))
    y = tf.cast(x, tf.float32)
    with tf.Session() as s:
        cv, xv, yv = s.run([c, x, y])
    return [str(c.dtype), x.op.type, x.op.name, str(x.dtype), cv.astype(np.float32), xv.astype(np.float32), yv]


def case_bfloat16_gradient_through_cast(tf):
    x = tf.constant([1.0, 2.0])
    y = tf.reduce_sum(tf.cast(tf.cast(x, tf.bfloat16), tf.float32) * 3.0)
    g = tf.gradients(y, x)[0]
    with tf.Session() as s:
        return s.run(g)


# ----- type specs ------------------------------------------------------------------------------------------
def case_tensor_spec(tf):
    p = tf.placeholder(tf.float32, [None, 3], name="p")
    s = tf.TensorSpec([2, None], tf.int32, name="x")
    return [repr(s), s.shape.as_list(), s.dtype.name, s.name,
            repr(tf.TensorSpec.from_tensor(p)), repr(tf.TensorSpec.from_tensor(p, name="q")),
            repr(tf.TensorSpec([2], "float32")), repr(tf.TensorSpec(tf.TensorShape([3]))),
            repr(tf.TensorSpec(None)), repr(tf.TensorSpec([2], np.float64)), repr(tf.TensorSpec([])),
            tf.TensorSpec([None, 3]).is_compatible_with(p), tf.TensorSpec([2, 3]).is_compatible_with(p),
            tf.TensorSpec([None, 3], tf.int32).is_compatible_with(p),
            tf.TensorSpec([2, 3]).is_compatible_with(tf.TensorSpec([None, 3])),
            tf.TensorSpec([2, 3]).is_compatible_with(tf.TensorSpec([2])),
            tf.TensorSpec([2]).is_compatible_with(np.zeros([2], np.float32)),
            tf.TensorSpec([2, 3]) == tf.TensorSpec([2, 3]), tf.TensorSpec([2, 3]) == tf.TensorSpec([2, 3], name="a"),
            hash(tf.TensorSpec([2, 3])) == hash(tf.TensorSpec([2, 3])),
            repr(tf.TensorSpec([2, 3]).most_specific_compatible_type(tf.TensorSpec([2, 4]))),
            repr(tf.TensorSpec([2, 3]).most_specific_common_supertype([tf.TensorSpec([2, 4])])),
            repr(tf.TensorSpec([2, 3]).most_specific_common_supertype([tf.TensorSpec([2])])),
            isinstance(s, tf.TypeSpec), raises(tf.TypeSpec), s.value_type is tf.Tensor]


def case_other_specs(tf):
    return [repr(tf.SparseTensorSpec([2, 3])), repr(tf.SparseTensorSpec()),
            tf.SparseTensorSpec([2, 3]).shape.as_list(), tf.SparseTensorSpec([2, 3], tf.int64).dtype.name,
            repr(tf.IndexedSlicesSpec([2, 3])), repr(tf.IndexedSlicesSpec()),
            repr(tf.NoneTensorSpec()), repr(tf.OptionalSpec(tf.TensorSpec([2]))),
            repr(tf.TensorArraySpec([2], tf.int32)), repr(tf.TensorArraySpec()),
            tf.SparseTensorSpec().value_type is tf.SparseTensor,
            tf.IndexedSlicesSpec().value_type is tf.IndexedSlices,
            tf.SparseTensorSpec([2, 3]).is_compatible_with(tf.SparseTensorSpec([None, 3])),
            tf.SparseTensorSpec([2, 3]).is_compatible_with(tf.TensorSpec([2, 3])),
            tf.NoneTensorSpec() == tf.NoneTensorSpec(), issubclass(tf.RaggedTensorSpec, tf.TypeSpec)]


def case_type_spec_from_value(tf):
    p = tf.placeholder(tf.float32, [None, 3], name="p")
    return [repr(tf.type_spec_from_value(p)), repr(tf.type_spec_from_value(np.zeros([2], np.int64))),
            repr(tf.type_spec_from_value(3.0)), repr(tf.type_spec_from_value(None)),
            repr(tf.type_spec_from_value([p, p])), repr(tf.type_spec_from_value("a")),
            repr(tf.type_spec_from_value(tf.SparseTensor([[0, 0]], [1.0], [2, 3]))),
            repr(tf.type_spec_from_value(tf.IndexedSlices(tf.zeros([2, 3]), tf.constant([0, 1])))),
            raises(lambda: tf.type_spec_from_value(object()))]


# ----- tensor protos and static values -----------------------------------------------------------------------
def _proto(p):
    return [p.dtype, [d.size for d in p.tensor_shape.dim], p.tensor_content.hex(), list(p.float_val),
            list(p.int_val), list(p.int64_val), list(p.double_val), list(p.string_val), list(p.bool_val)]


def case_make_tensor_proto(tf):
    return [_proto(tf.make_tensor_proto([1.0, 2.0])), _proto(tf.make_tensor_proto(3)),
            _proto(tf.make_tensor_proto(3.5, tf.float64)), _proto(tf.make_tensor_proto([[1, 2], [3, 4]])),
            _proto(tf.make_tensor_proto(np.arange(3, dtype=np.int64))), _proto(tf.make_tensor_proto(["a", b"bc"])),
            _proto(tf.make_tensor_proto(True)), _proto(tf.make_tensor_proto(7, shape=[2, 2])),
            _proto(tf.make_tensor_proto([1, 2], tf.float32, shape=[2])),
            _proto(tf.make_tensor_proto(2 ** 40)),
            raises(lambda: tf.make_tensor_proto([1, 2, 3], shape=[2])),
            raises(lambda: tf.make_tensor_proto([1, 2], shape=[2, 1], verify_shape=True)),
            raises(lambda: tf.make_tensor_proto(None)), raises(lambda: tf.make_tensor_proto([1.5], tf.int32))]


def case_make_ndarray(tf):
    out = []
    for v in ([1.0, 2.0], 3, [[1, 2], [3, 4]], ["a", "b"], True, np.arange(6, dtype=np.int64).reshape(2, 3)):
        a = tf.make_ndarray(tf.make_tensor_proto(v))
        out.append([str(a.dtype), a.shape, a])
    a = tf.make_ndarray(tf.make_tensor_proto([1, 2], shape=[2, 2]))
    out.append([str(a.dtype), a])
    c = tf.constant([[1.5, 2.5]])
    a = tf.make_ndarray(c.op.get_attr("value"))
    out.append([str(a.dtype), a])
    out.append(raises(lambda: tf.make_ndarray([1, 2])))
    return out


def case_is_tensor(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    v = tf.Variable(1.0)
    st = tf.SparseTensor([[0, 0]], [1.0], [2, 3])
    sl = tf.IndexedSlices(tf.zeros([2, 3]), tf.constant([0, 1]))
    return [tf.is_tensor(p), tf.is_tensor(np.zeros(2)), tf.is_tensor(st), tf.is_tensor(v), tf.is_tensor(sl),
            tf.is_tensor(3.0), tf.is_symbolic_tensor(p), tf.is_symbolic_tensor(np.zeros(2)),
            tf.is_symbolic_tensor(v), tf.is_symbolic_tensor(st)]


def case_get_static_value(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    f = tf.get_static_value
    return [f(p), f(tf.constant(3) + 1), f(tf.shape(p)), f(tf.shape(tf.zeros([2, 3]))), f([1, 2]),
            f(tf.stack([1, 2])), f(tf.constant([1, 2]), partial=True), f(tf.Variable(1.0)), f(tf.fill([2], 3)),
            f(tf.range(3)), f(tf.cast(tf.constant(2), tf.float32)), f(tf.concat([[1], [2]], 0)),
            f(tf.identity(tf.constant(4))), bool(f(tf.equal(1, 2))), f(tf.size(p)), f(tf.rank(p)), f(tf.zeros([2])),
            f(tf.stack([1, tf.shape(p)[0]])), f(tf.shape(p)[1]), f(tf.stop_gradient(tf.constant([2.5]))),
            f(tf.SparseTensor([[0, 0]], [1.0], [2, 3])), f(3.5)]


def case_get_static_value_partial_pack(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    v = tf.get_static_value(tf.stack([1, tf.shape(p)[0]]), partial=True)
    return [str(v.dtype), [None if x is None else int(x) for x in v]]


# ----- constants, enums, misc names ------------------------------------------------------------------------
def case_graph_def_versions(tf):
    return [type(tf.GRAPH_DEF_VERSION).__name__, tf.GRAPH_DEF_VERSION_MIN_CONSUMER,
            tf.GRAPH_DEF_VERSION_MIN_PRODUCER, type(tf.VERSION).__name__, type(tf.GIT_VERSION).__name__,
            type(tf.COMPILER_VERSION).__name__, type(tf.CXX11_ABI_FLAG).__name__, type(tf.CXX_VERSION).__name__,
            tf.MONOLITHIC_BUILD]


def case_variable_enums(tf):
    return [[(m.name, m.value) for m in tf.VariableAggregation],
            [(m.name, m.value) for m in tf.VariableSynchronization]]


def case_protos(tf):
    e = tf.Event(wall_time=1.5, step=3, session_log=tf.SessionLog(status=tf.SessionLog.START))
    s = tf.Summary(value=[tf.Summary.Value(tag="a", simple_value=2.0,
                                           metadata=tf.SummaryMetadata(display_name="A"))])
    h = tf.HistogramProto(min=0.0, max=1.0, num=2)
    m = tf.LogMessage(level=tf.LogMessage.WARN, message="hi")
    n = tf.NameAttrList(name="f")
    ti = tf.TensorInfo(name="x:0", dtype=1)
    mg = tf.MetaGraphDef()
    mg.meta_info_def.tags.append("serve")
    return [e.SerializeToString().hex(), s.SerializeToString().hex(), h.SerializeToString().hex(),
            m.SerializeToString().hex(), n.SerializeToString().hex(), ti.SerializeToString().hex(),
            mg.SerializeToString().hex(), type(e).__name__, type(mg).__name__]


def case_small_functions(tf):
    with tf.op_scope([tf.constant(1.0)], None, "scoped") as scope:
        a = tf.constant(2.0, name="a")
    init = tf.tables_initializer()
    init2 = tf.initialize_all_tables(name="t2")
    v = tf.get_variable("v", [2], regularizer=tf.no_regularizer)
    u = tf.get_variable("u", [3, 4], initializer=tf.uniform_unit_scaling_initializer(factor=2.0, seed=3))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        uv = s.run(u)
    return [scope, a.op.name, init.type, init.name, init2.name, tf.no_regularizer(v),
            tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES), tf.NoGradient is tf.no_gradient,
            uv.shape, bool(np.all(np.abs(uv) <= 2.0 * np.sqrt(3.0 / 3))), u.initializer.name]


def case_accumulator_base(tf):
    acc = tf.ConditionalAccumulator(tf.float32, shape=[2])
    return [isinstance(acc, tf.ConditionalAccumulatorBase), acc.dtype.name, acc.name]


def case_py_function(tf):
    def f(x, y):
        return x.numpy() * 2 + y, (x.numpy() + 1).astype("int32")
    a = tf.constant([1.0, 2.0])
    b = tf.constant(3.0)
    o = tf.py_function(f, [a, b], [tf.float32, tf.int32])
    o1 = tf.py_function(lambda x: x.numpy() * 3, [a], tf.float32, name="single")
    none = type(tf.py_function(lambda: None, [], [])).__name__
    with tf.Session() as s:
        return [[(t.name, t.dtype.name, str(t.shape)) for t in o], o1.name, o1.op.type, none, s.run([o, o1])]


def case_nondifferentiable_batch_function(tf):
    @tf.nondifferentiable_batch_function(1, 10, 100000)
    def f(x, y):
        return x * 2.0 + y, tf.reduce_sum(x, axis=1)

    @tf.nondifferentiable_batch_function(1, 10, 100000)
    def scalar(x):
        return tf.reduce_sum(x)
    x = tf.constant([[1.0, 2.0]])
    y = tf.constant([[3.0, 4.0]])
    a, b = f(x, y)
    c = scalar(x)
    with tf.Session() as s:
        vals = s.run([a, b])
        bad = raises(lambda: s.run(c))
    return [a.name, b.name, str(a.shape), a.op.type, vals, bad, raises(lambda: tf.gradients(a, x)),
            raises(lambda: f(1.0, y))]
