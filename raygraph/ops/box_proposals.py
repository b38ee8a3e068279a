"""Region proposals (`tf.image.generate_bounding_box_proposals`): op `GenerateBoundingBoxProposals`.

TensorFlow implements it for GPUs only (generate_box_proposals_op.cu.cc): on a CPU, the only device raygraph's
kernels run on, TF builds the op (its shape function checks the ranks and gives [batch, post_nms_topn, 4]
boxes and [batch, post_nms_topn] scores) and running it fails because no kernel is registered. raygraph does
the same, rather than compute proposals TF's CPU build cannot.
"""
import collections

from .. import dtypes
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .registry import NOT_DIFFERENTIABLE, apply_op, make_int, op
from .shape_fns import with_rank

_Proposals = collections.namedtuple("GenerateBoundingBoxProposals", ["rois", "roi_probabilities"])


def _no_cpu_kernel(a, *inputs):
    raise InvalidArgumentError(None, None, "No OpKernel was registered to support Op 'GenerateBoundingBoxProposals' "
                                           f"used by {{{{node {{name}}}}}} with these attrs: "
                                           f"[post_nms_topn={a['post_nms_topn']}]\nRegistered devices: [CPU]\n"
                                           "Registered kernels:\n  device='GPU'\n")


def _proposals_shape(inputs, a):
    scores = with_rank(inputs[0], 4)
    with_rank(inputs[1], 4)
    info = with_rank(inputs[2], 2)
    if info[1] not in (None, 5):
        raise ValueError(f"Dimension must be 5 but is {info[1]}")
    with_rank(inputs[3], 3)
    for t in inputs[4:]:
        with_rank(t, 0)
    n = a["post_nms_topn"]
    n = None if n == -1 else n
    return [(dtypes.float32, TensorShape._raw((scores[0], n, 4))), (dtypes.float32, TensorShape._raw((scores[0], n)))]


op("GenerateBoundingBoxProposals", "scores:float32, bbox_deltas:float32, image_info:float32, anchors:float32, "
   "nms_threshold:float32, pre_nms_topn:int32, min_size:float32", kernel=_no_cpu_kernel, shape=_proposals_shape,
   grad=NOT_DIFFERENTIABLE)


def generate_bounding_box_proposals(scores, bbox_deltas, image_info, anchors, nms_threshold=0.7, pre_nms_topn=6000,
                                    min_size=16, post_nms_topn=300, name=None):
    """(rois, roi_probabilities): boxes decoded from `bbox_deltas` over `anchors`, filtered and non-max suppressed
    (GPU-only in TF: building works, running on a CPU raises InvalidArgumentError as TF does)."""
    topn = make_int(post_nms_topn, "post_nms_topn")
    return _Proposals(*apply_op("GenerateBoundingBoxProposals", [scores, bbox_deltas, image_info, anchors,
                                                                 nms_threshold, pre_nms_topn, min_size],
                                {"post_nms_topn": topn}, name=name))
