"""Sharing: preview each audience in either language, and export without overwriting."""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.markdown import Markdown
from rich.segment import Segment, SegmentLines
from textual.widgets import Select, Static

from kaplan_tui.core.briefs import BriefOptions, BriefStopped, render_brief
from kaplan_tui.storage import Workspace
from kaplan_tui.ui.app import KaplanApp
from kaplan_tui.ui.screens import sharing
from kaplan_tui.ui.screens.sharing import SharingScreen

SAMPLE = Path(__file__).resolve().parents[2] / "sample_workspace"


async def _sharing_shown(app: KaplanApp, pilot: Any) -> SharingScreen:
    """Open the sharing screen and wait for its first brief."""
    await pilot.press("4")
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SharingScreen)
    assert screen.brief is not None
    return screen


async def test_preview_and_export_the_team_brief(
    app_factory: Callable[..., KaplanApp], shown: Callable[[Static], str]
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _sharing_shown(app, pilot)
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
    screen.query_one("#subject", Select).value = "team-east"
    return screen


async def test_a_brief_finished_after_a_newer_choice_is_neither_shown_nor_exported(
    app_factory: Callable[..., KaplanApp], shown: Callable[[Static], str]
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _choose_a_team_while_everyones_brief_renders(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.brief is not None and screen.brief.subject_id == "team-east"
        team_preview = shown(screen.query_one("#preview-text", Static))
        # The whole organisation's brief arrives late (its worker ended after its last look at
        # whether it was still wanted): the screen keeps the team's.
        late = render_brief(app.workspace.snapshot(), "team", options=screen.brief_options())
        screen._show(screen._request - 1, late, None, SegmentLines([[Segment("late")]]))
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
    real = render_brief

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


@pytest.mark.parametrize(
    "audience,subject",
    [("team", "team-east"), ("team", None), ("person", "p-lina"), ("exec", None)],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_brief_typeset_in_sections_reads_as_the_whole(
    audience: Any, subject: str | None, lang: Any
) -> None:
    # The preview typesets a long brief section by section to show its first screenful early;
    # joined, the sections must give exactly the lines (and styles) of the whole.
    snap = Workspace.open(SAMPLE, read_only=True).snapshot()
    options = BriefOptions(lang, dt.date(2026, 11, 25))
    markdown = render_brief(snap, audience, subject=subject, options=options)
    console = Console(width=78, file=io.StringIO(), color_system="truecolor")
    layout = console.options.update(width=78)
    whole = console.render_lines(Markdown(markdown.markdown, hyperlinks=False), layout, pad=False)
    parts = sharing.sections(markdown.markdown)
    assert len(parts) > 2 and "".join(parts) == markdown.markdown
    joined: list[list[Segment]] = []
    for i, part in enumerate(parts):
        if i:
            joined.append([])
        joined += console.render_lines(Markdown(part, hyperlinks=False), layout, pad=False)
    assert joined == whole


def test_a_heading_inside_a_code_block_does_not_cut_the_brief() -> None:
    text = "# T\n\n## A\n\n```\n## not a heading\n```\n\n## B\ntext\n"
    assert sharing.sections(text) == [
        "# T\n\n",
        "## A\n\n```\n## not a heading\n```\n\n",
        "## B\ntext\n",
    ]


def test_a_heading_inside_a_longer_fence_holding_backticks_does_not_cut_the_brief() -> None:
    # A brief fences user text (relationship notes, say) with more backticks than it holds:
    # a ``` line inside does not end that block, so a "## " line after it is not a heading.
    text = "## A\n\n````\nMet the CIO.\n```\n## not a heading\n```\n````\n\n## B\ntext\n"
    parts = sharing.sections(text)
    assert parts == [text[: text.index("## B")], "## B\ntext\n"]
    console = Console(width=78, file=io.StringIO(), color_system="truecolor")
    layout = console.options.update(width=78)
    whole = console.render_lines(Markdown(text), layout, pad=False)
    joined = console.render_lines(Markdown(parts[0]), layout, pad=False)
    joined += [[], *console.render_lines(Markdown(parts[1]), layout, pad=False)]
    assert joined == whole


async def test_the_previews_verdicts_are_kept_for_the_next_brief_but_not_the_editors(
    app_factory: Callable[..., KaplanApp], cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sharing screen's brief keeps its SMART verdicts, so the next brief (here, or from
    `kaplan brief`) lints nothing; lints elsewhere in the app (the goal editor, per keystroke)
    are not kept."""
    from kaplan_tui.core.lint import clear_cache, engine, lint, use_store

    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _sharing_shown(app, pilot)
        assert screen.brief is not None
        shown_brief, options = screen.brief, screen.brief_options()
        assert use_store(None) is None  # the app's own thread keeps nothing
        lint("2025年底前拿下一个新客户")  # as the goal editor would
    kept = app.workspace.lint_results()
    clear_cache()
    linted: list[str] = []
    real = engine._lint

    def counted(text: str, *args: Any) -> Any:
        linted.append(text)
        return real(text, *args)

    monkeypatch.setattr(engine, "_lint", counted)
    use_store(kept)
    try:
        again = render_brief(
            Workspace.open(app.workspace.root, read_only=True).snapshot(),
            shown_brief.audience,
            subject=shown_brief.subject_id,
            options=options,
        )
        assert again.markdown == shown_brief.markdown and linted == []
        clear_cache()
        lint("2025年底前拿下一个新客户")
        assert linted == ["2025年底前拿下一个新客户"]  # the editor's lint was not kept
    finally:
        use_store(None)
