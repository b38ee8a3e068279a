"""`tf.nn`: neural-network ops."""
from .ops.candidate_sampling import (all_candidate_sampler, compute_accidental_hits,  # noqa: F401
                                      log_uniform_candidate_sampler, uniform_candidate_sampler)
from .ops.candidate_sampling import fixed_unigram_candidate_sampler, learned_unigram_candidate_sampler  # noqa: F401
from .ops.embedding import (embedding_lookup, embedding_lookup_sparse, nce_loss,  # noqa: F401
                            safe_embedding_lookup_sparse, sampled_softmax_loss)
from .ops.conv import (atrous_conv2d, conv1d, conv2d, conv2d_backprop_filter, conv2d_backprop_input,  # noqa: F401
                       conv2d_transpose, convolution)
from .ops.math import sigmoid, tanh  # noqa: F401
from .ops.nn import (bias_add, dropout, elu, l2_loss, l2_normalize, leaky_relu, log_softmax, moments,  # noqa: F401
                     relu, relu6, selu, sigmoid_cross_entropy_with_logits, softmax,
                     softmax_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2, softplus, softsign,
                     sparse_softmax_cross_entropy_with_logits)
from .ops.pooling import avg_pool, avg_pool1d, avg_pool2d, avg_pool3d, avg_pool_v2  # noqa: F401
from .ops.pooling import max_pool, max_pool1d, max_pool2d, max_pool3d, max_pool_v2  # noqa: F401
from .ops.pooling import max_pool_with_argmax, pool  # noqa: F401
from .ops.fractional_pooling import fractional_avg_pool, fractional_max_pool  # noqa: F401
from .ops.quantized_nn import quantized_avg_pool, quantized_conv2d, quantized_max_pool, quantized_relu_x  # noqa: F401
from .ops.normalization import batch_normalization, fused_batch_norm, normalize_moments  # noqa: F401
from .ops.normalization import sufficient_statistics, weighted_moments  # noqa: F401
from .ops.normalization import batch_norm_with_global_normalization  # noqa: F401
from .ops.replica_losses import compute_average_loss, scale_regularization_loss  # noqa: F401
from . import rnn_cell  # noqa: F401
from .rnn import bidirectional_dynamic_rnn, dynamic_rnn, raw_rnn, static_bidirectional_rnn, static_rnn  # noqa: F401
from .ops.blocks import depth_to_space, space_to_batch, space_to_depth, with_space_to_batch  # noqa: F401
from .ops.normalization import local_response_normalization, lrn  # noqa: F401
from .ops.nn_impl import (crelu, log_poisson_loss, relu_layer, silu, swish,  # noqa: F401
                          weighted_cross_entropy_with_logits, xw_plus_b, zero_fraction)
from .ops.ranking import in_top_k, top_k  # noqa: F401
from .ops.conv import (depthwise_conv2d, depthwise_conv2d_native, depthwise_conv2d_native_backprop_filter,  # noqa: F401
                       depthwise_conv2d_native_backprop_input, separable_conv2d)
depthwise_conv2d_backprop_filter = depthwise_conv2d_native_backprop_filter
depthwise_conv2d_backprop_input = depthwise_conv2d_native_backprop_input
from .ops.conv import conv3d, conv3d_backprop_filter_v2, conv3d_transpose  # noqa: F401
from .ops.conv import atrous_conv2d_transpose, conv1d_transpose, conv_transpose  # noqa: F401
conv3d_backprop_filter = conv3d_backprop_filter_v2
from .ops.morphology import dilation2d, erosion2d  # noqa: F401
from .ops.ctc import (collapse_repeated, ctc_beam_search_decoder, ctc_beam_search_decoder_v2, ctc_unique_labels,  # noqa: F401,E501
                      ctc_greedy_decoder, ctc_loss, ctc_loss_v2)
from .ops.ranking import approx_max_k, approx_min_k  # noqa: F401  (tf.nn has them too)
