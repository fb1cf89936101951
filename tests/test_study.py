"""Cite, subscribe, study: the feed and citations validated by parsers, the level profile and
vocabulary exports checked as data, and My words, study mode, reading progress and the Cite dialog
driven in Chromium."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string

from scripts import cite, feed, study
from tests.test_browser import ARTIFACTS, browser, context, server, site, touch_context  # noqa: F401

ARTICLE = "articles/iflytek-first-loss/"


def _articles(site: Path) -> list[Path]:
    return sorted(p for p in (site / "articles").glob("*/index.html"))


# ---------------------------------------------------------------- feed

def test_feed_is_valid_atom_newest_first_with_both_titles(site):
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    entries = parsed.entries
    assert len(entries) == len(_articles(site))
    dates = [e.published_parsed for e in entries]
    assert dates == sorted(dates, reverse=True)
    for e in entries:
        assert re.search(r"[A-Za-z]", e.title) and re.search(r"[\u4e00-\u9fff]", e.title), e.title
        assert e.author and e.summary and re.search(r"[\u4e00-\u9fff]", e.summary)
        assert e.link.rstrip("/").split("/")[-1] in {p.parent.name for p in _articles(site)}


def test_every_page_announces_the_feed(site):
    for page in [site / "index.html", *_articles(site), site / "glossary" / "index.html"]:
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="[^"]*feed\.xml"', head), page


def test_feed_escapes_its_fields():
    entry = feed.FeedEntry("x", '<script>alert(1)</script> & "q"', "标题<b>", "O", "", "2024-01-02", "a <i>b</i>", "中", "https://e/x/")
    xml = feed.atom([entry], "https://e/", "T", "S")
    assert b"<script>" not in xml and b"<b>" not in xml and b"<i>" not in xml
    assert feedparser.parse(xml).entries[0].title.startswith("<script>alert(1)</script>")   # shown literally


# ---------------------------------------------------------------- citations

def test_the_macro_index_changes_no_citation(monkeypatch):
    """cite._index_macros only speeds citeproc-py up: with its own XPath lookup back, every form of
    the reference is the same text."""
    from citeproc import model
    works = [cite.Work("a", "Title of things", "标题", "Cailian Press", "财联社", ("张三",), "2023-07-23", "https://x/a/"),
             cite.Work("b", "", "标题", "", "36氪", (), "", "https://x/b/", "https://36kr.com/p/1"),
             cite.Work("c", "A B", "甲乙", "AINEXT", "AINEXT", ("A", "B", "C"), "2024-05", "https://x/c/")]
    indexed = [cite._chicago.__wrapped__(w) for w in works]
    monkeypatch.setattr(model.CitationStylesElement, "get_macro",
                        lambda self, name: self.get_root().xpath_search(f"cs:macro[@name='{name}'][1]")[0])
    assert [cite._chicago.__wrapped__(w) for w in works] == indexed
    assert indexed[0][2] == "(张三 2023, para. 9999)"


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=24), st.text(max_size=8), st.integers(1, 400),
       st.sampled_from(["p-3f2a9c1d", "h-00aa11bb-2", "p-8888", "x y"]))
def test_a_paragraphs_bibtex_is_as_if_written_alone(title, author, n, anchor):
    """cite.bibtex writes paragraph entries from one template per work: the text is what pybtex
    writes for that paragraph alone, whatever the title and author hold (placeholders included)."""
    w = cite.Work("k", title, "标题", "Cailian Press", "财联社", (author,) if author else (), "2023-07-23", "https://x/k/")
    assert cite.bibtex(w, ((n, anchor),))[1][n] == cite._bibtex_entries(w, ((n, anchor),))[f"k-p{n}"]


def test_citations_parse_and_name_original_and_edition(site):
    for page in _articles(site):
        slug = page.parent.name
        data = json.loads((site / "data" / "cite" / f"{slug}.json").read_text(encoding="utf-8"))
        art = data["article"]
        html = page.read_text(encoding="utf-8")
        assert "Translated by the editors of 百模志" in art["chicago"]
        assert f"/articles/{slug}/" in art["chicago"]
        bib = parse_string(art["bibtex"], "bibtex")
        (key, entry), = bib.entries.items()
        assert key == slug and entry.fields["origtitle"] and entry.fields["journaltitle"]
        csl = json.loads(art["csl"])
        assert csl[0]["type"] == "article-newspaper" and csl[0]["original-title"] and csl[0]["URL"].endswith(f"/{slug}/")
        seg_ids = re.findall(r'<div class="seg [^"]*" data-seg="([^"]+)"', html)
        assert seg_ids and set(seg_ids) <= set(data["paragraphs"])
        for n, seg in enumerate(data["paragraphs"].values(), start=1):
            assert seg["n"] == n and seg["intext"].endswith(f"para. {n})")
            assert parse_string(seg["bibtex"], "bibtex").entries[f"{slug}-p{n}"].fields["note"].startswith(f"para. {n}")
            assert json.loads(seg["csl"])[0]["locator"] == str(n)
        assert "Cite this article" in html


def test_chicago_without_author_starts_with_the_outlet():
    w = cite.Work("k", "Title", "标题", "Cailian Press", "财联社", (), "2023-07", "https://e/k/")
    entry, in_text, per = cite.chicago(w, (3,))
    assert entry.startswith("Cailian Press (财联社). 2023.") and in_text == "(Cailian Press (财联社) 2023)"
    assert per[3] == "(Cailian Press (财联社) 2023, para. 3)"


# ---------------------------------------------------------------- level and vocabulary

def test_level_profile_and_vocabulary_exports(site):
    for page in _articles(site):
        slug = page.parent.name
        html = page.read_text(encoding="utf-8")
        assert re.search(r"<strong>HSK [1-7]", html)
        assert 95 <= sum(float(x) for x in re.findall(r"(\d+)%", html.split('class="bm-level-legend">')[1].split("</span>")[0])) <= 105
        vocab = (site / "articles" / slug / "vocabulary" / "index.html").read_text(encoding="utf-8")
        assert "HSK 1" in vocab and "Beyond the HSK list" in vocab
        rows = list(csv.reader(io.StringIO((site / "data" / "vocabulary" / f"{slug}.csv").read_text(encoding="utf-8"))))
        assert rows[0][:4] == ["word", "pinyin", "level", "english"] and len(rows) > 100
        assert all(not r[0].startswith(("=", "+", "-", "@")) for r in rows)
        anki = (site / "data" / "vocabulary" / f"{slug}-anki.tsv").read_text(encoding="utf-8").splitlines()
        assert anki[:3] == ["#separator:tab", "#html:true", "#tags column:4"]
        assert all(len(line.split("\t")) == 4 for line in anki[3:])


def test_names_are_not_graded_and_levels_come_from_the_list():
    words, profile = study.vocabulary([("p-1", 1, "科大讯飞发布了新的大模型。", "iFlytek released a new large model.")],
                                      lambda s: ("科大讯飞", "发布", "了", "新", "的", "大模型", "。"),
                                      frozenset({"科大讯飞"}), lambda w: ("", ""))
    assert "科大讯飞" not in {w.word for w in words}
    levels = {w.word: w.level for w in words}
    assert levels["的"] == 1 and levels["大模型"] is None
    assert profile.tokens == 5 and profile.beyond == 1


def test_anki_fields_are_escaped():
    w = study.Word("<b>", None, "<i>", "a<script>", 1, study.Occurrence("p", 1, "x<b>y", "<u>"))
    fields = study.anki_tsv([w], "t").splitlines()[-1].split("\t")
    assert fields[0] == fields[2] == "&lt;b&gt;"
    assert "&lt;i&gt;" in fields[1] and "a&lt;script&gt;" in fields[1] and "<i>&lt;u&gt;</i>" in fields[1]
    assert "<script>" not in fields[1] and "<u>" not in fields[1]


# ---------------------------------------------------------------- in the browser

def _open_dictionary(page):
    word = page.locator(".bm-article .zh .w:not(a .w)").filter(has_text=re.compile(r"^[\u4e00-\u9fff]{2,}$")).first
    word.evaluate("e => e.scrollIntoView({block: 'center'})")
    word.hover()
    page.wait_for_selector(".bm-pop:not([hidden]) .bm-star")
    return word


def test_my_words_star_saves_and_exports(context, server):
    page = context.new_page()
    page.goto(server + ARTICLE)
    word = _open_dictionary(page)
    text = word.inner_text()
    page.locator(".bm-pop .bm-star").click()
    assert page.locator(".bm-pop .bm-star").get_attribute("aria-pressed") == "true"
    page.goto(server + "my-words/")
    row = page.locator(".bm-mywords-table tbody tr").first
    assert text in row.inner_text()
    with page.expect_download() as dl:
        page.get_by_role("button", name=re.compile("CSV")).click()
    saved = Path(dl.value.path()).read_text(encoding="utf-8")
    assert text in saved and saved.startswith("word,pinyin,english")
    page.screenshot(path=str(ARTIFACTS / "my-words.png"))


def test_stored_words_are_shown_as_text(context, server):
    page = context.new_page()
    page.goto(server + "my-words/")
    page.evaluate("""localStorage.setItem('bm-mywords', JSON.stringify([
        {w: '<img src=x onerror=window.pwned=1>', py: '<b>', en: '"><script>window.pwned=1</script>',
         zh: 'x', page: 'javascript:window.pwned=1'}]))""")
    page.reload()
    assert page.locator(".bm-mywords-table td").first.inner_text() == "<img src=x onerror=window.pwned=1>"
    assert page.evaluate("window.pwned") is None
    assert page.locator(".bm-mywords-table a").count() == 0      # no link to anything but a site path


def test_study_mode_hides_english_until_tapped_and_is_remembered(touch_context, server):
    page = touch_context.new_page()
    page.goto(server + ARTICLE)
    page.get_by_role("button", name="Study").tap()
    seg = page.locator(".bm-article .seg.seg-paragraph").nth(2)
    assert not seg.locator(".en").is_visible()
    seg.locator(".zh").tap()
    assert seg.locator(".en").is_visible()
    page.reload()
    assert page.get_by_role("button", name="Study").get_attribute("aria-pressed") == "true"
    assert not page.locator(".bm-article .seg.seg-paragraph").nth(2).locator(".en").is_visible()
    page.screenshot(path=str(ARTIFACTS / "study-mode-phone.png"))


def test_reading_progress_offers_to_resume(context, server):
    page = context.new_page()
    page.goto(server + ARTICLE)
    target = page.locator(".bm-article .seg.seg-paragraph").nth(12)
    target.scroll_into_view_if_needed()
    page.mouse.wheel(0, 200)
    page.wait_for_function("() => (localStorage.getItem('bm-progress') || '').includes('p-')", timeout=5000)
    page.goto(server + ARTICLE)
    resume = page.locator(".bm-resume")
    assert resume.is_visible() and re.match(r"Resume at ¶\d+", resume.inner_text())
    resume.click()
    assert page.evaluate("window.scrollY") > 500


def test_cite_a_paragraph_in_two_clicks(context, server):
    page = context.new_page()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(server + ARTICLE)
    page.locator(".bm-article .seg-paragraph .bm-cite-btn").nth(4).click()                  # click 1
    dialog = page.locator("dialog.bm-cite-dialog")
    dialog.locator("pre").first.wait_for()
    assert re.match(r"Cite ¶\d+", dialog.locator("h2").inner_text())
    assert dialog.locator("pre").count() == 3
    dialog.get_by_role("button", name="Copy Chicago").click()                                  # click 2
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "Translated by the editors of 百模志" in copied and "para." in copied
    page.screenshot(path=str(ARTIFACTS / "cite-dialog.png"))
