"""The workspace commands of the CLI contract (DESIGN §5), their output and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaplan_tui.cli import main
from kaplan_tui.core.models import Account
from kaplan_tui.storage import Workspace


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    code, _, err = run("init", str(path), "--name", "Demo", "--lang", "en")
    assert code == 0, err
    return path


def test_init_then_doctor_is_clean(ws_path: Path) -> None:
    assert (ws_path / "kaplan.toml").exists()
    code, _, err = run("doctor", str(ws_path))
    assert code == 0 and "No problems" in err


def test_init_twice_is_a_usage_error(ws_path: Path) -> None:
    code, _, err = run("init", str(ws_path))
    assert code == 2 and "already" in err


def test_not_a_workspace_exits_2_with_advice(tmp_path: Path) -> None:
    for args in (["doctor", str(tmp_path)], ["export", str(tmp_path)], [str(tmp_path)]):
        code, _, err = run(*args)
        assert code == 2
        assert "kaplan init" in err


def test_doctor_reports_file_record_field_and_exits_1(ws_path: Path) -> None:
    (ws_path / "goals.json").write_text(
        '{"goals": {"g1": {"id": "g1", "statement": "x", "horizon": "forever"}}}'
    )
    code, out, _ = run("doctor", str(ws_path), "--json")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    assert {"file": "goals.json", "record": "g1", "field": "horizon"}.items() <= (
        report["problems"][0].items()
    )


def test_doctor_reports_dangling_references(ws_path: Path) -> None:
    code, _, _ = run(
        "import", str(ws_path), "-", stdin='{"kind": "goal", "id": "g1", "statement": "x"}\n'
    )
    assert code == 0
    path = ws_path / "goals.json"
    path.write_text(path.read_text().replace('"parent": null', '"parent": "g-missing"'))
    code, out, _ = run("doctor", str(ws_path))
    assert code == 1 and "g-missing" in out and "parent" in out


def test_export_import_round_trip(ws_path: Path, tmp_path: Path) -> None:
    lines = [
        {"kind": "person", "id": "p-wang", "name": "王磊", "name_en": "Wang Lei"},
        {
            "kind": "account",
            "id": "acc-hw",
            "name": "华为",
            "owner": "p-wang",
            "purchase_history": {"2025-Q1": 1200000},
        },
        {
            "kind": "goal",
            "statement": "2026年华为收入增长10%",
            "scope": "account",
            "scope_ref": "acc-hw",
            "metric": {"name": "收入", "unit": "CNY", "target": 5e6},
        },
    ]
    code, _, err = run(
        "import",
        str(ws_path),
        "-",
        stdin="\n".join(json.dumps(x, ensure_ascii=False) for x in lines),
    )
    assert code == 0, err
    assert "created 3" in err
    code, out, _ = run("export", str(ws_path))
    assert code == 0
    exported = [json.loads(line) for line in out.splitlines()]
    assert [(r["kind"], r["rev"]) for r in exported] == [("account", 1), ("goal", 1), ("person", 1)]
    assert all(list(r)[:3] == ["kind", "id", "rev"] for r in exported)
    # Importing the export into another workspace recreates it exactly.
    other = tmp_path / "other"
    run("init", str(other))
    code, _, _ = run("import", str(other), "-", stdin=out)
    assert code == 0
    _, again, _ = run("export", str(other), "--kind", "account")
    assert json.loads(again)["name"] == "华为"
    # Re-importing unchanged records changes nothing.
    code, _, err = run("import", str(ws_path), "-", stdin=out)
    assert code == 0 and "created 0, updated 0; 3 unchanged" in err


def test_import_is_all_or_nothing_and_names_every_bad_line(ws_path: Path) -> None:
    before = (ws_path / "accounts.json").read_bytes()
    stdin = "\n".join(
        [
            '{"kind": "account", "name": "Fine"}',
            '{"kind": "account", "name": ""}',
            "not json",
            '{"kind": "planet", "name": "Mars"}',
            '{"kind": "goal", "statement": "x",'
            ' "metric": {"name": "m", "target": 5, "stretch": 1}}',
        ]
    )
    code, _, err = run("import", str(ws_path), "-", stdin=stdin)
    assert code == 1
    for line in (
        "line 2: account: name",
        "line 3: not valid JSON",
        "line 4: kind",
        "line 5: goal: metric",
    ):
        assert line in err
    assert "line 1" not in err
    assert (ws_path / "accounts.json").read_bytes() == before


def test_import_with_a_stale_rev_exits_3_and_writes_nothing(ws_path: Path) -> None:
    ws = Workspace.open(ws_path)
    acc = ws.create(Account(id="acc-1", name="Acme"))
    ws.save(acc.model_copy(update={"region": "East"}))
    before = (ws_path / "accounts.json").read_bytes()
    code, _, err = run(
        "import",
        str(ws_path),
        "-",
        stdin='{"kind": "account", "id": "acc-1", "rev": 1, "region": "West"}',
    )
    assert code == 3 and "rev 2" in err
    assert (ws_path / "accounts.json").read_bytes() == before
    code, _, _ = run(
        "import",
        str(ws_path),
        "-",
        stdin='{"kind": "account", "id": "acc-1", "rev": 2, "region": "West"}',
    )
    assert code == 0
    assert Workspace.open(ws_path).get(Account, "acc-1").region == "West"  # type: ignore[union-attr]


def test_import_update_needs_rev(ws_path: Path) -> None:
    Workspace.open(ws_path).create(Account(id="acc-1", name="Acme"))
    code, _, err = run(
        "import", str(ws_path), "-", stdin='{"kind": "account", "id": "acc-1", "region": "West"}'
    )
    assert code == 1 and "rev" in err


def test_import_dry_run_writes_nothing(ws_path: Path) -> None:
    before = (ws_path / "accounts.json").read_bytes()
    code, _, err = run(
        "import", str(ws_path), "-", "--dry-run", stdin='{"kind": "account", "name": "Acme"}'
    )
    assert code == 0 and "would create 1" in err
    assert (ws_path / "accounts.json").read_bytes() == before


def test_demo_copies_the_sample_and_never_edits_the_bundled_copy(tmp_path: Path) -> None:
    from kaplan_tui.locations import bundled

    target = tmp_path / "demo"
    code, out, err = run("demo", str(target), "--no-open")
    assert code == 0, err
    assert out.strip() == str(target)
    assert (target / "kaplan.toml").exists()
    assert bundled("sample_workspace") != target
    # A second run keeps the user's copy as it is.
    (target / "marker").write_text("mine")
    code, _, err = run("demo", str(target), "--no-open")
    assert code == 0 and (target / "marker").exists() and "existing" in err
    code, _, err = run("demo", str(target), "--no-open", "--reset")
    assert code == 0 and not (target / "marker").exists()
    assert any(p.name.startswith("demo.old-") for p in tmp_path.iterdir())


def test_demo_default_goes_to_the_data_folder() -> None:
    from kaplan_tui.locations import data_dir

    code, out, _ = run("demo", "--no-open")
    assert code == 0 and Path(out.strip()) == data_dir() / "kaplan-demo"


def test_locate() -> None:
    code, out, _ = run("locate", "themes")
    assert code == 0 and out.strip().endswith("themes")


def test_unknown_option_is_a_usage_error(ws_path: Path) -> None:
    code, _, _ = run("doctor", str(ws_path), "--frobnicate")
    assert code == 2


def test_console_script_runs_headless_commands_without_textual(ws_path: Path) -> None:
    code = (
        "import sys\n"
        "from kaplan_tui.cli import main\n"
        "try:\n"
        f"    main(['export', {str(ws_path)!r}])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "assert 'textual' not in sys.modules, 'export imported textual'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_restore_names_the_file_it_put_back(ws_path: Path) -> None:
    ws = Workspace.open(ws_path)
    ws.create(Account(id="acc-1", name="Acme"))
    ws.create(Account(id="acc-2", name="Beta"))
    ws.path_of("account").write_bytes(b"garbage")
    code, _, err = run("restore", str(ws_path), "--kind", "account")
    assert code == 0, err
    assert "restored accounts.json;" in err and "kept as accounts.json.replaced-" in err
    assert [a.id for a in Workspace.open(ws_path).all(Account)] == ["acc-1"]


def test_the_console_script_knows_every_subcommand() -> None:
    from kaplan_tui.cli.base import LAZY_COMMANDS
    from kaplan_tui.cli.launch import COMMANDS

    assert set(main.commands) | set(LAZY_COMMANDS) == COMMANDS


def test_kaplan_path_without_a_workspace_exits_2_with_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kaplan_tui.cli.launch import main as console

    with pytest.raises(SystemExit) as stop:
        console([str(tmp_path)])  # the fast path: no click
    assert stop.value.code == 2
    assert "kaplan init" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        console(["doctor", str(tmp_path)])  # a subcommand goes to the click group
    assert stop.value.code == 2
