"""The lint pipeline: extract facts once, run every rule, turn findings into verdicts."""

from __future__ import annotations

import contextlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from contextvars import ContextVar
from datetime import date
from typing import Any

from kaplan_tui.core.lint.contexts import context_key
from kaplan_tui.core.lint.fields import GoalFields, coerce_fields
from kaplan_tui.core.lint.model import (
    CRITERIA,
    Criterion,
    Diagnostic,
    LintContext,
    LintResult,
    Status,
)
from kaplan_tui.core.lint.normalize import Lang, detect_lang
from kaplan_tui.core.lint.store import ResultStore, from_data, plain, result_key, to_data

_POINTS = {"pass": 2, "warn": 1, "fail": 0}
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
_DEFAULT_CONTEXT = LintContext()

# Textual asks for highlights several times per keystroke, so results are kept for the last few
# hundred inputs. The key includes the reference date, so a cached verdict never goes stale.
_CACHE: OrderedDict[tuple[Any, ...], LintResult] = OrderedDict()
_CACHE_SIZE = 512
_CACHE_LOCK = threading.Lock()


_STORE: ContextVar[ResultStore | None] = ContextVar("kaplan_lint_store", default=None)
"""Per thread (and task): the TUI keeps the results of its sharing screen's briefs, but not
those of every keystroke in the goal editor."""


def clear_cache() -> None:
    """Forget cached results (benchmarks measure uncached calls)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def use_store(store: ResultStore | None) -> ResultStore | None:
    """Keep results in ``store`` too, and look there before linting (None: nowhere), in this
    thread; the store it used until now."""
    previous = _STORE.get()
    _STORE.set(store)
    return previous


def _fields_key(fields: Mapping[str, Any] | None) -> str:
    """A text that stands for ``fields`` (in this process: see :func:`_storable`)."""
    if not fields:
        return ""
    try:
        return json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(sorted(fields.items(), key=lambda kv: str(kv[0])))


def _storable(text: str, fields: Mapping[str, Any] | None, lang: Lang | None) -> bool:
    """Whether a result may be kept between processes: its fields made of JSON's own values
    only (:func:`~kaplan_tui.core.lint.store.plain`), so that equal keys mean equal inputs in
    any process (``str`` of another object may hold its address, which another process can
    reuse for something else). Asked only with a store: not on the keystroke path."""
    if type(text) is not str or lang not in (None, "zh", "en"):
        return False
    try:
        return not fields or plain(dict(fields))
    except RecursionError:  # a list holding itself
        return False


def lint(
    text: str,
    fields: Mapping[str, Any] | None = None,
    *,
    lang: Lang | None = None,
    today: date | None = None,
    context: LintContext | None = None,
    alias: bytes | None = None,
) -> LintResult:
    """Lint one goal statement.

    Args:
        text: the goal as written, in Chinese, English or both.
        fields: structured fields in the corpus vocabulary (``account``, ``target``,
            ``deadline``, ``history_yoy_growth``...); unreadable values are ignored.
        lang: language of the messages; default: the language of ``text``.
        today: reference date when ``fields`` has no ``created_at``; default: today.
        context: names the workspace knows and thresholds.
        alias: a key of the caller's that stands for all these inputs: the result kept in
            the store in use is found by it too (:func:`recall`), before the inputs are made.

    Returns:
        Per-criterion verdicts, a 0-100 score and the diagnostics, ordered by position.
    """
    ref_default = today or date.today()
    ctx = context or _DEFAULT_CONTEXT
    fields_key = _fields_key(fields)
    ctx_key = context_key(ctx)
    key = (text, fields_key, lang, ref_default, ctx_key)
    with _CACHE_LOCK:  # the goal editor and a brief's worker lint at once
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
    store = _STORE.get()
    if store is not None and not _storable(text, fields, lang):
        store = None
    if cached is not None and store is None:
        return cached
    goal_fields = coerce_fields(fields)
    if store is None:
        result = _lint(text, fields, goal_fields, lang, ref_default, ctx)
    else:
        # The date the lint reads (a goal's own start, else today): a kept verdict on a goal
        # with a start stays good on later days.
        ref = goal_fields.created_at or ref_default
        kept = result_key(text, fields_key, lang, ref, ctx_key.digest)
        if alias is not None:
            with contextlib.suppress(Exception):
                store.put(alias, kept)
        recalled = _recall(store, kept)
        if recalled is None:
            # linted now, or earlier in this process (the goals screen's scores): kept either way
            result = cached or _lint(text, fields, goal_fields, lang, ref_default, ctx)
            with contextlib.suppress(Exception):  # a result not kept is only made again
                store.put(kept, to_data(result))
        else:
            result = cached or recalled
        if cached is not None:
            return cached
    with _CACHE_LOCK:
        _CACHE[key] = result
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return result


def recall(alias: bytes) -> LintResult | None:
    """The result kept under ``alias`` (see :func:`lint`) in the store in use, if there is one.

    A kept result is found by its inputs; a caller that can name them in a few bytes (a stored
    goal in a workspace whose files have not changed) finds it without making them."""
    store = _STORE.get()
    if store is None:
        return None
    try:
        key = store.get(alias)
    except Exception:  # a store that fails: linted again
        return None
    return _recall(store, key) if type(key) is bytes else None


def store_in_use() -> bool:
    """True when results are kept (see :func:`use_store`), in this thread."""
    return _STORE.get() is not None


def _recall(store: ResultStore, key: bytes) -> LintResult | None:
    try:
        data = store.get(key)
        return None if data is None else from_data(data)
    except Exception:  # a store that fails, or data this code does not keep: linted again
        return None


def _lint(
    text: str,
    fields: Mapping[str, Any] | None,
    goal_fields: GoalFields,
    lang: Lang | None,
    ref_default: date,
    ctx: LintContext,
) -> LintResult:
    # the rules and what they read, imported by the first lint not kept from before
    from kaplan_tui.core.lint.facts import extract
    from kaplan_tui.core.lint.rules import RULES

    goal_lang = detect_lang(text)
    if not text.strip() and fields:
        # An empty form in a Chinese workspace should answer in Chinese.
        goal_lang = detect_lang(" ".join(str(v) for v in fields.values()))
    msg_lang: Lang = lang or goal_lang
    ref = goal_fields.created_at or ref_default
    facts = extract(text, goal_fields, goal_lang, msg_lang, ref, ctx)
    diagnostics: list[Diagnostic] = []
    for rule in RULES:
        diagnostics.extend(rule.check(facts))
    criteria: dict[Criterion, Status] = {}
    for criterion in CRITERIA:
        severities = {d.severity for d in diagnostics if d.criterion == criterion}
        status: Status
        if "error" in severities:
            status = "fail"
        elif "warning" in severities:
            status = "warn"
        elif criterion in ("achievable", "relevant") and criterion not in facts.evidence:
            status = "unknown"
        else:
            status = "pass"
        criteria[criterion] = status
    known = [_POINTS[s] for s in criteria.values() if s != "unknown"]
    score = round(100 * sum(known) / (2 * len(known))) if known else 0
    diagnostics.sort(key=lambda d: (d.start, _SEVERITY_ORDER[d.severity], d.rule))
    deadline = facts.deadline
    return LintResult(
        text=text,
        lang=goal_lang,
        message_lang=msg_lang,
        score=score,
        criteria=criteria,
        diagnostics=tuple(diagnostics),
        deadline=deadline.isoformat() if deadline else None,
    )
