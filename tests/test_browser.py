"""Real-browser tests: the built site in Chromium (Debian's /usr/bin/chromium driven by Playwright).

Every test runs against both builders' output (`built_site`, from tests/conftest.py: one pipeline run,
then MkDocs into site/ and Zensical into site-zensical/, once per session), served by a threaded
http.server on 127.0.0.1 and a random free port; test ids end in [mkdocs] or [zensical]. Every test gets a fresh browser context, so
localStorage (the reader's options, Material's palette) starts empty.

The tests are written for the finished site: where they need something the data does not have yet
(a glossary link, a translated segment, a figure), they fail and say what is missing.

Artefacts (screenshots) go to test-artifacts/ (git-ignored). The accessibility test needs axe-core
from npm (`npm ci`, which `make test` runs).
"""
from __future__ import annotations

import concurrent.futures
import datetime
import functools
import json
import os
import re
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("BM_CHROMIUM", "/usr/bin/chromium")   # another Chromium build: set BM_CHROMIUM
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000

# axe findings in Material's own markup that we do not override. Each entry: (rule id, target) -> why.
AXE_THEME_EXCEPTIONS = {
    # material/templates/partials/search.html renders <div class="md-search" role="dialog"> without an
    # accessible name; the search dialog is theme markup (no override in this project).
    ("aria-dialog-name", ".md-search"): "Material search dialog has role=dialog without a name",
}


# ---------------------------------------------------------------- fixtures

class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    """The built site under test: once as MkDocs built it (site/), once as Zensical did (site-zensical/)."""
    return built_site


@pytest.fixture(scope="module")
def server(site):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: make browser-deps installs Debian's chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _local_only(server: str):
    host = urlsplit(server).netloc

    def handler(route):
        if urlsplit(route.request.url).netloc == host or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort()
    return handler


def new_context(browser, server, **kwargs):
    ctx = browser.new_context(**{"viewport": DESKTOP, **kwargs})
    ctx.set_default_timeout(TIMEOUT_MS)
    ctx.route("**/*", _local_only(server))    # hermetic; test_no_request_leaves_localhost checks what is tried
    return ctx


@pytest.fixture
def context(browser, server):
    ctx = new_context(browser, server)
    yield ctx
    ctx.close()


@pytest.fixture
def touch_context(browser, server):
    ctx = new_context(browser, server, viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


def goto(page, server: str, path: str):
    response = page.goto(server + path, wait_until="load")
    assert response is not None and response.ok, f"/{path}: HTTP {response.status if response else 'no response'}"
    return response


# ---------------------------------------------------------------- what the built site holds

def article_slugs(site: Path) -> list[str]:
    from scripts.pdf import article_cards
    slugs = [c.href.strip("/").split("/")[-1] for c in article_cards(site)]
    assert slugs, "the home page lists no articles"
    return slugs


def article_html(site: Path, slug: str) -> str:
    return (site / "articles" / slug / "index.html").read_text(encoding="utf-8")


def pick_article(site: Path, pattern: str, what: str) -> str:
    """The first article (home-page order) whose HTML matches pattern; fail loudly if none does."""
    for slug in article_slugs(site):
        if re.search(pattern, article_html(site, slug)):
            return slug
    pytest.fail(f"no article page has {what} (looked for /{pattern}/ in site/articles/*/index.html)")


def two_articles(site: Path) -> tuple[str, str]:
    slugs = article_slugs(site)
    assert len(slugs) >= 2, "need two articles to test that options persist across pages"
    return slugs[0], slugs[1]


SHOWN_JS = """el => { if (!el) return false; const s = getComputedStyle(el); const r = el.getBoundingClientRect();
  return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0; }"""
FIRST_PARAGRAPH = ".bm-article div.seg.seg-paragraph"


def shown(page, selector: str) -> bool:
    handle = page.query_selector(selector)
    assert handle is not None, f"nothing matches {selector!r} on {page.url}"
    return page.evaluate(SHOWN_JS, handle)


def pressed(page, opt: str) -> dict[str, str]:
    return page.evaluate("""opt => Object.fromEntries([...document.querySelectorAll(
        `.bm-toolbar button[data-opt="${opt}"]`)].map(b => [b.dataset.val, b.getAttribute('aria-pressed')]))""", opt)


def html_attr(page, name: str) -> str | None:
    return page.evaluate("n => document.documentElement.getAttribute(n)", name)


def stored_options(page) -> dict:
    return json.loads(page.evaluate("() => localStorage.getItem('bm-options') || '{}'"))


# ---------------------------------------------------------------- reading toggles

def test_language_toggle_hides_and_shows_and_persists(page, server, site):
    first, second = two_articles(site)
    zh, en = f"{FIRST_PARAGRAPH} > .zh", f"{FIRST_PARAGRAPH} > .en"
    goto(page, server, f"articles/{first}/")
    assert shown(page, zh) and shown(page, en), "by default both languages show"
    assert pressed(page, "lang") == {"zh": "false", "both": "true", "en": "false"}
    for i, (val, want_zh, want_en) in enumerate((("zh", True, False), ("en", False, True), ("both", True, True))):
        page.click(f'.bm-toolbar button[data-opt="lang"][data-val="{val}"]')
        for where in ("after the click", "on the next article"):
            assert html_attr(page, "data-bm-lang") == val, where
            assert shown(page, zh) is want_zh, f"lang={val}: Chinese shown={not want_zh} {where}"
            assert shown(page, en) is want_en, f"lang={val}: English shown={not want_en} {where}"
            assert pressed(page, "lang") == {v: ("true" if v == val else "false") for v in ("zh", "both", "en")}, where
            assert stored_options(page).get("lang") == val
            if where == "after the click":
                goto(page, server, f"articles/{(second, first)[i % 2]}/")


def test_layout_toggle_side_by_side_and_stacked_persists(page, server, site):
    first, second = two_articles(site)

    def boxes():
        zh = page.locator(f"{FIRST_PARAGRAPH} > .zh").first.bounding_box()
        en = page.locator(f"{FIRST_PARAGRAPH} > .en").first.bounding_box()
        assert zh and en, "segment children not laid out"
        return zh, en

    goto(page, server, f"articles/{first}/")
    zh, en = boxes()
    assert abs(zh["y"] - en["y"]) < 2 and en["x"] >= zh["x"] + zh["width"] - 1, f"side by side by default: {zh} {en}"
    assert pressed(page, "layout") == {"side": "true", "stack": "false"}

    page.click('.bm-toolbar button[data-opt="layout"][data-val="stack"]')
    for where in ("after the click", "on the next article"):
        zh, en = boxes()
        assert en["y"] >= zh["y"] + zh["height"] - 1, f"stacked {where}: English below Chinese: {zh} {en}"
        assert abs(zh["x"] - en["x"]) < 2, f"stacked {where}: same left edge"
        assert en["width"] > DESKTOP["width"] * 0.4, f"stacked {where}: English uses the full column"
        assert html_attr(page, "data-bm-layout") == "stack"
        assert pressed(page, "layout") == {"side": "false", "stack": "true"}, where
        if where == "after the click":
            goto(page, server, f"articles/{second}/")

    page.click('.bm-toolbar button[data-opt="layout"][data-val="side"]')
    goto(page, server, f"articles/{first}/")
    zh, en = boxes()
    assert abs(zh["y"] - en["y"]) < 2 and en["x"] > zh["x"], "side by side again after reload"
    assert pressed(page, "layout") == {"side": "true", "stack": "false"}


def test_script_toggle_shows_traditional_and_persists(page, server, site):
    # word spans are built in the browser from the page's word table; a row with a Taiwan form
    # ("word":["pinyin","traditional", …]) is what the 繁·台 button shows
    slug = pick_article(site, r'id="bm-words"[^>]*>\{.*?"[^"]+":\["[^"]*","[^"]+"',
                        "a word with a Traditional form in the word table (#bm-words)")
    other = next(s for s in article_slugs(site) if s != slug)
    words_js = """() => { const t = JSON.parse(document.getElementById('bm-words').textContent);
        return [...document.querySelectorAll('.bm-article .w[data-z]')].filter(w => (t[w.dataset.z] || []).length > 1 && t[w.dataset.z][1])
        .slice(0, 200).map(w => [w.textContent, t[w.dataset.z][1], w.dataset.z]); }"""
    langs_js = """() => [...new Set([...document.querySelectorAll('.bm-article [data-seg] > [lang^="zh"],'
        + ' .bm-article [data-seg] > .zh')].map(e => e.getAttribute('lang')))]"""
    goto(page, server, f"articles/{slug}/")
    before = page.evaluate(words_js)
    assert before and all(text == simp for text, _, simp in before), "Simplified by default"
    assert page.evaluate(langs_js) == ["zh-Hans"]
    assert pressed(page, "script") == {"hans": "true", "hant": "false", "hk": "false"}

    page.click('.bm-toolbar button[data-opt="script"][data-val="hant"]')
    after = page.evaluate(words_js)
    assert after and all(text == trad for text, trad, _ in after), "every word with a Taiwan form shows it"
    assert [s for _, _, s in after] == [t for t, _, _ in before], "the Simplified text is kept in data-z"
    assert page.evaluate(langs_js) == ["zh-Hant-TW"], "Chinese blocks are marked zh-Hant-TW"
    assert html_attr(page, "data-bm-script") == "hant"
    assert pressed(page, "script") == {"hans": "false", "hant": "true", "hk": "false"}

    goto(page, server, f"articles/{other}/")
    assert html_attr(page, "data-bm-script") == "hant"
    assert pressed(page, "script") == {"hans": "false", "hant": "true", "hk": "false"}
    other_words = page.evaluate(words_js)
    assert other_words and all(text == trad for text, trad, _ in other_words), "Traditional persists on the next page"
    assert page.evaluate(langs_js) == ["zh-Hant-TW"]

    page.click('.bm-toolbar button[data-opt="script"][data-val="hans"]')
    assert all(text == simp for text, _, simp in page.evaluate(words_js)), "back to Simplified"
    assert page.evaluate(langs_js) == ["zh-Hans"]


def test_pinyin_toggle_shows_pinyin_and_persists(page, server, site):
    first, second = two_articles(site)
    probe = f"{FIRST_PARAGRAPH} > .zh .w[data-p]"
    ruby_js = """sel => { const w = document.querySelector(sel), r = w.querySelector('rt');
        return [r ? w.getBoundingClientRect().top - r.getBoundingClientRect().top : 0,
        [...w.querySelectorAll('rt')].map(r => r.textContent).join(' ').replace(/ +/g, ' ').trim(), w.getAttribute('data-p')]; }"""
    goto(page, server, f"articles/{first}/")
    above0, shown0, _ = page.evaluate(ruby_js, probe)
    assert shown0 == "", f"no pinyin by default, got {shown0!r}"
    assert pressed(page, "pinyin") == {"on": "false"}

    page.click('.bm-toolbar button[data-opt="pinyin"]')
    for where in ("after the click", "on the next article"):
        above1, shown1, py = page.evaluate(ruby_js, probe)
        assert shown1 == py, f"the word's ruby shows its pinyin {where}: {shown1!r} vs {py!r}"
        assert html_attr(page, "data-bm-pinyin") == "on"
        assert pressed(page, "pinyin") == {"on": "true"}, where
        assert above1 > 5, f"the pinyin sits above the characters {where} ({above0} -> {above1})"
        if where == "after the click":
            goto(page, server, f"articles/{second}/")

    page.click('.bm-toolbar button[data-opt="pinyin"]')
    assert html_attr(page, "data-bm-pinyin") == "off"
    assert page.evaluate(ruby_js, probe)[1] == ""
    assert pressed(page, "pinyin") == {"on": "false"}


# ---------------------------------------------------------------- glossary tooltips

GL_PATTERN = r'<a class="gl[ "]'


def _pick_glossary_link(page):
    """The first a.gl in the article's Chinese, marked so the locator stays on it."""
    assert page.evaluate("""() => { const a = document.querySelector('.bm-article .zh a.gl[data-term]');
        if (a) a.setAttribute('data-test-pick', 'gl'); return !!a; }"""), "no a.gl[data-term] in the article's Chinese"
    return page.locator('a.gl[data-test-pick="gl"]')


def _term_entry(page, link) -> list:
    """The link's row in the page's term table: [zh, pinyin, English, first sentence of the definition]."""
    return page.evaluate("""id => JSON.parse(document.getElementById('bm-terms').textContent)[id]""",
                         link.get_attribute("data-term"))


def _tooltip_text(page) -> str:
    page.wait_for_selector(".bm-pop:not([hidden])", state="visible", timeout=TIMEOUT_MS)
    return page.eval_on_selector(".bm-pop:not([hidden])", "e => e.textContent.trim()")


def test_glossary_tooltip_on_hover_and_on_focus(page, server, site):
    slug = pick_article(site, GL_PATTERN, "a glossary or name link (a.gl) — data/glossary.yml / entities.yml")
    goto(page, server, f"articles/{slug}/")
    link = _pick_glossary_link(page)
    zh, pinyin, english, definition = _term_entry(page, link)
    assert english and definition, f"the term table gives English and a definition: {zh}"

    link.hover()
    text = _tooltip_text(page)
    assert english in text and definition in text, f"hover shows the term's pop-up: {text!r}"
    assert page.locator(".md-tooltip2--active").count() == 0, "no second (Material) tooltip"

    page.mouse.move(1, DESKTOP["height"] - 1)
    page.wait_for_selector(".bm-pop", state="hidden", timeout=TIMEOUT_MS)

    link.focus()      # keyboard focus (as Tab would give it)
    assert page.evaluate("() => document.activeElement.classList.contains('gl')")
    assert _tooltip_text(page) == text, "keyboard focus shows the same pop-up"
    page.keyboard.press("Escape")
    assert page.locator(".bm-pop").is_hidden(), "Escape closes it"


def test_glossary_link_first_tap_shows_tooltip_second_tap_navigates(touch_context, server, site):
    page = touch_context.new_page()
    slug = pick_article(site, GL_PATTERN, "a glossary or name link (a.gl)")
    goto(page, server, f"articles/{slug}/")
    assert page.evaluate("matchMedia('(pointer: coarse)').matches"), "touch context has a coarse pointer"
    link = _pick_glossary_link(page)
    english, href = _term_entry(page, link)[2], link.get_attribute("href")
    url = page.url

    link.tap()
    page.wait_for_timeout(300)
    assert page.url == url, "first tap does not navigate"
    assert english in _tooltip_text(page), "first tap shows the pop-up"

    link.tap()
    page.wait_for_url(urljoin(url, href))
    assert re.search(r"/(glossary|who)/$", urlsplit(page.url).path), page.url
    entry = urlsplit(page.url).fragment
    assert page.locator(f'[id="{entry}"]').count() == 1, f"the glossary has an entry #{entry}"


# ---------------------------------------------------------------- dictionary pop-up

PICK_WORD_JS = """() => {
  const dict = JSON.parse(document.getElementById('bm-dict').textContent);
  const words = [...document.querySelectorAll('.bm-article [data-seg] .zh .w')];
  const w = words.find(w => !w.closest('a, .num, .repair') && w.getBoundingClientRect().width > 0 &&
      (dict[w.textContent] || []).some(e => e[0] === w.textContent));
  if (!w) return null;
  w.setAttribute('data-test-pick', '1');
  const entry = dict[w.textContent].find(e => e[0] === w.textContent);
  return {word: w.textContent, pinyin: entry[2]};
}"""


def _check_popup(page, picked, how):
    pop = page.locator(".bm-pop")
    try:
        pop.wait_for(state="visible", timeout=3_000)
    except PlaywrightTimeoutError:
        pytest.fail(f"{how} on {picked['word']!r} (outside a link, in #bm-dict) did not leave .bm-pop visible")
    text = pop.inner_text()
    assert picked["word"] in text and picked["pinyin"] in text, f"pop-up for {picked}: {text!r}"


def _pick_dictionary_word(page, server, site) -> dict:
    """Open an article with a pop-up dictionary and mark a word outside any link that has an entry."""
    slug = pick_article(site, r'id="bm-dict"[^>]*>\{"', "a non-empty pop-up dictionary (#bm-dict)")
    goto(page, server, f"articles/{slug}/")
    picked = page.evaluate(PICK_WORD_JS)
    assert picked, "no word outside a link has its own #bm-dict entry"
    return picked


def test_dictionary_popup_on_hover(page, server, site):
    picked = _pick_dictionary_word(page, server, site)
    page.locator("[data-test-pick]").hover()
    _check_popup(page, picked, "hovering")
    page.keyboard.press("Escape")
    assert not page.locator(".bm-pop").is_visible(), "Escape closes the pop-up"


def test_dictionary_popup_on_tap(touch_context, server, site):
    page = touch_context.new_page()
    picked = _pick_dictionary_word(page, server, site)
    page.locator("[data-test-pick]").tap()
    _check_popup(page, picked, "a tap")


# ---------------------------------------------------------------- sentence alignment

def test_hovering_a_chinese_sentence_highlights_its_english(page, server, site):
    slug = pick_article(site, r'<div class="en" lang="en"><span class="s" data-s="1">.*?<span class="s" data-s="2">',
                        "a translated segment with two or more sentences (seeds/*.en.yml still untranslated?)")
    goto(page, server, f"articles/{slug}/")
    seg = page.evaluate("""() => {
      const seg = [...document.querySelectorAll('.bm-article [data-seg]')].find(s =>
        s.querySelector(':scope > .en:not(.pending):not(.stale) .s[data-s="2"]') && s.querySelector(':scope > .zh .s[data-s="2"]'));
      return seg && seg.getAttribute('data-seg');
    }""")
    assert seg, "no translated segment with a second sentence in both languages"
    zh2 = page.locator(f'[data-seg="{seg}"] > .zh .s[data-s="2"]')
    en2 = page.locator(f'[data-seg="{seg}"] > .en .s[data-s="2"]')
    en1 = page.locator(f'[data-seg="{seg}"] > .en .s[data-s="1"]')
    assert "bm-hl" not in (en2.get_attribute("class") or "")
    # the middle of the sentence's first line box (an inline span's bounding box can start mid-line)
    point = zh2.evaluate("""el => { el.scrollIntoView({block: 'center'});
        const r = el.getClientRects()[0]; return {x: r.left + r.width / 2, y: r.top + r.height / 2}; }""")
    page.mouse.move(point["x"], point["y"])
    page.wait_for_function("el => el.classList.contains('bm-hl')", arg=en2.element_handle())
    assert "bm-hl" not in (en1.get_attribute("class") or ""), "only the paired sentence lights up"
    page.mouse.move(1, DESKTOP["height"] - 1)
    page.wait_for_function("el => !el.classList.contains('bm-hl')", arg=en2.element_handle())


# ---------------------------------------------------------------- search

def search(page, builder: str, query: str) -> list[tuple[str, str]]:
    """Type `query` into the site's search box; the results as (href, text without zero-width spaces).
    Material's search is a box in the header; Zensical's is a dialog (in a shadow root, which
    Playwright's CSS selectors enter) opened from the header's search button."""
    if builder == "zensical":
        page.click(".md-search__button")
        box, item = page.locator("dialog input[role=combobox]"), "dialog a[role=option]"
    else:
        box, item = page.locator("input.md-search__input"), ".md-search-result__item a[href]"
        box.click()
    box.fill(query)
    box.press("End")          # Material reads the query on keyup (an IME commit ends with one too)
    page.wait_for_selector(item, timeout=TIMEOUT_MS)
    return page.locator(item).evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.textContent.replace(/\\u200b/g, '')])")


@pytest.mark.parametrize("query", ["六小虎", "百模大战", "价格战", "Scaling Law", "iFlytek"])
def test_search_finds_articles(page, server, builder, query):
    goto(page, server, "")
    results = search(page, builder, query)
    paths = [urlsplit(href).path for href, _ in results]
    assert any("/articles/" in p or p.startswith("articles/") for p in paths), f"{query!r}: no article among {paths}"
    assert any(query.lower() in text.lower() for _, text in results), f"{query!r}: no result contains the query"


# ---------------------------------------------------------------- phone, dark mode, print

def test_phone_layout_has_no_horizontal_scroll_and_stacks(touch_context, server, site):
    page = touch_context.new_page()
    goto(page, server, f"articles/{article_slugs(site)[0]}/")
    sw, cw = page.evaluate("() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
    assert sw <= cw, f"horizontal scroll on a 390px phone: scrollWidth {sw} > clientWidth {cw}"
    zh = page.locator(f"{FIRST_PARAGRAPH} > .zh").first.bounding_box()
    en = page.locator(f"{FIRST_PARAGRAPH} > .en").first.bounding_box()
    assert en["y"] >= zh["y"] + zh["height"] - 1, f"English below Chinese on a phone: {zh} {en}"
    assert en["x"] + en["width"] <= PHONE["width"] + 1 and zh["x"] >= 0


def test_dark_mode_keeps_figures_on_white(page, server, site):
    assert (site / "figures" / "index.html").is_file(), "site has no /figures/ page (figures are required)"
    goto(page, server, "figures/")
    assert page.locator(".bm-figure img").count() > 0, "the Figures page has no img inside .bm-figure"
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "default"
    page.locator('form[data-md-component="palette"] label:visible').first.click()
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.reload(wait_until="load")
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate", "palette persists"
    backgrounds = page.evaluate("""() => [...document.querySelectorAll('.bm-figure img')]
        .map(i => [i.getAttribute('src'), getComputedStyle(i).backgroundColor])""")
    bad = [(src, bg) for src, bg in backgrounds if bg not in ("rgb(255, 255, 255)", "rgba(255, 255, 255, 1)")]
    assert not bad, f"figures without a white background in dark mode: {bad}"


def test_print_shows_both_languages_and_terms_without_chrome(page, server, site):
    slug = pick_article(site, r'class="bm-terms"', 'a "Terms in this article" list (.bm-terms)')
    goto(page, server, f"articles/{slug}/")
    page.emulate_media(media="print")
    assert shown(page, f"{FIRST_PARAGRAPH} > .zh") and shown(page, f"{FIRST_PARAGRAPH} > .en")
    assert not shown(page, ".bm-toolbar"), "the toolbar does not print"
    assert not shown(page, ".md-header"), "Material's header does not print"
    for chrome in (".md-sidebar--primary", ".md-footer"):
        if page.query_selector(chrome):
            assert not shown(page, chrome), f"{chrome} does not print"
    assert shown(page, ".bm-terms"), "the terms list prints"

    # what prints follows the reader's toggles
    page.emulate_media(media="screen")
    page.click('.bm-toolbar button[data-opt="lang"][data-val="en"]')
    page.emulate_media(media="print")
    assert not shown(page, f"{FIRST_PARAGRAPH} > .zh") and shown(page, f"{FIRST_PARAGRAPH} > .en"), \
        "English-only reading prints English only"


# ---------------------------------------------------------------- network

def test_no_request_leaves_localhost(browser, server, site):
    ctx = browser.new_context(viewport=DESKTOP)
    seen: list[str] = []
    host = urlsplit(server).netloc

    def record(route):
        seen.append(route.request.url)
        if urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            route.abort()
    ctx.route("**/*", record)
    page = ctx.new_page()
    missing = []
    try:
        for path in ("", f"articles/{article_slugs(site)[0]}/", "glossary/", "figures/"):
            response = page.goto(server + path, wait_until="load")
            if response is None or not response.ok:
                missing.append(f"/{path} (HTTP {response.status if response else '—'})")
            page.wait_for_load_state("networkidle")
    finally:
        ctx.close()
    outside = sorted({u for u in seen if urlsplit(u).scheme in ("http", "https", "ws", "wss")
                      and urlsplit(u).hostname != "127.0.0.1"})
    assert not outside, "requests leaving the site: " + ", ".join(outside)
    assert not missing, "pages missing: " + ", ".join(missing)


# ---------------------------------------------------------------- accessibility

A11Y_PAGES = ["home", "article", "glossary", "figures"]


def _a11y_path(site, which):
    return {"home": "", "article": f"articles/{article_slugs(site)[0]}/", "glossary": "glossary/",
            "figures": "figures/"}[which]


@pytest.mark.parametrize("which", A11Y_PAGES)
def test_accessibility(page, server, site, which):
    assert AXE.is_file(), f"{AXE} missing: run `npm ci` in the project root (make test does)"
    goto(page, server, _a11y_path(site, which))
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
      const r = await axe.run(document, {resultTypes: ['violations']});
      return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
    }""")
    problems, count = [], 0
    for v in result:
        if v["impact"] not in ("serious", "critical"):
            continue
        nodes = [n for n in v["nodes"] if (v["id"], n["target"]) not in AXE_THEME_EXCEPTIONS]
        if not nodes:
            continue
        count += len(nodes)
        lines = [f"{v['impact']} {v['id']} ({v['help']}) on {len(nodes)} element(s):"]
        lines += [f"    {n['target']}: " + " ".join(n["summary"].split())[:240] for n in nodes[:6]]
        if len(nodes) > 6:
            lines.append(f"    … and {len(nodes) - 6} more")
        problems.append("\n".join(lines))
    assert not problems, (f"/{_a11y_path(site, which)}: {count} serious/critical axe finding(s):\n"
                          + "\n".join(problems))

    no_alt = page.evaluate("() => [...document.querySelectorAll('img')].filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.outerHTML.slice(0, 120))")
    assert not no_alt, f"images without alt text: {no_alt}"
    no_lang = page.evaluate("""() => [...document.querySelectorAll('.md-content .zh, .md-content .en')]
        .filter(e => !e.getAttribute('lang')).map(e => e.outerHTML.slice(0, 120))""")
    assert not no_lang, f".zh/.en blocks without lang: {no_lang}"


# ---------------------------------------------------------------- screenshots

def test_screenshots(browser, server, site, builder):
    prefix = "" if builder == "mkdocs" else f"{builder}-"
    ARTIFACTS.mkdir(exist_ok=True)
    slugs = article_slugs(site)
    slug = next((s for s in slugs if re.search(r'<div class="en" lang="en">', article_html(site, s))), slugs[0])
    shots = []
    ctx = new_context(browser, server)
    try:
        page = ctx.new_page()
        goto(page, server, f"articles/{slug}/")
        page.screenshot(path=ARTIFACTS / f"{prefix}article-desktop-1280x900.png")
        shots.append(f"{prefix}article-desktop-1280x900.png")
        page.emulate_media(media="print")
        page.screenshot(path=ARTIFACTS / f"{prefix}article-print.png", full_page=True)
        shots.append(f"{prefix}article-print.png")
    finally:
        ctx.close()
    ctx = new_context(browser, server, viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    try:
        page = ctx.new_page()
        goto(page, server, f"articles/{slug}/")
        page.evaluate("() => window.scrollTo(0, document.querySelector('.bm-toolbar').getBoundingClientRect().top + window.scrollY - 60)")
        page.screenshot(path=ARTIFACTS / f"{prefix}article-phone-390x844.png")
        shots.append(f"{prefix}article-phone-390x844.png")
    finally:
        ctx.close()
    for name in shots:
        assert (ARTIFACTS / name).stat().st_size > 10_000, f"{name} looks empty"


# ---------------------------------------------------------------- PDF

def test_pdf_edition(built_project, site, builder):
    if builder != "mkdocs":
        pytest.skip("`make pdf` prints the MkDocs site (site/, scripts/pdf.py); the Zensical output's print "
                    "stylesheet is checked by test_print_shows_both_languages_and_terms_without_chrome")
    from scripts.pdf import main
    # In a worker thread: Playwright's sync API cannot nest inside this module's running browser.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        out = pool.submit(main, built_project).result(timeout=300)
    assert out == built_project / "dist" / "baimozhi.pdf" and out.is_file() and out.stat().st_size > 50_000

    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    rows = [line.split() for line in fonts if line.strip()]
    assert rows, "pdffonts lists no fonts"
    # columns from the right: emb sub uni object ID  ->  [-5] emb, [-3] uni
    not_embedded = [r for r in rows if r[-5] != "yes"]
    assert not not_embedded, f"fonts not embedded: {not_embedded}"
    # Chromium (Skia) embeds TrueType fonts as named CID subsets and CFF-flavoured OpenType such as
    # Noto Sans CJK as Type 3 subsets with a ToUnicode map: either way the CJK glyphs are in the file.
    cjk = [r for r in rows if re.search(r"CJK|Noto|SourceHan", r[0]) or ("Type" in r and r[r.index("Type") + 1] == "3")]
    assert cjk, f"no embedded CJK font: {rows}"
    assert all(r[-3] == "yes" for r in cjk), "CJK fonts carry a ToUnicode map (text is extractable)"

    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "科大讯飞" in text, "Chinese is extractable text"
    assert "iFlytek" in text
    assert "Contents" in text and "Glossary" in text
    today = datetime.date.today()
    assert today.isoformat() not in text and f"{today:%B} {today.day}, {today.year}" not in text, \
        "no build date printed in the body"

    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages >= len(article_slugs(site)) + 2, f"{pages} pages for {len(article_slugs(site))} articles"
    assert "A4" in info
