"""Fields from stored goals: scope, history, territory, capacity, pillar."""

from __future__ import annotations

import datetime as dt

from kaplan_tui.core.lint import fields_from_goal, lint_goal
from kaplan_tui.core.models import (
    Account,
    Goal,
    Metric,
    Person,
    Pillar,
    PipelineItem,
    ScopeKind,
    Team,
    Territory,
)
from kaplan_tui.core.settings import Settings
from kaplan_tui.core.snapshot import Snapshot


def _snapshot(*goals: Goal) -> Snapshot:
    acme = Account(
        id="acc-1", name="ACME集团", region="华东",
        purchase_history={"2022": 100.0, "2023": 110.0, "2024": 121.0, "2025-Q1": 40.0},
        pipeline=[PipelineItem(stage="proposal", amount=50.0)],
    )  # fmt: skip
    team = Team(id="team-1", name="华东大客户组", region="华东")
    people = {
        "p-1": Person(id="p-1", name="王磊", team="team-1", capacity_visits_per_week=4,
                      territory=Territory(accounts=["acc-1"], regions=["华东"])),
        "p-2": Person(id="p-2", name="李娜", team="team-1", capacity_visits_per_week=6),
    }  # fmt: skip
    return Snapshot(
        settings=Settings(name="t", fiscal_year_start="04-01"),
        accounts={"acc-1": acme},
        teams={"team-1": team},
        people=people,
        pillars={"pil-1": Pillar(id="pil-1", name="存量客户增长")},
        goals={g.id: g for g in goals},
    )


def test_account_goal_fields() -> None:
    goal = Goal(
        id="g-1", statement="2025年底前把ACME集团的采购额提升到135万元", type="revenue",
        scope=ScopeKind.ACCOUNT, scope_ref="acc-1", owner="p-1", pillar="pil-1",
        start=dt.date(2025, 6, 1), deadline=dt.date(2025, 12, 31),
        metric=Metric(name="采购额", unit="CNY", baseline=121, target=135),
    )  # fmt: skip
    fields = fields_from_goal(goal, _snapshot(goal))
    assert fields["account"] == "ACME集团"
    assert fields["owner"] == "王磊"
    assert fields["strategy_pillar"] == "存量客户增长"
    assert fields["fiscal_year_start"] == "04-01"
    assert fields["created_at"] == "2025-06-01" and fields["deadline"] == "2025-12-31"
    assert fields["history_yoy_growth"] == [0.1, 0.1]  # 2025 is not a finished year
    assert set(fields["owner_territory"]) == {"ACME集团", "华东"}
    assert fields["capacity"] == {
        "reps": 2.0, "max_visits_per_rep_per_week": 5.0, "max_meetings_per_rep_per_week": 5.0,
        "open_pipeline": 50.0,
    }  # fmt: skip
    result = lint_goal(goal, _snapshot(goal))
    assert result.criteria["achievable"] == "pass"  # +11.6% vs 10%: within the stretch
    assert result.criteria["relevant"] == "pass"


def test_team_and_person_goals_name_their_book_and_skip_territory() -> None:
    team_goal = Goal(id="g-2", statement="2025年团队销售额做到500万元", scope=ScopeKind.TEAM,
                     scope_ref="team-1", owner="p-1")  # fmt: skip
    person_goal = Goal(id="g-3", statement="2025年销售额做到200万元", scope=ScopeKind.PERSON,
                       scope_ref="p-2", owner="p-2")  # fmt: skip
    snap = _snapshot(team_goal, person_goal)
    team_fields = fields_from_goal(team_goal, snap, today=dt.date(2025, 6, 1))
    assert team_fields["segment"] == "华东大客户组" and "owner_territory" not in team_fields
    person_fields = fields_from_goal(person_goal, snap, today=dt.date(2025, 6, 1))
    assert person_fields["segment"] == "李娜负责的客户"
    result = lint_goal(person_goal, snap, today=dt.date(2025, 6, 1), lang="en")
    assert result.criteria["specific"] == "pass"
    assert result.message_lang == "en"
