"""The workspace folder: safe TinyDB files, locks, revisions, journal, backups and migrations.

The names below load on first use (PEP 562), so that ``kaplan_tui.storage.peek`` can read a
workspace's name and language before the first paint without importing pydantic and the models.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOMES = {
    "Change": "workspace",
    "ConflictError": "errors",
    "LockTimeoutError": "errors",
    "NotAWorkspaceError": "errors",
    "Problem": "errors",
    "ReadOnlyError": "errors",
    "UnsafeFileError": "errors",
    "Workspace": "workspace",
    "WorkspaceError": "errors",
}

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
