"""Which accounts belong to a segment: those its rule selects plus those picked by hand."""

from __future__ import annotations

from collections.abc import Mapping

from kaplan_tui.core.models import Account, Segment, SegmentRule
from kaplan_tui.core.planning.history import revenue_in_year


def _fold(text: str) -> str:
    return text.strip().casefold()


def matches(rule: SegmentRule, account: Account, *, year: int, tier: int | None = None) -> bool:
    """Tell whether ``account`` meets every condition ``rule`` gives.

    Text conditions (industries, regions, tags) compare without regard to case or surrounding
    spaces. Revenue bounds apply to purchases in ``year``; an account without history there has
    revenue 0. ``tier`` is the tier to test (default: the stored one).

    Args:
        rule: the segment's rule.
        account: the account to test.
        year: the "last year" the revenue bounds refer to.
        tier: the account's tier as the caller sees it.
    """
    return _Rule(rule).matches(account, year=year, tier=tier)


class _Rule:
    """A rule with its text conditions folded once, to test many accounts.

    Folding the rule's lists again for each of 10k accounts was a third of ``kaplan segment``'s
    segment membership time.
    """

    def __init__(self, rule: SegmentRule) -> None:
        self.rule = rule
        self.industries = {_fold(i) for i in rule.industries}
        self.regions = {_fold(r) for r in rule.regions}
        self.tags = {_fold(t) for t in rule.tags}

    def matches(self, account: Account, *, year: int, tier: int | None = None) -> bool:
        rule = self.rule
        tier = account.tier if tier is None else tier
        if rule.industries and _fold(account.industry) not in self.industries:
            return False
        if rule.regions and _fold(account.region) not in self.regions:
            return False
        if rule.tiers and tier not in rule.tiers:
            return False
        if rule.owners and account.owner not in rule.owners:
            return False
        if rule.tags and not {_fold(t) for t in account.tags} & self.tags:
            return False
        if rule.min_revenue_last_year is None and rule.max_revenue_last_year is None:
            return True  # no revenue bound: no need to add up the history
        revenue = revenue_in_year(account.purchase_history, year) or 0.0
        if rule.min_revenue_last_year is not None and revenue < rule.min_revenue_last_year:
            return False
        return not (rule.max_revenue_last_year is not None and revenue > rule.max_revenue_last_year)


def members_of(
    segment: Segment,
    accounts: Mapping[str, Account],
    *,
    year: int,
    tiers: Mapping[str, int] | None = None,
) -> list[str]:
    """Ids of the accounts in ``segment``, sorted: rule matches plus existing hand-picked members.

    Args:
        segment: the segment.
        accounts: every account by id.
        year: the reference year for revenue bounds.
        tiers: tiers to use instead of the stored ones (for example freshly computed tiers).
    """
    found = {aid for aid in segment.members if aid in accounts}
    if segment.rule is not None:
        rule = _Rule(segment.rule)
        for aid, account in accounts.items():
            tier = tiers.get(aid) if tiers is not None else None
            if rule.matches(account, year=year, tier=tier):
                found.add(aid)
    return sorted(found)


def segments_of_accounts(
    segments: Mapping[str, Segment],
    accounts: Mapping[str, Account],
    *,
    year: int,
    tiers: Mapping[str, int] | None = None,
) -> dict[str, list[str]]:
    """For each account id, the ids of the segments it belongs to (sorted)."""
    out: dict[str, list[str]] = {aid: [] for aid in accounts}
    for sid in sorted(segments):
        for aid in members_of(segments[sid], accounts, year=year, tiers=tiers):
            out[aid].append(sid)
    return out
