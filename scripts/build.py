"""Stage 8 — site: run every stage over every seed and write the pages MkDocs compiles.

All output is computed in memory first; only when every article has passed does anything get
written, each file atomically and only if its bytes changed (so `mkdocs serve` does not loop and
a failed build leaves the previous output intact). Nothing under seeds/ or data/ is ever written.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import html as h
from . import ingest, render
from .align import Alignment, align, load_memory
from .clean import Cleaned, clean, load_rules
from .errors import BuildError
from .ingest import Meta, Seed
from .paths import Paths, atomic_write
from .segment import Segmented, segment


@dataclass
class Article:
    seed: Seed
    meta: Meta
    cleaned: Cleaned
    segmented: Segmented
    alignment: Alignment

    @property
    def slug(self) -> str:
        return self.meta.slug

    @property
    def title_zh(self) -> str:
        return self.meta.title.zh or self.segmented.title or self.seed.stem

    @property
    def title_en(self) -> str:
        return self.meta.title.en

    @property
    def outlet_zh(self) -> str:
        return self.meta.outlet.zh or self.cleaned.extracted.get("outlet", "")

    @property
    def outlet_en(self) -> str:
        return self.meta.outlet.en

    @property
    def published(self) -> str:
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
        return f"articles/{self.slug}/"

    @property
    def counts(self) -> dict:
        return self.alignment.counts()


@dataclass
class Context:
    paths: Paths
    rules: tuple = ()
    lexicon: object = None

    @classmethod
    def load(cls, paths: Paths) -> "Context":
        from .annotate import Lexicon
        return cls(paths, load_rules(paths.data / "cleaning.yml"), Lexicon.load(paths.data))


def process(seed_path: Path, ctx: Context) -> Article:
    seed = ingest.read_seed(seed_path)
    meta = ingest.load_meta(seed_path)
    cleaned = clean(seed, meta, ctx.rules)
    segmented = segment(cleaned, meta)
    memory = load_memory(ingest.tm_file(seed_path))
    return Article(seed, meta, cleaned, segmented, align(segmented.segments, memory))


def check_side_files(seeds_dir: Path) -> None:
    """A side file or translation memory whose article is gone is an error, never silently dropped."""
    for p in sorted(seeds_dir.glob("*.yml")):
        stem = p.name[: -len(".en.yml")] if p.name.endswith(".en.yml") else p.stem
        if not (seeds_dir / f"{stem}.txt").exists():
            what = "translation memory" if p.name.endswith(".en.yml") else "side file"
            raise BuildError(p, f"{what} for a missing article ({stem}.txt)", None,
                             f"restore seeds/{stem}.txt, or delete this file if the article was withdrawn")


# In-memory caches for a long-running `mkdocs serve`: article key -> processed article / rendered page.
_ARTICLES: dict[str, Article] = {}
_RENDERED: dict[str, "Rendered"] = {}
_CONTEXT: dict[tuple, Context] = {}        # by project and digest of the shared inputs (data/, side files, code)
_REFERENCE: dict[str, dict] = {}           # glossary / who's who files, by what they are made of


def load_articles(ctx: Context, inp=None) -> list[Article]:
    check_side_files(ctx.paths.seeds)
    articles = []
    for p in ingest.find_seeds(ctx.paths.seeds):
        key = f"{ctx.paths.root}:{inp.article_key(p.stem)}" if inp else None
        article = _ARTICLES.get(key) if key else None
        if article is None:
            article = process(p, ctx)
            if key:
                _ARTICLES[key] = article
        articles.append(article)
    slugs: dict[str, Path] = {}
    for a in articles:
        if a.slug in slugs:
            raise BuildError(a.meta.path or a.seed.path, f"slug {a.slug!r} is already used by {slugs[a.slug].name}",
                             None, "give each article its own slug")
        slugs[a.slug] = a.seed.path
    return sorted(articles, key=lambda a: (a.published or "9999", a.seed.stem))


# ---------------------------------------------------------------- pages

@dataclass
class Rendered:
    page: str
    annotations: object
    json: str = ""


def render_article(a: Article, ctx: Context, placed=None) -> Rendered:
    from .annotate import PageAnnotations, ZhAnnotator
    notes = render.Notes()
    annotations = PageAnnotations()
    zh = ZhAnnotator(ctx.lexicon, a.cleaned.repairs, annotations, "../../")
    blocks = []
    from .figure_pages import figure_html
    for item in a.alignment.items:
        zh.segment_id = item.segment.id
        blocks.append(render.segment_block(item, zh, notes))
        for ds in (placed.after.get((a.slug, item.segment.id), []) if placed else []):
            blocks.append(figure_html(ds, placed, "../../"))
    return Rendered(article_page(a, blocks, notes, annotations, ctx), annotations)


def terms_list(annotations, ctx: Context) -> str:
    by_id = ctx.lexicon.by_id()
    used = list(dict.fromkeys(tid for tid, _ in annotations.term_uses))
    sections = []
    for kind, heading, page in (("glossary", "Terms in this article", "glossary"), ("entity", "Names in this article", "who")):
        rows = [by_id[t] for t in used if by_id[t].kind == kind]
        if not rows:
            continue
        rows.sort(key=lambda t: (t.pinyin.lower() or t.en.lower(), t.zh))
        lis = "".join(f'\n<li><a href="../../{page}/#{t.id}"><span lang="zh-Hans">{h.text(t.zh)}</span></a> '
                      f'<span class="bm-py">{h.text(t.pinyin)}</span> — <span lang="en">{h.text(t.en)}</span></li>'
                      for t in rows)
        sections.append(f'## {heading} {{ #{page}-used .bm-terms-h }}\n\n<ul class="bm-terms">{lis}\n</ul>\n')
    return "\n".join(sections)


def article_page(a: Article, blocks, notes, annotations, ctx: Context) -> str:
    c = a.counts
    total = sum(c.values())
    removed = sum(1 for ch in a.cleaned.report if ch.action == "removed")
    meta_rows = [
        ("Outlet", f'<span lang="zh-Hans">{h.text(a.outlet_zh)}</span>' + (f" · {h.text(a.outlet_en)}" if a.outlet_en else "")),
        ("Published", (f'<time datetime="{h.attr(a.published)}">{h.text(render.human_date(a.published))}</time>'
                       if a.published else "unknown")),
    ]
    if a.people:
        meta_rows.append(("People", render.people_html(a.people)))
    meta_rows.append(("Source file", f"<code>seeds/{h.text(a.seed.path.name)}</code> — "
                      f"{len(a.seed.text.splitlines())} lines scraped, {removed} removed as site chrome, "
                      f"{len(a.cleaned.repairs)} repaired"))
    meta_rows.append(("Translation", f'{c["translated"]} of {total} segments translated'
                      + (f', {c["stale"]} out of date' if c["stale"] else "")
                      + (f', {c["pending"]} pending' if c["pending"] else "")
                      + f' · status: <strong>{h.text(a.meta.status)}</strong>'))
    dl = "".join(f"\n<dt>{k}</dt>\n<dd>{v}</dd>" for k, v in meta_rows)
    prov = []
    if a.meta.date_evidence:
        prov.append(f"\n<p><strong>Date:</strong> {h.text(a.meta.date_evidence)}</p>")
    for n in a.meta.notes:
        prov.append(f"\n<p>{h.text(n)}</p>")
    if a.cleaned.repairs:
        seen, items = set(), []
        for d in a.cleaned.repairs:
            if (d.text, d.fixed) in seen:
                continue
            seen.add((d.text, d.fixed))
            items.append(f'\n<li><code>{h.text(d.text)}</code> → <span lang="zh-Hans">{h.text(d.fixed or "")}</span>: '
                         f"{h.text(d.note)}</li>")
        prov.append(f"\n<p><strong>Repaired mojibake</strong> (marked in the text; hover for the original):</p>\n<ul>{''.join(items)}\n</ul>")
    provenance = (f'<details class="bm-provenance">\n<summary>Provenance and repairs</summary>{"".join(prov)}\n</details>'
                  if prov else "")
    title_en = a.title_en or "(English title pending)"
    parts = [
        render.front_matter(a.title_en or a.title_zh, f"{a.title_zh} — {a.title_en}".strip(" —")),
        f'<div class="bm-article" data-article="{h.attr(a.slug)}" data-status="{h.attr(a.meta.status)}" markdown>\n',
        f'# <span class="zh" lang="zh-Hans">{h.text(a.title_zh)}</span> <span class="en" lang="en">{h.text(title_en)}</span> '
        "{ #article-title .bm-title }\n",
        f'<div class="bm-meta">\n<dl>{dl}\n</dl>\n{provenance}\n</div>\n',
        render.TOOLBAR + "\n",
    ]
    for block in blocks:
        parts.append(block + "\n")
    if notes.items:
        lis = "".join(f'\n<li id="fn-{n}" data-seg="{sid}">{h.text(text)} <a class="fn-back" href="#fnref-{n}" '
                      f'aria-label="Back to the text">↩</a></li>' for n, (sid, text) in enumerate(notes.items, 1))
        parts.append(f'## Translator’s notes {{ #translator-notes .bm-notes-h }}\n\n<ol class="bm-notes" lang="en">{lis}\n</ol>\n')
    parts.append(terms_list(annotations, ctx))
    dict_json = json.dumps(annotations.dictionary, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    words_json = json.dumps(annotations.words, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for element_id, payload in (("bm-words", words_json), ("bm-dict", dict_json)):
        safe_json = payload.replace("</", "<\\/")
        parts.append(f'<script type="application/json" id="{element_id}">{safe_json}</script>\n')
    parts.append("\n</div>\n")
    return "\n".join(parts)


def article_json(a: Article, rendered: Rendered | None = None) -> dict:
    data = {
        "id": a.seed.stem,
        "source_file": a.seed.path.name,
        "status": a.meta.status,
        "title": {"zh": a.title_zh, "en": a.title_en},
        "outlet": {"zh": a.outlet_zh, "en": a.outlet_en},
        "authors": [{"zh": p.zh, "en": p.en, "role": p.role} for p in a.people],
        "published": a.published,
        "date_evidence": a.meta.date_evidence,
        "url": a.url,
        "segments": [
            {"id": item.segment.id, "kind": item.segment.kind, "zh": item.segment.plain,
             "en": " ".join(item.entry.en) if item.entry and item.status != "pending" else "",
             "status": item.status}
            for item in a.alignment.items
        ],
        "repairs": [{"garbled": d.text, "fixed": d.fixed, "note": d.note} for d in a.cleaned.repairs],
    }
    if rendered is not None:
        data["numbers"] = rendered.annotations.numbers
        data["terms"] = sorted({tid for tid, _ in rendered.annotations.term_uses})
    return data


def home_page(articles: list[Article]) -> str:
    rows = []
    for a in articles:
        c = a.counts
        total = sum(c.values())
        state = "translated" if c["translated"] == total else f'{c["translated"]}/{total} translated'
        rows.append(
            f'<li class="bm-card" data-article-card="{h.attr(a.slug)}"><a href="{h.attr(a.url)}">'
            f'<span class="bm-card-zh" lang="zh-Hans">{h.text(a.title_zh)}</span>'
            f'<span class="bm-card-en" lang="en">{h.text(a.title_en or "(English title pending)")}</span></a>'
            f'<span class="bm-card-meta"><time datetime="{h.attr(a.published)}">{h.text(render.human_date(a.published) if a.published else "undated")}</time>'
            f' · <span lang="zh-Hans">{h.text(a.outlet_zh)}</span>{(" · " + h.text(a.outlet_en)) if a.outlet_en else ""}'
            f' · {state} · {h.text(a.meta.status)}</span></li>')
    template = (Path(__file__).parent / "templates" / "home.md").read_text(encoding="utf-8")
    return template.replace("{{ARTICLES}}", '<ol class="bm-cards">\n' + "\n".join(rows) + "\n</ol>")


# ---------------------------------------------------------------- writing

def write_if_changed(path: Path, content: str | bytes) -> bool:
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.exists() and path.read_bytes() == data:
        return False
    atomic_write(path, data)
    return True


def dumps_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


@dataclass
class Output:
    files: dict[str, str | bytes] = field(default_factory=dict)   # path relative to docs/
    nav: list = field(default_factory=list)
    words: list = field(default_factory=list)    # glossary surface forms, for the search segmenter
    cached: bool = False                         # nothing changed since the last build
    undrawn: list = field(default_factory=list)  # figure SVGs left to the caller (compute(draw=False))
    fingerprint: str = ""


GENERATED_DIRS = ("articles", "data", "assets/figures")


def compute(ctx: Context, inp=None, draw: bool = True) -> Output:
    """Every output file in memory. With draw=False, figure SVGs missing from the cache are left
    out and listed in `Output.undrawn` (BackgroundBuild draws them in the parent process)."""
    from . import figure_pages
    datasets, events = figure_pages.load(ctx.paths.data)
    cache_dir = ctx.paths.cache / "figures"
    drawing = figure_pages.Prerender(datasets, events, cache_dir, start=draw)
    try:
        articles = load_articles(ctx, inp)
        placed = figure_pages.locate(articles, datasets, events, ctx.paths.data)
        out = _pages(ctx, inp, articles, placed)
    except BaseException:
        drawing.cancel()        # a failed build does not wait for drawings nobody will use
        raise
    if draw:
        drawing.finish()
    out.undrawn = sorted(drawing.missing) if not draw else []
    out.files.update(figure_pages.files(placed, cache_dir, skip=set(out.undrawn)))
    return out


def _pages(ctx: Context, inp, articles, placed) -> Output:
    from . import figure_pages
    out = Output()
    uses = []
    keys = []
    for a in articles:
        key = f"{ctx.paths.root}:{inp.article_key(a.seed.stem)}" if inp else None
        keys.append(key)
        rendered = _RENDERED.get(key) if key else None
        if rendered is None:
            rendered = render_article(a, ctx, placed)
            if key:
                _RENDERED[key] = rendered
        out.files[f"articles/{a.slug}/index.md"] = rendered.page
        if not rendered.json:
            rendered.json = dumps_json(article_json(a, rendered))
        out.files[f"data/articles/{a.slug}.json"] = rendered.json
        uses.append((a.slug, rendered.annotations.term_uses))
    out.files["index.md"] = home_page(articles)
    out.files.update(reference_files(ctx, uses, articles))
    out.files["about.md"] = about_page(articles, ctx)
    out.files["figures.md"] = figure_pages.figures_page(placed, articles)
    out.files["timeline.md"] = figure_pages.timeline_page(placed)
    out.nav = [{"Home": "index.md"},
               {"Articles": [{a.title_en or a.title_zh: f"articles/{a.slug}/index.md"} for a in articles]},
               {"Glossary": "glossary.md"},
               {"Who’s who": "who.md"},
               {"Figures": "figures.md"},
               {"Timeline": "timeline.md"},
               {"About this edition": "about.md"}]
    out.words = sorted({f for t in ctx.lexicon.terms for f in t.forms})
    for cache_dict in (_ARTICLES, _RENDERED):      # keep only what this build used
        for k in [k for k in cache_dict if k not in keys]:
            del cache_dict[k]
    return out


def reference_files(ctx: Context, uses, articles: list[Article]) -> dict[str, str]:
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
    if _REFERENCE.get("ctx") is ctx and _REFERENCE.get("key") == key:
        return _REFERENCE["files"]          # e.g. only a translation changed: the same pages
    files = {
        "glossary.md": reference.page(glossary, "glossary", occ, titles, by_id, ordinals),
        "who.md": reference.page(entities, "entity", occ, titles, by_id, ordinals),
        "data/glossary.json": dumps_json(reference.export(glossary, occ, ids)),
        "data/entities.json": dumps_json(reference.export(entities, occ, ids)),
        "data/glossary.csv": reference.glossary_csv(glossary),
        "data/glossary-anki.tsv": reference.anki_tsv(glossary),
    }
    _REFERENCE.update(ctx=ctx, key=key, files=files)
    return files


def about_page(articles: list[Article], ctx: Context) -> str:
    sources = []
    for a in articles:
        removed = sum(1 for c in a.cleaned.report if c.action == "removed")
        changed = sum(1 for c in a.cleaned.report if c.action == "changed")
        sources.append(
            f"| [{h.text(a.title_en or a.title_zh)}](articles/{a.slug}/index.md) | <span lang=\"zh-Hans\">{h.text(a.outlet_zh)}</span> "
            f"{h.text(a.outlet_en)} | {a.published or '?'} | `{a.seed.path.name}` | {removed} | {changed} | {len(a.cleaned.repairs)} |")
    rules = "\n".join(f"- {h.text(r.reason)}" + (f" (fills *{r.meta}*)" if r.meta else "") for r in ctx.rules)
    rules = "\n".join(dict.fromkeys(rules.split("\n")))
    template = (Path(__file__).parent / "templates" / "about.md").read_text(encoding="utf-8")
    return (template.replace("{{SOURCES}}", "\n".join(sources))
            .replace("{{RULES}}", rules)
            .replace("{{TERMS}}", str(sum(1 for t in ctx.lexicon.terms if t.kind == "glossary")))
            .replace("{{ENTITIES}}", str(sum(1 for t in ctx.lexicon.terms if t.kind == "entity"))))


def write(output: Output, paths: Paths, keep: set[str] = frozenset()) -> int:
    """Write what changed; remove generated files nothing produces any more (an article was deleted),
    except `keep` (figures still being drawn)."""
    changed = 0
    for rel, content in sorted(output.files.items()):
        changed += write_if_changed(paths.docs / rel, content)
    wanted = {paths.docs / rel for rel in [*output.files, *keep]}
    for d in GENERATED_DIRS:
        for p in sorted((paths.docs / d).rglob("*")) if (paths.docs / d).exists() else []:
            if p.is_file() and p not in wanted and not p.name.startswith("."):
                p.unlink()
                changed += 1
    return changed


def build(paths: Paths | None = None, draw: bool = True, inp=None) -> Output:
    """Build docs/ if any input changed (figures included, unless draw=False: see BackgroundBuild).
    `inp`: the inputs' digests, if the caller has just taken them."""
    from . import cache
    paths = paths or Paths()
    inp = inp or cache.inputs(paths)
    manifest = cache.up_to_date(paths, inp)
    if manifest is not None:
        return Output(nav=manifest["nav"], words=manifest["words"], cached=True)
    reuse = (paths.root, inp.shared)         # same project, data/ and code unchanged: reuse the context
    ctx = _CONTEXT.get(reuse) or Context.load(paths)
    _CONTEXT.clear()
    _CONTEXT[reuse] = ctx
    output = compute(ctx, inp, draw)
    write(output, paths, keep=set(output.undrawn))
    output.fingerprint = inp.fingerprint
    if not output.undrawn:
        cache.save_manifest(paths, inp.fingerprint, cache.digests(output.files), output.nav, output.words)
    return output


class BackgroundBuild:
    """A one-off build (`mkdocs build`) that overlaps MkDocs' own work. A forked process builds the
    pages and exits without tearing down the dictionaries it loaded; another, at low priority,
    draws the missing figures, going on while MkDocs renders. `pages()` waits for the pages;
    `finish()` for the figures, writes them, records the build and returns their paths (relative to
    docs/). A BuildError in either process is raised here. (`mkdocs serve` builds in its own process, where unchanged articles stay
    cached between rebuilds.)"""

    def __init__(self, paths: Paths, inp=None):
        import multiprocessing
        from . import figure_pages
        self.paths, self.output, self.drawing = paths, None, None
        self.digests: dict[str, str] | None = None      # every page file's digest, from the child
        context = multiprocessing.get_context("fork")
        self.conn, child_end = context.Pipe(duplex=False)
        self.proc = context.Process(target=_build_child, args=(paths, child_end, inp), name="site-build")
        self.proc.start()
        child_end.close()
        try:
            datasets, events = figure_pages.load(paths.data)
        except BuildError:
            return                        # the child reports it, with the rest of the build
        self.drawing = figure_pages.Prerender(datasets, events, paths.cache / "figures", separate=True)

    def pages(self) -> Output:
        if self.output is None:
            _, nav, words, fingerprint, file_digests = self._receive()
            self.output = Output(nav=nav, words=words, fingerprint=fingerprint)
            self.digests = file_digests
            self.proc.join()
            self.proc = None
        return self.output

    def finish(self) -> list[str]:
        from . import cache
        output = self.pages()
        drawn = self.drawing.finish() if self.drawing is not None else {}
        self.drawing = None
        if self.digests is None:          # the child found the build up to date
            return []
        for rel, data in sorted(drawn.items()):
            write_if_changed(self.paths.docs / rel, data)
            self.digests[rel] = cache.sha(data)
        cache.save_manifest(self.paths, output.fingerprint, self.digests, output.nav, output.words)
        return sorted(drawn)

    def cancel(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.join()
            self.proc = None
        if self.drawing is not None:
            self.drawing.cancel()
            self.drawing = None

    def _receive(self) -> tuple:
        try:
            message = self.conn.recv()
        except EOFError:
            self.proc.join()
            code = self.proc.exitcode
            self.cancel()
            raise BuildError("scripts/build.py", f"the build process stopped unexpectedly (exit code {code})",
                             None, "run `python -m scripts build` to see the error") from None
        if message[0] == "error":
            self.cancel()
            raise BuildError(*message[1:])
        return message


def _build_child(paths: Paths, conn, inp=None) -> None:
    from . import cache
    try:
        output = build(paths, draw=False, inp=inp)
        conn.send(("pages", output.nav, output.words, output.fingerprint,
                   None if output.cached else cache.digests(output.files)))
    except BuildError as exc:
        conn.send(("error", str(exc.path), exc.message, exc.line, exc.remedy))
    except BaseException:
        import traceback
        conn.send(("error", "scripts/build.py", "the build failed: " + traceback.format_exc().strip().splitlines()[-1],
                   None, "run `python -m scripts build` for the full traceback"))
    finally:
        conn.close()
