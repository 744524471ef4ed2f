"""A TinyDB storage that is safe for several processes, and a table with string ids.

Stock ``JSONStorage`` rewrites files in place, keeps handles on replaced inodes and follows
symlinks (reliability.md §1). :class:`KaplanStorage` instead:

* reads by path every time, refusing symlinks and non-regular files, and keeps the parsed data
  only while the file's signature (inode, size, mtime) is unchanged;
* never writes from TinyDB directly: :meth:`KaplanStorage.write` serialises into ``pending``
  and the workspace moves it into place atomically, under its lock, together with the other
  files of the same change.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
from tinydb import Storage, TinyDB
from tinydb.table import Table

from kaplan_tui.storage.errors import WorkspaceError
from kaplan_tui.storage.files import (
    MAX_FILE_BYTES,
    Signature,
    read_with_stat,
    shown,
    sig_of,
    signature,
)

JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
"""Pretty-printed, sorted keys, UTF-8 text (not ASCII escapes): files that diff well in git."""


class DamagedFileError(WorkspaceError):
    """A workspace file does not parse, or is not shaped as a TinyDB file."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"{file}: {reason}")


def encode(data: Any) -> bytes:
    """Serialise a whole file's data the way Kaplan stores it."""
    return orjson.dumps(data, option=JSON_OPTIONS) + b"\n"


def decode(name: str, raw: bytes, table: str) -> dict[str, dict[str, Any]]:
    """Parse a workspace file and check its shape: ``{table: {id: {...}}}``.

    Raises:
        DamagedFileError: with the line and column of a syntax error, or the shape problem.
    """
    if not raw.strip():
        return {table: {}}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DamagedFileError(
            name, f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    if not isinstance(data, dict):
        raise DamagedFileError(name, "the file must hold a JSON object")
    unknown = sorted(set(data) - {table})
    if unknown:
        raise DamagedFileError(
            name, f"unexpected top-level key {unknown[0]!r}; this file holds only {table!r}"
        )
    docs = data.setdefault(table, {})
    if not isinstance(docs, dict):
        raise DamagedFileError(name, f"{table!r} must be an object of records by id")
    for key, doc in docs.items():
        if not isinstance(doc, dict):
            raise DamagedFileError(name, f"record {key!r} is not a JSON object")
    return data


class KaplanStorage(Storage):
    """The storage of one workspace file (one TinyDB table)."""

    def __init__(self, path: Path, table: str) -> None:
        self.path = path
        self.table = table
        self.pending: bytes | None = None
        """Bytes TinyDB asked to write, waiting for the workspace to commit them."""
        self.staged: Path | None = None
        """The new version of the file that a committed but unfinished multi-file change
        (the workspace's redo log) will move into place; readers read it instead."""
        self._data: dict[str, dict[str, Any]] | None = None
        self._sig: Signature | None = None
        self.stat: os.stat_result | None = None
        """The whole ``fstat`` of the file last read."""

    @property
    def data(self) -> dict[str, dict[str, Any]]:
        """The data as last read or written, without looking at the file again."""
        return self._data if self._data is not None else self.read()

    @property
    def cached_signature(self) -> Signature | None:
        """The signature of the file the cached data came from."""
        return self._sig

    def changed_on_disk(self) -> bool:
        """True when the file differs from what was read last (by another process, say)."""
        return self._data is None or signature(self.staged or self.path) != self._sig

    def read(self) -> dict[str, dict[str, Any]]:
        """The file's data, re-read only when its signature changed."""
        if self._data is not None and signature(self.staged or self.path) == self._sig:
            return self._data
        return self.reload()

    def reload(self) -> dict[str, dict[str, Any]]:
        """Open the file by path and re-parse it unless it is the file already cached.

        Under the lock, opening the file is what revalidates NFS's attribute cache
        (close-to-open consistency), which is why this opens it instead of trusting ``stat``;
        the signature of the open file then tells whether the cached data is still current.
        """
        self.pending = None
        known = self._sig if self._data is not None else None
        got = read_with_stat(self.staged, known) if self.staged is not None else None
        if got is None:  # no staged file, or it was moved into place meanwhile
            got = read_with_stat(self.path, known)
        if got is None:
            self._data, self._sig, self.stat = {self.table: {}}, None, None
            return self._data
        raw, self.stat = got
        sig = sig_of(self.stat)
        if raw is None and self._data is not None:  # same file as cached: nothing to parse
            return self._data
        if raw is None:
            raw = b""  # cannot happen: a signature is only compared when data is cached
        self._data = None  # if parsing fails, nothing stale stays behind
        self._data, self._sig = decode(self.path.name, raw, self.table), sig
        return self._data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Hold the serialised data for the workspace to commit (see the module docstring)."""
        self.pending = encode(data)
        if len(self.pending) > MAX_FILE_BYTES:
            self.pending = None
            raise WorkspaceError(f"{shown(self.path)}: would exceed {MAX_FILE_BYTES} bytes")
        self._data = data

    def committed(self) -> None:
        """Note that ``pending`` is now the file on disk."""
        self.pending = None
        self._sig = signature(self.path)

    def forget(self) -> None:
        """Drop cached data (after a failed write TinyDB's in-memory dict no longer matches)."""
        self.pending = None
        self._data = None
        self._sig = None

    def close(self) -> None:
        """Nothing to close: no file handle is kept."""


class StrIdTable(Table):
    """A table whose document ids are Kaplan's record ids (strings), never generated."""

    document_id_class = str  # type: ignore[assignment]
    default_query_cache_capacity = 0

    def _get_next_id(self) -> str:
        raise WorkspaceError("every Kaplan record brings its own id")


class KaplanDB(TinyDB):
    """TinyDB over one :class:`KaplanStorage` file, with string ids and no query cache."""

    table_class = StrIdTable

    def __init__(self, path: Path, table: str) -> None:
        super().__init__(path, table, storage=KaplanStorage)
        self.default_table_name = table

    @property
    def kaplan_storage(self) -> KaplanStorage:
        """The storage, typed."""
        storage = self.storage
        assert isinstance(storage, KaplanStorage)
        return storage


def file_exists(path: Path) -> bool:
    """True when ``path`` exists (a symlink counts: it must be reported, not ignored)."""
    return os.path.lexists(path)
