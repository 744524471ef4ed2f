"""The record of past segmentation runs, kept in ``.kaplan/segment-runs.json``.

``kaplan segment`` compares each run with the last one recorded, then records itself. The file
is derived data: when it is missing or cannot be read, there is simply no previous run, and the
next run replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from kaplan_tui.core.planning.changes import RunEntry, entries_from_json, entries_to_json
from kaplan_tui.storage import files
from kaplan_tui.storage.errors import WorkspaceError

STATE_DIR = ".kaplan"
RUNS_FILE = "segment-runs.json"
RUNS_KEPT = 20
"""Runs kept in the file, newest last."""


@dataclass(frozen=True)
class RecordedRun:
    """One segmentation run as recorded."""

    at: str
    """When it ran, ISO 8601 in UTC."""
    year: int
    """Its reference year."""
    entries: dict[str, RunEntry]


def runs_path(root: Path) -> Path:
    """Where the runs of the workspace at ``root`` are kept."""
    return root / STATE_DIR / RUNS_FILE


def _load(root: Path) -> list[dict[str, Any]]:
    try:
        got = files.read_bytes(runs_path(root))
    except WorkspaceError:
        return []
    if got is None:
        return []
    try:
        data = orjson.loads(got[0])
    except orjson.JSONDecodeError:
        return []
    runs = data.get("runs") if isinstance(data, dict) else None
    return [r for r in runs if isinstance(r, dict)] if isinstance(runs, list) else []


def last_run(root: Path) -> RecordedRun | None:
    """The latest run recorded for the workspace at ``root``, or None."""
    for raw in reversed(_load(root)):
        try:
            return RecordedRun(
                str(raw["at"]), int(raw["year"]), entries_from_json(raw.get("accounts"))
            )
        except (KeyError, TypeError, ValueError):
            continue
    return None


def record_run(root: Path, run: RecordedRun) -> None:
    """Append ``run`` to the record, keeping the newest :data:`RUNS_KEPT`, atomically.

    Raises:
        OSError: the state folder cannot be written.
        WorkspaceError: the runs file is unsafe (a symbolic link, say).
    """
    runs = _load(root)
    runs.append({"at": run.at, "year": run.year, "accounts": entries_to_json(run.entries)})
    path = runs_path(root)
    path.parent.mkdir(exist_ok=True)
    data = orjson.dumps({"runs": runs[-RUNS_KEPT:]}, option=orjson.OPT_SORT_KEYS)
    files.atomic_write(path, data)
