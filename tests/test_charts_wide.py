"""The wide drawing of every chart, laid out by measurement (no layout engine): every text inside the
canvas, the axes' decorations (tick labels, axis label, the value axis's title, legend) between the
title and footer bands with the house's padding, every value label inside the axes, no two texts
overlapping. Measured after matplotlib has laid the figure out for drawing, with its own boxes."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from scripts import figures as F
from tests.test_charts_narrow import _datasets
from tests.test_figures import DATASETS

SLACK = 0.5          # px: boxes that only touch do not overlap


def _overlap(a, b) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > SLACK and min(a.y1, b.y1) - max(a.y0, b.y0) > SLACK


def _inside(a, b) -> bool:
    return b.x0 - SLACK <= a.x0 and a.x1 <= b.x1 + SLACK and b.y0 - SLACK <= a.y0 and a.y1 <= b.y1 + SLACK


def _drawn_texts(fig) -> list[tuple[str, object]]:
    """(role, text) for every text matplotlib draws: the frame, value labels, tick labels inside the
    axis's limits, the axis label, the value axis's title, legend entries."""
    ax = fig.axes[0]
    out = [("frame", t) for t in fig.texts] + [("value", t) for t in ax.texts]
    for role, axis in (("tick", ax.xaxis), ("tick", ax.yaxis)):
        lo, hi = sorted(axis.get_view_interval())
        slack = 1e-9 * (hi - lo)
        for tick in axis.get_major_ticks(len(axis.get_majorticklocs())):
            if lo - slack <= tick.get_loc() <= hi + slack:
                out.append((role, tick.label1))
    out += [("decoration", ax.xaxis.label), ("decoration", ax.title)]
    if ax.get_legend():
        out += [("decoration", t) for t in ax.get_legend().get_texts()]
    return [(role, t) for role, t in out if t.get_visible() and t.get_text()]


def check_layout(ds, pairwise: bool = True) -> None:
    fig = F.chart_figure(ds)
    fig.draw_without_rendering()          # matplotlib's own placement of ticks, labels and title
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    box = ax.get_window_extent(renderer)
    dpi, height = fig.dpi, fig.bbox.height
    band_low = F.STYLE["footer_band"] * dpi
    band_high = height - F.STYLE["title_band"] * dpi
    tight = ax.get_tightbbox(renderer, for_layout_only=True)
    assert box.width > 0 and box.height > 0, ds.id
    assert band_low < tight.y0 and tight.y1 < band_high, (ds.id, tight, band_low, band_high)
    assert 0 < tight.x0 and tight.x1 < fig.bbox.width, (ds.id, tight)
    texts = [(role, t, t.get_window_extent(renderer)) for role, t in _drawn_texts(fig)]
    for role, t, b in texts:
        if role != "frame":        # the chart's title and footer are the frame's own (long titles run on)
            assert _inside(b, fig.bbox), (ds.id, role, t.get_text(), b)
        if role == "value":
            assert _inside(b, box), (ds.id, t.get_text(), b, box)
    if pairwise:
        for i, (role, t, a) in enumerate(texts):
            for role2, u, b in texts[i + 1:]:
                assert not _overlap(a, b), (ds.id, role, t.get_text(), role2, u.get_text())


# A grouped chart Hypothesis found (CI, session 19): its last category's label overhangs the axes'
# right edge, so the layout moved that edge 80 px in, and the legend, anchored there and sized for
# the whole figure's width, reached half a pixel past the figure's left edge.
WIDE_LEGEND = [
    ('息景费em8没', 'f预yO模O超仑.机', [('每m谱', '潮点指云富元超技半W7点', -1000.0, None, '约20%'), ('歌下家双完', 'cN市工', 455000.0, 728000.0, '约20%'), ('至', '8', 21880.0, None, ''), ('x美始蚁明DF信轮', '成者w工：', 9993000.0, None, ''), ('e大gA，机且', '0', 3816000.0, None, ''), ('io场接，r初h景至文%元收高百q六得服富四r定年歌', 'J高', -50500.0, -70700.0, '')]),
    ('模点元本从云业务时歌W', '家含智歌全件软本概gf始多gu每定季语阿周有蚁dic今富且译应二b模上→', [('每m谱', '潮点指云富元超技半W7点', -328000.0, -557600.0, '38.37亿元'), ('歌下家双完', 'cN市工', -479000.0, -670600.0, '约20%'), ('至', '8', -301000.0, None, ''), ('x美始蚁明DF信轮', '成者w工：', 197000.0, None, ''), ('e大gA，机且', '0', -2770.0, -4709.0, '约20%'), ('io场接，r初h景至文%元收高百q六得服富四r定年歌', 'J高', 444300.0, None, '')]),
    ('个型', '零计无歌约云', [('每m谱', '潮点指云富元超技半W7点', 150800.0, None, '约20%'), ('歌下家双完', 'cN市工', 2548000.0, None, ''), ('至', '8', -331500.0, -430950.0, '约20%'), ('x美始蚁明DF信轮', '成者w工：', 399500.0, None, '约20%'), ('e大gA，机且', '0', 20350.0, 36630.0, '38.37亿元'), ('io场接，r初h景至文%元收高百q六得服富四r定年歌', 'J高', -14980.0, None, '')]),
]


def test_a_legend_takes_the_columns_left_of_the_axes_right_edge():
    """The legend above a grouped chart ends at the axes' right edge: when the layout moves that
    edge in, the legend takes fewer columns rather than run past the figure's left edge."""
    import dataclasses
    base = DATASETS[0]
    point = base.series[0].points[0]
    series = tuple(F.Series(F.Bilingual(zh, en), tuple(
        dataclasses.replace(point, label=F.Bilingual(lzh, len_), value=v, value_high=hi, reading=r)
        for lzh, len_, v, hi, r in points)) for zh, en, points in WIDE_LEGEND)
    ds = dataclasses.replace(base, id="x", kind="grouped", unit="%", series=series,
                             title=F.Bilingual("软A里联硬投K软A里联硬投K", "0..00..00..0"))
    check_layout(ds, pairwise=False)
    fig = F.chart_figure(ds)
    fig.draw_without_rendering()
    legend = fig.axes[0].get_legend().get_window_extent(fig.canvas.get_renderer())
    assert legend.x0 >= F.charts.PAD[0] * fig.dpi - 0.5, legend


@pytest.mark.parametrize("ds", DATASETS, ids=[d.id for d in DATASETS])
def test_wide_drawing_fits_and_nothing_overlaps(ds):
    check_layout(ds)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])    # a drawing is slow to shrink
@given(_datasets())
def test_any_dataset_wide_layout_holds(ds):
    """Long, short, mixed-script labels; negative values and ranges; one to three series: the axes and
    its decorations stay between the title and the footer, the value labels inside the axes. (Long
    category names may crowd each other on a vertical chart: the narrow drawing is the one for them.)"""
    check_layout(ds, pairwise=False)

