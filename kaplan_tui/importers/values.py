"""Reading cell values the way CRM exports write them: amounts, counts, dates, names, ids.

Pure functions; every parser raises :class:`CellError` with a message code and fields, which
the planner turns into a problem naming the file, line and column.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from kaplan_tui.core.text import clean_line

CellValue = str | int | float | dt.datetime | dt.date | None
"""What a reader hands over: text from CSV; numbers and dates too from XLSX."""


class CellError(ValueError):
    """A cell that cannot be read; ``code`` names the message in ``crm.toml`` (``problem.*``)."""

    def __init__(self, code: str, **fields: object) -> None:
        super().__init__(code)
        self.code = code
        self.fields = fields


def text_of(value: CellValue) -> str:
    """The cell as one line of clean text ('' for an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_line(str(value))


def name_key(name: str) -> str:
    """The key under which names match tolerantly: case, width, spacing and punctuation
    between words do not count (``GTXPro``, ``GTX Pro`` and ``gtx-pro`` share one key)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[\s\-_.·,'’&/()（）]+", "", folded)


# --- amounts ------------------------------------------------------------------------------

_CURRENCY_WORDS = re.compile(r"(?i)\b(?:usd|cny|rmb|eur|gbp|jpy|hkd)\b|[$¥￥€£]|元|人民币")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}


def parse_amount(value: CellValue) -> Decimal | None:
    """An amount as an exact decimal, or None for an empty cell.

    Accepts ``1054``, ``1,054.50``, ``$1,054``, ``¥1054元``, full-width digits and the Chinese
    units ``万`` (10,000) and ``亿`` (100,000,000): ``12.5万`` is 125000.

    Raises:
        CellError: ``bad_amount`` (not a number) or ``negative_amount``.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.date):
        raise CellError("bad_amount", value=text_of(value))
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("bad_amount", value=str(value))
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        raw = clean_line(value)
        text = unicodedata.normalize("NFKC", raw).strip()
        if not text:
            return None
        text = _CURRENCY_WORDS.sub("", text)
        text = re.sub(r"[,\s'_]", "", text)
        unit = Decimal(1)
        if text and text[-1] in _UNITS:
            unit, text = _UNITS[text[-1]], text[:-1]
        if text.startswith("(") and text.endswith(")"):
            text = "-" + text[1:-1]
        if not _NUMBER.match(text):
            raise CellError("bad_amount", value=raw)
        try:
            number = Decimal(text) * unit
        except InvalidOperation:
            raise CellError("bad_amount", value=raw) from None
    if number < 0:
        raise CellError("negative_amount", value=text_of(value))
    return number


def parse_count(value: CellValue) -> int | None:
    """A whole non-negative number (employees, a year), or None for an empty cell.

    Raises:
        CellError: ``bad_count`` (not a whole number) or ``negative_amount``.
    """
    try:
        number = parse_amount(value)
    except CellError as exc:
        if exc.code == "bad_amount":
            raise CellError("bad_count", value=text_of(value)) from None
        raise
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError("bad_count", value=text_of(value))
    return int(number)


# --- dates --------------------------------------------------------------------------------

_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)


def parse_date(value: CellValue, date_format: str | None = None) -> dt.date | None:
    """A date, or None for an empty cell.

    Without ``date_format``, accepts year-first dates: ``2017-03-01``, ``2017/3/1``,
    ``2017.03.01``, ``2017年3月1日``, with an optional time, and XLSX date cells. Day-first or
    month-first dates (``03/01/2017``) are ambiguous, so they need ``date_format`` (a
    ``strptime`` pattern such as ``%m/%d/%Y``) in the mapping file.

    Raises:
        CellError: ``bad_date``.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", clean_line(str(value))).strip()
    if not text:
        return None
    if date_format:
        try:
            return dt.datetime.strptime(text, date_format).date()
        except ValueError:
            raise CellError("bad_date_format", value=text, format=date_format) from None
    m = _DATE.match(text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise CellError("bad_date", value=text)


# --- ids ----------------------------------------------------------------------------------


def _slug(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        from pypinyin import lazy_pinyin  # loaded only for Chinese names

        text = " ".join(lazy_pinyin(text))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:40].rstrip("-") or "x"


def stable_id(prefix: str, source_key: str) -> str:
    """An id that the same source key always gets: ``acc-acme-corporation-3f9a1c``.

    The slug keeps ids readable; the hash of the tolerant key (:func:`name_key`) keeps them
    unique and makes ``Acme Corp`` and ``ACME  Corp`` the same record on every import.
    """
    digest = hashlib.sha256(f"{prefix}:{name_key(source_key)}".encode()).hexdigest()[:6]
    return f"{prefix}-{_slug(source_key)}-{digest}"


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> ``A``, 27 -> ``AB``)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters
