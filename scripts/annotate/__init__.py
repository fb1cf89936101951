"""Stage 5 — annotate: Chinese text becomes HTML a reader can study.

In one pass over each sentence:
- repaired spans (from the clean stage) are marked and left otherwise alone;
- glossary terms and names link to their entries (the page's term table gives bm.js the pop-up:
  the surface word's own pinyin, then the entry's pinyin, English and definition);
- figures read by the number recogniser carry their English-scale reading;
- every Chinese word (jieba) carries its pinyin and, where it differs, its Traditional form, and is
  looked up in CC-CEDICT for the page's pop-up dictionary.
Longest match wins; nothing is annotated inside another annotation, a URL or a repair.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import html as h
from ..chinese import HAN_RE, MARK_CLOSE, MARK_OPEN, to_traditional
from ..ingest import Decision
from . import numbers, words
from .terms import Matcher, Term, load_terms, validate

_URL = re.compile(r"https?://[^\s，。）)]+|www\.[^\s，。）)]+")


@dataclass
class Lexicon:
    """The glossary and who's who as terms, with the matcher that finds their forms in text."""
    terms: list[Term]
    matcher: Matcher

    @property
    def names(self) -> tuple[str, ...]:
        """Every form of every who's who entry (their Traditional forms keep their words)."""
        return tuple(f for t in self.terms if t.kind == "entity" for f in t.forms if HAN_RE.search(f))

    @functools.cached_property
    def names_re(self):
        """One regex for every Chinese name form, longest first (None when there are none)."""
        return words.names_pattern(self.names)

    @classmethod
    def load(cls, data_dir: Path) -> "Lexicon":
        """Read data/glossary.yml and data/entities.yml, validate them and teach the word cutter their forms."""
        terms = load_terms(data_dir / "glossary.yml", "glossary") + load_terms(data_dir / "entities.yml", "entity")
        validate(terms)
        words.add_words(f for t in terms for f in t.forms)
        words.add_glossary((f, to_traditional(f), t.form_pinyin(f), t.en) for t in terms for f in t.forms)
        return cls(terms, Matcher(terms))

    def by_id(self) -> dict[str, Term]:
        """Each term by its id."""
        return {t.id: t for t in self.terms}


@dataclass
class Span:
    """A stretch [start, end) of the Chinese text to annotate, what kind it is and what it carries."""
    start: int
    end: int
    kind: str            # repair | term | number | url
    payload: object = None


@dataclass(frozen=True)
class ZhHtml:
    """A sentence's Chinese as page HTML, with its word offsets and the terms and figures it names."""
    html: str
    words: str     # the sentence's Chinese words as "gap:length" offsets, e.g. "2,1:3" (see bm.js)
    terms: tuple = ()      # the Terms it names, in order
    numbers: tuple = ()    # its figures as (index in the segment, Mention)


@dataclass
class PageAnnotations:
    """What one article's annotation produced: for the page, the JSON and the indexes."""
    dictionary: dict[str, list] = field(default_factory=dict)
    # word -> [pinyin] + words.hant_entry (its Taiwan and Hong Kong forms where they differ)
    words: dict[str, list] = field(default_factory=dict)
    # term id -> [zh, pinyin, English, first sentence of the definition]: the pop-ups' data
    terms: dict[str, list] = field(default_factory=dict)
    term_uses: list[tuple[str, str]] = field(default_factory=list)        # (term id, segment id)
    numbers: list[dict] = field(default_factory=list)


def parse_marks(marked: str, first_repair: int) -> tuple[str, list[tuple[int, int, int]]]:
    """Plain text and (start, end, repair index) spans.

    A repair may contain a sentence break (。科大讯飞), so a sentence can begin inside a repair
    opened in the sentence before (a close with no open) or end inside one (an open with no close).
    """
    plain, spans, start = [], [], None
    index = first_repair
    if MARK_CLOSE in marked and (MARK_OPEN not in marked or marked.index(MARK_CLOSE) < marked.index(MARK_OPEN)):
        start, index = 0, first_repair - 1
    for ch in marked:
        if ch == MARK_OPEN:
            start = len(plain)
        elif ch == MARK_CLOSE:
            spans.append((start, len(plain), index))
            index += 1
            start = None
        else:
            plain.append(ch)
    if start is not None:
        spans.append((start, len(plain), index))
    return "".join(plain), spans


class ZhAnnotator:
    """(marked sentence, index of its first repair) -> ZhHtml.

    Words are not wrapped one by one in the HTML: each sentence carries its jieba segmentation as
    compact offsets and the page one table of pinyin and Traditional forms, from which bm.js builds
    the word spans in the browser. Pages stay small and MkDocs parses a fraction of the tags."""

    def __init__(self, lexicon: Lexicon, repairs: list[Decision], page: PageAnnotations, glossary_base: str):
        self.lexicon = lexicon
        self.repairs = repairs
        self.page = page
        self.base = glossary_base      # relative path from the page to the site root
        self.segment_id = ""

    @property
    def segment_id(self) -> str:
        """The id of the segment being annotated (used in anchors and backlinks)."""
        return self._segment_id

    @segment_id.setter
    def segment_id(self, value: str) -> None:
        """A new segment: its figures are numbered from 0 (the English marks point at them)."""
        self._segment_id = value
        self._figures = 0

    def __call__(self, marked: str, first_repair: int) -> ZhHtml:
        self._tokens: list[tuple[int, int]] = []
        self._terms: list[Term] = []
        self._numbers: list[tuple[int, numbers.Mention]] = []
        text, repair_spans = parse_marks(marked, first_repair)
        spans = [Span(s, e, "repair", self.repairs[i]) for s, e, i in repair_spans if e > s]
        spans += [Span(m.start(), m.end(), "url") for m in _URL.finditer(text)]

        def free(s: int, e: int) -> bool:
            return all(e <= x.start or s >= x.end for x in spans)

        for s, e, term in self.lexicon.matcher.find(text):
            if free(s, e):
                spans.append(Span(s, e, "term", term))
        for m in numbers.find(text):
            if free(m.start, m.end):
                spans.append(Span(m.start, m.end, "number", m))
        spans.sort(key=lambda x: x.start)
        trad = words.hant_slices(text, self.lexicon.names_re)
        out, pos = [], 0
        for span in spans:
            out.append(self._words(text, pos, span.start, trad))
            out.append(self._span(text, span, trad))
            pos = span.end
        out.append(self._words(text, pos, len(text), trad))
        return ZhHtml("".join(out), encode_words(self._tokens), tuple(self._terms), tuple(self._numbers))

    def _span(self, text: str, span: Span, trad) -> str:
        inner_text = text[span.start:span.end]
        if span.kind == "url":
            return h.text(inner_text)
        if span.kind == "repair":
            return repair_span(span.payload, self._words(text, span.start, span.end, trad, lookup=False))
        if span.kind == "term":
            term: Term = span.payload
            self.page.term_uses.append((term.id, self.segment_id))
            self._terms.append(term)
            if term.id not in self.page.terms:
                self.page.terms[term.id] = [term.zh, term.pinyin, term.en, term.short_definition]
            inner = self._words(text, span.start, span.end, trad, lookup=False)
            if HAN_RE.search(inner_text):
                # the surface's own reading (科技巨头, not its entry's 大厂), and its own
                # dictionary entry where it is a word of its own (a glossary variant)
                reading = term.form_pinyin(inner_text)
                self.page.words[inner_text] = [reading] + self._hant(inner_text, span.start, trad, reading)
                if inner_text != term.zh and term.kind == "glossary" and inner_text not in self.page.dictionary:
                    own = words.cedict_entries(inner_text)
                    if own:
                        self.page.dictionary[inner_text] = [list(e) for e in own]
            cls = "gl" if term.kind == "glossary" else "gl ent"
            return f'<a class="{cls}" href="{self.base}{term.page}/#{term.id}" data-term="{term.id}">{inner}</a>'
        m: numbers.Mention = span.payload
        self.page.numbers.append({"segment": self.segment_id, "text": m.text, "value": m.value,
                                  "value_high": m.value_high, "unit": m.unit, "approx": m.approx})
        index = self._figures
        self._figures += 1
        self._numbers.append((index, m))
        inner = self._words(text, span.start, span.end, trad, lookup=False)
        return f'<span class="num" data-x="{index}" data-en="{h.attr(numbers.english(m))}">{inner}</span>'

    def _hant(self, word: str, pos: int, trad: dict, pinyin: str) -> list[str]:
        """The word's Taiwan and Hong Kong forms (words.hant_entry), cut from its sentence's
        conversion where that kept its length, else converted alone."""
        forms = [trad[std][pos:pos + len(word)] if trad.get(std) else words.hant_text(word, std, self.lexicon.names_re)
                 for std in ("tw", "hk")]
        return words.hant_entry(word, *forms, pinyin)

    def _words(self, text: str, start: int, end: int, trad, lookup: bool = True) -> str:
        """The text as escaped HTML; its Chinese words are recorded for the page's word table."""
        if start >= end:
            return ""
        chunk = text[start:end]
        pos = start
        for w in words.cut(chunk):
            if HAN_RE.search(w):
                self._tokens.append((pos, len(w)))
                if w not in self.page.words:
                    reading = words.pinyin_of(w)
                    self.page.words[w] = [reading] + self._hant(w, pos, trad, reading)
                if lookup and w not in self.page.dictionary:
                    entries = words.lookup(w)
                    if entries:
                        self.page.dictionary[w] = [list(e) for e in entries]
            pos += len(w)
        return h.text(chunk)


def repair_span(repair, inner_html: str) -> str:
    """A repaired span whose pop-up (bm.js) shows the scrape's original, the note and the byte evidence. A repair nobody has reviewed yet (proposed
    from the bytes) and damage left as it is (flagged) carry their own class, so a draft shows them."""
    status = getattr(repair, "status", "reviewed")
    evidence = getattr(repair, "evidence", "")
    if status == "proposed":
        tip, cls = f"Proposed repair, not yet reviewed: the scrape has “{repair.text}” here. {repair.note}", "repair unreviewed"
    elif status == "flagged":
        tip, cls = f"Possible damage, left as it is: {repair.note}", "repair flagged"
    else:
        tip, cls = f"Repaired: the scrape has “{repair.text}” here. {repair.note}", "repair"
        if evidence:
            tip += f" Bytes: {evidence}"
    return (f'<span class="{cls}" data-garbled="{h.attr(repair.text)}" data-note="{h.attr(tip)}">'
            f'{inner_html}</span>')


def encode_words(tokens: list[tuple[int, int]]) -> str:
    """[(0, 2), (2, 1), (4, 3)] -> "2,1,1:3": each word as its length, after "gap:" if text lies between."""
    out, last = [], 0
    for start, length in tokens:
        gap = start - last
        out.append(f"{gap}:{length}" if gap else str(length))
        last = start + length
    return ",".join(out)
