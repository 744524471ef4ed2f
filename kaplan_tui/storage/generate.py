"""Write a generated workspace (``core/generate.py``) through Kaplan's own storage.

Records go in through :meth:`Workspace.commit` like any other change (locked, validated,
atomic, journalled), in batches: one commit per kind, split in chunks of :data:`CHUNK`
records, so that 10k accounts and 50k check-ins take seconds, not the hours one commit per
record would.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from kaplan_tui.core.generate import GenerateSpec, generate
from kaplan_tui.storage.errors import WorkspaceError
from kaplan_tui.storage.workspace import Change, Workspace

CHUNK = 25_000
"""Records per commit. Each commit rewrites the kind's whole file, so chunks are large."""


class TargetNotEmptyError(WorkspaceError):
    """The folder to generate into already holds something."""


@dataclass
class GenerateReport:
    """What was written and how long each step took."""

    root: Path
    counts: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)
    """``make`` (building the records) and one entry per kind (storing them)."""

    @property
    def total_seconds(self) -> float:
        """Wall time of the whole generation."""
        return sum(self.seconds.values())


def check_target(path: Path) -> Path:
    """The absolute folder to generate into, which must not exist or be empty.

    Raises:
        TargetNotEmptyError: ``path`` is a file or a folder with something in it.
    """
    root = Path(path).absolute()
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        raise TargetNotEmptyError(f"{root}: exists and is not a folder; give a new or empty one")
    if root.is_dir() and any(root.iterdir()):
        raise TargetNotEmptyError(
            f"{root}: not empty; kaplan generate writes only into a new or empty folder"
        )
    return root


def generate_workspace(
    path: Path,
    spec: GenerateSpec,
    *,
    name: str | None = None,
    language: Literal["zh", "en"] = "zh",
    user: str | None = None,
    chunk: int = CHUNK,
    progress: Callable[[str, int], None] | None = None,
) -> GenerateReport:
    """Make a workspace at ``path`` (new or empty) holding the records of ``spec``.

    Args:
        progress: called with ``(kind, count)`` after each kind is stored.

    Raises:
        TargetNotEmptyError: ``path`` holds something already.
        ValueError: the spec cannot be generated.
        WorkspaceError: storing failed (disk full, no permission...).
    """
    root = check_target(path)
    started = time.perf_counter()
    data = generate(spec)
    report = GenerateReport(root, data.counts())
    report.seconds["make"] = time.perf_counter() - started
    title = name or (
        f"生成的工作区 · {spec.accounts} 个大客户 (generated, seed {spec.seed})"
        if language == "zh"
        else f"Generated workspace · {spec.accounts} key accounts (seed {spec.seed})"
    )
    ws = Workspace.init(root, name=title, language=language, user=user)
    for kind, records in data.by_kind():
        began = time.perf_counter()
        for start in range(0, len(records), max(1, chunk)):
            ws.commit([Change("create", rec) for rec in records[start : start + chunk]])
        report.seconds[kind] = time.perf_counter() - began
        if progress is not None:
            progress(kind, len(records))
    return report
