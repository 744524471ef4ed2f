"""Golden briefs: every audience in both languages from the sample workspace, at a fixed date.

Update after an intended change with ``pytest tests/unit/briefs --snapshot-update`` and read the
diff of ``__snapshots__/`` like any other change to what the team receives.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from kaplan_tui.core.briefs import BriefOptions, BriefStopped, render_brief
from kaplan_tui.core.snapshot import Snapshot
from kaplan_tui.storage import Workspace

from .mdcheck import check_structure

SAMPLE = Path(__file__).resolve().parents[3] / "sample_workspace"
AS_OF = dt.date(2026, 11, 25)
"""The sample workspace's own "today": its last check-ins are of that date."""

CASES = [
    ("team", "team-east"),
    ("team", None),
    ("person", "p-lina"),
    ("account", "acc-yuntu-data"),
    ("exec", None),
]


class MarkdownSnapshot(SingleFileSnapshotExtension):
    """One ``.md`` file per golden brief, so the diff reads as markdown."""

    _file_extension = "md"
    _write_mode = WriteMode.TEXT


@pytest.fixture(scope="module")
def sample() -> Snapshot:
    ws = Workspace.open(SAMPLE, read_only=True)
    return ws.snapshot()


@pytest.fixture
def md_snapshot(snapshot: Any) -> Any:
    return snapshot.use_extension(MarkdownSnapshot)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("audience", "subject"), CASES)
def test_golden_brief(
    sample: Snapshot, md_snapshot: Any, audience: Any, subject: str | None, lang: Any
) -> None:
    options = BriefOptions(lang=lang, as_of=AS_OF)
    brief = render_brief(sample, audience, subject=subject, options=options)
    check_structure(brief.markdown)
    assert (
        brief.markdown == render_brief(sample, audience, subject=subject, options=options).markdown
    )
    assert brief.markdown == md_snapshot


def test_sample_has_the_subjects(sample: Snapshot) -> None:
    assert "team-east" in sample.teams
    assert "p-lina" in sample.people
    assert "acc-yuntu-data" in sample.accounts


@pytest.mark.parametrize("audience", ["team", "person", "account"])
def test_charts_come_with_a_text_fallback(sample: Snapshot, audience: Any) -> None:
    subject = dict(CASES)[audience]
    brief = render_brief(sample, audience, subject=subject, options=BriefOptions("en", AS_OF))
    assert "```mermaid\nxychart-beta\n" in brief.markdown
    assert "█" in brief.markdown  # the text bars


def test_redacting_incentives_removes_every_award(sample: Snapshot) -> None:
    full = render_brief(sample, "person", subject="p-lina", options=BriefOptions("zh", AS_OF))
    hidden = render_brief(
        sample,
        "person",
        subject="p-lina",
        options=BriefOptions("zh", AS_OF, redact=frozenset({"incentive"})),
    )
    assert "达到基础目标" in full.markdown and "提成" in full.markdown
    assert "达到基础目标" not in hidden.markdown and "提成" not in hidden.markdown
    assert "本版本未包含：激励" in hidden.markdown


def test_the_glossary_of_the_workspace_wins(sample: Snapshot) -> None:
    glossary = {
        "stretch_target": {"zh": "冲刺值", "en": "stretch goal"},
        "kam": {"zh": "客户经理", "en": "account manager"},
    }
    options = BriefOptions("en", AS_OF, glossary=glossary)
    md = render_brief(sample, "person", subject="p-lina", options=options).markdown
    assert "Stretch goal" in md and "stretch target" not in md.lower()
    assert "| 冲刺值 | stretch goal |" in md
    assert "| 客户经理 | account manager |" in md


@pytest.mark.parametrize("audience,subject", CASES)
def test_a_brief_asked_to_stop_gives_up_and_one_never_asked_is_unchanged(
    sample: Snapshot, audience: Any, subject: str | None
) -> None:
    options = BriefOptions("zh", AS_OF)
    whole = render_brief(sample, audience, subject=subject, options=options)
    asked: list[int] = []

    def stop_at_2() -> bool:
        asked.append(1)
        return len(asked) >= 2

    with pytest.raises(BriefStopped):
        render_brief(sample, audience, subject=subject, options=options, stop=stop_at_2)
    assert len(asked) == 2  # asked goal by goal, and nothing after it said stop
    kept = render_brief(sample, audience, subject=subject, options=options, stop=lambda: False)
    assert kept.markdown == whole.markdown
