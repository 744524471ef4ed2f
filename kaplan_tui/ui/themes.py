"""Kaplan's themes: TOML files (bundled in ``themes/`` and the user's own) -> Textual Themes."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import Theme

DEFAULT_THEME = "kaplan-ink"

SMART_DEFAULTS = {
    "smart-pass": "#3FB68B",
    "smart-warn": "#E3B341",
    "smart-fail": "#F0605D",
    "smart-unknown": "#7D8590",
}
"""Kaplan's own CSS variables, with defaults for themes that do not set them."""

COLOURS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
)
"""The colour fields of a theme file (``primary`` is required, the others optional)."""

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


class ThemeFileError(ValueError):
    """A theme file's field is missing, unknown or wrong: ``field: reason``."""


def theme_from_data(data: dict[str, Any]) -> Theme:
    """The Textual theme a theme file describes.

    Checked by hand rather than with a model so that themes load before the first paint
    without importing pydantic.

    Raises:
        ThemeFileError: naming the field and what is wrong with it.
    """
    known = {"name", "dark", "variables", *COLOURS}
    for field in data:
        if field not in known:
            near = difflib.get_close_matches(field, sorted(known), n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise ThemeFileError(f"{field}: not a theme field{hint}")
    name = data.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise ThemeFileError("name: lowercase letters, digits and '-', up to 41 characters")
    colours: dict[str, Any] = {}
    for field in COLOURS:
        value = data.get(field)
        if value is None:
            if field == "primary":
                raise ThemeFileError("primary: missing")
            continue
        if not isinstance(value, str):
            raise ThemeFileError(f'{field}: a colour such as "#3366CC"')
        try:
            Color.parse(value)
        except ColorParseError:
            raise ThemeFileError(f"{field}: {value!r} is not a colour") from None
        colours[field] = value
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise ThemeFileError("dark: true or false")
    variables = data.get("variables", {})
    if not isinstance(variables, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in variables.items()
    ):
        raise ThemeFileError("variables: a table of names to text values")
    return Theme(name=name, dark=dark, variables={**SMART_DEFAULTS, **variables}, **colours)


def load_themes(folders: Iterable[Path]) -> tuple[list[Theme], list[str]]:
    """Read every ``*.toml`` theme in ``folders``; later folders override earlier ones.

    Returns:
        The themes, and one message per file that could not be used (file and reason).
    """
    themes: dict[str, Theme] = {}
    errors: list[str] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            try:
                theme = theme_from_data(tomllib.loads(path.read_text("utf-8")))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ThemeFileError) as exc:
                errors.append(f"{path}: {exc}")
                continue
            themes[theme.name] = theme
    return list(themes.values()), errors


CHOICE_FILE = "theme.txt"
"""In the user's config folder: the theme last chosen from the palette."""


def read_choice(config: Path) -> str | None:
    """The theme the user chose last time, if any."""
    try:
        name = (config / CHOICE_FILE).read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name or None


def save_choice(config: Path, name: str) -> None:
    """Remember ``name`` for the next start (private to the user: 0700 folder)."""
    from kaplan_tui.storage.files import atomic_write

    config.mkdir(parents=True, exist_ok=True, mode=0o700)
    atomic_write(config / CHOICE_FILE, name.encode("utf-8"))
