"""The print edition: the built site as one A4 PDF, dist/baimozhi.pdf.

    python -c "from scripts.pdf import main; from pathlib import Path; main(Path('.'))"   (make pdf)

Serves site/ on 127.0.0.1 (any free port), opens every page in Chromium (Debian's /usr/bin/chromium,
driven by Playwright) with print media emulated and prints, in order:

1. a cover generated here from the site's metadata (title, date range, the articles);
2. a contents page with the page each part starts on;
3. every article, in the order of the home page's article list;
4. /glossary/, /who/, then /figures/ and /timeline/ (those two are skipped, with a warning, if the
   site does not have them yet).

Each part is printed separately with page.pdf(format="A4", print_background=True) and the parts are
joined with `pdfunite` (poppler-utils). Page numbers run through the whole book: print.css puts
counter(page) in the bottom margin and each part gets its starting number injected. Requests that
would leave 127.0.0.1 are blocked, so the book is built offline and from the site alone. Nothing
time-dependent is printed in the body. Chinese is set in the font the site carries (assets/fonts/,
declared in print.css and in BOOK_CSS for the cover and contents, which are served from the same
address so the font loads); a character outside it falls back to the system's CJK fonts.

Reading options (bm.js's `bm-options`) default to the site's defaults: both languages side by side,
Simplified, no pinyin. Pass options={"lang": "en"} etc. to print another edition.
"""
from __future__ import annotations

import functools
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("BM_CHROMIUM", "/usr/bin/chromium")   # another Chromium build: set BM_CHROMIUM
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
OUTPUT = Path("dist") / "baimozhi.pdf"
REFERENCE_PAGES = (("glossary", "Glossary", True), ("who", "Who’s who", True),
                   ("figures", "Figures", False), ("timeline", "Timeline", False))
DEFAULT_TITLE = "百模志 · The Hundred-Model Chronicle"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
ZH_FONT = '"Baimozhi Sans SC", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif'
EN_FONT = '"Liberation Sans", Arial, Helvetica, "Baimozhi Sans SC", "Noto Sans CJK SC", sans-serif'


def log(msg: str) -> None:
    """A progress line on stderr."""
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- what to print

@dataclass
class Card:
    """An article as the home page lists it: link, slug, both titles, date and meta line."""
    href: str
    slug: str
    zh: str = ""
    en: str = ""
    date: str = ""        # ISO, as in <time datetime>
    meta: str = ""        # the card's meta line (date · outlet · state)


class _Cards(HTMLParser):
    """The home page's article list: li.bm-card[data-article-card] > a[href] with the two titles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cards: list[Card] = []
        self.field: str | None = None
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "li" and "bm-card" in classes:
            self.cards.append(Card("", a.get("data-article-card", "")))
        if not self.cards:
            return
        card = self.cards[-1]
        if tag == "a" and not card.href and a.get("href"):
            card.href = a["href"]
        if tag == "time" and not card.date:
            card.date = a.get("datetime", "")
        for name in ("bm-card-zh", "bm-card-en", "bm-card-meta"):
            if name in classes:
                self.field, self.depth = name, 0
        if self.field and tag not in ("br", "img"):
            self.depth += 1

    def handle_endtag(self, tag):
        if self.field:
            self.depth -= 1
            if self.depth <= 0:
                self.field = None

    def handle_data(self, data):
        if not self.field or not self.cards:
            return
        card = self.cards[-1]
        attr = {"bm-card-zh": "zh", "bm-card-en": "en", "bm-card-meta": "meta"}[self.field]
        setattr(card, attr, getattr(card, attr) + data)


def article_cards(site: Path) -> list[Card]:
    """The articles the built site's home page lists, in its order."""
    index = site / "index.html"
    if not index.is_file():
        raise FileNotFoundError(f"{index} not found: build the site first (make site)")
    parser = _Cards()
    parser.feed(index.read_text(encoding="utf-8"))
    cards = [c for c in parser.cards if c.href]
    if not cards:
        raise ValueError(f"{index} lists no articles (li.bm-card > a[href])")
    for c in cards:
        c.zh, c.en, c.meta = (" ".join(x.split()) for x in (c.zh, c.en, c.meta))
        if not c.slug:
            c.slug = c.href.strip("/").split("/")[-1]
    return cards


def site_metadata(root: Path) -> dict[str, str]:
    """site_name, site_description and copyright from mkdocs.yml (read as text: it uses !ENV tags)."""
    meta = {"site_name": DEFAULT_TITLE, "site_description": "", "copyright": ""}
    cfg = root / "mkdocs.yml"
    if cfg.is_file():
        text = cfg.read_text(encoding="utf-8")
        for key in meta:
            m = re.search(rf"^{key}:\s*(.+?)\s*$", text, re.M)
            if m:
                meta[key] = m.group(1).strip().strip("'\"")
    return meta


def human_month(iso: str) -> str:
    """An ISO date as 'Month YYYY' (or the year alone)."""
    parts = iso.split("-")
    if len(parts) >= 2 and parts[1].isdigit():
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def date_range(cards: list[Card]) -> str:
    """The months the articles span, e.g. 'March 2023 – July 2024'."""
    dates = sorted(c.date for c in cards if c.date)
    if not dates:
        return ""
    first, last = human_month(dates[0]), human_month(dates[-1])
    return first if first == last else f"{first} – {last}"


# ---------------------------------------------------------------- generated pages

BOOK_CSS = f"""
@font-face {{ font-family: "Baimozhi Sans SC"; font-weight: 400; src: url("/assets/fonts/BaimozhiSansSC-Regular.otf"); }}
@font-face {{ font-family: "Baimozhi Sans SC"; font-weight: 700; src: url("/assets/fonts/BaimozhiSansSC-Bold.otf"); }}
@page {{ size: A4; margin: 22mm 20mm 22mm 20mm; }}
html {{ font-family: {EN_FONT}; color: #111; }}
body {{ margin: 0; }}
[lang^="zh"] {{ font-family: {ZH_FONT}; }}
"""


def cover_html(meta: dict[str, str], cards: list[Card]) -> str:
    """The HTML of the whole-site PDF's cover and table of contents."""
    e = html.escape
    name = meta["site_name"]
    zh_name, _, en_name = name.partition(" · ")
    items = "".join(
        f'<li><span class="zh" lang="zh-Hans">{e(c.zh)}</span><span class="en" lang="en">{e(c.en)}</span>'
        f'<span class="meta">{e(c.meta.split(" · ")[0] if c.meta else human_month(c.date))}</span></li>'
        for c in cards)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{e(name)}</title><style>{BOOK_CSS}
@page {{ margin: 24mm 22mm 20mm; }}
.title {{ margin: 16mm 0 0; font-size: 46pt; font-weight: 700; letter-spacing: .08em; }}
.subtitle {{ font-size: 20pt; margin: 3mm 0 0; }}
.range {{ font-size: 13pt; margin: 8mm 0 0; color: #b71c1c; }}
.desc {{ font-size: 10.5pt; margin: 3mm 0 0; max-width: 140mm; line-height: 1.5; color: #333; }}
h2 {{ font-size: 10pt; margin: 14mm 0 3mm; text-transform: uppercase; letter-spacing: .12em; color: #555; }}
ol {{ margin: 0; padding-left: 6mm; font-size: 9.5pt; line-height: 1.35; }}
li {{ margin: 0 0 2.8mm; break-inside: avoid; }}
li .zh, li .en, li .meta {{ display: block; }}
li .zh {{ font-weight: 700; }}
li .meta {{ color: #666; font-size: 8.5pt; }}
.rights {{ margin-top: 12mm; font-size: 8pt; color: #666; line-height: 1.4; }}
</style></head><body>
<h1 class="title" lang="zh-Hans">{e(zh_name)}</h1>
<p class="subtitle">{e(en_name or name)}</p>
<p class="range">{e(date_range(cards))}</p>
<p class="desc">{e(meta["site_description"])}</p>
<h2>The articles</h2>
<ol>{items}</ol>
<p class="rights">{e(meta["copyright"])}</p>
</body></html>"""


def contents_html(meta: dict[str, str], entries: list[tuple[str, str, int]], first_page: int) -> str:
    """entries: (Chinese or empty, English, start page)."""
    e = html.escape
    rows = "".join(
        f'<li><span class="t">{f"<span class=zh lang=zh-Hans>{e(zh)}</span>" if zh else ""}'
        f'<span class="en" lang="en">{e(en)}</span></span><span class="p">{page}</span></li>'
        for zh, en, page in entries)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Contents</title><style>{BOOK_CSS}
@page {{ @bottom-center {{ content: counter(page); font-size: 8.5pt; color: #555; }} }}
@page :first {{ counter-increment: page {first_page}; }}
h1 {{ font-size: 20pt; margin: 0 0 8mm; }}
ol {{ list-style: none; margin: 0; padding: 0; font-size: 10.5pt; }}
li {{ display: flex; align-items: baseline; gap: 3mm; margin: 0 0 4mm; break-inside: avoid; }}
.t {{ flex: 1; border-bottom: 1px dotted #999; padding-bottom: .5mm; }}
.t .zh {{ display: block; font-weight: 700; }}
.t .en {{ display: block; }}
.p {{ min-width: 10mm; text-align: right; font-variant-numeric: tabular-nums; }}
</style></head><body>
<h1>Contents <span class="zh" lang="zh-Hans">目录</span></h1>
<ol>{rows}</ol>
</body></html>"""


# ---------------------------------------------------------------- printing

class _QuietHandler(SimpleHTTPRequestHandler):
    """Files from the site, and the generated pages (cover, contents) from memory under /_book/."""

    def __init__(self, *args, pages: dict[str, bytes], **kwargs):
        self.pages = pages
        super().__init__(*args, **kwargs)

    def do_GET(self):  # noqa: N802 - name fixed by the base class
        body = self.pages.get(self.path)
        if body is None:
            return super().do_GET()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


class SiteServer:
    """site/ over HTTP on 127.0.0.1, a free port, in a background thread (context manager).
    `page(name, html)` serves a generated page from the same address (so it can use the site's fonts)."""

    def __init__(self, site: Path):
        self.pages: dict[str, bytes] = {}
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site),
                                                                            pages=self.pages))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def page(self, name: str, html_text: str) -> str:
        """Serve a generated page under /_book/ and return its address."""
        self.pages[f"/_book/{name}"] = html_text.encode("utf-8")
        return f"{self.url}_book/{name}"

    def __enter__(self) -> "SiteServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def pdf_pages(path: Path) -> int:
    """How many pages a PDF has (poppler's pdfinfo)."""
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^Pages:\s+(\d+)", out, re.M)
    if not m:
        raise RuntimeError(f"pdfinfo could not count the pages of {path}")
    return int(m.group(1))


def _need(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise RuntimeError(f"{tool} not found: install poppler-utils (make browser-deps)")
    return found


@dataclass
class Part:
    """One page of the whole-site PDF: its address, titles, printed file, page count and first page."""
    url: str              # path under the site, e.g. "articles/x/"
    zh: str
    en: str
    pdf: Path | None = None
    pages: int = 0
    start: int = 0


def _print_page(page, url: str, out: Path, start: int, print_css: Path) -> None:
    response = page.goto(url, wait_until="load")
    if response is None or not response.ok:
        raise RuntimeError(f"{url}: HTTP {response.status if response else '—'}")
    page.emulate_media(media="print")
    if page.evaluate("() => !document.querySelector('link[href$=\"print.css\"]')") and print_css.is_file():
        page.add_style_tag(path=str(print_css))      # until print.css is listed in extra_css
    # Running page numbers: this part starts at `start`.
    page.add_style_tag(content=f"@media print {{ @page :first {{ counter-increment: page {start}; }} }}")
    _fonts_loaded(page)
    page.pdf(path=str(out), format="A4", print_background=True, prefer_css_page_size=True)


def _fonts_loaded(page) -> None:
    """Wait until the bundled CJK font (both weights) and any other font in use has loaded: a font
    still loading when the page is printed would be left out."""
    page.evaluate("""() => Promise.all(['16px', 'bold 16px'].map(f => document.fonts.load(`${f} "Baimozhi Sans SC"`, '中')))
                         .then(() => document.fonts.ready).then(() => true)""")


def _print_html(page, url: str, out: Path) -> None:
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    _fonts_loaded(page)
    page.pdf(path=str(out), format="A4", print_background=True, prefer_css_page_size=True)


ARTICLES_DIR = Path("dist") / "articles"


def fixed_dates(data: bytes, epoch: int) -> bytes:
    """The PDF with its creation and modification dates set to `epoch` (SOURCE_DATE_EPOCH), each
    written in the same number of bytes, so the cross-reference offsets stay right and the same
    site prints to the same bytes.

    >>> fixed_dates(b"/CreationDate (D:20261201143000+00'00') /ModDate (D:20261201)", 0)
    b"/CreationDate (D:19700101000000+00'00') /ModDate (D:19700101)"
    """
    import datetime
    stamp = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y%m%d%H%M%S") + "+00'00'"

    def same_length(m: re.Match) -> bytes:
        old = m.group(2)
        return m.group(1) + stamp.encode()[:len(old)].ljust(len(old), b"0") + b")"

    return re.sub(rb"(/(?:CreationDate|ModDate)\s*\(D:)([^)]*)\)", same_length, data)


def _settle(printed: dict[Path, Path]) -> None:
    """Put each PDF printed in the temporary folder in its place (final path -> printed file), its
    dates fixed to SOURCE_DATE_EPOCH, atomically: a print stopped half-way leaves dist/ as it was."""
    from .paths import atomic_write
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    for final, made in printed.items():
        final.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(final, fixed_dates(made.read_bytes(), epoch))


def main(root: Path, options: dict | None = None, output: Path | None = None, only: list[str] | None = None) -> Path:
    """Print the site built in root/site into root/dist/baimozhi.pdf (or `output`) and each article into
    root/dist/articles/SLUG.pdf (page numbers from 1), record them in dist/pdf.json for the site to offer
    (pdf_links.py) and return the whole edition's path. `only`: just these articles' PDFs, no whole
    edition (returns the folder)."""
    from playwright.sync_api import sync_playwright
    from . import pdf_links
    from .cache import inputs
    from .paths import Paths

    root = Path(root).resolve()
    site = root / "site"
    out = Path(output) if output else root / OUTPUT
    pdfunite = _need("pdfunite")
    _need("pdfinfo")
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} not found: install Debian's chromium (make browser-deps)")

    fingerprint = inputs(Paths(root)).source_fingerprint     # the sources this site was built from
    cards = article_cards(site)
    singles = {c.slug: root / ARTICLES_DIR / f"{c.slug}.pdf" for c in cards if only is None or c.slug in only}
    meta = site_metadata(root)
    parts = [Part(c.href, c.zh, c.en) for c in cards]
    for slug, title, required in REFERENCE_PAGES:
        if (site / slug / "index.html").is_file():
            parts.append(Part(f"{slug}/", "", title))
        elif required:
            raise FileNotFoundError(f"{site / slug / 'index.html'} not found: the site is incomplete")
        else:
            log(f"warning: site/{slug}/ does not exist; the PDF has no {title} section")

    opts = {"lang": "both", "layout": "side", "script": "hans", "pinyin": "off", **(options or {})}
    print_css = site / "assets" / "print.css"
    if not print_css.is_file():
        print_css = root / "docs" / "assets" / "print.css"

    with tempfile.TemporaryDirectory(prefix="bm-pdf-") as tmpdir, SiteServer(site) as server:
        tmp = Path(tmpdir)
        host = urlsplit(server.url).netloc
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": 1100, "height": 1400})
                context.add_init_script(f"try {{ localStorage.setItem('bm-options', {json.dumps(json.dumps(opts))}); }} catch (e) {{}}")
                context.route("**/*", lambda route: route.continue_()
                              if urlsplit(route.request.url).netloc == host or route.request.url.startswith(("data:", "about:"))
                              else route.abort())
                page = context.new_page()
                printed = {}                   # final path -> the file printed in tmp/
                for c in cards:
                    if c.slug in singles:
                        log(f"printing {c.href} alone")
                        printed[singles[c.slug]] = tmp / f"single-{len(printed):03d}.pdf"
                        _print_page(page, server.url + c.href, printed[singles[c.slug]], 0, print_css)
                if only is not None:
                    context.close()
                    _settle(printed)
                    pdf_links.record(root, fingerprint, singles)
                    return root / ARTICLES_DIR

                cover = tmp / "000-cover.pdf"
                _print_html(page, server.page("cover.html", cover_html(meta, cards)), cover)
                cover_pages = pdf_pages(cover)

                contents_pages = 1
                for attempt in range(3):
                    start = cover_pages + contents_pages + 1
                    for i, part in enumerate(parts, 1):
                        if part.pdf is None or part.start != start:
                            part.pdf = tmp / f"{i + 1:03d}.pdf"
                            log(f"printing {part.url} (from page {start})")
                            _print_page(page, server.url + part.url, part.pdf, start, print_css)
                            part.pages = pdf_pages(part.pdf)
                        part.start = start
                        start += part.pages
                    contents = tmp / "001-contents.pdf"
                    entries = [(pt.zh, pt.en, pt.start) for pt in parts]
                    _print_html(page, server.page(f"contents-{attempt}.html", contents_html(meta, entries, cover_pages + 1)), contents)
                    actual = pdf_pages(contents)
                    if actual == contents_pages:
                        break
                    contents_pages = actual
                context.close()
            finally:
                browser.close()

        files = [cover, contents] + [pt.pdf for pt in parts]
        printed[out] = tmp / "edition.pdf"
        subprocess.run([pdfunite, *map(str, files), str(printed[out])], check=True)
        _settle(printed)
    if output is None:
        pdf_links.record(root, fingerprint, {pdf_links.EDITION: out, **singles})
    total = pdf_pages(out)
    log(f"wrote {out} ({total} pages: cover, contents, {len(cards)} articles, "
        f"{len(parts) - len(cards)} reference sections)")
    return out


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("."))
