"""Records as bytes for the record cache (kaplan_tui/storage/packing.py): every record comes
back exactly as validation made it, and a workspace served from the cache, still packed, gives
the same answers as one validated afresh while unpacking only the records it reads."""

from __future__ import annotations

import datetime as dt
import decimal
import marshal
import math
import os
import shutil
import struct
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel
from pydantic_core import TzInfo

from kaplan_tui.core.briefs import BriefOptions, render_brief
from kaplan_tui.core.briefs.context import OPEN
from kaplan_tui.core.generate import GenerateSpec, generate
from kaplan_tui.core.lint.workspace import context_from_snapshot
from kaplan_tui.core.models import (
    KIND_FILES,
    Account,
    Action,
    CheckIn,
    Direction,
    Goal,
    GoalStatus,
    GoalType,
    Horizon,
    Incentive,
    IncentiveKind,
    Metric,
    Person,
    PipelineItem,
    Record,
    Role,
    ScopeKind,
    Segment,
    SegmentRule,
    Territory,
    TierChange,
    TierOverride,
)
from kaplan_tui.core.records import INDEXED_FIELDS, LazyRecords, Packed, field_of
from kaplan_tui.storage import Workspace, cache, packing
from kaplan_tui.storage.generate import generate_workspace
from kaplan_tui.storage.packing import (
    field_reader,
    pack,
    pack_field,
    pack_value,
    picker,
    unpack_value,
    unpacker,
)

SAMPLE = Path(__file__).resolve().parents[3] / "sample_workspace"
AS_OF = dt.date(2026, 11, 25)
"""The sample workspace's own "today" (as in tests/unit/briefs)."""
BRIEFS = [
    ("team", "team-east"),
    ("team", None),
    ("person", "p-lina"),
    ("account", "acc-yuntu-data"),
    ("exec", None),
]
SPEC = GenerateSpec(accounts=200, goals=40, checkins=200, seed=2)
"""Small, but with three teams, and accounts in shards."""


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(folder))
    # Write every entry on the first open, however long writing takes next to validating.
    monkeypatch.setattr(cache, "WRITE_SHARE", math.inf)
    return folder


# --- comparing ------------------------------------------------------------------------------


def assert_same(before: Any, after: Any, where: str = "record") -> None:
    """``after`` is ``before`` to the bit: same types all the way down, same key order, same
    fields set, floats with the same bits (NaN and -0.0 included), same time zone classes."""
    assert type(after) is type(before), where
    if isinstance(before, BaseModel):
        assert list(after.__dict__) == list(before.__dict__), where
        assert after.__pydantic_fields_set__ == before.__pydantic_fields_set__, where
        assert type(after.__pydantic_fields_set__) is set, where
        assert after.__pydantic_extra__ == before.__pydantic_extra__, where
        assert after.__pydantic_private__ == before.__pydantic_private__, where
        for name, value in before.__dict__.items():
            assert_same(value, after.__dict__[name], f"{where}.{name}")
    elif isinstance(before, dict):
        assert list(after) == list(before), where
        for key, value in before.items():
            assert_same(value, after[key], f"{where}[{key!r}]")
    elif isinstance(before, list | tuple):
        assert len(after) == len(before), where
        for i, (a, b) in enumerate(zip(before, after, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(before, float):
        assert struct.pack("<d", after) == struct.pack("<d", before), where
    elif isinstance(before, dt.datetime):
        assert after == before and after.fold == before.fold, where
        assert type(after.tzinfo) is type(before.tzinfo), where
        assert after.utcoffset() == before.utcoffset(), where
        assert after.replace(tzinfo=None) == before.replace(tzinfo=None), where
    else:
        assert after == before, where


R = TypeVar("R", bound=Record)


def round_trip(record: R) -> R:
    back: R = unpacker(type(record), "a test")(pack(record))
    return back


def assert_round_trip(record: R, *, json: bool = True) -> R:
    back = round_trip(record)
    assert_same(record, back, f"{record.KIND} {record.id}")
    if json:  # NaN makes == false (and a lone surrogate makes JSON fail) for both alike
        assert back == record
        assert back.model_dump_json() == record.model_dump_json()
    assert back.model_dump() == record.model_dump() or not json
    return back


def packed(records: Mapping[str, Any]) -> list[bool]:
    """For each record of a snapshot's or workspace's mapping: is it still packed?"""
    assert isinstance(records, LazyRecords)
    return [type(v) is Packed for v in records.raw().values()]


def all_records(ws: Workspace) -> Iterable[Record]:
    for kind in KIND_FILES:
        yield from ws.records(kind).values()


# --- every record of real workspaces ---------------------------------------------------------


def test_every_record_of_the_sample_workspace_comes_back_exactly() -> None:
    ws = Workspace.open(SAMPLE, read_only=True)
    counts: Counter[str] = Counter()
    for kind in KIND_FILES:
        held = ws.records(kind)
        assert not any(packed(held))  # validated, not cached
        for record in held.values():
            assert_round_trip(record)
            counts[kind] += 1
    assert set(counts) == set(KIND_FILES) and ws.problems == []
    tzinfos = {type(r.updated_at.tzinfo) for r in all_records(ws) if r.updated_at}
    assert tzinfos  # the sample does carry times, with pydantic's time zones
    assert all(type(a.tier_history[0].date) is dt.date for a in ws.all(Account) if a.tier_history)


def test_every_generated_record_comes_back_exactly(tmp_path: Path) -> None:
    made = generate(GenerateSpec(accounts=60, goals=20, checkins=80, seed=7))
    for _kind, records in made.by_kind():
        assert records
        for record in records:
            assert_round_trip(record)
    generate_workspace(tmp_path / "gen", GenerateSpec(accounts=60, goals=20, checkins=80, seed=7))
    ws = Workspace.open(tmp_path / "gen")  # the records as stored and validated again
    stored = list(all_records(ws))
    assert len(stored) == sum(made.counts().values())
    for record in stored:
        assert_round_trip(record)


# --- records made by hand ---------------------------------------------------------------------


def test_times_naive_offset_and_utc_keep_their_time_zone_class() -> None:
    naive = dt.datetime(2026, 3, 4, 5, 6, 7, 890)
    record = CheckIn(
        id="ci-1",
        goal="goal-1",
        date=dt.date(2026, 3, 4),
        actual=1,
        created_at=naive,
        updated_at="2026-11-01T09:00:00.123456+08:00",  # parsed: pydantic's TzInfo
    )
    assert type(record.updated_at.tzinfo) is TzInfo  # type: ignore[union-attr]
    back = assert_round_trip(record)
    assert back.created_at is not None and back.created_at.tzinfo is None
    assert back.updated_at is not None
    assert back.updated_at.utcoffset() == dt.timedelta(hours=8)
    assert back.updated_at.isoformat() == "2026-11-01T09:00:00.123456+08:00"

    for given in (
        "2026-11-01T09:00:00Z",
        "2026-11-01T09:00:00-05:30",
        "2026-11-01T09:00:00+14:00",
        dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC),  # kept as given: datetime.timezone
        dt.datetime(2026, 11, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=-3), "BRT")),
        dt.datetime(2026, 11, 1, 1, 30, fold=1),  # the second 01:30 of a day
        dt.datetime(1, 1, 1),
        dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
    ):
        validated = CheckIn.model_validate({**record.model_dump(), "created_at": given})
        back_given = assert_round_trip(validated)
        assert back_given.created_at is not None and validated.created_at is not None
        assert back_given.created_at.isoformat() == validated.created_at.isoformat()


def test_special_floats_come_back_with_the_same_bits() -> None:
    for special in (math.nan, math.inf, -math.inf, -0.0, 5e-324, 1.7976931348623157e308):
        checkin = CheckIn(id="ci-1", goal="g-1", date=dt.date(2026, 1, 2), actual=special)
        back = assert_round_trip(checkin, json=not math.isnan(special))
        assert struct.pack("<d", back.actual) == struct.pack("<d", special)
    account = Account(
        id="acc-1",
        name="n",
        annual_revenue=-0.0,
        potential=math.inf,
        purchase_history={"2025-Q3": math.nan, "2025": -0.0, "2024-H1": math.inf},
        pipeline=[PipelineItem(stage="s", amount=math.inf)],
    )
    back_account = assert_round_trip(account, json=False)
    assert back_account.annual_revenue is not None
    assert math.copysign(1, back_account.annual_revenue) == -1
    assert list(back_account.purchase_history) == ["2024-H1", "2025", "2025-Q3"]
    metric = Metric(name="m", baseline=math.nan, target=-0.0, stretch=math.inf)
    assert_round_trip(Goal(id="g-1", statement="s", metric=metric), json=False)


def test_strings_that_look_like_the_encoding_or_hold_controls_and_surrogates() -> None:
    odd = ["[", "]", "(", "t", "m", "p", "l", "D", "e", "d", "", "\x00\x1b[2J\x07", "\t\n"]
    account = Account(
        id="acc-1",
        name="[客户] (t) m",
        name_en="\u202eevil",  # cleaned by the model: whatever it keeps comes back
        tags=odd,
        needs=[],
        external_ids={"m": "t", "": "[", "p": "\x00"},
        created_by="\x00\x1b]2;x\x07",  # not user text: kept as given
        updated_by="tab\there",
    )
    back = assert_round_trip(account)
    assert back.tags == account.tags and "[2J" in back.tags  # cleaned by the model
    assert back.created_by == "\x00\x1b]2;x\x07"
    lone = Account(id="acc-2", name="n", created_by="a\ud800b", updated_by="\udcff")
    back_lone = assert_round_trip(lone, json=False)  # JSON cannot hold a lone surrogate
    assert back_lone.created_by == "a\ud800b" and back_lone.updated_by == "\udcff"
    person = Person(id="p-1", name="x", email="\ud83d", user="\U0001f600")
    assert_round_trip(person, json=False)


def test_enums_and_nested_models_come_back_as_themselves() -> None:
    goal = Goal(
        id="goal-1",
        statement="Grow",
        type=GoalType.REVENUE,
        horizon=Horizon.MID,
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc-1",
        metric=Metric(name="rev", unit="CNY", direction=Direction.DECREASE, target=3, stretch=2),
        incentive=Incentive(kind=IncentiveKind.COMMISSION, base_award=1000),
        start=dt.date(2026, 1, 1),
        deadline=dt.date(2026, 12, 31),
        assumptions=["a", "b"],
        status=GoalStatus.ACHIEVED,
    )
    back = assert_round_trip(goal)
    assert back.status is GoalStatus.ACHIEVED and back.metric is not None
    assert back.metric.direction is Direction.DECREASE
    assert type(back.incentive) is Incentive

    checkin = CheckIn(
        id="ci-1",
        goal="goal-1",
        date=dt.date(2026, 2, 1),
        actual=2.5,
        actions=[
            Action(text="call", owner="p-1", due=dt.date(2026, 2, 8), done=True),
            Action(text="visit"),
        ],
    )
    back_checkin = assert_round_trip(checkin)
    assert [type(a) for a in back_checkin.actions] == [Action, Action]
    assert back_checkin.actions[1].__pydantic_fields_set__ == {"text"}

    account = Account(
        id="acc-1",
        name="n",
        tier=2,
        tier_override=TierOverride(tier=1, reason="ceo", date=dt.date(2026, 5, 1)),
        tier_history=[
            TierChange(date=dt.date(2025, 1, 1), tier=3),
            TierChange(date=dt.date(2026, 1, 1), tier=2, previous=3, manual=True, by="p-1"),
        ],
        pipeline=[
            PipelineItem(stage="won", amount=10, expected_close=dt.date(2026, 3, 1)),
            PipelineItem(stage="open"),
        ],
        purchase_history={"2025-Q1": 1, "2025-Q2": 2.5},
    )
    back_account = assert_round_trip(account)
    assert type(back_account.purchase_history["2025-Q1"]) is float
    person = Person(
        id="p-1",
        name="x",
        role=Role.DIRECTOR,
        territory=Territory(accounts=["acc-1"], regions=["华东"]),
    )
    assert assert_round_trip(person).role is Role.DIRECTOR
    segment = Segment(id="seg-1", name="s", rule=SegmentRule(tiers=[1, 2], regions=["x"]))
    assert_round_trip(segment)


def test_a_record_made_from_some_fields_keeps_only_those_as_set() -> None:
    record = Account(name="only a name")
    back = assert_round_trip(record)
    assert back.__pydantic_fields_set__ == {"name"}
    assert back.model_dump(exclude_unset=True) == {"name": "only a name"}
    goal = Goal(statement="s", metric=Metric(name="m"))
    back_goal = assert_round_trip(goal)
    assert back_goal.metric is not None
    assert back_goal.metric.__pydantic_fields_set__ == {"name"}
    assert back_goal.model_dump(exclude_unset=True) == {"statement": "s", "metric": {"name": "m"}}


def test_an_unpacked_record_is_a_working_model() -> None:
    back = round_trip(Account(id="acc-1", name="n", tags=["a"]))
    back.tags.append("b")  # its own list, not one shared with anything
    back.region = "华东"  # still validated on assignment
    with pytest.raises(ValueError):
        back.tier = 10
    assert back.model_copy(update={"name": "m"}).name == "m"
    assert round_trip(back).tags == ["a", "b"]
    again = round_trip(Account(id="acc-1", name="n", tags=["a"]))
    assert again.tags == ["a"]


def test_values_of_unknown_types_are_kept_pickled() -> None:
    for value in (
        decimal.Decimal("1.10"),
        {1, 2, 3},
        frozenset({"a"}),
        (1, "t", None),
        {1: "int keys"},
        dt.time(1, 2),
        dt.timedelta(days=1),
        complex(1, 2),
        b"bytes",
    ):
        packed = pack_value(value)
        back = unpack_value(marshal.loads(marshal.dumps(packed)))
        assert back == value and type(back) is type(value)
    assert str(unpack_value(marshal.loads(marshal.dumps(pack_value(decimal.Decimal("1.10")))))) == (
        "1.10"
    )
    times = [
        dt.datetime(2026, 1, 1, 2, 3, 4, 567890),
        dt.datetime(2026, 1, 1, 2, 3, 4, 5, tzinfo=TzInfo(8 * 3600)),
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    ]
    nested = [{"d": dt.date(2026, 1, 1), "s": {1}, "t": times[1]}, "x", times, -0.0]
    back_nested = unpack_value(marshal.loads(marshal.dumps(pack_value(nested))))
    assert_same(nested, back_nested)
    for plain in ("x", 1, 2.5, None, True, [], {}, ["a", 1], {"k": [1, "v"]}):
        assert pack_value(plain) == plain
        assert_same(plain, unpack_value(marshal.loads(marshal.dumps(pack_value(plain)))))


def test_an_unusual_model_is_kept_pickled_and_still_comes_back() -> None:
    record = Account(id="acc-1", name="n", region="r")
    odd = record.model_copy()
    object.__setattr__(odd, "__dict__", dict(reversed(list(record.__dict__.items()))))
    back = round_trip(odd)
    assert list(back.__dict__) == list(odd.__dict__)
    assert back.__dict__ == record.__dict__


# --- damaged bytes ----------------------------------------------------------------------------


def test_damaged_bytes_raise_a_value_error_naming_where_they_came_from() -> None:
    where = "/somewhere/accounts.json.entry"
    unpack = unpacker(Account, where)
    blob = pack(Account(id="acc-1", name="n", tags=["a", "b"], pipeline=[PipelineItem(stage="s")]))
    assert unpack(blob).id == "acc-1"
    damaged = [
        blob[: len(blob) // 2],  # torn
        blob[:-1],
        b"",
        b"\xff" * 8,
        marshal.dumps("not a record"),
        marshal.dumps(("m", "NoSuchModel", [], None, None)),
        marshal.dumps(("m", "Account", ["too", "few"], None, None)),
        marshal.dumps(("e", "Account", "x")),  # not an enum
        marshal.dumps(("?", 1)),
    ]
    for bad in damaged:
        with pytest.raises(ValueError, match=where):
            unpack(bad)
    other = pack(CheckIn(id="ci-1", goal="g-1", date=dt.date(2026, 1, 1), actual=1))
    with pytest.raises(ValueError, match=where) as caught:
        unpack(other)
    assert "CheckIn" in str(caught.value)
    with pytest.raises(ValueError, match=where):
        unpacker(Account, where)(pack(Goal(id="g-1", statement="s")))


def test_every_field_picked_from_the_bytes_is_the_unpacked_records(tmp_path: Path) -> None:
    """Reading a field without making the record gives what the record holds, for every field
    of every generated record."""
    made = generate(GenerateSpec(accounts=60, goals=20, checkins=80, seed=7))
    for _kind, records in made.by_kind():
        for record in records:
            picked = picker(type(record), "a test")(pack(record))
            for name in type(record).model_fields:
                value = picked.get(name)
                assert_same(getattr(record, name), value, f"{record.id}.{name}")
                assert picked.get(name) is value  # decoded once
            with pytest.raises(AttributeError, match="no_such_field"):
                picked.get("no_such_field")


def test_a_damaged_blob_picked_raises_a_value_error_naming_where_it_came_from() -> None:
    where = "/somewhere/accounts.json.entry"
    pick = picker(Account, where)
    blob = pack(Account(id="acc-1", name="n", purchase_history={"2025": 1.0}))
    assert pick(blob).get("purchase_history") == {"2025": 1.0}
    for bad in (blob[:-1], b"", marshal.dumps(("m", "Account", ["few"], None, None))):
        with pytest.raises(ValueError, match=where):
            pick(bad)
    with pytest.raises(ValueError, match=where):
        pick(pack(Goal(id="g-1", statement="s")))
    tagged = ("m", "Account", [("?", 1)] * len(Account.model_fields), None, None)
    with pytest.raises(ValueError, match=where):
        pick(marshal.dumps(tagged)).get("created_at")
    # a field packed on its own
    read = field_reader(where)
    account = Account(id="acc-1", name="n", purchase_history={"2025": 1.0})
    held = pack_field(account, "purchase_history")
    assert read(held) == {"2025": 1.0} and read(held) is not read(held)
    assert read(pack_field(account, "created_at")) is None
    for bad in (held[:-1], b"", marshal.dumps(("?", 1))):
        with pytest.raises(ValueError, match=where):
            read(bad)


# --- through the workspace and its cache ------------------------------------------------------


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE, tmp_path / "sample"))


def briefs(ws: Workspace) -> dict[tuple[str, str | None, str], str]:
    snap = ws.snapshot()
    out = {}
    for lang in ("zh", "en"):
        for audience, subject in BRIEFS:
            options = BriefOptions(lang=lang, as_of=AS_OF)
            brief = render_brief(snap, audience, subject=subject, options=options)  # type: ignore[arg-type]
            out[audience, subject, lang] = brief.markdown
    return out


def test_a_workspace_opened_again_is_served_packed_and_unchanged(sample: Path) -> None:
    first = Workspace.open(sample)
    validated = {kind: dict(first.records(kind)) for kind in KIND_FILES}
    assert first.problems == []
    again = Workspace.open(sample)
    for kind in KIND_FILES:
        records = again.records(kind)
        assert isinstance(records, LazyRecords), kind
        assert records.raw() and all(packed(records)), kind
        assert list(records) == list(validated[kind])
        for field in INDEXED_FIELDS.get(kind, ()):
            expected = [getattr(r, field) for r in validated[kind].values()]
            assert records.copy().column(field) == expected, (kind, field)
        assert all(packed(records))  # columns unpack nothing
        for rid, record in validated[kind].items():
            assert_same(record, records[rid], f"{kind} {rid}")
        assert records == validated[kind]
    assert again.problems == []


def test_briefs_from_the_packed_workspace_are_the_briefs_of_a_fresh_validation(
    sample: Path,
) -> None:
    fresh = briefs(Workspace.open(sample))  # validates, and fills the cache
    again = Workspace.open(sample)
    assert all(packed(again.records("checkin")))
    cached = briefs(again)
    assert cached.keys() == fresh.keys()
    for key, markdown in fresh.items():
        assert cached[key] == markdown, key
    # and the same as the golden briefs, from the sample itself opened read-only
    assert fresh == briefs(Workspace.open(SAMPLE, read_only=True))


def test_a_save_through_the_packed_workspace_is_seen_by_the_next_open(sample: Path) -> None:
    first = Workspace.open(sample, user="alice")
    original = {a.id: a for a in first.all(Account)}
    ws = Workspace.open(sample, user="alice")
    assert all(packed(ws.records("account")))
    target, untouched, dropped = sorted(original)[:3]
    before = ws.snapshot()
    saved = ws.save(ws.get(Account, target).model_copy(update={"region": "南极"}))  # type: ignore[union-attr]
    assert saved.region == "南极" and saved.rev == original[target].rev + 1
    assert ws.get(Account, target) == saved
    assert ws.snapshot().accounts[target].region == "南极"
    assert before.accounts[target] == original[target]  # a snapshot taken before: unchanged
    ws.delete(ws.get(Account, dropped))  # type: ignore[arg-type]
    assert dropped in before.accounts and dropped not in ws.snapshot().accounts
    del original[dropped]
    for opened in (Workspace.open(sample), Workspace.open(sample)):  # validated, then cached
        assert opened.get(Account, target) == saved
        assert_same(original[untouched], opened.get(Account, untouched))
        assert len(opened.all(Account)) == len(original)
        others = [a for a in opened.all(Account) if a.id != target]
        assert others == [a for rid, a in sorted(original.items()) if rid != target]


def test_fields_read_without_unpacking_are_the_records_fields_before_and_after_a_save(
    sample: Path,
) -> None:
    """Histories (kept apart), pipelines' amounts and owners (columns) read from the packed
    accounts are what the unpacked accounts hold, and a saved change is read back."""
    Workspace.open(sample).all(Account)  # validates, and fills the cache
    ws = Workspace.open(sample, user="alice")
    accounts = ws.snapshot().accounts
    assert all(packed(accounts))
    read = {
        rid: [field_of(accounts, rid, f) for f in ("purchase_history", "pipeline_amounts")]
        for rid in accounts
    }
    assert all(packed(accounts))  # nothing unpacked to read them
    for rid, (history, amounts) in read.items():
        account = accounts[rid]
        assert_same(account.purchase_history, history, rid)
        assert amounts == [item.amount for item in account.pipeline]
    target = sorted(read)[0]
    history = {**read[target][0], "2026-Q4": 123.5}
    ws.save(ws.get(Account, target).model_copy(update={"purchase_history": history}))  # type: ignore[union-attr]
    for opened in (Workspace.open(sample), Workspace.open(sample)):  # validated, then cached
        got = opened.snapshot().accounts
        assert field_of(got, target, "purchase_history") == history


def test_check_in_points_read_without_unpacking_are_the_check_ins(tmp_path: Path) -> None:
    """A goal's check-ins' dates, values and confidence, read from the columns of a cached
    open, are the records' own, in the same order, and come back changed after a save."""
    root = tmp_path / "gen"
    generate_workspace(root, GenerateSpec(accounts=60, goals=20, checkins=80, seed=7))
    validated = Workspace.open(root).snapshot()
    assert not any(packed(validated.checkins))
    ws = Workspace.open(root, user="alice")
    cached = ws.snapshot()
    assert all(packed(cached.checkins))
    goals = list(validated.checkins_by_goal)
    assert len(goals) > 5
    points = {g: cached.points(g) for g in goals}
    assert all(packed(cached.checkins))  # nothing unpacked to read them
    for goal in goals:
        records = validated.checkins_by_goal[goal]
        assert [(c.id, c.date, c.actual, c.confidence) for c in records] == points[goal]
        assert all(type(p.date) is dt.date for p in points[goal])
        assert validated.points(goal) == points[goal]
    assert cached.points("no-such-goal") == []
    goal = goals[0]
    first = ws.get(CheckIn, points[goal][0].id)
    assert first is not None
    ws.save(first.model_copy(update={"actual": 12.5, "date": dt.date(2020, 1, 1)}))
    again = Workspace.open(root).snapshot()
    assert again.points(goal)[0] == (first.id, dt.date(2020, 1, 1), 12.5, first.confidence)


def test_a_damaged_record_in_an_entry_is_only_a_miss(sample: Path, cache_dir: Path) -> None:
    expected = Workspace.open(sample).all(Account)  # validates, and fills the cache
    [entry] = (cache_dir / "records").glob("*/accounts.json.entry")
    # Flip one byte inside one record's bytes, leaving the entry's marshal data well-formed (a
    # bit gone bad on disk): records are unpacked only when read, so without a check of the
    # whole entry the damage would surface in every later read of that record.
    raw = bytearray(entry.read_bytes())
    data, _ = marshal.loads(bytes(raw[4:]))[5]  # after the CRC: (format, ..., ids, blobs, ...)
    at = raw.find(data) + len(data) // 2  # in the records laid end to end
    raw[at] ^= 0x20
    entry.write_bytes(bytes(raw))
    assert Workspace.open(sample).all(Account) == expected
    assert Workspace.open(sample).all(Account) == expected  # the entry was written again


def test_the_lint_reads_account_names_without_unpacking_an_account(sample: Path) -> None:
    fresh = context_from_snapshot(Workspace.open(sample).snapshot())
    snap = Workspace.open(sample).snapshot()
    assert context_from_snapshot(snap) == fresh
    assert fresh.account_names and fresh.region_names
    assert all(packed(snap.accounts))


def test_records_unpacked_in_a_process_that_never_validated_one_work_as_models(
    sample: Path, cache_dir: Path
) -> None:
    Workspace.open(sample).snapshot()  # fills the cache
    script = f"""
from kaplan_tui.core.models import Account
from kaplan_tui.core.records import Packed
from kaplan_tui.storage import Workspace, cache
ws = Workspace.open({str(sample)!r}, user="bob")
assert all(type(v) is Packed for v in ws.records("account").raw().values())
account = ws.all(Account)[0]
print(account.model_dump_json())
account.region = "x"
try:
    account.tier = 99
except ValueError:
    print("refused")
print(ws.save(ws.all(Account)[1].model_copy(update={{"region": "y"}})).region)
"""
    env = {**os.environ, "KAPLAN_CACHE_DIR": str(cache_dir)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    first = Workspace.open(sample).all(Account)[0]
    lines = done.stdout.splitlines()
    assert lines[0] == first.model_dump_json()
    assert lines[1:] == ["refused", "y"]


def test_a_team_brief_unpacks_only_its_own_check_ins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "gen"
    generate_workspace(root, SPEC)
    teams = [t for t in Workspace.open(root).snapshot().teams if t != "team-hq"]  # fills the cache
    assert len(teams) >= 2

    # Count the unpacking itself: wrap the unpack function each cache entry is given. The
    # cache module imported ``unpacker`` by name, so the name to replace is the cache's.
    unpacked: Counter[str] = Counter()
    checkins_of: Counter[str] = Counter()  # check-ins unpacked, by goal
    goals_made: list[Goal] = []
    real = packing.unpacker  # the very function cache.py calls as ``unpacker``

    def counting(cls: type[BaseModel], where: str) -> Callable[[bytes], Any]:
        unpack = real(cls, where)

        def count(blob: bytes) -> Any:
            unpacked[cls.__name__] += 1
            record = unpack(blob)
            if isinstance(record, CheckIn):
                checkins_of[record.goal] += 1
            if isinstance(record, Goal):
                goals_made.append(record)
            return record

        return count

    monkeypatch.setattr(cache, "unpacker", counting)
    goals_read: dict[str, int] = {}
    for team in teams:
        unpacked.clear()
        checkins_of.clear()
        goals_made.clear()
        ws = Workspace.open(root)
        snap = ws.snapshot()
        total = len(snap.checkins)
        assert all(packed(snap.checkins))
        brief = render_brief(snap, "team", subject=team, options=BriefOptions("en", SPEC.as_of))
        assert f"# {snap.teams[team].name_en}" in brief.markdown
        assert 0 < unpacked["CheckIn"] < total / 2, (team, unpacked, total)
        # progress, charts and reviews read the check-ins' columns: only each goal's latest
        # check-in is unpacked, for its notes and actions
        assert set(checkins_of.values()) == {1}, (team, checkins_of)
        # what the lint and the seasons read of the team's accounts is their histories
        # and pipelines, read without making the accounts
        assert unpacked["Account"] < len(snap.accounts) / 20, (team, unpacked)
        goals_read[team] = unpacked["Goal"]
        # closed goals are left packed, but for the parents the open ones name
        named = {g.parent for g in goals_made}
        assert all(g.status in OPEN or g.id in named for g in goals_made), team
        # the team's members are unpacked, not everyone (the lint's regions are a column)
        members = len(snap.people_by_team.ids(team))
        assert unpacked["Person"] < len(snap.people) / 2, (team, unpacked, members)
        # the snapshot's own mapping agrees: what the brief did not read is still packed there
        assert 0 < packed(snap.checkins).count(False) <= unpacked["CheckIn"]
    # a team's goals are chosen by owner and scope, read from the packed goals: the others
    # (all but the team's, their parents and the goals they serve) stay packed
    assert min(goals_read.values()) < len(snap.goals) / 2, goals_read


def _reader_paused_while_unpacking(ws: Workspace, rid: str) -> tuple[threading.Thread, Any]:
    """Start a thread reading account ``rid`` through ``ws``, paused inside the unpacking of
    that record; returns it and the event that lets it go on."""
    held = ws.records("account").raw()[rid]
    assert isinstance(held, Packed)
    inside, go = threading.Event(), threading.Event()
    unpack = held._unpack

    def slow(blob: bytes | memoryview) -> Any:
        inside.set()
        go.wait(10)
        return unpack(blob)

    held._unpack = slow
    reader = threading.Thread(target=lambda: ws.get(Account, rid))
    reader.start()
    assert inside.wait(10)
    held._unpack = unpack  # the save below unpacks it too, without waiting
    return reader, go


def test_a_record_read_while_it_is_saved_or_deleted_does_not_come_back_old(sample: Path) -> None:
    Workspace.open(sample).snapshot()  # fills the cache
    ws = Workspace.open(sample)
    first, second = list(ws.records("account"))[:2]

    reader, go = _reader_paused_while_unpacking(ws, first)
    fresh = Workspace.open(sample).get(Account, first)
    assert fresh is not None
    saved = ws.save(fresh.model_copy(update={"region": "华南"}))
    go.set()
    reader.join()
    assert ws.get(Account, first) == saved and ws.snapshot().accounts[first] == saved

    reader, go = _reader_paused_while_unpacking(ws, second)
    gone = Workspace.open(sample).get(Account, second)
    assert gone is not None
    ws.delete(gone)
    go.set()
    reader.join()
    assert second not in ws.records("account") and second not in ws.snapshot().accounts
    # Saving again works: the workspace holds what is on disk.
    again = ws.save(saved.model_copy(update={"industry": "能源"}))
    assert again.rev == saved.rev + 1


@pytest.fixture
def quick_switching() -> Iterator[None]:
    """Threads switch every microsecond: races show at once."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("quick_switching")
def test_threads_writing_through_one_cache_all_write(tmp_path: Path) -> None:
    """The TUI writes entries while loading and its sharing screen keeps verdicts: one
    thread preparing the folders must not make another's write give up."""
    held = cache.RecordCache(tmp_path / "ws", base=tmp_path / "cache")
    names = [f"file-{i}" for i in range(200)]

    def write(part: list[str]) -> None:
        for name in part:
            held.write(name, name.encode())

    threads = [threading.Thread(target=write, args=(names[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [bytes(held.read(name) or b"") for name in names] == [n.encode() for n in names]


@pytest.mark.usefixtures("quick_switching")
def test_threads_reading_fields_of_the_same_packed_records_agree(sample: Path) -> None:
    """A field read from a record's bytes is decoded afresh by each reader: two threads never
    share half-decoded values (which once read as a damaged record)."""
    Workspace.open(sample).all(Account)  # fills the cache
    expected = {a.id: a.pipeline for a in Workspace.open(sample).all(Account)}
    errors: list[BaseException] = []

    def read(accounts: Any) -> None:
        try:
            for rid in accounts:
                assert field_of(accounts, rid, "pipeline") == expected[rid]
                assert field_of(accounts, rid, "revenue_in_year")(2025) == (
                    accounts[rid].revenue_in_year(2025)  # a method: read from the record
                )
        except BaseException as exc:  # reported below
            errors.append(exc)

    for _ in range(5):
        accounts = Workspace.open(sample).snapshot().accounts
        threads = [threading.Thread(target=read, args=(accounts,)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
