"""The annotators' speed-ups that must not change a match.

Word edges (scripts/annotate/words.py `boundaries`), which term matching stands on: every offset
where one of jieba's words ends, and every switch between Latin letters or digits and Han, worked
out here the slow, obvious way and compared with the fast one on any text. The number patterns
(scripts/annotate/numbers.py) behind their lookahead gates, compared with the same patterns
without them."""
from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from scripts.annotate import words

_SWITCH = re.compile(r"(?<=[A-Za-z0-9])(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])(?=[A-Za-z0-9])")


def _expected(text: str) -> frozenset[int]:
    out, pos = {0}, 0
    for w in words.cut(text):
        pos += len(w)
        out.add(pos)
    out.update(m.start() for m in _SWITCH.finditer(text))
    return frozenset(out)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("百模大战六小虎科大讯飞Qwen2-72BGPT4o，。 ")
                                         + ["\u3400", "\u9fff", "\u4e00", "a", "Z", "0", "9", "_", "é", "\n"]),
               max_size=40))
@example("Qwen2-72B超越了GPT-4，百模大战")
@example("")
def test_edges_are_word_ends_and_script_switches(text):
    assert words.boundaries(text) == _expected(text)


def test_a_name_glued_to_han_ends_where_the_han_begins():
    text = "Qwen2-72B超越"
    edges = words.boundaries(text)
    assert text.index("超") in edges and 0 in edges and len(text) in edges


# ---------------------------------------------------------------- the number patterns' gates

from scripts.annotate import numbers  # noqa: E402

_NUMBERY = list("0123456789.,%-~至到年月日份元美港币人民亿万千百十数个成倍股/以上左右多余约大近将接超逾不最达级一二两三五九零") + [" ", "０", "٣"]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_NUMBERY), max_size=30))
@example("约2.86亿元至3.82亿元")
@example("超百亿元，数千万元")
def test_a_pattern_s_gate_never_changes_what_it_matches(text):
    """Each number pattern is compiled behind a lookahead for the characters a match can begin
    with; the same pattern without it finds exactly the same figures."""
    import re
    for _, _, gated in numbers._PATTERNS:
        assert gated.pattern.startswith("(?=[")
        plain = re.compile(gated.pattern[gated.pattern.index("])") + 2:])
        assert [m.groupdict() | {"span": m.span()} for m in gated.finditer(text)] == \
               [m.groupdict() | {"span": m.span()} for m in plain.finditer(text)]
