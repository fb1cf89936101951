"""The schema engine: fields declared once (type, required, pattern, choices, a doc line), checked
against YAML loaded by scripts/yamlio, every failure one line `file:line: message — remedy`.

A small declarative layer of our own rather than pydantic or msgspec: every value it checks carries
its YAML line (LineDict / LineList), so each error names the exact line without mapping a library's
error paths back onto the file; the remedies ("did you mean `pinyin:`?", how to write the value) are
declared with the fields; and the same declarations print the field tables of seeds/README.md.

    >>> from scripts.yamlio import loads
    >>> PERSON = Record("person", (Field("zh", Text(), "name in Chinese", required=True),
    ...                            Field("role", Choice(("author", "editor")), "what they did", default="author")))
    >>> dict(check(loads("zh: 俞琪"), PERSON, "x.yml"))
    {'zh': '俞琪', 'role': 'author'}
    >>> check(loads("zh: 俞琪\\nrloe: editor"), PERSON, "x.yml")
    Traceback (most recent call last):
    scripts.errors.BuildError: x.yml:2: unknown field 'rloe' in person — did you mean `role:`? (fields: zh, role)
"""
from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from datetime import date as _date
from pathlib import Path
from typing import Callable

from ..errors import BuildError
from ..yamlio import LineDict, LineList, kind, shown


# ---------------------------------------------------------------- where a value stands

@dataclass(frozen=True)
class At:
    """Where a value stands: the file, its line, what to call it in a message, and how to write it."""
    path: Path | str
    line: int
    label: str
    example: str = ""

    def fail(self, message: str, remedy: str = "", line: int | None = None):
        """Stop with one line: this file, `line` (or this value's line), the message and the remedy."""
        raise BuildError(shown(self.path), message, line or self.line or None, remedy)

    def item(self, label: str, line: int, example: str = "") -> "At":
        """Where a part of this value stands (a key's value, a list's item)."""
        return At(self.path, line, label, example)


def describe(value) -> str:
    """A value as an error message shows it: "the number 0", "a list", "text 'abc…'".

    >>> describe(0), describe([1]), describe("a" * 50)
    ('the number 0', 'a list', "text 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…'")
    """
    k = kind(value)
    if k == "text":
        return f"text {value[:30] + '…' if len(value) > 30 else value!r}"
    if k == "number":
        return f"the number {value!r}"
    return {"list": "a list", "mapping": "a mapping"}.get(k, k)


def or_list(words) -> str:
    """'a, b or c'."""
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def did_you_mean(word, choices, form: str = "`{}:`") -> str:
    """The remedy for an unknown key or value: the closest choice if one is close, and the choices.

    >>> did_you_mean("pinyn", ("zh", "pinyin", "en"))
    'did you mean `pinyin:`? (fields: zh, pinyin, en)'
    """
    close = difflib.get_close_matches(str(word).lower(), [str(c) for c in choices], n=1, cutoff=0.6)
    listed = ", ".join(str(c) for c in choices)
    if not form.endswith(":`"):
        return f"did you mean {form.format(close[0])}? (use {or_list(choices)})" if close else f"use {or_list(choices)}"
    return f"did you mean {form.format(close[0])}? (fields: {listed})" if close else f"use one of {listed}"


def _line_of(mapping, key, fallback: int) -> int:
    """The line of `key` in a mapping from scripts/yamlio (the fallback for a plain dict)."""
    return mapping.line_of(key) if isinstance(mapping, LineDict) else fallback


def _own_line(value, fallback: int) -> int:
    """The line a list or mapping from scripts/yamlio starts on (the fallback otherwise)."""
    return getattr(value, "line", 0) or fallback


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, (list, dict))
                                                                              and not value)


# ---------------------------------------------------------------- types

class Type:
    """What a value must be. Each type prints its column of the README tables (`doc`) and checks a
    value (`check`): the value as the loaders use it (converted where the type says), or a BuildError
    at `at`."""

    def doc(self) -> str:
        """The type as the field tables of seeds/README.md give it."""
        raise NotImplementedError

    def check(self, value, at: "At"):
        """The value checked (and converted), or a one-line BuildError naming at's file and line."""
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Type):
    """A string. `pattern` (a regex the whole text must match, described by `means`); `numbers`: a
    YAML number is read as its text (a label such as 2022)."""
    pattern: str | None = None
    means: str = ""
    numbers: bool = False

    def doc(self) -> str:
        return f"text: {self.means}" if self.means else "text"

    def check(self, value, at: At):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or (
                not isinstance(value, str) and not self.numbers):
            at.fail(f"{at.label} must be {'text' if not self.means else self.means}, not {describe(value)}",
                    f"write {at.example}" if at.example else "write it as text")
        text = value if isinstance(value, str) else str(value)
        if self.pattern and text and not re.fullmatch(self.pattern, text):
            at.fail(f"bad {at.label} {text!r}", f"use {self.means}" + (f", e.g. {at.example}" if at.example else ""))
        return text


@dataclass(frozen=True)
class Choice(Type):
    """One of a fixed set of words."""
    choices: tuple[str, ...]

    def doc(self) -> str:
        return " \\| ".join(f"`{c}`" for c in self.choices)

    def check(self, value, at: At):
        if not isinstance(value, str) or value not in self.choices:
            at.fail(f"unknown {at.label} {value!r}" if isinstance(value, str) else
                    f"{at.label} must be {or_list(self.choices)}, not {describe(value)}",
                    did_you_mean(value, self.choices, "{}") if isinstance(value, str) else
                    f"use {or_list(self.choices)}")
        return value


@dataclass(frozen=True)
class Number(Type):
    """A finite number (int or float; true/false is not a number)."""

    def doc(self) -> str:
        return "number"

    def check(self, value, at: At):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            at.fail(f"{at.label} must be a number, not {describe(value)}",
                    f"write {at.example}" if at.example else "write the plain number")
        return value


@dataclass(frozen=True)
class Bool(Type):
    """true or false."""

    def doc(self) -> str:
        return "`true` \\| `false`"

    def check(self, value, at: At):
        if not isinstance(value, bool):
            at.fail(f"{at.label} must be true or false, not {describe(value)}", f"write {at.label}: true")
        return value


@dataclass(frozen=True)
class Integer(Type):
    """A whole number, at least `min`."""
    min: int = 0

    def doc(self) -> str:
        return f"whole number ≥ {self.min}"

    def check(self, value, at: At):
        if isinstance(value, bool) or not isinstance(value, int) or value < self.min:
            at.fail(f"{at.label} must be a whole number of at least {self.min}, not {describe(value)}",
                    f"write {at.example}" if at.example else f"write e.g. {at.label}: {max(self.min, 1)}")
        return value


DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DATE_FORMS = {"day": "YYYY-MM-DD", "month": "YYYY-MM", "year": "YYYY"}


def parse_date(text: str) -> tuple[int, int | None, int | None] | None:
    """The one date parser: 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY' as (year, month, day), None unless it is a
    real calendar date.

    >>> parse_date("2023-07-23"), parse_date("2023-07"), parse_date("2023-13-45"), parse_date("2023-00-31")
    ((2023, 7, 23), (2023, 7, None), None, None)
    """
    m = DATE_RE.fullmatch(text)
    if not m:
        return None
    y, mo, d = (int(g) if g else None for g in m.groups())
    try:
        _date(y, 1 if mo is None else mo, 1 if d is None else d)
    except ValueError:
        return None
    return y, mo, d


@dataclass(frozen=True)
class Date(Type):
    """A real calendar date written YYYY-MM-DD, or in the coarser `forms` allowed (month, year)."""
    forms: tuple[str, ...] = ("day",)

    def doc(self) -> str:
        return "date: " + " or ".join(_DATE_FORMS[f] for f in self.forms)

    def check(self, value, at: At):
        forms = " or ".join(_DATE_FORMS[f] for f in self.forms)
        if isinstance(value, int) and not isinstance(value, bool) and "year" in self.forms:
            value = str(value)
        if not isinstance(value, str):
            at.fail(f"{at.label} must be a date ({forms}), not {describe(value)}", f"write e.g. {at.label}: 2023-07-23")
        m = DATE_RE.fullmatch(value)
        form = None if not m else "day" if m.group(3) else "month" if m.group(2) else "year"
        if form not in self.forms:
            at.fail(f"{at.label} {value!r} is not {forms}", f"write e.g. {at.label}: 2023-07-23")
        if parse_date(value) is None:
            at.fail(f"{at.label} {value!r} is not a real date", "check the month (01–12) and the day of that month")
        return value


@dataclass(frozen=True)
class Regex(Type):
    """A Python regular expression (re.search), compiled."""

    def doc(self) -> str:
        return "regex (Python `re`)"

    def check(self, value, at: At):
        text = Text().check(value, at)
        try:
            return re.compile(text)
        except (re.error, RecursionError, OverflowError, ValueError) as exc:
            at.fail(f"bad regex: {exc}", "fix the pattern")


@dataclass(frozen=True)
class Bilingual(Type):
    """The one zh/en rule: a mapping with zh and en (text; a number is read as its text), nothing
    else; the halves in `required` must not be blank."""
    required: tuple[str, ...] = ("zh", "en")

    def doc(self) -> str:
        return "`{zh, en}`" + (", both required" if len(self.required) == 2 else "")

    def check(self, value, at: At):
        how = f"write {at.label}: {{zh: …, en: …}}"
        if not isinstance(value, dict):
            at.fail(f"{at.label} must have zh and en, not {describe(value)}", how)
        for key in value:
            if key not in ("zh", "en"):
                at.fail(f"unknown field {key!r} in {at.label}", did_you_mean(key, ("zh", "en")),
                        _line_of(value, key, at.line))
        out = LineDict()
        out.line, out.key_lines = _own_line(value, at.line), dict(getattr(value, "key_lines", {}))
        for lang in ("zh", "en"):
            text, line = value.get(lang), _line_of(value, lang, at.line)
            text = "" if text is None else Text(numbers=True).check(text, at.item(f"{at.label}.{lang}", line,
                                                                                   how[6:])).strip()
            if not text and lang in self.required:
                at.fail(f"{at.label} has no {lang!r} text", how, line)
            out[lang] = text
        return out


@dataclass(frozen=True)
class Unique:
    """Items of a list that must differ in a key (an id): `key` reads it from a checked item."""
    key: Callable
    what: str
    remedy: str


@dataclass(frozen=True)
class ListOf(Type):
    """A list of items of one type, at least `min` of them, optionally unique by a key."""
    item: object
    min: int = 0
    unique: Unique | None = None

    def doc(self) -> str:
        inner = ("mappings" if isinstance(self.item, Record) else "text or mappings" if isinstance(self.item, Either)
                 else self.item.doc())
        return f"list of {inner}" + (f" (at least {self.min})" if self.min > 1 else "")

    def check(self, value, at: At):
        if not isinstance(value, list):
            at.fail(f"{at.label} must be a list, not {describe(value)}",
                    f"write {at.example}" if at.example else "start each item with `- `" if at.label == "the file"
                    else f"write one item per line under `{at.label}:`, each starting with `- `")
        if len(value) < self.min:
            at.fail(f"{at.label} must have at least {self.min} item{'s' if self.min > 1 else ''}",
                    f"write {at.example}" if at.example else f"add items under `{at.label}:`")
        out = LineList()
        out.line, out.item_lines = _own_line(value, at.line), list(getattr(value, "item_lines", []))
        seen: dict = {}
        for i, item in enumerate(value):
            line = out.line_at(i)
            checked = self.item.check(item, at.item(f"item {i + 1} of {at.label}", line, at.example))
            if self.unique:
                key = self.unique.key(checked)
                if key in seen:
                    at.fail(f"duplicate {self.unique.what} {key} (first at line {seen[key]})", self.unique.remedy,
                            getattr(checked, "line", line))
                seen[key] = getattr(checked, "line", line)
            out.append(checked)
        return out


@dataclass(frozen=True)
class Either(Type):
    """Text, or a mapping of the given record (told apart by what the YAML holds)."""
    text: Text
    record: "Record"

    def doc(self) -> str:
        return "text, or a mapping"

    def check(self, value, at: At):
        if isinstance(value, dict):
            return self.record.check(value, at)
        if isinstance(value, str):
            return self.text.check(value, at)
        at.fail(f"{at.label} must be text or a mapping, not {describe(value)}", f"write {self.record.example}")


# ---------------------------------------------------------------- records

@dataclass(frozen=True)
class Field:
    """One key of a mapping: its type, a doc line (shown in seeds/README.md), whether it is required,
    its default when absent or empty (null), and an example for remedies."""
    name: str
    type: object
    doc: str
    required: bool = False
    default: object = None
    example: str = ""


@dataclass(frozen=True)
class Record(Type):
    """A mapping with declared keys: unknown keys are refused, required ones must not be blank; `checks`
    are rules across fields, each called as check(data, at) after the fields are checked. `ident`
    names the key whose value names the record in messages (an id)."""
    name: str
    fields: tuple[Field, ...]
    checks: tuple = ()
    example: str = ""
    ident: str = ""
    about: str = ""                    # what the file or mapping is, in a sentence
    names: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "names", {f.name: f for f in self.fields})

    def doc(self) -> str:
        return "mapping"

    def check(self, value, at: At):
        if not isinstance(value, dict):
            at.fail(f"{at.label} must be a mapping of `key: value` lines, not {describe(value)}",
                    f"write {self.example}" if self.example else "indent its keys under it")
        what = self.name
        if self.ident and isinstance(value.get(self.ident), (str, int)) and not isinstance(value.get(self.ident), bool):
            what = f"{self.name} {str(value[self.ident])!r}"
        line = _own_line(value, at.line)
        for key in value:
            if key not in self.names:
                at.fail(f"unknown field {key!r} in {what}", did_you_mean(key, tuple(self.names)),
                        _line_of(value, key, line))
        out = LineDict()
        out.line, out.key_lines = line, dict(getattr(value, "key_lines", {}))
        for key, v in value.items():
            f = self.names[key]
            if f.required and _blank(v):
                at.fail(f"{key!r} of {what} is empty", f"write {f.example}" if f.example else f"write {key}: …",
                        _line_of(value, key, line))
            if v is not None:
                out[key] = f.type.check(v, at.item(key, _line_of(value, key, line), f.example))
        for f in self.fields:
            if f.name not in out:
                if f.required:
                    at.fail(f"{what} lacks {f.name}", f"add `{f.name}:`" + (f" (e.g. {f.example})" if f.example else ""),
                            line)
                out[f.name] = f.default
        for rule in self.checks:
            rule(out, at.item(what, line))
        return out


def check(data, schema, path) -> object:
    """`data` (as scripts/yamlio loaded it from `path`) checked against `schema` (a Record or ListOf):
    the same structure with values converted (numbers as text where allowed, regexes compiled) and
    defaults filled in. Any mismatch is a BuildError naming the file and line."""
    if data is None:                       # an empty file: nothing in it
        data = LineList() if isinstance(schema, ListOf) else LineDict()
        data.line, data.item_lines, data.key_lines = 1, [], {}
    return schema.check(data, At(path, getattr(data, "line", 1) or 1, "the file"))
