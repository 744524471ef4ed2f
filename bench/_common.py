"""What the benchmark scripts share."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def kaplan() -> str:
    """The ``kaplan`` console script of this interpreter's environment."""
    here = Path(sys.executable).parent / "kaplan"
    found = str(here) if here.exists() else shutil.which("kaplan")
    if not found:
        sys.exit("kaplan is not installed in this environment")
    return found


def with_bytecode_cache(env: dict[str, str], folder: Path) -> dict[str, str]:
    """``env`` with Python's bytecode cache on, kept in ``folder``.

    Installed Kaplan runs from compiled bytecode (pip compiles a wheel on install). Where
    ``PYTHONDONTWRITEBYTECODE`` is set, as on some build machines, every child would compile
    Kaplan's sources afresh while Textual's compiled files were made at install: an unfair
    start-up figure. The cache goes to ``folder`` (``PYTHONPYCACHEPREFIX``), never the tree.
    """
    out = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out["PYTHONPYCACHEPREFIX"] = str(folder)
    return out
