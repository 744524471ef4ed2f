"""The ``kaplan`` command line.

The console script is :func:`kaplan_tui.cli.launch.main`: ``kaplan [PATH]`` opens the TUI
without importing click. ``main`` here is the click group; importing it registers the
workspace commands, and the others are imported on first use (``LAZY_COMMANDS`` in
:mod:`kaplan_tui.cli.base`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kaplan_tui.cli.base import main

__all__ = ["main"]


def __getattr__(name: str) -> Any:
    if name != "main":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from kaplan_tui.cli import workspace_cmds  # noqa: F401  (importing it registers its commands)
    from kaplan_tui.cli.base import main

    globals()["main"] = main
    return main
