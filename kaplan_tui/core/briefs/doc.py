"""A small markdown builder: headings, paragraphs, lists, GFM tables and Mermaid charts.

Everything handed to it must already be safe markdown (user text through
:mod:`kaplan_tui.core.briefs.escape`); the builder only lays the blocks out, the same way every
time, so equal input gives equal bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from kaplan_tui.core.briefs.escape import mermaid_label

Align = Literal["left", "right", "center"]

_RULE: dict[Align, str] = {"left": "---", "right": "---:", "center": ":---:"}


class Doc:
    """Markdown blocks in order; :meth:`render` joins them with blank lines."""

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def heading(self, level: int, text: str) -> None:
        """A heading of ``level`` (1-6) with safe inline ``text``."""
        self.blocks.append(f"{'#' * level} {text}")

    def para(self, text: str) -> None:
        """A paragraph of safe markdown (skipped when empty)."""
        if text:
            self.blocks.append(text)

    def bullets(self, items: Sequence[str], indent: int = 0) -> None:
        """A bullet list; an item may hold hard-broken continuation lines."""
        pad = " " * indent
        lines = []
        for item in items:
            first, *rest = item.split("\n")
            lines.append(f"{pad}- {first}")
            lines.extend(f"{pad}  {line}" for line in rest)
        if lines:
            self.blocks.append("\n".join(lines))

    def quote(self, text: str) -> None:
        """A block quote around safe markdown lines."""
        if text:
            self.blocks.append("\n".join(f"> {line}" if line else ">" for line in text.split("\n")))

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        align: Sequence[Align] | None = None,
    ) -> None:
        """A GFM table. Cells must be one line; ``|`` inside them must already be escaped."""
        if not rows:
            return
        width = len(header)
        aligns: list[Align] = list(align) if align is not None else ["left"] * width
        out = [_row(header), "|" + "|".join(_RULE[a] for a in aligns) + "|"]
        for row in rows:
            if len(row) != width:
                raise ValueError(f"a table row has {len(row)} cells, the header {width}")
            out.append(_row(row))
        self.blocks.append("\n".join(out))

    def raw(self, block: str) -> None:
        """A block of safe markdown exactly as given."""
        self.blocks.append(block)

    def render(self) -> str:
        """The document: blocks separated by one blank line, ending with one newline."""
        return "\n\n".join(b.rstrip("\n") for b in self.blocks) + "\n"


def _row(cells: Sequence[str]) -> str:
    for c in cells:
        if "\n" in c:
            raise ValueError("a table cell cannot hold a line break")
    return "| " + " | ".join(cells) + " |"


# --- charts -------------------------------------------------------------------------------------

BAR_WIDTH = 10


def text_bar(ratio: float | None, width: int = BAR_WIDTH) -> str:
    """A bar of ``width`` blocks, filled by ``ratio`` (0-1; more shows full): ``███░░░░░░░``."""
    if ratio is None or not math.isfinite(ratio):
        return "░" * width
    filled = round(min(max(ratio, 0.0), 1.0) * width)
    return "█" * filled + "░" * (width - filled)


def _plain(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _nice_ceiling(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 or 10 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value:
            return step * power
    return 10 * power


def xychart(
    *,
    title: str,
    x_labels: Sequence[str],
    y_label: str,
    bar: Sequence[float] | None = None,
    line: Sequence[float] | None = None,
) -> str:
    """A Mermaid ``xychart-beta`` block: bars (actuals) and a line (the plan) over ``x_labels``.

    Labels are reduced to characters Mermaid treats as text; values are plain numbers.
    """
    series = [s for s in (bar, line) if s is not None]
    for s in series:
        if len(s) != len(x_labels):
            raise ValueError("each chart series needs one value per x label")
    values = [v for s in series for v in s if math.isfinite(v)]
    top = _nice_ceiling(max(values, default=0.0))
    low = min(values, default=0.0)
    bottom = 0.0 if low >= 0 else -_nice_ceiling(-low)
    labels = ", ".join(f'"{mermaid_label(x, 16)}"' for x in x_labels)
    out = [
        "```mermaid",
        "xychart-beta",
        f'    title "{mermaid_label(title, 60)}"',
        f"    x-axis [{labels}]",
        f'    y-axis "{mermaid_label(y_label, 20)}" {_plain(bottom)} --> {_plain(top)}',
    ]
    if bar is not None:
        out.append(f"    bar [{', '.join(_plain(v) for v in bar)}]")
    if line is not None:
        out.append(f"    line [{', '.join(_plain(v) for v in line)}]")
    out.append("```")
    return "\n".join(out)
