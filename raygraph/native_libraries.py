"""Loading compiled TensorFlow libraries: raygraph runs no compiled TF kernels, so these say so."""


def _unsupported(name, what):
    def fail(library_filename, *args, **kwargs):
        raise NotImplementedError(f"tf.{name}({library_filename!r}): raygraph runs no compiled TensorFlow "
                                  f"kernels, so it cannot load {what}; define the op in raygraph's op table "
                                  f"(or use tf.py_func) instead")
    fail.__name__ = name
    fail.__doc__ = f"Not implemented: raygraph cannot load {what}."
    return fail


load_op_library = _unsupported("load_op_library", "a library of custom TF ops")
load_library = _unsupported("load_library", "a library of custom TF ops and kernels")
load_file_system_library = _unsupported("load_file_system_library", "a TF file system plugin")
