"""The ``kaplan`` command line. Each module below adds its subcommands to :data:`main`."""

from kaplan_tui.cli import brief_cmd  # noqa: F401
from kaplan_tui.cli import crm_cmd  # noqa: F401
from kaplan_tui.cli import generate_cmd  # noqa: F401
from kaplan_tui.cli import lint_cmd  # noqa: F401
from kaplan_tui.cli import plan_cmds  # noqa: F401
from kaplan_tui.cli import workspace_cmds  # noqa: F401  (registers commands)
from kaplan_tui.cli.base import main

__all__ = ["main"]
