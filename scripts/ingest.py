"""Stage 1 — ingest: find seed articles, decode them strictly, load their side files.

A seed is any `seeds/*.txt`, `*.md` or `*.html`: plain text, a Markdown clip or a saved page (the
form is recognised from the content by scripts/readers). It must be UTF-8 text — a saved page may
instead be in the legacy Chinese charset it declares — and anything else stops the build with one
line that says what the file is and how to fix it. The seed is never written to.

Beside a seed `NAME.txt` (or `NAME.md`, `NAME.html`) may stand `NAME.yml` (metadata and mojibake decisions) and
`NAME.en.yml` (the translation memory, read by the align stage).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError
from .paths import not_a_file

MAX_SEED_BYTES = 2_000_000


@dataclass(frozen=True)
class Seed:
    """A scrape as read from seeds/: its path and its text, decoded."""
    path: Path
    text: str

    @property
    def stem(self) -> str:
        """The file name without its suffix: the article's id."""
        return self.path.stem


@dataclass(frozen=True)
class Bilingual:
    """A text in Chinese and English (either may be empty)."""
    zh: str = ""
    en: str = ""


@dataclass(frozen=True)
class Person:
    """Someone the article names as its author, editor…"""
    zh: str
    en: str = ""
    role: str = "author"


@dataclass(frozen=True)
class Decision:
    """A verdict on text the mojibake detector flags: a repair, or an explicit keep."""
    text: str            # the raw (garbled) text as it stands in the seed
    fixed: str | None    # None means: keep the text as it is
    note: str
    line: int            # where the decision stands in the side file


@dataclass(frozen=True)
class Meta:
    """What the side file says about an article (see seeds/README.md)."""
    slug: str
    status: str = "draft"
    title: Bilingual = Bilingual()
    outlet: Bilingual = Bilingual()
    people: tuple[Person, ...] = ()
    published: str = ""
    date_evidence: str = ""
    url: str = ""
    notes: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()
    kinds: tuple[tuple[str, str], ...] = ()   # (text prefix, segment kind) overrides
    path: Path | None = None                  # the side file, if any


SEED_GLOBS = ("*.txt", "*.md", "*.html", "*.htm")   # plain text, Markdown clips, saved pages (scripts/readers)
SEED_SUFFIXES = tuple(g[1:] for g in SEED_GLOBS)
NOT_SEEDS = ("README.md",)
SEED_FILES = SEED_GLOBS + ("*.yml",)   # what the build reads from seeds/: articles, side files, memories
_NAME_NOT_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
def check_seed_file(path: Path) -> None:
    """A file the build reads from seeds/ must be a regular file there, under a name that is text:
    never a link (it could publish any file on the machine; a link inside seeds/ is refused too,
    the copy belongs in the repository), a directory, a pipe (reading it would hang) or a device."""
    if _NAME_NOT_TEXT.search(path.name):
        raise BuildError(path.parent / repr(path.name)[1:-1], "file name is not plain text (control characters "
                         "or bytes that are not UTF-8)", None, "rename the file")
    if path.suffix in SEED_SUFFIXES and path.stem.endswith(".en"):
        raise BuildError(path, "an article name ending in .en reads as a translation memory's name", None,
                         "rename the file")
    try:
        what = not_a_file(path)
    except OSError as exc:
        raise BuildError(path, f"cannot read the file ({exc.strerror})", None, "check it exists and is readable") from None
    if what and what.startswith("a symbolic link"):
        raise BuildError(path, f"is {what}, not a file", None,
                         "put the file itself in seeds/ (cp --remove-destination TARGET LINK), or delete the link")
    if what:
        raise BuildError(path, f"is {what}, not a file", None, "move it out of seeds/ or rename it")


def find_seeds(seeds_dir: Path) -> list[Path]:
    """The articles (SEED_GLOBS) in name order. Every file the build reads from seeds/ is checked
    first (`check_seed_file`): the first that is not a regular file stops the build with one line;
    so do two articles with one name (x.txt and x.md would share a side file and a memory)."""
    files = sorted({p for pattern in SEED_FILES for p in seeds_dir.glob(pattern) if p.name not in NOT_SEEDS})
    for p in files:
        check_seed_file(p)
    seeds = [p for p in files if p.suffix in SEED_SUFFIXES]
    stems: dict[str, Path] = {}
    for p in seeds:
        if p.stem in stems:
            raise BuildError(p, f"another article has the same name: {stems[p.stem].name}", None,
                             "rename one (each article's side file and memory go by its name)")
        stems[p.stem] = p
    return seeds


def decode(path: Path, data: bytes) -> str:
    """Strict decoding with a diagnosis of the common wrong encodings."""
    if not data.strip():
        raise BuildError(path, "empty article", None, "add the article text or delete the file")
    if len(data) > MAX_SEED_BYTES:
        raise BuildError(path, f"article too large ({len(data) / 1e6:.1f} MB, limit "
                         f"{MAX_SEED_BYTES / 1e6:.0f} MB)", None, "split it or trim the scrape")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise BuildError(path, "UTF-16 text", 1, "save it as UTF-8 (iconv -f UTF-16 -t UTF-8)")
    if b"\x00" in data[:4096]:
        if _looks_utf16(data[:4096]):
            raise BuildError(path, "UTF-16 text without a byte-order mark", 1,
                             "save it as UTF-8 (iconv -f UTF-16 -t UTF-8)")
        raise BuildError(path, "binary file, not text", None, "remove it from seeds/")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        declared = declared_charset(data)
        if declared:
            return decode_declared(path, data, declared)
        line = data.count(b"\n", 0, exc.start) + 1
        name, codec = guess_encoding(data[:20000])
        if name == "UTF-16":
            raise BuildError(path, "UTF-16 text without a byte-order mark", 1,
                             f"save it as UTF-8 (iconv -f {codec.upper()} -t UTF-8)") from None
        hint = f"looks like {name}: convert it (iconv -f {codec.upper()} -t UTF-8)" if name else "save it as UTF-8"
        raise BuildError(path, f"not UTF-8 (byte {exc.start})", line, hint) from None
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 200):
        raise BuildError(path, f"binary file, not text ({controls} control characters)", None,
                         "remove it from seeds/")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")     # control characters other than \t \n \r
_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]{2,20})", re.I)
# A page's declared legacy charset -> the codec that decodes it (GB2312 and GBK pages use GB18030's superset).
DECLARED_CODECS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs",
                   "big5-hkscs": "big5hkscs"}


def declared_charset(data: bytes) -> str:
    """The legacy Chinese charset an HTML page declares in its first 4 KB, or "".

    >>> declared_charset(b'<html><head><meta charset="gb2312">'), declared_charset(b"plain text")
    ('gb18030', '')
    """
    m = _CHARSET.search(data[:4096])
    return DECLARED_CODECS.get(m.group(1).decode("ascii").lower(), "") if m else ""


def decode_declared(path: Path, data: bytes, codec: str) -> str:
    """A saved page in the legacy charset it declares, decoded strictly (a wrong byte stops the build).
    A declaration the bytes contradict stops it too: where the declared charset reads the Chinese as
    mostly rare characters and another legacy charset reads it as ordinary text (a page saved as Big5
    that says gbk), the page is mislabelled, and guessing would silently put garbage on a page."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BuildError(path, f"not valid {codec.upper()} although the page declares it (byte {exc.start})", line,
                         "save the page again as UTF-8") from None
    other = _contradicting_charset(data, codec)
    if other:
        said = dict((c, n) for n, c in _LEGACY).get(codec, codec.upper())
        raise BuildError(path, f"the page declares {said} but its Chinese reads as {other}", None,
                         f"correct the <meta charset> or save the page again as UTF-8 (iconv -f {other.split('/')[0]} -t UTF-8)")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


_LEGACY = (("GBK/GB18030", "gb18030"), ("Big5", "big5hkscs"))


def _contradicting_charset(data: bytes, codec: str) -> str:
    """The name of another legacy Chinese charset that reads the page's non-ASCII text as far more
    ordinary Chinese than `codec` does, or "" (the declaration stands)."""
    sample = data[:200_000]
    declared = _ordinary_share(sample, codec, wide_only=True)
    if declared is None or declared >= 0.8:
        return ""
    for name, other in _LEGACY:
        share = _ordinary_share(sample, other, wide_only=True)
        if other != codec and share is not None and share >= max(0.85, declared + 0.3):
            return name
    return ""


def _ordinary_share(data: bytes, codec: str, wide_only: bool = False) -> float | None:
    """Share of the characters `codec` reads from data that are ordinary text (printable ASCII, common
    Han characters, everyday Chinese punctuation); with wide_only, of the non-ASCII characters only
    (the Chinese of a page, not its markup), a cut character at the end replaced. None when there is
    nothing to count; 0.0 when the codec cannot read the bytes."""
    from .chinese import char_to_simplified
    from .mojibake import is_rare_han
    try:
        text = data.decode(codec, errors="replace" if wide_only else "strict")
    except UnicodeDecodeError:
        return 0.0
    if wide_only:
        text = "".join(ch for ch in text if not ch.isascii())
        if len(text) < 20:
            return None
    if not text:
        return 0.0
    ok = sum(1 for ch in text if (ch.isascii() and (ch.isprintable() or ch in "\n\r\t"))
             or ("\u4e00" <= ch <= "\u9fff" and not is_rare_han(char_to_simplified(ch) if wide_only else ch))
             or ch in "，。、“”：；？！（）")
    return ok / len(text)


def guess_encoding(head: bytes) -> tuple[str, str]:
    """Which legacy encoding reads these bytes as the most ordinary Chinese text."""
    best, best_score = ("", ""), 0.6
    for name, codec in (("GBK/GB18030", "gb18030"), ("UTF-16", "utf-16-le"), ("UTF-16", "utf-16-be"),
                        ("Big5", "big5")):
        share = _ordinary_share(head[: len(head) // 2 * 2 if name == "UTF-16" else len(head)], codec) or 0.0
        if share > best_score:
            best, best_score = (name, codec), share
    return best


def _looks_utf16(head: bytes) -> bool:
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = head[: len(head) // 2 * 2].decode(codec)
        except UnicodeDecodeError:
            continue
        if text and sum(ch.isprintable() or ch in "\n\r\t" for ch in text) / len(text) > 0.95:
            return True
    return False


def read_seed(path: Path) -> Seed:
    """Read and decode one seed file (a BuildError for binary or undecodable bytes)."""
    return Seed(path, decode(path, path.read_bytes()))


def side_file(seed_path: Path) -> Path:
    """seeds/NAME.yml for seeds/NAME.txt."""
    return seed_path.with_suffix(".yml")


def tm_file(seed_path: Path) -> Path:
    """seeds/NAME.en.yml, the translation memory, for seeds/NAME.txt."""
    return seed_path.with_suffix(".en.yml")


def load_meta(seed_path: Path) -> Meta:
    """The seed's side file NAME.yml, checked against scripts/schema (files.SIDE_FILE); defaults when
    there is none."""
    from . import schema            # here: the schema reads the number stage's units, which imports this module
    path = side_file(seed_path)
    default_slug = re.sub(r"[^a-z0-9-]+", "-", seed_path.stem.lower()).strip("-") or "article"
    if not path.exists():
        return Meta(slug=default_slug)
    d = schema.load(path, schema.files.SIDE_FILE)
    return Meta(
        slug=d["slug"] or default_slug, status=d["status"],
        title=Bilingual(**(d["title"] or {})), outlet=Bilingual(**(d["outlet"] or {})),
        people=tuple(Person(p["zh"], p["en"], p["role"]) for p in d["people"]),
        published=d["published"], date_evidence=d["date_evidence"], url=d["url"], notes=tuple(d["notes"]),
        decisions=tuple(Decision(m["keep"], None, m["note"], m.line) if m["keep"] is not None
                        else Decision(m["garbled"], m["fixed"], m["note"], m.line) for m in d["mojibake"]),
        kinds=tuple((k["match"], k["kind"]) for k in d["kinds"]), path=path,
    )
