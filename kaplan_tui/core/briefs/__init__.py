"""Markdown goal briefs for the team (the article's step 6): pure rendering, no IO.

``render_brief(snapshot, "team", subject="华东", options=BriefOptions(lang="zh",
as_of=date(2026, 11, 20)))`` gives the markdown and a safe file name. The same snapshot, options
and as-of date always give the same bytes.

Audiences:

* ``team``: the team's goals, who owns what, how the targets were set and why they matter, the
  incentives, the review calendar, and the training and support offered. Without a subject,
  the whole organisation.
* ``person``: one person's targets with their base, stretch and challenge levels and what each
  earns, progress, reviews and support.
* ``account``: an account plan: profile, tier and why, needs and pain points, purchase history
  and pipeline, its goals and their next reviews.
* ``exec``: one page: totals by horizon and segment, team results, goals at risk, decisions
  needed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kaplan_tui.core.briefs.audiences import render_account, render_exec, render_person, render_team
from kaplan_tui.core.briefs.context import (
    AUDIENCES,
    REDACTABLE,
    Audience,
    BriefOptions,
    BriefStopped,
    Ctx,
)
from kaplan_tui.core.briefs.glossary import GlossaryError, parse_glossary
from kaplan_tui.core.briefs.slug import brief_file_name, slugify
from kaplan_tui.core.briefs.subjects import SubjectError, find_subject
from kaplan_tui.core.models import Account, Bilingual, Person, Team
from kaplan_tui.core.snapshot import Snapshot
from kaplan_tui.i18n import t

__all__ = [
    "AUDIENCES",
    "REDACTABLE",
    "Audience",
    "Brief",
    "BriefOptions",
    "BriefStopped",
    "GlossaryError",
    "SubjectError",
    "brief_file_name",
    "find_subject",
    "parse_glossary",
    "render_brief",
    "slugify",
]


@dataclass(frozen=True)
class Brief:
    """A rendered brief."""

    audience: Audience
    subject_id: str | None
    """The id of the team, person or account; None for exec and whole-organisation briefs."""
    markdown: str
    file_name: str
    """A safe default file name: ``team-east-zh.md``."""


def render_brief(
    snapshot: Snapshot,
    audience: Audience,
    *,
    subject: str | None = None,
    options: BriefOptions,
    stop: Callable[[], bool] | None = None,
) -> Brief:
    """Render the ``audience`` brief for ``subject`` (an id or name) from ``snapshot``.

    Args:
        snapshot: the workspace.
        audience: ``team``, ``person``, ``account`` or ``exec``.
        subject: the team, person or account (id, name or English name). Required for person
            and account; optional for team (None: the whole organisation); not taken by exec.
        options: language, as-of date, redactions, glossary.
        stop: asked before each goal is worked out (a whole-organisation brief of a big
            workspace takes seconds); when it says True, the brief is abandoned.

    Raises:
        BriefStopped: ``stop`` said True.
        SubjectError: the subject is missing, unknown or ambiguous, or given to exec.
        ValueError: an unknown audience or redaction.
    """
    lang = options.lang
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r} (one of {', '.join(AUDIENCES)})")
    unknown = sorted(options.redact - set(REDACTABLE))
    if unknown:
        raise ValueError(f"cannot redact {unknown[0]!r} (one of {', '.join(sorted(REDACTABLE))})")
    record: Bilingual | None = None
    if subject is not None:
        if audience == "exec":
            raise SubjectError(t("brief.error.exec_for", lang))
        record = find_subject(snapshot, audience, subject, lang)
    elif audience in ("person", "account"):
        raise SubjectError(t("brief.error.need_for", lang, audience=audience))
    ctx = Ctx(snapshot, options, stop)
    if isinstance(record, Person):
        markdown = render_person(ctx, record)
    elif isinstance(record, Account):
        markdown = render_account(ctx, record)
    elif audience == "exec":
        markdown = render_exec(ctx)
    else:
        markdown = render_team(ctx, record if isinstance(record, Team) else None)
    names = (record.name_en, record.id) if record is not None else ()
    return Brief(
        audience=audience,
        subject_id=record.id if record is not None else None,
        markdown=markdown,
        file_name=brief_file_name(audience, names, lang),
    )
