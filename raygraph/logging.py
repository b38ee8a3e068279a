"""`tf.logging`: TF1's logging functions over the Python logger named "tensorflow".

As in TF, the logger gets its own stderr handler in Python's basic format ("INFO:tensorflow:msg") when it is
first used, if the root logger has no handlers then; it still propagates, so under `tf.app.run` (which puts
absl's handler on the root logger) each message is also written in absl's format. Records name the caller's
file and line, not this module's.
"""
import _thread
import logging
import sys
import threading
import time
import traceback
from logging import DEBUG, ERROR, FATAL, INFO, WARN  # noqa: F401

_logger = None
_logger_lock = threading.Lock()
_level_names = {FATAL: "FATAL", ERROR: "ERROR", WARN: "WARN", INFO: "INFO", DEBUG: "DEBUG"}
_log_counter_per_token = {}


def _get_caller(offset=3):
    """(code, frame) of the first frame, above `offset` frames up, outside that frame's file; (None, None) if none."""
    f = sys._getframe(offset)
    our_file = f.f_code.co_filename
    f = f.f_back
    while f:
        if f.f_code.co_filename != our_file:
            return f.f_code, f
        f = f.f_back
    return None, None


def _find_caller(stack_info=False, stacklevel=1):
    code, frame = _get_caller(4)
    sinfo = "\n".join(traceback.format_stack()) if stack_info else None
    if code:
        return code.co_filename, frame.f_lineno, code.co_name, sinfo
    return "(unknown file)", 0, "(unknown function)", sinfo


def get_logger():
    """The "tensorflow" Python logger, set up as TF sets it up on first use."""
    global _logger
    with _logger_lock:
        if _logger is None:
            logger = logging.getLogger("tensorflow")
            logger.findCaller = _find_caller
            if not logging.getLogger().handlers:
                interactive = hasattr(sys, "ps1") or bool(sys.flags.interactive)
                if interactive:
                    logger.setLevel(INFO)
                handler = logging.StreamHandler(sys.stdout if interactive else sys.stderr)
                handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT, None))
                logger.addHandler(handler)
            _logger = logger
        return _logger


def log(level, msg, *args, **kwargs):
    get_logger().log(level, msg, *args, **kwargs)


def debug(msg, *args, **kwargs):
    get_logger().debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs):
    get_logger().info(msg, *args, **kwargs)


def warn(msg, *args, **kwargs):
    get_logger().warning(msg, *args, **kwargs)


warning = warn


def error(msg, *args, **kwargs):
    get_logger().error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs):
    """Logs at FATAL (Python's CRITICAL); like TF, it does not exit."""
    get_logger().fatal(msg, *args, **kwargs)


def vlog(level, msg, *args, **kwargs):
    get_logger().log(level, msg, *args, **kwargs)


def TaskLevelStatusMessage(msg):  # noqa: N802 - TF's name
    error(msg)


def flush():
    """Not implemented in TF either: raises NotImplementedError."""
    raise NotImplementedError()


def get_verbosity():
    """The logger's effective level (WARN, 30, unless set)."""
    return get_logger().getEffectiveLevel()


def set_verbosity(v):
    """Log only messages at level `v` and above, e.g. `tf.logging.set_verbosity(tf.logging.INFO)`."""
    get_logger().setLevel(v)


# ----- counted logging ----------------------------------------------------------------------------------
# TF keys the counters by the first frame outside the calling file (("<unknown>", 0) from a script's top
# level), so calls from one place share a counter; kept as TF has it, so that programs log the same lines.
def _next_count(token):
    _log_counter_per_token[token] = 1 + _log_counter_per_token.get(token, -1)
    return _log_counter_per_token[token]


def _file_and_line():
    code, f = _get_caller()
    return ("<unknown>", 0) if not code else (code.co_filename, f.f_lineno)


def log_every_n(level, msg, n, *args):
    """Log `msg % args` on the 1st, (n+1)st, (2n+1)st... call."""
    log_if(level, msg, not (_next_count(_file_and_line()) % n), *args)


def log_first_n(level, msg, n, *args):
    """Log `msg % args` on the first n calls only."""
    log_if(level, msg, _next_count(_file_and_line()) < n, *args)


def log_if(level, msg, condition, *args):
    if condition:
        vlog(level, msg, *args)


def google2_log_prefix(level, timestamp=None, file_and_line=None):
    """The "I1201 19:31:56.013389 12345 file.py:9] " prefix of Google's log lines."""
    now = timestamp or time.time()
    t = time.localtime(now)
    filename, line = file_and_line or _file_and_line()
    severity = _level_names[level][0] if level in _level_names else "I"
    return "%c%02d%02d %02d:%02d:%02d.%06d %5d %s:%d] " % (
        severity, t[1], t[2], t[3], t[4], t[5], int(1e6 * (now % 1.0)), _thread.get_ident() & (2 * sys.maxsize + 1),
        filename.rsplit("/", 1)[-1], line)


get_logger()  # as TF's import does: the handler goes on now, before anything (absl's app.run) configures root
