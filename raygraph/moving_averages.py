"""Moving averages as TF1 keeps them (training/moving_averages.py): `assign_moving_average`,
`weighted_moving_average` and `ExponentialMovingAverage`.

    average -= (average - value) * (1 - decay)

`ExponentialMovingAverage.apply` gives each variable (or tensor) a shadow variable `<name>/ExponentialMovingAverage`
starting at the variable's value (a tensor's at zero) and returns one op updating them all. With `num_updates`
the decay is `min(decay, (1 + num_updates) / (10 + num_updates))`. A tensor's average may be zero-debiased: it is
then `biased / (1 - decay^t)`, from two more variables `<average>/biased` and `<average>/local_step`.
"""
from . import dtypes
from .convert import convert_to_tensor
from .default_graph import name_scope
from .graph import GraphKeys, get_default_graph
from .initializers import zeros_initializer
from .ops.control import group
from .ops.control_flow import cond
from .ops.math import cast, minimum, pow as pow_, truediv
from .ops.state import assign, assign_sub
from .slot_creator import create_slot, create_zeros_slot
from .variable_scope import get_variable, get_variable_scope, variable_scope
from .variables import Variable, global_variables, is_variable_initialized, moving_average_variables, \
    trainable_variables

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)


def assign_moving_average(variable, value, decay, zero_debias=True, name=None):
    """`variable -= (variable - value) * (1 - decay)`; returns the updated variable."""
    with name_scope(name, "AssignMovingAvg", [variable, value, decay]) as scope:
        decay = convert_to_tensor(1.0 - decay, name="decay")
        if decay.dtype != variable.dtype.base_dtype:
            decay = cast(decay, variable.dtype.base_dtype)
        g = get_default_graph()
        with g.colocate_with(variable):
            if zero_debias:
                return _zero_debias(variable, value, decay)
            return assign_sub(variable, (variable - value) * decay, name=scope)


def _zero_debias(unbiased, value, decay):
    """unbiased = biased / (1 - (1 - decay)^t), with `biased` the plain moving average from zero and t its steps."""
    g = get_default_graph()
    scope = g.get_name_scope()
    with variable_scope(unbiased.name[:-len(":0")], values=[unbiased, value, decay]):
        with g.control_dependencies(None):
            biased = get_variable(_unique("biased"), initializer=zeros_initializer(), shape=unbiased.shape,
                                  dtype=unbiased.dtype.base_dtype, trainable=False)
            local_step = get_variable(_unique("local_step"), shape=[], dtype=unbiased.dtype.base_dtype,
                                      initializer=zeros_initializer(), trainable=False)
    update_biased = assign_sub(biased, (biased - value) * decay)
    update_local_step = local_step.assign_add(1)
    bias_factor = 1 - pow_(1.0 - decay, update_local_step)
    return assign(unbiased, update_biased / bias_factor, name=scope + "/")


def _unique(name):
    """`name`, or `name_1`, `name_2`... if the current variable scope already holds it (unless reusing)."""
    scope = get_variable_scope()
    if scope.reuse:
        return name
    taken = {v.op.name for v in global_variables()}
    full = scope.name + "/" + name
    if full not in taken:
        return name
    i = 1
    while f"{full}_{i}" in taken:
        i += 1
    return f"{name}_{i}"


def weighted_moving_average(value, decay, weight, truediv_=True, collections=None, name=None, **kwargs):
    """The moving average of `value * weight` over the moving average of `weight` (variables `value_x_weight`
    and `weight` in a `WeightedMovingAvg` scope)."""
    truediv_ = kwargs.pop("truediv", truediv_)
    if collections is None:
        collections = [GraphKeys.GLOBAL_VARIABLES]
    with variable_scope(name, "WeightedMovingAvg", [value, weight, decay]) as scope:
        value_x_weight = get_variable("value_x_weight", shape=value.shape, dtype=value.dtype,
                                      initializer=zeros_initializer(), trainable=False, collections=collections)
        weight_var = get_variable("weight", shape=weight.shape, dtype=weight.dtype, initializer=zeros_initializer(),
                                  trainable=False, collections=collections)
        numerator = assign_moving_average(value_x_weight, value * weight, decay, zero_debias=False)
        denominator = assign_moving_average(weight_var, weight, decay, zero_debias=False)
        return truediv(numerator, denominator, name=scope.name)


class ExponentialMovingAverage:
    """Shadow variables holding exponential moving averages of variables or tensors."""

    def __init__(self, decay, num_updates=None, zero_debias=False, name="ExponentialMovingAverage"):
        self._decay, self._num_updates, self._zero_debias, self._name = decay, num_updates, zero_debias, name
        self._averages = {}  # variable or tensor -> its shadow variable

    @property
    def name(self):
        return self._name

    def apply(self, var_list=None):
        """Creates the shadow variables (once per variable) and returns the op updating them all."""
        var_list = trainable_variables() if var_list is None else list(var_list)
        g = get_default_graph()
        debiased = set()
        for var in var_list:
            if var.dtype.base_dtype not in _FLOATS:
                raise TypeError(f"The variables must be half, float, or double: {var.name}")
            if var in self._averages:
                continue
            with g.control_dependencies(None), name_scope(None):  # TF1's init_scope
                if isinstance(var, Variable):
                    with g.device(var.device):
                        value = cond(is_variable_initialized(var), var.read_value, lambda v=var: v.initial_value)
                    avg = create_slot(var, value, self._name)
                    g.add_to_collection(GraphKeys.MOVING_AVERAGE_VARIABLES, var)
                else:
                    avg = create_zeros_slot(var, self._name)
                    if self._zero_debias:
                        debiased.add(avg)
            self._averages[var] = avg
        with name_scope(self._name) as scope:
            decay = convert_to_tensor(self._decay, dtype=dtypes.float32, name="decay")
            if self._num_updates is not None:
                num_updates = cast(self._num_updates, dtypes.float32, name="num_updates")
                decay = minimum(decay, (1.0 + num_updates) / (10.0 + num_updates))
            updates = [assign_moving_average(self._averages[v], v, decay, self._averages[v] in debiased)
                       for v in var_list]
            return group(*updates, name=scope)

    def average(self, var):
        """The shadow variable of `var` (None if `apply` did not see it)."""
        return self._averages.get(var)

    def average_name(self, var):
        """The name (without `:0`) `var`'s shadow variable has, or would have."""
        if var in self._averages:
            return self._averages[var].name[:-len(":0")]
        return get_default_graph().unique_name(var.name[:-len(":0")] + "/" + self._name, mark_as_used=False)

    def variables_to_restore(self, moving_avg_variables=None):
        """{checkpoint name: variable}: each averaged variable restored from its average's name, the other
        global variables from their own."""
        if moving_avg_variables is None:
            moving_avg_variables = trainable_variables() + moving_average_variables()
        moving_avg_variables = list(dict.fromkeys(moving_avg_variables))
        name_map = {self.average_name(v): v for v in moving_avg_variables}
        averaged = {v.name for v in moving_avg_variables}
        for v in global_variables():
            if v.name not in averaged and v.op.name not in name_map:
                name_map[v.op.name] = v
        return name_map
