"""``kaplan generate``: a large realistic bilingual workspace, for trying Kaplan at scale and for
the benchmarks in ``bench/``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from kaplan_tui.cli.base import EXIT_PROBLEMS, EXIT_USAGE, fail, main, pick_lang, say
from kaplan_tui.i18n import t


@main.command()
@click.argument("path", type=click.Path(path_type=Path, file_okay=False))
@click.option("--accounts", type=click.IntRange(min=0), required=True, help="How many accounts.")
@click.option("--goals", type=click.IntRange(min=0), required=True, help="How many goals.")
@click.option("--checkins", type=click.IntRange(min=0), required=True, help="How many check-ins.")
@click.option(
    "--seed", type=int, default=1, show_default=True, help="The same seed gives the same data."
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day the plan is as of (default 2026-11-20, fixed so a seed is reproducible).",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of the workspace and of messages (default: your environment's).",
)
def generate(
    path: Path,
    accounts: int,
    goals: int,
    checkins: int,
    seed: int,
    as_of: dt.datetime | None,
    lang: str | None,
) -> None:
    """Make a large realistic workspace at PATH, which must be new or empty.

    Bilingual accounts across the usual industries with three years of quarterly purchase
    history, a sales team with managers and territories, goal trees (long -> mid -> annual ->
    quarterly) with metrics and levels, and check-ins. Deterministic for a seed.
    """
    from kaplan_tui.core.generate import DEFAULT_AS_OF, GenerateSpec
    from kaplan_tui.storage import WorkspaceError
    from kaplan_tui.storage.generate import (
        TargetNotEmptyError,
        check_target,
        generate_workspace,
    )

    msg_lang = pick_lang(lang)
    try:
        check_target(path)
    except TargetNotEmptyError:
        fail(t("generate.not_empty", msg_lang, path=path), EXIT_USAGE)
    spec = GenerateSpec(
        accounts, goals, checkins, seed, as_of.date() if as_of is not None else DEFAULT_AS_OF
    )
    if problems := spec.problems():
        fail("; ".join(problems), EXIT_USAGE)
    say(
        t("generate.making", msg_lang, accounts=accounts, goals=goals, checkins=checkins, seed=seed)
    )
    try:
        report = generate_workspace(
            path,
            spec,
            language=msg_lang,
            progress=lambda kind, count: say(
                t("generate.stored", msg_lang, kind=kind, count=count)
            ),
        )
    except TargetNotEmptyError:
        fail(t("generate.not_empty", msg_lang, path=path), EXIT_USAGE)
    except WorkspaceError as exc:
        fail(str(exc), EXIT_PROBLEMS)
    say(t("generate.done", msg_lang, path=report.root, seconds=f"{report.total_seconds:.1f}"))
