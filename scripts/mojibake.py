"""Mojibake detection: flag text that is probably an encoding accident, so a person decides.

The detector does not repair anything. Each flag must be covered by a decision in the article's
side file — a repair (garbled -> fixed) or an explicit keep — or the build stops. Signals:

- U+FFFD, private-use and enclosed-alphanumeric characters, kana or Greek/Cyrillic letters inside
  Chinese text;
- Han characters that modern news almost never uses (rarity measured on jieba's dictionary,
  after Traditional -> Simplified);
- an ASCII `?` glued to the following Chinese (or to `!`, quotes, digits after Chinese): the
  trace GBK/UTF-8 accidents leave where a byte was lost.

    >>> [f.text for f in flag_line("业绩亏损?拼笥嶏w表示", 1)]
    ['?', '笥', '嶏']
"""
from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .cache import Cache
from .chinese import char_to_simplified
from .paths import atomic_write

CACHE_DIR = Cache().lib   # library indexes, not build output

RARE_BELOW = 300   # summed jieba frequency under which a Han character counts as rare

_ALWAYS = re.compile(r"[\ufffd\ue000-\uf8ff\u2460-\u24ff\u3040-\u30ff\u0370-\u03ff\u0400-\u04ff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_QMARK = re.compile(r"\?(?=[\u3400-\u9fff\u3040-\u30ff!“”\"'‘’\u2460-\u24ff])"
                    r"|(?<=[\u3400-\u9fff\u2460-\u24ff])\?(?=[0-9A-Za-z])")


@dataclass(frozen=True)
class Flag:
    line: int     # 1-based line in the seed
    start: int    # offset in that line
    end: int
    text: str
    why: str


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
    return han_frequency().get(char_to_simplified(ch), 0) < RARE_BELOW


def flag_line(text: str, line: int) -> list[Flag]:
    flags: list[Flag] = []
    for m in _ALWAYS.finditer(text):
        flags.append(Flag(line, m.start(), m.end(), m.group(), "character foreign to Chinese news text"))
    for m in _QMARK.finditer(text):
        flags.append(Flag(line, m.start(), m.end(), m.group(), "'?' glued to Chinese (lost byte?)"))
    for m in _HAN.finditer(text):
        if is_rare_han(m.group()):
            flags.append(Flag(line, m.start(), m.end(), m.group(), "very rare character"))
    flags.sort(key=lambda f: (f.start, f.end))
    return flags


def covered(flag: Flag, text: str, decision_text: str) -> bool:
    """True when an occurrence of decision_text in the line spans the flagged characters."""
    start = text.find(decision_text)
    while start != -1:
        if start <= flag.start and flag.end <= start + len(decision_text):
            return True
        start = text.find(decision_text, start + 1)
    return False
