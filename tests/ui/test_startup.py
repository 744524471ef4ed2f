"""Start-up as the CLI does it: first frame at once, the workspace opened in the background."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from kaplan_tui.storage import Workspace
from kaplan_tui.storage.peek import peek
from kaplan_tui.ui.app import KaplanApp
from kaplan_tui.ui.screens.segmentation import SegmentationScreen
from kaplan_tui.ui.widgets.virtual_table import VirtualTable

TODAY = dt.date(2026, 11, 27)


async def until(pilot: Pilot[None], done: Callable[[], bool], seconds: float = 20) -> None:
    """Let the app run until ``done()`` (the workspace loads in a thread)."""
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


@pytest.fixture
def held_open(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Workspace.open waits until the returned event is set: a big workspace still loading."""
    release = threading.Event()
    real_open = Workspace.open

    def slow_open(*args: object, **kwargs: object) -> Workspace:
        release.wait(10)
        return real_open(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Workspace, "open", slow_open)
    return release


def _lazy(demo_path: Path, lang: str = "en") -> KaplanApp:
    seen = peek(demo_path)
    assert seen is not None
    return KaplanApp(demo_path, lang, TODAY, name=seen.name)  # type: ignore[arg-type]


async def test_the_first_frame_comes_before_the_workspace_then_the_data(
    demo_path: Path, shown: Callable[[Static], str]
) -> None:
    app = _lazy(demo_path)
    assert not app.ready
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, SegmentationScreen)
        # The header already names the workspace (from kaplan.toml) while records load.
        assert "Huaxin Tech" in app.title
        await until(pilot, lambda: any(len(t.rows) == 40 for t in screen.query(VirtualTable)))
        status = shown(screen.query_one("#seg-status", Static))
        assert "40 of 40 accounts" in status


async def test_a_screen_asked_for_while_loading_opens_once_loaded(
    demo_path: Path, held_open: threading.Event
) -> None:
    app = _lazy(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        # the first frame: header, a loading line, the keys; no table until there is data
        first = app.screen
        assert not first.query("#accounts") and first.query_one("#seg-loading", Static)
        await pilot.press("2")  # before the workspace is open: remembered, not lost
        assert not app.ready and app.current_mode == "segmentation"
        held_open.set()
        await until(pilot, lambda: app.current_mode == "goals")
        # ... with its first goal open in the editor
        await until(pilot, lambda: bool(app.screen.query("#statement")))
        await until(pilot, lambda: bool(app.screen.query_one("#statement", Input).value))
        # the accounts screen was built meanwhile, in the background
        await until(pilot, lambda: bool(first.query("#accounts")))


async def test_keys_pressed_on_the_loading_frame_do_no_harm(
    demo_path: Path, held_open: threading.Event
) -> None:
    app = _lazy(demo_path, "zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", "escape", "s", "ctrl+l", "question_mark", "escape")
        assert not app.ready and app.lang == "en"
        held_open.set()
        screen = app.screen
        await until(pilot, lambda: any(len(t.rows) == 40 for t in screen.query(VirtualTable)))
        assert isinstance(screen, SegmentationScreen) and screen.sort_by == "revenue"


async def test_a_workspace_that_cannot_be_opened_ends_the_app_with_the_reason(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> Workspace:
        raise PermissionError(13, "Permission denied", str(demo_path / ".kaplan"))

    monkeypatch.setattr(Workspace, "open", refuse)
    app = _lazy(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.return_code is not None)
        await asyncio.sleep(0)
    assert app.return_code == 2


def test_peek_agrees_with_the_full_open(demo_path: Path, tmp_path: Path) -> None:
    english = tmp_path / "en"
    Workspace.init(english, name="Acme [bold]", language="en")
    for folder in (demo_path, english):
        seen, ws = peek(folder), Workspace.open(folder)
        assert seen is not None
        assert (seen.name, seen.language) == (ws.name, ws.settings.language)
    assert peek(tmp_path / "nowhere") is None
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "kaplan.toml").write_text("name = [")
    assert peek(tmp_path / "bad") == (None, "zh")  # opening it will say what is wrong


async def test_a_background_failure_is_shown_not_swallowed(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets._toast import Toast

    from kaplan_tui.core.planning import scoring

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("weights sum to nothing")

    monkeypatch.setattr(scoring, "score_accounts", broken)
    app = _lazy(demo_path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await until(pilot, lambda: bool(app.screen.query(Toast)))
        text = " ".join(str(t.render()) for t in app.screen.query(Toast))
        assert "went wrong" in text and "weights sum to nothing" in text
