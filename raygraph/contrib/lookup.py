"""`tf.contrib.lookup`: TF 1.x's lookup tables and their helper functions (raygraph's `lookup` module)."""
from ..lookup import (  # noqa: F401
                      DenseHashTable,
                      FastHashSpec,
                      HasherSpec,
                      HashTable,
                      IdTableWithHashBuckets,
                      InitializableLookupTableBase,
                      KeyValueTensorInitializer,
                      LookupInterface,
                      MutableHashTable,
                      StrongHashSpec,
                      TableInitializerBase,
                      TextFileIdTableInitializer,
                      TextFileIndex,
                      TextFileInitializer,
                      TextFileStringTableInitializer,
                      index_table_from_file,
                      index_table_from_tensor,
                      index_to_string_table_from_file,
                      index_to_string_table_from_tensor,
)

MutableDenseHashTable = DenseHashTable   # (TF 1.x's name of tf.lookup.experimental.DenseHashTable)
