"""Parse briefs with a CommonMark + GFM reader and check what user text must never become."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt

MD = MarkdownIt("gfm-like")
"""CommonMark with GFM tables, strikethrough, raw HTML and linkify on: the strictest reader."""

FORBIDDEN = {"html_inline", "html_block", "link_open", "image", "code_inline"}


def tokens(markdown: str) -> list[Any]:
    """Block tokens and, after each inline token, its children, in document order."""
    out: list[Any] = []
    for tok in MD.parse(markdown):
        out.append(tok)
        out.extend(tok.children or [])
    return out


def check_structure(markdown: str) -> list[Any]:
    """Assert a brief is well formed; return its tokens.

    One H1; no HTML, link, image or code span anywhere (briefs make none, so any would come from
    user text); every table row has as many cells as its header; fences are mermaid or text.
    """
    toks = tokens(markdown)
    kinds = [t.type for t in toks]
    assert sum(1 for t in toks if t.type == "heading_open" and t.tag == "h1") == 1
    bad = FORBIDDEN & set(kinds)
    assert not bad, bad
    for tok in toks:
        if tok.type == "fence":
            assert tok.info in ("mermaid", "text"), tok.info
            if tok.info == "mermaid":
                assert tok.content.startswith("xychart-beta\n")
    width = None
    cells = 0
    for tok in toks:
        if tok.type == "thead_open":
            width = None
        elif tok.type in ("th_open", "td_open"):
            cells += 1
        elif tok.type == "tr_open":
            cells = 0
        elif tok.type == "tr_close":
            if width is None:
                width = cells
            assert cells == width, (cells, width)
    return toks


def block_shape(markdown: str) -> list[tuple[str, str]]:
    """The block structure (token types and tags, no text) to compare two renderings."""
    return [(t.type, t.tag) for t in MD.parse(markdown) if t.type != "inline"]
