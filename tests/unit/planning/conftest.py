"""Builders of small in-memory snapshots for the planning tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from kaplan_tui.core.models import Account, CheckIn, Goal, Metric, Person, Pillar, Segment
from kaplan_tui.core.settings import Settings
from kaplan_tui.core.snapshot import Snapshot

D = dt.date


def make_goal(gid: str, **kw: Any) -> Goal:
    """A goal with a statement; ``target``/``unit``/``baseline``... go into its metric."""
    metric_keys = ("unit", "currency", "direction", "baseline", "target", "stretch", "challenge")
    metric = {k: kw.pop(k) for k in metric_keys if k in kw}
    if metric and "metric" not in kw:
        kw["metric"] = Metric(name="m", **metric)
    kw.setdefault("statement", f"goal {gid}")
    return Goal(id=gid, **kw)


def make_snapshot(
    *records: Iterable[Any] | Any,
    settings: Settings | None = None,
) -> Snapshot:
    """A snapshot of the given records (accounts, goals, check-ins, people, pillars...)."""
    flat: list[Any] = []
    for r in records:
        if isinstance(r, (list, tuple)):
            flat.extend(r)
        else:
            flat.append(r)
    by: dict[type, dict[str, Any]] = {}
    for r in flat:
        by.setdefault(type(r), {})[r.id] = r
    return Snapshot(
        settings=settings or Settings(name="t", language="en"),
        accounts=by.get(Account, {}),
        segments=by.get(Segment, {}),
        goals=by.get(Goal, {}),
        checkins=by.get(CheckIn, {}),
        people=by.get(Person, {}),
        pillars=by.get(Pillar, {}),
    )


@pytest.fixture
def goal() -> Callable[..., Goal]:
    """``goal(id, target=..., unit=..., **goal fields)``."""
    return make_goal


@pytest.fixture
def snap() -> Callable[..., Snapshot]:
    """``snap(records..., settings=None)``."""
    return make_snapshot
