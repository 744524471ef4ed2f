"""Roll-ups, units, levels and growth across horizons, by hand and by property."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaplan_tui.core.models import Account, Goal, Metric, Segment
from kaplan_tui.core.planning.rollup import (
    Levels,
    child_rollup,
    history_growth,
    horizon_growth,
    is_additive,
    money_scale,
    period_label,
    rollup_by,
    rollup_periods,
    sum_levels,
    unit_key,
    unit_label,
    years_between,
)
from kaplan_tui.core.snapshot import Snapshot

GoalF = Callable[..., Goal]
SnapF = Callable[..., Snapshot]
D = dt.date
YEAR = {"start": D(2026, 1, 1), "deadline": D(2026, 12, 31)}


def test_unit_keys() -> None:
    assert unit_key(Metric(name="m", unit="CNY")) == ("cny", "CNY")
    assert unit_key(Metric(name="m", unit="", currency="CNY")) == ("cny", "CNY")
    assert unit_key(Metric(name="m", unit="万元")) == ("万元", None)
    assert unit_key(Metric(name="m", unit="Accounts")) == ("accounts", None)
    assert unit_label(("万元", "CNY")) == "万元 (CNY)"
    assert unit_label(("cny", "CNY")) == "CNY"
    assert money_scale(Metric(name="m", unit="万元"), "CNY") == ("CNY", 1e4)
    assert money_scale(Metric(name="m", unit="USD"), "CNY") == ("USD", 1.0)
    assert money_scale(Metric(name="m", unit="%"), "CNY") is None


def test_additive(goal: GoalF) -> None:
    assert is_additive(goal("g", type="revenue", unit="CNY", target=1.0))
    assert is_additive(goal("g", type="new_accounts", unit="accounts", target=1.0))
    assert not is_additive(goal("g", type="satisfaction", unit="score", target=1.0))
    assert not is_additive(goal("g", type="custom", unit="%", target=1.0))
    assert not is_additive(goal("g", type="revenue"))  # no metric


def test_years_and_period_labels(goal: GoalF) -> None:
    assert years_between(D(2026, 1, 1), D(2027, 1, 1)) == 1.0
    assert years_between(D(2026, 12, 31), D(2028, 12, 31)) == 2.0
    assert period_label(goal("g", **YEAR)) == "2026"
    assert period_label(goal("g", start=D(2026, 4, 1), deadline=D(2026, 6, 30))) == "2026-Q2"
    assert period_label(goal("g", start=D(2026, 7, 1), deadline=D(2026, 12, 31))) == "2026-H2"
    assert period_label(goal("g", start=D(2026, 2, 1), deadline=D(2026, 2, 28))) == "2026-02"
    assert period_label(goal("g", start=D(2026, 2, 3), deadline=D(2026, 2, 28))) is None


def test_sum_levels_by_hand() -> None:
    total = sum_levels([Levels(100, 120, 150), Levels(50, None, None), Levels(10, 12, None)])
    # stretch: 120 + 50 (its base) + 12; challenge: 150 + 50 + 12 (its stretch)
    assert total == Levels(160, 182, 212)
    assert sum_levels([Levels(1, 2, 3), Levels(None)]) == Levels(None, None, None)
    assert sum_levels([]) == Levels()


def test_child_rollup_by_hand(goal: GoalF, snap: SnapF) -> None:
    parent = goal("p", type="revenue", unit="CNY", target=1000.0, stretch=1200.0, **YEAR)
    kids = [
        goal("k1", parent="p", unit="CNY", target=300.0, stretch=400.0, **YEAR),
        goal("k2", parent="p", unit="CNY", target=500.0, **YEAR),
        goal("k3", parent="p", unit="万元", target=5.0, **YEAR),
        goal("k4", parent="p", horizon="mid", unit="CNY", target=9999.0),
        goal("k5", parent="p", unit="CNY", target=1.0, status="cancelled"),
    ]
    r = child_rollup(parent, snap(parent, kids))
    assert r.summed == ("k1", "k2", "k3")
    assert r.other_horizons == ("k4",)
    assert r.mixed_units == ("k3",)
    assert r.children == Levels(800.0, 900.0, 900.0)
    assert r.gap == 200.0


def test_horizon_growth_by_hand(goal: GoalF, snap: SnapF) -> None:
    long = goal(
        "L",
        horizon="long",
        unit="CNY",
        baseline=100.0,
        target=200.0,
        start=D(2026, 1, 1),
        deadline=D(2030, 12, 31),
    )
    short = goal("S", parent="L", unit="CNY", target=80.0, **YEAR)
    (hg,) = horizon_growth(snap(long, short))
    # required: (200 / 80) ** (1/4) - 1 = 0.25743; long's own: 2 ** (1/5) - 1 = 0.148698
    assert hg.years == 4.0
    assert hg.required == pytest.approx(0.25743, abs=1e-5)
    assert hg.reference == pytest.approx(0.148698, abs=1e-6)
    assert hg.reference_kind == "long_goal"
    assert hg.gap == pytest.approx(0.108734, abs=1e-5)
    # no baseline on the long goal: the short goal's own growth is the reference
    long2 = goal("L", horizon="long", unit="CNY", target=200.0, deadline=D(2030, 12, 31))
    short2 = goal("S", parent="L", unit="CNY", baseline=100.0, target=80.0, **YEAR)
    (hg2,) = horizon_growth(snap(long2, short2))
    assert hg2.reference_kind == "short_goal"
    assert hg2.reference == pytest.approx(-0.2)
    # different scope, unit, or no dates: no comparison
    other = goal("S", parent="L", unit="CNY", target=80.0, scope="person", scope_ref="p1", **YEAR)
    assert horizon_growth(snap(long, other)) == []
    wrong_unit = goal("S", parent="L", unit="万元", target=80.0, **YEAR)
    assert horizon_growth(snap(long, wrong_unit)) == []


def _acme() -> Account:
    return Account(
        id="acme", name="Acme", purchase_history={"2023": 100.0, "2024": 110.0, "2025": 121.0}
    )


def test_history_growth_by_hand(goal: GoalF, snap: SnapF) -> None:
    g = goal(
        "g", type="revenue", scope="account", scope_ref="acme", unit="CNY", target=200.0, **YEAR
    )
    (h,) = history_growth(snap(_acme(), g))
    # implied: 200 / 121 - 1 = 0.65289; history: (121 / 100) ** (1/2) - 1 = 0.10
    assert (h.base_year, h.base_revenue, h.years) == (2025, 121.0, 1)
    assert h.implied == pytest.approx(0.652893, abs=1e-6)
    assert h.history == pytest.approx(0.10)
    # 万元 are scaled: 0.02 万元 = 200 CNY
    g2 = goal(
        "g", type="revenue", scope="account", scope_ref="acme", unit="万元", target=0.02, **YEAR
    )
    (h2,) = history_growth(snap(_acme(), g2))
    assert h2.target == pytest.approx(200.0)
    # a quarter-long goal, or a goal in another currency, is not compared
    q = goal(
        "g",
        type="revenue",
        scope="account",
        scope_ref="acme",
        unit="CNY",
        target=50.0,
        start=D(2026, 1, 1),
        deadline=D(2026, 3, 31),
    )
    usd = goal(
        "g", type="revenue", scope="account", scope_ref="acme", unit="USD", target=50.0, **YEAR
    )
    assert history_growth(snap(_acme(), q)) == []
    assert history_growth(snap(_acme(), usd)) == []


def test_rollup_by_account_segment_person(goal: GoalF, snap: SnapF) -> None:
    acc = [Account(id="a1", name="A1", industry="ICT"), Account(id="a2", name="A2")]
    seg = Segment(id="s", name="S", members=["a1"])
    goals = [
        goal("g1", scope="account", scope_ref="a1", owner="p1", unit="CNY", target=100.0),
        goal("g1q", parent="g1", scope="account", scope_ref="a1", unit="CNY", target=25.0),
        goal(
            "g2", scope="account", scope_ref="a2", owner="p1", unit="CNY", target=50.0, stretch=60.0
        ),
        goal("g3", scope="segment", scope_ref="s", unit="CNY", target=10.0),
        goal("g4", scope="account", scope_ref="a1", unit="accounts", target=2.0),
        goal("g5", scope="account", scope_ref="a1", type="satisfaction", unit="score", target=90.0),
    ]
    s = snap(acc, seg, goals)
    by_acc = {(r.key, r.unit[0]): r for r in rollup_by(s, "account")}
    assert by_acc[("a1", "cny")].levels.base == 100.0  # g1q lies under g1: not counted twice
    assert by_acc[("a1", "cny")].goals == ("g1",)
    assert by_acc[("a1", "accounts")].levels.base == 2.0
    assert by_acc[("a2", "cny")].levels == Levels(50.0, 60.0, 60.0)
    assert ("a1", "score") not in by_acc
    by_seg = {(r.key, r.unit[0]): r for r in rollup_by(s, "segment")}
    assert by_seg[("s", "cny")].levels.base == 110.0  # g3 + g1 (a1 is a member)
    by_person = {(r.key, r.unit[0]): r for r in rollup_by(s, "person")}
    assert by_person[("p1", "cny")].levels.base == 150.0
    # asking for some rows gives those rows as they are among all
    for by in ("account", "segment", "person"):
        every = rollup_by(s, by)
        for keys in ({"a1"}, {"s", "p1"}, set()):
            assert rollup_by(s, by, only=keys) == [r for r in every if r.key in keys]


# --- properties -------------------------------------------------------------------------------

months = st.builds(lambda y, m: f"{y}-{m:02d}", st.integers(2024, 2026), st.integers(1, 12))
money = st.integers(0, 10**9).map(float)


@given(st.dictionaries(months, money, max_size=36))
def test_months_roll_up_to_quarters_and_years(values: dict[str, float]) -> None:
    out = rollup_periods(values)
    for year in {k[:4] for k in values}:
        expected = sum(v for k, v in values.items() if k.startswith(year))
        assert out[year] == expected
        quarters = sum(out.get(f"{year}-Q{q}", 0.0) for q in range(1, 5))
        assert quarters == expected
    assert sum(v for k, v in out.items() if len(k) == 4) == sum(values.values())


def test_rollup_periods_refuses_overlaps() -> None:
    with pytest.raises(ValueError, match="overlaps"):
        rollup_periods({"2025-Q1": 1.0, "2025-02": 1.0})
    with pytest.raises(ValueError, match="months or quarters"):
        rollup_periods({"2025": 1.0})


goal_rows = st.lists(
    st.tuples(
        st.sampled_from(["a1", "a2", "a3"]),
        st.sampled_from(["p1", "p2", None]),
        money,
        st.sampled_from(["CNY", "accounts"]),
    ),
    max_size=15,
)


@given(goal_rows, money)
def test_rollups_preserve_totals(
    rows: list[tuple[str, str | None, float, str]], parent_target: float
) -> None:
    goals: list[Goal] = []
    for i, (acc, owner, target, unit) in enumerate(rows):
        goals.append(
            Goal(
                id=f"g{i}",
                statement="s",
                scope="account",
                scope_ref=acc,
                owner=owner,
                metric=Metric(name="m", unit=unit, target=target),
            )
        )
    s = _snap(goals)
    for unit in ("CNY", "accounts"):
        total = sum(t for _, _, t, u in rows if u == unit)
        by_acc = [r for r in rollup_by(s, "account") if r.unit[0] == unit.casefold()]
        assert sum(r.levels.base or 0.0 for r in by_acc) == total
        owned = sum(t for _, o, t, u in rows if u == unit and o is not None)
        by_person = [r for r in rollup_by(s, "person") if r.unit[0] == unit.casefold()]
        assert sum(r.levels.base or 0.0 for r in by_person) == owned
    parent = Goal(id="p", statement="p", metric=Metric(name="m", unit="CNY", target=parent_target))
    kids = [g.model_copy(update={"parent": "p"}) for g in goals]
    r = child_rollup(parent, _snap([parent, *kids]))
    cny = sum(t for _, _, t, u in rows if u == "CNY")
    assert len(r.mixed_units) == sum(1 for row in rows if row[3] != "CNY")
    if any(row[3] == "CNY" for row in rows):
        assert r.children.base == cny
        assert r.gap == parent_target - cny


def _snap(goals: list[Goal], **kw: Any) -> Snapshot:
    from kaplan_tui.core.settings import Settings

    return Snapshot(settings=Settings(name="t"), goals={g.id: g for g in goals}, **kw)
