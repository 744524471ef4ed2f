"""Roll-ups the briefs need that the planning engine does not offer yet.

Each function here is a seam: a small, clearly named stand-in built only from the planning
engine's public pieces, to be replaced by the engine's own function when it has one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kaplan_tui.core.models import Goal, Horizon
from kaplan_tui.core.planning.rollup import (
    Levels,
    UnitKey,
    ancestors,
    is_additive,
    is_open,
    sum_levels,
    unit_key,
)
from kaplan_tui.core.snapshot import Snapshot


@dataclass(frozen=True)
class HorizonTotal:
    """The targets of one horizon in one unit, added up."""

    horizon: Horizon
    unit: UnitKey
    goals: tuple[str, ...]
    """The goals counted (those without an ancestor in the same total)."""
    levels: Levels


def totals_by_horizon(snapshot: Snapshot) -> dict[Horizon, list[HorizonTotal]]:
    """Open additive targets added up per horizon and unit, parents and children counted once.

    SEAM: :func:`kaplan_tui.core.planning.rollup.rollup_by` rolls up by account, segment and
    person but not by horizon. This applies its rule (a goal whose ancestor is in the same row
    is left out) with a horizon as the row.
    """
    keyed: dict[tuple[Horizon, UnitKey], list[Goal]] = defaultdict(list)
    for goal in snapshot.goals.values():
        if (
            is_open(goal)
            and is_additive(goal)
            and goal.metric is not None
            and goal.metric.target is not None
        ):
            keyed[(goal.horizon, unit_key(goal.metric))].append(goal)
    out: dict[Horizon, list[HorizonTotal]] = defaultdict(list)
    for (horizon, unit), goals in sorted(
        keyed.items(), key=lambda kv: (list(Horizon).index(kv[0][0]), str(kv[0][1]))
    ):
        ids = {g.id for g in goals}
        top = sorted(
            (g for g in goals if not any(a.id in ids for a in ancestors(g, snapshot))),
            key=lambda g: g.id,
        )
        out[horizon].append(
            HorizonTotal(
                horizon=horizon,
                unit=unit,
                goals=tuple(g.id for g in top),
                levels=sum_levels(Levels.of(g.metric) for g in top),
            )
        )
    return dict(out)
