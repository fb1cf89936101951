"""One declarative schema for every YAML input (side files, translation memories, glossary, who's
who, figures, timeline, cleaning rules, house-style calques, review logs).

- `core`: the engine: field types (Text, Choice, Number, Date, Regex, Bilingual, ListOf, Either,
  Record), `check`, the one date parser `parse_date`;
- `files`: the declarations, one per kind of file;
- `docs`: the field tables of seeds/README.md, printed from the declarations.

Loaders call `load(path, files.X)`: YAML read by scripts/yamlio (bounded size and depth, no aliases,
line numbers kept), then checked; every failure is one `file:line: message — remedy` line.
The pipeline's loaders import this package when they load a file, not at their own import: the
declarations read the number stage's units, and that package imports the pipeline.
"""
from __future__ import annotations

from pathlib import Path

from .. import yamlio
from .core import (At, Bilingual, Bool, Choice, Date, Either, Field, Integer, ListOf, Number, Record, Regex, Text,
                   Unique, check, parse_date)
from . import files

__all__ = ["At", "Bilingual", "Bool", "Choice", "Date", "Either", "Field", "Integer", "ListOf", "Number", "Record", "Regex", "Text",
           "Unique", "check", "files", "load", "parse_date"]


def load(path: str | Path, schema):
    """The YAML file at `path`, loaded and checked against `schema` (see core.check)."""
    return check(yamlio.load(path), schema, path)
