"""Work the one-off build does ahead of MkDocs or beside it, which must not change a byte: the
theme's compiled templates kept in .cache/lib (scripts/templates_ahead.py) and Material's search
index made in a worker while MkDocs renders (scripts/search_ahead.py)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from scripts import search_ahead, templates_ahead
from tests.test_speedups import _compiles

ROOT = Path(__file__).resolve().parent.parent

THEME = {
    "base.html": "<title>{{ title | upper }}</title>{% block body %}{% endblock %}",
    "main.html": "{% extends 'base.html' %}{% block body %}{% for x in items %}<li>{{ x | e }}</li>{% endfor %}"
                 "{% include 'partials/foot.html' %}{% endblock %}",
    "partials/foot.html": "<footer>{{ note | default('none') }}</footer>",
}
CONTEXT = {"title": "t<", "items": ["<a>", "b"]}


def _env(root: Path) -> jinja2.Environment:
    for name, text in THEME.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        if not (root / name).exists():
            (root / name).write_text(text, encoding="utf-8")
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(root)), auto_reload=False)


def _render(root: Path, cache) -> str:
    env = _env(root)
    assert templates_ahead.attach(env, cache)
    return env.get_template("main.html").render(CONTEXT)


# ---------------------------------------------------------------- compiled templates kept

def test_stored_templates_are_read_back_instead_of_compiled_and_render_the_same(tmp_path, monkeypatch):
    store, theme = tmp_path / "store", tmp_path / "theme"
    first = templates_ahead.compile_ahead(_env(theme), ["main.html"], store=store, keep=lambda f: True)
    assert len(list(store.glob("*.code"))) == 3
    seen = _compiles(monkeypatch)
    again = templates_ahead.compile_ahead(_env(theme), ["main.html"], store=store, keep=lambda f: True)
    assert seen == []                                  # all three read back, and what they name
    assert sorted(again.codes) == sorted(first.codes)
    page = _render(theme, again)
    assert seen == []
    monkeypatch.undo()
    assert page == _env(theme).get_template("main.html").render(CONTEXT) == \
        "<title>T<</title><li>&lt;a&gt;</li><li>b</li><footer>none</footer>"


def test_an_edited_or_damaged_stored_template_is_compiled_again_and_unused_ones_removed(tmp_path, monkeypatch):
    store, theme = tmp_path / "store", tmp_path / "theme"
    templates_ahead.compile_ahead(_env(theme), ["main.html"], store=store, keep=lambda f: True)
    stale = set(store.glob("*.code"))
    (theme / "partials" / "foot.html").write_text("<footer>edited</footer>", encoding="utf-8")
    for p in stale:                                    # every stored file damaged, one way or another
        p.write_bytes(b"" if "0" in p.name[:4] else b"\x00garbage")
    seen = _compiles(monkeypatch)
    cache = templates_ahead.compile_ahead(_env(theme), ["main.html"], store=store, keep=lambda f: True)
    assert sorted(seen) == ["base.html", "main.html", "partials/foot.html"]
    assert _render(theme, cache).endswith("<footer>edited</footer>")
    assert len(list(store.glob("*.code"))) == 3 and set(store.glob("*.code")) != stale   # the edited one's old file is gone


def test_only_installed_templates_are_stored():
    """Material's templates are the same for every project; the project's own (overrides/) are not kept."""
    import material
    assert templates_ahead.installed(str(Path(material.__file__).parent / "templates" / "main.html"))
    assert not templates_ahead.installed(str(ROOT / "overrides" / "main.html"))


def test_the_site_s_theme_compiles_from_the_store_with_nothing_left_to_compile(tmp_path, monkeypatch):
    from mkdocs.config import load_config
    cfg = load_config(str(ROOT / "mkdocs.yml"))
    names = [templates_ahead.ENTRY, *cfg.theme.static_templates]
    first = templates_ahead.compile_ahead(cfg.theme.get_env(), names, store=tmp_path)
    stored = len(list(tmp_path.glob("*.code")))
    assert stored >= 30 and stored == len(first.codes) - 1      # all but overrides/main.html
    seen = _compiles(monkeypatch)
    again = templates_ahead.compile_ahead(cfg.theme.get_env(), names, store=tmp_path)
    assert seen == ["main.html"] and sorted(again.codes) == sorted(first.codes)


# ---------------------------------------------------------------- the search index made ahead

class _Page:
    def __init__(self, n: int, html: str):
        from mkdocs.structure.toc import get_toc
        self.content, self.url, self.title, self.meta = html, f"p{n}/", f"Page {n}", {}
        self.toc = get_toc([])


def _pages() -> list:
    return [_Page(n, f'<h1 id="t{n}">标题{n}</h1><p>百模大战 {n} <b>六小虎</b></p><h2 id="s{n}">Section</h2><p>text {n}</p>')
            for n in range(6)]


def _index():
    from material.plugins.search.plugin import SearchIndex
    return SearchIndex(lang=["en"], separator=r"[\s\-]+", pipeline=[], fields={})


def _directly(pages) -> list:
    index = _index()
    for page in pages:
        index.add_entry_from_context(page)
    return index.entries


def test_entries_made_ahead_fill_their_places_in_the_order_pages_are_rendered():
    pages = _pages()
    index = _index()
    ahead = search_ahead.IndexAhead(index, pages)
    order = [pages[3], pages[0], pages[5], pages[1]]   # rendered in another order; two pages never
    pages[5].content = pages[5].content.replace("Section", "Changed")  # changed after it was sent: indexed at once
    pages[0].title = "Retitled"                                      # so is a page given another title
    for page in order:
        index.add_entry_from_context(page)
    assert sum(isinstance(e, dict) for e in index.entries) == 4        # pages 5's and 0's two sections each, so far
    ahead.fill()
    assert index.entries == _directly(order)
    assert "add_entry_from_context" not in vars(index)


def test_a_failing_worker_leaves_its_pages_to_be_indexed_here(monkeypatch):
    def broken(*args):
        raise RuntimeError("worker broke")
    monkeypatch.setattr(search_ahead, "index_pages", broken)
    pages = _pages()
    index = _index()
    ahead = search_ahead.IndexAhead(index, pages)
    for page in pages:
        index.add_entry_from_context(page)
    pages[2].content = "<p>changed after rendering</p>"     # indexed as it was sent, as Material would have
    ahead.fill()
    assert index.entries == _directly(_pages())


def test_a_cancelled_index_gets_its_own_method_back():
    index = _index()
    ahead = search_ahead.IndexAhead(index, _pages())
    ahead.cancel()
    assert "add_entry_from_context" not in vars(index)
    index.add_entry_from_context(_pages()[0])
    assert index.entries == _directly(_pages()[:1])


def test_the_site_s_index_made_ahead_is_the_one_material_makes_while_rendering(built_project, tmp_path):
    """`mkdocs build` (built_project) indexes in a worker; an in-process build that does not, as `serve`
    does not, gives the same search_index.json, byte for byte."""
    site = tmp_path / "site"
    code = ("from mkdocs.config import load_config; from mkdocs.commands.build import build\n"
            f"cfg = load_config('mkdocs.yml', site_dir={str(site)!r})\n"
            "cfg.plugins.on_startup(command='serve', dirty=False)\nbuild(cfg)\n")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)
    r = subprocess.run([sys.executable, "-c", code], cwd=built_project, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    ours = (built_project / "site" / "search" / "search_index.json").read_bytes()
    assert (site / "search" / "search_index.json").read_bytes() == ours
    assert len(json.loads(ours)["docs"]) > 100


def test_an_index_unlike_material_s_is_left_to_index_as_it_renders():
    """search_ahead.applies: only Material's kind of index (entries in a list, its configuration,
    add_entry_from_context) is filled ahead; anything else indexes as it renders."""
    class Other:
        config: dict = {}
        entries = ()                                   # not a list

        def add_entry_from_context(self, page):
            pass
    assert search_ahead.applies(_index())
    assert not search_ahead.applies(Other()) and not search_ahead.applies(None)
    Other.entries = []
    assert search_ahead.applies(Other())
    del Other.add_entry_from_context
    assert not search_ahead.applies(Other())
