"""Safe file names for briefs."""

from __future__ import annotations

import pytest

from kaplan_tui.core.briefs.slug import MAX_SLUG, brief_file_name, first_slug, slugify


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("East China KA Team", "east-china-ka-team"),
        ("Café Crème", "cafe-creme"),
        ("华东大客户组", "brief"),
        ("../../etc/passwd", "etc-passwd"),
        ('a/b\\c:d*e?f"g<h>i|j', "a-b-c-d-e-f-g-h-i-j"),
        ("CON", "brief"),
        ("  --x--  ", "x"),
        ("ＡＢＣ１２３", "abc123"),
        ("\x1b[31mred", "31mred"),
        ("", "brief"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slug_is_capped_without_a_trailing_dash() -> None:
    slug = slugify("ab " * 100)
    assert len(slug) <= MAX_SLUG and not slug.endswith("-")


def test_first_slug_falls_back_to_the_id() -> None:
    assert first_slug([None, "华东", "team-east"]) == "team-east"
    assert first_slug([None, ""]) == "brief"


def test_brief_file_names() -> None:
    assert brief_file_name("team", ["East China", "team-east"], "zh") == "team-east-china-zh.md"
    assert brief_file_name("exec", [], "en") == "exec-en.md"
    long = brief_file_name("person", ["x" * 300], "en")
    assert len(long) <= MAX_SLUG + len("-en.md")
