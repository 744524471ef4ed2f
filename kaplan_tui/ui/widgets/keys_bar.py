"""The footer: the keys that work here, described in the UI language."""

from __future__ import annotations

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static

from kaplan_tui.i18n import MissingMessageError, t


def describe(description: str, lang: str) -> str:
    """A binding's description: a catalogue key such as ``keys.quit``, translated."""
    if description.startswith("keys."):
        try:
            return t(f"ui.{description}", "en" if lang == "en" else "zh")
        except MissingMessageError:
            pass
    return description


class KeysBar(Static):
    """One line of ``key description`` pairs for the shown bindings of the screen."""

    DEFAULT_CSS = """
    KeysBar {
        dock: bottom;
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.update_keys)

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self.update_keys()

    def update_keys(self) -> None:
        """Redraw from the screen's active bindings."""
        lang = getattr(self.app, "lang", "en")
        seen: set[str] = set()
        line = Text(no_wrap=True, overflow="ellipsis")
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            # Only Kaplan's keys, whose descriptions come from the catalogue in both languages.
            if (
                not binding.show
                or binding.action in seen
                or not binding.description.startswith("keys.")
            ):
                continue
            seen.add(binding.action)
            shown = binding.key_display or self.app.get_key_display(binding)
            style = "bold" if active.enabled else "dim"
            line.append(f" {shown} ", style=f"reverse {style}")
            line.append(
                f" {describe(binding.description, lang)} ", style="" if active.enabled else "dim"
            )
            del key
        self.update(line)
