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
