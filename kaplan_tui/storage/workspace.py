"""The workspace: a folder of TinyDB files that several people can edit at once without loss.

Every change goes through :meth:`Workspace.commit`, which, under the workspace lock,
re-reads the files it touches, checks each record's ``rev`` (compare-and-swap), applies the
change through TinyDB, moves the new files into place atomically (several files through a
redo log, so a change is all-or-nothing even across a crash), keeps a backup of the old
files and appends to the journal.

A kind's records are in one file, or, once they outgrow it, in a folder of shard files
(:mod:`kaplan_tui.storage.shards`): an index from record id to file sends each change to the
file that holds the record, so a save rewrites one small file whatever the size of the kind.
Loading reads and validates only the files that changed, and takes the records of unchanged
big files from a private cache (:mod:`kaplan_tui.storage.cache`).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import grp
import hashlib
import marshal
import os
import pwd
import re
import shutil
import stat
import threading
import time
from collections.abc import (
    Callable,
    Collection,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import orjson
from pydantic import ValidationError

from kaplan_tui.core.models import ID_PREFIX, KIND_FILES, RECORD_TYPES, Record
from kaplan_tui.core.records import LazyRecords, Packed, collector_paused
from kaplan_tui.core.settings import Settings
from kaplan_tui.core.snapshot import Snapshot
from kaplan_tui.storage import cache, files, redo, shards
from kaplan_tui.storage.config import (
    pydantic_problems,
    read_settings,
    schema_problem,
    settings_bytes,
    write_settings,
)
from kaplan_tui.storage.errors import (
    ConflictError,
    DiskFullError,
    DuplicateIdError,
    NotAWorkspaceError,
    Problem,
    ReadOnlyError,
    UnsafeFileError,
    WorkspaceError,
)
from kaplan_tui.storage.lint_results import LintResults
from kaplan_tui.storage.locks import locked
from kaplan_tui.storage.peek import CONFIG_FILE
from kaplan_tui.storage.redo import STATE_DIR as STATE_DIR
from kaplan_tui.storage.redo import TXN_FILE as TXN_FILE
from kaplan_tui.storage.shards import Layout, View
from kaplan_tui.storage.tinystore import DamagedFileError, KaplanDB, KaplanStorage

LOCK_FILE = "lock"
JOURNAL_FILE = "journal.jsonl"
BACKUP_DIR = "backups"
BACKUPS_KEPT = 30
"""Backups kept per file; older ones are removed."""
STALE_TMP_SECONDS = 600
SYNC_ATTEMPTS = 20
"""Looks at a kind's files that a reader takes, at most, to see every change whole."""

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


def _raw(records: Mapping[str, Record]) -> Mapping[str, Record | Packed]:
    """A file's records as they are held, packed or not, to merge them without unpacking."""
    return records.raw() if isinstance(records, LazyRecords) else records


@dataclass
class _File:
    """One TinyDB file of a kind (its only file, or one shard), as last loaded."""

    db: KaplanDB
    sig: files.Signature | None = None
    """The signature of the file the records below came from (None: no file)."""
    loaded: bool = False
    records: Mapping[str, Record] = field(default_factory=dict)
    """The file's valid records by id (still packed when they came from the record cache)."""
    ids: list[str] = field(default_factory=list)
    """The id of every record in the file, valid or not."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def storage(self) -> KaplanStorage:
        """The file's TinyDB storage."""
        return self.db.kaplan_storage


VERSION_FORMAT = 1
"""Of :meth:`Workspace._version`'s names: a new layout of what they stand for gets new names."""


@dataclass
class _KindState:
    files: dict[str, _File] = field(default_factory=dict)
    """The kind's files by workspace-relative name, in :attr:`layout` order."""
    layout: Layout | None = None
    records: LazyRecords[Record] = field(default_factory=LazyRecords)
    _where: dict[str, str] | None = None
    problems: list[Problem] = field(default_factory=list)
    damaged: bool = False
    loaded: bool = False
    generation: int = 0
    """Grows on every load and save, so a cached snapshot knows it is out of date."""

    @property
    def where(self) -> dict[str, str]:
        """The file each record id is stored in (the first, if several hold it; ids of records
        that did not validate too): made when first asked for, by a save, as reading a
        workspace never needs it (60k ids)."""
        where = self._where
        if where is None:
            where = {}
            for name, file in reversed(self.files.items()):  # the first file's name stays
                where.update(dict.fromkeys(file.ids, name))
            self._where = where
        return where

    def forget_where(self) -> None:
        """Make :attr:`where` again from the files when next asked for."""
        self._where = None


@dataclass
class _Edits:
    """What one commit does to one kind, by file."""

    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    deletes: dict[str, list[str]] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)  # a set, not a scan: batches hold 50k creates
    written: dict[str, _File] = field(default_factory=dict)
    """Files with new contents waiting in their storage's ``pending``."""
    removed: list[str] = field(default_factory=list)
    """Files the commit deletes (a single file split into shards)."""
    created: set[str] = field(default_factory=set)
    """New shards the commit makes: files that must not exist yet."""


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
        record_cache: cache.RecordCache | None = None,
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
        self._cache = record_cache or cache.RecordCache(root)
        self._kinds: dict[str, _KindState] = {kind: _KindState() for kind in KIND_FILES}

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
        records_cache = cache.RecordCache(root)
        settings, problems = read_settings(root, records_cache)
        forced = read_only
        if settings is None:
            settings = Settings(name=root.name or "workspace")
            forced = True
        elif (schema := schema_problem(settings)) is not None:
            problems.append(schema)
            forced = True
        ws = cls(
            root,
            settings,
            problems,
            user=user,
            clock=clock,
            read_only=forced,
            record_cache=records_cache,
        )
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

    def damaged_files(self, kind: str) -> list[str]:
        """The files of ``kind`` whose contents have a problem, which a backup may put right;
        not where the files are (a shard folder that is a symlink, the kind in two places)."""
        state = self._state(kind)
        where = set(state.layout.problems) if state.layout is not None else set()
        found = [p.file for p in state.problems if p.file in state.files and p not in where]
        return list(dict.fromkeys(found))

    def path_of(self, kind: str) -> Path:
        """Where the records of ``kind`` are: its file, or its folder of shards."""
        if shards.discover(self.root, kind, redo.view(self.root)).sharded:
            return self.root / shards.folder_of(kind)
        return self.root / KIND_FILES[kind]

    def files_of(self, kind: str) -> list[str]:
        """The workspace-relative names of the files holding ``kind``'s records."""
        return list(self._state(kind).files)

    def file_of(self, kind: str, record_id: str) -> str:
        """The workspace-relative name of the file holding a record (or that would)."""
        with self._guard:  # the map is made from the files a load in another thread may swap
            state = self._sync(kind)
            return state.where.get(record_id) or next(iter(state.files), KIND_FILES[kind])

    def _state(self, kind: str) -> _KindState:
        with self._guard:
            return self._sync(kind)

    def _layout(self, kind: str) -> tuple[Layout, View]:
        view = redo.view(self.root)
        layout = shards.discover(self.root, kind, view)
        for _ in range(3):
            # Both the single file and shards: a split may be finishing right now (its redo
            # log appeared after the look above); look again before calling it a problem.
            if not layout.mixed:
                break
            view = redo.view(self.root)
            layout = shards.discover(self.root, kind, view)
        return layout, view

    @staticmethod
    def _label(kind: str, state: _KindState) -> str:
        if state.layout is not None and state.layout.sharded:
            return f"{shards.folder_of(kind)}/"
        return KIND_FILES[kind]

    def _sync(self, kind: str, *, revalidate: bool | Collection[str] = False) -> _KindState:
        """Bring ``kind``'s records up to date with its files, re-reading only changed files.

        Another process may change several files of the kind while they are read one by one
        (outside the lock): they are looked at again until none changed meanwhile, so that a
        reader sees such a change whole or not at all, never half of it.
        """
        state = self._kinds[kind]
        for _ in range(SYNC_ATTEMPTS):
            before = state.generation
            self._sync_once(kind, revalidate=revalidate)
            if revalidate or state.generation == before:  # under the lock, or nothing changed
                break
        return state

    def _sync_once(self, kind: str, *, revalidate: bool | Collection[str] = False) -> _KindState:
        """One look at ``kind``'s files, re-reading those that changed.

        The files in ``revalidate`` (all of them if True; under the lock, before a save) are
        opened, which is what revalidates NFS's attribute cache; for the others one ``lstat``
        tells. A file another process left unchanged is neither parsed nor validated again.
        """
        state = self._kinds[kind]
        layout, view = self._layout(kind)
        if not revalidate and state.loaded and self._unchanged(state, layout, view):
            return state
        # Parsing and validating a big file makes hundreds of thousands of objects that all
        # stay alive; the cycle collector would scan them again and again for nothing (about
        # a quarter of loading 10k accounts and 50k check-ins), so it waits until the end.
        # After a kind's first load its records are frozen out of the collector's scans for
        # good (records hold no reference cycles, so they are still freed when dropped): else
        # the first full collection after loading, and every later one, walks all of them
        # (0.3-0.4 s on the 10k workspace, paid by whatever runs next: scoring, a brief).
        first_load = not state.loaded
        with collector_paused():
            try:
                current, reloaded = self._reload_files(kind, state, layout, view, revalidate)
            finally:
                if first_load:
                    gc.freeze()
        if first_load or reloaded or layout != state.layout:
            state.files, state.layout = current, layout
            self._merge(state)
        return state

    def _reload_files(
        self,
        kind: str,
        state: _KindState,
        layout: Layout,
        view: View,
        revalidate: bool | Collection[str],
    ) -> tuple[dict[str, _File], bool]:
        """The kind's files in ``layout`` order, each loaded again if it changed (see
        :meth:`_sync_once`), and whether any was."""
        current: dict[str, _File] = {}
        reloaded = False
        table = shards.folder_of(kind)
        for name in layout.names:
            file = state.files.get(name) or _File(KaplanDB(self.root / name, table))
            storage = file.storage
            storage.staged = view.staged.get(name)
            if file.loaded:
                path = storage.staged or storage.path
                try:
                    # Under the lock, opening the file is what revalidates NFS's
                    # attribute cache.
                    opened = revalidate is True or (revalidate and name in revalidate)
                    st = files.open_stat(path) if opened else os.lstat(path)
                    now = None if st is None else files.sig_of(st)
                except FileNotFoundError:
                    now = None
                except WorkspaceError:
                    now = files.signature(path)  # refused again by _load_file if changed
                if now == file.sig:
                    current[name] = file
                    continue
            self._load_file(kind, name, file, keep_parsed=bool(revalidate))
            reloaded = True
            current[name] = file
        return current, reloaded

    def _unchanged(self, state: _KindState, layout: Layout, view: View) -> bool:
        """True when every file of the kind is the one loaded: one ``lstat`` each, and
        nothing else, as the UI asks often (thousands of records make hundreds of shards)."""
        if layout != state.layout:
            return False
        root = str(self.root)
        lstat = os.lstat
        for name, file in state.files.items():
            sig = file.sig
            path = view.staged.get(name) or f"{root}/{name}"
            try:
                st = lstat(path)
            except FileNotFoundError:
                if sig is not None:
                    return False
                continue
            if (
                sig is None
                or st.st_ino != sig.ino
                or st.st_size != sig.size
                or st.st_mtime_ns != sig.mtime_ns
                or st.st_ctime_ns != sig.ctime_ns
            ):
                return False
        return True

    def _load_file(self, kind: str, name: str, file: _File, *, keep_parsed: bool) -> None:
        """Load one file's records: from the record cache when it holds this very file, else
        by parsing and validating it (and then caching its records if they are all valid).

        The parsed JSON is only needed to save into the file; unless ``keep_parsed`` (a save
        is coming), it is dropped, and read again by the first save that needs it (a third
        less memory for a big workspace).
        """
        storage = file.storage
        model = RECORD_TYPES[kind]
        file.loaded = True
        try:
            st = None if storage.staged else files.open_stat(storage.path)
            if st is not None:
                cached = self._cache.get(name, cache.key_of(st), model)
                if cached is not None:
                    storage.forget()  # parsed only if a save needs it
                    file.records = LazyRecords.packed(cached)
                    file.ids, file.problems, file.sig = cached.ids, [], files.sig_of(st)
                    return
            began = time.perf_counter()
            data = storage.reload()
        except WorkspaceError as exc:
            reason = (
                exc.reason if isinstance(exc, DamagedFileError) else str(exc).split(": ", 1)[-1]
            )
            file.sig = files.signature(storage.staged or storage.path)
            file.records, file.ids = {}, []
            file.problems = [Problem(name, None, None, reason)]
            return
        docs = data[storage.table]
        records: dict[str, Record] = {}
        problems: list[Problem] = []
        for key, doc in docs.items():
            try:
                record = model.model_validate(doc)
            except ValidationError as exc:
                problems += pydantic_problems(name, key, exc)
                continue
            if record.id != key:
                problems.append(
                    Problem(
                        name,
                        key,
                        "id",
                        f"the record is stored under {key!r} but its id says {record.id!r}",
                    )
                )
                continue
            records[key] = record
        file.records, file.ids, file.problems = records, list(docs), problems
        file.sig = storage.cached_signature
        read = storage.stat
        if not keep_parsed:
            storage.forget()
        if not problems and not storage.staged and read:
            took = time.perf_counter() - began
            self._cache.put(name, cache.key_of(read), model, list(records.values()), took=took)

    def _merge(self, state: _KindState) -> None:
        """The kind's records, index and problems from its files' (after a load)."""
        state.generation += 1
        state.loaded = True
        assert state.layout is not None
        problems = list(state.layout.problems)
        state.forget_where()
        if len(state.files) == 1:
            [file] = state.files.values()
            state.records = LazyRecords(_raw(file.records))
            state.problems = problems + file.problems
            state.damaged = bool(state.problems)
            return
        records: dict[str, Record | Packed] = {}
        where: dict[str, str] | None = None  # once a file is not taken whole
        for name, file in state.files.items():
            problems += file.problems
            held = _raw(file.records)
            if where is None and len(held) == len(file.ids) and records.keys().isdisjoint(file.ids):
                # the usual case, taken whole (60k records in 400 shards: 20 ms one by one):
                # every id is new, and the file's records are its ids, in the same order
                records.update(held)
                continue
            if where is None:  # the files before were all taken whole: their ids are records'
                where = {rid: state.where[rid] for rid in records}
            for rid in file.ids:
                other = where.setdefault(rid, name)
                if other != name:
                    problems.append(
                        Problem(
                            name,
                            rid,
                            "id",
                            f"the same record is also in {other}; keep it in one file only",
                        )
                    )
                elif rid in held:
                    records[rid] = held[rid]
        state.records, state.problems = LazyRecords.adopt(records), problems
        state.damaged = bool(problems)

    def changed_kinds(self) -> list[str]:
        """Kinds whose files changed on disk since they were loaded (by another process).

        Cheap (one ``lstat`` per file, and a folder listing per sharded kind): the UI calls
        it on a timer. While this object is loading or saving in another thread, it says
        nothing changed rather than wait.
        """
        if not self._guard.acquire(blocking=False):
            return []
        try:
            out = []
            for kind, state in self._kinds.items():
                if not state.loaded:
                    continue
                layout, view = self._layout(kind)
                if not self._unchanged(state, layout, view):
                    out.append(kind)
            return out
        finally:
            self._guard.release()

    # --- reading ------------------------------------------------------------------------

    def records(self, kind: str) -> LazyRecords[Record]:
        """Every valid record of ``kind`` by id, fresh from disk if another process saved."""
        return self._state(kind).records

    def records_together(self, kinds: Iterable[str]) -> dict[str, LazyRecords[Record]]:
        """:meth:`records` of several kinds as they were at one moment: a change another
        process makes to several kinds at once is seen whole or not at all (the kinds are
        looked at again until none changed while the others were read)."""
        wanted = list(kinds)
        with self._guard:
            for _ in range(SYNC_ATTEMPTS):
                before = [self._kinds[kind].generation for kind in wanted]
                out = {kind: self._state(kind).records for kind in wanted}
                if [self._kinds[kind].generation for kind in wanted] == before:
                    break
            return out

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
            # Reload whatever another process changed (one look at each file).
            recs = self.records_together(self._kinds)
            key = (id(self.settings), *(state.generation for state in self._kinds.values()))
            if self._snapshot is not None and self._snapshot[0] == key:
                return self._snapshot[1]
            snap = Snapshot(
                settings=self.settings,
                accounts=recs["account"].copy(),  # type: ignore[arg-type]
                segments=recs["segment"].copy(),  # type: ignore[arg-type]
                goals=recs["goal"].copy(),  # type: ignore[arg-type]
                checkins=recs["checkin"].copy(),  # type: ignore[arg-type]
                people=recs["person"].copy(),  # type: ignore[arg-type]
                teams=recs["team"].copy(),  # type: ignore[arg-type]
                pillars=recs["pillar"].copy(),  # type: ignore[arg-type]
                version=self._version(),
            )
            self._snapshot = (key, snap)
            return snap

    def _version(self) -> str:
        """A name for the records and settings held now (:attr:`Snapshot.version`): the
        signature of every file they were read from (as the record cache trusts it), and the
        settings themselves. Another process that holds the same files gives the same name."""
        files = [
            (kind, name, None if file.sig is None else tuple(file.sig), str(file.storage.staged))
            for kind, state in sorted(self._kinds.items())
            for name, file in state.files.items()
        ]
        # A file that could not be read (or not all of it) is named by its signature after
        # the failure, which a whole read of the same file has too: the problems tell them apart.
        problems = [repr(state.problems) for _, state in sorted(self._kinds.items())]
        held = (VERSION_FORMAT, str(self.root.absolute()), files, problems, repr(self.settings))
        return hashlib.blake2b(marshal.dumps(held), digest_size=16).hexdigest()

    def lint_results(self) -> LintResults:
        """A store of this workspace's lint results, kept between processes in the user's
        private cache folder (see :mod:`kaplan_tui.storage.lint_results`)."""
        return LintResults(self._cache)

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
        states: dict[str, _KindState] = {}
        for kind in dict.fromkeys(change.record.KIND for change in changes):
            state = self._revalidate(kind, [c for c in changes if kind == c.record.KIND])
            if state.damaged:
                raise ReadOnlyError(
                    f"{self._label(kind, state)} has problems and will not be rewritten: "
                    + "; ".join(str(p) for p in state.problems[:3])
                )
            states[kind] = state

        results: list[Record] = []
        journal: list[dict[str, Any]] = []
        edits = {kind: _Edits() for kind in states}
        deleted: dict[str, list[str]] = {}
        for change in changes:
            rec = change.record
            kind = rec.KIND
            state, edit = states[kind], edits[kind]
            data = rec.model_dump(mode="json")
            if change.op == "create":
                if not rec.id:
                    data["id"] = new_id(kind)
                if data["id"] in state.where or data["id"] in edit.taken:
                    raise DuplicateIdError(f"{kind} {data['id']}: this id is already taken")
                edit.taken.add(data["id"])
                old_rev = None
                data.update(
                    rev=1,
                    created_at=_iso(now),
                    created_by=self.user,
                    updated_at=_iso(now),
                    updated_by=self.user,
                )
            else:
                name = state.where.get(rec.id)
                stored = None
                if name is not None:
                    storage = state.files[name].storage
                    stored = storage.data[storage.table].get(rec.id)
                if name is None or stored is None or stored.get("rev") != rec.rev:
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
                    edit.deletes.setdefault(name, []).append(rec.id)
                    deleted.setdefault(kind, []).append(rec.id)
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
                edit.creates.append(data)
                fields_changed = sorted(k for k in data if k not in Record.AUDIT_FIELDS)
            else:
                assert name is not None and stored is not None
                edit.updates.setdefault(name, {})[rec.id] = data
                fields_changed = sorted(
                    k for k in data if k not in Record.AUDIT_FIELDS and stored.get(k) != data[k]
                )
            journal.append(
                self._journal_entry(
                    change.op, kind, data["id"], old_rev, data["rev"], fields_changed
                )
            )

        try:
            for kind, edit in edits.items():
                self._write_through_tinydb(kind, states[kind], edit)
            self._commit_files(list(edits.values()))
        except BaseException:
            # TinyDB changed the parsed copies of these files: read them again next time.
            for kind, edit in edits.items():
                state = states[kind]
                for name in [*edit.written, *edit.removed]:
                    file = edit.written.get(name) or state.files.get(name)
                    if file is not None:
                        file.storage.forget()
                        file.loaded = False
                state.loaded = False
            raise
        for kind, edit in edits.items():
            self._refresh_after_write(kind, states[kind], edit, results, deleted.get(kind, []))
        self._append_journal(journal)
        return results

    def _revalidate(self, kind: str, changes: list[Change]) -> _KindState:
        """Under the lock, bring ``kind`` up to date before ``changes`` are applied to it.

        The files the changes rewrite are opened (every file of the kind when they create
        records, whose ids must be new to all of them); the others are checked with lstat.
        """
        state = self._kinds[kind]
        if any(c.op == "create" for c in changes) or not state.loaded:
            return self._sync(kind, revalidate=True)
        opened: set[str] = set()
        while True:
            homes = {state.where.get(c.record.id) for c in changes}
            if None in homes:  # unknown here: maybe created elsewhere, in any file
                return self._sync(kind, revalidate=True)
            if homes <= opened:  # (a record another process moved may live elsewhere now)
                return state
            opened |= {home for home in homes if home is not None}
            state = self._sync(kind, revalidate=opened)

    def _write_through_tinydb(self, kind: str, state: _KindState, edit: _Edits) -> None:
        """Apply ``edit`` to the kind's files through TinyDB; new contents wait in ``pending``.

        New records go to the single file, or to the last shard until it is full and then to
        new shards; a file that grows past :data:`shards.SPLIT_BYTES` is split.
        """
        from tinydb.table import Document

        assert state.layout is not None
        layout = state.layout
        table_name = shards.folder_of(kind)
        names = list(layout.names)
        placed: dict[str, list[dict[str, Any]]] = {}
        if edit.creates and not layout.sharded:
            placed[names[0]] = edit.creates
        elif edit.creates:
            last = names[-1]
            sig = state.files[last].sig
            size, count = (sig.size if sig else 0), len(state.files[last].ids)
            for data in edit.creates:
                cost = shards.estimate(data["id"], data)
                if count and size + cost > shards.SHARD_BYTES:
                    last = shards.next_shard(kind, names)
                    names.append(last)
                    size, count = shards.EMPTY_BYTES, 0
                placed.setdefault(last, []).append(data)
                size += cost
                count += 1

        def file_of(name: str) -> _File:
            file = state.files.get(name) or edit.written.get(name)
            if file is None:  # a new shard
                file = _File(KaplanDB(self.root / name, table_name), loaded=True)
                edit.created.add(name)
            edit.written[name] = file
            return file

        for name in names:
            if name not in edit.deletes and name not in edit.updates and name not in placed:
                continue
            table = file_of(name).db.table(table_name)
            if name in edit.deletes:
                table.remove(doc_ids=edit.deletes[name])  # type: ignore[arg-type]  # str ids
            if name in edit.updates:
                table.update(_replacer(edit.updates[name]), doc_ids=list(edit.updates[name]))  # type: ignore[arg-type]
            if name in placed:
                table.insert_multiple(Document(d, doc_id=d["id"]) for d in placed[name])

        for name, file in list(edit.written.items()):
            pending = file.storage.pending
            if pending is None or len(pending) <= shards.SPLIT_BYTES:
                continue
            docs = file.storage.data[table_name]
            runs = shards.chunks(docs)
            if len(runs) < 2:
                continue
            if "/" in name:  # a shard keeps its first records and hands on the others
                moved = runs[1:]
                file.db.table(table_name).remove(doc_ids=[r for run in moved for r in run])  # type: ignore[misc]
            else:  # the single file becomes a folder of shards, in the same change
                moved = runs
                file.storage.pending = None
                del edit.written[name]
                edit.removed.append(name)
                names.remove(name)
            for run in moved:
                new = shards.next_shard(kind, names)
                names.append(new)
                file_of(new).db.table(table_name).insert_multiple(
                    Document(docs[rid], doc_id=rid)  # type: ignore[arg-type]  # str ids
                    for rid in run
                )

    def _commit_files(self, edits: list[_Edits]) -> None:
        pending: list[tuple[str, bytes]] = []
        for edit in edits:
            for name, file in edit.written.items():
                if file.storage.pending is not None:
                    pending.append((name, file.storage.pending))
        removed = [name for edit in edits for name in edit.removed]
        # A new shard of a sharded kind is created only where no file is, even one this
        # process cannot see (a network file system lists new files late): never over another
        # Kaplan's new shard. (Not when a kind's file is split: an empty shard beside the file,
        # left by a crash, would make the kind look kept in two places.)
        created = [
            name for name, _ in pending if any(name in e.created and not e.removed for e in edits)
        ]
        if len(pending) == 1 and not removed:
            name, data = pending[0]
            if created:
                self._reserve(name)
            else:
                self._backup(name)
            try:
                files.atomic_write(self.root / name, data)
            except BaseException:
                if created:
                    with contextlib.suppress(OSError):
                        os.unlink(self.root / name)  # the empty file reserved just above
                raise
            return
        # Several files: stage every new file, then record the plan (the redo log), then move
        # them into place. A crash before the plan is written changes nothing; a crash after
        # it is finished by the next process that takes the lock (:meth:`_recover`).
        staged: list[tuple[Path, str]] = []
        made: list[Path] = []
        reserved: list[Path] = []
        try:
            for name, _ in pending:
                if "/" in name and self._make_folder(name.split("/")[0]):
                    made.append(self.root / name.split("/")[0])
            for name, data in pending:
                staged.append((files.write_temp(self.root / name, data), name))
            # Back up the files about to be replaced while failing still changes nothing.
            for name in [name for _, name in staged if name not in created] + removed:
                self._backup(name)
            for name in created:
                self._reserve(name)
                reserved.append(self.root / name)
            plan = redo.Plan(
                tuple((tmp.relative_to(self.root).as_posix(), name) for tmp, name in staged),
                tuple(removed),
            )
            files.atomic_write(redo.txn_path(self.root), plan.to_bytes())
        except BaseException:  # not committed: drop the staged files (they may fill the disk)
            for path in [tmp for tmp, _ in staged] + reserved:
                with contextlib.suppress(OSError):
                    path.unlink()
            for folder in made:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only if still empty
            raise
        redo.finish(self.root, plan)

    def _reserve(self, name: str) -> None:
        """Create the new shard ``name`` empty, for the commit to fill; refuse if another
        Kaplan has made it meanwhile."""
        try:
            files.create_empty(self.root / name)
        except FileExistsError:
            raise WorkspaceError(
                f"{name}: another Kaplan has just made this file, which this one cannot see "
                "yet (a network file system lists new files late); nothing was saved. Save "
                "again in a moment."
            ) from None

    def _make_folder(self, folder: str) -> bool:
        """Create the folder of a kind's shards, with the workspace folder's permissions (a
        shared workspace's setgid 2770); False if it was there already."""
        path = self.root / folder
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                raise UnsafeFileError(
                    f"{folder}: is not a folder; Kaplan keeps shards in one"
                ) from None
            return False
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DiskFullError(
                    f"{folder}: not created: the disk is full or over quota; nothing was "
                    "changed. Free some space and save again."
                ) from exc
            raise
        os.chmod(path, stat.S_IMODE(os.stat(self.root).st_mode))
        files.fsync_dir(self.root)
        return True

    def _recover(self) -> None:
        """Finish a multi-file change that a crashed process left half done; drop stale temps."""
        plan = redo.load(self.root)
        if plan is not None:
            redo.finish(self.root, plan)
            for name in [target for _, target in plan.rename] + list(plan.remove):
                kind = shards.kind_of(name)
                if kind is not None:
                    state = self._kinds[kind]
                    state.loaded = False
                    file = state.files.get(name)
                    if file is not None:
                        file.storage.forget()
                        file.loaded = False
        cutoff = time.time() - STALE_TMP_SECONDS
        for tmp in self.stale_temps(cutoff):
            with contextlib.suppress(OSError):
                tmp.unlink()

    def stale_temps(self, older_than: float) -> list[Path]:
        """Temp files of interrupted saves last changed before ``older_than`` (a time)."""
        folders = [self.root] + [
            self.root / shards.folder_of(kind)
            for kind in KIND_FILES
            if _is_real_folder(self.root / shards.folder_of(kind))  # never a symlink's target
        ]
        out = []
        for folder in folders:
            try:
                names = os.listdir(folder)
            except OSError:  # a shard folder that cannot be listed is reported when loaded
                continue
            for name in names:
                if name.startswith(".") and name.endswith(files.TMP_SUFFIX):
                    path = folder / name
                    with contextlib.suppress(OSError):
                        if path.lstat().st_mtime < older_than:
                            out.append(path)
        return sorted(out)

    def _backup_folder(self, name: str) -> Path:
        folder = self.root / STATE_DIR / BACKUP_DIR
        for part in name.split("/"):
            folder /= Path(part).stem
        return folder

    def _backup(self, name: str) -> None:
        path = self.root / name
        if not path.exists() or path.is_symlink():
            return
        folder = self._backup_folder(name)
        if not folder.is_dir():
            self._make_state_folders(folder)
        if not self._real_state_folder(folder):
            raise UnsafeFileError(
                f"{folder.relative_to(self.root).as_posix()}: is, or is inside, a symbolic "
                "link or not a folder; Kaplan keeps backups only in its own folders, and saves "
                "nothing it cannot back up. Remove it and save again."
            )
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

    def _real_state_folder(self, folder: Path) -> bool:
        """True when ``folder`` and every folder above it inside the workspace are folders
        themselves, not symlinks to folders elsewhere."""
        while folder != self.root:
            if not _is_real_folder(folder):
                return False
            folder = folder.parent
        return True

    def _make_state_folders(self, folder: Path) -> None:
        """Create ``folder`` and its parents under ``.kaplan/``: in a shared workspace, setgid
        and group-writable (2770) whatever the umask, so every member can keep backups."""
        shared = self._shared()
        missing = []
        while not folder.is_dir():
            missing.append(folder)
            folder = folder.parent
        for each in reversed(missing):
            with contextlib.suppress(FileExistsError):
                each.mkdir(mode=0o700)
                if shared:
                    os.chmod(each, 0o2770)

    def backups(self, kind: str, name: str | None = None) -> list[Path]:
        """Backups of the files of ``kind`` (or of its file ``name`` only), newest first."""
        names = [name] if name is not None else self._backed_up_names(kind)
        found: list[Path] = []
        for each in names:
            folder = self._backup_folder(each)
            if self._real_state_folder(folder):  # never what a planted symlink points to
                found += folder.glob(f"*-{Path(each).name}")
        return sorted(found, key=lambda p: p.name, reverse=True)

    def _backed_up_names(self, kind: str) -> list[str]:
        """Every file of ``kind`` that has a backup folder: the single file and the shards."""
        names = [KIND_FILES[kind]]
        folder = self._backup_folder(KIND_FILES[kind])
        if folder.is_dir():
            names += [
                f"{shards.folder_of(kind)}/{sub.name}.json"
                for sub in folder.iterdir()
                if sub.is_dir() and shards.SHARD_NAME.fullmatch(f"{sub.name}.json")
            ]
        return names

    def _refresh_after_write(
        self,
        kind: str,
        state: _KindState,
        edit: _Edits,
        results: list[Record],
        deleted: list[str],
    ) -> None:
        """Bring the cached records and index up to date with what was just written."""
        state.generation += 1
        # A new mapping rather than a change to the one readers may hold (records() hands it
        # out): a reader unpacking a record meanwhile keeps it in its own mapping, and cannot
        # put the old version back over the one just saved (or bring back one just deleted).
        records = state.records.copy()
        for rec in results:
            if kind == rec.KIND:
                records[rec.id] = rec
        for rid in deleted:
            records.discard(rid)
            state.where.pop(rid, None)
        state.records = records
        current = {name: f for name, f in state.files.items() if name not in edit.removed}
        table_name = shards.folder_of(kind)
        for name, file in edit.written.items():
            file.storage.committed()
            file.sig = file.storage.cached_signature
            file.ids = list(file.storage.data[table_name])
            held = state.records.raw()
            file.records = LazyRecords({rid: held[rid] for rid in file.ids if rid in held})
            if len(file.records) != len(file.ids):  # changed by hand meanwhile: load it again
                file.loaded = state.loaded = False
            for rid in file.ids:
                state.where[rid] = name
            current[name] = file
        state.files = current
        assert state.layout is not None
        if edit.removed or any(name not in state.layout.names for name in edit.written):
            layout = shards.discover(self.root, kind)
            if set(layout.names) == set(state.files):
                state.layout = layout
                state.files = {name: state.files[name] for name in layout.names}
            else:  # someone changed the folder by hand meanwhile: look again on next use
                state.loaded = False

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
        """Put a backup of one of ``kind``'s files in place; the current file is kept beside it.

        Without ``backup``, the latest backup of the kind's first damaged file, or, when none
        is damaged, the latest backup of any of its files (which undoes that file's last save).

        Returns:
            Where the replaced (for example damaged) file was moved.
        """
        state = self._state(kind)
        assert state.layout is not None
        if backup is not None:
            name, chosen = self._restore_target(kind, backup, state.layout), backup
        else:
            damaged = self.damaged_files(kind)
            if state.damaged and not damaged:
                raise WorkspaceError(
                    "; ".join(str(p) for p in state.problems[:3])
                    + " (no backup can put this right; nothing was changed)"
                )
            candidates = damaged or list(state.layout.names)
            found = sorted(
                ((b, each) for each in candidates for b in self.backups(kind, each)[:1]),
                key=lambda pair: pair[0].name,
                reverse=not damaged,
            )
            if not found:
                raise WorkspaceError(f"{candidates[0]}: no backup to restore")
            chosen, name = (
                found[0] if not damaged else min(found, key=lambda pair: candidates.index(pair[1]))
            )
        got = files.read_bytes(chosen)
        if got is None:
            raise WorkspaceError(f"{chosen}: backup not found")
        path = self.root / name
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = path.with_name(f"{path.name}.replaced-{stamp}")

        def swap() -> None:
            if os.path.lexists(path):
                os.link(path, kept) if not path.is_symlink() else shutil.copy(
                    path, kept, follow_symlinks=False
                )
            if "/" in name:
                self._make_folder(name.split("/")[0])
            files.atomic_write(path, got[0])
            state.loaded = False
            file = state.files.get(name)
            if file is not None:
                file.storage.forget()
                file.loaded = False

        self._with_lock(swap)
        return kept

    def _restore_target(self, kind: str, backup: Path, layout: Layout) -> str:
        """The file of ``kind`` that ``backup`` is a backup of."""
        single, folder = KIND_FILES[kind], shards.folder_of(kind)
        is_single = backup.name == single or backup.name.endswith(f"-{single}")
        shard = re.search(r"(?:^|-)([0-9]{1,9}\.json)$", backup.name)
        if not layout.sharded:
            if shard and backup.parent.name == Path(shard.group(1)).stem:
                raise WorkspaceError(
                    f"{backup.name}: a backup of {folder}/{shard.group(1)}, but {kind} records "
                    f"are kept in {single}"
                )
            return single
        if shard and not is_single:
            return f"{folder}/{shard.group(1)}"
        if is_single:
            raise WorkspaceError(
                f"{backup.name}: a backup of {single} from before its records were split into "
                f"{folder}/; Kaplan will not put it back beside the shards (copy what you need "
                "from it by hand)"
            )
        raise WorkspaceError(
            f"{backup.name}: cannot tell which file of {folder}/ this is a backup of; its name "
            f"should end in -NNN.json like the files in {folder}/"
        )


def _is_real_folder(path: Path) -> bool:
    """True when ``path`` is a folder itself, not a symlink to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


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
