"""The message catalogue: every message in both languages, with the same placeholders."""

from __future__ import annotations

import string
from pathlib import Path

import pytest

from kaplan_tui.i18n import MissingMessageError, catalogue, t


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_zh_and_en_with_the_same_fields() -> None:
    for key, texts in catalogue().items():
        assert set(texts) == {"zh", "en"}, key
        assert texts["zh"].strip() and texts["en"].strip(), key
        assert _fields(texts["zh"]) == _fields(texts["en"]), key


def test_lookup_and_fill() -> None:
    assert "kaplan init x" in t("cli.not_a_workspace", "en", path="x")
    assert "不是 Kaplan 工作区" in t("cli.not_a_workspace", "zh", path="x")
    with pytest.raises(MissingMessageError):
        t("cli.no_such_message", "en")


def test_parsed_catalogues_are_cached_and_a_bad_cache_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kaplan_tui import i18n

    monkeypatch.setenv("KAPLAN_CACHE_DIR", str(tmp_path))
    i18n._area.cache_clear()
    english = i18n.t("ui.screen.goals", "en")
    cached = list((tmp_path / "i18n").glob("ui-*.json"))
    assert len(cached) == 1
    for garbage in (b"{not json", b'{"ui.screen.goals": "flat"}'):
        cached[0].write_bytes(garbage)
        i18n._area.cache_clear()
        assert i18n.t("ui.screen.goals", "en") == english  # read from the TOML again
    i18n._area.cache_clear()
    monkeypatch.setenv("KAPLAN_CACHE_DIR", "/proc/no-such-place")  # cannot be written
    assert i18n.t("ui.screen.goals", "zh")
    i18n._area.cache_clear()
