"""Markdown escaping: user text parses back to exactly itself, as plain text, in every context."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from kaplan_tui.core.briefs.escape import cell, fenced, inline, lines, mermaid_label
from kaplan_tui.core.text import clean

MD = MarkdownIt("gfm-like")
"""CommonMark with GFM tables, strikethrough, raw HTML and linkify all on: the strictest reader."""

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "<script>alert('x')</script> and <b>bold</b>",
    "[click me](javascript:alert(1))",
    "![pwned](https://evil.example/x.png)",
    "<https://evil.example>",
    "visit www.evil.example or http://evil.example/path?q=1 or a@b.example",
    "first line\n# a heading\n## another",
    "a | b | c",
    "```\nfenced\n```",
    "~~~\ntilde\n~~~",
    "`code` and ``more``",
    "\x1b]2;title\x07\x1b[31mred\x1b[0m",
    "*emph* _emph_ **strong** ~~strike~~",
    "1. ordered\n2) other\n- bullet\n+ plus\n* star",
    "> quote\n>> nested",
    "---\n***\n___",
    "title\n=====",
    "&lt;b&gt; &amp; &#60;script&#62; &copy;",
    "$x^2$ and $$y$$",
    "[^1] footnote\n\n[^1]: note",
    "<!-- comment --> <?php ?> <![CDATA[x]]>",
    "\\*not emph\\* trailing backslash \\",
    "    indented code",
    "line with two spaces  \nnext",
    "[ref]\n\n[ref]: https://evil.example",
    "2026. revenue",
    "1) one",
    "10:30 meeting at 2026-12-31, +10.5% growth (YoY).",
    "\u202egnp.exe\u200b",
]


def _inline_tokens(markdown: str) -> list[Any]:
    out = []
    for token in MD.parse(markdown):
        if token.type == "inline":
            out.extend(token.children or [])
    return out


def _contexts(safe: str) -> dict[str, str]:
    return {
        "paragraph": f"{safe}\n",
        "after_text": f"Goal: {safe}\n",
        "list_item": f"- {safe}\n",
        "ordered_item": f"1. {safe}\n",
        "quote": f"> {safe}\n",
        "bold_label": f"- **Why:** {safe}\n",
        "heading": f"### {safe}\n",
        "cell": f"| a | b |\n|---|---|\n| {safe} | x |\n",
    }


def _expected(text: str) -> str:
    return " ".join(clean(text).split())


def _check_everywhere(text: str) -> None:
    safe = inline(text)
    assert "\n" not in safe
    expected = _expected(text)
    for context, markdown in _contexts(safe).items():
        if not expected:
            continue
        tokens = MD.parse(markdown)
        types = [tok.type for tok in tokens]
        if context == "heading":
            assert types.count("heading_open") == 1, (markdown, types)
        elif context == "cell":
            assert types.count("td_open") == 2, (markdown, types)
        else:
            assert "heading_open" not in types, (context, markdown)
            assert types.count("bullet_list_open") == (
                1 if context in ("list_item", "bold_label") else 0
            )
        for banned in ("html_block", "fence", "code_block", "hr", "table_open"):
            if context == "cell" and banned == "table_open":
                continue
            assert banned not in types, (context, markdown, types)
        if context == "cell":
            first_td = types.index("td_open")
            children = tokens[first_td + 1].children or []
        else:
            children = _inline_tokens(markdown)
        kinds = {tok.type for tok in children}
        assert kinds <= {"text", "strong_open", "strong_close"}, (context, markdown, kinds)
        text_out = "".join(tok.content for tok in children if tok.type == "text")
        prefix = "Goal: " if context == "after_text" else "Why: " if context == "bold_label" else ""
        assert text_out == prefix + expected, (context, markdown, text_out)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_plain_text_in_every_context(text: str) -> None:
    _check_everywhere(text)


_ALPHABET = st.sampled_from(
    list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
    + list("ab1 0\n\t")
    + ["http", "www.", "javascript:", "<img", "中", "\x1b", "```", "    ", "=", "  \n"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=24).map("".join))
def test_any_text_parses_back_to_itself(text: str) -> None:
    _check_everywhere(text)


def test_readable_common_text_is_left_alone() -> None:
    assert inline("2026-12-31 10:30, +10.5% growth.") == r"2026-12-31 10:30, \+10.5% growth."
    assert inline("华东区 2026 年营收增长 12%") == "华东区 2026 年营收增长 12%"
    assert inline("check-in (monthly)") == "check-in (monthly)"


def test_cell_keeps_the_row_and_fills_blanks() -> None:
    row = f"| {cell('a | b')} | {cell('   ')} |"
    tokens = MD.parse(f"| h1 | h2 |\n|---|---|\n{row}\n")
    assert [tok.type for tok in tokens].count("td_open") == 2
    assert cell("") == "—"


def test_lines_keeps_line_breaks_in_one_paragraph() -> None:
    text = "first\n\n# second\n- third\n<b>x</b>"
    markdown = f"- {lines(text)}\n"
    tokens = MD.parse(markdown)
    types = [tok.type for tok in tokens]
    assert types.count("paragraph_open") == 1 and "heading_open" not in types
    children = _inline_tokens(markdown)
    assert {tok.type for tok in children} <= {"text", "hardbreak"}
    assert [tok.content for tok in children if tok.type == "text"] == [
        "first",
        "# second",
        "- third",
        "<b>x</b>",
    ]


@pytest.mark.parametrize("text", ["```\nx\n```", "````\n~~~~~\n", "plain\nlines", "a\tb"])
def test_fenced_text_cannot_close_its_fence(text: str) -> None:
    markdown = fenced(text) + "\n\nafter\n"
    tokens = MD.parse(markdown)
    fences = [tok for tok in tokens if tok.type == "fence"]
    assert len(fences) == 1
    assert fences[0].content == clean(text).replace("\t", "    ").strip("\n") + "\n"
    assert tokens[-2].children is not None and tokens[-2].children[0].content == "after"


def test_mermaid_label_drops_syntax() -> None:
    label = mermaid_label('Rev "2026" <br> #35; [x] `y`\nz')
    assert not set(label) & set('"<>#;[]`\n')
    assert label.startswith("Rev 2026")
