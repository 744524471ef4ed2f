"""``kaplan brief``: where it writes, never overwriting or following a symlink, exit codes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kaplan_tui.cli import main

SAMPLE = Path(__file__).resolve().parents[3] / "sample_workspace"
BASE = ["--as-of", "2026-11-25"]


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root)
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["brief", *args])
    return result.exit_code, result.stdout, result.stderr


def test_writes_into_briefs_and_never_overwrites(ws: Path) -> None:
    code, out, err = run(str(ws), "--audience", "team", "--for", "East China KA Team", *BASE)
    assert code == 0, err
    target = ws / "briefs" / "team-east-china-ka-team-zh.md"
    assert out.strip() == str(target)
    first = target.read_bytes()
    assert first.startswith("# 华东大客户组 · 目标简报\n".encode())

    target.write_text("my own edits", encoding="utf-8")
    code, _, err = run(str(ws), "--audience", "team", "--for", "team-east", *BASE)
    assert code == 1 and "--force" in err
    assert target.read_text(encoding="utf-8") == "my own edits"

    code, _, err = run(str(ws), "--audience", "team", "--for", "华东大客户组", "--force", *BASE)
    assert code == 0, err
    assert target.read_bytes() == first  # deterministic: same workspace and date, same bytes


def test_a_symlink_at_the_target_is_replaced_not_followed(ws: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (ws / "briefs").mkdir()
    link = ws / "briefs" / "exec-en.md"
    link.symlink_to(victim)
    code, _, err = run(str(ws), "--audience", "exec", "--lang", "en", *BASE)
    assert code == 1 and "--force" in err
    code, _, err = run(str(ws), "--audience", "exec", "--lang", "en", "--force", *BASE)
    assert code == 0, err
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not link.is_symlink() and link.read_text(encoding="utf-8").startswith("# Executive")


def test_a_symlinked_briefs_folder_is_refused(ws: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (ws / "briefs").symlink_to(elsewhere)
    code, _, _ = run(str(ws), "--audience", "exec", *BASE)
    assert code == 1
    assert list(elsewhere.iterdir()) == []


def test_out_file_dir_and_stdout(ws: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, _ = run(
        str(ws),
        "--audience",
        "person",
        "--for",
        "Li Na",
        "--lang",
        "en",
        "--out",
        str(out_dir),
        *BASE,
    )
    assert code == 0 and out.strip() == str(out_dir / "person-li-na-en.md")
    file = tmp_path / "mine.md"
    code, _, _ = run(
        str(ws), "--audience", "account", "--for", "acc-yuntu-data", "--out", str(file), *BASE
    )
    assert code == 0 and file.read_text(encoding="utf-8").startswith("# 客户计划：")
    code, out, _ = run(str(ws), "--audience", "exec", "--out", "-", "--redact", "incentive", *BASE)
    assert code == 0 and out.startswith("# 管理层摘要") and "本版本未包含：激励" in out
    assert not (ws / "briefs").exists()


def test_usage_errors_exit_2(ws: Path, tmp_path: Path) -> None:
    assert run(str(ws), "--audience", "person", *BASE)[0] == 2
    code, _, err = run(str(ws), "--audience", "person", "--for", "nobody", *BASE)
    assert code == 2 and "nobody" in err
    assert run(str(ws), "--audience", "exec", "--for", "team-east", *BASE)[0] == 2
    assert run(str(ws), "--audience", "exec", "--as-of", "someday")[0] == 2
    assert run(str(tmp_path / "nowhere"), "--audience", "exec")[0] == 2
    assert run(str(ws), "--audience", "boss")[0] == 2


def test_workspace_glossary(ws: Path) -> None:
    (ws / "glossary.toml").write_text(
        '[stretch_target]\nzh = "冲刺值"\nen = "stretch goal"\n', encoding="utf-8"
    )
    code, out, _ = run(str(ws), "--audience", "person", "--for", "p-lina", "--out", "-", *BASE)
    assert code == 0 and "冲刺值" in out and "冲刺目标" not in out
    (ws / "glossary.toml").write_text('[stretch_target]\nzh = "x"\n', encoding="utf-8")
    code, _, err = run(str(ws), "--audience", "exec", "--out", "-", *BASE)
    assert code == 1 and "glossary.toml" in err


def test_files_are_private_to_the_owner(ws: Path) -> None:
    code, out, _ = run(str(ws), "--audience", "exec", *BASE)
    assert code == 0
    assert os.stat(out.strip()).st_mode & 0o077 == 0


def test_cli_choices_match_the_engine() -> None:
    from kaplan_tui.cli import brief_cmd
    from kaplan_tui.core.briefs import AUDIENCES, REDACTABLE

    assert brief_cmd.AUDIENCES == AUDIENCES
    assert tuple(sorted(REDACTABLE)) == brief_cmd.REDACTABLE


def test_a_pipe_is_written_into_and_stays_a_pipe(ws: Path, tmp_path: Path) -> None:
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = run(str(ws), "--audience", "exec", "--lang", "en", "--out", str(fifo), *BASE)
    reader.join(10)
    assert code == 0, err
    assert got and got[0].startswith(b"# Executive")
    # an atomic replace would have swapped the pipe (or /dev/null) for a regular file
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_socket_at_the_target_is_refused_with_a_reason(ws: Path) -> None:
    import socket

    short = Path("/tmp") / f"kaplan-sock-{os.getpid()}"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(short))
        code, _, err = run(str(ws), "--audience", "exec", "--out", str(short), "--force", *BASE)
        assert code == 1 and ("not a regular file" in err or "不是普通文件" in err)
        assert os.path.exists(short) and not os.path.isfile(short)
    finally:
        sock.close()
        short.unlink(missing_ok=True)
