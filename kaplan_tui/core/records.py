"""Records by id that are unpacked one by one, when first read.

A big workspace holds 10k accounts and 50k check-ins, but most work reads a part of them: a
team's brief reads its people's accounts and its goals' check-ins, a fifth of the whole. Storage
can hand over the records of a file still packed (:class:`Packed`: one blob of bytes per record,
plus the few fields the indexes below need, already unpacked); a :class:`LazyRecords` mapping
unpacks a record the first time it is read and keeps it. Everything else reads it as the plain
``{id: record}`` mapping it is.

The indexes of :class:`~kaplan_tui.core.snapshot.Snapshot` (accounts by owner, check-ins by goal)
and the lint's list of names read fields through :func:`column`, which takes them from the
packed fields without unpacking the records.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import threading
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from typing import Any, Protocol, TypeVar

R = TypeVar("R")
K = TypeVar("K")

INDEXED_FIELDS: Mapping[str, tuple[str, ...]] = {
    "account": ("owner", "name", "name_en", "region", "pipeline_amounts"),
    "checkin": ("goal", "date", "actual", "confidence"),
    "goal": ("owner", "scope", "scope_ref", "status"),
    "person": ("team", "regions"),
}
"""The fields of each kind that are read for every record even when only a few records are
used, and so are kept unpacked next to the packed records: the owner (accounts by owner), the
names and the region (the lint's names) and the pipeline's amounts (the lint's capacity) of
accounts, the goal, date, value and confidence of check-ins (check-ins by goal; a goal's
progress, chart and reviews, which read the rest of only its latest check-in), and whose and
about what a goal is and whether it is open (a team's open goals among all of them), and a
person's team and regions (a team's members; the lint's regions)."""

SEPARATE_FIELDS: Mapping[str, tuple[str, ...]] = {
    "account": ("purchase_history",),
}
"""Fields of each kind that are read without the rest of the record, and so are also kept
packed on their own, each read from its own bytes when first asked for: an account's history,
which with the pipeline's amounts is all the lint and the seasons read of a team's 3k accounts
(its bytes are a tenth of the whole account's)."""


class Fields(Protocol):
    """A record's fields read from its bytes, without making the record."""

    def get(self, field: str) -> Any:
        """The value of ``field`` (AttributeError if the record has no such field)."""


Blob = bytes | memoryview
"""A record's bytes: a buffer of its own, or a view into a file's."""


class Slices(Sequence[Blob]):
    """Records' bytes laid end to end in one buffer: item ``i`` is the bytes up to
    ``ends[i]`` from the end of item ``i - 1``. One buffer and one array of ends load in a
    fraction of the time of a list of 60k separate bytes objects."""

    __slots__ = ("_data", "_ends")

    def __init__(self, data: bytes | memoryview, ends: Sequence[int]) -> None:
        self._data = memoryview(data)
        self._ends = ends
        if (ends[-1] if ends else 0) != len(self._data):
            raise ValueError("the ends do not cut the buffer")

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, i: int) -> memoryview:  # type: ignore[override]  # no slices asked
        return self._data[self._ends[i - 1] if i else 0 : self._ends[i]]


class Packed:
    """The records of one file, each kept as bytes until it is first read.

    ``unpack`` turns a record's bytes back into the record; ``columns`` holds, for some fields,
    every record's value in the order of ``ids``. A record is unpacked once: every mapping that
    holds this object (a workspace's records and each snapshot of them) gets the same record.
    ``pick``, if given, reads a record's bytes into its fields without making the record (a
    third of the cost of unpacking an account, whose history is all the lint reads of it).
    """

    __slots__ = (
        "_blobs",
        "_columns",
        "_done",
        "_fields_done",
        "_ids",
        "_index",
        "_pick",
        "_read",
        "_separate",
        "_unpack",
    )

    def __init__(
        self,
        ids: Sequence[str],
        blobs: Sequence[Blob],
        columns: Mapping[str, Sequence[Any]],
        unpack: Callable[[Blob], Any],
        pick: Callable[[Blob], Fields] | None = None,
        separate: Mapping[str, Sequence[Blob]] | None = None,
        read: Callable[[Blob], Any] | None = None,
    ) -> None:
        held = [*columns.values(), *(separate or {}).values()]
        if len(blobs) != len(ids) or any(len(c) != len(ids) for c in held):
            raise ValueError("every record needs its bytes and a value in every column")
        if separate and read is None:
            raise ValueError("fields packed on their own need a function to read them")
        self._index = dict(zip(ids, range(len(ids)), strict=True))
        self._ids = list(self._index)
        self._blobs = blobs
        self._columns = columns
        self._unpack = unpack
        self._pick = pick
        self._separate = separate or {}
        """For some fields, each record's value packed on its own (read through ``read``)."""
        self._read = read
        self._fields_done: dict[int, dict[str, Any]] = {}
        """Fields read from the bytes of records not unpacked yet, by position and name."""
        self._done: dict[str, Any] = {}

    @property
    def ids(self) -> list[str]:
        """The ids of the records, in their file's order."""
        return list(self._ids)

    def record(self, rid: str) -> Any:
        """The record ``rid``, unpacked on the first call (KeyError if it is not here)."""
        done = self._done.get(rid)
        if done is None:
            i = self._index[rid]
            # Two threads may unpack the same record at once; both get the one kept first.
            done = self._done.setdefault(rid, self._unpack(self._blobs[i]))
            self._fields_done.pop(i, None)  # read from the record from now on
        return done

    def field(self, rid: str, field: str) -> Any:
        """``self.record(rid).<field>``, without unpacking the record while it is packed: from a
        column, from the field's own bytes, or from the record's bytes (each field read once).

        The value is shared with every other reader: read it, never change it."""
        done = self._done.get(rid)
        if done is not None:
            return getattr(done, field)
        i = self._index[rid]
        column = self._columns.get(field)
        if column is not None:
            return column[i]
        fields = self._fields_done.get(i)
        if fields is not None and field in fields:
            return fields[field]
        # the bytes are read afresh for each field: what a read decodes is its own
        separate = self._separate.get(field)
        if separate is not None and self._read is not None:
            value = self._read(separate[i])
        elif self._pick is None:
            return getattr(self.record(rid), field)
        else:
            try:
                value = self._pick(self._blobs[i]).get(field)
            except AttributeError:  # a property or method, not a field: the record has it
                return getattr(self.record(rid), field)
        return self._fields_done.setdefault(i, {}).setdefault(field, value)

    def values(self, field: str) -> Mapping[str, Any] | None:
        """Every record's value of ``field`` by id, if it is one of the columns; else None.

        A record already unpacked is read for itself, in case it changed since."""
        column = self.column(field)
        return None if column is None else dict(zip(self._ids, column, strict=True))

    def column(self, field: str) -> list[Any] | None:
        """Every record's value of ``field`` in the order of :attr:`ids`, if it is one of the
        columns; else None. A record already unpacked is read for itself, as in :meth:`values`."""
        column = self._columns.get(field)
        if column is None:
            return None
        out = list(column)
        # A copy (made in one step): another thread may be unpacking records meanwhile.
        for rid, record in list(self._done.items()):
            out[self._index[rid]] = getattr(record, field)
        return out

    def holds_in_order(self, ids: list[str]) -> bool:
        """True when ``ids`` are this file's records, all of them, in its order."""
        return ids == self._ids

    @property
    def size(self) -> int:
        """How many records the file holds."""
        return len(self._ids)

    def position(self, rid: str) -> int:
        """Where record ``rid`` is in :attr:`ids` (KeyError if it is not here)."""
        return self._index[rid]


_pause_lock = threading.Lock()
_pauses = 0
_resume = False


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off meanwhile, then as it was: for work that makes a great many
    objects that all stay (unpacking every record of a big kind: some 150k objects, which the
    collector would scan again and again, a fifth of unpacking 10k accounts).

    Threads may pause it at the same time: it comes back on when the last of them is done,
    and only if it was on when the first began.
    """
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()


class LazyRecords(MutableMapping[str, R]):
    """Records by id, some of them still :class:`Packed`: read like a dict of records.

    Iterating over keys, ``in`` and ``len`` never unpack; reading a value unpacks that record
    (once). :meth:`column` reads one field of every record, from the packed columns where it can.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, R | Packed] | None = None) -> None:
        if isinstance(items, LazyRecords):
            items = items._items  # as they are: reading its values would unpack them all
        self._items: dict[str, R | Packed] = dict(items) if items is not None else {}

    @classmethod
    def adopt(cls, items: dict[str, R | Packed]) -> LazyRecords[R]:
        """The records of ``items``, which the new mapping holds from now on (no copy: 60k
        records); the caller gives it up."""
        out: LazyRecords[R] = cls()
        out._items = items
        return out

    @classmethod
    def packed(cls, packed: Packed) -> LazyRecords[R]:
        """The records of one packed file, none unpacked yet."""
        out: LazyRecords[R] = cls()
        out._items = dict.fromkeys(packed.ids, packed)
        return out

    def __getitem__(self, key: str) -> R:
        value = self._items[key]
        if type(value) is Packed:
            value = self._items[key] = value.record(key)
        return value  # type: ignore[return-value]  # a Packed was replaced just above

    def __setitem__(self, key: str, value: R) -> None:
        self._items[key] = value

    def __delitem__(self, key: str) -> None:
        del self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def discard(self, key: str) -> None:
        """Forget the record ``key`` if it is here, without unpacking it."""
        self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __repr__(self) -> str:
        return f"LazyRecords({len(self._items)} records)"

    def keys(self) -> Any:  # dict_keys: fast, and unpacks nothing
        return self._items.keys()

    def values(self) -> Any:  # a list: every record, in order
        with collector_paused():
            return [self[key] for key in self._items]

    def items(self) -> Any:  # a list of (id, record) pairs, in order
        with collector_paused():
            return [(key, self[key]) for key in self._items]

    def copy(self) -> LazyRecords[R]:
        """Another mapping of the same records, sharing what is unpacked and what is not."""
        return LazyRecords(self._items)

    def field(self, key: str, field: str) -> Any:
        """``self[key].<field>``, without unpacking a packed record to read it."""
        value = self._items[key]
        if type(value) is Packed:
            return value.field(key, field)
        return getattr(value, field)

    def raw(self) -> Mapping[str, R | Packed]:
        """Each id's record or the :class:`Packed` file still holding it: to build another
        mapping of the same records without unpacking them."""
        return self._items

    def column(self, field: str) -> list[Any]:
        """``[record.field for record in self.values()]``, reading packed records' columns.

        The records of a workspace's kind are its files' records one file after another, so
        the column is mostly whole files' columns joined (50k check-ins: 1 ms rather than 40).
        """
        keys = list(self._items)
        values = list(self._items.values())
        out: list[Any] = []
        columns: dict[int, list[Any] | None] = {}
        start, count = 0, len(values)
        while start < count:
            value = values[start]
            if type(value) is not Packed:  # a record unpacked, changed or added
                out.append(getattr(value, field))
                start += 1
                continue
            end = start + value.size
            # in C: the file's records, all still packed, in its order
            if values[start:end].count(value) == value.size and value.holds_in_order(
                keys[start:end]
            ):
                whole = value.column(field)
                if whole is not None:
                    out += whole
                    start = end
                    continue
            end = start + 1
            while end < count and values[end] is value:
                end += 1
            out += self._column_of(keys[start:end], value, field, columns)
            start = end
        return out

    def _column_of(
        self, keys: list[str], packed: Packed, field: str, columns: dict[int, list[Any] | None]
    ) -> list[Any]:
        """``field`` of the records ``keys``, all held by ``packed``, one by one (``columns``:
        the files' columns read so far)."""
        if id(packed) not in columns:
            columns[id(packed)] = packed.column(field)
        whole = columns[id(packed)]
        if whole is None:
            return [getattr(self[key], field) for key in keys]
        return [whole[i] for i in map(packed.position, keys)]


def field_of(records: Mapping[str, Any], key: str, field: str) -> Any:
    """``records[key].<field>``; without unpacking a record of :class:`LazyRecords`."""
    if isinstance(records, LazyRecords):
        return records.field(key, field)
    return getattr(records[key], field)


def column(records: Mapping[str, Any], field: str) -> list[Any]:
    """One field of every record, in order; without unpacking :class:`LazyRecords`."""
    if isinstance(records, LazyRecords):
        return records.column(field)
    return [getattr(record, field) for record in records.values()]


def rows(records: Mapping[str, Any], *fields: str) -> Iterator[tuple[Any, ...]]:
    """``(id, record.field1, record.field2, ...)`` for every record, in order, reading packed
    records' columns rather than unpacking them."""
    return zip(records, *(column(records, f) for f in fields), strict=True)


class Grouped(Mapping[K, list[R]]):
    """Lists of records by a key (an owner, a goal), made from ids when a list is first read,
    so that only the records of the groups read are unpacked."""

    __slots__ = ("_columns", "_done", "_ids", "_order", "_records", "_spans")

    def __init__(
        self,
        records: Mapping[str, R],
        ids: Mapping[K, list[str]],
        order: Callable[[R], Any] | None = None,
        spans: Mapping[K, list[tuple[int, int]]] | None = None,
    ) -> None:
        self._records = records
        self._ids = ids
        self._order = order
        self._spans = spans
        """Where each group's records are in ``records`` (runs of positions, ends excluded)."""
        self._columns: dict[str, list[Any]] = {}
        self._done: dict[K, list[R]] = {}

    @classmethod
    def by(
        cls, records: Mapping[str, R], field: str, order: Callable[[R], Any] | None = None
    ) -> Grouped[Any, R]:
        """The records grouped by the value of ``field``, each group in the order of
        ``records`` (or sorted by ``order``)."""
        ids: dict[Any, list[str]] = {}
        spans: dict[Any, list[tuple[int, int]]] = {}
        keys = list(records)
        start = 0
        # Runs of one value (a goal's check-ins are written together) are taken whole.
        for key, run in itertools.groupby(column(records, field)):
            end = start + len(list(run))
            group = ids.get(key)
            if group is None:
                ids[key] = keys[start:end]
                spans[key] = [(start, end)]
            else:
                group += keys[start:end]
                spans[key].append((start, end))
            start = end
        return cls(records, ids, order, spans)

    def ids(self, key: K) -> list[str]:
        """The ids of the group ``key`` (empty if there is none), unpacking nothing."""
        return self._ids.get(key, [])

    def rows(self, key: K, *fields: str) -> list[tuple[Any, ...]]:
        """``(id, record.field1, record.field2, ...)`` for each record of the group ``key``
        (none if there is no such group), in the order of the records, unpacking nothing where
        the fields are columns: a goal's check-ins' dates and values, without their notes."""
        ids = self._ids.get(key)
        if ids is None:
            return []
        if self._spans is None:
            records = self._records
            return [(rid, *(field_of(records, rid, f) for f in fields)) for rid in ids]
        columns = [self._column(f) for f in fields]
        out: list[tuple[Any, ...]] = []
        at = 0
        for start, end in self._spans[key]:
            out += zip(ids[at : at + end - start], *(c[start:end] for c in columns), strict=True)
            at += end - start
        return out

    def _column(self, field: str) -> list[Any]:
        held = self._columns.get(field)
        if held is None:  # two threads may read it at once: both get the one kept first
            held = self._columns.setdefault(field, column(self._records, field))
        return held

    def __getitem__(self, key: K) -> list[R]:
        done = self._done.get(key)
        if done is None:
            records = self._records
            done = [records[rid] for rid in self._ids[key]]
            if self._order is not None:
                done.sort(key=self._order)
            done = self._done.setdefault(key, done)
        return done

    def __iter__(self) -> Iterator[K]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key: object) -> bool:
        return key in self._ids
