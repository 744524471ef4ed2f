"""The dialog shown when someone else saved a record you were editing."""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kaplan_tui.core.merge import MergeResult
from kaplan_tui.core.text import clean_line
from kaplan_tui.i18n import Lang, t

Choice = Literal["theirs", "mine", "merge", "cancel"]


def _show(value: Any) -> Text:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return Text(clean_line(text)[:60])


class ConflictScreen(ModalScreen[Choice]):
    """Theirs, mine or merge: nothing is overwritten without the user choosing."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "choose('theirs')", "keys.take_theirs"),
        Binding("m", "choose('mine')", "keys.keep_mine"),
        Binding("g", "choose('merge')", "keys.merge"),
        Binding("escape", "choose('cancel')", "keys.cancel"),
    ]

    DEFAULT_CSS = """
    ConflictScreen {
        align: center middle;
    }
    ConflictScreen > Vertical {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 90%;
        border: thick $error;
        background: $surface;
        padding: 0 1;
    }
    ConflictScreen Horizontal {
        height: auto;
        align-horizontal: center;
    }
    ConflictScreen Button {
        margin: 0 1;
    }
    """

    def __init__(self, who: str, when: str, label: str, merge: MergeResult, lang: Lang) -> None:
        super().__init__()
        self.who, self.when, self.label = who, when, label
        self.merge = merge
        self.lang: Lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        table = Table(expand=True, show_edge=False)
        for key in ("field", "base", "mine", "theirs"):
            table.add_column(t(f"ui.conflict.{key}", lang))
        for diff in self.merge.diffs:
            marker = " ⚠" if diff.clash else ""
            table.add_row(
                Text(diff.field + marker), _show(diff.base), _show(diff.mine), _show(diff.theirs)
            )
        with Vertical():
            yield Static(
                Text(
                    t("ui.conflict.title", lang, record=self.label, who=self.who, when=self.when),
                    style="bold",
                )
            )
            yield Static(table)
            yield Static(t("ui.conflict.explain", lang))
            with Horizontal():
                yield Button(t("ui.conflict.theirs", lang), id="theirs")
                yield Button(t("ui.conflict.mine", lang), id="mine", variant="warning")
                yield Button(t("ui.conflict.merge", lang), id="merge", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)  # type: ignore[arg-type]

    def action_choose(self, choice: Choice) -> None:
        self.dismiss(choice)
