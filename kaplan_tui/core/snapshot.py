"""A read-only view of a whole workspace, handed by storage to the pure computations."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar

from kaplan_tui.core.models import (
    Account,
    CheckIn,
    Goal,
    Person,
    Pillar,
    Segment,
    Team,
)
from kaplan_tui.core.records import Grouped
from kaplan_tui.core.settings import Settings

T = TypeVar("T")


class CheckInPoint(NamedTuple):
    """What most reads of a check-in need: which, when, how much and how sure."""

    id: str
    date: dt.date
    actual: float
    confidence: float


_DATE_ID = attrgetter("date", "id")


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
    version: str | None = field(default=None, compare=False)
    """Stands for the contents the records and settings were read from: two snapshots of the
    same version hold the same records (storage names it by its files' signatures); None when
    unknown (a snapshot made by hand). Results computed from a snapshot may be kept under it."""
    _memos: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def memo(self, key: str, make: Callable[[Snapshot], T]) -> T:
        """What ``make(self)`` returns, computed once per snapshot and kept with it.

        Engines keep their per-workspace indexes here (the lint's name index, the planning
        engine's season index), so an index lives exactly as long as the snapshot it describes.
        """
        held = self._memos.get(key)
        if held is None:
            held = self._memos[key] = make(self)
        return held

    @cached_property
    def checkins_by_goal(self) -> Grouped[str, CheckIn]:
        """Check-ins of each goal, oldest first (a goal's list is made, and its check-ins
        unpacked, when it is first read)."""
        return Grouped.by(self.checkins, "goal", order=_DATE_ID)

    def points(self, goal_id: str) -> list[CheckInPoint]:
        """The date, value and confidence of each check-in of goal ``goal_id``, oldest first
        (the order of :attr:`checkins_by_goal`), unpacking none: a goal's progress, chart and
        reviews read these, and the notes of its latest check-in only. Shared: never change it.
        """
        held = self._points.get(goal_id)
        if held is None:
            rows = self.checkins_by_goal.rows(goal_id, "date", "actual", "confidence")
            held = self._points.setdefault(
                goal_id, sorted(map(CheckInPoint._make, rows), key=_DATE_ID)
            )
        return held

    @cached_property
    def _points(self) -> dict[str, list[CheckInPoint]]:
        return {}

    @cached_property
    def children(self) -> Mapping[str, list[Goal]]:
        """Child goals of each goal id, in id order."""
        out: dict[str, list[Goal]] = defaultdict(list)
        for goal in sorted(self.goals.values(), key=lambda g: g.id):
            if goal.parent:
                out[goal.parent].append(goal)
        return dict(out)

    # Indexes by owner and team: team and person goals, their trajectories, lint context and
    # briefs each looked for their accounts by scanning all of them (10k accounts, 2k goals).
    # They keep the order of ``accounts`` and ``people``, so sums over them add up the same way.

    @cached_property
    def accounts_by_owner(self) -> Grouped[str | None, Account]:
        """Accounts of each owner (None: no owner), in the order of :attr:`accounts` (an
        owner's list is made, and its accounts unpacked, when it is first read)."""
        return Grouped.by(self.accounts, "owner")

    @cached_property
    def _account_positions(self) -> Mapping[str, int]:
        return dict(zip(self.accounts, range(len(self.accounts)), strict=True))

    def accounts_owned_by(self, owners: Collection[str | None]) -> list[Account]:
        """Accounts whose owner is one of ``owners``, in the order of :attr:`accounts`."""
        accounts = self.accounts
        return [accounts[rid] for rid in self.account_ids_owned_by(owners)]

    def account_ids_owned_by(self, owners: Collection[str | None]) -> list[str]:
        """The ids of :meth:`accounts_owned_by`, unpacking no account."""
        by_owner = self.accounts_by_owner
        groups = [o for o in set(owners) if o in by_owner]
        if len(groups) == 1:
            return list(by_owner.ids(groups[0]))
        position = self._account_positions
        return sorted((rid for o in groups for rid in by_owner.ids(o)), key=position.__getitem__)

    @cached_property
    def people_by_team(self) -> Grouped[str | None, Person]:
        """People of each team (None: no team), in the order of :attr:`people` (a team's list
        is made, and its people unpacked, when it is first read)."""
        return Grouped.by(self.people, "team")
