"""MkDocs hook: run our build before MkDocs reads docs/, and give it the navigation.

Plain `mkdocs build` / `mkdocs serve` on a fresh clone therefore produce the whole site; the
`watch:` list in mkdocs.yml makes `serve` rebuild when seeds/ or data/ change. When nothing
changed, only the build cache is read (the pipeline is not even imported).

A one-off `mkdocs build` builds in the background (scripts/background.py): `on_config` starts the
figure drawing first (it reads its own data), loads jieba's dictionary once for both the page build
and the search segmenter (scripts/segmenter.py) and starts the page build; the hooks after this one
load what they need meanwhile, `on_pre_build` compiles the theme's templates (or reads Material's
compiled ones from .cache/lib: scripts/templates_ahead.py, handed to MkDocs at `on_env`) and waits
for the pages. The drawing process writes the figures into docs/ itself; the build is recorded at
`on_env` if the drawing is done by then (else at `on_post_build`), and the figures go into the site
at `on_post_build`; the workers' other files that are not pages (data, feed, figures drawn already)
at `on_files`. Each is a hard link to its file in docs/, not a copy. `serve` builds in-process, so
unchanged articles stay cached between rebuilds, and what outlives its builds is frozen out of the
cyclic collector's way after the first (`_settle`).
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mkdocs.plugins import event_priority  # noqa: E402

from scripts import html  # noqa: E402
from scripts.cache import Cache  # noqa: E402
from scripts.errors import BuildError  # noqa: E402
from scripts.paths import Paths, atomic_link  # noqa: E402

_STATE: dict = {"background": False, "job": None, "nav": None, "templates": None, "drawn": []}


def on_startup(command, **kwargs):
    """Build in the background for a one-off build, in-process for `serve`."""
    _STATE["background"] = command != "serve"


def on_config(config):
    """Start the build (or do it, for `serve`); nothing to do if no input changed."""
    paths = Paths(ROOT)
    try:
        cache = Cache(paths)
        inp = cache.inputs()
        site = cache.up_to_date(inp)
        if site is not None:
            _STATE["nav"] = site["nav"]
        elif _STATE["background"]:
            import gc

            from scripts import segmenter
            from scripts.background import BackgroundBuild
            # What MkDocs and the pipeline have loaded lives as long as this one-off build: out of the
            # cyclic collector's way, here and in the workers forked next (whose collections would
            # otherwise walk all of it, and copy every page they touch).
            gc.freeze()
            job = _STATE["job"] = BackgroundBuild(paths, inp)    # the drawing starts: it reads its own data
            segmenter.preload()     # before the next fork: the page build and the search segmenter share one load
            gc.freeze()
            job.start_pages()
        else:
            from scripts.build import build
            _STATE["nav"] = build(paths, inp=inp).nav
            _settle()
    except BuildError as exc:
        on_build_error(exc)
        _stop(exc)
    return config


def _settle() -> None:
    """Once per `serve` process, after its first build: what is alive then (the dictionaries, the
    lexicon, MkDocs' own modules: hundreds of thousands of objects that live as long as the process)
    is moved out of the cyclic collector's way, the garbage collected first. A full collection then
    walks only what later builds make, instead of pausing a rebuild that happens to trigger one for
    a sixth of a second (measured: 0.16 s of a 1.3 s rebuild)."""
    import gc
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


def on_pre_build(config):
    """Wait for the pages (docs/ complete but for figures still being drawn), compiling the theme's
    templates meanwhile (scripts/templates_ahead.py); set the navigation."""
    job = _STATE["job"]
    if job is not None:
        from scripts import templates_ahead
        _STATE["templates"] = templates_ahead.compile_ahead(config.theme.get_env(),
                                                            [templates_ahead.ENTRY, *config.theme.static_templates],
                                                            store=Paths(ROOT).lib / "jinja")
        try:
            _STATE["nav"] = job.pages().nav
        except BuildError as exc:
            on_build_error(exc)
            _stop(exc)
    config["nav"] = html.nav(_STATE["nav"])       # titles from our data, escaped once for the theme


def on_files(files, config):
    """What the workers wrote into docs/ that is not a page (data files, the feed, and the figures if
    the drawing is done) is linked into the site now, after MkDocs has cleaned it: MkDocs then finds
    each file already there as the same file and copies nothing (MkDocs lets plugins write into the
    site so), while its link checks still know every file. No bytes read or written again, no second
    file made (where the drawing ended before the pages did, MkDocs would otherwise copy its 126
    drawings, 7 MB, just before `on_post_build` links them over). A drawing still being made is left
    to `on_post_build`: what docs/ holds of it now may be the last build's."""
    job = _STATE["job"]
    if job is not None:
        pages, docs, site = job.pages(), Paths(ROOT).docs, Path(config["site_dir"])
        for rel in pages.static + (pages.drawing if job.figures_done() else ()):
            if files.get_file_from_path(rel) is not None:
                atomic_link(docs / rel, site / rel)
    return files


def on_env(env, config, files):
    """MkDocs' own environment loads the templates compiled while the pages were built; the build
    is recorded now if the drawing is done."""
    from scripts import templates_ahead
    templates_ahead.attach(env, _STATE.pop("templates", None))
    job = _STATE["job"]
    if job is not None and job.figures_done():
        _finish()
    return env


@event_priority(110)        # before the search hook fills its index (waiting for its worker)
def on_post_build(config, **kwargs):
    """The figures drawn into the site, since MkDocs collected docs/ before they existed (the
    drawing awaited and the build recorded first, if not done at on_env): each linked to its file
    in docs/ (`atomic_link`: no bytes read or written; 126 links take a millisecond where reading
    and writing them took a tenth of a second on the build's last stretch)."""
    _finish()
    drawn, _STATE["drawn"] = _STATE["drawn"], []
    docs = Paths(ROOT).docs                  # where the drawing process wrote them
    for rel in drawn:
        atomic_link(docs / rel, Path(config["site_dir"]) / rel)


def _finish() -> None:
    """Wait for the drawing and record the build (`BackgroundBuild.finish`)."""
    job, _STATE["job"] = _STATE["job"], None
    if job is None:
        return
    try:
        _STATE["drawn"] = job.finish()
    except BuildError as exc:
        _stop(exc)


def on_build_error(error, **kwargs):
    """Stop the background build: nobody will use it."""
    _STATE["drawn"] = []
    job, _STATE["job"] = _STATE["job"], None
    if job is not None:
        job.cancel()


def _stop(exc: BuildError):
    from mkdocs.exceptions import Abort
    raise Abort(f"Build stopped: {exc}") from None
