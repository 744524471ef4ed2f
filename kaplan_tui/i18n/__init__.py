"""The one message catalogue for the UI, the CLI, lint messages and briefs (zh and en).

Messages live in TOML files beside this module, one file per area (``cli.toml``, ``lint.toml``,
...), so that areas can grow without touching each other. Every message has an ``en`` and a
``zh`` text; ``tests/unit/test_i18n.py`` proves it. Texts use ``str.format`` fields.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zlib
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
def _area(stem: str) -> Mapping[str, Mapping[str, str]]:
    """The messages of one catalogue file (``ui`` -> ``ui.toml``), loaded on first use.

    The TUI's first frame needs only ``ui.toml``, and parsing TOML costs about 1 ms per KB:
    the parsed messages are kept as JSON in the user's cache folder, under a name made of the
    file's place and a hash of its bytes, so an edited catalogue is read afresh (even one
    copied with its old size and time: results kept by the lint rely on it).
    """
    path = _HERE / f"{stem}.toml"
    if not stem.isidentifier() or not path.is_file():
        return {}
    raw = path.read_bytes()
    from kaplan_tui.locations import cache_dir

    # one name per installed copy (two versions side by side each keep their own) ...
    where = f"{zlib.crc32(str(path).encode()):08x}"
    # ... and per version of the file
    # (zlib's checksums rather than hashlib: the TUI's first frame waits for this module)
    version = f"{len(raw)}-{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}"
    cached = cache_dir() / "i18n" / f"{stem}-{where}-{version}.json"
    with contextlib.suppress(OSError, ValueError):
        data = json.loads(cached.read_bytes())
        if isinstance(data, dict) and all(
            isinstance(texts, dict) and all(isinstance(v, str) for v in texts.values())
            for texts in data.values()
        ):
            return data
    import tomllib  # only when the parsed copy is missing: the first frame waits for this

    out: dict[str, dict[str, str]] = {}
    _flatten(stem, tomllib.loads(raw.decode("utf-8")), out)
    with contextlib.suppress(OSError):  # a cache is a nicety: a read-only home goes without
        _remember(cached, out)
    return out


def _remember(cached: Path, messages: dict[str, dict[str, str]]) -> None:
    """Keep a parsed catalogue file as JSON (read in a fraction of TOML's time)."""
    cached.parent.mkdir(parents=True, exist_ok=True)
    stem, where = cached.name.split("-")[:2]
    for old in cached.parent.glob(f"{stem}-{where}-*.json"):
        old.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(messages, fh, ensure_ascii=False)
    os.replace(tmp, cached)


def catalogue() -> Mapping[str, Mapping[str, str]]:
    """All messages, keyed by dotted name (``cli.not_a_workspace``)."""
    out: dict[str, Mapping[str, str]] = {}
    for path in sorted(_HERE.glob("*.toml")):
        out.update(_area(path.stem))
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
    texts = _area(key.partition(".")[0]).get(key)
    if texts is None:
        raise MissingMessageError(key)
    text = texts.get(lang) or texts.get("en") or next(iter(texts.values()))
    return text.format(**fields) if fields else text


def default_lang() -> Lang:
    """The language to speak before a workspace says: ``KAPLAN_LANG``, then the locale."""
    for var in ("KAPLAN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
