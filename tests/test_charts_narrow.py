"""The narrow drawing of every chart, for phones: reproducible bytes, text as paths, every text inside the
canvas, no two texts (or a text and a bar) overlapping, nothing smaller than the house's phone sizes;
the page offers it through a <picture> below a phone's width, never in print."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from scripts import figure_pages
from scripts import figures as F
from tests.test_figures import DATASETS

SLACK = 0.5          # px: boxes that only touch do not overlap


def _boxes(fig):
    """Every visible text's and bar's box on the canvas (matplotlib's own measure, before saving)."""
    renderer = fig.canvas.get_renderer()
    texts = [t for t in fig.texts + [t for ax in fig.axes for t in ax.texts] if t.get_visible() and t.get_text()]
    bars = [p for ax in fig.axes for p in ax.patches if p.get_visible()]
    return ([(t, t.get_window_extent(renderer)) for t in texts],
            [(p, p.get_window_extent(renderer)) for p in bars])


def _overlap(a, b) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > SLACK and min(a.y1, b.y1) - max(a.y0, b.y0) > SLACK


def check_layout(ds) -> None:
    """Every text inside the canvas, no two texts overlapping, no text over a bar, every font at least
    the narrow style's smallest size."""
    fig = F.narrow_figure(ds)
    texts, bars = _boxes(fig)
    canvas = fig.bbox
    assert fig.get_figwidth() == F.NARROW["width"]
    for t, box in texts:
        assert canvas.x0 <= box.x0 and box.x1 <= canvas.x1 and canvas.y0 <= box.y0 and box.y1 <= canvas.y1, \
            (ds.id, t.get_text(), box, canvas)
        assert t.get_fontsize() >= F.NARROW["size_small"], (ds.id, t.get_text(), t.get_fontsize())
    for i, (t, a) in enumerate(texts):
        for u, b in texts[i + 1:]:
            assert not _overlap(a, b), (ds.id, t.get_text(), u.get_text())
        for _, b in bars:
            assert not _overlap(a, b), (ds.id, t.get_text(), "over a bar")
    axes = fig.axes[0].get_window_extent(fig.canvas.get_renderer())
    for _, b in bars:        # bars whole, never clipped by the axes (the zero line inside too)
        assert axes.x0 - SLACK <= b.x0 and b.x1 <= axes.x1 + SLACK, (ds.id, b, axes)
    values = [p.value for p in ds.points]
    assert len(bars) == len(values) + sum(1 for p in ds.points if p.value_high is not None)


@pytest.mark.parametrize("ds", DATASETS, ids=[d.id for d in DATASETS])
def test_narrow_drawing_fits_and_nothing_overlaps(ds):
    check_layout(ds)


@pytest.mark.parametrize("ds", DATASETS, ids=[d.id for d in DATASETS])
def test_narrow_drawing_reproducible_text_as_paths(ds):
    first, second = F.render_narrow_svg(ds), F.render_narrow_svg(ds)
    assert first == second
    svg = first.decode("utf-8")
    assert "<text" not in svg and "<dc:date>" not in svg
    width = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
    assert width == pytest.approx(F.NARROW["width"] * 72)
    assert first != F.render_svg(ds)
    sizes = [float(s) * 100 for s in re.findall(r"scale\(([\d.]+) -[\d.]+\)", svg)]   # glyph scale = pt / 100
    assert sizes and min(sizes) >= F.NARROW["size_small"] - 0.01


_ALPHABET = "".join(sorted({c for ds in DATASETS for p in ds.points for c in p.label.zh + p.label.en + p.reading}
                           | set(" abcdefghijklmnopqrstuvwxyz")))
_WORDS = st.text(_ALPHABET, min_size=1, max_size=40).map(str.strip).filter(bool)


@st.composite
def _datasets(draw):
    import dataclasses
    base = DATASETS[0]
    n = draw(st.integers(1, 6))
    labels = [F.Bilingual(draw(_WORDS), draw(_WORDS)) for _ in range(n)]
    labels = list({lb.en: lb for lb in labels}.values())
    series = []
    scale = draw(st.integers(-1, 7))        # a chart compares amounts of about one size
    for j in range(draw(st.integers(1, 3))):
        points = []
        for lb in labels:
            # as articles state amounts: up to four significant digits, either sign
            value = draw(st.integers(-9999, 9999).filter(bool)) * 10.0 ** (scale + draw(st.integers(-1, 1)))
            high = draw(st.one_of(st.none(), st.integers(11, 20).map(lambda k: value * k / 10)))
            points.append(F.Point(lb, value, high, "000", "q", draw(st.sampled_from(["", "约20%", "38.37亿元"]))))
        series.append(F.Series(F.Bilingual(draw(_WORDS), draw(_WORDS)), tuple(points)))
    unit = draw(st.sampled_from(["CNY", "USD", "%", "times", "count", "HKD/share"]))
    return dataclasses.replace(base, id="x", title=F.Bilingual(draw(_WORDS) * 2, draw(_WORDS) * 3), unit=unit,
                               kind="grouped" if len(series) > 1 else draw(st.sampled_from(["bar", "barh", "line"])),
                               series=tuple(series))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])    # a drawing is slow to shrink
@given(_datasets())
def test_any_dataset_narrow_fits_and_nothing_overlaps(ds):
    """Long, short, mixed-script labels; negative values and ranges; one to three series: the layout holds."""
    check_layout(ds)


def test_jobs_files_and_keys_hold_both_drawings(tmp_path):
    jobs = {rels[0]: (rels, job, sources) for rels, job, sources in figure_pages._jobs(DATASETS, [], ("百川智能",))}
    for ds in DATASETS:
        rels, job, sources = jobs[f"assets/figures/{ds.id}.svg"]
        assert job == ("figure", ds, ("百川智能",))
        assert rels == [f"assets/figures/{ds.id}.svg", f"assets/figures/tw/{ds.id}.svg", f"assets/figures/hk/{ds.id}.svg"]
        assert jobs[f"assets/figures/narrow/{ds.id}.svg"][0][1:] == [f"assets/figures/tw/narrow/{ds.id}.svg",
                                                                      f"assets/figures/hk/narrow/{ds.id}.svg"]
        assert jobs[f"assets/figures/narrow/{ds.id}.svg"][1][0] == "narrow"
        wide, narrow = (figure_pages._svg_key(figure_pages._key_source(k, ds)) for k in ("figure", "narrow"))
        assert wide != narrow
        keys = [figure_pages._svg_key(s) for s in sources]
        assert len(set(keys)) == 3            # every variant cached under a key of its own
        other = figure_pages._jobs([ds], [], ())[0][2]
        assert other[0] == sources[0] and other[1] != sources[1]    # the names change only the variants
    assert len(jobs) == 2 * len(DATASETS)


def test_figure_html_offers_the_narrow_drawing_on_phone_screens_only():
    ds = DATASETS[0]
    placed = figure_pages.Placed([ds], [])
    placed.sources[ds.id] = [figure_pages.Source("a", "p-00000000", "T", 1, "Outlet", "2024-07-02")]
    html = figure_pages.figure_html(ds, placed, "../")
    m = re.search(r'<a class="bm-figure-full" href="([^"]+)"[^>]*><picture><source media="([^"]+)" '
                  r'srcset="([^"]+)" type="image/svg\+xml"><img src="([^"]+)" alt="([^"]*)" loading="lazy"></picture></a>',
                  html)
    assert m, html
    href, media, narrow, wide, alt = m.groups()
    assert narrow == f"../assets/figures/narrow/{ds.id}.svg" and wide == href == f"../assets/figures/{ds.id}.svg"
    assert media.startswith("screen and (max-width:")          # print always takes the wide drawing
    assert alt and alt in figure_pages.h.attr(ds.alt)


def test_narrow_timeline_fits_reads_and_is_real_text():
    """The timeline for a phone: reproducible, one anchored line per SVG text, every line inside the
    canvas with the wide timeline's headroom for a wider font, no two texts overlapping, every event
    in both languages, nothing under the smallest phone size."""
    from tests.test_figures import EVENTS
    first = F.render_narrow_timeline_svg(EVENTS)
    assert first == F.render_narrow_timeline_svg(EVENTS) and first != F.render_timeline_svg(EVENTS)
    svg = first.decode("utf-8")
    texts = re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)
    joined = " ".join(texts)
    assert all(e.event.zh[:6] in joined for e in EVENTS)
    assert min(float(x) for x in re.findall(r"font-size: ([\d.]+)px", svg)) >= F.NARROW["size_small"]
    fig = F.narrow_timeline_figure(EVENTS)
    boxes, _ = _boxes(fig)
    assert fig.get_figwidth() == F.NARROW["width"]
    assert all("\n" not in t.get_text() for t, _ in boxes)
    wider = 1 / (1 - F.STYLE["text_headroom"])      # a reader's Latin face this much wider still fits
    for i, (t, a) in enumerate(boxes):
        assert a.x0 >= 0 and a.x0 + a.width * wider <= fig.bbox.width and a.y0 >= 0 and a.y1 <= fig.bbox.height, \
            (t.get_text(), a)
        for u, b in boxes[i + 1:]:
            assert not _overlap(a, b), (t.get_text(), u.get_text())


def test_timeline_jobs_hold_both_drawings():
    from tests.test_figures import EVENTS
    jobs = {rels[0]: job for rels, job, _ in figure_pages._jobs([], EVENTS)}
    assert jobs["assets/figures/timeline.svg"] == ("timeline", EVENTS, ())
    assert jobs["assets/figures/narrow/timeline.svg"] == ("timeline-narrow", EVENTS, ())
    assert figure_pages._key_source("timeline-narrow", EVENTS) != figure_pages._key_source("timeline", EVENTS)
