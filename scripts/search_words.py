"""Chinese for search indexes: the same text, cut into words, where only the indexer looks.

Chinese is written without spaces. Material's search cuts it with jieba (scripts/hooks/search_segmenter.py);
Zensical's index splits text only at its separator (mkdocs.yml `plugins.search.separator`), so a whole
clause would be one "word" and 百模大战 in the middle of it could not be found. So the pages carry,
next to the Chinese the reader sees, a hidden copy cut into words by zero-width spaces (a separator
character nobody sees). The visible Chinese is marked data-search-exclude, so each builder indexes
the text once; what the reader sees, selects, copies or prints is unchanged.

The copy also names, after the words, every glossary term or name that occurs in the text but is not
one of its words (板块 inside 概念板块, 认知大模型 inside 星火认知大模型, 群“模”之战 cut at its quotes):
search matches the start of a word, and each of these is then the start of one.

- article segments: `search_block`, from the word cut the page already carries (`data-w`);
- everything else (`searchable`, over every generated page): each <span lang="zh-Hans"> of more than
  one word gets the copy after it, once per distinct text on a page; in a Markdown heading, whose text
  becomes the table of contents, the copy goes into a hidden block after the heading instead.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from . import html as h
from .chinese import HAN_RE, strip_marks

ZWSP = "\u200b"   # a search separator that nobody sees
# Written out in full, so Python-Markdown's own serialisation and raw HTML read the same (test_hook).
EXCLUDE = 'data-search-exclude=""'
COPY = '<{tag} class="bm-search" hidden="hidden">'


def word_offsets(code: str) -> list[tuple[int, int]]:
    """The inverse of annotate.encode_words: "2,1:3" -> [(0, 2), (3, 3)] as (start, length).

    >>> word_offsets("2,1,1:3")
    [(0, 2), (2, 1), (4, 3)]
    >>> word_offsets("")
    []
    """
    out, pos = [], 0
    for item in filter(None, code.split(",")):
        gap, _, length = item.rpartition(":")
        start = pos + int(gap or 0)
        out.append((start, int(length)))
        pos = start + int(length)
    return out


def search_text(plain: str, code: str, forms: frozenset[str] = frozenset()) -> str:
    """A sentence cut into its words (the `data-w` offsets) by zero-width spaces, escaped; then the
    lexicon `forms` it holds that are not among its words.

    >>> search_text("进退两难的AI“百模大战”", "4,1,3:4") == "进退两难\u200b的\u200bAI“\u200b百模大战\u200b”"
    True
    >>> search_text("概念板块中", "4,1", frozenset({"板块", "中国"})) == "概念板块\u200b中\u200b板块"
    True
    """
    cuts = sorted({i for start, length in word_offsets(code) for i in (start, start + length)} - {0, len(plain)})
    return copy_text([plain[i:j] for i, j in zip([0, *cuts], [*cuts, len(plain)])], plain, forms)


def copy_text(pieces: list[str], plain: str, forms: frozenset[str]) -> str:
    """The words of `plain` and the forms it holds that are not among them, joined by zero-width
    spaces and escaped."""
    have = set(pieces)
    return h.text(ZWSP.join(pieces + [f for f in forms_in(plain, forms) if f not in have]))


def forms_in(text: str, forms: frozenset[str]) -> list[str]:
    """The forms that occur in text, each once, in order of where they end (the longest first).

    >>> forms_in("星火认知大模型", frozenset({"认知大模型", "大模型", "星火"}))
    ['星火', '认知大模型', '大模型']
    """
    if not forms or not text:
        return []
    occurrences = _occurrences(forms)
    return list(dict.fromkeys(occurrences.strings[i] for i, _, _ in occurrences.find(text)))


@lru_cache(maxsize=2)
def _occurrences(forms: frozenset[str]):
    from .annotate.terms import Occurrences
    return Occurrences(sorted(forms))


def lexicon_forms(lexicon) -> frozenset[str]:
    """Every Chinese surface form of the glossary and the who's who (annotate.Lexicon), computed
    once per lexicon."""
    hit = _FORMS.get(id(lexicon))
    if hit is None or hit[0] is not lexicon:
        hit = (lexicon, frozenset(f for t in lexicon.terms for f in t.forms if HAN_RE.search(f)))
        _FORMS.clear()
        _FORMS[id(lexicon)] = hit
    return hit[1]


_FORMS: dict[int, tuple[object, frozenset[str]]] = {}


def search_block(parts: Iterable[str], codes: Iterable[str], forms: frozenset[str] = frozenset()) -> str:
    """A segment's Chinese sentences (marked text, as the segmenter keeps it) and their word cuts
    as the hidden block search indexes in place of the visible Chinese."""
    text = ZWSP.join(search_text(strip_marks(p), c, forms) for p, c in zip(parts, codes))
    return f'{COPY.format(tag="div")}{text}</div>'


# ---------------------------------------------------------------- every other page

_ZH = 'lang="zh-Hans"'
_SPAN_ANY = re.compile(r'<span\b[^<>]*>|</span>')
_TAG = re.compile(r"<[^<>]*>")


def searchable(page: str, cut: Callable[[str], Iterable[str]], forms: frozenset[str] = frozenset()) -> str:
    """The page with a hidden, word-cut copy after each <span lang="zh-Hans"> of more than one word
    (the first time its text occurs on the page), the span itself marked data-search-exclude. Spans
    in scripts are left alone, as are spans without Chinese; those in a Markdown heading (whose text
    becomes the table of contents) get their copy in a hidden block after the heading line. `cut`
    splits text into words (annotate.words.cut); `forms` as in `search_text`.

    >>> print(searchable('<p><span lang="zh-Hans">百模大战</span> and <span lang="zh-Hans">百模大战</span></p>',
    ...                  lambda t: [t[:2], t[2:]]))
    <p><span lang="zh-Hans" data-search-exclude="">百模大战</span><span class="bm-search" hidden="hidden">百模\u200b大战</span> and <span lang="zh-Hans">百模大战</span></p>
    """
    skip = _skipped(page)
    out, pos, seen = [], 0, set()
    for start, tag_end in _zh_spans(page):
        if start < pos or _inside(skip, start):
            continue
        end = _close(page, tag_end)
        if end is None:
            continue
        plain = _plain(page[tag_end:end])
        if "data-search-exclude" in page[start:tag_end] or plain in seen:
            seen.add(plain)
            continue
        seen.add(plain)
        pieces = list(cut(plain)) if HAN_RE.search(plain) else []
        copy = copy_text(pieces, plain, forms)
        if ZWSP not in copy:
            continue                    # one word: the index has it as it is
        close = end + len("</span>")
        out += [page[pos:tag_end - 1], f" {EXCLUDE}>", page[tag_end:close], f'{COPY.format(tag="span")}{copy}</span>']
        pos = close
    page = "".join(out) + page[pos:] if out else page
    return _after_headings(page, cut, forms)


_HEADING_COPY = "\n\n" + COPY.format(tag="div")


def _after_headings(page: str, cut, forms: frozenset[str]) -> str:
    """Markdown headings keep their Chinese (the table of contents shows it): the copy of a heading's
    Chinese spans goes into a hidden block after the heading line, unless one is there already."""
    out, pos = [], 0
    for start, end in _skipped(page):
        if page[start:start + 1] == "<" or _ZH not in page[start:end] or page.startswith(_HEADING_COPY, end):
            continue
        texts = []
        for a, b in _zh_spans(page[start:end]):
            close = _close(page[start:end], b)
            if close is not None:
                texts.append(_plain(page[start + b:start + close]))
        copy = ZWSP.join(copy_text(list(cut(t)), t, forms) for t in texts if HAN_RE.search(t))
        if copy:
            out += [page[pos:end], _HEADING_COPY, copy, "</div>"]
            pos = end
    return "".join(out) + page[pos:] if out else page


def _zh_spans(page: str):
    """(start, end) of each <span …lang="zh-Hans"…> start tag, in order."""
    i = page.find(_ZH)
    while i != -1:
        lt, gt = page.rfind("<", 0, i), page.find(">", i)
        if gt == -1:
            return
        if page.startswith("<span", lt) and page[lt + 5] in " \t\n" and page.rfind(">", 0, i) < lt:
            yield lt, gt + 1
        i = page.find(_ZH, gt)


def _skipped(page: str) -> list[tuple[int, int]]:
    """Stretches to leave alone, in order: <script> elements and Markdown heading lines."""
    spans = []
    i = 0 if page.startswith("#") else page.find("\n#")
    while i != -1:
        i += page[i] == "\n"
        j = page.find("\n", i)
        spans.append((i, len(page) if j == -1 else j))
        i = page.find("\n#", i)
    i = page.find("<script")
    while i != -1:
        j = page.find("</script>", i)
        j = len(page) if j == -1 else j + len("</script>")
        spans.append((i, j))
        i = page.find("<script", j)
    return sorted(spans)


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    import bisect
    k = bisect.bisect_right(spans, (at, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= at < spans[k][1]


def _close(page: str, start: int) -> int | None:
    """Where the span opened just before `start` closes (spans may nest)."""
    depth = 1
    for m in _SPAN_ANY.finditer(page, start):
        depth += -1 if m.group(0) == "</span>" else 1
        if depth == 0:
            return m.start()
    return None


def _plain(inner_html: str) -> str:
    import html
    return html.unescape(_TAG.sub("", inner_html))


def searchable_pages(files: dict, lexicon) -> dict:
    """Every generated Markdown page through `searchable`, with the pipeline's word cut and the
    lexicon's forms. Pages are remembered from the last call (`mkdocs serve` rebuilds: only a
    changed page is done again)."""
    from .annotate import words
    forms = lexicon_forms(lexicon)
    out, memo = {}, {}
    for rel, text in files.items():
        if rel.endswith(".md") and isinstance(text, str):
            done = _LAST.get((text, forms))
            memo[text, forms] = out[rel] = done if done is not None else searchable(text, words.cut, forms)
        else:
            out[rel] = text
    _LAST.clear()
    _LAST.update(memo)
    return out


_LAST: dict[tuple[str, frozenset[str]], str] = {}
