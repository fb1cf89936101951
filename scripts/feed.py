"""The site's Atom feed: every article, newest first, in both languages.

Written with feedgen (a maintained feed library that escapes every field as XML), not with
mkdocs-rss-plugin: that plugin reads dates from git history and page front matter at MkDocs build
time, while our dates come from the article's own evidence and the feed must come out of the
pipeline, identical for any builder (MkDocs or Zensical). The feed's own `updated` time is the
newest article's date, so the same inputs give the same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

FEED_PATH = "feed.xml"


@dataclass(frozen=True)
class FeedEntry:
    """One article as the feed shows it."""
    slug: str
    title_en: str
    title_zh: str
    outlet_en: str
    outlet_zh: str
    published: str          # YYYY-MM-DD, YYYY-MM or ""
    summary_en: str
    summary_zh: str
    url: str                # absolute address of the article page


def _when(iso: str) -> datetime:
    """An article date as a UTC datetime (a missing day or month counts as the first).

    >>> _when("2023-07-23").isoformat(), _when("2024-05").isoformat(), _when("").year
    ('2023-07-23T00:00:00+00:00', '2024-05-01T00:00:00+00:00', 1970)
    """
    parts = [int(x) for x in iso.split("-") if x.isdigit()] if iso else []
    y, m, d = (parts + [1970, 1, 1][len(parts):])[:3] if parts else (1970, 1, 1)
    return datetime(y, m, d, tzinfo=timezone.utc)


def atom(entries: list[FeedEntry], site_url: str, site_title: str, subtitle: str) -> bytes:
    """The Atom 1.0 document for these articles, newest first."""
    from feedgen.feed import FeedGenerator
    from .html import xml_text as x            # feedgen escapes markup; lxml refuses control characters
    site_url = site_url.rstrip("/") + "/"
    fg = FeedGenerator()
    fg.id(site_url)
    fg.title(site_title)
    fg.subtitle(subtitle)
    fg.language("en")
    fg.link(href=site_url, rel="alternate")
    fg.link(href=site_url + FEED_PATH, rel="self")
    fg.generator("百模志 pipeline (feedgen)")
    ordered = sorted(entries, key=lambda e: (e.published, e.slug), reverse=True)
    fg.updated(max((_when(e.published) for e in ordered), default=_when("")))
    for e in reversed(ordered):          # feedgen prepends: add oldest first to list newest first
        fe = fg.add_entry()
        fe.id(e.url)
        fe.title(x(f"{e.title_en} · {e.title_zh}" if e.title_en else e.title_zh))
        fe.link(href=e.url, rel="alternate")
        fe.author(name=x(" · ".join(o for o in (e.outlet_en, e.outlet_zh) if o) or "unknown outlet"))
        fe.published(_when(e.published))
        fe.updated(_when(e.published))
        fe.summary(x("\n\n".join(s for s in (e.summary_en, e.summary_zh) if s)))
    return fg.atom_str(pretty=True)
