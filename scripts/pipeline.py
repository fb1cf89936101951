"""The pipeline: one seed through ingest → clean → segment → align, as an `Article`.

Both the command line (`python -m scripts status|qa|sync|accept|clean`) and the site build
(`scripts/build.py`) take their articles from here. Nothing here writes a file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import ingest
from .align import Alignment, align, load_memory
from .clean import Cleaned, clean, load_rules
from .errors import BuildError
from .ingest import Meta, Seed
from .paths import Paths
from .segment import Segmented, segment


@dataclass
class Article:
    """One seed after every text stage: what the pages, exports, QA and the CLI read."""
    seed: Seed
    meta: Meta
    cleaned: Cleaned
    segmented: Segmented
    alignment: Alignment

    @property
    def slug(self) -> str:
        """The URL name, from the side file (or the seed's file name)."""
        return self.meta.slug

    @property
    def title_zh(self) -> str:
        """The Chinese title: the side file's, else the scrape's first heading, else the file name."""
        return self.meta.title.zh or self.segmented.title or self.seed.stem

    @property
    def title_en(self) -> str:
        """The English title from the side file ("" until translated)."""
        return self.meta.title.en

    @property
    def outlet_zh(self) -> str:
        """The outlet's Chinese name: the side file's, else what the cleaning rules found in the chrome."""
        return self.meta.outlet.zh or self.cleaned.extracted.get("outlet", "")

    @property
    def outlet_en(self) -> str:
        """The outlet's English name from the side file."""
        return self.meta.outlet.en

    @property
    def published(self) -> str:
        """ISO date (YYYY, YYYY-MM or YYYY-MM-DD): the side file's, else one found in the scrape."""
        if self.meta.published:
            return self.meta.published
        ex = self.cleaned.extracted
        for key in ("published", "site_date", "forum_date"):
            if ex.get(key):
                y, m, *d = ex[key].split("-")
                return "-".join([y, m.zfill(2)] + [x.zfill(2) for x in d])
        return ""

    @property
    def people(self) -> tuple:
        """Authors and editors: the side file's, else the names the cleaning rules extracted."""
        if self.meta.people:
            return self.meta.people
        ex, out = self.cleaned.extracted, []
        for key, role in (("authors", "author"), ("editors", "editor"), ("chief_editor", "chief editor"),
                          ("proofreaders", "proofreader")):
            for name in (ex.get(key) or "").replace("、", " ").replace(",", " ").split():
                out.append(ingest.Person(name, "", role))
        return tuple(out)

    @property
    def url(self) -> str:
        """The page's address relative to the site root."""
        return f"articles/{self.slug}/"

    @property
    def counts(self) -> dict:
        """Segments by status: translated / stale / pending."""
        return self.alignment.counts()


@dataclass
class Context:
    """What every article shares: the project's paths, the cleaning rules and the glossary lexicon."""
    paths: Paths
    rules: tuple = ()
    lexicon: object = None

    @classmethod
    def load(cls, paths: Paths) -> "Context":
        """Read data/cleaning.yml and the glossary and who's who (BuildError with file and line)."""
        from .annotate import Lexicon
        return cls(paths, load_rules(paths.data / "cleaning.yml"), Lexicon.load(paths.data))


def process(seed_path: Path, ctx: Context) -> Article:
    """Run one seed through ingest, clean, segment and align."""
    seed = ingest.read_seed(seed_path)
    meta = ingest.load_meta(seed_path)
    cleaned = clean(seed, meta, ctx.rules)
    segmented = segment(cleaned, meta)
    if not segmented.segments:
        raise BuildError(seed_path, "no article text left after cleaning (only site chrome, blank lines or a title)",
                         None, "add the article's text, or delete the file; `python -m scripts clean "
                         f"{seed_path.stem} --report` shows what was removed")
    memory = load_memory(ingest.tm_file(seed_path))
    return Article(seed, meta, cleaned, segmented, align(segmented.segments, memory))


def check_side_files(seeds_dir: Path) -> None:
    """A side file or translation memory whose article is gone is an error, never silently dropped."""
    for p in sorted(seeds_dir.glob("*.yml")):
        stem = p.name[: -len(".en.yml")] if p.name.endswith(".en.yml") else p.stem
        if not any((seeds_dir / f"{stem}{suffix}").exists() for suffix in ingest.SEED_SUFFIXES):
            what = "translation memory" if p.name.endswith(".en.yml") else "side file"
            raise BuildError(p, f"{what} for a missing article ({stem}.txt)", None,
                             f"restore seeds/{stem}.txt, or delete this file if the article was withdrawn")


def load_articles(ctx: Context, keys=None, memo: dict | None = None) -> list[Article]:
    """Every seed as an Article, sorted by date then file name; slugs must be unique.

    `keys(stem)` names what an article is made of and `memo` keeps processed articles by that name
    (a long-running `mkdocs serve` passes both, so unchanged articles are not processed again)."""
    check_side_files(ctx.paths.seeds)
    articles = []
    for p in ingest.find_seeds(ctx.paths.seeds):
        key = keys(p.stem) if keys and memo is not None else None
        article = memo.get(key) if key else None
        if article is None:
            article = process(p, ctx)
            if key:
                memo[key] = article
        articles.append(article)
    slugs: dict[str, Path] = {}
    for a in articles:
        if a.slug in slugs:
            raise BuildError(a.meta.path or a.seed.path, f"slug {a.slug!r} is already used by {slugs[a.slug].name}",
                             None, "give each article its own slug")
        slugs[a.slug] = a.seed.path
    return sorted(articles, key=lambda a: (a.published or "9999", a.seed.stem))
