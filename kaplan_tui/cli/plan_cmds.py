"""``kaplan segment``, ``kaplan check`` and ``kaplan agenda``: the planning engine, headless.

Each command is a thin shell: open the workspace, hand its snapshot to
:mod:`kaplan_tui.core.planning`, print the result. Human output is plain text through
``click.echo`` (user text is never read as markup); ``--json`` prints one UTF-8 JSON document.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from kaplan_tui.cli.base import (
    EXIT_OK,
    EXIT_PROBLEMS,
    emit_json,
    main,
    open_workspace,
    parse_date,
    pick_lang,
    say,
    workspace_path,
)
from kaplan_tui.core.planning.changes import RunChange, compare_runs, run_entries
from kaplan_tui.core.planning.checks import Finding, check_plan
from kaplan_tui.core.planning.review import Agenda, DueReview, Progress, agenda
from kaplan_tui.core.planning.scoring import (
    AccountScore,
    Segmentation,
    SensitivityCase,
    score_accounts,
    sensitivity,
)
from kaplan_tui.core.planning.segments import segments_of_accounts
from kaplan_tui.core.snapshot import Snapshot
from kaplan_tui.core.text import clean_line
from kaplan_tui.i18n import Lang, t

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON on stdout.")


def _r(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def _warn_problems(ws: Any, lang: Lang) -> None:
    problems = ws.problems
    if problems:
        say(t("plan.workspace_problems", lang, n=len(problems)))


# --- segment ----------------------------------------------------------------------------------


def _score_json(
    s: AccountScore, snapshot: Snapshot, lang: Lang, segments: dict[str, list[str]]
) -> dict[str, Any]:
    account = snapshot.accounts[s.account_id]
    return {
        "id": s.account_id,
        "name": account.display_name(lang),
        "rank": s.rank,
        "score": _r(s.score, 2),
        "tier": s.tier,
        "computed_tier": s.computed_tier,
        "stored_tier": s.stored_tier,
        "tier_changed": s.tier_changed,
        "override": None
        if s.override_tier is None
        else {"tier": s.override_tier, "reason": s.override_reason},
        "segments": segments.get(s.account_id, []),
        "components": {c.criterion: _r(c.contribution) for c in s.components},
        "explain": {
            c.criterion: {
                "raw": _r(c.raw),
                "method": c.method,
                "low": _r(c.low),
                "high": _r(c.high),
                "normalised": _r(c.normalised),
                "weight": c.weight,
                "share": _r(c.share),
                "contribution": _r(c.contribution),
            }
            for c in s.components
        },
    }


def _change_json(c: RunChange) -> dict[str, Any]:
    return {
        "id": c.account_id,
        "kind": c.kind,
        "score_before": c.score_before,
        "score_after": c.score_after,
        "tier_before": c.tier_before,
        "tier_after": c.tier_after,
        "rank_before": c.rank_before,
        "rank_after": c.rank_after,
    }


def _case_json(case: SensitivityCase) -> dict[str, Any]:
    return {
        "criterion": case.criterion,
        "factor": case.factor,
        "shifts": [
            {
                "id": s.account_id,
                "tier_from": s.tier_from,
                "tier_to": s.tier_to,
                "score_from": _r(s.score_from, 2),
                "score_to": _r(s.score_to, 2),
            }
            for s in case.shifts
        ],
    }


def _print_segment(
    result: Segmentation,
    snapshot: Snapshot,
    lang: Lang,
    changes: list[RunChange],
    previous_at: str | None,
    cases: list[SensitivityCase],
    step: float,
) -> None:
    if not result.accounts:
        click.echo(t("plan.segment.no_accounts", lang))
        return
    click.echo(
        t(
            "plan.segment.header",
            lang,
            year=result.year,
            method=t(f"plan.method.{result.tier_method}", lang),
        )
    )
    click.echo(t("plan.segment.columns", lang))
    for s in result.accounts:
        name = clean_line(snapshot.accounts[s.account_id].display_name(lang))
        line = f"{s.rank:>4}  {s.score:5.1f}  T{s.tier}    {name} ({s.account_id})"
        notes = []
        if s.override_tier is not None:
            notes.append(
                t(
                    "plan.segment.override",
                    lang,
                    tier=s.override_tier,
                    reason=clean_line(s.override_reason or ""),
                )
            )
        if s.tier_changed:
            notes.append(t("plan.segment.stored", lang, stored=s.stored_tier or "-", tier=s.tier))
        click.echo(line + (f"  [{'; '.join(notes)}]" if notes else ""))
        parts = [
            f"{t('plan.criterion.' + c.criterion, lang)} {c.contribution:.1f}"
            for c in s.components
            if c.weight > 0
        ]
        click.echo("            " + ", ".join(parts))
    click.echo("")
    if previous_at is None:
        click.echo(t("plan.segment.no_previous", lang))
    elif not changes:
        click.echo(t("plan.segment.no_changes", lang, at=previous_at))
    else:
        click.echo(t("plan.segment.changes_header", lang, at=previous_at))
        for c in changes:
            if c.kind == "added":
                click.echo(
                    t(
                        "plan.segment.change_added",
                        lang,
                        account=c.account_id,
                        score=c.score_after,
                        tier=c.tier_after,
                    )
                )
            elif c.kind == "removed":
                click.echo(
                    t("plan.segment.change_removed", lang, account=c.account_id, tier=c.tier_before)
                )
            else:
                click.echo(
                    t(
                        "plan.segment.change_changed",
                        lang,
                        account=c.account_id,
                        before=c.score_before,
                        after=c.score_after,
                        tier_before=c.tier_before,
                        tier_after=c.tier_after,
                        rank_before=c.rank_before,
                        rank_after=c.rank_after,
                    )
                )
    click.echo("")
    click.echo(t("plan.segment.sensitivity_header", lang, step=f"{step:.0%}"))
    moving = [c for c in cases if c.shifts]
    if not moving:
        click.echo(t("plan.segment.sensitivity_none", lang))
    for case in moving:
        shifts = ", ".join(f"{s.account_id} T{s.tier_from}->T{s.tier_to}" for s in case.shifts)
        click.echo(
            t(
                "plan.segment.sensitivity_case",
                lang,
                criterion=t("plan.criterion." + case.criterion, lang),
                factor=f"{case.factor:g}",
                shifts=shifts,
            )
        )


@main.command("segment")
@workspace_path
@json_option
def segment_cmd(path: Path, as_json: bool) -> None:
    """Rank accounts by score with tiers, each criterion's contribution, changes and sensitivity.

    Each run is compared with the last recorded one, then recorded in .kaplan/.
    """
    from kaplan_tui.storage.runs import RecordedRun, last_run, record_run

    ws = open_workspace(path)
    lang = pick_lang(None, ws)
    _warn_problems(ws, lang)
    snapshot: Snapshot = ws.snapshot()
    accounts = [snapshot.accounts[k] for k in sorted(snapshot.accounts)]
    scoring = snapshot.settings.scoring
    result = score_accounts(accounts, scoring)
    cases = sensitivity(accounts, scoring, base=result)
    tiers = {s.account_id: s.tier for s in result.accounts}
    segments = segments_of_accounts(
        snapshot.segments, snapshot.accounts, year=result.year, tiers=tiers
    )
    entries = run_entries(result)
    previous = last_run(ws.root)
    changes = compare_runs(previous.entries if previous else None, entries)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    if ws.read_only:
        say(t("plan.segment.not_recorded", lang, reason=t("plan.read_only", lang)))
    else:
        try:
            record_run(ws.root, RecordedRun(now, result.year, entries))
        except Exception as exc:  # the report stands even if the record cannot be kept
            say(t("plan.segment.not_recorded", lang, reason=exc))
    if as_json:
        emit_json(
            {
                "year": result.year,
                "tier_method": result.tier_method,
                "weights": dict(result.weights),
                "ignored_criteria": list(result.ignored_criteria),
                "accounts": [_score_json(s, snapshot, lang, segments) for s in result.accounts],
                "previous_run": previous.at if previous else None,
                "changes": [_change_json(c) for c in changes],
                "sensitivity": {
                    "step": scoring.sensitivity_step,
                    "cases": [_case_json(c) for c in cases],
                },
            }
        )
    else:
        _print_segment(
            result,
            snapshot,
            lang,
            changes,
            previous.at if previous else None,
            cases,
            scoring.sensitivity_step,
        )
    raise SystemExit(EXIT_OK)


# --- check ------------------------------------------------------------------------------------


def _finding_json(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity,
        "records": list(f.records),
        "message": f.message,
        "data": dict(f.data),
    }


@main.command("check")
@workspace_path
@json_option
def check_cmd(path: Path, as_json: bool) -> None:
    """Plan findings: SMART status, sums, periods, units, orphans, untargeted accounts, growth.

    Exits 1 when any finding is an error.
    """
    ws = open_workspace(path, read_only=True)
    lang = pick_lang(None, ws)
    _warn_problems(ws, lang)
    snapshot: Snapshot = ws.snapshot()
    with ws.lint_results().in_use():  # verdicts kept by earlier briefs and checks
        findings = check_plan(snapshot, lang=lang)
    counts = {
        sev: sum(1 for f in findings if f.severity == sev) for sev in ("error", "warning", "info")
    }
    if as_json:
        emit_json(
            {
                "findings": [_finding_json(f) for f in findings],
                "counts": counts,
                "smart_lint": not any(f.rule == "SMART" and not f.records for f in findings),
            }
        )
    else:
        for f in findings:
            records = ", ".join(f.records)
            click.echo(f"{t('plan.severity.' + f.severity, lang)}  {f.rule}  [{records}]")
            click.echo(f"    {clean_line(f.message)}")
        click.echo(
            t(
                "plan.check.summary",
                lang,
                errors=counts["error"],
                warnings=counts["warning"],
                infos=counts["info"],
            )
        )
    raise SystemExit(EXIT_PROBLEMS if counts["error"] else EXIT_OK)


# --- agenda -----------------------------------------------------------------------------------


def _owner_name(snapshot: Snapshot, owner: str | None, lang: Lang) -> str:
    if owner is None:
        return "-"
    person = snapshot.people.get(owner)
    return clean_line(person.display_name(lang)) if person else owner


def _review_json(r: DueReview, snapshot: Snapshot, lang: Lang) -> dict[str, Any]:
    goal = snapshot.goals[r.goal_id]
    return {
        "goal": r.goal_id,
        "statement": goal.statement,
        "owner": r.owner,
        "owner_name": _owner_name(snapshot, r.owner, lang) if r.owner else None,
        "date": r.date.isoformat(),
        "state": r.state,
        "days": r.days,
        "missed": r.missed,
        "cadence": r.cadence,
        "last_checkin": r.last_checkin.isoformat() if r.last_checkin else None,
    }


def _progress_json(p: Progress, snapshot: Snapshot) -> dict[str, Any]:
    goal = snapshot.goals[p.goal_id]
    return {
        "goal": p.goal_id,
        "statement": goal.statement,
        "owner": goal.owner,
        "status": p.status,
        "kind": p.kind,
        "method": p.method,
        "target": p.target,
        "start_value": p.start_value,
        "actual": p.actual,
        "actual_date": p.actual_date.isoformat() if p.actual_date else None,
        "confidence": p.confidence,
        "fraction": _r(p.fraction),
        "expected": _r(p.expected, 2),
        "variance": _r(p.variance, 2),
        "expected_now": _r(p.expected_now, 2),
        "projection": _r(p.projection, 2),
        "attainment": _r(p.attainment),
        "deadline": p.deadline.isoformat() if p.deadline else None,
    }


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")


def _print_agenda(result: Agenda, snapshot: Snapshot, lang: Lang) -> None:
    click.echo(t("plan.agenda.header", lang, date=result.as_of.isoformat()))
    sections: list[tuple[str, tuple[DueReview, ...]]] = [
        ("plan.agenda.overdue", result.overdue),
        ("plan.agenda.due", result.due),
    ]
    for key, items in sections:
        click.echo("")
        click.echo(t(key, lang))
        if not items:
            click.echo(t("plan.agenda.none", lang))
        for r in items:
            fields = {
                "goal": r.goal_id,
                "cadence": t(f"plan.cadence.{r.cadence}", lang),
                "date": r.date.isoformat(),
                "days": r.days,
                "missed": r.missed,
                "last": r.last_checkin.isoformat() if r.last_checkin else "-",
                "owner": _owner_name(snapshot, r.owner, lang),
            }
            click.echo(t(f"plan.agenda.{r.state}_item", lang, **fields))
            click.echo(
                t(
                    "plan.agenda.statement",
                    lang,
                    statement=clean_line(snapshot.goals[r.goal_id].statement),
                )
            )
    click.echo("")
    click.echo(t("plan.agenda.at_risk", lang))
    if not result.at_risk:
        click.echo(t("plan.agenda.none", lang))
    for p in result.at_risk:
        click.echo(
            t(
                "plan.agenda.risk_item",
                lang,
                goal=p.goal_id,
                status=t(f"plan.status.{p.status}", lang),
                actual=_fmt(p.actual),
                actual_date=p.actual_date.isoformat() if p.actual_date else "-",
                expected=_fmt(p.expected),
                method=t(f"plan.method.{p.method or 'linear'}", lang),
                projection=_fmt(p.projection),
                target=_fmt(p.target),
                attainment="-" if p.attainment is None else f"{p.attainment:.0%}",
                deadline=p.deadline.isoformat() if p.deadline else "-",
            )
        )
        click.echo(
            t(
                "plan.agenda.statement",
                lang,
                statement=clean_line(snapshot.goals[p.goal_id].statement),
            )
        )


@main.command("agenda")
@workspace_path
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    help="The agenda's date, YYYY-MM-DD (default: today).",
)
@json_option
def agenda_cmd(path: Path, as_of: str | None, as_json: bool) -> None:
    """Reviews due and overdue, and goals at risk with their projection to the deadline."""
    ws = open_workspace(path, read_only=True)
    lang = pick_lang(None, ws)
    day = parse_date(as_of, lang, "plan.bad_date")
    _warn_problems(ws, lang)
    snapshot: Snapshot = ws.snapshot()
    result = agenda(snapshot, day)
    if as_json:
        emit_json(
            {
                "as_of": result.as_of.isoformat(),
                "overdue": [_review_json(r, snapshot, lang) for r in result.overdue],
                "due": [_review_json(r, snapshot, lang) for r in result.due],
                "at_risk": [_progress_json(p, snapshot) for p in result.at_risk],
            }
        )
    else:
        _print_agenda(result, snapshot, lang)
    raise SystemExit(EXIT_OK)
