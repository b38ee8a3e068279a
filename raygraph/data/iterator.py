"""TF1's dataset iterators: one-shot, initializable, reinitializable (`Iterator.from_structure`) and
feedable (`Iterator.from_string_handle`).

An iterator is a resource op (`IteratorV2`, `OneShotIterator`) whose state lives in the device it is
placed on; `MakeIterator` and `IteratorGetNext` are colocated with it, so the pipeline runs there and a
training step that consumes `get_next()` there never ships elements through the client.
"""
from .. import dtypes
from ..default_graph import colocate_with, name_scope
from ..ops.random import get_seed
from ..ops.registry import apply_op
from ..shape import as_shape, unknown_shape
from ..ops.sparse_tensor import SparseTensor
from ..tensor import Tensor
from . import function
from . import ops as _ops  # noqa: F401 - the iterator ops' table entries
from . import structure as nest
from .structure import Spec, Structured


class Iterator(Structured):
    """A dataset iterator: `get_next()` gives the next element's tensors; OutOfRangeError at the end."""

    def __init__(self, iterator_resource, initializer, structure):
        self._iterator_resource = iterator_resource
        self._initializer = initializer
        self._structure = structure

    @property
    def initializer(self):
        if self._initializer is None:
            raise ValueError("Iterator does not have an initializer.")
        return self._initializer

    def _type_attrs(self):
        return nest.type_attrs(self._structure)

    def get_next(self, name=None):
        """The next element, as tensors of an `IteratorGetNext` op."""
        with colocate_with(self._iterator_resource.op):
            out = apply_op("IteratorGetNext", [self._iterator_resource], self._type_attrs(), name=name)
        flat = [] if not isinstance(out, (list, Tensor)) else (out if isinstance(out, list) else [out])
        return nest.pack(self._structure, [nest.unbox(t, s) for t, s in zip(flat, nest.flatten(self._structure))])

    def make_initializer(self, dataset, name=None):
        """An op that (re)starts this iterator on `dataset` (of compatible types and shapes)."""
        theirs, ours = nest.flatten(dataset._structure), nest.flatten(self._structure)
        if not nest.same_structure(self._structure, dataset._structure) or len(theirs) != len(ours):
            raise TypeError(f"Expected output types {self.output_types} but got dataset with output types "
                            f"{dataset.output_types}.")
        if [(s.dtype, s.sparse) for s in theirs] != [(s.dtype, s.sparse) for s in ours]:
            raise TypeError(f"Expected output types {self.output_types} but got dataset with output types "
                            f"{dataset.output_types}.")
        for a, b in zip(ours, theirs):
            if not a.shape.is_compatible_with(b.shape):
                raise TypeError(f"Expected output shapes compatible with {self.output_shapes} but got dataset with "
                                f"output shapes {dataset.output_shapes}.")
        with colocate_with(self._iterator_resource.op), name_scope(name, "make_initializer") as scope:
            return self._make_iterator(dataset, scope)

    def _make_iterator(self, dataset, name=None):
        with colocate_with(self._iterator_resource.op):
            return apply_op("MakeIterator", [dataset._variant_tensor, self._iterator_resource], {}, name=name)

    def string_handle(self, name=None):
        """A string naming this iterator, to feed to an `Iterator.from_string_handle` iterator."""
        with colocate_with(self._iterator_resource.op):
            return apply_op("IteratorToStringHandle", [self._iterator_resource], {}, name=name)

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None, output_classes=None):
        """A reinitializable iterator: no dataset yet; `make_initializer(dataset)` starts it."""
        structure = _structure(output_types, output_shapes, output_classes)
        resource = apply_op("IteratorV2", [], _attrs(structure, shared_name))
        return Iterator(resource, None, structure)

    @staticmethod
    def from_string_handle(string_handle, output_types, output_shapes=None, output_classes=None):
        """A feedable iterator: whichever iterator's `string_handle()` is fed as `string_handle`."""
        structure = _structure(output_types, output_shapes, output_classes)
        resource = apply_op("IteratorFromStringHandleV2", [string_handle], _attrs(structure, None))
        return Iterator(resource, None, structure)


def _structure(output_types, output_shapes, output_classes=None):
    if output_shapes is None:
        output_shapes = nest.map_structure(lambda t: unknown_shape(), output_types)
    types = nest.flatten(output_types)
    shapes = _flatten_like(output_types, output_shapes)
    sparse = [c is SparseTensor for c in _flatten_like(output_types, output_classes)] if output_classes is not None \
        else [False] * len(types)
    return nest.pack(output_types, [Spec(dtypes.as_dtype(t), as_shape(s), sparse=p)
                                    for t, s, p in zip(types, shapes, sparse)])


def _flatten_like(structure, value):
    if isinstance(structure, dict):
        return [leaf for k in sorted(structure) for leaf in _flatten_like(structure[k], value[k])]
    if isinstance(structure, tuple):
        return [leaf for s, v in zip(structure, value) for leaf in _flatten_like(s, v)]
    return [value]


def _attrs(structure, shared_name):
    return {"container": "", "shared_name": shared_name or "", **nest.type_attrs(structure)}


def make_one_shot_iterator(dataset):
    """An iterator that starts itself on `dataset` when first run (no placeholders in the dataset)."""
    get_seed(None)  # TF draws its dataset factory's graph seed: later ops' default seeds count on
    factory = function.closure("_make_dataset", [dataset._variant_tensor])
    attrs = _attrs(dataset._structure, None)
    attrs["dataset_factory"] = factory
    resource = apply_op("OneShotIterator", [], attrs)
    return Iterator(resource, None, dataset._structure)


def make_initializable_iterator(dataset, shared_name=None):
    """An iterator with an `initializer` op that (re)starts it on `dataset` (which may use placeholders)."""
    resource = apply_op("IteratorV2", [], _attrs(dataset._structure, shared_name))
    it = Iterator(resource, None, dataset._structure)
    it._initializer = it._make_iterator(dataset)
    return it


def get_output_types(dataset_or_iterator):
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator):
    return dataset_or_iterator.output_shapes


def get_output_classes(dataset_or_iterator):
    return dataset_or_iterator.output_classes
