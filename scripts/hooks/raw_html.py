"""MkDocs hook: finished HTML blocks pass Python-Markdown untouched.

Our pages are mostly finished HTML blocks. Python-Markdown would re-parse every tag of them only to
hand the same text back, so a preprocessor (`RawBlocks`, registered by `on_config`) stores each
complete top-level block in Markdown's own html stash before the raw-HTML parser runs, and
Markdown's raw-HTML postprocessor puts it back. The .md files stay complete for any other builder;
the page is the same either way: elements, attributes, text and whitespace (tests/test_hook.py
renders every generated page by both routes and compares).
"""
from __future__ import annotations

import re

from markdown import util
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

# A block this pass lifts: one of these elements, the tag name ended by a space or `>`.
_BLOCK = re.compile(r"<(div|section|figure|ol|ul|dl|script|details|table|p)(?=[ >])([^>]*)>")
_FENCE = re.compile(r"^[ ]{0,3}(?:```|~~~)", re.MULTILINE)


def _balanced(chunk: str, tag: str) -> bool:
    return (len(re.findall(rf"<{tag}[\s>]", chunk)) == chunk.count(f"</{tag}>")
            and chunk.endswith(f"</{tag}>"))


def raw_blocks(text: str) -> list[tuple[str, bool, bool]]:
    """Cut Markdown at blank lines into (chunk, lift, nested) triples. `lift` is True for a chunk
    that is one complete HTML element — not a `markdown` container, whose inside Markdown must still
    read, and not inside a fenced code block, where HTML is text. `nested` is True for a chunk
    inside a `markdown` container.

    >>> raw_blocks('<p>a</p>\\n\\n<div markdown>\\n\\n<p>b</p>\\n\\n*c*\\n\\n</div>')
    [('<p>a</p>', True, False), ('<div markdown>', False, False), ('<p>b</p>', True, True), ('*c*', False, True), ('</div>', False, True)]
    >>> [lift for _, lift, _ in raw_blocks('```\\n\\n<p>code</p>\\n\\n```')]
    [False, False, False]
    """
    out = []
    fences = 0
    containers: list[list] = []               # open `markdown` containers: [tag, how many open]
    for chunk in text.split("\n\n"):
        m = _BLOCK.match(chunk)
        lift = bool(m and fences % 2 == 0 and "markdown" not in m.group(2) and _balanced(chunk, m.group(1)))
        out.append((chunk, lift, bool(containers)))
        if lift:
            continue
        opening = _CONTAINER.match(chunk.lstrip("\n ")) if fences % 2 == 0 else None
        fences += len(_FENCE.findall(chunk))
        if opening and _opened(chunk, opening.group(1)) > 0:
            containers.append([opening.group(1), _opened(chunk, opening.group(1))])
        elif containers:
            containers[-1][1] += _opened(chunk, containers[-1][0])
            if containers[-1][1] <= 0:
                containers.pop()
    return out


def _opened(chunk: str, tag: str) -> int:
    return len(re.findall(rf"<{tag}[\s>]", chunk)) - chunk.count(f"</{tag}>")


_CONTAINER = re.compile(r"<([a-z][a-z0-9]*)\b[^>]*\bmarkdown\b[^>]*>")


class RawBlocks(Preprocessor):
    """Store each liftable chunk (see `raw_blocks`) in `md.htmlStash`, leaving its placeholder."""

    def run(self, lines: list[str]) -> list[str]:
        """The page's lines with each complete HTML block replaced by a stash placeholder."""
        # Stored as Python-Markdown's own raw-HTML parser would leave it: at the top level a block
        # keeps its line's end; inside a `markdown` container it becomes an element, without one.
        chunks = [self.md.htmlStash.store(chunk if nested else chunk + "\n") if lift else chunk
                  for chunk, lift, nested in raw_blocks("\n".join(lines))]
        return "\n\n".join(chunks).split("\n")


_PLACEHOLDER = re.compile(re.escape(util.HTML_PLACEHOLDER).replace("%s", r"[0-9]+"))


class PlaceholdersAsIs(Treeprocessor):
    """A paragraph that is nothing but a stashed block's placeholder holds no Markdown: its text is
    marked atomic, so the inline patterns (a dozen tries per paragraph, hundreds of paragraphs on an
    article page) pass it by, and the raw-HTML postprocessor puts the block back as before."""

    def run(self, root) -> None:
        """Mark every such paragraph's text."""
        for el in root.iter("p"):
            text = el.text
            if text and len(el) == 0 and not el.tail and _PLACEHOLDER.fullmatch(text):
                el.text = util.AtomicString(text)


class RawBlocksExtension(Extension):
    """Registers `RawBlocks` after whitespace normalisation and before the raw-HTML parser, and
    `PlaceholdersAsIs` before the inline patterns."""

    def extendMarkdown(self, md) -> None:
        """Add the preprocessor to `md` (priority 28: between normalize_whitespace and html_block)
        and the tree processor (priority 21: just before inline)."""
        md.preprocessors.register(RawBlocks(md), "bm_raw_blocks", 28)
        md.treeprocessors.register(PlaceholdersAsIs(md), "bm_placeholders_as_is", 21)


def on_config(config):
    """Add the extension to the site's Markdown (once, however often the config is read)."""
    extensions = config["markdown_extensions"]
    if not any(isinstance(e, RawBlocksExtension) for e in extensions):
        extensions.append(RawBlocksExtension())
    return config
