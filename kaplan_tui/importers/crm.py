"""Turning parsed CRM tables into an import plan: the records to create and update, with reasons,
and every problem with its file, line and column.

:func:`plan_import` is pure: it takes :class:`~kaplan_tui.importers.tables.Table` objects and the
records already in the workspace, and returns an :class:`ImportPlan`. It never writes; the CLI
decides whether to commit the plan.

What it builds (the choices are documented here because scoring depends on them):

- **accounts** with industry (sector, renamed by ``[industries]``), region (the account's own
  region column, else its office location), size band and employees, annual revenue, parent
  company, ``external_ids["crm"]`` (the source name); ``purchase_history`` maps quarter labels
  (``2017-Q3``) to the won amount closed in that quarter, summed exactly in decimal;
  ``pipeline`` holds the open deals by stage, valued from the price list when the deal has no
  amount; ``products_held`` are the products of won deals; ``potential`` (whitespace) is the
  sum of the list prices of the catalogue products the account does not hold yet, one unit each.
  The ``owner`` is the account's owner column if there is one, else the agent who won the most
  with it (then: most deals, then name).
- **people**: agents (role ``kam``) and managers (role ``manager``), with team, manager and
  territory (the office's region and the accounts they own).
- **teams**: one per regional office (or per manager, with ``teams_by = "manager"``); its lead is
  the office's manager when there is exactly one.
- **products** are not records (the model has no product kind): the price list values open deals
  and whitespace only.

Ids are derived from the source's keys (:func:`~kaplan_tui.importers.values.stable_id`), so a
second import finds the records of the first and updates only the fields that changed; existing
records keep their ``rev`` so a concurrent edit is caught as a conflict when committing.
"""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import ValidationError

from kaplan_tui.core.models import (
    Account,
    Person,
    PipelineItem,
    Record,
    Role,
    Team,
    Territory,
    user_fields,
)
from kaplan_tui.core.periods import quarter_label
from kaplan_tui.i18n import Lang, t
from kaplan_tui.importers.mapping import FIELDS, REQUIRED, ImportMap, Stage
from kaplan_tui.importers.tables import Row, Table
from kaplan_tui.importers.values import (
    CellError,
    CellValue,
    column_letter,
    name_key,
    parse_amount,
    parse_count,
    parse_date,
    stable_id,
    text_of,
)

Severity = Literal["error", "warning"]

SIZE_BANDS: tuple[tuple[int, str], ...] = (
    (10_000, "10000+"),
    (5_000, "5000-9999"),
    (1_000, "1000-4999"),
    (500, "500-999"),
    (100, "100-499"),
    (0, "1-99"),
)
"""Headcount bands for ``Account.size`` when the export gives employees but no size."""

UNUSED_FIELDS = frozenset({"year_established"})
"""Recognised columns that no record field holds yet (reported, not stored)."""


@dataclass(frozen=True)
class ImportProblem:
    """Something wrong in an input file, precise enough to find and fix by hand."""

    file: str
    line: int | None
    column: str | None
    """The header of the column, as written in the file."""
    letter: str | None
    """The spreadsheet letter of the column (``H``)."""
    code: str
    """The message key under ``crm.problem``."""
    fields: Mapping[str, object] = field(default_factory=dict)
    severity: Severity = "error"

    def where(self) -> str:
        """``file:line, column H (close_value)``."""
        out = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.letter and self.column:
            out += f", column {self.letter} ({self.column})"
        elif self.column:
            out += f", column {self.column}"
        return out

    def reason(self, lang: Lang) -> str:
        """The reason in ``lang``."""
        return t(f"crm.problem.{self.code}", lang, **self.fields)

    def message(self, lang: Lang) -> str:
        """Where and why, in ``lang``."""
        return f"{self.where()}: {self.reason(lang)}"

    def as_json(self, lang: Lang) -> dict[str, Any]:
        """The problem as a JSON object."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "column_letter": self.letter,
            "severity": self.severity,
            "code": self.code,
            "reason": self.reason(lang),
        }


@dataclass
class NameMatch:
    """A name in the export that matched another spelling, or an existing record, by tolerance."""

    kind: str
    """``account``, ``product``, ``person`` or ``parent_company``."""
    source: str
    target: str
    file: str
    first_line: int
    how: Literal["spelling", "existing"]
    """``spelling``: case, width or spacing differ; ``existing``: a workspace record by name."""
    rows: int = 1
    record_id: str | None = None


@dataclass(frozen=True)
class PlannedChange:
    """A record to create or update, with the fields that change."""

    op: Literal["create", "update"]
    record: Record
    fields: tuple[str, ...]


@dataclass
class ImportStats:
    """Figures for the summary."""

    rows: dict[str, int] = field(default_factory=dict)
    """Data rows read per file."""
    encodings: dict[str, str] = field(default_factory=dict)
    unused_columns: dict[str, list[str]] = field(default_factory=dict)
    won_deals: int = 0
    won_total: Decimal = Decimal(0)
    lost_deals: int = 0
    open_deals: int = 0
    open_without_account: int = 0
    open_valued_from_price: int = 0
    open_without_value: int = 0
    bad_rows: int = 0


@dataclass
class ImportPlan:
    """What an import would do."""

    changes: list[PlannedChange] = field(default_factory=list)
    unchanged: Counter[str] = field(default_factory=Counter)
    problems: list[ImportProblem] = field(default_factory=list)
    matches: list[NameMatch] = field(default_factory=list)
    stats: ImportStats = field(default_factory=ImportStats)

    @property
    def errors(self) -> list[ImportProblem]:
        """Problems at error level: by default they stop the import."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[ImportProblem]:
        """Problems at warning level: reported, not blocking."""
        return [p for p in self.problems if p.severity == "warning"]

    def counts(self) -> dict[str, dict[str, int]]:
        """``{kind: {"create": n, "update": n, "unchanged": n}}`` for accounts, people, teams."""
        out = {k: {"create": 0, "update": 0, "unchanged": self.unchanged[k]} for k in KINDS}
        for change in self.changes:
            out[change.record.KIND][change.op] += 1
        return out


KINDS = ("account", "person", "team")


@dataclass(frozen=True)
class CrmTables:
    """The files of one export; only accounts is required."""

    accounts: Table
    deals: Table | None = None
    teams: Table | None = None
    products: Table | None = None


@dataclass(frozen=True)
class Existing:
    """The workspace's records that an import may match and update."""

    accounts: Mapping[str, Account] = field(default_factory=dict)
    people: Mapping[str, Person] = field(default_factory=dict)
    teams: Mapping[str, Team] = field(default_factory=dict)


# --- reading a table's columns ------------------------------------------------------------


class _Columns:
    """Where each field is in a table, and how to name a cell in a message."""

    def __init__(self, table: Table, index: dict[str, int]) -> None:
        self.table = table
        self.index = index

    def has(self, name: str) -> bool:
        return name in self.index

    def get(self, row: Row, name: str) -> CellValue:
        i = self.index.get(name)
        if i is None or i >= len(row.cells):
            return None
        return row.cells[i]

    def text(self, row: Row, name: str) -> str:
        return text_of(self.get(row, name))

    def problem(
        self, row: Row | None, name: str | None, code: str, /, **fields: object
    ) -> ImportProblem:
        """An error about the cell of field ``name`` in ``row`` (the header when no row)."""
        return self._problem(row, name, code, fields, "error")

    def warning(
        self, row: Row | None, name: str | None, code: str, /, **fields: object
    ) -> ImportProblem:
        """A warning about the cell of field ``name`` in ``row``."""
        return self._problem(row, name, code, fields, "warning")

    def _problem(
        self,
        row: Row | None,
        name: str | None,
        code: str,
        fields: Mapping[str, object],
        severity: Severity,
    ) -> ImportProblem:
        i = self.index.get(name) if name else None
        header = self.table.headers[i] if i is not None else name
        return ImportProblem(
            self.table.file,
            row.line if row is not None else self.table.header_line,
            header,
            column_letter(i) if i is not None else None,
            code,
            fields,
            severity,
        )


def _columns(
    table: Table, mapping: ImportMap, problems: list[ImportProblem], stats: ImportStats
) -> _Columns | None:
    index: dict[str, int] = {}
    cols = _Columns(table, index)
    unused: list[str] = []
    for i, header in enumerate(table.headers):
        name = mapping.field_of(table.role, header)
        if name is None:
            if header:
                unused.append(header)
            continue
        if name in index:
            problems.append(
                cols.warning(
                    None,
                    name,
                    "duplicate_column",
                    field=name,
                    column=header,
                    letter=column_letter(i),
                )
            )
            continue
        index[name] = i
        if name in UNUSED_FIELDS:
            unused.append(header)
    stats.rows[table.file] = len(table.rows)
    stats.encodings[table.file] = table.encoding
    if unused:
        stats.unused_columns[table.file] = unused
    missing = [name for name in REQUIRED[table.role] if name not in index]
    for name in missing:
        problems.append(
            ImportProblem(
                table.file,
                table.header_line,
                name,
                None,
                "missing_column",
                {
                    "field": name,
                    "synonyms": ", ".join(FIELDS[table.role][name][:8]),
                    "role": table.role,
                },
            )
        )
    if not table.rows and not missing:
        problems.append(ImportProblem(table.file, None, None, None, "no_rows", {}, "warning"))
    return None if missing else cols


# --- tolerant names -----------------------------------------------------------------------


class _Names:
    """Canonical names by tolerant key, and the matches made, aggregated for the report."""

    def __init__(self, kind: str, matches: dict[tuple[str, str, str], NameMatch]) -> None:
        self.kind = kind
        self.by_key: dict[str, str] = {}
        self._matches = matches

    def add(self, name: str) -> str:
        """Register ``name``; returns the canonical spelling (the first one seen)."""
        return self.by_key.setdefault(name_key(name), name)

    def find(self, name: str, file: str, line: int) -> str | None:
        """The canonical spelling of ``name``, recording a spelling match; None if unknown."""
        found = self.by_key.get(name_key(name))
        if found is not None and found != name:
            key = (self.kind, name, found)
            seen = self._matches.get(key)
            if seen is None:
                self._matches[key] = NameMatch(self.kind, name, found, file, line, "spelling")
            else:
                seen.rows += 1
        return found

    def suggest(self, name: str) -> str:
        """A close known name for a hint, or ''."""
        keys = difflib.get_close_matches(name_key(name), list(self.by_key), n=1, cutoff=0.75)
        return self.by_key[keys[0]] if keys else ""


# --- the plan -----------------------------------------------------------------------------


@dataclass
class _Product:
    name: str
    price: Decimal | None
    series: str


@dataclass
class _AccountRow:
    row: Row
    name: str
    id_key: str
    values: dict[str, Any]
    owner_name: str | None
    parent: str | None


@dataclass
class _AccountDeals:
    won: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    pipeline: list[PipelineItem] = field(default_factory=list)
    held: dict[str, str] = field(default_factory=dict)
    """Product key -> product name, from won deals."""
    agent_won: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    agent_deals: Counter[str] = field(default_factory=Counter)


@dataclass
class _PersonPlan:
    name: str
    role: Role = Role.KAM
    office: str | None = None
    manager: str | None = None
    accounts: set[str] = field(default_factory=set)


def plan_import(tables: CrmTables, mapping: ImportMap, existing: Existing) -> ImportPlan:
    """Work out what importing ``tables`` into a workspace holding ``existing`` would do.

    Bad rows are reported and left out of the plan; the caller writes nothing while
    :attr:`ImportPlan.errors` is not empty, unless the user asked to skip bad rows.
    """
    plan = ImportPlan()
    matches: dict[tuple[str, str, str], NameMatch] = {}
    problems = plan.problems
    stats = plan.stats

    products = _read_products(tables.products, mapping, problems, stats, matches)
    people_names = _Names("person", matches)
    people: dict[str, _PersonPlan] = {}
    _read_teams(tables.teams, mapping, problems, stats, people, people_names)
    account_names = _Names("account", matches)
    accounts = _read_accounts(tables.accounts, mapping, problems, stats, account_names)
    deals: dict[str, _AccountDeals] = {name: _AccountDeals() for name in accounts}
    if tables.deals is not None:
        _read_deals(
            tables.deals,
            mapping,
            problems,
            stats,
            accounts,
            account_names,
            deals,
            products,
            people,
            people_names,
            tables,
        )

    # Owners: the accounts file's owner column, else the agent who won the most with it.
    owners: dict[str, str | None] = {}
    for name, acc in accounts.items():
        owner = acc.owner_name
        if owner:
            owner = people_names.find(owner, tables.accounts.file, acc.row.line) or owner
            people_names.add(owner)
            people.setdefault(owner, _PersonPlan(owner))
        elif tables.deals is not None:
            d = deals[name]
            ranked = sorted(d.agent_deals, key=lambda a: (-d.agent_won[a], -d.agent_deals[a], a))
            owner = ranked[0] if ranked else None
        owners[name] = owner
        if owner:
            people[owner].accounts.add(name)

    # Parent companies: spelled as the account they name, when there is one.
    for acc in accounts.values():
        if acc.parent:
            found = account_names.find(acc.parent, tables.accounts.file, acc.row.line)
            acc.values["parent_company"] = found or acc.parent

    with_deals = tables.deals is not None
    with_teams = tables.teams is not None
    owners_known = with_deals or any(
        mapping.field_of("accounts", h) == "owner" for h in tables.accounts.headers
    )
    ids = _Ids(plan, existing, mapping, tables.accounts.file)
    team_keys = ids.teams(people)
    person_ids = ids.people(people)
    account_ids = ids.accounts(accounts)
    plan.matches = sorted(matches.values(), key=lambda m: (m.kind, m.source)) + plan.matches

    for key in sorted(team_keys, key=lambda k: team_keys[k][0]):
        tid, current = ids.team_ids[key]
        name, region, managers = team_keys[key]
        values: dict[str, Any] = {
            "region": region,
            "lead": person_ids[managers[0]][0] if len(managers) == 1 else None,
        }
        if current is None:
            values["name"] = name
        _compare(plan, "team", current, Team, tid, values, "", None)

    for name in sorted(people, key=lambda n: person_ids[n][0]):
        person = people[name]
        pid, current = person_ids[name]
        territory = current.territory.model_copy() if isinstance(current, Person) else Territory()
        if owners_known:
            territory.accounts = sorted(account_ids[a][0] for a in person.accounts)
        values = {"territory": territory}
        if with_teams or current is None:
            # Without a teams file, what the last one said about teams and managers stays.
            territory.regions = [person.office] if person.office else []
            team_key = _team_key(person, mapping)
            values.update(
                role=person.role,
                manager=person_ids[person.manager][0] if person.manager else None,
                team=ids.team_ids[team_key][0] if team_key is not None else None,
            )
        if current is None:
            values["name"] = name
        _compare(plan, "person", current, Person, pid, values, "", None)

    for name in sorted(accounts, key=lambda n: account_ids[n][0]):
        acc = accounts[name]
        aid, current = account_ids[name]
        owner = owners.get(name)
        values = _account_fields(acc, deals[name], products, with_deals)
        if owners_known:
            values["owner"] = person_ids[owner][0] if owner else None
        external = dict(current.external_ids) if isinstance(current, Account) else {}
        if isinstance(current, Account):
            if "pipeline" in values:
                manual = [p for p in current.pipeline if p.source_id is None]
                values["pipeline"] = manual + values["pipeline"]
        else:
            values["name"] = name
        external["crm"] = name
        if acc.id_key.startswith("id:"):
            external["crm_id"] = acc.id_key[3:]
        values["external_ids"] = external
        _compare(plan, "account", current, Account, aid, values, tables.accounts.file, acc.row)
    return plan


def _read_products(
    table: Table | None,
    mapping: ImportMap,
    problems: list[ImportProblem],
    stats: ImportStats,
    matches: dict[tuple[str, str, str], NameMatch],
) -> tuple[_Names, dict[str, _Product]]:
    names = _Names("product", matches)
    out: dict[str, _Product] = {}
    if table is None:
        return names, out
    cols = _columns(table, mapping, problems, stats)
    if cols is None:
        return names, out
    first: dict[str, int] = {}
    for row in table.rows:
        name = cols.text(row, "product")
        if not name:
            problems.append(cols.problem(row, "product", "missing_value", field="product"))
            continue
        key = name_key(name)
        if key in first:
            problems.append(
                cols.warning(row, "product", "duplicate_product", value=name, first=first[key])
            )
            continue
        try:
            price = parse_amount(cols.get(row, "sales_price"))
        except CellError as exc:
            problems.append(cols.problem(row, "sales_price", exc.code, **exc.fields))
            continue
        first[key] = row.line
        names.add(name)
        out[key] = _Product(name, price, cols.text(row, "series"))
    return names, out


def _read_teams(
    table: Table | None,
    mapping: ImportMap,
    problems: list[ImportProblem],
    stats: ImportStats,
    people: dict[str, _PersonPlan],
    names: _Names,
) -> None:
    """Agents and managers from the teams file."""
    if table is None:
        return
    cols = _columns(table, mapping, problems, stats)
    if cols is None:
        return
    first: dict[str, int] = {}
    for row in table.rows:
        agent = cols.text(row, "sales_agent")
        if not agent:
            problems.append(cols.problem(row, "sales_agent", "missing_value", field="sales_agent"))
            continue
        key = name_key(agent)
        if key in first:
            problems.append(
                cols.warning(row, "sales_agent", "duplicate_agent", value=agent, first=first[key])
            )
            continue
        first[key] = row.line
        agent = names.find(agent, table.file, row.line) or names.add(agent)
        office = cols.text(row, "regional_office") or None
        manager = cols.text(row, "manager") or None
        if manager:
            manager = names.find(manager, table.file, row.line) or names.add(manager)
            boss = people.setdefault(manager, _PersonPlan(manager))
            boss.role = Role.MANAGER
            if boss.office is None:
                boss.office = office
            elif office and boss.office != office:
                problems.append(
                    cols.warning(
                        row,
                        "regional_office",
                        "manager_two_offices",
                        manager=manager,
                        first=boss.office,
                        office=office,
                    )
                )
        person = people.setdefault(agent, _PersonPlan(agent))
        person.office = office or person.office
        person.manager = manager


def _read_accounts(
    table: Table,
    mapping: ImportMap,
    problems: list[ImportProblem],
    stats: ImportStats,
    names: _Names,
) -> dict[str, _AccountRow]:
    out: dict[str, _AccountRow] = {}
    cols = _columns(table, mapping, problems, stats)
    if cols is None:
        return out
    first: dict[str, int] = {}
    for row in table.rows:
        name = cols.text(row, "account")
        if not name:
            problems.append(cols.problem(row, "account", "missing_value", field="account"))
            continue
        key = name_key(name)
        if key in first:
            problems.append(
                cols.problem(row, "account", "duplicate_account", value=name, first=first[key])
            )
            continue
        first[key] = row.line
        names.add(name)
        values: dict[str, Any] = {}
        if cols.has("sector"):
            sector = cols.text(row, "sector")
            values["industry"] = mapping.industry(sector) if sector else ""
        if cols.has("region") or cols.has("office_location"):
            values["region"] = cols.text(row, "region") or cols.text(row, "office_location")
        if cols.has("name_en"):
            values["name_en"] = cols.text(row, "name_en") or None
        if cols.has("employees"):
            try:
                values["employees"] = parse_count(cols.get(row, "employees"))
            except CellError as exc:
                problems.append(cols.problem(row, "employees", exc.code, **exc.fields))
        if cols.has("size") or "employees" in values:
            size = cols.text(row, "size") or None
            employees = values.get("employees")
            if size is None and employees is not None:
                size = next(band for low, band in SIZE_BANDS if employees >= low)
            values["size"] = size
        if cols.has("revenue"):
            try:
                revenue = parse_amount(cols.get(row, "revenue"))
                values["annual_revenue"] = None if revenue is None else float(revenue)
            except CellError as exc:
                problems.append(cols.problem(row, "revenue", exc.code, **exc.fields))
        if mapping.currency:
            values["currency"] = mapping.currency
        account_id = cols.text(row, "account_id")
        out[name] = _AccountRow(
            row,
            name,
            f"id:{account_id}" if account_id else name,
            values,
            cols.text(row, "owner") or None,
            (cols.text(row, "subsidiary_of") or None) if cols.has("subsidiary_of") else None,
        )
        if cols.has("subsidiary_of") and out[name].parent is None:
            values["parent_company"] = None
    return out


def _read_deals(
    table: Table,
    mapping: ImportMap,
    problems: list[ImportProblem],
    stats: ImportStats,
    accounts: dict[str, _AccountRow],
    account_names: _Names,
    deals: dict[str, _AccountDeals],
    products: tuple[_Names, dict[str, _Product]],
    people: dict[str, _PersonPlan],
    people_names: _Names,
    tables: CrmTables,
) -> None:
    cols = _columns(table, mapping, problems, stats)
    if cols is None:
        return
    product_names, catalogue = products
    seen_ids: dict[str, int] = {}
    for row in table.rows:
        bad: list[ImportProblem] = []
        warn: list[ImportProblem] = []

        stage_text = cols.text(row, "deal_stage")
        stage: Stage | None = None
        if not stage_text:
            bad.append(cols.problem(row, "deal_stage", "missing_value", field="deal_stage"))
        else:
            stage = mapping.stage_of(stage_text)
            if stage is None:
                bad.append(cols.problem(row, "deal_stage", "unknown_stage", value=stage_text))

        deal_id = cols.text(row, "opportunity_id")
        if deal_id:
            if deal_id in seen_ids:
                bad.append(
                    cols.problem(
                        row,
                        "opportunity_id",
                        "duplicate_deal",
                        value=deal_id,
                        first=seen_ids[deal_id],
                    )
                )
            else:
                seen_ids[deal_id] = row.line

        amount = close = None
        try:
            amount = parse_amount(cols.get(row, "close_value"))
        except CellError as exc:
            bad.append(cols.problem(row, "close_value", exc.code, **exc.fields))
        for date_field in ("engage_date", "close_date"):
            try:
                got = parse_date(cols.get(row, date_field), mapping.date_format)
            except CellError as exc:
                bad.append(cols.problem(row, date_field, exc.code, **exc.fields))
                continue
            if date_field == "close_date":
                close = got

        account_text = cols.text(row, "account")
        account: str | None = None
        if account_text:
            account = account_names.find(account_text, table.file, row.line)
            if account is None:
                hint = account_names.suggest(account_text)
                code = "unknown_account_hint" if hint else "unknown_account"
                bad.append(
                    cols.problem(
                        row,
                        "account",
                        code,
                        value=account_text,
                        file=tables.accounts.file,
                        hint=hint,
                    )
                )
        elif stage is not None and stage.outcome == "won":
            bad.append(cols.problem(row, "account", "won_without_account"))

        if stage is not None and stage.outcome == "won":
            if amount is None and not any(p.column == _header(cols, "close_value") for p in bad):
                bad.append(cols.problem(row, "close_value", "won_without_amount"))
            if close is None and not any(p.column == _header(cols, "close_date") for p in bad):
                bad.append(cols.problem(row, "close_date", "won_without_date"))

        product_text = cols.text(row, "product")
        product: str | None = None
        if product_text:
            product = product_names.find(product_text, table.file, row.line)
            if product is None:
                if tables.products is not None:
                    warn.append(
                        cols.warning(
                            row,
                            "product",
                            "unknown_product",
                            value=product_text,
                            file=tables.products.file,
                        )
                    )
                product = product_names.add(product_text)  # warned once per product

        agent_text = cols.text(row, "sales_agent")
        agent: str | None = None
        if agent_text:
            agent = people_names.find(agent_text, table.file, row.line)
            if agent is None:
                if tables.teams is not None:  # said once: the name is known from here on
                    warn.append(
                        cols.warning(
                            row,
                            "sales_agent",
                            "unknown_agent",
                            value=agent_text,
                            file=tables.teams.file,
                        )
                    )
                agent = people_names.add(agent_text)

        problems.extend(bad)
        problems.extend(warn)
        if bad:
            stats.bad_rows += 1
            continue
        assert stage is not None
        if agent is not None:
            people.setdefault(agent, _PersonPlan(agent))
        if stage.outcome == "open":
            stats.open_deals += 1
        elif stage.outcome == "won":
            stats.won_deals += 1
        else:
            stats.lost_deals += 1
        if account is None:
            if stage.outcome == "open":
                stats.open_without_account += 1
            continue
        d = deals[account]
        if agent is not None:
            d.agent_deals[agent] += 1
        if stage.outcome == "won":
            assert amount is not None and close is not None
            d.won[quarter_label(close)] += amount
            stats.won_total += amount
            if agent is not None:
                d.agent_won[agent] += amount
            if product is not None:
                d.held.setdefault(name_key(product), product)
        elif stage.outcome == "open":
            value = amount
            if value is None and product is not None:
                known = catalogue.get(name_key(product))
                if known is not None and known.price is not None:
                    value = known.price
                    stats.open_valued_from_price += 1
            if value is None:
                stats.open_without_value += 1
            d.pipeline.append(
                PipelineItem(
                    stage=stage.label,
                    amount=None if value is None else float(value),
                    product=product,
                    expected_close=close,
                    source_id=deal_id or f"row:{row.line}",
                )
            )


def _header(cols: _Columns, name: str) -> str | None:
    i = cols.index.get(name)
    return cols.table.headers[i] if i is not None else None


def _account_fields(
    acc: _AccountRow,
    deals: _AccountDeals,
    products: tuple[_Names, dict[str, _Product]],
    with_deals: bool,
) -> dict[str, Any]:
    values = dict(acc.values)
    if not with_deals:
        return values
    values["purchase_history"] = {q: float(v) for q, v in sorted(deals.won.items())}
    values["pipeline"] = deals.pipeline
    values["products_held"] = sorted(deals.held.values())
    catalogue = products[1]
    if catalogue:
        values["potential"] = float(
            sum(
                (
                    p.price
                    for key, p in catalogue.items()
                    if key not in deals.held and p.price is not None
                ),
                Decimal(0),
            )
        )
    return values


def _team_key(person: _PersonPlan, mapping: ImportMap) -> str | None:
    if mapping.teams_by == "manager":
        boss = person.name if person.role == Role.MANAGER else person.manager
        return f"manager:{boss}" if boss else None
    return person.office


# --- matching existing records and comparing ----------------------------------------------


def _by_name(records: Iterable[Record]) -> dict[str, Record]:
    out: dict[str, Record] = {}
    for rec in sorted(records, key=lambda r: r.id):
        for name in (getattr(rec, "name", ""), getattr(rec, "name_en", None)):
            if name:
                out.setdefault(name_key(name), rec)
    return out


class _Ids:
    """The id each imported record gets: the stable id, or that of the existing record it
    matches (by stable id, then by ``external_ids["crm"]``, then by name)."""

    def __init__(
        self, plan: ImportPlan, existing: Existing, mapping: ImportMap, accounts_file: str
    ) -> None:
        self.plan = plan
        self.existing = existing
        self.mapping = mapping
        self.accounts_file = accounts_file
        self.team_ids: dict[str, tuple[str, Record | None]] = {}

    def _one(
        self,
        kind: str,
        name: str,
        new_id: str,
        records: Mapping[str, Record],
        by_name: dict[str, Record],
        where: tuple[str, int],
        other: Record | None = None,
    ) -> tuple[str, Record | None]:
        if new_id in records:
            return new_id, records[new_id]
        found = other or by_name.get(name_key(name))
        if found is None:
            return new_id, None
        self.plan.matches.append(
            NameMatch(
                kind,
                name,
                getattr(found, "name", found.id),
                where[0],
                where[1],
                "existing",
                record_id=found.id,
            )
        )
        return found.id, found

    def teams(self, people: dict[str, _PersonPlan]) -> dict[str, tuple[str, str, list[str]]]:
        """Teams by key: (name, region, managers); fills :attr:`team_ids`."""
        teams: dict[str, tuple[str, str, list[str]]] = {}
        for person in sorted(people.values(), key=lambda p: p.name):
            key = _team_key(person, self.mapping)
            if key is None:
                continue
            if key.startswith("manager:"):
                boss = key.split(":", 1)[1]
                region = people[boss].office if boss in people else None
                entry = teams.setdefault(key, (boss, region or "", []))
            else:
                entry = teams.setdefault(key, (key, key, []))
            if person.role == Role.MANAGER:
                entry[2].append(person.name)
        by_name = _by_name(self.existing.teams.values())
        for key, (name, _, _) in teams.items():
            self.team_ids[key] = self._one(
                "team", name, stable_id("team", key), self.existing.teams, by_name, ("", 0)
            )
        return teams

    def people(self, people: dict[str, _PersonPlan]) -> dict[str, tuple[str, Record | None]]:
        """Person id and matched record, by name."""
        by_name = _by_name(self.existing.people.values())
        return {
            name: self._one(
                "person", name, stable_id("p", name), self.existing.people, by_name, ("", 0)
            )
            for name in people
        }

    def accounts(self, accounts: dict[str, _AccountRow]) -> dict[str, tuple[str, Record | None]]:
        """Account id and matched record, by name."""
        by_name = _by_name(self.existing.accounts.values())
        by_crm: dict[str, Record] = {}
        for acc in sorted(self.existing.accounts.values(), key=lambda a: a.id):
            crm = acc.external_ids.get("crm")
            if crm:
                by_crm.setdefault(name_key(crm), acc)
        return {
            name: self._one(
                "account",
                name,
                stable_id("acc", acc.id_key),
                self.existing.accounts,
                by_name,
                (self.accounts_file, acc.row.line),
                by_crm.get(name_key(name)),
            )
            for name, acc in accounts.items()
        }


def _compare(
    plan: ImportPlan,
    kind: str,
    current: Record | None,
    build: type[Record],
    new_id: str,
    values: dict[str, Any],
    file: str,
    row: Row | None,
) -> None:
    """Add a create or an update to the plan, or count the record unchanged."""
    try:
        if current is None:
            record = build.model_validate({"id": new_id, **values})
            plan.changes.append(PlannedChange("create", record, tuple(sorted(values))))
            return
        data = current.model_dump()
        data.update(values)
        record = build.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            plan.problems.append(
                ImportProblem(
                    file or kind,
                    row.line if row else None,
                    None,
                    None,
                    "invalid_record",
                    {
                        "kind": kind,
                        "name": values.get("name", new_id),
                        "field": ".".join(str(p) for p in err["loc"]),
                        "reason": err["msg"],
                    },
                )
            )
        return
    before, after = user_fields(current), user_fields(record)
    changed = tuple(sorted(k for k in after if before.get(k) != after[k]))
    if changed:
        plan.changes.append(PlannedChange("update", record, changed))
    else:
        plan.unchanged[kind] += 1
