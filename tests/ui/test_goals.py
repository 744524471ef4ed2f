"""Goal editor: the tree, live SMART lint while typing Chinese, fixes, save and undo."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, Static, Tree

from kaplan_tui.core.models import Goal
from kaplan_tui.storage import Workspace
from kaplan_tui.ui.app import KaplanApp
from kaplan_tui.ui.screens.goals import GoalsScreen


async def test_typing_a_chinese_goal_updates_the_lint_live(
    app_factory: Callable[..., KaplanApp], shown: Callable[[Static], str]
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
        strip = shown(screen.query_one("#smart", Static))
        assert "S ✗" in strip
        diagnostics = shown(screen.query_one("#diagnostics", Static))
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
        strip = shown(screen.query_one("#smart", Static))
        assert "S ✓" in strip and "M ✓" in strip and "T ✓" in strip


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
