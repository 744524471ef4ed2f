"""The public CRM export as fixtures: the files as published, a Chinese-header GB18030 version,
and an XLSX version, made in temp folders so the committed fixtures stay as published."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from kaplan_tui.storage import Workspace

CRM = Path(__file__).parents[2] / "fixtures" / "crm"
"""The Maven Analytics CRM export, copied unchanged from the shared data folder."""

FILES = {
    "accounts": "accounts.csv",
    "deals": "sales_pipeline.csv",
    "teams": "sales_teams.csv",
    "products": "products.csv",
}

ZH_HEADERS = {
    "account": "客户名称",
    "sector": "所属行业",
    "year_established": "成立年份",
    "revenue": "年收入",
    "employees": "员工数",
    "office_location": "所在地",
    "subsidiary_of": "母公司",
    "opportunity_id": "商机编号",
    "sales_agent": "负责人",
    "product": "产品",
    "deal_stage": "商机阶段",
    "engage_date": "接洽日期",
    "close_date": "结单日期",
    "close_value": "成交金额",
    "manager": "经理",
    "regional_office": "区域",
    "series": "系列",
    "sales_price": "价格",
}
ZH_STAGES = {"Won": "赢单", "Lost": "输单", "Prospecting": "初步接洽", "Engaging": "跟进中"}


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a fixture CSV as dicts."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def new_ws(tmp_path: Path) -> Callable[[str], Path]:
    """Make an empty English workspace: ``new_ws("a")``."""

    def make(name: str = "ws") -> Path:
        return Workspace.init(tmp_path / name, name="CRM", language="en", currency="USD").root

    return make


@pytest.fixture
def zh_export(tmp_path: Path) -> Path:
    """The same export with Chinese headers and stage names, ``2017/3/1`` dates, thousands
    separators, Windows line ends, encoded in GB18030 as Chinese Excel writes it."""
    folder = tmp_path / "zh"
    folder.mkdir()
    for name in FILES.values():
        rows = read_rows(CRM / name)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([ZH_HEADERS[h] for h in rows[0]])
        for row in rows:
            out = []
            for key, value in row.items():
                if key == "deal_stage":
                    value = ZH_STAGES[value]
                elif key.endswith("_date") and value:
                    day = dt.date.fromisoformat(value)
                    value = f"{day.year}/{day.month}/{day.day}"
                elif key == "close_value" and value:
                    value = f"{int(value):,}"
                out.append(value)
            writer.writerow(out)
        (folder / name).write_bytes(buf.getvalue().encode("gb18030"))
    return folder


@pytest.fixture
def xlsx_export(tmp_path: Path) -> Path:
    """The same export as XLSX workbooks: numbers as numbers, dates as date cells."""
    import openpyxl

    folder = tmp_path / "xlsx"
    folder.mkdir()
    for name in FILES.values():
        rows = read_rows(CRM / name)
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(list(rows[0]))
        for row in rows:
            cells: list[object] = []
            for key, value in row.items():
                if not value:
                    cells.append(None)
                elif key.endswith("_date"):
                    cells.append(dt.datetime.fromisoformat(value))
                elif key in ("close_value", "employees", "year_established", "sales_price"):
                    cells.append(int(value))
                elif key == "revenue":
                    cells.append(float(value))
                else:
                    cells.append(value)
            sheet.append(cells)
        book.save(folder / Path(name).with_suffix(".xlsx").name)
    return folder
