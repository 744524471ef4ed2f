"""The workspace settings held in ``kaplan.toml``."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from kaplan_tui.core.models import Lang, Model

SCHEMA_VERSION = 1
"""The workspace format this version of Kaplan reads and writes."""

DEFAULT_WEIGHTS: dict[str, float] = {
    "revenue_last_year": 0.30,
    "growth_3y": 0.15,
    "purchase_frequency": 0.10,
    "pipeline": 0.15,
    "potential": 0.15,
    "strategic_fit": 0.10,
    "relationship": 0.05,
}
"""Segmentation criteria and their weights (they need not add up to 1: they are normalised)."""


class ScoringSettings(Model):
    """How accounts are scored and tiered."""

    weights: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    """Weight of each criterion; a criterion left out counts 0."""
    tier_method: Literal["rank", "thresholds"] = "rank"
    """``rank``: the top N accounts are tier 1, the next M tier 2; ``thresholds``: by score."""
    rank_bands: list[int] = Field(default_factory=lambda: [10, 20])
    """With ``rank``: how many accounts each tier holds, from tier 1; the rest are the last tier."""
    thresholds: list[float] = Field(default_factory=lambda: [70.0, 40.0])
    """With ``thresholds``: the lowest score of tier 1, tier 2...; below all, the last tier."""
    growth_floor: float = Field(default=-0.5, ge=-1, le=0)
    """Growth rates below this count as this before normalising (-0.5 is -50% a year)."""
    growth_cap: float = Field(default=0.5, gt=0, le=100)
    """Growth rates above this count as this, so one account tripling from a small base does not
    flatten everyone else's growth score (0.5 is +50% a year)."""
    sensitivity_step: float = Field(default=0.10, gt=0, lt=1)
    """How far one weight moves (up and down, as a fraction of itself) in the sensitivity test."""

    @field_validator("weights")
    @classmethod
    def _non_negative(cls, value: dict[str, float]) -> dict[str, float]:
        for key, weight in value.items():
            if weight < 0:
                raise ValueError(f"{key}: a weight cannot be negative ({weight})")
        return value

    @field_validator("thresholds")
    @classmethod
    def _descending(cls, value: list[float]) -> list[float]:
        if any(high < low for high, low in pairwise(value)):
            raise ValueError(f"thresholds go from tier 1 down and must not rise ({value})")
        return value

    @field_validator("rank_bands")
    @classmethod
    def _positive_bands(cls, value: list[int]) -> list[int]:
        if any(band < 1 for band in value):
            raise ValueError(f"each rank band holds at least one account ({value})")
        return value


class ReviewSettings(Model):
    """How progress is judged at reviews."""

    default_cadence: Literal["monthly", "quarterly", "yearly"] = "monthly"
    on_track: float = Field(default=0.95, gt=0, le=2)
    """Projected / target at or above this ratio is on track."""
    at_risk: float = Field(default=0.85, gt=0, le=2)
    """At or above this (and below ``on_track``) is at risk; below it, off track."""
    grace_days: int = Field(default=7, ge=0, le=90)
    """Days after a review date in which a check-in still counts before the review is overdue."""
    lookahead_days: int = Field(default=14, ge=0, le=366)
    """Reviews falling within this many days after the agenda date are listed as due."""
    sum_tolerance: float = Field(default=0.005, ge=0, lt=1)
    """Children may differ from their parent's target by this fraction before PLAN-SUM fires."""
    cagr_tolerance: float = Field(default=0.10, ge=0, le=10)
    """Implied annual growth rates across horizons may differ by this much (0.10 = 10 points)."""
    history_tolerance: float = Field(default=0.20, ge=0, le=10)
    """A target's implied annual growth may differ from the account's history by this much."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.at_risk > self.on_track:
            raise ValueError(
                f"at_risk ({self.at_risk:g}) cannot be above on_track ({self.on_track:g})"
            )
        return self


_MM_DD = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


class Settings(Model):
    """Everything in ``kaplan.toml``."""

    name: str = Field(min_length=1, max_length=200)
    """The workspace's name, shown in the header."""
    schema_version: int = Field(default=SCHEMA_VERSION, ge=1)
    """The format of the workspace files; Kaplan migrates older ones on request."""
    language: Lang = "zh"
    """The language of the UI, CLI messages and briefs, unless told otherwise."""
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    """The currency amounts are in unless a record says otherwise."""
    fiscal_year_start: str = "01-01"
    """``MM-DD`` on which the fiscal year starts."""
    scoring: ScoringSettings = Field(default_factory=ScoringSettings)
    review: ReviewSettings = Field(default_factory=ReviewSettings)

    @field_validator("fiscal_year_start")
    @classmethod
    def _mm_dd(cls, value: str) -> str:
        if not _MM_DD.match(value):
            raise ValueError(f"must be MM-DD, such as 04-01 (got {value!r})")
        return value
