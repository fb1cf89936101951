"""Plain text: every non-empty line is a block; the form says nothing about kinds or metadata."""
from __future__ import annotations

from . import Block, Candidate


def read(text: str) -> tuple[list[Block], list[Candidate]]:
    """Lines as blocks, numbered as in the file.

    >>> [(b.line, b.text) for b in read("标题\\n\\n 正文。\\u00a0\\n")[0]]
    [(1, '标题'), (3, '正文。')]
    """
    blocks = []
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.replace("\u00a0", " ").strip()
        if raw:
            blocks.append(Block(number, raw))
    return blocks, []
