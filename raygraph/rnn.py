"""`tf.nn.static_rnn` and `tf.nn.static_bidirectional_rnn`: TF1's RNNs unrolled in Python (TF's ops/rnn.py).

`static_rnn` calls the cell once per input in variable scope `rnn` (its variables are made on the first step
and reused after). With `sequence_length`, each step past a row's length gives that row zero output and carries
its state through unchanged (a `cond` skips the cell once every row has ended).
"""
from . import dtypes
from .convert import convert_to_tensor
from .ops.array import reverse_sequence, shape as shape_of
from .ops.control_flow import cond
from .ops.filling import zeros
from .ops.joining import concat, stack, unstack
from .ops.math import cast
from .ops.reduction import reduce_max, reduce_min
from .ops.slicing import where
from .rnn_cell import _concat_shape, flatten, is_nested, pack_sequence_as
from .shape import TensorShape, dimension_value
from .variable_scope import variable_scope


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
        if initial_state is not None:
            state = initial_state
        else:
            if not dtype:
                raise ValueError("If no initial_state is provided, argument `dtype` must be specified")
            if getattr(cell, "get_initial_state", None) is not None:
                state = cell.get_initial_state(inputs=None, batch_size=batch_size, dtype=dtype)
            else:
                state = cell.zero_state(batch_size, dtype)
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
