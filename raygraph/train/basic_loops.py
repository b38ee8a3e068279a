"""TF1's simplest training loop around a Supervisor (`tf.train.basic_train_loop`)."""
from ..errors import AbortedError


def basic_train_loop(supervisor, train_step_fn, args=None, kwargs=None, master=""):
    """Calls `train_step_fn(sess, *args, **kwargs)` until the supervisor says stop; a whole new managed session
    after an AbortedError (a restarted server), as TF1 does."""
    args, kwargs = list(args or []), dict(kwargs or {})
    while True:
        try:
            with supervisor.managed_session(master) as sess:
                while not supervisor.should_stop():
                    train_step_fn(sess, *args, **kwargs)
            return
        except AbortedError:
            continue
