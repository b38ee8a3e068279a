"""`tf.gfile`: TF1's file API for local paths, with TF's semantics and error classes.

A failing system call raises the OpError class TF maps its errno to, with TF's message ("<path>; No such
file or directory"). GFile opens lazily as TF's does: for reading at the first read/seek/tell, for writing at
the first write (so a GFile opened for writing and closed unwritten creates no file); text mode decodes
what it read as UTF-8 and never translates newlines.
"""
import errno
import fnmatch
import os
import posixpath
import shutil
import types

from . import errors
from .compat import as_bytes, as_str_any, path_to_str

# errno -> TF's error class, as TF's ErrnoToCode maps them (the errnos local file operations produce).
_ERRNO_CLASSES = {
    errno.ENOENT: errors.NotFoundError, errno.ENODEV: errors.NotFoundError, errno.ENXIO: errors.NotFoundError,
    errno.EEXIST: errors.AlreadyExistsError,
    errno.EPERM: errors.PermissionDeniedError, errno.EACCES: errors.PermissionDeniedError,
    errno.EROFS: errors.PermissionDeniedError,
    errno.ENOTEMPTY: errors.FailedPreconditionError, errno.EISDIR: errors.FailedPreconditionError,
    errno.ENOTDIR: errors.FailedPreconditionError, errno.EBUSY: errors.FailedPreconditionError,
    errno.EBADF: errors.FailedPreconditionError, errno.ETXTBSY: errors.FailedPreconditionError,
    errno.EINVAL: errors.InvalidArgumentError, errno.ENAMETOOLONG: errors.InvalidArgumentError,
    errno.ENOSPC: errors.ResourceExhaustedError, errno.EMFILE: errors.ResourceExhaustedError,
    errno.ENFILE: errors.ResourceExhaustedError, errno.ENOMEM: errors.ResourceExhaustedError,
    errno.EFBIG: errors.OutOfRangeError, errno.EXDEV: errors.UnimplementedError,
    errno.EINTR: errors.UnavailableError, errno.EAGAIN: errors.UnavailableError,
}


def _os_error(e, path):
    """The TF error for OSError `e` on `path`."""
    return _ERRNO_CLASSES.get(e.errno, errors.UnknownError)(None, None, f"{path}; {e.strerror}")


def _path(p):
    return as_str_any(path_to_str(p))


class FileStatistics:
    """What Stat returns: length in bytes, mtime_nsec, is_directory."""

    def __init__(self, length=-1, mtime_nsec=0, is_directory=False):
        self.length, self.mtime_nsec, self.is_directory = length, mtime_nsec, is_directory

    def __repr__(self):
        return f"FileStatistics(length={self.length}, mtime_nsec={self.mtime_nsec}, is_directory={self.is_directory})"


# ----- files -------------------------------------------------------------------------------------------
class GFile:
    """A file: `with tf.gfile.GFile(path, "w") as f: f.write("x")`; modes r, w, a, r+, w+, a+, with b for bytes."""

    def __init__(self, name, mode="r"):
        self._name, self._mode, self._encoding = name, mode, "utf-8"
        self._reader = self._writer = None
        self._binary_mode = "b" in mode
        mode = mode.replace("b", "")
        if mode not in ("r", "w", "a", "r+", "w+", "a+"):
            raise errors.InvalidArgumentError(None, None, "mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'")
        self._readable = mode in ("r", "r+", "a+", "w+")
        self._writable = mode in ("a", "w", "r+", "a+", "w+")

    @property
    def name(self):
        return self._name

    @property
    def mode(self):
        return self._mode

    def _read_file(self):
        if self._reader is None:
            if not self._readable:
                raise errors.PermissionDeniedError(None, None, "File isn't open for reading")
            path = _path(self._name)
            try:
                self._reader = open(path, "rb")
            except OSError as e:
                raise _os_error(e, path) from None
        return self._reader

    def _write_file(self):
        if self._writer is None:
            if not self._writable:
                raise errors.PermissionDeniedError(None, None, "File isn't open for writing")
            path = _path(self._name)
            try:  # TF appends for modes with "a" and truncates for all others, r+ included
                self._writer = open(path, "ab" if "a" in self._mode else "wb")
            except OSError as e:
                raise _os_error(e, path) from None
        return self._writer

    def _value(self, data):
        return data if self._binary_mode else as_str_any(data, encoding=self._encoding)

    def size(self):
        """The file's size on disk."""
        return Stat(self._name).length

    def write(self, file_content):
        """Append str (encoded as UTF-8) or bytes to the file; returns None, as TF's does."""
        self._write_file().write(as_bytes(file_content, encoding=self._encoding))

    def read(self, n=-1):
        """The next n bytes (decoded in text mode), or the rest of the file for n=-1."""
        f = self._read_file()
        return self._value(f.read() if n == -1 else f.read(n))

    def readline(self):
        r"""The next line, keeping its \n; '' at the end of the file."""
        return self._value(self._read_file().readline())

    def readlines(self):
        return list(self)

    def seek(self, offset=None, whence=0, position=None):
        """Move the read position: whence 0 from the start, 1 from here, 2 from the end."""
        f = self._read_file()
        if offset is None and position is None:
            raise TypeError("seek(): offset argument required")
        if offset is not None and position is not None:
            raise TypeError("seek(): offset and position may not be set simultaneously.")
        offset = position if position is not None else offset
        if whence == 1:
            offset += self.tell()
        elif whence == 2:
            offset += self.size()
        elif whence != 0:
            raise errors.InvalidArgumentError(
                None, None, f"Invalid whence argument: {whence}. Valid values are 0, 1, or 2.")
        f.seek(offset)

    def tell(self):
        return (self._read_file() if self._readable else self._write_file()).tell()

    def seekable(self):
        return True

    def flush(self):
        if self._writer is not None:
            self._writer.flush()

    def close(self):
        for f in (self._reader, self._writer):
            if f is not None:
                f.close()
        self._reader = self._writer = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration()
        return line

    next = __next__


Open = GFile


class FastGFile(GFile):
    """GFile under its older name (deprecated in TF)."""


# ----- paths -------------------------------------------------------------------------------------------
def Exists(filename):  # noqa: N802 - TF's names from here on
    """Whether the path exists (file or directory)."""
    return os.path.exists(_path(filename))


def IsDirectory(dirname):  # noqa: N802
    return os.path.isdir(_path(dirname))


def Stat(filename):  # noqa: N802
    """FileStatistics of the path; NotFoundError if there is none."""
    path = _path(filename)
    try:
        st = os.stat(path)
    except OSError as e:
        raise _os_error(e, path) from None
    return FileStatistics(st.st_size, st.st_mtime_ns, os.path.isdir(path))


def ListDirectory(dirname):  # noqa: N802
    """The names of the directory's entries (not sorted); NotFoundError unless it is a directory."""
    path = _path(dirname)
    if not IsDirectory(path):
        raise errors.NotFoundError(None, None, f"Could not find directory {path}")
    return os.listdir(path)


def Glob(filename):  # noqa: N802
    """The paths matching a pattern (* ? [...] within one path component), or any of a list of patterns."""
    patterns = [filename] if isinstance(filename, (str, bytes)) else filename
    return [m for p in patterns for m in _glob(as_str_any(p))]


def _glob(pattern):
    parts = pattern.split("/")
    found = ["/" if pattern.startswith("/") else ""]
    for part in parts[1:] if pattern.startswith("/") else parts:
        nxt = []
        for base in found:
            if not any(c in part for c in "*?["):
                nxt.append(os.path.join(base, part))
                continue
            try:
                names = os.listdir(base or ".")
            except OSError:
                continue
            nxt.extend(os.path.join(base, n) for n in names if fnmatch.fnmatchcase(n, part))
        found = nxt
    return [p for p in found if os.path.lexists(p)]


def Walk(top, in_order=True):  # noqa: N802
    """(dirname, subdir names, file names) for top and each directory under it; top-down unless in_order=False
    (a directory that cannot be listed is skipped)."""
    yield from walk(top, topdown=in_order)


# ----- changing the file system ------------------------------------------------------------------------
def MkDir(dirname):  # noqa: N802
    """Create one directory (its parent must exist); an existing directory is fine."""
    path = _path(dirname)
    try:
        os.mkdir(path)
    except FileExistsError:
        if not os.path.isdir(path):
            raise errors.AlreadyExistsError(None, None, f"{path}; File exists") from None
    except OSError as e:
        raise _os_error(e, path) from None


def MakeDirs(dirname):  # noqa: N802
    """Create a directory and any missing parents."""
    path = _path(dirname)
    existing = path
    while existing and not os.path.exists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    if existing and os.path.exists(existing) and not os.path.isdir(existing):
        raise errors.FailedPreconditionError(None, None, f"{existing} is not a directory")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as e:
        raise _os_error(e, path) from None


def Remove(filename):  # noqa: N802
    """Delete a file (not a directory)."""
    path = _path(filename)
    try:
        os.unlink(path)
    except OSError as e:
        raise _os_error(e, path) from None


def DeleteRecursively(dirname):  # noqa: N802
    """Delete a directory and everything under it, or a file."""
    path = _path(dirname)
    if not os.path.lexists(path):
        raise errors.NotFoundError(None, None, f"{path} not found")
    try:
        shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.unlink(path)
    except OSError as e:
        raise _os_error(e, e.filename or path) from None


def Copy(oldpath, newpath, overwrite=False):  # noqa: N802
    """Copy a file; AlreadyExistsError if newpath exists, unless overwrite."""
    src, dst = _path(oldpath), _path(newpath)
    if not overwrite and os.path.exists(dst):
        raise errors.AlreadyExistsError(None, None, "file already exists")
    try:
        f_in = open(src, "rb")
    except OSError as e:
        raise _os_error(e, src) from None
    with f_in:
        try:
            with open(dst, "wb") as f_out:
                shutil.copyfileobj(f_in, f_out)
        except OSError as e:
            raise _os_error(e, dst) from None


def Rename(oldname, newname, overwrite=False):  # noqa: N802
    """Move a file or directory; AlreadyExistsError if newname exists, unless overwrite."""
    src, dst = _path(oldname), _path(newname)
    if not overwrite and os.path.exists(dst):
        raise errors.AlreadyExistsError(None, None, "file already exists")
    try:
        os.rename(src, dst)
    except OSError as e:
        raise _os_error(e, src) from None


# ----- tf.io.gfile: the same operations under TF2's names and arguments ------------------------------------
def walk(top, topdown=True, onerror=None):
    """As Walk, with `topdown` for in_order; a directory that cannot be listed goes to `onerror` if given."""
    top = _path(top)
    try:
        listing = ListDirectory(top)
    except errors.NotFoundError as e:
        if onerror:
            onerror(e)
        return
    subdirs = [n for n in listing if IsDirectory(os.path.join(top, n))]
    files = [n for n in listing if n not in subdirs]
    if topdown:
        yield top, subdirs, files
    for d in subdirs:
        yield from walk(os.path.join(top, d), topdown, onerror)
    if not topdown:
        yield top, subdirs, files


def join(path, *paths):
    """Joins path components as TF does: a URL-like path ("scheme://...") with "/" (posixpath) on any system."""
    if "://" in as_str_any(path_to_str(path))[1:]:
        return posixpath.join(path, *paths)
    return os.path.join(path, *paths)


def copy(src, dst, overwrite=False):
    Copy(src, dst, overwrite)


def rename(src, dst, overwrite=False):
    Rename(src, dst, overwrite)


def get_registered_schemes():
    """The file-system schemes served: "" (plain local paths) and "file"."""
    return ["", "file"]


io_gfile = types.ModuleType("raygraph.io.gfile", "`tf.io.gfile`: the file API under TF2's names.")
io_gfile.__dict__.update(
    GFile=GFile, exists=Exists, isdir=IsDirectory, stat=Stat, listdir=ListDirectory, glob=Glob, mkdir=MkDir,
    makedirs=MakeDirs, remove=Remove, rmtree=DeleteRecursively, walk=walk, join=join,
    get_registered_schemes=get_registered_schemes, copy=copy, rename=rename)
