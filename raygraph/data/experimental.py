"""`tf.data.experimental` (TF1's common part): transformations for `Dataset.apply`, readers of CSV files, SQL
tables and Examples, counts, optionals, options and specs; what raygraph cannot do raises NotImplementedError
naming it."""
from .options import (AutoShardPolicy, AutotuneAlgorithm, AutotuneOptions, DistributeOptions,  # noqa: F401
                      ExternalStatePolicy, OptimizationOptions, Options, ServiceOptions, ThreadingOptions)
from .specs import (DatasetSpec, OptionalSpec, RaggedTensorStructure, SparseTensorStructure,  # noqa: F401
                    Structure, TensorArrayStructure, TensorStructure)
from .tables import (CsvDataset, SqlDataset, make_batched_features_dataset, make_csv_dataset,  # noqa: F401
                     parse_example_dataset)
from .transformations import (AUTOTUNE, INFINITE_CARDINALITY, SHARD_HINT, UNKNOWN_CARDINALITY,  # noqa: F401
                              Counter, DatasetStructure, Optional, OptionalStructure, RandomDataset, Reducer,
                              TFRecordWriter, assert_cardinality, bucket_by_sequence_length, cardinality,
                              choose_from_datasets, copy_to_device, dense_to_sparse_batch, enumerate_dataset, from_list,
                              get_next_as_optional, get_single_element, get_structure, group_by_reducer,
                              group_by_window, ignore_errors, map_and_batch, map_and_batch_with_legacy_function,
                              pad_to_cardinality, parallel_interleave, prefetch_to_device, rejection_resample,
                              sample_from_datasets,
                              scan, shuffle_and_repeat, take_while, unbatch, unique, to_variant, from_variant,
                              enable_debug_mode, get_model_proto)
from .table_initializers import DatasetInitializer, index_table_from_dataset, table_from_dataset  # noqa: F401
from .unsupported import (dense_to_ragged_batch, distributed_save, make_saveable_from_iterator,  # noqa: F401
                          service, snapshot)
from .dataset import Dataset  # noqa: F401
