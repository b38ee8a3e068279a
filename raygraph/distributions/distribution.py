"""`tf.distributions.Distribution`: TF1's base class. Every public method opens `<dist name>/<method>/` name
scopes, converts its value with the distribution's dtype preferred, and falls back between paired methods
(log_prob <-> prob, cdf <-> log_cdf, stddev <-> variance) when a subclass implements only one of them.
"""
import contextlib

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..ops.array import broadcast_dynamic_shape, rank, reshape
from ..ops.array import shape as shape_op
from ..ops.identities import broadcast_static_shape
from ..ops.joining import concat
from ..ops.math import equal, exp, log, log1p, sqrt, square
from ..ops.reduction import reduce_prod
from ..ops.shape_fns import constant_value
from ..shape import TensorShape, as_shape
from ..tensor import Tensor
from . import kullback_leibler, util


class ReparameterizationType:
    """Whether samples are differentiable in the parameters; instances compare by identity."""

    def __init__(self, rep_type):
        self._rep_type = rep_type

    def __repr__(self):
        return f"<Reparameterization Type: {self._rep_type}>"

    def __eq__(self, other):
        return self is other

    __hash__ = object.__hash__


FULLY_REPARAMETERIZED = ReparameterizationType("FULLY_REPARAMETERIZED")
NOT_REPARAMETERIZED = ReparameterizationType("NOT_REPARAMETERIZED")


def _not_implemented(method):
    def fn(self, *args, **kwargs):
        raise NotImplementedError(f"{method} is not implemented: {type(self).__name__}")
    return fn


class Distribution:
    """A batch of probability distributions with sample, log_prob, cdf, moments... built as graph ops."""

    def __init__(self, dtype, reparameterization_type, validate_args, allow_nan_stats, parameters=None,
                 graph_parents=None, name=None):
        graph_parents = [] if graph_parents is None else graph_parents
        for i, t in enumerate(graph_parents):
            if t is None or not isinstance(t, Tensor):
                raise ValueError(f"Graph parent item {i} is not a Tensor; {t}.")
        if not name or name[-1] != "/":  # not yet a name scope: make a unique one
            with name_scope(name or type(self).__name__) as scope:
                name = scope
        self._dtype = dtype
        self._reparameterization_type = reparameterization_type
        self._allow_nan_stats = allow_nan_stats
        self._validate_args = validate_args
        self._parameters = parameters or {}
        self._graph_parents = graph_parents
        self._name = name

    @property
    def _parameters(self):
        return self._parameter_dict

    @_parameters.setter
    def _parameters(self, value):
        value.pop("self", None)
        self._parameter_dict = value

    @classmethod
    def param_shapes(cls, sample_shape, name="DistributionParamShapes"):
        with name_scope(name, values=[sample_shape]):
            return cls._param_shapes(sample_shape)

    @classmethod
    def param_static_shapes(cls, sample_shape):
        if isinstance(sample_shape, TensorShape):
            if not sample_shape.is_fully_defined():
                raise ValueError("TensorShape sample_shape must be fully defined")
            sample_shape = sample_shape.as_list()
        static_params = {}
        for name, shape in cls.param_shapes(sample_shape).items():
            static_shape = constant_value(shape)
            if static_shape is None:
                raise ValueError("sample_shape must be a fully-defined TensorShape or list/tuple")
            static_params[name] = TensorShape(static_shape)
        return static_params

    @staticmethod
    def _param_shapes(sample_shape):
        raise NotImplementedError("_param_shapes not implemented")

    name = property(lambda self: self._name)
    dtype = property(lambda self: self._dtype)
    reparameterization_type = property(lambda self: self._reparameterization_type)
    allow_nan_stats = property(lambda self: self._allow_nan_stats)
    validate_args = property(lambda self: self._validate_args)

    @property
    def parameters(self):
        return {k: v for k, v in self._parameters.items() if not k.startswith("__") and k != "self"}

    def copy(self, **override_parameters_kwargs):
        return type(self)(**dict(self.parameters, **override_parameters_kwargs))

    # ----- shapes ---------------------------------------------------------------------------------------
    _batch_shape_tensor = _not_implemented("batch_shape_tensor")
    _event_shape_tensor = _not_implemented("event_shape_tensor")

    def _batch_shape(self):
        return TensorShape(None)

    def _event_shape(self):
        return TensorShape(None)

    @property
    def batch_shape(self):
        return as_shape(self._batch_shape())

    @property
    def event_shape(self):
        return as_shape(self._event_shape())

    def batch_shape_tensor(self, name="batch_shape_tensor"):
        with self._name_scope(name):
            if self.batch_shape.is_fully_defined():
                return convert_to_tensor(self.batch_shape.as_list(), dtype=dtypes.int32, name="batch_shape")
            return self._batch_shape_tensor()

    def event_shape_tensor(self, name="event_shape_tensor"):
        with self._name_scope(name):
            if self.event_shape.is_fully_defined():
                return convert_to_tensor(self.event_shape.as_list(), dtype=dtypes.int32, name="event_shape")
            return self._event_shape_tensor()

    def is_scalar_event(self, name="is_scalar_event"):
        with self._name_scope(name):
            return convert_to_tensor(self._is_scalar_helper(self.event_shape, self.event_shape_tensor),
                                     name="is_scalar_event")

    def is_scalar_batch(self, name="is_scalar_batch"):
        with self._name_scope(name):
            return convert_to_tensor(self._is_scalar_helper(self.batch_shape, self.batch_shape_tensor),
                                     name="is_scalar_batch")

    # ----- sampling -------------------------------------------------------------------------------------
    _sample_n = _not_implemented("sample_n")

    def sample(self, sample_shape=(), seed=None, name="sample"):
        """Samples of shape sample_shape + batch_shape + event_shape."""
        with self._name_scope(name, values=[sample_shape]):
            sample_shape = convert_to_tensor(sample_shape, dtype=dtypes.int32, name="sample_shape")
            sample_shape, n = self._expand_sample_shape_to_vector(sample_shape, "sample_shape")
            samples = self._sample_n(n, seed)
            final_shape = concat([sample_shape, shape_op(samples)[1:]], 0)
            return self._set_sample_static_shape(reshape(samples, final_shape), sample_shape)

    # ----- functions of a value, each with its fallback -------------------------------------------------
    _log_prob = _not_implemented("log_prob")
    _prob = _not_implemented("prob")
    _log_cdf = _not_implemented("log_cdf")
    _cdf = _not_implemented("cdf")
    _log_survival_function = _not_implemented("log_survival_function")
    _survival_function = _not_implemented("survival_function")
    _quantile = _not_implemented("quantile")

    def _call_value(self, value, name, method, fallback):
        with self._name_scope(name, values=[value]):
            value = convert_to_tensor(value, name="value", preferred_dtype=self.dtype)
            try:
                return method(value)
            except NotImplementedError as original_exception:
                if fallback is None:
                    raise
                try:
                    return fallback(value)
                except NotImplementedError:
                    raise original_exception from None

    def log_prob(self, value, name="log_prob"):
        return self._call_value(value, name, self._log_prob, lambda v: log(self._prob(v)))

    def prob(self, value, name="prob"):
        return self._call_value(value, name, self._prob, lambda v: exp(self._log_prob(v)))

    def log_cdf(self, value, name="log_cdf"):
        return self._call_value(value, name, self._log_cdf, lambda v: log(self._cdf(v)))

    def cdf(self, value, name="cdf"):
        return self._call_value(value, name, self._cdf, lambda v: exp(self._log_cdf(v)))

    def log_survival_function(self, value, name="log_survival_function"):
        return self._call_value(value, name, self._log_survival_function, lambda v: log1p(-self.cdf(v)))

    def survival_function(self, value, name="survival_function"):
        return self._call_value(value, name, self._survival_function, lambda v: 1.0 - self.cdf(v))

    def quantile(self, value, name="quantile"):
        return self._call_value(value, name, self._quantile, None)

    # ----- statistics -----------------------------------------------------------------------------------
    _entropy = _not_implemented("entropy")
    _mean = _not_implemented("mean")
    _variance = _not_implemented("variance")
    _stddev = _not_implemented("stddev")
    _covariance = _not_implemented("covariance")
    _mode = _not_implemented("mode")

    def entropy(self, name="entropy"):
        with self._name_scope(name):
            return self._entropy()

    def mean(self, name="mean"):
        with self._name_scope(name):
            return self._mean()

    def covariance(self, name="covariance"):
        with self._name_scope(name):
            return self._covariance()

    def mode(self, name="mode"):
        with self._name_scope(name):
            return self._mode()

    def variance(self, name="variance"):
        with self._name_scope(name):
            try:
                return self._variance()
            except NotImplementedError as original_exception:
                try:
                    return square(self._stddev())
                except NotImplementedError:
                    raise original_exception from None

    def stddev(self, name="stddev"):
        with self._name_scope(name):
            try:
                return self._stddev()
            except NotImplementedError as original_exception:
                try:
                    return sqrt(self._variance())
                except NotImplementedError:
                    raise original_exception from None

    def cross_entropy(self, other, name="cross_entropy"):
        with self._name_scope(name):
            return kullback_leibler.cross_entropy(self, other, allow_nan_stats=self.allow_nan_stats)

    def kl_divergence(self, other, name="kl_divergence"):
        with self._name_scope(name):
            return kullback_leibler.kl_divergence(self, other, allow_nan_stats=self.allow_nan_stats)

    def __str__(self):
        batch = f", batch_shape={self.batch_shape}" if self.batch_shape.ndims is not None else ""
        event = f", event_shape={self.event_shape}" if self.event_shape.ndims is not None else ""
        return f'tfp.distributions.{type(self).__name__}("{self.name}"{batch}{event}, dtype={self.dtype.name})'

    def __repr__(self):
        return (f"<tfp.distributions.{type(self).__name__} '{self.name}' batch_shape={self.batch_shape} "
                f"event_shape={self.event_shape} dtype={self.dtype.name}>")

    # ----- helpers ---------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _name_scope(self, name=None, values=None):
        values = ([] if values is None else values) + self._graph_parents
        with name_scope(self.name), name_scope(name, values=values) as scope:
            yield scope

    def _expand_sample_shape_to_vector(self, x, name):
        """(x as a vector, the product of its elements)."""
        x_static_val = constant_value(x)
        if x_static_val is None:
            prod = reduce_prod(x)
        else:
            prod = np.prod(x_static_val, dtype=x.dtype.as_numpy_dtype())
        ndims = x.get_shape().ndims
        if ndims is None:
            ndims = rank(x)
            expanded_shape = util.pick_vector(equal(ndims, 0), np.array([1], dtype=np.int32), shape_op(x))
            x = reshape(x, expanded_shape)
        elif ndims == 0:
            if x_static_val is not None:
                x = convert_to_tensor(np.array([x_static_val], dtype=x.dtype.as_numpy_dtype()), name=name)
            else:
                x = reshape(x, [1])
        elif ndims != 1:
            raise ValueError("Input is neither scalar nor vector.")
        return x, prod

    def _set_sample_static_shape(self, x, sample_shape):
        sample_shape = TensorShape(constant_value(sample_shape))
        ndims, sample_ndims = x.get_shape().ndims, sample_shape.ndims
        batch_ndims, event_ndims = self.batch_shape.ndims, self.event_shape.ndims
        if ndims is None and None not in (sample_ndims, batch_ndims, event_ndims):
            ndims = sample_ndims + batch_ndims + event_ndims
            x.set_shape([None] * ndims)
        if ndims is not None and sample_ndims is not None:
            x.set_shape(x.get_shape().merge_with(sample_shape.concatenate([None] * (ndims - sample_ndims))))
        if ndims is not None and event_ndims is not None:
            shape = TensorShape([None] * (ndims - event_ndims)).concatenate(self.event_shape)
            x.set_shape(x.get_shape().merge_with(shape))
        if batch_ndims is not None:
            if ndims is not None:
                if sample_ndims is None and event_ndims is not None:
                    sample_ndims = ndims - batch_ndims - event_ndims
                elif event_ndims is None and sample_ndims is not None:
                    event_ndims = ndims - batch_ndims - sample_ndims
            if sample_ndims is not None and event_ndims is not None:
                shape = TensorShape([None] * sample_ndims).concatenate(self.batch_shape).concatenate(
                    [None] * event_ndims)
                x.set_shape(x.get_shape().merge_with(shape))
        return x

    def _is_scalar_helper(self, static_shape, dynamic_shape_fn):
        if static_shape.ndims is not None:
            return static_shape.ndims == 0
        shape = dynamic_shape_fn()
        if shape.get_shape().ndims is not None and shape.get_shape().dims[0].value is not None:
            return shape.get_shape().as_list() == [0]
        return equal(shape_op(shape)[0], 0)


class ScalarEvent(Distribution):
    """A distribution over scalars: an empty event shape, and (with `_batch_params`, the names of its parameters)
    the batch shape broadcast from the parameters' shapes, as TF's scalar distributions each compute them."""

    _batch_params = ()

    def _batch_shape_tensor(self):
        shapes = [shape_op(getattr(self, p)) for p in self._batch_params]
        out = shapes[-1]
        for s in reversed(shapes[:-1]):
            out = broadcast_dynamic_shape(s, out)
        return out

    def _batch_shape(self):
        out = TensorShape(None) if not self._batch_params else getattr(self, self._batch_params[0]).get_shape()
        for p in self._batch_params[1:]:
            out = broadcast_static_shape(out, getattr(self, p).get_shape())
        return out

    def _event_shape_tensor(self):
        return constant([], dtype=dtypes.int32)

    def _event_shape(self):
        return TensorShape([])
