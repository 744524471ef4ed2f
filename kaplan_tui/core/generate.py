"""Realistic bilingual workspace data at any scale, for trying Kaplan big and for benchmarks.

Pure and deterministic: the same :class:`GenerateSpec` (seed included) gives the same records,
ids and all. ``kaplan generate`` writes them through the storage (``storage/generate.py``).

What is made, for N accounts:

* a department team with a director and ops staff, and one team per region (华东, 华南...) with a
  manager and key-account managers (about one per :data:`ACCOUNTS_PER_SELLER` accounts, shared
  out by the regions' weights), each with a territory; a big region team has first-line team
  leads, each over about :data:`SQUAD` sellers. At 10k accounts the East China team is about a
  hundred people;
* accounts named from combinations (``杭州鼎盛电子科技有限公司`` / ``Hangzhou Dingsheng
  Electronics Co., Ltd.``) across the article's industries, with three years of quarterly
  purchase history (lognormal sizes, varied growth, seasonality, late starters and churners),
  open pipeline, potential, needs, pain points, tiers and ranks;
* segments by industry and a tier-1 segment, and strategy pillars;
* goal trees: long (department) -> mid (region team or segment) -> annual (person or account)
  -> quarterly, of every goal type, with metrics and base / stretch / challenge levels, in
  Chinese, English or both, a few deliberately vague;
* check-ins spread over the goals that have started, some on track and some at risk.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

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
)
from kaplan_tui.core.periods import month_end

DEFAULT_AS_OF = dt.date(2026, 11, 20)
"""The day the generated plan is "as of", fixed so that a seed always gives the same data."""

ACCOUNTS_PER_SELLER = 33
"""Accounts a key-account manager looks after: 10k accounts make some 300 sellers."""
SQUAD = 12
"""Sellers per first-line team lead in a big region team."""
SQUAD_FROM = 16
"""A region team with more sellers than this has team leads between them and its manager."""

T = TypeVar("T")

# --- vocabulary -------------------------------------------------------------------------------

REGIONS: list[tuple[str, str, float, list[tuple[str, str]]]] = [
    ("华东", "East China", 0.30, [("上海", "Shanghai"), ("杭州", "Hangzhou"), ("南京", "Nanjing"),
                                  ("苏州", "Suzhou"), ("宁波", "Ningbo"), ("合肥", "Hefei")]),
    ("华南", "South China", 0.22, [("广州", "Guangzhou"), ("深圳", "Shenzhen"),
                                   ("东莞", "Dongguan"), ("佛山", "Foshan"), ("厦门", "Xiamen")]),
    ("华北", "North China", 0.18, [("北京", "Beijing"), ("天津", "Tianjin"),
                                   ("石家庄", "Shijiazhuang"), ("济南", "Jinan")]),
    ("华中", "Central China", 0.12, [("武汉", "Wuhan"), ("长沙", "Changsha"),
                                     ("郑州", "Zhengzhou"), ("南昌", "Nanchang")]),
    ("西南", "Southwest China", 0.10, [("成都", "Chengdu"), ("重庆", "Chongqing"),
                                       ("昆明", "Kunming"), ("贵阳", "Guiyang")]),
    ("西北", "Northwest China", 0.04, [("西安", "Xi'an"), ("兰州", "Lanzhou"),
                                       ("银川", "Yinchuan")]),
    ("东北", "Northeast China", 0.04, [("沈阳", "Shenyang"), ("大连", "Dalian"),
                                       ("哈尔滨", "Harbin"), ("长春", "Changchun")]),
]  # fmt: skip
"""(name, English name, share of accounts, cities)."""


@dataclass(frozen=True)
class Industry:
    """An industry of the article's list, with what its companies are called and need."""

    name: str
    name_en: str
    share: float
    size: float
    """Typical yearly purchases, in CNY."""
    nouns: list[tuple[str, str]]
    needs: list[str]
    pains: list[str]
    season: tuple[float, float, float, float]
    """Share of a year's purchases in Q1..Q4."""


INDUSTRIES: list[Industry] = [
    Industry("ICT", "ICT", 0.20, 4.0e6,
             [("网络科技", "Network Technology"), ("信息技术", "Information Technology"),
              ("通信", "Communications"), ("数据科技", "Data Technology"), ("软件", "Software"),
              ("云计算", "Cloud Computing")],
             ["混合云迁移", "数据中心扩容", "零信任安全", "AI 算力"],
             ["上云成本失控", "运维人手不足", "多云管理复杂"],
             (0.18, 0.24, 0.22, 0.36)),
    Industry("医疗健康", "Healthcare", 0.14, 3.0e6,
             [("医疗", "Medical"), ("医院管理", "Hospital Management"), ("药业", "Pharmaceutical"),
              ("生物科技", "Biotech"), ("健康科技", "Health Technology")],
             ["影像数据归档", "互联网医院平台", "等保合规"],
             ["信息系统老旧", "数据孤岛", "采购审批周期长"],
             (0.20, 0.25, 0.22, 0.33)),
    Industry("制造业", "Manufacturing", 0.22, 3.5e6,
             [("精密制造", "Precision Manufacturing"), ("汽车零部件", "Auto Parts"),
              ("机械", "Machinery"), ("电子", "Electronics"), ("新材料", "New Materials"),
              ("电器", "Appliances")],
             ["工厂数字化", "MES 与 ERP 打通", "设备预测性维护"],
             ["产线停机损失", "订单波动大", "出口成本上升"],
             (0.22, 0.26, 0.24, 0.28)),
    Industry("快消品", "FMCG", 0.12, 2.5e6,
             [("食品", "Foods"), ("饮料", "Beverages"), ("日化", "Daily Chemicals"),
              ("乳业", "Dairy"), ("连锁零售", "Retail Chain")],
             ["全渠道会员系统", "门店终端更新", "供应链可视化"],
             ["渠道价格混乱", "促销效果难衡量", "库存周转慢"],
             (0.27, 0.22, 0.21, 0.30)),
    Industry("家居建材", "Home & Building Materials", 0.10, 2.0e6,
             [("家居", "Home Furnishing"), ("陶瓷", "Ceramics"), ("建材", "Building Materials"),
              ("家具", "Furniture"), ("门窗", "Doors & Windows")],
             ["经销商协同平台", "设计软件授权", "展厅数字化"],
             ["地产下行", "经销商流失", "回款慢"],
             (0.18, 0.28, 0.26, 0.28)),
    Industry("教育培训", "Education & Training", 0.07, 1.2e6,
             [("教育", "Education"), ("职业培训", "Vocational Training"),
              ("在线教育", "Online Education"), ("国际学校", "International School")],
             ["智慧教室", "在线学习平台", "校园网升级"],
             ["预算季节性强", "政策变化", "师生终端管理难"],
             (0.15, 0.20, 0.40, 0.25)),
    Industry("专业服务", "Professional Services", 0.09, 1.0e6,
             [("咨询", "Consulting"), ("律师事务所", "Law Firm"),
              ("会计师事务所", "Accounting Firm"), ("人力资源", "Human Resources"),
              ("物流", "Logistics")],
             ["文档安全与协同", "远程办公", "客户数据合规"],
             ["人员流动大", "知识沉淀难", "IT 预算有限"],
             (0.22, 0.24, 0.24, 0.30)),
    Industry("农牧农资", "Agriculture", 0.06, 1.5e6,
             [("农业科技", "Agritech"), ("牧业", "Livestock"), ("种业", "Seeds"),
              ("饲料", "Feed"), ("农资", "Agricultural Supplies")],
             ["养殖场物联网", "经销网络管理", "溯源系统"],
             ["原料价格波动", "基层网络覆盖差", "季节性资金压力"],
             (0.30, 0.28, 0.18, 0.24)),
]  # fmt: skip

BRANDS: list[tuple[str, str]] = [
    ("华信", "Huaxin"), ("鼎盛", "Dingsheng"), ("瑞丰", "Ruifeng"), ("金桥", "Jinqiao"),
    ("天元", "Tianyuan"), ("恒通", "Hengtong"), ("博远", "Boyuan"), ("新锐", "Xinrui"),
    ("中联", "Zhonglian"), ("海纳", "Haina"), ("远景", "Yuanjing"), ("德润", "Derun"),
    ("嘉禾", "Jiahe"), ("宏达", "Hongda"), ("星辰", "Xingchen"), ("东方", "Dongfang"),
    ("永盛", "Yongsheng"), ("正元", "Zhengyuan"), ("安泰", "Antai"), ("启明", "Qiming"),
    ("同创", "Tongchuang"), ("汇智", "Huizhi"), ("银河", "Yinhe"), ("凯达", "Kaida"),
    ("盛世", "Shengshi"), ("云帆", "Yunfan"), ("明德", "Mingde"), ("益康", "Yikang"),
    ("百川", "Baichuan"), ("泰和", "Taihe"), ("广源", "Guangyuan"), ("志远", "Zhiyuan"),
    ("美嘉", "Meijia"), ("联创", "Lianchuang"), ("卓越", "Zhuoyue"), ("信达", "Xinda"),
    ("鸿运", "Hongyun"), ("和信", "Hexin"), ("晨光", "Chenguang"), ("锦程", "Jincheng"),
    ("万象", "Wanxiang"), ("青松", "Qingsong"), ("丰收", "Fengshou"), ("金穗", "Jinsui"),
    ("绿源", "Lyuyuan"), ("九州", "Jiuzhou"), ("四海", "Sihai"), ("通达", "Tongda"),
    ("远航", "Yuanhang"), ("润泽", "Runze"), ("嘉信", "Jiaxin"), ("精诚", "Jingcheng"),
    ("华晟", "Huasheng"), ("睿思", "Ruisi"), ("凌云", "Lingyun"), ("天成", "Tiancheng"),
    ("北辰", "Beichen"), ("南山", "Nanshan"), ("长风", "Changfeng"), ("兰亭", "Lanting"),
]  # fmt: skip

FORMS: list[tuple[str, str]] = [
    ("有限公司", "Co., Ltd."),
    ("股份有限公司", "Corporation"),
    ("集团", "Group"),
]

SURNAMES: list[tuple[str, str]] = [
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
    ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
    ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("高", "Gao"),
    ("林", "Lin"), ("罗", "Luo"), ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"),
    ("唐", "Tang"), ("韩", "Han"), ("冯", "Feng"), ("邓", "Deng"), ("曹", "Cao"), ("彭", "Peng"),
]  # fmt: skip

GIVEN: list[tuple[str, str]] = [
    ("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("磊", "Lei"),
    ("强", "Qiang"), ("军", "Jun"), ("洋", "Yang"), ("勇", "Yong"), ("艳", "Yan"), ("杰", "Jie"),
    ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"), ("秀英", "Xiuying"), ("华", "Hua"),
    ("平", "Ping"), ("刚", "Gang"), ("建华", "Jianhua"), ("晓东", "Xiaodong"),
    ("海燕", "Haiyan"), ("思远", "Siyuan"), ("子涵", "Zihan"), ("雨桐", "Yutong"),
    ("浩然", "Haoran"), ("欣怡", "Xinyi"), ("一鸣", "Yiming"), ("婷", "Ting"), ("帆", "Fan"),
]  # fmt: skip

PRODUCTS = [
    "私有云",
    "公有云资源包",
    "终端设备",
    "数据平台",
    "安全服务",
    "运维服务",
    "协同办公 SaaS",
]
STAGES = ["线索", "需求确认", "方案报价", "商务谈判", "待签约"]
TAGS = ["上市公司", "国企", "外资", "民营", "出口", "专精特新"]
RELATIONSHIP_NOTES = [
    "与 CIO 关系稳定，每季度高层拜访一次。",
    "采购部换了负责人，需要重新建立关系。",
    "Champion in IT ops; finance is cautious about new spend.",
    "年度框架协议已续签，交叉销售空间大。",
    "Decision maker changed in Q2; schedule an executive visit.",
    "竞争对手在压价，客户对服务响应要求高。",
]

PILLARS: list[tuple[str, str, str]] = [
    ("深耕战略大客户", "Deepen strategic accounts", "把一级客户做深做透，提高钱包份额。"),
    ("行业解决方案突破", "Break through with industry solutions", "以行业方案打开新需求。"),
    ("交叉销售与续约", "Cross-sell and renew", "提高每个客户的产品线数和续约率。"),
    ("新区域与新客户", "New regions and new accounts", "在薄弱区域获取新的大客户。"),
    ("客户成功与满意度", "Customer success and satisfaction", "让客户用好产品，提升满意度。"),
]

RATIONALES = [
    "公司三年战略要求大客户收入占比提升到六成以上。",
    "Tier-1 accounts drive most of our margin; losing one costs a year of growth.",
    "去年该区域增长低于全国平均，需要追赶。",
    "Renewals are cheaper than new logos; churn rose last year.",
    "新产品线需要标杆客户来带动行业复制。",
]
ASSUMPTIONS = [
    "客户 IT 预算同比持平或增长",
    "No price war from the top two competitors",
    "新产品 Q2 按时发布",
    "团队编制不减少",
    "Average deal size stays within 10% of last year",
]
RESOURCES = ["售前工程师支持", "Executive sponsor visits", "行业方案包", "市场活动预算", "POC 环境"]
SUPPORT = ["大客户经理培训营", "Negotiation coaching", "产品认证课程", "每月案例复盘"]

PROGRESS = [
    "本月完成两次高层拜访，方案进入评审。",
    "Signed the renewal; upsell discussion scheduled.",
    "新增一个部门试用，反馈积极。",
    "Pipeline coverage is 2.1x the remaining target.",
    "季度招标已入围，等待结果。",
    "POC finished; the customer asked for a revised quote.",
]
PLANS = [
    "下月安排 CTO 拜访，推进框架协议。",
    "Run a workshop with the operations team.",
    "准备行业标杆案例，邀请参观。",
    "Follow up on the quote before month end.",
]
PROBLEMS = [
    "",
    "",
    "客户预算冻结到下季度。",
    "Competitor offered 15% lower price.",
    "关键联系人离职。",
    "交付资源紧张，影响验收。",
]
ACTION_TEXTS = [
    "约见客户财务负责人",
    "Prepare a revised proposal",
    "申请特价审批",
    "安排售前做方案演示",
    "Escalate the delivery delay to the PMO",
]

# --- the spec and the result ------------------------------------------------------------------


@dataclass(frozen=True)
class GenerateSpec:
    """How much to make, from which seed, as of which day."""

    accounts: int
    goals: int
    checkins: int
    seed: int = 1
    as_of: dt.date = DEFAULT_AS_OF

    def problems(self) -> list[str]:
        """Why this spec cannot be generated (empty when it can)."""
        out = [
            f"--{n} must not be negative"
            for n in ("accounts", "goals", "checkins")
            if getattr(self, n) < 0
        ]
        if self.checkins > 0 and self.goals == 0:
            out.append("check-ins need goals: give --goals 1 or more")
        return out


@dataclass
class Generated:
    """Every record made, by kind, in the order they can be stored."""

    teams: list[Team] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    pillars: list[Pillar] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)

    def by_kind(self) -> list[tuple[str, Sequence[Record]]]:
        """``(kind, records)`` for each kind, referenced kinds first."""
        return [
            ("team", self.teams),
            ("person", self.people),
            ("pillar", self.pillars),
            ("account", self.accounts),
            ("segment", self.segments),
            ("goal", self.goals),
            ("checkin", self.checkins),
        ]

    def counts(self) -> dict[str, int]:
        """How many records of each kind."""
        return {kind: len(records) for kind, records in self.by_kind()}


def generate(spec: GenerateSpec) -> Generated:
    """Make the records of ``spec``.

    Raises:
        ValueError: the spec cannot be generated (see :meth:`GenerateSpec.problems`).
    """
    if problems := spec.problems():
        raise ValueError("; ".join(problems))
    return _Maker(spec).make()


# --- the maker --------------------------------------------------------------------------------


def _pick(rng: random.Random, items: Sequence[T], weights: Sequence[float]) -> T:
    return rng.choices(items, weights=weights, k=1)[0]


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` shared out in proportion to ``weights`` (largest remainders first), at least one
    each while there are enough to go round."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    out = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (out[i] - exact[i], i))
    for i in by_remainder[: total - sum(out)]:
        out[i] += 1
    for i, n in enumerate(out):
        if n == 0 and max(out) > 1:
            out[i] = 1
            out[out.index(max(out))] -= 1
    return out


def _money_zh(value: float) -> str:
    if abs(value) >= 1e8:
        return f"{value / 1e8:.2f}亿元"
    return f"{value / 1e4:,.0f}万元"


def _money_en(value: float) -> str:
    return f"{value / 1e6:,.1f}M CNY"


def _quarters(first_year: int, last: dt.date) -> list[tuple[str, int, int]]:
    """``(label, year, quarter)`` of every quarter from ``first_year`` Q1 that ended by
    ``last``."""
    out = []
    for year in range(first_year, last.year + 1):
        for q in range(1, 5):
            if month_end(year, 3 * q) <= last:
                out.append((f"{year}-Q{q}", year, q))
    return out


@dataclass
class _Scope:
    kind: ScopeKind
    ref: str | None
    name: str
    name_en: str
    revenue: float
    """Purchases in the last full year, for revenue baselines."""
    owner: str | None
    accounts: int


class _Maker:
    def __init__(self, spec: GenerateSpec) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.out = Generated()
        self.year = spec.as_of.year
        self.account_ids_of: dict[str, list[str]] = {}
        self.region_teams: dict[str, Team] = {}
        self.kams_in: dict[str, list[Person]] = {}
        self.director_id = "p-0001"
        self.revenue_last: dict[str, float] = {}

    def make(self) -> Generated:
        self._people_and_teams()
        self._pillars()
        self._accounts()
        self._territories()
        self._segments()
        self._goals()
        self._checkins()
        return self.out

    # --- people ---------------------------------------------------------------------------

    def _people_and_teams(self) -> None:
        rng = self.rng
        kams = max(3, round(self.spec.accounts / ACCOUNTS_PER_SELLER))
        regions = REGIONS[: min(len(REGIONS), max(1, kams // 3))]
        per_region = _apportion(kams, [r[2] for r in regions])
        names = [(s, g) for s in SURNAMES for g in GIVEN]
        rng.shuffle(names)
        used_users: dict[str, int] = {}
        counter = 0

        def person(role: Role, team: str, manager: str | None, regions_: list[str]) -> Person:
            nonlocal counter
            counter += 1
            (sur, sur_en), (given, given_en) = names[(counter - 1) % len(names)]
            user = (sur_en + given_en).lower()
            used_users[user] = used_users.get(user, 0) + 1
            if used_users[user] > 1:
                user += str(used_users[user])
            return Person(
                id=f"p-{counter:04d}",
                name=sur + given,
                name_en=f"{sur_en} {given_en}",
                role=role,
                team=team,
                manager=manager,
                territory=Territory(regions=regions_),
                user=user,
                email=f"{user}@huaxin.example",
                capacity_visits_per_week=float(rng.randint(6, 10)) if role is Role.KAM else 4.0,
            )

        director = person(Role.DIRECTOR, "team-hq", None, [r[0] for r in regions])
        self.director_id = director.id
        self.out.people.append(director)
        self.out.teams.append(
            Team(
                id="team-hq",
                name="大客户部",
                name_en="Key Accounts Department",
                region="全国",
                lead=director.id,
            )
        )
        for _ in range(max(1, kams // 40)):
            self.out.people.append(person(Role.OPS, "team-hq", director.id, []))
        for number, ((region, region_en, _, _), count) in enumerate(
            zip(regions, per_region, strict=True), start=1
        ):
            team_id = f"team-{number:02d}"
            manager = person(Role.MANAGER, team_id, director.id, [region])
            team = Team(
                id=team_id,
                name=f"{region}大客户组",
                name_en=f"{region_en} KA Team",
                region=region,
                lead=manager.id,
            )
            self.out.teams.append(team)
            self.out.people.append(manager)
            self.region_teams[region] = team
            self.kams_in[region] = []
            leads = [manager.id]
            if count > SQUAD_FROM:
                leads = []
                for _ in range(math.ceil(count / SQUAD)):
                    lead = person(Role.MANAGER, team_id, manager.id, [region])
                    self.out.people.append(lead)
                    leads.append(lead.id)
            for i in range(count):
                role = Role.KAM if rng.random() < 0.8 else Role.REP
                kam = person(role, team_id, leads[i % len(leads)], [region])
                self.out.people.append(kam)
                self.kams_in[region].append(kam)

    def _pillars(self) -> None:
        for number, (name, name_en, description) in enumerate(PILLARS, start=1):
            self.out.pillars.append(
                Pillar(
                    id=f"pil-{number:02d}",
                    name=name,
                    name_en=name_en,
                    description=description,
                    horizon=Horizon.LONG,
                    owner=self.director_id,
                )
            )

    # --- accounts -------------------------------------------------------------------------

    def _accounts(self) -> None:
        rng = self.rng
        regions = [r for r in REGIONS if r[0] in self.region_teams]
        region_w = [r[2] for r in regions]
        ind_w = [i.share for i in INDUSTRIES]
        quarters = _quarters(self.year - 3, self.spec.as_of)
        taken: set[str] = set()
        width = max(6, len(str(self.spec.accounts)))
        for number in range(1, self.spec.accounts + 1):
            region, _, _, cities = _pick(rng, regions, region_w)
            ind = _pick(rng, INDUSTRIES, ind_w)
            name, name_en = self._company_name(ind, cities, taken)
            owner = rng.choice(self.kams_in[region])
            history = self._history(ind, quarters)
            last_year = sum(v for k, v in history.items() if k.startswith(str(self.year - 1)))
            annual = max(last_year, ind.size * 0.2)
            acc_id = f"acc-{number:0{width}d}"
            self.revenue_last[acc_id] = last_year
            self.account_ids_of.setdefault(owner.id, []).append(acc_id)
            employees = int(rng.lognormvariate(math.log(1500), 1.1))
            self.out.accounts.append(
                Account(
                    id=acc_id,
                    name=name,
                    name_en=name_en,
                    industry=ind.name,
                    region=region,
                    owner=owner.id,
                    size="1000+" if employees >= 1000 else "100-999",
                    employees=employees,
                    annual_revenue=round(employees * rng.uniform(0.3, 2.5), 1),
                    purchase_history=history,
                    pipeline=self._pipeline(annual),
                    potential=round(annual * rng.uniform(0.3, 3.0), -3),
                    products_held=rng.sample(PRODUCTS, rng.randint(1, 4)),
                    needs=rng.sample(ind.needs, rng.randint(1, 2)),
                    pain_points=rng.sample(ind.pains, rng.randint(1, 2)),
                    relationship_notes=rng.choice(RELATIONSHIP_NOTES),
                    relationship_strength=rng.randint(1, 5),
                    strategic_fit=rng.randint(1, 5),
                    external_ids={"crm": f"CRM-{number:0{width}d}"},
                    tags=rng.sample(TAGS, rng.randint(0, 2)),
                    parent_company=None,
                )
            )
        self._tiers()

    def _company_name(
        self, ind: Industry, cities: list[tuple[str, str]], taken: set[str]
    ) -> tuple[str, str]:
        rng = self.rng
        for attempt in range(50):
            brand, brand_en = rng.choice(BRANDS)
            noun, noun_en = rng.choice(ind.nouns)
            city, city_en = rng.choice(cities) if rng.random() < 0.7 else ("", "")
            standalone = noun.endswith(("事务所", "学校"))
            form, form_en = ("", "") if standalone else rng.choice(FORMS)
            name = f"{city}{brand}{noun}{form}"
            if attempt >= 40:  # a very large workspace: number the branches
                name += f"（{rng.randint(2, 99)}号分公司）"
            if name in taken:
                continue
            taken.add(name)
            words = [w for w in (city_en, brand_en, noun_en) if w]
            english = " ".join(words) + (f" {form_en}" if form_en else "")
            if attempt >= 40:
                english += f" (Branch {name.rsplit('（', 1)[1][:-5]})"
            return name, english
        raise ValueError("could not find a new company name; the vocabulary is exhausted")

    def _history(self, ind: Industry, quarters: list[tuple[str, int, int]]) -> dict[str, float]:
        rng = self.rng
        base = rng.lognormvariate(math.log(ind.size), 1.0)
        growth = max(-0.5, min(1.0, rng.gauss(0.08, 0.18)))
        first = 0
        if rng.random() < 0.15:  # a newer account
            first = rng.randrange(len(quarters))
        last = len(quarters)
        if rng.random() < 0.05:  # churning
            last = rng.randint(first + 1, len(quarters))
        out: dict[str, float] = {}
        for index, (label, _, q) in enumerate(quarters):
            if index < first or index >= last or rng.random() < 0.06:
                continue
            years = index / 4
            amount = base * (1 + growth) ** years * ind.season[q - 1] * rng.lognormvariate(0, 0.25)
            out[label] = round(amount, -3)
        return out

    def _pipeline(self, annual: float) -> list[PipelineItem]:
        rng = self.rng
        items = []
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            close = self.spec.as_of + dt.timedelta(days=rng.randint(15, 270))
            items.append(
                PipelineItem(
                    stage=rng.choice(STAGES),
                    amount=round(annual * rng.uniform(0.05, 0.6), -3),
                    product=rng.choice(PRODUCTS),
                    expected_close=close,
                )
            )
        return items

    def _tiers(self) -> None:
        ranked = sorted(self.out.accounts, key=lambda a: (-self.revenue_last[a.id], a.id))
        count = len(ranked)
        review = dt.date(self.year, 1, 15)
        for rank, acc in enumerate(ranked, start=1):
            tier = 1 if rank <= max(1, count // 20) else 2 if rank <= count // 4 else 3
            previous = min(3, max(1, tier + self.rng.choice((-1, 0, 0, 0, 1))))
            acc.priority_rank = rank
            acc.tier = tier
            acc.tier_history = [
                TierChange(
                    date=review.replace(year=self.year - 1), tier=previous, reason="年度分级评审"
                ),
                TierChange(
                    date=review,
                    tier=tier,
                    previous=previous,
                    reason="Annual tier review" if tier == previous else "收入变化调整分级",
                ),
            ]

    def _territories(self) -> None:
        for person in self.out.people:
            ids = self.account_ids_of.get(person.id)
            if ids:
                person.territory = Territory(accounts=ids, regions=person.territory.regions)

    def _segments(self) -> None:
        self.out.segments.append(
            Segment(
                id="seg-01",
                name="战略大客户（一级）",
                name_en="Strategic accounts (tier 1)",
                description="一级客户：资源优先，季度高层拜访。",
                rule=SegmentRule(tiers=[1]),
                needs=["专属服务团队", "高层对话"],
                pain_points=["响应速度"],
                priority=1,
            )
        )
        for number, ind in enumerate(INDUSTRIES, start=2):
            self.out.segments.append(
                Segment(
                    id=f"seg-{number:02d}",
                    name=f"{ind.name}行业客户",
                    name_en=f"{ind.name_en} accounts",
                    description=f"{ind.name}行业的大客户，按行业方案经营。",
                    rule=SegmentRule(industries=[ind.name]),
                    needs=ind.needs[:2],
                    pain_points=ind.pains[:2],
                    priority=2 if ind.share >= 0.12 else 3,
                )
            )

    # --- goals ----------------------------------------------------------------------------

    def _scopes(self) -> tuple[list[_Scope], list[_Scope], list[_Scope], list[_Scope]]:
        total = sum(self.revenue_last.values())
        dept = _Scope(
            ScopeKind.TEAM,
            "team-hq",
            "大客户部",
            "the KA department",
            total,
            self.director_id,
            len(self.out.accounts),
        )
        by_region: dict[str, float] = {}
        count_region: dict[str, int] = {}
        by_industry: dict[str, float] = {}
        count_industry: dict[str, int] = {}
        for acc in self.out.accounts:
            by_region[acc.region] = by_region.get(acc.region, 0) + self.revenue_last[acc.id]
            count_region[acc.region] = count_region.get(acc.region, 0) + 1
            by_industry[acc.industry] = by_industry.get(acc.industry, 0) + self.revenue_last[acc.id]
            count_industry[acc.industry] = count_industry.get(acc.industry, 0) + 1
        teams = [
            _Scope(
                ScopeKind.TEAM,
                team.id,
                team.name,
                team.name_en or team.name,
                by_region.get(region, 0.0),
                team.lead,
                count_region.get(region, 0),
            )
            for region, team in self.region_teams.items()
        ]
        segments = []
        for seg in self.out.segments[1:]:
            industry = seg.rule.industries[0] if seg.rule and seg.rule.industries else ""
            segments.append(
                _Scope(
                    ScopeKind.SEGMENT,
                    seg.id,
                    seg.name,
                    seg.name_en or seg.name,
                    by_industry.get(industry, 0.0),
                    self.director_id,
                    count_industry.get(industry, 0),
                )
            )
        people = []
        for person in self.out.people:
            ids = self.account_ids_of.get(person.id, [])
            if ids:
                people.append(
                    _Scope(
                        ScopeKind.PERSON,
                        person.id,
                        person.name,
                        person.name_en or person.name,
                        sum(self.revenue_last[i] for i in ids),
                        person.id,
                        len(ids),
                    )
                )
        accounts = sorted(self.out.accounts, key=lambda a: a.priority_rank or 0)
        top = [
            _Scope(
                ScopeKind.ACCOUNT,
                a.id,
                a.name,
                a.name_en or a.name,
                self.revenue_last[a.id],
                a.owner,
                1,
            )
            for a in accounts[: max(1, len(accounts) // 5)]
        ]
        return [dept], teams + segments, people, top

    def _goals(self) -> None:
        total = self.spec.goals
        if total == 0:
            return
        n_long = min(total, max(1, round(total * 0.01)))
        n_mid = min(total - n_long, max(1, round(total * 0.05)))
        rest = total - n_long - n_mid
        n_annual = math.ceil(rest / 5)
        n_quarter = rest - n_annual
        dept, mids, people, top = self._scopes()
        rng = self.rng
        y = self.year
        number = 0

        def next_id(label: str) -> str:
            nonlocal number
            number += 1
            return f"goal-{label}-{number:05d}"

        longs: list[tuple[Goal, _Scope]] = []
        for i in range(n_long):
            gtype = (GoalType.REVENUE, GoalType.MARKET_SHARE, GoalType.NEW_ACCOUNTS)[i % 3]
            longs.append(
                self._goal(
                    next_id("long"),
                    gtype,
                    Horizon.LONG,
                    dept[0],
                    dt.date(y, 1, 1),
                    dt.date(y + 4, 12, 31),
                    None,
                    growth=0.6,
                )
            )
        mid_types = [
            GoalType.REVENUE,
            GoalType.CROSS_SELL,
            GoalType.RETENTION,
            GoalType.NEW_PRODUCT,
            GoalType.MARKET_SHARE,
        ]
        midgoals: list[tuple[Goal, _Scope]] = []
        for i in range(n_mid):
            scope = mids[i % len(mids)] if mids else dept[0]
            parent = longs[i % len(longs)][0]
            midgoals.append(
                self._goal(
                    next_id("mid"),
                    mid_types[i % len(mid_types)],
                    Horizon.MID,
                    scope,
                    dt.date(y, 1, 1),
                    dt.date(y + 2, 12, 31),
                    parent,
                    growth=0.3,
                )
            )
        annual_types = [GoalType.REVENUE] * 5 + [
            GoalType.NEW_ACCOUNTS,
            GoalType.CROSS_SELL,
            GoalType.SATISFACTION,
            GoalType.RETENTION,
            GoalType.SALES_CYCLE,
            GoalType.NEW_PRODUCT,
        ]
        annuals: list[tuple[Goal, _Scope]] = []
        for i in range(n_annual):
            pool = people if (rng.random() < 0.6 or not top) and people else top or dept
            scope = pool[i % len(pool)] if pool is people else rng.choice(pool)
            parent = (midgoals or longs)[i % len(midgoals or longs)][0]
            annuals.append(
                self._goal(
                    next_id("fy"),
                    rng.choice(annual_types),
                    Horizon.SHORT,
                    scope,
                    dt.date(y, 1, 1),
                    dt.date(y, 12, 31),
                    parent,
                    growth=0.1,
                )
            )
        for j in range(n_quarter):
            parent, scope = annuals[(j // 4) % len(annuals)]
            q = j % 4 + 1
            start, end = dt.date(y, 3 * q - 2, 1), month_end(y, 3 * q)
            self._goal(
                next_id("q"),
                parent.type,
                Horizon.SHORT,
                scope,
                start,
                end,
                parent,
                growth=0.1,
                share=0.25,
            )

    def _goal(
        self,
        goal_id: str,
        gtype: GoalType,
        horizon: Horizon,
        scope: _Scope,
        start: dt.date,
        deadline: dt.date,
        parent: Goal | None,
        *,
        growth: float,
        share: float = 1.0,
    ) -> tuple[Goal, _Scope]:
        rng = self.rng
        years = max(1.0, (deadline - start).days / 365)
        metric: Metric | None = self._metric(
            gtype, scope, growth * rng.uniform(0.6, 1.4), share, years
        )
        lang = _pick(rng, ("zh", "en", "mixed"), (0.6, 0.25, 0.15))
        vague = horizon is Horizon.SHORT and rng.random() < 0.05
        assert metric is not None
        statement = self._statement(gtype, scope, metric, deadline, lang, vague)
        if vague:
            metric = None
        status = GoalStatus.ACTIVE
        if deadline < self.spec.as_of:
            status = GoalStatus.ACHIEVED if rng.random() < 0.6 else GoalStatus.MISSED
        elif rng.random() < 0.02:
            status = GoalStatus.DRAFT
        elif rng.random() < 0.01:
            status = GoalStatus.CANCELLED
        pillar = parent.pillar if parent is not None and rng.random() < 0.8 else None
        if pillar is None:
            pillar = f"pil-{_PILLAR_OF[gtype]:02d}"
        incentive = None
        if scope.kind is ScopeKind.PERSON and horizon is Horizon.SHORT and share == 1.0:
            base = float(rng.choice((20_000, 30_000, 50_000)))
            incentive = Incentive(
                kind=IncentiveKind.BONUS,
                description="年度目标奖金",
                currency="CNY",
                base_award=base,
                stretch_award=base * 1.5,
                challenge_award=base * 2,
            )
        cadence = {Horizon.LONG: Cadence.YEARLY, Horizon.MID: Cadence.QUARTERLY}.get(
            horizon,
            Cadence.MONTHLY if share < 1 else rng.choice((Cadence.MONTHLY, Cadence.QUARTERLY)),
        )
        goal = Goal(
            id=goal_id,
            statement=statement,
            type=gtype,
            horizon=horizon,
            scope=scope.kind,
            scope_ref=scope.ref,
            owner=scope.owner,
            metric=metric,
            start=start,
            deadline=None if vague and rng.random() < 0.5 else deadline,
            parent=parent.id if parent is not None else None,
            pillar=pillar,
            rationale="" if vague else rng.choice(RATIONALES),
            assumptions=[] if vague else rng.sample(ASSUMPTIONS, rng.randint(1, 2)),
            resources=rng.sample(RESOURCES, rng.randint(0, 2)),
            support=rng.sample(SUPPORT, rng.randint(0, 1)),
            incentive=incentive,
            review_cadence=cadence,
            status=status,
        )
        self.out.goals.append(goal)
        return goal, scope

    def _metric(
        self, gtype: GoalType, scope: _Scope, growth: float, share: float, years: float
    ) -> Metric:
        rng = self.rng
        if gtype in (GoalType.REVENUE, GoalType.NEW_PRODUCT):
            base = max(scope.revenue, 200_000.0) * share  # a year's (or a quarter's) worth
            if gtype is GoalType.NEW_PRODUCT:
                base *= 0.05
            target = round(base * (1 + growth), -4)
            return Metric(
                name="收入" if gtype is GoalType.REVENUE else "新产品收入",
                unit="CNY",
                currency="CNY",
                baseline=round(base, -4),
                target=target,
                stretch=round(target * 1.1, -4),
                challenge=round(target * 1.2, -4),
            )
        if gtype is GoalType.NEW_ACCOUNTS:
            target = float(max(1, round(scope.accounts * rng.uniform(0.02, 0.08) * share * years)))
            return Metric(
                name="新签大客户数",
                unit="accounts",
                baseline=0.0,
                target=target,
                stretch=math.ceil(target * 1.25),
                challenge=math.ceil(target * 1.5),
            )
        if gtype is GoalType.SALES_CYCLE:
            base = float(rng.randint(90, 180))
            return Metric(
                name="平均销售周期",
                unit="days",
                direction=Direction.DECREASE,
                baseline=base,
                target=round(base * 0.85),
                stretch=round(base * 0.8),
                challenge=round(base * 0.75),
            )
        if gtype is GoalType.CROSS_SELL:
            base = round(rng.uniform(1.3, 2.6), 1)
            return Metric(
                name="每客户产品线数",
                unit="products",
                baseline=base,
                target=base + 0.5,
                stretch=base + 0.8,
                challenge=base + 1.0,
            )
        if gtype is GoalType.SATISFACTION:
            base = float(rng.randint(68, 85))
            return Metric(
                name="客户满意度 (CSAT)",
                unit="score",
                baseline=base,
                target=base + 5,
                stretch=base + 8,
                challenge=min(100.0, base + 10),
            )
        if gtype is GoalType.RETENTION:
            base = float(rng.randint(80, 92))
            return Metric(
                name="续约率",
                unit="%",
                baseline=base,
                target=base + 3,
                stretch=base + 4,
                challenge=min(100.0, base + 6),
            )
        base = round(rng.uniform(4, 25), 1)  # market share
        return Metric(
            name="市场份额",
            unit="%",
            baseline=base,
            target=base + 2,
            stretch=base + 3,
            challenge=base + 5,
        )

    def _statement(
        self,
        gtype: GoalType,
        scope: _Scope,
        metric: Metric,
        deadline: dt.date,
        lang: str,
        vague: bool,
    ) -> str:
        if vague:
            return self.rng.choice(_VAGUE.get(gtype, _VAGUE[GoalType.CUSTOM]))
        money = metric.unit == "CNY"
        b, tgt = metric.baseline or 0.0, metric.target or 0.0

        def num(value: float, zh: bool) -> str:
            if money:
                return _money_zh(value) if zh else _money_en(value)
            return f"{value:g}{'%' if metric.unit == '%' else ''}"

        units_zh = {"accounts": "家", "days": "天", "products": "条", "score": "分"}
        units_en = {
            "accounts": " accounts",
            "days": " days",
            "products": " product lines",
            "score": " points",
        }
        uz, ue = units_zh.get(metric.unit, ""), units_en.get(metric.unit, "")
        zh = (
            f"{deadline.year}年{deadline.month}月{deadline.day}日前，{scope.name}的{metric.name}"
            f"从{num(b, True)}{uz}{'降至' if metric.direction is Direction.DECREASE else '提升至'}"
            f"{num(tgt, True)}{uz}（挑战目标{num(metric.challenge or tgt, True)}{uz}）"
        )
        verb = "Cut" if metric.direction is Direction.DECREASE else "Raise"
        en = (
            f"{verb} {_EN_METRIC[gtype]} for {scope.name_en} from {num(b, False)}{ue} to "
            f"{num(tgt, False)}{ue} by {deadline:%d %b %Y} "
            f"(stretch {num(metric.stretch or tgt, False)}{ue})"
        )
        if lang == "zh":
            return zh
        if lang == "en":
            return en
        return f"{scope.name}：{_EN_METRIC[gtype]} {num(tgt, False)}{ue} by {deadline:%Y-%m-%d}"

    # --- check-ins ------------------------------------------------------------------------

    def _checkins(self) -> None:
        total = self.spec.checkins
        if total == 0:
            return
        as_of = self.spec.as_of
        eligible = (
            [
                g
                for g in self.out.goals
                if g.metric is not None
                and g.start is not None
                and g.start <= as_of
                and g.status not in (GoalStatus.DRAFT, GoalStatus.CANCELLED)
            ]
            or [g for g in self.out.goals if g.metric is not None]
            or self.out.goals
        )
        weights = [self._weight(g) for g in eligible]
        whole = sum(weights)
        counts = [int(total * w / whole) for w in weights]
        for index in self.rng.choices(range(len(eligible)), weights=weights, k=total - sum(counts)):
            counts[index] += 1
        for goal, count in zip(eligible, counts, strict=True):
            self._goal_checkins(goal, count)

    def _weight(self, goal: Goal) -> float:
        start = goal.start or self.spec.as_of
        end = min(goal.deadline or self.spec.as_of, self.spec.as_of)
        months = max(1.0, (end - start).days / 30)
        return months * (2.0 if goal.horizon is Horizon.SHORT else 1.0)

    def _goal_checkins(self, goal: Goal, count: int) -> None:
        rng = self.rng
        width = max(6, len(str(self.spec.checkins)))
        metric = goal.metric
        start = goal.start or self.spec.as_of
        end = max(start, min(goal.deadline or self.spec.as_of, self.spec.as_of))
        span = max(1, (end - start).days)
        duration = max(1, ((goal.deadline or end) - start).days)
        pace = max(0.3, rng.gauss(1.0, 0.25))  # below ~0.85 the goal is at risk
        cumulative = metric is not None and metric.unit in ("CNY", "accounts")
        for i in range(count):
            day = start + dt.timedelta(days=min(span, round(span * (i + 1) / count)))
            frac = (day - start).days / duration
            actual = 0.0
            if metric is not None and metric.target is not None:
                base = metric.baseline or 0.0
                if cumulative:
                    actual = metric.target * frac * pace * rng.lognormvariate(0, 0.08)
                else:
                    actual = base + (metric.target - base) * frac * pace + rng.gauss(0, 0.3)
                actual = max(0.0, round(actual, 2 if metric.unit != "CNY" else -3))
            confidence = min(0.98, max(0.05, 0.7 + (pace - 1.0) * 0.8 + rng.gauss(0, 0.05)))
            actions = []
            if pace < 0.85 and rng.random() < 0.4:
                actions.append(
                    Action(
                        text=rng.choice(ACTION_TEXTS),
                        owner=goal.owner,
                        due=day + dt.timedelta(days=rng.randint(7, 30)),
                    )
                )
            self.out.checkins.append(
                CheckIn(
                    id=f"ci-{len(self.out.checkins) + 1:0{width}d}",
                    goal=goal.id,
                    date=day,
                    actual=actual,
                    confidence=round(confidence, 2),
                    progress=rng.choice(PROGRESS),
                    plans=rng.choice(PLANS),
                    problems=rng.choice(PROBLEMS) if pace < 1.0 else "",
                    actions=actions,
                )
            )


_PILLAR_OF: dict[GoalType, int] = {
    GoalType.REVENUE: 1,
    GoalType.MARKET_SHARE: 2,
    GoalType.NEW_PRODUCT: 2,
    GoalType.CROSS_SELL: 3,
    GoalType.RETENTION: 3,
    GoalType.NEW_ACCOUNTS: 4,
    GoalType.SATISFACTION: 5,
    GoalType.SALES_CYCLE: 5,
    GoalType.CUSTOM: 1,
}

_EN_METRIC: dict[GoalType, str] = {
    GoalType.REVENUE: "revenue",
    GoalType.NEW_PRODUCT: "new-product revenue",
    GoalType.NEW_ACCOUNTS: "new key accounts",
    GoalType.SALES_CYCLE: "the average sales cycle",
    GoalType.CROSS_SELL: "product lines per account",
    GoalType.SATISFACTION: "CSAT",
    GoalType.RETENTION: "the renewal rate",
    GoalType.MARKET_SHARE: "market share",
    GoalType.CUSTOM: "the metric",
}

_VAGUE: dict[GoalType, list[str]] = {
    GoalType.REVENUE: ["今年收入要有明显增长", "Grow the business with key accounts"],
    GoalType.NEW_PRODUCT: ["推广新产品", "Push the new product line"],
    GoalType.NEW_ACCOUNTS: ["尽量多签一些新客户", "Win more new logos"],
    GoalType.SATISFACTION: ["提升客户满意度", "Make customers happier"],
    GoalType.RETENTION: ["留住老客户", "Keep our key accounts"],
    GoalType.CROSS_SELL: ["加强交叉销售", "Improve cross-selling where possible"],
    GoalType.SALES_CYCLE: ["加快成交速度", "Close deals faster"],
    GoalType.MARKET_SHARE: ["扩大市场份额", "Gain market share"],
    GoalType.CUSTOM: ["加强与重点客户的关系", "Strengthen key-account relationships"],
}
"""Deliberately weak statements (no number, no deadline) for the SMART lint to find."""
