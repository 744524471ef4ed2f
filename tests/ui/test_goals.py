"""Goal editor: the tree, live SMART lint while typing Chinese, fixes, save and undo."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Tree

from kaplan_tui.core.models import Goal
from kaplan_tui.storage import Workspace
from kaplan_tui.ui.app import KaplanApp
from kaplan_tui.ui.screens.goals import GoalsScreen
from kaplan_tui.ui.widgets.steady_text import SteadyText, changed_span


async def test_typing_a_chinese_goal_updates_the_lint_live(
    app_factory: Callable[..., KaplanApp],
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GoalsScreen)
        tree = screen.query_one("#goal-tree", Tree)
        assert len(tree.root.children) > 3
        await pilot.press("n")
        statement = screen.query_one("#statement", Input)
        assert app.focused is statement and statement.value == ""
        await pilot.press(*"尽快提升重点客户满意度")
        await pilot.pause(0.8)
        strip = screen.query_one("#smart", SteadyText).content.plain
        assert "S ✗" in strip
        diagnostics = screen.query_one("#diagnostics", SteadyText).content.plain
        assert "SMART-S" in diagnostics and "SMART-T" in diagnostics
        assert screen.highlighter.spans, "problem words are highlighted in the statement"
        # The suggested fix replaces the vague time with a real deadline.
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert "尽快" not in statement.value and "2026" in statement.value
        # A complete goal passes S, M and T.
        statement.value = ""
        await pilot.press(*"2026年12月31日前,将鹏城通信的年销售额从6666万元提高到7300万元")
        await pilot.pause(0.8)
        strip = screen.query_one("#smart", SteadyText).content.plain
        assert "S ✓" in strip and "M ✓" in strip and "T ✓" in strip


async def test_switching_language_while_typing_keeps_the_statement_focused(
    app_factory: Callable[..., KaplanApp],
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("n", *"Raise")
        await pilot.press("ctrl+l")  # zh -> en, every label rebuilt
        await pilot.pause()
        await pilot.press(*" 2026")  # a digit here used to switch screens
        await pilot.pause()
        assert isinstance(app.screen, GoalsScreen) and app.lang == "en"
        statement = app.screen.query_one("#statement", Input)
        assert app.focused is statement and statement.value == "Raise 2026"


async def test_a_new_goal_is_saved_and_undo_removes_it(
    app_factory: Callable[..., KaplanApp],
) -> None:
    app = app_factory(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        before = len(Workspace.open(app.workspace.root).all(Goal))
        await pilot.press("n")
        await pilot.press(*"Raise Pengcheng Telecom revenue to 73M CNY by 2026-12-31")
        screen = app.screen
        screen.query_one("#f-target", Input).value = "73000000"
        screen.query_one("#f-metric_name", Input).value = "revenue"
        screen.query_one("#f-unit", Input).value = "CNY"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        goals = Workspace.open(app.workspace.root).all(Goal)
        assert len(goals) == before + 1
        new = [g for g in goals if g.statement.startswith("Raise Pengcheng")]
        assert new and new[0].metric is not None and new[0].metric.target == 73_000_000
        await pilot.press("ctrl+t", "ctrl+z")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(Workspace.open(app.workspace.root).all(Goal)) == before
        await pilot.press("ctrl+y")
        await app.workers.wait_for_complete()
        assert len(Workspace.open(app.workspace.root).all(Goal)) == before + 1


async def test_an_invalid_field_is_named_and_nothing_is_saved(
    app_factory: Callable[..., KaplanApp],
) -> None:
    app = app_factory(lang="en")
    said: list[str] = []
    app.notify = lambda message, **_: said.append(str(message))  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "n")
        await pilot.press(*"Grow revenue")
        app.screen.query_one("#f-metric_name", Input).value = "revenue"
        app.screen.query_one("#f-target", Input).value = "100"
        app.screen.query_one("#f-stretch", Input).value = "90"
        before = app.workspace.path_of("goal").read_bytes()
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.workspace.path_of("goal").read_bytes() == before
        assert any("stretch" in message for message in said)


async def test_deleting_a_goal_asks_and_undo_restores_it(
    app_factory: Callable[..., KaplanApp],
) -> None:
    from kaplan_tui.ui.screens.forms import ConfirmScreen

    app = app_factory(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2", "n")
        await pilot.press(*"Temporary goal")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GoalsScreen) and screen.current is not None
        goal_id = screen.current.id
        await pilot.press("ctrl+t", "delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert Workspace.open(app.workspace.root).get(Goal, goal_id) is None
        await pilot.press("ctrl+z")
        await app.workers.wait_for_complete()
        assert Workspace.open(app.workspace.root).get(Goal, goal_id) is not None


async def test_every_field_is_reachable_from_the_keyboard(
    app_factory: Callable[..., KaplanApp],
) -> None:
    from textual.widgets import Select

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "n", "tab")
        await pilot.pause()
        assert isinstance(app.focused, Select) and app.focused.id == "f-type"
        await pilot.press("enter", "down", "down", "enter")
        await pilot.pause()
        assert app.screen.query_one("#f-type", Select).value == "revenue"


async def test_typing_lays_nothing_out_and_repaints_only_the_editor_lines(
    app_factory: Callable[..., KaplanApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DESIGN §8 budget (bytes per keystroke): a key repaints the statement box and the lint
    cells that changed, never the tree, its scrollbars or the fields (bench/keystrokes.py)."""
    app = app_factory()
    refreshed: list[tuple[str, bool, bool]] = []
    """(widget, laid out, only part of it repainted)"""
    original = Widget.refresh

    def spy(
        widget: Widget,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Widget:
        refreshed.append((widget.id or type(widget).__name__, layout or recompose, bool(regions)))
        return original(widget, *regions, repaint=repaint, layout=layout, recompose=recompose)

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "n")
        await pilot.pause()
        screen = app.screen
        below = screen.query_one("#fields").region
        monkeypatch.setattr(Widget, "refresh", spy)
        for key in "2026年底前华东区收入增长12% to 3.2亿":
            await pilot.press(key)
            await pilot.pause()
        monkeypatch.undo()
        assert screen.query_one("#fields").region == below
        assert "SMART-" in screen.query_one("#diagnostics", SteadyText).content.plain
    assert not [name for name, layout, _ in refreshed if layout], "nothing is laid out again"
    assert {name for name, _, _ in refreshed} <= {"statement", "smart", "diagnostics"}
    assert all(part for name, _, part in refreshed if name == "statement"), "only the text row"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("S ? M ?", "S ? M ?", None),
        ("S ? M ?", "S ? M ✓", (6, 7)),
        ("abc", "a", (1, 3)),
        ("", "未发现", (0, 6)),
        ("年底前", "年中前", (2, 4)),  # whole wide characters
        ("a年b", "ab", (1, 4)),  # the old wide character is repainted whole
    ],
)
def test_steady_text_repaints_only_changed_cells(
    old: str, new: str, expected: tuple[int, int] | None
) -> None:
    def strip(text: str) -> Strip:
        return Strip([Segment(text)])

    assert changed_span(strip(old), strip(new), 10) == expected
    style_only = Strip([Segment("S"), Segment(" ✓", Style(bold=True))])
    assert changed_span(strip("S ✓"), style_only, 10) == (1, 3)
