"""The goal statement box: an Input that underlines the lint's problem spans as it is typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.highlighter import Highlighter
from rich.text import Text
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

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
    """An Input whose size never depends on its text, so typing lays nothing out again."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0))
    """Input sets its virtual size to the text's width on every change. ``Widget`` declares
    it with ``layout=True``, and one layout of the screen per keystroke repaints every
    scrollbar on it (the goal tree's, the field list's): thousands of bytes per key. This box
    is sized by CSS, and scrolling reads the virtual size directly, so a repaint is enough."""
