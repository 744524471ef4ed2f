"""Everything the rules look at, extracted once per lint call from text, fields and context."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from kaplan_tui.core.lint import lexicon as lx
from kaplan_tui.core.lint.contexts import name_index
from kaplan_tui.core.lint.fields import GoalFields
from kaplan_tui.core.lint.model import LintContext
from kaplan_tui.core.lint.normalize import Lang, normalize, normalize_all
from kaplan_tui.core.lint.numbers import Quantity, find_quantities, parse_cn_int
from kaplan_tui.core.lint.patterns import LazyPattern
from kaplan_tui.core.lint.timex import (
    TimeExpr,
    VagueTime,
    choose_deadline,
    find_times,
    find_vague_times,
)

Span = tuple[int, int]

_CLAUSE_BREAK = LazyPattern(r"[,;.!?。;!?\n]")
_ORG_SUFFIX = LazyPattern(
    r"(?:集团|有限公司|股份有限公司|公司|控股|科技)$|\s+(?:corp(?:oration)?|inc|ltd|llc|group|holdings"
    r"|co)\.?$",
    re.IGNORECASE,
)
_SENTENCE_START = LazyPattern(r"(?:^|[.!?;:,]\s*|\n)\s*$")


@dataclass(frozen=True, slots=True)
class Found:
    """A lexicon match."""

    start: int
    end: int
    text: str
    tag: str = ""


@dataclass
class Facts:
    """What the rules read: text, fields, and what was found in the text."""

    text: str
    norm: str
    lang: Lang
    msg_lang: Lang
    fields: GoalFields
    ref: date
    ctx: LintContext
    times: list[TimeExpr] = field(default_factory=list)
    deadline_expr: TimeExpr | None = None
    vague_times: list[VagueTime] = field(default_factory=list)
    top_n: list[tuple[int, int, int]] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    cohorts: list[Found] = field(default_factory=list)
    qualifiers: list[Found] = field(default_factory=list)
    regions: list[Found] = field(default_factory=list)
    entities: list[Found] = field(default_factory=list)
    metrics: list[Found] = field(default_factory=list)
    deliverables: list[Found] = field(default_factory=list)
    binary: list[Found] = field(default_factory=list)
    activities: list[Found] = field(default_factory=list)
    vague_verbs: list[Found] = field(default_factory=list)
    relation_nouns: list[Found] = field(default_factory=list)
    intensifiers: list[Found] = field(default_factory=list)
    hedges: list[Found] = field(default_factory=list)
    vague_quantities: list[Found] = field(default_factory=list)
    all_words: list[Found] = field(default_factory=list)
    multipliers: list[tuple[Found, float]] = field(default_factory=list)
    conjunctions: list[Found] = field(default_factory=list)
    grow: bool = False
    reduce: bool = False
    from_to: tuple[Quantity, Quantity] | None = None
    change_pct: Quantity | None = None
    """A percentage after 提高/by: a relative change, not a level."""
    links: list[Found] = field(default_factory=list)
    non_sales: list[Found] = field(default_factory=list)
    evidence: set[str] = field(default_factory=set)
    """Criteria for which a rule found evidence (achievable, relevant)."""

    # --- derived facts used by several rules ---

    @property
    def object_in_text(self) -> bool:
        """The text names an account, or a segment with a concrete qualifier."""
        return bool(self.entities or self.qualifiers or self.top_n)

    @property
    def fields_object(self) -> str | None:
        """The object given by the fields, if it is defined (not an undefined cohort)."""
        if self.fields.account:
            return self.fields.account
        segment = self.fields.segment
        if segment:
            norm = normalize(segment)
            if not lx.COHORT.search(norm) or lx.QUALIFIER.search(norm) or lx.TOP_N.search(norm):
                return segment
            if segment in self.ctx.segment_names:
                return segment
        return None

    @property
    def object_ok(self) -> bool:
        """The goal's object is identified, in the text or the fields."""
        return self.object_in_text or self.fields_object is not None

    @property
    def outcome_in_text(self) -> bool:
        """The text names a metric, a concrete deliverable or an amount of money or things."""
        return bool(
            self.metrics
            or self.deliverables
            or self.activities
            or any(q.kind in ("money", "count") for q in self.quantities)
        )

    @property
    def quantified_in_text(self) -> bool:
        """The text states a checkable target."""
        return bool(
            self.quantities
            or self.multipliers
            or self.binary
            or (self.all_words and self.object_ok and (self.outcome_in_text or self.fields.metric))
            # 完成对前20大客户的调研: done or not, over a defined set.
            or (self.top_n and (self.deliverables or self.activities))
            # 完成对比亚迪的首次高层拜访: one activity with one named account is done or not.
            or (self.activities and self.entities and not self.cohorts)
        )

    @property
    def deadline(self) -> date | None:
        """The deadline the verdict uses: the text's, else the field's."""
        if self.deadline_expr is not None:
            return self.deadline_expr.deadline
        return self.fields.deadline


def _found(pattern: LazyPattern | lx.Bilingual, text: str, tag: str = "") -> list[Found]:
    return [Found(m.start(), m.end(), m.group(), tag) for m in pattern.finditer(text)]


def _overlaps(start: int, end: int, spans: list[Span]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _same_clause(text: str, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return hi - lo <= 40 and not _CLAUSE_BREAK.search(text, lo, hi)


_ZH_ORG_SUFFIXES = ("股份有限公司", "有限公司", "公司", "集团", "控股", "科技")
"""The Chinese endings of ``_ORG_SUFFIX``, longest first: the one it removes from a name that
ends with one (the leftmost match is the longest; an English ending cannot end in Han)."""

_EN_ORG_SUFFIXES = frozenset(
    ("corp", "corporation", "inc", "ltd", "llc", "group", "holdings", "co")
)
"""The English endings of ``_ORG_SUFFIX``, lower-cased."""


def _core(norm: str) -> str:
    """``_ORG_SUFFIX.sub("", norm).strip()`` for a stripped name: the name without its legal
    ending (``Globex`` of ``Globex Corp.``, ``比亚迪`` of ``比亚迪股份有限公司``).

    The regex costs ~2 us a name, which the 20k names of a 10k workspace felt; the two usual
    kinds are read without it. In an ASCII name, IGNORECASE is ``lower()`` and the regex's
    whitespace is what ``rsplit()`` splits on, so the ending is the last word, after a last space
    and before an optional dot that ends the name.
    """
    if norm.endswith(_ZH_ORG_SUFFIXES):
        for suffix in _ZH_ORG_SUFFIXES:
            if norm.endswith(suffix):
                return norm[: -len(suffix)].strip()
    if norm.isascii():
        head = norm[:-1] if norm.endswith(".") else norm
        if head[-1:].isspace():  # 'Globex Inc .': the dot must follow the ending itself
            return norm
        parts = head.rsplit(None, 1)
        if len(parts) == 2 and parts[1].lower() in _EN_ORG_SUFFIXES:
            return parts[0]
        return norm
    return _ORG_SUFFIX.sub("", norm).strip()


def _name_variants(name: str) -> list[str]:
    norm = normalize(name).strip()
    out = [norm] if len(norm) >= 2 else []
    core = _core(norm)
    if len(core) >= 2 and core != norm:
        out.append(core)
    return out


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _match_name(
    norm: str, low: str, variants: Sequence[tuple[str, str]], first: Mapping[str, int] | None
) -> Found | None:
    """The first variant of one name found in the text, on word boundaries if it is Latin.

    ``variants`` are ``(variant, variant.lower())`` pairs; ``first`` gives where each lowered
    variant first occurs in ``low`` (as ``low.find`` would), or None to search ``low`` itself.
    """
    for variant, lowered in variants:
        pos = low.find(lowered) if first is None else first.get(lowered, -1)
        if pos >= 0:
            end = pos + len(variant)
            # Latin names must sit on word boundaries (Globex, not Globexx).
            if variant[:1].isascii() and pos > 0 and _latin(low[pos - 1]):
                continue
            if variant[-1:].isascii() and end < len(low) and _latin(low[end]):
                continue
            return Found(pos, end, norm[pos:end], "context")
    return None


def _find_names(norm: str, names: tuple[str, ...]) -> list[Found]:
    low = norm.lower()
    out = []
    for name in names:
        found = _match_name(norm, low, [(v, v.lower()) for v in _name_variants(name)], None)
        if found is not None:
            out.append(found)
    return out


_PREFIX = 4
"""Lowered variants at least this long are filed under their first characters."""


class NameIndex:
    """The names of a :class:`LintContext`, normalised once, filed for a scan of the text.

    A 10k-account workspace knows some 20k names (40k variants): normalising them and searching
    the text for each on every lint took ~0.3 s per goal. Built once per context, the index finds
    the same names in one pass over the text: at each position, only the variants starting with
    the text's next few characters are compared.

    Each name has at most two variants, kept in four flat lists of strings (:attr:`full`,
    :attr:`core` and their lowered forms) rather than a list or tuple per name: on a workspace
    of a million live objects, tens of thousands of small containers set off the cycle collector
    again and again, which cost more than the index itself. For the same reason, and because the
    index is built on the first lint of a brief or ``kaplan check``, each step runs over all the
    names at once rather than name by name where it can.
    """

    def __init__(self, names: Sequence[str]) -> None:
        self.names = tuple(names)
        norms = [n.strip() for n in normalize_all(self.names)]
        self.full = [n if len(n) >= 2 else "" for n in norms]
        """Each name, normalised and stripped; empty if it is shorter than 2 characters."""
        cores = [_core(n) for n in norms]
        self.core = [c if len(c) >= 2 and c != n else "" for n, c in zip(norms, cores, strict=True)]
        """Each name without its legal ending (see :func:`_core`); empty if that is the name
        itself or shorter than 2 characters."""
        self.full_lowered = [n.lower() for n in self.full]
        """``lower()`` of each of :attr:`full`."""
        self.core_lowered = [c.lower() for c in self.core]
        """``lower()`` of each of :attr:`core`."""
        # Both lowered variants of every name, name after name, with the name each belongs to.
        keys, ids = [""] * (2 * len(norms)), [0] * (2 * len(norms))
        keys[0::2], keys[1::2] = self.full_lowered, self.core_lowered
        ids[0::2] = ids[1::2] = range(len(norms))
        # The first owner wins: the last one written, going backwards.
        self.owner: dict[str, int] = dict(zip(reversed(keys), reversed(ids), strict=True))
        """Lowered variant -> the first name (by position) that has it."""
        self.owner.pop("", None)
        self.more_owners: dict[str, list[int]] = {}
        """Lowered variant -> the later names that have it too."""
        if len(self.owner) < len(keys) - keys.count(""):  # some variant is shared
            owner, more = self.owner, self.more_owners
            for key, i in zip(keys, ids, strict=True):
                if key and owner[key] != i:
                    later = more.setdefault(key, [])
                    if not later or later[-1] != i:  # a name's two variants may lower alike
                        later.append(i)
        self.long: dict[str, list[int]] = {}
        """First ``_PREFIX`` characters -> the lengths of the lowered variants that start with
        them and are that long or longer, ascending and distinct. A text is checked for each
        length rather than for each variant: the English names of a 10k workspace share a few
        hundred prefixes such as ``shen``, each with some 800 variants but 30 lengths."""
        self.short: dict[str, int] = {}
        """Lowered variants shorter than ``_PREFIX`` (and at least 2 long) by length."""
        long, short = self.long, self.short
        for key in self.owner:
            size = len(key)
            if size >= _PREFIX:
                bucket = long.get(key[:_PREFIX])
                if bucket is None:
                    long[key[:_PREFIX]] = [size]
                else:
                    bucket.append(size)
            else:
                short[key] = size  # at least 2: lowering never shortens
        for prefix, bucket in long.items():
            long[prefix] = sorted(set(bucket))
        self.short_lengths = sorted(set(short.values()))

    def first_positions(self, low: str) -> dict[str, int]:
        """Where each known lowered variant first occurs in ``low``: ``low.find`` for all."""
        first: dict[str, int] = {}
        long, short, owner, short_lengths = self.long, self.short, self.owner, self.short_lengths
        size = len(low)
        for i in range(size - 1):
            for n in short_lengths:
                piece = low[i : i + n]
                if piece in short and piece not in first:
                    first[piece] = i
            lengths = long.get(low[i : i + _PREFIX])
            if lengths:
                for n in lengths:
                    if i + n > size:
                        break
                    piece = low[i : i + n]
                    if piece in owner and piece not in first:
                        first[piece] = i
        return first

    def find(self, norm: str, low: str) -> list[Found]:
        """What ``_find_names(norm, self.names)`` returns, in the same order."""
        if not self.names:
            return []
        first = self.first_positions(low)
        candidates: set[int] = set()
        for lowered in first:
            candidates.add(self.owner[lowered])
            candidates.update(self.more_owners.get(lowered, ()))
        out = []
        full, core, full_lowered, core_lowered = (
            self.full, self.core, self.full_lowered, self.core_lowered
        )  # fmt: skip
        for i in sorted(candidates):
            pairs = [(full[i], full_lowered[i]), (core[i], core_lowered[i])]
            found = _match_name(norm, low, [p for p in pairs if p[0]], first)
            if found is not None:
                out.append(found)
        return out


def _english_names(norm: str, zh: bool) -> list[Found]:
    words = re.findall(r"[A-Za-z]+", norm)
    title_case = (
        not zh and len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)
    )
    out = []
    for m in (lx.ASCII_WORD if zh else lx.CAPITAL_RUN).finditer(norm):
        run = m.group()
        start = m.start()
        if not zh and (title_case or not run[0].isupper()):
            continue
        parts = list(re.finditer(r"[A-Za-z0-9&'.\-]+", run))
        kept: list[re.Match[str]] = []
        for i, part in enumerate(parts):
            word = part.group().rstrip(".'").removesuffix("'s").lower()
            first_of_sentence = i == 0 and bool(_SENTENCE_START.search(norm, 0, start))
            if word in lx.STOP_CAPS or first_of_sentence or word.isdigit() or not word:
                if kept:
                    break
                continue
            if not zh and not part.group()[0].isupper():
                break
            kept.append(part)
        if kept:
            s = start + kept[0].start()
            e = start + kept[-1].end()
            token = norm[s:e]
            if token.endswith("'s"):
                e -= 2
            elif token.endswith("'"):
                e -= 1
            if lx.QUALIFIER.fullmatch(norm[s:e]) or lx.METRIC.fullmatch(norm[s:e]):
                continue
            out.append(Found(s, e, norm[s:e], "name"))
    return out


def _zh_names(norm: str, time_spans: list[Span]) -> list[Found]:
    out = []
    for m in lx.ORG_ZH.finditer(norm):
        s, e = m.span()
        for ts, te in time_spans:
            if ts < e and s < te:
                s = max(s, te)  # 明年上半年实现华为终端事业部: the name starts after the date
        while True:
            while s < e and norm[s] in lx.ZH_LEADING_FUNCTION:
                s += 1
            verb = lx.ZH_LEADING_VERB.match(norm, s, e)
            if not verb or verb.end() >= e - 2:
                break
            s = verb.end()
        name = norm[s:e]
        stem = name[:-2] if len(name) > 2 else ""
        if len(name) < 3 or lx.NOT_A_NAME.search(stem) or lx.COHORT.search(name):
            continue
        out.append(Found(s, e, name, "org"))
    for m in [*lx.ZH_POSSESSIVE.finditer(norm), *lx.ZH_PARTNER.finditer(norm)]:
        name = m.group("name")
        if (
            lx.NOT_A_NAME.search(name)
            or lx.COHORT.search(name)
            or lx.METRIC.search(name)
            or lx.QUALIFIER.search(name)
            or any(ch.isdigit() for ch in name)
            or parse_cn_int(name) is not None
        ):
            continue
        out.append(Found(m.start("name"), m.end("name"), name, "possessive"))
    return out


def extract(
    text: str, fields: GoalFields, lang: Lang, msg_lang: Lang, ref: date, ctx: LintContext
) -> Facts:
    """Read ``text`` once and collect every fact the rules need."""
    norm = normalize(text)
    f = Facts(text, norm, lang, msg_lang, fields, ref, ctx)
    f.times = find_times(norm, ref, fields.fiscal_year_start)
    time_spans: list[Span] = [(t.start, t.end) for t in f.times]
    f.deadline_expr = choose_deadline(f.times)
    f.vague_times = find_vague_times(norm, time_spans)
    for m in lx.TOP_N.finditer(norm):
        token = next(g for g in m.groups() if g)
        n = int(token) if token.isdigit() else parse_cn_int(token)
        if n and not _overlaps(m.start(), m.end(), time_spans):
            f.top_n.append((m.start(), m.end(), n))
    blocked = time_spans + [(s, e) for s, e, _ in f.top_n]
    f.quantities = find_quantities(norm, blocked)

    f.cohorts = _found(lx.COHORT, norm)
    f.qualifiers = [
        q for q in _found(lx.QUALIFIER, norm) if not _overlaps(q.start, q.end, time_spans)
    ]
    f.regions = _found(lx.REGION, norm)
    # The context's names through its index, then the goal's own account and segment, in the
    # order a plain search over all of them would report them.
    entities = name_index(ctx).find(norm, norm.lower())
    entities += _find_names(norm, tuple(n for n in (fields.account, fields.segment) if n))
    entities += _english_names(norm, zh=lang == "zh")
    if lang == "zh" or any("\u4e00" <= ch <= "\u9fff" for ch in norm):
        entities += _zh_names(norm, time_spans)
    spans: list[Span] = []
    for ent in sorted(entities, key=lambda e: (e.start, -(e.end - e.start))):
        if _overlaps(ent.start, ent.end, spans) or _overlaps(ent.start, ent.end, time_spans):
            continue
        if any(c.start <= ent.start and ent.end <= c.end for c in f.cohorts):
            continue
        spans.append((ent.start, ent.end))
        f.entities.append(ent)

    f.metrics = _found(lx.METRIC, norm)
    f.activities = _found(lx.ACTIVITY, norm)
    nouns = _found(lx.DELIVERABLE_NOUN, norm)
    binary_nouns = _found(lx.BINARY_NOUN, norm)
    for verb in _found(lx.DELIVERABLE, norm):
        if any(_same_clause(norm, verb.start, n.start) for n in nouns + f.entities):
            f.deliverables.append(verb)
        for noun in binary_nouns:
            singular = lang == "zh" or not noun.text.lower().endswith("s")
            if singular and _same_clause(norm, verb.start, noun.start):
                f.binary.append(noun)
                break

    vague_verbs = _found(lx.VAGUE_VERB, norm)
    f.vague_verbs = vague_verbs
    f.relation_nouns = _found(lx.RELATION_NOUN, norm)
    f.intensifiers = _found(lx.INTENSIFIER, norm)
    f.hedges = _found(lx.HEDGE, norm)
    for vq in _found(lx.VAGUE_QUANTITY, norm):
        # 'sign 3 more deals', '更多的5家': a number next to the word makes it precise.
        near = any(0 <= q.start - vq.end <= 4 or 0 <= vq.start - q.end <= 2 for q in f.quantities)
        if near or any(i.start <= vq.start < i.end for i in f.intensifiers):
            continue
        last = f.vague_quantities[-1] if f.vague_quantities else None
        if last is not None and vq.start - last.end <= 1:
            # 'a few more', '更多更好': one vague phrase, one finding.
            f.vague_quantities[-1] = Found(last.start, vq.end, norm[last.start : vq.end])
        else:
            f.vague_quantities.append(vq)
    f.all_words = _found(lx.ALL, norm)
    for m in lx.MULTIPLIER_WORD.finditer(norm):
        factor = 4.0 if m["x4"] or m["q"] else 3.0 if (m["t"] or m["t2"]) else 2.0
        f.multipliers.append((Found(m.start(), m.end(), m.group()), factor))
    for q in f.quantities:
        if q.kind == "multiplier":
            factor = q.value
            before = norm[max(0, q.start - 3) : q.start]
            if q.unit == "倍" and not lx.TO_LEVEL.search(before) and lx.GROW_VERB.search(before):
                factor += 1  # 增长一倍 is twice the base; 增长到3倍 is three times
            f.multipliers.append((Found(q.start, q.end, norm[q.start : q.end]), factor))
    f.conjunctions = _found(lx.CONJUNCTION, norm)
    f.grow = bool(lx.GROW_VERB.search(norm)) or bool(f.multipliers)
    f.reduce = bool(lx.REDUCE_VERB.search(norm))
    qs = f.quantities
    for a, b in itertools.pairwise(qs):
        if (
            lx.FROM_WORD.search(norm, max(0, a.start - 6), a.start)
            and b.start - a.end <= 16
            and lx.TO_WORD.search(norm, a.end, b.start)
        ):
            f.from_to = (a, b)
            break
    for q in qs:
        if q.kind == "percent" and lx.CHANGE_BY.search(norm, max(0, q.start - 6), q.start):
            f.change_pct = q
            break
    f.links = _found(lx.LINK, norm)
    f.non_sales = _found(lx.NON_SALES, norm)
    return f
