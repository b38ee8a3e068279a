"""tf.contrib.rnn's own additions (TF 1.15's core_rnn_cell wrappers and stacked bidirectional RNNs). TF 2.21 has
no contrib: when recording, the TF side builds TF 1.15's classes and functions (`_tf115` below, written from TF
1.15's contrib/rnn sources) on TF 2.21's compat.v1 RNNCell and RNN functions, so the cases check raygraph's
variables, graphs, values and errors against what TensorFlow's own cell machinery gives."""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error_text, run, sig  # noqa: E402


def _tf115(tf):
    """TF 1.15's contrib.rnn additions over TF 2.21's compat.v1 (the recording side only)."""
    class Linear:
        def __init__(self, args, output_size, build_bias):
            args = args if isinstance(args, (list, tuple)) else [args]
            total = sum(a.get_shape()[1] for a in args)
            with tf.variable_scope(tf.get_variable_scope()) as outer:
                self.w = tf.get_variable("kernel", [total, output_size], dtype=args[0].dtype)
                self.b = None
                if build_bias:
                    with tf.variable_scope(outer) as inner:
                        inner.set_partitioner(None)
                        self.b = tf.get_variable("bias", [output_size], dtype=args[0].dtype,
                                                 initializer=tf.constant_initializer(0.0, dtype=args[0].dtype))

        def __call__(self, x):
            res = tf.matmul(x, self.w)
            return res if self.b is None else tf.nn.bias_add(res, self.b)

    class Wrapper(tf.nn.rnn_cell.RNNCell):
        def __init__(self, cell, reuse=None):
            super().__init__(_reuse=reuse)
            self._cell = cell

        state_size = property(lambda self: self._cell.state_size)
        output_size = property(lambda self: self._cell.output_size)

        def zero_state(self, batch_size, dtype):
            with tf.name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
                return self._cell.zero_state(batch_size, dtype)

    class EmbeddingWrapper(Wrapper):
        def __init__(self, cell, embedding_classes, embedding_size, initializer=None, reuse=None):
            super().__init__(cell, reuse)
            if embedding_classes <= 0 or embedding_size <= 0:
                raise ValueError("Both embedding_classes and embedding_size must be > 0: %d, %d."
                                 % (embedding_classes, embedding_size))
            self._classes, self._size, self._initializer = embedding_classes, embedding_size, initializer

        def call(self, inputs, state):
            with tf.device("/cpu:0"):
                init = self._initializer or tf.get_variable_scope().initializer or \
                    tf.random_uniform_initializer(-math.sqrt(3), math.sqrt(3))
                dtype = state[0].dtype if isinstance(state, tuple) else state.dtype
                emb = tf.get_variable("embedding", [self._classes, self._size], initializer=init, dtype=dtype)
                return self._cell(tf.nn.embedding_lookup(emb, tf.reshape(inputs, [-1])), state)

    class InputProjectionWrapper(Wrapper):
        def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
            super().__init__(cell, reuse)
            self._num_proj, self._activation, self._linear = num_proj, activation, None

        def call(self, inputs, state):
            if self._linear is None:
                self._linear = Linear(inputs, self._num_proj, True)
            projected = self._linear(inputs)
            return self._cell(self._activation(projected) if self._activation else projected, state)

    class OutputProjectionWrapper(Wrapper):
        def __init__(self, cell, output_size, activation=None, reuse=None):
            super().__init__(cell, reuse)
            if output_size < 1:
                raise ValueError("Parameter output_size must be > 0: %d." % output_size)
            self._out, self._activation, self._linear = output_size, activation, None

        output_size = property(lambda self: self._out)

        def call(self, inputs, state):
            output, res_state = self._cell(inputs, state)
            if self._linear is None:
                self._linear = Linear(output, self._out, True)
            projected = self._linear(output)
            return (self._activation(projected) if self._activation else projected), res_state

    def checks(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
        if not cells_fw:
            raise ValueError("Must specify at least one fw cell for BidirectionalRNN.")
        if not cells_bw:
            raise ValueError("Must specify at least one bw cell for BidirectionalRNN.")
        if not isinstance(cells_fw, list):
            raise ValueError("cells_fw must be a list of RNNCells (one per layer).")
        if not isinstance(cells_bw, list):
            raise ValueError("cells_bw must be a list of RNNCells (one per layer).")
        if len(cells_fw) != len(cells_bw):
            raise ValueError("Forward and Backward cells must have the same depth.")
        if initial_states_fw is not None and (not isinstance(initial_states_fw, list)
                                              or len(initial_states_fw) != len(cells_fw)):
            raise ValueError("initial_states_fw must be a list of state tensors (one per layer).")
        if initial_states_bw is not None and (not isinstance(initial_states_bw, list)
                                              or len(initial_states_bw) != len(cells_bw)):
            raise ValueError("initial_states_bw must be a list of state tensors (one per layer).")

    def stack_bidirectional_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None, initial_states_bw=None,
                                dtype=None, sequence_length=None, scope=None):
        checks(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
        states_fw, states_bw, prev = [], [], inputs
        with tf.variable_scope(scope or "stack_bidirectional_rnn"):
            for i, (fw, bw) in enumerate(zip(cells_fw, cells_bw)):
                with tf.variable_scope("cell_%d" % i) as cell_scope:
                    prev, sf, sb = tf.nn.static_bidirectional_rnn(
                        fw, bw, prev, initial_state_fw=initial_states_fw[i] if initial_states_fw else None,
                        initial_state_bw=initial_states_bw[i] if initial_states_bw else None,
                        sequence_length=sequence_length, dtype=dtype, scope=cell_scope)
                states_fw.append(sf)
                states_bw.append(sb)
        return prev, tuple(states_fw), tuple(states_bw)

    def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None, initial_states_bw=None,
                                        dtype=None, sequence_length=None, parallel_iterations=None,
                                        time_major=False, scope=None, swap_memory=False):
        checks(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
        states_fw, states_bw, prev = [], [], inputs
        with tf.variable_scope(scope or "stack_bidirectional_rnn"):
            for i, (fw, bw) in enumerate(zip(cells_fw, cells_bw)):
                with tf.variable_scope("cell_%d" % i):
                    outputs, (sf, sb) = tf.nn.bidirectional_dynamic_rnn(
                        fw, bw, prev, initial_state_fw=initial_states_fw[i] if initial_states_fw else None,
                        initial_state_bw=initial_states_bw[i] if initial_states_bw else None,
                        sequence_length=sequence_length, parallel_iterations=parallel_iterations, dtype=dtype,
                        swap_memory=swap_memory, time_major=time_major)
                    prev = tf.concat(outputs, 2)
                states_fw.append(sf)
                states_bw.append(sb)
        return prev, tuple(states_fw), tuple(states_bw)

    class Namespace:
        pass
    ns = Namespace()
    for f in (EmbeddingWrapper, InputProjectionWrapper, OutputProjectionWrapper, stack_bidirectional_rnn,
              stack_bidirectional_dynamic_rnn):
        setattr(ns, f.__name__, f)
    return ns


def _rnn(tf):
    return tf.contrib.rnn if hasattr(tf, "contrib") else _tf115(tf)


def _det(seed):
    rng = np.random.default_rng(seed)
    return lambda shape, dtype=None, partition_info=None: rng.uniform(-0.5, 0.5, size=shape).astype(np.float32)


def _variables(tf):
    return [[v.name, v.shape.as_list()] for v in tf.global_variables()]


def case_projection_and_embedding_wrappers(tf):
    rnn = _rnn(tf)
    with tf.variable_scope("m", initializer=_det(0)):
        cell = rnn.OutputProjectionWrapper(rnn.EmbeddingWrapper(tf.nn.rnn_cell.BasicLSTMCell(4), 7, 3), 5,
                                           activation=tf.tanh)
        ids = [tf.constant([1, 6, 0]), tf.constant([2, 2, 5]), tf.constant([3, 0, 4])]
        outs, state = tf.nn.static_rnn(cell, ids, dtype=tf.float32)
    zero = cell.zero_state(3, tf.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        values = s.run(outs + [state.c, state.h])
    return [_variables(tf), [sig(t) for t in outs], [sig(t) for t in zero], cell.output_size, cell.state_size,
            values]


def case_input_projection_dynamic(tf):
    rnn = _rnn(tf)
    x = tf.placeholder(tf.float32, [None, 4, 6])
    with tf.variable_scope("p", initializer=_det(1)):
        cell = rnn.InputProjectionWrapper(tf.nn.rnn_cell.GRUCell(3), 2, activation=tf.nn.relu)
        out, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, sequence_length=[4, 2])
    data = np.random.default_rng(2).standard_normal((2, 4, 6)).astype(np.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        values = s.run([out, state], {x: data})
    return [_variables(tf), sig(out), sig(state), values]


def case_stack_bidirectional_dynamic(tf):
    rnn = _rnn(tf)
    x = tf.placeholder(tf.float32, [None, 5, 3])
    with tf.variable_scope("s", initializer=_det(3)):
        fw = [tf.nn.rnn_cell.BasicRNNCell(4), tf.nn.rnn_cell.BasicRNNCell(2)]
        bw = [tf.nn.rnn_cell.BasicRNNCell(4), tf.nn.rnn_cell.BasicRNNCell(2)]
        out, sfw, sbw = rnn.stack_bidirectional_dynamic_rnn(fw, bw, x, dtype=tf.float32, sequence_length=[5, 3])
    data = np.random.default_rng(4).standard_normal((2, 5, 3)).astype(np.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        values = s.run([out, list(sfw), list(sbw)], {x: data})
    return [_variables(tf), sig(out), [sig(t) for t in sfw + sbw], values]


def case_stack_bidirectional_static_time_major_initial(tf):
    rnn = _rnn(tf)
    data = np.random.default_rng(5).standard_normal((3, 2, 3)).astype(np.float32)
    with tf.variable_scope("t", initializer=_det(6)):
        fw, bw = [tf.nn.rnn_cell.GRUCell(2)], [tf.nn.rnn_cell.GRUCell(2)]
        init = [tf.ones([2, 2])]
        outs, sfw, sbw = rnn.stack_bidirectional_rnn(fw, bw, tf.unstack(tf.constant(data)), initial_states_fw=init,
                                                     initial_states_bw=init, scope="stacked")
        fw2, bw2 = [tf.nn.rnn_cell.BasicRNNCell(3)], [tf.nn.rnn_cell.BasicRNNCell(3)]
        tm, _, _ = rnn.stack_bidirectional_dynamic_rnn(fw2, bw2, tf.constant(data), dtype=tf.float32,
                                                       time_major=True, scope="tm")
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        values = s.run(outs + [tm])
    return [_variables(tf), [sig(t) for t in outs], sig(tm), values]


def case_errors(tf):
    rnn = _rnn(tf)
    cell = tf.nn.rnn_cell.BasicRNNCell(2)
    x = tf.zeros([1, 2, 3])
    return [error_text(lambda: rnn.OutputProjectionWrapper(cell, 0)),
            error_text(lambda: rnn.EmbeddingWrapper(cell, 0, 3)),
            error_text(lambda: rnn.stack_bidirectional_dynamic_rnn([], [cell], x, dtype=tf.float32)),
            error_text(lambda: rnn.stack_bidirectional_dynamic_rnn([cell], [], x, dtype=tf.float32)),
            error_text(lambda: rnn.stack_bidirectional_dynamic_rnn(cell, [cell], x, dtype=tf.float32)),
            error_text(lambda: rnn.stack_bidirectional_dynamic_rnn([cell], [cell, cell], x, dtype=tf.float32)),
            error_text(lambda: rnn.stack_bidirectional_dynamic_rnn([cell], [cell], x, initial_states_fw=[],
                                                                   dtype=tf.float32)),
            error_text(lambda: rnn.stack_bidirectional_rnn([cell], [cell], tf.unstack(x, axis=1),
                                                           initial_states_bw=(1,), dtype=tf.float32))]
