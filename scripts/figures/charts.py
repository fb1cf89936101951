"""The wide drawings, for a desktop screen and print (STYLE["width"], 8 in): bilingual bar, grouped
and line charts with a value axis (`render_svg`), and the timeline (`render_timeline_svg`), as
reproducible SVG."""
from __future__ import annotations

from ..annotate.numbers import MINUS
from ..chinese import HAN_RE
from .model import Bilingual, Dataset, Point, english_reading, qualifier
from .style import (STYLE, TIMELINE_SOURCE, TIMELINE_TITLE, axis_scale, categories, date_label, drawing, label_needs,
                    load_matplotlib, mpl, new_figure, rc, sign_colour, solve_limits, source_line, to_svg,
                    value_axis_label, value_label)


def _frame(fig, title: Bilingual, source: str) -> None:
    h = fig.get_figheight()
    x = STYLE["margin"] / STYLE["width"]
    fig.text(x, 1 - 0.16 / h, title.zh, ha="left", va="top", fontsize=STYLE["size_title"], fontweight="bold",
             color=STYLE["text"])
    fig.text(x, 1 - 0.52 / h, title.latin, ha="left", va="top", fontsize=STYLE["size_subtitle"], color=STYLE["muted"])
    fig.text(x, 0.1 / h, source, ha="left", va="bottom", fontsize=STYLE["size_small"], color=STYLE["muted"])


def _fmt(x: float, decimals: int) -> str:
    """A tick or grouped-bar value: rounded, thousands separated, no sign (drawn separately)."""
    s = f"{abs(round(x, decimals)):,.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _tick_formatter(unit: str, factor: float):
    def fmt(v, _pos=None):
        if abs(v) < 1e-12 * max(1.0, factor):
            return "0" + ("%" if unit == "%" else "")
        text = _fmt(v / factor, 2)
        sign = MINUS if v < 0 else ""
        return f"{sign}{text}" + ("%" if unit == "%" else "×" if unit == "times" else "")
    return mpl.FuncFormatter(fmt)


# Tick marks and the gap to their labels, in points: the value axis's are matplotlib's defaults, the
# category axis has none (its labels name the bars). Set here and read by the layout.
TICKS = {"value": {"length": 3.5, "pad": 3.5}, "category": {"length": 0.0, "pad": 6.0}}
PAD = (0.08, 0.06)          # inches between the axes' decorations and the figure's edges, title and footer


def _style_axes(ax, value_axis: str) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    category = "y" if value_axis == "x" else "x"
    ax.tick_params(axis=value_axis, **TICKS["value"])
    ax.tick_params(axis=category, **TICKS["category"])
    if value_axis == "x":
        ax.spines["left"].set_visible(False)
    (ax.xaxis if value_axis == "x" else ax.yaxis).grid(True, color=STYLE["grid"], linewidth=0.8)
    ax.set_axisbelow(True)


def _layout(fig, ax, texts, axis: str) -> None:
    """Place the axes between the title and footer bands so its decorations (tick labels, axis label,
    the value axis's title, legend) fit with the house's padding, and set its limits so every value
    label sits inside the axes: measured, no layout engine.

    The value labels ask the same of each axis wherever the axes is (`label_needs`, measured once):
    the value axis ("x" or "y") keeps the data's own limits and widens for them, the category axis
    keeps its slots and widens only for a label wider than its bar's slot. The decorations are
    measured from their strings (`_decorations`) at a first placement, the axes placed inside them,
    and measured again: tick labels follow the limits and the category labels' overhang the scale,
    so a change places the axes again (twice is usual; an overhang shrinks by at least a third a
    pass, so the passes converge)."""
    renderer = fig.canvas.get_renderer()
    width, height, dpi = fig.bbox.width, fig.bbox.height, fig.dpi
    pad_x, pad_y = PAD[0] * dpi, PAD[1] * dpi
    band = (pad_x, STYLE["footer_band"] * dpi + pad_y, width - pad_x, height - STYLE["title_band"] * dpi - pad_y)
    keep = {"x": ax.get_xlim(), "y": ax.get_ylim()}         # the value axis's autoscaled, the categories' set
    needs: dict = {}
    decor = (0.0, 0.0, 0.0, 0.0)            # px the decorations take left, right, below, above the axes
    for _ in range(12):
        x0, x1, y0, y1 = band[0] + decor[0], band[2] - decor[1], band[1] + decor[2], band[3] - decor[3]
        if x1 - x0 < (band[2] - band[0]) / 4 or y1 - y0 < (band[3] - band[1]) / 4:
            break                           # decorations larger than the chart: keep the last placement
        ax.set_position((x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height))
        for a in ("x", "y"):
            if a not in needs:
                needs[a] = [(v, 0.0, 0.0) for v in keep[a]] + label_needs(ax, texts, renderer, a)
            solve_limits(ax, needs[a], a, renderer)
        measured = _decorations(fig, ax, renderer, axis)
        if max(abs(a - b) for a, b in zip(measured, decor)) <= 0.5:
            break
        decor = measured


def _decorations(fig, ax, renderer, value_axis: str) -> tuple[float, float, float, float]:
    """The pixels the axes' decorations reach left of, right of, below and above its box, measured
    from their strings where matplotlib will draw them: tick labels (TICKS) at the current limits,
    the x-axis label under them, the value axis's title and the legend. As for matplotlib's layout,
    a title's width does not count (it starts at the axes' left edge)."""
    box = ax.bbox
    px = fig.dpi / 72
    probe = fig.text(0, 0, "", transform=mpl.IdentityTransform())
    labels = {"x": [], "y": []}
    for kind, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
        ticks = TICKS["value" if kind == value_axis else "category"]
        offset = (ticks["length"] + ticks["pad"]) * px
        lo, hi = sorted(axis.get_view_interval())
        slack = 1e-9 * (hi - lo)
        locs = [v for v in axis.get_major_locator()() if lo - slack <= v <= hi + slack]
        size = STYLE["rc"][f"{kind}tick.labelsize"]
        for loc, label in zip(locs, axis.get_major_formatter().format_ticks(locs)):
            if kind == "x":
                probe.update({"position": (ax.transData.transform((loc, 0))[0], box.y0 - offset),
                              "ha": "center", "va": "top"})
            else:
                probe.update({"position": (box.x0 - offset, ax.transData.transform((0, loc))[1]),
                              "ha": "right", "va": "center_baseline"})
            probe.update({"text": label, "fontsize": size})
            labels[kind].append(probe.get_window_extent(renderer))
    probe.remove()
    boxes = [box, *labels["x"], *labels["y"]]
    if ax.xaxis.label.get_text():           # under the tick labels (or the spine), labelpad apart
        top = min([b.y0 for b in labels["x"]] + [box.y0]) - ax.xaxis.labelpad * px
        height = ax.xaxis.label.get_window_extent(renderer).height
        boxes.append(mpl.Bbox.from_extents(box.x0, top - height, box.x0, top))
    if ax.title.get_text():
        title = ax.title.get_window_extent(renderer)
        boxes.append(mpl.Bbox.from_extents(box.x0, title.y0, box.x0, title.y1))
    if ax.get_legend():                     # above the axes (the line chart's is inside): its height counts
        legend = ax.get_legend().get_window_extent(renderer)
        boxes.append(mpl.Bbox.from_extents(box.x0, legend.y0, box.x0, legend.y1))
    return (box.x0 - min(b.x0 for b in boxes), max(b.x1 for b in boxes) - box.x1,
            box.y0 - min(b.y0 for b in boxes), max(b.y1 for b in boxes) - box.y1)


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
            out.append(value_label(ax, en, (end, y), (dx, 1.5), ha=ha, va="bottom", fontsize=STYLE["size_value"],
                                   fontweight="bold", color=STYLE["text"]))
            out.append(value_label(ax, zh, (end, y), (dx, -1.5), ha=ha, va="top", fontsize=STYLE["size_reading"],
                                   color=STYLE["muted"]))
        else:
            out.append(value_label(ax, en, (end, y), (dx, 0), ha=ha, va="center", fontsize=STYLE["size_value"],
                                   fontweight="bold", color=STYLE["text"]))
    else:             # vertical bars: label above (below for negative bars)
        va = "top" if neg else "bottom"
        step = -1 if neg else 1
        first, second = (en, zh) if neg else (zh, en)
        if zh:
            out.append(value_label(ax, first, (x, end), (0, 4 * step), ha="center", va=va,
                                   fontsize=STYLE["size_value"] if neg else STYLE["size_reading"],
                                   fontweight="bold" if neg else "normal",
                                   color=STYLE["text"] if neg else STYLE["muted"]))
            out.append(value_label(ax, second, (x, end), (0, 17 * step), ha="center", va=va,
                                   fontsize=STYLE["size_reading"] if neg else STYLE["size_value"],
                                   fontweight="normal" if neg else "bold",
                                   color=STYLE["muted"] if neg else STYLE["text"]))
        else:
            out.append(value_label(ax, en, (x, end), (0, 4 * step), ha="center", va=va, fontsize=STYLE["size_value"],
                                   fontweight="bold", color=STYLE["text"]))
    return out


def _draw_bars(ax, points, unit: str, horizontal: bool) -> list:
    texts = []
    n = len(points)
    for i, p in enumerate(points):
        pos = i
        colour = sign_colour(p.value)
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


def _draw_grouped(ax, ds: Dataset, factor: float) -> list:
    cats = categories(ds)
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
            texts.append(value_label(ax, text, (x, end), (0, -3 if end < 0 else 3), ha="center",
                                     va="top" if end < 0 else "bottom", fontsize=STYLE["size_reading"],
                                     color=STYLE["text"]))
    ax.set_xticks(range(len(cats)), [c.two_lines(18) for c in cats])
    ax.set_xlim(-0.6, len(cats) - 0.4)
    ax.axhline(0, color=STYLE["axis"], linewidth=0.9, zorder=3)
    _legend_above(ax, k)
    return texts


def _legend_above(ax, entries: int, room: float | None = None):
    """The series' legend above the axes at its right, in as many columns (up to four) as `room`
    (px; by default the figure's width less its padding) holds: long series names take more rows."""
    fig = ax.get_figure()
    renderer = fig.canvas.get_renderer()
    room = fig.bbox.width - 2 * PAD[0] * fig.dpi if room is None else room
    for ncols in range(min(entries, 4), 0, -1):
        legend = ax.legend(loc="lower right", ncols=ncols, bbox_to_anchor=(1.0, 1.0), handlelength=1.2,
                           borderaxespad=0.3)
        if legend.get_window_extent(renderer).width <= room:
            break


def _draw_line(ax, ds: Dataset) -> list:
    texts = []
    for j, s in enumerate(ds.series):
        colour = STYLE["palette"][j % len(STYLE["palette"])]
        xs = list(range(len(s.points)))
        ys = [p.value for p in s.points]
        ax.plot(xs, ys, color=colour, linewidth=2.2, zorder=3, solid_capstyle="round",
                label=s.name.two_lines() if len(ds.series) > 1 else None)
        ax.scatter(xs, ys, s=34, color=[sign_colour(v) if len(ds.series) == 1 else colour for v in ys], zorder=4,
                   edgecolors="white", linewidths=1.2)
        for x, p in zip(xs, s.points):
            neg = p.value < 0
            texts.append(value_label(ax, english_reading(p, ds.unit), (x, p.value), (0, -9 if neg else 9), ha="center",
                                     va="top" if neg else "bottom", fontsize=STYLE["size_value"], fontweight="bold",
                                     color=STYLE["text"]))
    cats = categories(ds)
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


def render_svg(dataset: Dataset) -> bytes:
    """The dataset as a bilingual chart: SVG bytes, text drawn as paths, identical for identical input."""
    load_matplotlib()
    with drawing(dataset.path, f"figure {dataset.id}"):
        return to_svg(_chart_figure(dataset))


def chart_figure(dataset: Dataset):
    """The dataset drawn wide (as `render_svg` draws it), laid out and ready to save: tests measure its texts."""
    load_matplotlib()
    with mpl.rc_context(rc()):
        return _chart_figure(dataset)


def _chart_figure(ds: Dataset):
    factor, word = axis_scale(ds)
    fig = new_figure(STYLE["width"], _height(ds))
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
    axis.set_major_locator(mpl.MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    if value_axis == "x":
        ax.set_xlabel(value_axis_label(ds, word), color=STYLE["muted"], labelpad=8)
    else:   # above the axis, read horizontally (rotated Chinese reads badly)
        ax.set_title(value_axis_label(ds, word), fontsize=STYLE["size_label"], color=STYLE["muted"], pad=10)
        ax.title.set(x=0.0, horizontalalignment="left")     # as loc="left", but the title `_layout` measures
    _frame(fig, ds.title, source_line(ds.articles))
    _layout(fig, ax, texts, value_axis)
    legend = ax.get_legend()
    if ds.kind == "grouped" and legend is not None:
        # The legend ends at the axes' right edge, which the layout has moved left of the figure's
        # for the decorations on the right: if it now reaches past the left padding, it takes the
        # columns the room left of that edge holds, and the axes are placed again for its height.
        renderer, pad = fig.canvas.get_renderer(), PAD[0] * fig.dpi
        if legend.get_window_extent(renderer).x0 < pad:
            _legend_above(ax, len(ds.series), ax.get_window_extent(renderer).x1 - pad)
            _layout(fig, ax, texts, value_axis)
    return fig


def render_timeline_svg(events) -> bytes:
    """Events in date order down the page: years on the left, a dot per event on a rule, the event in
    Chinese and English beside it; dots coloured by source article.

    Unlike the charts, its text is SVG text, not outlines: every label is one line anchored at its
    start or end, so a reader's substitute font cannot misplace it (Chinese characters are one em
    wide in every CJK font; the longest line leaves STYLE["text_headroom"] of the width for a wider
    Latin face). Outlines of 150 lines of text cost a quarter of a megabyte and most of the drawing."""
    load_matplotlib()
    events = sorted(events, key=lambda e: e.date)
    articles = sorted({e.article for e in events})
    colour = {a: STYLE["palette"][i % len(STYLE["palette"])] for i, a in enumerate(articles)}
    row = 0.5
    years = sorted({e.year for e in events})
    gap = 0.22
    body = max(row, row * len(events) + gap * (len(years) - 1))
    height = STYLE["title_band"] + STYLE["footer_band"] + body + 0.55
    with drawing(events[0].path if events else "timeline", "timeline"), mpl.rc_context({"svg.fonttype": "none"}):
        fig = new_figure(STYLE["width"], height)
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
            ax.text(date_x, y, date_label(e.date), ha="left", va="center", fontsize=8.5, color=STYLE["muted"])
            ax.text(text_x, y - 0.02, e.event.zh, ha="left", va="bottom", fontsize=9.5, color=STYLE["text"])
            ax.text(text_x, y + 0.02, e.event.latin, ha="left", va="top", fontsize=8.3, color=STYLE["muted"])
            y += row
        ax.plot([rule_x, rule_x], [first_y, y - row], color=STYLE["axis"], linewidth=1.0, zorder=2)
        _frame(fig, TIMELINE_TITLE, TIMELINE_SOURCE)
        return to_svg(fig)
