"""Storage figures for DESIGN §8: one goal saved in the big workspace vs in the sample.

Prints, in one run:

* ``kaplan generate`` time for the big workspace (10k accounts / 2k goals / 50k check-ins);
* load times, after the saves (which split the big kinds of a workspace written by an older
  Kaplan), (``Workspace.open`` + every record validated, i.e. ``snapshot()``), in a fresh
  process, for the sample and the big workspace, and per kind for the big one: with an empty
  record cache (every record parsed and validated; the process also writes some entries), and
  with a full one (kaplan_tui/storage/cache.py);
* saving one goal in an open workspace (the TUI's case: lock, revalidate, rev check, atomic
  write with fsync, backup, journal), median and p95 over many saves, in the big workspace and
  in the sample, and the ratio against the budget (<= 1.5x); saving one check-in next to 50k
  others as a further figure. The first save of each is timed apart: in a workspace written by
  an older Kaplan (one file per kind) it is the save that splits the kind into shards.

The workspaces are copies in a temporary folder: the repository's ``sample_workspace/`` is
never written.

Usage::

    python bench/storage.py [--saves 60] [--big PATH] [--keep]

Figures depend on the machine and its load; run on a quiet machine and compare ratios.
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
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).parent))
from _common import copy_sample, generate_big

from kaplan_tui.storage import shards

if TYPE_CHECKING:
    from kaplan_tui.storage import Workspace

SAVE_BUDGET = 1.5


LOAD_CODE = """
import sys, time
t0 = time.perf_counter()
from kaplan_tui.storage import Workspace

t1 = time.perf_counter()
if sys.argv[2:] == ["prime"]:  # write every cache entry (a process writes a share of them)
    from kaplan_tui.storage import cache

    cache.WRITE_SHARE = float("inf")
ws = Workspace.open(sys.argv[1])
per = {}
for kind in ("account", "segment", "goal", "checkin", "person", "team", "pillar"):
    a = time.perf_counter(); ws.records(kind); per[kind] = time.perf_counter() - a
snap = ws.snapshot()
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, *(per[k] for k in sorted(per)), sep=" ")
"""


def load_times(
    path: Path, cache: Path, runs: int = 3, *, cold: bool = False
) -> tuple[float, float, dict[str, float]]:
    """Median (import storage, open + load everything, per-kind load) in a fresh process,
    with the record cache in ``cache``: emptied before each run if ``cold``, else filled
    first."""
    env = {**os.environ, "KAPLAN_CACHE_DIR": str(cache)}
    if not cold:  # fill the cache first
        subprocess.run(
            [sys.executable, "-c", LOAD_CODE, str(path), "prime"],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    rows = []
    for _ in range(runs):
        if cold:
            shutil.rmtree(cache, ignore_errors=True)
        out = subprocess.run(
            [sys.executable, "-c", LOAD_CODE, str(path)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout.split()
        rows.append([float(x) for x in out])
    kinds = sorted(("account", "segment", "goal", "checkin", "person", "team", "pillar"))
    med = [statistics.median(col) for col in zip(*rows, strict=True)]
    return med[0], med[1], dict(zip(kinds, med[2:], strict=True))


class Saver:
    """Saves one record of ``kind`` again and again in an open workspace (the TUI's case)."""

    def __init__(self, ws: Workspace, kind: str) -> None:
        from kaplan_tui.core.models import CheckIn, Goal

        self.ws = ws
        self.kind = kind
        records = self.ws.all(Goal if kind == "goal" else CheckIn)
        if not records:
            sys.exit(f"{ws.root}: no {kind} to save")
        self.record = records[len(records) // 2]
        self.times: list[float] = []

    def save(self, i: int) -> float:
        """Save the record once; seconds taken."""
        field = "rationale" if self.kind == "goal" else "progress"
        changed = self.record.model_copy(update={field: f"bench edit {i}"})
        began = time.perf_counter()
        self.record = self.ws.save(changed)
        return time.perf_counter() - began

    @property
    def file(self) -> str:
        """The file the saves rewrite."""
        return self.ws.file_of(self.kind, self.record.id)


def save_rounds(savers: list[Saver], saves: int) -> list[float]:
    """Time the first save of each saver apart (in a workspace written by an older Kaplan it
    splits the kind's big file into shards), then ``saves`` rounds of one save each, taken in
    turn so that a change in the machine's load weighs on every figure alike."""
    first = [saver.save(-1) for saver in savers]
    for i in range(saves):
        for saver in savers:
            saver.times.append(saver.save(i))
    return first


def file_costs(path: Path, name: str, repeats: int = 15) -> tuple[int, float, float]:
    """Size of the workspace file ``name``, and the median time to serialise it and to
    write it atomically (temp file, fsync, rename, folder fsync): the part of a save that
    grows with the file."""
    from kaplan_tui.storage import files
    from kaplan_tui.storage.tinystore import encode

    data = json.loads((path / name).read_bytes())
    encode_times, write_times = [], []
    scratch = path / f"bench-scratch-{name.replace('/', '-')}"
    for _ in range(repeats):
        began = time.perf_counter()
        raw = encode(data)
        encode_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        files.atomic_write(scratch, raw)
        write_times.append(time.perf_counter() - began)
    scratch.unlink()
    return len(raw), statistics.median(encode_times), statistics.median(write_times)


def layout(path: Path, kind: str) -> str:
    """How ``kind`` is stored: ``goals.json`` or ``goals/ (20 shards, 2.44 MB)``."""
    from kaplan_tui.storage import Workspace

    names = Workspace.open(path, read_only=True).files_of(kind)
    size = sum((path / n).stat().st_size for n in names if (path / n).exists())
    if len(names) == 1 and "/" not in names[0]:
        return f"{names[0]} ({size / 1e6:.2f} MB)"
    return f"{names[0].split('/')[0]}/ ({len(names)} shards, {size / 1e6:.2f} MB)"


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    """Milliseconds, for printing."""
    return f"{seconds * 1000:8.1f} ms"


def main() -> None:
    """Run every storage benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=60, help="saves per workspace")
    parser.add_argument("--big", type=Path, default=None, help="reuse this generated workspace")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="kaplan-bench-", dir=os.environ.get("KAPLAN_BENCH_DIR")))
    os.environ["KAPLAN_CACHE_DIR"] = str(tmp / "cache")  # the user's own cache is left alone
    print(f"kaplan storage benchmark  ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})")
    try:
        big = tmp / "big"
        if args.big is not None:
            shutil.copytree(args.big, big)
            print(f"big workspace: a copy of {args.big} (generate not timed)")
        else:
            took = generate_big(big)
            print(f"generate 10k accounts / 2k goals / 50k check-ins: {took:6.2f} s (wall)")
        small = copy_sample(tmp / "sample")

        print(f"\nsave one record in an open workspace ({args.saves} saves): median | p95")
        cases = [("sample", small, "goal"), ("big", big, "goal"), ("big", big, "checkin")]
        from kaplan_tui.storage import Workspace

        opened = {path: Workspace.open(path) for path in (small, big)}
        for ws in opened.values():
            ws.snapshot()  # an open app has everything loaded
        savers = [Saver(opened[path], kind) for _, path, kind in cases]
        firsts = save_rounds(savers, args.saves)
        results, written = {}, {}
        for (name, path, kind), saver, first in zip(cases, savers, firsts, strict=True):
            results[(name, kind)] = statistics.median(saver.times)
            written[(name, kind)] = saver.file
            print(
                f"  {kind:7s} in {name:7s} {ms(results[(name, kind)])} | {ms(p95(saver.times))}"
                f"   (first save {ms(first).strip()}; {layout(path, kind)})"
            )
        print(
            "\nload (fresh process, median of 3): import storage | open + every record, "
            "validated (no record cache) | from the record cache"
        )
        for name, path in (("sample", small), ("big", big)):
            imp, cold, per_cold = load_times(path, tmp / "cache", cold=True)
            _, warm, per_warm = load_times(path, tmp / "cache")
            print(f"  {name:7s} {ms(imp)} | {ms(cold)} | {ms(warm)}")
            if name == "big":
                for kind, secs in sorted(per_cold.items(), key=lambda kv: -kv[1]):
                    print(f"          {kind:8s} {ms(secs)} | {ms(per_warm[kind])}")

        print("\nwhat grows with the file a save rewrites (median): size | serialise | write")
        for name, path, kind in (("sample", small, "goal"), ("big", big, "goal")):
            file = written[(name, kind)]
            size, enc, write = file_costs(path, file)
            rest = results[(name, kind)] - enc - write
            print(
                f"  {name:7s} {file:16s} {size / 1e6:6.3f} MB | {ms(enc)} | {ms(write)}"
                f"   (the rest of a save: {ms(rest)})"
            )
        ratio = results[("big", "goal")] / results[("sample", "goal")]
        verdict = "met" if ratio <= SAVE_BUDGET else "NOT met"
        print(
            f"\nsave one goal, big vs sample: {ratio:.2f}x  (budget <= {SAVE_BUDGET}x: {verdict})"
        )
        print("  sample = sample_workspace/")
        print(
            "  bound: a save rewrites one file. A kind's file that outgrows "
            f"{shards.SPLIT_BYTES // 1024} KiB is split into shards of about "
            f"{shards.SHARD_BYTES // 1024} KiB (goals/000.json...), so a save in the big "
            "workspace rewrites no more than one in the sample; what is left of the ratio is "
            "that shard being up to twice the sample's goals.json, and noise."
        )
    finally:
        if args.keep:
            print(f"\nkept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
