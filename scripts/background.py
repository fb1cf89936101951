"""A one-off build (`mkdocs build`) in two workers beside MkDocs' own work (scripts/workers.py).

The MkDocs process only starts them: each worker imports the code it runs itself (named as
"module:function"), so the MkDocs process loads neither the pipeline nor the drawing code before
they start, and they start as early as they can.

- The drawing (`Drawing`), started first, at low priority and in a session of its own: it reads the
  figure data, finds the drawings the figure cache lacks, draws and caches them
  (figure_pages.plan_and_draw), and goes on while MkDocs renders. It reports where each drawing is
  in the cache; `finish()` reads them from there.
- The page build (`BackgroundBuild.start_pages`), started once the caller has loaded what both it
  and the MkDocs process use (jieba's dictionary, scripts/segmenter.py): it writes docs/ without the
  drawings (build.build_pages) and exits without tearing down the dictionaries it loaded.

`pages()` waits for the pages; `finish()` for the figures, writes them into docs/ and records the
build; `cancel()` stops both. A worker's exception is raised here, and any exception here cancels
both. (`mkdocs serve` builds in its own process, where unchanged articles stay cached.)
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from . import workers
from .cache import Cache, sha
from .paths import Paths, write_if_changed

PAGES = "scripts.build:build_pages"
DRAWING = "scripts.figure_pages:plan_and_draw"


class Pages(NamedTuple):
    """What the page build tells the MkDocs process."""
    nav: list
    words: list
    fingerprint: str


class Drawn(NamedTuple):
    """One new drawing, as the drawing process reports it: the SVG itself stays in the cache, where
    `finish()` reads it (no megabytes through a pipe). Defined here, with what the MkDocs process
    already loads, so reading the report loads none of the drawing code."""
    rel: str                # its output path, under docs/
    cached: Path            # its file in .cache/build/figures


class Drawing:
    """The figures the cache lacks, drawn in a process of their own (`DRAWING`): alone on two cores
    (the build holds the other), with workers of its own on more; drawn in this process at
    `result()` where there is one core or no process can be started."""

    def __init__(self, paths: Paths):
        self.paths, self.cache_dir, self.job = paths, Cache(paths).figures, None
        processes = os.cpu_count() or 1
        if processes >= 2:
            try:
                self.job = workers.Worker(DRAWING, paths.data, self.cache_dir, processes - 1,
                                          name="figure drawing", nice=10, session=True)
            except OSError:
                self.job = None

    def done(self) -> bool:
        """Whether `result()` would not wait."""
        return self.job is None or self.job.done()

    def result(self) -> list[Drawn]:
        """The new drawings, cached already (`Drawn`: output path, cache file)."""
        job, self.job = self.job, None
        return job.result() if job is not None else workers.resolve(DRAWING)(self.paths.data, self.cache_dir, 1)

    def cancel(self) -> None:
        """Stop drawing (the process and its workers killed and reaped)."""
        job, self.job = self.job, None
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
                nav, words, fingerprint, self.digests = self.job.result()
            except BaseException:
                self.cancel()
                raise
            self.job = None
            self.output = Pages(nav, words, fingerprint)
        return self.output

    def figures_done(self) -> bool:
        """Whether `finish()` would not wait for the drawing."""
        return self.drawing is None or self.drawing.done()

    def finish(self) -> dict[str, bytes]:
        """Wait for the figures, write them from the cache into docs/ and record the build; the
        figures drawn, by path. All are read before any is written: creating each file in docs/
        right after reading its twin, which the drawing process has just written, cost three to six
        times as much (measured in cold builds, ext4)."""
        output = self.pages()
        try:
            drawn = self.drawing.result() if self.drawing is not None else []
        except BaseException:
            self.cancel()
            raise
        self.drawing = None
        if self.digests is None:          # the worker found the build up to date
            return {}
        svgs = {d.rel: d.cached.read_bytes() for d in sorted(drawn)}
        for rel, data in svgs.items():
            write_if_changed(self.paths.docs / rel, data)
            self.digests[rel] = sha(data)
        Cache(self.paths).save_manifest(output.fingerprint, self.digests)
        return svgs

    def cancel(self) -> None:
        """Stop both workers (killed and reaped); nothing more is written."""
        job, self.job = self.job, None
        drawing, self.drawing = self.drawing, None
        if job is not None:
            job.cancel()
        if drawing is not None:
            drawing.cancel()
