"""Lint results kept between processes (kaplan_tui/core/lint/store.py): a kept result is the
result itself, its key changes with every input, and the engine asks a store before linting,
yet never serves a result made from other inputs or from data it did not write."""

from __future__ import annotations

import enum
import json
import marshal
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kaplan_tui.core.lint import LintContext, LintResult, clear_cache, engine, lint, use_store
from kaplan_tui.core.lint.store import context_digest, from_data, result_key, to_data

from ..lintcount import count_fields_made, count_lints

REF = date(2025, 6, 1)
"""The corpus reference date (tests/data/smart/README)."""

CONTEXT = LintContext(
    account_names=("北辰能源", "蓝海", "ACME Group"),
    segment_names=("华东区A类客户",),
    region_names=("华东", "华南"),
)
NAMED = "2025年底前拿下蓝海"
"""Specific only while 蓝海 is a known account."""
RELATIVE = "下季度把北辰能源的年采购额从5000万元提升到5600万元"
"""Its deadline depends on the reference date; achievable depends on the growth history."""


class DictStore:
    """A store in a dict, counting what the engine asks of it."""

    def __init__(self) -> None:
        self.data: dict[bytes, Any] = {}
        self.gets: list[bytes] = []
        self.puts: list[bytes] = []

    def get(self, key: bytes) -> Any | None:
        self.gets.append(key)
        return self.data.get(key)

    def put(self, key: bytes, data: Any) -> None:
        self.puts.append(key)
        # kept as a file keeps it: what comes back is a copy made by marshal
        self.data[key] = marshal.loads(marshal.dumps(data))


@pytest.fixture
def store() -> Iterator[DictStore]:
    """A dict-backed store the engine uses, with an empty in-process cache (as in a new
    process); the engine uses no store again afterwards."""
    kept = DictStore()
    clear_cache()
    previous = use_store(kept)
    assert previous is None
    try:
        yield kept
    finally:
        use_store(None)
        clear_cache()


def refuse_lints(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any real lint from now on fail the test."""

    def refuse(text: str, *args: Any) -> LintResult:
        raise AssertionError(f"linted again: {text!r}")

    monkeypatch.setattr(engine, "_lint", refuse)


def without_store(text: str, fields: dict[str, Any] | None, **kw: Any) -> LintResult:
    """The lint of these inputs with no store and nothing cached: the truth."""
    previous = use_store(None)
    clear_cache()
    try:
        return lint(text, fields, **kw)
    finally:
        use_store(previous)
        clear_cache()


# --- the plain data ---------------------------------------------------------------------------


def _corpus_results(corpus: list[dict[str, Any]]) -> list[LintResult]:
    results = []
    for row in corpus:
        fields = row.get("fields") or {}
        results.append(lint(row["text"], fields, today=REF))
        results.append(lint(row["text"], fields, today=REF, lang="en", context=CONTEXT))
    return results


def test_the_data_of_every_corpus_result_gives_the_result_back(
    corpus: list[dict[str, Any]],
) -> None:
    results = _corpus_results(corpus)
    # the corpus covers what the data must carry
    assert sum(any(d.fix for d in r.diagnostics) for r in results) >= 50
    assert sum(r.lang == "zh" for r in results) >= 50
    assert any(r.lang == "zh" and r.message_lang == "en" for r in results)
    assert sum(r.deadline is not None for r in results) >= 50
    assert {s for r in results for s in r.criteria.values()} == {"pass", "warn", "fail", "unknown"}
    for result in results:
        data = to_data(result)
        back = from_data(marshal.loads(marshal.dumps(data)))  # as a store keeps it
        assert back == result, result.text
        assert back.as_json() == result.as_json()
        assert [d.fix.apply(back.text) for d in back.diagnostics if d.fix] == [
            d.fix.apply(result.text) for d in result.diagnostics if d.fix
        ]


def test_the_data_is_plain() -> None:
    """Tuples, strings and numbers only: marshal writes them, and reading them runs no code."""
    result = lint(RELATIVE, {"history_yoy_growth": [0.02, 0.03]}, today=REF, context=CONTEXT)
    assert any(d.fix for d in result.diagnostics)

    def plain(value: Any) -> bool:
        if isinstance(value, tuple):
            return all(plain(v) for v in value)
        return value is None or type(value) in (str, int, float)

    assert plain(to_data(result))


FOREIGN: list[Any] = [
    None,
    42,
    "not a result",
    b"\x00" * 7,
    {},
    {"text": "a", "lang": "zh"},
    (),
    ("t", "zh", "zh", 50, ("pass",) * 5, ()),  # one item short: another format
    ("t", "zh", "zh", 50, ("pass",) * 5, (), None, "extra"),  # one too many
    ("t", "zh", "zh", 50, ("pass",) * 4, (), None),  # a criterion missing
    ("t", "zh", "zh", 50, ("pass",) * 6, (), None),  # a criterion too many
    ("t", "zh", "zh", 50, 5, (), None),
    ("t", "zh", "zh", 50, ("pass",) * 5, (("SMART-S001", "specific"),), None),
    ("t", "zh", "zh", 50, ("pass",) * 5, 7, None),
    (
        "t",
        "zh",
        "zh",
        50,
        ("pass",) * 5,
        (("SMART-T001", "time_bound", "error", "missing", 0, 1, "m", (0, 1)),),  # fix short
        None,
    ),
    (
        "t",
        "zh",
        "zh",
        50,
        ("pass",) * 5,
        (("SMART-T001", "time_bound", "error", "missing", 0, 1, "m", 5),),  # fix not a tuple
        None,
    ),
]


@pytest.mark.parametrize("data", FOREIGN, ids=range(len(FOREIGN)))
def test_foreign_data_is_refused_with_value_error(data: Any) -> None:
    with pytest.raises(ValueError):
        from_data(data)


# --- keys -------------------------------------------------------------------------------------


def test_a_result_key_changes_with_each_input() -> None:
    base: tuple[str, str, str | None, date, bytes] = (
        "2025年底前拿下蓝海",
        '{"target": 5000000}',
        "zh",
        REF,
        b"\x01" * 16,
    )
    text, fields, lang, ref, ctx = base
    variants = [
        ("2025年底前拿下蓝海!", fields, lang, ref, ctx),
        (text, '{"target": 5000001}', lang, ref, ctx),
        (text, "", lang, ref, ctx),
        (text, fields, "en", ref, ctx),
        (text, fields, None, ref, ctx),
        (text, fields, lang, date(2025, 6, 2), ctx),
        (text, fields, lang, ref, b"\x01" * 15 + b"\x02"),
        # the same characters, split between the inputs differently
        (text + '{"target"', ": 5000000}", lang, ref, ctx),
    ]
    keys = [result_key(*base)] + [result_key(*v) for v in variants]
    assert len(set(keys)) == len(keys)
    assert all(type(k) is bytes and len(k) >= 16 for k in keys)
    assert result_key(*base) == keys[0]


def fresh(value: str) -> str:
    """An equal string that is another object, not interned: as another process reads it from
    a file."""
    copy: str = json.loads(json.dumps(value))
    assert copy == value and copy is not value
    return copy


def test_equal_inputs_give_the_same_key_however_their_objects_were_made() -> None:
    """Another process holds the same inputs in objects of its own (interned or not, shared or
    not): it must find the result kept under the key made here."""
    text, fields = "2025年底前拿下蓝海", '{"target": 5000000}'
    kept = result_key(text, fields, "zh", REF, b"\x01" * 16)
    assert result_key(fresh(text), fields, "zh", REF, b"\x01" * 16) == kept
    assert result_key(text, fresh(fields), "zh", REF, b"\x01" * 16) == kept
    assert result_key(text, fields, "zh", date(2025, 6, 1), bytes([1] * 16)) == kept
    # "zh" written in the code is interned; the language read from a workspace's settings or
    # a command line need not be
    assert result_key(text, fields, fresh("zh"), REF, b"\x01" * 16) == kept, (
        "the key depends on whether the language string is interned, not only on its value"
    )


def test_a_context_digest_changes_with_any_name_or_threshold() -> None:
    digest = context_digest(CONTEXT)
    same = LintContext(
        account_names=tuple(list(CONTEXT.account_names)),
        segment_names=("华东区" + "A类客户",),
        region_names=("华东", "华南"),
    )
    assert context_digest(same) == digest
    changed = [
        LintContext(
            account_names=("北辰能源", "蓝海集团", "ACME Group"),
            segment_names=CONTEXT.segment_names,
            region_names=CONTEXT.region_names,
        ),
        LintContext(
            account_names=CONTEXT.account_names[:2],
            segment_names=CONTEXT.segment_names,
            region_names=CONTEXT.region_names,
        ),
        LintContext(
            account_names=CONTEXT.account_names,
            segment_names=("华东区B类客户",),
            region_names=CONTEXT.region_names,
        ),
        LintContext(
            account_names=CONTEXT.account_names,
            segment_names=CONTEXT.segment_names,
            region_names=("华东", "华北"),
        ),
        # a name moved from the accounts to the segments
        LintContext(
            account_names=CONTEXT.account_names[:2],
            segment_names=(*CONTEXT.segment_names, "ACME Group"),
            region_names=CONTEXT.region_names,
        ),
        LintContext(**{**_fields(CONTEXT), "stretch": 1.3}),
        LintContext(**{**_fields(CONTEXT), "implausible": 3.0}),
        LintContext(**{**_fields(CONTEXT), "horizon_months": 24}),
    ]
    digests = [digest] + [context_digest(c) for c in changed]
    assert len(set(digests)) == len(digests)


def test_equal_contexts_give_the_same_digest_however_their_names_were_made() -> None:
    """A second process makes its context from its own records: the same names, other objects."""
    made_again = LintContext(
        account_names=tuple(fresh(n) for n in CONTEXT.account_names),
        segment_names=tuple(fresh(n) for n in CONTEXT.segment_names),
        region_names=tuple(fresh(n) for n in CONTEXT.region_names),
    )
    assert context_digest(made_again) == context_digest(CONTEXT), (
        "the digest depends on the name objects (interned, shared), not only on the names"
    )
    # an account and a segment of the same name: one string object, or two equal ones
    name = fresh("华东区A类客户")
    shared = LintContext(account_names=(name,), segment_names=(name,))
    separate = LintContext(account_names=(fresh(name),), segment_names=(fresh(name),))
    assert context_digest(shared) == context_digest(separate)


def _fields(ctx: LintContext) -> dict[str, Any]:
    return {name: getattr(ctx, name) for name in LintContext.__dataclass_fields__}


# --- the engine with a store ------------------------------------------------------------------


def test_a_result_kept_is_found_by_a_new_process_and_not_linted_again(
    store: DictStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = {"history_yoy_growth": [0.02, 0.03, 0.01], "target": 56_000_000}
    first = lint(RELATIVE, fields, today=REF, context=CONTEXT)
    assert len(store.puts) == 1 and len(store.data) == 1

    clear_cache()  # nothing in memory, as in a new process
    refuse_lints(monkeypatch)
    # equal inputs, but new objects: another process makes its own context and fields
    context = LintContext(**_fields(CONTEXT))
    again = lint(RELATIVE, dict(fields), today=date(2025, 6, 1), context=context)
    assert again == first
    assert len(store.puts) == 1  # found, not kept again


def test_a_goal_with_its_own_start_is_not_linted_again_on_a_later_day(
    store: DictStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A goal that says when it starts reads that date, not today: its kept verdict holds the
    next day (a daily brief lints only what changed); one without is linted again."""
    started = {"created_at": "2025-05-01", "target": 56_000_000}
    first = lint(RELATIVE, started, today=REF, context=CONTEXT)
    undated = lint(RELATIVE, {"target": 56_000_000}, today=REF, context=CONTEXT)
    clear_cache()
    lints = count_lints(monkeypatch)
    assert lint(RELATIVE, started, today=date(2025, 6, 2), context=CONTEXT) == first
    assert lints == []
    later = lint(RELATIVE, {"target": 56_000_000}, today=date(2025, 10, 2), context=CONTEXT)
    assert lints == [RELATIVE]  # "next quarter" from another day: another deadline
    assert later != undated


def test_a_result_kept_is_found_by_a_process_that_read_its_inputs_again(
    store: DictStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a second ``kaplan brief`` does: the same goal, fields, language and names, read from
    the files again into objects of its own."""
    fields = {"history_yoy_growth": [0.02, 0.03, 0.01], "owner": "王磊"}
    first = lint(NAMED, fields, lang="zh", today=REF, context=CONTEXT)
    clear_cache()
    refuse_lints(monkeypatch)
    read_again = json.loads(json.dumps([NAMED, fields, "zh", _fields(CONTEXT)]))
    text, fields_again, lang, names = read_again
    context = LintContext(
        account_names=tuple(names["account_names"]),
        segment_names=tuple(names["segment_names"]),
        region_names=tuple(names["region_names"]),
    )
    assert lint(text, fields_again, lang=lang, today=REF, context=context) == first


def test_every_corpus_goal_comes_back_from_the_store_as_it_was_linted(
    corpus: list[dict[str, Any]], store: DictStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = [lint(r["text"], r.get("fields") or {}, today=REF, context=CONTEXT) for r in corpus]
    inputs = {(r["text"], json.dumps(r.get("fields") or {}, sort_keys=True)) for r in corpus}
    assert len(store.data) == len(inputs)
    clear_cache()
    refuse_lints(monkeypatch)
    again = [lint(r["text"], r.get("fields") or {}, today=REF, context=CONTEXT) for r in corpus]
    assert again == first


Change = Callable[[], LintResult]

CHANGES: dict[str, tuple[Change, Change]] = {
    "text": (
        lambda: lint(RELATIVE, {}, today=REF, context=CONTEXT),
        lambda: lint("把北辰能源的年采购额提升到5600万元", {}, today=REF, context=CONTEXT),
    ),
    "field": (
        lambda: lint(RELATIVE, {"history_yoy_growth": [0.15, 0.12, 0.2]}, today=REF),
        lambda: lint(RELATIVE, {"history_yoy_growth": [0.02, 0.03, 0.01]}, today=REF),
    ),
    "date": (
        lambda: lint(RELATIVE, {}, today=REF, context=CONTEXT),
        lambda: lint(RELATIVE, {}, today=date(2025, 9, 1), context=CONTEXT),
    ),
    "message language": (
        lambda: lint(RELATIVE, {}, today=REF, context=CONTEXT),
        lambda: lint(RELATIVE, {}, today=REF, context=CONTEXT, lang="en"),
    ),
    "account name": (
        lambda: lint(NAMED, {}, today=REF, context=CONTEXT),
        lambda: lint(
            NAMED,
            {},
            today=REF,
            context=LintContext(**{**_fields(CONTEXT), "account_names": ("北辰能源", "蓝湾")}),
        ),
    ),
    "threshold": (
        lambda: lint(RELATIVE, {"history_yoy_growth": [0.02, 0.03, 0.01]}, today=REF),
        lambda: lint(
            RELATIVE,
            {"history_yoy_growth": [0.02, 0.03, 0.01]},
            today=REF,
            context=LintContext(stretch=10.0, implausible=20.0),
        ),
    ),
}


@pytest.mark.parametrize("what", list(CHANGES))
def test_a_changed_input_is_linted_again_and_gives_the_new_verdict(
    what: str, store: DictStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, after = CHANGES[what]
    real = engine._lint
    first = before()
    clear_cache()
    lints = count_lints(monkeypatch)
    second = after()
    assert len(lints) == 1, "a result made from other inputs was served"
    assert second != first  # the change matters: the old result would have been wrong
    monkeypatch.setattr(engine, "_lint", real)
    use_store(None)
    clear_cache()
    assert after() == second  # what a lint with no store at all says
    use_store(store)
    # and both are kept, each under its own key
    clear_cache()
    refuse_lints(monkeypatch)
    assert (before(), after()) == (first, second)


GARBAGE: list[Any] = [
    ("garbage",),
    "garbage",
    12345,
    ("t", "zh", "zh", 50, ("pass",) * 4, (), None),
    {"score": 100},
]


@pytest.mark.parametrize("garbage", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_in_the_store_is_linted_again_and_replaced(
    garbage: Any, store: DictStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = lint(RELATIVE, {"target": 56_000_000}, today=REF, context=CONTEXT)
    (key,) = store.data
    store.data[key] = garbage
    clear_cache()
    lints = count_lints(monkeypatch)
    again = lint(RELATIVE, {"target": 56_000_000}, today=REF, context=CONTEXT)
    assert lints == [RELATIVE]
    assert again == first
    assert from_data(store.data[key]) == first  # kept again, over the garbage
    clear_cache()
    assert lint(RELATIVE, {"target": 56_000_000}, today=REF, context=CONTEXT) == first
    assert lints == [RELATIVE]


def test_data_of_the_right_shape_but_wrong_types_is_linted_again(
    store: DictStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = lint(RELATIVE, {}, today=REF, context=CONTEXT)
    (key,) = store.data
    store.data[key] = ("t", "zh", "zh", "x", ("bogus",) * 5, (), 7)
    clear_cache()
    assert lint(RELATIVE, {}, today=REF, context=CONTEXT) == first


class Owner:
    """Not a JSON value: its text may hold its address, which another process may reuse."""

    def __init__(self, name: str) -> None:
        self.name = name


class NoStore:
    """A store that fails the test when asked anything."""

    def get(self, key: bytes) -> Any | None:
        raise AssertionError("the store was asked")

    def put(self, key: bytes, data: Any) -> None:
        raise AssertionError("something was kept")


class Territory(enum.StrEnum):
    """A str subclass: JSON writes its value, the lint may read it otherwise."""

    EAST = "华东区"


@pytest.mark.parametrize(
    "fields",
    [
        {"owner": Owner("王磊")},
        {"created_at": date(2025, 1, 1)},
        {"baseline": Decimal("4550000"), "target": Decimal("5000000")},
        {"owner_territory": {"华东区"}},
        {"history_yoy_growth": (0.02, 0.03, 0.01)},  # JSON writes a tuple as a list
        {"owner_territory": [Territory.EAST]},
    ],
    ids=["object", "date", "decimal", "set", "tuple", "str-subclass"],
)
def test_fields_that_are_not_json_values_never_touch_the_store(
    fields: dict[str, Any], store: DictStore
) -> None:
    use_store(NoStore())
    first = lint(RELATIVE, fields, today=REF, context=CONTEXT)
    clear_cache()
    assert lint(RELATIVE, fields, today=REF, context=CONTEXT) == first
    assert first == without_store(RELATIVE, fields, today=REF, context=CONTEXT)


class FailingStore:
    """A store that cannot be read or written (a full disk, a bug)."""

    def __init__(self) -> None:
        self.asked = 0

    def get(self, key: bytes) -> Any | None:
        self.asked += 1
        raise OSError("cannot read")

    def put(self, key: bytes, data: Any) -> None:
        self.asked += 1
        raise OSError("cannot write")


def test_a_failing_store_only_means_linting(store: DictStore) -> None:
    failing = FailingStore()
    use_store(failing)
    result = lint(RELATIVE, {"target": 56_000_000}, today=REF, context=CONTEXT)
    assert failing.asked == 2  # asked, then told: the failures were met, not avoided
    assert result == without_store(RELATIVE, {"target": 56_000_000}, today=REF, context=CONTEXT)


def test_no_fields_and_json_fields_use_the_store(store: DictStore) -> None:
    lint(NAMED, None, today=REF, context=CONTEXT)
    lint(NAMED, {}, today=REF, context=CONTEXT)  # the same inputs as None
    lint(NAMED, {"owner": "王磊", "baseline": 1.5, "history_yoy_growth": [0.1, None]}, today=REF)
    assert len(store.puts) == 2 and len(store.data) == 2


def test_use_store_gives_the_store_used_until_now(store: DictStore) -> None:
    other = DictStore()
    assert use_store(other) is store
    assert use_store(store) is other


def test_a_result_linted_before_a_store_was_used_is_kept_when_asked_again_with_one(
    store: DictStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The TUI's goals screen lints without a store; its sharing screen's brief then asks for
    the same verdicts with one: they are kept, not linted again."""
    use_store(None)
    first = lint(RELATIVE, {"target": 56_000_000}, today=REF, context=CONTEXT)
    assert store.data == {}
    use_store(store)
    lints = count_lints(monkeypatch)
    assert lint(RELATIVE, {"target": 56_000_000}, today=REF, context=CONTEXT) is first
    assert lints == [] and len(store.data) == 1
    clear_cache()
    assert lint(RELATIVE, {"target": 56_000_000}, today=REF, context=CONTEXT) == first
    assert lints == []


def test_threads_linting_at_once_never_trip_on_each_others_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The goal editor lints on every key while the sharing screen's worker lints a brief:
    one evicting a result another has just found must not raise."""
    import sys
    import threading

    monkeypatch.setattr(engine, "_CACHE_SIZE", 4)
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    errors: list[BaseException] = []
    texts = [f"2025年底前把北辰能源的年采购额提升到{n}万元" for n in range(5)]

    def work() -> None:
        try:
            for _ in range(200):
                for text in texts:
                    lint(text, today=REF, context=CONTEXT)
        except BaseException as exc:  # reported below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(before)
        clear_cache()
    assert errors == []


# --- stored goals, found by their workspace's version ----------------------------------------


def test_a_stored_goal_is_found_by_its_snapshots_version_but_an_edited_copy_is_not(
    store: DictStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaplan_tui.core.lint import lint_goal
    from kaplan_tui.core.lint import workspace as lint_workspace
    from kaplan_tui.core.models import Account, Goal
    from kaplan_tui.core.settings import Settings
    from kaplan_tui.core.snapshot import Snapshot

    goal = Goal(id="goal-1", statement=NAMED, start=date(2025, 5, 1))  # read, not today
    accounts = {"acc-1": Account(id="acc-1", name="蓝海")}
    settings = Settings(name="ws")
    snapshot = Snapshot(settings, accounts=accounts, goals={"goal-1": goal}, version="v1")
    first = lint_goal(goal, snapshot, today=REF)
    assert first.criteria["specific"] == "pass"

    clear_cache()  # a new process, the same files
    made = count_fields_made(monkeypatch)
    again = Snapshot(settings, accounts=accounts, goals={"goal-1": goal}, version="v1")
    refuse_lints(monkeypatch)
    assert lint_goal(goal, again, today=REF) == first and made == []
    # another day: its inputs are made again (and its verdict found by them)
    assert lint_goal(goal, again, today=date(2025, 6, 2)) == first and made == ["goal-1"]
    monkeypatch.undo()

    # an edited copy of the stored goal (the editor's) is linted for itself
    edited = goal.model_copy(update={"statement": "2025年底前拿下新客户"})
    assert lint_goal(edited, again, today=REF) == without_store(
        edited.statement, lint_workspace.fields_from_goal(edited, again, today=REF),
        today=REF, context=lint_workspace.context_from_snapshot(again),
    )  # fmt: skip
    # a snapshot of unknown contents is never found by version
    unknown = Snapshot(settings, accounts={}, goals={"goal-1": goal})
    assert lint_goal(goal, unknown, today=REF).criteria["specific"] != "pass"
