"""Offset-keeping normalisation and language detection for goal text.

Every mapping here is one character to one character, so a span found in the normalised text is a
span of the original text too. NFKC is not used because it changes lengths (``㎡`` -> ``m2``).
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
from collections.abc import Sequence
from typing import Literal

from kaplan_tui.core.lint.patterns import LazyPattern

Lang = Literal["zh", "en"]

# Traditional -> Simplified, one character each. Only characters that occur in sales goals,
# organisation names, places and time words are listed: the lexicons are written in Simplified
# Chinese and match Traditional text through this table.
_T2S_PAIRS = (
    "將将營营達达萬万億亿區区業业與与續续額额內内個个週周單单為为戶户銷销關关係系務务標标準准"
    "時时間间長长後后際际幣币華华東东門门開开發发現现實实優优質质點点數数據据簽签約约訂订議议"
    "協协報报價价錢钱購购貨货買买賣卖總总經经團团隊队員员們们這这對对於于從从過过還还進进運运"
    "動动會会覺觉響响頭头戰战財财產产當当舉举辦办裡里來来場场選选擇择擴扩張张網网絡络計计劃划"
    "規规設设備备醫医療疗藥药銀银險险證证電电訊讯線线雲云軟软體体項项課课學学師师範范圍围級级"
    "類类層层滿满復复轉转換换贏赢機机導导熱热競竞爭争勝胜負负並并盡尽儘尽極极嘗尝試试顯显較较"
    "夠够讓让擁拥積积穩稳強强細细節节縣县鎮镇灣湾臺台廣广蘇苏滬沪遼辽寧宁陝陕貴贵龍龙齊齐鄭郑"
    "漢汉閩闽贛赣魯鲁豐丰結结構构佔占費费損损虧亏潤润漲涨減减縮缩壓压蓋盖訪访談谈聯联繫系緊紧"
    "號号兩两參参陸陆貳贰叄叁圓圆檢检審审驗验權权許许書书紀纪錄录樣样幫帮專专屬属風风變变確确"
    "認认預预測测歸归隸隶託托處处廳厅廠厂礦矿車车農农飼饲資资頁页庫库碼码儲储倉仓輸输櫃柜築筑"
    "裝装飾饰傢家檯台燈灯廚厨衛卫養养飲饮齡龄訓训練练補补習习講讲諮咨詢询顧顾問问況况狀状態态"
    "勢势鐘钟歷历屆届閱阅讀读寫写說说話话語语詞词觀观隨随塊块鏈链條条邊边遠远適适謀谋鞏巩維维"
    "護护擊击敗败陣阵監监賬账帳账應应壞坏餘余無无舊旧親亲愛爱獲获穫获雙双倆俩幾几滯滞遲迟達达"
    "廈厦門门頓顿鄉乡與与區区縱纵橫横鍵键較较頻频繁繁額额億亿貿贸盤盘簡简紛纷謝谢儀仪態态證证"
    "險险療疗職职權权贊赞積积極极週周團团隊队轉转讓让銀银蘭兰澳澳園园廣广際际歐欧亞亚嶺岭瀋沈"
    "濟济寶宝麗丽鳳凤鴻鸿鵬鹏揚扬聲声馬马魚鱼鮮鲜雞鸡鴨鸭豬猪牽牵織织紡纺綫线網网組组織织絲丝"
    "純纯紙纸級级納纳紐纽綜综維维緒绪續续繼继績绩縂总繳缴償偿債债貸贷賠赔贈赠贏赢趨趋躍跃軍军"
    "輕轻載载輔辅輪轮辦办農农迴回適适遞递郵邮釋释針针鋼钢錶表鍊炼鎖锁鐵铁長长閉闭問问闊阔陰阴"
    "陽阳險险雜杂離离難难電电靈灵韓韩頂顶順顺預预領领頻频題题額额顏颜願愿類类顧顾風风飛飞館馆"
    "驅驱驗验體体髮发鬥斗魯鲁鳥鸟麥麦黃黄齒齿溝沟滅灭漁渔潔洁濱滨灣湾爐炉爭争牆墙獎奖獨独環环"
    "現现瑪玛產产畢毕異异當当療疗盡尽盤盘眾众礎础禮礼種种穩稳窮穷競竞筆笔範范築筑簡简糧粮紅红"
    "級级約约紀纪純纯紙纸細细終终組组結结絕绝給给統统絲丝經经綠绿緒绪線线編编緩缓練练縣县縮缩"
    "總总績绩織织繩绳罰罚羅罗聖圣聯联聽听腦脑臨临興兴艱艰藝艺節节範范薦荐藍蓝蘋苹蟲虫術术裝装"
    "製制複复襲袭見见規规視视覽览觸触計计訂订討讨訓训記记設设許许訴诉診诊評评詢询試试詩诗話话"
    "該该詳详認认誤误說说請请諾诺謀谋講讲識识譜谱警警護护讀读變变讚赞豐丰貝贝負负財财貢贡貨货"
    "販贩責责貴贵費费貼贴貿贸資资賓宾賞赏賴赖購购賽赛趕赶輝辉邊边遷迁遺遗鄰邻醫医釐厘鈔钞銷销"
    "鋪铺錯错鍋锅門门閃闪開开閒闲間间閣阁闆板隊队階阶隨随隱隐雖虽雙双雞鸡靜静響响項项須须頒颁"
    "預预頭头顯显飯饭餐餐騰腾驚惊體体鬧闹魔魔鹽盐麼么點点黨党齊齐龐庞"
)

_T2S: dict[str, str] = {}
for _i in range(0, len(_T2S_PAIRS) - 1, 2):
    _trad, _simp = _T2S_PAIRS[_i], _T2S_PAIRS[_i + 1]
    if _trad != _simp:
        _T2S[_trad] = _simp

TRADITIONAL_ONLY: frozenset[str] = frozenset(_T2S)
"""Characters that only Traditional text uses (for the mixed-script hint)."""

# Simplified characters that are also ordinary Traditional characters: seeing them says nothing
# about the script.
_SHARED = set("台里系后干余松家占并准云划几丰范志制表板回厘么斗征")
SIMPLIFIED_ONLY: frozenset[str] = frozenset(set(_T2S.values()) - _SHARED - set(_T2S))
"""Characters that only Simplified text uses."""

_TABLE: dict[int, str] = {ord(k): v for k, v in _T2S.items()}
# Full-width ASCII forms (U+FF01..FF5E) -> ASCII; the ideographic space -> space.
for _code in range(0xFF01, 0xFF5F):
    _TABLE[_code] = chr(_code - 0xFEE0)
# 、 is kept: a list separator, never a thousands comma.
_TABLE.update(
    {
        0x3000: " ",
        0xFFE5: "¥",
        0xFFE1: "£",
        0x3002: ".",
        0x301C: "~",
        0x2018: "'",
        0x2019: "'",
        0x00A0: " ",
        0x2013: "-",
        0x2014: "-",
        0x2212: "-",
        0x00D7: "x",
    }
)


def normalize(text: str) -> str:
    """The text with full-width forms folded to ASCII and Traditional characters to Simplified.

    The result always has the same length as ``text``.
    """
    return text.translate(_TABLE)


_FOLDED = LazyPattern("[" + "".join(re.escape(chr(code)) for code in sorted(_TABLE)) + "]")
"""Any character that :func:`normalize` changes."""


def normalize_all(texts: Sequence[str]) -> list[str]:
    """``[normalize(t) for t in texts]``, without translating the texts that need nothing.

    ``str.translate`` looks every character up in the table: ~30 ms for the 20k account names of
    a 10k workspace, most of which have no full-width or Traditional character at all. One scan
    of all the texts joined finds the few that have, which a search of each text one by one
    took ~10 ms to do.
    """
    hits = [m.start() for m in _FOLDED.finditer("\n".join(texts))]
    out = list(texts)
    if hits:
        # Where each text ends in the joined string, its newline included.
        ends = list(map(operator.add, itertools.accumulate(map(len, texts)), itertools.count(1)))
        for i in {bisect.bisect_right(ends, pos) for pos in hits}:
            out[i] = out[i].translate(_TABLE)
    return out


_HAN_RE = LazyPattern("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER_RE = LazyPattern("[A-Za-z\uff21-\uff3a\uff41-\uff5a]")


def detect_lang(text: str) -> Lang:
    """``zh`` when Han characters carry the text, else ``en``.

    One Han character says about as much as three Latin letters, so a Chinese goal naming an
    English account (``把ACME Corporation的续约率提升到92%``) is still Chinese, and an English goal
    naming a Chinese account (``Grow 华为 revenue by 15%``) is still English.
    """
    han = len(_HAN_RE.findall(text))
    letters = len(_LETTER_RE.findall(text))
    if han == 0:
        return "en"
    return "zh" if han * 3 >= letters else "en"


def script_mix(text: str) -> tuple[int, int]:
    """How many Traditional-only and Simplified-only characters ``text`` holds."""
    trad = simp = 0
    for ch in text:
        if ch in TRADITIONAL_ONLY:
            trad += 1
        elif ch in SIMPLIFIED_ONLY:
            simp += 1
    return trad, simp
