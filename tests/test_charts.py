"""Charts as a reader meets them: captions that cite outlet, date and ¶ (no internal ids), a way to
open the drawing full size, readable on a phone, not a white slab in dark mode, a sensible print size."""
from __future__ import annotations

import re

import pytest

from tests.test_browser import ARTIFACTS, PHONE, browser, new_context, server, site  # noqa: F401

INTERNAL_ID = re.compile(r"§p-[0-9a-f]{8}|文章 articles? \d{3}")


def test_captions_cite_outlet_date_and_paragraph_without_internal_ids(site):
    pages = [*sorted((site / "articles").glob("*/index.html")), site / "figures" / "index.html", site / "timeline" / "index.html"]
    seen = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for cap in re.findall(r"<figcaption>(.*?)</figcaption>", html, re.S):
            seen += 1
            text = re.sub(r"<[^>]+>", "", cap)
            assert not INTERNAL_ID.search(text), text
            assert re.search(r"(?:Figures as reported by|Source: .+?, via) .+?, (?:[A-Z][a-z]+ )?\d{4} · ¶\d+", text), text
        if page.parent.name == "timeline":
            for li in re.findall(r'<li id="event-\d+">(.*?)</li>', html, re.S):
                assert "§p-" not in li and re.search(r"¶\d+", li), li
    assert seen >= 20


def test_captions_name_the_underlying_source_the_data_file_credits(site):
    """A figure whose data file names the source the article credits (CB Insights, Wind …) says so with
    the outlet, month and year and ¶ links; the others say 'Figures as reported by <outlet>'."""
    from scripts import figures
    from tests.test_figures import DATASETS
    html = (site / "figures" / "index.html").read_text(encoding="utf-8")
    credited = 0
    for ds in DATASETS:
        cap = re.search(rf'<figure class="bm-figure" id="fig-{ds.id}">.*?<figcaption>(.*?)</figcaption>', html, re.S)
        line = re.search(r'<span class="bm-figure-source">(.*?)</span> <a href="[^"]*\.csv"', cap.group(1), re.S).group(1)
        text = " ".join(re.sub(r"<[^>]+>", "", line).split())
        if ds.source:
            credited += 1
            for c in ds.source:
                assert f"Source: {c.name.en}" in text.replace("&#39;", "'"), text
        else:
            assert text.startswith("Figures as reported by "), text
            assert "Source:" not in text
        links = re.findall(r'href="\.\./articles/[a-z0-9-]+/#(p-[0-9a-f]{8})">(\d+)</a>', line)
        assert links, line
        assert re.search(r"[A-Z][a-z]+ \d{4} · ¶\d", text), text
    assert credited >= 8 and isinstance(figures.Credit, type)


def test_drawings_name_no_internal_article_id(site):
    """The charts' own text (the timeline's is SVG text) names no seed id: '文章 000' means nothing to a reader."""
    drawings = sorted((site / "assets" / "figures").glob("*.svg"))
    assert len(drawings) >= 10
    for svg in drawings:
        text = " ".join(re.findall(r"<text\b[^>]*>([^<]*)</text>", svg.read_text(encoding="utf-8")))
        assert not INTERNAL_ID.search(text) and not re.search(r"文章 ?\d{3}", text), (svg.name, text[:200])


PHONES = {"390x844": {"width": 390, "height": 844}, "360x740": {"width": 360, "height": 740}}


def _smallest_glyph_pt(svg: str) -> float:
    """The smallest font size in a drawing whose text is outlines: each run of glyphs is drawn at
    scale(size / 100) (matplotlib's text-to-path units)."""
    return min(float(x) * 100 for x in re.findall(r"scale\(([\d.]+) -[\d.]+\)", svg))


@pytest.mark.parametrize("viewport", list(PHONES), ids=list(PHONES))
def test_chart_on_a_phone_is_the_narrow_drawing_fitted_and_readable(browser, server, site, viewport):
    """On a phone every chart's <picture> shows the narrow drawing, inside the viewport (no sideways
    scroll of the page or the figure), its smallest text drawn at 11 CSS px or more; the link opens
    the drawing full size."""
    size = PHONES[viewport]
    ctx = new_context(browser, server, viewport=size, has_touch=True, is_mobile=True, device_scale_factor=2)
    page = ctx.new_page()
    page.goto(server + "figures/")
    pictures = page.locator(".bm-figure picture img")
    assert pictures.count() >= 20
    smallest = None
    for i in range(pictures.count()):
        img = pictures.nth(i)
        img.scroll_into_view_if_needed()
        img.evaluate("i => i.complete || new Promise(r => i.addEventListener('load', r, {once: true}))")
        info = img.evaluate("""i => { const r = i.getBoundingClientRect(), f = i.closest('figure').getBoundingClientRect();
            return {src: i.currentSrc, left: r.left, right: r.right, width: r.width, natural: i.naturalWidth,
                    fl: f.left, fr: f.right}; }""")
        assert "/assets/figures/narrow/" in info["src"], info
        assert info["left"] >= 0 and info["right"] <= size["width"] and info["fl"] >= 0 and info["fr"] <= size["width"], info
        name = info["src"].rsplit("/", 1)[1]
        svg = (site / "assets" / "figures" / "narrow" / name).read_text(encoding="utf-8")
        width_pt = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
        scale = info["width"] / (width_pt * 4 / 3)          # rendered CSS px per CSS px of the drawing
        px = _smallest_glyph_pt(svg) * 4 / 3 * scale
        smallest = px if smallest is None else min(smallest, px)
        assert px >= 11, (name, round(px, 2), info)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
    page.locator(".bm-figure").first.evaluate(
        "f => window.scrollTo(0, f.getBoundingClientRect().top + window.scrollY - 150)")   # clear of the sticky bars
    page.wait_for_timeout(150)
    shot = "chart-phone.png" if viewport == "390x844" else f"chart-phone-{viewport}.png"
    page.screenshot(path=str(ARTIFACTS / shot))
    href = page.locator(".bm-figure a.bm-figure-full").first.get_attribute("href")
    assert href.endswith(".svg") and "/narrow/" not in href
    response = page.goto(server + "figures/" + href)
    assert response.ok and "svg" in response.headers.get("content-type", "")
    ctx.close()


@pytest.mark.parametrize("viewport", list(PHONES), ids=list(PHONES))
def test_timeline_on_a_phone_is_the_narrow_drawing_fitted_and_readable(browser, server, site, viewport):
    """The timeline's text is SVG text: its smallest font-size, at the scale the phone draws it, is 11 px or more."""
    size = PHONES[viewport]
    ctx = new_context(browser, server, viewport=size, has_touch=True, is_mobile=True, device_scale_factor=2)
    page = ctx.new_page()
    page.goto(server + "timeline/")
    img = page.locator("#fig-timeline picture img")
    img.scroll_into_view_if_needed()
    img.evaluate("i => i.complete || new Promise(r => i.addEventListener('load', r, {once: true}))")
    info = img.evaluate("i => { const r = i.getBoundingClientRect(); return {src: i.currentSrc, left: r.left, right: r.right, width: r.width}; }")
    assert info["src"].endswith("/assets/figures/narrow/timeline.svg"), info
    assert info["left"] >= 0 and info["right"] <= size["width"], info
    svg = (site / "assets" / "figures" / "narrow" / "timeline.svg").read_text(encoding="utf-8")
    width_pt = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
    smallest = min(float(x) for x in re.findall(r"font-size: ([\d.]+)px", svg))    # SVG units: pt of the drawing
    px = smallest * 4 / 3 * info["width"] / (width_pt * 4 / 3)
    assert px >= 11, px
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=str(ARTIFACTS / f"timeline-phone-{viewport}.png"))
    ctx.close()


def test_desktop_and_print_take_the_wide_drawing(browser, server):
    """A desktop screen shows the wide drawing; so does a printed page, even from a phone."""
    ctx = new_context(browser, server)
    page = ctx.new_page()
    page.goto(server + "figures/")
    img = page.locator(".bm-figure picture img").first
    img.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.bm-figure picture img').complete")
    assert "/narrow/" not in img.evaluate("i => i.currentSrc")
    ctx.close()
    ctx = new_context(browser, server, viewport=PHONES["390x844"])
    page = ctx.new_page()
    page.emulate_media(media="print")
    page.goto(server + "figures/")
    img = page.locator(".bm-figure picture img").first
    img.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.bm-figure picture img').currentSrc")
    assert "/narrow/" not in img.evaluate("i => i.currentSrc")
    matching = page.evaluate("() => [...document.querySelectorAll('.bm-figure picture source')].filter(s => matchMedia(s.media).matches).length")
    assert matching == 0, "no figure's narrow source applies to print"
    ctx.close()


def test_dark_mode_does_not_show_a_white_slab(browser, server):
    ctx = new_context(browser, server, color_scheme="dark")
    page = ctx.new_page()
    page.goto(server + "figures/")
    page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
    flt = page.evaluate("getComputedStyle(document.querySelector('.bm-figure img')).filter")
    assert "invert" in flt
    page.screenshot(path=str(ARTIFACTS / "chart-dark.png"))
    ctx.close()


def test_printed_charts_are_bounded(browser, server):
    ctx = new_context(browser, server)
    page = ctx.new_page()
    page.goto(server + "figures/")
    page.emulate_media(media="print")
    height = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.bm-figure img')).maxHeight)")
    assert 0 < height <= 10.5 * 96 / 2.54 + 1
    ctx.close()
