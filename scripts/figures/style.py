"""What every drawing shares: the house style, matplotlib loaded on demand (figures on the house's
canvas, `canvas.Canvas`), the drawing context that turns a missing glyph into an error, the SVG
written small, value labels fitted inside the axes by solving for the limits, and the words every
chart says.

matplotlib is imported on the first drawing only (`load_matplotlib`), so loading and checking data,
and builds whose SVGs are cached, do not pay for it. The CJK font is looked up in one place,
`font_family`.
"""
from __future__ import annotations

import io
import warnings
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from .. import fonts
from ..annotate.numbers import CURRENCY, MONTHS, english_scale
from ..yamlio import shown
from .model import Bilingual, Dataset
from .svg import compact

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
        "text.parse_math": False,      # a "$" in a title or label is a dollar sign, never mathtext
        "path.simplify": True,
        "axes.unicode_minus": True,
        "font.size": 9.5,
        "axes.linewidth": 0.8,
        # matplotlib's defaults for these are "C0", the property cycle's first colour, which it looks up
        # through the whole cycle for every patch and line made (a third of a millisecond each, even
        # when the artist is given its own colour): the same colour, spelled out
        "patch.facecolor": "#1f77b4",
        "lines.color": "#1f77b4",
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

# matplotlib's names the drawings use, filled in by `load_matplotlib` on the first drawing.
mpl = SimpleNamespace()


def font_family() -> list[str]:
    """The font.family every drawing uses: the bundled font only, registered by path."""
    return list(fonts.matplotlib_family())


def rc() -> dict:
    """The house style's matplotlib settings, font included."""
    return {**STYLE["rc"], "font.family": font_family()}


@contextmanager
def _set_docstrings_left_out():
    """matplotlib writes the docstring of every Artist subclass's `set()` as the class is made
    (`Artist.__init_subclass__` calls `kwdoc`, which reads and reformats every setter's docstring):
    a third of importing matplotlib.figure, for help() text no drawing reads. While the figure
    modules are first imported here `kwdoc` answers "", and is then given back; where matplotlib
    has no `kwdoc` (another version), nothing changes. The drawings are the same either way."""
    from matplotlib import artist
    original = getattr(artist, "kwdoc", None)
    if callable(original):
        artist.kwdoc = lambda _artist: ""
    try:
        yield
    finally:
        if callable(original):
            artist.kwdoc = original


def load_matplotlib() -> SimpleNamespace:
    """Import matplotlib on first drawing only (loading and checking data, and builds whose SVGs are
    cached, do not pay for it); `mpl` then holds the names the drawings use."""
    if not vars(mpl):
        fonts.matplotlib_family()       # first: matplotlib's cache in .cache/, the bundled fonts registered
        import matplotlib
        from matplotlib import font_manager
        with _set_docstrings_left_out():
            from matplotlib.figure import Figure
            from matplotlib.patches import Rectangle
        from matplotlib.ticker import FuncFormatter, MaxNLocator
        from matplotlib.transforms import Bbox, IdentityTransform

        from . import canvas
        vars(mpl).update(rc_context=matplotlib.rc_context, font_manager=font_manager, Canvas=canvas.Canvas,
                         MeasuringRenderer=canvas.MeasuringRenderer, Figure=Figure, Rectangle=Rectangle,
                         FuncFormatter=FuncFormatter, MaxNLocator=MaxNLocator, Bbox=Bbox,
                         IdentityTransform=IdentityTransform)
    return mpl


def warm_up() -> None:
    """Load matplotlib and the figure fonts (what the first drawing would otherwise pay for)."""
    load_matplotlib()
    for name in font_family():
        try:
            mpl.font_manager.get_font(mpl.font_manager.findfont(mpl.font_manager.FontProperties(family=name)))
        except (ValueError, RuntimeError, OSError):
            pass


def new_figure(width: float, height: float, **kw):
    """A matplotlib Figure of `width` × `height` inches on the house's canvas (`canvas.Canvas`: one
    measure of text for layout and output; no pyplot, no global state)."""
    fig = mpl.Figure(figsize=(width, height), **kw)
    mpl.Canvas(fig)
    return fig


@contextmanager
def drawing(path, what: str):
    """House style on, and a glyph the font lacks (drawn as an empty box) is an error, not a warning."""
    with warnings.catch_warnings(record=True) as caught, mpl.rc_context(rc()):
        warnings.simplefilter("always")
        yield
    for w in caught:
        text = str(w.message)
        if "missing from font" in text:
            raise fonts.missing_glyph(shown(Path(path)), what, text)
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def to_svg(fig) -> bytes:
    """The figure saved as SVG without a date and made small (`svg.compact`)."""
    buf = io.StringIO()     # text: the SVG writer writes to it directly, not through an encoder per call
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return compact(buf.getvalue(), STYLE["font_stack"]).encode("utf-8")


_MEASURE: dict = {}


def measurer(fig):
    """A renderer to measure text with, one per dpi for the whole process: text metrics depend only
    on the text, its font and the dpi, and matplotlib caches them per renderer, so this one keeps
    them across a figure's change of size and across figures (the house's strings recur)."""
    if fig.dpi not in _MEASURE:
        _MEASURE[fig.dpi] = mpl.MeasuringRenderer(8, 8, fig.dpi)
    return _MEASURE[fig.dpi]


# ---------------------------------------------------------------- value labels inside the axes

def value_label(ax, text: str, xy, offset, **kw):
    """A value label `offset` points from its data point `xy`. Drawn and measured wherever the point
    is (matplotlib would hide it, and measure it as nothing, with the point outside the limits):
    the layout is what keeps it inside the axes (`label_needs`, `solve_limits`)."""
    return ax.annotate(text, xy, xytext=offset, textcoords="offset points", annotation_clip=False, **kw)


def label_needs(ax, texts, renderer, axis: str, margin: float = 4.0) -> list[tuple[float, float, float]]:
    """What each value label asks of an axis ("x" or "y"): (the value it is anchored at, the pixels its
    far edge reaches past its anchor, the pixels its near edge reaches before it), each with `margin`
    px to keep from the axes' edge. A label sits a fixed distance in points from its anchor, so these
    hold at any limits and placement."""
    box = ax.get_window_extent(renderer)
    lo, hi = ax.get_xlim() if axis == "x" else ax.get_ylim()
    start, end = (box.x0, box.x1) if axis == "x" else (box.y0, box.y1)
    i = 0 if axis == "x" else 1
    needs = []
    for t in texts:
        ext = t.get_window_extent(renderer)
        v = t.xy[i] if isinstance(t.xycoords, str) else t.xycoords.xy[i]   # or the value of the label it hangs on
        anchor = start + (v - lo) * (end - start) / (hi - lo)
        a, b = (ext.x0, ext.x1) if axis == "x" else (ext.y0, ext.y1)
        needs.append((v, b - anchor + margin, anchor - a + margin))     # negative: clear of the anchor
    return needs


def solve_limits(ax, needs, axis: str, renderer) -> None:
    """The limits of `axis` ("x" or "y") that give the most pixels per unit while every need (value,
    pixels after it, pixels before it; see `label_needs`) fits in the axes: solved, not iterated.
    With k pixels per unit and zero at pixel z, a need holds when z + v·k + after ≤ length and
    z + v·k − before ≥ 0; the largest k that leaves a z is found by bisection. An inverted axis (the
    categories of horizontal bars, top down) stays inverted."""
    box = ax.get_window_extent(renderer)
    length = box.width if axis == "x" else box.height
    lo, hi = ax.get_xlim() if axis == "x" else ax.get_ylim()
    sign = 1.0 if hi >= lo else -1.0        # solved with the values mirrored, so pixels grow with them
    needs = [(sign * v, after, before) for v, after, before in needs]
    values = [v for v, _, _ in needs]
    spread = max(values) - min(values)
    top = length / spread if spread > 0 else 4 * length / abs(hi - lo)    # no k can be larger

    def window(k: float) -> tuple[float, float]:
        low = max(before - v * k for v, _, before in needs)
        high = min(length - after - v * k for v, after, _ in needs)
        return low, high

    a, b = 0.0, top
    for _ in range(48):
        k = (a + b) / 2
        low, high = window(k)
        a, b = (k, b) if low <= high else (a, k)
    k = max(a, 1e-12 * top)
    low, high = window(k)
    z = low if low <= high else (low + high) / 2      # labels too wide for any scale: split the overflow
    (ax.set_xlim if axis == "x" else ax.set_ylim)(sign * -z / k, sign * (length - z) / k)


# ---------------------------------------------------------------- what every chart says

def sign_colour(value: float) -> str:
    """A single series' bar or dot: the house's colour for a rise, another for a fall."""
    return STYLE["negative"] if value < 0 else STYLE["positive"]


def source_line(articles) -> str:
    """The chart's own footer: where its numbers come from, in words a reader can use (the caption
    under it names the outlet, date and paragraphs; no internal article ids here)."""
    many = len(set(articles)) > 1
    return (f"来源 Source: 数字取自{'各篇' if many else ''}原文 figures as stated in the article{'s' if many else ''} "
            "· 百模志 The Hundred-Model Chronicle")


TIMELINE_TITLE = Bilingual("文中提及的大事记", "Timeline of the events the articles date")
# no internal article ids: the page lists each event with its outlet, date and ¶ under the chart
TIMELINE_SOURCE = ("来源 Source: 各事件出处见下方列表 each event's source (outlet, date, ¶) is listed below "
                   "· 颜色区分出处文章 dot colours tell the articles apart")


def unit_label(unit: str, word: str) -> str:
    """The value axis's unit: 'RMB million', 'US$ billion', 'HK$' (a price per share), '%', '×',
    'million' (a count).

    >>> unit_label("CNY", "million"), unit_label("%", ""), unit_label("count", "million")
    ('RMB million', '%', 'million')
    """
    if unit == "%":
        return "%"
    if unit == "times":
        return "×"
    currency = unit.split("/")[0]           # a price per share: the axis label says "per share"
    prefix = CURRENCY[currency].symbol.strip() if currency in CURRENCY else ""
    return " ".join(x for x in (prefix, word) if x)


def axis_scale(ds: Dataset) -> tuple[float, str]:
    """(factor, word) the chart's values are shown in: the scale of its largest amount."""
    values = [abs(v) for p in ds.points for v in (p.value, p.value_high) if v is not None]
    return english_scale(max(values) if values else 0.0, ds.unit)


def value_axis_label(ds: Dataset, word: str) -> str:
    """What the values are, in both languages, with their unit: '营收  ·  Revenue (RMB million)'."""
    return f"{ds.y_label.zh}  ·  {ds.y_label.latin} ({unit_label(ds.unit, word)})"


def categories(ds: Dataset) -> list[Bilingual]:
    """The chart's categories in the order of their first point."""
    seen: dict[str, Bilingual] = {}
    for p in ds.points:
        seen.setdefault(p.label.en, p.label)
    return list(seen.values())


def date_label(iso: str) -> str:
    """The timeline's date column: the year stands apart, so only month and day.

    >>> date_label("2023-05-06"), date_label("2023-05"), date_label("2023")
    ('5月6日 May 6', '5月 May', '')
    """
    parts = iso.split("-")
    if len(parts) == 3:
        m, d = int(parts[1]), int(parts[2])
        return f"{m}月{d}日 {MONTHS[m - 1][:3]} {d}"
    if len(parts) == 2:
        m = int(parts[1])
        return f"{m}月 {MONTHS[m - 1][:3]}"
    return ""
