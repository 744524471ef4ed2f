"""The domain models: what they accept, and that refusals name the field."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from kaplan_tui.core.models import (
    Account,
    CheckIn,
    Direction,
    Goal,
    GoalType,
    Horizon,
    Metric,
    Person,
    ScopeKind,
    Segment,
    references_of,
)
from kaplan_tui.core.periods import parse_period


def _locs(exc: ValidationError) -> list[str]:
    return [".".join(str(p) for p in e["loc"]) for e in exc.errors()]


def test_a_full_goal_of_every_type_and_horizon_validates() -> None:
    for gtype in GoalType:
        for horizon in Horizon:
            goal = Goal(
                id="goal-1",
                statement="2026年底前把华为云的年销售额从4550万提升到5000万元",
                type=gtype,
                horizon=horizon,
                scope=ScopeKind.ACCOUNT,
                scope_ref="acc-huawei",
                metric=Metric(
                    name="年销售额",
                    unit="CNY",
                    currency="CNY",
                    baseline=45.5e6,
                    target=50e6,
                    stretch=55e6,
                    challenge=60e6,
                ),
                start=date(2026, 1, 1),
                deadline=date(2026, 12, 31),
            )
            assert goal.type is gtype and goal.horizon is horizon


def test_levels_out_of_order_name_the_level() -> None:
    with pytest.raises(ValidationError, match=r"stretch .* must be at least target"):
        Metric(name="revenue", target=100, stretch=90)


def test_levels_of_a_decreasing_metric_go_down() -> None:
    Metric(
        name="sales cycle",
        unit="days",
        direction=Direction.DECREASE,
        target=60,
        stretch=50,
        challenge=45,
    )
    with pytest.raises(ValidationError, match="at most"):
        Metric(name="sales cycle", direction=Direction.DECREASE, target=60, stretch=70)


def test_deadline_before_start_is_refused() -> None:
    with pytest.raises(ValidationError, match="before start"):
        Goal(id="g", statement="x", start=date(2026, 6, 1), deadline=date(2026, 1, 1))


def test_unknown_field_is_named() -> None:
    with pytest.raises(ValidationError) as info:
        Account.model_validate({"id": "acc-1", "name": "Acme", "revnue": 5})
    assert _locs(info.value) == ["revnue"]


def test_nested_error_path_is_dotted() -> None:
    with pytest.raises(ValidationError) as info:
        Goal.model_validate(
            {"id": "g", "statement": "x", "metric": {"name": "m", "unit": "%", "target": "lots"}}
        )
    assert _locs(info.value) == ["metric.target"]


def test_purchase_history_keys_must_be_periods() -> None:
    Account(id="a", name="A", purchase_history={"2025-Q3": 1, "2024": 2, "2025-07": 3})
    with pytest.raises(ValidationError, match="not a period label"):
        Account(id="a", name="A", purchase_history={"Q3 2025": 1})


def test_confidence_is_between_0_and_1() -> None:
    with pytest.raises(ValidationError) as info:
        CheckIn(id="c", goal="g", date=date(2026, 1, 31), actual=1, confidence=1.5)
    assert _locs(info.value) == ["confidence"]


def test_ids_are_safe() -> None:
    for bad in ("../etc", "a b", "-x", "x" * 200):
        with pytest.raises(ValidationError):
            Goal(id=bad, statement="x")


def test_revenue_in_a_year_counts_a_sale_once() -> None:
    # a CRM export with a year total and its quarters: the screen showed 2x the year before
    account = Account(
        id="a",
        name="A",
        purchase_history={"2025": 100, "2025-Q1": 40, "2025-Q2": 60, "2024-Q4": 7, "2024-11": 2},
    )
    assert account.revenue_in_year(2025) == 100
    assert account.revenue_in_year(2024) == 7
    assert account.revenue_in_year(2023) == 0


def test_control_characters_are_removed_from_user_text() -> None:
    acc = Account(id="a", name="Acme\x1b]2;PWNED\x07 Corp\u202e")
    assert acc.name == "Acme]2;PWNED Corp"


def test_segment_needs_rule_or_members() -> None:
    with pytest.raises(ValidationError, match="rule, members"):
        Segment(id="s", name="East")


def test_display_name_follows_language() -> None:
    person = Person(id="p", name="王磊", name_en="Wang Lei")
    assert person.display_name("zh") == "王磊"
    assert person.display_name("en") == "Wang Lei"
    assert Person(id="q", name="李娜").display_name("en") == "李娜"


def test_references_list_every_link() -> None:
    goal = Goal(
        id="g",
        statement="x",
        owner="p1",
        parent="g0",
        pillar="pil",
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc",
    )
    assert set(references_of(goal)) == {
        ("owner", "person", "p1"),
        ("parent", "goal", "g0"),
        ("pillar", "pillar", "pil"),
        ("scope_ref", "account", "acc"),
    }


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31)),
        ("2024-Q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024-H1", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_periods(label: str, start: date, end: date) -> None:
    period = parse_period(label)
    assert (period.start, period.end) == (start, end)


def test_revenue_in_year_adds_quarters() -> None:
    acc = Account(id="a", name="A", purchase_history={"2025-Q1": 10, "2025-Q4": 5, "2024-Q4": 7})
    assert acc.revenue_in_year(2025) == 15
