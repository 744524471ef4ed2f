"""The workspace: a folder of TinyDB files that several people can edit at once without loss.

Every change goes through :meth:`Workspace.commit`, which, under the workspace lock,
re-reads the files it touches, checks each record's ``rev`` (compare-and-swap), applies the
change through TinyDB, moves the new files into place atomically (several files through a
redo log, so a change is all-or-nothing even across a crash), keeps a backup of the old
files and appends to the journal.
"""

from __future__ import annotations

import contextlib
import gc
import grp
import os
import pwd
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import orjson
from pydantic import ValidationError

from kaplan_tui.core.models import ID_PREFIX, KIND_FILES, RECORD_TYPES, Record
from kaplan_tui.core.settings import Settings
from kaplan_tui.core.snapshot import Snapshot
from kaplan_tui.storage import files
from kaplan_tui.storage.config import (
    CONFIG_FILE,
    pydantic_problems,
    read_settings,
    schema_problem,
    settings_bytes,
    write_settings,
)
from kaplan_tui.storage.errors import (
    ConflictError,
    DuplicateIdError,
    NotAWorkspaceError,
    Problem,
    ReadOnlyError,
    WorkspaceError,
)
from kaplan_tui.storage.locks import locked
from kaplan_tui.storage.tinystore import DamagedFileError, KaplanDB

STATE_DIR = ".kaplan"
LOCK_FILE = "lock"
JOURNAL_FILE = "journal.jsonl"
TXN_FILE = "txn.json"
BACKUP_DIR = "backups"
BACKUPS_KEPT = 30
"""Backups kept per file; older ones are removed."""
STALE_TMP_SECONDS = 600

R = TypeVar("R", bound=Record)

Op = Literal["create", "update", "delete"]


def os_user() -> str:
    """The OS user name of this process (not ``$USER``, which anyone can set)."""
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return str(os.getuid())


def utc_now() -> datetime:
    """Now, in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def new_id(kind: str) -> str:
    """A fresh random record id such as ``goal-7f3k2m9q4x``."""
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    raw = int.from_bytes(os.urandom(7), "big")
    chars = []
    for _ in range(10):
        raw, rem = divmod(raw, 32)
        chars.append(alphabet[rem])
    return f"{ID_PREFIX[kind]}-{''.join(chars)}"


@dataclass(frozen=True)
class Change:
    """One step of a commit.

    For ``update`` and ``delete``, ``record.rev`` is the revision the change was based on.
    """

    op: Op
    record: Record


@dataclass
class _KindState:
    db: KaplanDB
    records: dict[str, Record] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    damaged: bool = False
    loaded_sig: files.Signature | None = None
    loaded: bool = False
    generation: int = 0
    """Grows on every load and save, so a cached snapshot knows it is out of date."""


class Workspace:
    """An open workspace folder. Create with :meth:`open` or :meth:`init`."""

    def __init__(
        self,
        root: Path,
        settings: Settings,
        problems: list[Problem],
        *,
        user: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        read_only: bool = False,
    ) -> None:
        self.root = root
        self.settings = settings
        self.user = user or os_user()
        self.clock = clock
        self._config_problems = problems
        self._forced_read_only = read_only
        # One thread at a time loads or saves through this object (the UI saves and loads in
        # workers); other processes are kept out by the file lock.
        self._guard = threading.RLock()
        self._snapshot: tuple[tuple[int, ...], Snapshot] | None = None
        self._kinds: dict[str, _KindState] = {
            kind: _KindState(KaplanDB(root / name, Path(name).stem))
            for kind, name in KIND_FILES.items()
        }

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        user: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        read_only: bool = False,
    ) -> Workspace:
        """Open the workspace at ``path``.

        A workspace whose settings cannot be read, or whose format is not this version's,
        opens read-only with the reasons in :attr:`problems`.

        Raises:
            NotAWorkspaceError: ``path`` is not a folder holding ``kaplan.toml``.
        """
        root = Path(path).absolute()
        if not root.is_dir() or not os.path.lexists(root / CONFIG_FILE):
            raise NotAWorkspaceError(
                f"{root}: not a Kaplan workspace (no {CONFIG_FILE}). Create one with "
                f"`kaplan init {path}`, or try the sample with `kaplan demo`."
            )
        settings, problems = read_settings(root)
        forced = read_only
        if settings is None:
            settings = Settings(name=root.name or "workspace")
            forced = True
        elif (schema := schema_problem(settings)) is not None:
            problems.append(schema)
            forced = True
        ws = cls(root, settings, problems, user=user, clock=clock, read_only=forced)
        if not ws.read_only and (root / STATE_DIR / TXN_FILE).exists():
            ws._with_lock(lambda: None)  # finishes a change a crashed process left half done
        return ws

    @classmethod
    def init(
        cls,
        path: Path | str,
        *,
        name: str | None = None,
        language: Literal["zh", "en"] = "zh",
        currency: str = "CNY",
        group: str | None = None,
        user: str | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> Workspace:
        """Create an empty workspace at ``path`` (the folder may exist but must hold none).

        Args:
            group: make the workspace shared by this OS group: a setgid 2770 folder, files 0660.

        Raises:
            WorkspaceError: a workspace is already there, or ``group`` does not exist.
        """
        root = Path(path).absolute()
        if os.path.lexists(root / CONFIG_FILE):
            raise WorkspaceError(f"{root}: already a Kaplan workspace; nothing was changed")
        gid = None
        if group is not None:
            try:
                gid = grp.getgrnam(group).gr_gid
            except KeyError:
                raise WorkspaceError(f"group {group!r} does not exist") from None
        settings = Settings(
            name=name or root.name or "Kaplan", language=language, currency=currency
        )
        root.mkdir(parents=True, exist_ok=True)
        if gid is not None:
            os.chown(root, -1, gid)
            os.chmod(root, 0o2770)
        state = root / STATE_DIR
        state.mkdir(exist_ok=True)
        if gid is not None:
            os.chown(state, -1, gid)
            os.chmod(state, 0o2770)
        for kind, file_name in KIND_FILES.items():
            target = root / file_name
            if not os.path.lexists(target):
                files.write_new(target, _empty_file(kind))
        files.write_new(root / CONFIG_FILE, settings_bytes(settings))
        return cls.open(root, user=user, clock=clock)

    # --- state --------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The workspace's display name."""
        return self.settings.name

    @property
    def read_only(self) -> bool:
        """True when nothing may be written: see :attr:`problems` for why."""
        return self._forced_read_only or not os.access(self.root, os.W_OK)

    @property
    def problems(self) -> list[Problem]:
        """Everything wrong found so far in settings and in the files loaded."""
        out = list(self._config_problems)
        for kind in self._kinds:
            out += self._state(kind).problems
        return out

    def damaged_kinds(self) -> list[str]:
        """Kinds whose file has a problem; they are read-only until it is fixed."""
        return [kind for kind in self._kinds if self._state(kind).damaged]

    def path_of(self, kind: str) -> Path:
        """The file that holds records of ``kind``."""
        return self.root / KIND_FILES[kind]

    def _state(self, kind: str) -> _KindState:
        state = self._kinds[kind]
        storage = state.db.kaplan_storage
        storage.staged = self._staged(kind)
        if (
            not state.loaded
            or storage.changed_on_disk()
            or state.loaded_sig != storage.cached_signature
        ):
            self._load(kind, state)
        return state

    def _staged(self, kind: str) -> Path | None:
        """The staged new file of ``kind`` if a crashed process committed a multi-file change
        (its redo log is written) but did not move every file into place.

        Readers read it, so that they see the change whole, as the next writer will finish it,
        never half of it. Costs one ``lstat`` when there is no redo log.
        """
        txn = self.root / STATE_DIR / TXN_FILE
        if not os.path.lexists(txn):
            return None
        try:
            got = files.read_bytes(txn)
            plan = orjson.loads(got[0])["rename"] if got else []
        except (WorkspaceError, orjson.JSONDecodeError, KeyError, TypeError):
            return None
        for entry in plan:
            if isinstance(entry, list) and len(entry) == 2 and entry[1] == KIND_FILES[kind]:
                staged = self.root / str(entry[0])
                if "/" not in str(entry[0]) and os.path.lexists(staged):
                    return staged
        return None

    def _load(self, kind: str, state: _KindState) -> None:
        # Parsing and validating a big file makes hundreds of thousands of objects that all
        # stay alive; the cycle collector would scan them again and again for nothing (about
        # a quarter of loading 10k accounts and 50k check-ins), so it waits until the end.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._load_file(kind, state)
        finally:
            if was_enabled:
                gc.enable()

    def _load_file(self, kind: str, state: _KindState) -> None:
        state.generation += 1
        storage = state.db.kaplan_storage
        name = KIND_FILES[kind]
        state.records, state.problems, state.damaged = {}, [], False
        state.loaded = True
        try:
            data = storage.reload()
        except DamagedFileError as exc:
            state.problems = [Problem(name, None, None, exc.reason)]
            state.damaged = True
            return
        except WorkspaceError as exc:
            state.problems = [Problem(name, None, None, str(exc).split(": ", 1)[-1])]
            state.damaged = True
            return
        state.loaded_sig = storage.cached_signature
        model = RECORD_TYPES[kind]
        for key, doc in data[storage.table].items():
            try:
                record = model.model_validate(doc)
            except ValidationError as exc:
                state.problems += pydantic_problems(name, key, exc)
                continue
            if record.id != key:
                state.problems.append(
                    Problem(
                        name,
                        key,
                        "id",
                        f"the record is stored under {key!r} but its id says {record.id!r}",
                    )
                )
                continue
            state.records[key] = record
        state.damaged = bool(state.problems)

    def changed_kinds(self) -> list[str]:
        """Kinds whose files changed on disk since they were loaded (by another process).

        Cheap (one ``lstat`` per file): the UI calls it on a timer.
        """
        return [
            kind
            for kind, state in self._kinds.items()
            if state.loaded and files.signature(self.path_of(kind)) != state.loaded_sig
        ]

    # --- reading ------------------------------------------------------------------------

    def records(self, kind: str) -> dict[str, Record]:
        """Every valid record of ``kind`` by id, fresh from disk if another process saved."""
        return self._state(kind).records

    def all(self, cls: type[R]) -> list[R]:
        """Every valid record of the class's kind, in id order."""
        recs = self.records(cls.KIND)
        return [recs[k] for k in sorted(recs)]  # type: ignore[misc]

    def get(self, cls: type[R], record_id: str) -> R | None:
        """The record with ``record_id``, or None."""
        found = self.records(cls.KIND).get(record_id)
        return found if isinstance(found, cls) else None

    def snapshot(self) -> Snapshot:
        """Every valid record and the settings, for the pure computations in ``core``.

        The same Snapshot object comes back until a file is reloaded or saved, so what the
        engines keep per snapshot (the lint's name index, the season index) is built once, not
        on every call from the UI.
        """
        with self._guard:
            for kind in self._kinds:
                self._state(kind)  # reload whatever another process changed
            key = (id(self.settings), *(state.generation for state in self._kinds.values()))
            if self._snapshot is not None and self._snapshot[0] == key:
                return self._snapshot[1]
            snap = Snapshot(
                settings=self.settings,
                accounts=dict(self.records("account")),  # type: ignore[arg-type]
                segments=dict(self.records("segment")),  # type: ignore[arg-type]
                goals=dict(self.records("goal")),  # type: ignore[arg-type]
                checkins=dict(self.records("checkin")),  # type: ignore[arg-type]
                people=dict(self.records("person")),  # type: ignore[arg-type]
                teams=dict(self.records("team")),  # type: ignore[arg-type]
                pillars=dict(self.records("pillar")),  # type: ignore[arg-type]
            )
            self._snapshot = (key, snap)
            return snap

    # --- writing ------------------------------------------------------------------------

    def create(self, record: R) -> R:
        """Store a new record (rev becomes 1). An empty id is replaced by a fresh one."""
        return self.commit([Change("create", record)])[0]  # type: ignore[return-value]

    def save(self, record: R) -> R:
        """Store an edited record whose ``rev`` is the revision it was based on.

        Raises:
            ConflictError: someone saved (or deleted) the record since that revision.
        """
        return self.commit([Change("update", record)])[0]  # type: ignore[return-value]

    def delete(self, record: Record) -> None:
        """Delete a record, if it is still at ``record.rev``."""
        self.commit([Change("delete", record)])

    def commit(self, changes: Sequence[Change]) -> list[Record]:
        """Apply ``changes`` all together or not at all.

        Returns:
            The stored records, one per change, with new ``rev`` and audit fields (a deleted
            record is returned as it was).

        Raises:
            ConflictError: a change was based on an old revision; nothing was written.
            DuplicateIdError: a create used an existing id; nothing was written.
            ReadOnlyError: the workspace, or a file the change touches, is read-only.
        """
        if self.read_only:
            raise ReadOnlyError(self._read_only_reason())
        if not changes:
            return []
        result: list[Record] = self._with_lock(lambda: self._apply(changes))
        return result

    def _read_only_reason(self) -> str:
        reasons = [str(p) for p in self._config_problems if p.severity == "error"]
        if not reasons and not os.access(self.root, os.W_OK):
            if _read_only_mount(self.root):
                reasons.append(f"{self.root}: the file system is mounted read-only")
            else:
                reasons.append(f"{self.root}: no permission to write here")
        return "; ".join(reasons) or f"{self.root}: opened read-only"

    def _with_lock(self, fn: Callable[[], Any]) -> Any:
        state_dir = self.root / STATE_DIR
        if not state_dir.is_dir():
            try:
                state_dir.mkdir(mode=0o2770 if self._shared() else 0o700)
            except FileExistsError:
                pass
            except OSError as exc:
                raise ReadOnlyError(f"{state_dir}: cannot create ({exc.strerror})") from exc
        with self._guard, locked(state_dir / LOCK_FILE):
            self._recover()
            return fn()

    def _shared(self) -> bool:
        return bool(os.stat(self.root).st_mode & 0o2000)

    def _apply(self, changes: Sequence[Change]) -> list[Record]:
        now = self.clock()
        touched: dict[str, dict[str, Any]] = {}
        for change in changes:
            kind = change.record.KIND
            if kind not in touched:
                # Revalidate under the lock by opening the file; parse and validate it again
                # only if another process changed it (a save stays cheap in a big workspace).
                with contextlib.suppress(WorkspaceError):  # reported by _load, just below
                    self._kinds[kind].db.kaplan_storage.reload()
                state = self._state(kind)
                if state.damaged:
                    raise ReadOnlyError(
                        f"{KIND_FILES[kind]} has problems and will not be rewritten: "
                        + "; ".join(str(p) for p in state.problems[:3])
                    )
                storage = state.db.kaplan_storage
                touched[kind] = storage.read()[storage.table]

        results: list[Record] = []
        journal: list[dict[str, Any]] = []
        creates: dict[str, list[dict[str, Any]]] = {}
        updates: dict[str, dict[str, dict[str, Any]]] = {}
        deletes: dict[str, list[str]] = {}
        created_ids: dict[str, set[str]] = {}  # a set, not a scan: batches hold 50k creates
        for change in changes:
            rec = change.record
            kind = rec.KIND
            table = touched[kind]
            data = rec.model_dump(mode="json")
            if change.op == "create":
                if not rec.id:
                    data["id"] = new_id(kind)
                taken = created_ids.setdefault(kind, set())
                if data["id"] in table or data["id"] in taken:
                    raise DuplicateIdError(f"{kind} {data['id']}: this id is already taken")
                taken.add(data["id"])
                old_rev = None
                data.update(
                    rev=1,
                    created_at=_iso(now),
                    created_by=self.user,
                    updated_at=_iso(now),
                    updated_by=self.user,
                )
            else:
                stored = table.get(rec.id)
                if stored is None or stored.get("rev") != rec.rev:
                    raise ConflictError(
                        kind,
                        rec.id,
                        rec.rev,
                        None if stored is None else stored.get("rev"),
                        None if stored is None else stored.get("updated_by"),
                        _parse_dt(None if stored is None else stored.get("updated_at")),
                    )
                old_rev = rec.rev
                if change.op == "delete":
                    deletes.setdefault(kind, []).append(rec.id)
                    results.append(rec)
                    journal.append(self._journal_entry("delete", kind, rec.id, old_rev, None, []))
                    continue
                data.update(
                    rev=rec.rev + 1,
                    created_at=stored.get("created_at"),
                    created_by=stored.get("created_by"),
                    updated_at=_iso(now),
                    updated_by=self.user,
                )
            stored_rec = type(rec).model_validate(data)
            results.append(stored_rec)
            if change.op == "create":
                creates.setdefault(kind, []).append(data)
                fields_changed = sorted(k for k in data if k not in Record.AUDIT_FIELDS)
            else:
                updates.setdefault(kind, {})[rec.id] = data
                before = table[rec.id]
                fields_changed = sorted(
                    k for k in data if k not in Record.AUDIT_FIELDS and before.get(k) != data[k]
                )
            journal.append(
                self._journal_entry(
                    change.op, kind, data["id"], old_rev, data["rev"], fields_changed
                )
            )

        try:
            self._write_through_tinydb(touched, creates, updates, deletes)
            self._commit_files(list(touched))
        except BaseException:
            for kind in touched:
                self._kinds[kind].db.kaplan_storage.forget()
                self._kinds[kind].loaded = False
            raise
        for kind in touched:
            self._kinds[kind].db.kaplan_storage.committed()
            self._refresh_cache_after_write(kind, results, deletes.get(kind, []))
        self._append_journal(journal)
        return results

    def _write_through_tinydb(
        self,
        touched: dict[str, dict[str, Any]],
        creates: dict[str, list[dict[str, Any]]],
        updates: dict[str, dict[str, dict[str, Any]]],
        deletes: dict[str, list[str]],
    ) -> None:
        from tinydb.table import Document

        for kind in touched:
            table = self._kinds[kind].db.table(self._kinds[kind].db.kaplan_storage.table)
            if kind in deletes:
                table.remove(doc_ids=deletes[kind])  # type: ignore[arg-type]  # str ids
            if kind in updates:
                table.update(_replacer(updates[kind]), doc_ids=list(updates[kind]))  # type: ignore[arg-type]
            if kind in creates:
                table.insert_multiple(Document(d, doc_id=d["id"]) for d in creates[kind])

    def _commit_files(self, kinds: list[str]) -> None:
        pending = [
            (self.path_of(k), self._kinds[k].db.kaplan_storage.pending)
            for k in kinds
            if self._kinds[k].db.kaplan_storage.pending is not None
        ]
        if len(pending) == 1:
            path, data = pending[0]
            assert data is not None
            self._backup(path)
            files.atomic_write(path, data)
            return
        # Several files: stage every new file, then record the plan (the redo log), then move
        # them into place. A crash before the plan is written changes nothing; a crash after
        # it is finished by the next process that takes the lock (:meth:`_recover`).
        staged: list[tuple[Path, Path]] = []
        try:
            for path, data in pending:
                assert data is not None
                staged.append((files.write_temp(path, data), path))
        except BaseException:
            for tmp, _ in staged:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            raise
        plan = [[tmp.name, path.name] for tmp, path in staged]
        try:
            files.atomic_write(self.root / STATE_DIR / TXN_FILE, orjson.dumps({"rename": plan}))
        except BaseException:  # not committed: drop the staged files (they may fill the disk)
            for tmp, _ in staged:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            raise
        for _tmp, path in staged:
            self._backup(path)
        self._finish_plan(plan)

    def _finish_plan(self, plan: list[list[str]]) -> None:
        for tmp_name, target_name in plan:
            tmp = self.root / tmp_name
            if tmp.exists():
                os.replace(tmp, self.root / target_name)
        files.fsync_dir(self.root)
        (self.root / STATE_DIR / TXN_FILE).unlink()
        files.fsync_dir(self.root / STATE_DIR)

    def _recover(self) -> None:
        """Finish a multi-file change that a crashed process left half done; drop stale temps."""
        txn = self.root / STATE_DIR / TXN_FILE
        if txn.exists():
            got = files.read_bytes(txn)
            plan = orjson.loads(got[0])["rename"] if got else []
            safe = [
                [t, p]
                for t, p in plan
                if "/" not in t and "/" not in p and p in KIND_FILES.values()
            ]
            self._finish_plan(safe)
            for state in self._kinds.values():
                state.db.kaplan_storage.forget()
                state.loaded = False
        cutoff = time.time() - STALE_TMP_SECONDS
        for tmp in self.root.glob(f".*{files.TMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                if tmp.lstat().st_mtime < cutoff:
                    tmp.unlink()

    def _backup(self, path: Path) -> None:
        if not path.exists() or path.is_symlink():
            return
        folder = self.root / STATE_DIR / BACKUP_DIR / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        target = folder / f"{stamp}-{path.name}"
        try:
            os.link(path, target)
        except OSError:
            got = files.read_bytes(path)
            if got is not None:
                files.write_new(target, got[0])
        kept = sorted(folder.glob(f"*-{path.name}"))
        for old in kept[:-BACKUPS_KEPT]:
            with contextlib.suppress(OSError):
                old.unlink()

    def backups(self, kind: str) -> list[Path]:
        """Backups of the file of ``kind``, newest first."""
        name = KIND_FILES[kind]
        folder = self.root / STATE_DIR / BACKUP_DIR / Path(name).stem
        return sorted(folder.glob(f"*-{name}"), reverse=True) if folder.is_dir() else []

    def _refresh_cache_after_write(
        self, kind: str, results: list[Record], deleted: list[str]
    ) -> None:
        state = self._kinds[kind]
        state.generation += 1
        for rec in results:
            if kind == rec.KIND:
                state.records[rec.id] = rec
        for rid in deleted:
            state.records.pop(rid, None)
        state.loaded_sig = state.db.kaplan_storage.cached_signature

    def _journal_entry(
        self, op: Op, kind: str, rid: str, old: int | None, new: int | None, fields_: list[str]
    ) -> dict[str, Any]:
        return {
            "at": _iso(self.clock()),
            "by": self.user,
            "op": op,
            "kind": kind,
            "id": rid,
            "old_rev": old,
            "new_rev": new,
            "fields": fields_,
        }

    def _append_journal(self, entries: list[dict[str, Any]]) -> None:
        path = self.root / STATE_DIR / JOURNAL_FILE
        fd = os.open(
            path,
            os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0),
            0o660 if self._shared() else 0o600,
        )
        try:
            os.write(fd, b"".join(orjson.dumps(e) + b"\n" for e in entries))
            os.fsync(fd)
        finally:
            os.close(fd)

    def journal(self) -> Iterator[dict[str, Any]]:
        """The journal of changes, oldest first."""
        got = files.read_bytes(self.root / STATE_DIR / JOURNAL_FILE)
        if got is None:
            return
        for line in got[0].splitlines():
            if line.strip():
                with contextlib.suppress(orjson.JSONDecodeError):
                    yield orjson.loads(line)

    def save_settings(self, settings: Settings) -> None:
        """Replace ``kaplan.toml``, under the lock."""
        if self.read_only:
            raise ReadOnlyError(self._read_only_reason())

        def write() -> None:
            write_settings(self.root, settings)
            self.settings = settings

        self._with_lock(write)

    def restore_backup(self, kind: str, backup: Path | None = None) -> Path:
        """Put a backup of ``kind``'s file in place; the current file is kept beside it.

        Returns:
            Where the replaced (for example damaged) file was moved.
        """
        chosen = backup or next(iter(self.backups(kind)), None)
        if chosen is None:
            raise WorkspaceError(f"{KIND_FILES[kind]}: no backup to restore")
        got = files.read_bytes(chosen)
        if got is None:
            raise WorkspaceError(f"{chosen}: backup not found")
        path = self.path_of(kind)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = path.with_name(f"{path.name}.replaced-{stamp}")

        def swap() -> None:
            if os.path.lexists(path):
                os.link(path, kept) if not path.is_symlink() else shutil.copy(
                    path, kept, follow_symlinks=False
                )
            files.atomic_write(path, got[0])
            self._kinds[kind].db.kaplan_storage.forget()
            self._kinds[kind].loaded = False

        self._with_lock(swap)
        return kept


def _read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _replacer(new_docs: dict[str, dict[str, Any]]) -> Callable[[MutableMapping[str, Any]], None]:
    """A TinyDB update function that replaces each document by its new version, whole."""

    def replace(doc: MutableMapping[str, Any]) -> None:
        new = new_docs[doc["id"]]
        doc.clear()
        doc.update(new)

    return replace


def _empty_file(kind: str) -> bytes:
    from kaplan_tui.storage.tinystore import encode

    return encode({Path(KIND_FILES[kind]).stem: {}})


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _parse_dt(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def iter_kinds(kinds: Iterable[str] | None = None) -> list[str]:
    """Kinds in file order, or the given ones checked."""
    if kinds is None:
        return list(KIND_FILES)
    out = []
    for kind in kinds:
        if kind not in KIND_FILES:
            raise WorkspaceError(f"unknown kind {kind!r}; kinds are {', '.join(KIND_FILES)}")
        out.append(kind)
    return out
