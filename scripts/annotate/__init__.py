"""Stage 5 — annotate: Chinese text becomes HTML a reader can study.

In one pass over each sentence:
- repaired spans (from the clean stage) are marked and left otherwise alone;
- glossary terms and names link to their entries, with a tooltip (pinyin · English · definition);
- figures read by the number recogniser carry their English-scale reading;
- every Chinese word (jieba) carries its pinyin and, where it differs, its Traditional form, and is
  looked up in CC-CEDICT for the page's pop-up dictionary.
Longest match wins; nothing is annotated inside another annotation, a URL or a repair.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import html as h
from ..chinese import HAN_RE, MARK_CLOSE, MARK_OPEN
from ..ingest import Decision
from ..render import repair_span
from . import numbers, words
from .terms import Matcher, Term, load_terms, validate

_URL = re.compile(r"https?://[^\s，。）)]+|www\.[^\s，。）)]+")


@dataclass
class Lexicon:
    terms: list[Term]
    matcher: Matcher

    @classmethod
    def load(cls, data_dir: Path) -> "Lexicon":
        terms = load_terms(data_dir / "glossary.yml", "glossary") + load_terms(data_dir / "entities.yml", "entity")
        validate(terms)
        words.add_words(f for t in terms for f in t.forms)
        return cls(terms, Matcher(terms))

    def by_id(self) -> dict[str, Term]:
        return {t.id: t for t in self.terms}


@dataclass
class Span:
    start: int
    end: int
    kind: str            # repair | term | number | url
    payload: object = None


@dataclass(frozen=True)
class ZhHtml:
    html: str
    words: str     # the sentence's Chinese words as "gap:length" offsets, e.g. "2,1:3" (see bm.js)


@dataclass
class PageAnnotations:
    """What one article's annotation produced: for the page, the JSON and the indexes."""
    dictionary: dict[str, list] = field(default_factory=dict)
    words: dict[str, list] = field(default_factory=dict)                  # word -> [pinyin, traditional]
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

    def __call__(self, marked: str, first_repair: int) -> ZhHtml:
        self._tokens: list[tuple[int, int]] = []
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
        trad = words.traditional_slices(text)
        out, pos = [], 0
        for span in spans:
            out.append(self._words(text, pos, span.start, trad))
            out.append(self._span(text, span, trad))
            pos = span.end
        out.append(self._words(text, pos, len(text), trad))
        return ZhHtml("".join(out), encode_words(self._tokens))

    def _span(self, text: str, span: Span, trad) -> str:
        inner_text = text[span.start:span.end]
        if span.kind == "url":
            return h.text(inner_text)
        if span.kind == "repair":
            return repair_span(span.payload, self._words(text, span.start, span.end, trad, lookup=False))
        if span.kind == "term":
            term: Term = span.payload
            self.page.term_uses.append((term.id, self.segment_id))
            inner = self._words(text, span.start, span.end, trad, lookup=False)
            cls = "gl" if term.kind == "glossary" else "gl ent"
            py = f' data-py="{h.attr(term.pinyin)}"' if inner_text == term.zh and term.pinyin else ""
            return (f'<a class="{cls}" href="{self.base}{term.page}/#{term.id}" data-term="{term.id}"{py} '
                    f'title="{h.attr(term.tooltip())}">{inner}</a>')
        m: numbers.Mention = span.payload
        self.page.numbers.append({"segment": self.segment_id, "text": m.text, "value": m.value,
                                  "value_high": m.value_high, "unit": m.unit, "approx": m.approx})
        inner = self._words(text, span.start, span.end, trad)
        return (f'<span class="num" tabindex="0" title="{h.attr(numbers.english(m))}" '
                f'data-unit="{h.attr(m.unit or "")}">{inner}</span>')

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
                    t = trad[pos:pos + len(w)] if trad else words.to_traditional(w)
                    self.page.words[w] = [words.pinyin_of(w), t if t != w else ""]
                if lookup and w not in self.page.dictionary:
                    entries = words.lookup(w)
                    if entries:
                        self.page.dictionary[w] = [list(e) for e in entries]
            pos += len(w)
        return h.text(chunk)


def encode_words(tokens: list[tuple[int, int]]) -> str:
    """[(0, 2), (2, 1), (4, 3)] -> "2,1,1:3": each word as its length, after "gap:" if text lies between."""
    out, last = [], 0
    for start, length in tokens:
        gap = start - last
        out.append(f"{gap}:{length}" if gap else str(length))
        last = start + length
    return ",".join(out)
