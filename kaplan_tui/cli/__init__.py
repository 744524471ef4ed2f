"""The ``kaplan`` command line. Each module below adds its subcommands to :data:`main`."""

from kaplan_tui.cli import (  # noqa: F401  (importing a module registers its commands)
    brief_cmd,
    crm_cmd,
    generate_cmd,
    lint_cmd,
    plan_cmds,
    workspace_cmds,
)
from kaplan_tui.cli.base import main

__all__ = ["main"]
