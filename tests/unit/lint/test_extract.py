"""Extraction that keeps offsets: normalisation, numbers, money, dates and windows."""

from __future__ import annotations

from datetime import date

import pytest

from kaplan_tui.core.lint.normalize import detect_lang, normalize
from kaplan_tui.core.lint.numbers import find_quantities, parse_amount, parse_cn_int
from kaplan_tui.core.lint.timex import (
    choose_deadline,
    find_times,
    find_vague_times,
    fiscal_year_bounds,
)

REF = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０２５年，營收％", "2025年,营收%"),
        ("將達到新台幣3,000萬元", "将达到新台币3,000万元"),
        ("ＡＣＭＥ集團", "ACME集团"),
    ],
)
def test_normalize_keeps_length(text: str, expected: str) -> None:
    assert normalize(text) == expected
    assert len(normalize(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("下季度把ACME Corporation的续约率提升到92%", "zh"),
        ("Grow 华为 revenue by 15% next year", "en"),
        ("", "en"),
        ("將營收提升", "zh"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


@pytest.mark.parametrize(
    ("token", "value"),
    [("四百五十万", 4_500_000), ("两千三百万", 23_000_000), ("十二", 12), ("二〇二五", 2025),
     ("一亿二千万", 120_000_000), ("百", None), ("万一", None), ("千万", None)],
)  # fmt: skip
def test_chinese_numerals(token: str, value: int | None) -> None:
    assert parse_cn_int(token) == value


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "采购额从三百万元提升至四百五十万元",
            [("三百万元", 3e6, "money"), ("四百五十万元", 4.5e6, "money")],
        ),
        ("达到新台币3,000万元", [("新台币3,000万元", 3e7, "money")]),
        ("回款率提高到百分之九十五", [("百分之九十五", 95, "percent")]),
        ("Close $250k in new ARR", [("$250k", 250_000, "money")]),
        ("from $1.2M to $1.5M", [("$1.2M", 1.2e6, "money"), ("$1.5M", 1.5e6, "money")]),
        ("Sign 3 new logos", [("3", 3, "count")]),
        ("增加5个百分点", [("5个百分点", 5, "pp")]),
        ("缩短到60天", [("60天", 60, "duration")]),
        ("一定要做好,十分重要", []),
        ("Tier 1 accounts in FY2025 Q3", []),
        ("签署2026年度框架协议", []),
    ],
)
def test_quantities(text: str, found: list[tuple[str, float, str]]) -> None:
    got = [(text[q.start : q.end], q.value, q.kind) for q in find_quantities(normalize(text))]
    assert got == found


def test_parse_amount_for_field_values() -> None:
    assert parse_amount("500万") == 5_000_000
    assert parse_amount("1,200,000") == 1_200_000
    assert parse_amount("百分之十") == 10
    assert parse_amount("n/a") is None


@pytest.mark.parametrize(
    ("text", "span", "deadline", "flags"),
    [
        ("2025年12月31日前,将华东区", "2025年12月31日前", "2025-12-31", ""),
        ("下季度把ACME集团", "下季度", "2025-09-30", "relative"),
        ("年底前争取", "年底前", "2025-12-31", "relative"),
        ("2025年Q3前,完成", "2025年Q3前", "2025-09-30", "ambiguous"),
        ("本月内拜访12家", "本月内", "2025-06-30", "relative"),
        ("Q4前与ACME集团签署2026年度框架协议", "Q4前", "2025-12-31", "missing_year ambiguous"),
        ("三个月内新增5家", "三个月内", "2025-09-01", "relative"),
        ("下半年重点", "下半年", "2025-12-31", "relative"),
        ("下周五之前提交", "下周五之前", "2025-06-06", "relative"),
        ("2025年底前,將台北區", "2025年底前", "2025-12-31", ""),
        ("within 90 days", "within 90 days", "2025-08-30", "relative"),
        ("by June 30, 2026", "by June 30, 2026", "2026-06-30", ""),
        ("by end of FY2025", "by end of FY2025", "2025-12-31", ""),
        ("next quarter", "next quarter", "2025-09-30", "relative"),
        ("by March 2026", "by March 2026", "2026-03-31", "ambiguous"),
        ("by end of Q1 2026", "by end of Q1 2026", "2026-03-31", ""),
        ("in H2", "in H2", "2025-12-31", "missing_year"),
        ("by 12/31/2025", "by 12/31/2025", "2025-12-31", ""),
    ],
)
def test_time_expressions(text: str, span: str, deadline: str, flags: str) -> None:
    norm = normalize(text)
    times = find_times(norm, REF)
    chosen = choose_deadline(times)
    assert chosen is not None
    assert text[chosen.start : chosen.end] == span
    assert chosen.deadline.isoformat() == deadline
    assert chosen.relative == ("relative" in flags)
    assert chosen.ambiguous == ("ambiguous" in flags)
    assert chosen.missing_year == ("missing_year" in flags)


def test_comparison_periods_are_not_deadlines() -> None:
    times = find_times(normalize("2026年上半年,新签约客户数较2025年同期增长30%"), REF)
    chosen = choose_deadline(times)
    assert chosen is not None and chosen.deadline == date(2026, 6, 30)
    assert any(t.baseline for t in times)


def test_fiscal_years_are_named_after_the_year_they_end() -> None:
    assert fiscal_year_bounds(2026, (4, 1)) == (date(2025, 4, 1), date(2026, 3, 31))
    assert fiscal_year_bounds(2025, (1, 1)) == (date(2025, 1, 1), date(2025, 12, 31))
    times = find_times("by end of FY25", REF, (7, 1))
    assert times[0].deadline == date(2025, 6, 30)


@pytest.mark.parametrize(
    ("text", "vague"),
    [("尽快提升", ["尽快"]), ("as soon as possible", ["as soon as possible"]),
     ("going forward", ["going forward"]), ("未来6个月内", []), ("no later than June", [])],
)  # fmt: skip
def test_vague_times(text: str, vague: list[str]) -> None:
    assert [text[v.start : v.end] for v in find_vague_times(normalize(text))] == vague
