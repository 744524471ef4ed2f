"""Every rule runs its own firing and non-firing examples, in both languages."""

from __future__ import annotations

import re
from datetime import date

import pytest

from kaplan_tui.core.lint import RULES, Example, Rule, lint

REFERENCE = date(2025, 6, 1)
"""The corpus reference date (smart-corpus/README.md)."""

_PAIRS = [(rule, i, example) for rule in RULES for i, example in enumerate(rule.examples)]
_CASES = [
    pytest.param(
        rule, example, id=f"{rule.id}-{example.lang}-{'fires' if example.fires else 'quiet'}-{i}"
    )
    for rule in RULES
    for i, example in enumerate(rule.examples)
]

_FIRING = [
    pytest.param(rule, example, id=f"{rule.id}-{example.lang}-{i}")
    for rule, i, example in _PAIRS
    if example.fires
]


def test_rule_ids_are_unique_and_well_formed() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.id.startswith("SMART-") and rule.id[6] in "SMARTX", rule.id


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_has_examples_both_ways_in_both_languages(rule: Rule) -> None:
    for lang in ("zh", "en"):
        kinds = {e.fires for e in rule.examples if e.lang == lang}
        assert kinds == {True, False}, f"{rule.id} {lang}: {kinds}"


@pytest.mark.parametrize(("rule", "example"), _CASES)
def test_example(rule: Rule, example: Example) -> None:
    result = lint(example.text, dict(example.fields), today=REFERENCE)
    mine = [d for d in result.diagnostics if d.rule == rule.id]
    if not example.fires:
        assert not mine, [d.message for d in mine]
        return
    assert mine, f"{rule.id} did not fire on {example.text!r}"
    for d in mine:
        assert d.criterion == rule.criterion
        assert 0 <= d.start <= d.end <= len(example.text)
        assert d.message
    if example.match is not None:
        assert example.match in [example.text[d.start : d.end] for d in mine]


@pytest.mark.parametrize(("rule", "example"), _FIRING)
def test_messages_exist_in_both_languages(rule: Rule, example: Example) -> None:
    for lang in ("zh", "en"):
        result = lint(example.text, dict(example.fields), lang=lang, today=REFERENCE)
        mine = [d for d in result.diagnostics if d.rule == rule.id]
        assert mine and all(d.message for d in mine)
        # Fix phrases inside a message follow the goal's language; the sentence itself follows
        # the message language.
        if lang == "en":
            assert all(re.search("[A-Za-z]{3,}", d.message) for d in mine)
        else:
            assert all(re.search("[\u4e00-\u9fff]", d.message) for d in mine)


@pytest.mark.parametrize(("rule", "example"), _FIRING)
def test_applying_a_fix_removes_its_finding(rule: Rule, example: Example) -> None:
    result = lint(example.text, dict(example.fields), today=REFERENCE)
    for d in result.diagnostics:
        if d.rule != rule.id or d.fix is None:
            continue
        fixed = d.fix.apply(example.text)
        again = lint(fixed, dict(example.fields), today=REFERENCE)
        same = [x for x in again.diagnostics if x.rule == d.rule and x.message == d.message]
        assert not same, f"{d.rule}: fix {d.fix} left {fixed!r} with the same finding"
