"""What several storage tests share: another process changing two records at once, and
readers watching it."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kaplan_tui.core.models import Record
from kaplan_tui.storage import Change, Workspace

Edited = tuple[type[Record], str, str]
"""A record (its class and id) and the text field each change sets."""
Look = Callable[[Workspace], list[Any]]
"""What a reader saw wrong (half of a change), if anything."""
HalvesSeen = Callable[[Path, tuple[Edited, Edited], Look], tuple[int, list[Any]]]

ctx = multiprocessing.get_context("fork")


def _edit_two_in_a_loop(root: str, pair: tuple[Edited, Edited], stop: Any) -> None:
    """Another Kaplan: one change after another, each giving both records the same new text
    (a change of two files, through the redo log, when they live in two files)."""
    ws = Workspace.open(root, user="bob")
    i = 0
    while not stop.is_set():
        changes = []
        for cls, rid, name in pair:
            rec = ws.get(cls, rid)
            assert rec is not None
            changes.append(Change("update", rec.model_copy(update={name: f"round {i}"})))
        ws.commit(changes)
        i += 1


@pytest.fixture
def halves_seen() -> HalvesSeen:
    """``halves_seen(root, pair, look)``: for two seconds another process changes the pair
    while readers (one kept open, like a TUI, and fresh ones) ``look``; gives how many reads
    were made and what they saw wrong."""

    def run(root: Path, pair: tuple[Edited, Edited], look: Look) -> tuple[int, list[Any]]:
        stop = ctx.Event()
        writer = ctx.Process(target=_edit_two_in_a_loop, args=(str(root), pair, stop))
        writer.start()
        kept = Workspace.open(root, read_only=True)
        halves: list[Any] = []
        reads = 0
        try:
            deadline = time.monotonic() + 2
            while time.monotonic() < deadline and len(halves) < 5:
                halves += look(kept if reads % 2 else Workspace.open(root, read_only=True))
                reads += 1
        finally:
            stop.set()
            writer.join(30)
        assert writer.exitcode == 0
        return reads, halves

    return run
