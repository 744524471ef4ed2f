"""Reading and writing ``kaplan.toml``, and migrating older workspace formats."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import tomli_w
from pydantic import ValidationError

from kaplan_tui.core.settings import SCHEMA_VERSION, Settings
from kaplan_tui.storage.errors import Problem
from kaplan_tui.storage.files import atomic_write, read_bytes
from kaplan_tui.storage.peek import CONFIG_FILE

Migration = Callable[[Path], None]
"""Brings the workspace at the path from one schema version to the next, in place."""

MIGRATIONS: dict[int, Migration] = {}
"""``MIGRATIONS[n]`` migrates a workspace from schema ``n`` to ``n + 1``. Version 1 is the first
format, so there is nothing to migrate yet; the next format change adds ``MIGRATIONS[1]``."""


def pydantic_problems(file: str, record: str | None, exc: ValidationError) -> list[Problem]:
    """One :class:`Problem` per error in ``exc``, with the field path spelled ``a.b.0.c``."""
    out = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(part) for part in err["loc"]) or None
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        out.append(Problem(file, record, loc, msg))
    return out


def read_settings(root: Path) -> tuple[Settings | None, list[Problem]]:
    """Parse ``kaplan.toml``; on failure return None and the problems found."""
    try:
        got = read_bytes(root / CONFIG_FILE)
    except Exception as exc:  # unsafe file: reported, never followed
        return None, [Problem(CONFIG_FILE, None, None, str(exc))]
    if got is None:
        return None, [Problem(CONFIG_FILE, None, None, "missing")]
    try:
        data = tomllib.loads(got[0].decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, [Problem(CONFIG_FILE, None, None, f"not valid TOML: {exc}")]
    try:
        return Settings.model_validate(data), []
    except ValidationError as exc:
        return None, pydantic_problems(CONFIG_FILE, None, exc)


def settings_bytes(settings: Settings) -> bytes:
    """``kaplan.toml`` contents for ``settings``."""
    # Only what differs from the defaults (plus name and format): a file that says what the
    # team chose, which older and newer Kaplans both read the same way.
    data = settings.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"name": settings.name, "schema_version": settings.schema_version, **data}
    return tomli_w.dumps(data).encode("utf-8")


def write_settings(root: Path, settings: Settings) -> None:
    """Replace ``kaplan.toml`` atomically."""
    atomic_write(root / CONFIG_FILE, settings_bytes(settings))


def schema_problem(settings: Settings) -> Problem | None:
    """Why the workspace's format keeps it read-only, if it does."""
    if settings.schema_version > SCHEMA_VERSION:
        return Problem(
            CONFIG_FILE,
            None,
            "schema_version",
            f"the workspace is in format {settings.schema_version}, newer than this Kaplan "
            f"reads ({SCHEMA_VERSION}); upgrade Kaplan to edit it",
        )
    if settings.schema_version < SCHEMA_VERSION:
        return Problem(
            CONFIG_FILE,
            None,
            "schema_version",
            f"the workspace is in the older format {settings.schema_version}; run "
            f"`kaplan migrate` to bring it to {SCHEMA_VERSION}",
        )
    return None


def migrate(root: Path, settings: Settings) -> list[int]:
    """Run every migration from the workspace's version to the current one.

    Returns:
        The versions migrated from, in order.
    """
    done = []
    version = settings.schema_version
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise RuntimeError(f"no migration from schema {version}")
        step(root)
        done.append(version)
        version += 1
        write_settings(root, settings.model_copy(update={"schema_version": version}))
    return done
