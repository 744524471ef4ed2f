"""Numbers, amounts and dates written the way a goal in each language writes them."""

from __future__ import annotations

from kaplan_tui.core.lint.normalize import Lang

_CURRENCY_ZH = {
    "CNY": "元", "RMB": "元", "USD": "美元", "EUR": "欧元", "TWD": "新台币", "HKD": "港元",
    "GBP": "英镑", "JPY": "日元",
}  # fmt: skip
_CURRENCY_EN = {"CNY": "¥", "RMB": "¥", "USD": "$", "EUR": "€", "TWD": "NT$", "HKD": "HK$",
                "GBP": "£", "JPY": "¥"}  # fmt: skip
_PERCENT_UNITS = {"%", "percent", "pct", "share", "ratio", "rate"}
_DAY_UNITS = {"天", "日", "day", "days"}


def number(value: float) -> str:
    """``12``, ``1.5``, ``0.25``: no trailing zeros, at most three significant decimals."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def percent(fraction: float) -> str:
    """A fraction as a percentage: 0.456 -> ``46%``, 0.075 -> ``7.5%``."""
    value = round(fraction * 100, 1)
    return f"{value:.0f}%" if abs(value) >= 10 or value == int(value) else f"{value:.1f}%"


def is_percent_unit(unit: str | None) -> bool:
    """Tell whether a field unit means a percentage or a share."""
    return (unit or "").strip().lower() in _PERCENT_UNITS


def amount(value: float, unit: str | None, lang: Lang) -> str:
    """An amount in ``unit`` as a goal in ``lang`` writes it (``500万元``, ``$1.5M``, ``92%``)."""
    code = (unit or "").strip()
    upper = code.upper()
    if is_percent_unit(code):
        if code.lower() in ("share", "ratio") and abs(value) <= 1:
            value *= 100
        return f"{number(value)}%"
    if upper in _CURRENCY_ZH:
        if lang == "zh":
            suffix = _CURRENCY_ZH[upper]
            prefix = ""
            if upper == "TWD":
                prefix, suffix = "新台币", "元"
            if abs(value) >= 1e8:
                return f"{prefix}{number(value / 1e8)}亿{suffix}"
            if abs(value) >= 1e4:
                return f"{prefix}{number(value / 1e4)}万{suffix}"
            return f"{prefix}{number(value)}{suffix}"
        symbol = _CURRENCY_EN[upper]
        for scale, letter in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if abs(value) >= scale:
                return f"{symbol}{number(value / scale)}{letter}"
        return f"{symbol}{number(value)}"
    if code.lower() in _DAY_UNITS:
        return f"{number(value)}天" if lang == "zh" else f"{number(value)} days"
    if not code:
        return number(value)
    if lang == "zh" and not code.isascii():
        return f"{number(value)}{code}"
    return f"{number(value)} {code}"
