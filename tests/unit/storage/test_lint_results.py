"""Lint results kept between processes in the user's private cache folder
(kaplan_tui/storage/lint_results.py): what one process saves the next one finds, a file made
by other code or damaged is only empty, two processes keep each other's results, the file
holds at most KEPT results, and nothing is written into the workspace."""

from __future__ import annotations

import marshal
import os
import shutil
import stat
import zlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kaplan_tui.core.lint import LintContext, lint
from kaplan_tui.core.lint.store import context_digest, from_data, result_key, to_data
from kaplan_tui.storage import Workspace, cache, lint_results
from kaplan_tui.storage.lint_results import LintResults

pytestmark = pytest.mark.usefixtures("cache_dir")  # a cache folder of its own

MakeWs = Callable[..., Workspace]
REF = date(2025, 6, 1)
CONTEXT = LintContext(account_names=("北辰能源", "蓝海"), region_names=("华东",))
GOALS = [
    "2025年底前拿下蓝海",
    "下季度把北辰能源的年采购额从5000万元提升到5600万元",
    "尽快提升重点客户满意度",
    "Improve relationships with key accounts",
    "By 2025-12-31, raise ACME's renewal rate from 85% to 92%",
    "2025年12月31日前,将华东区A类客户的年销售额提高10%,达到500万元",
]


def _kept(texts: list[str]) -> dict[bytes, Any]:
    digest = context_digest(CONTEXT)
    return {
        result_key(text, "", "zh", REF, digest): to_data(
            lint(text, None, lang="zh", today=REF, context=CONTEXT)
        )
        for text in texts
    }


KEPT_DATA = _kept(GOALS)
"""Keys and data as the engine keeps them."""
KEYS = list(KEPT_DATA)


@pytest.fixture
def ws(make_ws: MakeWs) -> Workspace:
    return make_ws()


@pytest.fixture
def real_fingerprint() -> Iterator[None]:
    """The code's own fingerprint before and after the test (a test may pretend otherwise)."""
    lint_results._fingerprint = None
    yield
    lint_results._fingerprint = None


def new_store(ws: Workspace) -> LintResults:
    """The store another process would make: the workspace opened afresh."""
    return Workspace.open(ws.root, read_only=True).lint_results()


def results_file(ws: Workspace) -> Path:
    return cache.RecordCache(ws.root).folder / lint_results.FILE


def save(ws: Workspace, items: dict[bytes, Any]) -> None:
    store = new_store(ws)
    for key, data in items.items():
        store.put(key, data)
    store.save()


def found(ws: Workspace, keys: list[bytes] = KEYS) -> set[bytes]:
    """The keys a new process finds results for (each one the data saved under it)."""
    store = new_store(ws)
    hits = set()
    for key in keys:
        data = store.get(key)
        if data is not None:
            assert data == KEPT_DATA[key]
            hits.add(key)
    return hits


def test_results_saved_by_one_process_are_found_by_the_next(
    ws: Workspace, real_fingerprint: None
) -> None:
    first = new_store(ws)
    assert all(first.get(key) is None for key in KEYS)
    for key in KEYS[:4]:
        first.put(key, KEPT_DATA[key])
    assert first.get(KEYS[0]) == KEPT_DATA[KEYS[0]]  # its own, before saving
    assert found(ws) == set()  # not saved yet
    first.save()
    assert found(ws) == set(KEYS[:4])
    store = new_store(ws)
    for key in KEYS[:4]:
        result = from_data(store.get(key))
        assert result == lint(result.text, None, lang="zh", today=REF, context=CONTEXT)
    assert store.get(b"\x00" * 16) is None


def test_a_process_that_found_everything_writes_nothing(ws: Workspace) -> None:
    """A brief made again does not rewrite the file (as documented, its use of the results
    then does not count towards keeping them)."""
    save(ws, KEPT_DATA)
    before = os.stat(results_file(ws))
    store = new_store(ws)
    assert all(store.get(key) is not None for key in KEYS)
    store.save()
    after = os.stat(results_file(ws))
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_results_made_by_other_code_are_not_found_and_a_save_replaces_them(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, real_fingerprint: None
) -> None:
    monkeypatch.setattr(lint_results, "_fingerprint", ("another version of the linter",))
    save(ws, KEPT_DATA)
    assert found(ws) == set(KEYS)  # that code finds them
    monkeypatch.setattr(lint_results, "_fingerprint", None)  # this code
    assert found(ws) == set()
    save(ws, {KEYS[0]: KEPT_DATA[KEYS[0]]})
    assert found(ws) == {KEYS[0]}  # kept by this code; the others' results are gone
    monkeypatch.setattr(lint_results, "_fingerprint", ("another version of the linter",))
    assert found(ws) == set()


def test_nothing_is_kept_when_the_code_cannot_be_fingerprinted(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, real_fingerprint: None
) -> None:
    monkeypatch.setattr(lint_results, "_fingerprint", (None,))
    save(ws, KEPT_DATA)
    assert not results_file(ws).exists()
    assert found(ws) == set()


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x40
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: os.path.getsize(path) // 2])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _not_marshal(path: Path) -> None:
    _write_whole(path, b"\xff\x00 not marshal data")


def _foreign_layout(path: Path) -> None:
    _write_whole(path, marshal.dumps((lint_results.FORMAT, lint_results.code_fingerprint(), [1])))


def _foreign_values(path: Path) -> None:
    fingerprint = lint_results.code_fingerprint()
    results = {key: 7 for key in KEYS} | {KEYS[0]: b"\xff not marshal"}
    _write_whole(path, marshal.dumps((lint_results.FORMAT, fingerprint, results)))


def _write_whole(path: Path, data: bytes) -> None:
    """``data`` with a right CRC-32: whole, but not what this code writes."""
    path.write_bytes(zlib.crc32(data).to_bytes(4, "big") + data)


DAMAGE: dict[str, Callable[[Path], None]] = {
    "a byte flipped": _flip_a_byte,
    "cut short": _truncate,
    "empty": _empty,
    "not marshal data": _not_marshal,
    "another layout": _foreign_layout,
    "values not data": _foreign_values,
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_file_is_empty_never_an_error_and_a_save_rewrites_it(
    damage: str, ws: Workspace, real_fingerprint: None
) -> None:
    save(ws, KEPT_DATA)
    DAMAGE[damage](results_file(ws))
    assert found(ws) == set()
    save(ws, {KEYS[1]: KEPT_DATA[KEYS[1]]})
    assert found(ws) == {KEYS[1]}
    save(ws, {KEYS[2]: KEPT_DATA[KEYS[2]]})  # and the file is whole again: it merges
    assert found(ws) == {KEYS[1], KEYS[2]}


def test_a_file_others_may_write_is_not_read(ws: Workspace) -> None:
    save(ws, KEPT_DATA)
    os.chmod(results_file(ws), 0o666)
    assert found(ws) == set()


def test_an_unusable_cache_folder_keeps_nothing_and_raises_nothing(
    ws: Workspace, cache_dir: Path
) -> None:
    shutil.rmtree(cache_dir, ignore_errors=True)
    cache_dir.write_bytes(b"a file where the cache folder should be")
    store = new_store(ws)
    store.put(KEYS[0], KEPT_DATA[KEYS[0]])
    store.save()
    assert found(ws) == set()


def test_two_processes_saving_one_after_the_other_keep_both_sets(ws: Workspace) -> None:
    one, two = new_store(ws), new_store(ws)
    # both read the (empty) file before either saves, as two commands run at once do
    assert one.get(KEYS[0]) is None and two.get(KEYS[0]) is None
    for key in KEYS[:3]:
        one.put(key, KEPT_DATA[key])
    for key in KEYS[3:]:
        two.put(key, KEPT_DATA[key])
    one.save()
    two.save()
    assert found(ws) == set(KEYS)
    one.put(KEYS[0], KEPT_DATA[KEYS[0]])  # and once more, the other way round
    one.save()
    assert found(ws) == set(KEYS)


def test_at_most_kept_results_the_least_recently_used_going_first(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lint_results, "KEPT", 3)
    k1, k2, k3, k4, k5, k6 = KEYS
    save(ws, {k1: KEPT_DATA[k1], k2: KEPT_DATA[k2], k3: KEPT_DATA[k3]})
    assert found(ws) == {k1, k2, k3}

    store = new_store(ws)
    assert store.get(k1) is not None  # k1 used again: k2 is now the least recently used
    store.put(k4, KEPT_DATA[k4])
    store.save()
    assert found(ws) == {k1, k3, k4}

    save(ws, {k5: KEPT_DATA[k5], k6: KEPT_DATA[k6]})
    assert found(ws) == {k4, k5, k6}


def _tree(root: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every file and folder under ``root``: its mode and (for files) its bytes."""
    out: dict[str, tuple[int, bytes | None]] = {}
    for path in sorted(root.rglob("*")):
        st = os.lstat(path)
        out[str(path.relative_to(root))] = (
            st.st_mode,
            path.read_bytes() if stat.S_ISREG(st.st_mode) else None,
        )
    return out


def test_the_file_is_private_and_nothing_is_written_into_the_workspace(
    ws: Workspace, cache_dir: Path
) -> None:
    before = _tree(ws.root)
    old_umask = os.umask(0)  # even with a permissive umask
    try:
        save(ws, KEPT_DATA)
    finally:
        os.umask(old_umask)
    assert _tree(ws.root) == before
    path = results_file(ws)
    assert path.is_relative_to(cache_dir / "records")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert found(ws) == set(KEYS)


def test_each_workspace_has_its_own_results(make_ws: MakeWs) -> None:
    one, two = make_ws("one"), make_ws("two")
    save(one, KEPT_DATA)
    assert found(two) == set()
    assert results_file(one) != results_file(two)


@pytest.mark.parametrize(
    "source",
    [
        "kaplan_tui/core/lint/rules.py",
        "kaplan_tui/core/text.py",  # how text fields validate: what the files' records hold
        "kaplan_tui/storage/workspace.py",  # how files' records are merged
        "kaplan_tui/core/snapshot.py",
    ],
)
def test_the_fingerprint_changes_with_the_code_that_makes_a_lints_inputs(
    source: str, monkeypatch: pytest.MonkeyPatch, real_fingerprint: None
) -> None:
    """A verdict found by a goal and its workspace's version is found without making its
    inputs: the code that makes them is part of the fingerprint, as the linter is."""
    from kaplan_tui.storage import cache

    before = lint_results.code_fingerprint()
    assert before is not None
    target = (Path(__file__).resolve().parents[3] / source).resolve()
    real = Path.read_bytes

    def edited(path: Path) -> bytes:
        data = real(path)
        return data + b"\n# edited\n" if path.resolve() == target else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    monkeypatch.setattr(cache, "_fingerprint", None)
    lint_results._fingerprint = None
    assert lint_results.code_fingerprint() != before
