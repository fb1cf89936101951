"""How plausible a string is as Chinese: a word log-likelihood from jieba's dictionary.

The mojibake detector proves a repair by comparing two readings of the same bytes; this module
gives each reading a number. A reading is cut into dictionary words by dynamic programming (the
cut with the highest likelihood, as jieba's own DAG route), each word costing log(frequency /
total) from jieba's `dict.txt`; a character no word explains costs its frequency summed over
every word that holds it, less a penalty; Latin words, digits, punctuation, kana, private-use
characters and the like have fixed costs. Traditional text is scored on its Simplified form
(OpenCC), so 訊飛 and 讯飞 score alike.

The table is an SQLite file in .cache/lib, keyed by the dictionary file: one row per character,
its own log-probability and the words it starts as one marshalled blob. A build reads every row in
one query and decodes only the blobs of the characters it meets (loading 350,000 words into Python
would cost more than the whole detector; reading them row by row cost a third of it).

    >>> score("科大讯飞表示") > score("拼笥嶏w表示") + 10
    True
"""
from __future__ import annotations

import marshal
import math
import re
import sqlite3
from functools import lru_cache
from pathlib import Path

from .cache import Cache
from .chinese import char_to_simplified, warm_simplified
from .paths import atomic_sqlite

CACHE_DIR = Cache().lib   # library indexes, not build output
MAX_WORD = 8            # longest dictionary word tried (longer ones are rare set phrases)
SINGLE_PENALTY = 2.0    # a character that no word explains costs this much more than its frequency says

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(_HAN.pattern + "+")
# Punctuation by how common it is in news text: comma and full stop far ahead of the rest.
_PUNCT_COST = {"，": -3.0, "。": -3.5, "、": -5.0, "“": -5.0, "”": -5.0, "：": -5.5, "；": -6.0, "？": -6.0,
               "！": -6.5, "（": -6.0, "）": -6.0, "《": -6.0, "》": -6.0, "‘": -7.0, "’": -7.0, "…": -7.0, "—": -7.0,
               "·": -7.0, "〈": -8.0, "〉": -8.0, "「": -8.0, "」": -8.0, "『": -9.0, "』": -9.0, "【": -9.0, "】": -9.0}
_ASCII_PUNCT = set(",.;:!?%-/()'\"+&")

# Fixed costs (natural log) of what the dictionary does not cover.
COST_LATIN_START = -9.0     # a Latin word or number begins (GPT, 2024)
COST_LATIN_MORE = -0.5      # each further letter or digit of it
COST_SPACE = -1.0
COST_PUNCT = -5.0           # Chinese or ordinary ASCII punctuation
COST_SYMBOL = -12.0         # ^ @ ` ~ | _ and the like
COST_FOREIGN = -20.0        # kana, Greek, Cyrillic, box drawing, circled numbers, pinyin letters …
COST_BROKEN = -25.0         # private-use characters, U+FFFD, controls


def _dictionary_file() -> Path:
    from importlib.util import find_spec
    return Path(find_spec("jieba").origin).parent / "dict.txt"


def _build(source: Path, path: Path) -> None:
    words: dict[str, int] = {}
    chars: dict[str, int] = {}
    with open(source, encoding="utf-8") as fh:
        for row in fh:
            parts = row.split(" ", 2)
            if len(parts) < 2 or not parts[1].strip().isdigit():
                continue
            word, freq = parts[0], int(parts[1])
            words[word] = words.get(word, 0) + freq
            for ch in word:
                chars[ch] = chars.get(ch, 0) + freq
    total, ctotal = sum(words.values()) or 1, sum(chars.values()) or 1
    by_first: dict[str, dict[str, float]] = {}
    for w, f in sorted(words.items()):
        if len(w) <= MAX_WORD:
            by_first.setdefault(w[0], {})[w] = math.log(f / total) if f > 0 else math.log(0.5 / total)

    def fill(db) -> None:
        # one row per character: its own log-probability and every word it starts, as one blob
        db.execute("CREATE TABLE chars (c TEXT PRIMARY KEY, lp REAL NOT NULL, words BLOB NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO chars VALUES (?, ?, ?)",
                       ((c, math.log((f + 0.5) / ctotal), marshal.dumps(by_first.get(c, {})))
                        for c, f in sorted(chars.items())))
        db.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v REAL)")
        db.execute("INSERT INTO meta VALUES ('unknown_char', ?)", (math.log(0.5 / ctotal),))
    atomic_sqlite(path, fill)


class _Table:
    """Word and character log-probabilities. Every character's row is read in one query when the
    table opens (a few milliseconds: the words stay one marshalled blob per character); the words
    a character starts are decoded, in one call, the first time it is met."""

    def __init__(self, path: Path):
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            self.rows: dict[str, tuple[float, bytes]] = {c: (lp, words) for c, lp, words in
                                                         db.execute("SELECT c, lp, words FROM chars")}
            self.unknown = db.execute("SELECT v FROM meta WHERE k = 'unknown_char'").fetchone()[0]
        finally:
            db.close()
        self.by_first: dict[str, dict[str, float]] = {}
        self.known: dict[str, tuple[dict[str, float], int, float]] = {}

    def starting(self, ch: str) -> dict[str, float]:
        words = self.by_first.get(ch)
        if words is None:
            row = self.rows.get(ch)
            words = self.by_first[ch] = marshal.loads(row[1]) if row else {}
        return words

    def han(self, ch: str) -> tuple[dict[str, float], int, float]:
        """What cut needs of a Han character, in one lookup: the words it starts, the length of the
        longest of them (0 when none), and its cost standing alone (char less SINGLE_PENALTY)."""
        got = self.known.get(ch)
        if got is None:
            words = self.starting(ch)
            got = self.known[ch] = (words, max(map(len, words), default=0), self.char(ch) - SINGLE_PENALTY)
        return got

    def char(self, ch: str) -> float:
        row = self.rows.get(ch)
        return row[0] if row else self.unknown


@lru_cache(maxsize=1)
def table() -> _Table:
    """The table, read once per process (it holds no connection: a forked worker shares its parent's)."""
    source = _dictionary_file()
    stat = source.stat()
    path = CACHE_DIR / f"jiebawords-v2-{stat.st_size}-{int(stat.st_mtime)}.sqlite"
    if not path.exists():
        _build(source, path)
    return _Table(path)


def _other_cost(ch: str, prev: str) -> float:
    if ch.isascii():
        if ch.isalnum():
            return COST_LATIN_MORE if prev.isascii() and prev.isalnum() else COST_LATIN_START
        if ch in " \t":
            return COST_SPACE
        return COST_PUNCT if ch in _ASCII_PUNCT else COST_SYMBOL
    if ch in _PUNCT_COST:
        return _PUNCT_COST[ch]
    o = ord(ch)
    if 0xE000 <= o <= 0xF8FF or o == 0xFFFD or o < 0x20 or 0x7F <= o < 0xA0 or 0xFDD0 <= o <= 0xFDEF:
        return COST_BROKEN
    if 0xFF10 <= o <= 0xFF5A:          # full-width Latin letters and digits
        return COST_SYMBOL
    return COST_FOREIGN


class Local:
    """Words an article itself uses (its names, its jargon), with log-probabilities from their counts.

    Hashed and compared by identity (object's own, in C: no Python call per memo lookup), so one
    article's scoring can be memoised."""

    def __init__(self, words: dict[str, float]):
        self.words = words
        self.longest = max(map(len, words), default=0)
        joined = "".join(words)
        self.han_only = not joined or bool(_HAN_RUN.fullmatch(joined))   # then a word lies inside a run of Han


LOCAL_MIN_COUNT = 2      # an article's own word must occur this often
LOCAL_PENALTY = 2.0      # and costs this much more than its share of the article's characters
LOCAL_SIZES = (2, 3, 4)


def local_words(texts, total: int) -> Local:
    """The Han strings of 2-4 characters that occur at least LOCAL_MIN_COUNT times in texts (Simplified)."""
    from collections import Counter
    counts: Counter = Counter()
    for text in texts:
        simple = text.translate(_SIMPLE)
        for run in _HAN_RUN.findall(simple):         # an all-Han string lies inside one run of Han
            for size in LOCAL_SIZES:
                counts.update([run[i:i + size] for i in range(len(run) - size + 1)])
    total = max(total, 1)
    return Local({w: math.log(n / total) - LOCAL_PENALTY for w, n in counts.items() if n >= LOCAL_MIN_COUNT})


NO_LOCAL = Local({})


@lru_cache(maxsize=200_000)
def score(text: str, local: Local = NO_LOCAL) -> float:
    """Log-likelihood of text as Chinese (higher is more plausible); 0.0 for the empty string.

    The best cut into dictionary words, each word log(freq/total); characters no word covers
    cost their summed frequency less SINGLE_PENALTY; other characters fixed costs.
    """
    return cut(text, local)[0]


class _Simplified(dict):
    """str.translate's table: a code point to its char_to_simplified, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        got = self[code] = char_to_simplified(chr(code))
        return got


_SIMPLE = _Simplified()


@lru_cache(maxsize=20_000)
def cut(text: str, local: Local = NO_LOCAL) -> tuple[float, tuple[tuple[int, int, float], ...]]:
    """(score, the best cut as (start, end, cost) per token).

    jieba's DAG route, read forward: from each start, in order, a single character and then the
    words it begins (a character's dictionary words tried only up to its longest; the article's own
    words only inside a run of Han) offer a route to their end. An end keeps the best route offered;
    on a tie, the single character, else the shortest word: the same cut, tie for tie, as choosing
    end by end with every size tried.
    """
    if not text:
        return 0.0, ()
    simple = text.translate(_SIMPLE)
    t = table()
    known, han = t.known, t.han
    n = len(simple)
    lw, reach, han_only = local.words, local.longest, local.han_only
    runs = [0] * (n + 1)                     # Han characters from j on
    for j in range(n - 1, -1, -1):
        ch = simple[j]
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff":
            runs[j] = runs[j + 1] + 1
    best = [-math.inf] * (n + 1)
    best[0] = 0.0
    rank = [MAX_WORD + 1] * (n + 1)          # what took each end: 0 a single character, else the word's size
    back = [(0, 0.0)] * (n + 1)
    prev = ""
    for j in range(n):
        here = best[j]                       # final: every route into j starts before it
        ch = simple[j]
        run = runs[j]
        if run:
            words, longest, c = known.get(ch) or han(ch)
        else:
            c = _other_cost(ch, prev)
        prev = ch
        v = here + c
        if v > best[j + 1] or (v == best[j + 1] and rank[j + 1] > 0):
            best[j + 1], rank[j + 1], back[j + 1] = v, 0, (1, c)
        if not run:
            continue
        inside = (reach if reach < run else run) if han_only else reach   # an article's word fits in so many
        top = longest if longest > inside else inside
        if top > n - j:
            top = n - j
        if top > MAX_WORD:
            top = MAX_WORD
        for size in range(1, top + 1):
            w = simple[j:j + size]
            lp = words.get(w)
            if lw and size <= inside:
                ll = lw.get(w)
                if ll is not None and (lp is None or ll > lp):
                    lp = ll
            if lp is not None:
                e = j + size
                v = here + lp
                if v > best[e] or (v == best[e] and size < rank[e]):
                    best[e], rank[e], back[e] = v, size, (size, lp)
    tokens, i = [], n
    while i > 0:
        size, c = back[i]
        tokens.append((i - size, i, c))
        i -= size
    return best[n], tuple(reversed(tokens))


def char_cost(ch: str) -> float:
    """What one character costs on its own (its best single-character reading)."""
    return score(ch)


def lone_characters(text: str, local: Local = NO_LOCAL) -> list[tuple[float, int]]:
    """(cost, offset) of the Han characters the best cut leaves standing alone, costliest first."""
    return sorted((c, s) for s, e, c in cut(text, local)[1] if e - s == 1 and _HAN.match(text[s]))


def affinity(left: str, ch: str, right: str, local: Local = NO_LOCAL) -> float:
    """How well ch fits between its left and right neighbours (lower is better): the quick measure
    used to shortlist repair candidates.
    """
    return _affinity(left[-1:], ch, right[:1], local)


def shortlist(options: dict, left: str, right: str, n: int, local: Local = NO_LOCAL) -> list:
    """The n keys of options (key -> character) whose character fits best between left and right
    (`affinity`, higher first; ties by key): sorted(options, key=(-affinity, key))[:n].

    >>> shortlist({1: "拼", 2: "大", 3: "笥"}, "科", "", 2)     # 科大 is a word
    [2, 1]
    """
    l, r, memo = left[-1:], right[:1], _affinity
    warm_simplified((*options.values(), l, r))      # their Simplified forms in one call, not one each
    return sorted(options, key=lambda k: (-memo(l, options[k], r, local), k))[:n]


@lru_cache(maxsize=200_000)
def _affinity(left: str, ch: str, right: str, local: Local) -> float:
    """A quick measure of how well ch fits between two neighbours: the best two-character word it
    makes with either, else what it costs alone (less 10). For shortlisting candidates cheaply."""
    t = table()
    c = char_to_simplified(ch)
    han = _HAN.match(c)
    best = (t.char(c) if han else _other_cost(c, "")) - 10.0
    lw = local.words
    if left:
        w = char_to_simplified(left) + c
        if len(w) == 2 and _HAN.match(w[0]):
            for v in (t.starting(w[0]).get(w), lw.get(w) if lw else None):
                if v is not None and v > best:
                    best = v
    if right and han and len(c) == 1:
        w = c + char_to_simplified(right)
        for v in (t.starting(c).get(w), lw.get(w) if lw else None):
            if v is not None and v > best:
                best = v
    return best
