"""Word lists of the SMART linter, each compiled when first used (see :mod:`.patterns`).

Chinese terms match as substrings of the normalised (Simplified, half-width) text, with context
guards where a substring also occurs in harmless words; Latin terms match on word boundaries,
case-insensitively.
"""

from __future__ import annotations

import re
import sys

from kaplan_tui.core.lint.patterns import LazyPattern

_I = re.IGNORECASE
_WB = r"(?<![A-Za-z0-9])"
_WE = r"(?![A-Za-z0-9])"


def _en(words: str) -> str:
    return rf"{_WB}(?:{words}){_WE}"


_HAN = LazyPattern("[\u4e00-\u9fff]")
_LATIN = LazyPattern("[A-Za-z]")

_last_scripts: tuple[str, bool, bool] = ("", False, False)


def _scripts(text: str) -> tuple[str, bool, bool]:
    """``(text, has Han, has Latin)``, kept for the last text: one lint asks it of the same text
    some twenty times, once per bilingual pattern."""
    global _last_scripts
    held = _last_scripts
    if held[0] is not text:
        held = _last_scripts = (text, bool(_HAN.search(text)), bool(_LATIN.search(text)))
    return held


class Bilingual:
    """A pattern kept as a Chinese half and an English half, each run only on text that has
    Han characters or Latin letters: one large alternation scanned over every position of a
    goal costs several times more than two smaller ones that are usually skipped."""

    __slots__ = ("en", "pattern", "zh")

    def __init__(self, source: str, flags: int = 0) -> None:
        cut = source.find("|" + _WB + "(?:")
        if cut <= 0:
            raise ValueError("a Bilingual pattern is 'Chinese|' + _en(English)")
        self.pattern = source
        # Han has no case: compiling the Chinese half without IGNORECASE spares the case-folding
        # of every character of ranges such as [\u4e00-\u9fff], which dominated import time.
        self.zh = LazyPattern(source[:cut], flags & ~re.IGNORECASE)
        self.en = LazyPattern(source[cut + 1 :], flags)

    def finditer(self, text: str) -> list[re.Match[str]]:
        """Matches of both halves, in text order."""
        _, han, latin = _scripts(text)
        out = list(self.zh.finditer(text)) if han else []
        if latin:
            en = list(self.en.finditer(text))
            if out and en:
                out += en
                out.sort(key=lambda m: (m.start(), -m.end()))
            elif en:
                out = en
        return out

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """The first match of either half."""
        found = [m for m in (self.zh.search(text, pos, endpos), self.en.search(text, pos, endpos))
                 if m is not None]  # fmt: skip
        return min(found, key=lambda m: m.start()) if found else None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        """A match of either half over the whole text."""
        return self.zh.fullmatch(text) or self.en.fullmatch(text)


# --- the object of a goal ------------------------------------------------------------------

COHORT = Bilingual(
    r"(?:重点|优质|战略|核心|关键|主要|头部|高价值|高端|重要|目标|潜在|意向|优秀|标杆|VIP|大)(?:的)?"
    r"(?:客户|用户|企业客户|账户|客群)"
    r"|老客户|存量客户|现有客户|所有客户|全部客户|广大客户|我们的客户"
    + "|"
    + _en(
        r"(?:our\s+|the\s+)?(?:key|strategic|top|major|big|bigger|biggest|large|largest|important"
        r"|core|priority|premium|high[- ]value|vip|target|best|most\s+valuable|existing|main)"
        r"\s+(?:accounts?|customers?|clients?)"
        r"|our\s+(?:accounts|customers|clients|customer\s+base|install(?:ed)?\s+base)"
        r"|(?:all|existing)\s+(?:customers|clients)"
    ),
    _I,
)
"""Undefined cohorts: they name no region, tier, vertical, size band or list."""

_ZH_REGIONS = (
    "华东|华南|华北|华中|华西|西南|西北|东北|东南|中南|大湾区|粤港澳|长三角|珠三角|京津冀|成渝|港澳台|港澳|海外"
    "|北区|南区|东区|西区|中区|北方区|南方区|北京|上海|天津|重庆|广东|广州|深圳|浙江|杭州|江苏|南京|苏州|山东"
    "|济南|青岛|福建|厦门|福州|四川|成都|湖北|武汉|湖南|长沙|河南|郑州|河北|石家庄|陕西|西安|山西|太原|安徽"
    "|合肥|江西|南昌|云南|昆明|贵州|贵阳|广西|南宁|海南|海口|辽宁|沈阳|大连|吉林|长春|黑龙江|哈尔滨|内蒙古"
    "|新疆|西藏|宁夏|青海|甘肃|兰州|台湾|台北|台中|台南|高雄|新北|桃园|香港|澳门|东莞|佛山|无锡|宁波|温州"
    "|珠海|中山|惠州|泉州|常州|南通|烟台|潍坊|徐州|绍兴|嘉兴|金华|台州|昆山|新加坡|东南亚|日本|韩国|欧洲|北美"
    "|美国|中东|拉美|非洲|澳洲|印度"
)
_ZH_VERTICALS = (
    "医疗|医院|卫生|金融|银行|保险|证券|基金|制造|工业|零售|连锁|教育|高校|学校|政府|政务|公共|国企|央企|能源"
    "|电力|石油|石化|化工|汽车|快消|消费品|互联网|电信|运营商|物流|地产|房地产|家居|建材|农牧|农资|医药|制药"
    "|军工|交通|航空|酒店|餐饮|专业服务|ICT|SaaS|软件|半导体|电子|新能源|光伏|钢铁|水务|传媒|文旅|大健康"
    "|(?!成为|作为|所有|各个|整个|全部|我们|本地|同行|全国|每个)[\u4e00-\u9fff]{2}行业"
)
_ZH_TIERS = r"[A-Da-d]类|[A-Da-d]级|[一二三四1-4]级|S?KA|T[1-3]|[一二三1-3]类|铂金|黄金|白银|钻石"
_ZH_SIZES = r"大型|中型|中小型?|小微|中大型|规上|世界500强|中国500强|500强|上市公司|跨国"
_EN_REGIONS = (
    r"APAC|EMEA|AMER|AMERICAS|LATAM|ASEAN|DACH|GCR|Nordics?|Benelux|Iberia|Midwest|Northeast"
    r"|Southeast|Southwest|Northwest|West\s+Coast|East\s+Coast|North\s+America|South\s+America"
    r"|Latin\s+America|Europe|Asia|Africa|Middle\s+East|Greater\s+China|China|Japan|Korea|India"
    r"|Australia|Singapore|Germany|France|Italy|Spain|Canada|Brazil|Mexico|Texas|California"
    r"|New\s+York|(?-i:NA|NAM|US|USA|UK|SEA|ANZ|MEA|CEE)"
    r"|(?-i:[A-Z][A-Za-z]+)\s+(?:region|territory|market|cluster|district)"
)
_EN_OTHER_QUALIFIERS = (
    r"federal|state\s+and\s+local|SLED|public\s+sector|healthcare|health\s*care|hospitals?"
    r"|financial\s+services|banking|banks|insurance|FSI|manufacturing|retail|education|higher\s+ed"
    r"|universit(?:y|ies)|government|energy|utilities|automotive|CPG|FMCG|telecoms?|telco|logistics"
    r"|pharma|life\s+sciences|hospitality|real\s+estate|agriculture|mid[- ]?market|SMBs?|SMEs?"
    r"|enterprise|large\s+enterprise|Fortune\s*\d+|Global\s*\d+|tier[- ]?(?:[1-3]|one|two|three)"
    r"|(?-i:T[1-3])|platinum|gold|silver"
)
REGION = Bilingual(rf"(?:{_ZH_REGIONS})(?:区|地区|大区|区域|片区)?|{_WB}(?:{_EN_REGIONS}){_WE}", _I)
"""A sales region or territory name (华东区, APAC, the Nordic region)."""
QUALIFIER = Bilingual(
    rf"(?:{_ZH_REGIONS})(?:区|地区|大区|区域|片区)?|(?:{_ZH_VERTICALS})|(?:{_ZH_TIERS})(?:客户|企业)?"
    rf"|(?:{_ZH_SIZES})(?:企业|客户|公司)?|{_WB}(?:{_EN_REGIONS}|{_EN_OTHER_QUALIFIERS}){_WE}",
    _I,
)
"""A concrete qualifier of a segment: region, vertical, tier or size band."""

TOP_N = LazyPattern(
    r"前\s*(?P<n>\d+|[一二两三四五六七八九十百]+)\s*(?:大|名|位|强|家)?"
    rf"|{_WB}top\s*[- ]?\s*(?P<n2>\d+){_WE}|(?P<n3>\d+)\s*强"
    rf"|{_WB}(?:largest|biggest)\s+(?P<n4>\d+){_WE}|{_WB}(?P<n5>\d+)\s+(?:largest|biggest){_WE}"
    r"|排名前\s*(?P<n6>\d+)",
    _I,
)
"""Top-N cohorts (前10大客户, top-20 accounts): a qualifier whose number is not a target."""

ORG_ZH = LazyPattern(
    r"(?:[A-Za-z][A-Za-z0-9&.\-]*|[\u4e00-\u9fff]{2,8}?)"
    r"(?:集团|公司|银行|医院|大学|学院|学校|股份|控股|科技|电子|汽车|证券|保险|电信|移动|联通|研究院"
    r"|研究所|实验室|委员会|药业|制药|能源|电力|石化|地产|置业|物流|航空|铁路|酒店|商场|超市|卫健委"
    r"|人民医院|中心医院|总院|分公司|事业部)"
)
"""A Chinese organisation name by its suffix (XX医院, ACME集团, 招商银行)."""

ZH_LEADING_FUNCTION = "将把与和对为在向跟同从让给及的帮助于使"
ZH_LEADING_VERB = LazyPattern(
    r"^(?:实现|提升|提高|增加|完成|拜访|签署|签订|续签|推动|拓展|开拓|服务|覆盖|争取|确保|保持|帮助|协助|支持"
    r"|拿下|赢得|新增|开发|进入|打入|深耕|扩大|做到|达成|获得|取得|推进|落地|中标|加强|巩固)+"
)
ZH_PARTNER = LazyPattern(
    r"(?:与|和|同|跟|向|给)(?P<name>[\u4e00-\u9fffA-Za-z0-9]{2,8}?)"
    r"(?:签署|签订|签约|续签|达成|完成|合作|开展|举办|召开|共建|联合|建立|提交|交付|续约)"
)
"""``与台积电签署``: a partner named between 与 and a deliverable verb."""

ASCII_WORD = LazyPattern(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9&'.\-]*(?:\s+[A-Z][A-Za-z0-9&'.\-]*)*")
CAPITAL_RUN = LazyPattern(r"(?<![A-Za-z0-9])[A-Z][A-Za-z0-9&'.\-]*(?:\s+[A-Z][A-Za-z0-9&'.\-]*)*")
"""Runs of capitalised words in English text (``Stark Industries``, ``Acme Bank``)."""
"""Latin words (a run of capitalised words stays together: ``ACME Corp``, ``Wayne Enterprises``)."""

ZH_POSSESSIVE = LazyPattern(
    r"(?:把|将|对|与|和|同|跟|为|向|帮助?)(?P<name>[\u4e00-\u9fffA-Za-z0-9]{2,10}?)(?:的|之)"
)
"""``把华为的销售额``: a name before 的 after a verb-like preposition."""

NOT_A_NAME = LazyPattern(
    r"客户|用户|我|你|他|她|它|团队|部门|公司|大家|自己|其|这|那|所有|全部|各|本|该|每|市场|行业|产品|业务|销售"
    r"|项目|渠道|合作|关系|目标|份额|收入|规模|结构|数量|比例|占比|整体|内部|员工|区域|地区|全年|今年|明年"
)

_STOP_WORDS = """
i we our us you your they their it its he she the a an and or but by in on at for with from
to of as into onto via per than then this that these those next last each every all any some
more most less few several many much new existing current key top major big biggest largest
strategic important core priority q1 q2 q3 q4 h1 h2 fy ytd qtd kpi kpis okr okrs nps csat
ces arr mrr acv tcv nrr grr arpu arpa qbr qbrs ebr ebrs crm erp hr ka ska vip smb smbs sme
smes apac emea amer latam dach anz sea mea cee gcr nordic nordics benelux midwest ceo cfo
cio cto coo vp svp evp poc pocs msa msas sow sows po pos rfp rfps saas paas iaas roi b2b b2c
pp pct usd cny rmb eur twd hkd gbp jpy ai ml gmv sku skus asp dso ict cpg fmcg uk usa eu na
asap eoy eoq eom tier january february march april may june july august september october
november december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday
thursday friday saturday sunday grow increase raise lift boost expand improve reduce cut
lower decrease double triple sign close renew deliver submit run hold host win secure land
complete launch deploy achieve reach hit get make drive build maintain keep ensure have be
do work focus strengthen enhance maximize maximise minimize minimise try aim hope plan help
support engage develop revenue sales bookings pipeline quota churn retention renewal
renewals margin share wallet accounts account customers customer clients client logos deals
deal seats users meetings visits enterprise enterprises mid market segment region territory
vertical public sector healthcare through across within before after until during over under
above below about around yoy qoq mom cagr sdr sdrs bdr bdrs ae aes csm csms cios cmo cmos
"""
STOP_CAPS = frozenset(_STOP_WORDS.split())
"""Lower-cased words that a capital letter does not turn into a name."""

# --- outcomes ------------------------------------------------------------------------------

METRIC = Bilingual(
    r"销售额|销售收入|销售业绩|销量|销售量|营收|营业收入|营业额|收入|业绩|回款额|回款率|回款周期|回款|账期"
    r"|应收账款|应收|续约率|续费率|续签率|留存率|流失率|客户数量|客户数|门店数|钱包份额|市场份额|份额|占有率"
    r"|渗透率|占比|采购额|采购量|采购金额|订单额|订单量|订单金额|订单数|合同额|合同金额|签约额|签约金额|成交额"
    r"|成交量|交易额|毛利率|毛利|利润率|净利润|利润|满意度|净推荐值|复购率|转化率|赢单率|成交率|中标率|商机"
    r"|覆盖率|客单价|增长率|增速|出货量|装机量|用户数|席位数|席位|活跃率|使用率|交叉销售|增购额|新签|产值"
    r"|库存周转|周转天数|单价|均价|签单|贡献度|续约|点击率|响应时间|交付周期|投诉率|退货率|逾期率|处理时长|时长|时效|天数"
    # Any 'X率' is a rate someone measures (铺货率, 中标率, 动销率).
    r"|[\u4e00-\u9fff]{1,3}率"
    + "|"
    + _en(
        r"revenues?|sales|bookings|billings|ARR|MRR|ACV|TCV|ARPU|ARPA|NRR|GRR|net\s+(?:revenue\s+)?retention"
        r"|gross\s+retention|NPS|CSAT|CES|churn(?:\s+rate)?|retention(?:\s+rate)?|renewal\s+rate"
        r"|renewals?|win\s+rate|conversion(?:\s+rate)?|pipeline|quota|attainment|(?:gross\s+)?margins?"
        r"|profits?|wallet\s+share|share\s+of\s+wallet|market\s+share|penetration|seats?|seat\s+count"
        r"|users|licen[cs]es|deal\s+size|sales\s+cycle|cycle\s+time|DSO|days\s+sales\s+outstanding"
        r"|collections?|order\s+value|orders|volume|upsell|cross-sell(?:ing)?|logos|GMV|spend|contract\s+value"
        r"|utili[sz]ation|adoption|usage|coverage|net\s+new|new\s+business|satisfaction|response\s+time"
        r"|lead\s+time|ASP|average\s+selling\s+price|gross\s+profit|EBITDA|share|headcount"
        r"|customer\s+count|account\s+count|deals\s+closed|closed[- ]won|(?:on-time\s+)?payments?"
        r"|uptime|SLA|availability|win[- ]?backs?|referrals|cross-sell\s+ratio|attach\s+rate"
    ),
    _I,
)
"""Outcome metrics."""

DELIVERABLE = Bilingual(
    r"(?P<zv>签署|签订|签约|签下|续签|完成|交付|提交|上线|部署|中标|落地|拿下|赢得|达成|敲定|获得|取得|启动|举办"
    r"|召开|推出|发布|实施|验收|拜访|走访|新增|开拓|开发|引入|发展)"
    r"|"
    + _en(
        r"(?P<ev>sign(?:ed)?|close[ds]?|renew(?:ed)?|deliver(?:ed)?|submit(?:ted)?|launch(?:ed)?"
        r"|deploy(?:ed)?|win|won|secure[ds]?|land(?:ed)?|complete[ds]?|execute[ds]?|finali[sz]e[ds]?"
        r"|implement(?:ed)?|roll(?:ed)?\s+out|go\s+live|award(?:ed)?|book(?:ed)?|onboard(?:ed)?"
        r"|present(?:ed)?|run|hold|host|conduct|visit|meet|add|acquire|open)"
    ),
    _I,
)
"""Verbs of concrete deliverables and activities."""

DELIVERABLE_NOUN = Bilingual(
    r"协议|合同|框架|合约|订单|方案|标书|报告|项目|试点|POC|续约|招标|MSA|SOW|备忘录|意向书|LOI|上线|客户|家|QBR"
    r"|EBR|业务回顾|会议|培训|演示|交流会|研讨会|路演"
    + "|"
    + _en(
        r"contracts?|agreements?|MSAs?|SOWs?|POs?|purchase\s+orders?|deals?|renewals?|pilots?|POCs?"
        r"|proof\s+of\s+concept|proposals?|RFPs?|tenders?|bids?|LOIs?|term\s+sheets?|orders?"
        r"|expansions?|upsells?|implementations?|rollouts?|go-live|QBRs?|EBRs?|(?:executive\s+)?business"
        r"\s+reviews?|workshops?|roadmaps?|account\s+plans?|success\s+plans?|logos?|accounts?|customers?"
        r"|clients?|meetings?|visits?|demos?|partners?|distributors?|resellers?"
    ),
    _I,
)

BINARY_NOUN = Bilingual(
    r"协议|合同|合约|订单|方案|标书|试点|POC|MSA|SOW|备忘录|意向书|LOI|招标|中标|上线"
    + "|"
    + _en(
        r"contract|agreement|MSA|SOW|PO|purchase\s+order|deal|renewal|pilot|POC|proof\s+of\s+concept"
        r"|proposal|RFP|tender|bid|LOI|term\s+sheet|partnership|go-live|rollout|implementation"
        r"|account\s+plan|success\s+plan|roadmap"
    ),
    _I,
)
"""Deliverables that are done or not (a signed agreement), so they are measurable by themselves."""

ACTIVITY = Bilingual(
    r"(?P<visit>拜访|走访|上门|实地|面访)|(?P<meet>会面|会议|面谈|交流|QBR|EBR|季度业务回顾|业务回顾|高层会晤"
    r"|演示|培训|研讨会|路演|沙龙|提交方案|workshop)"
    + "|"
    + _en(
        r"(?P<visit2>visits?|visit|on-?site)|(?P<meet2>meetings?|meet|QBRs?|EBRs?|business\s+reviews?"
        r"|demos?|workshops?|calls?|presentations?|trainings?|sessions?|briefings?|roundtables?"
        r"|webinars?|seminars?|events?|conferences?|site\s+visits?)"
    ),
    _I,
)
"""Activities whose number a team's capacity limits."""

# --- vague wording -------------------------------------------------------------------------

VAGUE_VERB = Bilingual(
    r"加强|搞好|做好|抓好|优化|推动|推进|深耕|做大做强|跟进|维护|维系|巩固|深化|改善|夯实|完善|强化|促进|助力"
    r"|赋能|聚焦|布局|发力|盘活|对接|关注|重视|打造|落实|服务好|经营好|拉近|加深"
    + "|"
    + _en(
        r"strengthen|enhance|work\s+on|focus\s+on|leverage|deepen|foster|nurture|cultivate"
        r"|optimi[sz]e|follow\s+up(?:\s+(?:with|on))?|reach\s+out\s+to|touch\s+base\s+with|engage"
        r"(?:\s+with)?|explore|look\s+into|prioriti[sz]e|align\s+with|invest\s+in|build\s+(?:strong"
        r"(?:er)?\s+)?relationships?|improve\s+(?:our\s+|the\s+)?(?:customer\s+)?(?:relationships?"
        r"|relations|partnerships?|engagement|collaboration|communication)"
    ),
    _I,
)
"""Directionless verbs: they say how hard, not what changes."""

RELATION_NOUN = Bilingual(
    r"关系|合作|粘性|黏性|影响力|口碑|品牌形象|形象|信任|互动|沟通|联系|感情|客情"
    + "|"
    + _en(
        r"relationships?|relations|partnerships?|engagement|collaboration|rapport|ties|presence"
        r"|visibility|mindshare|trust|loyalty|goodwill|synergy|alignment|results|outcomes|performance"
    ),
    _I,
)
"""Objects that are not outcomes (合作关系, relationships, results)."""

INTENSIFIER = Bilingual(
    r"大力|全力以赴|全力|进一步|积极|全面|努力|切实|着力|狠抓|坚决|务必|持续|不断"
    + "|"
    + _en(
        r"aggressively|actively|proactively|further|strongly|really|vigorously|continuously"
        r"|continually|relentlessly|truly|drastically|radically"
    ),
    _I,
)
"""Intensifiers: they add no information."""

HEDGE = Bilingual(
    r"争取|力争|尽量|希望|尝试|试图|尽力|力求|期望|期待|设法|看能否|看看能否|最好能"
    + "|"
    + _en(
        r"try(?:ing)?\s+to|aim(?:ing)?\s+to|hope\s+to|hoping\s+to|hopefully|ideally|if\s+possible"
        r"|where\s+possible|attempt\s+to|strive\s+to|endeavou?r\s+to|aspire\s+to|seek\s+to"
        r"|would\s+like\s+to|look\s+to"
    ),
    _I,
)
"""Hedges: they weaken the commitment."""

VAGUE_QUANTITY = Bilingual(
    r"更多(?!元)|更好|更高|更大|更强|更快|有所|大幅度|大幅|一定(?:的|程度)|较大|较多|较高|若干|一些|显著|明显"
    r"|大量|不少|稳步|突破性|有所突破|最大化|最大限度|尽可能|适当|上台阶|新台阶|新高|再创新高"
    + "|"
    + _en(
        r"more(?!\s+than)|better(?!\s+than)|higher(?!\s+than)|greater(?!\s+than)|bigger|stronger"
        r"|faster(?!\s+than)|a\s+few|several|significant(?:ly)?|substantial(?:ly)?|considerabl[ye]"
        r"|dramatic(?:ally)?|meaningful(?:ly)?|notabl[ye]|noticeabl[ye]|as\s+much\s+as\s+possible"
        r"|as\s+many\s+as\s+possible|maximi[sz]e|minimi[sz]e|lots\s+of|a\s+lot|improved"
        r"|best-in-class|world-class|all-time\s+high|massive(?:ly)?|huge|tons\s+of"
    ),
    _I,
)
"""Vague quantities: they sound like a target but cannot be checked."""

ALL = Bilingual(
    r"全部|所有|全体|每家|每一家|每个|全覆盖|百分之百" + "|" + _en(r"all|every|each|100\s+percent"),
    _I,
)
"""'All' of a set: a target when the set is defined."""

MULTIPLIER_WORD = LazyPattern(
    r"(?P<x2>翻倍|翻番|翻一番|翻一倍|增长一倍|增加一倍|提高一倍|提升一倍)|(?P<x4>翻两番)"
    + "|"
    + _en(
        r"(?P<d>doubl(?:e|ed|es|ing)(?!-digit))|(?P<t>tripl(?:e|ed|es|ing))|(?P<q>quadrupl(?:e|ed|es|ing))"
        r"|(?P<d2>two-?fold)|(?P<t2>three-?fold)"
    ),
    _I,
)

CONJUNCTION = Bilingual(
    r"并且|并为|并在|并将|并完成|同时|以及|此外|另外|且|;"
    + "|"
    + _en(r"and\s+also|as\s+well\s+as|in\s+addition|while\s+also|plus|and"),
    _I,
)

GROW_VERB = Bilingual(
    r"提升|提高|增加|增长|扩大|上升|达到|做到|增至|拉升|冲到|突破|超过|不低于|至少"
    + "|"
    + _en(
        r"grow|increase|raise|lift|boost|expand|improve|double|accelerate|reach|hit|exceed|at\s+least"
    ),
    _I,
)
REDUCE_VERB = Bilingual(
    r"降低|缩短|减少|下降|压缩|控制在|降至|降到|低于|不高于|不超过|压降|减到"
    + "|"
    + _en(
        r"reduce|cut|lower|decrease|shorten|shrink|minimi[sz]e|bring\s+down|below|under|less\s+than|at\s+most"
    ),
    _I,
)
TO_LEVEL = LazyPattern(r"(?:到|至|为|达|成)\s*$")
FROM_WORD = LazyPattern(r"(?:从|由|自)\s*$|" + _WB + r"from\s+$", _I)
TO_WORD = Bilingual(
    r"(?:到|至|为|增至|降至|提升至|提高至|提升到|提高到|缩短到|缩短至|降低到|降低至|增加到|增长到|->|→|~)|"
    + _en(r"to"),
    _I,
)

LINK = Bilingual(
    r"(?:为了?|以)?(?:支持|支撑|服务于?|助力|配合|落实|对齐|围绕|践行|推进)[^,.;。]{0,20}?(?:战略|规划|方针|举措|支柱|OKR)"
    + "|"
    + _en(
        r"(?:to\s+support|in\s+support\s+of|supporting|aligned\s+(?:with|to)|in\s+line\s+with"
        r"|as\s+part\s+of|contributing\s+to|to\s+deliver\s+on)\s+(?:the\s+|our\s+)?[^,.;]{0,40}?"
        r"(?:strategy|strategic|pillar|initiative|objective|OKR|priority|plan)"
    ),
    _I,
)
"""A stated link to a strategy (为支持华东深耕战略, to support the Retention pillar)."""

NON_SALES = Bilingual(
    r"减肥|减重|健身|跑步|马拉松|体重|考证|考研|学英语|装修|旅游|旅行|打扫|整理办公室|办公室卫生|搬家|戒烟|早起"
    r"|相亲|年会节目"
    + "|"
    + _en(
        r"lose\s+weight|weight\s+loss|gym|marathon|read\s+\d+\s+books|clean\s+(?:up\s+)?the\s+office"
        r"|office\s+party|vacation|quit\s+smoking|learn\s+(?:to\s+play|the\s+)?(?:guitar|piano)"
        r"|fitness|diet|hobby"
    ),
    _I,
)
"""Outcomes that are not about sales or customers."""

RATE_METRIC = Bilingual(
    r"率|份额|占比|渗透|"
    + _en(r"rate|share|margin|churn|retention|penetration|attainment|NRR|GRR"),
    _I,
)
"""Metrics measured in percent, where '+10%' may mean relative change or percentage points."""

MONEY_METRIC = Bilingual(
    r"销售额|营收|收入|业绩|回款额|采购额|订单额|合同额|合同金额|签约额|成交额|交易额|毛利|利润|产值|金额"
    + "|"
    + _en(
        r"revenues?|sales|bookings|billings|ARR|MRR|ACV|TCV|pipeline|profit|spend|contract\s+value"
    ),
    _I,
)
"""Metrics in money, whose bare numbers lack a currency."""

CHANGE_BY = Bilingual(
    r"(?:提高|提升|增加|增长|降低|减少|下降|上升|改善)\s*$|" + _en(r"by") + r"\s*$", _I
)
"""'提高' or 'by' right before a percentage: a change, not a level."""
