"""The figures' canvas (scripts/figures/canvas.py): one measure of text for layout and output, the font
read from memory, strings shaped once. Each shortcut gives matplotlib's own numbers, outlines and
bytes: checked against matplotlib's stock renderers, text-to-path conversion and SVG canvas."""
from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts import figures as F
from tests.test_figures import DATASETS

STRINGS = ("科大讯飞研发投入占营收", "RMB 286–382 million", "2.86亿元 · iFlytek’s “Spark”", "0", "l", "AI四小龙AI")


def test_layout_measures_what_is_drawn():
    """The layout's measure of a string (figures/canvas.py: shaped once per font, scaled to the size
    asked for) is the SVG writer's own to the last bit, at any size and weight."""
    from matplotlib.backends.backend_svg import RendererSVG
    from matplotlib.font_manager import FontProperties

    from scripts.figures.canvas import text_metrics
    F.warm_up()
    svg = RendererSVG(100, 100, io.StringIO())
    for s in STRINGS:
        for size, weight in ((8, "normal"), (9.5, "normal"), (12.5, "bold"), (15.5, "bold")):
            prop = FontProperties(family=F._font_family(), size=size, weight=weight)
            assert text_metrics(s, prop) == svg.get_text_width_height_descent(s, prop, False), (s, size, weight)


@pytest.mark.parametrize("ds", DATASETS[:4], ids=[d.id for d in DATASETS[:4]])
def test_canvas_writes_what_matplotlibs_svg_canvas_writes(ds):
    """A laid-out chart saved through the house's canvas and through matplotlib's own SVG canvas:
    the same bytes (the canvas changes how text is measured, not what is drawn)."""
    import matplotlib
    fig = F.chart_figure(ds)
    with matplotlib.rc_context(F._rc()):
        ours, theirs = io.BytesIO(), io.BytesIO()
        fig.savefig(ours, format="svg", metadata={"Date": None})
        fig.savefig(theirs, format="svg", metadata={"Date": None}, backend="svg")
    assert ours.getvalue() == theirs.getvalue()
    assert ours.getvalue().count(b"<use ") > 40


def test_line_metrics_are_the_fonts_tables_as_matplotlib_reads_them():
    """The renderers give matplotlib the font's line metrics (read once per font file): a text of
    several lines, in both weights and at two sizes, has the box matplotlib gives it when it reads
    the font's tables itself."""
    from scripts.figures.canvas import MeasuringRenderer

    class TablesEachTime(MeasuringRenderer):
        def _get_font_height_metrics(self, prop):
            return None, None, None          # matplotlib then reads the tables, as it does for any renderer

    import matplotlib
    fig = F.chart_figure(DATASETS[0])
    ours, plain = MeasuringRenderer(800, 600, fig.dpi), TablesEachTime(800, 600, fig.dpi)
    for size, weight in ((9, "normal"), (15.5, "bold")):
        with matplotlib.rc_context(F._rc()):
            t = fig.text(0, 0, "科大讯飞\nRMB 286–382 million\n（2023年）", fontsize=size, fontweight=weight)
        assert t.get_fontname() == F._font_family()[0]
        assert t.get_window_extent(ours).bounds == t.get_window_extent(plain).bounds
        assert t.get_window_extent(ours).height > 2.5 * size


def test_shaper_places_and_outlines_glyphs_as_matplotlib_does():
    """The shaper's glyphs (kept per string for the process) are matplotlib's: the same placements
    and outlines, the same new glyphs for a renderer that already holds some, twice over."""
    import numpy as np
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    from scripts.figures.canvas import _SHAPER
    F.warm_up()
    stock = TextToPath()
    for weight in ("normal", "bold"):
        prop = FontProperties(family=F._font_family(), size=12, weight=weight)
        theirs_font, ours_font = stock._get_font(prop), _SHAPER._get_font(prop)
        held: dict = {}
        for s in STRINGS * 2:
            theirs = stock.get_glyphs_with_font(theirs_font, s, glyph_map=dict(held), return_new_glyphs_only=True)
            ours = _SHAPER.get_glyphs_with_font(ours_font, s, glyph_map=dict(held), return_new_glyphs_only=True)
            assert ours[0] == theirs[0] and list(ours[1]) == list(theirs[1]), s
            for r, (verts, codes) in theirs[1].items():
                assert np.array_equal(ours[1][r][0], verts) and np.array_equal(ours[1][r][1], codes)
            held.update(theirs[1])
        whole = _SHAPER.get_glyphs_with_font(ours_font, STRINGS[0])
        assert set(whole[1]) == {r for r, *_ in whole[0]}


def test_a_missing_glyph_is_an_error_every_time():
    """Text is measured and shaped once per process, but a character the font lacks still stops every
    drawing that holds it, not only the first (the font's warning is kept with the kept result)."""
    import dataclasses

    from scripts.errors import BuildError
    ds = dataclasses.replace(DATASETS[0], title=F.Bilingual("缺字\U00013000测试", "Missing"))
    for draw in (F.render_svg, F.render_narrow_svg, F.render_svg):
        with pytest.raises(BuildError, match="is not in the figure font"):
            draw(ds)


_POOL = "科大讯飞研发投入占营收亿元互联网软件为群后里“”《》（），。·–—-− %×&<>\"'RMBilonAI0123456789.\n"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(st.sampled_from(_POOL), max_size=20), min_size=1, max_size=4),
       st.sampled_from(("normal", "bold")), st.sampled_from((8, 12.5)))
def test_any_text_is_written_as_matplotlibs_svg_canvas_writes_it(texts, weight, size):
    """Any text, drawn through the house's canvas (outlines loaded once a glyph and their path data
    converted once for the process, font files looked up once, a string's <use> run written whole)
    and through matplotlib's own SVG canvas: the same bytes. A string drawn twice uses the glyphs
    defined for the first."""
    import matplotlib

    from scripts.figures.style import new_figure
    F.warm_up()
    with matplotlib.rc_context(F._rc()):
        fig = new_figure(4, 2)
        for i, s in enumerate(texts + texts[:1]):
            fig.text(0.05, 0.1 + 0.2 * i, s, fontsize=size, fontweight=weight, alpha=0.5 if i else None,
                     color="#59636e" if i % 2 else "black")
        ours, theirs = io.StringIO(), io.StringIO()
        fig.savefig(ours, format="svg", metadata={"Date": None})
        fig.savefig(theirs, format="svg", metadata={"Date": None}, backend="svg")
    assert ours.getvalue() == theirs.getvalue()


def test_the_font_looked_up_once_follows_the_font_settings():
    """`font_file` keeps matplotlib's findfont answer by the properties and the font settings: a
    generic family resolves as the settings of the moment say, each time."""
    import matplotlib
    from matplotlib.font_manager import FontProperties, findfont

    from scripts.figures.canvas import font_file
    F.warm_up()
    prop = FontProperties(family=["sans-serif"])
    found = []
    for sans in (["DejaVu Sans"], F._font_family(), ["DejaVu Sans"]):
        with matplotlib.rc_context({"font.sans-serif": sans}):
            path = findfont(prop)
            assert font_file(prop) == (str(path), getattr(path, "face_index", 0))
            found.append(font_file(prop))
    assert found[0] == found[2] != found[1]


def test_each_glyph_outline_is_freetypes_whatever_string_loaded_it_first():
    """Outlines are kept per font and glyph (`glyph_outline`): each is what FreeType gives for the
    glyph loaded alone, unhinted, at the text-to-path scale."""
    import numpy as np
    from matplotlib.font_manager import FontProperties
    from matplotlib.ft2font import LoadFlags

    from scripts.figures.canvas import _SHAPER, glyph_outline
    F.warm_up()
    for weight in ("normal", "bold"):
        font = _SHAPER._get_font(FontProperties(family=F._font_family(), weight=weight))
        for s in STRINGS:
            _SHAPER.get_glyphs_with_font(font, s)
        for ch in "".join(STRINGS):
            glyph = font.get_char_index(ord(ch))
            verts, codes = glyph_outline(font, glyph)
            font.load_glyph(glyph, flags=LoadFlags.NO_HINTING)
            fresh = font.get_path()
            assert np.array_equal(verts, fresh[0]) and np.array_equal(codes, fresh[1]), ch


def test_without_matplotlibs_private_parts_the_canvas_takes_its_own_way(monkeypatch):
    """The faster text writing uses private parts of matplotlib 3.11 (canvas.WRITTEN_FOR). Where they
    are missing (FAST_TEXT, _HAS_LAYOUT off), each piece falls back to matplotlib's own code: the
    same glyphs, the same bytes as matplotlib's own SVG canvas."""
    import matplotlib
    import numpy as np
    from matplotlib.font_manager import FontProperties

    from scripts.figures import canvas
    from scripts.figures.style import new_figure
    F.warm_up()
    font = canvas._SHAPER._get_font(FontProperties(family=F._font_family()))
    for s in STRINGS:
        fast = canvas._glyphs(font, s, (), None)
        monkeypatch.setattr(canvas, "_HAS_LAYOUT", False)
        plain = canvas._glyphs(font, s, (), None)
        monkeypatch.setattr(canvas, "_HAS_LAYOUT", True)
        assert fast[0] == plain[0] and fast[1].keys() == plain[1].keys()
        assert all(np.array_equal(fast[1][k][0], plain[1][k][0]) and np.array_equal(fast[1][k][1], plain[1][k][1])
                   for k in fast[1])
    monkeypatch.setattr(canvas, "FAST_TEXT", False)
    with matplotlib.rc_context(F._rc()):
        fig = new_figure(4, 2)
        for i, s in enumerate(STRINGS[:3]):
            fig.text(0.05, 0.1 + 0.2 * i, s, fontsize=10, alpha=0.5 if i else None)
        ours, theirs = io.StringIO(), io.StringIO()
        fig.savefig(ours, format="svg", metadata={"Date": None})
        fig.savefig(theirs, format="svg", metadata={"Date": None}, backend="svg")
    assert ours.getvalue() == theirs.getvalue()


def test_matplotlib_is_loaded_without_set_docstrings_and_given_back_its_kwdoc():
    """style.load_matplotlib imports the figure modules with matplotlib's `kwdoc` answering "" (no
    `set()` docstrings written for help()), then gives it back; the drawing is the same."""
    import subprocess
    import sys

    from tests.test_figures import ROOT
    code = ("import matplotlib.artist as a; own = a.kwdoc\n"
            "from scripts.figures import style, charts; style.load_matplotlib()\n"
            "import matplotlib.lines, matplotlib.figure\n"
            "assert a.kwdoc is own\n"
            "assert matplotlib.lines.Line2D.set.__doc__.endswith('Supported properties are\\n\\n')\n"
            "import sys; sys.stdout.buffer.write(charts.render_svg(__import__('scripts.figures', fromlist=['x'])"
            ".load_datasets(__import__('pathlib').Path('data/figures'))[0]))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True).stdout
    from scripts.figures import load_datasets
    assert out == F.render_svg(load_datasets(ROOT / "data" / "figures")[0])
