"""Reference pages: the glossary and who's who, with backlinks, and their data exports.

Entries are ordered by pinyin inside fixed category groups; each has a stable anchor (its id) and
links back to every segment where it occurs, with counts.
"""
from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict

from . import html as h
from .annotate.terms import ENTITY_CATEGORIES, GLOSSARY_CATEGORIES, Term

CATEGORY_TITLES = {
    "industry": "The industry", "technology": "Technology", "business": "Business and strategy",
    "finance": "Company finance", "markets": "Capital markets", "policy": "Policy", "idiom": "Idioms and metaphors",
    "company": "Companies", "model": "Models and products", "person": "People",
    "institution": "Institutions and research firms", "media": "Media and data sources",
}


def pinyin_key(term: Term) -> tuple:
    """A sort key by toneless pinyin, then with tones, then the Chinese."""
    plain = "".join(c for c in unicodedata.normalize("NFD", term.pinyin) if not unicodedata.combining(c))
    return (plain.lower().replace(" ", "") or term.zh.lower(), term.pinyin, term.zh)


def occurrences(term_uses_by_article) -> dict[str, list[tuple]]:
    """term id -> [(article, segment id, count)] in article order."""
    out: dict[str, list] = defaultdict(list)
    for article, uses in term_uses_by_article:
        counts = Counter(uses)
        order = list(dict.fromkeys(uses))
        for tid, seg in order:
            out[tid].append((article, seg, counts[(tid, seg)]))
    return out


def page(terms: list[Term], kind: str, occ, titles: dict[str, str], by_id: dict[str, Term],
         ordinals: dict | None = None) -> str:
    """ordinals: (article slug, segment id) -> paragraph number, for compact ¶ links."""
    ordinals = ordinals or {}
    cats = GLOSSARY_CATEGORIES if kind == "glossary" else ENTITY_CATEGORIES
    title = "Glossary" if kind == "glossary" else "Who’s who"
    intro = ("Terms of China’s large-model industry and of Chinese finance, as the articles use them."
             if kind == "glossary" else "Companies, models and products, people, institutions and media the articles name.")
    boost = "search:\n  boost: 2\n" if kind != "glossary" else ""     # names before idioms in search
    parts = [f"---\ntitle: \"{title}\"\n{boost}---\n", f"# {title}\n",
             f'<p class="bm-lede">{intro} {len(terms)} entries, ordered by pinyin within each group. '
             "Each lists every paragraph it occurs in.</p>\n",
             indexes(terms),
             '<p class="bm-filter"><label for="bm-filter">Filter</label> <input type="search" id="bm-filter" '
             'placeholder="English, 中文 or pinyin" autocomplete="off"> <span id="bm-filter-count" aria-live="polite"></span></p>\n']
    for cat in cats:
        group = sorted((t for t in terms if t.category == cat), key=pinyin_key)
        if not group:
            continue
        parts.append(f"## {CATEGORY_TITLES[cat]} {{ #cat-{cat} }}\n")
        for t in group:
            uses = occ.get(t.id, [])
            total = sum(c for _, _, c in uses)
            by_article: dict[str, list] = {}
            for article, seg, count in uses:
                by_article.setdefault(article, []).append((seg, count))
            links = []
            for article, segs in by_article.items():
                refs = ", ".join(
                    f'<a href="{h.url(f"../articles/{article}/#{seg}")}" title="§{h.attr(seg)}">'
                    f'¶{h.text(str(ordinals.get((article, seg), seg)))}</a>'
                    + (f"×{count}" if count > 1 else "") for seg, count in segs)
                links.append(f"<li>{h.text(titles.get(article, article))}: {refs}</li>")
            related = ", ".join(
                f'<a href="{h.url(("" if by_id[r].kind == kind else "../" + by_id[r].page + "/") + "#" + r)}">{h.text(by_id[r].en)}</a>'
                for r in t.related if r in by_id)
            forms = [f for f in t.forms if f != t.zh]
            meta = [f'<span class="bm-py">{h.text(t.pinyin)}</span>' if t.pinyin else "",
                    f'<span lang="zh-Hant">{h.text(t.zh_hant)}</span>' if t.zh_hant != t.zh else "",
                    f'also <span lang="zh-Hans">{h.text("、".join(forms))}</span>' if forms else "",
                    f"<strong>{h.text(t.en)}</strong>" + (f" (also: {h.text('; '.join(t.variants))})" if t.variants else ""),
                    h.text(t.role) if t.role else ""]
            heading = (f'<span lang="zh-Hans">{h.text(t.zh)}</span>' if t.zh != t.en else "") + \
                (" " if t.zh != t.en else "") + f'<span class="bm-entry-en" lang="en">{h.text(t.en)}</span>'
            aliases = search_aliases(t)
            parts.append(
                f'<section class="bm-entry" data-term="{h.attr(t.id)}" data-filter="{h.attr(filter_text(t))}">\n'
                f'<h3 class="bm-entry-h" id="{h.attr(t.id)}">{heading}</h3>\n'
                f'<p class="bm-entry-meta">{" · ".join(m for m in meta if m)}</p>\n'
                + (f'<p class="bm-search-alias" aria-hidden="true">{h.text(aliases)}</p>\n' if aliases else "")
                + f'<p lang="en">{h.text(t.definition)}' + (f"<br>Related: {related}" if related else "") + "</p>\n"
                f'<details class="bm-uses"><summary>{total} occurrence{"s" if total != 1 else ""} in {len(uses)} paragraph{"s" if len(uses) != 1 else ""}</summary>'
                f'<ul>{"".join(links)}</ul></details>\n</section>\n')
    return "\n".join(parts)


def _plain(pinyin: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", pinyin) if not unicodedata.combining(c)).lower()


def filter_text(t: Term) -> str:
    """What the filter box matches: every form, the English and its variants, pinyin with and without tones."""
    return " ".join(dict.fromkeys([*t.forms, t.zh_hant, t.en, *t.variants, t.pinyin, _plain(t.pinyin),
                                   _plain(t.pinyin).replace(" ", "")])).lower()


def search_aliases(t: Term) -> str:
    """The inner parts of a Chinese name, so a search for 小虎 finds 六小虎 (the search index holds
    glossary words whole). Search-only text: hidden from sight and from screen readers.

    >>> search_aliases(Term("x", "六小虎", ("六小虎",), "", "Six Little Tigers", (), "industry", "", (), "glossary"))
    '六小 小虎'
    """
    out = []
    for form in t.forms:
        if 3 <= len(form) <= 8 and all("\u3400" <= c <= "\u9fff" for c in form):
            out += [form[i:j] for i in range(len(form)) for j in range(i + 2, len(form) + 1) if (i, j) != (0, len(form))]
    return " ".join(dict.fromkeys(out))


def _initial(text: str) -> str:
    c = text[:1].upper()
    return c if "A" <= c <= "Z" else "#"


def indexes(terms: list[Term]) -> str:
    """A–Z indexes of the entries by English and by pinyin, linking to each entry."""
    blocks = []
    for label, key in (("A–Z by English", lambda t: (t.en.lower(), t.zh)), ("A–Z by pinyin", pinyin_key)):
        groups: dict[str, list] = {}
        for t in sorted(terms, key=key):
            groups.setdefault(_initial(t.en if label.endswith("English") else _plain(t.pinyin) or t.en), []).append(t)
        rows = "".join(
            f'\n<dt>{letter}</dt><dd>' + " · ".join(
                f'<a href="{h.url("#" + t.id)}">{h.text(t.en if label.endswith("English") else (t.pinyin or t.en))}</a>'
                + (f' <span lang="zh-Hans">{h.text(t.zh)}</span>' if t.zh != t.en else "") for t in items) + "</dd>"
            for letter, items in groups.items())
        blocks.append(f'<details class="bm-az"><summary>{label}</summary>\n<dl class="bm-az-list">{rows}\n</dl>\n</details>')
    return "\n".join(blocks) + "\n"


def export(terms: list[Term], occ, ids: dict[str, str]) -> list[dict]:
    """The terms as the downloadable JSON lists them, sorted by pinyin, with their occurrences."""
    return [{
        "id": t.id, "zh": t.zh, "zh_hant": t.zh_hant, "pinyin": t.pinyin, "en": t.en, "variants": list(t.variants),
        "category": t.category, "definition": t.definition, **({"role": t.role} if t.role else {}),
        "related": list(t.related),
        "occurrences": [{"article": ids.get(a, a), "slug": a, "segment": s, "count": c} for a, s, c in occ.get(t.id, [])],
    } for t in sorted(terms, key=pinyin_key)]


def glossary_csv(terms: list[Term]) -> str:
    """The glossary as CSV; no cell can start a spreadsheet formula."""
    return h.csv_table(["id", "zh", "zh_hant", "pinyin", "en", "variants", "category", "definition"],
                       ([t.id, t.zh, t.zh_hant, t.pinyin, t.en, "; ".join(t.variants), t.category, t.definition]
                        for t in sorted(terms, key=pinyin_key)))


def anki_tsv(terms: list[Term]) -> str:
    """Anki 'Basic' notes: front = Chinese + pinyin, back = English + definition; tags = category.
    The deck declares its fields HTML, so every value is escaped as an Anki field."""
    lines = ["#separator:tab", "#html:true", "#tags column:3"]
    for t in sorted(terms, key=pinyin_key):
        front = f"{h.anki_field(t.zh)}<br>{h.anki_field(t.pinyin)}"
        back = f"<b>{h.anki_field(t.en)}</b><br>{h.anki_field(t.definition)}"
        tags = " ".join(h.anki_field(tag).replace(" ", "_") for tag in ("baimozhi", t.category))
        lines.append("\t".join((front, back, tags)))
    return "\n".join(lines) + "\n"
