"""``kaplan segment``, ``check`` and ``agenda`` on temp workspaces: JSON shapes, exit codes,
recorded runs and readable text."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kaplan_tui.cli import main
from kaplan_tui.core.models import Account, CheckIn, Goal, Metric, Pillar
from kaplan_tui.storage import Change, Workspace
from kaplan_tui.storage.runs import RUNS_KEPT, RecordedRun, last_run, record_run, runs_path

D = dt.date
YEAR = {"start": D(2026, 1, 1), "deadline": D(2026, 12, 31)}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _metric(target: float, unit: str = "CNY") -> Metric:
    return Metric(name="revenue", unit=unit, target=target)


@pytest.fixture
def ws(make_ws: Callable[..., Workspace]) -> Workspace:
    w = make_ws(language="en")
    w.commit(
        [
            Change("create", Pillar(id="pil", name="Grow")),
            Change(
                "create",
                Account(
                    id="big",
                    name="大客户甲",
                    name_en="Big Co",
                    tier=1,
                    purchase_history={"2024": 100.0, "2025": 200.0},
                    strategic_fit=5,
                ),
            ),
            Change(
                "create",
                Account(
                    id="small",
                    name="Small",
                    tier=2,
                    purchase_history={"2025": 50.0},
                    strategic_fit=2,
                ),
            ),
            Change(
                "create",
                Goal(
                    id="team",
                    statement="Team revenue 2026 [bold]x[/bold]",
                    type="revenue",
                    pillar="pil",
                    metric=_metric(1000.0),
                    **YEAR,
                ),
            ),
            Change(
                "create",
                Goal(
                    id="kid",
                    statement="Big Co revenue",
                    type="revenue",
                    parent="team",
                    scope="account",
                    scope_ref="big",
                    metric=_metric(300.0),
                    **YEAR,
                ),
            ),
            Change("create", CheckIn(id="ci1", goal="team", date=D(2026, 3, 31), actual=150.0)),
        ]
    )
    return w


def test_check_json_and_exit_code(ws: Workspace) -> None:
    result = invoke("check", str(ws.root), "--json")
    assert result.exit_code == 1, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    assert set(data) == {"findings", "counts", "smart_lint"}
    found = {(f["rule"], f["severity"], tuple(f["records"])) for f in data["findings"]}
    assert ("PLAN-SUM", "error", ("team", "kid")) in found
    for f in data["findings"]:
        assert {"rule", "severity", "records", "message"} <= set(f)
    assert data["counts"]["error"] >= 1


def test_check_clean_workspace_exits_0(
    make_ws: Callable[..., Workspace], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaplan_tui.core.planning import checks

    monkeypatch.setattr(checks, "find_smart_linter", lambda: None)  # plan rules only
    w = make_ws(language="zh")
    w.commit(
        [
            Change("create", Pillar(id="pil", name="增长")),
            Change(
                "create", Goal(id="g", statement="目标", pillar="pil", metric=_metric(1.0), **YEAR)
            ),
        ]
    )
    result = invoke("check", str(w.root))
    assert result.exit_code == 0, result.output
    assert "个错误" in result.stdout  # the summary speaks the workspace's language


def test_check_text_prints_user_text_verbatim(ws: Workspace) -> None:
    result = invoke("check", str(ws.root))
    assert "PLAN-SUM" in result.stdout
    assert "error" in result.stdout


def test_not_a_workspace_exits_2(tmp_path: Path) -> None:
    for cmd in ("segment", "check", "agenda"):
        result = invoke(cmd, str(tmp_path))
        assert result.exit_code == 2, (cmd, result.output)


def test_segment_records_runs_and_reports_changes(ws: Workspace) -> None:
    first = invoke("segment", str(ws.root), "--json")
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["previous_run"] is None and data["changes"] == []
    top = data["accounts"][0]
    assert top["id"] == "big" and top["name"] == "Big Co"
    assert set(top["components"]) >= {"revenue_last_year", "strategic_fit"}
    assert sum(top["components"].values()) == pytest.approx(top["score"], abs=0.01)
    assert top["explain"]["revenue_last_year"]["raw"] == 200.0
    assert {"step", "cases"} == set(data["sensitivity"])
    assert last_run(ws.root) is not None
    # a new account appears in the next run's changes
    ws.commit([Change("create", Account(id="new", name="New", purchase_history={"2025": 500.0}))])
    second = json.loads(invoke("segment", str(ws.root), "--json").stdout)
    assert second["previous_run"] is not None
    kinds = {(c["id"], c["kind"]) for c in second["changes"]}
    assert ("new", "added") in kinds
    assert ("big", "changed") in kinds  # its revenue is no longer the largest
    text = invoke("segment", str(ws.root))
    assert "Big Co (big)" in text.stdout
    assert "No changes since the last run" in text.stdout


def test_runs_file_keeps_the_newest(tmp_path: Path) -> None:
    (tmp_path / ".kaplan").mkdir()
    for i in range(RUNS_KEPT + 3):
        record_run(tmp_path, RecordedRun(f"2026-01-{i + 1:02d}", 2025, {}))
    data = json.loads(runs_path(tmp_path).read_text())
    assert len(data["runs"]) == RUNS_KEPT
    run = last_run(tmp_path)
    assert run is not None and run.at == f"2026-01-{RUNS_KEPT + 3:02d}"
    runs_path(tmp_path).write_text("{not json")
    assert last_run(tmp_path) is None


def test_agenda_json_and_text(ws: Workspace) -> None:
    result = invoke("agenda", str(ws.root), "--as-of", "2026-04-20", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"as_of", "overdue", "due", "at_risk"}
    assert data["as_of"] == "2026-04-20"
    overdue = {(r["goal"], r["date"]) for r in data["overdue"]}
    assert ("team", "2026-02-28") in overdue  # only March is covered
    (risk,) = data["at_risk"]
    # 150 by Mar 31 (90/365 of the year): projects 150 * 365 / 90 = 608.33 of 1000
    assert risk["goal"] == "team" and risk["status"] == "off_track"
    assert risk["projection"] == pytest.approx(608.33, abs=0.01)
    text = invoke("agenda", str(ws.root), "--as-of", "2026-04-20")
    assert "Agenda for 2026-04-20" in text.stdout
    assert "Team revenue 2026 [bold]x[/bold]" in text.stdout  # never read as markup


def test_agenda_bad_date_exits_2(ws: Workspace) -> None:
    result = invoke("agenda", str(ws.root), "--as-of", "April")
    assert result.exit_code == 2
    assert "not a date" in result.stderr


def test_check_lints_every_open_goal_when_the_engine_exists(ws: Workspace) -> None:
    from kaplan_tui.core.planning.checks import find_smart_linter

    if find_smart_linter() is None:
        pytest.skip("the SMART lint engine is not in this tree yet")
    data = json.loads(invoke("check", str(ws.root), "--json").stdout)
    assert data["smart_lint"] is True
    smart = {f["records"][0]: f for f in data["findings"] if f["rule"] == "SMART"}
    assert set(smart) == {"team", "kid"}
    for f in smart.values():
        assert set(f["data"]["criteria"]) == {
            "specific",
            "measurable",
            "achievable",
            "relevant",
            "time_bound",
        }
        assert f["severity"] in ("error", "warning", "info")
