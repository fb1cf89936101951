"""A one-off build (`mkdocs build`) in two workers beside MkDocs' own work (scripts/workers.py).

The MkDocs process only starts them: each worker imports the code it runs itself (named as
"module:function"), so the MkDocs process loads neither the pipeline nor the drawing code before
they start, and they start as early as they can.

- The drawing (`Drawing`), started first, at low priority and in a session of its own: it reads the
  figure data, finds the drawings the figure cache lacks, draws them, writes them into docs/ and
  then caches them (figure_pages.plan_and_draw), and goes on while MkDocs renders. It reports each
  drawing's path and digest, not its bytes.
  On two cores it forks a helper once the page build is done (`Drawing.core_free`): the two share
  what is left to draw (`workers.Shared`) while MkDocs renders.
- The page build (`BackgroundBuild.start_pages`), started once the caller has loaded what both it
  and the MkDocs process use (jieba's dictionary, scripts/segmenter.py): it writes docs/ without the
  drawings (build.build_pages) and exits without tearing down the dictionaries it loaded.

`pages()` waits for the pages; `finish()` for the figures, and records the build; `cancel()` stops
both. A worker's exception is raised here, and any exception here cancels both. (`mkdocs serve`
builds in its own process, where unchanged articles stay cached.)
"""
from __future__ import annotations

import os
from typing import NamedTuple

from . import workers
from .cache import Cache
from .paths import Paths

PAGES = "scripts.build:build_pages"
DRAWING = "scripts.figure_pages:plan_and_draw"


class Pages(NamedTuple):
    """What the page build tells the MkDocs process."""
    nav: list
    words: list
    fingerprint: str
    static: tuple = ()      # the files it wrote into docs/ that are not pages (data, feed, figures found cached)
    drawing: tuple = ()     # the figures the drawing process makes (paths under docs/), not in docs/ yet or just written


class Drawn(NamedTuple):
    """One new drawing, as the drawing process reports it once it has written it into docs/ and then
    the cache: the SVG itself stays in docs/ (no megabytes through a pipe), where the site links it.
    Defined here, with what the MkDocs process already loads, so reading the report loads none of
    the drawing code."""
    rel: str                # its output path, under docs/
    digest: str             # the digest of its bytes (cache.sha), for the build record


class Drawing:
    """The figures the cache lacks, drawn in a process of their own (`DRAWING`) and written into
    docs/: alone on two cores (the build holds the other), with workers of its own on more; drawn in
    this process at `result()` where there is one core or no process can be started."""

    def __init__(self, paths: Paths):
        self.paths, self.cache_dir, self.job, self.free = paths, Cache(paths).figures, None, None
        processes = os.cpu_count() or 1
        if processes >= 2:
            # on two cores, a helper joins the drawing once the page build has freed the other
            self.free = workers.Flag() if processes == 2 else None
            try:
                self.job = workers.Worker(DRAWING, paths.data, self.cache_dir, processes - 1, paths.docs,
                                          self.free.is_set if self.free else None,
                                          name="figure drawing", nice=10, session=True)
            except OSError:
                self.job = None
            if self.free is not None:
                self.free.forked()

    def core_free(self) -> None:
        """Tell the drawing a core is free (the page build is done): on two cores, it forks a helper
        that takes charts from its queue beside it."""
        if self.free is not None:
            self.free.set()

    def done(self) -> bool:
        """Whether `result()` would not wait."""
        return self.job is None or self.job.done()

    def result(self) -> list[Drawn]:
        """The new drawings, in docs/ and cached already (`Drawn`: output path, digest)."""
        job, self.job = self.job, None
        if self.free is not None:
            self.free.close()
        if job is not None:
            return job.result()
        return workers.resolve(DRAWING)(self.paths.data, self.cache_dir, 1, self.paths.docs)

    def cancel(self) -> None:
        """Stop drawing (the process and its workers killed and reaped)."""
        job, self.job = self.job, None
        if self.free is not None:
            self.free.close()
        if job is not None:
            job.cancel()


class BackgroundBuild:
    """The drawing, started at once, and the page build, started by `start_pages()`."""

    def __init__(self, paths: Paths, inp=None):
        self.paths, self.inp, self.output, self.job = paths, inp, None, None
        self.digests: dict[str, str] | None = None      # every page file's digest, from the worker
        self.drawing: Drawing | None = Drawing(paths)

    def start_pages(self) -> None:
        """Start the page build."""
        try:
            self.job = workers.Worker(PAGES, self.paths, self.inp, name="page build")
        except BaseException:
            self.cancel()
            raise

    def pages(self) -> Pages:
        """Wait for the pages (written to docs/ by the worker); the navigation and search words."""
        if self.output is None:
            try:
                nav, words, fingerprint, self.digests, static, drawing = self.job.result()
            except BaseException:
                self.cancel()
                raise
            self.job = None
            self.output = Pages(nav, words, fingerprint, static, drawing)
            if self.drawing is not None:
                self.drawing.core_free()
        return self.output

    def figures_done(self) -> bool:
        """Whether `finish()` would not wait for the drawing."""
        return self.drawing is None or self.drawing.done()

    def finish(self) -> list[str]:
        """Wait for the figures (in docs/ once drawn) and record the build; the output path, under
        docs/, of each figure drawn."""
        output = self.pages()
        try:
            drawn = self.drawing.result() if self.drawing is not None else []
        except BaseException:
            self.cancel()
            raise
        self.drawing = None
        if self.digests is None:          # the worker found the build up to date
            return []
        for d in drawn:
            self.digests[d.rel] = d.digest
        Cache(self.paths).save_manifest(output.fingerprint, self.digests)
        return sorted(d.rel for d in drawn)

    def cancel(self) -> None:
        """Stop both workers (killed and reaped); nothing more is written."""
        job, self.job = self.job, None
        drawing, self.drawing = self.drawing, None
        if job is not None:
            job.cancel()
        if drawing is not None:
            drawing.cancel()
