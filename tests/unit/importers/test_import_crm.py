"""`kaplan import-crm` on the public CRM export: exact figures, idempotence, Chinese headers in
GB18030, XLSX, bad rows, --dry-run and the exit codes of the CLI contract."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kaplan_tui.cli import main
from kaplan_tui.core.models import Account, Person, Team, user_fields
from kaplan_tui.storage import Workspace

CRM = Path(__file__).parents[2] / "fixtures" / "crm"
FILES = {
    "accounts": "accounts.csv",
    "deals": "sales_pipeline.csv",
    "teams": "sales_teams.csv",
    "products": "products.csv",
}
NewWs = Callable[..., Path]


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def run(*args: str | Path) -> Result:
    got = CliRunner().invoke(main, [str(a) for a in args])
    if got.exception is not None and not isinstance(got.exception, SystemExit):
        raise got.exception
    return Result(got.exit_code, got.stdout, got.stderr)


def files(folder: Path = CRM, suffix: str = ".csv", *roles: str) -> list[str]:
    """``--accounts F --deals F ...`` for the export in ``folder`` (all four by default)."""
    out: list[str] = []
    for role, name in FILES.items():
        if roles and role not in roles:
            continue
        out += [f"--{role}", str(folder / Path(name).with_suffix(suffix).name)]
    return out


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def source_won_total() -> Decimal:
    rows = rows_of(CRM / FILES["deals"])
    return sum((Decimal(r["close_value"]) for r in rows if r["deal_stage"] == "Won"), Decimal(0))


def record_bytes(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.glob("*.json"))}


def records(root: Path) -> dict[str, dict[str, dict[str, Any]]]:
    ws = Workspace.open(root)
    return {
        kind: {rid: user_fields(rec) for rid, rec in ws.records(kind).items()}
        for kind in ("account", "person", "team")
    }


def test_the_public_export_imports_exactly(new_ws: NewWs) -> None:
    root = new_ws()
    got = run("import-crm", root, *files())
    assert got.code == 0, got.err

    ws = Workspace.open(root)
    accounts = ws.all(Account)
    assert len(accounts) == 85
    assert {a.name for a in accounts} == {r["account"] for r in rows_of(CRM / "accounts.csv")}
    won = sum((Decimal(repr(v)) for a in accounts for v in a.purchase_history.values()), Decimal(0))
    assert won == source_won_total() == Decimal(10_005_534)
    assert all(label.startswith("2017-Q") for a in accounts for label in a.purchase_history)

    people = ws.all(Person)
    assert len(people) == 41  # 35 agents and 6 managers
    assert sum(p.role == "manager" for p in people) == 6
    teams = ws.all(Team)
    assert sorted(t.name for t in teams) == ["Central", "East", "West"]
    by_name = {p.name: p for p in people}
    anna = by_name["Anna Snelling"]
    assert anna.manager == by_name["Dustin Brinkmann"].id
    assert anna.team == next(t.id for t in teams if t.name == "Central")

    acme = next(a for a in accounts if a.name == "Acme Corporation")
    assert acme.industry == "technolgy"  # kept as published unless the map renames it
    assert acme.region == "United States" and acme.employees == 2822
    assert acme.annual_revenue == 1100.04 and acme.size == "1000-4999"
    assert acme.external_ids["crm"] == "Acme Corporation"
    assert acme.owner in {p.id for p in people}
    assert "GTX Pro" in acme.products_held and "GTXPro" not in acme.products_held
    assert acme.potential == 26768.0  # only the GTK 500 is not held yet
    assert all(item.stage in {"Prospecting", "Engaging"} for item in acme.pipeline)
    assert all(item.amount is not None for a in accounts for item in a.pipeline)
    assert sum(1 for a in accounts if a.parent_company) == 15

    assert "GTXPro" in got.err and "GTX Pro" in got.err and "1480 rows" in got.err
    assert "85 to create" in got.err and "10,005,534" in got.err


def test_reimport_changes_nothing(new_ws: NewWs) -> None:
    root = new_ws()
    assert run("import-crm", root, *files()).code == 0
    before = record_bytes(root)
    journal = (root / ".kaplan" / "journal.jsonl").read_bytes()

    got = run("import-crm", root, *files(), "--json")
    assert got.code == 0, got.err
    summary = json.loads(got.out)
    for kind in ("account", "person", "team"):
        assert summary["counts"][kind]["create"] == 0
        assert summary["counts"][kind]["update"] == 0
    assert summary["counts"]["account"]["unchanged"] == 85
    assert summary["written"] is False
    assert record_bytes(root) == before
    assert (root / ".kaplan" / "journal.jsonl").read_bytes() == journal


def test_reimport_updates_only_what_changed_and_keeps_the_users_fields(
    new_ws: NewWs, tmp_path: Path
) -> None:
    root = new_ws()
    assert run("import-crm", root, *files()).code == 0
    ws = Workspace.open(root)
    acme = next(a for a in ws.all(Account) if a.name == "Acme Corporation")
    acme.needs = ["faster delivery"]
    acme.strategic_fit = 5
    ws.save(acme)

    changed = tmp_path / "changed"
    shutil.copytree(CRM, changed)
    accounts = (changed / "accounts.csv").read_text(encoding="utf-8")
    (changed / "accounts.csv").write_text(
        accounts.replace(
            "Acme Corporation,technolgy,1996,1100.04,2822",
            "Acme Corporation,technolgy,1996,1100.04,3000",
        ),
        encoding="utf-8",
    )
    got = run("import-crm", root, *files(changed), "--json")
    assert got.code == 0, got.err
    summary = json.loads(got.out)
    assert summary["counts"]["account"] == {"create": 0, "update": 1, "unchanged": 84}
    change = summary["changes"][0]
    assert change["name"] == "Acme Corporation" and change["fields"] == ["employees"]
    after = Workspace.open(root).get(Account, acme.id)
    assert after is not None and after.employees == 3000 and after.rev == 3
    assert after.needs == ["faster delivery"] and after.strategic_fit == 5


def test_chinese_headers_in_gb18030_give_the_same_records(new_ws: NewWs, zh_export: Path) -> None:
    en, zh = new_ws("en"), new_ws("zh")
    assert run("import-crm", en, *files()).code == 0
    got = run("import-crm", zh, *files(zh_export), "--lang", "zh")
    assert got.code == 0, got.err
    assert "gb18030" in got.err and "客户:新建 85" in got.err
    assert records(zh) == records(en)


def test_xlsx_gives_the_same_records(new_ws: NewWs, xlsx_export: Path) -> None:
    csv_ws, xlsx_ws = new_ws("csv"), new_ws("xlsx")
    assert run("import-crm", csv_ws, *files()).code == 0
    got = run("import-crm", xlsx_ws, *files(xlsx_export, ".xlsx"))
    assert got.code == 0, got.err
    assert "(xlsx)" in got.err
    assert records(xlsx_ws) == records(csv_ws)


def test_utf8_with_bom_and_semicolons_is_read(new_ws: NewWs, tmp_path: Path) -> None:
    folder = tmp_path / "bom"
    folder.mkdir()
    text = (CRM / "accounts.csv").read_text(encoding="utf-8")
    (folder / "accounts.csv").write_bytes(b"\xef\xbb\xbf" + text.replace(",", ";").encode())
    root = new_ws()
    got = run("import-crm", root, "--accounts", folder / "accounts.csv")
    assert got.code == 0, got.err
    assert "utf-8-sig" in got.err
    assert len(Workspace.open(root).all(Account)) == 85


def _bad_export(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    shutil.copytree(CRM, folder)
    path = folder / "sales_pipeline.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # line 2 is the first deal (line 1 is the header)
    lines[1] = lines[1].replace(",1054\n", ",10x54\n")
    lines[2] = lines[2].replace("2017-03-11", "2017-13-45")
    lines[3] = lines[3].replace(",Cancity,", ",Cancityy,")
    lines[4] = lines[4].replace(",Won,", ",Maybe,")
    path.write_text("".join(lines), encoding="utf-8")
    return folder


def test_bad_rows_are_reported_with_line_and_column_and_nothing_is_written(
    new_ws: NewWs, tmp_path: Path
) -> None:
    bad = _bad_export(tmp_path)
    source_before = {p.name: p.read_bytes() for p in bad.iterdir()}
    root = new_ws()
    before = record_bytes(root)

    got = run("import-crm", root, *files(bad))
    assert got.code == 1
    assert record_bytes(root) == before
    err = got.err
    assert "sales_pipeline.csv:2, column H (close_value): '10x54' is not an amount" in err
    assert "sales_pipeline.csv:3, column G (close_date): '2017-13-45' is not a date" in err
    assert "sales_pipeline.csv:4, column D (account): unknown account 'Cancityy'" in err
    assert "did you mean 'Cancity'?" in err
    assert "sales_pipeline.csv:5, column E (deal_stage): unknown deal stage 'Maybe'" in err
    assert "nothing was written" in err
    assert {p.name: p.read_bytes() for p in bad.iterdir()} == source_before

    got = run("import-crm", root, *files(bad), "--json")
    assert got.code == 1
    problems = json.loads(got.out)["problems"]
    assert [(p["line"], p["column_letter"], p["code"]) for p in problems] == [
        (2, "H", "bad_amount"),
        (3, "G", "bad_date"),
        (4, "D", "unknown_account_hint"),
        (5, "E", "unknown_stage"),
    ]
    assert record_bytes(root) == before


def test_skip_bad_imports_the_rest_and_still_exits_1(new_ws: NewWs, tmp_path: Path) -> None:
    root = new_ws()
    got = run("import-crm", root, *files(_bad_export(tmp_path)), "--skip-bad")
    assert got.code == 1
    assert "left out" in got.err
    accounts = Workspace.open(root).all(Account)
    assert len(accounts) == 85
    won = sum(v for a in accounts for v in a.purchase_history.values())
    assert won == float(source_won_total()) - 1054 - 4514 - 50 - 588


def test_dry_run_writes_nothing_and_lists_the_changes(new_ws: NewWs) -> None:
    root = new_ws()
    before = record_bytes(root)
    got = run("import-crm", root, *files(), "--dry-run")
    assert got.code == 0, got.err
    assert record_bytes(root) == before
    assert not (root / ".kaplan" / "journal.jsonl").exists()
    lines = got.out.splitlines()
    assert len(lines) == 85 + 41 + 3
    assert any(line.startswith("create account acc-acme-corporation-") for line in lines)
    assert "dry run: nothing was written" in got.err


def test_not_a_workspace_and_usage_errors_exit_2(tmp_path: Path, new_ws: NewWs) -> None:
    got = run("import-crm", tmp_path / "nowhere", *files())
    assert got.code == 2 and "not a Kaplan workspace" in got.err
    root = new_ws()
    assert run("import-crm", root).code == 2  # --accounts is required
    assert run("import-crm", root, "--accounts", tmp_path / "missing.csv").code == 2
    bad_map = tmp_path / "map.toml"
    bad_map.write_text('[columns.deals]\n"签约金额" = "no_such_field"\n', encoding="utf-8")
    got = run("import-crm", root, *files(), "--map", bad_map)
    assert got.code == 2 and "no_such_field" in got.err and "close_value" in got.err


def test_a_concurrent_edit_is_a_conflict_exit_3(
    new_ws: NewWs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = new_ws()
    assert run("import-crm", root, *files()).code == 0
    changed = tmp_path / "changed"
    shutil.copytree(CRM, changed)
    text = (changed / "accounts.csv").read_text(encoding="utf-8")
    (changed / "accounts.csv").write_text(text.replace(",2822,", ",2900,"), encoding="utf-8")

    import kaplan_tui.importers as importers

    real_plan = importers.plan_import

    def plan_then_someone_saves(*args: Any, **kwargs: Any) -> Any:
        plan = real_plan(*args, **kwargs)
        other = Workspace.open(root, user="bob")
        acme = next(a for a in other.all(Account) if a.name == "Acme Corporation")
        acme.strategic_fit = 4
        other.save(acme)
        return plan

    monkeypatch.setattr(importers, "plan_import", plan_then_someone_saves)
    got = run("import-crm", root, *files(changed))
    assert got.code == 3
    assert "bob" in got.err
    acme = next(a for a in Workspace.open(root).all(Account) if a.name == "Acme Corporation")
    assert acme.employees == 2822 and acme.strategic_fit == 4


def test_a_mapping_file_names_other_columns_stages_and_industries(
    new_ws: NewWs, tmp_path: Path
) -> None:
    folder = tmp_path / "mapped"
    folder.mkdir()
    (folder / "accounts.csv").write_text(
        "客户全称,行业,员工人数\nAcme Corporation,technolgy,2822\nBetatech,medical,1185\n",
        encoding="utf-8",
    )
    (folder / "deals.csv").write_text(
        "客户全称,阶段,签约金额,签单日\n"
        "Acme Corporation,赢单-已回款,1000,03/31/2017\n"
        "Acme Corporation,方案阶段,250,\n"
        "betatech,初步接洽,,\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        "[columns.deals]\n"
        '"客户全称" = "account"\n"签约金额" = "close_value"\n"签单日" = "close_date"\n'
        "[stages]\n"
        '"赢单-已回款" = "won"\n"方案阶段" = "Proposal"\n'
        "[industries]\n"
        'technolgy = "technology"\n'
        "[options]\n"
        'date_format = "%m/%d/%Y"\n',
        encoding="utf-8",
    )
    root = new_ws()
    got = run(
        "import-crm",
        root,
        "--accounts",
        folder / "accounts.csv",
        "--deals",
        folder / "deals.csv",
        "--map",
        mapping,
    )
    assert got.code == 0, got.err
    accounts = {a.name: a for a in Workspace.open(root).all(Account)}
    acme = accounts["Acme Corporation"]
    assert acme.industry == "technology"
    assert acme.purchase_history == {"2017-Q1": 1000.0}
    assert [(p.stage, p.amount) for p in acme.pipeline] == [("Proposal", 250.0)]
    assert [(p.stage, p.amount) for p in accounts["Betatech"].pipeline] == [("Prospecting", None)]
    assert "matched account 'betatech' to 'Betatech'" in got.err


def test_an_account_already_in_the_workspace_is_matched_by_name(new_ws: NewWs) -> None:
    root = new_ws()
    ws = Workspace.open(root)
    mine = ws.create(Account(name="Acme Corporation", industry="ICT", tags=["key"]))
    got = run("import-crm", root, *files())
    assert got.code == 0, got.err
    assert f"to the existing record {mine.id}" in got.err
    accounts = Workspace.open(root).all(Account)
    assert len(accounts) == 85
    acme = next(a for a in accounts if a.name == "Acme Corporation")
    assert acme.id == mine.id and acme.tags == ["key"] and acme.industry == "technolgy"
    assert run("import-crm", root, *files(), "--dry-run").out == ""


def test_one_workbook_with_named_sheets_and_a_title_row(new_ws: NewWs, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    accounts = book.active
    assert accounts is not None
    accounts.title = "客户"
    accounts.append(["客户列表(导出于 2024-01-05)"])
    accounts.append(["客户名称", "行业", "员工数", "负责人"])
    accounts.append(["华为技术", "ICT", 195000, "张伟"])
    accounts.append(["美的集团", "制造业", 166000, "李娜"])
    deals = book.create_sheet("商机")
    deals.append(["客户名称", "商机阶段", "成交金额", "成交日期", "产品"])
    deals.append(["华为技术", "赢单", "12.5万", dt.datetime(2024, 8, 15), "云服务"])
    deals.append(["华为 技术", "成交", 30000, "2024年11月2日", "云服务"])
    deals.append(["美的集团", "商务谈判", 80000, None, "ERP"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    mapping = tmp_path / "map.toml"
    mapping.write_text('[sheets]\naccounts = "客户"\ndeals = "商机"\n', encoding="utf-8")

    root = new_ws()
    got = run(
        "import-crm", root, "--accounts", path, "--deals", path, "--map", mapping, "--lang", "zh"
    )
    assert got.code == 0, got.err
    ws = Workspace.open(root)
    by_name = {a.name: a for a in ws.all(Account)}
    huawei = by_name["华为技术"]
    assert huawei.id.startswith("acc-hua-wei-ji-shu-")
    assert huawei.purchase_history == {"2024-Q3": 125000.0, "2024-Q4": 30000.0}
    assert huawei.products_held == ["云服务"] and huawei.size == "10000+"
    assert [(p.stage, p.amount) for p in by_name["美的集团"].pipeline] == [("Negotiation", 80000.0)]
    owners = {p.id: p.name for p in ws.all(Person)}
    assert owners[huawei.owner or ""] == "张伟"
    assert "“华为 技术”→“华为技术”" in got.err


def test_teams_by_manager(new_ws: NewWs, tmp_path: Path) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text('[options]\nteams_by = "manager"\n', encoding="utf-8")
    root = new_ws()
    assert run("import-crm", root, *files(), "--map", mapping).code == 0
    ws = Workspace.open(root)
    teams = ws.all(Team)
    people = {p.id: p for p in ws.all(Person)}
    assert len(teams) == 6
    assert all(t.lead is not None and people[t.lead].role == "manager" for t in teams)
    assert {t.region for t in teams} == {"Central", "East", "West"}
    anna = next(p for p in people.values() if p.name == "Anna Snelling")
    assert anna.team is not None and ws.get(Team, anna.team).lead == anna.manager  # type: ignore[union-attr]
