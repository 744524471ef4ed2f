"""The four briefs: team, person, account and exec."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kaplan_tui.core.briefs.context import OPEN, Ctx, GoalView, open_goals
from kaplan_tui.core.briefs.doc import Doc
from kaplan_tui.core.briefs.escape import cell, fenced, inline
from kaplan_tui.core.briefs.fmt import number
from kaplan_tui.core.briefs.seams import totals_by_horizon
from kaplan_tui.core.briefs.sections import (
    attention,
    colon,
    footer,
    goal_details,
    goals_table,
    header,
    incentives_table,
    joined,
    labelled,
    overview_chart,
    review_calendar,
    status_counts,
    status_label,
    support_section,
    target_text,
)
from kaplan_tui.core.models import (
    Account,
    Goal,
    GoalStatus,
    Horizon,
    Metric,
    Person,
    ScopeKind,
    Team,
)
from kaplan_tui.core.planning.checks import check_plan
from kaplan_tui.core.planning.history import revenue_in_year
from kaplan_tui.core.planning.review import agenda
from kaplan_tui.core.planning.rollup import Levels, UnitKey, rollup_by
from kaplan_tui.core.planning.segments import segments_of_accounts
from kaplan_tui.core.records import field_of, rows
from kaplan_tui.core.text import clean_line

if TYPE_CHECKING:
    from kaplan_tui.core.planning.scoring import AccountScore

DECISIONS_SHOWN = 10
"""The exec brief lists at most this many decisions, then says how many more there are."""

HISTORY_YEARS = 3


# --- shared ---------------------------------------------------------------------------------------


def _summary(
    ctx: Ctx, doc: Doc, views: Sequence[GoalView], people: int | None, *, refs: bool = True
) -> None:
    doc.heading(2, ctx.msg("h.summary"))
    items = []
    if people is None:
        items.append(ctx.msg("summary_goals", n=len(views)))
    else:
        items.append(ctx.msg("summary_goals_people", n=len(views), people=people))
    counts = status_counts(ctx, views)
    if counts:
        items.append(counts)
    risky = attention(ctx, views) if refs else []
    if risky:
        named = ctx.msg("list_sep").join(f"{v.ref} {ctx.statement(v.goal, 30)}" for v in risky[:5])
        items.append(labelled(ctx, ctx.msg("col.attention"), named))
    next_dates = sorted(d for v in views for d in ctx.upcoming_reviews(v.goal, ctx.as_of.max)[:1])
    if next_dates:
        items.append(labelled(ctx, ctx.msg("col.next_review"), ctx.fmt.date(next_dates[0])))
    doc.bullets(items)


def _metric_for(unit: UnitKey) -> Metric:
    """A metric in ``unit`` (a roll-up's unit key), to format its totals."""
    name, currency = unit
    if currency and name.upper() == currency:
        name = currency
    # built, not validated: validating would build the validator of Metric (25 ms in a
    # process that unpacked every record from the cache and validated nothing)
    return Metric.model_construct(name="total", unit=name, currency=currency)


def _levels_cells(ctx: Ctx, levels: Levels, unit: UnitKey) -> list[str]:
    m = _metric_for(unit)
    return [
        ctx.fmt.value(levels.base, m),
        ctx.fmt.value(levels.stretch, m),
        ctx.fmt.value(levels.challenge, m),
    ]


def _how_set(ctx: Ctx, doc: Doc, views: Sequence[GoalView]) -> None:
    """Transparency: the pillars the goals serve and how the goals break down."""
    doc.heading(2, ctx.msg("h.why"))
    doc.para(ctx.msg("why_intro"))
    pillars: dict[str, list[str]] = defaultdict(list)
    for v in views:
        pid = v.goal.pillar or next((a.pillar for a in _ancestors(ctx, v.goal) if a.pillar), None)
        if pid:
            pillars[pid].append(v.ref)
    if pillars:
        items = []
        for pid in sorted(pillars):
            pillar = ctx.snapshot.pillars.get(pid)
            text = f"**{ctx.name(pillar, pid)}** ({', '.join(pillars[pid])})"
            if pillar is not None and pillar.description.strip():
                text += f"{colon(ctx)}{inline(pillar.description)}"
            items.append(text)
        doc.heading(3, ctx.msg("h.pillars"))
        doc.bullets(items)
    tree = _goal_tree(ctx, views)
    if tree:
        doc.heading(3, ctx.msg("col.breakdown"))
        doc.para(ctx.msg("breakdown_intro"))
        doc.raw("\n".join(tree))


def _ancestors(ctx: Ctx, goal: Goal) -> list[Goal]:
    out: list[Goal] = []
    seen = {goal.id}
    parent = goal.parent
    while parent and parent not in seen:
        found = ctx.snapshot.goals.get(parent)
        if found is None:
            break
        out.append(found)
        seen.add(parent)
        parent = found.parent
    return out


def _goal_tree(ctx: Ctx, views: Sequence[GoalView]) -> list[str]:
    """Nested bullets: each goal under its parent; parents outside the brief shown for context."""
    in_brief = {v.goal.id for v in views}
    context: dict[str, Goal] = {}
    for v in views:
        for a in _ancestors(ctx, v.goal):
            if a.id not in in_brief:
                context[a.id] = a
    shown = in_brief | set(context)
    children: dict[str | None, list[Goal]] = defaultdict(list)
    for gid in shown:
        g = ctx.snapshot.goals[gid]
        children[g.parent if g.parent in shown else None].append(g)
    if not any(k is not None for k in children):
        return []
    lines: list[str] = []

    def walk(parent: str | None, depth: int) -> None:
        for g in sorted(children.get(parent, []), key=_tree_order):
            view = ctx.views.get(g.id)
            label = f"{view.ref} · " if view and g.id in in_brief else ""
            target = target_text(ctx, g)
            text = f"{label}{ctx.statement(g, 50)} ({target}, {ctx.fmt.date(g.deadline)})"
            if g.id not in in_brief:
                text = f"*{text}*"
            lines.append(f"{'  ' * depth}- {text}")
            walk(g.id, depth + 1)

    walk(None, 0)
    return lines


_TREE_ORDER = {Horizon.LONG: 0, Horizon.MID: 1, Horizon.SHORT: 2}


def _tree_order(goal: Goal) -> tuple[int, str]:
    return _TREE_ORDER[goal.horizon], goal.id


# --- team -----------------------------------------------------------------------------------------


def team_goals(ctx: Ctx, team: Team | None) -> tuple[list[Goal], list[Person]]:
    """The open goals of a team (or of everyone) and its members.

    A team's goals are those scoped to it, owned by or scoped to its members, and those of the
    accounts its members manage.
    """
    snap = ctx.snapshot
    if team is None:
        members = sorted(snap.people.values(), key=lambda p: p.id)
        return open_goals(snap.goals.values()), members
    members = sorted(snap.people_by_team.get(team.id, []), key=lambda p: p.id)
    ids = {p.id for p in members}
    accounts = snap.accounts

    def belongs(owner: str | None, scope: ScopeKind, ref: str | None, status: GoalStatus) -> bool:
        if status not in OPEN:
            return False
        if (scope == ScopeKind.TEAM and ref == team.id) or owner in ids:
            return True
        if scope == ScopeKind.PERSON:
            return ref in ids
        # an account goal belongs when a member manages the account: its owner is looked up
        # rather than listing the members' thousands of accounts first
        if scope != ScopeKind.ACCOUNT or not ref or ref not in accounts:
            return False
        return field_of(accounts, ref, "owner") in ids  # without unpacking the account

    # Chosen by the goals' owners and scopes, read without unpacking them: a team brief reads
    # its own goals, not the workspace's thousands.
    goals = snap.goals
    chosen = rows(goals, "owner", "scope", "scope_ref", "status")
    return open_goals(goals[gid] for gid, *about in chosen if belongs(*about)), members


def render_team(ctx: Ctx, team: Team | None) -> str:
    """The team brief: goals, owners, why, incentives, reviews, support."""
    doc = Doc()
    goals, members = team_goals(ctx, team)
    views = ctx.number(goals)
    name = ctx.name(team) if team else inline(ctx.snapshot.settings.name)
    facts = []
    if team is not None:
        lead = ctx.person(team.lead) if team.lead else None
        bits = [labelled(ctx, ctx.msg("col.region"), inline(team.region))] if team.region else []
        if lead:
            bits.append(labelled(ctx, ctx.msg("col.lead"), lead))
        bits.append(labelled(ctx, ctx.msg("col.members"), ctx.msg("people_n", n=len(members))))
        facts.append(" · ".join(bits))
    header(ctx, doc, ctx.msg("title.team", name=name), facts)
    doc.para(ctx.msg("team_intro"))
    owners = {v.goal.owner for v in views if v.goal.owner}
    _summary(ctx, doc, views, len(owners))
    if not views:
        doc.para(ctx.msg("no_goals"))
        footer(ctx, doc)
        return doc.render()
    _how_set(ctx, doc, views)
    doc.heading(2, ctx.msg("h.goals"))
    goals_table(ctx, doc, views)
    overview_chart(ctx, doc, views)
    _owners_table(ctx, doc, views, members)
    doc.heading(2, ctx.msg("h.details"))
    goal_details(ctx, doc, views)
    incentives_table(ctx, doc, views)
    review_calendar(ctx, doc, views)
    support_section(ctx, doc, views)
    footer(ctx, doc)
    return doc.render()


def _owners_table(ctx: Ctx, doc: Doc, views: Sequence[GoalView], members: Iterable[Person]) -> None:
    """Who owns what: each member's goals and the sum of their short-term targets."""
    doc.heading(2, ctx.msg("h.owners"))
    by_owner: dict[str, list[str]] = defaultdict(list)
    for v in views:
        if v.goal.owner:
            by_owner[v.goal.owner].append(v.ref)
    totals: dict[str, list[str]] = defaultdict(list)
    for r in rollup_by(ctx.snapshot, "person", horizon=Horizon.SHORT, only=by_owner):
        if r.levels.base is not None:
            totals[r.key].append(ctx.fmt.value(r.levels.base, _metric_for(r.unit)))
    people = {p.id: p for p in members}
    for pid in by_owner:
        if pid not in people and pid in ctx.snapshot.people:
            people[pid] = ctx.snapshot.people[pid]
    rows = []
    for pid in sorted(people, key=lambda i: (i not in by_owner, i)):
        p = people[pid]
        rows.append(
            [
                ctx.name(p),
                ctx.msg(f"role.{p.role.value}"),
                ", ".join(by_owner.get(pid, [])) or "—",
                ctx.msg("list_sep").join(totals.get(pid, [])) or "—",
            ]
        )
    doc.para(ctx.msg("owners_intro"))
    doc.table(
        [
            ctx.msg("col.person"),
            ctx.msg("col.role"),
            ctx.msg("col.goals"),
            ctx.msg("col.short_total", term=ctx.term("base_target")),
        ],
        rows,
    )


# --- person ---------------------------------------------------------------------------------------


def person_goals(ctx: Ctx, person: Person) -> list[Goal]:
    """The open goals a person owns or that are set for them."""
    return open_goals(
        g
        for g in ctx.snapshot.goals.values()
        if g.owner == person.id or (g.scope == ScopeKind.PERSON and g.scope_ref == person.id)
    )


def render_person(ctx: Ctx, person: Person) -> str:
    """One person's targets, the levels and what each earns, reviews and support."""
    snap = ctx.snapshot
    doc = Doc()
    views = ctx.number(person_goals(ctx, person))
    bits = [labelled(ctx, ctx.msg("col.role"), ctx.msg(f"role.{person.role.value}"))]
    if person.team:
        bits.append(
            labelled(ctx, ctx.msg("col.team"), ctx.name(snap.teams.get(person.team), person.team))
        )
    if person.manager:
        bits.append(labelled(ctx, ctx.msg("col.manager"), ctx.person(person.manager)))
    accounts = sorted(
        {a.id for a in snap.accounts_owned_by((person.id,))} | set(person.territory.accounts)
    )
    facts = [" · ".join(bits)]
    if accounts:
        names = ctx.msg("list_sep").join(ctx.name(snap.accounts.get(a), a) for a in accounts)
        facts.append(labelled(ctx, ctx.term("key_account", cap=True), names))
    header(ctx, doc, ctx.msg("title.person", name=ctx.name(person)), facts)
    doc.para(ctx.msg("person_intro"))
    _summary(ctx, doc, views, None)
    if not views:
        doc.para(ctx.msg("no_goals"))
        footer(ctx, doc)
        return doc.render()
    doc.heading(2, ctx.msg("h.levels"))
    doc.para(
        ctx.msg(
            "levels_intro",
            base=ctx.term("base_target"),
            stretch=ctx.term("stretch_target"),
            challenge=ctx.term("challenge_target"),
        )
    )
    rows = []
    for v in views:
        m = v.goal.metric
        rows.append(
            [
                v.ref,
                ctx.statement(v.goal, 50),
                ctx.fmt.value(m.baseline if m else None, m),
                ctx.fmt.value(m.target if m else None, m),
                ctx.fmt.value(m.stretch if m else None, m),
                ctx.fmt.value(m.challenge if m else None, m),
                ctx.fmt.date(v.goal.deadline),
            ]
        )
    doc.table(
        [
            "#",
            ctx.term("goal", cap=True),
            ctx.term("baseline", cap=True),
            ctx.term("base_target", cap=True),
            ctx.term("stretch_target", cap=True),
            ctx.term("challenge_target", cap=True),
            ctx.msg("col.deadline"),
        ],
        rows,
        ["left", "left", "right", "right", "right", "right", "left"],
    )
    incentives_table(ctx, doc, views)
    doc.heading(2, ctx.msg("h.progress"))
    goals_table(ctx, doc, views, owner=False)
    doc.heading(2, ctx.msg("h.details"))
    goal_details(ctx, doc, views, charts=True)
    review_calendar(ctx, doc, views)
    support_section(ctx, doc, views)
    footer(ctx, doc)
    return doc.render()


# --- account --------------------------------------------------------------------------------------


def render_account(ctx: Ctx, account: Account) -> str:
    """An account plan: profile, tier and why, needs, history, goals and next reviews."""
    snap = ctx.snapshot
    doc = Doc()
    goals = open_goals(
        g for g in snap.goals.values() if g.scope == ScopeKind.ACCOUNT and g.scope_ref == account.id
    )
    views = ctx.number(goals)
    from kaplan_tui.core.planning.scoring import score_accounts  # account briefs only

    scores = score_accounts(list(snap.accounts.values()), snap.settings.scoring, today=ctx.as_of)
    score = scores.by_id().get(account.id)
    tier = (
        account.tier_override.tier
        if account.tier_override
        else (account.tier if account.tier is not None else (score.tier if score else None))
    )
    bits = []
    if tier is not None:
        bits.append(labelled(ctx, ctx.term("tier", cap=True), ctx.msg("tier_value", tier=tier)))
    bits.append(labelled(ctx, ctx.msg("col.account_manager"), ctx.person(account.owner)))
    header(ctx, doc, ctx.msg("title.account", name=ctx.name(account)), [" · ".join(bits)])
    doc.para(ctx.msg("account_intro"))

    doc.heading(2, ctx.msg("h.profile"))
    profile = [
        (ctx.msg("col.industry"), cell(account.industry)),
        (ctx.msg("col.region"), cell(account.region)),
        (
            ctx.msg("col.size"),
            cell(account.size or "")
            if account.employees is None
            else ctx.msg("employees", n=number(account.employees)),
        ),
        (ctx.msg("col.parent_company"), cell(account.parent_company or "")),
        (ctx.msg("col.products_held"), joined(ctx, account.products_held) or "—"),
        (
            ctx.msg("col.relationship"),
            "★" * account.relationship_strength + "☆" * (5 - account.relationship_strength)
            if account.relationship_strength
            else "—",
        ),
        (
            ctx.msg("col.strategic_fit"),
            "★" * account.strategic_fit + "☆" * (5 - account.strategic_fit)
            if account.strategic_fit
            else "—",
        ),
    ]
    segs = segments_of_accounts(snap.segments, snap.accounts, year=scores.year).get(account.id, [])
    if segs:
        profile.append(
            (
                ctx.msg("col.segments"),
                ctx.msg("list_sep").join(ctx.name(snap.segments.get(s), s) for s in segs),
            )
        )
    doc.table([ctx.msg("col.item"), ctx.msg("col.value")], [list(r) for r in profile])

    _tier_section(ctx, doc, account, score, len(scores.accounts))
    doc.heading(2, ctx.msg("h.needs"))
    needs = [inline(n) for n in account.needs if n.strip()]
    pains = [inline(n) for n in account.pain_points if n.strip()]
    if needs:
        doc.para(f"**{ctx.msg('col.needs')}**")
        doc.bullets(needs)
    if pains:
        doc.para(f"**{ctx.msg('col.pain_points')}**")
        doc.bullets(pains)
    if not needs and not pains:
        doc.para(ctx.msg("needs_none"))
    if not ctx.hidden("history"):
        _history_section(ctx, doc, account, scores.year)
    doc.heading(2, ctx.msg("h.account_goals"))
    if views:
        goals_table(ctx, doc, views)
        goal_details(ctx, doc, views, level=3, charts=True)
    else:
        doc.para(ctx.msg("no_account_goals"))
    review_calendar(ctx, doc, views)
    if not ctx.hidden("notes") and account.relationship_notes.strip():
        doc.heading(2, ctx.msg("h.relationship"))
        doc.raw(fenced(account.relationship_notes))
    footer(ctx, doc)
    return doc.render()


def _tier_section(
    ctx: Ctx, doc: Doc, account: Account, score: AccountScore | None, total: int
) -> None:
    doc.heading(2, ctx.msg("h.tier"))
    if account.tier_override is not None:
        doc.para(
            ctx.msg(
                "tier_override",
                tier=account.tier_override.tier,
                reason=inline(account.tier_override.reason),
                by=ctx.person(account.tier_override.by) if account.tier_override.by else "—",
            )
        )
    if score is not None:
        doc.para(
            ctx.msg(
                "tier_score",
                score=number(score.score, 1),
                rank=score.rank,
                total=total,
                tier=score.computed_tier,
            )
        )
        if not ctx.hidden("score"):
            rows = []
            for comp in sorted(score.components, key=lambda c: -c.contribution):
                rows.append(
                    [
                        ctx.criterion(comp.criterion),
                        _raw_text(ctx, comp.criterion, comp.raw),
                        ctx.fmt.pct(comp.share),
                        number(comp.contribution, 1),
                    ]
                )
            doc.table(
                [
                    ctx.msg("col.criterion"),
                    ctx.msg("col.raw"),
                    ctx.msg("col.weight"),
                    ctx.msg("col.points"),
                ],
                rows,
                ["left", "right", "right", "right"],
            )
    if account.tier_history:
        items = []
        for ch in sorted(account.tier_history, key=lambda c: c.date):
            move = (
                f"{ctx.msg('tier_value', tier=ch.previous)} → " if ch.previous else ""
            ) + ctx.msg("tier_value", tier=ch.tier)
            reason = f"{colon(ctx)}{inline(ch.reason)}" if ch.reason.strip() else ""
            items.append(f"{ctx.fmt.date(ch.date)} {move}{reason}")
        doc.para(f"**{ctx.msg('col.tier_history')}**")
        doc.bullets(items)


def _raw_text(ctx: Ctx, criterion: str, raw: float | None) -> str:
    if raw is None:
        return "—"
    if criterion in ("growth_3y",):
        return ctx.fmt.signed_pct(raw)
    if criterion in ("purchase_frequency",):
        return number(raw, 0)
    if criterion in ("strategic_fit", "relationship"):
        return f"{number(raw, 0)}/5"
    if ctx.hidden("history"):
        return "—"
    return ctx.fmt.money(raw)


def _history_section(ctx: Ctx, doc: Doc, account: Account, last_year: int) -> None:
    doc.heading(2, ctx.msg("h.history"))
    years = list(range(last_year - HISTORY_YEARS + 1, last_year + 1))
    rows = []
    previous: float | None = None
    code = account.currency
    for year in years:
        value = revenue_in_year(account.purchase_history, year)
        growth = None if value is None or not previous else value / previous - 1
        rows.append(
            [
                str(year),
                ctx.fmt.money(value, code) if value is not None else "—",
                ctx.fmt.signed_pct(growth),
            ]
        )
        previous = value
    if any(r[1] != "—" for r in rows):
        doc.table(
            [ctx.msg("col.year"), ctx.msg("col.purchases"), ctx.msg("col.growth")],
            rows,
            ["left", "right", "right"],
        )
    else:
        doc.para(ctx.msg("history_none"))
    if account.pipeline:
        total = sum(p.amount or 0.0 for p in account.pipeline)
        doc.para(labelled(ctx, ctx.term("pipeline", cap=True), ctx.fmt.money(total, code)))
        doc.table(
            [
                ctx.msg("col.stage"),
                ctx.msg("col.product"),
                ctx.msg("col.amount"),
                ctx.msg("col.expected_close"),
            ],
            [
                [
                    cell(p.stage),
                    cell(p.product or ""),
                    ctx.fmt.money(p.amount, code) if p.amount is not None else "—",
                    ctx.fmt.date(p.expected_close),
                ]
                for p in sorted(
                    account.pipeline, key=lambda p: (p.expected_close or ctx.as_of.max, p.stage)
                )
            ],
            ["left", "left", "right", "left"],
        )
    if account.potential is not None:
        doc.para(
            labelled(ctx, ctx.term("potential", cap=True), ctx.fmt.money(account.potential, code))
        )


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*[A-Za-z0-9]")


def _named(ctx: Ctx, message: str) -> str:
    """A planning message with goal and account ids replaced by statements and names, escaped."""
    snap = ctx.snapshot

    def name(m: re.Match[str]) -> str:
        word = m.group()
        if word in snap.goals:
            text = clean_line(snap.goals[word].statement)
            return f"“{text[:29] + '…' if len(text) > 30 else text}”"
        account = snap.accounts.get(word)
        if account is not None and account.display_name(ctx.lang) not in message:
            return account.display_name(ctx.lang)
        return word

    return inline(_ID.sub(name, message))


# --- exec -----------------------------------------------------------------------------------------


def render_exec(ctx: Ctx) -> str:
    """One page: totals by horizon and segment, goals at risk, decisions needed."""
    snap = ctx.snapshot
    doc = Doc()
    goals = open_goals(snap.goals.values())
    views = ctx.number(goals)
    header(ctx, doc, ctx.msg("title.exec"))
    _summary(ctx, doc, views, len({v.goal.owner for v in views if v.goal.owner}), refs=False)

    doc.heading(2, ctx.msg("h.by_horizon"))
    rows = []
    by_horizon = totals_by_horizon(snap)
    for horizon in Horizon:
        in_h = [v for v in views if v.goal.horizon == horizon]
        totals = by_horizon.get(horizon, [])
        money = ctx.msg("list_sep").join(
            ctx.fmt.value(t.levels.base, _metric_for(t.unit))
            for t in totals
            if t.levels.base is not None
        )
        rows.append(
            [
                ctx.term(f"horizon_{horizon.value}", cap=True),
                str(len(in_h)),
                status_counts(ctx, in_h) or "—",
                money or "—",
            ]
        )
    doc.table(
        [
            ctx.msg("col.horizon"),
            ctx.msg("col.goals_n"),
            ctx.msg("col.status"),
            ctx.msg("col.top_total", term=ctx.term("base_target")),
        ],
        rows,
        ["left", "right", "left", "right"],
    )

    seg_rows = []
    for r in rollup_by(snap, "segment", horizon=Horizon.SHORT):
        seg = snap.segments.get(r.key)
        seg_rows.append(
            [ctx.name(seg, r.key), str(len(r.goals)), *_levels_cells(ctx, r.levels, r.unit)]
        )
    if seg_rows:
        doc.heading(2, ctx.msg("h.by_segment"))
        doc.para(ctx.msg("by_segment_intro", horizon=ctx.term("horizon_short")))
        doc.table(
            [
                ctx.msg("col.segment"),
                ctx.msg("col.goals_n"),
                ctx.term("base_target", cap=True),
                ctx.term("stretch_target", cap=True),
                ctx.term("challenge_target", cap=True),
            ],
            seg_rows,
            ["left", "right", "right", "right", "right"],
        )

    team_views = [
        v for v in views if v.goal.scope == ScopeKind.TEAM and v.goal.horizon == Horizon.SHORT
    ]
    if team_views:
        doc.heading(2, ctx.msg("h.by_team"))
        doc.table(
            [
                ctx.msg("col.team"),
                ctx.term("goal", cap=True),
                ctx.term("base_target", cap=True),
                ctx.msg("col.actual"),
                ctx.term("projection", cap=True),
                ctx.msg("col.status"),
            ],
            [
                [
                    ctx.name(snap.teams.get(v.goal.scope_ref or ""), v.goal.scope_ref),
                    ctx.statement(v.goal, 40),
                    target_text(ctx, v.goal),
                    ctx.fmt.value(v.progress.actual, v.goal.metric),
                    ctx.fmt.value(v.progress.projection, v.goal.metric)
                    + (
                        f" ({ctx.fmt.pct(v.progress.attainment)})"
                        if v.progress.attainment is not None
                        else ""
                    ),
                    status_label(ctx, v.progress.status),
                ]
                for v in team_views
            ],
            ["left", "left", "right", "right", "right", "left"],
        )

    ag = agenda(snap, ctx.as_of)
    doc.heading(2, ctx.msg("h.at_risk"))
    risky = [ctx.views[p.goal_id] for p in ag.at_risk if p.goal_id in ctx.views]
    if risky:
        doc.table(
            [
                ctx.term("goal", cap=True),
                ctx.msg("col.owner"),
                ctx.term("base_target", cap=True),
                ctx.term("projection", cap=True),
                ctx.msg("col.attainment"),
                ctx.msg("col.status"),
            ],
            [
                [
                    ctx.statement(v.goal, 50),
                    ctx.person(v.goal.owner),
                    target_text(ctx, v.goal),
                    ctx.fmt.value(v.progress.projection, v.goal.metric),
                    ctx.fmt.pct(v.progress.attainment),
                    status_label(ctx, v.progress.status),
                ]
                for v in risky
            ],
            ["left", "left", "right", "right", "right", "left"],
        )
    else:
        doc.para(ctx.msg("at_risk_none"))

    doc.heading(2, ctx.msg("h.decisions"))
    doc.para(ctx.msg("decisions_intro"))
    decisions = []
    off = [v for v in risky if v.progress.status == "off_track"]
    if off:
        decisions.append(
            ctx.msg(
                "decision_off_track",
                n=len(off),
                status=ctx.term("off_track"),
                owners=ctx.msg("list_sep").join(sorted({ctx.person(v.goal.owner) for v in off})),
            )
        )
    for finding in check_plan(snap, today=ctx.as_of, lang=ctx.lang, smart=None):
        if finding.severity == "error":
            decisions.append(_named(ctx, finding.message))
    if ag.overdue:
        decisions.append(ctx.msg("decision_overdue", n=len(ag.overdue)))
    if decisions:
        doc.bullets(decisions[:DECISIONS_SHOWN])
        if len(decisions) > DECISIONS_SHOWN:
            doc.para(ctx.msg("decisions_more", n=len(decisions) - DECISIONS_SHOWN))
    else:
        doc.para(ctx.msg("decisions_none"))

    footer(ctx, doc)
    return doc.render()
