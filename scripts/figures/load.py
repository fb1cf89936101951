"""Loading the figure data (data/figures/*.yml, data/timeline.yml) and checking it against the articles.

Every failure is a `BuildError` naming the YAML file and line.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import replace
from datetime import date as _date
from pathlib import Path

from ..annotate.numbers import CURRENCY
from ..errors import BuildError
from ..yamlio import load
from .model import Bilingual, Dataset, Event, Point, Series, english_reading

# Money (CNY, USD, HKD), prices per share, percentages, multiples and counts: the units of the recogniser.
UNITS = (*CURRENCY, *(f"{c}/share" for c in CURRENCY), "%", "times", "count")
KINDS = ("bar", "barh", "grouped", "line")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ARTICLE_RE = re.compile(r"^\d{3}$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATASET_KEYS = ("id", "title", "kind", "unit", "y_label", "alt", "caption", "series")
POINT_KEYS = ("label", "value", "value_high", "article", "quote", "reading")
EVENT_KEYS = ("date", "event", "article", "quote")


def _shown(path) -> Path:
    """The path as a person types it: relative to the working directory when inside it."""
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()) if p.is_absolute() else p
    except ValueError:
        return p


def _fail(path, line, message, remedy=""):
    raise BuildError(_shown(path), message, line or None, remedy)


def _mapping(obj, path, line, what):
    if not isinstance(obj, dict):
        _fail(path, getattr(obj, "line", line), f"{what} must be a mapping (key: value lines)",
              "indent its keys under it")
    return obj


def _keys(d, allowed, required, path, what):
    for key in d:
        if key not in allowed:
            _fail(path, d.line_of(key), f"unknown key {key!r} in {what}", f"use only {', '.join(allowed)}")
    for key in required:
        if key not in d or d[key] is None or d[key] == "":
            _fail(path, d.line, f"{what} has no {key!r}", f"add `{key}:`")


def _text(d, key, path) -> str:
    v = d[key]
    if not isinstance(v, str) or not v.strip():
        _fail(path, d.line_of(key), f"{key!r} must be text", "write it as a string")
    return v.strip()


def _bilingual(d, key, path) -> Bilingual:
    v = d[key]
    if not isinstance(v, dict):
        _fail(path, d.line_of(key), f"{key!r} must have zh and en", f"write {key}: {{zh: …, en: …}}")
    for lang in ("zh", "en"):
        text = v.get(lang)
        if isinstance(text, bool) or not isinstance(text, (str, int, float)) or not str(text).strip():
            _fail(path, v.line_of(lang) if lang in v else d.line_of(key), f"{key!r} has no {lang!r} text",
                  f"write {key}: {{zh: …, en: …}}")
    extra = set(v) - {"zh", "en"}
    if extra:
        _fail(path, v.line_of(sorted(extra)[0]), f"{key!r} has unknown key {sorted(extra)[0]!r}", "use zh and en only")
    return Bilingual(str(v["zh"]).strip(), str(v["en"]).strip())


def _number(d, key, path) -> float:
    v = d[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        _fail(path, d.line_of(key), f"{key!r} must be a number, not {v!r}",
              "write the plain number (2.86亿元 -> 286000000, 60% -> 60)")
    return v


def _article(d, path) -> str:
    v = d["article"]
    if not isinstance(v, str) or not ARTICLE_RE.match(v):
        _fail(path, d.line_of("article"), f"article must be a three-digit seed id in quotes, not {v!r}",
              'write article: "000" (quoted, or YAML reads it as a number)')
    return v


def _point(p, path) -> Point:
    _mapping(p, path, 0, "a point")
    _keys(p, POINT_KEYS, ("label", "value", "article", "quote", "reading"), path, "point")
    high = _number(p, "value_high", path) if p.get("value_high") is not None else None
    return Point(_bilingual(p, "label", path), _number(p, "value", path), high, _article(p, path),
                 _text(p, "quote", path), _text(p, "reading", path), p.line, p.line_of("quote"),
                 p.line_of("reading"))


def load_dataset(path: Path) -> Dataset:
    path = Path(path)
    d = load(path)
    _mapping(d, path, 1, "a figure file")
    _keys(d, DATASET_KEYS, DATASET_KEYS, path, "figure")
    ident = _text(d, "id", path)
    if not ID_RE.match(ident):
        _fail(path, d.line_of("id"), f"id {ident!r} is not lowercase-hyphen", "use e.g. ashare-h1-2023-profits")
    if ident != path.stem:
        _fail(path, d.line_of("id"), f"id {ident!r} does not match the file name {path.name!r}",
              f"rename the file to {ident}.yml or set id: {path.stem}")
    kind, unit = d["kind"], d["unit"]
    if kind not in KINDS:
        _fail(path, d.line_of("kind"), f"unknown kind {kind!r}", f"use one of {', '.join(KINDS)}")
    if unit not in UNITS:
        _fail(path, d.line_of("unit"), f"unknown unit {unit!r}",
              f"use one of {', '.join(UNITS)} (values in plain units: yuan, not 亿)")
    raw = d["series"]
    if not isinstance(raw, list) or not raw:
        _fail(path, d.line_of("series"), "series must be a non-empty list", "add `- name: …` with points")
    if kind == "grouped" and len(raw) < 2:
        _fail(path, d.line_of("series"), "a grouped chart needs at least two series", "add a series or use kind: bar")
    if kind != "grouped" and len(raw) != 1:
        _fail(path, d.line_of("series"), f"a {kind} chart has exactly one series", "use kind: grouped")
    series = []
    for s in raw:
        _mapping(s, path, d.line_of("series"), "a series")
        _keys(s, ("name", "points"), ("name", "points"), path, "series")
        pts = s["points"]
        if not isinstance(pts, list) or not pts:
            _fail(path, s.line_of("points"), "points must be a non-empty list", "add `- label: …` entries")
        points = tuple(_point(p, path) for p in pts)
        seen: dict[str, int] = {}
        for p in points:
            if p.label.en in seen:
                _fail(path, p.line, f"label {p.label.en!r} appears twice in one series (line {seen[p.label.en]})",
                      "give each point its own label")
            seen[p.label.en] = p.line
        series.append(Series(_bilingual(s, "name", path), points))
    return Dataset(ident, _bilingual(d, "title", path), kind, unit, _bilingual(d, "y_label", path),
                   " ".join(_text(d, "alt", path).split()), _bilingual(d, "caption", path), tuple(series),
                   path, d.line)


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


def _date_ok(text: str) -> bool:
    m = DATE_RE.match(text)
    if not m:
        return False
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        _date(y, int(mo) if mo else 1, int(d) if d else 1)
    except ValueError:
        return False
    return True


def load_timeline(path: Path) -> list[Event]:
    """data/timeline.yml, validated, in the order written (none when the file is missing)."""
    path = Path(path)
    if not path.exists():
        return []
    items = load(path)
    if items is None:
        return []
    if not isinstance(items, list):
        _fail(path, getattr(items, "line", 1), "the timeline must be a list of events", "start each event with `- date:`")
    events = []
    for e in items:
        _mapping(e, path, getattr(items, "line", 1), "an event")
        _keys(e, EVENT_KEYS, EVENT_KEYS, path, "event")
        when = e["date"]
        if isinstance(when, int) and not isinstance(when, bool):
            when = str(when)
        if not isinstance(when, str) or not _date_ok(when):
            _fail(path, e.line_of("date"), f"date {when!r} is not YYYY-MM-DD, YYYY-MM or YYYY",
                  'write e.g. date: "2023-05-06" (or "2023-05" / "2023" when the text gives no day)')
        events.append(Event(when, _bilingual(e, "event", path), _article(e, path), _text(e, "quote", path),
                            path, e.line, e.line_of("quote")))
    return events


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

    def where(article, path, line):
        if article not in texts:
            _fail(path, line, f"no article {article}", f"use one of {', '.join(sorted(texts))}")

    for ds in datasets:
        for p in ds.points:
            where(p.article, ds.path, p.line)
            if p.quote not in texts[p.article]:
                _fail(ds.path, p.quote_line, f"quote not found in article {p.article}",
                      f"copy it exactly from python -m scripts clean {p.article}")
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
    for e in events:
        where(e.article, e.path, e.line)
        if e.quote not in texts[e.article]:
            _fail(e.path, e.quote_line, f"quote not found in article {e.article}",
                  f"copy it exactly from python -m scripts clean {e.article}")
