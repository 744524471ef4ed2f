"""Structured goal fields (the corpus vocabulary) coerced from loose input.

Fields arrive as JSON values, as ``--field KEY=VALUE`` strings from the CLI, or from stored
records; every value is checked here once, so the rules can trust their types. A value that cannot
be read is dropped, as if it had not been given: a half-filled form must never crash the linter.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kaplan_tui.core.lint.numbers import parse_amount
from kaplan_tui.core.lint.patterns import LazyPattern

_SPLIT = LazyPattern(r"\s*[,;、,;|]\s*")
_ISO = LazyPattern(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_MM_DD = LazyPattern(r"^\s*(\d{1,2})-(\d{1,2})\s*$")


@dataclass(frozen=True)
class GoalFields:
    """The fields a rule may read, typed."""

    owner: str | None = None
    account: str | None = None
    segment: str | None = None
    metric: str | None = None
    unit: str | None = None
    direction: str | None = None
    baseline: float | None = None
    target: float | None = None
    deadline: date | None = None
    created_at: date | None = None
    fiscal_year_start: tuple[int, int] = (1, 1)
    strategy_pillar: str | None = None
    owner_territory: tuple[str, ...] = ()
    history_yoy_growth: tuple[float, ...] = ()
    history_change_pp_per_year: tuple[float, ...] = ()
    history_change_per_year: tuple[float, ...] = ()
    history_share: tuple[float, ...] = ()
    history_net_new_per_year: tuple[float, ...] = ()
    reps: float | None = None
    visits_per_rep_week: float | None = None
    meetings_per_rep_week: float | None = None
    pipeline: float | None = None
    win_rate: float | None = None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if value == value and abs(value) != float("inf") else None
    if isinstance(value, str) and value.strip():
        return parse_amount(value)
    return None


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        m = _ISO.match(value)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
    return None


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _strings(value: Any) -> tuple[str, ...]:
    value = _maybe_json(value)
    if isinstance(value, str):
        return tuple(p for p in _SPLIT.split(value.strip()) if p)
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if v is not None and str(v).strip())
    return ()


def _numbers(value: Any) -> tuple[float, ...]:
    value = _maybe_json(value)
    items = _SPLIT.split(value.strip()) if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        return ()
    out = []
    for item in items:
        number = _number(item)
        if number is not None:
            out.append(number)
    return tuple(out)


def _capacity(value: Any) -> dict[str, float]:
    value = _maybe_json(value)
    if isinstance(value, str):
        pairs = [p.split("=", 1) for p in _SPLIT.split(value) if "=" in p]
        value = {k.strip(): v for k, v in pairs}
    if not isinstance(value, Mapping):
        return {}
    out = {}
    for key, item in value.items():
        number = _number(item)
        if number is not None:
            out[str(key)] = number
    return out


def _fy_start(value: Any) -> tuple[int, int]:
    if isinstance(value, str):
        m = _MM_DD.match(value)
        if m and 1 <= int(m[1]) <= 12 and 1 <= int(m[2]) <= 31:
            return int(m[1]), int(m[2])
    return 1, 1


def coerce_fields(fields: Mapping[str, Any] | None) -> GoalFields:
    """Typed fields from loose ``fields``; unknown keys and unreadable values are ignored."""
    if not fields:
        return GoalFields()
    get = fields.get
    capacity = _capacity(get("capacity"))
    pipeline = capacity.get("open_pipeline_usd", capacity.get("open_pipeline"))
    win_rate = capacity.get("win_rate")
    if win_rate is not None and win_rate > 1:
        win_rate /= 100  # 35 means 35%
    return GoalFields(
        owner=_text(get("owner")),
        account=_text(get("account")),
        segment=_text(get("segment")),
        metric=_text(get("metric")),
        unit=_text(get("unit")),
        direction=_text(get("direction")),
        baseline=_number(get("baseline")),
        target=_number(get("target")),
        deadline=_date(get("deadline")),
        created_at=_date(get("created_at")),
        fiscal_year_start=_fy_start(get("fiscal_year_start")),
        strategy_pillar=_text(get("strategy_pillar")),
        owner_territory=_strings(get("owner_territory")),
        history_yoy_growth=_numbers(get("history_yoy_growth")),
        history_change_pp_per_year=_numbers(get("history_change_pp_per_year")),
        history_change_per_year=_numbers(get("history_change_per_year")),
        history_share=_numbers(get("history_share")),
        history_net_new_per_year=_numbers(get("history_net_new_per_year")),
        reps=capacity.get("reps"),
        visits_per_rep_week=capacity.get("max_visits_per_rep_per_week"),
        meetings_per_rep_week=capacity.get("max_meetings_per_rep_per_week"),
        pipeline=pipeline,
        win_rate=win_rate,
    )
