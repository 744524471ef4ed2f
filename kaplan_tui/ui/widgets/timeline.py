"""A terminal chart of a goal: target trajectory, actual check-ins and the projection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text


@dataclass(frozen=True)
class TimelineData:
    """What to draw; every value comes from the planning engine."""

    start: dt.date
    deadline: dt.date
    expected: Callable[[dt.date], float | None]
    """The target trajectory's value on a date."""
    actuals: Sequence[tuple[dt.date, float]]
    projection: float | None
    target: float | None
    label: Callable[[float], str]
    """How to print a value on the axis."""
    styles: dict[str, str]
    """Styles for ``target``, ``actual``, ``projection``, ``axis``."""


class TimelineChart:
    """A rich renderable that fills the width it is given."""

    def __init__(self, data: TimelineData, height: int = 8) -> None:
        self.data = data
        self.height = max(height, 4)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        data = self.data
        axis_w = 8
        width = max(options.max_width - axis_w - 1, 10)
        days = max((data.deadline - data.start).days, 1)

        def day_at(col: int) -> dt.date:
            return data.start + dt.timedelta(days=round(days * col / (width - 1)))

        def col_of(day: dt.date) -> int:
            return max(0, min(width - 1, round((day - data.start).days / days * (width - 1))))

        expected = [data.expected(day_at(c)) for c in range(width)]
        values = [v for v in expected if v is not None]
        values += [v for _, v in data.actuals]
        values += [v for v in (data.projection, data.target) if v is not None]
        if not values:
            yield Text("-")
            return
        low, high = min(0.0, *values), max(values)
        if high == low:
            high = low + 1
        rows = self.height

        def row_of(value: float) -> int:
            return rows - 1 - round((value - low) / (high - low) * (rows - 1))

        grid = [[(" ", "")] * width for _ in range(rows)]
        for c, value in enumerate(expected):
            if value is not None:
                grid[row_of(value)][c] = ("·", data.styles["target"])
        if data.actuals and data.projection is not None:
            last_day, last_value = data.actuals[-1]
            c0, c1 = col_of(last_day), width - 1
            for c in range(c0 + 1, c1 + 1):
                share = (c - c0) / max(c1 - c0, 1)
                value = last_value + (data.projection - last_value) * share
                grid[row_of(value)][c] = ("╌", data.styles["projection"])
            grid[row_of(data.projection)][c1] = ("◆", data.styles["projection"])
        for day, value in data.actuals:
            grid[row_of(value)][col_of(day)] = ("●", data.styles["actual"])
        for r in range(rows):
            value = high - (high - low) * r / (rows - 1)
            line = Text(
                f"{data.label(value):>{axis_w}}│"
                if r in (0, rows - 1, rows // 2)
                else " " * axis_w + "│",
                style=data.styles["axis"],
            )
            for char, style in grid[r]:
                line.append(char, style=style)
            yield line
        footer = Text(" " * axis_w + "└" + "─" * width, style=data.styles["axis"])
        yield footer
        first, last = data.start.strftime("%Y-%m"), data.deadline.strftime("%Y-%m")
        yield Text(
            " " * (axis_w + 1) + first + " " * max(width - len(first) - len(last), 1) + last,
            style=data.styles["axis"],
        )
