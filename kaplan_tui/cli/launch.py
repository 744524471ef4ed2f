"""The ``kaplan`` console script: ``kaplan`` and ``kaplan PATH`` open the TUI straight away;
everything else goes to the click command group (:mod:`kaplan_tui.cli`).

Opening the TUI is what people do most, over SSH, and its first frame is measured against a
bare Textual app (DESIGN §8): this path imports neither click nor the command modules.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

COMMANDS = frozenset(
    {
        # kaplan_tui/cli/workspace_cmds.py
        "open",
        "demo",
        "init",
        "doctor",
        "export",
        "import",
        "migrate",
        "restore",
        "locate",
        # LAZY_COMMANDS in kaplan_tui/cli/base.py
        "lint",
        "segment",
        "check",
        "agenda",
        "brief",
        "import-crm",
        "generate",
    }
)
"""Every subcommand's name (a test keeps this in step with the click group)."""

QUICK_EXIT = frozenset({"brief", "check", "agenda", "lint"})
"""Commands that only read the workspace: once one has written its output and flushed it, the
process ends at once, without freeing its objects one by one (for a brief of a 10k-account
workspace, some 200k records and strings: 0.3 s, a third of DESIGN's budget). Nothing they
hold needs tidying at exit: they take no lock and every file they write is closed by then."""


def run_tui(path: Path, lang: str | None) -> None:
    """Open the TUI on the workspace at ``path``; exit 2 when there is none.

    Only a glance at ``kaplan.toml`` here: the app paints its first frame, then opens the
    workspace (models, every record) in the background.
    """
    from kaplan_tui.i18n import default_lang, t
    from kaplan_tui.storage.peek import peek

    root = path.absolute()
    seen = peek(root) if root.is_dir() else None
    if seen is None:
        print(t("cli.not_a_workspace", default_lang(), path=path), file=sys.stderr)
        sys.exit(2)
    from kaplan_tui.ui.app import KaplanApp  # Textual is imported only for the TUI

    language = lang if lang in ("zh", "en") else seen.language
    app = KaplanApp(root, language, name=seen.name)  # type: ignore[arg-type]
    app.run()
    if app.return_code:  # the workspace could not be opened; the app printed why
        sys.exit(app.return_code)


def main(argv: list[str] | None = None) -> None:
    """The console script."""
    args = sys.argv[1:] if argv is None else argv
    if not args or (len(args) == 1 and not args[0].startswith("-") and args[0] not in COMMANDS):
        run_tui(Path(args[0] if args else "."), None)
        return
    from kaplan_tui.cli import main as group

    if argv is not None or args[0] not in QUICK_EXIT or _watched():
        group(args)
        return
    try:
        group(args)
    except SystemExit as stop:
        code = _exit_code(stop.code)
    else:
        code = 0
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: what Python's own exit reports too
            code = code or 1
    os._exit(code)


def _watched() -> bool:
    """True under a profiler, a tracer or coverage, which write their findings at exit."""
    return sys.getprofile() is not None or sys.gettrace() is not None or "coverage" in sys.modules


def _exit_code(code: object) -> int:
    """The process's exit status for ``SystemExit(code)``, as Python's own exit makes it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
