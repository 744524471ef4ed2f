"""Purchase-history helpers, scoring, tiers, overrides and sensitivity, against hand-computed
figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kaplan_tui.core.models import Account, PipelineItem, Segment, SegmentRule, TierOverride
from kaplan_tui.core.planning.history import (
    active_quarters,
    cagr,
    history_cagr,
    quarters_in_year,
    reference_year,
    revenue_in_year,
)
from kaplan_tui.core.planning.scoring import (
    score_accounts,
    sensitivity,
    tier_change,
    tier_for_rank,
    tier_for_score,
)
from kaplan_tui.core.planning.segments import matches, members_of, segments_of_accounts
from kaplan_tui.core.settings import ScoringSettings

TODAY = dt.date(2026, 6, 1)

# --- history -------------------------------------------------------------------------------


def test_year_revenue_never_counts_twice() -> None:
    history = {"2025": 100.0, "2025-Q1": 30.0, "2025-07": 5.0, "2024-Q1": 10.0, "2024-02": 3.0}
    assert revenue_in_year(history, 2025) == 100.0  # the year label covers its parts
    assert revenue_in_year(history, 2024) == 10.0  # Q1 covers February
    assert revenue_in_year(history, 2023) is None


def test_quarters_from_months_and_quarters() -> None:
    history = {"2025-Q1": 10.0, "2025-04": 2.0, "2025-05": 3.0, "2025-Q4": 7.0}
    assert quarters_in_year(history, 2025) == {1: 10.0, 2: 5.0, 3: 0.0, 4: 7.0}
    assert quarters_in_year({"2025": 9.0}, 2025) is None
    assert quarters_in_year({"2025-H1": 9.0}, 2025) is None
    assert quarters_in_year(history, 2024) is None


def test_active_quarters() -> None:
    history = {"2023": 5.0, "2024-H2": 1.0, "2025-02": 1.0, "2025-03": 1.0, "2025-Q3": 0.0}
    # 2023: four quarters; 2024-H2: Q3 and Q4; 2025: Q1 once; a zero quarter does not count
    assert active_quarters(history, range(2023, 2026)) == 7
    assert active_quarters(history, [2025]) == 1


def test_cagr_and_history_cagr() -> None:
    assert cagr(100, 121, 2) == pytest.approx(0.10)
    assert cagr(0, 121, 2) is None
    assert cagr(100, 50, 0) is None
    hist = {"2023": 100.0, "2024": 150.0, "2025": 121.0}
    assert history_cagr(hist, 2025) == pytest.approx((0.10, 2))
    # no 2023: one step from 2024
    assert history_cagr({"2024": 100.0, "2025": 80.0}, 2025) == pytest.approx((-0.2, 1))
    assert history_cagr({"2025": 80.0}, 2025) is None


def test_reference_year() -> None:
    assert reference_year([{"2024": 1.0, "2026-Q1": 1.0}], dt.date(2026, 5, 1)) == 2025
    assert reference_year([{"2023": 1.0}], dt.date(2026, 5, 1)) == 2023
    assert reference_year([], dt.date(2026, 5, 1)) == 2025


# --- scoring -------------------------------------------------------------------------------


def _abc() -> list[Account]:
    return [
        Account(id="a", name="A", purchase_history={"2025": 100.0}, strategic_fit=5),
        Account(id="b", name="B", purchase_history={"2025": 200.0}, strategic_fit=1),
        Account(
            id="c", name="C", purchase_history={"2025-Q1": 20.0, "2025-Q2": 20.0}, strategic_fit=3
        ),
    ]


def _settings(**kw: object) -> ScoringSettings:
    return ScoringSettings(weights={"revenue_last_year": 0.5, "strategic_fit": 0.5}, **kw)


def test_scores_hand_computed() -> None:
    # revenue normalised by the max (200): a 0.5, b 1.0, c 0.2; fit (x-1)/4: a 1, b 0, c 0.5
    # score = 100 * (0.5 * rev + 0.5 * fit): a 75, b 50, c 35
    result = score_accounts(_abc(), _settings(tier_method="thresholds"), today=TODAY)
    assert result.year == 2025
    got = {s.account_id: s for s in result.accounts}
    assert [s.account_id for s in result.accounts] == ["a", "b", "c"]
    assert got["a"].score == pytest.approx(75.0)
    assert got["b"].score == pytest.approx(50.0)
    assert got["c"].score == pytest.approx(35.0)
    rev_c = next(c for c in got["c"].components if c.criterion == "revenue_last_year")
    assert (rev_c.raw, rev_c.high, rev_c.normalised) == pytest.approx((40.0, 200.0, 0.2))
    assert rev_c.share == 0.5
    assert rev_c.contribution == pytest.approx(10.0)
    growth = next(c for c in got["a"].components if c.criterion == "growth_3y")
    assert growth.weight == 0 and growth.contribution == 0
    # thresholds 70 / 40: a tier 1, b tier 2, c tier 3
    assert [got[k].tier for k in "abc"] == [1, 2, 3]


def test_rank_bands_and_ties() -> None:
    result = score_accounts(_abc(), _settings(tier_method="rank", rank_bands=[2]), today=TODAY)
    assert [(s.account_id, s.rank, s.tier) for s in result.accounts] == [
        ("a", 1, 1),
        ("b", 2, 1),
        ("c", 3, 2),
    ]
    twins = [Account(id="y", name="Y", strategic_fit=3), Account(id="x", name="X", strategic_fit=3)]
    tied = score_accounts(twins, _settings(rank_bands=[1]), today=TODAY)
    assert [(s.account_id, s.tier) for s in tied.accounts] == [("x", 1), ("y", 2)]


def test_rank_bands_fill_tiers_in_rank_order_and_stop_at_tier_nine() -> None:
    # fits 5, 5, 4, 4, 3, ... : ranked by score, then by id
    accounts = [Account(id=f"a{i:02d}", name="A", strategic_fit=5 - i // 3) for i in range(14)]
    accounts.reverse()  # the order given does not matter
    settings = ScoringSettings(weights={"strategic_fit": 1.0}, rank_bands=[2, 3] + [1] * 9)
    result = score_accounts(accounts, settings, today=TODAY)
    assert [s.account_id for s in result.accounts] == [f"a{i:02d}" for i in range(14)]
    # two in tier 1, three in tier 2, then one each until tier 9 holds everyone left
    assert [s.tier for s in result.accounts] == [1, 1, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9]
    few = score_accounts(accounts[:3], settings, today=TODAY)
    assert [s.tier for s in few.accounts] == [1, 1, 2]


@pytest.mark.parametrize(
    ("score", "tier"), [(75.0, 1), (70.0, 1), (69.999, 2), (40.0, 2), (39.9, 3), (0.0, 3)]
)
def test_tier_for_score(score: float, tier: int) -> None:
    assert tier_for_score(score, [70.0, 40.0]) == tier


@pytest.mark.parametrize(("rank", "tier"), [(1, 1), (10, 1), (11, 2), (30, 2), (31, 3)])
def test_tier_for_rank(rank: int, tier: int) -> None:
    assert tier_for_rank(rank, [10, 20]) == tier


def test_growth_min_max_and_other_criteria() -> None:
    accounts = [
        Account(id="g1", name="G1", purchase_history={"2023": 100.0, "2025": 121.0}),  # +10%
        Account(id="g2", name="G2", purchase_history={"2023": 100.0, "2025": 144.0}),  # +20%
        Account(id="g3", name="G3", purchase_history={"2024": 100.0, "2025": 115.0}),  # +15%
        Account(id="g4", name="G4", pipeline=[PipelineItem(stage="s", amount=50.0)]),
    ]
    settings = ScoringSettings(weights={"growth_3y": 1.0})
    got = score_accounts(accounts, settings, today=TODAY).by_id()
    # min 0.10, max 0.20: g1 0, g2 1, g3 0.5, g4 (no history) 0
    assert got["g1"].score == pytest.approx(0.0)
    assert got["g2"].score == pytest.approx(100.0)
    assert got["g3"].score == pytest.approx(50.0)
    assert got["g4"].score == 0.0
    # an outlier is clipped to the growth cap: it cannot flatten the others
    tripled = Account(id="g5", name="G5", purchase_history={"2023": 1.0, "2025": 9.0})  # +200%
    capped = ScoringSettings(weights={"growth_3y": 1.0}, growth_cap=0.3)
    got = score_accounts([*accounts, tripled], capped, today=TODAY).by_id()
    # clipped rates 0.10 .. 0.30: g1 0, g2 0.5, g3 0.25, g5 1
    assert got["g2"].score == pytest.approx(50.0)
    assert got["g3"].score == pytest.approx(25.0)
    assert got["g5"].score == pytest.approx(100.0)
    g5 = next(c for c in got["g5"].components if c.criterion == "growth_3y")
    assert (g5.raw, g5.high) == pytest.approx((2.0, 0.3))
    pipe = ScoringSettings(weights={"pipeline": 2.0, "purchase_frequency": 2.0})
    got = score_accounts(accounts, pipe, today=TODAY).by_id()
    # pipeline: g4 50/50 = 1 -> 50 points; frequency: g1, g2 have 8 quarters (2 years), g3 8
    assert got["g4"].score == pytest.approx(50.0)
    assert got["g1"].score == pytest.approx(50.0)


def test_override_wins_and_is_reported() -> None:
    accounts = _abc()
    accounts[2] = accounts[2].model_copy(
        update={"tier_override": TierOverride(tier=1, reason="strategic logo"), "tier": 3}
    )
    got = score_accounts(accounts, _settings(tier_method="thresholds"), today=TODAY).by_id()
    assert got["c"].computed_tier == 3
    assert got["c"].tier == 1
    assert got["c"].override_reason == "strategic logo"
    assert got["c"].tier_changed  # stored 3, holds 1
    change = tier_change(got["c"], date=TODAY, by="alice")
    assert change is not None
    assert (change.tier, change.previous, change.manual, change.reason) == (
        1,
        3,
        True,
        "strategic logo",
    )
    assert got["a"].tier_changed  # no stored tier
    same = accounts[0].model_copy(update={"tier": 1})
    again = score_accounts(
        [same, *accounts[1:]], _settings(tier_method="thresholds"), today=TODAY
    ).by_id()
    assert not again["a"].tier_changed
    assert tier_change(again["a"], date=TODAY) is None


def test_sensitivity_hand_computed() -> None:
    # thresholds 70 / 51: a 75 (tier 1), b 50 (tier 3), c 35 (tier 3).
    # revenue weight x1.1: shares .55/1.05 and .5/1.05 -> b = 100 * .55 / 1.05 = 52.38 (tier 2)
    # fit weight x0.9: shares .5/.95 and .45/.95 -> b = 100 * .5 / .95 = 52.63 (tier 2)
    settings = _settings(tier_method="thresholds", thresholds=[70.0, 51.0])
    cases = sensitivity(_abc(), settings, today=TODAY)
    assert [(c.criterion, c.factor) for c in cases] == [
        ("revenue_last_year", 1.1),
        ("revenue_last_year", 0.9),
        ("strategic_fit", 1.1),
        ("strategic_fit", 0.9),
    ]
    moved = {(c.criterion, c.factor): c.shifts for c in cases}
    (up,) = moved[("revenue_last_year", 1.1)]
    assert (up.account_id, up.tier_from, up.tier_to) == ("b", 3, 2)
    assert up.score_to == pytest.approx(100 * 0.55 / 1.05)
    (down,) = moved[("strategic_fit", 0.9)]
    assert (down.account_id, down.tier_to) == ("b", 2)
    assert down.score_to == pytest.approx(100 / 1.9)
    assert moved[("revenue_last_year", 0.9)] == ()
    assert moved[("strategic_fit", 1.1)] == ()


def test_sensitivity_never_moves_an_override() -> None:
    accounts = _abc()
    accounts[1] = accounts[1].model_copy(update={"tier_override": TierOverride(tier=3, reason="r")})
    settings = _settings(tier_method="thresholds", thresholds=[70.0, 51.0])
    assert all(not c.shifts for c in sensitivity(accounts, settings, today=TODAY))


def test_unknown_criteria_are_listed_and_ignored() -> None:
    settings = ScoringSettings(weights={"strategic_fit": 1.0, "vibes": 5.0})
    result = score_accounts(_abc(), settings, today=TODAY)
    assert result.ignored_criteria == ("vibes",)
    assert result.by_id()["a"].score == pytest.approx(100.0)


ratings = st.one_of(st.none(), st.integers(1, 5))
amounts = st.one_of(st.none(), st.floats(0, 1e9, allow_nan=False))


@given(
    st.lists(st.tuples(ratings, ratings, amounts, amounts), min_size=1, max_size=12),
    st.dictionaries(
        st.sampled_from(
            [
                "revenue_last_year",
                "potential",
                "strategic_fit",
                "relationship",
                "pipeline",
                "growth_3y",
                "purchase_frequency",
            ]
        ),
        st.floats(0, 10, allow_nan=False),
    ),
)
def test_contributions_add_up_to_a_bounded_score(
    rows: list[tuple[int | None, int | None, float | None, float | None]],
    weights: dict[str, float],
) -> None:
    accounts = [
        Account(
            id=f"a{i}",
            name=f"A{i}",
            strategic_fit=fit,
            relationship_strength=rel,
            potential=pot,
            purchase_history={} if rev is None else {"2025": rev},
        )
        for i, (fit, rel, rev, pot) in enumerate(rows)
    ]
    result = score_accounts(accounts, ScoringSettings(weights=weights), today=TODAY)
    for s in result.accounts:
        assert 0.0 <= s.score <= 100.0 + 1e-9
        assert sum(c.contribution for c in s.components) == pytest.approx(s.score)
        assert all(0.0 <= c.normalised <= 1.0 for c in s.components)
    assert sorted(s.rank for s in result.accounts) == list(range(1, len(rows) + 1))


# --- segments ------------------------------------------------------------------------------


def test_segment_rule_and_members() -> None:
    accounts = {
        "m1": Account(
            id="m1",
            name="M1",
            industry="制造业",
            region="East",
            tier=1,
            purchase_history={"2025": 500.0},
            tags=["Auto"],
        ),
        "m2": Account(
            id="m2",
            name="M2",
            industry="制造业 ",
            region="west",
            tier=2,
            purchase_history={"2025": 50.0},
        ),
        "h1": Account(id="h1", name="H1", industry="医疗健康", region="East", tier=1),
    }
    rule = SegmentRule(industries=["制造业"], min_revenue_last_year=100.0)
    assert matches(rule, accounts["m1"], year=2025)
    assert not matches(rule, accounts["m2"], year=2025)  # revenue too low
    assert not matches(SegmentRule(regions=["EAST"], tiers=[2]), accounts["m1"], year=2025)
    assert matches(SegmentRule(regions=["EAST"], tiers=[2]), accounts["m1"], year=2025, tier=2)
    assert matches(SegmentRule(tags=["auto"]), accounts["m1"], year=2025)
    assert not matches(SegmentRule(max_revenue_last_year=100.0), accounts["m1"], year=2025)
    seg = Segment(id="s", name="S", rule=rule, members=["h1", "gone"])
    assert members_of(seg, accounts, year=2025) == ["h1", "m1"]
    by_account = segments_of_accounts({"s": seg}, accounts, year=2025)
    assert by_account == {"m1": ["s"], "m2": [], "h1": ["s"]}


labels = st.builds(
    lambda y, kind, n: {
        "year": str(y),
        "half": f"{y}-H{n % 2 + 1}",
        "quarter": f"{y}-Q{n % 4 + 1}",
        "month": f"{y}-{n % 12 + 1:02d}",
    }[kind],
    st.integers(2023, 2025),
    st.sampled_from(["year", "half", "quarter", "month"]),
    st.integers(0, 11),
)


@given(st.dictionaries(labels, st.integers(0, 1000).map(float), max_size=20))
def test_year_revenue_matches_the_coarsest_first_rule(history: dict[str, float]) -> None:
    from kaplan_tui.core.periods import parse_period

    # the rule, spelled out slowly: coarsest labels first; skip a label a kept one contains
    order = {"year": 0, "half": 1, "quarter": 2, "month": 3}
    periods = sorted((parse_period(k) for k in history), key=lambda p: (order[p.kind], p.start))
    kept: list[Any] = []
    for p in periods:
        if not any(k.start <= p.start and p.end <= k.end for k in kept):
            kept.append(p)
    for year in (2023, 2024, 2025):
        found = [history[p.label] for p in kept if p.year == year]
        assert revenue_in_year(history, year) == (sum(found) if found else None)
        coarse = any(p.kind in ("year", "half") for p in kept if p.year == year)
        quarters = {q: 0.0 for q in (1, 2, 3, 4)}
        for p in kept:
            if p.year == year:
                quarters[(p.start.month - 1) // 3 + 1] += history[p.label]
        expected = None if coarse or not found else quarters
        assert quarters_in_year(history, year) == expected
    marked = {
        (p.year, q)
        for p in kept
        if history[p.label] > 0
        for q in range((p.start.month - 1) // 3 + 1, (p.end.month - 1) // 3 + 2)
    }
    assert active_quarters(history, [2024, 2025, 2024]) == sum(1 for y, _ in marked if y > 2023)
