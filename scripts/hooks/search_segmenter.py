"""MkDocs hook: Material's search cuts Chinese with rjieba, and knows the glossary's words (and
divides pages into sections with a parser that counts open tags: scripts/search_parser.py); a
one-off build indexes the pages in a worker while MkDocs renders them (scripts/search_ahead.py).

Material's search plugin cuts Chinese text into words with `jieba.cut`, calling the `jieba` module
it imported into `material.plugins.search.plugin`. This hook puts `SearchSegmenter` there instead:
rjieba, which the pipeline already uses, is jieba's algorithm and dictionary compiled, so the same
words (tests/test_hook.py checks every Chinese run of the site) without Python jieba's half-second
dictionary load; it also knows the glossary's words (from the site data the pipeline writes), so
六小虎 or 百模大战 are found whole. The replacement relies on Material's internals: if they are not
as expected, the build stops and says which Material version this was written for.
"""
from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WRITTEN_FOR = "mkdocs-material 9.8.1"   # whose search plugin calls `jieba.cut` from _segment_chinese
_HOOK = f"search segmenter (scripts/hooks/search_segmenter.py, written for {WRITTEN_FOR})"

_HAN = re.compile(r"[\u3400-\u9fff]")
_STATE: dict = {"one_off": False, "ahead": None}


class SearchSegmenter:
    """What Material's search needs of jieba (`cut`), answered by rjieba with the glossary's words."""

    def __init__(self):
        from scripts import segmenter
        self._jieba = segmenter.fresh()      # the dictionary the pipeline hook may have loaded already

    def add_words(self, words) -> None:
        """Add words (those with Chinese in them) to the dictionary, so they are found whole."""
        for form in words:
            if _HAN.search(form):
                self._jieba.add_word(form, None, None)

    def cut(self, sentence, cut_all=False, HMM=True):
        """Words of `sentence` (str, or UTF-8 bytes as Material passes them), as jieba.cut gives them."""
        if isinstance(sentence, bytes):
            sentence = sentence.decode("utf-8")
        return iter(self._jieba.cut(sentence, HMM))


@functools.lru_cache(maxsize=1)
def segmenter() -> SearchSegmenter:
    """The process's one segmenter (`serve` keeps it between rebuilds)."""
    return SearchSegmenter()


def material_search():
    """Material's search plugin module, checked to be the one this hook was written for
    (a mkdocs PluginError naming the version otherwise)."""
    from mkdocs.exceptions import PluginError
    try:
        from material.plugins.search import plugin as search
    except ImportError as exc:
        raise PluginError(f"{_HOOK}: cannot import material.plugins.search.plugin ({exc}) — install the "
                          f"pinned mkdocs-material or update the hook") from None
    index = getattr(search, "SearchIndex", None)
    if not hasattr(search, "jieba") or not callable(getattr(index, "_segment_chinese", None)):
        from importlib.metadata import PackageNotFoundError, version
        try:
            installed = version("mkdocs-material")
        except PackageNotFoundError:
            installed = "unknown"
        raise PluginError(f"{_HOOK}: material.plugins.search.plugin.jieba, which SearchIndex._segment_chinese "
                          f"calls, is not there in the installed mkdocs-material {installed} — install the "
                          f"pinned version or update the hook")
    return search


def on_config(config):
    """Load the segmenter (while the pipeline hook's build runs) and put it in Material's place;
    give Material's search the parser that counts open tags (scripts/search_parser.py) when the
    installed one is the parser it was written for."""
    search = material_search()
    if any(isinstance(p, search.SearchPlugin) for p in config.plugins.values()):
        search.jieba = segmenter()
        from scripts.search_parser import parser_class
        search.Parser = parser_class(search) or search.Parser
    return config


def on_pre_build(config):
    """Teach the segmenter the glossary's words, from the site data the pipeline wrote."""
    from scripts.cache import Cache
    from scripts.paths import Paths
    site = Cache(Paths(ROOT)).site()
    if site is not None:
        segmenter().add_words(site["search_words"])


def on_startup(command, **kwargs):
    """A one-off build (not `serve`, which renders again and again in one process) indexes ahead."""
    _STATE["one_off"] = command != "serve"


@event_priority(50)      # early: the pipeline hook's on_env then writes the figures beside the worker
def on_env(env, config, files):
    """Every page's HTML is final: index them all in a worker while MkDocs renders (one-off builds)."""
    search = sys.modules.get("material.plugins.search.plugin")
    plugin = next((p for p in config.plugins.values() if search and isinstance(p, search.SearchPlugin)), None)
    if _STATE["one_off"] and plugin is not None and plugin.config.enabled and _STATE["ahead"] is None:
        from scripts.search_ahead import IndexAhead, applies
        if not applies(getattr(plugin, "search_index", None)):
            return env
        pages = [f.page for f in files.documentation_pages() if f.page is not None and f.page.content is not None]
        try:
            _STATE["ahead"] = IndexAhead(plugin.search_index, pages)
        except OSError:
            pass                      # no worker processes here: the plugin indexes as it renders
    return env


@event_priority(100)
def on_post_build(config, **kwargs):
    """Before the search plugin writes its index: the worker's entries in their places."""
    ahead, _STATE["ahead"] = _STATE["ahead"], None
    if ahead is not None:
        ahead.fill()


def on_build_error(error, **kwargs):
    """Stop the indexing worker: nobody will use it."""
    ahead, _STATE["ahead"] = _STATE["ahead"], None
    if ahead is not None:
        ahead.cancel()
