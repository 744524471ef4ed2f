"""The redo log (``.kaplan/txn.json``) that makes a change of several files all-or-nothing.

A change of several files first writes every new file as a temp file beside its target, then
this plan, then moves the temp files into place and deletes the files the change removes (a
kind's single file, when the change split it into shards). A crash before the plan is written
changes nothing; after it, readers see the change whole (:func:`view`) and the next process
that takes the lock finishes it. The plan only ever names workspace files
(:func:`kaplan_tui.storage.shards.kind_of`) and temp files beside them, so a damaged or
hand-made plan cannot move or delete anything else.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path

import orjson

from kaplan_tui.storage import files
from kaplan_tui.storage.errors import WorkspaceError
from kaplan_tui.storage.shards import NO_CHANGE_PENDING, View, kind_of

STATE_DIR = ".kaplan"
TXN_FILE = "txn.json"


@dataclass(frozen=True)
class Plan:
    """Temp files to move onto their targets, then files to delete; paths relative to the
    workspace folder."""

    rename: tuple[tuple[str, str], ...] = ()
    remove: tuple[str, ...] = ()

    def to_bytes(self) -> bytes:
        """The plan as stored in ``txn.json``."""
        return orjson.dumps({"rename": [list(p) for p in self.rename], "remove": self.remove})


def _safe_temp(temp: str, target: str) -> bool:
    folder, _, name = temp.rpartition("/")
    return (
        folder == target.rpartition("/")[0]
        and name.startswith(".")
        and name.endswith(files.TMP_SUFFIX)
        and ".." not in name
    )


def parse(raw: bytes) -> Plan:
    """The plan in ``raw``, keeping only entries that name workspace files.

    Raises:
        ValueError: ``raw`` is not a plan.
    """
    data = orjson.loads(raw)  # JSONDecodeError is a ValueError
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    rename = tuple(
        (str(entry[0]), str(entry[1]))
        for entry in data.get("rename") or []
        if isinstance(entry, list)
        and len(entry) == 2
        and all(isinstance(x, str) for x in entry)
        and kind_of(entry[1]) is not None
        and _safe_temp(entry[0], entry[1])
    )
    remove = tuple(
        name
        for name in data.get("remove") or []
        if isinstance(name, str) and "/" not in name and kind_of(name) is not None
    )
    return Plan(rename, remove)


def txn_path(root: Path) -> Path:
    """Where the redo log of the workspace at ``root`` is."""
    return root / STATE_DIR / TXN_FILE


def load(root: Path) -> Plan | None:
    """The unfinished plan of the workspace at ``root``, or None.

    Raises:
        WorkspaceError: the redo log is there but cannot be read.
    """
    got = files.read_bytes(txn_path(root))
    if got is None:
        return None
    try:
        return parse(got[0])
    except ValueError as exc:
        raise WorkspaceError(
            f"{STATE_DIR}/{TXN_FILE}: an interrupted change that cannot be read ({exc}); "
            "Kaplan will not save until it is looked at"
        ) from None


def view(root: Path) -> View:
    """What readers should see of an unfinished change; costs one ``lstat`` when there is
    none. A redo log that cannot be read is ignored here (the next writer reports it)."""
    if not os.path.lexists(txn_path(root)):
        return NO_CHANGE_PENDING
    try:
        plan = load(root)
    except WorkspaceError:
        return NO_CHANGE_PENDING
    if plan is None:
        return NO_CHANGE_PENDING
    staged = {target: root / temp for temp, target in plan.rename if os.path.lexists(root / temp)}
    return View(staged, frozenset(plan.remove))


def finish(root: Path, plan: Plan) -> None:
    """Carry out ``plan`` (each step is safe to repeat) and delete the redo log."""
    folders = set()
    for temp, target in plan.rename:
        if os.path.lexists(root / temp):
            os.replace(root / temp, root / target)
        folders.add((root / target).parent)
    for name in plan.remove:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(root / name)
        folders.add(root)
    for folder in sorted(folders):
        files.fsync_dir(folder)
    txn_path(root).unlink()
    files.fsync_dir(root / STATE_DIR)
