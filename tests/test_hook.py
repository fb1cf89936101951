"""The MkDocs hooks (scripts/hooks/). The raw-HTML pass-through stores finished HTML blocks in
Python-Markdown's html stash before its raw-HTML parser runs, and Markdown puts them back (a
speed-up). Both routes must give the same page: same elements, same attributes, same text and
whitespace. Only attribute order may differ (md_in_html re-sorts them). The search segmenter must cut
as Python jieba would, and stop the build if Material's search is not what it was written for."""
from __future__ import annotations

import os
import shutil
from html.parser import HTMLParser

from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config

from scripts.hooks.raw_html import RawBlocksExtension, raw_blocks

ROOT = Path(__file__).resolve().parent.parent


class _Events(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(sorted(attrs, key=lambda kv: kv[0]))))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        if self.events and self.events[-1][0] == "data":
            self.events[-1] = ("data", self.events[-1][1] + data)
        else:
            self.events.append(("data", data))

    def handle_comment(self, data):
        self.events.append(("comment", data))


def events(html: str) -> list[tuple]:
    p = _Events()
    p.feed(html)
    p.close()
    return p.events


def converter(project, *extra):
    cfg = load_config(str(project / "mkdocs.yml"))
    return markdown.Markdown(extensions=[*cfg["markdown_extensions"], *extra], extension_configs=cfg["mdx_configs"])


def both_routes(md_direct, md_lifted, text: str) -> tuple[str, str, int]:
    """The page converted without and with the pass-through, and how many blocks it stored."""
    direct = md_direct.reset().convert(text)
    via_stash = md_lifted.reset().convert(text)
    stored = sum(1 for _, lift, _ in raw_blocks(text) if lift)
    return direct, via_stash, stored


def generated_pages(project):
    docs = project / "docs"
    return sorted(p for p in docs.rglob("*.md") if p.name != "README.md")


def test_every_generated_page_renders_the_same_by_both_routes(built_project):
    direct_md, lifted_md = converter(built_project), converter(built_project, RawBlocksExtension())
    pages = generated_pages(built_project)
    assert len(pages) >= 10
    lifted_total = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        body = text.split("---\n", 2)[2] if text.startswith("---\n") else text
        direct, via_stash, stored = both_routes(direct_md, lifted_md, body)
        lifted_total += stored
        a, b = events(direct), events(via_stash)
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        assert a == b, f"{page.relative_to(built_project)}: routes differ at event {first}: {a[first:first + 3]} vs {b[first:first + 3]}"
    assert lifted_total > 400


def test_html_in_a_fenced_code_block_stays_text():
    text = "intro\n\n```html\n\n<div class=\"x\">a</div>\n\n```\n\n<div>b</div>"
    assert [chunk for chunk, lift, _ in raw_blocks(text) if lift] == ["<div>b</div>"]


@pytest.mark.parametrize("chunk, lifted", [
    ('<div class="x">\n<p>a</p>\n</div>', True),
    ('<div class="x" markdown>\n# heading\n</div>', False),     # Markdown inside must still be read
    ('<div class="x">\n<div>a</div>', False),                    # not closed in this chunk
    ('<div>a</div>\n<div>b', False),
    ('<p>a</p> and *text*', False),                            # ends outside the element
    ('<pre>code</pre>', False),                                # not a block this hook lifts
    ('<divx>a</divx>', False),                                 # another element
    ('# heading', False),
])
def test_only_complete_blocks_are_lifted(chunk, lifted):
    assert [c for c, lift, _ in raw_blocks(f"intro\n\n{chunk}\n\nend") if lift] == ([chunk] if lifted else [])


CONTEXTS = [
    "intro\n\n{0}\n\n{0}\n\nend",                                             # top level, one after another
    "<div class=\"a\" markdown>\n\n# t\n\n{0}\n\n{0}\n\n*x*\n\n</div>\n\nafter",   # in a container
    "<div markdown>\n\n<section markdown>\n\n{0}\n\n</section>\n\n{0}\n\n</div>\n\n{0}",  # nested containers
    "{0}",                                                                   # alone
    "\n<div markdown>\n\n{0}\n\n\n{0}\n\n</div>\n",                              # after blank lines
    "- item\n\n{0}\n\n> quote\n\n{0}",
    "*x* and `y`\n\n{0}\n\n**z** {{: #k }}\n\n{0}\n\n&amp; \\*",                 # Markdown paragraphs beside them
]
BLOCKS = ['<div class="x">\n<p>a &amp; b</p>\n</div>', '<p class="y">text</p>', '<script type="application/json" id="j">{"a":"</p>"}</script>',
          '<ul class="l">\n<li>one</li>\n</ul>', '<details class="d">\n<summary>s</summary>\n<p>p</p>\n</details>']


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("block", BLOCKS)
def test_a_stored_block_comes_back_as_markdown_would_write_it(context, block):
    """The same elements, attributes, text and whitespace, at the top level and inside `markdown`
    containers (where md_in_html re-sorts attributes, the only difference allowed)."""
    text = context.format(block)
    direct, via_stash, stored = both_routes(markdown.Markdown(extensions=["md_in_html", "attr_list"]),
                                            markdown.Markdown(extensions=["md_in_html", "attr_list", RawBlocksExtension()]), text)
    assert stored >= 1
    assert events(via_stash) == events(direct)


def test_the_pipeline_hook_registers_the_pass_through_once(tmp_path):
    from scripts.hooks import raw_html
    cfg = load_config(str(ROOT / "mkdocs.yml"))
    for _ in range(2):
        raw_html.on_config(cfg)
    assert sum(isinstance(e, RawBlocksExtension) for e in cfg["markdown_extensions"]) == 1
    assert cfg["hooks"] and [Path(h).name for h in cfg["hooks"]] == ["pipeline.py", "search_segmenter.py", "raw_html.py"]


def test_search_segments_chinese_exactly_as_python_jieba_would(built_project):
    """The hook serves Material's `jieba.cut` with rjieba: every Chinese run on the site, and in the
    raw articles, must be cut into the same words Python jieba (with the glossary's words) gives."""
    import json
    import logging
    import re

    import jieba

    from scripts.hooks.search_segmenter import SearchSegmenter

    words = json.loads((built_project / ".cache" / "build" / "site.json").read_text(encoding="utf-8"))["search_words"]
    runs = set()
    for page in list((built_project / "site").rglob("*.html")) + list((built_project / "seeds").glob("*.txt")):
        runs.update(re.findall(r"[\u3400-\u9fff]+", page.read_text(encoding="utf-8")))
    assert len(runs) > 3000
    jieba.setLogLevel(logging.WARNING)
    reference = jieba.Tokenizer()
    for form in words:
        reference.add_word(form)
    ours = SearchSegmenter()
    ours.add_words(words)
    differ = [r for r in sorted(runs) if list(reference.cut(r.encode("utf-8"))) != list(ours.cut(r.encode("utf-8")))]
    assert differ == []


def test_the_search_index_uses_the_segmenter(built_project):
    import json
    index = json.loads((built_project / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "\u200b百模大战\u200b" in text and "\u200b六小虎\u200b" in text


def test_the_search_patch_stops_the_build_if_material_has_changed(monkeypatch):
    from mkdocs.exceptions import PluginError
    from material.plugins.search import plugin as search

    from scripts.hooks import search_segmenter
    assert search_segmenter.material_search() is search
    monkeypatch.delattr(search, "jieba")
    with pytest.raises(PluginError, match=r"written for mkdocs-material 9\.8\.1\).*jieba.*installed mkdocs-material \d"):
        search_segmenter.material_search()
    monkeypatch.undo()
    monkeypatch.delattr(search.SearchIndex, "_segment_chinese")
    with pytest.raises(PluginError, match=r"written for mkdocs-material 9\.8\.1\).*_segment_chinese"):
        search_segmenter.material_search()


def test_files_the_workers_wrote_are_linked_before_mkdocs_copies(tmp_path, monkeypatch):
    """A one-off build: the page build's files that are not pages, and drawings the drawing process
    wrote into docs/ before MkDocs collected it, are linked into the site at `on_files`; MkDocs, which
    keeps knowing them for its link checks, then finds each there as the same file and copies
    nothing. Files the workers did not write, and drawings not made yet, are left alone."""
    from mkdocs.structure.files import File, Files

    from scripts.background import Pages
    from scripts.hooks import pipeline

    class Job:
        done = True

        def pages(self):
            return Pages([], [], "", ("data/a.json",), ("assets/figures/a.svg", "assets/figures/gone.svg"))

        def figures_done(self):
            return self.done

    docs, site = tmp_path / "docs", tmp_path / "site"
    names = ["assets/figures/a.svg", "assets/figures/b.svg", "index.md", "data/a.json"]
    for n in names:
        (docs / n).parent.mkdir(parents=True, exist_ok=True)
        (docs / n).write_text(n)
    files = Files([File(n, str(docs), str(site), use_directory_urls=True) for n in names])
    monkeypatch.setattr(pipeline, "ROOT", tmp_path)
    monkeypatch.setitem(pipeline._STATE, "job", Job())
    assert len(pipeline.on_files(files, config={"site_dir": str(site)})) == 4
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == \
        ["assets/figures/a.svg", "data/a.json"]
    files.copy_static_files()                                     # MkDocs' own copy: nothing to do for those
    for n in ("assets/figures/a.svg", "data/a.json"):
        assert os.path.samefile(docs / n, site / n)
    assert (site / "assets/figures/b.svg").read_text() == "assets/figures/b.svg"
    assert not os.path.samefile(docs / "assets/figures/b.svg", site / "assets/figures/b.svg")
    pipeline.on_files(files, config={"site_dir": str(site)})      # again: nothing left behind
    assert not any(p.name.endswith(".tmp") for p in site.rglob("*"))
    shutil.rmtree(site)
    job = Job()
    job.done = False                    # a drawing still being made: docs/ may hold the last build's
    monkeypatch.setitem(pipeline._STATE, "job", job)
    pipeline.on_files(files, config={"site_dir": str(site)})
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == ["data/a.json"]
