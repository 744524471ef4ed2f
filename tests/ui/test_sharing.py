"""Sharing: preview each audience in either language, and export without overwriting."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Select, Static

from kaplan_tui.core.briefs import BriefStopped
from kaplan_tui.ui.app import KaplanApp
from kaplan_tui.ui.screens import sharing
from kaplan_tui.ui.screens.sharing import SharingScreen


async def test_preview_and_export_the_team_brief(
    app_factory: Callable[..., KaplanApp], shown: Callable[[Static], str]
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SharingScreen)
        assert screen.brief is not None
        preview = shown(screen.query_one("#preview-text", Static))
        assert "华信科技" in preview
        await pilot.press("x")
        await app.workers.wait_for_complete()
        target = app.workspace.root / "briefs" / screen.brief.file_name
        assert target.read_text("utf-8") == screen.brief.markdown
        # A second export asks first, and a third replaces the file.
        target.write_text("edited by hand")
        await pilot.press("x")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.read_text("utf-8") == "edited by hand"
        await pilot.press("x")
        await app.workers.wait_for_complete()
        assert target.read_text("utf-8") == screen.brief.markdown


async def test_person_brief_in_english(
    app_factory: Callable[..., KaplanApp], shown: Callable[[Static], str]
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4")
        await app.workers.wait_for_complete()
        screen = app.screen
        screen.query_one("#audience", Select).value = "person"
        screen.query_one("#brief-lang", Select).value = "en"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(screen, SharingScreen) and screen.brief is not None
        assert screen.brief.audience == "person" and screen.brief.file_name.endswith("-en.md")
        assert "Targets" in shown(screen.query_one("#preview-text", Static)) or (
            "target" in screen.brief.markdown.lower()
        )


async def _choose_a_team_while_everyones_brief_renders(app: KaplanApp, pilot: Any) -> SharingScreen:
    await pilot.press("4")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SharingScreen)
    assert screen.brief is None  # still rendering: nothing to export yet
    screen.query_one("#subject", Select).value = "team-east"
    return screen


async def test_a_brief_finished_after_a_newer_choice_is_neither_shown_nor_exported(
    app_factory: Callable[..., KaplanApp],
    shown: Callable[[Static], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The whole organisation's brief is held back until the team's has been shown, and does not
    # give up when asked (as one deep in a long step would not): it must not replace the team's.
    team_shown = threading.Event()
    real = sharing.render_brief

    def held(snapshot: Any, audience: Any, **kw: Any) -> Any:
        if kw.get("subject") is None:
            team_shown.wait(10)
            kw["stop"] = None
        return real(snapshot, audience, **kw)

    monkeypatch.setattr(sharing, "render_brief", held)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _choose_a_team_while_everyones_brief_renders(app, pilot)
        for _ in range(100):
            await pilot.pause(0.02)
            if screen.brief is not None:
                break
        assert screen.brief is not None and screen.brief.subject_id == "team-east"
        team_preview = shown(screen.query_one("#preview-text", Static))
        team_shown.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.brief.subject_id == "team-east"
        assert shown(screen.query_one("#preview-text", Static)) == team_preview


async def test_a_brief_no_longer_wanted_gives_up_at_its_next_goal(
    app_factory: Callable[..., KaplanApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The whole organisation's brief first asks whether it is still wanted only once the team
    # has been chosen: it must give up, not finish and then be thrown away.
    chosen = threading.Event()
    stopped: list[str | None] = []
    real = sharing.render_brief

    def watched(snapshot: Any, audience: Any, **kw: Any) -> Any:
        stop = kw["stop"]
        if kw.get("subject") is None:

            def held() -> bool:
                chosen.wait(10)
                return bool(stop())

            kw["stop"] = held
        try:
            return real(snapshot, audience, **kw)
        except BriefStopped:
            stopped.append(kw.get("subject"))
            raise

    monkeypatch.setattr(sharing, "render_brief", watched)
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _choose_a_team_while_everyones_brief_renders(app, pilot)
        await pilot.pause()
        chosen.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert stopped and all(s is None for s in stopped)  # (a resize may have asked twice)
        assert screen.brief is not None and screen.brief.subject_id == "team-east"
