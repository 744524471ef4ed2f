"""What changed in the ranking since the last recorded segmentation run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from kaplan_tui.core.planning.scoring import Segmentation

SCORE_EPSILON = 0.005
"""Score moves smaller than this (half a hundredth of a point) are rounding, not change."""


@dataclass(frozen=True)
class RunEntry:
    """One account as a run recorded it."""

    score: float
    tier: int
    rank: int


@dataclass(frozen=True)
class RunChange:
    """One account that moved between the previous run and this one."""

    account_id: str
    kind: Literal["added", "removed", "changed"]
    score_before: float | None
    score_after: float | None
    tier_before: int | None
    tier_after: int | None
    rank_before: int | None
    rank_after: int | None


def run_entries(result: Segmentation) -> dict[str, RunEntry]:
    """The entries to record for ``result``."""
    return {s.account_id: RunEntry(round(s.score, 4), s.tier, s.rank) for s in result.accounts}


def entries_to_json(entries: Mapping[str, RunEntry]) -> dict[str, dict[str, Any]]:
    """``entries`` as plain JSON data."""
    return {k: {"score": e.score, "tier": e.tier, "rank": e.rank} for k, e in entries.items()}


def entries_from_json(data: Any) -> dict[str, RunEntry]:
    """Entries read back from :func:`entries_to_json` data; malformed items are skipped."""
    out: dict[str, RunEntry] = {}
    if not isinstance(data, Mapping):
        return out
    for key, item in data.items():
        try:
            out[str(key)] = RunEntry(float(item["score"]), int(item["tier"]), int(item["rank"]))
        except (KeyError, TypeError, ValueError):
            continue
    return out


def compare_runs(
    previous: Mapping[str, RunEntry] | None, current: Mapping[str, RunEntry]
) -> list[RunChange]:
    """Accounts added, removed, or whose tier, rank or score moved, in account id order.

    With no previous run there is nothing to compare and the list is empty.
    """
    if previous is None:
        return []
    out: list[RunChange] = []
    for aid in sorted(set(previous) | set(current)):
        before = previous.get(aid)
        after = current.get(aid)
        if before is None and after is not None:
            out.append(
                RunChange(aid, "added", None, after.score, None, after.tier, None, after.rank)
            )
        elif after is None and before is not None:
            out.append(
                RunChange(aid, "removed", before.score, None, before.tier, None, before.rank, None)
            )
        elif (
            before is not None
            and after is not None
            and (
                before.tier != after.tier
                or before.rank != after.rank
                or abs(before.score - after.score) >= SCORE_EPSILON
            )
        ):
            out.append(
                RunChange(
                    aid,
                    "changed",
                    before.score,
                    after.score,
                    before.tier,
                    after.tier,
                    before.rank,
                    after.rank,
                )
            )
    return out
