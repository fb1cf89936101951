"""Repair proposals: trying the out-of-step hypothesis at one mark and keeping the reading only on proof.

`_Prover` restores the lost lead byte (the pinyin ghost or the folded mark pins it when present), a
lost last second byte, pairs the reader dropped, decodes, and scores the reading against the text
as it stands (`zhmodel.score`). The reading must win by `required_margin(len)` nats after paying for
every guessed byte: a short span needs proportionally stronger evidence. A reading that wins by less
becomes an *unproven* flag for a person, never a repair. What the bytes cannot settle (punctuation
before the run, a digit swallowed after it) is proposed from context and marked as inferred.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ..chinese import to_simplified
from .codec import CODECS, Codec, _CATEGORY_RE, _FOLD, _GHOST, _GLUED, _Run, _context, _hex, _run_at, reads_as, signals_in
from .finding import Facts, Finding

ACCEPT = 8.0          # nats a reading must win by, after paying for the guessed bytes, per the length rule below
MIN_MARGIN = 16.0     # nats any reading must win by: a short span explains little, and chance readings of
                      # ordinary text (提！八 → 。前他, 9 nats) reach 12; every garble in the seeds wins by 22 or more
PER_CHAR = 3.0        # nats per character of the reading: a long reading must be better all along, not in one spot
PAIR_PRIOR = 1.0      # nats a dropped pair costs: how rarely an out-of-step pair falls where the reader drops it
PAIR_ACCEPT = 1.0     # nats a restored pair must add beyond that
REFINE = 3            # readings in which dropped pairs are looked for
PAIR_HEADROOM = 30.0  # ... if they come within this many nats of their required margin without them
LONE_CHAR = -8.0      # a character of a reading that no word explains and that costs more may hide a dropped pair
SHORTLIST = 40        # candidate characters for one unknown byte, by their own likelihood, scored in context
PUNCTUATION = "。，；：、？！"
SPEECH_VERBS = ("表示", "说", "称", "指出", "认为", "提到", "强调", "介绍", "坦言", "透露", "写道", "问")


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


def required_margin(chars: int) -> float:
    """Nats a reading of `chars` characters must win by: a short span needs proportionally stronger
    evidence than a long one, so the margin has a floor and grows with the length read.

    >>> required_margin(2), required_margin(5), required_margin(9)
    (16.0, 16.0, 27.0)
    """
    return max(ACCEPT, MIN_MARGIN, PER_CHAR * chars)


class _Prover:
    """Tries the out-of-step hypothesis at one mark of one line."""

    def __init__(self, text: str, mark: re.Match, facts: Facts):
        self.text, self.mark, self.facts = text, mark, facts
        self.ghost = _GHOST.match(text, mark.end())
        self.before = text[mark.start() - 1] if mark.start() > 0 else ""
        self.left = _context(text[:mark.start()], -1)
        self._chosen: dict = {}

    def local(self, *parts: str) -> float:
        from ..zhmodel import score
        return score("".join(parts), self.facts.local)

    def shortlist(self, options: dict[int, str], left: str = "", right: str = "", n: int = SHORTLIST) -> list[int]:
        """The n options whose character is likeliest beside its nearest neighbours (ties by byte value)."""
        from ..zhmodel import shortlist
        return shortlist(options, left, right, n, self.facts.local)

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
        firsts = dict(codec.before(data[0]))
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
        options = dict(r.codec.after(last))
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
        from ..zhmodel import lone_characters
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
                ys = codec.before(b2)
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
                    free_last = dict(codec.after(run.data[-1]))
                    if glued and any(reads_as(c, glued) for c in free_last.values()):
                        free_last = None          # the glued pinyin already settles it
                leftover = ghost.group(0) if ghost and r.family != "ghost" else ""
                context = (right, free_last, leftover, digit, garbled)
                r.gain = self.local(self.left, leftover, r.chars, digit, right) - garbled
                tried.append((r.gain - r.cost, r, run, stop, context))
        # Dropped pairs are looked for only in the readings that already come close.
        tried.sort(key=lambda t: -t[0])
        for net, r, run, stop, (right, free_last, leftover, digit, garbled) in tried[:REFINE]:
            if net < required_margin(len(r.chars)) - PAIR_HEADROOM:
                continue                  # too far below what this reading would need, even with pairs
            self.restore_pairs(r, right, r.family != "free", free_last)
            r.gain = self.local(self.left, leftover, r.chars, digit, right) - garbled
            if best is None or r.gain - r.cost > best[0]:
                best = (r.gain - r.cost, r, run, stop)
        if best is None or best[0] < ACCEPT:
            return None
        finding = self._finding(number, *best[1:])
        need = required_margin(len(best[1].chars))
        if best[0] >= need:
            return finding
        # A reading wins, but by less than a span this short must: the bytes suggest, they do not prove.
        # A person decides (the page marks it); the text is never changed on this evidence.
        return replace(finding, fixed=None, category=f"{best[1].codec.name} one byte out of step, unproven",
                       evidence=f"{finding.evidence}; under the {need:.0f} nats a reading of "
                                f"{len(best[1].chars)} characters must win by: suggested {finding.fixed!r}, not proved",
                       inferred="")

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
