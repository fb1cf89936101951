"""Loading the figure data (data/figures/*.yml, data/timeline.yml) against the schema
(scripts/schema/files.py: FIGURE, TIMELINE), and checking it against the articles (`check_quotes`).

Every failure is a `BuildError` naming the YAML file and line.
"""
from __future__ import annotations

import functools
import math
from dataclasses import replace
from pathlib import Path

from .. import schema
from ..errors import BuildError
from ..schema import files
from ..yamlio import shown
from .model import Bilingual, Credit, Dataset, Event, Point, Series, english_reading

UNITS = files.UNITS
KINDS = files.CHART_KINDS


def _fail(path, line, message, remedy=""):
    raise BuildError(shown(Path(path)), message, line or None, remedy)


def load_dataset(path: Path) -> Dataset:
    """One data/figures/<id>.yml, checked against the schema (scripts/schema/files.py: FIGURE); its id
    must be its file name."""
    path = Path(path)
    d = schema.load(path, files.FIGURE)
    if d["id"] != path.stem:
        _fail(path, d.line_of("id"), f"id {d['id']!r} does not match the file name {path.name!r}",
              f"rename the file to {d['id']}.yml or set id: {path.stem}")
    series = tuple(
        Series(Bilingual(**s["name"]), tuple(
            Point(Bilingual(**p["label"]), p["value"], p["value_high"], p["article"], p["quote"].strip(),
                  p["reading"].strip(), p.line, p.line_of("quote"), p.line_of("reading"))
            for p in s["points"]))
        for s in d["series"])
    source = tuple(Credit(Bilingual(**c["name"]), c["article"], c["quote"].strip(), c.line, c.line_of("quote"))
                   for c in d["source"])
    return Dataset(d["id"], Bilingual(**d["title"]), d["kind"], d["unit"], Bilingual(**d["y_label"]),
                   " ".join(d["alt"].split()), Bilingual(**d["caption"]), series, path, d.line, source)


def load_datasets(data_dir: Path) -> list[Dataset]:
    """Every data/figures/*.yml, validated, in file-name order (none when the folder is missing)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    out: list[Dataset] = []
    ids: dict[str, Path] = {}
    for path in sorted(data_dir.glob("*.yml")) + sorted(data_dir.glob("*.yaml")):
        ds = load_dataset(path)
        if ds.id in ids:
            _fail(path, ds.line, f"id {ds.id!r} is already used by {ids[ds.id].name}", "give each figure its own id")
        ids[ds.id] = path
        out.append(ds)
    return out


def load_timeline(path: Path) -> list[Event]:
    """data/timeline.yml, checked against the schema (files.TIMELINE), in the order written (none when
    the file is missing)."""
    path = Path(path)
    if not path.exists():
        return []
    return [Event(e["date"], Bilingual(**e["event"]), e["article"], e["quote"].strip(), path, e.line, e.line_of("quote"))
            for e in schema.load(path, files.TIMELINE)]


# ---------------------------------------------------------------- checking against the articles


def reading_values(reading: str) -> list[float]:
    """Every number a Chinese reading states, in plain units, as the site's one number recogniser
    (scripts/annotate/numbers.py) reads it: '2.86亿元至3.82亿元' -> [2.86e8, 3.82e8], '60%-70%' ->
    [60, 70], '四成左右' -> [40]."""
    from ..annotate import numbers
    values = []
    for m in numbers.find(reading):
        if m.unit != "date":
            values += [float(m.value)] + ([float(m.value_high)] if m.value_high is not None else [])
    return values


def _page_figure(text: str, found: list, point: Point):
    """The figure the article page reads (`found`: every figure in the article) where the point's
    reading stands and that states its value; None if the page reads none there."""
    from ..annotate import numbers
    at = text.index(point.quote) + point.quote.index(point.reading)
    return next((m for m in found if m.start < at + len(point.reading) and at < m.end
                 and numbers.stating(m.text, point.value)), None)


def _unsigned(point: Point) -> Point:
    return replace(point, value=abs(point.value), value_high=None if point.value_high is None else abs(point.value_high))


def _matches(value: float, values: list[float]) -> bool:
    return any(math.isclose(abs(value), v, rel_tol=1e-9, abs_tol=1e-9) for v in values)


def check_quotes(datasets, events, texts: dict[str, str]) -> None:
    """Every quote occurs in its article's cleaned text, every reading in its quote, every value is a
    number its reading states (in plain units; a fall may be negative) in the figure's unit, and the
    reading is the whole figure the page reads there (with its hedge): so a chart's English for a point
    is the English the page shows for its reading."""
    from ..annotate import numbers
    figures_in = functools.lru_cache(maxsize=None)(numbers.find)

    def quoted(article, quote, path, line, quote_line, what="quote"):
        if article not in texts:
            _fail(path, line, f"no article {article}", f"use one of {', '.join(sorted(texts))}")
        if quote not in texts[article]:
            _fail(path, quote_line, f"{what} not found in article {article}",
                  f"copy it exactly from python -m scripts clean {article}")

    for ds in datasets:
        for p in ds.points:
            quoted(p.article, p.quote, ds.path, p.line, p.quote_line)
            if p.reading not in p.quote:
                _fail(ds.path, p.reading_line, f"reading {p.reading!r} is not part of the quote",
                      "copy the words of the quote that state the number")
            found = reading_values(p.reading)
            for name, v in (("value", p.value), ("value_high", p.value_high)):
                if v is not None and not _matches(v, found):
                    _fail(ds.path, p.line, f"{name} {v!r} is not a number the reading {p.reading!r} states",
                          "write the number in plain units (亿 = 100000000, 万 = 10000, 60% = 60)")
            unit = numbers.stating(p.reading, p.value).unit or "count"
            if unit != ds.unit:
                _fail(ds.path, p.reading_line, f"reading {p.reading!r} states {unit}, the figure is in {ds.unit}",
                      f"quote a figure in {ds.unit}, or set unit: {unit}")
            page = _page_figure(texts[p.article], figures_in(texts[p.article]), p)
            chart = english_reading(_unsigned(p), ds.unit)
            if page is not None and chart != numbers.english(page):
                _fail(ds.path, p.reading_line, f"the chart would say {chart!r} where the article page says "
                      f"{numbers.english(page)!r} ({page.text})",
                      f"write reading: {page.text} and give value (and value_high) as it states them")
    for ds in datasets:
        for c in ds.source:
            quoted(c.article, c.quote, ds.path, c.line, c.quote_line, "source quote")
    for e in events:
        quoted(e.article, e.quote, e.path, e.line, e.quote_line)
