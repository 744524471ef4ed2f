"""Markdown escaping: any user text comes out of a brief as plain text, never as markup.

A brief is read on GitHub, GitLab, in Feishu and DingTalk documents and in chat tools that each
speak a slightly different markdown (CommonMark, GFM tables, strikethrough and autolinks, some
with ``$math$``). Escaping only what one flavour needs leaves holes in another, so every ASCII
punctuation character that any of them gives a meaning to is backslash-escaped (CommonMark allows
a backslash before any ASCII punctuation and then shows the character itself). Escaping ``.``,
``:`` and ``@`` also splits ``http://x.y``, ``www.x.y`` and ``a@b.c``, so autolinkers see no link.

Text is :func:`~kaplan_tui.core.text.clean`-ed first (no control characters, escape sequences or
bidi overrides). Inline and table contexts get one line (newlines and runs of blanks become one
space); multi-line text becomes escaped lines joined by hard breaks, or a fenced block whose
fence is longer than any backtick or tilde run in the text (reliability.md §5.2).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kaplan_tui.core.text import clean

INERT = frozenset(",;?'\"%/")
"""ASCII punctuation left as it is: it means nothing in CommonMark, GFM or their common
extensions in any position (quotes matter only inside link titles, which user text never
reaches because ``[``, ``]``, ``(`` and ``)`` are escaped)."""

_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
ESCAPED = frozenset(c for c in _PUNCT if c not in INERT)
"""The characters :func:`inline` puts a backslash before."""

_ESCAPE = re.compile("([" + re.escape("".join(sorted(ESCAPED))) + "])")
_BLANKS = re.compile(r"\s+")
_FENCE_RUN = re.compile(r"`+|~+")


def _inert(text: str, i: int) -> bool:
    """Tell whether the punctuation at ``text[i]`` is inert where it stands.

    Only a few common cases are spared, to keep dates, decimals, times and hyphenated words
    readable in the raw file; each is inert because the surrounding characters rule out every
    construct the character could take part in (the property tests in
    ``tests/unit/briefs/test_escape.py`` check it against a real parser).
    """
    ch = text[i]
    prev = text[i - 1] if i else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if ch == "-":  # a list marker, rule or setext line needs it at line start or in a run
        return prev.isalnum() and nxt.isalnum()
    if ch == ".":  # 10.5 is no list marker and no domain; "word." ends a sentence
        return (prev.isdigit() and nxt.isdigit()) or (prev.isalpha() and nxt in ("", " "))
    if ch == ":":  # 10:30 and 客户:名称 end no URL scheme (schemes are ASCII letters)
        return (prev.isdigit() and nxt.isdigit()) or (prev != "" and not prev.isascii())
    if ch == "(":  # only meaningful right after "]", which is always escaped
        return True
    if ch == ")":  # "1)" starts an ordered list
        return not prev.isdigit() and prev != ""
    return False


def _escape(flat: str) -> str:
    return _ESCAPE.sub(lambda m: m.group() if _inert(flat, m.start()) else "\\" + m.group(), flat)


@lru_cache(maxsize=8192)
def inline(text: str) -> str:
    """``text`` as one line of plain text, safe anywhere inline: headings, list items, cells.

    Newlines, tabs and runs of spaces become one space, and the ends are trimmed (a trailing
    double space would be a hard break; leading spaces could make code).

    A team brief escapes some 6k texts of which under 800 differ (names, terms, units, the
    same assumptions): the result depends on the text alone, so it is kept.
    """
    return _escape(_BLANKS.sub(" ", clean(text)).strip())


def cell(text: str, empty: str = "—") -> str:
    """``text`` for a GFM table cell: :func:`inline`, with ``empty`` for blank text.

    ``|`` is escaped by :func:`inline`, so a cell never splits the row.
    """
    out = inline(text)
    return out or empty


def lines(text: str) -> str:
    """Multi-line ``text`` as escaped lines joined by hard line breaks (``\\`` at line end).

    Blank lines are dropped, so the text stays one paragraph and cannot close a surrounding
    list item or block quote. Empty text gives an empty string.
    """
    parts = [inline(line) for line in clean(text).split("\n")]
    return "\\\n".join(p for p in parts if p)


def fenced(text: str, info: str = "text") -> str:
    """Multi-line ``text`` verbatim in a fenced code block that it cannot close.

    The fence is backticks, one longer than the longest backtick or tilde run in the text (and
    at least three), so no line of the text can end the block early.
    """
    body = clean(text).replace("\t", "    ").strip("\n")
    longest = max((len(m.group()) for m in _FENCE_RUN.finditer(body)), default=0)
    fence = "`" * max(3, longest + 1)
    safe_info = re.sub(r"[^A-Za-z0-9_-]", "", info)
    return f"{fence}{safe_info}\n{body}\n{fence}"


_MERMAID_UNSAFE = re.compile(r"[^\w .,()%/+（）：，、·-]", re.UNICODE)


def mermaid_label(text: str, limit: int = 40) -> str:
    """``text`` for a quoted Mermaid label: letters, digits, spaces and ``.,()%/+-`` only
    (and the full-width ``（）：，、·`` of Chinese text).

    Quotes, brackets, ``#``, ``;``, ``<``, ``>``, backticks and line breaks are removed, since
    Mermaid gives them meaning (entity codes, HTML labels, statement ends) or they could end the
    string or the fence.
    """
    flat = _BLANKS.sub(" ", _MERMAID_UNSAFE.sub(" ", clean(text))).strip()
    return flat[:limit].rstrip()
