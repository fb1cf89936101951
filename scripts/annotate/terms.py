"""Glossary and who's who: loading, validation, and finding terms in text (ahocorasick-rs).

Both files are YAML lists of entries (see the header comment of each), checked against the schema
(scripts/schema/files.py: types, required and unknown keys, categories, id and pinyin patterns);
`validate` then checks across both files: duplicate ids, a surface form claimed by two entries,
related ids that do not exist. Every error names the file and line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ahocorasick_rs import AhoCorasick, MatchKind

from ..chinese import HAN_RE, to_traditional
from ..errors import BuildError
from ..html import SURROGATE_RE



def __getattr__(name: str):
    """GLOSSARY_CATEGORIES and ENTITY_CATEGORIES, declared with the files' schema (scripts/schema/files.py)."""
    if name in ("GLOSSARY_CATEGORIES", "ENTITY_CATEGORIES"):
        from .. import schema
        return getattr(schema.files, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Term:
    """A glossary term or a who's who entry, as the pages link and explain it."""
    id: str
    zh: str
    forms: tuple[str, ...]          # every surface form that links here (zh first)
    pinyin: str
    en: str
    variants: tuple[str, ...]
    category: str
    definition: str
    related: tuple[str, ...]
    kind: str                        # glossary | entity
    role: str = ""
    path: str = ""
    line: int = 0

    @property
    def zh_hant(self) -> str:
        """The term in Traditional characters."""
        return to_traditional(self.zh)

    @property
    def page(self) -> str:
        """The page it is listed on: glossary or who."""
        return "glossary" if self.kind == "glossary" else "who"

    @property
    def short_definition(self) -> str:
        """The definition's first sentence."""
        return re.split(r"(?<=[.!?])\s", self.definition.strip(), maxsplit=1)[0]

    def tooltip(self) -> str:
        """The one-line tooltip: pinyin · English — the definition's first sentence."""
        first = self.short_definition
        head = " · ".join(x for x in (self.pinyin, self.en) if x)
        return f"{head} — {first}" if first else head

    def form_pinyin(self, form: str) -> str:
        """The pinyin of one of the entry's surface forms: the entry's own for zh, the matching
        syllables of it for a form inside zh (so a corrected reading carries over), else generated.

        >>> t = Term("x", "银行业", ("银行业", "行业", "商业银行"), "yín háng yè", "", (), "", "", (), "glossary")
        >>> t.form_pinyin("银行业"), t.form_pinyin("行业"), t.form_pinyin("商业银行")
        ('yín háng yè', 'háng yè', 'shāng yè yín háng')
        """
        if form == self.zh:
            return self.pinyin
        syllables = self.pinyin.split()
        k = self.zh.find(form)
        if k != -1 and len(syllables) == len(self.zh) and all(HAN_RE.match(c) for c in self.zh):
            return " ".join(syllables[k:k + len(form)])
        return generated_pinyin(form)


def generated_pinyin(text: str) -> str:
    """Tone-marked pinyin for the Chinese in text (pypinyin's, scripts/pinyin.py); empty when there is none."""
    from .. import pinyin
    if not HAN_RE.search(text):
        return ""
    return " ".join(p for group in pinyin.tone(text) for p in group if p.strip())


def load_terms(path: Path, kind: str) -> list[Term]:
    """data/glossary.yml (kind "glossary") or data/entities.yml (kind "entity"), checked against
    scripts/schema (files.GLOSSARY / files.ENTITIES); none when the file is missing."""
    from .. import schema
    if not path.exists():
        return []
    data = schema.load(path, schema.files.GLOSSARY if kind == "glossary" else schema.files.ENTITIES)
    return [Term(item["id"], item["zh"], tuple(dict.fromkeys([item["zh"], *item["match"]])),
                 item["pinyin"] or generated_pinyin(item["zh"]), item["en"], tuple(item["variants"]), item["category"],
                 " ".join(item["definition"].split()), tuple(item["related"]), kind, item.get("role") or "",
                 str(path), item.line)
            for item in data]


def validate(terms: list[Term]) -> None:
    """Across glossary and who's who: unique ids, a surface form in one entry only, related ids that exist."""
    ids: dict[str, Term] = {}
    forms: dict[str, Term] = {}
    for t in terms:
        if t.id in ids:
            o = ids[t.id]
            raise BuildError(t.path, f"duplicate id {t.id!r} (also {o.path}:{o.line})", t.line, "rename one")
        ids[t.id] = t
        for f in t.forms:
            if f in forms:
                o = forms[f]
                raise BuildError(t.path, f"{f!r} is claimed by {t.id!r} and by {o.id!r} ({o.path}:{o.line})",
                                 t.line, "a surface form belongs to one entry: remove it from one of them")
            forms[f] = t
    for t in terms:
        for r in t.related:
            if r not in ids:
                raise BuildError(t.path, f"{t.id!r} relates to unknown id {r!r}", t.line, "fix or remove it")


def _latin(ch: str) -> bool:
    """An ASCII letter or digit (a Latin form must not run on into more of them)."""
    return ch.isascii() and ch.isalnum()


class Occurrences:
    """Every occurrence of many strings in a text, overlapping ones too: one Aho-Corasick automaton
    (ahocorasick-rs), searched in one call per text."""

    def __init__(self, strings):
        self.strings = list(dict.fromkeys(s for s in strings if s))
        held = "".join(self.strings)
        # The automaton reads UTF-8, which has no lone surrogates: strings holding one (never a real
        # term) are searched one by one instead, and in a text one is read as a character no string holds.
        plain = self.strings and SURROGATE_RE.search(held) is None
        self.automaton = AhoCorasick(self.strings, matchkind=MatchKind.Standard) if plain else None
        self.stand_in = next(c for c in map(chr, [0xFFFD, *range(0xE000, 0xF900)]) if c not in held)

    def find(self, text: str, ordered: bool = True) -> list[tuple[int, int, int]]:
        """(index into `strings`, start, end) of every occurrence; `ordered`: in order of where they
        end, the longest first among those ending together.

        >>> o = Occurrences(["认知大模型", "大模型", "星火"])
        >>> [(o.strings[i], s, e) for i, s, e in o.find("星火认知大模型")]
        [('星火', 0, 2), ('认知大模型', 2, 7), ('大模型', 4, 7)]
        """
        if not self.strings or not text:
            return []
        if self.automaton is None:
            found = [(i, start, start + len(s)) for i, s in enumerate(self.strings) for start in _starts(s, text)]
        else:
            try:
                found = self.automaton.find_matches_as_indexes(text, overlapping=True)
            except UnicodeEncodeError:
                found = self.automaton.find_matches_as_indexes(SURROGATE_RE.sub(self.stand_in, text), overlapping=True)
        if ordered:
            found.sort(key=_END_LONGEST)
        return found


def _starts(s: str, text: str):
    """Every offset where s occurs in text, overlapping ones too."""
    start = text.find(s)
    while start != -1:
        yield start
        start = text.find(s, start + 1)


def _END_LONGEST(hit: tuple[int, int, int]) -> tuple[int, int]:
    """Sort key: the end, then the start (the longer of two ending together first)."""
    return hit[2], hit[1]


class Matcher:
    """Leftmost-longest matching of every surface form, Latin forms only at word edges."""

    def __init__(self, terms: list[Term]):
        # what find() checks of a form, worked out once: its length, whether it begins and ends with
        # a Latin letter or digit (those must not run on into more of them); a form twice: the last entry
        checks = {f: (len(f), _latin(f[0]), _latin(f[-1]), t) for t in terms for f in t.forms if f}
        self.occurrences = Occurrences(checks)
        self.checks = [checks[f] for f in self.occurrences.strings]
        self.size = len(self.checks)

    def find(self, text: str) -> list[tuple[int, int, Term]]:
        """Leftmost-longest matches that begin and end on word boundaries (大厂 not in 各大厂商)."""
        if not self.size:
            return []
        from .words import boundaries
        n = len(text)
        found = []
        checks = self.checks
        for index, start, end in self.occurrences.find(text, ordered=False):
            size, latin_start, latin_end, term = checks[index]
            if latin_start and start and _latin(text[start - 1]):
                continue
            if latin_end and end < n and _latin(text[end]):
                continue
            found.append((start, -size, end, term))   # sorts leftmost, then longest (one form, one entry)
        if not found:
            return []
        edges = boundaries(text)           # the jieba cut, only for a text where some form occurs
        found.sort()
        out, last = [], 0
        for s, _, e, t in found:
            if s >= last and s in edges and e in edges:
                out.append((s, e, t))
                last = e
        return out
