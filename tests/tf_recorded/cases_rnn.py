"""Recorded cases: tf.nn.rnn_cell (BasicRNNCell, BasicLSTMCell, LSTMCell, GRUCell, MultiRNNCell, DropoutWrapper,
LSTMStateTuple) and tf.nn.static_rnn / static_bidirectional_rnn: variable names, shapes, values, gradients."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, sig  # noqa: E402

X = (np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 10.0 - 1.0)


def _names(vs):
    return [v.name for v in vs]


def _set_weights(tf, s):
    """Gives every global variable fixed values that depend on its shape only (TF's init draws differ)."""
    for i, v in enumerate(tf.global_variables()):
        shape = v.shape.as_list()
        n = int(np.prod(shape))
        s.run(v.assign(np.sin(np.arange(n, dtype=np.float32) * 0.7 + i).reshape(shape) * 0.5))


def _run(tf, fetches, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        _set_weights(tf, s)
        return s.run(fetches, feed)


def _inputs(tf, batch=None):
    x = tf.placeholder(tf.float32, [batch, 3, 4], name="x")
    return x, tf.unstack(x, 3, 1)


def case_basic_lstm_static_rnn(tf):
    x, xs = _inputs(tf)
    cell = tf.nn.rnn_cell.BasicLSTMCell(5, forget_bias=1.0)
    outputs, state = tf.nn.static_rnn(cell, xs, dtype=tf.float32)
    info = [describe(tf), [sig(t) for t in outputs], [sig(t) for t in state], type(state).__name__,
            cell.name, list(cell.state_size), cell.output_size, _names(tf.global_variables()),
            _names(cell.trainable_weights), _names(cell.weights)]
    grads = tf.gradients(tf.reduce_sum(outputs[-1]) + tf.reduce_sum(state.c), tf.trainable_variables())
    return [info, _run(tf, [outputs, state, grads], {x: X})]


def case_basic_rnn_and_gru(tf):
    x, xs = _inputs(tf, 2)
    rnn_out, rnn_state = tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(3), xs, dtype=tf.float32, scope="simple")
    gru = tf.nn.rnn_cell.GRUCell(4, activation="relu")
    gru_out, gru_state = tf.nn.static_rnn(gru, xs, dtype=tf.float32)
    info = [[sig(t) for t in rnn_out + gru_out + [rnn_state, gru_state]], _names(tf.global_variables())]
    return [info, _run(tf, [rnn_out, rnn_state, gru_out, gru_state], {x: X})]


def case_gru_initializers_default_values(tf):
    x, xs = _inputs(tf)
    gru = tf.nn.rnn_cell.GRUCell(2, kernel_initializer=tf.constant_initializer(0.1))
    out, state = tf.nn.static_rnn(gru, xs, dtype=tf.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [s.run(tf.global_variables()), s.run(out, {x: X})]


def case_lstm_cell_variants(tf):
    x, xs = _inputs(tf)
    plain = tf.nn.rnn_cell.LSTMCell(3, name="plain")
    peep = tf.nn.rnn_cell.LSTMCell(3, use_peepholes=True, cell_clip=0.5, num_proj=2, proj_clip=0.3,
                                   forget_bias=0.5, name="peep")
    concat = tf.nn.rnn_cell.LSTMCell(3, state_is_tuple=False, name="flat")
    results = []
    for cell in (plain, peep, concat):
        out, state = tf.nn.static_rnn(cell, xs, dtype=tf.float32, scope=cell.name + "_rnn")
        results.append((out, state))
    info = [[str(c.state_size) for c in (plain, peep, concat)], [c.output_size for c in (plain, peep, concat)],
            _names(tf.global_variables()), [sig(o[-1]) for o, _ in results]]
    return [info, _run(tf, results, {x: X})]


def case_basic_lstm_concat_state_and_zero_state(tf):
    cell = tf.nn.rnn_cell.BasicLSTMCell(3, state_is_tuple=False)
    z = cell.zero_state(4, tf.float32)
    b = tf.placeholder(tf.int32, [])
    zt = tf.nn.rnn_cell.BasicLSTMCell(2).zero_state(b, tf.float64)
    x = tf.constant(X[:, 0, :])
    out, state = cell(x, cell.zero_state(2, tf.float32))
    info = [describe(tf), sig(z), [sig(t) for t in zt], sig(out), sig(state), cell.state_size,
            _names(tf.global_variables())]
    with tf.Session() as s:
        zeros = s.run(zt, {b: 3})
    return [info, [a.shape for a in zeros], _run(tf, [out, state])]


def case_multi_rnn_cell(tf):
    x, xs = _inputs(tf)
    cells = [tf.nn.rnn_cell.BasicLSTMCell(3), tf.nn.rnn_cell.GRUCell(2)]
    multi = tf.nn.rnn_cell.MultiRNNCell(cells)
    out, state = tf.nn.static_rnn(multi, xs, dtype=tf.float32)
    flat = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicRNNCell(2), tf.nn.rnn_cell.BasicRNNCell(3)],
                                      state_is_tuple=False)
    out2, state2 = tf.nn.static_rnn(flat, xs, dtype=tf.float32, scope="flat")
    info = [describe(tf), str(multi.state_size), multi.output_size, flat.state_size, _names(tf.global_variables()),
            _names(multi.trainable_weights), multi.name, [sig(t) for t in out + out2], sig(state2),
            error_text(lambda: tf.nn.rnn_cell.MultiRNNCell([]), 60),
            error_text(lambda: tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(2)], state_is_tuple=False),
                       60)]
    return [info, _run(tf, [out, state, out2, state2], {x: X})]


def case_static_rnn_initial_state_and_reuse(tf):
    x, xs = _inputs(tf)
    cell = tf.nn.rnn_cell.BasicLSTMCell(2)
    c0 = tf.constant(np.full([2, 2], 0.3, np.float32))
    init = tf.nn.rnn_cell.LSTMStateTuple(c0, c0 * 2)
    out, state = tf.nn.static_rnn(cell, xs, initial_state=init, scope="first")
    with tf.variable_scope("first", reuse=True):
        again, _ = tf.nn.static_rnn(cell, xs, initial_state=init, scope="first")
    errors = [error_text(lambda: tf.nn.static_rnn(cell, xs), 60),
              error_text(lambda: tf.nn.static_rnn(cell, xs[0], dtype=tf.float32), 40),
              error_text(lambda: tf.nn.static_rnn(cell, [], dtype=tf.float32), 60),
              init.dtype.name]
    return [errors, _names(tf.global_variables()), _run(tf, [out, state, again], {x: X})]


def case_static_rnn_sequence_length(tf):
    x, xs = _inputs(tf)
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    cell = tf.nn.rnn_cell.GRUCell(3)
    out, state = tf.nn.static_rnn(cell, xs, dtype=tf.float32, sequence_length=lengths)
    lstm_out, lstm_state = tf.nn.static_rnn(tf.nn.rnn_cell.BasicLSTMCell(2), xs, dtype=tf.float32,
                                            sequence_length=[1, 3], scope="lstm")
    info = [[sig(t) for t in out + [state]], [sig(t) for t in lstm_out]]
    return [info, _run(tf, [out, state, lstm_out, lstm_state], {x: X, lengths: [2, 0]}),
            _run(tf, [out, state], {x: X, lengths: [3, 3]})]


def case_static_bidirectional_rnn(tf):
    x, xs = _inputs(tf)
    fw, bw = tf.nn.rnn_cell.BasicLSTMCell(3), tf.nn.rnn_cell.BasicLSTMCell(2)
    out, state_fw, state_bw = tf.nn.static_bidirectional_rnn(fw, bw, xs, dtype=tf.float32)
    info = [describe(tf), [sig(t) for t in out], _names(tf.global_variables())]
    loss = tf.reduce_sum(tf.square(out[-1]))
    grads = tf.gradients(loss, tf.trainable_variables())
    return [info, _run(tf, [out, state_fw, state_bw, grads], {x: X}),
            error_text(lambda: tf.nn.static_bidirectional_rnn(fw, bw, xs), 60)]


def case_dropout_wrapper(tf):
    tf.set_random_seed(5)
    x, xs = _inputs(tf)
    keep = tf.placeholder_with_default(0.5, [])
    cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(3), input_keep_prob=0.7,
                                         output_keep_prob=keep, state_keep_prob=0.6, seed=3)
    out, state = tf.nn.static_rnn(cell, xs, dtype=tf.float32)
    info = [describe(tf), _names(tf.global_variables()), _names(cell.trainable_weights), str(cell.state_size),
            cell.output_size, [sig(t) for t in out],
            error_text(lambda: tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(2), output_keep_prob=1.5), 60)]
    return [info, _run(tf, [out, state], {x: X}), _run(tf, [out, state], {x: X, keep: 1.0})]


def case_dropout_wrapper_variational(tf):
    tf.set_random_seed(1)
    x, xs = _inputs(tf)
    cells = [tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(3), input_keep_prob=0.6, output_keep_prob=0.8,
                                           state_keep_prob=0.7, variational_recurrent=True, input_size=4,
                                           dtype=tf.float32, seed=9),
             tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(2), output_keep_prob=0.5,
                                           state_keep_prob=0.5, variational_recurrent=True, dtype=tf.float32,
                                           seed=2)]
    out, state = tf.nn.static_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), xs, dtype=tf.float32)
    return [_names(tf.global_variables()), [sig(t) for t in out], _run(tf, [out, state], {x: X})]


def case_cell_called_directly(tf):
    x = tf.constant(X[:, 0, :])
    cell = tf.nn.rnn_cell.BasicRNNCell(2, name="mine")
    h0 = cell.zero_state(2, tf.float32)
    a, h1 = cell(x, h0)
    b, _ = cell(x, h1)
    with tf.variable_scope("outer"):
        c, _ = tf.nn.rnn_cell.GRUCell(2)(x, h0, scope="g")
    errors = [error_text(lambda: tf.nn.rnn_cell.BasicRNNCell(2)(tf.constant([1, 2]), h0), 80),
              error_text(lambda: tf.nn.rnn_cell.BasicRNNCell(2)(tf.constant([[1, 2]]), h0), 60),
              error_text(lambda: tf.nn.rnn_cell.BasicRNNCell(2, name="mine")(x, h0), 60)]
    return [describe(tf), _names(tf.global_variables()), cell.scope_name, errors, _run(tf, [a, b, c])]


def case_reverse_sequence(tf):
    x = tf.constant(X)
    a = tf.reverse_sequence(x, [2, 3], seq_axis=1, batch_axis=0)
    lengths = tf.placeholder(tf.int64, [None])
    b = tf.reverse_sequence(tf.transpose(x, [1, 0, 2]), lengths, 0, 1, name="rs")
    graph = describe(tf)  # before the gradient (raygraph has no grad_ys Identity yet)
    g = tf.gradients(b, x, grad_ys=tf.constant(np.arange(24, dtype=np.float32).reshape(3, 2, 4)))
    bad = error(lambda: tf.Session().run(b, {lengths: [4, 1]}))
    with tf.Session() as s:
        values = s.run([a, b, g], {lengths: [1, 3]})
    return [graph, [sig(t) for t in (a, b)], values, bad]


def case_static_bidirectional_rnn_sequence_length(tf):
    x, xs = _inputs(tf)
    lengths = tf.placeholder(tf.int32, [None], name="lengths")
    fw, bw = tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.BasicLSTMCell(2)
    out, state_fw, state_bw = tf.nn.static_bidirectional_rnn(fw, bw, xs, dtype=tf.float32, sequence_length=lengths)
    info = [[sig(t) for t in out], _names(tf.global_variables())]
    return [info, _run(tf, [out, state_fw, state_bw], {x: X, lengths: [2, 3]})]


def case_residual_and_device_wrappers(tf):
    x, xs = _inputs(tf)
    cell = tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.BasicRNNCell(4))
    outputs, state = tf.nn.static_rnn(cell, xs, dtype=tf.float32)
    dev = tf.nn.rnn_cell.DeviceWrapper(tf.nn.rnn_cell.GRUCell(4), "/cpu:0")
    d_out, d_state = tf.nn.static_rnn(dev, xs, dtype=tf.float32, scope="dev")
    custom = tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.BasicRNNCell(4), residual_fn=lambda i, o: i * o)
    c_out, _ = tf.nn.static_rnn(custom, xs, dtype=tf.float32, scope="custom")
    info = [[sig(t) for t in outputs + [state] + d_out + c_out], cell.output_size, cell.state_size,
            _names(tf.global_variables()), d_out[0].device]
    used = [v for v in tf.trainable_variables() if not v.name.startswith("custom")]
    grads = tf.gradients(tf.reduce_sum(outputs[-1]) + tf.reduce_sum(d_out[-1]), used)
    return [info, _run(tf, [outputs, state, d_out, c_out, grads], {x: X})]


def case_residual_wrapper_shape_mismatch(tf):
    x, xs = _inputs(tf)
    cell = tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.BasicRNNCell(3))
    return error(lambda: tf.nn.static_rnn(cell, xs, dtype=tf.float32))


def _raw_rnn_docstring_loop(tf, inputs, lengths, cell, emit_twice=False, emit_size=1):
    """TF's documented raw_rnn example: read time-major inputs from a TensorArray until each row's length."""
    max_time = 3
    inputs_ta = tf.TensorArray(tf.float32, size=max_time).unstack(inputs)

    def loop_fn(time, cell_output, cell_state, loop_state):
        if cell_output is None:  # time == 0
            next_state = cell.zero_state(2, tf.float32)
            emit = tf.zeros([emit_size], tf.float32) if emit_twice else None
            next_loop_state = tf.constant(0.0) if emit_twice else None
        else:
            next_state = cell_state
            emit = tf.reduce_sum(cell_output, 1, keepdims=emit_size == 1) * 2.0 if emit_twice else cell_output
            next_loop_state = loop_state + tf.reduce_sum(cell_output) if emit_twice else None
        finished = time >= lengths
        next_input = tf.cond(tf.reduce_all(finished), lambda: tf.zeros([2, 4], tf.float32),
                             lambda: inputs_ta.read(time))
        return finished, next_input, next_state, emit, next_loop_state
    return tf.nn.raw_rnn(cell, loop_fn)


def case_raw_rnn_lstm_with_lengths(tf):
    x = tf.placeholder(tf.float32, [3, 2, 4], name="x")
    lengths = tf.constant([3, 2], tf.int32)
    cell = tf.nn.rnn_cell.BasicLSTMCell(5)
    emit_ta, final_state, final_loop_state = _raw_rnn_docstring_loop(tf, x, lengths, cell)
    outputs = emit_ta.stack()
    info = [sig(outputs), [sig(t) for t in final_state], final_loop_state, _names(tf.global_variables()),
            type(final_state).__name__]
    grads = tf.gradients(tf.reduce_sum(outputs) + tf.reduce_sum(final_state.h), tf.trainable_variables() + [x])
    return [info, _run(tf, [outputs, final_state, grads], {x: np.transpose(X, (1, 0, 2))})]


def case_raw_rnn_emit_structure_and_loop_state(tf):
    x = tf.placeholder(tf.float32, [3, 2, 4], name="x")
    lengths = tf.constant([1, 3], tf.int32)
    cell = tf.nn.rnn_cell.GRUCell(3)
    emit_ta, final_state, final_loop_state = _raw_rnn_docstring_loop(tf, x, lengths, cell, emit_twice=True)
    outputs = emit_ta.stack()
    info = [sig(outputs), sig(final_state), sig(final_loop_state), _names(tf.global_variables())]
    return [info, _run(tf, [outputs, final_state, final_loop_state], {x: np.transpose(X, (1, 0, 2))})]


def case_raw_rnn_errors(tf):
    cell = tf.nn.rnn_cell.BasicRNNCell(2)
    out = [error(lambda: tf.nn.raw_rnn(cell, "not callable"))]
    x = tf.placeholder(tf.float32, [3, 2, 4], name="x")  # an emit of another rank than emit_structure's
    out.append(error(lambda: _raw_rnn_docstring_loop(tf, x, tf.constant([1, 3]), tf.nn.rnn_cell.GRUCell(3),
                                                     emit_twice=True, emit_size=2)))

    def bad_state(time, cell_output, cell_state, loop_state):
        return tf.constant([False]), tf.zeros([1, 2]), (tf.zeros([1, 2]), tf.zeros([1, 2])), None, None
    out.append(error(lambda: tf.nn.raw_rnn(cell, bad_state)))
    return out
