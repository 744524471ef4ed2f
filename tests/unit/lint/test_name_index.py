"""The context's name index finds exactly what a plain search over every name finds."""

from __future__ import annotations

import random

from kaplan_tui.core.lint import LintContext, clear_cache, lint
from kaplan_tui.core.lint.contexts import name_index
from kaplan_tui.core.lint.facts import _ORG_SUFFIX, NameIndex, _core, _find_names
from kaplan_tui.core.lint.normalize import normalize, normalize_all

NAMES = (
    "Globex Corporation",
    "Globex",
    "Initech Inc.",
    "ACME",
    "AB",
    "華為技術有限公司",
    "华为",
    "比亚迪股份有限公司",
    "金丰汽车集团",
    "Ｓｈｉｊｉａｚｈｕａｎｇ Steel Co., Ltd.",
    "Shijiazhuang Steel Group",
    "华东",
    "DACH",
    "x",
    "",
    "Globex",  # a name may come twice (an account and a segment)
)

TEXTS = (
    "",
    "Grow Globex ARR to $2M by Q4 2025",
    "Grow Globexx ARR",
    "globex corporation and initech: renew both",
    "把华为技术的销售额提升到500万元",
    "把華為的续约率提升到92%",
    "比亚迪和金丰汽车年底前各签一单",
    "Shijiazhuang Steel, Shijiazhuang Steel Group, ＳＨＩＪＩＡＺＨＵＡＮＧ steel",
    "ABACME AB ACME in DACH and 华东区",
    "aab abx xab",
)


def test_index_finds_what_a_plain_search_finds() -> None:
    index = NameIndex(NAMES)
    for text in TEXTS:
        assert index.find(text, text.lower()) == _find_names(text, NAMES), text


def test_names_are_normalised_like_goal_text() -> None:
    for names in (NAMES, ("Globex", "华东", ""), ()):
        assert normalize_all(names) == [normalize(n) for n in names]


def test_index_on_random_texts_made_of_name_pieces() -> None:
    rng = random.Random(7)
    pieces = [n for n in NAMES if n] + [" ", "x", "s", "，", "的", "Co.", "-", "Globe", "华"]
    index = NameIndex(NAMES)
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert index.find(text, text.lower()) == _find_names(text, NAMES), text


def test_index_is_made_once_per_context_and_shared_by_equal_ones() -> None:
    ctx = LintContext(account_names=("Globex",), region_names=("华东",))
    assert name_index(ctx) is name_index(ctx)
    assert name_index(LintContext(account_names=("Globex",), region_names=("华东",))) is (
        name_index(ctx)
    )
    assert name_index(LintContext(account_names=("Initech",))).names == ("Initech",)


def test_equal_contexts_share_cached_results() -> None:
    clear_cache()
    a = lint("Grow Globex ARR to $2M by Q4 2025", context=LintContext(account_names=("Globex",)))
    b = lint("Grow Globex ARR to $2M by Q4 2025", context=LintContext(account_names=("Globex",)))
    assert a is b
    c = lint("Grow Globex ARR to $2M by Q4 2025", context=LintContext(account_names=("Initech",)))
    assert c is not a


class _CountingNames(tuple[str, ...]):
    """A names tuple that counts how often it is compared."""

    compared = 0

    def __eq__(self, other: object) -> bool:
        _CountingNames.compared += 1
        return tuple.__eq__(self, other)

    __hash__ = tuple.__hash__


def test_a_reloaded_workspace_compares_its_context_once_not_per_lint() -> None:
    # The TUI after a reload builds an equal context from new objects; its lints reuse the
    # earlier results and index without comparing thousands of names on every call.
    names = tuple(f"Account {i:05d} Corp" for i in range(2000))
    texts = [f"Grow Account {i:05d} ARR to $2M by Q4 2025" for i in range(0, 2000, 40)]
    first = LintContext(account_names=_CountingNames(names))
    second = LintContext(account_names=_CountingNames(names))
    clear_cache()
    before = [lint(t, context=first) for t in texts]
    _CountingNames.compared = 0
    after = [lint(t, context=second) for t in texts]
    assert all(a is b for a, b in zip(before, after, strict=True))
    assert _CountingNames.compared <= 1
    assert name_index(second) is name_index(first)


def test_a_names_core_is_what_the_suffix_pattern_leaves() -> None:
    # _core reads the usual names without _ORG_SUFFIX; it must leave exactly what the regex does.
    names = [
        "Globex Corp.",
        "Globex Corporation",
        "Globex corp",
        "Globex INC",
        "Globex Inc .",
        "Globex Inc..",
        "Globex\tLtd.",
        "Globex \x1c Group",
        "Globex  Holdings",
        "Globex-Co",
        "Co.",
        "Globex Co., Ltd.",
        "Globex Kelvin Co",
        "Globex Incorporated",
        "Ｇｌｏｂｅｘ Co.",
        "Globex \u212aorp",
        "Globex \u3000Inc",
        "比亚迪股份有限公司",
        "金丰汽车集团",
        "华为 公司",
        "ACME集团有限公司",
        "ACME 控股 Ltd",
        "",
        "x",
    ]
    rng = random.Random(11)
    words = ["Globex", "co", "Inc", "LTD", "group", "集团", "公司", ".", " ", "\t", "\u00a0", "ſ"]
    names += ["".join(rng.choice(words) for _ in range(rng.randint(1, 5))) for _ in range(2000)]
    for name in names:
        norm = normalize(name).strip()
        assert _core(norm) == _ORG_SUFFIX.sub("", norm).strip(), repr(name)


def test_normalising_many_texts_translates_exactly_those_that_need_it() -> None:
    rng = random.Random(5)
    pieces = ["華", "Ａ", "a", "\n", "", "x y", "（", "华", "\u3000"]
    for _ in range(500):
        texts = [
            "".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
            for _ in range(rng.randint(0, 6))
        ]
        assert normalize_all(texts) == [normalize(t) for t in texts], texts
