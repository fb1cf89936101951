"""The narrow drawings, for a phone's screen (NARROW["width"], 4.8 in): every chart as rows of
directly labelled horizontal bars (`render_narrow_svg`), and the timeline as a column
(`render_narrow_timeline_svg`). Laid out by hand from measured text, in inches from the top: no
layout engine runs."""
from __future__ import annotations

import textwrap

from ..chinese import HAN_RE
from .model import Bilingual, Dataset, Point, english_reading
from .style import (STYLE, TIMELINE_SOURCE, TIMELINE_TITLE, axis_scale, categories, date_label, drawing, label_needs,
                    load_matplotlib, measurer, mpl, new_figure, rc, sign_colour, solve_limits, source_line, to_svg,
                    value_axis_label, value_label)

# The page's <picture> picks the narrow drawing below a phone's width. At
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


def _wrapped(fig, s: str, size: float, width_in: float, **kw):
    """A figure text (placed later by the caller, in inches) wrapped by measurement to `width_in`:
    lines are re-broken at fewer characters until the widest fits (CJK runs broken anywhere)."""
    t = fig.text(0, 0, s, fontsize=size, transform=fig.dpi_scale_trans, ha="left", va="top", **kw)
    renderer = measurer(fig)
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
    no last line is left with a character or two ('…开始崛' over '起'); no line starts with a closing
    mark or ends with an opening one (`_hold_marks`).

    >>> _balanced_lines("大模型行业开始崛起", 8), _balanced_lines("AI stocks largest fall", 12)
    (['大模型行业', '开始崛起'], ['AI stocks', 'largest fall'])
    """
    def wrap(width: int) -> list[str]:
        return _hold_marks(textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False))
    lines = wrap(n)
    if len(lines) < 2:
        return lines
    for width in range(-(-len(text) // len(lines)), n):
        even = wrap(width)
        if len(even) == len(lines):
            return even
    return lines


_CLOSING = frozenset("，。、；：？！）》」』〉】〕”’…,.;:?!)]}%")
_OPENING = frozenset("（《「『〈【〔“‘([{")


def _hold_marks(lines: list[str]) -> list[str]:
    """Lines as Chinese typesetting breaks them: a closing mark (，。、）” …) stays at the end of the
    line before rather than start a line, an opening one (（“《 …) goes to the start of the next.

    >>> _hold_marks(["ChatGPT风靡全网", "，两个月", "活跃用户破“", "亿”"])
    ['ChatGPT风靡全网，', '两个月', '活跃用户破', '“亿”']
    """
    out = list(lines)
    for i in range(1, len(out)):
        while out[i] and out[i][0] in _CLOSING and out[i - 1]:
            out[i - 1], out[i] = out[i - 1] + out[i][0], out[i][1:]
        while out[i - 1] and out[i - 1][-1] in _OPENING:
            out[i - 1], out[i] = out[i - 1][:-1], out[i - 1][-1] + out[i]
    return [line for line in out if line]


def _height_in(fig, t) -> float:
    return t.get_window_extent(measurer(fig)).height / fig.dpi


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
    for c in categories(ds):
        rows[c.en] = (c, [])
    for j, s in enumerate(ds.series):
        for p in s.points:
            rows[p.label.en][1].append((j, p))
    return list(rows.values())


def _value_layout(fig, p: Point, unit: str, inner: float, share: float) -> tuple[str, bool, float]:
    """A bar's value label as it fits beside the bar: (the English, wrapped if over half the width;
    whether the Chinese goes under it, when both on one line would take over `share` of the width;
    the height in inches the bar's slot needs)."""
    renderer = measurer(fig)

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
    en = value_label(ax, text, (end, y), (-5 if neg else 5, 0), ha="right" if neg else "left",
                     va="bottom" if stacked else "center", fontsize=NARROW["size_value"], fontweight="bold",
                     color=STYLE["text"])
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


def narrow_figure(dataset: Dataset):
    """The dataset drawn for a phone (see NARROW), laid out and ready to save: tests measure its texts."""
    load_matplotlib()
    with mpl.rc_context(rc()):
        return _narrow_figure(dataset)


def _narrow_figure(ds: Dataset):
    st = NARROW
    factor, word = axis_scale(ds)
    width, m = st["width"], st["margin"]
    inner = width - 2 * m
    fig = new_figure(width, 4.0)
    top: list[tuple[object, float]] = []      # (text, gap below it) from the top down
    top.append((_wrapped(fig, ds.title.zh, st["size_title"], inner, fontweight="bold", color=STYLE["text"]), 0.04))
    top.append((_wrapped(fig, ds.title.latin, st["size_subtitle"], inner, color=STYLE["muted"]), 0.12))
    top.append((_wrapped(fig, value_axis_label(ds, word), st["size_small"], inner, color=STYLE["muted"]), 0.1))
    legend = []
    if len(ds.series) > 1:
        for j, s in enumerate(ds.series):
            name = s.name.zh if s.name.zh == s.name.en else f"{s.name.zh}  {s.name.latin}"
            t = _wrapped(fig, name, st["size_small"], inner - 0.25, color=STYLE["text"])
            legend.append((t, STYLE["palette"][j % len(STYLE["palette"])]))
            top.append((t, 0.04))
        top[-1] = (top[-1][0], 0.12)
    footer = _wrapped(fig, source_line(ds.articles).replace(" · ", "\n"), st["size_small"], inner, color=STYLE["muted"])
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
        fig.add_artist(mpl.Rectangle((m, t.get_position()[1] - h / 2 - 0.07), 0.16, 0.14,
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
            colour = sign_colour(p.value) if single else STYLE["palette"][j % len(STYLE["palette"])]
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
    renderer = measurer(fig)        # the value labels and every bar whole, 4 px inside the axes, as large as fits
    solve_limits(ax, label_needs(ax, texts, renderer, "x") + [(v, 4.0, 4.0) for v in (0.0, *values)], "x", renderer)
    return fig


def render_narrow_svg(dataset: Dataset) -> bytes:
    """The dataset drawn for a phone (narrow_figure): SVG bytes, text as paths, identical for identical input."""
    load_matplotlib()
    with drawing(dataset.path, f"figure {dataset.id} (narrow)"):
        return to_svg(_narrow_figure(dataset))


def _text_lines(fig, s: str, size: float, width_in: float, **kw) -> list:
    """`s` wrapped by measurement to `width_in`, one figure text per line (placed later, in inches)."""
    t = _wrapped(fig, s, size, width_in, **kw)
    lines = t.get_text().split("\n")
    t.remove()
    return [fig.text(0, 0, line, fontsize=size, transform=fig.dpi_scale_trans, ha="left", va="top", **kw)
            for line in lines]


def narrow_timeline_figure(events):
    """The timeline drawn for a phone, laid out and ready to save: tests measure its texts."""
    load_matplotlib()
    with mpl.rc_context(rc()), mpl.rc_context({"svg.fonttype": "none"}):
        return _narrow_timeline_figure(events)


def _narrow_timeline_figure(events):
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
    fig = new_figure(width, 4.0)
    placed: list[tuple[object, float, float]] = []     # (text, x, inches from the top)
    y = st["pad"]
    for t in _text_lines(fig, TIMELINE_TITLE.zh, st["size_title"], (width - 2 * m) * fit, fontweight="bold",
                         color=STYLE["text"]):
        placed.append((t, m, y))
        y += 0.28
    for t in _text_lines(fig, TIMELINE_TITLE.latin, st["size_subtitle"], (width - 2 * m) * fit,
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
        date = date_label(e.date).split(" ", 1)
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
    for t in _text_lines(fig, TIMELINE_SOURCE, st["size_small"], (width - 2 * m) * fit, color=STYLE["muted"]):
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
    load_matplotlib()
    with drawing(events[0].path if events else "timeline", "timeline (narrow)"), \
            mpl.rc_context({"svg.fonttype": "none"}):
        return to_svg(_narrow_timeline_figure(events))
