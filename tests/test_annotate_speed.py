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


def _scan_every_clause(text: str) -> list:
    """numbers.find the plain way: every clause with a numeral scanned, no pre-filter."""
    found = []
    if numbers._ANY_NUMBER.search(text):
        for clause in numbers._CLAUSE.finditer(text):
            if numbers._ANY_NUMBER.search(clause.group()):
                found += numbers.scan(text, clause.start(), clause.end(), clause.group())
    return found


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_NUMBERY + list("，。；：、（）“”\n成功为三四十")), max_size=40))
@example("成功了，三成，2023年，没有，十亿\n好５")
@example("２０２３年一月，约３成")
def test_the_clause_filter_never_changes_what_is_found(text):
    """find() scans only clauses holding a digit, 万/亿 or a numeral before 成, and never reads
    a number across a clause mark or a line break: the same figures as scanning every clause."""
    assert numbers.find(text) == _scan_every_clause(text)


# ---------------------------------------------------------------- many strings at once

from scripts.annotate.terms import Matcher, Occurrences, Term  # noqa: E402

_LETTERS = list("百模大战六小虎A1b") + ["\ud800", "😀", "\ufffd"]


def _every_occurrence(strings: list[str], text: str) -> list[tuple[int, int, int]]:
    out = []
    for i, s in enumerate(strings):
        start = text.find(s)
        while start != -1:
            out.append((i, start, start + len(s)))
            start = text.find(s, start + 1)
    return sorted(out, key=lambda h: (h[2], h[1]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(_LETTERS), min_size=1, max_size=4), max_size=8),
       st.text(alphabet=st.sampled_from(_LETTERS), max_size=30))
@example(["认知大模型", "大模型", "星火"], "星火认知大模型")
@example(["\ufffd"], "\ud800\ufffd")
def test_occurrences_are_every_occurrence(strings, text):
    """Every occurrence of every string, overlapping ones too, in order of their ends, the longer
    first; a lone surrogate in the text is read (it matches no string) instead of stopping it."""
    occ = Occurrences(strings)
    assert occ.find(text) == _every_occurrence(occ.strings, text)
    assert sorted(occ.find(text, ordered=False)) == sorted(_every_occurrence(occ.strings, text))


def _term(i: int, form: str) -> Term:
    return Term(f"t{i}", form, (form,), "", "", (), "", "", (), "glossary")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("百模大战六小虎AQ1")), min_size=1, max_size=4),
                max_size=6, unique=True),
       st.text(alphabet=st.sampled_from(list("百模大战六小虎AQ1，")), max_size=30))
def test_terms_are_leftmost_longest_on_word_edges(forms, text):
    """Matcher.find: of every occurrence on word edges (Latin forms not running on into Latin),
    the leftmost, then the longest, never overlapping — worked out here the obvious way."""
    terms = [_term(i, f) for i, f in enumerate(forms)]
    edges = words.boundaries(text)
    latin = lambda ch: ch.isascii() and ch.isalnum()       # noqa: E731
    hits = []
    for t in terms:
        for i, s, e in _every_occurrence([t.zh], text):
            if latin(t.zh[0]) and s and latin(text[s - 1]) or latin(t.zh[-1]) and e < len(text) and latin(text[e]):
                continue
            if s in edges and e in edges:
                hits.append((s, e, t))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    out, last = [], 0
    for s, e, t in hits:
        if s >= last:
            out.append((s, e, t))
            last = e
    assert Matcher(terms).find(text) == out


# ---------------------------------------------------------------- 繁: pieces in one call

def _hant_piece_by_piece(text: str, std: str, names_re) -> str:
    out, pos = [], 0
    for m in names_re.finditer(text):
        out += [words.to_hant(text[pos:m.start()], std, True), words.to_hant(m.group(), std, False)]
        pos = m.end()
    return "".join(out + [words.to_hant(text[pos:], std, True)])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("百川智能发布软件里面后台发展为了干系统信息网络\n ，") + ["阿里巴巴", "百川智能"]),
                max_size=20).map("".join),
       st.sampled_from(["tw", "hk"]))
@example("百川智能发布软件\n百川智能", "tw")
def test_names_and_the_text_between_convert_as_one_call_each(text, std):
    """hant_text converts the text between names in one OpenCC call and the names in another
    (joined by line breaks): the same as converting each piece on its own."""
    names_re = words.names_pattern(("百川智能", "阿里巴巴", "百川"))
    assert words.hant_text(text, std, names_re) == _hant_piece_by_piece(text, std, names_re)
