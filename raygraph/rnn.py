"""TF1's RNNs (TF's ops/rnn.py): `static_rnn` and `static_bidirectional_rnn` unrolled in Python; `dynamic_rnn`
and `bidirectional_dynamic_rnn` as a `while_loop` over time reading and writing TensorArrays; `raw_rnn`, a
`while_loop` whose inputs, finishing and emits a user's `loop_fn` decides.

`static_rnn` calls the cell once per input in variable scope `rnn` (its variables are made on the first step
and reused after). With `sequence_length`, each step past a row's length gives that row zero output and carries
its state through unchanged (a `cond` skips the cell once every row has ended).
"""
from . import dtypes
from .convert import convert_to_tensor
from .default_graph import name_scope
from .graph import get_default_graph
from .ops.array import identity, rank, reverse, reverse_sequence, shape as shape_of, transpose
from .ops.control import Assert
from .ops.control_flow import cond
from .ops.filling import range as range_, zeros
from .ops.joining import concat, stack, unstack
from .ops.math import cast, equal, logical_not, logical_or, maximum, minimum
from .ops.reduction import reduce_all, reduce_max, reduce_min
from .ops.shape_fns import constant_value
from .ops.slicing import where
from .ops.tensor_array import TensorArray
from .ops.while_loop import while_loop
from .rnn_cell import _concat_shape, flatten, is_nested, pack_sequence_as
from .shape import TensorShape, dimension_value
from .tensor import Tensor
from .variable_scope import variable_scope


def _initial_state(cell, initial_state, batch_size, dtype):
    """`initial_state`, or the cell's zero state (which needs `dtype`), as TF1's RNNs start."""
    if initial_state is not None:
        return initial_state
    if not dtype:
        raise ValueError("If no initial_state is provided, argument `dtype` must be specified")
    if getattr(cell, "get_initial_state", None) is not None:
        return cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=dtype)
    return cell.zero_state(batch_size, dtype)


def _check_cell(name, cell):
    missing = [what for what, ok in (("'output_size' property is missing", hasattr(cell, "output_size")),
                                     ("'state_size' property is missing", hasattr(cell, "state_size")),
                                     ("either 'zero_state' or 'get_initial_state' method is required",
                                      hasattr(cell, "zero_state") or hasattr(cell, "get_initial_state")),
                                     ("is not callable", callable(cell))) if not ok]
    if missing:
        raise TypeError(f"The argument {name!r} ({cell}) is not an RNNCell: {', '.join(missing)}.")


def _infer_state_dtype(explicit_dtype, state):
    if explicit_dtype is not None:
        return explicit_dtype
    inferred = {s.dtype for s in flatten(state)}
    if len(inferred) != 1:
        raise ValueError(f"State has tensors of different inferred dtypes. Unable to infer a single representative "
                         f"dtype. Dtypes received: {inferred}")
    return inferred.pop()


def _rnn_step(time, sequence_length, min_sequence_length, max_sequence_length, zero_output, state, call_cell):
    """One step that respects `sequence_length`: rows past their length keep their state and output zeros."""
    flat_state, flat_zero_output = flatten(state), flatten(zero_output)
    copy_cond = time >= sequence_length

    def copy_some_through(flat_new_output, flat_new_state):
        return ([where(copy_cond, zero, new) for zero, new in zip(flat_zero_output, flat_new_output)]
                + [where(copy_cond, old, new) for old, new in zip(flat_state, flat_new_state)])

    def maybe_copy_some_through():
        new_output, new_state = call_cell()
        flat_new_output, flat_new_state = flatten(new_output), flatten(new_state)
        return cond(time < min_sequence_length, lambda: flat_new_output + flat_new_state,
                    lambda: copy_some_through(flat_new_output, flat_new_state))

    final = cond(time >= max_sequence_length, lambda: flat_zero_output + flat_state, maybe_copy_some_through)
    final = final if isinstance(final, (list, tuple)) else [final]
    outputs, states = final[:len(flat_zero_output)], final[len(flat_zero_output):]
    for out, like in zip(outputs + states, flat_zero_output + flat_state):
        out.set_shape(like.shape)
    return pack_sequence_as(zero_output, outputs), pack_sequence_as(state, states)


def _batch_size(inputs):
    """The batch size: a Python int when every input knows it, else `shape(first input)[0]`."""
    first = inputs
    while is_nested(first):
        first = first[0]
    if first.shape.ndims != 1:
        fixed = first.shape.with_rank_at_least(2).dims[0]
        for flat_input in flatten(inputs):
            input_shape = flat_input.shape.with_rank_at_least(2)
            fixed.assert_is_compatible_with(input_shape.dims[0])
            for i, size in enumerate(input_shape.dims[1:]):
                if dimension_value(size) is None:
                    raise ValueError(f"Input size (dimension {i} of input {flat_input}) must be accessible via "
                                     f"shape inference, but saw value None.")
    else:
        fixed = first.shape.with_rank_at_least(1).dims[0]
    value = dimension_value(fixed)
    return (value if value else shape_of(first)[0]), value


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """Runs `cell` over the list `inputs`: (outputs, one per input; the final state)."""
    _check_cell("cell", cell)
    if not is_nested(inputs):
        raise TypeError(f"Argument `inputs` must be a sequence. Received: {inputs}")
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    outputs = []
    with variable_scope(scope or "rnn") as varscope:
        batch_size, fixed_batch_size = _batch_size(inputs)
        state = _initial_state(cell, initial_state, batch_size, dtype)
        if sequence_length is not None:
            sequence_length = convert_to_tensor(sequence_length, name="sequence_length")
            if sequence_length.shape.ndims not in (None, 1):
                raise ValueError(f"Argument `sequence_length` must be a vector of length {batch_size}. Received "
                                 f"sequence_length={sequence_length}.")

            def zero_output_for(size):
                output = zeros(_concat_shape(batch_size, size), _infer_state_dtype(dtype, state))
                output.set_shape(TensorShape(_concat_shape(fixed_batch_size, size, static=True)))
                return output
            output_size = cell.output_size
            zero_output = pack_sequence_as(output_size, [zero_output_for(s) for s in flatten(output_size)])
            sequence_length = cast(sequence_length, dtypes.int32)
            min_sequence_length = reduce_min(sequence_length)
            max_sequence_length = reduce_max(sequence_length)
        for time, input_ in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()

            def call_cell(input_=input_, state=state):
                return cell(input_, state)
            if sequence_length is not None:
                output, state = _rnn_step(time, sequence_length, min_sequence_length, max_sequence_length,
                                          zero_output, state, call_cell)
            else:
                output, state = call_cell()
            outputs.append(output)
        return outputs, state


def _reverse_seq(input_seq, lengths):
    """`input_seq` reversed in time, each row only up to its length when `lengths` is given."""
    if lengths is None:
        return list(reversed(input_seq))
    flat_results = [[] for _ in input_seq]
    for sequence in zip(*(flatten(input_) for input_ in input_seq)):
        input_shape = TensorShape(None) if sequence[0].shape.ndims is None else TensorShape(
            [None] * sequence[0].shape.ndims)
        for input_ in sequence:
            input_shape.assert_is_compatible_with(input_.shape)
            input_.set_shape(input_shape)
        reversed_ = unstack(reverse_sequence(stack(sequence), lengths, 0, 1))
        for r, flat_result in zip(reversed_, flat_results):
            r.set_shape(input_shape)
            flat_result.append(r)
    return [pack_sequence_as(input_, flat_result) for input_, flat_result in zip(input_seq, flat_results)]


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None, initial_state_bw=None, dtype=None,
                             sequence_length=None, scope=None):
    """A forward and a backward `static_rnn` over `inputs`: (outputs [fw, bw] concatenated per step, final forward
    state, final backward state)."""
    _check_cell("cell_fw", cell_fw)
    _check_cell("cell_bw", cell_bw)
    if not is_nested(inputs):
        raise TypeError(f"Argument `inputs` must be a sequence. Received: {inputs}")
    if not inputs:
        raise ValueError("Argument `inputs` must not be empty.")
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, output_state_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype, sequence_length,
                                                    scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_seq(inputs, sequence_length)
            tmp, output_state_bw = static_rnn(cell_bw, reversed_inputs, initial_state_bw, dtype, sequence_length,
                                              scope=bw_scope)
    output_bw = _reverse_seq(tmp, sequence_length)
    flat_outputs = tuple(concat([fw, bw], 1) for fw, bw in zip(flatten(output_fw), flatten(output_bw)))
    return pack_sequence_as(output_fw, flat_outputs), output_state_fw, output_state_bw


# ----- dynamic RNNs -----------------------------------------------------------------------------------------
def _transpose_batch_time(x):
    """x with its first two dimensions swapped (static shape kept)."""
    static = x.shape
    if static.ndims is not None and static.ndims < 2:
        return x
    x_t = transpose(x, concat(([1, 0], range_(2, rank(x))), axis=0))
    x_t.set_shape(TensorShape([static.dims[1], static.dims[0]]).concatenate(static[2:]) if static.ndims is not None
                  else TensorShape(None))
    return x_t


def _time_major_batch_size(flat_input):
    for x in flat_input:
        if x.shape.ndims is None:
            continue
        if x.shape.ndims < 2:
            raise ValueError(f"Input tensor should have rank >= 2. Received input={x} of rank {x.shape.ndims}")
        value = dimension_value(x.shape.dims[1])
        if value is not None:
            return value
    return shape_of(flat_input[0])[1]


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None, parallel_iterations=None,
                swap_memory=False, time_major=False, scope=None):
    """Runs `cell` over the time steps of `inputs` in a while loop: (outputs, final state)."""
    _check_cell("cell", cell)
    with variable_scope(scope or "rnn"):
        flat_input = [convert_to_tensor(x) for x in flatten(inputs)]
        if not time_major:
            flat_input = [_transpose_batch_time(x) for x in flat_input]
        parallel_iterations = parallel_iterations or 32
        if sequence_length is not None:
            sequence_length = cast(sequence_length, dtypes.int32)
            if sequence_length.shape.ndims not in (None, 1):
                raise ValueError(f"Argument sequence_length must be a vector of length batch_size. Received "
                                 f"sequence_length={sequence_length} of shape: {sequence_length.shape}")
            sequence_length = identity(sequence_length, name="sequence_length")
        batch_size = _time_major_batch_size(flat_input)
        state = _initial_state(cell, initial_state, batch_size, dtype)
        if sequence_length is not None:
            x_shape = shape_of(sequence_length)
            packed = stack([batch_size])
            check = Assert(reduce_all(equal(x_shape, packed)),
                           [f"Expected shape for Tensor {sequence_length.name} is ", packed, " but saw shape: ",
                            x_shape])
            with get_default_graph().control_dependencies([check]):
                sequence_length = identity(sequence_length, name="CheckSeqLen")
        inputs = pack_sequence_as(inputs, flat_input)
        outputs, final_state = _dynamic_rnn_loop(cell, inputs, state, parallel_iterations, sequence_length, dtype)
        if not time_major:
            outputs = pack_sequence_as(outputs, [_transpose_batch_time(o) for o in flatten(outputs)])
        return outputs, final_state


def _dynamic_rnn_loop(cell, inputs, state, parallel_iterations, sequence_length, dtype):
    flat_input = flatten(inputs)
    flat_output_size = flatten(cell.output_size)
    time_steps = shape_of(flat_input[0])[0]
    batch_size = _time_major_batch_size(flat_input)
    got_shapes = [x.shape.with_rank_at_least(3) for x in flat_input]
    const_time_steps, const_batch_size = got_shapes[0].as_list()[:2]
    for x, got in zip(flat_input, got_shapes):
        if not got[2:].is_fully_defined():
            raise ValueError(f"Input size (depth of inputs) must be accessible via shape inference, but saw value "
                             f"None for input={x}.")
        if got.as_list()[0] != const_time_steps:
            raise ValueError(f"Time steps is not the same for all the elements in the input in a batch. Received "
                             f"time steps={got.as_list()[0]} for input={x}.")
        if got.as_list()[1] != const_batch_size:
            raise ValueError(f"Batch_size is not the same for all the elements in the input. Received batch "
                             f"size={got.as_list()[1]} for input={x}.")
    state_dtype = _infer_state_dtype(dtype, state)
    zero_output = pack_sequence_as(cell.output_size, [zeros(_concat_shape(batch_size, size), state_dtype)
                                                      for size in flat_output_size])
    max_sequence_length = time_steps if sequence_length is None else reduce_max(sequence_length)
    time = convert_to_tensor(0, dtypes.int32, name="time")
    with name_scope("dynamic_rnn") as base_name:
        pass
    output_ta = tuple(TensorArray(state_dtype, size=time_steps, tensor_array_name=base_name + f"output_{i}",
                                  element_shape=TensorShape(_concat_shape([const_batch_size], size, static=True)))
                      for i, size in enumerate(flat_output_size))
    input_ta = tuple(TensorArray(x.dtype, size=time_steps, tensor_array_name=base_name + f"input_{i}",
                                 element_shape=x.shape[1:]).unstack(x) for i, x in enumerate(flat_input))

    def time_step(time, output_ta_t, state):
        input_t = [ta.read(time) for ta in input_ta]
        for x, got in zip(input_t, got_shapes):
            x.set_shape(got[1:])
        input_t = pack_sequence_as(inputs, input_t)
        new_output, new_state = cell(input_t, state)
        if sequence_length is not None:
            copy = time >= sequence_length
            flat_new = [n if z.shape.ndims == 0 else where(copy, z, n)
                        for z, n in zip(flatten(zero_output), flatten(new_output))]
            flat_state = [n if o.shape.ndims == 0 else where(copy, o, n)
                          for o, n in zip(flatten(state), flatten(new_state))]
            for n, o in zip(flat_new + flat_state, flatten(zero_output) + flatten(state)):
                n.set_shape(o.shape)
            new_output, new_state = pack_sequence_as(zero_output, flat_new), pack_sequence_as(state, flat_state)
        output_ta_t = tuple(ta.write(time, out) for ta, out in zip(output_ta_t, flatten(new_output)))
        return time + 1, output_ta_t, new_state
    loop_bound = minimum(time_steps, maximum(1, max_sequence_length))
    _, final_ta, final_state = while_loop(lambda time, *_: time < loop_bound, time_step, (time, output_ta, state),
                                          parallel_iterations=parallel_iterations, maximum_iterations=time_steps)
    final_outputs = []
    for ta, size in zip(final_ta, flat_output_size):
        out = ta.stack()
        out.set_shape(TensorShape(_concat_shape([const_time_steps, const_batch_size], size, static=True)))
        final_outputs.append(out)
    return pack_sequence_as(cell.output_size, final_outputs), final_state


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None, initial_state_fw=None,
                              initial_state_bw=None, dtype=None, parallel_iterations=None, swap_memory=False,
                              time_major=False, scope=None):
    """A forward and a backward `dynamic_rnn`: ((output_fw, output_bw), (state_fw, state_bw))."""
    _check_cell("cell_fw", cell_fw)
    _check_cell("cell_bw", cell_bw)
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            output_fw, state_fw = dynamic_rnn(cell_fw, inputs, sequence_length, initial_state_fw, dtype,
                                              parallel_iterations, swap_memory, time_major, scope=fw_scope)
        time_axis, batch_axis = (0, 1) if time_major else (1, 0)

        def flip(x):
            if sequence_length is not None:
                return reverse_sequence(x, sequence_length, seq_axis=time_axis, batch_axis=batch_axis)
            return reverse(x, axis=[time_axis])
        with variable_scope("bw") as bw_scope:
            inputs_reverse = pack_sequence_as(inputs, [flip(x) for x in flatten(inputs)])
            tmp, state_bw = dynamic_rnn(cell_bw, inputs_reverse, sequence_length, initial_state_bw, dtype,
                                        parallel_iterations, swap_memory, time_major, scope=bw_scope)
    output_bw = pack_sequence_as(tmp, [flip(x) for x in flatten(tmp)])
    return (output_fw, output_bw), (state_fw, state_bw)


def _assert_same_structure(a, b, what):
    """TF's nest.assert_same_structure for the tuples, lists and namedtuples RNNs use."""
    def shape(x):
        return [shape(item) for item in x] if is_nested(x) else None
    if shape(a) != shape(b):
        raise ValueError(f"The two structures don't have the same nested structure ({what}).\n\nFirst structure: "
                         f"{a}\n\nSecond structure: {b}")


def _static_shape(size):
    """A TensorShape for an emit size given as a TensorShape, an int or a (constant) shape tensor."""
    if isinstance(size, Tensor):
        value = constant_value(size)
        return TensorShape(None if value is None else [int(v) for v in value.reshape(-1)])
    return TensorShape(size)


def raw_rnn(cell, loop_fn, parallel_iterations=None, swap_memory=False, scope=None):
    """TF1's `raw_rnn`: a while loop whose inputs, finishing and emits `loop_fn` decides at each step.

    `loop_fn(time, cell_output, cell_state, loop_state)` -> (elements_finished, next_input, next_cell_state,
    emit_output, next_loop_state); called once before the loop with the last three arguments None. Returns
    (emit_ta, final_state, final_loop_state): TensorArrays of the emits (zeros for finished rows), the final
    cell state (finished rows keep theirs), and the final loop state (None if loop_fn gave none)."""
    _check_cell("cell", cell)
    if not callable(loop_fn):
        raise TypeError(f"Argument `loop_fn` must be a callable. Received: {loop_fn}.")
    parallel_iterations = parallel_iterations or 32
    with variable_scope(scope or "rnn"):
        time = convert_to_tensor(0, dtypes.int32)
        elements_finished, next_input, initial_state, emit_structure, init_loop_state = loop_fn(time, None, None,
                                                                                                None)
        flat_input = [convert_to_tensor(x) for x in flatten(next_input)]
        next_input = pack_sequence_as(next_input, flat_input)
        loop_state = init_loop_state if init_loop_state is not None else convert_to_tensor(0, dtypes.int32)
        shapes = [x.shape for x in flat_input]
        static_batch = shapes[0].with_rank_at_least(1)[0]
        for s in shapes:
            static_batch.assert_is_compatible_with(s.with_rank_at_least(1)[0])
        const_batch_size = dimension_value(static_batch)
        batch_size = const_batch_size if const_batch_size is not None else shape_of(flat_input[0])[0]
        _assert_same_structure(initial_state, cell.state_size, "initial_state and cell.state_size")
        state = pack_sequence_as(initial_state, [convert_to_tensor(s) for s in flatten(initial_state)])
        if emit_structure is not None:
            flat_emit = flatten(emit_structure)
            flat_emit_size = [e.shape if e.shape.is_fully_defined() else shape_of(e) for e in flat_emit]
            flat_emit_dtypes = [e.dtype for e in flat_emit]
        else:
            emit_structure = cell.output_size
            flat_emit_size = flatten(emit_structure)
            flat_emit_dtypes = [flatten(state)[0].dtype] * len(flat_emit_size)
        emit_ta = pack_sequence_as(emit_structure, [
            TensorArray(dtype, size=0, dynamic_size=True, name=f"rnn_output_{i}",
                        element_shape=TensorShape([const_batch_size]).concatenate(_static_shape(size)))
            for i, (dtype, size) in enumerate(zip(flat_emit_dtypes, flat_emit_size))])
        zero_emit = pack_sequence_as(emit_structure, [zeros(_concat_shape(batch_size, size), dtype)
                                                      for size, dtype in zip(flat_emit_size, flat_emit_dtypes)])

        def condition(time, finished, *_):
            return logical_not(reduce_all(finished))

        def body(time, finished, current_input, emit_ta, state, loop_state):
            next_output, cell_state = cell(current_input, state)
            _assert_same_structure(state, cell_state, "state and the cell's new state")
            _assert_same_structure(cell.output_size, next_output, "cell.output_size and the cell's output")
            next_time = time + 1
            next_finished, next_input, next_state, emit_output, next_loop_state = loop_fn(
                next_time, next_output, cell_state, loop_state)
            _assert_same_structure(state, next_state, "state and loop_fn's next state")
            _assert_same_structure(current_input, next_input, "input and loop_fn's next input")
            _assert_same_structure(emit_ta, emit_output, "emit_ta and loop_fn's emit")
            loop_state = loop_state if next_loop_state is None else next_loop_state

            def copy_through(current, candidate):  # finished rows keep the current value; scalars pass
                return pack_sequence_as(candidate, [
                    cand if isinstance(cur, TensorArray) or cur.shape.ndims == 0 else where(finished, cur, cand)
                    for cur, cand in zip(flatten(current), flatten(candidate))])
            emit_output = copy_through(zero_emit, emit_output)
            next_state = copy_through(state, next_state)
            emit_ta = pack_sequence_as(emit_ta, [ta.write(time, e) for ta, e in zip(flatten(emit_ta),
                                                                                   flatten(emit_output))])
            return next_time, logical_or(finished, next_finished), next_input, emit_ta, next_state, loop_state
        returned = while_loop(condition, body, [time, elements_finished, next_input, emit_ta, state, loop_state],
                              parallel_iterations=parallel_iterations, swap_memory=swap_memory)
        emit_ta, final_state, final_loop_state = returned[-3:]
        return emit_ta, final_state, (final_loop_state if init_loop_state is not None else None)
