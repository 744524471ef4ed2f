"""The SMART lint engine: a goal statement, its fields and workspace context in; per-criterion
verdicts, a score and explained diagnostics with character offsets out.

Pure standard library on the keystroke path: no Textual, no IO, no date or segmentation library.
Importing compiles no pattern: each is compiled when a lint first needs it, and
:func:`compile_patterns` compiles the rest ahead of time (for a caller that imports the linter off
the UI thread, so that the first keystrokes do not pay for it).
"""

from typing import TYPE_CHECKING, Any

from kaplan_tui.core.lint.engine import clear_cache, lint, use_store
from kaplan_tui.core.lint.model import (
    CRITERIA,
    Criterion,
    Diagnostic,
    Fix,
    LintContext,
    LintResult,
    Severity,
    Status,
)
from kaplan_tui.core.lint.workspace import fields_from_goal, lint_goal

if TYPE_CHECKING:
    from kaplan_tui.core.lint.rules import RULES, Example, Rule

__all__ = [
    "CRITERIA",
    "RULES",
    "Criterion",
    "Diagnostic",
    "Example",
    "Fix",
    "LintContext",
    "LintResult",
    "Rule",
    "Severity",
    "Status",
    "clear_cache",
    "compile_patterns",
    "fields_from_goal",
    "lint",
    "lint_goal",
    "use_store",
]


def compile_patterns() -> None:
    """Import the rules and what they read, and compile every pattern now (for a caller that
    does it off the UI thread, so that the first keystrokes pay for neither)."""
    from kaplan_tui.core.lint import rules  # noqa: F401  (registers the rules' patterns)
    from kaplan_tui.core.lint.patterns import compile_all

    compile_all()


def __getattr__(name: str) -> Any:
    # The rules (and the facts and patterns they read) are imported by the first lint that is
    # not kept from before, or by whoever asks for them here: a brief made again lints nothing.
    if name in ("RULES", "Example", "Rule"):
        from kaplan_tui.core.lint import rules

        return getattr(rules, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
