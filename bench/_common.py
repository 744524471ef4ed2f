"""What the benchmark scripts share."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_workspace"
BIG = {"accounts": 10_000, "goals": 2_000, "checkins": 50_000}
"""The DESIGN §8 big workspace: 10k accounts / 2k goals / 50k check-ins."""


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


def generate_big(path: Path, lang: str | None = "en") -> float:
    """Make the big workspace at ``path`` (``kaplan generate``, seed 1); its wall time in s."""
    args = [kaplan(), "generate", str(path), "--seed", "1"]
    args += ["--lang", lang] if lang else []
    args += [x for k, v in BIG.items() for x in (f"--{k}", str(v))]
    began = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


def copy_sample(path: Path) -> Path:
    """A private copy of the repository's sample workspace at ``path`` (never written to)."""
    shutil.copytree(SAMPLE, path, ignore=shutil.ignore_patterns(".kaplan"))
    return path
