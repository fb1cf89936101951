"""Stage 4 — align: pair each segment with its entry in the translation memory (NAME.en.yml).

The memory is keyed by segment id and holds the Chinese it was translated from, sentence by
sentence, so nothing is lost when the Chinese moves:

- same id and same Chinese          -> translated
- text edited (id no longer found)  -> the closest unclaimed entry keeps its id; status stale
- no entry                          -> pending
- entries that match no segment     -> reported as orphans, never deleted

The build only reads the memory. `python -m scripts sync ID` and `accept` write it
(scripts/memory_edit.py), touching nothing but their own entries.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from pathlib import Path

from .segment import Segment

STALE_MATCH = 0.5        # similarity above which an edited segment keeps its old translation
STATUSES = ("translated", "stale", "pending")


@dataclass(frozen=True)
class Note:
    """A translator's note, shown as a footnote."""
    text: str
    after: str = ""      # English phrase the footnote mark follows; empty: end of segment


@dataclass(frozen=True)
class Waiver:
    """A QA exception for a text, with the reason."""
    rule: str
    text: str
    reason: str


@dataclass(frozen=True)
class Entry:
    """One segment's translation: its Chinese sentences, their English, notes and waivers."""
    id: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    notes: tuple[Note, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    line: int = 0
    was: tuple[str, ...] = ()   # ids it had before `accept` moved it to edited Chinese (old links)

    @property
    def source(self) -> str:
        """The Chinese it was translated from."""
        return "".join(self.zh)

    @property
    def done(self) -> bool:
        """Every sentence has English."""
        return all(e.strip() for e in self.en) and bool(self.en)


@dataclass(frozen=True)
class Memory:
    """A seed's translation memory (NAME.en.yml)."""
    path: Path
    entries: tuple[Entry, ...] = ()

    def by_id(self) -> dict[str, Entry]:
        """The entries by segment id."""
        return {e.id: e for e in self.entries}


def load_memory(path: Path) -> Memory:
    """The translation memory NAME.en.yml, checked against scripts/schema (files.MEMORY); empty when
    there is none."""
    from . import schema
    if not path.exists():
        return Memory(path)
    data = schema.load(path, schema.files.MEMORY)
    return Memory(path, tuple(
        Entry(item["id"], tuple(p["zh"] for p in item["pairs"]), tuple(p["en"] for p in item["pairs"]),
              tuple(Note(n) if isinstance(n, str) else Note(n["text"], n["after"]) for n in item["notes"]),
              tuple(Waiver(w["rule"], w["text"], w["reason"]) for w in item["waive"]), item.line,
              tuple(item.get("was") or ()))
        for item in data["segments"]))


@dataclass(frozen=True)
class Aligned:
    """One segment with the memory entry that translates it (None when pending) and its status."""
    segment: Segment
    entry: Entry | None
    status: str


@dataclass(frozen=True)
class Alignment:
    """Every segment of an article aligned, and the memory entries no segment claimed (orphans)."""
    items: tuple[Aligned, ...]
    orphans: tuple[Entry, ...]

    def counts(self) -> dict[str, int]:
        """How many segments are translated, stale and pending."""
        out = {s: 0 for s in STATUSES}
        for item in self.items:
            out[item.status] += 1
        return out


def align(segments: tuple[Segment, ...], memory: Memory) -> Alignment:
    """Match segments to memory entries: by id, then by identical text under another id, then by
    the closest unclaimed entry of the same kind (its translation kept, marked stale).
    """
    entries = memory.by_id()
    claimed: set[str] = set()
    result: list[Aligned | None] = [None] * len(segments)
    # 1. same id
    for i, seg in enumerate(segments):
        entry = entries.get(seg.id)
        if entry:
            claimed.add(entry.id)
            result[i] = Aligned(seg, entry, _status(seg, entry))
    # 2. same text under another id (a duplicate's suffix moved)
    by_text = {}
    for e in memory.entries:
        by_text.setdefault(e.source, []).append(e)
    for i, seg in enumerate(segments):
        if result[i] is None:
            for e in by_text.get(seg.plain, []):
                if e.id not in claimed:
                    claimed.add(e.id)
                    result[i] = Aligned(replace(seg, id=e.id), e, _status(seg, e))
                    break
    # 3. edited text: best fuzzy match among unclaimed entries of the same kind
    free = [e for e in memory.entries if e.id not in claimed]
    candidates = []
    for i, seg in enumerate(segments):
        if result[i] is not None:
            continue
        for e in free:
            if e.id[0] != seg.kind[0]:
                continue
            matcher = difflib.SequenceMatcher(None, seg.plain, e.source, autojunk=False)
            if matcher.real_quick_ratio() < STALE_MATCH or matcher.quick_ratio() < STALE_MATCH:
                continue
            ratio = matcher.ratio()
            if ratio >= STALE_MATCH:
                candidates.append((-ratio, i, e.id))
    for _, i, eid in sorted(candidates):
        if result[i] is None and eid not in claimed:
            claimed.add(eid)
            result[i] = Aligned(replace(segments[i], id=eid), entries[eid], "stale")
    for i, seg in enumerate(segments):
        if result[i] is None:
            result[i] = Aligned(seg, None, "pending")
    orphans = tuple(e for e in memory.entries if e.id not in claimed)
    return Alignment(tuple(result), orphans)


def _status(seg: Segment, entry: Entry) -> str:
    if entry.source != seg.plain:
        return "stale"
    return "translated" if entry.done else "pending"
