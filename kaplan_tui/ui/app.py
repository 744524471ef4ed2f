"""The Kaplan Textual app: wiring only. Screens live in ``screens/``, widgets in ``widgets/``."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from kaplan_tui.i18n import Lang, t
from kaplan_tui.storage import Workspace


class KaplanApp(App[None]):
    """A keyboard-driven workspace for planning key-account sales targets."""

    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(self, workspace: Workspace, lang: Lang) -> None:
        super().__init__()
        self.workspace = workspace
        """The open workspace; screens read it through the storage API only."""
        self.lang: Lang = lang
        """The UI language."""

    def on_mount(self) -> None:
        self.title = self.workspace.name
        self.sub_title = t("ui.app.subtitle", self.lang)
        # A dropped SSH link sends SIGHUP: exit cleanly instead of dying mid-render.
        # Every save is already on disk (write-through), so nothing is lost either way.
        loop = signal.getsignal(signal.SIGHUP)
        if loop is not None:
            try:
                import asyncio

                asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.exit)
            except (NotImplementedError, RuntimeError):
                pass
        from kaplan_tui.ui.screens.accounts import AccountsScreen

        self.push_screen(AccountsScreen())


def make_app(workspace: Path, *, lang: Lang | None = None) -> KaplanApp:
    """Build the app on the workspace folder at ``workspace`` (used by the CLI and the tests).

    Raises:
        NotAWorkspaceError: the folder holds no workspace.
    """
    ws = Workspace.open(workspace)
    return KaplanApp(ws, lang or ws.settings.language)
