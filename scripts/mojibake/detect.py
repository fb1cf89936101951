"""The scan: every proved repair and every unexplained never-text character in a line or an article,
and the rarity table ingest uses to tell which legacy encoding reads a file as ordinary text.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from ..cache import Cache
from ..chinese import char_to_simplified
from ..paths import atomic_write
from .codec import NEVER_TEXT, _MARK, signals_in
from .finding import Facts, Finding, apply, article_facts, quotes_balanced
from .proof import _Prover

CACHE_DIR = Cache().lib   # library indexes, not build output


# ---------------------------------------------------------------- the scan

def scan_line(text: str, number: int, facts: Facts | None = None) -> list[Finding]:
    """Every proved repair and every unexplained never-text character in one line, in text order."""
    found: list[Finding] = []
    taken_until = 0
    for mark in _MARK.finditer(text):
        if mark.start() < taken_until:
            continue
        f = _Prover(text, mark, facts or article_facts(text)).prove(number)
        if f:
            found.append(f)
            taken_until = f.end
    if found and not quotes_balanced(apply(text, found)) and quotes_balanced(text):
        found = [replace(f, evidence=f.evidence + "; the line's quotation marks do not balance once repaired")
                 if f.fixed and any(q in f.fixed for q in "“”") else f for f in found]
    for m in NEVER_TEXT.finditer(text):
        if any(f.start <= m.start() < f.end for f in found):
            continue
        kind = "replacement" if m.group() == "\ufffd" else ("private-use" if "\ue000" <= m.group() <= "\uf8ff" else "control")
        found.append(Finding(number, m.start(), m.end(), m.group(), None, kind, signals_in(m.group()),
                             f"U+{ord(m.group()):04X} is never text and no out-of-step reading explains it"))
    found.sort(key=lambda f: (f.start, f.end))
    return found


def scan(text: str) -> list[Finding]:
    """scan_line over every line of an article (lines numbered from 1, stripped as clean does)."""
    out, facts = [], article_facts(text)
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.replace("\u00a0", " ").strip()
        if raw:
            out.extend(scan_line(raw, number, facts))
    return out


def flag_line(text: str, line: int) -> list[Finding]:
    """scan_line under its old name (the benchmark picks paragraphs without findings with it)."""
    return scan_line(text, line)


# ---------------------------------------------------------------- rarity (still used to diagnose wrong encodings)

RARE_BELOW = 300   # summed jieba frequency under which a Han character counts as rare


@lru_cache(maxsize=1)
def han_frequency() -> dict[str, int]:
    """How often each character occurs in jieba's dictionary (summed word frequencies).

    Summing 350,000 words takes a moment, so the table is kept in .cache/, keyed by the dictionary."""
    import json
    from importlib.util import find_spec
    source = os.path.join(os.path.dirname(find_spec("jieba").origin), "dict.txt")
    stat = os.stat(source)
    cache = CACHE_DIR / f"hanfreq-{stat.st_size}-{int(stat.st_mtime)}.json"
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    counts: Counter = Counter()
    with open(source, encoding="utf-8") as fh:
        for row in fh:
            word, freq = row.split(" ", 2)[:2]
            n = int(freq)
            for ch in word:
                counts[ch] += n
    table = dict(sorted(counts.items()))
    try:
        atomic_write(cache, json.dumps(table, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass
    return table


def is_rare_han(ch: str) -> bool:
    """Used by ingest to tell which legacy encoding reads a file as ordinary text (not a mojibake signal)."""
    return han_frequency().get(char_to_simplified(ch), 0) < RARE_BELOW
