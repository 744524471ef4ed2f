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
from typing import NamedTuple

from kaplan_tui.core.periods import parse_period

_KIND_ORDER = {"year": 0, "half": 1, "quarter": 2, "month": 3}


def _quarter(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


class _Label(NamedTuple):
    """What laying out a history needs to know of one period label."""

    order: tuple[int, dt.date]
    """Coarsest first, then by start: the order labels are kept and added up in."""
    year: int
    covering: frozenset[str]
    """The coarser labels that contain this period (its year, half and quarter)."""
    quarter: int
    """The quarter (1-4) the period starts in."""
    mask: int
    """The quarters the period spans, as bits (bit ``q - 1`` for quarter ``q``)."""
    coarse: bool
    """A year or a half: it cannot be split into quarters."""


@lru_cache(maxsize=4096)
def _label(label: str) -> _Label:
    period = parse_period(label)  # a workspace has a few distinct labels: each is read once
    kind, y, m = period.kind, period.year, period.start.month
    half, quarter = f"{y}-H{(m - 1) // 6 + 1}", f"{y}-Q{(m - 1) // 3 + 1}"
    covering = {"half": (str(y),), "quarter": (str(y), half), "month": (str(y), half, quarter)}
    first, last = _quarter(period.start), _quarter(period.end)
    return _Label(
        order=(_KIND_ORDER[kind], period.start),
        year=y,
        covering=frozenset(covering.get(kind, ())),
        quarter=first,
        mask=sum(1 << (q - 1) for q in range(first, last + 1)),
        coarse=kind in ("year", "half"),
    )


def _order(label: str) -> tuple[int, dt.date]:
    return _label(label).order


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
    kept: set[str] = set()
    by_year: dict[int, list[tuple[str, _Label]]] = {}
    for label in sorted(labels, key=_order):
        info = _label(label)
        if not kept.isdisjoint(info.covering):
            continue
        kept.add(label)
        by_year.setdefault(info.year, []).append((label, info))
    out: dict[int, _Year] = {}
    for year, items in by_year.items():
        coarse = any(info.coarse for _, info in items)
        out[year] = _Year(
            tuple(label for label, _ in items),
            None if coarse else tuple(info.quarter for _, info in items),
            tuple(info.mask for _, info in items),
        )
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
    return max((_label(label).year for label in labels), default=None)


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
