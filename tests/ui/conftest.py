"""Pilot fixtures: the app on a private copy of the sample workspace, at a fixed date."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input, Static

from kaplan_tui.i18n import Lang
from kaplan_tui.locations import bundled
from kaplan_tui.ui.app import KaplanApp, make_app

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Input, "cursor_blink", False)


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    """A private copy of the bundled sample workspace."""
    target = tmp_path / "demo"
    shutil.copytree(bundled("sample_workspace"), target, ignore=shutil.ignore_patterns(".kaplan"))
    return target


@pytest.fixture
def app_factory(demo_path: Path) -> Callable[..., KaplanApp]:
    """Build the app on the copy: ``app_factory(lang="en")``."""

    def build(lang: Lang = "zh") -> KaplanApp:
        return make_app(demo_path, lang=lang, today=TODAY)

    return build


def _shown(widget: Static) -> str:
    """The plain text a Static shows, whatever it holds (text or a rich renderable)."""
    console = Console(width=max(widget.size.width, 40), file=io.StringIO(), color_system=None)
    console.print(widget.content)
    out = console.file
    assert isinstance(out, io.StringIO)
    return out.getvalue()


@pytest.fixture
def shown() -> Callable[[Static], str]:
    """``shown(widget)``: the plain text a Static shows."""
    return _shown
