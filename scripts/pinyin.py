"""Pinyin exactly as pypinyin gives it, without loading pypinyin into the build.

pypinyin loads its two dictionaries whole when it is imported (47,000 phrases and 42,000
characters: 57 MB and about a fifth of a second), for the few thousand words a build asks about.
So its answers are kept in an SQLite file in .cache/lib, made once per installed pypinyin by asking
pypinyin itself: for each character, pypinyin's reading of it, all its readings (tone-marked and
plain), and the phrases it begins, each with pypinyin's reading of the phrase. A text is then read
as pypinyin reads it:

1. split into runs of what pypinyin counts as Han (its own pattern, kept in the file); other runs
   have no pinyin and are left out (pypinyin's errors="ignore");
2. each run cut into phrases by pypinyin's forward maximum match (`_cut`, its steps one for one);
3. each phrase, or character standing alone, answered from the file.

tests/test_pinyin.py holds this to pypinyin for every character of the Basic Multilingual Plane,
every phrase in its dictionary, and random text. Where the file cannot be made (a read-only
checkout) or pypinyin is told to leave its phrases out (PYPINYIN_NO_PHRASES), pypinyin answers.

    >>> tone("银行行长 AI")
    [['yín'], ['háng'], ['háng'], ['zhǎng']]
    >>> sorted(readings("行"))[:4]
    ['hang', 'heng', 'hàng', 'háng']
"""
from __future__ import annotations

import hashlib
import marshal
import os
import re
import sqlite3
from bisect import bisect_left
from functools import cached_property, lru_cache
from importlib.util import find_spec
from pathlib import Path

from .cache import Cache
from .paths import atomic_sqlite

CACHE_DIR = Cache().lib          # library indexes, not build output
VERSION = 1                      # of the file's layout and of what it holds


class _Row:
    """What the file holds for one character, each part decoded when first asked for."""

    def __init__(self, tone: bytes, readings: bytes, phrases: bytes):
        self._blobs = (tone, readings, phrases)

    @cached_property
    def tone(self) -> list:
        """pypinyin.pinyin(ch, style=TONE, errors="ignore")."""
        return marshal.loads(self._blobs[0])

    @cached_property
    def readings(self) -> frozenset:
        """Every reading, TONE and NORMAL, heteronym=True."""
        return frozenset(marshal.loads(self._blobs[1]))

    @cached_property
    def phrases(self) -> dict:
        """Each phrase the character begins -> pypinyin.pinyin(phrase, style=TONE, errors="ignore"),
        in code point order."""
        return marshal.loads(self._blobs[2])

    @cached_property
    def _sorted(self) -> list[str]:
        return list(self.phrases)

    def begins(self, word: str) -> bool:
        """Whether some phrase begins with word (which begins with this character)."""
        keys = self._sorted
        i = bisect_left(keys, word)
        return i < len(keys) and keys[i].startswith(word)


def tone(text: str) -> list[list[str]]:
    """pypinyin.pinyin(text, style=Style.TONE, errors="ignore"): one list per character read."""
    index = _index()
    if index is None:
        from pypinyin import Style, pinyin
        return pinyin(text, style=Style.TONE, errors="ignore")
    out: list[list[str]] = []
    for run in index.han_runs.findall(text):
        for piece in _cut(run, index.row):
            row = index.row(piece[0])
            got = (row.tone if len(piece) == 1 else row.phrases[piece]) if row else []
            out += [list(p) for p in got]
    return out


def readings(ch: str) -> frozenset[str]:
    """Every reading pypinyin knows for the character, tone-marked and plain ('行' -> háng, xíng,
    hang, xing …); the character itself when it has none (pypinyin's errors="default"). Anything
    but one character is pypinyin's to answer."""
    index = _index() if len(ch) == 1 else None
    if index is None:
        from pypinyin import Style, pinyin
        return frozenset(r for style in (Style.TONE, Style.NORMAL)
                         for group in pinyin(ch, style=style, heteronym=True) for r in group)
    row = index.row(ch)
    return row.readings if row else frozenset([ch])


def _cut(run: str, row_of) -> list[str]:
    """pypinyin's phrase cut of a run of Han characters (pypinyin.seg.mmseg.Seg.cut with
    no_non_phrases=True): from the front, the longest phrase reached while the text still begins
    some phrase, else one character; a rest that only begins phrases, none of them whole, goes
    character by character."""
    out, remain = [], run
    while len(remain) > 1:
        row = row_of(remain[0])
        last, last_end = "", 0
        for end in range(1, len(remain) + 1):
            word = remain[:end]
            if row is None or not row.begins(word):
                out.append(last or remain[0])
                remain = remain[last_end or 1:]
                break
            if word in row.phrases:
                last, last_end = word, end
        else:
            if last:
                out.append(last)
                remain = remain[last_end:]
            else:
                out += remain
                remain = ""
    return out + list(remain)          # a character alone is read alone, phrase or not


class _Index:
    """The open file: its Han pattern, and each character's row, read the first time it is met."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        pattern = self.db.execute("SELECT v FROM meta WHERE k = 'han'").fetchone()[0]
        self.han_runs = re.compile(f"(?:{pattern})+")
        self.row = lru_cache(maxsize=None)(self._row)

    def _row(self, ch: str) -> _Row | None:
        got = self.db.execute("SELECT tone, readings, phrases FROM chars WHERE cp = ?", (ord(ch),)).fetchone()
        if got is None:
            return None
        return _Row(*got)


def _package() -> Path | None:
    spec = find_spec("pypinyin")            # finds the package without importing it
    return Path(next(iter(spec.submodule_search_locations))) if spec and spec.submodule_search_locations else None


def index_path() -> Path | None:
    """The file for the installed pypinyin, named by the paths, sizes and times of all its code and
    dictionaries (None without pypinyin): what its answers depend on."""
    package = _package()
    if package is None:
        return None
    sources = sorted(p for p in package.rglob("*") if p.suffix in (".py", ".json"))
    stamp = "\n".join(f"{p.relative_to(package).as_posix()} {st.st_size} {int(st.st_mtime)}"
                      for p, st in ((p, p.stat()) for p in sources))
    return CACHE_DIR / f"pinyin-v{VERSION}-{hashlib.sha256(stamp.encode()).hexdigest()[:16]}.sqlite"


@lru_cache(maxsize=1)
def _index() -> _Index | None:
    if os.environ.get("PYPINYIN_NO_PHRASES"):
        return None
    path = index_path()
    if path is None:
        return None
    if not path.exists():
        try:
            build(path)
        except (OSError, sqlite3.Error):
            return None                 # a read-only checkout: pypinyin answers
    return _Index(path)


os.register_at_fork(after_in_child=_index.cache_clear)    # a connection is not carried across a fork


def build(path: Path) -> None:
    """Ask pypinyin for every character it reads and every phrase it knows, and keep the answers in
    `path` (written beside it and renamed into place, so a reader never sees half a file)."""
    from pypinyin import Style, pinyin
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS
    pattern = RE_HANS.pattern
    if not (pattern.startswith("^(?:") and pattern.endswith(")+$")):
        raise sqlite3.Error(f"pypinyin's Han pattern has changed: {pattern[:40]}")
    by_first: dict[str, list[str]] = {}
    for phrase in PHRASES_DICT:
        by_first.setdefault(phrase[0], []).append(phrase)

    def row(ch: str) -> tuple:
        every = sorted({r for style in (Style.TONE, Style.NORMAL)
                        for group in pinyin(ch, style=style, heteronym=True) for r in group})
        phrases = {p: pinyin(p, style=Style.TONE, errors="ignore") for p in sorted(by_first.get(ch, ()))}
        return (ord(ch), marshal.dumps(pinyin(ch, style=Style.TONE, errors="ignore")), marshal.dumps(every),
                marshal.dumps(phrases))

    def fill(db) -> None:
        db.execute("CREATE TABLE chars (cp INTEGER PRIMARY KEY, tone BLOB NOT NULL, readings BLOB NOT NULL, "
                   "phrases BLOB NOT NULL)")
        db.executemany("INSERT INTO chars VALUES (?, ?, ?, ?)", map(row, sorted({chr(c) for c in PINYIN_DICT} | set(by_first))))
        db.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT)")
        db.execute("INSERT INTO meta VALUES ('han', ?)", (pattern[len("^(?:"):-len(")+$")],))
    atomic_sqlite(path, fill)
