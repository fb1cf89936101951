"""The field tables of seeds/README.md, printed from the schema (so they cannot drift from it).

Each table stands in the README between `<!-- schema: NAME -->` and `<!-- /schema -->` (NAME a key of
`files.ALL`). `python -m scripts.schema` says whether the README is current; `--write` rewrites the
tables in place. tests/test_schema.py fails when they drift.
"""
from __future__ import annotations

import re
from pathlib import Path

from .core import Either, ListOf, Record
from .files import ALL

README = Path(__file__).resolve().parents[2] / "seeds" / "README.md"
_BLOCK = re.compile(r"(<!-- schema: (?P<name>[a-z-]+) -->\n).*?(<!-- /schema -->)", re.S)


def _rows(record: Record, prefix: str = "") -> list[tuple[str, str, str, str]]:
    rows = []
    for f in record.fields:
        key = prefix + f.name
        rows.append((f"`{key}`", f.type.doc(), "yes" if f.required else "", f.doc))
        inner = f.type.item if isinstance(f.type, ListOf) else f.type
        if isinstance(inner, Either):
            inner = inner.record
        if isinstance(inner, Record):
            rows += _rows(inner, key + ("[]." if isinstance(f.type, ListOf) else "."))
    return rows


def table(schema) -> str:
    """The schema as a Markdown table: key (nested keys as people[].zh), type, required, what it holds.

    >>> print(table(ALL["cleaning"]).splitlines()[2])
    | `rules` | list of mappings | yes | tried in order on every line |
    """
    record = schema.item if isinstance(schema, ListOf) else schema
    lead = "A list; each item:\n\n" if isinstance(schema, ListOf) else ""
    lines = ["| key | type | required | what it holds |", "|---|---|---|---|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") if i != 1 else cell for i, cell in enumerate(row)) + " |"
              for row in _rows(record)]
    return lead + "\n".join(lines) + "\n"


def render(text: str) -> str:
    """The README text with every schema table printed afresh."""
    return _BLOCK.sub(lambda m: m.group(1) + table(ALL[m.group("name")]) + m.group(3), text)


def sync(path: Path = README, write: bool = False) -> bool:
    """True if the README's tables are current; with write, make them so (atomically)."""
    text = path.read_text(encoding="utf-8")
    fresh = render(text)
    if write and fresh != text:
        tmp = path.with_suffix(".md.tmp")
        tmp.write_text(fresh, encoding="utf-8")
        tmp.replace(path)
    return fresh == text
