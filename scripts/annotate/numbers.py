"""The number recogniser: the figures Chinese business news uses, read into plain values.

One implementation serves the page tooltips, the article JSON and the translation QA.

    >>> [(m.value, m.value_high, m.unit) for m in find("归母净利润2.86亿元至3.82亿元，同比下降60%-70%")]
    [(286000000, 382000000, 'CNY'), (60, 70, '%')]

Units: CNY / USD / HKD for money, `%`, `times` (倍), `CNY/share` etc. for prices per share,
`date` (value is an ISO-like string: 2023-05-06, 2021-09, --07-23), and None for counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

SCALES = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
          "万": Decimal(10) ** 4, "千": Decimal(1000), "百": Decimal(100)}
CURRENCIES = {"元": "CNY", "人民币": "CNY", "美元": "USD", "美金": "USD", "港元": "HKD", "港币": "HKD"}
CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
COUNTERS = ("家公司", "个月", "家", "个", "起", "张", "款", "位", "名", "项", "条", "层", "天", "次", "人", "座",
            "步", "所", "场", "台", "辆", "倍", "种", "轮", "只", "笔", "份", "件", "户", "枚", "年")

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN_NUM = r"[一二两三四五六七八九十百千]+"
_APPROX_PRE = r"(?:约|近|超过|超|逾|大约|将近|接近|上|达|至少|不超过|不到)?"
_SCALE = r"(?:万亿|亿|千万|百万|万)"
_CUR = r"(?:元|人民币|美元|美金|港元|港币)"
_RANGE = r"\s*(?:至|到|-|—|–|~|～)\s*"

# (kind, characters of which every match holds at least one, pattern): a pattern is tried only on
# clauses holding one of its characters.
_DIGITS = "0123456789"
_PATTERNS = [
    # dates first, so 2023年5月6日 is not read as counts
    ("date", "月", re.compile(r"(?<![\d.])(?P<y>\d{4}|\d{2})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?")),
    ("date", "-", re.compile(r"(?<![\d.])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")),
    ("date", "日", re.compile(r"(?<![\d.年])(?P<m>\d{1,2})月(?P<d>\d{1,2})日")),
    ("date", "年", re.compile(r"(?<![\d.\-])(?P<y>(?:19|20)\d{2})年(?!\d)")),
    ("date", "月", re.compile(r"(?<![\d.月\-])(?<!\d年)(?P<m>\d{1,2})月(?:份)?(?![\d日])")),
    # money per share
    ("share", "股", re.compile(rf"(?P<a>{_NUM})(?P<cur>元|美元|港元)/股")),
    # percentages, with ranges
    ("pct", "%", re.compile(rf"(?P<pre>{_APPROX_PRE})(?P<a>{_NUM})%(?:{_RANGE}(?P<b>{_NUM})%)?")),
    ("pct", "%", re.compile(rf"(?P<pre>{_APPROX_PRE})(?P<a>{_NUM}){_RANGE}(?P<b>{_NUM})%")),
    # 成: 四成 = 40%
    ("cheng", "成", re.compile(r"(?P<pre>近|超|约)?(?P<a>[一二两三四五六七八九十])成(?P<post>左右|多)?")),
    # multiples
    ("times", "倍", re.compile(rf"(?P<a>{_NUM})倍(?P<post>以上|多)?")),
    # money and scaled counts, with ranges: 2.86亿元至3.82亿元, 4.6亿至3.8亿元, 70%—80% handled above
    ("amount", _DIGITS, re.compile(
        rf"(?P<pre>{_APPROX_PRE})(?P<cur0>人民币)?(?P<a>{_NUM})\s*(?P<sa>{_SCALE})?(?P<ca>{_CUR})?"
        rf"(?:{_RANGE}(?P<b>{_NUM})\s*(?P<sb>{_SCALE})?(?P<cb>{_CUR})?)?(?P<post>余|多)?(?P<counter>{'|'.join(COUNTERS)})?")),
    # Chinese-numeral amounts: 两千亿, 超百亿元, 数千万元, 一个亿, 数十亿 (every scale holds 万 or 亿)
    ("cn_amount", "万亿", re.compile(rf"(?P<pre>{_APPROX_PRE})(?P<several>数)?(?P<a>{_CN_NUM})?(?:个)?(?P<sa>{_SCALE})(?P<ca>{_CUR})?(?P<post>级)?")),
]


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    value: object            # int/float for quantities; str for dates
    value_high: object = None
    unit: str | None = None
    approx: bool = False
    qualifier: str = ""      # English for the vagueness: over, nearly, about, several


def _num(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


def _plain(d: Decimal):
    d = d.normalize()
    return int(d) if d == d.to_integral_value() else float(d)


def cn_number(s: str) -> int:
    """一 -> 1, 十 -> 10, 两千 -> 2000, 百 -> 100, 三十五 -> 35."""
    if not s:
        return 1
    total, current = 0, 0
    for ch in s:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (current or 1) * CN_UNITS[ch]
            current = 0
    return total + current


def _year(y: str) -> str:
    return y if len(y) == 4 else ("20" + y)


def _date(m: re.Match) -> str:
    g = m.groupdict()
    y, mo, d = g.get("y"), g.get("m"), g.get("d")
    if mo and not 1 <= int(mo) <= 12 or d and not 1 <= int(d) <= 31:
        return ""
    if y and mo and d:
        return f"{_year(y)}-{int(mo):02d}-{int(d):02d}"
    if y and mo:
        return f"{_year(y)}-{int(mo):02d}"
    if y:
        return _year(y)
    if mo and d:
        return f"--{int(mo):02d}-{int(d):02d}"
    return f"--{int(mo):02d}"


QUALIFIERS = {"约": "about", "大约": "about", "近": "nearly", "将近": "nearly", "接近": "nearly", "不到": "under",
              "不超过": "up to", "超": "over", "超过": "over", "逾": "over", "上": "over", "至少": "at least",
              "余": "over", "多": "over", "以上": "over", "左右": "about"}


def _approx(pre: str | None, post: str | None = None) -> bool:
    return bool(pre and pre in QUALIFIERS) or bool(post)


def _qualifier(pre: str | None, post: str | None = None) -> str:
    return QUALIFIERS.get(pre or "", "") or QUALIFIERS.get(post or "", "")


def _read(kind: str, m: re.Match) -> Mention | None:
    g = m.groupdict()
    text = m.group(0)
    if kind == "date":
        value = _date(m)
        return Mention(m.start(), m.end(), text, value, None, "date") if value else None
    if kind == "share":
        return Mention(m.start(), m.end(), text, _plain(_num(g["a"])), None, CURRENCIES[g["cur"]] + "/share")
    if kind == "pct":
        high = _plain(_num(g["b"])) if g.get("b") else None
        return Mention(m.start(), m.end(), text, _plain(_num(g["a"])), high, "%", _approx(g.get("pre")),
                       _qualifier(g.get("pre")))
    if kind == "cheng":
        return Mention(m.start(), m.end(), text, cn_number(g["a"]) * 10, None, "%", _approx(g.get("pre"), g.get("post")),
                       _qualifier(g.get("pre"), g.get("post")))
    if kind == "times":
        return Mention(m.start(), m.end(), text, _plain(_num(g["a"])), None, "times", bool(g.get("post")),
                       _qualifier(None, g.get("post")))
    if kind == "amount":
        sa, sb = g.get("sa"), g.get("sb")
        ca, cb = g.get("ca") or g.get("cur0"), g.get("cb")
        counter = g.get("counter")
        if g.get("b") is not None and not (sb or cb or sa or ca or counter):
            return None                      # 1-2 without scale or unit: not an amount
        scale_a = SCALES[sa] if sa else (SCALES[sb] if sb and g.get("b") else Decimal(1))
        unit_cur = ca or cb
        if not (sa or sb or unit_cur or counter or g.get("post")):
            return None                      # a bare number (GPT-4, 360, 618) is not a figure
        value = _plain(_num(g["a"]) * scale_a)
        high = _plain(_num(g["b"]) * (SCALES[sb] if sb else scale_a)) if g.get("b") else None
        unit = CURRENCIES[unit_cur] if unit_cur else None
        if counter == "倍":
            unit = "times"
        if counter == "年" and not (sa or unit_cur):
            return None                      # 12年 / 2023年 are durations or dates, read elsewhere
        return Mention(m.start(), m.end(), text, value, high, unit, _approx(g.get("pre"), g.get("post")),
                       _qualifier(g.get("pre"), g.get("post")))
    if kind == "cn_amount":
        if not (g.get("a") or g.get("several") or g.get("pre") in ("上", "超", "超过", "逾", "近", "约")):
            return None                      # 上亿 / 超亿: a bare scale after a qualifier means one of it
        base = Decimal(cn_number(g.get("a") or ""))
        value = _plain(base * SCALES[g["sa"]])
        unit = CURRENCIES[g["ca"]] if g.get("ca") else None
        several = bool(g.get("several"))
        return Mention(m.start(), m.end(), text, value, None, unit,
                       _approx(g.get("pre"), g.get("post")) or several or bool(g.get("post")),
                       "several" if several else _qualifier(g.get("pre")))
    return None


_GLUED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_./")
_ANY_NUMBER = re.compile(r"[0-9一二两三四五六七八九十百千万亿]")


# A figure never spans these marks, so each clause between them is read on its own.
_CLAUSE = re.compile(r"[^，。；！？：、（）“”《》\n]+")


def find(text: str) -> list[Mention]:
    """All figures in text, leftmost-longest, never overlapping."""
    found: list[Mention] = []
    if not _ANY_NUMBER.search(text):
        return found
    for clause in _CLAUSE.finditer(text):
        if _ANY_NUMBER.search(clause.group()):
            found += scan(text, clause.start(), clause.end(), clause.group())
    return found


def scan(text: str, pos: int = 0, endpos: int | None = None, part: str | None = None) -> list[Mention]:
    """The figures in text[pos:endpos] (offsets into text), every pattern in priority order."""
    endpos = len(text) if endpos is None else endpos
    part = text[pos:endpos] if part is None else part
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for kind, needs, rx in _PATTERNS:
        if not any(c in part for c in needs):
            continue
        for m in rx.finditer(text, pos, endpos):
            start, end = m.span()
            if start == end or any(start < e and s < end for s, e in taken):
                continue
            if start > 0 and text[start - 1] in _GLUED and kind != "date":
                continue                     # GPT-4, Qwen2-72B, V3.5: part of a name
            mention = _read(kind, m)
            if mention is not None:
                found.append(mention)
                taken.append((start, end))
    return sorted(found, key=lambda x: x.start)


# ---------------------------------------------------------------- English readings

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
SYMBOL = {"CNY": "RMB ", "USD": "US$", "HKD": "HK$"}


def english_number(value) -> str:
    """286000000 -> '286 million'; 1279000 -> '1.279 million'; 100000 -> '100,000'; 9.7 -> '9.7'."""
    d = Decimal(str(value))
    for size, word in ((10 ** 12, "trillion"), (10 ** 9, "billion"), (10 ** 6, "million")):
        if abs(d) >= size:
            return f"{_plain(d / size)} {word}"
    v = _plain(d)
    return f"{v:,}" if isinstance(v, int) else str(v)


def english(m: Mention) -> str:
    if m.unit == "date":
        v = str(m.value)
        if v.startswith("--"):
            parts = v[2:].split("-")
            return MONTHS[int(parts[0]) - 1] + (f" {int(parts[1])}" if len(parts) > 1 else "")
        parts = v.split("-")
        if len(parts) == 3:
            return f"{MONTHS[int(parts[1]) - 1]} {int(parts[2])}, {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
        return parts[0]
    if m.qualifier == "several" and m.unit not in ("%", "times"):
        return _several(m)
    prefix = f"{m.qualifier} " if m.qualifier else ""
    if m.unit == "%":
        body = f"{m.value}%" + (f"–{m.value_high}%" if m.value_high is not None else "")
    elif m.unit == "times":
        body = f"{m.value} times"
    elif m.unit and m.unit.endswith("/share"):
        body = f"{SYMBOL[m.unit.split('/')[0]]}{m.value} per share"
    elif m.unit in SYMBOL:
        body = SYMBOL[m.unit] + english_number(m.value)
        if m.value_high is not None:
            body += " – " + english_number(m.value_high)
    else:
        body = english_number(m.value) + (f" – {english_number(m.value_high)}" if m.value_high is not None else "")
    return prefix + body


_SEVERAL = {4: "tens of thousands", 5: "hundreds of thousands", 6: "millions", 7: "tens of millions",
            8: "hundreds of millions", 9: "billions", 10: "tens of billions", 11: "hundreds of billions",
            12: "trillions"}


def _several(m: Mention) -> str:
    """数千万元 -> 'tens of millions of yuan'; 数十亿 -> 'billions'."""
    magnitude = len(str(int(m.value))) - 1
    words = _SEVERAL.get(magnitude, english_number(m.value))
    return words + {"CNY": " of yuan", "USD": " of US dollars", "HKD": " of HK dollars"}.get(m.unit or "", "")
