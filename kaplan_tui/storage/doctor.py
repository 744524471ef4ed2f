"""``kaplan doctor``: every problem of a workspace, found without writing anything."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from kaplan_tui.core.models import KIND_FILES, Goal, references_of
from kaplan_tui.storage.errors import Problem
from kaplan_tui.storage.peek import CONFIG_FILE
from kaplan_tui.storage.redo import STATE_DIR, TXN_FILE
from kaplan_tui.storage.shards import SHARD_NAME, folder_of
from kaplan_tui.storage.workspace import STALE_TMP_SECONDS, Workspace


def diagnose(root: Path) -> list[Problem]:
    """Validate every file and record of the workspace at ``root``; never writes.

    Raises:
        NotAWorkspaceError: ``root`` holds no workspace.
    """
    ws = Workspace.open(root, read_only=True)
    problems: list[Problem] = []
    for kind, name in KIND_FILES.items():
        path = ws.path_of(kind)
        if not os.path.lexists(path):
            problems.append(
                Problem(name, None, None, "missing: no records of this kind", "warning")
            )
            continue
        ws.records(kind)  # loads, collecting problems
    problems += ws.problems
    for kind in ws.damaged_kinds():
        damaged = ws.damaged_files(kind)  # none: where the files are is wrong, not a file
        backups = ws.backups(kind, damaged[0]) if damaged else []
        if backups:
            problems.append(
                Problem(
                    damaged[0],
                    None,
                    None,
                    f"latest backup: {backups[0].relative_to(ws.root)}; restore it with "
                    f"`kaplan restore {root} --kind {kind}` (the current file is kept)",
                    "warning",
                )
            )
    problems += _reference_problems(ws)
    problems += _housekeeping_problems(ws)
    problems += _permission_problems(ws.root)
    return problems


def _reference_problems(ws: Workspace) -> list[Problem]:
    out = []
    records = ws.records_together(KIND_FILES)  # never half of another process's change
    for kind in KIND_FILES:
        for rec in records[kind].values():
            for field, target_kind, ref in references_of(rec):
                if ref not in records[target_kind]:
                    out.append(
                        Problem(
                            ws.file_of(kind, rec.id),
                            rec.id,
                            field,
                            f"points to {target_kind} {ref!r}, which does not exist",
                        )
                    )
    goals = records["goal"]
    for gid in sorted(goals):
        seen = [gid]
        goal = goals[gid]
        while isinstance(goal, Goal) and goal.parent and goal.parent in goals:
            if goal.parent in seen:
                if goal.parent == gid:
                    out.append(
                        Problem(
                            ws.file_of("goal", gid),
                            gid,
                            "parent",
                            "parent links form a loop: " + " -> ".join([*seen, gid]),
                        )
                    )
                break
            seen.append(goal.parent)
            goal = goals[goal.parent]
    return out


def _housekeeping_problems(ws: Workspace) -> list[Problem]:
    out = []
    if (ws.root / STATE_DIR / TXN_FILE).exists():
        out.append(
            Problem(
                f"{STATE_DIR}/{TXN_FILE}",
                None,
                None,
                "a change was interrupted; the next save finishes it",
                "warning",
            )
        )
    for tmp in ws.stale_temps(time.time() - STALE_TMP_SECONDS):
        out.append(
            Problem(
                tmp.relative_to(ws.root).as_posix(),
                None,
                None,
                "left over from an interrupted save; the next save removes it",
                "warning",
            )
        )
    for candidate in sorted(ws.root.iterdir()):
        if candidate.name.endswith(".json") and candidate.name not in KIND_FILES.values():
            out.append(
                Problem(candidate.name, None, None, "not a Kaplan file; it is ignored", "warning")
            )
    for kind in KIND_FILES:
        folder = ws.root / folder_of(kind)
        if folder.is_dir() and not folder.is_symlink():
            for candidate in sorted(folder.iterdir()):
                if candidate.name.endswith(".json") and not SHARD_NAME.fullmatch(candidate.name):
                    out.append(
                        Problem(
                            candidate.relative_to(ws.root).as_posix(),
                            None,
                            None,
                            "not a shard of this folder (shards are named like 007.json); "
                            "it is ignored",
                            "warning",
                        )
                    )
    return out


def _permission_problems(root: Path) -> list[Problem]:
    out = []
    st = os.stat(root)
    shared = bool(st.st_mode & stat.S_ISGID)
    if shared and st.st_mode & stat.S_ISVTX:
        out.append(
            Problem(
                ".",
                None,
                None,
                "the shared folder has the sticky bit: members "
                "cannot save over each other's files (chmod -t)",
            )
        )
    if st.st_mode & stat.S_IWOTH:
        out.append(Problem(".", None, None, "the folder is writable by everyone (chmod o-w)"))
    names = [CONFIG_FILE, *KIND_FILES.values()]
    for kind in KIND_FILES:
        folder = root / folder_of(kind)
        if folder.is_dir() and not folder.is_symlink():
            names.append(folder.name)
            names += sorted(
                f"{folder.name}/{n}" for n in os.listdir(folder) if SHARD_NAME.fullmatch(n)
            )
    for name in names:
        path = root / name
        try:
            fst = os.lstat(path)
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(fst.st_mode):
            continue  # reported as unsafe by the loader
        if fst.st_mode & stat.S_IWOTH:
            out.append(Problem(name, None, None, "writable by everyone (chmod o-w)"))
        if shared:
            if stat.S_ISDIR(fst.st_mode) and fst.st_mode & 0o2070 != 0o2070:
                out.append(
                    Problem(
                        name,
                        None,
                        None,
                        "a folder of a shared workspace must be usable by its group and "
                        "setgid (chmod 2770)",
                    )
                )
            elif not stat.S_ISDIR(fst.st_mode) and fst.st_mode & 0o060 != 0o060:
                out.append(
                    Problem(
                        name,
                        None,
                        None,
                        "not readable and writable by the group of this shared "
                        "workspace (chmod 660)",
                    )
                )
            if fst.st_gid != st.st_gid:
                out.append(
                    Problem(
                        name,
                        None,
                        None,
                        "belongs to another group than the workspace folder",
                        "warning",
                    )
                )
    nfs = _nfs_without_locks(root)
    if nfs:
        out.append(Problem(".", None, None, nfs, "warning"))
    return out


def _nfs_without_locks(root: Path) -> str | None:
    """Say so when the workspace is on an NFS mount whose locks do not reach other hosts."""
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return None
    best: tuple[int, str, str] | None = None
    target = str(root.resolve())
    for line in lines:
        parts = line.split(" - ")
        if len(parts) != 2:
            continue
        left, right = parts[0].split(), parts[1].split()
        mount_point, opts = left[4], left[5]
        fstype, super_opts = right[0], right[2] if len(right) > 2 else ""
        if (target == mount_point or target.startswith(mount_point.rstrip("/") + "/")) and (
            best is None or len(mount_point) > best[0]
        ):
            best = (len(mount_point), fstype, f"{opts},{super_opts}")
    if best is None or not best[1].startswith("nfs"):
        return None
    flags = best[2].split(",")
    if "nolock" in flags or "local_lock=all" in flags or "local_lock=posix" in flags:
        return (
            "the workspace is on NFS mounted without shared locks (nolock/local_lock): "
            "saves from two hosts can collide; remount with locking"
        )
    return None
