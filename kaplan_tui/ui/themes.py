"""Kaplan's themes: TOML files (bundled in ``themes/`` and the user's own) -> Textual Themes."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from textual.theme import Theme

DEFAULT_THEME = "kaplan-ink"

SMART_DEFAULTS = {
    "smart-pass": "#3FB68B",
    "smart-warn": "#E3B341",
    "smart-fail": "#F0605D",
    "smart-unknown": "#7D8590",
}
"""Kaplan's own CSS variables, with defaults for themes that do not set them."""


class ThemeFile(BaseModel):
    """The fields of a theme file."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")
    primary: str
    secondary: str | None = None
    accent: str | None = None
    foreground: str | None = None
    background: str | None = None
    surface: str | None = None
    panel: str | None = None
    success: str | None = None
    warning: str | None = None
    error: str | None = None
    dark: bool = True
    variables: dict[str, str] = Field(default_factory=dict)

    def to_theme(self) -> Theme:
        """The Textual theme."""
        data = self.model_dump(exclude={"variables"})
        return Theme(**data, variables={**SMART_DEFAULTS, **self.variables})


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
                data = tomllib.loads(path.read_text("utf-8"))
                theme = ThemeFile.model_validate(data).to_theme()
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                errors.append(f"{path}: {exc}")
                continue
            except ValidationError as exc:
                first = exc.errors()[0]
                field = ".".join(str(p) for p in first["loc"])
                errors.append(f"{path}: {field}: {first['msg']}")
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
