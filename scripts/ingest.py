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

from . import yamlio
from .errors import BuildError

MAX_SEED_BYTES = 2_000_000
STATUSES = ("draft", "published")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass(frozen=True)
class Seed:
    path: Path
    text: str

    @property
    def stem(self) -> str:
        return self.path.stem


@dataclass(frozen=True)
class Bilingual:
    zh: str = ""
    en: str = ""


@dataclass(frozen=True)
class Person:
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


def find_seeds(seeds_dir: Path) -> list[Path]:
    return sorted(p for pattern in SEED_GLOBS for p in seeds_dir.glob(pattern)
                  if p.name not in NOT_SEEDS and p.is_file())


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
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t")
    if controls > max(8, len(text) // 200):
        raise BuildError(path, f"binary file, not text ({controls} control characters)", None,
                         "remove it from seeds/")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


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
    """A saved page in the legacy charset it declares, decoded strictly (a wrong byte stops the build)."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BuildError(path, f"not valid {codec.upper()} although the page declares it (byte {exc.start})", line,
                         "save the page again as UTF-8") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def guess_encoding(head: bytes) -> tuple[str, str]:
    """Which legacy encoding reads these bytes as the most ordinary Chinese text."""
    from .mojibake import is_rare_han
    best, best_score = ("", ""), 0.6
    for name, codec in (("GBK/GB18030", "gb18030"), ("UTF-16", "utf-16-le"), ("UTF-16", "utf-16-be"),
                        ("Big5", "big5")):
        try:
            text = head[: len(head) // 2 * 2 if name == "UTF-16" else len(head)].decode(codec)
        except UnicodeDecodeError:
            continue
        if not text:
            continue
        ok = sum(1 for ch in text if (ch.isascii() and (ch.isprintable() or ch in "\n\r\t"))
                 or ("\u4e00" <= ch <= "\u9fff" and not is_rare_han(ch)) or ch in "，。、“”：；？！（）")
        if ok / len(text) > best_score:
            best, best_score = (name, codec), ok / len(text)
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
    return Seed(path, decode(path, path.read_bytes()))


def side_file(seed_path: Path) -> Path:
    return seed_path.with_suffix(".yml")


def tm_file(seed_path: Path) -> Path:
    return seed_path.with_suffix(".en.yml")


def _bilingual(value, path, line, field_name) -> Bilingual:
    if value is None:
        return Bilingual()
    if isinstance(value, str):
        return Bilingual(zh=value)
    yamlio.expect(isinstance(value, dict) and set(value) <= {"zh", "en"}, path, line,
                  f"{field_name} must be a mapping with zh and en", f"write {field_name}: {{zh: …, en: …}}")
    return Bilingual(str(value.get("zh") or ""), str(value.get("en") or ""))


_META_KEYS = {"slug", "status", "title", "outlet", "people", "published", "date_evidence", "url",
              "notes", "mojibake", "kinds"}


def load_meta(seed_path: Path) -> Meta:
    path = side_file(seed_path)
    default_slug = re.sub(r"[^a-z0-9-]+", "-", seed_path.stem.lower()).strip("-") or "article"
    if not path.exists():
        return Meta(slug=default_slug)
    data = yamlio.load(path)
    if data is None:
        return Meta(slug=default_slug, path=path)
    yamlio.expect(isinstance(data, dict), path, 1, "side file must be a mapping", "see seeds/README.md")
    for key in data:
        yamlio.expect(key in _META_KEYS, path, data.line_of(key), f"unknown field {key!r}",
                      f"use one of {', '.join(sorted(_META_KEYS))}")
    slug = str(data.get("slug") or default_slug)
    yamlio.expect(bool(_SLUG.match(slug)), path, data.line_of("slug"), f"bad slug {slug!r}",
                  "use lowercase letters, digits and hyphens")
    status = str(data.get("status") or "draft")
    yamlio.expect(status in STATUSES, path, data.line_of("status"), f"bad status {status!r}",
                  "use draft or published")
    published = str(data.get("published") or "")
    yamlio.expect(not published or bool(_DATE.match(published)), path, data.line_of("published"),
                  f"bad date {published!r}", "write YYYY-MM-DD (or YYYY-MM)")
    people = []
    for item in data.get("people") or []:
        line = getattr(item, "line", data.line_of("people"))
        yamlio.expect(isinstance(item, dict) and "zh" in item, path, line,
                      "each person needs at least zh", "write - {zh: 俞琪, en: Yu Qi, role: editor}")
        people.append(Person(str(item["zh"]), str(item.get("en") or ""), str(item.get("role") or "author")))
    decisions = []
    for item in data.get("mojibake") or []:
        line = getattr(item, "line", data.line_of("mojibake"))
        ok = isinstance(item, dict) and (("garbled" in item and "fixed" in item) or "keep" in item)
        yamlio.expect(ok, path, line, "a mojibake decision needs garbled+fixed, or keep",
                      "write - {garbled: …, fixed: …, note: …} or - {keep: …, note: …}")
        yamlio.expect(bool(item.get("note")), path, line, "a mojibake decision needs a note",
                      "say in one line why")
        if "keep" in item:
            decisions.append(Decision(str(item["keep"]), None, str(item["note"]), line))
        else:
            yamlio.expect(bool(str(item["garbled"])), path, line, "empty garbled text", "")
            decisions.append(Decision(str(item["garbled"]), str(item["fixed"]), str(item["note"]), line))
    kinds = []
    for item in data.get("kinds") or []:
        line = getattr(item, "line", data.line_of("kinds"))
        yamlio.expect(isinstance(item, dict) and item.get("kind") in ("heading", "paragraph", "caption")
                      and item.get("match"), path, line, "a kind override needs match and kind",
                      "write - {match: 开头的文字, kind: caption}")
        kinds.append((str(item["match"]), str(item["kind"])))
    return Meta(
        slug=slug, status=status,
        title=_bilingual(data.get("title"), path, data.line_of("title"), "title"),
        outlet=_bilingual(data.get("outlet"), path, data.line_of("outlet"), "outlet"),
        people=tuple(people), published=published,
        date_evidence=str(data.get("date_evidence") or ""), url=str(data.get("url") or ""),
        notes=tuple(str(n) for n in data.get("notes") or []),
        decisions=tuple(decisions), kinds=tuple(kinds), path=path,
    )
