"""`kaplan brief` figures for DESIGN §8 (budget: < 1 s for a 100-person team on the 10k workspace).

Prints, in one run:

* the wall time of ``kaplan brief --audience team`` as a fresh process (Python start, imports,
  opening the workspace, rendering, writing), median of several runs, and the CPU time it used
  (less sensitive to a busy machine), on the sample workspace for its largest team and for
  everyone;
* the same on a generated 10k accounts / 2k goals / 50k check-ins workspace (made with
  ``kaplan generate`` in a temporary folder, or ``--big PATH``), for its largest team (the
  generator makes a team of about a hundred people at that size), with the team's size and goal
  count, against the budget;
* where a fresh process spends its time, in the order ``kaplan brief`` does it: imports, opening
  the workspace (from the record cache once a first run has filled it), rendering (unpacking the
  records it reads and the SMART lint included), and encoding; best of the runs;
* the sharing screen's first brief of that team in a workspace the TUI has open (median).

``--skip-big`` leaves the big workspace out (it takes a while to generate).

The workspaces are copies in a temporary folder: the repository's ``sample_workspace/`` is never
written. Figures depend on the machine and its load; run on a quiet machine.

Usage::

    python bench/brief.py [--runs 5] [--big PATH] [--skip-big]

Measured on 2026-11-27 (2 CPUs, shared), 10k workspace, its 100-person team (245 goals, 420 kB),
the code of the session's start (7b09224) against this one, runs alternated, cache warm:

    CLI wall time     median 2.56 s -> 1.94 s, min 2.01 s -> 1.73 s (CPU min 1.99 s -> 1.71 s)
    peak memory       281 MB -> 158 MB
    load              ~1.0 s -> 0.21-0.26 s   (records stay packed until read: the brief unpacks
                                               its 8.9k of 50k check-ins, 3k of 10k accounts,
                                               and the 2k goals, 0.23-0.33 s)
    in the TUI        render 0.77-0.88 s       (workspace open, screens warmed)

What bounds the budget in a fresh process, each measured: Python, click and pydantic start-up and
the imports (0.25-0.32 s); opening the workspace (0.21-0.26 s); unpacking the records the brief
reads (0.23-0.33 s); the SMART lint of 245 goals (0.33-0.39 s, about 1.4 ms a goal) plus compiling
its patterns and indexing 20k names on first use (0.15-0.2 s); the brief itself (~0.2 s).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import BIG, copy_sample, generate_big, kaplan

BUDGET_S = 1.0
AS_OF = "2026-11-20"


def largest_team(root: Path) -> tuple[str | None, int]:
    """The id of the team with the most members, and how many it has."""
    from kaplan_tui.storage import Workspace

    snap = Workspace.open(root, read_only=True).snapshot()
    sizes = Counter(p.team for p in snap.people.values() if p.team)
    if not sizes:
        return None, 0
    team, size = max(sizes.items(), key=lambda kv: (kv[1], kv[0]))
    return team, size


def time_cli(root: Path, runs: int, subject: str | None) -> tuple[list[float], list[float]]:
    """Wall and CPU times of ``kaplan brief`` as a fresh process, written to stdout."""
    args = [kaplan(), "brief", str(root), "--audience", "team", "--as-of", AS_OF, "--out", "-"]
    if subject:
        args += ["--for", subject]
    walls, cpus = [], []
    for _ in range(runs):
        before = os.times()
        began = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - began)
        after = os.times()
        cpus.append(
            after.children_user
            - before.children_user
            + after.children_system
            - before.children_system
        )
    return walls, cpus


STAGES = """
import gc, json, sys, time
began = time.perf_counter()
import datetime as dt
from kaplan_tui.core.briefs import BriefOptions, render_brief
from kaplan_tui.core.lint import use_store
from kaplan_tui.storage import Workspace
imported = time.perf_counter()
ws = Workspace.open(sys.argv[1], read_only=True)
problems = ws.problems
snap = ws.snapshot()
loaded = time.perf_counter()
gc.freeze()  # as kaplan brief does
gc.disable()
use_store(ws.lint_results())  # the verdicts kept by the runs before, as kaplan brief reads them
options = BriefOptions(snap.settings.language, dt.date.fromisoformat(sys.argv[3]))
brief = render_brief(snap, "team", subject=sys.argv[2] or None, options=options)
rendered = time.perf_counter()
data = brief.markdown.encode("utf-8")
done = time.perf_counter()
print(json.dumps({"imports": imported - began, "load": loaded - imported,
                  "render": rendered - loaded, "encode": done - rendered,
                  "goals": brief.markdown.count("\\n### G"), "bytes": len(data)}))
"""
"""What ``kaplan brief`` does, step by step, timed: run in a fresh interpreter."""

IN_TUI = """
import datetime as dt, gc, json, sys, time
from kaplan_tui.core import lint
from kaplan_tui.core.lint.workspace import prepare
from kaplan_tui.core.briefs import BriefOptions, render_brief
from kaplan_tui.core.planning import score_accounts
from kaplan_tui.storage import Workspace
ws = Workspace.open(sys.argv[1], read_only=True)
snap = ws.snapshot()
day = dt.date.fromisoformat(sys.argv[3])
# What the TUI has done by the time the sharing screen is opened: the accounts screen scored
# every account; the start-up's background work compiled the lint's patterns and indexed the
# workspace's names.
score_accounts(list(snap.accounts.values()), snap.settings.scoring, today=day)
lint.compile_patterns()
prepare(snap)
began = time.perf_counter()
lint.use_store(ws.lint_results())  # as the sharing screen's worker does
options = BriefOptions(snap.settings.language, day)
brief = render_brief(snap, "team", subject=sys.argv[2] or None, options=options)
print(json.dumps({"render": time.perf_counter() - began}))
"""
"""The sharing screen's first brief of a team, in a workspace the TUI has open: run in a fresh
interpreter, timed from the click (the screen renders in a worker thread, as here)."""


def run_script(code: str, root: Path, subject: str | None) -> dict[str, float]:
    """Run one of the timing scripts above in a fresh interpreter; the figures it prints."""
    out = subprocess.run(
        [sys.executable, "-c", code, str(root), subject or "", AS_OF],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, float] = json.loads(out)
    return figures


def reference_loop() -> float:
    """This machine's speed now: the best of three sums of ten million integers (0.18-0.29 s
    on the shared 2-CPU VM this was tuned on, the same code, minutes apart)."""
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        sum(range(10**7))
        best = min(best, time.perf_counter() - began)
    return best


def forget_verdicts(root: Path) -> None:
    """Delete the SMART verdicts kept for the workspace at ``root`` (the user's cache)."""
    from kaplan_tui.storage.cache import RecordCache
    from kaplan_tui.storage.lint_results import FILE

    (RecordCache(root).folder / FILE).unlink(missing_ok=True)


def time_cli_unkept(root: Path, runs: int, subject: str | None) -> list[float]:
    """Wall times of ``kaplan brief`` with no verdict kept: every goal is linted."""
    walls = []
    for _ in range(runs):
        forget_verdicts(root)
        walls += time_cli(root, 1, subject)[0]
    return walls


def time_stages(root: Path, subject: str | None, runs: int) -> dict[str, float]:
    """The best time of each step of a brief in a fresh process, and the brief's goals and size."""
    best: dict[str, float] = {}
    for _ in range(runs):
        for key, value in run_script(STAGES, root, subject).items():
            best[key] = min(best.get(key, value), value)
    return best


def time_in_tui(root: Path, subject: str | None, runs: int) -> list[float]:
    """The render time of the sharing screen's first brief of a team, once per fresh process."""
    return [run_script(IN_TUI, root, subject)["render"] for _ in range(runs)]


def report(label: str, root: Path, subject: str | None, size: int, runs: int) -> float:
    """Print the figures of one workspace and team; return the median CLI time."""
    # The first open of a workspace validates every file and writes the record cache; the
    # budget is for the runs after it (a team's brief is made again and again).
    first, _ = time_cli(root, 1, subject)
    before = reference_loop()
    walls, cpus = time_cli(root, runs, subject)
    after = reference_loop()
    stages = time_stages(root, subject, max(1, min(runs, 3)))
    median = statistics.median(walls)
    who = f"team {subject} ({size} people)" if subject else "everyone"
    print(f"{label}: kaplan brief --audience team, {who}")
    print(
        f"  CLI wall time   median {median:.3f} s  min {min(walls):.3f} s  "
        f"CPU min {min(cpus):.3f} s  ({runs} runs, after a first run of {first[0]:.3f} s)"
    )
    print(f"  machine         reference loop {before:.3f} s before, {after:.3f} s after")
    unkept = time_cli_unkept(root, max(1, min(runs, 3)), subject)
    print(
        f"  no verdict kept median {statistics.median(unkept):.3f} s  min {min(unkept):.3f} s  "
        "(every goal linted: the first brief after every goal changed)"
    )
    print(
        f"  fresh process   imports {stages['imports']:.3f} s, load {stages['load']:.3f} s, "
        f"render {stages['render']:.3f} s, encode {stages['encode']:.3f} s (best of each; "
        "verdicts kept)"
    )
    print(f"  brief           {stages['goals']:.0f} goals, {stages['bytes']:,.0f} bytes")
    tui = time_in_tui(root, subject, max(1, min(runs, 3)))
    print(f"  in the TUI      render median {statistics.median(tui):.3f} s (workspace open)")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big", type=Path, default=None, help="an existing big workspace")
    parser.add_argument("--skip-big", action="store_true")
    ns = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kaplan-bench-brief-") as tmp:
        sample = Path(tmp) / "sample"
        copy_sample(sample)
        team, size = largest_team(sample)
        report("sample workspace", sample, team, size, ns.runs)
        report("sample workspace", sample, None, 0, ns.runs)
        if ns.skip_big:
            return
        big = ns.big
        if big is None:
            big = Path(tmp) / "big"
            print(f"generated {BIG} in {generate_big(big):.1f} s")
        team, size = largest_team(big)
        median = report("10k workspace", big, team, size, ns.runs)
        note = "" if size >= 100 else f" (its largest team has {size} people, not 100)"
        verdict = "within" if median < BUDGET_S else "OVER"
        print(f"  budget          < {BUDGET_S:.1f} s: {verdict}, {median / BUDGET_S:.2f}x{note}")


if __name__ == "__main__":
    main()
