"""Pure computations on a big workspace: `check`, `brief --audience team`, `agenda`, `segment`.

Builds a 10k accounts / 2k goals / 50k check-ins workspace with ``kaplan generate`` (seed 1) in a
temporary folder, unless ``--big PATH`` names one (it is generated there when the folder does not
exist yet), then prints, in one run:

* the time to open the workspace and take its first snapshot (``Workspace.open`` +
  ``snapshot()``: reading and validating every record);
* for each command, the in-process time (wall, and the process's CPU time, which a busy machine
  disturbs less) of the core functions the CLI calls, on a fresh snapshot with the lint cache and
  the purchase-history layouts cleared, as a fresh ``kaplan`` process would see them (the load
  is not counted again). The team brief is the largest team's. ``screen (seg.)`` is what the
  segmentation screen, the TUI's first, computes before it shows a row.

* lint per keystroke with the workspace's context, as the goal editor calls it: every prefix of
  the first ``--keystroke-goals`` goals, after the context and its name index are built.

``--profile DIR`` also writes one cProfile file per command into DIR (read them with
``python -m pstats``). Figures depend on the machine and its load; run on a quiet machine.

Usage::

    python bench/big.py [--big PATH] [--runs 1] [--profile DIR] [--keystroke-goals 20]

Measured on 2026-11-27 (2 CPUs, shared and busy; seconds, in-process), before -> after the
per-snapshot lint name index and the owner/team/season indexes:

    open + snapshot   4.0  -> 2.7-4.4 (unchanged code: pydantic validation of every record)
    check             115  -> 1.3-1.7
    brief (team)      31.4 -> 0.7-0.85
    agenda            0.52 -> 0.22-0.43
    segment           3.4  -> 1.5-2.2
    lint per keystroke with the 10k context: p50 ~81 ms -> 0.57 ms (the default context: 0.61)

Measured on 2026-11-27 (same machine, best of 3, CPU seconds), before -> after the planning
engine's work for issue 8 (history label layouts shared per label set, scoring by columns with
components built on demand, rollup_by(segment) reading the history year once, agenda sharing
the snapshot's season index); both with this script and the same lint engine:

    brief (exec)      1.39 -> 0.95
    agenda            0.21 -> 0.085
    segment           1.81 -> 0.60
    screen (seg.)     1.27 -> 0.34   (score_accounts alone, in a fresh process: ~1.5 -> ~0.3)
    check, brief (team): unchanged (the lint engine's time; planning's part is ~0.04 s)
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _common import BIG, generate_big

AS_OF = dt.date(2026, 11, 20)


def generate(root: Path) -> None:
    """Make the big workspace at ``root`` (a new folder)."""
    print(f"generated {BIG} in {generate_big(root, lang=None):.1f} s")


def run_check(snap: Any) -> object:
    """What ``kaplan check`` computes."""
    from kaplan_tui.core.planning.checks import check_plan

    return check_plan(snap, lang=snap.settings.language)


def run_brief(snap: Any) -> object:
    """What ``kaplan brief --audience team --for <largest team>`` computes."""
    from kaplan_tui.core.briefs import BriefOptions, render_brief

    sizes = Counter(p.team for p in snap.people.values() if p.team)
    team = max(sizes.items(), key=lambda kv: (kv[1], kv[0]))[0] if sizes else None
    return render_brief(
        snap, "team", subject=team, options=BriefOptions(snap.settings.language, AS_OF)
    )


def run_agenda(snap: Any) -> object:
    """What ``kaplan agenda`` computes."""
    from kaplan_tui.core.planning.review import agenda

    return agenda(snap, AS_OF)


def run_segment(snap: Any) -> object:
    """What ``kaplan segment`` computes (without recording the run)."""
    from kaplan_tui.core.planning.changes import run_entries
    from kaplan_tui.core.planning.scoring import score_accounts, sensitivity
    from kaplan_tui.core.planning.segments import segments_of_accounts

    accounts = [snap.accounts[k] for k in sorted(snap.accounts)]
    scoring = snap.settings.scoring
    result = score_accounts(accounts, scoring)
    sensitivity(accounts, scoring, base=result)
    tiers = {s.account_id: s.tier for s in result.accounts}
    segments_of_accounts(snap.segments, snap.accounts, year=result.year, tiers=tiers)
    return run_entries(result)


def run_screen(snap: Any) -> object:
    """What the segmentation screen (the TUI's first screen) computes before it shows a row."""
    from kaplan_tui.core.planning.scoring import score_accounts
    from kaplan_tui.core.planning.segments import segments_of_accounts

    accounts = list(snap.accounts.values())
    result = score_accounts(accounts, snap.settings.scoring)
    tiers = {s.account_id: s.tier for s in result.accounts}
    return segments_of_accounts(snap.segments, snap.accounts, year=result.year, tiers=tiers)


def run_exec(snap: Any) -> object:
    """What ``kaplan brief --audience exec`` computes."""
    from kaplan_tui.core.briefs import BriefOptions, render_brief

    return render_brief(snap, "exec", options=BriefOptions(snap.settings.language, AS_OF))


def keystrokes(snap: Any, goals: int) -> list[float]:
    """Seconds per lint call over every prefix of the first ``goals`` goals, as the goal editor
    lints them: with the workspace's context (its 20k names) and the goal's fields."""
    from kaplan_tui.core.lint import clear_cache, fields_from_goal, lint
    from kaplan_tui.core.lint.workspace import context_from_snapshot

    ctx = context_from_snapshot(snap)
    times = []
    for goal in sorted(snap.goals.values(), key=lambda g: g.id)[:goals]:
        fields = fields_from_goal(goal, snap, today=AS_OF)
        text = goal.statement
        for end in range(1, len(text) + 1):
            clear_cache()
            began = time.perf_counter()
            lint(text[:end], fields, today=AS_OF, context=ctx)
            times.append(time.perf_counter() - began)
    return times


def clear_planning_caches() -> None:
    """Forget the purchase-history label layouts, as a fresh ``kaplan`` process would."""
    from kaplan_tui.core.planning import history

    for name in ("_layout", "_non_overlapping_items"):  # this version's, or an older one's
        cached = getattr(history, name, None)
        if cached is not None:
            cached.cache_clear()


COMMANDS: dict[str, Callable[[Any], object]] = {
    "check": run_check,
    "brief (team)": run_brief,
    "brief (exec)": run_exec,
    "agenda": run_agenda,
    "segment": run_segment,
    "screen (seg.)": run_screen,
}


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=Path, default=None, help="the big workspace (made if new)")
    parser.add_argument("--runs", type=int, default=1, help="runs per command; the best is shown")
    parser.add_argument("--profile", type=Path, default=None, help="write cProfile files here")
    parser.add_argument("--only", action="append", default=None, help="run only these commands")
    parser.add_argument(
        "--keystroke-goals", type=int, default=20, help="goals whose prefixes are linted (0: none)"
    )
    ns = parser.parse_args()

    from kaplan_tui.core.lint import clear_cache
    from kaplan_tui.storage import Workspace

    with tempfile.TemporaryDirectory(prefix="kaplan-bench-big-") as tmp:
        root = ns.big or Path(tmp) / "big"
        if not root.exists():
            generate(root)
        began = time.perf_counter()
        ws = Workspace.open(root, read_only=True)
        snap = ws.snapshot()
        print(f"open + snapshot   {time.perf_counter() - began:7.3f} s")
        print(
            f"  {len(snap.accounts)} accounts, {len(snap.goals)} goals, "
            f"{len(snap.checkins)} check-ins, {len(snap.people)} people"
        )
        if ns.profile:
            ns.profile.mkdir(parents=True, exist_ok=True)
        for name, fn in COMMANDS.items():
            if ns.only and not any(o in name for o in ns.only):
                continue
            best = cpu = float("inf")
            for _ in range(ns.runs):
                clear_cache()
                clear_planning_caches()
                fresh = ws.snapshot()  # a new Snapshot: no cached indexes or lint context
                gc.collect()
                profiler = cProfile.Profile() if ns.profile else None
                began, began_cpu = time.perf_counter(), time.process_time()
                if profiler is not None:
                    profiler.runcall(fn, fresh)
                else:
                    fn(fresh)
                best = min(best, time.perf_counter() - began)
                cpu = min(cpu, time.process_time() - began_cpu)
                if profiler is not None:
                    slug = "".join(c for c in name if c.isalnum())
                    profiler.dump_stats(str(ns.profile / f"{slug}.prof"))
            print(f"{name:<17} {best:7.3f} s  (CPU {cpu:.3f} s)")
        if ns.keystroke_goals and not ns.only:
            fresh = ws.snapshot()
            began = time.perf_counter()
            from kaplan_tui.core.lint.workspace import context_from_snapshot

            ctx = context_from_snapshot(fresh)
            try:  # the name index, where this version has one
                from kaplan_tui.core.lint.facts import name_index

                name_index(ctx)
            except ImportError:
                pass
            print(f"lint context      {time.perf_counter() - began:7.3f} s  (once per snapshot)")
            times = sorted(keystrokes(fresh, ns.keystroke_goals))
            p50, p95 = (times[int(q * (len(times) - 1))] * 1000 for q in (0.5, 0.95))
            print(
                f"lint per keystroke, 10k context: p50 {p50:.3f} ms  p95 {p95:.3f} ms"
                f"  ({len(times)} prefixes of {ns.keystroke_goals} goals; budget p95 <= 1 ms)"
            )


if __name__ == "__main__":
    main()
