"""Finding the team, person or account a brief is for, from what the user typed after --for."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from kaplan_tui.core.models import Bilingual
from kaplan_tui.core.snapshot import Snapshot
from kaplan_tui.core.text import clean_line
from kaplan_tui.i18n import Lang, t

B = TypeVar("B", bound=Bilingual)


class SubjectError(LookupError):
    """No record, or more than one, answers to the name given; the message says which."""


def _fold(text: str) -> str:
    return clean_line(text).casefold()


def _names(record: Bilingual) -> list[str]:
    return [_fold(n) for n in (record.id, record.name, record.name_en) if n]


def find_record(records: Mapping[str, B], query: str, *, kind: str, lang: Lang) -> B:
    """The record whose id, name or English name is ``query``.

    Exact matches (case-insensitive) win; otherwise a single record whose name contains
    ``query`` is taken.

    Raises:
        SubjectError: nothing matches, or several records do (their names are listed).
    """
    wanted = _fold(query)
    if not wanted:
        raise SubjectError(t("brief.error.empty_for", lang))
    if query in records:
        return records[query]
    ordered = sorted(records.values(), key=lambda r: r.id)
    exact = [r for r in ordered if wanted in _names(r)]
    found = exact or [r for r in ordered if any(wanted in n for n in _names(r)[1:])]
    if len(found) == 1:
        return found[0]
    what = t(f"brief.kind.{kind}", lang)
    if not found:
        known = ", ".join(f"{r.name} ({r.id})" for r in ordered[:8])
        raise SubjectError(t("brief.error.not_found", lang, kind=what, name=query, known=known))
    listed = ", ".join(f"{r.name} ({r.id})" for r in found[:8])
    raise SubjectError(t("brief.error.ambiguous", lang, kind=what, name=query, found=listed))


def find_subject(snapshot: Snapshot, audience: str, query: str, lang: Lang) -> Bilingual:
    """The team, person or account a ``team``/``person``/``account`` brief is for.

    Raises:
        SubjectError: see :func:`find_record`.
        ValueError: the audience takes no subject.
    """
    if audience == "team":
        return find_record(snapshot.teams, query, kind="team", lang=lang)
    if audience == "person":
        return find_record(snapshot.people, query, kind="person", lang=lang)
    if audience == "account":
        return find_record(snapshot.accounts, query, kind="account", lang=lang)
    raise ValueError(f"the {audience} audience is not for one record")
