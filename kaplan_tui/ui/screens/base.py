"""What every Kaplan screen shares: the header, the keys bar, language and reload hooks."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header, Input
from textual.worker import Worker

from kaplan_tui.i18n import Lang, t
from kaplan_tui.ui.widgets.keys_bar import KeysBar

if TYPE_CHECKING:
    from kaplan_tui.storage import Workspace
    from kaplan_tui.ui.app import KaplanApp


class KaplanScreen(Screen[None]):
    """A top-level screen (one of the four modes)."""

    MODE: ClassVar[str] = ""
    """The mode name, which is also the catalogue key of its title (``ui.screen.MODE``)."""

    def __init__(self) -> None:
        super().__init__()
        self._stale = False
        self._built_lang: Lang | None = None

    @property
    def kaplan(self) -> KaplanApp:
        """The app, typed."""
        from kaplan_tui.ui.app import KaplanApp

        assert isinstance(self.app, KaplanApp)
        return self.app

    @property
    def workspace(self) -> Workspace:
        """The open workspace."""
        return self.kaplan.workspace

    @property
    def lang(self) -> Lang:
        """The UI language."""
        return self.kaplan.lang

    def t(self, key: str, **fields: object) -> str:
        """A catalogue message in the UI language."""
        return t(key, self.lang, **fields)

    def compose(self) -> ComposeResult:
        self._built_lang = self.lang
        yield Header(icon="◆")
        yield from self.compose_body()
        yield KeysBar()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets, between header and keys bar."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.sub_title = self.t(f"ui.screen.{self.MODE}")
        if self.kaplan.ready:
            self.refresh_view()
        if not self.kaplan.painted:
            self.kaplan.painted = True
            self.call_after_refresh(self.kaplan.first_painted)

    async def on_screen_resume(self, _event: events.ScreenResume) -> None:
        if self._built_lang != self.lang:
            self._stale = False
            await self.language_changed()
        elif self._stale:
            self._stale = False
            self.refresh_view()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.kaplan.on_worker_state_changed(event)

    def refresh_view(self) -> None:
        """Redraw everything from the workspace (called only once it is open)."""

    def focus_record(self, record_id: str) -> None:
        """Show the record with ``record_id`` (from the palette)."""

    def workspace_changed(self, kinds: set[str]) -> None:
        """Records of ``kinds`` changed on disk (saved here or by another process)."""
        if self.is_current:
            self.refresh_view()
        else:
            self._stale = True

    async def language_changed(self) -> None:
        """The UI language changed: rebuild every label."""
        self.sub_title = self.t(f"ui.screen.{self.MODE}")
        self.remember_state()
        # The rebuilt widgets are new ones: give focus back to the one that had it (by id), or
        # the next key typed into, say, the goal statement would go to the screen's bindings.
        focused = self.focused.id if self.focused is not None else None
        cursor = self.focused.cursor_position if isinstance(self.focused, Input) else None
        await self.recompose()
        if self.kaplan.ready:
            self.refresh_view()
        if focused is not None:
            for widget in self.query(f"#{focused}"):
                widget.focus()
                if isinstance(widget, Input) and cursor is not None:
                    # after the focus event, which selects all the text (typing would replace it)
                    self.call_after_refresh(setattr, widget, "cursor_position", cursor)

    def remember_state(self) -> None:
        """Keep what the user typed before widgets are rebuilt (language switch)."""
