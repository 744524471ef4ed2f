"""Segmentation: accounts ranked by explainable score, tiers, and what each account needs."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from kaplan_tui.core.text import clean_line
from kaplan_tui.ui.format import money, pad, percent
from kaplan_tui.ui.screens.base import KaplanScreen
from kaplan_tui.ui.widgets.virtual_table import Column, Row, VirtualTable, cell

if TYPE_CHECKING:  # this screen paints first; the models and engines load after (see app.py)
    from kaplan_tui.core.models import Account
    from kaplan_tui.core.planning.scoring import AccountScore, Segmentation

SORTS = ("score", "revenue", "growth", "name")


def _growth(account: Account, year: int) -> float | None:
    last, before = account.revenue_in_year(year), account.revenue_in_year(year - 1)
    return (last / before - 1) if before > 0 else None


class SegmentationScreen(KaplanScreen):
    """The ranked account list with each score's weighted breakdown."""

    MODE = "segmentation"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "keys.filter", key_display="/"),
        Binding("s", "sort", "keys.sort"),
        Binding("w", "weights", "keys.weights"),
        Binding("o", "override", "keys.override"),
        Binding("a", "accept_tiers", "keys.accept_tiers"),
        Binding("g", "segments", "keys.segments"),
        Binding("escape", "clear_filter", "keys.clear_filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sort_by = "score"
        self.filter_text = ""
        self.result: Segmentation | None = None
        self._scored: tuple[list[Account], Segmentation] | None = None
        """Accounts and their scores, kept while only the filter or the sort changes."""
        self._focus_after: str | None = None

    def compose_body(self) -> ComposeResult:
        if not self.kaplan.ready:
            # The first frame, painted while the workspace opens: the header, this line and
            # the keys. The filter, table and detail are built once there is data for them.
            yield Static(self.t("ui.seg.loading"), id="seg-loading", markup=False)
            return
        yield self._body()

    def _body(self) -> Vertical:
        table = VirtualTable(id="accounts")
        table.HELP_KEY = "ui.help.accounts"  # type: ignore[attr-defined]
        return Vertical(
            Input(value=self.filter_text, placeholder=self.t("ui.seg.filter_hint"), id="filter"),
            Static(id="seg-status", markup=False),
            table,
            Static(id="seg-detail", markup=False),
            id="seg-body",
        )

    def on_mount(self) -> None:
        super().on_mount()
        for table in self.query("#accounts"):
            table.focus()

    def workspace_changed(self, kinds: set[str]) -> None:
        if not self._built():  # built while loading: now build the real screen
            self.call_later(self._build_body)
            return
        super().workspace_changed(kinds)

    def _built(self) -> bool:
        """Whether the filter, table and detail exist (they do not while the workspace opens)."""
        return bool(self.query("#accounts"))

    async def _build_body(self) -> None:
        loading = self.query_one("#seg-loading", Static)
        await self.mount(self._body(), after=loading)
        await loading.remove()
        self.query_one("#accounts", VirtualTable).focus()
        self.refresh_view()

    # --- data ---------------------------------------------------------------------------

    def refresh_view(self) -> None:
        """Rescore from the workspace (in a worker: 10k accounts take a moment)."""
        self._scored = None
        self._recompute()

    def _recompute(self) -> None:
        if not self.kaplan.ready or not self._built():  # "loading" shows meanwhile
            return
        if self.result is None:
            self.query_one("#seg-status", Static).update(self.t("ui.seg.loading"))
        self._compute(self.filter_text, self.sort_by)

    @work(thread=True, exclusive=True, group="segmentation", exit_on_error=False)
    def _compute(self, filter_text: str, sort_by: str) -> None:
        from kaplan_tui.core.models import Account
        from kaplan_tui.core.planning.scoring import score_accounts

        scored = self._scored
        if scored is None:
            ws = self.workspace
            accounts = ws.all(Account)
            scored = (
                accounts,
                score_accounts(accounts, ws.settings.scoring, today=self.kaplan.today),
            )
        rows = self._rows(scored[0], scored[1], filter_text, sort_by)
        self.app.call_from_thread(self._apply, scored, rows)

    def _apply(self, scored: tuple[list[Account], Segmentation], rows: list[Row]) -> None:
        self._scored = scored
        accounts, self.result = scored
        table = self.query_one("#accounts", VirtualTable)
        keep, self._focus_after = self._focus_after or table.cursor_key, None
        table.set_data(self._columns(), rows, keep_key=keep)
        moved = sum(1 for s in self.result.accounts if s.tier_changed)
        method = self.t(f"ui.seg.method_{self.result.tier_method}")
        self.query_one("#seg-status", Static).update(
            self.t(
                "ui.seg.status",
                shown=len(table.rows),
                total=len(accounts),
                year=self.result.year,
                method=method,
                moved=moved,
                sort=self.t(f"ui.seg.sort_{self.sort_by}"),
            )
        )
        self._show_detail(table.cursor_key)
        self.kaplan.data_shown()

    def _columns(self) -> list[Column]:
        width = self.size.width or 80
        name_w = max(12, min(30, width - 62))
        return [
            Column("rank", "#", 3, "right"),
            Column("name", self.t("ui.seg.col_name"), name_w),
            Column("score", self.t("ui.seg.col_score"), 5, "right"),
            Column("tier", self.t("ui.seg.col_tier"), 4, "center"),
            Column("segment", self.t("ui.seg.col_segment"), 10),
            Column("owner", self.t("ui.seg.col_owner"), 8),
            Column(
                "revenue",
                self.t("ui.seg.col_revenue", year=self.result.year if self.result else ""),
                10,
                "right",
            ),
            Column("trend", self.t("ui.seg.col_trend"), 7, "right"),
        ]

    def _rows(
        self, accounts: list[Account], result: Segmentation, filter_text: str, sort_by: str
    ) -> list[Row]:
        from kaplan_tui.core.models import Person, Segment
        from kaplan_tui.core.planning.segments import segments_of_accounts

        lang, year = self.lang, result.year
        by_id = {a.id: a for a in accounts}
        people = self.workspace.records("person")
        segments = self.workspace.records("segment")
        seg_of = segments_of_accounts(
            {k: v for k, v in segments.items() if isinstance(v, Segment)},
            by_id,
            year=year,
            tiers={s.account_id: s.tier for s in result.accounts},
        )
        needle = filter_text.casefold().strip()
        key = {
            "score": lambda s: -s.score,
            "revenue": lambda s: -by_id[s.account_id].revenue_in_year(year),
            "growth": lambda s: -(_growth(by_id[s.account_id], year) or -9e9),
            "name": lambda s: by_id[s.account_id].display_name(lang).casefold(),
        }[sort_by]

        def owner_name(acc: Account) -> str:
            owner = people.get(acc.owner or "")
            return owner.display_name(lang) if isinstance(owner, Person) else ""

        def segment_names(acc: Account) -> list[str]:
            return [
                segment.display_name(lang)
                for s in seg_of.get(acc.id, [])
                if isinstance(segment := segments.get(s), Segment)
            ]

        def cells(acc: Account, score: AccountScore) -> tuple[Text, ...]:
            growth = _growth(acc, year)
            tier_text = f"T{score.tier}" + ("*" if score.override_tier else "")
            return (
                Text(str(score.rank)),
                cell(acc.display_name(lang)),
                Text(f"{score.score:.1f}"),
                Text(tier_text, style="bold" if score.tier == 1 else ""),
                cell(", ".join(segment_names(acc))),
                cell(owner_name(acc)),
                Text(money(acc.revenue_in_year(year), lang)),
                Text(
                    percent(growth),
                    style="green"
                    if (growth or 0) > 0
                    else "red"
                    if growth is not None and growth < 0
                    else "",
                ),
            )

        rows = []
        for score in sorted(result.accounts, key=key):
            acc = by_id[score.account_id]
            if needle:
                haystack = " ".join(
                    [
                        acc.name,
                        acc.name_en or "",
                        acc.industry,
                        acc.region,
                        owner_name(acc),
                        *segment_names(acc),
                        f"t{score.tier}",
                    ]
                ).casefold()
                if not all(part in haystack for part in needle.split()):
                    continue
            # Cells are made when the row is first drawn: with 10k accounts, only a screenful.
            rows.append(Row(acc.id, partial(cells, acc, score)))
        return rows

    # --- detail -------------------------------------------------------------------------

    @on(VirtualTable.Highlighted, "#accounts")
    def _highlighted(self, event: VirtualTable.Highlighted) -> None:
        self._show_detail(event.key)

    def _show_detail(self, account_id: str | None) -> None:
        from kaplan_tui.core.models import Account

        detail = self.query_one("#seg-detail", Static)
        if not account_id or self.result is None:
            detail.update(self.t("ui.seg.empty"))
            return
        acc = self.workspace.get(Account, account_id)
        score = self.result.by_id().get(account_id)
        if acc is None or score is None:
            return
        detail.update(self._detail_table(acc, score))

    def _detail_table(self, acc: Account, score: AccountScore) -> Table:
        lang = self.lang
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(ratio=1)
        grid.add_column(ratio=1)
        parts = Text()
        parts.append(clean_line(acc.display_name(lang)), style="bold")
        parts.append(f"  {clean_line(acc.industry)} · {clean_line(acc.region)}\n")
        parts.append(
            self.t(
                "ui.seg.score_line", score=f"{score.score:.1f}", tier=score.tier, rank=score.rank
            )
            + "\n"
        )
        for comp in sorted(score.components, key=lambda c: -c.contribution):
            if comp.weight <= 0:
                continue
            bar = "█" * round(comp.normalised * 8)
            parts.append(pad(self.t("ui.criteria." + comp.criterion), 11), style="dim")
            parts.append(f"{bar:<8} +{comp.contribution:4.1f}\n")
        why = Text()
        if score.override_tier:
            why.append(self.t("ui.seg.override", tier=score.override_tier) + " ", style="bold")
            why.append(clean_line(score.override_reason or "") + "\n")
        for label, items in (
            (self.t("ui.seg.needs"), acc.needs),
            (self.t("ui.seg.pains"), acc.pain_points),
        ):
            if items:
                why.append(label + ": ", style="bold")
                why.append("; ".join(clean_line(i) for i in items[:3]) + "\n")
        years = sorted({k[:4] for k in acc.purchase_history})[-4:]
        if years:
            why.append(self.t("ui.seg.history") + ": ", style="bold")
            why.append(
                "  ".join(f"{y} {money(acc.revenue_in_year(int(y)), lang)}" for y in years) + "\n"
            )
        for change in acc.tier_history[-2:]:
            why.append(f"{change.date} T{change.previous or '-'}→T{change.tier} ", style="dim")
            why.append(clean_line(change.reason) + "\n", style="dim")
        grid.add_row(parts, why)
        return grid

    # --- actions ------------------------------------------------------------------------

    def action_filter(self) -> None:
        for box in self.query("#filter"):
            box.focus()

    def action_clear_filter(self) -> None:
        if not self._built():
            return
        box = self.query_one("#filter", Input)
        box.value = ""
        self.query_one("#accounts", VirtualTable).focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if event.value != self.filter_text:  # the Input reports its first value too
            self.filter_text = event.value
            self._recompute()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one("#accounts", VirtualTable).focus()

    def action_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        self._recompute()

    def focus_record(self, record_id: str) -> None:
        if not self._built():
            return
        self.filter_text = ""
        self.query_one("#filter", Input).value = ""
        self._focus_after = record_id  # the cursor lands there once the rows are built
        self._recompute()
        self.query_one("#accounts", VirtualTable).focus()

    def remember_state(self) -> None:
        for box in self.query("#filter").results(Input):
            self.filter_text = box.value

    def action_weights(self) -> None:
        from kaplan_tui.core.models import Account
        from kaplan_tui.ui.screens.forms import WeightsForm

        if not self.kaplan.ready:
            return
        ws = self.workspace
        accounts = ws.all(Account)

        def done(new_scoring: object) -> None:
            if new_scoring is None:
                return
            settings = ws.settings.model_copy(update={"scoring": new_scoring})
            try:
                ws.save_settings(settings)
            except Exception as exc:  # storage errors are user-facing text
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify(self.t("ui.seg.weights_saved"))
            self.refresh_view()

        self.app.push_screen(
            WeightsForm(ws.settings.scoring, accounts, self.kaplan.today, self.lang), done
        )

    def action_segments(self) -> None:
        """Show the segments; m there adds or removes the highlighted account by hand."""
        from kaplan_tui.core.models import Account, Segment
        from kaplan_tui.storage import Change
        from kaplan_tui.ui.screens.segments import SegmentsScreen

        if self.result is None:
            return
        ws = self.workspace
        accounts = {a.id: a for a in ws.all(Account)}
        account = accounts.get(self.query_one("#accounts", VirtualTable).cursor_key or "")
        tiers = {s.account_id: s.tier for s in self.result.accounts}

        def done(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            segment = ws.get(Segment, choice[0])
            if segment is None:
                return
            members = list(segment.members)
            if choice[1] in members:
                members.remove(choice[1])
            else:
                members.append(choice[1])
            if not members and segment.rule is None:
                self.notify(self.t("ui.segments.last_member"), severity="warning")
                return
            self.kaplan.save(
                [Change("update", segment.model_copy(update={"members": members}))],
                base=segment,
                label=self.t("ui.segments.label", name=segment.display_name(self.lang)),
                then=lambda _s: self.notify(self.t("ui.segments.saved")),
            )

        self.app.push_screen(
            SegmentsScreen(ws.all(Segment), accounts, self.result.year, tiers, account, self.lang),
            done,
        )

    def action_accept_tiers(self) -> None:
        """Store the computed tiers on the accounts whose tier moved, with history entries."""
        from kaplan_tui.core.models import Account
        from kaplan_tui.core.planning.scoring import tier_change
        from kaplan_tui.storage import Change

        if self.result is None:
            return
        changes = []
        for score in self.result.accounts:
            entry = tier_change(
                score,
                date=self.kaplan.today,
                reason=self.t("ui.seg.accept_reason", score=f"{score.score:.1f}", rank=score.rank),
                by=self.workspace.user,
            )
            acc = self.workspace.get(Account, score.account_id)
            if entry is None or acc is None:
                continue
            changes.append(
                Change(
                    "update",
                    acc.model_copy(
                        update={"tier": score.tier, "tier_history": [*acc.tier_history, entry]}
                    ),
                )
            )
        if not changes:
            self.notify(self.t("ui.seg.no_tier_moves"))
            return
        self.kaplan.save(
            changes,
            label=self.t("ui.seg.accept_label", count=len(changes)),
            then=lambda stored: self.notify(self.t("ui.seg.accepted", count=len(stored))),
        )

    def action_override(self) -> None:
        from kaplan_tui.core.models import Account, TierChange, TierOverride
        from kaplan_tui.storage import Change
        from kaplan_tui.ui.screens.forms import OverrideForm

        if self.result is None:
            return
        table = self.query_one("#accounts", VirtualTable)
        acc = self.workspace.get(Account, table.cursor_key or "")
        if acc is None or self.result is None:
            return
        score = self.result.by_id()[acc.id]

        def done(result: tuple[int | None, str] | None) -> None:
            if result is None:
                return
            tier, reason = result
            today = self.kaplan.today
            override = (
                None
                if tier is None
                else TierOverride(tier=tier, reason=reason, by=self.workspace.user, date=today)
            )
            new_tier = tier if tier is not None else score.computed_tier
            history = list(acc.tier_history)
            if new_tier != acc.tier:
                history.append(
                    TierChange(
                        date=today,
                        tier=new_tier,
                        previous=acc.tier,
                        reason=reason,
                        by=self.workspace.user,
                        manual=tier is not None,
                    )
                )
            edited = acc.model_copy(
                update={"tier_override": override, "tier": new_tier, "tier_history": history}
            )
            self.kaplan.save(
                [Change("update", edited)],
                base=acc,
                label=self.t("ui.seg.override_label", name=acc.name),
            )

        self.app.push_screen(
            OverrideForm(
                acc.display_name(self.lang), score.computed_tier, acc.tier_override, self.lang
            ),
            done,
        )
