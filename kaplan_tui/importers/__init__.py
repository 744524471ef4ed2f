"""CRM exports (CSV or XLSX, English or Chinese headers) turned into Kaplan records.

``tables`` reads files (the only IO here), ``mapping`` knows header synonyms and stage values,
``values`` parses cells, and ``crm`` plans the import as a pure function of the tables and the
workspace's records.
"""

from kaplan_tui.importers.crm import (
    CrmTables,
    Existing,
    ImportPlan,
    ImportProblem,
    NameMatch,
    PlannedChange,
    plan_import,
)
from kaplan_tui.importers.mapping import ImportMap, MapError, load_map
from kaplan_tui.importers.tables import ReadError, Table, read_table

__all__ = [
    "CrmTables",
    "Existing",
    "ImportMap",
    "ImportPlan",
    "ImportProblem",
    "MapError",
    "NameMatch",
    "PlannedChange",
    "ReadError",
    "Table",
    "load_map",
    "plan_import",
    "read_table",
]
