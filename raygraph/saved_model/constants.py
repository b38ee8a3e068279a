"""File and collection names of the SavedModel layout (TensorFlow's values).

    <export_dir>/saved_model.pb          a SavedModel protobuf: one MetaGraphDef per tag set
    <export_dir>/variables/variables.*   the variables, as a raygraph checkpoint with prefix `variables`
    <export_dir>/assets/                 asset files (copied from the ASSET_FILEPATHS collection)
"""
SAVED_MODEL_SCHEMA_VERSION = 1
SAVED_MODEL_FILENAME_PB = "saved_model.pb"
SAVED_MODEL_FILENAME_PBTXT = "saved_model.pbtxt"
VARIABLES_DIRECTORY = "variables"
VARIABLES_FILENAME = "variables"
ASSETS_DIRECTORY = "assets"
ASSETS_KEY = "saved_model_assets"
LEGACY_INIT_OP_KEY = "legacy_init_op"
MAIN_OP_KEY = "saved_model_main_op"
TRAIN_OP_KEY = "saved_model_train_op"
TRAIN_OP_SIGNATURE_KEY = "__saved_model_train_op"
INIT_OP_SIGNATURE_KEY = "__saved_model_init_op"
DEBUG_DIRECTORY = "debug"
DEBUG_INFO_FILENAME_PB = "saved_model_debug_info.pb"
