"""The MkDocs hook lifts finished HTML blocks out of the Markdown before Python-Markdown runs and puts
them back afterwards (a speed-up). Both routes must give the same page: same elements, same
attributes, same text and whitespace. Only attribute order may differ (md_in_html re-sorts them)."""
from __future__ import annotations

from html.parser import HTMLParser

import markdown
import pytest
from mkdocs.config import load_config

from scripts.mkdocs_hook import lift_raw_blocks, restore_raw_blocks


class _Events(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.events.append(("start", tag, tuple(sorted(attrs, key=lambda kv: kv[0]))))

    def handle_endtag(self, tag):
        self.events.append(("end", tag))

    def handle_data(self, data):
        if self.events and self.events[-1][0] == "data":
            self.events[-1] = ("data", self.events[-1][1] + data)
        else:
            self.events.append(("data", data))

    def handle_comment(self, data):
        self.events.append(("comment", data))


def events(html: str) -> list[tuple]:
    p = _Events()
    p.feed(html)
    p.close()
    return p.events


def converter(project):
    cfg = load_config(str(project / "mkdocs.yml"))
    return markdown.Markdown(extensions=cfg["markdown_extensions"], extension_configs=cfg["mdx_configs"])


def generated_pages(project):
    docs = project / "docs"
    return sorted(p for p in docs.rglob("*.md") if p.name != "README.md")


def test_every_generated_page_renders_the_same_by_both_routes(built_project):
    md = converter(built_project)
    pages = generated_pages(built_project)
    assert len(pages) >= 10
    lifted_total = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        body = text.split("---\n", 2)[2] if text.startswith("---\n") else text
        direct = md.reset().convert(body)
        lifted, blocks = lift_raw_blocks(body)
        via_hook = restore_raw_blocks(md.reset().convert(lifted), blocks)
        lifted_total += len(blocks)
        a, b = events(direct), events(via_hook)
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        assert a == b, f"{page.relative_to(built_project)}: routes differ at event {first}: {a[first:first + 3]} vs {b[first:first + 3]}"
    assert lifted_total > 400


def test_html_in_a_fenced_code_block_stays_text():
    text = "intro\n\n```html\n\n<div class=\"x\">a</div>\n\n```\n\n<div>b</div>"
    out, blocks = lift_raw_blocks(text)
    assert blocks == ["<div>b</div>"]
    assert restore_raw_blocks(out, blocks) == text


@pytest.mark.parametrize("chunk, lifted", [
    ('<div class="x">\n<p>a</p>\n</div>', True),
    ('<div class="x" markdown>\n# heading\n</div>', False),     # Markdown inside must still be read
    ('<div class="x">\n<div>a</div>', False),                    # not closed in this chunk
    ('<div>a</div>\n<div>b', False),
    ('<p>a</p> and *text*', False),                            # ends outside the element
    ('<pre>code</pre>', False),                                # not a block this hook lifts
    ('# heading', False),
])
def test_only_complete_blocks_are_lifted(chunk, lifted):
    out, blocks = lift_raw_blocks(f"intro\n\n{chunk}\n\nend")
    assert (blocks == [chunk]) is lifted
    assert restore_raw_blocks(out, blocks) == f"intro\n\n{chunk}\n\nend"


def test_search_segments_chinese_exactly_as_python_jieba_would(built_project):
    """The hook serves Material's `jieba.cut` with rjieba: every Chinese run on the site, and in the
    raw articles, must be cut into the same words Python jieba (with the glossary's words) gives."""
    import json
    import logging
    import re

    import jieba

    from scripts.mkdocs_hook import _SearchSegmenter

    words = json.loads((built_project / ".cache" / "build" / "manifest.json").read_text(encoding="utf-8"))["words"]
    runs = set()
    for page in list((built_project / "site").rglob("*.html")) + list((built_project / "seeds").glob("*.txt")):
        runs.update(re.findall(r"[\u3400-\u9fff]+", page.read_text(encoding="utf-8")))
    assert len(runs) > 3000
    jieba.setLogLevel(logging.WARNING)
    reference = jieba.Tokenizer()
    for form in words:
        reference.add_word(form)
    ours = _SearchSegmenter()
    ours.add_words(words)
    differ = [r for r in sorted(runs) if list(reference.cut(r.encode("utf-8"))) != list(ours.cut(r.encode("utf-8")))]
    assert differ == []


def test_the_search_index_uses_the_segmenter(built_project):
    import json
    index = json.loads((built_project / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "\u200b百模大战\u200b" in text and "\u200b六小虎\u200b" in text
