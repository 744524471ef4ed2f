"""Segmentation screen: ranking, filter, weights, tier override, palette, reload, conflicts."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input, Static

from kaplan_tui.core.models import Account
from kaplan_tui.storage import Workspace
from kaplan_tui.ui.app import KaplanApp
from kaplan_tui.ui.screens.conflict import ConflictScreen
from kaplan_tui.ui.screens.segmentation import SegmentationScreen
from kaplan_tui.ui.widgets.virtual_table import VirtualTable

AppFactory = Callable[..., KaplanApp]


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the scoring worker has filled the table and the screen has redrawn."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _table(app: KaplanApp) -> VirtualTable:
    return app.screen.query_one("#accounts", VirtualTable)


async def test_accounts_are_ranked_by_score_with_a_breakdown(
    app_factory: AppFactory, shown: Callable[[Static], str]
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SegmentationScreen)
        table = _table(app)
        assert len(table.rows) == 40
        scores = [float(r.cells[2].plain) for r in table.rows]
        assert scores == sorted(scores, reverse=True)
        detail = shown(app.screen.query_one("#seg-detail", Static))
        assert "得分" in detail and "去年收入" in detail


async def test_filter_narrows_the_list(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"医疗")
        await settle(pilot)
        rows = _table(app).rows
        assert 0 < len(rows) < 40
        await pilot.press("escape")
        await settle(pilot)
        assert len(_table(app).rows) == 40


async def test_weights_preview_and_save(
    app_factory: AppFactory, shown: Callable[[Static], str]
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w")
        await settle(pilot)
        box = app.screen.query_one("#w-revenue_last_year", Input)
        box.value = "0"
        await settle(pilot)
        preview = shown(app.screen.query_one("#preview", Static))
        assert "层级会变动" in preview
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.workspace.settings.scoring.weights["revenue_last_year"] == 0
        reopened = Workspace.open(app.workspace.root)
        assert reopened.settings.scoring.weights["revenue_last_year"] == 0


async def test_tier_override_is_saved_with_a_reason(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        key = _table(app).cursor_key
        await pilot.press("o")
        await settle(pilot)
        app.screen.query_one("#tier", Input).value = "3"
        app.screen.query_one("#reason", Input).value = "客户战略调整"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        stored = Workspace.open(app.workspace.root).get(Account, key or "")
        assert stored is not None and stored.tier_override is not None
        assert stored.tier_override.tier == 3 and stored.tier == 3
        assert stored.tier_history[-1].reason == "客户战略调整"
        # Undo puts the account back as it was.
        await pilot.press("ctrl+z")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert Workspace.open(app.workspace.root).get(Account, key or "").tier_override is None  # type: ignore[union-attr]


async def test_a_conflicting_save_opens_the_dialog(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        key = _table(app).cursor_key or ""
        await pilot.press("o")  # the form edits the account as loaded now...
        await settle(pilot)
        # ...and another user saves the same account while the form is open.
        other = Workspace.open(app.workspace.root, user="bob")
        other.save(other.get(Account, key).model_copy(update={"region": "华中"}))  # type: ignore[union-attr]
        app.screen.query_one("#tier", Input).value = "2"
        app.screen.query_one("#reason", Input).value = "test"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press("g")  # merge: their region plus my tier
        await app.workers.wait_for_complete()
        await settle(pilot)
        stored = Workspace.open(app.workspace.root).get(Account, key)
        assert stored is not None and stored.region == "华中" and stored.tier == 2


async def test_changes_saved_by_another_process_appear(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        key = _table(app).cursor_key or ""
        other = Workspace.open(app.workspace.root, user="bob")
        other.save(other.get(Account, key).model_copy(update={"name": "改名后的客户"}))  # type: ignore[union-attr]
        app.poll_workspace()
        await settle(pilot)
        names = [r.cells[1].plain for r in _table(app).rows]
        assert "改名后的客户" in names


async def test_palette_finds_an_account_by_pinyin_initials(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"pctx")  # 鹏城通信
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, SegmentationScreen)
        table = _table(app)
        assert table.rows[table.cursor_row].cells[1].plain == "鹏城通信"


async def test_language_switch_relabels_everything(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.screen.sub_title == "客户分层"
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.lang == "en" and app.screen.sub_title == "Segmentation"
        assert _table(app).columns[1].label == "Account"


async def test_help_shows_the_focused_widget_and_the_keys(app_factory: AppFactory) -> None:
    from kaplan_tui.ui.screens.help import HelpScreen

    app = app_factory(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(w.content) for w in app.screen.query(Static))
        assert "Accounts ranked by score" in text and "Weights" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SegmentationScreen)


async def test_user_text_is_shown_as_typed_never_as_markup(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        key = _table(app).cursor_key or ""
        other = Workspace.open(app.workspace.root, user="bob")
        hostile = "[/nope] [@click=app.quit]x[/] \x1b]2;PWNED\x07"
        other.save(other.get(Account, key).model_copy(update={"name": hostile}))  # type: ignore[union-attr]
        app.poll_workspace()
        await settle(pilot)
        names = [r.cells[1].plain for r in _table(app).rows]
        assert "[/nope] [@click=app.quit]x[/] ]2;PWNED" in names
        await pilot.press("ctrl+l")  # the whole screen redraws with the text in it
        await settle(pilot)
        assert app.is_running


async def test_segments_list_and_hand_picked_membership(app_factory: AppFactory) -> None:
    from kaplan_tui.core.models import Segment
    from kaplan_tui.ui.screens.segments import SegmentsScreen

    app = app_factory(lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        account = _table(app).cursor_key or ""
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, SegmentsScreen)
        segments = app.screen.query_one(VirtualTable)
        assert len(segments.rows) == len(app.workspace.all(Segment))
        chosen = segments.cursor_key or ""
        before = app.workspace.get(Segment, chosen)
        assert before is not None
        await pilot.press("m")
        await app.workers.wait_for_complete()
        await settle(pilot)
        after = Workspace.open(app.workspace.root).get(Segment, chosen)
        assert after is not None
        assert (account in after.members) != (account in before.members)
