"""A private cache of validated records, so that a big workspace opens without validating
every record again.

Validating 10k accounts and 50k check-ins takes about a second. From this cache, opening the
same workspace reads each record's bytes (:mod:`kaplan_tui.storage.packing`) and unpacks a record
only when it is first read (:mod:`kaplan_tui.core.records`): a team's brief unpacks a fifth of
them. An entry holds the records of one workspace file
(a kind's file or one shard, or kaplan.toml's settings) and is used only when that file is
exactly the one validated:
same device, inode, size, modification and change time (the change time cannot be set back by
hand), and the same record models (a hash of their source, of the packing code and of the
versions of pydantic and Python).
Every file is cached, however small: its records would validate faster than its entry loads,
but the first validation of a model in a process builds the model's validator (5-30 ms each, and
pydantic's look for plugins, 20 ms, on the first).
Anything else, or anything unreadable, is a miss: the file is read and validated as usual, and
the entry written again. Only files that validated without a single problem are cached, so a
problem is always found and reported from the file itself.

An entry is a CRC-32 of its :mod:`marshal` data, then that data: the check makes a damaged
entry a miss at once, though its records are unpacked later, as they are read. Marshal data runs
no code when read, but a value the packing does
not know is kept pickled, and unpickling runs code; so entries live in the user's own cache folder
(never in the workspace, which a whole group may write), in folders only the user may enter,
and an entry is read only if the user owns it and nobody else may write it. Entries are reached
through descriptors of those checked folders, never by path or through a symlink, so that
whoever may rename the folders above (a cache folder set in a shared place) cannot swap in their
own between the check and the read.
"""

from __future__ import annotations

import array
import contextlib
import datetime as dt
import hashlib
import itertools
import marshal
import os
import stat
import sys
import threading
import time
import weakref
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from kaplan_tui.core.records import INDEXED_FIELDS, Packed, Slices
from kaplan_tui.core.records import SEPARATE_FIELDS as SEPARATE
from kaplan_tui.core.settings import Settings
from kaplan_tui.storage.packing import (
    field_reader,
    pack,
    pack_field,
    pack_value,
    picker,
    unpack_value,
    unpacker,
)

FORMAT = 5
WRITE_SHARE = 1.0
"""At most this share of the time spent validating goes to writing entries."""
WORKSPACES_KEPT = 20
"""Workspaces with entries; the least recently used beyond this are forgotten."""

Key = tuple[int, int, int, int, int]


def key_of(st: os.stat_result) -> Key:
    """What must be unchanged for an entry made from a file to stand for it."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


_fingerprint: tuple[str | None] | None = None


def models_fingerprint() -> str | None:
    """A hash of what decides how records validate and are packed: the source of the models,
    of their validators, of the packing and of the entries' layout (this module, and the
    columns of :mod:`kaplan_tui.core.records`), and the versions of pydantic and Python. None
    (no caching at all) when that source cannot be read."""
    global _fingerprint
    if _fingerprint is None:
        import pydantic

        from kaplan_tui.core import models, periods, records, settings, text
        from kaplan_tui.storage import packing

        digest = hashlib.sha256(f"{FORMAT} {pydantic.VERSION} {sys.version}".encode())
        try:
            modules = (models, settings, text, periods, packing, records, sys.modules[__name__])
            for module in modules:
                digest.update(Path(str(module.__file__)).read_bytes())
        except OSError:
            _fingerprint = (None,)
        else:
            _fingerprint = (digest.hexdigest(),)
    return _fingerprint[0]


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_FOLDER_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | _CLOEXEC


def _private(fd: int) -> bool:
    """True when the open file ``fd`` is the user's and nobody else may write it (or, for a
    folder, enter it)."""
    st = os.fstat(fd)
    if stat.S_ISDIR(st.st_mode):
        return st.st_uid == os.getuid() and st.st_mode & 0o077 == 0
    return _private_file(st)


def _private_file(st: os.stat_result) -> bool:
    """True when ``st`` is a regular file of the user's that nobody else may write."""
    return st.st_uid == os.getuid() and stat.S_ISREG(st.st_mode) and st.st_mode & 0o022 == 0


def _read_all(fd: int, size: int) -> bytes:
    """The bytes of the open file ``fd``, ``size`` long (as ``fstat`` said) or whatever it
    holds now, in as few reads as the system allows."""
    parts = []
    while part := os.read(fd, max(size, 1 << 16)):
        parts.append(part)
    return b"".join(parts)  # one part: that very object, not a copy


def _open_private_folder(
    stack: contextlib.ExitStack, path: Path | str, dir_fd: int | None = None
) -> int | None:
    """A descriptor of the folder at ``path`` (closed with ``stack``) if it is private; else
    None. A symlink is never followed: everything inside is then reached through this
    descriptor, so that nobody who may rename the folders above can swap it meanwhile."""
    try:
        fd = os.open(path, _FOLDER_FLAGS, dir_fd=dir_fd)
    except OSError:
        return None
    stack.callback(os.close, fd)
    return fd if _private(fd) else None


def _unpack_column(values: list[Any] | tuple[str, list[Any]]) -> list[Any]:
    """A column as :func:`_column` packed it."""
    if not isinstance(values, tuple):
        return values  # plain values, which stand for themselves: nothing to look at
    tag, held = values
    if tag == "days":
        return list(map(_fromordinal, held))  # in C: 50k check-ins' dates
    if tag == "tagged":
        return [unpack_value(value) for value in held]
    raise ValueError(f"unknown column layout {tag!r}")


_fromordinal = dt.date.fromordinal


def _column(records: Sequence[BaseModel], field: str) -> list[Any] | tuple[str, list[Any]]:
    """A column as packed, its strings interned: marshal writes each distinct one once and
    then refers to it (50k check-ins name 2k goals), which loads faster and keeps one copy.

    A list of plain values (strings, numbers, None, lists of them) is the column itself; a
    column of dates only is ``("days", their day numbers)``, read back in one step; any other
    is ``("tagged", its packed values)``, each unpacked when the entry is read. Which one is
    decided here, once, rather than by looking at every value of every entry read."""
    values = [getattr(record, field) for record in records]
    if values and set(map(type, values)) == {dt.date}:
        return ("days", [value.toordinal() for value in values])
    out = [pack_value(value) for value in values]
    out = [sys.intern(v) if type(v) is str else v for v in out]
    return ("tagged", out) if tuple in set(map(type, out)) else out


def _laid(blobs: list[bytes]) -> tuple[bytes, bytes]:
    """``blobs`` end to end, and where each ends (4-byte integers in this machine's order)."""
    return b"".join(blobs), array.array("I", itertools.accumulate(map(len, blobs))).tobytes()


def _slices(laid: tuple[bytes, bytes]) -> Slices:
    """The blobs :func:`_laid` laid out, without copying them."""
    data, ends = laid
    return Slices(data, memoryview(ends).cast("I"))


class RecordCache:
    """The entries of one workspace, in ``<cache>/records/<hash of the workspace's path>/``."""

    def __init__(self, root: Path, base: Path | None = None) -> None:
        if base is None:
            from kaplan_tui.locations import cache_dir

            base = cache_dir()
        self.base = base / "records"
        name = hashlib.sha256(os.fsencode(root.absolute())).hexdigest()[:24]
        self.folder = self.base / name
        self._ready: bool | None = None
        self._preparing = threading.Lock()
        self._holding = threading.Lock()
        self._held_folder: int | None = None
        self._touched = False
        self._validating = 0.0
        self._writing = 0.0

    @staticmethod
    def _entry(name: str) -> str:
        """The name of the entry of workspace file ``name`` in the workspace's folder."""
        return name.replace("/", "~") + ".entry"

    def _folder(self, stack: contextlib.ExitStack) -> int | None:
        """A descriptor of the workspace's folder of entries, if it and the folder above are
        private; else None."""
        base = _open_private_folder(stack, self.base)
        return None if base is None else _open_private_folder(stack, self.folder.name, base)

    def _reading_folder(self) -> int | None:
        """A descriptor of the workspace's folder of entries (see :meth:`_folder`), opened and
        checked once and kept while this object lives: a big workspace reads 400 entries, and
        opening and checking both folders for each was a tenth of its opening. None while the
        folder is missing or not private (asked again next time: a write may make it)."""
        held = self._held_folder
        if held is None:
            with self._holding:
                held = self._held_folder
                if held is None:
                    with contextlib.ExitStack() as stack:
                        folder = self._folder(stack)
                        if folder is None:
                            return None
                        held = os.dup(folder)
                    weakref.finalize(self, os.close, held)
                    self._held_folder = held
        return held

    def _forget_removed(self, folder: int) -> bool:
        """Whether the folder held, ``folder``, was removed; if so it is no longer used (it is
        closed with this object: a read in another thread may be using it now)."""
        try:
            removed = os.fstat(folder).st_nlink == 0
        except OSError:
            removed = True
        if removed:
            with self._holding:
                if self._held_folder == folder:
                    self._held_folder = None
        return removed

    def read(self, file: str) -> memoryview | None:
        """The data of ``file`` in the workspace's folder, if it is there, private and whole
        (its CRC-32 checks); else None."""
        folder = self._reading_folder()
        if folder is None:
            return None
        try:
            fd = os.open(file, os.O_RDONLY | os.O_NOFOLLOW | _CLOEXEC, dir_fd=folder)
        except FileNotFoundError:
            # not there, or the folder held was removed (the cache cleared, or forgotten by
            # another process) and perhaps made again: then once more, through the new one
            return self.read(file) if self._forget_removed(folder) else None
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            if not _private_file(st):
                return None
            data = memoryview(_read_all(fd, st.st_size))
        except OSError:
            return None
        finally:
            os.close(fd)
        # A record is unpacked long after this (when read): a bit gone bad in its bytes
        # must make the entry a miss now, not every read of that record fail later.
        if len(data) < 4 or zlib.crc32(data[4:]) != int.from_bytes(data[:4], "big"):
            return None
        if not self._touched:  # recently used: kept when old workspaces are forgotten
            self._touched = True
            with contextlib.suppress(OSError):
                os.utime(folder)
        return data[4:]

    def get(self, name: str, key: Key, cls: type[BaseModel]) -> Packed | None:
        """The records of workspace file ``name``, still packed, if an entry stands for it;
        else None."""
        data = self.read(self._entry(name))
        if data is None:
            return None
        try:
            # an entry of another layout does not unpack into these: a miss, as below
            fmt, fingerprint, stored_key, kind, ids, blobs, columns, separate = marshal.loads(data)
            expected = models_fingerprint()
            if expected is None or (fmt, fingerprint, tuple(stored_key), kind) != (
                FORMAT,
                expected,
                key,
                cls.__name__,
            ):
                return None
            where = f"{self.folder}{os.sep}{self._entry(name)}"  # Path joins: 400 entries
            packed = Packed(
                ids,
                _slices(blobs),
                {f: _unpack_column(values) for f, values in columns.items()},
                unpacker(cls, where),
                picker(cls, where),
                {f: _slices(laid) for f, laid in separate.items()},
                field_reader(where),
            )
        except Exception:  # a torn or foreign entry is only a miss
            return None
        if len(packed.ids) != len(ids):
            return None  # an id twice: not an entry this code wrote
        return packed

    def get_settings(self, name: str, key: Key) -> Settings | None:
        """The settings validated from the file ``name`` (``kaplan.toml``), if an entry stands
        for it; else None."""
        packed = self.get(name, key, Settings)
        if packed is None or len(packed.ids) != 1:
            return None
        try:
            settings: Settings = packed.record(packed.ids[0])
        except ValueError:
            return None
        return settings

    def put(
        self,
        name: str,
        key: Key,
        cls: type[BaseModel],
        records: Sequence[BaseModel],
        *,
        took: float,
    ) -> None:
        """Remember the validated ``records`` (of class ``cls``) of workspace file ``name``,
        which took ``took`` seconds to read and validate; never fails.

        Packing a file's records costs about as much as validating them did. A process spends
        at most :data:`WRITE_SHARE` of its validating time writing entries, so that the first
        open of a big workspace takes at most twice as long (2.7 s instead of 2.1 s for 10k
        accounts and 50k check-ins, measured) and the cache is full from the second: with a
        third, filling it took ten opens.
        """
        self._validating += took
        if self._writing > WRITE_SHARE * self._validating:
            return
        began = time.perf_counter()
        try:
            self._write(name, key, cls, records)
        finally:
            self._writing += time.perf_counter() - began

    def _write(
        self, name: str, key: Key, cls: type[BaseModel], records: Sequence[BaseModel]
    ) -> None:
        with contextlib.suppress(Exception):
            if models_fingerprint() is None:
                return
            kind = getattr(cls, "KIND", "")
            fields = INDEXED_FIELDS.get(kind, ())
            data = marshal.dumps(
                (
                    FORMAT,
                    models_fingerprint(),
                    list(key),
                    cls.__name__,
                    [getattr(record, "id", "") for record in records],
                    _laid([pack(record) for record in records]),
                    {f: _column(records, f) for f in fields},
                    {
                        f: _laid([pack_field(record, f) for record in records])
                        for f in SEPARATE.get(kind, ())
                    },
                )
            )
            self.write(self._entry(name), data)

    def write(self, file: str, data: bytes) -> None:
        """Make ``file`` in the workspace's folder hold ``data`` (and its CRC-32), replacing
        it whole; OSError if it cannot."""
        with contextlib.ExitStack() as stack:
            folder = self._prepare(stack)
            if folder is None:
                raise PermissionError(f"{self.folder} is not a private folder")
            tmp = f".entry.{os.urandom(8).hex()}.tmp"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC
            fd = os.open(tmp, flags, 0o600, dir_fd=folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(zlib.crc32(data).to_bytes(4, "big"))
                    handle.write(data)
                os.replace(tmp, file, src_dir_fd=folder, dst_dir_fd=folder)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=folder)
                raise

    def _prepare(self, stack: contextlib.ExitStack) -> int | None:
        """Make the private folders, forgetting the least recently used workspaces; a
        descriptor of the workspace's folder (closed with ``stack``), or None.

        Threads write through one cache (the TUI's loading and its sharing screen): they
        prepare one at a time, and a folder found unusable once is not tried again."""
        with self._preparing:
            if self._ready is False:
                return None
            folder: int | None = None
            try:
                self.base.mkdir(mode=0o700, parents=True, exist_ok=True)
                base = _open_private_folder(stack, self.base)
                if base is not None:
                    try:
                        os.mkdir(self.folder.name, 0o700, dir_fd=base)
                    except FileExistsError:
                        pass
                    else:
                        self._forget_old(base)
                    folder = _open_private_folder(stack, self.folder.name, base)
            finally:
                self._ready = folder is not None
            return folder

    def _forget_old(self, base: int) -> None:
        """Delete the entries of all but the :data:`WORKSPACES_KEPT` most recently used
        workspaces; only in the private folder ``base``, never through a symlink."""
        others = []
        for name in os.listdir(base):
            with contextlib.suppress(OSError):
                st = os.stat(name, dir_fd=base, follow_symlinks=False)
                if stat.S_ISDIR(st.st_mode):
                    others.append((st.st_mtime, name))
        for _, old in sorted(others)[:-WORKSPACES_KEPT]:
            with contextlib.ExitStack() as stack:
                folder = _open_private_folder(stack, old, base)
                if folder is None:
                    continue
                for entry in os.listdir(folder):
                    with contextlib.suppress(OSError):
                        os.unlink(entry, dir_fd=folder)
            with contextlib.suppress(OSError):
                os.rmdir(old, dir_fd=base)
