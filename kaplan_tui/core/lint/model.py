"""What the linter returns: diagnostics, fixes, per-criterion verdicts and a score."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Criterion = Literal["specific", "measurable", "achievable", "relevant", "time_bound"]
CRITERIA: tuple[Criterion, ...] = ("specific", "measurable", "achievable", "relevant", "time_bound")
"""The five SMART criteria, in order."""

Status = Literal["pass", "warn", "fail", "unknown"]
Severity = Literal["error", "warning", "info"]
Kind = Literal["missing", "text", "record"]
"""``missing``: something the goal lacks (a deadline); shown only once the user pauses typing,
so that every half-typed prefix does not flash red. ``text``: something wrong in what is written
(a vague word), with a non-empty span, shown at once. ``record``: a finding about the goal as a
whole, from its fields and context (growth history, territory), with an empty span at the end."""


@dataclass(frozen=True, slots=True)
class Fix:
    """A suggested edit: replace ``text[start:end]`` with ``replacement``.

    ``start == end`` inserts (at the end of the text when both equal its length).
    """

    start: int
    end: int
    replacement: str

    def apply(self, text: str) -> str:
        """The text with this fix applied."""
        return text[: self.start] + self.replacement + text[self.end :]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about a goal."""

    rule: str
    """``SMART-T002``..."""
    criterion: Criterion | Literal["hygiene"]
    severity: Severity
    kind: Kind
    start: int
    """Character (code point) offset of the span in the goal text."""
    end: int
    message: str
    fix: Fix | None = None

    def as_json(self, text: str = "") -> dict[str, Any]:
        """JSON-ready data; ``text`` adds the span's characters as ``match``."""
        out: dict[str, Any] = {
            "rule": self.rule,
            "criterion": self.criterion,
            "severity": self.severity,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "fix": None,
        }
        if text:
            out["match"] = text[self.start : self.end]
        if self.fix is not None:
            out["fix"] = {
                "start": self.fix.start,
                "end": self.fix.end,
                "replacement": self.fix.replacement,
            }
        return out


@dataclass(frozen=True, slots=True)
class LintContext:
    """Names a workspace knows, so the linter recognises them in text, and thresholds.

    Everything is a tuple so that the context is hashable and lint results can be cached.
    """

    account_names: tuple[str, ...] = ()
    """Names (and English names) of the workspace's accounts."""
    segment_names: tuple[str, ...] = ()
    """Names of defined segments: naming one identifies the goal's object."""
    region_names: tuple[str, ...] = ()
    stretch: float = 1.25
    """Up to this multiple of the best past change, a target is achievable."""
    implausible: float = 2.0
    """Beyond this multiple of the best past change, a target is not achievable."""
    horizon_months: int = 18
    """Deadlines further out than this get a milestone hint."""


@dataclass(frozen=True)
class LintResult:
    """The verdict on one goal."""

    text: str
    lang: Literal["zh", "en"]
    """The language the goal is written in (fixes are written in it)."""
    message_lang: Literal["zh", "en"]
    """The language of the messages."""
    score: int
    """0-100: pass counts 2, warn 1, fail 0, over the criteria that are not unknown."""
    criteria: Mapping[Criterion, Status]
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)
    deadline: str | None = None
    """The resolved deadline (ISO date) the verdict used, if any."""

    def has_failure(self) -> bool:
        """Tell whether any criterion fails."""
        return any(status == "fail" for status in self.criteria.values())

    def as_json(self) -> dict[str, Any]:
        """JSON-ready data with the keys of the ``kaplan lint`` contract."""
        return {
            "lang": self.lang,
            "score": self.score,
            "criteria": dict(self.criteria),
            "diagnostics": [d.as_json(self.text) for d in self.diagnostics],
        }
