"""Stage 8 — site: run every stage over every seed and write the pages MkDocs compiles.

This module orchestrates: articles come from `pipeline`, page HTML from `render` (and the
reference and figure modules), caches from `cache`, background processes from `workers`.
All output is computed in memory first; only when every article has passed does anything get
written, each file atomically and only if its bytes changed (so `mkdocs serve` does not loop and
a failed build leaves the previous output intact). docs/ then holds every page and asset, and
.cache/build/site.json the navigation: any site builder can compile them, with or without our
MkDocs hooks. Nothing under seeds/ or data/ is ever written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import html as h
from . import render
from .cache import Cache, sha
from .errors import BuildError
from .paths import Paths, temporary, write_if_changed
from .pipeline import Article, Context, load_articles
from .search_words import searchable_pages
from .site_config import write_zensical_config


# ---------------------------------------------------------------- writing

def dumps_json(data) -> str:
    """JSON as the exports are written: UTF-8 text, one-space indent, a final newline.

    >>> dumps_json({"a": ["中"]})
    '{\\n "a": [\\n  "中"\\n ]\\n}\\n'
    """
    return h.json_text(data, indent=1, sort_keys=False) + "\n"


@dataclass
class Output:
    """What a build produces: every file for docs/ by path, the navigation and the search words."""
    files: dict[str, str | bytes] = field(default_factory=dict)   # path relative to docs/
    nav: list = field(default_factory=list)
    words: list = field(default_factory=list)    # glossary surface forms, for the search segmenter
    cached: bool = False                         # nothing changed since the last build
    undrawn: list = field(default_factory=list)  # figure SVGs left to the caller (compute(draw=False))
    fingerprint: str = ""


GENERATED_DIRS = ("articles", "data", "assets/figures", "pdf")
# Pages with relative links in their HTML are NAME/index.md, so a link means the same from the source
# file (Zensical) as from the page URL (MkDocs); older builds wrote these names (removed by write).
MOVED = ("glossary.md", "who.md", "figures.md", "timeline.md")


def compute(ctx: Context, inp=None, draw: bool = True) -> Output:
    """Every output file in memory. With draw=False, figure SVGs missing from the cache are left
    out and listed in `Output.undrawn` (a one-off build's own drawing process makes them: scripts/background.py)."""
    from . import figure_pages
    cache = Cache(ctx.paths)
    fig = _figure_data(ctx, cache, inp)
    datasets, events, names = fig.datasets, fig.events, fig.names
    cache_dir = cache.figures
    drawing = figure_pages.Prerender(datasets, events, cache_dir, start=draw, names=names)
    try:
        keys = (lambda stem: cache.article_key(inp, stem)) if inp else None
        articles = load_articles(ctx, keys, cache.memory.articles)
        placed = figure_pages.locate(articles, datasets, events, ctx.paths.data, fig.checked)
        out = _pages(ctx, inp, articles, placed)
    except BaseException:
        drawing.cancel()        # a failed build does not wait for drawings nobody will use
        raise
    if draw:
        drawing.finish()
    out.undrawn = sorted(drawing.missing) if not draw else []
    out.files.update(figure_pages.files(placed, cache_dir, skip=set(out.undrawn), names=names))
    return out


@dataclass
class FigureData:
    """What the figures are made of besides the articles, all from data/."""
    datasets: list
    events: list
    names: tuple[str, ...]                          # who's who name forms (figure_pages.names)
    checked: set = field(default_factory=set)       # digests of article texts every quote was found in


def _figure_data(ctx: Context, cache: Cache, inp) -> FigureData:
    """The figure datasets, timeline events and name forms, read again only when data/ or the code
    changed (the shared digest): a `serve` rebuild after an article edit reuses them, and does not
    check the quotes again when the articles' Chinese is what they were checked against."""
    from . import figure_pages
    memo = cache.memory.figure_data
    key = (ctx.paths.root, inp.shared) if inp else None
    if key is None or key not in memo:
        loaded = FigureData(*figure_pages.load(ctx.paths.data), figure_pages.names(ctx.paths.data))
        memo.clear()
        if key is None:
            return loaded
        memo[key] = loaded
    return memo[key]


def _pages(ctx: Context, inp, articles, placed) -> Output:
    from . import figure_pages, pdf_links
    cache = Cache(ctx.paths)
    # the PDFs `make pdf` printed from these very sources, if any: offered and linked (pdf_links.py)
    pdfs = pdf_links.available(ctx.paths.root, (inp or cache.inputs()).source_fingerprint)
    memory = cache.memory.rendered
    out = Output()
    uses = []
    keys = []
    vocab, study_made = {}, {}
    from . import study_pages
    base = study_pages.site_url(ctx.paths.root)        # read from mkdocs.yml once, not per article
    for a in articles:
        key = cache.article_key(inp, a.seed.stem) if inp else None
        keys.append(key)
        rendered = memory.get(key) if key else None
        if rendered is None:
            rendered = render.render_article(a, ctx, placed, pdf_links.link(a.slug, pdfs.get(a.slug), "../../",
                                                                             "Download this article"))
            if key:
                memory[key] = rendered
        out.files[f"articles/{a.slug}/index.md"] = rendered.page
        if not rendered.json:
            rendered.json = dumps_json(render.article_json(a, rendered))
        out.files[f"data/articles/{a.slug}.json"] = rendered.json
        uses.append((a.slug, rendered.annotations.term_uses))
        vocab[a.slug] = rendered.vocabulary
        if rendered.study is None:
            rendered.study = study_pages.article_files(a, *rendered.vocabulary, base)
        study_made[a.slug] = rendered.study
    edition = pdfs.get(pdf_links.EDITION)
    out.files["index.md"] = render.home_page(articles, pdf_links.link(pdf_links.EDITION, edition, "", "Download the whole edition"))
    out.files["articles/index.md"] = render.articles_index(articles, pdf_links.link(pdf_links.EDITION, edition, "../",
                                                                                     "Download the whole edition"))
    out.files.update(pdf_links.site_files(pdfs))
    out.files.update(reference_files(ctx, uses, articles))
    out.files["about.md"] = render.about_page(articles, ctx)
    out.files["figures/index.md"] = figure_pages.figures_page(placed, articles)
    out.files["timeline/index.md"] = figure_pages.timeline_page(placed)
    out.files["style.md"] = (Path(__file__).parent / "templates" / "style.md").read_text(encoding="utf-8")
    out.files.update(study_pages.files(articles, vocab, ctx.paths, study_made))
    out.nav = render.site_nav(articles)
    out.files.update(hant_files(ctx, out.files, out.nav))
    out.files = searchable_pages(out.files, ctx.lexicon)   # Chinese cut into words for search (search_words.py)
    out.words = sorted({f for t in ctx.lexicon.terms for f in t.forms})
    cache.memory.keep_articles(keys)        # keep only what this build used
    return out


def hant_files(ctx: Context, files: dict, nav: list) -> dict[str, str]:
    """繁 beyond the articles (hant_pages.py): the script choice on every other page with Chinese, and
    the one table their Chinese, the navigation and the site's name (mkdocs.yml) share."""
    from . import hant_pages
    out = {rel: hant_pages.with_script_toolbar(text) for rel, text in files.items()
           if hant_pages.is_shared(rel) and isinstance(text, str)}
    config = ctx.paths.root / "mkdocs.yml"
    extra = hant_pages.nav_titles(nav) + ([config.read_text(encoding="utf-8")] if config.exists() else [])
    table = hant_pages.shared_table({**files, **out}, extra, ctx.lexicon.names, Cache(ctx.paths).memory.hant)
    out[hant_pages.HANT_JSON] = h.json_text(table, separators=(",", ":")) + "\n"
    return out


def reference_files(ctx: Context, uses, articles: list[Article]) -> dict[str, str]:
    """The glossary and who's who pages and their exports (kept in memory while what they are made
    of is unchanged: editing one translation does not rebuild them)."""
    from . import reference
    occ = reference.occurrences(uses)
    titles = {a.slug: (a.title_en or a.title_zh) for a in articles}
    ids = {a.slug: a.seed.stem for a in articles}
    terms = ctx.lexicon.terms
    by_id = {t.id: t for t in terms}
    glossary = [t for t in terms if t.kind == "glossary"]
    entities = [t for t in terms if t.kind == "entity"]
    ordinals = {(a.slug, item.segment.id): n for a in articles for n, item in enumerate(a.alignment.items, start=1)}
    import hashlib
    key = hashlib.sha256(repr((uses, titles, ids, sorted(ordinals.items()))).encode()).hexdigest()
    memo = Cache(ctx.paths).memory.reference
    if memo.get("ctx") is ctx and memo.get("key") == key:
        return memo["files"]          # e.g. only a translation changed: the same pages
    files = {
        "glossary/index.md": reference.page(glossary, "glossary", occ, titles, by_id, ordinals),
        "who/index.md": reference.page(entities, "entity", occ, titles, by_id, ordinals),
        "data/glossary.json": dumps_json(reference.export(glossary, occ, ids)),
        "data/entities.json": dumps_json(reference.export(entities, occ, ids)),
        "data/glossary.csv": reference.glossary_csv(glossary),
        "data/glossary-anki.tsv": reference.anki_tsv(glossary),
    }
    memo.update(ctx=ctx, key=key, files=files)
    return files


def write(output: Output, paths: Paths, keep: set[str] = frozenset()) -> int:
    """Write what changed; remove generated files nothing produces any more (an article was deleted),
    except `keep` (figures still being drawn, by another process that writes them), and the
    half-written temporary file a build killed in the middle of a write left beside any file
    written here (not beside a figure being drawn: that process may be writing it now)."""
    changed = 0
    written = Cache(paths).memory.written
    for rel, content in sorted(output.files.items()):
        path = paths.docs / rel
        last = written.get(path)
        if last is not None and last[0] == content and last[1] == _stat_key(path):
            continue                 # this process wrote these very bytes there, and nothing touched it since
        data = content.encode("utf-8") if isinstance(content, str) else content
        changed += write_if_changed(path, data)
        written[path] = (content, _stat_key(path), sha(data))
    wanted = {paths.docs / rel for rel in [*output.files, *keep]}
    for p in [p for p in written if p not in wanted]:
        del written[p]
    for rel in output.files:
        temporary(paths.docs / rel).unlink(missing_ok=True)
    for d in GENERATED_DIRS:
        for p in sorted((paths.docs / d).rglob("*")) if (paths.docs / d).exists() else []:
            if p.is_file() and p not in wanted and not p.name.startswith("."):
                p.unlink()
                changed += 1
    for name in MOVED:
        if (paths.docs / name).is_file() and name not in output.files:
            (paths.docs / name).unlink()
            changed += 1
    return changed


def _stat_key(path: Path) -> tuple | None:
    """What changes when anything writes the file: size, times and inode (None if it is gone)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def written_digests(output: Output, paths: Paths) -> dict[str, str]:
    """Output path -> digest of its bytes, as `write` just wrote or found them (not hashed again)."""
    written = Cache(paths).memory.written
    return {rel: written[paths.docs / rel][2] for rel in sorted(output.files)}


def build(paths: Paths | None = None, draw: bool = True, inp=None) -> Output:
    """Build docs/ if any input changed (figures included, unless draw=False: see scripts/background.py).
    `inp`: the inputs' digests, if the caller has just taken them."""
    paths = paths or Paths()
    cache = Cache(paths)
    inp = inp or cache.inputs()
    site = cache.up_to_date(inp)
    if site is not None:
        write_zensical_config(paths, site["nav"])          # cheap; restores the file if it was removed
        return Output(nav=site["nav"], words=site["search_words"], cached=True)
    reuse = (paths.root, inp.shared)         # same project, data/ and code unchanged: reuse the context
    contexts = cache.memory.contexts
    ctx = contexts.get(reuse) or Context.load(paths)
    contexts.clear()
    contexts[reuse] = ctx
    output = compute(ctx, inp, draw)
    write(output, paths, keep=set(output.undrawn))
    cache.save_site(output.nav, output.words)
    write_zensical_config(paths, output.nav)               # the second builder's nav (site_config.py)
    output.fingerprint = inp.fingerprint
    if not output.undrawn:
        cache.save_manifest(inp.fingerprint, written_digests(output, paths))
    return output


def build_pages(paths: Paths, inp=None) -> tuple:
    """The page-build worker of a one-off build (scripts/background.py): build docs/ without
    drawing; the navigation, the search words, the inputs' fingerprint, every page file's digest, the
    files written that are not pages and the figures left to the drawing process (paths under docs/)."""
    import gc

    from .workers import BATCH_GC
    gc.set_threshold(*BATCH_GC)
    output = build(paths, draw=False, inp=inp)
    return (output.nav, output.words, output.fingerprint, None if output.cached else written_digests(output, paths),
            tuple(rel for rel in sorted(output.files) if not rel.endswith(".md")), tuple(output.undrawn))
