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


def test_the_tui_paints_before_the_models_and_storage_load() -> None:
    """`kaplan PATH` imports only Textual and light modules before its first frame: pydantic,
    the models, TinyDB and the engines load in the background afterwards (DESIGN §8 budget)."""
    code = (
        "import sys\n"
        "import kaplan_tui.cli.launch, kaplan_tui.storage.peek, kaplan_tui.ui.app\n"
        "from kaplan_tui.i18n import t\n"
        "t('ui.screen.segmentation', 'en')\n"
        "heavy = ('click', 'pydantic', 'tinydb', 'kaplan_tui.core.models',\n"
        "         'kaplan_tui.core.planning', 'kaplan_tui.cli.base',\n"
        "         'kaplan_tui.core.lint', 'kaplan_tui.storage.workspace')\n"
        "bad = sorted(m for m in sys.modules if m.startswith(heavy))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
