"""Shared fixtures: a fixed clock, temp workspaces, and an isolated data/config folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kaplan_tui.storage import Workspace


class Clock:
    """A clock that moves one second per call, so audit times are predictable."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture(scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole run (parsed catalogues, cached records): never the
    user's own, and shared so the catalogues are parsed once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    _session_cache: Path,
) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("KAPLAN_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("KAPLAN_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(_session_cache))
    monkeypatch.setenv("TZ", "UTC")
    yield


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (record cache entries, kept lint results), for the
    test and the processes it starts, instead of the run's shared one."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def clock() -> Clock:
    """A fixed clock starting 2026-11-01 09:00 UTC."""
    return Clock(datetime(2026, 11, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def make_ws(tmp_path: Path, clock: Clock) -> Callable[..., Workspace]:
    """Make an empty workspace in a temp folder: ``make_ws(user="alice")``."""

    def make(name: str = "ws", user: str = "alice", **kw: object) -> Workspace:
        return Workspace.init(tmp_path / name, name="Test", user=user, clock=clock, **kw)  # type: ignore[arg-type]

    return make
