"""Figures: bilingual charts of the numbers the articles state, and a timeline of the events they date.

Data lives in YAML a person can check against the source:
- data/figures/<id>.yml, one chart each: every point carries the `quote` it comes from (an exact
  substring of the cleaned Chinese of its article) and the `reading`, the words in the quote that
  state the number. Values are in plain units (2.86亿元 -> 286000000; 60% -> 60; a fall is negative).
- data/timeline.yml, dated events, each with its quote.

The package, one module per job:
- `model`: the dataclasses (Dataset, Series, Point, Event), a point in English (through the one
  amount formatter, scripts/annotate/numbers.py) and a dataset as CSV;
- `load`: `load_datasets` / `load_timeline` validate the files, `check_quotes` checks every quote
  against the article texts and every value against its reading;
- `style`: the house style (STYLE), matplotlib loaded on the first drawing, the drawing context
  (a glyph the font lacks is an error), the SVG written, value labels fitted into the axes, the
  words every chart says;
- `canvas`: the canvas every figure is drawn on, whose layout and SVG writer share one measure of
  text (each string shaped once per font for the process);
- `charts`: `render_svg` / `render_timeline_svg` draw the wide, reproducible SVGs with matplotlib
  (the charts' text as paths, so no reader needs a CJK font), laid out by measurement;
- `narrow`: `render_narrow_svg` / `render_narrow_timeline_svg` the same for a phone's screen
  (NARROW: 4.8 in, direct-labelled horizontal bars, laid out by hand from measured text);
- `svg`: `compact`, the pure string rewrite that makes matplotlib's SVG small.
- `hant`: `variant`, the same drawing in Traditional characters (繁·台, 繁·港), rewritten from the
  Simplified SVG glyph for glyph, without drawing again.
Every failure is a `BuildError` naming the YAML file and line. The names below are the package's
interface: `from scripts import figures; figures.load_datasets(...)`.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .charts import chart_figure, render_svg, render_timeline_svg
from .narrow import NARROW, narrow_figure, narrow_timeline_figure, render_narrow_svg, render_narrow_timeline_svg
from .style import STYLE, warm_up
from .style import font_family as _font_family, rc as _rc
from .load import KINDS, UNITS, check_quotes, load_dataset, load_datasets, load_timeline, reading_values
from .model import Bilingual, Credit, Dataset, Event, Point, Series, dataset_csv, english_reading, latin, qualifier

__all__ = ["NARROW", "STYLE", "KINDS", "UNITS", "Bilingual", "Credit", "Dataset", "Event", "Point", "Series", "chart_figure",
           "check_quotes",
           "code_digest", "dataset_csv", "english_reading", "latin", "qualifier",
           "load_dataset", "load_datasets", "load_timeline", "narrow_figure", "narrow_timeline_figure", "reading_values",
           "render_narrow_svg", "render_narrow_timeline_svg",
           "render_svg", "render_timeline_svg",
           "warm_up"]


def code_digest() -> str:
    """A digest of the code that draws the figures (this package and the number formatter it uses),
    so cached SVGs are redrawn when it changes."""
    here = Path(__file__).parent
    files = sorted(here.glob("*.py")) + [here.parent / "annotate" / "numbers.py"]
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]
