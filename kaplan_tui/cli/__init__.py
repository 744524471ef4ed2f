"""The ``kaplan`` command line.

The workspace commands are registered here; the others are imported on first use
(``LAZY_COMMANDS`` in :mod:`kaplan_tui.cli.base`).
"""

from kaplan_tui.cli import workspace_cmds  # noqa: F401  (importing it registers its commands)
from kaplan_tui.cli.base import main

__all__ = ["main"]
