"""Text in a region of fixed size that repaints only the cells that changed.

The goal editor redraws its SMART strip and its diagnostics on every keystroke; most keys
change a mark or one line, or nothing. A ``Static`` would repaint (and, by default, lay out)
the whole region each time; this widget sends the terminal only the changed cells.
"""

from __future__ import annotations

from itertools import zip_longest

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

Cell = tuple[str, Style | None]
"""One terminal cell: its character ("" for the right half of a wide one) and style."""


def _cells(strip: Strip | None, width: int) -> list[Cell]:
    """The cells of ``strip``, padded with blanks to ``width``."""
    cells: list[Cell] = []
    for segment in strip or ():
        if segment.control:
            continue
        for char in segment.text:
            cells.append((char, segment.style))
            if cell_len(char) == 2:
                cells.append(("", segment.style))
    cells.extend([(" ", None)] * (width - len(cells)))
    return cells


def changed_span(old: Strip | None, new: Strip | None, width: int) -> tuple[int, int] | None:
    """The columns ``[start, end)`` where ``new`` differs from ``old``, widened so that no
    wide character (in either) is cut in half; None when they show the same."""
    before, after = _cells(old, width), _cells(new, width)
    size = max(len(before), len(after))
    before.extend([(" ", None)] * (size - len(before)))
    after.extend([(" ", None)] * (size - len(after)))
    differ = [x for x in range(size) if before[x] != after[x]]
    if not differ:
        return None
    start, end = differ[0], differ[-1] + 1
    while start > 0 and (before[start][0] == "" or after[start][0] == ""):
        start -= 1
    while end < size and (before[end][0] == "" or after[end][0] == ""):
        end += 1
    return start, end


class SteadyText(Widget):
    """Rich text in a region whose size does not depend on it (set the height in CSS).

    :meth:`show` lays nothing out and repaints only the cells whose character or style
    changed; text that does not fit is cut at the bottom.
    """

    DEFAULT_CSS = """
    SteadyText {
        height: 1;
    }
    """

    def __init__(
        self,
        *,
        id: str | None = None,  # noqa: A002 - Textual's name for it
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self._text = Text()
        self._rows: list[Strip] = []
        """The rows as last shown, to compare the next text with."""
        self._rows_size = (0, 0)

    @property
    def content(self) -> Text:
        """The text shown."""
        return self._text

    def render(self) -> Text:
        return self._text

    def _render_rows(self, width: int, height: int) -> list[Strip]:
        visual = visualize(self, self._text, markup=False)
        return Visual.to_strips(self, visual, width, height, self.visual_style)[:height]

    def show(self, text: Text) -> None:
        """Show ``text``, repainting only what changed."""
        if text == self._text:
            return
        self._text = text
        width, height = self.size
        if not self.is_mounted or not width or not height:
            self.refresh()
            return
        rows = self._render_rows(width, height)
        if self._rows_size != (width, height):
            self.refresh()  # first time at this size: nothing to compare with
        else:
            for y, (old, new) in enumerate(zip_longest(self._rows, rows)):
                changed = changed_span(old, new, width)
                if changed is not None:
                    start, end = changed
                    self.refresh(Region(start, y, end - start, 1))
        self._rows, self._rows_size = rows, (width, height)
