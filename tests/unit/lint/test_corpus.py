"""The labelled corpus: size, mix of languages and scripts, and the >= 95% agreement gate."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from kaplan_tui.core.lint import CRITERIA, lint

REFERENCE = date(2025, 6, 1)
"""The corpus reference date (smart-corpus/README.md)."""

_LABEL = {"pass": True, "warn": True, "fail": False, "unknown": None}


def _disagreements(corpus: list[dict[str, Any]]) -> tuple[int, list[str]]:
    total, wrong = 0, []
    for row in corpus:
        result = lint(row["text"], row.get("fields") or {}, today=REFERENCE)
        for criterion in CRITERIA:
            total += 1
            got = _LABEL[result.criteria[criterion]]
            if got != row["expect"][criterion]:
                wrong.append(
                    f"{row['id']} {criterion}: expected {row['expect'][criterion]}, got "
                    f"{result.criteria[criterion]} ({row['text']})"
                )
    return total, wrong


def test_corpus_is_large_and_mixed(corpus: list[dict[str, Any]]) -> None:
    ids = [row["id"] for row in corpus]
    assert len(ids) == len(set(ids)), "ids must be unique"
    assert len(corpus) >= 120
    zh = [row for row in corpus if row["lang"] == "zh"]
    assert len(zh) * 2 >= len(corpus)
    texts = [row["text"] for row in corpus]
    assert sum(bool(re.search("[將營達萬億區業與續額內個週單為戶銷關係]", t)) for t in texts) >= 5
    assert sum(bool(re.search("[\uff10-\uff5a]", t)) for t in texts) >= 3  # full-width
    mixed_zh = [r for r in zh if re.search("[A-Za-z]{3,}", r["text"])]
    mixed_en = [r for r in corpus if r["lang"] == "en" and re.search("[\u4e00-\u9fff]", r["text"])]
    assert len(mixed_zh) >= 5 and len(mixed_en) >= 2
    for row in corpus:
        assert set(row["expect"]) == set(CRITERIA), row["id"]


def test_label_agreement_at_least_95_percent(corpus: list[dict[str, Any]]) -> None:
    total, wrong = _disagreements(corpus)
    agreement = 1 - len(wrong) / total
    assert agreement >= 0.95, "\n".join(wrong)


def test_every_criterion_has_false_cases(corpus: list[dict[str, Any]]) -> None:
    """The gate could not pass by always saying 'pass'."""
    for criterion in CRITERIA:
        assert sum(row["expect"][criterion] is False for row in corpus) >= 5, criterion
