"""Where the records of one kind live: one TinyDB file, or a folder of shard files.

A kind starts as one file (``goals.json``). When a save would make that file larger than
:data:`SPLIT_BYTES`, the same save splits it into a folder of shards (``goals/000.json``,
``goals/001.json``, ...) of about :data:`SHARD_BYTES` at most, so that every later save rewrites
one small shard instead of every record of the kind. Each shard is an ordinary Kaplan TinyDB
file holding the same table (``{"goals": {id: {...}}}``).

New records go to the last shard until it is full, then to a new one. A record stays in its
shard for life (the workspace finds it through an index built when it loads the shards); a
shard that edits make larger than :data:`SPLIT_BYTES` hands its last records to new shards.
Nothing here reads a record: this module only names files and decides which file a record
goes to.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from kaplan_tui.core.models import KIND_FILES
from kaplan_tui.storage.errors import Problem
from kaplan_tui.storage.tinystore import JSON_OPTIONS

SPLIT_BYTES = 256 * 1024
"""A kind's single file, or a shard, that a save would make larger than this is split."""
SHARD_BYTES = 128 * 1024
"""What a shard is filled to: a save rewrites about this much, whatever the kind's size."""

SHARD_NAME = re.compile(r"[0-9]{1,9}\.json")
"""The name of a shard file inside a kind's folder."""

_KIND_OF_FILE = {name: kind for kind, name in KIND_FILES.items()}
_KIND_OF_FOLDER = {Path(name).stem: kind for kind, name in KIND_FILES.items()}


def folder_of(kind: str) -> str:
    """The folder of a sharded kind, which is also its TinyDB table name (``goals``)."""
    return Path(KIND_FILES[kind]).stem


def kind_of(name: str) -> str | None:
    """The kind whose records the workspace file ``name`` (``goals.json``,
    ``goals/003.json``) holds, or None for any other path."""
    parts = name.split("/")
    if len(parts) == 1:
        return _KIND_OF_FILE.get(name)
    if len(parts) == 2 and SHARD_NAME.fullmatch(parts[1]):
        return _KIND_OF_FOLDER.get(parts[0])
    return None


def shard_name(kind: str, number: int) -> str:
    """The workspace-relative name of shard ``number`` of ``kind``: ``goals/007.json``."""
    return f"{folder_of(kind)}/{number:03d}.json"


def _number(name: str) -> int:
    return int(name.rsplit("/", 1)[-1].split(".", 1)[0])


def next_shard(kind: str, names: Iterable[str]) -> str:
    """The name of a new shard after every shard in ``names``."""
    numbers = [_number(n) for n in names if "/" in n]
    return shard_name(kind, max(numbers, default=-1) + 1)


@dataclass(frozen=True)
class View:
    """What readers see of a change that the redo log says is committed but not finished.

    ``staged`` maps a target file to the new version waiting to be moved there; ``removed``
    are files the change deletes.
    """

    staged: Mapping[str, Path] = field(default_factory=dict)
    removed: frozenset[str] = frozenset()


NO_CHANGE_PENDING = View()


@dataclass(frozen=True)
class Layout:
    """The files holding one kind's records, in order: the single file, or the shards."""

    names: tuple[str, ...]
    sharded: bool
    problems: tuple[Problem, ...] = ()

    @property
    def mixed(self) -> bool:
        """Both the single file and shards exist: saving is refused until one is merged."""
        return self.sharded and "/" not in self.names[0]


def discover(root: Path, kind: str, view: View = NO_CHANGE_PENDING) -> Layout:
    """Which files hold ``kind``'s records now, as readers see them: the redo log's staged
    files count as moved into place and its removed files as gone.

    Costs one ``lstat`` for a kind kept in one file, and a folder listing for a sharded kind.
    """
    single = KIND_FILES[kind]
    folder = folder_of(kind)
    problems: list[Problem] = []
    found: set[str] = set()
    try:
        st = os.lstat(root / folder)
    except FileNotFoundError:
        st = None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            try:
                found = {n for n in os.listdir(root / folder) if SHARD_NAME.fullmatch(n)}
            except OSError as exc:
                problems.append(Problem(folder, None, None, f"cannot be read ({exc.strerror})"))
        else:
            what = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a folder"
            problems.append(
                Problem(folder, None, None, f"is {what}; Kaplan keeps shard files in a folder")
            )
    if view.staged or view.removed:
        found |= {n.split("/")[1] for n in view.staged if "/" in n and kind_of(n) == kind}
        found -= {n.split("/")[1] for n in view.removed if "/" in n}
    shards = [f"{folder}/{n}" for _, n in sorted((int(n[:-5]), n) for n in found)]
    has_single = single in view.staged or (
        single not in view.removed and os.path.lexists(root / single)
    )
    if shards and has_single:
        problems.append(
            Problem(
                single,
                None,
                None,
                f"both {single} and the folder {folder}/ hold {kind} records; Kaplan reads "
                f"both and saves neither until the records of one are moved into the other",
            )
        )
    names = ((single,) if has_single or not shards else ()) + tuple(shards)
    return Layout(names, bool(shards), tuple(problems))


EMPTY_BYTES = 32
"""About what a file with an empty table takes."""


def estimate(record_id: str, doc: Any) -> int:
    """About how many bytes ``doc`` takes in a workspace file (two levels of indentation)."""
    body = orjson.dumps(doc, option=JSON_OPTIONS)
    return len(body) + 4 * body.count(b"\n") + len(record_id) + 12


def chunks(docs: Mapping[str, Any], limit: int | None = None) -> list[list[str]]:
    """The ids of ``docs`` in id order, cut into runs that each fit in about ``limit`` bytes
    (default :data:`SHARD_BYTES`; a record bigger than that gets a run of its own)."""
    limit = SHARD_BYTES if limit is None else limit
    out: list[list[str]] = [[]]
    size = EMPTY_BYTES
    for record_id in sorted(docs):
        cost = estimate(record_id, docs[record_id])
        if out[-1] and size + cost > limit:
            out.append([])
            size = EMPTY_BYTES
        out[-1].append(record_id)
        size += cost
    return out
