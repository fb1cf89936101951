"""Matplotlib's SVG made small: a pure string rewrite, no matplotlib needed.

Text drawn as outlines costs a glyph definition per character used and a `<use>` per character
drawn. `compact` shortens glyph ids, turns `translate()` into `x`/`y`, re-encodes glyph outlines as
relative moves on a coarser grid and drops spare whitespace; the drawing stays the same.

    >>> compact('<svg>\\n  <path d="M 0 0 L 1 1 z"/>\\n</svg>', "sans-serif")
    '<svg>\\n<path d="M0 0L1 1z"/>\\n</svg>'
"""
from __future__ import annotations

import functools
import re

_GLYPH_DEF = re.compile(r'<path id="([^"\s]+-[0-9a-f]+)" d=')
_GLYPH_PATH = re.compile(r'(<path id="g[a-z]+[0-9a-f]+" d=")([^"]*)(" transform="scale\()0\.015625(\)"/>)')
_PATH_TOKEN = re.compile(r"[A-Za-z]|-?\d+(?:\.\d+)?(?:e-?\d+)?")
_ARITY = {"M": 2, "L": 2, "Q": 4, "C": 6}
GLYPH_STEP = 8   # glyph outlines come in 1/64 units; 8 of them is 1/800 em, far below a pixel


@functools.lru_cache(maxsize=None)
def _glyph_path(d: str) -> str | None:
    """An absolute glyph outline ('M 1926 -83 L …') as relative moves on a coarser grid
    ('m241-10l…'); None if it holds anything unexpected. Cached: figures share most glyphs."""
    out, cx, cy, sx, sy, i, cmd = [], 0, 0, 0, 0, 0, ""
    tokens = _PATH_TOKEN.findall(d)
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            if cmd in "Zz":
                out.append("z")
                cx, cy = sx, sy
                continue
        if cmd not in _ARITY or i + _ARITY[cmd] > len(tokens):
            return None
        n = _ARITY[cmd]
        try:
            nums = [round(float(t) / GLYPH_STEP) for t in tokens[i:i + n]]
        except ValueError:
            return None
        i += n
        deltas = [v - (cx if j % 2 == 0 else cy) for j, v in enumerate(nums)]
        cx, cy = nums[-2], nums[-1]
        if cmd == "M":
            sx, sy = cx, cy
        if cmd == "L" and deltas[1] == 0:
            seg = f"h{deltas[0]}"
        elif cmd == "L" and deltas[0] == 0:
            seg = f"v{deltas[1]}"
        else:
            seg = cmd.lower() + " ".join(str(v) for v in deltas)
        out.append(seg.replace(" -", "-"))
    return "".join(out)
_GLYPH_REF = re.compile(r'(id="|href="#)([^"\s]+-[0-9a-f]+)"')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>\n?")
_LEGEND = re.compile(r"<!-- glyphs: ([^>]*?) -->")
_USE = re.compile(r'<use xlink:href="(#[^"]+)" transform="translate\(([-\d.e]+) ([-\d.e]+)\)"/>')
_PATH_DATA = re.compile(r' d="([^"]*)"')
_FONT_FAMILY = re.compile(r"font-family: [^;\"]+")
_COMMAND_SPACE = re.compile(r"(?<=[A-Za-z]) | (?=[A-Za-z])")   # a space beside a path command letter


@functools.lru_cache(maxsize=8192)      # a glyph's outline recurs in every figure that draws it
def _tight(d: str) -> str:
    """Path data with single spaces, none beside a command letter.

    >>> _tight("M 0 0\\n  L 1 -1 z")
    'M0 0L1 -1z'
    """
    return _COMMAND_SPACE.sub("", " ".join(d.split()))


def compact(svg: str, font_stack: str) -> str:
    """Smaller SVG, same drawing: short glyph ids, <use x=…> instead of translate(), path data and
    indentation without spare whitespace. Text as paths costs a glyph outline per character used
    and a <use> per character drawn, so this roughly halves a text-heavy figure. Every font-family
    named in a style becomes `font_stack` (the timeline's real text).

    A pure function of its arguments: tests/test_figures.py holds golden inputs and outputs."""
    names: dict[str, str] = {}
    fonts: dict[str, str] = {}
    for gid in _GLYPH_DEF.findall(svg):
        font, code = gid.rsplit("-", 1)
        prefix = fonts.setdefault(font, "g" + "abcdefghijklmnopqrstuvwxyz"[len(fonts) % 26] * (1 + len(fonts) // 26))
        names.setdefault(gid, prefix + code)
    svg = _GLYPH_REF.sub(lambda m: f'{m.group(1)}{names.get(m.group(2), m.group(2))}"', svg)
    opening = _SVG_OPEN.search(svg)
    if fonts and opening:      # which font each id prefix stands for (figures.hant reads it back)
        legend = " ".join(f"{prefix}={font}" for font, prefix in fonts.items())
        svg = f"{svg[:opening.end()]}<!-- glyphs: {legend} -->\n{svg[opening.end():]}"

    def num(v: float) -> str:
        return f"{v:.1f}".rstrip("0").rstrip(".")

    def use(m):
        x, y = round(float(m.group(2)), 1), round(float(m.group(3)), 1)
        pos = (f' x="{num(x)}"' if x else "") + (f' y="{num(y)}"' if y else "")
        return f'<use xlink:href="{m.group(1)}"{pos}/>'
    svg = _USE.sub(use, svg)
    def glyph(m):
        d = _glyph_path(m.group(2))
        return m.group(0) if d is None else f"{m.group(1)}{d}{m.group(3)}{0.015625 * GLYPH_STEP:g}{m.group(4)}"
    svg = _GLYPH_PATH.sub(glyph, svg)
    svg = _PATH_DATA.sub(lambda m: ' d="' + _tight(m.group(1)) + '"', svg)
    svg = _FONT_FAMILY.sub("font-family: " + font_stack, svg)
    return re.sub(r"\n[ \t]+", "\n", svg)


def glyph_fonts(svg: str) -> dict[str, str]:
    """The glyph-id prefixes of a compacted SVG and the font each stands for (its PostScript name).

    >>> glyph_fonts('<svg>\\n<!-- glyphs: ga=Sans-Regular gb=Sans-Bold -->\\n</svg>')
    {'ga': 'Sans-Regular', 'gb': 'Sans-Bold'}
    """
    m = _LEGEND.search(svg)
    return dict(item.split("=", 1) for item in m.group(1).split() if "=" in item) if m else {}


def glyph_def(glyph_id: str, d: str) -> str:
    """A glyph outline definition as `compact` writes it, from matplotlib's absolute path data in
    FreeType's 1/64 units ('M 1926 -83 L …').

    >>> glyph_def("ga41", "M 1926 -83 L 1926 400 z")
    '<path id="ga41" d="m241-10v60z" transform="scale(0.125)"/>'
    """
    rel = _glyph_path(d)
    if rel is None:
        return f'<path id="{glyph_id}" d="{_tight(d)}" transform="scale(0.015625)"/>'
    return f'<path id="{glyph_id}" d="{rel}" transform="scale({0.015625 * GLYPH_STEP:g})"/>'
