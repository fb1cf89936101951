"""The figures in Traditional characters: 繁·台 (Taiwan) and 繁·港 (Hong Kong) drawings made from the
Simplified one, without drawing again.

A chart's text is drawn as outlines: one group per line of text, led by a comment holding the line,
one `<use>` per glyph. A Chinese character is one em wide, in Simplified and in Traditional, so a
line whose characters change one for one keeps every position: only the changed characters' glyphs
are swapped (and their outlines defined). `line` converts a line so that it keeps its length: the
standard's words (s2twp: 软件 → 軟體) where they do, its characters alone (s2tw) where a word would
change the length (互联网 → 網際網路), and names (who's who forms) always by character, as on the
pages. The timeline's real `<text>` converts the same way.

`variant(svg, standard, names_re)` is the whole rewrite; it needs the bundled font (scripts/fonts.py),
whose repertoire holds the Traditional forms of every character the figures draw.
"""
from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from .. import fonts
from ..annotate.words import hant_runs
from ..chinese import HAN, HAN_RE, to_hant
from ..errors import BuildError
from .svg import glyph_def, glyph_fonts

STANDARDS = ("tw", "hk")           # the folders under assets/figures/ (bm.js: script hant -> tw, hk -> hk)

_GROUP = re.compile(r'<!-- (?P<text>.*?) -->\n(?P<open><g [^>]*>\n)(?P<body>(?:<defs>\n(?:<path [^>]*/>\n)*</defs>\n)?'
                    r'(?:<use [^>]*/>\n)*)(?=</g>)')
_USE = re.compile(r'(<use xlink:href="#)(g[a-z])([0-9a-f]+)(")')   # compact: one letter per font
_TEXT = re.compile(r"(<text\b[^>]*>)([^<]*)(</text>)")
_HAN_RUN = re.compile(f"[{HAN}]+")       # the project's one Han range (scripts/chinese.py)


def line(text: str, standard: str, names_re=None, table: dict | None = None) -> str:
    """text in a Traditional standard, each run of Han characters as long as before (`table`: the
    runs already converted, from `runs_table`).

    >>> line("软件收入 Software", "tw"), line("互联网公司", "tw"), line("为群", "hk")
    ('軟體收入 Software', '互聯網公司', '為羣')
    """
    if table is None:
        table = runs_table(_HAN_RUN.findall(text), standard, names_re)
    return _HAN_RUN.sub(lambda m: table[m.group()], text)


def runs_table(runs, standard: str, names_re=None) -> dict[str, str]:
    """Each run of Han characters -> its form in `standard`, as long as the run: by word (one OpenCC
    call for all the runs), else by character, else unchanged."""
    runs = list(dict.fromkeys(runs))
    out = {}
    for s, t in zip(runs, hant_runs(runs, standard, names_re)):
        if len(t) != len(s):
            t = to_hant(s, standard, words=False)
        out[s] = t if len(t) == len(s) else s
    return out


def warm_up() -> None:
    """OpenCC's converters for every standard, by word and by character, built now (a tenth of a
    second each, once per process): the drawing process builds them before it forks its workers,
    which then inherit them."""
    for standard in STANDARDS:
        for words in (True, False):
            to_hant("国", standard, words=words)     # a character the bundled font has (fonts.CODE_FILES)


def _comment_text(s: str) -> str:
    """The line matplotlib wrote in its comment (it escapes &, <, > and puts a space in '--')."""
    return s.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")


@functools.lru_cache(maxsize=None)
def _font(postscript_name: str):
    """The bundled font file of that name, opened once per process (matplotlib's FreeType wrapper)."""
    from matplotlib import ft2font
    for p in fonts.files():
        if fonts.FAMILY.replace(" ", "") + "-" + p.stem.rsplit("-", 1)[-1] == postscript_name:
            font = ft2font.FT2Font(str(p))
            font.set_size(100, 72)             # matplotlib's text-to-path scale: 100 px to the em
            return font, font.get_charmap()
    raise BuildError(fonts.DIR, f"no bundled font named {postscript_name!r}", None, fonts.REMEDY)


if hasattr(os, "register_at_fork"):     # a font cannot cross a fork (its file is shared): a child opens its own
    os.register_at_fork(after_in_child=_font.cache_clear)


@functools.lru_cache(maxsize=None)
def _advance(postscript_name: str, gid: int) -> int:
    """A glyph's advance width (FreeType's 16.16 units at the font's size)."""
    from matplotlib import ft2font
    font, _ = _font(postscript_name)
    return font.load_glyph(gid, flags=ft2font.LoadFlags.NO_HINTING).linearHoriAdvance


@functools.lru_cache(maxsize=None)
def _outline(postscript_name: str, gid: int) -> str:
    """A glyph's outline as matplotlib writes it (absolute, in FreeType's 1/64 units)."""
    from matplotlib import ft2font
    font, _ = _font(postscript_name)
    font.load_glyph(gid, flags=ft2font.LoadFlags.NO_HINTING)
    verts, codes = font.get_path()
    verts = (verts * 64).round().astype(int).tolist()      # FreeType's own 1/64 units, whole
    parts, i = [], 0
    arity = {1: ("M", 1), 2: ("L", 1), 3: ("Q", 2), 4: ("C", 3)}
    while i < len(codes):
        code = int(codes[i])
        if code == 79:
            parts.append("z")
            i += 1
            continue
        letter, n = arity[code]
        pts = verts[i:i + n]
        parts.append(letter + " " + " ".join(f"{x} {y}" for x, y in pts))
        i += n
    return " ".join(parts)


def _missing(char: str, what: str) -> BuildError:
    return BuildError(fonts.DIR, f"{what}: {char!r} (U+{ord(char):04X}), a Traditional form, is not in the figure font",
                      None, fonts.REMEDY)


def variant(svg: str, standard: str, names_re=None, what: str = "figure") -> str:
    """The compacted SVG `svg` with its Chinese in `standard` ('tw' or 'hk'): outlined lines get the
    Traditional glyphs in the same places, `<text>` its converted text. A pure function of its
    arguments and the bundled font; the Simplified drawing when nothing changes."""
    prefixes = glyph_fonts(svg)
    defined = set(re.findall(r'<path id="(g[a-z][0-9a-f]+)"', svg))
    lines = [_comment_text(m.group("text")) for m in _GROUP.finditer(svg)] + [m.group(2) for m in _TEXT.finditer(svg)]
    table = runs_table((r for text in lines for r in _HAN_RUN.findall(text)), standard, names_re)

    def group(m) -> str:
        s = _comment_text(m.group("text"))
        t = line(s, standard, names_re, table)
        if t == s:
            return m.group()
        changed = {k: (a, b) for k, (a, b) in enumerate(zip(s, t)) if a != b and HAN_RE.match(a)}
        body, new_defs, pos = m.group("body"), [], 0
        glyphs: dict[str, list] = {}        # font -> the glyph of each character of the line

        def use(u) -> str:
            nonlocal pos
            prefix, gid = u.group(2), int(u.group(3), 16)
            name = prefixes.get(prefix)
            if name is None:
                return u.group()
            cmap = _font(name)[1]
            if name not in glyphs:
                glyphs[name] = [cmap.get(ord(c)) for c in s]
            try:                        # the next character drawn with this glyph
                k = glyphs[name].index(gid, pos)
            except ValueError:          # a glyph of no single character (a ligature): leave it
                return u.group()
            pos = k + 1
            if k not in changed:
                return u.group()
            new = cmap.get(ord(changed[k][1]))
            if new is None:
                raise _missing(changed[k][1], what)
            if _advance(name, new) != _advance(name, gid):
                return u.group()        # not as wide (no CJK font does this): keep the Simplified glyph
            ref = f"{prefix}{new:x}"
            if ref not in defined:
                defined.add(ref)
                new_defs.append(glyph_def(ref, _outline(name, new)))
            return f"{u.group(1)}{ref}{u.group(4)}"
        body = _USE.sub(use, body)
        if new_defs:
            defs = "\n".join(new_defs) + "\n"
            body = body.replace("</defs>\n", defs + "</defs>\n", 1) if body.startswith("<defs>") \
                else "<defs>\n" + defs + "</defs>\n" + body
        comment = t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        comment = re.sub(r"-(?=-)", "- ", comment)
        return f"<!-- {comment} -->\n{m.group('open')}{body}"

    out = _GROUP.sub(group, svg)
    return _TEXT.sub(lambda m: m.group(1) + line(m.group(2), standard, names_re, table) + m.group(3), out)


def name_forms(entities: Path) -> tuple[str, ...]:
    """Every Chinese name form in data/entities.yml (zh and match), read without the pipeline: the
    drawing process converts names character by character, as the pages do. Anything unexpected in
    the file is skipped here; the page build validates it."""
    import yaml
    try:
        data = yaml.load(Path(entities).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return ()
    forms: set[str] = set()
    for entry in data if isinstance(data, list) else []:
        if isinstance(entry, dict):
            match = entry.get("match")
            for f in [entry.get("zh")] + (match if isinstance(match, list) else []):
                if isinstance(f, str) and HAN_RE.search(f):
                    forms.add(f)
    return tuple(sorted(forms))
