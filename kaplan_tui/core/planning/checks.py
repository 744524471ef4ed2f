"""Plan consistency findings: SMART status, sums, periods, units, orphans, untargeted tier-1
accounts, and growth across horizons.

Rules (severity in brackets):

* ``SMART``: each open goal's SMART lint result [error if a criterion fails, warning if one
  warns, else info]. Comes from :func:`kaplan_tui.core.lint.lint_goal` when that engine exists.
* ``PLAN-SUM``: the open same-horizon children of an additive goal add up to less than its target
  [error] or more [warning], beyond ``review.sum_tolerance`` of the target; a child without a
  target makes the sum unknown [warning]. Children that each cover part of the parent's period
  and leave some of it uncovered (one quarter of a yearly goal) are not expected to add up.
* ``PLAN-PERIOD``: a child's deadline is after its parent's [error] or it starts before its
  parent [warning].
* ``PLAN-UNIT``: a child's unit or currency differs from its parent's [error].
* ``PLAN-ORPHAN``: a short-term goal that serves no mid/long-term goal and no pillar, through its
  parent chain [warning]; a parent or pillar id that names nothing, or a parent chain that loops
  [error].
* ``PLAN-UNTARGETED``: a tier-1 account with no open goal scoped to it that has a target [error].
  The tier is the override's, else the stored one, else the computed one.
* ``PLAN-CAGR``: growth needed after a short-term goal to reach its mid/long-term goal differs
  from the growth that goal states by more than ``review.cagr_tolerance`` [warning]; or an
  account goal's implied growth differs from the account's recent growth by more than
  ``review.history_tolerance`` [warning].
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from kaplan_tui.core.models import Goal, Horizon, ScopeKind
from kaplan_tui.core.planning.rollup import (
    child_rollup,
    history_growth,
    horizon_growth,
    is_open,
    unit_key,
    unit_label,
)
from kaplan_tui.core.snapshot import Snapshot
from kaplan_tui.i18n import Lang, t

if TYPE_CHECKING:
    from kaplan_tui.core.planning.scoring import AccountScore

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
SMART_CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")


@dataclass(frozen=True)
class Finding:
    """One problem (or, for SMART, one status) in the plan."""

    rule: str
    severity: Severity
    records: tuple[str, ...]
    """Ids of the records involved, the main one first."""
    message: str
    """In the workspace's language (or the one asked for)."""
    data: Mapping[str, Any] = field(default_factory=dict)
    """The figures behind the message, for JSON and for the TUI."""


@dataclass(frozen=True)
class SmartStatus:
    """A goal's SMART lint result, reduced to what a plan check shows."""

    score: float
    criteria: Mapping[str, str]
    """Each criterion's ``pass``, ``warn``, ``fail`` or ``unknown``."""


SmartLinter = Callable[[Goal, Snapshot, dt.date | None, Lang], SmartStatus]


def find_smart_linter() -> SmartLinter | None:
    """The SMART lint engine, adapted to :class:`SmartStatus`, or None while it does not exist.

    This is the one seam between plan checks and ``kaplan_tui.core.lint``: it expects
    ``lint_goal(goal, snapshot, *, today=None, lang=None)`` returning an object with ``.score``
    and ``.criteria`` (criterion name to status, as a string or a string enum).
    """
    try:
        module = importlib.import_module("kaplan_tui.core.lint")
    except ImportError:
        return None
    lint_goal = getattr(module, "lint_goal", None)
    if lint_goal is None:
        return None

    def adapt(goal: Goal, snapshot: Snapshot, today: dt.date | None, lang: Lang) -> SmartStatus:
        result = lint_goal(goal, snapshot, today=today, lang=lang)
        criteria = {str(k): str(getattr(v, "value", v)) for k, v in dict(result.criteria).items()}
        return SmartStatus(float(result.score), criteria)

    return adapt


def _pct(value: float) -> str:
    return f"{value * 100:+.1f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _smart(
    snapshot: Snapshot, linter: SmartLinter | None, today: dt.date | None, lang: Lang
) -> list[Finding]:
    if linter is None:
        return [Finding("SMART", "info", (), t("plan.check.smart_missing", lang))]
    out = []
    for goal in sorted(snapshot.goals.values(), key=lambda g: g.id):
        if not is_open(goal):
            continue
        status = linter(goal, snapshot, today, lang)
        values = [status.criteria.get(c, "unknown") for c in SMART_CRITERIA]
        severity: Severity = (
            "error" if "fail" in values else "warning" if "warn" in values else "info"
        )
        listed = ", ".join(
            f"{t('plan.smart.' + c, lang)} {t('plan.smart.' + v, lang)}"
            for c, v in zip(SMART_CRITERIA, values, strict=True)
        )
        out.append(
            Finding(
                "SMART",
                severity,
                (goal.id,),
                t("plan.check.smart", lang, score=round(status.score), criteria=listed),
                {"score": status.score, "criteria": dict(zip(SMART_CRITERIA, values, strict=True))},
            )
        )
    return out


def _sums_and_units(snapshot: Snapshot, lang: Lang) -> list[Finding]:
    out: list[Finding] = []
    tol = snapshot.settings.review.sum_tolerance
    for parent in sorted(snapshot.goals.values(), key=lambda g: g.id):
        if not is_open(parent) or parent.id not in snapshot.children:
            continue
        cr = child_rollup(parent, snapshot)
        if cr.mixed_units and cr.unit is not None:
            units = ", ".join(
                f"{gid}: {unit_label(unit_key(m))}"
                for gid in cr.mixed_units
                if (m := snapshot.goals[gid].metric) is not None
            )
            out.append(
                Finding(
                    "PLAN-UNIT",
                    "error",
                    (parent.id, *cr.mixed_units),
                    t(
                        "plan.check.unit",
                        lang,
                        parent=parent.id,
                        unit=unit_label(cr.unit),
                        children=units,
                    ),
                    {"parent_unit": unit_label(cr.unit)},
                )
            )
        if not cr.additive or not cr.summed or cr.parent.base is None or cr.partial_period:
            continue
        if any(gid in cr.mixed_units for gid in cr.summed):
            continue  # PLAN-UNIT already says why the sum means nothing
        if cr.missing_target:
            out.append(
                Finding(
                    "PLAN-SUM",
                    "warning",
                    (parent.id, *cr.missing_target),
                    t(
                        "plan.check.sum_unknown",
                        lang,
                        parent=parent.id,
                        children=", ".join(cr.missing_target),
                    ),
                )
            )
            continue
        gap = cr.gap
        if gap is None or abs(gap) <= tol * abs(cr.parent.base):
            continue
        data = {
            "parent_target": cr.parent.base,
            "children_sum": cr.children.base,
            "gap": gap,
            "unit": unit_label(cr.unit) if cr.unit else None,
        }
        severity: Severity = "error" if gap > 0 else "warning"
        key = "plan.check.sum_short" if gap > 0 else "plan.check.sum_over"
        out.append(
            Finding(
                "PLAN-SUM",
                severity,
                (parent.id, *cr.summed),
                t(
                    key,
                    lang,
                    parent=parent.id,
                    target=_num(cr.parent.base),
                    total=_num(cr.children.base),
                    n=len(cr.summed),
                    gap=_num(abs(gap)),
                    unit=data["unit"] or "",
                ),
                data,
            )
        )
    return out


def _periods(snapshot: Snapshot, lang: Lang) -> list[Finding]:
    out: list[Finding] = []
    for goal in sorted(snapshot.goals.values(), key=lambda g: g.id):
        parent = snapshot.goals.get(goal.parent) if goal.parent else None
        if parent is None or not is_open(goal):
            continue
        if goal.deadline and parent.deadline and goal.deadline > parent.deadline:
            out.append(
                Finding(
                    "PLAN-PERIOD",
                    "error",
                    (goal.id, parent.id),
                    t(
                        "plan.check.period_late",
                        lang,
                        goal=goal.id,
                        deadline=goal.deadline,
                        parent=parent.id,
                        parent_deadline=parent.deadline,
                    ),
                    {
                        "deadline": goal.deadline.isoformat(),
                        "parent_deadline": parent.deadline.isoformat(),
                    },
                )
            )
        if goal.start and parent.start and goal.start < parent.start:
            out.append(
                Finding(
                    "PLAN-PERIOD",
                    "warning",
                    (goal.id, parent.id),
                    t(
                        "plan.check.period_early",
                        lang,
                        goal=goal.id,
                        start=goal.start,
                        parent=parent.id,
                        parent_start=parent.start,
                    ),
                    {"start": goal.start.isoformat(), "parent_start": parent.start.isoformat()},
                )
            )
    return out


def _orphans(snapshot: Snapshot, lang: Lang) -> list[Finding]:
    out: list[Finding] = []
    goals = snapshot.goals
    for goal in sorted(goals.values(), key=lambda g: g.id):
        if not is_open(goal):
            continue
        if goal.parent and goal.parent not in goals:
            out.append(
                Finding(
                    "PLAN-ORPHAN",
                    "error",
                    (goal.id,),
                    t("plan.check.missing_parent", lang, goal=goal.id, parent=goal.parent),
                )
            )
        if goal.pillar and goal.pillar not in snapshot.pillars:
            out.append(
                Finding(
                    "PLAN-ORPHAN",
                    "error",
                    (goal.id,),
                    t("plan.check.missing_pillar", lang, goal=goal.id, pillar=goal.pillar),
                )
            )
        chain: list[Goal] = [goal]
        seen = {goal.id}
        loop = False
        parent = goal.parent
        while parent and parent in goals:
            if parent in seen:
                loop = True
                break
            seen.add(parent)
            chain.append(goals[parent])
            parent = goals[parent].parent
        if loop:
            out.append(
                Finding(
                    "PLAN-ORPHAN", "error", (goal.id,), t("plan.check.loop", lang, goal=goal.id)
                )
            )
            continue
        if goal.horizon != Horizon.SHORT:
            continue
        served = any(g.pillar in snapshot.pillars for g in chain if g.pillar) or any(
            g.horizon != Horizon.SHORT for g in chain[1:]
        )
        if not served:
            out.append(
                Finding(
                    "PLAN-ORPHAN", "warning", (goal.id,), t("plan.check.orphan", lang, goal=goal.id)
                )
            )
    return out


def effective_tiers(snapshot: Snapshot, today: dt.date | None = None) -> dict[str, int]:
    """Each account's tier as plans see it: the override, else the stored tier, else computed."""
    computed: dict[str, AccountScore] = {}
    if any(a.tier is None and a.tier_override is None for a in snapshot.accounts.values()):
        from kaplan_tui.core.planning.scoring import score_accounts  # a brief never needs it

        computed = score_accounts(
            list(snapshot.accounts.values()), snapshot.settings.scoring, today=today
        ).by_id()  # only needed for accounts that have no tier yet
    out = {}
    for aid, account in snapshot.accounts.items():
        if account.tier_override is not None:
            out[aid] = account.tier_override.tier
        elif account.tier is not None:
            out[aid] = account.tier
        else:
            out[aid] = computed[aid].tier
    return out


def _untargeted(snapshot: Snapshot, lang: Lang, today: dt.date | None) -> list[Finding]:
    targeted = {
        g.scope_ref
        for g in snapshot.goals.values()
        if is_open(g)
        and g.scope == ScopeKind.ACCOUNT
        and g.metric is not None
        and g.metric.target is not None
    }
    out = []
    for aid, tier in sorted(effective_tiers(snapshot, today).items()):
        if tier == 1 and aid not in targeted:
            name = snapshot.accounts[aid].display_name(lang)
            out.append(
                Finding(
                    "PLAN-UNTARGETED",
                    "error",
                    (aid,),
                    t("plan.check.untargeted", lang, account=aid, name=name),
                )
            )
    return out


def _growth(snapshot: Snapshot, lang: Lang) -> list[Finding]:
    out: list[Finding] = []
    review = snapshot.settings.review
    for hg in horizon_growth(snapshot):
        if abs(hg.gap) <= review.cagr_tolerance:
            continue
        out.append(
            Finding(
                "PLAN-CAGR",
                "warning",
                (hg.short_id, hg.long_id),
                t(
                    "plan.check.cagr_horizon_" + hg.reference_kind,
                    lang,
                    short=hg.short_id,
                    long=hg.long_id,
                    required=_pct(hg.required),
                    reference=_pct(hg.reference),
                    years=f"{hg.years:g}",
                ),
                {
                    "required": hg.required,
                    "reference": hg.reference,
                    "reference_kind": hg.reference_kind,
                    "years": hg.years,
                },
            )
        )
    for hh in history_growth(snapshot):
        if abs(hh.gap) <= review.history_tolerance:
            continue
        out.append(
            Finding(
                "PLAN-CAGR",
                "warning",
                (hh.goal_id, hh.account_id),
                t(
                    "plan.check.cagr_history",
                    lang,
                    goal=hh.goal_id,
                    account=hh.account_id,
                    implied=_pct(hh.implied),
                    base_year=hh.base_year,
                    years=hh.years,
                    history=_pct(hh.history),
                    history_years=hh.history_years,
                ),
                {
                    "implied": hh.implied,
                    "history": hh.history,
                    "base_year": hh.base_year,
                    "base_revenue": hh.base_revenue,
                    "years": hh.years,
                },
            )
        )
    return out


def check_plan(
    snapshot: Snapshot,
    *,
    today: dt.date | None = None,
    lang: Lang | None = None,
    smart: SmartLinter | Literal["auto"] | None = "auto",
) -> list[Finding]:
    """Every finding about the plan in ``snapshot``, errors first.

    Args:
        snapshot: the workspace.
        today: the date lint and tier computations take as today.
        lang: the language of messages (default: the workspace's).
        smart: the SMART linter; ``"auto"`` finds the lint engine, None leaves SMART out.
    """
    lang = lang or snapshot.settings.language
    linter = find_smart_linter() if smart == "auto" else smart
    findings = [
        *(_smart(snapshot, linter, today, lang) if smart is not None else []),
        *_sums_and_units(snapshot, lang),
        *_periods(snapshot, lang),
        *_orphans(snapshot, lang),
        *_untargeted(snapshot, lang, today),
        *_growth(snapshot, lang),
    ]
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.rule, f.records))
    return findings
