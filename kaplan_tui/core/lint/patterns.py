"""Regular expressions compiled on first use.

The linter holds about a hundred patterns, some of them alternations of hundreds of words.
Compiling them all was most of what importing it cost (~0.1 s), though a lint compiles only what
its text needs: a Chinese team brief of 245 goals never uses 15 of them (~40 ms of compiling),
and ``kaplan lint`` on one goal far more. :func:`compile_all` compiles the rest ahead of time, for
a caller that imports the linter off the UI thread and wants no first-keystroke pause.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator

_ALL: list[LazyPattern] = []


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled when one of its methods is first called.

    Compiling puts the compiled pattern's own methods on the instance, where they take the place
    of these: from then on a call costs what it costs on a compiled pattern.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        _ALL.append(self)

    def compile(self) -> re.Pattern[str]:
        """The compiled pattern, compiled now if it was not yet.

        A method taken from the instance before its first use (``sub = PATTERN.sub``) still
        comes here on every call: after the first, this is one lookup.
        """
        compiled: re.Pattern[str] | None = vars(self).get("_compiled")
        if compiled is not None:
            return compiled
        compiled = re.compile(self.pattern, self.flags)
        vars(self).update(
            _compiled=compiled,
            search=compiled.search,
            match=compiled.match,
            fullmatch=compiled.fullmatch,
            finditer=compiled.finditer,
            findall=compiled.findall,
            sub=compiled.sub,
            split=compiled.split,
        )
        return compiled

    def compiled(self) -> bool:
        """Tell whether the pattern has been compiled."""
        return "_compiled" in vars(self)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``re.Pattern.search``."""
        return self.compile().search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """``re.Pattern.match``."""
        return self.compile().match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        """``re.Pattern.fullmatch``."""
        return self.compile().fullmatch(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        """``re.Pattern.finditer``."""
        return self.compile().finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[str]:
        """``re.Pattern.findall`` (of a pattern with at most one group)."""
        return self.compile().findall(string, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        """``re.Pattern.sub``."""
        return self.compile().sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str]:
        """``re.Pattern.split`` (of a pattern without groups)."""
        return self.compile().split(string, maxsplit)


def compile_all() -> None:
    """Compile every pattern not compiled yet."""
    for pattern in list(_ALL):
        if not pattern.compiled():
            pattern.compile()
