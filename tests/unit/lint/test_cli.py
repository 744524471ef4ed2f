"""``kaplan lint`` as DESIGN §5 states it: options, JSON keys, JSON Lines order, exit codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaplan_tui.cli import main
from kaplan_tui.core.models import Account, Goal, Metric, Person, Pillar, ScopeKind, Territory
from kaplan_tui.storage import Workspace

_KEYS = {"lang", "score", "criteria", "diagnostics"}
_CRITERIA = {"specific", "measurable", "achievable", "relevant", "time_bound"}
_STATUSES = {"pass", "warn", "fail", "unknown"}
_GOOD = "2025年12月31日前,将华东区A类客户的年销售额从450万元提高到500万元"


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["lint", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_single_goal_json_and_exit_zero() -> None:
    code, out, _ = run(_GOOD, "--today", "2025-06-01", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == _KEYS
    assert set(data["criteria"]) == _CRITERIA and set(data["criteria"].values()) <= _STATUSES
    assert data["lang"] == "zh" and data["score"] == 100


def test_a_failing_criterion_exits_one_and_the_report_marks_spans() -> None:
    code, out, _ = run("尽快提升重点客户满意度", "--lang", "en")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].strip() == "尽快提升重点客户满意度"
    assert lines[1].strip().startswith("^^^^")  # 尽快: two wide characters
    assert "S ✗" in out and "T ✗" in out
    assert "SMART-T002" in out and "is not a deadline" in out


def test_fields_complete_the_text() -> None:
    args = ["Grow the ACME Corp account", "--json", "--today", "2025-06-01"]
    fields = {
        "account": "ACME Corp", "metric": "revenue", "baseline": "1200000", "target": "1500000",
        "unit": "USD", "deadline": "2025-12-31", "history_yoy_growth": "[0.18, 0.22, 0.24]",
        "strategy_pillar": "Cross-sell analytics", "owner_territory": '["ACME Corp"]',
    }  # fmt: skip
    for key, value in fields.items():
        args += ["--field", f"{key}={value}"]
    code, out, _ = run(*args)
    assert code == 0
    data = json.loads(out)
    assert all(v == "pass" for v in data["criteria"].values()), data
    assert {d["rule"] for d in data["diagnostics"]} == {"SMART-M007", "SMART-T001"}


def test_user_text_is_never_markup() -> None:
    code, out, _ = run("[bold red]boom[/] by 2025-12-31 for ACME集团", "--today", "2025-06-01")
    assert "[bold red]boom[/]" in out
    assert code == 1


def test_batch_keeps_order_and_keys() -> None:
    rows = [
        {"id": "b", "text": "尽快提升重点客户满意度", "fields": {}},
        {"id": 7, "text": _GOOD},
        {"id": "c", "text": "Sign 3 new logos in the Nordic mid-market segment within 90 days",
         "fields": {"created_at": "2025-06-01"}},
    ]  # fmt: skip
    stdin = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n"
    code, out, _ = run("--input", "-", "--json", "--today", "2025-06-01", stdin=stdin)
    assert code == 1  # the first goal fails
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in records] == ["b", 7, "c"]
    for record in records:
        assert set(record) == {"id"} | _KEYS
        assert set(record["criteria"].values()) <= _STATUSES
        for d in record["diagnostics"]:
            assert {
                "rule",
                "criterion",
                "severity",
                "kind",
                "start",
                "end",
                "message",
                "fix",
            } <= set(d)
    assert records[1]["criteria"]["time_bound"] == "pass"
    assert records[2]["lang"] == "en"


def test_batch_of_good_goals_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "goals.jsonl"
    path.write_text(json.dumps({"id": 1, "text": _GOOD}, ensure_ascii=False) + "\n", "utf-8")
    code, out, _ = run("--input", str(path), "--json", "--today", "2025-06-01")
    assert code == 0 and json.loads(out)["id"] == 1


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("text", "--input", "-"),
        ("--goal", "g1"),
        ("text", "--field", "novalue"),
        ("--input", "-", "--field", "a=b"),
    ],
)
def test_usage_errors_exit_two(args: tuple[str, ...]) -> None:
    code, _, _ = run(*args, stdin="")
    assert code == 2


def test_bad_batch_line_exits_two_before_any_output() -> None:
    stdin = '{"id": 1, "text": "ok"}\nnot json\n'
    code, out, err = run("--input", "-", "--json", stdin=stdin)
    assert code == 2 and out == "" and "2" in err


def test_not_a_workspace_exits_two(tmp_path: Path) -> None:
    code, _, _ = run("--workspace", str(tmp_path), "--json")
    assert code == 2


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    ws = Workspace.init(path, name="Demo", language="zh")
    acme = ws.create(Account(name="ACME集团", region="华东", purchase_history={
        "2022": 1_000_000, "2023": 1_050_000, "2024": 1_100_000}))  # fmt: skip
    hooli = ws.create(Account(name="Hooli", region="华南"))
    owner = ws.create(Person(name="王磊", territory=Territory(accounts=[acme.id])))
    pillar = ws.create(Pillar(name="存量客户增长"))
    ws.create(Goal(
        id="g-good", statement="2025年12月31日前把ACME集团的采购额提升到115万元",
        type="revenue", scope=ScopeKind.ACCOUNT, scope_ref=acme.id, owner=owner.id,
        pillar=pillar.id, start=dt.date(2025, 6, 1), deadline=dt.date(2025, 12, 31),
        metric=Metric(name="采购额", unit="CNY", baseline=1_100_000, target=1_150_000),
    ))  # fmt: skip
    ws.create(Goal(
        id="g-far", statement="2025年12月31日前把Hooli的采购额提升到300万元",
        type="revenue", scope=ScopeKind.ACCOUNT, scope_ref=hooli.id, owner=owner.id,
        start=dt.date(2025, 6, 1),
    ))  # fmt: skip
    ws.create(Goal(
        id="g-wild", statement="2025年12月31日前把ACME集团的采购额提升到200万元",
        type="revenue", scope=ScopeKind.ACCOUNT, scope_ref=acme.id, owner=owner.id,
        start=dt.date(2025, 6, 1),
        metric=Metric(name="采购额", unit="CNY", baseline=1_100_000, target=2_000_000),
    ))  # fmt: skip
    return path


def test_workspace_goals_use_their_context(workspace: Path) -> None:
    code, out, _ = run("--workspace", str(workspace), "--json")
    assert code == 1
    records = {r["id"]: r for r in map(json.loads, out.splitlines())}
    assert list(records) == ["g-far", "g-good", "g-wild"]
    good = records["g-good"]["criteria"]
    assert good["achievable"] == "pass" and good["relevant"] == "pass"  # history, pillar
    assert records["g-far"]["criteria"]["relevant"] == "fail"  # Hooli is not 王磊's account
    assert records["g-wild"]["criteria"]["achievable"] == "fail"  # +82% vs 5% a year
    assert any("5%" in d["message"] for d in records["g-wild"]["diagnostics"])


def test_workspace_single_goal_and_unknown_goal(workspace: Path) -> None:
    code, out, _ = run("--workspace", str(workspace), "--goal", "g-good", "--json")
    assert code == 0 and json.loads(out)["id"] == "g-good"
    code, _, _ = run("--workspace", str(workspace), "--goal", "nope", "--json")
    assert code == 2
    code, out, _ = run("--workspace", str(workspace), "--goal", "g-far")
    assert code == 1 and "g-far" in out and "SMART-R002" in out
