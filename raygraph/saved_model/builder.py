"""`SavedModelBuilder` and `simple_save`: a model's graph, variables, signatures and assets in one directory.

The SavedModel protobuf holds one MetaGraphDef per tag set (each with the Saver's SaverDef, collections
and SignatureDefs); the variables are saved once, by the first `add_meta_graph_and_variables`, as the
checkpoint `variables/variables`; asset files are copied to `assets/`.
"""
import os
import shutil

from tensorboard.compat.proto import meta_graph_pb2

from ..default_graph import get_collection
from ..graph import GraphKeys, get_default_graph
from ..operation import Operation
from . import constants, saved_model_pb2, signature_constants, signature_def_utils, tag_constants
from .utils import build_tensor_info
from ..train.saver import Saver
from ..train.meta_graph import create_meta_graph_def


class SavedModelBuilder:
    """Builds a SavedModel in `export_dir` (which must not exist or be empty):

    >>> builder = SavedModelBuilder("/tmp/model")
    >>> builder.add_meta_graph_and_variables(sess, [tag_constants.SERVING], signature_def_map={...})
    >>> builder.save()
    """

    def __init__(self, export_dir):
        self._saved_model = saved_model_pb2.SavedModel(
            saved_model_schema_version=constants.SAVED_MODEL_SCHEMA_VERSION)
        self._export_dir = str(export_dir)
        if os.path.exists(self._export_dir):
            if os.listdir(self._export_dir):
                raise AssertionError(f"Export directory {self._export_dir} already exists, and isn't empty. Please "
                                     f"choose a different export directory, or delete all the contents of the "
                                     f"specified directory.")
        else:
            os.makedirs(self._export_dir)
        self._has_saved_variables = False

    def add_meta_graph_and_variables(self, sess, tags, signature_def_map=None, assets_collection=None,
                                     legacy_init_op=None, clear_devices=False, main_op=None,
                                     strip_default_attrs=False, saver=None):
        """Saves the session's variables and adds the graph as the MetaGraphDef for `tags`."""
        if self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has already been saved. Please "
                                 "invoke `add_meta_graph()` instead.")
        with sess.graph.as_default():
            self._add(tags, signature_def_map, assets_collection, legacy_init_op, clear_devices, main_op,
                      strip_default_attrs, saver, sess)
        self._has_saved_variables = True

    def add_meta_graph(self, tags, signature_def_map=None, assets_collection=None, legacy_init_op=None,
                       clear_devices=False, main_op=None, strip_default_attrs=False, saver=None):
        """Adds the default graph as another MetaGraphDef, for `tags`, over the variables already saved."""
        if not self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has not been saved yet. Please "
                                 "invoke `add_meta_graph_and_variables()` first.")
        self._add(tags, signature_def_map, assets_collection, legacy_init_op, clear_devices, main_op,
                  strip_default_attrs, saver, None)

    def _add(self, tags, signature_def_map, assets_collection, legacy_init_op, clear_devices, main_op,
             strip_default_attrs, saver, sess):
        signature_def_map = signature_def_map or {}
        _validate_signatures(signature_def_map)
        _add_main_op(main_op if main_op is not None else legacy_init_op)
        saver = saver or _default_saver()
        if sess is not None and saver is not None:
            variables_dir = os.path.join(self._export_dir, constants.VARIABLES_DIRECTORY)
            os.makedirs(variables_dir, exist_ok=True)
            saver.save(sess, os.path.join(variables_dir, constants.VARIABLES_FILENAME), write_meta_graph=False,
                       write_state=False)
        if saver is not None:
            meta = saver.export_meta_graph(clear_devices=clear_devices, strip_default_attrs=strip_default_attrs)
        else:
            meta = create_meta_graph_def(clear_devices=clear_devices)
        self._copy_assets(meta, assets_collection)
        meta.meta_info_def.tags.extend(tags)
        for key, signature in signature_def_map.items():
            meta.signature_def[key].CopyFrom(signature)
        self._saved_model.meta_graphs.add().CopyFrom(meta)

    def _copy_assets(self, meta, assets_collection):
        """Copies each asset file (a string Const naming it) to assets/ and records it in `meta`."""
        for tensor in assets_collection or ():
            source = tensor.op.get_attr("value").string_val[0].decode()
            target_dir = os.path.join(self._export_dir, constants.ASSETS_DIRECTORY)
            os.makedirs(target_dir, exist_ok=True)
            target = os.path.join(target_dir, os.path.basename(source))
            if not os.path.exists(target):
                shutil.copy(source, target)
            meta.asset_file_def.add(tensor_info=build_tensor_info(tensor), filename=os.path.basename(source))

    def save(self, as_text=False):
        """Writes saved_model.pb (or .pbtxt); returns its path."""
        os.makedirs(self._export_dir, exist_ok=True)
        if as_text:
            path = os.path.join(self._export_dir, constants.SAVED_MODEL_FILENAME_PBTXT)
            data = str(self._saved_model).encode()
        else:
            path = os.path.join(self._export_dir, constants.SAVED_MODEL_FILENAME_PB)
            data = self._saved_model.SerializeToString(deterministic=True)
        with open(path, "wb") as f:
            f.write(data)
        return path


Builder = SavedModelBuilder


def _validate_signatures(signature_def_map):
    for key, signature in signature_def_map.items():
        if not isinstance(signature, meta_graph_pb2.SignatureDef):
            raise TypeError(f"signature_def_map[{key!r}] must be a SignatureDef, got {type(signature)}")
        for info in list(signature.inputs.values()) + list(signature.outputs.values()):
            if not info.name:
                raise AssertionError(f"All TensorInfo protos used in the SignatureDefs must have the name and "
                                     f"dtype fields set. {signature}")
        if key in (constants.INIT_OP_SIGNATURE_KEY, constants.TRAIN_OP_SIGNATURE_KEY):
            raise KeyError(f"SignatureDef map key \"{key}\" is reserved for initialization and training ops.")


def _add_main_op(main_op):
    """Puts the op run after restoring (e.g. table initializers) in the graph's main-op collection."""
    if main_op is None:
        return
    if not isinstance(main_op, Operation):
        raise TypeError(f"Expected {main_op} to be an Operation but got type {type(main_op)} instead.")
    for key in (constants.MAIN_OP_KEY, constants.LEGACY_INIT_OP_KEY):
        if get_collection(key):
            raise ValueError(f"Graph already contains one or more main ops under the collection {key}.")
    get_default_graph().add_to_collection(constants.MAIN_OP_KEY, main_op)


def _default_saver():
    """A Saver over every variable of the default graph, or None if there are none."""
    g = get_default_graph()
    if not (g.get_collection(GraphKeys.GLOBAL_VARIABLES) or g.get_collection(GraphKeys.SAVEABLE_OBJECTS)):
        return None
    return Saver(allow_empty=True)


def simple_save(session, export_dir, inputs, outputs, legacy_init_op=None):
    """Saves a model for serving: the session's graph and variables, tagged 'serve', with one Predict
    signature ('serving_default') from the {name: Tensor} `inputs` and `outputs`."""
    signature_def_map = {signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY:
                         signature_def_utils.predict_signature_def(inputs, outputs)}
    builder = SavedModelBuilder(export_dir)
    with session.graph.as_default():
        assets = get_collection(GraphKeys.ASSET_FILEPATHS)
    builder.add_meta_graph_and_variables(session, tags=[tag_constants.SERVING], signature_def_map=signature_def_map,
                                         assets_collection=assets, main_op=legacy_init_op, clear_devices=True)
    builder.save()
