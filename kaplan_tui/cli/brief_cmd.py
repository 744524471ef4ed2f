"""``kaplan brief``: write a markdown goal brief for a team, a person, an account or executives.

A thin shell: it opens the workspace read-only, reads the optional ``glossary.toml``, asks
:func:`kaplan_tui.core.briefs.render_brief` for the markdown and writes it safely: a new file is
created with ``link()`` (which never replaces anything, symlinks included) and ``--force``
replaces an existing file atomically (``os.replace`` swaps a symlink, never follows it).
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click

from kaplan_tui.cli.base import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    fail,
    main,
    open_workspace,
    parse_date,
    pick_lang,
    say,
    workspace_path,
)
from kaplan_tui.i18n import Lang, t

AUDIENCES = ("team", "person", "account", "exec")
REDACTABLE = ("confidence", "history", "incentive", "notes", "rationale", "score")
"""The choices of --audience and --redact, spelled out so that the brief engine is imported
only when a brief is made (other commands start faster); a test keeps them equal to
``kaplan_tui.core.briefs.AUDIENCES`` and ``REDACTABLE``."""


def _read_glossary(root: Path, lang: Lang) -> dict[str, dict[str, str]] | None:
    from kaplan_tui.storage.briefs import GlossaryFileError, read_glossary

    try:
        return read_glossary(root)
    except GlossaryFileError as exc:
        fail(t("brief.cli.glossary_bad", lang, path=exc.path, reason=exc.reason), EXIT_PROBLEMS)


def _target(root: Path, out: str | None, file_name: str, lang: Lang) -> Path:
    """The file to write: ``--out FILE``, ``--out DIR/`` + the default name, or ``briefs/``."""
    from kaplan_tui.storage.briefs import briefs_folder, is_real_dir

    if out is None:
        try:
            return briefs_folder(root) / file_name
        except NotADirectoryError as exc:
            fail(t("brief.cli.not_a_folder", lang, path=exc), EXIT_PROBLEMS)
    path = Path(out)
    if out.endswith(("/", os.sep)) or is_real_dir(path):
        if not is_real_dir(path):
            fail(t("brief.cli.not_a_folder", lang, path=path), EXIT_PROBLEMS)
        return path / file_name
    if not is_real_dir(path.parent if str(path.parent) else Path(".")):
        fail(t("brief.cli.not_a_folder", lang, path=path.parent), EXIT_PROBLEMS)
    return path


def _write(path: Path, data: bytes, force: bool, lang: Lang) -> None:
    from kaplan_tui.storage import WorkspaceError
    from kaplan_tui.storage.briefs import NotARegularFileError, write_brief

    try:
        write_brief(path, data, force=force)
    except IsADirectoryError:
        fail(t("brief.cli.is_a_folder", lang, path=path), EXIT_PROBLEMS)
    except NotARegularFileError:
        fail(t("brief.cli.not_a_file", lang, path=path), EXIT_PROBLEMS)
    except FileExistsError:
        fail(t("brief.cli.exists", lang, path=path), EXIT_PROBLEMS)
    except (OSError, WorkspaceError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        fail(t("brief.cli.cannot_write", lang, path=path, reason=reason), EXIT_PROBLEMS)


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
    day = parse_date(as_of, brief_lang, "brief.cli.bad_date")
    for problem in ws.problems:
        say(str(problem))
    glossary = _read_glossary(ws.root, brief_lang)
    options = BriefOptions(lang=brief_lang, as_of=day, redact=frozenset(redact), glossary=glossary)
    snapshot = ws.snapshot()
    # The records live until the process ends: those unpacked while rendering (a 100-person
    # team's 12k accounts and check-ins, some 200k objects the cycle collector tracks) would be
    # scanned again and again by every collection that rendering sets off, and records hold no
    # reference cycles to free. A brief is one short process: the collector stays off.
    gc.freeze()
    gc.disable()
    try:
        # the SMART verdicts of goals linted before are kept (a brief made again lints none)
        with ws.lint_results().in_use():
            brief = render_brief(
                snapshot,
                audience,  # type: ignore[arg-type]  # click.Choice checked it
                subject=subject,
                options=options,
            )
    except SubjectError as exc:
        fail(str(exc), EXIT_USAGE)
    finally:
        # On for a caller that goes on in the same process (tests), with what rendering made
        # frozen too: the first collection would otherwise scan all of it (50k objects for a
        # big team, 15 ms), which reference counting frees anyway.
        gc.freeze()
        gc.enable()
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
