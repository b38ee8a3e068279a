"""`tf.nn`: neural-network ops."""
from .ops.conv import (atrous_conv2d, conv1d, conv2d, conv2d_backprop_filter, conv2d_backprop_input,  # noqa: F401
                       conv2d_transpose, convolution)
from .ops.math import sigmoid, tanh  # noqa: F401
from .ops.nn import (bias_add, dropout, elu, l2_loss, l2_normalize, leaky_relu, log_softmax, moments,  # noqa: F401
                     relu, relu6, selu, sigmoid_cross_entropy_with_logits, softmax,
                     softmax_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2, softplus, softsign,
                     sparse_softmax_cross_entropy_with_logits)
