"""Bytes sent to the terminal per keystroke (DESIGN §8): Kaplan's goal editor vs a bare Input.

Both programs run in a real pseudo-terminal (xterm-256color, 120x40). After startup the
script types the same goal statement one character at a time and, after each key, counts the
bytes the program writes until it has been quiet for a moment (so debounced work such as the
live SMART lint is counted with the key that caused it).

* ``bare Input``: a Textual app with one focused ``Input`` (the budget's baseline);
* ``kaplan goal editor``: ``kaplan SAMPLE`` (a copy), then ``2`` (Goals) and ``n`` (new goal),
  which focuses the statement field. These keys are the TUI's bindings today; if they change,
  change :data:`KAPLAN_KEYS`.

Usage::

    python bench/keystrokes.py [--quiet-ms 250]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import copy_sample, kaplan

TEXT = "2026年底前华东区收入增长12% to 3.2亿"
KAPLAN_KEYS = ["2", "n"]
"""Keys that open the goal editor with the statement field focused."""
BUDGET = 2.0
ROWS, COLS = 40, 120

BARE = """
from textual.app import App
from textual.widgets import Input

class Bare(App[None]):
    def compose(self):
        yield Input(id="statement")
    def on_mount(self):
        self.query_one(Input).focus()
Bare().run()
"""


class Terminal:
    """A program running in a pseudo-terminal, with its output counted."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, then become the program
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd

    def read_until_quiet(self, quiet: float, timeout: float = 20.0, first: float = 0.0) -> bytes:
        """Everything written until nothing came for ``quiet`` seconds (or ``timeout``),
        waiting up to ``first`` seconds for the first byte."""
        out = bytearray()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], quiet if out else max(quiet, first))
            if not ready:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # the program ended
                break
            if not chunk:
                break
            out += chunk
        return bytes(out)

    def key(self, text: str, quiet: float, first: float = 0.0) -> bytes:
        """Send one key and return what the program wrote in response (waiting up to
        ``first`` seconds for it to start)."""
        os.write(self.fd, text.encode())
        return self.read_until_quiet(quiet, first=first)

    def close(self) -> None:
        """Stop the program."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                break
            time.sleep(0.2)
            if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                break
        os.close(self.fd)


def type_text(argv: list[str], setup_keys: list[str], quiet: float) -> tuple[int, list[int]]:
    """Start ``argv``, press ``setup_keys``, type :data:`TEXT`; bytes at startup and per key."""
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "", "LINES": "", "COLUMNS": ""}
    env = {k: v for k, v in env.items() if v}
    term = Terminal(argv, env)
    try:
        startup = len(term.read_until_quiet(max(quiet, 1.0), timeout=60, first=30))
        for key in setup_keys:
            # Wait for the key's screen to be drawn. The Goals screen loads for about a second
            # (after writing a few bytes at once); waiting only half a second drew it during
            # the first typed key, counted it there, and lost that key.
            term.key(key, max(quiet, 2.0), first=10)
        # Every typed key echoes, so wait for its first byte: a pause of the program (a
        # garbage collection, ~0.2 s) longer than the quiet time would count it with the next.
        outputs = [term.key(ch, quiet, first=2.0) for ch in TEXT]
    finally:
        term.close()
    if b"3.2" not in b"".join(outputs[-4:]):
        print(f"WARNING: {argv[-1]}: the typed text was not echoed; the figures are suspect")
    return startup, [len(out) for out in outputs]


def main() -> None:
    """Measure both programs and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quiet-ms", type=float, default=250, help="quiet time after a key")
    args = parser.parse_args()
    quiet = args.quiet_ms / 1000
    print(f"kaplan keystroke benchmark  ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})")
    print(f"typing {TEXT!r} ({len(TEXT)} keys) in a {COLS}x{ROWS} xterm-256color pty")
    tmp = Path(tempfile.mkdtemp(prefix="kaplan-bench-"))
    try:
        sample = copy_sample(tmp / "sample")
        runs = {
            "bare Input": type_text([sys.executable, "-c", BARE], [], quiet),
            "kaplan goal editor": type_text([kaplan(), str(sample)], KAPLAN_KEYS, quiet),
        }
        print(f"\n  {'':20s} {'startup':>9s} {'median/key':>11s} {'p95/key':>8s} {'total':>8s}")
        for label, (startup, keys) in runs.items():
            ordered = sorted(keys)
            p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
            print(
                f"  {label:20s} {startup:7d} B {statistics.median(keys):9.0f} B {p95:6d} B "
                f"{sum(keys):6d} B"
            )
        bare = statistics.median(runs["bare Input"][1])
        mine = statistics.median(runs["kaplan goal editor"][1])
        if bare and min(runs["kaplan goal editor"][1]) > 0:
            ratio = mine / bare
            verdict = "met" if ratio <= BUDGET else "NOT met"
            print(f"\nbytes per keystroke, goal editor vs bare Input: {ratio:.2f}x "
                  f"(budget <= {BUDGET}x: {verdict})")  # fmt: skip
        else:
            print("\nsome keys drew nothing: the editor did not get focus; check KAPLAN_KEYS")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
