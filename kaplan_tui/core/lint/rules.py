"""The SMART rules: one criterion each, messages from the ``lint`` catalogue, fixes where they can
be computed, and firing and non-firing examples in both languages (``tests/unit/lint`` runs them).

Severity says what a finding does to its criterion: ``error`` fails it, ``warning`` passes it with
a warning, ``info`` is advice. Achievable and Relevant stay ``unknown`` unless a rule finds
evidence (``facts.evidence``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

from kaplan_tui.core.lint import format as fmt
from kaplan_tui.core.lint import lexicon as lx
from kaplan_tui.core.lint.facts import Facts, Found
from kaplan_tui.core.lint.model import Criterion, Diagnostic, Fix, Kind, Severity
from kaplan_tui.core.lint.normalize import Lang, normalize, script_mix
from kaplan_tui.core.lint.numbers import Quantity
from kaplan_tui.core.lint.timex import format_deadline, month_end
from kaplan_tui.i18n import t

RuleCriterion = Criterion | Literal["hygiene"]


@dataclass(frozen=True)
class Example:
    """A goal on which a rule must fire (``fires``) or stay silent; reference date 2025-06-01."""

    lang: Lang
    text: str
    fires: bool
    fields: Mapping[str, Any] = field(default_factory=dict)
    match: str | None = None
    """For firing examples: the exact text the diagnostic's span must cover."""


@dataclass(frozen=True)
class Rule:
    """A lint rule."""

    id: str
    criterion: RuleCriterion
    check: Callable[[Facts], Iterator[Diagnostic]]
    examples: tuple[Example, ...]


RULES: list[Rule] = []
"""Every rule, in the order they run."""


def rule(
    rule_id: str, criterion: RuleCriterion, *examples: Example
) -> Callable[[Callable[[Facts], Iterator[Diagnostic]]], Callable[[Facts], Iterator[Diagnostic]]]:
    """Register a rule function with its examples."""

    def wrap(
        fn: Callable[[Facts], Iterator[Diagnostic]],
    ) -> Callable[[Facts], Iterator[Diagnostic]]:
        RULES.append(Rule(rule_id, criterion, fn, examples))
        return fn

    return wrap


def _d(
    f: Facts,
    rule_id: str,
    criterion: RuleCriterion,
    severity: Severity,
    kind: Kind,
    span: tuple[int, int] | None,
    key: str,
    fix: Fix | None = None,
    **values: object,
) -> Diagnostic:
    start, end = span if span is not None else (len(f.text), len(f.text))
    if kind == "text" and start == end:
        kind = "record"
    message = t(f"lint.{key}", f.msg_lang, **values) if values else t(f"lint.{key}", f.msg_lang)
    return Diagnostic(rule_id, criterion, severity, kind, start, end, message, fix)


def _remove_fix(f: Facts, found: Found) -> Fix:
    """Delete a word and, in English, one space next to it."""
    start, end = found.start, found.end
    if end < len(f.text) and f.text[end] == " ":
        end += 1
    elif start > 0 and f.text[start - 1] == " ":
        start -= 1
    return Fix(start, end, "")


def _append_fix(f: Facts, zh: str, en: str) -> Fix:
    if f.lang == "zh":
        return Fix(len(f.text), len(f.text), zh)
    return Fix(len(f.text), len(f.text), en)


def _target_text(f: Facts) -> str | None:
    if f.fields.target is None:
        return None
    return fmt.amount(f.fields.target, f.fields.unit, f.lang)


def _ex(lang: Lang, text: str, fires: bool, match: str | None = None, **fields: Any) -> Example:
    return Example(lang, text, fires, fields, match)


# --- Specific ------------------------------------------------------------------------------


@rule(
    "SMART-S001",
    "specific",
    _ex("zh", "今年要把销售额做到五百万元", True),
    _ex("zh", "今年把ACME集团的销售额做到五百万元", False),
    _ex("en", "Increase revenue by 15% next year", True),
    _ex("en", "Increase Globex revenue by 15% next year", False),
    _ex("en", "Increase revenue by 15% next year", True, account="Globex"),
)
def no_object(f: Facts) -> Iterator[Diagnostic]:
    """No account or segment: whose sales?"""
    if f.object_in_text or (f.cohorts and not f.fields_object):
        return
    obj = f.fields_object
    if obj is None:
        yield _d(f, "SMART-S001", "specific", "error", "missing", None, "S001")
        return
    fix = Fix(0, 0, f"{obj}:") if f.lang == "zh" else Fix(len(f.text), len(f.text), f" for {obj}")
    if f.text.strip():
        yield _d(f, "SMART-S001", "specific", "info", "missing", None, "S001_fields", fix, name=obj)


@rule(
    "SMART-S002",
    "specific",
    _ex("zh", "尽快提升重点客户满意度", True, match="重点客户"),
    _ex("zh", "年底前把华东区重点客户的满意度提升到90分", False),
    _ex("en", "Maximize revenue from key accounts", True, match="key accounts"),
    _ex("en", "Grow revenue from the top 20 accounts in APAC by 10% this year", False),
)
def undefined_cohort(f: Facts) -> Iterator[Diagnostic]:
    """An undefined cohort (重点客户, key accounts) names no object."""
    if not f.cohorts or f.qualifiers or f.top_n:
        return
    obj = f.fields_object
    named = bool(f.entities)
    for c in f.cohorts:
        if obj is not None:
            fix = Fix(c.start, c.end, obj)
            yield _d(
                f,
                "SMART-S002",
                "specific",
                "warning",
                "text",
                (c.start, c.end),
                "S002_fields",
                fix,
                cohort=c.text,
                name=obj,
            )
        else:
            sev: Severity = "warning" if named else "error"
            yield _d(
                f, "SMART-S002", "specific", sev, "text", (c.start, c.end), "S002", cohort=c.text
            )


@rule(
    "SMART-S003",
    "specific",
    _ex("zh", "大力加强与战略客户的合作关系", True, match="加强"),
    _ex("zh", "2025年底前将华东区A类客户的续约率从85%提升到92%", False),
    _ex("en", "Work on the Hooli relationship going forward", True, match="Work on"),
    _ex("en", "Raise Hooli's renewal rate from 85% to 92% by Q4 2025", False),
)
def vague_verb(f: Facts) -> Iterator[Diagnostic]:
    """A directionless verb (加强, work on) or a non-outcome object (合作关系, relationships)."""
    has_outcome = bool(f.metrics or f.binary or f.activities or f.fields.metric) or any(
        q.kind in ("money", "count") for q in f.quantities
    )
    sev: Severity = "warning" if has_outcome else "error"
    for v in f.vague_verbs:
        yield _d(f, "SMART-S003", "specific", sev, "text", (v.start, v.end), "S003", word=v.text)
    if not f.vague_verbs and not has_outcome:
        for n in f.relation_nouns:
            yield _d(
                f,
                "SMART-S003",
                "specific",
                "error",
                "text",
                (n.start, n.end),
                "S003_noun",
                word=n.text,
            )


@rule(
    "SMART-S004",
    "specific",
    _ex("zh", "下季度ACME集团要有所突破", True),
    _ex("zh", "下季度ACME集团的回款率提高到95%", False),
    _ex("en", "Make progress with Globex next quarter", True),
    _ex("en", "Make progress with Globex next quarter", False, metric="ARR"),
)
def no_outcome(f: Facts) -> Iterator[Diagnostic]:
    """No metric and no concrete deliverable."""
    if f.outcome_in_text or f.binary or f.vague_verbs or f.fields.metric:
        return
    if f.relation_nouns:
        return  # SMART-S003 says it already
    yield _d(f, "SMART-S004", "specific", "error", "missing", None, "S004")


@rule(
    "SMART-S005",
    "specific",
    _ex("zh", "2025年底前大力提升ACME集团的销售额到500万元", True, match="大力"),
    _ex("zh", "2025年底前将ACME集团的销售额提升到500万元", False),
    _ex("en", "Aggressively grow Globex ARR to $2M by Q4 2025", True, match="Aggressively"),
    _ex("en", "Grow Globex ARR to $2M by Q4 2025", False),
)
def intensifier(f: Facts) -> Iterator[Diagnostic]:
    """Intensifiers (大力, aggressively) add no information."""
    for w in f.intensifiers:
        yield _d(
            f,
            "SMART-S005",
            "specific",
            "warning",
            "text",
            (w.start, w.end),
            "S005",
            _remove_fix(f, w),
            word=w.text,
        )


@rule(
    "SMART-S006",
    "specific",
    _ex("zh", "年底前争取把华北区的回款率提高到95%", True, match="争取"),
    _ex("zh", "年底前把华北区的回款率提高到95%", False),
    _ex("en", "Try to sign 3 new logos in the Nordic region within 90 days", True, match="Try to"),
    _ex("en", "Sign 3 new logos in the Nordic region within 90 days", False),
)
def hedge(f: Facts) -> Iterator[Diagnostic]:
    """Hedges (争取, try to) weaken the commitment: advice only."""
    for w in f.hedges:
        yield _d(
            f,
            "SMART-S006",
            "specific",
            "info",
            "text",
            (w.start, w.end),
            "S006",
            _remove_fix(f, w),
            word=w.text,
        )


@rule(
    "SMART-S007",
    "specific",
    _ex("zh", "本月内拜访12家A类客户,并为其中至少4家提交方案", True),
    _ex("zh", "本月内拜访12家A类客户", False),
    _ex("en", "Grow Globex revenue to $2M and also raise its NPS to 50 by Q4 2025", True),
    _ex("en", "Grow Globex revenue to $2M by Q4 2025", False),
)
def compound(f: Facts) -> Iterator[Diagnostic]:
    """Two or more outcomes joined in one goal: consider splitting."""
    if not f.conjunctions:
        return
    outcomes = {o.text.lower() for o in f.metrics + f.deliverables + f.activities}
    if len(outcomes) < 2:
        return
    first_out = min(o.start for o in f.metrics + f.deliverables + f.activities)
    for c in f.conjunctions:
        if c.start > first_out:
            yield _d(f, "SMART-S007", "specific", "info", "text", (c.start, c.end), "S007")
            return


@rule(
    "SMART-S008",
    "specific",
    _ex("zh", "年底前把腾达集团的销售额提升到500万元", True, match="腾达集团", account="ACME集团"),
    _ex("zh", "年底前把ACME集团的销售额提升到500万元", False, account="ACME集团"),
    _ex("en", "Grow Initech revenue to $2M by Q4 2025", True, match="Initech", account="Globex"),
    _ex("en", "Grow Globex revenue to $2M by Q4 2025", False, account="Globex"),
)
def object_mismatch(f: Facts) -> Iterator[Diagnostic]:
    """The text names another account than the ``account`` field."""
    account = f.fields.account
    if not account:
        return
    if any(e.tag == "context" for e in f.entities):
        return
    short = normalize(account).lower()
    named = [
        e
        for e in f.entities
        if e.tag in ("name", "org", "possessive")
        # 北辰能源 for 北辰能源装备: a short form of the same name is no mismatch.
        and e.text.lower() not in short
        and short not in e.text.lower()
    ]
    if named:
        e = named[0]
        yield _d(
            f,
            "SMART-S008",
            "specific",
            "warning",
            "text",
            (e.start, e.end),
            "S008",
            Fix(e.start, e.end, account),
            word=e.text,
            name=account,
        )


# --- Measurable ----------------------------------------------------------------------------


@rule(
    "SMART-M001",
    "measurable",
    _ex("zh", "年底前提升ACME集团的续约率", True),
    _ex("zh", "年底前把ACME集团的续约率提升到92%", False),
    _ex("en", "Improve Globex renewal rate by Q4 2025", True),
    _ex("en", "Improve Globex renewal rate to 92% by Q4 2025", False),
)
def no_target(f: Facts) -> Iterator[Diagnostic]:
    """No quantified target in the text or the fields."""
    if f.quantified_in_text or f.vague_quantities or f.fields.target is not None:
        return
    yield _d(f, "SMART-M001", "measurable", "error", "missing", None, "M001")


@rule(
    "SMART-M007",
    "measurable",
    _ex("zh", "提高ACME集团的钱包份额", True, target=0.25, unit="share"),
    _ex("zh", "年底前把ACME集团的钱包份额提高到25%", False, target=0.25, unit="share"),
    _ex("en", "Grow the ACME Corp account", True, target=1500000, unit="USD"),
    _ex("en", "Grow the ACME Corp account to $1.5M", False, target=1500000, unit="USD"),
)
def target_only_in_fields(f: Facts) -> Iterator[Diagnostic]:
    """The target is in the fields only: write it into the goal."""
    if f.fields.target is None or f.quantified_in_text or not f.text.strip():
        return
    target = _target_text(f) or ""
    fix = _append_fix(f, f",达到{target}", f" to {target}")
    yield _d(f, "SMART-M007", "measurable", "info", "missing", None, "M007", fix, target=target)


@rule(
    "SMART-M002",
    "measurable",
    _ex("zh", "下季度与ACME集团签更多订单", True, match="更多"),
    _ex("zh", "下季度与ACME集团多签3个订单", False),
    _ex("en", "Try to sign a few more deals with Globex soon", True, match="a few more"),
    _ex("en", "Sign 3 more deals with Globex by Q3 2025", False),
)
def vague_quantity(f: Facts) -> Iterator[Diagnostic]:
    """A vague quantity (更多, significantly) where a number belongs."""
    has_target = bool(f.quantities or f.multipliers) or f.fields.target is not None
    sev: Severity = "warning" if has_target else "error"
    target = _target_text(f)
    for w in f.vague_quantities:
        fix = Fix(w.start, w.end, target) if target else None
        yield _d(
            f, "SMART-M002", "measurable", sev, "text", (w.start, w.end), "M002", fix, word=w.text
        )


@rule(
    "SMART-M003",
    "measurable",
    _ex("zh", "年底前把ACME集团的续约率提升到92%", True),
    _ex("zh", "年底前把ACME集团的续约率从85%提升到92%", False),
    _ex("en", "Lift Globex renewal rate to 92% by Q4 2025", True),
    _ex("en", "Lift Globex renewal rate from 85% to 92% by Q4 2025", False),
)
def no_baseline(f: Facts) -> Iterator[Diagnostic]:
    """A level target without its starting point."""
    if f.from_to or f.change_pct or f.fields.baseline is not None or (not f.grow and not f.reduce):
        return
    for q in f.quantities:
        if lx.TO_WORD.search(f.norm, max(0, q.start - 4), q.start) and q.kind in (
            "percent",
            "money",
            "plain",
            "duration",
        ):
            yield _d(f, "SMART-M003", "measurable", "info", "missing", (q.start, q.end), "M003")
            return


@rule(
    "SMART-M004",
    "measurable",
    _ex("zh", "今年要把ACME集团的销售额做到五百万", True, match="五百万"),
    _ex("zh", "今年要把ACME集团的销售额做到五百万元", False),
    _ex("en", "Get Globex to 500 by Q4 2025", True, match="500"),
    _ex("en", "Get Globex to 500 seats by Q4 2025", False),
)
def no_unit(f: Facts) -> Iterator[Diagnostic]:
    """A number without a unit or currency."""
    if any(s.text.lower() in ("nps", "csat", "ces") or "分" in s.text for s in f.metrics):
        return
    pair = f.from_to
    for q in f.quantities:
        if q.kind != "plain":
            continue
        if pair and q in pair and any(p.kind != "plain" for p in pair):
            continue
        fix = None
        if f.fields.unit and not f.fields.unit.isascii():
            fix = Fix(q.end, q.end, f.fields.unit)
        elif f.lang == "zh" and lx.MONEY_METRIC.search(f.norm):
            fix = Fix(q.end, q.end, "元")
        yield _d(f, "SMART-M004", "measurable", "info", "text", (q.start, q.end), "M004", fix)


@rule(
    "SMART-M005",
    "measurable",
    _ex("zh", "年底前把ACME集团的续约率提高5%", True, match="5%"),
    _ex("zh", "年底前把ACME集团的续约率提高5个百分点", False),
    _ex("en", "Increase Globex renewal rate by 5% by Q4 2025", True, match="5%"),
    _ex("en", "Increase Globex revenue by 5% by Q4 2025", False),
)
def relative_or_points(f: Facts) -> Iterator[Diagnostic]:
    """'提高5%' of a rate: five points or five percent of it?"""
    q = f.change_pct
    if q is None:
        return
    window = f.norm[max(0, q.start - 16) : q.start]
    if not lx.RATE_METRIC.search(window) or lx.MONEY_METRIC.search(window):
        return
    points = f.norm[q.start : q.end].rstrip("%").strip()
    fix = Fix(
        q.start, q.end, f"{points}个百分点" if f.lang == "zh" else f"{points} percentage points"
    )
    yield _d(f, "SMART-M005", "measurable", "info", "text", (q.start, q.end), "M005", fix)


def _comparable(q: Quantity, unit: str | None) -> bool:
    u = (unit or "").strip()
    if fmt.is_percent_unit(u):
        return q.kind in ("percent", "pp")
    if u.upper() in ("CNY", "USD", "EUR", "TWD", "HKD", "GBP", "JPY", "RMB"):
        return q.kind == "money"
    if u.lower() in ("天", "days", "day"):
        return q.kind == "duration"
    return False


def _field_value(value: float, unit: str | None) -> float:
    if (unit or "").lower() in ("share", "ratio") and abs(value) <= 1:
        return value * 100
    return value


@rule(
    "SMART-M006",
    "measurable",
    _ex(
        "zh",
        "年底前把ACME集团的销售额做到600万元",
        True,
        match="600万元",
        target=5000000,
        unit="CNY",
    ),
    _ex("zh", "年底前把ACME集团的销售额做到500万元", False, target=5000000, unit="CNY"),
    _ex("en", "Grow Globex ARR to $2M by Q4 2025", True, match="$2M", target=1500000, unit="USD"),
    _ex("en", "Grow Globex ARR to $1.5M by Q4 2025", False, target=1500000, unit="USD"),
)
def number_mismatch(f: Facts) -> Iterator[Diagnostic]:
    """The text's target differs from the ``target`` field."""
    if f.fields.target is None:
        return
    candidates = [q for q in f.quantities if _comparable(q, f.fields.unit)]
    if not candidates:
        return
    values = [
        _field_value(v, f.fields.unit)
        for v in (f.fields.target, f.fields.baseline)
        if v is not None
    ]
    if any(abs(q.value - v) <= max(abs(v) * 0.01, 1e-9) for q in candidates for v in values):
        return
    q = candidates[-1]
    target = _target_text(f) or ""
    yield _d(
        f,
        "SMART-M006",
        "measurable",
        "warning",
        "text",
        (q.start, q.end),
        "M006",
        Fix(q.start, q.end, target),
        target=target,
    )


@rule(
    "SMART-M008",
    "measurable",
    _ex("zh", "年底前把ACME集团的回款周期从60天缩短到75天", True),
    _ex("zh", "年底前把ACME集团的回款周期从75天缩短到60天", False),
    _ex("en", "Reduce Globex churn from 5% to 8% by Q4 2025", True),
    _ex("en", "Reduce Globex churn from 8% to 5% by Q4 2025", False),
)
def direction_conflict(f: Facts) -> Iterator[Diagnostic]:
    """The verb goes one way and the numbers the other."""
    if f.from_to is not None:
        a, b = f.from_to
        before, after = a.value, b.value
        span = (a.start, b.end)
    elif f.fields.baseline is not None and f.fields.target is not None:
        before, after = f.fields.baseline, f.fields.target
        span = None
    else:
        return
    if f.reduce and not f.grow and after > before:
        yield _d(f, "SMART-M008", "measurable", "error", "text", span, "M008_up")
    elif f.grow and not f.reduce and after < before:
        yield _d(f, "SMART-M008", "measurable", "error", "text", span, "M008_down")


# --- Achievable ----------------------------------------------------------------------------


def _years(f: Facts, deadline: date) -> float:
    # Baselines are yearly figures (last year's sales), so a target due within a year is compared
    # with one year's change; longer horizons are annualised.
    return max(1.0, (deadline - f.ref).days / 365.25)


def _levels(f: Facts) -> tuple[float, float] | None:
    """Baseline and target from the fields, else from 'from X to Y' in the text."""
    if f.fields.baseline is not None and f.fields.target is not None:
        unit = f.fields.unit
        return _field_value(f.fields.baseline, unit), _field_value(f.fields.target, unit)
    if f.from_to is not None:
        return f.from_to[0].value, f.from_to[1].value
    return None


def _verdict(f: Facts, ratio: float) -> Severity | None:
    if ratio > f.ctx.implausible:
        return "error"
    if ratio > f.ctx.stretch:
        return "warning"
    return None


def _growth_factor(f: Facts) -> float | None:
    levels = _levels(f)
    if levels is not None and levels[0] > 0:
        return levels[1] / levels[0]
    if f.change_pct is not None:
        return 1 + f.change_pct.value / 100
    if f.multipliers:
        return max(factor for _, factor in f.multipliers)
    return None


@rule(
    "SMART-A001",
    "achievable",
    _ex(
        "zh",
        "2026年6月30日前将XX医院的采购额从300万元提升到450万元",
        True,
        history_yoy_growth=[0.05, 0.07, 0.06],
    ),
    _ex(
        "zh",
        "2025年12月31日前将XX医院的采购额从300万元提升到320万元",
        False,
        history_yoy_growth=[0.05, 0.07, 0.06],
    ),
    _ex(
        "en",
        "Reduce churn in APAC SMB from 9% to 5% by 2025-12-31",
        True,
        history_change_pp_per_year=[-0.5, -1.0, -0.8],
    ),
    _ex(
        "en",
        "Reduce churn in APAC SMB from 9% to 8.2% by 2025-12-31",
        False,
        history_change_pp_per_year=[-0.5, -1.0, -0.8],
    ),
)
def history(f: Facts) -> Iterator[Diagnostic]:
    """The required yearly change against the best year on record."""
    deadline = f.fields.deadline or f.deadline
    if deadline is None or deadline <= f.ref:
        return
    years = _years(f, deadline)
    found: list[tuple[Severity | None, str, dict[str, object]]] = []
    hist = f.fields
    if hist.history_yoy_growth:
        factor = _growth_factor(f)
        if factor is not None and factor > 0:
            required = factor ** (1 / years) - 1
            best = max(hist.history_yoy_growth)
            if required > 0:
                ratio = required / best if best > 0 else float("inf")
                found.append(
                    (
                        _verdict(f, ratio),
                        "A001_growth",
                        {
                            "required": fmt.percent(required),
                            "best": fmt.percent(best),
                            "years": len(hist.history_yoy_growth),
                        },
                    )
                )
            else:
                found.append((None, "", {}))
    levels = _levels(f)
    changes: tuple[float, ...] = ()
    key = ""
    if hist.history_change_pp_per_year:
        changes, key = hist.history_change_pp_per_year, "A001_points"
    elif hist.history_share and len(hist.history_share) >= 2:
        share = [_field_value(v, "share") for v in hist.history_share]
        changes = tuple(b - a for a, b in itertools.pairwise(share))
        key = "A001_points"
    elif hist.history_change_per_year:
        changes, key = hist.history_change_per_year, "A001_change"
    if changes and levels is not None:
        delta = levels[1] - levels[0]
        if delta:
            sign = 1 if delta > 0 else -1
            required = abs(delta) / years
            best = max(sign * c for c in changes)
            ratio = required / best if best > 0 else float("inf")
            found.append(
                (
                    _verdict(f, ratio),
                    key,
                    {
                        "required": fmt.number(round(required, 1)),
                        "best": fmt.number(round(best, 1)),
                        "years": len(changes),
                    },
                )
            )
    if hist.history_net_new_per_year:
        if levels is not None:
            new = levels[1] - levels[0]
        else:
            new = (
                hist.target
                if hist.target is not None
                else max((q.value for q in f.quantities if q.kind == "count"), default=0.0)
            )
        if new > 0:
            required = new / years
            best = max(hist.history_net_new_per_year)
            ratio = required / best if best > 0 else float("inf")
            found.append(
                (
                    _verdict(f, ratio),
                    "A001_count",
                    {
                        "required": fmt.number(round(required, 1)),
                        "best": fmt.number(best),
                        "years": len(hist.history_net_new_per_year),
                    },
                )
            )
    if not found:
        return
    f.evidence.add("achievable")
    for sev, key, values in found:
        if sev is not None:
            yield _d(f, "SMART-A001", "achievable", sev, "text", None, key, None, **values)


def _activity_count(f: Facts) -> float | None:
    counts = [q.value for q in f.quantities if q.kind == "count"]
    if counts:
        return max(counts)
    if f.top_n and (
        f.all_words
        or any(q.kind == "percent" and q.value >= 100 for q in f.quantities)
        or not f.quantities
    ):
        return float(max(n for _, _, n in f.top_n))
    return None


@rule(
    "SMART-A002",
    "achievable",
    _ex(
        "zh", "本月内拜访80家A类客户", True, capacity={"reps": 1, "max_visits_per_rep_per_week": 5}
    ),
    _ex(
        "zh", "本月内拜访12家A类客户", False, capacity={"reps": 1, "max_visits_per_rep_per_week": 5}
    ),
    _ex(
        "en",
        "Run QBRs with 60 DACH accounts by 2025-06-30",
        True,
        capacity={"reps": 2, "max_meetings_per_rep_per_week": 3},
    ),
    _ex(
        "en",
        "Run QBRs with 15 DACH accounts by 2025-06-30",
        False,
        capacity={"reps": 2, "max_meetings_per_rep_per_week": 3},
    ),
)
def capacity(f: Facts) -> Iterator[Diagnostic]:
    """Planned visits or meetings against reps x rate x weeks left."""
    if not f.activities or not f.fields.reps:
        return
    visit = any(
        a.text.lower().startswith(("拜访", "走访", "上门", "实地", "面访", "visit", "on"))
        for a in f.activities
    )
    rates = (f.fields.visits_per_rep_week, f.fields.meetings_per_rep_week)
    rate = (rates[0] or rates[1]) if visit else (rates[1] or rates[0])
    count = _activity_count(f)
    expr = f.deadline_expr
    latest = f.fields.deadline or (expr.deadline if expr else None)
    earliest = expr.earliest if expr is not None else latest
    if not rate or count is None or latest is None or earliest is None or latest <= f.ref:
        return
    f.evidence.add("achievable")
    cap_late = f.fields.reps * rate * (latest - f.ref).days / 7
    cap_early = f.fields.reps * rate * max(0, (earliest - f.ref).days) / 7
    if count <= cap_early:
        return
    sev: Severity = "warning" if count <= cap_late else "error"
    yield _d(
        f,
        "SMART-A002",
        "achievable",
        sev,
        "text",
        None,
        "A002",
        count=fmt.number(count),
        capacity=fmt.number(round(cap_late)),
    )


@rule(
    "SMART-A003",
    "achievable",
    _ex(
        "en",
        "Close $250k in new ARR from Globex by end of FY2025",
        True,
        capacity={"open_pipeline_usd": 300000, "win_rate": 0.3},
    ),
    _ex(
        "en",
        "Close $250k in new ARR from Globex by end of FY2025",
        False,
        capacity={"open_pipeline_usd": 900000, "win_rate": 0.35},
    ),
    _ex(
        "zh",
        "年底前从ACME集团新签合同额200万元",
        True,
        capacity={"open_pipeline": 2000000, "win_rate": 0.3},
    ),
    _ex(
        "zh",
        "年底前从ACME集团新签合同额200万元",
        False,
        capacity={"open_pipeline": 8000000, "win_rate": 0.3},
    ),
)
def pipeline(f: Facts) -> Iterator[Diagnostic]:
    """Pipeline x win rate against the new business the target needs."""
    if not f.fields.pipeline or not f.fields.win_rate:
        return
    levels = _levels(f)
    if levels is not None and levels[1] > levels[0] > 0:
        needed = levels[1] - levels[0]
    elif f.fields.target is not None:
        needed = f.fields.target
    else:
        money = [q.value for q in f.quantities if q.kind == "money"]
        if not money:
            return
        needed = max(money)
    if needed <= 0:
        return
    f.evidence.add("achievable")
    expected = f.fields.pipeline * f.fields.win_rate
    coverage = expected / needed
    if coverage >= 1:
        return
    sev: Severity = "warning" if coverage >= 0.5 else "error"
    yield _d(
        f,
        "SMART-A003",
        "achievable",
        sev,
        "text",
        None,
        "A003",
        coverage=fmt.percent(coverage),
        expected=fmt.number(round(expected)),
        needed=fmt.number(round(needed)),
    )


@rule(
    "SMART-A004",
    "achievable",
    _ex("en", "Double Umbrella Health's contract value to $4M by next month", True, match="Double"),
    _ex("en", "Double Umbrella Health's contract value to $4M by end of 2027", False),
    _ex("zh", "下个月把ACME集团的销售额翻倍", True, match="翻倍"),
    _ex("zh", "2027年底前把ACME集团的销售额翻倍", False),
)
def absurd_on_its_face(f: Facts) -> Iterator[Diagnostic]:
    """Doubling (or more) in under a quarter: implausible without any history."""
    deadline = f.deadline
    if deadline is None or deadline <= f.ref or (deadline - f.ref).days > 92:
        return
    span: tuple[int, int] | None = None
    factor = 0.0
    if f.multipliers:
        found, factor = max(f.multipliers, key=lambda m: m[1])
        span = (found.start, found.end)
    elif f.from_to and f.from_to[0].value > 0 and not f.reduce:
        factor = f.from_to[1].value / f.from_to[0].value
        span = (f.from_to[0].start, f.from_to[1].end)
    elif f.change_pct is not None:
        factor = 1 + f.change_pct.value / 100
        span = (f.change_pct.start, f.change_pct.end)
    if factor >= 2:
        f.evidence.add("achievable")
        yield _d(
            f,
            "SMART-A004",
            "achievable",
            "error",
            "text",
            span,
            "A004",
            factor=fmt.number(round(factor, 1)),
            days=(deadline - f.ref).days,
        )


@rule(
    "SMART-A005",
    "achievable",
    _ex("zh", "下季度把ACME集团的续约率从85%提升到92%", True),
    _ex(
        "zh", "下季度把ACME集团的续约率从85%提升到92%", False, history_change_pp_per_year=[4, 6, 5]
    ),
    _ex("en", "Sign 3 new logos in the Nordic mid-market segment within 90 days", True),
    _ex(
        "en",
        "Sign 3 new logos in the Nordic mid-market segment within 90 days",
        False,
        history_net_new_per_year=[4, 6, 5],
    ),
)
def no_evidence(f: Facts) -> Iterator[Diagnostic]:
    """No history, capacity or pipeline: achievability cannot be judged."""
    if "achievable" in f.evidence or not f.text.strip():
        return
    yield _d(f, "SMART-A005", "achievable", "info", "missing", None, "A005")


@rule(
    "SMART-A006",
    "achievable",
    _ex("zh", "年底前将ACME集团的销售额从500万元提升到480万元", False),
    _ex(
        "zh",
        "年底前将ACME集团的销售额提升到480万元",
        True,
        baseline=5000000,
        target=4800000,
        direction="increase",
    ),
    _ex(
        "en",
        "Grow Globex ARR to $1M by Q4 2025",
        True,
        baseline=1200000,
        target=1000000,
        direction="increase",
    ),
    _ex(
        "en",
        "Grow Globex ARR to $1.5M by Q4 2025",
        False,
        baseline=1200000,
        target=1500000,
        direction="increase",
    ),
)
def sandbagging(f: Facts) -> Iterator[Diagnostic]:
    """A growth goal whose target does not exceed its baseline (fields say so)."""
    b, tgt = f.fields.baseline, f.fields.target
    if b is None or tgt is None or (f.fields.direction or "").lower() != "increase":
        return
    if tgt <= b:
        yield _d(f, "SMART-A006", "achievable", "info", "text", None, "A006")


# --- Relevant ------------------------------------------------------------------------------


_REGION_TREE = {
    "华东": "上海 江苏 浙江 安徽 福建 江西 山东 南京 苏州 无锡 常州 南通 杭州 宁波 温州"
    " 绍兴 嘉兴 金华 合肥 厦门 福州 泉州 南昌 济南 青岛 烟台 潍坊 徐州 昆山 长三角",
    "华南": "广东 广西 海南 广州 深圳 东莞 佛山 珠海 中山 惠州 南宁 海口 大湾区 珠三角",
    "华北": "北京 天津 河北 山西 内蒙古 石家庄 太原 京津冀",
    "华中": "河南 湖北 湖南 郑州 武汉 长沙",
    "西南": "重庆 四川 贵州 云南 西藏 成都 贵阳 昆明 成渝",
    "西北": "陕西 甘肃 青海 宁夏 新疆 西安 兰州",
    "东北": "辽宁 吉林 黑龙江 沈阳 大连 长春 哈尔滨",
    "台湾": "台北 新北 桃园 台中 台南 高雄 新竹",
    "apac": "china greaterchina japan korea india australia singapore anz asean southeastasia"
    " asia hongkong taiwan indonesia malaysia thailand vietnam philippines newzealand 中国 日本",
    "emea": "europe dach germany austria switzerland france uk unitedkingdom ireland benelux"
    " belgium"
    " netherlands luxembourg nordic sweden norway denmark finland iberia spain portugal italy"
    " cee poland middleeast africa uae saudi israel",
    "dach": "germany austria switzerland",
    "nordic": "sweden norway denmark finland iceland",
    "benelux": "belgium netherlands luxembourg",
    "latam": "brazil mexico argentina chile colombia peru latinamerica southamerica",
    "na": "northamerica us usa unitedstates canada midwest northeast southwest northwest westcoast"
    " eastcoast texas california newyork",
}
"""Regions and what lies inside them, so that 杭州 is inside 华东 and Brazil inside LATAM."""
_REGION_CHILDREN = {parent: tuple(kids.split()) for parent, kids in _REGION_TREE.items()}


def _key(text: str) -> str:
    low = normalize(text).lower()
    for junk in (" ", "-", "_", "区域", "地区", "大区", "片区", "region", "territory", "区", "the"):
        low = low.replace(junk, "")
    return low.removesuffix("s") if low.isascii() else low


def _match(a: str, b: str, b_words: set[str]) -> bool:
    """``a`` (a territory or region key) covers ``b`` (an object key)."""
    if not a or not b:
        return False
    if len(a) <= 3 and a.isascii():
        return a in b_words  # NA, UK, US: whole words only
    return a in b or b in a


# A person's territory lists the names of the accounts they own (hundreds in a big workspace),
# and each of their goals asked for the same keys again.
@lru_cache(maxsize=256)
def _keys(territory: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_key(entry) for entry in territory)


def _inside(obj: str, territory: tuple[str, ...]) -> bool:
    o = _key(obj)
    words = {w.removesuffix("s") for w in normalize(obj).lower().replace("-", " ").split()}
    keys = _keys(territory)
    if any(_match(k, o, words) for k in keys):
        return True
    for parent, kids in _REGION_CHILDREN.items():
        if any(_match(kid, o, words) for kid in kids) and any(
            _match(k, parent, {parent}) or _match(parent, k, {k}) for k in keys
        ):
            return True
    return False


@rule(
    "SMART-R002",
    "relevant",
    _ex("zh", "和华东区A类客户搞好关系", True, segment="华东区A类客户", owner_territory=["华南区"]),
    _ex(
        "zh",
        "年底前把华南区KA客户从20家增加到26家",
        False,
        segment="华南区KA客户",
        owner_territory=["华南区"],
    ),
    _ex(
        "en",
        "Hit 120% of quota in the Benelux enterprise territory for FY2026",
        True,
        owner_territory=["DACH"],
    ),
    _ex(
        "en",
        "Hit 120% of quota in the DACH enterprise territory for FY2026",
        False,
        owner_territory=["DACH"],
    ),
)
def outside_territory(f: Facts) -> Iterator[Diagnostic]:
    """The account or segment lies outside the owner's territory."""
    territory = f.fields.owner_territory
    if not territory:
        return
    objects: list[tuple[str, tuple[int, int] | None]] = [
        (o, None) for o in (f.fields.account, f.fields.segment) if o
    ]
    if not objects:
        objects = [(e.text, (e.start, e.end)) for e in f.entities + f.regions]
        objects += [(f.norm[s:e], (s, e)) for s, e, _ in f.top_n]
    if not objects:
        return
    f.evidence.add("relevant")
    if any(_inside(o, territory) for o, _ in objects):
        return
    name, span = objects[0]
    yield _d(
        f,
        "SMART-R002",
        "relevant",
        "error",
        "text",
        span,
        "R002",
        name=name,
        territory="、".join(territory) if f.msg_lang == "zh" else ", ".join(territory),
    )


@rule(
    "SMART-R004",
    "relevant",
    _ex("zh", "年底前减肥5公斤", True, match="减肥"),
    _ex("zh", "年底前把ACME集团的销售额提升到500万元", False),
    _ex("en", "Lose weight by running a marathon by Q4 2025", True, match="Lose weight"),
    _ex("en", "Grow Globex ARR to $2M by Q4 2025", False),
)
def non_sales(f: Facts) -> Iterator[Diagnostic]:
    """An outcome that is not about sales or customers."""
    for w in f.non_sales:
        f.evidence.add("relevant")
        yield _d(
            f, "SMART-R004", "relevant", "error", "text", (w.start, w.end), "R004", word=w.text
        )


@rule(
    "SMART-R001",
    "relevant",
    _ex("zh", "下季度把ACME集团的续约率从85%提升到92%", True),
    _ex("zh", "下季度把ACME集团的续约率从85%提升到92%", False, strategy_pillar="存量客户增长"),
    _ex("en", "Sign 3 new logos in the Nordic mid-market segment within 90 days", True),
    _ex(
        "en",
        "To support the Nordic expansion strategy, sign 3 new logos in the Nordic"
        " mid-market segment within 90 days",
        False,
    ),
)
def no_pillar(f: Facts) -> Iterator[Diagnostic]:
    """No strategy pillar and no stated link to a strategy."""
    if f.fields.strategy_pillar or f.links:
        f.evidence.add("relevant")
        return
    if f.text.strip() and "relevant" not in f.evidence:
        yield _d(f, "SMART-R001", "relevant", "info", "missing", None, "R001")


# --- Time-bound ----------------------------------------------------------------------------


def _quarter_end_after(ref: date) -> date:
    q_end = month_end(ref.year, ((ref.month - 1) // 3 + 1) * 3)
    if (q_end - ref).days < 30:
        q_end = month_end(
            *((q_end.year, q_end.month + 3) if q_end.month < 12 else (q_end.year + 1, 3))
        )
    return q_end


@rule(
    "SMART-T001",
    "time_bound",
    _ex("zh", "把ACME集团的续约率从85%提升到92%", True),
    _ex("zh", "下季度把ACME集团的续约率从85%提升到92%", False),
    _ex("en", "Grow Globex ARR from $1.2M to $1.5M", True),
    _ex("en", "Grow Globex ARR from $1.2M to $1.5M by Q4 2025", False),
)
def no_deadline(f: Facts) -> Iterator[Diagnostic]:
    """No time expression and no ``deadline`` field."""
    if f.times or f.vague_times:
        return
    if f.fields.deadline is not None:
        if f.text.strip():
            phrase = format_deadline(f.fields.deadline, f.lang)
            fix = Fix(0, 0, f"{phrase},") if f.lang == "zh" else _append_fix(f, "", f" {phrase}")
            yield _d(
                f,
                "SMART-T001",
                "time_bound",
                "info",
                "missing",
                None,
                "T001_fields",
                fix,
                deadline=phrase,
            )
        return
    yield _d(f, "SMART-T001", "time_bound", "error", "missing", None, "T001")


@rule(
    "SMART-T002",
    "time_bound",
    _ex("zh", "尽快提升重点客户满意度", True, match="尽快"),
    _ex("zh", "年底前提升华东区A类客户满意度到90分", False),
    _ex(
        "en",
        "Improve customer relationships as soon as possible",
        True,
        match="as soon as possible",
    ),
    _ex("en", "Improve Globex NPS to 50 by Q4 2025", False),
)
def vague_time(f: Facts) -> Iterator[Diagnostic]:
    """A vague time (尽快, ASAP) where a date belongs."""
    bounded = bool(f.deadline_expr) or f.fields.deadline is not None
    sev: Severity = "warning" if bounded else "error"
    day = f.fields.deadline or (f.deadline_expr.deadline if f.deadline_expr else None)
    day = day or _quarter_end_after(f.ref)
    phrase = format_deadline(day, f.lang)
    for v in f.vague_times:
        yield _d(
            f,
            "SMART-T002",
            "time_bound",
            sev,
            "text",
            (v.start, v.end),
            "T002",
            Fix(v.start, v.end, phrase),
            word=f.text[v.start : v.end],
            deadline=phrase,
        )


@rule(
    "SMART-T003",
    "time_bound",
    _ex("zh", "2024年12月31日前完成华东区渠道伙伴签约8家", True, match="2024年12月31日前"),
    _ex("zh", "2025年12月31日前完成华东区渠道伙伴签约8家", False),
    _ex(
        "en",
        "Have all renewals for the Midwest healthcare segment signed by 2024-09-30",
        True,
        match="by 2024-09-30",
    ),
    _ex("en", "Have all renewals for the Midwest healthcare segment signed by 2025-09-30", False),
)
def past_deadline(f: Facts) -> Iterator[Diagnostic]:
    """The deadline is not after the reference date."""
    expr = f.deadline_expr
    if expr is not None:
        if expr.deadline <= f.ref:
            yield _d(
                f,
                "SMART-T003",
                "time_bound",
                "error",
                "text",
                (expr.start, expr.end),
                "T003",
                deadline=expr.deadline.isoformat(),
                ref=f.ref.isoformat(),
            )
    elif f.fields.deadline is not None and f.fields.deadline <= f.ref:
        yield _d(
            f,
            "SMART-T003",
            "time_bound",
            "error",
            "record",
            None,
            "T003",
            deadline=f.fields.deadline.isoformat(),
            ref=f.ref.isoformat(),
        )


@rule(
    "SMART-T004",
    "time_bound",
    _ex("zh", "下季度把ACME集团的续约率从85%提升到92%", True, match="下季度"),
    _ex("zh", "2025年9月30日前把ACME集团的续约率从85%提升到92%", False),
    _ex("en", "Sign 3 new logos in the Nordic region next quarter", True, match="next quarter"),
    _ex("en", "Sign 3 new logos in the Nordic region by Sep 30, 2025", False),
)
def relative_period(f: Facts) -> Iterator[Diagnostic]:
    """A relative period: shown resolved, with the explicit date as a fix."""
    expr = f.deadline_expr
    if expr is None or not expr.relative or expr.deadline <= f.ref:
        return
    phrase = format_deadline(expr.deadline, f.lang)
    yield _d(
        f,
        "SMART-T004",
        "time_bound",
        "info",
        "text",
        (expr.start, expr.end),
        "T004",
        Fix(expr.start, expr.end, phrase),
        deadline=phrase,
    )


@rule(
    "SMART-T005",
    "time_bound",
    _ex("zh", "Q4前与ACME集团签署框架协议", True, match="Q4前"),
    _ex("zh", "2025年Q4末前与ACME集团签署框架协议", False),
    _ex("en", "Sign the MSA with Globex by March", True, match="by March"),
    _ex("en", "Sign the MSA with Globex by March 31, 2026", False),
)
def missing_year(f: Facts) -> Iterator[Diagnostic]:
    """A date or period without its year."""
    expr = f.deadline_expr
    if expr is None or not expr.missing_year or expr.relative or expr.deadline <= f.ref:
        return
    phrase = format_deadline(expr.deadline, f.lang)
    yield _d(
        f,
        "SMART-T005",
        "time_bound",
        "info",
        "text",
        (expr.start, expr.end),
        "T005",
        Fix(expr.start, expr.end, phrase),
        deadline=phrase,
    )


@rule(
    "SMART-T006",
    "time_bound",
    _ex("zh", "2025年Q3前完成对前10大客户的QBR", True, match="2025年Q3前"),
    _ex("zh", "2025年Q3末前完成对前10大客户的QBR", False),
    _ex("en", "By Q3 2025, run EBRs with all 15 DACH accounts", True, match="By Q3 2025"),
    _ex("en", "By end of Q3 2025, run EBRs with all 15 DACH accounts", False),
)
def ambiguous_boundary(f: Facts) -> Iterator[Diagnostic]:
    """'Q3前', 'by Q3': before the quarter starts, or before it ends?"""
    expr = f.deadline_expr
    if expr is None or not expr.ambiguous or expr.deadline <= f.ref:
        return
    if expr.missing_year or expr.relative:
        return  # SMART-T005 / SMART-T004 already offer the explicit date
    phrase = format_deadline(expr.deadline, f.lang)
    yield _d(
        f,
        "SMART-T006",
        "time_bound",
        "info",
        "text",
        (expr.start, expr.end),
        "T006",
        Fix(expr.start, expr.end, phrase),
        deadline=phrase,
        earliest=format_deadline(expr.earliest, f.lang),
    )


@rule(
    "SMART-T007",
    "time_bound",
    _ex(
        "zh",
        "2025年9月30日前把ACME集团的续约率提升到92%",
        True,
        match="2025年9月30日前",
        deadline="2025-12-31",
    ),
    _ex("zh", "2025年底前把ACME集团的续约率提升到92%", False, deadline="2025-12-31"),
    _ex(
        "en",
        "Lift Globex NPS to 45 by end of Q1 2026",
        True,
        match="by end of Q1 2026",
        deadline="2026-06-30",
    ),
    _ex("en", "Lift Globex NPS to 45 by end of Q1 2026", False, deadline="2026-03-31"),
)
def deadline_mismatch(f: Facts) -> Iterator[Diagnostic]:
    """The text's deadline differs from the ``deadline`` field."""
    expr, field_day = f.deadline_expr, f.fields.deadline
    if expr is None or field_day is None:
        return
    lo = min(expr.earliest, expr.deadline) - timedelta(days=1)
    if lo <= field_day <= expr.deadline:
        return
    phrase = format_deadline(field_day, f.lang)
    yield _d(
        f,
        "SMART-T007",
        "time_bound",
        "warning",
        "text",
        (expr.start, expr.end),
        "T007",
        Fix(expr.start, expr.end, phrase),
        deadline=phrase,
    )


@rule(
    "SMART-T008",
    "time_bound",
    _ex("zh", "2028年底前把ACME集团的销售额提升到1亿元", True),
    _ex("zh", "2025年底前把ACME集团的销售额提升到1亿元", False),
    _ex("en", "Grow Globex ARR to $10M by 2028-12-31", True),
    _ex("en", "Grow Globex ARR to $2M by 2025-12-31", False),
)
def far_horizon(f: Facts) -> Iterator[Diagnostic]:
    """A deadline far out: suggest milestones."""
    day = f.deadline
    if day is None or day <= f.ref:
        return
    months = (day.year - f.ref.year) * 12 + day.month - f.ref.month
    if months > f.ctx.horizon_months:
        span = (f.deadline_expr.start, f.deadline_expr.end) if f.deadline_expr else None
        yield _d(f, "SMART-T008", "time_bound", "info", "text", span, "T008", months=months)


# --- Hygiene -------------------------------------------------------------------------------


@rule(
    "SMART-X001",
    "hygiene",
    _ex("zh", "2025年底前" + "把华东区A类客户的年销售额提升到500万元," * 4, True),
    _ex("zh", "2025年底前把华东区A类客户的年销售额提升到500万元", False),
    _ex("en", "Grow Globex ARR to $2M by Q4 2025 " * 6, True),
    _ex("en", "Grow Globex ARR to $2M by Q4 2025", False),
)
def too_long(f: Facts) -> Iterator[Diagnostic]:
    """A goal too long to read at a glance."""
    size = len(f.text) if f.lang == "zh" else len(f.text.split())
    limit = 80 if f.lang == "zh" else 40
    if size > limit:
        yield _d(
            f,
            "SMART-X001",
            "hygiene",
            "info",
            "text",
            (0, len(f.text)),
            "X001",
            size=size,
            limit=limit,
        )


@rule(
    "SMART-X003",
    "hygiene",
    _ex("zh", "2025年底前,將台北区大型企业客户的营收提升15%", True),
    _ex("zh", "2025年底前,將台北區大型企業客戶的營收提升15%", False),
    _ex("en", "Grow 台北區 revenue to $2M by Q4 2025 for 华东区", True),
    _ex("en", "Grow Taipei revenue to $2M by Q4 2025", False),
)
def mixed_script(f: Facts) -> Iterator[Diagnostic]:
    """Traditional and Simplified characters mixed in one goal."""
    trad, simp = script_mix(f.text)
    if trad and simp:
        yield _d(f, "SMART-X003", "hygiene", "info", "text", (0, len(f.text)), "X003")
