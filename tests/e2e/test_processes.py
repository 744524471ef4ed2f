"""DESIGN §3 proved with real processes: the installed ``kaplan`` console script, run as
separate programs on one workspace, killed with SIGKILL, denied writing, and out of disk space.

Each test starts real ``kaplan`` processes (never the CLI in-process), so what is checked is what
a team on a shared server gets.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from kaplan_tui.core.generate import GenerateSpec, generate
from kaplan_tui.core.models import Account, CheckIn, Goal
from kaplan_tui.storage import Change, Workspace
from kaplan_tui.storage.doctor import diagnose
from kaplan_tui.storage.files import TMP_SUFFIX
from kaplan_tui.storage.generate import generate_workspace
from kaplan_tui.storage.workspace import JOURNAL_FILE, STATE_DIR, TXN_FILE

from .console import kaplan_bin

pytestmark = pytest.mark.e2e


def kaplan(
    *args: str | Path, stdin: bytes | None = None, **kw: Any
) -> subprocess.CompletedProcess[bytes]:
    """Run ``kaplan ARGS`` as a separate process and wait for it."""
    return subprocess.run(
        [kaplan_bin(), *map(str, args)], input=stdin, capture_output=True, timeout=60, **kw
    )


def jsonl(records: list[dict[str, Any]]) -> bytes:
    """Records as JSON Lines, the shape of ``kaplan import``."""
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def journal(root: Path) -> list[dict[str, Any]]:
    """Every journal entry of the workspace."""
    path = root / STATE_DIR / JOURNAL_FILE
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def stored(root: Path, kind_file: str) -> dict[str, dict[str, Any]]:
    """The raw records of one workspace file, as on disk (no Kaplan code in between)."""
    data: dict[str, dict[str, dict[str, Any]]] = json.loads((root / kind_file).read_bytes())
    return next(iter(data.values()))


def assert_healthy(root: Path) -> None:
    """``kaplan doctor`` passes and no temp file is left that it would not clean."""
    done = kaplan("doctor", root, "--json")
    report = json.loads(done.stdout)
    assert done.returncode == 0, report
    assert report["ok"] is True


# --- several writers --------------------------------------------------------------------------

WRITERS = 3
ROUNDS = 2
PER_ROUND = 10


def _writer(root: Path, writer: int, tmp: Path, codes: list[int], errors: list[str]) -> None:
    for rnd in range(ROUNDS):
        lines: list[dict[str, Any]] = [
            {
                "kind": "account",
                "id": f"acc-w{writer}-r{rnd}-{i}",
                "name": f"客户 {writer}-{rnd}-{i}",
            }
            for i in range(PER_ROUND)
        ]
        # Each writer also updates its own account (its rev is known: only it saves that one)
        # and creates a goal, so every import changes two files through the redo log.
        lines.append({"kind": "account", "id": f"acc-own-{writer}", "rev": rnd + 1,
                      "region": f"round {rnd}"})  # fmt: skip
        lines.append({"kind": "goal", "id": f"goal-w{writer}-r{rnd}",
                      "statement": f"第{rnd}轮：2026年新签{writer + 1}家大客户"})  # fmt: skip
        source = tmp / f"w{writer}-r{rnd}.jsonl"
        source.write_bytes(jsonl(lines))
        done = kaplan("import", root, source, env={**os.environ, "USER": f"writer{writer}"})
        codes.append(done.returncode)
        if done.returncode != 0:
            errors.append(done.stderr.decode())


def test_several_import_processes_at_once_lose_nothing(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws", name="shared")
    for writer in range(WRITERS):
        ws.create(Account(id=f"acc-own-{writer}", name=f"自己的客户 {writer}"))
    codes: list[int] = []
    errors: list[str] = []
    threads = [
        threading.Thread(target=_writer, args=(ws.root, w, tmp_path, codes, errors))
        for w in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == [] and codes == [0] * (WRITERS * ROUNDS)

    accounts = stored(ws.root, "accounts.json")
    goals = stored(ws.root, "goals.json")
    for writer in range(WRITERS):
        own = accounts[f"acc-own-{writer}"]
        assert own["rev"] == ROUNDS + 1 and own["region"] == f"round {ROUNDS - 1}"
        for rnd in range(ROUNDS):
            assert f"goal-w{writer}-r{rnd}" in goals
            for i in range(PER_ROUND):
                assert accounts[f"acc-w{writer}-r{rnd}-{i}"]["rev"] == 1
    assert len(accounts) == WRITERS * (1 + ROUNDS * PER_ROUND)
    assert len(goals) == WRITERS * ROUNDS

    entries = journal(ws.root)
    changes = [(e["kind"], e["id"], e["new_rev"]) for e in entries]
    assert len(changes) == len(set(changes))  # no change journalled twice
    expected = WRITERS + WRITERS * ROUNDS * (PER_ROUND + 2)  # seeds, then every import line
    assert len(entries) == expected
    for writer in range(WRITERS):
        revs = [e["new_rev"] for e in entries if e["id"] == f"acc-own-{writer}"]
        assert revs == list(range(1, ROUNDS + 2))  # every update, in order
    assert_healthy(ws.root)


def _shard_filler(root: Path, writer: int, tmp: Path, codes: list[int], errors: list[str]) -> None:
    for rnd in range(3):
        lines = [
            {"kind": "account", "id": f"acc-w{writer}-r{rnd}-{i:02d}", "name": f"客户 {writer}-{i}",
             "relationship_notes": "拜访记录" * 150}
            for i in range(60)
        ]  # fmt: skip
        source = tmp / f"fill-w{writer}-r{rnd}.jsonl"
        source.write_bytes(jsonl(lines))
        done = kaplan("import", root, source)
        codes.append(done.returncode)
        if done.returncode != 0:
            errors.append(done.stderr.decode())


def test_several_importers_filling_shards_at_once_lose_and_duplicate_nothing(
    tmp_path: Path,
) -> None:
    """Each import adds ~100 KB of accounts: together they split accounts.json and keep
    starting new shards, each importer deciding where its records go while the others do."""
    ws = Workspace.init(tmp_path / "ws", name="shared")
    codes: list[int] = []
    errors: list[str] = []
    threads = [
        threading.Thread(target=_shard_filler, args=(ws.root, w, tmp_path, codes, errors))
        for w in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == [] and codes == [0] * 9
    assert not (ws.root / "accounts.json").exists()
    shards = sorted((ws.root / "accounts").glob("*.json"))
    assert len(shards) > 4
    on_disk = [rid for path in shards for rid in json.loads(path.read_bytes())["accounts"]]
    expected = [f"acc-w{w}-r{r}-{i:02d}" for w in range(3) for r in range(3) for i in range(60)]
    assert sorted(on_disk) == sorted(expected)  # each exactly once, in one shard
    exported = kaplan("export", ws.root, "--kind", "account")
    assert sorted(json.loads(line)["id"] for line in exported.stdout.splitlines()) == sorted(
        expected
    )
    assert_healthy(ws.root)


# --- kill -9 in the middle of an import -------------------------------------------------------

NEW_ACCOUNTS = 2000
NEW_CHECKINS = 1000


@pytest.fixture(scope="module")
def big_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    """A small generated workspace and one import that creates thousands of accounts and
    check-ins and updates every goal: three files changed in one all-or-nothing commit."""
    base = tmp_path_factory.mktemp("kill") / "base"
    generate_workspace(base, GenerateSpec(accounts=200, goals=40, checkins=200, seed=5))
    ws = Workspace.open(base)
    goals = ws.all(Goal)
    owner = ws.all(Account)[0].owner
    lines: list[dict[str, Any]] = [
        {"kind": "account", "id": f"acc-imp-{i:05d}", "name": f"导入客户 {i}", "owner": owner,
         "industry": "制造业", "purchase_history": {"2025-Q1": 1000.0 * i}}
        for i in range(NEW_ACCOUNTS)
    ]  # fmt: skip
    lines += [
        {"kind": "checkin", "id": f"ci-imp-{i:05d}", "goal": goals[i % len(goals)].id,
         "date": "2026-11-01", "actual": float(i), "progress": "导入的进展"}
        for i in range(NEW_CHECKINS)
    ]  # fmt: skip
    lines += [
        {"kind": "goal", "id": g.id, "rev": g.rev, "rationale": "updated by the big import"}
        for g in goals
    ]
    source = base.parent / "import.jsonl"
    source.write_bytes(jsonl(lines))
    expect = {
        "accounts": {f"acc-imp-{i:05d}" for i in range(NEW_ACCOUNTS)},
        "checkins": {f"ci-imp-{i:05d}" for i in range(NEW_CHECKINS)},
        "goals": {g.id: g.rev for g in goals},
    }
    return base, source, expect


def _import_state(ws: Workspace, expect: dict[str, Any]) -> str:
    """``all``, ``none`` or a description of a partial import, as a reader sees it."""
    accounts = set(ws.records("account")) & expect["accounts"]
    checkins = set(ws.records("checkin")) & expect["checkins"]
    goals = ws.records("goal")
    updated = {gid for gid, rev in expect["goals"].items() if goals[gid].rev == rev + 1}
    parts = (len(accounts), len(checkins), len(updated))
    if parts == (len(expect["accounts"]), len(expect["checkins"]), len(expect["goals"])):
        return "all"
    if parts == (0, 0, 0):
        return "none"
    return f"partial: {parts[0]} accounts, {parts[1]} check-ins, {parts[2]} goal updates"


def _kill_when(proc: subprocess.Popen[bytes], root: Path, trigger: str, delay: float) -> str:
    """SIGKILL ``proc`` after ``delay`` s, or as soon as ``trigger`` shows on disk."""
    deadline = time.monotonic() + (delay if trigger == "time" else 30)
    while proc.poll() is None and time.monotonic() < deadline:
        if trigger == "temp file" and any(root.glob(f".*{TMP_SUFFIX}")):
            break
        if trigger == "redo log" and (root / STATE_DIR / TXN_FILE).exists():
            break
        time.sleep(0.0005)
    if proc.poll() is not None:
        return "finished first"
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    return f"killed ({trigger})"


def test_kill_9_during_a_big_import_leaves_a_healthy_workspace_and_all_or_nothing(
    big_import: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    base, source, expect = big_import
    # Calibrate: how long does the whole import take on this machine now?
    calib = tmp_path / "calib"
    shutil.copytree(base, calib)
    began = time.monotonic()
    done = kaplan("import", calib, source)
    took = time.monotonic() - began
    assert done.returncode == 0, done.stderr.decode()
    assert _import_state(Workspace.open(calib, read_only=True), expect) == "all"

    rng = random.Random(int(os.environ.get("KAPLAN_KILL_SEED", "9")))
    trials = [("time", rng.uniform(0.2, 1.0) * took) for _ in range(2)]
    trials += [("temp file", 0.0), ("redo log", 0.0)]
    outcomes = []
    for number, (trigger, delay) in enumerate(trials):
        root = tmp_path / f"trial{number}"
        shutil.copytree(base, root)
        proc = subprocess.Popen(
            [kaplan_bin(), "import", str(root), str(source)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        how = _kill_when(proc, root, trigger, delay)
        # What a reader sees right after the crash, before any writer tidies up...
        reader = _import_state(Workspace.open(root, read_only=True), expect)
        assert_healthy(root)
        # ...and after the next writer opens the workspace (it finishes a half-done change).
        after = _import_state(Workspace.open(root), expect)
        outcomes.append((trigger, round(delay, 2), how, reader, after))
        assert reader in ("all", "none"), outcomes
        assert after == reader, outcomes
        assert not (root / STATE_DIR / TXN_FILE).exists()
        assert [p for p in diagnose(root) if p.severity == "error"] == []
    # The trials must have killed something mid-way, else they proved nothing.
    print("kill trials (trigger, delay s, what happened, reader saw, after recovery):", outcomes)
    assert sum(o[2].startswith("killed") for o in outcomes) >= 3, outcomes


DIE_AFTER_FIRST_RENAME = """
import os, sys
real_replace = os.replace
def replace_then_die(src, dst):
    real_replace(src, dst)
    if str(dst).endswith(".json") and "txn" not in str(dst):
        os._exit(137)  # like kill -9 between the renames of one commit
os.replace = replace_then_die
from kaplan_tui.cli import main
main(sys.argv[1:])
"""


def test_a_reader_never_sees_half_a_change_after_a_crash_between_renames(
    big_import: tuple[Path, Path, dict[str, Any]], tmp_path: Path
) -> None:
    base, source, expect = big_import
    root = tmp_path / "ws"
    shutil.copytree(base, root)
    done = subprocess.run(
        [sys.executable, "-c", DIE_AFTER_FIRST_RENAME, "import", str(root), str(source)],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 137, done.stderr.decode()
    assert (root / STATE_DIR / TXN_FILE).exists()  # one file moved into place, the rest not yet
    exported = kaplan("export", root, "--kind", "checkin")  # a reader in another process
    ids = {json.loads(line)["id"] for line in exported.stdout.splitlines()}
    assert expect["checkins"] <= ids
    assert _import_state(Workspace.open(root, read_only=True), expect) == "all"
    assert_healthy(root)
    assert _import_state(Workspace.open(root), expect) == "all"  # the next writer finishes it
    assert not (root / STATE_DIR / TXN_FILE).exists()


# --- two editors of one goal ------------------------------------------------------------------


def test_two_editors_of_one_goal_the_second_gets_the_conflict(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws", name="editors")
    ws.create(Goal(id="goal-1", statement="2026年华东区收入增长10%"))
    for round_ in range(2):
        # Both editors read the goal (the same rev), each edits it, both save at once.
        exported = kaplan("export", ws.root, "--kind", "goal")
        assert exported.returncode == 0
        [line] = [json.loads(x) for x in exported.stdout.splitlines()]
        files = []
        for who in ("alice", "bob"):
            edit = {"kind": "goal", "id": "goal-1", "rev": line["rev"],
                    "statement": f"{who} 第{round_}次修改：2026年华东区收入增长12%"}  # fmt: skip
            path = tmp_path / f"{who}-{round_}.jsonl"
            path.write_bytes(jsonl([edit]))
            files.append(path)
        procs = [
            subprocess.Popen(
                [kaplan_bin(), "import", str(ws.root), str(f)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for f in files
        ]
        outputs = [p.communicate(timeout=60) for p in procs]
        results = [(p.returncode, err.decode()) for p, (_, err) in zip(procs, outputs, strict=True)]
        codes = sorted(code for code, _ in results)
        assert codes == [0, 3], results
        winner = ("alice", "bob")[[c for c, _ in results].index(0)]
        loser_err = next(err for code, err in results if code == 3)
        assert f"rev {line['rev'] + 1}" in loser_err, loser_err
        goal = stored(ws.root, "goals.json")["goal-1"]
        assert goal["rev"] == line["rev"] + 1
        assert goal["statement"].startswith(f"{winner} 第{round_}次")
    # A stale save arriving later is refused too, and nothing was overwritten silently.
    late = tmp_path / "late.jsonl"
    late.write_bytes(jsonl([{"kind": "goal", "id": "goal-1", "rev": 1, "statement": "stale"}]))
    done = kaplan("import", ws.root, late)
    assert done.returncode == 3 and b"rev 1" in done.stderr
    assert [e["new_rev"] for e in journal(ws.root) if e["id"] == "goal-1"] == [1, 2, 3]


# --- read-only workspace and full disk --------------------------------------------------------


def _can_mount() -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    probe = Path(os.environ.get("TMPDIR", "/tmp")) / f"kaplan-mount-probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    try:
        ok = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)], capture_output=True
        ).returncode == 0  # fmt: skip
        if ok:
            subprocess.run(["umount", str(probe)], check=True)
        return ok
    finally:
        probe.rmdir()


CAN_MOUNT = _can_mount()


@contextlib.contextmanager
def mounted(args: list[str], target: Path) -> Iterator[Path]:
    """Mount something at ``target`` for the ``with`` block (root only)."""
    target.mkdir(exist_ok=True)
    subprocess.run(["mount", *args, str(target)], check=True, capture_output=True)
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


def _one_account(tmp_path: Path) -> Path:
    source = tmp_path / "one.jsonl"
    source.write_bytes(jsonl([{"kind": "account", "name": "新客户"}]))
    return source


@pytest.mark.skipif(not CAN_MOUNT, reason="needs root and permission to mount")
def test_a_read_only_mount_gives_a_clear_message_and_stays_readable(tmp_path: Path) -> None:
    ws = Workspace.init(tmp_path / "ws", name="ro")
    ws.create(Account(id="acc-1", name="华为云"))
    ro = tmp_path / "ro"
    with mounted(["--bind", "-o", "ro", str(ws.root)], ro):
        if os.access(ro, os.W_OK):  # old mount(8): a read-only bind needs a remount
            subprocess.run(["mount", "-o", "remount,ro,bind", str(ro)], check=True)
        before = (ro / "accounts.json").read_bytes()
        done = kaplan("import", ro, _one_account(tmp_path))
        err = done.stderr.decode()
        assert done.returncode == 1, err
        assert "read-only" in err and "Traceback" not in err, err
        assert (ro / "accounts.json").read_bytes() == before
        exported = kaplan("export", ro)  # reading still works
        assert exported.returncode == 0 and b"acc-1" in exported.stdout
        assert kaplan("doctor", ro).returncode == 0


def _as_nobody() -> None:
    os.setgid(65534)
    os.setuid(65534)


def _nobody_can_run_kaplan() -> bool:
    if os.geteuid() != 0:
        return False
    try:
        probe = subprocess.run([sys.executable, "-c", "import kaplan_tui"],
                               preexec_fn=_as_nobody, capture_output=True)  # fmt: skip
    except OSError:  # the interpreter lives where other users cannot go (/root)
        return False
    return probe.returncode == 0


@pytest.mark.skipif(
    not _nobody_can_run_kaplan(), reason="needs root, and an interpreter other users can run"
)
def test_a_colleague_without_write_permission_gets_a_clear_message() -> None:
    shared = Path(tempfile.mkdtemp(prefix="kaplan-ro-"))
    shared.chmod(0o755)
    try:
        ws = Workspace.init(shared / "ws", name="theirs")
        ws.create(Account(id="acc-1", name="华为云"))
        for path in [ws.root, *ws.root.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        source = shared / "one.jsonl"
        source.write_bytes(jsonl([{"kind": "account", "name": "新客户"}]))
        source.chmod(0o644)
        env = {**os.environ, "HOME": str(shared), "KAPLAN_DATA_DIR": str(shared / "data")}
        done = kaplan("import", ws.root, source, preexec_fn=_as_nobody, env=env)
        err = done.stderr.decode()
        assert done.returncode == 1, err
        assert "permission" in err and "Traceback" not in err, err
        assert list(stored(ws.root, "accounts.json")) == ["acc-1"]
        assert kaplan("export", ws.root, preexec_fn=_as_nobody, env=env).returncode == 0
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_a_read_only_file_system_error_names_the_cause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process, so it runs without root: the lock file cannot be opened (EROFS)."""
    from kaplan_tui.storage import ReadOnlyError

    ws = Workspace.init(tmp_path / "ws", name="erofs")
    real_open = os.open

    def refuse_lock(path: Any, flags: int, *args: Any, **kw: Any) -> int:
        if str(path).endswith(f"{STATE_DIR}/lock"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", refuse_lock)  # a fresh folder: its lock file is not open
    with pytest.raises(ReadOnlyError, match=r"(?i)read-only file system.*can only be read"):
        ws.create(Account(name="新客户"))


def _import_big(tmp_path: Path, count: int) -> Path:
    source = tmp_path / "big.jsonl"
    source.write_bytes(
        jsonl(
            [
                {"kind": "account", "name": f"客户{i}", "relationship_notes": "备注" * 200}
                for i in range(count)
            ]
        )
    )
    return source


def _assert_untouched_after_a_failed_save(root: Path, before: dict[str, bytes]) -> None:
    assert {name: (root / name).read_bytes() for name in before} == before
    assert list(root.rglob(f".*{TMP_SUFFIX}")) == []  # no temp file left to fill the disk
    assert [p.name for p in root.iterdir() if p.is_dir()] == [STATE_DIR]  # no shard folder
    assert not (root / STATE_DIR / TXN_FILE).exists()


@pytest.mark.skipif(not CAN_MOUNT, reason="needs root and permission to mount")
def test_a_full_disk_gives_a_clear_message_and_changes_nothing(tmp_path: Path) -> None:
    with mounted(["-t", "tmpfs", "-o", "size=1m", "tmpfs"], tmp_path / "small") as disk:
        ws = Workspace.init(disk / "ws", name="full")
        ws.create(Account(id="acc-1", name="华为云"))
        ws.create(Goal(id="goal-1", statement="2026年新签5家大客户"))
        before = {n: (ws.root / n).read_bytes() for n in ("accounts.json", "goals.json")}
        source = _import_big(tmp_path, 800)  # about 1.5 MB of accounts: more than fits
        done = kaplan("import", ws.root, source)
        err = done.stderr.decode()
        assert done.returncode == 1, err
        assert "full" in err and "Traceback" not in err, err
        _assert_untouched_after_a_failed_save(ws.root, before)
        assert kaplan("doctor", ws.root).returncode == 0
        small = _one_account(tmp_path)
        assert kaplan("import", ws.root, small).returncode == 0  # small saves still fit


def _limit_file_size(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_file_size_limit_mid_write_gives_a_clear_message_and_changes_nothing(
    tmp_path: Path,
) -> None:
    ws = Workspace.init(tmp_path / "ws", name="quota")
    ws.create(Account(id="acc-1", name="华为云"))
    ws.create(Goal(id="goal-1", statement="2026年新签5家大客户"))
    before = {n: (ws.root / n).read_bytes() for n in ("accounts.json", "goals.json")}
    source = _import_big(tmp_path, 300)  # about 570 KB of accounts: split into shards
    done = kaplan("import", ws.root, source, preexec_fn=lambda: _limit_file_size(100_000))
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert "full" in err and "Traceback" not in err, err
    _assert_untouched_after_a_failed_save(ws.root, before)
    assert_healthy(ws.root)


def test_after_a_failed_save_the_same_process_saves_only_what_it_should(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process: the writer reuses its parsed copy of a file between saves, so a save that
    failed half-way (TinyDB had already changed that copy) must not leak into the next one."""
    from kaplan_tui.storage.errors import DiskFullError

    ws = Workspace.init(tmp_path / "ws", name="retry")
    acc = ws.create(Account(id="acc-1", name="华为云"))
    real_write = os.write
    calls = {"n": 0}

    def full_once(fd: int, data: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_once)
    with pytest.raises(DiskFullError, match="full"):
        ws.commit([Change("create", Account(id="acc-lost", name="不该出现")),
                   Change("update", acc.model_copy(update={"region": "lost"}))])  # fmt: skip
    monkeypatch.undo()
    saved = ws.save(acc.model_copy(update={"industry": "ICT"}))
    assert saved.rev == 2
    on_disk = stored(ws.root, "accounts.json")
    assert list(on_disk) == ["acc-1"]
    assert on_disk["acc-1"]["region"] == "" and on_disk["acc-1"]["industry"] == "ICT"
    assert [e["id"] for e in journal(ws.root)] == ["acc-1", "acc-1"]


# --- kaplan generate --------------------------------------------------------------------------


def test_generate_is_deterministic_healthy_and_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    args = ["--accounts", "120", "--goals", "40", "--checkins", "300", "--seed", "3"]
    for name in ("a", "b"):
        done = kaplan("generate", tmp_path / name, *args)
        assert done.returncode == 0, done.stderr.decode()
    assert_healthy(tmp_path / "a")

    def content(name: str) -> list[dict[str, Any]]:
        out = kaplan("export", tmp_path / name).stdout.splitlines()
        audit = {"created_at", "updated_at", "created_by", "updated_by"}
        return [{k: v for k, v in json.loads(x).items() if k not in audit} for x in out]

    records = content("a")
    assert records == content("b")
    kinds = {r["kind"] for r in records}
    assert kinds == {"account", "segment", "goal", "checkin", "person", "team", "pillar"}
    assert sum(r["kind"] == "account" for r in records) == 120
    assert sum(r["kind"] == "goal" for r in records) == 40
    assert sum(r["kind"] == "checkin" for r in records) == 300
    horizons = {r["horizon"] for r in records if r["kind"] == "goal"}
    assert horizons == {"long", "mid", "short"}
    assert any(r["kind"] == "account" and len(r["purchase_history"]) >= 10 for r in records)

    spec = GenerateSpec(accounts=120, goals=40, checkins=300, seed=3)
    assert generate(spec) == generate(spec)
    assert generate(spec) != generate(GenerateSpec(120, 40, 300, seed=4))  # other seed, other data

    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    done = kaplan("generate", busy, *args)
    assert done.returncode == 2 and b"busy" in done.stderr
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]
    assert kaplan("generate", tmp_path / "d", "--accounts", "5").returncode == 2


def test_generated_records_validate_and_reference_each_other(tmp_path: Path) -> None:
    report = generate_workspace(
        tmp_path / "ws", GenerateSpec(accounts=300, goals=100, checkins=800, seed=11)
    )
    ws = Workspace.open(report.root)
    assert ws.problems == []
    snap = ws.snapshot()
    assert len(snap.accounts) == 300 and len(snap.goals) == 100 and len(snap.checkins) == 800
    assert {a.industry for a in snap.accounts.values()} >= {"ICT", "医疗健康", "制造业"}
    assert all(snap.people[a.owner].territory.accounts for a in snap.accounts.values() if a.owner)
    for goal in snap.goals.values():
        if goal.parent:
            parent = snap.goals[goal.parent]
            order = ["short", "mid", "long"]
            assert order.index(parent.horizon.value) >= order.index(goal.horizon.value)
    assert all(isinstance(c, CheckIn) and c.goal in snap.goals for c in snap.checkins.values())
    managers = [p for p in snap.people.values() if p.manager]
    assert managers and all(p.manager in snap.people for p in managers)
