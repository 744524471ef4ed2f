"""Regenerate ``sample_workspace/``: the bundled demo of a Chinese B2B company's key accounts.

华信科技 (Huaxin Tech) sells enterprise IT, cloud and devices. Its key-account department has
three regional teams (华东 / 华南 / 华北), about forty key accounts with three years of purchase
history, strategy pillars, goals of every type and horizon (some SMART, some deliberately weak or
inconsistent, for the planning checks to find) and a year of monthly check-ins.

Everything is written through Kaplan's own storage API, with fixed clocks, fixed users, fixed ids
and a seeded random generator, so that running the script twice gives byte-identical files::

    python scripts/build_sample_workspace.py            # rewrites ./sample_workspace
    python scripts/build_sample_workspace.py /tmp/demo  # or any other folder

The folder is deleted first; ``.kaplan/`` (journal, backups, lock) is removed at the end because it
does not belong in the repository.

Deliberate plan faults (the planning checks must find each one; the tests check they exist):

* PLAN-SUM: ``goal-2026-east-revenue`` (300M CNY) has person children that add up to 250M.
* PLAN-PERIOD: ``goal-2026-xuli-revenue`` runs 2026-04-01..2027-03-31, outside its parent
  ``goal-2026-north-revenue`` (calendar 2026).
* PLAN-UNIT: ``goal-2026-zhoujie-revenue`` is in USD while its parent
  ``goal-2026-south-revenue`` and its sibling are in CNY.
* PLAN-ORPHAN: ``goal-2026-expo-leads`` is an open short-term goal with no parent and no pillar.
* PLAN-UNTARGETED: ``acc-donghai-marine`` is tier 1 and no goal targets it.
* PLAN-CAGR: ``goal-2028-yuntu-revenue`` implies ~40%/year growth for 云图数据 while its 2026
  child ``goal-2026-yuntu-revenue`` asks for +6% and the account grew ~18%/year in 2023-2025.

Deliberately weak goals (for the SMART lint): ``goal-satisfaction-vague`` (vague, no number, no
deadline), ``goal-relationships-vague`` (English, vague), ``goal-2026-south-medical-push`` (no
number), ``goal-zhixue-revenue-no-deadline`` (no deadline).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kaplan_tui.core.models import (
    Account,
    Action,
    Cadence,
    CheckIn,
    Direction,
    Goal,
    GoalStatus,
    GoalType,
    Horizon,
    Incentive,
    IncentiveKind,
    Metric,
    Person,
    Pillar,
    PipelineItem,
    Record,
    Role,
    ScopeKind,
    Segment,
    SegmentRule,
    Team,
    Territory,
    TierChange,
    TierOverride,
)
from kaplan_tui.storage import Change, Workspace
from kaplan_tui.storage.workspace import STATE_DIR

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PATH = REPO / "sample_workspace"
"""Where the bundled sample workspace lives."""

SEED = 20261120
WORKSPACE_NAME = "华信科技 · 大客户部 (Huaxin Tech Key Accounts)"
SETUP_USER = "kaplan-demo"
"""Who creates the master data; check-ins are saved as their owners' OS users."""
SETUP_AT = dt.datetime(2026, 1, 5, 1, 30, tzinfo=dt.UTC)
"""When accounts, people, segments and pillars were entered."""
PLANNED_AT = dt.datetime(2026, 1, 9, 2, 0, tzinfo=dt.UTC)
"""When the 2026 plan (goals) was entered."""
FINAL_AT = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
"""When the last edits (late goals, status updates) were made."""

MILLION = 1_000_000.0


def fixed(moment: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that always says ``moment``."""
    return lambda: moment


# --- people and teams -------------------------------------------------------------------------

# fmt: off
# (id, name, name_en, role, team, manager, regions, visits/week)
PEOPLE: list[tuple[str, str, str, Role, str, str | None, list[str], float]] = [
    ("p-zhaomin", "赵敏", "Zhao Min", Role.DIRECTOR, "team-ka", None, ["华东", "华南", "华北"], 3),
    ("p-yangfan", "杨帆", "Yang Fan", Role.OPS, "team-ka", "p-zhaomin", [], 0),
    ("p-wanglei", "王磊", "Wang Lei", Role.MANAGER, "team-east", "p-zhaomin", ["华东"], 5),
    ("p-zhangwei", "张伟", "Zhang Wei", Role.KAM, "team-east", "p-wanglei", ["华东"], 9),
    ("p-lina", "李娜", "Li Na", Role.KAM, "team-east", "p-wanglei", ["华东"], 8),
    ("p-sunhao", "孙浩", "Sun Hao", Role.KAM, "team-east", "p-wanglei", ["华东"], 10),
    ("p-chenjing", "陈静", "Chen Jing", Role.MANAGER, "team-south", "p-zhaomin", ["华南"], 5),
    ("p-huangting", "黄婷", "Huang Ting", Role.KAM, "team-south", "p-chenjing", ["华南"], 9),
    ("p-zhoujie", "周杰", "Zhou Jie", Role.KAM, "team-south", "p-chenjing", ["华南"], 8),
    ("p-liuyang", "刘洋", "Liu Yang", Role.MANAGER, "team-north", "p-zhaomin", ["华北"], 5),
    ("p-wuqiang", "吴强", "Wu Qiang", Role.KAM, "team-north", "p-liuyang", ["华北"], 9),
    ("p-xuli", "徐丽", "Xu Li", Role.KAM, "team-north", "p-liuyang", ["华北"], 8),
]

# (id, name, name_en, region, lead)
TEAMS: list[tuple[str, str, str, str, str]] = [
    ("team-ka", "大客户部", "Key Accounts Department", "全国", "p-zhaomin"),
    ("team-east", "华东大客户组", "East China KA Team", "华东", "p-wanglei"),
    ("team-south", "华南大客户组", "South China KA Team", "华南", "p-chenjing"),
    ("team-north", "华北大客户组", "North China KA Team", "华北", "p-liuyang"),
]
# fmt: on


def user_of(person_id: str) -> str:
    """The OS user name of a person (``p-wanglei`` -> ``wanglei``)."""
    return person_id.removeprefix("p-")


# --- accounts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountSpec:
    """What the sample knows of one account before the random details are added."""

    key: str
    name: str
    name_en: str
    industry: str
    region: str
    owner: str
    base_m: float
    """Yearly purchases in 2023 (or the first full year), in millions of CNY."""
    growth: float
    """Yearly growth of purchases."""
    tiers: tuple[int, ...]
    """Tier set at the 2024, 2025 and 2026 reviews (fewer when the account is newer)."""
    strength: int
    fit: int
    first: str = "2023-Q1"
    """The first quarter the account bought anything."""
    tags: tuple[str, ...] = ()


A = AccountSpec
# fmt: off
ACCOUNTS: list[AccountSpec] = [
    # 华东 East China
    A("yuntu-data", "云图数据科技", "Yuntu Data Technology", "ICT", "华东", "zhangwei",
      42, 0.18, (1, 1, 1), 4, 5, tags=("上市公司",)),
    A("kangrun-medical", "康润医疗集团", "Kangrun Medical Group", "医疗健康", "华东", "lina",
      35, 0.12, (2, 1, 1), 4, 5, tags=("三甲医院集团",)),
    A("jinfeng-auto", "金丰汽车零部件", "Jinfeng Auto Parts", "制造业", "华东", "sunhao",
      60, 0.01, (1, 1, 1), 5, 4, tags=("上市公司", "出口")),
    A("donghai-marine", "东海船舶装备", "Donghai Marine Equipment", "装备制造", "华东", "wanglei",
      28, 0.15, (2, 1, 1), 3, 4, tags=("国企",)),
    A("mingde-edu", "明德教育集团", "Mingde Education Group", "教育培训", "华东", "lina",
      8, 0.25, (3, 2, 2), 3, 3),
    A("xianfeng-foods", "鲜丰食品", "Xianfeng Foods", "快消品", "华东", "zhangwei",
      22, -0.08, (2, 2, 2), 3, 3),
    A("oujia-home", "欧嘉家居", "Oujia Home", "家居建材", "华东", "sunhao",
      12, 0.05, (2, 2, 2), 3, 3),
    A("zhongcheng-law", "中诚律师事务所", "Zhongcheng Law Firm", "专业服务", "华东", "lina",
      3, 0.10, (3, 3, 3), 4, 2),
    A("ruifeng-agri", "瑞丰农业科技", "Ruifeng Agritech", "农牧农资", "华东", "sunhao",
      4, -0.05, (3, 3, 3), 2, 3),
    A("xinghe-hospital", "星河医院管理集团", "Xinghe Hospital Management", "医疗健康", "华东",
      "lina", 18, 0.20, (2, 2, 2), 3, 5),
    A("tianmu-pharma", "天目药业", "Tianmu Pharmaceutical", "医疗健康", "华东", "zhangwei",
      9, 0.30, (3, 2, 2), 3, 4, first="2024-Q1"),
    A("lanting-consult", "兰亭咨询", "Lanting Consulting", "专业服务", "华东", "sunhao",
      2.5, 0.0, (3, 3, 3), 3, 2),
    A("huamei-chem", "华美日化", "Huamei Daily Chemicals", "快消品", "华东", "lina",
      9, 0.03, (3, 3, 3), 2, 2),
    A("changfeng-logistics", "长风物流 [华东仓配]", "Changfeng Logistics [East DC]", "专业服务",
      "华东", "zhangwei", 6, 0.09, (3, 3, 2), 3, 3),
    A("astar-mfg", "A*Star 智造 | 苏州工厂", "A*Star Smart Manufacturing | Suzhou Plant",
      "制造业", "华东", "sunhao", 15, 0.11, (2, 2, 2), 3, 4, tags=("外资",)),
    # 华南 South China
    A("pengcheng-telecom", "鹏城通信", "Pengcheng Telecom", "ICT", "华南", "huangting",
      55, 0.10, (1, 1, 1), 5, 5, tags=("上市公司",)),
    A("nanyue-health", "南粤医疗集团", "Nanyue Healthcare Group", "医疗健康", "华南", "zhoujie",
      25, 0.22, (2, 1, 1), 4, 5),
    A("lingnan-appliance", "岭南电器制造", "Lingnan Appliance Manufacturing", "制造业", "华南",
      "huangting", 38, -0.10, (1, 1, 1), 4, 4, tags=("出口",)),
    A("meijia-furniture", "美家家具", "Meijia Furniture", "家居建材", "华南", "zhoujie",
      14, 0.06, (2, 2, 2), 3, 3),
    A("guangtai-ceramics", "广泰陶瓷", "Guangtai Ceramics", "家居建材", "华南", "zhoujie",
      6, -0.03, (3, 3, 3), 3, 2),
    A("nanfeng-beverage", "南风饮料", "Nanfeng Beverages", "快消品", "华南", "huangting",
      20, 0.04, (2, 2, 2), 3, 3),
    A("zhixue-online", "智学在线", "Zhixue Online", "教育培训", "华南", "zhoujie",
      4, 0.35, (3, 2), 4, 4, first="2024-Q3", tags=("新客户",)),
    A("hongtu-cpa", "宏图会计师事务所", "Hongtu CPA", "专业服务", "华南", "huangting",
      3.5, 0.05, (3, 3, 3), 3, 2),
    A("jiahe-feed", "嘉禾饲料", "Jiahe Feed", "农牧农资", "华南", "zhoujie",
      7, 0.02, (3, 3, 3), 2, 3),
    A("xiangyu-drones", "翔宇无人机", "Xiangyu Drones", "ICT", "华南", "huangting",
      10, 0.40, (2,), 3, 4, first="2025-Q2", tags=("新客户",)),
    A("baihui-retail", "百汇连锁超市", "Baihui Retail Chain", "快消品", "华南", "chenjing",
      11, -0.12, (2, 3, 3), 2, 2),
    A("kangtai-devices", "康泰医疗器械", "Kangtai Medical Devices", "医疗健康", "华南", "zhoujie",
      9, 0.15, (3, 2, 2), 3, 4),
    A("jinqiao-electronics", "金桥电子", "Jinqiao Electronics", "制造业", "华南", "huangting",
      30, 0.07, (1, 1, 1), 4, 4, tags=("上市公司",)),
    # 华北 North China
    A("jingcheng-insurance", "京诚保险经纪", "Jingcheng Insurance Brokers", "专业服务", "华北",
      "wuqiang", 10, 0.08, (2, 2, 2), 3, 3),
    A("beichen-energy", "北辰能源装备", "Beichen Energy Equipment", "装备制造", "华北", "wuqiang",
      45, 0.05, (1, 1, 1), 4, 4, tags=("国企",)),
    A("yanshan-bio", "燕山生物医药", "Yanshan Biopharma", "医疗健康", "华北", "xuli",
      20, 0.18, (2, 1, 1), 4, 5),
    A("jinmen-steel", "津门钢构", "Jinmen Steel Structures", "制造业", "华北", "wuqiang",
      24, -0.15, (1, 2, 2), 3, 2),
    A("qingcheng-edu", "青城职业教育", "Qingcheng Vocational Education", "教育培训", "华北",
      "xuli", 6, 0.12, (3, 3, 3), 3, 3),
    A("saibei-dairy", "塞北乳业", "Saibei Dairy", "快消品", "华北", "xuli",
      17, 0.09, (2, 2, 2), 3, 3),
    A("jiyuan-seed", "冀源种业", "Jiyuan Seeds", "农牧农资", "华北", "wuqiang",
      5, 0.20, (3, 3, 3), 3, 3),
    A("zhongguan-digital", "中关数智", "Zhongguan Digital Intelligence", "ICT", "华北", "xuli",
      33, 0.25, (2, 1, 1), 4, 5),
    A("bohai-building", "渤海建材", "Bohai Building Materials", "家居建材", "华北", "wuqiang",
      13, -0.06, (2, 2, 3), 2, 2),
    A("tianyu-design", "天宇设计院", "Tianyu Design Institute", "专业服务", "华北", "xuli",
      4, 0.03, (3, 3, 3), 3, 2, tags=("国企",)),
    A("yanjing-rehab", "燕京康复医院", "Yanjing Rehabilitation Hospital", "医疗健康", "华北",
      "xuli", 3, 0.28, (3, 3, 3), 3, 4),
    A("bluewhale-games", "蓝鲸互娱", "Blue Whale Interactive", "ICT", "华北", "liuyang",
      12, -0.20, (1, 2, 2), 2, 3),
]
# fmt: on
del A

# Why a tier changed at a review, by account key and review year.
TIER_REASONS: dict[tuple[str, int], str] = {
    ("kangrun-medical", 2025): "2024年采购增长12%,新院区信息化项目落地,升为一级",
    ("donghai-marine", 2025): "中标智能船厂项目,未来三年潜力大,升为一级",
    ("mingde-edu", 2025): "连续两年增长超过20%,升为二级",
    ("tianmu-pharma", 2025): "Fast-growing new account; promoted to tier 2",
    ("nanyue-health", 2025): "医疗行业标杆客户,战略契合度高,升为一级",
    ("zhixue-online", 2026): "2025年采购翻倍,升为二级",
    ("baihui-retail", 2025): "门店收缩,采购连续下滑,降为三级",
    ("kangtai-devices", 2025): "新产品线上云,采购增长,升为二级",
    ("yanshan-bio", 2025): "研发中心扩建,云与算力需求大,升为一级",
    ("jinmen-steel", 2025): "行业下行,采购下滑两成,降为二级",
    ("zhongguan-digital", 2025): "增长最快的ICT客户,升为一级",
    ("bohai-building", 2026): "Purchases fell two years running; demoted to tier 3",
    ("bluewhale-games", 2025): "游戏版号收紧,预算削减,降为二级",
    ("changfeng-logistics", 2026): "新建智能仓,终端与网络需求增加,升为二级",
}

# Tiers a person set by hand against the computed one.
TIER_OVERRIDES: dict[str, TierOverride] = {
    "lingnan-appliance": TierOverride(
        tier=1,
        reason="采购虽连续下滑,但明年有整厂数字化改造项目,战略上保留一级 (kept tier 1 by hand)",
        by="zhaomin",
        date=dt.date(2026, 1, 12),
    ),
}

PRODUCTS = [
    "华信云主机",
    "华信对象存储",
    "企业网络设备",
    "办公终端(PC/笔记本)",
    "信息安全服务",
    "数据分析平台",
    "IT运维托管",
    "华信AI一体机",
]

STAGES = ["线索确认", "需求分析", "方案报价", "商务谈判", "合同审批"]

INDUSTRY_NEEDS: dict[str, tuple[list[str], list[str]]] = {
    "ICT": (
        ["弹性算力应对业务高峰", "多云统一管理", "研发环境快速交付", "数据安全合规(等保2.0)"],
        ["云成本难以预测", "机房扩容周期长", "安全事件响应慢", "多供应商运维割裂"],
    ),
    "医疗健康": (
        ["医院HIS/PACS系统上云", "医疗数据安全与合规", "多院区网络互联", "影像数据长期存储"],
        ["影像存储增长快、成本高", "等保与数据出境合规压力", "信息科人手不足", "老旧终端故障多"],
    ),
    "制造业": (
        ["工厂数字化改造", "MES与ERP集成", "车间网络与工业终端", "供应链数据分析"],
        ["产线停机损失大", "IT与OT网络隔离难", "海外工厂IT管理分散", "预算审批周期长"],
    ),
    "装备制造": (
        ["研发仿真算力", "远程运维平台", "图纸与数据安全"],
        ["项目制采购,需求波动大", "异地分支网络不稳定", "国产化替代要求"],
    ),
    "快消品": (
        ["门店与经销商数字化", "销售数据实时分析", "促销期间系统稳定"],
        ["渠道数据分散", "大促期间系统宕机", "IT预算被压缩"],
    ),
    "家居建材": (
        ["门店终端统一管理", "设计软件算力", "线上线下订单打通"],
        ["门店IT无人维护", "设计渲染等待时间长", "地产下行导致预算收紧"],
    ),
    "教育培训": (
        ["在线课堂稳定性", "教学终端批量部署", "学员数据安全"],
        ["寒暑假流量高峰", "分校区IT标准不一", "采购流程长、预算年度制"],
    ),
    "专业服务": (
        ["移动办公与安全接入", "文档加密与权限管理", "员工终端租赁"],
        ["客户数据保密要求高", "人员流动导致终端管理难", "IT人员少"],
    ),
    "农牧农资": (
        ["养殖/种植数据采集", "县域网点网络覆盖", "经销商订货系统"],
        ["网点分散、网络差", "季节性资金紧张", "数字化人才缺乏"],
    ),
}

NOTE_TEMPLATES = [
    "{owner}负责,与信息中心主任每月例会;采购决策在集团IT委员会。",
    "{owner}负责。关键人是CIO,关系良好;财务总监对价格敏感。",
    "{owner} owns the account; good access to the IT director, weak at procurement.",
    "{owner}负责,2025年起与业务部门建立直接联系,竞争对手在存储上有优势。",
    "{owner}负责,客户偏好年度框架协议,需提前两个季度进入预算。",
]

SIZE_BANDS = [(200, "100-499"), (1000, "500-999"), (5000, "1000-4999"), (10**9, "5000+")]


def quarters(first: str, last: str = "2026-Q3") -> list[str]:
    """Quarter labels from ``first`` to ``last``, inclusive."""
    year, q = int(first[:4]), int(first[-1])
    out = []
    while True:
        label = f"{year}-Q{q}"
        out.append(label)
        if label == last:
            return out
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)


SEASON = {1: 0.20, 2: 0.24, 3: 0.24, 4: 0.32}
"""Share of a year's purchases in each quarter: Q4 is budget-flush season."""


def purchase_history(spec: AccountSpec, rng: random.Random) -> dict[str, float]:
    """Quarterly purchases in CNY from ``spec.first`` to 2026-Q3, rounded to thousands."""
    out: dict[str, float] = {}
    first_year = int(spec.first[:4])
    for label in quarters(spec.first):
        year, q = int(label[:4]), int(label[-1])
        yearly = spec.base_m * MILLION * (1 + spec.growth) ** (year - max(2023, first_year))
        if year == first_year and spec.first != f"{year}-Q1":
            yearly *= 0.6  # a new account ramps up in its first year
        amount = yearly * SEASON[q] * rng.uniform(0.88, 1.12)
        out[label] = float(round(amount, -3))
    return out


def tier_history(spec: AccountSpec) -> list[TierChange]:
    """The tier set at each yearly review, with the reason for every change."""
    first_review = max(2024, int(spec.first[:4]) + 1)
    out: list[TierChange] = []
    previous: int | None = None
    for i, tier in enumerate(spec.tiers):
        year = first_review + i
        if previous is None:
            reason = f"{year}年度分级评审:按上年采购额、增长与潜力首次定级"
        elif tier == previous:
            reason = f"{year}年度分级评审:维持{tier}级"
        else:
            reason = TIER_REASONS.get((spec.key, year), f"{year}年度分级评审")
        out.append(
            TierChange(
                date=dt.date(year, 1, 12),
                tier=tier,
                previous=previous,
                reason=reason,
                by="zhaomin",
            )
        )
        previous = tier
    override = TIER_OVERRIDES.get(spec.key)
    if override is not None:
        out.append(
            TierChange(
                date=override.date or dt.date(2026, 1, 12),
                tier=override.tier,
                previous=override.tier,
                reason=override.reason,
                by=override.by,
                manual=True,
            )
        )
    return out


def make_accounts(rng: random.Random) -> list[Account]:
    """Every account, with history, pipeline, needs and tiers."""
    names = {pid: name for pid, name, *_ in PEOPLE}
    accounts: list[Account] = []
    for n, spec in enumerate(ACCOUNTS):
        history = purchase_history(spec, rng)
        last_year = sum(v for k, v in history.items() if k.startswith("2025"))
        needs, pains = INDUSTRY_NEEDS[spec.industry]
        held = sorted(rng.sample(PRODUCTS[:7], rng.randint(2, 5)), key=PRODUCTS.index)
        open_products = [p for p in PRODUCTS if p not in held]
        pipeline = [
            PipelineItem(
                stage=rng.choice(STAGES),
                amount=float(round(last_year * rng.uniform(0.05, 0.35), -4)),
                product=rng.choice(open_products),
                expected_close=dt.date(2026, 12, 1) + dt.timedelta(days=15 * rng.randint(0, 14)),
                source_id=f"OPP-2026-{1000 + 7 * n + i:04d}",
            )
            for i in range(rng.randint(0, 3))
        ]
        annual_revenue = round(last_year / MILLION * rng.uniform(30, 90))
        employees = int(annual_revenue * rng.uniform(2, 6))
        owner = f"p-{spec.owner}"
        external_ids = {"crm": f"HX-C-{10_000 + 37 * n:06d}"}
        if n % 3 == 0:
            external_ids["erp"] = f"K{400_000 + 113 * n}"
        accounts.append(
            Account(
                id=f"acc-{spec.key}",
                name=spec.name,
                name_en=spec.name_en,
                industry=spec.industry,
                region=spec.region,
                owner=owner,
                size=next(band for limit, band in SIZE_BANDS if employees < limit),
                employees=employees,
                annual_revenue=float(annual_revenue),
                purchase_history=history,
                pipeline=pipeline,
                potential=float(round(last_year * rng.uniform(0.3, 1.5), -5)),
                products_held=held,
                needs=rng.sample(needs, 2),
                pain_points=rng.sample(pains, 2),
                relationship_notes=rng.choice(NOTE_TEMPLATES).format(owner=names[owner]),
                relationship_strength=spec.strength,
                strategic_fit=spec.fit,
                tier=spec.tiers[-1],
                tier_override=TIER_OVERRIDES.get(spec.key),
                tier_history=tier_history(spec),
                parent_company="A*Star Group (新加坡)" if spec.key == "astar-mfg" else None,
                external_ids=external_ids,
                tags=list(spec.tags),
            )
        )
    ranked = sorted(accounts, key=lambda a: (-a.revenue_in_year(2025), a.id))
    ranks = {a.id: i + 1 for i, a in enumerate(ranked)}
    return [a.model_copy(update={"priority_rank": ranks[a.id]}) for a in accounts]


def make_teams() -> list[Team]:
    """The department and its three regional teams."""
    return [
        Team(id=tid, name=name, name_en=name_en, region=region, lead=lead)
        for tid, name, name_en, region, lead in TEAMS
    ]


def make_people(accounts: list[Account]) -> list[Person]:
    """The sales organisation, each with the accounts they own and what they cover."""
    segments_of = {
        "p-zhaomin": ["seg-strategic-tier1", "seg-medical", "seg-cloud-targets"],
        "p-wanglei": ["seg-east-manufacturing"],
        "p-lina": ["seg-medical"],
        "p-chenjing": ["seg-medical"],
        "p-zhoujie": ["seg-medical"],
        "p-xuli": ["seg-medical"],
        "p-yangfan": ["seg-cloud-targets"],
    }
    out = []
    for pid, name, name_en, role, team, manager, regions, visits in PEOPLE:
        user = user_of(pid)
        out.append(
            Person(
                id=pid,
                name=name,
                name_en=name_en,
                role=role,
                team=team,
                manager=manager,
                territory=Territory(
                    accounts=[a.id for a in accounts if a.owner == pid],
                    segments=segments_of.get(pid, []),
                    regions=regions,
                ),
                user=user,
                email=f"{user}@huaxin-tech.example",
                capacity_visits_per_week=float(visits) if visits else None,
            )
        )
    return out


def make_segments(accounts: list[Account]) -> list[Segment]:
    """Three segments by rule and one picked by hand."""
    # Hand-picked: tier-1/2 accounts that do not run on our cloud yet (donghai-marine is left
    # out on purpose: no goal may reach it, see PLAN-UNTARGETED).
    cloud_targets = [
        a.id
        for a in sorted(accounts, key=lambda a: a.priority_rank or 99)
        if "华信云主机" not in a.products_held
        and (a.tier or 9) <= 2
        and a.id != "acc-donghai-marine"
    ][:10]
    return [
        Segment(
            id="seg-strategic-tier1",
            name="一级战略客户",
            name_en="Tier-1 strategic accounts",
            description="年采购额与潜力最高的客户,总监每季度拜访,专属售前与服务经理。",
            rule=SegmentRule(tiers=[1]),
            needs=["整体数字化规划", "专属服务团队与SLA", "高层定期沟通"],
            pain_points=["多供应商协同难", "项目交付周期长"],
            priority=1,
        ),
        Segment(
            id="seg-medical",
            name="医疗健康行业",
            name_en="Healthcare",
            description="医院集团、药企与医疗器械企业。2026年战略突破行业 (pillar: 医疗行业突破)。",
            rule=SegmentRule(industries=["医疗健康"]),
            needs=["HIS/PACS上云", "医疗数据安全合规", "多院区互联", "影像AI辅助诊断"],
            pain_points=["影像存储成本高", "等保合规压力", "信息科人手不足"],
            priority=1,
        ),
        Segment(
            id="seg-east-manufacturing",
            name="华东制造业",
            name_en="East China manufacturers",
            description="华东区年采购额超过1000万元的制造与装备制造客户。",
            rule=SegmentRule(
                industries=["制造业", "装备制造"],
                regions=["华东"],
                min_revenue_last_year=10 * MILLION,
            ),
            needs=["工厂数字化改造", "车间网络与工业终端", "海外工厂IT统一管理"],
            pain_points=["产线停机损失大", "IT/OT网络隔离难", "预算审批周期长"],
            priority=2,
        ),
        Segment(
            id="seg-cloud-targets",
            name="云服务交叉销售名单",
            name_en="Cloud cross-sell targets",
            description="已采购终端/网络但尚未使用华信云的一、二级客户,由销售运营每季度更新。",
            members=cloud_targets,
            needs=["降低自建机房成本", "弹性算力"],
            pain_points=["担心迁移风险", "已有IDC合同未到期"],
            priority=2,
        ),
    ]


def make_pillars() -> list[Pillar]:
    """The department's four strategy objectives."""
    return [
        Pillar(
            id="pil-east-deepening",
            name="华东区深耕",
            name_en="Deepen East China",
            description="华东是收入最大的区域。提高现有客户钱包份额,重点覆盖制造业与医疗客户,"
            "2030年区域市场份额进入前三。",
            owner="p-wanglei",
        ),
        Pillar(
            id="pil-medical",
            name="医疗行业突破",
            name_en="Healthcare breakthrough",
            description="以影像云、医疗数据安全与AI一体机为切入点,成为医疗健康行业首选IT伙伴。",
            owner="p-chenjing",
        ),
        Pillar(
            id="pil-cloud-crosssell",
            name="交叉销售云服务",
            name_en="Cross-sell cloud services",
            description="向终端与网络老客户交叉销售华信云、安全与运维服务,提高经常性收入占比。",
            owner="p-zhaomin",
        ),
        Pillar(
            id="pil-shorter-cycle",
            name="缩短销售周期",
            name_en="Shorten the sales cycle",
            description="标准化方案与报价,提前进入客户预算周期,把大客户平均销售周期从120天缩短到75天。",
            horizon=Horizon.MID,
            owner="p-yangfan",
        ),
    ]


# --- goals ------------------------------------------------------------------------------------

Y2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
MID = (dt.date(2026, 1, 1), dt.date(2028, 12, 31))
LONG = (dt.date(2026, 1, 1), dt.date(2030, 12, 31))
QUARTERS_2026 = {
    q: (dt.date(2026, 3 * q - 2, 1), dt.date(2026, 3 * q, 31 if q in (1, 4) else 30))
    for q in (1, 2, 3, 4)
}
USD_RATE = 7.2
"""CNY per USD used where a goal is (wrongly) set in dollars."""

SUPPORT_STANDARD = [
    "每月一次云产品与行业解决方案培训 (monthly solution training)",
    "售前架构师每周2人天支持",
    "CRM商机看板与周报模板",
]
SUPPORT_MEDICAL = [
    "医疗行业专家(前三甲医院信息科主任)驻场支持",
    "等保2.0与医疗数据合规培训",
    "影像云POC环境,两周内可交付",
]


def cny(amount_m: float) -> Metric:
    """A revenue metric in millions of CNY (helper for the common case)."""
    return Metric(name="销售额", unit="CNY", currency="CNY", target=amount_m * MILLION)


def money(
    name: str,
    baseline: float | None,
    target: float,
    stretch: float,
    challenge: float,
    currency: str = "CNY",
    direction: Direction = Direction.INCREASE,
) -> Metric:
    """A money metric; amounts given in millions."""
    return Metric(
        name=name,
        unit=currency,
        currency=currency,
        direction=direction,
        baseline=None if baseline is None else round(baseline * MILLION, -3),
        target=target * MILLION,
        stretch=stretch * MILLION,
        challenge=challenge * MILLION,
    )


def level(
    name: str,
    unit: str,
    baseline: float,
    target: float,
    stretch: float,
    challenge: float,
    direction: Direction = Direction.INCREASE,
) -> Metric:
    """A metric that is not money."""
    return Metric(
        name=name,
        unit=unit,
        direction=direction,
        baseline=baseline,
        target=target,
        stretch=stretch,
        challenge=challenge,
    )


def bonus(
    base: float,
    stretch: float,
    challenge: float,
    description: str,
    kind: IncentiveKind = IncentiveKind.BONUS,
) -> Incentive:
    """An incentive in CNY."""
    return Incentive(
        kind=kind,
        description=description,
        currency="CNY",
        base_award=base,
        stretch_award=stretch,
        challenge_award=challenge,
    )


def yuan(amount_m: float) -> str:
    """Millions of CNY written the Chinese way: ``1.35亿元``, ``9,550万元``."""
    if amount_m >= 100:
        return f"{amount_m / 100:.2f}".rstrip("0").rstrip(".") + "亿元"
    return f"{amount_m * 100:,.0f}万元"


def in_region(region: str) -> Callable[[Account], bool]:
    """A filter for the accounts of ``region``."""
    return lambda account: account.region == region


def revenue_2025(accounts: list[Account], keep: Callable[[Account], bool]) -> float:
    """2025 purchases of the accounts ``keep`` selects, in millions of CNY."""
    return sum(a.revenue_in_year(2025) for a in accounts if keep(a)) / MILLION


def make_goals(accounts: list[Account]) -> list[Goal]:
    """The 2026 plan: long, mid and short goals linked in trees, plus a few weak ones."""
    by_id = {a.id: a for a in accounts}
    total_2025 = revenue_2025(accounts, lambda a: True)
    yuntu_2025 = by_id["acc-yuntu-data"].revenue_in_year(2025) / MILLION
    jinfeng = by_id["acc-jinfeng-auto"]
    goals: list[Goal] = []

    def add(**fields: object) -> None:
        goals.append(Goal.model_validate(fields))

    # --- long (3 years and more) ---------------------------------------------------------
    add(
        id="goal-2030-revenue",
        statement="到2030年底,大客户部年销售额达到15亿元(2025年约7.9亿元),年均增长约14%,"
        "保持华信科技第一大收入来源。",
        type=GoalType.REVENUE,
        horizon=Horizon.LONG,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-zhaomin",
        metric=money("大客户部年销售额", total_2025, 1500, 1700, 2000),
        start=LONG[0],
        deadline=LONG[1],
        pillar="pil-cloud-crosssell",
        rationale="集团五年规划要求大客户业务贡献过半收入;云与服务的经常性收入提高估值。",
        assumptions=["企业IT支出年增长8-10%", "云服务收入占比逐年提升", "核心团队稳定"],
        resources=["每年新增2名KAM", "行业解决方案中心"],
        review_cadence=Cadence.YEARLY,
    )
    add(
        id="goal-2030-east-share",
        statement="2030年华东区企业IT解决方案市场份额从6.5%提升到12%,进入区域前三。",
        type=GoalType.MARKET_SHARE,
        horizon=Horizon.LONG,
        scope=ScopeKind.TEAM,
        scope_ref="team-east",
        owner="p-wanglei",
        metric=level("华东区市场份额", "%", 6.5, 12, 14, 15),
        start=LONG[0],
        deadline=LONG[1],
        pillar="pil-east-deepening",
        rationale="华东企业IT市场规模全国最大,份额每提高1个百分点约带来6000万元收入。",
        assumptions=["第三方机构(IDC)每年发布区域份额数据"],
        review_cadence=Cadence.YEARLY,
    )
    add(
        id="goal-2030-medical-leader",
        statement="成为医疗健康行业大客户首选的IT合作伙伴 (become the preferred IT partner of "
        "healthcare key accounts)",
        type=GoalType.CUSTOM,
        horizon=Horizon.LONG,
        scope=ScopeKind.SEGMENT,
        scope_ref="seg-medical",
        owner="p-chenjing",
        start=LONG[0],
        deadline=LONG[1],
        pillar="pil-medical",
        rationale="医疗信息化投入持续增长,且客户黏性高、续约率高。",
        review_cadence=Cadence.YEARLY,
    )
    add(
        id="goal-2030-sea-accounts",
        statement="Expand beyond mainland China: sign 5 key accounts in Southeast Asia "
        "(每家年采购额≥500万元) by 2030-12-31, starting from Chinese manufacturers' overseas "
        "plants.",
        type=GoalType.NEW_ACCOUNTS,
        horizon=Horizon.LONG,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-zhaomin",
        metric=level("东南亚大客户数", "accounts", 0, 5, 7, 10),
        start=LONG[0],
        deadline=LONG[1],
        pillar="pil-east-deepening",
        rationale="金丰汽车、岭南电器等客户在越南、泰国建厂,海外工厂IT需求由国内总部决策。",
        assumptions=["随客户出海,不单独设海外销售团队", "2027年前完成海外交付伙伴认证"],
        resources=["海外交付伙伴", "英文方案与合同模板"],
        review_cadence=Cadence.YEARLY,
    )

    # --- mid (1-3 years) -----------------------------------------------------------------
    add(
        id="goal-2028-revenue",
        statement="2028年大客户部年销售额达到11亿元,2026-2028年年均增长不低于11%。",
        type=GoalType.REVENUE,
        horizon=Horizon.MID,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-zhaomin",
        metric=money("大客户部年销售额", total_2025, 1100, 1200, 1300),
        start=MID[0],
        deadline=MID[1],
        parent="goal-2030-revenue",
        rationale="通往2030年15亿元目标的中期里程碑。",
        assumptions=["2026年完成8.7亿元", "云服务收入年增30%"],
        review_cadence=Cadence.QUARTERLY,
    )
    # PLAN-CAGR: 58M -> 160M in three years is ~40%/year, while the 2026 step asks for +6% and
    # the account grew ~18%/year in 2023-2025.
    add(
        id="goal-2028-yuntu-revenue",
        statement="三年内把云图数据打造成亿级客户:2028年采购额达到1.6亿元。",
        type=GoalType.REVENUE,
        horizon=Horizon.MID,
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc-yuntu-data",
        owner="p-zhangwei",
        metric=money("云图数据年采购额", yuntu_2025, 160, 180, 200),
        start=MID[0],
        deadline=MID[1],
        pillar="pil-east-deepening",
        rationale="云图数据计划建设第二数据中心,总投资约5亿元。",
        assumptions=["云图数据第二数据中心按期立项", "我们拿下其中三成份额"],
        resources=["专属售前团队3人"],
        review_cadence=Cadence.QUARTERLY,
    )
    add(
        id="goal-2028-medical-share",
        statement="到2028年底,我司在医疗健康行业大客户IT采购中的份额从8%提升到12%。",
        type=GoalType.MARKET_SHARE,
        horizon=Horizon.MID,
        scope=ScopeKind.SEGMENT,
        scope_ref="seg-medical",
        owner="p-chenjing",
        metric=level("医疗行业份额", "%", 8, 12, 13, 15),
        start=MID[0],
        deadline=MID[1],
        parent="goal-2030-medical-leader",
        pillar="pil-medical",
        rationale="医疗是增长最快、毛利最高的行业;份额按客户IT预算调研估算。",
        assumptions=["医疗客户IT预算年增15%"],
        resources=["医疗行业解决方案团队5人"],
        support=SUPPORT_MEDICAL,
        review_cadence=Cadence.QUARTERLY,
    )
    add(
        id="goal-2028-cloud-crosssell",
        statement="到2028年,60%的一、二级客户同时采购华信云和终端/网络产品(2025年为31%)。",
        type=GoalType.CROSS_SELL,
        horizon=Horizon.MID,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-zhaomin",
        metric=level("同时采购云与硬件的一二级客户占比", "%", 31, 60, 65, 70),
        start=MID[0],
        deadline=MID[1],
        pillar="pil-cloud-crosssell",
        rationale="采购两条以上产品线的客户流失率只有单产品客户的三分之一。",
        assumptions=["华信云华东二区2026年Q2开服"],
        resources=["云迁移补贴预算600万元/年"],
        review_cadence=Cadence.QUARTERLY,
    )
    add(
        id="goal-2028-ai-appliance",
        statement="华信AI一体机2026年上市,到2028年底进入20家大客户。",
        type=GoalType.NEW_PRODUCT,
        horizon=Horizon.MID,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-zhaomin",
        metric=level("采用AI一体机的大客户数", "accounts", 0, 20, 25, 30),
        start=MID[0],
        deadline=MID[1],
        pillar="pil-cloud-crosssell",
        rationale="私有化大模型需求爆发,一体机带动算力与运维服务。",
        review_cadence=Cadence.QUARTERLY,
    )
    add(
        id="goal-2028-sales-cycle",
        statement="到2028年底,把大客户平均销售周期从120天缩短到75天。",
        type=GoalType.SALES_CYCLE,
        horizon=Horizon.MID,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-yangfan",
        metric=level("平均销售周期", "days", 120, 75, 70, 60, Direction.DECREASE),
        start=MID[0],
        deadline=MID[1],
        pillar="pil-shorter-cycle",
        rationale="周期每缩短10天,同样的人力每年可多跟进约8%的商机。",
        review_cadence=Cadence.QUARTERLY,
    )
    add(
        id="goal-2028-retention",
        statement="2026-2028年每年一、二级客户续约率保持在95%以上。",
        type=GoalType.RETENTION,
        horizon=Horizon.MID,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-zhaomin",
        metric=level("一二级客户续约率", "%", 95.5, 95, 96, 97, Direction.MAINTAIN),
        start=MID[0],
        deadline=MID[1],
        pillar="pil-east-deepening",
        rationale="老客户贡献约85%的收入,丢一个一级客户相当于新签五个客户。",
        review_cadence=Cadence.QUARTERLY,
    )

    # --- short: 2026 revenue tree --------------------------------------------------------
    add(
        id="goal-2026-company-revenue",
        statement="2026年大客户部销售额8.7亿元,同比增长约10%;华东3.55亿、华南2.75亿、华北2.4亿。",
        type=GoalType.REVENUE,
        horizon=Horizon.SHORT,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-zhaomin",
        metric=money("大客户部销售额", total_2025, 870, 920, 980),
        start=Y2026[0],
        deadline=Y2026[1],
        parent="goal-2028-revenue",
        rationale="2028年11亿元目标的第一步;与集团2026年预算一致。",
        assumptions=["一级客户续约率95%", "新签客户贡献5000万元"],
        resources=["12名销售人员", "市场活动预算800万元"],
        support=SUPPORT_STANDARD,
        incentive=bonus(
            300_000, 500_000, 800_000, "部门奖金池:完成基础目标30万元,挑战目标80万元,按个人贡献分配"
        ),
    )
    region_goals = [
        ("east", "华东", "p-wanglei", 355.0, 375.0, 400.0, "pil-east-deepening"),
        ("south", "华南", "p-chenjing", 275.0, 290.0, 310.0, "pil-medical"),
        ("north", "华北", "p-liuyang", 240.0, 252.0, 265.0, "pil-cloud-crosssell"),
    ]
    for key, region, owner, target, stretch, challenge, pillar in region_goals:
        base = revenue_2025(accounts, in_region(region))
        add(
            id=f"goal-2026-{key}-revenue",
            statement=f"2026年{region}大客户组销售额{yuan(target)}"
            f"(2025年{yuan(round(base, 1))}),12月31日前完成。",
            type=GoalType.REVENUE,
            horizon=Horizon.SHORT,
            scope=ScopeKind.TEAM,
            scope_ref=f"team-{key}",
            owner=owner,
            metric=money(f"{region}销售额", base, target, stretch, challenge),
            start=Y2026[0],
            deadline=Y2026[1],
            parent="goal-2026-company-revenue",
            pillar=pillar,
            rationale=f"{region}区按存量客户增长与新客户贡献分解公司目标。",
            support=SUPPORT_STANDARD,
            incentive=bonus(80_000, 140_000, 200_000, "区域团队奖金,经理按团队完成率分配"),
        )

    def person_revenue(
        pid: str, target: float, stretch: float, challenge: float, parent: str, **extra: object
    ) -> None:
        base = revenue_2025(accounts, lambda a: a.owner == pid)
        name = next(p[1] for p in PEOPLE if p[0] == pid)
        fields: dict[str, object] = dict(
            id=f"goal-2026-{user_of(pid)}-revenue",
            statement=f"{name}:2026年负责客户销售额{yuan(target)}(2025年{yuan(round(base))})。",
            type=GoalType.REVENUE,
            horizon=Horizon.SHORT,
            scope=ScopeKind.PERSON,
            scope_ref=pid,
            owner=pid,
            metric=money("个人负责客户销售额", base, target, stretch, challenge),
            start=Y2026[0],
            deadline=Y2026[1],
            parent=parent,
            rationale="按所负责客户的历史采购、商机与潜力分解。",
            support=SUPPORT_STANDARD,
            incentive=bonus(
                30_000,
                60_000,
                100_000,
                "完成基础目标奖金3万元;超出部分按1.5%提成;达到挑战目标另有年度旅游奖励",
                IncentiveKind.COMMISSION,
            ),
        )
        fields.update(extra)
        add(**fields)

    # PLAN-SUM: the east team's 355M is split into 3 x 100M = 300M; donghai-marine (owned by
    # the manager himself) was forgotten.
    person_revenue("p-zhangwei", 100, 106, 112, "goal-2026-east-revenue")
    person_revenue("p-lina", 100, 106, 112, "goal-2026-east-revenue")
    person_revenue("p-sunhao", 100, 106, 112, "goal-2026-east-revenue")
    person_revenue("p-huangting", 170, 178, 190, "goal-2026-south-revenue")
    # PLAN-UNIT: this child of a CNY roll-up is in USD (105M CNY at 7.2).
    zhoujie_base = revenue_2025(accounts, lambda a: a.owner == "p-zhoujie") / USD_RATE
    person_revenue(
        "p-zhoujie",
        0,
        0,
        0,
        "goal-2026-south-revenue",
        statement="周杰:2026年负责客户销售额1,460万美元 (USD 14.6M, 沿用外资客户的美元口径)。",
        metric=money("个人负责客户销售额(美元)", zhoujie_base, 14.6, 15.5, 17.0, currency="USD"),
    )
    person_revenue("p-wuqiang", 105, 110, 118, "goal-2026-north-revenue")
    # PLAN-PERIOD: set by the customer's fiscal year (April-March), so it ends after its parent.
    person_revenue(
        "p-xuli",
        135,
        142,
        150,
        "goal-2026-north-revenue",
        start=dt.date(2026, 4, 1),
        deadline=dt.date(2027, 3, 31),
        statement="徐丽:2026财年(2026年4月-2027年3月)负责客户销售额1.35亿元。",
        rationale="按主要客户中关数智的财年(4月起)分解。",
    )
    yuntu_2026 = round(yuntu_2025 * 1.06, 1)
    add(
        id="goal-2026-yuntu-revenue",
        statement=f"2026年云图数据采购额{yuan(yuntu_2026)}(2025年{yuan(round(yuntu_2025, 1))}),"
        "增长6%,重点是存储扩容与安全服务续约。",
        type=GoalType.REVENUE,
        horizon=Horizon.SHORT,
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc-yuntu-data",
        owner="p-zhangwei",
        metric=money("云图数据采购额", yuntu_2025, yuntu_2026, 64, 68),
        start=Y2026[0],
        deadline=Y2026[1],
        parent="goal-2028-yuntu-revenue",
        pillar="pil-east-deepening",
        rationale="客户2026年IT预算仅增长5%,第二数据中心尚未立项。",
        assumptions=["第二数据中心2027年才立项"],
        support=SUPPORT_STANDARD,
    )

    # --- short: the other types ---------------------------------------------------------
    add(
        id="goal-2026-new-accounts",
        statement="2026年新签8家年采购潜力不低于500万元的大客户,其中医疗健康行业不少于3家。",
        type=GoalType.NEW_ACCOUNTS,
        horizon=Horizon.SHORT,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-zhaomin",
        metric=level("新签大客户数", "accounts", 5, 8, 10, 12),
        start=Y2026[0],
        deadline=Y2026[1],
        pillar="pil-medical",
        rationale="存量客户中有6家采购下滑,需要新客户补位;医疗是突破行业。",
        assumptions=["每签1家平均需要约12条有效线索"],
        resources=["行业展会预算200万元", "渠道伙伴推荐奖励"],
        support=["新客户开拓工作坊(每季度)", "标准化首单方案包"],
        incentive=bonus(
            80_000, 120_000, 180_000, "每新签1家奖励1万元给签约KAM;部门完成8家另发8万元团队奖"
        ),
    )
    quarter_targets = {1: 2, 2: 2, 3: 2, 4: 2}
    quarter_owner = {1: "p-wanglei", 2: "p-chenjing", 3: "p-liuyang", 4: "p-wanglei"}
    for q, target in quarter_targets.items():
        english = q == 4
        add(
            id=f"goal-2026q{q}-new-accounts",
            statement=(
                f"Sign {target} new key accounts in Q4 2026 (potential ≥ CNY 5M/yr each), "
                "led by the regional managers."
                if english
                else f"2026年第{q}季度新签{target}家年采购潜力≥500万元的大客户。"
            ),
            type=GoalType.NEW_ACCOUNTS,
            horizon=Horizon.SHORT,
            scope=ScopeKind.TEAM,
            scope_ref="team-ka",
            owner=quarter_owner[q],
            metric=level("新签大客户数", "accounts", 0, target, target + 1, target + 2),
            start=QUARTERS_2026[q][0],
            deadline=QUARTERS_2026[q][1],
            parent="goal-2026-new-accounts",
            pillar="pil-medical",
            rationale="年度8家按季度平均分解,便于月度跟踪。",
        )
    add(
        id="goal-2026-kangrun-csat",
        statement="2026年12月31日前,康润医疗客户满意度(CSAT)从7.6分提升到8.5分(10分制,半年第三方调研)。",
        type=GoalType.SATISFACTION,
        horizon=Horizon.SHORT,
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc-kangrun-medical",
        owner="p-lina",
        metric=level("客户满意度CSAT", "score", 7.6, 8.5, 8.8, 9.0),
        start=Y2026[0],
        deadline=Y2026[1],
        pillar="pil-medical",
        rationale="2025年两次系统故障响应慢导致满意度下滑,影响新院区项目续约。",
        resources=["驻场服务工程师1名", "季度业务回顾(QBR)"],
        support=SUPPORT_MEDICAL,
        incentive=bonus(10_000, 15_000, 20_000, "满意度奖金,与服务团队共享"),
    )
    add(
        id="goal-2026-cloud-crosssell",
        statement="2026年向尚未使用华信云的一、二级客户交叉销售云服务,新增云合同额3000万元。",
        type=GoalType.CROSS_SELL,
        horizon=Horizon.SHORT,
        scope=ScopeKind.SEGMENT,
        scope_ref="seg-cloud-targets",
        owner="p-zhaomin",
        metric=money("新增云合同额", 0, 30, 36, 45),
        start=Y2026[0],
        deadline=Y2026[1],
        pillar="pil-cloud-crosssell",
        rationale="云服务是经常性收入,毛利比硬件高20个百分点。",
        assumptions=["华东二区Q2开服", "迁移补贴到位"],
        resources=["云迁移补贴600万元", "云架构师2名"],
        support=["华信云认证培训(必修)", "迁移评估工具"],
        incentive=bonus(50_000, 80_000, 120_000, "云合同额额外1%提成", IncentiveKind.COMMISSION),
    )
    add(
        id="goal-2026-pengcheng-crosssell",
        statement="2026年鹏城通信新签华信云与安全服务合同800万元,从纯硬件客户转为云+服务客户。",
        type=GoalType.CROSS_SELL,
        horizon=Horizon.SHORT,
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc-pengcheng-telecom",
        owner="p-huangting",
        metric=money("新签云与安全合同额", 0, 8, 10, 12),
        start=Y2026[0],
        deadline=Y2026[1],
        pillar="pil-cloud-crosssell",
        rationale="鹏城通信是华南最大客户,但只采购终端与网络设备。",
    )
    add(
        id="goal-2026-medical-share",
        statement="2026年医疗健康行业大客户份额从8%提升到9.5%。",
        type=GoalType.MARKET_SHARE,
        horizon=Horizon.SHORT,
        scope=ScopeKind.SEGMENT,
        scope_ref="seg-medical",
        owner="p-chenjing",
        metric=level("医疗行业份额", "%", 8, 9.5, 10, 11),
        start=Y2026[0],
        deadline=Y2026[1],
        parent="goal-2028-medical-share",
        pillar="pil-medical",
        rationale="2028年12%目标的第一步。",
        support=SUPPORT_MEDICAL,
    )
    add(
        id="goal-2026-east-share",
        statement="2026年华东区企业IT解决方案市场份额从6.5%提升到7.5%。",
        type=GoalType.MARKET_SHARE,
        horizon=Horizon.SHORT,
        scope=ScopeKind.TEAM,
        scope_ref="team-east",
        owner="p-wanglei",
        metric=level("华东区市场份额", "%", 6.5, 7.5, 8, 8.5),
        start=Y2026[0],
        deadline=Y2026[1],
        parent="goal-2030-east-share",
        pillar="pil-east-deepening",
        rationale="2030年12%的第一步;份额以IDC半年报为准,月度用CRM赢单率估算。",
    )
    add(
        id="goal-2026-sales-cycle",
        statement="Cut the average key-account sales cycle from 120 to 105 days by 2026-12-31 "
        "(CRM 赢单周期, 滚动12个月).",
        type=GoalType.SALES_CYCLE,
        horizon=Horizon.SHORT,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-yangfan",
        metric=level("平均销售周期", "days", 120, 105, 100, 95, Direction.DECREASE),
        start=Y2026[0],
        deadline=Y2026[1],
        parent="goal-2028-sales-cycle",
        pillar="pil-shorter-cycle",
        rationale="Long cycles tie up presales capacity; standard bundles should cut 2-3 weeks.",
        assumptions=["标准报价包在Q2上线", "法务合同模板审批≤5天"],
        resources=["销售运营分析师1名", "CPQ报价工具"],
        support=["商务谈判培训 (negotiation training, Q2)", "标准方案包"],
    )
    add(
        id="goal-2026-jinqiao-cycle",
        statement="金桥电子2026年新项目从立项到签约平均不超过90天(2025年为130天)。",
        type=GoalType.SALES_CYCLE,
        horizon=Horizon.SHORT,
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc-jinqiao-electronics",
        owner="p-huangting",
        metric=level("金桥电子项目销售周期", "days", 130, 90, 80, 70, Direction.DECREASE),
        start=Y2026[0],
        deadline=Y2026[1],
        pillar="pil-shorter-cycle",
        rationale="与客户签订年度框架协议后,单个项目只需走订单流程。",
    )
    add(
        id="goal-2026-retention",
        statement="2026年一、二级客户续约率保持在95%以上(按合同数计)。",
        type=GoalType.RETENTION,
        horizon=Horizon.SHORT,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-zhaomin",
        metric=level("一二级客户续约率", "%", 95.5, 95, 96, 97, Direction.MAINTAIN),
        start=Y2026[0],
        deadline=Y2026[1],
        parent="goal-2028-retention",
        rationale="续约是收入的基本盘。",
        resources=["客户成功经理2名"],
    )
    add(
        id="goal-2026-jinfeng-retention",
        statement="2026年6月30日前与金丰汽车续签三年框架协议,全年采购额同比不下降"
        "(净收入留存率≥100%)。",
        type=GoalType.RETENTION,
        horizon=Horizon.SHORT,
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc-jinfeng-auto",
        owner="p-sunhao",
        metric=level(
            "金丰汽车净收入留存率(累计同比)",
            "%",
            round(100 * jinfeng.revenue_in_year(2025) / jinfeng.revenue_in_year(2024), 1),
            100,
            105,
            110,
        ),
        start=Y2026[0],
        deadline=Y2026[1],
        pillar="pil-east-deepening",
        rationale="金丰汽车框架协议2026年6月到期,竞争对手已报价。",
        support=SUPPORT_STANDARD,
    )
    add(
        id="goal-2026-lingnan-revenue",
        statement="止跌:2026年岭南电器采购额不低于3000万元,并拿下整厂数字化改造的云平台部分。",
        type=GoalType.REVENUE,
        horizon=Horizon.SHORT,
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc-lingnan-appliance",
        owner="p-huangting",
        metric=money(
            "岭南电器年采购额",
            by_id["acc-lingnan-appliance"].revenue_in_year(2025) / MILLION,
            30,
            33,
            36,
        ),
        start=Y2026[0],
        deadline=Y2026[1],
        pillar="pil-cloud-crosssell",
        rationale="采购连续两年下滑,但整厂数字化改造项目预算约8000万元。",
    )
    add(
        id="goal-2026-beichen-revenue",
        statement="2026年北辰能源采购额5600万元,其中云与运维服务占比提升到20%。",
        type=GoalType.REVENUE,
        horizon=Horizon.SHORT,
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc-beichen-energy",
        owner="p-wuqiang",
        metric=money(
            "北辰能源采购额",
            by_id["acc-beichen-energy"].revenue_in_year(2025) / MILLION,
            56,
            59,
            62,
        ),
        start=Y2026[0],
        deadline=Y2026[1],
        pillar="pil-cloud-crosssell",
        rationale="国企信创替代带来服务器与运维需求。",
    )
    add(
        id="goal-2026-zhongguan-revenue",
        statement="2026年中关数智采购额5800万元(+17%),拿下其大模型训练集群的存储与网络。",
        type=GoalType.REVENUE,
        horizon=Horizon.SHORT,
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc-zhongguan-digital",
        owner="p-xuli",
        metric=money(
            "中关数智采购额",
            by_id["acc-zhongguan-digital"].revenue_in_year(2025) / MILLION,
            58,
            62,
            66,
        ),
        start=Y2026[0],
        deadline=Y2026[1],
        pillar="pil-cloud-crosssell",
        rationale="增长最快的ICT客户,2026年算力投资翻倍。",
    )
    add(
        id="goal-2026-yanshan-crosssell",
        statement="燕山生物医药研发云项目:2026年新增云与算力合同600万元。",
        type=GoalType.CROSS_SELL,
        horizon=Horizon.SHORT,
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc-yanshan-bio",
        owner="p-xuli",
        metric=money("新增云与算力合同额", 0, 6, 7, 8),
        start=Y2026[0],
        deadline=Y2026[1],
        pillar="pil-medical",
        rationale="研发中心扩建,分子模拟需要GPU算力。",
        support=SUPPORT_MEDICAL,
    )
    add(
        id="goal-2026-ai-pilot",
        statement="华信AI一体机在2026年内完成5家大客户付费试点,每家合同额不低于50万元。",
        type=GoalType.NEW_PRODUCT,
        horizon=Horizon.SHORT,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-zhaomin",
        metric=level("AI一体机付费试点客户数", "accounts", 0, 5, 7, 9),
        start=Y2026[0],
        deadline=Y2026[1],
        parent="goal-2028-ai-appliance",
        pillar="pil-cloud-crosssell",
        rationale="新品上市第一年,以标杆案例带动后续销售。",
        assumptions=["一体机Q2量产", "医疗与制造各有1个标杆"],
        resources=["试点补贴每家20万元", "AI解决方案架构师2名"],
        support=["AI一体机产品培训 (2 days)", "演示样机4台"],
        incentive=bonus(
            20_000,
            30_000,
            50_000,
            "每个付费试点奖励签约团队1万元;年度创新奖",
            IncentiveKind.RECOGNITION,
        ),
    )
    add(
        id="goal-2026-nanyue-ai",
        statement="南粤医疗:2026年12月15日前上线AI一体机影像辅助诊断试点,合同额不低于120万元。",
        type=GoalType.NEW_PRODUCT,
        horizon=Horizon.SHORT,
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc-nanyue-health",
        owner="p-zhoujie",
        metric=money("AI试点合同额", 0, 1.2, 1.5, 2.0),
        start=dt.date(2026, 4, 1),
        deadline=dt.date(2026, 12, 15),
        pillar="pil-medical",
        rationale="南粤医疗影像科年增长30%,放射科医生不足,是医疗行业最好的标杆。",
        support=SUPPORT_MEDICAL,
    )
    add(
        id="goal-2026-kam-training",
        statement="Every KAM completes 40 hours of solution-selling training and passes the 华信云 "
        "certification in 2026.",
        type=GoalType.CUSTOM,
        horizon=Horizon.SHORT,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-yangfan",
        metric=level("人均培训学时", "hours", 12, 40, 48, 60),
        start=Y2026[0],
        deadline=Y2026[1],
        pillar="pil-shorter-cycle",
        rationale="Trained KAMs qualify deals faster and bring presales in earlier.",
        resources=["线上学习平台", "外部讲师4次"],
        incentive=bonus(
            0,
            0,
            0,
            "认证是晋升高级KAM的必要条件 (required for promotion to senior KAM)",
            IncentiveKind.PROMOTION,
        ),
    )

    # PLAN-ORPHAN: a short-term goal attached to nothing (no parent, no pillar).
    add(
        id="goal-2026-expo-leads",
        statement="2026年第四季度参加2场行业展会(医院信息化大会、国际工业博览会),"
        "获取40条大客户有效线索。",
        type=GoalType.CUSTOM,
        horizon=Horizon.SHORT,
        scope=ScopeKind.TEAM,
        scope_ref="team-ka",
        owner="p-yangfan",
        metric=level("有效线索", "leads", 0, 40, 50, 60),
        start=QUARTERS_2026[4][0],
        deadline=QUARTERS_2026[4][1],
        rationale="展会是接触新医疗与制造客户的主要渠道;Q3新签客户中有两家来自展会线索。",
        resources=["展会预算80万元"],
    )

    # --- deliberately weak goals (for the SMART lint) -----------------------------------
    add(
        id="goal-satisfaction-vague",
        statement="尽快提升重点客户满意度",
        type=GoalType.SATISFACTION,
        horizon=Horizon.SHORT,
        scope=ScopeKind.TEAM,
        scope_ref="team-east",
        owner="p-wanglei",
        pillar="pil-east-deepening",
    )
    add(
        id="goal-relationships-vague",
        statement="Improve relationships with key accounts",
        type=GoalType.CUSTOM,
        horizon=Horizon.SHORT,
        scope=ScopeKind.TEAM,
        scope_ref="team-south",
        owner="p-chenjing",
        pillar="pil-medical",
    )
    add(
        id="goal-2026-south-medical-push",
        statement="华南区今年要大幅提升医疗客户收入",
        type=GoalType.REVENUE,
        horizon=Horizon.SHORT,
        scope=ScopeKind.TEAM,
        scope_ref="team-south",
        owner="p-chenjing",
        start=Y2026[0],
        deadline=Y2026[1],
        pillar="pil-medical",
    )
    add(
        id="goal-zhixue-revenue-no-deadline",
        statement="把智学在线的年采购额提升到1000万元",
        type=GoalType.REVENUE,
        horizon=Horizon.SHORT,
        scope=ScopeKind.ACCOUNT,
        scope_ref="acc-zhixue-online",
        owner="p-zhoujie",
        metric=money(
            "智学在线年采购额",
            by_id["acc-zhixue-online"].revenue_in_year(2025) / MILLION,
            10,
            12,
            15,
        ),
        pillar="pil-cloud-crosssell",
        status=GoalStatus.DRAFT,
    )
    return goals


# --- check-ins --------------------------------------------------------------------------------

AS_OF = dt.date(2026, 11, 25)
"""The last check-in date: the November check-in is a flash report before month end."""
MONTH_SHARE = (0.30, 0.32, 0.38)
"""Share of a quarter's purchases in each of its months."""
TEAM_REGION = {"team-east": "华东", "team-south": "华南", "team-north": "华北"}


def checkin_date(month: int) -> dt.date:
    """The date of the monthly check-in of ``month`` 2026."""
    if month == AS_OF.month:
        return AS_OF
    nxt = dt.date(2026 + month // 12, month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def monthly_purchases(accounts: list[Account], rng: random.Random) -> dict[str, dict[int, float]]:
    """Purchases by account and month of 2026 up to :data:`AS_OF`, from the quarterly history.

    October and November are not in the history yet (the quarter is open): they are estimated
    from last year's Q4 and the account's trend.
    """
    growth = {f"acc-{s.key}": s.growth for s in ACCOUNTS}
    out: dict[str, dict[int, float]] = {}
    for acc in accounts:
        months: dict[int, float] = {}
        for q in (1, 2, 3):
            amount = acc.purchase_history.get(f"2026-Q{q}", 0.0)
            for i, share in enumerate(MONTH_SHARE):
                months[3 * q - 2 + i] = amount * share
        q4 = acc.purchase_history.get("2025-Q4", 0.0) * (1 + growth[acc.id])
        q4 *= rng.uniform(0.9, 1.1)
        months[10] = q4 * MONTH_SHARE[0]
        months[11] = q4 * MONTH_SHARE[1] * AS_OF.day / 30
        out[acc.id] = months
    return out


def month_of_history(account: Account, year: int, month: int) -> float:
    """Purchases in one month, from the quarterly history (November up to :data:`AS_OF`'s day)."""
    q, i = (month - 1) // 3 + 1, (month - 1) % 3
    amount = account.purchase_history.get(f"{year}-Q{q}", 0.0) * MONTH_SHARE[i]
    return amount * AS_OF.day / 30 if month == AS_OF.month else amount


@dataclass(frozen=True)
class Track:
    """How a goal's actual value moves through the year."""

    goal: str
    kind: str
    """``revenue`` (summed from the accounts in scope), ``ttm`` (their purchases in the last four
    quarters), ``nrr`` (their purchases this year to date over the same months last year, in %),
    ``cum`` (cumulative, a share ``perf`` of the straight line to target), ``level`` (a value
    moving from baseline towards target at ``perf`` of the planned pace) or ``seq`` (the values
    given)."""
    perf: float = 1.0
    seq: tuple[float, ...] = ()
    months: tuple[int, ...] = ()
    """Months to report; by default every month from the goal's start to :data:`AS_OF`."""


TRACKS: list[Track] = [
    *(
        Track(g, "revenue")
        for g in (
            "goal-2026-company-revenue",
            "goal-2026-east-revenue",
            "goal-2026-south-revenue",
            "goal-2026-north-revenue",
            "goal-2026-zhangwei-revenue",
            "goal-2026-lina-revenue",
            "goal-2026-sunhao-revenue",
            "goal-2026-huangting-revenue",
            "goal-2026-zhoujie-revenue",
            "goal-2026-wuqiang-revenue",
            "goal-2026-xuli-revenue",
            "goal-2026-yuntu-revenue",
            "goal-2026-lingnan-revenue",
            "goal-2026-beichen-revenue",
            "goal-2026-zhongguan-revenue",
        )
    ),
    Track("goal-2026-jinfeng-retention", "nrr"),
    Track("goal-2026-new-accounts", "seq", seq=(0, 1, 2, 2, 2, 3, 4, 5, 6, 6, 7)),
    Track("goal-2026q1-new-accounts", "seq", seq=(0, 1, 2)),
    Track("goal-2026q2-new-accounts", "seq", seq=(0, 0, 1)),
    Track("goal-2026q3-new-accounts", "seq", seq=(1, 2, 3)),
    Track("goal-2026q4-new-accounts", "seq", seq=(0, 1)),
    Track("goal-2026-kangrun-csat", "level", perf=0.95),
    Track("goal-2026-cloud-crosssell", "cum", perf=1.02),
    Track("goal-2026-pengcheng-crosssell", "cum", perf=0.72),
    Track("goal-2026-medical-share", "level", perf=0.45),
    Track("goal-2026-east-share", "level", perf=1.0),
    Track("goal-2026-sales-cycle", "level", perf=0.75),
    Track("goal-2026-jinqiao-cycle", "level", perf=1.05),
    Track(
        "goal-2026-retention",
        "seq",
        seq=(96.0, 96.0, 95.8, 95.8, 95.6, 95.1, 95.1, 94.9, 94.9, 95.2, 95.2),
    ),
    Track("goal-2026-yanshan-crosssell", "cum", perf=1.05),
    Track("goal-2026-ai-pilot", "seq", seq=(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1)),
    Track("goal-2026-nanyue-ai", "seq", seq=(0, 0, 0, 0, 0, 0, 0, 600_000)),
    Track("goal-2026-kam-training", "cum", perf=1.0),
    Track("goal-2026-expo-leads", "seq", seq=(17, 29)),
    # Mid-term goals are reviewed quarterly; money levels are trailing-twelve-month purchases.
    Track("goal-2028-revenue", "ttm", months=(3, 6, 9)),
    Track("goal-2028-yuntu-revenue", "ttm", months=(3, 6, 9)),
    Track("goal-2028-ai-appliance", "seq", seq=(0, 0, 1), months=(3, 6, 9)),
    Track("goal-2028-retention", "seq", seq=(95.8, 95.1, 94.9), months=(3, 6, 9)),
    Track("goal-2028-medical-share", "level", perf=0.5, months=(3, 6, 9)),
    Track("goal-2028-cloud-crosssell", "level", perf=1.1, months=(3, 6, 9)),
    Track("goal-2028-sales-cycle", "level", perf=0.8, months=(3, 6, 9)),
]

# Notes that tell the story of particular months, by goal and month: (progress, plans, problems).
STORY: dict[tuple[str, int], tuple[str, str, str]] = {
    ("goal-2026-jinfeng-retention", 6): (
        "框架协议未能在6月30日前续签,客户采购部要求整体降价8%。",
        "7月由王磊陪同拜访金丰汽车CFO,提出三年期阶梯价方案。",
        "竞争对手报价低12%,客户内部对续签意见不一。",
    ),
    ("goal-2026-jinfeng-retention", 9): (
        "9月12日签署三年框架协议,单价下调5%,新增越南工厂终端项目。",
        "推进越南工厂网络与终端交付,争取Q4追加订单。",
        "降价导致全年采购额预计同比下降约8%,留存率低于100%。",
    ),
    ("goal-2026q2-new-accounts", 6): (
        "二季度只签约1家(康泰医疗器械子公司),目标2家未完成。",
        "两家医疗线索顺延到三季度跟进。",
        "医院预算审批推迟到7月。",
    ),
    ("goal-2026-ai-pilot", 6): (
        "AI一体机量产推迟到7月,上半年试点客户0家。",
        "7月起在南粤医疗、金丰汽车做免费POC,争取转为付费试点。",
        "产品交付推迟;客户对大模型数据安全仍有顾虑。",
    ),
    ("goal-2026-ai-pilot", 9): (
        "首家付费试点(中关数智,合同额80万元)9月签约。",
        "南粤医疗POC已通过验收,争取11月签约。",
        "全年5家目标风险很大,预计完成2-3家。",
    ),
    ("goal-2026-expo-leads", 11): (
        "工博会(11月)获取有效线索12条,两场展会累计29条。",
        "线索已分配给各区KAM,两周内完成首次拜访;12月举办客户答谢会补充线索。",
        "医院信息化大会的线索多为二级医院,年采购潜力偏低。",
    ),
    ("goal-2026-lingnan-revenue", 5): (
        "岭南电器整厂数字化改造项目启动招标,我们进入短名单。",
        "6月提交云平台与车间网络联合方案。",
        "客户日常采购继续下滑,Q2同比下降约10%。",
    ),
    ("goal-2026-xuli-revenue", 10): (
        "中关数智训练集群存储项目10月签约,本财年累计完成约一半。",
        "推进燕山生物医药研发云二期。",
        "按4月起的财年口径,和华北组年度目标对不上,需要与刘洋确认口径。",
    ),
}

UNIT_WORDS = {
    "accounts": "家",
    "%": "%",
    "days": "天",
    "score": "分",
    "hours": "学时",
    "leads": "条",
}
UNIT_WORDS_EN = {
    "accounts": " accounts",
    "%": "%",
    "days": " days",
    "score": " pts",
    "hours": " h",
    "leads": " leads",
}


def show(value: float, unit: str, english: bool) -> str:
    """A metric value for a note."""
    if unit == "CNY":
        return f"CNY {value / MILLION:,.1f}M" if english else yuan(value / MILLION)
    if unit == "USD":
        return f"USD {value / MILLION:,.2f}M" if english else f"{value / MILLION:,.2f}百万美元"
    words = UNIT_WORDS_EN if english else UNIT_WORDS
    return f"{value:g}{words.get(unit, ' ' + unit)}"


PLANS_ZH: dict[GoalType, list[str]] = {
    GoalType.REVENUE: [
        "跟进Q4预算,锁定年底集中采购订单",
        "推动重点商机进入合同审批",
        "与客户IT负责人做季度业务回顾",
        "争取框架协议内追加订单",
    ],
    GoalType.NEW_ACCOUNTS: [
        "跟进展会线索,安排首次拜访",
        "请渠道伙伴推荐医疗行业客户",
        "准备标准化首单方案包",
    ],
    GoalType.SATISFACTION: ["召开季度业务回顾(QBR)", "回访上月故障工单", "安排高层拜访"],
    GoalType.CROSS_SELL: ["安排云迁移评估", "邀请客户参观华东二区数据中心", "提交云+安全组合报价"],
    GoalType.MARKET_SHARE: ["盘点竞品在重点客户的份额", "推动行业标杆案例发布"],
    GoalType.SALES_CYCLE: ["推广标准报价包", "法务合同模板预审", "商机阶段停留超过30天的逐一复盘"],
    GoalType.RETENTION: ["梳理未来6个月到期合同", "对有流失风险的客户安排高层拜访"],
    GoalType.NEW_PRODUCT: ["安排POC演示", "整理首批试点客户案例"],
    GoalType.CUSTOM: ["按计划推进下月工作"],
}
PLANS_EN = [
    "Keep the weekly pipeline review",
    "Follow up the open proposals",
    "Book the next training sessions",
    "Review stalled deals with presales",
]
SELLING = {GoalType.REVENUE, GoalType.CROSS_SELL, GoalType.NEW_ACCOUNTS, GoalType.RETENTION}
"""Goal types whose problems and actions are about deals; the others get neutral ones."""
PROBLEMS_ZH = {
    "on": ["", "", "个别客户付款延迟"],
    "risk": ["重点商机签约推迟到下季度", "客户预算收紧,采购审批变慢", "售前资源紧张,方案交付慢"],
    "off": ["主要客户采购明显下滑", "竞争对手大幅降价抢单", "关键项目延期,年内难以落地"],
}
PROBLEMS_OTHER_ZH = {
    "on": ["", ""],
    "risk": ["部分措施落地慢于计划", "依赖的前置工作(产品/流程)延期"],
    "off": ["关键措施尚未落地,进度明显落后", "数据口径与资源都未到位"],
}
PROBLEMS_EN = {
    "on": ["", "Minor delays in customer payments"],
    "risk": ["Two key deals slipped to next quarter", "Presales capacity is the bottleneck"],
    "off": ["Main accounts are buying much less than planned", "A competitor undercut our prices"],
}
PROBLEMS_OTHER_EN = {
    "on": ["", ""],
    "risk": ["Some measures are landing later than planned"],
    "off": ["The key measures have not started yet", "Legal review of contracts still takes weeks"],
}
ACTIONS_ZH = [
    "与客户高层召开专项沟通会",
    "申请区域特价支持",
    "调配售前架构师支持重点商机",
    "每周复盘风险商机",
    "制定客户流失挽回计划",
    "提交补充方案与报价",
]
ACTIONS_OTHER_ZH = [
    "两周内提交整改计划并在周会复盘",
    "申请增加资源(人员或预算)",
    "与相关部门(产品/法务/服务)召开协调会",
]
ACTIONS_EN = [
    "Escalate the stalled deals to the director",
    "Run a pricing review with finance",
    "Add a weekly risk review",
]
ACTIONS_OTHER_EN = [
    "Agree a recovery plan and review it weekly",
    "Ask legal for a fast-track contract template",
]


def status_of(ratio: float) -> str:
    """``on``, ``risk`` or ``off`` track, with the workspace's default thresholds."""
    return "on" if ratio >= 0.95 else "risk" if ratio >= 0.85 else "off"


def make_checkins(goals: list[Goal], accounts: list[Account], rng: random.Random) -> list[CheckIn]:
    """A year of monthly check-ins for most short-term goals, quarterly for some mid ones."""
    by_goal = {g.id: g for g in goals}
    monthly = monthly_purchases(accounts, rng)
    by_acc = {a.id: a for a in accounts}
    managers = {pid: manager for pid, _, _, _, _, manager, _, _ in PEOPLE}
    out: list[CheckIn] = []
    for track in TRACKS:
        goal = by_goal[track.goal]
        metric = goal.metric
        assert metric is not None and metric.target is not None and goal.start and goal.deadline
        english = goal.statement[:1].isascii() and goal.statement[:1].isalpha()
        selling = goal.type in SELLING
        baseline = metric.baseline or 0.0
        months = track.months or tuple(
            m
            for m in range(goal.start.month, AS_OF.month + 1)
            if dt.date(2026, m, 1) <= goal.deadline
        )
        scope = scope_accounts(goal, accounts)
        rate = USD_RATE if metric.currency == "USD" else 1.0
        previous = 0.0
        for i, month in enumerate(months):
            day = min(checkin_date(month), goal.deadline)
            frac = (day - goal.start).days / max(1, (goal.deadline - goal.start).days)
            if track.kind == "revenue":
                actual = sum(
                    monthly[a][m] for a in scope for m in range(goal.start.month, month + 1)
                )
                actual = float(round(actual / rate, -3))
            elif track.kind == "ttm":
                q = month // 3
                labels = [f"2025-Q{n}" for n in range(q + 1, 5)] + [
                    f"2026-Q{n}" for n in range(1, q + 1)
                ]
                actual = float(
                    round(
                        sum(by_acc[a].purchase_history.get(k, 0.0) for a in scope for k in labels),
                        -3,
                    )
                )
            elif track.kind == "nrr":
                this_year = sum(monthly[a][m] for a in scope for m in range(1, month + 1))
                last_year = sum(
                    month_of_history(by_acc[a], 2025, m) for a in scope for m in range(1, month + 1)
                )
                actual = round(100 * this_year / last_year, 1)
            elif track.kind == "seq":
                actual = float(track.seq[i])
            elif track.kind == "cum":
                raw = metric.target * frac * track.perf * rng.uniform(0.96, 1.04)
                digits = -4 if metric.unit in ("CNY", "USD") else 0
                actual = max(previous, float(round(raw, digits)))
            else:
                span = metric.target - baseline
                raw = baseline + span * frac * track.perf + span * rng.uniform(-0.04, 0.04)
                actual = float(round(raw, 0 if metric.unit == "days" else 1))
            previous = actual
            if metric.direction == Direction.MAINTAIN or track.kind == "nrr":
                ratio = actual / metric.target
            elif track.kind in ("level", "ttm"):
                ratio = (actual - baseline) / (metric.target - baseline) / max(frac, 0.05)
            else:
                ratio = actual / metric.target / max(frac, 0.05)
            if frac < 0.2:
                ratio = max(ratio, 0.9)  # too early to tell
            state = status_of(ratio)
            confidence = min(0.95, max(0.1, 0.2 + 0.7 * (ratio - 0.6) / 0.45))
            # Early in a period owners stay near their usual 0.65 whatever the numbers say.
            confidence = frac * confidence + (1 - frac) * 0.65
            confidence = round(confidence + rng.uniform(-0.03, 0.03), 2)
            done_pct = (
                actual / metric.target
                if track.kind not in ("level", "ttm")
                else ((actual - baseline) / (metric.target - baseline))
            )
            shown = show(actual, metric.unit, english)
            story = STORY.get((goal.id, month))
            if story is not None:
                progress, plans, problems = story
            elif english:
                progress = (
                    f"{shown} as of {day:%b %d}, {done_pct:.0%} of target; "
                    + {
                        "on": "on track.",
                        "risk": "slightly behind plan.",
                        "off": "well behind plan.",
                    }[state]
                )
                plans = rng.choice(PLANS_EN)
                problems = rng.choice((PROBLEMS_EN if selling else PROBLEMS_OTHER_EN)[state])
            else:
                progress = (
                    f"截至{day.month}月{day.day}日"
                    + {"level": "", "ttm": "近12个月", "nrr": "累计同比"}.get(track.kind, "累计")
                    + f"{shown},完成目标的{done_pct:.0%}"
                    + {
                        "on": ",进度正常。",
                        "risk": ",略落后于时间进度。",
                        "off": ",明显落后于计划。",
                    }[state]
                )
                plans = rng.choice(PLANS_ZH[goal.type])
                problems = rng.choice((PROBLEMS_ZH if selling else PROBLEMS_OTHER_ZH)[state])
            actions: list[Action] = []
            if state != "on" and month in (3, 5, 7, 9, 10, 11):
                owner = goal.owner or "p-zhaomin"
                if month >= 9 and managers.get(owner):
                    owner = managers[owner] or owner
                due = day + dt.timedelta(days=21)
                actions.append(
                    Action(
                        text=rng.choice(
                            (ACTIONS_EN if selling else ACTIONS_OTHER_EN)
                            if english
                            else (ACTIONS_ZH if selling else ACTIONS_OTHER_ZH)
                        ),
                        owner=owner,
                        due=due,
                        done=due < dt.date(2026, 11, 20) and rng.random() < 0.75,
                    )
                )
            out.append(
                CheckIn(
                    id=f"ci-{goal.id.removeprefix('goal-')}-{month:02d}",
                    goal=goal.id,
                    date=day,
                    actual=actual,
                    confidence=confidence,
                    progress=progress,
                    plans=plans,
                    problems=problems,
                    actions=actions,
                )
            )
    return out


def scope_accounts(goal: Goal, accounts: list[Account]) -> list[str]:
    """Ids of the accounts whose purchases count towards a revenue goal."""
    ref = goal.scope_ref
    if goal.scope == ScopeKind.ACCOUNT:
        return [ref] if ref else []
    if goal.scope == ScopeKind.PERSON:
        return [a.id for a in accounts if a.owner == ref]
    if goal.scope == ScopeKind.TEAM and ref in TEAM_REGION:
        return [a.id for a in accounts if a.region == TEAM_REGION[ref]]
    return [a.id for a in accounts]


# --- building ---------------------------------------------------------------------------------

LATE_GOALS = {
    "goal-2026-nanyue-ai": dt.datetime(2026, 3, 20, 2, 0, tzinfo=dt.UTC),
    "goal-2026-expo-leads": dt.datetime(2026, 9, 18, 2, 0, tzinfo=dt.UTC),
    "goal-zhixue-revenue-no-deadline": dt.datetime(2026, 8, 3, 2, 0, tzinfo=dt.UTC),
}
"""Goals added during the year, and when."""

FINAL_STATUS = {
    "goal-2026q1-new-accounts": GoalStatus.ACHIEVED,
    "goal-2026q2-new-accounts": GoalStatus.MISSED,
    "goal-2026q3-new-accounts": GoalStatus.ACHIEVED,
}
"""Goals whose period ended, closed at the last review."""


def creates(records: Iterable[Record]) -> list[Change]:
    """``create`` changes for ``records``."""
    return [Change("create", r) for r in records]


def build(path: Path | str = DEFAULT_PATH) -> Path:
    """(Re)create the sample workspace at ``path`` and return its folder.

    The folder is removed first. Running this twice gives byte-identical files.
    """
    root = Path(path).absolute()
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(SEED)
    ws = Workspace.init(
        root,
        name=WORKSPACE_NAME,
        language="zh",
        currency="CNY",
        user=SETUP_USER,
        clock=fixed(SETUP_AT),
    )
    accounts = make_accounts(rng)
    ws.commit(creates(make_teams()) + creates(make_people(accounts)))
    ws.commit(creates(accounts))
    ws.commit(creates(make_segments(accounts)) + creates(make_pillars()))

    goals = make_goals(accounts)
    ws.clock = fixed(PLANNED_AT)
    ws.commit(creates(g for g in goals if g.id not in LATE_GOALS))
    for goal_id, moment in LATE_GOALS.items():
        ws.clock = fixed(moment)
        ws.commit(creates(g for g in goals if g.id == goal_id))

    # Check-ins are saved by their goals' owners, on their dates (10:00 in Beijing).
    by_goal = {g.id: g for g in goals}
    batches: dict[tuple[dt.date, str], list[CheckIn]] = {}
    for ci in make_checkins(goals, accounts, rng):
        owner = by_goal[ci.goal].owner or "p-zhaomin"
        batches.setdefault((ci.date, user_of(owner)), []).append(ci)
    for (day, user), items in sorted(batches.items()):
        ws.clock = fixed(dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=dt.UTC))
        ws.user = user
        ws.commit(creates(items))

    ws.clock = fixed(FINAL_AT)
    ws.user = SETUP_USER
    stored = {g.id: g for g in ws.all(Goal)}
    ws.commit(
        [
            Change("update", stored[gid].model_copy(update={"status": status}))
            for gid, status in FINAL_STATUS.items()
        ]
    )
    shutil.rmtree(root / STATE_DIR)
    return root


def main(argv: list[str]) -> int:
    """Build at the path given, or at ``sample_workspace/``, and check it opens cleanly."""
    root = build(Path(argv[0]) if argv else DEFAULT_PATH)
    ws = Workspace.open(root, read_only=True)
    counts = {kind: len(ws.records(kind)) for kind in ("account", "goal", "checkin", "person")}
    for problem in ws.problems:
        print(problem, file=sys.stderr)
    print(f"{root}: {counts}")
    return 1 if ws.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
