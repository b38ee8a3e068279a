"""`tf.layers.Layer`: TF1's layers, with their variable scopes, naming and reuse, as TF 2.21's legacy
`tf.compat.v1.layers` (tf_keras' legacy_tf_layers) builds them.

A layer gets two names. `layer.name` is unique among the graph's layer objects, counted from 1 per base name
(`dense_1`, `dense_2`: Keras' object names). Its variables and ops live in a variable scope made on first use:
the `name` given (a fixed scope, so a second layer with the same name and no `reuse` fails as
`get_variable` does), or `default_name=<base name>` (uniquified: `dense`, `dense_1`). Each call re-enters
that scope and its original name scope, builds the layer's weights on the first call (`build`), runs `call`,
and adds the layer's updates to `UPDATE_OPS`; weight regularization losses go to `REGULARIZATION_LOSSES`.
"""
import re

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import get_collection_ref, name_scope
from ..graph import GraphKeys
from ..ops.array import shape as shape_of
from ..ops.math import cast, div_no_nan
from ..shape import TensorShape
from ..tensor import Tensor
from ..variable_scope import VariableScope, get_variable, variable_scope


def _snake_case(name):
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return insecure if insecure[0] != "_" else "private" + insecure


def _unique_layer_name(base_name):
    """`base_name_<n>`, n counted from 1 per base name in the default graph (Keras' unique_object_name)."""
    counts = get_collection_ref(("__layer_names",))
    if not counts:
        counts.append({})
    n = counts[0].get(base_name, 0) + 1
    counts[0][base_name] = n
    return f"{base_name}_{n}"


def _flatten(x):
    if isinstance(x, (list, tuple)):
        return [y for item in x for y in _flatten(item)]
    if isinstance(x, dict):
        return [y for key in sorted(x) for y in _flatten(x[key])]
    return [x]


def _add_to_collection(elements, name):
    collection = get_collection_ref(name)
    present = {id(e) for e in collection}
    for element in elements:
        if id(element) not in present:
            collection.append(element)
            present.add(id(element))


class InputSpec:
    """What a layer accepts: dtype, rank (ndim, min_ndim, max_ndim), full shape, or values of given axes."""

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None):
        self.dtype = dtypes.as_dtype(dtype).name if dtype is not None else None
        self.shape = None if shape is None else TensorShape(shape).as_list()
        self.ndim = len(self.shape) if shape is not None else ndim
        self.max_ndim, self.min_ndim = max_ndim, min_ndim
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.axes = {int(k): v for k, v in (axes or {}).items()}
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_dim = (self.ndim if self.ndim is not None else self.max_ndim) - 1
            if max(self.axes) > max_dim:
                raise ValueError(f"Axis {max(self.axes)} is greater than the maximum allowed value: {max_dim}")

    def __repr__(self):
        fields = [f"{k}={getattr(self, k)}" for k in ("dtype", "shape", "ndim", "max_ndim", "min_ndim", "axes")
                  if getattr(self, k)]
        return f"InputSpec({', '.join(fields)})"


def _check_inputs(spec, inputs, layer_name):
    """Raises TF's ValueError when `inputs` do not fit the layer's InputSpec(s)."""
    if not spec:
        return
    specs, inputs = _flatten(spec), _flatten(inputs)
    if len(inputs) != len(specs):
        raise ValueError(f'Layer "{layer_name}" expects {len(specs)} input(s), but it received {len(inputs)} input '
                         f"tensors. Inputs received: {inputs}")
    for i, (x, s) in enumerate(zip(inputs, specs)):
        if s is None:
            continue
        shape = TensorShape(x.shape)
        if shape.ndims is None:
            return
        where = f'Input {i} of layer "{layer_name}" is incompatible with the layer: '
        if s.ndim is not None and not s.allow_last_axis_squeeze and shape.ndims != s.ndim:
            raise ValueError(f"{where}expected ndim={s.ndim}, found ndim={shape.ndims}. Full shape received: "
                             f"{tuple(shape.dims)}")
        if s.max_ndim is not None and shape.ndims > s.max_ndim:
            raise ValueError(f"{where}expected max_ndim={s.max_ndim}, found ndim={shape.ndims}")
        if s.min_ndim is not None and shape.ndims < s.min_ndim:
            raise ValueError(f"{where}expected min_ndim={s.min_ndim}, found ndim={shape.ndims}. Full shape "
                             f"received: {tuple(shape.dims)}")
        if s.dtype is not None and x.dtype.name != s.dtype:
            raise ValueError(f"{where}expected dtype={s.dtype}, found dtype={x.dtype}")
        dims = shape.as_list()
        for axis, value in s.axes.items():
            if value is not None and dims[axis] not in (value, None):
                raise ValueError(f"{where}expected axis {axis} of input shape to have value {value}, but received "
                                 f"input with shape {tuple(dims)}")


class Layer:
    """A TF1 layer: `build(input_shape)` makes its weights with `add_weight`, `call(inputs)` its ops."""

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        scope = kwargs.pop("_scope", None)
        self._reuse = kwargs.pop("_reuse", None)
        for key in kwargs:
            if key not in ("input_shape", "batch_input_shape", "batch_size", "weights", "activity_regularizer",
                           "autocast"):
                raise TypeError(f"Keyword argument not understood: {key}")
        self.trainable = trainable
        self.built = False
        self.input_spec = None
        self.supports_masking = False
        self._dtype = None if dtype is None else dtypes.as_dtype(dtype)
        self._trainable_weights, self._non_trainable_weights = [], []
        self._updates, self._losses = [], []
        self._activity_regularizer = kwargs.get("activity_regularizer")
        if isinstance(name, VariableScope):
            self._base_name, self._name = name.name, _unique_layer_name(_snake_case(type(self).__name__))
        elif name:
            self._base_name = self._name = name
        else:
            self._base_name = _snake_case(type(self).__name__)
            self._name = _unique_layer_name(self._base_name)
        self._scope = None
        if scope:
            with variable_scope(scope) as captured:
                self._scope = captured
        self._current_scope = None

    # ----- what a layer holds --------------------------------------------------------------------------
    name = property(lambda self: self._name)
    dtype = property(lambda self: None if self._dtype is None else self._dtype.name)
    trainable_weights = property(lambda self: list(self._trainable_weights) if self.trainable else [])
    non_trainable_weights = property(lambda self: list(self._non_trainable_weights) + (
        [] if self.trainable else list(self._trainable_weights)))
    weights = property(lambda self: self.trainable_weights + self.non_trainable_weights)
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights
    updates = property(lambda self: list(self._updates))
    losses = property(lambda self: list(self._losses))

    @property
    def scope_name(self):
        if not self._scope:
            raise ValueError(f'No name available for layer scope because the layer "{self._name}" has not been used '
                             f"yet. The scope name  is determined the first time the layer instance is called. You "
                             f"must therefore call the layer before querying `scope_name`.")
        return self._scope.name

    def count_params(self):
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer {self._name}, but the layer isn't built. "
                             f"You can build it manually via: `{self._name}.build(batch_input_shape)`.")
        return int(sum(v.shape.num_elements() for v in self.weights))

    # ----- building -------------------------------------------------------------------------------------
    def build(self, input_shape):
        self.built = True

    def call(self, inputs, **kwargs):
        return inputs

    def _set_scope(self, scope=None):
        if self._scope is None:
            if self._reuse:
                with variable_scope(scope if scope is not None else self._base_name) as captured:
                    self._scope = captured
            else:
                with variable_scope(scope, default_name=self._base_name) as captured:
                    self._scope = captured

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None, trainable=None,
                   constraint=None, use_resource=None, partitioner=None, **kwargs):
        """A variable of this layer, made with get_variable in the layer's scope (shared when reused)."""
        for key in kwargs:
            if key not in ("experimental_autocast", "synchronization", "aggregation", "getter"):
                raise TypeError("Unknown keyword argument:", key)
        trainable = True if trainable is None else trainable
        dtype = dtypes.as_dtype(dtype or self._dtype or dtypes.float32)
        self._set_scope(None)
        reuse = self.built or self._reuse
        existing = set(get_collection_ref(GraphKeys.GLOBAL_VARIABLES))
        with variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as scope:
            self._current_scope = scope
            with name_scope(scope.original_name_scope):
                initializer = scope.initializer if initializer is None else initializer
                variable = get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                                        trainable=trainable and self.trainable, constraint=constraint,
                                        partitioner=partitioner)
                if regularizer is not None and variable not in existing:
                    with name_scope(name + "/Regularizer"):
                        loss = regularizer(variable)
                    if loss is not None:
                        self._losses.append(loss)
                        _add_to_collection([loss], GraphKeys.REGULARIZATION_LOSSES)
        if trainable and self.trainable:
            if variable not in self._trainable_weights:
                self._trainable_weights.append(variable)
        elif variable not in self._non_trainable_weights:
            self._non_trainable_weights.append(variable)
        return variable

    add_variable = add_weight

    def add_update(self, updates, inputs=None):
        """Adds update ops (a tensor stands for its op, as in TF1's layers)."""
        self._updates.extend(u.op if isinstance(u, Tensor) else u for u in _flatten(updates))

    def add_loss(self, losses, inputs=None):
        new = [loss() if callable(loss) else loss for loss in _flatten(losses)]
        new = [loss for loss in new if loss is not None]
        self._losses.extend(new)
        _add_to_collection(new, GraphKeys.REGULARIZATION_LOSSES)

    # ----- calling --------------------------------------------------------------------------------------
    def __call__(self, inputs, *args, **kwargs):
        scope = kwargs.pop("scope", None)
        inputs = [_tensor(x) for x in inputs] if isinstance(inputs, (list, tuple)) else _tensor(inputs)
        self._set_scope(scope)
        with variable_scope(self._scope, reuse=True if self.built else self._reuse,
                            auxiliary_name_scope=False) as current:
            self._current_scope = current
            _check_inputs(self.input_spec, inputs, self._name)
            with name_scope(current.original_name_scope):
                if not self.built:
                    self._build_for(inputs)
                outputs = self.call(inputs, *args, **kwargs)
                if outputs is None:
                    raise ValueError(f"A layer's `call` method should return a Tensor or a list of Tensors, not None "
                                     f"(layer: {self._name}).")
                if self._activity_regularizer is not None:
                    self._regularize_activity(outputs)
        _add_to_collection(self._updates, GraphKeys.UPDATE_OPS)
        return outputs

    def _build_for(self, inputs):
        first = _flatten(inputs)[0]
        if self._dtype is None and isinstance(first, Tensor):
            self._dtype = first.dtype.base_dtype
        shapes = ([x.shape for x in inputs] if isinstance(inputs, (list, tuple)) else inputs.shape)
        self.build(shapes)
        self.built = True

    def _regularize_activity(self, outputs):
        with name_scope("ActivityRegularizer"):
            for out in _flatten(outputs):
                loss = convert_to_tensor(self._activity_regularizer(out))
                batch = cast(shape_of(out)[0], loss.dtype)
                self.add_loss(div_no_nan(loss, batch))

    def apply(self, inputs, *args, **kwargs):
        return self(inputs, *args, **kwargs)

    def __repr__(self):
        return f"<{type(self).__module__}.{type(self).__name__} object '{self._name}'>"


def _tensor(x):
    return x if isinstance(x, Tensor) else convert_to_tensor(x)
