"""Sections several audiences share: header, goal tables and details, charts, the review
calendar, improvement actions, incentives, training and support, and the glossary."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

from kaplan_tui.core.briefs.context import (
    REDACTABLE,
    SMART_CRITERIA,
    SMART_MARK,
    STATUS_MARK,
    Ctx,
    GoalView,
)
from kaplan_tui.core.briefs.doc import Doc, text_bar, xychart
from kaplan_tui.core.briefs.escape import cell, inline, lines
from kaplan_tui.core.models import Cadence, Goal, GoalStatus, Incentive, ScopeKind
from kaplan_tui.core.planning.review import STATUS_ORDER, fiscal_month, reviews_for, trajectory
from kaplan_tui.core.text import clean_line
from kaplan_tui.i18n import t

REVIEW_WINDOW_DAYS = 92
"""The review calendar covers about one quarter after the as-of date."""

STATEMENT_IN_TABLE = 60
STATEMENT_IN_HEADING = 90


# --- header and footer ---------------------------------------------------------------------------


def header(ctx: Ctx, doc: Doc, title: str, facts: Sequence[str] = ()) -> None:
    """The title, the workspace and date line, facts about the subject, and what is redacted."""
    doc.heading(1, title)
    meta = ctx.msg(
        "meta",
        workspace=inline(ctx.snapshot.settings.name),
        date=ctx.fmt.date(ctx.as_of),
    )
    doc.para("\\\n".join([meta, *facts]))
    if ctx.options.redact:
        hidden = ctx.msg("list_sep").join(
            ctx.msg(f"redact.{f}") for f in sorted(ctx.options.redact) if f in REDACTABLE
        )
        doc.quote(ctx.msg("redacted", fields=hidden))


def footer(ctx: Ctx, doc: Doc) -> None:
    """The glossary of the terms used, and where the brief came from."""
    listing = ctx.glossary.listing()
    if listing:
        doc.heading(2, ctx.msg("h.glossary"))
        doc.para(ctx.msg("glossary_intro"))
        doc.table(
            [ctx.msg("col.lang_zh"), ctx.msg("col.lang_en")],
            [[cell(zh), cell(en)] for zh, en in listing],
        )
    doc.raw("---")
    doc.para(ctx.msg("footer", date=ctx.fmt.date(ctx.as_of)))


# --- small labels --------------------------------------------------------------------------------


def status_label(ctx: Ctx, status: str) -> str:
    """``🟡 at risk``: the status mark and its glossary term."""
    return f"{STATUS_MARK[status]} {ctx.term(status)}"


def smart_short(ctx: Ctx, view: GoalView) -> str:
    """A goal's SMART score and worst criterion mark, for tables: ``80 ⚠️``."""
    if view.smart is None:
        return "—"
    values = [view.smart.criteria.get(c, "unknown") for c in SMART_CRITERIA]
    worst = next((v for v in ("fail", "warn", "unknown") if v in values), "pass")
    return f"{round(view.smart.score)} {SMART_MARK[worst]}"


def smart_long(ctx: Ctx, view: GoalView) -> str:
    """Every SMART criterion with its mark: ``82/100 — specific ✅ · measurable ✅ ...``."""
    if view.smart is None:
        return ctx.msg("smart_unchecked")
    parts = [
        f"{t('plan.smart.' + c, ctx.lang)} {SMART_MARK[view.smart.criteria.get(c, 'unknown')]}"
        for c in SMART_CRITERIA
    ]
    return ctx.msg("smart_line", score=round(view.smart.score), criteria=" · ".join(parts))


def scope_label(ctx: Ctx, goal: Goal) -> str:
    """``team 华东大客户团队``: what the goal is for."""
    snap = ctx.snapshot
    ref = goal.scope_ref
    records = {
        ScopeKind.TEAM: snap.teams,
        ScopeKind.PERSON: snap.people,
        ScopeKind.ACCOUNT: snap.accounts,
        ScopeKind.SEGMENT: snap.segments,
    }[goal.scope]
    what = ctx.msg(f"kind.{goal.scope.value}")
    if ref is None:
        return what
    return f"{what} {ctx.name(records.get(ref), ref)}"


def horizon_label(ctx: Ctx, goal: Goal) -> str:
    """The glossary term of the goal's horizon."""
    return ctx.term(f"horizon_{goal.horizon.value}")


def period_text(ctx: Ctx, goal: Goal) -> str:
    """``2026-01-01 → 2026-12-31``, or the deadline alone, or ``no deadline``."""
    if goal.deadline is None:
        return ctx.msg("no_deadline")
    if goal.start is None:
        return ctx.fmt.date(goal.deadline)
    return f"{ctx.fmt.date(goal.start)} → {ctx.fmt.date(goal.deadline)}"


def target_text(ctx: Ctx, goal: Goal) -> str:
    """The goal's base target with its unit, or ``—``."""
    return ctx.fmt.value(goal.metric.target if goal.metric else None, goal.metric)


def progress_cell(view: GoalView, ctx: Ctx) -> str:
    """``███████░░░ 68%`` of the way from start to target, or ``—`` without data."""
    share = view.completion
    if share is None:
        return "—"
    if share < 0:
        return f"{text_bar(0)} {ctx.msg('below_start')}"
    return f"{text_bar(share)} {ctx.fmt.pct(share)}"


def draft_mark(ctx: Ctx, goal: Goal) -> str:
    """`` (draft)`` for drafts, else nothing."""
    return ctx.msg("draft_mark") if goal.status == GoalStatus.DRAFT else ""


# --- goal tables ---------------------------------------------------------------------------------


def status_counts(ctx: Ctx, views: Sequence[GoalView]) -> str:
    """``7 on track · 3 at risk · 1 off track · 2 no data`` (zero counts left out)."""
    counts = Counter(v.progress.status for v in views)
    parts = [
        ctx.msg("count_status", n=counts[s], status=status_label(ctx, s))
        for s in ("on_track", "at_risk", "off_track", "unknown")
        if counts[s]
    ]
    return " · ".join(parts)


def goals_table(ctx: Ctx, doc: Doc, views: Sequence[GoalView], *, owner: bool = True) -> None:
    """One row per goal: number, statement, owner, deadline, target, actual, progress, status."""
    head = [
        "#",
        ctx.term("goal", cap=True),
        *([ctx.msg("col.owner")] if owner else []),
        ctx.msg("col.deadline"),
        ctx.term("base_target", cap=True),
        ctx.msg("col.actual"),
        ctx.msg("col.progress"),
        ctx.msg("col.status"),
        "SMART",
    ]
    rows = []
    for v in views:
        g, p = v.goal, v.progress
        rows.append(
            [
                v.ref,
                ctx.statement(g, STATEMENT_IN_TABLE) + draft_mark(ctx, g),
                *([ctx.person(g.owner)] if owner else []),
                ctx.fmt.date(g.deadline),
                target_text(ctx, g),
                ctx.fmt.value(p.actual, g.metric),
                progress_cell(v, ctx),
                status_label(ctx, p.status),
                smart_short(ctx, v),
            ]
        )
    align = ["left", "left", *(["left"] if owner else []), "left", "right", "right", "left"]
    doc.table(head, rows, [*align, "left", "left"])  # type: ignore[list-item]


def overview_chart(ctx: Ctx, doc: Doc, views: Sequence[GoalView]) -> None:
    """Bars: how far each goal has come (% of the way to target); line: where the plan says."""
    plotted = [v for v in views if v.completion is not None and v.expected_completion is not None]
    if not plotted:
        return
    doc.raw(
        xychart(
            title=ctx.msg("chart.overview_title"),
            x_labels=[v.ref for v in plotted],
            y_label="%",
            bar=[round(min(max((v.completion or 0.0), 0.0), 1.5) * 100, 1) for v in plotted],
            line=[round((v.expected_completion or 0.0) * 100, 1) for v in plotted],
        )
    )
    doc.para(ctx.msg("chart.overview_fallback"))


def goal_chart(ctx: Ctx, doc: Doc, view: GoalView) -> None:
    """Actual vs plan at each check-in: a Mermaid chart and the same figures as a table."""
    goal = view.goal
    metric = goal.metric
    checkins = ctx.known_checkins(goal)
    if len(checkins) < 2 or metric is None or metric.target is None:
        return
    # expected(d) = start + (target - start) * f(d): review.py's documented trajectory rule,
    # with one Trajectory per goal instead of a full progress() per check-in.
    traj = trajectory(goal, ctx.snapshot)
    start = view.progress.start_value
    planned = [
        None
        if traj is None or start is None
        else start + (metric.target - start) * traj.fraction(c.date)
        for c in checkins
    ]
    months = [(c.date.year, c.date.month) for c in checkins]
    unique_months = len(set(months)) == len(months)
    labels = [
        ctx.fmt.month(c.date) if unique_months else c.date.strftime("%m-%d") for c in checkins
    ]
    divisor, unit = ctx.fmt.chart_scale(metric)
    plan_values = [(e if e is not None else float("nan")) for e in planned]
    has_plan = all(e is not None for e in planned)
    doc.raw(
        xychart(
            title=ctx.msg("chart.goal_title", ref=view.ref),
            x_labels=labels,
            y_label=unit or "#",
            bar=[c.actual / divisor for c in checkins],
            line=[e / divisor for e in plan_values] if has_plan else None,
        )
    )
    rows = []
    for c, e in zip(checkins, planned, strict=True):
        share = None if e is None or e == 0 else c.actual / e
        rows.append(
            [
                ctx.fmt.date(c.date),
                ctx.fmt.value(c.actual, metric),
                ctx.fmt.value(e, metric),
                f"{text_bar(share)} {ctx.fmt.pct(share)}" if share is not None else "—",
            ]
        )
    doc.table(
        [
            ctx.msg("col.date"),
            ctx.msg("col.actual"),
            ctx.msg("col.planned"),
            ctx.msg("col.vs_plan"),
        ],
        rows,
        ["left", "right", "right", "left"],
    )


# --- goal details --------------------------------------------------------------------------------


def progress_line(ctx: Ctx, view: GoalView) -> str:
    """Actual, expected, projection, attainment and status in one sentence."""
    p, metric = view.progress, view.goal.metric
    if p.actual is None or p.actual_date is None:
        return ctx.msg("progress_none")
    parts = [
        ctx.msg(
            "progress_actual",
            actual=ctx.fmt.value(p.actual, metric),
            date=ctx.fmt.date(p.actual_date),
        )
    ]
    if p.expected is not None:
        parts.append(ctx.msg("progress_expected", expected=ctx.fmt.value(p.expected, metric)))
    if p.projection is not None and p.attainment is not None:
        parts.append(
            ctx.msg(
                "progress_projection",
                projection=ctx.fmt.value(p.projection, metric),
                attainment=ctx.fmt.pct(p.attainment),
            )
        )
    return (
        ctx.msg("sentence_sep").join(parts)
        + ctx.msg("sentence_end")
        + " "
        + status_label(ctx, p.status)
    )


def levels_text(ctx: Ctx, goal: Goal) -> str:
    """``baseline X; base target Y; stretch target Z; challenge target W``."""
    m = goal.metric
    if m is None:
        return ctx.msg("no_metric")
    parts = []
    for key, value in (
        ("baseline", m.baseline),
        ("base_target", m.target),
        ("stretch_target", m.stretch),
        ("challenge_target", m.challenge),
    ):
        if value is not None:
            parts.append(f"{ctx.term(key)} {ctx.fmt.value(value, m)}")
    levels = ctx.msg("list_sep").join(parts) if parts else ctx.msg("no_target")
    return f"{inline(m.name)}{colon(ctx)}{levels}"


def colon(ctx: Ctx) -> str:
    """The language's colon: full width in Chinese."""
    return "：" if ctx.lang == "zh" else ": "


def labelled(ctx: Ctx, label: str, value: str) -> str:
    """``**label**: value`` with the language's colon."""
    return f"**{label}**{colon(ctx)}{value}"


def joined(ctx: Ctx, items: Sequence[str]) -> str:
    """User text items escaped and joined with the language's list separator."""
    return ctx.msg("list_sep").join(inline(i) for i in items if clean_line(i))


def goal_details(
    ctx: Ctx, doc: Doc, views: Sequence[GoalView], *, level: int = 3, charts: bool = False
) -> None:
    """Each goal: who and what, the levels, why, what it serves, SMART, progress, next review."""
    for v in views:
        g = v.goal
        doc.heading(
            level, f"{v.ref} · {ctx.statement(g, STATEMENT_IN_HEADING)}{draft_mark(ctx, g)}"
        )
        items = [
            " · ".join(
                [
                    labelled(ctx, ctx.msg("col.owner"), ctx.person(g.owner)),
                    labelled(ctx, ctx.msg("col.scope"), scope_label(ctx, g)),
                    labelled(ctx, ctx.msg("col.type"), ctx.msg(f"type.{g.type.value}")),
                    labelled(ctx, ctx.msg("col.horizon"), horizon_label(ctx, g)),
                    labelled(ctx, ctx.msg("col.period"), period_text(ctx, g)),
                ]
            ),
            labelled(ctx, ctx.msg("col.metric"), levels_text(ctx, g)),
        ]
        if len(clean_line(g.statement)) > STATEMENT_IN_HEADING:
            items.append(labelled(ctx, ctx.term("goal", cap=True), lines(g.statement)))
        if not ctx.hidden("rationale"):
            why = lines(g.rationale) if clean_line(g.rationale) else ctx.msg("no_rationale")
            items.append(labelled(ctx, ctx.msg("col.why"), why))
        serves = serves_text(ctx, g)
        if serves:
            items.append(labelled(ctx, ctx.msg("col.serves"), serves))
        if not ctx.hidden("rationale"):
            if g.assumptions:
                items.append(labelled(ctx, ctx.msg("col.assumptions"), joined(ctx, g.assumptions)))
            if g.resources:
                items.append(labelled(ctx, ctx.msg("col.resources"), joined(ctx, g.resources)))
        items.append(labelled(ctx, "SMART", smart_long(ctx, v)))
        items.append(labelled(ctx, ctx.msg("col.progress"), progress_line(ctx, v)))
        if v.progress.confidence is not None and not ctx.hidden("confidence"):
            items.append(
                labelled(ctx, ctx.msg("col.confidence"), ctx.fmt.pct(v.progress.confidence))
            )
        items.extend(latest_notes(ctx, g))
        nxt = ctx.upcoming_reviews(g, dt.date.max)
        if nxt:
            items.append(
                labelled(
                    ctx,
                    ctx.msg("col.next_review"),
                    ctx.msg(
                        "next_review",
                        date=ctx.fmt.date(nxt[0]),
                        cadence=ctx.term("review_" + g.review_cadence.value),
                    ),
                )
            )
        doc.bullets(items)
        if charts:
            goal_chart(ctx, doc, v)


def serves_text(ctx: Ctx, goal: Goal) -> str:
    """The parent goal (by number if in the brief) and the strategy pillar."""
    parts = []
    if goal.parent:
        parent = ctx.snapshot.goals.get(goal.parent)
        if parent is not None:
            view = ctx.views.get(parent.id)
            ref = f"{view.ref} · " if view else ""
            parts.append(ref + ctx.statement(parent, STATEMENT_IN_TABLE))
    if goal.pillar:
        pillar = ctx.snapshot.pillars.get(goal.pillar)
        parts.append(f"{ctx.term('pillar')} {ctx.name(pillar, goal.pillar)}")
    return ctx.msg("list_sep").join(parts)


def latest_notes(ctx: Ctx, goal: Goal) -> list[str]:
    """The latest check-in's progress, problems and plans, as labelled items."""
    if ctx.hidden("notes"):
        return []
    last = ctx.last_checkin(goal)
    if last is None:
        return []
    out = []
    for key, text in (
        ("progress", last.progress),
        ("problems", last.problems),
        ("plans", last.plans),
    ):
        if clean_line(text):
            out.append(labelled(ctx, ctx.msg(f"col.note_{key}"), lines(text)))
    return out


# --- reviews and actions -------------------------------------------------------------------------


def review_calendar(ctx: Ctx, doc: Doc, views: Sequence[GoalView], *, level: int = 2) -> None:
    """How reviews run, the reviews of the next quarter by date, and overdue ones."""
    doc.heading(level, ctx.msg("h.reviews"))
    cadences = Counter(v.goal.review_cadence for v in views if v.goal.status == GoalStatus.ACTIVE)
    if cadences:
        mix = ctx.msg("list_sep").join(
            ctx.msg("count_cadence", n=cadences[c], cadence=ctx.term("review_" + c.value))
            for c in Cadence
            if cadences[c]
        )
        doc.para(ctx.msg("reviews_intro", mix=mix))
    until = ctx.as_of + dt.timedelta(days=REVIEW_WINDOW_DAYS)
    by_date: dict[dt.date, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for v in views:
        for d in ctx.upcoming_reviews(v.goal, until):
            kind = "deadline" if d == v.goal.deadline else "review_" + v.goal.review_cadence.value
            by_date[d][kind].append(v.ref)
    if not by_date:
        doc.para(ctx.msg("reviews_none", days=REVIEW_WINDOW_DAYS))
    else:
        rows = []
        for d in sorted(by_date):
            kinds = by_date[d]
            what = ctx.msg("list_sep").join(
                f"{ctx.term(k, cap=True)}{colon(ctx)}{', '.join(kinds[k])}"
                for k in ("deadline", "review_yearly", "review_quarterly", "review_monthly")
                if k in kinds
            )
            rows.append([ctx.fmt.date(d), what])
        doc.para(ctx.msg("reviews_window", days=REVIEW_WINDOW_DAYS))
        doc.table([ctx.msg("col.date"), ctx.msg("col.reviewed")], rows)
    overdue = []
    for v in views:
        if v.goal.status != GoalStatus.ACTIVE:
            continue
        for item in reviews_for(
            v.goal,
            ctx.snapshot.points(v.goal.id),
            ctx.as_of,
            ctx.snapshot.settings.review,
            fiscal_month(ctx.snapshot),
        ):
            if item.state == "overdue":
                overdue.append((item, v))
    if overdue:
        doc.para(ctx.msg("reviews_overdue_intro"))
        doc.table(
            [
                "#",
                ctx.msg("col.owner"),
                ctx.msg("col.review_date"),
                ctx.msg("col.days_overdue"),
                ctx.msg("col.last_checkin"),
            ],
            [
                [
                    v.ref,
                    ctx.person(v.goal.owner),
                    ctx.fmt.date(item.date),
                    str(item.days),
                    ctx.fmt.date(item.last_checkin),
                ]
                for item, v in sorted(overdue, key=lambda iv: (-iv[0].days, iv[1].ref))
            ],
            ["left", "left", "left", "right", "left"],
        )
    actions_table(ctx, doc, views)


def actions_table(ctx: Ctx, doc: Doc, views: Sequence[GoalView], owner: str | None = None) -> None:
    """Improvement actions still open from each goal's latest check-in (``owner``'s only if set)."""
    if ctx.hidden("notes"):
        return
    rows = []
    for v in views:
        last = ctx.last_checkin(v.goal)
        if last is None:
            continue
        for action in last.actions:
            if action.done or (owner is not None and action.owner != owner):
                continue
            late = action.due is not None and action.due < ctx.as_of
            due = ctx.fmt.date(action.due) + (ctx.msg("late_mark") if late else "")
            rows.append([v.ref, cell(action.text), ctx.person(action.owner), due])
    if rows:
        doc.para(ctx.msg("actions_intro"))
        doc.table(
            ["#", ctx.msg("col.action"), ctx.msg("col.owner"), ctx.msg("col.due")],
            rows,
        )


# --- incentives and support ----------------------------------------------------------------------


def award_text(ctx: Ctx, incentive: Incentive, amount: float | None) -> str:
    """An award in money, or ``—``."""
    if amount is None:
        return "—"
    return ctx.fmt.money(amount, incentive.currency)


def incentives_table(ctx: Ctx, doc: Doc, views: Sequence[GoalView], *, level: int = 2) -> None:
    """What reaching the base, stretch and challenge level of each goal earns."""
    if ctx.hidden("incentive"):
        return
    rows = []
    for v in views:
        inc = v.goal.incentive
        if inc is None:
            continue
        rows.append(
            [
                v.ref,
                ctx.msg(f"incentive.{inc.kind.value}"),
                award_text(ctx, inc, inc.base_award),
                award_text(ctx, inc, inc.stretch_award),
                award_text(ctx, inc, inc.challenge_award),
                cell(inc.description),
            ]
        )
    doc.heading(level, ctx.term("incentive", cap=True))
    if not rows:
        doc.para(ctx.msg("incentives_none"))
        return
    doc.para(ctx.msg("incentives_intro"))
    doc.table(
        [
            "#",
            ctx.msg("col.incentive_kind"),
            ctx.msg("col.award", level=ctx.term("base_target")),
            ctx.msg("col.award", level=ctx.term("stretch_target")),
            ctx.msg("col.award", level=ctx.term("challenge_target")),
            ctx.msg("col.description"),
        ],
        rows,
        ["left", "left", "right", "right", "right", "left"],
    )


def support_section(ctx: Ctx, doc: Doc, views: Sequence[GoalView], *, level: int = 2) -> None:
    """Training and support offered, and resources committed, each with the goals it serves."""
    doc.heading(level, ctx.msg("h.support"))
    groups: list[tuple[str, dict[str, list[str]]]] = [("support", {}), ("resources", {})]
    for v in views:
        for key, found in groups:
            if key == "resources" and ctx.hidden("rationale"):
                continue
            for item in getattr(v.goal, key):
                text = clean_line(item)
                if text:
                    found.setdefault(text, []).append(v.ref)
    any_items = False
    for key, found in groups:
        if not found:
            continue
        any_items = True
        doc.para(f"**{ctx.msg('support_' + key)}**")
        doc.bullets(
            [
                f"{inline(text)} ({', '.join(refs)})"
                for text, refs in sorted(found.items(), key=lambda kv: kv[0])
            ]
        )
    if not any_items:
        doc.para(ctx.msg("support_none"))
    doc.para(ctx.msg("support_outro"))


def attention(ctx: Ctx, views: Sequence[GoalView]) -> list[GoalView]:
    """Goals at risk or off track, the worst first."""
    risky = [v for v in views if v.progress.status in ("at_risk", "off_track")]
    return sorted(
        risky, key=lambda v: (STATUS_ORDER[v.progress.status], v.progress.attainment or 0.0, v.ref)
    )
