"""Reading an account's purchase history by year and quarter without counting a sale twice.

Purchase history is keyed by period labels of any kind (``2025``, ``2025-H1``, ``2025-Q3``,
``2025-07``). A CRM export may hold a year total *and* its quarters; adding every label would
double the year. These helpers take the coarsest labels first and add a finer label only where
no coarser one already covers it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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


def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


@dataclass(frozen=True)
class _Year:
    """The labels of one year that a history adds up, and what each says about its quarters."""

    labels: tuple[str, ...]
    """The kept labels lying in the year, coarsest first (the order sums are taken in)."""
    quarters: tuple[int, ...] | None
    """Each label's quarter (1-4); None when a year or half label is kept (no quarterly shape)."""
    masks: tuple[int, ...]
    """Each label's quarters as bits (bit ``q - 1`` for quarter ``q``)."""


@lru_cache(maxsize=4096)
def _layout(labels: tuple[str, ...]) -> Mapping[int, _Year]:
    """Which of ``labels`` a history adds up, by year: coarsest first, skipping covered ones.

    Which periods count depends on the labels alone, never on the amounts, and a workspace's
    accounts share a few sets of labels: the layout is worked out once per set, and reading a
    history is then a few dictionary look-ups. (Keying the old cache on the amounts too kept
    one entry per account, and sorted and parsed every account's labels again.)
    """
    ordered = sorted(labels, key=lambda lb: (_KIND_ORDER[_period(lb).kind], _period(lb).start))
    kept: set[str] = set()
    by_year: dict[int, list[Period]] = {}
    for label in ordered:
        if any(c in kept for c in _covering(label)):
            continue
        kept.add(label)
        period = _period(label)
        by_year.setdefault(period.year, []).append(period)
    out: dict[int, _Year] = {}
    for year, periods in by_year.items():
        firsts = tuple(_quarter(p.start) for p in periods)
        coarse = any(p.kind in ("year", "half") for p in periods)
        masks = tuple(
            sum(1 << (q - 1) for q in range(_quarter(p.start), _quarter(p.end) + 1))
            for p in periods
        )
        out[year] = _Year(tuple(p.label for p in periods), None if coarse else firsts, masks)
    return out


class ByYear:
    """A purchase history read by calendar year, with its labels laid out once.

    Scoring reads each account's history several times (last year, the years its growth spans,
    the quarters with a purchase): one reader per account looks its labels up once. The
    functions below (:func:`revenue_in_year` and the others) read a history once each.
    """

    __slots__ = ("_history", "_layout")

    def __init__(self, history: Mapping[str, float]) -> None:
        self._history = history
        self._layout = _layout(tuple(history))

    def revenue(self, year: int) -> float | None:
        """See :func:`revenue_in_year`."""
        found = self._layout.get(year)
        if found is None:
            return None
        history = self._history
        return sum([history[label] for label in found.labels])

    def quarters(self, year: int) -> dict[int, float] | None:
        """See :func:`quarters_in_year`."""
        found = self._layout.get(year)
        if found is None or found.quarters is None:
            return None
        out = {1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0}
        for label, quarter in zip(found.labels, found.quarters, strict=True):
            out[quarter] += self._history[label]
        return out

    def active_quarters(self, years: Iterable[int]) -> int:
        """See :func:`active_quarters`."""
        count = 0
        for year in set(years):
            found = self._layout.get(year)
            if found is None:
                continue
            marked = 0
            for label, mask in zip(found.labels, found.masks, strict=True):
                if self._history[label] > 0:
                    marked |= mask
            count += marked.bit_count()
        return count

    def growth(self, year: int, span: int = 2) -> tuple[float, int] | None:
        """See :func:`history_cagr`."""
        last = self.revenue(year)
        if last is None:
            return None
        for back in range(span, 0, -1):
            first = self.revenue(year - back)
            if first is not None and first > 0:
                rate = cagr(first, last, back)
                if rate is not None:
                    return rate, back
        return None


def revenue_in_year(history: Mapping[str, float], year: int) -> float | None:
    """What was bought in calendar ``year``, or None when the history says nothing of it.

    Args:
        history: purchase history by period label.
        year: the calendar year.

    Returns:
        The sum of the non-overlapping periods lying in ``year``; None if none does.
    """
    return ByYear(history).revenue(year)


def quarters_in_year(history: Mapping[str, float], year: int) -> dict[int, float] | None:
    """What was bought in each quarter of ``year`` (1-4), or None if the history is not that fine.

    Months are added into their quarter. A year or half label cannot be split, so a year recorded
    only that way has no quarterly shape and gives None. Quarters with no label count 0 when at
    least one quarter or month of the year is known.
    """
    return ByYear(history).quarters(year)


def active_quarters(history: Mapping[str, float], years: Iterable[int]) -> int:
    """How many quarters of ``years`` had a purchase.

    A month or quarter marks its quarter; a half marks its two quarters and a year its four,
    because the history cannot tell which of them the sale fell in.
    """
    return ByYear(history).active_quarters(years)


def latest_year(histories: Iterable[Mapping[str, float]]) -> int | None:
    """The latest calendar year any of ``histories`` mentions."""
    labels = {label for h in histories for label in h}  # 10k accounts share a few labels
    return max((_period(label).year for label in labels), default=None)


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
    return ByYear(history).growth(year, span)
