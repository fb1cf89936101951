"""Translation QA, the way localisation teams check a delivery (Xbench / Verifika style).

Rules, each a small function over one aligned segment:
- coverage: a published article has no pending or stale segment, and an English title;
- numbers:  every figure the recogniser reads in the Chinese appears in the English with the same
            value and scale (and currency);
- terms:    a glossary term or name in the Chinese is rendered by its preferred English or a variant;
- hygiene:  no empty English, no Chinese characters left in the English.
A deliberate difference is waived in the translation memory (`waive: [{rule, text, reason}]`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .annotate import numbers
from .chinese import HAN_RE

SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
CURRENCY_WORDS = {"CNY": ("rmb", "yuan"), "USD": ("us$", "dollar", "usd"), "HKD": ("hk$", "hong kong dollar")}
_EN_NUM = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:\s*(?:–|-|—|to)\s*(?:RMB\s?|US\$|HK\$|\$)?(\d[\d,]*(?:\.\d+)?))?"
                     r"\s*(trillion|billion|million|thousand)?", re.I)


@dataclass(frozen=True)
class Issue:
    article: str
    segment: str
    rule: str
    message: str
    severity: str = "error"


def english_values(text: str) -> set[float]:
    """Every number an English text states, scaled: 'RMB 286–382 million' -> {286, 286e6, 382e6}."""
    values: set[float] = set()
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


def check_article(article, matcher) -> list[Issue]:
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
    for o in article.alignment.orphans:
        issues.append(Issue(stem, o.id, "coverage", f"translation-memory entry (line {o.line}) matches no segment: "
                            "its Chinese was removed or rewritten; merge or delete it", "warning"))
    if not published:
        issues = [Issue(i.article, i.segment, i.rule, i.message, "warning") for i in issues]
    return issues


def run(articles, lexicon) -> list[Issue]:
    out: list[Issue] = []
    for a in articles:
        out.extend(check_article(a, lexicon.matcher))
    return out


def table(issues: list[Issue]) -> str:
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
