"""Theme files: the bundled ones load; a bad user theme is reported by file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaplan_tui.locations import bundled
from kaplan_tui.ui.themes import load_themes


def test_bundled_themes_load() -> None:
    themes, errors = load_themes([bundled("themes")])
    assert errors == []
    names = {t.name for t in themes}
    assert {"kaplan-ink", "kaplan-paper"} <= names
    ink = next(t for t in themes if t.name == "kaplan-ink")
    assert ink.variables["smart-pass"]


def test_user_themes_override_and_bad_files_are_named(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text('name = "mine"\nprimary = "#112233"\n')
    (tmp_path / "kaplan-ink.toml").write_text('name = "kaplan-ink"\nprimary = "#000000"\n')
    (tmp_path / "broken.toml").write_text('name = "broken"\nprimray = "#112233"\n')
    (tmp_path / "garbage.toml").write_text("name = [")
    themes, errors = load_themes([bundled("themes"), tmp_path])
    by_name = {t.name: t for t in themes}
    assert "mine" in by_name and by_name["kaplan-ink"].primary == "#000000"
    assert any("broken.toml" in e and "primary" in e for e in errors)
    assert any("garbage.toml" in e for e in errors)


async def test_the_theme_chosen_is_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from kaplan_tui.locations import config_dir
    from kaplan_tui.ui.app import make_app

    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    demo = tmp_path / "demo"
    shutil.copytree(bundled("sample_workspace"), demo)
    app = make_app(demo, lang="en")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == "kaplan-ink"
        app.theme = "kaplan-paper"
        await pilot.pause()
    assert (config_dir() / "theme.txt").read_text() == "kaplan-paper"
    again = make_app(demo, lang="en")
    async with again.run_test() as pilot:
        await pilot.pause()
        assert again.theme == "kaplan-paper"


def test_a_colour_that_does_not_parse_is_named_not_crashing_the_app(tmp_path: Path) -> None:
    (tmp_path / "odd.toml").write_text('name = "odd"\nprimary = "#112233"\naccent = "teal-ish"\n')
    (tmp_path / "light.toml").write_text('name = "light"\nprimary = "#112233"\ndark = false\n')
    themes, errors = load_themes([tmp_path])
    assert [t.name for t in themes] == ["light"] and not themes[0].dark
    assert errors == [f"{tmp_path / 'odd.toml'}: accent: 'teal-ish' is not a colour"]
