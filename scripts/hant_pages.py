"""繁 on every page: the Traditional forms (Taiwan s2twp, Hong Kong s2hk, through OpenCC at build time)
of the Chinese on the pages that are not articles — glossary, who's who, figures, timeline, the
articles index, vocabulary lists, home and about — and the site's own name and navigation.

An article page carries its own table (render.page_data, #bm-hant). The other pages share one file,
docs/data/hant.json, which bm.js fetches from the site itself only once a reader chooses 繁 (no
weight on a page read in Simplified, no converter in the browser). Every such page with Chinese on it
gets the toolbar's script choice under its title.
"""
from __future__ import annotations

import json
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
_FILLED = re.compile(r'<div id="bm-mywords"')      # the browser fills it with saved Chinese words
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
    it has none); a page without Chinese (none written, none the browser fills in: My words), or
    with a toolbar already, unchanged.

    >>> with_script_toolbar("---\\ntitle: T\\n---\\n# 词汇 Words\\ntext\\n").splitlines()[5][:30]
    '<div class="bm-toolbar bm-tool'
    >>> with_script_toolbar("# Only English\\n")
    '# Only English\\n'
    >>> 'data-val="hk"' in with_script_toolbar('# My words\\n<div id="bm-mywords"></div>\\n')
    True
    """
    if not (HAN_RE.search(page) or _FILLED.search(page)) or 'class="bm-toolbar' in page:
        return page
    m = _H1.search(page)
    at = m.end() if m else (_FRONT.match(page).end() if _FRONT.match(page) else 0)
    return page[:at] + "\n" + SCRIPT_TOOLBAR + "\n" + page[at:]


def shared_table(files: dict, extra=(), names=(), memo: dict | None = None) -> dict[str, list[str]]:
    """run -> [Taiwan, Hong Kong] for every run of Han characters on the shared pages (as written and
    with tags dropped, as the reader sees it) and in `extra` (site name, navigation titles), where
    a standard writes it differently; `names` (glossary and who's who forms) keep their words.

    Text the browser makes after the page loads (search results, cut into the articles' words; the
    words a reader saved, with their sentences) converts from the same table: it also holds every
    article's words (article_words) and every Han character of the site on its own (char_table), so
    bm.js can cut any other run into the longest pieces it knows.

    `memo` (a dict `mkdocs serve` keeps between builds) holds what each page gives the table, by its
    text, and the table last made from those parts: a rebuild reads again only the pages that
    changed, and remakes the table only if their Chinese did (an edited translation leaves it as it
    was). What pages no longer give is dropped from it.

    >>> memo = {}
    >>> shared_table({"a/index.md": "# 后台 发展"}, ["百模志"], memo=memo)["发展"]
    ['發展']
    >>> t = shared_table({"a/index.md": "# 后台 发展", "articles/x/index.md": "<p>English</p>"}, ["百模志"], memo=memo)
    >>> len(memo), t == shared_table({"a/index.md": "# 后台 发展"}, ["百模志"])
    (3, True)
    """
    from .annotate.words import han_runs, hant_table
    names = tuple(names)
    memo = {} if memo is None else memo
    used, strings, chars = set(), list(extra), set()
    for rel, text in sorted(files.items()):
        if not (rel.endswith(".md") and isinstance(text, str)):
            continue
        key = ("page", is_shared(rel), text)
        if key not in memo:
            memo[key] = _page_part(text, key[1])
        used.add(key)
        strings += memo[key][0]
        chars |= memo[key][1]
    whole = ("table", tuple(strings), tuple(sorted(chars)), names)   # the pages' own strings: hashed once each
    if whole not in memo:
        runs = list(dict.fromkeys(han_runs(strings)))      # what both tables read of the strings, once
        table = {**char_table(chars), **hant_table(runs, names)}
        memo[whole] = dict(sorted({**table, **miscut(runs, table, names)}.items()))
    used.add(whole)
    for key in [k for k in memo if k not in used]:
        del memo[key]
    return memo[whole]


def _page_part(text: str, shared: bool) -> tuple[list[str], frozenset[str]]:
    """What one page gives the 繁 table: the strings to convert (a shared page's text as written and
    without tags, an article page's words) and its Han characters."""
    chars = frozenset(HAN_RE.findall("".join(set(text))))     # each character once: the same set, found sooner
    if shared:
        text = _SEARCH.sub("", text)
        return [text, re.sub(r"<[^>]*>", "", text)], chars
    return article_words(text), chars

def miscut(strings, table: dict, names=()) -> dict[str, list[str]]:
    """The runs of `strings` that bm.js, cutting them into the longest pieces `table` knows (cut),
    would write otherwise than the build does (阿里巴巴, a name, is not 阿裡巴巴): run -> its own
    entry ([] when it stays as it is), so the table holds them whole."""
    from .annotate.words import han_runs, hant_entry, hant_runs, names_pattern
    names_re = names_pattern(tuple(names))
    runs = [r for r in dict.fromkeys(han_runs(strings)) if r not in table]
    sizes = sorted({len(k) for k in table if 1 < len(k) <= CUT_MAX}, reverse=True)
    out = {}
    for run, tw, hk in zip(runs, hant_runs(runs, "tw", names_re), hant_runs(runs, "hk", names_re)):
        if cut(run, table, "tw", sizes) != tw or cut(run, table, "hk", sizes) != hk:
            out[run] = hant_entry(run, tw, hk)[:2]
    return out


def pick(forms, s: str, std: str) -> str:
    """A table entry's form in a standard, as bm.js's pick reads it ("" or nothing: s itself)."""
    if not forms:
        return s
    return (forms[1] or s) if std == "hk" and len(forms) > 1 else (forms[0] or s)


CUT_MAX = 8      # the longest piece bm.js looks up


def cut(run: str, table: dict, std: str, sizes=None) -> str:
    """run in a standard as bm.js converts text made in the browser that no table holds whole: the
    longest pieces (up to CUT_MAX characters) the table knows, first to last; other characters as
    they are. `sizes`: the lengths above one that the table's keys have, longest first (only those
    can match; all lengths if not given).

    >>> cut("阿里巴巴", {"里": ["裡", ""]}, "tw"), cut("软件", {"软件": ["軟體", "軟件"]}, "hk")
    ('阿裡巴巴', '軟件')
    """
    sizes = range(CUT_MAX, 1, -1) if sizes is None else sizes
    out, i = [], 0
    while i < len(run):
        for n in sizes:
            if i + n <= len(run) and run[i:i + n] in table:
                out.append(pick(table[run[i:i + n]], run[i:i + n], std))
                i += n
                break
        else:
            out.append(pick(table.get(run[i]), run[i], std))
            i += 1
    return "".join(out)


_WORDS_JSON = re.compile(r'<script type="application/json" id="bm-words">(.*?)</script>', re.S)


def article_words(page: str) -> list[str]:
    """The words of an article page's word table (#bm-words), [] when it has none or it is not JSON.

    >>> article_words('<script type="application/json" id="bm-words">{"软件":["ruǎn jiàn"]}</script>')
    ['软件']
    >>> article_words('<script type="application/json" id="bm-words">{oops</script>')
    []
    """
    m = _WORDS_JSON.search(page)
    try:
        data = json.loads(m.group(1)) if m else {}
    except ValueError:
        return []
    return sorted(k for k in data if isinstance(k, str)) if isinstance(data, dict) else []


def char_table(chars) -> dict[str, list[str]]:
    """char -> its Traditional part (words.hant_entry) for each Han character a standard writes
    otherwise on its own, character by character (为 -> 為): the fallback for runs no table holds.

    >>> char_table({"为", "模", "群"})
    {'为': ['為'], '群': ['', '羣']}
    """
    from .annotate.words import hant_entry
    from .chinese import to_hant
    out = {}
    for c in sorted(chars):
        entry = hant_entry(c, to_hant(c, "tw", False), to_hant(c, "hk", False))
        if entry:
            out[c] = entry
    return out


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
