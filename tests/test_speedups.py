"""The build's speed-ups that must not change a byte: the word table of the mojibake detector read
as one blob per character (scripts/zhmodel.py), jieba's dictionary loaded once for the MkDocs
process and its page-build worker (scripts/segmenter.py), the theme's templates compiled while the
pages are built (scripts/templates_ahead.py), citeproc-py remembering which style elements
call a variable (scripts/cite.py), Material's search parser counting open tags and tokenizing
our kind of HTML in one regular expression (scripts/search_parser.py), the page text escaped
by one character class instead of a per-character table (scripts/html.py), and the site's figures
linked to the drawings in docs/ (scripts/paths.py)."""
from __future__ import annotations

import html.parser
import inspect
import math
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from scripts import search_parser, segmenter, templates_ahead, zhmodel

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- the word table

def _expected(rows: list[tuple[str, int]]) -> tuple[dict, dict, float]:
    """What the table must hold, worked out directly from dict.txt rows (word, frequency)."""
    words: dict[str, int] = {}
    chars: dict[str, int] = {}
    for w, f in rows:
        words[w] = words.get(w, 0) + f
        for ch in w:
            chars[ch] = chars.get(ch, 0) + f
    total, ctotal = sum(words.values()) or 1, sum(chars.values()) or 1
    lp = {w: (math.log(f / total) if f > 0 else math.log(0.5 / total)) for w, f in words.items()}
    clp = {c: math.log((f + 0.5) / ctotal) for c, f in chars.items()}
    return lp, clp, math.log(0.5 / ctotal)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="科大讯飞表示人工智能模型", min_size=1, max_size=10),
                          st.integers(min_value=0, max_value=5000)), min_size=1, max_size=40))
def test_word_table_gives_what_the_dictionary_says(tmp_path_factory, rows):
    """Every character's log-probability, every word (up to MAX_WORD characters) under its first
    character with its log-probability, repeated words summed, unknown characters the floor."""
    tmp = tmp_path_factory.mktemp("zh")
    source = tmp / "dict.txt"
    source.write_text("".join(f"{w} {f} n\n" for w, f in rows), encoding="utf-8")
    path = tmp / "table.sqlite"
    zhmodel._build(source, path)
    table = zhmodel._Table(path)
    lp, clp, unknown = _expected(rows)
    for ch in "科大讯飞表示人工智能模型x":
        assert table.char(ch) == clp.get(ch, unknown)
        assert table.starting(ch) == {w: v for w, v in lp.items() if w[0] == ch and len(w) <= zhmodel.MAX_WORD}


def test_scores_read_from_the_table_are_jieba_s_dictionary():
    """The installed dictionary: a word's score is its log frequency over the total."""
    source = zhmodel._dictionary_file()
    counts: dict[str, int] = {}
    for row in source.read_text(encoding="utf-8").splitlines():
        w, f = row.split(" ")[:2]
        counts[w] = counts.get(w, 0) + int(f)
    total = sum(counts.values())
    for word in ("人工智能", "中国", "表示"):
        assert zhmodel.table().starting(word[0])[word] == pytest.approx(math.log(counts[word] / total), abs=1e-12)


# ---------------------------------------------------------------- one jieba load for two cutters

def test_a_preloaded_cutter_is_taken_once_and_learns_alone():
    segmenter._SPARE.clear()
    segmenter.preload()
    spare = segmenter._SPARE[0]
    first, second = segmenter.fresh(), segmenter.fresh()
    assert first is spare and second is not spare and segmenter._SPARE == []
    first.add_word("百模大战", None, None)
    assert first.cut("百模大战开始了", True)[0] == "百模大战"
    assert second.cut("百模大战开始了", True)[0] != "百模大战"


def _fresh_python(code: str, cwd: Path = ROOT, env: dict | None = None) -> list[str]:
    """What `code` prints, run in a new interpreter at `cwd` (the project's root unless given; its
    own imports, its own loads), split into words; its error output if it fails."""
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout.split()


def _loaded(modules: tuple[str, ...]) -> str:
    """Code that prints which of `modules` the interpreter has loaded."""
    return f"import sys; print(' '.join(m for m in {modules!r} if m in sys.modules))"


def test_the_first_cutter_of_a_process_is_the_one_importing_rjieba_loads():
    """Importing rjieba loads a dictionary for its module-level functions: a process's first cutter
    is that one (no second load), every later one its own, and each learns alone."""
    out = _fresh_python("import rjieba; from scripts import segmenter\n"
                        "segmenter.preload(); a, b = segmenter.fresh(), segmenter.fresh()\n"
                        "a.add_word('六小虎模型', None, None)\n"
                        "print(a is rjieba, isinstance(b, rjieba.Jieba), a.cut('六小虎模型发布', True)[0], "
                        "b.cut('六小虎模型发布', True)[0])")
    assert out[:3] == ["True", "True", "六小虎模型"] and out[3] != "六小虎模型"


def test_the_drawing_code_loads_no_stage_of_the_pipeline():
    """The drawing process imports the figure code and the one amount formatter it shares with the
    pages (scripts/annotate/numbers.py), not the stages that make the pages: loading those cost it a
    fifth of a second of its start."""
    stages = ("scripts.render", "scripts.clean", "scripts.align", "scripts.segment", "scripts.chrome",
              "scripts.mojibake", "scripts.pipeline", "matplotlib")
    assert _fresh_python("from scripts import figure_pages\n" + _loaded(stages)) == []


def test_the_drawing_report_is_read_without_the_drawing_code(tmp_path):
    """What the drawing process sends back (`background.Drawn`) unpickles in the MkDocs process with
    what that process has loaded: reading it loads neither the drawing code nor matplotlib."""
    import pickle
    from scripts.background import Drawn
    report = tmp_path / "report.pickle"
    report.write_bytes(pickle.dumps([Drawn("assets/figures/x.svg", "0" * 64)]))
    out = _fresh_python(f"import pickle; import scripts.background; from pathlib import Path\n"
                        f"[d] = pickle.loads(Path({str(report)!r}).read_bytes()); assert d.rel.endswith('x.svg')\n"
                        + _loaded(("scripts.figure_pages", "scripts.figures", "matplotlib")))
    assert out == []


def test_a_linked_output_is_the_same_file_put_in_place_whole(tmp_path, monkeypatch):
    """`paths.atomic_link`: the site's copy of a drawing is a hard link to it in docs/, put in place
    by a rename over whatever stood there (no temporary left); where the file system cannot link,
    the same bytes are copied."""
    from scripts.paths import atomic_link, temporary
    source = tmp_path / "docs" / "a.svg"
    source.parent.mkdir()
    source.write_bytes(b"<svg/>")
    dest = tmp_path / "site" / "assets" / "a.svg"
    atomic_link(source, dest)                              # folders made as needed
    assert os.path.samefile(source, dest) and dest.read_bytes() == b"<svg/>"
    dest.unlink()
    dest.write_bytes(b"an older drawing")
    temporary(dest).write_bytes(b"left by a killed build")
    atomic_link(source, dest)
    assert os.path.samefile(source, dest) and not temporary(dest).exists()
    atomic_link(source, dest)                              # already the same file: nothing left behind
    assert os.path.samefile(source, dest) and not temporary(dest).exists()
    def no_links(src, dst):
        raise OSError(18, "Invalid cross-device link")
    monkeypatch.setattr(os, "link", no_links)
    other = tmp_path / "elsewhere" / "a.svg"
    atomic_link(source, other)
    assert other.read_bytes() == b"<svg/>" and not os.path.samefile(source, other)
    assert not temporary(other).exists()


def test_the_site_s_figures_are_the_drawings_in_docs(built_project):
    """A one-off build links each figure the drawing process made into the site: the very file in
    docs/ (`on_post_build`), not a second copy of its bytes; so are the page build's other files
    that are not pages (`on_files`)."""
    site = built_project / "site" / "assets" / "figures"
    drawings = sorted(site.rglob("*.svg"))
    assert len(drawings) >= 60
    for svg in drawings:
        assert svg.read_bytes() == (built_project / "docs" / svg.relative_to(built_project / "site")).read_bytes()
    probe = built_project / ".link-probe"            # beside site/, on its file system
    probe.write_bytes(b"")
    try:
        os.link(probe, probe.with_name(".link-probe-2"))
        links = True
        probe.with_name(".link-probe-2").unlink()
    except OSError:                                       # a file system without hard links: copies
        links = False
    finally:
        probe.unlink()
    if links and not os.environ.get("BM_TEST_PROJECT"):   # a build of our own: the figures were drawn cold
        assert all(os.path.samefile(svg, built_project / "docs" / svg.relative_to(built_project / "site"))
                   for svg in drawings)
        data = sorted((built_project / "site" / "data").rglob("*.*")) + [built_project / "site" / "feed.xml"]
        assert len(data) > 40 and all(os.path.samefile(f, built_project / "docs" / f.relative_to(built_project / "site"))
                                      for f in data)          # the page build's other files: linked, not copied


def test_the_drawing_process_runs_no_blas_threads():
    """matplotlib imports numpy, whose BLAS would start a thread per core spinning for work no
    drawing gives it (`fonts.use_project_cache`): a process that has loaded matplotlib has one thread."""
    code = ("import os, sys, time; sys.path.insert(0, '.'); os.environ.pop('OPENBLAS_NUM_THREADS', None)\n"
            "from scripts.figures import style; style.load_matplotlib(); import numpy; numpy.ones((64, 64)) @ numpy.ones((64, 64))\n"
            "time.sleep(0.2); print(len(os.listdir('/proc/self/task')), os.environ['OPENBLAS_NUM_THREADS'])")
    assert _fresh_python(code) == ["1", "1"]


def test_a_worker_forked_after_the_preload_has_its_own_copy():
    from scripts import workers
    segmenter._SPARE.clear()
    segmenter.preload()

    def learn_and_cut():
        cutter = segmenter.fresh()
        cutter.add_word("六小虎模型", None, None)
        return cutter.cut("六小虎模型发布", True)

    assert workers.Worker(learn_and_cut).result()[0] == "六小虎模型"
    here = segmenter.fresh()                    # the parent's copy: fresh, untaught
    assert here.cut("六小虎模型发布", True)[0] != "六小虎模型"


# ---------------------------------------------------------------- templates compiled ahead

THEME = {
    "base.html": "<title>{{ title | upper }}</title>{% block body %}{% endblock %}{% include 'partials/foot.html' %}",
    "main.html": "{% extends 'base.html' %}{% block body %}{% for x in items %}<li>{{ x | e }}</li>{% endfor %}"
                 "{% include 'partials/' ~ part ~ '.html' %}{% endblock %}",
    "partials/foot.html": "<footer>{{ note | default('none') }}</footer>",
    "partials/side.html": "<aside>{{ items | length }}</aside>",
    "broken.html": "{% if %}",
}


def _env(tmp_path: Path) -> jinja2.Environment:
    for name, text in THEME.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), auto_reload=False)


def _compiles(monkeypatch) -> list:
    seen = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        seen.append(name)
        return original(self, source, name, filename, *args, **kwargs)
    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return seen


def test_templates_compiled_ahead_render_the_same_without_compiling_again(tmp_path, monkeypatch):
    cache = templates_ahead.compile_ahead(_env(tmp_path), ["main.html", "broken.html"])
    assert len(cache.codes) == 3              # main, base and foot; broken left out; side named dynamically
    env = _env(tmp_path)
    assert templates_ahead.attach(env, cache)
    seen = _compiles(monkeypatch)
    context = {"title": "t<", "items": ["<a>", "b"], "part": "side"}
    page = env.get_template("main.html").render(context)
    assert seen == ["partials/side.html"]     # only the dynamically named partial
    assert page == _env(tmp_path).get_template("main.html").render(context)
    assert page == "<title>T<</title><li>&lt;a&gt;</li><li>b</li><aside>2</aside><footer>none</footer>"


def test_a_template_edited_after_it_was_compiled_is_compiled_again(tmp_path, monkeypatch):
    cache = templates_ahead.compile_ahead(_env(tmp_path), ["main.html"])
    env = _env(tmp_path)
    (tmp_path / "partials" / "foot.html").write_text("<footer>edited</footer>", encoding="utf-8")
    assert templates_ahead.attach(env, cache)
    seen = _compiles(monkeypatch)
    assert env.get_template("partials/foot.html").render() == "<footer>edited</footer>"
    assert seen == ["partials/foot.html"]


def test_an_environment_that_compiles_otherwise_is_not_given_the_cache(tmp_path):
    cache = templates_ahead.compile_ahead(_env(tmp_path), ["main.html"])
    for change in (lambda e: e.filters.__setitem__("shout", str.upper), lambda e: setattr(e, "autoescape", True),
                   lambda e: e.add_extension("jinja2.ext.loopcontrols")):
        env = _env(tmp_path)
        change(env)
        assert not templates_ahead.attach(env, cache)
        assert env.bytecode_cache is None
    assert not templates_ahead.attach(_env(tmp_path), None)


def test_mkdocs_own_environment_takes_the_theme_compiled_ahead():
    """Material's theme as this site configures it: everything main.html and the static templates
    name is compiled ahead, and MkDocs' environment (after the other plugins' on_env) takes it."""
    from mkdocs.config import load_config
    cfg = load_config(str(ROOT / "mkdocs.yml"))
    cache = templates_ahead.compile_ahead(cfg.theme.get_env(), [templates_ahead.ENTRY, *cfg.theme.static_templates])
    assert len(cache.codes) >= 30
    env = cfg.plugins.on_env(cfg.theme.get_env(), config=cfg, files=None)
    assert templates_ahead.attach(env, cache)


# ---------------------------------------------------------------- citeproc-py's memo

def test_citations_are_the_same_with_citeproc_remembering(monkeypatch):
    from citeproc import model

    from scripts import cite
    w = cite.Work("k", "The title", "标题", "Outlet", "媒体", ("Wang Wu", "Li Si"), "2024-05", "https://x.example/a/", "")
    cite._chicago.cache_clear()
    remembered = cite._chicago(w)
    for cls in (model.Parent, model.Text):
        assert cls.calls_variable.remembered
        monkeypatch.setattr(cls, "calls_variable", cls.calls_variable.__defaults__[0])   # citeproc-py's own
    cite._chicago.cache_clear()
    try:
        assert cite._chicago(w) == remembered
    finally:
        cite._chicago.cache_clear()


# ---------------------------------------------------------------- Material's search parser

def _sections(parser_class, html: str) -> list[tuple] | tuple:
    """The sections a parser divides html into (or the error it stops with: Material's own parser
    raises on some malformed HTML, e.g. a `p` closed twice inside an excluded one, and so must the
    counting one)."""
    parser = parser_class()
    try:
        parser.feed(html)
        parser.close()
    except Exception as exc:        # noqa: BLE001 — compared, not hidden
        return ("raised", type(exc), str(exc))
    return [(s.el.tag, s.depth, s.id, s.title, s.text, s.is_excluded()) for s in parser.data]


def _parsers():
    from material.plugins.search import plugin as search

    from scripts.search_parser import parser_class
    original = getattr(search.Parser, "__mro__", (None, None))[1] if getattr(search.Parser, "counts_open_tags", False) \
        else search.Parser
    counting = parser_class(search)
    assert counting is not None, "Material's search Parser is not the one scripts/search_parser.py was written for"
    return original, counting


_TAGS = ["p", "div", "span", "pre", "code", "li", "ul", "ol", "sub", "sup", "a", "script", "style", "object",
         "table", "td", "h1", "h2", "h3", "h6", "hx", "br", "img", "hr"]
_ATTRS = ['', ' id="s1"', ' id="s2"', ' class="headerlink"', ' data-search-exclude', ' class="linenodiv"',
          ' class="x" id="s3"', ' data-search-exclude id="s4"']
_TEXT = ["", " ", "\n", "  \n ", "字", "a < b", "x\ny", "&amp;", "&lt;p&gt;", "\t", "百模"]
_piece = st.one_of(
    st.builds(lambda t, a: f"<{t}{a}>", st.sampled_from(_TAGS), st.sampled_from(_ATTRS)),
    st.builds(lambda t: f"</{t}>", st.sampled_from(_TAGS)),
    st.builds(lambda t: f"<{t}/>", st.sampled_from(_TAGS)),
    st.sampled_from(_TEXT),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_piece, max_size=60))
@example(["<pre>", "x", "<span>", " ", "</span>", " ", "</pre>"])        # whitespace kept inside pre
@example(["<div data-search-exclude>", "a", "<div>", "b", "</div>", "c", "</div>", "d"])   # skipped by tag
@example(["<h2 id=\"s1\">", "T", "<a class=\"headerlink\">", "¶", "</a>", "</h2>", "<p>", " ", "</p>"])
@example(["<div>", "<h3 id=\"s2\">", "x", "</h3>", "</div>", "y", "<li>", "\n", "</li>"])
def test_the_counting_parser_divides_any_html_as_material_s_does(pieces):
    original, counting = _parsers()
    html = "".join(pieces)
    assert _sections(counting, html) == _sections(original, html)


def test_the_counting_parser_divides_every_page_of_the_site_as_material_s_does(built_project):
    original, counting = _parsers()
    pages = sorted((built_project / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert _sections(counting, html) == _sections(original, html), page.name


def test_the_search_hook_installs_the_counting_parser_once(monkeypatch):
    from mkdocs.config import load_config
    from material.plugins.search import plugin as search

    from scripts.hooks import search_segmenter
    monkeypatch.setattr(search, "Parser", search.Parser)        # restored after the test
    cfg = load_config(str(ROOT / "mkdocs.yml"))
    search_segmenter.on_config(cfg)
    installed = search.Parser
    assert installed.counts_open_tags
    search_segmenter.on_config(cfg)                             # `serve` configures again
    assert search.Parser is installed


def test_a_changed_material_parser_is_left_as_it_is(monkeypatch):
    from material.plugins.search import plugin as search

    from scripts.search_parser import parser_class

    class Changed(search.Parser):
        def handle_data(self, data):
            super().handle_data(data.upper())
    monkeypatch.setattr(search, "Parser", Changed)
    assert parser_class(search) is None


# ---------------------------------------------------------------- its tokenizer's fast path

class _Recorder(HTMLParser):
    """The standard library's tokenizer, recording every handler call with the parser's lasttag."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def handle_starttag(self, tag, attrs):
        self.calls.append(("start", tag, attrs, self.lasttag))

    def handle_startendtag(self, tag, attrs):
        self.calls.append(("startend", tag, attrs, self.lasttag))

    def handle_endtag(self, tag):
        self.calls.append(("end", tag))

    def handle_data(self, data):
        self.calls.append(("data", data))

    def handle_comment(self, data):
        self.calls.append(("comment", data))

    def handle_decl(self, decl):
        self.calls.append(("decl", decl))

    def handle_pi(self, data):
        self.calls.append(("pi", data))

    def unknown_decl(self, data):
        self.calls.append(("unknown_decl", data))


class _FastRecorder(_Recorder):
    goahead = search_parser.fast_goahead


# The fast path is written against one html/parser.py (CPython 3.11's) and installed only over it;
# on another Python the search uses the standard library's tokenizer and these tests do not apply.
_THIS_TOKENIZER = search_parser._sha256(inspect.getsource(html.parser)) == search_parser.TOKENIZER_SOURCE
_written_for_this_tokenizer = pytest.mark.skipif(
    not _THIS_TOKENIZER, reason=f"the fast tokenizer is written for {search_parser.TOKENIZER_FOR}'s html/parser.py")


def _tokens(parser_class, chunks: list[str]) -> tuple[list, list]:
    """Every handler call made while `chunks` are fed one by one and the parser closed, and after
    each feed and the close the parser's position, lasttag and unprocessed rest."""
    parser, states = parser_class(), []
    for chunk in [*chunks, None]:
        parser.feed(chunk) if chunk is not None else parser.close()
        states.append((parser.getpos(), parser.lasttag, parser.rawdata, parser.cdata_elem))
    return parser.calls, states


def _start_tags(spaces, attr_names, equals, quotes, values, tag_names, closes):
    """Start tags `<name attrs space close` from the given strategies for their parts."""
    attr = st.builds(lambda sp, name, eq, quote, value: sp + name + ("" if eq is None else eq + quote + value + quote),
                     spaces, attr_names, st.none() | equals, quotes, values)
    return st.builds(lambda name, attrs, sp, close: f"<{name}{''.join(attrs)}{sp}{close}",
                     tag_names, st.lists(attr, max_size=3), st.sampled_from(["", " ", "\n", "\t "]), closes)


_names = st.builds(str.__add__, st.sampled_from("aBpPhX"), st.text("aBx1-:._", max_size=3))
_entities = st.sampled_from(["&amp;", "&lt;b&gt;", "&amp", "&#39;", "&#x4e2d;", "&#8212", "&#", "&#x", "AT&T",
                             "&unknown;", "&copy2", "a &copy b", "x;", "百模"])
_end = st.builds(lambda name, sp: f"</{name}{sp}>", _names, st.sampled_from(["", " ", "\n", "\t\n"]))
# In the fast path's subset: uppercase names, entities, valueless, empty and repeated attributes,
# spaces and newlines inside tags, non-ASCII.
_plain = st.one_of(
    _start_tags(st.text(" \t\n\r\f", min_size=1, max_size=2), _names | st.just("data-search-exclude"),
                st.sampled_from(["=", " = ", "\n=\t"]), st.just('"'), st.text("ab &;#'字\n", max_size=6) | _entities,
                _names, st.sampled_from([">", "/>", " />"])),
    _end, st.text("ab &;#>\n\t字é", min_size=1, max_size=8) | _entities)
# Anything: the same with the separators, quotes and values the subset leaves out, and other markup.
_any = st.one_of(
    _plain,
    _start_tags(st.text(" \t\n\r\f", min_size=1, max_size=2) | st.sampled_from(["", "\v", "\xa0", "/", "/ "]),
                _names | st.sampled_from(["=x", '"q', "data-search-exclude"]),
                st.sampled_from(["=", " = ", "\n=\t", "=="]),
                st.sampled_from(['"', '"', "'", ""]), st.text('ab &;#<>"\'字\n', max_size=6) | _entities,
                _names | st.sampled_from(["script", "STYLE", "textarea", "title", "br"]),
                st.sampled_from([">", "/>", " />", "", "/", "/ >"])),
    st.text("ab &;#<>\n\t字é", min_size=1, max_size=8),
    st.sampled_from(["<!-- c -->", "<!---->", "<!doctype html>", "<![CDATA[x]]>", "<?pi x?>", "< b", "<", "</>",
                     "</ a>", "</a b='>'>", "<a\vb>", '<a x="1"y="2">', "<br/>", "<BR/>", "<a title='>'>",
                     '<a title="a>b">', "<script>if (a<b) x</script>", "<style>p>q{}</STYLE >",
                     "<textarea><b></textarea>", "<title>&amp;</title>", "<a\x00>", "</p\n>", "&", "<1>"]))


@_written_for_this_tokenizer
@settings(max_examples=600, deadline=None)
@given(st.lists(_plain, max_size=20), st.lists(_any, max_size=12), st.lists(st.integers(0, 400), max_size=2))
@example(['<p class="a&amp;b" id="x">', "a &lt; b", "</p>", "tail"], [], [])
@example(['<DIV Data-X="Ä" hidden id="1" ID="">', "<br/>", "<img src=\"\" alt>", "</DIV >"], [], [])
@example(["x"], ["<script>", "if (a<b) {}", "</script>", "<p>", "&amp"], [5])
@example(['<a\nhref="u"\t/>'], ["<!-- c -->", "<b>", "t"], [3])
def test_the_fast_tokenizer_makes_the_standard_library_s_calls(plain, anything, cuts):
    """The same handler calls with the same arguments, the same lasttag and position, on any HTML
    (mostly the subset, then anything), fed whole or in pieces (the standard library holds back
    what may continue in the next feed)."""
    html = "".join(plain + anything)
    bounds = [0, *sorted(c for c in cuts if c <= len(html)), len(html)]
    chunks = [html[a:b] for a, b in zip(bounds, bounds[1:])]
    assert _tokens(_FastRecorder, chunks) == _tokens(_Recorder, chunks)


@_written_for_this_tokenizer
def test_the_fast_tokenizer_reads_nearly_all_of_every_article(built_project, monkeypatch):
    """Material's search parser as installed reads 99% of the start tags of each article's content
    (the page's <article>, which holds page.content) with the fast path: what is left when the
    standard library's tokenizer is first called holds at most 1% of them (our articles: the data
    scripts at the end)."""
    _, counting = _parsers()
    left = []
    standard = HTMLParser.goahead

    def spy(self, end):
        left.append(self.rawdata)
        return standard(self, end)
    monkeypatch.setattr(HTMLParser, "goahead", spy)
    articles = sorted((built_project / "site" / "articles").glob("*/index.html"))
    assert len(articles) >= 3
    for page in articles:
        html = page.read_text(encoding="utf-8")
        body = html[html.index('<article class="md-content__inner md-typeset">'):html.rindex("</article>")]
        content = body[body.index(">") + 1:]
        left.clear()
        counting().feed(content)
        assert left, "the standard library's tokenizer was not handed the rest"
        rest = left[0]
        tags = len(re.findall("<[a-zA-Z]", content))
        assert tags > 500
        assert len(re.findall("<[a-zA-Z]", rest)) <= tags // 100, (page, rest[:80])


def test_a_changed_standard_tokenizer_is_left_as_it_is(monkeypatch):
    """The fast path is installed for the html/parser.py it was written for, and only for it."""
    from material.plugins.search import plugin as search
    original, counting = _parsers()
    assert (counting.goahead is search_parser.fast_goahead) == _THIS_TOKENIZER
    monkeypatch.setattr(search, "Parser", original)
    monkeypatch.setattr(search_parser, "TOKENIZER_SOURCE", "0" * 64)
    slow = search_parser.parser_class(search)
    assert slow.counts_open_tags and slow.goahead is HTMLParser.goahead


# ---------------------------------------------------------------- escaping by a character class

@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from("*_[]`{}#|~\\<>&\"'$!:\n\r&#;0123456789 a中"),
                                  st.characters()), max_size=60))
def test_text_escapes_every_special_character_as_the_table_says(value):
    """`html.text` is the table `_SPECIAL` applied to each character of the visible text, once (an
    escape's own & and # are never escaped again)."""
    from scripts import html
    assert html.text(value) == "".join(html._SPECIAL.get(c, c) for c in html.visible(value))


def test_a_serve_process_takes_what_outlives_its_builds_out_of_the_collector_s_way(tmp_path):
    """`serve` builds in its own process, again and again: after its first build the dictionaries
    and everything else alive then are frozen (gc.freeze), the garbage collected first, so a full
    collection never walks them in the middle of a rebuild; once per process, not at every build."""
    from scripts.paths import copy_project
    project = copy_project(tmp_path / "p")
    memory = sorted((project / "seeds").glob("*.en.yml"))[0]
    code = ("import gc, sys; from pathlib import Path\n"
            "from mkdocs.config import load_config; from mkdocs.commands.build import build\n"
            "def serve_build():\n"
            "    cfg = load_config('mkdocs.yml'); cfg.plugins.on_startup(command='serve', dirty=False); build(cfg)\n"
            "before = gc.get_freeze_count(); serve_build(); first = gc.get_freeze_count()\n"
            f"m = Path({str(memory)!r}); m.write_text(m.read_text(encoding='utf-8') + '\\n', encoding='utf-8')\n"
            "serve_build(); print(before, first, gc.get_freeze_count(), len(gc.get_objects()))\n")
    out = _fresh_python(code, cwd=project, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    before, first, second, tracked = map(int, out)
    # (frozen objects the later build let go are freed as ever: the count only falls)
    assert before == 0 and first > 100_000 and second <= first and tracked < first / 4


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF), st.characters(),
                          st.sampled_from(list("們國著乾\n後裏"))), max_size=40))
def test_simplified_characters_in_one_call_are_each_as_alone(chars):
    """`chinese.warm_simplified` converts many characters in one OpenCC call: each as it converts alone."""
    from scripts import chinese
    chinese._CHAR_SIMPLE.clear()
    chinese.warm_simplified(chars)
    for c in chars:
        alone = chinese.to_simplified(c)
        assert chinese.char_to_simplified(c) == (alone if len(alone) == 1 else c)
