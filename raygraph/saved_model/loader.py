"""`loader.load`: a SavedModel's MetaGraphDef for some tags, imported into a session's graph, its variables
restored and its main op run; the returned MetaGraphDef's SignatureDefs name the tensors to serve.

    with tf.Session(graph=tf.Graph()) as sess:
        meta = tf.saved_model.loader.load(sess, [tag_constants.SERVING], export_dir)
        signature = meta.signature_def["serving_default"]
        y = sess.run(signature.outputs["y"].name, {signature.inputs["x"].name: x})
"""
import os

from google.protobuf import text_format

from ..graph import GraphKeys
from . import constants, saved_model_pb2
from ..train.saver import import_meta_graph


def parse_saved_model(export_dir):
    """The SavedModel protobuf in `export_dir` (saved_model.pb, else saved_model.pbtxt); IOError if none."""
    pb = os.path.join(export_dir, constants.SAVED_MODEL_FILENAME_PB)
    pbtxt = os.path.join(export_dir, constants.SAVED_MODEL_FILENAME_PBTXT)
    saved_model = saved_model_pb2.SavedModel()
    if os.path.exists(pb):
        with open(pb, "rb") as f:
            saved_model.ParseFromString(f.read())
    elif os.path.exists(pbtxt):
        with open(pbtxt, encoding="utf-8") as f:
            text_format.Merge(f.read(), saved_model)
    else:
        raise IOError(f"SavedModel file does not exist at: {export_dir}{os.sep}{{{constants.SAVED_MODEL_FILENAME_PBTXT}"
                      f"|{constants.SAVED_MODEL_FILENAME_PB}}}")
    return saved_model


def maybe_saved_model_directory(export_dir):
    """Whether `export_dir` holds a SavedModel."""
    return any(os.path.exists(os.path.join(export_dir, name))
               for name in (constants.SAVED_MODEL_FILENAME_PB, constants.SAVED_MODEL_FILENAME_PBTXT))


class SavedModelLoader:
    """Loads the MetaGraphDefs of the SavedModel in `export_dir`."""

    def __init__(self, export_dir):
        self._export_dir = str(export_dir)
        self._variables_path = os.path.join(self._export_dir, constants.VARIABLES_DIRECTORY,
                                            constants.VARIABLES_FILENAME)
        self._saved_model = parse_saved_model(self._export_dir)

    export_dir = property(lambda self: self._export_dir)
    variables_path = property(lambda self: self._variables_path)
    saved_model = property(lambda self: self._saved_model)

    def get_meta_graph_def_from_tags(self, tags):
        """The MetaGraphDef whose tag set is exactly `tags`; RuntimeError if there is none."""
        available = []
        for meta in self._saved_model.meta_graphs:
            available.append(set(meta.meta_info_def.tags))
            if set(meta.meta_info_def.tags) == set(tags):
                return meta
        raise RuntimeError(f"MetaGraphDef associated with tags {str(tags).strip('[]')} could not be found in "
                           f"SavedModel, with available tags '{available}'. To inspect available tag-sets in the "
                           f"SavedModel, please use the SavedModel CLI: `saved_model_cli`.")

    def load_graph(self, graph, tags, import_scope=None, **saver_kwargs):
        """Imports the graph for `tags` into `graph`; returns (Saver or None, [])."""
        with graph.as_default():
            return import_meta_graph(self.get_meta_graph_def_from_tags(tags), import_scope=import_scope,
                                     **saver_kwargs), []

    def restore_variables(self, sess, saver, import_scope=None):
        with sess.graph.as_default():
            if saver is None:
                if sess.graph.get_collection(GraphKeys.GLOBAL_VARIABLES, scope=import_scope):
                    raise ValueError("No tf.train.Saver object was passed to the function "
                                     "`SavedModelLoader.restore_variables`. Since there are variables in the graph, "
                                     "a saver is required.")
                return
            saver.restore(sess, self._variables_path)

    def run_init_ops(self, sess, tags, import_scope=None):
        """Runs the main op (or legacy init op), with asset tensors fed their paths in this SavedModel."""
        meta = self.get_meta_graph_def_from_tags(tags)
        with sess.graph.as_default():
            init_op = _init_op(sess.graph, meta, import_scope)
            if init_op is not None:
                sess.run([init_op], feed_dict=self._asset_paths(meta, import_scope))

    def _asset_paths(self, meta, import_scope):
        prefix = import_scope + "/" if import_scope else ""
        assets = os.path.join(self._export_dir, constants.ASSETS_DIRECTORY)
        return {prefix + a.tensor_info.name: os.path.join(assets, a.filename) for a in meta.asset_file_def}

    def load(self, sess, tags, import_scope=None, **saver_kwargs):
        """Imports, restores and initializes the MetaGraphDef for `tags` in `sess`; returns it."""
        with sess.graph.as_default():
            saver, _ = self.load_graph(sess.graph, tags, import_scope, **saver_kwargs)
            self.restore_variables(sess, saver, import_scope)
            self.run_init_ops(sess, tags, import_scope)
        return self.get_meta_graph_def_from_tags(tags)


def _init_op(graph, meta, import_scope):
    if constants.INIT_OP_SIGNATURE_KEY in meta.signature_def:
        name = meta.signature_def[constants.INIT_OP_SIGNATURE_KEY].outputs[constants.INIT_OP_SIGNATURE_KEY].name
        return graph.as_graph_element(f"{import_scope}/{name}" if import_scope else name)
    for key in (constants.MAIN_OP_KEY, constants.LEGACY_INIT_OP_KEY):
        if key in meta.collection_def:
            ops = graph.get_collection(key)
            if len(ops) != 1:
                raise RuntimeError(f"Expected exactly one SavedModel main op. Found {len(ops)}: {ops}")
            return ops[0]
    return None


def load(sess, tags, export_dir, import_scope=None, **saver_kwargs):
    """Loads the SavedModel in `export_dir` for `tags` into `sess`; returns its MetaGraphDef."""
    return SavedModelLoader(export_dir).load(sess, tags, import_scope, **saver_kwargs)
