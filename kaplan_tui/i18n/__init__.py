"""The one message catalogue for the UI, the CLI, lint messages and briefs (zh and en).

Messages live in TOML files beside this module, one file per area (``cli.toml``, ``lint.toml``,
...), so that areas can grow without touching each other. Every message has an ``en`` and a
``zh`` text; ``tests/unit/test_i18n.py`` proves it. Texts use ``str.format`` fields.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Literal, TypeGuard

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_HERE = Path(__file__).parent


class MissingMessageError(KeyError):
    """A message key that no catalogue file defines."""


def is_lang(value: object) -> TypeGuard[Lang]:
    """Tell whether ``value`` is a supported language code."""
    return value in LANGS


def _flatten(prefix: str, table: Mapping[str, object], out: dict[str, dict[str, str]]) -> None:
    if "en" in table or "zh" in table:
        out[prefix] = {str(k): str(v) for k, v in table.items()}
        return
    for key, value in table.items():
        if isinstance(value, Mapping):
            _flatten(f"{prefix}.{key}" if prefix else key, value, out)


@cache
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """All messages, keyed by dotted name (``cli.not_a_workspace``), loaded once."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(_HERE.glob("*.toml")):
        with path.open("rb") as fh:
            _flatten(path.stem, tomllib.load(fh), out)
    return out


def t(key: str, lang: Lang, /, **fields: object) -> str:
    """The message ``key`` in ``lang``, with ``fields`` filled in.

    Args:
        key: dotted message name, its first part being the catalogue file.
        lang: ``zh`` or ``en``.
        **fields: values for the ``{placeholders}`` of the message.

    Raises:
        MissingMessageError: no catalogue file defines ``key``.
    """
    try:
        texts = catalogue()[key]
    except KeyError:
        raise MissingMessageError(key) from None
    text = texts.get(lang) or texts.get("en") or next(iter(texts.values()))
    return text.format(**fields) if fields else text


def default_lang() -> Lang:
    """The language to speak before a workspace says: ``KAPLAN_LANG``, then the locale."""
    for var in ("KAPLAN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
