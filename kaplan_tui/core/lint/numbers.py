"""Numbers and quantities in goal text, with character offsets.

Handles Arabic numerals with thousands separators and decimals, Chinese numerals (``五百万``,
``两千三百万``, ``百分之九十五``), mixed forms (``500万``, ``1.2亿``, ``3,000萬``), k/M/B suffixes,
percentages and percentage points, currencies, Chinese classifiers and English count nouns.
The text is expected to be normalised first (:func:`kaplan_tui.core.lint.normalize.normalize`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kaplan_tui.core.lint.patterns import LazyPattern

QuantityKind = Literal["percent", "pp", "money", "count", "duration", "multiplier", "plain"]

_CN_DIGIT = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4,
    "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9,
    "玖": 9,
}  # fmt: skip
_CN_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(_CN_DIGIT) + "".join(_CN_SMALL) + "".join(_CN_BIG)


def parse_cn_int(token: str) -> int | None:
    """The value of a Chinese numeral such as ``四百五十万``, ``十二`` or ``二〇二五``.

    Returns:
        The integer, or None when ``token`` is not a well-formed numeral.
    """
    if not token or any(ch not in CN_NUMERAL_CHARS for ch in token):
        return None
    if all(ch in _CN_DIGIT for ch in token):
        # Digit by digit (二〇二五); a single digit is itself.
        return int("".join(str(_CN_DIGIT[ch]) for ch in token))
    total = section = number = 0
    seen_digit = False
    for ch in token:
        if ch in _CN_DIGIT:
            number = _CN_DIGIT[ch]
            seen_digit = True
        elif ch in _CN_SMALL:
            if number == 0 and not seen_digit:
                if ch not in "十拾":
                    return None  # 百, 千万 (the adverb) are words, not numbers
                number = 1  # 十二 = 12, 百分之十 = 10
            section += number * _CN_SMALL[ch]
            number = 0
            seen_digit = True
        else:
            if not seen_digit:
                return None  # 万一, 千万 (the adverb) are not numbers
            section += number
            number = 0
            if ch == "亿":
                total = (total + section) * _CN_BIG[ch]
            else:
                total += section * _CN_BIG[ch]
            section = 0
    return total + section + number


_MAGNITUDE = {
    "千万": 10_000_000, "百万": 1_000_000, "十万": 100_000, "万": 10_000, "亿": 100_000_000,
    "千": 1_000, "百": 100, "k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000,
    "MM": 1_000_000, "mn": 1_000_000, "b": 1_000_000_000, "B": 1_000_000_000,
    "bn": 1_000_000_000, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
}  # fmt: skip

_CURRENCY_WORDS = {
    "¥": "CNY", "$": "USD", "€": "EUR", "£": "GBP", "US$": "USD", "NT$": "TWD", "HK$": "HKD",
    "RMB": "CNY", "CNY": "CNY", "USD": "USD", "EUR": "EUR", "TWD": "TWD", "HKD": "HKD",
    "GBP": "GBP", "JPY": "JPY", "人民币": "CNY", "新台币": "TWD", "台币": "TWD", "美元": "USD",
    "港币": "HKD", "港元": "HKD", "欧元": "EUR", "英镑": "GBP", "日元": "JPY", "元": "CNY",
    "块": "CNY", "块钱": "CNY", "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
}  # fmt: skip

_AR = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CN = f"[{CN_NUMERAL_CHARS}]+"
_PRE = r"US\$|NT\$|HK\$|RMB|CNY|USD|EUR|TWD|HKD|GBP|JPY|[¥$€£]|人民币|新台币|台币|美元|港币|欧元"
_POST_MONEY = (
    r"人民币|新台币|美元|欧元|英镑|港币|港元|日元|块钱|元|块|"
    + r"RMB|CNY|USD|EUR|TWD|HKD|dollars?|euros?"
)
_CLASSIFIERS = "家个位名次场份单笔台套户人项款张件条批轮所座间辆席"

QUANTITY_RE = LazyPattern(
    rf"(?P<pre>(?:{_PRE})\s?)?"
    rf"(?:(?P<pctcn>百分之)(?P<pctnum>{_AR}|{_CN})|(?P<num>{_AR})|(?P<cn>{_CN}))"
    r"(?P<mag>\s?(?:千万|百万|十万|万|亿|千(?!克)|百(?!分))"
    r"|\s?(?:thousand|million|billion|MM|mn|bn|[kKMB]|[mb](?=\W|$))(?![A-Za-z]))?"
    r"(?P<post>\s?(?:%|个?百分点|pp(?![A-Za-z])|percentage points?|percent(?:age)?(?![A-Za-z])"
    r"|pct|pts?(?![A-Za-z])|points?(?![A-Za-z]))"
    rf"|多?(?:{_POST_MONEY})"
    rf"|多?个?(?:[{_CLASSIFIERS}])"
    r"|多?(?:天|周|个?工作日|小时)"
    r"|倍|分(?!之|钟)"
    r"|\s?(?:x|X)(?![A-Za-z]))?"
)
"""One number with its currency, magnitude and unit."""

_BEFORE_BLOCK = LazyPattern(
    r"(?:[A-Za-z]|(?:tier|level|phase|version|wave|round|stage|gen|no\.|#|第|v)\s*-?\s*)$",
    re.IGNORECASE,
)
_AFTER_BLOCK = LazyPattern(r"[A-Za-z]|[年月日号时秒季]|\.\d")
_EN_COUNT_NOUN = LazyPattern(
    r"\s+(?:[A-Za-z0-9-]+\s+){0,4}?(?:accounts?|logos?|deals?|customers?|clients?|meetings?|visits?"
    r"|seats?|users?|licen[cs]es?|QBRs?|EBRs?|reviews?|opportunit(?:y|ies)|opps|units?|orders?"
    r"|contracts?|renewals?|demos?|workshops?|partners?|stores?|sites?|hospitals?|schools?"
    r"|people|reps|calls|proposals?|POCs?|pilots?|projects?|events?|trainings?|sessions?"
    r"|companies|firms|banks|brands|distributors?|resellers?|dealers?|agreements?|MSAs?|SOWs?"
    r"|quotes?|bids?|tenders?|referrals?|case studies|references?|leads?|SQLs?|MQLs?|tickets?"
    r"|roundtables?|webinars?|seminars?|conferences?|briefings?|hires?|installs?"
    r"|days?|weeks?|hours?|months?)\b",
    re.IGNORECASE,
)
_EN_DURATION = LazyPattern(r"\s+(?:days?|weeks?|hours?|months?)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in the text."""

    start: int
    end: int
    value: float
    """The number with its magnitude applied (``500万`` -> 5000000, ``92%`` -> 92)."""
    kind: QuantityKind
    currency: str | None = None
    unit: str = ""
    """The unit as written (``家``, ``accounts``, ``%``), empty when none."""


def _to_float(token: str) -> float | None:
    token = token.replace(",", "")
    try:
        return float(token)
    except ValueError:
        value = parse_cn_int(token)
        return float(value) if value is not None else None


def _kind_of_post(post: str) -> tuple[QuantityKind, str | None]:
    post = post.strip().lstrip("多")
    if not post:
        return "plain", None
    if post in ("%", "percent", "percentage"):
        return "percent", None
    if (
        post.endswith("百分点")
        or post in ("pp", "percentage point", "percentage points")
        or (post.lower() in ("pt", "pts", "point", "points"))
    ):
        return "pp", None
    if post in _CURRENCY_WORDS:
        return "money", _CURRENCY_WORDS[post]
    if post.lower() in _CURRENCY_WORDS:
        return "money", _CURRENCY_WORDS[post.lower()]
    if post in ("倍", "x", "X"):
        return "multiplier", None
    if post in ("天", "周", "工作日", "个工作日", "小时"):
        return "duration", None
    return "count", None


def find_quantities(
    text: str, blocked: list[tuple[int, int]] | tuple[tuple[int, int], ...] = ()
) -> list[Quantity]:
    """Every quantity in ``text`` that does not overlap a ``blocked`` span (dates, top-N...).

    Four-digit numbers from 1900 to 2100 without a unit are years, not quantities. Numbers glued
    to letters (``Q3``, ``FY2025``, ``H2``) and ordinals (``第一``, ``Tier 1``) are skipped too.
    """
    out: list[Quantity] = []
    for m in QUANTITY_RE.finditer(text):
        start, end = m.span()
        pre = (m.group("pre") or "").strip()
        post_raw = m.group("post") or ""
        mag_raw = (m.group("mag") or "").strip()
        num = m.group("num")
        cn = m.group("cn")
        pct_cn = m.group("pctcn")
        core_start = m.start("pctcn") if pct_cn else m.start("num") if num else m.start("cn")
        if any(s < end and start < e for s, e in blocked):
            continue
        if _BEFORE_BLOCK.search(text, max(0, core_start - 8), core_start):
            continue
        if end < len(text) and _AFTER_BLOCK.match(text, end) and not post_raw.strip():
            continue
        if pct_cn:
            value = _to_float(m.group("pctnum"))
            if value is None:
                continue
            out.append(Quantity(start, end, value, "percent", unit="%"))
            continue
        token = num or cn or ""
        value = _to_float(token)
        if value is None:
            continue
        kind, currency = _kind_of_post(post_raw)
        if cn is not None:
            # A lone Chinese digit is a number only with a unit (一家, 三次): 一定, 十分, 一点 are
            # words. Numerals with a place value (五百万, 二十) stand on their own.
            has_place = any(ch in _CN_SMALL or ch in _CN_BIG for ch in cn)
            if post_raw.strip() in ("分", "点") or (not has_place and not post_raw and not mag_raw):
                continue
            if not any(ch in _CN_DIGIT or ch in "十拾" for ch in cn):
                continue
        if mag_raw:
            if mag_raw in ("m", "b") and not pre:
                continue
            value *= _MAGNITUDE[mag_raw]
        if pre:
            kind, currency = "money", _CURRENCY_WORDS.get(pre, currency)
        elif (
            num
            and not mag_raw
            and kind == "plain"
            and num.isdigit()
            and len(num) == 4
            and 1900 <= value <= 2100
        ):
            continue  # a year
        if kind == "plain":
            more = _EN_COUNT_NOUN.match(text, end)
            if more:
                kind = "duration" if _EN_DURATION.match(text, end) else "count"
                post_raw = more.group().split()[-1]
        out.append(Quantity(start, end, value, kind, currency, post_raw.strip()))
    return out


def parse_amount(text: str) -> float | None:
    """The first quantity's value in ``text`` (``500万`` -> 5000000), for field values."""
    from kaplan_tui.core.lint.normalize import normalize

    norm = normalize(text.strip())
    try:
        return float(norm.replace(",", ""))
    except ValueError:
        pass
    found = find_quantities(norm)
    return found[0].value if found else None
