"""Three-way merge of conflicting edits, and undo/redo steps."""

from __future__ import annotations

from collections.abc import Callable

from kaplan_tui.core.merge import three_way
from kaplan_tui.core.models import Account
from kaplan_tui.storage import Workspace
from kaplan_tui.ui.undo import Step, UndoStack


def test_merge_keeps_their_changes_and_applies_mine() -> None:
    base = Account(id="a", name="Acme", region="East", industry="ICT")
    mine = base.model_copy(update={"region": "West"})
    theirs = base.model_copy(update={"industry": "制造业"})
    merged = three_way(base, mine, theirs)
    assert merged.fields["region"] == "West" and merged.fields["industry"] == "制造业"
    assert merged.clashes == []


def test_merge_reports_clashes_and_mine_wins() -> None:
    base = Account(id="a", name="Acme")
    mine = base.model_copy(update={"name": "Acme Ltd"})
    theirs = base.model_copy(update={"name": "Acme Group"})
    merged = three_way(base, mine, theirs)
    assert [d.field for d in merged.clashes] == ["name"]
    assert merged.fields["name"] == "Acme Ltd"


def test_undo_and_redo_an_update_through_the_workspace(
    make_ws: Callable[..., Workspace],
) -> None:
    ws = make_ws()
    before = ws.create(Account(id="acc-1", name="Acme", region="East"))
    after = ws.save(before.model_copy(update={"region": "West"}))
    step = Step("region", before, after)
    ws.commit(UndoStack.inverse(step, ws.get(Account, "acc-1")))
    assert ws.get(Account, "acc-1").region == "East"  # type: ignore[union-attr]
    ws.commit(UndoStack.forward(step, ws.get(Account, "acc-1")))
    assert ws.get(Account, "acc-1").region == "West"  # type: ignore[union-attr]


def test_undo_a_create_deletes_and_redo_recreates(make_ws: Callable[..., Workspace]) -> None:
    ws = make_ws()
    created = ws.create(Account(id="acc-1", name="Acme"))
    step = Step("create", None, created)
    ws.commit(UndoStack.inverse(step, ws.get(Account, "acc-1")))
    assert ws.get(Account, "acc-1") is None
    ws.commit(UndoStack.forward(step, ws.get(Account, "acc-1")))
    assert ws.get(Account, "acc-1") is not None


def test_a_new_edit_forgets_redo() -> None:
    stack = UndoStack()
    acc = Account(id="a", name="A")
    stack.push(Step("one", None, acc))
    stack.undone.append(stack.done.pop())
    stack.push(Step("two", None, acc))
    assert stack.undone == [] and [s.label for s in stack.done] == ["two"]
