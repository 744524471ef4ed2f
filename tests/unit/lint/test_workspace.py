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
    Segment,
    SegmentRule,
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


def test_history_fields_follow_each_goals_year_and_its_peoples_accounts() -> None:
    accounts = {
        "a1": Account(id="a1", name="甲", owner="p-1",
                      purchase_history={"2021": 0.0, "2022-Q1": 50.0, "2022-Q3": 50.0,
                                        "2023": 120.0, "2024": 150.0}),
        "a2": Account(id="a2", name="乙", owner="p-1",
                      purchase_history={"2023": 80.0, "2024": 90.0}),
        "a3": Account(id="a3", name="丙", owner="p-9", purchase_history={"2024": 10.0}),
    }  # fmt: skip
    people = {"p-1": Person(id="p-1", name="王磊", team="team-1")}
    goals = [
        Goal(id=f"g-{year}", statement="团队销售额增长", type=kind, scope=ScopeKind.TEAM,
             scope_ref="team-1", owner="p-1", start=dt.date(year, 1, 1),
             deadline=dt.date(year, 12, 31))
        for year, kind in ((2024, "revenue"), (2025, "revenue"), (2026, "new_accounts"))
    ]  # fmt: skip
    snap = Snapshot(
        settings=Settings(name="t"), accounts=accounts, people=people,
        teams={"team-1": Team(id="team-1", name="华东大客户组")},
        goals={g.id: g for g in goals},
    )  # fmt: skip
    by_year = {g.start.year: fields_from_goal(g, snap) for g in goals if g.start}
    # p-1's accounts only: 2022 100, 2023 200, 2024 240; each goal sees the years before its own
    assert by_year[2024]["history_yoy_growth"] == [1.0]
    assert by_year[2025]["history_yoy_growth"] == [1.0, 0.2]
    # first purchases in 2023-2025 (a 0 is none): a2 in 2023; a1's in 2022 is earlier; a3's
    # in 2024 is not their people's
    assert by_year[2026]["history_net_new_per_year"] == [1.0, 0.0, 0.0]


def test_a_segment_rule_picks_its_accounts_for_the_pipeline() -> None:
    def account(aid: str, owner: str, tags: list[str], amount: float) -> Account:
        return Account(id=aid, name=aid, owner=owner, industry="ICT", tier=1, tags=tags,
                       pipeline=[PipelineItem(stage="proposal", amount=amount)])  # fmt: skip

    accounts = [
        account("a1", "p-1", ["vip", "east"], 1.0),
        account("a2", "p-1", ["east"], 10.0),  # no tag of the rule's
        account("a3", "p-2", ["vip"], 100.0),  # another owner
        account("a4", "p-1", [], 1000.0),  # picked by hand
    ]
    rule = SegmentRule(industries=["ICT"], tiers=[1], owners=["p-1"], tags=["vip", "west"])
    goal = Goal(id="g-1", statement="2026年VIP客户销售额增长", scope=ScopeKind.SEGMENT,
                scope_ref="s-1", start=dt.date(2026, 1, 1))  # fmt: skip
    snap = Snapshot(
        settings=Settings(name="t"), accounts={a.id: a for a in accounts},
        segments={"s-1": Segment(id="s-1", name="VIP", rule=rule, members=["a4"])},
        goals={"g-1": goal},
    )  # fmt: skip
    assert fields_from_goal(goal, snap)["capacity"]["open_pipeline"] == 1001.0


def test_names_are_distinct_longest_first_then_in_code_point_order() -> None:
    import random

    from kaplan_tui.core.lint.workspace import _longest_first

    rng = random.Random(3)
    alphabet = "abcXYZ 华东客户集团有限公司-·(）\U0001f600"
    for _ in range(200):
        names: list[str | None] = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
            for _ in range(rng.randint(0, 40))
        ]
        names += [None, "", *rng.sample(names, k=min(len(names), 5))]
        expected = sorted({n for n in names if n}, key=lambda n: (-len(n), n))
        assert list(_longest_first(names)) == expected
