"""The glossary: the words a brief uses for Kaplan's concepts, in zh and en.

Kaplan ships a default (``[term.*]`` in ``kaplan_tui/i18n/brief.toml``: 大客户 = key account,
冲刺目标 = stretch target, ...). A workspace may keep its own in ``glossary.toml`` beside
``kaplan.toml``, so a company's own vocabulary stays the same in every brief::

    [stretch_target]
    zh = "冲刺目标"
    en = "stretch goal"

    [kam]              # a term of the company's own: listed in every brief's glossary
    zh = "客户经理"
    en = "account manager"

Keys that name a default term replace it; other keys add terms. Each entry needs ``zh`` and
``en``; terms are user text and are escaped wherever a brief shows them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from kaplan_tui.core.text import clean_line
from kaplan_tui.i18n import Lang, catalogue

_PREFIX = "brief.term."
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_TERM = 120


class GlossaryError(ValueError):
    """A workspace glossary that cannot be used, with the entry and the reason."""


def default_terms() -> dict[str, dict[str, str]]:
    """Kaplan's built-in terms, by key: ``{"stretch_target": {"zh": ..., "en": ...}}``."""
    return {
        key[len(_PREFIX) :]: {"zh": texts["zh"], "en": texts["en"]}
        for key, texts in catalogue().items()
        if key.startswith(_PREFIX)
    }


def parse_glossary(data: Mapping[str, object]) -> dict[str, dict[str, str]]:
    """Check a workspace glossary (the parsed ``glossary.toml``) and return its terms.

    Raises:
        GlossaryError: an entry is not a table of non-empty ``zh`` and ``en`` strings, or a key
            is not lower-case ASCII (``stretch_target``).
    """
    out: dict[str, dict[str, str]] = {}
    for key, entry in data.items():
        if not _KEY.match(key):
            raise GlossaryError(f"[{key[:40]}]: a term key is lower-case letters, digits and _")
        if not isinstance(entry, Mapping):
            raise GlossaryError(f"[{key}]: must be a table with zh and en")
        texts: dict[str, str] = {}
        for lang in ("zh", "en"):
            value = entry.get(lang)
            if not isinstance(value, str) or not clean_line(value):
                raise GlossaryError(f"[{key}]: {lang} must be a non-empty string")
            texts[lang] = clean_line(value)[:MAX_TERM]
        extra = sorted(set(entry) - {"zh", "en"})
        if extra:
            raise GlossaryError(f"[{key}]: unknown field {extra[0]!r} (only zh and en)")
        out[key] = texts
    return out


@dataclass
class Glossary:
    """The terms of one brief: defaults with the workspace's on top; remembers which were used."""

    terms: Mapping[str, Mapping[str, str]]
    custom: frozenset[str] = frozenset()
    """Keys the workspace added (not defaults): every brief lists them."""
    used: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, overrides: Mapping[str, Mapping[str, str]] | None = None) -> Glossary:
        """The default terms, with ``overrides`` (a parsed workspace glossary) applied."""
        terms = default_terms()
        custom = frozenset(k for k in (overrides or {}) if k not in terms)
        terms.update({k: dict(v) for k, v in (overrides or {}).items()})
        return cls(terms, custom)

    def term(self, key: str, lang: Lang) -> str:
        """The term ``key`` in ``lang`` (raw text, not escaped); marks it used.

        Raises:
            KeyError: no such term.
        """
        texts = self.terms[key]
        self.used.add(key)
        return texts[lang]

    def listing(self) -> list[tuple[str, str]]:
        """``(zh, en)`` of the terms used and the workspace's own, in a stable order."""
        keys = sorted(self.used | self.custom, key=lambda k: (self.terms[k]["en"].casefold(), k))
        return [(self.terms[k]["zh"], self.terms[k]["en"]) for k in keys]
