"""Lint a stored goal with its workspace context: account history, owner's territory, team
capacity, pillar. Pure: it reads a :class:`~kaplan_tui.core.snapshot.Snapshot`, never files.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from kaplan_tui.core.lint.contexts import name_index
from kaplan_tui.core.lint.engine import lint, recall, store_in_use
from kaplan_tui.core.lint.model import LintContext, LintResult
from kaplan_tui.core.lint.normalize import Lang
from kaplan_tui.core.lint.store import stored_goal_key
from kaplan_tui.core.records import column, field_of

if TYPE_CHECKING:  # the models pull in pydantic, which the keystroke path does not need
    from kaplan_tui.core.models import Goal, Person
    from kaplan_tui.core.snapshot import Snapshot

_MONEY_UNITS = {"CNY", "USD", "EUR", "TWD", "HKD", "GBP", "JPY", "RMB", "元", "万元"}
_SELLER_ROLES = {"kam", "rep", "manager"}


class _Memo:
    """What lint reads from one snapshot, computed once: its context, per goal scope the
    accounts and their histories, and per team its people and their capacity.

    ``kaplan check`` and a team brief lint every goal of a 10k-account workspace; most goals share
    a team or a segment, whose accounts were found (and their histories summed) again each time.
    Every value depends only on the snapshot and the key, so a memo returns what a fresh
    computation would.
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.context = _context(snapshot)
        self.scopes: dict[tuple[str, ...], list[str]] = {}
        """The ids of each scope's accounts."""
        self.books: dict[tuple[str, ...], _Books] = {}
        self.pipeline: dict[tuple[str, ...], float] = {}
        self.people: dict[tuple[str, str], _People] = {}
        self.territories: dict[str, list[str]] = {}


class _People:
    """A goal's people (its team's, else its owner) and what lint derives from them, made once
    per team: a 100-person team's goals each went through its members again."""

    __slots__ = ("capacity", "ids", "owners_key")

    def __init__(self, ids: tuple[str, ...], snapshot: Snapshot) -> None:
        self.ids = ids
        self.owners_key = ("owners", *sorted(set(ids)))
        """The scope key of a goal about what these people own."""
        people = [snapshot.people[i] for i in ids if i in snapshot.people]
        sellers = [p for p in people if p.role.value in _SELLER_ROLES] or people
        self.capacity: dict[str, float] = {}
        """``reps`` and visits per rep per week, from the sellers among them."""
        if sellers:
            self.capacity["reps"] = float(len(sellers))
            rates = [p.capacity_visits_per_week for p in sellers if p.capacity_visits_per_week]
            if rates:
                rate = sum(rates) / len(rates)
                self.capacity["max_visits_per_rep_per_week"] = rate
                self.capacity["max_meetings_per_rep_per_week"] = rate


def _memo(snapshot: Snapshot) -> _Memo:
    return snapshot.memo("lint", _Memo)


def context_from_snapshot(snapshot: Snapshot) -> LintContext:
    """The names a workspace knows (accounts, segments, regions), computed once per snapshot."""
    return _memo(snapshot).context


def prepare(snapshot: Snapshot) -> None:
    """Work out the snapshot's lint context and the index of its names now, ahead of the first
    lint that needs them (0.15 s for 10k accounts, else paid by the first keystroke in the goal
    editor, or the first brief)."""
    name_index(context_from_snapshot(snapshot))


def _longest_first(names: Iterable[str | None]) -> tuple[str, ...]:
    """Distinct names (not empty), longest first, then in code point order: each length's
    names sorted apart, which compares far fewer pairs than sorting all of them (20k account
    names: 10 ms rather than 20)."""
    by_length: dict[int, list[str]] = defaultdict(list)
    for name in set(names):
        if name:
            by_length[len(name)].append(name)
    out: list[str] = []
    for length in sorted(by_length, reverse=True):
        out += sorted(by_length[length])
    return tuple(out)


def _context(snapshot: Snapshot) -> LintContext:
    # Columns, not records: a big workspace's accounts need not be unpacked for their names.
    names: list[str | None] = column(snapshot.accounts, "name")
    names += column(snapshot.accounts, "name_en")
    regions: set[str | None] = set(column(snapshot.accounts, "region"))
    segments = [n for seg in snapshot.segments.values() for n in (seg.name, seg.name_en) if n]
    segments += [n for team in snapshot.teams.values() for n in (team.name, team.name_en) if n]
    for team in snapshot.teams.values():
        if team.region:
            regions.add(team.region)
    for covered in column(snapshot.people, "regions"):
        regions.update(covered)
    return LintContext(
        account_names=_longest_first(names),
        segment_names=_longest_first(segments),
        region_names=_longest_first(regions),
    )


def _scope_key(goal: Goal, snapshot: Snapshot) -> tuple[str, ...]:
    """What :func:`_scope_accounts` depends on: the account, the segment or the owners."""
    scope = goal.scope.value
    ref = goal.scope_ref or ""
    if scope == "account" and ref in snapshot.accounts:
        return ("account", ref)
    if scope == "segment" and ref in snapshot.segments:
        return ("segment", ref)
    if ref and scope == "person":
        return ("owners", ref)
    return _goal_people(goal, snapshot).owners_key


def _scope_accounts(goal: Goal, snapshot: Snapshot) -> list[str]:
    """The ids of the accounts a goal is about: its account, its segment's members, or its
    team's."""
    return _accounts_of(_scope_key(goal, snapshot), snapshot)


def _accounts_of(key: tuple[str, ...], snapshot: Snapshot) -> list[str]:
    scopes = _memo(snapshot).scopes
    if key not in scopes:
        scopes[key] = _find_scope_accounts(key, snapshot)
    return scopes[key]


def _find_scope_accounts(key: tuple[str, ...], snapshot: Snapshot) -> list[str]:
    kind, refs = key[0], key[1:]
    if kind == "account":
        return [refs[0]]
    if kind == "segment":
        seg = snapshot.segments[refs[0]]
        chosen = {m for m in seg.members if m in snapshot.accounts}
        rule = seg.rule
        if rule is not None:
            # The rule is tried on all 10k accounts: its lists are made sets once, and the tags
            # are compared without making two sets per account.
            industries, regions = set(rule.industries), set(rule.regions)
            tiers, owners, tags = set(rule.tiers), set(rule.owners), set(rule.tags)
            for acc in snapshot.accounts.values():
                if (
                    (not industries or acc.industry in industries)
                    and (not regions or acc.region in regions)
                    and (not tiers or acc.tier in tiers)
                    and (not owners or acc.owner in owners)
                    and (not tags or not tags.isdisjoint(acc.tags))
                ):
                    chosen.add(acc.id)
        return sorted(chosen)
    # What lint reads of these accounts is their histories and pipelines, read field by field:
    # a team's 3k accounts are not unpacked for it (90 ms of a 10k workspace's team brief).
    return snapshot.account_ids_owned_by(refs)


def _goal_people(goal: Goal, snapshot: Snapshot) -> _People:
    owner = snapshot.people.get(goal.owner or "")
    team = goal.scope_ref if goal.scope.value == "team" else (owner.team if owner else None)
    key = ("team", team) if team else ("owner", owner.id if owner else "")
    memo = _memo(snapshot).people
    held = memo.get(key)
    if held is None:
        if team:
            ids = tuple(p.id for p in snapshot.people_by_team.get(team, []))
        else:
            ids = (owner.id,) if owner else ()
        held = memo[key] = _People(ids, snapshot)
    return held


_NEVER = 1 << 30
"""A year after any a history can hold (labels have four digits): no purchase yet."""


class _Books:
    """What a set of accounts bought, by year, read in one pass: the sums of every year and how
    many accounts first bought in each year.

    A team's growth and net-new histories each went through its 3k accounts' labels, and each
    goal of another year went through them again: the figures of any year before ``before``
    are read off these. Each year's sum adds the same amounts in the same order as a pass that
    stopped at ``before``, so it is the same to the bit.
    """

    __slots__ = ("firsts", "yearly")

    def __init__(self, histories: Iterable[Mapping[str, float]]) -> None:
        years: dict[str, int] = {}  # histories share a few labels: each label's year read once
        yearly: dict[int, float] = defaultdict(float)
        firsts: dict[int, int] = defaultdict(int)
        for history in histories:
            first = _NEVER
            for label, value in history.items():
                year = years.get(label)
                if year is None:
                    year = years[label] = int(label[:4])
                yearly[year] += value
                if value > 0 and year < first:
                    first = year
            if first != _NEVER:
                firsts[first] += 1
        self.yearly = dict(yearly)
        self.firsts = dict(firsts)


def _books(key: tuple[str, ...], accounts: list[str], snapshot: Snapshot) -> _Books:
    """The :class:`_Books` of ``accounts`` (ids), the accounts of scope ``key``, made once."""
    memo = _memo(snapshot).books
    held = memo.get(key)
    if held is None:
        records = snapshot.accounts
        histories = (field_of(records, rid, "purchase_history") for rid in accounts)
        held = memo[key] = _Books(histories)
    return held


def _yearly(books: _Books, before: int) -> dict[int, float]:
    return {year: total for year, total in books.yearly.items() if year < before}


def _growth_history(books: _Books, before: int) -> list[float]:
    totals = _yearly(books, before)
    years = sorted(totals)
    out = [
        totals[b] / totals[a] - 1
        for a, b in itertools.pairwise(years)
        if b == a + 1 and totals[a] > 0
    ]
    return [round(g, 4) for g in out[-3:]]


def _net_new_history(books: _Books, before: int) -> list[float]:
    return [float(books.firsts.get(y, 0)) for y in range(before - 3, before)]


def _territory(person: Person | None, snapshot: Snapshot) -> list[str]:
    if person is None:
        return []
    # One owner's account and segment goals each named the same accounts again: kept per owner.
    territories = _memo(snapshot).territories
    held = territories.get(person.id)
    if held is None:
        held = territories[person.id] = _territory_names(person, snapshot)
    return list(held)


def _territory_names(person: Person, snapshot: Snapshot) -> list[str]:
    out: list[str] = []
    accounts = snapshot.accounts
    for acc_id in person.territory.accounts:
        if acc_id in accounts:  # names are read without unpacking the account
            names = (field_of(accounts, acc_id, "name"), field_of(accounts, acc_id, "name_en"))
            out += [n for n in names if n]
    for seg_id in person.territory.segments:
        seg = snapshot.segments.get(seg_id)
        if seg is not None:
            out += [n for n in (seg.name, seg.name_en) if n]
    out += list(person.territory.regions)
    return out


def fields_from_goal(
    goal: Goal, snapshot: Snapshot, *, today: date | None = None
) -> dict[str, Any]:
    """The corpus-vocabulary fields of a stored goal, with its workspace context.

    Args:
        goal: the goal record.
        snapshot: the whole workspace, for the account, owner, team and pillar the goal refers to.
        today: reference date when the goal records neither ``start`` nor ``created_at``.

    Returns:
        ``account``/``segment``, ``metric``, ``unit``, ``baseline``, ``target``, ``deadline``,
        ``created_at``, ``fiscal_year_start``, ``strategy_pillar``, ``owner_territory``, the
        history lists that apply to the goal's metric, and ``capacity``.
    """
    lang: Lang = snapshot.settings.language
    out: dict[str, Any] = {"fiscal_year_start": snapshot.settings.fiscal_year_start}
    owner = snapshot.people.get(goal.owner or "")
    if owner is not None:
        out["owner"] = owner.display_name(lang)
    scope, ref = goal.scope.value, goal.scope_ref or ""
    if scope == "account" and ref in snapshot.accounts:
        out["account"] = snapshot.accounts[ref].display_name(lang)
    elif scope == "segment" and ref in snapshot.segments:
        out["segment"] = snapshot.segments[ref].display_name(lang)
    elif scope == "team" and ref in snapshot.teams:
        # A team's book of business is a defined set: the team names it.
        out["segment"] = snapshot.teams[ref].display_name(lang)
    elif scope == "person" and ref in snapshot.people:
        name = snapshot.people[ref].display_name(lang)
        out["segment"] = f"{name}负责的客户" if lang == "zh" else f"{name}'s accounts"
    metric = goal.metric
    if metric is not None:
        out["metric"] = metric.name
        out["unit"] = metric.currency or metric.unit or snapshot.settings.currency
        out["direction"] = metric.direction.value
        if metric.baseline is not None:
            out["baseline"] = metric.baseline
        if metric.target is not None:
            out["target"] = metric.target
    if goal.deadline is not None:
        out["deadline"] = goal.deadline.isoformat()
    created = goal.start or (goal.created_at.date() if goal.created_at else None) or today
    if created is not None:
        out["created_at"] = created.isoformat()
    pillar = snapshot.pillars.get(goal.pillar or "")
    if pillar is not None:
        out["strategy_pillar"] = pillar.display_name(lang)
    # Territory speaks to goals about accounts and segments; a team or person goal covers
    # whatever its people own, so comparing it with one owner's territory would mislead.
    territory = _territory(owner, snapshot) if scope in ("account", "segment") else []
    if territory:
        out["owner_territory"] = territory

    before = (created or today or date.today()).year
    memo = _memo(snapshot)
    scope_key = _scope_key(goal, snapshot)
    accounts = _scope_accounts(goal, snapshot)
    goal_type = goal.type.value
    money = metric is None or (out.get("unit", "").upper() in _MONEY_UNITS)
    if accounts and goal_type in ("revenue", "cross_sell", "new_product") and money:
        growth = _growth_history(_books(scope_key, accounts, snapshot), before)
        if growth:
            out["history_yoy_growth"] = growth
    if goal_type == "new_accounts":
        # what the goal's people own (the scope key of their accounts), else every account
        pool_key = _goal_people(goal, snapshot).owners_key
        pool = _accounts_of(pool_key, snapshot)
        if not pool:
            pool_key, pool = ("all",), list(snapshot.accounts)
        history = _net_new_history(_books(pool_key, pool, snapshot), before)
        if any(history):
            out["history_net_new_per_year"] = history
    capacity = dict(_goal_people(goal, snapshot).capacity)
    if scope_key not in memo.pipeline:
        # a list, not a generator: the same amounts added in the same order, at less cost
        # per item over a team's 3k accounts
        records = snapshot.accounts
        memo.pipeline[scope_key] = sum(
            [a or 0.0 for rid in accounts for a in field_of(records, rid, "pipeline_amounts")]
        )
    pipeline = memo.pipeline[scope_key]
    if pipeline:
        capacity["open_pipeline"] = pipeline
    if capacity:
        out["capacity"] = capacity
    return out


def lint_goal(
    goal: Goal, snapshot: Snapshot, *, today: date | None = None, lang: Lang | None = None
) -> LintResult:
    """Lint a stored goal with its workspace context.

    Args:
        goal: the goal record; its ``statement`` is the text.
        snapshot: the workspace it belongs to.
        today: reference date when the goal has no ``start`` or ``created_at``.
        lang: language of the messages; default: the workspace's.

    With results kept (:func:`~kaplan_tui.core.lint.engine.use_store`) and a snapshot whose
    contents are known by their version, the result kept for this goal in those contents is
    found without making its fields (a brief made again of a 100-person team: 245 goals over
    3k accounts' histories, a third of its time).
    """
    lang = lang or snapshot.settings.language
    alias = None
    # the goal as stored in the snapshot, not an edited copy of it
    if snapshot.version is not None and store_in_use() and snapshot.goals.get(goal.id) is goal:
        alias = stored_goal_key(snapshot.version, goal.id, today or date.today(), lang)
        held = recall(alias)
        if held is not None:
            return held
    fields = fields_from_goal(goal, snapshot, today=today)
    return lint(
        goal.statement,
        fields,
        lang=lang,
        today=today,
        context=context_from_snapshot(snapshot),
        alias=alias,
    )
