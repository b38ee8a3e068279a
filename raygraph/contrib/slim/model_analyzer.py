"""`tf.contrib.slim.model_analyzer`: how many values a graph's op outputs and its variables hold, optionally
listed as TF 1.15's slim lists them (DCGAN-style programs print their variables through `analyze_vars`)."""


def tensor_description(var):
    """A tensor's or variable's dtype and dims, e.g. '(float32_ref 5x5x3x64)'."""
    return f"({var.dtype.name} {'x'.join(str(d) for d in var.get_shape())})"


def _heading(columns):
    print("---------")
    print(columns)
    print("---------")


def analyze_ops(graph, print_info=False):
    """The number of elements of all op outputs of `graph` (an output of unknown size counts 0)."""
    if print_info:
        _heading("Operations: name -> (type shapes) [size]")
    total = 0
    for op in graph.get_operations():
        size = sum(t.get_shape().num_elements() or 0 for t in op.outputs)
        if print_info:
            shapes = [tensor_description(t) for t in op.outputs if t.get_shape()]
            print(op.name, "\t->", ", ".join(shapes), f"[{size}]")
        total += size
    return total


def analyze_vars(variables, print_info=False):
    """(elements, bytes) of `variables` together (a variable of unknown size counts 0)."""
    if print_info:
        _heading("Variables: name (type shape) [size]")
    total_size = total_bytes = 0
    for v in variables:
        size = v.get_shape().num_elements() or 0
        total_size, total_bytes = total_size + size, total_bytes + size * v.dtype.size
        if print_info:
            print(v.name, tensor_description(v), f"[{size}, bytes: {size * v.dtype.size}]")
    if print_info:
        print(f"Total size of variables: {total_size}")
        print(f"Total bytes of variables: {total_bytes}")
    return total_size, total_bytes
