"""Targets added up: children to parent, months to quarters to years, by account, segment and
person; base, stretch and challenge levels; and the annual growth implied across horizons.

Only *additive* metrics are summed: money and counts. Rates, scores and durations
(satisfaction, sales cycle, market share, retention, or units such as ``%`` and ``days``) are
not, because ten accounts at 90% satisfaction do not make 900%.

Units are compared as ``(unit, currency)`` keys: the unit text folded to lower case, and the
currency from ``metric.currency`` or from a unit that is itself an ISO code (``CNY``). ``万元``
and ``CNY`` are different units: adding them would mix scales.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from kaplan_tui.core.models import Account, Goal, GoalStatus, GoalType, Horizon, Metric, ScopeKind
from kaplan_tui.core.periods import parse_period
from kaplan_tui.core.planning.history import cagr, history_cagr, latest_year, revenue_in_year
from kaplan_tui.core.planning.segments import members_of
from kaplan_tui.core.records import rows
from kaplan_tui.core.snapshot import Snapshot

_ISO = re.compile(r"^[A-Z]{3}$")

NON_ADDITIVE_TYPES = frozenset(
    {GoalType.SATISFACTION, GoalType.SALES_CYCLE, GoalType.MARKET_SHARE, GoalType.RETENTION}
)
NON_ADDITIVE_UNITS = frozenset(
    {
        "%",
        "percent",
        "pct",
        "score",
        "points",
        "分",
        "days",
        "day",
        "天",
        "nps",
        "ratio",
        "rate",
        "百分比",
        "比例",
    }
)
MONEY_SCALES: dict[str, float] = {
    "元": 1.0,
    "千元": 1e3,
    "万元": 1e4,
    "十万元": 1e5,
    "百万元": 1e6,
    "千万元": 1e7,
    "亿元": 1e8,
}
"""Chinese money units and their size in units of the workspace currency."""

OPEN_STATUSES = frozenset({GoalStatus.DRAFT, GoalStatus.ACTIVE})
"""Goals still being planned or pursued; the others are left out of roll-ups and checks."""

UnitKey = tuple[str, str | None]


def unit_key(metric: Metric) -> UnitKey:
    """The ``(unit, currency)`` a metric is measured in, for comparing roll-up members."""
    unit = metric.unit.strip()
    currency = metric.currency
    if currency is None and _ISO.match(unit):
        currency = unit
    if not unit and currency:
        unit = currency
    return unit.casefold(), currency


def unit_label(key: UnitKey) -> str:
    """A unit key as people write it: ``CNY``, ``万元 (CNY)``, ``accounts``."""
    unit, currency = key
    if currency and unit.upper() != currency:
        return f"{unit} ({currency})"
    return currency or unit or "-"


def is_additive(goal: Goal) -> bool:
    """Tell whether the targets of ``goal`` and its kind of goal can be added up."""
    if goal.metric is None or goal.type in NON_ADDITIVE_TYPES:
        return False
    return unit_key(goal.metric)[0] not in NON_ADDITIVE_UNITS


def money_scale(metric: Metric, workspace_currency: str) -> tuple[str, float] | None:
    """``(currency, factor)`` turning the metric's values into currency units; None if not money.

    ``CNY`` -> ``("CNY", 1)``; ``万元`` -> ``(workspace currency, 10000)``.
    """
    unit = metric.unit.strip()
    if _ISO.match(unit):
        return unit, 1.0
    if unit in MONEY_SCALES:
        return metric.currency or workspace_currency, MONEY_SCALES[unit]
    if not unit and metric.currency:
        return metric.currency, 1.0
    return None


def years_between(start: dt.date, end: dt.date) -> float:
    """Years from ``start`` to ``end``, to the nearest month (365 days is 1.0, 730 is 2.0)."""
    return round((end - start).days / 365.25 * 12) / 12


def goal_years(goal: Goal) -> float | None:
    """The length of a goal's period in years (start to the day after its deadline)."""
    if goal.start is None or goal.deadline is None:
        return None
    return years_between(goal.start, goal.deadline + dt.timedelta(days=1))


def is_open(goal: Goal) -> bool:
    """Tell whether ``goal`` is a draft or active."""
    return goal.status in OPEN_STATUSES


# --- levels ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Levels:
    """Base (the target), stretch and challenge levels; None where not set."""

    base: float | None = None
    stretch: float | None = None
    challenge: float | None = None

    @staticmethod
    def of(metric: Metric | None) -> Levels:
        """The levels a metric sets."""
        if metric is None:
            return Levels()
        return Levels(metric.target, metric.stretch, metric.challenge)


def sum_levels(items: Iterable[Levels]) -> Levels:
    """Levels added up; a missing stretch counts as its base, a missing challenge as its stretch.

    A base of None makes the sum's base None (the sum is then unknown).
    """
    base: float | None = 0.0
    stretch: float | None = 0.0
    challenge: float | None = 0.0
    any_item = False
    for item in items:
        any_item = True
        if item.base is None:
            base = stretch = challenge = None
            break
        s = item.stretch if item.stretch is not None else item.base
        c = item.challenge if item.challenge is not None else s
        base = (base or 0.0) + item.base
        stretch = (stretch or 0.0) + s
        challenge = (challenge or 0.0) + c
    if not any_item:
        return Levels()
    return Levels(base, stretch, challenge)


# --- children to parent ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRollup:
    """A parent goal's levels beside the sum of its children's at the same horizon."""

    parent_id: str
    unit: UnitKey | None
    """The parent's unit key."""
    summed: tuple[str, ...]
    """Children of the parent's horizon, whose targets are added."""
    other_horizons: tuple[str, ...]
    """Children of other horizons: they are linked by growth (PLAN-CAGR), not by sums."""
    mixed_units: tuple[str, ...]
    """Children (of any horizon) whose unit differs from the parent's."""
    missing_target: tuple[str, ...]
    """Summed children without a target."""
    additive: bool
    parent: Levels
    children: Levels
    """Sum of the summed children's levels (see :func:`sum_levels`)."""

    partial_period: bool = False
    """The summed children each cover only part of the parent's period and together leave part
    of it uncovered (say, one quarter of a yearly goal): their sum is not meant to match."""

    @property
    def gap(self) -> float | None:
        """Parent target minus the children's sum: positive when children fall short."""
        if self.parent.base is None or self.children.base is None:
            return None
        return self.parent.base - self.children.base


def child_rollup(parent: Goal, snapshot: Snapshot) -> ChildRollup:
    """Add up the open children of ``parent``."""
    kids = [g for g in snapshot.children.get(parent.id, []) if is_open(g)]
    key = unit_key(parent.metric) if parent.metric else None
    same = [g for g in kids if g.horizon == parent.horizon]
    other = [g.id for g in kids if g.horizon != parent.horizon]
    mixed = tuple(
        g.id for g in kids if g.metric is not None and key is not None and unit_key(g.metric) != key
    )
    missing = tuple(g.id for g in same if g.metric is None or g.metric.target is None)
    summable = [g for g in same if g.id not in mixed and g.id not in missing]
    return ChildRollup(
        parent_id=parent.id,
        unit=key,
        summed=tuple(g.id for g in same),
        other_horizons=tuple(other),
        mixed_units=mixed,
        missing_target=missing,
        additive=is_additive(parent),
        parent=Levels.of(parent.metric),
        children=sum_levels(Levels.of(g.metric) for g in summable),
        partial_period=_partial_period(parent, same),
    )


def _partial_period(parent: Goal, children: list[Goal]) -> bool:
    """True when every child lies strictly inside the parent's period and they leave a gap."""
    if parent.start is None or parent.deadline is None or not children:
        return False
    spans = []
    for g in children:
        if g.start is None or g.deadline is None:
            return False
        if (g.start, g.deadline) == (parent.start, parent.deadline):
            return False  # a split by scope over the whole period
        spans.append((max(g.start, parent.start), min(g.deadline, parent.deadline)))
    reached = parent.start - dt.timedelta(days=1)
    for start, end in sorted(spans):
        if start > reached + dt.timedelta(days=1):
            return True
        reached = max(reached, end)
    return reached < parent.deadline


# --- periods ---------------------------------------------------------------------------------


def rollup_periods(values: Mapping[str, float]) -> dict[str, float]:
    """Months added into quarters and quarters into years.

    Args:
        values: amounts by month (``2025-07``) or quarter (``2025-Q3``) label; the labels must
            not overlap (a quarter and one of its months), which would count twice.

    Returns:
        Every quarter and year touched, with its total, plus the given months.

    Raises:
        ValueError: a label is not a month or quarter, or two labels overlap.
    """
    months: dict[str, float] = {}
    quarters: dict[str, float] = defaultdict(float)
    years: dict[str, float] = defaultdict(float)
    given_quarters: set[str] = set()
    for label, amount in values.items():
        period = parse_period(label)
        q = f"{period.year}-Q{(period.start.month - 1) // 3 + 1}"
        if period.kind == "month":
            months[label] = amount
        elif period.kind == "quarter":
            given_quarters.add(label)
        else:
            raise ValueError(f"{label}: roll-ups start from months or quarters")
        quarters[q] += amount
        years[str(period.year)] += amount
    for label in months:
        period = parse_period(label)
        if f"{period.year}-Q{(period.start.month - 1) // 3 + 1}" in given_quarters:
            raise ValueError(f"{label}: overlaps its quarter, which is also given")
    return {**months, **quarters, **years}


def period_label(goal: Goal) -> str | None:
    """The calendar period a goal covers exactly (``2026``, ``2026-Q2``, ``2026-07``), if any."""
    if goal.start is None or goal.deadline is None:
        return None
    s, e = goal.start, goal.deadline
    candidates = [
        str(s.year),
        f"{s.year}-H{(s.month - 1) // 6 + 1}",
        f"{s.year}-Q{(s.month - 1) // 3 + 1}",
        f"{s.year}-{s.month:02d}",
    ]
    for label in candidates:
        period = parse_period(label)
        if period.start == s and period.end == e:
            return label
    return None


# --- by account, segment, person ---------------------------------------------------------------


@dataclass(frozen=True)
class TargetRollup:
    """The targets of one account, segment or person in one unit, added up."""

    by: Literal["account", "segment", "person"]
    key: str
    """The id of the account, segment or person."""
    unit: UnitKey
    goals: tuple[str, ...]
    levels: Levels


def rollup_by(
    snapshot: Snapshot,
    by: Literal["account", "segment", "person"],
    *,
    horizon: Horizon | None = None,
    year: int | None = None,
    only: Collection[str] | None = None,
) -> list[TargetRollup]:
    """Add up open, additive targets per account, segment or person, one row per unit.

    ``account``: goals scoped to the account. ``segment``: goals scoped to the segment and to its
    member accounts. ``person``: goals the person owns or that are scoped to them. Goals whose
    parent is in the same row are left out, so a parent and its children never count twice.

    Args:
        snapshot: the workspace.
        by: the dimension.
        horizon: only goals of this horizon.
        year: only goals whose deadline falls in this year.
        only: the rows of these accounts, segments or persons alone (default: every one). A
            row depends on its own goals only, so each is what it would be among all rows; a
            team brief needs a few dozen people's rows out of the workspace's hundreds.
    """
    every = snapshot.goals
    if by == "person" and only is not None:
        # the open goals of these people alone, chosen by owner, scope and status without
        # unpacking the others (a team brief's rows: its 245 goals among 2k)
        candidates = [
            every[gid]
            for gid, owner, scope, ref, status in rows(
                every, "owner", "scope", "scope_ref", "status"
            )
            if status in OPEN_STATUSES
            and (owner in only or (scope == ScopeKind.PERSON and ref in only))
        ]
    else:
        candidates = list(every.values())
    goals = [
        g
        for g in candidates
        if is_open(g)
        and is_additive(g)
        and g.metric is not None
        and g.metric.target is not None
        and (horizon is None or g.horizon == horizon)
        and (year is None or (g.deadline is not None and g.deadline.year == year))
    ]
    keyed: dict[tuple[str, UnitKey], list[Goal]] = defaultdict(list)
    member_of: dict[str, list[str]] = defaultdict(list)
    if by == "segment":
        last = _last_year(snapshot)  # once: it reads every account's history
        for sid, seg in snapshot.segments.items():
            for aid in members_of(seg, snapshot.accounts, year=last):
                member_of[aid].append(sid)
    for g in goals:
        assert g.metric is not None
        keys: set[str] = set()
        if by == "account" and g.scope == ScopeKind.ACCOUNT and g.scope_ref:
            keys.add(g.scope_ref)
        elif by == "segment" and g.scope_ref:
            if g.scope == ScopeKind.SEGMENT:
                keys.add(g.scope_ref)
            elif g.scope == ScopeKind.ACCOUNT:
                keys.update(member_of.get(g.scope_ref, []))
        elif by == "person":
            if g.owner:
                keys.add(g.owner)
            if g.scope == ScopeKind.PERSON and g.scope_ref:
                keys.add(g.scope_ref)
        for k in keys:
            if only is None or k in only:
                keyed[(k, unit_key(g.metric))].append(g)
    out = []
    for (k, unit), items in sorted(keyed.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        ids = {g.id for g in items}
        top = [g for g in items if not _has_ancestor_in(g, ids, snapshot)]
        out.append(
            TargetRollup(
                by=by,
                key=k,
                unit=unit,
                goals=tuple(sorted(g.id for g in top)),
                levels=sum_levels(Levels.of(g.metric) for g in sorted(top, key=lambda g: g.id)),
            )
        )
    return out


def _has_ancestor_in(goal: Goal, ids: set[str], snapshot: Snapshot) -> bool:
    seen = {goal.id}
    parent = goal.parent
    while parent and parent not in seen:
        if parent in ids:
            return True
        seen.add(parent)
        found = snapshot.goals.get(parent)
        parent = found.parent if found else None
    return False


def _last_year(snapshot: Snapshot) -> int:
    latest = latest_year(a.purchase_history for a in snapshot.accounts.values())
    return dt.date.today().year - 1 if latest is None else latest


# --- growth across horizons --------------------------------------------------------------------


def ancestors(goal: Goal, snapshot: Snapshot) -> list[Goal]:
    """The goal's parent, grandparent... nearest first; stops at a missing parent or a cycle."""
    out: list[Goal] = []
    seen = {goal.id}
    parent = goal.parent
    while parent and parent not in seen:
        found = snapshot.goals.get(parent)
        if found is None:
            break
        out.append(found)
        seen.add(parent)
        parent = found.parent
    return out


def own_growth(goal: Goal) -> float | None:
    """The annual growth a goal sets itself: from its baseline at start to its target."""
    m = goal.metric
    years = goal_years(goal)
    if m is None or m.baseline is None or m.target is None or years is None:
        return None
    return cagr(m.baseline, m.target, years)


@dataclass(frozen=True)
class HorizonGrowth:
    """A short-term goal beside the mid/long-term goal it serves: the growth each implies."""

    short_id: str
    long_id: str
    short_target: float
    long_target: float
    years: float
    """From the short goal's deadline to the long goal's."""
    required: float
    """``(long_target / short_target) ** (1 / years) - 1``: growth needed after the short goal."""
    reference: float
    """The growth the plan otherwise states: the long goal's own, else the short goal's own."""
    reference_kind: Literal["long_goal", "short_goal"]

    @property
    def gap(self) -> float:
        """``required - reference`` (0.12 means 12 points more per year than planned)."""
        return self.required - self.reference


def horizon_growth(snapshot: Snapshot) -> list[HorizonGrowth]:
    """Each open short-term goal against its nearest mid/long-term ancestor of the same scope.

    Both need a positive target in the same unit and deadlines at least a quarter apart. The
    reference is the long goal's own growth (baseline at start to target at deadline) when it
    has a baseline, else the short goal's own growth.
    """
    out: list[HorizonGrowth] = []
    for goal in sorted(snapshot.goals.values(), key=lambda g: g.id):
        if goal.horizon != Horizon.SHORT or not is_open(goal) or goal.metric is None:
            continue
        longer = next((a for a in ancestors(goal, snapshot) if a.horizon != Horizon.SHORT), None)
        if longer is None or longer.metric is None or not is_open(longer):
            continue
        if (goal.scope, goal.scope_ref) != (longer.scope, longer.scope_ref):
            continue
        if unit_key(goal.metric) != unit_key(longer.metric):
            continue
        t_s, t_l = goal.metric.target, longer.metric.target
        if t_s is None or t_l is None or t_s <= 0 or t_l <= 0:
            continue
        if goal.deadline is None or longer.deadline is None:
            continue
        years = years_between(goal.deadline, longer.deadline)
        if years < 0.25:
            continue
        required = cagr(t_s, t_l, years)
        ref_long = own_growth(longer)
        ref_short = own_growth(goal)
        if required is None or (ref_long is None and ref_short is None):
            continue
        kind: Literal["long_goal", "short_goal"] = "long_goal"
        reference = ref_long
        if reference is None:
            kind, reference = "short_goal", ref_short
        assert reference is not None
        out.append(HorizonGrowth(goal.id, longer.id, t_s, t_l, years, required, reference, kind))
    return out


@dataclass(frozen=True)
class HistoryGrowth:
    """An account goal's implied annual growth beside the account's own recent growth."""

    goal_id: str
    account_id: str
    base_year: int
    base_revenue: float
    target: float
    """The target in the account's currency units."""
    years: int
    implied: float
    """``(target / base_revenue) ** (1 / years) - 1``."""
    history: float
    """The account's compound annual growth over up to three years ending ``base_year``."""
    history_years: int

    @property
    def gap(self) -> float:
        """``implied - history``."""
        return self.implied - self.history


def history_growth(snapshot: Snapshot) -> list[HistoryGrowth]:
    """Open account-scoped revenue goals of a year or more, against the account's history.

    The base year is the year before the goal starts (the year before its deadline when it has
    no start); the target is read as the yearly revenue reached by the deadline's year. Goals in
    another currency than the account's are left out rather than converted.
    """
    out: list[HistoryGrowth] = []
    ws_currency = snapshot.settings.currency
    for goal in sorted(snapshot.goals.values(), key=lambda g: g.id):
        m = goal.metric
        if not is_open(goal) or m is None or m.target is None or goal.deadline is None:
            continue
        if goal.scope != ScopeKind.ACCOUNT or goal.scope_ref not in snapshot.accounts:
            continue
        if goal.type != GoalType.REVENUE:
            continue  # cross-sell and other money targets are a part of revenue, not all
        account: Account = snapshot.accounts[goal.scope_ref or ""]
        scale = money_scale(m, ws_currency)
        if scale is None or scale[0] != (account.currency or ws_currency):
            continue
        length = goal_years(goal)
        if length is not None and length < 0.9:
            continue
        base_year = (goal.start.year if goal.start else goal.deadline.year) - 1
        base = revenue_in_year(account.purchase_history, base_year)
        hist = history_cagr(account.purchase_history, base_year, span=2)
        years = goal.deadline.year - base_year
        if base is None or base <= 0 or hist is None or years < 1:
            continue
        target = m.target * scale[1]
        implied = cagr(base, target, years)
        if implied is None:
            continue
        out.append(
            HistoryGrowth(
                goal.id, account.id, base_year, base, target, years, implied, hist[0], hist[1]
            )
        )
    return out
