"""Review math: the schedule a cadence gives, expected vs actual, projection and status.

**Schedule.** A goal is reviewed at the end of every month, quarter or year (by its cadence;
quarters and years follow the workspace's fiscal year start month) between its start and its
deadline, and on its deadline. A review at date ``r`` is *covered* by a check-in dated after the
previous review and no later than ``r + grace_days``. An uncovered review is *overdue* once
``r + grace_days`` has passed, and *due* while it lies between ``as_of - grace_days`` and
``as_of + lookahead_days``.

**Trajectory.** The share ``f(d)`` of the way from start to deadline expected by date ``d``:

* ``linear``: ``(d - start + 1 day) / (deadline - start + 1 day)``, clamped to 0-1;
* ``seasonal``: used for cumulative goals when the accounts in the goal's scope have quarterly
  history for every quarter the goal spans, one year earlier, each positive: each day weighs
  ``sales of its quarter last year / days in that quarter``, and ``f(d)`` is the weight of the days
  up to ``d`` over the weight of the whole period.

A *cumulative* goal (a short-term goal on an additive metric, such as this year's revenue) starts
from 0 and its check-ins hold the total to date: ``expected(d) = target * f(d)`` and
``projection = actual / f(date of the last check-in)``. A *level* goal (rates, scores, and
mid/long-term levels) moves from its baseline ``b`` (else its first check-in):
``expected(d) = b + (target - b) * f(d)``, ``projection = b + (actual - b) / f``.
``variance = actual - expected`` at the last check-in.

**Status.** ``attainment`` is ``projection / target`` for metrics that should increase,
``target / projection`` for those that should decrease, ``1 - |projection - target| / |target|``
for those to maintain. ``on_track`` at or above ``review.on_track``, ``at_risk`` at or above
``review.at_risk``, else ``off_track``; ``unknown`` without a target, a check-in or a trajectory.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Literal, Protocol

from kaplan_tui.core.models import (
    Account,
    Cadence,
    Direction,
    Goal,
    GoalStatus,
    Horizon,
    ScopeKind,
)
from kaplan_tui.core.periods import month_end
from kaplan_tui.core.planning.history import latest_year, quarters_in_year
from kaplan_tui.core.planning.rollup import is_additive
from kaplan_tui.core.planning.segments import members_of
from kaplan_tui.core.records import field_of
from kaplan_tui.core.settings import ReviewSettings
from kaplan_tui.core.snapshot import Snapshot

Status = Literal["on_track", "at_risk", "off_track", "unknown"]
STATUS_ORDER: dict[str, int] = {"off_track": 0, "at_risk": 1, "unknown": 2, "on_track": 3}

_STEP = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.YEARLY: 12}


class Dated(Protocol):
    """What reviews read of a check-in: a :class:`CheckIn`, or a snapshot's
    :class:`~kaplan_tui.core.snapshot.CheckInPoint` of it."""

    @property
    def id(self) -> str: ...

    @property
    def date(self) -> dt.date: ...


# --- schedule ---------------------------------------------------------------------------------


def period_start(goal: Goal) -> dt.date | None:
    """The goal's start, or one year before its deadline when it has none."""
    if goal.start is not None:
        return goal.start
    if goal.deadline is None:
        return None
    return goal.deadline - dt.timedelta(days=365)


def review_dates(goal: Goal, fiscal_start_month: int = 1) -> list[dt.date]:
    """The dates ``goal`` is reviewed on: period ends of its cadence, then its deadline.

    Args:
        goal: the goal; without a deadline it has no schedule.
        fiscal_start_month: the month (1-12) fiscal quarters and years start in.
    """
    start = period_start(goal)
    if goal.deadline is None or start is None:
        return []
    step = _STEP[goal.review_cadence]
    # Months counted from year 0: a month ends before the deadline exactly when it comes before
    # the deadline's month, and every month from the start's on ends on or after the start. So
    # the reviews are the ends of the months from the start's up to (not including) the
    # deadline's that close a fiscal quarter or year, and only those months are visited (a
    # brief schedules every goal: a month-by-month walk worked out 20 month ends per goal).
    first = start.year * 12 + start.month - 1
    stop = goal.deadline.year * 12 + goal.deadline.month - 1
    # month m (1-12) closes a period when (m - fiscal_start_month + 1) % step == 0
    closing = first + (fiscal_start_month - 2 - first) % step
    out = [month_end(n // 12, n % 12 + 1) for n in range(closing, stop, step)]
    out.append(goal.deadline)
    return out


@dataclass(frozen=True)
class ReviewSlot:
    """One scheduled review and the check-in that covered it, if any."""

    date: dt.date
    checkin_id: str | None


def schedule(
    goal: Goal, checkins: Sequence[Dated], *, grace_days: int, fiscal_start_month: int = 1
) -> list[ReviewSlot]:
    """The goal's reviews with the check-in covering each.

    A review takes the earliest check-in of its window not already taken by the review before
    (a check-in in the grace days after one review covers that review, not the next one too).

    Args:
        goal: the goal.
        checkins: its check-ins, in any order.
        grace_days: days after a review date a check-in still covers it.
        fiscal_start_month: the fiscal year's first month.
    """
    dates = review_dates(goal, fiscal_start_month)
    ordered = sorted(checkins, key=attrgetter("date", "id"))
    days = [c.date for c in ordered]
    grace = dt.timedelta(days=grace_days)
    out = []
    used: set[str] = set()
    previous = dt.date.min
    for r in dates:
        limit = r + grace
        # the earliest unused check-in in the window: one check-in never covers two reviews.
        # The check-ins are in date order, so the window starts where bisect says and the
        # search stops at its end (a monthly goal scanned all its check-ins for each review).
        found = None
        for i in range(bisect_right(days, previous), len(days)):
            if days[i] > limit:
                break
            if ordered[i].id not in used:
                found = ordered[i]
                used.add(found.id)
                break
        out.append(ReviewSlot(r, found.id if found else None))
        previous = r
    return out


@dataclass(frozen=True)
class DueReview:
    """A review to hold: due soon or overdue."""

    goal_id: str
    owner: str | None
    date: dt.date
    state: Literal["due", "overdue"]
    days: int
    """Days overdue (``as_of - date``), or days until the review (negative if just past)."""
    missed: int
    """Overdue reviews of this goal (including this one when overdue)."""
    cadence: str
    last_checkin: dt.date | None


def reviews_for(
    goal: Goal,
    checkins: Sequence[Dated],
    as_of: dt.date,
    settings: ReviewSettings,
    fiscal_start_month: int = 1,
) -> list[DueReview]:
    """The latest overdue review and the next due one of ``goal`` at ``as_of`` (0, 1 or 2 items).

    Check-ins after ``as_of`` are ignored, so an agenda for a past date reads as it did then.
    """
    known = [c for c in checkins if c.date <= as_of]
    slots = schedule(
        goal, known, grace_days=settings.grace_days, fiscal_start_month=fiscal_start_month
    )
    grace = dt.timedelta(days=settings.grace_days)
    ahead = dt.timedelta(days=settings.lookahead_days)
    last = max((c.date for c in known), default=None)
    overdue = [s for s in slots if s.checkin_id is None and s.date + grace < as_of]
    due = [
        s
        for s in slots
        if s.checkin_id is None
        and as_of - grace <= s.date <= as_of + ahead
        and not s.date + grace < as_of
    ]
    out = []
    if overdue:
        s = overdue[-1]
        out.append(
            DueReview(
                goal.id,
                goal.owner,
                s.date,
                "overdue",
                (as_of - s.date).days,
                len(overdue),
                goal.review_cadence.value,
                last,
            )
        )
    if due:
        s = due[0]
        out.append(
            DueReview(
                goal.id,
                goal.owner,
                s.date,
                "due",
                (s.date - as_of).days,
                len(overdue),
                goal.review_cadence.value,
                last,
            )
        )
    return out


# --- trajectory -------------------------------------------------------------------------------


def _quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarter_bounds(year: int, q: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q)


@dataclass(frozen=True)
class Trajectory:
    """How far along a goal is expected to be at any date."""

    start: dt.date
    deadline: dt.date
    method: Literal["linear", "seasonal"]
    weights: Mapping[tuple[int, int], float]
    """Seasonal weight of each calendar (year, quarter) the goal spans (last year's sales)."""

    def fraction(self, day: dt.date) -> float:
        """The share of the goal expected by the end of ``day``, 0-1."""
        if day < self.start:
            return 0.0
        if day >= self.deadline:
            return 1.0
        if self.method == "linear":
            return ((day - self.start).days + 1) / ((self.deadline - self.start).days + 1)
        done = total = 0.0
        for (year, q), weight in self.weights.items():
            qs, qe = _quarter_bounds(year, q)
            a, b = max(qs, self.start), min(qe, self.deadline)
            per_day = weight / ((qe - qs).days + 1)
            total += per_day * ((b - a).days + 1)
            if day >= a:
                done += per_day * ((min(b, day) - a).days + 1)
        return done / total if total > 0 else 0.0


class SeasonIndex:
    """Accounts by scope and their quarterly shapes, computed once for many goals.

    An agenda looks at every goal; many share a team, person or segment. Build one index per
    snapshot and pass it to :func:`trajectory` and :func:`progress`.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._scopes: dict[tuple[str, str], list[str]] = {}
        self._histories: dict[tuple[str, str], list[Mapping[str, float]]] = {}
        self._shapes: dict[tuple[str, str, int], dict[int, float] | None] = {}
        self._last_year: int | None = None
        self._scanned = False

    def _owned(self, person_id: str) -> list[str]:
        # The snapshot's index by owner, which the lint of the same goals builds too: each
        # index over 10k accounts costs some 10 ms to build on first use.
        return self.snapshot.account_ids_owned_by((person_id,))

    def _history_year(self) -> int:
        """The latest year of any account's purchase history (last year when there is none)."""
        if not self._scanned:
            # 10k histories hold some 130k labels but few distinct ones: latest_year reads the
            # year of each distinct label once (a fifth of the time of reading every label's)
            self._last_year = latest_year(
                a.purchase_history for a in self.snapshot.accounts.values()
            )
            self._scanned = True
        return dt.date.today().year - 1 if self._last_year is None else self._last_year

    def accounts(self, goal: Goal) -> list[Account]:
        """The accounts whose history shapes a goal's season: by its scope."""
        accounts = self.snapshot.accounts
        return [accounts[rid] for rid in self.account_ids(goal)]

    def account_ids(self, goal: Goal) -> list[str]:
        """The ids of :meth:`accounts`, unpacking no account."""
        ref = goal.scope_ref
        if ref is None:
            return []
        key = (goal.scope.value, ref)
        if key not in self._scopes:
            self._scopes[key] = self._find(goal.scope, ref)
        return self._scopes[key]

    def _find(self, scope: ScopeKind, ref: str) -> list[str]:
        snapshot = self.snapshot
        accounts = snapshot.accounts
        if scope == ScopeKind.ACCOUNT:
            return [ref] if ref in accounts else []
        if scope == ScopeKind.SEGMENT:
            seg = snapshot.segments.get(ref)
            if seg is None:
                return []
            return list(members_of(seg, accounts, year=self._history_year()))
        if scope == ScopeKind.PERSON:
            person = snapshot.people.get(ref)
            found = set(self._owned(ref))
            found.update(
                aid for aid in (person.territory.accounts if person else []) if aid in accounts
            )
            return sorted(found)
        members = sorted(p.id for p in snapshot.people_by_team.get(ref, []))
        return [rid for pid in members for rid in self._owned(pid)]

    def _histories_of(self, goal: Goal) -> list[Mapping[str, float]]:
        """The purchase histories of the goal's accounts, read without unpacking them (a team's
        3k accounts: a history is all a season reads of an account)."""
        key = (goal.scope.value, goal.scope_ref or "")
        held = self._histories.get(key)
        if held is None:
            accounts = self.snapshot.accounts
            held = self._histories[key] = [
                field_of(accounts, rid, "purchase_history") for rid in self.account_ids(goal)
            ]
        return held

    def shape(self, goal: Goal, year: int) -> dict[int, float] | None:
        """Sales by quarter in ``year`` of the goal's accounts; None if none has quarterly data."""
        key = (goal.scope.value, goal.scope_ref or "", year)
        if key not in self._shapes:
            total = {1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0}
            found = False
            for history in self._histories_of(goal):
                quarters = quarters_in_year(history, year)
                if quarters is not None:
                    found = True
                    for q, v in quarters.items():
                        total[q] += v
            self._shapes[key] = total if found else None
        return self._shapes[key]


# One shared index per snapshot for callers that pass none (briefs, the Reviews screen): made
# per call, each goal of a team brief scanned all 10k accounts for its team's.
def season_index(snapshot: Snapshot) -> SeasonIndex:
    """The :class:`SeasonIndex` of ``snapshot``, made once and kept with it."""
    return snapshot.memo("season_index", SeasonIndex)


def scope_accounts(goal: Goal, snapshot: Snapshot) -> list[Account]:
    """The accounts whose history shapes a goal's season: by its scope."""
    return list(season_index(snapshot).accounts(goal))


def trajectory(
    goal: Goal, snapshot: Snapshot, index: SeasonIndex | None = None
) -> Trajectory | None:
    """The goal's trajectory: seasonal where history allows (see the module notes), else linear.

    None when the goal has no deadline.

    Args:
        goal: the goal.
        snapshot: the workspace.
        index: a :class:`SeasonIndex` shared across goals (default: the snapshot's).
    """
    start = period_start(goal)
    if goal.deadline is None or start is None:
        return None
    if not _cumulative(goal):
        return Trajectory(start, goal.deadline, "linear", {})
    index = index or season_index(snapshot)
    spanned: list[tuple[int, int]] = []
    day = _quarter_bounds(*_quarter_of(start))[0]
    while day <= goal.deadline:
        spanned.append(_quarter_of(day))
        y, q = _quarter_of(day)
        day = _quarter_bounds(y + (q == 4), q % 4 + 1)[0]
    weights: dict[tuple[int, int], float] = {}
    for y, q in spanned:
        shape = index.shape(goal, y - 1)
        value = shape.get(q, 0.0) if shape else 0.0
        if value <= 0:
            return Trajectory(start, goal.deadline, "linear", {})
        weights[(y, q)] = value
    return Trajectory(start, goal.deadline, "seasonal", weights)


def _cumulative(goal: Goal) -> bool:
    return goal.horizon == Horizon.SHORT and is_additive(goal)


# --- progress ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """A goal's standing at a date: actual vs expected, projection and status."""

    goal_id: str
    as_of: dt.date
    kind: Literal["cumulative", "level"]
    method: Literal["linear", "seasonal"] | None
    target: float | None
    start_value: float | None
    """0 for cumulative goals; the baseline (or first check-in) for level goals."""
    actual: float | None
    """The last check-in's value at or before ``as_of``."""
    actual_date: dt.date | None
    confidence: float | None
    fraction: float | None
    """Share of the trajectory expected by ``actual_date``."""
    expected: float | None
    """Expected value at ``actual_date``."""
    variance: float | None
    """``actual - expected``."""
    expected_now: float | None
    """Expected value at ``as_of``."""
    projection: float | None
    """Projected value at the deadline."""
    attainment: float | None
    status: Status
    deadline: dt.date | None


def status_for(attainment: float | None, settings: ReviewSettings) -> Status:
    """``on_track``, ``at_risk`` or ``off_track`` for an attainment ratio; None -> ``unknown``."""
    if attainment is None:
        return "unknown"
    rounded = round(attainment, 9)
    if rounded >= settings.on_track:
        return "on_track"
    if rounded >= settings.at_risk:
        return "at_risk"
    return "off_track"


def attainment_of(projection: float, target: float, direction: Direction) -> float | None:
    """How much of the target the projection reaches, by the metric's direction."""
    if direction == Direction.INCREASE:
        if target > 0:
            return projection / target
        return 1.0 if projection >= target else 0.0
    if direction == Direction.DECREASE:
        if projection > 0:
            return target / projection
        return 1.0 if projection <= target else 0.0
    if target == 0:
        return 1.0 if projection == 0 else 0.0
    return 1.0 - abs(projection - target) / abs(target)


def progress(
    goal: Goal, snapshot: Snapshot, as_of: dt.date, index: SeasonIndex | None = None
) -> Progress:
    """Where ``goal`` stands at ``as_of``, from its check-ins up to that date.

    Args:
        goal: the goal.
        snapshot: the workspace.
        as_of: the date; later check-ins are ignored.
        index: a :class:`SeasonIndex` shared across goals.
    """
    settings = snapshot.settings.review
    m = goal.metric
    target = m.target if m else None
    known = [c for c in snapshot.points(goal.id) if c.date <= as_of]
    last = known[-1] if known else None
    kind: Literal["cumulative", "level"] = "cumulative" if _cumulative(goal) else "level"
    traj = trajectory(goal, snapshot, index)
    start_value: float | None
    if kind == "cumulative":
        start_value = 0.0
    elif m is not None and m.baseline is not None:
        start_value = m.baseline
    else:
        start_value = known[0].actual if len(known) >= 2 else None
    fraction = expected = variance = expected_now = projection = attainment = None
    if traj is not None and target is not None:
        expected_now = _expected(start_value, target, traj.fraction(as_of))
    if traj is not None and last is not None and target is not None:
        fraction = traj.fraction(last.date)
        expected = _expected(start_value, target, fraction)
        if expected is not None:
            variance = last.actual - expected
        if start_value is None:
            projection = last.actual
        elif fraction > 0:
            projection = start_value + (last.actual - start_value) / fraction
        if projection is not None:
            attainment = attainment_of(projection, target, m.direction if m else Direction.INCREASE)
    return Progress(
        goal_id=goal.id,
        as_of=as_of,
        kind=kind,
        method=traj.method if traj else None,
        target=target,
        start_value=start_value,
        actual=last.actual if last else None,
        actual_date=last.date if last else None,
        confidence=last.confidence if last else None,
        fraction=fraction,
        expected=expected,
        variance=variance,
        expected_now=expected_now,
        projection=projection,
        attainment=attainment,
        status=status_for(attainment, settings),
        deadline=goal.deadline,
    )


def _expected(start: float | None, target: float, fraction: float) -> float | None:
    if start is None:
        return None
    return start + (target - start) * fraction


# --- agenda -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Agenda:
    """What a review meeting on ``as_of`` should look at."""

    as_of: dt.date
    overdue: tuple[DueReview, ...]
    """Most days overdue first."""
    due: tuple[DueReview, ...]
    """Soonest first."""
    at_risk: tuple[Progress, ...]
    """Active goals at risk or off track: off track first, then by attainment."""


def fiscal_month(snapshot: Snapshot) -> int:
    """The month the workspace's fiscal year starts in."""
    return int(snapshot.settings.fiscal_year_start[:2])


def agenda(snapshot: Snapshot, as_of: dt.date) -> Agenda:
    """Reviews due and overdue, and goals at risk with their projection, at ``as_of``.

    Only active goals are on the agenda (drafts are not reviewed yet; the rest are closed).
    """
    settings = snapshot.settings.review
    fy = fiscal_month(snapshot)
    overdue: list[DueReview] = []
    due: list[DueReview] = []
    risky: list[Progress] = []
    index = season_index(snapshot)  # shared with progress() and briefs of the same snapshot
    for goal in sorted(snapshot.goals.values(), key=lambda g: g.id):
        if goal.status != GoalStatus.ACTIVE:
            continue
        for item in reviews_for(goal, snapshot.points(goal.id), as_of, settings, fy):
            (overdue if item.state == "overdue" else due).append(item)
        p = progress(goal, snapshot, as_of, index)
        if p.status in ("at_risk", "off_track"):
            risky.append(p)
    overdue.sort(key=lambda r: (-r.days, r.goal_id))
    due.sort(key=lambda r: (r.date, r.goal_id))
    risky.sort(key=lambda p: (STATUS_ORDER[p.status], p.attainment or 0.0, p.goal_id))
    return Agenda(as_of, tuple(overdue), tuple(due), tuple(risky))


@dataclass(frozen=True)
class TimelinePoint:
    """One date on a goal's timeline: a review, a check-in, or both."""

    date: dt.date
    expected: float | None
    """Where the trajectory says the goal should be."""
    actual: float | None
    """The check-in's value that day (the last one if several), else None."""
    review: bool
    """True when a review is scheduled that day."""
    covered: bool | None
    """For a review: whether a check-in covered it; None for a check-in-only point."""


def timeline(goal: Goal, snapshot: Snapshot) -> list[TimelinePoint]:
    """Every review date and check-in date of ``goal`` with expected and actual values, in order.

    What the Reviews screen draws: the expected line, the actual points and the review marks.
    """
    traj = trajectory(goal, snapshot)
    target = goal.metric.target if goal.metric else None
    checkins = snapshot.points(goal.id)
    slots = {
        s.date: s
        for s in schedule(
            goal,
            checkins,
            grace_days=snapshot.settings.review.grace_days,
            fiscal_start_month=fiscal_month(snapshot),
        )
    }
    actual = {c.date: c.actual for c in checkins}
    start_value: float | None
    if _cumulative(goal):
        start_value = 0.0
    elif goal.metric is not None and goal.metric.baseline is not None:
        start_value = goal.metric.baseline
    else:
        start_value = checkins[0].actual if len(checkins) >= 2 else None
    out = []
    for day in sorted(set(slots) | set(actual)):
        expected = None
        if traj is not None and target is not None:
            expected = _expected(start_value, target, traj.fraction(day))
        slot = slots.get(day)
        out.append(
            TimelinePoint(
                date=day,
                expected=expected,
                actual=actual.get(day),
                review=slot is not None,
                covered=None if slot is None else slot.checkin_id is not None,
            )
        )
    return out
