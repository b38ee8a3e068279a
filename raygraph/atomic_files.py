"""Files written crash-safely: under a temporary name, fsynced, then renamed over the real name.

A rename within a directory is atomic, so a reader sees the old file or the new one, never part of one;
fsyncing the directory after the rename makes the rename itself durable.
"""
import os
import uuid

TEMP_MARK = ".tmp-"  # temporary files are `<path>.tmp-<token>`: a crashed write's leftovers match `*.tmp-*`


def temp_path(path):
    return f"{path}{TEMP_MARK}{uuid.uuid4().hex[:12]}"


def write_atomic(path, fill):
    """Writes a file through a temporary name: `fill(f)`, flush, fsync, then rename over `path`."""
    tmp = write_temp(path, fill)
    try:
        os.replace(tmp, path)
    except BaseException:
        remove(tmp)
        raise


def write_temp(path, fill):
    """Writes `fill(f)` to a fresh temporary file beside `path`, fsynced; returns its name."""
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as f:
            fill(f)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        remove(tmp)
        raise
    return tmp


def fsync_dir(directory):
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # some platforms cannot open directories; the renames are still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
