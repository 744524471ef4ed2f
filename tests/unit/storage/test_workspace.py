"""The storage guarantees of DESIGN §3, checked with real files and real processes."""

from __future__ import annotations

import grp
import multiprocessing
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kaplan_tui.core.models import Account, Goal, Metric, Pillar
from kaplan_tui.storage import (
    Change,
    ConflictError,
    ReadOnlyError,
    Workspace,
)
from kaplan_tui.storage.doctor import diagnose
from kaplan_tui.storage.transfer import export_records
from kaplan_tui.storage.workspace import STATE_DIR, TXN_FILE

MakeWs = Callable[..., Workspace]
ctx = multiprocessing.get_context("fork")


def test_create_save_and_rev(make_ws: MakeWs) -> None:
    ws = make_ws()
    acc = ws.create(Account(name="华为云", industry="ICT"))
    assert acc.id.startswith("acc-") and acc.rev == 1
    assert acc.created_by == "alice" and acc.updated_at is not None
    saved = ws.save(acc.model_copy(update={"region": "华南"}))
    assert saved.rev == 2 and saved.created_at == acc.created_at
    again = Workspace.open(ws.root)
    assert again.get(Account, acc.id) == saved


def test_stale_save_is_a_conflict_naming_who_and_when(make_ws: MakeWs, clock: Any) -> None:
    alice = make_ws(user="alice")
    acc = alice.create(Account(id="acc-1", name="Acme"))
    bob = Workspace.open(alice.root, user="bob", clock=clock)
    bob.save(bob.get(Account, "acc-1").model_copy(update={"region": "East"}))  # type: ignore[union-attr]
    with pytest.raises(ConflictError) as info:
        alice.save(acc.model_copy(update={"region": "West"}))
    assert "rev 1" in str(info.value) and "rev 2" in str(info.value)
    assert "bob" in str(info.value)
    assert Workspace.open(alice.root).get(Account, "acc-1").region == "East"  # type: ignore[union-attr]


def _save_in_child(
    root: str, user: str, base: dict[str, Any], region: str, barrier: Any, results: Any
) -> None:
    ws = Workspace.open(root, user=user)
    barrier.wait()
    try:
        ws.save(Account.model_validate({**base, "region": region}))
        results.put((user, "saved"))
    except ConflictError as exc:
        results.put((user, f"conflict: {exc}"))


def test_two_processes_saving_one_record_one_gets_a_conflict(make_ws: MakeWs) -> None:
    ws = make_ws()
    acc = ws.create(Account(id="acc-1", name="Acme"))
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(
            target=_save_in_child,
            args=(str(ws.root), user, acc.model_dump(mode="json"), user, barrier, results),
        )
        for user in ("alice", "bob")
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(20)
    outcome = dict(results.get(timeout=5) for _ in procs)
    saved = [u for u, r in outcome.items() if r == "saved"]
    conflicted = [r for r in outcome.values() if r.startswith("conflict")]
    assert len(saved) == 1 and len(conflicted) == 1
    assert saved[0] in conflicted[0]  # the loser is told who saved first
    final = Workspace.open(ws.root).get(Account, "acc-1")
    assert final is not None and final.rev == 2 and final.region == saved[0]


def _insert_many(root: str, worker: int, count: int) -> None:
    ws = Workspace.open(root, user=f"w{worker}")
    for i in range(count):
        ws.create(Account(id=f"acc-{worker}-{i}", name=f"Account {worker}-{i}"))


def test_concurrent_writers_lose_nothing(make_ws: MakeWs) -> None:
    ws = make_ws()
    procs = [ctx.Process(target=_insert_many, args=(str(ws.root), w, 40)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert len(Workspace.open(ws.root).all(Account)) == 160
    assert len(list(Workspace.open(ws.root).journal())) == 160


def _crash_in_fsync(root: str) -> None:
    ws = Workspace.open(root)
    acc = ws.get(Account, "acc-1")
    assert acc is not None

    def die(fd: int) -> None:
        os._exit(137)

    os.fsync = die  # type: ignore[assignment]  # the process dies inside the write, like kill -9 or a dropped link
    ws.save(acc.model_copy(update={"name": "X" * 400}))


def test_a_crash_mid_write_leaves_the_old_valid_file(make_ws: MakeWs) -> None:
    ws = make_ws()
    ws.create(Account(id="acc-1", name="Acme", needs=["n" * 50] * 20))
    before = ws.path_of("account").read_bytes()
    proc = ctx.Process(target=_crash_in_fsync, args=(str(ws.root),))
    proc.start()
    proc.join(20)
    assert proc.exitcode == 137
    assert ws.path_of("account").read_bytes() == before
    reopened = Workspace.open(ws.root)
    assert reopened.problems == []
    assert reopened.get(Account, "acc-1").name == "Acme"  # type: ignore[union-attr]


def _crash_between_renames(root: str) -> None:
    ws = Workspace.open(root)
    real_replace = os.replace
    calls = []

    def replace_then_die(src: Any, dst: Any) -> None:
        real_replace(src, dst)
        if str(dst).endswith(".json") and "txn" not in str(dst):
            calls.append(dst)
            if len(calls) == 1:
                os._exit(137)

    os.replace = replace_then_die  # type: ignore[assignment]
    ws.commit(
        [
            Change("create", Account(id="acc-2", name="Beta")),
            Change("create", Pillar(id="pil-1", name="华东区深耕")),
        ]
    )


def test_a_change_of_several_files_is_all_or_nothing_across_a_crash(make_ws: MakeWs) -> None:
    ws = make_ws()
    proc = ctx.Process(target=_crash_between_renames, args=(str(ws.root),))
    proc.start()
    proc.join(20)
    assert proc.exitcode == 137
    assert (ws.root / STATE_DIR / TXN_FILE).exists()  # half done on disk...
    reopened = Workspace.open(ws.root)  # ...and finished by the next process
    assert not (ws.root / STATE_DIR / TXN_FILE).exists()
    assert reopened.get(Account, "acc-2") is not None
    assert reopened.get(Pillar, "pil-1") is not None


def test_a_reader_never_sees_half_of_a_change_of_several_kinds(
    make_ws: MakeWs, halves_seen: Any
) -> None:
    ws = make_ws()
    ws.commit(
        [
            Change("create", Account(id="acc-1", name="Acme")),
            Change("create", Pillar(id="pil-1", name="深耕")),
        ]
    )

    def look(reader: Workspace) -> list[Any]:
        snap = reader.snapshot()
        exported = {r["kind"]: r for r in export_records(reader, ["account", "pillar"])}
        seen = [
            (snap.accounts["acc-1"].region, snap.pillars["pil-1"].description),
            (exported["account"]["region"], exported["pillar"]["description"]),
        ]
        return [pair for pair in seen if pair[0] != pair[1]]

    pair = ((Account, "acc-1", "region"), (Pillar, "pil-1", "description"))
    reads, halves = halves_seen(ws.root, pair, look)
    assert reads > 20 and halves == [], f"{len(halves)} halves in {reads} reads: {halves[:2]}"


def test_a_failed_commit_writes_nothing(make_ws: MakeWs) -> None:
    ws = make_ws()
    ws.create(Account(id="acc-1", name="Acme"))
    before = {k: ws.path_of(k).read_bytes() for k in ("account", "pillar")}
    with pytest.raises(ConflictError):
        ws.commit(
            [
                Change("create", Pillar(id="pil-1", name="P")),
                Change("update", Account(id="acc-1", name="Stale", rev=7)),
            ]
        )
    assert {k: ws.path_of(k).read_bytes() for k in before} == before
    assert ws.get(Pillar, "pil-1") is None


def test_a_damaged_file_is_reported_and_never_rewritten(make_ws: MakeWs) -> None:
    ws = make_ws()
    ws.create(Account(id="acc-1", name="Acme"))
    goals = ws.path_of("goal")
    damaged = b'{"goals": {"g1": {"id": "g1", "statement": "x",}}}'
    goals.write_bytes(damaged)
    reopened = Workspace.open(ws.root)
    assert reopened.all(Goal) == []
    [problem] = reopened.problems
    assert problem.file == "goals.json" and "line 1, column" in problem.reason
    with pytest.raises(ReadOnlyError, match=r"goals\.json"):
        reopened.create(Goal(id="g2", statement="y"))
    reopened.create(Account(id="acc-2", name="Other kinds stay writable"))
    assert goals.read_bytes() == damaged
    assert any(p.file == "goals.json" for p in diagnose(ws.root))
    assert goals.read_bytes() == damaged


def test_an_invalid_record_names_file_record_and_field(make_ws: MakeWs) -> None:
    ws = make_ws()
    ws.create(Goal(id="g1", statement="grow", metric=Metric(name="rev", target=10)))
    path = ws.path_of("goal")
    path.write_text(path.read_text().replace('"target": 10.0', '"target": "ten"'))
    [problem] = Workspace.open(ws.root).problems
    assert (problem.file, problem.record, problem.field) == ("goals.json", "g1", "metric.target")


def test_a_symlinked_data_file_is_refused_and_its_target_untouched(
    make_ws: MakeWs, tmp_path: Path
) -> None:
    ws = make_ws()
    victim = tmp_path / "victim.json"
    victim.write_text('{"accounts": {}}')
    ws.path_of("account").unlink()
    ws.path_of("account").symlink_to(victim)
    reopened = Workspace.open(ws.root)
    assert any("symbolic link" in p.reason for p in reopened.problems)
    with pytest.raises(ReadOnlyError):
        reopened.create(Account(id="acc-1", name="Acme"))
    assert victim.read_text() == '{"accounts": {}}'


def test_changes_by_another_process_are_noticed_and_reloaded(make_ws: MakeWs) -> None:
    ws = make_ws()
    ws.create(Account(id="acc-1", name="Acme"))
    assert ws.changed_kinds() == []
    other = Workspace.open(ws.root, user="bob")
    other.save(other.get(Account, "acc-1").model_copy(update={"name": "Acme Ltd"}))  # type: ignore[union-attr]
    assert ws.changed_kinds() == ["account"]
    assert ws.get(Account, "acc-1").name == "Acme Ltd"  # type: ignore[union-attr]
    assert ws.changed_kinds() == []


def test_a_file_changed_in_place_keeping_its_size_and_time_is_noticed_and_not_overwritten(
    make_ws: MakeWs,
) -> None:
    ws = make_ws()
    ws.create(Account(id="acc-1", name="客户1"))
    ws.create(Account(id="acc-2", name="客户2"))
    mine = ws.save(ws.get(Account, "acc-1").model_copy(update={"region": "华东"}))  # type: ignore[union-attr]
    path = ws.root / "accounts.json"
    before = os.stat(path)
    # Edited by hand in place, by a tool that keeps the file's time (cp -p, rsync -t, touch -r):
    path.write_bytes(path.read_bytes().replace("客户2".encode(), "客户X".encode()))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size
    assert ws.changed_kinds() == ["account"]
    assert ws.get(Account, "acc-2").name == "客户X"  # type: ignore[union-attr]
    ws.save(mine.model_copy(update={"region": "华南"}))  # a later save keeps the edit
    assert Workspace.open(ws.root).get(Account, "acc-2").name == "客户X"  # type: ignore[union-attr]


def test_journal_and_backups(make_ws: MakeWs) -> None:
    ws = make_ws()
    acc = ws.create(Account(id="acc-1", name="Acme"))
    ws.save(acc.model_copy(update={"region": "East"}))
    entries = list(ws.journal())
    assert [(e["op"], e["old_rev"], e["new_rev"], e["by"]) for e in entries] == [
        ("create", None, 1, "alice"),
        ("update", 1, 2, "alice"),
    ]
    assert entries[1]["fields"] == ["region"]
    backups = ws.backups("account")
    assert len(backups) == 2 and b"acc-1" in backups[0].read_bytes()


def test_restore_keeps_the_damaged_file(make_ws: MakeWs) -> None:
    ws = make_ws()
    ws.create(Account(id="acc-1", name="Acme"))
    ws.create(Account(id="acc-2", name="Beta"))
    ws.path_of("account").write_bytes(b"garbage")
    reopened = Workspace.open(ws.root)
    kept = reopened.restore_backup("account")
    assert kept.read_bytes() == b"garbage"
    assert [a.id for a in Workspace.open(ws.root).all(Account)] == ["acc-1"]


def test_files_are_pretty_sorted_utf8(make_ws: MakeWs) -> None:
    ws = make_ws()
    ws.create(Account(id="acc-1", name="华为"))
    text = ws.path_of("account").read_text("utf-8")
    assert '"name": "华为"' in text and text.index('"created_at"') < text.index('"name"')


def test_a_newer_format_opens_read_only(make_ws: MakeWs) -> None:
    ws = make_ws()
    toml = ws.root / "kaplan.toml"
    toml.write_text(toml.read_text().replace("schema_version = 1", "schema_version = 99"))
    reopened = Workspace.open(ws.root)
    assert reopened.read_only
    assert reopened.problems[0].field == "schema_version"
    with pytest.raises(ReadOnlyError, match="newer"):
        reopened.create(Account(name="A"))


def test_bad_settings_name_the_field(make_ws: MakeWs) -> None:
    ws = make_ws()
    toml = ws.root / "kaplan.toml"
    toml.write_text(toml.read_text() + 'fiscal_year_start = "April"\n')
    reopened = Workspace.open(ws.root)
    assert reopened.read_only
    assert [(p.file, p.field) for p in reopened.problems] == [("kaplan.toml", "fiscal_year_start")]


def test_init_refuses_an_existing_workspace(make_ws: MakeWs) -> None:
    ws = make_ws()
    from kaplan_tui.storage import WorkspaceError

    with pytest.raises(WorkspaceError, match="already"):
        Workspace.init(ws.root)


def test_group_workspace_is_setgid_and_group_writable(make_ws: MakeWs) -> None:
    group = grp.getgrgid(os.getgid()).gr_name
    ws = make_ws(group=group)
    assert stat.S_IMODE(os.stat(ws.root).st_mode) == 0o2770
    ws.create(Account(id="acc-1", name="Acme"))
    assert stat.S_IMODE(os.stat(ws.path_of("account")).st_mode) == 0o660
    assert stat.S_IMODE(os.stat(ws.root / STATE_DIR).st_mode) == 0o2770


def test_a_read_only_folder_gives_a_clear_message(make_ws: MakeWs) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    ws = make_ws()
    os.chmod(ws.root, 0o555)
    try:
        with pytest.raises(ReadOnlyError, match="permission"):
            Workspace.open(ws.root).create(Account(name="A"))
    finally:
        os.chmod(ws.root, 0o755)


def test_snapshot_is_shared_until_something_changes(make_ws: MakeWs) -> None:
    ws = make_ws()
    ws.create(Account(id="acc-1", name="Acme"))
    first = ws.snapshot()
    assert ws.snapshot() is first
    ws.create(Account(id="acc-2", name="Beta"))
    second = ws.snapshot()
    assert second is not first and set(second.accounts) == {"acc-1", "acc-2"}
    assert set(first.accounts) == {"acc-1"}  # an old snapshot never changes under its holder
    other = Workspace.open(ws.root, user="bob")
    other.create(Account(id="acc-3", name="Gamma"))
    assert set(ws.snapshot().accounts) == {"acc-1", "acc-2", "acc-3"}


# --- versions of the contents -------------------------------------------------------------------


def test_a_snapshot_is_named_by_the_files_it_was_read_from(make_ws: MakeWs) -> None:
    """Equal names for the same files (in another Workspace, validated or from the cache); a
    new name after any save, of any kind, or a change by another process."""
    from kaplan_tui.core.snapshot import Snapshot

    ws = make_ws()
    ws.create(Account(id="acc-1", name="Acme"))
    ws.create(Pillar(id="pil-1", name="深耕"))
    first = ws.snapshot().version
    assert first is not None and len(first) == 32
    assert Workspace.open(ws.root).snapshot().version == first  # validated
    assert Workspace.open(ws.root).snapshot().version == first  # from the cache
    seen: set[str | None] = {first}
    other = Workspace.open(ws.root)
    pillar = ws.get(Pillar, "pil-1")
    assert pillar is not None
    ws.save(pillar.model_copy(update={"description": "新"}))
    assert ws.snapshot().version not in seen
    seen.add(ws.snapshot().version)
    assert other.snapshot().version == ws.snapshot().version  # it sees the other's save
    other.create(Goal(id="goal-1", statement="s"))
    assert ws.snapshot().version not in seen
    seen.add(ws.snapshot().version)
    ws.save_settings(ws.settings.model_copy(update={"currency": "USD"}))
    assert ws.snapshot().version not in seen
    assert Snapshot(settings=ws.settings).version is None  # made by hand: unknown


def test_a_file_that_failed_to_read_names_another_version_than_the_whole_file(
    make_ws: MakeWs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read that fails (a file being rewritten in place) keeps the signature the file has
    afterwards: the same as the whole file's, so the problems are part of the version."""
    from kaplan_tui.storage import tinystore

    ws = make_ws()
    ws.create(Account(id="acc-1", name="Acme"))
    whole = Workspace.open(ws.root).snapshot().version
    real = tinystore.KaplanStorage.reload

    def torn(self: tinystore.KaplanStorage) -> dict[str, dict[str, Any]]:
        if self.path.name == "accounts.json":
            raise tinystore.DamagedFileError("accounts.json", "not valid JSON")
        return real(self)

    monkeypatch.setattr(tinystore.KaplanStorage, "reload", torn)
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(ws.root.parent / "no-cache"))  # read the file
    failed = Workspace.open(ws.root)
    assert failed.problems and failed.snapshot().accounts == {}
    assert failed.snapshot().version != whole
