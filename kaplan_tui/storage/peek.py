"""A quick look at a workspace before opening it: its name and language, nothing validated.

The TUI uses this to paint its first frame in the right language while the workspace itself
(pydantic models, every record) loads in the background. Whatever cannot be read here is left
for :meth:`Workspace.open` to report properly, by file and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from kaplan_tui.storage.errors import WorkspaceError
from kaplan_tui.storage.files import read_bytes

CONFIG_FILE = "kaplan.toml"
DEFAULT_LANGUAGE = "zh"
"""``Settings.language``'s default (a test keeps the two the same)."""


class Peek(NamedTuple):
    """What ``kaplan.toml`` says, when it says it plainly."""

    name: str | None
    language: str


def peek(root: Path) -> Peek | None:
    """``kaplan.toml``'s name and language; None when ``root`` holds no ``kaplan.toml``.

    A file that cannot be read or parsed gives no name and the default language: opening the
    workspace will say what is wrong with it.
    """
    unknown = Peek(None, DEFAULT_LANGUAGE)
    try:
        got = read_bytes(root / CONFIG_FILE)
    except (OSError, WorkspaceError):
        return unknown
    if got is None:
        return None
    import tomllib  # read only here: importing peek for its constants needs no parser

    try:
        data = tomllib.loads(got[0].decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return unknown
    name, language = data.get("name"), data.get("language")
    return Peek(
        name if isinstance(name, str) else None,
        language if language in ("zh", "en") else DEFAULT_LANGUAGE,
    )
