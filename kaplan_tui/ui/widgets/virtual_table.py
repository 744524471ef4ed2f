"""A table that renders only the rows on screen, so 10k accounts paint as fast as 10.

The built-in ``DataTable`` measures every cell before its first paint (1.6 s at 10k rows,
reliability.md §3.2). This widget knows each column's width up front and renders lines on
demand through the Line API. Cells are ``rich.text.Text`` (never parsed as markup) and are
measured in terminal cells, so Chinese text stays aligned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kaplan_tui.core.text import clean_line


@dataclass(frozen=True)
class Column:
    """A column: its key, header label, width in cells and alignment."""

    key: str
    label: str
    width: int
    justify: Literal["left", "right", "center"] = "left"


class Row:
    """A row: its key (a record id) and one cell per column.

    The cells may be given as a function that makes them: it is called when the row is first
    drawn, so a table of 10k rows builds only the cells scrolled into view.
    """

    __slots__ = ("_cells", "_make", "key")

    def __init__(self, key: str, cells: Sequence[Text] | Callable[[], Sequence[Text]]) -> None:
        self.key = key
        self._cells: tuple[Text, ...] | None = None
        self._make: Callable[[], Sequence[Text]] | None = None
        if callable(cells):
            self._make = cells
        else:
            self._cells = tuple(cells)

    @property
    def cells(self) -> tuple[Text, ...]:
        """The cells, one per column."""
        if self._cells is None:
            assert self._make is not None
            self._cells, self._make = tuple(self._make()), None
        return self._cells

    def __repr__(self) -> str:
        return f"Row({self.key!r})"


def cell(text: str, style: str = "") -> Text:
    """A cell from user text: one line, control characters removed, never markup."""
    return Text(clean_line(text), style=style, no_wrap=True, end="")


class VirtualTable(ScrollView, can_focus=True):
    """Rows of cells under a fixed header, with a row cursor."""

    HELP = "Move with the arrow keys, page up/down, home and end; enter opens the row."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "keys.up", show=False),
        Binding("down", "cursor(1)", "keys.down", show=False),
        Binding("pageup", "page(-1)", "keys.page_up", show=False),
        Binding("pagedown", "page(1)", "keys.page_down", show=False),
        Binding("home", "jump(0)", "keys.first", show=False),
        Binding("end", "jump(-1)", "keys.last", show=False),
        Binding("enter", "select", "keys.open", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--odd",
    }

    DEFAULT_CSS = """
    VirtualTable {
        height: 1fr;
        background: $surface;
    }
    VirtualTable > .virtual-table--header {
        text-style: bold;
        background: $panel;
        color: $foreground;
    }
    VirtualTable > .virtual-table--cursor {
        background: $primary 40%;
    }
    VirtualTable:focus > .virtual-table--cursor {
        background: $primary 70%;
    }
    VirtualTable > .virtual-table--odd {
        background: $boost;
    }
    """

    cursor_row: reactive[int] = reactive(0, init=False)
    """Index of the highlighted row."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another row."""

        table: VirtualTable
        key: str | None

        @property
        def control(self) -> VirtualTable:
            """The table that sent the message (for ``@on`` selectors)."""
            return self.table

    @dataclass
    class Selected(Message):
        """The user pressed enter on a row."""

        table: VirtualTable
        key: str

        @property
        def control(self) -> VirtualTable:
            """The table that sent the message (for ``@on`` selectors)."""
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.columns: list[Column] = []
        self.rows: list[Row] = []
        self._cache: dict[tuple[int, bool, int], Strip] = {}

    # --- data ---------------------------------------------------------------------------

    def set_data(
        self, columns: Sequence[Column], rows: Sequence[Row], *, keep_key: str | None = None
    ) -> None:
        """Replace all columns and rows; the cursor stays on ``keep_key`` if it is still there."""
        self.columns = list(columns)
        self.rows = list(rows)
        self._cache.clear()
        width = sum(c.width + 1 for c in self.columns)
        self.virtual_size = Size(width, len(self.rows) + 1)
        index = 0
        if keep_key is not None:
            index = next((i for i, r in enumerate(self.rows) if r.key == keep_key), 0)
        self.set_reactive(VirtualTable.cursor_row, min(index, max(len(self.rows) - 1, 0)))
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor_key))

    @property
    def cursor_key(self) -> str | None:
        """The key of the highlighted row."""
        if 0 <= self.cursor_row < len(self.rows):
            return self.rows[self.cursor_row].key
        return None

    # --- rendering ----------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        if y == 0:
            strip = self._header_strip()
        else:
            index = scroll_y + y - 1
            if index >= len(self.rows):
                return Strip.blank(width, self.rich_style)
            key = (index, index == self.cursor_row, scroll_x)
            strip = self._cache.get(key) or self._row_strip(index)
            if len(self._cache) > 2000:
                self._cache.clear()
            self._cache[key] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _fit(self, text: Text, column: Column) -> Text:
        fitted = text.copy()
        fitted.truncate(column.width, overflow="ellipsis")
        pad = column.width - fitted.cell_len
        if pad > 0:
            if column.justify == "right":
                fitted = Text(" " * pad) + fitted
            elif column.justify == "center":
                fitted = Text(" " * (pad // 2)) + fitted + Text(" " * (pad - pad // 2))
            else:
                fitted.pad_right(pad)
        return fitted

    def _strip(self, texts: Sequence[Text], base: Style) -> Strip:
        line = Text(" ").join(
            self._fit(text, col) for text, col in zip(texts, self.columns, strict=False)
        )
        line.append(" ")
        segments = [
            Segment(seg.text, base + seg.style if seg.style else base)
            for seg in line.render(self.app.console)
            if seg.text != "\n"
        ]
        return Strip(segments)

    def _header_strip(self) -> Strip:
        style = self.get_component_rich_style("virtual-table--header")
        labels = [Text(c.label) for c in self.columns]
        return self._strip(labels, style)

    def _row_strip(self, index: int) -> Strip:
        base = self.rich_style
        if index == self.cursor_row:
            base = base + self.get_component_rich_style("virtual-table--cursor")
        elif index % 2:
            base = base + self.get_component_rich_style("virtual-table--odd")
        return self._strip(self.rows[index].cells, base)

    # --- cursor -------------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._cache = {k: v for k, v in self._cache.items() if k[0] not in (old, new)}
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor_key))

    def _scroll_cursor_into_view(self) -> None:
        visible = max(self.size.height - 1, 1)
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def move_to(self, index: int) -> None:
        """Put the cursor on row ``index`` (clamped)."""
        if self.rows:
            self.cursor_row = max(0, min(index, len(self.rows) - 1))

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor_row + direction * max(self.size.height - 2, 1))

    def action_jump(self, where: int) -> None:
        self.move_to(where if where >= 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        if self.cursor_key is not None:
            self.post_message(self.Selected(self, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return
        index = int(self.scroll_y) + offset.y - 1
        if index < len(self.rows):
            if index == self.cursor_row and event.chain == 2:
                self.action_select()
            self.move_to(index)

    def on_resize(self) -> None:
        self._cache.clear()
