"""Saved HTML pages: trafilatura finds the main content, htmldate the publication date.

trafilatura (XML output with formatting) gives the article's blocks with their structure — headings
(`<head rend="h2">`), paragraphs, list items, quotes, table rows — and link text marked as such, so the
chrome classifier can still see link density. Scripts, styles, comments, images and link targets never
reach a block. Metadata candidates come from the page's own `<meta>` fields (og:, article:, name=…),
its `<title>`, and htmldate's reading of the original publication date; each is recorded with the
field it came from.

Everything runs on the file's text: nothing is fetched, and the date search is bounded by a fixed
latest date so the result does not depend on the day the build runs.
"""
from __future__ import annotations

import bisect
import copy
import re
from functools import lru_cache

from . import Block, Candidate, bounded, normalise_date

LATEST_DATE = "2099-12-31"          # htmldate otherwise rejects dates after "today": not deterministic
MIN_EXTRACTED_SIZE = 40             # trafilatura's default (250) sends short Chinese articles to a flat fallback
BLOCK_TAGS = {"head": "heading", "p": "paragraph", "item": "list", "quote": "quote", "code": "code",
              "row": "table"}

# <meta> fields -> metadata field, in order of trust within the page
META_FIELDS = (
    ("og:title", "title"), ("twitter:title", "title"),
    ("og:site_name", "outlet"), ("application-name", "outlet"), ("source", "outlet"),
    ("article:published_time", "published"), ("pubdate", "published"), ("publishdate", "published"),
    ("publish_date", "published"), ("publish-date", "published"), ("publication_date", "published"),
    ("og:release_date", "published"), ("date", "published"),
    ("article:author", "authors"), ("author", "authors"),
    ("og:url", "url"),
)


@lru_cache(maxsize=1)
def _config():
    from trafilatura.settings import use_config
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", str(MIN_EXTRACTED_SIZE))
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    return config


def _line_index(text: str):
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return lambda pos: bisect.bisect_right(starts, pos)


def _locate(raw: str, text: str, start: int) -> int:
    """Where a block's text stands in the page source (first characters that are not split by tags)."""
    for probe in (text[:12], text[:6], text[:3]):
        if probe:
            pos = raw.find(probe, start)
            if pos == -1:
                pos = raw.find(probe)
            if pos != -1:
                return pos
    return -1


def _leaf_pieces(el) -> list[tuple[str, int]]:
    """An element's visible text split at <lb/>, each piece with its count of link characters."""
    pieces, text, links = [], [], 0

    def walk(node, in_link):
        nonlocal text, links
        if node.text:
            text.append(node.text)
            links += len(node.text) if in_link else 0
        for child in node:
            if child.tag == "lb":
                pieces.append(("".join(text), links))
                text, links = [], 0
            elif child.tag not in ("graphic", "note"):
                walk(child, in_link or child.tag == "ref")
            if child.tail:
                text.append(child.tail)
                links += len(child.tail) if in_link else 0
    walk(el, el.tag == "ref")
    pieces.append(("".join(text), links))
    return [(" ".join(t.split()), n) for t, n in pieces]


def _blocks_from_xml(xml: str, raw: str) -> list[Block]:
    from lxml import etree
    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True,
                                                                   huge_tree=False))
    main = root.find("main")
    if main is None:
        return []
    line_of = _line_index(raw)
    blocks: list[Block] = []
    body = re.search(r"<body[\s>]", raw, re.I)
    cursor = body.start() if body else 0

    def visit(el):
        nonlocal cursor
        kind = BLOCK_TAGS.get(el.tag)
        has_block_child = any(c.tag in BLOCK_TAGS or c.tag in ("list", "table") for c in el)
        if kind and not has_block_child:
            level = int(el.get("rend", "h2")[1:] or 2) if kind == "heading" and re.fullmatch(r"h[1-6]", el.get("rend", "")) else 0
            if kind == "table":
                cells = [" ".join("".join(c.itertext()).split()) for c in el if c.tag == "cell"]
                pieces = [("\u3000".join(x for x in cells if x), 0)]
            else:
                pieces = _leaf_pieces(el)
            for text, links in pieces:
                if not text:
                    continue
                pos = _locate(raw, text, cursor)
                if pos != -1:
                    cursor = pos
                blocks.append(Block(line_of(cursor), text, kind, links, level))
            return
        for child in el:
            if child.tag in ("graphic",):
                continue
            visit(child)
    for child in main:
        visit(child)
    return blocks


def _meta_candidates(tree) -> list[Candidate]:
    out = []
    found: dict[str, tuple[str, str]] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = bounded(meta.get("content") or "")
        if key and content and key not in found:
            found[key] = (content, f'<meta {"property" if meta.get("property") else "name"}="{bounded(key, 40)}">')
    for key, name in META_FIELDS:
        if key in found:
            value, evidence = found[key]
            if name == "published":
                value = normalise_date(value)
            if value:
                out.append(Candidate(name, value, "page metadata", evidence))
    title = next((bounded("".join(t.itertext())) for t in tree.iter("title")), "")
    if title:
        known = found.get("og:title", ("", ""))[0] or _heading_in_title(tree, title)
        out.extend(title_candidates(title, known, next((c.value for c in out if c.field == "outlet"), "")))
    out.extend(_source_element(tree))
    for link in tree.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            out.append(Candidate("url", bounded(link.get("href")), "page metadata", '<link rel="canonical">'))
            break
    return out


TITLE_SEPARATORS = "-–—|｜_"
_SOURCE_CLASS = re.compile(r"(?:^|[\s_-])(?:source|media-?name|article-?source|source-?name)(?:$|[\s_-])", re.I)
_SOURCE_LABEL = re.compile(r"^(?:来源|來源|出处|出處|source)\s*[:：]\s*", re.I)


def _heading_in_title(tree, title: str) -> str:
    """The page heading (h1–h4) that the <title> begins with, followed by a separator: the article's title
    when the site glues its name on without spaces ("…一块顶十块GPU-EDN 电子技术设计")."""
    for el in tree.iter("h1", "h2", "h3", "h4"):
        text = " ".join("".join(el.itertext()).split())
        if 4 <= len(text) < len(title) and title.startswith(text) and title[len(text)] in TITLE_SEPARATORS:
            return text
    return ""


def _source_element(tree) -> list[Candidate]:
    """The outlet a page names in its source element (class="source", "article-source", "media-name"):
    the paper a portal reposts from, next to the date. Short plain names only, never a URL or a sentence.

    >>> from lxml import html as H
    >>> [c.value for c in _source_element(H.fromstring('<div><a class="source" href="#">北京日报</a></div>'))]
    ['北京日报']
    """
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "source", "meta", "link"):
            continue
        if not _SOURCE_CLASS.search(el.get("class") or "") or len(el):
            continue
        text = _SOURCE_LABEL.sub("", " ".join("".join(el.itertext()).split()))
        if 2 <= len(text) <= 20 and not re.search(r"[/。，,.!?！？:：]|https?|www", text):
            return [Candidate("outlet", bounded(text), "page markup", f'class="{bounded(el.get("class"), 40)}" element')]
    return []


def title_candidates(title: str, og_title: str, site: str) -> list[Candidate]:
    """The page's <title> usually is "article title | site name": the part that is not the article's
    title (known from og:title, or the longest part) is the site's name.

    >>> [(c.field, c.value) for c in title_candidates("馬斯克警告 | AINEXT", "馬斯克警告", "")]
    [('title', '馬斯克警告'), ('outlet', 'AINEXT')]
    """
    if og_title and title.startswith(og_title) and title[len(og_title):len(og_title) + 1] in TITLE_SEPARATORS:
        rest = title[len(og_title) + 1:].strip(" " + TITLE_SEPARATORS)
        parts = [og_title] + [p.strip() for p in re.split(r"\s+[-–—|｜·]\s+|\s*[|｜_]\s*", rest) if p.strip()]
    else:
        parts = [p.strip() for p in re.split(r"\s+[-–—|｜·]\s+|\s*[|｜_]\s*", title) if p.strip()]
    if len(parts) < 2:
        return [Candidate("title", title, "page metadata", "<title>")]
    main = next((p for p in parts if og_title and p.casefold() == og_title.casefold()), max(parts, key=len))
    rest = [p for p in parts if p is not main]
    out = [Candidate("title", main, "page metadata", "<title>")]
    name = rest[-1] if rest else ""
    if name and name != site and len(name) <= 30:
        out.append(Candidate("outlet", name, "page metadata", "<title> after the article's title"))
    return out


def _date_candidate(tree) -> list[Candidate]:
    from htmldate import find_date
    try:
        date = find_date(copy.deepcopy(tree), original_date=True, extensive_search=True,
                         outputformat="%Y-%m-%d", max_date=LATEST_DATE)
    except (ValueError, TypeError):
        date = None
    return [Candidate("published", date, "htmldate", "htmldate, original publication date")] if date else []


def _restore_headings(tree, blocks: list[Block], raw: str) -> list[Block]:
    """Put back the section headings (h2–h6) the extractor dropped from inside the article.

    trafilatura sometimes keeps a page's paragraphs and loses the <h3> subheadings between them. A
    heading element of the page that stands in the source between two kept blocks, and is not itself
    kept, is the article's own subheading: it goes back in at its place, as a heading.
    """
    if len(blocks) < 2:
        return blocks
    first, last = blocks[0].line, max(b.last or b.line for b in blocks)
    kept = {b.text for b in blocks}
    line_of = _line_index(raw)
    found = []
    for el in tree.iter("h2", "h3", "h4", "h5", "h6"):
        text = bounded(" ".join("".join(el.itertext()).split()))
        if not text or text in kept:
            continue
        pos = raw.find(text)
        line = line_of(pos) if pos != -1 else 0
        if first < line < last:
            found.append(Block(line, text, "heading", 0, int(el.tag[1])))
            kept.add(text)
    if not found:
        return blocks
    return sorted(blocks + found, key=lambda b: b.line)       # stable: kept blocks keep their order


def read(text: str) -> tuple[list[Block], list[Candidate]]:
    """The blocks of a saved HTML page's main content (trafilatura), headings kept, and the metadata
    candidates of its head (meta tags, htmldate).
    """
    import trafilatura
    from trafilatura.utils import load_html
    tree = load_html(text)
    if tree is None:
        return [], []
    candidates = _meta_candidates(tree) + _date_candidate(tree)
    xml = trafilatura.extract(copy.deepcopy(tree), output_format="xml", include_formatting=True,
                              include_links=True, include_tables=True, include_images=False,
                              include_comments=False, deduplicate=False, config=_config())
    blocks = _blocks_from_xml(xml, text) if xml else []
    blocks = _restore_headings(tree, blocks, text)
    first_h1 = next((b for b in blocks if b.kind == "heading" and b.level == 1), None)
    if first_h1:
        candidates.append(Candidate("title", first_h1.text, "heading", "first level-1 heading", first_h1.line))
    return blocks, candidates


_BLOCKISH = {"p", "div", "section", "article", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4",
             "h5", "h6", "table", "tr", "figure", "figcaption", "header", "footer", "pre"}


def fragment_lines(fragment: str) -> list[tuple[int, str]]:
    """Visible lines of an HTML fragment (a block of raw HTML inside Markdown): tags, comments,
    scripts and styles dropped, a new line at each block element and <br>.

    >>> fragment_lines("<div>一段<b>文字</b><br>二段<!-- 注释 --><script>x()</script></div>")
    [(0, '一段文字'), (0, '二段')]
    """
    import lxml.html
    from lxml import etree
    try:
        nodes = lxml.html.fragments_fromstring(fragment)
    except (etree.ParserError, ValueError):
        return []
    parts: list[str] = []

    def walk(node):
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "noscript", "template"):
            if node.tail:
                parts.append(node.tail)
            return
        block = node.tag in _BLOCKISH or node.tag == "br"
        if block:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n")
        if node.tail:
            parts.append(node.tail)
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        else:
            walk(node)
    lines = [" ".join(x.split()) for x in "".join(parts).split("\n")]
    return [(0, x) for x in lines if x]
