"""Stage 6 — render: an aligned article becomes one Markdown page with HTML blocks.

The HTML contract other features and the tests rely on:
- the article root carries data-article="<slug>";
- each segment block carries data-seg="<id>" and holds one child lang="zh-Hans" and one lang="en";
- sentences inside both children are <span class="s" data-s="N">, N shared by a pair;
- an untranslated segment's English child has class "pending" and says so.

The page is plain Markdown + HTML (no template logic), so any MkDocs-like builder can compile it.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import html as h
from .align import Aligned, Entry
from .chinese import MARK_CLOSE, MARK_OPEN, strip_marks
from .search_words import EXCLUDE, lexicon_forms, search_block

if TYPE_CHECKING:
    from .pipeline import Article, Context

def human_date(iso: str) -> str:
    """2023-07-23 -> July 23, 2023; 2024-12 -> December 2024 (the same style as the figures' readings)."""
    from .annotate.numbers import MONTHS
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{MONTHS[int(parts[1]) - 1]} {int(parts[2])}, {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return iso


def split_marked(marked: str, plain_parts: tuple[str, ...]) -> tuple[str, ...] | None:
    """Cut marked text where its plain version is cut into plain_parts (None if they disagree)."""
    if strip_marks(marked) != "".join(plain_parts):
        return None
    out, i = [], 0
    for part in plain_parts:
        j, seen = i, 0
        while seen < len(part):
            if marked[j] not in (MARK_OPEN, MARK_CLOSE):
                seen += 1
            j += 1
        while j < len(marked) and marked[j] == MARK_CLOSE:   # a closing mark ends the span it closes
            j += 1
        out.append(marked[i:j])
        i = j
    if i < len(marked):
        out[-1] += marked[i:]
    return tuple(out)


@dataclass
class Notes:
    """Translator's notes, numbered through the article."""
    items: list[tuple[str, str]] = field(default_factory=list)   # (segment id, text)

    def add(self, seg_id: str, text: str) -> int:
        """Add a note; its number."""
        self.items.append((seg_id, text))
        return len(self.items)


def _note_mark(n: int, side: str = "en") -> str:
    """A note's mark: in the English (the notes list links back to it), and a twin after the paired
    Chinese sentence, which bm.css shows when only the Chinese is shown."""
    if side == "zh":
        return (f'<sup class="fn fn-zh" id="fnref-{n}-zh"><a href="#fn-{n}" aria-label="Translator\'s note {n}">'
                f'{n}</a></sup>')
    return (f'<sup class="fn" id="fnref-{n}"><a href="#fn-{n}" aria-label="Translator\'s note {n}">'
            f'{n}</a></sup>')


def english_html(entry: Entry, seg_id: str, notes: Notes, terms=(), mentions=(), base: str = "../../"
                 ) -> tuple[list[str], list[tuple[int, int]]]:
    """The English sentences as HTML: escaped, the glossary `terms` and the figures (`mentions`) of
    the paired Chinese marked, each translator's note marked where it belongs (and numbered).
    Returns the sentences and (note number, sentence index) for each note."""
    from .annotate import english
    marks = [(_note_mark(notes.add(seg_id, note.text)), note.after) for note in entry.notes]
    first = len(notes.items) - len(marks) + 1
    sentences, placed = english.annotate(list(entry.en), marks, list(terms), list(mentions), base)
    return sentences, [(first + k, i) for k, i in enumerate(placed)]


def zh_sentences(item: Aligned) -> tuple[str, ...]:
    """The Chinese cut as the translation memory pairs it, else as the segmenter cut it."""
    seg = item.segment
    if item.entry and item.status == "translated":
        cut = split_marked(seg.text, item.entry.zh)
        if cut:
            return cut
    return seg.sentences


def segment_block(item: Aligned, zh_render, notes: Notes, number: int = 0) -> str:
    """One segment as a bilingual block (a Markdown heading for headings), per the contract above;
    `number` is its ¶ number (shown, with a permalink, under paragraphs and captions)."""
    seg = item.segment
    zh_parts = zh_sentences(item)
    repair_index = seg.repair_start
    rendered = []
    for part in zh_parts:
        rendered.append(zh_render(part, repair_index))
        repair_index += part.count(MARK_OPEN)
    terms = list(dict.fromkeys(t for r in rendered for t in r.terms))
    figures = dict(x for r in rendered for x in r.numbers)
    mentions = [figures[i] for i in range(len(figures))]
    zh_marks = [""] * len(rendered)
    base = getattr(zh_render, "base", "../../")
    if item.status in ("translated", "stale"):
        en_parts, placed = english_html(item.entry, seg.id, notes, terms, mentions, base)
        for n, i in placed:
            # the twin mark follows the paired Chinese sentence (the last one when they do not pair)
            zh_marks[i if item.status == "translated" and i < len(zh_marks) else -1] += _note_mark(n, "zh")
    zh_html = [f'<span class="s" data-s="{n}" data-w="{r.words}">{r.html}</span>{zh_marks[n - 1]}'
               for n, r in enumerate(rendered, start=1)]
    if item.status == "translated":
        en_html = "".join(f'<span class="s" data-s="{n}">{p}</span>' + (" " if n < len(en_parts) else "")
                          for n, p in enumerate(en_parts, start=1))
        en_block = f'<div class="en" lang="en">{en_html}</div>'
    elif item.status == "stale":
        en_block = ('<div class="en stale" lang="en"><span class="stale-label">Out of date: the Chinese '
                    f'changed after this was translated.</span> {" ".join(en_parts)}</div>')
    else:
        en_block = '<div class="en pending" lang="en"><span class="pending-label">Translation pending</span></div>'
    search = search_block(zh_parts, [r.words for r in rendered], lexicon_forms(zh_render.lexicon))
    zh_block = f'<div class="zh" lang="zh-Hans" {EXCLUDE}>{"".join(zh_html)}</div>'
    if seg.kind == "heading":
        # A Markdown heading, so the page's table of contents lists it.
        zh_inline = f'<span class="zh" lang="zh-Hans">{"".join(zh_html)}</span>'
        en_inline = en_block.replace("<div", "<span", 1)[: -len("</div>")] + "</span>"
        return (f'## {zh_inline} {en_inline} '
                f'{{ #{seg.id} data-seg="{seg.id}" data-status="{item.status}" .seg .seg-heading }}\n\n{search}')
    kind = "seg-caption" if seg.kind == "caption" else "seg-paragraph"
    para = (f'\n<div class="bm-para"><a class="bm-pn" href="#{seg.id}" title="Link to ¶{number}">¶{number}</a></div>'
            if number else "")
    return (f'<div class="seg {kind}" data-seg="{seg.id}" id="{seg.id}" data-status="{item.status}">\n'
            f'{zh_block}\n{search}\n{en_block}{para}\n</div>')


TOOLBAR = """<div class="bm-toolbar" role="toolbar" aria-label="Reading options">
<span class="bm-group" role="group" aria-label="Languages"><button type="button" data-opt="lang" data-val="zh" aria-pressed="false">中文</button><button type="button" data-opt="lang" data-val="both" aria-pressed="true">Both</button><button type="button" data-opt="lang" data-val="en" aria-pressed="false">English</button></span>
<span class="bm-group" role="group" aria-label="Layout"><button type="button" data-opt="layout" data-val="side" aria-pressed="true">Side by side</button><button type="button" data-opt="layout" data-val="stack" aria-pressed="false">Stacked</button></span>
<span class="bm-group" role="group" aria-label="Script"><button type="button" data-opt="script" data-val="hans" aria-pressed="true" lang="zh-Hans" title="Simplified characters">简</button><button type="button" data-opt="script" data-val="hant" aria-pressed="false" lang="zh-Hant-TW" title="Traditional characters, Taiwan standard">繁·台</button><button type="button" data-opt="script" data-val="hk" aria-pressed="false" lang="zh-Hant-HK" title="Traditional characters, Hong Kong standard">繁·港</button></span>
<span class="bm-group" role="group" aria-label="Pinyin"><button type="button" data-opt="pinyin" data-val="on" aria-pressed="false">Pinyin</button></span>
</div>"""


def people_html(people) -> str:
    """Authors and editors as one line: Chinese name (English), role; …"""
    rows = []
    for p in people:
        name = f'<span lang="zh-Hans">{h.text(p.zh)}</span>' + (f" ({h.text(p.en)})" if p.en else "")
        rows.append(f"{name}, {h.text(p.role)}")
    return "; ".join(rows)


def front_matter(title: str, description: str, searchable: bool = True) -> str:
    """The page's YAML front matter: title and meta description. Material prints `title` raw into
    `<title>`, the header and the search index, and `description` raw into an attribute, so both are
    escaped here, once; written as JSON strings (valid YAML scalars), nothing in them can break the
    front matter either. A page that is not `searchable` stays out of the search index.

    >>> print(front_matter('a "b" <i>', "c: d"), end="")
    ---
    title: "a &quot;b&quot; &lt;i&gt;"
    description: "c: d"
    ---
    """
    fields = {"title": h.template_text(title), "description": h.template_text(description)}
    exclude = "" if searchable else "search:\n  exclude: true\n"       # Material's and Zensical's key
    return ("---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in fields.items())
            + exclude + "---\n")


# ---------------------------------------------------------------- pages

@dataclass
class Rendered:
    """An article's page (Markdown with HTML blocks), what it annotated, and its JSON export once made."""
    page: str
    annotations: object
    json: str = ""
    vocabulary: tuple = ((), None)     # (words, level profile): study.py
    study: dict | None = None          # its cite data, vocabulary page and exports once made (study_pages.py)


def render_article(a: Article, ctx: Context, placed=None, pdf: str = "") -> Rendered:
    """The article's page: annotated segments with the figures `placed` after their last source;
    `pdf`, the link to the article's PDF where one was printed (pdf_links.link)."""
    from .annotate import PageAnnotations, ZhAnnotator
    notes = Notes()
    annotations = PageAnnotations()
    zh = ZhAnnotator(ctx.lexicon, a.cleaned.repairs, annotations, "../../")
    blocks = []
    from .figure_pages import figure_html
    for number, item in enumerate(a.alignment.items, start=1):     # the ¶ numbers the Cite dialog uses
        zh.segment_id = item.segment.id
        blocks.append(segment_block(item, zh, notes, number))
        for ds in (placed.after.get((a.slug, item.segment.id), []) if placed else []):
            blocks.append(figure_html(ds, placed, "../../"))
    from . import study_pages
    vocabulary = study_pages.vocabulary(a, ctx)
    return Rendered(article_page(a, blocks, notes, annotations, ctx, vocabulary[1], pdf), annotations, vocabulary=vocabulary)


def terms_list(annotations, ctx: Context) -> str:
    """The "Terms / Names in this article" lists, linked to the glossary and who's who."""
    by_id = ctx.lexicon.by_id()
    used = list(dict.fromkeys(tid for tid, _ in annotations.term_uses))
    sections = []
    for kind, heading, page in (("glossary", "Terms in this article", "glossary"), ("entity", "Names in this article", "who")):
        rows = [by_id[t] for t in used if by_id[t].kind == kind]
        if not rows:
            continue
        rows.sort(key=lambda t: (t.pinyin.lower() or t.en.lower(), t.zh))
        lis = "".join(f'\n<li><a href="../../{page}/#{t.id}"><span lang="zh-Hans">{h.text(t.zh)}</span></a> '
                      f'<span class="bm-py">{h.text(t.pinyin)}</span> — <span lang="en">{h.text(t.en)}</span></li>'
                      for t in rows)
        sections.append(f'## {heading} {{ #{page}-used .bm-terms-h }}\n\n<ul class="bm-terms">{lis}\n</ul>\n')
    return "\n".join(sections)


def source_line(a: Article) -> str:
    """Who published the original, under what headline and when, and where to find it: the line a
    reader needs to find and cite the source (the build's own counts are in the details box)."""
    parts = [f'<span lang="zh-Hans">{h.text(a.outlet_zh)}</span>'
             + (f" ({h.text(a.outlet_en)})" if a.outlet_en and a.outlet_en != a.outlet_zh else "")
             if a.outlet_zh or a.outlet_en else "outlet unknown",
             f'“<span lang="zh-Hans">{h.text(a.title_zh)}</span>”']
    if a.published:
        parts.append(f'<time datetime="{h.attr(a.published)}">{h.text(human_date(a.published))}</time>')
    authors = [p for p in a.people if p.role not in ("editor", "chief editor", "proofreader")]
    if authors:
        parts.append("by " + ", ".join(f'<span lang="zh-Hans">{h.text(p.zh)}</span>' + (f" ({h.text(p.en)})" if p.en else "")
                                       for p in authors))
    url = getattr(a.meta, "url", "") or ""
    if url.startswith(("https://", "http://")):
        parts.append(f'<a href="{h.url(url)}" rel="noopener nofollow">original</a>')
    return ", ".join(parts)


def article_page(a: Article, blocks, notes, annotations, ctx: Context, profile=None, pdf: str = "") -> str:
    """The whole article page: front matter, title, metadata and provenance, toolbar, the segment
    `blocks`, translator's notes, terms used, and the page's word and dictionary data."""
    c = a.counts
    total = sum(c.values())
    removed = sum(1 for ch in a.cleaned.report if ch.action == "removed")
    meta_rows = [
        ("Published", (f'<time datetime="{h.attr(a.published)}">{h.text(human_date(a.published))}</time>'
                       if a.published else "unknown")),
    ]
    if a.people:
        meta_rows.append(("People", people_html(a.people)))
    if profile is not None:
        from .study_pages import level_row
        meta_rows.append(level_row(profile, "vocabulary/"))
    meta_rows.insert(0, ("Source", source_line(a)))
    if pdf:
        meta_rows.append(("Print", pdf))
    meta_rows.append(("Translation", f'{c["translated"]} of {total} segments translated'
                      + (f', {c["stale"]} out of date' if c["stale"] else "")
                      + (f', {c["pending"]} pending' if c["pending"] else "")
                      + f' · status: <strong>{h.text(a.meta.status)}</strong>'))
    dl = "".join(f"\n<dt>{k}</dt>\n<dd>{v}</dd>" for k, v in meta_rows)
    prov = [f"\n<p><strong>Scrape:</strong> <code>seeds/{h.text(a.seed.path.name)}</code> — "
            f"{len(a.seed.text.splitlines())} lines scraped, {removed} removed as site chrome, "
            f"{len(a.cleaned.repairs)} repaired.</p>"]
    if a.meta.date_evidence:
        prov.append(f"\n<p><strong>Date:</strong> {h.text(a.meta.date_evidence)}</p>")
    for n in a.meta.notes:
        prov.append(f"\n<p>{h.text(n)}</p>")
    if a.meta.status == "draft" and a.cleaned.evidence:    # what the scrape says about itself, and where
        rows = "".join(f'\n<li>{h.text(k)}: <span lang="zh-Hans">{h.text(e.value)}</span> — {h.text(e.describe())}</li>'
                       for k, e in a.cleaned.evidence.items() if k not in ("url", "clipped", "dateline"))
        prov.append(f"\n<p><strong>Found in the scrape</strong> ({h.text(a.cleaned.format)}; the side file, "
                    f"where there is one, overrides):</p>\n<ul>{rows}\n</ul>")
    if a.cleaned.repairs:
        seen, items = set(), []
        for d in a.cleaned.repairs:
            if (d.text, d.fixed) in seen:
                continue
            seen.add((d.text, d.fixed))
            items.append(f'\n<li><code>{h.text(d.text)}</code> → <span lang="zh-Hans">{h.text(d.fixed or "")}</span>: '
                         f"{h.text(d.note)}</li>")
        prov.append(f"\n<p><strong>Repaired mojibake</strong> (marked in the text; hover for the original):</p>\n<ul>{''.join(items)}\n</ul>")
    provenance = (f'<details class="bm-provenance">\n<summary>Provenance and repairs</summary>{"".join(prov)}\n</details>'
                  if prov else "")
    title_en = a.title_en or "(English title pending)"
    parts = [
        front_matter(a.title_en or a.title_zh, f"{a.title_zh} — {a.title_en}".strip(" —")),
        f'<div class="bm-article" data-article="{h.attr(a.slug)}" data-status="{h.attr(a.meta.status)}" markdown>\n',
        f'# <span class="zh" lang="zh-Hans">{h.text(a.title_zh)}</span> <span class="en" lang="en">{h.text(title_en)}</span> '
        "{ #article-title .bm-title }\n",
        f'<div class="bm-meta">\n<dl>{dl}\n</dl>\n{provenance}\n{_cite_box(a, ctx)}\n</div>\n',
        TOOLBAR + "\n",
    ]
    for block in blocks:
        parts.append(block + "\n")
    if notes.items:
        lis = "".join(f'\n<li id="fn-{n}" data-seg="{h.attr(sid)}">{h.text(text)} <a class="fn-back" href="#fnref-{n}" '
                      f'aria-label="Back to the text">↩</a></li>' for n, (sid, text) in enumerate(notes.items, 1))
        parts.append(f'## Translator’s notes {{ #translator-notes .bm-notes-h }}\n\n<ol class="bm-notes" lang="en">{lis}\n</ol>\n')
    parts.append(terms_list(annotations, ctx))
    parts += page_data(annotations, "".join(parts), ctx.lexicon.names, moved_ids(a.alignment.items))
    parts.append("\n</div>\n")
    return "\n".join(parts)


_ZH_BLOCK = re.compile(r'<div class="zh" lang="zh-Hans">.*?</div>', re.S)
_TAG = re.compile(r"<[^>]*>")


def moved_ids(items) -> dict[str, str]:
    """Old segment id -> the id its paragraph has now (`was:` in the translation memory), so a link
    to a paragraph still lands on it after its Chinese was edited and the new text accepted."""
    return {old: item.segment.id for item in items if item.entry
            for old in item.entry.was if old != item.segment.id}


def page_data(annotations, page_text: str, names=(), moved=None) -> list[str]:
    """The JSON tables bm.js reads: words (pinyin, Taiwan and Hong Kong forms), the dictionary, the
    glossary entries named, and the Traditional forms of every other Chinese text on the page (its
    title, headings, which the table of contents repeats, captions, metadata, figures: all of
    `page_text` but the paragraphs' Chinese, which is made of words; `names` keep their words)."""
    from .annotate.words import hant_table
    rest = _ZH_BLOCK.sub("", page_text)
    # runs as the reader sees them (tags dropped: 巨头争相<a>入局</a> is one run in the table of
    # contents) and as attributes hold them (a figure's Chinese, shown in its pop-up)
    hant = hant_table([rest, _TAG.sub("", rest)] + [t[0] for t in annotations.terms.values()], names)
    out = []
    tables = [("bm-words", annotations.words), ("bm-dict", annotations.dictionary),
              ("bm-terms", annotations.terms), ("bm-hant", hant)] + ([("bm-moved", moved)] if moved else [])
    for element_id, data in tables:         # html.json_script: nothing in it can close or open a tag
        out.append(f'<script type="application/json" id="{element_id}">{h.json_script(data)}</script>\n')
    return out


def _cite_box(a: Article, ctx: Context) -> str:
    from . import study_pages
    return study_pages.cite_box(study_pages.work(a, study_pages.site_url(ctx.paths.root)))


def article_json(a: Article, rendered: Rendered | None = None) -> dict:
    """The article as data (data/articles/SLUG.json): metadata, segments, repairs, numbers, terms."""
    data = {
        "id": a.seed.stem,
        "source_file": a.seed.path.name,
        "status": a.meta.status,
        "title": {"zh": a.title_zh, "en": a.title_en},
        "outlet": {"zh": a.outlet_zh, "en": a.outlet_en},
        "authors": [{"zh": p.zh, "en": p.en, "role": p.role} for p in a.people],
        "published": a.published,
        "date_evidence": a.meta.date_evidence,
        "url": a.url,
        "segments": [
            {"id": item.segment.id, "kind": item.segment.kind, "zh": item.segment.plain,
             "en": " ".join(item.entry.en) if item.entry and item.status != "pending" else "",
             "status": item.status}
            for item in a.alignment.items
        ],
        "repairs": [{"garbled": d.text, "fixed": d.fixed, "note": d.note} for d in a.cleaned.repairs],
    }
    if rendered is not None:
        data["numbers"] = rendered.annotations.numbers
        data["terms"] = sorted({tid for tid, _ in rendered.annotations.term_uses})
    return data


def home_page(articles: list[Article], pdf: str = "") -> str:
    """The home page: templates/home.md with a card per article (and `pdf`, the whole edition's link
    where it was printed: pdf_links.link)."""
    template = (Path(__file__).parent / "templates" / "home.md").read_text(encoding="utf-8")
    return template.replace("{{ARTICLES}}", article_cards(articles) + edition_line(pdf))


def edition_line(pdf: str) -> str:
    """The whole edition's download line under an article list; '' where no PDF was printed."""
    return f'\n\n<p class="bm-edition">{pdf}: every article, the glossary, who\'s who, figures and timeline.</p>' if pdf else ""


def about_page(articles: list[Article], ctx: Context) -> str:
    """The About page: templates/about.md with the sources table, the cleaning rules and counts."""
    sources = []
    for a in articles:
        removed = sum(1 for c in a.cleaned.report if c.action == "removed")
        changed = sum(1 for c in a.cleaned.report if c.action == "changed")
        sources.append(
            f"| [{h.text(a.title_en or a.title_zh)}](articles/{a.slug}/index.md) | <span lang=\"zh-Hans\">{h.text(a.outlet_zh)}</span> "
            f"{h.text(a.outlet_en)} | {h.text(a.published or '?')} | <code>{h.text(a.seed.path.name)}</code> | {removed} | {changed} | {len(a.cleaned.repairs)} |")
    rules = "\n".join(f"- {h.text(r.reason)}" + (f" (fills <em>{h.text(str(r.meta))}</em>)" if r.meta else "") for r in ctx.rules)
    rules = "\n".join(dict.fromkeys(rules.split("\n")))
    template = (Path(__file__).parent / "templates" / "about.md").read_text(encoding="utf-8")
    return (template.replace("{{SOURCES}}", "\n".join(sources))
            .replace("{{RULES}}", rules)
            .replace("{{TERMS}}", str(sum(1 for t in ctx.lexicon.terms if t.kind == "glossary")))
            .replace("{{ENTITIES}}", str(sum(1 for t in ctx.lexicon.terms if t.kind == "entity"))))


ARTICLES_INDEX = """---
title: Articles
description: Every article of 百模志, newest first, with its outlet, date and translation status.
---

# Articles

{{ARTICLES}}
"""


def article_cards(articles: list[Article], base: str = "", newest_first: bool = False) -> str:
    """The list of article cards (home page: in the order given, oldest first; Articles index:
    newest first); links relative to `base`."""
    rows = []
    for a in (sorted(articles, key=lambda a: (a.published, a.slug), reverse=True) if newest_first else articles):
        c = a.counts
        total = sum(c.values())
        state = "translated" if c["translated"] == total else f'{c["translated"]}/{total} translated'
        rows.append(
            f'<li class="bm-card" data-article-card="{h.attr(a.slug)}"><a href="{h.attr(base + a.url)}">'
            f'<span class="bm-card-zh" lang="zh-Hans">{h.text(a.title_zh)}</span>'
            f'<span class="bm-card-en" lang="en">{h.text(a.title_en or "(English title pending)")}</span></a>'
            f'<span class="bm-card-meta"><time datetime="{h.attr(a.published)}">{h.text(human_date(a.published) if a.published else "undated")}</time>'
            f' · <span lang="zh-Hans">{h.text(a.outlet_zh)}</span>'
            f'{(" · " + h.text(a.outlet_en)) if a.outlet_en and a.outlet_en != a.outlet_zh else ""}'
            f' · {state} · {h.text(a.meta.status)}</span></li>')
    return '<ol class="bm-cards">\n' + "\n".join(rows) + "\n</ol>"


def articles_index(articles: list[Article], pdf: str = "") -> str:
    """articles/index.md: every article, so the Articles section opens on a list, not on one article
    (and the whole edition's PDF where it was printed)."""
    return ARTICLES_INDEX.replace("{{ARTICLES}}", article_cards(articles, "../", newest_first=True) + edition_line(pdf))


def site_nav(articles: list[Article]) -> list:
    """The site's navigation (MkDocs `nav`): fixed pages, and each article under its title, after
    the Articles index (with navigation.indexes, a section's first page is its index)."""
    return [{"Home": "index.md"},
            {"Articles": ["articles/index.md"] + [{a.title_en or a.title_zh: f"articles/{a.slug}/index.md"} for a in articles]},
            {"Glossary": "glossary/index.md"},
            {"Who’s who": "who/index.md"},
            {"Figures": "figures/index.md"},
            {"Timeline": "timeline/index.md"},
            {"My words": "my-words.md"},
            {"About this edition": ["about.md", {"House style": "style.md"}]}]
