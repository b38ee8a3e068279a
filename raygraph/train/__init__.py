"""`tf.train`: device placement for replicas, cluster specs (and, with training, optimizers and savers)."""
from ..cluster_spec import ClusterSpec  # noqa: F401
from ..example_pb2 import (BytesList, Example, Feature, FeatureList, FeatureLists, Features, FloatList,  # noqa: F401
                           Int64List, SequenceExample)
from .device_setter import replica_device_setter  # noqa: F401
from .meta_graph import export_meta_graph, write_graph  # noqa: F401
from .learning_rate_decay import (cosine_decay, exponential_decay, inverse_time_decay, natural_exp_decay,  # noqa: F401
                                  piecewise_constant, polynomial_decay)
from .optimizer import Optimizer  # noqa: F401
from ..moving_averages import ExponentialMovingAverage  # noqa: F401
from .optimizers import (AdadeltaOptimizer, AdagradOptimizer, AdamOptimizer, FtrlOptimizer,  # noqa: F401
                         GradientDescentOptimizer, MomentumOptimizer, ProximalAdagradOptimizer,
                         ProximalGradientDescentOptimizer, RMSPropOptimizer)
from .training_util import (assert_global_step, create_global_step, get_global_step,  # noqa: F401
                            get_or_create_global_step, global_step)
from .checkpoint_management import (CheckpointState, checkpoint_exists, generate_checkpoint_state_proto,  # noqa: F401
                                    get_checkpoint_mtimes, get_checkpoint_state, latest_checkpoint,
                                    meta_graph_filename, remove_checkpoint,
                                    update_checkpoint_state)
from .checkpoint_utils import (CheckpointReader, NewCheckpointReader, init_from_checkpoint,  # noqa: F401
                               list_variables, load_checkpoint, load_variable)
from .saver import Saver, SaverDef, import_meta_graph  # noqa: F401
from .server import Server  # noqa: F401
from .coordinator import Coordinator, LooperThread  # noqa: F401
from .queue_runner import QueueRunner, add_queue_runner, start_queue_runners  # noqa: F401
from .input import match_filenames_once  # noqa: F401
from .input import (batch, batch_join, input_producer, limit_epochs, maybe_batch, range_input_producer,  # noqa: F401
                    shuffle_batch, shuffle_batch_join, slice_input_producer, string_input_producer)
from .basic_session_run_hooks import (CheckpointSaverHook, CheckpointSaverListener, FeedFnHook,  # noqa: F401
                                      FinalOpsHook, GlobalStepWaiterHook, LoggingTensorHook,
                                      NanLossDuringTrainingError, NanTensorHook, ProfilerHook, SecondOrStepTimer,
                                      SessionRunArgs, SessionRunContext, SessionRunHook, SessionRunValues,
                                      StepCounterHook, StopAtStepHook, SummarySaverHook)
from .monitored_session import (ChiefSessionCreator, MonitoredSession, MonitoredTrainingSession,  # noqa: F401
                                Scaffold, SessionCreator, SingularMonitoredSession, WorkerSessionCreator)
from .session_manager import SessionManager  # noqa: F401
from .supervisor import Supervisor  # noqa: F401
from .sync_replicas_optimizer import SyncReplicasOptimizer  # noqa: F401
