"""Reviews screen: status per goal, the timeline, the agenda and recording a check-in."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Input, Static

from kaplan_tui.core.models import CheckIn
from kaplan_tui.storage import Workspace
from kaplan_tui.ui.app import KaplanApp
from kaplan_tui.ui.screens.checkin_form import CheckInForm
from kaplan_tui.ui.screens.reviews import ReviewsScreen
from kaplan_tui.ui.widgets.virtual_table import VirtualTable


async def test_reviews_show_status_chart_and_record_a_checkin(
    app_factory: Callable[..., KaplanApp], shown: Callable[[Static], str]
) -> None:
    app = app_factory(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, ReviewsScreen)
        table = app.screen.query_one("#rev-goals", VirtualTable)
        statuses = {r.cells[2].plain for r in table.rows}
        assert {"off track", "on track"} <= statuses
        chart = shown(app.screen.query_one("#rev-chart", Static))
        assert "projected" in chart
        await pilot.press("g")
        await pilot.pause()
        assert "Review agenda" in shown(app.screen.query_one("#rev-chart", Static))
        await pilot.press("g")
        goal_id = table.cursor_key
        before = len(Workspace.open(app.workspace.root).all(CheckIn))
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CheckInForm)
        app.screen.query_one("#ci-actual", Input).value = "12345"
        app.screen.query_one("#ci-progress", Input).value = "签下首单 [A] 合同"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        stored = Workspace.open(app.workspace.root).all(CheckIn)
        assert len(stored) == before + 1
        new = [c for c in stored if c.actual == 12345]
        assert new and new[0].goal == goal_id and new[0].progress == "签下首单 [A] 合同"


async def test_a_check_in_the_form_cannot_read_names_the_field_in_the_ui_language(
    app_factory: Callable[..., KaplanApp], shown: Callable[[Static], str]
) -> None:
    for lang, needs in (
        ("en", ["Actual to date: enter a number.", "Confidence (0-1): enter a number from 0 to 1.",
                "Date: enter a date as YYYY-MM-DD."]),
        ("zh", ["累计实际值:请输入数字。", "信心(0-1):请输入 0 到 1 之间的数。",
                "日期:请按 YYYY-MM-DD 输入日期。"]),
    ):  # fmt: skip
        app = app_factory(lang=lang)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("3")
            await pilot.pause()
            before = len(Workspace.open(app.workspace.root).all(CheckIn))
            await pilot.press("c")
            await pilot.pause()
            form = app.screen
            assert isinstance(form, CheckInForm)
            error = form.query_one("#ci-error", Static)
            for field, value, message in (
                ("actual", "", needs[0]),
                ("actual", "12", None),
                ("confidence", "3", needs[1]),
                ("confidence", "0.9", None),
                ("date", "28/11/2026", needs[2]),
            ):
                form.query_one(f"#ci-{field}", Input).value = value
                if message is not None:
                    await pilot.press("ctrl+s")
                    await pilot.pause()
                    assert app.screen is form and shown(error).strip() == message
            assert len(Workspace.open(app.workspace.root).all(CheckIn)) == before  # nothing saved
