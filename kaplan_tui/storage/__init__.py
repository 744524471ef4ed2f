"""The workspace folder: safe TinyDB files, locks, revisions, journal, backups and migrations."""

from kaplan_tui.storage.errors import (
    ConflictError,
    LockTimeoutError,
    NotAWorkspaceError,
    Problem,
    ReadOnlyError,
    UnsafeFileError,
    WorkspaceError,
)
from kaplan_tui.storage.workspace import Change, Workspace

__all__ = [
    "Change",
    "ConflictError",
    "LockTimeoutError",
    "NotAWorkspaceError",
    "Problem",
    "ReadOnlyError",
    "UnsafeFileError",
    "Workspace",
    "WorkspaceError",
]
