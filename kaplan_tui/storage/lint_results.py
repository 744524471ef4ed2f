"""Lint results of a workspace's goals, kept between processes in the user's private cache
folder, beside the record cache's entries for the workspace (:mod:`kaplan_tui.storage.cache`).

A :class:`LintResults` is the :class:`~kaplan_tui.core.lint.store.ResultStore` that ``kaplan
brief`` and ``kaplan check`` give the linter: a team brief made again lints none of its 245 goals
(0.5 s of a fresh process, with compiling the patterns and indexing the names they would need).
A result is found by a hash of everything the lint was given (text, fields, language, date,
the workspace's names); the file is thrown away whole when the linter's code is not the code
that made it (a hash of its source, of the message catalogue and of the Python version). So a
result kept is the result a lint would give now: an edited goal, a new account name or a new
day make a new key.

A stored goal's result is also found by a shorter key: the goal, the day, the language and the
version of the workspace's contents (:attr:`~kaplan_tui.core.snapshot.Snapshot.version`, named
by its files' signatures), which leads to the key above. A brief made again of files that did
not change so makes none of its goals' inputs (a team's accounts' histories, the workspace's
names); after any change they are made again, and only goals whose inputs changed are linted.
The code those inputs are made from (the models and their packing, the reading and merging of
files, the snapshot) is part of the hash the file is thrown away by.

The file is :mod:`marshal` data (read without running any code), checked by a CRC-32 and
replaced whole; two processes saving at once may lose each other's new results, which are only
made again. It holds at most :data:`KEPT` results. A process that made new results saves them
with those it used last, so that the results dropped first are those no saving process has
used for longest; a process that only found results writes nothing (a brief made again would
otherwise rewrite the file every time), so its use does not count.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import sys
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kaplan_tui.storage.cache import RecordCache

FILE = "lint-results"
FORMAT = 1
KEPT = 20_000
"""Results kept per workspace: every goal of a big workspace, in a few languages and days."""

_fingerprint: tuple[str | None] | None = None


def code_fingerprint() -> str | None:
    """A hash of what decides a lint's result besides its inputs: the linter's source, the
    message catalogue and its code, the code a stored goal's inputs are made from (the record
    models and their packing, how files are read and merged, the snapshot), and the versions of
    Python, of its Unicode data and of the libraries involved; None
    (nothing kept) when that source cannot be read, or is not what was loaded (an install of
    compiled files only: a hash of nothing would stand for every version of the linter)."""
    global _fingerprint
    if _fingerprint is None:
        _fingerprint = (_hash_source(),)
    return _fingerprint[0]


def _hash_source() -> str | None:
    import kaplan_tui.core.lint as linter
    import kaplan_tui.i18n as i18n

    digest = hashlib.sha256(f"{FORMAT} {sys.version} {unicodedata.unidata_version}".encode())
    try:
        for package in (linter, i18n):
            folder = Path(str(package.__file__)).parent
            sources = sorted(folder.glob("*.py"))
            loaded = [
                module
                for name, module in list(sys.modules.items())
                if name == package.__name__ or name.startswith(package.__name__ + ".")
            ]
            # every module of the package that runs was loaded from one of these sources
            if not sources or any(
                Path(str(getattr(module, "__file__", ""))) not in sources for module in loaded
            ):
                return None
            for path in sorted([*sources, *folder.glob("*.toml")]):
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
        # What a stored goal's lint inputs are made from, besides the linter: a result found
        # by the goal and its workspace's version (no input made) must come from this code
        # too. The records the files become (validation, packing, the record cache: its own
        # fingerprint), how files are read and merged, and what the snapshot makes of them.
        import orjson

        from kaplan_tui.core import records, snapshot
        from kaplan_tui.storage import files, shards, tinystore, workspace
        from kaplan_tui.storage.cache import models_fingerprint

        made_by = models_fingerprint()
        if made_by is None:
            return None
        digest.update(f"{made_by} {orjson.__version__}".encode())
        for module in (records, snapshot, files, shards, tinystore, workspace):
            path = Path(str(module.__file__))
            if path.suffix != ".py":
                return None
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


class LintResults:
    """The kept lint results of one workspace: read on first use, saved by :meth:`save`."""

    def __init__(self, cache: RecordCache) -> None:
        self._lock = threading.Lock()  # a command may lint in threads
        self._cache = cache
        self._held: dict[bytes, bytes] | None = None
        self._used: dict[bytes, None] = {}
        self._new: dict[bytes, bytes] = {}

    def _read(self) -> dict[bytes, bytes]:
        """The results in the file, if it is whole and made by this code; else none."""
        data = self._cache.read(FILE)
        fingerprint = code_fingerprint()
        if data is None or fingerprint is None:
            return {}
        try:
            fmt, made_by, results = marshal.loads(data)
        except Exception:  # a torn or foreign file is only empty
            return {}
        if (fmt, made_by) != (FORMAT, fingerprint) or type(results) is not dict:
            return {}
        return results

    def get(self, key: bytes) -> Any | None:
        """The data kept under ``key``, or None."""
        with self._lock:
            if self._held is None:
                self._held = self._read()
            blob = self._new.get(key) or self._held.get(key)
            if blob is None:
                return None
            self._used[key] = None
        try:
            return marshal.loads(blob)
        except Exception:
            return None

    def put(self, key: bytes, data: Any) -> None:
        """Keep ``data`` under ``key`` (saved by :meth:`save`)."""
        blob = marshal.dumps(data)
        with self._lock:
            self._new[key] = blob
            self._used[key] = None

    @contextlib.contextmanager
    def in_use(self) -> Iterator[LintResults]:
        """Within (in this thread): the lint looks here before linting and keeps its new
        results here; they are saved when the block ends, however it ends (a brief given up
        half way keeps what it linted: every result is good)."""
        from kaplan_tui.core.lint.engine import use_store  # only those who lint import it

        previous = use_store(self)
        try:
            yield self
        finally:
            use_store(previous)
            self.save()

    def save(self) -> None:
        """Write the new results to the file, with those another process saved meanwhile;
        never fails (a result not kept is made again)."""
        with self._lock, contextlib.suppress(Exception):
            if not self._new or code_fingerprint() is None:
                return
            results = self._read()
            for key in self._used:  # the ones used now go last: the last to be dropped
                blob = self._new.get(key) or results.get(key)
                if blob is not None:
                    results.pop(key, None)
                    results[key] = blob
            if len(results) > KEPT:
                results = dict(list(results.items())[-KEPT:])
            self._cache.write(FILE, marshal.dumps((FORMAT, code_fingerprint(), results)))
            self._held, self._new = results, {}
