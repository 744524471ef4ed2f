"""Help: what the focused widget does and every key of the current screen."""

from __future__ import annotations

import contextlib
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from kaplan_tui.i18n import Lang, MissingMessageError, t
from kaplan_tui.ui.widgets.keys_bar import describe


class HelpScreen(ModalScreen[None]):
    """Shows help for the widget that had focus and the keys of the screen below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "keys.close"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 90%;
        max-width: 90;
        height: 80%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen .help-title {
        text-style: bold;
        color: $accent;
        margin-top: 1;
    }
    """

    def __init__(self, below: Screen[object], help_key: str | None, lang: Lang) -> None:
        super().__init__()
        self.below = below
        self.help_key = help_key
        self.lang: Lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll():
            yield Static(t("ui.help.title", lang), classes="help-title")
            if self.help_key:
                with contextlib.suppress(MissingMessageError):
                    yield Static(Text(t(self.help_key, lang)))
            yield Static(t("ui.help.keys", lang), classes="help-title")
            lines = Text()
            seen: set[str] = set()
            for active in self.below.active_bindings.values():
                binding = active.binding
                # Only Kaplan's own keys: widget internals (scroll left...) stay out of the way.
                if binding.action in seen or not binding.description.startswith("keys."):
                    continue
                seen.add(binding.action)
                shown = binding.key_display or self.app.get_key_display(binding)
                lines.append(f"{shown:>12}  ", style="bold")
                lines.append(describe(binding.description, lang) + "\n")
            yield Static(lines)
            yield Static(t("ui.help.footer", lang))

    def action_dismiss(self, result: None = None) -> None:  # type: ignore[override]
        self.dismiss(result)
