"""Stage 6 — render: an aligned article becomes one Markdown page with HTML blocks.

The HTML contract other features and the tests rely on:
- the article root carries data-article="<slug>";
- each segment block carries data-seg="<id>" and holds one child lang="zh-Hans" and one lang="en";
- sentences inside both children are <span class="s" data-s="N">, N shared by a pair;
- an untranslated segment's English child has class "pending" and says so.

The page is plain Markdown + HTML (no template logic), so any MkDocs-like builder can compile it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import html as h
from .align import Aligned, Entry
from .chinese import MARK_CLOSE, MARK_OPEN, strip_marks

def human_date(iso: str) -> str:
    """2023-07-23 -> July 23, 2023; 2024-12 -> December 2024 (the same style as the figures' readings)."""
    from .annotate.numbers import MONTHS
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{MONTHS[int(parts[1]) - 1]} {int(parts[2])}, {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return iso


def split_marked(marked: str, plain_parts: tuple[str, ...]) -> tuple[str, ...] | None:
    """Cut marked text where its plain version is cut into plain_parts (None if they disagree)."""
    if strip_marks(marked) != "".join(plain_parts):
        return None
    out, i = [], 0
    for part in plain_parts:
        j, seen = i, 0
        while seen < len(part):
            if marked[j] not in (MARK_OPEN, MARK_CLOSE):
                seen += 1
            j += 1
        while j < len(marked) and marked[j] == MARK_CLOSE:   # a closing mark ends the span it closes
            j += 1
        out.append(marked[i:j])
        i = j
    if i < len(marked):
        out[-1] += marked[i:]
    return tuple(out)


@dataclass
class Notes:
    """Translator's notes, numbered through the article."""
    items: list[tuple[str, str]] = field(default_factory=list)   # (segment id, text)

    def add(self, seg_id: str, text: str) -> int:
        self.items.append((seg_id, text))
        return len(self.items)


def _note_mark(n: int) -> str:
    return (f'<sup class="fn" id="fnref-{n}"><a href="#fn-{n}" aria-label="Translator\'s note {n}">'
            f'{n}</a></sup>')


def english_html(entry: Entry, seg_id: str, notes: Notes) -> list[str]:
    sentences = [h.text(e) for e in entry.en]
    for note in entry.notes:
        n = notes.add(seg_id, note.text)
        placed = False
        if note.after:
            needle = h.text(note.after)
            for i, s in enumerate(sentences):
                k = s.find(needle)
                if k != -1:
                    sentences[i] = s[:k + len(needle)] + _note_mark(n) + s[k + len(needle):]
                    placed = True
                    break
        if not placed:
            sentences[-1] += _note_mark(n)
    return sentences


def zh_sentences(item: Aligned) -> tuple[str, ...]:
    seg = item.segment
    if item.entry and item.status == "translated":
        cut = split_marked(seg.text, item.entry.zh)
        if cut:
            return cut
    return seg.sentences


def repair_span(repair, inner_html: str) -> str:
    """A repaired span with its evidence as a tooltip. A repair nobody has reviewed yet (proposed
    from the bytes) and damage left as it is (flagged) carry their own class, so a draft shows them."""
    status = getattr(repair, "status", "reviewed")
    evidence = getattr(repair, "evidence", "")
    if status == "proposed":
        tip, cls = f"Proposed repair, not yet reviewed: the scrape has “{repair.text}” here. {repair.note}", "repair unreviewed"
    elif status == "flagged":
        tip, cls = f"Possible damage, left as it is: {repair.note}", "repair flagged"
    else:
        tip, cls = f"Repaired: the scrape has “{repair.text}” here. {repair.note}", "repair"
        if evidence:
            tip += f" Bytes: {evidence}"
    return (f'<span class="{cls}" tabindex="0" title="{h.attr(tip)}" data-garbled="{h.attr(repair.text)}">'
            f'{inner_html}</span>')


def segment_block(item: Aligned, zh_render, notes: Notes) -> str:
    seg = item.segment
    zh_parts = zh_sentences(item)
    repair_index = seg.repair_start
    zh_html = []
    for n, part in enumerate(zh_parts, start=1):
        r = zh_render(part, repair_index)
        zh_html.append(f'<span class="s" data-s="{n}" data-w="{r.words}">{r.html}</span>')
        repair_index += part.count(MARK_OPEN)
    if item.status == "translated":
        en_parts = english_html(item.entry, seg.id, notes)
        en_html = "".join(f'<span class="s" data-s="{n}">{p}</span>' + (" " if n < len(en_parts) else "")
                          for n, p in enumerate(en_parts, start=1))
        en_block = f'<div class="en" lang="en">{en_html}</div>'
    elif item.status == "stale":
        old = " ".join(english_html(item.entry, seg.id, notes))
        en_block = ('<div class="en stale" lang="en"><span class="stale-label">Out of date: the Chinese '
                    f'changed after this was translated.</span> {old}</div>')
    else:
        en_block = '<div class="en pending" lang="en"><span class="pending-label">Translation pending</span></div>'
    zh_block = f'<div class="zh" lang="zh-Hans">{"".join(zh_html)}</div>'
    if seg.kind == "heading":
        # A Markdown heading, so the page's table of contents lists it.
        zh_inline = f'<span class="zh" lang="zh-Hans">{"".join(zh_html)}</span>'
        en_inline = en_block.replace("<div", "<span", 1)[: -len("</div>")] + "</span>"
        return (f'## {zh_inline} {en_inline} '
                f'{{ #{seg.id} data-seg="{seg.id}" data-status="{item.status}" .seg .seg-heading }}')
    kind = "seg-caption" if seg.kind == "caption" else "seg-paragraph"
    return f'<div class="seg {kind}" data-seg="{seg.id}" id="{seg.id}" data-status="{item.status}">\n{zh_block}\n{en_block}\n</div>'


TOOLBAR = """<div class="bm-toolbar" role="toolbar" aria-label="Reading options">
<span class="bm-group" role="group" aria-label="Languages"><button type="button" data-opt="lang" data-val="zh" aria-pressed="false">中文</button><button type="button" data-opt="lang" data-val="both" aria-pressed="true">Both</button><button type="button" data-opt="lang" data-val="en" aria-pressed="false">English</button></span>
<span class="bm-group" role="group" aria-label="Layout"><button type="button" data-opt="layout" data-val="side" aria-pressed="true">Side by side</button><button type="button" data-opt="layout" data-val="stack" aria-pressed="false">Stacked</button></span>
<span class="bm-group" role="group" aria-label="Script"><button type="button" data-opt="script" data-val="hans" aria-pressed="true">简</button><button type="button" data-opt="script" data-val="hant" aria-pressed="false">繁</button></span>
<span class="bm-group" role="group" aria-label="Pinyin"><button type="button" data-opt="pinyin" data-val="on" aria-pressed="false">Pinyin</button></span>
</div>"""


def people_html(people) -> str:
    rows = []
    for p in people:
        name = f'<span lang="zh-Hans">{h.text(p.zh)}</span>' + (f" ({h.text(p.en)})" if p.en else "")
        rows.append(f"{name}, {h.text(p.role)}")
    return "; ".join(rows)


def front_matter(title: str, description: str) -> str:
    import json
    # JSON strings are valid YAML scalars: nothing in a title can break the front matter.
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndescription: {json.dumps(description, ensure_ascii=False)}\n---\n"
