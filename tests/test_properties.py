"""Property: whatever text stands in any field a maintainer, translator or scraper edits — markup,
quotes, template tags, Markdown, control characters, bidi marks, `</script>` — no generated page,
feed or export holds live markup made from it, and the text still shows literally.

Most examples run the pipeline in process on a small project (one real article, a hostile one, the
figures and events that quote them) and render each page as MkDocs does (the raw-HTML hook's extension,
Python-Markdown with the site's extensions, and the lines of Material's templates that print titles
and descriptions); two run a real `mkdocs build`. BM_HYPOTHESIS=thorough runs many more examples.
"""
from __future__ import annotations

import copy
import functools
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st

from scripts import html as h
from scripts.errors import BuildError
from scripts.paths import Paths, copy_project
from test_hostile import Page, check_exports, csv_cells, exports, norm, pick, readings

ROOT = Path(__file__).resolve().parent.parent
KEEP = "000_171d0b4a7f7a72ca"            # the one real article kept (the shortest)

settings.register_profile("default", max_examples=12, deadline=None, derandomize=True, database=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate],    # a failure is reported as found
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.function_scoped_fixture])
settings.register_profile("thorough", max_examples=300, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("BM_HYPOTHESIS", "default"))

# ---------------------------------------------------------------- what the fields may hold

# Every piece of would-be markup names "evil": a live one is recognised by name.
MARKUP = ["<x-evil>", "</x-evil>", "<img src=evil onerror=evil()>", "<script>evil()</script>", "</script>",
          "<!--", "-->", "<!-- evil -->", '"><b evil=1>', "' onmouseover='evil()' x='", "[l](javascript:evil())",
          "![i](evil.png)", '<a href="javascript:evil()">a</a>', "<svg onload=evil()>", "<style>", "&amp;",
          "&#60;", "&lt;", "&", "<", ">", '"', "'", "`", "\\", "=1+1", "+1", "-1", "@x", "javascript:evil()",
          "http://evil.example/?a=<b>&c"]
TEMPLATE = ["{{ config.site_name }}", "{% include 'evil' %}", "{#", "#}", "{{", "}}", "{%", "%}", "${evil}"]
MARKDOWN = ["**b**", "__u__", "*i*", "_i_", "`c`", "```", "# h", "## h ##", "> q", "- li", "1. li", "| a | b |",
            "---", "{: .evil }", "{ #evil }", "[^1]", "[x]: http://evil", "$x$", "$$", "~~s~~", "<http://evil>",
            "    code", ":smile:", "!!! note", "??? evil"]
SPACE = ["\t", "\n", "\n\n", "\r\n", "\u3000", "\u00a0", "  "]
ODD = ["\u202e", "\u202c", "\u200f", "\u200b", "\u2028", "\ufeff", "\x00", "\x1b", "\x7f", "\x85", "\ufffe"]
HAN = ["大模型", "公司。", "“引号”", "（括号）", "科大讯飞", "2023年", "百模大战"]
FRAGMENTS = MARKUP + TEMPLATE + MARKDOWN + SPACE + ODD + HAN

# Seed text is cleaned and checked for mojibake: no "?", kana, Greek, private use or U+FFFD in it
# (those stop the build, as they should), few control characters, no lone surrogates (files are UTF-8).
SEED_CHARS = "大模型公司市场文章标题正文的了在是有和人这中个上为 abcXYZ019<>&\"'`*_[]{}#|~$!:=+-@()/\\.,;%^"
SEED_FRAGMENTS = [f for f in FRAGMENTS if "?" not in f and f not in ("\ud800", "\ufffe", "\x00", "\x85", "\x7f")]
# File names: printable, no "/", no control characters (those are refused: tests/test_hostile.py).
NAME_CHARS = "abcxyz019 <>&\"'`*[]{}#|~$!:;=+-@()%^,大模型标题"


def joined(parts, chars, max_size):
    piece = st.one_of(st.sampled_from(parts), st.text(alphabet=chars, min_size=1, max_size=max_size))
    return st.lists(piece, min_size=1, max_size=5).map("".join)


ANY_TEXT = joined(FRAGMENTS, st.characters(codec="utf-8", exclude_categories=("Cs",)), 6)
text_field = ANY_TEXT.filter(lambda s: s.strip())
seed_line = joined([f for f in SEED_FRAGMENTS if "\n" not in f and "\r" not in f], SEED_CHARS, 8).filter(
    lambda s: s.strip() and not s.strip().endswith(("。", "！", "？", "…", "；", "：", "，", "、", "”", '"')))
seed_body = joined(SEED_FRAGMENTS, SEED_CHARS, 12)
file_part = st.text(alphabet=NAME_CHARS, min_size=1, max_size=16).filter(lambda s: not s.endswith((".en", " ", ".")))
# Figures and events are drawn with a Latin and a CJK font: printable text those fonts hold.
DRAWN = joined(MARKUP + TEMPLATE + MARKDOWN + HAN + ["\t", "  "],
               st.characters(min_codepoint=0x20, max_codepoint=0x7e), 6).filter(lambda s: s.strip())


@dataclass(frozen=True)
class Field:
    file: str                 # relative to the project
    path: tuple               # keys; a list item by index or "id=…"
    shows: str = "page"       # page | csv | none: where the text must show literally
    drawn: bool = False       # drawn into a figure: full builds keep to the figure fonts

    @property
    def name(self) -> str:
        return f"{self.file}:{'.'.join(map(str, self.path))}"


SIDE = f"seeds/{KEEP}.yml"
MEMORY = f"seeds/{KEEP}.en.yml"
FIGURE = "data/figures/ashare-2023-drawdowns.yml"
FIELDS = [
    Field(SIDE, ("outlet", "en")), Field(SIDE, ("outlet", "zh")), Field(SIDE, ("people", 0, "en")),
    Field(SIDE, ("people", 0, "role")), Field(SIDE, ("notes", 0)), Field(SIDE, ("date_evidence",)),
    Field(SIDE, ("url",), "none"), Field(SIDE, ("title", "en")),
    Field(MEMORY, ("segments", 0, "pairs", 0, "en")), Field(MEMORY, ("segments", 0, "notes", 0, "text")),
    Field(MEMORY, ("segments", 0, "notes", 0, "after"), "none"),
    Field("data/glossary.yml", ("id=da-mo-xing", "en")),
    Field("data/glossary.yml", ("id=da-mo-xing", "definition")),
    Field("data/glossary.yml", ("id=da-mo-xing", "variants", 0)),
    Field("data/entities.yml", ("id=liu-zejing", "role")), Field("data/entities.yml", ("id=liu-zejing", "en")),
    Field(FIGURE, ("title", "en"), drawn=True), Field(FIGURE, ("title", "zh"), drawn=True),
    Field(FIGURE, ("caption", "en")), Field(FIGURE, ("caption", "zh")), Field(FIGURE, ("alt",)),
    Field(FIGURE, ("series", 0, "name", "en"), "csv", drawn=True),
    Field(FIGURE, ("series", 0, "points", 0, "label", "en"), "csv", drawn=True),
    Field(FIGURE, ("series", 0, "points", 0, "label", "zh"), "csv", drawn=True),
    Field("data/timeline.yml", (0, "event", "en"), drawn=True), Field("data/timeline.yml", (0, "event", "zh"), drawn=True),
    Field("data/cleaning.yml", ("rules", 0, "reason")),
]


@dataclass(frozen=True)
class Hostile:
    """One example: a value per field, and a hostile article (file name, title line, body, its own
    side file and translation memory)."""
    values: dict
    name: str
    first_line: str
    body: str
    title_en: str
    repair: str
    repair_note: str
    memory_en: str
    memory_note: str


def hostile(drawn_text=text_field):
    address = text_field.map(lambda s: "http://evil.example/" + "".join(s.split()))   # the schema wants http(s)
    fields = st.fixed_dictionaries({
        f.name: drawn_text if f.drawn else address if f.path == ("url",) else text_field for f in FIELDS})
    return st.builds(Hostile, fields, file_part, seed_line, seed_body, st.one_of(st.just(""), text_field),
                     seed_line, text_field, text_field, text_field)


# ---------------------------------------------------------------- the small project

def dump(data) -> str:
    """Double-quoted throughout: PyYAML folds a NEL (U+0085) in a plain or single-quoted scalar."""
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=1 << 20,
                     default_style='"')


def load(text: str):
    return yaml.load(text, Loader=yaml.CSafeLoader)


@functools.lru_cache(maxsize=None)
def parsed(data: bytes):
    return load(data.decode("utf-8"))


def small_project(dest: Path) -> Path:
    """The project with one real article and the figures and events that quote only it."""
    copy_project(dest, seeds=False)
    for suffix in (".txt", ".yml", ".en.yml"):
        shutil.copy(ROOT / "seeds" / f"{KEEP}{suffix}", dest / "seeds" / f"{KEEP}{suffix}")
    for p in sorted((dest / "data" / "figures").glob("*.yml")):
        points = [pt for s in yaml.safe_load(p.read_text(encoding="utf-8"))["series"] for pt in s["points"]]
        if any(pt["article"] != KEEP[:3] for pt in points):
            p.unlink()
    events = load((dest / "data" / "timeline.yml").read_text(encoding="utf-8"))
    (dest / "data" / "timeline.yml").write_text(dump([e for e in events if e["article"] == KEEP[:3]]), encoding="utf-8")
    text = (dest / "seeds" / f"{KEEP}.txt").read_text(encoding="utf-8")
    terms = {name: load((dest / "data" / name).read_text(encoding="utf-8")) for name in ("glossary.yml", "entities.yml")}
    kept = {t["id"] for entries in terms.values() for t in entries
            if any(str(form) in text for form in [t["zh"], *(t.get("match") or [])])}
    for name, entries in terms.items():          # the terms of the one article: smaller pages, same code
        entries = [dict(t, related=[r for r in t.get("related") or [] if r in kept]) for t in entries if t["id"] in kept]
        (dest / "data" / name).write_text(dump(entries), encoding="utf-8")
    return dest


def apply(project: Path, pristine: dict[str, bytes], example: Hostile) -> Path:
    """Write the example into the project (from pristine files); returns the hostile seed's path."""
    for rel, data in pristine.items():
        (project / rel).write_bytes(data)
    for p in (project / "seeds").iterdir():
        if not p.name.startswith(KEEP) and p.name != "README.md":
            p.unlink()
    loaded = {}
    for f in FIELDS:
        data = loaded.setdefault(f.file, copy.deepcopy(parsed(pristine[f.file])))
        *parents, last = f.path
        for key in parents:
            data = pick(data, key)
        value = example.values[f.name]
        assert load(dump({"v": value})) == {"v": value}      # the file will hold exactly this value
        data[last] = value
    for rel, data in loaded.items():
        (project / rel).write_text(dump(data), encoding="utf-8")
    seed = project / "seeds" / f"zz{example.name}.txt"
    garbled = "?拼笥嶏w"                               # flagged as mojibake: the side file repairs it
    seed.write_text(f"{example.first_line}\n\n大模型亏损{garbled}表示。{example.body}\n\n{example.body}第二段。\n",
                    encoding="utf-8")
    side = {"slug": "zz-hostile", "title": {"en": example.title_en} if example.title_en else None,
            "mojibake": [{"garbled": garbled, "fixed": example.repair, "note": example.repair_note}]}
    seed.with_suffix(".yml").write_text(dump({k: v for k, v in side.items() if v is not None}), encoding="utf-8")
    return seed


def fill_memory(seed: Path, example: Hostile, ctx) -> None:
    """`sync` the hostile article's memory, then translate its first entry with hostile English."""
    from scripts.pipeline import process
    from scripts.ingest import tm_file
    from scripts.memory_edit import sync
    article = process(seed, ctx)
    sync(tm_file(seed), article.segmented.segments, seed.name)
    memory = load(tm_file(seed).read_text(encoding="utf-8"))
    first = memory["segments"][0]
    for pair in first["pairs"]:
        pair["en"] = example.memory_en
    first["notes"] = [{"text": example.memory_note}]
    tm_file(seed).write_text(dump(memory), encoding="utf-8")


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    project = small_project(tmp_path_factory.mktemp("props") / "proj")
    rels = {f.file for f in FIELDS}
    pristine = Pristine({rel: (project / rel).read_bytes() for rel in rels})
    values = {f.name: f"plain {n}" for n, f in enumerate(FIELDS)}
    values[f"{SIDE}:url"] = "https://example.com/plain"          # the original's address is a link
    benign = Hostile(values, "plain", "普通标题", "正文。",
                     "A title", "融资", "a note", "English.", "A note.")
    return Small(project, pristine, Rendered.of(project, benign, pristine))


@dataclass(repr=False)
class Small:
    project: Path
    pristine: dict
    baseline: "Rendered"

    def __repr__(self) -> str:
        return f"Small({self.project})"


# ---------------------------------------------------------------- rendering as MkDocs does, and reading it back

# The lines of Material 9.8's templates that print page titles, descriptions and nav titles
# (base.html, partials/nav-item.html, partials/footer.html), in MkDocs' Jinja (no autoescape).
THEME = """<title>{{ page.meta.title }} - site</title><meta name="description" content="{{ page.meta.description }}">
<div class="md-header__topic"><span class="md-ellipsis">{{ page.meta.title }}</span></div>
{% for t in titles %}<a class="md-nav__link"><span class="md-ellipsis">{{ t }}</span></a>
<a href="../x/" class="md-footer__link" aria-label="Previous: {{ t | e }}"><div class="md-ellipsis">{{ t }}</div></a>{% endfor %}"""


def nav_titles(nav) -> list:
    out = []
    for item in nav:
        if not isinstance(item, dict):         # a page without a title of its own (a section's index)
            continue
        for title, value in item.items():
            out.append(title)
            if isinstance(value, list):
                out += nav_titles(value)
    return out


@dataclass(repr=False)
class Rendered:
    pages: dict                 # docs path -> Page of the page as MkDocs renders it (with the theme's title lines)
    exports: dict               # docs path -> text of CSV / TSV / JSON
    articles: list

    @classmethod
    def of(cls, project: Path, example: Hostile, pristine: dict) -> "Rendered":
        import jinja2
        import markdown
        from mkdocs.utils.meta import get_data
        from scripts.hooks.raw_html import RawBlocksExtension
        from scripts.build import compute
        from scripts.pipeline import Context, load_articles
        seed = apply(project, pristine, example)
        ctx = Context.load(Paths(project))
        fill_memory(seed, example, ctx)
        output = compute(ctx, draw=False)
        articles = load_articles(ctx)
        config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))
        extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
        configs = {next(iter(e)): next(iter(e.values())) for e in config["markdown_extensions"] if isinstance(e, dict)}
        theme = jinja2.Environment().from_string(THEME)
        titles = nav_titles(h.nav(output.nav))
        pages, exports = {}, {}
        for rel, content in output.files.items():
            if rel.endswith(".md"):
                body, meta = get_data(content)
                page_html = markdown.Markdown(extensions=[*extensions, RawBlocksExtension()],
                                              extension_configs=configs).convert(body)
                head = theme.render(page={"meta": meta}, titles=titles)
                pages[rel] = Page(head + page_html)
            elif rel.endswith((".csv", ".tsv", ".json", ".xml")):
                exports[rel] = content
        return cls(pages, exports, articles)

    def __repr__(self) -> str:
        return f"Rendered({len(self.pages)} pages, {len(self.exports)} exports)"


class Pristine(dict):
    """The project's files before an example is written into them (shown short in failures)."""

    def __repr__(self) -> str:
        return f"Pristine({sorted(self)})"


# ---------------------------------------------------------------- the checks



def check(rendered: Rendered, example: Hostile, baseline: Rendered) -> None:
    live = {rel: page.live for rel, page in rendered.pages.items() if page.live}
    assert not live, live
    tags = set().union(*(p.tags for p in baseline.pages.values()))        # what the site makes anyway
    attrs = set().union(*(p.attrs for p in baseline.pages.values()))
    for rel, page in rendered.pages.items():
        assert page.tags <= tags, (rel, page.tags - tags)
        assert page.attrs <= attrs, (rel, page.attrs - attrs)
    every = list(rendered.pages.values())
    for f in FIELDS:
        value = example.values[f.name]
        if f.shows == "page":
            assert any(p.shows(value) for p in every), (f.name, value)
        elif f.shows == "csv":
            cells = [c for rel, text in rendered.exports.items() if rel.endswith(".csv") for c in csv_cells(text)]
            assert any({norm(c), norm(c.removeprefix("'"))} & readings(value) for c in cells), (f.name, value)
    hostile_article = next(a for a in rendered.articles if a.slug == "zz-hostile")
    page = rendered.pages["articles/zz-hostile/index.md"]
    for text in [hostile_article.title_zh] + [i.segment.plain for i in hostile_article.alignment.items]:
        assert page.shows(text), text
    for text in (example.repair_note, example.memory_en, example.memory_note, hostile_article.seed.path.name):
        assert page.shows(text), text
    title = example.title_en or hostile_article.title_zh
    assert norm(page.title) == norm(title) + " - site" and norm(title) in norm(page.description)
    assert rendered.pages["about.md"].shows(hostile_article.seed.path.name)
    check_exports(rendered.exports)
    article_json = json.loads(rendered.exports["data/articles/zz-hostile.json"])
    assert article_json["source_file"] == hostile_article.seed.path.name
    assert example.memory_en in article_json["segments"][0]["en"]


@given(hostile())
def test_no_live_markup_and_literal_text_in_process(small, example):
    project, pristine, baseline = small.project, small.pristine, small.baseline
    try:
        rendered = Rendered.of(project, example, pristine)
    except BuildError as exc:                 # refused input: one line naming a file, never a traceback
        assert "\n" not in str(exc) and str(exc.path)
        reject()
    check(rendered, example, baseline)


# ---------------------------------------------------------------- a real mkdocs build

@settings(max_examples=2)
@given(hostile(drawn_text=DRAWN))
def test_real_mkdocs_build(tmp_path_factory, example):
    project = small_project(tmp_path_factory.mktemp("props-site") / "proj")
    pristine = Pristine({f.file: (project / f.file).read_bytes() for f in FIELDS})
    seed = apply(project, pristine, example)
    from scripts.pipeline import Context, load_articles
    fill_memory(seed, example, Context.load(Paths(project)))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("SITE_URL", None)
    result = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "--quiet"],
                            cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    pages = {str(p.relative_to(site)): Page(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}
    assert not {rel: p.live for rel, p in pages.items() if p.live}
    article = next(a for a in load_articles(Context.load(Paths(project))) if a.slug == "zz-hostile")
    title = example.title_en or article.title_zh
    page = pages["articles/zz-hostile/index.html"]
    assert norm(page.title).startswith(norm(title)) and norm(title) in norm(page.description)
    for rel, p in pages.items():                   # the navigation and the footer on every page
        assert p.shows(title), rel
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        assert not Page(doc["title"]).live and not Page(doc["text"]).live, doc["location"]
    for f in FIELDS:
        if f.shows == "page":
            assert any(p.shows(example.values[f.name]) for p in pages.values()), f.name
    check_exports(exports(site))
