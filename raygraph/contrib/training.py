"""`tf.contrib.training`: TF 1.x's hyperparameter container `HParams` (and its `parse_values`), which TF1 research
programs build their configuration on, with TF 1.15's rules: a hyperparameter's type is fixed by its first value
(a list's by its first element), overrides from a "name=value,list=[a,b],name[i]=value" string, a dict or JSON
are cast to that type where the cast loses nothing (an int to a float, not a float to an int, nothing to or from
a bool or a string), and each bad input is a ValueError (an unknown name in `set_hparam` a KeyError).

(`HParams(hparam_def=...)`, `to_proto` and `from_proto` need contrib's own HParamDef protobuf, which no installed
package provides: not implemented.)
"""
import json
import numbers
import re

# One clause of a parse string: name, an optional [index], "=", and a single token or a [bracketed, list].
_CLAUSE = re.compile(r"(?P<name>[a-zA-Z][\w.]*)(\[\s*(?P<index>\d+)\s*\])?\s*=\s*"
                     r"((?P<val>[^,\[]*)|\[(?P<vals>[^\]]*)\])($|,\s*)")


def _cannot_parse(name, type_, value, values):
    raise ValueError(f"Could not parse hparam '{name}' of type '{type_.__name__}' with value '{value}' in {values}")


def _assigned_twice(name, values):
    raise ValueError(f"Multiple assignments to variable '{name}' in {values}")


def _parser(name, type_, values):
    """A token -> value function for hyperparameters of `type_` (bools: true/True/false/False or an integer)."""
    if type_ is not bool:
        return type_

    def parse_bool(token):
        if token in ("true", "True"):
            return True
        if token in ("false", "False"):
            return False
        try:
            return bool(int(token))
        except ValueError:
            _cannot_parse(name, type_, token, values)
    return parse_bool


def parse_values(values, type_map, ignore_unknown=False):
    """The assignments of a "name=value,..." string as a dict: name -> value, list of values, or (for
    "name[i]=value" clauses) a dict of index -> value. ValueError for a malformed string, an unknown name
    (unless `ignore_unknown`), a value its type cannot parse, a list assigned to an index, or a name assigned
    twice."""
    result, pos = {}, 0
    while pos < len(values):
        m = _CLAUSE.match(values, pos)
        if not m:
            raise ValueError(f"Malformed hyperparameter value: {values[pos:]}")
        pos = m.end()
        name, index, val, vals = m.group("name", "index", "val", "vals")
        if name not in type_map:
            if ignore_unknown:
                continue
            raise ValueError(f"Unknown hyperparameter type for {name}")
        type_ = type_map[name]
        parse = _parser(name, type_, values)
        if val is not None:
            try:
                parsed = parse(val)
            except ValueError:
                _cannot_parse(name, type_, val, values)
            if not index:
                if name in result:
                    _assigned_twice(name, values)
                result[name] = parsed
                continue
            slots = result.setdefault(name, {})
            if not isinstance(slots, dict):
                _assigned_twice(name, values)
            if int(index) in slots:
                _assigned_twice(f"{name}[{int(index)}]", values)
            slots[int(index)] = parsed
        elif vals is not None:
            if index is not None:
                raise ValueError("Assignment of a list to a list index.")
            if name in result:
                _assigned_twice(name, values)
            try:
                result[name] = [parse(e) for e in re.split("[ ,]", vals) if e]
            except ValueError:
                _cannot_parse(name, type_, vals, values)
        else:
            _cannot_parse(name, type_, "", values)
    return result


def _cast(name, param_type, value):
    """`value` as `param_type` where nothing is lost; ValueError otherwise (None-typed hyperparameters take
    anything)."""
    if issubclass(param_type, type(None)):
        return value
    text = (str, bytes)
    if (issubclass(param_type, text) and not isinstance(value, text)) \
            or issubclass(param_type, bool) != isinstance(value, bool) \
            or (issubclass(param_type, numbers.Integral) and not isinstance(value, numbers.Integral)) \
            or (issubclass(param_type, numbers.Number) and not isinstance(value, numbers.Number)):
        raise ValueError(f"Could not cast hparam '{name}' of type '{param_type}' from value {value!r}")
    return param_type(value)


class HParams:
    """Named hyperparameters, each an attribute (see the module docstring)."""

    _HAS_DYNAMIC_ATTRIBUTES = True

    def __init__(self, hparam_def=None, model_structure=None, **kwargs):
        if hparam_def is not None:
            raise NotImplementedError("HParams(hparam_def=...): contrib's HParamDef protobuf is not available in "
                                      "raygraph; build HParams from keyword arguments or parse_json")
        self._hparam_types = {}
        self._model_structure = model_structure
        for name, value in kwargs.items():
            self.add_hparam(name, value)

    def add_hparam(self, name, value):
        """Adds a hyperparameter; its type is its value's (a list's first element's)."""
        if getattr(self, name, None) is not None:
            raise ValueError(f"Hyperparameter name is reserved: {name}")
        if isinstance(value, (list, tuple)):
            if not value:
                raise ValueError(f"Multi-valued hyperparameters cannot be empty: {name}")
            self._hparam_types[name] = (type(value[0]), True)
        else:
            self._hparam_types[name] = (type(value), False)
        setattr(self, name, value)

    def set_hparam(self, name, value):
        """Sets an existing hyperparameter (KeyError if there is none), cast to its type."""
        param_type, is_list = self._hparam_types[name]
        if isinstance(value, list):
            if not is_list:
                raise ValueError(f"Must not pass a list for single-valued parameter: {name}")
            setattr(self, name, [_cast(name, param_type, v) for v in value])
        else:
            if is_list:
                raise ValueError(f"Must pass a list for multi-valued parameter: {name}.")
            setattr(self, name, _cast(name, param_type, value))

    def del_hparam(self, name):
        if hasattr(self, name):
            delattr(self, name)
            del self._hparam_types[name]

    def parse(self, values):
        """Overrides values from a "name=value,..." string (see parse_values); returns self."""
        types = {name: param_type for name, (param_type, _) in self._hparam_types.items()}
        return self.override_from_dict(parse_values(values, types))

    def override_from_dict(self, values_dict):
        for name, value in values_dict.items():
            self.set_hparam(name, value)
        return self

    def set_model_structure(self, model_structure):
        self._model_structure = model_structure

    def get_model_structure(self):
        return self._model_structure

    def to_json(self, indent=None, separators=None, sort_keys=False):
        """The values as JSON (a callable value written as its name)."""
        def plain(x):
            if callable(x):
                return x.__name__
            if isinstance(x, dict):
                return {k: plain(v) for k, v in x.items()}
            if isinstance(x, list):
                return [plain(v) for v in x]
            return x
        return json.dumps({k: plain(v) for k, v in self.values().items()}, indent=indent, separators=separators,
                          sort_keys=sort_keys)

    def parse_json(self, values_json):
        return self.override_from_dict(json.loads(values_json))

    def values(self):
        return {name: getattr(self, name) for name in self._hparam_types}

    def get(self, key, default=None):
        """The value of `key`, else `default` (which must suit the hyperparameter's type when it exists)."""
        if key not in self._hparam_types:
            return default
        if default is not None:
            param_type, is_list = self._hparam_types[key]
            kind = f"list<{param_type}>" if is_list else str(param_type)
            message = f"Hparam '{key}' of type '{kind}' is incompatible with default={default}"
            if is_list != isinstance(default, list):
                raise ValueError(message)
            try:
                for value in default if is_list else [default]:
                    _cast(key, param_type, value)
            except ValueError as e:
                raise ValueError(f"{message}. {e}") from None
        return getattr(self, key)

    def __contains__(self, key):
        return key in self._hparam_types

    def __str__(self):
        return str(sorted(self.values().items()))

    def __repr__(self):
        return f"{type(self).__name__}({self})"
