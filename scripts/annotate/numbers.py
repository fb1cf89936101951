"""The number recogniser and the one English formatter for amounts.

`find` reads the figures Chinese business news uses into plain values; `english` / `english_amount`
write them in English. One implementation (one table of currencies, one of qualifiers, one range
rule) serves the page tooltips, the article JSON, the chart labels and CSVs (scripts/figures) and
the translation QA; its cases are in tests/cases/numbers.yml.

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


@dataclass(frozen=True)
class Currency:
    """A currency as Chinese writes it and as the English of an amount does."""
    code: str                  # the unit a Mention carries: CNY, USD, HKD
    words: tuple[str, ...]     # the Chinese for it: 元, 人民币
    symbol: str                # before an English amount: RMB 286 million, US$14.3 billion
    name: str                  # after a vague amount: tens of millions of yuan


# The one table of currencies: the recogniser reads the words, the English formatter writes the rest.
CURRENCY_TABLE = (
    Currency("CNY", ("元", "人民币"), "RMB ", "yuan"),
    Currency("USD", ("美元", "美金"), "US$", "US dollars"),
    Currency("HKD", ("港元", "港币"), "HK$", "HK dollars"),
)
CURRENCY = {c.code: c for c in CURRENCY_TABLE}
CURRENCIES = {word: c.code for c in CURRENCY_TABLE for word in c.words}

# The one table of qualifiers: the Chinese words that hedge a figure, where they stand (before the
# number, right after it: 20余家, or after its unit: 5.4亿美元左右) and their English.
QUALIFIER_TABLE = (
    ("约", "before", "about"), ("大约", "before", "about"), ("左右", "end", "about"),
    ("近", "before", "nearly"), ("将近", "before", "nearly"), ("接近", "before", "nearly"),
    ("超", "before", "over"), ("超过", "before", "over"), ("逾", "before", "over"), ("上", "before", "over"),
    ("余", "after", "over"), ("多", "after", "over"), ("以上", "end", "over"),
    ("不到", "before", "under"), ("至少", "before", "at least"),
    ("不超过", "before", "up to"), ("至多", "before", "up to"), ("最高", "before", "up to"),
)
QUALIFIERS = {zh: en for zh, _, en in QUALIFIER_TABLE}
CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
COUNTERS = ("家公司", "个月", "家", "个", "起", "张", "款", "位", "名", "项", "条", "层", "天", "次", "人", "座",
            "步", "所", "场", "台", "辆", "倍", "种", "轮", "只", "笔", "份", "件", "户", "枚", "年")

def _alternatives(words) -> str:
    """A regex group matching any of the words, the longest first."""
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN_NUM = r"[一二两三四五六七八九十百千]+"
# 达 ("reaches") is read with the figure but hedges nothing.
_APPROX_PRE = _alternatives([zh for zh, where, _ in QUALIFIER_TABLE if where == "before"] + ["达"]) + "?"
_APPROX_AFTER = _alternatives([zh for zh, where, _ in QUALIFIER_TABLE if where == "after"])
_APPROX_POST = _alternatives([zh for zh, where, _ in QUALIFIER_TABLE if where == "end"])
_SCALE = r"(?:万亿|亿|千万|百万|万)"
_CUR = _alternatives(CURRENCIES)
_RANGE = r"\s*(?:至|到|-|—|–|~|～)\s*"

# Where a match can begin: a figure's first character is a digit or one of these. Each pattern is
# compiled behind a lookahead for its set, so the regex engine leaves every other position of a
# clause at once instead of trying each hedge word there (the same matches, half the time).
_PRE_FIRST = "".join(sorted({zh[0] for zh, where, _ in QUALIFIER_TABLE if where == "before"} | {"达"}))
_CN_FIRST = "数一二两三四五六七八九十百千个万亿"


def _gated(first: str, pattern: str) -> re.Pattern:
    """`pattern`, tried only where the next character is in `first` (a character-class body)."""
    return re.compile(f"(?=[{first}])" + pattern)


# (kind, characters of which every match holds at least one, pattern): a pattern is tried only on
# clauses holding one of its characters.
_DIGITS = "0123456789"
_PATTERNS = [
    # dates first, so 2023年5月6日 is not read as counts
    ("date", "月", _gated(r"\d", r"(?<![\d.])(?P<y>\d{4}|\d{2})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?")),
    ("date", "-", _gated(r"\d", r"(?<![\d.])(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)")),
    ("date", "日", _gated(r"\d", r"(?<![\d.年])(?P<m>\d{1,2})月(?P<d>\d{1,2})日")),
    ("date", "年", _gated(r"\d", r"(?<![\d.\-])(?P<y>(?:19|20)\d{2})年(?!\d)")),
    ("date", "月", _gated(r"\d", r"(?<![\d.月\-])(?<!\d年)(?P<m>\d{1,2})月(?:份)?(?![\d日])")),
    # money per share
    ("share", "股", _gated(r"\d", rf"(?P<a>{_NUM})(?P<cur>元|美元|港元)/股")),
    # percentages, with ranges
    ("pct", "%", _gated(_PRE_FIRST + r"\d", rf"(?P<pre>{_APPROX_PRE})(?P<a>{_NUM})%(?:{_RANGE}(?P<b>{_NUM})%)?(?P<post>{_APPROX_POST})?")),
    ("pct", "%", _gated(_PRE_FIRST + r"\d", rf"(?P<pre>{_APPROX_PRE})(?P<a>{_NUM}){_RANGE}(?P<b>{_NUM})%(?P<post>{_APPROX_POST})?")),
    # 成: 四成 = 40%
    ("cheng", "成", _gated("近超约" + _CN_FIRST, r"(?P<pre>近|超|约)?(?P<a>[一二两三四五六七八九十])成(?P<post>左右|多)?")),
    # multiples
    ("times", "倍", _gated(r"\d", rf"(?P<a>{_NUM})倍(?P<post>以上|多)?")),
    # money and scaled counts, with ranges: 2.86亿元至3.82亿元, 4.6亿至3.8亿元, 70%—80% handled above
    ("amount", _DIGITS, _gated(_PRE_FIRST + r"人\d",
        rf"(?P<pre>{_APPROX_PRE})(?P<cur0>人民币)?(?P<a>{_NUM})\s*(?P<sa>{_SCALE})?(?P<ca>{_CUR})?"
        rf"(?:{_RANGE}(?P<b>{_NUM})\s*(?P<sb>{_SCALE})?(?P<cb>{_CUR})?)?(?P<post>{_APPROX_AFTER})?(?P<counter>{'|'.join(COUNTERS)})?(?P<post2>{_APPROX_POST})?")),
    # Chinese-numeral amounts: 两千亿, 超百亿元, 数千万元, 一个亿, 数十亿 (every scale holds 万 or 亿)
    ("cn_amount", "万亿", _gated(_PRE_FIRST + _CN_FIRST, rf"(?P<pre>{_APPROX_PRE})(?P<several>数)?(?P<a>{_CN_NUM})?(?:个)?(?P<sa>{_SCALE})(?P<ca>{_CUR})?(?P<post>级)?(?P<post2>{_APPROX_POST})?")),
]

_NEEDS = [frozenset(needs) for _, needs, _ in _PATTERNS]


@dataclass(frozen=True)
class Mention:
    """A figure found in a text: where it stands, what it says in plain units, and its hedge."""
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


def _approx(*words: str | None) -> bool:
    return any(w and w in QUALIFIERS for w in words)


def _qualifier(*words: str | None) -> str:
    """The English of the first hedge among the words: ('约', None) -> 'about'."""
    return next((QUALIFIERS[w] for w in words if w and w in QUALIFIERS), "")


def _read(kind: str, m: re.Match) -> Mention | None:
    if kind == "amount" and m.lastgroup == "a" and m.group("cur0") is None:
        return None                          # a bare number, nothing after it (GPT-4, 360, 618)
    g = m.groupdict()
    text = m.group(0)
    if kind == "date":
        value = _date(m)
        return Mention(m.start(), m.end(), text, value, None, "date") if value else None
    if kind == "share":
        return Mention(m.start(), m.end(), text, _plain(_num(g["a"])), None, CURRENCIES[g["cur"]] + "/share")
    if kind == "pct":
        high = _plain(_num(g["b"])) if g.get("b") else None
        return Mention(m.start(), m.end(), text, _plain(_num(g["a"])), high, "%", _approx(g.get("pre"), g.get("post")),
                       _qualifier(g.get("pre"), g.get("post")))
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
        hedges = (g.get("pre"), g.get("post"), g.get("post2"))
        return Mention(m.start(), m.end(), text, value, high, unit, _approx(*hedges), _qualifier(*hedges))
    if kind == "cn_amount":
        if not (g.get("a") or g.get("several") or g.get("pre") in ("上", "超", "超过", "逾", "近", "约")):
            return None                      # 上亿 / 超亿: a bare scale after a qualifier means one of it
        base = Decimal(cn_number(g.get("a") or ""))
        value = _plain(base * SCALES[g["sa"]])
        unit = CURRENCIES[g["ca"]] if g.get("ca") else None
        several = bool(g.get("several"))
        return Mention(m.start(), m.end(), text, value, None, unit,
                       _approx(g.get("pre"), g.get("post2")) or several or bool(g.get("post")),
                       "several" if several else _qualifier(g.get("pre"), g.get("post2")))
    return None


_GLUED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_./")
_ANY_NUMBER = re.compile(r"[0-9一二两三四五六七八九十百千万亿]")

# A figure never spans these marks, so each clause between them is read on its own.
_MARKS = "，。；！？：、（）“”《》\n"
_CLAUSE = re.compile(f"[^{_MARKS}]+")
# A clause that can hold a figure: every pattern holds a digit, 万 or 亿, or a numeral before 成.
# The match begins only where a clause does (after a mark or at the start), so a clause without
# one is passed over in one step per character.
_KEY_CLAUSE = re.compile(f"(?<![^{_MARKS}])[^{_MARKS}]*?(?:[\\d万亿]|[一二两三四五六七八九十]成)[^{_MARKS}]*")


def find(text: str) -> list[Mention]:
    """All figures in text, leftmost-longest, never overlapping."""
    found: list[Mention] = []
    if not _ANY_NUMBER.search(text):
        return found
    for clause in _KEY_CLAUSE.finditer(text):
        part = clause.group()
        if _ANY_NUMBER.search(part):
            found += scan(text, clause.start(), clause.end(), part)
    return found


def scan(text: str, pos: int = 0, endpos: int | None = None, part: str | None = None) -> list[Mention]:
    """The figures in text[pos:endpos] (offsets into text), every pattern in priority order."""
    endpos = len(text) if endpos is None else endpos
    part = text[pos:endpos] if part is None else part
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    chars = frozenset(part)
    for (kind, _, rx), needs in zip(_PATTERNS, _NEEDS):
        if needs.isdisjoint(chars):          # none of the pattern's key characters is here
            continue
        for m in rx.finditer(text, pos, endpos):
            start, end = m.span()
            if start == end or taken and any(start < e and s < end for s, e in taken):
                continue
            if start > 0 and text[start - 1] in _GLUED and kind != "date":
                continue                     # GPT-4, Qwen2-72B, V3.5: part of a name
            mention = _read(kind, m)
            if mention is not None:
                found.append(mention)
                taken.append((start, end))
    return sorted(found, key=lambda x: x.start)


# ---------------------------------------------------------------- English: the one formatter

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
MINUS = "\u2212"              # a fall drawn in a chart: −RMB 230 million
SCALE_WORDS = ((10 ** 12, "trillion"), (10 ** 9, "billion"), (10 ** 6, "million"))
_SEVERAL = {4: "tens of thousands", 5: "hundreds of thousands", 6: "millions", 7: "tens of millions",
            8: "hundreds of millions", 9: "billions", 10: "tens of billions", 11: "hundreds of billions",
            12: "trillions"}


def english_scale(magnitude, unit: str | None = None) -> tuple[int, str]:
    """The scale an amount of this size is written in: (10**6, 'million'), or (1, '') for amounts under
    a million, percentages and multiples.

    >>> english_scale(286000000), english_scale(12345), english_scale(2e6, "%")
    ((1000000, 'million'), (1, ''), (1, ''))
    """
    if unit not in ("%", "times"):
        for size, word in SCALE_WORDS:
            if magnitude >= size:
                return size, word
    return 1, ""


def _digits(d: Decimal) -> str:
    """Exactly, with thousands separators: 1279 -> '1,279', 2.860 -> '2.86'."""
    return f"{d.normalize():,f}"


def english_number(value) -> str:
    """A number in English, its scale in words, exactly.

    >>> [english_number(v) for v in (286000000, 1279000, 100000, 9.7, 14.3e9)]
    ['286 million', '1.279 million', '100,000', '9.7', '14.3 billion']
    """
    d = Decimal(str(value))
    size, word = english_scale(abs(d))
    return _digits(d / size) + (f" {word}" if word else "")


def _unit_words(unit: str | None) -> tuple[str, str]:
    """What stands before and after the number: ('RMB ', ''), ('', '%'), ('US$', ' per share')."""
    if unit == "%":
        return "", "%"
    if unit == "times":
        return "", " times"
    if unit and unit.endswith("/share"):
        return CURRENCY[unit.split("/")[0]].symbol, " per share"
    if unit in CURRENCY:
        return CURRENCY[unit].symbol, ""
    return "", ""                       # a count (None; a chart says "count")


def english_amount(value, high=None, unit: str | None = None, qualifier: str = "") -> str:
    """The English of an amount: the one formatter for page tooltips, chart labels, CSVs and QA.

    `value` (and `high`, for a range) in plain units, `unit` as a Mention has it (CNY, USD, HKD,
    CNY/share…, %, times; None or "count" for a count), `qualifier` the English of the Chinese hedge
    (about, over, up to…; "several" for 数千万). A range shares its currency and scale when both ends
    have them ("RMB 286–382 million"); otherwise both ends are written out. Negative values (a fall,
    as charts draw it) take a minus sign.

    >>> english_amount(286000000, 382000000, "CNY")
    'RMB 286–382 million'
    >>> english_amount(10e9, None, "USD", "up to")
    'up to US$10 billion'
    >>> english_amount(500000000, 1.2e9, "CNY")
    'RMB 500 million to RMB 1.2 billion'
    >>> english_amount(-60, -70, "%"), english_amount(60, 70, "%")
    ('−60% to −70%', '60–70%')
    >>> english_amount(10000000, None, "CNY", "several")
    'tens of millions of yuan'
    """
    if qualifier == "several" and unit not in ("%", "times"):
        return _several(value, unit)
    before, after = _unit_words(unit)

    def parts(v) -> tuple[str, str, str]:
        d = Decimal(str(v))
        size, word = english_scale(abs(d), unit)
        return (MINUS if d < 0 else ""), _digits(abs(d) / size), (f" {word}" if word else "")

    if high is None:
        sign, number, word = parts(value)
        body = f"{sign}{before}{number}{word}{after}"
    else:
        same_sign = (value < 0) == (high < 0)
        lo, hi = sorted((value, high), key=abs if same_sign else None)
        (sa, na, wa), (sb, nb, wb) = parts(lo), parts(hi)
        if same_sign and wa == wb and not (sa and after in ("%", " times")):
            body = f"{sa}{before}{na}–{nb}{wa}{after}"
        else:
            body = f"{sa}{before}{na}{wa}{after} to {sb}{before}{nb}{wb}{after}"
    return f"{qualifier} {body}" if qualifier else body


def _several(value, unit: str | None) -> str:
    """数千万元 -> 'tens of millions of yuan'; 数十亿 -> 'billions'."""
    magnitude = len(str(int(value))) - 1
    words = _SEVERAL.get(magnitude, english_number(value))
    return words + (f" of {CURRENCY[unit].name}" if unit in CURRENCY else "")


def english_date(value: str) -> str:
    """A date the recogniser read, in English: '2023-05-06' -> 'May 6, 2023', '--07' -> 'July'.

    >>> [english_date(v) for v in ("2023-05-06", "2021-09", "--07-23", "2024")]
    ['May 6, 2023', 'September 2021', 'July 23', '2024']
    """
    if value.startswith("--"):
        parts = value[2:].split("-")
        return MONTHS[int(parts[0]) - 1] + (f" {int(parts[1])}" if len(parts) > 1 else "")
    parts = value.split("-")
    if len(parts) == 3:
        return f"{MONTHS[int(parts[1]) - 1]} {int(parts[2])}, {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def english(m: Mention) -> str:
    """The English of a figure the recogniser read, as the page's tooltip shows it.

    >>> [english(m) for m in find("Meta将支出提高了至多100亿美元，亏损4.6亿至3.8亿元")]
    ['up to US$10 billion', 'RMB 380–460 million']
    """
    if m.unit == "date":
        return english_date(str(m.value))
    return english_amount(m.value, m.value_high, m.unit, m.qualifier)


def stating(text: str, value) -> Mention | None:
    """The figure in `text` that states `value` (either end of a range; a fall may be negative), e.g.
    the figure a chart point's reading states.

    >>> stating("四成左右", 40).qualifier
    'about'
    """
    for m in find(text):
        if m.unit != "date" and any(v is not None and abs(abs(float(value)) - float(v)) <= 1e-9 * max(1.0, float(v))
                                    for v in (m.value, m.value_high)):
            return m
    return None
