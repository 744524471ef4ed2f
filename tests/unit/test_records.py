"""Records unpacked one by one, when first read (kaplan_tui/core/records.py): a mapping that
reads like a plain dict of records, yet unpacks only the records that are read, and once."""

from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest

from kaplan_tui.core.records import (
    INDEXED_FIELDS,
    SEPARATE_FIELDS,
    Grouped,
    LazyRecords,
    Packed,
    Slices,
    collector_paused,
    column,
    field_of,
)


@dataclass
class Rec:
    """A stand-in record: these tests need no model and no storage."""

    id: str
    owner: str | None
    size: int


SOURCE = {
    "r1": Rec("r1", "alice", 3),
    "r2": Rec("r2", "bob", 1),
    "r3": Rec("r3", "alice", 2),
    "r4": Rec("r4", None, 5),
    "r5": Rec("r5", "bob", 4),
}
IDS = list(SOURCE)


class Unpack:
    """An unpack function that counts its calls and makes a new record on every call (so that
    getting the same object twice means it was unpacked once)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def __call__(self, blob: bytes | memoryview) -> Rec:
        rid = bytes(blob).decode()
        self.calls[rid] += 1
        src = SOURCE[rid]
        return Rec(src.id, src.owner, src.size)


@pytest.fixture
def unpack() -> Unpack:
    return Unpack()


@pytest.fixture
def packed(unpack: Unpack) -> Packed:
    """The five records packed, with a column of their owners (not of their sizes)."""
    return Packed(
        IDS, [rid.encode() for rid in IDS], {"owner": [SOURCE[r].owner for r in IDS]}, unpack
    )


@pytest.fixture
def lazy(packed: Packed) -> LazyRecords[Rec]:
    return LazyRecords.packed(packed)


def test_a_record_is_unpacked_once_when_read_even_through_copies(
    lazy: LazyRecords[Rec], unpack: Unpack
) -> None:
    before = lazy.copy()  # a copy made before anything was read
    once = before.copy()
    record = lazy["r2"]
    assert record == SOURCE["r2"]
    assert unpack.calls == {"r2": 1}
    after = lazy.copy()
    assert lazy["r2"] is record
    assert before["r2"] is record and once["r2"] is record and after["r2"] is record
    assert unpack.calls == {"r2": 1}  # exactly that record, exactly once


def test_keys_membership_length_and_iteration_unpack_nothing(
    lazy: LazyRecords[Rec], unpack: Unpack
) -> None:
    assert "r3" in lazy and "nope" not in lazy
    assert len(lazy) == 5
    assert list(lazy) == IDS
    assert list(lazy.keys()) == IDS
    assert sorted(lazy) == IDS
    assert "5 records" in repr(lazy)
    assert unpack.calls == {}


def test_values_items_and_get_read_in_order(lazy: LazyRecords[Rec], unpack: Unpack) -> None:
    assert lazy.get("nope") is None
    assert lazy.get("r4") == SOURCE["r4"]
    assert list(lazy.values()) == list(SOURCE.values())
    assert list(lazy.items()) == list(SOURCE.items())
    assert unpack.calls == dict.fromkeys(IDS, 1)


def test_a_column_is_read_without_unpacking_but_a_read_record_is_read_itself(
    lazy: LazyRecords[Rec], unpack: Unpack
) -> None:
    older = lazy.copy()  # still holds every record packed
    owners = [SOURCE[r].owner for r in IDS]
    assert lazy.column("owner") == owners
    assert column(lazy, "owner") == owners
    assert unpack.calls == {}
    lazy["r1"].owner = "carol"  # read, then changed in place
    assert lazy.column("owner") == ["carol", *owners[1:]]
    assert older.column("owner") == ["carol", *owners[1:]]  # the same record for every copy
    assert unpack.calls == {"r1": 1}


def test_a_field_without_a_column_is_read_from_the_unpacked_records(
    lazy: LazyRecords[Rec], unpack: Unpack
) -> None:
    assert lazy.column("size") == [SOURCE[r].size for r in IDS]
    assert unpack.calls == dict.fromkeys(IDS, 1)
    assert lazy.column("size") == [SOURCE[r].size for r in IDS]
    assert unpack.calls == dict.fromkeys(IDS, 1)


def test_setting_deleting_and_popping_and_a_copy_is_independent_of_later_changes(
    lazy: LazyRecords[Rec], unpack: Unpack
) -> None:
    new = Rec("r6", "dave", 9)
    lazy["r6"] = new
    replaced = Rec("r3", "erin", 7)
    lazy["r3"] = replaced  # replaces a record that was never unpacked
    del lazy["r1"]
    assert lazy.pop("r2") == SOURCE["r2"]
    assert lazy.pop("r2", "gone") == "gone"
    with pytest.raises(KeyError):
        del lazy["r1"]
    assert list(lazy) == ["r3", "r4", "r5", "r6"]
    assert lazy.column("owner") == ["erin", None, "bob", "dave"]
    assert lazy["r3"] is replaced and lazy["r6"] is new
    assert "r3" not in unpack.calls and "r1" not in unpack.calls

    kept = lazy.copy()
    lazy["r4"] = Rec("r4", "frank", 0)
    del lazy["r5"]
    lazy["r7"] = Rec("r7", None, 1)
    assert list(kept) == ["r3", "r4", "r5", "r6"]
    assert kept["r4"] == SOURCE["r4"] and kept["r5"] == SOURCE["r5"]
    assert kept.column("owner") == ["erin", None, "bob", "dave"]
    assert lazy.column("owner") == ["erin", "frank", "dave", None]


def test_equal_to_a_plain_dict_of_the_same_records(lazy: LazyRecords[Rec]) -> None:
    plain = {rid: Rec(r.id, r.owner, r.size) for rid, r in SOURCE.items()}
    assert lazy == plain
    assert plain == lazy
    assert lazy == LazyRecords(plain)
    plain["r2"] = Rec("r2", "bob", 2)
    assert lazy != plain
    assert lazy != {k: v for k, v in plain.items() if k != "r2"}


def test_grouped_by_a_field_in_mapping_order_unpacks_only_the_groups_read(
    lazy: LazyRecords[Rec], unpack: Unpack
) -> None:
    groups = Grouped.by(lazy, "owner")
    assert unpack.calls == {}  # built from the column
    assert list(groups) == ["alice", "bob", None]  # keys in order of first appearance
    assert len(groups) == 3 and "bob" in groups and "nobody" not in groups
    assert groups.ids("bob") == ["r2", "r5"] and groups.ids("nobody") == []
    assert groups.get("nobody", []) == []
    assert groups.get("nobody") is None
    with pytest.raises(KeyError):
        groups["nobody"]
    assert unpack.calls == {}
    alice = groups["alice"]
    assert [r.id for r in alice] == ["r1", "r3"]
    assert groups["alice"] is alice  # made once
    assert unpack.calls == {"r1": 1, "r3": 1}
    assert groups.get(None) == [SOURCE["r4"]]
    assert unpack.calls == {"r1": 1, "r3": 1, "r4": 1}


def test_a_groups_rows_of_columns_unpack_nothing(lazy: LazyRecords[Rec], unpack: Unpack) -> None:
    groups = Grouped.by(lazy, "owner")
    assert groups.rows("alice", "owner") == [("r1", "alice"), ("r3", "alice")]
    assert groups.rows("bob", "owner") == [("r2", "bob"), ("r5", "bob")]
    assert unpack.calls == {}
    # a field that is not a column is read from the records
    assert groups.rows("bob", "size", "owner") == [("r2", 1, "bob"), ("r5", 4, "bob")]
    assert set(unpack.calls) == set(IDS)


def test_rows_of_groups_made_from_ids_read_each_record() -> None:
    groups = Grouped(SOURCE, {"alice": ["r3", "r1"]})
    assert groups.rows("alice", "size") == [("r3", 2), ("r1", 3)]
    assert groups.rows("bob", "size") == []


def test_grouped_sorts_each_group_with_order(lazy: LazyRecords[Rec]) -> None:
    groups = Grouped.by(lazy, "owner", order=lambda r: r.size)
    assert [r.id for r in groups["alice"]] == ["r3", "r1"]
    assert [r.id for r in groups["bob"]] == ["r2", "r5"]
    assert groups.ids("alice") == ["r1", "r3"]  # ids stay in mapping order
    descending = Grouped.by(lazy, "owner", order=lambda r: -r.size)
    assert [r.id for r in descending["bob"]] == ["r5", "r2"]


def test_grouped_sees_a_record_replaced_before_grouping(
    lazy: LazyRecords[Rec], unpack: Unpack
) -> None:
    lazy["r2"] = Rec("r2", "alice", 1)
    groups = Grouped.by(lazy, "owner")
    assert groups.ids("alice") == ["r1", "r2", "r3"]
    assert groups.ids("bob") == ["r5"]
    assert unpack.calls == {}


def test_grouped_and_column_over_a_plain_dict() -> None:
    plain = dict(SOURCE)
    assert column(plain, "owner") == ["alice", "bob", "alice", None, "bob"]
    assert column(plain, "size") == [3, 1, 2, 5, 4]
    assert column({}, "owner") == []
    groups = Grouped.by(plain, "owner")
    assert groups["bob"] == [SOURCE["r2"], SOURCE["r5"]]
    assert dict(groups) == {
        "alice": [SOURCE["r1"], SOURCE["r3"]],
        "bob": [SOURCE["r2"], SOURCE["r5"]],
        None: [SOURCE["r4"]],
    }


def test_packed_needs_bytes_and_column_values_for_every_record(unpack: Unpack) -> None:
    blobs = [rid.encode() for rid in IDS]
    with pytest.raises(ValueError, match="every record"):
        Packed(IDS, blobs[:-1], {}, unpack)
    with pytest.raises(ValueError, match="every record"):
        Packed(IDS, blobs, {"owner": ["alice"] * 4}, unpack)
    with pytest.raises(ValueError, match="every record"):
        Packed(IDS[:-1], blobs, {}, unpack)
    assert Packed(IDS, blobs, {}, unpack).ids == IDS  # a file with no columns is fine


def test_a_packed_file_read_directly(packed: Packed, unpack: Unpack) -> None:
    assert packed.ids == IDS
    assert packed.values("size") is None  # not a column
    assert packed.values("owner") == {r: SOURCE[r].owner for r in IDS}
    with pytest.raises(KeyError):
        packed.record("nope")
    first = packed.record("r5")
    assert packed.record("r5") is first and unpack.calls == {"r5": 1}


def test_the_indexed_and_separate_fields_are_fields_or_properties_of_the_records() -> None:
    from kaplan_tui.core.models import RECORD_TYPES

    for kind, fields in INDEXED_FIELDS.items():
        model = RECORD_TYPES[kind]
        properties = {n for n, v in vars(model).items() if isinstance(v, property)}
        assert set(fields) <= set(model.model_fields) | properties, kind
    for kind, fields in SEPARATE_FIELDS.items():  # read from the bytes: fields only
        assert set(fields) <= set(RECORD_TYPES[kind].model_fields), kind


def test_the_collector_stays_paused_until_the_last_pause_ends_and_then_comes_back() -> None:
    assert gc.isenabled()
    first, second = collector_paused(), collector_paused()  # as two threads would
    first.__enter__()
    second.__enter__()
    assert not gc.isenabled()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second is still at work
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_turned_off_by_someone_else_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_columns_and_groups_of_many_files_mixed_with_edits_match_the_records() -> None:
    """Whole files' columns are joined in one step; anything else (a record replaced, deleted
    or added, files out of order, a record unpacked then changed) is read one by one: either
    way every column and group is what reading every record would give."""
    import random

    rng = random.Random(7)
    owners = ["alice", "bob", None, "carol"]
    for _ in range(200):
        made: dict[str, Rec] = {}
        files = []
        unpack = Unpack()
        for f in range(rng.randint(1, 4)):
            ids = [f"f{f}-{i:02d}" for i in range(rng.randint(0, 6))]
            for rid in ids:
                made[rid] = SOURCE[rid] = Rec(rid, rng.choice(owners), rng.randint(0, 9))
            blobs = [rid.encode() for rid in ids]
            files.append(Packed(ids, blobs, {"owner": [made[r].owner for r in ids]}, unpack))
        rng.shuffle(files) if rng.random() < 0.2 else None
        items: dict[str, Rec | Packed] = {rid: p for p in files for rid in p.ids}
        lazy: LazyRecords[Rec] = LazyRecords(items)
        twin = lazy.copy()  # shares the files: sees records read and changed through lazy
        changed: dict[str, str] = {}
        for rid in rng.sample(list(items), k=min(len(items), rng.randint(0, 3))):
            action = rng.choice(["replace", "delete", "read-and-change"])
            if action == "replace":
                lazy[rid] = made[rid] = Rec(rid, rng.choice(owners), 0)
            elif action == "delete":
                del lazy[rid]
                del made[rid]
            else:
                lazy[rid].owner = made[rid].owner = changed[rid] = "dave"
        if rng.random() < 0.3:
            lazy["new"] = made["new"] = Rec("new", rng.choice(owners), 1)
        expected_owners = [made[rid].owner for rid in lazy]
        assert lazy.column("owner") == expected_owners
        assert lazy.column("size") == [made[rid].size for rid in lazy]
        groups = Grouped.by(lazy, "owner")
        assert list(groups) == list(dict.fromkeys(expected_owners))
        for owner in groups:
            assert groups.ids(owner) == [r for r in lazy if made[r].owner == owner]
            # a group's rows come from its runs of whole columns, in the records' order
            assert groups.rows(owner, "size", "owner") == [
                (r, made[r].size, owner) for r in lazy if made[r].owner == owner
            ]
        assert groups.rows("nobody", "size") == []
        twin_owners = [changed.get(rid, SOURCE[rid].owner) for rid in twin]
        assert twin.column("owner") == twin_owners


class Pick:
    """A pick function over the stand-in records: counts its calls, reads fields by name."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def __call__(self, blob: bytes | memoryview) -> Any:
        rid = bytes(blob).decode()
        self.calls[rid] += 1
        src = SOURCE[rid]

        class Fields:
            def get(self, field: str) -> Any:
                return getattr(Rec(src.id, src.owner, src.size), field)

        return Fields()


def test_a_field_is_read_from_a_column_from_picked_bytes_or_from_the_record() -> None:
    unpack, pick = Unpack(), Pick()
    blobs = [rid.encode() for rid in IDS]
    packed = Packed(IDS, blobs, {"owner": [SOURCE[r].owner for r in IDS]}, unpack, pick)
    lazy: LazyRecords[Rec] = LazyRecords.packed(packed)
    assert [field_of(lazy, rid, "owner") for rid in IDS] == [SOURCE[r].owner for r in IDS]
    assert pick.calls == {} and unpack.calls == {}  # a column: nothing read
    assert [lazy.field(rid, "size") for rid in IDS] == [SOURCE[r].size for r in IDS]
    assert lazy.field("r1", "size") == 3
    assert pick.calls == dict.fromkeys(IDS, 1) and unpack.calls == {}  # each read once
    lazy["r2"].size = 9  # unpacked, then changed: the record is read from now on
    assert lazy.field("r2", "size") == 9 and packed.field("r2", "size") == 9
    assert LazyRecords({"r2": packed}).field("r2", "size") == 9
    lazy["r3"] = Rec("r3", "zoe", 0)  # replaced in this mapping only
    assert field_of(lazy, "r3", "owner") == "zoe" and packed.field("r3", "owner") == "alice"
    assert field_of(dict(SOURCE), "r4", "size") == 5  # a plain mapping
    with pytest.raises(KeyError):
        lazy.field("nobody", "size")


def test_without_a_pick_a_field_unpacks_the_record(packed: Packed, unpack: Unpack) -> None:
    assert packed.field("r5", "size") == 4
    assert unpack.calls == {"r5": 1}
    assert packed.field("r5", "size") == 4 and unpack.calls == {"r5": 1}


def test_a_field_kept_apart_is_read_from_its_own_bytes_once() -> None:
    unpack, pick = Unpack(), Pick()
    blobs = [rid.encode() for rid in IDS]  # the whole records' bytes
    apart = {"size": [str(SOURCE[rid].size).encode() for rid in IDS]}
    reads: Counter[bytes] = Counter()

    def read(blob: bytes | memoryview) -> int:
        reads[bytes(blob)] += 1
        return int(bytes(blob))

    packed = Packed(IDS, blobs, {}, unpack, pick, apart, read)
    assert [packed.field(rid, "size") for rid in IDS] == [SOURCE[r].size for r in IDS]
    assert [packed.field(rid, "size") for rid in IDS] == [SOURCE[r].size for r in IDS]
    assert reads == Counter(apart["size"]) and pick.calls == {} and unpack.calls == {}
    assert packed.field("r2", "owner") == "bob"  # other fields still from the record's bytes
    assert pick.calls == {"r2": 1}
    with pytest.raises(ValueError, match="every record"):
        Packed(IDS, blobs, {}, unpack, pick, {"size": apart["size"][:-1]}, read)
    with pytest.raises(ValueError, match="read them"):
        Packed(IDS, blobs, {}, unpack, pick, apart)


def test_records_laid_end_to_end_are_cut_back_into_their_own_bytes() -> None:
    blobs = [b"one", b"", b"three", "四".encode()]
    ends = [3, 3, 8, 11]
    laid = Slices(b"".join(blobs), ends)
    assert len(laid) == 4 and [bytes(b) for b in laid] == blobs
    assert bytes(laid[-1]) == "四".encode()
    assert len(Slices(b"", [])) == 0
    with pytest.raises(ValueError, match="cut"):
        Slices(b"".join(blobs), [3, 3, 8])  # the last record's bytes are missing
    unpack = Unpack()
    packed = Packed(IDS, Slices(b"".join(r.encode() for r in IDS), [2, 4, 6, 8, 10]), {}, unpack)
    assert [packed.record(r).id for r in IDS] == IDS  # records unpacked from views
