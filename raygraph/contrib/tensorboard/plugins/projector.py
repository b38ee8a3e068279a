"""`tf.contrib.tensorboard.plugins.projector`: TensorBoard's embedding projector reads `projector_config.pbtxt` in a
log directory (a ProjectorConfig text proto naming the checkpoint's embedding tensors, their metadata and sprite
files). The messages are the `tensorboard` package's own; the file is written as TF1 wrote it."""
import os

from google.protobuf import text_format
from tensorboard.plugins.projector.projector_config_pb2 import (  # noqa: F401
    EmbeddingInfo,
    ProjectorConfig,
    SpriteMetadata,
)

PROJECTOR_FILENAME = "projector_config.pbtxt"


def visualize_embeddings(summary_writer, config):
    """Writes `config` into the writer's log directory (a FileWriter, or the directory's path as TF 2 allows)."""
    logdir = summary_writer.get_logdir() if hasattr(summary_writer, "get_logdir") else summary_writer
    if logdir is None:
        raise ValueError("Summary writer must have a logdir")
    with open(os.path.join(logdir, PROJECTOR_FILENAME), "w") as f:
        f.write(text_format.MessageToString(config))
