"""The pure core imports no Textual and no file-system layer (STYLE rule 2)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import kaplan_tui.core


def test_core_does_not_import_textual_or_storage() -> None:
    modules = [m.name for m in pkgutil.walk_packages(kaplan_tui.core.__path__, "kaplan_tui.core.")]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tinydb')\n"
        "             or m.startswith('kaplan_tui.storage') or m.startswith('kaplan_tui.ui'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
