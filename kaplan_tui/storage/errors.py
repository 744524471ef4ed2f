"""Errors and problem reports of the workspace storage."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Literal


class WorkspaceError(Exception):
    """Base of every storage error; its text is meant for the user."""


class NotAWorkspaceError(WorkspaceError):
    """The folder holds no ``kaplan.toml``."""


class UnsafeFileError(WorkspaceError):
    """A workspace file is a symlink, not a regular file, or too large to trust."""


class ReadOnlyError(WorkspaceError):
    """The workspace was opened read-only (damaged file, newer format, or no write access)."""


class LockTimeoutError(WorkspaceError):
    """Another process held the workspace lock for too long."""


@dataclass(frozen=True)
class Problem:
    """Something wrong in a workspace file, precise enough to find and fix by hand."""

    file: str
    """File name relative to the workspace (``goals.json``)."""
    record: str | None
    """The record id, when the problem is inside one record."""
    field: str | None
    """The field path inside the record (``metric.stretch``)."""
    reason: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.file
        if self.record:
            where += f" [{self.record}]"
        if self.field:
            where += f" {self.field}"
        return f"{where}: {self.reason}"

    def as_json(self) -> dict[str, str | None]:
        """The problem as a JSON object for ``--json`` output."""
        return asdict(self)


class ConflictError(WorkspaceError):
    """A save was based on an old revision of a record: someone else saved it first."""

    def __init__(
        self,
        kind: str,
        record_id: str,
        base_rev: int,
        stored_rev: int | None,
        by: str | None,
        at: datetime | None,
    ) -> None:
        self.kind = kind
        self.record_id = record_id
        self.base_rev = base_rev
        self.stored_rev = stored_rev
        self.by = by
        self.at = at
        if stored_rev is None:
            text = f"{kind} {record_id}: you edited rev {base_rev}, but it has been deleted"
        else:
            when = at.strftime("%Y-%m-%d %H:%M:%S") if at else "an unknown time"
            text = (
                f"{kind} {record_id}: you edited rev {base_rev}, on disk is rev {stored_rev} "
                f"saved by {by or 'someone'} at {when}"
            )
        super().__init__(text)


class DuplicateIdError(WorkspaceError):
    """A create used an id that already exists."""


class DiskFullError(WorkspaceError):
    """A save ran out of disk space, quota or file-size limit; nothing was changed."""
