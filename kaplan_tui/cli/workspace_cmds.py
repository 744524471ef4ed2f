"""Workspace commands: open, demo, init, doctor, export, import, migrate, restore, locate."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import click

from kaplan_tui.cli.base import (
    EXIT_CONFLICT,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    emit_json,
    emit_jsonl,
    fail,
    lang_option,
    main,
    open_workspace,
    pick_lang,
    say,
    workspace_path,
)
from kaplan_tui.i18n import t


@main.command("open")
@workspace_path
@lang_option
def open_cmd(path: Path, lang: str | None) -> None:
    """Open the workspace at PATH in the terminal UI (what plain `kaplan PATH` does)."""
    from kaplan_tui.cli.launch import run_tui

    run_tui(path, lang)


@main.command()
@click.argument("path", type=click.Path(path_type=Path, file_okay=False), required=False)
@click.option("--reset", is_flag=True, help="Start again from a fresh copy (the old one is kept).")
@click.option("--no-open", is_flag=True, help="Copy the sample and print its path; do not open.")
@lang_option
def demo(path: Path | None, reset: bool, no_open: bool, lang: str | None) -> None:
    """Copy the bundled sample workspace to PATH and open it.

    PATH defaults to `kaplan-demo` in your data folder. The installed copy is never edited.
    An existing copy is opened as it is, with your changes; --reset makes a fresh one.
    """
    from kaplan_tui.locations import bundled, data_dir

    target = (path or data_dir() / "kaplan-demo").absolute()
    msg_lang = pick_lang(lang)
    if target.exists() and reset:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = target.with_name(f"{target.name}.old-{stamp}")
        target.rename(kept)
        say(t("cli.demo_kept_old", msg_lang, path=kept))
    if target.exists() and any(target.iterdir()):
        if not (target / "kaplan.toml").exists():
            fail(t("cli.demo_not_empty", msg_lang, path=target), EXIT_USAGE)
        say(t("cli.demo_existing", msg_lang, path=target))
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(
            bundled("sample_workspace"),
            target,
            ignore=shutil.ignore_patterns(".kaplan", "__pycache__"),
            dirs_exist_ok=True,
        )
        _make_private_and_writable(target)
        say(t("cli.demo_copied", msg_lang, path=target))
    if no_open:
        click.echo(str(target))
        return
    from kaplan_tui.cli.launch import run_tui

    run_tui(target, lang)


def _make_private_and_writable(root: Path) -> None:
    # An installed copy may be read-only (0444 under /usr); the user's copy must be theirs.
    root.chmod(0o700)
    for item in root.rglob("*"):
        item.chmod(0o700 if item.is_dir() else 0o600)


@main.command()
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", default=None, help="The workspace's name (default: the folder's).")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the UI, messages and briefs.",
)
@click.option("--currency", default="CNY", show_default=True, help="ISO currency code.")
@click.option(
    "--group", default=None, help="Share with this OS group: setgid 2770 folder, files 0660."
)
def init(path: Path, name: str | None, lang: str, currency: str, group: str | None) -> None:
    """Create an empty workspace at PATH."""
    from pydantic import ValidationError

    from kaplan_tui.storage import Workspace, WorkspaceError

    try:
        ws = Workspace.init(
            path,
            name=name,
            language="en" if lang == "en" else "zh",
            currency=currency.upper(),
            group=group,
        )
    except ValidationError as exc:
        fail(f"kaplan.toml: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}", EXIT_USAGE)
    except (WorkspaceError, PermissionError) as exc:
        fail(str(exc), EXIT_USAGE)
    say(t("cli.init_done", ws.settings.language, path=ws.root, name=ws.name))


@main.command()
@workspace_path
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@lang_option
def doctor(path: Path, as_json: bool, lang: str | None) -> None:
    """Check every file and record of the workspace; never writes.

    Each problem names the file, the record id, the field and the reason. Exit 1 if any
    problem is an error.
    """
    from kaplan_tui.storage import NotAWorkspaceError
    from kaplan_tui.storage.doctor import diagnose

    try:
        problems = diagnose(path)
    except NotAWorkspaceError:
        fail(t("cli.not_a_workspace", pick_lang(lang), path=path), EXIT_USAGE)
    errors = [p for p in problems if p.severity == "error"]
    if as_json:
        emit_json({"ok": not errors, "problems": [p.as_json() for p in problems]})
    else:
        msg_lang = pick_lang(lang, open_workspace(path, read_only=True))
        for p in problems:
            click.echo(f"{t('cli.severity_' + p.severity, msg_lang)}: {_visible(str(p))}")
        counts = {"errors": len(errors), "warnings": len(problems) - len(errors)}
        say(t("cli.doctor_ok" if not problems else "cli.doctor_summary", msg_lang, **counts))
    sys.exit(EXIT_PROBLEMS if errors else EXIT_OK)


def _visible(text: str) -> str:
    from kaplan_tui.core.text import visible

    return visible(text)


@main.command()
@workspace_path
@click.option("--kind", "kinds", multiple=True, help="Only this kind (repeatable).")
def export(path: Path, kinds: tuple[str, ...]) -> None:
    """Print every record as JSON Lines: {"kind", "id", "rev", ...fields}."""
    from kaplan_tui.storage import WorkspaceError
    from kaplan_tui.storage.transfer import export_records

    ws = open_workspace(path, read_only=True)
    try:
        for record in export_records(ws, kinds or None):
            emit_jsonl(record)
    except WorkspaceError as exc:
        fail(str(exc), EXIT_USAGE)
    sys.stdout.flush()
    problems = [p for p in ws.problems if p.severity == "error"]
    for p in problems:
        say(f"error: {_visible(str(p))}")
    sys.exit(EXIT_PROBLEMS if problems else EXIT_OK)


@main.command("import")
@workspace_path
@click.argument("source", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@lang_option
def import_cmd(path: Path, source: IO[bytes], dry_run: bool, lang: str | None) -> None:
    """Create or update records from JSON Lines (FILE, or - for stdin).

    A line without an id, or with an unknown id, creates a record; a known id updates it and
    must carry the stored "rev" (exit 3 otherwise). All or nothing: if any line is bad,
    nothing is written and every bad line is reported (exit 1).
    """
    from kaplan_tui.storage import ConflictError, WorkspaceError
    from kaplan_tui.storage.transfer import plan_import

    ws = open_workspace(path)
    msg_lang = pick_lang(lang, ws)
    plan = plan_import(ws, source)
    for err in plan.errors:
        say(f"{getattr(source, 'name', '-')}: {_visible(str(err))}")
    if plan.outcome != "ok":
        say(t("cli.import_refused", msg_lang, count=len(plan.errors)))
        sys.exit(EXIT_CONFLICT if plan.outcome == "conflict" else EXIT_PROBLEMS)
    counts = {"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged}
    if dry_run:
        say(t("cli.import_dry_run", msg_lang, **counts))
        return
    try:
        ws.commit(plan.changes)
    except ConflictError as exc:
        fail(str(exc), EXIT_CONFLICT)
    except WorkspaceError as exc:
        fail(str(exc), EXIT_PROBLEMS)
    say(t("cli.import_done", msg_lang, **counts))


@main.command()
@workspace_path
def migrate(path: Path) -> None:
    """Bring an older workspace to this version's format (backups are kept)."""
    from kaplan_tui.core.settings import SCHEMA_VERSION
    from kaplan_tui.storage.config import migrate as run_migrations
    from kaplan_tui.storage.config import read_settings

    ws = open_workspace(path, read_only=True)
    settings, problems = read_settings(ws.root)
    if settings is None:
        fail("; ".join(str(p) for p in problems), EXIT_PROBLEMS)
    if settings.schema_version > SCHEMA_VERSION:
        fail(str(problems[0]) if problems else "newer format", EXIT_USAGE)
    backup = ws.root.with_name(f"{ws.root.name}.before-migrate-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
    if settings.schema_version < SCHEMA_VERSION:
        shutil.copytree(ws.root, backup, symlinks=True)
        done = run_migrations(ws.root, settings)
        say(f"migrated from format {done[0]} to {SCHEMA_VERSION}; the old copy is in {backup}")
    else:
        say(f"already in the current format ({SCHEMA_VERSION})")


@main.command()
@workspace_path
@click.option("--kind", required=True, help="Which file to restore (goal, account...).")
@click.option(
    "--backup",
    "backup_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A backup file (default: the latest).",
)
def restore(path: Path, kind: str, backup_file: Path | None) -> None:
    """Put a backup of one kind's file back; the current file is kept beside it."""
    from kaplan_tui.storage import Workspace, WorkspaceError
    from kaplan_tui.storage.workspace import iter_kinds

    ws: Workspace = open_workspace(path)
    try:
        iter_kinds([kind])
        kept = ws.restore_backup(kind, backup_file)
    except WorkspaceError as exc:
        fail(str(exc), EXIT_USAGE)
    # the restored file (goals.json, or one shard such as goals/003.json) and the kept one
    restored = kept.with_name(kept.name.rsplit(".replaced-", 1)[0]).relative_to(ws.root)
    say(f"restored {restored}; the file it replaced is kept as {kept.relative_to(ws.root)}")


@main.command()
@click.argument("what", type=click.Choice(["config", "themes", "data", "sample"]))
def locate(what: str) -> None:
    """Print where Kaplan keeps its config, user themes, data, or the bundled sample."""
    from kaplan_tui.locations import bundled, config_dir, data_dir

    paths: dict[str, Callable[[], Path]] = {
        "config": config_dir,
        "themes": lambda: config_dir() / "themes",
        "data": data_dir,
        "sample": lambda: bundled("sample_workspace"),
    }
    click.echo(str(paths[what]()))
