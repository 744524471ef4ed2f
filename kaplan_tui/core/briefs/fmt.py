"""Numbers, money, units, percentages and dates as a brief shows them, in zh or en.

Chinese briefs give money in 万元 (ten thousands of yuan: ``1,200 万元``, ``3.5 万美元``);
English briefs give it in full with thousands separators and the ISO code (``CNY 12,000,000``).
Every string returned is safe markdown: numbers use only digits, ``,``, ``.``, ``-`` and ``%``
in places where they mean nothing, and user-typed units go through :func:`escape.inline`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from kaplan_tui.core.briefs.escape import inline
from kaplan_tui.core.models import Metric
from kaplan_tui.core.planning.rollup import money_scale
from kaplan_tui.i18n import Lang, MissingMessageError, t

WAN = 10_000.0

ZH_CURRENCY_WORD: dict[str, str] = {
    "CNY": "元",
    "RMB": "元",
    "USD": "美元",
    "EUR": "欧元",
    "HKD": "港元",
    "JPY": "日元",
    "GBP": "英镑",
    "SGD": "新加坡元",
}
"""How a Chinese brief names a currency after 万 (``万美元``)."""


def number(value: float, decimals: int = 2) -> str:
    """``value`` with thousands separators and at most ``decimals`` decimals, zeros trimmed.

    ``1234567`` -> ``1,234,567``; ``12.50`` -> ``12.5``; ``-0.0`` -> ``0``.
    """
    if not math.isfinite(value):
        return "—"
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _money_decimals(value: float) -> int:
    """Enough decimals to tell amounts apart, no more: 30,920 / 95.2 / 3.25."""
    size = abs(value)
    return 0 if size >= 1000 else 1 if size >= 10 else 2


@dataclass(frozen=True)
class Formatter:
    """Formats figures for one brief: its language and the workspace currency."""

    lang: Lang
    currency: str
    """The workspace currency, for metrics in 万元 and incentives without a currency."""
    _units: dict[tuple[str, bool], str] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """Unit words already looked up: a brief names a few units a thousand times, and an
    unknown one costs a failed catalogue look-up each time."""

    # --- money ------------------------------------------------------------------------------

    def money(self, amount: float, currency: str | None = None) -> str:
        """An amount in currency units: ``1,200 万元`` (zh) or ``CNY 12,000,000`` (en)."""
        code = currency or self.currency
        if self.lang == "zh":
            word = ZH_CURRENCY_WORD.get(code)
            unit = f"万{word}" if word else f"万 {code}"
            wan = amount / WAN
            return f"{number(wan, _money_decimals(wan))} {unit}"
        return f"{code} {number(amount, _money_decimals(amount))}"

    # --- metric values ----------------------------------------------------------------------

    def unit_word(self, unit: str, one: bool = False) -> str:
        """A unit as the brief's language writes it (``accounts`` -> ``家``), escaped.

        ``one``: the value is exactly 1, so English takes the singular (``1 account``).
        """
        held = self._units.get((unit, one))
        if held is None:
            held = self._units[(unit, one)] = self._unit_word(unit.strip(), one)
        return held

    def _unit_word(self, key: str, one: bool) -> str:
        if not key:
            return ""
        if one and self.lang == "en":
            try:
                return t(f"brief.unit_one.{key.casefold()}", self.lang)
            except MissingMessageError:
                pass
        try:
            return t(f"brief.unit.{key.casefold()}", self.lang)
        except MissingMessageError:
            return inline(key)

    def value(self, value: float | None, metric: Metric | None) -> str:
        """A value of ``metric`` with its unit: money formatted as money, ``12.5%``, ``8 家``."""
        if value is None:
            return "—"
        if metric is None:
            return number(value)
        scale = money_scale(metric, self.currency)
        if scale is not None:
            code, factor = scale
            return self.money(value * factor, code)
        unit = metric.unit.strip()
        if unit == "%":
            return f"{number(value, 1)}%"
        word = self.unit_word(unit, one=value == 1)
        return f"{number(value)} {word}".strip() if word else number(value)

    def delta(self, value: float | None, metric: Metric | None) -> str:
        """A signed difference of ``metric`` values: ``+120 万元``, ``-3 天``."""
        if value is None:
            return "—"
        return ("+" if value >= 0 else "-") + self.value(abs(value), metric)

    def chart_scale(self, metric: Metric | None) -> tuple[float, str]:
        """``(divisor, axis label)`` for plotting values of ``metric`` in a chart."""
        if metric is None:
            return 1.0, ""
        scale = money_scale(metric, self.currency)
        if scale is None:
            unit = metric.unit.strip()
            return 1.0, "%" if unit == "%" else self.unit_word(unit)
        code, factor = scale
        if self.lang == "zh":
            word = ZH_CURRENCY_WORD.get(code)
            return WAN / factor, f"万{word}" if word else f"万 {code}"
        return 1e6 / factor, f"{code} m"

    # --- ratios and dates -------------------------------------------------------------------

    def pct(self, ratio: float | None, decimals: int = 0) -> str:
        """A ratio as a percentage: ``0.873`` -> ``87%``."""
        if ratio is None or not math.isfinite(ratio):
            return "—"
        return f"{number(ratio * 100, decimals)}%"

    def signed_pct(self, ratio: float | None, decimals: int = 1) -> str:
        """A growth rate with its sign: ``+12.5%``."""
        if ratio is None or not math.isfinite(ratio):
            return "—"
        text = number(abs(ratio) * 100, decimals)
        return f"{'+' if ratio >= 0 else '-'}{text}%"

    def date(self, day: dt.date | None) -> str:
        """An ISO date (``2026-12-31``), the same in both languages so briefs sort and diff."""
        return "—" if day is None else day.isoformat()

    def month(self, day: dt.date) -> str:
        """A short month label for chart axes: ``11月`` or ``Nov``, with the year in January."""
        if self.lang == "zh":
            return f"{day.year}年{day.month}月" if day.month == 1 else f"{day.month}月"
        name = _EN_MONTHS[day.month - 1]
        return f"{name} {day.year}" if day.month == 1 else name


_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
