"""``kaplan brief`` and ``kaplan check`` keep their lint results between runs: made again, they
lint nothing and say the same; after an edit (a goal's words, an account's name, another day or
language) they say exactly what they would say with nothing kept at all."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaplan_tui.cli import main
from kaplan_tui.core.briefs import BriefOptions, render_brief
from kaplan_tui.core.lint import clear_cache, engine
from kaplan_tui.core.models import Account, Goal
from kaplan_tui.storage import Workspace

from ..lintcount import count_fields_made, count_lints

SAMPLE = Path(__file__).resolve().parents[3] / "sample_workspace"
AS_OF = "2026-11-25"
TEAM = ["--audience", "team", "--out", "-", "--as-of", AS_OF]

EDITED_GOAL = "goal-2026-east-revenue"
NO_DEADLINE = "华东大客户组销售额3.55亿元(2025年3.23亿元)。"
"""Its statement without the year and the deadline words: time-bound fails (SMART 100 -> 80)."""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root)
    return root


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A cache folder of the test's own, and no result from another test in memory."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(folder))
    clear_cache()
    yield folder
    clear_cache()
    assert engine.use_store(None) is None, "a command left its store in use"


@pytest.fixture
def lints(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the engine really lints (not found in memory or in a store)."""
    return count_lints(monkeypatch)


def run(*args: str, cache: Path | None = None) -> tuple[int, bytes, str]:
    """``kaplan ARGS`` as a new process would run it: nothing in memory from an earlier run;
    ``cache``: another cache folder."""
    clear_cache()
    env = None if cache is None else {"KAPLAN_CACHE_DIR": str(cache)}
    result = CliRunner().invoke(main, list(args), env=env)
    clear_cache()
    return result.exit_code, result.stdout_bytes, result.stderr


def brief(root: Path, *args: str, cache: Path | None = None) -> bytes:
    code, out, err = run("brief", str(root), *TEAM, *args, cache=cache)
    assert code == 0, err
    assert out.startswith(b"# ")
    return out


def fresh_brief(root: Path, tmp_path: Path, *args: str) -> bytes:
    """The brief made with an empty cache folder: nothing kept, everything linted."""
    folder = tmp_path / f"empty-{len(list(tmp_path.glob('empty-*')))}"
    return brief(root, *args, cache=folder)


def row(markdown: bytes, ref: str) -> str:
    """The line of goal ``ref`` in the table of goals (the brief's first table)."""
    lines = [line for line in markdown.decode().splitlines() if line.startswith(f"| {ref} | ")]
    assert lines, ref
    return lines[0]


def edit_goal(root: Path, goal_id: str, statement: str) -> None:
    ws = Workspace.open(root, user="tester")
    goal = ws.get(Goal, goal_id)
    assert goal is not None
    ws.save(goal.model_copy(update={"statement": statement}))


def rename_account(root: Path, account_id: str, name: str) -> None:
    ws = Workspace.open(root, user="tester")
    account = ws.get(Account, account_id)
    assert account is not None
    ws.save(account.model_copy(update={"name": name}))


# --- kaplan brief -----------------------------------------------------------------------------


def test_a_brief_made_again_lints_nothing_and_is_the_same(ws: Path, lints: list[str]) -> None:
    first = brief(ws)
    assert len(lints) >= 40  # every open goal of the sample
    lints.clear()
    assert brief(ws) == first
    assert lints == []


def test_after_an_edit_the_goal_is_linted_again_and_the_brief_is_as_without_the_cache(
    ws: Path, tmp_path: Path, lints: list[str]
) -> None:
    first = brief(ws)
    assert "100 ✅" in row(first, "G6")
    edit_goal(ws, EDITED_GOAL, NO_DEADLINE)
    lints.clear()
    edited = brief(ws)
    assert lints == [NO_DEADLINE]  # only the edited goal
    assert NO_DEADLINE in row(edited, "G6") and "| 80 " in row(edited, "G6")
    assert edited == fresh_brief(ws, tmp_path)
    # rendered with no store at all, in this process
    snapshot = Workspace.open(ws, read_only=True).snapshot()
    options = BriefOptions(lang=snapshot.settings.language, as_of=dt.date.fromisoformat(AS_OF))
    clear_cache()
    assert render_brief(snapshot, "team", options=options).markdown.encode() == edited
    # and the edit undone: the first verdict again, found in the cache
    edit_goal(ws, EDITED_GOAL, "2026年华东大客户组销售额3.55亿元(2025年3.23亿元),12月31日前完成。")
    lints.clear()
    assert brief(ws) == first
    assert lints == []


def test_a_renamed_account_gives_the_brief_made_without_the_cache(
    ws: Path, tmp_path: Path, lints: list[str]
) -> None:
    first = brief(ws)
    rename_account(ws, "acc-beichen-energy", "北极星能源装备")
    lints.clear()
    renamed = brief(ws)
    assert lints, "the workspace's names changed: nothing kept applies"
    assert row(renamed, "G3") != row(first, "G3")  # its SMART verdict changed with the name
    assert renamed == fresh_brief(ws, tmp_path)


@pytest.mark.parametrize(
    "other", [("--lang", "en"), ("--as-of", "2027-02-01")], ids=["language", "date"]
)
def test_another_language_or_day_gives_the_brief_made_without_the_cache(
    other: tuple[str, str], ws: Path, tmp_path: Path, lints: list[str]
) -> None:
    first = brief(ws)
    lints.clear()
    again = brief(ws, *other)
    if other[0] == "--lang":  # every message is another: nothing kept applies
        assert len(lints) >= 40, "results with messages in another language were used"
    assert again != first
    assert again == fresh_brief(ws, tmp_path, *other)
    lints.clear()
    assert brief(ws, *other) == again and lints == []


@pytest.fixture
def fields_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The goals whose lint inputs are made (not found by the workspace's version)."""
    return count_fields_made(monkeypatch)


def test_a_brief_of_unchanged_files_makes_no_lint_input(
    ws: Path, lints: list[str], fields_made: list[str]
) -> None:
    """The verdicts are found by each goal and the workspace's version: its goals' fields
    (a team's accounts' histories) and its names are not made again."""
    first = brief(ws)
    assert len(fields_made) >= 40
    fields_made.clear()
    lints.clear()
    assert brief(ws) == first
    assert fields_made == [] and lints == []


def change_history(root: Path, account_id: str) -> None:
    ws = Workspace.open(root, user="tester")
    account = ws.get(Account, account_id)
    assert account is not None
    history = {label: value * 3 for label, value in account.purchase_history.items()}
    ws.save(account.model_copy(update={"purchase_history": history}))


def test_any_change_to_the_files_makes_the_inputs_again(
    ws: Path, tmp_path: Path, lints: list[str], fields_made: list[str]
) -> None:
    brief(ws)
    # a change the lint does not read: inputs made again, nothing linted again
    pillar = Workspace.open(ws).snapshot().pillars["pil-cloud-crosssell"]
    Workspace.open(ws, user="tester").save(pillar.model_copy(update={"description": "新"}))
    fields_made.clear()
    lints.clear()
    again = brief(ws)
    assert len(fields_made) >= 40 and lints == []
    assert again == fresh_brief(ws, tmp_path)
    # a change it reads (an account's history: the growth its team's goals are held to)
    change_history(ws, "acc-beichen-energy")
    fields_made.clear()
    lints.clear()
    changed = brief(ws)
    assert len(fields_made) >= 40 and lints, "the history changed: verdicts made again"
    assert changed == fresh_brief(ws, tmp_path)
    lints.clear()
    fields_made.clear()
    assert brief(ws) == changed and fields_made == []


def test_a_brief_that_fails_leaves_no_store_in_use(ws: Path) -> None:
    code, _, err = run("brief", str(ws), "--audience", "person", "--for", "nobody")
    assert code == 2 and "nobody" in err
    assert engine.use_store(None) is None


# --- kaplan check -----------------------------------------------------------------------------


def check(root: Path, *args: str, cache: Path | None = None) -> tuple[int, bytes]:
    code, out, err = run("check", str(root), *args, cache=cache)
    assert code in (0, 1), err
    return code, out


def test_check_made_again_lints_nothing_and_says_the_same(ws: Path, lints: list[str]) -> None:
    first = check(ws, "--json")
    assert lints
    lints.clear()
    assert check(ws, "--json") == first
    assert lints == []
    lints.clear()
    assert check(ws) == check(ws, cache=ws.parent / "empty")  # the text report too


def test_check_after_an_edit_is_as_without_the_cache(
    ws: Path, tmp_path: Path, lints: list[str]
) -> None:
    first = check(ws, "--json")
    edit_goal(ws, EDITED_GOAL, NO_DEADLINE)
    lints.clear()
    edited = check(ws, "--json")
    assert lints == [NO_DEADLINE]
    assert edited != first
    assert edited == check(ws, "--json", cache=tmp_path / "empty-check")

    rename_account(ws, "acc-beichen-energy", "北极星能源装备")
    renamed = check(ws, "--json")
    assert renamed != edited
    assert renamed == check(ws, "--json", cache=tmp_path / "empty-check-2")


def test_brief_and_check_share_one_store(ws: Path, lints: list[str]) -> None:
    """A check after a brief of the same day lints only what the brief did not."""
    today = dt.date.today().isoformat()
    code, _, err = run("brief", str(ws), "--audience", "team", "--out", "-", "--as-of", today)
    assert code == 0, err
    briefed = set(lints)
    lints.clear()
    check(ws, "--json")
    assert briefed and not briefed & set(lints)
