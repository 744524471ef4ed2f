"""Cell parsing, tolerant names, stable ids, encodings and the mapping file."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kaplan_tui.importers.mapping import ImportMap, MapError, load_map
from kaplan_tui.importers.tables import ReadError, decode
from kaplan_tui.importers.values import (
    CellError,
    column_letter,
    name_key,
    parse_amount,
    parse_count,
    parse_date,
    stable_id,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1054", Decimal(1054)),
        ("1,054.50", Decimal("1054.50")),
        ("$1,054", Decimal(1054)),
        ("¥1054元", Decimal(1054)),
        ("１２３４", Decimal(1234)),
        ("12.5万", Decimal(125000)),
        ("3亿", Decimal(300_000_000)),
        (" 0 ", Decimal(0)),
        (4514, Decimal(4514)),
        (1100.04, Decimal("1100.04")),
        ("", None),
        (None, None),
    ],
)
def test_amounts(value: str | int | float | None, expected: Decimal | None) -> None:
    assert parse_amount(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("10x54", "bad_amount"),
        ("1.2.3", "bad_amount"),
        ("-5", "negative_amount"),
        ("(300)", "negative_amount"),
        (float("nan"), "bad_amount"),
    ],
)
def test_bad_amounts(value: str | float, code: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_amount(value)
    assert exc.value.code == code


def test_counts() -> None:
    assert parse_count("2,822") == 2822
    assert parse_count(2822.0) == 2822
    with pytest.raises(CellError, match="bad_count"):
        parse_count("28.5")


@pytest.mark.parametrize(
    "value",
    [
        "2017-03-01",
        "2017/3/1",
        "2017.03.01",
        "2017年3月1日",
        "2017-03-01 10:30:00",
        "2017-03-01T10:30:00Z",
        dt.datetime(2017, 3, 1, 9, 0),
        dt.date(2017, 3, 1),
    ],
)
def test_dates(value: str | dt.date) -> None:
    assert parse_date(value) == dt.date(2017, 3, 1)


def test_dates_that_need_a_format() -> None:
    assert parse_date("", None) is None
    for bad in ("03/01/2017", "2017-13-45", "soon"):
        with pytest.raises(CellError, match="bad_date"):
            parse_date(bad)
    assert parse_date("03/31/2017", "%m/%d/%Y") == dt.date(2017, 3, 31)
    with pytest.raises(CellError, match="bad_date_format"):
        parse_date("2017-03-31", "%m/%d/%Y")


def test_names_match_tolerantly_and_ids_are_stable() -> None:
    assert name_key("GTXPro") == name_key("GTX Pro") == name_key(" gtx-pro ")
    assert name_key("ＧＴＸ Pro") == name_key("GTX Pro")
    assert name_key("GTX Pro") != name_key("GTX Plus Pro")
    assert stable_id("acc", "Acme Corporation") == stable_id("acc", "ACME  corporation")
    assert stable_id("acc", "Acme Corporation").startswith("acc-acme-corporation-")
    assert stable_id("acc", "华为技术").startswith("acc-hua-wei-ji-shu-")
    assert stable_id("acc", "Acme") != stable_id("p", "Acme")


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 7, 25, 26, 27, 701, 702)] == [
        "A",
        "H",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_encodings_are_detected() -> None:
    text = "客户名称,金额\n华为,12\n"
    assert decode(text.encode("utf-8"), "f") == (text, "utf-8")
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8"), "f") == (text, "utf-8-sig")
    assert decode(text.encode("gbk"), "f") == (text, "gb18030")
    assert decode(text.encode("gb18030"), "f") == (text, "gb18030")
    assert decode(text.encode("utf-16"), "f") == (text, "utf-16")
    with pytest.raises(ReadError, match="not utf-8"):
        decode(text.encode("gbk"), "f", "utf-8")


def test_chinese_and_english_headers_and_stages() -> None:
    m = ImportMap.default()
    assert m.field_of("deals", "成交金额") == m.field_of("deals", "Close Value") == "close_value"
    assert m.field_of("deals", "负责人") == "sales_agent"
    assert m.field_of("accounts", "负责人") == "owner"
    assert m.field_of("teams", "区域") == "regional_office"
    assert m.field_of("deals", "备注") is None
    for won in ("Won", "赢单", "成交", "Closed Won"):
        assert m.stage_of(won) is not None and m.stage_of(won).outcome == "won"  # type: ignore[union-attr]
    assert m.stage_of("输单").outcome == "lost"  # type: ignore[union-attr]
    assert m.stage_of("跟进中").label == "Engaging"  # type: ignore[union-attr]
    assert m.stage_of("maybe") is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[colums]\n", "unknown section"),
        ("[columns.leads]\na = 'account'\n", "tables are"),
        ("[columns.deals]\na = 'nope'\n", "fields of deals"),
        ("[options]\nspeed = 1\n", "options are"),
        ("[options]\nencoding = 'klingon'\n", "unknown 'klingon'"),
        ("[options]\ncurrency = 'usd'\n", "3-letter"),
        ("[options]\nteams_by = 'city'\n", "region or manager"),
        ("[stages]\nx = ''\n", "won, lost"),
        ("not toml = = 1", "not valid TOML"),
    ],
)
def test_bad_mapping_files_name_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(MapError, match=fragment) as exc:
        load_map(text, "m.toml")
    assert str(exc.value).startswith("m.toml: ")
