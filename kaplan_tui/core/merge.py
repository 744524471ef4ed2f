"""Three-way merge of a record edited by two people at once (the conflict dialog's "merge")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kaplan_tui.core.models import Record, user_fields


@dataclass(frozen=True)
class FieldDiff:
    """One field as it was, as I have it and as they saved it."""

    field: str
    base: Any
    mine: Any
    theirs: Any

    @property
    def clash(self) -> bool:
        """Both changed the field, to different values."""
        return bool(
            self.mine != self.base and self.theirs != self.base and self.mine != self.theirs
        )


@dataclass(frozen=True)
class MergeResult:
    """The merged fields and the diffs that led to them."""

    fields: dict[str, Any]
    diffs: list[FieldDiff]

    @property
    def clashes(self) -> list[FieldDiff]:
        """Fields both people changed differently; in the merge, mine win."""
        return [d for d in self.diffs if d.clash]


def three_way(base: Record, mine: Record, theirs: Record) -> MergeResult:
    """Merge: start from theirs, apply every field I changed since base.

    Fields only they changed keep their value; fields both changed take mine (and are listed
    in :attr:`MergeResult.clashes` so the user sees what they overrode).
    """
    b, m, t = user_fields(base), user_fields(mine), user_fields(theirs)
    merged = dict(t)
    diffs = []
    for key in sorted(set(b) | set(m) | set(t)):
        bv, mv, tv = b.get(key), m.get(key), t.get(key)
        if mv != bv:
            merged[key] = mv
        if mv != tv or bv != tv:
            diffs.append(FieldDiff(key, bv, mv, tv))
    return MergeResult(merged, diffs)
