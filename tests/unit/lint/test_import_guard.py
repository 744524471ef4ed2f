"""Importing and running the linter loads no Textual, no pydantic and no NLP library."""

from __future__ import annotations

import subprocess
import sys

_FORBIDDEN = (
    "textual", "pydantic", "jieba", "rjieba", "dateparser", "cn2an", "chinese2digits", "numpy",
    "regex", "recognizers_text", "jionlp", "spacy", "spacy_pkuseg", "opencc", "ctparse",
    "tinydb", "kaplan_tui.storage", "kaplan_tui.ui",
)  # fmt: skip


def test_lint_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from kaplan_tui.core.lint import lint\n"
        "r = lint('2025年底前将华东区A类客户的销售额提升到500万元', {'target': 5e6})\n"
        "assert r.score > 0\n"
        f"bad = sorted(m for m in sys.modules if any(m == f or m.startswith(f + '.') "
        f"for f in {_FORBIDDEN!r}))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
