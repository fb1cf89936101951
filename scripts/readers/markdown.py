"""Markdown web clips, parsed with markdown-it-py (CommonMark), front matter with the project's YAML.

Headings stay headings (ATX or Setext), emphasis and links keep their text, and nothing else of the
markup reaches a block: link targets, images, HTML comments, inline tags and escapes are resolved by
the parser, not by patterns. A paragraph's lines stay separate blocks (clippers write one line per
paragraph or per byline item), and so do the parts of a line split by `<br>` — unless the whole
document is hard-wrapped at a fixed width (html2text's 78 columns): then a line break inside a
paragraph is the wrapper's, made at a space, and the lines are joined with that space
(`hard_wrap_width`). Inline `<a>` tags count as links, like Markdown links.

    >>> blocks, cands = read("---\\ntitle: 大模型\\nauthor: [[张三]]\\n---\\n# 大模型\\n\\n**正文**见[这里](https://x.cn)。![](a.png)")
    >>> [(b.line, b.kind, b.text) for b in blocks]
    [(5, 'heading', '大模型'), (7, 'paragraph', '正文见这里。')]
    >>> [(c.field, c.value, c.source) for c in cands][:2]
    [('title', '大模型', 'front matter'), ('authors', '张三', 'front matter')]
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import Block, Candidate, FRONT_MATTER, ReaderLimit, bounded, normalise_date
from .html import fragment_lines

FRONT_MATTER_MAX = 20_000
# markdown-it-py spends 30-130 µs on each of these characters that may open inline markup (a link
# label is searched for at every "["): 2 MB of them would take minutes. Real clips hold a few hundred.
INLINE_MARKUP = "[!*_<&`\\"
MAX_INLINE_MARKUP = 20_000
# Nesting markdown-it follows (each list or quote level counts two); at its limit it drops the rest
# of the container silently, so reaching it stops the seed instead (read()).
MAX_NESTING = 60
_URL = re.compile(r"^(?:https?:)?//|^www\.", re.I)

# front-matter keys (lower case) -> metadata field
FRONT_MATTER_FIELDS = {
    "title": "title", "标题": "title",
    "site": "outlet", "site_name": "outlet", "sitename": "outlet", "publisher": "outlet", "outlet": "outlet",
    "media": "outlet", "account": "outlet", "公众号": "outlet",
    "author": "authors", "authors": "authors", "creator": "authors", "by": "authors", "作者": "authors",
    "editor": "editors", "editors": "editors", "编辑": "editors", "责任编辑": "editors",
    "date": "published", "published": "published", "publish_date": "published", "published_at": "published",
    "publishdate": "published", "pubdate": "published", "publish_time": "published", "发布时间": "published",
    "日期": "published",
    "created": "clipped", "clipped": "clipped", "saved": "clipped",
    "url": "url", "link": "url", "original_url": "url", "canonical": "url", "origin": "url",
}


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    return MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])


def _parse(body: str, offset: int):
    """markdown-it's tokens for the body, or ReaderLimit where it would stall or drop text."""
    marks = sum(body.count(ch) for ch in INLINE_MARKUP)
    if marks > MAX_INLINE_MARKUP:
        raise ReaderLimit(f"{marks:,} characters that may open Markdown markup ({' '.join(INLINE_MARKUP)}); "
                          f"a web clip has a few hundred (limit {MAX_INLINE_MARKUP:,})", None,
                          "remove the markup, or save the text as .txt without it")
    try:
        tokens = _parser().parse(body)
    except RecursionError:
        tokens = None
    deep = None if tokens is not None else 0
    for tok in tokens or ():
        if tok.nesting == 1 and tok.level + 1 >= MAX_NESTING and tok.map:
            deep = tok.map[0] + 1 + offset
            break
    if deep is not None:
        raise ReaderLimit(f"lists and quotes nested {MAX_NESTING} levels deep or more (a list level counts two)", deep or None,
                          "flatten the nesting (the parser would drop the text inside)")
    return tokens


def split_front_matter(text: str) -> tuple[str, str, int, int]:
    """(front matter YAML, body, line of the opening ---, number of lines the front matter took)."""
    m = FRONT_MATTER.match(text)
    if not m or len(m.group(0)) > FRONT_MATTER_MAX:
        return "", text, 0, 0
    opening = text[:m.start(1) if m.group(1) is not None else m.end()].count("\n")   # lines up to the opening ---
    return (m.group(1) or "", text[m.end():], opening,
            m.group(0).count("\n") + (0 if m.group(0).endswith("\n") else 1))


def _plain_values(value) -> list[str]:
    """Front-matter values as short strings: lists flattened, wiki links [[x]] unwrapped."""
    items = value if isinstance(value, list) else [value]
    items = [x for item in items[:20] for x in (item[:20] if isinstance(item, list) else [item])]  # [[name]] is YAML for a nested list
    out = []
    for item in items[:20]:
        if isinstance(item, (dict, list)) or item is None or isinstance(item, bool):
            continue
        text = re.sub(r"\[\[([^\]|]*)(?:\|[^\]]*)?\]\]", r"\1", bounded(item)).strip()
        if text:
            out.append(text)
    return out


def shown(value, limit: int = 80) -> str:
    """A front-matter value as short text, never expanding more of it than the limit needs (YAML
    aliases can make a small file a huge structure).

    >>> shown(["[[张三]]", "[[李四]]"]), shown({"a": 1})
    ('[[张三]], [[李四]]', '…')
    """
    if isinstance(value, list):
        parts, size = [], 0
        for item in value[:10]:
            text = item if isinstance(item, str) else ("…" if isinstance(item, (list, dict)) else str(item))
            parts.append(bounded(text, limit))
            size += len(parts[-1])
            if size > limit:
                break
        return bounded(", ".join(parts), limit)
    if isinstance(value, dict):
        return "…"
    return bounded(value, limit)


def front_matter_candidates(yaml_text: str, lines_before: int = 1) -> list[Candidate]:
    """Metadata candidates from YAML front matter (broken YAML yields none: it is a scrape)."""
    from .. import yamlio
    from ..errors import BuildError
    try:
        data = yamlio.loads(yaml_text, "<front matter>", drop_aliases=True)
    except (BuildError, RecursionError):
        return []
    if not isinstance(data, dict):
        return []
    out = []
    for key, value in data.items():
        name = FRONT_MATTER_FIELDS.get(str(key).strip().lower())
        if name is None and str(key).strip().lower() == "source":
            values = _plain_values(value)
            name = "url" if values and _URL.match(values[0]) else "outlet"
        if name is None:
            continue
        line = lines_before + data.line_of(key)
        values = _plain_values(value)
        if name in ("published", "clipped"):
            values = [d for d in (normalise_date(v) for v in values) if d][:1]
        elif name in ("authors", "editors"):
            values = ["、".join(values)] if values else []
        else:
            values = values[:1]
        for v in values:
            out.append(Candidate(name, v, "front matter", f"front matter `{bounded(key, 40)}: {shown(value)}`", line))
    return out


_SHORTCODE = re.compile(r"\{\{[<%](?:(?!\{\{).)*?[>%]\}\}")                     # Hugo/Jekyll-style template calls
_CJK_STRONG = re.compile(r"(\*\*|__)(?=\S)((?:(?!\1).)+?)(?<=\S)\1")   # never past the next delimiter


def _unmarked(text: str) -> str:
    """Markup CommonMark leaves as text: template shortcodes, and strong emphasis its flanking rules do
    not close next to Chinese (**1.**推测 renders as bold in the clip's own editor).

    >>> _unmarked("**1.**推测{{< youtube x >}}")
    '1.推测'
    """
    return _CJK_STRONG.sub(r"\2", _SHORTCODE.sub("", text))


WRAP_MIN, WRAP_MAX = 60, 100   # widths a fixed-width wrapper uses (html2text 78, textwrap 70, mail 72-80)
_CHUNK = re.compile(r"\S+")


def hard_wrap_width(paragraphs: list[str]) -> int:
    """The width a fixed-width wrapper broke these paragraphs' lines at, or 0 if they were not wrapped.

    A wrapper breaks a line only at a space and only when the next word would overflow the width, so a
    wrapped document has a width W with: every line that holds a space at most W long (it was not
    broken there), some such line close to W (at least WRAP_MIN), and at every line break inside a
    paragraph the line plus a space plus the next line's first word longer than W. A clip written one
    line per paragraph or byline item breaks that last rule at its first short line.

    >>> hard_wrap_width(["从备案到获批上线，国内大模型企业终于有了明确的政策准入。率先获批的企业，可以优先推出面向To\\nC广大用户的AI产品，这意味着在用户积累、数据获取与产品打磨上能占据主导权。",
    ...                  "基于ChatGLM，智谱已于今年推出To C聊天对话应用“智谱清言”。而在To B层面，智谱也已经与多家国内互联网巨头，政企达成合作。"])
    67
    >>> hard_wrap_width(["作者｜张三\\n编辑｜李四", "正文 很长的一段 " * 8])
    0
    """
    spaced, breaks = 0, []
    for text in paragraphs:
        lines = [line.strip() for line in text.split("\n")]
        for line in lines:
            if len(_CHUNK.findall(line)) > 1:
                spaced = max(spaced, len(line))
        for before, after in zip(lines, lines[1:]):
            if before and after:
                breaks.append(len(before) + 1 + len(_CHUNK.match(after).group(0)))
    if not breaks or not WRAP_MIN <= spaced <= WRAP_MAX or min(breaks) <= spaced:
        return 0
    return spaced


def _after_sentence(parts: list[str]) -> bool:
    """Does the text so far end a sentence? A link after it (a link card) becomes its own block."""
    return "".join(parts).rstrip().endswith(("。", "！", "？", "…"))


def _inline_pieces(children, first_line: int, wrapped: bool = False) -> list[tuple[int, str, int, bool, int]]:
    """Split an inline token's children into (line, text, link characters, caption, last line) at line
    breaks; in a hard-wrapped document (`wrapped`) a soft line break is the space the wrapper broke at."""
    pieces: list[tuple[int, str, int, bool, int]] = []
    line, text, links = first_line, [], 0
    start = 0                                  # the line where the piece's visible text starts
    caption = False                            # text right after an image on its line is its caption
    in_link = 0
    skip_link_text = False
    html_link = 0

    def flush():
        nonlocal text, links, caption, start
        pieces.append((start or line, "".join(text), links, caption, line))
        text, links, caption, start = [], 0, False, 0

    for tok in children:
        t = tok.type
        if t == "text" and ("{{" in tok.content or "**" in tok.content or "__" in tok.content):
            tok = tok.copy(content=_unmarked(tok.content))
        if t == "softbreak" and wrapped:
            text.append(" ")
            line += 1
        elif t in ("softbreak", "hardbreak") or (t == "html_inline" and re.match(r"<br\s*/?>", tok.content, re.I)):
            flush()
            line += 1 if t != "html_inline" else 0
        elif t == "link_open":
            if _after_sentence(text):
                flush()
            in_link += 1
            skip_link_text = tok.markup == "autolink"
        elif t == "link_close":
            in_link = max(0, in_link - 1)
            skip_link_text = False
        elif t == "html_inline" and re.match(r"<a[\s>]", tok.content, re.I):
            if _after_sentence(text):
                flush()
            html_link += 1
        elif t == "html_inline" and re.match(r"</a\s*>", tok.content, re.I):
            html_link = max(0, html_link - 1)
        elif t == "image":
            if not "".join(text).strip():
                caption = True
        elif t in ("text", "code_inline"):
            if skip_link_text:
                continue
            text.append(tok.content)
            if not start and tok.content.strip():
                start = line
            if in_link or html_link:
                links += len(tok.content)
        # html_inline (comments, tags), emphasis markers: nothing visible
    flush()
    return pieces


def _stripped(pieces: list[tuple[int, str, int, bool, int]]) -> list[tuple[int, str, int, bool, int]]:
    out = []
    for line, text, links, caption, last in pieces:
        text = text.replace("\u00a0", " ").strip()
        if text:
            out.append((line, text, min(links, len(text)), caption, last if last > line else 0))
    return out


def read(text: str) -> tuple[list[Block], list[Candidate]]:
    """The blocks of a Markdown clip, parsed by markdown-it-py (front matter split off and read as
    metadata candidates); link targets, images, comments and escapes never reach the text.
    """
    yaml_text, body, opening, offset = split_front_matter(text)
    candidates = front_matter_candidates(yaml_text, opening) if offset else []
    blocks: list[Block] = []
    containers: list[str] = []
    current: tuple[str, int] | None = None     # (kind, heading level) of the open leaf block
    number = ""                                # an ordered list item's number, for its first block
    tokens = _parse(body, offset)
    wrapped = bool(hard_wrap_width([tok.content for prev, tok in zip(tokens, tokens[1:])
                                    if prev.type == "paragraph_open" and tok.type == "inline"]))
    for tok in tokens:
        t = tok.type
        if t == "blockquote_open":
            containers.append("quote")
        elif t in ("bullet_list_open", "ordered_list_open"):
            containers.append("list")
        elif t in ("blockquote_close", "bullet_list_close", "ordered_list_close") and containers:
            containers.pop()
        elif t == "heading_open":
            current = ("heading", int(tok.tag[1]))
        elif t == "paragraph_open":
            current = ((containers[-1] if containers else "paragraph"), 0)
        elif t == "list_item_open" and tok.info:     # an ordered list's number is visible text
            number = f"{tok.info}{tok.markup} "
        elif t in ("th_open", "td_open"):
            current = ("table", 0)
        elif t in ("heading_close", "paragraph_close", "th_close", "td_close"):
            current = None
        elif t == "inline" and tok.map:
            kind, level = current or ("paragraph", 0)
            for line, piece, links, caption, last in _stripped(_inline_pieces(tok.children or [], tok.map[0] + 1 + offset, wrapped)):
                blocks.append(Block(line, number + piece, "caption" if caption and kind == "paragraph" else kind,
                                    links, level, last))
                number = ""
        elif t in ("fence", "code_block") and tok.map:
            for i, piece in enumerate(tok.content.split("\n")):
                if piece.strip():
                    blocks.append(Block(tok.map[0] + 1 + offset + i + (t == "fence"), piece.strip(), "code"))
        elif t == "html_block" and tok.map:
            for i, piece in fragment_lines(tok.content):
                blocks.append(Block(tok.map[0] + 1 + offset + i, piece, "paragraph"))
    blocks = _merge_table_rows(blocks)
    first_h1 = next((b for b in blocks if b.kind == "heading" and b.level == 1), None)
    if first_h1:
        candidates.append(Candidate("title", first_h1.text, "heading", "first level-1 heading", first_h1.line))
    return blocks, candidates


def _merge_table_rows(blocks: list[Block]) -> list[Block]:
    """Cells of one table row become one block, cells separated by a full-width space."""
    out: list[Block] = []
    for b in blocks:
        if b.kind == "table" and out and out[-1].kind == "table" and out[-1].line == b.line:
            prev = out[-1]
            out[-1] = Block(prev.line, prev.text + "\u3000" + b.text, "table", prev.link_chars + b.link_chars)
        else:
            out.append(b)
    return out
