"""``kaplan brief``: write a markdown goal brief for a team, a person, an account or executives.

A thin shell: it opens the workspace read-only, reads the optional ``glossary.toml``, asks
:func:`kaplan_tui.core.briefs.render_brief` for the markdown and writes it safely: a new file is
created with ``link()`` (which never replaces anything, symlinks included) and ``--force``
replaces an existing file atomically (``os.replace`` swaps a symlink, never follows it).
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import sys
import tomllib
from pathlib import Path

import click

from kaplan_tui.cli.base import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    fail,
    main,
    open_workspace,
    pick_lang,
    say,
    workspace_path,
)
from kaplan_tui.i18n import Lang, t

GLOSSARY_FILE = "glossary.toml"
"""The workspace's own glossary, beside ``kaplan.toml`` (optional)."""

BRIEFS_DIR = "briefs"
"""Where briefs go by default, inside the workspace."""

AUDIENCES = ("team", "person", "account", "exec")
REDACTABLE = ("confidence", "history", "incentive", "notes", "rationale", "score")
"""The choices of --audience and --redact, spelled out so that the brief engine is imported
only when a brief is made (other commands start faster); a test keeps them equal to
``kaplan_tui.core.briefs.AUDIENCES`` and ``REDACTABLE``."""


def _parse_date(value: str | None, lang: Lang) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(t("brief.cli.bad_date", lang, value=value), EXIT_USAGE)


def _read_glossary(root: Path, lang: Lang) -> dict[str, dict[str, str]] | None:
    from kaplan_tui.core.briefs import GlossaryError, parse_glossary
    from kaplan_tui.storage.errors import WorkspaceError
    from kaplan_tui.storage.files import read_bytes

    path = root / GLOSSARY_FILE
    try:
        got = read_bytes(path)
    except WorkspaceError as exc:
        fail(t("brief.cli.glossary_bad", lang, path=path, reason=exc), EXIT_PROBLEMS)
    if got is None:
        return None
    try:
        data = tomllib.loads(got[0].decode("utf-8"))
        return parse_glossary(data)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, GlossaryError) as exc:
        fail(t("brief.cli.glossary_bad", lang, path=path, reason=exc), EXIT_PROBLEMS)


def _is_real_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def _target(root: Path, out: str | None, file_name: str, lang: Lang) -> Path:
    """The file to write: ``--out FILE``, ``--out DIR/`` + the default name, or ``briefs/``."""
    if out is None:
        folder = root / BRIEFS_DIR
        if not os.path.lexists(folder):
            folder.mkdir(mode=0o770 if os.stat(root).st_mode & stat.S_ISGID else 0o700)
        elif not _is_real_dir(folder):
            fail(t("brief.cli.not_a_folder", lang, path=folder), EXIT_PROBLEMS)
        return folder / file_name
    path = Path(out)
    if out.endswith(("/", os.sep)) or _is_real_dir(path):
        if not _is_real_dir(path):
            fail(t("brief.cli.not_a_folder", lang, path=path), EXIT_PROBLEMS)
        return path / file_name
    if not _is_real_dir(path.parent if str(path.parent) else Path(".")):
        fail(t("brief.cli.not_a_folder", lang, path=path.parent), EXIT_PROBLEMS)
    return path


def _write(path: Path, data: bytes, force: bool, lang: Lang) -> None:
    from kaplan_tui.storage.files import atomic_write, write_new

    if force:
        if _is_real_dir(path):
            fail(t("brief.cli.is_a_folder", lang, path=path), EXIT_PROBLEMS)
        atomic_write(path, data)
        return
    try:
        write_new(path, data)
    except FileExistsError:
        fail(t("brief.cli.exists", lang, path=path), EXIT_PROBLEMS)


@main.command("brief")
@workspace_path
@click.option(
    "--audience",
    type=click.Choice(AUDIENCES),
    required=True,
    help="team: goals, owners, why, incentives, reviews, support. person: one person's levels "
    "and awards. account: an account plan. exec: one page of totals, risks and decisions.",
)
@click.option(
    "--for",
    "subject",
    metavar="NAME",
    default=None,
    help="The team, person or account: id, name or English name (team: default everyone).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Brief language.")
@click.option(
    "--out",
    metavar="FILE|DIR",
    default=None,
    help="Where to write (default: the workspace's briefs/ folder); - for stdout.",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.option(
    "--redact",
    "redact",
    multiple=True,
    type=click.Choice(REDACTABLE),
    help="Leave a field out (repeatable): " + ", ".join(REDACTABLE) + ".",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    default=None,
    help="The brief's date, YYYY-MM-DD (default: today); the same date gives the same bytes.",
)
def brief_cmd(
    path: Path,
    audience: str,
    subject: str | None,
    lang: str | None,
    out: str | None,
    force: bool,
    redact: tuple[str, ...],
    as_of: str | None,
) -> None:
    """Write a markdown goal brief to share with the team."""
    from kaplan_tui.core.briefs import BriefOptions, SubjectError, render_brief

    ws = open_workspace(path, read_only=True)
    brief_lang = pick_lang(lang, ws)
    day = _parse_date(as_of, brief_lang)
    for problem in ws.problems:
        say(str(problem))
    glossary = _read_glossary(ws.root, brief_lang)
    options = BriefOptions(lang=brief_lang, as_of=day, redact=frozenset(redact), glossary=glossary)
    try:
        brief = render_brief(
            ws.snapshot(),
            audience,  # type: ignore[arg-type]  # click.Choice checked it
            subject=subject,
            options=options,
        )
    except SubjectError as exc:
        fail(str(exc), EXIT_USAGE)
    data = brief.markdown.encode("utf-8")
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        raise SystemExit(EXIT_OK)
    target = _target(ws.root, out, brief.file_name, brief_lang)
    _write(target, data, force, brief_lang)
    click.echo(str(target))
    say(t("brief.cli.wrote", brief_lang, path=target))
    raise SystemExit(EXIT_OK)
