"""The check-in form: actual value, confidence, notes and one improvement action."""

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

from kaplan_tui.core.models import Action, CheckIn, Goal
from kaplan_tui.core.text import clean_line
from kaplan_tui.i18n import Lang, t
from kaplan_tui.ui.screens.forms import FORM_CSS

_FIELDS = ("date", "actual", "confidence", "progress", "plans", "problems", "action_due")


class _FieldError(ValueError):
    """A value the form cannot read: which field, and the catalogue key of what it needs."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(key)
        self.key = key
        self.message = message


class CheckInForm(ModalScreen[CheckIn | None]):
    """Record where a goal stands today."""

    DEFAULT_CSS = FORM_CSS.format(name="CheckInForm")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "keys.cancel"),
        Binding("ctrl+s", "save", "keys.save"),
    ]

    def __init__(
        self, goal: Goal, people: list[tuple[str, str]], today: dt.date, lang: Lang
    ) -> None:
        super().__init__()
        self.goal = goal
        self.people = people
        self.today = today
        self.lang: Lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        unit = self.goal.metric.unit if self.goal.metric else ""
        with Vertical():
            yield Static(
                t("ui.checkin.title", lang, goal=clean_line(self.goal.statement)[:70]), markup=False
            )
            with VerticalScroll():
                for key, value, kind in (
                    ("date", self.today.isoformat(), "text"),
                    ("actual", "", "number"),
                    ("confidence", "0.7", "number"),
                    ("progress", "", "text"),
                    ("plans", "", "text"),
                    ("problems", "", "text"),
                    ("action", "", "text"),
                    ("action_due", "", "text"),
                ):
                    with Horizontal(classes="row"):
                        label = t(f"ui.checkin.{key}", lang)
                        yield Label(f"{label} ({unit})" if key == "actual" and unit else label)
                        yield Input(value, id=f"ci-{key}", type=kind)  # type: ignore[arg-type]
                with Horizontal(classes="row"):
                    yield Label(t("ui.checkin.action_owner", lang))
                    yield Select(
                        self.people,
                        id="ci-owner",
                        value=self.goal.owner
                        if self.goal.owner in {p for _, p in self.people}
                        else Select.NULL,
                    )
            yield Static(id="ci-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("ui.form.cancel", lang), id="cancel")
                yield Button(t("ui.form.save", lang), id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ci-actual", Input).focus()

    def _value(self, key: str) -> str:
        return self.query_one(f"#ci-{key}", Input).value.strip()

    def _number(self, key: str, low: float | None = None, high: float | None = None) -> float:
        try:
            value = float(self._value(key))
        except ValueError:
            raise _FieldError(key, "ui.checkin.need_number") from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise _FieldError(key, "ui.checkin.need_share")
        return value

    def _date(self, key: str) -> dt.date | None:
        text = self._value(key)
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise _FieldError(key, "ui.checkin.need_date") from None

    def _field(self, key: str) -> str:
        """The field's label, as the form shows it."""
        return t(f"ui.checkin.{key}", self.lang)

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        error = self.query_one("#ci-error", Static)
        try:
            actions = []
            if self._value("action"):
                owner = self.query_one("#ci-owner", Select).value
                actions.append(
                    Action(
                        text=self._value("action"),
                        owner=owner if isinstance(owner, str) else None,
                        due=self._date("action_due"),
                    )
                )
            day = self._date("date")
            if day is None:
                raise _FieldError("date", "ui.checkin.need_date")
            checkin = CheckIn(
                goal=self.goal.id,
                date=day,
                actual=self._number("actual"),
                confidence=self._number("confidence", 0, 1) if self._value("confidence") else 0.7,
                progress=self._value("progress"),
                plans=self._value("plans"),
                problems=self._value("problems"),
                actions=actions,
            )
        except _FieldError as exc:  # named by the label the user sees, in the UI's language
            error.update(t(exc.message, self.lang, field=self._field(exc.key)))
            return
        except ValidationError as exc:  # what the record refuses besides (text too long)
            first = exc.errors()[0]
            key = str(first["loc"][0]) if first["loc"] else ""
            field = self._field(key) if key in _FIELDS else key
            error.update(t("ui.checkin.invalid", self.lang, reason=f"{field}: {first['msg']}"))
            return
        self.dismiss(checkin)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
