"""The account list: every key account with industry, region, owner, tier and revenue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from kaplan_tui.core.models import Account, Person
from kaplan_tui.core.text import clean_line
from kaplan_tui.i18n import t

if TYPE_CHECKING:
    from kaplan_tui.ui.app import KaplanApp


def _cell(text: str) -> Text:
    # User text is data: a Text object is never parsed as markup, and clean_line strips
    # control characters so escape sequences cannot reach the terminal.
    return Text(clean_line(text), no_wrap=True, overflow="ellipsis")


class AccountsScreen(Screen[None]):
    """Key accounts, largest last-year revenue first."""

    @property
    def kaplan(self) -> KaplanApp:
        """The app, typed."""
        from kaplan_tui.ui.app import KaplanApp

        assert isinstance(self.app, KaplanApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="problems", markup=False)
        yield DataTable(id="accounts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_table()

    def refresh_table(self) -> None:
        """Fill the table from the workspace."""
        ws = self.kaplan.workspace
        lang = self.kaplan.lang
        table = self.query_one("#accounts", DataTable)
        table.clear(columns=True)
        for key in ("name", "industry", "region", "owner", "tier", "revenue"):
            table.add_column(t(f"ui.accounts.{key}", lang), key=key)
        accounts = ws.all(Account)
        people = {p.id: p for p in ws.all(Person)}
        years = sorted({k[:4] for a in accounts for k in a.purchase_history})
        last_full = int(years[-2]) if len(years) > 1 else (int(years[0]) if years else 0)
        rows = sorted(accounts, key=lambda a: -a.revenue_in_year(last_full))
        for acc in rows:
            owner = people.get(acc.owner or "")
            revenue = acc.revenue_in_year(last_full)
            table.add_row(
                _cell(acc.display_name(lang)),
                _cell(acc.industry),
                _cell(acc.region),
                _cell(owner.display_name(lang) if owner else ""),
                Text(f"T{acc.tier}" if acc.tier else "-", justify="center"),
                Text(
                    f"{revenue / 10_000:,.0f}万" if lang == "zh" else f"{revenue:,.0f}",
                    justify="right",
                ),
                key=acc.id,
            )
        problems = ws.problems
        banner = self.query_one("#problems", Static)
        if problems or ws.read_only:
            lines = [t("ui.app.read_only", lang)] if ws.read_only else []
            lines += [clean_line(str(p)) for p in problems[:4]]
            banner.update("\n".join(lines))
        banner.set_class(bool(problems) or ws.read_only, "-shown")
