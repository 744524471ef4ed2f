"""Sharing: pick an audience and a language, preview the markdown brief, export it."""

from __future__ import annotations

from typing import ClassVar

from rich.markdown import Markdown
from rich.segment import Segment, SegmentLines
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Select, Static
from textual.worker import get_current_worker

from kaplan_tui.core.briefs import (
    AUDIENCES,
    Audience,
    Brief,
    BriefOptions,
    BriefStopped,
    render_brief,
)
from kaplan_tui.core.models import Account, Bilingual, Person, Team
from kaplan_tui.core.text import clean_line
from kaplan_tui.i18n import Lang
from kaplan_tui.storage.briefs import briefs_folder, read_glossary, write_brief
from kaplan_tui.ui.screens.base import KaplanScreen


def sections(markdown: str) -> list[str]:
    """A brief cut before each second-level heading outside code blocks, to be typeset in
    parts: such a heading ends every block above it, so the parts typeset apart and joined by a
    blank line give the same lines as the whole (a test checks it on every golden brief).

    A code block ends as CommonMark says: at a fence of the same character at least as long
    as the one that opened it (a brief puts user text inside a fence longer than any run of
    backticks in it).
    """
    out: list[str] = []
    start = at = 0
    fence = ""
    for line in markdown.splitlines(keepends=True):
        text = line.rstrip("\r\n")
        bare = text.lstrip(" ")
        indent = len(text) - len(bare)
        if fence:
            if indent <= 3 and bare.startswith(fence) and not bare.lstrip(fence[0]).strip():
                fence = ""
        elif indent <= 3 and bare.startswith(("```", "~~~")):
            fence = bare[: len(bare) - len(bare.lstrip(bare[0]))]
        elif text.startswith("## ") and at > start:
            out.append(markdown[start:at])
            start = at
        at += len(line)
    out.append(markdown[start:])
    return out


class SharingScreen(KaplanScreen):
    """The brief preview and its export to the workspace's ``briefs/`` folder."""

    MODE = "sharing"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "export", "keys.export"),
        Binding("a", "focus('#audience')", "keys.audience", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.audience: Audience = "team"
        self.subject: str | None = None
        self.brief_lang: str | None = None
        self.brief: Brief | None = None
        self.overwrite_armed: str | None = None
        self._request = 0
        """Grows with every brief asked for: only the latest one asked for is shown."""

    def compose_body(self) -> ComposeResult:
        with Vertical(id="share-body"):
            with Horizontal(id="share-controls"):
                yield Select(
                    [(self.t(f"ui.share.audience_{a}"), a) for a in AUDIENCES],
                    value=self.audience,
                    allow_blank=False,
                    id="audience",
                )
                yield Select(
                    [], id="subject", allow_blank=True, prompt=self.t("ui.share.subject_prompt")
                )
                yield Select(
                    [("中文", "zh"), ("English", "en")],
                    value=self.brief_lang or self.lang,
                    allow_blank=False,
                    id="brief-lang",
                )
            yield Static(id="share-status", markup=False)
            with VerticalScroll(id="preview") as preview:
                preview.HELP_KEY = "ui.help.sharing"  # type: ignore[attr-defined]
                yield Static(id="preview-text")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#audience", Select).focus()

    def _subjects(self) -> list[tuple[str, str]]:
        ws, lang = self.workspace, self.lang
        classes: dict[str, type[Bilingual]] = {"team": Team, "person": Person, "account": Account}
        cls = classes.get(self.audience)
        if cls is None:
            return []
        return [(clean_line(r.display_name(lang)), r.id) for r in ws.all(cls)]

    def refresh_view(self) -> None:
        subject = self.query_one("#subject", Select)
        options = self._subjects()
        with self.prevent(Select.Changed):
            subject.set_options(options)
            subject.disabled = not options
            ids = [v for _, v in options]
            if self.subject not in ids:
                self.subject = ids[0] if ids and self.audience != "team" else None
            subject.value = self.subject if self.subject else Select.NULL
        self.render_preview()

    @on(Select.Changed, "#audience")
    def _audience(self, event: Select.Changed) -> None:
        self.audience = event.value  # type: ignore[assignment]
        self.subject = None
        self.refresh_view()

    @on(Select.Changed, "#subject")
    def _subject(self, event: Select.Changed) -> None:
        self.subject = event.value if isinstance(event.value, str) else None
        self.render_preview()

    @on(Select.Changed, "#brief-lang")
    def _lang(self, event: Select.Changed) -> None:
        self.brief_lang = str(event.value)
        self.render_preview()

    def brief_options(self) -> BriefOptions:
        """Language, date and glossary of the brief, from the controls and the workspace."""
        lang: Lang = "en" if (self.brief_lang or self.lang) == "en" else "zh"
        return BriefOptions(
            lang=lang, as_of=self.kaplan.today, glossary=read_glossary(self.workspace.root)
        )

    def render_preview(self) -> None:
        """Render the brief in a worker and show it (exactly what export writes)."""
        self._request += 1
        self.brief = None  # nothing to export until the brief asked for is shown
        self.query_one("#share-status", Static).update(self.t("ui.share.rendering"))
        self._render_brief(
            self._request,
            self.audience,
            self.subject,
            self.brief_options(),
            max(self.size.width - 2, 40),
            self.size.height,
        )

    @work(thread=True, exclusive=True, group="preview", exit_on_error=False)
    def _render_brief(
        self,
        request: int,
        audience: Audience,
        subject: str | None,
        options: BriefOptions,
        width: int,
        height: int,
    ) -> None:
        """Render and lay out off the UI thread: a whole-organisation brief can be long.

        A newer request cancels this worker, but a thread cannot be stopped from outside: the
        brief asks before each goal whether it is still wanted, and gives up if not, so that
        the brief asked for next does not wait for it (a whole organisation's brief of a 10k
        workspace takes seconds).
        """
        worker = get_current_worker()
        # SMART verdicts kept by earlier briefs and `kaplan check` runs are used, and this
        # brief's are kept (in this worker's thread only: not the goal editor's keystrokes).
        try:
            with self.workspace.lint_results().in_use():
                brief = render_brief(
                    self.workspace.snapshot(),
                    audience,
                    subject=subject,
                    options=options,
                    stop=lambda: worker.is_cancelled,
                )
        except BriefStopped:
            return
        except (LookupError, ValueError, OSError) as exc:
            self.app.call_from_thread(self._show, request, None, clean_line(str(exc)), None)
            return
        # Typesetting is slower than rendering: 1.9 s for a 100-person team's brief of 7,800
        # lines. It goes section by section, and the first screenful is shown at once.
        console = self.app.console
        layout = console.options.update(width=width)
        lines: list[list[Segment]] = []
        first_shown = False
        for i, section in enumerate(sections(brief.markdown)):
            if worker.is_cancelled:
                return
            if i:
                lines.append([])  # the blank line between blocks that one whole render puts
            # Links in a brief are plain text by construction; hyperlinks are off all the same.
            lines += console.render_lines(Markdown(section, hyperlinks=False), layout, pad=False)
            if not first_shown and len(lines) >= height:
                first_shown = True
                typeset = SegmentLines(list(lines), new_lines=True)
                self.app.call_from_thread(self._show, request, brief, None, typeset)
        typeset = SegmentLines(lines, new_lines=True)
        self.app.call_from_thread(self._show, request, brief, None, typeset)

    def _show(
        self,
        request: int,
        brief: Brief | None,
        error: str | None,
        typeset: SegmentLines | None,
    ) -> None:
        if request != self._request:
            return  # the brief of an earlier choice, finished after the latest was asked for
        if brief is not self.brief:  # not the rest of the same brief's preview
            self.overwrite_armed = None
        self.brief = brief
        status = self.query_one("#share-status", Static)
        status.update(
            (error or "") if brief is None else self.t("ui.share.status", name=brief.file_name)
        )
        self.query_one("#preview-text", Static).update(typeset or "")

    def on_resize(self) -> None:
        if self.is_mounted and self.query("#preview-text"):
            self.render_preview()

    def focus_record(self, record_id: str) -> None:
        self.audience, self.subject = "person", record_id
        with self.prevent(Select.Changed):
            self.query_one("#audience", Select).value = "person"
        self.refresh_view()

    def remember_state(self) -> None:
        value = self.query_one("#brief-lang", Select).value
        self.brief_lang = value if isinstance(value, str) else None

    def action_export(self) -> None:
        if self.brief is None:
            self.app.bell()
            return
        force = self.overwrite_armed == self.brief.file_name
        self._export(self.brief, force)

    @work(thread=True, group="storage", exit_on_error=False)
    def _export(self, brief: Brief, force: bool) -> None:
        try:
            path = briefs_folder(self.workspace.root) / brief.file_name
            write_brief(path, brief.markdown.encode("utf-8"), force=force)
        except FileExistsError:
            self.app.call_from_thread(self._arm_overwrite, brief.file_name)
            return
        except OSError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(
            self.notify, self.t("ui.share.exported", path=str(path)), markup=False
        )

    def _arm_overwrite(self, name: str) -> None:
        self.overwrite_armed = name
        self.notify(self.t("ui.share.exists", name=name), severity="warning", markup=False)
