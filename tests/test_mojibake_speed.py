"""The mojibake proof made cheaper without changing a finding: zhmodel.cut (words tried only up to a
character's longest, an article's own words only inside a run of Han) against the plain route that
tries every size at every end; the codec's memoised rows and columns and its lead bytes with
dropped pairs against their definitions, pair by pair."""
from __future__ import annotations

import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from scripts import zhmodel
from scripts.chinese import char_to_simplified
from scripts.mojibake import codec as mc


def _plain_cut(text: str, local: zhmodel.Local) -> tuple[float, tuple]:
    """The route as first written: at every end, every size from 1 to MAX_WORD."""
    if not text:
        return 0.0, ()
    simple = "".join(char_to_simplified(c) for c in text)
    t = zhmodel.table()
    n = len(simple)
    starts = [t.starting(c) if zhmodel._HAN.match(c) else None for c in simple]
    best = [0.0] + [-math.inf] * n
    back = [(0, 0.0)] * (n + 1)
    for i in range(1, n + 1):
        ch = simple[i - 1]
        if zhmodel._HAN.match(ch):
            c = t.char(ch) - zhmodel.SINGLE_PENALTY
        else:
            c = zhmodel._other_cost(ch, simple[i - 2] if i > 1 else "")
        b, arg = best[i - 1] + c, (1, c)
        for size in range(1, min(i, zhmodel.MAX_WORD) + 1):
            first = starts[i - size]
            if first is None:
                continue
            w = simple[i - size:i]
            lp = first.get(w)
            if local.words:
                ll = local.words.get(w)
                if ll is not None and (lp is None or ll > lp):
                    lp = ll
            if lp is not None and best[i - size] + lp > b:
                b, arg = best[i - size] + lp, (size, lp)
        best[i], back[i] = b, arg
    route, end = [], n                      # read back from the last end
    while end:
        route.insert(0, (end - back[end][0], end, back[end][1]))
        end -= back[end][0]
    return best[n], tuple(route)


# Han characters that make long dictionary words, their Traditional forms, a rare one, Latin,
# digits, punctuation, kana and a private-use character: every branch of the cost.
_ALPHABET = "中华人民共和国科大讯飞表示人工智能模型訊飛國們的了一二三拼笥嶏钅aZ9 ，。“”?!、カ\ue000"
_texts = st.text(alphabet=_ALPHABET, max_size=24)
_words = st.dictionaries(st.text(alphabet=_ALPHABET, min_size=1, max_size=10),
                         st.floats(min_value=-30, max_value=-1), max_size=12)


@settings(max_examples=300, deadline=None)
@given(_texts, _words)
@example("中华人民共和国科大讯飞表示", {})
@example("科大讯飞表示", {"讯飞表": -1.0, "大讯": -2.0})              # an article's words beside the dictionary's
@example("拼笥嶏w表示", {"w表": -1.0, "表示拼笥嶏中华人": -1.0})     # words with Latin in them, longer than four
@example("一一一一", {"一一": -8.0})                                 # ties: the shorter route stays
def test_cut_is_the_route_tried_at_every_size(text, words):
    """Same score, same tokens (tie for tie), with no article words and with any article words
    (Han only, as local_words makes them, or not)."""
    assert zhmodel.cut.__wrapped__(text, zhmodel.NO_LOCAL) == _plain_cut(text, zhmodel.NO_LOCAL)
    local = zhmodel.Local(words)
    assert zhmodel.cut.__wrapped__(text, local) == _plain_cut(text, local)
    han_only = zhmodel.Local({w: v for w, v in words.items() if all(zhmodel._HAN.match(c) for c in w)})
    assert han_only.han_only and zhmodel.Local({}).han_only and not zhmodel.Local({"w表": -1.0}).han_only
    assert zhmodel.cut.__wrapped__(text, han_only) == _plain_cut(text, han_only)


def test_cut_of_the_seeds_article_words_is_the_plain_route():
    """With an article's own words as local_words makes them (the proof's case)."""
    text = "科大讯飞表示，讯飞星火大模型的能力已经全面对标讯飞星火。"
    local = zhmodel.local_words([text, text], len(text))
    for i in range(len(text)):
        for j in range(i, min(len(text), i + 14) + 1):
            assert zhmodel.cut.__wrapped__(text[i:j], local) == _plain_cut(text[i:j], local)


def test_rows_and_columns_are_the_pairs():
    """codec.after(a) / codec.before(b): every ordinary character of the row or column, in byte order."""
    for codec in mc.CODECS:
        for a in (0x81, 0xA1, 0xB0, 0xD7, 0xF8, 0xFE):
            assert codec.after(a) == {T: c for T in codec.trails if (c := codec.pair(a, T))}
            assert list(codec.after(a)) == sorted(codec.after(a))
        for b in (0x40, 0x5C, 0x7E, 0x80, 0xA1, 0xC6, 0xFE):
            assert codec.before(b) == {L: c for L in codec.leads if (c := codec.pair(L, b))}


def test_lead_bytes_with_dropped_pairs_are_found_pair_by_pair():
    """The one-decode-per-lead shortcut finds exactly the leads that begin a pair the reader could not show."""
    for codec in mc.CODECS:
        assert codec.drop_leads() == tuple(a for a in codec.leads if any(codec.dropped(a, b) for b in codec.trails))
        assert codec.drop_leads()                          # user-defined areas exist in both codecs


def _plain_affinity(left: str, ch: str, right: str, local: zhmodel.Local) -> float:
    """The quick measure as first written: both neighbours' two-character words, else ch alone less 10."""
    t = zhmodel.table()
    c = char_to_simplified(ch)
    best = (t.char(c) if zhmodel._HAN.match(c) else zhmodel._other_cost(c, "")) - 10.0
    for w in ((char_to_simplified(left[-1:]) + c) if left else "", (c + char_to_simplified(right[:1])) if right else ""):
        if len(w) == 2 and zhmodel._HAN.match(w[0]):
            for v in (t.starting(w[0]).get(w), local.words.get(w) if local.words else None):
                if v is not None and v > best:
                    best = v
    return best


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(0, 300), st.text(alphabet=_ALPHABET, min_size=1, max_size=1), max_size=40),
       st.text(alphabet=_ALPHABET, max_size=3), st.text(alphabet=_ALPHABET, max_size=3), st.integers(0, 50), _words)
@example({1: "讯", 2: "拼", 3: "飞", 4: "a"}, "大", "表", 2, {"拼表": -1.0})
def test_shortlist_is_the_sort_by_affinity(options, left, right, n, words):
    """zhmodel.shortlist keeps what sorting every option by the first-written measure keeps, in order."""
    local = zhmodel.Local(words)
    want = sorted(options, key=lambda k: (-_plain_affinity(left, options[k], right, local), k))[:n]
    assert zhmodel.shortlist(options, left, right, n, local) == want
    assert [zhmodel.affinity(left, options[k], right, local) for k in want] == \
        [_plain_affinity(left, options[k], right, local) for k in want]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=_ALPHABET, max_size=40), max_size=5))
def test_local_words_are_the_recurring_han_strings(texts):
    """An article's own words: every all-Han string of 2-4 characters (Simplified) met at least twice."""
    from collections import Counter
    counts = Counter()
    for text in texts:
        simple = "".join(char_to_simplified(c) for c in text)
        for size in zhmodel.LOCAL_SIZES:
            pieces = [simple[i:i + size] for i in range(len(simple) - size + 1)]
            counts.update(s for s in pieces if all(zhmodel._HAN.match(c) for c in s))
    got = zhmodel.local_words(texts, 100)
    assert got.words == {w: math.log(n / 100) - zhmodel.LOCAL_PENALTY for w, n in counts.items() if n >= zhmodel.LOCAL_MIN_COUNT}
