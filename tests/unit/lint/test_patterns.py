"""Patterns are compiled on first use and then answer as compiled patterns do."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys

from kaplan_tui.core.lint.patterns import LazyPattern


def test_a_lazy_pattern_answers_like_the_compiled_one() -> None:
    source, text = r"(?P<n>\d+)\s*(?:家|accounts?)", "签下3家新客户, sign 12 accounts"
    expected = re.compile(source, re.IGNORECASE)
    for method in ("search", "match", "fullmatch", "findall"):
        lazy = LazyPattern(source, re.IGNORECASE)
        got, want = getattr(lazy, method)(text), getattr(expected, method)(text)
        assert repr(got) == repr(want), method
        assert repr(getattr(lazy, method)(text, 2)) == repr(getattr(expected, method)(text, 2))
    lazy = LazyPattern(source, re.IGNORECASE)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in expected.finditer(text)]
    assert LazyPattern(source).sub("N", text) == re.sub(source, "N", text)
    assert LazyPattern(r"\s*,\s*").split("a , b,c") == ["a", "b", "c"]


def test_compile_keeps_the_compiled_pattern_for_methods_taken_before_first_use() -> None:
    lazy = LazyPattern(r"\s+inc\.?$", re.IGNORECASE)
    sub = lazy.sub  # bound to the lazy method: every call goes through compile()
    assert not lazy.compiled()
    assert sub("", "Initech Inc.") == "Initech"
    compiled = lazy.compile()
    assert lazy.compile() is compiled and sub("", "Globex inc") == "Globex"


def test_importing_the_linter_compiles_nothing_until_a_lint_or_compile_patterns() -> None:
    code = (
        "import sys\n"
        "from kaplan_tui.core.lint import compile_patterns, lint\n"
        "from kaplan_tui.core.lint.patterns import _ALL\n"
        "assert not any(p.compiled() for p in _ALL)\n"
        "assert 'kaplan_tui.core.lint.rules' not in sys.modules  # imported by a first lint\n"
        "lint('2025年底前将华东区A类客户的销售额提升到500万元')\n"
        "used = sum(p.compiled() for p in _ALL)\n"
        "assert len(_ALL) > 50 and 0 < used < len(_ALL), used\n"
        "compile_patterns()\n"
        "assert all(p.compiled() for p in _ALL)\n"
        "code = (\n"
        "    'from kaplan_tui.core.lint import compile_patterns\\n'\n"
        "    'from kaplan_tui.core.lint.patterns import _ALL\\n'\n"
        "    'compile_patterns()\\n'\n"
        "    'print(len(_ALL))\\n'\n"
        ")\n"
        "import subprocess\n"
        "alone = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)\n"
        "assert int(alone.stdout) == len(_ALL), (alone.stdout, len(_ALL))\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_each_half_of_a_bilingual_pattern_matches_at_least_one_character() -> None:
    # Bilingual.finditer leaves one half's matches in the order finditer gives them, which is
    # text order only if no match is empty.
    from kaplan_tui.core.lint import lexicon

    sre_parse = importlib.import_module("re._parser")  # how wide a match can be

    halves = [
        half
        for value in vars(lexicon).values()
        if isinstance(value, lexicon.Bilingual)
        for half in (value.zh, value.en)
    ]
    assert len(halves) > 30
    for half in halves:
        assert sre_parse.parse(half.pattern, half.flags).getwidth()[0] > 0, half.pattern
