"""Every DESIGN §8 budget in one run: the benchmark scripts one after another, then a summary.

Generates the 10k accounts / 2k goals / 50k check-ins workspace once (``kaplan generate``,
seed 1) in a temporary folder, unless ``--big PATH`` names one, and gives it to every script
that needs it. Each script's own output is shown as it runs; the summary at the end repeats
the line in which each script states its figure against its budget.

Usage::

    python bench/budgets.py [--big PATH] [--quick]

``--quick`` runs fewer repetitions (for a first look; the figures are noisier). Every child
runs with Python's bytecode cache on (in a temporary folder), as an installed Kaplan does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import generate_big, with_bytecode_cache

HERE = Path(__file__).parent
PYCACHE = Path(tempfile.gettempdir()) / "kaplan-bench-pycache"
"""Compiled bytecode for every child (see ``with_bytecode_cache``)."""


def run(script: str, args: list[str]) -> list[str]:
    """Run one benchmark script, echo its output, and return its lines that state a budget."""
    print(f"\n=== {script} {' '.join(args)}", flush=True)
    began = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, str(HERE / script), *args],
        stdout=subprocess.PIPE,
        text=True,
        env=with_bytecode_cache(dict(os.environ), PYCACHE),
    )
    assert child.stdout is not None
    verdicts = []
    for line in child.stdout:
        print(line, end="", flush=True)
        lowered = line.lower()
        if "budget" in lowered and any(w in line for w in ("met", "OK", "OVER")):
            verdicts.append(line.strip())
    code = child.wait()
    print(f"=== {script}: {time.monotonic() - began:.0f} s, exit {code}", flush=True)
    if code:
        verdicts.append(f"FAILED (exit {code})")
    return verdicts


def main() -> None:
    """Run every budget's benchmark and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--big", type=Path, default=None, help="reuse this generated workspace")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    ns = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kaplan-budgets-"))
    try:
        big = ns.big
        if big is None:
            big = tmp / "big"
            print(f"generating the big workspace in {big} ...", flush=True)
            generate_big(big)
        runs = ["--runs", "3" if ns.quick else "5"]
        plan = [
            ("startup.py", [*runs, "--big", str(big)]),
            ("lint.py", ["--rounds", "1" if ns.quick else "3"]),
            ("storage.py", ["--saves", "20" if ns.quick else "60", "--big", str(big)]),
            ("keystrokes.py", []),
            ("brief.py", [*runs, "--big", str(big)]),
        ]
        summary = {script: run(script, args) for script, args in plan}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("\n=== DESIGN §8 budgets, this run")
    for script, lines in summary.items():
        for line in lines or ["(no budget line printed)"]:
            print(f"  {script:14s} {line}")


if __name__ == "__main__":
    main()
