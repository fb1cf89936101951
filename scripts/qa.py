"""Translation QA, the way localisation teams check a delivery (Xbench / Verifika style).

Rules, each a small function over one aligned segment:
- coverage: a published article has no pending or stale segment, and an English title;
- numbers:  every figure the recogniser reads in the Chinese appears in the English with the same
            value and scale (and currency);
- terms:    a glossary term or name in the Chinese is rendered by its preferred English or a variant;
- hygiene:  no empty English, no Chinese characters left in the English;
- house style (scripts/templates/style.md, the site's "House style" page):
  currency  renminbi as "RMB 5 million", dollars as "US$" / "HK$", never "5 million yuan" or a bare "$";
  numerals  whole numbers one to nine spelled out in running text ("three paths", not "3 paths");
  quotes    every quotation mark closed within its segment, in the Chinese and in the English, and
            full stops and commas inside the closing quote;
  multiples an English "N times" / "N-fold" agrees with the ratio of the figures in the same sentence;
  calques   literal renderings listed in data/style.yml (warnings, with the suggestion).
A deliberate difference is waived in the translation memory (`waive: [{rule, text, reason}]`).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .annotate import numbers
from .chinese import HAN_RE

SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
CURRENCY_WORDS = {"CNY": ("rmb", "yuan"), "USD": ("us$", "dollar", "usd"), "HKD": ("hk$", "hong kong dollar")}
SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_WORD_NUMBER = re.compile(r"\b(" + "|".join(SMALL[1:]) + r")(?:fold)?\b", re.I)
_EN_NUM = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:\s*(?:–|-|—|to)\s*(?:RMB\s?|US\$|HK\$|\$)?(\d[\d,]*(?:\.\d+)?))?"
                     r"\s*(trillion|billion|million|thousand)?", re.I)


@dataclass(frozen=True)
class Issue:
    """One QA finding: article, segment, rule, message and severity (error or warning)."""
    article: str
    segment: str
    rule: str
    message: str
    severity: str = "error"


def english_values(text: str) -> set[float]:
    """Every number an English text states, scaled: 'RMB 286–382 million' -> {286, 286e6, 382e6}.

    Whole numbers one to nine count in words too, as house style spells them out:

    >>> sorted(english_values("one or two vendors, more than fivefold, 7%"))
    [1.0, 2.0, 5.0, 7.0]
    """
    values: set[float] = {float(SMALL.index(m.group(1).lower())) for m in _WORD_NUMBER.finditer(text)}
    for m in _EN_NUM.finditer(text):
        a, b, scale = m.group(1), m.group(2), m.group(3)
        factor = SCALE_WORDS[scale.lower()] if scale else 1
        try:
            va = float(a.replace(",", "").rstrip("."))
        except ValueError:
            continue
        values.add(va)
        values.add(va * factor)
        if b:
            vb = float(b.replace(",", "").rstrip("."))
            values.add(vb * factor)
            values.add(vb)
    return values


_MONEY = re.compile(r"(?P<cur>RMB|US\$|HK\$|\$|¥)\s?(?P<a>\d[\d,]*(?:\.\d+)?)(?:\s*(?:–|-|—|to)\s*(?:RMB\s?|US\$|HK\$|\$)?"
                    r"(?P<b>\d[\d,]*(?:\.\d+)?))?\s*(?P<scale>trillion|billion|million|thousand)?"
                    r"|(?P<a2>\d[\d,]*(?:\.\d+)?)\s*(?P<scale2>trillion|billion|million|thousand)?\s*(?:of\s+)?"
                    r"(?P<word>yuan|renminbi|US dollars|dollars|Hong Kong dollars)", re.I)
_CUR = {"rmb": "CNY", "¥": "CNY", "yuan": "CNY", "renminbi": "CNY", "us$": "USD", "$": "USD", "us dollars": "USD",
        "dollars": "USD", "hk$": "HKD", "hong kong dollars": "HKD"}


def english_money(text: str) -> set[tuple[str, float]]:
    """(currency, value) pairs an English text states: 'RMB 286–382 million' -> CNY 286e6 and 382e6."""
    out = set()
    for m in _MONEY.finditer(text):
        cur = _CUR[(m.group("cur") or m.group("word")).lower()]
        scale = m.group("scale") or m.group("scale2")
        factor = SCALE_WORDS[scale.lower()] if scale else 1
        for g in ("a", "b", "a2"):
            if m.group(g):
                out.add((cur, float(m.group(g).replace(",", "")) * factor))
    return out


def _has(values: set[float], v) -> bool:
    return any(abs(x - float(v)) <= 1e-9 * max(1.0, abs(float(v))) for x in values)


def date_present(value: str, english: str) -> bool:
    """Whether the English states a date given as YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD."""
    low = english.lower()
    if value.startswith("--"):
        parts = [int(x) for x in value[2:].split("-")]
        year = None
    else:
        parts = [int(x) for x in value.split("-")]
        year, parts = parts[0], parts[1:]
    if year is not None and str(year) not in english:
        return False
    if parts:
        name = numbers.MONTHS[parts[0] - 1].lower()
        if name not in low and name[:3] + "." not in low:
            return False
    if len(parts) > 1 and not re.search(rf"(?<!\d){parts[1]}(?!\d)", english):
        return False
    return True


def check_numbers(zh: str, en: str, waived: set[str], matcher=None) -> list[str]:
    """Figures in zh missing from en. Text inside a name (零一万物 holds 一万) is not a figure."""
    problems = []
    values = english_values(en)
    low = en.lower()
    names = [(s, e) for s, e, _ in matcher.find(zh)] if matcher else []
    for m in numbers.find(zh):
        if m.text in waived or any(s < m.end and m.start < e for s, e in names):
            continue
        if m.unit == "date":
            if not date_present(str(m.value), en):
                problems.append(f"date {m.text} ({numbers.english(m)}) not found in the English")
            continue
        if m.qualifier == "several" and m.unit not in ("%", "times"):
            words = numbers.english(m).split(" of ")[0]
            if words.lower() in low or _has(values, m.value):
                continue
            problems.append(f"{m.text} (≈ {numbers.english(m)}) not rendered")
            continue
        wanted = [m.value] + ([m.value_high] if m.value_high is not None else [])
        missing = [v for v in wanted if not _has(values, v)]
        if missing:
            problems.append(f"{m.text} = {numbers.english(m)}: {', '.join(numbers.english_number(v) for v in missing)} "
                            f"not found in the English")
            continue
        unit = (m.unit or "").split("/")[0]
        if unit in CURRENCY_WORDS:
            money = {v for cur, v in english_money(en) if cur == unit}
            if [v for v in wanted if not _has(money, v)]:
                problems.append(f"{m.text}: not stated in {unit} in the English ({numbers.english(m)})")
        if m.unit == "%" and "%" not in en and "percent" not in low:
            problems.append(f"{m.text}: percentage sign missing in the English")
    return problems


def _norm(s: str) -> str:
    s = s.lower().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"[\s\-–]+", " ", s)


def check_terms(zh: str, en: str, matcher, waived: set[str]) -> list[str]:
    """Glossary terms in the Chinese whose English (or a listed variant) is missing from the
    English, unless waived.
    """
    problems, english = [], _norm(en)
    seen = set()
    for _, _, term in matcher.find(zh):
        if term.id in seen or term.zh in waived or any(f in waived for f in term.forms):
            continue
        seen.add(term.id)
        options = (term.en,) + term.variants
        if not any(_norm(o) in english for o in options):
            problems.append(f"{term.zh} should be rendered “{term.en}”"
                            + (f" (or {', '.join('“' + v + '”' for v in term.variants)})" if term.variants else ""))
    return problems


# ---------------------------------------------------------------- house style

_YUAN = re.compile(r"\d[\d,.]*\s*(?:trillion|billion|million|thousand)?\s+(?:of\s+)?(?:yuan|renminbi)\b", re.I)
_BARE_DOLLAR = re.compile(r"(?<![A-Za-z])(?<!US)(?<!HK)\$\s?\d|\bUSD\s?\d|\d[\d,.]*\s*(?:trillion|billion|million)?\s+"
                          r"(?:US\s)?dollars\b", re.I)


_WORDS_AMOUNT = r"(?:tens|hundreds|thousands|millions|billions|trillions)(?:\s+of\s+(?:thousands|millions|billions))?"
_RMB_IN_WORDS = re.compile(rf"\b(?:{_WORDS_AMOUNT}\s+of\s+renminbi|RMB\s+{_WORDS_AMOUNT})\b", re.I)


def check_currency(en: str) -> list[str]:
    """Money in the house form: RMB before a figure; an amount in words keeps the unit word, yuan.

    >>> check_currency("a loss of 300 million yuan and $5 billion")
    ['“300 million yuan”: write renminbi as “RMB 300 million”', '“$5”: write US dollars as “US$5 …” (HK$ for Hong Kong dollars)']
    >>> check_currency("RMB 300 million, US$5 billion, HK$2 and tens of millions of yuan")
    []
    >>> check_currency("billions of renminbi, RMB tens of millions")
    ['“billions of renminbi”: an amount in words takes the unit word, “… of yuan”', '“RMB tens of millions”: an amount in words takes the unit word, “… of yuan”']
    """
    out = [f"“{m.group(0)}”: write renminbi as “RMB {m.group(0).split()[0]}"
           f"{(' ' + m.group(0).split()[1]) if m.group(0).split()[1].lower() in SCALE_WORDS else ''}”"
           for m in _YUAN.finditer(en)]
    out += [f"“{m.group(0).strip()}”: write US dollars as “US${re.sub(r'[^0-9.,]', '', m.group(0).split()[0]) or '…'} …” "
            "(HK$ for Hong Kong dollars)" for m in _BARE_DOLLAR.finditer(en)]
    out += [f"“{m.group(0)}”: an amount in words takes the unit word, “… of yuan”" for m in _RMB_IN_WORDS.finditer(en)]
    return out


# A figure under ten stays a figure before these words (units, scales) and after these (money, versions).
_UNIT_AFTER = re.compile(r"\s*(?:%|percent|per\s?cent|trillion|billion|million|thousand|[a-z]{0,2}[BMKGT]\b|nm|"
                         r"a\.m\.|p\.m\.|pm|am|GB|TB|PB|km|kg|x\b)", re.I)
_SMALL_FIGURE = re.compile(r"(?<![\w.,$\-–/])([1-9])(?![\w.,%:/]\w|\.\d|,\d)(?:\s*[–-]\s*([1-9]))?(?![\d\w])")
_FIGURE_BEFORE = re.compile(r"(?:RMB|US\$|HK\$|No\.|Q|H|Phase|Level|Tier|Gen|version|v|Series|Round|Article|Chapter|"
                            r"Step|Figure|Table|page|p\.)\s*$", re.I)


def check_numerals(en: str) -> list[str]:
    """Whole numbers one to nine spelled out in running text.

    >>> check_numerals("It set out 3 commercialization paths over 3 years; 1–2 vendors may win.")
    ['“3 commercialization” → “three commercialization”', '“3 years” → “three years”', '“1–2 vendors” → “one or two vendors”']
    >>> check_numerals("GPT-4, Llama 3 and ERNIE 4.0 cost RMB 5 million, 7 billion or 5% on July 3, 2024 in Q3.")
    []
    """
    out = []
    for m in _SMALL_FIGURE.finditer(en):
        before, after = en[:m.start()], en[m.end():]
        prev = before.split()[-1] if before.split() else ""
        if _UNIT_AFTER.match(after) or _FIGURE_BEFORE.search(before) or not re.match(r"\s+[a-z]", after):
            continue
        if prev[:1].isupper() and not re.search(r"(?:^|[.!?:;“\"]\s*)$", before.rstrip()[: -len(prev)] if prev else ""):
            continue                    # a name or a date: Llama 3 models, July 3 event
        if re.search(r"\d", prev):
            continue
        word = re.match(r"\s*([\w’'-]+)", after).group(1)
        if m.group(2):
            out.append(f"“{m.group(0)} {word}” → “{SMALL[int(m.group(1))]} or {SMALL[int(m.group(2))]} {word}”")
        else:
            out.append(f"“{m.group(0)} {word}” → “{SMALL[int(m.group(1))]} {word}”")
    return out


_ZH_QUOTES = (("“", "”"), ("「", "」"), ("『", "』"), ("《", "》"), ("‘", "’"))


def check_quotes_zh(zh: str) -> list[str]:
    """Paired Chinese quotation and title marks within one segment.

    >>> check_quotes_zh("他说：“大模型”。《报告》")
    []
    >>> check_quotes_zh("他说：大模型”。")
    ['1 closing ” without an opening “']
    """
    return [p for a, b in _ZH_QUOTES for p in _unpaired(zh, a, b)]


def _unpaired(text: str, opening: str, closing: str) -> list[str]:
    """Closing marks without an opening one, and openings never closed.

    >>> _unpaired("“a” b” “c", "“", "”")
    ['1 closing ” without an opening “', '1 opening “ never closed']
    """
    depth, unopened = 0, 0
    for ch in text:
        if ch == opening:
            depth += 1
        elif ch == closing:
            if depth:
                depth -= 1
            else:
                unopened += 1
    return ([f"{unopened} closing {closing} without an opening {opening}"] if unopened else []) + \
        ([f"{depth} opening {opening} never closed"] if depth else [])


def check_quotes_en(en: str) -> list[str]:
    """Closed double quotes, and American placement of full stops and commas.

    >>> check_quotes_en('They became the “new Four AI Dragons”. He said “no')
    ['full stop or comma after a closing quote: “…Dragons”.” → put it inside the quote', '1 opening “ never closed']
    """
    out = [f"full stop or comma after a closing quote: “…{m.group(1)}”{m.group(2)}” → put it inside the quote"
           for m in re.finditer(r"(\w{1,12})”([.,])(?!\d)", en)]
    out += _unpaired(en, "“", "”")
    if en.count('"') % 2:
        out.append('an odd number of straight quotes "')
    return out


_WORD_MULTIPLES = {"twice": 2, "double": 2, "doubled": 2, "doubling": 2, "triple": 3, "tripled": 3, "threefold": 3,
                   "quadruple": 4, "quadrupled": 4, "fourfold": 4, "fivefold": 5, "sixfold": 6, "sevenfold": 7,
                   "eightfold": 8, "ninefold": 9, "tenfold": 10}
_EN_MULTIPLE = re.compile(r"(?P<more>more than |over |nearly |almost |about |roughly )?(?:(?P<n>\d+(?:\.\d+)?|"
                          + "|".join(SMALL[1:]) + r"|ten)(?:-fold| times)|(?P<w>" + "|".join(_WORD_MULTIPLES) + r"))\b", re.I)


def english_multiples(en: str) -> list[tuple[float, str]]:
    """Multiples an English text states, with their hedge.

    >>> english_multiples("more than fivefold, 4.19 times, doubled and three times as large")
    [(5.0, 'more than'), (4.19, ''), (2.0, ''), (3.0, '')]
    """
    out = []
    for m in _EN_MULTIPLE.finditer(en):
        if m.group("w"):
            value = float(_WORD_MULTIPLES[m.group("w").lower()])
        else:
            n = m.group("n").lower()
            value = float(SMALL.index(n)) if n in SMALL else 10.0 if n == "ten" else float(n)
        out.append((value, (m.group("more") or "").strip().lower()))
    return out


def check_multiples(zh: str, en: str) -> list[str]:
    """A 倍 in the Chinese whose English multiple disagrees with the two figures the sentence compares.

    The two figures are the last two amounts in one currency before the 倍.

    >>> check_multiples("营收36.46亿元；亏损达3亿元，相比同期亏损5789万元，亏损扩大4.19倍。", "RMB 300 million against RMB 57.89 million, widened 4.19 times")
    ['倍: the English says 4.19 times, the figures give 5.18 (RMB 300 million / RMB 57.89 million)']
    >>> check_multiples("亏损达3亿元，相比同期亏损5789万元，亏损扩大4.19倍。", "a loss more than five times as large")
    []
    """
    found = numbers.find(zh)
    times = [m for m in found if m.unit == "times"]
    if not times:
        return []
    before = [m for m in found if m.unit in CURRENCY_WORDS and m.value_high is None and m.value
              and m.end <= times[0].start]
    before = [m for m in before if m.unit == before[-1].unit][-2:] if before else []
    if len(before) != 2:
        return []                        # no single comparison to check against
    a, b = sorted(before, key=lambda m: float(m.value))
    ratio = float(b.value) / float(a.value)
    out = []
    for value, hedge in english_multiples(en):
        ok = (value <= ratio + 0.05 and ratio - value < 1) if hedge in ("more than", "over") else abs(value - ratio) <= max(0.1, 0.03 * ratio)
        if not ok:
            out.append(f"倍: the English says {hedge + ' ' if hedge else ''}{value:g} times, the figures give "
                       f"{ratio:.2f} ({numbers.english(b)} / {numbers.english(a)})")
    return out


@functools.lru_cache(maxsize=8)
def load_calques(path: str) -> tuple[tuple[re.Pattern, str, str], ...]:
    """The calque list of data/style.yml (checked against scripts/schema: files.STYLE) as
    (pattern, suggestion, source) triples."""
    from . import schema
    if not Path(path).exists():
        return ()
    return tuple((re.compile(rf"\b(?:{c['pattern'].pattern})\b", re.I), c["suggestion"], c["source"])
                 for c in schema.load(path, schema.files.STYLE)["calques"])


def check_calques(en: str, calques) -> list[tuple[str, str]]:
    """(matched text, message) for each listed literal rendering in the English."""
    return [(m.group(0), f"“{m.group(0)}” reads as a calque{' of ' + src if src else ''}: prefer {suggestion}")
            for pattern, suggestion, src in calques for m in pattern.finditer(en)]


def check_article(article, matcher, calques=()) -> list[Issue]:
    """Every QA rule over one article's segments: coverage, figures, terms, dates, house style."""
    from .chinese import strip_marks
    issues: list[Issue] = []
    stem = article.seed.stem
    published = article.meta.status == "published"
    if published and not article.title_en:
        issues.append(Issue(stem, "-", "coverage", "published article has no English title"))
    for item in article.alignment.items:
        seg = item.segment
        if item.status != "translated":
            if published:
                issues.append(Issue(stem, seg.id, "coverage", f"segment is {item.status}"))
            continue
        entry = item.entry
        waived = {}
        for w in entry.waivers:
            waived.setdefault(w.rule, set()).add(w.text)
        for i, (zh, en) in enumerate(zip(entry.zh, entry.en), start=1):
            where = f"{seg.id}.{i}"
            if not en.strip():
                issues.append(Issue(stem, where, "hygiene", "empty English"))
                continue
            han = HAN_RE.findall(en)
            if han:
                issues.append(Issue(stem, where, "hygiene", f"Chinese characters in the English: {''.join(han[:8])}"))
        zh_all, en_all = strip_marks(seg.text), " ".join(entry.en)
        # numbers sentence by sentence where the pairs allow, so a figure must sit in its own sentence
        for i, (zh, en) in enumerate(zip(entry.zh, entry.en), start=1):
            for p in check_numbers(zh, en if en.strip() else "", waived.get("numbers", set()), matcher):
                issues.append(Issue(stem, f"{seg.id}.{i}", "numbers", p))
        for p in check_terms(zh_all, en_all, matcher, waived.get("terms", set())):
            issues.append(Issue(stem, seg.id, "terms", p))
        issues.extend(_style_issues(stem, seg.id, entry, zh_all, en_all, waived, calques))
    for o in article.alignment.orphans:
        issues.append(Issue(stem, o.id, "coverage", f"translation-memory entry (line {o.line}) matches no segment: "
                            "its Chinese was removed or rewritten; merge or delete it", "warning"))
    if not published:
        issues = [Issue(i.article, i.segment, i.rule, i.message, "warning") for i in issues]
    return issues


def _style_issues(stem, seg_id, entry, zh_all, en_all, waived, calques) -> list[Issue]:
    """The house-style rules over one translated segment.

    A waiver names the rule and the text it excuses: for calques the listed phrase as written (letter
    case aside), for the other rules a piece of the message, which for quotes starts “Chinese:” or
    “English:” so that a waiver for the source's quote marks leaves the English checked.
    """
    def keep(rule, message):
        return not any(w in message for w in waived.get(rule, ()))
    out = []
    for i, (zh, en) in enumerate(zip(entry.zh, entry.en), start=1):
        where = f"{seg_id}.{i}"
        out += [Issue(stem, where, "currency", p) for p in check_currency(en) if keep("currency", p)]
        out += [Issue(stem, where, "numerals", p) for p in check_numerals(en) if keep("numerals", p)]
        out += [Issue(stem, where, "multiples", p) for p in check_multiples(zh, en) if keep("multiples", p)]
        out += [Issue(stem, where, "calques", p, "warning") for text, p in check_calques(en, calques)
                if not any(w.lower() == text.lower() for w in waived.get("calques", ()))]
    quotes = ["Chinese: " + p for p in check_quotes_zh(zh_all)] + ["English: " + p for p in check_quotes_en(en_all)]
    out += [Issue(stem, seg_id, "quotes", p) for p in quotes if keep("quotes", p)]
    return out


def run(articles, lexicon, data_dir: Path | None = None) -> list[Issue]:
    """QA over every article; the calque list comes from data_dir/style.yml."""
    calques = load_calques(str(data_dir / "style.yml")) if data_dir else ()
    out: list[Issue] = []
    for a in articles:
        out.extend(check_article(a, lexicon.matcher, calques))
    return out


def table(issues: list[Issue]) -> str:
    """The issues as an aligned text table (or 'QA: no issues.')."""
    if not issues:
        return "QA: no issues."
    rows = [("article", "segment", "rule", "severity", "message")] + [
        (i.article, i.segment, i.rule, i.severity, i.message) for i in issues]
    widths = [max(len(r[k]) for r in rows) for k in range(4)]
    lines = []
    for r in rows:
        lines.append("  ".join(r[k].ljust(widths[k]) for k in range(4)) + "  " + r[4])
    errors = sum(1 for i in issues if i.severity == "error")
    lines.append(f"QA: {errors} error(s), {len(issues) - errors} warning(s).")
    return "\n".join(lines)
