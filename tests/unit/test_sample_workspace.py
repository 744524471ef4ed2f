"""The bundled sample workspace: what it holds, the faults it keeps on purpose, and that
``scripts/build_sample_workspace.py`` regenerates it byte for byte."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pytest

from kaplan_tui.core.models import (
    Account,
    CheckIn,
    Goal,
    GoalStatus,
    GoalType,
    Horizon,
    Person,
    Pillar,
    ScopeKind,
    Segment,
    SegmentRule,
    Team,
)
from kaplan_tui.core.snapshot import Snapshot
from kaplan_tui.storage import Workspace
from kaplan_tui.storage.config import read_settings

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_workspace"
SCRIPT = REPO / "scripts" / "build_sample_workspace.py"


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return Workspace.open(SAMPLE, read_only=True)


@pytest.fixture(scope="module")
def snap(ws: Workspace) -> Snapshot:
    return ws.snapshot()


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_sample_workspace", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it is executing
    spec.loader.exec_module(module)
    return module


def children_of(snap: Snapshot, goal_id: str) -> list[Goal]:
    return [g for g in snap.goals.values() if g.parent == goal_id]


def target_of(goal: Goal) -> float:
    assert goal.metric is not None and goal.metric.target is not None, goal.id
    return goal.metric.target


# --- loading ----------------------------------------------------------------------------------


def test_opens_without_problems(ws: Workspace) -> None:
    assert ws.problems == []
    assert ws.damaged_kinds() == []
    assert ws.settings.language == "zh"
    assert ws.settings.currency == "CNY"
    assert "华信科技" in ws.name


def test_no_state_folder_is_committed() -> None:
    assert not (SAMPLE / ".kaplan").exists()


def test_every_reference_names_a_record(snap: Snapshot) -> None:
    from kaplan_tui.core.models import references_of

    by_kind: dict[str, set[str]] = {
        "account": set(snap.accounts),
        "segment": set(snap.segments),
        "goal": set(snap.goals),
        "checkin": set(snap.checkins),
        "person": set(snap.people),
        "team": set(snap.teams),
        "pillar": set(snap.pillars),
    }
    records = [
        *snap.accounts.values(),
        *snap.segments.values(),
        *snap.goals.values(),
        *snap.checkins.values(),
        *snap.people.values(),
        *snap.teams.values(),
        *snap.pillars.values(),
    ]
    dangling = [
        (r.id, field, ref)
        for r in records
        for field, kind, ref in references_of(r)
        if ref not in by_kind[kind]
    ]
    assert dangling == []


# --- counts and content -----------------------------------------------------------------------


def test_accounts(snap: Snapshot) -> None:
    accounts = list(snap.accounts.values())
    assert 35 <= len(accounts) <= 45
    industries = {a.industry for a in accounts}
    assert {
        "ICT",
        "医疗健康",
        "制造业",
        "快消品",
        "家居建材",
        "教育培训",
        "专业服务",
        "农牧农资",
    } <= (industries)
    assert {a.region for a in accounts} == {"华东", "华南", "华北"}
    assert all(a.name_en and a.owner in snap.people for a in accounts)
    assert {a.tier for a in accounts} == {1, 2, 3}
    assert all(a.tier_history and a.tier_history[-1].tier == a.tier for a in accounts)
    assert any(a.tier_override is not None for a in accounts)
    assert sum(bool(a.pipeline) for a in accounts) >= 20
    assert all(a.needs and a.pain_points and a.products_held for a in accounts)
    assert all(a.external_ids for a in accounts)
    # names that exercise markdown/table escaping
    assert any("[" in a.name and "]" in a.name for a in accounts)
    assert any("|" in a.name and "*" in a.name for a in accounts)


def test_purchase_history(snap: Snapshot) -> None:
    for account in snap.accounts.values():
        labels = list(account.purchase_history)
        assert labels[-1] == "2026-Q3", account.id
        assert all("-Q" in label for label in labels)
        assert 1_000_000 <= account.revenue_in_year(2025) <= 80_000_000, account.id
    full = [a for a in snap.accounts.values() if "2023-Q1" in a.purchase_history]
    assert len(full) >= 35
    growth = [a.revenue_in_year(2025) / a.revenue_in_year(2023) - 1 for a in full]
    assert any(g > 0.2 for g in growth)  # growing
    assert any(abs(g) < 0.05 for g in growth)  # flat
    assert any(g < -0.1 for g in growth)  # declining


def test_people_teams_segments_pillars(snap: Snapshot) -> None:
    people: list[Person] = list(snap.people.values())
    assert 8 <= len(people) <= 12
    assert {p.role.value for p in people} >= {"director", "manager", "kam"}
    regions = {r for p in people for r in p.territory.regions}
    assert 2 <= len(regions) <= 3
    assert all(p.team in snap.teams and p.name_en for p in people)
    assert all(p.manager in snap.people for p in people if p.role.value != "director")
    teams: list[Team] = list(snap.teams.values())
    assert all(t.lead in snap.people and t.name_en for t in teams)
    segments: list[Segment] = list(snap.segments.values())
    assert 3 <= len(segments) <= 4
    assert any(s.rule is not None for s in segments)
    assert any(s.rule is None and s.members for s in segments)
    pillars: list[Pillar] = list(snap.pillars.values())
    assert 3 <= len(pillars) <= 4
    assert all(p.name_en for p in [*segments, *pillars])


def test_goals_cover_every_type_horizon_and_scope(snap: Snapshot) -> None:
    goals = list(snap.goals.values())
    assert {g.type for g in goals} == set(GoalType)
    assert {g.horizon for g in goals} == set(Horizon)
    assert {g.scope for g in goals} == set(ScopeKind)
    long = [g for g in goals if g.horizon == Horizon.LONG]
    assert all(g.start == dt.date(2026, 1, 1) and g.deadline == dt.date(2030, 12, 31) for g in long)
    mid = [g for g in goals if g.horizon == Horizon.MID]
    assert all(g.deadline and g.deadline.year == 2028 for g in mid)
    short = [g for g in goals if g.horizon == Horizon.SHORT and g.start and g.deadline]
    quarterly = [g for g in short if (g.deadline - g.start).days < 100]  # type: ignore[operator]
    annual = [
        g for g in short if g.start == dt.date(2026, 1, 1) and g.deadline == dt.date(2026, 12, 31)
    ]
    assert len(quarterly) >= 4 and len(annual) >= 10
    assert any(g.incentive and g.incentive.base_award for g in goals)
    assert any(g.support for g in goals)
    # a tree: long -> mid -> annual -> person
    chain = ["goal-2026-zhangwei-revenue"]
    while (parent := snap.goals[chain[-1]].parent) is not None:
        chain.append(parent)
    assert [snap.goals[g].horizon for g in chain] == [
        Horizon.SHORT,
        Horizon.SHORT,
        Horizon.SHORT,
        Horizon.MID,
        Horizon.LONG,
    ]


def test_weak_goals(snap: Snapshot) -> None:
    vague = snap.goals["goal-satisfaction-vague"]
    assert vague.metric is None and vague.deadline is None
    assert snap.goals["goal-relationships-vague"].statement == (
        "Improve relationships with key accounts"
    )
    assert snap.goals["goal-2026-south-medical-push"].metric is None
    no_deadline = snap.goals["goal-zhixue-revenue-no-deadline"]
    assert no_deadline.metric is not None and no_deadline.deadline is None


def test_monthly_checkins(snap: Snapshot) -> None:
    by_goal: dict[str, list[CheckIn]] = defaultdict(list)
    for ci in snap.checkins.values():
        by_goal[ci.goal].append(ci)
    annual = [
        g
        for g in snap.goals.values()
        if g.horizon == Horizon.SHORT
        and g.start == dt.date(2026, 1, 1)
        and g.deadline == dt.date(2026, 12, 31)
        and g.metric is not None
    ]
    covered = [g for g in annual if g.id in by_goal]
    assert len(covered) >= 0.8 * len(annual)
    for goal in covered:
        months = sorted(ci.date.month for ci in by_goal[goal.id])
        assert months == list(range(1, 12)), goal.id
        assert all(ci.date.year == 2026 for ci in by_goal[goal.id])
    latest = [max(cis, key=lambda c: c.date) for cis in by_goal.values()]
    assert any(ci.confidence >= 0.75 for ci in latest)  # on track
    assert any(ci.confidence <= 0.5 for ci in latest)  # off track
    assert any(ci.actions for ci in snap.checkins.values())
    assert all(ci.date <= dt.date(2026, 11, 27) for ci in snap.checkins.values())
    revenue = sorted(by_goal["goal-2026-east-revenue"], key=lambda c: c.date)
    assert all(a.actual <= b.actual for a, b in itertools.pairwise(revenue))


def test_closed_goals(snap: Snapshot) -> None:
    assert snap.goals["goal-2026q1-new-accounts"].status == GoalStatus.ACHIEVED
    assert snap.goals["goal-2026q2-new-accounts"].status == GoalStatus.MISSED
    assert snap.goals["goal-2026q1-new-accounts"].rev == 2


# --- the deliberate plan faults ---------------------------------------------------------------


def test_fault_plan_sum(snap: Snapshot) -> None:
    parent = snap.goals["goal-2026-east-revenue"]
    kids = children_of(snap, parent.id)
    assert len(kids) == 3
    assert sum(target_of(k) for k in kids) < 0.9 * target_of(parent)
    # the company level does add up
    company = children_of(snap, "goal-2026-company-revenue")
    assert sum(target_of(k) for k in company) == target_of(snap.goals["goal-2026-company-revenue"])


def test_fault_plan_period(snap: Snapshot) -> None:
    child = snap.goals["goal-2026-xuli-revenue"]
    parent = snap.goals[child.parent or ""]
    assert child.deadline and parent.deadline and child.deadline > parent.deadline


def test_fault_plan_unit(snap: Snapshot) -> None:
    child = snap.goals["goal-2026-zhoujie-revenue"]
    parent = snap.goals[child.parent or ""]
    assert child.metric and parent.metric
    assert (child.metric.unit, child.metric.currency) == ("USD", "USD")
    assert (parent.metric.unit, parent.metric.currency) == ("CNY", "CNY")
    siblings = [g for g in children_of(snap, parent.id) if g.id != child.id]
    assert all(s.metric and s.metric.currency == "CNY" for s in siblings)


def test_fault_plan_orphan(snap: Snapshot) -> None:
    goal = snap.goals["goal-2026-expo-leads"]
    assert goal.horizon == Horizon.SHORT and goal.status == GoalStatus.ACTIVE
    assert goal.parent is None and goal.pillar is None
    assert not children_of(snap, goal.id)


def _rule_matches(rule: SegmentRule | None, account: Account) -> bool:
    if rule is None:
        return False
    return (
        (not rule.industries or account.industry in rule.industries)
        and (not rule.regions or account.region in rule.regions)
        and (not rule.tiers or account.tier in rule.tiers)
        and (not rule.owners or account.owner in rule.owners)
    )


def test_fault_plan_untargeted(snap: Snapshot) -> None:
    account = snap.accounts["acc-donghai-marine"]
    assert account.tier == 1
    scoped = [g for g in snap.goals.values() if g.scope == ScopeKind.ACCOUNT]
    assert all(g.scope_ref != account.id for g in scoped)
    for goal in snap.goals.values():
        if goal.scope == ScopeKind.SEGMENT:
            segment = snap.segments[goal.scope_ref or ""]
            assert account.id not in segment.members
            assert not _rule_matches(segment.rule, account), goal.id
    # every other tier-1 account has a goal of its own
    targeted = {g.scope_ref for g in scoped}
    others = {a.id for a in snap.accounts.values() if a.tier == 1} - {account.id}
    assert others <= targeted


def test_fault_plan_cagr(snap: Snapshot) -> None:
    mid = snap.goals["goal-2028-yuntu-revenue"]
    annual = snap.goals["goal-2026-yuntu-revenue"]
    assert annual.parent == mid.id and mid.horizon == Horizon.MID
    account = snap.accounts[mid.scope_ref or ""]
    assert mid.metric and mid.metric.baseline and annual.metric and annual.metric.baseline
    implied = (target_of(mid) / mid.metric.baseline) ** (1 / 3) - 1
    this_year = target_of(annual) / annual.metric.baseline - 1
    history = (account.revenue_in_year(2025) / account.revenue_in_year(2023)) ** 0.5 - 1
    assert implied > 0.35
    assert this_year < 0.1
    assert 0.1 < history < 0.25
    assert implied - history > 0.15 and implied - this_year > 0.25


def test_planning_checks_find_each_fault(snap: Snapshot) -> None:
    checks = pytest.importorskip("kaplan_tui.core.planning.checks")
    findings = checks.check_plan(snap, today=dt.date(2026, 11, 27), smart=None)
    found = {(f.rule, f.records[0]) for f in findings}
    assert {
        ("PLAN-SUM", "goal-2026-east-revenue"),
        ("PLAN-PERIOD", "goal-2026-xuli-revenue"),
        ("PLAN-UNIT", "goal-2026-south-revenue"),
        ("PLAN-ORPHAN", "goal-2026-expo-leads"),
        ("PLAN-UNTARGETED", "acc-donghai-marine"),
        ("PLAN-CAGR", "goal-2028-yuntu-revenue"),
    } <= found


# --- regeneration -----------------------------------------------------------------------------


def files_of(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_regenerating_gives_the_committed_records(tmp_path: Path) -> None:
    script = load_script()
    built = script.build(tmp_path / "sample")
    assert isinstance(built, Path)
    fresh = files_of(built)
    committed = files_of(SAMPLE)
    assert sorted(fresh) == sorted(committed)
    # kaplan.toml holds every setting with its default, so a new setting changes its bytes
    # without changing the workspace: compare it as settings, the record files as bytes.
    assert read_settings(built)[0] == read_settings(SAMPLE)[0]
    differing = [n for n in fresh if n != "kaplan.toml" and fresh[n] != committed[n]]
    assert differing == [], "run: python scripts/build_sample_workspace.py"


def test_building_twice_gives_identical_bytes(tmp_path: Path) -> None:
    script = load_script()
    first = files_of(script.build(tmp_path / "one"))
    second = files_of(script.build(tmp_path / "two"))
    assert first == second
    assert not any(name.startswith(".kaplan") for name in first)
