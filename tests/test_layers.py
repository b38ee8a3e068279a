"""The package's structure: raygraph's modules import in one direction, in the layer order below.

Read with `ast`, never by importing. A module may import, at module level, only modules that come before
it in `LAYERS` (importing `raygraph.a.b` also runs the package `raygraph.a`, so that counts as importing
`raygraph.a` too). Function-local imports are kept for the few cycles that are essential in concept
(making a constant makes an op; a Tensor's operators build ops; `eval()` needs a session) and to defer
heavy dependencies (Ray, pyarrow) until a session needs them: fewer than 30 of them in all.

`python tests/test_layers.py` prints the same report from the repository root.
"""
import ast
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# raygraph's layers, lowest first; inside a layer, a module may import those listed before it.
LAYERS = [
    # plain values, errors and file formats: no graph
    ["protos", "lazy_modules", "errors", "dtypes", "shape", "nest", "device_spec", "cluster_spec", "graph_def", "atomic_files", "sstable",
     "tensor_bundle_pb2", "tensor_bundle", "checkpoint_io", "ops.wide_rows", "ops.compiled", "ops.derived", "ops.eigen_sums", "ops.eigen_loops", "ops.kernel_loops", "ops.philox", "ops.fourier_loops", "ops.scalar_math", "ops.distributions", "ops.fingerprints", "ops.unicode_scripts", "python_io", "example_pb2",
     "summary.records", "saved_model.saved_model_pb2", "saved_model.constants", "saved_model.tag_constants",
     "saved_model.signature_constants", "client.timeline", "compat",
     "logging", "flags", "app", "gfile", "versions", "native_libraries", "config", "client.device_lib", "client", "core",
     # TF's internal module paths (`tensorflow.python.framework.ops`...): their names are read from raygraph's
     # namespaces when first asked for, so the finder imports nothing of raygraph
     "python"],
    # the graph: tensors, operations, graphs, the default graph and its scopes
    ["tensor", "operation", "graph", "default_graph"],
    # values to tensors (a Python value becomes a Const op: the op table is imported where that happens)
    ["convert"],
    # the op table: building an op from its entry
    ["ops.shape_fns", "ops.registry"],
    # op families, each importing only the families before it
    ["ops.indexed_slices", "ops.array", "ops.sparse_tensor", "ops.math", "ops.filling", "ops.joining", "ops.slicing", "ops.reduction",
     "ops.complex", "ops.cumulative", "ops.bincount",
     "ops.sets", "ops.state", "ops.linalg", "ops.matrix", "ops.products", "ops.decompositions",
     "ops.matrix_functions", "ops.tridiagonal",
     "ops.operators", "ops.random", "ops.stateless_random", "ops.candidate_sampling", "ops.control_flow", "ops.tensor_array", "ops.while_loop",
     "ops.least_squares",
     "ops.control", "ops.nn", "ops.blocks", "ops.conv_fourier", "ops.conv_winograd", "ops.conv_taps", "ops.conv", "ops.pooling", "ops.fractional_pooling", "ops.normalization", "ops.ranking",
     "ops.nn_impl", "ops.special", "ops.math_functions", "ops.clip", "ops.checks", "ops.replica_losses", "ops.morphology", "ops.scatter", "ops.segments", "ops.sparse_ops", "ops.sparse_math", "ops.sparse_slicing", "ops.sparse_cross",
     "ops.embedding",
     "ops.sequences", "ops.identities", "ops.sorting", "ops.histograms", "ops.fft", "ops.scatter_nd", "ops.quantize", "ops.permutations", "ops.sparse_matmul", "ops.hashing", "ops.patches", "ops.conv_general", "ops.edit_distance", "ops.ctc", "ops.rnn_ops", "ops.beam_search",
     "ops.io", "ops.image", "ops.color", "ops.boxes", "ops.box_suppression", "ops.glimpse", "ops.box_proposals", "ops.crop_sampling", "ops.parsing", "ops.script", "ops.summary", "ops.strings",
     "ops.regexes", "ops.string_joins", "ops.printing", "ops.session_handles", "ops.training", "ops.queues", "ops.accumulators",
     "ops.serialization", "ops.image_codecs", "ops.sequence_examples", "ops.proto_codecs", "ops.readers", "ops", "ops.quantized", "ops.quantized_nn", "quantization", "ops.audio"],
    # TF's namespaces over the op families
    ["audio", "math", "sparse", "bitwise", "io", "losses", "functional", "debugging",
     "linear_operator.base", "linear_operator.dense", "linear_operator.diagonal", "linear_operator.composite", "linear_operator.structured",
     "linear_operator.circulant",
     "linear_operator", "linalg", "queue", "image_core",
     "image_color", "image_geometry", "image", "sets", "manip", "strings", "ops.signal_ops", "signal", "spectral",
     # framework-level helpers over the op families (specs, tensor protos, ragged's missing names, tables);
     # lookup tables: their ops and tf.lookup (before tf.data, whose tables are filled from datasets)
     "type_spec", "ragged", "tensor_util", "lookup_tables", "saveable", "ops.lookup_ops", "lookup",
     # tf.distributions (TF1's probability distributions over the op families)
     "distributions.kullback_leibler", "distributions.util", "distributions.special_math",
     "distributions.distribution", "distributions.normal", "distributions.uniform", "distributions.bernoulli",
     "distributions.categorical", "distributions.gamma", "distributions.exponential", "distributions.laplace",
     "distributions.beta", "distributions.student_t", "distributions.dirichlet", "distributions.multinomial",
     "distributions.dirichlet_multinomial", "distributions"],
    # tf.data: dataset recipes (what a device iterates), graph functions, the dataset and iterator ops, the API
    ["data.sources", "data.pipeline", "data.transforms", "data.rows", "data.cardinality", "data.resource",
     "data.structure", "data.function", "data.ops", "data.iterator", "data.options", "data.specs", "data.dataset",
     "data.readers", "data.transformations", "data.tables", "data.table_initializers", "data.unsupported", "data.experimental", "data"],
    # sessions: the graph as plain data for the engine, session targets, running steps
    ["table", "metadata", "engine", "cluster_targets", "targets", "session"],
    # variables, gradients, graph import
    ["initializers", "variables", "random_generator", "random", "partitioned_variables", "variable_scope", "slot_creator", "moving_averages", "metrics", "gradients", "importer",
     "custom_gradient", "switch_case", "templates", "partitioners", "batching"],
    # TF1's layers
    ["layers.arguments", "layers.base", "layers.core", "layers.convolutional", "layers.pooling", "layers.normalization", "layers",
     # RNN cells and the unrolled RNNs; `nn` (TF's namespace) comes after them since it holds `nn.rnn_cell`
     "rnn_cell", "rnn", "nn"],
    # training, summaries, SavedModels
    ["train.device_setter", "train.learning_rate_decay", "train.training_util", "train.optimizer",
     "train.optimizers", "train.checkpoint_management", "train.checkpoint_utils", "train.meta_graph", "train.saver",
     "train.server", "train.coordinator", "train.queue_runner", "train.input",
     "train.basic_session_run_hooks", "train.monitored_session", "train.session_manager", "train.supervisor", "train.sync_replicas_optimizer", "train.basic_loops", "train.server_def", "train.warm_starting", "train.unsupported", "train", "summary.summaries", "summary.writer", "summary", "saved_model.utils",
     "saved_model.signature_def_utils", "saved_model.builder", "saved_model.loader", "saved_model.main_op", "saved_model",
     # tf.feature_column: columns over lookup tables, embeddings and variables (warm-started from checkpoints)
     "feature_column.base", "feature_column.categorical", "feature_column.dense", "feature_column.models",
     "feature_column"],
    # TF 1.15's tf.contrib, over all of the above (slim's training loop and contrib.opt stand on tf.train)
    ["contrib.framework", "contrib.conv_layers", "contrib.optimizers", "contrib.layers", "contrib.layers_utils", "contrib.rnn", "contrib.seq2seq.loss", "contrib.seq2seq.helper",
     "contrib.seq2seq.decoder", "contrib.seq2seq.attention_wrapper", "contrib.seq2seq.beam_search", "contrib.seq2seq", "contrib.crf",
     "contrib.legacy_seq2seq", "contrib.lookup", "contrib.staging", "contrib.data", "contrib.training", "contrib.tensorboard.plugins.projector",
     "contrib.tensorboard.plugins", "contrib.tensorboard", "contrib.learn.preprocessing", "contrib.learn",
     "contrib.slim.initializers", "contrib.slim.regularizers", "contrib.slim.losses", "contrib.slim.metrics",
     "contrib.slim.learning", "contrib.slim.model_analyzer", "contrib.slim",
     "contrib.opt.external_optimizer", "contrib.opt.weight_decay_optimizers", "contrib.opt.adam_variants",
     "contrib.opt.wrappers", "contrib.opt", "contrib.deprecated", "contrib"],
    # TF1's tools for tests and frozen graphs
    ["test", "graph_util"],
    # the package: `import raygraph as tf`
    [""],
]
MAX_LOCAL_IMPORTS = 30


# ----- reading imports ------------------------------------------------------------------------------
def find_modules(root, packages=("raygraph", "scheduler")):
    """Dotted module name -> file path, for every .py file under the packages."""
    out = {}
    for package in packages:
        for folder, _, files in os.walk(os.path.join(root, package)):
            for f in files:
                if f.endswith(".py"):
                    path = os.path.join(folder, f)
                    name = os.path.relpath(path, root)[:-3].replace(os.sep, ".")
                    out[name[:-len(".__init__")] if name.endswith(".__init__") else name] = path
    return out


def _targets(module, is_package, node, modules):
    """The project modules an import statement names."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:
        parts = module.split(".") if is_package else module.split(".")[:-1]
        parts = parts[:len(parts) - node.level + 1]
        base = ".".join(parts + ([base] if base else []))
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]


def read_imports(root, packages=("raygraph", "scheduler")):
    """(module-level edges {module: {imported module: line}}, function-local imports [(module, line, target)])."""
    modules = find_modules(root, packages)
    edges, local = {m: {} for m in modules}, []
    for module, path in modules.items():
        with open(path) as f:
            tree = ast.parse(f.read(), path)
        is_package = path.endswith("__init__.py")
        top = set()
        for stmt in tree.body:  # module level includes imports under a top-level if/try
            nodes = ast.walk(stmt) if isinstance(stmt, (ast.If, ast.Try)) else [stmt]
            top.update(id(n) for n in nodes if isinstance(n, (ast.Import, ast.ImportFrom)))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            targets = [t for t in _targets(module, is_package, node, modules) if t.split(".")[0] in packages]
            if targets and id(node) not in top:
                local.append((module, node.lineno, targets[0]))
                continue
            for target in targets:
                for dep in _with_packages(target, module, modules):
                    if dep != module:
                        edges[module].setdefault(dep, node.lineno)
    return edges, local


def _with_packages(target, importer, modules):
    """`target` and each package above it that importing it runs (those not already running for `importer`)."""
    parts = target.split(".")
    out = [target] if target in modules else []
    for i in range(2, len(parts)):
        package = ".".join(parts[:i])
        if package in modules and not (importer + ".").startswith(package + "."):
            out.append(package)
    return out


# ----- checks ---------------------------------------------------------------------------------------
def find_cycles(edges):
    """Each import cycle (a strongly connected component of two or more modules), as a path."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(_cycle_path(sorted(component), edges))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return cycles


def _cycle_path(component, edges):
    """One cycle through the component's first module, as "a -> b -> a"."""
    inside, start = set(component), component[0]
    paths, seen = [[start]], {start}
    while paths:
        path = paths.pop(0)
        for w in sorted(edges.get(path[-1], ())):
            if w == start:
                return " -> ".join(path + [start])
            if w in inside and w not in seen:
                seen.add(w)
                paths.append(path + [w])
    return " -> ".join(component)


def layer_rank(layers, package="raygraph"):
    """Module name -> (layer, position) from a LAYERS list."""
    rank = {}
    for i, layer in enumerate(layers):
        for j, name in enumerate(layer):
            rank[f"{package}.{name}" if name else package] = (i, j)
    return rank


def check(root, layers=LAYERS, package="raygraph", engine="scheduler"):
    """Every structure problem, as readable lines (an empty list when the structure holds)."""
    packages = (package, engine)
    edges, local = read_imports(root, packages)
    rank = layer_rank(layers, package)
    problems = [f"import cycle: {c}" for c in find_cycles(edges)]
    for module in sorted(edges):
        if module.split(".")[0] == package and module not in rank:
            problems.append(f"{module} is in no layer: add it to LAYERS in tests/test_layers.py")
    for module, deps in sorted(edges.items()):
        for dep, line in sorted(deps.items()):
            if module in rank and dep in rank and rank[dep] >= rank[module]:
                problems.append(f"{module} (line {line}) imports {dep}, which is not below it in the layer order")
    for module, line, target in local + [(m, line, d) for m, deps in edges.items() for d, line in deps.items()]:
        if module.split(".")[0] == engine and target.split(".")[0] == package:
            problems.append(f"{module} (line {line}) imports {target}: the engine must not import {package}")
    n_local = sum(1 for m, _, t in local if m.split(".")[0] in packages)
    if n_local >= MAX_LOCAL_IMPORTS:
        problems.append(f"{n_local} function-local imports of project modules (fewer than {MAX_LOCAL_IMPORTS} "
                        "allowed): " + ", ".join(f"{m}:{line}" for m, line, _ in local))
    return problems


def local_imports(root, packages=("raygraph", "scheduler")):
    return read_imports(root, packages)[1]


def op_type_strings(root, op_types, paths=("scheduler", os.path.join("raygraph", "table.py"))):
    """Where the engine names an op type in a string ("file:line 'Merge'"): what it must know about an op
    is a field of the op's entry, never its name."""
    files = []
    for path in paths:
        full = os.path.join(root, path)
        if os.path.isdir(full):
            files += sorted(os.path.join(full, f) for f in os.listdir(full) if f.endswith(".py"))
        else:
            files.append(full)
    found = []
    for path in files:
        with open(path) as f:
            tree = ast.parse(f.read(), path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in op_types:
                found.append(f"{os.path.relpath(path, root)}:{node.lineno} {node.value!r}")
    return found


# ----- tests ------------------------------------------------------------------------------------------
def test_raygraph_imports_in_layer_order():
    assert check(ROOT) == []


def test_the_engine_names_no_op_type():
    from raygraph.ops.registry import REGISTRY
    assert op_type_strings(ROOT, set(REGISTRY)) == []


def _write(root, files):
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)


_TOY = {"pkg/__init__.py": "from . import top\n", "pkg/low.py": "X = 1\n",
        "pkg/mid.py": "from .low import X\n", "pkg/top.py": "from . import mid\n",
        "eng/__init__.py": "", "eng/run.py": "import os\n"}
_TOY_LAYERS = [["low"], ["mid"], ["top"], [""]]


def test_check_accepts_a_layered_package(tmp_path):
    _write(tmp_path, _TOY)
    assert check(str(tmp_path), _TOY_LAYERS, "pkg", "eng") == []


def test_check_finds_an_upward_import(tmp_path):
    _write(tmp_path, dict(_TOY, **{"pkg/low.py": "from .top import mid\nX = 1\n"}))
    problems = check(str(tmp_path), _TOY_LAYERS, "pkg", "eng")
    assert "pkg.low (line 1) imports pkg.top, which is not below it in the layer order" in problems
    assert "import cycle: pkg.low -> pkg.top -> pkg.mid -> pkg.low" in problems


def test_check_finds_a_cycle_inside_one_layer_and_an_unplaced_module(tmp_path):
    files = dict(_TOY, **{"pkg/mid.py": "from .low import X\nfrom . import side\n",
                          "pkg/side.py": "from . import mid\n"})
    _write(tmp_path, files)
    problems = check(str(tmp_path), [["low"], ["mid", "side"], ["top"], [""]], "pkg", "eng")
    assert "import cycle: pkg.mid -> pkg.side -> pkg.mid" in problems
    _write(tmp_path, {"pkg/extra.py": ""})
    assert "pkg.extra is in no layer: add it to LAYERS in tests/test_layers.py" in check(
        str(tmp_path), _TOY_LAYERS, "pkg", "eng")


def test_check_counts_subpackage_inits_and_engine_imports(tmp_path):
    files = dict(_TOY, **{"pkg/sub/__init__.py": "from .deep import Y\nfrom ..top import mid\n",
                          "pkg/sub/deep.py": "Y = 2\n", "pkg/mid.py": "from .sub.deep import Y\n",
                          "eng/run.py": "def f():\n    from pkg import low\n"})
    _write(tmp_path, files)
    problems = check(str(tmp_path), [["low"], ["sub.deep"], ["mid"], ["top"], ["sub"], [""]], "pkg", "eng")
    # importing pkg.sub.deep runs pkg/sub/__init__.py, which sits above pkg.mid
    assert "pkg.mid (line 1) imports pkg.sub, which is not below it in the layer order" in problems
    assert "eng.run (line 2) imports pkg.low: the engine must not import pkg" in problems



def test_op_type_strings_finds_an_op_named_in_the_engine(tmp_path):
    _write(tmp_path, {"scheduler/plan.py": 'def f(node):\n    return node.op_type == "Merge"  # "Merge" in a comment\n',
                      "raygraph/table.py": '"""Placeholder docs."""\nX = "Placeholders"\n'})
    assert op_type_strings(str(tmp_path), {"Merge", "Placeholder"}) == ["scheduler/plan.py:2 'Merge'"]


if __name__ == "__main__":
    sys.path.insert(0, ROOT)
    from raygraph.ops.registry import REGISTRY
    found = check(ROOT)
    print("\n".join(found) or "raygraph imports in layer order: no cycle, no upward import, no raygraph in scheduler")
    print(f"function-local imports of project modules: {len(local_imports(ROOT))} (fewer than {MAX_LOCAL_IMPORTS})")
    names = op_type_strings(ROOT, set(REGISTRY))
    print("op type names in scheduler/ and raygraph/table.py: " + (", ".join(names) or "none"))
    sys.exit(1 if found or names else 0)
