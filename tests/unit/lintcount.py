"""Counting the SMART lint's real work (not what it found in memory or in a store)."""

from __future__ import annotations

from typing import Any

import pytest

from kaplan_tui.core.lint import LintResult, engine


def count_lints(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the engine's real lints from now on: the texts linted."""
    real = engine._lint
    calls: list[str] = []

    def counted(text: str, *args: Any) -> LintResult:
        calls.append(text)
        return real(text, *args)

    monkeypatch.setattr(engine, "_lint", counted)
    return calls


def count_fields_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count, from now on, the goals whose lint inputs are made (not found by their
    workspace's version): their ids."""
    from kaplan_tui.core.lint import workspace

    real = workspace.fields_from_goal
    made: list[str] = []

    def counted(goal: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        made.append(goal.id)
        return real(goal, *args, **kwargs)

    monkeypatch.setattr(workspace, "fields_from_goal", counted)
    return made
