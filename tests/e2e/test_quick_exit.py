"""The commands that end their process at once once their output is flushed (``QUICK_EXIT`` in
kaplan_tui/cli/launch.py: brief, check, agenda, lint), run as the real ``kaplan`` console
script: their whole output reaches a pipe, their exit codes and messages are what the same
command gives in-process, and what they keep (lint results) is saved before they end."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kaplan_tui.cli import launch, main
from kaplan_tui.core.lint import clear_cache
from kaplan_tui.core.lint.store import from_data
from kaplan_tui.core.models import Goal
from kaplan_tui.storage import Workspace, lint_results
from kaplan_tui.storage.cache import RecordCache

from .console import kaplan_bin

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("cache_dir")]

SAMPLE = Path(__file__).resolve().parents[2] / "sample_workspace"
AS_OF = "2026-11-25"
TEAM = ["--audience", "team", "--out", "-", "--as-of", AS_OF]
CORPUS = Path(__file__).resolve().parents[1] / "data" / "smart" / "dev.jsonl"
"""Goals as JSON Lines, the shape of ``kaplan lint --input``."""


def user_env() -> dict[str, str]:
    """The environment a user runs ``kaplan`` in: output to a pipe is buffered (this test run
    may have PYTHONUNBUFFERED set, which would hide output a process ends without writing)."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def kaplan(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    """Run ``kaplan ARGS`` as a separate process, its output to pipes, and wait for it."""
    return subprocess.run(
        [kaplan_bin(), *map(str, args)], capture_output=True, timeout=120, env=user_env()
    )


def in_process(*args: str | Path) -> tuple[int, bytes, bytes]:
    """The same command run in this process (click's runner): code, stdout, stderr."""
    clear_cache()
    result = CliRunner().invoke(main, [str(a) for a in args])
    clear_cache()
    return result.exit_code, result.stdout_bytes, result.stderr_bytes


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root)
    return root


def test_a_brief_to_a_pipe_is_complete_and_the_process_exits_0(ws: Path) -> None:
    code, expected, _ = in_process("brief", ws, *TEAM)
    assert code == 0 and len(expected) > 64 * 1024  # more than a pipe's buffer
    for _ in range(2):  # linting everything, then with the results kept by the first
        done = kaplan("brief", ws, *TEAM)
        assert done.returncode == 0, done.stderr.decode()
        assert done.stdout == expected
        assert done.stderr == b""


def test_the_results_a_brief_process_keeps_are_saved_before_it_ends(ws: Path) -> None:
    done = kaplan("brief", ws, *TEAM)
    assert done.returncode == 0, done.stderr.decode()
    data = RecordCache(ws).read(lint_results.FILE)
    assert data is not None, "the process ended before it saved its lint results"
    fmt, _, results = marshal.loads(data)
    assert fmt == lint_results.FORMAT
    store = Workspace.open(ws, read_only=True).lint_results()
    kept = [store.get(key) for key in results]
    # a verdict for every open goal of the sample, and the key of each by goal and version
    aliases = [data for data in kept if type(data) is bytes]
    assert len(aliases) >= 40 and set(aliases) <= set(results)
    verdicts = [from_data(data) for data in kept if type(data) is not bytes]
    assert len(verdicts) >= 40
    texts = {verdict.text for verdict in verdicts}
    goals = Workspace.open(ws, read_only=True).all(Goal)
    assert texts <= {goal.statement for goal in goals}


def test_a_brief_for_nobody_exits_2_with_its_message_on_stderr(ws: Path) -> None:
    args = ("brief", ws, "--audience", "person", "--for", "nobody", "--as-of", AS_OF)
    done = kaplan(*args)
    code, out, err = in_process(*args)
    assert (done.returncode, code) == (2, 2)
    assert b"nobody" in done.stderr
    assert done.stderr == err and done.stdout == out == b""


def _healthy(root: Path) -> Path:
    """A workspace whose check finds no error: one goal, SMART enough."""
    workspace = Workspace.init(root, name="healthy")
    workspace.create(
        Goal(id="goal-1", statement="2026年12月31日前与金丰汽车续签三年框架协议,合同额1000万元")
    )
    return root


@pytest.mark.parametrize("json", [False, True], ids=["text", "json"])
def test_check_exits_as_in_process_with_its_whole_report(
    json: bool, ws: Path, tmp_path: Path
) -> None:
    flags = ["--json"] if json else []
    for root, expected_code in ((ws, 1), (_healthy(tmp_path / "healthy"), 0)):
        code, out, err = in_process("check", root, *flags)
        assert code == expected_code, out.decode()
        for _ in range(2):  # the second with the lint results kept
            done = kaplan("check", root, *flags)
            assert done.returncode == code, done.stderr.decode()
            assert done.stdout == out
            assert done.stderr == err


def test_check_of_no_workspace_exits_2(tmp_path: Path) -> None:
    done = kaplan("check", tmp_path / "nowhere")
    assert done.returncode == 2 == in_process("check", tmp_path / "nowhere")[0]
    assert done.stderr and done.stdout == b""


@pytest.mark.parametrize(
    "args",
    [
        ("agenda", "{ws}", "--as-of", AS_OF),
        ("agenda", "{ws}", "--as-of", AS_OF, "--json"),
        ("lint", "尽快提升重点客户满意度"),
        ("lint", "2025年12月31日前,将华东区A类客户的年销售额提高10%,达到500万元", "--json"),
        ("lint", "--workspace", "{ws}", "--json", "--today", AS_OF),
        ("lint", "--workspace", "{ws}", "--today", AS_OF),
        ("lint", "--input", "{corpus}", "--json", "--today", "2025-06-01"),
    ],
    ids=[
        "agenda",
        "agenda-json",
        "lint-fail",
        "lint-json",
        "lint-workspace-json",
        "lint-workspace",
        "lint-input-json",
    ],
)
def test_agenda_and_lint_exit_as_in_process_with_their_whole_output(
    args: tuple[str, ...], ws: Path
) -> None:
    argv = [a.format(ws=ws, corpus=CORPUS) for a in args]
    code, out, err = in_process(*argv)
    done = kaplan(*argv)
    assert done.returncode == code, done.stderr.decode()
    assert done.stdout == out and out
    assert done.stderr == err


def test_a_reader_gone_gives_a_failure_without_a_traceback(ws: Path, tmp_path: Path) -> None:
    """``kaplan check | head`` once head has gone: the output cannot be written; the process
    says so by its exit code, not with a traceback, and does not hang."""
    for args in (("check", ws), ("check", _healthy(tmp_path / "healthy")), ("brief", ws, *TEAM)):
        read, write = os.pipe()
        os.close(read)  # nobody will read what it writes
        try:
            proc = subprocess.Popen(
                [kaplan_bin(), *map(str, args)],
                stdout=write,
                stderr=subprocess.PIPE,
                env=user_env(),
            )
        finally:
            os.close(write)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, (args, err.decode())
        assert b"Traceback" not in err, err.decode()


EXITS: list[Any] = [None, 0, 1, 2, 3, 255, 256, 257, -1, True, False, "stopped: 停止"]


@pytest.mark.parametrize("code", EXITS, ids=[repr(c) for c in EXITS])
def test_exit_codes_are_what_python_makes_of_system_exit(
    code: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    python = subprocess.run(
        [sys.executable, "-c", f"raise SystemExit({code!r})"], capture_output=True, timeout=60
    )
    assert launch._exit_code(code) == python.returncode
    assert capsys.readouterr().err.encode() == python.stderr


def test_main_given_its_arguments_returns_as_click_does(
    ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests (and any caller in-process) give ``main`` its arguments: it never ends the
    process."""

    def refuse(code: int) -> None:
        raise AssertionError(f"os._exit({code}) in a caller's process")

    monkeypatch.setattr(os, "_exit", refuse)
    with pytest.raises(SystemExit) as stop:
        launch.main(["check", str(ws), "--json"])
    assert stop.value.code == 1
    with pytest.raises(SystemExit) as stop:
        launch.main(["brief", str(ws), "--audience", "person", "--for", "nobody"])
    assert stop.value.code == 2
