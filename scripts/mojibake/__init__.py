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

The package, by concern:

- `codec` — the byte model: codecs, signals, the out-of-step run after a mark;
- `finding` — what is reported (`Finding`) and what the whole article tells (`Facts`);
- `proof` — repair proposals: the hypothesis tried at one mark, the length-aware margin;
- `detect` — the scan of a line or an article; the rarity table ingest uses;
- `decisions` — recorded repairs checked against the bytes, the page's spans, `accept_repairs`.

`from scripts import mojibake` gives the public names of all five.
"""
from __future__ import annotations

from .codec import BIG5, CATEGORY_NOTES, CODECS, GBK, MOJIBAKE_CATEGORIES, NEVER_TEXT, Codec, reads_as, signals_in
from .decisions import Repair, Verdict, accept_repairs, covered, resolve_line, verify
from .detect import flag_line, han_frequency, is_rare_han, scan, scan_line
from .finding import Facts, Finding, apply, article_facts, quotes_balanced
from .proof import ACCEPT, MIN_MARGIN, PER_CHAR, PUNCTUATION, required_margin

__all__ = [
    "ACCEPT", "BIG5", "CATEGORY_NOTES", "CODECS", "Codec", "Facts", "Finding", "GBK", "MIN_MARGIN",
    "MOJIBAKE_CATEGORIES", "NEVER_TEXT", "PER_CHAR", "PUNCTUATION", "Repair", "Verdict", "accept_repairs",
    "apply", "article_facts", "covered", "flag_line", "han_frequency", "is_rare_han", "quotes_balanced",
    "reads_as", "required_margin", "resolve_line", "scan", "scan_line", "signals_in", "verify",
]
