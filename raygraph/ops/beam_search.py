"""`GatherTree` (tf.contrib.seq2seq.gather_tree): the full beams of a beam search, traced back from each final
beam through its parents, as TF 1.15's contrib kernel does (time major [max_time, batch, beam]; entries
past a batch entry's `max_sequence_lengths`, and after a beam's first `end_token`, are `end_token`)."""
import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import merge_all_dims, with_rank


def _gather_tree_kernel(a, step_ids, parent_ids, max_sequence_lengths, end_token):
    def bad(message):
        return InvalidArgumentError(None, None, message)
    if step_ids.ndim != 3:
        raise bad(f"step_ids must be a 3-tensor, saw shape: [{','.join(map(str, step_ids.shape))}]")
    if max_sequence_lengths.ndim != 1:
        raise bad(f"max_sequence_lengths must be a vector, saw shape: "
                  f"[{','.join(map(str, max_sequence_lengths.shape))}]")
    if np.ndim(end_token):
        raise bad(f"end_token must be a scalar, saw shape: [{','.join(map(str, np.shape(end_token)))}]")
    if parent_ids.shape != step_ids.shape:
        raise bad(f"step_ids.shape must match parent_ids.shape.  but shapes are: "
                  f"[{','.join(map(str, step_ids.shape))}] and [{','.join(map(str, parent_ids.shape))}]")
    max_time, batch_size, beam_width = step_ids.shape
    if max_sequence_lengths.shape[0] != batch_size:
        raise bad(f"batch size dimensions step_ids.shape[1] and max_sequence_lengths.shape[0] must match.  "
                  f"but shapes are: [{','.join(map(str, step_ids.shape))}] and "
                  f"[{','.join(map(str, max_sequence_lengths.shape))}]")
    beams = np.full(step_ids.shape, end_token, step_ids.dtype)
    for b in range(batch_size):
        length = min(max_time, int(max_sequence_lengths[b]))
        if length <= 0:
            continue
        for j in range(beam_width):
            beams[length - 1, b, j] = step_ids[length - 1, b, j]
            parent = parent_ids[length - 1, b, j]
            for level in range(length - 2, -1, -1):
                if parent < 0 or parent > beam_width:
                    raise bad(f"Saw invalid parent id {parent} at (batch, time, beam) == ({b}, {level}, {j})")
                beams[level, b, j] = step_ids[level, b, parent]
                parent = parent_ids[level, b, parent]
            ended = np.flatnonzero(beams[:length, b, j] == end_token)
            if ended.size:
                beams[ended[0] + 1:length, b, j] = end_token
    return beams


def _gather_tree_shape(inputs, attrs):
    """[max_time, batch, beam]: step_ids' and parent_ids' shapes merged, the batch also with the lengths'."""
    step_ids, parent_ids, lengths, end_token = inputs
    with_rank(step_ids, 3)
    with_rank(parent_ids, 3)
    (batch,) = with_rank(lengths, 1)
    with_rank(end_token, 0)
    time, batch_ids, beam = merge_all_dims([step_ids, parent_ids]) or (None, None, None)
    if None not in (batch, batch_ids) and batch != batch_ids:
        raise ValueError(f"Dimensions must be equal, but are {batch_ids} and {batch}")
    return step_ids.dtype.base_dtype, TensorShape._raw((time, batch_ids if batch is None else batch, beam))


op("GatherTree", "step_ids:T, parent_ids:T, max_sequence_lengths:int32, end_token:T", kernel=_gather_tree_kernel,
   shape=_gather_tree_shape, grad=NOT_DIFFERENTIABLE, T=(dtypes.int32,))


def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token, name=None):
    """The beams of a beam search traced back from its step ids and parent ids."""
    return apply_op("GatherTree", [step_ids, parent_ids, max_sequence_lengths, end_token], {}, name=name)
