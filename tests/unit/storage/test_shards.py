"""A kind that outgrows one file is kept in a folder of shard files (kaplan_tui/storage/shards.py):
saves stay small, and every guarantee of DESIGN §3 holds per shard, across crashes too."""

from __future__ import annotations

import errno
import grp
import json
import multiprocessing
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kaplan_tui.core.models import Account, Goal
from kaplan_tui.storage import Change, ReadOnlyError, Workspace, WorkspaceError, shards
from kaplan_tui.storage.doctor import diagnose
from kaplan_tui.storage.errors import DiskFullError
from kaplan_tui.storage.transfer import export_records
from kaplan_tui.storage.workspace import STATE_DIR, TXN_FILE

MakeWs = Callable[..., Workspace]
ctx = multiprocessing.get_context("fork")


@pytest.fixture(autouse=True)
def small_shards(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split at 6 KB into shards of 3 KB: a dozen goals are enough to see shards."""
    monkeypatch.setattr(shards, "SPLIT_BYTES", 6000)
    monkeypatch.setattr(shards, "SHARD_BYTES", 3000)


def goal(i: int) -> Goal:
    return Goal(id=f"goal-{i:03d}", statement=f"2026年华东区第{i}个目标：新签3家大客户" + "。" * 60)


def on_disk(root: Path, kind_folder: str = "goals") -> dict[str, dict[str, Any]]:
    """Every record of a kind as stored, by file, read with plain json (no Kaplan code)."""
    out = {}
    single = root / f"{kind_folder}.json"
    if single.exists():
        out[single.name] = json.loads(single.read_bytes())[kind_folder]
    folder = root / kind_folder
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            out[f"{kind_folder}/{path.name}"] = json.loads(path.read_bytes())[kind_folder]
    return out


def split_ws(make_ws: MakeWs, count: int = 20) -> Workspace:
    ws = make_ws()
    ws.commit([Change("create", goal(i)) for i in range(count)])
    assert ws.files_of("goal")[0] == "goals/000.json"
    return ws


def test_a_kind_outgrowing_its_file_is_split_into_shards_losing_nothing(make_ws: MakeWs) -> None:
    ws = make_ws()
    for i in range(4):
        ws.create(goal(i))
    assert ws.files_of("goal") == ["goals.json"]  # small kinds stay one readable file
    ws.commit([Change("create", goal(i)) for i in range(4, 20)])
    assert not (ws.root / "goals.json").exists()
    stored = on_disk(ws.root)
    assert list(stored) == ws.files_of("goal") and len(stored) > 3
    assert sorted(rid for recs in stored.values() for rid in recs) == [
        f"goal-{i:03d}" for i in range(20)
    ]  # every record once, in exactly one shard
    assert all(p.stat().st_size < 2 * shards.SHARD_BYTES for p in (ws.root / "goals").iterdir())
    text = (ws.root / "goals" / "000.json").read_text("utf-8")
    assert text.startswith('{\n  "goals": {') and "华东区" in text  # pretty, sorted, UTF-8
    fresh = Workspace.open(ws.root)
    assert [g.id for g in fresh.all(Goal)] == [f"goal-{i:03d}" for i in range(20)]
    assert fresh.problems == [] and diagnose(ws.root) == []
    assert any(b.name.endswith("-goals.json") for b in ws.backups("goal"))  # the old file kept


def test_a_save_rewrites_only_the_shard_of_its_record(make_ws: MakeWs) -> None:
    ws = split_ws(make_ws)
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in (ws.root / "goals").iterdir()}
    target = ws.get(Goal, "goal-007")
    assert target is not None
    home = ws.file_of("goal", "goal-007")
    saved = ws.save(target.model_copy(update={"rationale": "客户扩产"}))
    after = {p.name: (p.stat().st_ino, p.read_bytes()) for p in (ws.root / "goals").iterdir()}
    changed = [name for name in after if after[name] != before.get(name)]
    assert [f"goals/{n}" for n in changed] == [home]
    assert Workspace.open(ws.root).get(Goal, "goal-007") == saved


def test_a_delete_rewrites_only_the_shard_of_its_record(make_ws: MakeWs) -> None:
    ws = split_ws(make_ws)
    home = ws.file_of("goal", "goal-011")
    others = {n: (ws.root / n).read_bytes() for n in ws.files_of("goal") if n != home}
    ws.delete(ws.get(Goal, "goal-011"))  # type: ignore[arg-type]
    assert {n: (ws.root / n).read_bytes() for n in others} == others
    assert "goal-011" not in on_disk(ws.root)[home]
    assert Workspace.open(ws.root).get(Goal, "goal-011") is None
    assert [e["op"] for e in ws.journal()][-1] == "delete"


def test_new_records_fill_the_last_shard_then_start_a_new_one(make_ws: MakeWs) -> None:
    ws = split_ws(make_ws)
    first = ws.files_of("goal")
    untouched = {n: (ws.root / n).read_bytes() for n in first[:-1]}
    for i in range(20, 40):
        ws.create(goal(i))
    assert len(ws.files_of("goal")) > len(first)
    assert {n: (ws.root / n).read_bytes() for n in untouched} == untouched
    assert len(Workspace.open(ws.root).all(Goal)) == 40


def _stale_listing(monkeypatch: pytest.MonkeyPatch, hidden: str) -> None:
    """Folder listings miss the file ``hidden``, as an NFS client's cached listing does for a
    few seconds after another client made it."""
    real = os.listdir

    def listdir(path: Any = ".") -> list[str]:
        return [name for name in real(path) if name != hidden]

    monkeypatch.setattr(os, "listdir", listdir)


@pytest.mark.parametrize("count", [1, 10])  # one new shard, or several (through the redo log)
def test_a_new_shard_a_stale_listing_misses_is_never_overwritten(
    make_ws: MakeWs, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    alice = split_ws(make_ws)
    bob = Workspace.open(alice.root, user="bob")
    before = set(bob.files_of("goal"))
    made = 100
    while set(alice.files_of("goal")) == before:  # alice fills the last shard, starts a new one
        alice.create(goal(made))
        made += 1
    [new] = set(alice.files_of("goal")) - before
    hers = on_disk(alice.root)[new]
    _stale_listing(monkeypatch, new.split("/")[1])
    bobs = [Change("create", goal(i)) for i in range(200, 200 + count)]
    with pytest.raises(WorkspaceError, match=f"{new}.*nothing was saved"):
        bob.commit(bobs)  # his goals would start a new shard too: the one he cannot see
    assert on_disk(alice.root)[new] == hers
    monkeypatch.undo()  # the listing catches up
    bob.commit(bobs)
    fresh = Workspace.open(alice.root)
    assert fresh.problems == []
    assert {g.id for g in fresh.all(Goal)} == {
        goal(i).id for i in [*range(20), *range(100, made)]
    } | {c.record.id for c in bobs}


def _create_then_die_before_the_redo_log(root: str) -> None:
    ws = Workspace.open(root)
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        if "txn" in str(dst):
            os._exit(137)  # like kill -9: the new shards are made empty, nothing committed
        real_replace(src, dst)

    os.replace = replace  # type: ignore[assignment]
    ws.commit([Change("create", goal(i)) for i in range(100, 110)])  # a few new shards


def test_kill_9_before_new_shards_are_committed_leaves_a_healthy_workspace(
    make_ws: MakeWs,
) -> None:
    ws = split_ws(make_ws)
    proc = ctx.Process(target=_create_then_die_before_the_redo_log, args=(str(ws.root),))
    proc.start()
    proc.join(30)
    assert proc.exitcode == 137
    reopened = Workspace.open(ws.root)
    assert reopened.problems == [] and len(reopened.all(Goal)) == 20
    reopened.commit([Change("create", goal(i)) for i in range(100, 110)])  # saving goes on
    assert len(Workspace.open(ws.root).all(Goal)) == 30 and diagnose(ws.root) == []


def test_a_shard_grown_by_edits_hands_records_to_new_shards(make_ws: MakeWs) -> None:
    ws = split_ws(make_ws)
    home = ws.file_of("goal", "goal-001")
    mates = [g for g in ws.all(Goal) if ws.file_of("goal", g.id) == home]
    ws.commit([Change("update", g.model_copy(update={"rationale": "原因" * 300})) for g in mates])
    assert (ws.root / home).stat().st_size <= shards.SPLIT_BYTES
    assert len({ws.file_of("goal", g.id) for g in mates}) > 1
    assert len(Workspace.open(ws.root).all(Goal)) == 20 and diagnose(ws.root) == []


def test_a_record_another_process_moved_to_a_new_shard_is_saved_where_it_now_is(
    make_ws: MakeWs,
) -> None:
    alice = split_ws(make_ws)
    home = alice.file_of("goal", "goal-001")
    mates = [g for g in alice.all(Goal) if alice.file_of("goal", g.id) == home]
    bob = Workspace.open(alice.root, user="bob")
    bob.commit(  # bob's edits overflow the shard: its last records move to new shards
        [
            Change("update", g.model_copy(update={"rationale": "原因" * 300}))
            for g in mates
            if g.id != mates[-1].id
        ]
    )
    moved = mates[-1]
    assert bob.file_of("goal", moved.id) != home
    saved = alice.save(moved.model_copy(update={"statement": "alice 改过"}))
    assert saved.rev == moved.rev + 1
    fresh = Workspace.open(alice.root)
    assert fresh.problems == [] and fresh.get(Goal, moved.id) == saved
    assert sum(moved.id in recs for recs in on_disk(alice.root).values()) == 1


def test_another_process_saving_to_a_shard_is_noticed(make_ws: MakeWs) -> None:
    ws = split_ws(make_ws)
    first = ws.snapshot()
    other = Workspace.open(ws.root, user="bob")
    other.save(other.get(Goal, "goal-012").model_copy(update={"statement": "bob 改过"}))  # type: ignore[union-attr]
    assert ws.changed_kinds() == ["goal"]
    assert ws.get(Goal, "goal-012").statement == "bob 改过"  # type: ignore[union-attr]
    assert ws.snapshot() is not first and ws.changed_kinds() == []
    other.create(goal(99))  # lands in a shard ws has not seen yet, maybe a new one
    assert ws.get(Goal, "goal-099") is not None


def test_a_stale_save_to_a_shard_is_a_conflict(make_ws: MakeWs) -> None:
    from kaplan_tui.storage import ConflictError

    ws = split_ws(make_ws)
    mine = ws.get(Goal, "goal-003")
    assert mine is not None
    other = Workspace.open(ws.root, user="bob")
    other.save(mine.model_copy(update={"rationale": "bob"}))
    with pytest.raises(ConflictError, match="bob"):
        ws.save(mine.model_copy(update={"rationale": "alice"}))
    with pytest.raises(WorkspaceError, match="already taken"):
        other.create(goal(3))  # an id stored in another shard


def test_a_damaged_shard_makes_the_kind_read_only_naming_the_shard(make_ws: MakeWs) -> None:
    ws = split_ws(make_ws)
    g = ws.get(Goal, "goal-015")
    assert g is not None
    ws.save(g.model_copy(update={"rationale": "backed up"}))  # its shard now has a backup
    name = ws.file_of("goal", "goal-015")
    shard = ws.root / name
    shard.write_text(shard.read_text("utf-8").replace('"horizon": "short"', '"horizon": 7', 1))
    damaged = shard.read_bytes()
    reopened = Workspace.open(ws.root)
    problem = reopened.problems[0]
    assert problem.file == name and problem.field == "horizon" and problem.record
    assert len(reopened.all(Goal)) == 19  # the other records still show
    with pytest.raises(ReadOnlyError, match="goals/"):
        reopened.create(goal(50))
    assert shard.read_bytes() == damaged
    found = [p for p in diagnose(ws.root) if p.severity == "warning" and "restore" in p.reason]
    assert found and found[0].file == name
    kept = reopened.restore_backup("goal")
    assert kept.read_bytes() == damaged and kept.parent == shard.parent
    fixed = Workspace.open(ws.root)
    assert fixed.problems == [] and len(fixed.all(Goal)) == 20


def test_restore_a_chosen_shard_backup_but_not_the_file_from_before_the_split(
    make_ws: MakeWs,
) -> None:
    ws = make_ws()
    for i in range(4):
        ws.create(goal(i))
    ws.commit([Change("create", goal(i)) for i in range(4, 20)])
    g = ws.get(Goal, "goal-005")
    assert g is not None
    ws.save(g.model_copy(update={"rationale": "second thoughts"}))
    home = ws.file_of("goal", "goal-005")
    [shard_backup] = ws.backups("goal", home)
    kept = ws.restore_backup("goal", shard_backup)  # undo that save
    assert kept.parent == (ws.root / home).parent
    assert Workspace.open(ws.root).get(Goal, "goal-005").rationale == ""  # type: ignore[union-attr]
    before_split = next(b for b in ws.backups("goal") if b.name.endswith("-goals.json"))
    with pytest.raises(WorkspaceError, match="before its records were split"):
        ws.restore_backup("goal", before_split)
    assert not (ws.root / "goals.json").exists()


def test_a_save_refused_by_a_full_disk_names_the_shard_with_its_folder(
    make_ws: MakeWs, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = split_ws(make_ws)
    target = ws.get(Goal, "goal-007")
    assert target is not None
    home = ws.file_of("goal", "goal-007")  # goals/002.json: checkins/002.json is another file

    def full(fd: int, data: Any) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(DiskFullError, match=f"^{home}: not saved"):
        ws.save(target.model_copy(update={"rationale": "y"}))


def test_a_record_in_two_shards_is_reported_not_guessed(make_ws: MakeWs) -> None:
    ws = split_ws(make_ws)
    names = ws.files_of("goal")
    first, last = ws.root / names[0], ws.root / names[-1]
    data = json.loads(last.read_bytes())
    rid, doc = next(iter(json.loads(first.read_bytes())["goals"].items()))
    data["goals"][rid] = doc
    last.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    reopened = Workspace.open(ws.root)
    [problem] = reopened.problems
    assert (problem.file, problem.record) == (names[-1], rid) and names[0] in problem.reason
    with pytest.raises(ReadOnlyError):
        reopened.create(goal(60))


def test_a_record_in_a_later_shard_than_an_invalid_copy_is_reported_too(make_ws: MakeWs) -> None:
    """Shards are merged whole while every record is new and valid; after a shard with a
    record that does not validate, ids are checked one by one, that record's included."""
    ws = split_ws(make_ws)
    names = ws.files_of("goal")
    assert len(names) >= 3
    middle, last = ws.root / names[1], ws.root / names[-1]
    data = json.loads(middle.read_bytes())
    rid, doc = next(iter(data["goals"].items()))
    data["goals"][rid] = {**doc, "horizon": "someday"}  # no longer valid
    middle.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
    later = json.loads(last.read_bytes())
    later["goals"][rid] = doc  # a valid copy in a later shard
    last.write_text(json.dumps(later, ensure_ascii=False, indent=2, sort_keys=True))
    for reopened in (Workspace.open(ws.root), Workspace.open(ws.root)):  # validated, cached
        problems = reopened.problems
        assert {(p.file, p.record) for p in problems} >= {(names[1], rid), (names[-1], rid)}
        assert any(p.file == names[-1] and names[1] in p.reason for p in problems)
        assert reopened.get(Goal, rid) is None  # neither copy is guessed
        assert reopened.file_of("goal", rid) == names[1]  # where it is first
        assert len(reopened.all(Goal)) == 19


def test_the_single_file_beside_its_shards_is_reported(make_ws: MakeWs) -> None:
    ws = split_ws(make_ws)
    (ws.root / "goals.json").write_text('{"goals": {}}')  # say, a git merge brought it back
    reopened = Workspace.open(ws.root)
    assert any(p.file == "goals.json" and "both" in p.reason for p in reopened.problems)
    with pytest.raises(ReadOnlyError):
        reopened.create(goal(61))


def test_restore_does_not_offer_a_backup_for_a_kind_kept_in_two_places(make_ws: MakeWs) -> None:
    ws = make_ws()
    for i in range(4):
        ws.create(goal(i))  # goals.json has backups from before the split
    ws.commit([Change("create", goal(i)) for i in range(4, 20)])
    merged = json.dumps({"goals": {"goal-900": goal(900).model_dump(mode="json")}})
    (ws.root / "goals.json").write_text(merged)  # a git merge brought back a goals.json
    assert not any("restore" in p.reason for p in diagnose(ws.root))
    with pytest.raises(WorkspaceError, match=r"both goals\.json and the folder goals/"):
        Workspace.open(ws.root).restore_backup("goal")
    assert (ws.root / "goals.json").read_text() == merged
    assert sorted(p.name for p in ws.root.iterdir() if "goals" in p.name) == ["goals", "goals.json"]


def test_a_symlinked_shard_is_refused_and_its_target_untouched(
    make_ws: MakeWs, tmp_path: Path
) -> None:
    ws = split_ws(make_ws)
    victim = tmp_path / "victim.json"
    victim.write_text('{"goals": {}}')
    (ws.root / "goals" / "099.json").symlink_to(victim)
    reopened = Workspace.open(ws.root)
    assert any(
        p.file == "goals/099.json" and "symbolic link" in p.reason for p in reopened.problems
    )
    with pytest.raises(ReadOnlyError):
        reopened.create(goal(62))
    assert victim.read_text() == '{"goals": {}}'


def test_a_symlinked_shard_folder_is_refused_and_nothing_in_its_target_touched(
    make_ws: MakeWs, tmp_path: Path
) -> None:
    ws = split_ws(make_ws)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "000.json").write_text('{"goals": {}}')
    old_temp = victim / ".draft.json.tmp"  # looks like a temp an interrupted save left
    old_temp.write_text("someone's work")
    os.utime(old_temp, (0, 0))
    (ws.root / "goals").rename(tmp_path / "goals-moved-away")
    (ws.root / "goals").symlink_to(victim)  # planted by a group member
    reopened = Workspace.open(ws.root)
    assert any(p.file == "goals" and "symbolic link" in p.reason for p in reopened.problems)
    with pytest.raises(ReadOnlyError):
        reopened.create(goal(63))
    reopened.create(Account(id="acc-1", name="华为"))  # other kinds still save (and tidy up)
    assert sorted(p.name for p in victim.iterdir()) == [".draft.json.tmp", "000.json"]
    assert old_temp.read_text() == "someone's work"
    assert (victim / "000.json").read_text() == '{"goals": {}}'
    assert not any("draft" in p.file for p in diagnose(ws.root))


def test_a_backup_folder_planted_as_a_symlink_is_refused_and_its_target_untouched(
    make_ws: MakeWs, tmp_path: Path
) -> None:
    ws = split_ws(make_ws)
    target = ws.get(Goal, "goal-007")
    assert target is not None
    home = ws.file_of("goal", "goal-007")
    victim = tmp_path / "victim"  # someone's folder of files that happen to end like a shard
    victim.mkdir()
    for i in range(35):
        (victim / f"2020-{i:02d}-{home.split('/')[1]}").write_text(f"report {i}")
    before = sorted(p.name for p in victim.iterdir())
    planted = ws.root / STATE_DIR / "backups" / "goals" / home.split("/")[1][:-5]
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.symlink_to(victim)  # by a group member, where this shard's backups go
    shard = (ws.root / home).read_bytes()
    with pytest.raises(WorkspaceError, match=f"backups/goals/{planted.name}.*symbolic link"):
        ws.save(target.model_copy(update={"rationale": "y"}))
    assert sorted(p.name for p in victim.iterdir()) == before
    assert (ws.root / home).read_bytes() == shard  # nothing saved without its backup


def test_export_and_doctor_see_every_record_of_a_sharded_kind(make_ws: MakeWs) -> None:
    ws = split_ws(make_ws)
    ws.create(Account(id="acc-1", name="华为"))
    exported = [r["id"] for r in export_records(ws, ["goal"])]
    assert exported == [f"goal-{i:03d}" for i in range(20)]
    (ws.root / "goals" / "notes.json").write_text("{}")
    assert [p.file for p in diagnose(ws.root)] == ["goals/notes.json"]  # a warning, ignored


def test_group_workspace_shard_folder_is_setgid_and_files_0660(make_ws: MakeWs) -> None:
    group = grp.getgrgid(os.getgid()).gr_name
    ws = make_ws(group=group)
    ws.commit([Change("create", goal(i)) for i in range(20)])
    folder = ws.root / "goals"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o2770
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o660}
    assert diagnose(ws.root) == []
    old_umask = os.umask(0o022)  # a member whose umask keeps the group out
    try:
        ws.save(ws.get(Goal, "goal-004").model_copy(update={"rationale": "x"}))  # type: ignore[union-attr]
        ws.create(goal(20))
        ws.commit([Change("create", goal(i)) for i in range(21, 30)])  # new shards
    finally:
        os.umask(old_umask)
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o660}
    backups = ws.root / STATE_DIR / "backups"
    modes = {stat.S_IMODE(p.stat().st_mode) for p in backups.rglob("*") if p.is_dir()}
    assert modes == {0o2770}  # the next member can keep backups there too


# --- kill -9 in the middle of a split -----------------------------------------------------


def _split_then_die(root: str, die_at: int) -> None:
    """Make the change that splits goals.json, dying at filesystem step ``die_at`` (a rename
    or the removal of goals.json), like kill -9."""
    ws = Workspace.open(root)
    steps = {"n": 0}
    real_replace, real_unlink = os.replace, os.unlink

    def step() -> None:
        steps["n"] += 1
        if steps["n"] == die_at:
            os._exit(137)

    def replace(src: Any, dst: Any) -> None:
        if "txn" in str(dst):
            step()  # step 1: the new shards are staged, the redo log not yet in place
        real_replace(src, dst)
        if "txn" not in str(dst):
            step()

    def unlink(path: Any, *args: Any, **kw: Any) -> None:
        if str(path).endswith("goals.json"):
            step()
        real_unlink(path, *args, **kw)

    os.replace = replace  # type: ignore[assignment]
    os.unlink = unlink
    ws.commit([Change("create", goal(i)) for i in range(4, 20)])


def test_kill_9_at_every_step_of_a_split_loses_and_duplicates_nothing(
    make_ws: MakeWs, tmp_path: Path
) -> None:
    import shutil

    base = make_ws()
    for i in range(4):
        base.create(goal(i))
    everything = [f"goal-{i:03d}" for i in range(20)]
    outcomes = []
    for die_at in range(1, 12):
        root = tmp_path / f"trial{die_at}"
        shutil.copytree(base.root, root)
        proc = ctx.Process(target=_split_then_die, args=(str(root), die_at))
        proc.start()
        proc.join(30)
        reader = Workspace.open(root, read_only=True)  # before anyone tidies up
        seen = [g.id for g in reader.all(Goal)]
        assert reader.problems == [], (die_at, reader.problems)
        assert seen in (everything[:4], everything), (die_at, seen)
        after = Workspace.open(root)  # the next writer finishes the change
        assert [g.id for g in after.all(Goal)] == seen
        assert not (root / STATE_DIR / TXN_FILE).exists()
        ids = [rid for recs in on_disk(root).values() for rid in recs]
        assert sorted(ids) == seen  # on disk: each record exactly once
        assert [p for p in diagnose(root) if p.severity == "error"] == []
        outcomes.append((die_at, proc.exitcode, len(seen)))
    print("split kill trials (step, exit code, records seen):", outcomes)
    assert any(code == 137 and n == 20 for _, code, n in outcomes), outcomes
    assert any(code == 0 for _, code, _ in outcomes), outcomes  # past the last step


# --- readers while another process changes several shards ---------------------------------


def test_a_reader_never_sees_half_of_a_change_of_several_shards(
    make_ws: MakeWs, halves_seen: Any
) -> None:
    ws = split_ws(make_ws, 60)
    names = ws.files_of("goal")
    first = next(g.id for g in ws.all(Goal) if ws.file_of("goal", g.id) == names[0])
    last = next(g.id for g in ws.all(Goal) if ws.file_of("goal", g.id) == names[-1])

    def look(reader: Workspace) -> list[Any]:
        goals = reader.records("goal")
        seen = (goals[first].rationale, goals[last].rationale)  # type: ignore[attr-defined]
        if seen[0] != seen[1] or reader.problems or len(goals) != 60:
            return [(seen, reader.problems, len(goals))]
        return []

    pair = ((Goal, first, "rationale"), (Goal, last, "rationale"))
    reads, halves = halves_seen(ws.root, pair, look)
    assert reads > 20 and halves == [], f"{len(halves)} of {reads} reads saw half: {halves[:2]}"
