"""`tf.contrib.slim` (today's tf_slim): the contrib layers, arg scopes and variable functions under one name, and
the subpackages `losses`, `learning`, `metrics`, `initializers` and `regularizers`.

    slim = tf.contrib.slim
    with slim.arg_scope([slim.conv2d, slim.fully_connected], weights_regularizer=slim.l2_regularizer(1e-4)):
        net = slim.fully_connected(slim.flatten(slim.conv2d(images, 8, [3, 3])), 10, activation_fn=None)

Its layer names are those of tf_slim's that `tf.contrib.layers` has (a name it lacks is absent here too)."""
from .. import layers as layers
from .. import layers_utils as utils  # noqa: F401 - slim.utils
from ..framework import (  # noqa: F401
                         add_arg_scope,
                         add_model_variable,
                         arg_scope,
                         arg_scope_func_key,
                         arg_scoped_arguments,
                         assert_global_step,
                         assert_or_get_global_step,
                         assign_from_checkpoint,
                         assign_from_checkpoint_fn,
                         assign_from_values,
                         assign_from_values_fn,
                         create_global_step,
                         current_arg_scope,
                         filter_variables,
                         get_global_step,
                         get_local_variables,
                         get_model_variables,
                         get_or_create_global_step,
                         get_trainable_variables,
                         get_unique_variable,
                         get_variable_full_name,
                         get_variables,
                         get_variables_by_name,
                         get_variables_by_suffix,
                         get_variables_to_restore,
                         global_variable,
                         has_arg_scope,
                         local_variable,
                         model_variable,
                         variable,
)
from . import initializers, learning, losses, metrics, model_analyzer, regularizers  # noqa: F401

# tf_slim's layer names (tf_slim.layers' public functions and classes)
_LAYER_NAMES = (
    "GDN", "OPTIMIZER_CLS_NAMES", "OPTIMIZER_SUMMARIES", "RevBlock", "adaptive_clipping_fn", "apply_regularization",
    "avg_pool2d", "avg_pool3d", "batch_norm", "bias_add", "bucketize", "conv1d", "conv2d", "conv2d_in_plane",
    "conv2d_transpose", "conv3d", "conv3d_transpose", "convolution", "convolution1d", "convolution2d",
    "convolution2d_in_plane", "convolution2d_transpose", "convolution3d", "convolution3d_transpose",
    "dense_to_sparse", "dropout", "elu", "flatten", "fully_connected", "gdn", "group_norm", "images_to_sequence",
    "instance_norm", "l1_l2_regularizer", "l1_regularizer", "l2_regularizer", "layer_norm",
    "legacy_fully_connected", "legacy_linear", "legacy_relu", "linear", "max_pool2d", "max_pool3d", "maxout",
    "one_hot_encoding", "optimize_loss", "pool", "recompute_grad", "relu", "relu6", "repeat", "rev_block",
    "scale_gradient", "separable_conv2d", "separable_convolution2d", "sequence_to_images", "softmax",
    "spatial_softmax", "stack", "sum_regularizer", "summarize_activation", "summarize_activations",
    "summarize_biases", "summarize_collection", "summarize_tensor", "summarize_tensors", "summarize_variables",
    "summarize_weights", "unit_norm", "variance_scaling_initializer", "xavier_initializer",
    "xavier_initializer_conv2d")
globals().update({name: getattr(layers, name) for name in _LAYER_NAMES if hasattr(layers, name)})
