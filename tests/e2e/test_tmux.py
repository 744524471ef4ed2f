"""A real terminal: `kaplan demo` in tmux at 80x24, the four screens, and quit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def _kaplan() -> str:
    found = Path(sys.executable).with_name("kaplan")
    return str(found) if found.exists() else "kaplan"


class Tmux:
    """One private tmux server running one command."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.socket = f"kaplan-test-{uuid.uuid4().hex[:8]}"
        self.env = env
        quoted = " ".join(f"'{c}'" for c in command)
        self._run("new-session", "-d", "-s", "k", "-x", "80", "-y", "24", quoted)

    def _run(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            check=True,
            capture_output=True,
            text=True,
            env=self.env,
        ).stdout

    def screen(self) -> str:
        return self._run("capture-pane", "-p", "-t", "k")

    def keys(self, *keys: str) -> None:
        self._run("send-keys", "-t", "k", *keys)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def alive(self) -> bool:
        done = subprocess.run(
            ["tmux", "-L", self.socket, "has-session", "-t", "k"], capture_output=True, env=self.env
        )
        return done.returncode == 0

    def kill(self) -> None:
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"], capture_output=True, env=self.env
        )


def test_demo_visits_the_four_screens_and_quits(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "KAPLAN_DATA_DIR": str(tmp_path / "data"),
        "TERM": "xterm-256color",
        "TEXTUAL_ANIMATIONS": "none",
    }
    demo = tmp_path / "demo"
    tmux = Tmux([_kaplan(), "demo", str(demo), "--lang", "en"], env)
    try:
        tmux.wait_for("Segmentation")
        tmux.wait_for("Score")
        tmux.keys("2")
        tmux.wait_for("Goals")
        tmux.keys("3")
        tmux.wait_for("Reviews")
        tmux.keys("4")
        tmux.wait_for("Sharing")
        tmux.keys("C-l")
        tmux.wait_for("分享")
        tmux.keys("C-q")
        deadline = time.monotonic() + 10
        while tmux.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not tmux.alive(), "kaplan did not quit on ctrl+q"
    finally:
        tmux.kill()
    assert (demo / "kaplan.toml").exists()


def test_a_dropped_ssh_link_loses_nothing_saved_and_leaves_no_lock(tmp_path: Path) -> None:
    import fcntl
    import json
    import shutil as sh

    from kaplan_tui.locations import bundled

    env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    demo = tmp_path / "demo"
    sh.copytree(bundled("sample_workspace"), demo, ignore=sh.ignore_patterns(".kaplan"))
    tmux = Tmux([_kaplan(), str(demo), "--lang", "en"], env)
    try:
        tmux.wait_for("Segmentation")
        tmux.keys("3")
        tmux.wait_for("Reviews")
        tmux.keys("c")
        tmux.wait_for("Check-in:")
        tmux.keys("-l", "4242")
        tmux.keys("C-s")
        tmux.wait_for("Check-in saved")
    finally:
        tmux.kill()  # the terminal goes away: the app gets SIGHUP, as over a dropped SSH link
    data = json.loads((demo / "checkins.json").read_text("utf-8"))
    assert any(r["actual"] == 4242 for r in data["checkins"].values())
    assert not list(demo.glob(".*.tmp"))
    with (demo / ".kaplan" / "lock").open("r+") as fh:  # nobody holds the lock any more
        fcntl.lockf(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
