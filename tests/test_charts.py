"""Charts as a reader meets them: captions that cite outlet, date and ¶ (no internal ids), a way to
open the drawing full size, readable on a phone, not a white slab in dark mode, a sensible print size."""
from __future__ import annotations

import re

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


def test_chart_opens_full_size_and_reads_on_a_phone(browser, server):
    ctx = new_context(browser, server, viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    page = ctx.new_page()
    page.goto(server + "figures/")
    img = page.locator(".bm-figure img").first
    img.scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('.bm-figure img').complete")
    assert img.bounding_box()["width"] >= 560, "the drawing keeps a readable width and scrolls sideways"
    href = page.locator(".bm-figure a.bm-figure-full").first.get_attribute("href")
    assert href.endswith(".svg")
    page.screenshot(path=str(ARTIFACTS / "chart-phone.png"))
    response = page.goto(server + "figures/" + href)
    assert response.ok and "svg" in response.headers.get("content-type", "")
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
