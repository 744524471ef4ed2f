"""Robustness: every prefix of every corpus goal (live typing) and random CJK, emoji and
full-width text lint without exceptions, with spans inside the text, deterministically."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kaplan_tui.core.lint import LintResult, clear_cache, lint

REF = date(2025, 6, 1)


def _check(result: LintResult, text: str) -> None:
    assert 0 <= result.score <= 100
    assert set(result.criteria.values()) <= {"pass", "warn", "fail", "unknown"}
    for d in result.diagnostics:
        assert 0 <= d.start <= d.end <= len(text), (d, text)
        assert d.message
        if d.fix is not None:
            assert 0 <= d.fix.start <= d.fix.end <= len(text), (d, text)


def test_every_prefix_of_every_goal(corpus: list[dict[str, Any]]) -> None:
    for row in corpus:
        text, fields = row["text"], row.get("fields") or {}
        for end in range(len(text) + 1):
            prefix = text[:end]
            first = lint(prefix, fields, today=REF)
            _check(first, prefix)
            for d in first.diagnostics:
                if d.kind == "text" and d.criterion != "hygiene":
                    assert d.start < d.end, (d, prefix)


def test_same_input_same_output(corpus: list[dict[str, Any]]) -> None:
    for row in corpus[::7]:
        clear_cache()
        a = lint(row["text"], row.get("fields") or {}, today=REF)
        clear_cache()
        b = lint(row["text"], row.get("fields") or {}, today=REF)
        assert a == b


_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),  # full-width ASCII
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),  # emoji
    st.sampled_from(list("年月日前内季度万亿元%$¥,. 0123456789QHFYby前底到从至提升降低%")),
    st.characters(codec="utf-8"),
)
_WORDS = st.sampled_from(
    ["2025年", "Q3", "前", "by", "下季度", "三个月内", "从", "到", "500万元", "$1.2M", "85%",
     "ACME集团", "重点客户", "尽快", "within 90 days", "FY2026", "翻倍", "百分之", "十二月", "31日"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=80))
def test_random_text(text: str) -> None:
    result = lint(text, today=REF)
    _check(result, text)
    clear_cache()
    assert lint(text, today=REF) == result


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_WORDS, st.text(_ALPHABET, max_size=4)), max_size=14))
def test_random_goal_like_text(parts: list[str]) -> None:
    text = "".join(parts)
    result = lint(text, {"created_at": "2025-06-01", "target": 100, "unit": "%"}, today=REF)
    _check(result, text)


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["baseline", "target", "deadline", "created_at", "capacity",
                         "owner_territory", "history_yoy_growth", "fiscal_year_start", "unit"]),
        st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.text(max_size=12),
                  st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=3)),
    )
)  # fmt: skip
def test_any_field_values(fields: dict[str, Any]) -> None:
    text = "2025年底前将华东区A类客户的销售额从400万元提升到500万元"
    _check(lint(text, fields, today=REF), text)
