"""Segments: each group of accounts, by rule or hand-picked, with its needs and members."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from kaplan_tui.core.models import Account, Segment
from kaplan_tui.core.planning.segments import members_of
from kaplan_tui.core.text import clean_line
from kaplan_tui.i18n import Lang, t
from kaplan_tui.ui.widgets.virtual_table import Column, Row, VirtualTable, cell


def describe_rule(segment: Segment, lang: Lang) -> str:
    """The segment's rule in words (``industries: ICT, 医疗健康; tiers: 1``)."""
    rule = segment.rule
    if rule is None:
        return t("ui.segments.hand_picked", lang)
    parts = []
    for key in ("industries", "regions", "tiers", "owners", "tags"):
        values = getattr(rule, key)
        if values:
            parts.append(f"{t('ui.segments.' + key, lang)}: {', '.join(map(str, values))}")
    if rule.min_revenue_last_year is not None:
        parts.append(f"≥ {rule.min_revenue_last_year:,.0f}")
    if rule.max_revenue_last_year is not None:
        parts.append(f"≤ {rule.max_revenue_last_year:,.0f}")
    return clean_line("; ".join(parts))


class SegmentsScreen(ModalScreen[tuple[str, str] | None]):
    """Browse segments; ``m`` adds or removes the account the list was opened on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_none", "keys.close"),
        Binding("m", "toggle_member", "keys.toggle_member"),
    ]

    DEFAULT_CSS = """
    SegmentsScreen {
        align: center middle;
    }
    SegmentsScreen > Vertical {
        width: 95%;
        height: 90%;
        border: round $primary;
        background: $surface;
    }
    SegmentsScreen VirtualTable {
        height: 1fr;
    }
    SegmentsScreen #segment-detail {
        height: auto;
        max-height: 8;
        padding: 0 1;
        border-top: solid $panel;
    }
    """

    def __init__(
        self,
        segments: list[Segment],
        accounts: dict[str, Account],
        year: int,
        tiers: dict[str, int],
        account: Account | None,
        lang: Lang,
    ) -> None:
        super().__init__()
        self.segments = {s.id: s for s in segments}
        self.accounts = accounts
        self.year = year
        self.tiers = tiers
        self.account = account
        self.lang: Lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            title = t("ui.segments.title", self.lang)
            if self.account is not None:
                title += "  " + t(
                    "ui.segments.for_account",
                    self.lang,
                    name=clean_line(self.account.display_name(self.lang)),
                )
            yield Static(Text(title, style="bold"))
            yield VirtualTable(id="segments")
            yield Static(id="segment-detail", markup=False)

    def on_mount(self) -> None:
        lang = self.lang
        rows = []
        for seg in sorted(self.segments.values(), key=lambda s: (s.priority, s.id)):
            members = members_of(seg, self.accounts, year=self.year, tiers=self.tiers)
            mark = ""
            if self.account is not None and self.account.id in members:
                mark = "●"
            rows.append(
                Row(
                    seg.id,
                    (
                        Text(mark),
                        cell(seg.display_name(lang)),
                        Text(f"P{seg.priority}"),
                        Text(str(len(members)), justify="right"),
                        cell(describe_rule(seg, lang)),
                    ),
                )
            )
        width = self.size.width or 80
        self.query_one(VirtualTable).set_data(
            [
                Column("in", "", 1),
                Column("name", t("ui.segments.col_name", lang), 16),
                Column("priority", t("ui.segments.col_priority", lang), 3),
                Column("members", t("ui.segments.col_members", lang), 5, "right"),
                Column("rule", t("ui.segments.col_rule", lang), max(20, width - 36)),
            ],
            rows,
        )
        self.query_one(VirtualTable).focus()

    @on(VirtualTable.Highlighted)
    def _show(self, event: VirtualTable.Highlighted) -> None:
        seg = self.segments.get(event.key or "")
        detail = self.query_one("#segment-detail", Static)
        if seg is None:
            detail.update("")
            return
        out = Text()
        if seg.description:
            out.append(clean_line(seg.description) + "\n")
        for key, items in (("needs", seg.needs), ("pains", seg.pain_points)):
            if items:
                out.append(t(f"ui.seg.{key}", self.lang) + ": ", style="bold")
                out.append("; ".join(clean_line(i) for i in items) + "\n")
        if seg.members:
            names = [
                clean_line(self.accounts[a].display_name(self.lang))
                for a in seg.members
                if a in self.accounts
            ]
            out.append(t("ui.segments.picked", self.lang) + ": ", style="bold")
            out.append(", ".join(names))
        detail.update(out)

    def action_toggle_member(self) -> None:
        key = self.query_one(VirtualTable).cursor_key
        if key is None or self.account is None:
            self.app.bell()
            return
        self.dismiss((key, self.account.id))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
