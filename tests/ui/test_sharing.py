"""Sharing: preview each audience in either language, and export without overwriting."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Select, Static

from kaplan_tui.ui.app import KaplanApp
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
