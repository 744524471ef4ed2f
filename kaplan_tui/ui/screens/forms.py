"""Small modal forms: scoring weights and tiers, tier override."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from kaplan_tui.core.models import Account, TierOverride
from kaplan_tui.core.planning.scoring import score_accounts
from kaplan_tui.core.settings import ScoringSettings
from kaplan_tui.core.text import clean_line
from kaplan_tui.i18n import Lang, t

FORM_CSS = """
{name} {{
    align: center middle;
}}
{name} > Vertical {{
    width: 90%;
    max-width: 90;
    height: auto;
    max-height: 95%;
    border: round $primary;
    background: $surface;
    padding: 0 1;
}}
{name} .row {{
    height: auto;
}}
{name} .row Label {{
    width: 22;
    padding: 1 1 0 0;
}}
{name} .row Input, {name} .row Select {{
    width: 1fr;
}}
{name} .buttons {{
    height: auto;
    align-horizontal: right;
}}
{name} .preview {{
    height: auto;
    max-height: 8;
    color: $text-muted;
}}
"""


def _floats(text: str) -> list[float]:
    return [float(x) for x in text.replace("，", ",").split(",") if x.strip()]


class WeightsForm(ModalScreen[ScoringSettings | None]):
    """Edit scoring weights and tier rules, watching which accounts would change tier."""

    DEFAULT_CSS = FORM_CSS.format(name="WeightsForm")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "keys.cancel"),
        Binding("ctrl+s", "save", "keys.save"),
    ]

    def __init__(
        self, scoring: ScoringSettings, accounts: list[Account], today: dt.date, lang: Lang
    ) -> None:
        super().__init__()
        self.scoring = scoring
        self.accounts = accounts
        self.today = today
        self.lang: Lang = lang
        self.before = {
            s.account_id: s.tier for s in score_accounts(accounts, scoring, today=today).accounts
        }
        self.draft: ScoringSettings | None = scoring

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Static(t("ui.weights.title", lang), classes="title")
            with VerticalScroll():
                for name, weight in self.scoring.weights.items():
                    with Horizontal(classes="row"):
                        yield Label(t(f"ui.criteria.{name}", lang))
                        yield Input(f"{weight:g}", id=f"w-{name}", type="number")
                with Horizontal(classes="row"):
                    yield Label(t("ui.weights.method", lang))
                    yield Select(
                        [
                            (t("ui.seg.method_rank", lang), "rank"),
                            (t("ui.seg.method_thresholds", lang), "thresholds"),
                        ],
                        value=self.scoring.tier_method,
                        allow_blank=False,
                        id="method",
                    )
                with Horizontal(classes="row"):
                    yield Label(t("ui.weights.bands", lang))
                    yield Input(", ".join(str(b) for b in self.scoring.rank_bands), id="bands")
                with Horizontal(classes="row"):
                    yield Label(t("ui.weights.thresholds", lang))
                    yield Input(
                        ", ".join(f"{x:g}" for x in self.scoring.thresholds), id="thresholds"
                    )
            yield Static(id="preview", classes="preview", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("ui.form.cancel", lang), id="cancel")
                yield Button(t("ui.form.save", lang), id="save", variant="primary")

    def on_mount(self) -> None:
        self._recompute()

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        self._recompute()

    def _recompute(self) -> None:
        preview = self.query_one("#preview", Static)
        try:
            weights = {
                name: float(self.query_one(f"#w-{name}", Input).value or 0)
                for name in self.scoring.weights
            }
            draft = ScoringSettings(
                weights=weights,
                tier_method=self.query_one("#method", Select).value,
                rank_bands=[int(x) for x in _floats(self.query_one("#bands", Input).value)],
                thresholds=_floats(self.query_one("#thresholds", Input).value),
                sensitivity_step=self.scoring.sensitivity_step,
            )
        except (ValueError, ValidationError) as exc:
            self.draft = None
            preview.update(t("ui.weights.invalid", self.lang, reason=clean_line(str(exc))[:200]))
            return
        self.draft = draft
        after = score_accounts(self.accounts, draft, today=self.today).accounts
        names = {a.id: a.display_name(self.lang) for a in self.accounts}
        moves = [
            f"{clean_line(names[s.account_id])} T{self.before[s.account_id]}→T{s.tier}"
            for s in after
            if s.tier != self.before[s.account_id]
        ]
        preview.update(
            t("ui.weights.moves", self.lang, count=len(moves))
            + ("\n" + "; ".join(moves[:12]) if moves else "")
        )

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.draft is None:
            self.app.bell()
            return
        self.dismiss(self.draft)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class OverrideForm(ModalScreen[tuple[int | None, str] | None]):
    """Set an account's tier by hand, with the reason; an empty tier removes the override."""

    DEFAULT_CSS = FORM_CSS.format(name="OverrideForm")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "keys.cancel"),
        Binding("ctrl+s", "save", "keys.save"),
    ]

    def __init__(self, name: str, computed: int, current: TierOverride | None, lang: Lang) -> None:
        super().__init__()
        self.account_name = name
        self.computed = computed
        self.current = current
        self.lang: Lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Static(
                t(
                    "ui.override.title",
                    lang,
                    name=clean_line(self.account_name),
                    computed=self.computed,
                ),
                markup=False,
            )
            with Horizontal(classes="row"):
                yield Label(t("ui.override.tier", lang))
                yield Input(
                    str(self.current.tier) if self.current else "", id="tier", type="integer"
                )
            with Horizontal(classes="row"):
                yield Label(t("ui.override.reason", lang))
                yield Input(self.current.reason if self.current else "", id="reason")
            yield Static(id="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("ui.form.cancel", lang), id="cancel")
                yield Button(t("ui.form.save", lang), id="save", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        raw = self.query_one("#tier", Input).value.strip()
        reason = self.query_one("#reason", Input).value.strip()
        error = self.query_one("#error", Static)
        if raw and not (raw.isdigit() and 1 <= int(raw) <= 9):
            error.update(t("ui.override.bad_tier", self.lang))
            return
        if raw and not reason:
            error.update(t("ui.override.need_reason", self.lang))
            return
        self.dismiss((int(raw) if raw else None, reason))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; y or enter confirms, n or escape declines."""

    DEFAULT_CSS = FORM_CSS.format(name="ConfirmScreen")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "keys.yes"),
        Binding("n,escape", "answer(False)", "keys.no"),
    ]

    def __init__(self, question: str, lang: Lang) -> None:
        super().__init__()
        self.question = question
        self.lang: Lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("ui.form.no", self.lang), id="no")
                yield Button(t("ui.form.yes", self.lang), id="yes", variant="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
