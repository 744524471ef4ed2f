"""Shared data for the lint tests: the labelled corpus in ``tests/data/smart``."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

CORPUS_DIR = Path(__file__).resolve().parents[2] / "data" / "smart"
REFERENCE = date(2025, 6, 1)
"""The corpus's default reference date (smart-corpus/README.md)."""


def load_corpus() -> list[dict[str, Any]]:
    """Every labelled goal of every corpus file, in file order."""
    rows: list[dict[str, Any]] = []
    for path in sorted(CORPUS_DIR.glob("*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh if line.strip()]
    return rows


@pytest.fixture(scope="session")
def corpus() -> list[dict[str, Any]]:
    """The labelled goals."""
    return load_corpus()
