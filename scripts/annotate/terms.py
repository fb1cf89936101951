"""Glossary and who's who: loading, validation, and finding terms in text (pyahocorasick).

Both files are YAML lists of entries (see the header comment of each). Validation points at the
file and line: duplicate ids, a surface form claimed by two entries, missing fields, related ids
that do not exist.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from .. import yamlio
from ..chinese import HAN_RE, to_traditional
from ..errors import BuildError

GLOSSARY_CATEGORIES = ("industry", "technology", "business", "finance", "markets", "policy", "idiom")
ENTITY_CATEGORIES = ("company", "model", "person", "institution", "media")
REQUIRED = ("id", "zh", "en", "category", "definition")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Term:
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
        return to_traditional(self.zh)

    @property
    def page(self) -> str:
        return "glossary" if self.kind == "glossary" else "who"

    @property
    def short_definition(self) -> str:
        """The definition's first sentence."""
        return re.split(r"(?<=[.!?])\s", self.definition.strip(), maxsplit=1)[0]

    def tooltip(self) -> str:
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
    from pypinyin import Style, lazy_pinyin
    if not HAN_RE.search(text):
        return ""
    return " ".join(p for p in lazy_pinyin(text, style=Style.TONE, errors="ignore") if p.strip())


def load_terms(path: Path, kind: str) -> list[Term]:
    if not path.exists():
        return []
    data = yamlio.load(path) or []
    yamlio.expect(isinstance(data, list), path, 1, "expected a YAML list of entries", "start each entry with '- id:'")
    categories = GLOSSARY_CATEGORIES if kind == "glossary" else ENTITY_CATEGORIES
    out = []
    for item in data:
        line = getattr(item, "line", 1)
        yamlio.expect(isinstance(item, dict), path, line, "an entry must be a mapping", "")
        for key in REQUIRED:
            yamlio.expect(bool(str(item.get(key) or "").strip()), path, line,
                          f"entry {item.get('id', '?')!r} lacks {key}", f"add {key}: …")
        tid = str(item["id"])
        yamlio.expect(bool(_ID.match(tid)), path, item.line_of("id"), f"bad id {tid!r}",
                      "use lowercase letters, digits and hyphens")
        yamlio.expect(item["category"] in categories, path, item.line_of("category"),
                      f"unknown category {item['category']!r}", f"use one of {', '.join(categories)}")
        match = item.get("match") or []
        yamlio.expect(isinstance(match, list), path, item.line_of("match"), "match must be a list", "")
        variants = item.get("variants") or []
        yamlio.expect(isinstance(variants, list), path, item.line_of("variants"), "variants must be a list", "")
        forms = tuple(dict.fromkeys([str(item["zh"])] + [str(m) for m in match]))
        pinyin = str(item.get("pinyin") or "") or generated_pinyin(str(item["zh"]))
        out.append(Term(tid, str(item["zh"]), forms, pinyin, str(item["en"]), tuple(str(v) for v in variants),
                        str(item["category"]), " ".join(str(item["definition"]).split()),
                        tuple(str(r) for r in item.get("related") or []), kind, str(item.get("role") or ""),
                        str(path), line))
    return out


def validate(terms: list[Term]) -> None:
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


class Matcher:
    """Leftmost-longest matching of every surface form, Latin forms only at word edges."""

    def __init__(self, terms: list[Term]):
        self.automaton = ahocorasick.Automaton()
        self.size = 0
        for t in terms:
            for f in t.forms:
                self.automaton.add_word(f, (f, t))
                self.size += 1
        if self.size:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, Term]]:
        """Leftmost-longest matches that begin and end on word boundaries (大厂 not in 各大厂商)."""
        if not self.size:
            return []
        from .words import boundaries
        edges = boundaries(text)
        hits = []
        for end, (form, term) in self.automaton.iter(text):
            start = end - len(form) + 1
            if form[0].isascii() and form[0].isalnum() and start > 0 and text[start - 1].isascii() and text[start - 1].isalnum():
                continue
            if form[-1].isascii() and form[-1].isalnum() and end + 1 < len(text) and text[end + 1].isascii() and text[end + 1].isalnum():
                continue
            if start not in edges or end + 1 not in edges:
                continue
            hits.append((start, end + 1, term))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out, last = [], 0
        for s, e, t in hits:
            if s >= last:
                out.append((s, e, t))
                last = e
        return out
