"""Drawing the figures with matplotlib: bilingual charts and the timeline, as reproducible SVG.

matplotlib is imported on the first drawing only (`_load_matplotlib`), so loading and checking data,
and builds whose SVGs are cached, do not pay for it. The CJK font is looked up in one place,
`_font_family`.
"""
from __future__ import annotations

import io
import textwrap
import warnings
from contextlib import contextmanager
from pathlib import Path

from .. import fonts
from ..annotate.numbers import CURRENCY, MINUS, MONTHS, english_scale
from ..chinese import HAN_RE
from ..yamlio import shown
from .model import Bilingual, Dataset, Point, english_reading, qualifier
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
    """The chart's own footer: where its numbers come from, in words a reader can use (the caption
    under it names the outlet, date and paragraphs; no internal article ids here)."""
    many = len(set(articles)) > 1
    return (f"来源 Source: 数字取自{'各篇' if many else ''}原文 figures as stated in the article{'s' if many else ''} "
            "· 百模志 The Hundred-Model Chronicle")


def _unit_label(unit: str, word: str) -> str:
    """The value axis's unit: 'RMB million', 'US$ billion', 'HK$' (a price per share), '%', '×',
    'million' (a count)."""
    if unit == "%":
        return "%"
    if unit == "times":
        return "×"
    currency = unit.split("/")[0]           # a price per share: the axis label says "per share"
    prefix = CURRENCY[currency].symbol.strip() if currency in CURRENCY else ""
    return " ".join(x for x in (prefix, word) if x)


def _fmt(x: float, decimals: int) -> str:
    """A tick or grouped-bar value: rounded, thousands separated, no sign (drawn separately)."""
    s = f"{abs(round(x, decimals)):,.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _axis_scale(ds: Dataset) -> tuple[float, str]:
    values = [abs(v) for p in ds.points for v in (p.value, p.value_high) if v is not None]
    return english_scale(max(values) if values else 0.0, ds.unit)


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
    zh = p.reading if HAN_RE.search(p.reading) else ""
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
            text = f"{qualifier(p)} {text}".strip()
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


@contextmanager
def _drawing(path, what: str):
    """House style on, and a glyph the font lacks (drawn as an empty box) is an error, not a warning."""
    with warnings.catch_warnings(record=True) as caught, matplotlib.rc_context(_rc()):
        warnings.simplefilter("always")
        yield
    for w in caught:
        text = str(w.message)
        if "missing from font" in text:
            raise fonts.missing_glyph(shown(Path(path)), what, text)
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def _svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return compact(buf.getvalue().decode("utf-8"), STYLE["font_stack"]).encode("utf-8")


def _load_matplotlib() -> None:
    """Import matplotlib on first drawing only: loading and checking data, and builds whose SVGs are
    cached, do not pay for it."""
    global matplotlib, font_manager, FigureCanvasAgg, Figure, FuncFormatter, MaxNLocator
    fonts.matplotlib_family()       # first: matplotlib's cache in .cache/, the bundled fonts registered
    import matplotlib
    import matplotlib.patches
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
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


# The narrow drawing, for small screens (the page's <picture> picks it below a phone's width). At
# NARROW["width"] inches, shown on a 360 px screen (328 CSS px of column in Material), 1 pt is drawn
# at 0.95 CSS px, so the smallest text here (12 pt) reads at 11.4 px, the labels at 11.9 px: about
# the wide drawing's sizes on a desktop. Every chart becomes rows of horizontal bars, labelled directly: the
# category's two names on a line of their own above its bars, the amount in English (and the
# article's Chinese words for it) at the end of each bar, no value axis. Laid out by hand, in
# inches from the top, so there is no layout engine to run.
NARROW = {
    "width": 4.8,
    "margin": 0.12,
    "pad": 0.12,                       # inches above the title and below the source line
    "size_title": 15.5,
    "size_subtitle": 12.5,
    "size_label": 12.5,
    "size_value": 12.5,
    "size_small": 12,                  # the Chinese reading, axis title, legend, source line, dates
    "bar": 0.22,                       # inches, one bar's thickness
    "line": 0.21,                      # inches, a line of a value label or of the timeline
    "bar_gap": 0.06,                   # between the bars of one row
    "row_gap": 0.16,                   # between rows
    "label_gap": 0.05,                 # between a row's label and its first bar
}


_MEASURE: dict = {}


def _measure(fig):
    """A renderer to measure text with, one per dpi for the whole process: text metrics depend only
    on the text, its font and the dpi, and matplotlib caches them per renderer, so this one keeps
    them across a figure's change of size and across figures (the house's strings recur)."""
    if fig.dpi not in _MEASURE:
        from matplotlib.backends.backend_agg import RendererAgg
        _MEASURE[fig.dpi] = RendererAgg(8, 8, fig.dpi)
    return _MEASURE[fig.dpi]


def _wrapped(fig, s: str, size: float, width_in: float, **kw):
    """A figure text (placed later by the caller, in inches) wrapped by measurement to `width_in`:
    lines are re-broken at fewer characters until the widest fits (CJK runs broken anywhere)."""
    t = fig.text(0, 0, s, fontsize=size, transform=fig.dpi_scale_trans, ha="left", va="top", **kw)
    renderer = _measure(fig)
    limit = width_in * fig.dpi
    width = t.get_window_extent(renderer).width
    n = max(len(part) for part in s.split("\n"))
    while width > limit and n > 4:
        n = min(n - 1, int(n * limit / width))
        t.set_text("\n".join(line for part in s.split("\n")        # a line break given stays
                             for line in _balanced_lines(part, max(n, 4))))
        width = t.get_window_extent(renderer).width
    return t


def _balanced_lines(text: str, n: int) -> list[str]:
    """text wrapped at n characters, then into lines as even as the same number of lines allows, so
    no last line is left with a character or two ('…开始崛' over '起').

    >>> _balanced_lines("大模型行业开始崛起", 8), _balanced_lines("AI stocks largest fall", 12)
    (['大模型行业', '开始崛起'], ['AI stocks', 'largest fall'])
    """
    def wrap(width: int) -> list[str]:
        return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False)
    lines = wrap(n)
    if len(lines) < 2:
        return lines
    for width in range(-(-len(text) // len(lines)), n):
        even = wrap(width)
        if len(even) == len(lines):
            return even
    return lines


def _height_in(fig, t) -> float:
    return t.get_window_extent(_measure(fig)).height / fig.dpi


def _row_label(fig, label: Bilingual, width_in: float):
    """A category's names: 'zh  en' on one line if it fits, else the Chinese over the English."""
    one = label.zh if label.zh == label.en else f"{label.zh}  {label.latin}"
    t = _wrapped(fig, one, NARROW["size_label"], width_in, color=STYLE["text"])
    if "\n" in t.get_text() and label.zh != label.en:
        t.remove()
        zh = _wrapped(fig, label.zh, NARROW["size_label"], width_in)
        en = _wrapped(fig, label.latin, NARROW["size_label"], width_in)
        text = zh.get_text() + "\n" + en.get_text()
        zh.remove()
        en.remove()
        t = fig.text(0, 0, text, fontsize=NARROW["size_label"], transform=fig.dpi_scale_trans, ha="left", va="top",
                     color=STYLE["text"])
    return t


def _narrow_rows(ds: Dataset) -> list[tuple[Bilingual, list[tuple[int, Point]]]]:
    """Each category with its points in series order: (label, [(series index, point)])."""
    rows: dict[str, tuple[Bilingual, list]] = {}
    for c in _categories(ds):
        rows[c.en] = (c, [])
    for j, s in enumerate(ds.series):
        for p in s.points:
            rows[p.label.en][1].append((j, p))
    return list(rows.values())


def _value_layout(fig, p: Point, unit: str, inner: float, share: float) -> tuple[str, bool, float]:
    """A bar's value label as it fits beside the bar: (the English, wrapped if over half the width;
    whether the Chinese goes under it, when both on one line would take over `share` of the width;
    the height in inches the bar's slot needs)."""
    renderer = _measure(fig)

    def width(s, size, weight="normal"):
        t = fig.text(0, 0, s, fontsize=size, fontweight=weight)
        w = t.get_window_extent(renderer).width / fig.dpi
        t.remove()
        return w

    en = english_reading(p, unit)
    w_en = width(en, NARROW["size_value"], "bold")
    if w_en > 0.45 * inner:
        en = "\n".join(textwrap.wrap(en, max(8, int(len(en) * 0.4 * inner / w_en))))
    lines = en.count("\n") + 1
    zh = HAN_RE.search(p.reading)
    stacked = bool(zh) and (lines > 1 or w_en + width(p.reading, NARROW["size_small"]) + 0.15 > share * inner)
    line = NARROW["line"]
    slot = 2 * line * lines + 0.04 if stacked else line * lines + 0.04
    return en, stacked, max(NARROW["bar"], slot)


def _narrow_value(ax, p: Point, text: str, y: float, stacked: bool) -> list:
    """The English amount (bold) at the end of the bar, the Chinese words for it (muted) beyond, or
    under it if `stacked`."""
    end = p.value_high if p.value_high is not None and abs(p.value_high) > abs(p.value) else p.value
    neg = end < 0
    en = ax.annotate(text, (end, y),  xytext=(-5 if neg else 5, 0), textcoords="offset points",
                     ha="right" if neg else "left", va="bottom" if stacked else "center",
                     fontsize=NARROW["size_value"], fontweight="bold", color=STYLE["text"])
    if not HAN_RE.search(p.reading):
        return [en]
    if stacked:
        zh = ax.annotate(p.reading, (1 if neg else 0, 0), xycoords=en, xytext=(0, -1), textcoords="offset points",
                         ha="right" if neg else "left", va="top", fontsize=NARROW["size_small"], color=STYLE["muted"])
    else:
        zh = ax.annotate(p.reading, (0 if neg else 1, 0.5), xycoords=en, xytext=(-5 if neg else 5, 0),
                         textcoords="offset points", ha="right" if neg else "left", va="center",
                         fontsize=NARROW["size_small"], color=STYLE["muted"])
    return [en, zh]


def narrow_figure(dataset: Dataset) -> Figure:
    """The dataset drawn for a phone (see NARROW), laid out and ready to save: tests measure its texts."""
    _load_matplotlib()
    with matplotlib.rc_context(_rc()):
        return _narrow_figure(dataset)


def _narrow_figure(ds: Dataset) -> Figure:
    st = NARROW
    factor, word = _axis_scale(ds)
    width, m = st["width"], st["margin"]
    inner = width - 2 * m
    fig = Figure(figsize=(width, 4.0))
    FigureCanvasAgg(fig)
    top: list[tuple[object, float]] = []      # (text, gap below it) from the top down
    top.append((_wrapped(fig, ds.title.zh, st["size_title"], inner, fontweight="bold", color=STYLE["text"]), 0.04))
    top.append((_wrapped(fig, ds.title.latin, st["size_subtitle"], inner, color=STYLE["muted"]), 0.12))
    top.append((_wrapped(fig, _value_axis_label(ds, word), st["size_small"], inner, color=STYLE["muted"]), 0.1))
    legend = []
    if len(ds.series) > 1:
        for j, s in enumerate(ds.series):
            name = s.name.zh if s.name.zh == s.name.en else f"{s.name.zh}  {s.name.latin}"
            t = _wrapped(fig, name, st["size_small"], inner - 0.25, color=STYLE["text"])
            legend.append((t, STYLE["palette"][j % len(STYLE["palette"])]))
            top.append((t, 0.04))
        top[-1] = (top[-1][0], 0.12)
    footer = _wrapped(fig, _source(ds.articles).replace(" · ", "\n"), st["size_small"], inner, color=STYLE["muted"])
    rows, body, y = _narrow_rows(ds), [], 0.0
    signs = {v < 0 for p in ds.points for v in (p.value, p.value_high) if v is not None}
    share = 0.4 if len(signs) > 1 else 0.6      # labels on both sides of zero share the width
    for label, points in rows:
        t = _row_label(fig, label, inner)
        body.append((t, y))
        y += _height_in(fig, t) + st["label_gap"]
        bars = []
        for j, p in points:
            text, stacked, slot = _value_layout(fig, p, ds.unit, inner, share)
            bars.append((j, p, y + slot / 2, text, stacked))
            y += slot + st["bar_gap"]
        body[-1] = (t, body[-1][1], bars)
        y += st["row_gap"] - st["bar_gap"]
    body_h = y - st["row_gap"]
    head_h = st["pad"] + sum(_height_in(fig, t) + gap for t, gap in top)
    foot_h = _height_in(fig, footer) + st["pad"] + 0.14
    height = head_h + body_h + foot_h
    fig.set_size_inches(width, height)
    y = height - st["pad"]
    for t, gap in top:
        x = m + (0.25 if any(t is lt for lt, _ in legend) else 0.0)
        t.set_position((x, y))
        y -= _height_in(fig, t) + gap
    for t, colour in legend:
        h = _height_in(fig, t)
        fig.add_artist(matplotlib.patches.Rectangle((m, t.get_position()[1] - h / 2 - 0.07), 0.16, 0.14,
                                                    transform=fig.dpi_scale_trans, color=colour))
    footer.set_position((m, st["pad"] + _height_in(fig, footer)))
    ax = fig.add_axes((m / width, foot_h / height, inner / width, body_h / height))
    ax.set_axis_off()
    ax.set_ylim(body_h, 0)
    single = len(ds.series) == 1
    texts, values = [], []
    for t, y0, bars in body:
        t.set_position((m, height - head_h - y0))
        for j, p, yc, text, stacked in bars:
            colour = _colour(p.value) if single else STYLE["palette"][j % len(STYLE["palette"])]
            ax.barh(yc, p.value, st["bar"], color=colour, zorder=2, linewidth=0)
            if p.value_high is not None:
                lo, hi = sorted((p.value, p.value_high), key=abs)
                ax.barh(yc, hi - lo, st["bar"], lo, color=colour, alpha=STYLE["range_alpha"], zorder=2, linewidth=0)
            texts += _narrow_value(ax, p, text, yc, stacked)
            values += [v for v in (p.value, p.value_high) if v is not None]
        if bars:        # the zero line through this row's bars only, clear of the labels
            ax.vlines(0, bars[0][2] - st["bar"] / 2 - 0.03, bars[-1][2] + st["bar"] / 2 + 0.03, color=STYLE["axis"],
                      linewidth=0.9, zorder=3)
    lo, hi = min(0.0, *values), max(0.0, *values)
    span = (hi - lo) or 1.0
    ax.set_xlim(lo - (0.02 * span if lo < 0 else 0), hi + (0.02 * span if hi > 0 else 0))
    _solve_limits(ax, texts, values, _measure(fig))
    return fig


def _solve_limits(ax, texts, values, renderer) -> None:
    """The value axis's limits that give the bars the most room while every value label (a fixed
    size in pixels beside its bar's end) stays 4 px inside the axes: solved, not iterated. With k
    pixels per unit and zero at pixel z, a label reaching r px right of value v needs z + v·k + r ≤
    width − 4, one reaching l px left needs z + v·k − l ≥ 4; the largest k that leaves a z is found
    by bisection."""
    box = ax.get_window_extent(renderer)
    width = box.width
    lo, hi = ax.get_xlim()
    k0 = width / (hi - lo)
    needs = []                 # (value at the anchor, px right of it, px left of it)
    for t in texts:
        ext = t.get_window_extent(renderer)
        v = t.xy[0] if isinstance(t.xycoords, str) else t.xycoords.xy[0]
        anchor = box.x0 + (v - lo) * k0
        needs.append((v, max(0.0, ext.x1 - anchor), max(0.0, anchor - ext.x0)))
    needs += [(v, 0.0, 0.0) for v in (0.0, *values)]     # the zero line and every bar whole, too

    def window(k: float) -> tuple[float, float]:
        low = max(4 + left - v * k for v, _, left in needs)
        high = min(width - 4 - right - v * k for v, right, _ in needs)
        return low, high

    a, b = 0.0, k0 * 4
    for _ in range(48):
        k = (a + b) / 2
        low, high = window(k)
        a, b = (k, b) if low <= high else (a, k)
    k = max(a, 1e-12 * k0)
    low, high = window(k)
    z = low if low <= high else (low + high) / 2      # labels too wide for any bar: split the overflow
    ax.set_xlim(-z / k, (width - z) / k)


def render_narrow_svg(dataset: Dataset) -> bytes:
    """The dataset drawn for a phone (narrow_figure): SVG bytes, text as paths, identical for identical input."""
    _load_matplotlib()
    with _drawing(dataset.path, f"figure {dataset.id} (narrow)"):
        return _svg(_narrow_figure(dataset))


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
        # no internal article ids: the page lists each event with its outlet, date and ¶ under the chart
        _frame(fig, title, "来源 Source: 各事件出处见下方列表 each event's source (outlet, date, ¶) is listed below "
               "· 颜色区分出处文章 dot colours tell the articles apart")
        return _svg(fig)


def _text_lines(fig, s: str, size: float, width_in: float, **kw) -> list:
    """`s` wrapped by measurement to `width_in`, one figure text per line (placed later, in inches)."""
    t = _wrapped(fig, s, size, width_in, **kw)
    lines = t.get_text().split("\n")
    t.remove()
    return [fig.text(0, 0, line, fontsize=size, transform=fig.dpi_scale_trans, ha="left", va="top", **kw)
            for line in lines]


def narrow_timeline_figure(events) -> Figure:
    """The timeline drawn for a phone, laid out and ready to save: tests measure its texts."""
    _load_matplotlib()
    with matplotlib.rc_context(_rc()), matplotlib.rc_context({"svg.fonttype": "none"}):
        return _narrow_timeline_figure(events)


def _narrow_timeline_figure(events) -> Figure:
    """Events down the page as on the wide timeline, at NARROW sizes: a year heading where the year
    changes, the date in a column of its own (Chinese over English), the event in Chinese over the
    English, both wrapped to the column with the wide timeline's headroom for a reader's wider font.
    Every line is one SVG text anchored at its start."""
    st = NARROW
    events = sorted(events, key=lambda e: e.date)
    colour = {a: STYLE["palette"][i % len(STYLE["palette"])] for i, a in enumerate(sorted({e.article for e in events}))}
    width, m = st["width"], st["margin"]
    fit = 1 - STYLE["text_headroom"]
    dot_x, date_x, text_x = m + 0.1, m + 0.28, m + 1.02
    fig = Figure(figsize=(width, 4.0))
    FigureCanvasAgg(fig)
    placed: list[tuple[object, float, float]] = []     # (text, x, inches from the top)
    y = st["pad"]
    for t in _text_lines(fig, "文中提及的大事记", st["size_title"], (width - 2 * m) * fit, fontweight="bold",
                         color=STYLE["text"]):
        placed.append((t, m, y))
        y += 0.28
    for t in _text_lines(fig, "Timeline of the events the articles date", st["size_subtitle"], (width - 2 * m) * fit,
                         color=STYLE["muted"]):
        placed.append((t, m, y))
        y += st["line"]
    y += 0.15
    dots, rules, last_year = [], [], None
    line = st["line"]
    for e in events:
        if e.year != last_year:
            if last_year is not None:
                rules.append(y - 0.06)
            t = fig.text(0, 0, str(e.year), fontsize=13, fontweight="bold", color=STYLE["text"],
                         transform=fig.dpi_scale_trans, ha="left", va="top")
            placed.append((t, m, y + 0.02))
            y += 0.32
            last_year = e.year
        dots.append((y + line / 2, colour[e.article], e.year))
        date = _date_label(e.date).split(" ", 1)
        left = 0
        for part in (p for p in date if p):
            placed.append((fig.text(0, 0, part, fontsize=st["size_small"], color=STYLE["muted"], transform=fig.dpi_scale_trans,
                                    ha="left", va="top"), date_x, y + left * line))
            left += 1
        right = 0
        for t in _text_lines(fig, e.event.zh, st["size_label"], (width - m - text_x) * fit, color=STYLE["text"]):
            placed.append((t, text_x, y + right * line))
            right += 1
        for t in _text_lines(fig, e.event.latin, st["size_small"], (width - m - text_x) * fit, color=STYLE["muted"]):
            placed.append((t, text_x, y + right * line))
            right += 1
        y += max(left, right) * line + 0.12
    body_end = y
    y += 0.1
    for t in _text_lines(fig, "来源 Source: 各事件出处见下方列表 each event's source (outlet, date, ¶) is listed below "
                         "· 颜色区分出处文章 dot colours tell the articles apart", st["size_small"], (width - 2 * m) * fit,
                         color=STYLE["muted"]):
        placed.append((t, m, y))
        y += line
    height = y + st["pad"]
    fig.set_size_inches(width, height)
    for t, x, top in placed:
        t.set_position((x, height - top))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    for r in rules:
        ax.plot([m, width - m], [r, r], color=STYLE["grid"], linewidth=0.8)
    for year in dict.fromkeys(yr for _, _, yr in dots):      # the rule through each year's dots, clear of its heading
        ys = [d for d, _, yr in dots if yr == year]
        ax.plot([dot_x, dot_x], [ys[0], ys[-1]], color=STYLE["axis"], linewidth=1.0, zorder=2)
    if dots:
        ax.scatter([dot_x] * len(dots), [d for d, _, _ in dots], s=36, color=[c for _, c, _ in dots], zorder=3,
                   edgecolors="white", linewidths=1.2)
    return fig


def render_narrow_timeline_svg(events) -> bytes:
    """The timeline drawn for a phone (narrow_timeline_figure): SVG bytes, text as SVG text like the wide one's."""
    _load_matplotlib()
    with _drawing(events[0].path if events else "timeline", "timeline (narrow)"), \
            matplotlib.rc_context({"svg.fonttype": "none"}):
        return _svg(_narrow_timeline_figure(events))


def _date_label(iso: str) -> str:
    """The timeline's date column: the year stands apart, so only month and day.

    >>> _date_label("2023-05-06"), _date_label("2023-05"), _date_label("2023")
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
