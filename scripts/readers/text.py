"""Plain text: every non-empty line is a block; the form says nothing about kinds or metadata.

A collector's record is the one exception: a file that opens with labelled fields (标题:…, 发布时间:…)
and then a 正文: line holding the article's first paragraph. The 正文 label is the collector's, not
the article's, so the reader drops it and keeps its paragraph; the other fields stay lines of their own
for the metadata reader (scripts/metadata.py) to take.
"""
from __future__ import annotations

import re

from . import Block, Candidate

# Field labels of a crawler's record, on the lines before its body label.
RECORD_FIELD = re.compile(r"^(?:标题|题目|发布时间|发表时间|时间|日期|来源|作者|链接|网址|原文链接|url)\s*[:：]", re.I)
BODY_LABEL = re.compile(r"^(?:正文|内容)\s*[:：]\s*")


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
        raw = raw.replace("\u00a0", " ").strip()
        if not raw:
            continue
        if record and blocks and BODY_LABEL.match(raw):
            raw = BODY_LABEL.sub("", raw, count=1) or raw      # a bare label stays, for the classifier to drop
            record = False
        else:
            record = record and bool(RECORD_FIELD.match(raw))
        blocks.append(Block(number, raw))
    return blocks, []
