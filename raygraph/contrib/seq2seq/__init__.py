"""`tf.contrib.seq2seq` (TF 1.15): decoders (`BasicDecoder`, `BeamSearchDecoder`, `dynamic_decode`), their helpers,
attention mechanisms and `AttentionWrapper`, and `sequence_loss`."""
from ...ops.beam_search import gather_tree  # noqa: F401
from .attention_wrapper import (AttentionMechanism, AttentionWrapper, AttentionWrapperState,  # noqa: F401
                                BahdanauAttention, BahdanauMonotonicAttention, LuongAttention,
                                LuongMonotonicAttention, hardmax, monotonic_attention, safe_cumprod)
from .beam_search import (BeamSearchDecoder, BeamSearchDecoderOutput, BeamSearchDecoderState,  # noqa: F401
                          FinalBeamSearchDecoderOutput, tile_batch)
from .decoder import BasicDecoder, BasicDecoderOutput, Decoder, dynamic_decode  # noqa: F401
from .helper import (CustomHelper, GreedyEmbeddingHelper, Helper, InferenceHelper,  # noqa: F401
                     SampleEmbeddingHelper, ScheduledEmbeddingTrainingHelper, ScheduledOutputTrainingHelper,
                     TrainingHelper)
from .loss import sequence_loss  # noqa: F401
