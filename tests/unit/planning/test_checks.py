"""Each plan check rule, firing on a hand-built fault and staying quiet on a sound plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kaplan_tui.core.models import Account, Goal, Pillar, TierOverride
from kaplan_tui.core.planning.checks import (
    Finding,
    SmartStatus,
    check_plan,
    effective_tiers,
)
from kaplan_tui.core.settings import Settings
from kaplan_tui.core.snapshot import Snapshot
from kaplan_tui.i18n import Lang

GoalF = Callable[..., Goal]
SnapF = Callable[..., Snapshot]
D = dt.date
YEAR = {"start": D(2026, 1, 1), "deadline": D(2026, 12, 31)}
PILLAR = Pillar(id="pil", name="Grow key accounts")


def run(s: Snapshot, lang: Lang | None = None) -> list[Finding]:
    return check_plan(s, smart=None, today=D(2026, 6, 1), lang=lang)


def rules(found: list[Finding]) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(f.rule, f.severity, f.records) for f in found]


def _family(goal: GoalF, *targets: float, unit: str = "CNY") -> list[Goal]:
    parent = goal("p", type="revenue", unit="CNY", target=1000.0, pillar="pil", **YEAR)
    kids = [
        goal(f"k{i}", parent="p", type="revenue", unit=unit, target=t, **YEAR)
        for i, t in enumerate(targets, 1)
    ]
    return [parent, *kids]


def test_sound_plan_has_no_findings(goal: GoalF, snap: SnapF) -> None:
    assert run(snap(PILLAR, _family(goal, 600.0, 400.0))) == []


def test_plan_sum_short_over_and_tolerance(goal: GoalF, snap: SnapF) -> None:
    (f,) = run(snap(PILLAR, _family(goal, 300.0, 500.0)))
    assert (f.rule, f.severity, f.records) == ("PLAN-SUM", "error", ("p", "k1", "k2"))
    assert f.data["gap"] == 200.0 and f.data["children_sum"] == 800.0
    assert "800" in f.message and "1,000" in f.message and "200" in f.message
    (f,) = run(snap(PILLAR, _family(goal, 600.0, 500.0)))
    assert (f.rule, f.severity, f.data["gap"]) == ("PLAN-SUM", "warning", -100.0)
    # tolerance 0.5% of 1000 = 5
    assert run(snap(PILLAR, _family(goal, 500.0, 496.0))) == []
    assert rules(run(snap(PILLAR, _family(goal, 500.0, 494.0))))[0][:2] == ("PLAN-SUM", "error")


def test_plan_sum_needs_every_target(goal: GoalF, snap: SnapF) -> None:
    family = _family(goal, 500.0)
    family.append(goal("k9", parent="p", type="revenue", unit="CNY", **YEAR))
    assert rules(run(snap(PILLAR, family))) == [("PLAN-SUM", "warning", ("p", "k9"))]


def test_plan_sum_skips_rates_and_other_horizons(goal: GoalF, snap: SnapF) -> None:
    parent = goal("p", type="satisfaction", unit="score", target=90.0, pillar="pil", **YEAR)
    kids = [goal("k1", parent="p", type="satisfaction", unit="score", target=80.0, **YEAR)]
    assert run(snap(PILLAR, parent, kids)) == []
    family = _family(goal, 1000.0)
    family.append(goal("m", parent="p", horizon="mid", unit="CNY", target=5.0, **YEAR))
    assert run(snap(PILLAR, family)) == []


def test_plan_unit(goal: GoalF, snap: SnapF) -> None:
    found = run(snap(PILLAR, _family(goal, 600.0, 400.0, unit="万元")))
    assert rules(found) == [("PLAN-UNIT", "error", ("p", "k1", "k2"))]
    assert "万元" in found[0].message and "CNY" in found[0].message


def test_plan_period(goal: GoalF, snap: SnapF) -> None:
    family = _family(goal, 600.0)
    family.append(
        goal(
            "k2",
            parent="p",
            type="revenue",
            unit="CNY",
            target=400.0,
            start=D(2025, 12, 1),
            deadline=D(2027, 1, 31),
        )
    )
    found = rules(run(snap(PILLAR, family)))
    assert ("PLAN-PERIOD", "error", ("k2", "p")) in found
    assert ("PLAN-PERIOD", "warning", ("k2", "p")) in found
    assert len(found) == 2


def test_plan_orphan(goal: GoalF, snap: SnapF) -> None:
    lonely = goal("s", unit="CNY", target=1.0, **YEAR)
    assert rules(run(snap(lonely))) == [("PLAN-ORPHAN", "warning", ("s",))]
    # a short parent chain that reaches a pillar or a mid-term goal serves something
    chain = [goal("s", parent="t", **YEAR), goal("t", pillar="pil", **YEAR)]
    assert run(snap(PILLAR, chain)) == []
    chain = [
        goal("s", parent="t", **YEAR),
        goal("t", parent="m", **YEAR),
        goal("m", horizon="mid", deadline=D(2028, 12, 31), start=D(2026, 1, 1)),
    ]
    assert run(snap(chain)) == []
    # broken references and loops are errors
    broken = [goal("s", parent="nope", pillar="ghost", **YEAR)]
    found = rules(run(snap(broken)))
    assert found.count(("PLAN-ORPHAN", "error", ("s",))) == 2
    loop = [goal("x", parent="y", **YEAR), goal("y", parent="x", pillar="pil", **YEAR)]
    found = rules(run(snap(PILLAR, loop)))
    assert found == [("PLAN-ORPHAN", "error", ("x",)), ("PLAN-ORPHAN", "error", ("y",))]


def test_plan_untargeted(goal: GoalF, snap: SnapF) -> None:
    accounts = [
        Account(id="t1", name="Top", tier=1),
        Account(id="t2", name="Second", tier=2),
        Account(id="ov", name="Forced", tier=3, tier_override=TierOverride(tier=1, reason="r")),
        Account(id="ok", name="Covered", tier=1),
    ]
    covered = goal(
        "g",
        scope="account",
        scope_ref="ok",
        type="revenue",
        unit="CNY",
        target=10.0,
        pillar="pil",
        **YEAR,
    )
    found = run(snap(PILLAR, accounts, covered))
    assert rules(found) == [
        ("PLAN-UNTARGETED", "error", ("ov",)),
        ("PLAN-UNTARGETED", "error", ("t1",)),
    ]
    assert found[1].message == "Top (t1) is a tier-1 account without a target."
    zh = run(snap(PILLAR, accounts, covered), lang="zh")
    assert zh[1].message == "Top(t1)是一级大客户,但没有设定目标。"
    # without a stored tier, the computed one counts (rank band: top 1 is tier 1)
    settings = Settings(name="t", language="en")
    settings.scoring.rank_bands = [1]
    lone = [Account(id="u1", name="U1", strategic_fit=5), Account(id="u2", name="U2")]
    assert effective_tiers(snap(lone, settings=settings)) == {"u1": 1, "u2": 2}


def test_plan_cagr_across_horizons(goal: GoalF, snap: SnapF) -> None:
    long = goal(
        "L",
        horizon="long",
        unit="CNY",
        baseline=100.0,
        target=200.0,
        pillar="pil",
        start=D(2026, 1, 1),
        deadline=D(2030, 12, 31),
    )
    # required after S: (200/80)^(1/4)-1 = 25.7%; L plans 2^(1/5)-1 = 14.9%: 10.9 points apart
    found = run(snap(PILLAR, long, goal("S", parent="L", unit="CNY", target=80.0, **YEAR)))
    assert rules(found) == [("PLAN-CAGR", "warning", ("S", "L"))]
    assert "+25.7%" in found[0].message and "+14.9%" in found[0].message
    # S at 105: (200/105)^(1/4)-1 = 17.5%, 2.6 points apart: fine
    assert run(snap(PILLAR, long, goal("S", parent="L", unit="CNY", target=105.0, **YEAR))) == []


def test_plan_cagr_against_history(goal: GoalF, snap: SnapF) -> None:
    acme = Account(
        id="acme",
        name="Acme",
        tier=2,
        purchase_history={"2023": 100.0, "2024": 110.0, "2025": 121.0},
    )
    hot = goal(
        "g",
        type="revenue",
        scope="account",
        scope_ref="acme",
        unit="CNY",
        target=200.0,
        pillar="pil",
        **YEAR,
    )
    found = run(snap(PILLAR, acme, hot))
    assert rules(found) == [("PLAN-CAGR", "warning", ("g", "acme"))]
    assert found[0].data["implied"] == pytest.approx(200 / 121 - 1)
    steady = hot.model_copy(
        update={"metric": hot.metric.model_copy(update={"target": 133.1})} if hot.metric else {}
    )
    assert run(snap(PILLAR, acme, steady)) == []
    shrinking = hot.model_copy(
        update={"metric": hot.metric.model_copy(update={"target": 80.0})} if hot.metric else {}
    )
    assert rules(run(snap(PILLAR, acme, shrinking))) == [("PLAN-CAGR", "warning", ("g", "acme"))]


def test_smart_status_through_a_linter(goal: GoalF, snap: SnapF) -> None:
    def fake(g: Goal, s: Snapshot, today: dt.date | None, lang: Lang) -> SmartStatus:
        crit = {
            "specific": "pass",
            "measurable": "pass",
            "achievable": "unknown",
            "relevant": "pass",
            "time_bound": "pass",
        }
        if g.id == "bad":
            crit["measurable"] = "fail"
        if g.id == "meh":
            crit["specific"] = "warn"
        return SmartStatus(80.0 if g.id == "good" else 40.0, crit)

    goals = [goal(i, pillar="pil", **YEAR) for i in ("good", "bad", "meh")]
    goals.append(goal("done", pillar="pil", status="achieved", **YEAR))
    found = check_plan(snap(PILLAR, goals), smart=fake, lang="en")
    assert rules(found) == [
        ("SMART", "error", ("bad",)),
        ("SMART", "warning", ("meh",)),
        ("SMART", "info", ("good",)),
    ]
    assert found[0].data["criteria"]["measurable"] == "fail"
    assert found[2].message.startswith("SMART 80/100: specific pass, measurable pass")


def test_smart_missing_linter_is_one_note(
    goal: GoalF, snap: SnapF, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaplan_tui.core.planning import checks

    monkeypatch.setattr(checks, "find_smart_linter", lambda: None)
    found = check_plan(snap(PILLAR, goal("g", pillar="pil", **YEAR)), lang="en")
    assert rules(found) == [("SMART", "info", ())]


def test_errors_sort_first(goal: GoalF, snap: SnapF) -> None:
    found = run(snap(PILLAR, _family(goal, 300.0), goal("s", **YEAR)))
    assert [f.severity for f in found] == ["error", "warning"]


def test_plan_sum_time_split(goal: GoalF, snap: SnapF) -> None:
    parent = goal("p", type="new_accounts", unit="accounts", target=8.0, pillar="pil", **YEAR)
    q4 = goal(
        "q4",
        parent="p",
        unit="accounts",
        target=2.0,
        start=D(2026, 10, 1),
        deadline=D(2026, 12, 31),
    )
    assert run(snap(PILLAR, parent, q4)) == []  # one quarter of the year: not a split
    quarters = [
        goal(
            f"q{q}",
            parent="p",
            unit="accounts",
            target=1.0,
            start=D(2026, 3 * q - 2, 1),
            deadline=[D(2026, 3, 31), D(2026, 6, 30), D(2026, 9, 30), D(2026, 12, 31)][q - 1],
        )
        for q in range(1, 5)
    ]
    (f,) = run(snap(PILLAR, parent, quarters))  # four quarters: 4 of 8
    assert (f.rule, f.severity, f.data["gap"]) == ("PLAN-SUM", "error", 4.0)


def test_seam_adapts_the_lint_engine(
    goal: GoalF, snap: SnapF, monkeypatch: pytest.MonkeyPatch
) -> None:
    import enum
    import sys
    import types

    class St(enum.Enum):
        PASS = "pass"
        FAIL = "fail"

    calls: list[tuple[str, object, object]] = []

    def lint_goal(g: Goal, s: Snapshot, *, today: object = None, lang: object = None) -> object:
        calls.append((g.id, today, lang))
        return types.SimpleNamespace(
            score=55, criteria={"specific": St.PASS, "time_bound": St.FAIL}
        )

    fake = types.ModuleType("kaplan_tui.core.lint")
    fake.lint_goal = lint_goal  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "kaplan_tui.core.lint", fake)
    found = check_plan(
        snap(PILLAR, goal("g", pillar="pil", **YEAR)), today=D(2026, 6, 1), lang="zh"
    )
    assert calls == [("g", D(2026, 6, 1), "zh")]
    (f,) = found
    assert (f.rule, f.severity, f.records) == ("SMART", "error", ("g",))
    assert f.data["criteria"] == {
        "specific": "pass",
        "measurable": "unknown",
        "achievable": "unknown",
        "relevant": "unknown",
        "time_bound": "fail",
    }
    assert f.message.startswith("SMART 55/100:具体 通过")
