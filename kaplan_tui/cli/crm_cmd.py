"""``kaplan import-crm``: import a CRM export (CSV or XLSX, English or Chinese headers)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from kaplan_tui.cli.base import (
    EXIT_CONFLICT,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    emit_json,
    fail,
    lang_option,
    main,
    open_workspace,
    pick_lang,
    say,
    workspace_path,
)
from kaplan_tui.i18n import Lang, t

_input_file = click.Path(exists=True, dir_okay=False, path_type=Path)


@main.command("import-crm")
@workspace_path
@click.option(
    "--accounts", "accounts", type=_input_file, required=True, help="Accounts file (CSV or XLSX)."
)
@click.option("--deals", type=_input_file, help="Deals / opportunities / pipeline file.")
@click.option("--teams", type=_input_file, help="Sales agents with manager and regional office.")
@click.option("--products", type=_input_file, help="Products with series and price.")
@click.option(
    "--map",
    "map_file",
    type=_input_file,
    help="TOML file naming other columns, stage values and options.",
)
@click.option(
    "--dry-run", is_flag=True, help="Show what would be created and updated; write nothing."
)
@click.option(
    "--skip-bad",
    is_flag=True,
    help="Import the good rows even if some are bad (they are still reported; exit 1).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@lang_option
def import_crm(
    path: Path,
    accounts: Path,
    deals: Path | None,
    teams: Path | None,
    products: Path | None,
    map_file: Path | None,
    dry_run: bool,
    skip_bad: bool,
    as_json: bool,
    lang: str | None,
) -> None:
    """Import a CRM export into the workspace at PATH.

    Builds accounts (with purchase history by quarter, open pipeline, products held and
    whitespace), people and teams. Re-running updates what changed and never duplicates.
    A bad row (an amount or date that does not parse, an unknown account) is reported with
    file, line, column and reason, and then nothing is written (exit 1) unless --skip-bad.
    """
    from kaplan_tui.importers import (
        CrmTables,
        Existing,
        ImportMap,
        MapError,
        ReadError,
        load_map,
        plan_import,
        read_table,
    )
    from kaplan_tui.storage import Change, ConflictError, WorkspaceError
    from kaplan_tui.storage.errors import DuplicateIdError

    started = time.perf_counter()
    ws = open_workspace(path)
    msg_lang = pick_lang(lang, ws)

    mapping = ImportMap.default()
    if map_file is not None:
        try:
            mapping = load_map(map_file.read_text(encoding="utf-8-sig"), str(map_file))
        except (MapError, UnicodeDecodeError, OSError) as exc:
            fail(t("crm.bad_map", msg_lang, reason=exc), EXIT_USAGE)

    try:
        tables = CrmTables(
            accounts=read_table(accounts, "accounts", mapping, str(accounts)),
            deals=read_table(deals, "deals", mapping, str(deals)) if deals else None,
            teams=read_table(teams, "teams", mapping, str(teams)) if teams else None,
            products=read_table(products, "products", mapping, str(products)) if products else None,
        )
    except ReadError as exc:
        fail(t("crm.unreadable", msg_lang, reason=exc), EXIT_PROBLEMS)

    existing = Existing(
        accounts=ws.records("account"),
        people=ws.records("person"),
        teams=ws.records("team"),
    )
    plan = plan_import(tables, mapping, existing)
    errors = plan.errors
    bad_rows = len({(p.file, p.line) for p in errors})

    if not as_json:
        _report(plan, msg_lang)
    if errors and not skip_bad:
        if as_json:
            emit_json(_summary(plan, msg_lang, dry_run, False, started))
        say(t("crm.refused", msg_lang, errors=len(errors), rows=bad_rows))
        sys.exit(EXIT_PROBLEMS)
    if errors:
        say(t("crm.skipped_bad", msg_lang, errors=len(errors), rows=bad_rows))
    code = EXIT_PROBLEMS if errors else EXIT_OK

    if dry_run or not plan.changes:
        if as_json:
            emit_json(_summary(plan, msg_lang, dry_run, False, started))
        elif dry_run:
            for change in plan.changes:
                click.echo(_change_line(change, msg_lang))
        seconds = f"{time.perf_counter() - started:.2f}"
        key = "crm.dry_run" if dry_run else "crm.nothing_changed"
        say(t(key, msg_lang, seconds=seconds))
        sys.exit(code)

    try:
        ws.commit([Change(c.op, c.record) for c in plan.changes])
    except (ConflictError, DuplicateIdError) as exc:
        fail(str(exc), EXIT_CONFLICT)
    except WorkspaceError as exc:
        fail(t("crm.read_only", msg_lang, reason=exc), EXIT_PROBLEMS)
    if as_json:
        emit_json(_summary(plan, msg_lang, False, True, started))
    totals = _totals(plan)
    say(t("crm.done", msg_lang, seconds=f"{time.perf_counter() - started:.2f}", **totals))
    sys.exit(code)


def _totals(plan: Any) -> dict[str, int]:
    counts = plan.counts()
    return {
        "created": sum(c["create"] for c in counts.values()),
        "updated": sum(c["update"] for c in counts.values()),
        "unchanged": sum(c["unchanged"] for c in counts.values()),
    }


def _number(value: Any) -> int | float:
    return int(value) if value == int(value) else float(value)


def _report(plan: Any, lang: Lang) -> None:
    """The human summary, on stderr."""
    from kaplan_tui.core.text import visible

    stats = plan.stats
    for file, rows in stats.rows.items():
        say(t("crm.read_file", lang, file=file, rows=rows, encoding=stats.encodings[file]))
    for file, columns in stats.unused_columns.items():
        say(t("crm.unused_columns", lang, file=file, columns=", ".join(columns)))
    for m in plan.matches:
        kind = t(f"crm.noun.{m.kind}", lang)
        if m.how == "spelling":
            say(
                t(
                    "crm.match_spelling",
                    lang,
                    kind=kind,
                    source=m.source,
                    target=m.target,
                    rows=m.rows,
                    file=m.file,
                    line=m.first_line,
                )
            )
        else:
            say(
                t(
                    "crm.match_existing",
                    lang,
                    kind=kind,
                    source=m.source,
                    target=m.target,
                    id=m.record_id,
                )
            )
    for p in plan.problems:
        label = "error" if p.severity == "error" else "warning"
        if lang == "zh":
            label = "错误" if p.severity == "error" else "警告"
        say(f"{label}: {visible(p.message(lang))}")
    if stats.won_deals or stats.open_deals or stats.lost_deals:
        say(
            t(
                "crm.deals",
                lang,
                won=stats.won_deals,
                won_total=f"{stats.won_total:,}",
                lost=stats.lost_deals,
                open=stats.open_deals,
                no_account=stats.open_without_account,
                priced=stats.open_valued_from_price,
                unvalued=stats.open_without_value,
            )
        )
    for kind, c in plan.counts().items():
        say(t("crm.counts", lang, kind=t(f"crm.kind.{kind}", lang), **c))


def _change_line(change: Any, lang: Lang) -> str:
    record = change.record
    kind = t(f"crm.noun.{record.KIND}", lang)
    name = getattr(record, "name", "")
    if change.op == "create":
        return t("crm.change_create", lang, kind=kind, id=record.id, name=name)
    return t(
        "crm.change_update",
        lang,
        kind=kind,
        id=record.id,
        name=name,
        fields=", ".join(change.fields),
    )


def _summary(plan: Any, lang: Lang, dry_run: bool, written: bool, started: float) -> dict[str, Any]:
    stats = plan.stats
    return {
        "ok": not plan.errors,
        "dry_run": dry_run,
        "written": written,
        "seconds": round(time.perf_counter() - started, 3),
        "counts": plan.counts(),
        "files": {
            file: {
                "rows": rows,
                "encoding": stats.encodings[file],
                "unused_columns": stats.unused_columns.get(file, []),
            }
            for file, rows in stats.rows.items()
        },
        "deals": {
            "won": stats.won_deals,
            "won_total": _number(stats.won_total),
            "lost": stats.lost_deals,
            "open": stats.open_deals,
            "open_without_account": stats.open_without_account,
            "open_valued_from_price": stats.open_valued_from_price,
            "open_without_value": stats.open_without_value,
            "bad_rows": stats.bad_rows,
        },
        "matches": [
            {
                "kind": m.kind,
                "source": m.source,
                "target": m.target,
                "how": m.how,
                "rows": m.rows,
                "file": m.file,
                "line": m.first_line,
                "id": m.record_id,
            }
            for m in plan.matches
        ],
        "problems": [p.as_json(lang) for p in plan.problems],
        "changes": [
            {
                "op": c.op,
                "kind": c.record.KIND,
                "id": c.record.id,
                "name": getattr(c.record, "name", None),
                "fields": list(c.fields),
            }
            for c in plan.changes
        ],
    }
