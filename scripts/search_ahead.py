"""Material's search index of a one-off build, made beside MkDocs' rendering instead of inside it.

Material's search plugin indexes each page as MkDocs renders it (`on_page_context`): it divides the
page's HTML into sections and cuts their Chinese into words, a third of MkDocs' own work on our
pages, one page after the other on one core. Yet every page's HTML is final before rendering begins
(`on_env`). So `IndexAhead` forks a worker (scripts/workers.py) that indexes every page there and
then, with the plugin's own index class, configuration, parser and segmenter, while MkDocs renders
on the other core. Meanwhile the plugin's index only holds a place for each page whose HTML (and
title, address, table of contents, search and tags settings) is still what the worker was given;
before the plugin writes the index (`on_post_build`), `fill` puts the worker's entries in those
places, in the order the pages were rendered. A page that has changed since (another plugin's
`on_page_context`) is indexed at once, as without this module; if the worker fails, its pages are
indexed here from the HTML it was given, so an error in a page is raised as Material would raise
it. The index is the same, entry for entry (tests/test_ahead.py).
It relies on Material's index keeping its entries in a list filled by `add_entry_from_context(page)`
(mkdocs-material 9.8.1); where the installed index is not like that (`applies`), the plugin indexes
as it renders, as without this module.
"""
from __future__ import annotations

from typing import NamedTuple

from . import workers


class _Place(NamedTuple):
    """Where a page's entries go in the index: the page's number among those sent to the worker."""
    number: int


def applies(index) -> bool:
    """Whether Material's search index `index` is one this module can fill ahead."""
    return isinstance(getattr(index, "entries", None), list) and isinstance(getattr(index, "config", None), dict) \
        and callable(getattr(type(index), "add_entry_from_context", None))


class IndexAhead:
    """Index `pages` in a worker for the search plugin's `index` (a Material `SearchIndex`), whose
    `add_entry_from_context` holds places for them until `fill()`; `cancel()` stops the worker and
    gives the index its own method back."""

    def __init__(self, index, pages):
        self.index = index
        self.pages = list(pages)
        self.sent = {id(p): (n, _indexed(p)) for n, p in enumerate(self.pages)}
        self.job = workers.Worker(index_pages, type(index), index.config, self.pages, name="search index")
        index.add_entry_from_context = self._hold          # this index only; the class is untouched

    def _hold(self, page) -> None:
        sent = self.sent.get(id(page))
        if sent is not None and _indexed(page) == sent[1]:
            self.index.entries.append(_Place(sent[0]))
        else:
            type(self.index).add_entry_from_context(self.index, page)

    def fill(self) -> None:
        """Wait for the worker and put its entries in the places held (or index those pages here
        if it failed); the index takes back its own method."""
        self._release()
        try:
            made = self.job.result()
        except Exception:                 # noqa: BLE001 — redone here, where a page's error is raised as Material raises it
            made = None
        entries = []
        for item in self.index.entries:
            if not isinstance(item, _Place):
                entries.append(item)
            elif made is not None:
                entries += made[item.number]
            else:
                entries += self._index_here(item.number)
        self.index.entries = entries

    def cancel(self) -> None:
        """Stop the worker (killed and reaped); the index takes back its own method."""
        self._release()
        self.job.cancel()

    def _release(self) -> None:
        self.index.__dict__.pop("add_entry_from_context", None)

    def _index_here(self, number: int) -> list:
        page, (_, (content, *_)) = self.pages[number], self.sent[id(self.pages[number])]
        held, now = self.index.entries, page.content
        self.index.entries, page.content = [], content
        try:
            type(self.index).add_entry_from_context(self.index, page)
            return self.index.entries
        finally:
            self.index.entries, page.content = held, now


def _indexed(page) -> tuple:
    """What Material's index reads of a page: its HTML, title, address, table of contents (the
    same object) and the search and tags settings of its meta."""
    meta = page.meta or {}
    return (page.content, page.title, page.url, id(page.toc), repr(meta.get("search")), repr(meta.get("tags")))


def index_pages(index_class, config: dict, pages) -> list[list[dict]]:
    """The worker: each page's search entries, made by a fresh `index_class(**config)`."""
    import gc
    gc.freeze()                   # what MkDocs holds is not this process's to collect
    index, out = index_class(**config), []
    for page in pages:
        index.entries = []
        index.add_entry_from_context(page)
        out.append(index.entries)
    return out
