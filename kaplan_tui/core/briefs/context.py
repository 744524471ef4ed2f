"""What every brief shares: options, the formatter and glossary, and each goal's standing.

:class:`Ctx` holds one rendering: the snapshot, the language, the as-of date, the fields to
redact, and caches of each goal's progress and SMART status, all taken from the planning engine
and the SMART lint (nothing is computed twice, nothing differently from the TUI or the CLI).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from kaplan_tui.core.briefs.escape import inline
from kaplan_tui.core.briefs.fmt import Formatter
from kaplan_tui.core.briefs.glossary import Glossary
from kaplan_tui.core.models import Bilingual, CheckIn, Goal, GoalStatus, Horizon
from kaplan_tui.core.planning.checks import SmartLinter, SmartStatus, find_smart_linter
from kaplan_tui.core.planning.review import (
    Progress,
    fiscal_month,
    progress,
    review_dates,
)
from kaplan_tui.core.planning.rollup import OPEN_STATUSES
from kaplan_tui.core.snapshot import CheckInPoint, Snapshot
from kaplan_tui.core.text import clean_line
from kaplan_tui.i18n import Lang, MissingMessageError, t

Audience = Literal["team", "person", "account", "exec"]
AUDIENCES: tuple[Audience, ...] = ("team", "person", "account", "exec")

REDACTABLE: dict[str, str] = {
    "incentive": "incentive kinds, awards and descriptions",
    "rationale": "why each goal matters, its assumptions and resources",
    "notes": "check-in notes, improvement actions and account relationship notes",
    "confidence": "the owners' confidence at check-ins",
    "history": "an account's purchase history, pipeline and whitespace amounts",
    "score": "an account's score breakdown (its tier stays)",
}
"""Fields ``--redact`` can hide, and what each hides."""

OPEN = OPEN_STATUSES
"""Drafts and active goals: those a brief shows, as the roll-ups count them."""
HORIZON_ORDER = {Horizon.SHORT: 0, Horizon.MID: 1, Horizon.LONG: 2}

STATUS_MARK = {"on_track": "🟢", "at_risk": "🟡", "off_track": "🔴", "unknown": "⚪"}
SMART_MARK = {"pass": "✅", "warn": "⚠️", "fail": "❌", "unknown": "❔"}
SMART_CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")


@dataclass(frozen=True)
class BriefOptions:
    """How to render a brief."""

    lang: Lang
    as_of: dt.date
    """The date the brief speaks of: progress uses check-ins up to it, reviews after it."""
    redact: frozenset[str] = frozenset()
    """Fields to hide (keys of :data:`REDACTABLE`)."""
    glossary: Mapping[str, Mapping[str, str]] | None = None
    """The workspace glossary (parsed ``glossary.toml``), over the default terms."""
    smart: SmartLinter | Literal["auto"] | None = "auto"
    """The SMART linter; ``auto`` uses :mod:`kaplan_tui.core.lint` when it is there."""


@dataclass
class GoalView:
    """One goal as a brief shows it: its number in the brief and its standing at the as-of date."""

    goal: Goal
    ref: str
    """``G1``, ``G2``... in the order of the brief."""
    progress: Progress
    smart: SmartStatus | None

    @property
    def completion(self) -> float | None:
        """How far from its start value to its target the goal has come (0-1, may exceed 1)."""
        return _share(self.progress.actual, self.progress)

    @property
    def expected_completion(self) -> float | None:
        """How far it should have come by the as-of date, by its trajectory."""
        return _share(self.progress.expected_now, self.progress)


def _share(value: float | None, p: Progress) -> float | None:
    if value is None or p.target is None or p.start_value is None:
        return None
    span = p.target - p.start_value
    if span == 0:
        return None
    return (value - p.start_value) / span


class BriefStopped(Exception):
    """The brief was abandoned on the way (its ``stop`` said so): nobody wants it any more."""


@dataclass
class Ctx:
    """One brief being rendered."""

    snapshot: Snapshot
    options: BriefOptions
    stop: Callable[[], bool] | None = None
    """Asked before each goal is worked out: True abandons the brief (:class:`BriefStopped`)."""
    fmt: Formatter = field(init=False)
    glossary: Glossary = field(init=False)
    linter: SmartLinter | None = field(init=False)
    views: dict[str, GoalView] = field(init=False, default_factory=dict)
    _reviews: dict[str, list[dt.date]] = field(init=False, default_factory=dict)
    _known: dict[str, list[CheckInPoint]] = field(init=False, default_factory=dict)
    # A team brief asks for some 7k catalogue texts and 2k glossary terms, about a hundred
    # distinct: each is looked up (and a term escaped) once per brief.
    _texts: dict[str, str] = field(init=False, default_factory=dict)
    _terms: dict[tuple[str, bool], str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.fmt = Formatter(self.options.lang, self.snapshot.settings.currency)
        self.glossary = Glossary.build(self.options.glossary)
        smart = self.options.smart
        self.linter = find_smart_linter() if smart == "auto" else smart

    @property
    def lang(self) -> Lang:
        """The brief's language."""
        return self.options.lang

    @property
    def as_of(self) -> dt.date:
        """The brief's date."""
        return self.options.as_of

    # --- texts ------------------------------------------------------------------------------

    def msg(self, key: str, /, **fields: object) -> str:
        """The catalogue text ``brief.<key>``; ``fields`` must already be safe markdown."""
        if fields:
            return t(f"brief.{key}", self.lang, **fields)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = t(f"brief.{key}", self.lang)
        return text

    def criterion(self, name: str) -> str:
        """A scoring criterion's label (the planning catalogue's), or its name."""
        try:
            text = t(f"plan.criterion.{name}", self.lang)
        except MissingMessageError:
            text = name
        return inline(text[:1].upper() + text[1:] if self.lang == "en" else text)

    def term(self, key: str, *, cap: bool = False) -> str:
        """The glossary term ``key`` in the brief's language, escaped; ``cap`` capitalises it."""
        held = self._terms.get((key, cap))
        if held is not None:  # the glossary already counts it as used
            return held
        text = self.glossary.term(key, self.lang)
        if cap and self.lang == "en":
            text = text[:1].upper() + text[1:]
        held = self._terms[(key, cap)] = inline(text)
        return held

    def hidden(self, what: str) -> bool:
        """Tell whether ``--redact`` hides ``what``."""
        return what in self.options.redact

    def name(self, record: Bilingual | None, fallback: str | None = None) -> str:
        """A record's name in the brief's language, escaped; the id (or —) if it is missing."""
        if record is None:
            return inline(fallback) if fallback else "—"
        return inline(record.display_name(self.lang))

    def person(self, person_id: str | None) -> str:
        """A person's name by id, escaped."""
        if person_id is None:
            return "—"
        return self.name(self.snapshot.people.get(person_id), person_id)

    def statement(self, goal: Goal, limit: int | None = None) -> str:
        """A goal's statement on one line, cut to ``limit`` characters, escaped."""
        text = clean_line(goal.statement)
        if limit is not None and len(text) > limit:
            text = text[: limit - 1].rstrip() + "…"
        return inline(text)

    # --- goals ------------------------------------------------------------------------------

    def number(self, goals: Iterable[Goal]) -> list[GoalView]:
        """Give ``goals`` their numbers G1, G2... in this order and their standing."""
        out = []
        for goal in goals:
            view = self.views.get(goal.id)
            if view is None:
                if self.stop is not None and self.stop():
                    raise BriefStopped
                view = GoalView(
                    goal=goal,
                    ref=f"G{len(self.views) + 1}",
                    progress=progress(goal, self.snapshot, self.as_of),
                    smart=(
                        self.linter(goal, self.snapshot, self.as_of, self.lang)
                        if self.linter is not None
                        else None
                    ),
                )
                self.views[goal.id] = view
            out.append(view)
        return out

    def upcoming_reviews(self, goal: Goal, until: dt.date) -> list[dt.date]:
        """The goal's review dates after the as-of date, up to ``until``."""
        after = self._reviews.get(goal.id)
        if after is None:
            after = self._reviews[goal.id] = (
                [d for d in review_dates(goal, fiscal_month(self.snapshot)) if self.as_of < d]
                if goal.status == GoalStatus.ACTIVE
                else []
            )
        return [d for d in after if d <= until]

    def known_checkins(self, goal: Goal) -> list[CheckInPoint]:
        """The goal's check-ins up to the as-of date, oldest first: their dates, values and
        confidence (:meth:`last_checkin` is the whole latest one)."""
        known = self._known.get(goal.id)
        if known is None:
            known = self._known[goal.id] = [
                c for c in self.snapshot.points(goal.id) if c.date <= self.as_of
            ]
        return known

    def last_checkin(self, goal: Goal) -> CheckIn | None:
        """The goal's latest check-in up to the as-of date, with its notes and actions."""
        known = self.known_checkins(goal)
        return self.snapshot.checkins[known[-1].id] if known else None


def goal_order(goal: Goal) -> tuple[int, dt.date, str]:
    """Short-term goals first, then by deadline and id: the order goals appear in a brief."""
    return (HORIZON_ORDER[goal.horizon], goal.deadline or dt.date.max, goal.id)


def open_goals(goals: Iterable[Goal]) -> list[Goal]:
    """The active and draft goals among ``goals``, in brief order."""
    return sorted((g for g in goals if g.status in OPEN), key=goal_order)
