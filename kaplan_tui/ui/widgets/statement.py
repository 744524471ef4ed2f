"""The goal statement box: an Input that underlines the lint's problem spans as it is typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.highlighter import Highlighter
from rich.text import Text
from textual.geometry import Region, Size
from textual.reactive import Reactive, reactive
from textual.strip import Strip
from textual.widgets import Input
from textual.widgets.input import Selection

from kaplan_tui.ui.widgets.steady_text import changed_span

Span = tuple[int, int, str]
"""``(start, end, style)``: characters of the statement to mark, and how."""


class LintHighlighter(Highlighter):
    """Marks problem spans in the statement, asking for the spans of the very text drawn.

    Asking at drawing time (rather than being told after the Input's ``Changed`` message)
    means a keystroke draws the box once, with its marks, instead of twice.
    """

    def __init__(self, spans_for: Callable[[str], Sequence[Span]]) -> None:
        self.spans_for = spans_for
        """Gives the spans for a statement text."""
        self.spans: Sequence[Span] = ()
        """The spans of the text highlighted last."""

    def highlight(self, text: Text) -> None:
        self.spans = self.spans_for(text.plain)
        for start, end, style in self.spans:
            text.stylize(style, start, end)


class StatementInput(Input):
    """An Input whose typing lays nothing out and repaints only the cells that changed.

    A plain Input repaints its whole region (with a tall border, three rows across the
    editor) for each key, although only a few cells of the text row change.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), repaint=False)
    """Input sets its virtual size to the text's width on every change. ``Widget`` declares
    it with ``layout=True``, and one layout of the screen per keystroke repaints every
    scrollbar on it (the goal tree's, the field list's): thousands of bytes per key. This box
    is sized by CSS, and scrolling reads the virtual size directly (and repaints the box when
    it scrolls): nothing needs doing."""
    value: Reactive[str] = reactive("", init=False, repaint=False)
    """Input's, repainted by :meth:`watch_value` (only the changed cells)."""
    selection: Reactive[Selection] = reactive(Selection.cursor(0), repaint=False)
    """Input's (the cursor too), repainted by :meth:`watch_selection`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._drawn: Strip | None = None
        """The text row as last drawn."""
        self._repaint_pending = False

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if y == 0:
            self._drawn = strip
        return strip

    def watch_value(self) -> None:
        self._repaint_soon()

    def watch_selection(self) -> None:
        self._repaint_soon()

    def _repaint_soon(self) -> None:
        # A key changes the value and then the cursor: compare the row once, after both.
        if not self._repaint_pending:
            self._repaint_pending = True
            self.call_next(self.repaint_text_row)

    def repaint_text_row(self) -> None:
        """Repaint the cells of the text row that differ from the row as drawn (call it when
        the highlighter's marks change without the text). Everything else that changes the
        box (focus, blink, scrolling, size, style) repaints it whole, as in Input."""
        self._repaint_pending = False
        width = self.scrollable_content_region.width
        if self._drawn is None or not width:
            self.refresh()
            return
        changed = changed_span(self._drawn, super().render_line(0), width + 1)
        if changed is not None and changed[0] < width:
            start, end = changed
            self.refresh(Region(start, 0, min(end, width) - start, 1))
