"""The CJK font the project carries: a subset of Noto Sans CJK SC, for the figures and the print edition.

    python -m scripts font            regenerate docs/assets/fonts/ from Debian's fonts-noto-cjk
    python -m scripts font --check    regenerate in memory and compare with the committed files

The figures are drawn by matplotlib in this font, registered by path (`matplotlib_family`), so a
missing system font or a stale matplotlib font cache can neither stop nor change a build. The print
stylesheet loads the same files with @font-face (docs/assets/print.css). The fonts are renamed
("Baimozhi Sans SC"): a Modified Version under the SIL Open Font License, and a name no system font
has, so a lookup can only find these files. OFL.txt and FONTLOG.txt travel with them.

The repertoire is fixed by rules, not by hand: every character GB2312 decodes to (the 6,763 common
hanzi and their symbols), the Unicode blocks in BLOCKS, any other character the figure data or the
drawing code use (DATA_FILES, CODE_FILES), and the Traditional forms of those, which the 繁 drawings
draw (figures.hant). A character a new figure needs that the font lacks stops the drawing with one line
naming the data file, its line and the character (`missing_glyph`); running the command above adds it.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import io
import os
import re
import sys
from pathlib import Path

from .errors import BuildError
from .paths import ROOT

FAMILY = "Baimozhi Sans SC"
DIR = ROOT / "docs" / "assets" / "fonts"
# style -> (our file, the Debian collection it is cut from); the figures draw regular and bold.
FACES = {
    "Regular": ("BaimozhiSansSC-Regular.otf", "NotoSansCJK-Regular.ttc"),
    "Bold": ("BaimozhiSansSC-Bold.otf", "NotoSansCJK-Bold.ttc"),
}
SOURCE_FAMILY = "Noto Sans CJK SC"          # the face to take from each collection
SOURCE_DIRS = (Path("/usr/share/fonts/opentype/noto"),)   # Debian's fonts-noto-cjk
LEGACY_ENCODINGS = ("gb2312",)              # every character these decode to
BLOCKS = (                                  # (first, last, why)
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x20A0, 0x20CF, "Currency Symbols"),
    (0x2200, 0x22FF, "Mathematical Operators: the minus sign of negative values"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
)
DATA_FILES = ("figures/*.yml", "timeline.yml")   # under data/: what the figures draw
# The code that writes words into the figures (source lines, units, scales): its characters are
# drawn too. Both sources are kept also in their Traditional forms, for the 繁 drawings (figures.hant).
CODE_FILES = ("scripts/figures/*.py", "scripts/annotate/numbers.py")   # under the project root
# Layout features kept: those HarfBuzz applies unasked (matplotlib shapes text with it; Noto's 'locl'
# gives digits in Latin text their Latin form), and the browser's punctuation spacing. Only the
# default language system is kept (`_one_language`), so no machine's locale can pick Japanese,
# Korean or Traditional forms. Alternates that must be asked for (vertical, full- and half-width,
# historical) are dropped.
LAYOUT_FEATURES = ("rvrn", "ccmp", "locl", "rlig", "calt", "clig", "liga", "rclt", "curs", "dist", "kern", "mark",
                   "mkmk", "palt", "halt", "chws", "vpal", "vhal", "vchw")
REMEDY = "run `python -m scripts font` (with Debian's fonts-noto-cjk installed) to add it, or use another character"


# ---------------------------------------------------------------- the build side

def files(directory: Path = DIR) -> list[Path]:
    """The bundled font files, regular first."""
    return [directory / name for name, _ in FACES.values()]


def digest(directory: Path = DIR) -> str:
    """One hash over the font files: part of every figure's cache key."""
    h = hashlib.sha256()
    for p in files(directory):
        h.update(p.read_bytes() if p.is_file() else b"(missing)")
    return h.hexdigest()


def use_project_cache() -> None:
    """matplotlib keeps its configuration and font list in the project's .cache/, never in HOME
    (which may be empty, read-only, or hold a matplotlibrc that would change the figures). Call it
    before the first `import matplotlib`; a MPLCONFIGDIR set by the user is kept.
    numpy, which matplotlib imports, gets one BLAS thread: its default, one per core, spins waiting
    for work the drawings never give it (a tenth of a CPU second taken from the build beside it)."""
    os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".cache" / "matplotlib"))
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


@functools.cache
def matplotlib_family() -> tuple[str, ...]:
    """Register the bundled fonts with matplotlib by path and return the font.family to draw with.

    Only the bundled family: no system font is looked up, so the figures are the same on every
    machine, and a character the font lacks is a missing-glyph warning (see `missing_glyph`),
    never a silent substitute."""
    use_project_cache()
    import matplotlib
    from matplotlib import font_manager
    matplotlib.rcdefaults()          # matplotlib's own defaults, whatever matplotlibrc the machine has
    known = {f.fname for f in font_manager.fontManager.ttflist}
    for path in files():
        if not path.is_file():
            raise BuildError(path, "the bundled figure font is missing", None,
                             "restore it from git (git checkout -- docs/assets/fonts) or regenerate it: python -m scripts font")
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))
    return (FAMILY,)


_GLYPH = re.compile(r"Glyph (\d+) ")


def missing_glyph(path, what: str, warning: str) -> BuildError:
    """matplotlib's 'Glyph 26165 (...) missing from font(s) ...' as a BuildError naming the data
    file, the first line that holds the character, and the character."""
    m = _GLYPH.search(warning)
    char = chr(int(m.group(1))) if m else "?"
    line = None
    try:
        for n, text in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if char in text:
                line = n
                break
    except (OSError, UnicodeDecodeError):
        pass
    return BuildError(path, f"{what}: {char!r} (U+{ord(char):04X}) is not in the figure font", line, REMEDY)


# ---------------------------------------------------------------- making the subset

def legacy_characters(encoding: str) -> set[str]:
    """Every character a double-byte EUC encoding decodes to (GB2312: 7,445, 6,763 of them hanzi).

    >>> len(legacy_characters("gb2312"))
    7445
    """
    chars = set()
    for lead in range(0xA1, 0xFF):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode(encoding))
            except UnicodeDecodeError:
                pass
    return chars


def data_characters(data_dir: Path) -> set[str]:
    """Every printable character in the figure data files."""
    chars: set[str] = set()
    for pattern in DATA_FILES:
        for p in sorted(data_dir.glob(pattern)):
            chars |= {c for c in p.read_text(encoding="utf-8") if c.isprintable()}
    return chars


def drawn_characters(data_dir: Path, root: Path = ROOT) -> set[str]:
    """Every character the figures can draw: the data files', the drawing code's, and the
    Traditional forms of both (Taiwan and Hong Kong, by word and by character)."""
    from .chinese import HAN_RE, to_hant
    chars = data_characters(data_dir)
    for pattern in CODE_FILES:
        for p in sorted(root.glob(pattern)):
            chars |= {c for c in p.read_text(encoding="utf-8") if c.isprintable() and HAN_RE.match(c)}
    han = "".join(sorted(c for c in chars if HAN_RE.match(c)))
    for standard in ("tw", "hk"):
        for words in (True, False):
            chars |= set(to_hant(han, standard, words))
    text = "\n".join(p.read_text(encoding="utf-8") for pattern in DATA_FILES for p in sorted(data_dir.glob(pattern)))
    for standard in ("tw", "hk"):         # the words of the data (phrases convert as a whole)
        chars |= {c for c in to_hant(text, standard, True) if c.isprintable()}
    return chars


def repertoire(data_dir: Path) -> list[int]:
    """The code points to keep, sorted: the legacy encodings, the blocks, what the figures draw."""
    chars = set().union(*(legacy_characters(e) for e in LEGACY_ENCODINGS))
    for first, last, _ in BLOCKS:
        chars |= {chr(c) for c in range(first, last + 1)}
    chars |= drawn_characters(data_dir)
    return sorted(ord(c) for c in chars)


def find_source(collection: str, source_dirs=SOURCE_DIRS) -> Path:
    """The first directory in source_dirs that holds the font collection, or a BuildError saying
    where to get it.
    """
    for d in source_dirs:
        if (Path(d) / collection).is_file():
            return Path(d) / collection
    raise BuildError(collection, f"not found in {', '.join(map(str, source_dirs))}", None,
                     "install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk) or pass --source DIR")


def _face_number(path: Path) -> int:
    from fontTools.ttLib import TTCollection
    with TTCollection(str(path), lazy=True) as ttc:
        for i, font in enumerate(ttc.fonts):
            if font["name"].getDebugName(1) == SOURCE_FAMILY:
                return i
    raise BuildError(path, f"holds no {SOURCE_FAMILY} face", None, "use Debian's fonts-noto-cjk")


def _rename(font, style: str) -> None:
    """Our name everywhere the font states its name (name table and CFF), so it is a Modified
    Version under its own name, as the OFL asks, and no lookup can mistake it for a system font."""
    ps = FAMILY.replace(" ", "") + "-" + style
    version = font["name"].getDebugName(5) or ""
    names = {1: FAMILY, 2: style, 3: f"{version.split(';')[0].replace('Version ', '')};baimozhi;{ps}",
             4: f"{FAMILY} {style}" if style != "Regular" else FAMILY, 6: ps,
             10: f"Subset of {SOURCE_FAMILY} for 百模志 (The Hundred-Model Chronicle); see FONTLOG.txt"}
    table = font["name"]
    table.names = [n for n in table.names if n.nameID not in names and n.nameID not in (16, 17)]
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
    cff = font["CFF "].cff
    old, cff.fontNames = cff.fontNames[0], [ps]
    top = cff.topDictIndex[0]
    top.FullName, top.FamilyName = names[4], FAMILY
    for fd in getattr(top, "FDArray", []):       # CID-keyed: the per-script dicts carry the name too
        if getattr(fd, "FontName", None):
            fd.FontName = fd.FontName.replace(old, ps)


def _one_language(font) -> None:
    """Drop every language system but each script's default. HarfBuzz picks the language system from
    the text's language, which matplotlib leaves to the machine's locale: with only the default,
    the glyphs (and so the figures) are the same under every locale."""
    for tag in ("GSUB", "GPOS"):
        if tag in font:
            for record in font[tag].table.ScriptList.ScriptRecord:
                record.Script.LangSysRecord = []
                record.Script.LangSysCount = 0


def subset(source: Path, style: str, unicodes: list[int]) -> bytes:
    """The SC face of one Noto Sans CJK collection cut to `unicodes`, renamed: the same bytes for
    the same source file, code points and fontTools."""
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont
    font = TTFont(str(source), fontNumber=_face_number(source), recalcTimestamp=False, recalcBBoxes=False)
    _one_language(font)
    options = ft_subset.Options()
    options.layout_features = list(LAYOUT_FEATURES)
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = True                    # matplotlib measures text with the hinter ('text.hinting')
    options.notdef_outline = True
    options.glyph_names = False
    sub = ft_subset.Subsetter(options)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    _rename(font, style)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def fontlog(sources: dict[str, Path], fonts: dict[str, bytes], unicodes: list[int]) -> str:
    """FONTLOG.txt: what these files are, where they come from and how to make them again."""
    import fontTools
    from fontTools.ttLib import TTFont
    lines = [f"{FAMILY} — the 百模志 (The Hundred-Model Chronicle) subset of {SOURCE_FAMILY}",
             "",
             "Written by `python -m scripts font` (scripts/fonts.py); do not edit by hand.",
             "Licence: SIL Open Font License 1.1 (OFL.txt). A Modified Version of Noto Sans CJK:",
             f"cut down to the characters below and renamed {FAMILY!r}; outlines and metrics unchanged,",
             "only the default language system kept (no Japanese, Korean or Traditional forms), vertical forms removed.",
             "",
             "Characters:"]
    lines += [f"  every character {e.upper()} decodes to" for e in LEGACY_ENCODINGS]
    lines += [f"  U+{a:04X}–U+{b:04X} {why}" for a, b, why in BLOCKS]
    lines += [f"  every character of data/{p}" for p in DATA_FILES]
    lines += [f"  every Han character of {p}" for p in CODE_FILES]
    lines += ["  the Traditional forms (OpenCC s2twp, s2tw, s2hk) of the characters and words above from data/ and the code"]
    lines += ["", "Files:"]
    for style, data in fonts.items():
        name, collection = FACES[style]
        src = sources[style]
        font = TTFont(io.BytesIO(data), lazy=True)
        lines += [f"  {name}: {len(data):,} bytes, {len(font.getBestCmap()):,} characters, "
                  f"sha256 {hashlib.sha256(data).hexdigest()}",
                  f"    from {collection} ({SOURCE_FAMILY}, {font['name'].getDebugName(3).split(';')[0]}), "
                  f"sha256 {hashlib.sha256(src.read_bytes()).hexdigest()}"]
    lines += ["", f"Made with fontTools {fontTools.version} from Debian's fonts-noto-cjk; "
              f"{len(unicodes):,} code points asked for.", ""]
    return "\n".join(lines)


def make(data_dir: Path, source_dirs=SOURCE_DIRS) -> dict[str, bytes]:
    """Every file of docs/assets/fonts/ except OFL.txt, by name."""
    unicodes = repertoire(data_dir)
    sources = {style: find_source(collection, source_dirs) for style, (_, collection) in FACES.items()}
    fonts = {}
    for style in FACES:
        print(f"cutting {sources[style]} to {len(unicodes):,} code points …", file=sys.stderr, flush=True)
        fonts[style] = subset(sources[style], style, unicodes)
    out = {FACES[s][0]: data for s, data in fonts.items()}
    out["FONTLOG.txt"] = fontlog(sources, fonts, unicodes).encode("utf-8")
    return out


def run(data_dir: Path, out_dir: Path = DIR, check: bool = False, source_dirs=SOURCE_DIRS) -> int:
    """Regenerate the bundled fonts into out_dir (only files that change are written); with check,
    write nothing and return 1 if anything would change."""
    from .paths import atomic_write
    made = make(data_dir, source_dirs)
    changed = [n for n, data in made.items() if not (out_dir / n).is_file() or (out_dir / n).read_bytes() != data]
    for name, data in made.items():
        if not check and name in changed:
            atomic_write(out_dir / name, data)
        print(f"{out_dir / name}: {len(data):,} bytes, {'would change' if check else 'changed'}"
              if name in changed else f"{out_dir / name}: {len(data):,} bytes, unchanged")
    return 1 if check and changed else 0


def main(argv=None) -> int:
    """`python -m scripts.fonts [--check] [--source DIR]` (the same as `python -m scripts font`)."""
    parser = argparse.ArgumentParser(prog="python -m scripts.fonts", description=__doc__.split("\n")[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(ROOT / "data", check=args.check, source_dirs=tuple(args.source or SOURCE_DIRS))
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The command-line options of `python -m scripts fonts`."""
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    parser.add_argument("--source", type=Path, action="append", metavar="DIR",
                        help="where NotoSansCJK-Regular.ttc and -Bold.ttc are (default: Debian's fonts-noto-cjk)")


if __name__ == "__main__":
    sys.exit(main())
