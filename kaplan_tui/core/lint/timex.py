"""Deadlines and windows in goal text, resolved against a reference date, with offsets.

Covers explicit dates, months, quarters and halves with or without a year, fiscal years (with a
configurable start), relative periods (今年, 下季度, 本月内, 年底前, this year, next quarter),
durations (三个月内, within 90 days), weekdays (下周五之前, by next Friday) and vague times
(尽快, ASAP). The text must be normalised first, so Traditional and full-width forms match too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from kaplan_tui.core.lint.numbers import parse_cn_int
from kaplan_tui.core.lint.patterns import LazyPattern

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EN_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
}
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "一": 0,
    "二": 1,
    "三": 2,
    "四": 3,
    "五": 4,
    "六": 5,
    "日": 6,
    "天": 6,
    "末": 6,
}


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression found in the text."""

    start: int
    end: int
    deadline: date
    """The latest reading of the deadline (the end of a window)."""
    earliest: date
    """The earliest reading: differs from ``deadline`` when the boundary is ambiguous."""
    kind: str
    """``date``, ``month``, ``quarter``, ``half``, ``year``, ``fy``, ``relative``, ``duration``."""
    relative: bool = False
    missing_year: bool = False
    ambiguous: bool = False
    marked: bool = False
    """A deadline marker is present (前, 之前, 内, by, before, within...)."""
    baseline: bool = False
    """A comparison period (比2024年, compared to 2024), not a deadline."""


@dataclass(frozen=True, slots=True)
class VagueTime:
    """A vague time word (尽快, ASAP)."""

    start: int
    end: int


def month_end(year: int, month: int) -> date:
    """The last day of ``month``."""
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return min(date(year, month + 1, 1).replace(day=1), month_end(year, month + 1)).replace(
        day=min(day.day, month_end(year, month + 1).day)
    )


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter."""
    return date(year, 3 * quarter - 2, 1), month_end(year, 3 * quarter)


def fiscal_year_bounds(name: int, fy_start: tuple[int, int]) -> tuple[date, date]:
    """First and last day of fiscal year ``name``.

    A fiscal year that does not start on 1 January is named after the calendar year in which it
    ends (FY2026 with an April start runs from 2025-04-01 to 2026-03-31), as most companies and
    the Indian and US conventions do.
    """
    month, day = fy_start
    if (month, day) == (1, 1):
        return date(name, 1, 1), date(name, 12, 31)
    end = date(name, month, min(day, month_end(name, month).day)) - timedelta(days=1)
    start = date(name - 1, month, min(day, month_end(name - 1, month).day))
    return start, end


def fiscal_year_of(day: date, fy_start: tuple[int, int]) -> int:
    """The name of the fiscal year that contains ``day``."""
    for name in (day.year, day.year + 1):
        start, end = fiscal_year_bounds(name, fy_start)
        if start <= day <= end:
            return name
    return day.year


def format_date(day: date, lang: str) -> str:
    """``2025年12月31日`` or ``Dec 31, 2025``."""
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{_MONTH_NAMES[day.month - 1]} {day.day}, {day.year}"


def format_deadline(day: date, lang: str) -> str:
    """A deadline phrase in the goal's language: ``2025年12月31日前`` or ``by Dec 31, 2025``."""
    return f"{format_date(day, 'zh')}前" if lang == "zh" else f"by {format_date(day, 'en')}"


# --- patterns ------------------------------------------------------------------------------

_Y = r"(?P<y>(?:19|20)\d{2})"
_CN_MONTH = r"十[一二]?|[一二三四五六七八九]"
_MON = rf"(?P<m>1[0-2]|0?[1-9]|{_CN_MONTH})"
_DAY = r"(?P<d>3[01]|[12]\d|0?[1-9]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_EN_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_EN_MARK = (
    r"(?:(?P<mk>by|before|until|till|through|thru|no later than|on or before|prior to|ahead of"
    r"|due(?: by)?|in|during|for|within|throughout|over)\s+)?"
    r"(?:(?P<eo>(?:the\s+)?(?:end|close)\s+of)\s+(?:the\s+)?)?"
)
_ZH_SUFFIX = r"(?P<sfx>\s*(?:结束之?前|之前|以前|前|为止|之内|以内|内|止))?"
_NUMWORD = r"(?P<n>\d+|[一二两三四五六七八九十百]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|thirty|sixty|ninety)"  # noqa: E501

_I = re.IGNORECASE

_P_ISO = LazyPattern(
    _EN_MARK
    + rf"(?<!\d){_Y}[-/.](?P<m>1[0-2]|0?[1-9])[-/.](?P<d>3[01]|[12]\d|0?[1-9])(?!\d)"
    + _ZH_SUFFIX,
    _I,
)
_P_US = LazyPattern(
    _EN_MARK + rf"(?<![\d/])(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/{_Y}(?!\d)" + _ZH_SUFFIX, _I
)
_P_ZH_YMD = LazyPattern(
    rf"{_Y}\s*年\s*{_MON}\s*月\s*(?:份)?(?:{_DAY}\s*[日号]|(?P<me>底|末|中|初))?" + _ZH_SUFFIX
)
_P_ZH_MD = LazyPattern(
    rf"(?<![\d年个第每近])(?<!\d\s){_MON}\s*月\s*(?:份)?(?:{_DAY}\s*[日号]|(?P<me>底|末|中|初))?"
    + _ZH_SUFFIX
)
_P_YQ = LazyPattern(
    _EN_MARK
    + rf"{_Y}\s*年?\s*-?\s*(?:第\s*)?(?:Q\s*(?P<q>[1-4])|(?P<qc>[一二三四1-4])\s*季度)"
    + r"(?P<qe>末|底)?"
    + _ZH_SUFFIX,
    _I,
)
_P_QY = LazyPattern(
    _EN_MARK + rf"(?<![A-Za-z0-9])Q(?P<q>[1-4])\s*(?:of\s+)?'?{_Y}(?!\d)" + _ZH_SUFFIX, _I
)
_P_FYQ = LazyPattern(
    _EN_MARK
    + r"(?:FY\s*'?(?P<fy>(?:19|20)\d{2}|\d{2})\s*-?\s*Q(?P<q>[1-4])"
    + r"|Q(?P<q2>[1-4])\s*FY\s*'?(?P<fy2>(?:19|20)\d{2}|\d{2}))(?![0-9])"
    + _ZH_SUFFIX,
    _I,
)
_P_Q = LazyPattern(
    _EN_MARK
    + r"(?:(?<![A-Za-z0-9])Q(?P<q>[1-4])(?![0-9A-Za-z])"
    + r"|(?<![每近])(?:第\s*)?(?P<qc>[一二三四])\s*季度"
    r"|(?P<qo>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+of\s+(?:the\s+year\s+)?"
    + _Y
    + r")?)(?P<qe>末|底)?"
    + _ZH_SUFFIX,
    _I,
)
_P_REL_Q = LazyPattern(
    r"(?P<r>今年|明年|本年度?|次年)\s*(?:的)?\s*(?:第\s*)?(?:Q(?P<q>[1-4])|(?P<qc>[一二三四1-4])\s*季度)"
    r"(?P<qe>末|底)?" + _ZH_SUFFIX,
    _I,
)
_P_HALF = LazyPattern(
    _EN_MARK
    + r"(?:"
    + rf"{_Y}\s*年?\s*(?:(?P<h>上|下)半年|-?\s*H(?P<hn>[12])(?![0-9]))"
    + r"|(?P<r>今年|明年|本年度?)\s*(?:的)?\s*(?P<h2>上|下)半年"
    + r"|(?P<h3>上|下)半年"
    + r"|(?<![A-Za-z0-9])H(?P<hn2>[12])(?![0-9A-Za-z])(?:\s*'?(?P<y2>(?:19|20)\d{2}))?"
    + r"|(?<![A-Za-z0-9])(?P<hn3>[12])H(?![0-9A-Za-z])(?:\s*'?(?P<y3>(?:19|20)\d{2}))?"
    + r"|(?P<ho>first|second|1st|2nd|latter|back)\s+half(?:\s+of\s+(?:the\s+year|(?P<y4>(?:19|20)\d{2})))?"  # noqa: E501
    + r")(?P<he>末|底)?"
    + _ZH_SUFFIX,
    _I,
)
_P_ZH_YEAR = LazyPattern(
    r"(?P<y>(?:19|20)\d{2}|二[〇零一二三四五六七八九]{3})\s*(?P<fyw>财年|财政年度|年度|年)"
    r"(?P<ye>年底|年末|底|末|结束)?" + _ZH_SUFFIX
)
_P_EN_YEAR = LazyPattern(
    r"(?:(?P<mk>by|before|until|till|through|thru|in|during|for|within|throughout)\s+"
    r"|(?P<eo>(?:the\s+)?(?:end|close)\s+of)\s+)(?:the\s+)?(?:(?P<eo2>end\s+of)\s+)?"
    r"(?:calendar\s+(?:year\s+)?)?" + _Y + r"(?![\d/.-]|\s*(?:年|Q|H[12]))",
    _I,
)
_P_FY = LazyPattern(
    _EN_MARK
    + r"(?:(?:FY|fiscal\s+(?:year\s+)?)\s*'?(?P<fy>(?:19|20)\d{2}|\d{2})(?![0-9])"
    + r"|(?P<fyrel>this|current|the\s+current|next|the\s+next|coming)\s+fiscal\s+year"
    + r"|(?<=end of )(?:the\s+)?(?:FY|fiscal\s+year)(?![A-Za-z0-9])"
    + r"|(?P<zfy>本财年|本财政年度|下一?个?财年|下一?个?财政年度|本财务年度|今年财年|明年财年))"
    + _ZH_SUFFIX,
    _I,
)
_P_EN_DATE = LazyPattern(
    _EN_MARK
    + r"(?:"
    + _EN_MON
    + r"\s+(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![0-9])(?:,?\s*(?P<y>(?:19|20)\d{2}))?"
    + r"|(?P<d2>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + r"(?P<mon2>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    + r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
    + r"(?:,?\s*(?P<y2>(?:19|20)\d{2}))?"
    + r")(?![A-Za-z])",
    _I,
)
_P_EN_MONTH = LazyPattern(
    _EN_MARK + _EN_MON + r"(?![A-Za-z])(?:,?\s*(?P<y>(?:19|20)\d{2})(?!\d))?", _I
)
_P_EN_REL = LazyPattern(
    _EN_MARK
    + r"(?:(?P<rel>this|current|the\s+current|next|the\s+next|coming|the\s+coming|following)\s+"
    r"(?P<u>year|quarter|month|week|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?P<ye>year[- ]end|quarter[- ]end|month[- ]end|eoy|eoq|eom)"
    r"|(?<=end of )(?:the\s+)?(?P<u2>year|quarter|month|week)"
    r"|(?P<td>today|tomorrow))(?![A-Za-z])",
    _I,
)
_P_EN_DUR = LazyPattern(
    r"(?P<mk>within|in|over|during|inside(?:\s+of)?)\s+(?:the\s+)?(?:(?:next|coming|following)\s+)?"
    + _NUMWORD
    + r"\s+(?P<u>days?|weeks?|months?|quarters?|years?)(?![A-Za-z])"
    + r"|(?P<mk2>next|coming)\s+"
    + _NUMWORD.replace("?P<n>", "?P<n2>")
    + r"\s+(?P<u2>days?|weeks?|months?|quarters?|years?)(?![A-Za-z])",
    _I,
)
_P_ZH_REL = LazyPattern(
    r"(?P<r>今年|本年度?|年内|年底|年末|年中|明年|后年|本季度|这个季度|本季|当季|下季度|下个季度|下一季度"
    r"|下一个季度|下季|季度末|季末|本月|这个月|当月|月底|月末|下月|下个月|下一个月|本周|这周|这个星期"
    r"|下周|下个星期|下星期|下礼拜|本年底|明年底)"
    r"(?P<x>底|末|初|中)?(?P<wd>[一二三四五六日天末])?" + _ZH_SUFFIX
)
_P_ZH_WEEKDAY = LazyPattern(r"(?<![下本这])(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])" + _ZH_SUFFIX)
_P_ZH_DUR = LazyPattern(
    r"(?P<pre>未来|接下来的?|今后)?\s*(?P<n>\d+|[一二两三四五六七八九十百半]+)\s*(?:个)?"
    r"(?P<u>个工作日|工作日|月|天|日|周|星期|年|季度)(?:半)?\s*(?P<sfx>之内|以内|内|后)?"
)

_BASELINE_BEFORE = LazyPattern(
    r"(?:比|较|相比|相较于?|对比|同比|环比|compared\s+(?:to|with)|vs\.?|versus|than|since|从|from)"
    r"\s*(?:the\s+)?$",
    _I,
)
_CONTRACT_AFTER = LazyPattern(r"\s*(?:的)?(?:框架|合同|协议|合约|预算|招标|采购计划|订单|框采|版)")
_ZH_MARK_BEFORE = LazyPattern(r"(?:到|至|截至|截止到?|最迟|最晚|不晚于|赶在|务必在|须在|在)\s*$")
_VAGUE = LazyPattern(
    r"尽快|尽早|尽速|及早|早日|近期|近日|适时|择机|将来|今后|日后|往后|迟早|有朝一日|未来(?![\d一二两三四五六七八九十半]|几)"
    r"|短期内|马上|随时|不久|(?<![A-Za-z])(?:asap|as\s+soon\s+as\s+(?:possible|we\s+can|feasible)"
    r"|soon(?:er\s+rather\s+than\s+later)?|eventually|going\s+forward|moving\s+forward|over\s+time"
    r"|in\s+the\s+(?:near\s+|distant\s+)?future|some\s*day|at\s+some\s+point|in\s+due\s+course"
    r"|in\s+the\s+long\s+run|down\s+the\s+road|when\s+possible|in\s+the\s+coming\s+(?:months|weeks|years|quarters)"
    r"|over\s+the\s+coming\s+(?:months|weeks|years|quarters)|before\s+long|in\s+time|at\s+the\s+earliest"
    r"|shortly|promptly|quickly|ongoing)(?![A-Za-z])",
    _I,
)


_EN_BEFORE = (
    "by ", "before ", "until ", "till ", "no later than", "prior to", "ahead of", "on or before",
    "due", "through ", "thru ",
)  # fmt: skip


def _num(token: str | None) -> int | None:
    if token is None:
        return None
    if token.isdigit():
        return int(token)
    if token.lower() in _EN_NUMBERS:
        return _EN_NUMBERS[token.lower()]
    return parse_cn_int(token)


def _year(token: str) -> int:
    value = _num(token)
    return value if value is not None else 0


def _fy_name(token: str) -> int:
    value = int(token)
    return value + 2000 if value < 100 else value


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), month_end(year, month)


def _half_bounds(year: int, half: int) -> tuple[date, date]:
    return date(year, 6 * half - 5, 1), month_end(year, 6 * half)


def _next_window(
    ref: date, bounds: Callable[[int, int], tuple[date, date]], which: int
) -> tuple[date, date]:
    """The window of the reference year, or of the next year when it has already ended."""
    start, end = bounds(ref.year, which)
    if end < ref:
        return bounds(ref.year + 1, which)
    return start, end


@dataclass
class _Found:
    start: int
    end: int
    first: date
    last: date
    kind: str
    relative: bool = False
    missing_year: bool = False
    period: bool = False
    """A window rather than a day, so '前' or 'by' makes its boundary ambiguous."""
    ends: bool = False
    """The text says 'end of' (底, 末, end of), so the boundary is not ambiguous."""


def _en_marker(m: re.Match[str]) -> tuple[str, bool]:
    groups = m.re.groupindex
    mk = (m.group("mk") or "").lower() if "mk" in groups else ""
    eo = bool(m.group("eo")) if "eo" in groups else False
    return mk, eo


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_DIGIT = LazyPattern(r"\d")
_LATIN = LazyPattern(r"[A-Za-z]")
_MONTH_HINT = LazyPattern(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", _I)
_REL_HINT = LazyPattern(r"this|current|next|coming|following|end|eo[ymq]|today|tomorrow", _I)
_DUR_HINT = LazyPattern(r"day|week|month|quarter|year", _I)
_HALF_HINT = LazyPattern(r"[Hh][12]|[12][Hh]|半年|half", _I)
_Q_HINT = LazyPattern(r"[Qq][1-4]|季度|quarter", _I)


def _iter_candidates(text: str, ref: date, fy_start: tuple[int, int]) -> list[_Found]:
    out: list[_Found] = []
    # Cheap gates: a pattern runs only when the text holds what it needs. Scanning a 60-character
    # goal with a large pattern costs tens of microseconds; the gates cost well under one.
    low = text.lower()
    digit = _DIGIT.search(text) is not None
    latin = _LATIN.search(text) is not None
    quarter = _Q_HINT.search(text) is not None
    empty: tuple[re.Match[str], ...] = ()

    def scan(pattern: LazyPattern, gate: bool) -> Iterator[re.Match[str]]:
        return pattern.finditer(text) if gate else iter(empty)

    def add(m: re.Match[str], first: date, last: date, kind: str, **flags: bool) -> None:
        out.append(_Found(m.start(), m.end(), first, last, kind, **flags))

    for m in scan(_P_ISO, digit and ("-" in text or "/" in text or "." in text)):
        d = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        if d:
            add(m, d, d, "date")
    for m in scan(_P_US, digit and "/" in text):
        a, b = int(m["a"]), int(m["b"])
        month, day = (b, a) if a > 12 else (a, b)
        d = _safe_date(int(m["y"]), month, day)
        if d:
            add(m, d, d, "date")
    for m in scan(_P_ZH_YMD, "年" in text and "月" in text):
        year, month = _year(m["y"]), _num(m["m"]) or 0
        if not 1 <= month <= 12:
            continue
        if m["d"]:
            d = _safe_date(year, month, _num(m["d"]) or 0)
            if d:
                add(m, d, d, "date")
        else:
            last = month_end(year, month)
            add(m, date(year, month, 1), last, "month", period=True, ends=bool(m["me"]))
    for m in scan(_P_ZH_MD, "月" in text):
        month = _num(m["m"]) or 0
        if not 1 <= month <= 12:
            continue
        if m["d"]:
            day = _num(m["d"]) or 0
            d = _safe_date(ref.year, month, day)
            if d and d < ref:
                d = _safe_date(ref.year + 1, month, day)
            if d:
                add(m, d, d, "date", missing_year=True)
        else:
            first, last = _next_window(ref, _month_bounds, month)
            add(m, first, last, "month", missing_year=True, period=True, ends=bool(m["me"]))
    for pattern in (_P_YQ, _P_QY):
        for m in scan(pattern, digit and quarter):
            q = _num(m["q"] if "q" in m.re.groupindex and m["q"] else m.groupdict().get("qc"))
            if not q or not 1 <= q <= 4:
                continue
            first, last = quarter_bounds(int(m["y"]), q)
            _, eo = _en_marker(m)
            ends = eo or bool(m.groupdict().get("qe"))
            add(m, first, last, "quarter", period=True, ends=ends)
    for m in scan(_P_FYQ, "fy" in low):
        fy = _fy_name(m["fy"] or m["fy2"])
        q = int(m["q"] or m["q2"])
        fy_first, _ = fiscal_year_bounds(fy, fy_start)
        first = add_months(fy_first, 3 * (q - 1))
        last = add_months(fy_first, 3 * q) - timedelta(days=1)
        add(m, first, last, "quarter", period=True, ends=_en_marker(m)[1])
    for m in scan(_P_Q, quarter):
        if m["qo"]:
            q = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}.get(
                m["qo"].lower(), 4
            )
        else:
            q = _num(m["q"] or m["qc"]) or 0
        if not 1 <= q <= 4:
            continue
        ends = _en_marker(m)[1] or bool(m["qe"])
        if m["y"]:
            first, last = quarter_bounds(int(m["y"]), q)
            add(m, first, last, "quarter", period=True, ends=ends)
        else:
            first, last = _next_window(ref, quarter_bounds, q)
            add(m, first, last, "quarter", missing_year=True, period=True, ends=ends)
    for m in scan(_P_REL_Q, quarter and "年" in text):
        q = _num(m["q"] or m["qc"]) or 0
        if not 1 <= q <= 4:
            continue
        year = ref.year + (1 if m["r"] in ("明年", "次年") else 0)
        first, last = quarter_bounds(year, q)
        add(m, first, last, "quarter", relative=True, period=True, ends=bool(m["qe"]))
    for m in scan(_P_HALF, _HALF_HINT.search(text) is not None):
        half_word = m["h"] or m["h2"] or m["h3"]
        if half_word:
            h = 1 if half_word == "上" else 2
        elif m["ho"]:
            h = 1 if m["ho"].lower() in ("first", "1st") else 2
        else:
            h = int(m["hn"] or m["hn2"] or m["hn3"])
        year_token = m["y"] or m["y2"] or m["y3"] or m["y4"]
        ends = _en_marker(m)[1] or bool(m["he"])
        if year_token:
            y = int(year_token)
            add(m, date(y, 6 * h - 5, 1), month_end(y, 6 * h), "half", period=True, ends=ends)
        elif m["r"]:
            y = ref.year + (1 if m["r"] == "明年" else 0)
            add(
                m,
                date(y, 6 * h - 5, 1),
                month_end(y, 6 * h),
                "half",
                relative=True,
                period=True,
                ends=ends,
            )
        else:
            first, last = _next_window(ref, _half_bounds, h)
            # 上半年/下半年 alone mean this year's halves in Chinese; a bare H2 lacks its year.
            bare_zh = bool(m["h3"])
            add(
                m,
                first,
                last,
                "half",
                relative=bare_zh,
                missing_year=not bare_zh,
                period=True,
                ends=ends,
            )
    for m in scan(_P_ZH_YEAR, "年" in text or "财" in text):
        if _CONTRACT_AFTER.match(text, m.end()) and not m["sfx"] and not m["ye"]:
            continue  # 签署2026年度框架协议: the contract's year, not a deadline
        year = _year(m["y"])
        if not 1900 <= year <= 2100:
            continue
        if m["fyw"] == "财年":
            first, last = fiscal_year_bounds(year, fy_start)
            add(m, first, last, "fy", period=True, ends=bool(m["ye"]))
        else:
            add(m, date(year, 1, 1), date(year, 12, 31), "year", period=True, ends=bool(m["ye"]))
    for m in scan(_P_EN_YEAR, latin and digit):
        year = int(m["y"])
        ends = bool(m["eo"] or m["eo2"])
        add(m, date(year, 1, 1), date(year, 12, 31), "year", period=True, ends=ends)
    for m in scan(_P_FY, "fy" in low or "fiscal" in low or "财" in text):
        if m["fy"]:
            name = _fy_name(m["fy"])
            rel = False
        else:
            word = (m["fyrel"] or m["zfy"] or "").lower()
            name = fiscal_year_of(ref, fy_start) + (1 if ("next" in word or "下" in word) else 0)
            rel = True
        first, last = fiscal_year_bounds(name, fy_start)
        ends = _en_marker(m)[1] or text[max(0, m.start() - 7) : m.start()].lower().endswith(
            "end of "
        )
        add(m, first, last, "fy", relative=rel, period=True, ends=ends)
    for m in scan(_P_EN_DATE, latin and digit and _MONTH_HINT.search(text) is not None):
        mon = (m["mon"] or m["mon2"] or "")[:3].lower()
        day = int(m["d"] or m["d2"])
        year_token = m["y"] or m["y2"]
        if mon == "may" and not year_token and not m["mk"]:
            continue  # 'may' the verb
        month = _MONTHS[mon]
        if year_token:
            d = _safe_date(int(year_token), month, day)
            if d:
                add(m, d, d, "date")
        else:
            d = _safe_date(ref.year, month, day)
            if d and d < ref:
                d = _safe_date(ref.year + 1, month, day)
            if d:
                add(m, d, d, "date", missing_year=True)
    for m in scan(_P_EN_MONTH, latin and _MONTH_HINT.search(text) is not None):
        mon = m["mon"][:3].lower()
        mk, eo = _en_marker(m)
        if not m["y"] and not (mk or eo):
            continue  # a bare month name: too easily a word (May, March)
        if mon == "may" and not m["y"] and mk not in ("by", "in", "before", "until", "till"):
            continue
        month = _MONTHS[mon]
        if m["y"]:
            y = int(m["y"])
            add(m, date(y, month, 1), month_end(y, month), "month", period=True, ends=eo)
        else:
            first, last = _next_window(ref, _month_bounds, month)
            add(m, first, last, "month", missing_year=True, period=True, ends=eo)
    for m in scan(_P_EN_REL, latin and _REL_HINT.search(text) is not None):
        _, eo = _en_marker(m)
        unit = (m["u"] or m["u2"] or "").lower()
        rel_word = (m["rel"] or "").lower()
        nxt = 1 if any(w in rel_word for w in ("next", "coming", "following")) else 0
        if m["td"]:
            d = ref + timedelta(days=0 if m["td"].lower() == "today" else 1)
            add(m, d, d, "relative", relative=True)
            continue
        if m["ye"]:
            unit = {"y": "year", "q": "quarter", "m": "month"}[
                m["ye"].lower().removeprefix("eo")[0]
            ]
            eo = True
        first, last = _relative_window(unit, nxt, ref)
        add(m, first, last, "relative", relative=True, period=True, ends=eo)
    for m in scan(_P_EN_DUR, latin and _DUR_HINT.search(text) is not None):
        n = _num(m["n"] or m["n2"])
        unit = (m["u"] or m["u2"] or "").lower().rstrip("s")
        if not n:
            continue
        last = _after(ref, n, unit)
        add(m, ref, last, "duration", relative=True)
    for m in scan(_P_ZH_REL, any(ch in text for ch in "年季月周星礼")):
        word = m["r"]
        if word in ("下周", "下个星期", "下星期", "下礼拜", "本周", "这周", "这个星期") and m["wd"]:
            monday = ref - timedelta(days=ref.weekday())
            if word.startswith("下"):
                monday += timedelta(days=7)
            d = monday + timedelta(days=_WEEKDAYS[m["wd"]])
            add(m, d, d, "relative", relative=True)
            continue
        unit, nxt, ends = _zh_relative(word, m["x"])
        first, last = _relative_window(unit, nxt, ref)
        if word == "年中":
            last = (
                date(ref.year, 6, 30) if ref <= date(ref.year, 6, 30) else date(ref.year + 1, 6, 30)
            )
            ends = True
        add(m, first, last, "relative", relative=True, period=True, ends=ends)
    for m in scan(_P_ZH_WEEKDAY, "周" in text or "星期" in text or "礼拜" in text):
        target = _WEEKDAYS[m["wd"]]
        delta = (target - ref.weekday()) % 7
        d = ref + timedelta(days=delta or 7)
        add(m, d, d, "relative", relative=True)
    for m in scan(_P_ZH_DUR, "内" in text or "未来" in text or "接下来" in text or "今后" in text):
        if not (m["pre"] or m["sfx"] in ("之内", "以内", "内")):
            continue
        token = m["n"]
        unit = {
            "月": "month",
            "天": "day",
            "日": "day",
            "周": "week",
            "星期": "week",
            "年": "year",
            "季度": "quarter",
            "工作日": "workday",
            "个工作日": "workday",
        }[m["u"]]
        if token == "半":
            n, unit = (
                (6, "month") if unit == "year" else (15, "day") if unit == "month" else (1, unit)
            )
        else:
            n = _num(token) or 0
        if not n:
            continue
        add(m, ref, _after(ref, n, unit), "duration", relative=True)
    return out


def _after(ref: date, n: int, unit: str) -> date:
    if unit == "day":
        return ref + timedelta(days=n)
    if unit == "workday":
        return ref + timedelta(days=n * 7 // 5)
    if unit == "week":
        return ref + timedelta(weeks=n)
    if unit == "quarter":
        return add_months(ref, 3 * n)
    if unit == "year":
        return add_months(ref, 12 * n)
    return add_months(ref, n)


def _zh_relative(word: str, extra: str | None) -> tuple[str, int, bool]:
    ends = extra in ("底", "末") or word.endswith(("底", "末"))
    if "年" in word and "季" not in word:
        nxt = 2 if word.startswith("后") else 1 if word.startswith("明") else 0
        return "year", nxt, ends
    if "季" in word:
        return "quarter", 1 if word.startswith("下") else 0, ends
    if "月" in word:
        return "month", 1 if word.startswith("下") else 0, ends
    return "week", 1 if word.startswith("下") else 0, ends


def _relative_window(unit: str, nxt: int, ref: date) -> tuple[date, date]:
    if unit == "year":
        y = ref.year + nxt
        return date(y, 1, 1), date(y, 12, 31)
    if unit == "quarter":
        q0 = (ref.month - 1) // 3 + nxt
        y, q = ref.year + q0 // 4, q0 % 4 + 1
        return quarter_bounds(y, q)
    if unit == "month":
        first = add_months(ref.replace(day=1), nxt)
        return first, month_end(first.year, first.month)
    if unit in _WEEKDAYS:
        monday = ref - timedelta(days=ref.weekday())
        d = monday + timedelta(days=7 * nxt + _WEEKDAYS[unit])
        if nxt == 0 and d < ref:
            d += timedelta(days=7)
        return d, d
    monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=nxt)
    return monday, monday + timedelta(days=6)


def find_times(text: str, ref: date, fy_start: tuple[int, int] = (1, 1)) -> list[TimeExpr]:
    """Every time expression in ``text``, longest first where they overlap, in text order."""
    found = _iter_candidates(text, ref, fy_start)
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    chosen: list[_Found] = []
    last_end = -1
    for f in found:
        if f.start >= last_end:
            chosen.append(f)
            last_end = f.end
    out: list[TimeExpr] = []
    for f in chosen:
        span = text[f.start : f.end]
        low = span.lower()
        zh_suffix = span.rstrip().endswith(("前", "之前", "以前", "为止", "止"))
        within = span.rstrip().endswith(("内", "以内", "之内"))
        en_before = low.startswith(
            (
                "by ",
                "before ",
                "until ",
                "till ",
                "no later than",
                "prior to",
                "ahead of",
                "on or before",
                "due",
                "through ",
                "thru ",
            )
        )
        en_within = low.startswith(("within", "in the next", "over the next", "next ", "inside"))
        ends = f.ends or "底" in span or "末" in span or "end" in low
        ambiguous = f.period and not ends and (zh_suffix or en_before)
        marked = (
            zh_suffix
            or within
            or en_before
            or en_within
            or ends
            or f.kind == "duration"
            or bool(_ZH_MARK_BEFORE.search(text, max(0, f.start - 6), f.start))
        )
        baseline = bool(_BASELINE_BEFORE.search(text, max(0, f.start - 16), f.start))
        earliest = f.first - timedelta(days=1) if ambiguous else f.last
        out.append(
            TimeExpr(
                start=f.start,
                end=f.end,
                deadline=f.last,
                earliest=min(earliest, f.last),
                kind=f.kind,
                relative=f.relative,
                missing_year=f.missing_year,
                ambiguous=ambiguous,
                marked=marked,
                baseline=baseline,
            )
        )
    return out


def find_vague_times(text: str, blocked: list[tuple[int, int]] | None = None) -> list[VagueTime]:
    """Vague time words (尽快, ASAP, going forward) outside ``blocked`` spans."""
    out = []
    for m in _VAGUE.finditer(text):
        if blocked and any(s < m.end() and m.start() < e for s, e in blocked):
            continue
        out.append(VagueTime(m.start(), m.end()))
    return out


def choose_deadline(times: list[TimeExpr]) -> TimeExpr | None:
    """The expression that most likely states the goal's deadline.

    Comparison periods (比2024年) are skipped. Marked deadlines (前, by, within) win over bare
    windows; among equals the latest wins, because a goal with sub-targets ends with its last one.
    """
    candidates = [t for t in times if not t.baseline]
    if not candidates:
        return None
    marked = [t for t in candidates if t.marked]
    pool = marked or candidates
    return max(pool, key=lambda t: (t.deadline, -t.start))
