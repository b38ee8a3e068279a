"""tf.contrib.tensorboard.plugins.projector: the config a TF1 program writes for TensorBoard's embedding projector."""
import os

from google.protobuf import text_format

import raygraph as tf
from raygraph.contrib.tensorboard.plugins import projector


def test_visualize_embeddings_writes_the_config(tmp_path):
    g = tf.Graph()
    with g.as_default():
        emb = tf.Variable(tf.zeros([10, 3]), name="word_embedding")
        config = projector.ProjectorConfig()
        info = config.embeddings.add()
        info.tensor_name = emb.name
        info.metadata_path = "metadata.tsv"
        info.sprite.image_path = "sprite.png"
        info.sprite.single_image_dim.extend([28, 28])
        writer = tf.summary.FileWriter(str(tmp_path), g)
        tf.contrib.tensorboard.plugins.projector.visualize_embeddings(writer, config)
        writer.close()
    with open(os.path.join(tmp_path, "projector_config.pbtxt")) as f:
        read = text_format.Parse(f.read(), projector.ProjectorConfig())
    assert read == config
    assert read.embeddings[0].tensor_name == "word_embedding:0"
    assert list(read.embeddings[0].sprite.single_image_dim) == [28, 28]


def test_visualize_embeddings_into_a_directory(tmp_path):
    config = projector.ProjectorConfig(model_checkpoint_path="model.ckpt")
    projector.visualize_embeddings(str(tmp_path), config)   # TF 2's projector takes the directory itself
    with open(os.path.join(tmp_path, projector.PROJECTOR_FILENAME)) as f:
        assert f.read() == 'model_checkpoint_path: "model.ckpt"\n'
