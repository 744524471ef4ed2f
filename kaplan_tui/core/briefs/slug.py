"""Safe file names for exported briefs (reliability.md §5.3).

A name shown to people (``华东大客户团队``, ``Acme/../../etc``, ``CON``) becomes a short ASCII slug
that is safe on every file system and in every URL: NFKD-decomposed, accents dropped, anything
outside ``a-z0-9`` turned into single dashes, at most :data:`MAX_SLUG` characters, and a fallback
when nothing is left.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_SLUG = 80
"""The longest slug; with ``.md`` and a language suffix the file name stays well under 255 bytes."""

FALLBACK = "brief"

_NOT_ALLOWED = re.compile(r"[^a-z0-9]+")
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


def slugify(text: str, *, fallback: str = FALLBACK, limit: int = MAX_SLUG) -> str:
    """``text`` as a lower-case ASCII slug of letters, digits and single dashes.

    Args:
        text: any user text.
        fallback: returned when no ASCII letter or digit is left (must itself be a slug).
        limit: the most characters kept; the cut never leaves a trailing dash.
    """
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    )
    slug = _NOT_ALLOWED.sub("-", ascii_text).strip("-")[:limit].rstrip("-")
    if not slug or slug in _WINDOWS_RESERVED:
        return fallback
    return slug


def first_slug(candidates: Iterable[str | None], *, fallback: str = FALLBACK) -> str:
    """The slug of the first candidate giving one (English name, then id...), else ``fallback``."""
    for text in candidates:
        if text:
            slug = slugify(text, fallback="")
            if slug:
                return slug
    return fallback


def brief_file_name(audience: str, subject: Iterable[str | None], lang: str) -> str:
    """The default file name of a brief: ``team-east-china-zh.md``, ``exec-en.md``."""
    parts = [slugify(audience, fallback=FALLBACK)]
    subject_slug = first_slug(subject, fallback="")
    if subject_slug:
        parts.append(subject_slug)
    name = "-".join(parts)[:MAX_SLUG].rstrip("-")
    return f"{name}-{slugify(lang, fallback='xx')}.md"
