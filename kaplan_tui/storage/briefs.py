"""Briefs on disk: the workspace's optional glossary and the ``briefs/`` folder.

Both ``kaplan brief`` and the Sharing screen write through here: a new file is created with
``link()`` (which never replaces anything, symlinks included) and a forced write replaces the
file atomically (``os.replace`` swaps a symlink, never follows it).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kaplan_tui.core.briefs import GlossaryError, parse_glossary
from kaplan_tui.storage.errors import WorkspaceError
from kaplan_tui.storage.files import atomic_write, read_bytes, write_new

GLOSSARY_FILE = "glossary.toml"
"""The workspace's own glossary, beside ``kaplan.toml`` (optional)."""

BRIEFS_DIR = "briefs"
"""Where briefs go by default, inside the workspace."""


class GlossaryFileError(WorkspaceError):
    """``glossary.toml`` cannot be read or parsed."""

    def __init__(self, path: Path, reason: object) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def is_real_dir(path: Path) -> bool:
    """True for a folder that is not a symlink."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def read_glossary(root: Path) -> dict[str, dict[str, str]] | None:
    """The workspace glossary, or None when the workspace has none.

    Raises:
        GlossaryFileError: the file is unsafe, not TOML, or not a glossary.
    """
    path = root / GLOSSARY_FILE
    try:
        got = read_bytes(path)
    except WorkspaceError as exc:
        raise GlossaryFileError(path, exc) from exc
    if got is None:
        return None
    import tomllib  # most workspaces have no glossary

    try:
        return parse_glossary(tomllib.loads(got[0].decode("utf-8")))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, GlossaryError) as exc:
        raise GlossaryFileError(path, exc) from exc


def briefs_folder(root: Path) -> Path:
    """``briefs/`` in the workspace, created if missing.

    Raises:
        NotADirectoryError: something other than a real folder is there.
    """
    folder = root / BRIEFS_DIR
    if not os.path.lexists(folder):
        folder.mkdir(mode=0o2770 if os.stat(root).st_mode & stat.S_ISGID else 0o700)
    elif not is_real_dir(folder):
        raise NotADirectoryError(str(folder))
    return folder


class NotARegularFileError(FileExistsError):
    """The brief's path holds a socket or a block device."""


def write_brief(path: Path, data: bytes, *, force: bool) -> None:
    """Write a brief; without ``force`` an existing file (or symlink) is never replaced.

    A character device or a pipe (``/dev/null``, ``>(...)``) is written into; a socket or a
    block device is refused.

    Raises:
        FileExistsError: ``path`` exists and ``force`` is false.
        NotARegularFileError: ``path`` is a socket or a block device.
        IsADirectoryError: ``path`` is a folder.
    """
    if is_real_dir(path):
        raise IsADirectoryError(str(path))
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        # A stream such as /dev/null or a pipe: written into, never replaced by a file (an
        # atomic replace would swap the device node itself for a regular file).
        with open(path, "wb") as stream:
            stream.write(data)
        return
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise NotARegularFileError(str(path))
    if force:
        atomic_write(path, data)
    else:
        write_new(path, data)
