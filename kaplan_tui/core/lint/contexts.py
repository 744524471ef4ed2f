"""One key per distinct lint context, holding what is made from it once: its name index and
the digest of its content. Apart from the linter's rules and patterns, so that a lint whose
result was kept (:mod:`kaplan_tui.core.lint.store`) imports none of them."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from kaplan_tui.core.lint.model import LintContext
from kaplan_tui.core.lint.store import context_digest

if TYPE_CHECKING:
    from kaplan_tui.core.lint.facts import NameIndex


class ContextKey:
    """One per distinct :class:`LintContext`: hashed once, compared by identity, and holding the
    context's name index once it is needed.

    A workspace context holds some 20k names in tuples, which do not keep their hash, and a second
    snapshot of the same workspace (the TUI after a reload) builds an equal context of new objects:
    hashing one for every lookup, or comparing two field by field in every cache lookup, cost
    milliseconds a lint on the 10k workspace. :func:`context_key` compares a new context with the
    known ones once, so every later lookup compares keys by identity.
    """

    __slots__ = ("_digest", "_hash", "_index", "ctx")

    def __init__(self, ctx: LintContext, hashed: int) -> None:
        self.ctx = ctx
        self._hash = hashed
        self._index: NameIndex | None = None
        self._digest: bytes | None = None

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return other is self

    @property
    def index(self) -> NameIndex:
        """The :class:`NameIndex` of the context's account, segment and region names."""
        if self._index is None:
            from kaplan_tui.core.lint.facts import NameIndex

            ctx = self.ctx
            self._index = NameIndex(ctx.account_names + ctx.segment_names + ctx.region_names)
        return self._index

    @property
    def digest(self) -> bytes:
        """A hash of the context's content, for keys of results kept between processes."""
        if self._digest is None:
            self._digest = context_digest(self.ctx)
        return self._digest


# By the context's identity; each entry holds its context, so its id is not reused while kept.
_KEYS: dict[int, tuple[LintContext, ContextKey]] = {}
_KEYS_SIZE = 8


def context_key(ctx: LintContext) -> ContextKey:
    """The key of ``ctx``: the same object for the same context and for equal ones."""
    held = _KEYS.get(id(ctx))
    if held is not None and held[0] is ctx:
        return held[1]
    hashed = hash(ctx)
    known = list(_KEYS.values())  # another thread may add one meanwhile
    key = next((k for _, k in known if k._hash == hashed and k.ctx == ctx), None)
    if key is None:
        key = ContextKey(ctx, hashed)
    if len(_KEYS) >= _KEYS_SIZE:
        with contextlib.suppress(StopIteration, KeyError, RuntimeError):  # another thread's
            _KEYS.pop(next(iter(_KEYS)))
    _KEYS[id(ctx)] = (ctx, key)
    return key


def name_index(ctx: LintContext) -> NameIndex:
    """The :class:`NameIndex` of a context's account, segment and region names, made once."""
    return context_key(ctx).index
