"""Numbers as people read them: 万/亿 in Chinese, thousands and M in English."""

from __future__ import annotations

from kaplan_tui.i18n import Lang

MONEY = frozenset({"CNY", "USD", "EUR", "RMB", "元"})
"""Units that are amounts of money."""


def money(amount: float | None, lang: Lang) -> str:
    """A short money figure: ``1,234万`` / ``12.3M``; ``-`` when unknown."""
    if amount is None:
        return "-"
    if lang == "zh":
        if abs(amount) >= 1e8:
            return f"{amount / 1e8:,.2f}亿"
        if abs(amount) >= 1e4:
            return f"{amount / 1e4:,.0f}万"
        return f"{amount:,.0f}"
    if abs(amount) >= 1e6:
        return f"{amount / 1e6:,.1f}M"
    if abs(amount) >= 1e3:
        return f"{amount / 1e3:,.0f}k"
    return f"{amount:,.0f}"


def number(value: float | None, unit: str = "", lang: Lang = "en") -> str:
    """A metric value with its unit: money units get :func:`money`, percents a ``%``."""
    if value is None:
        return "-"
    if unit.upper() in MONEY:
        return money(value, lang)
    if unit == "%":
        return f"{value:g}%"
    return f"{plain(value)} {unit}".strip()


def plain(value: float) -> str:
    """A number without noise: ``1,234``, ``12.5``, ``0.37``."""
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def percent(fraction: float | None) -> str:
    """``0.123`` -> ``+12.3%``."""
    return "-" if fraction is None else f"{fraction * 100:+.1f}%"


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal cells (a Chinese character is two)."""
    from rich.cells import cell_len

    return text + " " * max(width - cell_len(text), 1)
