"""`tf.feature_column` (TF1's, as tf.compat.v1.feature_column): columns describing how raw features become a
model's dense input (`input_layer`) or a linear model's logits (`linear_model`).

Each column is an immutable namedtuple (usable as a dict key, as `cols_to_vars` needs). Categorical columns
give SparseTensors of int64 ids (a dense feature's missing cells, "" or -1, dropped); dense columns give float
tensors. Names of ops and variables follow TF: `input_layer/<column>/...`,
`input_layer/<col>_embedding/embedding_weights`, `linear_model/<column>/weights`, `linear_model/bias_weights`;
the models build their columns in the order of the columns' names."""
from .categorical import (categorical_column_with_hash_bucket, categorical_column_with_identity,  # noqa: F401
                          categorical_column_with_vocabulary_file, categorical_column_with_vocabulary_list,
                          crossed_column, sequence_categorical_column_with_hash_bucket,
                          sequence_categorical_column_with_identity, sequence_categorical_column_with_vocabulary_file,
                          sequence_categorical_column_with_vocabulary_list, weighted_categorical_column)
from .dense import (bucketized_column, embedding_column, indicator_column, numeric_column,  # noqa: F401
                    sequence_numeric_column, shared_embedding_columns)
from .models import input_layer, linear_model, make_parse_example_spec  # noqa: F401
