"""The one MkDocs hook: run our build before MkDocs reads docs/, and give it the navigation.

Plain `mkdocs build` / `mkdocs serve` on a fresh clone therefore produce the whole site; the
`watch:` list in mkdocs.yml makes `serve` rebuild when seeds/ or data/ change.
"""
from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.build import build, finish_figures  # noqa: E402
from scripts.errors import BuildError  # noqa: E402
from scripts.paths import Paths, atomic_write  # noqa: E402

log = logging.getLogger("mkdocs.hooks.baimozhi")


_STATE: dict = {"defer": False, "output": None}


def on_startup(command, **kwargs):
    # `mkdocs build` lets figures be drawn while it renders the pages; `serve` waits for them, so the
    # SVGs are in docs/ before it collects files (writing them later would trigger a second rebuild).
    _STATE["defer"] = command != "serve"


def on_config(config):
    try:
        output = build(Paths(ROOT), defer_figures=_STATE["defer"])
    except BuildError as exc:
        from mkdocs.exceptions import Abort
        raise Abort(f"Build stopped: {exc}") from None
    _STATE["output"] = output
    config["nav"] = output.nav
    _teach_search_jieba(output.words)
    return config


def on_post_build(config, **kwargs):
    """Figures drawn while MkDocs rendered: into docs/ (and the build cache), and into the site."""
    output, _STATE["output"] = _STATE["output"], None
    if output is None or output.drawing is None:
        return
    try:
        drawn = finish_figures(output, Paths(ROOT))
    except BuildError as exc:
        from mkdocs.exceptions import Abort
        raise Abort(f"Build stopped: {exc}") from None
    for rel, data in sorted(drawn.items()):
        atomic_write(Path(config["site_dir"]) / rel, data)


def on_build_error(error, **kwargs):
    output, _STATE["output"] = _STATE["output"], None
    if output is not None and output.drawing is not None:
        output.drawing.cancel()


def _teach_search_jieba(words) -> None:
    """Material's search segments Chinese with Python jieba: give it the glossary's words too, so a
    search for 六小虎 or 百模大战 matches them as whole words."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)
    for form in words:
        jieba.add_word(form)


# ------------------------------------------------------------------ raw HTML pass-through
# Our pages are mostly finished HTML blocks. Python-Markdown would re-parse every tag of them only to
# hand the same text back, so the hook lifts each complete top-level block out before Markdown runs
# and puts it back afterwards. The .md files stay complete for any other builder; the output is the
# same bytes (tests/test_hook.py compares both routes page by page).

_BLOCK = re.compile(r"<(div|section|figure|ol|ul|dl|script|details|table|p)\b([^>]*)>")
_SLOT = "<!--bm-raw-{}-->"


def _balanced(chunk: str, tag: str) -> bool:
    return (len(re.findall(rf"<{tag}[\s>]", chunk)) == chunk.count(f"</{tag}>")
            and chunk.endswith(f"</{tag}>"))


def lift_raw_blocks(markdown: str) -> tuple[str, list[str]]:
    """Replace each blank-line-separated chunk that is one complete HTML element (and not a
    `markdown` container, whose inside Markdown must still see) by a numbered comment slot."""
    blocks: list[str] = []
    out = []
    for chunk in markdown.split("\n\n"):
        m = _BLOCK.match(chunk)
        if m and "markdown" not in m.group(2) and _balanced(chunk, m.group(1)):
            out.append(_SLOT.format(len(blocks)))
            blocks.append(chunk)
        else:
            out.append(chunk)
    return "\n\n".join(out), blocks


def restore_raw_blocks(html: str, blocks: list[str]) -> str:
    for i, block in enumerate(blocks):
        html = html.replace(_SLOT.format(i), block, 1)
    return html


_LIFTED: dict[str, list[str]] = {}


def on_page_markdown(markdown, page, **kwargs):
    if os.environ.get("BM_STASH") == "0":
        return markdown
    markdown, _LIFTED[page.file.src_uri] = lift_raw_blocks(markdown)
    return markdown


def on_page_content(html, page, **kwargs):
    return restore_raw_blocks(html, _LIFTED.pop(page.file.src_uri, []))
