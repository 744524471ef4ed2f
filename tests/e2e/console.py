"""The real ``kaplan`` console script, for tests that run it as a process."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest


def kaplan_bin() -> str:
    """The real console script of the environment running the tests."""
    beside = Path(sys.executable).parent / "kaplan"
    found = str(beside) if beside.exists() else shutil.which("kaplan")
    if found is None:
        pytest.skip("the kaplan console script is not installed")
    return found
