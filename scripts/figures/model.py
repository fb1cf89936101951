"""The figures' data model: charts, series, points and timeline events, as small frozen dataclasses,
and a chart's data as CSV."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from .. import ingest
from ..annotate import numbers


@dataclass(frozen=True)
class Bilingual(ingest.Bilingual):
    """The pipeline's zh/en pair, with what drawing needs."""

    @property
    def latin(self) -> str:
        """The English as drawn: see `latin`."""
        return latin(self.en)

    def two_lines(self, wrap: int = 0) -> str:
        """'浪潮信息\\nInspur Information' (one line when both are the same, e.g. '2022')."""
        en = "\n".join(textwrap.wrap(self.latin, wrap)) if wrap else self.latin
        return self.zh if self.zh == self.en else f"{self.zh}\n{en}"


def latin(text: str) -> str:
    """English for drawing in a CJK font, whose curly quotes and em dash are full-width:
    straight quotes and a spaced en dash instead.

    >>> latin("“Spark”—a model")
    '"Spark" – a model'
    """
    for a, b in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), (" — ", " – "), ("—", " – ")):
        text = text.replace(a, b)
    return text


@dataclass(frozen=True)
class Point:
    """One bar or dot: its label, value in plain units (value_high for a stated range), the article
    and quote it comes from, the words of the quote that state it, and where it stands in its file."""
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
    """A named run of points (one per chart, or one per colour in a grouped chart)."""
    name: Bilingual
    points: tuple


@dataclass(frozen=True)
class Credit:
    """The underlying source an article credits for a figure's numbers (CB Insights, Wind, a filing),
    and the words of the paragraph that credit it."""
    name: Bilingual
    article: str
    quote: str
    line: int = 0
    quote_line: int = 0


@dataclass(frozen=True)
class Dataset:
    """One chart as data/figures/<id>.yml declares it."""
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
    source: tuple = ()          # Credit, one per article that names its source; () where none does

    @property
    def points(self) -> list[Point]:
        """Every point of every series, in order."""
        return [p for s in self.series for p in s.points]

    @property
    def articles(self) -> list[str]:
        """The seed ids the points quote, sorted."""
        return sorted({p.article for p in self.points})


@dataclass(frozen=True)
class Event:
    """A dated event of the timeline, with the quote that dates it."""
    date: str
    event: Bilingual
    article: str
    quote: str
    path: Path = Path(".")
    line: int = 0
    quote_line: int = 0

    @property
    def year(self) -> int:
        """The year of the date."""
        return int(self.date[:4])


def qualifier(point: Point) -> str:
    """The English of the hedge the point's reading states: '超300%' -> 'over', '84%' -> ''."""
    m = numbers.stating(point.reading, point.value)
    return m.qualifier if m else ""


def english_reading(point: Point, unit: str) -> str:
    """The point in English, as the page's tooltip gives its reading (the one formatter,
    scripts/annotate/numbers.py), with the chart's sign: '超300%' -> 'over 300%'."""
    return numbers.english_amount(point.value, point.value_high, None if unit == "count" else unit, qualifier(point))


def dataset_csv(dataset: Dataset) -> str:
    """One row per point: series_en,label_zh,label_en,value,value_high,unit,value_en,article,quote
    (value_en: the point in English, as the chart and the page give it)."""
    def plain(v):
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)

    from ..html import csv_table           # no cell can start a spreadsheet formula
    return csv_table(["series_en", "label_zh", "label_en", "value", "value_high", "unit", "value_en", "article", "quote"],
                     ([s.name.en, p.label.zh, p.label.en, plain(p.value), plain(p.value_high), dataset.unit,
                       english_reading(p, dataset.unit), p.article, p.quote] for s in dataset.series for p in s.points))
