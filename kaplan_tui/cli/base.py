"""The ``kaplan`` command group and what every subcommand shares: exit codes, output, opening
a workspace.

Textual is imported only by the commands that open the TUI, so headless commands start fast.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
import orjson

from kaplan_tui import __version__
from kaplan_tui.i18n import Lang, default_lang, t

EXIT_OK = 0
EXIT_PROBLEMS = 1
"""Validation problems or findings at error level."""
EXIT_USAGE = 2
"""Usage error, or not a workspace."""
EXIT_CONFLICT = 3
"""A change was based on a stale ``rev``."""


LAZY_COMMANDS: dict[str, str] = {
    "lint": "kaplan_tui.cli.lint_cmd",
    "segment": "kaplan_tui.cli.plan_cmds",
    "check": "kaplan_tui.cli.plan_cmds",
    "agenda": "kaplan_tui.cli.plan_cmds",
    "brief": "kaplan_tui.cli.brief_cmd",
    "import-crm": "kaplan_tui.cli.crm_cmd",
    "generate": "kaplan_tui.cli.generate_cmd",
}
"""Commands whose module (and the engine behind it) is imported only when the command runs,
so that ``kaplan PATH`` and the light commands start without loading the lint engine, the
planning engine or the brief renderer."""


class DefaultGroup(click.Group):
    """A group whose default command is ``open``: ``kaplan`` and ``kaplan PATH`` open the TUI."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            importlib.import_module(LAZY_COMMANDS[cmd_name])  # registers on this group
        return self.commands.get(cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args:
            args = ["open"]
        elif (
            args[0] not in self.commands
            and args[0] not in LAZY_COMMANDS
            and not args[0].startswith("-")
        ):
            args = ["open", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kaplan")
def main() -> None:
    """Kaplan: plan key-account sales targets in the terminal.

    `kaplan [PATH]` opens the workspace at PATH (default: the current folder).
    """


def say(message: str) -> None:
    """A message for the user, on stderr (stdout is for data)."""
    click.echo(message, err=True)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Say ``message`` on stderr and exit with ``code``."""
    say(message)
    sys.exit(code)


def parse_date(value: str | None, lang: Lang, message_key: str) -> dt.date:
    """An ISO date option (``YYYY-MM-DD``), today when not given; exit 2 with ``message_key``
    (a catalogue message taking ``{value}``) when it does not parse."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(t(message_key, lang, value=value), EXIT_USAGE)


def emit_json(data: Any) -> None:
    """One JSON document on stdout, UTF-8."""
    sys.stdout.buffer.write(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    sys.stdout.flush()


def emit_jsonl(data: Any) -> None:
    """One JSON Lines record on stdout, UTF-8."""
    sys.stdout.buffer.write(orjson.dumps(data) + b"\n")


def open_workspace(path: Path, *, read_only: bool = False) -> Any:
    """Open the workspace at ``path``, or exit 2 with how to make one."""
    from kaplan_tui.storage import NotAWorkspaceError, Workspace

    try:
        return Workspace.open(path, read_only=read_only)
    except NotAWorkspaceError:
        fail(t("cli.not_a_workspace", default_lang(), path=path), EXIT_USAGE)


def pick_lang(option: str | None, workspace: Any | None = None) -> Lang:
    """The language of messages: the option, else the workspace's, else the environment's."""
    if option in ("zh", "en"):
        return option  # type: ignore[return-value]
    if workspace is not None:
        lang: Lang = workspace.settings.language
        return lang
    return default_lang()


workspace_path = click.argument(
    "path", type=click.Path(path_type=Path, file_okay=False), default=Path(".")
)
"""The PATH argument of commands that work on a workspace."""

lang_option = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of messages."
)
