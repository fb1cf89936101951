"""The figures in Traditional characters (scripts/figures/hant.py): the 繁·台 and 繁·港 drawings are
rewrites of the Simplified drawing, glyph for glyph in the same places."""
from __future__ import annotations

import functools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scripts import figures as F
from scripts.annotate.words import names_pattern
from scripts.chinese import to_hant
from scripts.errors import BuildError
from scripts.figures import hant
from scripts.figures.svg import glyph_fonts
from scripts.paths import ROOT

DATASETS = F.load_datasets(ROOT / "data" / "figures")
EVENTS = F.load_timeline(ROOT / "data" / "timeline.yml")
NAMES = hant.name_forms(ROOT / "data" / "entities.yml")
_GROUP = re.compile(r"<!-- (.*?) -->\n<g [^>]*>\n((?:<defs>\n(?:<path [^>]*/>\n)*</defs>\n)?(?:<use [^>]*/>\n)*)</g>")
_USE = re.compile(r'<use xlink:href="#(g[a-z])([0-9a-f]+)"([^>]*)/>')
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _drawn(svg: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Each outlined line: (its comment, the characters its glyphs draw, the glyphs' positions)."""
    prefixes = glyph_fonts(svg)
    out = []
    for comment, body in _GROUP.findall(svg):
        chars, where = [], []
        for prefix, gid, pos in _USE.findall(body):
            chars.append(_back(prefixes[prefix]).get(int(gid, 16), "\ufffd"))
            where.append((prefix, pos))
        out.append((comment, "".join(chars), where))
    return out


@functools.lru_cache(maxsize=None)
def _back(font_name: str) -> dict[int, str]:
    """glyph -> the character the font maps to it (the lowest code point, for a shared glyph)."""
    _, cmap = hant._font(font_name)
    return {g: chr(c) for c, g in sorted(cmap.items(), reverse=True)}


def _defined(svg: str) -> set[str]:
    return set(re.findall(r'<path id="(g[a-z]+[0-9a-f]+)"', svg))


@pytest.fixture(scope="module")
def drawings():
    """Wide and narrow drawings of every chart, and both timelines, in Simplified."""
    out = {}
    for ds in DATASETS:
        out[ds.id] = F.render_svg(ds).decode()
        out["narrow/" + ds.id] = F.render_narrow_svg(ds).decode()
    out["timeline"] = F.render_timeline_svg(EVENTS).decode()
    out["narrow/timeline"] = F.render_narrow_timeline_svg(EVENTS).decode()
    return out


@pytest.mark.parametrize("standard", hant.STANDARDS)
def test_every_line_is_drawn_in_the_standard_in_the_same_places(drawings, standard):
    names_re = names_pattern(NAMES)
    changed = 0
    for key, svg in drawings.items():
        out = hant.variant(svg, standard, names_re)
        assert _defined(out) >= {f"{p}{g}" for p, g, _ in _USE.findall(out)}, key     # every glyph defined
        before, after = _drawn(svg), _drawn(out)
        assert len(before) == len(after), key
        for (c0, s0, w0), (c1, s1, w1) in zip(before, after):
            assert w0 == w1, (key, c0)                      # same glyph count, fonts and positions
            want = hant.line(hant._comment_text(c0), standard, names_re)
            assert hant._comment_text(c1) == want
            for a, b in zip(s0, s1):
                if a != b:                                  # only ideographs change, one for one
                    assert _IDEOGRAPH.match(a) and _IDEOGRAPH.match(b), (key, c0, a, b)
            changed += s0 != s1
        # what is drawn holds no Simplified-only character: converting it again changes nothing
        drawn = "".join(s for _, s, _ in after) + "".join(re.findall(r"<text\b[^>]*>([^<]*)</text>", out))
        assert to_hant(drawn, standard, words=False) == drawn, key
    assert changed > 50


def test_glyphs_follow_the_converted_line(drawings):
    """The glyphs of a changed line spell the converted line wherever the line is all characters."""
    names_re = names_pattern(NAMES)
    checked = 0
    for svg in drawings.values():
        for comment, chars, _ in _drawn(hant.variant(svg, "tw", names_re)):
            text = hant._comment_text(comment)
            if _IDEOGRAPH.search(text) and len(chars) == len(text):
                assert [c for c, t in zip(chars, text) if _IDEOGRAPH.match(t)] == _IDEOGRAPH.findall(text)
                checked += 1
    assert checked > 50


def test_timeline_text_converts(drawings):
    out = hant.variant(drawings["timeline"], "tw")
    texts = re.findall(r"<text\b[^>]*>([^<]*)</text>", out)
    assert texts and any(t != s for t, s in zip(texts, re.findall(r"<text\b[^>]*>([^<]*)</text>", drawings["timeline"])))
    assert all(to_hant(t, "tw", words=False) == t for t in texts)


def test_a_name_converts_by_character_and_words_by_word():
    names_re = names_pattern(("百川智能",))
    assert hant.line("百川智能发布软件", "tw", names_re) == "百川智能釋出軟體"
    assert hant.line("百川智能发布软件", "tw") == "百川智慧釋出軟體"


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("互联网软件为群发后干面里着数据人工智能大模型台湾 AI-2023年亿元“”《》·"), max_size=30))
def test_a_line_keeps_its_length_and_its_other_characters(s):
    for standard in hant.STANDARDS:
        t = hant.line(s, standard)
        assert len(t) == len(s)
        assert all(a == b for a, b in zip(s, t) if not _IDEOGRAPH.match(a))


def test_a_character_the_font_lacks_stops_with_the_remedy(drawings, monkeypatch):
    svg = drawings[DATASETS[0].id]
    name = next(iter(glyph_fonts(svg).values()))
    font, cmap = hant._font(name)
    monkeypatch.setattr(hant, "_font", lambda n: (font, {c: g for c, g in cmap.items() if chr(c) not in "個資據數為東華們實國"}))
    with pytest.raises(BuildError) as err:
        for ds in DATASETS:
            hant.variant(F.render_svg(ds).decode(), "tw", what=f"figure {ds.id}")
    assert "not in the figure font" in str(err.value) and "python -m scripts font" in str(err.value)


def test_a_drawing_without_chinese_is_unchanged():
    svg = '<svg>\n<!-- glyphs: ga=BaimozhiSansSC-Regular -->\n<!-- AI -->\n<g transform="x">\n<use xlink:href="#ga22"/>\n</g>\n</svg>'
    assert hant.variant(svg, "tw") == svg


def test_workers_forked_after_the_fonts_were_opened_rewrite_alike():
    """The drawing process rewrites its first drawings before it forks its workers (figure_pages
    `_draw_apart`): workers drawing side by side then open the font files again (a font's file
    position cannot be shared across a fork) and rewrite as this process does."""
    from scripts import workers
    svgs = [F.render_svg(ds).decode() for ds in DATASETS[:6]]
    hant.warm_up()
    here = [hant.variant(svg, "tw") for svg in svgs]
    assert any(v != s for v, s in zip(here, svgs))          # characters changed: the font was used
    assert workers.parallel(_variants_tw, svgs, 2).result() == here
    assert [hant.variant(svg, "tw") for svg in svgs] == here


def _variants_tw(svg: str) -> str:
    hant._advance.cache_clear()             # each glyph read from the font, not the parent's memory
    return hant.variant(svg, "tw")
