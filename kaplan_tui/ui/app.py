"""The Kaplan Textual app: wiring only. Screens live in ``screens/``, widgets in ``widgets/``."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import signal
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from kaplan_tui.i18n import Lang, t
from kaplan_tui.locations import bundled, config_dir
from kaplan_tui.ui.screens.base import KaplanScreen
from kaplan_tui.ui.screens.help import HelpScreen
from kaplan_tui.ui.screens.segmentation import SegmentationScreen
from kaplan_tui.ui.themes import (
    DEFAULT_THEME,
    SMART_DEFAULTS,
    load_themes,
    read_choice,
    save_choice,
)
from kaplan_tui.ui.undo import Step, UndoStack

if TYPE_CHECKING:  # the models and the storage load after the first paint (see _open_worker)
    from textual.command import Provider

    from kaplan_tui.core.models import Record
    from kaplan_tui.storage import Change, ConflictError, Workspace
    from kaplan_tui.ui.screens.conflict import Choice

SCREENS = ("segmentation", "goals", "reviews", "sharing")
POLL_SECONDS = 2.0
"""How often the app looks for changes saved by other processes (one lstat per file)."""


class KaplanApp(App[None]):
    """A keyboard-driven workspace for planning key-account sales targets."""

    CSS_PATH = "app.tcss"
    COMMANDS: ClassVar = App.COMMANDS | {lambda: _records_provider()}
    MODES: ClassVar[dict[str, Callable[[], Screen[None]]]] = {  # type: ignore[assignment]
        # The first screen is imported with the app; the others (and the lint engine, the
        # brief renderer) load when first visited, or in the background after the first paint.
        "segmentation": SegmentationScreen,
        "goals": lambda: _screen("goals"),
        "reviews": lambda: _screen("reviews"),
        "sharing": lambda: _screen("sharing"),
    }
    DEFAULT_MODE = "segmentation"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "go('segmentation')", "keys.segmentation", id="go-segmentation"),
        Binding("2", "go('goals')", "keys.goals", id="go-goals"),
        Binding("3", "go('reviews')", "keys.reviews", id="go-reviews"),
        Binding("4", "go('sharing')", "keys.sharing", id="go-sharing"),
        Binding("question_mark,f1", "help", "keys.help", key_display="?", id="help"),
        Binding("ctrl+z", "undo", "keys.undo", show=False, id="undo"),
        Binding("ctrl+y", "redo", "keys.redo", show=False, id="redo"),
        Binding("ctrl+l", "toggle_language", "keys.language", show=False, id="language"),
        Binding("ctrl+q", "quit", "keys.quit", priority=True, id="quit"),
    ]

    lang: reactive[Lang] = reactive("zh", init=False)
    """The UI language, switchable at run time."""

    def __init__(
        self,
        root: Path,
        lang: Lang,
        today: dt.date | None = None,
        *,
        workspace: Workspace | None = None,
        name: str | None = None,
    ) -> None:
        """The app on the workspace folder ``root``.

        Args:
            workspace: the workspace, already open; when None (the CLI) it is opened in the
                background once the first frame is on the terminal, and the screens show
                "loading" until then.
            name: the workspace's name for the header while it loads.
        """
        super().__init__()
        self.root = root
        self._workspace = workspace
        self.today = today or dt.date.today()
        """The date reviews and scores are computed for (fixed in tests and snapshots)."""
        self.set_reactive(KaplanApp.lang, lang)
        self.undo_stack = UndoStack()
        self.themes_loaded = False
        """Set once the themes are registered; later theme changes are the user's choice."""
        self.painted = False
        """Set once the first screen has been drawn."""
        self.theme_errors: list[str] = []
        self._name: str = workspace.name if workspace is not None else (name or root.name)
        self._background_started = False
        self._pending_mode: str | None = None
        """A screen asked for (1-4) while the workspace was loading: shown once it is open."""
        self._choose_theme()
        self.title = self._name

    @property
    def ready(self) -> bool:
        """Whether the workspace is open (screens show "loading" until it is)."""
        return self._workspace is not None

    @property
    def workspace(self) -> Workspace:
        """The open workspace; screens read it through the storage API only."""
        if self._workspace is None:
            raise RuntimeError("the workspace is still loading (check KaplanApp.ready)")
        return self._workspace

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(SMART_DEFAULTS)

    def _choose_theme(self) -> None:
        """Register the themes and pick one, before the first paint so the CSS is read once."""
        themes, self.theme_errors = load_themes([bundled("themes"), config_dir() / "themes"])
        for theme in themes:
            self.register_theme(theme)
        # TEXTUAL_THEME names any registered theme, a user's own included; else the one chosen
        # last time from the palette; else Kaplan's.
        choice = os.environ.get("TEXTUAL_THEME") or read_choice(config_dir()) or DEFAULT_THEME
        if choice not in self.available_themes:
            choice = DEFAULT_THEME
        # Set without the watcher, whose work (reading every stylesheet again) is not needed
        # before the stylesheets are read the first time; only its side effects are.
        self.set_reactive(App.theme, choice)
        self.stylesheet.set_variables(self.get_css_variables())
        dark = self.current_theme.dark
        self.set_class(dark, "-dark-mode", update=False)
        self.set_class(not dark, "-light-mode", update=False)
        self.set_class(True, f"-theme-{choice}", update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.themes_loaded = True

    def on_mount(self) -> None:
        if self.theme_errors:
            self.notify(
                "\n".join(self.theme_errors),
                title=self.t("ui.app.theme_errors"),
                severity="warning",
                markup=False,
            )
        self.set_interval(POLL_SECONDS, self.poll_workspace)
        # A dropped SSH link sends SIGHUP: leave cleanly (every save is already on disk).
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.exit)

    def watch_theme(self, theme: str) -> None:
        if self.themes_loaded and not os.environ.get("TEXTUAL_THEME"):
            # A read-only home keeps the theme for this run only.
            with contextlib.suppress(OSError):
                save_choice(config_dir(), theme)

    def first_painted(self) -> None:
        """The first screen is on the terminal: open the workspace if that is still to do."""
        if self._workspace is None:
            self._open_worker()

    def data_shown(self) -> None:
        """The first screen shows the workspace's data: now do what can wait (in a thread that
        would otherwise compete for the interpreter with the first screen's own work)."""
        if not self._background_started:
            self._background_started = True
            self.call_after_refresh(self._background_start)

    @work(thread=True, group="startup", exit_on_error=False)
    def _open_worker(self) -> None:
        from kaplan_tui.storage import Workspace, WorkspaceError

        try:
            workspace = Workspace.open(self.root)
        except (WorkspaceError, OSError) as exc:
            self.call_from_thread(self.exit, return_code=2, message=str(exc))
            return
        except Exception as exc:  # a bug: say so rather than show "loading" for ever
            message = self.t("ui.app.open_failed", root=self.root, error=repr(exc))
            self.call_from_thread(self.exit, return_code=1, message=message)
            raise
        self.call_from_thread(self._opened, workspace)

    def _opened(self, workspace: Workspace) -> None:
        """The workspace is open: every screen draws from it."""
        self._workspace = workspace
        self.title = self._name = workspace.name
        from kaplan_tui.core.models import RECORD_TYPES

        for screen in self.screen_stack:
            if isinstance(screen, KaplanScreen):
                screen.workspace_changed(set(RECORD_TYPES))
        if self._pending_mode is not None:
            # through the message queue: this runs from a worker's call_from_thread, outside
            # the app's own message loop, where a new screen would get Mount before its children
            self.call_later(self.switch_mode, self._pending_mode)
            self._pending_mode = None

    @work(thread=True, group="startup", exit_on_error=False)
    def _background_start(self) -> None:
        _prewarm()
        if self.workspace.problems:  # loads every file once, off the UI thread
            self.call_from_thread(
                self.notify, self.t("ui.app.read_only"), severity="error", timeout=8
            )
        from kaplan_tui.core.lint.workspace import prepare

        prepare(self.workspace.snapshot())

    def t(self, key: str, **fields: object) -> str:
        """A catalogue message in the UI language."""
        return t(key, self.lang, **fields)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed says so (workers do not end the app on an error).

        The screens pass their workers' messages here too (they do not bubble).
        """
        if event.state == WorkerState.ERROR:
            self.notify(
                repr(event.worker.error),
                title=self.t("ui.app.worker_failed"),
                severity="error",
                timeout=15,
                markup=False,
            )

    # --- navigation ---------------------------------------------------------------------

    def action_go(self, mode: str) -> None:
        if mode not in SCREENS:
            return
        if self.ready:
            self.switch_mode(mode)
        else:
            self._pending_mode = mode

    def _screen_of(self, mode: str) -> KaplanScreen:
        self.switch_mode(mode)
        screen = self.screen
        assert isinstance(screen, KaplanScreen)
        return screen

    def go_to_account(self, account_id: str) -> None:
        """Show one account on the segmentation screen."""
        self.switch_mode("segmentation")
        self.call_after_refresh(lambda: self._screen_of("segmentation").focus_record(account_id))

    def go_to_goal(self, goal_id: str) -> None:
        """Open one goal in the goal editor."""
        self.switch_mode("goals")
        self.call_after_refresh(lambda: self._screen_of("goals").focus_record(goal_id))

    def go_to_person(self, person_id: str) -> None:
        """Show a person's brief on the sharing screen."""
        self.switch_mode("sharing")
        self.call_after_refresh(lambda: self._screen_of("sharing").focus_record(person_id))

    def action_help(self) -> None:
        focused = self.focused
        key = getattr(focused, "HELP_KEY", None) if focused else None
        self.push_screen(HelpScreen(self.screen, key, self.lang))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for mode in SCREENS:
            yield SystemCommand(
                self.t(f"ui.palette.go_{mode}"),
                self.t(f"ui.screen.{mode}"),
                partial(self.action_go, mode),
            )
        other = "en" if self.lang == "zh" else "zh"
        yield SystemCommand(
            self.t("ui.palette.language"), self.t(f"ui.lang.{other}"), self.action_toggle_language
        )
        yield SystemCommand(
            self.t("ui.palette.theme"), self.t("ui.palette.theme_help"), self.action_change_theme
        )
        yield SystemCommand(self.t("ui.palette.help"), self.t("ui.keys.help"), self.action_help)
        if screen.query("#statement"):
            yield SystemCommand(
                self.t("ui.palette.lint_now"), "", lambda: screen.run_action("lint_now")
            )
        yield SystemCommand(self.t("ui.palette.quit"), self.t("ui.keys.quit"), self.action_quit)

    # --- language and outside changes ---------------------------------------------------

    def action_toggle_language(self) -> None:
        self.lang = "en" if self.lang == "zh" else "zh"

    async def watch_lang(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, KaplanScreen):
                await screen.language_changed()
        self.refresh_bindings()

    def poll_workspace(self) -> None:
        """Reload what other processes saved; the screens redraw from fresh records."""
        if not self.ready:
            return
        changed = self.workspace.changed_kinds()
        if changed:
            for screen in self.screen_stack:
                if isinstance(screen, KaplanScreen):
                    screen.workspace_changed(set(changed))

    # --- saving, undo and conflicts -----------------------------------------------------

    def save(
        self,
        changes: list[Change],
        *,
        label: str,
        base: Record | None = None,
        then: Callable[[list[Record]], None] | None = None,
        undoable: bool = True,
    ) -> None:
        """Save ``changes`` in a worker; a conflict opens the theirs / mine / merge dialog.

        Args:
            base: for a single update, the record as it was when editing began (for merge).
            then: called with the stored records once saved.
        """
        self._save_worker(changes, label, base, then, undoable)

    @work(thread=True, group="storage", exit_on_error=False)
    def _save_worker(
        self,
        changes: list[Change],
        label: str,
        base: Record | None,
        then: Callable[[list[Record]], None] | None,
        undoable: bool,
    ) -> None:
        from kaplan_tui.storage import ConflictError, WorkspaceError

        befores = {
            c.record.id: self.workspace.get(type(c.record), c.record.id)
            for c in changes
            if c.record.id
        }
        try:
            stored = self.workspace.commit(changes)
        except ConflictError as exc:
            self.call_from_thread(self._on_conflict, exc, changes, label, base, then)
            return
        except WorkspaceError as exc:
            self.call_from_thread(
                self.notify,
                str(exc),
                title=self.t("ui.app.save_failed"),
                severity="error",
                markup=False,
            )
            return
        if undoable:
            for change, after in zip(changes, stored, strict=True):
                before = befores.get(change.record.id) if change.op != "create" else None
                self.undo_stack.push(Step(label, before, None if change.op == "delete" else after))
        self.call_from_thread(self._after_save, stored, then)

    def _after_save(
        self, stored: list[Record], then: Callable[[list[Record]], None] | None
    ) -> None:
        if then is not None:
            then(stored)
        kinds = {r.KIND for r in stored}
        for screen in self.screen_stack:
            if isinstance(screen, KaplanScreen):
                screen.workspace_changed(kinds)

    def _on_conflict(
        self,
        exc: ConflictError,
        changes: list[Change],
        label: str,
        base: Record | None,
        then: Callable[[list[Record]], None] | None,
    ) -> None:
        from kaplan_tui.core.merge import three_way
        from kaplan_tui.storage import Change
        from kaplan_tui.ui.screens.conflict import ConflictScreen

        mine = changes[0].record
        theirs = self.workspace.get(type(mine), mine.id)
        if len(changes) != 1 or theirs is None or base is None:
            self.notify(
                str(exc),
                title=self.t("ui.app.conflict"),
                severity="error",
                markup=False,
                timeout=10,
            )
            return
        merge = three_way(base, mine, theirs)

        def resolved(choice: Choice | None) -> None:
            if choice == "mine":
                self.save(
                    [Change("update", mine.model_copy(update={"rev": theirs.rev}))],
                    label=label,
                    then=then,
                )
            elif choice == "merge":
                merged = type(mine).model_validate(
                    {**merge.fields, "id": mine.id, "rev": theirs.rev}
                )
                self.save([Change("update", merged)], label=label, then=then)
            elif choice == "theirs" and then is not None:
                then([theirs])

        when = theirs.updated_at.strftime("%Y-%m-%d %H:%M") if theirs.updated_at else "?"
        self.push_screen(
            ConflictScreen(
                theirs.updated_by or "?", when, f"{mine.KIND} {mine.id}", merge, self.lang
            ),
            resolved,
        )

    def action_undo(self) -> None:
        self._undo_redo(
            self.undo_stack.done, self.undo_stack.undone, UndoStack.inverse, "ui.app.undone"
        )

    def action_redo(self) -> None:
        self._undo_redo(
            self.undo_stack.undone, self.undo_stack.done, UndoStack.forward, "ui.app.redone"
        )

    def _undo_redo(
        self,
        source: list[Step],
        target: list[Step],
        build: Callable[[Step, Record | None], list[Change]],
        message: str,
    ) -> None:
        if not source:
            self.bell()
            return
        step = source.pop()
        record = step.after or step.before
        assert record is not None
        current = self.workspace.get(type(record), record.id)

        def done(_stored: list[Record]) -> None:
            # Steps keep field values only; the rev is taken from the stored record each
            # time, so the same step can be undone and redone any number of times.
            target.append(step)
            self.notify(self.t(message, what=step.label), markup=False)

        self.save(build(step, current), label=step.label, then=done, undoable=False)


def _screen(mode: str) -> Screen[None]:
    """Build a mode's screen, importing its module on first use."""
    if mode == "goals":
        from kaplan_tui.ui.screens.goals import GoalsScreen

        return GoalsScreen()
    if mode == "reviews":
        from kaplan_tui.ui.screens.reviews import ReviewsScreen

        return ReviewsScreen()
    from kaplan_tui.ui.screens.sharing import SharingScreen

    return SharingScreen()


def _records_provider() -> type[Provider]:
    """The palette's accounts / goals / people provider (imported when the palette opens)."""
    from kaplan_tui.ui.commands import RecordsProvider

    return RecordsProvider


def _prewarm() -> None:
    """Import what the other screens need, off the UI thread, so switching is quick."""
    import kaplan_tui.core.briefs
    import kaplan_tui.core.lint
    import kaplan_tui.ui.screens.goals
    import kaplan_tui.ui.screens.reviews
    import kaplan_tui.ui.screens.sharing

    kaplan_tui.core.lint.compile_patterns()  # else the first keystroke's lint compiles them


def make_app(
    workspace: Path, *, lang: Lang | None = None, today: dt.date | None = None
) -> KaplanApp:
    """Build the app on the workspace folder at ``workspace``, opened now (the tests' way; the
    CLI builds :class:`KaplanApp` with the folder only, so it paints before loading).

    Raises:
        NotAWorkspaceError: the folder holds no workspace.
    """
    from kaplan_tui.storage import Workspace

    ws = Workspace.open(workspace)
    return KaplanApp(ws.root, lang or ws.settings.language, today, workspace=ws)
