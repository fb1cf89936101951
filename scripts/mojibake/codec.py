"""The byte model: the legacy codecs a page's text passed through, the signals of an out-of-step
reading, and the run of characters read out of step after a mark.

A `Codec` turns a character back into its two bytes and a pair of bytes into a character (strictly:
a pair that is no ordinary character reads as None). `_run_at` re-encodes the characters after a
mark into the bytes the reader saw, and says how the run ended (an ASCII second byte, another `?`,
or nothing). Everything here is a pure function of its arguments, memoised.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# ---------------------------------------------------------------- signals, as data (ftfy's manner)

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê"
MOJIBAKE_CATEGORIES: dict[str, str] = {
    # name: the characters (a regex class) whose presence in a span is the signal
    "lost-byte-mark": r"?!\ufffd？！",
    "pinyin-ghost": f"a-z{TONED})",
    "private-use": r"\ue000-\uf8ff",
    "replacement": r"\ufffd",
    "foreign-script": (r"\u3040-\u30ff\u0370-\u03ff\u0400-\u04ff\u2460-\u24ff\u2160-\u217f\u2500-\u257f"
                       r"\u3220-\u324f\uff21-\uff5a" + TONED),
    "glued-latin": r"A-Za-z@^`~|_\\[\]{}",
}
CATEGORY_NOTES: dict[str, str] = {
    "lost-byte-mark": "an ASCII ? or ! (a full-width ？/！ read out of step) or U+FFFD where a byte was lost",
    "pinyin-ghost": "a pinyin reading with only its closing bracket: a converter's reading of a phantom character",
    "private-use": "private-use characters: a user-defined code of the legacy encoding",
    "replacement": "U+FFFD: a decoder gave up on these bytes",
    "foreign-script": "kana, Greek or Cyrillic letters, box drawing, circled numbers or pinyin letters among Han characters",
    "glued-latin": "a Latin letter or sign glued between Han characters (a second byte read as ASCII)",
}
_CATEGORY_RE = {name: re.compile(f"[{cls}]") for name, cls in MOJIBAKE_CATEGORIES.items()}
NEVER_TEXT = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


MAX_RUN = 200         # characters read out of step, at most, from one mark
CONTEXT = 6           # characters either side used for scoring


_MARK = re.compile(r"[?!\ufffd？！]{1,3}")
_GHOST = re.compile(f"([a-z{TONED}]{{1,7}})\\)")
_GLUED = re.compile(f"\\(([a-z{TONED}]{{1,7}})\\)")
_FOLD = {"?": "？", "!": "！", "？": "？", "！": "！"}


# ---------------------------------------------------------------- codecs

@dataclass(frozen=True, eq=False)     # compared and hashed by identity: it keys many memo tables
class Codec:
    """A double-byte legacy encoding as the damage needs it: which bytes lead, which follow, and the
    character (if any) each pair of bytes stands for.

    >>> GBK.char_bytes("科").hex(), GBK.pair(0xbf, 0xc6)
    ('bfc6', '科')
    """
    name: str
    encoder: str      # reads the damaged text back into bytes (gb18030 keeps user-defined codes as private use)
    decoder: str      # strict: a reading is made of ordinary characters only
    trail_low: int    # second bytes are trail_low..0x7E and 0x80/0xA1..0xFE
    trail_high: int

    @property
    def leads(self) -> range:
        """Every byte that can begin a two-byte character."""
        return range(0x81, 0xFF)

    def is_trail(self, b: int) -> bool:
        """Can b be the second byte of a character?"""
        return self.trail_low <= b <= 0x7E or self.trail_high <= b <= 0xFE

    @property
    def trails(self) -> list[int]:
        """Every byte that can be a second byte, in order."""
        return [b for b in range(0x40, 0xFF) if self.is_trail(b)]

    def char_bytes(self, ch: str) -> bytes | None:
        """The character's bytes in this codec (one or two), or None if it has none."""
        return _char_bytes(self, ch)

    def pair(self, a: int, b: int) -> str | None:
        """The ordinary character bytes a, b stand for, or None (undefined, user-defined, not text)."""
        return _pair(self, a, b)

    def dropped(self, a: int, b: int) -> bool:
        """A lead and a second byte the reader could not show (undefined or user-defined)."""
        return self.is_trail(b) and _pair(self, a, b) is None

    def drop_leads(self) -> tuple[int, ...]:
        """Lead bytes that begin at least one pair the reader could not show."""
        return _drop_leads(self)

    def after(self, a: int) -> dict[int, str]:
        """second byte -> character for every pair a, T (T in `trails`) that is an ordinary
        character, in byte order: {T: c for T in trails if (c := pair(a, T))}, made once per byte.
        The dict is shared: copy it before changing it."""
        return _after(self, a)

    def before(self, b: int) -> dict[int, str]:
        """lead -> character for every pair L, b (L in `leads`) that is an ordinary character, in
        byte order: {L: c for L in leads if (c := pair(L, b))}, made once per byte (shared: copy it
        before changing it)."""
        return _before(self, b)


@lru_cache(maxsize=None)
def _char_bytes(codec: Codec, ch: str) -> bytes | None:
    try:
        b = ch.encode(codec.encoder)
    except UnicodeEncodeError:
        return None
    return b if 1 <= len(b) <= 2 else None


@lru_cache(maxsize=None)
def _pair(codec: Codec, a: int, b: int) -> str | None:
    try:
        ch = bytes((a, b)).decode(codec.decoder)
    except UnicodeDecodeError:
        return None
    if len(ch) != 1 or NEVER_TEXT.match(ch) or not ch.isprintable():
        return None
    return ch


@lru_cache(maxsize=None)
def _after(codec: Codec, a: int) -> dict[int, str]:
    return {T: c for T in codec.trails if (c := _pair(codec, a, T))}


@lru_cache(maxsize=None)
def _before(codec: Codec, b: int) -> dict[int, str]:
    return {L: c for L in codec.leads if (c := _pair(codec, L, b))}


@lru_cache(maxsize=None)
def _drop_leads(codec: Codec) -> tuple[int, ...]:
    trails = codec.trails
    return tuple(a for a in codec.leads
                 if not _all_shown(codec, a, trails) and any(codec.dropped(a, b) for b in trails))


def _all_shown(codec: Codec, lead: int, trails: list[int]) -> bool:
    """True when every pair lead+trail is an ordinary character, proved by decoding them all at
    once: one decode per lead instead of one per pair (False means: look pair by pair)."""
    try:
        pairs = bytearray(2 * len(trails))
        pairs[0::2], pairs[1::2] = bytes((lead,)) * len(trails), bytes(trails)
        chars = pairs.decode(codec.decoder)
    except UnicodeDecodeError:
        return False
    return len(chars) == len(trails) and chars.isprintable() and not NEVER_TEXT.search(chars)


GBK = Codec("GBK", "gb18030", "gbk", 0x40, 0x80)
BIG5 = Codec("Big5", "cp950", "cp950", 0x40, 0xA1)
CODECS = (GBK, BIG5)


def signals_in(text: str) -> tuple[str, ...]:
    """The MOJIBAKE_CATEGORIES whose characters occur in text, in the table's order (hints for the
    report; nothing is decided by them).

    >>> signals_in("?拼笥嶏w")
    ('lost-byte-mark', 'pinyin-ghost', 'glued-latin')
    """
    return tuple(name for name, rx in _CATEGORY_RE.items() if rx.search(text))


@lru_cache(maxsize=65536)
def reads_as(ch: str, syllable: str) -> bool:
    """Is syllable (tone marks or none) a reading of ch?  reads_as('側', 'cè') -> True"""
    from .. import pinyin
    return bool(ch) and syllable.replace("v", "ü") in pinyin.readings(ch)


def _hex(pairs) -> str:
    return " ".join(bytes(p).hex() for p in pairs)


# ---------------------------------------------------------------- the out-of-step run after a mark

@dataclass(frozen=True)
class _Run:
    start: int
    stop: int          # end of the characters read out of step
    data: bytes        # their bytes in the codec
    end: str           # ascii (an ASCII second byte put the reader in step) | mark (a `?` follows) | silent
                       # | inner (the last character's second byte was an ASCII letter: it is the reading's last)


def _run_at(text: str, start: int, codec: Codec) -> _Run | None:
    chunks: list[bytes] = []
    i, end = start, "silent"
    while i < len(text) and i - start < MAX_RUN:
        ch = text[i]
        if ch.isascii():
            if chunks and codec.is_trail(ord(ch)) and (ch.isalpha() or ch in "@^`~|_[]{}\\"):
                chunks.append(ch.encode())
                i += 1
                end = "ascii"
            elif ch == "?":
                end = "mark"
            break
        b = codec.char_bytes(ch)
        if b is None or len(b) != 2:
            break
        chunks.append(b)
        i += 1
    if not chunks or (len(chunks) == 1 and end == "ascii"):
        return None
    return _Run(start, i, b"".join(chunks), end)


def _context(text: str, side: int) -> str:
    """CONTEXT characters of text before (side -1) or after (side 1), glued pinyin removed."""
    text = _GLUED.sub("", text[-3 * CONTEXT:] if side < 0 else text[:3 * CONTEXT])
    return text[-CONTEXT:] if side < 0 else text[:CONTEXT]
