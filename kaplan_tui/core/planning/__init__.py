"""The planning engine: account scoring and tiers, segments, roll-ups across horizons, plan
checks and review math.

Pure functions over a :class:`~kaplan_tui.core.snapshot.Snapshot` returning plain dataclasses,
so the TUI, the CLI and the briefs show the same answers without computing anything themselves.

* :mod:`.scoring`: :func:`score_accounts`, :func:`sensitivity`, :func:`tier_change`.
* :mod:`.segments`: :func:`members_of`, :func:`segments_of_accounts`.
* :mod:`.changes`: :func:`compare_runs` (what moved since the last segmentation run).
* :mod:`.rollup`: :func:`child_rollup`, :func:`rollup_by`, :func:`rollup_periods`,
  :func:`horizon_growth`, :func:`history_growth`.
* :mod:`.checks`: :func:`check_plan` (the findings of ``kaplan check``).
* :mod:`.review`: :func:`agenda`, :func:`progress`, :func:`timeline`, :func:`review_dates`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kaplan_tui.core.planning.changes import compare_runs, run_entries
    from kaplan_tui.core.planning.checks import Finding, check_plan
    from kaplan_tui.core.planning.review import (
        Agenda,
        Progress,
        agenda,
        progress,
        review_dates,
        timeline,
    )
    from kaplan_tui.core.planning.rollup import (
        child_rollup,
        history_growth,
        horizon_growth,
        rollup_by,
        rollup_periods,
    )
    from kaplan_tui.core.planning.scoring import (
        AccountScore,
        Segmentation,
        score_accounts,
        sensitivity,
        tier_change,
    )
    from kaplan_tui.core.planning.segments import members_of, segments_of_accounts

__all__ = [
    "AccountScore",
    "Agenda",
    "Finding",
    "Progress",
    "Segmentation",
    "agenda",
    "check_plan",
    "child_rollup",
    "compare_runs",
    "history_growth",
    "horizon_growth",
    "members_of",
    "progress",
    "review_dates",
    "rollup_by",
    "rollup_periods",
    "run_entries",
    "score_accounts",
    "segments_of_accounts",
    "sensitivity",
    "tier_change",
    "timeline",
]

_MODULES = {
    "AccountScore": "scoring",
    "Agenda": "review",
    "Finding": "checks",
    "Progress": "review",
    "Segmentation": "scoring",
    "agenda": "review",
    "check_plan": "checks",
    "child_rollup": "rollup",
    "compare_runs": "changes",
    "history_growth": "rollup",
    "horizon_growth": "rollup",
    "members_of": "segments",
    "progress": "review",
    "review_dates": "review",
    "rollup_by": "rollup",
    "rollup_periods": "rollup",
    "run_entries": "changes",
    "score_accounts": "scoring",
    "segments_of_accounts": "segments",
    "sensitivity": "scoring",
    "tier_change": "scoring",
    "timeline": "review",
}
"""Where each name lives: a module is imported when one of its names is first read, so that
importing one of them (a brief's roll-ups) does not import the others (scoring, run changes)."""


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
