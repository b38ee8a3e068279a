"""`tf.contrib.rnn`: TF 1.x's home of the RNN cells and the statically unrolled RNNs."""
from ..rnn import static_bidirectional_rnn, static_rnn  # noqa: F401
from ..rnn_cell import (BasicLSTMCell, BasicRNNCell, DropoutWrapper, GRUCell, LSTMCell, LSTMStateTuple,  # noqa: F401
                        MultiRNNCell, RNNCell)
