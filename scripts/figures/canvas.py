"""One measure of text for laying a drawing out and for writing it: the canvas every figure is drawn on.

matplotlib measures a string once per renderer: the layout measures it with Agg (hinted, at the
screen's dpi) and `savefig` measures it again with the SVG renderer (unhinted outlines, the size the
text is drawn at), so every string was shaped twice and the layout measured something a little
different from what was drawn. Here both renderers ask `text_metrics`, which shapes a string once
per font for the whole process at matplotlib's text-to-path scale and scales the result to the size
asked for (unhinted metrics scale linearly: that is how the SVG renderer measures). The layout then
measures exactly what is drawn, and the house's recurring strings (source lines, tick labels, a
title drawn wide and narrow) are shaped once. The font's line metrics, which matplotlib reads from
its tables for every text it lays out, are read once per font file (`line_metrics`).

FreeType reads the font through the file object matplotlib gives it, a seek and a read for every
small access (a CFF glyph's charstring, its advance width: 350,000 seeks and 180,000 reads of the
file for the 42 drawings); the measuring and the drawing here read it from memory instead
(`memory_font`): a fifth less CPU, the same outlines and numbers.

Imported by `style.load_matplotlib` only, on the first drawing.
"""
from __future__ import annotations

import codecs
import functools
import io
import os
import threading
import warnings
from pathlib import Path

import matplotlib as mpl
from matplotlib import cbook
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends import backend_svg as _mpl_svg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.colors import rgb2hex
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font, LoadFlags
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextToPath


@functools.lru_cache(maxsize=8)
def _font_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def memory_font(path: str, face: int = 0) -> FT2Font:
    """The font file at `path` as FreeType reads it from memory, one per process and thread (as
    matplotlib keeps its fonts: a font cannot cross a fork, so the cache is emptied in a forked child,
    nor be shared by threads)."""
    return _memory_font(path, face, threading.get_ident())


@functools.lru_cache(maxsize=8)
def _memory_font(path: str, face: int, _thread: int) -> FT2Font:
    return FT2Font(io.BytesIO(_font_bytes(path)), face_index=face)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_memory_font.cache_clear)


def _font_for(prop: FontProperties) -> FT2Font:
    path, face = font_file(prop)    # the house names one family: no fallback fonts to chain
    return memory_font(path, face)


_RC_FONT = tuple(f"font.{key}" for key in ("family", "style", "variant", "weight", "stretch", "size", "serif",
                                             "sans-serif", "cursive", "fantasy", "monospace"))
_FOUND: dict = {}


def font_file(prop: FontProperties) -> tuple[str, int]:
    """(path, face index) of the font matplotlib's `findfont` gives for `prop`, kept by what it
    depends on (the properties and the font settings): matplotlib asks for every text it lays out
    and every string it draws, and each asking reads eleven settings."""
    settings = [dict.get(mpl.rcParams, k) for k in _RC_FONT]      # as stored: validated when set
    key = tuple(vars(prop).values()), *[tuple(v) if isinstance(v, list) else v for v in settings]
    found = _FOUND.get(key)
    if found is None:
        if len(_FOUND) >= 1024:
            _FOUND.clear()
        path = findfont(prop)
        found = _FOUND[key] = (str(path), getattr(path, "face_index", 0))
    return found


class _Shaper(TextToPath):
    """matplotlib's text-to-path conversion on the font read from memory, each string shaped and its
    glyph outlines taken once per font for the process (a third of the texts drawn recur: titles
    wide and narrow, source lines, tick labels). Its fonts are its own (`_get_font`), at FONT_SCALE."""

    def _get_font(self, prop):
        font = _font_for(prop)
        font.set_size(self.FONT_SCALE, self.DPI)
        return font

    def get_glyphs_with_font(self, font, s, glyph_map=None, return_new_glyphs_only=False, *, features=None,
                             language=None):
        """As TextToPath's: the glyphs of `s` placed, and the outlines of those not in `glyph_map`."""
        placed, outlines = _shaped(font, s, tuple(features or ()), language)
        known = {} if glyph_map is None else glyph_map
        new = {r: outlines[r] for r, _, _, _ in placed if r not in known}
        if not return_new_glyphs_only:      # as matplotlib does: the map given, grown
            known.update(new)
            new = known
        return list(placed), new, []


_SHAPED: dict = {}


def _shaped(font: FT2Font, s: str, features: tuple, language) -> tuple:
    """(glyph id, x, y, scale) for each glyph of `s`, and each glyph's outline: matplotlib's own
    conversion, kept (bounded: the strings come from data files)."""
    key = (font.postscript_name, font.face_index, s, features, language)
    if key not in _SHAPED:
        if len(_SHAPED) >= 4096:
            _SHAPED.clear()
        _SHAPED[key] = _with_warnings(lambda: _glyphs(font, s, features, language))
    return _replay(_SHAPED[key])[0]


def _glyphs(font: FT2Font, s: str, features: tuple, language) -> tuple:
    """What TextToPath.get_glyphs_with_font gives for `s` (its glyphs placed, each one's outline),
    each glyph's outline loaded once per font for the process (`glyph_outline`) rather than once
    per string it is in (matplotlib loads every glyph of every string)."""
    if not _HAS_LAYOUT:             # not the matplotlib this was written for: its own way
        placed, outlines, _ = TextToPath.get_glyphs_with_font(_SHAPER, font, s, features=features or None,
                                                             language=language)
        return tuple(placed), outlines
    placed, outlines = [], {}
    for item in font._layout(s, LoadFlags.NO_HINTING, features=features or None, language=language):
        glyph_repr = _SHAPER._get_glyph_repr(item.ft_object, item.glyph_index)
        placed.append((glyph_repr, item.x, item.y, 1.0))
        if glyph_repr not in outlines:
            outlines[glyph_repr] = glyph_outline(item.ft_object, item.glyph_index)
    return tuple(placed), outlines


_OUTLINES: dict = {}


def glyph_outline(font: FT2Font, glyph: int) -> tuple:
    """A glyph's outline (vertices, codes) at matplotlib's text-to-path scale, as FreeType gives it
    unhinted, loaded once per font and glyph for the process (bounded)."""
    key = (font.postscript_name, font.face_index, font.num_glyphs, glyph)
    found = _OUTLINES.get(key)
    if found is None:
        if len(_OUTLINES) >= 65536:
            _OUTLINES.clear()
        font.load_glyph(glyph, flags=LoadFlags.NO_HINTING)
        found = _OUTLINES[key] = font.get_path()
    return found


def _with_warnings(compute) -> tuple:
    """(what `compute` returns, the warnings it gave): a font's 'Glyph … missing' warning is how a
    drawing learns of a character the font lacks (style.drawing), so a kept result keeps it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = compute()
    return value, tuple((w.message, w.category) for w in caught)


def _replay(kept: tuple) -> tuple:
    """`kept` (see `_with_warnings`), its warnings given again, as if computed now."""
    for message, category in kept[1]:
        warnings.warn(message, category, stacklevel=2)
    return kept


_SHAPER = _Shaper()


@functools.lru_cache(maxsize=8192)      # bounded: the strings come from data files
def _metrics_at_scale(s: str, prop: FontProperties) -> tuple:
    return _with_warnings(lambda: _SHAPER.get_text_width_height_descent(s, prop, False))


def text_metrics(s: str, prop: FontProperties) -> tuple[float, float, float]:
    """Width, height and descent of `s` in points, as the SVG renderer draws it (plain text, not mathtext).

    The string is shaped once per font (whatever the size) for the whole process; the numbers are the
    SVG renderer's own to the last bit, scaled as it scales them."""
    unit = prop.copy()
    unit.set_size(TextToPath.FONT_SCALE)
    (w, h, d), _ = _replay(_metrics_at_scale(s, unit))
    scale = prop.get_size_in_points() / TextToPath.FONT_SCALE
    return w * scale, h * scale, d * scale


@functools.lru_cache(maxsize=64)
def _line_metrics(path: str, face: int) -> tuple[int, int, int, int] | None:
    font = memory_font(path, face)
    for table, gap, ascent, descent in (("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                                        ("hhea", "lineGap", "ascent", "descent")):
        values = font.get_sfnt_table(table)
        if values is not None:
            return values[gap], values[ascent], values[descent], font.get_sfnt_table("head")["unitsPerEm"]
    return None


def line_metrics(prop: FontProperties, dpi: float) -> tuple[float | None, float | None, float | None]:
    """(ascent, descent, line gap) of the font in pixels at `dpi`, from its tables, read once per font
    file: what matplotlib spaces the lines of a text with (it reads the tables again for every text)."""
    found = _line_metrics(*font_file(prop))
    if found is None:
        return None, None, None
    gap, ascent, descent, units = found
    scale = 1 / units * prop.get_size_in_points() * dpi / 72
    return ascent * scale, -descent * scale, gap * scale


class MeasuringRenderer(RendererAgg):
    """Agg, measuring text with `text_metrics` (in pixels at its dpi): what layout and tests measure with."""

    def get_text_width_height_descent(self, s, prop, ismath):
        """`text_metrics` in pixels; mathtext and TeX as Agg measures them (the house turns mathtext off)."""
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        px = self.points_to_pixels(1.0)
        return tuple(v * px for v in text_metrics(s, prop))

    def _get_font_height_metrics(self, prop):
        # matplotlib's hook for a renderer's line metrics (Text._get_layout asks it before reading the
        # font's tables itself, for every text); without it (another matplotlib) the numbers are the same
        return line_metrics(prop, self.dpi)


class _SVGRenderer(RendererSVG):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._text2path = _SHAPER         # the text's outlines from the font in memory

    def get_text_width_height_descent(self, s, prop, ismath):
        if ismath:
            return super().get_text_width_height_descent(s, prop, ismath)
        return text_metrics(s, prop)

    def _get_font_height_metrics(self, prop):
        return line_metrics(prop, 72)

    def _draw_text_as_path(self, gc, x, y, s, prop, angle, ismath, mtext=None):
        # As matplotlib's, the same bytes; a string's run of <use> elements (one a glyph) is written
        # whole, kept per placement of its glyphs (`glyph_uses`). Mathtext, or a writer not as
        # matplotlib 3.11's, takes matplotlib's own way.
        writer = self.writer
        write = getattr(writer, "_XMLWriter__write", None)
        if ismath or write is None or not FAST_TEXT:
            return super()._draw_text_as_path(gc, x, y, s, prop, angle, ismath, mtext)
        writer.comment(s)
        style = {}
        color = rgb2hex(gc.get_rgb())
        if color != "#000000":
            style["fill"] = color
        alpha = gc.get_alpha() if gc.get_forced_alpha() else gc.get_rgb()[3]
        if alpha != 1:
            style["opacity"] = _mpl_svg._short_float_fmt(alpha)
        font_scale = prop.get_size_in_points() / self._text2path.FONT_SCALE
        writer.start("g", style=_mpl_svg._generate_css(style),
                     transform=_mpl_svg._generate_transform([("translate", (x, y)), ("rotate", (-angle,)),
                                                    ("scale", (font_scale, -font_scale))]))
        features, language = (mtext.get_fontfeatures(), mtext.get_language()) if mtext is not None else (None, None)
        font = self._text2path._get_font(prop)
        glyph_info, glyph_map_new, rects = self._text2path.get_glyphs_with_font(
            font, s, features=features, language=language, glyph_map=self._glyph_map, return_new_glyphs_only=True)
        self._update_glyph_map_defs(glyph_map_new)
        if glyph_info:
            _write_elements(writer, glyph_uses(tuple(glyph_info)))
        for verts, codes in rects:
            writer.element("path", d=self._convert_path(MplPath(verts, codes), simplify=False))
        writer.end("g")

    def _update_glyph_map_defs(self, glyph_map_new):
        # as matplotlib writes them (each outline's path data converted once per process, `glyph_data`),
        # written whole
        writer = self.writer
        if getattr(writer, "_XMLWriter__write", None) is None or not FAST_TEXT:
            return super()._update_glyph_map_defs(glyph_map_new)
        if glyph_map_new:
            writer.start("defs")
            _write_elements(writer, [_element("path", id=self._adjust_glyph_repr(r), d=glyph_data(self, vertices, codes),
                                              transform=_GLYPH_SCALE)
                                     for r, (vertices, codes) in glyph_map_new.items()])
            writer.end("defs")
            self._glyph_map.update(glyph_map_new)


# The faster text writing above uses private parts of matplotlib's SVG backend and FreeType wrapper,
# as matplotlib 3.11 has them (the bytes are compared with its own canvas: tests/test_figures_canvas.py).
# Where they are missing, each piece takes matplotlib's own way: slower, the same drawing.
WRITTEN_FOR = "matplotlib 3.11"
_SVG_HELPERS = ("_generate_css", "_generate_transform", "_quote_escape_attrib", "_short_float_fmt")
FAST_TEXT = all(hasattr(_mpl_svg, name) for name in _SVG_HELPERS)
_HAS_LAYOUT = hasattr(FT2Font, "_layout")


def _element(tag: str, **attrib: str) -> str:
    """An empty element as matplotlib's XML writer writes it (`element` without text), unindented:
    attributes in order, an empty one left out, each value quoted and escaped as it does."""
    quote = _mpl_svg._quote_escape_attrib
    return f"<{tag}" + "".join(f" {k}={quote(v)}" for k, v in attrib.items() if v) + "/>\n"


def _write_elements(writer, lines: list[str]) -> None:
    """Elements (`_element`) written at the writer's depth, as its `element` would write them one by
    one: the open start tag closed first. matplotlib 3.11's writer (checked by the caller)."""
    writer._XMLWriter__flush()
    indent = writer._XMLWriter__indentation[:len(writer._XMLWriter__tags)]
    writer._XMLWriter__write("".join(indent + line for line in lines))


@functools.lru_cache(maxsize=4096)      # bounded: the strings come from data files
def glyph_uses(glyph_info: tuple) -> tuple[str, ...]:
    """The <use> element of each placed glyph (glyph id, x, y, scale), as matplotlib's SVG writer
    writes it inside a text's group, without the indentation."""
    return tuple(_element("use", **{"xlink:href": f"#{glyph_repr}"},
                          transform=_mpl_svg._generate_transform([("translate", (x, y)), ("scale", (scale,))]))
                 for glyph_repr, x, y, scale in glyph_info)


_GLYPH_SCALE = _mpl_svg._generate_transform([("scale", (1 / 64,))]) if FAST_TEXT else ""
_GLYPH_DATA: dict = {}


def glyph_data(renderer: RendererSVG, vertices, codes) -> str:
    """A glyph outline's SVG path data as matplotlib's SVG renderer writes it (in FreeType's 1/64
    units), converted once per process: a figure defines every glyph it draws, and the figures
    share most of theirs. Kept by the outline itself (its points and codes), bounded."""
    key = (vertices.tobytes(), codes.tobytes(), vertices.shape, vertices.dtype.str, codes.dtype.str)
    found = _GLYPH_DATA.get(key)
    if found is None:
        if len(_GLYPH_DATA) >= 16384:
            _GLYPH_DATA.clear()
        found = _GLYPH_DATA[key] = renderer._convert_path(MplPath(vertices * 64, codes), simplify=False)
    return found


class Canvas(FigureCanvasAgg):
    """The figures' canvas: Agg for measuring (`get_renderer`), SVG for output (`savefig(format="svg")`),
    both measuring text with `text_metrics`."""

    def get_renderer(self):
        """A MeasuringRenderer the size of the figure, kept while the size and dpi stay."""
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = MeasuringRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer

    def print_svg(self, filename, *, metadata=None, bbox_inches_restore=None, **_kwargs):
        """The figure as SVG, as matplotlib's SVG canvas writes it, its text measured by `text_metrics`."""
        with cbook.open_file_cm(filename, "w", encoding="utf-8") as fh:
            if not cbook.file_requires_unicode(fh):
                fh = codecs.getwriter("utf-8")(fh)
            dpi = self.figure.dpi
            self.figure.dpi = 72
            width, height = self.figure.get_size_inches()
            renderer = MixedModeRenderer(self.figure, width, height, dpi,
                                         _SVGRenderer(width * 72, height * 72, fh, image_dpi=dpi, metadata=metadata),
                                         bbox_inches_restore=bbox_inches_restore)
            self.figure.draw(renderer)
            renderer.finalize()
