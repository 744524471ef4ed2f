"""The private record cache (kaplan_tui/storage/cache.py): a workspace opened again is not
validated again, yet a changed, damaged or untrusted file is never served from the cache."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kaplan_tui.core.models import Account
from kaplan_tui.storage import Workspace, cache

MakeWs = Callable[..., Workspace]


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(folder))
    monkeypatch.setattr(cache, "MIN_BYTES", 0)  # cache even the small files of these tests
    return folder


@pytest.fixture
def ws(make_ws: MakeWs) -> Workspace:
    made = make_ws()
    for i in range(5):
        made.create(Account(id=f"acc-{i}", name=f"客户{i}", industry="ICT"))
    return made


def no_validation(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Make every validation of an account fail loudly; returns the calls made."""
    calls: list[Any] = []

    def refuse(cls: type[Account], /, data: Any, **kw: Any) -> Account:
        calls.append(data)
        raise AssertionError("validated again")

    monkeypatch.setattr(Account, "model_validate", classmethod(refuse))
    return calls


def test_a_workspace_opened_again_is_not_validated_again(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Workspace.open(ws.root).all(Account)  # validates, and remembers
    no_validation(monkeypatch)
    again = Workspace.open(ws.root)
    assert again.all(Account) == first and again.problems == []
    monkeypatch.undo()
    saved = again.save(first[2].model_copy(update={"region": "华南"}))  # saving still works
    assert Workspace.open(ws.root).get(Account, "acc-2") == saved


def test_a_file_changed_in_place_is_read_again_even_with_its_old_size_and_time(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workspace.open(ws.root).all(Account)
    path = ws.root / "accounts.json"
    before = os.stat(path)
    path.write_bytes(path.read_bytes().replace("客户3".encode(), "客户X".encode()))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    assert Workspace.open(ws.root).get(Account, "acc-3").name == "客户X"  # type: ignore[union-attr]


def test_a_damaged_file_is_reported_every_time(ws: Workspace) -> None:
    path = ws.root / "accounts.json"
    path.write_text(path.read_text("utf-8").replace('"industry": "ICT"', '"industry": 7', 1))
    for _ in range(2):
        [problem] = Workspace.open(ws.root).problems
        assert problem.file == "accounts.json" and problem.field == "industry"


def test_an_unreadable_cache_is_only_a_miss(ws: Workspace, cache_dir: Path) -> None:
    Workspace.open(ws.root).all(Account)
    [entry] = (cache_dir / "records").glob("*/accounts.json.pickle")
    entry.write_bytes(b"not a pickle")
    assert len(Workspace.open(ws.root).all(Account)) == 5
    entry.unlink()
    (cache_dir / "records").chmod(0o000)
    try:
        assert len(Workspace.open(ws.root).all(Account)) == 5
    finally:
        (cache_dir / "records").chmod(0o700)


def test_a_cache_others_may_write_is_not_trusted(
    ws: Workspace, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workspace.open(ws.root).all(Account)
    [entry] = (cache_dir / "records").glob("*/accounts.json.pickle")
    entry.chmod(0o666)
    calls = no_validation(monkeypatch)
    with pytest.raises(AssertionError, match="validated again"):
        Workspace.open(ws.root).all(Account)
    assert calls


def test_other_record_models_do_not_use_the_entries(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    Workspace.open(ws.root).all(Account)
    monkeypatch.setattr(cache, "_fingerprint", ("models of another Kaplan",))
    calls = no_validation(monkeypatch)
    with pytest.raises(AssertionError, match="validated again"):
        Workspace.open(ws.root).all(Account)
    assert calls
