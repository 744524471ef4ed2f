"""Kaplan's records as pydantic models: accounts, segments, goals, check-ins, people, teams,
pillars.

Every record has a stable string ``id``, a ``rev`` that grows by one on each save, and audit
fields. Models forbid unknown fields, so a typo in a hand-edited file or an import is reported by
name instead of being dropped. Validation errors carry the field's path (``metric.stretch``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

from kaplan_tui.core.periods import parse_period
from kaplan_tui.core.text import clean

Lang = Literal["zh", "en"]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            "must be 1-128 characters of letters, digits, '.', '_', ':' or '-', "
            "starting with a letter or digit"
        )
    return value


RecordId = Annotated[str, AfterValidator(_check_id)]
"""A record id: short, ASCII, safe in file names and URLs."""


def _check_own_id(value: str) -> str:
    return _check_id(value) if value else value


OwnId = Annotated[str, AfterValidator(_check_own_id)]
"""A record's own id; empty until the workspace assigns one on create."""


def _clean_text(value: str) -> str:
    return clean(value)


Text = Annotated[str, AfterValidator(_clean_text)]
"""User text: stored without control characters, escape sequences or bidi overrides."""

ShortText = Annotated[str, AfterValidator(_clean_text), Field(max_length=500)]
LongText = Annotated[str, AfterValidator(_clean_text), Field(max_length=20_000)]


class Model(BaseModel):
    """Base for every model: unknown fields are errors, values are checked on assignment."""

    # defer_build: a model's validator is built on first use, so start-up pays only for the
    # kinds the first screen shows.
    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, frozen=False, defer_build=True
    )


class Record(Model):
    """Fields every stored record carries."""

    KIND: ClassVar[str] = ""
    """The record kind (``account``, ``goal``...), which names its file."""

    id: OwnId = ""
    rev: int = Field(default=0, ge=0)
    """0 before the first save; +1 on every save."""
    created_at: dt.datetime | None = None
    created_by: str | None = None
    updated_at: dt.datetime | None = None
    updated_by: str | None = None

    AUDIT_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"rev", "created_at", "created_by", "updated_at", "updated_by"}
    )


class Bilingual(Record):
    """A record with a name in its own language and an optional English name."""

    name: ShortText = Field(min_length=1)
    name_en: ShortText | None = None
    """English name, shown when the UI speaks English."""

    def display_name(self, lang: Lang) -> str:
        """The name to show in ``lang``."""
        if lang == "en" and self.name_en:
            return self.name_en
        return self.name


# --- accounts -----------------------------------------------------------------------------


class TierChange(Model):
    """One change of an account's tier, with the reason."""

    date: dt.date
    tier: int = Field(ge=1, le=9)
    previous: int | None = Field(default=None, ge=1, le=9)
    reason: ShortText = ""
    by: str | None = None
    manual: bool = False
    """True when a person overrode the computed tier."""


class TierOverride(Model):
    """A tier set by hand, which the computed tier does not replace."""

    tier: int = Field(ge=1, le=9)
    reason: ShortText = Field(min_length=1)
    by: str | None = None
    date: dt.date | None = None


class PipelineItem(Model):
    """One open opportunity."""

    stage: ShortText
    amount: float | None = Field(default=None, ge=0)
    """Value of the deal; None when the export did not say."""
    product: ShortText | None = None
    expected_close: dt.date | None = None
    source_id: str | None = None


def _check_history(value: dict[str, float]) -> dict[str, float]:
    for label, amount in value.items():
        parse_period(label)
        if amount < 0:
            raise ValueError(f"{label}: an amount cannot be negative ({amount})")
    return dict(sorted(value.items()))


class Account(Bilingual):
    """A key account: who they are, what they bought, what they could buy, and their tier."""

    KIND: ClassVar[str] = "account"

    industry: ShortText = ""
    region: ShortText = ""
    owner: RecordId | None = None
    """The person id of the account manager."""
    size: ShortText | None = None
    """A size band (``1000+``) or headcount as the CRM gives it."""
    employees: int | None = Field(default=None, ge=0)
    annual_revenue: float | None = Field(default=None, ge=0)
    """The customer's own yearly revenue, in the workspace currency's millions."""
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    """Currency of purchase history and pipeline; None means the workspace currency."""
    purchase_history: Annotated[dict[str, float], AfterValidator(_check_history)] = Field(
        default_factory=dict
    )
    """What the account bought from us, by period label (``2025-Q3``: 1200000)."""
    pipeline: list[PipelineItem] = Field(default_factory=list)
    potential: float | None = Field(default=None, ge=0)
    """Whitespace: what the account could still buy from us, in the account's currency."""
    products_held: list[ShortText] = Field(default_factory=list)
    needs: list[ShortText] = Field(default_factory=list)
    pain_points: list[ShortText] = Field(default_factory=list)
    relationship_notes: LongText = ""
    relationship_strength: int | None = Field(default=None, ge=1, le=5)
    strategic_fit: int | None = Field(default=None, ge=1, le=5)
    tier: int | None = Field(default=None, ge=1, le=9)
    tier_override: TierOverride | None = None
    tier_history: list[TierChange] = Field(default_factory=list)
    priority_rank: int | None = Field(default=None, ge=1)
    parent_company: ShortText | None = None
    external_ids: dict[str, str] = Field(default_factory=dict)
    """Keys of this account in other systems (``crm``: ``Acme Corporation``)."""
    tags: list[ShortText] = Field(default_factory=list)

    def revenue_in_year(self, year: int) -> float:
        """What was bought in calendar ``year``: the history's periods in that year, a finer
        period counted only where no coarser one (the year, its half or quarter) covers it."""
        from kaplan_tui.core.planning.history import revenue_in_year

        return revenue_in_year(self.purchase_history, year) or 0.0

    @property
    def pipeline_amounts(self) -> list[float | None]:
        """The amount of each open opportunity, in order (None where unknown)."""
        return [item.amount for item in self.pipeline]


# --- segments -----------------------------------------------------------------------------


class SegmentRule(Model):
    """Which accounts belong to a segment; every condition given must hold."""

    industries: list[ShortText] = Field(default_factory=list)
    regions: list[ShortText] = Field(default_factory=list)
    tiers: list[int] = Field(default_factory=list)
    owners: list[RecordId] = Field(default_factory=list)
    tags: list[ShortText] = Field(default_factory=list)
    min_revenue_last_year: float | None = Field(default=None, ge=0)
    max_revenue_last_year: float | None = Field(default=None, ge=0)


class Segment(Bilingual):
    """A group of accounts, by rule or by hand, with its needs and priority."""

    KIND: ClassVar[str] = "segment"

    description: LongText = ""
    rule: SegmentRule | None = None
    members: list[RecordId] = Field(default_factory=list)
    """Accounts picked by hand (added to those the rule selects)."""
    needs: list[ShortText] = Field(default_factory=list)
    pain_points: list[ShortText] = Field(default_factory=list)
    priority: int = Field(default=3, ge=1, le=5)
    """1 is the highest priority."""

    @model_validator(mode="after")
    def _rule_or_members(self) -> Self:
        if self.rule is None and not self.members:
            raise ValueError("a segment needs a rule, members, or both")
        return self


# --- goals --------------------------------------------------------------------------------


class GoalType(StrEnum):
    """What a goal is about: the article's kinds of sales target and a few more."""

    NEW_ACCOUNTS = "new_accounts"
    REVENUE = "revenue"
    SATISFACTION = "satisfaction"
    CROSS_SELL = "cross_sell"
    SALES_CYCLE = "sales_cycle"
    MARKET_SHARE = "market_share"
    RETENTION = "retention"
    NEW_PRODUCT = "new_product"
    CUSTOM = "custom"


class Horizon(StrEnum):
    """How far a goal looks: short (<= 1 year), mid (1-3 years), long (3 years and more)."""

    SHORT = "short"
    MID = "mid"
    LONG = "long"


class ScopeKind(StrEnum):
    """What a goal is for."""

    ACCOUNT = "account"
    SEGMENT = "segment"
    TEAM = "team"
    PERSON = "person"


class Direction(StrEnum):
    """Which way is better for a metric."""

    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


class Cadence(StrEnum):
    """How often a goal is reviewed."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


class GoalStatus(StrEnum):
    """Where a goal is in its life."""

    DRAFT = "draft"
    ACTIVE = "active"
    ACHIEVED = "achieved"
    MISSED = "missed"
    CANCELLED = "cancelled"


class Metric(Model):
    """What a goal measures and the levels that count as success.

    ``target`` is the base level (the commitment); ``stretch`` and ``challenge`` lie beyond it in
    the metric's direction.
    """

    name: ShortText = Field(min_length=1)
    unit: ShortText = ""
    """``CNY``, ``USD``, ``%``, ``days``, ``accounts``, ``score``..."""
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    direction: Direction = Direction.INCREASE
    baseline: float | None = None
    target: float | None = None
    stretch: float | None = None
    challenge: float | None = None

    @model_validator(mode="after")
    def _levels_in_order(self) -> Self:
        levels = [
            (name, value)
            for name, value in (
                ("target", self.target),
                ("stretch", self.stretch),
                ("challenge", self.challenge),
            )
            if value is not None
        ]
        sign = {Direction.INCREASE: 1, Direction.DECREASE: -1}.get(self.direction)
        if sign is None:
            return self
        for (low_name, low), (high_name, high) in itertools.pairwise(levels):
            if sign * (high - low) < 0:
                word = "at least" if sign > 0 else "at most"
                raise ValueError(
                    f"{high_name} ({high:g}) must be {word} {low_name} ({low:g}) "
                    f"for a metric that should {self.direction.value}"
                )
        return self


class IncentiveKind(StrEnum):
    """How reaching a goal is rewarded."""

    BONUS = "bonus"
    COMMISSION = "commission"
    PROMOTION = "promotion"
    RECOGNITION = "recognition"
    OTHER = "other"


class Incentive(Model):
    """What reaching each level of a goal earns."""

    kind: IncentiveKind = IncentiveKind.BONUS
    description: LongText = ""
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    base_award: float | None = Field(default=None, ge=0)
    stretch_award: float | None = Field(default=None, ge=0)
    challenge_award: float | None = Field(default=None, ge=0)


class Goal(Record):
    """A sales target at any horizon, for an account, segment, team or person."""

    KIND: ClassVar[str] = "goal"

    statement: LongText = Field(min_length=1)
    """The goal as the team writes it, in Chinese, English or both."""
    type: GoalType = GoalType.CUSTOM
    horizon: Horizon = Horizon.SHORT
    scope: ScopeKind = ScopeKind.TEAM
    scope_ref: RecordId | None = None
    """The id of the account, segment, team or person the goal is for."""
    owner: RecordId | None = None
    metric: Metric | None = None
    start: dt.date | None = None
    deadline: dt.date | None = None
    parent: RecordId | None = None
    pillar: RecordId | None = None
    rationale: LongText = ""
    """Why the goal matters."""
    assumptions: list[ShortText] = Field(default_factory=list)
    resources: list[ShortText] = Field(default_factory=list)
    support: list[ShortText] = Field(default_factory=list)
    """Training and support offered to the people who pursue the goal."""
    incentive: Incentive | None = None
    review_cadence: Cadence = Cadence.MONTHLY
    status: GoalStatus = GoalStatus.ACTIVE

    @model_validator(mode="after")
    def _dates_and_refs(self) -> Self:
        if self.start and self.deadline and self.deadline < self.start:
            raise ValueError(f"deadline ({self.deadline}) is before start ({self.start})")
        if self.parent is not None and self.parent == self.id:
            raise ValueError("parent: a goal cannot be its own parent")
        return self


# --- check-ins ----------------------------------------------------------------------------


class Action(Model):
    """An improvement action agreed at a review."""

    text: ShortText = Field(min_length=1)
    owner: RecordId | None = None
    due: dt.date | None = None
    done: bool = False


class CheckIn(Record):
    """A progress report on a goal: the actual value on a date, confidence and notes."""

    KIND: ClassVar[str] = "checkin"

    goal: RecordId
    date: dt.date
    actual: float
    """The metric's value to date (cumulative for sums such as revenue)."""
    confidence: float = Field(default=0.7, ge=0, le=1)
    """How sure the owner is of reaching the target, 0 to 1."""
    progress: LongText = ""
    plans: LongText = ""
    problems: LongText = ""
    actions: list[Action] = Field(default_factory=list)


# --- people -------------------------------------------------------------------------------


class Role(StrEnum):
    """What a person does in the sales organisation."""

    DIRECTOR = "director"
    MANAGER = "manager"
    KAM = "kam"
    """Key-account manager."""
    REP = "rep"
    OPS = "ops"


class Territory(Model):
    """What a person covers."""

    accounts: list[RecordId] = Field(default_factory=list)
    segments: list[RecordId] = Field(default_factory=list)
    regions: list[ShortText] = Field(default_factory=list)


class Person(Bilingual):
    """A member of the sales organisation."""

    KIND: ClassVar[str] = "person"

    role: Role = Role.KAM
    team: RecordId | None = None
    manager: RecordId | None = None
    territory: Territory = Field(default_factory=Territory)
    user: str | None = None
    """The OS user name, so that audit fields can be shown as names."""
    email: str | None = None
    capacity_visits_per_week: float | None = Field(default=None, ge=0)

    @property
    def regions(self) -> list[str]:
        """The regions of the person's territory."""
        return self.territory.regions


class Team(Bilingual):
    """A sales team, usually one region."""

    KIND: ClassVar[str] = "team"

    region: ShortText = ""
    lead: RecordId | None = None


# --- pillars ------------------------------------------------------------------------------


class Pillar(Bilingual):
    """A strategy objective that goals serve."""

    KIND: ClassVar[str] = "pillar"

    description: LongText = ""
    horizon: Horizon = Horizon.LONG
    owner: RecordId | None = None


RECORD_TYPES: dict[str, type[Record]] = {
    cls.KIND: cls for cls in (Account, Segment, Goal, CheckIn, Person, Team, Pillar)
}
"""Record classes by kind."""

KIND_FILES: dict[str, str] = {
    "account": "accounts.json",
    "segment": "segments.json",
    "goal": "goals.json",
    "checkin": "checkins.json",
    "person": "people.json",
    "team": "teams.json",
    "pillar": "pillars.json",
}
"""The workspace file of each kind."""

ID_PREFIX: dict[str, str] = {
    "account": "acc",
    "segment": "seg",
    "goal": "goal",
    "checkin": "ci",
    "person": "p",
    "team": "team",
    "pillar": "pil",
}


REFERENCES: dict[str, dict[str, str]] = {
    "account": {"owner": "person"},
    "segment": {"members": "account"},
    "goal": {"owner": "person", "parent": "goal", "pillar": "pillar"},
    "checkin": {"goal": "goal"},
    "person": {"team": "team", "manager": "person"},
    "team": {"lead": "person"},
    "pillar": {"owner": "person"},
}
"""Fields holding ids of other records, and the kind they point to."""


def scope_kind_of(scope: ScopeKind) -> str:
    """The record kind that a goal's ``scope_ref`` points to."""
    return scope.value


def references_of(record: Record) -> list[tuple[str, str, str]]:
    """``(field, kind, id)`` for every id that ``record`` holds of another record."""
    out: list[tuple[str, str, str]] = []
    for field, kind in REFERENCES.get(record.KIND, {}).items():
        value: Any = getattr(record, field)
        for ref in value if isinstance(value, list) else [value]:
            if ref is not None:
                out.append((field, kind, ref))
    if isinstance(record, Goal) and record.scope_ref is not None:
        out.append(("scope_ref", scope_kind_of(record.scope), record.scope_ref))
    if isinstance(record, Person):
        out += [("territory.accounts", "account", a) for a in record.territory.accounts]
        out += [("territory.segments", "segment", s) for s in record.territory.segments]
    if isinstance(record, CheckIn):
        out += [
            (f"actions.{i}.owner", "person", a.owner)
            for i, a in enumerate(record.actions)
            if a.owner
        ]
    return out


def user_fields(record: Record) -> dict[str, Any]:
    """The record as JSON-ready data, without ``id`` and audit fields."""
    data = record.model_dump(mode="json", exclude_none=False)
    for key in ("id", *Record.AUDIT_FIELDS):
        data.pop(key, None)
    return data
