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
import json
from datetime import date
from typing import Any, Protocol

from kaplan_tui.core.lint.model import CRITERIA, Diagnostic, Fix, LintContext, LintResult


class ResultStore(Protocol):
    """Somewhere lint results are kept by key (bytes), as the plain data of :func:`to_data`."""

    def get(self, key: bytes) -> Any | None:
        """The data kept under ``key``, or None."""

    def put(self, key: bytes, data: Any) -> None:
        """Keep ``data`` under ``key``."""


def _hash(data: object) -> bytes:
    # JSON: the same text for equal values in any process (marshal marks repeated objects
    # by reference, so equal inputs made differently gave different keys)
    text = json.dumps(data, ensure_ascii=False, allow_nan=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def context_digest(ctx: LintContext) -> bytes:
    """A hash of everything in ``ctx`` (about 20k names for a 10k-account workspace: 5 ms)."""
    return _hash(
        [
            ctx.account_names,
            ctx.segment_names,
            ctx.region_names,
            float(ctx.stretch),
            float(ctx.implausible),
            ctx.horizon_months,
        ]
    )


def result_key(text: str, fields_key: str, lang: str | None, ref: date, context: bytes) -> bytes:
    """The key of the lint of ``text`` with these inputs: the same inputs, the same key."""
    return _hash([text, fields_key, lang, ref.toordinal(), context.hex()])


def stored_goal_key(version: str, goal_id: str, today: date, lang: str | None) -> bytes:
    """A key that stands for every input of the lint of the stored goal ``goal_id``, in a
    workspace whose contents are ``version`` (see
    :attr:`~kaplan_tui.core.snapshot.Snapshot.version`), on day ``today``, in ``lang``: the
    goal's fields and the workspace's names all come from those contents. The code that makes
    them is the store's business, as the linter's is."""
    return _hash(["stored goal", version, goal_id, today.toordinal(), lang])


def plain(value: object) -> bool:
    """True when ``value`` is made of JSON's own types only (exactly: no subclasses, which
    JSON writes as their base but the lint may read otherwise, and no tuples, which JSON
    writes as lists): then equal JSON means equal values, in any process."""
    kind = type(value)
    if kind in _ATOMS:
        return True
    if kind is list:
        return all(plain(item) for item in value)  # type: ignore[attr-defined]
    if kind is dict:
        return all(
            type(key) is str and plain(item)
            for key, item in value.items()  # type: ignore[attr-defined]
        )
    return False


_ATOMS = frozenset({str, int, float, bool, type(None)})


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


_LANGS = ("zh", "en")
_STATUSES = ("pass", "warn", "fail", "unknown")


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise ValueError(what)


def from_data(data: Any) -> LintResult:
    """The result :func:`to_data` made ``data`` from; ValueError if it is not such data."""
    try:
        text, lang, message_lang, score, statuses, diagnostics, deadline = data
        _check(type(text) is str and lang in _LANGS and message_lang in _LANGS, "languages")
        _check(type(score) is int and 0 <= score <= 100, "score")
        _check(len(statuses) == len(CRITERIA), "not a verdict per criterion")
        _check(all(status in _STATUSES for status in statuses), "verdicts")
        _check(deadline is None or type(deadline) is str, "deadline")
        found = []
        for rule, criterion, severity, kind, start, end, message, fix in diagnostics:
            _check(type(start) is int and type(end) is int and type(message) is str, "span")
            _check(all(type(v) is str for v in (rule, criterion, severity, kind)), "labels")
            if fix is not None:
                fix_start, fix_end, replacement = fix
                _check(type(fix_start) is int and type(fix_end) is int, "fix span")
                _check(type(replacement) is str, "fix")
                fix = Fix(fix_start, fix_end, replacement)
            found.append(Diagnostic(rule, criterion, severity, kind, start, end, message, fix))
        return LintResult(
            text=text,
            lang=lang,
            message_lang=message_lang,
            score=score,
            criteria=dict(zip(CRITERIA, statuses, strict=True)),
            diagnostics=tuple(found),
            deadline=deadline,
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not a kept lint result: {exc}") from exc
