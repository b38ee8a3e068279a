"""`tf.contrib.rnn`: TF 1.x's home of the RNN cells and the statically unrolled RNNs."""
from ..rnn import static_bidirectional_rnn, static_rnn  # noqa: F401
from ..rnn_cell import (BasicLSTMCell, BasicRNNCell, DeviceWrapper, DropoutWrapper, GRUCell, LSTMCell,  # noqa: F401
                        LSTMStateTuple, MultiRNNCell, ResidualWrapper, RNNCell)
