"""Reading an account's purchase history by year and quarter without counting a sale twice.

Purchase history is keyed by period labels of any kind (``2025``, ``2025-H1``, ``2025-Q3``,
``2025-07``). A CRM export may hold a year total *and* its quarters; adding every label would
double the year. These helpers take the coarsest labels first and add a finer label only where
no coarser one already covers it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from functools import lru_cache

from kaplan_tui.core.periods import Period, parse_period

_KIND_ORDER = {"year": 0, "half": 1, "quarter": 2, "month": 3}


@lru_cache(maxsize=4096)
def _period(label: str) -> Period:
    # a workspace holds few distinct labels but thousands of accounts: parse each label once
    return parse_period(label)


@lru_cache(maxsize=4096)
def _covering(label: str) -> tuple[str, ...]:
    """The coarser labels that contain the period ``label`` (its year, half and quarter)."""
    period = _period(label)
    y, m = period.year, period.start.month
    out = {"half": (str(y),), "quarter": (str(y), f"{y}-H{(m - 1) // 6 + 1}")}
    month = (str(y), f"{y}-H{(m - 1) // 6 + 1}", f"{y}-Q{(m - 1) // 3 + 1}")
    return out.get(period.kind, month if period.kind == "month" else ())


def _non_overlapping(history: Mapping[str, float]) -> tuple[tuple[Period, float], ...]:
    """The periods of ``history``, coarsest first, dropping any a kept period already covers."""
    return _non_overlapping_items(tuple(history.items()))


@lru_cache(maxsize=16384)
def _non_overlapping_items(
    items: tuple[tuple[str, float], ...],
) -> tuple[tuple[Period, float], ...]:
    # scoring reads each account's history several times (three years, frequency): keep the work
    ordered = sorted(items, key=lambda kv: (_KIND_ORDER[_period(kv[0]).kind], _period(kv[0]).start))
    kept: list[tuple[Period, float]] = []
    kept_labels: set[str] = set()
    for label, amount in ordered:
        if any(c in kept_labels for c in _covering(label)):
            continue
        kept_labels.add(label)
        kept.append((_period(label), amount))
    return tuple(kept)


def revenue_in_year(history: Mapping[str, float], year: int) -> float | None:
    """What was bought in calendar ``year``, or None when the history says nothing of it.

    Args:
        history: purchase history by period label.
        year: the calendar year.

    Returns:
        The sum of the non-overlapping periods lying in ``year``; None if none does.
    """
    found = [amount for period, amount in _non_overlapping(history) if period.year == year]
    return sum(found) if found else None


def quarters_in_year(history: Mapping[str, float], year: int) -> dict[int, float] | None:
    """What was bought in each quarter of ``year`` (1-4), or None if the history is not that fine.

    Months are added into their quarter. A year or half label cannot be split, so a year recorded
    only that way has no quarterly shape and gives None. Quarters with no label count 0 when at
    least one quarter or month of the year is known.
    """
    out = {1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0}
    seen = False
    for period, amount in _non_overlapping(history):
        if period.year != year:
            continue
        if period.kind in ("year", "half"):
            return None
        out[(period.start.month - 1) // 3 + 1] += amount
        seen = True
    return out if seen else None


def active_quarters(history: Mapping[str, float], years: Iterable[int]) -> int:
    """How many quarters of ``years`` had a purchase.

    A month or quarter marks its quarter; a half marks its two quarters and a year its four,
    because the history cannot tell which of them the sale fell in.
    """
    wanted = set(years)
    marked: set[tuple[int, int]] = set()
    for period, amount in _non_overlapping(history):
        if amount <= 0 or period.year not in wanted:
            continue
        first = (period.start.month - 1) // 3 + 1
        last = (period.end.month - 1) // 3 + 1
        marked.update((period.year, q) for q in range(first, last + 1))
    return len(marked)


def latest_year(histories: Iterable[Mapping[str, float]]) -> int | None:
    """The latest calendar year any of ``histories`` mentions."""
    years = [_period(label).year for h in histories for label in h]
    return max(years) if years else None


def reference_year(histories: Iterable[Mapping[str, float]], today: dt.date) -> int:
    """The "last year" that scoring looks at: the year before ``today``, or the latest on file.

    A history that stops earlier than last year is still scored on its latest year, so stale data
    is scored rather than zeroed; the year is shown with the scores.
    """
    latest = latest_year(histories)
    last = today.year - 1
    return last if latest is None else min(last, latest)


def cagr(first: float, last: float, years: float) -> float | None:
    """Compound annual growth rate from ``first`` to ``last`` over ``years``.

    ``(last / first) ** (1 / years) - 1``; None when it is undefined (``first`` <= 0,
    ``last`` < 0 or ``years`` <= 0).
    """
    if first <= 0 or last < 0 or years <= 0:
        return None
    return float((last / first) ** (1.0 / years) - 1.0)


def history_cagr(
    history: Mapping[str, float], year: int, span: int = 2
) -> tuple[float, int] | None:
    """Annual growth of ``history`` up to ``year``, from the earliest year of the window with sales.

    Args:
        history: purchase history by period label.
        year: the last year of the window.
        span: how many years back the window reaches (2 means three years of history).

    Returns:
        ``(rate, years)`` with the number of yearly steps used, or None without two years of sales.
    """
    last = revenue_in_year(history, year)
    if last is None:
        return None
    for back in range(span, 0, -1):
        first = revenue_in_year(history, year - back)
        if first is not None and first > 0:
            rate = cagr(first, last, back)
            if rate is not None:
                return rate, back
    return None
