"""Startup figures for DESIGN §8: time to first paint, Kaplan against a bare Textual app.

Every figure is wall time from just before a new process is started to the moment it has
painted its first frame (headless, 120x40), median of several runs, all in one run of this
script so that the machine's load is shared:

* ``bare``: a Textual app that paints one line (the baseline of the budgets);
* ``bare + load``: the same app after ``Workspace.open`` + ``snapshot()`` (every record read
  and validated): the floor of any Kaplan startup that loads everything up front;
* ``kaplan``: the real thing through the console script's code path (``kaplan PATH``:
  ``kaplan_tui.cli.launch``, a look at ``kaplan.toml``, ``KaplanApp``, ``App.run``; the
  workspace opens after the first frame), on the sample workspace and on the generated 10k
  accounts / 2k goals / 50k check-ins.

How the first paint is seen: the child process wraps ``App.run`` to pass an ``auto_pilot``
(Textual's public hook, called once the app is mounted) that asks ``call_after_refresh`` for a
callback: it runs right after the first refresh, i.e. the first frame written to the terminal.
"imports" is when the program's own imports are done (Textual, plus Kaplan's storage or the
whole ``kaplan_tui.cli`` with every subcommand module); "loaded" when every record is read and
validated (``bare + load`` only). "settled" is later: for Kaplan, when the ranked accounts are
on screen (``kaplan PATH`` paints its first frame, then opens the workspace, loads and scores
the accounts in the background); for the others, every worker finished and one more refresh.
Kaplan itself is not changed.

Not measured here (they need the interactive parts): bytes sent per keystroke in the goal
editor, and SIGHUP while the TUI is open (see tests/e2e).

Usage::

    python bench/startup.py [--runs 5] [--big PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import copy_sample, generate_big, with_bytecode_cache

BUDGETS = {"sample": 1.5, "big": 2.0}

CHILD = r"""
import asyncio, json, sys, time
mode, path = sys.argv[1], sys.argv[2]
marks = {}

async def autopilot(pilot):
    app = pilot.app
    app.call_after_refresh(lambda: marks.setdefault("paint", time.time()))
    while "paint" not in marks:
        await asyncio.sleep(0.001)
    if mode == "kaplan":  # the ranked accounts are on screen
        from kaplan_tui.ui.widgets.virtual_table import VirtualTable
        while not any(t.rows for t in app.screen.query(VirtualTable)):
            await asyncio.sleep(0.005)
        # the next frame written holds the rows
        app.call_after_refresh(lambda: marks.setdefault("settled", time.time()))
        while "settled" not in marks:
            await asyncio.sleep(0.001)
    else:
        await app.workers.wait_for_complete()
        await pilot.pause()
        marks["settled"] = time.time()
    app.exit()

from textual.app import App

real_run = App.run
def run_with_autopilot(self, *args, **kwargs):
    kwargs.update(headless=True, size=(120, 40), auto_pilot=autopilot)
    return real_run(self, *args, **kwargs)
App.run = run_with_autopilot

if mode == "kaplan":
    from kaplan_tui.cli.launch import main  # the console script
    marks["imported"] = time.time()
    try:
        main([path])
    except SystemExit:
        pass
else:
    from textual.widgets import Static
    if mode == "load":
        from kaplan_tui.storage import Workspace
        marks["imported"] = time.time()
        Workspace.open(path).snapshot()
        marks["loaded"] = time.time()
    else:
        marks["imported"] = time.time()

    class Bare(App[None]):
        def compose(self):
            yield Static("Kaplan")

    Bare().run()
print(json.dumps(marks))
"""


PYCACHE = Path(tempfile.gettempdir()) / "kaplan-bench-pycache"


def one_run(mode: str, path: Path) -> dict[str, float]:
    """Start one child and return its marks as seconds since it was started."""
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    env = with_bytecode_cache(env, PYCACHE)
    began = time.time()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    lines = [x for x in done.stdout.splitlines() if x.startswith("{")]
    if done.returncode != 0 or not lines:
        sys.exit(f"{mode} on {path} failed:\n{done.stderr[-2000:]}")
    return {k: v - began for k, v in json.loads(lines[-1]).items()}


def measure(plan: list[tuple[str, str, Path]], runs: int) -> dict[str, dict[str, float]]:
    """Median of each mark over ``runs`` children per figure, the figures taken in turn (bare,
    kaplan, bare, kaplan, ...) so that a change in the machine's load touches them alike;
    after one round that is not counted (it fills the bytecode cache and the caches Kaplan
    keeps in the user's cache folder)."""
    for _label, mode, path in plan:
        one_run(mode, path)
    rows: dict[str, list[dict[str, float]]] = {label: [] for label, _, _ in plan}
    for _ in range(runs):
        for label, mode, path in plan:
            rows[label].append(one_run(mode, path))
    return {
        label: {key: statistics.median(r[key] for r in got) for key in got[0]}
        for label, got in rows.items()
    }


def ms(seconds: float) -> str:
    """Milliseconds, for printing."""
    return f"{seconds * 1000:7.0f} ms"


def main() -> None:
    """Run every startup benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="children per figure")
    parser.add_argument("--big", type=Path, default=None, help="reuse this generated workspace")
    args = parser.parse_args()
    print(f"kaplan startup benchmark  ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})")
    tmp = Path(tempfile.mkdtemp(prefix="kaplan-bench-"))
    try:
        big = args.big
        if big is None:
            big = tmp / "big"
            generate_big(big)
        sample = copy_sample(tmp / "sample")

        print(f"\nprocess start -> first paint (median of {args.runs}; headless 120x40)")
        print(f"  {'':24s} {'imports':>10s} {'loaded':>10s} {'1st paint':>10s} {'settled':>10s}")
        plan = [
            ("bare Textual app", "bare", sample),
            ("bare + load sample", "load", sample),
            ("bare + load 10k", "load", big),
            ("kaplan sample", "kaplan", sample),
            ("kaplan 10k", "kaplan", big),
        ]
        rows = measure(plan, args.runs)
        for label, _mode, _path in plan:
            marks = rows[label]
            loaded = ms(marks["loaded"]) if "loaded" in marks else f"{'-':>10s}"
            print(
                f"  {label:24s} {ms(marks['imported'])} {loaded} {ms(marks['paint'])} "
                f"{ms(marks['settled'])}"
            )
        bare = rows["bare Textual app"]["paint"]
        print("\nbudgets (first paint / bare app's first paint):")
        for label, key in (("kaplan sample", "sample"), ("kaplan 10k", "big")):
            ratio = rows[label]["paint"] / bare
            settled = rows[label]["settled"] / rows["bare Textual app"]["settled"]
            verdict = "met" if ratio <= BUDGETS[key] else "NOT met"
            print(
                f"  {label:14s} {ratio:5.2f}x  (budget <= {BUDGETS[key]}x: {verdict}); "
                f"settled {settled:5.2f}x"
            )
        for label in ("bare + load sample", "bare + load 10k"):
            ratio = rows[label]["paint"] / bare
            print(f"  {label:18s} {ratio:5.2f}x  (the floor when every record is loaded first)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
