"""Explainable account scoring, tiers, manual overrides and the sensitivity of tiers to weights.

Each criterion turns an account into a raw value, which is normalised to 0-1 across the
accounts being scored:

* ``ratio_to_max`` (money and counts): ``raw / max(raw)``; a missing value counts 0.
* ``min_max`` (growth rates, which can be negative): each rate is first clipped to
  ``[growth_floor, growth_cap]`` (default -50% and +50% a year), then
  ``(clipped - min) / (max - min)`` over the clipped rates; when every account has the same rate
  it counts 1 (0 if that rate is not positive); missing counts 0.
* ``rating_1_5`` (strategic fit, relationship): ``(raw - 1) / 4``; missing counts 0.

Weights are shares of their sum (``share = w / sum(w)``), so they need not add up to 1. An
account's score is ``100 * sum(share * normalised)``, 0-100; each criterion's *contribution*
is its ``100 * share * normalised`` and the contributions add up to the score.

Tiers come from thresholds (``score >= thresholds[0]`` is tier 1, ``>= thresholds[1]`` tier 2,
...) or from rank bands (the first ``rank_bands[0]`` accounts by score are tier 1, the next
``rank_bands[1]`` tier 2, ...). Ties in score are ranked by account id. A manual override sets
the tier whatever the score, and carries its reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Literal, NamedTuple

from kaplan_tui.core.models import Account, TierChange
from kaplan_tui.core.planning.history import ByYear, reference_year
from kaplan_tui.core.settings import ScoringSettings

Method = Literal["ratio_to_max", "min_max", "rating_1_5"]

MAX_TIER = 9


@dataclass(frozen=True)
class Criterion:
    """One scoring criterion: how to read its raw value and how to normalise it."""

    name: str
    method: Method
    raw: Callable[[Account, ByYear, int], float | None]
    """The raw value of an account, given its purchase history read by year and the reference
    ("last") year."""


def _revenue_last_year(account: Account, history: ByYear, year: int) -> float | None:
    return history.revenue(year)


def _growth_3y(account: Account, history: ByYear, year: int) -> float | None:
    found = history.growth(year, span=2)
    return None if found is None else found[0]


def _frequency(account: Account, history: ByYear, year: int) -> float | None:
    if not account.purchase_history:
        return None
    return float(history.active_quarters(range(year - 2, year + 1)))


def _pipeline(account: Account, history: ByYear, year: int) -> float | None:
    amounts = [item.amount for item in account.pipeline if item.amount is not None]
    return sum(amounts) if amounts else None


def _potential(account: Account, history: ByYear, year: int) -> float | None:
    return account.potential


def _fit(account: Account, history: ByYear, year: int) -> float | None:
    return None if account.strategic_fit is None else float(account.strategic_fit)


def _relationship(account: Account, history: ByYear, year: int) -> float | None:
    value = account.relationship_strength
    return None if value is None else float(value)


CRITERIA: dict[str, Criterion] = {
    c.name: c
    for c in (
        Criterion("revenue_last_year", "ratio_to_max", _revenue_last_year),
        Criterion("growth_3y", "min_max", _growth_3y),
        Criterion("purchase_frequency", "ratio_to_max", _frequency),
        Criterion("pipeline", "ratio_to_max", _pipeline),
        Criterion("potential", "ratio_to_max", _potential),
        Criterion("strategic_fit", "rating_1_5", _fit),
        Criterion("relationship", "rating_1_5", _relationship),
    )
}
"""The criteria Kaplan knows, by the name used in ``kaplan.toml`` ``[scoring.weights]``.

``revenue_last_year``: purchases in the reference year. ``growth_3y``: compound annual growth of
yearly purchases over the three years ending with it. ``purchase_frequency``: quarters with a
purchase in those three years (0-12). ``pipeline``: open pipeline amount. ``potential``:
whitespace. ``strategic_fit`` and ``relationship``: ratings 1-5.
"""


class Component(NamedTuple):
    """One criterion's part of one account's score, with everything needed to explain it.

    A named tuple rather than a frozen dataclass: it is three times as quick to build.
    """

    criterion: str
    raw: float | None
    """The account's raw value; None when the data is missing (it then counts 0)."""
    method: Method
    low: float
    """The value that normalises to 0 (the clipped ``min`` for ``min_max``, 0 or 1 otherwise)."""
    high: float
    """The value that normalises to 1 (the largest raw value, or 5 for ratings)."""
    normalised: float
    """0-1."""
    weight: float
    """The weight as configured."""
    share: float
    """``weight / sum(weights)``."""
    contribution: float
    """``100 * share * normalised``: the points this criterion adds to the score."""


@dataclass(frozen=True)
class AccountScore:
    """An account's score, rank and tier, and why."""

    account_id: str
    score: float
    """0-100: the sum of the components' contributions."""
    rank: int
    """1 for the highest score."""
    computed_tier: int
    """The tier the score gives."""
    tier: int
    """The tier that holds: the override's if there is one, else the computed one."""
    stored_tier: int | None
    """The tier stored on the account now."""
    override_tier: int | None
    override_reason: str | None
    _table: _Table = field(repr=False, compare=False)
    _row: int = field(repr=False, compare=False)

    @property
    def components(self) -> tuple[Component, ...]:
        """Each criterion's part of the score, in criterion order.

        Built anew on each access (a few microseconds) and not kept, so reading every account's
        components once, as ``kaplan segment`` does, leaves nothing behind for the collector.
        """
        return self._table.components(self._row)

    @property
    def tier_changed(self) -> bool:
        """True when the tier that holds differs from the stored one."""
        return self.tier != self.stored_tier

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AccountScore):
            return NotImplemented
        return self._fields() == other._fields() and self.components == other.components

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in zip(_SHOWN, self._fields(), strict=True))
        return f"AccountScore({shown}, components={self.components!r})"

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, k) for k in _SHOWN)


_SHOWN = (
    "account_id",
    "score",
    "rank",
    "computed_tier",
    "tier",
    "stored_tier",
    "override_tier",
    "override_reason",
)


@dataclass(frozen=True)
class _Table:
    """Every account's components of one scoring run, by criterion, built only when asked for.

    A run over 10k accounts has 70k components. Built up front they took a fifth of the run,
    and, being objects the garbage collector must follow, made it walk the whole workspace.
    """

    criteria: tuple[tuple[str, Method, float, float, float, float], ...]
    """Each criterion's name, method, low, high, weight and share."""
    raws: Sequence[Sequence[float | None]]
    """``raws[j][i]``: criterion ``j``, account ``i``."""
    norm: Sequence[Sequence[float]]
    """The normalised values, as ``raws``."""

    def components(self, i: int) -> tuple[Component, ...]:
        """The components of account ``i``."""
        return tuple(
            Component(name, raw[i], method, low, high, n[i], weight, share, 100.0 * share * n[i])
            for (name, method, low, high, weight, share), raw, n in zip(
                self.criteria, self.raws, self.norm, strict=True
            )
        )


@dataclass(frozen=True)
class Segmentation:
    """Every account scored, highest first, and the settings that produced the scores."""

    year: int
    """The reference ("last") year of the revenue criteria."""
    tier_method: Literal["rank", "thresholds"]
    weights: Mapping[str, float]
    """The weights used (known criteria only)."""
    ignored_criteria: tuple[str, ...]
    """Weights in the settings that name no known criterion (they count 0)."""
    accounts: tuple[AccountScore, ...]

    def by_id(self) -> dict[str, AccountScore]:
        """The scores keyed by account id."""
        return {s.account_id: s for s in self.accounts}


@dataclass(frozen=True)
class TierShift:
    """An account whose tier moves when one weight moves."""

    account_id: str
    tier_from: int
    tier_to: int
    score_from: float
    score_to: float


@dataclass(frozen=True)
class SensitivityCase:
    """One weight moved by a factor, and the accounts whose tier changes."""

    criterion: str
    factor: float
    """1.1 for +10%, 0.9 for -10%."""
    shifts: tuple[TierShift, ...]


def _normalise(
    method: Method, raws: Sequence[float | None], clip: tuple[float, float] | None = None
) -> tuple[float, float, list[float]]:
    """``(low, high, normalised values)`` for one criterion across all accounts."""
    if clip is not None and method == "min_max":
        raws = [None if r is None else min(max(r, clip[0]), clip[1]) for r in raws]
    present = [r for r in raws if r is not None]
    if method == "rating_1_5":
        return 1.0, 5.0, [0.0 if r is None else min(max((r - 1) / 4, 0.0), 1.0) for r in raws]
    if method == "ratio_to_max":
        high = max(present, default=0.0)
        if high <= 0:
            return 0.0, high, [0.0 for _ in raws]
        return 0.0, high, [0.0 if r is None else max(r, 0.0) / high for r in raws]
    low = min(present, default=0.0)
    high = max(present, default=0.0)
    if high == low:
        return low, high, [0.0 if r is None or r <= 0 else 1.0 for r in raws]
    return low, high, [0.0 if r is None else (r - low) / (high - low) for r in raws]


def tier_for_score(score: float, thresholds: Sequence[float]) -> int:
    """The tier that ``score`` earns under descending ``thresholds``.

    ``1 + (number of thresholds above the score)``: with ``[70, 40]``, 75 -> 1, 40 -> 2, 39.9 -> 3.
    """
    rounded = round(score, 6)
    return min(1 + sum(1 for t in thresholds if rounded < t), MAX_TIER)


def tier_for_rank(rank: int, bands: Sequence[int]) -> int:
    """The tier of the account ranked ``rank`` (1-based) under ``bands``.

    With ``[10, 20]``: ranks 1-10 -> 1, 11-30 -> 2, 31 and beyond -> 3.
    """
    tier = 1
    edge = 0
    for band in bands:
        edge += band
        if rank <= edge:
            return min(tier, MAX_TIER)
        tier += 1
    return min(tier, MAX_TIER)


def _by_id(ids: Sequence[str]) -> list[int]:
    """The positions of ``ids`` in id order (equal ids in the order given)."""
    return sorted(range(len(ids)), key=ids.__getitem__)


def _rank_and_tier(
    by_id: list[int], scores: Sequence[float], settings: ScoringSettings
) -> tuple[list[int], list[int]]:
    """Each account's rank and computed tier, in the order of ``scores``.

    ``by_id`` (see :func:`_by_id`) breaks ties in the rounded score by id: a stable sort of the
    accounts in id order by score alone, which is several times faster than sorting on
    ``(score, id)`` and is done once per sensitivity case.
    """
    count = len(scores)
    keys = [-round(s, 6) for s in scores]
    ranks = [0] * count
    for pos, i in enumerate(sorted(by_id, key=keys.__getitem__), start=1):
        ranks[i] = pos
    if settings.tier_method == "thresholds":
        return ranks, [tier_for_score(s, settings.thresholds) for s in scores]
    by_rank = _rank_tiers(count, settings.rank_bands)
    return ranks, [by_rank[r - 1] for r in ranks]


def _rank_tiers(count: int, bands: Sequence[int]) -> list[int]:
    """``tier_for_rank`` of ranks 1 to ``count``, a band at a time."""
    out: list[int] = []
    edges = list(accumulate(bands))
    for tier, edge in enumerate(edges, start=1):
        # the ranks past every earlier band, up to this one's edge
        out.extend([min(tier, MAX_TIER)] * (min(edge, count) - len(out)))
    out.extend([min(len(edges) + 1, MAX_TIER)] * (count - len(out)))
    return out


def _scores(
    norm: Sequence[Sequence[float]], criteria: Sequence[str], weights: Mapping[str, float]
) -> list[float]:
    """Each account's score from ``norm[j][i]`` (criterion ``j``, account ``i``)."""
    count = len(norm[0]) if norm else 0
    total = sum(weights.get(c, 0.0) for c in criteria)
    if total <= 0:
        return [0.0] * count
    # a column at a time: the same additions, in the same order, as a sum over each account's row
    sums = [0.0] * count
    for name, column in zip(criteria, norm, strict=True):
        share = weights.get(name, 0.0) / total
        sums = [acc + share * n for acc, n in zip(sums, column, strict=True)]
    return [100.0 * acc for acc in sums]


def score_accounts(
    accounts: Sequence[Account], settings: ScoringSettings, *, today: dt.date | None = None
) -> Segmentation:
    """Score, rank and tier ``accounts``.

    Args:
        accounts: the accounts to score together (normalisation is relative to them).
        settings: weights, tier method, bands and thresholds.
        today: the date that decides the reference year (default: today).

    Returns:
        A :class:`Segmentation` with the accounts highest score first.
    """
    today = today or dt.date.today()
    year = reference_year((a.purchase_history for a in accounts), today)
    weights = {k: w for k, w in settings.weights.items() if k in CRITERIA}
    ignored = tuple(sorted(k for k in settings.weights if k not in CRITERIA))
    names = list(CRITERIA)
    total = sum(weights.values())
    histories = [ByYear(a.purchase_history) for a in accounts]  # read by three criteria
    raws = [
        [CRITERIA[n].raw(a, h, year) for a, h in zip(accounts, histories, strict=True)]
        for n in names
    ]
    clip = (settings.growth_floor, settings.growth_cap)
    normalised = [_normalise(CRITERIA[n].method, r, clip) for n, r in zip(names, raws, strict=True)]
    norm = [values for _, _, values in normalised]
    ids = [a.id for a in accounts]
    scores = _scores(norm, names, weights)
    ranks, tiers = _rank_and_tier(_by_id(ids), scores, settings)
    criteria = []
    for n, (low, high, _) in zip(names, normalised, strict=True):
        weight = weights.get(n, 0.0)
        criteria.append(
            (n, CRITERIA[n].method, low, high, weight, weight / total if total > 0 else 0.0)
        )
    table = _Table(tuple(criteria), raws, norm)
    out: list[AccountScore] = []
    for i, account in enumerate(accounts):
        override = account.tier_override
        computed = tiers[i]
        out.append(
            AccountScore(
                account_id=account.id,
                score=scores[i],
                rank=ranks[i],
                computed_tier=computed,
                tier=override.tier if override else computed,
                stored_tier=account.tier,
                override_tier=override.tier if override else None,
                override_reason=override.reason if override else None,
                _table=table,
                _row=i,
            )
        )
    out.sort(key=lambda s: s.rank)
    return Segmentation(
        year=year,
        tier_method=settings.tier_method,
        weights=weights,
        ignored_criteria=ignored,
        accounts=tuple(out),
    )


def sensitivity(
    accounts: Sequence[Account],
    settings: ScoringSettings,
    *,
    today: dt.date | None = None,
    step: float | None = None,
    base: Segmentation | None = None,
) -> list[SensitivityCase]:
    """Which accounts change tier when one weight moves up or down by ``step`` (default 10%).

    Every known criterion with a positive weight is moved alone, once up (``w * (1 + step)``) and
    once down (``w * (1 - step)``); the other weights stay. Overridden tiers never move.

    Args:
        accounts: the accounts, as given to :func:`score_accounts`.
        settings: the scoring settings.
        today: the date that decides the reference year.
        step: the fraction a weight moves by (default: ``settings.sensitivity_step``).
        base: the result of :func:`score_accounts` for the same input, if already computed.

    Returns:
        One case per criterion and direction, in criterion order, up before down.
    """
    step = settings.sensitivity_step if step is None else step
    if base is None:
        base = score_accounts(accounts, settings, today=today)
    names = list(CRITERIA)
    scored = base.accounts
    ids = [s.account_id for s in scored]
    by_id = _by_id(ids)
    norm = [[s._table.norm[j][s._row] for s in scored] for j in range(len(names))]
    held = [s.tier for s in scored]
    overrides = [s.override_tier for s in scored]
    cases: list[SensitivityCase] = []
    for name in names:
        weight = base.weights.get(name, 0.0)
        if weight <= 0:
            continue
        for factor in (1.0 + step, 1.0 - step):
            moved = dict(base.weights)
            moved[name] = weight * factor
            scores = _scores(norm, names, moved)
            _, tiers = _rank_and_tier(by_id, scores, settings)
            shifts = tuple(
                TierShift(ids[i], held[i], after, scored[i].score, scores[i])
                for i, after in enumerate([o or t for o, t in zip(overrides, tiers, strict=True)])
                if after != held[i]
            )
            cases.append(SensitivityCase(name, round(factor, 6), shifts))
    return cases


def tier_change(
    score: AccountScore, *, date: dt.date, reason: str = "", by: str | None = None
) -> TierChange | None:
    """The history entry that records ``score``'s tier on its account, or None if nothing moved.

    The TUI appends it to ``Account.tier_history`` and sets ``Account.tier`` when a user accepts
    the new tiers.
    """
    if not score.tier_changed:
        return None
    return TierChange(
        date=date,
        tier=score.tier,
        previous=score.stored_tier,
        reason=score.override_reason or reason,
        by=by,
        manual=score.override_tier is not None,
    )
