"""Figures on the site: the Figures and Timeline pages, figures placed in their articles, CSV downloads.

Every point and event is traced to the segment whose text holds its quote, so captions link to the
paragraphs a figure draws on. SVGs are cached by the hash of their data, of the drawing code and of the font.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import NamedTuple
from pathlib import Path

from . import figures, fonts
from . import html as h
from . import workers
from .cache import Cache, sha
from .errors import BuildError
from .annotate.words import names_pattern
from .figures import hant
from .paths import atomic_write, write_if_changed

_CODE_HASH = hashlib.sha256((figures.code_digest() + fonts.digest()).encode()).hexdigest()[:16]


def _memory() -> dict[str, bytes]:
    """Drawn SVGs kept by this process, by cache key."""
    return Cache.memory.svgs


def article_keys(article) -> tuple[str, ...]:
    """Data files name an article by its seed stem or the stem's prefix before '_' (000)."""
    stem = article.seed.stem
    return (stem, stem.split("_", 1)[0], article.slug)


def cached_svg(key_source: bytes, draw, cache_dir: Path) -> bytes:
    """An SVG by the digest of its source and the drawing code: from memory, from
    .cache/build/figures, or drawn now and kept in both."""
    key = _svg_key(key_source)
    memory = _memory()
    if key in memory:
        return memory[key]
    path = cache_dir / f"{key}.svg"
    if path.exists():
        data = path.read_bytes()
    else:
        data = draw()
        atomic_write(path, data)
    memory[key] = data
    return data


def cache_file(source: bytes, cache_dir: Path) -> Path:
    """Where .cache/build/figures keeps the drawing of this cache source."""
    return cache_dir / f"{_svg_key(source)}.svg"


class Source(NamedTuple):
    """The paragraph a figure's data point or a timeline event comes from, as a reader cites it."""
    slug: str
    seg: str
    title: str
    paragraph: int          # ¶ number in its article
    outlet: str
    published: str
    outlet_zh: str = ""


def cite_sources(sources, root: str) -> str:
    """'Securities Times, July 23, 2023, ¶3, ¶5; …': outlet, date and ¶ links per article, no internal ids."""
    from .render import human_date
    by_article: dict[str, list] = {}
    for s in sources:
        by_article.setdefault(s.slug, []).append(s)
    parts = []
    for slug, items in by_article.items():
        first = items[0]
        paras = ", ".join(f'<a href="{root}articles/{slug}/#{s.seg}">¶{s.paragraph}</a>'
                          for s in sorted(items, key=lambda s: s.paragraph))
        when = f", {h.text(human_date(first.published))}" if first.published else ""
        parts.append(f'<span title="{h.attr(first.title)}">{h.text(first.outlet or first.title)}</span>{when}, {paras}')
    return "; ".join(parts)


@dataclass
class Placed:
    """Where figures and events sit: quote -> (article slug, segment id)."""
    datasets: list
    events: list
    sources: dict = field(default_factory=dict)       # dataset id -> [(slug, seg, title)]
    credits: dict = field(default_factory=dict)       # dataset id -> [(Source, figures.Credit)]
    event_source: dict = field(default_factory=dict)  # index -> (slug, seg, title)
    after: dict = field(default_factory=dict)         # (slug, seg) -> [dataset]


def load(data_dir: Path) -> tuple[list, list]:
    """The figure datasets and the timeline events, validated (BuildError with file and line)."""
    return figures.load_datasets(data_dir / "figures"), figures.load_timeline(data_dir / "timeline.yml")


def locate(articles, datasets: list, events: list, data_dir: Path, checked: set | None = None) -> Placed:
    """Place every figure point and timeline event at the segment holding its quote (BuildError if a
    quote is not found or spans paragraphs). `checked`: digests of the article texts these datasets'
    quotes have passed `check_quotes` against (kept with the datasets, so not checked twice)."""
    by_key, texts = {}, {}
    for a in articles:
        text = "\n".join(i.segment.plain for i in a.alignment.items)
        for k in article_keys(a):
            by_key[k] = a
            texts[k] = text
    digest = hashlib.sha256(json.dumps(texts, sort_keys=True).encode("utf-8")).hexdigest()
    if checked is None or digest not in checked:
        figures.check_quotes(datasets, events, texts)
        if checked is not None:         # only the latest texts: an edit of the Chinese replaces them
            checked.clear()
            checked.add(digest)
    placed = Placed(datasets, events)
    order = {a.slug: {i.segment.id: n for n, i in enumerate(a.alignment.items)} for a in articles}

    def find(article_key: str, quote: str):
        a = by_key[article_key]
        for item in a.alignment.items:
            if quote in item.segment.plain:
                return Source(a.slug, item.segment.id, a.title_en or a.title_zh, order[a.slug][item.segment.id] + 1,
                              a.outlet_en or a.outlet_zh, a.published, a.outlet_zh)
        raise BuildError(data_dir, f"quote spans two paragraphs of {article_key}: {quote[:30]}…", None,
                         "quote from one paragraph")

    for ds in datasets:
        srcs = list(dict.fromkeys(find(p.article, p.quote) for p in ds.points))
        placed.sources[ds.id] = srcs
        slugs = {s.slug for s in srcs}
        placed.credits[ds.id] = [(find(c.article, c.quote), c) for c in ds.source]
        for where, c in placed.credits[ds.id]:
            if where.slug not in slugs:
                raise BuildError(ds.path, f"source {c.name.en!r} is credited in article {c.article}, whose numbers "
                                 "this figure does not use", c.line or None, "name the article its points quote")
        for slug in dict.fromkeys(s[0] for s in srcs):
            last = max((s for s in srcs if s[0] == slug), key=lambda s: order[slug][s[1]])
            placed.after.setdefault((slug, last[1]), []).append(ds)
    for n, ev in enumerate(events):
        placed.event_source[n] = find(ev.article, ev.quote)
    return placed


def month_year(iso: str) -> str:
    """'2023-07-23' or '2023-07' -> 'July 2023'; '2023' -> '2023'; '' -> ''.

    >>> month_year("2024-07-02"), month_year("2024"), month_year("")
    ('July 2024', '2024', '')
    """
    from .annotate.numbers import MONTHS
    parts = iso.split("-")
    return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}" if len(parts) >= 2 else iso


def paragraph_runs(numbers) -> list[tuple[int, int]]:
    """Paragraph numbers as runs: [12, 13, 5, 14, 20] -> [(5, 5), (12, 14), (20, 20)].

    >>> paragraph_runs([12, 13, 5, 14, 20])
    [(5, 5), (12, 14), (20, 20)]
    """
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [(a, b) for a, b in runs]


def paragraph_links(sources, root: str) -> str:
    """'¶12–13, ¶20' for sources of one article, each number a link to its paragraph."""
    by_number = {s.paragraph: s for s in sources}

    def link(n: int) -> str:
        s = by_number[n]
        return f'<a href="{root}articles/{h.attr(s.slug)}/#{h.attr(s.seg)}">{n}</a>'

    return ", ".join(f"¶{link(a)}" + (f"–{link(b)}" if b != a else "") for a, b in paragraph_runs(by_number))


def credit_line(ds, placed: Placed, root: str) -> str:
    """Where a figure's numbers come from, per article, as a reader cites it: 'Source: CB Insights, via
    Youdianshu (on OFweek), July 2024 · ¶6' where the article names the underlying source, 'Figures as
    reported by Cailian Press, July 2023 · ¶5–6' where it names none. No internal ids."""
    by_article: dict[str, list] = {}
    for s in placed.sources[ds.id]:
        by_article.setdefault(s.slug, []).append(s)
    named: dict[str, list] = {}
    for where, credit in placed.credits.get(ds.id, ()):
        named.setdefault(where.slug, []).append((where, credit))
    parts = []
    for slug, items in by_article.items():
        first = items[0]
        credits = named.get(slug, [])
        paragraphs = {s.paragraph for s in items} | {w.paragraph for w, _ in credits}
        outlet = f'<span title="{h.attr(first.title)}">{h.text(first.outlet or first.title)}</span>'
        via = ", ".join(x for x in (outlet, h.text(month_year(first.published))) if x)
        links = paragraph_links(items + [w for w, _ in credits], root)
        if credits:
            names = []
            for where, c in credits:
                same = "".join(c.name.zh.split()).casefold() == "".join(c.name.en.split()).casefold()
                zh = "" if same else f' <span lang="zh-Hans">{h.text(c.name.zh)}</span>'
                at = f" ({paragraph_links([where], root)})" if len(paragraphs) > 1 else ""
                names.append(h.text(c.name.en) + zh + at)
            parts.append(f'Source: {" and ".join(names)}, via {via} · {links}')
        else:
            parts.append(f"Figures as reported by {via} · {links}")
    return "; ".join(parts)


# Below this width the page shows a chart's narrow drawing (figures.NARROW): at 640 CSS px the wide
# one's labels would be drawn at about 10 px. "screen": a printed page always gets the wide drawing.
NARROW_MEDIA = "screen and (max-width: 40em)"


def figure_html(ds, placed: Placed, root: str) -> str:
    """A figure with its caption, its source line (credit_line), CSV link and a link to the Figures
    page; `root` leads to the site root. The chart is a <picture>: the narrow drawing on a phone's
    screen, the wide one elsewhere and in print. The link opens the wide drawing on every device: on
    a phone the narrow one is already shown at its full size, and the wide one, opened alone, can be
    zoomed (and read in landscape) with the detail of the desktop layout."""
    svg = f"{root}assets/figures/{ds.id}.svg"
    narrow = f"{root}assets/figures/narrow/{ds.id}.svg"
    return (f'<figure class="bm-figure" id="fig-{ds.id}">\n'
            f'<a class="bm-figure-full" href="{svg}" title="Open the chart full size"><picture>'
            f'<source media="{NARROW_MEDIA}" srcset="{narrow}" type="image/svg+xml">'
            f'<img src="{svg}" alt="{h.attr(ds.alt)}" loading="lazy"></picture></a>\n'
            f'<figcaption><strong><span lang="zh-Hans">{h.text(ds.title.zh)}</span> · {h.text(ds.title.en)}</strong><br>\n'
            f'{h.text(ds.caption.en)} <span lang="zh-Hans">{h.text(ds.caption.zh)}</span><br>\n'
            f'<span class="bm-figure-source">{credit_line(ds, placed, root)}.</span> '
            f'<a href="{root}data/figures/{ds.id}.csv" download>Data (CSV)</a> · '
            f'<a href="{root}figures/#fig-{ds.id}">All figures</a></figcaption>\n</figure>')


def _draw(job) -> list[bytes]:
    """One drawing job: the Simplified SVG, then its Traditional variants (figures.hant), in
    VARIANTS order. The variants are rewrites of the drawing, not drawings: they cost milliseconds."""
    kind, payload, names = job
    draw = {"timeline": figures.render_timeline_svg, "timeline-narrow": figures.render_narrow_timeline_svg,
            "narrow": figures.render_narrow_svg}.get(kind, figures.render_svg)
    svg = draw(payload)
    what = f"figure {getattr(payload, 'id', 'timeline')}"
    names_re = names_pattern(names)
    text = svg.decode("utf-8")
    return [svg] + [hant.variant(text, std, names_re, what).encode("utf-8") for std in hant.STANDARDS]


# Where each drawing goes: the Simplified one at assets/figures/REST, each Traditional one at
# assets/figures/STD/REST (bm.js swaps the folder when a reader chooses 繁·台 or 繁·港).
VARIANTS = ("",) + tuple(f"{std}/" for std in hant.STANDARDS)
FIGURES_DIR = "assets/figures/"


def _variant_rels(rel: str) -> list[str]:
    """assets/figures/x.svg -> [it, assets/figures/tw/x.svg, assets/figures/hk/x.svg]."""
    rest = rel[len(FIGURES_DIR):]
    return [FIGURES_DIR + v + rest for v in VARIANTS]


def _key_source(kind: str, payload) -> bytes:
    if kind.startswith("timeline"):
        data = repr(payload).encode()
    else:
        data = payload.path.read_bytes() if payload.path.exists() else payload.id.encode()
    return b"narrow\0" + data if kind.endswith("narrow") else data


def _variant_sources(source: bytes, names: tuple[str, ...]) -> list[bytes]:
    """The cache sources of a job's outputs in VARIANTS order: the variants also depend on the names
    (converted by character)."""
    named = "\n".join(names).encode("utf-8")
    return [source] + [b"hant\0" + v.encode() + b"\0" + named + b"\0" + source for v in VARIANTS[1:]]


def _svg_key(source: bytes) -> str:
    return hashlib.sha256(source + _CODE_HASH.encode()).hexdigest()[:24]


def _cached(source: bytes, cache_dir: Path) -> bytes | None:
    key = _svg_key(source)
    if key in _memory():
        return _memory()[key]
    path = cache_dir / f"{key}.svg"
    return path.read_bytes() if path.exists() else None


def names(data_dir: Path) -> tuple[str, ...]:
    """The who's who name forms the Traditional drawings convert by character (figures.hant)."""
    return hant.name_forms(data_dir / "entities.yml")


def _jobs(datasets: list, events: list, names: tuple[str, ...] = ()) -> list[tuple[list[str], tuple, list[bytes]]]:
    """(output paths, drawing job, cache sources) for every drawing; the timeline, the longest to
    draw, first; each chart twice, wide and narrow (for phones: narrow/ID.svg), as separate jobs,
    so workers draw them in parallel. Each job's outputs: the drawing and its Traditional variants."""
    plan = [("assets/figures/timeline.svg", ("timeline", events)),
            ("assets/figures/narrow/timeline.svg", ("timeline-narrow", events))] if events else []
    for ds in datasets:
        plan += [(f"assets/figures/{ds.id}.svg", ("figure", ds)), (f"assets/figures/narrow/{ds.id}.svg", ("narrow", ds))]
    return [(_variant_rels(rel), (kind, payload, names), _variant_sources(_key_source(kind, payload), names))
            for rel, (kind, payload) in plan]


class Prerender:
    """Draw the figures missing from the cache in worker processes forked from this one while the
    build goes on (matplotlib is single-threaded; the build itself needs one core), at low priority.
    (A one-off `mkdocs build` draws in a process of its own instead: scripts/background.py.)

    `missing` lists the SVGs not in the cache (by output path); `finish()` waits for them, caches
    them and returns them by output path; `cancel()` stops the drawing.
    With start=False nothing is drawn (the caller leaves them to another process)."""

    def __init__(self, datasets: list, events: list, cache_dir: Path, start: bool = True, names: tuple[str, ...] = ()):
        import os
        self.cache_dir, self.job, self.todo = cache_dir, None, []
        for rels, job, sources in _jobs(datasets, events, names):
            if any(_cached(src, cache_dir) is None for src in sources):
                self.todo.append((rels, job, sources))
        processes = min(len(self.todo), os.cpu_count() or 1)
        if not start or len(self.todo) < 2 or processes < 2:
            return
        try:
            self.job = workers.parallel(_draw, [job for _, job, _ in self.todo], processes,
                                        name="figure drawing", nice=10)
        except OSError:
            self.job = None                   # no worker processes here: finish() draws in this process

    @property
    def missing(self) -> set[str]:
        """Output paths of the SVGs this drawing makes."""
        return {rel for rels, _, _ in self.todo for rel in rels}

    def cancel(self) -> None:
        """Stop drawing: the workers are killed and reaped; nothing is cached."""
        job, self.job = self.job, None
        if job is not None:
            job.cancel()

    def finish(self) -> dict[str, bytes]:
        """Wait for the drawings (or draw here if no worker runs); cache them; SVG bytes by output path."""
        try:
            drawn = self.job.result() if self.job is not None else [_draw(job) for _, job, _ in self.todo]
        except BaseException:
            self.cancel()
            raise
        self.job = None
        out = {}
        for (rels, _, sources), svgs in zip(self.todo, drawn):
            for rel, source, svg in zip(rels, sources, svgs):
                out[rel] = cached_svg(source, lambda svg=svg: svg, self.cache_dir)
        return out


def _draw_apart(jobs: list, processes: int, join=None) -> list[list[bytes]]:
    """The drawing process of a one-off build (`plan_and_draw`): matplotlib loaded once, then every
    drawing made here when `processes` is under 2 (with one worker forked to help once `join()` says
    a core is free: `workers.Shared`), else a first drawing of each kind made here
    (`_first_drawings`) and the rest by `processes` workers forked from here. Work is shared out by
    chart, its wide and narrow drawings together (`_together`: the strings they share are shaped
    once). A process's first drawing costs three times the next (lazy imports, OpenCC's converters:
    `hant.warm_up`, the fonts opened, the house's recurring strings shaped): made here, it is paid
    once and every worker inherits it."""
    figures.warm_up()
    hant.warm_up()
    if processes < 2 and join is None:
        return [_draw(job) for job in jobs]
    done = {} if processes < 2 else {i: _draw(jobs[i]) for i in _first_drawings(jobs)}
    groups = _together(jobs, skip=set(done))
    shares = [[jobs[i] for i in g] for g in groups]
    run = (workers.Shared(_draw_group, shares, join, name="figure drawing") if processes < 2
           else workers.parallel(_draw_group, shares, processes, name="figure drawing"))
    for group, svgs in zip(groups, run.result()):
        done.update(zip(group, svgs))
    return [done[i] for i in range(len(jobs))]


def plan_and_draw(data_dir: Path, cache_dir: Path, processes: int, docs: Path, join=None) -> list:
    """The drawing process of a one-off build (scripts/background.py): read the figure data, find the
    drawings the cache lacks, draw them (`_draw_apart`, with `processes` workers, or here with one
    helper once `join()` is true), write each output into `docs` from memory, and then cache them;
    each output's path and digest (`background.Drawn`)."""
    import gc

    from .background import Drawn
    gc.freeze()                   # what the build had loaded is not this process's to collect
    gc.set_threshold(*workers.BATCH_GC)
    datasets, events = load(data_dir)
    todo = [(rels, job, sources) for rels, job, sources in _jobs(datasets, events, names(data_dir))
            if any(_cached(src, cache_dir) is None for src in sources)]
    if not todo:
        return []
    drawn = _draw_apart([job for _, job, _ in todo], processes, join)
    out = []
    for (rels, _, sources), svgs in zip(todo, drawn):
        for rel, src, svg in zip(rels, sources, svgs):
            write_if_changed(docs / rel, svg)
            out.append(Drawn(rel, sha(svg)))
    # cached only once in docs/: the page build writes into docs/ a drawing it finds in the cache
    # (and clears a temporary file beside it), so it must never find one this process is writing.
    # The cache keeps files of its own: the site's figures are links to docs/'s, and MkDocs, asked
    # to build into a site/ it has not cleaned (--dirty), writes into the files it finds there.
    for (rels, _, sources), svgs in zip(todo, drawn):
        for src, svg in zip(sources, svgs):
            atomic_write(cache_file(src, cache_dir), svg)
    return out


def _draw_group(jobs: list) -> list[list[bytes]]:
    """`_draw` of each job, in order: a worker's share of `_draw_apart`."""
    return [_draw(job) for job in jobs]


def _together(jobs: list, skip: set[int] = frozenset()) -> list[list[int]]:
    """The indices of `jobs` (but `skip`) grouped by what they draw, in order of first appearance:
    a chart's wide and narrow drawings, the two timelines.

    >>> a, b = object(), object()
    >>> _together([("timeline", a, ()), ("timeline-narrow", a, ()), ("figure", b, ()), ("narrow", b, ())], {2})
    [[0, 1], [3]]
    """
    groups: dict[int, list[int]] = {}
    for i, (_, payload, _) in enumerate(jobs):
        if i not in skip:
            groups.setdefault(id(payload), []).append(i)
    return list(groups.values())


def _first_drawings(jobs: list) -> list[int]:
    """The index of the first job of each kind of chart drawing (wide, narrow): what `_draw_apart`
    draws before it forks. The timelines are left to the workers (their text is SVG text: they
    warm nothing the charts use).

    >>> _first_drawings([("timeline", 0, ()), ("figure", 1, ()), ("narrow", 1, ()), ("figure", 2, ())])
    [1, 2]
    """
    first: dict[str, int] = {}
    for i, (kind, _, _) in enumerate(jobs):
        if kind in ("figure", "narrow"):
            first.setdefault(kind, i)
    return sorted(first.values())


def files(placed: Placed, cache_dir: Path, skip: set[str] = frozenset(), names: tuple[str, ...] = ()) -> dict[str, str | bytes]:
    """Every figure's SVG (from the cache, or drawn now) and its Traditional variants, and every CSV,
    by output path; `skip` leaves out SVGs that are still being drawn."""
    out: dict[str, str | bytes] = {}
    for rels, job, sources in _jobs(placed.datasets, placed.events, names):
        if rels[0] in skip:
            continue
        found = [_cached(src, cache_dir) for src in sources]
        if any(f is None for f in found):
            drawn = _draw(job)
            found = [cached_svg(src, lambda svg=svg: svg, cache_dir) for src, svg in zip(sources, drawn)]
        else:
            for src, svg in zip(sources, found):
                _memory()[_svg_key(src)] = svg
        out.update(zip(rels, found))
    for ds in placed.datasets:
        out[f"data/figures/{ds.id}.csv"] = figures.dataset_csv(ds)
    return out


def figures_page(placed: Placed, articles) -> str:
    """The Figures page: every figure, grouped under the article it draws on first."""
    parts = ["---\ntitle: Figures\n---\n", "# Figures\n",
             f'<p class="bm-lede">{len(placed.datasets)} figures drawn from the figures the articles report. '
             "Every data point cites the sentence it comes from (see each dataset's CSV), and each caption links "
             "to the paragraphs it draws on.</p>\n"]
    slug_order = [a.slug for a in articles]
    titles = {a.slug: a.title_en or a.title_zh for a in articles}
    grouped: dict[str, list] = {}
    for ds in placed.datasets:
        first = placed.sources[ds.id][0][0]
        grouped.setdefault(first, []).append(ds)
    for slug in slug_order:
        if slug not in grouped:
            continue
        parts.append(f"## {h.text(titles[slug])} {{ #from-{slug} }}\n")
        for ds in grouped[slug]:
            parts.append(figure_html(ds, placed, "../") + "\n")
    return "\n".join(parts)


def timeline_page(placed: Placed) -> str:
    """The Timeline page: the timeline chart and every event, dated and linked to its source paragraph."""
    parts = ["---\ntitle: Timeline\n---\n", "# Timeline\n",
             f'<p class="bm-lede">{len(placed.events)} dated events the articles report, each linked to its source paragraph.</p>\n']
    if placed.events:
        parts.append('<figure class="bm-figure" id="fig-timeline"><picture>'
                     f'<source media="{NARROW_MEDIA}" srcset="../assets/figures/narrow/timeline.svg" type="image/svg+xml">'
                     '<img src="../assets/figures/timeline.svg" '
                     f'alt="Timeline of {len(placed.events)} events from {placed.events[0].date[:4] if placed.events else ""} '
                     f'to {max(e.date for e in placed.events)[:7]}, as listed below." loading="lazy"></picture></figure>\n')
    rows = []
    for n, ev in sorted(enumerate(placed.events), key=lambda x: (x[1].date, x[0])):
        rows.append(f'<li id="event-{n + 1}"><time datetime="{h.attr(ev.date)}">{h.text(ev.date)}</time> '
                    f'<span lang="zh-Hans">{h.text(ev.event.zh)}</span> — {h.text(ev.event.en)} '
                    f'(source: {cite_sources([placed.event_source[n]], "../")})</li>')
    parts.append('<ol class="bm-timeline">' + "".join(rows) + "</ol>\n")
    return "\n".join(parts)
