"""Reading and writing workspace files without ever following a symlink or leaving a torn file.

Writes go to a temp file in the same folder (never ``/tmp``), are fsynced, moved into place with
``os.replace`` and the folder is fsynced (reliability.md §1.6, §5.4).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import NamedTuple

from kaplan_tui.storage.errors import DiskFullError, UnsafeFileError, WorkspaceError

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Refuse to parse a workspace file larger than this."""

TMP_SUFFIX = ".tmp"


_SHARD_NAME = re.compile(r"[0-9]{1,9}\.json")


def shown(path: Path) -> str:
    """How a message names a workspace file: a shard with its folder (``goals/003.json``,
    never a bare ``003.json`` that several kinds have)."""
    if _SHARD_NAME.fullmatch(path.name):
        return f"{path.parent.name}/{path.name}"
    return path.name


class Signature(NamedTuple):
    """What tells a file changed: inode, size, modification and change time.

    The change time is there because it cannot be set back: a file rewritten in place with
    its old size and modification time (``cp -p``, ``rsync -t``, ``touch -r``) still differs.
    """

    ino: int
    size: int
    mtime_ns: int
    ctime_ns: int


def signature(path: Path) -> Signature | None:
    """The file's signature, or None if it does not exist. Does not follow symlinks."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return sig_of(st)


def read_bytes(path: Path) -> tuple[bytes, Signature] | None:
    """Read a regular file without following a symlink; None if it does not exist.

    Raises:
        UnsafeFileError: the path is a symlink, not a regular file, or too large.
    """
    got = read_if_changed(path, None)
    if got is None:
        return None
    raw, sig = got
    assert raw is not None
    return raw, sig


def sig_of(st: os.stat_result) -> Signature:
    """The signature in a ``stat`` result."""
    return Signature(st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def open_stat(path: Path) -> os.stat_result | None:
    """The status of the file at ``path`` as seen by opening it (which is what revalidates
    NFS's attribute cache), without reading it; None if it does not exist.

    Raises:
        UnsafeFileError: the path is a symlink, not a regular file, or too large.
    """
    fd = _open_regular(path)
    if fd is None:
        return None
    try:
        return _checked_stat(path, fd)
    finally:
        os.close(fd)


def _open_regular(path: Path) -> int | None:
    try:
        return os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFileError(
                f"{shown(path)}: is a symbolic link; Kaplan will not follow it"
            ) from None
        raise WorkspaceError(f"{shown(path)}: cannot read ({exc.strerror})") from exc


def _checked_stat(path: Path, fd: int) -> os.stat_result:
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFileError(f"{shown(path)}: is not a regular file")
    if st.st_size > MAX_FILE_BYTES:
        raise UnsafeFileError(
            f"{shown(path)}: is {st.st_size} bytes, more than the {MAX_FILE_BYTES} Kaplan reads"
        )
    return st


def read_if_changed(path: Path, known: Signature | None) -> tuple[bytes | None, Signature] | None:
    """:func:`read_bytes`, but when the opened file's signature is ``known``, skip the reading
    and give None for the bytes.

    Opening the file (not ``stat``) is what revalidates NFS's attribute cache, so this is how
    a writer checks, under the lock, that its cached copy is still the file on disk.

    Raises:
        UnsafeFileError: the path is a symlink, not a regular file, or too large.
    """
    got = read_with_stat(path, known)
    return None if got is None else (got[0], sig_of(got[1]))


def read_with_stat(
    path: Path, known: Signature | None
) -> tuple[bytes | None, os.stat_result] | None:
    """:func:`read_if_changed`, giving the whole ``fstat`` of the file read."""
    fd = _open_regular(path)
    if fd is None:
        return None
    try:
        st = _checked_stat(path, fd)
        if known is not None and sig_of(st) == known:
            return None, st
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks), st
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        with contextlib.suppress(OSError):  # some filesystems refuse fsync on folders
            os.fsync(fd)
    finally:
        os.close(fd)


def file_mode_for(path: Path) -> int:
    """The mode a new version of ``path`` gets: the old file's, else one fitting the folder.

    A setgid folder is a group-shared workspace: files are 0660 so the whole team can save.
    Otherwise files are private to their owner (0600).
    """
    try:
        return stat.S_IMODE(os.lstat(path).st_mode) | 0o600
    except FileNotFoundError:
        pass
    return 0o660 if os.stat(path.parent).st_mode & stat.S_ISGID else 0o600


_FULL = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def write_temp(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new fsynced temp file beside ``path`` and return its path.

    Raises:
        DiskFullError: no space, quota or file-size limit left (the temp file is removed).
    """
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    except OSError as exc:
        if exc.errno in _FULL:
            raise _full(path, exc) from exc
        raise
    try:
        os.fchmod(fd, file_mode_for(path))
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException as exc:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno in _FULL:
            raise _full(path, exc) from exc
        raise
    os.close(fd)
    return Path(tmp)


def create_empty(path: Path) -> None:
    """Create ``path`` as an empty file, with the mode a new file there gets; refuse a path
    that exists (a file or a symlink), even one a network file system's cached listing does
    not show yet: the server decides.

    Raises:
        FileExistsError: something is at ``path`` already.
        DiskFullError: no space or quota left.
    """
    mode = file_mode_for(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        if exc.errno in _FULL:
            raise _full(path, exc) from exc
        raise
    try:
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


def _full(path: Path, exc: OSError) -> DiskFullError:
    return DiskFullError(
        f"{shown(path)}: not saved: the disk is full or over quota ({exc.strerror}); nothing was "
        "changed. Free some space and save again."
    )


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically: readers see the old file or the new one.

    A symlink at ``path`` is replaced, not followed.
    """
    tmp = write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``; fail if anything (a file or a symlink) is there already."""
    tmp = write_temp(path, data)
    try:
        os.link(tmp, path)  # link() refuses an existing path, symlinks included
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    fsync_dir(path.parent)
