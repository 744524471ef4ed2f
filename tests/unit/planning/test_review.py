"""Review schedules, trajectories, projections, statuses and the agenda, by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kaplan_tui.core.models import Account, CheckIn, Goal
from kaplan_tui.core.planning.review import (
    agenda,
    attainment_of,
    progress,
    review_dates,
    reviews_for,
    schedule,
    status_for,
    timeline,
    trajectory,
)
from kaplan_tui.core.settings import ReviewSettings, Settings
from kaplan_tui.core.snapshot import Snapshot

GoalF = Callable[..., Goal]
SnapF = Callable[..., Snapshot]
D = dt.date
YEAR = {"start": D(2026, 1, 1), "deadline": D(2026, 12, 31)}


def ci(cid: str, goal: str, day: dt.date, actual: float, confidence: float = 0.7) -> CheckIn:
    return CheckIn(id=cid, goal=goal, date=day, actual=actual, confidence=confidence)


def test_review_dates(goal: GoalF) -> None:
    monthly = goal("g", start=D(2026, 1, 1), deadline=D(2026, 3, 31))
    assert review_dates(monthly) == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31)]
    quarterly = goal("g", review_cadence="quarterly", **YEAR)
    assert review_dates(quarterly) == [
        D(2026, 3, 31),
        D(2026, 6, 30),
        D(2026, 9, 30),
        D(2026, 12, 31),
    ]
    # fiscal year from April: yearly reviews at the end of March, then the deadline
    fiscal = goal("g", review_cadence="yearly", start=D(2026, 1, 1), deadline=D(2027, 6, 30))
    assert review_dates(fiscal, fiscal_start_month=4) == [
        D(2026, 3, 31),
        D(2027, 3, 31),
        D(2027, 6, 30),
    ]
    # a deadline mid-month is the last review; no deadline, no schedule
    assert review_dates(goal("g", start=D(2026, 1, 1), deadline=D(2026, 2, 10))) == [
        D(2026, 1, 31),
        D(2026, 2, 10),
    ]
    assert review_dates(goal("g")) == []


def test_schedule_coverage_with_grace(goal: GoalF) -> None:
    g = goal("g", start=D(2026, 1, 1), deadline=D(2026, 4, 30))
    checkins = [
        ci("c1", "g", D(2026, 1, 20), 1),
        ci("c2", "g", D(2026, 3, 5), 2),
        ci("c3", "g", D(2026, 4, 6), 3),
    ]
    slots = schedule(g, checkins, grace_days=7)
    # Jan: c1. Feb 28: c2 on Mar 5 is within 7 days. Mar 31: c3 on Apr 6 is. Apr 30: none.
    assert [(s.date, s.checkin_id) for s in slots] == [
        (D(2026, 1, 31), "c1"),
        (D(2026, 2, 28), "c2"),
        (D(2026, 3, 31), "c3"),
        (D(2026, 4, 30), None),
    ]


def _month_ends_walk(start: dt.date, deadline: dt.date, step: int, fiscal: int) -> list[dt.date]:
    """The schedule as the module notes state it, month by month (the reference)."""
    out = []
    year, month = start.year, start.month
    while True:
        end = D(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        if end >= deadline:
            break
        if (month - fiscal + 1) % step == 0 and end >= start:
            out.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [*out, deadline]


@pytest.mark.parametrize("cadence", ["monthly", "quarterly", "yearly"])
def test_review_dates_match_a_month_by_month_walk(goal: GoalF, cadence: str) -> None:
    step = {"monthly": 1, "quarterly": 3, "yearly": 12}[cadence]
    starts = [D(2025, 1, 1), D(2025, 2, 15), D(2025, 11, 30), D(2026, 3, 31)]
    deadlines = [D(2025, 1, 10), D(2025, 3, 31), D(2026, 2, 28), D(2026, 3, 31), D(2027, 7, 4)]
    for start in starts:
        for deadline in (d for d in deadlines if d >= start):
            g = goal("g", review_cadence=cadence, start=start, deadline=deadline)
            for fiscal in range(1, 13):
                assert review_dates(g, fiscal_start_month=fiscal) == _month_ends_walk(
                    start, deadline, step, fiscal
                ), (start, deadline, fiscal)


def test_schedule_takes_the_earliest_unused_check_in_of_each_window(goal: GoalF) -> None:
    g = goal("g", start=D(2026, 1, 1), deadline=D(2026, 5, 31))
    checkins = [  # given out of order; two on one day are taken by id
        ci("c5", "g", D(2026, 5, 2), 5),
        ci("c2", "g", D(2026, 2, 3), 2),
        ci("c1", "g", D(2026, 2, 3), 1),
        ci("c3", "g", D(2026, 2, 5), 3),
        ci("c4", "g", D(2026, 4, 9), 4),
    ]
    slots = schedule(g, checkins, grace_days=7)
    # Jan 31: c1 (Feb 3, the lower id). Feb 28: c2 and c3 are after Jan 31 and unused: c2.
    # Mar 31: c4 on Apr 9 is past the grace days. Apr 30: c4. May 31: c5.
    assert [(s.date, s.checkin_id) for s in slots] == [
        (D(2026, 1, 31), "c1"),
        (D(2026, 2, 28), "c2"),
        (D(2026, 3, 31), None),
        (D(2026, 4, 30), "c4"),
        (D(2026, 5, 31), "c5"),
    ]
    # grace days longer than a month: a check-in is never taken twice, and the window of each
    # review starts after the review before, so c3 (Feb 5) is left for no one after Feb 28
    slots = schedule(g, checkins, grace_days=40)
    assert [s.checkin_id for s in slots] == ["c1", "c2", "c4", "c5", None]


def test_due_and_overdue(goal: GoalF) -> None:
    g = goal("g", owner="p1", **YEAR)
    checkins = [
        ci("c1", "g", D(2026, 1, 20), 1),
        ci("c2", "g", D(2026, 2, 25), 2),
        ci("late", "g", D(2026, 5, 1), 3),
    ]
    settings = ReviewSettings()  # grace 7, look ahead 14
    overdue, due = reviews_for(g, checkins, D(2026, 4, 20), settings)
    # March 31 + 7 days < April 20 and uncovered (the May check-in is after the agenda date)
    assert (overdue.state, overdue.date, overdue.days, overdue.missed) == (
        "overdue",
        D(2026, 3, 31),
        20,
        1,
    )
    assert overdue.last_checkin == D(2026, 2, 25)
    assert (due.state, due.date, due.days) == ("due", D(2026, 4, 30), 10)
    # inside the grace window a passed review is due, not overdue
    (due,) = reviews_for(g, checkins, D(2026, 4, 3), settings)
    assert (due.state, due.date, due.days) == ("due", D(2026, 3, 31), -3)
    # nothing within the look-ahead
    assert reviews_for(g, checkins[:2], D(2026, 3, 10), settings) == []


def test_linear_trajectory(goal: GoalF, snap: SnapF) -> None:
    g = goal("g", type="revenue", unit="CNY", target=365.0, **YEAR)
    traj = trajectory(g, snap(g))
    assert traj is not None and traj.method == "linear"
    assert traj.fraction(D(2026, 3, 31)) == pytest.approx(90 / 365)
    assert traj.fraction(D(2025, 12, 31)) == 0.0
    assert traj.fraction(D(2027, 1, 5)) == 1.0


@pytest.mark.parametrize(
    ("actual", "projection", "status"),
    [(100.0, 405.5556, "on_track"), (80.0, 324.4444, "at_risk"), (70.0, 283.8889, "off_track")],
)
def test_cumulative_progress(
    goal: GoalF, snap: SnapF, actual: float, projection: float, status: str
) -> None:
    # expected by Mar 31: 365 * 90/365 = 90; projection = actual / (90/365)
    g = goal("g", type="revenue", unit="CNY", target=365.0, **YEAR)
    p = progress(g, snap(g, ci("c", "g", D(2026, 3, 31), actual)), D(2026, 4, 15))
    assert (p.kind, p.method) == ("cumulative", "linear")
    assert p.expected == pytest.approx(90.0)
    assert p.variance == pytest.approx(actual - 90.0)
    assert p.projection == pytest.approx(projection, abs=1e-4)
    assert p.attainment == pytest.approx(projection / 365, abs=1e-6)
    assert p.status == status
    assert p.expected_now == pytest.approx(365 * 105 / 365)


def test_seasonal_trajectory(goal: GoalF, snap: SnapF) -> None:
    acme = Account(
        id="acme",
        name="Acme",
        purchase_history={
            "2025-Q1": 10.0,
            "2025-Q2": 20.0,
            "2025-04": 0.0,
            "2025-Q3": 30.0,
            "2025-Q4": 40.0,
        },
    )
    g = goal(
        "g", type="revenue", scope="account", scope_ref="acme", unit="CNY", target=200.0, **YEAR
    )
    s = snap(acme, g, ci("c", "g", D(2026, 6, 30), 60.0))
    traj = trajectory(g, s)
    assert traj is not None and traj.method == "seasonal"
    # by June 30: Q1 + Q2 of last year = 30 of 100
    assert traj.fraction(D(2026, 6, 30)) == pytest.approx(0.30)
    # Feb 14: 45 of Q1's 90 days, Q1 weighs 10 of 100
    assert traj.fraction(D(2026, 2, 14)) == pytest.approx(0.05)
    p = progress(g, s, D(2026, 7, 1))
    assert (p.method, p.status) == ("seasonal", "on_track")
    assert (p.expected, p.projection) == pytest.approx((60.0, 200.0))
    # a quarter without sales last year: no reliable season, linear instead
    flat = acme.model_copy(update={"purchase_history": {"2025-Q1": 10.0, "2025-Q2": 20.0}})
    traj = trajectory(g, snap(flat, g))
    assert traj is not None and traj.method == "linear"


def test_level_progress_and_directions(goal: GoalF, snap: SnapF) -> None:
    # satisfaction 80 -> 90 over 2026; by Jul 2 (183 of 365 days) at 84
    g = goal("g", type="satisfaction", unit="score", baseline=80.0, target=90.0, **YEAR)
    p = progress(g, snap(g, ci("c", "g", D(2026, 7, 2), 84.0)), D(2026, 7, 10))
    f = 183 / 365
    assert p.kind == "level"
    assert p.expected == pytest.approx(80 + 10 * f)
    assert p.projection == pytest.approx(80 + 4 / f)
    assert p.status == "on_track"  # 87.98 / 90 = 0.978
    # sales cycle 90 -> 60 days, should decrease; halfway at 80 days projects 70
    cycle = goal(
        "c",
        type="sales_cycle",
        unit="days",
        direction="decrease",
        baseline=90.0,
        target=60.0,
        start=D(2026, 1, 1),
        deadline=D(2026, 1, 10),
    )
    p = progress(cycle, snap(cycle, ci("x", "c", D(2026, 1, 5), 80.0)), D(2026, 1, 6))
    assert p.projection == pytest.approx(70.0)
    assert p.attainment == pytest.approx(60 / 70)
    assert p.status == "at_risk"


def test_attainment_and_status_edges() -> None:
    settings = ReviewSettings(on_track=0.95, at_risk=0.85)
    assert status_for(0.95, settings) == "on_track"
    assert status_for(0.9499, settings) == "at_risk"
    assert status_for(0.85, settings) == "at_risk"
    assert status_for(0.8499, settings) == "off_track"
    assert status_for(None, settings) == "unknown"
    assert attainment_of(110.0, 100.0, "maintain") == pytest.approx(0.9)  # type: ignore[arg-type]
    assert attainment_of(0.0, 0.0, "increase") == 1.0  # type: ignore[arg-type]


def test_no_checkin_is_unknown(goal: GoalF, snap: SnapF) -> None:
    g = goal("g", type="revenue", unit="CNY", target=100.0, **YEAR)
    p = progress(g, snap(g), D(2026, 5, 1))
    assert (p.status, p.projection, p.actual) == ("unknown", None, None)


def test_agenda(goal: GoalF, snap: SnapF) -> None:
    goals = [
        goal("behind", type="revenue", unit="CNY", target=365.0, owner="p1", **YEAR),
        goal("fine", type="revenue", unit="CNY", target=365.0, **YEAR),
        goal("draft", type="revenue", unit="CNY", target=365.0, status="draft", **YEAR),
    ]
    checkins = [
        ci("b1", "behind", D(2026, 1, 31), 20.0),
        ci("b3", "behind", D(2026, 3, 31), 70.0),  # expected 90: projects 283.9, off track
        ci("f1", "fine", D(2026, 1, 30), 30.0),
        ci("f2", "fine", D(2026, 2, 27), 60.0),
        ci("f3", "fine", D(2026, 3, 31), 95.0),
        ci("f4", "fine", D(2026, 4, 30), 125.0),
    ]
    settings = Settings(name="t", language="en")
    result = agenda(snap(goals, checkins, settings=settings), D(2026, 5, 2))
    # behind: February uncovered (63 days ago), April in its grace window; drafts are skipped
    assert [(r.goal_id, r.date, r.days, r.missed) for r in result.overdue] == [
        ("behind", D(2026, 2, 28), 63, 1)
    ]
    assert [(r.goal_id, r.state, r.date, r.days) for r in result.due] == [
        ("behind", "due", D(2026, 4, 30), -2)
    ]
    assert [(p.goal_id, p.status) for p in result.at_risk] == [("behind", "off_track")]
    assert result.at_risk[0].projection == pytest.approx(70 * 365 / 90)
    later = agenda(snap(goals, checkins, settings=settings), D(2026, 5, 20))
    assert [(r.goal_id, r.date, r.missed) for r in later.overdue] == [("behind", D(2026, 4, 30), 2)]
    assert [(r.goal_id, r.date) for r in later.due] == [
        ("behind", D(2026, 5, 31)),
        ("fine", D(2026, 5, 31)),
    ]


def test_timeline(goal: GoalF, snap: SnapF) -> None:
    g = goal("g", type="revenue", unit="CNY", target=365.0, review_cadence="quarterly", **YEAR)
    s = snap(g, ci("c1", "g", D(2026, 2, 15), 40.0), ci("c2", "g", D(2026, 6, 30), 170.0))
    points = timeline(g, s)
    assert [(p.date, p.review, p.covered, p.actual) for p in points] == [
        (D(2026, 2, 15), False, None, 40.0),
        (D(2026, 3, 31), True, True, None),
        (D(2026, 6, 30), True, True, 170.0),
        (D(2026, 9, 30), True, False, None),
        (D(2026, 12, 31), True, False, None),
    ]
    # expected: 365 * days elapsed / 365 (Feb 15 is day 46, Jun 30 day 181)
    assert [p.expected for p in points] == pytest.approx([46.0, 90.0, 181.0, 273.0, 365.0])


def test_season_of_a_team_person_and_segment(goal: GoalF, snap: SnapF) -> None:
    from kaplan_tui.core.models import Person, Segment, Territory
    from kaplan_tui.core.planning.review import SeasonIndex, scope_accounts

    history = {"2025-Q1": 10.0, "2025-Q2": 10.0, "2025-Q3": 10.0, "2025-Q4": 10.0}
    late = {"2025-Q1": 0.0, "2025-Q2": 0.0, "2025-Q3": 0.0, "2025-Q4": 60.0}
    accounts = [
        Account(id="a1", name="A1", owner="p1", purchase_history=history),
        Account(id="a2", name="A2", owner="p2", purchase_history=late),
        Account(id="a3", name="A3", owner="p3", purchase_history=history),
    ]
    people = [
        Person(id="p1", name="P1", team="east"),
        Person(id="p2", name="P2", team="east"),
        Person(id="p3", name="P3", team="west", territory=Territory(accounts=["a2"])),
    ]
    seg = Segment(id="s", name="S", members=["a2", "a3"])
    team = goal(
        "t", type="revenue", unit="CNY", target=100.0, scope="team", scope_ref="east", **YEAR
    )
    s = snap(accounts, people, seg, team)
    assert [a.id for a in scope_accounts(team, s)] == ["a1", "a2"]
    person = goal("p", scope="person", scope_ref="p3", unit="CNY", target=1.0, **YEAR)
    assert [a.id for a in scope_accounts(person, s)] == ["a2", "a3"]
    segment = goal("g", scope="segment", scope_ref="s", unit="CNY", target=1.0, **YEAR)
    assert [a.id for a in scope_accounts(segment, s)] == ["a2", "a3"]
    # east last year: 10, 10, 10, 70 of 100 -> 30% expected by the end of September
    index = SeasonIndex(s)
    traj = trajectory(team, s, index)
    assert traj is not None and traj.method == "seasonal"
    assert traj.fraction(D(2026, 9, 30)) == pytest.approx(0.30)
    assert index.shape(team, 2025) == {1: 10.0, 2: 10.0, 3: 10.0, 4: 70.0}


def test_snapshot_indexes_keep_the_order_of_the_snapshot(snap: SnapF) -> None:
    from kaplan_tui.core.models import Person

    accounts = [
        Account(id="a3", name="A3", owner="p2"),
        Account(id="a1", name="A1", owner="p1"),
        Account(id="a4", name="A4"),
        Account(id="a2", name="A2", owner="p2"),
        Account(id="a0", name="A0", owner="p1"),
    ]
    people = [Person(id="p2", name="P2", team="t"), Person(id="p1", name="P1", team="t")]
    s = snap(accounts, people)
    assert {k: [a.id for a in v] for k, v in s.accounts_by_owner.items()} == {
        "p2": ["a3", "a2"],
        "p1": ["a1", "a0"],
        None: ["a4"],
    }
    assert [a.id for a in s.accounts_owned_by({"p1", "p2"})] == ["a3", "a1", "a2", "a0"]
    assert [a.id for a in s.accounts_owned_by(["p1"])] == ["a1", "a0"]
    assert s.accounts_owned_by(["nobody"]) == []
    assert s.account_ids_owned_by({"p1", "p2"}) == ["a3", "a1", "a2", "a0"]
    assert s.account_ids_owned_by(["p1"]) == ["a1", "a0"]
    assert s.account_ids_owned_by(["nobody"]) == [] and s.account_ids_owned_by([None]) == ["a4"]
    assert [p.id for p in s.people_by_team["t"]] == ["p2", "p1"]


def test_trajectory_without_an_index_shares_one_per_snapshot(goal: GoalF, snap: SnapF) -> None:
    from kaplan_tui.core.planning.review import SeasonIndex, season_index

    history = {"2025-Q1": 10.0, "2025-Q2": 10.0, "2025-Q3": 10.0, "2025-Q4": 70.0}
    mine = goal(
        "t", type="revenue", unit="CNY", target=100.0, scope="person", scope_ref="p1", **YEAR
    )
    s = snap(Account(id="a1", name="A1", owner="p1", purchase_history=history), mine)
    assert season_index(s) is season_index(s)
    shared = trajectory(mine, s)
    assert shared == trajectory(mine, s, SeasonIndex(s))
    assert shared is not None and shared.method == "seasonal"
