"""Which column is which: header synonyms in English and Chinese, deal stages, and the
``--map`` file that adds to both.

A mapping file is TOML::

    [columns.deals]          # or accounts, teams, products; [columns] alone applies to all
    "签约金额" = "close_value"

    [stages]                 # a stage value -> won, lost, or the name of an open stage
    "赢单-已回款" = "won"
    "方案阶段" = "Proposal"

    [industries]             # rename industry values as they are imported
    technolgy = "technology"

    [sheets]                 # which XLSX sheet holds each table (default: the first)
    deals = "商机"

    [options]
    date_format = "%m/%d/%Y" # for dates that are not year-first
    encoding = "gb18030"     # force a CSV encoding instead of detecting it
    currency = "USD"         # the accounts' currency, when not the workspace's
    teams_by = "region"      # or "manager": one team per manager instead of per office
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from kaplan_tui.importers.values import name_key

Role = Literal["accounts", "deals", "teams", "products"]
ROLES: tuple[Role, ...] = ("accounts", "deals", "teams", "products")

FIELDS: dict[Role, dict[str, tuple[str, ...]]] = {
    "accounts": {
        "account": (
            "account",
            "account_name",
            "customer",
            "customer_name",
            "company",
            "name",
            "客户名称",
            "客户",
            "客户全称",
            "公司名称",
            "企业名称",
            "名称",
        ),
        "account_id": ("account_id", "customer_id", "客户编号", "客户id", "客户编码"),
        "name_en": ("name_en", "english_name", "英文名称", "英文名"),
        "sector": ("sector", "industry", "所属行业", "行业", "行业类别"),
        "year_established": (
            "year_established",
            "founded",
            "established",
            "成立年份",
            "成立时间",
            "成立年度",
        ),
        "revenue": ("revenue", "annual_revenue", "年收入", "年营业额", "营业收入", "营收"),
        "employees": ("employees", "headcount", "employee_count", "员工数", "员工人数", "人数"),
        "size": ("size", "company_size", "规模", "企业规模", "公司规模"),
        "office_location": (
            "office_location",
            "location",
            "country",
            "所在地",
            "国家",
            "所在国家",
            "所在城市",
            "城市",
        ),
        "region": ("region", "regional_office", "区域", "大区", "所属区域"),
        "subsidiary_of": (
            "subsidiary_of",
            "parent",
            "parent_company",
            "母公司",
            "上级公司",
            "所属集团",
            "集团",
        ),
        "owner": ("owner", "account_owner", "sales_agent", "负责人", "客户经理", "销售"),
    },
    "deals": {
        "opportunity_id": (
            "opportunity_id",
            "opportunity",
            "deal_id",
            "id",
            "商机编号",
            "商机id",
            "商机编码",
            "编号",
        ),
        "sales_agent": (
            "sales_agent",
            "agent",
            "owner",
            "sales_rep",
            "salesperson",
            "负责人",
            "销售",
            "销售人员",
            "销售代表",
        ),
        "product": ("product", "product_name", "产品", "产品名称"),
        "account": ("account", "account_name", "customer", "customer_name", "客户名称", "客户"),
        "deal_stage": ("deal_stage", "stage", "sales_stage", "商机阶段", "阶段", "销售阶段"),
        "engage_date": (
            "engage_date",
            "created_date",
            "create_date",
            "接洽日期",
            "首次接洽日期",
            "开始日期",
            "创建日期",
        ),
        "close_date": (
            "close_date",
            "closed_date",
            "expected_close",
            "结单日期",
            "成交日期",
            "预计成交日期",
            "关闭日期",
            "结单时间",
        ),
        "close_value": (
            "close_value",
            "amount",
            "value",
            "deal_value",
            "成交金额",
            "金额",
            "商机金额",
            "销售金额",
        ),
    },
    "teams": {
        "sales_agent": (
            "sales_agent",
            "agent",
            "name",
            "sales_rep",
            "salesperson",
            "销售",
            "销售人员",
            "姓名",
            "负责人",
        ),
        "manager": ("manager", "sales_manager", "经理", "销售经理", "主管", "上级"),
        "regional_office": (
            "regional_office",
            "region",
            "office",
            "区域",
            "大区",
            "办事处",
            "所属区域",
        ),
    },
    "products": {
        "product": ("product", "product_name", "name", "产品", "产品名称"),
        "series": ("series", "family", "product_line", "系列", "产品系列", "产品线"),
        "sales_price": (
            "sales_price",
            "price",
            "list_price",
            "价格",
            "单价",
            "标准价格",
            "销售价格",
        ),
    },
}
"""The fields each table may hold, each with the header names that mean it."""

REQUIRED: dict[Role, tuple[str, ...]] = {
    "accounts": ("account",),
    "deals": ("account", "deal_stage"),
    "teams": ("sales_agent",),
    "products": ("product", "sales_price"),
}

OPEN_STAGES: dict[str, tuple[str, ...]] = {
    "Prospecting": (
        "prospecting",
        "prospect",
        "lead",
        "初步接洽",
        "线索",
        "潜在",
        "潜在客户",
        "初步沟通",
    ),
    "Qualifying": ("qualifying", "qualification", "qualified", "需求确认", "验证客户", "需求分析"),
    "Engaging": ("engaging", "engaged", "跟进中", "接洽中", "跟进"),
    "Proposal": ("proposal", "quote", "quotation", "方案报价", "报价", "方案"),
    "Negotiation": ("negotiation", "negotiating", "商务谈判", "谈判"),
}
CLOSED_STAGES: dict[str, tuple[str, ...]] = {
    "won": ("won", "closed won", "closedwon", "赢单", "成交", "赢得", "已成交", "签约", "已签约"),
    "lost": ("lost", "closed lost", "closedlost", "输单", "丢单", "失败", "已输单"),
}

MAP_SECTIONS = ("columns", "stages", "industries", "sheets", "options")
OPTIONS = ("date_format", "encoding", "currency", "teams_by")


class MapError(ValueError):
    """A mapping file that cannot be used; the text names the file and the key."""


@dataclass(frozen=True)
class Stage:
    """A deal stage as Kaplan understands it."""

    outcome: Literal["won", "lost", "open"]
    label: str
    """``Won``, ``Lost`` or the open stage's name (``Prospecting``)."""


@dataclass
class ImportMap:
    """Header synonyms, stage values and options, the built-in ones plus a mapping file's."""

    columns: dict[Role, dict[str, str]] = field(default_factory=dict)
    """Per table: header key (:func:`name_key`) -> field."""
    stages: dict[str, Stage] = field(default_factory=dict)
    """Stage value key -> stage."""
    industries: dict[str, str] = field(default_factory=dict)
    sheets: dict[Role, str] = field(default_factory=dict)
    date_format: str | None = None
    encoding: str | None = None
    currency: str | None = None
    teams_by: Literal["region", "manager"] = "region"

    @classmethod
    def default(cls) -> ImportMap:
        """The built-in synonyms only."""
        out = cls()
        for role, fields in FIELDS.items():
            out.columns[role] = {
                name_key(s): name for name, synonyms in fields.items() for s in synonyms
            }
        for label, words in OPEN_STAGES.items():
            for word in (label, *words):
                out.stages[name_key(word)] = Stage("open", label)
        for outcome, words in CLOSED_STAGES.items():
            for word in words:
                out.stages[name_key(word)] = Stage(
                    "won" if outcome == "won" else "lost", outcome.title()
                )
        return out

    def field_of(self, role: Role, header: str) -> str | None:
        """The field a header names in a table of ``role``, or None."""
        return self.columns.get(role, {}).get(name_key(header))

    def stage_of(self, value: str) -> Stage | None:
        """The stage a value names, or None."""
        return self.stages.get(name_key(value))

    def industry(self, value: str) -> str:
        """The industry as renamed by the mapping file (unchanged when not mentioned)."""
        return self.industries.get(name_key(value), value)


def load_map(text: str, source: str) -> ImportMap:
    """The built-in mapping extended by the mapping file ``text`` (named ``source``).

    Raises:
        MapError: the file is not TOML, or names an unknown section, table, field or option.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MapError(f"{source}: not valid TOML: {exc}") from None
    out = ImportMap.default()
    for section in data:
        if section not in MAP_SECTIONS:
            raise MapError(f"{source}: unknown section [{section}]; use {', '.join(MAP_SECTIONS)}")
    columns = _table(data, "columns", source)
    for key, value in columns.items():
        if isinstance(value, Mapping):
            if key not in ROLES:
                raise MapError(f"{source}: [columns.{key}]: tables are {', '.join(ROLES)}")
            for header, target in value.items():
                _add_column(out, key, str(header), target, source)
        else:
            for role in ROLES:
                if value in FIELDS[role]:
                    _add_column(out, role, key, value, source)
            if not any(value in FIELDS[role] for role in ROLES):
                _add_column(out, "accounts", key, value, source)  # reports the unknown field
    for value, target in _table(data, "stages", source).items():
        if not isinstance(target, str) or not target.strip():
            raise MapError(f"{source}: [stages] {value!r}: give won, lost or an open stage name")
        word = target.strip()
        known = out.stage_of(word)
        if word.casefold() in ("won", "lost"):
            stage = Stage(word.casefold(), word.title())  # type: ignore[arg-type]
        else:
            stage = known if known is not None and known.outcome == "open" else Stage("open", word)
        out.stages[name_key(value)] = stage
    for value, target in _table(data, "industries", source).items():
        out.industries[name_key(value)] = str(target)
    for name, sheet in _table(data, "sheets", source).items():
        if name not in ROLES:
            raise MapError(f"{source}: [sheets] {name!r}: tables are {', '.join(ROLES)}")
        out.sheets[name] = str(sheet)
    options = _table(data, "options", source)
    for key in options:
        if key not in OPTIONS:
            raise MapError(f"{source}: [options] {key!r}: options are {', '.join(OPTIONS)}")
    out.date_format = _opt_str(options, "date_format", source)
    out.encoding = _opt_str(options, "encoding", source)
    if out.encoding:
        import codecs

        try:
            codecs.lookup(out.encoding)
        except LookupError:
            raise MapError(f"{source}: [options] encoding: unknown {out.encoding!r}") from None
    out.currency = _opt_str(options, "currency", source)
    if out.currency is not None and not (len(out.currency) == 3 and out.currency.isupper()):
        raise MapError(f"{source}: [options] currency: a 3-letter code such as USD or CNY")
    teams_by = options.get("teams_by", "region")
    if teams_by not in ("region", "manager"):
        raise MapError(f"{source}: [options] teams_by: region or manager")
    out.teams_by = teams_by
    return out


def _table(data: Mapping[str, object], name: str, source: str) -> Mapping[str, object]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        raise MapError(f"{source}: {name} must be a table ([{name}])")
    return value


def _opt_str(options: Mapping[str, object], key: str, source: str) -> str | None:
    value = options.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise MapError(f"{source}: [options] {key}: must be a string")
    return value


def _add_column(out: ImportMap, role: Role, header: str, target: object, source: str) -> None:
    if not isinstance(target, str) or target not in FIELDS[role]:
        raise MapError(
            f"{source}: [columns.{role}] {header!r} = {target!r}: fields of {role} are "
            f"{', '.join(FIELDS[role])}"
        )
    out.columns.setdefault(role, {})[name_key(header)] = target
