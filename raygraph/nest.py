"""tf.nest: nested structures as TF sees them. Lists, tuples, namedtuples and mappings nest (a mapping's values
in sorted key order; packing keeps the mapping's own key order); anything else, strings and None included, is a
leaf."""
import collections.abc


def is_nested(structure):
    return isinstance(structure, (list, tuple, collections.abc.Mapping))


def _children(structure):
    if isinstance(structure, collections.abc.Mapping):
        return [structure[k] for k in sorted(structure)]
    return list(structure)


def _like(instance, children):
    """A structure of `instance`'s kind holding `children` (in _children's order)."""
    if isinstance(instance, collections.abc.Mapping):
        by_key = dict(zip(sorted(instance), children))
        return type(instance)((k, by_key[k]) for k in instance)
    if hasattr(instance, "_fields"):  # a namedtuple
        return type(instance)(*children)
    return type(instance)(children)


def flatten(structure, expand_composites=False):
    """The leaves of `structure`, depth first."""
    if not is_nested(structure):
        return [structure]
    return [leaf for child in _children(structure) for leaf in flatten(child)]


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """The leaves of `flat_sequence` in the shape of `structure`."""
    if not is_nested(flat_sequence) or isinstance(flat_sequence, collections.abc.Mapping):
        raise TypeError(f"Attempted to pack value:\n  {flat_sequence}\ninto a structure, but found incompatible "
                        f"type `{type(flat_sequence)}` instead.")
    if not is_nested(structure):
        if len(flat_sequence) != 1:
            raise ValueError(f"The target structure is of type `{type(structure)}`\n  {structure}\nHowever the "
                             f"input is a sequence ({type(flat_sequence)}) of length {len(flat_sequence)}.\n  "
                             f"{flat_sequence}\nnest cannot guarantee that it is safe to map one to the other.")
        return flat_sequence[0]
    leaves = iter(flat_sequence)

    def pack(s):
        return _like(s, [pack(c) for c in _children(s)]) if is_nested(s) else next(leaves)
    n = len(flatten(structure))
    if n != len(flat_sequence):
        raise ValueError(f"Could not pack sequence. Structure had {n} atoms, but flat_sequence had "
                         f"{len(flat_sequence)} items.  Structure: {structure}, flat_sequence: {flat_sequence}.")
    return pack(structure)


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """Raises ValueError when the two nest differently (TypeError when check_types and their kinds differ)."""
    def check(a, b):
        if is_nested(a) != is_nested(b):
            raise ValueError(f"The two structures don't have the same nested structure.\n\nFirst structure: "
                             f"{nest1}\n\nSecond structure: {nest2}")
        if not is_nested(a):
            return
        if check_types and type(a) is not type(b):
            raise TypeError(f"The two structures don't have the same sequence type. Input structure has type "
                            f"{type(a)}, while shallow structure has type {type(b)}.")
        if isinstance(a, collections.abc.Mapping) and sorted(a) != sorted(b):
            raise ValueError(f"The two dictionaries don't have the same set of keys. First structure has keys "
                             f"{sorted(a)}, while second structure has keys {sorted(b)}.")
        if len(a) != len(b):
            raise ValueError(f"The two structures don't have the same nested structure.\n\nFirst structure: "
                             f"{nest1}\n\nSecond structure: {nest2}")
        for x, y in zip(_children(a), _children(b)):
            check(x, y)
    check(nest1, nest2)


def map_structure(func, *structure, **kwargs):
    """`func` of the leaves of `structure`s (which must nest alike), in their shape."""
    if not callable(func):
        raise TypeError(f"func must be callable, got: {func}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError(f"Only valid keyword arguments are `check_types` and `expand_composites`, not: "
                         f"`{', '.join(kwargs)}`")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    return pack_sequence_as(structure[0], [func(*leaves) for leaves in zip(*map(flatten, structure))])
