"""`kaplan brief` figures for DESIGN §8 (budget: < 1 s for a 100-person team on the 10k workspace).

Prints, in one run:

* the wall time of ``kaplan brief --audience team`` as a fresh process (Python start, imports,
  opening the workspace, rendering, writing), median of several runs, on the sample workspace
  for its largest team and for everyone;
* the same on a generated 10k accounts / 2k goals / 50k check-ins workspace (made with
  ``kaplan generate`` in a temporary folder, or ``--big PATH``), for its largest team, with the
  team's size and goal count, against the budget; plus the render time alone in-process;
* ``--skip-big`` leaves the big workspace out (it takes a while to generate).

The workspaces are copies in a temporary folder: the repository's ``sample_workspace/`` is never
written. Figures depend on the machine and its load; run on a quiet machine.

Usage::

    python bench/brief.py [--runs 5] [--big PATH] [--skip-big]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import kaplan

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_workspace"
BIG = {"accounts": 10_000, "goals": 2_000, "checkins": 50_000}
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


def time_cli(root: Path, runs: int, subject: str | None) -> list[float]:
    """Wall times of ``kaplan brief`` as a fresh process, written to stdout."""
    args = [kaplan(), "brief", str(root), "--audience", "team", "--as-of", AS_OF, "--out", "-"]
    if subject:
        args += ["--for", subject]
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - began)
    return times


def time_render(root: Path, subject: str | None) -> tuple[float, float, int, int]:
    """In-process: (snapshot seconds, render seconds, goals in the brief, bytes)."""
    from kaplan_tui.core.briefs import BriefOptions, render_brief
    from kaplan_tui.storage import Workspace

    began = time.perf_counter()
    snap = Workspace.open(root, read_only=True).snapshot()
    loaded = time.perf_counter()
    brief = render_brief(
        snap,
        "team",
        subject=subject,
        options=BriefOptions("en", dt.date.fromisoformat(AS_OF)),
    )
    done = time.perf_counter()
    goals = brief.markdown.count("\n### G")
    return loaded - began, done - loaded, goals, len(brief.markdown.encode())


def report(label: str, root: Path, subject: str | None, size: int, runs: int) -> float:
    """Print the figures of one workspace and team; return the median CLI time."""
    times = time_cli(root, runs, subject)
    load, render, goals, size_b = time_render(root, subject)
    median = statistics.median(times)
    who = f"team {subject} ({size} people)" if subject else "everyone"
    print(f"{label}: kaplan brief --audience team, {who}")
    print(f"  CLI wall time   median {median:.3f} s  min {min(times):.3f} s  ({runs} runs)")
    print(f"  in-process      snapshot {load:.3f} s, render {render:.3f} s")
    print(f"  brief           {goals} goals, {size_b:,} bytes")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big", type=Path, default=None, help="an existing big workspace")
    parser.add_argument("--skip-big", action="store_true")
    ns = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kaplan-bench-brief-") as tmp:
        sample = Path(tmp) / "sample"
        shutil.copytree(SAMPLE, sample)
        team, size = largest_team(sample)
        report("sample workspace", sample, team, size, ns.runs)
        report("sample workspace", sample, None, 0, ns.runs)
        if ns.skip_big:
            return
        big = ns.big
        if big is None:
            big = Path(tmp) / "big"
            args = [kaplan(), "generate", str(big), "--seed", "1", "--lang", "en"]
            for key, value in BIG.items():
                args += [f"--{key}", str(value)]
            began = time.perf_counter()
            subprocess.run(args, check=True, stderr=subprocess.DEVNULL)
            print(f"generated {BIG} in {time.perf_counter() - began:.1f} s")
        team, size = largest_team(big)
        median = report("10k workspace", big, team, size, ns.runs)
        note = "" if size >= 100 else f" (its largest team has {size} people, not 100)"
        verdict = "within" if median < BUDGET_S else "OVER"
        print(f"  budget          < {BUDGET_S:.1f} s: {verdict}, {median / BUDGET_S:.2f}x{note}")


if __name__ == "__main__":
    main()
