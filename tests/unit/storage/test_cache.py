"""The private record cache (kaplan_tui/storage/cache.py): a workspace opened again is not
validated again, yet a changed, damaged or untrusted file is never served from the cache."""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import multiprocessing
import os
import pickle
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from kaplan_tui.core.models import Account
from kaplan_tui.storage import Workspace, WorkspaceError, cache

pytestmark = pytest.mark.usefixtures("cache_dir")  # a cache folder of its own

MakeWs = Callable[..., Workspace]
ctx = multiprocessing.get_context("fork")


@pytest.fixture
def ws(make_ws: MakeWs) -> Workspace:
    made = make_ws()
    for i in range(5):
        made.create(Account(id=f"acc-{i}", name=f"客户{i}", industry="ICT"))
    return made


def no_validation(monkeypatch: pytest.MonkeyPatch, model: type[BaseModel] = Account) -> list[Any]:
    """Make every validation of ``model`` fail loudly; returns the calls made."""
    calls: list[Any] = []

    def refuse(cls: type[BaseModel], /, data: Any, **kw: Any) -> BaseModel:
        calls.append(data)
        raise AssertionError("validated again")

    monkeypatch.setattr(model, "model_validate", classmethod(refuse))
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
    [entry] = (cache_dir / "records").glob("*/accounts.json.entry")
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
    [entry] = (cache_dir / "records").glob("*/accounts.json.entry")
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


def test_a_cache_folder_planted_as_a_symlink_is_not_followed(
    ws: Workspace, cache_dir: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim"  # say, the user's own documents
    for i in range(25):
        (victim / f"folder{i:02d}").mkdir(parents=True)
        (victim / f"folder{i:02d}" / "notes.txt").write_text(f"notes {i}")
        os.utime(victim / f"folder{i:02d}", (i, i))
    before = sorted(str(p.relative_to(victim)) for p in victim.rglob("*"))
    shutil.rmtree(cache_dir / "records", ignore_errors=True)
    cache_dir.mkdir(exist_ok=True)
    (cache_dir / "records").symlink_to(victim)  # planted where the cache would be
    assert len(Workspace.open(ws.root).all(Account)) == 5
    assert len(Workspace.open(ws.root).all(Account)) == 5
    assert sorted(str(p.relative_to(victim)) for p in victim.rglob("*")) == before
    assert all((victim / f"folder{i:02d}" / "notes.txt").exists() for i in range(25))


def _exchange() -> Callable[[Path, Path], None] | None:
    """renameat2(RENAME_EXCHANGE): swap two folders atomically (Linux), or None."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return None
    at_fdcwd, rename_exchange = -100, 2

    def exchange(a: Path, b: Path) -> None:
        if renameat2(at_fdcwd, bytes(a), at_fdcwd, bytes(b), rename_exchange) != 0:
            raise OSError(ctypes.get_errno(), "renameat2")

    return exchange


EXCHANGE = _exchange()


def _swap_in_a_loop(real: Path, theirs: Path, planted: Path, payload: bytes, stop: Any) -> None:
    """Another user who may write the folder above the cache: swaps its folder for theirs,
    where their pickle waits under the name of the user's entry."""
    assert EXCHANGE is not None
    while not stop.is_set():
        EXCHANGE(real, theirs)
        EXCHANGE(real, theirs)
        with contextlib.suppress(OSError):
            if planted.read_bytes() != payload:  # replaced by the user's own entry: again
                planted.write_bytes(payload)
                os.chown(planted, 65534, 65534)


class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.marker),))


@pytest.mark.skipif(
    os.geteuid() != 0 or EXCHANGE is None,
    reason="needs root to make another user's files, and renameat2",
)
def test_a_cache_folder_swapped_by_another_user_never_runs_their_pickle(
    ws: Workspace, cache_dir: Path, tmp_path: Path
) -> None:
    Workspace.open(ws.root).all(Account)  # the user's own entries
    cache_dir.chmod(0o777)  # a cache folder other users may write (no sticky bit)
    [entry] = (cache_dir / "records").glob("*/accounts.json.entry")
    theirs = tmp_path / "theirs"
    (theirs / entry.parent.name).mkdir(parents=True)
    planted = theirs / entry.parent.name / entry.name
    marker = tmp_path / "their-code-ran"
    payload = pickle.dumps(_Payload(marker))
    planted.write_bytes(payload)
    for path in (theirs, planted.parent, planted):
        os.chown(path, 65534, 65534)  # nobody's
    stop = ctx.Event()
    swapper = ctx.Process(
        target=_swap_in_a_loop, args=(cache_dir / "records", theirs, planted, payload, stop)
    )
    swapper.start()
    opened = 0
    try:
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and not marker.exists():
            with contextlib.suppress(WorkspaceError):
                Workspace.open(ws.root).records("account")
            opened += 1
    finally:
        stop.set()
        swapper.join(10)
    assert opened > 50 and not marker.exists(), f"their pickle ran after {opened} opens"


def test_settings_read_before_come_from_the_cache_until_kaplan_toml_changes(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaplan_tui.core.settings import Settings

    first = Workspace.open(ws.root).settings
    no_validation(monkeypatch, Settings)
    again = Workspace.open(ws.root)
    assert again.settings == first and again.problems == []
    assert again.settings.model_fields_set == first.model_fields_set
    monkeypatch.undo()
    path = ws.root / "kaplan.toml"
    before = os.stat(path)
    text = path.read_text("utf-8")
    assert 'name = "Test"' in text
    path.write_text(text.replace('name = "Test"', 'name = "Tess"'), "utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same time
    assert Workspace.open(ws.root).settings.name == "Tess"


def test_settings_with_problems_are_never_cached(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ws.root / "kaplan.toml"
    path.write_text(path.read_text("utf-8") + 'currency = "yuan"\n', "utf-8")
    for _ in range(2):
        opened = Workspace.open(ws.root)
        assert opened.read_only
        assert [(p.file, p.field) for p in opened.problems] == [("kaplan.toml", "currency")]


def test_a_column_of_dates_is_held_as_day_numbers_and_read_back_as_dates() -> None:
    from kaplan_tui.core.models import CheckIn

    days = [dt.date(2026, 1, 31), dt.date(1999, 12, 31), dt.date(2026, 1, 31)]
    records = [CheckIn(id=f"c{i}", goal="g", date=d, actual=i) for i, d in enumerate(days)]
    held = cache._column(records, "date")
    assert held == ("days", [d.toordinal() for d in days])
    back = cache._unpack_column(held)
    assert back == days and {type(d) for d in back} == {dt.date}
    # times are not dates: they keep their own packing, as do columns with anything else
    stamped = [r.model_copy(update={"created_at": dt.datetime(2026, 1, 1, 9)}) for r in records]
    assert (
        cache._unpack_column(cache._column(stamped, "created_at"))
        == [dt.datetime(2026, 1, 1, 9)] * 3
    )
    mixed = [*records, CheckIn(id="x", goal="g", date=dt.date(2026, 2, 1), actual=1)]
    mixed[-1].__dict__["date"] = None
    assert cache._unpack_column(cache._column(mixed, "date")) == [*days, None]
    assert cache._column([], "date") == []
    with pytest.raises(ValueError, match="layout"):
        cache._unpack_column(("weeks", [1]))


def test_a_cache_folder_removed_and_made_again_is_read_through_the_new_one(
    tmp_path: Path,
) -> None:
    """A cache keeps its folder open; another process forgetting the workspace (or the user
    clearing the cache) removes that folder, and a write makes a new one."""
    held = cache.RecordCache(tmp_path / "ws", base=tmp_path / "cache")
    held.write("a.entry", b"first")
    assert bytes(held.read("a.entry") or b"") == b"first"
    shutil.rmtree(held.folder)
    assert held.read("a.entry") is None  # gone with its folder
    held.write("a.entry", b"again")
    assert bytes(held.read("a.entry") or b"") == b"again"
    assert held.read("b.entry") is None  # a miss is still a miss
