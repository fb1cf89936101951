"""The glossary and who's who as a reader browses and searches them, and the article's source line:
one search document per entry (names boosted above idioms, inner parts of names findable),
A–Z indexes by English and by pinyin, a filter box, headings without doubled words."""
from __future__ import annotations

import json
import re

import pytest
from urllib.parse import urlsplit
from html.parser import HTMLParser

from tests.test_browser import ARTIFACTS, TIMEOUT_MS, browser, context, server, site  # noqa: F401


def _index(site):
    """The search documents: Material writes search/search_index.json, Zensical search.json."""
    material = site / "search" / "search_index.json"
    if material.exists():
        return json.loads(material.read_text(encoding="utf-8"))["docs"]
    return json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]


def _entries(site, page):
    html = (site / page / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<h3 class="bm-entry-h" id="([^"]+)">', html), html


def test_one_search_document_per_entry(site):
    docs = {d["location"] for d in _index(site)}
    for page in ("glossary", "who"):
        ids, _ = _entries(site, page)
        assert len(ids) > 100
        missing = [i for i in ids if f"{page}/#{i}" not in docs]
        assert not missing, missing[:5]


def test_names_rank_above_idioms(site, builder):
    if builder != "mkdocs":
        pytest.skip("Zensical's search index has no per-page boost (its config takes none from front matter)")
    head = (site / "who" / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    docs = [d for d in _index(site) if d["location"].startswith("who/")]
    assert docs and all(d.get("boost", 1) > 1 for d in docs), "who's who pages are boosted in search"
    assert "<title>" in head


def test_inner_parts_of_a_name_are_searchable(site):
    doc = next(d for d in _index(site) if d["location"].startswith("glossary/#") and "六小虎" in d["title"].replace("\u200b", ""))
    assert "小虎" in doc["text"].replace("\u200b", "").replace("六小虎", "")


def test_headings_are_not_doubled(site):
    for page in ("glossary", "who"):
        for inner in re.findall(r'<h3 class="bm-entry-h" id="[^"]+">(.*?)</h3>', (site / page / "index.html").read_text(encoding="utf-8")):
            words = re.sub(r"<[^>]+>", " ", inner).split()
            assert not (len(words) >= 2 and len(words) % 2 == 0 and words[: len(words) // 2] == words[len(words) // 2:]), inner


def test_a_to_z_indexes_link_every_entry(site):
    for page in ("glossary", "who"):
        ids, html = _entries(site, page)
        for label in ("A–Z by English", "A–Z by pinyin"):
            block = html.split(f"<summary>{label}</summary>")[1].split("</details>")[0]
            assert set(re.findall(r'href="#([^"]+)"', block)) == set(ids), label
        english = re.findall(r"<dt>([A-Z#])</dt>", html.split("A–Z by English")[1].split("</details>")[0])
        assert english == sorted(english, key=lambda c: (c == "#", c)) or english == sorted(english)


def test_filter_box_narrows_entries(context, server):
    page = context.new_page()
    page.goto(server + "who/")
    total = page.locator(".bm-entry").count()
    page.fill("#bm-filter", "iflytek")
    page.wait_for_function("() => document.getElementById('bm-filter-count').textContent !== ''")
    visible = page.locator(".bm-entry:not([hidden])")
    assert 1 <= visible.count() < total
    assert "科大讯飞" in visible.first.inner_text()
    page.fill("#bm-filter", "ke da xun fei")
    assert page.locator(".bm-entry:not([hidden])").count() == 0 or "科大讯飞" in page.locator(".bm-entry:not([hidden])").first.inner_text()
    page.fill("#bm-filter", "kedaxunfei")
    assert "科大讯飞" in page.locator(".bm-entry:not([hidden])").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "who-filter.png"))


def test_search_finds_an_entry_by_its_inner_word(context, server, builder):
    if builder != "mkdocs":
        pytest.skip("searched through the index data for Zensical (test_inner_parts_of_a_name_are_searchable)")
    page = context.new_page()
    page.goto(server)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("小虎")
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=TIMEOUT_MS)
    hrefs = page.evaluate("() => [...document.querySelectorAll('.md-search-result__item a[href]')].map(a => a.getAttribute('href'))")
    assert any(urlsplit(h).path.endswith("/glossary/") and urlsplit(h).fragment for h in hrefs), hrefs


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.out = []

    def handle_data(self, data):
        self.out.append(data)


def test_article_source_line_names_the_original(site):
    for page in sorted((site / "articles").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        m = re.search(r"<dt>Source</dt>\s*<dd>(.*?)</dd>", html, re.S)
        assert m, page
        p = _Text()
        p.feed(m.group(1))
        line = "".join(p.out)
        assert "“" in line and re.search(r"\d{4}", line), line
        assert "seeds/" not in line and "lines scraped" not in line
        assert "lines scraped" in html.split('class="bm-provenance"')[1]      # the build's counts, in the details box
