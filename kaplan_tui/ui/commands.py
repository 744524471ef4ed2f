"""Command palette providers: go to any account, goal or person by name or pinyin initials."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from kaplan_tui.core.text import clean_line
from kaplan_tui.i18n import t

if TYPE_CHECKING:
    from kaplan_tui.ui.app import KaplanApp


def pinyin_keys(text: str) -> list[str]:
    """Pinyin initials and full pinyin of the Chinese in ``text`` (``华为`` -> hw, huawei)."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return []
    from pypinyin import Style, lazy_pinyin  # loaded only when the palette first opens

    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore"))
    full = "".join(lazy_pinyin(text, errors="ignore"))
    return [initials.lower(), full.lower()]


@dataclass(frozen=True)
class Entry:
    """One thing the palette can go to."""

    title: str
    keys: tuple[str, ...]
    action: Callable[[], None]
    help: str


class RecordsProvider(Provider):
    """Accounts, goals and people, matched by name, English name or pinyin."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._entries: list[Entry] = []

    @property
    def kaplan(self) -> KaplanApp:
        """The app, typed."""
        from kaplan_tui.ui.app import KaplanApp

        assert isinstance(self.app, KaplanApp)
        return self.app

    async def startup(self) -> None:
        from kaplan_tui.core.models import Account, Bilingual, Goal, Person

        app = self.kaplan
        if not app.ready:  # the workspace is still loading: nothing to go to yet
            return
        lang = app.lang
        ws = app.workspace
        entries: list[Entry] = []
        for kind, cls, go in (
            ("account", Account, app.go_to_account),
            ("goal", Goal, app.go_to_goal),
            ("person", Person, app.go_to_person),
        ):
            label = t(f"ui.palette.{kind}", lang)
            for rec in ws.all(cls):
                if isinstance(rec, Bilingual):
                    names = [rec.name, *([rec.name_en] if rec.name_en else [])]
                elif isinstance(rec, Goal):
                    names = [rec.statement]
                else:
                    continue
                shown = clean_line(" / ".join(names))[:70]
                keys = tuple(k for n in names for k in (n, *pinyin_keys(n)))
                entries.append(Entry(f"{label}: {shown}", keys, partial(go, rec.id), label))
        self._entries = entries

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries:
            score = max((matcher.match(k) for k in entry.keys), default=0.0)
            score = max(score, matcher.match(entry.title))
            if score > 0:
                yield Hit(score, matcher.highlight(entry.title), entry.action, help=entry.help)

    async def discover(self) -> Hits:
        for entry in self._entries[:20]:
            yield DiscoveryHit(entry.title, entry.action, help=entry.help)
