"""Link check over the built site: every internal href/src resolves to a file, every #anchor to an id.

It runs over both builders' output (site/ from MkDocs, site-zensical/ from Zensical), built once per test
session into a temporary copy of the project (`built_site` in conftest.py, shared with the browser and
build tests). To check an existing build instead, point BM_TEST_PROJECT at a project directory that
already holds site/ (e.g. BM_TEST_PROJECT=. after `make site`, and `make site-zensical` for both).

Relative links are followed as from a site served below the root (a fork on GitHub Pages is), so a
link that climbs above the site's folder is reported even though a browser at the root would forgive it.
External http(s) links are collected (and listed with -rA / on failure) but never fetched; links to
the site's own address (site_url, as in <link rel="canonical">) are checked like internal ones.
"""
from __future__ import annotations

import re
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


ROOT = Path(__file__).resolve().parent.parent

# Attributes that point at something the browser loads or follows.
LINK_ATTRS = {
    "a": ("href",), "area": ("href",), "link": ("href",), "img": ("src", "srcset"), "script": ("src",),
    "iframe": ("src",), "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "embed": ("src",), "object": ("data",), "form": ("action",),
}
SUB_PATH = "/fork/"          # where a relative link is resolved from: the site served below the root
IGNORED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "blob:", "about:")


class PageLinks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, int]] = []      # (tag.attr, url, line)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        for name in LINK_ATTRS.get(tag, ()):
            value = a.get(name)
            if value is None:
                continue
            if name == "srcset":
                for part in value.split(","):
                    if part.strip():
                        self.links.append((f"{tag}.{name}", part.strip().split()[0], self.getpos()[0]))
            else:
                self.links.append((f"{tag}.{name}", value.strip(), self.getpos()[0]))

    handle_startendtag = handle_starttag


def site_url(site: Path) -> str:
    """The site's public address, from the sitemap MkDocs wrote (first <loc> is the home page)."""
    sitemap = site / "sitemap.xml"
    if sitemap.exists():
        m = re.search(r"<loc>\s*([^<\s]+)\s*</loc>", sitemap.read_text(encoding="utf-8"))
        if m:
            return m.group(1) if m.group(1).endswith("/") else m.group(1) + "/"
    return ""


def target_file(site: Path, path: str) -> Path | None:
    """The file a site-absolute URL path serves, as a static host would (dir/ -> dir/index.html)."""
    rel = unquote(path).lstrip("/")
    candidate = site / rel
    if path.endswith("/") or rel == "":
        candidate = candidate / "index.html"
    elif candidate.is_dir():
        candidate = candidate / "index.html"
    try:
        candidate.resolve().relative_to(site.resolve())
    except ValueError:
        return None
    return candidate if candidate.is_file() else None


def check_site(site: Path):
    """(broken, external): broken is a list of human-readable problems, external a url -> pages map."""
    pages = sorted(site.rglob("*.html"))
    assert pages, f"no HTML under {site}"
    parsed: dict[Path, PageLinks] = {}
    for p in pages:
        parser = PageLinks()
        parser.feed(p.read_text(encoding="utf-8"))
        parsed[p] = parser

    def ids_of(path: Path) -> set[str]:
        if path not in parsed:
            parser = PageLinks()
            parser.feed(path.read_text(encoding="utf-8"))
            parsed[path] = parser
        return parsed[path].ids

    base = site_url(site)
    base_path = urlsplit(base).path if base else "/"
    broken, external = [], defaultdict(set)
    for page in pages:
        rel = page.relative_to(site).as_posix()
        page_url = "/" + rel
        for where, url, line in parsed[page].links:
            if not url or url.lower().startswith(IGNORED_SCHEMES):
                continue
            if url.startswith(("http://", "https://", "//")):
                if base and url.startswith(base):
                    url = "/" + url[len(base):]          # our own address: check it as internal
                else:
                    external[url].add(rel)
                    continue
            elif url.startswith("/") and base_path != "/" and (url + "/").startswith(base_path):
                url = "/" + url[len(base_path):]         # root-relative under the site's sub-path (404.html)
            if url.startswith("/"):
                absolute = urljoin(page_url, url)
            else:
                # Relative links are resolved as a browser would under a sub-path (a fork on GitHub Pages):
                # one that climbs above the site's folder only works when the site is served at the root.
                absolute = urljoin(SUB_PATH + page_url.lstrip("/"), url)
                if not absolute.startswith(SUB_PATH):
                    broken.append(f"{rel}:{line} {where}={url!r} climbs out of the site's folder "
                                  f"(breaks under a sub-path such as {SUB_PATH})")
                    continue
                absolute = absolute[len(SUB_PATH) - 1:]
            parts = urlsplit(absolute)
            target = target_file(site, parts.path) if parts.path else page
            if target is None:
                broken.append(f"{rel}:{line} {where}={url!r} -> {parts.path} does not exist")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in ids_of(target):
                broken.append(f"{rel}:{line} {where}={url!r} -> no id {fragment!r} in "
                              f"{target.relative_to(site).as_posix()}")
    return broken, external


def test_every_internal_link_resolves(built_site, builder):
    broken, external = check_site(built_site)
    print(f"\n{builder}: {len(external)} external link(s) collected, not fetched:")
    for url in sorted(external):
        print(f"  {url}  (on {len(external[url])} page(s), e.g. {sorted(external[url])[0]})")
    assert not broken, f"{builder}: {len(broken)} broken internal link(s):\n" + "\n".join(broken)


def test_link_checker_catches_breakage(tmp_path):
    """The checker itself: a missing file and a missing anchor are reported, good links are not."""
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text('<a href="a/">ok</a><a href="a/#x">ok</a><a href="a/#nope">bad</a>'
                                     '<img src="missing.png" alt="x"><a href="https://example.org/">ext</a>'
                                     '<a href="#top" id="top">self</a><a href="mailto:x@y">m</a>', encoding="utf-8")
    (site / "a" / "index.html").write_text('<h1 id="x">X</h1><a href="../">up</a><a href="../b/">bad</a>'
                                           '<a href="../../a/">above the root</a>', encoding="utf-8")
    broken, external = check_site(site)
    assert len(broken) == 4, broken
    assert any("climbs out" in b and "../../a/" in b for b in broken)
    assert any("nope" in b for b in broken) and any("missing.png" in b for b in broken)
    assert any("/b/" in b for b in broken)
    assert set(external) == {"https://example.org/"}
