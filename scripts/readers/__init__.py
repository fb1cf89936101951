"""Readers: one per input form, all returning the same small `Document`.

A seed may be plain text, Markdown (a web clip, with or without YAML front matter) or a saved HTML
page. The form is recognised from the content (`detect_format`), the file's extension only breaking
a tie. Each reader turns the seed into blocks of visible text — markup, link targets, images and
comments never reach a block — and collects metadata candidates, each with the evidence it was read
from. What is body and what is furniture is decided later, the same way for every form
(`scripts/chrome.py`).

    >>> detect_format("a.txt", "第一段。\\n第二段。")[0]
    'text'
    >>> detect_format("a.txt", "---\\ntitle: 标题\\n---\\n# 标题\\n正文。")[0]
    'markdown'
    >>> detect_format("a.html", "<!DOCTYPE html><html><body><p>正文。</p></body></html>")[0]
    'html'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

FORMATS = ("text", "markdown", "html")
KINDS = ("heading", "paragraph", "list", "quote", "caption", "code", "table")


class ReaderLimit(ValueError):
    """A seed beyond what its reader takes safely (markup dense or deep enough to stall the parser or
    make it drop text): the caller turns it into one line naming the file."""

    def __init__(self, message: str, line: int | None, remedy: str):
        super().__init__(message)
        self.message, self.line, self.remedy = message, line, remedy


@dataclass(frozen=True)
class Block:
    """A unit of visible text: one line of a plain-text seed, one paragraph line of Markdown or HTML."""
    line: int             # 1-based line in the seed where the block's text stands (or starts)
    text: str             # visible text only, stripped
    kind: str = ""        # one of KINDS, or "" when the form does not say (plain text)
    link_chars: int = 0   # how many of the text's characters are link text
    level: int = 0        # heading level (1-6) when kind == "heading"
    last: int = 0         # the last seed line the text spans, when it spans several (a hard-wrapped paragraph)


@dataclass(frozen=True)
class Candidate:
    """A metadata value the seed suggests, with where it was read."""
    field: str            # title | outlet | authors | editors | published | site_date | url | …
    value: str
    source: str           # front matter | page metadata | htmldate | heading | byline | dateline | …
    evidence: str         # the field or the line it was read from
    line: int = 0         # seed line, when there is one


@dataclass(frozen=True)
class Document:
    """A seed read in its format: the format, why it was recognised, its blocks and the metadata
    candidates the format itself carries (front matter, HTML meta).
    """
    format: str                              # one of FORMATS
    why: str                                 # how the format was recognised
    blocks: tuple[Block, ...]
    candidates: tuple[Candidate, ...] = ()


# ---------------------------------------------------------------- recognising the form

_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])",
                         re.I | re.S)
_HTML_TAG = re.compile(r"</?(?:div|p|span|a|section|article|br|img|body|script|meta|h[1-6]|li|ul)\b[^<>]*>", re.I)

# Markdown signals: (name, pattern over the whole text, weight). Lines of plain Chinese scrapes
# match none of them: they use no #, no [text](target), no ** and no underlines of = or -. No
# pattern scans past the next opener of its kind: a line of a million "[" or "<!--" costs linear time.
MARKDOWN_SIGNALS = (
    ("ATX heading", re.compile(r"^#{1,6}[ \t]+\S", re.M), 2),
    ("Setext underline", re.compile(r"^(?=[^\n]*\S)[^\n]+\n(?:=+|-{2,})[ \t]*$", re.M), 2),
    ("link", re.compile(r"\[[^\[\]\n]*\]\((?:[^()\s]|\([^()\s]*\))+(?:\s+\"[^\"\n]*\")?\)"), 2),
    ("image", re.compile(r"!\[[^\[\]\n]*\]\([^()\n]+\)"), 3),
    ("strong emphasis", re.compile(r"(\*\*|__)(?=\S)(?:(?!\1)[^\n])+?(?<=\S)\1"), 1),
    ("block quote", re.compile(r"^>[ \t]?\S", re.M), 1),
    ("list item", re.compile(r"^[ \t]{0,3}(?:[-*+]|\d{1,3}[.)])[ \t]+\S", re.M), 1),
    ("fenced code", re.compile(r"^(?:```|~~~)", re.M), 2),
    ("reference link", re.compile(r"^\[[^\]\n]+\]:[ \t]*\S", re.M), 2),
    ("HTML comment", re.compile(r"<!--(?:(?!<!--).)*?-->", re.S), 1),
)
MARKDOWN_MIN_SCORE = 6            # sum of weight × occurrences (at most 3 each) that makes a text Markdown
SIGNAL_MAX_COUNT = 3
FRONT_MATTER = re.compile(r"\A\ufeff?(?:[ \t]*\n)*---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)


def markdown_signals(text: str) -> dict[str, int]:
    """Markdown constructs present in a text, each with how often it occurs (counted up to 3)."""
    found = {}
    for name, pattern, _ in MARKDOWN_SIGNALS:
        n = sum(1 for _, __ in zip(range(SIGNAL_MAX_COUNT), pattern.finditer(text)))
        if n:
            found[name] = n
    return found


def markdown_score(signals: dict[str, int]) -> int:
    """How strongly the constructs found say "Markdown".

    >>> markdown_score({"link": 1, "strong emphasis": 1}), markdown_score({"ATX heading": 2, "image": 3})
    (3, 13)
    """
    weights = {name: w for name, _, w in MARKDOWN_SIGNALS}
    return sum(weights[name] * n for name, n in signals.items())


def detect_format(name: str, text: str) -> tuple[str, str]:
    """(format, why) from the content; the extension only decides when the content is silent.

    A page is HTML when it starts as an HTML document (or is named .html and has tags); a text is
    Markdown when it opens with YAML front matter or uses enough Markdown constructs (a stray `**`
    or one bracketed link in a plain scrape is not enough), or is named .md.
    """
    if _HTML_START.match(text[:4096]):
        return "html", "starts as an HTML document"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    tags = len(_HTML_TAG.findall(text[:200_000]))
    if ext in ("html", "htm") and tags:
        return "html", f"extension .{ext}; {tags} HTML tags"
    signals = markdown_signals(text)
    listed = ", ".join(signals)
    if FRONT_MATTER.match(text):
        return "markdown", "YAML front matter" + (f"; {listed}" if signals else "")
    if markdown_score(signals) >= MARKDOWN_MIN_SCORE:
        return "markdown", listed
    if ext in ("md", "markdown"):
        return "markdown", "extension .md" + (f"; {listed}" if signals else "")
    return "text", "no markup" if not signals else f"plain text ({listed}: too few to be Markdown)"


# ---------------------------------------------------------------- one interface

def read_document(name: str, text: str) -> Document:
    """Recognise the form and read the text with the matching reader."""
    return _read_cached(name, text)


@lru_cache(maxsize=16)
def _read_cached(name: str, text: str) -> Document:
    from . import html, markdown, text as plain
    fmt, why = detect_format(name, text)
    reader = {"text": plain.read, "markdown": markdown.read, "html": html.read}[fmt]
    blocks, candidates = reader(text)
    return Document(fmt, why, tuple(blocks), tuple(candidates))


# ---------------------------------------------------------------- shared helpers for the readers

_DATE_PATTERNS = (
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"),
    re.compile(r"(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)\b"),
    re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})月?(?!\d)"),
)


def normalise_date(value) -> str:
    """A date in any common spelling as YYYY-MM-DD (or YYYY-MM); "" when it is not a date.

    >>> normalise_date("2023年7月23日 10:00"), normalise_date("2024/1/5"), normalise_date("2024-12")
    ('2023-07-23', '2024-01-05', '2024-12')
    >>> normalise_date("1690070400"), normalise_date("昨天")
    ('', '')
    """
    text = str(value or "").strip()[:80]
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        y, mo = int(m.group("y")), int(m.group("m"))
        d = int(m.groupdict().get("d") or 0)
        if not 1 <= mo <= 12 or d > 31 or (m.groupdict().get("d") is not None and d < 1):
            continue
        return f"{y:04d}-{mo:02d}" + (f"-{d:02d}" if d else "")
    return ""


def bounded(value, limit: int = 200) -> str:
    """A metadata value as one short line of text (scrapes may hold anything)."""
    text = " ".join(str(value).split())
    return text[:limit]
