"""Hostile user text in every field a brief shows comes out as plain text.

Each payload is put into names, statements, rationales, notes, needs, units, incentives and
glossary terms; the brief must parse to exactly the same block structure as the same workspace
with harmless text of the same length, and contain no HTML, link, image or code token.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kaplan_tui.core.briefs import BriefOptions, render_brief
from kaplan_tui.core.models import (
    Account,
    Action,
    CheckIn,
    Goal,
    GoalType,
    Horizon,
    Incentive,
    Metric,
    Person,
    Pillar,
    PipelineItem,
    ScopeKind,
    Segment,
    Team,
    TierChange,
    TierOverride,
)
from kaplan_tui.core.settings import Settings
from kaplan_tui.core.snapshot import Snapshot
from kaplan_tui.core.text import clean_line

from .mdcheck import block_shape, check_structure

PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert('x')</script><b>bold</b>",
    "[click me](javascript:alert(1))",
    "![pwned](https://evil.example/x.png)",
    "<https://evil.example> www.evil.example http://evil.example a@b.example",
    "first line\n# a heading\n## another\n---\n",
    "a | b | c |\n|---|---|",
    "```\nfenced\n```\n~~~\ntilde",
    "`code` and ``more``",
    "\x1b]2;owned\x07\x1b[31mred\x1b[0m text",
    "*emph* _emph_ **strong** ~~strike~~ $x^2$",
    "1. ordered\n2) other\n- bullet\n> quote",
    "&lt;b&gt; &amp; &#60;script&#62; <!-- c -->",
    "\\ trailing backslash \\",
    "    indented\n\n\nparagraphs",
    "[ref]\n\n[ref]: https://evil.example",
]

AS_OF = dt.date(2026, 6, 15)


def _workspace(text: str) -> Snapshot:
    """A small workspace in which every user-text field holds ``text``."""
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    metric = Metric(
        name=text, unit="CNY", baseline=100.0, target=200.0, stretch=220.0, challenge=250.0
    )
    level = Metric(name=text, unit=text[:40], baseline=1.0, target=5.0, stretch=6.0, challenge=7.0)
    incentive = Incentive(
        description=text,
        currency="CNY",
        base_award=1000.0,
        stretch_award=2000.0,
        challenge_award=3000.0,
    )
    common: dict[str, Any] = {
        "statement": text,
        "rationale": text,
        "assumptions": [text],
        "resources": [text],
        "support": [text],
        "incentive": incentive,
        "start": start,
        "deadline": end,
        "owner": "p-a",
        "pillar": "pil-a",
    }
    goals = [
        Goal(
            id="goal-team",
            scope=ScopeKind.TEAM,
            scope_ref="team-a",
            type=GoalType.REVENUE,
            metric=metric,
            **common,
        ),
        Goal(
            id="goal-person",
            scope=ScopeKind.PERSON,
            scope_ref="p-a",
            parent="goal-team",
            type=GoalType.REVENUE,
            metric=metric,
            **common,
        ),
        Goal(id="goal-account", scope=ScopeKind.ACCOUNT, scope_ref="acc-a", metric=level, **common),
        Goal(
            id="goal-long",
            scope=ScopeKind.SEGMENT,
            scope_ref="seg-a",
            horizon=Horizon.LONG,
            statement=text,
            deadline=dt.date(2030, 12, 31),
            owner="p-b",
        ),
    ]
    checkins = [
        CheckIn(
            id=f"ci-{g.id}-{m}",
            goal=g.id,
            date=dt.date(2026, m, 28),
            actual=110.0 + m * 10 if g.metric is metric else 1.0 + m / 2,
            progress=text,
            problems=text,
            plans=text,
            actions=[Action(text=text, owner="p-a", due=dt.date(2026, 7, 1))],
        )
        for g in goals[:3]
        for m in (1, 2, 3, 4, 5)
    ]
    account = Account(
        id="acc-a",
        name=text,
        name_en=text,
        industry=text,
        region=text,
        owner="p-a",
        size=text,
        parent_company=text,
        products_held=[text],
        needs=[text],
        pain_points=[text],
        relationship_notes=text,
        relationship_strength=4,
        strategic_fit=5,
        purchase_history={"2024": 1e6, "2025": 1.2e6, "2026-Q1": 4e5},
        pipeline=[
            PipelineItem(stage=text, product=text, amount=5e5, expected_close=dt.date(2026, 9, 30))
        ],
        tier=1,
        tier_override=TierOverride(tier=1, reason=text, by="p-b"),
        tier_history=[TierChange(date=dt.date(2026, 1, 5), tier=1, previous=2, reason=text)],
    )
    other = Account(id="acc-b", name="other", purchase_history={"2025": 5e5})
    return Snapshot(
        settings=Settings(name=text),
        accounts={"acc-a": account, "acc-b": other},
        segments={
            "seg-a": Segment(
                id="seg-a",
                name=text,
                name_en=text,
                members=["acc-a"],
                description=text,
                needs=[text],
            )
        },
        goals={g.id: g for g in goals},
        checkins={c.id: c for c in checkins},
        people={
            "p-a": Person(id="p-a", name=text, name_en=text, team="team-a", manager="p-b"),
            "p-b": Person(id="p-b", name=text, name_en=text, team="team-a"),
        },
        teams={"team-a": Team(id="team-a", name=text, name_en=text, region=text, lead="p-b")},
        pillars={"pil-a": Pillar(id="pil-a", name=text, name_en=text, description=text)},
    )


def _benign(text: str) -> str:
    """Harmless text as long (after cleaning) as ``text``, so lengths decide nothing."""
    return "a" * len(clean_line(text))


CASES = [
    ("team", "team-a"),
    ("team", None),
    ("person", "p-a"),
    ("account", "acc-a"),
    ("exec", None),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("audience", "subject"), CASES)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_stays_plain_text(
    payload: str, audience: Any, subject: str | None, lang: Any
) -> None:
    glossary = {"kam": {"zh": payload, "en": payload}}
    options = BriefOptions(lang=lang, as_of=AS_OF, glossary=glossary)
    hostile = render_brief(_workspace(payload), audience, subject=subject, options=options)
    benign_options = BriefOptions(lang=lang, as_of=AS_OF, glossary={"kam": {"zh": "x", "en": "x"}})
    benign = render_brief(
        _workspace(_benign(payload)), audience, subject=subject, options=benign_options
    )
    check_structure(hostile.markdown)
    assert block_shape(hostile.markdown) == block_shape(benign.markdown)
    assert "\x1b" not in hostile.markdown and "\x07" not in hostile.markdown


def test_a_subject_found_by_a_hostile_name() -> None:
    text = "<b>Team | A</b>"
    snap = _workspace(text)
    brief = render_brief(snap, "team", subject=text, options=BriefOptions("en", AS_OF))
    assert brief.subject_id == "team-a"
    assert brief.file_name == "team-b-team-a-b-en.md"
