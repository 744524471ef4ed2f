"""Undo and redo of saved edits: each step knows the record before and after."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded with the workspace, after the first paint
    from kaplan_tui.core.models import Record
    from kaplan_tui.storage import Change


@dataclass
class Step:
    """One user edit: ``before`` is None for a create, ``after`` is None for a delete."""

    label: str
    before: Record | None
    after: Record | None


@dataclass
class UndoStack:
    """Undone steps can be redone until a new edit is made."""

    done: list[Step] = field(default_factory=list)
    undone: list[Step] = field(default_factory=list)
    limit: int = 100

    def push(self, step: Step) -> None:
        """Record a new edit (this forgets what could be redone)."""
        self.done.append(step)
        del self.done[: -self.limit]
        self.undone.clear()

    @staticmethod
    def inverse(step: Step, current: Record | None) -> list[Change]:
        """The changes that take the workspace from ``step.after`` back to ``step.before``.

        ``current`` is the record as stored now; its ``rev`` guards against undoing over
        someone else's later save (that raises a conflict instead).
        """
        from kaplan_tui.storage import Change

        if step.before is None:
            assert step.after is not None
            target = current or step.after
            return [Change("delete", target)]
        if step.after is None or current is None:
            return [Change("create", step.before.model_copy(update={"rev": 0}))]
        rev = current.rev
        return [Change("update", step.before.model_copy(update={"rev": rev}))]

    @staticmethod
    def forward(step: Step, current: Record | None) -> list[Change]:
        """The changes that redo ``step`` from its ``before`` state."""
        return UndoStack.inverse(Step(step.label, step.after, step.before), current)
