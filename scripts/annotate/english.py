"""The English side of a segment, annotated like the Chinese: glossary terms and names link to their
entries, figures are marked, translator's notes are numbered where they belong.

Only what the paired Chinese holds is looked for: a term is linked in the English where the
segment's Chinese names it (by its preferred rendering or a listed variant, as the QA's terms rule
accepts), and a figure is marked where it states a value the number recogniser read in the
segment's Chinese (the QA's English number reading, `qa.english_values`), so a stray "one" or
"bet" elsewhere is left alone. Each marked figure carries the index of its Chinese twin.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .. import html as h
from . import numbers
from .terms import Term

_NUM = r"\d[\d,]*(?:\.\d+)?"
_CUR = r"(?:RMB|US\$|HK\$|\$|¥)\s?"
_PCT = r"\s?(?:%|percent\b|per cent\b)"
_RANGE = r"\s?[–—-]\s?"
_SCALE = r"\s(?:trillion|billion|million|thousand)\b"
_MONTHS = "|".join(m for m in numbers.MONTHS) + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\."
_SMALL = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# Candidates, longest forms first: dates, then amounts (currency, range, scale, unit), then the
# small whole numbers house style spells out.
FIGURE = re.compile(
    rf"\b(?:{_MONTHS})(?:\s\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s(?:19|20)\d\d)?\b"
    rf"|(?<![\w.])(?:{_CUR})?{_NUM}(?:{_PCT})?(?:{_RANGE}(?:{_CUR})?{_NUM}(?:{_PCT})?)?(?:{_SCALE})?"
    rf"(?:\s?-?fold\b|\stimes\b|\s(?:yuan|US dollars|dollars)\b)?(?![\w])"
    rf"|\b(?:{'|'.join(_SMALL)})(?:-?fold\b|\stimes\b)?(?![\w-])", re.I)


@dataclass(frozen=True)
class Span:
    """A stretch [start, end) of the English to link: a term it renders or a figure it states."""
    start: int
    end: int
    kind: str            # term | number
    payload: object      # Term, or the index of the Chinese figure


# Case and hyphens folded one character for one, so offsets in the folded text are offsets in the text.
_FOLD = str.maketrans({**{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)}, "-": " ", "–": " ", "’": "'"})


@lru_cache(maxsize=8192)
def _fold(option: str) -> str:
    return " ".join(option.translate(_FOLD).split())


def _edge(text: str, i: int) -> bool:
    """Is offset i outside a word (not a letter, digit or hyphen)?"""
    return i < 0 or i >= len(text) or not (text[i].isalnum() or text[i] in "-–_")


def occurrences(text: str, option: str, folded: str | None = None) -> list[tuple[int, int]]:
    """Where one rendering occurs: any case, a space or a hyphen alike, straight or curly
    apostrophes, an optional plural -s/-es; whole words only (not the "raising" of "fund-raising").

    >>> occurrences("Tech giants and a tech-giant; fund-raising", "tech giant")
    [(0, 11), (18, 28)]
    """
    folded = text.translate(_FOLD) if folded is None else folded
    needle, out = _fold(option), []
    if not needle:
        return out
    k = folded.find(needle)
    while k != -1:
        end = k + len(needle)
        if needle[-1].isalpha():
            for plural in ("es", "s"):
                if folded.startswith(plural, end) and _edge(text, end + len(plural)):
                    end += len(plural)
                    break
        if _edge(text, k - 1) and _edge(text, end):
            out.append((k, end))
        k = folded.find(needle, k + 1)
    return out


def find_terms(text: str, terms: list[Term]) -> list[Span]:
    """Where the English renders the given terms: longest first, never overlapping."""
    hits, folded = [], text.translate(_FOLD)
    for t in terms:
        for option in dict.fromkeys((t.en,) + t.variants):
            hits += [(s, e, t) for s, e in occurrences(text, option, folded)]
    hits.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    taken: list[Span] = []
    for s, e, t in hits:
        if all(e <= x.start or s >= x.end for x in taken):
            taken.append(Span(s, e, "term", t))
    return taken


def _is_date_like(candidate: str) -> bool:
    return bool(re.search(rf"\b(?:{_MONTHS})", candidate, re.I)) or bool(re.fullmatch(r"(?:19|20)\d\d", candidate))


def matches(candidate: str, mention: numbers.Mention) -> bool:
    """Does an English figure state the Chinese figure's value (the QA's reading of the English)?"""
    from .. import qa
    if mention.unit == "date":
        return _is_date_like(candidate) and qa.date_present(str(mention.value), candidate)
    if mention.qualifier == "several" or not isinstance(mention.value, (int, float)):
        return False
    if _is_date_like(candidate):
        return False
    values = qa.english_values(candidate)
    wanted = [mention.value] + ([mention.value_high] if mention.value_high is not None else [])
    return any(qa._has(values, v) for v in wanted)


def find_numbers(text: str, mentions: list[numbers.Mention], taken: list[Span], paired: set[int]) -> list[Span]:
    """English figures that state one of the Chinese `mentions` not yet `paired` (indexes into
    mentions, updated), outside the `taken` spans."""
    out = []
    for m in FIGURE.finditer(text):
        s, e = m.span()
        if s == e or any(s < x.end and x.start < e for x in taken):
            continue
        for i, mention in enumerate(mentions):
            if i not in paired and matches(m.group(0), mention):
                paired.add(i)
                out.append(Span(s, e, "number", i))
                break
    return out


def note_offset(text: str, after: str) -> int | None:
    """Where a translator's note mark goes: just after the phrase `after`, if the text has it."""
    if not after:
        return None
    k = text.find(after)
    return None if k == -1 else k + len(after)


def to_html(text: str, spans: list[Span], inserts: list[tuple[int, str]], base: str,
            mentions: list[numbers.Mention]) -> str:
    """The sentence as escaped HTML with its spans, and `inserts` (offset, HTML) placed at their
    offsets (moved past a span they would split)."""
    spans = sorted(spans, key=lambda x: x.start)
    moved = []
    for pos, html in inserts:
        for x in spans:
            if x.start < pos < x.end:
                pos = x.end
        moved.append((pos, html))
    cuts = sorted({0, len(text), *(x.start for x in spans), *(x.end for x in spans), *(p for p, _ in moved)})
    out = []
    for a, b in zip(cuts, cuts[1:] + [None]):
        out += [html for p, html in moved if p == a]
        if b is None:
            break
        opening = next((x for x in spans if x.start == a), None)
        if opening is not None:
            out.append(_open(opening, base, mentions))
        out.append(h.text(text[a:b]))
        if any(x.end == b for x in spans):
            out.append("</a>" if next(x for x in spans if x.end == b).kind == "term" else "</span>")
    return "".join(out)


def _open(span: Span, base: str, mentions: list[numbers.Mention]) -> str:
    if span.kind == "term":
        t: Term = span.payload
        cls = "gl" if t.kind == "glossary" else "gl ent"
        return f'<a class="{cls}" href="{base}{t.page}/#{t.id}" data-term="{t.id}">'
    m = mentions[span.payload]
    return (f'<span class="num" data-x="{span.payload}" data-en="{h.attr(numbers.english(m))}" '
            f'data-zh="{h.attr(m.text)}">')


def annotate(sentences: list[str], notes: list[tuple[int, str]], terms: list[Term],
             mentions: list[numbers.Mention], base: str) -> tuple[list[str], list[int]]:
    """Each English sentence as HTML, and the sentence each note's mark went into. `notes`: (mark
    HTML, `after` phrase) in order; a note whose phrase is not found goes at the end of the last
    sentence. `terms` and `mentions`: what the segment's Chinese holds."""
    inserts: list[list[tuple[int, str]]] = [[] for _ in sentences]
    placed = []
    for mark, after in notes:
        for i, s in enumerate(sentences):
            k = note_offset(s, after)
            if k is not None:
                inserts[i].append((k, mark))
                placed.append(i)
                break
        else:
            if sentences:
                inserts[-1].append((len(sentences[-1]), mark))
                placed.append(len(sentences) - 1)
    out, paired = [], set()
    for i, s in enumerate(sentences):
        spans = find_terms(s, terms)
        spans += find_numbers(s, mentions, spans, paired)
        out.append(to_html(s, spans, inserts[i], base, mentions))
    return out, placed
