"""Figures: bilingual charts of the numbers the articles state, and a timeline of the events they date.

Data lives in YAML a person can check against the source:
- data/figures/<id>.yml, one chart each: every point carries the `quote` it comes from (an exact
  substring of the cleaned Chinese of its article) and the `reading`, the words in the quote that
  state the number. Values are in plain units (2.86亿元 -> 286000000; 60% -> 60; a fall is negative).
- data/timeline.yml, dated events, each with its quote.

`load_datasets` / `load_timeline` validate the files, `check_quotes` checks every quote against the
article texts and every value against its reading, and `render_svg` / `render_timeline_svg` draw
reproducible SVGs (text as paths, so no reader needs a CJK font). Every failure is a `BuildError`
naming the YAML file and line.
"""
from __future__ import annotations

import csv
import functools
import io
import math
import re
import textwrap
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path

from . import fonts, ingest
from .errors import BuildError
from .yamlio import load

UNITS = ("CNY", "USD", "HKD", "%", "times", "count")
KINDS = ("bar", "barh", "grouped", "line")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ARTICLE_RE = re.compile(r"^\d{3}$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATASET_KEYS = ("id", "title", "kind", "unit", "y_label", "alt", "caption", "series")
POINT_KEYS = ("label", "value", "value_high", "article", "quote", "reading")
EVENT_KEYS = ("date", "event", "article", "quote")
HAN = re.compile(r"[\u3400-\u9fff]")

# The house style: the only module-level state. Figures are drawn on white with dark text, so they
# read the same on the site's light and dark themes (the page shows them on a white card).
STYLE = {
    # The timeline's text stays text (see render_timeline_svg): the reader's font, this one if present.
    "font_stack": "'Noto Sans CJK SC', 'Source Han Sans SC', 'Noto Sans SC', 'PingFang SC', 'Hiragino Sans GB', "
                  "'Microsoft YaHei', sans-serif",
    "text_headroom": 0.12,             # of the width, right of the longest timeline line (a wider font)
    "width": 8.0,                      # inches, every figure
    "title_band": 0.95,                # inches above the axes for the two-line title
    "footer_band": 0.32,               # inches below for the source line
    "margin": 0.18,                    # inches, left/right edge of title and footer
    "bg": "#ffffff",
    "text": "#1f2328",
    "muted": "#59636e",
    "grid": "#e1e4e8",
    "axis": "#3d444d",
    "positive": "#2f6fcf",
    "negative": "#c8372d",
    "palette": ("#2f6fcf", "#e08a1e", "#2e9d6a", "#8256d0", "#c8372d", "#5a6470"),
    "range_alpha": 0.42,
    "size_title": 14.5,
    "size_subtitle": 11,
    "size_label": 9.5,
    "size_value": 9,
    "size_reading": 8,
    "size_small": 8,
    "rc": {
        "svg.fonttype": "path",        # text as paths: never depends on the reader's fonts
        "svg.hashsalt": "baimozhi",    # stable ids: the same input gives the same bytes
        "svg.image_inline": True,
        "path.simplify": True,
        "axes.unicode_minus": True,
        "font.size": 9.5,
        "axes.linewidth": 0.8,
        "axes.edgecolor": "#3d444d",
        "axes.labelcolor": "#1f2328",
        "axes.labelsize": 9.5,
        "xtick.color": "#3d444d",
        "ytick.color": "#3d444d",
        "xtick.labelcolor": "#1f2328",
        "ytick.labelcolor": "#1f2328",
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "text.color": "#1f2328",
        "figure.facecolor": "#ffffff",
        "axes.facecolor": "#ffffff",
        "savefig.facecolor": "#ffffff",
        "legend.frameon": False,
        "legend.fontsize": 9,
    },
}


# ---------------------------------------------------------------- data

@dataclass(frozen=True)
class Bilingual(ingest.Bilingual):
    """The pipeline's zh/en pair, with what drawing needs."""

    @property
    def latin(self) -> str:
        return latin(self.en)

    def two_lines(self, wrap: int = 0) -> str:
        """'浪潮信息\\nInspur Information' (one line when both are the same, e.g. '2022')."""
        en = "\n".join(textwrap.wrap(self.latin, wrap)) if wrap else self.latin
        return self.zh if self.zh == self.en else f"{self.zh}\n{en}"


def latin(text: str) -> str:
    """English for drawing in a CJK font, whose curly quotes and em dash are full-width:
    straight quotes and a spaced en dash instead."""
    for a, b in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), (" — ", " – "), ("—", " – ")):
        text = text.replace(a, b)
    return text


@dataclass(frozen=True)
class Point:
    label: Bilingual
    value: float
    value_high: float | None
    article: str
    quote: str
    reading: str
    line: int = 0
    quote_line: int = 0
    reading_line: int = 0


@dataclass(frozen=True)
class Series:
    name: Bilingual
    points: tuple


@dataclass(frozen=True)
class Dataset:
    id: str
    title: Bilingual
    kind: str
    unit: str
    y_label: Bilingual
    alt: str
    caption: Bilingual
    series: tuple
    path: Path = Path(".")
    line: int = 1

    @property
    def points(self) -> list[Point]:
        return [p for s in self.series for p in s.points]

    @property
    def articles(self) -> list[str]:
        return sorted({p.article for p in self.points})


@dataclass(frozen=True)
class Event:
    date: str
    event: Bilingual
    article: str
    quote: str
    path: Path = Path(".")
    line: int = 0
    quote_line: int = 0

    @property
    def year(self) -> int:
        return int(self.date[:4])


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
    from .annotate import numbers
    values = []
    for m in numbers.find(reading):
        if m.unit != "date":
            values += [float(m.value)] + ([float(m.value_high)] if m.value_high is not None else [])
    return values


def _matches(value: float, values: list[float]) -> bool:
    return any(math.isclose(abs(value), v, rel_tol=1e-9, abs_tol=1e-9) for v in values)


def check_quotes(datasets, events, texts: dict[str, str]) -> None:
    """Every quote occurs in its article's cleaned text, every reading in its quote, and every value
    is a number its reading states (in plain units; a fall may be negative)."""
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
    for e in events:
        where(e.article, e.path, e.line)
        if e.quote not in texts[e.article]:
            _fail(e.path, e.quote_line, f"quote not found in article {e.article}",
                  f"copy it exactly from python -m scripts clean {e.article}")


# ---------------------------------------------------------------- English amounts

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_PREFIX = {"CNY": "RMB ", "USD": "US$", "HKD": "HK$", "count": "", "%": "", "times": ""}
_SUFFIX = {"%": "%", "times": "×"}
MINUS = "\u2212"


def _fmt(x: float, decimals: int = 3) -> str:
    s = f"{abs(round(x, decimals)):,.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _scale_of(magnitude: float, unit: str) -> tuple[float, str]:
    if unit in ("%", "times"):
        return 1.0, ""
    for factor, word in _SCALES:
        if magnitude >= factor:
            return factor, word
    return 1.0, ""


def english_amount(value: float, unit: str) -> str:
    """(286000000, 'CNY') -> 'RMB 286 million', (14.3e9, 'USD') -> 'US$14.3 billion',
    (2.19, 'HKD') -> 'HK$2.19', (60, '%') -> '60%', (5, 'times') -> '5×', (1.279e6, 'count') -> '1.279 million'."""
    factor, word = _scale_of(abs(value), unit)
    sign = MINUS if round(value / factor, 3) < 0 else ""
    return f"{sign}{_PREFIX[unit]}{_fmt(value / factor)}{' ' + word if word else ''}{_SUFFIX.get(unit, '')}"


def english_range(value: float, high: float | None, unit: str) -> str:
    """'RMB 286–382 million', '−60–70%'; two full amounts when signs or scales differ."""
    if high is None:
        return english_amount(value, unit)
    fa, wa = _scale_of(abs(value), unit)
    _, wb = _scale_of(abs(high), unit)
    if wa == wb and (value < 0) == (high < 0) and not (value < 0 and unit in ("%", "times")):
        sign = MINUS if value < 0 else ""
        return (f"{sign}{_PREFIX[unit]}{_fmt(value / fa)}–{_fmt(high / fa)}"
                f"{' ' + wa if wa else ''}{_SUFFIX.get(unit, '')}")
    return f"{english_amount(value, unit)} to {english_amount(high, unit)}"


_QUALIFIERS = (("超过", "over"), ("至少", "at least"), ("至多", "up to"), ("最高", "up to"), ("接近", "nearly"),
               ("将近", "nearly"), ("左右", "about"), ("约", "about"), ("近", "nearly"), ("超", "over"))


def hedge(reading: str) -> str:
    """The English for a reading's hedge word: '超300%' -> 'over', '四成左右' -> 'about', '84%' -> ''."""
    for zh, en in _QUALIFIERS:
        if zh in reading:
            return en
    return ""


def english_reading(point: Point, unit: str) -> str:
    """The point's value in English with the reading's hedge: '超300%' -> 'over 300%'."""
    amount = english_range(point.value, point.value_high, unit)
    word = hedge(point.reading)
    return f"{word} {amount}" if word else amount


def dataset_csv(dataset: Dataset) -> str:
    """One row per point: series_en,label_zh,label_en,value,value_high,unit,article,quote."""
    def plain(v):
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["series_en", "label_zh", "label_en", "value", "value_high", "unit", "article", "quote"])
    for s in dataset.series:
        for p in s.points:
            w.writerow([s.name.en, p.label.zh, p.label.en, plain(p.value), plain(p.value_high), dataset.unit,
                        p.article, p.quote])
    return buf.getvalue()


# ---------------------------------------------------------------- drawing

def _font_family() -> list[str]:
    return list(fonts.matplotlib_family())      # the bundled font only, registered by path


def _rc() -> dict:
    return {**STYLE["rc"], "font.family": _font_family()}


def _new_figure(height: float) -> Figure:
    fig = Figure(figsize=(STYLE["width"], height), layout="constrained")
    FigureCanvasAgg(fig)
    top = STYLE["title_band"] / height
    bottom = STYLE["footer_band"] / height
    fig.get_layout_engine().set(rect=(0.0, bottom, 1.0, 1.0 - top - bottom), w_pad=0.08, h_pad=0.06)
    return fig


def _frame(fig: Figure, title: Bilingual, source: str) -> None:
    h = fig.get_figheight()
    x = STYLE["margin"] / STYLE["width"]
    fig.text(x, 1 - 0.16 / h, title.zh, ha="left", va="top", fontsize=STYLE["size_title"], fontweight="bold",
             color=STYLE["text"])
    fig.text(x, 1 - 0.52 / h, title.latin, ha="left", va="top", fontsize=STYLE["size_subtitle"], color=STYLE["muted"])
    fig.text(x, 0.1 / h, source, ha="left", va="bottom", fontsize=STYLE["size_small"], color=STYLE["muted"])


def _source(articles) -> str:
    ids = ", ".join(articles)
    return f"来源 Source: 文章 article {ids} · 数字取自原文 figures as stated in the text"


def _unit_label(unit: str, word: str) -> str:
    if unit == "%":
        return "%"
    if unit == "times":
        return "×"
    prefix = {"CNY": "RMB", "USD": "US$", "HKD": "HK$", "count": ""}[unit]
    return " ".join(x for x in (prefix, word) if x)


def _axis_scale(ds: Dataset) -> tuple[float, str]:
    values = [abs(v) for p in ds.points for v in (p.value, p.value_high) if v is not None]
    return _scale_of(max(values) if values else 0.0, ds.unit)


def _tick_formatter(unit: str, factor: float):
    def fmt(v, _pos=None):
        if abs(v) < 1e-12 * max(1.0, factor):
            return "0" + ("%" if unit == "%" else "")
        text = _fmt(v / factor, 2)
        sign = MINUS if v < 0 else ""
        return f"{sign}{text}" + ("%" if unit == "%" else "×" if unit == "times" else "")
    return FuncFormatter(fmt)


def _value_axis_label(ds: Dataset, word: str) -> str:
    return f"{ds.y_label.zh}  ·  {ds.y_label.latin} ({_unit_label(ds.unit, word)})"


def _style_axes(ax, value_axis: str) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if value_axis == "x":
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0, pad=6)
        ax.xaxis.grid(True, color=STYLE["grid"], linewidth=0.8)
    else:
        ax.tick_params(axis="x", length=0, pad=6)
        ax.yaxis.grid(True, color=STYLE["grid"], linewidth=0.8)
    ax.set_axisbelow(True)


def _widen(ax, texts, axis: str, renderer) -> bool:
    """Widen the value axis until every value label sits inside the axes box as it is now; True if
    the limits moved."""
    moved = False
    for _ in range(4):
        box = ax.get_window_extent(renderer)
        lo, hi = ax.get_xlim() if axis == "x" else ax.get_ylim()
        start, end = (box.x0, box.x1) if axis == "x" else (box.y0, box.y1)
        per_px = (hi - lo) / (end - start)
        need_lo = need_hi = 0.0
        for t in texts:
            ext = t.get_window_extent(renderer)
            a, b = (ext.x0, ext.x1) if axis == "x" else (ext.y0, ext.y1)
            need_lo = max(need_lo, start + 4 - a)
            need_hi = max(need_hi, b - (end - 4))
        if need_lo <= 0.5 and need_hi <= 0.5:
            break
        lo -= max(0.0, need_lo) * per_px * 1.15
        hi += max(0.0, need_hi) * per_px * 1.15
        (ax.set_xlim if axis == "x" else ax.set_ylim)(lo, hi)
        moved = True
    return moved


def _fit(fig: Figure, ax, texts, axis: str) -> None:
    """Widen the value axis until every value label sits inside the axes (measured, deterministic).

    Layout is the costly step. The labels are first fitted to the axes box before layout (usually
    close enough that one layout suffices), then re-measured through the data transform after each
    layout; only if the limits moved (tick labels may have changed width) is the layout run again.
    The layout is then frozen, so saving does not lay the figure out again."""
    renderer = fig.canvas.get_renderer()
    _widen(ax, texts, axis, renderer)
    engine = fig.get_layout_engine()
    for _ in range(3):
        engine.execute(fig)                   # lay out only: nothing is drawn until the SVG is saved
        before = _longest_tick_label(ax, axis)
        if not _widen(ax, texts, axis, renderer) or _longest_tick_label(ax, axis) <= before:
            break                             # the margins the layout chose still hold
    fig.set_layout_engine(None)            # no engine: saving does not lay out (or draw) twice


def _longest_tick_label(ax, axis: str) -> int:
    """Characters in the longest value-axis tick label the current limits give."""
    value_axis = ax.xaxis if axis == "x" else ax.yaxis
    lo, hi = ax.get_xlim() if axis == "x" else ax.get_ylim()
    locs = [v for v in value_axis.get_major_locator().tick_values(lo, hi) if min(lo, hi) <= v <= max(lo, hi)]
    return max((len(s) for s in value_axis.get_major_formatter().format_ticks(locs)), default=0)


def _colour(value: float) -> str:
    return STYLE["negative"] if value < 0 else STYLE["positive"]


def _value_texts(ax, p: Point, unit: str, x, y, axis: str) -> list:
    """The English amount (dark) with the Chinese reading (muted) beside it, past the end of the bar."""
    end = p.value_high if p.value_high is not None and abs(p.value_high) > abs(p.value) else p.value
    neg = end < 0
    en = english_reading(p, unit)
    zh = p.reading if HAN.search(p.reading) else ""
    out = []
    if axis == "x":   # horizontal bars: label to the right (left for negative bars)
        ha = "right" if neg else "left"
        dx = -6 if neg else 6
        if zh:
            out.append(ax.annotate(en, (end, y), xytext=(dx, 1.5), textcoords="offset points", ha=ha, va="bottom",
                                   fontsize=STYLE["size_value"], fontweight="bold", color=STYLE["text"]))
            out.append(ax.annotate(zh, (end, y), xytext=(dx, -1.5), textcoords="offset points", ha=ha, va="top",
                                   fontsize=STYLE["size_reading"], color=STYLE["muted"]))
        else:
            out.append(ax.annotate(en, (end, y), xytext=(dx, 0), textcoords="offset points", ha=ha, va="center",
                                   fontsize=STYLE["size_value"], fontweight="bold", color=STYLE["text"]))
    else:             # vertical bars: label above (below for negative bars)
        va = "top" if neg else "bottom"
        step = -1 if neg else 1
        first, second = (en, zh) if neg else (zh, en)
        if zh:
            out.append(ax.annotate(first, (x, end), xytext=(0, 4 * step), textcoords="offset points", ha="center",
                                   va=va, fontsize=STYLE["size_value"] if neg else STYLE["size_reading"],
                                   fontweight="bold" if neg else "normal",
                                   color=STYLE["text"] if neg else STYLE["muted"]))
            out.append(ax.annotate(second, (x, end), xytext=(0, 17 * step), textcoords="offset points",
                                   ha="center", va=va, fontsize=STYLE["size_reading"] if neg else STYLE["size_value"],
                                   fontweight="normal" if neg else "bold",
                                   color=STYLE["muted"] if neg else STYLE["text"]))
        else:
            out.append(ax.annotate(en, (x, end), xytext=(0, 4 * step), textcoords="offset points", ha="center",
                                   va=va, fontsize=STYLE["size_value"], fontweight="bold", color=STYLE["text"]))
    return out


def _draw_bars(ax, points, unit: str, horizontal: bool) -> list:
    texts = []
    n = len(points)
    for i, p in enumerate(points):
        pos = i
        colour = _colour(p.value)
        thick = 0.62 if horizontal else 0.58
        bar = ax.barh if horizontal else ax.bar
        bar(pos, p.value, thick, color=colour, zorder=2)
        if p.value_high is not None:
            lo, hi = sorted((p.value, p.value_high), key=abs)
            bar(pos, hi - lo, thick, lo, color=colour, alpha=STYLE["range_alpha"], zorder=2, linewidth=0)
        texts += _value_texts(ax, p, unit, pos, pos, "x" if horizontal else "y")
    labels = [p.label.two_lines(30 if horizontal else 20) for p in points]
    if horizontal:
        ax.set_yticks(range(n), labels)
        ax.set_ylim(n - 0.5, -0.5)
        ax.axvline(0, color=STYLE["axis"], linewidth=0.9, zorder=3)
    else:
        ax.set_xticks(range(n), labels)
        ax.set_xlim(-0.6, n - 0.4)
        ax.axhline(0, color=STYLE["axis"], linewidth=0.9, zorder=3)
    return texts


def _categories(ds: Dataset) -> list[Bilingual]:
    seen: dict[str, Bilingual] = {}
    for p in ds.points:
        seen.setdefault(p.label.en, p.label)
    return list(seen.values())


def _draw_grouped(ax, ds: Dataset, factor: float) -> list:
    cats = _categories(ds)
    index = {c.en: i for i, c in enumerate(cats)}
    k = len(ds.series)
    width = 0.8 / k
    texts = []
    for j, s in enumerate(ds.series):
        colour = STYLE["palette"][j % len(STYLE["palette"])]
        xs = [index[p.label.en] - 0.4 + width * (j + 0.5) for p in s.points]
        ax.bar(xs, [p.value for p in s.points], width * 0.92, color=colour, zorder=2, label=s.name.two_lines())
        for x, p in zip(xs, s.points):
            if p.value_high is not None:
                lo, hi = sorted((p.value, p.value_high), key=abs)
                ax.bar(x, hi - lo, width * 0.92, lo, color=colour, alpha=STYLE["range_alpha"], zorder=2)
            end = p.value_high if p.value_high is not None and abs(p.value_high) > abs(p.value) else p.value
            text = _fmt(p.value / factor, 2) + ("" if p.value_high is None else f"–{_fmt(p.value_high / factor, 2)}")
            text = (MINUS if p.value < 0 else "") + text
            text = f"{hedge(p.reading)} {text}".strip()
            texts.append(ax.annotate(text, (x, end), xytext=(0, -3 if end < 0 else 3), textcoords="offset points",
                                     ha="center", va="top" if end < 0 else "bottom", fontsize=STYLE["size_reading"],
                                     color=STYLE["text"]))
    ax.set_xticks(range(len(cats)), [c.two_lines(18) for c in cats])
    ax.set_xlim(-0.6, len(cats) - 0.4)
    ax.axhline(0, color=STYLE["axis"], linewidth=0.9, zorder=3)
    ax.legend(loc="lower right", ncols=min(k, 4), bbox_to_anchor=(1.0, 1.0), handlelength=1.2, borderaxespad=0.3)
    return texts


def _draw_line(ax, ds: Dataset) -> list:
    texts = []
    for j, s in enumerate(ds.series):
        colour = STYLE["palette"][j % len(STYLE["palette"])]
        xs = list(range(len(s.points)))
        ys = [p.value for p in s.points]
        ax.plot(xs, ys, color=colour, linewidth=2.2, zorder=3, solid_capstyle="round",
                label=s.name.two_lines() if len(ds.series) > 1 else None)
        ax.scatter(xs, ys, s=34, color=[_colour(v) if len(ds.series) == 1 else colour for v in ys], zorder=4,
                   edgecolors="white", linewidths=1.2)
        for x, p in zip(xs, s.points):
            neg = p.value < 0
            texts.append(ax.annotate(english_reading(p, ds.unit), (x, p.value), xytext=(0, -9 if neg else 9),
                                     textcoords="offset points", ha="center", va="top" if neg else "bottom",
                                     fontsize=STYLE["size_value"], fontweight="bold", color=STYLE["text"]))
    cats = _categories(ds)
    ax.set_xticks(range(len(cats)), [c.two_lines(14) for c in cats])
    ax.set_xlim(-0.5, len(cats) - 0.5)
    ax.axhline(0, color=STYLE["axis"], linewidth=0.9, zorder=2)
    if len(ds.series) > 1:
        ax.legend(loc="best")
    return texts


def _height(ds: Dataset) -> float:
    if ds.kind == "barh":
        per = 0.62 if any("\n" in p.label.two_lines(30) for p in ds.points) else 0.5
        return STYLE["title_band"] + STYLE["footer_band"] + 0.75 + per * len(ds.points)
    return 4.9 if ds.kind == "grouped" else 4.5


_GLYPH_DEF = re.compile(r'<path id="([^"\s]+-[0-9a-f]+)" d=')
_GLYPH_PATH = re.compile(r'(<path id="g[a-z]+[0-9a-f]+" d=")([^"]*)(" transform="scale\()0\.015625(\)"/>)')
_PATH_TOKEN = re.compile(r"[A-Za-z]|-?\d+(?:\.\d+)?(?:e-?\d+)?")
_ARITY = {"M": 2, "L": 2, "Q": 4, "C": 6}
GLYPH_STEP = 8   # glyph outlines come in 1/64 units; 8 of them is 1/800 em, far below a pixel


@functools.lru_cache(maxsize=None)
def _glyph_path(d: str) -> str | None:
    """An absolute glyph outline ('M 1926 -83 L …') as relative moves on a coarser grid
    ('m241-10l…'); None if it holds anything unexpected. Cached: figures share most glyphs."""
    out, cx, cy, sx, sy, i, cmd = [], 0, 0, 0, 0, 0, ""
    tokens = _PATH_TOKEN.findall(d)
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            if cmd in "Zz":
                out.append("z")
                cx, cy = sx, sy
                continue
        if cmd not in _ARITY or i + _ARITY[cmd] > len(tokens):
            return None
        n = _ARITY[cmd]
        try:
            nums = [round(float(t) / GLYPH_STEP) for t in tokens[i:i + n]]
        except ValueError:
            return None
        i += n
        deltas = [v - (cx if j % 2 == 0 else cy) for j, v in enumerate(nums)]
        cx, cy = nums[-2], nums[-1]
        if cmd == "M":
            sx, sy = cx, cy
        if cmd == "L" and deltas[1] == 0:
            seg = f"h{deltas[0]}"
        elif cmd == "L" and deltas[0] == 0:
            seg = f"v{deltas[1]}"
        else:
            seg = cmd.lower() + " ".join(str(v) for v in deltas)
        out.append(seg.replace(" -", "-"))
    return "".join(out)
_GLYPH_REF = re.compile(r'(id="|href="#)([^"\s]+-[0-9a-f]+)"')
_USE = re.compile(r'<use xlink:href="(#[^"]+)" transform="translate\(([-\d.e]+) ([-\d.e]+)\)"/>')
_PATH_DATA = re.compile(r' d="([^"]*)"')
_FONT_FAMILY = re.compile(r"font-family: [^;\"]+")


def _compact(svg: str) -> str:
    """Smaller SVG, same drawing: short glyph ids, <use x=…> instead of translate(), path data and
    indentation without spare whitespace. Text as paths costs a glyph outline per character used
    and a <use> per character drawn, so this roughly halves a text-heavy figure."""
    names: dict[str, str] = {}
    fonts: dict[str, str] = {}
    for gid in _GLYPH_DEF.findall(svg):
        font, code = gid.rsplit("-", 1)
        prefix = fonts.setdefault(font, "g" + "abcdefghijklmnopqrstuvwxyz"[len(fonts) % 26] * (1 + len(fonts) // 26))
        names.setdefault(gid, prefix + code)
    svg = _GLYPH_REF.sub(lambda m: f'{m.group(1)}{names.get(m.group(2), m.group(2))}"', svg)

    def num(v: float) -> str:
        return f"{v:.1f}".rstrip("0").rstrip(".")

    def use(m):
        x, y = round(float(m.group(2)), 1), round(float(m.group(3)), 1)
        pos = (f' x="{num(x)}"' if x else "") + (f' y="{num(y)}"' if y else "")
        return f'<use xlink:href="{m.group(1)}"{pos}/>'
    svg = _USE.sub(use, svg)
    def glyph(m):
        d = _glyph_path(m.group(2))
        return m.group(0) if d is None else f"{m.group(1)}{d}{m.group(3)}{0.015625 * GLYPH_STEP:g}{m.group(4)}"
    svg = _GLYPH_PATH.sub(glyph, svg)
    svg = _PATH_DATA.sub(lambda m: ' d="' + re.sub(r" ?([A-Za-z]) ?", r"\1", " ".join(m.group(1).split())) + '"', svg)
    svg = _FONT_FAMILY.sub("font-family: " + STYLE["font_stack"], svg)
    return re.sub(r"\n[ \t]+", "\n", svg)


@contextmanager
def _drawing(path, what: str):
    """House style on, and a glyph the font lacks (drawn as an empty box) is an error, not a warning."""
    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context(_rc()):
        warnings.simplefilter("always")
        yield
    for w in caught:
        text = str(w.message)
        if "missing from font" in text:
            raise fonts.missing_glyph(_shown(path), what, text)
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return _compact(buf.getvalue().decode("utf-8")).encode("utf-8")


def _load_matplotlib() -> None:
    """Import matplotlib on first drawing only: loading and checking data, and builds whose SVGs are
    cached, do not pay for it."""
    global matplotlib, font_manager, FigureCanvasAgg, Figure, Line2D, FuncFormatter, MaxNLocator
    fonts.matplotlib_family()       # first: matplotlib's cache in .cache/, the bundled fonts registered
    import matplotlib
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, MaxNLocator


def warm_up() -> None:
    """Load matplotlib and the figure fonts (what the first drawing would otherwise pay for)."""
    _load_matplotlib()
    for name in _font_family():
        try:
            font_manager.get_font(font_manager.findfont(font_manager.FontProperties(family=name)))
        except (ValueError, RuntimeError, OSError):
            pass


def render_svg(dataset: Dataset) -> bytes:
    """The dataset as a bilingual chart: SVG bytes, text drawn as paths, identical for identical input."""
    _load_matplotlib()
    ds = dataset
    factor, word = _axis_scale(ds)
    with _drawing(ds.path, f"figure {ds.id}"):
        fig = _new_figure(_height(ds))
        ax = fig.add_subplot()
        if ds.kind in ("bar", "barh"):
            texts = _draw_bars(ax, ds.series[0].points, ds.unit, ds.kind == "barh")
        elif ds.kind == "grouped":
            texts = _draw_grouped(ax, ds, factor)
        else:
            texts = _draw_line(ax, ds)
        value_axis = "x" if ds.kind == "barh" else "y"
        _style_axes(ax, value_axis)
        axis = ax.xaxis if value_axis == "x" else ax.yaxis
        axis.set_major_formatter(_tick_formatter(ds.unit, factor))
        axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
        if value_axis == "x":
            ax.set_xlabel(_value_axis_label(ds, word), color=STYLE["muted"], labelpad=8)
        else:   # above the axis, read horizontally (rotated Chinese reads badly)
            ax.set_title(_value_axis_label(ds, word), loc="left", fontsize=STYLE["size_label"], color=STYLE["muted"],
                         pad=10)
        _frame(fig, ds.title, _source(ds.articles))
        _fit(fig, ax, texts, value_axis)
        return _svg(fig)


def render_timeline_svg(events) -> bytes:
    """Events in date order down the page: years on the left, a dot per event on a rule, the event in
    Chinese and English beside it; dots coloured by source article.

    Unlike the charts, its text is SVG text, not outlines: every label is one line anchored at its
    start or end, so a reader's substitute font cannot misplace it (Chinese characters are one em
    wide in every CJK font; the longest line leaves STYLE["text_headroom"] of the width for a wider
    Latin face). Outlines of 150 lines of text cost a quarter of a megabyte and most of the drawing."""
    _load_matplotlib()
    events = sorted(events, key=lambda e: e.date)
    articles = sorted({e.article for e in events})
    colour = {a: STYLE["palette"][i % len(STYLE["palette"])] for i, a in enumerate(articles)}
    row = 0.5
    years = sorted({e.year for e in events})
    gap = 0.22
    body = max(row, row * len(events) + gap * (len(years) - 1))
    height = STYLE["title_band"] + STYLE["footer_band"] + body + 0.55
    title = Bilingual("文中提及的大事记", "Timeline of the events the articles date")
    with _drawing(events[0].path if events else "timeline", "timeline"), matplotlib.rc_context({"svg.fonttype": "none"}):
        fig = Figure(figsize=(STYLE["width"], height))
        FigureCanvasAgg(fig)
        top = 1 - (STYLE["title_band"] + 0.35) / height
        bottom = (STYLE["footer_band"] + 0.15) / height
        ax = fig.add_axes((0, bottom, 1, top - bottom))
        ax.set_axis_off()
        ax.set_xlim(0, STYLE["width"])
        ax.set_ylim(body, 0)
        rule_x, year_x, date_x, text_x = 1.05, 0.85, 1.25, 2.15
        y = row / 2
        last_year = None
        first_y = y
        for e in events:
            if last_year is not None and e.year != last_year:
                y += gap
                ax.plot([0.3, STYLE["width"] - 0.2], [y - row / 2 - gap / 2] * 2, color=STYLE["grid"], linewidth=0.8)
            if e.year != last_year:
                ax.text(year_x, y, str(e.year), ha="right", va="center", fontsize=12, fontweight="bold",
                        color=STYLE["text"])
            last_year = e.year
            ax.scatter([rule_x], [y], s=42, color=colour[e.article], zorder=3, edgecolors="white", linewidths=1.2)
            ax.text(date_x, y, _date_label(e.date), ha="left", va="center", fontsize=8.5, color=STYLE["muted"])
            ax.text(text_x, y - 0.02, e.event.zh, ha="left", va="bottom", fontsize=9.5, color=STYLE["text"])
            ax.text(text_x, y + 0.02, e.event.latin, ha="left", va="top", fontsize=8.3, color=STYLE["muted"])
            y += row
        ax.plot([rule_x, rule_x], [first_y, y - row], color=STYLE["axis"], linewidth=1.0, zorder=2)
        _frame(fig, title, "来源 Source: 文章 articles " + ", ".join(articles) + " · 颜色表示出处 dot colour shows the article")
        handles = [Line2D([], [], marker="o", linestyle="", color=colour[a], markersize=7,
                                           label=f"文章 {a}") for a in articles]
        fig.legend(handles=handles, loc="upper left", ncols=len(articles), frameon=False, fontsize=8.5,
                   bbox_to_anchor=(STYLE["margin"] / STYLE["width"] - 0.01, 1 - STYLE["title_band"] / height + 0.02 / height),
                   handletextpad=0.3, columnspacing=1.2)
        return _svg(fig)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date_label(iso: str) -> str:
    """'2023-05-06' -> '5月6日 May 6', '2023-05' -> '5月 May', '2023' -> '全年 year'."""
    parts = iso.split("-")
    if len(parts) == 3:
        m, d = int(parts[1]), int(parts[2])
        return f"{m}月{d}日 {_MONTHS[m - 1]} {d}"
    if len(parts) == 2:
        m = int(parts[1])
        return f"{m}月 {_MONTHS[m - 1]}"
    return ""
