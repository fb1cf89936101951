"""Stage 3 — segment: cleaned lines become headings, paragraphs and captions, split into sentences.

Ids are content hashes (`p-3f9a2c1b`): the same text gets the same id on every build, and editing
one paragraph leaves every other id alone. The align stage later lets a segment whose text was
edited keep the id of the translation it matches, so translations survive edits too.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from .chinese import MARK_OPEN, strip_marks
from .clean import Change, Cleaned
from .ingest import Meta

KINDS = ("heading", "paragraph", "caption")
TITLE_WITHIN = 6      # the title line is looked for among the first lines
HEADING_MAX = 32
_HEADING_BULLET = re.compile(r"^[▌■●◆▍★]+\s*")
_CAPTION = re.compile(r"^[（(][^（）()]+[）)]$")
_SENTENCE = re.compile(r".*?(?:[。！？…]+[”’」』）)]*|$)", re.S)
_END_PUNCT = tuple("。！？…；：，、”\"")


@dataclass(frozen=True)
class Segment:
    """A heading or paragraph of an article: stable id, kind, text (repair marks kept), its sentences
    and its line in the seed.
    """
    id: str
    kind: str
    text: str                    # may hold repair marks
    sentences: tuple[str, ...]   # split of `text`, marks kept
    line: int                    # line in the seed
    repair_start: int = 0        # index of this segment's first repair in the article's list

    @property
    def plain(self) -> str:
        """The text without repair marks."""
        return strip_marks(self.text)


def split_sentences(text: str) -> tuple[str, ...]:
    """一句。二句！“三句？”四 -> ('一句。', '二句！', '“三句？”', '四')"""
    parts = [m.group(0) for m in _SENTENCE.finditer(text) if m.group(0).strip()]
    merged: list[str] = []
    for part in parts:
        # a lone closing quote or bracket belongs to the sentence before it
        if merged and re.fullmatch(r"[”’」』）)\s]+", part):
            merged[-1] += part
        else:
            merged.append(part)
    return tuple(p.strip() for p in merged) or (text,)


def classify(text: str, overrides: tuple[tuple[str, str], ...], hint: str = "") -> tuple[str, str]:
    """Return (kind, text without heading bullets). `hint` is what the seed's markup says (Markdown/HTML)."""
    plain = strip_marks(text)
    for prefix, kind in overrides:
        if plain.startswith(prefix):
            return kind, text
    if hint in ("heading", "caption"):
        return hint, _HEADING_BULLET.sub("", text) if hint == "heading" else text
    if _HEADING_BULLET.match(text):
        return "heading", _HEADING_BULLET.sub("", text)
    if _CAPTION.match(plain):
        return "caption", text
    if len(plain) <= HEADING_MAX and not plain.endswith(_END_PUNCT) and "。" not in plain:
        return "heading", text
    return "paragraph", text


def segment_id(kind: str, plain: str) -> str:
    """A segment's id: its kind's initial and a digest of its text (p-3f2a9c1d)."""
    return f"{kind[0]}-{hashlib.sha1(plain.encode('utf-8')).hexdigest()[:8]}"


@dataclass(frozen=True)
class Segmented:
    """An article as segments, with its Chinese title."""
    title: str
    segments: tuple[Segment, ...]


def segment(cleaned: Cleaned, meta: Meta) -> Segmented:
    """Turn cleaned lines into headings and paragraphs with stable ids and sentences; the title line
    (and a clipper's copy of it) becomes the page header, not a segment.
    """
    lines = list(cleaned.lines)
    title = meta.title.zh or cleaned.extracted.get("title", "")
    # The article's own title line becomes the page header, not a segment; so does a copy of it at
    # the head (a clipper writes the page's title, then the article's own heading).
    if title:
        copies = [i for i, item in enumerate(lines[:TITLE_WITHIN]) if strip_marks(item.text) == title]
        for n, i in enumerate(copies):
            cleaned.report.append(Change(lines[i].line, "removed", lines[i].text, "",
                                         "article title (shown in the header)" if n == 0 else "the article title again"))
        lines = [item for i, item in enumerate(lines) if i not in copies]
    elif lines:
        first_kind, _ = classify(lines[0].text, meta.kinds, lines[0].kind)
        if first_kind == "heading":
            title = strip_marks(lines[0].text)
            cleaned.report.append(Change(lines[0].line, "removed", lines[0].text, "", "article title (first heading)"))
            del lines[0]
    seen: dict[str, int] = {}
    segments = []
    repairs = 0
    for item in lines:
        kind, text = classify(item.text, meta.kinds, item.kind)
        plain = strip_marks(text)
        base = segment_id(kind, plain)
        seen[base] = seen.get(base, 0) + 1
        sid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        sentences = split_sentences(text) if kind == "paragraph" else (text,)
        segments.append(Segment(sid, kind, text, sentences, item.line, repairs))
        repairs += text.count(MARK_OPEN)
    return Segmented(title, tuple(segments))
