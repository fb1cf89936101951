"""Plain text: every non-empty line is a block; the form says nothing about kinds or metadata.

A collector's record is the one exception: a file that opens with labelled fields (标题:…, 发布时间:…)
and then a 正文: line holding the article's first paragraph. The 正文 label is the collector's, not
the article's, so the reader drops it and keeps its paragraph; the other fields stay lines of their own
for the metadata reader (scripts/metadata.py) to take.

Text copied out of a page or a feed sometimes keeps a stray inline tag (<a href=…>中新社</a>): among
text, a tag is markup, so the reader keeps only what the tag encloses and counts a link's text as link
text. A line that is nothing but tags is left as written (an example of markup, or hostile input that
the pages escape).
"""
from __future__ import annotations

import re

from . import Block, Candidate

# Field labels of a crawler's record, on the lines before its body label.
RECORD_FIELD = re.compile(r"^(?:标题|题目|发布时间|发表时间|时间|日期|来源|作者|链接|网址|原文链接|url)\s*[:：]", re.I)
BODY_LABEL = re.compile(r"^(?:正文|内容)\s*[:：]\s*")
# Inline tags a copied line may carry; only these names, so "a<b" or 《》 are never touched. A link's
# text is read up to the next "<" (linear: no scan past it for a closing tag that is not there).
INLINE_TAG = re.compile(r"</?(?:a|span|font|b|strong|i|em|u|br|img|sup|sub)(?:\s[^<>]*)?/?>", re.I)
LINK = re.compile(r"<a(?:\s[^<>]*)?>([^<]*)</a>", re.I)


def strip_inline_tags(line: str) -> tuple[str, int]:
    """A line without its inline tags, and how many of its characters were link text.

    >>> strip_inline_tags("资料图。<a target='_blank' href='http://www.chinanews.com/'>中新社</a>发 司伟 摄")
    ('资料图。中新社发 司伟 摄', 3)
    >>> strip_inline_tags("当 a<b 且 b<c 时，a<c。"), strip_inline_tags("<img src=x onerror=y>")
    (('当 a<b 且 b<c 时，a<c。', 0), ('<img src=x onerror=y>', 0))
    """
    if "<" not in line:
        return line, 0
    text = INLINE_TAG.sub("", line)
    if not text.strip():
        return line, 0
    return text, sum(len(m.group(1).strip()) for m in LINK.finditer(line))


def read(text: str) -> tuple[list[Block], list[Candidate]]:
    """Lines as blocks, numbered as in the file.

    >>> [(b.line, b.text) for b in read("标题\\n\\n 正文。\\u00a0\\n")[0]]
    [(1, '标题'), (3, '正文。')]
    >>> [b.text for b in read("标题:某公司发布新模型\\n发布时间:2024-05-01 10:00\\n正文:某公司今日发布了新模型。\\n")[0]]
    ['标题:某公司发布新模型', '发布时间:2024-05-01 10:00', '某公司今日发布了新模型。']
    >>> [b.text for b in read("正文：没有字段在前，标签是文章自己的。\\n")[0]]
    ['正文：没有字段在前，标签是文章自己的。']
    """
    blocks = []
    record = True                      # every line so far is a labelled field of a collector's record
    for number, raw in enumerate(text.split("\n"), start=1):
        raw, link_chars = strip_inline_tags(raw.replace("\u00a0", " "))
        raw = raw.strip()
        if not raw:
            continue
        if record and blocks and BODY_LABEL.match(raw):
            raw = BODY_LABEL.sub("", raw, count=1) or raw      # a bare label stays, for the classifier to drop
            record = False
        else:
            record = record and bool(RECORD_FIELD.match(raw))
        blocks.append(Block(number, raw, link_chars=link_chars))
    return blocks, []
