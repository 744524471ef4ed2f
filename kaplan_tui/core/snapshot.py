"""A read-only view of a whole workspace, handed by storage to the pure computations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from kaplan_tui.core.models import (
    Account,
    CheckIn,
    Goal,
    Person,
    Pillar,
    Segment,
    Team,
)
from kaplan_tui.core.settings import Settings


@dataclass(frozen=True)
class Snapshot:
    """Every record of a workspace at one moment, by id, plus its settings.

    Storage builds it (``Workspace.snapshot()``); core functions take it and never do IO.
    """

    settings: Settings
    accounts: Mapping[str, Account] = field(default_factory=dict)
    segments: Mapping[str, Segment] = field(default_factory=dict)
    goals: Mapping[str, Goal] = field(default_factory=dict)
    checkins: Mapping[str, CheckIn] = field(default_factory=dict)
    people: Mapping[str, Person] = field(default_factory=dict)
    teams: Mapping[str, Team] = field(default_factory=dict)
    pillars: Mapping[str, Pillar] = field(default_factory=dict)

    @cached_property
    def checkins_by_goal(self) -> Mapping[str, list[CheckIn]]:
        """Check-ins of each goal, oldest first."""
        out: dict[str, list[CheckIn]] = defaultdict(list)
        for ci in self.checkins.values():
            out[ci.goal].append(ci)
        for items in out.values():
            items.sort(key=lambda c: (c.date, c.id))
        return dict(out)

    @cached_property
    def children(self) -> Mapping[str, list[Goal]]:
        """Child goals of each goal id, in id order."""
        out: dict[str, list[Goal]] = defaultdict(list)
        for goal in sorted(self.goals.values(), key=lambda g: g.id):
            if goal.parent:
                out[goal.parent].append(goal)
        return dict(out)
