"""The reader's second pass (issue 13): one pop-up at a time, annotations in both languages,
the surface word's own reading, pinyin as ruby, Traditional in the Taiwan or Hong Kong standard
on every visible string, keyboard reading, ¶ permalinks that survive edits.

Data cases in tests/cases/reader.yml; the rest in Chromium on the built site (fixtures from
tests/test_browser.py), on a desktop and a 390 px touch phone. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import html

from scripts.html import text as h_text
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts.annotate import Lexicon, english, numbers, words
from scripts.paths import ROOT as PROJECT_ROOT
from tests.test_browser import (AXE, AXE_THEME_EXCEPTIONS, ARTIFACTS, DESKTOP, PHONE, TIMEOUT_MS,  # noqa: F401
                                article_html, article_slugs, browser, context, goto, new_context, page, search,
                                server, site, touch_context)

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "reader.yml").read_text(encoding="utf-8"))
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@pytest.fixture(scope="module")
def lexicon():
    return Lexicon.load(PROJECT_ROOT / "data")


def table(page, name: str) -> dict:
    return page.evaluate("n => { const e = document.getElementById('bm-' + n); return e ? JSON.parse(e.textContent) : {}; }", name)


def biggest_article(site) -> str:
    """The article with the most annotations (links and figures): where Tab stops pile up."""
    return max(article_slugs(site), key=lambda s: len(re.findall(r'class="(?:gl|num)', article_html(site, s))))


def pop_state(page) -> dict:
    """Every pop-up showing: ours and Material's tooltips."""
    return page.evaluate("""() => ({
      ours: [...document.querySelectorAll('.bm-pop')].filter(p => !p.hidden).map(p => [p.dataset.kind, p.innerText]),
      material: document.querySelectorAll('.md-tooltip2--active, .md-tooltip--active').length })""")


def set_option(page, opt: str, val: str):
    page.click(f'.bm-toolbar button[data-opt="{opt}"][data-val="{val}"]')


PLAIN_WORD_JS = """() => { const e = document.activeElement;
    return e.matches('.w') && !e.closest('a, .num, .repair') && !!JSON.parse(document.getElementById('bm-dict').textContent)[e.dataset.z]; }"""


def cursor_on_plain_word(page):
    """Tab's stop in the first paragraph's Chinese, then ArrowRight to a word outside any annotation
    that the dictionary has."""
    page.evaluate("() => document.querySelector('.bm-article .seg-paragraph > .zh [tabindex=\"0\"]').focus()")
    for _ in range(60):
        if page.evaluate(PLAIN_WORD_JS):
            return
        page.keyboard.press("ArrowRight")
    pytest.fail("no ordinary word with a dictionary entry within 60 steps")


# ---------------------------------------------------------------- data cases

@pytest.mark.parametrize("case", CASES["dictionary"], ids=lambda c: c["label"])
def test_dictionary_falls_back_to_longest_known_pieces(case, lexicon):
    assert not words.cedict_entries(case["word"]), "the case must be a word CC-CEDICT lacks"
    assert [row[0] for row in words.lookup(case["word"])] == case["headwords"]


def _marks(sentence_html: str) -> list[list[str]]:
    out = []
    for m in re.finditer(r'<a class="gl[^"]*" href="[^"]*" data-term="([^"]+)">(.*?)</a>|<span class="num"[^>]*>(.*?)</span>',
                         sentence_html):
        out.append([html.unescape(m.group(2)), m.group(1)] if m.group(1) else [html.unescape(m.group(3)), "figure"])
    return out


@pytest.mark.parametrize("case", CASES["english"], ids=lambda c: c["label"])
def test_english_side_marks_what_the_chinese_holds(case, lexicon):
    terms = [t for _, _, t in lexicon.matcher.find(case["zh"])]
    sentences, _ = english.annotate([case["en"]], [], terms, numbers.find(case["zh"]), "../../")
    assert _marks(sentences[0]) == case["marks"]


MARK = '<sup class="fn"></sup>'


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=120), afters=st.lists(st.text(max_size=8), max_size=3),
       zh=st.sampled_from([c["zh"] for c in CASES["english"]]))
def test_english_annotation_keeps_any_text_and_escapes_it(lexicon, text, afters, zh):
    """Whatever the English holds, the page shows exactly it: marks only add tags, never text, and
    nothing in it becomes markup."""
    terms = [t for _, _, t in lexicon.matcher.find(zh)]
    sentences, placed = english.annotate([text], [(MARK, a) for a in afters], terms, numbers.find(zh), "../../")
    out = sentences[0]
    assert len(placed) == len(afters) and out.count(MARK) == len(afters)
    bare = re.sub(r'<a class="gl[^"]*" href="[^"]*" data-term="[a-z0-9-]+">|</a>|<span class="num" data-x="\d+" '
                  r'data-en="[^"<>]*" data-zh="[^"<>]*">|</span>', "", out.replace(MARK, ""))
    assert "<" not in bare and ">" not in bare, out
    # characters HTML cannot carry (controls, noncharacters) show as U+FFFD (scripts/html.py)
    shown = "".join(c if c == "\ufffd" or html.unescape(h_text(c)) == c else "\ufffd" for c in text)
    assert html.unescape(bare) == shown


@settings(max_examples=300, deadline=None)
@given(word=st.text(min_size=1, max_size=6), tw=st.text(max_size=6), hk=st.text(max_size=6))
def test_traditional_forms_decode_as_bm_js_reads_them(word, tw, hk):
    """words.hant_entry's compact row, read the way bm.js reads it, gives back both standards."""
    forms = words.hant_entry(word, tw or word, hk or word)
    got_tw = (forms[0] or word) if forms else word
    got_hk = (forms[1] or word) if len(forms) > 1 else got_tw
    assert (got_tw, got_hk) == (tw or word, hk or word)


@settings(max_examples=200, deadline=None)
@given(data=st.dictionaries(st.text(max_size=12), st.lists(st.text(max_size=12), max_size=3), max_size=6))
def test_page_tables_cannot_break_out_of_their_script(data):
    from scripts.annotate import PageAnnotations
    from scripts.render import page_data
    ann = PageAnnotations(dictionary=dict(data), words={k: [""] + v for k, v in data.items()})
    for block in page_data(ann, "".join(data), moved={"p-00000000": "p-11111111"}):
        payload = re.fullmatch(r'<script type="application/json" id="bm-[a-z]+">(.*)</script>\n', block, re.S).group(1)
        assert "<" not in payload
        json.loads(payload)


def test_traditional_names_keep_their_words(lexicon):
    """s2twp rewrites 智能 as 智慧 (Taiwan's word), but a company called 百川智能 keeps its name."""
    names = [n for n in lexicon.names if words.to_hant(n, "tw") != words.to_hant(n, "tw", words=False)]
    assert names, "no name whose words s2twp would change (the check would prove nothing)"
    for name in names:
        assert words.hant_text(f"据{name}称", "tw", lexicon.names_re) == \
            words.to_hant("据", "tw") + words.to_hant(name, "tw", words=False) + words.to_hant("称", "tw")


# ---------------------------------------------------------------- ¶ permalinks survive edits

def test_accepted_edit_keeps_old_links(tmp_path):
    """A paragraph's Chinese changes and the translator accepts it: its id follows the new text,
    the translation memory records the old id, and the page maps the old id to the new one."""
    from scripts import ingest, memory_edit
    from scripts.paths import Paths
    from scripts.pipeline import Context, process
    from scripts.render import moved_ids, render_article
    from tests.conftest import make_project
    proj = make_project(tmp_path / "proj")
    ctx = Context.load(Paths(proj))
    for seed in sorted(ingest.find_seeds(proj / "seeds")):
        a = process(seed, ctx)
        text = seed.read_text(encoding="utf-8")
        item = next((i for i in a.alignment.items if i.status == "translated" and i.segment.kind == "paragraph"
                     and i.segment.plain[:12] in text), None)
        if item:
            break
    else:
        pytest.fail("no translated paragraph whose text the scrape holds verbatim")
    old = item.segment.id
    seed.write_text(text.replace(item.segment.plain[:12], item.segment.plain[:12] + "确实", 1), encoding="utf-8")
    edited = next(i for i in process(seed, ctx).alignment.items if i.segment.id == old)
    assert edited.status == "stale", "the edited paragraph keeps its translation, out of date"
    new = memory_edit.accept(ingest.tm_file(seed), edited)
    assert new != old
    after = process(seed, ctx)
    item = next(i for i in after.alignment.items if i.segment.id == new)
    assert item.status == "translated" and item.entry.was == (old,)
    assert moved_ids(after.alignment.items) == {old: new}
    page = render_article(after, ctx).page
    moved = re.search(r'<script type="application/json" id="bm-moved">(.*?)</script>', page)
    assert moved and json.loads(moved.group(1)) == {old: new}
    assert f'id="{new}"' in page and f'id="{old}"' not in page


def test_translation_memory_rejects_a_bad_was(tmp_path):
    from scripts.align import load_memory
    from scripts.errors import BuildError
    path = tmp_path / "x.en.yml"
    path.write_text("segments:\n- id: p-1a2b3c4d\n  was: [not-an-id]\n  pairs:\n  - {zh: 中, en: x}\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"x.en.yml:3: .*was .not-an-id."):
        load_memory(path)


def test_paragraph_numbers_permalinks_and_copy(context, server, site):
    slug = article_slugs(site)[0]
    cite = json.loads((site / "data" / "cite" / f"{slug}.json").read_text(encoding="utf-8"))["paragraphs"]
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.rstrip("/"))
    page = context.new_page()
    goto(page, server, f"articles/{slug}/")
    bars = page.evaluate("""() => [...document.querySelectorAll('.bm-article .seg-paragraph, .bm-article .seg-caption')].map(s => {
        const b = s.querySelector('.bm-para'); return [s.id, b && b.querySelector('.bm-pn').textContent,
        b && b.querySelector('.bm-pn').getAttribute('href'), b ? [...b.querySelectorAll('button')].map(x => x.textContent) : []]; })""")
    assert bars, "no paragraphs"
    for seg_id, label, href, buttons in bars:
        assert label == f"¶{cite[seg_id]['n']}", f"{seg_id}: the ¶ number is the Cite dialog's ({label})"
        assert href == f"#{seg_id}"
        assert buttons[:1] == ["Copy link"] and "Cite" in buttons, f"{seg_id}: copy and Cite beside ¶: {buttons}"
    seg_id = bars[len(bars) // 2][0]
    page.locator(f'[id="{seg_id}"] .bm-copylink').click()
    assert page.evaluate("() => navigator.clipboard.readText()") == f"{server}articles/{slug}/#{seg_id}"
    assert page.locator(f'[id="{seg_id}"] .bm-copylink').inner_text() == "Copied"
    page.locator(f'[id="{seg_id}"] .bm-pn').click()
    assert urlsplit(page.url).fragment == seg_id
    top = page.locator(f'[id="{seg_id}"]').bounding_box()["y"]
    bar = page.locator(".bm-toolbar").bounding_box()
    assert top >= bar["y"] + bar["height"] - 1, "the paragraph lands below the sticky toolbar"


def test_old_paragraph_link_lands_on_its_paragraph(browser, server, site):
    """An article whose table maps an old id (as `accept` records it) sends #old to the paragraph."""
    slug = article_slugs(site)[0]
    target = re.search(r'<div class="seg seg-paragraph" data-seg="([^"]+)"', article_html(site, slug)).group(1)
    ctx = new_context(browser, server)
    try:
        def inject(route):
            response = route.fetch()
            body = response.text().replace("</body>", '<script type="application/json" id="bm-moved">'
                                           f'{{"p-0badc0de":"{target}"}}</script></body>')
            route.fulfill(response=response, body=body)
        ctx.route(f"{server}articles/{slug}/", inject)
        page = ctx.new_page()
        page.goto(f"{server}articles/{slug}/#p-0badc0de", wait_until="load")
        page.wait_for_function("t => location.hash === '#' + t", arg=target)
        assert "bm-target" in page.locator(f'[id="{target}"]').get_attribute("class"), "the paragraph is flashed"
        box, bar = page.locator(f'[id="{target}"]').bounding_box(), page.locator(".bm-toolbar").bounding_box()
        assert bar["y"] + bar["height"] - 1 <= box["y"] < DESKTOP["height"] / 2, f"in view below the toolbar: {box}"
    finally:
        ctx.close()


# ---------------------------------------------------------------- one pop-up, nearest meaning wins

def test_one_popup_nearest_meaning_wins(page, server, site):
    slug = biggest_article(site)
    goto(page, server, f"articles/{slug}/")
    titled = page.evaluate("() => document.querySelectorAll('.bm-article .seg > .zh [title], .bm-article .seg > .en [title]').length")
    assert titled == 0, "annotations carry no title attribute: Material would draw a second tooltip"
    for selector, kind, limit in ((".zh .num", "number", 40), (".zh .repair", "repair", 10),
                                  (".zh a.gl", "glossary", 15), (".en .num", "number", 15), (".en a.gl", "glossary", 15)):
        count = min(page.locator(f".bm-article {selector}").count(), limit)
        assert count, f"no {selector} in {slug}"
        for i in range(count):
            el = page.locator(f".bm-article {selector}").nth(i)
            el.evaluate("e => e.scrollIntoView({block: 'center'})")
            el.hover()
            state = pop_state(page)
            assert state["material"] == 0 and len(state["ours"]) == 1, f"{selector} #{i}: {state}"
            assert state["ours"][0][0] == kind, f"{selector} #{i}: the {kind} pop-up wins: {state}"
            if kind == "number":
                assert el.get_attribute("data-en") in state["ours"][0][1]
                assert "CC-CEDICT" not in state["ours"][0][1], "no dictionary entries under a figure"
            page.mouse.move(1, DESKTOP["height"] - 1)
    # the dictionary: a word CC-CEDICT lacks shows its pieces, each once
    pieces = page.evaluate("""() => { const d = JSON.parse(document.getElementById('bm-dict').textContent);
        return Object.entries(d).filter(([w, es]) => es.some(e => e[0] !== w)).map(([w, es]) => [w, es.map(e => e[0])]); }""")
    assert pieces, "no word split into pieces"
    for word, heads in pieces:
        assert len(set(heads)) == len(heads) and all(h in word for h in heads), (word, heads)


def test_number_popup_names_both_sides_and_marks_the_twin(page, server, site):
    goto(page, server, f"articles/{biggest_article(site)}/")
    en = page.locator(".bm-article .en .num").first
    en.evaluate("e => e.scrollIntoView({block: 'center'})")
    en.hover()
    text = pop_state(page)["ours"][0][1]
    assert en.get_attribute("data-zh") in text and en.get_attribute("data-en") in text
    twin = page.evaluate("""() => { const t = document.querySelector('.bm-article .zh .num.bm-twin');
        return t && [t.dataset.x, t.closest('[data-seg]').id]; }""")
    assert twin == [en.get_attribute("data-x"), en.evaluate("e => e.closest('[data-seg]').id")], \
        "the Chinese figure it renders is highlighted"
    page.keyboard.press("Escape")
    assert not pop_state(page)["ours"] and page.locator(".bm-twin").count() == 0


def test_tapping_a_figure_on_a_phone_opens_one_popup(touch_context, server, site):
    page = touch_context.new_page()
    goto(page, server, f"articles/{biggest_article(site)}/")
    num = page.locator(".bm-article .zh .num").first
    num.evaluate("e => e.scrollIntoView({block: 'center'})")
    num.tap()
    state = pop_state(page)
    assert state["material"] == 0 and [k for k, _ in state["ours"]] == ["number"], state
    box = page.locator(".bm-pop").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"the pop-up fits the phone: {box}"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "reader-phone-number-popup.png")
    page.tap("h1")
    assert not pop_state(page)["ours"], "a tap elsewhere closes it"


# ---------------------------------------------------------------- surface word first (item 7)

def test_variant_popup_shows_its_own_reading_first(page, server, site, lexicon):
    by_id = lexicon.by_id()
    seen = 0
    for slug in article_slugs(site):
        goto(page, server, f"articles/{slug}/")
        variants = page.evaluate("""() => { const t = JSON.parse(document.getElementById('bm-terms').textContent);
            return [...document.querySelectorAll('.bm-article .zh a.gl')].map((a, i) => [i, a.dataset.term, a.dataset.z])
              .filter(([i, id, z]) => t[id] && z !== t[id][0]); }""")
        for i, tid, surface in variants:
            term = by_id[tid]
            link = page.locator(".bm-article .zh a.gl").nth(i)
            link.focus()
            lines = page.locator(".bm-pop").inner_text().split("\n")
            own = term.form_pinyin(surface)
            assert lines[0] == " ".join(x for x in (surface, own) if x), f"{slug}: {surface} first, with its own reading: {lines}"
            arrow = next((k for k, x in enumerate(lines) if x.startswith("→ ")), None)
            assert arrow is not None and lines[arrow].startswith(f"→ {term.zh} "), f"then → {term.zh}: {lines}"
            assert term.pinyin in lines[arrow] and term.en in lines[arrow]
            seen += 1
        if variants and slug == article_slugs(site)[0]:
            link.focus()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=ARTIFACTS / "reader-variant-popup.png")
    assert seen, "no glossary link in the Chinese uses another form than its entry's"


# ---------------------------------------------------------------- both languages (item 3)

def test_english_reader_gets_terms_figures_and_notes(page, server, site, lexicon):
    by_id = lexicon.by_id()
    slug = biggest_article(site)
    goto(page, server, f"articles/{slug}/")
    set_option(page, "lang", "en")
    links = page.evaluate("""() => [...document.querySelectorAll('.bm-article .en a.gl')].filter(a => a.getClientRects().length)
        .map(a => [a.dataset.term, a.textContent, [...a.closest('[data-seg]').querySelectorAll('.zh a.gl')].map(z => z.dataset.term)])""")
    assert len(links) >= 20, f"English-only reading keeps its glossary and name links ({len(links)})"
    norm = lambda s: re.sub(r"[\s\-–]+", " ", s.lower().replace("’", "'"))  # noqa: E731
    for tid, text, zh_terms in links:
        assert tid in zh_terms, f"{text!r} links {tid}, which the paired Chinese names"
        options = [norm(o) for o in (by_id[tid].en,) + by_id[tid].variants]
        assert any(norm(text).startswith(o) for o in options), f"{text!r} is a rendering of {tid}: {options}"
    figures = page.evaluate("""() => [...document.querySelectorAll('.bm-article .en .num')].filter(n => n.getClientRects().length)
        .map(n => { const z = n.closest('[data-seg]').querySelector('.zh .num[data-x="' + n.dataset.x + '"]');
          return [n.dataset.zh, z && z.dataset.zh]; })""")
    assert len(figures) >= 10, f"figures marked in the English ({len(figures)})"
    assert all(a == b for a, b in figures), "each English figure points at the Chinese one it renders"
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".bm-article .en .num").first.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.screenshot(path=ARTIFACTS / "reader-english-only.png")


@pytest.mark.parametrize("lang", ["zh", "both", "en"])
def test_note_marks_show_in_every_language_mode(page, server, site, lang):
    slug = next((s for s in article_slugs(site) if 'class="bm-notes"' in article_html(site, s)), None)
    assert slug, "no article with translator's notes"
    goto(page, server, f"articles/{slug}/")
    set_option(page, "lang", lang)
    marks = page.evaluate("""() => [...document.querySelectorAll('.bm-notes > li[id]')].map(li =>
        [li.id, [...document.querySelectorAll('.bm-article [data-seg] sup.fn a[href="#' + li.id + '"]')]
          .filter(a => a.getClientRects().length).map(a => a.closest('sup').className)])""")
    assert marks
    for note, shown in marks:
        assert len(shown) == 1, f"{note}: one visible mark in {lang} mode, got {shown}"
        assert ("fn-zh" in shown[0]) == (lang == "zh"), f"{note}: the mark on the shown side ({shown})"
    if lang == "zh":   # the note's ↩ lands on the mark the reader can see
        note = marks[0][0]
        page.locator(f'[id="{note}"] .fn-back').click()
        page.wait_for_function("n => location.hash === '#fnref-' + n.slice(3) + '-zh'", arg=note)
        assert page.locator(f'[id="fnref-{note[3:]}-zh"]').is_visible()


# ---------------------------------------------------------------- pinyin as ruby (item 10)

RUBY_JS = """() => {
  const lum = c => { const m = c.match(/[\\d.]+/g).map(Number); const a = m.length > 3 ? m[3] : 1;
    const ch = m.slice(0, 3).map(v => v * a + 255 * (1 - a)).map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]; };
  const out = {overlaps: [], tight: [], sizes: new Set(), contrast: 99, uneven: [], rts: 0, underlines: 0, linked: 0};
  document.querySelectorAll('.bm-article .seg-paragraph > .zh').forEach(block => {
    if (!block.getClientRects().length) return;
    const box = r => { const g = document.createRange(); g.selectNodeContents(r); return g.getBoundingClientRect(); };  // the letters
    const rts = [...block.querySelectorAll('rt')].filter(r => r.textContent).map(r => ({r: box(r), w: r.closest('.w')}));
    out.rts += rts.length;
    for (let i = 1; i < rts.length; i++) {
      const a = rts[i - 1], b = rts[i];
      if (Math.abs(a.r.top - b.r.top) > 2) continue;           // a new line
      if (b.r.left < a.r.right - 0.5) out.overlaps.push([a.w.textContent, b.w.textContent]);
      else if (a.w !== b.w && b.r.left - a.r.right < 2) out.tight.push([a.w.textContent, b.w.textContent, b.r.left - a.r.right]);
    }
    const tops = [...new Set([...block.querySelectorAll('ruby')].map(r => Math.round(r.getBoundingClientRect().top)))].sort((x, y) => x - y);
    const lines = tops.filter((t, i) => i === 0 || t - tops[i - 1] > 4);
    const gaps = lines.slice(1).map((t, i) => t - lines[i]);
    if (gaps.length > 1 && Math.max(...gaps) - Math.min(...gaps) > 2) out.uneven.push(gaps);
  });
  const rt = document.querySelector('.bm-article .seg-paragraph > .zh rt');
  const s = getComputedStyle(rt);
  document.querySelectorAll('.bm-article .zh rt').forEach(r => out.sizes.add(parseFloat(getComputedStyle(r).fontSize)));
  const fg = lum(s.color), bg = lum(getComputedStyle(document.body).backgroundColor);
  out.contrast = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  document.querySelectorAll('.bm-article .zh a.gl').forEach(a => {
    out.linked++;
    const w = a.querySelector('.w');
    if (getComputedStyle(a).textDecorationLine.includes('underline') && (!w || getComputedStyle(w).display === 'inline')) out.underlines++;
  });
  out.sizes = [...out.sizes];
  return out;
}"""


CELLS_JS = """() => {
  // each character of the Chinese with its reading, line by line: where it stands, which word it
  // belongs to, and whether other text stands between it and the one before
  const out = {gaps: {word: [], between: []}, overlaps: [], rts: 0, lines: 0};
  document.querySelectorAll('.bm-article .seg-paragraph > .zh').forEach(block => {
    if (!block.getClientRects().length) return;
    const g = document.createRange();
    const cells = [...block.querySelectorAll('rt')].filter(rt => rt.textContent).map(rt => {
      const ruby = rt.parentNode, base = ruby.firstChild;
      g.selectNodeContents(base); const b = g.getBoundingClientRect();
      g.selectNodeContents(rt); const r = g.getBoundingClientRect();
      return {b, r, w: ruby.closest('.w'), ruby};
    });
    out.rts += cells.length;
    for (let i = 1; i < cells.length; i++) {
      const a = cells[i - 1], c = cells[i];
      if (Math.abs(a.b.top - c.b.top) > 2) { out.lines++; continue; }          // a new line
      if (c.r.left < a.r.right - 0.5) out.overlaps.push([a.ruby.textContent, c.ruby.textContent]);
      g.setStartAfter(a.ruby.closest('.bm-c') || a.ruby); g.setEndBefore(c.ruby.closest('.bm-c') || c.ruby);
      if (g.toString().trim()) continue;                                       // punctuation or a figure between
      // the glyphs stand centred over their boxes: centre to centre is the character's pitch
      (a.w === c.w ? out.gaps.word : out.gaps.between).push(+((c.b.left + c.b.right - a.b.left - a.b.right) / 2).toFixed(2));
    }
  });
  return out;
}"""


@pytest.mark.parametrize("where", ["desktop", "phone"])
def test_pinyin_is_ruby_without_collisions(browser, server, site, where):
    kwargs = {} if where == "desktop" else {"viewport": PHONE, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
    ctx = new_context(browser, server, **kwargs)
    try:
        page = ctx.new_page()
        goto(page, server, f"articles/{biggest_article(site)}/")
        if where == "phone":        # turned on while the Chinese is hidden, laid out once it shows
            set_option(page, "lang", "en")
        page.click('.bm-toolbar button[data-opt="pinyin"]')
        set_option(page, "lang", "both")
        r = page.evaluate(RUBY_JS)
        assert r["rts"] > 500, f"ruby over the words ({r['rts']} readings)"
        assert not r["overlaps"], f"readings overlap: {r['overlaps'][:5]}"
        assert not r["tight"], f"neighbouring words' readings touch: {r['tight'][:5]}"
        assert min(r["sizes"]) >= 11, f"pinyin at least 11 px: {r['sizes']}"
        assert r["contrast"] >= 4.5, f"pinyin contrast {r['contrast']:.2f}:1"
        assert not r["uneven"], f"uneven line gaps: {r['uneven'][:3]}"
        assert r["linked"] and r["underlines"] == r["linked"], "every term keeps its underline"
        # a character whose reading is wider than it does not push its neighbours apart: along every
        # line the step from one character to the next is the same within a word, and the same (a
        # little wider) from word to word
        c = page.evaluate(CELLS_JS)
        assert not c["overlaps"], f"readings overlap: {c['overlaps'][:5]}"
        word, between = c["gaps"]["word"], c["gaps"]["between"]
        assert len(word) > 100 and len(between) > 100 and c["lines"] > 20, (len(word), len(between), c["lines"])
        assert max(word) - min(word) <= 1, f"uneven steps within words: {sorted(set(word))}"
        assert max(between) - min(between) <= 1, f"uneven steps between words: {sorted(set(between))}"
        assert min(between) >= max(word), "words stand a little apart"
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(".bm-article .seg-paragraph").nth(1).evaluate("e => e.scrollIntoView({block: 'center'})")
        page.screenshot(path=ARTIFACTS / f"reader-pinyin-{where}.png")
    finally:
        ctx.close()




# ---------------------------------------------------------------- 繁: Taiwan and Hong Kong (item 11)

VISIBLE_TEXT_JS = """() => {
  const out = [], seen = new Set(), walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode, el = n.parentElement;
    if (!/[\u3400-\u9fff]/.test(n.nodeValue) || el.closest('script, style, code, pre, textarea, .bm-toolbar, .bm-pop')) continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    const s = el.closest('.bm-article [data-seg] > .zh .s');
    if (s) {          // a sentence of words: compared whole, as the build converts it
      if (!seen.has(s)) { seen.add(s); out.push(['sentence', s.closest('[data-seg]').id + '/' + s.dataset.s, s.textContent]); }
      continue;
    }
    const area = el.closest('.md-sidebar--secondary') ? 'toc' : el.closest('.md-sidebar--primary') ? 'nav'
      : el.closest('h1') ? 'title' : el.closest('.bm-article') ? 'article' : 'page';
    out.push([area, '', n.nodeValue]);
  }
  return out;
}"""


@pytest.mark.parametrize("standard,val,tag", [("tw", "hant", "zh-Hant-TW"), ("hk", "hk", "zh-Hant-HK")])
def test_traditional_converts_every_visible_string(page, server, site, lexicon, standard, val, tag):
    slug = biggest_article(site)
    goto(page, server, f"articles/{slug}/")
    before = page.evaluate(VISIBLE_TEXT_JS)
    set_option(page, "script", val)
    after = page.evaluate(VISIBLE_TEXT_JS)
    assert [x[:2] for x in after] == [x[:2] for x in before], "the same strings show"
    areas, whole, sentences = {}, 0, 0
    for (area, key, hans), (_, _, hant) in zip(before, after):
        areas[area] = areas.get(area, 0) + 1
        if area == "sentence":
            sentences += 1
            expect = words.hant_slices(hans, lexicon.names_re)[standard]
            if expect is None:
                # the standard changes the sentence's length, so the build converted it word by
                # word: no character the standard always changes may be left
                converted = words.hant_text(hans, standard, lexicon.names_re)
                left = {c for c in hans if words.to_hant(c, standard, words=False) != c} - set(converted)
                assert not set(hant) & left, f"{key}: {sorted(set(hant) & left)} left in {hant!r}"
                continue
            whole += 1
        else:
            expect = HAN_RUN.sub(lambda m: words.hant_text(m.group(), standard, lexicon.names_re), hans)
        assert hant == expect, f"{area} {key}: {hans!r} shows as {hant!r}, not {expect!r}"
    assert whole > sentences / 2, f"only {whole} of {sentences} sentences converted whole"
    assert areas.get("toc") and areas.get("title") and areas.get("article"), f"title, contents and metadata: {areas}"
    langs = page.evaluate("""() => [...new Set([...document.querySelectorAll('.bm-article [lang^="zh"]')]
        .filter(e => !e.closest('.bm-toolbar')).map(e => e.getAttribute('lang')))]""")
    assert langs == [tag]
    set_option(page, "script", "hans")
    assert page.evaluate(VISIBLE_TEXT_JS) == before, "back to Simplified, everything as it was"


def check_converted(before, after, standard, lexicon, exact=True) -> int:
    """Every string shown converted as the build converts its runs (unless not `exact`: text the
    browser made, converted piece by piece), and no character left that the standard changes
    wherever it stands (a Simplified-only character). How many strings changed."""
    assert [x[:2] for x in after] == [x[:2] for x in before], "the same strings show"
    changed = 0
    for (area, key, hans), (_, _, hant) in zip(before, after):
        expect = HAN_RUN.sub(lambda m: words.hant_text(m.group(), standard, lexicon.names_re), hans)
        assert hant == expect or not exact, f"{area} {key}: {hans!r} shows as {hant!r}, not {expect!r}"
        left = {c for c in hans if words.to_hant(c, standard, words=False) != c} - set(expect)
        assert not set(hant) & left, f"{area}: Simplified-only {sorted(set(hant) & left)} left in {hant!r}"
        changed += hant != hans
    return changed


@pytest.mark.parametrize("path", ["glossary/", "who/"])
@pytest.mark.parametrize("standard,val,tag", [("tw", "hant", "zh-Hant-TW"), ("hk", "hk", "zh-Hant-HK")])
def test_traditional_on_glossary_and_whos_who(page, server, lexicon, path, standard, val, tag):
    """繁 on the reference pages: the script choice under the title converts every visible Chinese
    string (headings, entries, contents) from the site's shared table, fetched only when chosen."""
    asked = []
    page.on("request", lambda r: asked.append(urlsplit(r.url).path))
    goto(page, server, path)
    before = page.evaluate(VISIBLE_TEXT_JS)
    assert not any(a.endswith("/data/hant.json") for a in asked), "the table loads only when 繁 is chosen"
    set_option(page, "script", val)
    page.wait_for_selector("html[data-bm-shared]")
    after = page.evaluate(VISIBLE_TEXT_JS)
    changed = check_converted(before, after, standard, lexicon)
    assert changed > len(before) / 4, f"only {changed} of {len(before)} strings changed"
    langs = page.evaluate("""() => [...new Set([...document.querySelectorAll('.md-content [lang^="zh"]')]
        .filter(e => !e.closest('.bm-toolbar')).map(e => e.getAttribute('lang')))]""")
    assert langs == [tag]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"traditional-{path.strip('/')}-{standard}.png")
    set_option(page, "script", "hans")
    assert page.evaluate(VISIBLE_TEXT_JS) == before, "back to Simplified, everything as it was"


def test_traditional_follows_the_reader_to_every_page(page, server, site, lexicon):
    """Chosen once (remembered), 繁 holds on every other kind of page: figures, timeline, the articles
    index, a vocabulary list and the home page, their titles and captions included."""
    goto(page, server, "glossary/")
    set_option(page, "script", "hant")
    slug = article_slugs(site)[0]
    for path in ["figures/", "timeline/", "articles/", f"articles/{slug}/vocabulary/", ""]:
        goto(page, server, path)
        page.wait_for_selector("html[data-bm-shared]")
        after = page.evaluate(VISIBLE_TEXT_JS)
        assert page.locator('.bm-toolbar button[data-val="hant"][aria-pressed="true"]').count() == 1, path
        page.evaluate("() => { localStorage.setItem('bm-options', JSON.stringify({script: 'hans'})); }")
        goto(page, server, path)
        before = page.evaluate(VISIBLE_TEXT_JS)
        page.evaluate("() => { localStorage.setItem('bm-options', JSON.stringify({script: 'hant'})); }")
        assert check_converted(before, after, "tw", lexicon), f"/{path}: nothing converted"


FIGURE_URLS_JS = """() => [...document.querySelectorAll(
    '.md-content img[src*="assets/figures/"], .md-content source[srcset*="assets/figures/"], .md-content a[href*="assets/figures/"]')]
    .map(e => [e.tagName, e.getAttribute(e.tagName === 'IMG' ? 'src' : e.tagName === 'SOURCE' ? 'srcset' : 'href'),
               e.tagName === 'IMG' ? e.currentSrc : ''])"""
LOADS_JS = "urls => Promise.all(urls.map(u => fetch(u).then(r => r.ok && r.headers.get('content-type').includes('svg'))))"


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("standard,val", [("tw", "hant"), ("hk", "hk")])
def test_traditional_figures_are_drawn_in_the_chosen_script(page, server, site, standard, val, size):
    """繁 reaches the drawings: every chart, its phone drawing, its full-size link and the timeline
    show the drawing in the chosen standard (assets/figures/tw/ or hk/), each loads, and what it
    draws holds no Simplified-only character. Back to 简, the Simplified drawings return."""
    from scripts.figures import hant
    page.set_viewport_size(DESKTOP if size == "desktop" else PHONE)
    for path in ["figures/", "timeline/"]:
        goto(page, server, path)
        before = page.evaluate(FIGURE_URLS_JS)
        assert before and all("/tw/" not in u and "/hk/" not in u for _, u, _ in before)
        page.locator(".md-content img").first.scroll_into_view_if_needed()
        set_option(page, "script", val)
        page.wait_for_function("() => { const i = document.querySelector('.md-content img'); return i.complete && i.currentSrc; }")
        after = page.evaluate(FIGURE_URLS_JS)
        assert [t for t, *_ in after] == [t for t, *_ in before]
        for (tag, was, _), (_, now, _) in zip(before, after):
            assert now == was.replace("assets/figures/", f"assets/figures/{standard}/"), (tag, was, now)
        assert all(page.evaluate(LOADS_JS, [u for _, u, _ in after])), "every drawing is on the site"
        shown = after[[t for t, *_ in after].index("IMG")][2]      # the drawing the browser chose (wide or narrow)
        assert f"/assets/figures/{standard}/" in shown and ("/narrow/" in shown) == (size == "phone"), shown
        for _, now, _ in after:
            rel = urlsplit(now).path.split("assets/figures/", 1)[1]
            svg = (site / "assets" / "figures" / rel).read_text(encoding="utf-8")
            drawn = "".join(re.findall(r"<!-- (.*?) -->", svg) + re.findall(r"<text\b[^>]*>([^<]*)</text>", svg))
            assert words.to_hant(drawn, standard, words=False) == drawn, rel
            assert svg != (site / "assets" / "figures" / rel.split("/", 1)[1]).read_text(encoding="utf-8")
        set_option(page, "script", "hans")
        assert [u for _, u, _ in page.evaluate(FIGURE_URLS_JS)] == [u for _, u, _ in before]
    assert hant.STANDARDS == ("tw", "hk")


def _search_texts(page, builder, query):
    results = search(page, builder, query)
    page.keyboard.press("Escape")
    return [("search", urlsplit(href).path, text) for href, text in results]


@pytest.mark.parametrize("standard,val", [("tw", "hant"), ("hk", "hk")])
def test_traditional_search_results(page, server, builder, lexicon, standard, val):
    """繁 reaches the search results, which the search engine renders after the page loaded (Material's
    list; Zensical's dialog in a shadow root): the same results, no Simplified-only character left.
    A query typed in Traditional finds what the Simplified one finds, and stays as typed."""
    query = next(q for q in ("价格战", "大模型", "六小虎") if words.to_hant(q, standard) != q)
    goto(page, server, "glossary/")
    before = _search_texts(page, builder, query)
    assert before, f"{query}: no results"
    set_option(page, "script", val)
    page.wait_for_selector("html[data-bm-shared]")
    after = _search_texts(page, builder, query)
    assert check_converted(before, after, standard, lexicon, exact=False) >= len(after) / 2, "results converted"
    typed = words.to_hant(query, standard)
    found = search(page, builder, typed)
    box = "dialog input[role=combobox]" if builder == "zensical" else "input.md-search__input"
    assert page.locator(box).input_value() == typed, "the box keeps what the reader typed"
    assert [urlsplit(h).path for h, _ in found] == [x[1] for x in after], f"{typed} finds what {query} finds"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"traditional-search-{builder}-{standard}.png")


@pytest.mark.parametrize("standard,val", [("tw", "hant"), ("hk", "hk")])
def test_traditional_my_words(page, server, site, lexicon, standard, val):
    """繁 reaches My words, which bm-study.js builds from this browser's storage after the page loaded:
    the saved words and their sentences and titles, no Simplified-only character left."""
    goto(page, server, f"articles/{biggest_article(site)}/")
    plain = page.locator(".bm-article .zh .w:not(a .w)").filter(has_text=re.compile(r"^[\u4e00-\u9fff]{2,}$"))
    saved = []
    for i in range(plain.count()):
        w = plain.nth(i)
        z = w.get_attribute("data-z")
        if len(saved) == 4:
            break
        if z in saved or words.to_hant(z, standard) == z:
            continue
        w.evaluate("e => e.scrollIntoView({block: 'center'})")
        w.hover()
        page.wait_for_selector(".bm-pop:not([hidden]) .bm-star")
        page.locator(".bm-pop .bm-star").click()
        saved.append(z)
    assert len(saved) == 4, f"words the standard writes otherwise: {saved}"
    goto(page, server, "my-words/")
    before = page.evaluate(VISIBLE_TEXT_JS)
    assert {z for z in saved if any(x[2] == z for x in before)} == set(saved), "the saved words show"
    set_option(page, "script", val)
    page.wait_for_selector("html[data-bm-shared]")
    after = page.evaluate(VISIBLE_TEXT_JS)
    check_converted(before, after, standard, lexicon, exact=False)
    shown = {x[2] for x in after}
    assert all(words.to_hant(z, standard) in shown for z in saved), f"the words in {standard}: {saved}"
    goto(page, server, "my-words/")     # chosen before the list is built
    page.wait_for_selector("html[data-bm-shared]")
    assert page.evaluate(VISIBLE_TEXT_JS) == after
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"traditional-my-words-{standard}.png")


def test_taiwan_words_carry_their_own_pinyin(page, server, site):
    """Where Taiwan uses another word (人工智能 -> 人工智慧), the ruby reads that word."""
    goto(page, server, f"articles/{biggest_article(site)}/")
    page.click('.bm-toolbar button[data-opt="pinyin"]')
    set_option(page, "script", "hant")
    got = page.evaluate("""() => { const t = JSON.parse(document.getElementById('bm-words').textContent);
        return [...document.querySelectorAll('.bm-article .w[data-z]')].filter(w => (t[w.dataset.z] || []).length > 3)
          .map(w => [w.dataset.z, w.querySelector('ruby') ? [...w.querySelectorAll('rt')].map(r => r.textContent).join(' ') : '',
                     t[w.dataset.z][3], w.textContent]); }""")
    assert got, "no word that Taiwan writes as another word"
    for word, shown, reading, text in got:
        assert shown == reading, f"{word} shows as {text} read {shown!r}, not {reading!r}"
    set_option(page, "script", "hk")
    back = page.evaluate("""() => [...document.querySelectorAll('.bm-article .w[data-z]')].filter(w => w.dataset.z === %s)
        .map(w => [...w.querySelectorAll('rt')].map(r => r.textContent).join(' '))""" % json.dumps(got[0][0]))
    assert back and all(r == page.evaluate("w => document.querySelector(`.w[data-z='${w}']`).dataset.p", got[0][0])
                        for r in back), "Hong Kong keeps the word and its reading"


def test_traditional_standards_differ_where_they_should(page, server, site):
    """Taiwan writes 為 and 群, Hong Kong 為 and 羣; OpenCC's plain s2t would give 爲 and 羣."""
    slug = biggest_article(site)
    goto(page, server, f"articles/{slug}/")
    text = {}
    for val in ("hans", "hant", "hk"):
        set_option(page, "script", val)
        text[val] = page.evaluate("() => document.querySelector('.bm-article').innerText")
    assert "为" in text["hans"] and "群" in words.to_hant(text["hans"], "tw"), "the check needs 为 and 群 in the text"
    plain = words.to_traditional(text["hans"])
    assert "爲" in plain and "爲" not in text["hant"] and "爲" not in text["hk"], "為, not 爲"
    assert "為" in text["hant"] and "為" in text["hk"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "reader-traditional-hk.png")


# ---------------------------------------------------------------- keyboard (item 14)

TABBABLE_JS = """() => {
  const vis = e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden';
  const inSeg = [...document.querySelectorAll('.bm-article .seg a[href], .bm-article .seg button, .bm-article .seg [tabindex]')]
    .filter(e => e.tabIndex >= 0 && vis(e) && !e.disabled);
  const kinds = {};
  inSeg.forEach(e => { const k = e.matches('sup.fn a') ? 'note' : e.closest('.bm-para') ? 'para'
    : e.matches('.w, .num, .repair, a.gl') && e.closest('.seg > .zh, .seg > .en') ? 'roving' : 'other:' + e.outerHTML.slice(0, 60);
    kinds[k] = (kinds[k] || 0) + 1; });
  const blocks = [...document.querySelectorAll('.bm-article .seg > .zh, .bm-article .seg > .en')]
    .filter(b => vis(b) && b.querySelector(b.matches('.zh') ? '.w, a.gl, .num, .repair' : 'a.gl, .num'));
  const paras = document.querySelectorAll('.bm-article .bm-para').length;
  const annotations = document.querySelectorAll('.bm-article .seg a.gl, .bm-article .seg .num, .bm-article .seg .repair').length;
  const notes = [...document.querySelectorAll('.bm-article .seg sup.fn a')].filter(vis).length;
  return {total: inSeg.length, kinds, blocks: blocks.length, paras, annotations, notes,
          segments: document.querySelectorAll('.bm-article .seg').length};
}"""


@pytest.mark.parametrize("lang", ["both", "en"])
def test_one_tab_stop_per_paragraph_and_language(page, server, site, lang):
    goto(page, server, f"articles/{biggest_article(site)}/")
    set_option(page, "lang", lang)
    t = page.evaluate(TABBABLE_JS)
    assert t["kinds"].get("roving", 0) == t["blocks"], f"one Tab stop per block of text (arrow keys inside): {t}"
    assert t["kinds"].get("para", 0) == t["paras"], f"one stop per ¶ bar (arrow keys inside it): {t}"
    assert t["kinds"].get("note", 0) == t["notes"]
    assert not [k for k in t["kinds"] if k.startswith("other")], t
    assert t["total"] <= 3 * t["segments"] + t["notes"], t
    assert 2 * t["total"] < t["annotations"], f"far fewer Tab stops than annotations: {t}"


def test_arrow_keys_step_through_words_and_enter_looks_up(page, server, site):
    goto(page, server, f"articles/{biggest_article(site)}/")
    page.evaluate("() => document.querySelector('.bm-article .seg-paragraph > .zh [tabindex=\"0\"]').focus()")
    seen, opened = [], None
    for _ in range(40):
        info = page.evaluate("""() => { const e = document.activeElement;
            const d = JSON.parse(document.getElementById('bm-dict').textContent);
            return {tag: e.tagName, cls: e.className, text: e.textContent, z: e.dataset.z || '',
                    plain: e.matches('.w') && !e.closest('a, .num, .repair') && !!d[e.dataset.z]}; }""")
        seen.append(info["text"])
        if info["plain"] and opened is None:
            page.keyboard.press("Enter")
            state = pop_state(page)
            assert [k for k, _ in state["ours"]] == ["dictionary"] and info["z"] in state["ours"][0][1], state
            opened = info["z"]
            page.keyboard.press("ArrowRight")          # the open pop-up follows the cursor
            follow = pop_state(page)["ours"]
            assert len(follow) == 1 and follow[0][1] != state["ours"][0][1], f"the pop-up follows: {follow}"
            page.keyboard.press("Escape")
            assert not pop_state(page)["ours"], "Escape closes it"
            continue
        page.keyboard.press("ArrowRight")
    assert opened, f"no ordinary word with a dictionary entry among {seen}"
    assert len(set(seen)) > 20, f"ArrowRight moves word by word: {seen}"
    page.keyboard.press("Home")
    assert page.evaluate("""() => { const e = document.activeElement, block = e.closest('.zh');
        const first = block.querySelector('.w, a.gl, .num, .repair');
        return e === (first.closest('a.gl, .num, .repair') || first); }"""), "Home goes to the paragraph's first word"


TAB_CYCLE_JS = """() => {
  const stops = window.__stops.slice(0, -1), by = {};
  stops.forEach(e => {
    const k = e.closest('ul.bm-terms, dl.bm-az-list') ? 'list' : e.closest('.bm-article .seg') ? 'segment'
      : e.closest('.bm-notes') ? 'notes' : e.closest('.bm-article') ? 'article' : 'chrome';
    by[k] = (by[k] || 0) + 1;
  });
  return {total: stops.length, by, lists: [...document.querySelectorAll('ul.bm-terms, dl.bm-az-list')]
    .map(l => stops.filter(e => l.contains(e)).length)};
}"""


def tab_cycle(page) -> dict:
    """Press Tab from the top of the page until focus comes round to the first stop: every Tab stop."""
    page.evaluate("""() => { window.__stops = [];
        if (!window.__counting) { window.__counting = true; document.addEventListener('focusin', e => window.__stops.push(e.target)); } }""")
    for _ in range(3000):
        page.keyboard.press("Tab")
        if page.evaluate("() => { const s = window.__stops; return s.length > 1 && s[s.length - 1] === s[0]; }"):
            return page.evaluate(TAB_CYCLE_JS)
    pytest.fail("Tab never came round")


def test_term_lists_are_one_tab_stop(page, server, site):
    """The lists of an article's terms and names (and the glossary's A–Z indexes) are one Tab stop
    each (roving focus); Tab stops in the whole page: about three per paragraph (its Chinese, its
    English, its ¶ bar), one per note, one per list, and the page's fixed chrome."""
    goto(page, server, f"articles/{biggest_article(site)}/")
    shape = page.evaluate("""() => ({segments: document.querySelectorAll('.bm-article .seg').length,
        notes: document.querySelectorAll('.bm-article sup.fn a, .bm-notes a.fn-back').length,
        links: [...document.querySelectorAll('ul.bm-terms')].map(l => l.querySelectorAll('a[href]').length)})""")
    assert shape["links"] and min(shape["links"]) > 1, shape
    after = tab_cycle(page)
    assert after["lists"] == [1] * len(shape["links"]), f"one stop per list: {after}"
    # as the page was: every link of the lists its own stop
    page.evaluate("""() => document.querySelectorAll('ul.bm-terms').forEach(l => {
        const c = l.cloneNode(true);            // without bm.js's handlers
        c.querySelectorAll('a[href]').forEach(a => a.removeAttribute('tabindex'));
        l.replaceWith(c); })""")
    page.evaluate("() => document.activeElement.blur()")
    before = tab_cycle(page)
    assert before["total"] - after["total"] == sum(n - 1 for n in shape["links"]), (before, after)
    chrome = after["by"].get("chrome", 0) + after["by"].get("article", 0)
    bound = 3 * shape["segments"] + shape["notes"] + len(shape["links"]) + chrome
    assert after["total"] <= bound, f"{after} > {bound} ({shape})"
    assert chrome < after["total"] / 2, f"most stops are the text's own: {after}"


def test_term_list_arrow_keys_and_enter(page, server, site):
    goto(page, server, f"articles/{biggest_article(site)}/")
    links = page.locator("ul.bm-terms").first.locator("a[href]")
    n = links.count()
    first = links.first
    first.focus()
    active = "() => [document.activeElement.getAttribute('href'), document.activeElement.tabIndex]"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(active) == [links.nth(1).get_attribute("href"), 0]
    assert first.get_attribute("tabindex") == "-1", "the stop moves with the focus"
    page.keyboard.press("ArrowRight")
    assert page.evaluate(active)[0] == links.nth(2).get_attribute("href")
    page.keyboard.press("ArrowUp")
    assert page.evaluate(active)[0] == links.nth(1).get_attribute("href")
    page.keyboard.press("End")
    assert page.evaluate(active)[0] == links.nth(n - 1).get_attribute("href")
    page.keyboard.press("Home")
    assert page.evaluate(active)[0] == links.nth(0).get_attribute("href")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(active)[0] == links.nth(1).get_attribute("href"), "Tab returns to where the reader was"
    href = links.nth(1).get_attribute("href")
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href.split("#")[1]) + "$"))
    assert "/glossary/" in page.url or "/who/" in page.url


@pytest.mark.parametrize("path", ["glossary/", "who/"])
def test_a_to_z_indexes_are_one_tab_stop_each(page, server, path):
    goto(page, server, path)
    page.evaluate("() => document.querySelectorAll('details.bm-az').forEach(d => d.open = true)")
    stops = page.evaluate("""() => [...document.querySelectorAll('dl.bm-az-list')].map(l =>
        [...l.querySelectorAll('a[href]')].map(a => a.tabIndex))""")
    assert len(stops) == 2 and all(len(s) > 50 for s in stops), "an index by English and one by pinyin"
    assert [sum(t >= 0 for t in s) for s in stops] == [1, 1], "one Tab stop in each"
    page.locator("dl.bm-az-list").first.locator("a[href]").first.focus()
    page.keyboard.press("End")
    assert page.evaluate("() => document.activeElement === [...document.querySelector('dl.bm-az-list').querySelectorAll('a[href]')].pop()")
    assert _axe_problems(page) == []


def test_paragraph_bar_is_one_stop_with_arrow_keys(page, server, site):
    goto(page, server, f"articles/{article_slugs(site)[0]}/")
    page.wait_for_function("() => document.querySelector('.bm-para .bm-cite-btn')")
    page.locator(".bm-para .bm-pn").first.focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.classList.contains('bm-copylink')")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.classList.contains('bm-cite-btn')")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.classList.contains('bm-pn')"), "wraps round"


def test_escape_closes_any_popup(page, server, site):
    goto(page, server, f"articles/{biggest_article(site)}/")
    for selector in (".zh a.gl", ".zh .num", ".en a.gl", ".zh .repair"):
        el = page.locator(f".bm-article {selector}").first
        el.evaluate("e => e.scrollIntoView({block: 'center'})")
        el.hover()
        assert pop_state(page)["ours"], selector
        page.keyboard.press("Escape")
        assert not pop_state(page)["ours"], f"Escape closes the {selector} pop-up"


# ---------------------------------------------------------------- accessibility in every mode

def _axe_problems(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))""")
    return [f"{v['impact']} {v['id']}: {n}" for v in result if v["impact"] in ("serious", "critical")
            for n in v["nodes"] if (v["id"], n) not in AXE_THEME_EXCEPTIONS]


@pytest.mark.parametrize("state", ["pinyin-hk", "english-popup", "chinese-keyboard"])
def test_accessibility_in_reading_modes(page, server, site, state):
    assert AXE.is_file(), f"{AXE} missing: run `npm ci`"
    goto(page, server, f"articles/{biggest_article(site)}/")
    if state == "pinyin-hk":
        page.click('.bm-toolbar button[data-opt="pinyin"]')
        set_option(page, "script", "hk")
    elif state == "english-popup":
        set_option(page, "lang", "en")
        page.locator(".bm-article .en a.gl").first.focus()
    else:
        set_option(page, "lang", "zh")
        cursor_on_plain_word(page)
        page.keyboard.press("Enter")
        assert pop_state(page)["ours"], "Enter opened the dictionary"
    problems = _axe_problems(page)
    assert not problems, "\n".join(problems[:20])


# ---------------------------------------------------------------- the sticky toolbar stays usable (item 13)

@pytest.mark.parametrize("viewport", [PHONE, {"width": 1400, "height": 1000}], ids=["phone", "desktop"])
def test_back_to_top_never_covers_the_toolbar(browser, server, site, viewport):
    """Scrolling back up shows Material's "Back to top" button; it floats below the sticky reading
    toolbar, so the toolbar's buttons stay visible and tappable."""
    ctx = new_context(browser, server, viewport=viewport, has_touch=viewport is PHONE, is_mobile=viewport is PHONE)
    try:
        page = ctx.new_page()
        goto(page, server, f"articles/{biggest_article(site)}/")
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(300)
        page.mouse.wheel(0, -600)
        page.wait_for_function("() => !document.querySelector('.md-top').hidden && getComputedStyle(document.querySelector('.md-top')).opacity === '1'")
        top = page.locator(".md-top").bounding_box()
        bar = page.locator(".bm-toolbar").first.bounding_box()
        assert top["y"] >= bar["y"] + bar["height"], f"back to top {top} over the toolbar {bar}"
    finally:
        ctx.close()
