"""The one MkDocs hook: run our build before MkDocs reads docs/, and give it the navigation.

Plain `mkdocs build` / `mkdocs serve` on a fresh clone therefore produce the whole site; the
`watch:` list in mkdocs.yml makes `serve` rebuild when seeds/ or data/ change. When nothing
changed, only the build cache is read (the pipeline is not even imported).
"""
from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.cache import Cache  # noqa: E402
from scripts.errors import BuildError  # noqa: E402
from scripts.paths import Paths, atomic_write  # noqa: E402



_STATE: dict = {"background": False, "job": None}


def on_startup(command, **kwargs):
    # A one-off `mkdocs build` runs our build in a second process while MkDocs loads its search
    # segmenter, and lets figures be drawn while it renders the pages. `serve` builds in-process, so
    # unchanged articles stay cached between rebuilds.
    _STATE["background"] = command != "serve"


def on_config(config):
    paths = Paths(ROOT)
    try:
        cache = Cache(paths)
        inp = cache.inputs()
        manifest = cache.up_to_date(inp)
        if manifest is not None:
            nav, words = manifest["nav"], manifest["words"]
        elif _STATE["background"]:
            from scripts.build import BackgroundBuild
            job = _STATE["job"] = BackgroundBuild(paths, inp)
            _search_segmenter()                      # loads while the pages are built
            output = job.pages()
            nav, words = output.nav, output.words
        else:
            from scripts.build import build
            output = build(paths, inp=inp)
            nav, words = output.nav, output.words
    except BuildError as exc:
        on_build_error(exc)
        _stop(exc)
    config["nav"] = nav
    _segment_search_with(_search_segmenter(), words)
    return config


def on_post_build(config, **kwargs):
    """Figures drawn while MkDocs rendered: into docs/ and the build record (finish), and into the
    site, since MkDocs collected docs/ before they existed."""
    job, _STATE["job"] = _STATE["job"], None
    if job is None:
        return
    try:
        drawn = job.finish()
    except BuildError as exc:
        _stop(exc)
    for rel in drawn:
        atomic_write(Path(config["site_dir"]) / rel, (ROOT / "docs" / rel).read_bytes())


def on_build_error(error, **kwargs):
    job, _STATE["job"] = _STATE["job"], None
    if job is not None:
        job.cancel()


def _stop(exc: BuildError):
    from mkdocs.exceptions import Abort
    raise Abort(f"Build stopped: {exc}") from None


class _SearchSegmenter:
    """Material's search cuts Chinese text into words with `jieba.cut`. This answers that call with
    rjieba, which the pipeline already uses: jieba's algorithm and dictionary compiled, so the same
    words (tests/test_hook.py checks every Chinese run of the site) without Python jieba's half-second
    dictionary load. It also knows the glossary's words, so 六小虎 or 百模大战 are found whole."""

    def __init__(self):
        import rjieba
        self._jieba = rjieba.Jieba()

    def add_words(self, words) -> None:
        for form in words:
            if _HAN.search(form):
                self._jieba.add_word(form, None, None)

    def cut(self, sentence, cut_all=False, HMM=True):
        if isinstance(sentence, bytes):
            sentence = sentence.decode("utf-8")
        return iter(self._jieba.cut(sentence, HMM))


_HAN = re.compile(r"[\u3400-\u9fff]")


@functools.lru_cache(maxsize=1)
def _search_segmenter() -> _SearchSegmenter:
    return _SearchSegmenter()


def _segment_search_with(segmenter: _SearchSegmenter, words) -> None:
    try:
        from material.plugins.search import plugin as search
    except ImportError:
        return
    if getattr(search, "jieba", None) is not None:    # Material segments Chinese only if jieba is installed
        segmenter.add_words(words)
        search.jieba = segmenter


# ------------------------------------------------------------------ raw HTML pass-through
# Our pages are mostly finished HTML blocks. Python-Markdown would re-parse every tag of them only to
# hand the same text back, so the hook lifts each complete top-level block out before Markdown runs
# and puts it back afterwards. The .md files stay complete for any other builder; the page is the same
# either way: elements, attributes, text and whitespace (tests/test_hook.py compares both routes).

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
    fences = 0                                # inside a fenced code block, HTML is text: left alone
    for chunk in markdown.split("\n\n"):
        m = _BLOCK.match(chunk)
        if m and fences % 2 == 0 and "markdown" not in m.group(2) and _balanced(chunk, m.group(1)):
            out.append(_SLOT.format(len(blocks)))
            blocks.append(chunk)
        else:
            out.append(chunk)
            fences += len(_FENCE.findall(chunk))
    return "\n\n".join(out), blocks


_FENCE = re.compile(r"^[ ]{0,3}(?:```|~~~)", re.MULTILINE)


_SLOT_RE = re.compile(r"<!--bm-raw-(\d+)-->")


def restore_raw_blocks(html: str, blocks: list[str]) -> str:
    return _SLOT_RE.sub(lambda m: blocks[int(m.group(1))], html) if blocks else html


_LIFTED: dict[str, list[str]] = {}


def on_page_markdown(markdown, page, **kwargs):
    markdown, _LIFTED[page.file.src_uri] = lift_raw_blocks(markdown)
    return markdown


def on_page_content(html, page, **kwargs):
    return restore_raw_blocks(html, _LIFTED.pop(page.file.src_uri, []))
