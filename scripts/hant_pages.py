"""繁 on every page: the Traditional forms (Taiwan s2twp, Hong Kong s2hk, through OpenCC at build time)
of the Chinese on the pages that are not articles — glossary, who's who, figures, timeline, the
articles index, vocabulary lists, home and about — and the site's own name and navigation.

An article page carries its own table (render.page_data, #bm-hant). The other pages share one file,
docs/data/hant.json, which bm.js fetches from the site itself only once a reader chooses 繁 (no
weight on a page read in Simplified, no converter in the browser). Every such page with Chinese on it
gets the toolbar's script choice under its title.
"""
from __future__ import annotations

import re

from .chinese import HAN_RE

HANT_JSON = "data/hant.json"

SCRIPT_TOOLBAR = (
    '<div class="bm-toolbar bm-toolbar-script" role="toolbar" aria-label="Chinese script">\n'
    '<span class="bm-group" role="group" aria-label="Script">'
    '<button type="button" data-opt="script" data-val="hans" aria-pressed="true" lang="zh-Hans" '
    'title="Simplified characters">简</button>'
    '<button type="button" data-opt="script" data-val="hant" aria-pressed="false" lang="zh-Hant-TW" '
    'title="Traditional characters, Taiwan standard">繁·台</button>'
    '<button type="button" data-opt="script" data-val="hk" aria-pressed="false" lang="zh-Hant-HK" '
    'title="Traditional characters, Hong Kong standard">繁·港</button></span>\n</div>\n')

_ARTICLE_PAGE = re.compile(r"articles/[^/]+/index\.md")
_H1 = re.compile(r"^# .*\n", re.M)
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)
_SEARCH = re.compile(r'<span class="bm-search" hidden="hidden">.*?</span>', re.S)


def is_shared(rel: str) -> bool:
    """A generated page whose Chinese the shared table converts (every Markdown page but an article's).

    >>> [is_shared(p) for p in ("glossary/index.md", "articles/x/index.md", "articles/index.md",
    ...                         "articles/x/vocabulary/index.md", "data/glossary.json")]
    [True, False, True, True, False]
    """
    return rel.endswith(".md") and not _ARTICLE_PAGE.fullmatch(rel)


def with_script_toolbar(page: str) -> str:
    """The page with the script choice under its first level-1 heading (at the top of its body when
    it has none); a page without Chinese, or with a toolbar already, unchanged.

    >>> with_script_toolbar("---\\ntitle: T\\n---\\n# 词汇 Words\\ntext\\n").splitlines()[5][:30]
    '<div class="bm-toolbar bm-tool'
    >>> with_script_toolbar("# Only English\\n")
    '# Only English\\n'
    """
    if not HAN_RE.search(page) or 'class="bm-toolbar' in page:
        return page
    m = _H1.search(page)
    at = m.end() if m else (_FRONT.match(page).end() if _FRONT.match(page) else 0)
    return page[:at] + "\n" + SCRIPT_TOOLBAR + "\n" + page[at:]


def shared_table(files: dict, extra=(), names=(), memo: dict | None = None) -> dict[str, list[str]]:
    """run -> [Taiwan, Hong Kong] for every run of Han characters on the shared pages (as written and
    with tags dropped, as the reader sees it) and in `extra` (site name, navigation titles), where
    a standard writes it differently; `names` (glossary and who's who forms) keep their words.

    Each page's entries depend only on its text and `names`, so `memo` (a dict kept between builds
    by `mkdocs serve`) holds them per page: a rebuild converts only the pages that changed. Entries
    of pages this build no longer has are dropped from it.

    >>> memo = {}
    >>> shared_table({"a/index.md": "# 后台 发展"}, ["百模志"], memo=memo)
    {'发展': ['發展'], '后台': ['後臺', '後台']}
    >>> len(memo), shared_table({"b/index.md": "# 后台"}, memo=memo), len(memo)   # a/ gone: its entries too
    (2, {'后台': ['後臺', '後台']}, 1)
    """
    from .annotate.words import hant_table
    names = tuple(names)
    memo = {} if memo is None else memo
    used, table = set(), {}
    pages = [("page", t) for rel, t in sorted(files.items()) if is_shared(rel) and isinstance(t, str)]
    for kind, text in pages + ([("extra", "\n".join(extra))] if extra else []):
        key = (kind, text, names)
        if key not in memo:
            plain = _SEARCH.sub("", text) if kind == "page" else text
            memo[key] = hant_table([plain, re.sub(r"<[^>]*>", "", plain)] if kind == "page" else [text], names)
        used.add(key)
        table.update(memo[key])
    for key in [k for k in memo if k not in used]:
        del memo[key]
    return dict(sorted(table.items()))


def nav_titles(nav) -> list[str]:
    """Every title in a MkDocs navigation list."""
    out = []
    for item in nav:
        if isinstance(item, dict):
            for title, value in item.items():
                out.append(title)
                if isinstance(value, list):
                    out += nav_titles(value)
    return out
