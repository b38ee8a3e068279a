"""`tf.layers`: TF1's layers (classes and function forms) with their variable scopes and reuse."""
from .base import InputSpec, Layer  # noqa: F401
from .convolutional import Conv1D, Conv2D, Conv2DTranspose, conv1d, conv2d, conv2d_transpose  # noqa: F401
from .core import Dense, Dropout, Flatten, dense, dropout, flatten  # noqa: F401
from .pooling import (AveragePooling1D, AveragePooling2D, AveragePooling3D, MaxPooling1D, MaxPooling2D,  # noqa: F401
                      MaxPooling3D, average_pooling1d, average_pooling2d, average_pooling3d, max_pooling1d,
                      max_pooling2d, max_pooling3d)
from .normalization import BatchNormalization, batch_normalization  # noqa: F401
from .convolutional import SeparableConv1D, SeparableConv2D, separable_conv1d, separable_conv2d  # noqa: F401
from .convolutional import Conv3D, conv3d  # noqa: F401
from .convolutional import Conv3DTranspose, conv3d_transpose  # noqa: F401
