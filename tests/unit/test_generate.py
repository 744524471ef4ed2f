"""``kaplan generate``'s sales organisation: sizes that grow with the accounts, like a real one."""

from __future__ import annotations

from collections import Counter

import pytest

from kaplan_tui.core.generate import Generated, GenerateSpec, generate
from kaplan_tui.core.models import Role


@pytest.fixture(scope="module")
def big() -> Generated:
    return generate(GenerateSpec(accounts=10_000, goals=0, checkins=0, seed=1))


def test_ten_thousand_accounts_make_a_region_team_of_about_a_hundred(big: Generated) -> None:
    sizes = Counter(p.team for p in big.people)
    team, size = sizes.most_common(1)[0]
    assert 95 <= size <= 110
    assert team != "team-hq"
    regions = [t for t in big.teams if t.id != "team-hq"]
    assert len(regions) == 7 and all(sizes[t.id] >= 5 for t in regions)
    again = generate(GenerateSpec(accounts=10_000, goals=0, checkins=0, seed=1))
    assert [p.id for p in again.people] == [p.id for p in big.people]


def test_a_big_team_has_team_leads_between_its_sellers_and_its_manager(big: Generated) -> None:
    people = {p.id: p for p in big.people}
    for team in big.teams:
        if team.id == "team-hq":
            continue
        members = [p for p in big.people if p.team == team.id]
        sellers = [p for p in members if p.role in (Role.KAM, Role.REP)]
        reports = Counter(p.manager for p in sellers)
        assert max(reports.values()) <= 12
        for lead_id in reports:
            assert lead_id is not None
            lead = people[lead_id]
            assert lead.team == team.id and lead.role is Role.MANAGER
            assert lead.id == team.lead or lead.manager == team.lead


def test_sellers_look_after_some_thirty_accounts_each(big: Generated) -> None:
    owned = Counter(a.owner for a in big.accounts)
    sellers = [p for p in big.people if p.role in (Role.KAM, Role.REP)]
    assert set(owned) <= {p.id for p in sellers}
    assert 25 <= len(big.accounts) / len(sellers) <= 40
    assert min(owned.values()) >= 10


def test_a_small_workspace_keeps_a_small_flat_team() -> None:
    small = generate(GenerateSpec(accounts=120, goals=0, checkins=0, seed=3))
    sizes = Counter(p.team for p in small.people)
    assert max(sizes.values()) <= 6
    managers = {t.lead for t in small.teams}
    assert all(p.manager in managers for p in small.people if p.role in (Role.KAM, Role.REP))
