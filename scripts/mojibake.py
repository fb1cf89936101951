"""Mojibake by proof: find text that is a legacy encoding read one byte out of step, and read it back.

The damage this module knows is the one real scrapes show. A page's text passed through GBK (or
Big5) bytes; somewhere a reader lost one byte — the lead byte of a character — and from there read
every character from its second byte and the next character's first byte. The scrape shows:

- a mark where the byte was lost: an ASCII `?` or `!` (a full-width ？ or ！ read out of step and
  folded to ASCII), or U+FFFD — sometimes followed by a *pinyin ghost* such as `cè)`, the reading a
  pinyin converter glued to the phantom character the misread produced;
- then a run of wrong characters (拼笥嶏, often rare ones, kana, private-use characters), each made of
  the second byte of one original character and the first byte of the next;
- until a second byte that is an ASCII letter or sign (the `w` of 嶏w) puts the reader back in
  step, or an impossible pair leaves another `?`.

Nothing here is decided by how rare a character is. A span is reported only when the hypothesis
is tried and wins: the run is encoded back into bytes, the lost lead byte restored (each possible
value; the ghost's pinyin or the folded mark pins it down when present), a lost second byte at the
end restored the same way, the bytes decoded, converted to Simplified, and the reading kept only
when it is far more plausible Chinese (`zhmodel.score`, jieba's dictionary) than the text as it
stands, after paying for every byte it had to guess. The reader also drops pairs that fall in the
codec's user-defined area (or shows them as private-use characters); a dropped pair is restored
where a character of the reading is implausible, at the same price.

What the bytes cannot settle — which punctuation stood before the run, a digit swallowed with the
last byte — is proposed from context (sentence end, quote balance, the article's other numbers) and
reported as INFERRED. Characters that are never text (U+FFFD, private use, controls) and that no
reading explains are flagged for a person.

    >>> [f.fixed for f in scan_line("同时?萍季揞^们纷纷", 1)]
    ['。科技巨头']
    >>> scan_line("你好吗?我很好。燧原科技的鲶鱼售罄了", 1)
    []
"""
from __future__ import annotations

import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .cache import Cache
from .chinese import char_to_simplified, to_simplified
from .paths import atomic_write, locked_edit

CACHE_DIR = Cache().lib   # library indexes, not build output

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

ACCEPT = 8.0          # nats a reading must win by, after paying for the guessed bytes
PAIR_PRIOR = 1.0      # nats a dropped pair costs: how rarely an out-of-step pair falls where the reader drops it
PAIR_ACCEPT = 1.0     # nats a restored pair must add beyond that
REFINE = 3            # readings in which dropped pairs are looked for
PAIR_HEADROOM = 30.0  # ... if they come within this many nats of ACCEPT without them
LONE_CHAR = -8.0      # a character of a reading that no word explains and that costs more may hide a dropped pair
MAX_RUN = 200         # characters read out of step, at most, from one mark
CONTEXT = 6           # characters either side used for scoring
SHORTLIST = 40        # candidate characters for one unknown byte, by their own likelihood, scored in context
PUNCTUATION = "。，；：、？！"
SPEECH_VERBS = ("表示", "说", "称", "指出", "认为", "提到", "强调", "介绍", "坦言", "透露", "写道", "问")
_MARK = re.compile(r"[?!\ufffd？！]{1,3}")
_GHOST = re.compile(f"([a-z{TONED}]{{1,7}})\\)")
_GLUED = re.compile(f"\\(([a-z{TONED}]{{1,7}})\\)")
_FOLD = {"?": "？", "!": "！", "？": "？", "！": "！"}


# ---------------------------------------------------------------- codecs

@dataclass(frozen=True, eq=False)     # compared and hashed by identity: it keys many memo tables
class Codec:
    name: str
    encoder: str      # reads the damaged text back into bytes (gb18030 keeps user-defined codes as private use)
    decoder: str      # strict: a reading is made of ordinary characters only
    trail_low: int    # second bytes are trail_low..0x7E and 0x80/0xA1..0xFE
    trail_high: int

    @property
    def leads(self) -> range:
        return range(0x81, 0xFF)

    def is_trail(self, b: int) -> bool:
        return self.trail_low <= b <= 0x7E or self.trail_high <= b <= 0xFE

    @property
    def trails(self) -> list[int]:
        return [b for b in range(0x40, 0xFF) if self.is_trail(b)]

    def char_bytes(self, ch: str) -> bytes | None:
        return _char_bytes(self, ch)

    def pair(self, a: int, b: int) -> str | None:
        return _pair(self, a, b)

    def dropped(self, a: int, b: int) -> bool:
        """A lead and a second byte the reader could not show (undefined or user-defined)."""
        return self.is_trail(b) and _pair(self, a, b) is None

    def drop_leads(self) -> tuple[int, ...]:
        return _drop_leads(self)


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
def _drop_leads(codec: Codec) -> tuple[int, ...]:
    return tuple(a for a in codec.leads if any(codec.dropped(a, b) for b in codec.trails))


GBK = Codec("GBK", "gb18030", "gbk", 0x40, 0x80)
BIG5 = Codec("Big5", "cp950", "cp950", 0x40, 0xA1)
CODECS = (GBK, BIG5)


# ---------------------------------------------------------------- findings

@dataclass(frozen=True)
class Finding:
    """A span of one seed line: a proved reading (fixed) or, if fixed is None, damage to decide."""
    line: int                 # 1-based line in the seed
    start: int                # offsets in that line (after the line's ends are stripped)
    end: int
    text: str                 # the damaged text as it stands
    fixed: str | None         # what it stands for (Simplified); None: not repaired
    category: str             # "GBK one byte out of step", "replacement", "private-use", …
    signals: tuple[str, ...]  # MOJIBAKE_CATEGORIES that fired in the span
    evidence: str             # the bytes, the shift, the reading, the margin — one line
    inferred: str = ""        # the part of fixed the bytes do not settle, and why ("" if none)
    reading: str = ""         # the part of fixed the bytes prove (Simplified)
    margin: float = 0.0       # nats by which the reading beats the text as it stands

    @property
    def id(self) -> str:
        """Stable name for the command line: seed line and column."""
        return f"{self.line}:{self.start + 1}"

    @property
    def why(self) -> str:
        return self.category + (f" [{', '.join(self.signals)}]" if self.signals else "")


@dataclass
class _Reading:
    family: str                      # ghost | fold | free
    codec: Codec
    pairs: list[tuple[int, int]]     # the reading's bytes, two by two
    restored: list[str] = field(default_factory=list)   # what was guessed, for the evidence
    cost: float = 0.0
    lost_trail: int | None = None    # the fold says the lost character ended in this byte
    gain: float = 0.0
    tail: str = ""                   # an ASCII letter the reader took as a second byte, back in step

    @property
    def chars(self) -> str:
        return "".join(self.codec.pair(a, b) or "\ufffd" for a, b in self.pairs) + self.tail


def signals_in(text: str) -> tuple[str, ...]:
    return tuple(name for name, rx in _CATEGORY_RE.items() if rx.search(text))


def _readings_of(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin
    return frozenset(r for style in (Style.TONE, Style.NORMAL)
                     for group in pinyin(ch, style=style, heteronym=True) for r in group)


@lru_cache(maxsize=65536)
def reads_as(ch: str, syllable: str) -> bool:
    """Is syllable (tone marks or none) a reading of ch?  reads_as('側', 'cè') -> True"""
    return bool(ch) and syllable.replace("v", "ü") in _readings_of(ch)


def _hex(pairs) -> str:
    return " ".join(bytes(p).hex() for p in pairs)


# ---------------------------------------------------------------- what the article itself tells

@dataclass(frozen=True)
class Facts:
    """Evidence from the whole article: the words it uses, and how its pinyin converter behaves."""
    article: str
    local: object                 # zhmodel.Local: the article's own recurring words
    ghosts_converted: bool        # the converter glues readings only to characters it converted


SUSPECT_REACH = 20   # characters after a mark that may be out of step (left out of the article's words)


def article_facts(article: str) -> Facts:
    """Facts for scan_line, from the whole article text."""
    from .chinese import to_simplified as simp
    from .zhmodel import local_words
    clean_parts, pos = [], 0
    for m in _MARK.finditer(article):
        clean_parts.append(article[pos:m.start()])
        nxt = re.search(r"[\x00-\x7f，。；：、]", article[m.end():m.end() + SUSPECT_REACH])
        pos = m.end() + (nxt.start() if nxt else SUSPECT_REACH)
    clean_parts.append(article[pos:])
    han = sum(1 for c in article if "\u3400" <= c <= "\u9fff")
    glued = [m.group(1) for m in re.finditer(f"([\u3400-\u9fff])\\([a-z{TONED}]{{1,7}}\\)", article)]
    converted = sum(1 for c in glued if simp(c) != c)
    return Facts(article, local_words(clean_parts, han),
                 len(glued) >= GHOST_RULE_MIN and converted >= GHOST_RULE_SHARE * len(glued))


GHOST_RULE_MIN = 10      # glued readings needed before the article's converter habit counts as evidence
GHOST_RULE_SHARE = 0.95


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


class _Prover:
    """Tries the out-of-step hypothesis at one mark of one line."""

    def __init__(self, text: str, mark: re.Match, facts: Facts):
        self.text, self.mark, self.facts = text, mark, facts
        self.ghost = _GHOST.match(text, mark.end())
        self.before = text[mark.start() - 1] if mark.start() > 0 else ""
        self.left = _context(text[:mark.start()], -1)
        self._chosen: dict = {}

    def local(self, *parts: str) -> float:
        from .zhmodel import score
        return score("".join(parts), self.facts.local)

    def shortlist(self, options: dict[int, str], left: str = "", right: str = "", n: int = SHORTLIST) -> list[int]:
        """The n options whose character is likeliest beside its nearest neighbours (ties by byte value)."""
        from .zhmodel import affinity
        return sorted(options, key=lambda k: (-affinity(left, options[k], right, self.facts.local), k))[:n]

    def choose(self, options: dict[int, str], left: str, right: str) -> int:
        key = (tuple(options.items()), left, right)
        if key not in self._chosen:
            self._chosen[key] = max(self.shortlist(options, left, right),
                                    key=lambda k: (self.local(left, options[k], right), -k))
        return self._chosen[key]

    # -- leads
    def hypotheses(self, run: _Run, codec: Codec) -> list[_Reading]:
        data, text, mark, ghost = run.data, self.text, self.mark, self.ghost
        if not codec.is_trail(data[0]):
            return []
        firsts = {L: c for L in codec.leads if (c := codec.pair(L, data[0]))}
        body = data[1:] if run.end == "ascii" else data[1:-1]
        tail = chr(data[-1]) if run.end == "inner" else ""
        middle = [(body[i], body[i + 1]) for i in range(0, len(body) - 1, 2)]
        if not firsts or any(codec.pair(a, b) is None for a, b in middle):
            return []
        families: list[tuple[str, list[int], int | None]] = []
        p2, fits = None, []
        if ghost and self.before and (pb := codec.char_bytes(self.before)) and len(pb) == 2:
            p2 = pb[1]
            fits = [L for L in firsts if self._ghost_fits(codec.pair(p2, L) or "", ghost.group(1))]
            families += [("ghost", [L], None) for L in fits[:6]]
        folded = _FOLD.get(mark.group(0)[-1])
        fb = codec.char_bytes(folded) if folded else None
        if fb and len(fb) == 2 and fb[1] in firsts:
            families.append(("fold", [fb[1]], fb[0]))
        families.append(("free", sorted(firsts), None))
        mid_text = "".join(codec.pair(a, b) for a, b in middle)
        out = []
        for family, leads, lost_trail in families:
            lead = self.choose({L: firsts[L] for L in leads}, self.left[-4:], mid_text[:4])
            r = _Reading(family, codec, [(lead, data[0])] + middle, lost_trail=lost_trail, tail=tail)
            if family == "ghost":
                why = (f"the ghost '{ghost.group(0)}' reads the phantom {codec.pair(p2, lead)} ({p2:02x} {lead:02x}) "
                       f"made of {self.before}'s last byte and this one" + (f", one of {len(fits)}" if len(fits) > 1 else ""))
            elif family == "fold":
                why = f"the '{mark.group(0)[-1]}' is {folded} ({fb.hex(' ')}) read out of step"
            else:
                why = f"the likeliest of {len(leads)}"
            r.restored.append(f"lead {lead:02x} ({why})")
            out.append(r)
        return out

    def _ghost_fits(self, phantom: str, syllable: str) -> bool:
        if not reads_as(phantom, syllable):
            return False
        return not self.facts.ghosts_converted or to_simplified(phantom) != phantom

    # -- the last character's second byte
    def restore_trail(self, r: _Reading, last: int, right: str, glued: str | None, again: bool = False) -> bool:
        options = {T: c for T in r.codec.trails if (c := r.codec.pair(last, T))}
        if glued:
            options = {T: c for T, c in options.items() if reads_as(c, glued)} or options
        if not options:
            return False
        if again:
            r.pairs.pop()
        T = self.choose(options, r.chars[-4:], right[:4])
        r.pairs.append((last, T))
        note = f"second byte {T:02x} after {last:02x}" + (
            f" (read {glued}, as the glued pinyin says)" if glued and reads_as(options[T], glued)
            else f" (the likeliest of {len(options)})")
        if again:
            r.restored = [note if n.startswith("second byte") else n for n in r.restored]
        else:
            r.restored.append(note)
        return True

    # -- pairs the reader dropped
    def restore_pairs(self, r: _Reading, right: str, fixed_first: bool, free_last: dict[int, str] | None) -> None:
        """Where a character of the reading stands alone and costly, try the pair the reader may have
        dropped inside it; when the next character is the guessed last one, choose its byte jointly."""
        from .zhmodel import lone_characters
        codec, left = r.codec, self.left
        for _ in range(3):
            chars = r.chars
            bad = [(c, k) for c, k in lone_characters(chars, self.facts.local)
                   if c < LONE_CHAR and (k > 0 or fixed_first) and k < len(r.pairs)][:4]
            bad += [(-99.0, k) for k, ch in enumerate(chars) if _CATEGORY_RE["foreign-script"].match(ch)
                    and (k > 0 or fixed_first) and k < len(r.pairs) and (-99.0, k) not in bad][:2]
            if not bad:
                return
            current = self.local(left, chars, right)
            best = None
            for _, k in bad:
                b1, b2 = r.pairs[k]
                joint = free_last is not None and k == len(chars) - 2
                tail = chars[k + 1:]
                lctx = (left + chars[:k])[-4:]
                xs = {X: c for X in codec.drop_leads() if (c := codec.pair(b1, X))}
                xs = {X: xs[X] for X in sorted(xs, key=lambda X: -self.local(lctx, xs[X]))[:6]}
                ys = {Y: c for Y in codec.leads if (c := codec.pair(Y, b2))}
                if joint:
                    ts = sorted(self.shortlist(free_last, "", right), key=lambda T: -self.local(free_last[T], right[:4]))[:10]
                    tails = {T: free_last[T] for T in ts}
                else:
                    tails = {None: tail}
                ys = {Y: ys[Y] for Y in self.shortlist(ys, "", tail + right)}
                rank = {Y: max(self.local(ys[Y], (t + right)[:4]) for t in tails.values()) for Y in ys}
                top_y = sorted(ys, key=lambda Y: -rank[Y])[:8]
                tried = [(X, Y, T) for X in xs for Y in top_y if codec.dropped(X, Y) for T in tails]
                if not tried:
                    continue
                X, Y, T = max(tried, key=lambda p: self.local(lctx, xs[p[0]], ys[p[1]], (tails[p[2]] + right)[:4]))
                new = chars[:k] + xs[X] + ys[Y] + tails[T] + (r.tail if T is not None else "")
                gain = self.local(left, new, right) - current - PAIR_PRIOR
                if gain >= PAIR_ACCEPT and (best is None or gain > best[0]):
                    best = (gain, k, X, Y, T)
            if best is None:
                return
            _, k, X, Y, T = best
            b1, b2 = r.pairs[k]
            r.pairs[k:k + 1] = [(b1, X), (Y, b2)]
            if T is not None:
                r.pairs[-1] = (r.pairs[-1][0], T)
                r.restored = [n if not n.startswith("second byte") else
                              f"second byte {T:02x} after {r.pairs[-1][0]:02x} (chosen with the pair before it)"
                              for n in r.restored]
            r.cost += PAIR_PRIOR
            r.restored.append(f"dropped pair {X:02x} {Y:02x} between {b1:02x} and {b2:02x} "
                              f"(a code the reader could not show)")

    # -- the whole proof
    def prove(self, number: int) -> Finding | None:
        text, mark, ghost = self.text, self.mark, self.ghost
        start = ghost.end() if ghost else mark.end()
        best, tried = None, []
        runs = []
        for codec in CODECS:
            run = _run_at(text, start, codec)
            if run is None:
                continue
            runs.append((codec, run))
            inner = run if run.end != "ascii" else _Run(run.start, run.stop - 1, run.data[:-1], "silent")
            if inner.end == "silent" and 0x40 <= inner.data[-1] <= 0x7E and len(inner.data) >= 4:
                runs.append((codec, _Run(inner.start, inner.stop, inner.data, "inner")))
        for codec, run in runs:
            stop = run.stop + (1 if run.end == "mark" else 0)
            after = text[stop:]
            glued = None
            if run.end == "mark" and (g := _GHOST.match(after)):
                glued = g.group(1)
            elif run.end in ("silent", "mark") and (g := _GLUED.match(after)):
                glued = g.group(1)
            right = _context(after, 1)
            garbled = self.local(self.left, text[mark.start():stop], right)
            digit = ""
            if run.end == "mark" and (d := re.match(r"0\d+", after)):
                digit = _lost_digit(self.facts.article, d.group(0))[0]
            for r in self.hypotheses(run, codec):
                if run.end in ("silent", "mark") and not self.restore_trail(r, run.data[-1], right, glued):
                    continue
                free_last = None
                if run.end in ("silent", "mark"):
                    free_last = {T: c for T in codec.trails if (c := codec.pair(run.data[-1], T))}
                    if glued and any(reads_as(c, glued) for c in free_last.values()):
                        free_last = None          # the glued pinyin already settles it
                leftover = ghost.group(0) if ghost and r.family != "ghost" else ""
                context = (right, free_last, leftover, digit, garbled)
                r.gain = self.local(self.left, leftover, r.chars, digit, right) - garbled
                tried.append((r.gain - r.cost, r, run, stop, context))
        # Dropped pairs are looked for only in the readings that already come close.
        tried.sort(key=lambda t: -t[0])
        for net, r, run, stop, (right, free_last, leftover, digit, garbled) in tried[:REFINE]:
            if net < ACCEPT - PAIR_HEADROOM:
                break
            self.restore_pairs(r, right, r.family != "free", free_last)
            r.gain = self.local(self.left, leftover, r.chars, digit, right) - garbled
            if best is None or r.gain - r.cost > best[0]:
                best = (r.gain - r.cost, r, run, stop)
        if best is None or best[0] < ACCEPT:
            return None
        return self._finding(number, *best[1:])

    def _finding(self, number: int, r: _Reading, run: _Run, stop: int) -> Finding:
        text, mark = self.text, self.mark
        reading, after = r.chars, text[stop:]
        suffix, suffix_why, consumed = "", "", stop
        g = _GHOST.match(after) if run.end == "mark" else _GLUED.match(after)
        if g and reads_as(reading[-1], g.group(1)):
            consumed += g.end()        # the glued reading of the last character (or what the '?' left of it)
        elif run.end == "mark" and (d := re.match(r"0\d+", after)):
            suffix, suffix_why = _lost_digit(self.facts.article, d.group(0))
        prefix, prefix_why = _lost_punctuation(r, text[:mark.start()])
        simple = to_simplified(reading)
        evidence = (f"{r.codec.name} one byte out of step: {text[run.start:run.stop]} = {r.codec.name} "
                    f"{run.data.hex(' ')}; restored {'; '.join(r.restored)} → {_hex(r.pairs)}"
                    + (f" {r.tail.encode().hex()}" if r.tail else "") + f" = {reading}"
                    + (f" → {simple}" if simple != reading else "")
                    + f"; {r.gain - r.cost:+.1f} nats over the text as it stands"
                    + (f" ({r.cost:.1f} paid for dropped pairs)" if r.cost else ""))
        span = text[mark.start():consumed]
        return Finding(number, mark.start(), consumed, span, to_simplified(prefix) + simple + suffix,
                       f"{r.codec.name} one byte out of step", signals_in(span), evidence,
                       "; ".join(x for x in (prefix_why, suffix_why) if x), simple, round(r.gain - r.cost, 1))


# ---------------------------------------------------------------- what the bytes do not settle

def _lost_punctuation(r: _Reading, before: str) -> tuple[str, str]:
    """(text, reason) for what stood before the reading where the mark is."""
    if r.family == "ghost":
        return "", ""
    if not before or not (before[-1].isalnum() or "\u3400" <= before[-1] <= "\u9fff" or before[-1] in "%）)”’"):
        return "", ""
    if r.lost_trail is not None:
        fits = [p for p in PUNCTUATION if (b := r.codec.char_bytes(p)) and b[-1] == r.lost_trail]
        if len(fits) == 1:
            return fits[0], f"{fits[0]} before it: the lost character ended in byte {r.lost_trail:02x}, and of the punctuation only {fits[0]} does"
    first = r.chars[:1]
    if first == "“" and to_simplified(before).endswith(SPEECH_VERBS):
        return "：", "： before it: a quotation follows a verb of saying"
    if first in "“”":
        return "。", f"。 before it: a sentence ends before the {'closing' if first == '”' else 'opening'} quotation mark"
    return "。", "。 before it: the text before reads as a complete sentence (a guess; could be ， or ；)"


def _lost_digit(article: str, digits: str) -> tuple[str, str]:
    """A digit swallowed with the last byte, when the number left starts with 0: the article's other numbers."""
    counts = Counter(m[: len(m) - len(digits)] for m in re.findall(r"\d+", article)
                     if len(m) == len(digits) + 1 and m.endswith(digits))
    if not counts:
        return "", ""
    d, n = counts.most_common(1)[0]
    return d, f"digit {d} after it: the '?' took one more byte, and {d}{digits} occurs {n} time(s) elsewhere in the article"


def quotes_balanced(text: str) -> bool:
    """Chinese double quotes open and close in turn: “…”“…” yes, …。”“… with no opener no."""
    depth = 0
    for ch in text:
        if ch == "“":
            if depth:
                return False
            depth = 1
        elif ch == "”":
            if not depth:
                return False
            depth = 0
    return depth == 0


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


def apply(text: str, findings) -> str:
    """The line with every finding's fixed text in place (unrepaired ones left as they are)."""
    out, pos = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:
            continue
        out.append(text[pos:f.start])
        out.append(f.text if f.fixed is None else f.fixed)
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def scan(text: str) -> list[Finding]:
    """scan_line over every line of an article (lines numbered from 1, stripped as clean does)."""
    out, facts = [], article_facts(text)
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.replace("\u00a0", " ").strip()
        if raw:
            out.extend(scan_line(raw, number, facts))
    return out


# ---------------------------------------------------------------- recorded decisions against the bytes

def _fits(codec: Codec, data: bytes, end: str, body: str) -> str | None:
    """How body (Simplified) is a reading of the run's bytes — lead restored, pairs the reader
    dropped put back, the last second byte restored — as the restored bytes in hex; None if it is not."""
    simp = char_to_simplified
    target = [simp(c) for c in body]
    n = len(data)
    last_needs_trail = end != "ascii"

    def char_ok(ch: str | None, j: int) -> bool:
        return ch is not None and j < len(target) and simp(ch) == target[j]

    # state: (byte index i, body index j) -> restored bytes so far
    frontier: dict[tuple[int, int], list[str]] = {}
    for L in codec.leads:
        if char_ok(codec.pair(L, data[0]), 0):
            frontier.setdefault((1, 1), [f"lead {L:02x}"])
        for X in codec.drop_leads():
            if char_ok(codec.pair(L, X), 0):
                for Y in codec.leads:
                    if codec.dropped(X, Y) and char_ok(codec.pair(Y, data[0]), 1):
                        frontier.setdefault((1, 2), [f"lead {L:02x}", f"pair {X:02x} {Y:02x}"])
    seen = set()
    while frontier:
        (i, j), how = frontier.popitem()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if last_needs_trail and i == n - 1:
            if any(char_ok(codec.pair(data[i], T), j) for T in codec.trails) and j + 1 == len(target):
                T = next(T for T in codec.trails if char_ok(codec.pair(data[i], T), j))
                return "; ".join(how + [f"second byte {T:02x}"])
            continue
        if i == n:
            if not last_needs_trail and j == len(target):
                return "; ".join(how) or "nothing"
            continue
        if i + 1 < n + (0 if last_needs_trail else 0) and i + 1 <= n - 1:
            if char_ok(codec.pair(data[i], data[i + 1]), j):
                frontier.setdefault((i + 2, j + 1), how)
            for X in codec.drop_leads():
                if char_ok(codec.pair(data[i], X), j):
                    for Y in codec.leads:
                        if codec.dropped(X, Y) and char_ok(codec.pair(Y, data[i + 1]), j + 1):
                            frontier.setdefault((i + 2, j + 2), how + [f"pair {X:02x} {Y:02x}"])
    return None


_INFERRABLE = set(PUNCTUATION + "“”‘’")


@dataclass(frozen=True)
class Verdict:
    """What the bytes say about a recorded repair."""
    ok: bool
    message: str          # one line: agrees / differs only in what the bytes leave open / contradicts


def verify(line: str, finding: Finding, garbled: str, fixed: str, facts: Facts, others=()) -> Verdict:
    """Is a recorded repair of the span the finding covers a reading the bytes allow?

    The byte-proved part must be a reading of the run (lead, dropped pairs and last byte free);
    what is left over must be what the bytes cannot settle (punctuation before, digits after);
    and the line's quotation marks must balance if they balance with the proposals (others: the
    line's other findings, repaired as proposed on both sides)."""
    mark = _MARK.match(line, finding.start)
    if mark is None or not finding.fixed:
        return Verdict(True, "recorded; the detector proposes nothing here")
    prover = _Prover(line, mark, facts)
    start = prover.ghost.end() if prover.ghost else mark.end()
    simple_fixed = to_simplified(fixed)
    for codec in CODECS:
        run = _run_at(line, start, codec)
        if run is None or not codec.is_trail(run.data[0]):
            continue
        for p in range(0, 3):
            for q in range(0, 7):
                body = simple_fixed[p:len(simple_fixed) - q]
                head, tail = simple_fixed[:p], simple_fixed[len(simple_fixed) - q:]
                if not body or any(c not in _INFERRABLE for c in head) or (tail and not tail.isdigit()):
                    continue
                how = _fits(codec, run.data, run.end, body)
                if how is None:
                    continue
                rest = [f for f in others if f is not finding and f.fixed and not (f.start < finding.end and finding.start < f.end)]
                at = line.find(garbled)
                recorded = Finding(0, at, at + len(garbled), garbled, fixed, "", (), "")
                if quotes_balanced(apply(line, rest + [finding])) and not quotes_balanced(apply(line, rest + [recorded])):
                    return Verdict(False, f"the bytes read {body} ({how}), but the recorded {head or 'nothing'} "
                                          f"before it leaves the line's quotation marks unbalanced")
                if simple_fixed == finding.fixed or apply(line, [finding]) == to_simplified(apply(line, [recorded])):
                    return Verdict(True, "agrees with the bytes")
                differs = "the reading" if body != finding.reading else "what the bytes leave open"
                return Verdict(True, f"fits the bytes ({how}); differs from the proposal {finding.fixed} in {differs}")
    return Verdict(False, f"no reading of these bytes gives {simple_fixed}; the bytes read {finding.reading}")


# ---------------------------------------------------------------- decisions and the page

@dataclass(frozen=True)
class Repair:
    """A span as the page shows it: a reviewed repair, a proposed one, or damage flagged as it is."""
    text: str                 # the damaged text as it stands in the seed
    fixed: str                # what the page shows (the text itself for a flag)
    note: str
    line: int = 0             # the decision's line in the side file (0 if none)
    status: str = "reviewed"  # reviewed | proposed | flagged
    evidence: str = ""
    inferred: str = ""


def resolve_line(raw: str, number: int, decisions, facts_of, used: set) -> tuple[str, list[Repair], list[Finding]]:
    """The line with repaired spans between MARK_OPEN and MARK_CLOSE, the repairs in text order,
    and the findings no decision covers (proposed repairs are applied and marked as proposed).

    decisions: ingest.Decision items (text, fixed or None for keep, note, line); facts_of: a
    function returning the article's Facts (computed only when the line needs them); used: the
    side-file lines of decisions that matched, updated in place."""
    from .chinese import MARK_CLOSE, MARK_OPEN
    findings = scan_line(raw, number, facts_of()) if (_MARK.search(raw) or NEVER_TEXT.search(raw)) else []
    spans: list[tuple[int, int, Repair]] = []
    for d in sorted(decisions, key=lambda d: -len(d.text)):
        pos = raw.find(d.text)
        while pos != -1:
            end = pos + len(d.text)
            if not any(s < end and pos < e for s, e, _ in spans):
                used.add(d.line)
                if d.fixed is not None:
                    f = next((f for f in findings if f.start < end and pos < f.end and f.fixed), None)
                    spans.append((pos, end, Repair(d.text, d.fixed, d.note, d.line, "reviewed",
                                                   f.evidence if f else "", f.inferred if f else "")))
                else:
                    spans.append((pos, end, None))
            pos = raw.find(d.text, pos + 1)
    undecided = []
    for f in findings:
        if any(s < f.end and f.start < e for s, e, _ in spans):
            continue
        undecided.append(f)
        if f.fixed is not None:
            note = f"Proposed from the bytes, not yet reviewed: {f.evidence}" + (f" INFERRED: {f.inferred}." if f.inferred else "")
            spans.append((f.start, f.end, Repair(f.text, f.fixed, note, 0, "proposed", f.evidence, f.inferred)))
        else:
            spans.append((f.start, f.end, Repair(f.text, f.text, f"Possible damage, not repaired: {f.evidence}", 0,
                                                 "flagged", f.evidence)))
    out, pos, repairs = [], 0, []
    for s, e, rep in sorted(spans, key=lambda x: x[0]):
        out.append(raw[pos:s])
        if rep is None:
            out.append(raw[s:e])
        else:
            out.append(MARK_OPEN + rep.fixed + MARK_CLOSE)
            repairs.append(rep)
        pos = e
    out.append(raw[pos:])
    return "".join(out), repairs, undecided


# ---------------------------------------------------------------- accepting proposals into the side file

@locked_edit          # two commands editing one side file take turns
def accept_repairs(side: Path, findings) -> list[Finding]:
    """Append each proposed repair (findings with a reading) to the side file's `mojibake:` list,
    as garbled / fixed / note, keeping everything else in the file as it was (ruamel.yaml round
    trip). The file is replaced atomically: a temporary file in the same folder, then a rename; on
    any error the temporary file is removed and the side file is untouched. Returns what was written."""
    import io
    import tempfile

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from .errors import BuildError
    chosen = [f for f in findings if f.fixed is not None]
    if not chosen:
        return []
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    try:
        data = yaml.load(side.read_text(encoding="utf-8")) if side.exists() else None
    except Exception as exc:            # ruamel raises many kinds; all mean the file cannot be edited safely
        raise BuildError(side, f"cannot read the side file: {str(exc).splitlines()[0]}", None,
                         "fix its YAML first") from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, dict):
        raise BuildError(side, "side file must be a mapping", 1, "see seeds/README.md")
    seq = data.get("mojibake")
    if seq is None:
        seq = data["mojibake"] = CommentedSeq()
    if not isinstance(seq, list):
        raise BuildError(side, "'mojibake' must be a list", None, "write mojibake: as a list of decisions")
    have = {str(item.get("garbled", item.get("keep", ""))) for item in seq if isinstance(item, dict)}
    written = []
    for f in chosen:
        if f.text in have:
            continue
        item = CommentedMap()
        item["garbled"] = f.text
        item["fixed"] = f.fixed
        item["note"] = f"accepted from the bytes: {f.evidence}" + (f"; INFERRED: {f.inferred}" if f.inferred else "")
        seq.append(item)
        have.add(f.text)
        written.append(f)
    if not written:
        return []
    buf = io.StringIO()
    yaml.dump(data, buf)
    fd, tmp = tempfile.mkstemp(dir=side.parent, prefix=f".{side.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(buf.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, side)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return written


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


def covered(finding, text: str, decision_text: str) -> bool:
    """True when an occurrence of decision_text in the line overlaps the finding's span."""
    start = text.find(decision_text)
    while start != -1:
        if start < finding.end and finding.start < start + len(decision_text):
            return True
        start = text.find(decision_text, start + 1)
    return False
