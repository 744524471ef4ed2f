"""``kaplan lint``: lint one goal, a JSON Lines batch, or the goals of a workspace.

A thin shell over :mod:`kaplan_tui.core.lint`. Human output is plain text through ``click.echo``,
so user text is never read as markup; control characters in it are shown as ``?``.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import click

from kaplan_tui.cli.base import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    emit_json,
    emit_jsonl,
    fail,
    main,
    open_workspace,
    pick_lang,
)
from kaplan_tui.core.lint import CRITERIA, LintResult, lint
from kaplan_tui.i18n import Lang, t

_SYMBOL = {"pass": "✓", "warn": "!", "fail": "✗", "unknown": "?"}
_MARK = {"error": "^", "warning": "~", "info": "-"}
_LETTER = {"specific": "S", "measurable": "M", "achievable": "A", "relevant": "R",
           "time_bound": "T"}  # fmt: skip


_INPUT_HELP = 'Lint a JSON Lines batch: {"id", "text", "fields"} per line.'
_WORKSPACE_HELP = "Lint the goals stored in this workspace, with its context."
_TODAY_HELP = "Reference date (YYYY-MM-DD) for goals without created_at; default: today."


def _parse_field(raw: str, lang: Lang) -> tuple[str, Any]:
    key, sep, value = raw.partition("=")
    if not sep or not key.strip():
        fail(t("lint.cli.bad_field", lang, value=raw), EXIT_USAGE)
    text = value.strip()
    try:
        parsed: Any = json.loads(text) if text[:1] in "[{" else text
    except ValueError:
        parsed = text
    return key.strip(), parsed


def _shown(text: str) -> str:
    """``text`` with newlines, tabs and control characters replaced one for one."""
    return "".join(
        " " if ch in "\t\n\r" else "?" if unicodedata.category(ch) in ("Cc", "Cf") else ch
        for ch in text
    )


def _width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _marker_line(text: str, result: LintResult) -> str:
    """A line of ^ (error), ~ (warning) and - (info) under the problem spans of ``text``."""
    marks = [" "] * len(text)
    rank = {"^": 3, "~": 2, "-": 1, " ": 0}
    for d in result.diagnostics:
        if d.kind != "text" or d.criterion == "hygiene":
            continue
        mark = _MARK[d.severity]
        for i in range(d.start, min(d.end, len(text))):
            if rank[mark] > rank[marks[i]]:
                marks[i] = mark
    return "".join(m * _width(ch) for ch, m in zip(text, marks, strict=True)).rstrip()


def _fix_text(text: str, result_lang: Lang, start: int, end: int, replacement: str) -> str:
    old = _shown(text[start:end])
    if start == end:
        return t("lint.cli.append", result_lang, text=replacement)
    if not replacement:
        return t("lint.cli.remove", result_lang, old=old)
    return t("lint.cli.replace", result_lang, old=old, new=replacement)


def _report(result: LintResult, lang: Lang, goal_id: str | None = None) -> None:
    """Print a readable report of one goal."""
    if goal_id is not None:
        click.echo(t("lint.cli.goal", lang, id=goal_id))
    shown = _shown(result.text)
    click.echo(f"  {shown}")
    markers = _marker_line(shown, result)
    if markers.strip():
        click.echo(f"  {markers}")
    chips = "  ".join(f"{_LETTER[c]} {_SYMBOL[result.criteria[c]]}" for c in CRITERIA)
    click.echo(f"  {chips}   {t('lint.cli.score', lang, score=result.score)}")
    if not result.diagnostics:
        click.echo(f"  {t('lint.cli.clean', lang)}")
    for d in result.diagnostics:
        span = _shown(result.text[d.start : d.end])
        where = f" «{span}»" if span else ""
        click.echo(f"  {d.rule} {d.severity}{where}: {d.message}")
        if d.fix is not None:
            fix = _fix_text(result.text, lang, d.fix.start, d.fix.end, d.fix.replacement)
            click.echo(f"      {t('lint.cli.fix', lang, fix=fix)}")
    click.echo("")


def _read_batch(stream: IO[str], lang: Lang) -> list[tuple[Any, str, dict[str, Any]]]:
    """Every line of a JSON Lines batch, checked before anything is printed."""
    source = getattr(stream, "name", "-")
    rows: list[tuple[Any, str, dict[str, Any]]] = []
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            fail(t("lint.cli.bad_line", lang, source=source, line=number, reason=exc), EXIT_USAGE)
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            reason = 'expected an object with a "text" string'
            fail(t("lint.cli.bad_line", lang, source=source, line=number, reason=reason),
                 EXIT_USAGE)  # fmt: skip
        fields = record.get("fields") or {}
        if not isinstance(fields, dict):
            reason = '"fields" must be an object'
            fail(t("lint.cli.bad_line", lang, source=source, line=number, reason=reason),
                 EXIT_USAGE)  # fmt: skip
        rows.append((record.get("id"), record["text"], fields))
    return rows


def _finish(results: Iterable[LintResult]) -> None:
    failed = any(r.has_failure() for r in results)
    raise SystemExit(EXIT_PROBLEMS if failed else EXIT_OK)


@main.command("lint")
@click.argument("text", required=False)
@click.option("--field", "field_args", multiple=True, metavar="KEY=VALUE",
              help="A goal field (account, target, deadline, owner_territory...); "
                   "lists and objects as JSON. Repeatable.")  # fmt: skip
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of messages (default: the goal's language).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON (JSON Lines for --input and --workspace).")  # fmt: skip
@click.option("--input", "input_file", type=click.File("r", encoding="utf-8"), default=None,
              metavar="FILE|-", help=_INPUT_HELP)  # fmt: skip
@click.option("--workspace", "workspace", type=click.Path(path_type=Path, file_okay=False),
              default=None, help=_WORKSPACE_HELP)  # fmt: skip
@click.option("--goal", "goal_id", default=None, help="With --workspace: only this goal.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help=_TODAY_HELP)  # fmt: skip
def lint_command(
    text: str | None,
    field_args: tuple[str, ...],
    lang: str | None,
    as_json: bool,
    input_file: IO[str] | None,
    workspace: Path | None,
    goal_id: str | None,
    today: dt.datetime | None,
) -> None:
    """Check goals against SMART: which criteria they meet, why, and how to fix them.

    \b
    kaplan lint "下季度把ACME集团的续约率从85%提升到92%"
    kaplan lint "Grow ACME revenue to $1.5M by Q4 2025" --field baseline=1200000
    kaplan lint --input goals.jsonl --json
    kaplan lint --workspace PATH [--goal ID] --json

    \b
    Exit codes: 0 no goal has a criterion at fail (warnings and unknowns allowed);
    1 at least one goal has a criterion at fail; 2 usage error or not a workspace.
    """
    msg_lang: Lang | None = lang if lang in ("zh", "en") else None  # type: ignore[assignment]
    usage_lang = msg_lang or pick_lang(None)
    ref = today.date() if today is not None else None
    modes = sum(x is not None for x in (text, input_file, workspace))
    if modes != 1 or (goal_id is not None and workspace is None) or (field_args and text is None):
        fail(t("lint.cli.no_text", usage_lang), EXIT_USAGE)

    if text is not None:
        fields = dict(_parse_field(raw, usage_lang) for raw in field_args)
        result = lint(text, fields, lang=msg_lang, today=ref)
        if as_json:
            emit_json(result.as_json())
        else:
            _report(result, result.message_lang)
        _finish([result])

    if input_file is not None:
        rows = _read_batch(input_file, usage_lang)
        results = []
        for row_id, row_text, row_fields in rows:
            result = lint(row_text, row_fields, lang=msg_lang, today=ref)
            results.append(result)
            if as_json:
                emit_jsonl({"id": row_id, **result.as_json()})
            else:
                _report(result, result.message_lang, None if row_id is None else str(row_id))
        _finish(results)

    assert workspace is not None
    from kaplan_tui.core.lint import lint_goal
    from kaplan_tui.core.models import Goal

    ws = open_workspace(workspace, read_only=True)
    ws_lang = pick_lang(lang, ws)
    snapshot = ws.snapshot()
    if goal_id is not None:
        goal = ws.get(Goal, goal_id)
        if goal is None:
            fail(t("lint.cli.no_goal", ws_lang, id=goal_id), EXIT_USAGE)
        goals = [goal]
    else:
        goals = sorted(ws.all(Goal), key=lambda g: g.id)
    results = []
    for goal in goals:
        result = lint_goal(goal, snapshot, today=ref, lang=ws_lang)
        results.append(result)
        if as_json:
            emit_jsonl({"id": goal.id, **result.as_json()})
        else:
            _report(result, ws_lang, goal.id)
    _finish(results)
