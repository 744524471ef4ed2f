"""Snapshots of the four screens at 80x24 and 120x40, in Chinese and English.

Deterministic: a private copy of the sample workspace, a fixed date, no cursor blink.
Update the pictures with ``pytest tests/snapshots --snapshot-update`` after checking them.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from kaplan_tui.i18n import Lang
from kaplan_tui.locations import bundled
from kaplan_tui.ui.app import KaplanApp, make_app

TODAY = dt.date(2026, 11, 27)
SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def _steady(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)


def _app(tmp_path: Path, lang: Lang) -> KaplanApp:
    target = tmp_path / "demo"
    shutil.copytree(bundled("sample_workspace"), target, ignore=shutil.ignore_patterns(".kaplan"))
    return make_app(target, lang=lang, today=TODAY)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("screen", ["1", "2", "3", "4"])
def test_screen(
    snap_compare: SnapCompare, tmp_path: Path, lang: Lang, size: tuple[int, int], screen: str
) -> None:
    async def go(pilot: Pilot[Any]) -> None:
        await pilot.press(screen)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(_app(tmp_path, lang), terminal_size=size, run_before=go)


def test_goal_editor_while_typing_chinese(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def type_goal(pilot: Pilot[Any]) -> None:
        await pilot.press("2", "n")
        await pilot.press(*"尽快提升重点客户满意度")
        await pilot.pause(0.8)  # let the "missing" diagnostics appear after the pause
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(_app(tmp_path, "zh"), terminal_size=(100, 30), run_before=type_goal)
