"""Lint results kept between processes: the keys they are found by and the plain data they are
kept as. Pure: the engine asks a :class:`ResultStore` it is given, which keeps them somewhere
(:mod:`kaplan_tui.storage.lint_results` keeps them in the user's cache folder).

A goal's verdict depends only on what :func:`~kaplan_tui.core.lint.engine.lint` is given (its
text, its fields, the message language, the reference date and the workspace's names) and on
the linter's code. The key is a hash of all the inputs; the code is the store's business (it
throws away results made by other code). ``kaplan brief`` for a 100-person team lints 245 goals
(0.35 s, plus 0.2 s compiling patterns and indexing names); with the results kept, a brief made
again costs a look-up per goal, and a goal edited since is linted again because its key changed.
"""

from __future__ import annotations

import hashlib
import marshal
from datetime import date
from typing import Any, Protocol

from kaplan_tui.core.lint.model import CRITERIA, Diagnostic, Fix, LintContext, LintResult


class ResultStore(Protocol):
    """Somewhere lint results are kept by key (bytes), as the plain data of :func:`to_data`."""

    def get(self, key: bytes) -> Any | None:
        """The data kept under ``key``, or None."""

    def put(self, key: bytes, data: Any) -> None:
        """Keep ``data`` under ``key``."""


def context_digest(ctx: LintContext) -> bytes:
    """A hash of everything in ``ctx`` (about 20k names for a 10k-account workspace: 5 ms)."""
    return hashlib.blake2b(
        marshal.dumps(
            (
                ctx.account_names,
                ctx.segment_names,
                ctx.region_names,
                float(ctx.stretch),
                float(ctx.implausible),
                int(ctx.horizon_months),
            )
        ),
        digest_size=16,
    ).digest()


def result_key(text: str, fields_key: str, lang: str | None, ref: date, context: bytes) -> bytes:
    """The key of the lint of ``text`` with these inputs: the same inputs, the same key."""
    data = marshal.dumps((text, fields_key, lang or "", ref.toordinal(), context))
    return hashlib.blake2b(data, digest_size=16).digest()


def to_data(result: LintResult) -> tuple[Any, ...]:
    """``result`` as tuples, strings and numbers (what :mod:`marshal` reads without running
    any code)."""
    return (
        result.text,
        result.lang,
        result.message_lang,
        result.score,
        tuple(result.criteria.get(c, "unknown") for c in CRITERIA),
        tuple(
            (
                d.rule,
                d.criterion,
                d.severity,
                d.kind,
                d.start,
                d.end,
                d.message,
                None if d.fix is None else (d.fix.start, d.fix.end, d.fix.replacement),
            )
            for d in result.diagnostics
        ),
        result.deadline,
    )


def from_data(data: Any) -> LintResult:
    """The result :func:`to_data` made ``data`` from; ValueError if it is not such data."""
    try:
        text, lang, message_lang, score, statuses, diagnostics, deadline = data
        if len(statuses) != len(CRITERIA):
            raise ValueError("not a verdict per criterion")
        return LintResult(
            text=text,
            lang=lang,
            message_lang=message_lang,
            score=score,
            criteria=dict(zip(CRITERIA, statuses, strict=True)),
            diagnostics=tuple(
                Diagnostic(
                    rule,
                    criterion,
                    severity,
                    kind,
                    start,
                    end,
                    message,
                    None if fix is None else Fix(*fix),
                )
                for rule, criterion, severity, kind, start, end, message, fix in diagnostics
            ),
            deadline=deadline,
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not a kept lint result: {exc}") from exc
