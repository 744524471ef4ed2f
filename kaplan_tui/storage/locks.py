"""The workspace write lock: a POSIX record lock held only around read-check-write.

POSIX ``lockf`` locks belong to the process and vanish when the process closes *any* descriptor
of the file, so each process opens each lock file exactly once and keeps it open; a
``threading.RLock`` serialises the threads of one process (reliability.md §1.4).
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kaplan_tui.storage.errors import LockTimeoutError, ReadOnlyError, WorkspaceError

POLL_SECONDS = 0.02
DEFAULT_TIMEOUT = 10.0


@dataclass
class _Held:
    fd: int
    guard: threading.RLock = field(default_factory=threading.RLock)
    depth: int = 0


_registry: dict[tuple[int, int], _Held] = {}
_registry_guard = threading.Lock()


def _open_lock_file(path: Path) -> int:
    try:
        fd = os.open(
            path,
            os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0),
            0o660,
        )
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise ReadOnlyError(
                f"{path}: cannot open the lock file for writing ({exc.strerror}); "
                "the workspace can only be read"
            ) from exc
        raise WorkspaceError(f"{path}: cannot open the lock file ({exc.strerror})") from exc
    st = os.fstat(fd)
    if st.st_uid == os.getuid() and os.stat(path.parent).st_mode & 0o2000:
        os.fchmod(fd, 0o660)  # a group-shared workspace: every member must be able to lock
    return fd


def _entry(path: Path) -> _Held:
    with _registry_guard:
        # Key by the folder's identity so that two spellings of one path share one descriptor.
        st = os.stat(path.parent)
        key = (st.st_dev, st.st_ino)
        held = _registry.get(key)
        if held is None:
            held = _Held(_open_lock_file(path))
            _registry[key] = held
        return held


@contextmanager
def locked(path: Path, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the exclusive lock on ``path`` (created if missing) for the ``with`` block.

    Raises:
        LockTimeoutError: another process held it for ``timeout`` seconds.
        ReadOnlyError: the lock file cannot be opened for writing.
    """
    held = _entry(path)
    if not held.guard.acquire(timeout=timeout):
        raise LockTimeoutError(f"{path.parent.parent}: another thread kept the lock")
    try:
        if held.depth == 0:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.lockf(held.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EACCES, errno.EAGAIN):
                        raise WorkspaceError(
                            f"{path}: locking failed ({exc.strerror}); on NFS, check that the "
                            "mount allows locks"
                        ) from exc
                    if time.monotonic() >= deadline:
                        raise LockTimeoutError(
                            f"{path.parent.parent}: another Kaplan process has been saving for "
                            f"{timeout:.0f} s; try again"
                        ) from exc
                    time.sleep(POLL_SECONDS)
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0:
                fcntl.lockf(held.fd, fcntl.LOCK_UN)
    finally:
        held.guard.release()
