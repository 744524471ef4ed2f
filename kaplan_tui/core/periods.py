"""Period labels used in purchase history and roll-ups: ``2025``, ``2025-H1``, ``2025-Q3``,
``2025-07``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

_PERIOD = re.compile(r"^(\d{4})(?:-(?:(Q[1-4])|(H[12])|(0[1-9]|1[0-2])))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period: a year, a half, a quarter or a month."""

    start: date
    end: date
    label: str

    @property
    def kind(self) -> str:
        """``year``, ``half``, ``quarter`` or ``month``."""
        if "-Q" in self.label:
            return "quarter"
        if "-H" in self.label:
            return "half"
        return "month" if "-" in self.label else "year"

    @property
    def year(self) -> int:
        """The calendar year the period lies in."""
        return self.start.year


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


@lru_cache(maxsize=4096)
def parse_period(label: str) -> Period:
    """Parse a period label.

    Raises:
        ValueError: ``label`` is not ``YYYY``, ``YYYY-Hn``, ``YYYY-Qn`` or ``YYYY-MM``.
    """
    m = _PERIOD.match(label)
    if not m:
        raise ValueError(
            f"{label!r} is not a period label (expected YYYY, YYYY-H1, YYYY-Q3 or YYYY-07)"
        )
    year = int(m.group(1))
    if m.group(2):
        q = int(m.group(2)[1])
        return Period(date(year, 3 * q - 2, 1), _month_end(year, 3 * q), label)
    if m.group(3):
        h = int(m.group(3)[1])
        return Period(date(year, 6 * h - 5, 1), _month_end(year, 6 * h), label)
    if m.group(4):
        month = int(m.group(4))
        return Period(date(year, month, 1), _month_end(year, month), label)
    return Period(date(year, 1, 1), date(year, 12, 31), label)


def quarter_label(day: date) -> str:
    """The quarter label (``2025-Q3``) of ``day``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def month_end(year: int, month: int) -> date:
    """The last day of ``month`` in ``year``."""
    return _month_end(year, month)
