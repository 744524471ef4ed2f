"""Reading and writing ``kaplan.toml``, and migrating older workspace formats."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from kaplan_tui.core.settings import SCHEMA_VERSION, Settings
from kaplan_tui.storage.errors import Problem
from kaplan_tui.storage.files import atomic_write, read_with_stat
from kaplan_tui.storage.peek import CONFIG_FILE

if TYPE_CHECKING:
    from kaplan_tui.storage.cache import RecordCache

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


def read_settings(
    root: Path, cache: RecordCache | None = None
) -> tuple[Settings | None, list[Problem]]:
    """Parse ``kaplan.toml``; on failure return None and the problems found.

    With ``cache``, settings validated from this very file before are taken from it (the
    first validation in a process costs 30 ms: pydantic builds the settings' validator), and
    settings that validate are kept there.
    """
    from kaplan_tui.storage.cache import key_of

    try:
        got = read_with_stat(root / CONFIG_FILE, None)
    except Exception as exc:  # unsafe file: reported, never followed
        return None, [Problem(CONFIG_FILE, None, None, str(exc))]
    if got is None:
        return None, [Problem(CONFIG_FILE, None, None, "missing")]
    raw, st = got
    assert raw is not None  # nothing was known: the file was read
    if cache is not None and (held := cache.get_settings(CONFIG_FILE, key_of(st))) is not None:
        return held, []
    began = time.perf_counter()
    import tomllib  # settings served from the cache need no parser

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return None, [Problem(CONFIG_FILE, None, None, f"not valid TOML: {exc}")]
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        return None, pydantic_problems(CONFIG_FILE, None, exc)
    if cache is not None:
        took = time.perf_counter() - began
        cache.put(CONFIG_FILE, key_of(st), Settings, [settings], took=took)
    return settings, []


def settings_bytes(settings: Settings) -> bytes:
    """``kaplan.toml`` contents for ``settings``."""
    # Only what differs from the defaults (plus name and format): a file that says what the
    # team chose, which older and newer Kaplans both read the same way.
    data = settings.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data = {"name": settings.name, "schema_version": settings.schema_version, **data}
    import tomli_w

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
