"""``kaplan export`` and ``kaplan import``: records as JSON Lines, ``{"kind", "id", "rev", ...}``.

Import is all-or-nothing: every line is checked first (shape, fields, references, ``rev``), and
only a file without a single bad line is committed, in one change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson
from pydantic import ValidationError

from kaplan_tui.core.models import RECORD_TYPES, Record, references_of
from kaplan_tui.storage.config import pydantic_problems
from kaplan_tui.storage.workspace import Change, Workspace, iter_kinds


def export_records(ws: Workspace, kinds: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every valid record of the given kinds (default all), kind by kind, in id order, all
    as they were at one moment."""
    for kind, records in ws.records_together(iter_kinds(kinds)).items():
        for rid in sorted(records):
            data = records[rid].model_dump(mode="json")
            yield {"kind": kind, "id": data.pop("id"), "rev": data.pop("rev"), **data}


@dataclass
class ImportLineError:
    """Why one line of an import file was refused."""

    line: int
    reason: str
    record: str | None = None
    field: str | None = None
    conflict: bool = False

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.record:
            where += f": {self.record}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.reason}"


@dataclass
class ImportPlan:
    """What an import would do, or why it cannot."""

    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    errors: list[ImportLineError] = field(default_factory=list)

    @property
    def created(self) -> int:
        """How many records the import creates."""
        return sum(1 for c in self.changes if c.op == "create")

    @property
    def updated(self) -> int:
        """How many records the import updates."""
        return sum(1 for c in self.changes if c.op == "update")

    @property
    def outcome(self) -> Literal["ok", "invalid", "conflict"]:
        """``invalid`` if any line is bad, else ``conflict`` if any rev is stale, else ``ok``."""
        if any(not e.conflict for e in self.errors):
            return "invalid"
        return "conflict" if self.errors else "ok"


class _Stored(dict[str, Mapping[str, Record]]):
    """The workspace's records by kind, each kind looked up once per import (a look costs a
    folder listing for a kind kept in shards)."""

    def __init__(self, ws: Workspace) -> None:
        super().__init__()
        self.ws = ws

    def __missing__(self, kind: str) -> Mapping[str, Record]:
        self[kind] = found = self.ws.records(kind)
        return found


def plan_import(ws: Workspace, lines: Iterable[bytes]) -> ImportPlan:
    """Check every line of a JSON Lines import against the workspace; change nothing."""
    plan = ImportPlan()
    stored = _Stored(ws)
    pending: list[tuple[int, Record]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        result = _parse_line(stored, number, raw, plan)
        if result is None:
            continue
        op, record = result
        key = (record.KIND, record.id)
        if record.id and key in seen:
            plan.errors.append(
                ImportLineError(
                    number,
                    f"the same record is also on line {seen[key]}",
                    f"{record.KIND} {record.id}",
                )
            )
            continue
        if record.id:
            seen[key] = number
        if op == "same":
            plan.unchanged += 1
            continue
        plan.changes.append(Change(op, record))
        pending.append((number, record))
    _check_references(stored, pending, plan)
    plan.errors.sort(key=lambda e: e.line)
    return plan


def _parse_line(
    records: _Stored, number: int, raw: bytes, plan: ImportPlan
) -> tuple[Literal["create", "update", "same"], Record] | None:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        plan.errors.append(
            ImportLineError(number, f"not valid JSON: {exc.msg} (column {exc.colno})")
        )
        return None
    if not isinstance(data, dict):
        plan.errors.append(ImportLineError(number, "a line must hold one JSON object"))
        return None
    kind = data.pop("kind", None)
    if kind not in RECORD_TYPES:
        plan.errors.append(
            ImportLineError(
                number, f"unknown kind {kind!r}; kinds are {', '.join(RECORD_TYPES)}", field="kind"
            )
        )
        return None
    cls = RECORD_TYPES[kind]
    rid = data.get("id") or ""
    if not isinstance(rid, str):
        plan.errors.append(ImportLineError(number, "must be a string", field="id"))
        return None
    rev = data.pop("rev", None)
    for audit in Record.AUDIT_FIELDS - {"rev"}:
        data.pop(audit, None)
    label = f"{kind} {rid}" if rid else kind
    stored = records[kind].get(rid) if rid else None
    if stored is None:
        try:
            return "create", cls.model_validate({**data, "id": rid})
        except ValidationError as exc:
            _add_validation(plan, number, label, exc)
            return None
    if not isinstance(rev, int) or isinstance(rev, bool):
        plan.errors.append(
            ImportLineError(
                number,
                f'updating a stored record needs its "rev" (stored: {stored.rev})',
                label,
                "rev",
            )
        )
        return None
    merged = {**stored.model_dump(mode="json"), **data, "rev": rev}
    try:
        record = cls.model_validate(merged)
    except ValidationError as exc:
        _add_validation(plan, number, label, exc)
        return None
    if rev != stored.rev:
        plan.errors.append(
            ImportLineError(
                number,
                f"based on rev {rev}, but rev {stored.rev} is stored (saved by "
                f"{stored.updated_by or 'someone'} at {stored.updated_at}); export again and "
                "re-apply your change",
                label,
                "rev",
                conflict=True,
            )
        )
        return None
    if record == stored:
        return "same", record
    return "update", record


def _add_validation(plan: ImportPlan, number: int, label: str, exc: ValidationError) -> None:
    for problem in pydantic_problems("", None, exc):
        plan.errors.append(ImportLineError(number, problem.reason, label, problem.field))


def _check_references(
    records: _Stored, pending: list[tuple[int, Record]], plan: ImportPlan
) -> None:
    incoming: dict[str, set[str]] = {}
    for _, rec in pending:
        if rec.id:
            incoming.setdefault(rec.KIND, set()).add(rec.id)
    for number, rec in pending:
        for fld, kind, ref in references_of(rec):
            if ref not in records[kind] and ref not in incoming.get(kind, set()):
                plan.errors.append(
                    ImportLineError(
                        number,
                        f"points to {kind} {ref!r}, which is neither stored nor imported",
                        f"{rec.KIND} {rec.id}" if rec.id else rec.KIND,
                        fld,
                    )
                )
