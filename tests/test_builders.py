"""Two builders, one site: Zensical builds the same docs/ as MkDocs (README "Builders").

- zensical.yml (scripts/site_config.py) carries the navigation, escaped, and reads back exactly;
- both outputs have the same pages, the same navigation (titles, order, targets) and the same
  content, element for element;
- both search indexes hold every glossary term as a word on every page that shows it: the pages
  give search a copy of their Chinese cut into words (render.search_block), since Zensical's index
  splits text only at the configured separator and Chinese has no spaces.
The browser tests (tests/test_browser.py) and the link check run on both outputs as well.
"""
from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts import html as h
from scripts.annotate import encode_words
from scripts.cache import Cache
from scripts.paths import Paths
from scripts.render import site_nav
from scripts.search_words import ZWSP, search_text, searchable
from scripts.html import nav_text as nav_title
from scripts.site_config import CONFIG, SITE_DIR, yaml_string, zensical_config

ROOT = Path(__file__).resolve().parent.parent
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# ---------------------------------------------------------------- zensical.yml

def _zensical_yaml(text: str, tmp: Path) -> dict:
    """zensical.yml read as Zensical reads it (its own loader: !ENV, its text rewrites, INHERIT)."""
    from zensical.config import _yaml_load
    (tmp / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    path = tmp / CONFIG
    path.write_text(text, encoding="utf-8")
    with path.open(encoding="utf-8") as f:
        return _yaml_load(f)


titles = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(titles=st.lists(titles, min_size=1, max_size=4), path=titles)
def test_zensical_config_reads_back_every_title_escaped(tmp_path_factory, titles, path):
    nav = [{"Home": "index.md"}, {"Articles": ["articles/index.md"] + [{t: path} for t in titles]},
           {titles[0]: [path, {titles[-1]: "style.md"}]}]
    config = _zensical_yaml(zensical_config(nav), tmp_path_factory.mktemp("z"))
    assert config["site_dir"] == SITE_DIR and config["site_name"] == "t"        # inherited from mkdocs.yml
    assert config["theme"] == {"variant": "classic"}
    assert config["nav"] == [{"Home": "index.md"},
                             {"Articles": ["articles/index.md"] + [{nav_title(t): path} for t in titles]},
                             {nav_title(titles[0]): [path, {nav_title(titles[-1]): "style.md"}]}]


@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_yaml_string_is_plain_yaml_too(text):
    assert yaml.safe_load(yaml_string(text)) == text


def test_nav_titles_are_html_text():
    assert nav_title('<img src=x onerror="alert(1)"> R&D') == '&lt;img src=x onerror="alert(1)"&gt; R&amp;D'


def _site_nav(project: Path) -> list:
    """The navigation the last build recorded (scripts/cache.py), which the MkDocs hook hands MkDocs."""
    return Cache(Paths(project)).site()["nav"]


def test_the_generated_config_is_the_sites_navigation(built_project):
    """The pipeline wrote zensical.yml with the navigation the MkDocs hook gives MkDocs."""
    nav = _site_nav(built_project)
    assert (built_project / CONFIG).read_text(encoding="utf-8") == zensical_config(nav)
    assert nav[0] == {"Home": "index.md"} and len(nav) == len(site_nav([]))


def test_zensical_reads_the_settings_of_mkdocs_yml(built_project):
    """What Zensical takes from mkdocs.yml through INHERIT: theme, palette, features, overrides,
    Markdown extensions, the search separator (with the zero-width space), assets, strict."""
    from zensical.config import parse_config
    ours = yaml.load((built_project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)
    config = parse_config(str(built_project / CONFIG))
    assert config["strict"] is True and config["site_dir"] == SITE_DIR
    assert config["theme"]["variant"] == "classic" and config["theme"]["font"] is False
    assert config["theme"]["features"] == ours["theme"]["features"]
    assert [p["scheme"] for p in config["theme"]["palette"]] == [p["scheme"] for p in ours["theme"]["palette"]]
    assert config["theme_dirs"][0] == str(built_project / "overrides")
    assert config["extra_css"] == ours["extra_css"]
    assert [s["path"] for s in config["extra_javascript"]] == ours["extra_javascript"]
    separator = next(p["search"] for p in ours["plugins"] if isinstance(p, dict) and "search" in p)["separator"]
    assert config["plugins"]["search"]["config"]["separator"] == separator and "\\u200b" in separator
    names = {e if isinstance(e, str) else next(iter(e)) for e in ours["markdown_extensions"]}
    # Zensical adds pymdownx.superfences to every build; the pages hold no fenced code that it could read
    assert set(config["markdown_extensions"]) - names <= {"pymdownx.superfences"} <= set(config["markdown_extensions"])
    assert names <= set(config["markdown_extensions"])
    assert config["mdx_configs"]["toc"]["permalink"] is False


class _EnvLoader(yaml.SafeLoader):
    pass


_EnvLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


# ---------------------------------------------------------------- the search copy of the Chinese

@st.composite
def cut_text(draw):
    """A text and a cut of it into words (some stretches left uncut, as punctuation or Latin is)."""
    chars = st.characters(exclude_categories=("Cs",), exclude_characters=ZWSP)
    pieces = draw(st.lists(st.tuples(st.text(chars, min_size=1, max_size=6), st.booleans()), max_size=12))
    text, tokens = "", []
    for piece, is_word in pieces:
        if is_word:
            tokens.append((len(text), len(piece)))
        text += piece
    return text, tokens


@given(cut_text())
def test_search_text_is_the_text_cut_at_its_words(case):
    text, tokens = case
    out = search_text(text, encode_words(tokens))
    assert out.replace(ZWSP, "") == h.text(text), "nothing but zero-width spaces added; escaped"
    pieces = out.split(ZWSP)
    for start, length in tokens:
        assert h.text(text[start:start + length]) in pieces, "each word stands alone"


class _Parts(HTMLParser):
    """Tags seen, the text outside hidden elements and the text inside them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.shown, self.hidden, self.stack = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.stack.append("hidden" in dict(attrs) or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        (self.hidden if self.stack and self.stack[-1] else self.shown).append(data)


@settings(max_examples=300)
@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters=ZWSP), max_size=30),
       st.sampled_from(["", "百模", "模大"]))
def test_searchable_keeps_any_text_as_it_was_and_inert(text, form):
    """Whatever a Chinese span holds (markup, entities, quotes), the reader sees it unchanged, the
    copy holds its words and the forms inside them, and no element is added but the hidden span."""
    def cut(t):
        return [t[i:i + 2] for i in range(0, len(t), 2)]
    plain = f"百模{h.visible(text)}"       # what HTML can carry: the rest shows as U+FFFD
    out = searchable(f'<p>前<span lang="zh-Hans">百模{h.text(text)}</span>后</p>', cut, frozenset({form} - {""}))
    parts = _Parts()
    parts.feed(out)
    parts.close()
    assert parts.tags == {"p", "span"}
    assert "".join(parts.shown) == f"前{plain}后"
    words = cut(plain) + ([form] if form and form in plain and form not in cut(plain) else [])
    assert "".join(parts.hidden) == (ZWSP.join(words) if len(words) > 1 else "")


def test_search_text_example():
    assert search_text("进退两难的AI“百模大战”", "4,1,3:4").split(ZWSP) == ["进退两难", "的", "AI“", "百模大战", "”"]
    assert search_text("<b>", "") == "&#60;b&#62;"


# ---------------------------------------------------------------- both outputs

class _Content(HTMLParser):
    """The page's content (<article class="md-content__inner">) as a flat list of start tags with
    sorted attributes (links resolved against the page's URL), end tags and collapsed text."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url, self.out, self.inside, self.depth, self.skip = url, [], False, 0, None

    def handle_starttag(self, tag, attrs):
        a = {k: (k if v is None or v == k else v) for k, v in attrs}
        if not self.inside:
            self.inside = tag == "article" and "md-content__inner" in a.get("class", "")
            return
        if tag not in VOID:
            self.depth += 1
        if a.get("id") == "__skip":            # Zensical's skip-link target: theme markup
            self.skip = tag
            return
        a.pop("data-search-exclude", None)     # Zensical drops it once its index is built
        for k in ("href", "src"):
            if k in a and not a[k].startswith("#"):
                a[k] = _resolve(self.url, a[k])
        self.out.append(("<", tag, tuple(sorted(a.items()))))

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "article" and self.depth == 0:
            self.inside = False
        elif tag not in VOID:
            self.depth -= 1
            if self.skip == tag:
                self.skip = None
            else:
                self.out.append((">", tag))

    def handle_data(self, data):
        if self.inside and data.strip():
            self.out.append(" ".join(data.split()))


def _resolve(page_url: str, href: str) -> str:
    """A link as the path it leads to (a page's directory and its index.html are one page)."""
    url = urljoin(page_url, href)
    return url[: -len("index.html")] if url.split("#")[0].endswith("/index.html") and "#" not in url else url


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_both_builders_publish_the_same_pages_with_the_same_content(built_project, zensical_site):
    mkdocs_site = built_project / "site"
    pages = _pages(mkdocs_site)
    assert pages == _pages(zensical_site)
    assert len(pages) > 15
    for rel in pages:
        a, b = _Content("/" + rel), _Content("/" + rel)
        a.feed((mkdocs_site / rel).read_text(encoding="utf-8"))
        b.feed((zensical_site / rel).read_text(encoding="utf-8"))
        assert a.out, f"{rel}: no content found"
        if a.out != b.out:
            i = next(i for i, (x, y) in enumerate(zip(a.out + [None], b.out + [None])) if x != y)
            pytest.fail(f"{rel}: content differs at item {i}: MkDocs {a.out[i:i + 2]} vs Zensical {b.out[i:i + 2]}")
    for rel in ("data/glossary.json", "feed.xml", "assets/bm.js", "assets/figures/timeline.svg"):
        assert (mkdocs_site / rel).read_bytes() == (zensical_site / rel).read_bytes(), rel


class _Nav(HTMLParser):
    """The primary navigation: (depth, title, target resolved against the page) in document order."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url, self.depth, self.items, self.current, self.text = url, 0, [], None, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "nav" and ("md-nav--primary" in (a.get("class") or "") or self.depth):
            self.depth += 1
        elif self.depth and tag in ("a", "label") and "md-nav__link" in (a.get("class") or ""):
            self.current = (self.depth, tag, _resolve(self.url, a["href"]) if "href" in a else None)
            self.text = []

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1
        elif self.current and tag == self.current[1]:
            self.items.append((self.current[0], " ".join("".join(self.text).split()), self.current[2]))
            self.current = None

    def handle_data(self, data):
        if self.current:
            self.text.append(data)


def test_both_builders_have_the_same_navigation(built_project, zensical_site):
    mkdocs_site = built_project / "site"
    nav = _site_nav(built_project)
    article = next(iter(nav[1]["Articles"][1].values()))
    for rel in ("index.html", "glossary/index.html", article.replace(".md", ".html"), "style/index.html"):
        a, b = _Nav("/" + rel), _Nav("/" + rel)
        a.feed((mkdocs_site / rel).read_text(encoding="utf-8"))
        b.feed((zensical_site / rel).read_text(encoding="utf-8"))
        assert a.items == b.items, rel
        titles = [t for _, t, _ in a.items]
        top = [next(iter(e)) for e in nav]
        assert [t for t in top if t in titles] == top, f"{rel}: every top-level entry in order"
        assert html.unescape(next(iter(nav[1]["Articles"][1]))) in titles


# ---------------------------------------------------------------- search: every glossary term

class _Visible(HTMLParser):
    """What a reader sees of a page's content: text outside scripts, styles and hidden elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden, self.inside, self.text = [], False, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if not self.inside:
            self.inside = tag == "article" and "md-content__inner" in (a.get("class") or "")
            return
        if tag not in VOID:
            self.hidden.append(tag in ("script", "style") or "hidden" in a or bool(self.hidden and self.hidden[-1]))

    def handle_endtag(self, tag):
        if self.inside and tag not in VOID and self.hidden:
            self.hidden.pop()

    def handle_data(self, data):
        if self.inside and not (self.hidden and self.hidden[-1]):
            self.text.append(data)


def _index(site: Path, builder: str) -> tuple[dict[str, set[str]], re.Pattern]:
    """Page path -> the words its search entries hold (title and text, split at the separator)."""
    path = site / ("search.json" if builder == "zensical" else "search/search_index.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    separator = re.compile(data["config"]["separator"])
    words: dict[str, set[str]] = {}
    for entry in data["items" if builder == "zensical" else "docs"]:
        page = entry["location"].split("#")[0]
        text = html.unescape(re.sub(r"<[^>]+>", " ", entry["title"] + " " + entry["text"]))
        words.setdefault(page, set()).update(w for w in separator.split(text) if w)
    return words, separator


def test_search_index_holds_every_glossary_term_on_every_page_showing_it(built_site, builder):
    """Both search engines match a query word against the beginning of the index's words (typing
    百模 finds 百模大战): a term can be found on a page when a word of the page's index entries
    starts with it. Every glossary term, on every page whose visible content shows it (the browser
    tests search for some of them through each site's own search box)."""
    terms = [t["zh"] for t in yaml.safe_load((ROOT / "data" / "glossary.yml").read_text(encoding="utf-8"))
             if re.search(r"[\u3400-\u9fff]", t["zh"])]
    if builder == "mkdocs":
        # Material's search plugin cuts its index at every switch between Han and other script
        # (it wraps each run of Han in zero-width spaces), so A股, AI四小龙 or 群“模”之战 can never be
        # one word in its index, whatever the page holds. Zensical's index keeps them whole.
        terms = [t for t in terms if re.fullmatch(r"[\u3400-\u9fff]+", t)]
    words, separator = _index(built_site, builder)
    visible = {}
    for page in built_site.rglob("index.html"):
        v = _Visible()
        v.feed(page.read_text(encoding="utf-8"))
        rel = page.parent.relative_to(built_site).as_posix()
        visible["" if rel == "." else rel + "/"] = "".join(v.text)
    # Pages whose front matter takes them out of search (vocabulary lists) are not looked for, and
    # are not in the index.
    docs = built_site.parent / "docs"
    excluded = {page for page in visible
                if re.search(r"^search:\n  exclude: true$", (docs / page / "index.md").read_text(encoding="utf-8")
                             if (docs / page / "index.md").is_file() else "", re.M)}
    assert excluded and not excluded & set(words), sorted(excluded & set(words))[:5]
    missed, checked = [], 0
    for term in terms:
        assert len(separator.split(term)) == 1, f"{term}: the query itself would be cut"
        for page, text in visible.items():
            if term in text and page not in excluded:
                checked += 1
                if not any(w.startswith(term) for w in words.get(page, ())):
                    missed.append(f"{term} on /{page}")
    assert checked > len(terms), "glossary terms on the pages"
    assert not missed, f"{builder}: {len(missed)} of {checked} (term, page) pairs not findable: {missed[:20]}"
