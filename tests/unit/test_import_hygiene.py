"""The pure core imports no Textual and no file-system layer (STYLE rule 2)."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

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


def test_a_brief_from_a_cached_workspace_builds_no_validator(tmp_path: Path) -> None:
    """Once the record cache holds a workspace, a brief validates nothing: pydantic builds a
    model's validator on first use (5-30 ms each, and on the first it looks for plugins through
    importlib.metadata), which is a tenth of DESIGN's budget for a brief (§8). Nor does it
    import modules only other work needs."""
    root = tmp_path / "ws"
    shutil.copytree(Path(__file__).resolve().parents[2] / "sample_workspace", root)
    code = (
        "import sys\n"
        "from kaplan_tui.cli import main\n"
        "args = ['brief', sys.argv[1], '--audience', 'team', '--as-of', '2026-11-25',\n"
        "        '--out', '-', '--lang', 'en']\n"
        "try:\n"
        "    main(args)\n"
        "except SystemExit as stop:\n"
        "    assert stop.code == 0, stop.code\n"
        "from pydantic import BaseModel\n"
        "from kaplan_tui.core import models, settings\n"
        "classes = [c for m in (models, settings) for c in vars(m).values()\n"
        "           if isinstance(c, type) and issubclass(c, BaseModel)]\n"
        "built = sorted(c.__name__ for c in classes if c.__pydantic_complete__)\n"
        "built += [m for m in ('importlib.metadata',) if m in sys.modules]\n"
        "# nor does it import what only other work needs: scoring, run changes, TOML\n"
        "unused = ('kaplan_tui.core.planning.scoring', 'kaplan_tui.core.planning.changes',\n"
        "          'tomllib', 'tomli_w')\n"
        "built += [m for m in unused if m in sys.modules]\n"
        "assert sys.argv[2] == 'first' or not built, built\n"
    )
    for run in ("first", "again"):  # the first run fills the cache
        done = subprocess.run(
            [sys.executable, "-c", code, str(root), run], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("# ")


def test_the_planning_package_names_every_function_it_lists() -> None:
    """Its modules load when one of their names is first read; every name listed is there."""
    code = (
        "import sys\n"
        "import kaplan_tui.core.planning as planning\n"
        "assert 'kaplan_tui.core.planning.scoring' not in sys.modules\n"
        "from kaplan_tui.core.planning import rollup_by\n"
        "assert 'kaplan_tui.core.planning.scoring' not in sys.modules\n"
        "for name in planning.__all__:\n"
        "    assert callable(getattr(planning, name)), name\n"
        "try:\n"
        "    planning.no_such_name\n"
        "except AttributeError as exc:\n"
        "    assert 'no_such_name' in str(exc)\n"
        "else:\n"
        "    raise AssertionError('no error')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
