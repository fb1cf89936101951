"""What the detector reports and what it knows of the whole article.

`Finding` is one span of one line: a proved reading (fixed) or damage to decide (fixed None), with
its evidence. `Facts` hold what the whole article tells (its recurring words, its pinyin converter's
habit), computed once per article by `article_facts`. `apply` and `quotes_balanced` read a line with
findings in place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .codec import TONED, _MARK

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
        """The category with the signals that fired, for reports."""
        return self.category + (f" [{', '.join(self.signals)}]" if self.signals else "")


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
    from ..chinese import to_simplified as simp
    from ..zhmodel import local_words
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
